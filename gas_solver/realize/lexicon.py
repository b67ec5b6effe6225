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

import array
import hashlib
import re
import struct
import sys
import weakref
from collections.abc import Sequence
from dataclasses import dataclass

from ..taxonomy.model import ADJECTIVE_ORDER, Taxonomy
from .phrases import ARTIST_STYLE_PREFIX, scene_phrase, scene_question, style_name

__all__ = ["Lexicon", "lexicon", "references", "object_words", "HashRng", "tokens", "indefinite_article", "count_word", "ordinal_word", "join_list",
           "MEDIUM"]

#: the scene-attribute types whose values read together as "in the style of X, reimagined in Y"
ARTIST, ART_STYLE = "artist", "art_style"

#: participles that lead the phrases of several scene-attribute types: said once for adjacent phrases
#: ("shot at an aperture of f/2.8 and on a Leica M6"); the parser also reads a phrase without its participle
SHARED_PARTICIPLES = frozenset(("shot", "filmed", "rendered", "shown"))
#: a camera's participle, and the one it gives way to beside a phrase that names a shot ("shown in a wide shot")
SHOT_VERB, TAKEN_VERB = "shot ", "taken "
#: a light named by the camera, and its name beside another phrase that names the camera ("with the camera panning")
CAMERA_FLASH, FLASH = "a camera flash", "a flash"

#: How questions and captions name the medium of a modality.
MEDIUM = {"image": "image", "video": "video", "3d": "3D model"}

_TOKEN = re.compile(r"[^\s,.:;]+|[,.:;]")


