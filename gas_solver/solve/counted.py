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

**Sampling.**  A part ∝ ``Π|κ_g| · #space(rep)`` (weighted: its weight sum), a scene of the part's file by
the exact sampler, then each representative renamed to a uniform member of its class: every scene of the
union has the same probability (∝ its weight), exactly.  Stratified laws give every part's sampler the shares
that make the mixture's strata come out right (see :class:`CountedSampler`).

**Listing.**  Per structure, the scenes of every part, renamed in every way, sorted by canonical id: the
cursor and shard logic of :mod:`.enumerate` works on that list unchanged.

>>> from gas_solver.constraints import parse_constraints
>>> from gas_solver.taxonomy import load_taxonomy
>>> tax = load_taxonomy("tests/data/toy.toml")
>>> spec = parse_constraints('[space]\\nobjects = 2\\ncomplexity = 2\\n'
...                          '[[count]]\\nobjects = ["animal"]\\nn = 2\\n', tax)
>>> count_counted(spec, tax)        # two dogs, two horses, two owls or two sheep
4
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import itertools
import math
import random
from fractions import Fraction

import numpy as np

from ..constraints.model import CardinalityConstraint, ConceptSet, ConstraintSpec, STRATA_KINDS
from ..errors import GasError
from ..scene import Scene, SceneObject, canonical_id

__all__ = ["CountedPart", "counted_parts", "count_counted", "count_counted_by_stratum", "weighted_counted_total",
           "CountedSampler", "counted_structure_graphs"]

_MASK64 = (1 << 64) - 1


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
#: grounded domains of the parts' files (listing), by id of the part's spec
_DOMAINS: dict = {}


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


def count_counted(spec: ConstraintSpec, taxonomy, *, structures=None) -> int:
    """Exact number of scenes of a file with ``[[count]]`` groups: ``Σ_parts ways · #part``."""
    from .count import count_scenes

    return sum(p.ways * count_scenes(p.spec, taxonomy, structures=structures) for p in counted_parts(spec, taxonomy))


def count_counted_by_stratum(spec: ConstraintSpec, taxonomy, by: str, *, structures=None) -> dict:
    """``{stratum: count}`` of a file with ``[[count]]`` groups (strata without scenes left out)."""
    from .count import count_by_stratum

    out: dict = {}
    for p in counted_parts(spec, taxonomy):
        for k, v in count_by_stratum(p.spec, taxonomy, by, structures=structures).items():
            out[k] = out.get(k, 0) + p.ways * v
    return dict(sorted(out.items()))


def weighted_counted_total(spec: ConstraintSpec, taxonomy, *, structures=None) -> Fraction:
    """``Z`` of a file with ``[[count]]`` groups (soft weights)."""
    from .count import weighted_total

    return sum((p.ways * weighted_total(p.spec, taxonomy, structures=structures)
                for p in counted_parts(spec, taxonomy)), Fraction(0))


def _renamed(scene: Scene, names: dict) -> Scene:
    """``scene`` with concepts renamed by ``names`` (the others kept)."""
    objs = tuple(SceneObject(names.get(o.concept, o.concept), o.attributes) for o in scene.objects)
    return Scene(objs, scene.relations, scene.scene_attributes, scene.modality)


def counted_structure_graphs(spec: ConstraintSpec, taxonomy, structure, backend: str) -> list[Scene]:
    """The scene graphs (no scene attributes) of a ``[[count]]`` file on one structure, sorted by canonical id:
    every part's scenes under every renaming of its representatives."""
    from .domain import ground
    from .enumerate import structure_scenes

    out = []
    for part in counted_parts(spec, taxonomy):
        hit = _DOMAINS.get(id(part.spec))
        if hit is None or hit[0] is not part.spec:  # grounded once per part, not once per structure
            hit = _DOMAINS[id(part.spec)] = (part.spec, ground(part.spec, taxonomy))
            while len(_DOMAINS) > 256:
                _DOMAINS.pop(next(iter(_DOMAINS)))
        domain = hit[1]
        if not domain.concepts:
            continue
        problem, keep = structure_scenes(part.spec, taxonomy, structure, domain, backend)
        reps = [r for r, _ in part.renames]
        for x, _ in keep:
            g = problem.scene(x)
            for combo in itertools.product(*(m for _, m in part.renames)):
                out.append(_renamed(g, dict(zip(reps, combo))))
    out.sort(key=canonical_id)
    return out


