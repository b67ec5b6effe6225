"""Exact counting of the scenes of a constraint file: Burnside's lemma plus dynamic programming.

``#scenes = Σ_structures (1/|Aut S|) Σ_{g ∈ Aut S} |Fix(g)| × #scene-attribute choices``

``|Fix(g)|`` is a partition function over the quotient graph of ``g``
(:mod:`.burnside`) with the local factors of :class:`~.labels.LabelModel`
(concept classes, attribute profiles, predicate atoms), computed by variable
elimination; scenes are never enumerated.  Exact Python integers throughout.

Constraints that are not products of local factors are still counted exactly:

* required one-node / one-edge patterns (any ``at_least``) and cardinalities of
  objects in a concept set or of attributes of a type: counters inside the
  dynamic programme (truncated generating functions, :mod:`.counters`);
* ``repeat_objects = false``: Möbius inversion over set partitions of the
  objects (:mod:`.distinct`), each term again a product form (with counters
  when the file also has counted constraints);
* anything else (larger patterns, ``distinct_*`` cardinalities, distinct
  concepts together with other global constraints, non-local soft rules): an explicit sum over the
  vertex labels of every fixed labelling's quotient, checked by
  :meth:`~.labels.LabelModel.check`.  This is exact but grows with the number
  of labels; its work is counted before it starts, and above the limit of
  :mod:`.work` (``explicit_assignments``) it is refused with
  :class:`~gas_solver.errors.WorkLimitExceeded` naming the estimate, the limit
  and the constructs responsible.
* raw ASP rules cannot be counted this way: :class:`~gas_solver.errors.GasError`
  says so (use ``gas enumerate --backend asp`` on small spaces; the sampler
  handles them by exact rejection, :mod:`.raw_filter`).

Examples
--------
>>> from gas_solver.taxonomy import load_taxonomy
>>> from gas_solver.constraints.model import ConstraintSpec, Bounds, IntRange
>>> tax = load_taxonomy("tests/data/toy.toml")
>>> count_scenes(ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 1))), tax)
10
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from fractions import Fraction
from math import comb, prod
from typing import Sequence

import numpy as np

from ..errors import GasError, WorkLimitExceeded
from .burnside import class_profile, component_value, eliminate, int_scaled, quotient
from .lumps import eliminate_lumped, lumpable, lumped_value, lumping
from .counted import counted_parts, is_union
from .connected import connected_parts
from .counters import CounterModel, category_rule, counters_for
from .distinct import DistinctCounter
from .embedded import EmbeddedCounter, counts_embedded
from .domain import Domain, ground, too_few_distinct_concepts
from .labels import LabelModel
from .modular import Memo
from .multiset import shape_counts
from .structural import split_structural, structure_allowed
from .symmetry import automorphism_classes
from .work import check_explicit

__all__ = ["REPEATS", "count_scenes", "count_structure", "count_by_stratum", "weighted_total", "scene_attribute_ways",
           "Space", "space_of"]

#: bounds with more structures than this (estimated) are counted by connected scenes (:mod:`.multiset`)
#: when their constraints are local; ~2,000 structures is complexity ≤ 10 with no other bound
MULTISET_ABOVE = 2_000
#: counts (not the sampler) sum connected scenes by 2-core (:mod:`.cores`) where the bounds allow
USE_CORES = True


def scene_attribute_ways(domain: Domain) -> int:
    """Number of ways to choose the scene attributes (independent of the graph).

    ``Σ_k e_k(value counts)`` over ``k`` in the ``scene_attributes`` range: pick
    ``k`` scene-attribute types, at most one per exclusive group, one allowed value each.
    """
    poly = domain.scene_type_polynomial()  # e_k of the value counts, one type per exclusive group at most
    rng = domain.spec.bounds.scene_attributes
    hi = len(poly) - 1 if rng.hi is None else min(rng.hi, len(poly) - 1)
    return sum(poly[k] for k in range(rng.lo, hi + 1))


class _Factors:
    """Integer-scaled factors and memoised component partition functions of one label model."""

    def __init__(self, model: LabelModel, *, with_class: bool = True):
        self.model = model
        self.with_class = with_class
        self._u: dict = {}
        self._f: dict = {}
        self.components: dict = {}
        self._values: dict = {}
        self._lumping = False  # not looked at yet (.lumps.lumping: None where it does not apply)
        self._lumped: dict = {}  # lumped factors of the value-only path
        self._memo = Memo(max_bytes=32 << 20)  # its elimination steps, shared between components

    def unary(self, a, L, restrict=0):
        hit = self._u.get((a, L, restrict))
        if hit is None:
            hit = self._u[(a, L, restrict)] = int_scaled(
                self.model.vertex_weights(a, L, with_class=self.with_class, restrict=restrict))
        return hit

    def pairwise(self, L, restrict=()):
        hit = self._f.get((L, restrict))
        if hit is None:
            hit = self._f[(L, restrict)] = int_scaled(self.model.edge_factor(L, restrict))
        return hit

    def component(self, key):
        """A component's elimination (the sampler's backward-sampling tables), over lumps of labels where they
        apply (:mod:`.lumps`: the same value and the same draws, fewer products)."""
        hit = self.components.get(key)
        if hit is None:
            if self._lumping is False:
                self._lumping = lumping(self.model)
            if self._lumping is not None and lumpable(key):
                hit = eliminate_lumped(key, self.unary, self.pairwise, self._lumping)
            else:
                hit = eliminate(key, self.unary, self.pairwise)
            self.components[key] = hit
        return hit

    def value(self, key):
        """A component's partition function (from its elimination if the sampler made one, else by
        the fast value-only path, over lumps of labels where they apply: the same integer)."""
        hit = self._values.get(key)
        if hit is None:
            comp = self.components.get(key)
            if comp is not None:
                hit = comp.value
            else:
                if self._lumping is False:
                    self._lumping = lumping(self.model)
                if self._lumping is not None and lumpable(key):
                    hit = lumped_value(key, self.unary, self.pairwise, self._lumping, self._lumped, self._memo)
                if hit is None:
                    hit = component_value(key, self.unary, self.pairwise)
            self._values[key] = hit
        return hit

    def fix(self, profile):
        """``|Fix(g)|`` (weighted: Σ weights) for an automorphism with this profile."""
        v = 1
        for key in profile:
            v *= self.value(key)
        return v

    def orbit_sum(self, structure):
        """``(1/|G|) Σ_g Fix(g)``: the (weighted) number of scenes on ``structure``."""
        total = 0
        for profile, mult in class_profile(structure):
            total += mult * self.fix(profile)
        return Fraction(total, structure.group_order)


def _exact_int(x) -> int:
    x = Fraction(x)
    if x.denominator != 1:  # Burnside's average is an integer; anything else is a bug
        raise AssertionError(f"non-integral orbit count {x}")
    return x.numerator


def _falling(n: int, k: int) -> int:
    return prod(range(n - k + 1, n + 1)) if k <= n else 0


class Space:
    """The counted space of one constraint file: domain, label models, structures and exact counts.

    Built by :func:`space_of` (memoised per spec and taxonomy); shared by the
    counter and the sampler.
    """

    def __init__(self, spec, taxonomy, *, structures: Sequence | None = None, merge: bool = True):
        if is_union(spec):  # a union of ordinary spaces (solve/counted.py): never counted as one
            raise GasError("internal: a file with [[count]] groups is counted by gas_solver.solve.counted")
        if spec.raw_asp:
            o = spec.raw_asp[0].origin
            raise GasError(
                f"{o}: raw ASP rules put this space outside exact counting; list it with "
                "`gas enumerate --backend asp` (small spaces), or sample it with `gas sample`, which stays exactly "
                "uniform by rejecting draws of the file without its raw rules that break them (no count needed)")
        self.spec = spec
        self.taxonomy = taxonomy
        # patterns that see only the structure filter the structures and leave the label model
        structural, label_spec = split_structural(spec)
        self.domain = ground(label_spec, taxonomy, merge=merge)
        if structures is None and too_few_distinct_concepts(spec, taxonomy):
            structures = ()  # an empty space, known without listing the bounds' structures
        self._structural = structural
        self._given_structures = structures
        self._structures = None  # listed on first use (counts by shape may not need them: .multiset)
        self._shapes = None
        self._by_multiset = None
        self._by_complexity = None
        self._graph_scenes = None
        # without soft rules the weighted model is built from the same inputs: one model serves both (a union's
        # set-up builds one per part, and parts with the same graphs share them)
        self.count_model, self.weight_model = _label_models(self.domain, taxonomy, merge)
        self._counts, self._weights = _graph_values(spec, taxonomy, self.domain)
        self._ie: dict = {}
        self._factors: dict = {}
        self._explicit_checked = False  # the explicit sum's work is estimated once, before its first term
        self.scene_ways = scene_attribute_ways(self.domain)
        self._merge = merge
        self._distinct_twin = None  # the same file with repeat_objects = false (distinct_value)
        self._distinct_prepared = False

    @property
    def structures(self) -> tuple:
        """Every structure of the bounds that the file's structural patterns allow (listed on first use)."""
        if self._structures is None:
            structures = self._given_structures
            if structures is None:
                from .structures import structures as _structures

                structures = _structures(self.spec.bounds)
            # (Burnside's sum runs over classes of conjugate automorphisms, never over the elements: no
            # limit on group orders is needed)
            self._structures = tuple(s for s in structures if structure_allowed(s, self._structural)) \
                if self._structural else tuple(structures)
        return self._structures

    @property
    def counts_by_multiset(self) -> bool:
        """Whether counts by shape come from connected scenes (:mod:`.multiset`) rather than structure by
        structure: for local constraints only (the ``"product"`` method, no structural pattern), when the
        bounds have more than :data:`MULTISET_ABOVE` structures (below, listing them is as fast and
        gives the per-structure counts the sampler needs anyway)."""
        if self._by_multiset is None:
            self._by_multiset = self._multiset_fits()
        return self._by_multiset

    def _multiset_fits(self) -> bool:
        if self._given_structures is not None or self._structural or self._structures is not None:
            return False
        if self.method(False) != "product":
            return False
        from .structures import _limits, shapes
        from .work import LIMITS, check_object_graphs, estimate_structures

        listed = estimate_structures(shapes(self.spec.bounds))
        if listed <= MULTISET_ABOVE:
            return False
        try:
            # (the elimination runs over the lumped labels: those every edge factor treats alike are one)
            check_object_graphs(_limits(self.spec.bounds), len(self.graph_scenes().groups))
        except WorkLimitExceeded:
            # too dense for the object graphs (many labels): structure by structure where they can be listed
            return listed > LIMITS["structures"]
        return True

    def shape_counts(self, *, progress=None, per_graph: bool = True, workers: int | None = 1) -> dict:
        """``{(objects, attributes, relations): scenes}`` (scene attributes included), zero shapes left out.

        ``per_graph=False`` (a count that needs the totals only) lets connected scenes be summed over all
        graphs with one 2-core at once (:mod:`.cores`) where the bounds allow; otherwise every connected
        object graph's scenes are computed and cached (the sampler's shape-first choice reads them)."""
        if self._shapes is None:
            if self.counts_by_multiset:
                from . import cores
                from .structures import _limits
                from .work import check_object_graphs

                lim = _limits(self.spec.bounds)
                labels = len(self.graph_scenes().groups)
                conn = None
                if not per_graph and USE_CORES and cores.applies(self.count_model, lim):
                    # (refused on the method that runs)
                    workers = cores.check_work(lim, labels, by_complexity=False, workers=workers)
                    conn = cores.connected_shape_counts(self.count_model, lim, progress=progress,
                                                        counter=self.graph_scenes(), workers=workers)
                else:
                    check_object_graphs(lim, labels)
                graph = shape_counts(self.count_model, lim, progress=progress, counter=self.graph_scenes(),
                                     connected=conn)
                out = {s: v * self.scene_ways for s, v in graph.items()}
            else:
                out = {}
                for st in self.structures:
                    v = self.value(st)
                    if v:
                        out[st.shape] = out.get(st.shape, 0) + v
            self._shapes = dict(sorted(out.items()))
        return self._shapes

    def complexity_counts(self, *, progress=None, workers: int | None = 1) -> dict | None:
        """``{complexity: scenes}`` (scene attributes included) without the split by shape, where the bounds
        restrict shapes by complexity alone and connected scenes are summed by 2-core (:mod:`.cores`: one
        elimination per core component instead of one per number of tree objects); ``None`` elsewhere
        (then :meth:`shape_counts` has them)."""
        if self._by_complexity is None:
            from . import cores
            from .multiset import euler_transform
            from .structures import _limits
            if self._shapes is not None or not (USE_CORES and self.counts_by_multiset):
                return None
            lim = _limits(self.spec.bounds)
            if not (cores.applies(self.count_model, lim) and cores.by_complexity_alone(lim)):
                return None
            # (refused on the method that runs)
            workers = cores.check_work(lim, len(self.graph_scenes().groups), workers=workers)
            conn = cores.connected_complexity_counts(self.count_model, lim, progress=progress,
                                                     counter=self.graph_scenes(), workers=workers)
            every = conn if lim["connected"] else euler_transform(conn, max_complexity=lim["c"][1])
            self._by_complexity = {c: v * self.scene_ways for (c, _, _), v in sorted(every.items())
                                   if v and lim["c"][0] <= c <= lim["c"][1]}
        return self._by_complexity

    def graph_scenes(self):
        """The :class:`~.multiset.GraphScenes` of this space's bounds (connected scenes per object graph, with
        their cached values: the counts by shape and the sampler's shape-first choice share it)."""
        if self._graph_scenes is None:
            from .multiset import GraphScenes
            from .structures import _limits

            lim = _limits(self.spec.bounds)
            self._graph_scenes = GraphScenes(self.count_model, lim["apo"], lim["c"][1])
        return self._graph_scenes

    # -- factors -------------------------------------------------------------
    def factors(self, model: LabelModel, *, with_class: bool = True) -> _Factors:
        key = (id(model), with_class)
        hit = self._factors.get(key)
        if hit is None:
            hit = self._factors[key] = _Factors(model, with_class=with_class)
        return hit

    def relaxed_model(self, weighted: bool) -> LabelModel:
        """The label model whose local factors the sampler draws from (global constraints left out)."""
        return self.weight_model if weighted else self.count_model

    # -- counts per structure --------------------------------------------------
    def structure_value(self, structure, *, weighted: bool = False):
        """Exact number of scenes (or exact weighted sum Z) on one structure, graph part only."""
        cache = self._weights if weighted else self._counts
        ck = (structure.n, structure.attributes, structure.edges)
        hit = cache.get(ck)
        if hit is not None:
            return hit
        model = self.relaxed_model(weighted)
        method = self.method(weighted)
        parts = connected_parts(structure) if method == "product" and not weighted else None
        if parts is not None and (len(parts) > 1 or parts[0][1] > 1):
            # a scene is a multiset of connected scenes: m copies of a part with N scenes give C(N+m-1, m)
            v = 1
            for part, m in parts:
                v *= comb(self.structure_value(part) + m - 1, m)
        elif method == "product":
            v = self.factors(model).orbit_sum(structure)
        elif method == "counters":
            v = self.counter_model(weighted).orbit_sum(structure)
        elif method == "embedded":
            v = self._embedded_counter(weighted).orbit_sum(structure)
        elif method == "distinct":
            counter = self._distinct_counter(weighted)
            if not self._distinct_prepared:  # every structure's components in batches, once
                self._distinct_prepared = True
                counter.prepare(self.structures)
            v = counter.orbit_sum(structure)
        else:
            v = self._explicit(structure, model)
        v = v if weighted else _exact_int(v)
        cache[ck] = v
        return v

    def relaxed_value(self, structure, *, weighted: bool = False):
        """Scenes (or Z) on ``structure`` under the local constraints only (the sampler's proposal space)."""
        model = self.relaxed_model(weighted)
        v = self.factors(model).orbit_sum(structure)
        return v if weighted else _exact_int(v)

    def method(self, weighted: bool = False) -> str:
        """How this space is counted: ``"product"`` (local factors only), ``"counters"`` (counted
        constraints in the DP), ``"embedded"`` (forbidden patterns with one or two labelled nodes as 0/1
        factors on each quotient; required ones by inclusion–exclusion over forbidding them), ``"distinct"`` (Möbius inversion for distinct concepts, with counters if
        needed) or ``"explicit"`` (explicit sum over label assignments)."""
        model = self.relaxed_model(weighted)
        if not model.has_global:
            return "product"
        if model.repeat_objects:
            if self._embedded_counter(weighted) is not None:
                return "embedded"
            return "counters" if self.counter_model(weighted) is not None else "explicit"
        return "distinct" if self._distinct_counter(weighted) is not None else "explicit"

    @staticmethod
    def _only_distinct(model: LabelModel, skip=None) -> bool:
        return not model.repeat_objects and not ([c for c in model.cardinalities if c is not skip]
                                                 or model.global_patterns or model.required_local
                                                 or model.global_soft)

    def _embedded_counter(self, weighted: bool):
        """The product form with embedded forbidden or required patterns (:mod:`.embedded`), where those are
        the file's only global constraints, else ``None``."""
        key = ("embedded", weighted)
        if key not in self._ie:
            model = self.relaxed_model(weighted)
            ok = (model.global_patterns and not (model.required_local or model.cardinalities or model.global_soft)
                  and counts_embedded(model.global_patterns))
            self._ie[key] = EmbeddedCounter(model, model.global_patterns) if ok else None
        return self._ie[key]

    def _distinct_counter(self, weighted: bool):
        """Möbius inversion for distinct concepts (:mod:`.distinct`), with counters and a count of distinct
        categories where the file has them, or ``None`` if some global constraint is neither."""
        key = ("distinct", weighted)
        if key not in self._ie:
            model = self.relaxed_model(weighted)
            category = category_rule(model)
            if self._only_distinct(model, category):
                self._ie[key] = DistinctCounter(model, None, category)
            else:
                cs = counters_for(model, skip=category)
                self._ie[key] = DistinctCounter(model, CounterModel(model, cs), category) if cs is not None else None
        return self._ie[key]

    def counter_model(self, weighted: bool):
        """The counting DP with counter axes (:mod:`.counters`), or ``None`` if a global constraint is not a count."""
        key = ("counters", weighted)
        if key not in self._ie:
            model = self.relaxed_model(weighted)
            cs = counters_for(model)
            self._ie[key] = CounterModel(model, cs) if cs is not None else None
        return self._ie[key]

    def _explicit(self, structure, model: LabelModel):
        """Σ over automorphisms and fixed labellings' vertex labels, checking global constraints."""
        n, attrs, edges = structure.n, structure.attributes, structure.edges
        repeat = model.repeat_objects
        # one automorphism per class of conjugates (their fixed labellings are the same scenes, so any
        # isomorphism-invariant sum over them is equal), weighted by the class size
        gs = [(c.rep, c.size) for c in automorphism_classes(structure)] if repeat else [(tuple(range(n)), 1)]
        atoms_needed = model.needs_edge_atoms
        if not self._explicit_checked:
            check_explicit(self.explicit_work(model), len(self.structures), self.global_constraints(model))
            self._explicit_checked = True
        total = Fraction(0)
        sizes = [k.size for k in self.domain.classes]
        for g, g_mult in gs:
            q = quotient(n, attrs, edges, g)
            cands = []
            for a, L in q.vkey:
                w = model.vertex_weights(a, L, with_class=repeat)
                cands.append([(i, w[i]) for i in range(model.M) if w[i]])
            cyc_of = [0] * n
            for ci, cyc in enumerate(q.vcycles):
                for v in cyc:
                    cyc_of[v] = ci
            efs = {L: model.edge_factor(L) for _, _, L, _ in q.ecycles}
            for assign in itertools.product(*cands):
                labels_c = [lab for lab, _ in assign]
                w = 1
                for _, wv in assign:
                    w *= wv
                if not repeat:
                    per_class: dict[int, int] = {}
                    for lab in labels_c:
                        c = model.labels[lab].cls
                        per_class[c] = per_class.get(c, 0) + 1
                    for c, k in per_class.items():
                        w *= _falling(sizes[c], k)
                    if not w:
                        continue
                lab_v = [labels_c[cyc_of[v]] for v in range(n)]
                if not atoms_needed:
                    for i, j, L, _ in q.ecycles:
                        w *= efs[L][labels_c[i], labels_c[j]]
                        if not w:
                            break
                    if not w:
                        continue
                    ok, gw = model.check(n, lab_v, edges)
                    if ok:
                        total += g_mult * w * gw
                else:
                    options = [model.edge_atom_weights(labels_c[i], labels_c[j], L) for i, j, L, _ in q.ecycles]
                    for choice in itertools.product(*options):
                        we = w
                        atom_of = {}
                        for (m, cnt, aw), (_, _, _, orbit) in zip(choice, q.ecycles):
                            we *= cnt * aw
                            for e in orbit:
                                atom_of[e] = m
                        ok, gw = model.check(n, lab_v, edges, [atom_of[e] for e in edges])
                        if ok:
                            total += g_mult * we * gw
        return total / structure.group_order

    def explicit_work(self, model: LabelModel) -> int:
        """The label assignments the explicit sum checks over every structure of the space, counted before
        it starts: per structure and class of automorphisms, the product over the quotient's object cycles
        of their candidate labels, times the predicate atoms per edge cycle where a pattern names predicates
        (an upper bound: every atom allowed)."""
        repeat = model.repeat_objects
        atoms = len(model.pred_atoms) if model.needs_edge_atoms else 1
        cands: dict = {}
        total = 0
        for structure in self.structures:
            n = structure.n
            gs = [c.rep for c in automorphism_classes(structure)] if repeat else [tuple(range(n))]
            for g in gs:
                q = quotient(n, structure.attributes, structure.edges, g)
                work = atoms ** len(q.ecycles)
                for a, L in q.vkey:
                    if (a, L) not in cands:
                        cands[(a, L)] = int(np.count_nonzero(model.vertex_weights(a, L, with_class=repeat)))
                    work *= cands[(a, L)]
                total += work
        return total

    def global_constraints(self, model: LabelModel) -> list[str]:
        """The constraints of ``model`` that are not local products, each with where it was written."""
        what = []
        spec = self.spec
        for pc in model.global_patterns:
            what.append(f"{pc.origin} (pattern '{pc.pattern.text}')")
        for cc in model.cardinalities:
            what.append(f"{cc.origin} ({cc.kind} cardinality)")
        for sc in model.global_soft:
            what.append(f"{sc.origin} (non-local soft pattern)")
        if not model.repeat_objects:
            what.append(f"{spec.origins.get('space.repeat_objects', 'space.repeat_objects')} (repeat_objects = false)")
        for pc in model.required_local:
            what.append(f"{pc.origin} (required pattern)")
        return what

    # -- totals -----------------------------------------------------------------
    def value(self, structure, *, weighted: bool = False):
        """Scenes (or Z) on ``structure`` including the scene-attribute choices."""
        return self.structure_value(structure, weighted=weighted) * self.scene_ways

    def distinct_value(self, structure) -> int:
        """Scenes on ``structure`` (scene attributes included) whose objects are pairwise distinct concepts: the
        ``"distinct"`` stratum of :data:`REPEATS`; ``value - distinct_value`` is the ``"repeated"`` one.

        The same file with ``repeat_objects = false`` counts them (Möbius inversion over the objects' set
        partitions, :mod:`.distinct`), with every other constraint of the file kept."""
        return self.distinct_structure_value(structure) * self.scene_ways

    def distinct_structure_value(self, structure) -> int:
        """:meth:`distinct_value` without the scene attributes (graph part, as :meth:`structure_value`)."""
        if not self.spec.bounds.repeat_objects:
            return self.structure_value(structure)
        if self._distinct_twin is None:
            import dataclasses

            twin = dataclasses.replace(self.spec, bounds=dataclasses.replace(self.spec.bounds, repeat_objects=False))
            self._distinct_twin = Space(twin, self.taxonomy, structures=self._given_structures, merge=self._merge)
        return self._distinct_twin.structure_value(structure)

    def repeats_split(self, structure) -> dict:
        """``{"distinct": d, "repeated": r}``: the scenes on ``structure`` by :data:`REPEATS` stratum."""
        total = self.value(structure)
        d = self.distinct_value(structure) if total else 0
        return {"distinct": d, "repeated": total - d}

    def total(self, *, weighted: bool = False, progress=None, workers: int | None = 1):
        """The exact number of scenes (or weighted sum); ``workers`` processes share a count by 2-cores."""
        if not weighted and self.counts_by_multiset:
            by_c = self.complexity_counts(progress=progress, workers=workers)
            if by_c is not None:
                return sum(by_c.values(), 0)
            return sum(self.shape_counts(progress=progress, per_graph=False, workers=workers).values(), 0)
        return sum((self.value(s, weighted=weighted) for s in self.structures), 0)


