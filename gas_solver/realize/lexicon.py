"""Per-taxonomy language tables shared by the caption realizer, its parser and the question realizer.

Everything that depends only on the taxonomy is computed once per taxonomy
(cached by identity, weakly) so that realizing one scene is a handful of dict
look-ups and string joins.

The tables also decide how each element is *spelled* so that the caption
grammar stays unambiguous (the realizer disambiguates, the parser never guesses):

* **object surfaces**: a concept's display name, or ``"name (qualifier)"`` when
  two concepts share a name (case-insensitively); the qualifier is the
  category name, else a distinct synonym, else the concept id.
* **attribute surfaces**: the value name, used as a prenominal adjective
  ("a big red apple") when it is unambiguous.  A value name shared by two
  attribute types is spelled ``"of <value> <type>"`` ("of light colour") and
  only used predicatively ("that is of light colour").  A multi-word value
  name that also splits into other values of different types ("bright blue" =
  "bright" + "blue") is used predicatively only.
* **captured nouns**: when some name reads as adjectives + another name
  ("red panda" = "red" + "panda"), objects called "panda" put their
  attributes after the noun ("a panda that is red").
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

from ..taxonomy.model import ADJECTIVE_ORDER, Taxonomy

__all__ = ["Lexicon", "lexicon", "tokens", "indefinite_article", "count_word", "ordinal_word", "join_list",
           "MEDIUM"]

#: How questions and captions name the medium of a modality.
MEDIUM = {"image": "image", "video": "video", "3d": "3D model"}

_TOKEN = re.compile(r"[^\s,.:;]+|[,.:;]")


def tokens(text: str) -> tuple[str, ...]:
    """Split text into word tokens and the punctuation tokens ``, . : ;``.

    Names are tokenized the same way as captions, so a name containing a
    period or comma still matches token for token.

    >>> tokens("A dog, an SUV.")
    ('A', 'dog', ',', 'an', 'SUV', '.')
    """
    return tuple(_TOKEN.findall(text))


_AN_EXCEPTIONS = ("hour", "honest", "honour", "honor", "heir", "herb")
_A_EXCEPTIONS = ("uni", "use", "usu", "uti", "ure", "uro", "eu", "ewe", "one", "once", "ubiq", "uk", "ufo")
_AN_LETTERS = set("AEFHILMNORSX")


def indefinite_article(phrase: str) -> str:
    """``"a"`` or ``"an"`` for the phrase by how its first word sounds (heuristic, no inflect import).

    >>> [indefinite_article(w) for w in ("apple", "big", "hour", "unicorn", "SUV", "one-eyed", "8-bit")]
    ['an', 'a', 'an', 'a', 'an', 'a', 'an']
    """
    word = phrase.split(" ", 1)[0]
    if not word:
        return "a"
    low = word.lower()
    if len(word) > 1 and word.isupper() and word.isalpha():  # acronym: spelled out letter by letter
        return "an" if word[0] in _AN_LETTERS else "a"
    if low[0].isdigit():
        return "an" if low[0] == "8" or low.startswith(("11", "18")) and not low.startswith(("110", "180")) else "a"
    if low.startswith(_AN_EXCEPTIONS):
        return "an"
    if low.startswith(_A_EXCEPTIONS):
        return "a"
    return "an" if low[0] in "aeiou" else "a"


_COUNTS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
           "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")
_ORDINALS = ("zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
             "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
             "seventeenth", "eighteenth", "nineteenth", "twentieth")


def count_word(n: int) -> str:
    """``two``, ``three``, … up to twenty, then digits.

    >>> count_word(3), count_word(42)
    ('three', '42')
    """
    return _COUNTS[n] if 0 <= n < len(_COUNTS) else str(n)


def ordinal_word(n: int) -> str:
    """``first``, ``second``, … up to twentieth, then ``21st``, ``22nd``, …

    >>> ordinal_word(2), ordinal_word(23)
    ('second', '23rd')
    """
    if 0 <= n < len(_ORDINALS):
        return _ORDINALS[n]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


#: word -> number, for the parser
COUNT_VALUES = {w: i for i, w in enumerate(_COUNTS)}
ORDINAL_VALUES = {w: i for i, w in enumerate(_ORDINALS)}


def join_list(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``.

    >>> join_list(["a", "b", "c"])
    'a, b and c'
    """
    if len(items) <= 1:
        return items[0] if items else ""
    return ", ".join(items[:-1]) + " and " + items[-1]


@dataclass(frozen=True, slots=True)
class ObjectWords:
    """How one concept is spelled."""

    concept: str
    category: str
    name: str  # singular surface ("apple", "bat (animal)")
    plural: str  # "apples"; mass nouns: "portions of water"
    unit: str  # singular noun used with ordinals: "apple"; mass nouns: "portion of water"
    indefinite: str  # "an apple", "some water"
    article: str  # "a", "an" or "some"
    countable: bool
    captured: bool  # attributes go after the noun ("a panda that is red")


@dataclass(frozen=True, slots=True)
class AttributeWords:
    type: str
    value: str
    surface: str  # "red" or "of light colour"
    slot: int  # index in ADJECTIVE_ORDER
    prenominal: bool  # usable before the noun
    article: str  # "a"/"an" when this adjective starts a noun phrase


