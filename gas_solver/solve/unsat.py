"""Unsatisfiable constraint files: say so, and name a minimal set of conflicting constraints.

Method
------
1. **Satisfiability.**  The space is non-empty iff some structure of the
   bounds admits a labelling.  Labels are one representative concept per
   concept class of the :class:`~gas_solver.solve.domain.Domain` (classes are
   exactly the concepts no constraint tells apart; with ``repeat_objects =
   false`` a representative may be used as often as its class has concepts),
   so the models stay small even on the full taxonomy.  Raw ASP rules see
   concept ids, so with raw rules every concept is a label.
2. **Assumption core.**  Every pattern, cardinality and repeat rule gets one
   assumption literal (clingo ``#external active(I)``; CP-SAT enforcement
   literals with ``add_assumptions`` and
   ``sufficient_assumptions_for_infeasibility``).  On an unsatisfiable file the
   union of the per-structure cores, plus every bound, vocabulary entry and
   raw rule (these shape the structures and the domain, not the model), is a
   conflicting subset.
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

from ..constraints.model import Bounds, ConstraintSpec, Origin, Vocabulary
from ..errors import GasError, Unsatisfiable
from .domain import ground
from .problem import build_problem, spec_constraints
from .structures import structures

__all__ = ["check_satisfiable", "is_satisfiable", "restrict"]


def _labels(domain, spec: ConstraintSpec):
    if spec.raw_asp:
        return domain.concepts, None
    reps = tuple(c.concepts[0] for c in domain.classes)
    capacity = None if spec.bounds.repeat_objects else tuple(c.size for c in domain.classes)
    return reps, capacity


def _solve(spec: ConstraintSpec, taxonomy, backend: str, *, cores: bool) -> tuple[bool, set[int]]:
    """(satisfiable, union of per-structure cores as constraint indices)."""
    if backend == "cpsat" and spec.raw_asp:
        raise GasError("raw ASP rules ([asp]) need the ASP backend; run with --backend asp")
    domain = ground(spec, taxonomy)
    union: set[int] = set()
    if not domain.concepts:
        return False, union
    if spec.bounds.scene_attributes.lo > len(domain.scene_options):
        return False, union
    labels, capacity = _labels(domain, spec)
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


def is_satisfiable(spec: ConstraintSpec, taxonomy, *, backend: str = "asp", use_count: bool = False) -> bool:
    """True if the space of ``spec`` has at least one scene.

    With ``use_count`` the exact counter (:func:`~gas_solver.solve.count.count_scenes`,
    no solver) decides where it applies (no raw ASP, objects may repeat).  It is
    not used by :func:`check_satisfiable`: with global constraints (cardinality,
    multi-edge patterns) the counter's explicit method is slower than the solver.
    """
    if use_count and not spec.raw_asp and spec.bounds.repeat_objects:
        from .count import count_scenes

        return count_scenes(spec, taxonomy) > 0
    return _solve(spec, taxonomy, backend, cores=False)[0]


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
    ok, core = _solve(spec, taxonomy, backend, cores=True)
    if ok:
        return None
    constraints = spec_constraints(spec)
    in_model = {c[2] for c in constraints if c[0] != "raw"}
    core_origins = {constraints[i][2] for i in core}
    candidates = [o for o in spec.hard_constraints() if o not in in_model or o in core_origins]

    def unsat(keep) -> bool:
        return not is_satisfiable(restrict(spec, taxonomy, keep), taxonomy, backend=backend)

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
