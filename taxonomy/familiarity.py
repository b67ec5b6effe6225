"""Familiarity, printed names, sizes and settings of the default taxonomy (build time only).

The build (``build.py``) calls into this module at four points, each a plain function over
plain data so that the rules read in one place:

* :meth:`Familiar.choose_name` -- the printed name of a synset: its most familiar usable
  lemma (wordfreq Zipf of the whole phrase), where a lemma only wins when this synset is the
  lemma's first WordNet sense ("pig" beats "hog"; "cell" never names a phone);
* :func:`score_rows` -- a familiarity score and a tier per concept (``everyday`` ⊂ ``common`` ⊂
  ``all``) from the printed name's frequency and membership in visual vocabularies that ship in
  packages (COCO's 80 classes, ImageNet-1k from timm, LVIS from tensorflow-datasets);
* :func:`unique_names` -- one printed name per concept in the whole taxonomy (no parenthesised
  sense tags are ever needed): the most familiar concept keeps a shared name, the others take a
  distinct synonym or a natural distinguishing word ("crane bird");
* :func:`size_of` / :func:`apply_relation_sizes` / :func:`apply_settings` -- size classes
  (orders of magnitude) per concept, size bands per relation, indoor/outdoor settings.

Nothing here is imported at run time: the taxonomy file stores the results.

Examples
--------
>>> tier_of(4.2, coco=False), tier_of(2.7, coco=False), tier_of(1.0, coco=True)
('everyday', 'common', 'everyday')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["TIERS", "SIZE_CLASSES", "Familiar", "tier_of", "read_coco", "read_words", "score_rows",
           "unique_names", "reprint", "size_of", "apply_relation_sizes", "apply_settings", "EVERYDAY_MIN", "COMMON_MIN"]

#: familiarity tiers, most familiar first; each includes the ones before it
TIERS = ("everyday", "common", "all")
#: a concept is ``everyday`` from this score up (about one use per 300,000 words), ``common`` from COMMON_MIN
EVERYDAY_MIN = 3.5
COMMON_MIN = 2.5
#: bonus for membership in a visual vocabulary (ImageNet-1k, LVIS): named by a detection or
#: classification benchmark, so a picture of it is expected to be recognisable
VOCAB_BONUS = 0.5
#: malus when the printed name's first WordNet sense is another synset ("patty" read as "cake")
SENSE_MALUS = 1.0
#: malus per word after the first: wordfreq rates a phrase by its words, so compounds of common
#: words ("mess food", "gun enclosure", "day bed") would otherwise outrank the everyday nouns
WORD_MALUS = 0.75
#: malus when the name is also a WordNet verb, adjective or adverb (or an inflected verb form:
#: "stole", "draw", "must", "settle"): wordfreq counts every part of speech
#: size classes by longest dimension (orders of magnitude), smallest first
SIZE_CLASSES = ("tiny", "small", "medium", "large", "huge", "vast")
SIZE_HELP = ("under 3 cm", "3-30 cm", "30 cm-1 m", "1-3 m", "3-30 m", "over 30 m")
#: lemmas that are frequent as pronouns, adjectives or abstractions, never a better printed name
NOT_A_NAME = {"someone", "somebody", "individual", "mortal", "soul", "one", "thing", "being", "case", "set",
              "unit", "piece", "part", "body", "form", "type", "kind", "sort", "article", "item", "object",
              "matter", "stuff", "material", "head", "line", "point", "place", "back", "top", "side", "end",
              "base", "second", "minute", "well", "lead", "board", "plant", "game", "record", "time", "world",
              "deal", "power", "key", "spring", "fall", "face", "hand", "shop", "store", "ring", "club", "cell",
              "can", "john", "jack", "bill", "tom", "mac", "mike", "will", "pat", "sub"}
#: natural distinguishing word per category, for concepts that share a printed name
CATEGORY_WORD = {
    "person": "person", "mammal": "animal", "bird": "bird", "fish": "fish", "reptile": "reptile",
    "amphibian": "frog", "insect": "insect", "invertebrate": "animal", "animal": "animal", "plant": "plant",
    "flower": "flower", "tree": "tree", "food": "food", "fruit": "fruit", "vegetable": "vegetable",
    "dish": "dish", "baked_good": "pastry", "drink": "drink", "substance": "material", "body_part": "body part",
    "natural_object": "stone", "landform": "landscape", "body_of_water": "water", "building": "building",
    "structure": "structure", "furniture": "furniture", "kitchenware": "kitchenware", "container": "container",
    "tool": "tool", "clothing": "garment", "accessory": "accessory", "vehicle": "vehicle", "device": "device",
    "musical_instrument": "instrument", "weapon": "weapon", "sports_equipment": "sports gear", "toy": "toy",
    "artwork": "artwork", "artifact": "object",
}
#: categories whose distinguishing word is a mass noun ("kitchenware", "sports gear"): after the name it makes
#: the whole name a mass noun ("some beaker kitchenware", "some pin sports gear"); these say it first, as a
#: modifier, and the thing keeps its own count noun ("a kitchen beaker", "a sports pin")
CATEGORY_PREFIX = {"kitchenware": "kitchen", "sports_equipment": "sports"}


def tier_of(score: float, *, coco: bool, attested: bool = True) -> str:
    """The tier of a familiarity score (COCO's 80 classes are always everyday).

    ``attested``: the concept is in a visual vocabulary, SemCor has seen the sense, or its name is
    one word; a compound name only seen through its words' frequencies is at most ``common``.
    """
    if coco or (score >= EVERYDAY_MIN and attested):
        return "everyday"
    return "common" if score >= COMMON_MIN else "all"


def other_pos_words(wordnet_dir: Path) -> frozenset[str]:
    """Lemmas of WordNet's verb, adjective and adverb indexes plus the inflected verb forms of verb.exc."""
    out: set[str] = set()
    for pos in ("verb", "adj", "adv"):
        for line in (wordnet_dir / f"index.{pos}").read_text(encoding="utf-8").splitlines():
            if not line.startswith("  "):
                out.add(line.split(" ", 1)[0])
    for line in (wordnet_dir / "verb.exc").read_text(encoding="utf-8").splitlines():
        if line.strip():
            out.add(line.split(" ", 1)[0])
    return frozenset(out)


def read_words(path: Path) -> list[str]:
    """Non-comment lines of a word list."""
    return [w.strip() for w in path.read_text(encoding="utf-8").splitlines() if w.strip() and not w.startswith("#")]


@dataclass(frozen=True)
class CocoClass:
    coco_name: str
    concept: str
    synset: str
    name: str


def read_coco(path: Path) -> list[CocoClass]:
    """The COCO-80 mapping (``sources/coco80.tsv``)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("coco_name\t"):
            continue
        out.append(CocoClass(*line.split("\t")))
    if len(out) != 80:
        raise SystemExit(f"{path}: expected the 80 COCO classes, found {len(out)}")
    return out


class Familiar:
    """wordfreq look-ups (cached) and the printed-name rule."""

    def __init__(self, zipf, wn, other_pos: frozenset[str] = frozenset(), first: dict[str, int] | None = None):
        self._zipf = zipf
        self._cache: dict[str, float] = {}
        self.wn = wn
        #: lemmas (lower case, underscores) that WordNet also lists as verb, adjective or adverb
        self.other_pos = other_pos
        #: lemma -> the synset it is read as where WordNet's sense order says otherwise
        #: (``sources/first_senses.tsv``: "dolphin" is the mammal)
        self.first = first or {}

    def zipf(self, phrase: str) -> float:
        """Zipf frequency of the whole phrase (wordfreq combines the words of a multi-word phrase)."""
        hit = self._cache.get(phrase)
        if hit is None:
            hit = self._cache[phrase] = self._zipf(phrase, "en")
        return hit

    def phrase_zipf(self, phrase: str) -> float:
        """Zipf of a phrase less WORD_MALUS per word after the first ("sea horse" does not beat "walrus")."""
        return self.zipf(phrase) - WORD_MALUS * len(re.findall(r"[ \-]", phrase))

    def first_sense(self, lemma: str, offset: int) -> bool:
        """This synset is the lemma's first WordNet noun sense (or the lemma is not a WordNet noun)."""
        key = lemma.lower().replace(" ", "_")
        if key in self.first:
            return self.first[key] == offset
        senses = self.wn.index.get(key)
        return not senses or senses[0] == offset

    def choose_name(self, offset: int, lemmas: list[str], default: str) -> str:
        """The most familiar lemma among ``lemmas`` (spaces, not underscores) that reads as this sense.

        ``default`` (the first usable lemma) is kept unless another lemma whose first sense is this
        synset is clearly more frequent (by 0.3 Zipf, multi-word phrases discounted as in
        :meth:`phrase_zipf`): "pig" (4.4) over "hog" (3.4), "couch" over "sofa"; never a pronoun-like
        or generic word ("someone", "unit").
        """
        best, best_z = default, self.phrase_zipf(default)
        for lem in lemmas:
            if (lem == default or lem.lower() in NOT_A_NAME or not self.first_sense(lem, offset)
                    or len(re.findall(r"[ \-]", lem)) > len(re.findall(r"[ \-]", default))):
                continue  # never more words than WordNet's own name: "sea horse" does not replace "walrus"
            z = self.phrase_zipf(lem)
            if z >= best_z + 0.3:
                best, best_z = lem, z
        return best

    def score(self, name: str, offset: int | None, vocab: bool) -> float:
        """Familiarity score: Zipf of the printed name, -WORD_MALUS per word after the first,
        +VOCAB_BONUS in a visual vocabulary, -SENSE_MALUS when the name's first WordNet sense is
        another synset."""
        s = self.phrase_zipf(name)
        if vocab:
            s += VOCAB_BONUS
        if offset is not None and not self.first_sense(name, offset):
            s -= SENSE_MALUS
        if name.lower().replace(" ", "_") in self.other_pos:
            s -= SENSE_MALUS
        return round(max(s, 0.0), 2)


def score_rows(cands: list, familiar: Familiar, vocab: set[int], lvis: set[str], coco: set[int],
               caps: dict[int, str], visible: set[int] | None = None) -> dict[int, tuple[float, str]]:
    """``{offset: (score, tier)}`` for the selected candidates.

    ``vocab`` holds ImageNet-1k offsets, ``lvis`` LVIS class names (matched against the
    candidate's lemmas), ``coco`` the offsets of COCO's classes, ``caps`` the highest tier a
    synset may reach (``sources/tier_caps.tsv``: rooms and facilities are places, which the
    location scene attribute names; they stay reachable through ``all``).  ``visible`` holds the person
    concepts a picture of one person shows (``sources/visible_persons.tsv``): with a score of the common tier
    they are everyday, and every other person concept is at most common (a professor looks like anyone).
    """
    out = {}
    for c in cands:
        off = c.ss.offset
        name = getattr(c, "scored_name", "") or c.name  # "beaker kitchenware" for "kitchen beaker"
        in_vocab = off in vocab or any(lem.lower().replace(" ", "_") in lvis for lem in (name, *c.synonyms))
        score = familiar.score(name, off if off in familiar.wn.synsets and name.replace(" ", "_").lower()
                               in familiar.wn.index else None, in_vocab)
        plain = not re.search(r"[ \-]", name) and not name[:1].isupper()
        # a name that is also a verb, adjective or adverb ("still", "limited", "round") is everyday
        # only when a visual vocabulary names it
        other = name.lower().replace(" ", "_") in familiar.other_pos
        tier = tier_of(score, coco=off in coco, attested=in_vocab or ((c.count >= 1 or plain) and not other))
        if getattr(c, "qualified", False) and tier == "everyday":
            tier = "common"  # "crane bird": a distinguishing word makes a name less everyday
        if visible is not None and c.category == "person" and off not in coco:
            if off in visible and tier == "common":
                tier = "everyday"  # a chef's hat, a bow, a wedding dress: the picture shows the word
            elif off not in visible and tier == "everyday":
                tier = "common"  # a secretary, a lawyer: nothing in a picture of one person says so
        cap = caps.get(off)
        if cap is not None and off not in coco and TIERS.index(tier) < TIERS.index(cap):
            tier = cap
        out[off] = (score, tier)
    return out


def unique_names(rows: list[list], columns: list[str], familiar: Familiar) -> int:
    """Make printed names unique in the whole taxonomy (case-insensitively), in place.

    In each group of concepts sharing a name, the most familiar (then the lower id) keeps it;
    every other one takes its most frequent synonym that no concept uses, else the name with a
    natural distinguishing word for its category ("crane bird", "bass fish"), the old name
    becoming a synonym.  Returns the number of renamed concepts.

    >>> rows = [["a", "crane", "bird", 4.0, []], ["b", "crane", "device", 4.5, ["derrick"]]]
    >>> unique_names(rows, ["id", "name", "category", "familiarity", "synonyms"], Familiar(lambda w, l: 3.0, None))
    1
    >>> [r[1] for r in rows]
    ['crane bird', 'crane']
    """
    ci = {c: columns.index(c) for c in ("id", "name", "category", "familiarity", "synonyms")}
    taken = {r[ci["name"]].lower() for r in rows}
    groups: dict[str, list[list]] = {}
    for r in rows:
        groups.setdefault(r[ci["name"]].lower(), []).append(r)
    renamed = 0
    for key in sorted(groups):
        group = groups[key]
        if len(group) < 2:
            continue
        group.sort(key=lambda r: (-r[ci["familiarity"]], r[ci["id"]]))
        for r in group[1:]:
            old = r[ci["name"]]
            syns = sorted((s for s in r[ci["synonyms"]] if s.lower() not in taken and s.lower() not in NOT_A_NAME
                           and "(" not in s), key=lambda s: (-familiar.zipf(s), s))
            if syns and familiar.zipf(syns[0]) >= 1.5:
                new = syns[0]
            else:
                word = CATEGORY_WORD.get(r[ci["category"]], r[ci["category"]].replace("_", " "))
                new = f"{old} {word}" if not old.lower().endswith(word) else f"{word} {old}"
                prefix = CATEGORY_PREFIX.get(r[ci["category"]])
                if prefix and not old.lower().startswith(prefix):
                    if len(r) > 5 and hasattr(r[5], "scored_name"):
                        r[5].scored_name = new  # the score reads the word after the name, as it always did
                    new = f"{prefix} {old}"
                if len(r) > 5 and hasattr(r[5], "qualified"):
                    r[5].qualified = True
                n, base = 2, (new if prefix else f"{old} {word}")
                while new.lower() in taken:
                    new, n = f"{base} {n}", n + 1
            taken.add(new.lower())
            r[ci["synonyms"]] = sorted({*(s for s in r[ci["synonyms"]] if s != new), old})
            r[ci["name"]] = new
            renamed += 1
    return renamed


def reprint(cands: list, printed: dict[int, str], is_food, is_plant) -> list[tuple[str, str]]:
    """Printed names after :func:`unique_names`, in place: names only, so each concept keeps the score and tier
    its name had (the build scores the names before this).  Returns the ``(old, new)`` names, in order.

    * The food sense of a name a plant keeps ("rosemary food" beside the rosemary plant) takes the name, and the
      plant its category word ("rosemary plant", "nutmeg tree"): in a kitchen the word means the food, and "X
      food" reads as a food for X.  ``is_food`` / ``is_plant``: a category's test.
    * ``printed`` (``sources/printed_names.tsv``: offset -> name) names the others ("citrus" -> "citrus fruit").

    A new name that another concept prints fails the build (a swap in ``printed`` is two rows).

    >>> from types import SimpleNamespace as C
    >>> food = C(ss=C(offset=1), cid=None, name="rosemary food", category="food", synonyms=["rosemary"], qualified=True)
    >>> herb = C(ss=C(offset=2), cid=None, name="rosemary", category="plant", synonyms=[], qualified=False)
    >>> fruit = C(ss=C(offset=3), cid=None, name="citrus", category="fruit", synonyms=["citrus fruit"], qualified=False)
    >>> reprint([food, herb, fruit], {3: "citrus fruit"}, lambda c: c == "food", lambda c: c == "plant")
    [('rosemary food', 'rosemary'), ('rosemary', 'rosemary plant'), ('citrus', 'citrus fruit')]
    >>> food.synonyms, herb.synonyms, fruit.synonyms
    ([], ['rosemary'], ['citrus'])
    """
    by_name = {c.name.lower(): c for c in cands}
    new_names: dict[int, str] = {}
    for c in cands:
        base = c.name[:-len(" food")]
        holder = by_name.get(base.lower())
        if (c.qualified and c.name.endswith(" food") and is_food(c.category) and holder is not None
                and is_plant(holder.category) and not holder.qualified):
            word = CATEGORY_WORD.get(holder.category, holder.category.replace("_", " "))
            new_names[id(c)], new_names[id(holder)] = base, f"{holder.name} {word}"
    for c in cands:
        if c.cid is None and c.ss.offset in printed:
            new_names[id(c)] = printed[c.ss.offset]
    changed = [c for c in cands if id(c) in new_names and new_names[id(c)] != c.name]
    taken = {c.name.lower() for c in cands if id(c) not in new_names}
    out = []
    for c in changed:
        old, new = c.name, new_names[id(c)]
        if new.lower() in taken:
            raise SystemExit(f"printed name {new!r} (for {old!r}) is another concept's name")
        taken.add(new.lower())
        c.synonyms = sorted({*(s for s in c.synonyms if s.lower() != new.lower()), old}) \
            if not old.endswith(" food") else [s for s in c.synonyms if s.lower() != new.lower()]
        c.name = new
        out.append((old, new))
    return out


# ----------------------------------------------------------------------------- sizes
def size_of(markers, wn, offset: int | None, category: str, defaults: dict[str, str], path_of) -> str:
    """Size class of a synset: the closest marker of ``sources/sizes.tsv`` along its hypernym
    paths, else the default of its category (or of the nearest category above it)."""
    if offset is not None:
        hit = markers.lookup(wn, offset)
        if hit is not None:
            return hit
    for cat in reversed(path_of(category)):
        if cat in defaults:
            return defaults[cat]
    return "small"


def tsv_rows(path: Path):
    """``(line number, columns)`` of each row of a curated TSV file: blank lines and ``#`` comment lines
    skipped, columns split on runs of tabs.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "t.tsv"
    >>> _ = p.write_text("# a comment\\n\\nkitchen\\t\\thome\\n", encoding="utf-8")
    >>> list(tsv_rows(p))
    [(3, ['kitchen', 'home'])]
    """
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            yield n, re.split(r"\t+", line.strip())


def _size_range(text: str, where: str) -> list[str]:
    lo, _, hi = text.partition("-")
    hi = hi or lo
    for s in (lo, hi):
        if s not in SIZE_CLASSES:
            raise SystemExit(f"{where}: unknown size class {s!r} (use {', '.join(SIZE_CLASSES)})")
    return [lo, hi]


def apply_relation_sizes(relations: list[dict], path: Path, categories: set[str] | None = None) -> None:
    """Add ``subject_size`` / ``object_size`` bands (``[lo, hi]`` size classes) to the relations
    named in ``curated/relation_sizes.tsv``, in place.  A sizes field is ``*``, ``lo-hi``, or a comma list
    of ``lo-hi`` (the band of the end) and ``category=lo-hi`` items (the band of the concepts under that
    category: ``subject_size_by`` / ``object_size_by``)."""
    by_id = {r["id"]: r for r in relations}
    for n, cols in tsv_rows(path):
        if len(cols) < 3:
            raise SystemExit(f"{path}:{n}: expected relation, subject sizes, object sizes")
        rid, subj, obj = cols[:3]
        if rid not in by_id:
            raise SystemExit(f"{path}:{n}: unknown relation {rid!r}")
        for end, field in (("subject", subj), ("object", obj)):
            if field == "*":
                continue
            for item in field.split(","):
                cat, eq, band = item.strip().rpartition("=")
                if not eq:
                    by_id[rid][f"{end}_size"] = _size_range(band, f"{path}:{n}")
                    continue
                if categories is not None and cat not in categories:
                    raise SystemExit(f"{path}:{n}: unknown category {cat!r}")
                by_id[rid].setdefault(f"{end}_size_by", {})[cat] = _size_range(band, f"{path}:{n}")


def apply_relation_ratios(relations: list[dict], path: Path) -> None:
    """Add ``size_ratio`` (``[lo, hi]``: the object's size class minus the subject's) to the relations named in
    ``curated/relation_ratios.tsv`` (rows ``relation<TAB>lo..hi<TAB>why``), in place."""
    by_id = {r["id"]: r for r in relations}
    top = 5
    for n, cols in tsv_rows(path):
        where = f"{path}:{n}"
        if len(cols) < 3:
            raise SystemExit(f"{where}: expected relation, lo..hi, why")
        rid, span = cols[0], cols[1]
        if rid not in by_id:
            raise SystemExit(f"{where}: unknown relation {rid!r}")
        if "size_ratio" in by_id[rid]:
            raise SystemExit(f"{where}: {rid!r} listed twice")
        m = re.fullmatch(r"(-?\d)\.\.(-?\d)", span)
        if not m or not -top <= int(m[1]) <= int(m[2]) <= top:
            raise SystemExit(f"{where}: ratio must be lo..hi with -{top} <= lo <= hi <= {top} (got {span!r})")
        by_id[rid]["size_ratio"] = [int(m[1]), int(m[2])]


def apply_relation_pairs(relations: list[dict], path: Path, categories: set[str]) -> None:
    """Add ``object_by_subject`` (subject category -> object categories) to the relations named in
    ``curated/relation_pairs.tsv`` (rows ``relation<TAB>subject category<TAB>object categories<TAB>why``), in
    place.  Object categories ``-``: the subject category takes no object (the act is not its own: "a dolphin
    walking past a man")."""
    by_id = {r["id"]: r for r in relations}
    for n, cols in tsv_rows(path):
        where = f"{path}:{n}"
        if len(cols) < 4:
            raise SystemExit(f"{where}: expected relation, subject category, object categories, why")
        rid, subj = cols[0], cols[1]
        objs = [] if cols[2].strip() == "-" else [c.strip() for c in cols[2].split(",")]
        if rid not in by_id:
            raise SystemExit(f"{where}: unknown relation {rid!r}")
        if by_id[rid].get("symmetric"):
            raise SystemExit(f"{where}: {rid!r} is symmetric; a rule by subject would break its symmetry")
        for c in [subj, *objs]:
            if c not in categories:
                raise SystemExit(f"{where}: unknown category {c!r}")
        table = by_id[rid].setdefault("object_by_subject", {})
        if subj in table:
            raise SystemExit(f"{where}: {rid!r} {subj!r} listed twice")
        table[subj] = objs


def apply_relation_tiers(relations: list[dict], path: Path) -> None:
    """Mark the relations listed in ``curated/relation_tiers.tsv`` (one id per line) ``tier = "everyday"``
    and every other relation ``tier = "all"``, in place."""
    by_id = {r["id"]: r for r in relations}
    everyday: set[str] = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        rid = line.split("#", 1)[0].strip()
        if not rid:
            continue
        if rid not in by_id:
            raise SystemExit(f"{path}:{n}: unknown relation {rid!r}")
        if rid in everyday:
            raise SystemExit(f"{path}:{n}: {rid!r} listed twice")
        everyday.add(rid)
    for r in relations:
        r["tier"] = "everyday" if r["id"] in everyday else "all"


def apply_settings(scene_types: list[dict], path: Path, names: dict[str, str] | None = None,
                   categories: set[str] | None = None) -> dict:
    """Mark location values indoor or outdoor, and the values of other place types that carry a setting
    (``curated/settings.tsv`` rows ``<type>:<value id>``), and return the settings table.

    The file has ``@setting`` rows that define what fits a setting (``max_size`` and the
    categories it excludes), ``!fit`` / ``!exclude`` rows that name one category or concept (with its
    printed name, checked against ``names``) which a setting admits or refuses whatever its category says,
    ``!cap`` rows that bound the size class of a category in a setting, ``!deny`` rows that name a
    scene-attribute type no scene of the setting holds (indoors: weather), ``!min`` rows that give the
    smallest size class that fits (an aerial view: medium), and ``value<TAB>setting`` rows; a
    value not listed takes the ``@default_indoor`` setting when its phrase says "indoor" (a public room), the
    ``@default`` one otherwise (outdoor)."""
    settings: dict[str, dict] = {}
    marks: dict[str, str] = {}
    default = None
    default_indoor = "indoor"
    for n, cols in tsv_rows(path):
        if cols[0].startswith("!"):
            rule, sid, what = cols[0][1:], cols[1], cols[2]
            if sid not in settings or rule not in ("fit", "exclude", "cap", "deny", "min"):
                raise SystemExit(f"{path}:{n}: {cols[0]} {sid!r}: define the setting first (rules: !fit, "
                                 f"!exclude, !cap, !deny, !min)")
            if rule == "min":
                if what not in SIZE_CLASSES:
                    raise SystemExit(f"{path}:{n}: !min: {what!r} is no size class ({', '.join(SIZE_CLASSES)})")
                settings[sid]["min_size"] = what
                continue
            if rule == "deny":
                tid, _, vid = what.partition(":")
                types = {t["id"]: t for t in scene_types}
                if tid not in types:
                    raise SystemExit(f"{path}:{n}: !deny: unknown scene-attribute type {tid!r}")
                if vid and vid not in {v["id"] if isinstance(v, dict) else v for v in types[tid]["values"]}:
                    raise SystemExit(f"{path}:{n}: !deny: {tid!r} has no value {vid!r}")
                settings[sid].setdefault("deny", []).append(what)
                continue
            if rule == "cap":
                if categories is not None and what not in categories:
                    raise SystemExit(f"{path}:{n}: !cap: unknown category {what!r}")
                settings[sid].setdefault("caps", {})[what] = cols[3]
                continue
            if names is not None and (categories is None or what not in categories):
                if what not in names:
                    raise SystemExit(f"{path}:{n}: !{rule}: unknown concept or category {what!r}")
                if len(cols) > 3 and cols[3] != names[what]:
                    raise SystemExit(f"{path}:{n}: !{rule}: {what} is {names[what]!r}, not {cols[3]!r}")
            settings[sid].setdefault(rule, []).append(what)
        elif cols[0].startswith("@"):
            sid = cols[0][1:]
            if sid == "default":
                default = cols[1]
                continue
            if sid == "default_indoor":
                default_indoor = cols[1]
                continue
            settings[sid] = {"max_size": cols[1], "exclude": [c for c in cols[2].split(",") if c] if len(cols) > 2
                             and cols[2] != "-" else []}
        else:
            marks[cols[0]] = cols[1]
    typed = {k: m for k, m in marks.items() if ":" in k}  # "<type>:<value id>": a value of another place type
    for st in scene_types:
        for v in st["values"]:
            key = f"{st['id']}:{v['id'] if isinstance(v, dict) else v}"
            if key in typed:
                if typed.pop(key) not in settings:
                    raise SystemExit(f"{path}: {key}: setting {marks[key]!r} not defined")
                v["setting"] = marks[key]
        if st["id"] != "location":
            continue
        for v in st["values"]:
            name = v["name"] if isinstance(v, dict) else v
            setting = marks.get(v["id"] if isinstance(v, dict) else v)
            if setting is None:
                setting = ("outdoor" if "outdoor" in name else default_indoor if "indoor" in name else default)
            if setting not in settings:
                raise SystemExit(f"{path}: location {name!r}: setting {setting!r} not defined")
            v["setting"] = setting
    if typed:
        raise SystemExit(f"{path}: unknown scene-attribute value {sorted(typed)[0]!r} (rows <type>:<value id>)")
    return settings


def read_confusable(path: Path, rows: list[list], closure=None) -> list[list[str]]:
    """Groups of visually confusable concepts (``curated/confusable.tsv``: printed names separated by " | ",
    one group a line) as lists of concept ids; a name that is not exactly one concept's fails the build.
    A line ``@category`` makes every concept of the category (and the categories under it, ``closure``:
    category -> the set of categories under it) one group: a look-alike by category (drinks in a glass)."""
    by_name: dict[str, list[str]] = {}
    for r in rows:
        by_name.setdefault(r[1], []).append(r[0])
    groups = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("!"):
            continue  # never-foil rows: read_never_foil
        if line.startswith(">"):
            continue  # generic rows: read_generic
        if line.startswith("@"):
            cat = line[1:].split("#")[0].strip()
            cats = closure(cat) if closure is not None else {cat}
            if not cats:
                raise SystemExit(f"{path}:{n}: unknown category {cat!r}")
            groups.append(sorted(r[0] for r in rows if r[2] in cats))
            continue
        ids = []
        for name in (w.strip() for w in line.split("|")):
            hits = by_name.get(name, [])
            if len(hits) != 1:
                raise SystemExit(f"{path}:{n}: {name!r} names {len(hits)} concepts (need exactly one)")
            ids.append(hits[0])
        groups.append(ids)
    return groups


def _names_and_children(rows: list[list], isa: dict[str, list[str]]) -> tuple[dict, dict]:
    """``{printed name: [concept ids]}`` of the concept rows and ``{concept: [its is-a children]}``."""
    by_name: dict[str, list[str]] = {}
    for r in rows:
        by_name.setdefault(r[1], []).append(r[0])
    children: dict[str, list[str]] = {}
    for c, parents in isa.items():
        for p in parents:
            children.setdefault(p, []).append(c)
    return by_name, children


def read_never_foil(path: Path, rows: list[list], isa: dict[str, list[str]]) -> list[str]:
    """Concepts no question may use as a foil or distractor (``curated/confusable.tsv`` rows ``!name``: the
    concept and every kind of it by the taxonomy's is-a, ``isa``: concept -> its parents), sorted ids.  Every
    image is a picture of some kind, so "Is there a painting?" has no answer an image in a painter's style
    fixes."""
    by_name, children = _names_and_children(rows, isa)
    out: set[str] = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.startswith("!"):
            continue
        name = line[1:].split("#")[0].strip()
        hits = by_name.get(name, [])
        if len(hits) != 1:
            raise SystemExit(f"{path}:{n}: {name!r} names {len(hits)} concepts (need exactly one)")
        stack = list(hits)
        while stack:
            c = stack.pop()
            if c not in out:
                out.add(c)
                stack.extend(children.get(c, ()))
    return sorted(out)


def read_generic(path: Path, rows: list[list], isa: dict[str, list[str]], closure) -> list[list[str]]:
    """Look-alike pairs of category-generic concepts (``curated/confusable.tsv`` rows ``>category``): the
    concept whose printed name is the category's name ("vehicle", "weapon") stands for any concept of the
    category, so it pairs with each concept of the category (``closure``: category -> the categories under
    it) that its is-a descendants miss (WordNet files a bus and a train outside vehicle.n.01, a grenade
    outside weapon.n.01): "Is there a bus?" beside "a vehicle" is open.  Pairs, not one group: the kinds of
    a category are no look-alikes of each other by this rule.  ``>category = name``: the concept of that
    printed name stands for any concept of the category ("potted plant": any plant may be the one in the
    pot, so "Is there ivy?" beside a potted plant is open)."""
    by_name, children = _names_and_children(rows, isa)
    pairs = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.startswith(">"):
            continue
        cat, _, name = line[1:].split("#")[0].partition("=")
        cat, name = cat.strip(), name.strip() or cat.strip().replace("_", " ")
        cats = closure(cat)
        hits = by_name.get(name, [])
        if not cats or len(hits) != 1:
            raise SystemExit(f"{path}:{n}: {cat!r} must be a category and {name!r} exactly one concept's name")
        generic = hits[0]
        below, stack = {generic}, [generic]
        while stack:
            for k in children.get(stack.pop(), ()):
                if k not in below:
                    below.add(k)
                    stack.append(k)
        pairs += [[generic, r[0]] for r in rows if r[2] in cats and r[0] not in below]
    return pairs
