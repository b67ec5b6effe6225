"""What asking for repeated-objects strata costs on the embedded default file.

Fresh processes, alternated (``--trials`` each): the file's own law, then complexity:equal with
``repeats = {repeated = 1, distinct = D}``; each reports process CPU seconds of set-up (``Sampler(...)``),
of the first 8,192 draws and the warm rate of the next 16,384, and the share of repeated scenes drawn.

    python benchmarks/bench_repeats_law.py --trials 2 --distinct 9
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = r"""
import json, sys, time
from gas_solver.constraints import load_default_constraints
from gas_solver.taxonomy import load_taxonomy
from gas_solver.solve.sample import Sampler, sampling_law
tax = load_taxonomy(None); spec = load_default_constraints(tax)
d = int(sys.argv[1])
strata = None if d < 0 else {"complexity": "equal", "repeats": {"repeated": 1, "distinct": d}}
dist, st = sampling_law(spec, None, strata)
t = time.process_time()
s = Sampler(spec, tax, distribution=dist, strata=st)
t1 = time.process_time()
s.sample(8192, seed=1)
t2 = time.process_time()
b = s.sample(16384, seed=2)
t3 = time.process_time()
repeated = sum(len({o.concept for o in x.objects}) < len(x.objects) for x in b)
print(json.dumps({"setup_s": round(t1 - t, 2), "first_8192_s": round(t2 - t1, 2),
                  "warm_per_s": round(16384 / (t3 - t2)), "repeated_share": round(repeated / len(b), 4)}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=2)
    ap.add_argument("--distinct", type=int, default=9, help="distinct share for a repeated share of 1")
    ap.add_argument("--tree", default=str(Path(__file__).resolve().parent.parent))
    args = ap.parse_args()
    env = dict(os.environ, PYTHONPATH=str(Path(args.tree).resolve()))
    out: dict = {"default": [], f"repeats 1:{args.distinct}": []}
    for _ in range(args.trials):
        for name, d in (("default", -1), (f"repeats 1:{args.distinct}", args.distinct)):
            res = subprocess.run([sys.executable, "-c", SCRIPT, str(d)], env=env, capture_output=True, text=True,
                                 check=True, cwd="/")
            out[name].append(json.loads(res.stdout.strip().splitlines()[-1]))
            print(name, out[name][-1], flush=True)
    path = Path(__file__).with_name("results") / "bench_repeats_law.json"
    path.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
