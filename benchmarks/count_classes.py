"""Concept classes, vertex labels and lumped edge labels of a constraint file, per part of its setting union.

Every distinct attribute domain or relation behaviour inside a category is one more class of interchangeable
concepts for the solver; the counter lumps labels that every edge factor treats alike.  Rules by category add no
class, rules by kind may: this prints what a change of the taxonomy's rules costs.

    python benchmarks/count_classes.py [FILE]        # default: the embedded default file
"""

from __future__ import annotations

import argparse
from pathlib import Path

from gas_solver.constraints.parse import default_constraints_path, parse_constraints
from gas_solver.solve.counted import setting_parts
from gas_solver.solve.domain import ground
from gas_solver.solve.labels import LabelModel
from gas_solver.taxonomy import load_taxonomy


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", nargs="?", type=Path, default=None)
    args = ap.parse_args()
    tax = load_taxonomy()
    path = args.file or default_constraints_path()
    spec = parse_constraints(path.read_text(encoding="utf-8"), tax)
    total = 0
    for i, part in enumerate(setting_parts(spec, tax)):
        model = LabelModel(ground(part, tax))
        total += len(model.domain.classes)
        print(f"part {i}: {len(model.domain.classes)} classes, {model.M} vertex labels, "
              f"{len(model.edge_lumps())} edge lumps")
    print(f"all parts: {total} classes")


if __name__ == "__main__":
    main()
