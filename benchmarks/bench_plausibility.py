"""Relation and setting plausibility of sampled rows, judged by the taxonomy's rules.

Reads the JSONL rows of `gas sample` (any file written by any version of the engine) and checks
every relation binding (subject, predicate, object) against the relation domains, size bands and size
ratios of a taxonomy, and every object of a row with a location against that location's setting.  Rows
written before a rule existed show how often the new rule would have refused them; rows written
with the rules show zero.  The script measures the rules' reach, not plausibility itself: the hand
reading of the bindings (``--list``) is the judgement, and the golden tables of
tests/taxonomy/test_plausibility.py check the rules on hand-written pairs.

    gas sample -n 1000 --seed 0 -o /tmp/rows.jsonl
    python benchmarks/bench_plausibility.py /tmp/rows.jsonl
    python benchmarks/bench_plausibility.py /tmp/rows.jsonl --list 120 > /tmp/bindings.txt

``--list N`` prints N relation bindings for a hand reading, stratified over the predicates' kinds
(spatial, action, social, ...) in proportion, each with the categories and size classes of its ends.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path

from gas_solver.taxonomy import load_taxonomy


def bindings(rows: list[dict], tax):
    """Yield ``(row, subject, predicate, object)`` per relation and ``(row, location, setting, object)`` per
    located object, objects as taxonomy concepts."""
    rels, placed = [], []
    for i, r in enumerate(rows):
        objs = [tax.object(o["concept"]) for o in r["objects"]]
        for e in r["relations"]:
            rels.append((i, objs[e["subject"]], e["predicate"], objs[e["object"]]))
        loc = [a["value"] for a in r["scene_attributes"] if a["type"] == "location"]
        if loc:
            setting = tax.scene_attribute_value("location", loc[0]).setting
            placed.extend((i, loc[0], setting, o) for o in objs)
    return rels, placed


def relation_ok(tax, s, p, o) -> bool:
    return (tax.relation_allows(p, s.category, o.category)
            and tax.sizes_allow(p, s.size, o.size, s.category, o.category) and tax.ratio_allows(p, s.size, o.size))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("rows", type=Path, help="JSONL rows written by `gas sample`")
    ap.add_argument("--taxonomy", default=None, help="taxonomy file (default: the embedded one)")
    ap.add_argument("--list", type=int, default=0, metavar="N", help="print N bindings for a hand reading")
    ap.add_argument("--seed", type=int, default=0, help="seed of the --list draw")
    args = ap.parse_args()
    tax = load_taxonomy(args.taxonomy)
    rows = [json.loads(line) for line in args.rows.read_text(encoding="utf-8").splitlines() if line.strip()]
    rels, placed = bindings(rows, tax)
    if args.list:
        by_kind: dict[str, list] = {}
        for b in rels:
            by_kind.setdefault(tax.relations[b[2]].kind, []).append(b)
        rng = random.Random(args.seed)
        picked = []
        for kind, group in sorted(by_kind.items()):
            k = max(1, round(args.list * len(group) / len(rels)))
            picked += rng.sample(group, min(k, len(group)))
        for n, (i, s, p, o) in enumerate(picked, 1):
            print(f"{n}\trow {i}\t{s.name} [{s.category}, {tax.size_name(s.id)}]\t{p}\t"
                  f"{o.name} [{o.category}, {tax.size_name(o.id)}]")
        return
    bad_rel = [b for b in rels if not relation_ok(tax, b[1], b[2], b[3])]
    bad_set = [b for b in placed if b[2] and not tax.setting_fits(b[2], b[3].id)]
    located = len({b[0] for b in placed})
    print(f"{len(rows)} rows, {len(rels)} relation bindings, {len(placed)} located objects in {located} rows")
    print(f"relation bindings the rules refuse: {len(bad_rel)} ({100 * len(bad_rel) / max(1, len(rels)):.1f} %)")
    print(f"located objects that do not fit their setting: {len(bad_set)} "
          f"({100 * len(bad_set) / max(1, len(placed)):.1f} %), in "
          f"{len({b[0] for b in bad_set})} rows")
    for p, n in Counter(b[2] for b in bad_rel).most_common(12):
        print(f"  {n:4d}  {p}")
    for (_, loc, setting, o) in bad_set[:12]:
        print(f"  {o.name} [{o.category}] in {loc} ({setting})")


if __name__ == "__main__":
    main()