#: the spaces of the most recently used specs: id(spec) -> (spec, {id(taxonomy): Space}); bounded, because a
#: Space holds its spec (and large tables), and specs hold a dict, so they cannot key a weak dictionary.  The
#: bound holds every part of the default file's ``setting = "fitting"`` union (11 parts; a union's set-up visits
#: them in turn, so a smaller bound evicts each part before it is used again and grounds it anew)
_SPACES: "OrderedDict[int, tuple]" = OrderedDict()
_SPACES_KEPT = 96

#: graph values (per structure, counts and weight sums) shared by files whose graphs are the same: the parts of a
#: ``setting = "fitting"`` union differ in their scene attributes, and settings that admit every object (outdoor)
#: have the graphs of the part without location
_GRAPHS: dict = {}


#: label models by graph key (:func:`.domain.graph_key`): they read the concepts, classes, patterns and soft
#: rules, never the scene attributes, so a union's parts of one setting (its locations, subject genres,
#: views) share them
_MODELS: "OrderedDict[tuple, tuple]" = OrderedDict()
_MODELS_KEPT = 32


def _label_models(domain, taxonomy, merge: bool) -> tuple:
    """The (count, weight) label models of ``domain``'s file (one model serves both without soft rules)."""
    from .domain import graph_key

    key = (id(taxonomy), merge, graph_key(domain.spec))
    hit = _MODELS.get(key)
    if hit is not None and hit[0] is taxonomy and hit[1].domain.classes is domain.classes:
        _MODELS.move_to_end(key)
        return hit[1], hit[2]
    count_model = LabelModel(domain, use_soft=False)
    weight_model = LabelModel(domain, use_soft=True) if domain.spec.soft else count_model
    _MODELS[key] = (taxonomy, count_model, weight_model)
    while len(_MODELS) > _MODELS_KEPT:
        _MODELS.popitem(last=False)
    return count_model, weight_model


