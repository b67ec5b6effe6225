"""Unsatisfiable constraint files: say so, and name a minimal set of conflicting constraints.

Method
------
1. **Satisfiability.**  One *universal* model covers every structure of the
   bounds at once: up to the maximum number of objects, every ordered pair a
   potential edge, and "no object" / "no edge" as labels; the structural
   bounds (counts, degrees, acyclicity, connectivity) are constraints of the
   model.  Labels are abstract: one representative concept per concept class
   of the :class:`~gas_solver.solve.domain.Domain` (classes are exactly the
   concepts no constraint tells apart; with ``repeat_objects = false`` a
   representative may be used as often as its class has concepts), one value
   and one predicate per group that no rule tells apart, so the model stays
   small even on the full taxonomy.  Raw ASP rules see concrete concepts and
   structures, so with raw rules each structure is solved on its own.
2. **Assumption core.**  Every pattern, cardinality and repeat rule gets one
   assumption literal (clingo ``#external active(I)``; CP-SAT enforcement
   literals with ``add_assumptions`` and
   ``sufficient_assumptions_for_infeasibility``).  On an unsatisfiable file the
   core, plus every bound, vocabulary entry and raw rule (these shape the
   structures and the domain, not the assumptions), is a conflicting subset.
3. **Deletion.**  Each candidate is dropped in file order if the rest stays
   unsatisfiable; a final pass re-checks every member, so that removing any
   one constraint of the reported set makes the file satisfiable.

"Dropping" a constraint means deleting its key or ``[[...]]`` entry from the
file (bounds fall back to their defaults); the file text is edited and parsed
again, so the check is exactly "the same file without that constraint".
Specs built in Python without a text are edited on the model instead.
"""

from __future__ import annotations

from dataclasses import fields, replace

from .counted import is_union
from ..constraints.model import Bounds, ConstraintSpec, Origin, Vocabulary
from ..errors import GasError, Unsatisfiable
from .domain import ground, too_few_distinct_concepts
from .problem import build_problem, check_backend, spec_constraints, universal_structure
from .structures import _limits, _splits, structures
from .work import check_pattern_matches, check_structures

__all__ = ["check_satisfiable", "is_satisfiable", "restrict"]


def _labels(domain, spec: ConstraintSpec):
    reps = tuple(c.concepts[0] for c in domain.classes)
    capacity = None if spec.bounds.repeat_objects else tuple(c.size for c in domain.classes)
    return reps, capacity