#: material names that are adjectives, said as they are after "is" ("wooden", "golden", "beaded", "ceramic")
_MATERIAL_ADJECTIVE = re.compile(r"(?:(?:wood|wooll|wool|gold|silk|earth|oak|lead)en|[^e]ed|ic)$")
#: attribute types whose values are nouns that name a flavour: before a noun they read as one ("some blackberry
#: ale"), after "is" they need the adjective ("some ale that is blackberry-flavoured", "Is the ale
#: blackberry-flavoured?", not "Is the ale blackberry?")
_FLAVOUR_TYPES = frozenset(["flavour"])
#: values named by a noun that says what the thing is ("a baby wolf"): after "is" they take their article ("a
#: wolf that is a baby", "Is the wolf a baby?", not "Is the wolf baby?")
_NOUN_VALUES = frozenset([("age", "baby")])
#: patterns named by a noun: before a noun they read as one ("a chevron bench"), after "is" they need the adjective
#: ("a bench that is chevron-patterned", "Is the shirt argyle-patterned?", not "Is the shirt argyle?")
_PATTERN_NOUNS = {"plaid": "plaid-patterned", "tartan": "tartan-patterned", "gingham": "gingham-patterned",
                  "houndstooth": "houndstooth-patterned", "herringbone": "herringbone-patterned",
                  "argyle": "argyle-patterned", "chevron": "chevron-patterned", "paisley": "paisley-patterned",
                  "mosaic": "mosaic-patterned", "polka_dot": "polka-dotted"}


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

    >>> [indefinite_article(w) for w in ("apple", "big", "hour", "unicorn", "SUV", "one-eyed", "8-bit", "L-shaped")]
    ['an', 'a', 'an', 'a', 'an', 'a', 'an', 'an']
    """
    word = phrase.split(" ", 1)[0]
    if not word:
        return "a"
    low = word.lower()
    if len(word) > 1 and word.isupper() and word.isalpha():  # acronym: spelled out letter by letter
        return "an" if word[0] in _AN_LETTERS else "a"
    if word[0].isupper() and (len(word) == 1 or word[1] in "-'"):  # "an L-shaped", "a U-turn", "an X"
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


_NOUN_STARTS = frozenset(("a", "an", "the", "part", "one", "some"))

#: colour words English uses as adjectives even where they also name a thing ("an orange car", "a teal car"):
#: the basic colour terms (Berlin and Kay) and established colour adjectives
COLOUR_ADJECTIVES = frozenset((
    "black", "white", "red", "green", "yellow", "blue", "brown", "purple", "pink", "orange", "grey", "gray",
    "violet", "cream", "teal", "khaki", "fuchsia", "lilac", "turquoise", "navy", "beige", "maroon", "magenta",
    "cyan", "indigo", "crimson", "scarlet", "tan", "ivory", "burgundy", "chartreuse", "lavender", "aqua", "gold",
    "silver", "bronze", "copper", "amber", "emerald", "olive"))
_SLOT_ARTICLE = re.compile(r"(^|\s)([Aa]n?) \{value\}")


def fill_slot(template: str, value: str) -> str:
    """Put ``value`` into ``{value}``, fixing an "a"/"an" written just before the slot.

    >>> fill_slot("shot on a {value} lens", "800 mm"), fill_slot("as a {value} 3D model", "low-poly")
    ('shot on an 800 mm lens', 'as a low-poly 3D model')
    """
    def article(m: re.Match) -> str:
        art = indefinite_article(value)
        if m.group(2)[0] == "A":
            art = art.capitalize()
        return f"{m.group(1)}{art} {{value}}"

    return _SLOT_ARTICLE.sub(article, template).replace("{value}", value)


#: a person's printed name whose last word tells the sex, for a possessive a relation says of its subject ("carries a
#: girl on his shoulders"); any other subject keeps the taxonomy's "their" ("a firefighter carries a boy on their
#: shoulders")
MALE_HEADS = frozenset(("man", "boy", "father", "grandfather", "king", "prince", "groom", "bridegroom", "monk",
                        "gentleman", "husband", "son", "brother", "uncle", "nephew", "grandson", "schoolboy", "cowboy",
                        "policeman", "fisherman", "businessman", "sportsman", "waiter", "actor", "emperor", "knight",
                        "altar boy", "choirboy", "priest", "friar", "sultan", "sheikh", "duke", "lord", "boyfriend"))
FEMALE_HEADS = frozenset(("woman", "girl", "mother", "grandmother", "queen", "princess", "bride", "nun", "lady",
                          "wife", "daughter", "sister", "aunt", "niece", "granddaughter", "schoolgirl", "cowgirl",
                          "policewoman", "businesswoman", "sportswoman", "waitress", "actress", "ballerina", "empress",
                          "duchess", "girlfriend", "housewife", "maid", "geisha", "flower girl", "mermaid"))
_THEIR = re.compile(r"\btheir\b")


def possessive(text: str, subject: str) -> str:
    """``text`` with "their" said as "his" or "her" where the subject's printed name tells the sex.

    >>> possessive(" on their shoulders", "old man"), possessive(" on their shoulders", "bride")
    (' on his shoulders', ' on her shoulders')
    >>> possessive(" on their shoulders", "firefighter")
    ' on their shoulders'
    """
    if "their" not in text:
        return text
    head = subject.rpartition(" ")[2].lower()
    word = "his" if head in MALE_HEADS else "her" if head in FEMALE_HEADS else ""
    return _THEIR.sub(word, text) if word else text


def join_list(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``.

    >>> join_list(["a", "b", "c"])
    'a, b and c'
    """
    if len(items) <= 1:
        return items[0] if items else ""
    return ", ".join(items[:-1]) + " and " + items[-1]


#: uncountable nouns that end like plurals but are singular mass nouns ("some gas is", "some molasses is")
_SINGULAR_IN_S = frozenset(("gas", "molasses", "news", "measles", "mumps", "billiards", "physics", "madras",
                            "challis", "chess", "lens", "bus", "moss", "grass", "glass", "brass", "floss",
                            "asbestos", "hummus", "couscous", "citrus", "cactus", "octopus", "pancreas",
                            "series", "species", "gneiss", "mucus", "humus", "chaos", "atlas"))
#: plural-only nouns that do not end in "s" (collectives)
_PLURAL_NOT_IN_S = frozenset(("cattle", "people", "police", "poultry", "livestock", "clergy", "vermin",
                              "folk", "swine"))


