"""Exact counting and sampling at scale: complexity 10-16, many requirements, against the base code.

Run: python benchmarks/bench_scale.py [--base PATH]
(writes benchmarks/results/bench_scale.json)

Every case is one cold ``gas`` process (taxonomy load, structures, grounding, count or sampler
set-up + 3 draws), timed by wall clock and CPU time, with its peak RSS, under a time limit.  A case with
``--workers`` also reports the peak RSS and PSS summed over the process and its workers (the CPU time of the
reaped workers is in its CPU time).
``--base PATH`` runs the same cases on another checkout (e.g. ``git worktree add /tmp/base d9652c3``)
in the same run, so the ratios compare like with like on a shared, noisy machine.  Bars (issue 18):
[1,10] and [1,12] counted in < 10 s, [1,16] in < 60 s, sampler set-up at [1,12] < 10 s (uniform, weighted and
per-structure laws; ``-n 0`` sets the sampler up and draws nothing; 500 per-structure draws, ~450 structures
each with its own tables, show that memory stays bounded), the
forbidden chain at [1,8] < 10 s, 16 requirements counted and sampled (set-up + 3 draws) < 10 s, memory
< 1 GB for every case; a labelled forbidden chain (a:animal -[*]-> b:* -[*]-> c:*), the same chain required,
chains naming predicates (no on-on chain; a person riding something related to something, required), all at
[1,8], and the shipped compositional_hard.toml counted and sampled exactly (< 10 s, < 30 s).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

HEAD = 'format = "gas-constraints/1"\n'
DEFAULT_SPACE = ('semantic = true\n[space]\ncomplexity = [3, 8]\nobjects = [1, 4]\nattributes_per_object = [0, 3]\n'
                 'acyclic = true\n')
REQUIRED = ['a:animal', 'a:mammal', 'a:living', 'a:*{colour}', 'a:*{size}', 'a:animal{colour}',
            'a:* -[*]-> b:*', 'a:animal -[*]-> b:*', 'a:* -[kind:spatial]-> b:*', 'a:* -[*]-> b:artifact',
            'a:mammal{size}', 'a:living{colour}', 'a:animal{size}', 'a:* -[kind:spatial]-> b:living',
            'a:*{colour}', 'a:mammal -[*]-> b:*']


def files(tmp: Path) -> dict[str, Path]:
    out = {}
    for c in (9, 10, 12, 14, 16):
        out[f"c{c}"] = tmp / f"c{c}.toml"
        out[f"c{c}"].write_text(HEAD + f"[space]\ncomplexity = [1, {c}]\n")
    out["chain8"] = tmp / "chain8.toml"
    out["chain8"].write_text(HEAD + '[space]\ncomplexity = [1, 8]\n\n[[forbid]]\npattern = "a:* -[*]-> b:* -[*]-> c:*"\n')
    out["animal_chain8"] = tmp / "animal_chain8.toml"
    out["animal_chain8"].write_text(HEAD + '[space]\ncomplexity = [1, 8]\n\n[[forbid]]\n'
                                    'pattern = "a:animal -[*]-> b:* -[*]-> c:*"\n')
    out["required_animal_chain8"] = tmp / "required_animal_chain8.toml"
    out["required_animal_chain8"].write_text(HEAD + '[space]\ncomplexity = [1, 8]\n\n[[require]]\n'
                                             'pattern = "a:animal -[*]-> b:* -[*]-> c:*"\n')
    out["on_chain8"] = tmp / "on_chain8.toml"  # named predicates: nothing on something that is on something
    out["on_chain8"].write_text(HEAD + '[space]\ncomplexity = [1, 8]\n\n[[forbid]]\npattern = "a:* -[on]-> b:* -[on]-> c:*"\n')
    out["riding_chain8"] = tmp / "riding_chain8.toml"  # rare: rejection would accept 3.8e-5 on one structure
    out["riding_chain8"].write_text(HEAD + '[space]\ncomplexity = [1, 8]\n\n[[require]]\n'
                                    'pattern = "a:person -[riding]-> b:* -[*]-> c:*"\n')
    out["compositional_hard"] = ROOT / "constraints" / "compositional_hard.toml"
    for k in (8, 12, 16):
        out[f"req{k}"] = tmp / f"req{k}.toml"
        out[f"req{k}"].write_text(HEAD + DEFAULT_SPACE + "".join(f'\n[[require]]\npattern = "{p}"\n' for p in REQUIRED[:k]))
    return out


# (name, gas arguments, file key, time limit s, bar s, run on the base too)
CASES = [
    ("check [1,9]", ["check"], "c9", 120, None, True),
    ("count [1,9]", ["count"], "c9", 120, None, True),
    ("count [1,10]", ["count"], "c10", 120, 10, True),
    ("count [1,12]", ["count"], "c12", 120, 10, True),
    ("sample -n 3 [1,12]", ["sample", "-n", "3"], "c12", 120, 10, True),
    ("sample -n 3 weighted [1,12]", ["sample", "-n", "3", "--distribution", "weighted"], "c12", 120, 10, True),
    ("sample set-up (-n 0) per-structure [1,12]", ["sample", "-n", "0", "--distribution", "per-structure"], "c12",
     120, 10, True),
    ("sample -n 3 per-structure [1,12]", ["sample", "-n", "3", "--distribution", "per-structure"], "c12", 90, 10,
     True),
    ("sample -n 500 per-structure [1,12]", ["sample", "-n", "500", "--distribution", "per-structure"], "c12",
     300, None, False),
    ("count [1,14]", ["count"], "c14", 600, None, True),
    ("count [1,16]", ["count"], "c16", 60, 60, True),
    # the count by 2-cores shared by two worker processes (gas count --workers): wall and CPU apart; memory summed
    # over the driver and its workers
    ("count [1,14] --workers 2", ["count", "--workers", "2"], "c14", 600, None, False),
    ("count [1,16] --workers 2", ["count", "--workers", "2"], "c16", 300, 60, False),
    ("count 8 requirements", ["count"], "req8", 120, None, True),
    ("count 12 requirements", ["count"], "req12", 120, None, True),
    ("count 16 requirements", ["count"], "req16", 120, 10, True),
    ("sample -n 3, 16 requirements", ["sample", "-n", "3"], "req16", 120, 10, False),
    ("count forbidden chain [1,8]", ["count"], "chain8", 60, 10, True),
    ("sample -n 3 forbidden chain [1,8]", ["sample", "-n", "3"], "chain8", 60, 10, False),
    ("count forbidden animal chain [1,8]", ["count"], "animal_chain8", 120, 10, True),
    ("sample -n 3 forbidden animal chain [1,8]", ["sample", "-n", "3"], "animal_chain8", 120, 10, False),
    ("count required animal chain [1,8]", ["count"], "required_animal_chain8", 120, 10, True),
    ("sample -n 3 required animal chain [1,8]", ["sample", "-n", "3"], "required_animal_chain8", 120, 10, False),
    ("count forbidden on-chain [1,8]", ["count"], "on_chain8", 120, 10, True),
    ("sample -n 3 forbidden on-chain [1,8]", ["sample", "-n", "3"], "on_chain8", 120, 10, False),
    ("count required riding chain [1,8]", ["count"], "riding_chain8", 120, 10, True),
    ("sample -n 3 required riding chain [1,8]", ["sample", "-n", "3"], "riding_chain8", 120, 10, False),
    ("count compositional_hard", ["count"], "compositional_hard", 120, 30, True),
    ("sample -n 3 compositional_hard", ["sample", "-n", "3"], "compositional_hard", 120, 30, False),
]


def _hwm_kb(pid: int) -> int:
    """Peak resident set of a live process (VmHWM), in KiB; 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree_kb(pid: int) -> tuple[int, int]:
    """Resident and proportional set sizes (KiB) summed over a live process and its children (a count's worker
    processes): ``VmRSS`` counts the pages that forked workers share with their driver once per process, ``Pss``
    (``smaps_rollup``) splits them between the processes."""
    pids = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            pids += [int(x) for x in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
    except OSError:
        pass
    rss = pss = 0
    for p in pids:
        for path, field in (("status", "VmRSS:"), ("smaps_rollup", "Pss:")):
            try:
                for line in Path(f"/proc/{p}/{path}").read_text().splitlines():
                    if line.startswith(field):
                        if field == "Pss:":
                            pss += int(line.split()[1])
                        else:
                            rss += int(line.split()[1])
                        break
            except OSError:
                pass
    return rss, pss


def run(tree: Path, args: list[str], limit: float) -> dict:
    env = dict(os.environ, PYTHONPATH=str(tree))
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", "from gas_solver.cli.main import cli; cli()", *args],
                                env=env, cwd=tree, stdout=out, stderr=err, text=True)  # cwd: `-c` puts it first on sys.path
        peak = rss_sum = pss_sum = 0
        timed_out = False
        polls = 0
        while True:  # poll the peak RSS while it runs (a killed process reports nothing afterwards)
            peak = max(peak, _hwm_kb(proc.pid))
            if "--workers" in args and polls % 4 == 0:  # (every 0.2 s: smaps_rollup walks the page tables)
                rss_sum, pss_sum = (max(x, y) for x, y in zip((rss_sum, pss_sum), _tree_kb(proc.pid)))
            polls += 1
            try:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            except ChildProcessError:
                break
            if pid:
                proc.returncode = os.waitstatus_to_exitcode(status)
                break
            if time.perf_counter() - t > limit:
                proc.kill()
                _, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = os.waitstatus_to_exitcode(status)
                timed_out = True
                break
            time.sleep(0.05)
        wall = time.perf_counter() - t
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    cpu = usage.ru_utime + usage.ru_stime
    peak = max(peak, usage.ru_maxrss)
    res = {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "peak_rss_mb": round(peak / 1024, 1),
           "ok": proc.returncode == 0 and not timed_out}
    if "--workers" in args:  # (the CPU seconds above include the reaped workers'; peak_rss_mb is the driver's)
        res["peak_rss_summed_mb"] = round(rss_sum / 1024, 1)
        res["peak_pss_summed_mb"] = round(pss_sum / 1024, 1)
    if timed_out:
        res["answer"] = f"no answer in {limit:.0f} s"
    elif proc.returncode != 0:
        res["answer"] = (stderr.strip().splitlines() or ["error"])[-1][:300]
    else:
        res["answer"] = stdout.strip().splitlines()[0][:120] if stdout.strip() else ""
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", type=Path, help="checkout of the code to compare with")
    ap.add_argument("--only", help="run only cases whose name contains one of these (separated by ';': "
                                   "case names hold commas)")
    ap.add_argument("--limit-factor", type=float, default=1.0,
                    help="multiply every time limit (a busy machine stretches wall clock, not CPU time)")
    ap.add_argument("--out", default="bench_scale.json",
                    help="results file: a bare name goes under benchmarks/results/, a path with a folder as given")
    a = ap.parse_args()
    out = Path(a.out) if Path(a.out).parent != Path(".") else ROOT / "benchmarks" / "results" / a.out
    out.parent.mkdir(parents=True, exist_ok=True)  # now: a bad path fails at once, not after the whole run
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    base_commit = (subprocess.run(["git", "rev-parse", "HEAD"], cwd=a.base, capture_output=True, text=True).stdout.strip()
                   if a.base else None)
    result = {"commit": commit, "base_commit": base_commit,
              "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version(),
                          "load_average_at_start": os.getloadavg()},
              "note": "wall and CPU seconds and peak RSS of one cold gas process per case",
              "cases": []}
    with tempfile.TemporaryDirectory() as d:
        fs = files(Path(d))
        for name, args, key, limit, bar, on_base in CASES:
            if a.only and not any(part in name for part in a.only.split(";")):
                continue
            row = {"case": name, "file": fs[key].read_text(), "bar_s": bar}
            limit *= a.limit_factor
            row["limit_s"] = limit
            row["new"] = run(ROOT, args + [str(fs[key])], limit)
            if a.base and on_base:
                row["base"] = run(a.base, args + [str(fs[key])], limit)
                if row["base"]["ok"] and row["new"]["ok"]:
                    row["same_answer"] = row["base"]["answer"] == row["new"]["answer"] or args[0] != "count"
                    row["speedup_cpu"] = round(row["base"]["cpu_s"] / max(row["new"]["cpu_s"], 1e-3), 1)
            row["bar_met_wall"] = bool(bar and row["new"]["ok"] and row["new"]["wall_s"] < bar)
            row["bar_met_cpu"] = bool(bar and row["new"]["ok"] and row["new"]["cpu_s"] < bar)
            result["cases"].append(row)
            b = row.get("base", {})
            print(f"{name:<32} new {row['new']['wall_s']:>7.1f} s wall {row['new']['cpu_s']:>7.1f} s cpu "
                  f"{row['new']['peak_rss_mb']:>7.0f} MB  {row['new']['answer'][:60]!r}"
                  + (f" | base {b['wall_s']:.1f} s wall {b['cpu_s']:.1f} s cpu {b['answer'][:40]!r}" if b else ""),
                  flush=True)
    result["machine"]["load_average_at_end"] = os.getloadavg()
    tmp = out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(result, indent=1))
    tmp.replace(out)


if __name__ == "__main__":
    main()
