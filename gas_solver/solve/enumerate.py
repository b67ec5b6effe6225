"""Exact enumeration: every scene of a constraint file's space exactly once, in a fixed order.

Order: structures in :func:`~gas_solver.solve.structures.structures` order;
inside a structure, scenes by their lex-leader label vector (see
:mod:`.problem`), then by their scene attributes.  The order does not depend on
the backend: both models produce the same set of vectors, which is sorted here.

A cursor records where the next scene is (structure, offset inside it, and
the number of scenes listed so far) plus a fingerprint of the space, so a
cursor from another file or taxonomy is refused.  Shard ``i`` of ``k`` lists
the scenes of the structures whose index (in structure order) is ``i`` modulo
``k``: the shards are disjoint, together cover the space, and each solves only
its own structures, so ``k`` workers split the solver work (sizes vary with
the structures).  Resume a shard with its own cursor and the same ``shard``.

Examples
--------
>>> from gas_solver.constraints import parse_constraints
>>> from gas_solver.taxonomy import load_taxonomy
>>> tax = load_taxonomy("tests/data/toy.toml")
>>> spec = parse_constraints('[space]\\ncomplexity = [1, 1]\\n', tax)
>>> [s.objects[0].concept for s in enumerate_scenes(spec, tax)][:3]
['apple', 'beach', 'bench']
"""

from __future__ import annotations

import hashlib
import itertools
from typing import Iterator

from .work import check_pattern_matches
from ..constraints.model import FITTING, ConstraintSpec
from ..errors import GasError, SpaceTooLarge
from ..scene import Scene, SceneAttribute, canonical_id
from .counted import counted_parts, renamed
from .domain import ground
from .problem import BACKENDS, build_problem, check_backend, scene_attribute_choices
from .structures import structures

__all__ = ["enumerate_scenes", "enumerate_with_cursors", "check_size", "BACKENDS", "space_fingerprint"]


_CURSOR = "gc1"


def space_fingerprint(spec: ConstraintSpec, taxonomy) -> str:
    """A short hash of the space (constraint content + taxonomy), stored in cursors."""
    content = spec.hash or repr((spec.bounds, spec.vocabulary, spec.semantic, spec.patterns, spec.cardinalities,
                                 spec.raw_asp) + ((spec.counts,) if spec.counts else ()))
    return hashlib.sha256(f"{content}|{getattr(taxonomy, 'hash', '')}".encode()).hexdigest()[:12]


def _parse_cursor(cursor: str, fingerprint: str) -> tuple[int, int, int]:
    parts = cursor.split(".")
    if len(parts) != 5 or parts[0] != _CURSOR or not all(p.isdigit() for p in parts[2:]):
        raise GasError(f"malformed cursor {cursor!r} (expected the value printed by a previous enumeration)")
    if parts[1] != fingerprint:
        raise GasError(f"cursor {cursor!r} belongs to another constraint file or taxonomy")
    return int(parts[2]), int(parts[3]), int(parts[4])


def _make_cursor(fingerprint: str, structure: int, offset: int, index: int) -> str:
    return f"{_CURSOR}.{fingerprint}.{structure}.{offset}.{index}"


def structure_scenes(spec: ConstraintSpec, taxonomy, structure, domain, backend: str) -> tuple:
    """Sorted ``(vector, scene_attributes_or_None)`` of the scenes on one structure, before the cross product."""
    problem = build_problem(structure, domain, spec)
    if backend == "asp":
        from . import asp

        if problem.raw:
            rng = spec.bounds.scene_attributes
            sols = asp.label_solutions(problem, taxonomy, scene_options=domain.scene_options,
                                       scene_range=(rng.lo, rng.hi), scene_groups=domain.scene_groups,
                                       scene_required=domain.scene_required)
        else:
            sols = asp.label_solutions(problem, taxonomy)
    else:
        from . import cpsat

        sols = cpsat.label_solutions(problem)
    keep = sorted({sol for sol in sols if problem.is_orbit_minimum(sol[0])})
    return problem, keep