def _count_unit(taxonomy, concept) -> tuple[str, str]:
    """The unit a count of an uncountable concept names (singular, plural): a thing that comes in pairs
    (:func:`counts_in_pairs`: "two pairs of jeans", "a pair of scissors"), a plural-only animal by the head ("three
    head of cattle"), a set of made things in pieces (:data:`PIECE_CATEGORIES`: "two pieces of china"), anything
    else in portions ("two portions of water", "portions of noodles").

    >>> from types import SimpleNamespace as C
    >>> tax = C(categories={"artifact": 1, "living": 1, "kitchenware": 1}, is_a=lambda c, a: c == a)
    >>> [_count_unit(tax, C(name=n, countable=False, countability=k, category=c)) for n, k, c in
    ...  (("jeans", "plural", "artifact"), ("cattle", "plural", "living"), ("water", "mass", "artifact"),
    ...   ("china", "mass", "kitchenware"))]
    [('pair', 'pairs'), ('head', 'head'), ('portion', 'portions'), ('piece', 'pieces')]
    """
    if counts_in_pairs(concept):
        return "pair", "pairs"
    cats = getattr(taxonomy, "categories", {})
    if is_plural_only(concept) and "living" in cats and taxonomy.is_a(concept.category, "living"):
        return "head", "head"
    if (not is_plural_only(concept) and not concept.name.endswith(" gas")
            and any(c in cats and taxonomy.is_a(concept.category, c) for c in PIECE_CATEGORIES)):
        return "piece", "pieces"
    return "portion", "portions"


#: categories whose mass nouns name sets of made things, counted in pieces ("two pieces of china", "pieces of
#: baggage", "two pieces of furniture", "two pieces of artillery"), never in portions as food and stuff are
PIECE_CATEGORIES = ("kitchenware", "clothing", "container", "furniture", "device", "sports_equipment", "toy",
                    "weapon")


def is_plural_only(concept) -> bool:
    """True if an uncountable concept's name is a plural ("scissors", "bath salts", "cattle"): it takes
    plural verbs ("some scissors are on the table").  Read from the concept's ``countability`` ("plural")
    where the taxonomy model has it, else from the name: the last word ends in a plural "s" (not "ss", "us",
    "is", nor a listed mass noun in "s") or is a collective plural.

    >>> from types import SimpleNamespace as C
    >>> [is_plural_only(C(name=n, countable=False)) for n in ("scissors", "cattle", "gas", "water")]
    [True, True, False, False]
    """
    kind = getattr(concept, "countability", None)  # "count" | "mass" | "plural", where the taxonomy states it
    if kind is not None:
        return kind == "plural"
    if getattr(concept, "countable", True):
        return False
    last = concept.name.split(" ")[-1].lower()
    if last in _PLURAL_NOT_IN_S:
        return True
    if last in _SINGULAR_IN_S or concept.name.lower() in _SINGULAR_IN_S:
        return False
    return last.endswith("s") and not last.endswith(("ss", "us", "is", "os", "as"))


#: plural-only nouns of two joined parts, counted in pairs: garments for two legs, tools of two blades or arms,
#: eyewear, pairs of shoes ("two pairs of jeans", never "two portions of jeans"); matched on the name's last word
_PAIR_NOUNS = frozenset(("pants", "trousers", "jeans", "shorts", "slacks", "tights", "breeches", "briefs",
                         "underpants", "bottoms", "johns", "trunks", "knickers", "leggings", "overalls", "pajamas",
                         "pyjamas", "scissors", "pliers", "tongs", "shears", "forceps", "tweezers", "glasses",
                         "sunglasses", "spectacles", "goggles", "binoculars", "suspenders", "cleats", "flats",
                         "wings", "earmuffs", "headphones", "clippers", "snips"))


def counts_in_pairs(concept) -> bool:
    """True if a plural-only concept is counted in pairs ("a pair of jeans", "two pairs of scissors"), not in
    portions (chips, noodles, cattle stay as they are).

    >>> from types import SimpleNamespace as C
    >>> [counts_in_pairs(C(name=n, countable=False, countability="plural"))
    ...  for n in ("sweat pants", "bell-bottoms", "scissors", "chips", "cattle")]
    [True, True, True, False, False]
    """
    if not is_plural_only(concept):
        return False
    return concept.name.lower().replace("-", " ").split(" ")[-1] in _PAIR_NOUNS


#: third-person verbs whose plural is not "drop the s" by the rules of :func:`plural_verb_phrase`
_PLURAL_VERB = {"is": "are", "has": "have", "does": "do", "goes": "go", "lies": "lie", "ties": "tie", "dies": "die",
                "belongs": "belong"}


