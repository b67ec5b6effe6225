"""Every kernel of one skeleton summed at once (``kernels.KernelScenes.family_bundle``), checked at complexity
[1, 16] on the default taxonomy against the sum of its parts: the skeleton's own kernel summed as one kernel
(``KernelScenes.kernel``) plus every other core of the family one by one (``cores._CoreScenes.core``), all by
complexity alone (``τ = 1``), as ``gas count`` takes them.  Each part is timed (process CPU).

Run: python benchmarks/c16_family_check.py [--complexity 16] [--skeleton k4] [--sample N] [--out F]
(writes benchmarks/results/F; ``--sample N`` times the family and N of all its cores one by one, chosen at
random, and records the projection without checking)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKELETONS = {"k4": (4, ((0, 1, 1), (0, 2, 1), (0, 3, 1), (1, 2, 1), (1, 3, 1), (2, 3, 1))),
             "w4": (5, ((0, 1, 1), (0, 2, 1), (0, 3, 1), (0, 4, 1), (1, 2, 1), (1, 3, 1), (2, 4, 1), (3, 4, 1)))}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--complexity", type=int, default=16)
    ap.add_argument("--skeleton", choices=sorted(SKELETONS), default="k4")
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--out", default="c16_family_check.json")
    a = ap.parse_args()
    from c16_account import default_space  # (this folder is on the path when the script runs)
    from gas_solver.solve import cores, kernels
    from gas_solver.solve.multiset import GraphScenes

    c = a.complexity
    space, lim = default_space(c)
    out: dict = {"complexity": [1, c], "skeleton": a.skeleton,
                 "machine": {"cpus": os.cpu_count(), "load_average_at_start": os.getloadavg()}}
    skel = SKELETONS[a.skeleton]
    key, _ = kernels.canonical_kernel(skel)
    members: dict = {}
    for g in cores.cores(lim):
        k = kernels.kernel_of(g.n, g.edges)
        if k is None or not kernels.is_supported(k) or kernels.canonical_kernel(kernels.skeleton(k))[0] != key:
            continue
        members.setdefault(kernels.canonical_kernel(k)[0], []).append(g)
    own = members.pop(kernels.canonical_kernel(skel)[0], [])
    others = [g for gl in members.values() for g in gl]
    out["cores"] = {"skeleton_kernel": len(own), "other_kernels": len(others), "kernels": 1 + len(members)}

    def fresh():
        counter = GraphScenes(space.count_model, lim["apo"], c)
        return cores._CoreScenes(counter, cores.rooted_trees(counter, c))

    t = time.process_time()
    fam = kernels.KernelScenes(fresh(), c).kernel(skel + (kernels.FAMILY,), by_complexity=True)
    out["family_cpu_s"] = round(time.process_time() - t, 2)
    print("family", out["family_cpu_s"], flush=True)
    parts: dict = {}
    if a.sample:
        others = own + others
    else:
        t = time.process_time()
        parts = dict(kernels.KernelScenes(fresh(), c).kernel(skel, by_complexity=True))
        out["skeleton_kernel_cpu_s"] = round(time.process_time() - t, 2)
        print("skeleton kernel", out["skeleton_kernel_cpu_s"], flush=True)
    scenes = fresh()
    timed = others if not a.sample else random.Random(0).sample(others, min(a.sample, len(others)))
    t = time.process_time()
    V, E = skel[0], len(skel[1])
    for g in timed:
        extra = g.n + len(g.edges) - V - E  # the core's complexity beyond the skeleton's
        for (_, e), v in scenes.core(g, c - g.n - len(g.edges), by_complexity=True).items():
            parts[(0, e + extra)] = parts.get((0, e + extra), 0) + v
    spent = time.process_time() - t
    out["cores_timed_one_by_one"] = "every core outside the skeleton's kernel" if not a.sample else "a sample of all"
    out["other_cores_timed"] = len(timed)
    out["other_cores_cpu_s"] = round(spent, 2)
    out["other_cores_projected_cpu_s"] = round(spent / max(1, len(timed)) * len(others), 1)
    if not a.sample:
        out["family_equals_parts"] = fam == {k: v for k, v in parts.items() if v}
        print("equal", out["family_equals_parts"], flush=True)
    out["family_total"] = str(sum(fam.values()))
    out["eliminations"] = kernels.profile(skel)
    out["machine"]["load_average_at_end"] = os.getloadavg()
    res = ROOT / "benchmarks" / "results" / a.out
    res.write_text(json.dumps(out, indent=1))
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
