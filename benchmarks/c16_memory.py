"""Resident memory of a real exact count of the default taxonomy by phase: what holds memory at the peak.

Runs ``gas count`` on ``[space] complexity = [1, C]`` in this process (the refusal limit lifted), a thread
sampling ``VmRSS`` every 0.1 s with the phase the count is in (rooted trees, each kernel summed at once, the
cores' plan, the cores one by one, the rest); at each phase boundary the bytes held by the count's caches
(object arrays: the array plus its Python integers) are measured; that walk's CPU seconds (~7 s in the kernels'
phases at [1, 16]) are the benchmark's, not the count's, and are taken off the phases and the total.  Prints and writes (``--out``, under
``benchmarks/results/``) the peak RSS per phase and the cache sizes.

With ``--workers N`` the count runs as ``gas count --workers N``: the thread also reads each worker process's
``VmRSS`` and proportional set size (``Pss`` in ``/proc/<pid>/smaps_rollup``: shared pages split between the
processes that map them, so the sum over processes counts the driver's pages that forked workers share once) and
records the peak of their sums over the driver and its workers; wall seconds and the CPU seconds of every process
(this one's and its reaped workers', ``RUSAGE_CHILDREN``) are reported apart, and each task's process, CPU and wall
seconds (``cores.LAST_TASKS``: how evenly the workers finish).

Run: python benchmarks/c16_memory.py [--complexity 16] [--workers N (0: gas count's default)] [--kernels-only] [--no-wrap-pass] [--memo-lru]
[--group G]
[--out F]
(``--kernels-only``: stop when the kernels are done; ``--no-wrap-pass``: eliminations without
:mod:`.modular`'s wrap pass, to see what it holds; ``--memo-lru``: the cores' memo not told the order of the
steps' users, so that it drops the least recently used of the messages still needed, as before; ``--group``: the
one-by-one cores run pass by pass ``G`` at a time, ``cores.PASS_MAJOR_CORES`` by default)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent

PHASE = ["start"]
PEAKS: dict = {}
#: CPU seconds of the process when each phase began
STARTS: list = []
SIZES: list = []


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def proc_kb(pid: int | str, path: str, field: str) -> int:
    """``field`` (kB) of ``/proc/<pid>/<path>``; 0 where unreadable (a process that just ended)."""
    try:
        with open(f"/proc/{pid}/{path}") as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def children() -> list[int]:
    """The pids of this process's children (the count's workers)."""
    out = []
    try:
        for task in os.listdir("/proc/self/task"):
            with open(f"/proc/self/task/{task}/children") as f:
                out += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return out


#: peaks over the run: summed over the driver and its workers, and per process (MB)
TOTALS = {"rss_sum_mb": 0.0, "pss_sum_mb": 0.0, "processes": 0}
PER_PID: dict = {}


def sample_processes(with_pss: bool) -> None:
    """Peaks of RSS (and, with ``with_pss``, PSS: ``smaps_rollup`` walks the page tables, ~ms per 100 MB, so it is
    read every 0.5 s only) per process and summed over the driver and its workers."""
    pids = [os.getpid()] + children()
    rss = pss = 0.0
    for pid in pids:
        r = proc_kb(pid, "status", "VmRSS:") / 1024
        p = proc_kb(pid, "smaps_rollup", "Pss:") / 1024 if with_pss else 0.0
        rss += r
        pss += p
        peak = PER_PID.setdefault(pid, {"rss_mb": 0.0, "pss_mb": 0.0})
        peak["rss_mb"] = max(peak["rss_mb"], round(r, 1))
        peak["pss_mb"] = max(peak["pss_mb"], round(p, 1))
    TOTALS["rss_sum_mb"] = max(TOTALS["rss_sum_mb"], round(rss, 1))
    TOTALS["pss_sum_mb"] = max(TOTALS["pss_sum_mb"], round(pss, 1))
    TOTALS["processes"] = max(TOTALS["processes"], len(pids))


MAIN_PID = os.getpid()


def enter(phase: str) -> None:
    PHASE[0] = phase
    STARTS.append((phase, time.process_time()))


def sampler(stop: threading.Event) -> None:
    polls = 0
    while not stop.is_set():
        r = rss_mb()
        p = PHASE[0]
        if r > PEAKS.get(p, (0.0,))[0]:
            counter = STATE.get("counter")
            PEAKS[p] = (r, None if counter is None else counter.memo.bytes >> 20, STATE.get("item"))
        sample_processes(polls % 5 == 0)
        polls += 1
        time.sleep(0.1)
    STATE["sampler_cpu_s"] = time.thread_time()  # (this thread's own CPU: the measurement's, not the count's)


def deep_bytes(obj, seen: set) -> int:
    """Bytes of a cache: dicts, tuples, lists and numpy arrays (object arrays with their integers)."""
    if id(obj) in seen:
        return 0
    seen.add(id(obj))
    if isinstance(obj, np.ndarray):
        n = obj.nbytes if obj.base is None else 0
        if obj.dtype == object:
            n += sum(sys.getsizeof(x) for x in obj.flat if isinstance(x, int) and not -5 <= x <= 256)
        return n
    if isinstance(obj, dict):
        return sum(deep_bytes(k, seen) + deep_bytes(v, seen) for k, v in obj.items())
    if isinstance(obj, (list, tuple)):
        return sum(deep_bytes(x, seen) for x in obj)
    return 0


STATE: dict = {}


class KernelsDone(Exception):
    """Raised where the cores would be planned (``--kernels-only``)."""


#: CPU seconds of :func:`measure` (walking the caches' Python integers: ~1-3 s per call at [1, 16]) by the phase it ran
#: in: taken off that phase and off the total, which are the count's own
MEASURE_CPU: dict = {}


def measure(label: str) -> None:
    t0 = time.thread_time()  # (this thread's: the sampler's runs beside it)
    try:
        _measure(label)
    finally:
        MEASURE_CPU[PHASE[0]] = MEASURE_CPU.get(PHASE[0], 0.0) + time.thread_time() - t0


def _measure(label: str) -> None:
    seen: set = set()
    row = {"at": label, "rss_mb": round(rss_mb(), 1)}
    counter = STATE.get("counter")
    if counter is not None:
        for name in ("_unary", "_pair", "_values", "_diagonal"):
            row[f"counter.{name}"] = deep_bytes(getattr(counter, name), seen) >> 20
        memo = counter.memo
        row["memo.rows"] = memo.bytes >> 20
        row["memo.inputs"] = deep_bytes(memo._inputs, seen) >> 20
        row["memo.inputs_n"] = len(memo._inputs)
    scenes = STATE.get("scenes")
    if scenes is not None:
        for name in ("R", "_unary", "_values", "_diagonals"):
            row[f"scenes.{name}"] = deep_bytes(getattr(scenes, name), seen) >> 20
    ks = STATE.get("kernels")
    if ks is not None:
        for name in ("_paths", "_mirrored", "_plans", "_edges", "_bundles", "_family", "_family_factors"):
            row[f"kernels.{name}"] = deep_bytes(getattr(ks, name), seen) >> 20
    SIZES.append(row)
    print(json.dumps(row), flush=True)


def instrument() -> None:
    from gas_solver.solve import cores, kernels

    init_c = cores._CoreScenes.__init__
    init_k = kernels.KernelScenes.__init__
    kernel = kernels.KernelScenes.kernel
    plan = cores._CoreScenes.plan
    core = cores._CoreScenes.core
    trees = cores.rooted_trees

    def init_c2(self, counter, R):
        init_c(self, counter, R)
        STATE["scenes"], STATE["counter"] = self, counter

    def init_k2(self, scenes, c_max):
        init_k(self, scenes, c_max)
        if scenes is not None:
            STATE["kernels"] = self

    def trees2(counter, c_max):
        enter("rooted trees")
        return trees(counter, c_max)

    def kernel2(self, k, **kw):
        if os.getpid() != MAIN_PID:  # (a worker: the driver's thread reads its memory)
            return kernel(self, k, **kw)
        measure(f"before kernel {k}")
        enter(f"kernel {k}")
        out = kernel(self, k, **kw)
        measure(f"after kernel {k}")
        return out

    def plan2(self, *a, **kw):
        enter("plan")
        out = plan(self, *a, **kw)
        measure("after plan")
        return out

    def core2(self, *a, **kw):
        if os.getpid() != MAIN_PID:
            return core(self, *a, **kw)
        STATE["item"] = f"core n={a[0].n} edges={a[0].edges} d={a[1]}"
        if PHASE[0] != "cores":
            measure("before cores")
            enter("cores")
        return core(self, *a, **kw)

    run = cores._CoreScenes.cores_pass_major

    def run2(self, *a, **kw):  # (the first group's passes run before its first core's value is asked for)
        if os.getpid() != MAIN_PID:
            yield from run(self, *a, **kw)
            return
        measure("before cores")
        enter("cores")
        yield from run(self, *a, **kw)

    cores._CoreScenes.cores_pass_major = run2
    cores._CoreScenes.__init__ = init_c2
    kernels.KernelScenes.__init__ = init_k2
    kernels.KernelScenes.kernel = kernel2
    cores._CoreScenes.plan = plan2
    cores._CoreScenes.core = core2
    cores.rooted_trees = trees2


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--complexity", type=int, default=16)
    ap.add_argument("--kernels-only", action="store_true")
    ap.add_argument("--no-wrap-pass", action="store_true")
    ap.add_argument("--memo-lru", action="store_true",
                    help="the cores' memo told each step's users but not their order (drops least recently used)")
    ap.add_argument("--group", type=int, default=0,
                    help="the one-by-one cores pass by pass this many at a time (default: cores.PASS_MAJOR_CORES)")
    ap.add_argument("--workers", type=int, default=1, help="gas count --workers N (0: no --workers, the default)")
    ap.add_argument("--split-memo-mb", default="",
                    help="FRONT,BACK: the memos of the two processes that split the passes (cores.SPLIT_MEMO_BYTES)")
    ap.add_argument("--split-group", type=int, default=0, help="cores.SPLIT_GROUP_CORES")
    ap.add_argument("--split-ahead", action="store_true", help="cores.SPLIT_AHEAD: the driver's fronts beside the kernels")
    ap.add_argument("--split-ahead-memo-mb", type=int, default=0, help="cores.SPLIT_AHEAD_MEMO_BYTES")
    ap.add_argument("--free-heap-mb", type=int, default=0, help="cores.WORKERS_FREE_HEAP (all workers together)")
    ap.add_argument("--out", default="")
    a = ap.parse_args()
    import gas_solver.solve.work as work
    from gas_solver.cli.main import cli
    from gas_solver.solve import cores, modular

    work.LIMITS["core_seconds"] = 1e9
    if a.no_wrap_pass:
        modular._WRAP_PASS_PRIMES = 10 ** 9
    if a.memo_lru:
        expect = modular.Memo.expect
        modular.Memo.expect = lambda self, uses, order=None: expect(self, uses)
    if a.group:
        cores.PASS_MAJOR_CORES = a.group
    if a.split_memo_mb:
        front, back = map(int, a.split_memo_mb.split(","))
        cores.SPLIT_MEMO_BYTES = {"front": front << 20, "back": back << 20}
    if a.split_group:
        cores.SPLIT_GROUP_CORES = a.split_group
    if a.split_ahead:
        cores.SPLIT_AHEAD = True
        if a.split_ahead_memo_mb:
            cores.SPLIT_AHEAD_MEMO_BYTES = a.split_ahead_memo_mb << 20
    if a.free_heap_mb:
        cores.WORKERS_FREE_HEAP = a.free_heap_mb << 20
    instrument()
    if a.kernels_only:
        def stop_at_plan(self, *args, **kw):
            raise KernelsDone()

        cores._CoreScenes.plan = stop_at_plan
    stop = threading.Event()
    th = threading.Thread(target=sampler, args=(stop,), daemon=True)
    th.start()
    f = Path(f"/tmp/c{a.complexity}_memory_{os.getpid()}.toml")
    f.write_text(f'format = "gas-constraints/1"\n[space]\ncomplexity = [1, {a.complexity}]\n')
    load = os.getloadavg()
    t = time.process_time()
    wall0 = time.perf_counter()
    mono0 = time.monotonic()
    try:
        cli(["count", str(f)] + (["--workers", str(a.workers)] if a.workers else []), standalone_mode=False)
    except KernelsDone:
        pass
    finally:
        enter("end")
        sizes_cpu = sum(MEASURE_CPU.values())  # (the count's CPU without it; the wall time keeps it)
        cpu = time.process_time() - t - sizes_cpu
        wall = time.perf_counter() - wall0
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_children = kids.ru_utime + kids.ru_stime
        measure("end")
        stop.set()
        th.join()
        f.unlink()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    phases = {p: {"rss_mb": round(v[0], 1), "memo_mb": v[1], "item": v[2]} for p, v in PEAKS.items()}
    for (p, t0), (_, t1) in zip(STARTS, STARTS[1:]):
        if p in phases:
            phases[p]["cpu_s"] = round(t1 - t0 - MEASURE_CPU.get(p, 0.0), 1)
    load_end = os.getloadavg()
    tasks = [dict(t, finished=round(t["finished"] - mono0, 1)) for t in cores.LAST_TASKS]
    # each process's busy spans (seconds from the count's start): the tasks, and where two processes split the
    # passes (cores._split_passes), each part of each group
    timeline: dict = {}
    for t in cores.LAST_SPLIT_DRIVER:
        off = t["timeline_start"] - mono0
        timeline[str(t["pid"]) + " driver"] = [[k, round(s0 + off, 2), round(s1 + off, 2)]
                                               for k, _, s0, s1, _, _ in t["timeline"]]
    for t in tasks:
        spans = timeline.setdefault(str(t["pid"]), [])
        if "timeline" in t:
            off = t["timeline_start"] - mono0
            t["timeline"] = [[k, g, round(s0 + off, 2), round(s1 + off, 2), c, n] for k, g, s0, s1, c, n in t["timeline"]]
            spans += [[f"{k} {g}", s0, s1] for k, g, s0, s1, _, _ in t["timeline"]]
        else:
            spans.append([" ".join(map(str, t["task"])), round(t["finished"] - t["wall_s"], 2), t["finished"]])
    per_worker: dict = {}
    for t in tasks:
        w = per_worker.setdefault(t["pid"], {"tasks": 0, "cores": 0, "cpu_s": 0.0, "wall_s": 0.0, "finished": 0.0})
        w["tasks"] += 1
        w["cores"] += t["cores"]
        w["cpu_s"] = round(w["cpu_s"] + t["cpu_s"], 1)
        w["wall_s"] = round(w["wall_s"] + t["wall_s"], 1)
        w["finished"] = max(w["finished"], t["finished"])
    sampler_cpu = STATE.get("sampler_cpu_s", 0.0)
    print("wall", round(wall, 1), "s; CPU", round(cpu + cpu_children - sampler_cpu, 1), "s (driver",
          round(cpu - sampler_cpu, 1), "workers", round(cpu_children, 1), "; the sampler thread", round(sampler_cpu, 1),
          "and the cache sizes", round(sizes_cpu, 1), "not counted); peak driver RSS MB", round(peak, 1), "; peaks summed over processes:", TOTALS,
          "load", load, "->", load_end)
    for pid, w in per_worker.items():
        print("worker", pid, w, PER_PID.get(pid))
    print("memo hits: driver", STATE["counter"].memo.hits if "counter" in STATE else None, "workers",
          sum(t.get("memo_hits", 0) for t in tasks))
    for p, v in sorted(phases.items(), key=lambda x: -x[1]["rss_mb"])[:15]:
        print(f"{v['rss_mb']:8.1f} MB  {v.get('cpu_s', '-')} s  memo {v['memo_mb']} MB  {p}  {v['item']}")
    if a.out:
        res = {"complexity": [1, a.complexity], "kernels_only": a.kernels_only, "no_wrap_pass": a.no_wrap_pass,
               "memo_lru": a.memo_lru, "group": a.group or cores.PASS_MAJOR_CORES,
               "split_memo_mb": {k: v >> 20 for k, v in cores.SPLIT_MEMO_BYTES.items()},
               "split_group": cores.SPLIT_GROUP_CORES, "split_ahead": cores.SPLIT_AHEAD,
               "free_heap_mb": cores.WORKERS_FREE_HEAP >> 20,
               "workers": a.workers, "wall_s": round(wall, 1),
               "cpu_s": round(cpu + cpu_children - sampler_cpu, 1), "cpu_driver_s": round(cpu - sampler_cpu, 1),
               "cpu_sampler_thread_s": round(sampler_cpu, 1),
               "cpu_cache_sizes_s": round(sizes_cpu, 1),
               "cpu_workers_s": round(cpu_children, 1), "peak_rss_mb": round(peak, 1),
               "peak_summed_over_processes_mb": TOTALS, "peak_per_process_mb": {str(k): v for k, v in PER_PID.items()},
               "per_worker": {str(k): v for k, v in per_worker.items()}, "tasks": tasks, "timeline": timeline,
               # (messages read from the memo instead of computed: the driver's (the kernels', and with one process
               # the cores') and the workers'; fewer with workers = messages computed again)
               "memo_hits": {"driver": STATE["counter"].memo.hits if "counter" in STATE else None,
                             "workers": sum(t.get("memo_hits", 0) for t in tasks)},
               "peak_by_phase_mb": phases, "caches_mb": SIZES,
               "machine": {"cpus": os.cpu_count(), "load_average_at_start": load, "load_average_at_end": load_end}}
        (ROOT / "benchmarks" / "results" / a.out).write_text(json.dumps(res, indent=1) + "\n")


if __name__ == "__main__":
    main()
