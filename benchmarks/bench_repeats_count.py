"""Count time of the repeated-objects strata on the embedded default file, against a baseline tree.

The "distinct" stratum is the default file with ``repeat_objects = false`` (Möbius inversion over the objects'
set partitions); "repeated" is the rest.  Each tree counts that file in a fresh process (process CPU time);
the new tree also counts ``--by repeats``.

    python benchmarks/bench_repeats_count.py base=/tmp/base-tree new=.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = r"""
import dataclasses, json, time
from gas_solver.constraints import load_default_constraints
from gas_solver.taxonomy import load_taxonomy
from gas_solver.solve.count import count_scenes
tax = load_taxonomy(None)
spec = load_default_constraints(tax)
distinct = dataclasses.replace(spec, bounds=dataclasses.replace(spec.bounds, repeat_objects=False))
t = time.process_time()
n = count_scenes(distinct, tax)
out = {"distinct": str(n), "distinct_cpu_s": round(time.process_time() - t, 2)}
print(json.dumps(out))
"""


def run(tree: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(Path(tree).resolve()))
    # (from /, so that no checkout in the working directory shadows the tree under test)
    res = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True,
                         cwd="/")
    return json.loads(res.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> None:
    trees = dict(a.split("=", 1) for a in argv) or {"new": "."}
    results = {name: run(tree) for name, tree in trees.items()}
    for name, r in results.items():
        print(f"{name}: distinct count {r['distinct_cpu_s']} s CPU ({r['distinct']} scenes)")
    if len({r["distinct"] for r in results.values()}) != 1:
        raise SystemExit("the trees disagree on the count")
    out = Path(__file__).with_name("results") / "bench_repeats_count.json"
    out.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