def plural_verb_phrase(present: str) -> str:
    """The plural of a third-person singular verb phrase: its first word inflected.

    >>> [plural_verb_phrase(p) for p in ("is next to", "carries", "watches", "lies on", "rides", "kisses")]
    ['are next to', 'carry', 'watch', 'lie on', 'ride', 'kiss']
    """
    head, sep, rest = present.partition(" ")
    verb = _PLURAL_VERB.get(head)
    if verb is None:
        if head.endswith("ies") and len(head) > 4:
            verb = head[:-3] + "y"
        elif head.endswith(("sses", "shes", "ches", "xes", "zzes", "zes")):
            verb = head[:-2]
        elif head.endswith("s"):
            verb = head[:-1]
        else:
            verb = head
    return verb + sep + rest


@dataclass(frozen=True, slots=True)
class ObjectWords:
    """How one concept is spelled."""

    concept: str
    category: str
    name: str  # singular surface ("apple", "bat (animal)")
    plural: str  # "apples"; mass nouns: "portions of water"
    unit: str  # singular noun used with ordinals: "apple"; mass nouns: "portion of water", "pair of jeans"
    indefinite: str  # "an apple", "some water"
    article: str  # "a", "an" or "some"
    countable: bool
    captured: bool  # attributes go after the noun ("a panda that is red")
    label: tuple[str, str]  # the taxonomy's (name, category), as scene_to_dict writes them


