"""Issue 14's throughput bar for the default file (``setting = "fitting"``): within 10 % of a baseline tree.

The bar: "Sampling and end-to-end throughput stay within 10 % of today's, measured before and after in the
same run" — today's being the tree before the fitting union (d9492e7, default file ``setting = "outdoor"``).
Each trial runs, for the baseline tree and the new tree in turn (A B B A, ...), fresh processes that measure
in CPU seconds:

* ``cold``: ``Sampler.sample(20000)`` with the file's own law (its ``[sampling]`` section) right after the
  sampler is built (the lazily built tables included, as a short ``gas sample`` run meets them);
* ``warm``: the next 40,000 draws of the same sampler (``sample(40000, seed=1)``);
* ``cli``: ``gas sample -n 20000 --seed 0 -o FILE`` (captions and questions), the child's CPU time.

Reported per measure: each tree's median scenes per CPU second, and the median and range of the paired
ratios new/base (the two trees timed next to each other).  The bar is met when every median ratio is at
least 0.90.  Results go to ``benchmarks/results/bench_fitting_union.json``.

    git worktree add --detach /tmp/d94 d9492e7
    flock /tmp/bench.lock python benchmarks/bench_fitting_union.py --trials 5 base=/tmp/d94 new=.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from provenance import provenance  # benchmarks/provenance.py, the script's folder

HERE = Path(__file__).resolve().parent
BAR = 0.90
#: one trial of the in-process measures; prints "cold SECONDS" and "warm SECONDS"
DRAW = """
import sys, time
tree = sys.argv[1]
sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f).lower()]
sys.path.insert(0, tree)
import gas_solver
assert gas_solver.__file__.startswith(tree), gas_solver.__file__
from gas_solver.constraints import load_default_constraints
from gas_solver.solve.sample import Sampler
from gas_solver.taxonomy import load_taxonomy
tax = load_taxonomy()
spec = load_default_constraints(tax)
try:
    from gas_solver.solve.sample.law import sampling_law
    dist, strata = sampling_law(spec)
except ImportError:  # trees before [sampling]
    dist, strata = "stratified", {"complexity": "equal"}
s = Sampler(spec, tax, distribution=dist, strata=strata)
t = time.process_time()
s.sample(20000, seed=0)
print("cold", time.process_time() - t)
t = time.process_time()
s.sample(40000, seed=1)
print("warm", time.process_time() - t)
"""
BOOT = ("import sys; sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f).lower()]; "
        "src = sys.argv.pop(1); sys.path.insert(0, src); import gas_solver; "
        "assert gas_solver.__file__.startswith(src), gas_solver.__file__; from gas_solver.cli.main import cli; cli()")
SCENES = {"cold": 20000, "warm": 40000, "cli": 20000}


def trial(tree: str, out_dir: str) -> dict:
    """Scenes per CPU second of each measure for one tree (fresh processes)."""
    res = subprocess.run([sys.executable, "-c", DRAW, tree], capture_output=True, text=True, check=True, cwd="/")
    secs = {k: float(v) for k, v in (line.split() for line in res.stdout.splitlines())}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-c", BOOT, tree, "sample", "-n", "20000", "--seed", "0", "-o",
                    f"{out_dir}/s.jsonl"], check=True, capture_output=True, cwd="/")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    secs["cli"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {k: SCENES[k] / v for k, v in secs.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("trees", nargs=2, help="base=PATH new=PATH")
    ap.add_argument("--trials", type=int, default=5)
    ap.add_argument("--out", default=str(HERE / "results" / "bench_fitting_union.json"))
    args = ap.parse_args()
    (base_name, base), (new_name, new) = (t.split("=", 1) for t in args.trees)
    base, new = str(Path(base).resolve()), str(Path(new).resolve())
    rates: dict = {base_name: [], new_name: []}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.trials):
            order = [(base_name, base), (new_name, new)]
            if i % 2:
                order.reverse()
            for name, tree in order:
                rates[name].append(trial(tree, tmp))
            b, n = rates[base_name][-1], rates[new_name][-1]
            print(f"trial {i + 1}: " + "  ".join(f"{k} {b[k]:,.0f} -> {n[k]:,.0f} ({n[k] / b[k]:.2f})" for k in SCENES),
                  flush=True)
    report = {"trees": {base_name: provenance(base), new_name: provenance(new)}, "trials": args.trials,
              "bar": f"every median ratio {new_name}/{base_name} >= {BAR}", "measures": {}}
    met = True
    for k in SCENES:
        ratios = [n[k] / b[k] for b, n in zip(rates[base_name], rates[new_name])]
        med = statistics.median(ratios)
        met &= med >= BAR
        report["measures"][k] = {
            "scenes": SCENES[k],
            f"{base_name}_median_per_cpu_s": statistics.median(r[k] for r in rates[base_name]),
            f"{new_name}_median_per_cpu_s": statistics.median(r[k] for r in rates[new_name]),
            "ratio_median": med, "ratio_min": min(ratios), "ratio_max": max(ratios)}
        print(f"{k:5s} {base_name} {report['measures'][k][f'{base_name}_median_per_cpu_s']:>9,.0f}/s  "
              f"{new_name} {report['measures'][k][f'{new_name}_median_per_cpu_s']:>9,.0f}/s  "
              f"ratio median {med:.3f} (range {min(ratios):.3f}-{max(ratios):.3f})")
    report["bar_met"] = met
    print(f"bar (every median ratio >= {BAR}): {'MET' if met else 'NOT MET'}")
    Path(args.out).write_text(json.dumps(report, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
