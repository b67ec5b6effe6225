"""Load time and memory of the embedded default taxonomy, against plain JSON parsing.

Measured in fresh child processes (``cold``: a new interpreter per run, as a `gas` command
pays it) and in-process (``warm``: the file is in the page cache, the loader cache is
cleared between runs):

* ``baseline``: ``gzip.decompress`` + ``json.loads`` of the same file, no validation, no objects
  (and no project import);
* ``load_taxonomy``: the real loader (decompress, parse, validate every entry, build the
  dataclasses) — what the project ships;
* ``load + queries``: the loader plus the first ``concepts_of``/``search``/``relations_for``
  calls, which build the lazy indexes.

Peak resident memory (``ru_maxrss`` of the child) is reported for each, including the
interpreter itself (about 10 MB); the baseline's RSS is measured the same way.  Targets
(issue 2): load < 0.5 s, RSS < 150 MB.  Results go to ``benchmarks/results/taxonomy.json``.

Usage::

    python benchmarks/bench_taxonomy.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "taxonomy.json"

CHILD = {
    "baseline": """
import gzip, json
raw = open({path!r}, "rb").read()
t = time.perf_counter()
doc = json.loads(gzip.decompress(raw))
dt = time.perf_counter() - t
""",
    "load_taxonomy": """
from gas_solver.taxonomy import load_taxonomy
from gas_solver.taxonomy.load import default_taxonomy_path
default_taxonomy_path().read_bytes()
t = time.perf_counter()
tax = load_taxonomy()
dt = time.perf_counter() - t
""",
    "load + queries": """
from gas_solver.taxonomy import load_taxonomy
from gas_solver.taxonomy.load import default_taxonomy_path
default_taxonomy_path().read_bytes()
t = time.perf_counter()
tax = load_taxonomy()
tax.concepts_of("animal"); tax.search("dog"); tax.relations_for("person", "vehicle")
tax.attribute_values_for("fruit")
dt = time.perf_counter() - t
""",
}

WRAP = """
import time, resource, json
from provenance import provenance  # noqa: E402  (benchmarks/provenance.py, the script's folder)
{body}
print(json.dumps({{"seconds": dt, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def cold(name: str, repeats: int) -> dict:
    runs = []
    for _ in range(repeats):
        from gas_solver.taxonomy.load import default_taxonomy_path

        body = CHILD[name].replace("{path!r}", repr(str(default_taxonomy_path())))
        out = subprocess.run([sys.executable, "-c", WRAP.format(body=body)], capture_output=True, text=True,
                             check=True)
        runs.append(json.loads(out.stdout))
    return {"seconds_min": min(r["seconds"] for r in runs),
            "seconds_median": statistics.median(r["seconds"] for r in runs),
            "rss_mb_max": max(r["rss_mb"] for r in runs)}


def warm(repeats: int) -> dict:
    import gzip

    from gas_solver.taxonomy import load as load_mod
    from gas_solver.taxonomy.load import default_taxonomy_path, load_taxonomy

    raw = default_taxonomy_path().read_bytes()
    base, real = [], []
    for _ in range(repeats):
        t = time.perf_counter()
        json.loads(gzip.decompress(raw))
        base.append(time.perf_counter() - t)
        load_mod._cache.clear()
        t = time.perf_counter()
        load_taxonomy()
        real.append(time.perf_counter() - t)
    return {"baseline_seconds_min": min(base), "load_taxonomy_seconds_min": min(real)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    from gas_solver.taxonomy import load_taxonomy

    stats = load_taxonomy().stats()
    results = {name: cold(name, args.repeats) for name in CHILD}
    w = warm(args.repeats)
    base = results["baseline"]["seconds_min"]
    print(f"default taxonomy: {stats['objects']:,} objects, {stats['relations']:,} relations, "
          f"{stats['attribute_values']:,} attribute values, {stats['scene_attribute_values']:,} scene-attribute values")
    print(f"{'cold process':<18} {'min s':>8} {'median s':>9} {'x baseline':>11} {'peak RSS MB':>12}")
    for name, r in results.items():
        print(f"{name:<18} {r['seconds_min']:8.3f} {r['seconds_median']:9.3f} {r['seconds_min'] / base:11.2f} "
              f"{r['rss_mb_max']:12.1f}")
    print(f"warm (in-process, min of {args.repeats}): baseline {w['baseline_seconds_min']:.3f} s, "
          f"load_taxonomy {w['load_taxonomy_seconds_min']:.3f} s "
          f"({w['load_taxonomy_seconds_min'] / w['baseline_seconds_min']:.2f}x)")
    ok = results["load_taxonomy"]["seconds_min"] < 0.5 and results["load_taxonomy"]["rss_mb_max"] < 150
    print(f"targets (< 0.5 s, < 150 MB): {'met' if ok else 'MISSED'}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"provenance": provenance(), "taxonomy": stats, "cold": results, "warm": w, "repeats": args.repeats,
                                   "targets_met": ok, "python": platform.python_version(),
                                   "machine": platform.machine()}, indent=2, sort_keys=True) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
