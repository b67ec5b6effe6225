"""The internal model of a constraint file.

One model, compiled by :mod:`gas_solver.solve` to both clingo and CP-SAT and
used by the exact counter and sampler.  The parser (:mod:`.parse`) builds it
from TOML, resolving every name against the taxonomy, so the model holds only
taxonomy ids and every user constraint carries an :class:`Origin` (file, line,
column, key) for error messages and unsat cores.

Plain frozen dataclasses; no solver code here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Iterator, Literal

__all__ = [
    "FITTING",
    "Origin",
    "IntRange",
    "ConceptSet",
    "AttributeCondition",
    "PatternNode",
    "PatternEdge",
    "Pattern",
    "PatternConstraint",
    "CardinalityConstraint",
    "SoftConstraint",
    "RawAsp",
    "CountedObjects",
    "SamplingPlan",
    "STRATA_KINDS",
    "Bounds",
    "Vocabulary",
    "ConstraintSpec",
]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a constraint was stated: file, 1-based line and column, dotted key, and a short description."""

    path: str | None
    line: int | None
    column: int | None
    key: str
    description: str = ""

    def __str__(self) -> str:
        loc = f"{self.path or '<input>'}:{self.line if self.line is not None else '?'}"
        return f"{loc}: {self.key}" + (f" = {self.description}" if self.description else "")


@dataclass(frozen=True, slots=True)
class IntRange:
    """Inclusive integer range; ``hi=None`` means unbounded."""

    lo: int = 0
    hi: int | None = None

    def __contains__(self, x: int) -> bool:
        return x >= self.lo and (self.hi is None or x <= self.hi)


@dataclass(frozen=True, slots=True)
class ConceptSet:
    """A set of concepts named by categories (is-a closed) and concept ids, minus exclusions.

    Empty ``categories`` and ``concepts`` mean "every concept".  Resolve it with
    :meth:`members`.
    """

    categories: frozenset[str] = frozenset()
    concepts: frozenset[str] = frozenset()
    exclude_categories: frozenset[str] = frozenset()
    exclude_concepts: frozenset[str] = frozenset()

    @property
    def is_everything(self) -> bool:
        return not (self.categories or self.concepts or self.exclude_categories or self.exclude_concepts)

    def members(self, taxonomy) -> frozenset[str]:
        """Concept ids of ``taxonomy`` in this set."""
        if self.categories or self.concepts:
            cats = taxonomy.closure_of(self.categories)
            ids = {o.id for o in taxonomy.objects if o.category in cats} | set(self.concepts)
        else:
            ids = {o.id for o in taxonomy.objects}
        if self.exclude_categories:
            xc = taxonomy.closure_of(self.exclude_categories)
            ids = {i for i in ids if taxonomy.object(i).category not in xc}
        return frozenset(ids - self.exclude_concepts)


@dataclass(frozen=True, slots=True)
class AttributeCondition:
    """An object has an attribute of ``type`` (with a value in ``values``, or any value if ``None``)."""

    type: str
    values: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class PatternNode:
    var: str
    concepts: ConceptSet = ConceptSet()
    attributes: tuple[AttributeCondition, ...] = ()


@dataclass(frozen=True, slots=True)
class PatternEdge:
    """``subject -[predicates]-> object`` between pattern variables; ``None`` = any predicate."""

    subject: str
    object: str
    predicates: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class Pattern:
    """A small sub-graph over categories.  Matches are injective maps of its
    variables to scene objects that respect node conditions and edges.

    ``text`` keeps the user's spelling (``a:animal -[riding]-> b:vehicle``).
    """

    nodes: tuple[PatternNode, ...]
    edges: tuple[PatternEdge, ...] = ()
    text: str = ""

    @property
    def is_local(self) -> bool:
        """One node, or two nodes joined by one edge: counted exactly by local factors."""
        return len(self.nodes) == 1 and not self.edges or (len(self.nodes) == 2 and len(self.edges) == 1)


@dataclass(frozen=True, slots=True)
class PatternConstraint:
    """``require``: the scene has at least ``at_least`` matches; ``forbid``: it has none."""

    pattern: Pattern
    mode: Literal["require", "forbid"]
    origin: Origin
    at_least: int = 1


@dataclass(frozen=True, slots=True)
class CardinalityConstraint:
    """A count in ``range``.

    ``kind``:
      * ``"objects"``: number of objects whose concept is in ``concepts``;
      * ``"distinct_categories"``: number of distinct categories, among ``categories``
        (empty = the object's own category), that the scene's objects fall into;
      * ``"attribute_type"``: number of attributes of type ``attribute_type``;
      * ``"distinct_attribute_types"``: number of distinct attribute types used.
    """

    kind: Literal["objects", "distinct_categories", "attribute_type", "distinct_attribute_types"]
    range: IntRange
    origin: Origin
    concepts: ConceptSet = ConceptSet()
    categories: tuple[str, ...] = ()
    attribute_type: str | None = None


