"""The CPU seconds of each pass kind of the cores that the workers of a count share: what a split of the passes
between two processes would balance.

Runs ``gas count --workers 2`` on ``[space] complexity = [1, C]`` in this process with the kernels skipped (the total
is then wrong; the cores are those of the real count) and the workers' part replaced: the driver plans the cores and
counts the light runs as the real count does beside the kernels, then counts every other core **in one process**, in
the planned order (as one run, pass by pass in groups), timing each pass of each contraction by its kind: the
preamble (the bound; a contraction of five objects related pairwise runs whole there, :func:`.dense.clique5_series`),
the float pass, the wrap pass, each prime's pass.  Each pass's CPU seconds go to its kind, and to the width of the
largest step of its contraction (``labels^w`` entries per product row).

Prints and writes (``--out``, under ``benchmarks/results/``) the CPU seconds, the passes and the contractions of each
kind, the light runs' and the other cores' CPU seconds, and the load.

Run: python benchmarks/c16_pass_kinds.py [--complexity 16] [--out F]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--complexity", type=int, default=16)
    ap.add_argument("--out", default="")
    a = ap.parse_args()
    import numpy as np

    import gas_solver.solve.work as work
    from gas_solver.cli.main import cli
    from gas_solver.solve import cores, modular

    work.LIMITS["core_seconds"] = 1e9
    cores._count_kernels = lambda scenes, grouped, *rest: ({}, len(grouped))
    acc: dict = {}
    labels = [0]
    orig = modular.contract_series_passes

    def kind(rank):
        return {"pre": "preamble", modular._FLOAT_PASS: "float", modular._WRAP_PASS: "wrap"}.get(rank, "prime")

    def timed(factors, degree, memo=None, *, dense=False):
        gen = orig(factors, degree, memo, dense=dense)
        shaped = [(sc, np.broadcast_to(0.0, (1, 1) + tuple(np.shape(x)[-len(sc):]))) for sc, x in factors]
        width = round(math.log(max(modular._largest_step(shaped), 1), max(labels[0], 2))) if factors else 0
        rank, t = "pre", time.process_time()
        try:
            while True:
                r = next(gen)
                row = acc.setdefault((width, kind(rank)), [0.0, 0])
                row[0] += time.process_time() - t
                row[1] += 1
                rank = r
                yield r
                t = time.process_time()
        except StopIteration as done:
            row = acc.setdefault((width, kind(rank)), [0.0, 0])
            row[0] += time.process_time() - t
            row[1] += 1
            return done.value

    report: dict = {}

    def in_one_process(scenes, grouped, listed, memo, c_max, by_complexity, workers, progress, done, total):
        labels[0] = len(scenes.counter.groups)
        t0 = time.process_time()
        listed, plans = scenes.plan(listed, lambda g: c_max - g.n - len(g.edges), by_complexity, memo)
        report["plan_cpu_s"] = round(time.process_time() - t0, 2)
        scale = labels[0] / 114
        costs = [cores.core_ms(g, c_max - g.n - len(g.edges), scale=scale, by_complexity=by_complexity)
                 for g in listed]
        runs = cores._light_runs(cores._split_runs(costs, workers),
                                 [cores.core_width(g) <= cores.LIGHT_WIDTH for g in listed])
        memo_bytes = memo.max_bytes
        memo.max_bytes = max(memo_bytes, cores.PLANNED_MEMO_BYTES)
        out = []
        t0 = time.process_time()
        for lo, hi, light in runs:
            if light:
                out.append(cores._count_run(scenes, listed[lo:hi], plans[lo:hi], memo, c_max, by_complexity))
        report["light_cpu_s"] = round(time.process_time() - t0, 2)
        report["light_cores"] = sum(hi - lo for lo, hi, light in runs if light)
        rest = [i for lo, hi, light in runs if not light for i in range(lo, hi)]
        cores.contract_series_passes = timed
        t0 = time.process_time()
        out.append(cores._count_run(scenes, [listed[i] for i in rest], [plans[i] for i in rest], memo, c_max,
                                    by_complexity))
        report["heavy_cpu_s"] = round(time.process_time() - t0, 2)
        report["heavy_cores"] = len(rest)
        cores.contract_series_passes = orig
        memo.clear()
        memo.max_bytes = memo_bytes
        return out

    cores._connected_in_workers = in_one_process
    f = Path(f"/tmp/c{a.complexity}_passes_{os.getpid()}.toml")
    f.write_text(f'format = "gas-constraints/1"\n[space]\ncomplexity = [1, {a.complexity}]\n')
    load = os.getloadavg()
    try:
        cli(["count", str(f), "--workers", "2"], standalone_mode=False)
    finally:
        f.unlink()
    by_kind: dict = {}
    for (w, k), (s, n) in sorted(acc.items()):
        row = by_kind.setdefault(k, [0.0, 0])
        row[0] += s
        row[1] += n
    report.update(complexity=[1, a.complexity], labels=labels[0],
                  by_kind={k: {"cpu_s": round(s, 2), "passes": n} for k, (s, n) in by_kind.items()},
                  by_width_kind=[{"width": w, "kind": k, "cpu_s": round(s, 2), "passes": n}
                                 for (w, k), (s, n) in sorted(acc.items())],
                  machine={"cpus": os.cpu_count(), "load_average_at_start": load,
                           "load_average_at_end": os.getloadavg()})
    print(json.dumps(report, indent=1))
    if a.out:
        (ROOT / "benchmarks" / "results" / a.out).write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
