"""Two source trees, A and B, side by side: sampling and row writing in process, alternated, best of N.

On a shared machine a run of a benchmark can take twice as long as the next for reasons that have
nothing to do with the code.  Comparing two versions therefore needs (1) both measured in the same
minutes, (2) many short trials rather than a few long ones, and (3) a statistic that ignores
disturbed trials.  This script starts one long-lived worker process per tree, each with its sampler
and realizer tables built (set-up is not timed), then asks them in turn (A B B A, A B B A, ...) to

* ``draw``: sample ``--chunks`` chunks of 4,096 scenes (``Sampler.sample_chunk``), and
* ``rows``: sample the same chunks and write each scene as the JSON line ``gas sample`` writes
  (``realize_line``: caption and questions),

timing each trial in CPU seconds of the worker (``time.process_time``), with the cyclic garbage
collector paused during the trial as ``gas sample`` pauses it (older trees paused it inside
``sample_chunk``, newer ones at the loop's edge: the same policy for both).  Only one worker runs at a
time.  The report gives, per measure, each tree's best trial (the least disturbed one) in scenes/s,
the ratio B/A of the bests, and the median and range of the ratios of paired trials (A and B timed
next to each other).  Results go to ``benchmarks/results/bench_ab.json`` with both trees' commits
and the machine.

    python benchmarks/bench_ab.py --trials 15 A=/path/to/old B=.
    python benchmarks/bench_ab.py --constraints constraints/seed_graph.toml A=/tmp/old B=.

A tree is a folder holding ``gas_solver``: a checkout (pure Python) or a copy compiled in place
(``GAS_COMPILE_INPLACE=1 python setup.py build_ext --inplace`` inside it).  The constraint file is
read by each tree's own parser; omit it for the embedded default file of each tree.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

from provenance import provenance  # benchmarks/provenance.py, the script's folder

HERE = Path(__file__).resolve().parent

#: one worker: imports gas_solver from the tree in argv[1], then answers "draw K" / "rows K" lines on stdin
#: with the CPU seconds the work took
#: imports gas_solver from the tree in argv[1] (never the installed one), builds the sampler of the constraint
#: file in argv[2] (empty: the tree's embedded default) and draws and realizes one warm-up chunk with the seed in
#: argv[3], so that the sampler's and the realizers' lazy tables are built; shared with bench_instructions.py
SAMPLER_SETUP = r"""
import gc, os, sys, time
tree, constraints, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f).lower()]
sys.path.insert(0, tree)
import gas_solver
assert gas_solver.__file__.startswith(tree), gas_solver.__file__
from gas_solver.compiled import describe
from gas_solver.constraints import load_default_constraints, parse_constraints
from gas_solver.realize import realize_line
from gas_solver.solve.sample import Sampler
from gas_solver.taxonomy import load_taxonomy
tax = load_taxonomy()
spec = parse_constraints(constraints, tax) if constraints else load_default_constraints(tax)
sampler = Sampler(spec, tax)
CHUNK = 4096
for s in sampler.sample_chunk(seed + 1, 0, CHUNK):
    realize_line(s, tax, seed=seed)
"""
WORKER = SAMPLER_SETUP + r"""
sink = open(os.devnull, "wb")
print(describe(), flush=True)
for line in sys.stdin:
    what, k = line.split()
    gc.collect()
    gc.disable()  # both trees under one collector policy: paused in the loop, as `gas sample` runs it
    t = time.process_time()
    for c in range(int(k)):
        scenes = sampler.sample_chunk(seed, c, CHUNK)
        if what == "rows":
            for s in scenes:
                sink.write(realize_line(s, tax, seed=seed)[1])
    took = time.process_time() - t
    gc.enable()
    print(took, flush=True)
"""


class Worker:
    """A long-lived process running one tree's sampler; ``time(what, k)`` returns CPU seconds."""

    def __init__(self, tree: str, constraints: str, seed: int):
        self.proc = subprocess.Popen([sys.executable, "-c", WORKER, str(Path(tree).resolve()), constraints,
                                      str(seed)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     cwd="/")
        self.build = self.proc.stdout.readline().strip()

    def time(self, what: str, k: int) -> float:
        self.proc.stdin.write(f"{what} {k}\n")
        self.proc.stdin.flush()
        return float(self.proc.stdout.readline())

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()


def commit_of(tree: str) -> str | None:
    out = subprocess.run(["git", "-C", tree, "rev-parse", "HEAD"], capture_output=True, text=True)
    return out.stdout.strip() or None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("trees", nargs=2, help="LABEL=PATH twice: the baseline A, then B")
    ap.add_argument("--trials", type=int, default=15, help="trials per tree and measure")
    ap.add_argument("--chunks", type=int, default=2, help="chunks of 4,096 scenes per trial")
    ap.add_argument("--constraints", default="", help="a constraint file (default: each tree's embedded one)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=str(HERE / "results" / "bench_ab.json"))
    args = ap.parse_args()
    (la, ta), (lb, tb) = (t.split("=", 1) for t in args.trees)
    constraints = str(Path(args.constraints).resolve()) if args.constraints else ""
    workers = {la: Worker(ta, constraints, args.seed), lb: Worker(tb, constraints, args.seed)}
    n = args.chunks * 4096
    times = {m: {la: [], lb: []} for m in ("draw", "rows")}
    for trial in range(args.trials):
        order = (la, lb, lb, la) if trial % 2 == 0 else (lb, la, la, lb)
        for measure in ("draw", "rows"):
            got = {la: [], lb: []}
            for label in order:
                got[label].append(workers[label].time(measure, args.chunks))
            for label in (la, lb):
                times[measure][label].append(min(got[label]))
        print(f"trial {trial + 1}/{args.trials}: " + ", ".join(
            f"{m} {la} {n / times[m][la][-1]:,.0f}/s {lb} {n / times[m][lb][-1]:,.0f}/s" for m in times), flush=True)
    report = {"scenes_per_trial": n, "trials": args.trials, "constraints": args.constraints or "embedded default",
              "provenance": provenance(),
              "trees": {label: {"path": str(Path(tree).resolve()), "commit": commit_of(tree),
                                "build": workers[label].build} for label, tree in ((la, ta), (lb, tb))},
              "measures": {}}
    for w in workers.values():
        w.close()
    for measure, t in times.items():
        paired = [a / b for a, b in zip(t[la], t[lb])]  # B's speed over A's, trial by trial
        entry = {f"{label}_best_scenes_per_s": round(n / min(t[label])) for label in (la, lb)}
        entry["ratio_of_bests"] = round(min(t[la]) / min(t[lb]), 3)
        entry["paired_ratio_median"] = round(statistics.median(paired), 3)
        entry["paired_ratio_range"] = [round(min(paired), 3), round(max(paired), 3)]
        report["measures"][measure] = entry
        print(f"{measure}: {la} {entry[f'{la}_best_scenes_per_s']:,}/s, {lb} {entry[f'{lb}_best_scenes_per_s']:,}/s "
              f"(best of {args.trials}); {lb}/{la} = {entry['ratio_of_bests']} (bests), "
              f"{entry['paired_ratio_median']} (median of paired trials, range "
              f"{entry['paired_ratio_range'][0]}-{entry['paired_ratio_range'][1]})")
    Path(args.out).parent.mkdir(exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
