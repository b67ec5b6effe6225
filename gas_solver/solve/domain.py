"""Grounding: the labels a constraint file allows, and the classes of concepts no constraint tells apart.

:func:`ground` turns a :class:`~gas_solver.constraints.model.ConstraintSpec` and a
taxonomy into a :class:`Domain`.  The domain is the single place where the
vocabulary (allow/deny lists, per-role restrictions) and the semantic rules
(attribute applicability, relation domains) are applied; both solver backends,
the exact counter and the sampler read labels only from it.

Concept classes
---------------
Two concepts are interchangeable for every constraint of the file when they
have the same attribute options, the same predicate behaviour as subject and
as object, and the same membership in every concept set that a pattern, a
cardinality or a soft rule names (and, for ``distinct_categories``, the same
counted category).  :attr:`Domain.classes` partitions the allowed concepts
into such classes; the counter works on classes instead of concepts, which
turns ~20k concepts into a few dozen labels.

Predicate behaviour is encoded with bit masks over the allowed predicates:
``predicates(s, o) = subject_mask(s) & object_mask(o)``.  This is exact
because a relation's domain is a product (subject categories × object
categories), so a concept's row of allowed predicates depends only on its
subject mask and its column only on its object mask.

A size ratio ("inside": the container at least one size class larger than
its content) depends on both ends, so its domain is no product; it is a
disjoint union of products, one per subject size class.  Such a predicate
takes one bit (a *virtual predicate*) per group of subject size classes that
admit the same object sizes (:func:`ratio_positions`): :attr:`Domain.predicate_ids`
then holds its id once per group, a subject sets only the bit of its own size
class, an object every bit whose object sizes it fits.  Exactly one virtual
predicate of a relation applies to any pair, so the masks still count every
relation once, and every bit prints the relation's one name.

Examples
--------
>>> from gas_solver.constraints.model import ConstraintSpec
>>> from gas_solver.taxonomy import load_taxonomy
>>> tax = load_taxonomy("tests/data/toy.toml")   # doctest: +SKIP
>>> dom = ground(ConstraintSpec(), tax)          # doctest: +SKIP
>>> dom.predicates("dog", "bicycle")             # doctest: +SKIP
('next_to', 'on_top_of', 'riding')
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import cached_property

from ..constraints.model import FITTING, ConceptSet, ConstraintSpec
from ..constraints.hiding import allowed_values, scene_options
from ..taxonomy.model import SIZE_CLASSES
from .exclusions import domain_rules

#: the scene-attribute type whose values carry a setting
LOCATION = "location"

__all__ = ["ConceptClass", "Domain", "graph_key", "ground", "ratio_positions", "relation_positions", "spec_concept_sets"]


@dataclass(frozen=True, slots=True)
class ConceptClass:
    """Concepts that no constraint of the file tells apart.

    ``attribute_options`` is ``((type, (value, ...)), ...)`` sorted by type;
    ``subject_mask`` / ``object_mask`` are bit masks over
    :attr:`Domain.predicate_ids`; ``members`` is the set of indices into
    :attr:`Domain.concept_sets` that contain the class's concepts;
    ``counted`` holds, per ``distinct_categories`` cardinality of the file, the
    categories that rule counts for these concepts.
    """

    index: int
    concepts: tuple[str, ...]
    attribute_options: tuple[tuple[str, tuple[str, ...]], ...]
    subject_mask: int
    object_mask: int
    members: frozenset[int]
    counted: tuple[tuple[str, ...], ...] = ()

    @property
    def size(self) -> int:
        return len(self.concepts)

    @property
    def value_counts(self) -> tuple[int, ...]:
        """Number of allowed values per attribute type (in ``attribute_options`` order)."""
        return tuple(len(v) for _, v in self.attribute_options)


def spec_concept_sets(spec: ConstraintSpec) -> tuple[ConceptSet, ...]:
    """Every distinct concept set that a pattern, cardinality, soft rule or ``[[count]]`` of ``spec`` names, in a
    fixed order."""
    seen: dict[ConceptSet, None] = {}
    for pc in spec.patterns:
        for node in pc.pattern.nodes:
            seen.setdefault(node.concepts, None)
    for sc in spec.soft:
        for node in sc.pattern.nodes:
            seen.setdefault(node.concepts, None)
    for cc in spec.cardinalities:
        if cc.kind == "objects":
            seen.setdefault(cc.concepts, None)
    for co in spec.counts:  # counted objects: their concepts are told apart from the others
        seen.setdefault(co.concepts, None)
    return tuple(seen)


@dataclass(eq=False)
class Domain:
    """The grounded labels of a constraint file; build it with :func:`ground`.

    Attributes
    ----------
    concepts : tuple of str
        Sorted allowed concept ids.
    predicate_ids : tuple of str
        Sorted predicate ids the vocabulary allows (bit ``i`` of a mask is ``predicate_ids[i]``).
    scene_options : dict
        ``{scene_attribute_type: (value, ...)}`` allowed for the spec's modality.
    classes : tuple of ConceptClass
        Partition of ``concepts`` into interchangeable classes, ordered by first concept.
    concept_sets : tuple of ConceptSet
        The concept sets that class membership refers to (see :func:`spec_concept_sets`).
    ratio_bands : tuple
        Per position of ``predicate_ids``: ``None``, or ``(subject sizes, (lo, hi))`` for a virtual predicate
        of a size ratio (:func:`ratio_positions`).
    """

    spec: ConstraintSpec
    taxonomy: object
    concepts: tuple[str, ...]
    predicate_ids: tuple[str, ...]
    scene_options: dict[str, tuple[str, ...]]
    classes: tuple[ConceptClass, ...]
    concept_sets: tuple[ConceptSet, ...]
    #: exclusive group of each scene-attribute type of ``scene_options`` ("" = its own group): a scene holds at
    #: most one attribute per non-empty group (the taxonomy's ``group``, when the scene attributes are compatible)
    scene_groups: dict[str, str] = field(default_factory=dict)
    #: scene-attribute types every scene holds (the location, in a part of a ``setting = "fitting"`` union)
    scene_required: frozenset = frozenset()
    #: attribute exclusions in force, ``((type, values), (other_type, other_values))`` restricted to the file's
    #: values (:func:`.exclusions.domain_rules`; empty with ``[semantics] exclusions = false``)
    exclusions: tuple = ()
    ratio_bands: tuple = ()
    _class_of: dict[str, int] = field(repr=False, default_factory=dict)
    _mask_cache: dict[int, tuple[str, ...]] = field(repr=False, default_factory=dict)

    # -- scene attributes ---------------------------------------------------
    def scene_attributes_compatible(self, types) -> bool:
        """True if no two of ``types`` (scene-attribute type ids) share a non-empty exclusive group, and every
        required type is among them."""
        types = tuple(types)
        if not self.scene_required.issubset(types):
            return False
        seen = set()
        for t in types:
            for g in self.scene_groups.get(t, "").split():  # a type may sit in several groups
                if g in seen:
                    return False
                seen.add(g)
        return True

    def scene_type_polynomial(self) -> list[int]:
        """Coefficient ``k``: the number of ways to choose ``k`` scene attributes (types and values), at most one
        per exclusive group: the product over groups of ``1 + (Σ values of the group's types)·x``."""
        if not self.scene_required.issubset(self.scene_options):
            return [0]
        if any(len(self.scene_groups.get(t, "").split()) > 1 for t in self.scene_options):
            return self._overlapping_groups_polynomial()
        by_group: dict[str, int] = {}
        singles = []
        forced = []  # a required type: its factor is (values)·x, and it takes its group's one place
        taken = {self.scene_groups.get(t, "") for t in self.scene_required} - {""}
        if len(taken) < len([t for t in self.scene_required if self.scene_groups.get(t, "")]):
            return [0]  # two required types of one exclusive group: no scene holds both
        for t, vals in self.scene_options.items():
            g = self.scene_groups.get(t, "")
            if t in self.scene_required:
                forced.append(len(vals))
            elif g in taken:
                continue
            elif g:
                by_group[g] = by_group.get(g, 0) + len(vals)
            else:
                singles.append(len(vals))
        poly = [1]
        for n in [*singles, *by_group.values()]:
            poly = [a + (n * poly[k - 1] if k else 0) for k, a in enumerate(poly + [0])]
        for n in forced:
            poly = [0] + [n * a for a in poly]
        return poly

    def _overlapping_groups_polynomial(self) -> list[int]:
        """The scene-attribute polynomial when a type sits in several groups (a backdrop excludes a location
        and a weather; a weather excludes a lighting): the types linked by shared groups form components, and
        each component's factor sums, over its sets of types no two of which share a group (required types
        always in), the product of their value counts times x to the set's size."""
        types = sorted(self.scene_options)
        groups = {t: frozenset(self.scene_groups.get(t, "").split()) for t in types}
        comp_of: dict[str, int] = {}
        comps: list[list[str]] = []
        for t in types:  # union of components that share a group with t
            hit = sorted({comp_of[u] for u in comp_of if groups[u] & groups[t]})
            merged = [t] + [u for i in hit for u in comps[i]]
            for i in reversed(hit):
                comps[i] = []
            comps.append(merged)
            for u in merged:
                comp_of[u] = len(comps) - 1
        poly = [1]
        for comp in (c for c in comps if c):
            factor = [0] * (len(comp) + 1)

            def walk(i: int, used: frozenset, k: int, ways: int) -> None:
                if i == len(comp):
                    factor[k] += ways
                    return
                t = comp[i]
                if t not in self.scene_required:
                    walk(i + 1, used, k, ways)
                if not groups[t] & used:
                    walk(i + 1, used | groups[t], k + 1, ways * len(self.scene_options[t]))

            walk(0, frozenset(), 0, 1)
            out = [0] * (len(poly) + len(factor) - 1)
            for a, x in enumerate(poly):
                for b, y in enumerate(factor):
                    out[a + b] += x * y
            poly = out
        while len(poly) > 1 and poly[-1] == 0:
            poly.pop()
        return poly

    def max_scene_attributes(self) -> int:
        """The most scene attributes a scene of this domain can hold (one per type, one per group)."""
        return len(self.scene_type_polynomial()) - 1

    # -- per concept ------------------------------------------------------
    def class_of(self, concept: str) -> ConceptClass:
        """The class of an allowed concept (``KeyError`` if the concept is not allowed)."""
        return self.classes[self._class_of[concept]]

    def allows(self, concept: str) -> bool:
        return concept in self._class_of

    def attribute_options(self, concept: str) -> dict[str, tuple[str, ...]]:
        """``{type: (value, ...)}`` allowed on ``concept`` (types without a value are left out)."""
        return dict(self.class_of(concept).attribute_options)

    def predicates(self, subject_concept: str, object_concept: str) -> tuple[str, ...]:
        """Predicates allowed on an edge ``subject_concept -> object_concept``, sorted."""
        return self.mask_predicates(self.class_of(subject_concept).subject_mask
                                    & self.class_of(object_concept).object_mask)

    def in_set(self, concept: str, concept_set: ConceptSet) -> bool:
        """Membership of an allowed concept in one of :attr:`concept_sets` (by value)."""
        return self.concept_sets.index(concept_set) in self.class_of(concept).members

    # -- per class --------------------------------------------------------
    def class_predicates(self, subject_class: int, object_class: int) -> tuple[str, ...]:
        """Predicates allowed from any concept of one class to any concept of another."""
        return self.mask_predicates(self.classes[subject_class].subject_mask & self.classes[object_class].object_mask)

    def mask_predicates(self, mask: int) -> tuple[str, ...]:
        """The predicates of a bit mask, sorted (cached: the sampler asks for the same masks often)."""
        hit = self._mask_cache.get(mask)
        if hit is None:
            ids = self.predicate_ids
            out = []
            rest = mask
            while rest:  # set bits only, low to high: masks hold tens of the ~640 predicates
                low = rest & -rest
                out.append(ids[low.bit_length() - 1])
                rest ^= low
            hit = self._mask_cache[mask] = tuple(out)
        return hit

    @cached_property
    def attribute_types(self) -> tuple[str, ...]:
        """Every attribute type that some allowed concept may carry, sorted."""
        return tuple(sorted({t for c in self.classes for t, _ in c.attribute_options}))

    @cached_property
    def predicate_index(self) -> dict[str, int]:
        """The first bit of each predicate id (a size ratio's virtual predicates take several: see
        :attr:`predicate_bits`)."""
        out: dict[str, int] = {}
        for i, p in enumerate(self.predicate_ids):
            out.setdefault(p, i)
        return out

    @cached_property
    def predicate_bits(self) -> dict[str, int]:
        """The mask of every bit of each predicate id (one bit, or one per virtual predicate of a size ratio)."""
        out: dict[str, int] = {}
        for i, p in enumerate(self.predicate_ids):
            out[p] = out.get(p, 0) | 1 << i
        return out

    def predicates_mask(self, names) -> int:
        """The mask of the predicates ``names`` (ids the domain does not hold are left out)."""
        bits = self.predicate_bits
        out = 0
        for p in names:
            out |= bits.get(p, 0)
        return out

    def __repr__(self) -> str:
        return (f"Domain({len(self.concepts)} concepts in {len(self.classes)} classes, "
                f"{len(self.predicate_ids)} predicates, {len(self.attribute_types)} attribute types)")


# (the file's allowed attribute and scene-attribute values: constraints/hiding.py, shared with the checker)
_allowed_values = allowed_values
_scene_options = scene_options


def _counted_categories(spec: ConstraintSpec, taxonomy, category: str) -> tuple:
    """What each ``distinct_categories`` cardinality counts for a concept of ``category`` (one entry per rule)."""
    out = []
    for cc in spec.cardinalities:
        if cc.kind != "distinct_categories":
            continue
        if not cc.categories:
            out.append((category,))
        else:
            path = set(taxonomy.path(category))
            out.append(tuple(c for c in cc.categories if c in path))
    return tuple(out)


#: per-(category, size) rows of ``ground``, shared by the files that agree on everything the rows read: the parts
#: of a union (``setting = "fitting"``, ``[[count]]``) differ only in their concepts and scene attributes
_CATEGORY_CACHES: dict = {}


def _familiar_concepts(voc, taxonomy) -> tuple[str, ...]:
    """The sorted concepts the vocabulary allows and its familiarity admits (shared by a union's parts)."""
    key = ("familiar", id(taxonomy), repr(voc.objects), voc.familiarity)
    hit = _CATEGORY_CACHES.get(key)
    if hit is None or hit[0] is not taxonomy:
        allowed = voc.objects.members(taxonomy)
        hit = _CATEGORY_CACHES[key] = (taxonomy, tuple(sorted(
            c for c in allowed if taxonomy.has_object(c) and voc.familiar(taxonomy, c))))
    return hit[1]


def _kept(values: tuple, allowed) -> tuple:
    """The values that ``allowed`` holds, in order."""
    return tuple([v for v in values if v in allowed])


def _members(concepts, taxonomy) -> frozenset[str]:
    """``concepts.members(taxonomy)`` (a :class:`ConceptSet`), shared by a union's parts: each part's grounding
    asks for the same sets, and resolving one reads every concept of the taxonomy."""
    key = ("members", id(taxonomy), concepts)
    hit = _CATEGORY_CACHES.get(key)
    if hit is None or hit[0] is not taxonomy:
        hit = _CATEGORY_CACHES[key] = (taxonomy, concepts.members(taxonomy))
        while len(_CATEGORY_CACHES) > 16:
            _CATEGORY_CACHES.pop(next(iter(_CATEGORY_CACHES)))
    return hit[1]


def _in_band(taxonomy, rel, end: str, category: str, size: int) -> bool:
    """True if ``size`` fits the relation's band at ``end`` for concepts of ``category``.  The band depends on
    the end's own concept only (its category and size), never on the other end, so a relation's domain stays a
    product of a subject set and an object set."""
    if not (rel.subject_size_by if end == "subject" else rel.object_size_by):
        lo, hi = rel.subject_size if end == "subject" else rel.object_size
    else:
        lo, hi = taxonomy.size_band(rel.id, end, category)
    return lo <= size <= hi


def ratio_positions(taxonomy, predicate_ids, ratios: bool) -> tuple[tuple[str, ...], tuple]:
    """The domain's predicate positions: each predicate once, or, with ``ratios`` and a ``size_ratio``, once
    per group of subject size classes that admit the same object size classes (a *virtual predicate*).

    Returns ``(ids, bands)``: ``ids`` the predicate id of each position (sorted, so a predicate's positions are
    adjacent), ``bands`` per position ``None`` or ``(subject sizes, (lo, hi))``: a subject of one of these size
    classes (``None`` = unsized) sets this position's bit, an object sets it when its size class lies in
    ``[lo, hi]`` (an unsized object fits every position; subject sizes that no sized object can pair with share
    one position with an empty band, ``lo > hi``, which only unsized objects set).  The groups of one predicate
    are disjoint and cover every subject size, so exactly one position of it applies to a pair.

    >>> from gas_solver.taxonomy import load_taxonomy
    >>> ids, bands = ratio_positions(load_taxonomy("tests/data/tiny_size_ratios.toml"), ("holding", "inside"), True)
    >>> ids.count("inside")   # subject tiny, small, medium, large, huge, vast (no sized object fits), unsized
    7
    >>> bands[0], bands[1], bands[-1]
    (None, (frozenset({0}), (1, 5)), (frozenset({None}), (0, 5)))
    """
    ids, bands, _ = relation_positions(taxonomy, predicate_ids, ratios, False)
    return ids, bands


def relation_positions(taxonomy, predicate_ids, ratios: bool, pairs: bool) -> tuple[tuple, tuple, tuple]:
    """The domain's predicate positions with both splits of a predicate whose domain is no product: by subject
    size class (``ratios``, a ``size_ratio``: :func:`ratio_positions`) and by subject category (``pairs``, an
    ``object_by_subject``: one position per listed subject category, plus ``""`` for the subjects no listed
    category rules).

    Returns ``(ids, bands, groups)``: ``ids`` and ``bands`` as :func:`ratio_positions`, ``groups`` per position
    ``None`` (no category split) or the subject group (:meth:`Taxonomy.subject_group`) whose subjects set the
    bit; an object sets it when its category lies under that group's object categories (``""``: any category
    of the relation's object domain).  A position is one size group times one category group: both split the
    subjects into disjoint groups that cover them all, so their product does too, and exactly one position of a
    predicate applies to any pair.

    >>> from gas_solver.taxonomy import load_taxonomy
    >>> ids, bands, groups = relation_positions(load_taxonomy("tests/data/tiny_relation_pairs.toml"),
    ...                                         ("feeding", "next_to"), True, True)
    >>> list(zip(ids, groups))
    [('feeding', ''), ('feeding', 'animal'), ('feeding', 'bird'), ('next_to', None)]
    """
    sized_ids, sized_bands = _size_positions(taxonomy, predicate_ids, ratios)
    ids: list[str] = []
    bands: list = []
    groups: list = []
    for p, band in zip(sized_ids, sized_bands):
        by = taxonomy.relations[p].object_by_subject if pairs else ()
        for g in ("",) + tuple(c for c, _ in by) if by else (None,):
            ids.append(p)
            bands.append(band)
            groups.append(g)
    return tuple(ids), tuple(bands), tuple(groups)


def _size_positions(taxonomy, predicate_ids, ratios: bool) -> tuple[tuple[str, ...], tuple]:
    """:func:`ratio_positions` (the split by subject size class alone)."""
    top = len(SIZE_CLASSES) - 1
    ids: list[str] = []
    bands: list = []
    for p in predicate_ids:
        ratio = taxonomy.relations[p].size_ratio if ratios else None
        if ratio is None:
            ids.append(p)
            bands.append(None)
            continue
        groups: dict[tuple[int, int], set] = {}
        for z in range(top + 1):
            lo, hi = max(0, z + ratio[0]), min(top, z + ratio[1])
            if lo > hi:  # no sized object fits this subject size; an unsized one still does
                lo, hi = top + 1, top
            groups.setdefault((lo, hi), set()).add(z)
        groups.setdefault((0, top), set()).add(None)  # an unsized subject pairs with any object
        for band, sizes in sorted(groups.items(), key=lambda kv: min(z for z in kv[1] if z is not None)
                                  if kv[1] != {None} else top + 1):
            ids.append(p)
            bands.append((frozenset(sizes), band))
    return tuple(ids), tuple(bands)


def _category_cache(spec, taxonomy, natural, typed, sized, values, predicate_ids) -> dict:
    counted = tuple(cc.categories for cc in spec.cardinalities if cc.kind == "distinct_categories")
    key = (id(taxonomy), natural, typed, sized, tuple(values.items()), predicate_ids, counted,
           spec.ratio_relations)
    hit = _CATEGORY_CACHES.get(key)
    if hit is None or hit[0] is not taxonomy:
        hit = _CATEGORY_CACHES[key] = (taxonomy, {})
        while len(_CATEGORY_CACHES) > 16:
            _CATEGORY_CACHES.pop(next(iter(_CATEGORY_CACHES)))
    return hit[1]


#: grounded domains by graph key (:func:`graph_key`): a ``setting = "fitting"`` union's parts of one setting
#: (its locations, subject genres, views, horizons) differ only in their scene attributes, which grounding
#: reads last; each part after the first takes the first one's concepts, classes and masks
_GROUNDED: dict = {}
_GROUNDED_KEPT = 32


def graph_key(spec: ConstraintSpec) -> str:
    """What grounding reads of ``spec`` besides its scene attributes: files with one key have the same concepts,
    classes, attribute options and predicate masks (their scene options and required types may differ).

    >>> import dataclasses
    >>> from gas_solver.constraints.model import ConstraintSpec
    >>> a = ConstraintSpec()
    >>> b = dataclasses.replace(a, bounds=dataclasses.replace(a.bounds, located=True, place_type="horizon"))
    >>> graph_key(a) == graph_key(b)
    True
    """
    from ..constraints.model import IntRange

    # the number of objects picks structures, not labels (counted.capped_parts: a close-up's part of two objects)
    b = dataclasses.replace(spec.bounds, located=False, place_type="location", scene_attributes=IntRange(0, 0),
                            required_scene_types=frozenset(), objects=IntRange(1, None))
    v = dataclasses.replace(spec.vocabulary, scene_attribute_types=None, scene_attribute_values=None,
                            denied_scene_attribute_values=frozenset())
    return repr(dataclasses.replace(spec, bounds=b, vocabulary=v, origins={}, path=None, text="", hash="",
                                    name="", description="", sampling=None))


def ground(spec: ConstraintSpec, taxonomy, *, merge: bool = True) -> Domain:
    """Ground ``spec`` against ``taxonomy``: allowed concepts, attributes, predicates and concept classes.

    Parameters
    ----------
    spec : ConstraintSpec
        A parsed constraint file.
    taxonomy : Taxonomy
        The taxonomy its names were resolved against.
    merge : bool
        Merge interchangeable concepts into classes (``False``: one class per
        concept, the baseline of the benchmarks; counts are the same).

    Returns
    -------
    Domain

    Examples
    --------
    >>> from gas_solver.constraints.model import ConstraintSpec
    >>> from gas_solver.taxonomy import load_taxonomy
    >>> dom = ground(ConstraintSpec(), load_taxonomy("tests/data/toy.toml"))  # doctest: +SKIP
    >>> len(dom.concepts), dom.class_of("dog") is dom.class_of("horse")          # doctest: +SKIP
    (10, True)
    """
    key = (id(taxonomy), merge, graph_key(spec))
    hit = _GROUNDED.get(key)
    if hit is not None and hit[0] is taxonomy:
        return hit[1] if hit[1].spec is spec else _scoped(hit[1], spec, taxonomy)
    out = _ground(spec, taxonomy, merge)
    _GROUNDED[key] = (taxonomy, out)
    while len(_GROUNDED) > _GROUNDED_KEPT:
        _GROUNDED.pop(next(iter(_GROUNDED)))
    return out


def _scoped(base: Domain, spec: ConstraintSpec, taxonomy) -> Domain:
    """``base`` (grounded from a file with the same :func:`graph_key`) with ``spec``'s own scene attributes."""
    scene_options = _scene_options(spec, taxonomy)
    return dataclasses.replace(base, spec=spec, scene_options=scene_options,
                               scene_groups=_scene_groups(spec, taxonomy, scene_options),
                               scene_required=_scene_required(spec))


def _scene_groups(spec: ConstraintSpec, taxonomy, scene_options) -> dict[str, str]:
    return {t: (taxonomy.scene_attribute_types[t].group if spec.compatible_scene_attributes else "")
            for t in scene_options}


def _scene_required(spec: ConstraintSpec) -> frozenset:
    """The file's required scene-attribute types, and a part's place type (solve/counted.py)."""
    placed = frozenset({spec.bounds.place_type}) if spec.bounds.located else frozenset()
    return spec.bounds.required_scene_types | placed


def _ground(spec: ConstraintSpec, taxonomy, merge: bool) -> Domain:
    voc = spec.vocabulary
    natural, typed, sized = spec.natural_attributes, spec.typed_relations, spec.sized_relations
    setting = spec.bounds.setting
    if setting == FITTING:  # the union over settings (solve/counted.py): its whole ground space, no fit rule
        setting = None
    # familiarity tiers and the setting's fit rule restrict the concepts themselves, so every count,
    # enumeration and draw stays exact over the restricted space
    concepts = tuple(c for c in _familiar_concepts(voc, taxonomy)
                     if setting is None or taxonomy.setting_fits(setting, c))
    subjects = voc.subjects.members(taxonomy) if not voc.subjects.is_everything else None
    rel_objects = voc.relation_objects.members(taxonomy) if not voc.relation_objects.is_everything else None

    predicate_ids, ratio_bands, pair_groups = relation_positions(
        taxonomy, tuple(sorted(p for p in taxonomy.relations if voc.predicates is None or p in voc.predicates)),
        spec.ratio_relations, typed)
    values = _allowed_values(spec, taxonomy)

    concept_sets = spec_concept_sets(spec)
    member_sets = [_members(cs, taxonomy) for cs in concept_sets]

    # Per (category, size class, concept-rule profile): attribute options and the predicate masks.  A relation's domain is
    # a product (subject categories and size band x object categories and size band), so a
    # concept's row of allowed predicates depends only on its subject mask, its column only on its
    # object mask.
    cat_cache = _category_cache(spec, taxonomy, natural, typed, sized, values, predicate_ids)

    # a mass noun ("some lotion") takes no type that needs a shape of its own (the type's ``mass`` flag):
    # part of the key, so its attribute options stay a domain
    shapeless = frozenset(t for t in values if not taxonomy.attribute_types[t].mass) if natural else frozenset()

    def per_category(cat: str, size: int | None, mass: bool = False, profile: tuple = ()) -> tuple:
        # the profile (the taxonomy's concept rules that reach a concept: "sofa: fabric and leather") is part
        # of the key, so concepts that a rule sets apart get their own row and stay exact
        # a value's object_size band (``huge`` from large up) makes the options read the size class too
        osize = size if natural and taxonomy._size_limited else None
        key = (cat, size if sized else None, profile if natural else (), osize) + ((True,) if mass else ())
        hit = cat_cache.get(key)
        if hit is None:
            # the attribute options read the category, profile and mass flag, the predicate masks the category
            # and size: each half is cached on its own key, so that concepts sharing one half share its work
            okey = ("options", cat, profile if natural else (), mass, osize)
            opts = cat_cache.get(okey)
            if opts is None:
                if natural:
                    dom = taxonomy.attribute_domain(cat, profile, osize)
                    opts = tuple((t, _kept(vals, dom.get(t, ())))
                                 for t, vals in values.items() if not (mass and t in shapeless))
                    opts = tuple((t, v) for t, v in opts if v)
                else:
                    opts = tuple(values.items())
                cat_cache[okey] = opts
            mkey = ("masks", key[0], key[1])
            masks = cat_cache.get(mkey)
            if masks is None:
                smask = omask = 0
                for i, p in enumerate(predicate_ids):
                    s_ok, o_ok = taxonomy._relation_scope[p] if typed else (None, None)
                    rel = taxonomy.relations[p]
                    ratio = ratio_bands[i]  # a virtual predicate: this subject size class, these object sizes
                    group = pair_groups[i]  # ... and this subject category group, these object categories
                    if (s_ok is None or cat in s_ok) and (not sized or size is None
                                                          or _in_band(taxonomy, rel, "subject", cat, size)) \
                            and (ratio is None or size in ratio[0]) \
                            and (group is None or taxonomy.subject_group(p, cat) == group):
                        smask |= 1 << i
                    if (o_ok is None or cat in o_ok) and (not sized or size is None
                                                          or _in_band(taxonomy, rel, "object", cat, size)) \
                            and (ratio is None or size is None or ratio[1][0] <= size <= ratio[1][1]) \
                            and (not group or cat in taxonomy._pair_scope[(p, group)]):
                        omask |= 1 << i
                masks = cat_cache[mkey] = (smask, omask, _counted_categories(spec, taxonomy, cat))
            hit = cat_cache[key] = (opts, masks[0], masks[1], masks[2])
        return hit

    # Bits that no concept can use on the other end never change an edge: drop them so that more
    # concepts fall into one class.
    raw = {}
    any_subject = any_object = 0
    for c in concepts:
        obj = taxonomy.object(c)
        opts, smask, omask, counted = per_category(obj.category, obj.size,
                                                   bool(shapeless) and obj.countability == "mass",
                                                   taxonomy.attribute_profile(c) if natural else ())
        if subjects is not None and c not in subjects:
            smask = 0
        if rel_objects is not None and c not in rel_objects:
            omask = 0
        raw[c] = (opts, smask, omask, counted)
        any_subject |= smask
        any_object |= omask
    usable = any_subject & any_object

    groups: dict[tuple, list[str]] = {}
    for c in concepts:
        opts, smask, omask, counted = raw[c]
        members = frozenset(i for i, m in enumerate(member_sets) if c in m)
        fits = tuple(taxonomy.setting_fits(s, c) for s in spec.bounds.fit_classes)
        key = (opts, smask & usable, omask & usable, members, counted, fits) + (() if merge else (c,))
        groups.setdefault(key, []).append(c)

    classes = []
    class_of = {}
    for idx, (key, members_) in enumerate(sorted(groups.items(), key=lambda kv: kv[1][0])):
        opts, smask, omask, members, counted = key[:5]
        classes.append(ConceptClass(idx, tuple(members_), opts, smask, omask, members, counted))
        for c in members_:
            class_of[c] = idx

    scene_options = _scene_options(spec, taxonomy)
    scene_groups = _scene_groups(spec, taxonomy, scene_options)
    required = _scene_required(spec)
    return Domain(spec=spec, taxonomy=taxonomy, concepts=concepts, predicate_ids=predicate_ids,
                  scene_options=scene_options, classes=tuple(classes),
                  concept_sets=concept_sets, scene_groups=scene_groups, scene_required=required,
                  exclusions=domain_rules(taxonomy, values) if spec.excluding_attributes else (),
                  ratio_bands=ratio_bands, _class_of=class_of)


def too_few_distinct_concepts(spec: ConstraintSpec, taxonomy) -> bool:
    """True when ``repeat_objects = false`` asks for more objects than the vocabulary has concepts: the
    space is empty, which counting, sampling and the solver would otherwise find only after listing every
    structure of the bounds (minutes for 20 objects).

    >>> from gas_solver.constraints import parse_constraints
    >>> from gas_solver.taxonomy import load_taxonomy
    >>> tax = load_taxonomy("tests/data/toy.toml")
    >>> too_few_distinct_concepts(parse_constraints('[space]\\nrepeat_objects = false\\nobjects = {min = 30}\\n'
    ...                                             'complexity = [30, 30]\\n', tax), tax)
    True
    """
    b = spec.bounds
    return not b.repeat_objects and b.objects.lo > len(spec.vocabulary.objects.members(taxonomy))