@dataclass(frozen=True, slots=True)
class AttributeWords:
    type: str
    value: str
    surface: str  # "red" or "of light colour"
    slot: int  # index in ADJECTIVE_ORDER
    prenominal: bool  # usable before the noun
    article: str  # "a"/"an" when this adjective starts a noun phrase
    post: str  # after "is" / "that is": the surface, or "made of birch" for a material named by a noun


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
        # the same records as type -> value -> words: two look-ups of interned strings in small dicts
        # cost less than building, hashing and comparing a (type, value) tuple key in a ~1,200-entry dict
        self.attr_of: dict[str, dict[str, AttributeWords]] = {}
        plain_names: dict[tuple[str, ...], str] = {}  # token tuple of a name -> its type, for composites
        for at in t.attribute_types.values():
            for v in at.values:
                if len(by_name[v.name.lower()]) == 1:
                    plain_names[tokens(v.name)] = at.id
        # one-word colour names that also name a thing of the taxonomy ("camel", "ginger", "salmon") read as
        # nouns before a noun ("a camel pika"): they are written "camel-coloured"
        things = {o.name.lower() for o in t.objects}
        for o in t.objects:
            things.update([x.lower() for x in o.synonyms])
        for at in t.attribute_types.values():
            for v in at.values:
                ambiguous = len(by_name[v.name.lower()]) > 1
                surface = f"of {v.name} {at.name}" if ambiguous else v.name
                if (not ambiguous and at.order == "colour" and " " not in v.name and v.name.lower() in things
                        and v.name.lower() not in COLOUR_ADJECTIVES):
                    surface = v.name + "-coloured"
                prenominal = not ambiguous and not self._composite(tokens(v.name), at.id, plain_names)
                # a material named by a noun reads as one before a noun ("a birch rod") but not after "is"
                # ("a rod that is birch", "Is the rod birch?"): there it is "made of birch"
                post = (f"made of {surface}" if at.id == "material" and surface == v.name
                        and not _MATERIAL_ADJECTIVE.search(v.name) else surface)
                if surface == v.name and at.id in _FLAVOUR_TYPES:
                    post = f"{surface}-flavoured"
                elif surface == v.name and (at.id, v.id) in _NOUN_VALUES:
                    post = f"{indefinite_article(surface)} {surface}"
                elif surface == v.name and at.id == "pattern" and v.id in _PATTERN_NOUNS:
                    post = _PATTERN_NOUNS[v.id]
                words = AttributeWords(at.id, v.id, surface, slots[at.order], prenominal, indefinite_article(surface),
                                       post)
                self.attr[(at.id, v.id)] = words
                self.attr_of.setdefault(at.id, {})[v.id] = words
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
        captured = self._captured({tokens(s[0]): cid for cid, s in surfaces.items()},
                                  {tokens(a.surface) for a in self.attr.values() if a.prenominal})
        self.obj: dict[str, ObjectWords] = {}
        # uncountable concepts named by a plural ("scissors", "glasses", "cattle"): "some scissors that are red"
        self.plural_only: set[str] = set()
        for o in t.objects:
            name, plural = surfaces[o.id]
            if o.countable:
                art = o.article or indefinite_article(name)
                self.obj[o.id] = ObjectWords(o.id, o.category, name, plural, name, f"{art} {name}", art, True,
                                             o.id in captured, (o.name, o.category))
            else:  # counted in portions ("two portions of water"), pairs ("two pairs of jeans") or head (cattle)
                unit, units = _count_unit(t, o)
                self.obj[o.id] = ObjectWords(o.id, o.category, name, f"{units} of {name}", f"{unit} of {name}",
                                             f"some {name}", "some", False, o.id in captured, (o.name, o.category))
                if is_plural_only(o):
                    self.plural_only.add(o.id)
        # plurals that two concepts share ("caddies": caddie and caddy): a group sentence that names copies by
        # description only ("three caddies: one is worried; ...") needs its plural to say which concept it is
        plural_count: dict[str, int] = {}
        for w in self.obj.values():
            plural_count[w.plural] = plural_count.get(w.plural, 0) + 1
        self.shared_plurals = {p for p, n in plural_count.items() if n > 1}
        # -- relations and scene attributes ---------------------------------
        self.rel_present = {r.id: r.present for r in t.relations.values()}
        self.rel_name = {r.id: r.name for r in t.relations.values()}
        # "There is a dog riding a horse" reads well; "a valve part of a calabash" does not:
        # names that start like a noun phrase only appear in the present tense.
        self.rel_participle_ok = {r.id: r.name.split(" ", 1)[0].lower() not in _NOUN_STARTS
                                  for r in t.relations.values()}
        # plural-only subjects ("some scissors", "some cattle") take plural verbs: "some scissors lie on ..."
        self.rel_present_plural = {r.id: plural_verb_phrase(r.present) for r in t.relations.values()}
        # the words of each phrase that English says after the object, with their space (" by the hand": "a
        # woman leads a soldier by the hand"); "" for a phrase said whole before it (every form ends with them)
        self.rel_after = {r.id: " " + r.after_object if getattr(r, "after_object", "") else ""
                          for r in t.relations.values()}
        self.scene_phrase: dict[tuple[str, str], str] = {}
        self.scene_phrase_of: dict[str, dict[str, str]] = {}  # type -> value -> phrase (see attr_of)
        self.scene_question: dict[tuple[str, str], str] = {}
        self.scene_order = {tid: i for i, tid in enumerate(t.scene_attribute_types)}
        for st in t.scene_attribute_types.values():
            for v in st.values:
                base = fill_slot(st.phrase, v.name)
                question = fill_slot(st.question, v.name) if st.question else ""
                phrase = scene_phrase(st.id, v.name)  # a rule of the type: "under a cloudless sky"
                if phrase is None:
                    phrase = base
                else:
                    question = scene_question(phrase, base, question)
                self.scene_phrase[(st.id, v.id)] = phrase
                self.scene_phrase_of.setdefault(st.id, {})[v.id] = phrase
                if question:
                    self.scene_question[(st.id, v.id)] = question
        # an art style beside an artist: "in the style of Henri Matisse, reimagined in Cubism"
        self.artist_style_of: dict[str, str] = {}
        if ARTIST in t.scene_attribute_types and ART_STYLE in t.scene_attribute_types:
            for v in t.scene_attribute_types[ART_STYLE].values:
                self.artist_style_of[v.id] = ARTIST_STYLE_PREFIX + style_name(v.name)

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
    def _captured(names: dict[tuple[str, ...], str], pren: set[tuple[str, ...]]) -> set[str]:
        """Concepts whose name could trade words with the adjectives before it.

        With adjectives rendered before the noun, "<adjectives> <name>" must not
        also read as "<other adjectives> <other name>".  Conservatively, a name X
        is unsafe when

        (a) another name is P + X, where P reads as the tail of an adjective
            sequence ("green lizard" = "green" + "lizard" makes "lizard" unsafe), or
        (b) X = H + R, where H completes a longer adjective ("dark blue" + "green"
            = "dark blue green") and R reads as adjectives + a name ("green
            lizard" is unsafe when "dark blue green" is an adjective).

        Unsafe concepts put their attributes after the noun ("a green lizard that is dark blue").
        """
        suffixes = {s[-k:] for s in pren for k in range(1, len(s))}  # proper tails of adjectives
        max_len = max((len(s) for s in pren), default=0)

        def adjs(toks: tuple[str, ...], lo: int, hi: int) -> list[bool]:
            # ok[j]: toks[lo:j] is a (possibly empty) sequence of whole adjective surfaces
            ok = [False] * (hi + 1)
            ok[lo] = True
            for i in range(lo, hi):
                if ok[i]:
                    for j in range(i + 1, min(hi, i + max_len) + 1):
                        if toks[i:j] in pren:
                            ok[j] = True
            return ok

        def tail_like(p: tuple[str, ...]) -> bool:
            # p = T + adjectives, T empty or a proper tail of an adjective; p non-empty
            n = len(p)
            ok = adjs(p, 0, n)
            if ok[n]:
                return True
            for t in range(1, n + 1):
                if p[:t] in suffixes and adjs(p, t, n)[n]:
                    return True
            return False

        def adjs_then_name(r: tuple[str, ...]) -> bool:
            ok = adjs(r, 0, len(r))
            return any(ok[j] and r[j:] in names for j in range(len(r)))

        out: set[str] = set()
        for toks, cid in names.items():
            for k in range(1, len(toks)):
                head, rest = toks[:k], toks[k:]
                if rest in names and tail_like(head):
                    out.add(names[rest])  # (a)
                if head in suffixes and adjs_then_name(rest):
                    out.add(cid)  # (b)
        return out

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