def _graph_values(spec, taxonomy, domain) -> tuple[dict, dict]:
    """The (counts, weights) caches by structure of the graph space of ``spec``: everything but its scene
    attributes (their vocabulary, the required location and the setting, which acts through the concepts)."""
    import dataclasses

    from ..constraints.model import IntRange

    # a structure's value does not depend on the number of objects the file allows (counted.capped_parts)
    b = dataclasses.replace(spec.bounds, setting=None, located=False, place_type="location",
                            scene_attributes=IntRange(0, 0), required_scene_types=frozenset(),
                            objects=IntRange(1, None))
    v = dataclasses.replace(spec.vocabulary, scene_attribute_types=None, scene_attribute_values=None,
                            denied_scene_attribute_values=frozenset())
    key = (id(taxonomy), repr(b), repr(v), spec.semantic, spec.attributes, spec.relations, spec.sizes, spec.exclusions,
           spec.ratios,
           repr(spec.patterns), repr(spec.cardinalities), repr(spec.soft), domain.concepts)
    hit = _GRAPHS.get(key)
    if hit is None or hit[0] is not taxonomy:
        hit = _GRAPHS[key] = (taxonomy, {}, {})
        while len(_GRAPHS) > 16:
            _GRAPHS.pop(next(iter(_GRAPHS)))
    return hit[1], hit[2]


