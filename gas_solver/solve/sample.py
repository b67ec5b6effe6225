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
4. if the file has global constraints (required patterns, cardinalities,
   ``repeat_objects = false``, larger patterns), accept the scene iff it
   satisfies them, else go back to 2.  The proposal is exactly uniform (or
   weighted) over the larger local space, so the accepted scene is exactly
   uniform (weighted) over the file's space; the acceptance rate is known
   exactly from the counts, and sampling refuses when it is below
   :data:`MIN_ACCEPTANCE`.

A labelling ``x`` comes out of 2–3 with probability ∝ ``w(x) · |Stab(x)|``, and
its orbit has ``|G| / |Stab(x)|`` members, so every scene (orbit) has
probability ∝ ``w``: exactly, because every choice is an exact integer
categorical draw (:mod:`.exact_random`).

``per-structure`` reproduces the reference implementation's law for
comparison: a structure uniformly among those with scenes, then a uniformly
random valid labelling of it (no automorphism step), so a scene ``O`` on ``S``
has probability ``(|Aut S| / |Stab O|) / (#structures · #labellings(S))``.

Draws are made in chunks: :meth:`Sampler.sample_chunk` is a pure function of
``(seed, chunk, size)``, so output does not depend on the number of workers.
"""

from __future__ import annotations

import itertools
import math
import os
from fractions import Fraction
from typing import Iterable, Sequence

import numpy as np

from ..errors import GasError
from ..scene import Attribute, Relation, Scene, SceneAttribute, SceneObject, canonical_id
from .burnside import quotient, quotient_profile
from .count import Space, space_of
from .exact_random import IntCategorical, randbelow

__all__ = ["Sampler", "sample_scenes", "parse_strata", "CHUNK_SIZE", "DISTRIBUTIONS", "MIN_ACCEPTANCE"]

#: scenes per chunk; chunk ``i`` of seed ``s`` is always the same scenes
CHUNK_SIZE = 4096
DISTRIBUTIONS = ("uniform", "weighted", "stratified", "per-structure")
#: smallest acceptance rate of the exact rejection step that sampling accepts to run with
MIN_ACCEPTANCE = Fraction(1, 1000)
_MASK64 = (1 << 64) - 1


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

    __slots__ = ("structure", "factors", "model", "g_cat", "g_lists", "quotients", "acceptance", "wmax", "automorphisms")

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
            self.g_cat = IntCategorical([1])
        else:
            self.automorphisms = structure.automorphisms
            prof = quotient_profile(structure)
            self.g_lists = [ix for _, _, ix in prof]
            self.g_cat = IntCategorical(_scaled_ints([m * factors.fix(p) for p, m, _ in prof]))

    def quotient(self, gi: int):
        q = self.quotients.get(gi)
        if q is None:
            s = self.structure
            q = self.quotients[gi] = quotient(s.n, s.attributes, s.edges, self.automorphisms[gi])
        return q


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
        self.backend = backend
        self._structures_arg = structures
        self.space: Space = space_of(spec, taxonomy, structures=structures)
        self.domain = self.space.domain
        self.weighted = distribution == "weighted"
        self.model = self.space.relaxed_model(self.weighted)
        self.factors = self.space.factors(self.model)
        structs = self.space.structures
        counts = [self.space.structure_value(s) for s in structs]
        self.total = sum(counts) * self.space.scene_ways
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
        self._scene_attr_table = self._build_scene_attr_table()
        self._pred_bit = self.domain.predicate_index

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

    def _fill(self, si: int) -> _Fill:
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
            if self.model.has_global and acceptance < MIN_ACCEPTANCE:
                raise GasError(
                    f"exact rejection sampling would accept only {float(acceptance):.2e} of the proposals on "
                    f"structure {s.shape} (global constraints: {self.space._too_large_message(self.model).split(': ', 1)[-1]}); "
                    "refusing rather than running for a very long time")
            f = self._fills[si] = _Fill(s, self.factors, self.model, self.distribution == "per-structure",
                                        acceptance, wmax)
        return f

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
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed & _MASK64, chunk])))
        picks = self._struct_cat.draw(rng, size)
        graphs: list = [None] * size
        for p in np.unique(picks).tolist():
            pos = np.flatnonzero(picks == p)
            drawn = self._draw_structure(self._keep[p], len(pos), rng)
            for i, g in zip(pos.tolist(), drawn):
                graphs[i] = g
        sattrs = self._draw_scene_attributes(rng, size)
        modality = self.spec.bounds.modality
        return [Scene(objs, rels, sa, modality) for (objs, rels), sa in zip(graphs, sattrs)]

    def sample(self, n: int, seed: int = 0, *, unique: bool = False, workers: int = 1) -> list[Scene]:
        """``n`` scenes drawn by chunks of :data:`CHUNK_SIZE`, concatenated in chunk order.

        With ``unique=True`` the draws are deduplicated by canonical id in order
        (sampling without replacement) until ``n`` distinct scenes are found.
        The output depends on ``(n, seed, unique)`` only, not on ``workers``, and
        the first ``n`` scenes of a longer run are the ``n`` scenes of a shorter one.
        """
        if n < 0:
            raise GasError("the number of scenes must be >= 0")
        if unique and n > self.total:
            raise GasError(f"asked for {n} distinct scenes but the space has only {self.total}")
        workers = max(1, int(workers))
        out: list[Scene] = []
        seen: set[str] = set()
        chunk = 0
        pool = _pool(self, workers) if workers > 1 else None
        try:
            while len(out) < n:
                need = n - len(out)
                # whole chunks only, so that a shorter run is a prefix of a longer one
                k = workers if unique else math.ceil(need / CHUNK_SIZE)
                jobs = [(seed, chunk + i, CHUNK_SIZE) for i in range(k)]
                chunk += len(jobs)
                results = pool.starmap(_worker_chunk, jobs) if pool else [self.sample_chunk(*j) for j in jobs]
                for scenes in results:
                    for sc in scenes:
                        if unique:
                            cid = canonical_id(sc)
                            if cid in seen:
                                continue
                            seen.add(cid)
                        out.append(sc)
                        if len(out) == n:
                            break
                    if len(out) == n:
                        break
        finally:
            if pool is not None:
                pool.close()
                pool.join()
        return out

    def _draw_scene_attributes(self, rng, size: int) -> list[tuple]:
        t = self._scene_attr_table
        if t is None:
            return [()] * size
        opts, combos, cat = t
        picks = cat.draw(rng, size)
        out: list = [()] * size
        for p in np.unique(picks).tolist():
            pos = np.flatnonzero(picks == p).tolist()
            cols = [[_sattr(opts[i][0], opts[i][1][x]) for x in rng.integers(0, len(opts[i][1]), len(pos)).tolist()]
                    for i in combos[p]]
            for r, q in enumerate(pos):
                out[q] = tuple(c[r] for c in cols)
        return out

    def _draw_structure(self, si: int, k: int, rng) -> list[tuple]:
        """``k`` accepted graphs (objects, relations) on structure ``si``, in proposal order."""
        fill = self._fill(si)
        out: list = []
        while len(out) < k:
            need = k - len(out)
            m = need if not self.model.has_global else min(200_000, math.ceil(need / float(fill.acceptance) * 1.1) + 8)
            for g, ok in self._propose(fill, m, rng):
                if ok:
                    out.append(g)
                    if len(out) == k:
                        break
        return out

    def _propose(self, fill: _Fill, m: int, rng) -> list:
        s = fill.structure
        model = self.model
        prof = fill.g_cat.draw(rng, m)
        gi = np.empty(m, dtype=np.int64)
        for p in np.unique(prof).tolist():
            pos = np.flatnonzero(prof == p)
            lst = fill.g_lists[p]
            gi[pos] = np.asarray(lst, dtype=np.int64)[rng.integers(0, len(lst), len(pos))]
        out: list = [None] * m
        for g in np.unique(gi).tolist():
            pos = np.flatnonzero(gi == g).tolist()
            q = fill.quotient(g)
            graphs = self._fill_quotient(q, s, len(pos), rng)
            for i, gr in zip(pos, graphs):
                out[i] = gr
        if not model.has_global and not model.global_soft:
            return [(g, True) for g in out]
        res = []
        for objs, rels, labs in out:
            ok = True
            if not model.repeat_objects and len({o.concept for o in objs}) < len(objs):
                ok = False
            if ok:
                atoms = [1 << self._pred_bit[r.predicate] for r in rels]
                ok, gw = model.check(s.n, labs, [(r.subject, r.object) for r in rels], atoms)
                if ok and model.global_soft:
                    ratio = gw / fill.wmax
                    ok = randbelow(rng, ratio.denominator) < ratio.numerator
            res.append(((objs, rels), ok))
        return res

    def _fill_quotient(self, q, s, k: int, rng) -> list:
        """``k`` labellings fixed by the quotient's automorphism, drawn ∝ weight."""
        ncyc = len(q.vcycles)
        labs = np.empty((k, ncyc), dtype=np.int64)
        for key, cyc_ids in q.components:
            vals = self._draw_component(key, k, rng)
            labs[:, list(cyc_ids)] = vals
        # objects per cycle
        cyc_objs = [self._draw_objects(labs[:, c], q.vkey[c][0], rng) for c in range(ncyc)]
        # predicates per edge cycle
        cyc_preds = [self._draw_predicates(labs[:, i], labs[:, j], L, rng) for i, j, L, _ in q.ecycles]
        where = [0] * s.n
        for c, cyc in enumerate(q.vcycles):
            for v in cyc:
                where[v] = c
        edge_src = [(orbit, e) for e, (_, _, _, orbit) in enumerate(q.ecycles)]
        need_labels = self.model.has_global
        out = []
        for r in range(k):
            objs = tuple(cyc_objs[where[v]][r] for v in range(s.n))
            rels = tuple(Relation(u, v, cyc_preds[e][r]) for orbit, e in edge_src for u, v in orbit)
            if need_labels:
                row = labs[r]
                out.append((objs, rels, [int(row[where[v]]) for v in range(s.n)]))
            else:
                out.append((objs, rels))
        return out

    def _draw_component(self, key, k: int, rng) -> np.ndarray:
        comp = self.factors.component(key)
        nv = len(key[0])
        vals = np.zeros((k, nv), dtype=np.int64)
        for si in range(len(comp.steps) - 1, -1, -1):
            v, nbrs, gathered = comp.steps[si]
            if not nbrs:
                cat = self._table((key, si, ()), gathered, v, {})
                vals[:, v] = cat.draw(rng, k)
                continue
            cond = vals[:, list(nbrs)]
            uniq, inv = np.unique(cond, axis=0, return_inverse=True)
            inv = inv.reshape(-1)
            for j, row in enumerate(uniq.tolist()):
                pos = np.flatnonzero(inv == j)
                cat = self._table((key, si, tuple(row)), gathered, v, dict(zip(nbrs, row)))
                vals[pos, v] = cat.draw(rng, len(pos))
        return vals

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

    def _draw_objects(self, labels: np.ndarray, slots: int, rng) -> list:
        model = self.model
        out: list = [None] * len(labels)
        for lab in np.unique(labels).tolist():
            pos = np.flatnonzero(labels == lab)
            m = len(pos)
            lb = model.labels[lab]
            concepts = self.domain.classes[lb.cls].concepts
            ci = rng.integers(0, len(concepts), m).tolist()
            cols = []
            for t, vals in lb.present:
                cols.append([_attr(t, vals[x]) for x in rng.integers(0, len(vals), m).tolist()])
            kf = slots - len(lb.present)
            if kf > 0:
                subsets, counts, cat = self._free_table(lab, kf)
                picks = subsets[cat.draw(rng, m)]
                for j in range(kf):
                    tis = picks[:, j]
                    vis = rng.integers(0, counts[tis])
                    free = lb.free
                    cols.append([_attr(free[t][0], free[t][1][x]) for t, x in zip(tis.tolist(), vis.tolist())])
            for r, p in enumerate(pos.tolist()):
                out[p] = _obj(concepts[ci[r]], tuple(c[r] for c in cols))
        return out

    def _free_table(self, lab: int, kf: int):
        key = (lab, kf)
        hit = self._attr_cache.get(key)
        if hit is None:
            lb = self.model.labels[lab]
            counts = np.array([len(v) for _, v in lb.free], dtype=np.int64)
            combos = list(itertools.combinations(range(len(lb.free)), kf))
            weights = [math.prod(int(counts[i]) for i in c) for c in combos]
            hit = self._attr_cache[key] = (np.array(combos, dtype=np.int64).reshape(len(combos), kf), counts,
                                           IntCategorical(weights))
        return hit

    def _draw_predicates(self, subj: np.ndarray, obj: np.ndarray, length: int, rng) -> list:
        out: list = [None] * len(subj)
        pairs = np.stack([subj, obj], axis=1)
        uniq, inv = np.unique(pairs, axis=0, return_inverse=True)
        inv = inv.reshape(-1)
        for j, (l1, l2) in enumerate(uniq.tolist()):
            pos = np.flatnonzero(inv == j)
            preds, cat = self._pred_table(l1, l2, length)
            if len(preds) == 1:
                lst = preds[0]
                picks = rng.integers(0, len(lst), len(pos)).tolist()
                for p, x in zip(pos.tolist(), picks):
                    out[p] = lst[x]
            else:
                atoms = cat.draw(rng, len(pos)).tolist()
                for p, a in zip(pos.tolist(), atoms):
                    lst = preds[a]
                    out[p] = lst[int(rng.integers(0, len(lst)))]
        return out

    def _pred_table(self, l1: int, l2: int, length: int):
        key = ("p", l1, l2, length)
        hit = self._attr_cache.get(key)
        if hit is None:
            opts = self.model.edge_atom_weights(l1, l2, length)
            preds = [self.domain.mask_predicates(m) for m, _, _ in opts]
            cat = IntCategorical(_scaled_ints([cnt * w for _, cnt, w in opts])) if len(opts) > 1 else None
            hit = self._attr_cache[key] = (preds, cat)
        return hit


_ATTRS: dict = {}
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


def _init_worker(args) -> None:
    global _WORKER_SAMPLER
    if isinstance(args, Sampler):
        _WORKER_SAMPLER = args
    else:
        spec, taxonomy, kw = args
        _WORKER_SAMPLER = Sampler(spec, taxonomy, **kw)


def _worker_chunk(seed: int, chunk: int, size: int) -> list[Scene]:
    return _WORKER_SAMPLER.sample_chunk(seed, chunk, size)


def _pool(sampler: Sampler, workers: int):
    import multiprocessing as mp

    if "fork" in mp.get_all_start_methods():
        # the forked workers inherit the sampler and its tables
        global _WORKER_SAMPLER
        _WORKER_SAMPLER = sampler
        return mp.get_context("fork").Pool(workers)
    kw = {"distribution": sampler.distribution, "backend": sampler.backend, "structures": sampler._structures_arg}
    return mp.get_context("spawn").Pool(workers, initializer=_init_worker,
                                        initargs=((sampler.spec, sampler.taxonomy, kw),))


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
