"""The sampling law of a constraint file, set up once as plain values.

A :class:`Law` says which structures are drawn and with what weights (uniform:
their scene counts; weighted: their weight sums; stratified: the strata's
shares; per-structure: one each), the counting model whose factors the draws
follow, the scene-attribute choices, and the exact rejection steps that sit on
top (raw ASP rules, global constraints drawn from the local space).

>>> from gas_solver.taxonomy import load_taxonomy
>>> from gas_solver.constraints.model import ConstraintSpec, Bounds, IntRange
>>> law = set_up_law(ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 2))), load_taxonomy("tests/data/toy.toml"))
>>> law.total == law.z, law.distribution
(True, 'uniform')
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from fractions import Fraction

import numpy as np
from typing import Any, NamedTuple, Sequence

from ...constraints.model import STRATA_KINDS, IntRange
from ...errors import ExactSamplingRefused, GasError
from ..count import Space, space_of
from ..exact_random import IntCategorical, scaled_ints
from ..problem import check_backend
from .groups import group_by

__all__ = ["DISTRIBUTIONS", "MIN_ACCEPTANCE", "Law", "Deferred", "StructureChoice", "ShapeFirst", "shape_first", "SceneAttributeChoice", "parse_strata",
           "stratum_of", "sampling_law", "Cell", "has_repeats", "cell_counts", "cell_shares", "combine_strata",
           "scaled_ints", "set_up_law", "rejection_proposal"]

#: scenes per chunk (:mod:`.chunks`); chunk ``i`` of seed ``s`` is always the same scenes.  Defined here, below
#: the chunk code, because a law's rejection blocks are sized by it.
CHUNK_SIZE = 4096

DISTRIBUTIONS = ("uniform", "weighted", "stratified", "per-structure")
#: smallest acceptance rate of the exact rejection step that sampling accepts to run with
MIN_ACCEPTANCE = Fraction(1, 1000)


class StructureChoice(NamedTuple):
    """Structures ``structures[k]`` (indices into the space's list) drawn by ``cat``'s index ``k``
    (for a :class:`ShapeFirst` choice, ``cat`` is that choice and ``structures`` the identity: its draws
    are structure ids already)."""

    cat: Any
    structures: Any


class _Ids:
    """``ids[k] == k``: the ``structures`` of a :class:`StructureChoice` whose draws are structure ids."""

    def __getitem__(self, k):
        return k


class ShapeFirst:
    """Structures drawn shape first, in three exact steps:

    1. a shape ``h = (objects n, attributes a, relations r)`` with probability ∝ its weight
       ``w(h)`` (uniform: its number of scenes ``N(h)``, from :meth:`~..count.Space.shape_counts`,
       which lists no structure);
    2. an object graph ``G`` (``n`` objects, ``r`` relations, no attribute slots) ∝ ``N(G, a)``, its
       scenes with ``a`` attributes: ``[x^a] C_G(x)`` by Burnside with a grading
       (:class:`~..multiset.GraphScenes`);
    3. a structure on ``G`` (its slot counts, one per orbit of ``Aut G``) ∝ its number of scenes.

    A structure ``S`` then comes with probability ``w(h)/W · N(G, a)/N(h) · N(S)/N(G, a)``: with
    ``w = N``, exactly ``N(S) / N``, the law of listing every structure and drawing one ∝ its count;
    with ``w(h) = share(stratum(h)) · N(h) / N(stratum)``, the stratified law.  Only the object
    graphs of drawn shapes and the structures of drawn object graphs are listed and counted (once, on
    first draw), and each level's counts must add up to the one above (checked: the counters are
    independent).  A structure's id is ``(shape index · 2^20 + graph index) · 2^20 + its index``.

    The per-structure law (``slots`` given: the slot counts an object may carry, where every structure
    whose objects carry such counts has scenes, :meth:`~..multiset.GraphScenes.always_positive`) counts
    structures instead of scenes at every level: ``w(h)`` the structures of shape ``h``, ``G`` ∝ its
    structures with ``a`` slots (Burnside over slot vectors), then a structure on ``G`` uniformly: each
    structure with scenes has probability ``1 / #structures``.
    """

    BITS = 20

    def __init__(self, space: Space, shapes: list, weights: list, slots: tuple | None = None):
        from ..structures import _limits

        self.space = space
        self.shapes = shapes
        self.cat = IntCategorical(weights)
        self.weights = weights
        self.slots = slots
        self.lim = _limits(space.spec.bounds)
        self.scenes = space.graph_scenes()  # (its connected scenes are cached from the count)
        self._object_graphs: dict = {}
        self._graphs: dict = {}
        self._structures: dict = {}
        self._uniform: dict = {}

    def graphs(self, k: int) -> tuple:
        """``(object graphs, IntCategorical ∝ N(G, a))`` of shape ``shapes[k]`` (listed on first use)."""
        hit = self._graphs.get(k)
        if hit is None:
            from ..structures import structures

            space = self.space
            n, a, r = self.shapes[k]
            graphs = self._object_graphs.get((n, r))
            if graphs is None:  # (shared by the shapes with n objects and r relations)
                bounds = dataclasses.replace(space.spec.bounds, complexity=IntRange(n + r, n + r),
                                             objects=IntRange(n, n), attributes=IntRange(0, 0),
                                             relations=IntRange(r, r), attributes_per_object=IntRange(0, None))
                graphs = self._object_graphs[(n, r)] = structures(bounds)
            counts = [self._graph_scenes(g, a) for g in graphs]
            if self.slots is None:
                want, got = space.shape_counts()[self.shapes[k]], sum(counts) * space.scene_ways
            else:
                want, got = self.weights[k], sum(counts)
            if got != want:  # two independent counters disagree: a bug
                raise AssertionError(f"shape {self.shapes[k]}: object graphs count {got}, "
                                     f"connected {'structures' if self.slots else 'scenes'} {want}")
            keep = [i for i, c in enumerate(counts) if c]
            hit = self._graphs[k] = ([graphs[i] for i in keep], IntCategorical([counts[i] for i in keep]),
                                     [counts[i] for i in keep])
        return hit

    def _graph_scenes(self, graph, a: int) -> int:
        """``N(G, a)``: a scene on ``G`` is a multiset of connected scenes on each of its connected parts, so
        ``Σ_a N(G, a) x^a = Π_parts MSET_m(C_D)(x)`` (``m`` copies of part ``D``; Pólya's exponential again)."""
        from ..connected import connected_parts
        from ..multiset import multisets, times

        total = [1] + [0] * a
        for part, m in connected_parts(graph):
            # (with the count's d, so that its cached values serve: a part leaves at least a for attributes)
            d = min(self.lim["c"][1] - part.n - len(part.edges), self.lim["a"][1])
            if self.slots is None:
                c = self.scenes.connected_scenes(part, d)
            else:  # structures: multisets of connected structures, the same way
                c = self.scenes.connected_structures(part, d, self.slots)
            total = times(total, multisets((c + [0] * (a + 1))[:a + 1], m))
        return total[a]

    def structures(self, k: int, g: int) -> tuple:
        """``(structures, IntCategorical ∝ their counts)`` on object graph ``g`` of shape ``shapes[k]``."""
        hit = self._structures.get((k, g))
        if hit is None:
            from ..structures import _key_of, canonical_structure
            from ..symmetry import twin_classes

            space = self.space
            graphs, _, counts = self.graphs(k)
            graph = graphs[g]
            a = self.shapes[k][1]
            lo, hi = self.lim["apo"]
            # slot counts up to Aut G: twins (objects whose swap is an automorphism) in non-increasing order
            # first (every orbit has such a member), then nauty's canonical form
            twins = [c for c in twin_classes(graph.n, graph.attributes, graph.edges) if len(c) > 1]
            seen: dict = {}
            for slots in _compositions(a, graph.n, lo, hi):
                if any(slots[c[i]] < slots[c[i + 1]] for c in twins for i in range(len(c) - 1)):
                    continue
                st = canonical_structure(graph.n, slots, graph.edges)
                seen.setdefault(_key_of(st.n, st.attributes, st.edges), st)
            structs = [seen[key] for key in sorted(seen)]
            if self.slots is None:
                values = [space.structure_value(st) for st in structs]
            else:  # per-structure: one each, those whose slot counts some label carries (they have scenes)
                values = [1 if all(k in self.slots for k in st.attributes) else 0 for st in structs]
            if sum(values) != counts[g]:
                raise AssertionError(f"object graph {graph.edges} with {a} attributes: structures count "
                                     f"{sum(values)}, Burnside {counts[g]}")
            keep = [i for i, v in enumerate(values) if v]
            hit = self._structures[(k, g)] = ([structs[i] for i in keep], IntCategorical([values[i] for i in keep]))
        return hit

    def draw(self, rng, size: int) -> np.ndarray:
        """``size`` structure ids: shapes, then per shape (in order) object graphs, then per object graph
        (in order) structures."""
        picks = self.cat.draw(rng, size)
        graph_ids = np.empty(size, dtype=np.int64)
        for k, pos in group_by(picks).items():
            graph_ids[pos] = (k << self.BITS) + self.graphs(k)[1].draw(rng, len(pos))
        out = np.empty(size, dtype=np.int64)
        for kg, pos in group_by(graph_ids).items():
            k, g = divmod(kg, 1 << self.BITS)
            out[pos] = (kg << self.BITS) + self._structure_choice(k, g).draw(rng, len(pos))
        return out

    def _structure_choice(self, k: int, g: int) -> IntCategorical:
        """The choice of a structure on object graph ``g`` of shape ``shapes[k]``: per-structure, uniform over
        its ``N(G, a)`` structures with scenes (the same categorical as :meth:`structures` makes, without
        listing them: a draw lists only the graphs whose structures it uses, checking the count then)."""
        if self.slots is None:
            return self.structures(k, g)[1]
        m = self.graphs(k)[2][g]
        hit = self._uniform.get(m)
        if hit is None:
            hit = self._uniform[m] = IntCategorical([1] * m)
        return hit

    def structure(self, sid: int):
        kg, j = divmod(int(sid), 1 << self.BITS)
        k, g = divmod(kg, 1 << self.BITS)
        return self.structures(k, g)[0][j]


def _compositions(total: int, parts: int, lo: int, hi: int):
    """Every tuple of ``parts`` integers in ``[lo, hi]`` summing to ``total``."""
    if parts == 0:
        if total == 0:
            yield ()
        return
    for first in range(lo, min(hi, total - lo * (parts - 1)) + 1):
        for rest in _compositions(total - first, parts - 1, lo, hi):
            yield (first,) + rest


class SceneAttributeChoice(NamedTuple):
    """Scene attributes: a set of types ``combos[k]`` drawn by ``cat`` (∝ its number of value tuples),
    then a value per type uniformly; ``options[i]`` is ``(type, values)``."""

    options: list
    combos: list
    cat: IntCategorical


@dataclasses.dataclass
class Law:
    """Everything that decides the distribution of a sampler's draws (see :func:`set_up_law`)."""

    spec: Any  # the file's spec, raw ASP rules included
    taxonomy: Any
    distribution: str
    strata: dict | None
    backend: str
    structures_arg: Sequence | None
    space: Space  # of the file without its raw rules
    model: Any  # the counting model the draws follow (relaxed: global constraints are checked by rejection)
    factors: Any
    weighted: bool
    total: int | None  # scenes of the file (None: raw ASP rules, not countable exactly)
    proposal_total: int  # scenes the draws come from
    z: Fraction
    structure_mass: Any  # the structures' scene counts (weight sums) summed, without the scene attributes' ways
    choice: StructureChoice  # the law over structures
    scene_attributes: SceneAttributeChoice | None
    raw: Any = None  # RawAspFilter of the raw ASP rules, or None
    #: global constraints drawn in batches from the local space and rejected (uniform or weighted law)
    reject: StructureChoice | None = None
    #: draws conditioned on the exact counter, no rejection: many "at least one" requirements
    #: (:mod:`.conditioned`) or embedded patterns rare in some structure (:mod:`.embedded_draws`); or None
    conditioned: Any = None
    #: repeated-objects strata (:class:`Cell` per index of ``choice``, which then draws cells), or None
    cells: Any = None

    @property
    def domain(self):
        return self.space.domain

    def structure(self, si: int):
        """The structure a draw's index ``si`` stands for."""
        if isinstance(self.choice.cat, ShapeFirst):
            return self.choice.cat.structure(si)
        return self.space.structures[si]



class Deferred:
    """Counts of a :class:`Law` that its draws do not need, computed when first read: ``fn()`` returns
    ``{"total": ..., "proposal_total": ..., "z": ..., "structure_mass": ...}``.  The per-structure law drawn
    shape first weighs shapes and object graphs by their structures, so the scene count of the space (its
    whole set-up before: 6-11 s CPU at complexity [1, 12]) waits until ``Sampler.total`` is asked for."""

    def __init__(self, fn):
        self.fn = fn
        self.values = None

    def get(self, name: str):
        if self.values is None:
            self.values = self.fn()
        return self.values[name]


def _count_field(name: str) -> property:
    key = "_" + name

    def get(self):
        v = self.__dict__[key]
        if isinstance(v, Deferred):
            v = self.__dict__[key] = v.get(name)
        return v

    def put(self, value):
        self.__dict__[key] = value

    return property(get, put, doc=f"the law's {name} (see :class:`Deferred`)")


for _name in ("total", "proposal_total", "z", "structure_mass"):  # (after the dataclass made its __init__)
    setattr(Law, _name, _count_field(_name))


class Cell(NamedTuple):
    """A stratum cell of a law with repeated-objects strata: the scenes of ``repeats`` (``"repeated"`` or
    ``"distinct"``) in one stratum of the other kind.  Its draws propose a structure of the cell by ``choice``
    (∝ its scenes in the local space) and a scene of it, kept iff the scene is in the cell (and meets the
    file's global constraints): exact rejection, so the kept scenes are uniform over the cell.  ``block``:
    proposals per batch (from the law only, so chunks stay prefix-stable); ``acceptance``: exact."""

    stratum: Any
    repeats: str
    choice: StructureChoice
    acceptance: Fraction
    block: int
    #: a "repeated" cell drawn without rejection (:mod:`.repeated`): ``choice`` is then ∝ the structures'
    #: repeated scenes
    direct: bool = False


def has_repeats(scene) -> bool:
    """Whether some concept appears twice or more among the scene's objects (the ``"repeated"`` stratum)."""
    objects = scene.objects
    return len({o.concept for o in objects}) < len(objects)


def parse_strata(text: str) -> dict:
    """Parse ``"complexity:3=0.5,4=0.5"``, ``"objects:1=1,2=1"`` or ``"shape:2/1/1=0.5,1/0/0=0.5"`` into a
    strata dict (kinds: :data:`~gas_solver.constraints.model.STRATA_KINDS`); ``"objects:equal"`` gives every
    stratum that holds scenes the same share.

    >>> parse_strata("complexity:3=0.25,4=0.75")
    {'complexity': {3: Fraction(1, 4), 4: Fraction(3, 4)}}
    >>> parse_strata("shape:1/1/0=1")
    {'shape': {(1, 1, 0): Fraction(1, 1)}}
    >>> parse_strata("relations:equal")
    {'relations': 'equal'}
    """
    kind, sep, rest = text.partition(":")
    kind = kind.strip()
    if kind == "repeats" and sep:
        return {kind: _repeat_shares(rest, text)}
    if not sep or kind not in STRATA_KINDS:
        raise GasError(f"bad strata {text!r}: expected 'complexity:3=0.5,4=0.5' or 'shape:2/1/1=0.5,...' "
                       f"(kinds: {', '.join(STRATA_KINDS)}; 'KIND:equal' for equal shares)")
    if rest.strip() == "equal":
        return {kind: "equal"}
    shares = {}
    for item in rest.split(","):
        key, eq, val = item.partition("=")
        try:
            share = Fraction(val.strip())
            if kind != "shape":
                k = int(key)
            else:
                parts = tuple(int(x) for x in key.strip().split("/"))
                if len(parts) != 3:
                    raise ValueError
                k = parts
        except (ValueError, ZeroDivisionError):
            raise GasError(f"bad strata entry {item.strip()!r} in {text!r}: expected "
                           + ("OBJECTS/ATTRIBUTES/RELATIONS=SHARE" if kind == "shape" else f"{kind.upper()}=SHARE")) from None
        if not eq or share < 0:
            raise GasError(f"bad strata entry {item.strip()!r}: a share must be a non-negative number")
        shares[k] = share
    return {kind: shares}


def _repeat_shares(rest: str, text: str):
    """``"repeated=1,distinct=3"`` or ``"equal"`` (the ``repeats:`` strata)."""
    from ..count import REPEATS

    if rest.strip() == "equal":
        return "equal"
    shares = {}
    for item in rest.split(","):
        key, eq, val = item.partition("=")
        key = key.strip()
        try:
            share = Fraction(val.strip())
        except (ValueError, ZeroDivisionError):
            share = None
        if not eq or key not in REPEATS or share is None or share < 0:
            raise GasError(f"bad strata entry {item.strip()!r} in {text!r}: expected repeated=SHARE and/or "
                           "distinct=SHARE (non-negative numbers), or 'repeats:equal'")
        shares[key] = share
    if not any(shares.values()):
        raise GasError(f"bad strata {text!r}: every share is zero")
    return shares


def combine_strata(items: Sequence[dict]) -> dict | None:
    """One strata dict from several ``--strata`` options: at most one structure kind and ``repeats``.

    >>> combine_strata([parse_strata("complexity:equal"), parse_strata("repeats:repeated=1,distinct=3")])
    {'complexity': 'equal', 'repeats': {'repeated': Fraction(1, 1), 'distinct': Fraction(3, 1)}}
    """
    out: dict = {}
    for d in items:
        for k, v in d.items():
            if k in out or (k != "repeats" and any(x != "repeats" for x in out)):
                raise GasError("--strata takes one structure kind (complexity, objects, attributes, relations or "
                               "shape) and 'repeats:...', each at most once")
            out[k] = v
    return out or None


def stratum_of(structure, kind: str):
    """The stratum of ``kind`` (:data:`~gas_solver.constraints.model.STRATA_KINDS`) a structure belongs to."""
    if kind == "complexity":
        return structure.complexity
    if kind == "shape":
        return structure.shape
    if kind == "structure":  # internal: the per-structure law of a union of files (sample/union.py)
        return structure.key
    return structure.shape[("objects", "attributes", "relations").index(kind)]


def sampling_law(spec, distribution: str | None = None, strata: dict | None = None) -> tuple[str, dict | None]:
    """``(distribution, strata)`` for a run: explicit options win, then the file's ``[sampling]``, then uniform.

    An explicit ``distribution`` replaces the file's law whole (its strata too); strata given alone
    mean ``stratified`` with those strata.

    >>> from gas_solver.constraints.model import ConstraintSpec, SamplingPlan
    >>> spec = ConstraintSpec(sampling=SamplingPlan("stratified", {"complexity": "equal"}))
    >>> sampling_law(spec)
    ('stratified', {'complexity': 'equal'})
    >>> sampling_law(spec, "uniform")
    ('uniform', None)
    >>> sampling_law(spec, None, {"objects": "equal"})
    ('stratified', {'objects': 'equal'})
    """
    if distribution is not None:
        return distribution, strata
    if strata is not None:
        return "stratified", strata
    plan = spec.sampling
    if plan is None:
        return "uniform", None
    return plan.distribution, plan.strata


def set_up_law(spec, taxonomy, *, distribution: str = "uniform", strata: dict | None = None,
               backend: str = "asp", structures: Sequence | None = None) -> Law:
    """The law of ``distribution`` over the scenes of ``spec`` (counts every structure of the space).

    Its ``reject`` step is added by :func:`rejection_proposal`, which needs the structures' fills, and its
    ``conditioned`` draws by the sampler (:mod:`.conditioned`, :mod:`.embedded_draws`).
    """
    if distribution not in DISTRIBUTIONS:
        raise GasError(f"unknown distribution {distribution!r}; expected one of {', '.join(DISTRIBUTIONS)}")
    if distribution == "stratified" and not strata:
        raise GasError("distribution 'stratified' needs strata, e.g. --strata 'complexity:3=0.5,4=0.5'")
    if strata and distribution != "stratified":
        raise GasError("strata are only used with distribution 'stratified'")
    raw = None
    drawn_spec = spec
    if spec.raw_asp:
        # no exact count: draw from the file without its raw rules, keep what passes them (exact rejection)
        check_backend(spec, backend)
        if distribution in ("per-structure", "stratified"):
            # rejection would skew the stratum (structure) shares by their unknown acceptance rates
            raise GasError(f"distribution {distribution!r} is not available with raw ASP rules "
                           "(they need exact counts per stratum); use uniform or weighted")
        from ..raw_filter import RawAspFilter

        raw = RawAspFilter([r.program for r in spec.raw_asp], taxonomy)
        drawn_spec = dataclasses.replace(spec, raw_asp=())
    space = space_of(drawn_spec, taxonomy, structures=structures)
    weighted = distribution == "weighted"
    model = space.relaxed_model(weighted)
    common = dict(spec=spec, taxonomy=taxonomy, distribution=distribution, strata=strata, backend=backend,
                  structures_arg=structures, space=space, model=model, factors=space.factors(model),
                  weighted=weighted, scene_attributes=scene_attribute_choice(space.domain, drawn_spec), raw=raw)
    if distribution == "stratified" and ("repeats" in strata or "cells" in strata):
        return _cells_law(space, strata, common)
    if shape_first(space, distribution, strata):
        return _shape_first_law(space, strata, common)
    structs = space.structures
    counts = [space.structure_value(s) for s in structs]
    total = sum(counts) * space.scene_ways
    if total == 0:
        raise GasError("the space of this constraint file is empty: no scene satisfies it "
                       "(run `gas check` to see the conflicting constraints)")
    if weighted:
        zs = [space.structure_value(s, weighted=True) for s in structs]
        z = sum(zs, Fraction(0)) * space.scene_ways
        weights = zs
    else:
        z = Fraction(total)
        weights = counts
    mass = sum(weights, 0)
    if distribution == "per-structure":
        weights = [1 if c else 0 for c in counts]
    elif distribution == "stratified":
        weights = stratified_weights(strata, structs, counts)
    keep = [i for i, w in enumerate(weights) if w]
    return Law(total=None if raw is not None else total, proposal_total=total, z=z, structure_mass=mass,
               choice=StructureChoice(IntCategorical(scaled_ints([weights[i] for i in keep])), keep), **common)


def cell_counts(space: Space, kind: str | None) -> dict:
    """``{(stratum of kind or None, "repeated"|"distinct"): scenes}`` over the space's structures (zeros left out)."""
    out: dict = {}
    for s in space.structures:
        for r, v in space.repeats_split(s).items():
            if v:
                key = (None if kind is None else stratum_of(s, kind), r)
                out[key] = out.get(key, 0) + v
    return out


def cell_shares(strata: dict, counts: dict) -> tuple[str | None, dict]:
    """``(kind, {cell: share})`` for strata with ``repeats`` (and at most one structure kind), given the cells'
    scene counts: a stratum ``k`` of the kind keeps its share ``s_k`` (the kind's rules: ``"equal"`` over the
    strata with scenes), split between its repeated and distinct scenes as the ``repeats`` shares ``t_r`` say,
    over the cells of ``k`` that hold scenes: ``P(k, r) = s_k t_r / Σ_{r' in k} t_r'``.  Inside a cell every
    scene is equally likely."""
    from ..count import REPEATS

    kinds = [k for k in strata if k != "repeats"]
    if len(kinds) > 1 or (kinds and kinds[0] not in STRATA_KINDS):
        raise GasError(f"strata must be one of {', '.join(STRATA_KINDS)} and/or repeats")
    kind = kinds[0] if kinds else None
    per: dict = {}
    for (k, r), v in counts.items():
        per[k] = per.get(k, 0) + v
    if kind is None:
        primary = {None: Fraction(1)}
    else:
        shares = strata[kind]
        if shares == "equal":
            shares = {k: 1 for k, v in per.items() if v}
        primary = {(tuple(k) if kind == "shape" else int(k)): Fraction(v) for k, v in shares.items()}
        for k, v in primary.items():
            if v and not per.get(k):
                raise GasError(f"stratum {kind}={k} has no scenes in this space; give it share 0 or drop it")
    t = strata["repeats"]
    t = {r: Fraction(1) for r in REPEATS} if t == "equal" else {r: Fraction(v) for r, v in t.items()}
    for r, v in t.items():
        if v and not any(c for (k, rr), c in counts.items() if rr == r):
            raise GasError(f"stratum repeats={r} has no scenes in this space; give it share 0 or drop it")
    out: dict = {}
    for k, sk in primary.items():
        if not sk:
            continue
        live = [r for r in REPEATS if counts.get((k, r)) and t.get(r)]
        norm = sum((t[r] for r in live), Fraction(0))
        if not norm:
            raise GasError(f"stratum {kind}={k} has no {' or '.join(r for r in REPEATS if t.get(r))} scenes; "
                           "give it share 0 or change the repeats shares")
        for r in live:
            out[(k, r)] = sk * t[r] / norm
    if not out:
        raise GasError("strata shares must not all be zero")
    return kind, out


def repeated_draws(model, *, weighted: bool, raw) -> bool:
    """Whether a law's repeated cells can use :class:`.repeated.RepeatedDraws` (else exact rejection)."""
    return (not model.has_global and not weighted and raw is None
            and len({lb.cls for lb in model.labels}) == len(model.labels))


def _cells_law(space: Space, strata: dict, common: dict) -> Law:
    """The stratified law with repeated-objects strata: a cell ∝ its share, then a uniform scene of the cell by
    exact rejection from its structures' local space (:class:`Cell`).  ``strata["cells"] = (kind, {cell:
    share})`` gives the cells' shares directly (the parts of a setting union, :mod:`.union`)."""

    model = common["model"]
    if common["raw"] is not None or model.sampler_marks or model.global_soft:
        raise GasError("repeats strata are not available with raw ASP rules, required patterns or non-local "
                       "soft rules")
    if "cells" in strata:
        kind, shares = strata["cells"]
    else:
        kind = next((k for k in strata if k != "repeats"), None)
    structs = space.structures
    splits = [space.repeats_split(s) for s in structs]
    counts: dict = {}
    for s, sp in zip(structs, splits):
        for r, v in sp.items():
            if v:
                key = (None if kind is None else stratum_of(s, kind), r)
                counts[key] = counts.get(key, 0) + v
    total = sum(counts.values(), 0)
    if total == 0:
        raise GasError("the space of this constraint file is empty: no scene satisfies it "
                       "(run `gas check` to see the conflicting constraints)")
    if "cells" not in strata:
        kind, shares = cell_shares(strata, counts)
    direct = repeated_draws(common["model"], weighted=common["weighted"], raw=common["raw"])
    cells, weights = [], []
    for cell, share in sorted(shares.items(), key=lambda kv: repr(kv[0])):
        if not share or not counts.get(cell):
            continue
        k, r = cell
        keep = [i for i, (s, sp) in enumerate(zip(structs, splits))
                if sp[r] and (kind is None or stratum_of(s, kind) == k)]
        if r == "repeated" and direct:
            cells.append(Cell(k, r, StructureChoice(IntCategorical(scaled_ints([splits[i][r] for i in keep])), keep),
                              Fraction(1), 0, True))
            weights.append(share)
            continue
        relaxed = [space.relaxed_value(structs[i]) * space.scene_ways for i in keep]
        acceptance = Fraction(counts[cell], sum(relaxed))
        if acceptance < MIN_ACCEPTANCE:
            raise ExactSamplingRefused(
                f"stratum {'' if kind is None else f'{kind}={k}, '}repeats={r}: only {float(acceptance):.2g} of the "
                "draws of its structures fall in it, below the exact sampler's rejection limit "
                f"({float(MIN_ACCEPTANCE):g}); give it share 0")
        block = min(1 << 16, max(64, math.ceil(CHUNK_SIZE * share * 9 / (8 * acceptance))))
        cells.append(Cell(k, r, StructureChoice(IntCategorical(scaled_ints(relaxed)), keep), acceptance, block))
        weights.append(share)
    law = Law(total=total, proposal_total=total, z=Fraction(total), structure_mass=total // space.scene_ways,
              choice=StructureChoice(IntCategorical(scaled_ints(weights)), list(range(len(cells)))), **common)
    law.cells = cells
    return law


#: the laws a :class:`ShapeFirst` choice draws (the others need every structure's count or weight)
_SHAPE_STRATA = ("complexity", "objects", "attributes", "relations", "shape")


def shape_first(space: Space, distribution: str, strata: dict | None) -> bool:
    """Whether structures are drawn shape first (:class:`ShapeFirst`): where the space is counted by
    connected scenes without listing its structures (:attr:`~..count.Space.counts_by_multiset`: local
    constraints, more than :data:`~..count.MULTISET_ABOVE` structures), under the uniform law, strata
    of shapes, the weighted law of a file without soft weights (the uniform law), or the per-structure
    law where every structure whose slot counts some label carries has scenes
    (:meth:`~..multiset.GraphScenes.always_positive`).  Smaller spaces keep the per-structure choice (and its draws, byte for byte).  Bounds with
    more structures than the listing limit (:data:`~..work.LIMITS`) are refused as before: the draws list
    the structures of the shapes they draw, which may be most of them."""
    from ..structures import shapes
    from ..work import LIMITS, estimate_structures

    if distribution == "stratified":
        if not strata or len(strata) != 1 or next(iter(strata)) not in _SHAPE_STRATA:
            return False
    elif distribution == "weighted":
        if space.spec.soft:  # (without soft weights the weighted law is the uniform one)
            return False
    elif distribution != "uniform" and distribution != "per-structure":
        return False
    if not (space.counts_by_multiset and estimate_structures(shapes(space.spec.bounds)) <= LIMITS["structures"]):
        return False
    if distribution == "per-structure":  # structures are counted by slot vectors where all have scenes
        from ..structures import _limits

        return space.graph_scenes().always_positive(_limits(space.spec.bounds)) is not None
    return True


def _shape_first_law(space: Space, strata: dict | None, common: dict) -> Law:
    if common["distribution"] == "per-structure":
        return _per_structure_shape_first_law(space, common)
    counts = space.shape_counts()  # scene attributes included
    shapes = [h for h, c in counts.items() if c]
    total = sum(counts[h] for h in shapes)
    if total == 0:
        raise GasError("the space of this constraint file is empty: no scene satisfies it "
                       "(run `gas check` to see the conflicting constraints)")
    graph = [counts[h] // space.scene_ways for h in shapes]
    if strata is None:
        weights = graph
    else:
        weights = scaled_ints(stratified_weights(strata, [_Shaped(h) for h in shapes], graph))
    keep = [i for i, w in enumerate(weights) if w]
    choice = ShapeFirst(space, [shapes[i] for i in keep], [weights[i] for i in keep])
    return Law(total=None if common["raw"] is not None else total, proposal_total=total, z=Fraction(total),
               structure_mass=sum(graph), choice=StructureChoice(choice, _Ids()), **common)


def _per_structure_shape_first_law(space: Space, common: dict) -> Law:
    """The per-structure law drawn shape first: shapes ∝ their structures with scenes (slot vectors, no scene
    count); the space's scene counts are :class:`Deferred` (and checked then: a shape has scenes iff it has
    structures with scenes)."""
    from ..multiset import structure_shape_counts
    from ..structures import _limits

    lim = _limits(space.spec.bounds)
    slots = space.graph_scenes().always_positive(lim)
    structs = structure_shape_counts(space.count_model, lim, slots, counter=space.graph_scenes())
    shapes = [h for h, c in structs.items() if c]
    if not shapes:
        raise GasError("the space of this constraint file is empty: no scene satisfies it "
                       "(run `gas check` to see the conflicting constraints)")

    def counts() -> dict:
        by_shape = space.shape_counts()  # scene attributes included
        if {h for h, c in by_shape.items() if c} != set(shapes):
            raise AssertionError("per-structure law: shapes with structures differ from shapes with scenes")
        total = sum(by_shape[h] for h in shapes)
        return {"total": None if common["raw"] is not None else total, "proposal_total": total,
                "z": Fraction(total), "structure_mass": sum(by_shape[h] // space.scene_ways for h in shapes)}

    later = Deferred(counts)
    choice = ShapeFirst(space, shapes, [structs[h] for h in shapes], slots)
    return Law(total=later, proposal_total=later, z=later, structure_mass=later,
               choice=StructureChoice(choice, _Ids()), **common)


class _Shaped(NamedTuple):
    """A shape standing in for its structures where strata are computed (:func:`stratum_of`)."""

    shape: tuple

    @property
    def complexity(self) -> int:
        return sum(self.shape)


def rejection_proposal(law: Law, fill) -> StructureChoice | None:
    """The batch proposal of a law with global constraints (uniform or weighted), or None.

    Whole scenes are drawn in batches from the local space (structures ∝ their local counts,
    or with marked patterns ∝ the mass of their marked labellings, ``fill(i).proposal``) and
    rejected; None where the constraints are soft, the law is another one, or the acceptance
    rate is below :data:`MIN_ACCEPTANCE` (those are drawn one scene at a time).
    """
    m = law.model
    if not (m.has_global and not m.global_soft and law.distribution in ("uniform", "weighted")):
        return None
    if law.conditioned is not None:  # exact draws without rejection (one scene at a time)
        return None
    structs = law.space.structures
    if m.sampler_marks:
        relaxed = [fill(i).proposal for i in range(len(structs))]
    else:
        relaxed = [law.space.relaxed_value(s, weighted=law.weighted) for s in structs]
    rkeep = [i for i, v in enumerate(relaxed) if v]
    exact_total = law.structure_mass
    relaxed_total = sum(relaxed, 0)
    if relaxed_total and Fraction(exact_total) / Fraction(relaxed_total) >= MIN_ACCEPTANCE:
        return StructureChoice(IntCategorical(scaled_ints([relaxed[i] for i in rkeep])), rkeep)
    return None


def stratified_weights(strata: dict, structs, counts) -> list:
    """Per structure: its stratum's share times its part of the stratum's scenes (``"equal"``: the same
    share for every stratum that holds scenes)."""
    if len(strata) != 1 or next(iter(strata)) not in (*STRATA_KINDS, "structure"):
        raise GasError(f"strata must be {{KIND: {{...}}}} with KIND one of {', '.join(STRATA_KINDS)}")
    kind, shares = next(iter(strata.items()))
    per: dict = {}
    for s, c in zip(structs, counts):
        per[stratum_of(s, kind)] = per.get(stratum_of(s, kind), 0) + c
    if shares == "equal":
        shares = {k: Fraction(1) for k, v in per.items() if v}
    shares = {(k if kind == "structure" else tuple(k) if kind == "shape" else int(k)): Fraction(v)
              for k, v in shares.items()}
    total_share = sum(shares.values(), Fraction(0))
    if total_share <= 0:
        raise GasError("strata shares must not all be zero")
    for k, v in shares.items():
        if v and not per.get(k):
            raise GasError(f"stratum {kind}={k} has no scenes in this space; give it share 0 or drop it")
    return [shares.get(stratum_of(s, kind), 0) * Fraction(c, per[stratum_of(s, kind)]) if c else 0
            for s, c in zip(structs, counts)]


def scene_attribute_choice(domain, spec) -> SceneAttributeChoice | None:
    """The scene-attribute law: every allowed set of types ∝ its number of value tuples (None: no attributes)."""
    opts = list(domain.scene_options.items())
    bounds = spec.bounds.scene_attributes
    hi = len(opts) if bounds.hi is None else min(bounds.hi, len(opts))
    combos = []
    for k in range(bounds.lo, hi + 1):
        combos.extend(c for c in itertools.combinations(range(len(opts)), k)
                      if domain.scene_attributes_compatible(opts[i][0] for i in c))
        if len(combos) > 500_000:
            raise GasError("too many scene-attribute type combinations to sample from; narrow "
                           "space.scene_attributes or the scene-attribute vocabulary")
    if not combos:
        return None
    weights = [math.prod(len(opts[i][1]) for i in c) for c in combos]
    return SceneAttributeChoice(opts, combos, IntCategorical(weights))
