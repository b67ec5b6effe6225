"""Exact share of a file's scenes whose colour comparison its two stated colours could decide.

"A dark indigo shoulder bag is the same colour as a dark seafoam green throne" contradicts itself; a sample of
1,000 rows holds zero to two such rows, too few to tell a rate.  Counting tells it exactly: the file's scenes
minus the scenes of the same file with the pattern forbidden are the scenes that hold it, per complexity.  The
rate of a stratified draw (``[sampling] by = "complexity"``, equal shares) is the mean of the per-stratum shares;
a uniform draw's is the share of the total.

* ``both_coloured``: some "the same colour as" edge joins two objects that each carry a colour word.  Every such
  row states two colours, which contradict the relation unless the two values are the same (one in several
  hundred); so this bounds the defect rate from above, and nearly equals it.
* ``both_coloured_different``: the same for "a different colour from", which contradicts only where both values
  are the same: its defect rate is this share times about one in several hundred.
* ``coloured_subject``: the subject of a colour comparison carries a colour word (what the taxonomy rule
  ``colour_comparison`` forbids with ``subject_exclusions = true``).

    python benchmarks/colour_comparison_rate.py [FILE]      # default: the embedded default file
"""

from __future__ import annotations

import argparse
import json
from fractions import Fraction
from pathlib import Path

from gas_solver.constraints.parse import default_constraints_path, parse_constraints
from gas_solver.solve.count import count_scenes
from gas_solver.taxonomy import load_taxonomy

KINDS = "clothing|accessory|furniture|vehicle"  # both relations' subject and object categories
PATTERNS = {
    "both_coloured": f"a:{KINDS}{{colour}} -[the_same_colour_as]-> b:{KINDS}{{colour}}",
    "both_coloured_different": f"a:{KINDS}{{colour}} -[a_different_colour_from]-> b:{KINDS}{{colour}}",
    "coloured_subject": f"a:{KINDS}{{colour}} -[the_same_colour_as|a_different_colour_from]-> b:*",
}


def shares(text: str, tax) -> dict:
    """``{name: {"per_complexity": {c: share}, "stratified": share, "uniform": share}}`` as floats."""
    base = count_scenes(parse_constraints(text, tax), tax, by="complexity")
    total = sum(base.values())
    out = {}
    for name, pattern in PATTERNS.items():
        forbid = f'\n[[forbid]]\ndescription = "{name}"\npattern = "{pattern}"\n'
        left = count_scenes(parse_constraints(text + forbid, tax), tax, by="complexity")
        per = {c: 1 - Fraction(left.get(c, 0), n) for c, n in base.items() if n}
        out[name] = {"per_complexity": {c: float(f) for c, f in sorted(per.items())},
                     "stratified": float(sum(per.values()) / len(per)),
                     "uniform": float(1 - Fraction(sum(left.values()), total))}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", nargs="?", type=Path, default=None)
    args = ap.parse_args()
    tax = load_taxonomy()
    path = args.file or default_constraints_path()
    print(json.dumps({"file": str(path), **shares(path.read_text(encoding="utf-8"), tax)}, indent=1))


if __name__ == "__main__":
    main()
