"""The refusal's estimate against the real count: what ``gas count`` at ``[space] complexity = [1, C]`` costs, phase by
phase and per core by its price class, beside what :func:`gas_solver.solve.cores.work_estimate` quotes.

Runs the count in this process (the refusal limit lifted), as ``gas count`` does, and records the CPU seconds of
the set-up before the cores (taxonomy, rooted trees, listing and grouping the cores), of each kernel summed at once
(:mod:`gas_solver.solve.kernels`: its eliminations and the rest), of the cores' plan and of the cores counted one by
one.  Each one-by-one core is charged the passes of the contractions it starts (a message shared through the memo
is charged to the first core that computes it), and the cores' time outside their contractions is shared evenly;
per price class of :data:`gas_solver.solve.core_prices.CORE_MS` (width, complexity left) the mean milliseconds,
and the same brought to 114 labels (what the table holds).  Beside each: the estimate's own figures
(:func:`gas_solver.solve.cores._estimate`, :func:`gas_solver.solve.kernels.seconds`).

Run: python benchmarks/core_prices_check.py [--complexity 16] [--ungrouped] [--out F]
(writes benchmarks/results/F; ``--ungrouped``: every core one by one, no kernel summed at once)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--complexity", type=int, default=16)
    ap.add_argument("--ungrouped", action="store_true", help="every core one by one (no kernel summed at once)")
    ap.add_argument("--out", default="")
    a = ap.parse_args()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import gas_solver.solve.work as work
    from c16_account import default_space
    from gas_solver.cli.main import cli
    from gas_solver.solve import cores, kernels
    from gas_solver.solve.core_prices import CORE_MS, core_ms, core_width
    from gas_solver.solve.multiset import GraphScenes

    c = a.complexity
    if a.ungrouped:
        kernels.USE_KERNELS = False
    space, lim = default_space(c)
    labels = len(GraphScenes(space.count_model, lim["apo"], c).groups)
    t = time.process_time()
    est_total, detail, tasks, kernel_tasks = cores._estimate(lim, labels, True)
    est_cpu = time.process_time() - t

    marks: list = []  # (what, CPU seconds when it began)
    charged: dict = defaultdict(float)  # id(core graph) -> CPU seconds of its contractions' passes
    owner = [None]
    graphs: dict = {}
    kernel_s: dict = {}
    contraction_s = [0.0]

    real_keys = cores._CoreScenes.component_keys
    real_passes = cores.contract_series_passes
    real_plan = cores._CoreScenes.plan
    real_kernel = kernels.KernelScenes.kernel
    real_run = cores._CoreScenes.cores_pass_major
    real_contract = kernels.contract_series

    def component_keys(self, graph, d, by_complexity):
        owner[0] = graph
        graphs[id(graph)] = (graph, d)
        return real_keys(self, graph, d, by_complexity)

    def passes(*args, **kw):  # (the contraction's passes, each charged to the core that asked for it)
        return charge(id(owner[0]), real_passes(*args, **kw))

    def charge(who, gen):
        while True:
            t0 = time.process_time()
            try:
                rank = next(gen)
            except StopIteration as done:
                charged[who] += time.process_time() - t0
                return done.value
            charged[who] += time.process_time() - t0
            yield rank

    def plan(self, *args, **kw):
        marks.append(("plan", time.process_time()))
        out = real_plan(self, *args, **kw)
        marks.append(("after plan", time.process_time()))
        return out

    def kernel(self, k, **kw):
        t0 = time.process_time()
        before = contraction_s[0]
        out = real_kernel(self, k, **kw)
        kernel_s[repr(k)] = {"cpu_s": time.process_time() - t0, "eliminations_s": contraction_s[0] - before,
                             "estimate_s": kernels.seconds(k, c, labels)}
        if not marks or marks[0][0] != "kernels":
            marks.insert(0, ("kernels", t0))
        return out

    def contract(*args, **kw):
        t0 = time.process_time()
        try:
            return real_contract(*args, **kw)
        finally:
            contraction_s[0] += time.process_time() - t0

    def run(self, *args, **kw):
        marks.append(("cores", time.process_time()))
        yield from real_run(self, *args, **kw)
        marks.append(("after cores", time.process_time()))

    cores._CoreScenes.component_keys = component_keys
    cores.contract_series_passes = passes
    cores._CoreScenes.plan = plan
    kernels.KernelScenes.kernel = kernel
    kernels.contract_series = contract
    cores._CoreScenes.cores_pass_major = run
    work.LIMITS["core_seconds"] = 1e9
    f = Path(f"/tmp/core_prices_check_{os.getpid()}.toml")
    f.write_text(f'format = "gas-constraints/1"\n[space]\ncomplexity = [1, {c}]\n')
    load = os.getloadavg()
    t = time.process_time()
    try:
        # (one process: without --workers a count estimated above 30 CPU s shares the cores among the CPUs)
        cli(["count", "--workers", "1", str(f)], standalone_mode=False)
    finally:
        f.unlink()
    total = time.process_time() - t
    load_end = os.getloadavg()
    at = dict(marks)
    kernels_s = sum(k["cpu_s"] for k in kernel_s.values())
    plan_s = at.get("after plan", 0.0) - at.get("plan", 0.0)
    cores_s = at.get("after cores", 0.0) - at.get("cores", 0.0)
    first = min(at.get("kernels", at.get("plan", t)), at.get("plan", t))
    setup_s = first - t
    outside = cores_s - sum(charged.values())
    per_core_outside = outside / max(1, len(graphs))
    classes: dict = defaultdict(lambda: {"cores": 0, "cpu_s": 0.0, "estimate_s": 0.0})
    scale = labels / 114
    for key, (g, d) in graphs.items():
        w = min(4, core_width(g))
        cls = classes[f"{w}/{'0' if d == 0 else '1-3' if d <= 3 else '>=4'}"]
        cls["cores"] += 1
        cls["cpu_s"] += charged.get(key, 0.0) + per_core_outside
        cls["estimate_s"] += core_ms(g, d, scale=scale) / 1000
    for name, cls in classes.items():
        w = int(name.split("/")[0])
        cls["mean_ms"] = round(1000 * cls["cpu_s"] / cls["cores"], 2)
        cls["mean_ms_at_114_labels"] = round(cls["mean_ms"] / scale ** (w + 1), 2)
        cls["table_ms"] = CORE_MS[(w, name.split("/")[1])]
        cls["cpu_s"] = round(cls["cpu_s"], 2)
        cls["estimate_s"] = round(cls["estimate_s"], 2)
    out = {
        "complexity": [1, c], "ungrouped": a.ungrouped, "labels": len(GraphScenes(space.count_model, lim["apo"], c).groups),
        "count_cpu_s": round(total, 1), "estimate_s": round(est_total, 1), "estimate_over_count": round(est_total / total, 2),
        "estimate_detail": detail, "estimate_cpu_s": round(est_cpu, 2),
        "phases_cpu_s": {"setup (trees, listing, grouping, refusal check)": round(setup_s, 1),
                         "kernels": round(kernels_s, 1), "plan": round(plan_s, 1), "cores one by one": round(cores_s, 1),
                         "rest": round(total - setup_s - kernels_s - plan_s - cores_s, 1)},
        "kernels": {k: {x: round(y, 2) for x, y in v.items()} for k, v in kernel_s.items()},
        "kernels_estimate_s": round(sum(tasks[:kernel_tasks]), 1),
        "cores_outside_contractions_ms_per_core": round(1000 * per_core_outside, 2),
        "core_classes": dict(sorted(classes.items())),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10,
        "machine": {"cpus": os.cpu_count(), "load_average_at_start": load, "load_average_at_end": load_end},
    }
    print(json.dumps(out, indent=1))
    if a.out:
        (ROOT / "benchmarks" / "results" / a.out).write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
