"""Exact sampling of scenes: uniform, weighted, stratified, and the reference's per-structure law.

Method (the Burnside process, ``solver_lab.md`` §4b, ``DESIGN.md`` §3):

1. pick a structure ``S`` with probability proportional to its exact number of
   scenes (``uniform``), its exact weight sum ``Z_S`` (``weighted``), or its
   stratum's share times its count within the stratum (``stratified``);
2. pick an automorphism ``g`` of ``S`` with probability ∝ ``|Fix(g)|``
   (weighted: the weight sum of the labellings ``g`` fixes);
3. pick a labelling fixed by ``g`` with probability ∝ its weight by backward
   sampling through the variable-elimination tables of the quotient graph
   (:mod:`.burnside`), then a concrete concept uniformly in its class, an
   attribute set and a predicate per edge uniformly among the allowed ones;
4. if the file has global constraints (cardinalities, ``repeat_objects =
   false``, larger patterns), accept the scene iff it satisfies them, else go
   back to 2.  The proposal is exactly uniform (or weighted) over the larger
   local space, so the accepted scene is exactly uniform (weighted) over the
   file's space; the acceptance rate is known exactly from the counts, and
   sampling refuses when it is below :data:`MIN_ACCEPTANCE`.

Required one-node / one-edge patterns (seed graphs) and "at least one"
cardinalities would make blind rejection hopeless when matches are rare.  For
them step 2 also picks a **marked match** of each (an object or edge cycle whose
labels are then restricted to match), with probability ∝ the weight of the
fixed labellings having it; a scene then comes ∝ ``w · |Stab| · Π m_i`` (``m_i``
its matches of pattern ``i``) and is kept with probability ``1 / Π m_i``,
which makes it ∝ ``w`` again, exactly.

Product-form files (no global constraint) are drawn in numpy batches per
structure, automorphism, vertex label and label pair (about 60–80k scenes/s per
core on the default space, ``benchmarks/bench_sample.py``).  Files with global
constraints under the uniform or weighted law reject whole scenes of such
batches drawn from the proposal (structures ∝ their local counts, or ∝ the mass
of their marked labellings; then the filtered law is exact), about 20–75k
scenes/s on the example files.  The rest (strata or the per-structure law with
global constraints, non-local soft rules) are drawn one scene at a time with
Python's exact ``randrange``.

A labelling ``x`` comes out of 2–3 with probability ∝ ``w(x) · |Stab(x)|``, and
its orbit has ``|G| / |Stab(x)|`` members, so every scene (orbit) has
probability ∝ ``w``: exactly, because every choice is an exact integer
categorical draw (:mod:`.exact_random`).

Raw ASP rules put a space outside exact counting; the sampler then draws from
the file without its raw rules and keeps the scenes that pass them (exact
rejection, :mod:`.raw_filter`): still exactly uniform (weighted), with
``total = None`` and an acceptance rate that is not known in advance.

``per-structure`` reproduces the reference implementation's law for
comparison: a structure uniformly among those with scenes, then a uniformly
random valid labelling of it (no automorphism step), so a scene ``O`` on ``S``
has probability ``(|Aut S| / |Stab O|) / (#structures · #labellings(S))``.

Draws are made in chunks: :meth:`Sampler.sample_chunk` is a pure function of
``(seed, chunk, size)``, so output does not depend on the number of workers.
"""

from __future__ import annotations

import bisect
import dataclasses
import gc
import itertools
import math
import random
from fractions import Fraction
from typing import Iterator, Sequence

import numpy as np

from ..errors import GasError
from ..scene import Attribute, Relation, Scene, SceneAttribute, SceneObject, canonical_id
from .burnside import automorphism_choices, quotient
from .count import Space, space_of
from .exact_random import IntCategorical, RowCategorical
from .problem import check_backend

__all__ = ["Sampler", "sample_scenes", "parse_strata", "CHUNK_SIZE", "DISTRIBUTIONS", "MIN_ACCEPTANCE"]

#: scenes per chunk; chunk ``i`` of seed ``s`` is always the same scenes
CHUNK_SIZE = 4096
#: relaxed-space chunks behind one chunk of a space with raw ASP rules
_RAW_STRIDE = 1024
DISTRIBUTIONS = ("uniform", "weighted", "stratified", "per-structure")
#: smallest acceptance rate of the exact rejection step that sampling accepts to run with
MIN_ACCEPTANCE = Fraction(1, 1000)
_MASK64 = (1 << 64) - 1
#: present (and free) attribute types per object that the vectorised object decoding handles
_KP = 8


def _scaled_ints(values: Sequence) -> list[int]:
    """Integers proportional to non-negative rationals (exactly)."""
    fr = [Fraction(v) for v in values]
    d = math.lcm(*[f.denominator for f in fr]) if fr else 1
    return [int(f * d) for f in fr]


def parse_strata(text: str) -> dict:
    """Parse ``"complexity:3=0.5,4=0.5"`` or ``"shape:2/1/1=0.5,1/0/0=0.5"`` into a strata dict.

    >>> parse_strata("complexity:3=0.25,4=0.75")
    {'complexity': {3: Fraction(1, 4), 4: Fraction(3, 4)}}
    >>> parse_strata("shape:1/1/0=1")
    {'shape': {(1, 1, 0): Fraction(1, 1)}}
    """
    kind, sep, rest = text.partition(":")
    kind = kind.strip()
    if not sep or kind not in ("complexity", "shape"):
        raise GasError(f"bad strata {text!r}: expected 'complexity:3=0.5,4=0.5' or 'shape:2/1/1=0.5,...'")
    shares = {}
    for item in rest.split(","):
        key, eq, val = item.partition("=")
        try:
            share = Fraction(val.strip())
            if kind == "complexity":
                k = int(key)
            else:
                parts = tuple(int(x) for x in key.strip().split("/"))
                if len(parts) != 3:
                    raise ValueError
                k = parts
        except (ValueError, ZeroDivisionError):
            raise GasError(f"bad strata entry {item.strip()!r} in {text!r}: expected "
                           + ("COMPLEXITY=SHARE" if kind == "complexity" else "OBJECTS/ATTRIBUTES/RELATIONS=SHARE")) from None
        if not eq or share < 0:
            raise GasError(f"bad strata entry {item.strip()!r}: a share must be a non-negative number")
        shares[k] = share
    return {kind: shares}


class _Fill:
    """Per-(structure, law) state: automorphism choice, quotients, acceptance."""

    __slots__ = ("structure", "factors", "model", "g_cat", "g_lists", "quotients", "acceptance", "wmax", "automorphisms",
                 "proposal", "g_sizes")

    def __init__(self, structure, factors, model, per_structure: bool, acceptance: Fraction, wmax: Fraction):
        self.structure = structure
        self.factors = factors
        self.model = model
        self.quotients: dict[int, object] = {}
        self.acceptance = acceptance
        self.wmax = wmax
        if per_structure:
            self.automorphisms = (tuple(range(structure.n)),)
            self.g_lists = [(0,)]
            self.g_sizes = [1]
            self.g_cat = IntCategorical([1])
        else:
            self.automorphisms, prof = automorphism_choices(structure)
            self.g_lists = [ix for _, _, ix in prof]
            self.g_sizes = [m for _, m, _ in prof]
            w = _scaled_ints([m * factors.fix(p) for p, m, _ in prof])
            self.g_cat = IntCategorical(w) if any(w) else None  # None: no labelling at all (never drawn)
        self.proposal = Fraction(0)