class _Checker:
    """Satisfiability of ``base`` and of files obtained from it by dropping constraints.

    One **universal** model covers every structure of the bounds (objects and
    edges may be absent; the structural bounds are constraints of the model,
    see :func:`~gas_solver.solve.problem.build_problem`), on abstract labels:
    one concept per class, one attribute value / predicate per group that no
    rule tells apart.  Models are built once per (vocabulary, bounds) and
    reused by every step of the core search: patterns, cardinalities and the
    repeat rule are switched with assumptions.  Labels come from grounding the
    base file's patterns and cardinalities (their classes refine those of any
    file with fewer rules), so one label set serves every step.  Raw ASP rules
    see concrete concepts and structures: with them, each structure is solved
    on its own, with every concept.
    """

    def __init__(self, base: ConstraintSpec, taxonomy, backend: str):
        check_backend(base, backend)
        self.base = base
        self.taxonomy = taxonomy
        self.backend = backend
        self.constraints = spec_constraints(base)
        self.domains: dict = {}
        self.models: dict = {}

    def solve(self, spec: ConstraintSpec, active: set[int] | None) -> tuple[bool, set[int]]:
        """Is ``spec`` (``base`` with some constraints dropped; ``active`` = the kept in-model ones,
        None = all) satisfiable?  Also returns the union of the per-structure cores."""
        if spec.raw_asp:  # raw rules are program text, not assumptions: no reuse
            return self._solve_uncached(spec)
        vkey = (spec.vocabulary, spec.semantic, spec.scene_attributes, spec.bounds.modality, spec.bounds.setting)
        hit = self.domains.get(vkey)
        if hit is None:
            labelling = replace(self.base, vocabulary=spec.vocabulary, semantic=spec.semantic,
                                scene_attributes=spec.scene_attributes,
                                bounds=replace(self.base.bounds, modality=spec.bounds.modality,
                                               setting=spec.bounds.setting), raw_asp=())
            domain = ground(labelling, self.taxonomy)
            hit = self.domains[vkey] = (labelling, domain, _labels(domain, labelling))
        labelling, domain, (labels, capacity) = hit
        union: set[int] = set()
        if not domain.concepts or spec.bounds.scene_attributes.lo > domain.max_scene_attributes():
            return False, union
        if active is None:
            active = {i for i, c in enumerate(self.constraints) if c[0] != "raw"}
        if spec.bounds.repeat_objects:
            active = {i for i in active if self.constraints[i][0] != "repeat"}
        lim = _limits(spec.bounds)
        key = (vkey, tuple(sorted(lim.items())))
        model = self.models.get(key)
        if model is None:
            problem = build_problem(universal_structure(spec.bounds), domain, labelling, labels=labels,
                                    capacity=capacity, symmetry=False, abstract=True, universal=True)
            if self.backend == "asp":
                from .asp import CoreModel

                model = self.models[key] = CoreModel(problem, self.taxonomy, lim)
            else:
                from .cpsat import CoreModel

                model = self.models[key] = CoreModel(problem, lim)
        ok, core = model.solve(active)
        return ok, set(core)

    def _solve_uncached(self, spec: ConstraintSpec) -> tuple[bool, set[int]]:
        return _per_structure(spec, self.taxonomy, self.backend)


def _per_structure(spec: ConstraintSpec, taxonomy, backend: str) -> tuple[bool, set[int]]:
    """Satisfiability structure by structure, on every concept (the method raw ASP rules need)."""
    domain = ground(spec, taxonomy)
    union: set[int] = set()
    if not domain.concepts or spec.bounds.scene_attributes.lo > domain.max_scene_attributes():
        return False, union
    labels, capacity = (domain.concepts, None)
    for s in structures(spec.bounds):
        problem = build_problem(s, domain, spec, labels=labels, capacity=capacity, symmetry=False)
        if backend == "asp":
            from . import asp

            ok, core = asp.label_core(problem, taxonomy)
        else:
            from . import cpsat

            ok, core = cpsat.label_core(problem)
        if ok:
            return True, set()
        union.update(core)
    return False, union


def is_satisfiable(spec: ConstraintSpec, taxonomy, *, backend: str = "asp", method: str = "universal") -> bool:
    """True if the space of ``spec`` has at least one scene.

    ``method="universal"`` (default) solves one model for every structure on
    abstract labels; ``"per-structure"`` solves each structure of the bounds
    on every concept (slower; an independent cross-check used by the tests).

    >>> from gas_solver.constraints import parse_constraints
    >>> from gas_solver.taxonomy import load_taxonomy
    >>> tax = load_taxonomy("tests/data/toy.toml")
    >>> is_satisfiable(parse_constraints('[[require]]\\npattern = "a:dog -[riding]-> b:horse"\\n', tax), tax)
    True
    """
    if method == "per-structure":
        check_backend(spec, backend)
        return _per_structure(spec, taxonomy, backend)[0]
    if method != "universal":
        raise GasError(f"unknown method {method!r}; expected universal or per-structure")
    return _Checker(spec, taxonomy, backend).solve(spec, None)[0]


# ---------------------------------------------------------------------------
# Dropping constraints
# ---------------------------------------------------------------------------

def _key_path(key: str) -> list:
    """``"require[1].pattern"`` -> ``["require", 1, "pattern"]``."""
    out: list = []
    for part in key.split("."):
        while "[" in part:
            head, _, rest = part.partition("[")
            if head:
                out.append(head)
            idx, _, part = rest.partition("]")
            out.append(int(idx))
        if part:
            out.append(part)
    return out


