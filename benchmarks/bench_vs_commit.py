"""Throughput of this tree against another checkout (e.g. a base commit), measured in the same run.

Both trees run the same child processes, interleaved round-robin, best of ``--repeats``, CPU time
(user + system of the child): in-process sampling of the default constraint file (scene objects
only), and ``gas sample -n N -o FILE`` end to end (caption and questions) net of a ``-n 1`` start-up.
Each tree uses its own embedded default taxonomy and constraint file, so this is "the default
before" against "the default now".

    git worktree add /tmp/base d9652c3
    python benchmarks/bench_vs_commit.py --base /tmp/base --scenes 20000 --repeats 3

Writes benchmarks/results/vs_commit.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "results" / "vs_commit.json"

SAMPLE = """
import resource, sys
from gas_solver.constraints import load_default_constraints
from gas_solver.solve.sample import sample_scenes
from gas_solver.taxonomy import load_taxonomy
tax = load_taxonomy(); spec = load_default_constraints(tax)
sample_scenes(spec, tax, 100, seed=1)
t0 = resource.getrusage(resource.RUSAGE_SELF); t0 = t0.ru_utime + t0.ru_stime
sample_scenes(spec, tax, int(sys.argv[1]), seed=0)
t1 = resource.getrusage(resource.RUSAGE_SELF); print(t1.ru_utime + t1.ru_stime - t0)
"""


def _child_cpu(cmd: list[str], tree: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(tree))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, cwd=tree)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def _sample_rate(tree: Path, n: int) -> float:
    env = dict(os.environ, PYTHONPATH=str(tree))
    out = subprocess.run([sys.executable, "-c", SAMPLE, str(n)], env=env, check=True, capture_output=True,
                         text=True, cwd=tree)
    return n / float(out.stdout.strip())


def _e2e_rate(tree: Path, n: int) -> float:
    with tempfile.TemporaryDirectory() as d:
        gas = [sys.executable, "-c", "import sys; from gas_solver.cli.main import cli; sys.argv[0] = 'gas'; cli()"]
        full = _child_cpu(gas + ["sample", "-n", str(n), "--seed", "0", "-o", f"{d}/a.jsonl"], tree)
        start = _child_cpu(gas + ["sample", "-n", "1", "--seed", "0", "-o", f"{d}/b.jsonl"], tree)
    return (n - 1) / max(full - start, 1e-9)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", type=Path, required=True, help="the other checkout (its repository root)")
    ap.add_argument("--scenes", type=int, default=20000)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    trees = {"base": args.base.resolve(), "this": HERE.parent}
    best: dict = {k: {"sample": 0.0, "end_to_end": 0.0} for k in trees}
    for _ in range(args.repeats):
        for name, tree in trees.items():
            best[name]["sample"] = max(best[name]["sample"], _sample_rate(tree, 5 * args.scenes))
            best[name]["end_to_end"] = max(best[name]["end_to_end"], _e2e_rate(tree, args.scenes))
        print(best, flush=True)
    ratio = {k: round(best["this"][k] / best["base"][k], 3) for k in ("sample", "end_to_end")}
    result = {"scenes": args.scenes, "repeats": args.repeats, "base": str(args.base), "rates": best,
              "ratio_this_over_base": ratio}
    print(json.dumps(result, indent=2))
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
