"""Each kernel that the count sums at once, timed against its cores counted one by one (the same integers).

For ``[space] complexity = [1, C]`` of the default taxonomy, a count by complexity alone (``gas count``): the kernels
that :func:`gas_solver.solve.kernels.group_cores` groups (skeletons' families left out with ``--no-families``: they
take minutes one by one), each summed at once (:meth:`gas_solver.solve.kernels.KernelScenes.kernel`, after one
kernel has computed the path series that every kernel shares, as in the count) and its cores counted one by one in
the count's planned order with its memo (:meth:`gas_solver.solve.cores._CoreScenes.plan`,
:func:`gas_solver.solve.cores._count_run`), CPU seconds each, beside the cost model's estimates at 114 labels
(:func:`gas_solver.solve.kernels.seconds` and :func:`gas_solver.solve.kernels.per_core_seconds`).  Checks that both
give the same scenes.  ``--by-shape``: a count by shape (one elimination per ``τ``); ``--group-seconds S``: the
kernels that :data:`gas_solver.solve.kernels.GROUP_SECONDS` (or ``SHAPE_GROUP_SECONDS``) at ``S`` would group.

Run: python benchmarks/kernel_groups_check.py [--complexity 16] [--no-families] [--by-shape] [--group-seconds S]
     [--out F]
(writes benchmarks/results/F)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--complexity", type=int, default=16)
    ap.add_argument("--no-families", action="store_true", help="leave the skeletons' families out")
    ap.add_argument("--by-shape", action="store_true", help="a count by shape (one computation per τ)")
    ap.add_argument("--group-seconds", type=float, default=None)
    ap.add_argument("--out", default="")
    a = ap.parse_args()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from c16_account import default_space
    from gas_solver.solve import cores, kernels, modular
    from gas_solver.solve.multiset import GraphScenes

    c = a.complexity
    space, lim = default_space(c)
    counter = GraphScenes(space.count_model, lim["apo"], c)
    scenes = cores._CoreScenes(counter, cores.rooted_trees(counter, c))
    alone = not a.by_shape
    if a.group_seconds is not None:
        kernels.GROUP_SECONDS = kernels.SHAPE_GROUP_SECONDS = a.group_seconds
    grouped, _ = kernels.group_cores(cores.cores(lim), c, by_complexity=alone)
    memo = counter.memo
    by_kernel = kernels.KernelScenes(scenes, c)
    rows = []
    first = True
    for rep, listed in grouped.values():
        if a.no_families and kernels.is_family(rep):
            continue
        if first:  # (the path series, computed once for every kernel of the count)
            with modular._one_blas_thread():
                for tau in ([1] if alone else range(by_kernel.d_top // 2 + 1)):
                    by_kernel.paths(1, by_kernel.d_top, tau)
            first = False
        t = time.process_time()
        with modular._one_blas_thread():
            found = by_kernel.kernel(rep, by_complexity=alone)
        at_once = time.process_time() - t
        memo.clear(forget=True)
        t = time.process_time()
        with modular._one_blas_thread():
            order, plans = scenes.plan(listed, lambda g: c - g.n - len(g.edges), alone, memo)
            one_by_one = cores._count_run(scenes, order, plans, memo, c, alone)
        per_core = time.process_time() - t
        memo.clear(forget=True)
        summed: dict = {}
        cores._add(summed, found, rep[0], len(rep[1]), alone)
        same = {k: v for k, v in summed.items() if v} == {k: v for k, v in one_by_one.items() if v}
        if not same:
            raise AssertionError(f"kernel {rep}: summed at once and one by one differ")
        rows.append({"kernel": repr(rep), "cores": len(listed), "at_once_cpu_s": round(at_once, 2),
                     "one_by_one_cpu_s": round(per_core, 2),
                     "at_once_estimate_s": round(kernels.seconds(rep, c, 114), 2),
                     "one_by_one_estimate_s": round(kernels.per_core_seconds(listed, c, by_complexity=alone), 2),
                     "same": same})
        print(json.dumps(rows[-1]), flush=True)
    out = {"complexity": [1, c], "by_shape": a.by_shape, "labels": len(counter.groups),
           "group_seconds": kernels.GROUP_SECONDS if alone else kernels.SHAPE_GROUP_SECONDS,
           "kernels": rows, "at_once_cpu_s": round(sum(r["at_once_cpu_s"] for r in rows), 2),
           "one_by_one_cpu_s": round(sum(r["one_by_one_cpu_s"] for r in rows), 2),
           "load_average_at_end": list(os.getloadavg())}
    print(json.dumps(out, indent=1))
    if a.out:
        (ROOT / "benchmarks" / "results" / a.out).write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