_last: tuple = (lambda: None, None)  # (weak reference to the last taxonomy asked for, its lexicon)


def lexicon(taxonomy: Taxonomy) -> Lexicon:
    """The :class:`Lexicon` of ``taxonomy`` (built once per taxonomy object, then cached weakly)."""
    global _last
    if _last[0]() is taxonomy:  # every row asks for the same taxonomy: skip the weak-dict look-up
        return _last[1]
    lex = _cache.get(taxonomy)
    if lex is None:
        lex = _cache[taxonomy] = Lexicon(taxonomy)
    _last = (weakref.ref(taxonomy), lex)
    return lex


def object_words(scene, lex: Lexicon) -> list[ObjectWords]:
    """The :class:`ObjectWords` of each of the scene's objects, in object order (``KeyError`` for an unknown concept).

    ``lex.obj`` has one entry per concept of the taxonomy (~15,000 in the default one): a look-up there
    mostly misses the CPU caches, so a row looks each object up once and hands the list to
    :func:`references`, the caption and ``scene_to_dict`` (its ``label``).
    """
    obj = lex.obj
    return [obj[o.concept] for o in scene.objects]


def references(scene, lex: Lexicon, words: list | None = None) -> tuple[list[str], dict[str, list[int]]]:
    """Definite references of a scene's objects and its repeated concepts.

    An object whose concept occurs once is "the dog"; copies of a repeated
    concept are numbered, copies with more attributes first, then copies with
    more relations, then by index ("the first apple", "the second portion of
    water"), so the ordinals that the caption uses come first.  Captions and
    questions share this numbering.  ``words``: :func:`object_words` of the
    scene, if the caller already has them.

    Returns
    -------
    refs : list[str]
        One definite noun phrase per object.
    repeated : dict[str, list[int]]
        Concept -> object indices in ordinal order, for concepts that occur more than once.
    """
    objects = scene.objects
    if words is None:
        words = object_words(scene, lex)
    n = len(objects)
    refs = [""] * n
    repeated: dict[str, list[int]] = {}
    # every concept different (what the sampler draws): each reference is "the <name>"; a
    # duplicate concept among the words' records (one record per concept) sends us to the general case
    distinct = True
    for i in range(n):
        w = words[i]
        for k in range(i):
            if words[k] is w:
                distinct = False
                break
        if not distinct:
            break
        refs[i] = "the " + w.name
    if distinct:
        return refs, repeated
    by_concept: dict[str, list[int]] = {}
    for i in range(n):
        by_concept.setdefault(objects[i].concept, []).append(i)
    degree: dict[int, int] = {}
    for r in scene.relations:  # the degrees only order copies of a repeated concept
        degree[r.subject] = degree.get(r.subject, 0) + 1
        degree[r.object] = degree.get(r.object, 0) + 1
    for concept, idx in by_concept.items():
        w = words[idx[0]]
        if len(idx) == 1:
            refs[idx[0]] = "the " + w.name
            continue
        # a decorated sort, not a key lambda (lexicon.pxd makes this function cpdef: no closures);
        # the index makes every key distinct, so the order is the same
        keyed = [(-len(objects[i].attributes), -degree.get(i, 0), i) for i in idx]
        keyed.sort()
        copies = [key[2] for key in keyed]
        repeated[concept] = copies
        for k, i in enumerate(copies):
            refs[i] = f"the {ordinal_word(k + 1)} {w.unit}"
    return refs, repeated