class Sampler:
    """Exact sampler over the scenes of a constraint file.

    Parameters
    ----------
    spec : ConstraintSpec
    taxonomy : Taxonomy
    distribution : {"uniform", "weighted", "stratified", "per-structure"}
        ``uniform``: every scene equally likely.  ``weighted``: ∝ the product of
        the soft weights.  ``stratified``: ``strata`` gives each stratum's share,
        uniform inside a stratum.  ``per-structure``: the reference's law (a
        structure uniformly, then a uniform labelling), for comparison only.
    strata : dict, optional
        ``{"complexity": {3: 0.2, 4: 0.8}}`` or ``{"shape": {(2, 1, 1): 0.5, ...}}``
        (see :func:`parse_strata`); shares are normalised.
    backend : str
        Accepted for symmetry with the other commands; sampling uses the exact
        counter, not a solver call per scene.
    structures : sequence of Structure, optional
        Restrict to these structures (default: all of the spec's bounds).

    Attributes
    ----------
    total : int
        Number of scenes in the space.
    z : Fraction
        Weighted total (``distribution="weighted"``), else equal to ``total``.

    Examples
    --------
    >>> from gas_solver.taxonomy import load_taxonomy
    >>> from gas_solver.constraints.model import ConstraintSpec, Bounds, IntRange
    >>> tax = load_taxonomy("tests/data/toy.toml")
    >>> s = Sampler(ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 4))), tax)
    >>> [sc.complexity <= 4 for sc in s.sample(3, seed=1)]
    [True, True, True]
    >>> s.sample(3, seed=1) == s.sample(3, seed=1, workers=2)
    True
    """

    def __init__(self, spec, taxonomy, *, distribution: str = "uniform", strata: dict | None = None,
                 backend: str = "asp", structures: Sequence | None = None):
        if distribution not in DISTRIBUTIONS:
            raise GasError(f"unknown distribution {distribution!r}; expected one of {', '.join(DISTRIBUTIONS)}")
        if distribution == "stratified" and not strata:
            raise GasError("distribution 'stratified' needs strata, e.g. --strata 'complexity:3=0.5,4=0.5'")
        if strata and distribution != "stratified":
            raise GasError("strata are only used with distribution 'stratified'")
        self.spec = spec
        self.taxonomy = taxonomy
        self.distribution = distribution
        self.strata = strata
        self.backend = backend
        self._structures_arg = structures
        self._raw = None
        if spec.raw_asp:
            # no exact count: draw from the file without its raw rules, keep what passes them (exact rejection)
            check_backend(spec, backend)
            if distribution in ("per-structure", "stratified"):
                # rejection would skew the stratum (structure) shares by their unknown acceptance rates
                raise GasError(f"distribution {distribution!r} is not available with raw ASP rules "
                               "(they need exact counts per stratum); use uniform or weighted")
            from .raw_filter import RawAspFilter

            self._raw = RawAspFilter([r.program for r in spec.raw_asp], taxonomy)
            self._relaxed_spec = dataclasses.replace(spec, raw_asp=())
            spec = self._relaxed_spec
        self.space: Space = space_of(spec, taxonomy, structures=structures)
        self.domain = self.space.domain
        self.weighted = distribution == "weighted"
        self.model = self.space.relaxed_model(self.weighted)
        self.factors = self.space.factors(self.model)
        structs = self.space.structures
        counts = [self.space.structure_value(s) for s in structs]
        self.total = sum(counts) * self.space.scene_ways
        #: scenes the draws come from (``total``, or the space without its raw rules)
        self.proposal_total = self.total
        if self.total == 0:
            raise GasError("the space of this constraint file is empty: no scene satisfies it "
                           "(run `gas check` to see the conflicting constraints)")
        if self.weighted:
            zs = [self.space.structure_value(s, weighted=True) for s in structs]
            self.z = sum(zs, Fraction(0)) * self.space.scene_ways
            weights = zs
        else:
            self.z = Fraction(self.total)
            weights = counts
        if distribution == "per-structure":
            weights = [1 if c else 0 for c in counts]
        elif distribution == "stratified":
            weights = self._stratified_weights(strata, structs, counts)
        self._keep = [i for i, w in enumerate(weights) if w]
        self._struct_cat = IntCategorical(_scaled_ints([weights[i] for i in self._keep]))
        self._fills: dict[int, _Fill] = {}
        self._tables: dict = {}
        self._attr_cache: dict = {}
        self._label_spec: dict = {}
        self._restrictions: list = [()]
        self._restriction_ids: dict = {(): 0}
        self._pred_tables: dict = {}  # request code -> _pred_table
        self._obj_plans: dict = {}  # request code -> _vec_object_plan
        self._vo_names: list = []  # concepts of the object plans, by global index
        self._vo_attrs: list = [None]  # their attribute values (index 0: no value)
        self._vo_bare: list = []  # by the same index: SceneObject(concept, ()) of attribute-less plans, else None
        self._vo_arrays: tuple = ((), (), ())  # the three lists above as numpy object arrays
        self._scene_attr_table = self._build_scene_attr_table()
        self._pred_bit = self.domain.predicate_index
        # Global constraints without marked patterns, uniform or weighted law: reject whole scenes drawn in
        # batches from the local space (structures ∝ their local counts); refused below MIN_ACCEPTANCE.
        # With marked patterns the proposal of a structure has the mass of its marked labellings.
        self._batch_reject = None
        m = self.model
        if m.has_global and not m.global_soft and distribution in ("uniform", "weighted"):
            if m.sampler_marks:
                relaxed = [self._fill(i, check=False).proposal for i in range(len(structs))]
            else:
                relaxed = [self.space.relaxed_value(s, weighted=self.weighted) for s in structs]
            rkeep = [i for i, v in enumerate(relaxed) if v]
            exact_total = sum(weights, 0)
            relaxed_total = sum(relaxed, 0)
            if relaxed_total and Fraction(exact_total) / Fraction(relaxed_total) >= MIN_ACCEPTANCE:
                self._batch_reject = (IntCategorical(_scaled_ints([relaxed[i] for i in rkeep])), rkeep)
        if self._raw is not None:
            self.total = None  # not countable exactly

    # -- set-up ------------------------------------------------------------------
    def _stratified_weights(self, strata: dict, structs, counts) -> list:
        if len(strata) != 1 or next(iter(strata)) not in ("complexity", "shape"):
            raise GasError("strata must be {'complexity': {...}} or {'shape': {...}}")
        kind, shares = next(iter(strata.items()))
        shares = {(tuple(k) if kind == "shape" else int(k)): Fraction(v) for k, v in shares.items()}
        total_share = sum(shares.values(), Fraction(0))
        if total_share <= 0:
            raise GasError("strata shares must not all be zero")
        per: dict = {}
        for s, c in zip(structs, counts):
            k = s.complexity if kind == "complexity" else s.shape
            per[k] = per.get(k, 0) + c
        for k, v in shares.items():
            if v and not per.get(k):
                raise GasError(f"stratum {kind}={k} has no scenes in this space; give it share 0 or drop it")
        return [shares.get(s.complexity if kind == "complexity" else s.shape, 0) * Fraction(c, per[k])
                if c else 0
                for s, c, k in ((s, c, s.complexity if kind == "complexity" else s.shape) for s, c in zip(structs, counts))]

    def _build_scene_attr_table(self):
        opts = list(self.domain.scene_options.items())
        rng_ = self.spec.bounds.scene_attributes
        hi = len(opts) if rng_.hi is None else min(rng_.hi, len(opts))
        combos = []
        for k in range(rng_.lo, hi + 1):
            combos.extend(itertools.combinations(range(len(opts)), k))
            if len(combos) > 500_000:
                raise GasError("too many scene-attribute type combinations to sample from; narrow "
                               "space.scene_attributes or the scene-attribute vocabulary")
        if not combos:
            return None
        weights = [math.prod(len(opts[i][1]) for i in c) for c in combos]
        return opts, combos, IntCategorical(weights)

    def _fill(self, si: int, check: bool = True) -> _Fill:
        f = self._fills.get(si)
        if f is None:
            s = self.space.structures[si]
            exact = self.space.structure_value(s, weighted=self.weighted)
            relaxed = self.space.relaxed_value(s, weighted=self.weighted)
            wmax = Fraction(1)
            for sc in self.model.global_soft:
                k = len(sc.pattern.nodes)
                wmax *= max(Fraction(1), Fraction(sc.weight)) ** math.perm(s.n, k) if k <= s.n else 1
            acceptance = Fraction(exact) / Fraction(relaxed) / wmax if relaxed else Fraction(0)
            if check and self.model.has_global and not self.model.sampler_marks and acceptance < MIN_ACCEPTANCE:
                raise GasError(
                    f"exact rejection sampling would accept only {float(acceptance):.2e} of the proposals on "
                    f"structure {s.shape} (global constraints: {self.space._too_large_message(self.model).split(': ', 1)[-1]}); "
                    "refusing rather than running for a very long time")
            f = self._fills[si] = _Fill(s, self.factors, self.model, self.distribution == "per-structure",
                                        acceptance, wmax)
            if self.model.sampler_marks:
                self._mark_fill(f, exact, check)
        return f

    def _mark_fill(self, fill: _Fill, exact, check: bool = True) -> None:
        """Marked-match proposals for required one-node / one-edge patterns.

        Rejection against "no match" would almost never accept when matches are rare (a seed graph).
        Instead draw (g, a marked match of every required pattern, a labelling fixed by g that has
        them) ∝ weight: a scene then comes ∝ w · |Stab| · Π m_i (m_i its number of matches of
        pattern i), and accepting with probability 1 / Π m_i makes it ∝ w exactly.  The marks pin a
        label restriction on one vertex or edge cycle, so every count stays a product form.
        """
        if fill.g_cat is None:
            fill.proposal = fill.acceptance = Fraction(0)
            return
        prof_weights = []
        for ix, size in zip(fill.g_lists, fill.g_sizes):
            prof_weights.append(size * self._marks(fill, ix[0])[2])
        if not any(prof_weights):  # no labelling of this structure has the required matches
            fill.proposal = fill.acceptance = Fraction(0)
            return
        fill.g_cat = IntCategorical(_scaled_ints(prof_weights))
        proposal = Fraction(sum(prof_weights, 0), sum(fill.g_sizes)) * fill.wmax  # sizes sum to the group order
        fill.proposal = proposal
        fill.acceptance = Fraction(exact) / proposal if proposal else Fraction(0)
        if check and fill.acceptance < MIN_ACCEPTANCE:
            raise GasError(f"exact sampling would accept only {float(fill.acceptance):.2e} of the marked proposals on "
                           f"structure {fill.structure.shape}; refusing rather than running for a very long time")

    def _marks(self, fill: _Fill, gi: int):
        """``(IntCategorical over mark choices, plans, total weight)`` for automorphism ``gi`` (cached)."""
        key = ("marks", gi)
        hit = fill.quotients.get(key)
        if hit is not None:
            return hit
        s = fill.structure
        q = quotient(s.n, s.attributes, s.edges, fill.automorphisms[gi])
        where = [0] * s.n
        for c, cyc in enumerate(q.vcycles):
            for v in cyc:
                where[v] = c
        positions = []
        for (kind, r), _ in self.model.sampler_marks:
            if kind == "v":
                positions.append([("v", c, r, len(cyc)) for c, cyc in enumerate(q.vcycles)])
            else:
                positions.append([("e", e, r, L) for e, (_, _, L, _) in enumerate(q.ecycles)])
        weights, plans = [], []
        for combo in itertools.product(*positions):
            vres: dict[int, int] = {}
            eres: dict[int, tuple] = {}
            mult = 1
            for kind, idx, r, ln in combo:
                mult *= ln
                if kind == "v":
                    vres[idx] = vres.get(idx, 0) | r
                else:
                    eres[idx] = tuple(sorted(set(eres.get(idx, ()) + (r,))))
            fix = 1
            comps = []
            for ckey, cyc_ids in q.components:
                pos = {c: k for k, c in enumerate(cyc_ids)}
                if any(c in vres for c in cyc_ids) or any(q.ecycles[e][0] in pos for e in eres):
                    ckey = (tuple((q.vkey[c][0], q.vkey[c][1], vres.get(c, 0)) for c in cyc_ids),
                            tuple(sorted((pos[i], pos[j], L, eres.get(e, ()))
                                         for e, (i, j, L, _) in enumerate(q.ecycles) if i in pos)))
                comp = self.factors.component(ckey)
                fix *= comp.value
                steps = [(i, v, nbrs, gathered) for i, (v, nbrs, gathered) in enumerate(comp.steps)][::-1]
                comps.append((ckey, cyc_ids, steps))
            w = mult * fix
            if w:
                weights.append(w)
                plans.append((comps, q.vkey, where, q.ecycles, eres))
        total = sum(weights, 0)
        hit = fill.quotients[key] = (IntCategorical(_scaled_ints(weights)) if weights else None, plans, total)
        return hit

    # -- drawing -------------------------------------------------------------------
    def sample_chunk(self, seed: int, chunk: int, size: int) -> list[Scene]:
        """``size`` scenes, a pure function of ``(seed, chunk, size)``.

        Examples
        --------
        >>> from gas_solver.taxonomy import load_taxonomy
        >>> from gas_solver.constraints.model import ConstraintSpec
        >>> s = Sampler(ConstraintSpec(), load_taxonomy("tests/data/toy.toml"))
        >>> s.sample_chunk(7, 0, 5) == s.sample_chunk(7, 0, 5)
        True
        """
        if self._raw is None:
            return self._sample_chunk(seed, chunk, size)
        # The candidate stream of chunk c is the concatenation of the relaxed space's chunks
        # (c * _RAW_STRIDE + k); the first ``size`` candidates that pass the raw rules are kept.
        out: list[Scene] = []
        for k in range(_RAW_STRIDE):
            for sc in self._sample_chunk(seed, chunk * _RAW_STRIDE + k, CHUNK_SIZE):
                if self._raw.accepts(sc):
                    out.append(sc)
                    if len(out) == size:
                        return out
            if k == 0 and not out and size:
                raise GasError(f"no scene among {CHUNK_SIZE} exact draws of the space without raw ASP rules passed "
                               "the rules; the raw rules leave too small a part of the space for rejection sampling")
        raise GasError("raw ASP rules accept too few scenes for rejection sampling")

    def _sample_chunk(self, seed: int, chunk: int, size: int) -> list[Scene]:
        if not self.model.has_global:
            # product-form space: vectorised batches per (structure, automorphism); a chunk is always
            # drawn whole and cut, so that chunk i's first k scenes do not depend on the size asked for
            rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed & _MASK64, chunk, 1])))
            # the batch allocates ~10^5 acyclic objects: the cyclic garbage collector would only rescan
            # the sampler's tables over and over
            enabled = gc.isenabled()
            gc.disable()
            try:
                return self._draw_batch(rng, max(size, CHUNK_SIZE))[:size]
            finally:
                if enabled:
                    gc.enable()
        if self._batch_reject is not None:
            return self._sample_chunk_rejecting(seed, chunk, size)
        # One exact integer RNG per chunk (``random.Random.randrange`` is exactly uniform for any bound);
        # scenes are drawn one after the other, with exact rejection for the global constraints.
        state = np.random.SeedSequence([seed & _MASK64, chunk]).generate_state(4, dtype=np.uint64)
        rnd = random.Random(int.from_bytes(state.tobytes(), "little"))
        modality = self.spec.bounds.modality
        pick = _pick
        struct_cat = self._struct_cat
        out = []
        for _ in range(size):
            objs, rels = self._draw_graph(self._keep[pick(struct_cat, rnd)], rnd)
            out.append(Scene(objs, rels, self._draw_scene_attributes(rnd), modality))
        return out

    def _sample_chunk_rejecting(self, seed: int, chunk: int, size: int) -> list[Scene]:
        """Global constraints without marks, uniform or weighted law: numpy batches over the local space
        (structures ∝ their local counts), each scene kept iff it meets the global constraints.

        Uniform (weighted) over the local space, filtered, is uniform (weighted) over the file's space.
        The proposal stream of a chunk does not depend on ``size``, so chunks stay prefix-stable.
        """
        cat, keep = self._batch_reject
        model = self.model
        out: list[Scene] = []
        enabled = gc.isenabled()
        gc.disable()
        try:
            for sub in range(_RAW_STRIDE):
                rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed & _MASK64, chunk, 2, sub])))
                marked = bool(model.sampler_marks)
                scenes, labels = self._draw_batch(rng, CHUNK_SIZE, cat, keep, with_labels=True, marked=marked)
                for sc, lab_v in zip(scenes, labels):
                    if not model.repeat_objects and len({o.concept for o in sc.objects}) < len(sc.objects):
                        continue
                    rels = sc.relations
                    edges = [(r.subject, r.object) for r in rels]
                    atoms = [1 << self._pred_bit[r.predicate] for r in rels]
                    ok, _ = model.check(len(sc.objects), lab_v, edges, atoms)
                    if ok and marked:  # marked proposals weigh a scene by its matches: keep 1 in Π m
                        lbs = [model.labels[x] for x in lab_v]
                        mult = 1
                        for _, pattern in model.sampler_marks:
                            mult *= model.matches(pattern, len(sc.objects), lbs, edges, atoms)
                        ok = mult == 1 or int(rng.integers(0, mult)) == 0
                    if ok:
                        out.append(sc)
                        if len(out) == size:
                            return out
        finally:
            if enabled:
                gc.enable()
        raise GasError("the global constraints accept too few draws of the local space")

    def sample(self, n: int, seed: int = 0, *, unique: bool = False, workers: int = 1) -> list[Scene]:
        """``n`` scenes drawn by chunks of :data:`CHUNK_SIZE`, concatenated in chunk order.

        With ``unique=True`` the draws are deduplicated by canonical id in order
        (sampling without replacement) until ``n`` distinct scenes are found.
        The output depends on ``(n, seed, unique)`` only, not on ``workers``, and
        the first ``n`` scenes of a longer run are the ``n`` scenes of a shorter one.
        """
        return list(self.iter_sample(n, seed, unique=unique, workers=workers))

    def iter_sample(self, n: int, seed: int = 0, *, unique: bool = False, workers: int = 1) -> Iterator[Scene]:
        """Like :meth:`sample`, yielding scenes as chunks complete (for streaming output)."""
        return self.map_chunks(n, seed, None, unique=unique, workers=workers)

    def map_chunks(self, n: int, seed: int, fn, *, unique: bool = False, workers: int = 1,
                   key=None) -> Iterator:
        """Draw like :meth:`sample`, applying ``fn`` (a module-level function ``list[Scene] -> list``) to each
        chunk inside the workers, and yield its items in order.

        Lets callers move per-scene work (JSON rows, captions) into the worker processes.  With
        ``unique=True``, ``key(item)`` must give the scene's canonical id (default: ``canonical_id``
        of the item, which then must be a Scene).
        """
        if n < 0:
            raise GasError("the number of scenes must be >= 0")
        if unique and self.total is not None and n > self.total:
            raise GasError(f"asked for {n} distinct scenes but the space has only {self.total}")
        key = key or canonical_id
        workers = max(1, int(workers))
        done = 0
        stale = 0
        seen: set[str] = set()
        chunk = 0
        pool = _pool(self, workers, fn) if workers > 1 and n > CHUNK_SIZE else None
        try:
            while done < n:
                need = n - done
                # chunk sizes never depend on the worker count, and a chunk's first k scenes are
                # the scenes of a chunk of size k: output is the same for any number of workers
                k = workers if unique else math.ceil(need / CHUNK_SIZE)
                jobs = []
                for i in range(k):
                    size = CHUNK_SIZE if unique else min(CHUNK_SIZE, need - i * CHUNK_SIZE)
                    jobs.append((seed, chunk + i, size))
                chunk += len(jobs)
                if pool is not None:
                    results = pool.imap(_worker_chunk_args, jobs)
                else:
                    results = (self.sample_chunk(*j) if fn is None else fn(self.sample_chunk(*j)) for j in jobs)
                before = done
                for items in results:
                    for item in items:
                        if unique:
                            cid = key(item)
                            if cid in seen:
                                continue
                            seen.add(cid)
                        yield item
                        done += 1
                        if done == n:
                            break
                    if done == n:
                        break
                if unique:
                    stale = stale + 1 if done == before else 0
                    if stale >= 20:  # only reachable when the space size is unknown (raw ASP rules)
                        raise GasError(f"found only {done} distinct scenes after {chunk} chunks of draws; "
                                       f"the space seems to hold fewer than {n}")
        finally:
            if pool is not None:
                pool.terminate()
                pool.join()

    # -- vectorised batches (product-form spaces) ------------------------------------
    def _draw_batch(self, rng: np.random.Generator, size: int, struct_cat=None, keep=None, *,
                    with_labels: bool = False, marked: bool = False):
        """``size`` scenes with numpy: every choice an exact integer draw, batched by structure,
        automorphism, vertex label and edge label pair; Python only assembles the Scene objects.

        ``struct_cat``/``keep`` choose the structures (default: the sampler's law); with
        ``with_labels`` the vertex labels of every scene come back too (for global checks).
        """
        struct_cat = self._struct_cat if struct_cat is None else struct_cat
        keep = self._keep if keep is None else keep
        picks = struct_cat.draw(rng, size)
        groups = []  # (positions, plan, labels array)
        for p, pos in _groups(picks):
            fill = self._fill(keep[p], check=not with_labels)
            if fill.g_cat.n == 1 and len(fill.g_lists[0]) == 1:
                # a single automorphism to draw from: no draw (a one-way categorical draws nothing)
                g_sel = [(fill.g_lists[0][0], pos)]
            else:
                prof = fill.g_cat.draw(rng, len(pos))
                gi = np.empty(len(pos), dtype=np.int64)
                for q in np.unique(prof).tolist():
                    sel = np.flatnonzero(prof == q)
                    lst = fill.g_lists[q]
                    gi[sel] = lst[0] if len(lst) == 1 else np.asarray(lst, dtype=np.int64)[rng.integers(0, len(lst), len(sel))]
                g_sel = [(g, pos[gi == g]) for g in np.unique(gi).tolist()]
            for g, sel_g in g_sel:
                if marked:  # a marked match of every required pattern, ∝ weight (see _mark_fill)
                    mcat, plans, _ = self._marks(fill, g)
                    mi = mcat.draw(rng, len(sel_g))
                    choices = [(sel_g[mi == m], plans[m]) for m in np.unique(mi).tolist()]
                else:
                    choices = [(sel_g, self._plan(fill, g) + ({},))]
                for sel, (comps, vkey, where, ecycles, eres) in choices:
                    labs = np.empty((len(sel), len(vkey)), dtype=np.int64)
                    for key, cyc_ids, steps in comps:
                        labs[:, list(cyc_ids)] = self._component_batch(key, steps, len(sel), rng)
                    groups.append((sel, (comps, vkey, where, ecycles), labs, eres))
        # objects: one batch per (vertex label, slots) over the whole chunk; the requests' constant
        # columns (slots, edge length and restriction) are repeated once at the end, not per group
        obj_req_lab, obj_slots, obj_lens = [], [], []
        pred_l1, pred_l2, pred_lr, pred_lens = [], [], [], []
        for sel, (comps, vkey, where, ecycles), labs, eres in groups:
            k = len(sel)
            for c, (slots, _) in enumerate(vkey):
                obj_req_lab.append(labs[:, c])
                obj_slots.append(slots)
                obj_lens.append(k)
            for e, (i, j, L, _) in enumerate(ecycles):
                pred_l1.append(labs[:, i])
                pred_l2.append(labs[:, j])
                pred_lr.append(L * 4096 + self._restriction_id(eres.get(e, ())))
                pred_lens.append(k)
        objects = self._objects_batch(np.concatenate(obj_req_lab),
                                      np.repeat(np.array(obj_slots, dtype=np.int64), obj_lens), rng)
        if pred_l1:
            # the request code of _predicates_batch: ((l1 * M + l2) * 64 + L) * 4096 + restriction
            code = ((np.concatenate(pred_l1) * self.model.M + np.concatenate(pred_l2)) * (64 * 4096)
                    + np.repeat(np.array(pred_lr, dtype=np.int64), pred_lens))
            preds = self._predicates_batch(code, rng)
        else:
            preds = []
        sattrs = self._scene_attributes_batch(rng, size)
        modality = self.spec.bounds.modality
        out: list = [None] * size
        oi = pi = 0
        for sel, (comps, vkey, where, ecycles), labs, _ in groups:
            k = len(sel)
            cyc_objs = [objects[oi + c * k: oi + (c + 1) * k] for c in range(len(vkey))]
            oi += k * len(vkey)
            cyc_preds = [preds[pi + e * k: pi + (e + 1) * k] for e in range(len(ecycles))]
            pi += k * len(ecycles)
            # edges in (subject, object) order, so relation tuples come out sorted
            order = sorted((u, v, e) for e, (_, _, _, orbit) in enumerate(ecycles) for u, v in orbit)
            rows_objs = zip(*[cyc_objs[w] for w in where])  # one tuple of objects per scene, built in C
            if order:
                rel_cols = []
                for u, v, e in order:
                    rels_uv = _RELS_UV.get((u, v))
                    if rels_uv is None:
                        rels_uv = _RELS_UV[(u, v)] = {}
                    rel_cols.append([rels_uv.get(pred) or _add_relation(rels_uv, u, v, pred) for pred in cyc_preds[e]])
                rows_rels = zip(*rel_cols)
            else:
                rows_rels = itertools.repeat(())
            _assemble_scenes(out, sel.tolist(), rows_objs, rows_rels, sattrs, modality)
        if with_labels:
            labels: list = [None] * size
            for sel, (comps, vkey, where, ecycles), labs, _ in groups:
                for p, row in zip(sel.tolist(), labs[:, where].tolist()):
                    labels[p] = row
            return out, labels
        return out

    def _component_batch(self, key, steps, k: int, rng) -> np.ndarray:
        vals = np.zeros((k, len(key[0])), dtype=np.int64)
        for si, v, nbrs, gathered in steps:
            if not nbrs:
                vals[:, v] = self._table((key, si, ()), gathered, v, {}).draw(rng, k)
            elif len(nbrs) == 1:
                tkey = ("rows", key, si)
                rows = self._tables.get(tkey)
                if rows is None:
                    u = nbrs[0]
                    rows = self._tables[tkey] = RowCategorical(
                        [self._weights(gathered, v, {u: x}) for x in range(self.model.M)])
                vals[:, v] = rows.draw(rng, vals[:, nbrs[0]])
            else:  # two or more conditioning variables (cycles in the quotient): one table per value tuple
                cond = vals[:, list(nbrs)]
                uniq, inv = np.unique(cond, axis=0, return_inverse=True)
                inv = inv.reshape(-1)
                for j, row in enumerate(uniq.tolist()):
                    sel = np.flatnonzero(inv == j)
                    cat = self._table((key, si, tuple(row)), gathered, v, dict(zip(nbrs, row)))
                    vals[sel, v] = cat.draw(rng, len(sel))
        return vals

    @staticmethod
    def _weights(gathered, v, at: dict) -> list:
        w = None
        for scope, f in gathered:
            col = f[tuple(slice(None) if u == v else at[u] for u in scope)]
            w = col if w is None else w * col
        return w.tolist()

    def _objects_batch(self, labs: np.ndarray, slots: np.ndarray, rng) -> list:
        """A uniform (concept, attribute set) per request, decoded in mixed radix from one exact integer.

        The draws are those of :meth:`_objects_by_group` (one ``integers(0, total, m)`` per
        (label, slots) code in ascending order, positions ascending within a code), made by one
        numpy call with a bound per request (the same stream), and decoded for all groups at once:
        per-request radices (a radix of 1 where a group has fewer types), and one searchsorted of
        the free-type subsets over every group's cumulative table, each shifted above the
        previous groups' totals.  Groups beyond int64 (or with more than :data:`_KP` types of a
        kind) take the per-group path for the whole batch.
        """
        n = len(labs)
        if not n:
            return []
        code = labs * 64 + slots
        order = np.argsort(code, kind="stable")
        ordered = code[order]
        cuts = [0] + (np.flatnonzero(ordered[1:] != ordered[:-1]) + 1).tolist() + [n]
        firsts = ordered[cuts[:-1]].tolist()
        plans = self._obj_plans
        group_plans = []
        tots, ncs, cstarts, pcnts, pstarts, offs, cums, prevs, subcnts, substarts = [], [], [], [], [], [], [], [], [], []
        off = maxp = maxf = 0
        for cd in firsts:
            t = plans.get(cd)
            if t is None:
                t = plans[cd] = self._vec_object_plan(cd)
            if not t:
                return self._objects_by_group(labs, slots, rng)
            total, nc, cstart, pcnt, pstart, np_, kf, cum, prev, subcnt, substart, ftot = t
            if off + ftot >= 1 << 62:
                return self._objects_by_group(labs, slots, rng)
            group_plans.append((np_, kf))
            tots.append(total)
            ncs.append(nc)
            cstarts.append(cstart)
            pcnts.append(pcnt)
            pstarts.append(pstart)
            offs.append(off)
            cums.append(cum)
            prevs.append(prev)
            subcnts.append(subcnt)
            substarts.append(substart)
            off += ftot
            maxp = max(maxp, np_)
            maxf = max(maxf, kf)
        cnt = np.diff(cuts)
        r = rng.integers(0, np.repeat(np.array(tots, dtype=np.int64), cnt))
        r, ci = np.divmod(r, np.repeat(np.array(ncs, dtype=np.int64), cnt))
        name_idx = ci + np.repeat(np.array(cstarts, dtype=np.int64), cnt)
        cols = []
        if maxp:
            pc = np.repeat(np.array(pcnts, dtype=np.int64), cnt, axis=0)
            ps = np.repeat(np.array(pstarts, dtype=np.int64), cnt, axis=0)
            for j in range(maxp):
                r, vi = np.divmod(r, pc[:, j])
                cols.append(vi + ps[:, j])
        if maxf:
            offs_a = np.array(offs, dtype=np.int64)
            flat = np.concatenate(cums) + np.repeat(offs_a, [len(c) for c in cums])
            si = np.searchsorted(flat, r + np.repeat(offs_a, cnt), side="right")
            r = r - np.concatenate(prevs)[si]
            sc = np.concatenate(subcnts)[si]
            ss = np.concatenate(substarts)[si]
            for j in range(maxf):
                r, vi = np.divmod(r, sc[:, j])
                cols.append(vi + ss[:, j])
        # the global lists as object arrays (rebuilt when plans were added): a take and a tolist per
        # column copy references in C, with no Python int per index
        arrs = self._vo_arrays
        if len(arrs[0]) != len(self._vo_names) or len(arrs[1]) != len(self._vo_attrs):
            arrs = self._vo_arrays = tuple(np.fromiter(lst, dtype=object, count=len(lst))
                                           for lst in (self._vo_names, self._vo_attrs, self._vo_bare))
        names_arr, attrs_arr, bare_arr = arrs
        acols = [attrs_arr[c].tolist() for c in cols]
        rows: list = []
        for g, (np_, kf) in enumerate(group_plans):
            a, b = cuts[g], cuts[g + 1]
            if not np_ and not kf:
                rows += [()] * (b - a)
                continue
            used = [c[a:b] for c in acols[:np_]] + [c[a:b] for c in acols[maxp:maxp + kf]]
            if np_ and kf:  # constrained and free types interleave: sort
                rows += [tuple(sorted(x)) for x in zip(*used)]
            else:  # present-only or free-only attributes come sorted by type already
                rows += zip(*used)
        # objects come in request-code order: back to request order (out[order[k]] = objs[k])
        inv = np.empty(n, dtype=np.int64)
        inv[order] = np.arange(n, dtype=np.int64)
        return _assemble_objects(names_arr[name_idx].tolist(), bare_arr[name_idx].tolist(), rows, inv.tolist())

    def _vec_object_plan(self, kd: int):
        """Per (label, slots) code: the tables of :meth:`_objects_batch` in global index form, or None."""
        lab, sl = divmod(kd, 64)
        total, concepts, present_attrs, cum, prev, sub_types, sub_counts, free_attrs = self._vec_object_table(lab, sl)
        kf = 0 if cum is None else sub_types.shape[1]
        if total >= 1 << 62 or len(present_attrs) > _KP or kf > _KP:
            return None
        names, attrs = self._vo_names, self._vo_attrs
        cstart = len(names)
        names.extend(concepts)
        if present_attrs or kf:
            self._vo_bare.extend([None] * len(concepts))
        else:
            self._vo_bare.extend([SceneObject(c, ()) for c in concepts])
        pcnt, pstart = [1] * _KP, [0] * _KP  # a radix of 1 decodes nothing (value 0, the None at index 0)
        for j, vals in enumerate(present_attrs):
            pcnt[j] = len(vals)
            pstart[j] = len(attrs)
            attrs.extend(vals)
        fstart = []
        for vals in free_attrs:
            fstart.append(len(attrs))
            attrs.extend(vals)
        subcnt = np.ones((1 if cum is None else len(cum), _KP), dtype=np.int64)
        substart = np.zeros_like(subcnt)
        if cum is None:  # no free types: r is 0 here, and a table [1] finds subset 0 of no types
            cum, prev, ftot = np.ones(1, dtype=np.int64), np.zeros(1, dtype=np.int64), 1
        else:
            subcnt[:, :kf] = sub_counts[sub_types]
            substart[:, :kf] = np.array(fstart, dtype=np.int64)[sub_types]
            ftot = int(cum[-1])
        return (total, len(concepts), cstart, pcnt, pstart, len(present_attrs), kf, cum, prev, subcnt, substart, ftot)

    def _objects_by_group(self, labs: np.ndarray, slots: np.ndarray, rng) -> list:
        """:meth:`_objects_batch` one (label, slots) group at a time (any total, exact Python draws beyond int64)."""
        out: list = [None] * len(labs)
        for kd, sel in _groups(labs * 64 + slots):
            lab, sl = divmod(kd, 64)
            t = self._vec_object_table(lab, sl)
            total, concepts, present_attrs, cum, prev, sub_types, sub_counts, free_attrs = t
            m = len(sel)
            if total >= 1 << 62:  # beyond int64: exact Python draws
                rnd = random.Random(int(rng.integers(0, 1 << 62)))
                for i in sel.tolist():
                    out[i] = self._draw_object(lab, sl, rnd)
                continue
            r = rng.integers(0, total, m)
            r, ci = np.divmod(r, len(concepts))
            cols = []
            for attrs in present_attrs:
                r, vi = np.divmod(r, len(attrs))
                cols.append([attrs[x] for x in vi.tolist()])
            if cum is not None:
                si = np.searchsorted(cum, r, side="right")
                r = r - prev[si]
                for j in range(sub_types.shape[1]):
                    ts = sub_types[si, j]
                    r, vi = np.divmod(r, sub_counts[ts])
                    cols.append([free_attrs[a][b] for a, b in zip(ts.tolist(), vi.tolist())])
            names = [concepts[x] for x in ci.tolist()]
            sel_l = sel.tolist()
            if not cols:
                rows = itertools.repeat(())
            elif present_attrs and cum is not None:  # constrained and free types interleave: sort
                rows = (tuple(sorted(a)) for a in zip(*cols))
            else:  # present-only or free-only attributes come sorted by type already
                rows = zip(*cols)
            for i, name, attrs in zip(sel_l, names, rows):
                o = _new(SceneObject)
                _SET_CONCEPT(o, name)
                _SET_ATTRIBUTES(o, attrs)
                out[i] = o
        return out

    def _vec_object_table(self, lab: int, slots: int):
        key = ("vobj", lab, slots)
        hit = self._attr_cache.get(key)
        if hit is None:
            lb = self.model.labels[lab]
            concepts = self.domain.classes[lb.cls].concepts
            present_attrs = [[_attr(t, v) for v in vals] for t, vals in lb.present]
            free_attrs = [[_attr(t, v) for v in vals] for t, vals in lb.free]
            kf = slots - len(lb.present)
            cum = prev = sub_types = None
            sub_counts = np.array([len(v) for _, v in lb.free], dtype=np.int64)
            free_total = 1
            if kf > 0:
                combos = list(itertools.combinations(range(len(lb.free)), kf))
                w = [math.prod(int(sub_counts[i]) for i in c) for c in combos]
                free_total = sum(w)
                acc = list(itertools.accumulate(w))
                if free_total < 1 << 62:
                    cum = np.array(acc, dtype=np.int64)
                    prev = np.concatenate([[0], cum[:-1]])
                    sub_types = np.array(combos, dtype=np.int64).reshape(len(combos), kf)
            total = len(concepts) * lb.mult * free_total
            if kf > 0 and cum is None:
                total = 1 << 62  # force the exact Python path
            hit = self._attr_cache[key] = (total, concepts, present_attrs, cum, prev, sub_types, sub_counts, free_attrs)
        return hit

    def _predicates_batch(self, code: np.ndarray, rng) -> list:
        """A predicate name per request ``code = ((l1 * M + l2) * 64 + L) * 4096 + restriction``.

        The draws are those of one ``IntCategorical.draw`` per distinct code in ascending order
        (positions ascending within a code), made by a single numpy call: ``integers`` with one
        bound per request gives the same stream as one call per bound (the same Lemire draw per
        element), and one ``searchsorted`` over the groups' cumulative tables, each shifted above
        the previous groups' totals, finds every index at once.  Tables whose top bits do not
        decide every draw (totals of 2**62 and more) take the per-group path instead.
        """
        n = len(code)
        if not n:
            return []
        order = np.argsort(code, kind="stable")
        ordered = code[order]
        cuts = [0] + (np.flatnonzero(ordered[1:] != ordered[:-1]) + 1).tolist() + [n]
        firsts = ordered[cuts[:-1]].tolist()
        tables = self._pred_tables
        highs, offs, cqs, lens, names_all = [], [], [], [], []
        off = 0
        for cd in firsts:
            t = tables.get(cd)
            if t is None:
                t = tables[cd] = self._pred_table(cd)
            names, cat, high, tot = t
            if high is None or off + tot >= 1 << 62:
                return self._predicates_by_group(code, order, cuts, firsts, rng)
            highs.append(high)
            offs.append(off)
            cqs.append(cat.cq)
            lens.append(len(names))
            names_all += names
            off += tot
        offs_a = np.array(offs, dtype=np.int64)
        r = rng.integers(0, np.repeat(np.array(highs, dtype=np.int64), np.diff(cuts)))
        flat = np.concatenate(cqs) + np.repeat(offs_a, lens)
        idx = np.empty(n, dtype=np.int64)
        idx[order] = np.searchsorted(flat, r + np.repeat(offs_a, np.diff(cuts)), side="right")
        return [names_all[x] for x in idx.tolist()]

    def _pred_table(self, cd: int) -> tuple:
        """``(names, IntCategorical, bound of the draw or None, total of the flat table)`` of a request code."""
        rest, r = divmod(cd, 4096)
        rest, L = divmod(rest, 64)
        l1, l2 = divmod(rest, self.model.M)
        key = ("vpred", l1, l2, L, r)
        t = self._attr_cache.get(key)
        if t is None:
            opts = self.model.edge_atom_weights(l1, l2, L, self._restrictions[r])
            names, weights = [], []
            for (mask, _, _), w in zip(opts, _scaled_ints([w for _, _, w in opts])):
                for pname in self.domain.mask_predicates(mask):
                    names.append(pname)
                    weights.append(w)
            t = self._attr_cache[key] = (names, IntCategorical(weights))
        names, cat = t
        if cat.n == 1:  # no draw (a bound of 1 draws nothing either); any positive total keeps r = 0 inside
            return names, cat, 1, int(cat.cq[-1])
        if cat.shift:
            return names, cat, None, 0
        return names, cat, cat.total, cat.total

    def _predicates_by_group(self, code, order, cuts, firsts, rng) -> list:
        """The per-group path of :meth:`_predicates_batch` (any table, ambiguous top bits resolved)."""
        out: list = [None] * len(code)
        for g, cd in enumerate(firsts):
            sel = order[cuts[g]:cuts[g + 1]]
            names, cat = self._pred_tables[cd][:2]
            idx = cat.draw(rng, len(sel)).tolist()
            for i, x in zip(sel.tolist(), idx):
                out[i] = names[x]
        return out

    def _restriction_id(self, restrict: tuple) -> int:
        """A small integer per edge restriction (marked edge patterns), for batching predicate draws."""
        r = self._restriction_ids.get(restrict)
        if r is None:
            r = self._restriction_ids[restrict] = len(self._restrictions)
            self._restrictions.append(restrict)
            if r >= 4096:
                raise GasError("too many distinct marked edge restrictions")
        return r

    def _scene_attributes_batch(self, rng, size: int) -> list:
        t = self._scene_attr_table
        if t is None:
            return [()] * size
        opts, combos, cat = t
        vt = self._attr_cache.get("vsattr")
        if vt is None:
            width = max((len(c) for c in combos), default=0)
            types = np.zeros((len(combos), max(width, 1)), dtype=np.int64)
            radix = np.ones((len(combos), max(width, 1)), dtype=np.int64)
            for k, c in enumerate(combos):
                for j, i in enumerate(c):
                    types[k, j] = i
                    radix[k, j] = len(opts[i][1])
            objs = [[_sattr(tid, v) for v in vals] for tid, vals in opts]
            flat = [a for vals in objs for a in vals]
            starts = np.array([0] + list(itertools.accumulate(len(v) for v in objs))[:-1], dtype=np.int64)
            vt = self._attr_cache["vsattr"] = (np.array([len(c) for c in combos]), types, radix, objs, flat,
                                               starts[types])
        lens, types, radix, objs, flat, first = vt
        if cat.total >= 1 << 62:
            rnd = random.Random(int(rng.integers(0, 1 << 62)))
            return [self._draw_scene_attributes(rnd) for _ in range(size)]
        picks = cat.draw(rng, size)
        # values: a uniform integer below the product of the chosen types' value counts, in mixed radix
        rad = radix[picks]
        r = rng.integers(0, np.prod(rad, axis=1))
        at = first[picks]  # index in ``flat`` of each column's type's first value
        cols = []
        for j in range(types.shape[1]):
            r, v = np.divmod(r, rad[:, j])
            cols.append([flat[x] for x in (at[:, j] + v).tolist()])
        # one tuple per scene built by zip in C; combinations with fewer types than columns are cut
        out = list(zip(*cols))
        ln = lens[picks]
        for q in np.flatnonzero(ln < len(cols)).tolist():
            out[q] = out[q][:ln[q]]
        return out

    def _draw_scene_attributes(self, rnd) -> tuple:
        t = self._scene_attr_table
        if t is None:
            return ()
        opts, combos, cat = t
        out = []
        for i in combos[_pick(cat, rnd)]:
            typ, vals = opts[i]
            out.append(_sattr(typ, vals[rnd.randrange(len(vals))]))
        return tuple(out)

    def _draw_graph(self, si: int, rnd) -> tuple:
        """One accepted graph (objects, relations) on structure ``si`` (exact rejection for global constraints)."""
        fill = self._fill(si)
        model = self.model
        check = model.has_global
        marked = bool(model.sampler_marks)
        n = fill.structure.n
        while True:
            p = _pick(fill.g_cat, rnd)
            lst = fill.g_lists[p]
            gi = lst[rnd.randrange(len(lst))] if len(lst) > 1 else lst[0]
            if marked:
                mcat, plans, _ = self._marks(fill, gi)
                comps, vkey, where, ecycles, eres = plans[_pick(mcat, rnd)]
            else:
                comps, vkey, where, ecycles = self._plan(fill, gi)
                eres = {}
            labs = [0] * len(vkey)
            for key, cyc_ids, steps in comps:
                vals = [0] * len(cyc_ids)
                for si_, v, nbrs, gathered in steps:
                    tkey = (key, si_, tuple([vals[u] for u in nbrs]))
                    cat = self._tables.get(tkey)
                    if cat is None:
                        cat = self._table(tkey, gathered, v, dict(zip(nbrs, tkey[2])))
                    vals[v] = _pick(cat, rnd)
                for local, cyc in enumerate(cyc_ids):
                    labs[cyc] = vals[local]
            cyc_objs = [self._draw_object(labs[c], vkey[c][0], rnd) for c in range(len(vkey))]
            objs = tuple([cyc_objs[w] for w in where])
            rels = []
            for e, (i, j, L, orbit) in enumerate(ecycles):
                pred = self._draw_predicate(labs[i], labs[j], L, rnd, eres.get(e, ()))
                for u, v in orbit:
                    rels.append(Relation(u, v, pred))
            if not check:
                return objs, tuple(rels)
            if not model.repeat_objects and len({o.concept for o in objs}) < n:
                continue
            atoms = [1 << self._pred_bit[r.predicate] for r in rels]
            lab_v = [labs[w] for w in where]
            edges = [(r.subject, r.object) for r in rels]
            ok, gw = model.check(n, lab_v, edges, atoms)
            if ok and model.global_soft:
                ratio = gw / fill.wmax
                ok = rnd.randrange(ratio.denominator) < ratio.numerator
            if ok and marked:
                lbs = [model.labels[x] for x in lab_v]
                m = 1
                for _, pattern in model.sampler_marks:
                    m *= model.matches(pattern, n, lbs, edges, atoms)
                ok = rnd.randrange(m) == 0
            if ok:
                return objs, tuple(rels)

    def _plan(self, fill: _Fill, gi: int):
        """Per automorphism: components with their elimination steps in sampling order, cycles, edge cycles."""
        plan = fill.quotients.get(gi)
        if plan is None:
            s = fill.structure
            q = quotient(s.n, s.attributes, s.edges, fill.automorphisms[gi])
            comps = []
            for key, cyc_ids in q.components:
                comp = self.factors.component(key)
                steps = [(i, v, nbrs, gathered) for i, (v, nbrs, gathered) in enumerate(comp.steps)][::-1]
                comps.append((key, cyc_ids, steps))
            where = [0] * s.n
            for c, cyc in enumerate(q.vcycles):
                for v in cyc:
                    where[v] = c
            plan = fill.quotients[gi] = (comps, q.vkey, where, q.ecycles)
        return plan

    def _table(self, tkey, gathered, v, at: dict) -> IntCategorical:
        cat = self._tables.get(tkey)
        if cat is None:
            w = None
            for scope, f in gathered:
                idx = tuple(slice(None) if u == v else at[u] for u in scope)
                col = f[idx]
                w = col if w is None else w * col
            cat = self._tables[tkey] = IntCategorical(w.tolist())
        return cat

    def _draw_object(self, lab: int, slots: int, rnd) -> SceneObject:
        """A uniform (concept, attribute set) of vertex label ``lab`` with ``slots`` attributes.

        One exact ``randrange`` over all the choices, decoded in mixed radix:
        concept, the present types' values, then the free types' subset (by
        its cumulative weight) and their values.
        """
        spec = self._label_spec.get((lab, slots))
        if spec is None:
            spec = self._label_spec[(lab, slots)] = self._object_table(lab, slots)
        total, concepts, present, cum, subsets = spec
        r = rnd.randrange(total)
        r, ci = divmod(r, len(concepts))
        attrs = []
        for typ, vals in present:
            r, vi = divmod(r, len(vals))
            attrs.append(_attr(typ, vals[vi]))
        if subsets:
            k = bisect.bisect_right(cum, r)
            r -= cum[k - 1] if k else 0
            for typ, vals in subsets[k]:
                r, vi = divmod(r, len(vals))
                attrs.append(_attr(typ, vals[vi]))
        return _obj(concepts[ci], tuple(attrs))

    def _object_table(self, lab: int, slots: int):
        lb = self.model.labels[lab]
        concepts = self.domain.classes[lb.cls].concepts
        kf = slots - len(lb.present)
        subsets, cum, acc = [], [], 0
        if kf > 0:
            for combo in itertools.combinations(lb.free, kf):
                w = math.prod(len(v) for _, v in combo)
                acc += w
                subsets.append(combo)
                cum.append(acc)
        total = len(concepts) * lb.mult * (acc if kf > 0 else 1)
        return total, concepts, lb.present, cum, subsets

    def _draw_predicate(self, l1: int, l2: int, length: int, rnd, restrict: tuple = ()) -> str:
        key = (l1, l2, length, restrict)
        hit = self._attr_cache.get(key)
        if hit is None:
            opts = self.model.edge_atom_weights(l1, l2, length, restrict)
            preds = [self.domain.mask_predicates(m) for m, _, _ in opts]
            cat = IntCategorical(_scaled_ints([cnt * w for _, cnt, w in opts])) if len(opts) > 1 else None
            hit = self._attr_cache[key] = (preds, cat)
        preds, cat = hit
        lst = preds[_pick(cat, rnd)] if cat is not None else preds[0]
        return lst[rnd.randrange(len(lst))]


