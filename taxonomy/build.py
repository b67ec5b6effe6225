"""Build the default taxonomy of gas-solver from WordNet 3.0 and the curated files.

Usage (from the repository root)::

    python taxonomy/build.py [--wordnet /usr/share/wordnet] [-o gas_solver/data/default_taxonomy.json.gz]
                             [--imagenet taxonomy/sources/imagenet21k_wnids.txt | timm-1.0.31-py3-none-any.whl]
                             [--sample 50 --seed 0]

Reads WordNet's plain-text noun database (``data.noun``, ``index.noun``, ``noun.exc``,
``cntlist.rev``), the hand lists in ``taxonomy/sources/`` and the curated files in
``taxonomy/curated/`` (``categories.toml`` always; ``attributes.toml``, ``relations.toml``,
``scene_attributes.toml`` when present), and writes one gzipped JSON taxonomy in the
loader's compact form.  The same inputs give the same bytes (sorted keys and rows,
gzip mtime 0).  The selection rules are documented in ``taxonomy/README.md``.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import hashlib
import json
import os
import random
import re
import sys
import tempfile
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import familiarity as fam  # noqa: E402
from attribute_domains import read_attribute_domains  # noqa: E402
from language import Language  # noqa: E402
from isa import object_isa  # noqa: E402
from wordnet import Synset, WordNet  # noqa: E402

__all__ = ["build_taxonomy", "write_taxonomy", "main", "OBJECT_COLUMNS", "VERSION"]

#: bump when the selection rules or the output layout change
VERSION = "1.20"
OBJECT_COLUMNS = ["id", "name", "category", "plural", "article", "countable", "synonyms", "familiarity", "tier",
                  "size", "countability"]
SOURCES = HERE / "sources"
CURATED = HERE / "curated"
DEFAULT_IMAGENET = SOURCES / "imagenet21k_wnids.txt"
IMAGENET_MEMBER = "timm/data/_info/imagenet21k_goog_synsets.txt"
DEFAULT_IMAGENET12K = SOURCES / "imagenet12k_wnids.txt"
IMAGENET12K_MEMBER = "timm/data/_info/imagenet12k_synsets.txt"
#: categories crowded with obscure species ("slender knapweed", "kowhai"): there a synset also
#: needs the stricter ImageNet-12k list (classes with many images) or a SemCor use
STRICT_CATEGORIES = {"plant", "tree"}

#: categories whose concepts are barely in ImageNet (body parts, food preparations, materials,
#: landforms...): a synset outside ImageNet-21k is kept there when SemCor has seen the sense.
OPEN_CATEGORIES = {"food", "fruit", "vegetable", "dish", "baked_good", "drink", "body_part", "natural_object",
                   "substance", "landform", "body_of_water", "structure", "building", "furniture", "kitchenware",
                   "container", "tool", "clothing", "accessory", "vehicle", "device", "musical_instrument",
                   "sports_equipment", "toy", "artwork", "plant", "flower", "tree"}
#: food categories, where a synset outside ImageNet and SemCor is still kept when its first lemma
#: is one lower-case word whose FIRST WordNet sense it is ("pancake", "noodle", "cupcake")
FOOD_CATEGORIES = {"food", "dish", "baked_good", "drink", "fruit", "vegetable"}
#: WordNet usage domains that mark a synset or a lemma as offensive
OFFENSIVE_DOMAINS = ("disparagement.n.01", "ethnic_slur.n.01", "obscenity.n.02")
OFFENSIVE_GLOSS = re.compile(r"offensive (term|name|word)|derogatory|disparaging|ethnic slur|obscene|"
                             r"vulgar (term|slang)|contemptuous term", re.I)
#: WordNet usage domains of brand names: their capitalised lemmas are dropped ("Velveeta", "Uzi")
BRAND_DOMAINS = ("trade_name.n.01", "trademark.n.02")
BRAND_GLOSS = re.compile(r"^\(?trademark\b|\btrade ?name\b|\(trademark\)", re.I)
#: head words of collective / mass names: "sports equipment", "kitchenware", "rye bread"
MASS_HEADS = {"equipment", "gear", "clothing", "furniture", "jewelry", "jewellery", "weaponry", "machinery",
              "luggage", "baggage", "armor", "armour", "footwear", "headgear", "hardware", "cutlery", "crockery",
              "bread", "cheese", "meat", "soup", "sauce", "flour", "sugar", "butter", "rice", "pasta", "oil",
              "syrup", "jam", "jelly", "cream", "salt", "dough", "wine", "beer", "whiskey", "whisky", "tea",
              "coffee", "juice", "water", "milk", "lighting", "gas"}
MASS_SUFFIXES = ("ware", "wear")
#: taxonomic-group jargon ("cyprinid", "lepidopterous insect", "liliaceous plant"): a living-thing
#: synset that has hyponyms, no SemCor use, and a first word of this Latinate shape is a group name
#: a biologist would use, not something a caption writer would; JARGON_KEEP lists the common words
#: of that shape (checked by hand on the build's list of matches).
JARGON_SHAPE = re.compile(r"^[a-z]+(aceous|idae|id|oid|iform|opsid|pterous|spermous|ian|ate|pod|phyte|ine)$")
JARGON_KEEP = {"squid", "skate", "peregrine", "katydid", "aphid", "ermine", "dalmatian", "cichlid", "swine",
               "lupine", "jasmine", "primate", "canine", "feline", "equine", "bovine", "amphibian",
               "crustacean", "arachnid", "helleborine", "tunicate", "cetacean"}
#: organisms named by a plural-only collective noun ("some cattle", "two head of cattle")
LIVING_PLURAL_ONLY = {"cattle", "livestock"}
#: plants named by a word read as a mass noun when the plant is pictured ("some basil", "some wheat", never
#: "a wheat"); poultry is a mass noun too ("some poultry")
LIVING_MASS = {"basil", "rosemary", "wheat", "ivy", "asparagus", "poultry", "thyme", "parsley", "mint", "sage",
               "oregano", "dill", "cilantro", "coriander", "lavender", "barley", "oats", "rice", "grass", "moss"}
#: rare technical jargon in the artifact categories crowded with it ("kicksorter", "eudiometer",
#: "squinch", "tasset"): a synset outside ImageNet-12k with no SemCor use whose display name has a
#: word rarer than RARE_ZIPF on wordfreq's Zipf scale (< 1.5: about 3 uses per 100 million words)
#: is dropped.  RARE_KEEP lists the everyday compounds that wordfreq splits badly or undercounts.
#: categories whose child categories are kinds (devices by what they do; the mammals one rides): the build
#: selects, names, sizes and tiers every concept with the kinds ignored, then writes the kind as the category
#: of the concepts under a kind's anchor, so every rule on the parent keeps its meaning (is-a closed)
KIND_PARENTS = ("device", "mammal", "person")
RARE_CATEGORIES = {"device", "structure", "tool", "artifact", "natural_object", "substance"}
RARE_ZIPF = 1.5
WORDFREQ_VERSION = "3.1.1"
RARE_KEEP = {"airbrake", "bottlebrush", "coatrack", "sunlamp", "hayfork", "woodscrew", "thumbscrew", "backsaw",
             "ripsaw", "broadax", "bucksaw", "bricklayer's hammer", "machinist's vise", "double-bitted ax",
             "Stillson wrench", "birdcall", "bedspring", "currycomb", "pipet", "burette", "gyrocompass",
             "duckboard", "hayrack", "brickkiln", "horsewhip", "packsaddle", "turnspit", "spicemill",
             "beechnut", "chokecherry", "cornhusk", "fruitlet", "nutlet", "candlenut", "doeskin", "cambric"}
#: names of taxa by rank ("family_Aegypiidae", "subclass_Diapsida"): scientific groups, not things
TAXON_RANK = re.compile(r"^(kingdom|subkingdom|phylum|subphylum|division|superclass|class|subclass|infraclass|"
                        r"superorder|order|suborder|infraorder|superfamily|family|subfamily|tribe|genus)_[A-Z]")
MAX_WORDS = 4
MAX_CHARS = 40


# ----------------------------------------------------------------------------- inputs
def _rows(path: Path) -> list[tuple[int, list[str]]]:
    """Tab-separated rows of a source file with their line numbers (``#`` comments skipped)."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            out.append((n, [c.strip() for c in line.split("\t")]))
    return out


def _resolve(wn: WordNet, name: str, path: Path, line: int) -> Synset:
    try:
        return wn.synset(name)
    except KeyError:
        raise SystemExit(f"{path}:{line}: unknown WordNet synset {name!r}") from None


def read_imagenet(path: Path, member: str = IMAGENET_MEMBER) -> set[int]:
    """ImageNet-21k synset offsets from a text list of wnids or straight from timm's wheel.

    Examples
    --------
    >>> len(read_imagenet(DEFAULT_IMAGENET))            # doctest: +SKIP
    21843
    >>> len(read_imagenet(Path("/tmp/timm/timm-1.0.31-py3-none-any.whl")))   # doctest: +SKIP
    21843
    """
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as zf:
            text = zf.read(member).decode("ascii")
    else:
        text = path.read_text(encoding="ascii")
    wnids = [w for w in text.split() if not w.startswith("#")]
    return {int(w[1:]) for w in wnids}


def imagenet_text(offsets: set[int]) -> str:
    """Canonical text of a wnid set (what ``sources/imagenet21k_wnids.txt`` holds)."""
    return "".join(f"n{o:08d}\n" for o in sorted(offsets))


@dataclass
class Markers:
    """Synset markers resolved by "closest marker along the hypernym paths, ties: first listed"."""

    subtree: dict[int, tuple[int, str]]   # offset -> (rank, value)
    single: dict[int, tuple[int, str]]    # markers that apply to the synset itself only

    @classmethod
    def read(cls, wn: WordNet, path: Path) -> tuple["Markers", dict[str, str]]:
        subtree, single, defaults = {}, {}, {}
        for rank, (n, cols) in enumerate(_rows(path)):
            if cols[0].startswith("@"):
                defaults[cols[0][1:]] = cols[1]
                continue
            ss = _resolve(wn, cols[0], path, n)
            target = single if len(cols) > 2 and cols[2] == "self" else subtree
            if ss.offset in target:
                raise SystemExit(f"{path}:{n}: synset {cols[0]} listed twice")
            target[ss.offset] = (rank, cols[1])
        return cls(subtree, single), defaults

    def reach(self, wn: WordNet, offset: int) -> list[tuple[int, int, str]]:
        """Every subtree marker above ``offset`` (itself included) as (distance, rank, value)."""
        out = []
        level, seen, dist = {offset}, {offset}, 0
        while level:
            out += [(dist, *self.subtree[o]) for o in level if o in self.subtree]
            nxt = set()
            for o in level:
                for h in wn.synsets[o].hypernyms:
                    if h not in seen:
                        seen.add(h)
                        nxt.add(h)
            level, dist = nxt, dist + 1
        return out

    def lookup(self, wn: WordNet, offset: int) -> str | None:
        """The closest marker (ties: first listed)."""
        if offset in self.single:
            return self.single[offset][1]
        hits = self.reach(wn, offset)
        return min(hits)[2] if hits else None


def _with_category_fixes(isa: dict, wn: WordNet, category_fix: dict, ids: list) -> dict:
    """``isa`` where a concept that category_fixes.tsv moves into category X is also a kind of X's own concept
    (``X.n.01``, where the taxonomy has it): a life jacket filed under clothing is clothing, so "Are there any
    clothes?" is not a foil beside it, though WordNet files it under rescue equipment."""
    known = set(ids)
    extra: dict = {}
    for off, cat in category_fix.items():
        try:
            head = f"wn:{wn.synset(f'{cat}.n.01').offset:08d}"
        except KeyError:
            continue
        cid = f"wn:{off:08d}"
        if cid in known and head in known and head != cid:
            extra[cid] = head
    return {i: sorted(set(isa.get(i, [])) | ({extra[i]} if i in extra else set()))
            for i in ids if i in isa or i in extra}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ----------------------------------------------------------------------------- selection
@dataclass
class Candidate:
    ss: Synset
    category: str
    name: str
    synonyms: list[str]
    in_imagenet: bool
    count: int
    #: an id for concepts WordNet lacks ("gas:stop_sign"; ``ss`` is then the nearest synset above it)
    cid: str | None = None
    #: renamed with a category word because another concept keeps the shared name ("crane bird")
    qualified: bool = False
    #: a name qualified by a word said first ("kitchen beaker"): the same name with the category word after it
    #: ("beaker kitchenware"), which the familiarity score reads, so the word's place moves no concept's tier
    scored_name: str = ""
    #: the name before the familiar-synonym rule (near-duplicates are found by it)
    base: str = ""
    #: the kind of device ("light", "screen" ...) when ``category`` is "device" and an anchor names one: the
    #: category written out; selection and naming rules see ``category`` only, so the kinds change no concept
    kind: str = ""


class Builder:
    """Applies the selection rules; ``dropped`` counts why synsets were left out."""

    def __init__(self, wn: WordNet, imagenet: set[int], sources: Path = SOURCES, curated: Path = CURATED,
                 imagenet12k: set[int] | None = None):
        self.wn = wn
        self.imagenet = imagenet
        self.imagenet12k = imagenet if imagenet12k is None else imagenet12k
        self.dropped: collections.Counter = collections.Counter()
        self.categories, _ = Markers.read(wn, sources / "category_anchors.tsv")
        tree = {c["id"]: c.get("parent") for c in tomllib.loads(
            (curated / "categories.toml").read_text(encoding="utf-8"))["categories"]}
        self.tree = tree
        self.depth = {}
        for cid in tree:
            d, p = 0, tree[cid]
            while p is not None:
                d, p = d + 1, tree[p]
            self.depth[cid] = d
        for rank, (offset, (_, cat)) in enumerate(self.categories.subtree.items()):
            if cat != "-" and cat not in tree:
                raise SystemExit(f"{sources / 'category_anchors.tsv'}: unknown category {cat!r}")
        # people: an explicit list of synsets, no subtree rule (WordNet's person tree is full of
        # slang, judgements and roles a picture cannot show)
        self.person_keep = {_resolve(wn, cols[0], sources / "person_keep.tsv", n).offset
                            for n, cols in _rows(sources / "person_keep.tsv")}
        self.visible, _ = Markers.read(wn, sources / "visible_body_parts.tsv")
        # a visible part is a body_part anchor too, so "-" subtrees (bone, tissue) cannot hide a tooth
        for offset, (rank, value) in self.visible.subtree.items():
            if value == "visible" and offset not in self.categories.subtree:
                self.categories.subtree[offset] = (10_000 + rank, "body_part")
        self.allow = {_resolve(wn, cols[0], sources / "allow_synsets.tsv", n).offset
                      for n, cols in _rows(sources / "allow_synsets.tsv")}
        self.mass, self.mass_defaults = Markers.read(wn, sources / "mass_nouns.tsv")
        words = [w.lower() for _, (w, *_) in _rows(sources / "deny_words.txt")]
        self.deny_words = {w.lstrip("*") for w in words}
        self.deny_tokens = {w[1:] for w in words if w.startswith("*")}
        self.display = {}
        for n, cols in _rows(sources / "display_names.tsv"):
            self.display[_resolve(wn, cols[0], sources / "display_names.tsv", n).offset] = cols[1]
        # names printed after the names are made unique, scored as the names they replace (familiarity.reprint)
        self.printed = {_resolve(wn, cols[0], sources / "printed_names.tsv", n).offset: cols[1]
                        for n, cols in _rows(sources / "printed_names.tsv")}
        self.deny_self: set[int] = set()
        self.deny_subtree: set[int] = set()
        for n, cols in _rows(sources / "deny_synsets.tsv"):
            ss = _resolve(wn, cols[0], sources / "deny_synsets.tsv", n)
            if cols[1] == "subtree":
                self.deny_subtree |= wn.descendants(ss.offset)
            elif cols[1] == "self":
                self.deny_self.add(ss.offset)
            else:
                raise SystemExit(f"{sources / 'deny_synsets.tsv'}:{n}: scope must be self or subtree")
        self.offensive = {wn.synset(d).offset for d in OFFENSIVE_DOMAINS}
        self.brand = {wn.synset(d).offset for d in BRAND_DOMAINS}
        self.plural_domain = wn.synset("plural.n.01").offset
        self.lang = Language.from_file(sources / "inflection_overrides.tsv")
        self._zipf = None  # wordfreq, imported on first use (build-time only dependency)
        self._init_familiarity(sources)

    # -- familiarity, printed names, sizes (rules in familiarity.py)
    def _init_familiarity(self, sources: Path) -> None:
        """COCO's classes (always kept, under their everyday names), the category fixes of the
        audit, tier caps, size markers and the visual vocabularies of the familiarity score."""
        self.coco = fam.read_coco(sources / "coco80.tsv")
        self.coco_offsets = set()
        for c in self.coco:
            if c.synset != "-":
                off = _resolve(self.wn, c.synset, sources / "coco80.tsv", 0).offset
                if c.concept != f"wn:{off:08d}":
                    raise SystemExit(f"{sources / 'coco80.tsv'}: {c.coco_name}: concept {c.concept} is not {c.synset}")
                self.coco_offsets.add(off)
                self.allow.add(off)
                self.display[off] = c.name
        self.category_fix = {_resolve(self.wn, cols[0], sources / "category_fixes.tsv", n).offset: cols[1]
                             for n, cols in _rows(sources / "category_fixes.tsv")}
        for cat in self.category_fix.values():
            if cat not in self.tree:
                raise SystemExit(f"{sources / 'category_fixes.tsv'}: unknown category {cat!r}")
        caps, cat_caps = Markers.read(self.wn, sources / "tier_caps.tsv")
        self.tier_caps = caps
        self.category_caps = cat_caps  # "@building common": a category and everything under it
        self.sizes, self.size_defaults = Markers.read(self.wn, sources / "sizes.tsv")
        for v in [*self.size_defaults.values(), *(v for _, v in self.sizes.subtree.values()),
                  *(v for _, v in self.sizes.single.values())]:
            if v not in fam.SIZE_CLASSES:
                raise SystemExit(f"{sources / 'sizes.tsv'}: unknown size class {v!r}")
        self.imagenet1k = read_imagenet(sources / "imagenet1k_wnids.txt")
        self.lvis = set(fam.read_words(sources / "lvis_classes.txt"))
        # the sense a printed word is read in where WordNet's (untagged) sense order says otherwise
        self.first_senses = {cols[0]: _resolve(self.wn, cols[1], sources / "first_senses.tsv", n).offset
                             for n, cols in _rows(sources / "first_senses.tsv")}
        # person concepts a picture of one person shows (age, sex, a role's dress or tools)
        self.visible_persons = set()
        for n, cols in _rows(sources / "visible_persons.tsv"):
            ss = _resolve(self.wn, cols[0], sources / "visible_persons.tsv", n)
            if self.category(ss.offset) != "person":
                raise SystemExit(f"{sources / 'visible_persons.tsv'}:{n}: {cols[0]} is not a person concept")
            self.visible_persons.add(ss.offset)
        self._familiar = None

    @property
    def familiar(self) -> "fam.Familiar":
        if self._familiar is None:
            self.rarest_zipf("a")  # loads and checks the pinned wordfreq
            self._familiar = fam.Familiar(self._zipf, self.wn, fam.other_pos_words(self.wn_dir), self.first_senses)
        return self._familiar

    def rarest_zipf(self, name: str) -> float:
        """Zipf frequency (wordfreq, English) of the rarest word of ``name``."""
        if self._zipf is None:
            from importlib.metadata import version

            import wordfreq

            # the frequency tables change between releases: pinned, so the build stays reproducible
            if version("wordfreq") != WORDFREQ_VERSION:
                raise SystemExit(f"wordfreq {WORDFREQ_VERSION} needed, found {version('wordfreq')} "
                                 "(pip install -e '.[taxonomy-build]')")
            self._zipf = wordfreq.zipf_frequency
        words = [w for w in re.split(r"[ \-]", name.lower()) if w]
        return min(self._zipf(w, "en") for w in words)

    def category(self, offset: int, kinds: bool = False) -> str | None:
        """The most specific category reached: deepest in the category tree, then closest, then
        first listed.  "-" when an excluded subtree is strictly closer than that anchor.  The kinds of
        device (categories under "device": light, screen ...) count only with ``kinds``: the selection
        rules see the category as it was before the kinds existed."""
        if offset in self.category_fix:
            return self.category_fix[offset]
        hits = self.categories.reach(self.wn, offset)
        if not kinds:
            hits = [h for h in hits if h[2] == "-" or self.tree.get(h[2]) not in KIND_PARENTS]
        positive = [h for h in hits if h[2] != "-"]
        if not positive:
            return "-" if hits else None
        best = min(positive, key=lambda h: (-self.depth[h[2]], h[0], h[1]))
        if any(h[2] == "-" and h[0] < best[0] for h in hits):
            return "-"
        return best[2]

    def depth_path(self, category: str) -> list[str]:
        out = []
        c: str | None = category
        while c is not None:
            out.append(c)
            c = self.tree[c]
        return out[::-1]

    # -- lemma tests
    def is_binomial(self, lemma: str) -> bool:
        """A Latin binomial or genus name ("Canis_familiaris"): the first word names a genus."""
        first = lemma.split("_")[0]
        return first[:1].isupper() and f"genus_{first.lower()}" in self.wn.index

    def head_is_plural(self, name: str) -> bool:
        """A name whose head (last) word is a plural form of a WordNet noun ("Boston baked beans",
        "french fries", "bedclothes"); "X of Y" names are left to inflect ("coat of arms")."""
        words = name.split(" ")
        if " of " in name:
            return False
        head = words[-1].lower()
        if not head.endswith("s") or head.endswith(("ss", "us", "is")) or words[-1][:1].isupper():
            return False
        singulars = {self.wn.exceptions.get(head), head[:-1]}
        if head.endswith("es"):
            singulars.add(head[:-2])
        if head.endswith("ies"):
            singulars.add(head[:-3] + "y")
        return any(w and len(w) > 2 and w != head and w in self.wn.index for w in singulars)

    def is_dominant_word(self, ss: Synset) -> bool:
        """The synset's first lemma is a single lower-case word and this synset is its first sense."""
        lem = ss.lemmas[0]
        return ("_" not in lem and lem.islower() and self.wn.index.get(lem.lower(), (None,))[0] == ss.offset)

    @staticmethod
    def is_capitalised(lemma: str) -> bool:
        """A proper-name-like lemma: capital first letter, and not an initialism (SUV, LED)."""
        first = lemma.replace("-", "_").split("_")[0]
        return first[:1].isupper() and not first.isupper()

    def lemma_ok(self, lemma: str) -> bool:
        """Not on the deny list (whole lemma, or a word of it for ``*`` entries), not a Latin
        binomial or a ranked taxon name ("family Aegypiidae"), no digits inside ("atomic number 47";
        a leading number as in "8-ball" is fine)."""
        text = lemma.replace("_", " ").lower()
        if text in self.deny_words or any(w in self.deny_tokens for w in re.split(r"[ \-]", text)):
            return False
        if self.is_binomial(lemma) or TAXON_RANK.match(lemma):
            return False
        return not (re.search(r"\d", lemma) and not lemma[:1].isdigit())

    def candidate(self, ss: Synset) -> Candidate | None:
        wn = self.wn
        if ss.instance_of:
            self.dropped["instance"] += 1
            return None
        category = self.category(ss.offset)
        if category is None or category == "-":
            self.dropped["not under a concrete root" if category is None else "excluded subtree"] += 1
            return None
        if ss.offset in self.deny_self or ss.offset in self.deny_subtree:
            self.dropped["deny_synsets.tsv"] += 1
            return None
        if any(d in self.offensive and src == 0 for d, src in ss.usage_domains) or OFFENSIVE_GLOSS.search(ss.gloss):
            self.dropped["offensive (usage label or gloss)"] += 1
            return None
        in_imagenet = ss.offset in self.imagenet
        count = wn.count(ss)
        if category == "person":
            if ss.offset not in self.person_keep:
                self.dropped["person not on person_keep.tsv"] += 1
                return None
        elif category == "body_part" and self.visible.lookup(wn, ss.offset) != "visible":
            self.dropped["body part not visible (visible_body_parts.tsv)"] += 1
            return None
        elif (not in_imagenet and not (category in OPEN_CATEGORIES and count >= 1) and ss.offset not in self.allow
              and not (category in FOOD_CATEGORIES and self.is_dominant_word(ss))):
            self.dropped["not depictable (not in ImageNet-21k, no SemCor use)"] += 1
            return None
        elif (category in STRICT_CATEGORIES and ss.offset not in self.imagenet12k and count < 1
              and ss.offset not in self.allow):
            self.dropped["obscure plant or tree (not in ImageNet-12k, no SemCor use)"] += 1
            return None
        # lemmas: offensive ones (label on the lemma, deny list), binomials, digits out
        bad_lemmas = {src for d, src in ss.usage_domains if d in self.offensive and src}
        brand = {src for d, src in ss.usage_domains if d in self.brand}
        if BRAND_GLOSS.search(ss.gloss):
            brand.add(0)
        lemmas = [lem for i, lem in enumerate(ss.lemmas, 1)
                  if i not in bad_lemmas and self.lemma_ok(lem)
                  and not ((0 in brand or i in brand) and self.is_capitalised(lem))]
        base = None
        if ss.offset in self.display:
            name = self.display[ss.offset]
        else:
            good = [lem for lem in lemmas if not self.is_capitalised(lem)
                    and len(lem.split("_")) <= MAX_WORDS and len(lem) <= MAX_CHARS]
            if not good:
                # only capitalised lemmas: breeds and dishes ("German shepherd", "Caesar salad")
                # are common nouns with a capital; people and non-ImageNet synsets are proper names
                good = [lem for lem in lemmas if len(lem.split("_")) <= MAX_WORDS and len(lem) <= MAX_CHARS]
                if not good or category == "person" or not (in_imagenet or ss.offset in self.allow):
                    self.dropped["no usable lemma (proper name, offensive, Latin, too long)"] += 1
                    return None
            name = good[0].replace("_", " ")
            base = name
            if category != "person":  # people's names were reviewed one by one (person_keep.tsv)
                name = self.familiar.choose_name(ss.offset, [g.replace("_", " ") for g in good], name)
        if (category in RARE_CATEGORIES and ss.offset not in self.imagenet12k and count < 1
                and ss.offset not in self.allow and name not in RARE_KEEP and self.rarest_zipf(name) < RARE_ZIPF):
            self.dropped["rare technical jargon (not in ImageNet-12k, no SemCor use, wordfreq Zipf < 1.5)"] += 1
            return None
        first = name.split(" ")[0]
        if (self.depth_path(category)[:2] == ["thing", "living"] and ss.hyponyms and count == 0
                and JARGON_SHAPE.match(first) and first not in JARGON_KEEP and ss.offset not in self.allow):
            self.dropped["taxonomic-group jargon (Latinate group name, no SemCor use)"] += 1
            return None
        synonyms = []
        for lem in lemmas:
            text = lem.replace("_", " ")
            if text != name and text not in synonyms and not (category == "person" and self.is_capitalised(lem)):
                synonyms.append(text)
        kind = self.category(ss.offset, kinds=True) if category in KIND_PARENTS else None
        kind = kind if kind is not None and self.tree.get(kind) == category else ""
        return Candidate(ss, category, name, synonyms, in_imagenet, count, base=base or name, kind=kind)

    def language(self, c: Candidate) -> tuple[str, str, bool, str]:
        """(plural, article, countable, countability) of a candidate's display name.

        countability: "count", "mass", or "plural" for plural-only names (scissors, jeans, cattle).

        Countability: the closest synset marker of ``mass_nouns.tsv``, else the category default.
        Outside living things, name rules then apply: a mass head word ("rye bread", "sports
        equipment") and the override table.  Organisms never take name rules ("beef" the food is
        mass, a beef the animal is counted).  Already-plural lemmas (WordNet usage label
        "plural": "brass knucks") keep their form and take no article."""
        default = self.mass_defaults.get(c.category) or self.mass_defaults.get("thing", "count")
        marker = self.mass.lookup(self.wn, c.ss.offset)
        countable = (marker or default) == "count"
        living = self.depth_path(c.category)[:2] == ["thing", "living"]
        ov = self.lang.overrides.get(c.name)
        if not living:
            head = c.name.split(" ")[-1].lower()
            head_ov = self.lang.overrides.get(c.name.split(" ")[-1])
            if (head in MASS_HEADS or (head.endswith(MASS_SUFFIXES) and len(head) > 5)
                    or (" " in c.name and head_ov is not None and head_ov.countable is False)):
                countable = False  # "lithia water", "long trousers" are mass / plural-only like their head
            if ov is not None and ov.countable is not None:
                countable = ov.countable
        if living and c.name in LIVING_PLURAL_ONLY:
            # collective animal nouns: some cattle, never "a cattle" (mass rows such as beef or
            # rice say nothing about the organism, so this is a closed list)
            plural, article = c.name, ""
            return plural, article, False, "plural"
        if living and c.name in LIVING_MASS:
            return c.name, "", False, "mass"
        # WordNet's "plural" label also marks "(usually plural)" nouns named in the singular
        # ("stocking", "bedspring"): only a name that looks plural is taken as plural-only
        already_plural = ov is None and ((c.name.endswith("s") and any(d == self.plural_domain
                                                                       for d, _ in c.ss.usage_domains))
                                         or (not living and self.head_is_plural(c.name)))
        if already_plural:
            countable = False
        plural = self.lang.plural(c.name, countable=countable, already_plural=already_plural)
        if living and ov is None and self.head_is_plural(c.name):
            plural = c.name  # species named by a plural-looking word take a zero plural: two yellowlegs
        article = self.lang.article(c.name, countable=countable, already_plural=already_plural)
        if countable:
            kind = "count"
        elif already_plural or any(o is not None and o.countable is False and o.plural == w and w.endswith("s")
                                   and not w.endswith(("us", "ss"))  # mass nouns in -s: asparagus, molasses
                                   for w, o in ((c.name, ov), (c.name.split(" ")[-1],
                                                               self.lang.overrides.get(c.name.split(" ")[-1])))):
            kind = "plural"  # a plural-only override row, for the name or its head ("scissors", "long trousers")
        else:
            kind = "mass"
        return plural, article, countable, kind

    def objects(self) -> list[list]:
        cands = [c for ss in self.wn.synsets.values() if (c := self.candidate(ss)) is not None]
        # near-duplicates: one concept per (category, display name); prefer the sense SemCor
        # uses most, then the ImageNet one, then the lower offset (stable)
        best: dict[tuple[str, str], Candidate] = {}
        for c in sorted(cands, key=lambda c: (-c.count, not c.in_imagenet, c.ss.offset)):
            key = (c.category, c.base.lower())
            if key in best:
                self.dropped["near-duplicate (same name, same category)"] += 1
                continue
            best[key] = c
        return self.familiar_rows(list(best.values()))

    def tier_cap(self, c: Candidate) -> str | None:
        """The highest tier a candidate may reach: its synset's row of ``tier_caps.tsv``, else a row of its
        category or a category above it (``@place common``: places are settings, not objects), else None."""
        cap = self.tier_caps.lookup(self.wn, c.ss.offset)
        if cap is not None:
            return cap
        for cat in reversed(self.depth_path(c.category)):
            if cat in self.category_caps:
                return self.category_caps[cat]
        return None

    def familiar_rows(self, cands: list[Candidate]) -> list[list]:
        """Object rows with familiarity, tier and size; names made unique (rules in familiarity.py).

        Scores are computed twice: first to decide which concept keeps a shared name (COCO's
        classes always do), then again on the final names, so a tier always reflects the name
        that is printed."""
        wn = self.wn
        stop = Candidate(wn.synset("street_sign.n.01"), "structure", "stop sign", [], False, 0, cid="gas:stop_sign")
        cands = [*cands, stop]
        # concepts added by hand hang under their nearest synset in the is-a graph (taxonomy/isa.py); where
        # that synset names the message, not the thing ("street sign" is a communication in WordNet), the
        # physical synset of HAND_ISA
        self.hand_anchors = {c.cid: wn.synset(HAND_ISA[c.cid]).offset if c.cid in HAND_ISA else c.ss.offset
                             for c in cands if c.cid}
        caps = {c.ss.offset: cap for c in cands if c.cid is None and (cap := self.tier_cap(c))}

        def scores() -> dict[str, tuple[float, str]]:
            real = fam.score_rows([c for c in cands if c.cid is None], self.familiar, self.imagenet1k, self.lvis,
                                  self.coco_offsets, caps, self.visible_persons)
            return {(c.cid or f"wn:{c.ss.offset:08d}"): real[c.ss.offset] if c.cid is None
                    else (self.familiar.score(c.name, None, True), "everyday") for c in cands}

        first = scores()
        # who keeps a shared name: COCO's classes (their everyday names are the point of the list),
        # then the sense SemCor uses most (the hammer that drives nails, not the gun part), then
        # the more familiar; a thing before the material it is made of (the oak tree, not oak wood)
        draft = [[c.cid or f"wn:{c.ss.offset:08d}", c.name, c.category,
                  (1e9 if c.cid or c.ss.offset in self.coco_offsets else 0)
                  + (0 if c.category == "substance" else 1e6) + 1000 * c.count
                  + first[c.cid or f"wn:{c.ss.offset:08d}"][0], list(c.synonyms), c] for c in cands]
        self.renamed = fam.unique_names(draft, ["id", "name", "category", "familiarity", "synonyms"], self.familiar)
        for _cid, name, _category, _score, synonyms, c in draft:
            c.name, c.synonyms = name, synonyms
        final = scores()
        # printed names that keep the scores just computed: the food sense of a plant's name ("rosemary", the
        # plant "rosemary plant"), and printed_names.tsv ("citrus fruit")
        self.reprinted = fam.reprint(cands, self.printed, lambda cat: cat in FOOD_CATEGORIES,
                                     lambda cat: "plant" in self.depth_path(cat))
        rows = []
        for c in cands:
            cid = c.cid or f"wn:{c.ss.offset:08d}"
            plural, article, countable, kind = self.language(c)
            size = fam.size_of(self.sizes, wn, c.ss.offset, c.category, self.size_defaults, self.depth_path)
            rows.append([cid, c.name, c.kind or c.category, plural, article, countable, sorted(c.synonyms), final[cid][0],
                         final[cid][1], size, kind])
        rows.sort(key=lambda r: r[0])
        return rows


# ----------------------------------------------------------------------------- assembly
#: is-a anchors of concepts added by hand: a stop sign is a (physical) signboard
HAND_ISA = {"gas:stop_sign": "signboard.n.01"}

CURATED_FILES = {"attribute_types": "attributes.toml", "relations": "relations.toml",
                 "scene_attribute_types": "scene_attributes.toml", "relation_logic": "relation_logic.toml",
                 "attribute_exclusions": "attribute_exclusions.toml",
                 "subject_exclusions": "subject_exclusions.toml"}


def build_taxonomy(wordnet_dir: Path, imagenet_path: Path, curated_dir: Path = CURATED,
                   sources_dir: Path = SOURCES,
                   imagenet12k_path: Path = DEFAULT_IMAGENET12K) -> tuple[dict, collections.Counter]:
    """Build the taxonomy document (a JSON-able dict) and the drop statistics.

    Examples
    --------
    >>> doc, dropped = build_taxonomy(Path("/usr/share/wordnet"), DEFAULT_IMAGENET)   # doctest: +SKIP
    >>> len(doc["objects"]) > 15000                                                   # doctest: +SKIP
    True
    """
    wn = WordNet.read(wordnet_dir)
    imagenet = read_imagenet(imagenet_path)
    imagenet12k = read_imagenet(imagenet12k_path, IMAGENET12K_MEMBER)
    builder = Builder(wn, imagenet, sources_dir, curated_dir, imagenet12k)
    builder.wn_dir = wordnet_dir
    rows = builder.objects()
    cats = tomllib.loads((curated_dir / "categories.toml").read_text(encoding="utf-8"))["categories"]
    inputs = {
        "wordnet/data.noun": _sha256(wordnet_dir / "data.noun"),
        "wordnet/index.noun": _sha256(wordnet_dir / "index.noun"),
        "imagenet21k_wnids": hashlib.sha256(imagenet_text(imagenet).encode()).hexdigest(),
        "wordfreq": WORDFREQ_VERSION,
        "imagenet12k_wnids": hashlib.sha256(imagenet_text(imagenet12k).encode()).hexdigest(),
    }
    for p in sorted(sources_dir.iterdir()):
        if p.suffix in (".tsv", ".txt") and p.name not in (DEFAULT_IMAGENET.name, DEFAULT_IMAGENET12K.name):
            inputs[f"sources/{p.name}"] = _sha256(p)
    doc = {
        "format": "gas-taxonomy/1",
        "name": "default",
        "version": VERSION,
        "sources": [
            "Objects: Princeton WordNet 3.0 noun synsets (WordNet 3.0 licence, see LICENSE-WordNet.txt: "
            "'WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.'); ids are 'wn:' + "
            "synset offset.",
            "Depictability signal: ImageNet-21k and ImageNet-12k synset lists as shipped in timm 1.0.31 "
            "(timm/data/_info/imagenet21k_goog_synsets.txt, imagenet12k_synsets.txt; Apache-2.0).",
            "Plurals and articles: inflect (MIT) plus the project's reviewed override table.",
            "Rare-jargon filter signal: wordfreq 3.1.1 English Zipf frequencies (Apache-2.0 code; "
            "CC BY-SA 4.0 data, used as a filter only, not redistributed).",
            "Category tree, selection lists, attributes, relations, scene attributes: gas-solver project "
            "(taxonomy/curated, taxonomy/sources).",
        ],
        "categories": cats,
        "object_columns": OBJECT_COLUMNS,
        "objects": rows,
        "object_isa": _with_category_fixes(object_isa(wn, [r[0] for r in rows], builder.hand_anchors), wn,
                                           builder.category_fix, [r[0] for r in rows]),
        "object_parts": object_parts(wn, [r[0] for r in rows]),
    }
    for key, fname in CURATED_FILES.items():
        p = curated_dir / fname
        if p.exists():
            data = tomllib.loads(p.read_text(encoding="utf-8"))
            doc[key] = data.get(key, [])
            inputs[f"curated/{fname}"] = _sha256(p)
            doc["sources"].extend(str(s) for s in data.get("sources", []))
        else:
            doc[key] = []
    inputs["curated/categories.toml"] = _sha256(curated_dir / "categories.toml")
    apply_plausibility(doc, curated_dir, inputs)
    doc["build"] = {"inputs": dict(sorted(inputs.items())), "script_version": VERSION}
    return doc, builder.dropped


def object_parts(wn: WordNet, ids: list[str]) -> dict[str, list[str]]:
    """Concept -> the concepts of the taxonomy that are its parts: WordNet's part meronyms (``%p``), followed
    through synsets outside the taxonomy too (a car's car door's car window).  Only a concept's own parts:
    kinds inherit them, and the question realizer closes them (see ``Taxonomy.concept_parts``).

    >>> object_parts(wn, ["wn:02958343", "wn:02960501"])["wn:02958343"]  # doctest: +SKIP
    ['wn:02960501']
    """
    kept = {int(c[3:]): c for c in ids if c.startswith("wn:")}
    out: dict[str, list[str]] = {}
    for off, c in kept.items():
        seen: set[int] = set()
        stack = list(wn.synsets[off].parts)
        while stack:
            x = stack.pop()
            if x not in seen and x in wn.synsets:
                seen.add(x)
                stack.extend(wn.synsets[x].parts)
        mine = sorted(kept[x] for x in seen if x in kept and x != off)
        if mine:
            out[c] = mine
    return dict(sorted(out.items()))


def apply_plausibility(doc: dict, curated_dir: Path, inputs: dict) -> None:
    """Size bands of relations (``curated/relation_sizes.tsv``), indoor/outdoor settings of location values
    (``curated/settings.tsv``) and attribute domains by category and kind (``curated/attribute_domains.tsv``,
    read by ``attribute_domains.py``), in place; rules in ``familiarity.py``."""
    sizes, settings = curated_dir / "relation_sizes.tsv", curated_dir / "settings.tsv"
    if sizes.exists():
        fam.apply_relation_sizes(doc["relations"], sizes, {c["id"] for c in doc["categories"]})
        inputs["curated/relation_sizes.tsv"] = _sha256(sizes)
    ratios = curated_dir / "relation_ratios.tsv"
    if ratios.exists():
        fam.apply_relation_ratios(doc["relations"], ratios)
        inputs["curated/relation_ratios.tsv"] = _sha256(ratios)
    pairs = curated_dir / "relation_pairs.tsv"
    if pairs.exists():
        fam.apply_relation_pairs(doc["relations"], pairs, {c["id"] for c in doc["categories"]})
        inputs["curated/relation_pairs.tsv"] = _sha256(pairs)
    tiers = curated_dir / "relation_tiers.tsv"
    if tiers.exists():
        fam.apply_relation_tiers(doc["relations"], tiers)
        inputs["curated/relation_tiers.tsv"] = _sha256(tiers)
    if settings.exists():
        table = fam.apply_settings(doc["scene_attribute_types"], settings,
                                   {r[0]: r[1] for r in doc["objects"]}, {c["id"] for c in doc["categories"]})
        doc["settings"] = [{"id": sid, **spec} for sid, spec in table.items()]
        inputs["curated/settings.tsv"] = _sha256(settings)
    contents = curated_dir / "location_contents.tsv"
    if contents.exists():
        apply_location_contents(doc["scene_attribute_types"], contents, doc["objects"])
        inputs["curated/location_contents.tsv"] = _sha256(contents)
    overlaps = curated_dir / "location_overlap.tsv"
    if overlaps.exists():
        apply_location_overlap(doc["scene_attribute_types"], overlaps)
        inputs["curated/location_overlap.tsv"] = _sha256(overlaps)
    domains = curated_dir / "attribute_domains.tsv"
    if domains.exists():
        doc["attribute_domains"] = read_attribute_domains(
            domains, doc["attribute_types"], {r[0]: r[1] for r in doc["objects"]},
            {c["id"] for c in doc["categories"]})
        inputs["curated/attribute_domains.tsv"] = _sha256(domains)
    confusable = curated_dir / "confusable.tsv"
    if confusable.exists():
        parent = {c["id"]: c.get("parent") for c in doc["categories"]}

        def closure(cat: str) -> set[str]:
            if cat not in parent:
                return set()
            return {c for c in parent if cat in _ancestry(parent, c)}
        doc["object_confusable"] = fam.read_confusable(confusable, doc["objects"], closure)
        doc["object_never_foil"] = fam.read_never_foil(confusable, doc["objects"], doc["object_isa"])
        doc["object_confusable"] += fam.read_generic(confusable, doc["objects"], doc["object_isa"], closure)
        inputs["curated/confusable.tsv"] = _sha256(confusable)
    doc["sources"].append(
        "Familiarity: wordfreq 3.1.1 Zipf frequencies of printed names (a score only, no data "
        "redistributed); visual vocabularies: COCO's 80 classes (taxonomy/sources/coco80.tsv, written by "
        "hand), ImageNet-1k (timm 1.0.31, timm/data/_info/imagenet_synsets.txt, Apache-2.0) and LVIS "
        "(tensorflow-datasets 4.9.10, datasets/lvis/classes.txt, Apache-2.0; LVIS annotations CC BY 4.0).")


def apply_location_contents(scene_types: list[dict], path: Path, objects: list) -> None:
    """Each listed location value's ``contents`` (``curated/location_contents.tsv``: printed names, resolved to
    concept ids; every concept of that printed name), in place.  An unknown location or name stops the build."""
    by_name: dict[str, list[str]] = {}
    for row in objects:
        by_name.setdefault(row[1], []).append(row[0])
    locations = next((t for t in scene_types if t["id"] == "location"), None)
    values = {v["id"]: v for v in locations["values"]} if locations else {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        loc, _, names = line.partition("\t")
        if loc not in values:
            raise SystemExit(f"{path}:{n}: {loc!r} is not a location value")
        ids = []
        for name in (x.strip() for x in names.split(",")):
            if name not in by_name:
                raise SystemExit(f"{path}:{n}: {name!r} is no concept's printed name")
            ids += by_name[name]
        values[loc]["contents"] = sorted(set(ids))


def apply_location_overlap(scene_types: list[dict], path: Path) -> None:
    """Each listed location value's ``overlap`` spans (``curated/location_overlap.tsv``: a span and the location
    values that may both describe one picture), in place.  An unknown location, or a span listed twice, stops the
    build."""
    locations = next((t for t in scene_types if t["id"] == "location"), None)
    values = {v["id"]: v for v in locations["values"]} if locations else {}
    spans: dict[str, list[str]] = {}
    seen: set[str] = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        span, _, ids = line.partition("\t")
        if span in seen or not span.isidentifier():
            raise SystemExit(f"{path}:{n}: span {span!r} listed twice or not one word")
        seen.add(span)
        for loc in (x.strip() for x in ids.split(",")):
            if loc not in values:
                raise SystemExit(f"{path}:{n}: {loc!r} is not a location value")
            spans.setdefault(loc, []).append(span)
    for loc, names in spans.items():
        values[loc]["overlap"] = " ".join(sorted(names))


def _ancestry(parent: dict, cat: str | None) -> list[str]:
    """``cat`` and the categories above it."""
    out = []
    while cat is not None:
        out.append(cat)
        cat = parent.get(cat)
    return out


def encode(doc: dict) -> bytes:
    """Deterministic bytes: sorted keys, compact separators, gzip with mtime 0 and no file name.

    Examples
    --------
    >>> encode({"b": 1, "a": 2}) == encode({"a": 2, "b": 1})
    True
    """
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def write_taxonomy(doc: dict, out: Path) -> bytes:
    """Validate ``doc`` with the package loader, then write it atomically (temp file + rename).

    Returns the bytes written.  Raises :class:`~gas_solver.errors.TaxonomyError` (and leaves
    ``out`` untouched) when the document is not a valid taxonomy.

    Examples
    --------
    >>> doc = {"format": "gas-taxonomy/1", "categories": [{"id": "thing"}]}
    >>> len(write_taxonomy(doc, Path("/tmp/t.json.gz"))) > 0             # doctest: +SKIP
    True
    """
    from gas_solver.taxonomy.load import taxonomy_from_dict

    taxonomy_from_dict(json.loads(json.dumps(doc)), path="<build>")
    data = encode(doc)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=out.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return data


# ----------------------------------------------------------------------------- review sample
def review_sample(path: Path, n: int, seed: int) -> str:
    """``n`` random objects, attribute-object pairs and relation triples allowed by the taxonomy.

    Pairs and triples are drawn uniformly (attribute value, object) / (relation, subject,
    object) and kept when applicability / the domains allow them, so the sample shows what
    the solver may produce.  Seeded, so a review can be repeated.

    Examples
    --------
    >>> print(review_sample(Path("gas_solver/data/default_taxonomy.json.gz"), 3, 0))   # doctest: +SKIP
    == 3 random objects
    ...
    """
    from gas_solver.taxonomy import load_taxonomy

    tax = load_taxonomy(path)
    rng = random.Random(seed)
    objs = list(tax.objects)
    lines = [f"== {n} random objects"]
    for o in rng.sample(objs, min(n, len(objs))):
        lines.append(f"  {o.id}  {o.article + ' ' if o.article else 'some '}{o.name}  (pl. {o.plural})  [{'/'.join(tax.path(o.category))}]")
    pairs = [(t, v) for t in tax.attribute_types.values() for v in t.values]
    if pairs:
        lines.append(f"== {n} random attribute-object pairs allowed by applicability")
        got = 0
        for _ in range(100 * n):
            if got == n:
                break
            t, v = rng.choice(pairs)
            o = rng.choice(objs)
            if tax.attribute_fits(t.id, v.id, o.id):
                lines.append(f"  {v.name} {o.name}   ({t.id}={v.id}, {o.category})")
                got += 1
    if tax.relations:
        lines.append(f"== {n} random relation triples allowed by the domains")
        rels = list(tax.relations.values())
        got = 0
        for _ in range(1000 * n):
            if got == n:
                break
            r, s, o = rng.choice(rels), rng.choice(objs), rng.choice(objs)
            if s.id != o.id and tax.relation_allows(r.id, s.category, o.category):
                after = r.after_object  # "the woman leads the soldier by the hand"
                verb, tail = (r.present[:-len(after) - 1], " " + after) if after else (r.present, "")
                lines.append(f"  the {s.name} {verb} the {o.name}{tail}   ({s.category} -{r.id}-> {o.category})")
                got += 1
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"),
                    help="WordNet 3.0 WNDB directory (Debian wordnet-base)")
    ap.add_argument("-o", "--output", type=Path, default=ROOT / "gas_solver" / "data" / "default_taxonomy.json.gz")
    ap.add_argument("--imagenet", type=Path, default=DEFAULT_IMAGENET,
                    help="ImageNet-21k wnid list: a text file, or timm's wheel (read with zipfile)")
    ap.add_argument("--imagenet12k", type=Path, default=DEFAULT_IMAGENET12K,
                    help="ImageNet-12k wnid list (text, or timm's wheel): the stricter list for plants and trees")
    ap.add_argument("--write-imagenet-list", type=Path, default=None,
                    help="also write the wnid list read from --imagenet as text (to refresh sources/)")
    ap.add_argument("--curated", type=Path, default=CURATED)
    ap.add_argument("--sample", type=int, default=0, help="print a review sample of this size")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if not (args.wordnet / "data.noun").exists():
        print(f"error: {args.wordnet}/data.noun not found (apt-get install wordnet-base)", file=sys.stderr)
        return 1
    if args.write_imagenet_list:
        args.write_imagenet_list.write_text(imagenet_text(read_imagenet(args.imagenet)), encoding="ascii")
    doc, dropped = build_taxonomy(args.wordnet, args.imagenet, args.curated, imagenet12k_path=args.imagenet12k)
    data = write_taxonomy(doc, args.output)
    by_cat = collections.Counter(r[2] for r in doc["objects"])
    print(f"wrote {args.output} ({len(data):,} bytes, sha256 {hashlib.sha256(data).hexdigest()[:16]}): "
          f"{len(doc['objects']):,} objects in {len(by_cat)} categories, "
          f"{sum(len(t['values']) for t in doc['attribute_types']):,} attribute values, "
          f"{len(doc['relations']):,} relations, "
          f"{sum(len(t['values']) for t in doc['scene_attribute_types']):,} scene-attribute values", file=sys.stderr)
    for reason, n in dropped.most_common():
        print(f"  dropped {n:6,}  {reason}", file=sys.stderr)
    for cat, n in sorted(by_cat.items(), key=lambda kv: -kv[1]):
        print(f"  {cat:20s} {n:6,}", file=sys.stderr)
    if args.sample:
        print(review_sample(args.output, args.sample, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
