"""Counted objects (``[[count]]``): n copies of one concept, counted, listed and sampled exactly.

A scene meets ``[[count]] objects = K, n = N`` when the objects whose concept is in ``K`` number ``N`` (or lie
in the range ``N``) and all share one concept: "four buses", or "three copies of one animal".

**Decomposition.**  The shared concept ``c`` is fixed by the scene, so the space is a disjoint union

    space = ⊔_{c ∈ K} space(c),   space(c) = file ∧ #objects of concept c ∈ N ∧ no object in K ∖ {c}

and every ``space(c)`` is an ordinary file: a cardinality of objects (counted inside the dynamic programme,
:mod:`.counters`) and a vocabulary exclusion (a local factor).  Concepts of one class of the grounded file
(:mod:`.domain`: no constraint tells them apart, ``K`` included) are interchangeable: renaming ``c`` to ``c'``
maps ``space(c)`` onto ``space(c')`` one to one, keeping structure, complexity and weight.  Hence

    #space = Σ_{classes κ ⊆ K} |κ| · #space(rep κ)

with one representative ``rep κ`` (its first concept) per class: a handful of ordinary counts.  Several
``[[count]]`` groups (disjoint concept sets) give one part per combination of classes, ``Π |κ_g|`` renamings
each.

The counter (:mod:`.count`), the listing (:mod:`.enumerate`) and the sampler
(:mod:`.sample.counted`) build on :func:`counted_parts`.

**Sampling.**  A part ∝ ``Π|κ_g| · #space(rep)`` (weighted: its weight sum), a scene of the part's file by
the exact sampler, then each representative renamed to a uniform member of its class: every scene of the
union has the same probability (∝ its weight), exactly.  Stratified laws give every part's sampler the shares
that make the mixture's strata come out right (see :class:`~gas_solver.solve.sample.counted.CountedSampler`).

**Listing.**  Per structure, the scenes of every part, renamed in every way, sorted by canonical id: the
cursor and shard logic of :mod:`.enumerate` works on that list unchanged.

>>> from gas_solver.constraints import parse_constraints
>>> from gas_solver.taxonomy import load_taxonomy
>>> tax = load_taxonomy("tests/data/toy.toml")
>>> spec = parse_constraints('[space]\\nobjects = 2\\ncomplexity = 2\\n'
...                          '[[count]]\\nobjects = ["animal"]\\nn = 2\\n', tax)
>>> from gas_solver.solve.count import count_scenes
>>> count_scenes(spec, tax)         # two dogs, two horses, two owls or two sheep
4
"""

from __future__ import annotations

import dataclasses
import itertools

from ..constraints.model import CardinalityConstraint, ConceptSet, ConstraintSpec
from ..errors import GasError
from ..scene import Scene, SceneObject

__all__ = ["CountedPart", "counted_parts", "renamed"]



@dataclasses.dataclass(frozen=True)
class CountedPart:
    """One term of the union: an ordinary file and, per ``[[count]]`` group, its representative and class."""

    spec: ConstraintSpec
    #: per group: (representative concept, every concept of its class, sorted)
    renames: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def ways(self) -> int:
        """How many scenes each scene of :attr:`spec` stands for (``Π |class|``)."""
        out = 1
        for _, members in self.renames:
            out *= len(members)
        return out


_PARTS: dict = {}


def counted_parts(spec: ConstraintSpec, taxonomy) -> tuple[CountedPart, ...]:
    """The parts of the union for a file with ``[[count]]`` groups (memoised per spec and taxonomy)."""
    key = (id(spec), id(taxonomy))
    hit = _PARTS.get(key)
    if hit is not None and hit[0] is spec and hit[1] is taxonomy:
        return hit[2]
    from .domain import ground

    if not spec.counts:
        raise GasError("internal: counted_parts needs a file with [[count]] groups")
    domain = ground(spec, taxonomy)  # its classes tell every group's concepts apart from the rest
    per_group = []
    for co in spec.counts:
        members = co.concepts.members(taxonomy)
        classes = [k for k in domain.classes if k.concepts[0] in members]
        per_group.append([(k.concepts[0], tuple(sorted(k.concepts))) for k in classes])
    base = dataclasses.replace(spec, counts=())
    parts = []
    for combo in itertools.product(*per_group):
        excluded = set()
        cards = list(base.cardinalities)
        for co, (rep, _) in zip(spec.counts, combo):
            excluded |= co.concepts.members(taxonomy) - {rep}
            cards.append(CardinalityConstraint("objects", co.n, co.origin, ConceptSet(concepts=frozenset({rep}))))
        voc = base.vocabulary
        objects = dataclasses.replace(voc.objects, exclude_concepts=voc.objects.exclude_concepts | excluded)
        sub = dataclasses.replace(base, vocabulary=dataclasses.replace(voc, objects=objects),
                                  cardinalities=tuple(cards), origins=dict(base.origins),
                                  hash=f"{spec.hash}|{'|'.join(r for r, _ in combo)}")
        parts.append(CountedPart(sub, tuple(combo)))
    out = tuple(parts)
    _PARTS[key] = (spec, taxonomy, out)
    while len(_PARTS) > 8:
        _PARTS.pop(next(iter(_PARTS)))
    return out


def renamed(scene: Scene, names: dict) -> Scene:
    """``scene`` with concepts renamed by ``names`` (the others kept)."""
    objs = tuple(SceneObject(names.get(o.concept, o.concept), o.attributes) for o in scene.objects)
    return Scene(objs, scene.relations, scene.scene_attributes, scene.modality)


