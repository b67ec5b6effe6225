"""The four-clique's family (every kernel of the four-clique skeleton summed at once, ``kernels.KernelScenes.kernel``)
timed alone at complexity [1, C] on the default taxonomy, as the count's kernels' process runs it (its memo's size, no
wrap pass): process CPU seconds, resident MB before it and at the peak (``ru_maxrss``), and a hash of its integers (the
same on every tree that counts right).

Run: python benchmarks/c16_family_time.py [--complexity 16] [--out F]   (writes benchmarks/results/F when given)
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import resource
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--complexity", type=int, default=16)
    ap.add_argument("--out", default="")
    a = ap.parse_args()
    from c16_account import default_space  # (this folder is on the path when the script runs)
    from c16_memory import rss_mb
    from gas_solver.solve import cores, kernels, modular
    from gas_solver.solve.multiset import GraphScenes

    c = a.complexity
    space, lim = default_space(c)
    counter = GraphScenes(space.count_model, lim["apo"], c)
    scenes = cores._CoreScenes(counter, cores.rooted_trees(counter, c))
    grouped, _ = kernels.group_cores(cores.cores(lim), c, by_complexity=True)
    family = [rep for rep, _ in grouped.values() if kernels.is_family(rep)][0]
    by_kernel = kernels.KernelScenes(scenes, c)
    counter.memo.max_bytes = min(counter.memo.max_bytes, cores.KERNEL_MEMO_BYTES)
    modular._WRAP_PASS_PRIMES = cores.KERNEL_WRAP_PASS_PRIMES
    gc.collect()
    before = rss_mb()
    cpu = time.process_time()
    with modular._one_blas_thread():
        found = by_kernel.kernel(family, by_complexity=True)
    out = {"complexity": [1, c], "family_cpu_s": round(time.process_time() - cpu, 2),
           "rss_before_mb": round(before), "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
           "integers_sha256": hashlib.sha256(repr(sorted(found.items())).encode()).hexdigest()[:16],
           "machine": {"cpus": os.cpu_count(), "load_average_at_end": os.getloadavg()}}
    print(json.dumps(out, indent=1))
    if a.out:
        (ROOT / "benchmarks" / "results" / a.out).write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
