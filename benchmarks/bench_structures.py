"""Structures up to complexity 10 cold (target < 3 s), counts for complexity 9-11, generators compared.

Run: python benchmarks/bench_structures.py   (writes benchmarks/results/bench_structures.json)
The baseline in the same run is the CP-SAT model (per-split solves + nauty dedup) at complexity <= 8.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

from gas_solver.constraints.model import Bounds, IntRange
from gas_solver.solve import structures as mod
from gas_solver.solve.structures import structures
from provenance import provenance  # noqa: E402  (benchmarks/provenance.py, the script's folder)


def timed(bounds, backend):
    mod._CACHE.clear()
    t = time.perf_counter()
    out = structures(bounds, backend=backend)
    return out, time.perf_counter() - t


def main() -> None:
    rows = []
    for acyclic in (True, False):
        for connected in (False, True):
            b = Bounds(complexity=IntRange(1, 10), acyclic=acyclic, connected=connected)
            ss, dt = timed(b, "orderly")
            rows.append({"rules": f"{'DAG' if acyclic else 'digraph'}{', connected' if connected else ''}",
                         "max_c": 10, "orderly_s": round(dt, 3), "total": len(ss),
                         "by_complexity": dict(sorted(Counter(s.complexity for s in ss).items()))})
    c11 = {}
    for acyclic in (True, False):
        ss, dt = timed(Bounds(complexity=IntRange(11, 11), acyclic=acyclic), "orderly")
        c11["DAG" if acyclic else "digraph"] = {"count": len(ss), "seconds": round(dt, 3)}
    compare = []
    for backend in ("orderly", "asp", "cpsat"):
        ss, dt = timed(Bounds(complexity=IntRange(1, 8), acyclic=True), backend)
        compare.append({"backend": backend, "max_c": 8, "structures": len(ss), "seconds": round(dt, 3)})
    base = next(r["seconds"] for r in compare if r["backend"] == "cpsat")
    for r in compare:
        r["speedup_vs_cpsat"] = round(base / r["seconds"], 1) if r["seconds"] else None
    print(f"{'rules':<22}{'c<=10 s':>9}{'total':>8}  counts c=9, 10")
    for r in rows:
        print(f"{r['rules']:<22}{r['orderly_s']:>9}{r['total']:>8}  {r['by_complexity'][9]}, {r['by_complexity'][10]}")
    print("complexity 11:", c11)
    print(f"{'backend (DAG, c<=8)':<22}{'seconds':>9}{'count':>8}{'x vs cpsat':>12}")
    for r in compare:
        print(f"{r['backend']:<22}{r['seconds']:>9}{r['structures']:>8}{r['speedup_vs_cpsat']:>12}")
    out = Path(__file__).parent / "results" / "bench_structures.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"provenance": provenance(), "up_to_10": rows, "complexity_11": c11, "backends_c8": compare}, indent=1))


if __name__ == "__main__":
    main()