def shared_parts(specs: Sequence) -> list:
    """The parts of a setting union that :func:`share_setting_counts` counts in its one pass: those with the first
    part's attribute vocabulary (not the parts of values that hide an attribute, :func:`.counted.hidden_parts`) and
    its number of objects (not the parts of values that bound it, :func:`.counted.capped_parts`)."""
    if not specs:
        return []
    denied, objects = specs[0].vocabulary.denied_attribute_values, specs[0].bounds.objects
    return [s for s in specs if s.vocabulary.denied_attribute_values == denied and s.bounds.objects == objects]


def share_setting_counts(specs: Sequence, taxonomy) -> bool:
    """Count the graphs of a ``setting = "fitting"`` union's parts (:func:`~.counted.setting_parts`) in one
    pass over the first part's label model; True if it applied (the parts' counts are then cached).

    Part ``s`` holds the graphs of the first part whose objects all fit ``s``.  Where the first part's concept
    classes fit each setting wholly (``Bounds.fit_classes``) and a part's concepts are exactly the fitting ones,
    its partition function on a quotient is the first part's with the vertex weights of the labels that do not
    fit set to zero: one batched elimination per quotient component (:func:`.modular.contract_int`, one batch
    member per part) gives every part's value, where counting the parts one by one grounds seven label models
    and eliminates every component seven times.  Same integers either way (brute force:
    ``tests/solve/test_fitting_settings.py``, ``tests/solve/test_concept_settings.py``).
    """
    from .modular import _one_blas_thread, contract_int

    # parts whose objects lack attribute values the first part's carry (a value that hides colour:
    # counted.hidden_parts) have other vertex weights: they are counted on their own
    specs = shared_parts(specs)
    spaces = [space_of(s, taxonomy) for s in specs]
    first = spaces[0]
    if len(spaces) < 2 or any(sp.method(False) != "product" or sp._given_structures is not None
                              or sp._structural or sp.counts_by_multiset for sp in spaces):
        return False
    keys = [s.key for s in first.structures]
    if any([s.key for s in sp.structures] != keys for sp in spaces[1:]):
        return False
    model = first.count_model
    masks = []
    for sp in spaces:
        concepts = set(sp.domain.concepts)
        fit = [[c in concepts for c in k.concepts] for k in first.domain.classes]
        if any(len(set(f)) > 1 for f in fit):  # a class that fits only in part: its labels cannot say
            return False
        if concepts != {c for k, f in zip(first.domain.classes, fit) if f[0] for c in k.concepts}:
            return False
        masks.append(np.array([f[0] for f in fit], dtype=bool)[model.label_class])
    # parts of one setting (its locations, its subject genres) have the same graphs: one batch member each
    member: dict[bytes, int] = {}
    batch_of = [member.setdefault(m.tobytes(), len(member)) for m in masks]
    masks = [masks[batch_of.index(b)] for b in range(len(member))]
    B = len(masks)
    unary: dict = {}
    pairwise: dict = {}
    # Labels every edge factor treats alike are lumped (LabelModel.edge_lumps), their unary weights summed:
    # labels that differ only in their attribute domains, 216 -> 101 on the default file.  Soft edge
    # weights depend on a cycle's length: lump only without them.
    lumps = None
    if not model.soft_edges:
        groups = model.edge_lumps()
        lumps = np.empty(model.M, dtype=np.int64)
        for g, members in enumerate(groups):
            lumps[members] = g
        lead = np.array([members[0] for members in groups], dtype=np.int64)

    def unary_of(a, L):
        hit = unary.get((a, L))
        if hit is None:
            w = model.vertex_weights(a, L)
            hit = np.stack([np.where(m, w, 0) for m in masks]).astype(object)
            if lumps is not None:
                summed = np.zeros((B, len(lead)), dtype=object)
                for b in range(B):
                    for m in range(model.M):
                        summed[b, lumps[m]] += hit[b, m]
                hit = summed
            unary[(a, L)] = hit
        return hit

    def pairwise_of(L, diagonal):
        hit = pairwise.get((L, diagonal))
        if hit is None:
            F = np.asarray(model.edge_factor(L), dtype=np.int64)  # counts of predicates: small integers
            if lumps is not None:
                F = F[np.ix_(lead, lead)]
            F = np.diagonal(F).copy() if diagonal else F
            hit = pairwise[(L, diagonal)] = np.ascontiguousarray(np.broadcast_to(F, (B,) + F.shape))
        return hit

    values: dict = {}

    def component(key):
        hit = values.get(key)
        if hit is None:
            verts, edges = key
            factors = [((i,), unary_of(a, L)) for i, (a, L) in enumerate(verts)]
            factors += [((i,), pairwise_of(L, True)) if i == j else ((i, j), pairwise_of(L, False))
                        for i, j, L in edges]
            hit = values[key] = contract_int(factors, batch=B)
        return hit

    done: dict = {}

    def value(structure):
        ck = (structure.n, structure.attributes, structure.edges)
        hit = done.get(ck)
        if hit is not None:
            return hit
        parts = connected_parts(structure)
        if len(parts) > 1 or parts[0][1] > 1:  # as Space.structure_value: m copies of a part with N scenes
            out = [1] * B
            for part, m in parts:
                out = [o * comb(v + m - 1, m) for o, v in zip(out, value(part))]
        else:
            total = [0] * B
            for profile, mult in class_profile(structure):
                fix = [mult] * B
                for key in profile:
                    fix = [f * v for f, v in zip(fix, component(key))]
                total = [t + f for t, f in zip(total, fix)]
            out = [_exact_int(Fraction(t, structure.group_order)) for t in total]
        done[ck] = out
        return out

    with _one_blas_thread():  # ~150 contractions: the thread limit is set once, not once per contraction
        for s in first.structures:
            vs = value(s)
            for sp, b in zip(spaces, batch_of):
                sp._counts.setdefault((s.n, s.attributes, s.edges), vs[b])
    # a component's value is its number of labellings, whatever the label model: each part's sampler finds
    # the values its automorphism choices need
    for p, sp in enumerate(spaces):
        known = sp.factors(sp.count_model)._values
        for key, v in values.items():
            known.setdefault(key, v[batch_of[p]])
    return True