def _drop_text(spec: ConstraintSpec, taxonomy, drop: list[Origin]) -> ConstraintSpec:
    import tomlkit

    from ..constraints import parse_constraints

    doc = tomlkit.parse(spec.text)
    paths = sorted((_key_path(o.key) for o in drop), key=lambda p: [str(x).zfill(8) if isinstance(x, int) else x
                                                                    for x in p], reverse=True)
    for path in paths:
        # An entry of an array of tables is dropped whole ("require[1]"); a key is dropped from its table.
        if any(isinstance(x, int) for x in path):
            cut = max(i for i, x in enumerate(path) if isinstance(x, int))
            path = path[:cut + 1]
        node = doc
        for x in path[:-1]:
            node = node[x]
        del node[path[-1]]
        if len(path) == 2 and not isinstance(path[1], int) and len(node) == 0:
            del doc[path[0]]  # an emptied [table] (e.g. [asp]) would be an error of its own
    text = tomlkit.dumps(doc)
    return parse_constraints(text, taxonomy, path=spec.path)


def _drop_model(spec: ConstraintSpec, drop: list[Origin]) -> ConstraintSpec:
    keys = {o.key for o in drop}
    b_defaults = Bounds()
    bounds = replace(spec.bounds, **{f.name: getattr(b_defaults, f.name) for f in fields(Bounds)
                                     if f"space.{f.name}" in keys})
    v_defaults = Vocabulary()
    reset = {f.name for f in fields(Vocabulary) if f"vocabulary.{f.name}" in keys}
    if reset & {"attribute_types", "attribute_values"}:
        reset |= {"attribute_types", "attribute_values", "denied_attribute_values"}
    if reset & {"scene_attribute_types", "scene_attribute_values"}:
        reset |= {"scene_attribute_types", "scene_attribute_values", "denied_scene_attribute_values"}
    if "vocabulary.relations" in keys:
        reset.add("predicates")
    vocabulary = replace(spec.vocabulary, **{name: getattr(v_defaults, name) for name in reset})
    dropped = set(drop)
    return replace(
        spec, bounds=bounds, vocabulary=vocabulary,
        semantic=True if "semantic" in keys else spec.semantic,
        patterns=tuple(p for p in spec.patterns if p.origin not in dropped),
        cardinalities=tuple(c for c in spec.cardinalities if c.origin not in dropped),
        raw_asp=tuple(r for r in spec.raw_asp if r.origin not in dropped),
        origins={k: o for k, o in spec.origins.items() if o not in dropped},
        text="",
    )


def restrict(spec: ConstraintSpec, taxonomy, keep) -> ConstraintSpec:
    """``spec`` with every hard constraint not in ``keep`` (Origins) removed from the file."""
    keep = set(keep)
    drop = [o for o in spec.hard_constraints() if o not in keep]
    if not drop:
        return spec
    if spec.text:
        return _drop_text(spec, taxonomy, drop)
    return _drop_model(spec, drop)


# ---------------------------------------------------------------------------
# Diagnosis
# ---------------------------------------------------------------------------

def _check_counted(spec: ConstraintSpec, taxonomy, backend: str) -> None:
    """``[[count]]`` files: the file without its groups first (its own core), then the exact count, and a
    minimal conflicting set by deletion (each test an exact count, :mod:`.counted`)."""
    import dataclasses

    from .count import count_scenes

    from ..constraints.model import FITTING

    # the file without its groups, and with any setting instead of fitting ones: a superset of the union
    loose = dataclasses.replace(spec, counts=())
    if spec.bounds.setting == FITTING:
        loose = dataclasses.replace(loose, bounds=dataclasses.replace(spec.bounds, setting=None))
    check_satisfiable(loose, taxonomy, backend=backend)
    if count_scenes(spec, taxonomy):
        return None

    def unsat(keep) -> bool:
        keep = set(keep)
        reduced = restrict(spec, taxonomy, keep)
        reduced = dataclasses.replace(reduced, counts=tuple(c for c in spec.counts if c.origin in keep))
        return count_scenes(reduced, taxonomy) == 0

    kept = list(spec.hard_constraints())
    for o in list(kept):
        trial = [k for k in kept if k != o]
        if unsat(trial):
            kept = trial
    raise Unsatisfiable(f"{spec.path or '<input>'}: no scene satisfies the constraint file; "
                        f"these {len(kept)} constraints conflict:", tuple(kept))


