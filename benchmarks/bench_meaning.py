"""Rates of the concept and question audits' defects over rows of `gas sample`.

Reads JSONL rows (as written by ``gas sample -o FILE``) and reports the share of rows with each defect.
The concept audit's checks, judged by fixed hand lists:

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

The question audit's checks, judged by the taxonomy's data (is-a, relation kinds, scene-attribute
``exclusive``/``overlap``), each a question whose answer the scene does not fix:

* ``isa_the``: a question names an object "the X" (or counts the Xs) while another object of the scene is a
  kind of X ("What colour is the watch?" beside a pocket watch, "Is the rodent ..." beside a squirrel);
* ``open_spatial``: an open question "What is the couch to the right of?" (accepting free-form answers) with a
  spatial or comparative predicate, while another object of the scene stands in no stated relation to the
  subject (any picture puts it left or right of the couch too);
* ``scene_overlap``: a scene-attribute foil or distractor that may be true together with the scene's value:
  a type whose values co-occur (moods, compositions, camera views, lighting, weather ...), values of one
  ``overlap`` group ("at first light" beside "at dawn"), or one name inside the other ("in a kitchen" beside
  "in a restaurant kitchen");
* ``side_distance``: a relation foil or distractor about distance ("Is the bouquet far from the tequila?")
  where the pair's edges state only a side (to the left of, to the right of), which says nothing of the
  distance;
* ``part_foil``: an existence foil or distractor that is a part of an object of the scene, or has one as a
  part (taxonomy ``object_parts``: "Is there a wheel?" beside an estate car, "window" beside a car door);
* ``name_value``: an attribute foil or distractor that names a word of the object's name ("Is the orange
  orange?").

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
QA_CHECKS = ("isa_the", "open_spatial", "scene_overlap", "side_distance", "part_foil", "name_value")
SIDES = {"to_the_left_of", "to_the_right_of"}
DISTANCES = {"near", "far_from", "next_to"}
#: words a scene-attribute value's name may share with another's without saying the same
FUNCTION_WORDS = {"a", "an", "the", "at", "in", "on", "of", "during", "under", "with", "by", "to", "and"}
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


def name_words(name: str) -> frozenset:
    """The content words of a name ("in the late afternoon" -> {"late", "afternoon"})."""
    return frozenset(w for w in re.split(r"[\s-]+", name.lower()) if w and w not in FUNCTION_WORDS)


class QuestionAudit:
    """What the question audit's checks read from a taxonomy."""

    def __init__(self, tax):
        self.ancestors = {o.id: tax.concept_ancestors(o.id) for o in tax.objects}
        self.kind = {r.name: r.kind for r in tax.relations.values()}
        self.kind.update({r.id: r.kind for r in tax.relations.values()})
        self.relation_id = {r.name: r.id for r in tax.relations.values()}
        self.tax = tax
        self.named = {}
        for o in tax.objects:
            self.named.setdefault(o.name, o.id)
        self.scene = {}  # type -> (exclusive, value id -> (name, overlap groups), value name -> id)
        for t in tax.scene_attribute_types.values():
            values = {v.id: (v.name, frozenset(getattr(v, "overlap", "").split())) for v in t.values}
            self.scene[t.id] = (getattr(t, "exclusive", True), values, {n: k for k, (n, _) in values.items()})
        self.value_names = {t.id: {v.name.lower() for v in t.values} for t in tax.attribute_types.values()}

    def scene_open(self, t: str, own: str, other: str) -> bool:
        """May value ``other`` of scene-attribute type ``t`` hold together with ``own``?"""
        exclusive, values, _ = self.scene[t]
        if not exclusive:
            return True
        (a, ga), (b, gb) = values[own], values[other]
        if "*" in ga or "*" in gb or ga & gb:
            return True
        wa, wb = name_words(a), name_words(b)
        return bool(wa and wb and (wa <= wb or wb <= wa))