def space_of(spec, taxonomy, *, structures: Sequence | None = None) -> Space:
    """The (memoised) :class:`Space` of ``spec`` over ``taxonomy``."""
    if structures is not None:
        return Space(spec, taxonomy, structures=structures)
    entry = _SPACES.get(id(spec))
    if entry is None or entry[0] is not spec:
        entry = _SPACES[id(spec)] = (spec, {})
    _SPACES.move_to_end(id(spec))
    while len(_SPACES) > _SPACES_KEPT:
        _SPACES.popitem(last=False)
    per_spec = entry[1]
    hit = per_spec.get(id(taxonomy))
    if hit is None or hit.taxonomy is not taxonomy:
        hit = per_spec[id(taxonomy)] = Space(spec, taxonomy)
    return hit


def count_structure(domain: Domain, structure) -> int:
    """Exact number of scenes on one structure (graph part: no scene attributes).

    Parameters
    ----------
    domain : Domain
        From :func:`~gas_solver.solve.domain.ground`.
    structure : Structure

    Examples
    --------
    >>> from gas_solver.taxonomy import load_taxonomy
    >>> from gas_solver.constraints.model import ConstraintSpec
    >>> from gas_solver.solve.domain import ground
    >>> from gas_solver.solve.structures import Structure
    >>> dom = ground(ConstraintSpec(), load_taxonomy("tests/data/toy.toml"))
    >>> count_structure(dom, Structure(2, (0, 0), ()))   # two objects: 10 * 11 / 2 pairs
    55
    """
    return space_of(domain.spec, domain.taxonomy, structures=(structure,)).structure_value(structure)


