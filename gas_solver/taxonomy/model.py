"""Taxonomy data model and queries.

A taxonomy holds

* a tree of **categories** (``mammal`` under ``animal`` under ``physical`` ...),
* **objects** (concepts): stable id, display name, synonyms, one category, and
  language data (plural, indefinite article, countable or mass noun),
* **attribute types** (colour, material, ...) with values, each type (or value)
  applying to a set of categories (is-a closed),
* **relations** (predicates) with a kind, allowed subject and object categories
  (is-a closed), a symmetric flag and verb forms,
* **scene-attribute types** per modality, each with a caption phrase.

Objects of the data model are plain frozen dataclasses; :class:`Taxonomy` adds
the is-a aware queries.  Loading and validation live in :mod:`.load`.

Examples
--------
>>> from gas_solver.taxonomy import load_taxonomy
>>> tax = load_taxonomy()                      # the embedded default  # doctest: +SKIP
>>> tax.is_a("mammal", "animal")               # doctest: +SKIP
True
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable

__all__ = [
    "Category",
    "ObjectConcept",
    "AttributeValue",
    "AttributeType",
    "RelationType",
    "SceneAttributeValue",
    "SceneAttributeType",
    "Taxonomy",
    "ADJECTIVE_ORDER",
    "RELATION_KINDS",
    "TIERS",
    "SIZE_CLASSES",
    "Setting",
    "AttributeDomain",
    "AttributeExclusion",
    "COUNTABILITY",
    "derive_countability",
]

#: Natural English adjective order; attribute types declare their slot in ``order``.  A texture is a physical
#: quality, said before the colour as a condition is ("a fluffy white cat", "a woolly red hat"; "a red woolly
#: hat" reads as a red kind of woolly hat), while a pattern stays after it ("a blue gingham dress").
ADJECTIVE_ORDER = ("opinion", "size", "age", "shape", "condition", "temperature", "texture", "colour", "pattern",
                   "origin", "material", "purpose")

RELATION_KINDS = ("spatial", "action", "functional", "social", "emotional", "comparative", "part_whole")

#: Familiarity tiers, most familiar first; a tier includes every tier before it (everyday ⊂ common ⊂ all).
TIERS = ("everyday", "common", "all")

#: Size classes by longest dimension, one order of magnitude each, smallest first:
#: tiny < 3 cm <= small < 30 cm <= medium < 1 m <= large < 3 m <= huge < 30 m <= vast.
SIZE_CLASSES = ("tiny", "small", "medium", "large", "huge", "vast")

#: How a concept's name is counted: "count" ("a cup", "two cups"), "mass" ("some chocolate": no article,
#: no numeral, singular agreement) or "plural" (plural-only: "some scissors", "the scissors are").
COUNTABILITY = ("count", "mass", "plural")


def derive_countability(countable: bool, name: str, plural: str) -> str:
    """The countability of a concept whose file states only ``countable``: a non-countable name that is its own
    plural and looks plural ("scissors", "jeans") is plural-only, any other non-countable name is mass.

    >>> derive_countability(True, "cup", "cups"), derive_countability(False, "jeans", "jeans")
    ('count', 'plural')
    >>> derive_countability(False, "chocolate", "chocolate")
    'mass'
    """
    if countable:
        return "count"
    return "plural" if plural == name and name.endswith("s") and not name.endswith("ss") else "mass"


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    name: str
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class ObjectConcept:
    """A depictable concept.  ``article`` is ``"a"``, ``"an"`` or ``""`` (mass and plural-only nouns take "some").

    ``countability`` (one of :data:`COUNTABILITY`) says how the name is counted and agrees: ``"count"``,
    ``"mass"`` ("some honey", singular verb) or ``"plural"`` ("some scissors", plural verb);
    ``countable`` is ``countability == "count"``."""

    id: str
    name: str
    category: str
    plural: str
    article: str = "a"
    countable: bool = True
    synonyms: tuple[str, ...] = ()
    #: familiarity score (the default taxonomy: wordfreq Zipf of the name plus visual-vocabulary
    #: membership; ``None`` = unscored, never filtered out by a minimum score)
    familiarity: float | None = None
    #: the most familiar tier the concept is in (see :data:`TIERS`); unstated = "everyday"
    tier: str = "everyday"
    #: size class index into :data:`SIZE_CLASSES`; ``None`` = unsized (no size band excludes it)
    size: int | None = None
    #: "count", "mass" or "plural" (see :data:`COUNTABILITY`)
    countability: str = "count"


@dataclass(frozen=True, slots=True)
class AttributeValue:
    id: str
    name: str
    #: categories this value applies to; empty means "as its type".
    applies_to: tuple[str, ...] = ()
    #: sRGB as "#rrggbb" (colours), for perceptual distances between values; "" if unknown
    rgb: str = ""
    #: in an exclusive type, values of one group may describe the same object (big, large, huge);
    #: "" is a group of its own, "*" goes with any value (tall, thin: dimensions beside big or small)
    group: str = ""
    #: the size classes (inclusive index range into :data:`SIZE_CLASSES`) of the concepts the value may
    #: describe: "huge" from large up, "tiny" up to medium ("an enormous typewriter", "a tiny elephant" read
    #: wrong); an unsized concept takes every value.  Part of each concept's domain, like its category.
    object_size: tuple[int, int] = (0, len(SIZE_CLASSES) - 1)
    #: bands by category, the most specific category above a concept's first ("huge" on animals from medium:
    #: "a huge dog"); categories not named take ``object_size``
    object_size_by: tuple[tuple[str, tuple[int, int]], ...] = ()

    def size_band(self, category_path: tuple[str, ...]) -> tuple[int, int]:
        """The band of :attr:`object_size_by` for the most specific category of ``category_path`` (root
        first) that it names, else :attr:`object_size`.

        >>> v = AttributeValue("huge", "huge", object_size=(3, 5), object_size_by=(("animal", (2, 5)),))
        >>> v.size_band(("thing", "animal", "mammal")), v.size_band(("thing", "artifact"))
        ((2, 5), (3, 5))
        """
        if self.object_size_by:
            bands = dict(self.object_size_by)
            for c in reversed(category_path):
                if c in bands:
                    return bands[c]
        return self.object_size


@dataclass(frozen=True, slots=True)
class AttributeType:
    id: str
    name: str
    #: slot in :data:`ADJECTIVE_ORDER`
    order: str
    applies_to: tuple[str, ...]
    values: tuple[AttributeValue, ...]
    #: how the attribute is asked about: "What {name} is the {object}?"
    question: str = ""
    #: True: an object has one value of the type (up to value groups), so another value is a determined
    #: "no" (colour, size, age); False: values co-occur (material, pattern, texture, condition)
    exclusive: bool = True
    #: False: the type needs a thing with a shape of its own, so mass nouns ("some lotion", "some bacon",
    #: countability "mass") never take it: no "oval sunscreen", "polka-dot milk", "wooden china"
    mass: bool = True


@dataclass(frozen=True, slots=True)
class AttributeDomain:
    """A rule that narrows or widens which values of an attribute type a kind of thing takes.

    ``target`` is a category (every concept under it) or a concept id (the concept and every kind of it,
    is-a); ``mode`` is ``"only"`` (the type takes exactly ``values`` there), ``"add"`` or ``"remove"``.
    Rules apply after the values' own ``applies_to``, categories from the root down, then concept rules
    from the most general ancestor to the concept itself, so the most specific rule has the last word
    ("material" of furniture: wood, metal, plastic, glass; of a sofa: fabric and leather).
    """

    type: str
    target: str
    mode: str
    values: tuple[str, ...]


#: modes of an :class:`AttributeDomain` rule
DOMAIN_MODES = ("only", "add", "remove")


@dataclass(frozen=True, slots=True)
class AttributeExclusion:
    """Two sets of attribute values, of two types, that one object never carries together.

    ``values`` are values of ``type``, ``other_values`` values of ``other_type`` (both resolved by the loader:
    a rule that names no values covers every value of its type).  "multicoloured" (pattern) beside any colour,
    "transparent" (finish) beside wood or metal (material).  An object's attribute set is one choice of its own,
    so a rule restricts each object's domain and the solver stays exact
    (:mod:`gas_solver.solve.exclusions`).

    >>> r = AttributeExclusion("many_colours", "pattern", frozenset({"multicoloured"}), "colour",
    ...                        frozenset({"red", "blue"}))
    >>> r.forbids("pattern", "multicoloured", "colour", "red"), r.forbids("colour", "red", "pattern", "striped")
    (True, False)
    """

    id: str
    type: str
    values: frozenset
    other_type: str
    other_values: frozenset
    reason: str = ""

    def forbids(self, t1: str, v1: str, t2: str, v2: str) -> bool:
        """True if the rule forbids ``t1 = v1`` and ``t2 = v2`` on one object (either order)."""
        return ((t1 == self.type and v1 in self.values and t2 == self.other_type and v2 in self.other_values)
                or (t2 == self.type and v2 in self.values and t1 == self.other_type and v1 in self.other_values))


@dataclass(frozen=True, slots=True)
class SubjectExclusion:
    """Attribute values of an object that rule out relations it is the subject of: "a sitting man runs toward a
    bus", "a sleeping dog chases a ball".  The pair joins an object's attribute to its own edges, so no domain
    of one end can state it; a constraint file with ``[semantics] subject_exclusions = true`` forbids the local
    pattern ``a:*{type=values} -[relations]-> b:*``, which the counter, the sampler and both backends treat
    exactly (a one-edge pattern is a zero factor between vertex labels).  A rule marked ``default`` holds also
    where a file leaves the switch unset ("a blue wheel is the same colour as a russet guitar": the subject of a
    colour comparison takes no colour word); ``subject_exclusions = false`` turns every rule off.  A rule with
    ``end = "object"`` names values of the relation's object instead ("a horse ridden by a standing singer": the
    pattern ``a:* -[ridden_by]-> b:*{pose=standing}``), as exact.

    >>> r = SubjectExclusion("still_moving", "pose", frozenset({"sitting"}), frozenset({"running_toward"}))
    >>> r.forbids(("pose", "sitting"), "running_toward"), r.forbids(("pose", "running"), "running_toward")
    (True, False)
    """

    id: str
    type: str
    values: frozenset
    relations: frozenset
    reason: str = ""
    #: the rule holds in every file that leaves ``[semantics] subject_exclusions`` unset (``default = true`` in a
    #: taxonomy file); the others only where a file sets the switch to ``true``
    default: bool = False
    #: the rule names every value of its type (``values = "*"``): "a subject with any colour word"
    every_value: bool = False
    #: the end of the edge that carries the values: ``"subject"``, or ``"object"`` for an act that needs its object's
    #: posture ("a horse ridden by a standing singer": ``end = "object"`` in a taxonomy file)
    end: str = "subject"

    def forbids(self, attribute: tuple[str, str], relation: str) -> bool:
        """True if the rule's end (the subject, or the object) carrying ``attribute`` (``(type, value)``) may not
        hold ``relation``."""
        return attribute[0] == self.type and attribute[1] in self.values and relation in self.relations

    def pattern_text(self, subjects: str = "*") -> str:
        """The rule as a constraint-file pattern (what ``gas check`` prints); ``subjects``: the categories of the
        node that carries the values (``*``: any).

        >>> SubjectExclusion("seated", "pose", frozenset({"standing"}), frozenset({"ridden_by"}),
        ...                  end="object").pattern_text()
        'a:* -[ridden_by]-> b:*{pose=standing}'
        """
        cond = self.type if self.every_value else f"{self.type}={'|'.join(sorted(self.values))}"
        if self.end == "object":
            return f"a:* -[{'|'.join(sorted(self.relations))}]-> b:{subjects}{{{cond}}}"
        return f"a:{subjects}{{{cond}}} -[{'|'.join(sorted(self.relations))}]-> b:*"


@dataclass(frozen=True, slots=True)
class RelationType:
    """A predicate.  ``name`` is the phrase after the subject ("riding", "on top of");
    ``present`` the finite form ("rides", "is on top of")."""

    id: str
    name: str
    kind: str
    subject: tuple[str, ...]
    object: tuple[str, ...]
    symmetric: bool = False
    present: str = ""
    #: allowed size classes (inclusive index range into :data:`SIZE_CLASSES`) of the subject and the
    #: object, when sizes are on: "riding" takes a subject up to large and an object from large up
    subject_size: tuple[int, int] = (0, len(SIZE_CLASSES) - 1)
    object_size: tuple[int, int] = (0, len(SIZE_CLASSES) - 1)
    #: finer bands for concepts under a category, ``((category, (lo, hi)), ...)``: the most specific listed
    #: category above a concept's category replaces the band above ("riding": a person at the relation's own
    #: band, a mammal only up to medium; the mount a mammal or a vehicle of large or huge size)
    subject_size_by: tuple[tuple[str, tuple[int, int]], ...] = ()
    object_size_by: tuple[tuple[str, tuple[int, int]], ...] = ()
    #: the vocabulary tier of the predicate (see :data:`TIERS`; unstated = "everyday"): everyday predicates
    #: are easy to picture and have curated domains; the rest ("illuminating", "the same shape as") are "all"
    tier: str = "everyday"
    #: the size ratio of the two ends: ``(lo, hi)``, the object's size class minus the subject's must lie in
    #: ``[lo, hi]`` ("inside": ``(1, 5)``, the container at least one class larger than its content); ``None``:
    #: no ratio.  Unlike a band it depends on both ends; the solver splits the predicate per subject size class
    #: (:func:`gas_solver.solve.domain.ratio_positions`) so that its domain stays a union of products
    size_ratio: tuple[int, int] | None = None
    #: the object's categories by the subject's, ``((subject category, (object category, ...)), ...)``: for a
    #: subject under a listed category (the most specific one above its own), the object must also lie under
    #: one of these ("feeding": a mammal feeds a mammal, a bird a bird, a person any animal or person).  Like a
    #: ratio it depends on both ends; the solver splits the predicate per listed subject category
    #: (:func:`gas_solver.solve.domain.relation_positions`) so that its domain stays a union of products
    object_by_subject: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: the last words of ``name`` and ``present`` that English says after the object ("by the hand": "a woman
    #: leads a soldier by the hand", not "leads by the hand a soldier"); "" for a phrase said whole before it
    after_object: str = ""
    #: categories left out of an end's domain although a listed category covers them ("sitting next to": a
    #: person or a mammal, but no whale or sea lion: ``("aquatic_mammal",)``); is-a closed, like the domain.  The
    #: end's domain stays a set of categories, so the solver reads it as it reads ``subject`` and ``object``
    subject_except: tuple[str, ...] = ()
    object_except: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SceneAttributeValue:
    id: str
    name: str
    #: the setting of a location value ("indoor", "outdoor", "water", "wild"; "" = none stated)
    setting: str = ""
    #: in an exclusive type, names (space-separated) of the spans this value shares with others: two values
    #: with a name in common may both describe one picture ("at dawn" and "at first light": "dawn"), so
    #: neither is a foil or distractor of the other; "*" goes with any value ("the rainy season")
    overlap: str = ""
    #: concepts a picture of this value may show unstated (a location's fixtures: an oven in a kitchen): no
    #: question offers them, or any kind of them, as a foil or distractor in a scene with this value
    contents: tuple[str, ...] = ()
    #: object attribute types (or ``type:value``) a picture of this value cannot show ("a marble sculpture", "a
    #: charcoal drawing", "in black and white": colour, "pattern:multicoloured"): no object of a scene with this
    #: value carries one, where a file asks (``[semantics] hides``; solve/counted.py)
    hides: tuple[str, ...] = ()
    #: settings (space-separated) a scene of this value keeps to, where a file asks (``[space] setting = "fitting"``):
    #: with no value that carries a setting (no location, genre or view), its objects fit the first one; a location
    #: (genre, view) of any listed setting may go with it: a landscape painter's style shows the open land ("in the
    #: style of Thomas Cole": no gas range, no wet suit; "set in a valley"); solve/counted.py ``kept_parts``
    keeps: str = ""
    #: the most objects a scene of this value holds, where a file asks (``[space] setting = "fitting"``); 0 = no
    #: bound: a close-up frames one or two things, an extreme close-up one ("an extreme close-up of four things":
    #: never); solve/counted.py ``capped_parts``
    max_objects: int = 0


@dataclass(frozen=True, slots=True)
class Setting:
    """What fits a setting: objects up to ``max_size`` whose category is not under ``exclude``
    ("indoor": up to large, no landforms, bodies of water or buildings).

    Finer rules, for concepts that their category misjudges: ``exclude`` may also name concepts (a concept
    excludes itself and its is-a descendants: "wheeled vehicle" keeps cars off the water); ``caps`` bounds the
    size per category (``("animal", 2)``: no deer or shark indoors while a cat fits); ``fit`` names categories
    or concepts that fit whatever ``exclude`` and ``caps`` say (binoculars in the wild although devices do
    not; a whale on the water although large mammals do not), except where ``exclude`` names a concept more
    specific than the fit (cats fit indoors, wildcats do not).  ``max_size`` and ``min_size`` hold for every
    object (an aerial view shows nothing smaller than a person: no thimble, no pencil)."""

    id: str
    max_size: int = len(SIZE_CLASSES) - 1
    exclude: tuple[str, ...] = ()
    caps: tuple[tuple[str, int], ...] = ()
    fit: tuple[str, ...] = ()
    #: scene-attribute types that no scene set there holds (indoors: no weather, which a room does not show), and
    #: values as ``"type:value"`` (indoors: no "lit by the northern lights")
    deny: tuple[str, ...] = ()
    #: the smallest size class that fits (0: every size)
    min_size: int = 0


@dataclass(frozen=True, slots=True)
class SceneAttributeType:
    """A scene-level attribute type.  ``phrase`` has a ``{value}`` slot
    ("illuminated by {value}"); ``question`` likewise ("Is the scene lit by {value}?")."""

    id: str
    name: str
    modalities: tuple[str, ...]
    phrase: str
    question: str
    values: tuple[SceneAttributeValue, ...]
    #: the multiple-choice question, with a ``{medium}`` slot ("Which artist's style is this {medium} in?");
    #: "" for "What is the {name} of this {medium}?"
    choice_question: str = ""
    #: exclusive group: a scene holds at most one scene attribute of each non-empty group ("rendering":
    #: an artist, an art style and a film stock each say how the picture was made, so two of them contradict
    #: each other); "" = a group of its own.  Several groups, separated by spaces, put the type in each
    #: ("place sky": a studio backdrop excludes a location and, through "sky", a weather or a season)
    group: str = ""
    #: True: a picture shows one value of the type (up to values' ``overlap``), so another value is a
    #: determined "no" (a time of day, an artist, an ISO); False: values co-occur in one picture (moods,
    #: compositions, camera views, lights), so no other value is a foil or a distractor
    exclusive: bool = True


def _apply_rule(dom: dict[str, set[str]], rule: AttributeDomain) -> None:
    """Apply one domain rule to ``{type: values}`` in place."""
    vals = dom.setdefault(rule.type, set())
    if rule.mode == "only":
        vals.intersection_update(())
        vals.update(rule.values)
    elif rule.mode == "add":
        vals.update(rule.values)
    else:
        vals.difference_update(rule.values)


@dataclass(eq=False)
class Taxonomy:
    """A validated taxonomy with is-a aware queries.  Build it with :func:`load_taxonomy`."""

    name: str
    version: str
    categories: dict[str, Category]
    objects: tuple[ObjectConcept, ...]
    attribute_types: dict[str, AttributeType]
    relations: dict[str, RelationType]
    scene_attribute_types: dict[str, SceneAttributeType]
    #: settings of location values, by id
    settings: dict[str, Setting] = field(default_factory=dict)
    #: SHA-256 of the source bytes (set by the loader)
    hash: str = ""
    #: free-form provenance / licence notes carried with the data
    sources: tuple[str, ...] = ()
    #: is-a between concepts: concept -> its nearest more general concepts in the taxonomy
    object_parents: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: predicate logic: p -> predicates that hold whenever p holds (``above`` -> ``higher than``), equivalents
    #: included, closed transitively; p -> predicates q with ``a p b`` <=> ``b q a`` (``above`` / ``below``)
    relation_entails: dict[str, frozenset[str]] = field(default_factory=dict)
    relation_inverse: dict[str, frozenset[str]] = field(default_factory=dict)
    #: p -> predicates that never hold of the same ordered pair as p (``above`` / ``below``, ``near`` /
    #: ``far from``), as stated; see :meth:`relation_contradicts`
    relation_exclusive: dict[str, frozenset[str]] = field(default_factory=dict)
    #: visually confusable concepts (hand-written groups): concept -> the others of its groups
    object_confusable: dict[str, frozenset[str]] = field(default_factory=dict)
    #: concepts no question uses as a foil or distractor (pictures: every image is one)
    object_never_foil: frozenset[str] = frozenset()
    #: attribute domains by category and by kind (see :class:`AttributeDomain`), in file order
    attribute_domains: tuple[AttributeDomain, ...] = ()
    #: parthood: concept -> the concepts that are its own parts (kinds inherit them: :meth:`concept_parts`)
    object_parts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: cross-type exclusions between attribute values of one object (see :class:`AttributeExclusion`)
    attribute_exclusions: tuple[AttributeExclusion, ...] = ()
    #: attribute values of a subject that rule out some of its relations (:class:`SubjectExclusion`)
    subject_exclusions: tuple[SubjectExclusion, ...] = ()
    _closure_cache: dict = field(default_factory=dict, repr=False)

    # -- categories -------------------------------------------------------
    @cached_property
    def children(self) -> dict[str, tuple[str, ...]]:
        kids: dict[str, list[str]] = {c: [] for c in self.categories}
        for c in self.categories.values():
            if c.parent is not None:
                kids[c.parent].append(c.id)
        return {k: tuple(sorted(v)) for k, v in kids.items()}

    @cached_property
    def roots(self) -> tuple[str, ...]:
        return tuple(sorted(c.id for c in self.categories.values() if c.parent is None))

    def path(self, category: str) -> tuple[str, ...]:
        """Category path from the root down to ``category``."""
        # asked tens of thousands of times while grounding (setting fits, size bands, is_a): cached
        key = ("path", category)
        hit = self._closure_cache.get(key)
        if hit is None:
            out = []
            c: str | None = category
            while c is not None:
                out.append(c)
                c = self.categories[c].parent
            hit = self._closure_cache[key] = tuple(reversed(out))
        return hit

    def _path_set(self, category: str) -> frozenset[str]:
        """:meth:`path` as a set (cached): ``category`` and every category above it."""
        key = ("path_set", category)
        hit = self._closure_cache.get(key)
        if hit is None:
            hit = self._closure_cache[key] = frozenset(self.path(category))
        return hit

    def is_a(self, category: str, ancestor: str) -> bool:
        """True if ``category`` equals ``ancestor`` or lies under it."""
        return ancestor in self._path_set(category)

    def closure(self, category: str) -> frozenset[str]:
        """``category`` and every category under it."""
        hit = self._closure_cache.get(category)
        if hit is None:
            out = {category}
            stack = [category]
            while stack:
                for k in self.children[stack.pop()]:
                    out.add(k)
                    stack.append(k)
            hit = self._closure_cache[category] = frozenset(out)
        return hit

    def closure_of(self, categories: Iterable[str]) -> frozenset[str]:
        out: set[str] = set()
        for c in categories:
            out |= self.closure(c)
        return frozenset(out)

    # -- objects ----------------------------------------------------------
    @cached_property
    def _objects_by_id(self) -> dict[str, ObjectConcept]:
        return {o.id: o for o in self.objects}

    @cached_property
    def _objects_by_category(self) -> dict[str, tuple[ObjectConcept, ...]]:
        by: dict[str, list[ObjectConcept]] = {c: [] for c in self.categories}
        for o in self.objects:
            by[o.category].append(o)
        return {k: tuple(v) for k, v in by.items()}

    def object(self, concept_id: str) -> ObjectConcept:
        """The concept with this id (``KeyError`` if absent)."""
        return self._objects_by_id[concept_id]

    def has_object(self, concept_id: str) -> bool:
        return concept_id in self._objects_by_id

    @cached_property
    def _object_children(self) -> dict[str, tuple[str, ...]]:
        kids: dict[str, list[str]] = {}
        for c, parents in self.object_parents.items():
            for p in parents:
                kids.setdefault(p, []).append(c)
        return {k: tuple(sorted(v)) for k, v in kids.items()}

    def concept_ancestors(self, concept_id: str) -> frozenset[str]:
        """Every concept that ``concept_id`` is a kind of (is-a, transitively; itself excluded):
        a "ship" above a "PT boat"."""
        return self._walk(concept_id, self.object_parents, "up")

    def concept_descendants(self, concept_id: str) -> frozenset[str]:
        """Every concept that is a kind of ``concept_id`` (transitively; itself excluded): "guide dog" under "dog"."""
        return self._walk(concept_id, self._object_children, "down")

    def _walk(self, start: str, edges: dict, way: str) -> frozenset[str]:
        key = (way, start)
        hit = self._closure_cache.get(key)
        if hit is None:
            out: set[str] = set()
            stack = [start]
            while stack:
                for k in edges.get(stack.pop(), ()):
                    if k not in out:
                        out.add(k)
                        stack.append(k)
            out.discard(start)
            hit = self._closure_cache[key] = frozenset(out)
        return hit

    @cached_property
    def _concepts_by_word(self) -> dict[str, tuple[str, ...]]:
        by: dict[str, list[str]] = {}
        for o in self.objects:
            for w in {o.name.lower(), *(x.lower() for x in o.synonyms)}:
                by.setdefault(w, []).append(o.id)
        return {k: tuple(v) for k, v in by.items()}

    def concept_synonyms(self, concept_id: str) -> frozenset[str]:
        """Other concepts sharing a name or synonym with ``concept_id`` (case-insensitively)."""
        o = self.object(concept_id)
        out: set[str] = set()
        for w in {o.name.lower(), *(x.lower() for x in o.synonyms)}:
            out.update(self._concepts_by_word.get(w, ()))
        out.discard(concept_id)
        return frozenset(out)

    def relation_contradicts(self, true: Iterable[str]) -> frozenset[str]:
        """The predicates that cannot hold of an ordered pair of which every predicate in ``true`` holds:
        those entailing a predicate exclusive with one that ``true`` entails ("under" and "lower than"
        contradict "above": it entails "higher than", exclusive with "lower than", which "under" entails).

        >>> tax.relation_contradicts({"above"}) >= {"below", "under", "lower_than"}  # doctest: +SKIP
        True
        """
        entails = self.relation_entails
        key = ("contradicts", frozenset(true))
        hit = self._closure_cache.get(key)
        if hit is None:
            holds: set[str] = set()
            for p in key[1]:
                holds |= {p} | entails.get(p, frozenset())
            excluded: set[str] = set()
            for p in holds:
                excluded |= self.relation_exclusive.get(p, frozenset())
            # the relations q whose {q} | entails[q] meets ``excluded``: through an index of who entails what
            # (built once), not a scan of every relation per set asked
            entailing = self._closure_cache.get(("entailing",))
            if entailing is None:
                entailing = {}
                for q in self.relations:
                    for x in {q} | entails.get(q, frozenset()):
                        entailing.setdefault(x, set()).add(q)
                self._closure_cache[("entailing",)] = entailing
            out: set[str] = set()
            for x in excluded:
                out |= entailing.get(x, frozenset())
            hit = self._closure_cache[key] = frozenset(out)
        return hit

    def concept_related(self, concept_id: str) -> frozenset[str]:
        """What a foil for ``concept_id`` must not be: the concept, its is-a ancestors and descendants, and the
        concepts sharing a word with it or with one of its ancestors (so "boat" and "ship" go together)."""
        key = ("related", concept_id)
        hit = self._closure_cache.get(key)
        if hit is None:
            up = self.concept_ancestors(concept_id)
            out = {concept_id} | up | self.concept_descendants(concept_id) | self.concept_synonyms(concept_id)
            for a in up:
                out |= self.concept_synonyms(a)
            hit = self._closure_cache[key] = frozenset(out)
        return hit

    def concept_parts(self, concept_id: str) -> frozenset[str]:
        """The concepts that are parts of ``concept_id``: its own parts and those of what it is a kind of (a
        sports car has a car's wheels), transitively (a car door's car window), and what those parts are kinds
        of (a car window is a window).

        >>> tax.concept_parts(car) >= {car_door, car_window, window}  # doctest: +SKIP
        True
        """
        key = ("parts", concept_id)
        hit = self._closure_cache.get(key)
        if hit is None:
            own = self.object_parts
            out: set[str] = set()
            stack = [p for a in ({concept_id} | self.concept_ancestors(concept_id)) for p in own.get(a, ())]
            while stack:
                p = stack.pop()
                if p not in out:
                    out.add(p)
                    stack.extend(own.get(p, ()))
            for p in list(out):
                out |= self.concept_ancestors(p)
            out.discard(concept_id)
            hit = self._closure_cache[key] = frozenset(out)
        return hit

    def concept_wholes(self, concept_id: str) -> frozenset[str]:
        """The concepts ``concept_id`` is a part of: those naming it among their own parts (transitively: a car
        window is part of a car door and of a car) and their kinds (a sports car)."""
        key = ("wholes", concept_id)
        hit = self._closure_cache.get(key)
        if hit is None:
            index = self._closure_cache.get("whole_index")
            if index is None:  # part -> the concepts naming it as their own part
                index = {}
                for c, ps in self.object_parts.items():
                    for p in ps:
                        index.setdefault(p, []).append(c)
                self._closure_cache["whole_index"] = index
            out: set[str] = set()
            stack = list(index.get(concept_id, ()))
            while stack:
                w = stack.pop()
                if w not in out:
                    out.add(w)
                    stack.extend(index.get(w, ()))
            for w in list(out):
                out |= self.concept_descendants(w)
            out.discard(concept_id)
            hit = self._closure_cache[key] = frozenset(out)
        return hit

    def concept_confusable(self, concept_id: str) -> frozenset[str]:
        """Concepts a picture of ``concept_id`` may be taken for, so no question uses them as its foil or
        distractor: its is-a siblings, two is-a steps away (a pug beside a toy dog, a goat beside a
        sheep; a wider radius reaches generic parents, whose kinds do not look alike) and the taxonomy's ``object_confusable`` groups (a muffin and a cupcake, a stole
        and a fur coat).  :meth:`concept_related` holds the rest (ancestors, descendants, synonyms).

        >>> from gas_solver.taxonomy import load_taxonomy
        >>> tax = load_taxonomy()
        >>> muffin, cupcake = (tax.search(n)[0].id for n in ("muffin", "cupcake"))
        >>> cupcake in tax.concept_confusable(muffin)
        True
        """
        key = ("confusable", concept_id)
        hit = self._closure_cache.get(key)
        if hit is None:
            kids = self._object_children
            near: set[str] = set()
            for p in self.object_parents.get(concept_id, ()):
                near.update(kids.get(p, ()))
            near |= self.object_confusable.get(concept_id, frozenset())
            near.discard(concept_id)
            hit = self._closure_cache[key] = frozenset(near)
        return hit

    def concepts_of(self, category: str) -> tuple[ObjectConcept, ...]:
        """Every concept whose category lies in ``category``'s closure, in taxonomy order."""
        cats = self.closure(category)
        if len(cats) == 1:
            return self._objects_by_category[category]
        return tuple(o for o in self.objects if o.category in cats)

    def own_concepts(self, category: str) -> tuple[ObjectConcept, ...]:
        """Concepts whose category is exactly ``category`` (not its subcategories)."""
        return self._objects_by_category[category]

    @cached_property
    def _name_index(self) -> dict[str, list[ObjectConcept]]:
        idx: dict[str, list[ObjectConcept]] = {}
        for o in self.objects:
            for w in (o.name, *o.synonyms):
                idx.setdefault(w.lower(), []).append(o)
        return idx

    def search(self, word: str, limit: int = 20) -> list[ObjectConcept]:
        """Concepts whose name or a synonym matches ``word``: exact first, then
        prefix/substring matches, then close spellings."""
        w = word.strip().lower()
        out: list[ObjectConcept] = []
        seen: set[str] = set()

        def add(objs):
            for o in objs:
                if o.id not in seen and len(out) < limit:
                    seen.add(o.id)
                    out.append(o)

        add(self._name_index.get(w, ()))
        if len(out) < limit:
            keys = sorted(k for k in self._name_index if w in k and k != w)
            keys.sort(key=lambda k: (not k.startswith(w), len(k), k))
            for k in keys:
                add(self._name_index[k])
        if not out:
            for k in difflib.get_close_matches(w, list(self._name_index), n=limit, cutoff=0.75):
                add(self._name_index[k])
        return out

    # -- familiarity and sizes ----------------------------------------------
    def relation_in_tier(self, relation_id: str, tier: str) -> bool:
        """True if the predicate is in the vocabulary ``tier`` (tiers nest: everyday ⊂ common ⊂ all)."""
        return TIERS.index(self.relations[relation_id].tier) <= TIERS.index(tier)

    def in_tier(self, concept_id: str, tier: str) -> bool:
        """True if the concept is in ``tier`` (tiers nest: everyday ⊂ common ⊂ all)."""
        return TIERS.index(self.object(concept_id).tier) <= TIERS.index(tier)

    def size_name(self, concept_id: str) -> str | None:
        """The size class of a concept by name ("small"), ``None`` if unsized."""
        s = self.object(concept_id).size
        return None if s is None else SIZE_CLASSES[s]

    def size_band(self, relation_id: str, end: str, category: str | None = None) -> tuple[int, int]:
        """The size band (inclusive size-class indices) of a relation's ``end`` ("subject" or "object") for
        concepts of ``category``: the band of the most specific category of ``subject_size_by`` /
        ``object_size_by`` above it, else the relation's own band.

        >>> from gas_solver.taxonomy import load_taxonomy
        >>> tax = load_taxonomy()
        >>> [SIZE_CLASSES[i] for i in tax.size_band("riding", "subject", "mammal")]
        ['tiny', 'medium']
        """
        r = self.relations[relation_id]
        by = r.subject_size_by if end == "subject" else r.object_size_by
        if by and category is not None and category in self.categories:
            bands = dict(by)
            for c in reversed(self.path(category)):
                if c in bands:
                    return bands[c]
        return r.subject_size if end == "subject" else r.object_size

    def sizes_allow(self, relation_id: str, subject_size: int | None, object_size: int | None,
                    subject_category: str | None = None, object_category: str | None = None) -> bool:
        """True if a relation's size bands admit the two sizes (an unsized end always fits); with the ends'
        categories, their category bands apply (:meth:`size_band`)."""
        s_lo, s_hi = self.size_band(relation_id, "subject", subject_category)
        o_lo, o_hi = self.size_band(relation_id, "object", object_category)
        return ((subject_size is None or s_lo <= subject_size <= s_hi)
                and (object_size is None or o_lo <= object_size <= o_hi))

    def ratio_allows(self, relation_id: str, subject_size: int | None, object_size: int | None) -> bool:
        """True if a relation's size ratio admits the two sizes: the object's size class minus the subject's lies
        in the relation's ``size_ratio`` (an unsized end, or a relation without a ratio, always fits).

        >>> from gas_solver.taxonomy import load_taxonomy
        >>> tax = load_taxonomy("tests/data/tiny_size_ratios.toml")
        >>> cup, box = tax.object("cup").size, tax.object("box").size
        >>> tax.ratio_allows("inside", cup, box), tax.ratio_allows("inside", box, cup), tax.ratio_allows("inside", None, cup)
        (True, False, True)
        """
        ratio = self.relations[relation_id].size_ratio
        if ratio is None or subject_size is None or object_size is None:
            return True
        return ratio[0] <= object_size - subject_size <= ratio[1]

    def setting_denies(self, setting_id: str, type_id: str, value_id: str) -> bool:
        """True if no scene of the setting holds this scene-attribute value: its ``deny`` names the type (indoors:
        weather) or the value (``"lighting:northern_lights"`` indoors)."""
        deny = self.settings[setting_id].deny
        return type_id in deny or f"{type_id}:{value_id}" in deny

    def setting_fits(self, setting_id: str, concept_id: str) -> bool:
        """True if a concept fits a setting: its size is at most the setting's ``max_size``, and it is named
        by ``fit`` (itself, a concept above it or its category) and by no excluded concept more specific than
        that fit, or else neither ``exclude`` (a category above its own, itself or a concept above it) nor a
        size cap of a category above its own rules it out."""
        key = ("fits", setting_id, concept_id)  # asked for every concept and setting by each grounding: cached
        hit = self._closure_cache.get(key)
        if hit is None:
            hit = self._closure_cache[key] = self._setting_fits(setting_id, concept_id)
        return hit

    def _setting_fits(self, setting_id: str, concept_id: str) -> bool:
        st = self.settings[setting_id]
        o = self.object(concept_id)
        if o.size is not None and not st.min_size <= o.size <= st.max_size:
            return False
        # what names ``o`` (see :meth:`_names`), read inline: a grounding asks ~6,000 pairs, ~20 names each
        categories, cats, up, oid = self.categories, self._path_set(o.category), self.concept_ancestors(o.id), o.id
        fits = [f for f in st.fit if (f in cats if f in categories else (f == oid or f in up))]
        if fits:
            # a fit beats the excludes and caps, but for an excluded concept carved out of it (cats fit
            # indoors, wildcats do not: a cougar is a wildcat, a wildcat a cat)
            return not any(e not in categories and (e == oid or e in up)
                           and any(self._names(self.object(e), f) for f in fits) for e in st.exclude)
        if any(o.size is not None and o.size > cap and c in cats for c, cap in st.caps):
            return False
        return not any((e in cats if e in categories else (e == oid or e in up)) for e in st.exclude)

    def _names(self, o: ObjectConcept, name: str) -> bool:
        """True if ``name`` (a category or concept id) is ``o``'s category or a category above it, ``o`` itself
        or a concept above ``o``."""
        # asked ~20 times per (setting, concept) pair while grounding: the cached sets are read directly
        cache = self._closure_cache
        if name in self.categories:
            above = cache.get(("path_set", o.category))
            return name in (above if above is not None else self._path_set(o.category))
        if name == o.id:
            return True
        up = cache.get(("up", o.id))  # concept_ancestors' cache
        return name in (up if up is not None else self.concept_ancestors(o.id))

    def _named_by(self, o: ObjectConcept, names: tuple[str, ...]) -> bool:
        """True if a category or concept of ``names`` names ``o`` (see :meth:`_names`)."""
        return any(self._names(o, n) for n in names)

    # -- attributes -------------------------------------------------------
    def attribute_value(self, type_id: str, value_id: str) -> AttributeValue:
        for v in self.attribute_types[type_id].values:
            if v.id == value_id:
                return v
        raise KeyError((type_id, value_id))

    @cached_property
    def _base_scope(self) -> dict[tuple[str, str], frozenset[str]]:
        """``{(type, value): categories}`` from the values' own ``applies_to`` (no domain rule applied)."""
        scope = {}
        for t in self.attribute_types.values():
            base = self.closure_of(t.applies_to)
            for v in t.values:
                scope[(t.id, v.id)] = self.closure_of(v.applies_to) if v.applies_to else base
        return scope

    @cached_property
    def _category_domains(self) -> dict[str, dict[str, frozenset[str]]]:
        """Per category: ``{type: values it takes}`` after ``applies_to`` and the category rules of
        :attr:`attribute_domains` (root first, so a subcategory's rule has the last word)."""
        rows: dict[str, list[AttributeDomain]] = {}
        for r in self.attribute_domains:
            if r.target in self.categories:
                rows.setdefault(r.target, []).append(r)
        base = self._base_scope
        out = {}
        for cat in self.categories:
            dom = {t.id: {v.id for v in t.values if cat in base[(t.id, v.id)]} for t in self.attribute_types.values()}
            for c in self.path(cat):
                for r in rows.get(c, ()):
                    _apply_rule(dom, r)
            out[cat] = {t: frozenset(v) for t, v in dom.items()}
        return out

    @cached_property
    def value_scope(self) -> dict[tuple[str, str], frozenset[str]]:
        """``{(type, value): the categories the attribute value applies to}`` (its ``applies_to``, is-a closed,
        and the category rules of :attr:`attribute_domains`; concept rules are exceptions on top, see
        :meth:`attribute_fits`)."""
        scope: dict[tuple[str, str], set[str]] = {(t.id, v.id): set() for t in self.attribute_types.values()
                                                  for v in t.values}
        for cat, dom in self._category_domains.items():
            for t, vals in dom.items():
                for v in vals:
                    scope[(t, v)].add(cat)
        return {k: frozenset(v) for k, v in scope.items()}

    def attribute_applies(self, type_id: str, value_id: str, category: str) -> bool:
        """True if attribute ``type_id=value_id`` is applicable to objects of ``category`` (before the concept
        rules of :attr:`attribute_domains`, which :meth:`attribute_fits` adds)."""
        return category in self.value_scope[(type_id, value_id)]

    @cached_property
    def _concept_rules(self) -> dict[str, tuple[int, ...]]:
        """Concept id -> indices of the :attr:`attribute_domains` rules that name it."""
        out: dict[str, list[int]] = {}
        for i, r in enumerate(self.attribute_domains):
            if r.target not in self.categories:
                out.setdefault(r.target, []).append(i)
        return {k: tuple(v) for k, v in out.items()}

    def attribute_profile(self, concept_id: str) -> tuple[int, ...]:
        """Indices of the concept rules of :attr:`attribute_domains` that reach ``concept_id`` (rules naming it
        or a concept above it), in the order they apply: the most general ancestor first (most is-a steps
        away; ties by id), the concept's own rules last.  Concepts of one category with equal profiles take
        the same attribute values, so the solver keeps them in one class.

        >>> from gas_solver.taxonomy import load_taxonomy
        >>> tax = load_taxonomy()
        >>> sofa = next(o.id for o in tax.objects if o.name == "couch")
        >>> len(tax.attribute_profile(sofa)) > 0
        True
        """
        rules = self._concept_rules
        if not rules:
            return ()
        key = ("profile", concept_id)
        hit = self._closure_cache.get(key)
        if hit is None:
            dist = {concept_id: 0}
            frontier = [concept_id]
            while frontier:  # breadth first: the fewest is-a steps to each ancestor
                nxt = []
                for c in frontier:
                    for p in self.object_parents.get(c, ()):
                        if p not in dist:
                            dist[p] = dist[c] + 1
                            nxt.append(p)
                frontier = nxt
            hits = sorted((-d, c) for c, d in dist.items() if c in rules)
            hit = self._closure_cache[key] = tuple(i for _, c in hits for i in rules[c])
        return hit

    @cached_property
    def _size_limited(self) -> dict[str, tuple[AttributeValue, ...]]:
        """``{type: values}`` of the values whose size bands (:attr:`AttributeValue.object_size`, ``_by``) are not
        every size class."""
        full = (0, len(SIZE_CLASSES) - 1)
        out: dict[str, list] = {}
        for t in self.attribute_types.values():
            for v in t.values:
                if v.object_size != full or any(b != full for _, b in v.object_size_by):
                    out.setdefault(t.id, []).append(v)
        return {t: tuple(vs) for t, vs in out.items()}

    def attribute_domain(self, category: str, profile: tuple[int, ...] = (),
                         size: int | None = None) -> dict[str, frozenset[str]]:
        """``{type: values}`` that objects of ``category`` with the concept rules ``profile`` (see
        :meth:`attribute_profile`) and the size class ``size`` (``None``: unsized) take; mass nouns aside
        (:meth:`attribute_fits`).  A value's ``object_size`` band is applied last, so no rule lets a size word
        describe a thing outside its band.

        >>> from gas_solver.taxonomy import load_taxonomy
        >>> tax = load_taxonomy()
        >>> [("huge" in tax.attribute_domain("furniture", size=s)["size"]) for s in (1, 2, 3)]  # small, medium, large
        [False, False, True]
        """
        limited = self._size_limited if size is not None else {}
        if not profile and not limited:
            return self._category_domains[category]
        key = ("domain", category, profile, size if limited else None)
        hit = self._closure_cache.get(key)
        if hit is None:
            dom = {t: set(v) for t, v in self._category_domains[category].items()}
            for i in profile:
                _apply_rule(dom, self.attribute_domains[i])
            path = self.path(category)
            for t, vals in limited.items():
                if dom.get(t):
                    dom[t].difference_update(v.id for v in vals if not v.size_band(path)[0] <= size
                                             <= v.size_band(path)[1])
            hit = self._closure_cache[key] = {t: frozenset(v) for t, v in dom.items()}
        return hit

    def concept_attribute_domain(self, concept_id: str) -> dict[str, frozenset[str]]:
        """``{type: values}`` a concept takes (category, concept rules and the mass-noun rule), empty types left
        out: what ``gas taxonomy show`` prints.

        >>> from gas_solver.taxonomy import load_taxonomy
        >>> tax = load_taxonomy()
        >>> sofa = next(o.id for o in tax.objects if o.name == "couch")
        >>> "leather" in tax.concept_attribute_domain(sofa)["material"]
        True
        """
        o = self.object(concept_id)
        dom = self.attribute_domain(o.category, self.attribute_profile(concept_id), o.size)
        mass = o.countability == "mass"
        return {t: v for t, v in dom.items() if v and not (mass and not self.attribute_types[t].mass)}

    def attribute_fits(self, type_id: str, value_id: str, concept_id: str) -> bool:
        """True if an attribute value fits a concept: its category and the concept rules of
        :attr:`attribute_domains` admit it, and the type admits mass nouns or the concept is not one ("some
        lotion" takes a colour, never a shape).

        >>> from gas_solver.taxonomy import load_taxonomy
        >>> tax = load_taxonomy()
        >>> lotion = tax.search("lotion")[0].id
        >>> tax.attribute_fits("colour", "white", lotion), tax.attribute_fits("shape", "oval", lotion)
        (True, False)
        """
        o = self.object(concept_id)
        if o.countability == "mass" and not self.attribute_types[type_id].mass:
            return False
        return value_id in self.attribute_domain(o.category, self.attribute_profile(concept_id),
                                                 o.size).get(type_id, ())

    def attributes_exclude(self, attributes) -> AttributeExclusion | None:
        """The first :attr:`attribute_exclusions` rule that ``attributes`` (``(type, value)`` pairs of one
        object) break, or None.

        >>> from gas_solver.taxonomy import load_taxonomy
        >>> tax = load_taxonomy()
        >>> tax.attributes_exclude([("pattern", "multicoloured"), ("colour", "red")]).id
        'many_colours'
        >>> tax.attributes_exclude([("pattern", "striped"), ("colour", "red")]) is None
        True
        """
        pairs = list(attributes)
        for r in self.attribute_exclusions:
            for i, (t1, v1) in enumerate(pairs):
                for t2, v2 in pairs[i + 1:]:
                    if r.forbids(t1, v1, t2, v2):
                        return r
        return None

    def attribute_values_for(self, category: str) -> list[tuple[str, str]]:
        """Every (type, value) applicable to objects of ``category``."""
        return [k for k, cats in self.value_scope.items() if category in cats]

    # -- relations --------------------------------------------------------
    @cached_property
    def _relation_scope(self) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
        # an end's domain: the categories under a listed one and under no excepted one ("sitting next to": a mammal,
        # but not a mammal of the water)
        return {r.id: (self.closure_of(r.subject) - self.closure_of(r.subject_except),
                       self.closure_of(r.object) - self.closure_of(r.object_except)) for r in self.relations.values()}

    def relation_allows(self, relation_id: str, subject_category: str, object_category: str) -> bool:
        """True if the relation's domains admit the two categories: the subject's and the object's, and the
        object categories its subject's category admits (:meth:`subject_group`).

        >>> from gas_solver.taxonomy import load_taxonomy
        >>> tax = load_taxonomy("tests/data/tiny_relation_pairs.toml")
        >>> tax.relation_allows("feeding", "person", "animal"), tax.relation_allows("feeding", "bird", "animal")
        (True, False)
        """
        subj, obj = self._relation_scope[relation_id]
        if not (subject_category in subj and object_category in obj):
            return False
        group = self.subject_group(relation_id, subject_category)
        return not group or object_category in self._pair_scope[(relation_id, group)]

    def subject_group(self, relation_id: str, subject_category: str) -> str:
        """The category of the relation's ``object_by_subject`` that rules a subject of ``subject_category`` (the
        most specific listed one above it), or ``""`` where none does (the relation's own object domain)."""
        by = self.relations[relation_id].object_by_subject
        if not by:
            return ""
        key = ("subject_group", relation_id, subject_category)
        hit = self._closure_cache.get(key)
        if hit is None:
            listed = dict(by)
            hit = next((c for c in reversed(self.path(subject_category)) if c in listed), "")
            self._closure_cache[key] = hit
        return hit

    @cached_property
    def _pair_scope(self) -> dict[tuple[str, str], frozenset[str]]:
        """``(relation, subject group) -> object categories`` (is-a closed) of every ``object_by_subject``."""
        return {(r.id, g): self.closure_of(objs) for r in self.relations.values() for g, objs in r.object_by_subject}

    def relations_for(self, subject_category: str, object_category: str) -> list[str]:
        """Relation ids whose domains admit ``subject_category -> object_category``."""
        # the question tables ask this for every pair of categories a scene shows: the relations whose subject
        # domain admits the category are kept per category (in the same order), so a pair scans only those
        key = ("relations_from", subject_category)
        from_subject = self._closure_cache.get(key)
        if from_subject is None:
            from_subject = self._closure_cache[key] = tuple(
                [(r, o & self._pair_scope[(r, g)] if (g := self.subject_group(r, subject_category)) else o)
                 for r, (s, o) in self._relation_scope.items() if subject_category in s])
        return [r for r, o in from_subject if object_category in o]

    # -- scene attributes -------------------------------------------------
    def scene_attribute_types_for(self, modality: str) -> list[SceneAttributeType]:
        return [t for t in self.scene_attribute_types.values() if modality in t.modalities]

    def scene_attributes_compatible(self, type_ids: Iterable[str]) -> bool:
        """True if scene-attribute types may occur together: no two share a non-empty ``group``.

        >>> from gas_solver.taxonomy import load_taxonomy
        >>> tax = load_taxonomy()
        >>> tax.scene_attributes_compatible(["artist", "art_style"]), tax.scene_attributes_compatible(["artist", "mood"])
        (False, True)
        """
        seen = set()
        for t in type_ids:
            for g in (self.scene_attribute_types[t].group if t in self.scene_attribute_types else "").split():
                if g in seen:
                    return False
                seen.add(g)
        return True

    def scene_attribute_value(self, type_id: str, value_id: str) -> SceneAttributeValue:
        for v in self.scene_attribute_types[type_id].values:
            if v.id == value_id:
                return v
        raise KeyError((type_id, value_id))

    # -- summary ----------------------------------------------------------
    def stats(self) -> dict:
        return {
            "name": self.name,
            "version": self.version,
            "hash": self.hash,
            "categories": len(self.categories),
            "objects": len(self.objects),
            "attribute_types": len(self.attribute_types),
            "attribute_values": sum(len(t.values) for t in self.attribute_types.values()),
            "relations": len(self.relations),
            "relation_tiers": {t: sum(1 for r in self.relations.values() if TIERS.index(r.tier) <= TIERS.index(t))
                               for t in TIERS},
            "scene_attribute_types": len(self.scene_attribute_types),
            "scene_attribute_values": sum(len(t.values) for t in self.scene_attribute_types.values()),
            "tiers": {t: sum(1 for o in self.objects if TIERS.index(o.tier) <= TIERS.index(t)) for t in TIERS},
            "sizes": {s: sum(1 for o in self.objects if o.size == i) for i, s in enumerate(SIZE_CLASSES)},
            "settings": {st: sum(1 for t in self.scene_attribute_types.values() for v in t.values if v.setting == st)
                         for st in self.settings},
            "countability": {k: sum(1 for o in self.objects if o.countability == k) for k in COUNTABILITY},
            "attribute_domains": {"category rules": sum(1 for r in self.attribute_domains if r.target in self.categories),
                                  "concept rules": sum(1 for r in self.attribute_domains
                                                       if r.target not in self.categories)},
            "scene_attribute_groups": {g: sum(1 for t in self.scene_attribute_types.values() if t.group == g)
                                       for g in sorted({t.group for t in self.scene_attribute_types.values()} - {""})},
        }

    def suggest_category(self, name: str) -> str | None:
        m = difflib.get_close_matches(name, list(self.categories), n=1, cutoff=0.6)
        return m[0] if m else None