def _scaled(values) -> list[int]:
    """Integers proportional to non-negative rationals (exactly)."""
    fr = [Fraction(v) for v in values]
    d = math.lcm(*[f.denominator for f in fr]) if fr else 1
    return [int(f * d) for f in fr]


@contextlib.contextmanager
def _refusals_named(sampler):
    """A part's exact sampler refusing (too few accepted draws) is reported as what it is for the file."""
    from ..errors import ExactSamplingRefused

    try:
        yield
    except ExactSamplingRefused as err:
        groups = "; ".join(str(c.origin) for c in sampler.spec.counts)
        raise GasError(f"{err}\n[[count]] files are sampled part by part (one shared concept each), and a part "
                       f"keeps too few of its draws: its counted copies are a small share of the objects it allows "
                       f"({groups}). Let the counted objects make up more of the vocabulary (every object "
                       "counted samples at full speed); approximate sampling does not model [[count]]") from err


class CountedSampler:
    """Exact sampler over the scenes of a file with ``[[count]]`` groups: a mixture of the parts' samplers.

    Same interface as :class:`~gas_solver.solve.sample.Sampler` (``Sampler(spec, ...)`` returns one of these
    for such files).  ``uniform``: part ∝ ``ways · total``; ``weighted``: ∝ ``ways · Z``; ``stratified``
    with shares ``s_σ``: with ``c_kσ`` the scenes of part ``k`` in stratum ``σ`` and ``C_σ = Σ_k ways_k c_kσ``,
    part ``k`` is drawn ∝ ``ways_k Σ_σ s_σ c_kσ / C_σ`` and samples its strata with shares ∝ ``s_σ c_kσ / C_σ``,
    so a scene of stratum σ comes with probability ``s_σ / C_σ``: uniform inside its stratum.
    ``per-structure`` (the reference's law) is not defined on a union and is refused.

    Draw ``i`` of chunk ``c`` is prefix-stable like the plain sampler's: parts and renamings are drawn one
    scene after the other from a generator of ``(seed, chunk)``, each part's scenes come from its sampler's
    chunk ``c`` under a seed derived from ``(seed, part)``.
    """

    def __init__(self, spec, taxonomy, *, distribution: str = "uniform", strata: dict | None = None,
                 backend: str = "asp", structures=None):
        from .count import count_by_stratum, count_scenes, weighted_total
        from .sample import DISTRIBUTIONS, Sampler

        if distribution not in DISTRIBUTIONS:
            raise GasError(f"unknown distribution {distribution!r}; expected one of {', '.join(DISTRIBUTIONS)}")
        if distribution == "per-structure":
            raise GasError("distribution 'per-structure' is not available with [[count]] groups (the reference's "
                           "law is defined per structure of one file); use uniform, weighted or stratified")
        if distribution == "stratified" and not strata:
            raise GasError("distribution 'stratified' needs strata, e.g. --strata 'complexity:3=0.5,4=0.5'")
        if strata and distribution != "stratified":
            raise GasError("strata are only used with distribution 'stratified'")
        self.spec, self.taxonomy = spec, taxonomy
        self.distribution, self.strata, self.backend = distribution, strata, backend
        self._structures_arg = structures
        self.parts = counted_parts(spec, taxonomy)
        totals = [count_scenes(p.spec, taxonomy, structures=structures) for p in self.parts]
        self.total = sum(p.ways * t for p, t in zip(self.parts, totals))
        if self.total == 0:
            raise GasError("the space of this constraint file is empty: no scene satisfies it "
                           "(run `gas check` to see the conflicting constraints)")
        self.proposal_total = self.total
        live = [i for i, t in enumerate(totals) if t]
        sub_strata: dict = {}
        if distribution == "weighted":
            zs = {i: weighted_total(self.parts[i].spec, taxonomy, structures=structures) for i in live}
            self.z = sum((self.parts[i].ways * zs[i] for i in live), Fraction(0))
            mass = {i: self.parts[i].ways * zs[i] for i in live}
        else:
            self.z = Fraction(self.total)
            mass = {i: self.parts[i].ways * totals[i] for i in live}
        if distribution == "stratified":
            mass, sub_strata = self._stratified(strata, live, count_by_stratum)
        self._live = [i for i in live if mass.get(i)]
        with _refusals_named(self):
            self._samplers = {i: Sampler(self.parts[i].spec, taxonomy, distribution=distribution,
                                         strata=sub_strata.get(i), backend=backend, structures=structures)
                              for i in self._live}
        ints = _scaled([mass[i] for i in self._live])
        self._cum = list(itertools.accumulate(ints))

    def _stratified(self, strata: dict, live: list, count_by_stratum) -> tuple[dict, dict]:
        if len(strata) != 1 or next(iter(strata)) not in STRATA_KINDS:
            raise GasError(f"strata must be {{KIND: {{...}}}} with KIND one of {', '.join(STRATA_KINDS)}")
        kind, shares = next(iter(strata.items()))
        per_part = {i: count_by_stratum(self.parts[i].spec, self.taxonomy, kind, structures=self._structures_arg)
                    for i in live}
        big: dict = {}
        for i in live:
            for k, v in per_part[i].items():
                big[k] = big.get(k, 0) + self.parts[i].ways * v
        if shares == "equal":
            shares = {k: Fraction(1) for k, v in big.items() if v}
        shares = {(tuple(k) if kind == "shape" else int(k)): Fraction(v) for k, v in shares.items()}
        if sum(shares.values(), Fraction(0)) <= 0:
            raise GasError("strata shares must not all be zero")
        for k, v in shares.items():
            if v and not big.get(k):
                raise GasError(f"stratum {kind}={k} has no scenes in this space; give it share 0 or drop it")
        mass, sub = {}, {}
        for i in live:
            t = {k: shares[k] * c / big[k] for k, c in per_part[i].items() if c and shares.get(k)}
            if t:
                mass[i] = self.parts[i].ways * sum(t.values(), Fraction(0))
                sub[i] = {kind: t}
        return mass, sub

    def sample_chunk(self, seed: int, chunk: int, size: int) -> list[Scene]:
        """``size`` scenes, a pure function of ``(seed, chunk, size)``; the first ``k`` do not depend on ``size``."""
        state = np.random.SeedSequence([seed & _MASK64, chunk, 0xC0]).generate_state(4, dtype=np.uint64)
        rnd = random.Random(int.from_bytes(state.tobytes(), "little"))
        cum, total = self._cum, self._cum[-1]
        picks, renames = [], []
        for _ in range(size):  # part and renaming scene by scene: a shorter chunk is a prefix of a longer one
            i = self._live[bisect.bisect_right(cum, rnd.randrange(total))]
            picks.append(i)
            renames.append(tuple(members[rnd.randrange(len(members))] for _, members in self.parts[i].renames))
        drawn: dict = {}
        for i in sorted(set(picks)):
            sub_seed = int(np.random.SeedSequence([seed & _MASK64, i, 0xC1]).generate_state(1, dtype=np.uint64)[0])
            with _refusals_named(self):
                drawn[i] = iter(self._samplers[i].sample_chunk(sub_seed, chunk, picks.count(i)))
        out = []
        for i, names in zip(picks, renames):
            reps = [r for r, _ in self.parts[i].renames]
            out.append(_renamed(next(drawn[i]), dict(zip(reps, names))))
        return out

    def _bind(name):
        def method(self, *args, **kw):
            from . import sample

            return getattr(sample.Sampler, name)(self, *args, **kw)

        method.__name__ = name
        method.__doc__ = f"As :meth:`gas_solver.solve.sample.Sampler.{name}`."
        return method

    sample = _bind("sample")
    iter_sample = _bind("iter_sample")
    map_chunks = _bind("map_chunks")
    del _bind
