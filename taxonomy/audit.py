"""Meaning audit of a built taxonomy's tier (build-time tool; nothing here is imported at run time).

Usage (from the repository root)::

    python taxonomy/audit.py [--taxonomy gas_solver/data/default_taxonomy.json.gz] [--tier everyday]
                             [--wordnet /usr/share/wordnet] [--list]

Four checks over every concept of the tier, each a count (``--list`` prints the concepts too):

* ``kin``: concepts under WordNet's ``relative.n.01`` (brother, aunt, wife ...) or another relational
  root (:data:`RELATIONAL_ROOTS`): a picture of one person cannot show whose brother or guest they are;
* ``sense``: the printed name's most used WordNet noun sense (SemCor tag count, ``cntlist.rev``; ties by
  sense order) is another synset than the concept's ("dolphin" printed for the dolphinfish, "derby" for
  the bowler hat), and the concept's own sense is not at least as used;
* ``homonym``: another sense of the printed word is another animal, or an animal where the concept is a
  thing (or the reverse), and neither is a kind of the other: a reader may picture either (listed for
  reading; most are harmless: "bird" is also a shuttlecock);
* ``shared``: a concept whose printed name or plural is first of all (WordNet's first sense) another
  concept of the tier and category: "some field glasses" are binoculars, so a scene with both names one
  thing twice;
* ``part``: concepts WordNet lists as a part of another thing (``#p`` pointers: a sleeve of a garment, a
  space bar of a keyboard) or body parts: listed for reading, since many parts are whole objects to a viewer
  (a wheel, a window); the fragments are capped in ``sources/tier_caps.tsv``;
* ``ambiguous``: another concrete sense of the printed word (an artifact, animal, person, food, plant, object
  or body part, not an is-a relative) is at least as used as the concept's own by SemCor count ("cruiser" the
  warship beside the police car, "poker" the card game beside the fire iron): listed for reading;
* ``picture``: concepts that are themselves pictures (under ``picture.n.01``, ``graphic_art.n.01`` ...):
  every image is one, so none of them can be a foil;
* ``scale`` (:func:`scale_spans`, with the package's rules): the spatial and comparative relations of the tier's
  vocabulary that can bind two concepts of the tier four or more size classes apart (a tiny thing and a huge
  one: "an RV behind a cell phone"), with the widest pair: listed for reading, since "far from", "next to" or "in
  front of" may join a bus and a cup while "below" or "higher than" should not.

Example::

    $ python taxonomy/audit.py
    everyday: 885 concepts; kin 2, sense 16, homonym 38, shared pairs 0, part 81, ambiguous 65, picture 3
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from wordnet import WordNet  # noqa: E402

#: roots of person concepts defined by a relation to another person, which no picture of one person shows
RELATIONAL_ROOTS = ("relative.n.01", "spouse.n.01", "friend.n.01", "visitor.n.01")
#: (concept's, other sense's) WordNet lexicographer files where a homonym is another picture: animal and
#: animal (the dolphinfish and the dolphin), animal and artifact (the man-of-war and the jellyfish)
HOMONYM_LEXFILES = {(5, 5), (5, 6), (6, 5)}
#: roots of concepts that are pictures
#: WordNet lexicographer files of concrete things (a printed word's other sense a reader may picture)
CONCRETE_LEXFILES = {5, 6, 8, 13, 17, 18, 20}
PICTURE_ROOTS = ("picture.n.01", "graphic_art.n.01", "painting.n.01", "drawing.n.02", "photograph.n.01")


def load(path: Path) -> tuple[dict, list[dict]]:
    doc = json.loads(gzip.decompress(path.read_bytes()))
    cols = doc["object_columns"]
    return doc, [dict(zip(cols, row)) for row in doc["objects"]]


def ancestors(wn: WordNet, offset: int) -> set[int]:
    out, stack = set(), [offset]
    while stack:
        for h in wn.synsets[stack.pop()].hypernyms:
            if h not in out:
                out.add(h)
                stack.append(h)
    return out


def lemma_key(wn: WordNet, name: str) -> str:
    """A name as a WordNet lemma with its last word singular ("field glasses" -> "field_glass")."""
    words = name.lower().replace("-", " ").split()
    if not words:
        return ""
    last = words[-1]
    if last in wn.exceptions:
        last = wn.exceptions[last]
    elif last.endswith("es") and last[:-2] in wn.index and last[:-2] not in ("glass",):
        last = last[:-2]
    elif last.endswith("s") and not last.endswith("ss") and last[:-1] in wn.index:
        last = last[:-1]
    return "_".join([*words[:-1], last])


def sense_use(wn: WordNet, lemma: str, offset: int) -> int:
    """SemCor tag count of ``lemma`` in the synset ``offset``."""
    ss = wn.synsets[offset]
    for lem, lid in zip(ss.lemmas, ss.lex_ids):
        if lem.lower() == lemma:
            return wn.sense_counts.get((lemma, ss.lexfile, lid), 0)
    return 0


def audit(wn: WordNet, objects: list[dict], tier: str) -> dict[str, list]:
    """``{check: findings}`` over the concepts of ``tier`` (and the tiers above it)."""
    order = ("everyday", "common", "all")
    keep = [o for o in objects if order.index(o["tier"]) <= order.index(tier)]
    roots_rel = {wn.synset(r).offset for r in RELATIONAL_ROOTS}
    roots_pic = {wn.synset(r).offset for r in PICTURE_ROOTS}
    out: dict[str, list] = {"kin": [], "sense": [], "homonym": [], "shared": [], "part": [], "ambiguous": [],
                            "picture": []}
    keys: dict[str, list[dict]] = {}
    for o in keep:
        if not o["id"].startswith("wn:"):
            continue
        off = int(o["id"][3:])
        up = ancestors(wn, off) | {off}
        if up & roots_rel:
            out["kin"].append((o["name"], o["id"]))
        if up & roots_pic:
            out["picture"].append((o["name"], o["id"]))
        lemma = o["name"].lower().replace(" ", "_")
        senses = wn.index.get(lemma, ())
        ss = wn.synsets[off]
        if ss.part_of or ss.lexfile == 8:
            out["part"].append((o["name"], o["id"], ", ".join(wn.name(wn.synsets[w]) for w in ss.part_of)))
        if len(senses) > 1 and off in senses:
            near = ancestors(wn, off) | wn.descendants(off) | {off}
            mine = sense_use(wn, lemma, off)
            rivals = [s for s in senses if s not in near and wn.synsets[s].lexfile in CONCRETE_LEXFILES
                      and off not in ancestors(wn, s) and sense_use(wn, lemma, s) >= mine]
            if rivals:
                other = wn.synsets[rivals[0]]
                out["ambiguous"].append((o["name"], o["id"], wn.name(other), other.gloss[:60]))
        if len(senses) > 1 and off in senses:
            use = {s: sense_use(wn, lemma, s) for s in senses}
            top = max(senses, key=lambda s: (use[s], -senses.index(s)))
            if top != off and use[off] < use[top]:
                other = wn.synsets[top]
                out["sense"].append((o["name"], o["id"], use[off], use[top], wn.name(other), other.gloss[:60]))
        if len(senses) > 1 and off in senses:
            near = ancestors(wn, off) | wn.descendants(off)
            lex = wn.synsets[off].lexfile
            for s in senses:
                if s != off and s not in near and (lex, wn.synsets[s].lexfile) in HOMONYM_LEXFILES:
                    other = wn.synsets[s]
                    out["homonym"].append((o["name"], o["id"], wn.name(other), other.gloss[:60]))
        if senses and off not in senses:
            other = wn.synsets[senses[0]]
            out["sense"].append((o["name"], o["id"], 0, -1, wn.name(other), other.gloss[:60]))
        for key in {lemma_key(wn, n) for n in (o["name"], *o["synonyms"])}:
            keys.setdefault(key, []).append(o)
    # a printed name (or its plural) whose first WordNet sense is another concept of the tier in the same
    # category reads as that concept: "some field glasses" are binoculars
    by_offset = {int(o["id"][3:]): o for o in keep if o["id"].startswith("wn:")}
    pairs = set()
    for o in keep:
        if not o["id"].startswith("wn:"):
            continue
        for form in {o["name"], o.get("plural") or o["name"]}:
            senses = wn.index.get(form.lower().replace(" ", "_"), ())
            other = by_offset.get(senses[0]) if senses else None
            if other is not None and other["id"] != o["id"] and other["category"] == o["category"]:
                pairs.add((o["name"], other["name"], form))
    out["shared"] = sorted(pairs)
    return out


def scale_spans(tax, tier: str = "everyday", apart: int = 4) -> list[tuple[str, str, str]]:
    """``(relation, subject, object)`` for each spatial or comparative relation of the ``tier`` vocabulary whose
    domains and size bands admit two concepts of the tier ``apart`` or more size classes apart (the first such
    pair by name), from a loaded :class:`gas_solver.taxonomy.Taxonomy`."""
    order = ("everyday", "common", "all")
    keep = [o for o in tax.objects if o.size is not None and order.index(o.tier) <= order.index(tier)]
    by_cat: dict[tuple[str, int], str] = {}
    for o in sorted(keep, key=lambda o: o.name):
        by_cat.setdefault((o.category, o.size), o.name)
    out = []
    for r in sorted(tax.relations.values(), key=lambda r: r.id):
        if r.kind not in ("spatial", "comparative") or order.index(getattr(r, "tier", "everyday")) > order.index(tier):
            continue
        hit = next(((r.id, sn, on) for (sc, ss), sn in by_cat.items() for (oc, os_), on in by_cat.items()
                    if abs(ss - os_) >= apart and tax.relation_allows(r.id, sc, oc)
                    and tax.sizes_allow(r.id, ss, os_, sc, oc)), None)
        if hit:
            out.append(hit)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--taxonomy", type=Path, default=ROOT / "gas_solver" / "data" / "default_taxonomy.json.gz")
    ap.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    ap.add_argument("--tier", default="everyday", choices=("everyday", "common", "all"))
    ap.add_argument("--list", action="store_true", help="print every finding")
    ap.add_argument("--scale", action="store_true",
                    help="also list the spatial and comparative relations that bind things 4+ size classes apart")
    args = ap.parse_args(argv)
    wn = WordNet.read(args.wordnet)
    _doc, objects = load(args.taxonomy)
    found = audit(wn, objects, args.tier)
    order = ("everyday", "common", "all")
    n = sum(order.index(o["tier"]) <= order.index(args.tier) for o in objects)
    if args.list:
        for check, rows in found.items():
            for row in rows:
                print(check, *row, sep="\t")
    print(f"{args.tier}: {n} concepts; kin {len(found['kin'])}, sense {len(found['sense'])}, "
          f"homonym {len({r[0] for r in found['homonym']})}, "
          f"shared pairs {len(found['shared'])}, part {len(found['part'])}, ambiguous {len(found['ambiguous'])}, "
          f"picture {len(found['picture'])}")
    if args.scale:
        sys.path.insert(0, str(ROOT))
        from gas_solver.taxonomy import load_taxonomy

        spans = scale_spans(load_taxonomy(args.taxonomy), args.tier)
        for row in spans:
            print("scale", *row, sep="\t")
        print(f"scale: {len(spans)} relations bind things 4+ size classes apart")
    return 0


if __name__ == "__main__":
    sys.exit(main())
