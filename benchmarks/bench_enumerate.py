"""Enumeration rate (scenes/s) of small spaces on both backends, against brute force in the same run.

Run: python benchmarks/bench_enumerate.py   (writes benchmarks/results/bench_enumerate.json)
Baseline: the brute-force oracle of the tests (every labelling, canonical ids, the independent checker).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "solve"))

from solve_oracle import brute_force  # noqa: E402

from gas_solver.constraints import parse_constraints  # noqa: E402
from gas_solver.solve.enumerate import enumerate_scenes  # noqa: E402
from gas_solver.taxonomy import load_taxonomy  # noqa: E402
from provenance import provenance  # noqa: E402  (benchmarks/provenance.py, the script's folder)

SPACES = {
    "default c=1": (None, "[space]\ncomplexity = [1, 1]\n"),
    "toy c<=3": ("toy.toml", "[space]\ncomplexity = [1, 3]\n"),
    "toy c<=4 cyclic": ("toy.toml", "[space]\ncomplexity = [1, 4]\nacyclic = false\n"),
    "street c<=5": ("tiny_street.toml", "[space]\ncomplexity = [1, 5]\n"),
}


def main() -> None:
    rows = []
    for name, (tax_file, text) in SPACES.items():
        tax = load_taxonomy(None if tax_file is None else ROOT / "tests" / "data" / tax_file)
        spec = parse_constraints(text, tax)
        row = {"space": name}
        for backend in ("asp", "cpsat"):
            t = time.perf_counter()
            n = sum(1 for _ in enumerate_scenes(spec, tax, backend=backend))
            dt = time.perf_counter() - t
            row[backend] = {"scenes": n, "seconds": round(dt, 3), "scenes_per_s": round(n / dt)}
        if name == "toy c<=3":
            t = time.perf_counter()
            n = len(brute_force(spec, tax))
            dt = time.perf_counter() - t
            row["brute_force"] = {"scenes": n, "seconds": round(dt, 3), "scenes_per_s": round(n / dt)}
        rows.append(row)
    print(f"{'space':<18}{'scenes':>8}{'asp /s':>10}{'cpsat /s':>10}{'brute /s':>10}")
    for r in rows:
        bf = r.get("brute_force", {}).get("scenes_per_s", "-")
        print(f"{r['space']:<18}{r['asp']['scenes']:>8}{r['asp']['scenes_per_s']:>10}"
              f"{r['cpsat']['scenes_per_s']:>10}{bf:>10}")
    out = Path(__file__).parent / "results" / "bench_enumerate.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"provenance": provenance(), "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
