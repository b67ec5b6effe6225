"""A slice of the `[1, 16]` count's one-by-one width-3 cores, with and without the wrap pass (solve/modular.py).

Run: python benchmarks/c16_width3_slice.py [--start 300] [--every 7] [--count 120] [--out c16_width3_slice.json]
(writes benchmarks/results/c16_width3_slice.json)

The cores that `gas count` counts one by one at `[1, 16]` (outside the kernels `solve/kernels.py` groups) whose
cheapest elimination has width 3, in the count's planned order (`cores._CoreScenes.plan`), every ``--every``-th
from ``--start``: each counted as the count does (complexity alone, the planned memo told each step's users), once
without the wrap pass and then once with it (that order: module caches warmed by the first run favour the
second), in one process; CPU seconds by the contractions' series degree, and whether every value is the same.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(scenes, order, plans, chosen, c, memo, modular, cores):
    memo.expect(modular.plan_uses([plans[i] for i in chosen]))
    memo.max_bytes = max(memo.max_bytes, cores.PLANNED_MEMO_BYTES)
    by_degree: dict = defaultdict(float)
    real = modular._contract

    def timed(factors, lead, b, degree=None, keep=None, memo=None, dense=False):
        t = time.process_time()
        out = real(factors, lead, b, degree, keep, memo, dense)
        by_degree[str(degree)] += time.process_time() - t
        return out

    modular._contract = timed
    values = []
    t = time.process_time()
    try:
        for i in chosen:
            g = order[i]
            values.append(scenes.core(g, c - g.n - len(g.edges), by_complexity=True))
            memo.release(plans[i])
    finally:
        modular._contract = real
    total = time.process_time() - t
    memo.clear()
    return values, {"cpu_s": round(total, 2), "ms_per_core": round(total / len(chosen) * 1000, 1),
                    "contractions_cpu_s_by_degree": {k: round(v, 2) for k, v in sorted(by_degree.items())}}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--start", type=int, default=300)
    ap.add_argument("--every", type=int, default=7)
    ap.add_argument("--count", type=int, default=120)
    ap.add_argument("--out", default="c16_width3_slice.json")
    a = ap.parse_args()
    from c16_account import default_space
    from gas_solver.solve import cores, kernels, modular
    from gas_solver.solve.connected import core_object_graphs
    from gas_solver.solve.multiset import GraphScenes

    c = 16
    space, lim = default_space(c)
    graphs = core_object_graphs(complexity=c, acyclic=lim["acyclic"])
    R = cores.rooted_trees(GraphScenes(space.count_model, lim["apo"], c), c)
    _, rest = kernels.group_cores(graphs, c, by_complexity=True)
    width3 = [g for g in rest if cores.core_width(g) == 3]
    out: dict = {"complexity": [1, c], "machine": {"cpus": os.cpu_count(), "load_average_at_start": os.getloadavg()},
                 "width3_cores_one_by_one": len(width3)}
    runs = {}
    values = {}
    saved = modular._WRAP_PASS_PRIMES
    for name, wrap_primes in (("without_wrap_pass", 10 ** 6), ("with_wrap_pass", saved)):
        modular._WRAP_PASS_PRIMES = wrap_primes
        counter = GraphScenes(space.count_model, lim["apo"], c)
        scenes = cores._CoreScenes(counter, R)
        order, plans = scenes.plan(width3, lambda g: c - g.n - len(g.edges), True, counter.memo)
        chosen = list(range(a.start, len(order), a.every))[:a.count]
        values[name], runs[name] = _run(scenes, order, plans, chosen, c, counter.memo, modular, cores)
        print(name, runs[name], flush=True)
    modular._WRAP_PASS_PRIMES = saved
    out["cores_timed"] = len(chosen)
    out["runs"] = runs
    out["same_values"] = values["with_wrap_pass"] == values["without_wrap_pass"]
    out["machine"]["load_average_at_end"] = os.getloadavg()
    res = ROOT / "benchmarks" / "results" / a.out
    res.write_text(json.dumps(out, indent=1))
    print("same values:", out["same_values"])


if __name__ == "__main__":
    main()