def question_defects(row: dict, audit: QuestionAudit) -> set[str]:
    """The question audit's checks a row fails."""
    objects = row["objects"]
    concepts = [o["concept"] for o in objects]
    # objects that "the <name>" does not pick out: another object of the scene is a kind of theirs; and those
    # whose number is open besides (a kind of another object: beside "an animal", two dogs may be three)
    vague = {i for i, c in enumerate(concepts)
             if any(d != c and c in audit.ancestors.get(d, ()) for d in concepts)}
    uncounted = vague | {i for i, c in enumerate(concepts) if audit.ancestors.get(c, frozenset()) & set(concepts)}

    def definite(i: int, text: str) -> bool:
        return i in vague and f"the {objects[i]['name'].lower()}" in text.lower()

    linked: dict[int, set[int]] = {}
    for r in row["relations"]:
        linked.setdefault(r["subject"], set()).add(r["object"])
        linked.setdefault(r["object"], set()).add(r["subject"])
    scene_value = {a["type"]: a["value"] for a in row["scene_attributes"]}
    stated: dict[tuple[int, int], set[str]] = {}  # unordered pair -> the predicates of its edges
    for r in row["relations"]:
        stated.setdefault(frozenset((r["subject"], r["object"])), set()).add(r["predicate"])
    hit = set()
    for q in row.get("questions") or ():
        el = q["elements"][0]
        kind = q["type"]
        if ((kind == "count" and el["object"] in uncounted)
                or (kind == "attribute" and definite(el["object"], q["question"]))):
            hit.add("isa_the")
        if kind == "relation":
            s, p, o = el.get("relation") or el.get("absent_relation")
            named = (s,) if "accepted" in q else (s, o)
            if any(definite(x, q["question"]) for x in named):
                hit.add("isa_the")
            if (q["negative"] or (q["format"] == "multiple_choice" and "accepted" not in q)) and \
                    stated.get(frozenset((s, o)), {""}) <= SIDES:
                offered = {p} if q["negative"] else {audit.relation_id[c] for c in q["choices"] if c != q["answer"]}
                if offered & DISTANCES:
                    hit.add("side_distance")
            if "accepted" in q and audit.kind[p] in ("spatial", "comparative"):
                if any(x not in (s, o) and concepts[x] != concepts[o] and x not in linked.get(s, ())
                       for x in range(len(objects))):
                    hit.add("open_spatial")
        if kind == "existence" and (q["negative"] or q["format"] == "multiple_choice"):
            offered = ({el["absent_object"]} if q["negative"] else
                       {audit.named[c] for c in q["choices"] if c != q["answer"] and c in audit.named})
            tax = audit.tax
            if any(offered & (tax.concept_parts(c) | tax.concept_wholes(c)) for c in set(concepts)):
                hit.add("part_foil")
        if kind == "scene_attribute" and (q["negative"] or q["format"] == "multiple_choice"):
            t, v = el.get("scene_attribute") or el.get("absent_scene_attribute")
            own = scene_value[t]
            _, _, by_name = audit.scene[t]
            others = [v] if q["negative"] else [by_name[c] for c in q["choices"] if c != q["answer"]]
            if any(audit.scene_open(t, own, x) for x in others):
                hit.add("scene_overlap")
        if kind == "attribute" and (q["negative"] or q["format"] == "multiple_choice"):
            t, v = el.get("attribute") or el.get("absent_attribute")
            words = f" {objects[el['object']]['name'].lower()} "
            offered = ([q["question"].rsplit(" ", 1)[-1]] if q["negative"] else
                       [c for c in q["choices"] if c != q["answer"]])
            names = audit.value_names[t]
            if q["negative"]:  # the foil's name: the value ids of the element, read back as names
                offered = [x for x in names if q["question"].lower().endswith(f" {x}?")]
            if any(f" {x.lower()} " in words for x in offered):
                hit.add("name_value")
    return hit


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+", type=Path)
    args = ap.parse_args()
    tax = load_taxonomy()
    drinks = {o.name for o in tax.concepts_of("drink")} | {"drink"}
    visible = visible_persons()
    audit = QuestionAudit(tax)
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
        qa_counts = dict.fromkeys((*QA_CHECKS, "any"), 0)
        for row in rows:
            hit = defects(row, visible, drinks, chain)
            for h in hit:
                counts[h] += 1
            counts["any"] += bool(hit)
            hit = question_defects(row, audit)
            for h in hit:
                qa_counts[h] += 1
            qa_counts["any"] += bool(hit)
        print(path, "concepts", json.dumps({k: f"{v / len(rows):.1%} ({v})" for k, v in counts.items()}))
        print(path, "questions", json.dumps({k: f"{v / len(rows):.1%} ({v})" for k, v in qa_counts.items()}))


if __name__ == "__main__":
    main()