def _cheap_conflict(spec: ConstraintSpec, taxonomy) -> tuple:
    """Conflicts found by counting alone, before any model is built: ``repeat_objects = false`` with more
    objects than the vocabulary has concepts (a solver needs minutes to see that for 20 objects)."""
    if not too_few_distinct_concepts(spec, taxonomy):
        return ()
    keys = ("space.objects", "space.repeat_objects")
    conflict = [spec.origins[k] for k in keys if k in spec.origins]
    conflict += [o for k, o in spec.origins.items() if k.startswith("vocabulary.objects")]
    return tuple(sorted(conflict, key=lambda o: (o.line or 0, o.column or 0, o.key)))


def check_satisfiable(spec: ConstraintSpec, taxonomy, *, backend: str = "asp") -> None:
    """Return if the space of ``spec`` is non-empty, else raise :class:`Unsatisfiable`.

    The exception's ``conflict`` is a minimal set of the file's constraints
    (:class:`~gas_solver.constraints.model.Origin`, with file and line) that
    conflict: removing any one of them makes the file satisfiable.

    Examples
    --------
    >>> from gas_solver.constraints import parse_constraints
    >>> from gas_solver.taxonomy import load_taxonomy
    >>> tax = load_taxonomy("tests/data/toy.toml")
    >>> spec = parse_constraints('[space]\\ncomplexity = [1, 2]\\n[[cardinality]]\\n'
    ...                          'kind = "objects"\\nobjects = ["animal"]\\nat_least = 3\\n', tax)
    >>> try:
    ...     check_satisfiable(spec, tax)
    ... except Unsatisfiable as e:
    ...     print(sorted(o.line for o in e.conflict))
    [2, 3]
    """
    cheap = _cheap_conflict(spec, taxonomy)
    if cheap:
        raise Unsatisfiable(f"{spec.path or '<input>'}: no scene satisfies the constraint file; "
                            f"these {len(cheap)} constraints conflict:", cheap)
    check_structures(_splits(_limits(spec.bounds)))  # the universal model grows with the bounds as the structures do
    check_pattern_matches(spec)  # ... and with n^k candidate matches per pattern of k objects
    if is_union(spec):
        return _check_counted(spec, taxonomy, backend)
    checker = _Checker(spec, taxonomy, backend)
    ok, core = checker.solve(spec, None)
    if ok:
        return None
    constraints = checker.constraints
    in_model = {c[2] for c in constraints if c[0] != "raw"}
    core_origins = {constraints[i][2] for i in core}
    candidates = [o for o in spec.hard_constraints() if o not in in_model or o in core_origins]

    def unsat(keep) -> bool:
        keep = set(keep)
        reduced = restrict(spec, taxonomy, keep)
        active = {i for i, c in enumerate(constraints) if c[0] != "raw" and c[2] in keep}
        return not checker.solve(reduced, active)[0]

    if not unsat(candidates):  # cannot happen if the cores are sound; fall back to every constraint
        candidates = list(spec.hard_constraints())
    kept = list(candidates)
    for o in candidates:
        trial = [k for k in kept if k != o]
        if unsat(trial):
            kept = trial
    changed = True
    while changed:  # dropping a constraint can tighten the file (defaults), so re-check every member
        changed = False
        for o in list(kept):
            trial = [k for k in kept if k != o]
            if unsat(trial):
                kept = trial
                changed = True
    raise Unsatisfiable(f"{spec.path or '<input>'}: no scene satisfies the constraint file; "
                        f"these {len(kept)} constraints conflict:", tuple(kept))