def _stratum(structure, by: str):
    if by == "complexity":
        return structure.complexity
    if by == "shape":
        return structure.shape
    if by == "structure":
        return structure.key
    if by in ("objects", "attributes", "relations"):
        return structure.shape[("objects", "attributes", "relations").index(by)]
    raise GasError(f"unknown stratum {by!r}; expected complexity, objects, attributes, relations, shape or structure")


#: strata that a structure's shape decides
_SHAPE_STRATA = ("complexity", "shape", "objects", "attributes", "relations")


def count_by_stratum(spec, taxonomy, by: str, *, structures: Sequence | None = None, progress=None,
                     workers: int | None = 1) -> dict:
    """``{stratum: count}`` for ``by`` in ``"complexity"``, ``"objects"``, ``"attributes"``, ``"relations"``,
    ``"shape"``, ``"structure"`` (zero strata left out).  ``progress``, ``workers``: as in :func:`count_scenes`.

    ``by = "repeats"``: ``{"repeated": r, "distinct": d}`` (:data:`REPEATS`: some concept twice or more, or all
    concepts different); ``by = (kind, "repeats")``: the cells ``{(stratum of kind, "repeated"|"distinct"): n}``.

    >>> from gas_solver.taxonomy import load_taxonomy
    >>> from gas_solver.constraints.model import ConstraintSpec, Bounds, IntRange
    >>> tax = load_taxonomy("tests/data/toy.toml")
    >>> count_by_stratum(ConstraintSpec(bounds=Bounds(complexity=IntRange(2, 2))), tax, "repeats")
    {'repeated': 10, 'distinct': 106}
    """
    if is_union(spec):
        return _count_union_by_stratum(spec, taxonomy, by, structures=structures)
    space = space_of(spec, taxonomy, structures=structures)
    if by == "repeats" or isinstance(by, tuple):
        return _count_by_repeats(space, None if by == "repeats" else by[0])
    if by == "complexity" and space.counts_by_multiset:
        by_c = space.complexity_counts(progress=progress, workers=workers)
        if by_c is not None:
            return dict(by_c)
    if by in _SHAPE_STRATA and space.counts_by_multiset:
        out = {}
        for shape, v in sorted(space.shape_counts(progress=progress, per_graph=False, workers=workers).items(),
                               key=lambda kv: (sum(kv[0]), kv[0])):
            k = sum(shape) if by == "complexity" else shape if by == "shape" else shape[_SHAPE_STRATA.index(by) - 2]
            out[k] = out.get(k, 0) + v
        return out
    out: dict = {}
    for s in space.structures:
        v = space.value(s)
        if v:
            k = _stratum(s, by)
            out[k] = out.get(k, 0) + v
    return out