def _groups(values: np.ndarray) -> list:
    """``[(v, np.flatnonzero(values == v)) for v in np.unique(values).tolist()]`` from one stable sort.

    The batches group requests by a code with hundreds of distinct values per chunk; a scan of
    the whole array per value cost more than sorting it once.  Same values, same positions
    (ascending, as a stable sort keeps them), so the draws made per group are the same.
    """
    n = len(values)
    if n == 0:
        return []
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    cuts = [0] + (np.flatnonzero(ordered[1:] != ordered[:-1]) + 1).tolist() + [n]
    firsts = ordered[cuts[:-1]].tolist()
    return [(firsts[g], order[cuts[g]:cuts[g + 1]]) for g in range(len(firsts))]


def _pick(cat: IntCategorical, rnd) -> int:
    """One exact draw: the index whose cumulative range holds a uniform integer below the total."""
    if cat.n == 1:
        return 0
    return bisect.bisect_right(cat.cum, rnd.randrange(cat.total))


_ATTRS: dict = {}

# Hot path.  ``Scene`` and ``SceneObject`` are frozen slotted dataclasses whose ``__post_init__`` only
# sorts their tuples; the batch sampler builds those tuples already sorted, so it sets the fields directly
# (about 3x cheaper).  ``tests/solve/test_sample.py`` checks that every sampled scene equals the one the
# public constructors build.
_new = object.__new__
_set = object.__setattr__
# the slots' own setters: what ``object.__setattr__`` ends in, without its name look-up and checks
_SET_OBJECTS = Scene.__dict__["objects"].__set__
_SET_RELATIONS = Scene.__dict__["relations"].__set__
_SET_SCENE_ATTRIBUTES = Scene.__dict__["scene_attributes"].__set__
_SET_MODALITY = Scene.__dict__["modality"].__set__
_SET_KEY = Scene.__dict__["_key"].__set__
_SET_CONCEPT = SceneObject.__dict__["concept"].__set__
_SET_ATTRIBUTES = SceneObject.__dict__["attributes"].__set__
_RELS: dict = {}


