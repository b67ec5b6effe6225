"""Realizer throughput: sampling to JSON lines with and without captions and question sets.

Runs on ONE core (the process is pinned to one CPU and numerical libraries to one
thread) over the embedded default constraint file (complexity 3-8) and taxonomy:

* ``sample``: ``Sampler.sample_chunk`` only;
* ``sample -> jsonl``: plus ``scene_to_dict`` + orjson, the plain `gas sample` row (the baseline),
  written to ``/dev/null`` (serialisation, not disk speed, is measured);
* ``sample -> jsonl + caption``;
* ``sample -> jsonl + questions``;
* ``sample -> jsonl + caption + questions``: the full row as dicts (`realize_scene`) + orjson;
* the same row through ``realize_line`` (the path
  `gas sample` takes; the same bytes);
* the same with ``negatives=False, multiple_choice=False`` (one yes-question per element);
* ``realize only``: the full row from already-sampled scenes (no sampling in the timing), by
  ``realize_scene`` + orjson and by ``realize_line``;
* ``gas sample -n N -o FILE``: the real command in a child process (same core), plain rows
  (``--no-caption --no-qa``) and the default rows; its CPU time (user + system, from
  ``getrusage(RUSAGE_CHILDREN)``) includes interpreter start-up, imports, loading the taxonomy,
  the sampler set-up and building the realizers' tables, so it is also shown per scene after
  subtracting a ``-n 1`` run (the first scene builds the sampler's and realizers' tables) (``scenes_per_s_net``);
  with ``--baseline-src DIR`` also with the package from DIR (before/after a change, in one run).

Each configuration runs ``--repeats`` times on the same scenes, round-robin; the best CPU time
(``time.process_time``, this single-threaded process on one core) is the headline,
wall time is shown next to it (the machine is shared, so the minimum is the least
disturbed run).
Scenes/s and the ratio to the plain baseline go to a table on stdout and to
``benchmarks/results/realize.json``.

Runs are kept by ``--label`` under ``"runs"`` in the results file (the latest run also at the top
level), so a before/after pair of one change sits in one file; each run's ratios are against
its own baseline.

``--compile`` measures the compiled build (what ``pip install .`` gives where a C compiler
exists, see ``gas_solver/compiled.py``): it compiles a copy of this checkout in a temporary
folder and runs everything with ``gas_solver`` from there, with this checkout's pure-Python
source as the ``--baseline-src`` of the command rows (same run, same core).

Usage::

    python benchmarks/bench_realize.py [--scenes 20000] [--repeats 3] [--label after] [--out FILE]
                                      [--baseline-src DIR] [--src DIR | --compile]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


sys.path.insert(0, str(Path(__file__).resolve().parent))
from compiled_copy import BOOT as _BOOT, build_of as _build_of, import_from, rerun_compiled  # noqa: E402

if "--src" in sys.argv[:-1]:  # before the imports below
    import_from(sys.argv[sys.argv.index("--src") + 1])

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import orjson  # noqa: E402

from gas_solver.compiled import describe  # noqa: E402
from gas_solver.constraints import load_default_constraints  # noqa: E402
from gas_solver.realize import realize_line, realize_scene  # noqa: E402
from gas_solver.scene import Scene, scene_to_dict  # noqa: E402
from gas_solver.solve.sample import Sampler  # noqa: E402
from gas_solver.taxonomy import load_taxonomy  # noqa: E402
from provenance import provenance  # noqa: E402  (benchmarks/provenance.py, the script's folder)

RESULTS = Path(__file__).parent / "results" / "realize.json"





def fresh(scenes):
    """Copies without the cached canonical form, so every configuration pays for it."""
    return [Scene(s.objects, s.relations, s.scene_attributes, s.modality) for s in scenes]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenes", type=int, default=20000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--label", default="latest", help="name of this run in the results file's 'runs'")
    ap.add_argument("--out", type=Path, default=RESULTS, help="results file (runs with other labels are kept)")
    ap.add_argument("--baseline-src", default=None, metavar="DIR",
                    help="also time the command with gas_solver imported from DIR (e.g. an older revision: "
                         "git archive REV gas_solver | tar -x -C DIR), alternating with this checkout's")
    ap.add_argument("--src", default=None, metavar="DIR", help="import gas_solver from DIR (in-process rows and command)")
    ap.add_argument("--compile", action="store_true",
                    help="compile a copy of this checkout (temporary folder) and measure it, with this checkout's "
                         "pure Python as --baseline-src")
    args = ap.parse_args()
    if args.compile:
        sys.exit(rerun_compiled(sys.argv, [] if args.baseline_src else ["--baseline-src", str(ROOT)]))
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    tax = load_taxonomy()
    spec = load_default_constraints(tax)
    t0 = time.perf_counter()
    sampler = Sampler(spec, tax)
    setup_s = time.perf_counter() - t0
    chunk = 4096
    n_chunks = -(-args.scenes // chunk)

    def sample():
        out = []
        for c in range(n_chunks):
            out.extend(sampler.sample_chunk(args.seed, c, chunk))
        return out[: args.scenes]

    realize_scene(sample()[0], tax)  # build the per-taxonomy tables outside the timings
    # rows are serialised and written to /dev/null: the timing covers JSON lines, not the disk
    sink = open(os.devnull, "wb")

    def run_sample():
        sample()

    def run_plain():
        for s in sample():
            sink.write(orjson.dumps(scene_to_dict(s, tax)) + b"\n")

    def run_row(caption, qa, **qa_options):
        def go():
            for s in sample():
                sink.write(orjson.dumps(realize_scene(s, tax, seed=args.seed, caption=caption, qa=qa,
                                                      **qa_options)) + b"\n")
        return go

    def run_line():
        for s in sample():
            sink.write(realize_line(s, tax, seed=args.seed)[1])

    pre = sample()

    def run_realize_only():
        for s in fresh(pre):
            sink.write(orjson.dumps(realize_scene(s, tax, seed=args.seed)) + b"\n")

    def run_realize_line_only():
        for s in fresh(pre):
            sink.write(realize_line(s, tax, seed=args.seed)[1])

    configs = [
        ("sample", run_sample),
        ("sample -> jsonl (baseline)", run_plain),
        ("sample -> jsonl + caption", run_row(True, False)),
        ("sample -> jsonl + questions", run_row(False, True)),
        ("sample -> jsonl + caption + questions", run_row(True, True)),
        ("+ caption + questions by realize_line", run_line),
        ("... questions without foils and choices", run_row(True, True, negatives=False, multiple_choice=False)),
        ("realize only (caption + questions)", run_realize_only),
        ("realize only, by realize_line", run_realize_line_only),
    ]
    # repeats go round-robin over the configurations, so a burst of load from other jobs on the
    # shared cores hits every configuration alike instead of one configuration's repeats
    best_cpu = [float("inf")] * len(configs)
    best_wall = [float("inf")] * len(configs)
    for _ in range(args.repeats):
        for k, (name, fn) in enumerate(configs):
            w, c = time.perf_counter(), time.process_time()
            fn()
            best_cpu[k] = min(best_cpu[k], time.process_time() - c)
            best_wall[k] = min(best_wall[k], time.perf_counter() - w)
    rows = [{"config": name, "cpu_seconds": best_cpu[k], "wall_seconds": best_wall[k],
             "scenes_per_s": args.scenes / best_cpu[k], "scenes_per_wall_s": args.scenes / best_wall[k]}
            for k, (name, _) in enumerate(configs)]
    base = rows[1]["scenes_per_s"]
    for r in rows:
        r["ratio_to_baseline"] = r["scenes_per_s"] / base

    # -- the real command, end to end, in a child process pinned to the same core ----------------
    def child_cpu(argv: list[str], src: str | None = None) -> float:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-c", _BOOT, src or "", *argv],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    cli_rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "rows.jsonl")
        commands = [("gas sample -o FILE --no-caption --no-qa", ["--no-caption", "--no-qa"], args.src),
                    ("gas sample -o FILE (caption + questions)", [], args.src)]
        if args.baseline_src:
            commands += [(f"{name} [baseline: {_build_of(args.baseline_src)}]", flags, args.baseline_src)
                         for name, flags, _ in commands]
        best = {name: [float("inf"), float("inf")] for name, _, _ in commands}
        for _ in range(args.repeats):  # round-robin, for the same reason
            for name, flags, src in commands:
                opts = ["--seed", str(args.seed), "-o", out, *flags]
                best[name][0] = min(best[name][0], child_cpu(["sample", "-n", "1", *opts], src))
                best[name][1] = min(best[name][1], child_cpu(["sample", "-n", str(args.scenes), *opts], src))
        for name, _, _ in commands:
            start, cpu = best[name]
            cli_rows.append({"config": name, "cpu_seconds": cpu, "startup_cpu_seconds": start,
                             "scenes_per_s": args.scenes / cpu,
                             "scenes_per_s_net": args.scenes / max(cpu - start, 1e-9)})
    for r in cli_rows:
        plain = cli_rows[2 if r["config"].endswith("]") else 0]  # the plain command of the same source tree
        r["ratio_to_plain_command"] = r["scenes_per_s"] / plain["scenes_per_s"]

    n_q = sum(len(realize_scene(s, tax, caption=False)["questions"]) for s in pre[:2000]) / min(2000, len(pre))
    print(f"gas_solver: {describe()}; default constraints (complexity 3-8), {args.scenes} scenes, "
          f"best of {args.repeats}, one core; "
          f"sampler set-up {setup_s:.2f} s; {n_q:.1f} questions per scene")
    print(f"{'configuration':40s} {'scenes/CPU-s':>13s} {'scenes/wall-s':>14s} {'vs baseline':>12s}")
    for r in rows:
        print(f"{r['config']:40s} {r['scenes_per_s']:13.0f} {r['scenes_per_wall_s']:14.0f} "
              f"{r['ratio_to_baseline']:11.2f}x")
    print(f"{'end to end (child process, CPU)':40s} {'scenes/CPU-s':>13s} {'net of start':>14s} {'vs plain cmd':>12s}")
    for r in cli_rows:
        print(f"{r['config']:40s} {r['scenes_per_s']:13.0f} {r['scenes_per_s_net']:14.0f} "
              f"{r['ratio_to_plain_command']:11.2f}x   (start-up {r['startup_cpu_seconds']:.2f} CPU-s)")
    run = {
        "benchmark": "realize", "label": args.label, "scenes": args.scenes, "repeats": args.repeats,
        "seed": args.seed, "build": describe(), "src": args.src, "baseline_src": args.baseline_src,
        "baseline_build": _build_of(args.baseline_src) if args.baseline_src else None, "questions_per_scene": n_q,
        "sampler_setup_s": setup_s, "rows": rows,
        "command_rows": cli_rows,
        "timer": "time.process_time (CPU seconds of this process; the 2 cores are shared with other jobs)",
        "python": sys.version.split()[0], "machine": platform.machine(), "cpus_visible": os.cpu_count(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
    }
    runs = {}
    if args.out.exists():
        try:
            runs = json.loads(args.out.read_text()).get("runs", {})
        except ValueError:
            runs = {}
    runs[args.label] = {k: v for k, v in run.items() if k != "benchmark"}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({**run, "provenance": provenance(), "runs": runs}, indent=2) + "\n")
    tmp.replace(args.out)
    print(f"wrote {args.out} (run {args.label!r})")


if __name__ == "__main__":
    main()
