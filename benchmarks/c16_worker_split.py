"""Where the CPU of a count shared by worker processes goes: the same tasks as ``gas count --workers N`` runs, each
worker's tasks in a forked process of its own, the workers **one after the other** (never two at once), so that the
CPU seconds of each task are those of the split alone (its memo share and its cuts), without two processes slowing
each other on the same cores and memory.

The count's set-up, kernels and plan run as ``gas count --workers N`` runs them (``--skip-kernels``: the kernels are
not summed; the total is then wrong, the cores' tasks the same); then the tasks go to the workers as a results file of
``benchmarks/c16_memory.py --workers N`` says each went (``--assign F``), or in the listed order to the worker with
the least estimated work so far.  ``--memo-mb M``: each worker's memo holds ``M`` MB instead of its share.

Prints and writes (``--out``, under ``benchmarks/results/``) each task's CPU seconds and memo hits, each worker's sum,
and beside it the same task's CPU seconds in the ``--assign`` run (where the workers ran at once).

Run: python benchmarks/c16_worker_split.py [--complexity 16] [--workers 2] [--assign F] [--memo-mb M]
[--skip-kernels] [--out F]
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--complexity", type=int, default=16)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--assign", default="", help="a c16_memory.py --workers N results file (under results/)")
    ap.add_argument("--memo-mb", type=int, default=0)
    ap.add_argument("--skip-kernels", action="store_true")
    ap.add_argument("--out", default="")
    a = ap.parse_args()
    import gas_solver.pool as pool
    import gas_solver.solve.work as work
    from gas_solver.cli.main import cli
    from gas_solver.solve import cores

    work.LIMITS["core_seconds"] = 1e9
    before: dict = {}
    if a.assign:
        for t in json.loads((ROOT / "benchmarks" / "results" / a.assign).read_text())["tasks"]:
            before[tuple(t["task"])] = t
    if a.skip_kernels:
        cores._count_kernels = lambda scenes, grouped, *rest: ({}, len(grouped))
    report: dict = {"workers": {}, "tasks": []}

    def one_after_another(fn, recipe, tasks, *, workers, ordered):
        tasks = list(tasks)
        pids = sorted({before[tuple(t)]["pid"] for _, t in tasks}) if before else list(range(workers))
        mine: dict = {p: [] for p in pids}
        load = dict.fromkeys(pids, 0.0)
        for i, t in tasks:
            if before:
                p = before[tuple(t)]["pid"]
            else:
                p = min(pids, key=lambda q: load[q])
                load[p] += 1.0 if t[0] == "kernel" else t[2] - t[1]
            mine[p].append((i, t))
        context = pool.context_for(recipe)
        out = []
        for p in pids:
            path = Path(f"/tmp/c16_worker_split_{os.getpid()}_{p}.pkl")
            child = os.fork()
            if child == 0:
                try:
                    if a.memo_mb:
                        context.scenes.counter.memo.max_bytes = a.memo_mb << 20
                    t0 = time.process_time()
                    done = [fn(context, task) for task in mine[p]]
                    path.write_bytes(pickle.dumps((done, time.process_time() - t0)))
                finally:
                    os._exit(0)
            os.waitpid(child, 0)
            done, cpu = pickle.loads(path.read_bytes())
            path.unlink()
            report["workers"][str(p)] = {"tasks": len(done), "cpu_s": round(cpu, 1),
                                         "cpu_s_at_once": round(sum(before[tuple(t)]["cpu_s"] for _, t in mine[p]), 1)
                                         if before else None}
            print("worker", p, report["workers"][str(p)], flush=True)
            out += done
        yield from out

    pool.process_map = one_after_another
    f = Path(f"/tmp/c{a.complexity}_split_{os.getpid()}.toml")
    f.write_text(f'format = "gas-constraints/1"\n[space]\ncomplexity = [1, {a.complexity}]\n')
    load = os.getloadavg()
    wall0 = time.perf_counter()
    try:
        cli(["count", str(f), "--workers", str(a.workers)], standalone_mode=False)
    finally:
        f.unlink()
    for t in cores.LAST_TASKS:
        was = before.get(tuple(t["task"]), {})
        report["tasks"].append({"task": t["task"], "cpu_s": t["cpu_s"], "memo_hits": t["memo_hits"],
                                "cpu_s_at_once": was.get("cpu_s"), "memo_hits_at_once": was.get("memo_hits")})
    report.update(complexity=[1, a.complexity], n_workers=a.workers, assign=a.assign, memo_mb=a.memo_mb,
                  skip_kernels=a.skip_kernels, wall_s=round(time.perf_counter() - wall0, 1),
                  tasks_cpu_s=round(sum(t["cpu_s"] for t in cores.LAST_TASKS), 1),
                  tasks_memo_hits=sum(t["memo_hits"] for t in cores.LAST_TASKS),
                  machine={"cpus": os.cpu_count(), "load_average_at_start": load,
                           "load_average_at_end": os.getloadavg()})
    print(json.dumps({k: v for k, v in report.items() if k != "tasks"}))
    if a.out:
        (ROOT / "benchmarks" / "results" / a.out).write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