def _relation(s: int, o: int, p: str) -> Relation:
    """Shared Relation values (frozen, so sharing is safe)."""
    r = _RELS.get((s, o, p))
    if r is None:
        r = _RELS[(s, o, p)] = Relation(s, o, p)
    return r
def _assemble_objects(names: list, bares: list, rows: list, inv: list) -> list:
    """``SceneObject(names[k], rows[k])`` (or the shared ``bares[k]`` where not None), listed by ``inv``.

    The batch's objects, built in request-code order and returned in request order
    (``out[i] = objs[inv[i]]``).  Typed loops in the compiled build (``sample.pxd``).
    """
    n = len(names)
    objs = [None] * n
    for k in range(n):
        o = bares[k]  # one shared object per concept of an attribute-less plan (frozen values)
        if o is None:
            o = _new(SceneObject)
            _SET_CONCEPT(o, names[k])
            _SET_ATTRIBUTES(o, rows[k])
        objs[k] = o
    out = [None] * n
    for k in range(n):
        x = inv[k]
        out[k] = objs[x]
    return out


def _assemble_scenes(out: list, positions: list, rows_objs, rows_rels, sattrs: list, modality) -> None:
    """``out[p] = Scene(objects, relations, sattrs[p], modality)`` for the rows of one batch group.

    The tuples come sorted already, so the fields are set directly (see ``_new`` above).
    """
    for p, objs, rels in zip(positions, rows_objs, rows_rels):
        sc = _new(Scene)
        _SET_OBJECTS(sc, objs)
        _SET_RELATIONS(sc, rels)
        _SET_SCENE_ATTRIBUTES(sc, sattrs[p])
        _SET_MODALITY(sc, modality)
        _SET_KEY(sc, None)
        out[p] = sc


