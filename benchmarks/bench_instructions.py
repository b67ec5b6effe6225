"""Two source trees, A and B: CPU instructions per sampled scene and per written row, counted by Valgrind.

Wall and CPU time on a shared machine move by 15-30 % from one minute to the next, which hides a
5 % change however many trials are taken (``bench_ab.py`` shows the spread).  The number of
instructions a piece of work executes does not depend on what else the machine is doing: Valgrind's
``cachegrind`` tool counts them exactly (``I refs``), so a ratio of counts is a measure of the code
alone.  It is not a measure of time (a cache miss costs more than an addition), which is why
``bench_ab.py`` stays the wall-clock check; but for a pure-Python or Cython loop the two track each
other closely, and the count is the one that can show a 5 % bar.

Each tree runs the same script three times under ``valgrind --tool=cachegrind --cache-sim=no``:

* ``base``: imports, taxonomy, sampler set-up, one warm-up chunk drawn and realized (the lazy tables);
* ``draw``: the same, then ``--chunks`` chunks of 4,096 scenes drawn (``Sampler.sample_chunk``);
* ``rows``: the same, then those chunks drawn and written as the JSON lines ``gas sample`` writes.

``(draw - base) / scenes`` is the instruction count of one draw and ``(rows - base) / scenes`` of one
written row (draw, caption and questions).  A fourth run, ``cli``, counts ``gas sample -n N -o FILE``
as a user runs it, start-up included.  ``PYTHONHASHSEED`` is fixed so both trees hash alike, and the
cyclic collector is paused in the measured loop as ``gas sample`` pauses it.

    python benchmarks/bench_instructions.py A=/path/to/old B=.
    python benchmarks/bench_instructions.py --constraints constraints/seed_graph.toml A=/tmp/old B=.

A tree is a folder holding ``gas_solver``: a checkout (pure Python) or a copy compiled in place.
Results go to ``benchmarks/results/bench_instructions.json`` with both trees' commits and the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_ab import SAMPLER_SETUP, commit_of  # benchmarks/bench_ab.py, the script's folder
from provenance import provenance  # benchmarks/provenance.py, the script's folder

HERE = Path(__file__).resolve().parent
CHUNK = 4096

#: argv[4] is "base", "draw" or "rows", argv[5] the chunks; the set-up is bench_ab.py's
SCRIPT = SAMPLER_SETUP + r"""
what, chunks = sys.argv[4], int(sys.argv[5])
sink = open(os.devnull, "wb")
gc.collect()
gc.disable()
if what != "base":
    for c in range(chunks):
        scenes = sampler.sample_chunk(seed, c, CHUNK)
        if what == "rows":
            for s in scenes:
                sink.write(realize_line(s, tax, seed=seed)[1])
gc.enable()
print(describe())
"""

#: `gas sample` as a user runs it, from the tree in argv[1]
CLI = r"""
import sys
tree = sys.argv[1]
sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f).lower()]
sys.path.insert(0, tree)
from gas_solver.cli.main import cli
cli(sys.argv[2:])
"""


def instructions(argv: list[str]) -> tuple[int, str]:
    """Run ``argv`` under cachegrind; return the instructions it executed and its standard output."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=no", f"--cachegrind-out-file={tmp}/cg.out", *argv]
        env = {**os.environ, "PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd="/")
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(argv[:3])} failed:\n{proc.stderr[-3000:]}")
        found = re.search(r"I\s+refs:\s+([\d,]+)", proc.stderr)
        if not found:
            raise SystemExit(f"no instruction count in valgrind's output:\n{proc.stderr[-2000:]}")
        return int(found.group(1).replace(",", "")), proc.stdout.strip()


def measure_tree(tree: str, constraints: str, seed: int, chunks: int, cli_rows: int) -> dict:
    tree = str(Path(tree).resolve())
    counts, build = {}, ""
    for what in ("base", "draw", "rows"):
        counts[what], build = instructions([sys.executable, "-c", SCRIPT, tree, constraints, str(seed), what,
                                            str(chunks)])
        print(f"  {Path(tree).name} {what}: {counts[what]:,} instructions", flush=True)
    scenes = chunks * CHUNK
    entry = {"path": tree, "commit": commit_of(tree), "build": build, "raw": counts,
             "draw_instructions_per_scene": round((counts["draw"] - counts["base"]) / scenes),
             "row_instructions_per_scene": round((counts["rows"] - counts["base"]) / scenes)}
    if cli_rows:
        with tempfile.TemporaryDirectory() as tmp:
            argv = [sys.executable, "-c", CLI, tree, "sample", "-n", str(cli_rows), "--seed", str(seed),
                    "-o", f"{tmp}/rows.jsonl"]
            if constraints:
                argv.insert(5, constraints)  # gas sample FILE -n N ...
            entry["cli_instructions"], _ = instructions(argv)
        print(f"  {Path(tree).name} gas sample -n {cli_rows}: {entry['cli_instructions']:,} instructions", flush=True)
    return entry


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("trees", nargs=2, help="LABEL=PATH twice: the baseline A, then B")
    ap.add_argument("--chunks", type=int, default=1, help="chunks of 4,096 scenes in the measured loop")
    ap.add_argument("--cli-rows", type=int, default=4096, help="rows for the `gas sample` run (0: skip it)")
    ap.add_argument("--constraints", default="", help="a constraint file (default: each tree's embedded one)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=str(HERE / "results" / "bench_instructions.json"))
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    (la, ta), (lb, tb) = (t.split("=", 1) for t in args.trees)
    constraints = str(Path(args.constraints).resolve()) if args.constraints else ""
    trees = {}
    for label, tree in ((la, ta), (lb, tb)):
        print(f"{label} = {tree}", flush=True)
        trees[label] = measure_tree(tree, constraints, args.seed, args.chunks, args.cli_rows)
    ratios = {}
    for key in ("draw_instructions_per_scene", "row_instructions_per_scene", "cli_instructions"):
        if key in trees[la]:
            ratios[key] = round(trees[lb][key] / trees[la][key], 4)
            print(f"{key}: {la} {trees[la][key]:,}, {lb} {trees[lb][key]:,}; {lb}/{la} = {ratios[key]}")
    report = {"scenes_measured": args.chunks * CHUNK, "cli_rows": args.cli_rows,
              "constraints": args.constraints or "embedded default", "provenance": provenance(), "trees": trees,
              "ratios_b_over_a": ratios}
    Path(args.out).parent.mkdir(exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
