"""``gas sample`` and ``gas build`` as a user runs them, for several source trees, interleaved.

Each tree is a folder holding a ``gas_solver`` package (a checkout, or a copy compiled in place
with ``GAS_COMPILE_INPLACE=1 python setup.py build_ext --inplace``).  Every repeat runs each
command once per tree, round-robin, so that the machine's load falls on all trees alike; the
report gives the median and the spread (min-max) of the repeats, wall and child CPU time.

Run (under the benchmark lock on a shared machine):

    python benchmarks/bench_versions.py --repeats 5 base=/tmp/base new=.

Commands timed: ``gas sample -n 20000 --seed 0 -o FILE`` (captions and questions, the default),
``gas sample -n 1`` (start-up) and ``gas build -n 20000 --shard-size 5000 -o DIR`` (one worker); and
sampling alone, ``Sampler.sample`` of 81,920 scenes in one process (CPU time, after a warm-up chunk) on
the default file and on ``constraints/seed_graph.toml`` (global constraints: marked matches, rejection).
Writes ``benchmarks/results/bench_versions.json`` with the trees' commits and the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from provenance import provenance  # benchmarks/provenance.py, the script's folder

HERE = Path(__file__).resolve().parent
BOOT = "import sys; sys.path.insert(0, sys.argv.pop(1)); from gas_solver.cli.main import cli; cli()"
#: sampling alone, in one process: CPU seconds of Sampler.sample for the default file and a file with global
#: constraints (marked matches, rejection), after a warm-up chunk; prints "name seconds" lines
DRAW = """
import sys, time
sys.path.insert(0, sys.argv.pop(1))
from pathlib import Path
from gas_solver.constraints import load_default_constraints, parse_constraints
from gas_solver.solve.sample import Sampler
from gas_solver.taxonomy import load_taxonomy
tax = load_taxonomy()
n = int(sys.argv[1])
for name, spec in (("default", load_default_constraints(tax)),
                   ("seed_graph", parse_constraints(Path(sys.argv[2]) / "seed_graph.toml", tax))):
    s = Sampler(spec, tax)
    s.sample(4096, seed=99)
    c = time.process_time()
    s.sample(n, seed=1)
    print(name, time.process_time() - c)
"""


def run(tree: str, args: list[str]) -> tuple[float, float]:
    """(wall s, child CPU s) of one ``gas`` command run from ``tree``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    env = dict(os.environ, PYTHONPATH=tree)
    subprocess.run([sys.executable, "-c", BOOT, tree, *args], check=True, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def draw_seconds(tree: str, n: int) -> dict:
    """CPU seconds of ``Sampler.sample(n)`` per file, in a fresh process running ``tree``."""
    out = subprocess.run([sys.executable, "-c", DRAW, tree, str(n), str(HERE.parent / "constraints")], check=True,
                         capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=tree)).stdout
    return {name: float(sec) for name, sec in (line.split() for line in out.strip().splitlines())}


def describe(tree: str) -> dict:
    env = dict(os.environ, PYTHONPATH=tree)
    version = subprocess.run([sys.executable, "-c", BOOT, tree, "--version"], capture_output=True, text=True,
                             env=env).stdout.strip()
    commit = subprocess.run(["git", "-C", tree, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    return {"path": str(Path(tree).resolve()), "version": version, "commit": commit or None}


def summary(values: list[float]) -> dict:
    return {"median": round(statistics.median(values), 3), "min": round(min(values), 3),
            "max": round(max(values), 3), "all": [round(v, 3) for v in values]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("trees", nargs="+", help="LABEL=PATH of a folder holding gas_solver")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("-n", type=int, default=20000)
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--out", default=str(HERE / "results" / "bench_versions.json"))
    args = ap.parse_args()
    trees = dict(t.split("=", 1) for t in args.trees)
    commands = {"sample": ["sample", "-n", str(args.n), "--seed", "0", "-o", "{tmp}/s.jsonl"],
                "startup": ["sample", "-n", "1", "--seed", "0", "-o", "{tmp}/one.jsonl"]}
    if not args.no_build:
        commands["build"] = ["build", "-n", str(args.n), "--seed", "0", "--shard-size", "5000", "-o", "{tmp}/b"]
    times = {label: {c: {"wall": [], "cpu": []} for c in commands} for label in trees}
    draws = {label: {} for label in trees}
    draw_n = 20 * 4096
    for r in range(args.repeats):
        for label, tree in trees.items():
            for cname, cmd in commands.items():
                with tempfile.TemporaryDirectory() as tmp:
                    wall, cpu = run(tree, [a.replace("{tmp}", tmp) for a in cmd])
                times[label][cname]["wall"].append(wall)
                times[label][cname]["cpu"].append(cpu)
            for name, sec in draw_seconds(tree, draw_n).items():
                draws[label].setdefault(name, []).append(draw_n / sec)
            print(f"repeat {r + 1}: {label}: " + ", ".join(f"{c} {t['wall'][-1]:.2f} s" for c, t in times[label].items()),
                  flush=True)
    n = args.n
    report = {"n": n, "repeats": args.repeats, "provenance": provenance(), "trees": {}}
    for label, tree in trees.items():
        t = times[label]
        entry = {**describe(tree), "seconds": {c: {k: summary(v) for k, v in t[c].items()} for c in commands}}
        # what a user sees: scenes (rows) per second of wall time, start-up included
        entry["sample_scenes_per_s_wall"] = summary([n / w for w in t["sample"]["wall"]])
        entry["sample_scenes_per_s_cpu_net"] = summary(
            [n / max(1e-9, c - s) for c, s in zip(t["sample"]["cpu"], t["startup"]["cpu"])])
        if "build" in t:
            entry["build_rows_per_s_wall"] = summary([n / w for w in t["build"]["wall"]])
            entry["build_rows_per_s_cpu"] = summary([n / c for c in t["build"]["cpu"]])
        entry["sampling_scenes_per_s_cpu"] = {name: summary(v) for name, v in draws[label].items()}
        report["trees"][label] = entry
        print(f"{label} ({entry['version']}): gas sample {entry['sample_scenes_per_s_wall']['median']:,.0f} scenes/s "
              f"wall (spread {entry['sample_scenes_per_s_wall']['min']:,.0f}-{entry['sample_scenes_per_s_wall']['max']:,.0f}), "
              f"start-up {entry['seconds']['startup']['wall']['median']:.2f} s"
              + (f"; gas build {entry['build_rows_per_s_wall']['median']:,.0f} rows/s wall" if "build" in t else "")
              + "; sampling " + ", ".join(f"{k} {v['median']:,.0f}/s CPU" for k, v in entry["sampling_scenes_per_s_cpu"].items()))
    Path(args.out).parent.mkdir(exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
