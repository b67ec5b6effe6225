"""How many elimination steps the inclusion–exclusion terms of a skeleton's family share (``kernels.KernelScenes``
summing every kernel of one skeleton at once): every term's eliminations dry-run (``modular.plan_steps``, one
label per object: microseconds a step) as if the memo kept every message, counting the steps asked for by their
width (the neighbours of the eliminated object) and how many of them are distinct.  A step asked again is one a
memo large enough could share; a width-3 series message is 40-80 MB at [1, 16].

Run: python benchmarks/c16_family_steps.py [--complexity 16] [--skeleton k4|w4|k5e] [--out F]
(writes benchmarks/results/F when given)

At [1, 16]: the four-clique's 16 terms ask for 7 width-3 steps, all distinct (no memo shares any: the count runs
its kernels under a 32 MB memo, ``cores.KERNEL_MEMO_BYTES``); the wheel W4's 62 terms ask for 66, 39 distinct.
"""

from __future__ import annotations

import argparse
import json
import os
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKELETONS = {"k4": (4, ((0, 1, 1), (0, 2, 1), (0, 3, 1), (1, 2, 1), (1, 3, 1), (2, 3, 1))),
             "w4": (5, ((0, 1, 1), (0, 2, 1), (0, 3, 1), (0, 4, 1), (1, 2, 1), (1, 3, 1), (2, 4, 1), (3, 4, 1))),
             "k5e": (5, ((0, 1, 1), (0, 2, 1), (0, 3, 1), (0, 4, 1), (1, 2, 1), (1, 3, 1), (1, 4, 1), (2, 3, 1),
                         (2, 4, 1)))}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--complexity", type=int, default=16)
    ap.add_argument("--skeleton", choices=sorted(SKELETONS), default="k4")
    ap.add_argument("--out", default="")
    a = ap.parse_args()
    from c16_account import default_space  # (this folder is on the path when the script runs)
    from gas_solver.solve import cores, kernels, modular
    from gas_solver.solve.multiset import GraphScenes

    c, (V, edges) = a.complexity, SKELETONS[a.skeleton]
    space, lim = default_space(c)
    counter = GraphScenes(space.count_model, lim["apo"], c)
    scenes = cores._CoreScenes(counter, cores.rooted_trees(counter, c))
    by_kernel = kernels.KernelScenes(scenes, c)
    d, tau = c - V - len(edges), 1
    kept: dict = {}
    asked_by_term = []
    _, classes = by_kernel.plan((V, edges))
    for _, cycles, cyc_of, orbits, groups, terms in classes:  # (the factors as KernelScenes.fix_total builds them)
        qedges = [(cyc_of[u], cyc_of[v]) for u, v in groups if cyc_of[u] != cyc_of[v]]
        name = scenes.names(len(cycles), qedges)
        base = [((name[i],), scenes.unary(len(cyc), d, tau)) for i, cyc in enumerate(cycles)]
        for status, _ in terms:
            factors = list(base)
            for gid, (u, v) in enumerate(groups):
                cu, cv = name[cyc_of[u]], name[cyc_of[v]]
                (L, rev, _, w), = tuple((L, rev, k, w) for (_, _, L, rev, _, g, k, _), w in zip(orbits, status)
                                        if g == gid)
                arr = by_kernel.family_factor(L, rev, w, cu == cv, d, tau)
                factors.append(((cu,), arr) if cu == cv else ((cu, cv), arr))
            asked_by_term.append(modular.plan_steps(factors, d, counter.memo, kept))
    width = {key: what[1] for what, key in counter.memo._steps.items()}
    asked, distinct, seen = Counter(), Counter(), set()
    for keys in asked_by_term:
        for k in keys:
            asked[width[k]] += 1
            if k not in seen:
                seen.add(k)
                distinct[width[k]] += 1
    out = {"complexity": [1, c], "skeleton": a.skeleton, "terms": len(asked_by_term),
           "steps_asked_by_width": dict(sorted(asked.items())), "distinct_by_width": dict(sorted(distinct.items())),
           "machine": {"cpus": os.cpu_count(), "load_average_at_start": os.getloadavg()}}
    print(json.dumps(out))
    if a.out:
        (ROOT / "benchmarks" / "results" / a.out).write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