#: (subject, object) -> predicate -> Relation: the batches' shared relations, found by one string look-up
_RELS_UV: dict = {}


def _add_relation(rels_uv: dict, s: int, o: int, p: str) -> Relation:
    r = rels_uv[p] = _relation(s, o, p)
    return r


_SATTRS: dict = {}
_OBJS: dict = {}


def _obj(concept: str, attrs: tuple) -> SceneObject:
    """Shared SceneObject values (frozen, so sharing is safe); the memo is bounded."""
    key = (concept, attrs)
    o = _OBJS.get(key)
    if o is None:
        if len(_OBJS) > 1_000_000:
            _OBJS.clear()
        o = _OBJS[key] = SceneObject(concept, attrs)
    return o


def _sattr(t: str, v: str) -> SceneAttribute:
    a = _SATTRS.get((t, v))
    if a is None:
        a = _SATTRS[(t, v)] = SceneAttribute(t, v)
    return a


def _attr(t: str, v: str) -> Attribute:
    a = _ATTRS.get((t, v))
    if a is None:
        a = _ATTRS[(t, v)] = Attribute(t, v)
    return a


# -- workers ----------------------------------------------------------------------
_WORKER_SAMPLER: Sampler | None = None
_WORKER_FN = None


def _init_worker(args) -> None:
    global _WORKER_SAMPLER, _WORKER_FN
    spec, taxonomy, kw, fn = args
    _WORKER_SAMPLER = Sampler(spec, taxonomy, **kw)
    _WORKER_FN = fn


