"""Near-uniform (UniGen-style XOR cells) vs exact sampling on small toy-taxonomy spaces.

Run: python benchmarks/bench_hashing.py   (writes benchmarks/results/bench_hashing.json)

For each space, in the same process: scenes per second of process CPU time for the exact sampler
(``Sampler``; raw ASP by exact rejection) and for ``HashingSampler`` on both backends (set-up and the
count estimate excluded, timed separately), and the ratio exact / near-uniform.  Draws of the hashing
sampler are one solver enumeration of up to ``hi`` models per tried number of XORs and per structure,
so they are orders of magnitude slower; that is the price of working where exact counts do not exist.
"""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path

from gas_solver.constraints.model import Bounds, ConstraintSpec, IntRange, Origin, RawAsp
from gas_solver.solve.hashing import HashingSampler
from gas_solver.solve.sample import Sampler
from gas_solver.taxonomy import load_taxonomy
from provenance import provenance  # noqa: E402  (benchmarks/provenance.py, the script's folder)

TOY = Path(__file__).parent.parent / "tests" / "data" / "toy.toml"
RULES = ':- concept(O, "dog").\n:- rel(S, P, O), category(O, "bird").'


def cpu_rate(fn, n: int) -> float:
    c = time.process_time()
    fn(n)
    return n / max(time.process_time() - c, 1e-9)


def main() -> None:
    tax = load_taxonomy(TOY)
    spaces = {
        "complexity<=2": ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 2))),
        "complexity<=3": ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 3))),
        "complexity<=3 + raw ASP": dataclasses.replace(
            ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 3), acyclic=False)),
            raw_asp=(RawAsp(RULES, Origin("bench.toml", 1, 1, "asp")),)),
    }
    rows = []
    for name, spec in spaces.items():
        exact = Sampler(spec, tax)
        exact.sample(64, seed=99)  # warm-up
        exact_rate = cpu_rate(lambda n: exact.sample(n, seed=1), 20_000)
        row = {"space": name, "exact_per_s_cpu": round(exact_rate)}
        for backend in ("asp", "cpsat"):
            if backend == "cpsat" and spec.raw_asp:
                continue
            c = time.process_time()
            hs = HashingSampler(spec, tax, backend=backend)
            est = hs.estimate(seed=1)
            setup = time.process_time() - c
            n = 200 if backend == "asp" else 60
            r = cpu_rate(lambda k: hs.sample(k, seed=1), n)
            row[f"{backend}_per_s_cpu"] = round(r, 1)
            row[f"{backend}_setup_s_cpu"] = round(setup, 2)
            row["estimate"] = est
        row["exact_over_asp"] = round(exact_rate / row["asp_per_s_cpu"])
        rows.append(row)
    print(f"{'space':<26} {'exact/s':>9} {'asp/s':>7} {'cpsat/s':>8} {'exact/asp':>10} {'estimate':>9}")
    for r in rows:
        print(f"{r['space']:<26} {r['exact_per_s_cpu']:>9,} {r['asp_per_s_cpu']:>7} "
              f"{r.get('cpsat_per_s_cpu', '-'):>8} {r['exact_over_asp']:>9}x {r['estimate']:>9}")
    out = Path(__file__).parent / "results" / "bench_hashing.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"provenance": provenance(), "rows": rows, "note": "process CPU time on the shared machine"}, indent=1))


if __name__ == "__main__":
    main()
