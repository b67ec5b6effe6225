"""The labelled problem on one structure: one integer vector, shared by both solver backends.

A scene on a structure ``S`` is a vector ``x`` of small integers, one entry
("position") per label slot, in this fixed order:

1. the concept of each object ``i`` (index into :attr:`LabelProblem.labels`);
2. for each object ``i`` and each attribute type ``t`` (sorted): ``0`` when
   the object has no attribute of type ``t``, else ``1 +`` the index of its
   value in :attr:`LabelProblem.values` ``[t]``;
3. the predicate of each edge (index into :attr:`LabelProblem.predicates`).

An automorphism ``p`` of ``S`` acts on vectors by moving labels with their
objects, ``(p·x)[k] = x[src_p(k)]``.  Scenes are the orbits; the
representative of an orbit is its lexicographically smallest vector, which is
what the **lex-leader** constraints ``x <=_lex p·x`` (one per automorphism)
select.  Inside a structure, scenes are listed by that vector, so the order is
the same whatever backend produced them.

Every user constraint becomes data here (conditions ``x[k] in S``, matches =
conjunctions of conditions, groups = disjunctions), tagged with the index of
the constraint it comes from, so that :mod:`.asp` and :mod:`.cpsat` state the
same thing and unsat cores map back to file lines.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from ..constraints.model import ConstraintSpec, Origin
from ..errors import GasError
from ..scene import Attribute, Relation, Scene, SceneObject
from .domain import Domain
from .structures import Structure

__all__ = ["BACKENDS", "check_backend", "LabelProblem", "build_problem", "LEX_LIMIT", "spec_constraints",
           "scene_attribute_choices", "universal_structure"]

#: the solver backends of label problems
BACKENDS = ("asp", "cpsat")


def check_backend(spec: ConstraintSpec, backend: str) -> None:
    """Raise :class:`~gas_solver.errors.GasError` unless ``backend`` is known and can solve ``spec``
    (raw ASP rules need clingo), naming the file and line of the first raw rule.

    >>> check_backend(ConstraintSpec(), "asp")
    """
    if backend not in BACKENDS:
        raise GasError(f"unknown backend {backend!r}; expected one of {', '.join(BACKENDS)}")
    if backend == "cpsat" and spec.raw_asp:
        o = spec.raw_asp[0].origin
        raise GasError(f"{o.path or '<input>'}:{o.line}: raw ASP rules ([asp]) need the ASP backend; "
                       "run with --backend asp")

#: lex-leader constraints are stated for every automorphism when the group has at most this many
#: elements; above it only for the generators, and a Python orbit-minimum test removes duplicates.
LEX_LIMIT = 120


def spec_constraints(spec: ConstraintSpec) -> list[tuple[str, object, Origin]]:
    """The user constraints that the labelled models switch on and off: (kind, item, origin)."""
    out: list[tuple[str, object, Origin]] = []
    for pc in spec.patterns:
        out.append(("pattern", pc, pc.origin))
    for cc in spec.cardinalities:
        out.append(("cardinality", cc, cc.origin))
    if not spec.bounds.repeat_objects:
        origin = spec.origins.get("space.repeat_objects") or Origin(spec.path, None, None, "space.repeat_objects",
                                                                     "false")
        out.append(("repeat", None, origin))
    for ra in spec.raw_asp:
        out.append(("raw", ra, ra.origin))
    return out


@dataclass
class LabelProblem:
    """Integer-vector form of the labelled scenes on one structure (see the module docstring)."""

    structure: Structure
    labels: tuple[str, ...]
    #: max uses of each label when objects may not repeat (None = unlimited)
    capacity: tuple[int, ...] | None
    types: tuple[str, ...]
    values: dict[str, tuple[str, ...]]
    predicates: tuple[str, ...]
    #: (kind, object/edge, type) per position: ("concept", i, None), ("attr", i, t), ("edge", (u, v), None)
    positions: list[tuple]
    #: allowed values per position (before label-dependent rules)
    domains: list[tuple[int, ...]]
    concept_pos: list[int]
    attr_pos: dict[tuple[int, str], int]
    edge_pos: dict[tuple[int, int], int]
    #: group of each label: labels that every label rule treats alike (the Domain's concept classes);
    #: universal problems add the group len(options) for "no object" (label len(labels))
    group_of: tuple[int, ...]
    #: per group: {type: frozenset of allowed value codes}
    options: list[dict[str, frozenset[int]]]
    #: per group: predicate indices allowed as subject / as object
    subject_ok: list[frozenset[int]]
    object_ok: list[frozenset[int]]
    #: lex-leader permutations: tuple of source positions per automorphism
    perms: list[tuple[int, ...]]
    #: True when perms cover every non-identity automorphism (no post-filter needed)
    complete_lex: bool
    #: conditions (position, frozenset of values, on_groups): x[position] in values, or with on_groups
    #: (a concept position) the group of x[position] in values
    conditions: list[tuple[int, frozenset[int], bool]] = field(default_factory=list)
    #: (constraint index, mode, at_least, matches: list of tuples of condition ids)
    patterns: list[tuple[int, str, int, list[tuple[int, ...]]]] = field(default_factory=list)
    #: (constraint index, groups: list of tuples of condition ids, lo, hi)
    cardinalities: list[tuple[int, list[tuple[int, ...]], int, int | None]] = field(default_factory=list)
    #: constraint index of "objects may not repeat", or None
    repeat: int | None = None
    #: (constraint index, program) raw ASP rules
    raw: list[tuple[int, str]] = field(default_factory=list)
    #: attribute exclusions: (type, value codes, other type, value codes): no object holds one of each
    exclusions: list[tuple[str, frozenset[int], str, frozenset[int]]] = field(default_factory=list)
    modality: str = "image"
    #: one problem for every structure: concept value len(labels) = no object, predicate len(predicates) = no edge
    universal: bool = False
    #: abstract problems: allowed predicate atoms per (subject group, object group); None = subject_ok/object_ok
    pair_ok: dict[tuple[int, int], frozenset[int]] | None = None

    def condition(self, position: int, values, on_groups: bool = False) -> int:
        self.conditions.append((position, frozenset(values), on_groups))
        return len(self.conditions) - 1

    @property
    def n_groups(self) -> int:
        """Number of label groups (without the "no object" group of universal problems)."""
        return len(self.options)

    def group_members(self) -> list[list[int]]:
        """Label indices per group (universal problems: the last list holds the "no object" label)."""
        out: list[list[int]] = [[] for _ in range(self.n_groups + (1 if self.universal else 0))]
        for c, g in enumerate(self.group_of):
            out[g].append(c)
        if self.universal:
            out[self.n_groups].append(len(self.labels))
        return out

    # -- decoding -----------------------------------------------------------
    def scene(self, x) -> Scene:
        """The scene of vector ``x`` (objects in structure order)."""
        s = self.structure
        objs = []
        for i in range(s.n):
            attrs = tuple(Attribute(t, self.values[t][x[self.attr_pos[i, t]] - 1])
                          for t in self.types if x[self.attr_pos[i, t]])
            objs.append(SceneObject(self.labels[x[self.concept_pos[i]]], attrs))
        rels = tuple(Relation(u, v, self.predicates[x[self.edge_pos[u, v]]]) for u, v in s.edges)
        return Scene(tuple(objs), rels, (), self.modality)

    def is_orbit_minimum(self, x) -> bool:
        """True if no automorphism maps ``x`` to a lexicographically smaller vector."""
        if self.complete_lex:
            return True
        x = tuple(x)
        for src in _all_sources(self):
            if tuple(x[j] for j in src) < x:
                return False
        return True


def _sources(problem: LabelProblem, p: tuple[int, ...]) -> tuple[int, ...]:
    """Source position of every position of ``p·x`` (object i moves to p[i])."""
    s = problem.structure
    pinv = [0] * s.n
    for i, j in enumerate(p):
        pinv[j] = i
    src = []
    for kind, where, t in problem.positions:
        if kind == "concept":
            src.append(problem.concept_pos[pinv[where]])
        elif kind == "attr":
            src.append(problem.attr_pos[pinv[where], t])
        else:
            u, v = where
            src.append(problem.edge_pos[pinv[u], pinv[v]])
    return tuple(src)


def _all_sources(problem: LabelProblem):
    identity = tuple(range(problem.structure.n))
    for p in problem.structure.automorphisms:
        if p != identity:
            yield _sources(problem, p)


def build_problem(structure: Structure, domain: Domain, spec: ConstraintSpec, *,
                  labels: tuple[str, ...] | None = None, capacity: tuple[int, ...] | None = None,
                  active: set[int] | None = None, symmetry: bool = True, abstract: bool = False,
                  universal: bool = False) -> LabelProblem:
    """The labelled problem of ``spec`` on ``structure`` with labels from ``domain``.

    ``labels`` defaults to every allowed concept (for enumeration); unsat checks
    pass one representative concept per class with its class size as
    ``capacity``.  ``active`` (indices into :func:`spec_constraints`) keeps only
    those user constraints; ``symmetry=False`` drops the lex-leader constraints
    (satisfiability checks do not need them).  ``abstract=True`` keeps one
    attribute value (per type) and one predicate per group that no label rule
    and no pattern tells apart: the problem has the same satisfiability and is
    much smaller on a large taxonomy, but it no longer lists every scene.

    ``universal=True`` (with the complete structure of :func:`universal_structure`)
    adds a value "none" to every concept position (no object) and edge position
    (no edge), so that one problem covers every structure of the bounds; the
    backends add the structural bounds (:mod:`.asp` ``universal.lp``,
    :func:`.cpsat.CoreModel`).  Used for satisfiability and unsat cores only.
    """
    s = structure
    if labels is None:
        labels = domain.concepts
    if capacity is None and not spec.bounds.repeat_objects:
        capacity = tuple(1 for _ in labels)
    types = domain.attribute_types
    values: dict[str, tuple[str, ...]] = {}
    for t in types:
        vals = set()
        for cls in {domain.class_of(c).index: domain.class_of(c) for c in labels}.values():
            vals.update(dict(cls.attribute_options).get(t, ()))
        values[t] = tuple(sorted(vals))
    preds = domain.predicate_ids
    # Label groups: the Domain's concept classes present among the labels; every label rule is per group.
    group_index: dict[int, int] = {}
    group_of = []
    classes = []
    for c in labels:
        cls = domain.class_of(c)
        if cls.index not in group_index:
            group_index[cls.index] = len(classes)
            classes.append(cls)
        group_of.append(group_index[cls.index])
    class_opts = [dict(cls.attribute_options) for cls in classes]
    pair_ok = None
    if abstract:
        value_groups, pred_groups = _atoms(spec, values, preds, domain.exclusions)
        values = {t: tuple(g[0] for g in groups) for t, groups in value_groups.items()}
        preds = tuple(g[0] for g in pred_groups)
    vindex = {t: {v: k + 1 for k, v in enumerate(vals)} for t, vals in values.items()}
    options = []
    subject_ok, object_ok = [], []
    if abstract:
        # an atom is allowed where one of its members is; an edge where one of its predicates fits both ends
        for opts in class_opts:
            options.append({t: frozenset(k + 1 for k, g in enumerate(value_groups[t])
                                         if set(g) & set(opts.get(t, ()))) for t in types})
        atom_masks = [domain.predicates_mask(g) for g in pred_groups]
        everything = frozenset(range(len(preds)))
        subject_ok = object_ok = [everything] * len(classes)
        pair_ok = {}
        for i, ci in enumerate(classes):
            for j, cj in enumerate(classes):
                both = ci.subject_mask & cj.object_mask
                pair_ok[i, j] = frozenset(a for a, m in enumerate(atom_masks) if both & m)
    else:
        bit = range(len(preds))  # preds is domain.predicate_ids: position i is bit i (a predicate with a size
        # ratio holds several positions, one per virtual predicate)
        for opts, cls in zip(class_opts, classes):
            options.append({t: frozenset(vindex[t][v] for v in opts.get(t, ())) for t in types})
            subject_ok.append(frozenset(i for i in range(len(preds)) if cls.subject_mask >> bit[i] & 1))
            object_ok.append(frozenset(i for i in range(len(preds)) if cls.object_mask >> bit[i] & 1))

    positions: list[tuple] = []
    domains: list[tuple[int, ...]] = []
    concept_pos, attr_pos, edge_pos = [], {}, {}
    for i in range(s.n):
        concept_pos.append(len(positions))
        positions.append(("concept", i, None))
        domains.append(tuple(range(len(labels) + (1 if universal else 0))))
    for i in range(s.n):
        for t in types:
            attr_pos[i, t] = len(positions)
            positions.append(("attr", i, t))
            domains.append(tuple(range(len(values[t]) + 1)) if s.attributes[i] else (0,))
    for e in s.edges:
        edge_pos[e] = len(positions)
        positions.append(("edge", e, None))
        domains.append(tuple(range(len(preds) + (1 if universal else 0))))

    problem = LabelProblem(s, tuple(labels), capacity, types, values, preds, positions, domains, concept_pos,
                           attr_pos, edge_pos, tuple(group_of), options, subject_ok, object_ok, [], True,
                           modality=spec.bounds.modality, universal=universal, pair_ok=pair_ok)
    for (ta, va), (tb, vb) in domain.exclusions:  # per value code (a group of the abstract problem: its first)
        if ta in vindex and tb in vindex:
            a = frozenset(k for v, k in vindex[ta].items() if v in va)
            b = frozenset(k for v, k in vindex[tb].items() if v in vb)
            if a and b:
                problem.exclusions.append((ta, a, tb, b))
    if universal:
        symmetry = False

    # Lex-leader permutations: every automorphism when the group is small, else the generators.
    if symmetry and s.n > 1:
        identity = tuple(range(s.n))
        if s.group_order <= LEX_LIMIT:
            group = [p for p in s.automorphisms if p != identity]
            problem.complete_lex = True
        else:
            group = [tuple(g) for g in (s.generators or ()) if tuple(g) != identity]
            problem.complete_lex = False
        seen = set()
        for p in group:
            src = _sources(problem, p)
            if src not in seen and any(j != k for k, j in enumerate(src)):
                seen.add(src)
                problem.perms.append(src)

    def concept_condition(i: int, concept_set) -> int | None:
        # classes respect every concept set of the file, so membership is a property of the group
        if concept_set.is_everything:
            return None
        members = concept_set.members(domain.taxonomy)
        return problem.condition(concept_pos[i], {group_of[k] for k, c in enumerate(labels) if c in members},
                                 on_groups=True)

    def attr_condition(i: int, cond) -> int:
        if (i, cond.type) not in attr_pos:
            return problem.condition(concept_pos[i], ())  # no allowed concept carries this type: never holds
        codes = range(1, len(values[cond.type]) + 1) if cond.values is None else \
            (vindex[cond.type][v] for v in cond.values if v in vindex[cond.type])
        return problem.condition(attr_pos[i, cond.type], codes)

    pindex: dict[str, list[int]] = {}  # a predicate's values (several: a size ratio's virtual predicates)
    for k, p in enumerate(preds):
        pindex.setdefault(p, []).append(k)
    for index, (kind, item, _origin) in enumerate(spec_constraints(spec)):
        if active is not None and index not in active:
            continue
        if kind == "pattern":
            pat = item.pattern
            var_index = {node.var: j for j, node in enumerate(pat.nodes)}
            matches = []
            edges = set(s.edges)
            for image in itertools.permutations(range(s.n), len(pat.nodes)):
                if any((image[var_index[e.subject]], image[var_index[e.object]]) not in edges for e in pat.edges):
                    continue
                conds = []
                for j, node in enumerate(pat.nodes):
                    c = concept_condition(image[j], node.concepts)
                    if c is None and universal:  # the object must exist
                        c = problem.condition(concept_pos[image[j]], range(len(classes)), on_groups=True)
                    if c is not None:
                        conds.append(c)
                    conds.extend(attr_condition(image[j], a) for a in node.attributes)
                for e in pat.edges:
                    if e.predicates is None and universal:  # the edge must exist
                        u, v = image[var_index[e.subject]], image[var_index[e.object]]
                        conds.append(problem.condition(edge_pos[u, v], range(len(preds))))
                    elif e.predicates is not None:
                        u, v = image[var_index[e.subject]], image[var_index[e.object]]
                        conds.append(problem.condition(edge_pos[u, v], (k for p in e.predicates
                                                                          for k in pindex.get(p, ()))))
                matches.append(tuple(conds))
            problem.patterns.append((index, item.mode, item.at_least, matches))
        elif kind == "cardinality":
            groups: list[tuple[int, ...]] = []
            if item.kind == "objects":
                members = item.concepts.members(domain.taxonomy)
                vals = {group_of[k] for k, c in enumerate(labels) if c in members}
                groups = [(problem.condition(concept_pos[i], vals, on_groups=True),) for i in range(s.n)]
            elif item.kind == "attribute_type":
                t = item.attribute_type
                if t in values:
                    groups = [(problem.condition(attr_pos[i, t], range(1, len(values[t]) + 1)),)
                              for i in range(s.n) if s.attributes[i]]
            elif item.kind == "distinct_attribute_types":
                for t in types:
                    g = tuple(problem.condition(attr_pos[i, t], range(1, len(values[t]) + 1))
                              for i in range(s.n) if s.attributes[i])
                    if g:
                        groups.append(g)
            else:  # distinct_categories
                tax = domain.taxonomy
                counted: dict[str, set[int]] = {}
                for k, c in enumerate(labels):
                    cat = tax.object(c).category
                    keys = (cat,) if not item.categories else \
                        tuple(K for K in item.categories if tax.is_a(cat, K))
                    for K in keys:
                        counted.setdefault(K, set()).add(group_of[k])
                for K in sorted(counted):
                    groups.append(tuple(problem.condition(concept_pos[i], counted[K], on_groups=True)
                                        for i in range(s.n)))
            problem.cardinalities.append((index, groups, item.range.lo, item.range.hi))
        elif kind == "repeat":
            problem.repeat = index
        else:
            problem.raw.append((index, item.program))
    return problem


def universal_structure(bounds) -> Structure:
    """The complete structure that a universal problem lives on: as many objects as the bounds allow,
    every ordered pair an edge position, attribute positions on every object."""
    c = bounds.complexity.hi
    if c is None:
        from ..errors import GasError

        raise GasError("space.complexity needs an upper bound")
    n = c if bounds.objects.hi is None else min(bounds.objects.hi, c)
    a = min(x for x in (bounds.attributes.hi, bounds.attributes_per_object.hi, c - 1) if x is not None)
    edges = () if bounds.relations.hi == 0 else tuple((u, v) for u in range(n) for v in range(n) if u != v)
    return Structure(n, (1 if a > 0 else 0,) * n, edges, ())


def _atoms(spec, values, preds, rules=()):
    """Values (per type) and predicates grouped by membership in every set that a pattern or an attribute
    exclusion (``rules``, :attr:`.domain.Domain.exclusions`) mentions.

    Members of one group are interchangeable for every rule but applicability and relation domains,
    which the abstract problem states per group ("some member fits").
    """
    mentioned: dict[str, list[frozenset]] = {}
    pred_sets: list[frozenset] = []
    for pc in spec.patterns:
        for node in pc.pattern.nodes:
            for cond in node.attributes:
                if cond.values is not None:
                    mentioned.setdefault(cond.type, []).append(cond.values)
        for e in pc.pattern.edges:
            if e.predicates is not None:
                pred_sets.append(e.predicates)
    for side in rules:
        for t, vals in side:
            mentioned.setdefault(t, []).append(vals)
    value_groups = {}
    for t, vals in values.items():
        groups: dict[tuple, list[str]] = {}
        for v in vals:
            groups.setdefault(tuple(v in m for m in mentioned.get(t, ())), []).append(v)
        value_groups[t] = sorted(groups.values())
    groups = {}
    for p in preds:
        groups.setdefault(tuple(p in m for m in pred_sets), []).append(p)
    return value_groups, sorted(groups.values())


def scene_attribute_choices(spec: ConstraintSpec, domain: Domain) -> list[tuple]:
    """Every allowed tuple of scene attributes (sorted), in sorted order: the scene-attribute factor."""
    from ..scene import SceneAttribute

    rng = spec.bounds.scene_attributes
    types = sorted(domain.scene_options)
    out = []
    for k in range(rng.lo, len(types) + 1 if rng.hi is None else min(rng.hi, len(types)) + 1):
        for chosen in itertools.combinations(types, k):
            if not domain.scene_attributes_compatible(chosen):
                continue
            for vals in itertools.product(*(domain.scene_options[t] for t in chosen)):
                out.append(tuple(SceneAttribute(t, v) for t, v in zip(chosen, vals)))
    out.sort()
    return out