def _worker_chunk_args(job: tuple) -> list:
    scenes = _WORKER_SAMPLER.sample_chunk(*job)
    return scenes if _WORKER_FN is None else _WORKER_FN(scenes)


def _pool(sampler: Sampler, workers: int, fn=None):
    import multiprocessing as mp

    if "fork" in mp.get_all_start_methods():
        # the forked workers inherit the sampler and its tables
        global _WORKER_SAMPLER, _WORKER_FN
        _WORKER_SAMPLER = sampler
        _WORKER_FN = fn
        return mp.get_context("fork").Pool(workers)
    kw = {"distribution": sampler.distribution, "strata": sampler.strata, "backend": sampler.backend,
          "structures": sampler._structures_arg}
    return mp.get_context("spawn").Pool(workers, initializer=_init_worker,
                                        initargs=((sampler.spec, sampler.taxonomy, kw, fn),))


def sample_scenes(spec, taxonomy, n: int, seed: int = 0, **kw) -> list[Scene]:
    """Draw ``n`` scenes of a constraint file (see :class:`Sampler` for ``distribution``, ``strata``, ...).

    Examples
    --------
    >>> from gas_solver.taxonomy import load_taxonomy
    >>> from gas_solver.constraints.model import ConstraintSpec
    >>> len(sample_scenes(ConstraintSpec(), load_taxonomy("tests/data/toy.toml"), 4, seed=3))
    4
    """
    sampler_kw = {k: kw.pop(k) for k in ("distribution", "strata", "backend", "structures") if k in kw}
    return Sampler(spec, taxonomy, **sampler_kw).sample(n, seed, **kw)