#: the repeated-objects strata: some concept appears twice or more, or all objects' concepts differ
REPEATS = ("repeated", "distinct")


def _count_by_repeats(space: Space, kind: str | None) -> dict:
    """``{"repeated": r, "distinct": d}`` (``kind`` None) or ``{(stratum of kind, "repeated"|"distinct"): n}``,
    zero cells left out: structure by structure, the distinct scenes by :meth:`Space.distinct_value`."""
    out: dict = {}
    for s in space.structures:
        for r, v in space.repeats_split(s).items():
            if v:
                k = r if kind is None else (_stratum(s, kind), r)
                out[k] = out.get(k, 0) + v
    if kind is None:
        return {r: out[r] for r in REPEATS if r in out}
    return dict(sorted(out.items(), key=lambda kv: (kv[0][0], REPEATS.index(kv[0][1]))))


def count_scenes(spec, taxonomy, *, by: str | None = None, structures: Sequence | None = None,
                 progress=None, workers: int | None = 1) -> int | dict:
    """Exact number of scenes of a constraint file, in total or per stratum.

    Parameters
    ----------
    spec : ConstraintSpec
    taxonomy : Taxonomy
    by : {None, "complexity", "shape", "structure"}
        ``None``: the total (an ``int``); otherwise a dict stratum -> count
        (strata with no scene are left out).
    structures : sequence of Structure, optional
        The structures to count over (default: every structure of the spec's bounds).
    progress : callable, optional
        Called as ``progress(done, total)`` while a count through connected scenes (:mod:`.multiset`)
        works through its object graphs (the long step of large complexity ranges).
    workers : int or None
        Processes that share a count by 2-cores (:mod:`.cores`; forked, on Linux): the same integers whatever
        their number; the refusal then weighs the expected wall time (:func:`.cores.check_work`).  ``None``: the
        CPUs for a long count by 2-cores, one process otherwise (:data:`.cores.AUTO_WORKERS_SECONDS`).

    Returns
    -------
    int or dict

    Raises
    ------
    WorkLimitExceeded (a SpaceTooLarge)
        when non-local constraints need the explicit method on too large a space.

    Examples
    --------
    >>> from gas_solver.taxonomy import load_taxonomy
    >>> from gas_solver.constraints.model import ConstraintSpec, Bounds, IntRange
    >>> tax = load_taxonomy("tests/data/toy.toml")
    >>> count_scenes(ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 2))), tax, by="shape")
    {(1, 0, 0): 10, (1, 1, 0): 61, (2, 0, 0): 55}
    """
    if by is not None:
        return count_by_stratum(spec, taxonomy, by, structures=structures, progress=progress, workers=workers)
    if is_union(spec):
        return _count_union(spec, taxonomy, structures=structures)
    return space_of(spec, taxonomy, structures=structures).total(progress=progress, workers=workers)


