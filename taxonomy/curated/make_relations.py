"""Generate ``relations.toml`` from the reviewed table ``relations.tsv``.

The table is the source a person edits: one relation per line with its caption phrase, finite
form, kind and domains, where domains may use the named groups below (``@SMALL`` ...) so that
600 lines stay short enough to review.  This script expands the groups into category ids,
checks every id against ``categories.toml``, checks names and ids are unique and symmetric
relations have equal domains, and writes ``relations.toml`` (one inline table per relation,
in the table's order, under its section comments).  It runs in a fraction of a second:

    python taxonomy/curated/make_relations.py
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from _generated import snake, toml_str  # noqa: E402

KINDS = ("spatial", "action", "functional", "social", "emotional", "comparative", "part_whole")

#: Named groups of categories.  Scale matters more than taxonomy here: @SMALL things can sit on
#: a table or be held; @SURFACE things can carry others on top; places never move.
GROUPS = {
    "PHYS": ["living", "food", "artifact", "natural_object"],
    # physical things with a size and shape of their own: no drinks or other loose food
    # ("the stingray is bigger than the Weizenbock" reads badly)
    "SOLID": ["living", "fruit", "vegetable", "dish", "baked_good", "artifact", "natural_object"],
    "SOLIDSMALL": ["fruit", "vegetable", "dish", "baked_good", "clothing", "accessory", "tool", "container",
                   "kitchenware", "toy", "sports_equipment", "musical_instrument", "device", "weapon", "artwork",
                   "natural_object"],
    # animals that walk, sit and lie on things (no fish, no jellyfish); swimmers; animals that look at things
    "LAND": ["mammal", "bird", "reptile", "amphibian", "insect"],
    "SWIM": ["mammal", "bird", "fish", "reptile", "amphibian", "invertebrate"],
    "LOOK": ["mammal", "bird", "reptile", "amphibian", "fish"],
    # small things that are not food (food and drink do not peek, tuck or tangle)
    "ITEM": ["clothing", "accessory", "tool", "container", "kitchenware", "toy", "sports_equipment",
             "musical_instrument", "device", "weapon", "artwork", "natural_object", "flower"],
    "SOLIDFOOD": ["fruit", "vegetable", "dish", "baked_good"],
    "SMALL": ["food", "clothing", "accessory", "tool", "container", "kitchenware", "toy", "sports_equipment",
              "musical_instrument", "device", "weapon", "artwork", "natural_object", "flower"],
    "MOVABLE": ["@SMALL", "person", "animal", "furniture"],
    "SURFACE": ["furniture", "vehicle", "structure", "building", "container", "kitchenware", "device",
                "natural_object", "landform"],
    "SEAT": ["furniture", "vehicle", "structure", "natural_object", "landform", "container"],
}


def expand(field: str, where: str, cats: set[str]) -> tuple[list[str], list[str]]:
    """A domain field's categories and its excepted ones ("-x" items: under a listed category, yet out).

    >>> expand("person,mammal,-aquatic_mammal", "x", {"person", "mammal", "aquatic_mammal"})
    (['person', 'mammal'], ['aquatic_mammal'])
    """
    out: list[str] = []

    def add(item: str) -> None:
        if item.startswith("@"):
            if item[1:] not in GROUPS:
                raise SystemExit(f"{where}: unknown group {item}")
            for x in GROUPS[item[1:]]:
                add(x)
        elif item not in cats:
            raise SystemExit(f"{where}: unknown category {item!r}")
        elif item not in out:
            out.append(item)

    items = [x.strip() for x in field.split(",")]
    for item in items:
        if not item.startswith("-"):
            add(item)
    kept = out
    out = []
    for item in items:
        if item.startswith("-"):
            add(item[1:])
    return kept, out


def split_phrase(name: str, present: str, where: str) -> tuple[str, str, str]:
    """A name and finite form with ``_`` where the object goes, as (name, present, after_object).

    English says some phrases around their object: "leading _ by the hand" is "a woman leads a soldier by
    the hand", never "leads by the hand a soldier".  The taxonomy keeps the whole phrase as ``name`` and
    ``present`` and the words after the object as ``after_object``.

    >>> split_phrase("leading _ by the hand", "leads _ by the hand", "x")
    ('leading by the hand', 'leads by the hand', 'by the hand')
    >>> split_phrase("riding", "rides", "x")
    ('riding', 'rides', '')
    """
    if "_" not in name.split(" ") and "_" not in present.split(" "):
        return name, present, ""
    head, sep, after = name.partition(" _ ")
    p_head, p_sep, p_after = present.partition(" _ ")
    if not (sep and p_sep and head and after and p_head and after == p_after and "_" not in after.split(" ")):
        raise SystemExit(f"{where}: a phrase split around its object needs one ' _ ' in the name and the present "
                         f"form, the same words after it in both")
    return f"{head} {after}", f"{p_head} {after}", after


def parse(text: str, cats: set[str]) -> list[tuple[str, dict]]:
    """Rows of ``relations.tsv`` as (section, relation dict)."""
    rows, section, names = [], "", set()
    for n, line in enumerate(text.splitlines(), 1):
        where = f"relations.tsv:{n}"
        if line.startswith("##"):
            section = line[2:].strip()
            continue
        if not line.strip() or line.startswith("#"):
            continue
        f = [x.strip() for x in line.split(" | ")]
        if len(f) not in (5, 6) or (len(f) == 6 and f[5] != "sym"):
            raise SystemExit(f"{where}: expected 'name | present | kind | subject | object [| sym]'")
        name, present, kind = f[0], f[1], f[2]
        name, present, after = split_phrase(name, present, where)
        if kind not in KINDS:
            raise SystemExit(f"{where}: unknown kind {kind!r}")
        if name in names:
            raise SystemExit(f"{where}: duplicate relation {name!r}")
        names.add(name)
        (subj, subj_out), (obj, obj_out) = expand(f[3], where, cats), expand(f[4], where, cats)
        # the id leaves out a possessive "their", which the realizer says by the subject ("on his shoulders"),
        # so that the id stays what it was before the phrase took one
        rel = {"id": snake(name.replace(" their ", " ")), "name": name, "present": "is " + name if present == "-" else present,
               "kind": kind, "subject": subj, "object": obj, "symmetric": len(f) == 6}
        if after:
            rel["after_object"] = after
        if subj_out:
            rel["subject_except"] = subj_out
        if obj_out:
            rel["object_except"] = obj_out
        if rel["symmetric"] and (sorted(subj) != sorted(obj) or sorted(subj_out) != sorted(obj_out)):
            raise SystemExit(f"{where}: a symmetric relation needs equal subject and object domains")
        rows.append((section, rel))
    ids = [r["id"] for _, r in rows]
    if len(ids) != len(set(ids)):
        raise SystemExit("two names give the same id")
    return rows


def render(rows: list[tuple[str, dict]]) -> str:
    out = [
        "# Relations of the default taxonomy (gas-taxonomy/1 `relations` section).",
        "# GENERATED by make_relations.py from relations.tsv -- edit the table, then rerun the script.",
        "# `name` follows the subject in a caption (\"a dog riding a horse\"), `present` is the finite",
        "# form (\"a dog rides a horse\"); subject and object name categories, is-a closed; `after_object`: the",
        "# words of both that follow the object (\"a woman leads a soldier by the hand\").",
        "",
        "relations = [",
    ]
    section = None
    for sec, r in rows:
        if sec != section:
            out.append(f"    # {sec}")
            section = sec
        lst = lambda xs: "[" + ", ".join(toml_str(x) for x in xs) + "]"  # noqa: E731
        sym = ", symmetric = true" if r["symmetric"] else ""
        after = f", after_object = {toml_str(r['after_object'])}" if r.get("after_object") else ""
        but = "".join(f", {end}_except = {lst(r[end + '_except'])}" for end in ("subject", "object")
                      if r.get(end + "_except"))
        out.append(f"    {{ id = {toml_str(r['id'])}, name = {toml_str(r['name'])}, present = {toml_str(r['present'])}"
                   f"{after}, kind = {toml_str(r['kind'])}, subject = {lst(r['subject'])}, object = {lst(r['object'])}"
                   f"{but}{sym} }},")
    out.append("]")
    return "\n".join(out) + "\n"


def main() -> None:
    cats = {c["id"] for c in tomllib.loads((HERE / "categories.toml").read_text(encoding="utf-8"))["categories"]}
    rows = parse((HERE / "relations.tsv").read_text(encoding="utf-8"), cats)
    target = HERE / "relations.toml"
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(render(rows), encoding="utf-8")
    tmp.replace(target)
    print(f"{len(rows)} relations")


if __name__ == "__main__":
    main()
