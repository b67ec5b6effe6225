"""Benchmark ``gas build``: throughput with 1 and 2 workers, peak memory, bytes per scene.

Builds N scenes of the embedded default constraint file (captions and question
sets, Parquet shards, card) once per worker count, each as a fresh ``gas build``
process, and measures

* wall time and scenes/s of the whole command (start-up, sampler, pilot, parts, card),
* peak memory: the largest sum of resident memory over the build's process tree (driver +
  workers), sampled from /proc (RSS every 50 ms, PSS every 2 s),
* output bytes per scene (all shards),

against a baseline in the same run: sampling + realizing the same kind of scenes in
one process with no dataset machinery (no splitting, statistics, encoding or files).
``build/baseline`` is the share of throughput the machinery keeps; the 2-worker
speed-up is measured against the 1-worker build of the same run.  Both builds must
produce identical shards (compared by their SHA-256 in the manifests).

Usage::

    python benchmarks/bench_build.py            # N = 100,000
    python benchmarks/bench_build.py --full     # N = 1,000,000
    python benchmarks/bench_build.py -n 20000 --workers 1,2,4
    python benchmarks/bench_build.py --full --compile   # the compiled build (what `pip install .` gives)

``--compile`` compiles a copy of this checkout in a temporary folder (``compiled_copy.py``) and
measures that (``--src DIR``: gas_solver from DIR); otherwise the checkout's own (editable,
pure-Python) install is measured.  The build is recorded in the results.

Writes ``benchmarks/results/bench_build.json`` (``--out PATH`` for another file).
Targets (issue 6): >= 10,000 scenes/s per worker, >= 1.7x with 2 workers, peak memory < 1 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "bench_build.json"

sys.path.insert(0, str(ROOT / "benchmarks"))
from compiled_copy import BOOT, build_of, import_from, rerun_compiled  # noqa: E402
from provenance import provenance  # noqa: E402  (benchmarks/provenance.py, the script's folder)

if "--src" in sys.argv[:-1]:  # before gas_solver is imported
    import_from(sys.argv[sys.argv.index("--src") + 1])


def _children(pid: int) -> list[int]:
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return out


def _tree(pid: int) -> list[int]:
    """A process and all its descendants."""
    out, stack = [], [pid]
    while stack:
        p = stack.pop()
        out.append(p)
        stack += _children(p)
    return out


def _tree_sum(pid: int, proc_file: str, field: str) -> int:
    """Bytes of one /proc/PID/<proc_file> field, summed over a process tree."""
    total = 0
    for p in _tree(pid):
        try:
            with open(f"/proc/{p}/{proc_file}") as f:
                for line in f:
                    if line.startswith(field):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            continue
    return total


def _rss_tree(pid: int) -> int:
    """Resident bytes over a process tree, from /proc/PID/status (cheap: no page walk).  Forked workers'
    pages shared with the driver count once per process, so this is an upper bound of the footprint."""
    return _tree_sum(pid, "status", "VmRSS:")


def _pss_tree(pid: int) -> int:
    """Proportional set size over a process tree: each shared page split among its sharers, so the sum is
    the real footprint.  Costly (the kernel walks every page table: ~15 ms of CPU for a 10^6-row build),
    so it is sampled rarely."""
    return _tree_sum(pid, "smaps_rollup", "Pss:")


def run_build(n: int, workers: int, out: Path, shard_size: int | None, src: str | None = None) -> dict:
    cmd = [sys.executable, "-c", BOOT, src or "", "build", "-n", str(n), "-o", str(out), "--workers", str(workers)]
    if shard_size:
        cmd += ["--shard-size", str(shard_size)]
    usage0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0, 0]

    # The watcher shares the machine with the build: on 2 cores a 2-worker build has no core to spare,
    # and polling smaps_rollup every 50 ms took ~20 % of a core from it (the speed-up measured 1.59x).
    # RSS from /proc/PID/status every 50 ms costs ~0.1 ms; PSS every 2 s.
    def watch():
        k = 0
        while proc.poll() is None:
            peak[0] = max(peak[0], _rss_tree(proc.pid))
            if k % 40 == 0:
                peak[1] = max(peak[1], _pss_tree(proc.pid))
            k += 1
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    watcher.join()
    usage1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (usage1.ru_utime - usage0.ru_utime) + (usage1.ru_stime - usage0.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"gas build failed ({proc.returncode}):\n{stderr}")
    manifest = json.loads((out / "manifest.json").read_text())
    size = sum(s["bytes"] for s in manifest["shards"])
    return {"workers": workers, "wall_s": wall, "scenes_per_s": n / wall, "scenes_per_s_per_worker": n / wall / workers,
            "cpu_s": cpu, "scenes_per_cpu_s": n / cpu, "peak_rss_mb": peak[0] / 2**20, "peak_pss_mb": peak[1] / 2**20,
            "bytes_per_scene": size / n, "shards": len(manifest["shards"]),
            "shard_sha256": [s["sha256"] for s in manifest["shards"]]}


def baseline(n: int) -> dict:
    """Sampling + realizing in this process, nothing else (the work a build cannot avoid): the scene's
    dict, caption and question-set JSON that a build writes (``realize_parts``), with the collector
    paused as in a build."""
    from gas_solver.collector import paused_collector
    from gas_solver.constraints.parse import load_default_constraints
    from gas_solver.dataset.build import item_seed
    from gas_solver.realize.row import realize_parts
    from gas_solver.solve.sample import CHUNK_SIZE, Sampler
    from gas_solver.taxonomy import load_taxonomy

    tax = load_taxonomy()
    sampler = Sampler(load_default_constraints(tax), tax)
    realize_parts(sampler.sample_chunk(0, 10**6, 64)[0], tax)  # warm the realizer's tables
    t0 = time.perf_counter()
    c0 = time.process_time()
    done = 0
    with paused_collector() as tick:
        for c in range((n + CHUNK_SIZE - 1) // CHUNK_SIZE):
            for k, scene in enumerate(sampler.sample_chunk(0, c, CHUNK_SIZE)[: n - done]):
                row, questions = realize_parts(scene, tax, seed=item_seed(0, c * CHUNK_SIZE + k))
                questions.json()
                tick()
            done = min(n, done + CHUNK_SIZE)
    dt = time.perf_counter() - t0
    cpu = time.process_time() - c0
    return {"scenes": n, "wall_s": dt, "scenes_per_s": n / dt, "cpu_s": cpu, "scenes_per_cpu_s": n / cpu}


def cpu_calibration() -> float:
    """Seconds for a fixed pure-Python loop: tells how loaded this machine was during the run."""
    t0 = time.perf_counter()
    x = 0
    for i in range(5_000_000):
        x += i
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=100_000, help="scenes per build (default 100,000)")
    ap.add_argument("--full", action="store_true", help="N = 1,000,000")
    ap.add_argument("--workers", default="1,2", help="comma-separated worker counts (default 1,2)")
    ap.add_argument("--shard-size", type=int, default=None, help="rows per part (default: gas build's)")
    ap.add_argument("--baseline-n", type=int, default=20_000, help="scenes in the in-process baseline")
    ap.add_argument("--out", type=Path, default=RESULTS,
                    help="where to write the JSON results (default benchmarks/results/bench_build.json; "
                         "give another path for quick small-N runs)")
    ap.add_argument("--src", default=None, metavar="DIR", help="measure gas_solver from DIR")
    ap.add_argument("--compile", action="store_true",
                    help="measure a compiled copy of this checkout (see gas_solver/compiled.py)")
    args = ap.parse_args()
    if args.compile:
        sys.exit(rerun_compiled(sys.argv))
    from gas_solver.compiled import describe

    build = describe()
    n = 1_000_000 if args.full else args.n
    workers = [int(w) for w in args.workers.split(",")]

    calib_before = cpu_calibration()
    base = baseline(min(n, args.baseline_n))
    runs = []
    tmp = Path(tempfile.mkdtemp(prefix="bench_build_"))
    try:
        for w in workers:
            runs.append(run_build(n, w, tmp / f"w{w}", args.shard_size, args.src))
            shutil.rmtree(tmp / f"w{w}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    calib_after = cpu_calibration()
    identical = len({tuple(r["shard_sha256"]) for r in runs}) == 1
    one = next((r for r in runs if r["workers"] == 1), runs[0])
    for r in runs:
        r["speedup_vs_1"] = r["scenes_per_s"] / one["scenes_per_s"]
        r["vs_baseline"] = r["scenes_per_s"] / (base["scenes_per_s"] * r["workers"])
        r["cpu_vs_baseline"] = r["scenes_per_cpu_s"] / base["scenes_per_cpu_s"]
        del r["shard_sha256"]

    assert build == build_of(args.src or ""), "the builds ran another gas_solver than the baseline"
    print(f"gas_solver: {build}")
    print(f"gas build, default constraint file, N = {n:,}; baseline (sample + realize in one process, "
          f"{base['scenes']:,} scenes): {base['scenes_per_s']:,.0f} scenes/s wall, "
          f"{base['scenes_per_cpu_s']:,.0f} scenes per CPU-second")
    head = (f"{'workers':>7}  {'wall s':>7}  {'scenes/s':>8}  {'/worker':>7}  {'speed-up':>8}  {'CPU s':>6}  "
            f"{'scenes/CPU-s':>12}  {'vs base':>7}  {'RSS MB':>6}  {'PSS MB':>6}  {'B/scene':>7}")
    print(head)
    print("-" * len(head))
    for r in runs:
        print(f"{r['workers']:>7}  {r['wall_s']:>7.1f}  {r['scenes_per_s']:>8,.0f}  {r['scenes_per_s_per_worker']:>7,.0f}  "
              f"{r['speedup_vs_1']:>7.2f}x  {r['cpu_s']:>6.1f}  {r['scenes_per_cpu_s']:>12,.0f}  "
              f"{r['cpu_vs_baseline']:>6.0%}  {r['peak_rss_mb']:>6.0f}  {r['peak_pss_mb']:>6.0f}  "
              f"{r['bytes_per_scene']:>7,.0f}")
    print(f"identical output across worker counts: {identical}; CPU calibration loop: {calib_before:.2f} s before, "
          f"{calib_after:.2f} s after (about 0.25 s on an idle core); {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")
    print("scenes/CPU-s is throughput per busy core, which does not depend on how loaded the machine is; "
          "'vs base' compares it with the baseline's (the share the dataset machinery keeps).")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"provenance": provenance(),
        "benchmark": "bench_build", "n": n, "build": build, "baseline": base, "runs": runs, "identical_output": identical,
        "cpu_calibration_s": [calib_before, calib_after], "cpus": os.cpu_count(), "load_average": os.getloadavg(),
        "python": platform.python_version(), "machine": platform.machine(),
        "targets": {"scenes_per_s_per_worker": 10_000, "speedup_2_workers": 1.7, "peak_rss_mb": 1024},
    }, indent=2) + "\n")
    print(f"wrote {args.out.resolve().relative_to(ROOT) if args.out.resolve().is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()