@dataclass(frozen=True, slots=True)
class SoftConstraint:
    """Multiplies a scene's weight by ``weight`` once per match of ``pattern``."""

    pattern: Pattern
    weight: Fraction
    origin: Origin


@dataclass(frozen=True, slots=True)
class RawAsp:
    """clingo rules over the documented predicate vocabulary (ASP backend only)."""

    program: str
    origin: Origin


@dataclass(frozen=True, slots=True)
class CountedObjects:
    """``n`` copies of one concept: the scene's objects in ``concepts`` number ``n`` and share one concept.

    ``concepts`` may name one concept ("four buses") or a category ("four copies of one animal": four
    dogs, or four owls, ...).  ``n.lo`` is at least 1.
    """

    concepts: ConceptSet
    n: IntRange
    origin: Origin


#: what ``[sampling]`` strata (and ``--strata``) may be keyed by: properties of a scene's structure
STRATA_KINDS = ("complexity", "objects", "attributes", "relations", "shape")


@dataclass(frozen=True, slots=True)
class SamplingPlan:
    """A file's ``[sampling]`` section: its default distribution and strata (the CLI overrides both).

    ``strata`` is ``None`` or ``{kind: {stratum: share}}`` as :func:`gas_solver.solve.sample.parse_strata`
    returns it; a share of ``None`` for every stratum (``strata = "equal"``) means equal shares over the
    strata that hold scenes.
    """

    distribution: str = "uniform"
    strata: dict | None = None
    origin: Origin | None = None


#: ``[space] setting = "fitting"``: every location fits every object of its scene (each location's setting admits
#: them); the space is the disjoint union over the taxonomy's settings (``gas_solver.solve.counted``)
FITTING = "fitting"