class Lexicon:
    """Spellings and indexes for one taxonomy (see the module docstring).  Use :func:`lexicon`."""

    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        t = taxonomy
        # -- attributes ----------------------------------------------------
        by_name: dict[str, list[tuple[str, str]]] = {}
        for at in t.attribute_types.values():
            for v in at.values:
                by_name.setdefault(v.name.lower(), []).append((at.id, v.id))
        slots = {s: i for i, s in enumerate(ADJECTIVE_ORDER)}
        self.attr: dict[tuple[str, str], AttributeWords] = {}
        plain_names: dict[tuple[str, ...], str] = {}  # token tuple of a name -> its type, for composites
        for at in t.attribute_types.values():
            for v in at.values:
                if len(by_name[v.name.lower()]) == 1:
                    plain_names[tokens(v.name)] = at.id
        for at in t.attribute_types.values():
            for v in at.values:
                ambiguous = len(by_name[v.name.lower()]) > 1
                surface = f"of {v.name} {at.name}" if ambiguous else v.name
                prenominal = not ambiguous and not self._composite(tokens(v.name), at.id, plain_names)
                self.attr[(at.id, v.id)] = AttributeWords(at.id, v.id, surface, slots[at.order], prenominal,
                                                          indefinite_article(surface))
        # -- objects -------------------------------------------------------
        groups: dict[str, list] = {}
        for o in t.objects:
            groups.setdefault(o.name.lower(), []).append(o)
        surfaces: dict[str, tuple[str, str]] = {}
        for key, objs in groups.items():
            if len(objs) == 1:
                surfaces[objs[0].id] = (objs[0].name, objs[0].plural)
                continue
            for o in objs:
                q = self._qualifier(o, objs)
                surfaces[o.id] = (f"{o.name} ({q})", f"{o.plural} ({q})")
        # a qualified surface could still equal another plain name; the qualifier makes that
        # practically impossible, and the loader guarantees ids are unique.
        pren_index = {tokens(a.surface) for a in self.attr.values() if a.prenominal}
        name_tokens = {tokens(s[0]): cid for cid, s in surfaces.items()}
        captured: set[str] = set()
        for toks in name_tokens:
            for k in range(1, len(toks)):
                tail = toks[k:]
                if tail in name_tokens and self._splits(toks[:k], pren_index):
                    captured.add(name_tokens[tail])
        self.obj: dict[str, ObjectWords] = {}
        for o in t.objects:
            name, plural = surfaces[o.id]
            if o.countable:
                art = o.article or indefinite_article(name)
                self.obj[o.id] = ObjectWords(o.id, o.category, name, plural, name, f"{art} {name}", art, True,
                                             o.id in captured)
            else:
                self.obj[o.id] = ObjectWords(o.id, o.category, name, f"portions of {name}", f"portion of {name}",
                                             f"some {name}", "some", False, o.id in captured)
        # -- relations and scene attributes ---------------------------------
        self.rel_present = {r.id: r.present for r in t.relations.values()}
        self.rel_name = {r.id: r.name for r in t.relations.values()}
        self.scene_phrase: dict[tuple[str, str], str] = {}
        self.scene_order = {tid: i for i, tid in enumerate(t.scene_attribute_types)}
        for st in t.scene_attribute_types.values():
            for v in st.values:
                self.scene_phrase[(st.id, v.id)] = st.phrase.replace("{value}", v.name)

    @staticmethod
    def _composite(toks: tuple[str, ...], own_type: str, plain: dict[tuple[str, ...], str]) -> bool:
        """True if ``toks`` also reads as ≥ 2 other value names of pairwise different types."""
        n = len(toks)

        def go(i: int, used: frozenset, parts: int) -> bool:
            if i == n:
                return parts >= 2
            for j in range(n, i, -1):
                typ = plain.get(toks[i:j])
                if typ is not None and typ not in used and not (i == 0 and j == n):
                    if go(j, used | {typ}, parts + 1):
                        return True
            return False

        return n > 1 and go(0, frozenset(), 0)

    @staticmethod
    def _splits(toks: tuple[str, ...], index: set) -> bool:
        """True if ``toks`` is a sequence of prenominal adjective surfaces."""
        n = len(toks)
        ok = [False] * (n + 1)
        ok[0] = True
        for i in range(n):
            if ok[i]:
                for j in range(i + 1, n + 1):
                    if toks[i:j] in index:
                        ok[j] = True
        return ok[n]

    def _qualifier(self, o, group) -> str:
        cat = self.taxonomy.categories[o.category].name
        if sum(1 for p in group if self.taxonomy.categories[p.category].name == cat) == 1:
            return cat
        others = {s.lower() for p in group if p is not o for s in (p.name, *p.synonyms)}
        for s in o.synonyms:
            if s.lower() not in others and s.lower() != o.name.lower():
                return s
        return o.id

    # -- helpers used by the realizers --------------------------------------
    def question_subject(self, concept: str) -> str:
        """``"an apple"`` / ``"water"`` for "Is there …?" questions."""
        w = self.obj[concept]
        return w.indefinite if w.countable else w.name


_cache: "weakref.WeakKeyDictionary[Taxonomy, Lexicon]" = weakref.WeakKeyDictionary()


def lexicon(taxonomy: Taxonomy) -> Lexicon:
    """The :class:`Lexicon` of ``taxonomy`` (built once per taxonomy object, then cached weakly)."""
    lex = _cache.get(taxonomy)
    if lex is None:
        lex = _cache[taxonomy] = Lexicon(taxonomy)
    return lex
