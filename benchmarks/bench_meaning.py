"""Rates of the concept audit's defects over rows of `gas sample`, judged by fixed hand lists.

Reads JSONL rows (as written by ``gas sample -o FILE``) and reports the share of rows with each defect:

* ``kin``: a person named by a relational noun (brother, little sister, wife, guest ...);
* ``invisible_role``: any other person not in ``taxonomy/sources/visible_persons.tsv`` (a professor, a
  secretary: nothing in a picture of one person shows the word);
* ``sense``: a name read in another sense ("dolphin" printed for the dolphinfish, "derby" for the bowler
  hat, "pants" for women's underpants, "man-of-war" for the warship ...), by (printed name, category);
* ``role_noun``: an object, foil or distractor named by a role or use, not a look (pet, livestock, dessert);
* ``synonym_pair``: two concepts of the scene that name one thing (binoculars and field glass ...);
* ``picture_foil``: an existence foil or multiple-choice distractor that is a picture or a sculpture
  (painting, photo, statue ...);
* ``drink_foil``: a drink offered as a foil or distractor in a scene that holds a drink;
* ``generic_foil``: a foil or distractor of a category whose generic concept the scene holds ("Is there a
  bus?" beside "a vehicle"), or the generic offered beside a concept of its category ("Is there a weapon?"
  beside a grenade), judged by the taxonomy's categories.

The lists are the audit's findings written out, so the same script judges rows of an older tree too:

    gas sample -n 1000 --seed 0 -o new.jsonl
    python benchmarks/bench_meaning.py new.jsonl [old.jsonl ...]
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from gas_solver.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parents[1]
KIN = {"aunt", "brother", "cousin", "daughter", "granddaughter", "grandfather", "grandmother", "grandson", "guest",
       "little sister", "little brother", "nephew", "niece", "sister", "son", "uncle", "wife", "husband", "mother",
       "father", "parent", "grandchild", "twin"}
SENSE = {("dolphin", "fish"), ("derby", "clothing"), ("man-of-war", "vehicle"), ("second base", "sports_equipment"),
         ("bird shot", "weapon"), ("pick", "device"), ("pants", "clothing"), ("boa", "clothing"),
         ("radio", "artifact")}
SYNONYMS = [{"binoculars", "field glass"}, {"refrigerator", "fridge"}, {"radio", "radio set"}, {"cow", "cattle"},
            {"ox", "cattle"}, {"plaque", "memorial tablet"}, {"pants", "trousers"}]
PICTURES = {"painting", "oil painting", "photo", "drawing", "picture", "portrait", "watercolor", "snapshot",
            "collage", "statue", "sculpture"}
ROLES = {"pet", "livestock", "domestic animal", "game bird", "decoration", "dessert"}
CHECKS = ("kin", "invisible_role", "sense", "role_noun", "synonym_pair", "picture_foil", "drink_foil",
          "generic_foil")
EXISTENCE = re.compile(r"^(?:Is there (?:an? )?|Are there any )(.*)\?$")


def visible_persons() -> set[str]:
    lines = (ROOT / "taxonomy" / "sources" / "visible_persons.tsv").read_text(encoding="utf-8").splitlines()
    return {line.split("\t")[1] for line in lines if line.strip() and not line.startswith("#")}


def defects(row: dict, visible: set[str], drinks: set[str], chain=None) -> set[str]:
    """The checks a row fails (``chain``: printed name -> its category and the categories above it, named)."""
    names = [(o["name"], o["category"]) for o in row["objects"]]
    here = {a for a, _ in names}
    hit = set()
    if any(a in KIN for a, cat in names if cat == "person"):
        hit.add("kin")
    if any(cat == "person" and a not in visible and a not in KIN for a, cat in names):
        hit.add("invisible_role")
    if any(n in SENSE for n in names):
        hit.add("sense")
    if here & ROLES:
        hit.add("role_noun")
    if any(p <= here for p in SYNONYMS):
        hit.add("synonym_pair")
    scene_drink = bool(here & drinks)
    chain = chain or {}
    generic_here = {a for a in here if a in chain and a in chain[a][1:]}  # "vehicle" in category vehicle
    cats_here = set().union(*[chain.get(a, ()) for a in here])
    for q in row.get("questions") or ():
        if q["type"] != "existence":
            continue
        offered = []
        if q["answer"] == "no" and (m := EXISTENCE.match(q["question"])):
            offered.append(m.group(1))
        offered += [c for c in q.get("choices") or () if c != q["answer"]]
        for x in offered:
            if x in ROLES:
                hit.add("role_noun")
            if x in PICTURES:
                hit.add("picture_foil")
            if scene_drink and x in drinks:
                hit.add("drink_foil")
            if x in chain and (generic_here & set(chain[x][1:]) or (x in chain[x][1:] and x in cats_here)):
                hit.add("generic_foil")
    return hit


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+", type=Path)
    args = ap.parse_args()
    tax = load_taxonomy()
    drinks = {o.name for o in tax.concepts_of("drink")} | {"drink"}
    visible = visible_persons()
    chain = {}
    for o in tax.objects:
        cats, c = [], o.category
        while c is not None:
            cats.append(tax.categories[c].name)
            c = tax.categories[c].parent
        chain[o.name] = (o.name, *cats)
    for path in args.files:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        counts = dict.fromkeys((*CHECKS, "any"), 0)
        for row in rows:
            hit = defects(row, visible, drinks, chain)
            for h in hit:
                counts[h] += 1
            counts["any"] += bool(hit)
        print(path, json.dumps({k: f"{v / len(rows):.1%} ({v})" for k, v in counts.items()}))


if __name__ == "__main__":
    main()