@dataclass(frozen=True, slots=True)
class Bounds:
    complexity: IntRange = IntRange(1, 8)
    objects: IntRange = IntRange(1, None)
    attributes: IntRange = IntRange(0, None)
    relations: IntRange = IntRange(0, None)
    attributes_per_object: IntRange = IntRange(0, None)
    out_degree: IntRange = IntRange(0, None)
    in_degree: IntRange = IntRange(0, None)
    acyclic: bool = True
    connected: bool = False
    repeat_objects: bool = True
    modality: str = "image"
    scene_attributes: IntRange = IntRange(0, 0)
    #: scene-attribute types every scene holds (``[space] required_scene_attribute_types``: a video prompt names a
    #: camera movement); a scene attribute of each, counted in :attr:`scene_attributes`
    required_scene_types: frozenset[str] = frozenset()
    #: a setting of the taxonomy ("indoor", "outdoor", ...): location values of that setting only, and
    #: only objects that fit it (size and category); ``None`` = any setting, no fit rule;
    #: :data:`FITTING` = any location whose setting fits every object of the scene (a union over settings)
    setting: str | None = None
    #: the scene must hold a scene attribute of type :attr:`place_type` (set only on the parts of a
    #: :data:`FITTING` union: a location, or another value that carries a setting, "in the genre of still life")
    located: bool = False
    place_type: str = "location"
    #: settings whose fit no concept class mixes (set only on the parts of a :data:`FITTING` union, so that a
    #: vertex label says whether its object fits each of them: solve/sample/fitting.py)
    fit_classes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Resolved allow/deny lists (taxonomy ids).  ``None`` = no restriction."""

    objects: ConceptSet = ConceptSet()
    #: objects allowed as relation subjects / objects (per role)
    subjects: ConceptSet = ConceptSet()
    relation_objects: ConceptSet = ConceptSet()
    attribute_types: frozenset[str] | None = None
    attribute_values: frozenset[tuple[str, str]] | None = None
    denied_attribute_values: frozenset[tuple[str, str]] = frozenset()
    predicates: frozenset[str] | None = None
    scene_attribute_types: frozenset[str] | None = None
    scene_attribute_values: frozenset[tuple[str, str]] | None = None
    denied_scene_attribute_values: frozenset[tuple[str, str]] = frozenset()
    #: a familiarity tier ("everyday", "common", "all") or a minimum familiarity score; ``None`` = all
    familiarity: str | float | None = None

    def familiar(self, taxonomy, concept_id: str) -> bool:
        """True if the concept passes ``familiarity`` (a tier, or a minimum score; unscored
        concepts pass a minimum score)."""
        f = self.familiarity
        if f is None:
            return True
        if isinstance(f, str):
            return taxonomy.in_tier(concept_id, f)
        score = taxonomy.object(concept_id).familiarity
        return score is None or score >= f


@dataclass(frozen=True)
class ConstraintSpec:
    """A parsed, resolved constraint file.

    ``origins`` maps a dotted key of a bound or vocabulary entry (``"space.complexity"``)
    to its :class:`Origin`; patterns, cardinalities, soft rules and raw ASP carry their own.
    """

    bounds: Bounds = Bounds()
    vocabulary: Vocabulary = Vocabulary()
    #: apply the taxonomy's attribute applicability and relation domains (``False`` turns every
    #: switch below off)
    semantic: bool = True
    #: ``[semantics]`` switches: attributes "natural" (applicability) or "any"; relations "typed"
    #: (category domains) or "any"; sizes on (the relations' size bands) or off
    attributes: str = "natural"
    relations: str = "typed"
    sizes: bool = True
    #: "compatible": at most one scene attribute per exclusive group of the taxonomy (no artist beside an art
    #: style); "any": every combination of scene-attribute types
    scene_attributes: str = "compatible"
    #: the taxonomy's attribute exclusions ("multicoloured" beside one colour) apply (``[semantics] exclusions``)
    exclusions: bool = True
    #: the relations' size ratios apply (``[semantics] ratios``; only with ``sizes`` on): "inside" needs a
    #: container at least one size class larger than its content
    ratios: bool = True
    #: the taxonomy's subject exclusions apply (``[semantics] subject_exclusions``): ``True`` every rule (no
    #: "sitting man runs toward a bus"), ``None`` (unset) the rules the taxonomy marks ``default`` (the subject of a
    #: colour comparison takes no colour word), ``False`` none.  Each rule is a forbidden one-edge pattern (listed
    #: in ``patterns``, its origin the switch), exact like any local pattern but it splits the vertex labels of the
    #: kinds it names, which costs set-up time at large bounds, so a file asks for the pose rules
    subject_exclusions: bool | None = None
    #: the taxonomy's scene-attribute values that hide an attribute type ("rendered as a marble sculpture",
    #: "a charcoal drawing": colour) leave it off the scene's objects (``[semantics] hides``, default ``false``):
    #: each group of such values the file allows adds one part to its space, so a file asks for it (the
    #: default file does)
    hides: bool = False
    #: the file allows such values beside objects that may carry the hidden types, and asks for the rule; its
    #: space is then a union split by them (``solve/counted.py`` ``hidden_parts``); set by the parser, ``False``
    #: on the parts
    hidden_split: bool = False
    patterns: tuple[PatternConstraint, ...] = ()
    cardinalities: tuple[CardinalityConstraint, ...] = ()
    soft: tuple[SoftConstraint, ...] = ()
    raw_asp: tuple[RawAsp, ...] = ()
    #: ``[[count]]`` sections: groups of copies of one concept
    counts: tuple[CountedObjects, ...] = ()
    #: the ``[sampling]`` section (``None``: uniform, no strata)
    sampling: SamplingPlan | None = None
    origins: dict[str, Origin] = field(default_factory=dict)
    path: str | None = None
    text: str = ""
    #: SHA-256 of ``text``
    hash: str = ""
    #: the file's ``name`` and ``description`` (free text, for dataset cards and messages)
    name: str = ""
    description: str = ""

    @property
    def natural_attributes(self) -> bool:
        """Attributes only where the taxonomy says they apply."""
        return self.semantic and self.attributes == "natural"

    @property
    def typed_relations(self) -> bool:
        """Relations only between the categories their domains admit."""
        return self.semantic and self.relations == "typed"

    @property
    def sized_relations(self) -> bool:
        """Relations only between objects whose size classes fit the relation's size bands."""
        return self.semantic and self.sizes

    @property
    def ratio_relations(self) -> bool:
        """Relations only between objects whose size classes fit the relation's size ratio (with sizes on)."""
        return self.semantic and self.sizes and self.ratios

    @property
    def excluding_attributes(self) -> bool:
        """No object carries two attribute values that a taxonomy exclusion pairs ("multicoloured" and red)."""
        return self.semantic and self.exclusions

    @property
    def excluding_subjects(self) -> bool:
        """No subject carries an attribute that a taxonomy subject exclusion pairs with its relation."""
        return self.semantic and self.subject_exclusions is not False

    @property
    def compatible_scene_attributes(self) -> bool:
        """At most one scene attribute per exclusive group of the taxonomy (``group`` of its types)."""
        return self.semantic and self.scene_attributes == "compatible"

    def hard_constraints(self) -> Iterator[Origin]:
        """Every user-stated hard constraint, in file order (the candidates of an unsat core)."""
        items = list(self.origins.values())
        items += [p.origin for p in self.patterns]
        items += [c.origin for c in self.cardinalities]
        items += [r.origin for r in self.raw_asp]
        items += [c.origin for c in self.counts]
        return iter(sorted(items, key=lambda o: (o.line or 0, o.column or 0, o.key)))