def weighted_total(spec, taxonomy, *, structures: Sequence | None = None) -> Fraction:
    """``Z = Σ_scenes Π soft weights``, exactly (the normaliser of weighted sampling)."""
    if is_union(spec):
        return _weighted_union_total(spec, taxonomy, structures=structures)
    return Fraction(space_of(spec, taxonomy, structures=structures).total(weighted=True))


# A file with [[count]] groups is a disjoint union of plain files (solve/counted.py): counted part by part.
def shared_union_counts(spec, taxonomy, *, structures=None) -> None:
    """Before a union's parts are counted one by one: a ``setting = "fitting"`` union without ``[[count]]``
    groups counts all its parts' graphs in one pass (:func:`share_setting_counts`; the same integers)."""
    from ..constraints.model import FITTING

    if spec.bounds.setting == FITTING and not spec.counts and structures is None:
        share_setting_counts([p.spec for p in counted_parts(spec, taxonomy)], taxonomy)


def _count_union(spec, taxonomy, *, structures=None) -> int:
    """Exact number of scenes of a file with ``[[count]]`` groups: ``Σ_parts ways · #part``."""
    shared_union_counts(spec, taxonomy, structures=structures)
    return sum(p.ways * count_scenes(p.spec, taxonomy, structures=structures) for p in counted_parts(spec, taxonomy))


def _count_union_by_stratum(spec, taxonomy, by: str, *, structures=None) -> dict:
    """``{stratum: count}`` of a file with ``[[count]]`` groups (strata without scenes left out)."""
    out: dict = {}
    shared_union_counts(spec, taxonomy, structures=structures)
    for p in counted_parts(spec, taxonomy):
        for k, v in count_by_stratum(p.spec, taxonomy, by, structures=structures).items():
            out[k] = out.get(k, 0) + p.ways * v
    if by == "repeats":
        return {r: out[r] for r in REPEATS if r in out}
    if isinstance(by, tuple):
        return dict(sorted(out.items(), key=lambda kv: (kv[0][0], REPEATS.index(kv[0][1]))))
    return dict(sorted(out.items()))


def _weighted_union_total(spec, taxonomy, *, structures=None) -> Fraction:
    """``Z`` of a file with ``[[count]]`` groups (soft weights)."""
    return sum((p.ways * weighted_total(p.spec, taxonomy, structures=structures)
                for p in counted_parts(spec, taxonomy)), Fraction(0))