def enumerate_with_cursors(spec: ConstraintSpec, taxonomy, *, backend: str = "asp", shard: tuple[int, int] | None = None,
                           cursor: str | None = None) -> Iterator[tuple[str, Scene]]:
    """Like :func:`enumerate_scenes` (without the limit check), yielding ``(cursor_after, scene)``.

    Resuming with ``cursor=cursor_after`` continues with the next scene.

    >>> from gas_solver.constraints import parse_constraints
    >>> from gas_solver.taxonomy import load_taxonomy
    >>> tax = load_taxonomy("tests/data/toy.toml")
    >>> spec = parse_constraints('[space]\\ncomplexity = [1, 1]\\n', tax)
    >>> c, first = next(enumerate_with_cursors(spec, tax))
    >>> next(enumerate_with_cursors(spec, tax, cursor=c))[1].objects[0].concept
    'beach'
    """
    check_backend(spec, backend)
    check_pattern_matches(spec)  # each structure's model grounds n^k candidate matches per pattern
    if shard is not None:
        i, k = shard
        if not (isinstance(k, int) and isinstance(i, int) and k >= 1 and 0 <= i < k):
            raise GasError(f"shard {i}/{k} is not valid: use i/k with 0 <= i < k")
    fp = space_fingerprint(spec, taxonomy)
    start_s, start_o, index = (0, 0, 0) if cursor is None else _parse_cursor(cursor, fp)
    domain = ground(spec, taxonomy)
    choices = scene_attribute_choices(spec, domain)
    if not domain.concepts or not choices and not spec.raw_asp:
        return
    for si, s in enumerate(structures(spec.bounds)):
        if si < start_s or (shard is not None and si % shard[1] != shard[0]):
            continue
        if spec.bounds.setting == FITTING or spec.hidden_split:  # a union whose parts differ in their scene attributes
            problem, keep = None, union_structure_scenes(spec, taxonomy, s, backend)
            per = 1
        elif spec.counts:  # a union of ordinary files, renamed (solve/counted.py)
            problem, keep = None, counted_structure_graphs(spec, taxonomy, s, backend)
            per = len(choices)
        else:
            problem, keep = structure_scenes(spec, taxonomy, s, domain, backend)
            per = 1 if problem.raw else len(choices)
        total = len(keep) * per
        offset = start_o if si == start_s else 0
        for o in range(offset, total):
            if problem is None and per == 1 and (spec.bounds.setting == FITTING or spec.hidden_split):
                scene, sattrs = keep[o], ()
            elif problem is None:
                scene, sattrs = keep[o // per], None
            else:
                x, sattrs = keep[o // per]
                scene = problem.scene(x)
            if sattrs == ():
                pass  # a whole scene already
            elif sattrs is None:
                scene = Scene(scene.objects, scene.relations, choices[o % per], scene.modality)
            else:
                scene = Scene(scene.objects, scene.relations, tuple(SceneAttribute(t, v) for t, v in sattrs),
                              scene.modality)
            nxt = (si, o + 1) if o + 1 < total else (si + 1, 0)
            index += 1
            yield _make_cursor(fp, nxt[0], nxt[1], index), scene


def enumerate_scenes(spec: ConstraintSpec, taxonomy, *, backend: str = "asp", limit: int | None = None,
                     force: bool = False, shard: tuple[int, int] | None = None, cursor: str | None = None
                     ) -> Iterator[Scene]:
    """Every scene of the space exactly once, in a deterministic order.

    Parameters
    ----------
    spec : ConstraintSpec
        A parsed constraint file.
    taxonomy : Taxonomy
    backend : {"asp", "cpsat"}
        The labelled model that lists the scenes of each structure (same result either way).
    limit : int, optional
        Refuse (:class:`~gas_solver.errors.SpaceTooLarge`, giving the exact count) when the
        space has more scenes than this, unless ``force``; with ``force`` list only the first ``limit``.
    shard : (i, k), optional
        List only shard ``i`` of ``k`` (the structures ``i``, ``i + k``, ...), ``0 <= i < k``.
    cursor : str, optional
        Resume after the scene whose cursor this is (see :func:`enumerate_with_cursors`).

    Yields
    ------
    Scene
        Objects in structure order (``scene_to_dict`` writes the canonical form).

    Examples
    --------
    >>> from gas_solver.constraints import parse_constraints
    >>> from gas_solver.taxonomy import load_taxonomy
    >>> tax = load_taxonomy("tests/data/toy.toml")
    >>> spec = parse_constraints('[space]\\ncomplexity = [1, 2]\\n', tax)
    >>> len(list(enumerate_scenes(spec, tax)))
    126
    """
    check_backend(spec, backend)
    if limit is not None and not force:
        check_size(spec, taxonomy, limit, backend=backend)
    return _listing(spec, taxonomy, backend, limit if force else None, shard, cursor)


def _listing(spec, taxonomy, backend, stop, shard, cursor) -> Iterator[Scene]:
    n = 0
    for _, scene in enumerate_with_cursors(spec, taxonomy, backend=backend, shard=shard, cursor=cursor):
        if stop is not None and n >= stop:
            return
        n += 1
        yield scene


def check_size(spec: ConstraintSpec, taxonomy, limit: int, *, backend: str = "asp") -> None:
    """Raise :class:`~gas_solver.errors.SpaceTooLarge` (with the exact count) if the space exceeds ``limit``."""
    total, exact = _size(spec, taxonomy, limit, backend)
    if total > limit:
        size = f"{total} scenes" if exact else f"more than {limit} scenes (not countable exactly: listed up to the limit)"
        raise SpaceTooLarge(f"the space has {size}, more than the limit {limit}; "
                            "raise --limit or pass --force to list anyway")


def _size(spec: ConstraintSpec, taxonomy, limit: int, backend: str) -> tuple[int, bool]:
    """(size, exact): the exact count (H5's counter), or with raw ASP or when the counter gives up,
    the number of scenes listed up to ``limit + 1``."""
    if not spec.raw_asp:
        from .count import count_scenes

        try:
            return count_scenes(spec, taxonomy), True
        except SpaceTooLarge:
            pass  # the counter's explicit method gave up (global constraints): list up to the limit instead
    n = 0
    for _ in enumerate_with_cursors(spec, taxonomy, backend=backend):
        n += 1
        if n > limit:
            break
    return n, n <= limit


#: grounded domains of the parts' files of a [[count]] file, by id of the part's spec
_DOMAINS: dict = {}


def _part_domain(spec, taxonomy):
    """``ground(spec, taxonomy)``, kept for the part's spec: grounded once per part, not once per structure."""
    hit = _DOMAINS.get(id(spec))
    if hit is None or hit[0] is not spec:
        hit = _DOMAINS[id(spec)] = (spec, ground(spec, taxonomy))
        while len(_DOMAINS) > 256:
            _DOMAINS.pop(next(iter(_DOMAINS)))
    return hit[1]


def counted_structure_graphs(spec: ConstraintSpec, taxonomy, structure, backend: str) -> list[Scene]:
    """The scene graphs (no scene attributes) of a ``[[count]]`` file on one structure, sorted by canonical id:
    every part's scenes under every renaming of its representatives."""
    out = []
    for part in counted_parts(spec, taxonomy):
        domain = _part_domain(part.spec, taxonomy)
        if not domain.concepts:
            continue
        problem, keep = structure_scenes(part.spec, taxonomy, structure, domain, backend)
        reps = [r for r, _ in part.renames]
        for x, _ in keep:
            g = problem.scene(x)
            for combo in itertools.product(*(m for _, m in part.renames)):
                out.append(renamed(g, dict(zip(reps, combo))))
    out.sort(key=canonical_id)
    return out


def union_structure_scenes(spec: ConstraintSpec, taxonomy, structure, backend: str) -> list[Scene]:
    """The scenes (scene attributes included) of a ``setting = "fitting"`` file (or one split by values that hide
    an attribute type: :func:`~.counted.hidden_parts`) on one structure, sorted by
    canonical id: every part's graphs (renamed as its ``[[count]]`` groups say) times the part's own scene
    attributes (a part fixes the location's setting, so its scene-attribute choices differ from the others')."""
    out = []
    for part in counted_parts(spec, taxonomy):
        if structure.n not in part.spec.bounds.objects:  # a part of fewer objects (counted.capped_parts)
            continue
        domain = _part_domain(part.spec, taxonomy)
        if not domain.concepts:
            continue
        choices = scene_attribute_choices(part.spec, domain)
        if not choices and not part.spec.raw_asp:
            continue
        problem, keep = structure_scenes(part.spec, taxonomy, structure, domain, backend)
        reps = [r for r, _ in part.renames]
        for x, sattrs in keep:
            g = problem.scene(x)
            # raw rules choose the scene attributes inside the program; otherwise they are a free factor
            own = choices if sattrs is None else [tuple(SceneAttribute(t, v) for t, v in sattrs)]
            for combo in itertools.product(*(m for _, m in part.renames)):
                h = renamed(g, dict(zip(reps, combo)))
                out.extend(Scene(h.objects, h.relations, ch, h.modality) for ch in own)
    out.sort(key=canonical_id)
    return out