_LITTLE = sys.byteorder == "little" and struct.calcsize("I") == 4
_NO_WORDS = memoryview(b"").cast("I")


class HashRng:
    """A small deterministic random stream: 32-bit words of SHAKE-128(key, counter).

    Seeding :class:`random.Random` costs ~13 µs, more than a caption; this
    costs ~1 µs per 128 draws.  Stable across Python versions and platforms.
    Block ``b`` of the stream is the 128 words of ``SHAKE-128(key + "#" + b)``;
    ``first_words`` is how many of block 0's words are squeezed at first, and
    ``later_words`` the same for the later blocks (SHAKE's output does not depend
    on how much is asked for, so a stream that draws few words, like a caption's,
    can stop after one Keccak block of 42 words and grow to 128 only when they are
    needed: the same words, less hashing; a question set reads ~120 words of block 0
    and, when it spills over, only a few of block 1).

    >>> a, b = HashRng("sg-1:0"), HashRng("sg-1:0", first_words=42)
    >>> [a.below(10) for _ in range(300)] == [b.below(10) for _ in range(300)]
    True
    """

    __slots__ = ("key", "n", "words", "pos", "first", "later")
    BLOCK = 128

    def __init__(self, key: str, first_words: int = BLOCK, later_words: int = BLOCK):
        self.key = key.encode()
        self.n = 0  # blocks started
        self.words: Sequence[int] = _NO_WORDS  # the current block, as far as squeezed (lexicon.pxd: a uint32 view)
        self.pos = 0  # the next unread word of the current block
        self.first = min(max(first_words, 1), self.BLOCK)
        self.later = min(max(later_words, 1), self.BLOCK)

    def _squeeze(self, block: int, m: int) -> None:
        d = hashlib.shake_128(self.key + b"#" + block.to_bytes(4, "little")).digest(4 * m)
        # a uint32 view reads only the words a scene uses (~20 of 128 for a caption); unpacking
        # all 128 into ints cost more than the hash itself
        self.words = (memoryview(d).cast("I") if _LITTLE
                      else memoryview(array.array("I", struct.unpack(f"<{m}I", d))))

    def take(self, m: int) -> int:
        """Reserve the next ``m`` (at most :attr:`BLOCK`) words, all from one block: returns where they
        start in :attr:`words`.  The rest of a block too short for them is skipped."""
        pos = self.pos
        if pos + m > self.BLOCK or not self.n:  # a new block
            self._squeeze(self.n, max(m, self.later if self.n else self.first))
            self.n += 1
            pos = 0
        elif pos + m > len(self.words):  # further into this block than squeezed so far: all of it
            self._squeeze(self.n - 1, self.BLOCK)
        self.pos = pos + m
        return pos

    def word(self) -> int:
        """A uniform 32-bit integer."""
        pos = self.take(1)  # before reading self.words: take may squeeze a new block
        return self.words[pos]

    def draw(self, n: int, m: int) -> list[int]:
        """``m`` integers in ``range(n)`` (with repeats), in one call."""
        if m > self.BLOCK:
            return [self.word() % n for _ in range(m)]
        pos = self.take(m)
        return [w % n for w in self.words[pos:pos + m]]

    def below(self, n: int) -> int:
        """An integer in ``range(n)`` (modulo bias < n / 2^32, irrelevant for the small n used here)."""
        return self.word() % n

    def shuffle(self, xs: list) -> None:
        """Fisher–Yates in place."""
        for i in range(len(xs) - 1, 0, -1):
            j = self.word() % (i + 1)
            xs[i], xs[j] = xs[j], xs[i]

    def sample(self, xs, k: int) -> list:
        """``k`` distinct items of the sequence ``xs`` (all of them, shuffled, if fewer)."""
        pool = list(xs)
        n = len(pool)
        k = min(k, n)
        for i in range(k):  # partial Fisher–Yates from the front
            j = i + self.word() % (n - i)
            pool[i], pool[j] = pool[j], pool[i]
        return pool[:k]
