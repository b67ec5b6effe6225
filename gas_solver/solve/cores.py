"""Connected scenes by shape, summed over every object graph with the same 2-core at once.

:mod:`.multiset` counts the connected scenes of each connected object graph ``D``
separately (Burnside over ``Aut D`` and one elimination per quotient component).
Most of those graphs are a small dense **core** with trees hanging from it, or trees
alone.  Every connected graph that is not a tree has a unique 2-core (repeatedly
remove objects joined by at most one relation; what is left has every object
in at least two relations) and is that core with one rooted tree hanging from each
core object.  Here the trees are summed in closed form, once per label:

1. **Rooted trees** (Pólya).  ``R_m(y, x)`` counts the iso classes of rooted trees of
   scenes whose root has lumped label ``m`` (``y``: objects, ``x``: attributes; a tree
   of ``j`` objects has ``j - 1`` relations).  The root's children form a multiset of
   (relation into or out of the root, subtree), so with ``G = F + Fᵀ`` (``F[m, m']``:
   predicates from a subject of label ``m`` to an object of label ``m'``)

       R_m = y · u_m(x) · EXP( Σ_m' G[m, m'] R_m' ),   EXP(S) = exp( Σ_k S(y^k, x^k) / k )

   computed degree by degree in ``y`` (``u_m``: the label's concepts and attribute
   sets by number of attributes).

2. **Trees** (Otter's dissimilarity theorem).  In a tree, vertex orbits minus edge
   orbits is one; a directed relation is never reversed by an automorphism, so

       trees = Σ_m R_m  -  Σ_{m, m'} R_m · F[m, m'] · R_m'   (times one relation)

3. **Cores.**  Iso classes of graphs with core ``K`` are the orbits of ``Aut K`` on
   the ways to label ``K``'s objects, hang a rooted tree from each and choose the
   predicates of ``K``'s relations; the root's label is its object's.  Burnside as in
   :mod:`.multiset` with the unary factor of an object cycle of length ``L`` the
   rooted-tree series at power ``L`` (``L`` equal trees).  The series is in one
   variable ``s`` (complexity) with the tree's objects also marked by a number ``τ``
   (``t ↦ τ s²``: an object and its relation); evaluating at ``τ = 0 .. ⌊d/2⌋`` and
   interpolating exactly separates objects from attributes.

So one elimination per core (per ``τ``) replaces one per graph: at complexity
``[1, 16]`` 38,750 connected object graphs have 7,143 cores, and the 1,857 trees need
no elimination at all.  Exact integers throughout; ``tests/solve/test_cores.py`` checks
the result against :func:`.multiset.connected_shape_counts` and brute force.

Examples
--------
>>> from fractions import Fraction
>>> _interpolate([Fraction(v) for v in (3, 3 + 2 + 5, 3 + 4 + 20)])   # 3 + 2τ + 5τ²
[3, 2, 5]
"""

from __future__ import annotations

import os
import sys
from fractions import Fraction

import numpy as np

from . import connected, kernels, modular
from .burnside import quotient
from .connected import core_object_graphs
from .core_prices import core_ms, core_width, elimination_names
from .modular import (contract_series, contract_series_back, contract_series_front, contract_series_passes, plan_steps,
                      plan_uses, run_pass_major)
from .multiset import GraphScenes, times
from .symmetry import automorphism_classes

__all__ = ["applies", "by_complexity_alone", "check_work", "connected_complexity_counts", "connected_shape_counts",
           "core_width", "elimination_names", "rooted_trees", "tree_counts", "work_estimate"]


def applies(model, lim: dict) -> bool:
    """Whether the core method counts these bounds: no soft weights (a weight per object would count
    ``L`` times on an object cycle of length ``L``) and no degree bounds that could bind (trees are summed
    whatever their degrees)."""
    if getattr(model, "soft_edges", None) or getattr(model, "soft_nodes", None):
        return False
    r_hi = lim["r"][1]
    return (lim["out"][0] == 0 and lim["in"][0] == 0 and lim["out"][1] >= r_hi and lim["in"][1] >= r_hi)


def _poly_times(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Per label, the product of two polynomials in ``x`` (axis 1), truncated at ``p``'s length."""
    out = np.zeros_like(p)
    n = p.shape[1]
    for i in range(n):
        if not p[:, i].any():
            continue
        out[:, i:] += p[:, i:i + 1] * q[:, :n - i]
    return out


def rooted_trees(counter: GraphScenes, c_max: int) -> list[np.ndarray]:
    """``R[j]``: rooted trees of ``j`` objects by root label (axis 0, lumped) and attributes (axis 1, up to
    ``c_max``), Python integers; ``R[0]`` is zero.  Only trees of complexity ``2j - 1 + a <= c_max`` are
    exact (the others are truncated away by every use)."""
    M = len(counter.groups)
    A = c_max + 1
    u = np.array(counter.unary(1, c_max), dtype=object).T  # (M, A): u_m(x)
    F = np.array(counter.pair(1), dtype=object)
    G = F + F.T
    J = (c_max + 1) // 2
    R = [np.zeros((M, A), dtype=object) for _ in range(J + 1)]
    S = [np.zeros((M, A), dtype=object) for _ in range(J + 1)]
    E = [np.zeros((M, A), dtype=object)]
    E[0][:, 0] = 1
    T: list = [None]
    for j in range(1, J + 1):
        # E_(j-1) = [y^(j-1)] EXP(S): i·E_i = Σ_l T_l E_(i-l), T_l = Σ_(k | l) (l/k) S_(l/k)(x^k)
        i = j - 1
        if i >= 1:
            t = np.zeros((M, A), dtype=object)
            for k in range(1, i + 1):
                if i % k == 0:
                    part = S[i // k]
                    t[:, 0:A:k] += (i // k) * part[:, :(A - 1) // k + 1]
            T.append(t)
            acc = np.zeros((M, A), dtype=object)
            for l in range(1, i + 1):
                acc += _poly_times(T[l], E[i - l])
            if any(v % i for v in acc.ravel()):
                raise AssertionError("rooted trees: a non-integral multiset count")
            E.append(acc // i)
        R[j] = _poly_times(u, E[j - 1])
        S[j] = G.dot(R[j])
    return R


def tree_counts(counter: GraphScenes, R: list[np.ndarray], c_max: int) -> dict[tuple[int, int, int], int]:
    """``{(n, a, r): connected scenes whose object graph is a tree}`` up to complexity ``c_max``."""
    F = np.array(counter.pair(1), dtype=object)
    out: dict = {}
    J = len(R) - 1
    for j in range(1, J + 1):
        vert = R[j].sum(axis=0)
        edge = np.zeros(c_max + 1, dtype=object)
        for j1 in range(1, j):
            # Σ_(m, m') R_j1[m] F[m, m'] R_j2[m'] as polynomials in x
            left = F.T.dot(R[j1])  # (M, A): Σ_m F[m, m'] R_j1[m]
            edge += _poly_times(left, R[j - j1]).sum(axis=0)
        for a in range(c_max + 1):
            n, r = j, j - 1
            if n + r + a > c_max:
                break
            v = vert[a] - edge[a]
            if v:
                out[(n, a, r)] = v
    return out


def _interpolate(values: list[Fraction]) -> list[int]:
    """Coefficients of the polynomial of degree ``< len(values)`` through ``(τ, values[τ])``, τ = 0, 1, ...
    (Newton's divided differences; exact)."""
    n = len(values)
    coef = list(values)
    for k in range(1, n):
        for i in range(n - 1, k - 1, -1):
            coef[i] = (coef[i] - coef[i - 1]) / k
    # Newton form -> monomial form
    poly = [Fraction(0)] * n
    for k in range(n - 1, -1, -1):
        # poly = poly * (τ - k) + coef[k]
        new = [Fraction(0)] * n
        for i, c in enumerate(poly):
            if c:
                if i + 1 < n:
                    new[i + 1] += c
                new[i] -= k * c
        new[0] += coef[k]
        poly = new
    out = []
    for c in poly:
        if c.denominator != 1:
            raise AssertionError("interpolation: a non-integral coefficient")
        out.append(int(c))
    return out


class _CoreScenes:
    """Partition functions of quotient components of cores with the rooted-tree series as unary factors."""

    # (for :class:`.kernels.KernelScenes`, which works on the same series)
    names = staticmethod(lambda n, edges: elimination_names(n, edges))
    interpolate = staticmethod(lambda values: _interpolate(values))

    def __init__(self, counter: GraphScenes, R: list[np.ndarray]):
        self.counter = counter
        self.R = R
        self._unary: dict = {}
        self._values: dict = {}
        self._diagonals: dict = {}

    def unary(self, L: int, d: int, tau: int) -> np.ndarray:
        """``Σ_(j, a) R_j[m][a] τ^(L(j-1)) s^(L(2(j-1) + a))`` truncated at ``s^d``: shape ``(d + 1, M)``."""
        key = (L, d, tau)
        hit = self._unary.get(key)
        if hit is None:
            M = len(self.counter.groups)
            hit = np.zeros((d + 1, M), dtype=object)
            for j in range(1, len(self.R)):
                base = L * 2 * (j - 1)
                if base > d:
                    break
                w = tau ** (L * (j - 1))
                if not w:
                    continue
                for a in range(0, (d - base) // L + 1):
                    col = self.R[j][:, a]
                    if col.any():
                        hit[base + L * a] += w * col
            self._unary[key] = hit
        return hit

    def factors(self, key, d: int, tau: int) -> list:
        """The factors whose sum over labels is the value of the quotient component ``key``."""
        verts, edges = key
        # variables renamed so that the elimination's least-degree choice, ties broken by name, takes
        # the cheapest least-degree order (:func:`elimination_names`)
        name = elimination_names(len(verts), [(i, j) for i, j, _ in edges])
        factors = [((name[i],), self.unary(L, d, tau)) for i, (_, L) in enumerate(verts)]
        for i, j, L in edges:
            F = self.counter.pair(L)
            if i == j:
                # (one array per L: the memo knows an input by its identity)
                diagonal = self._diagonals.get(L)
                if diagonal is None or diagonal[0] is not F:
                    diagonal = self._diagonals[L] = (F, np.ascontiguousarray(np.diagonal(F)))
                factors.append(((name[i],), diagonal[1]))
            else:
                factors.append(((name[i], name[j]), F))
        return factors

    def component(self, key, d: int, tau: int) -> list[int]:
        ck = (key, d, tau)
        hit = self._values.get(ck)
        if hit is None:
            factors = self.factors(key, d, tau)
            # a counter that shares elimination messages between contractions passes its memo on: cores
            # repeat sub-problems (a four-clique eliminated to the same message in many cores)
            memo = getattr(self.counter, "memo", None)
            # (four objects left all related, with messages of eliminated objects among their factors: the
            # dense path, .dense)
            hit = self._values[ck] = (contract_series(factors, d, dense=True) if memo is None
                                      else contract_series(factors, d, memo=memo, dense=True))
        return hit

    def component_keys(self, graph, d: int, by_complexity: bool) -> list:
        """The quotient components ``(key, d, τ)`` whose values :meth:`core` multiplies, each once, in the order
        it asks for them."""
        keys: dict = {}
        for tau in ([1] if by_complexity else range(d // 2 + 1)):
            for c in automorphism_classes(graph):
                for key, _ in quotient(graph.n, graph.attributes, graph.edges, c.rep).components:
                    keys[(key, d, tau)] = None
        return list(keys)

    def cores_pass_major(self, graphs: list, d_of, by_complexity: bool, memo=None, plans: list | None = None, *,
                         group: int | None = None):
        """``(graph, core(graph, d_of(graph)))`` for each graph in order (a generator), the contractions of
        ``group`` consecutive cores at a time pass by pass (:func:`.modular.run_pass_major`: the float pass of
        every component of the group, then every wrap pass, then each prime's), each distinct component once.
        With a ``memo`` told the plan of these cores (``plans``: each core's planned keys, :meth:`plan`, and
        :meth:`.modular.Memo.expect` with that order), each core's keys are released when its group is done, and
        the memo drops still-needed rows by when their pass comes (:meth:`.modular.Memo.pass_major`); it then
        holds one pass's rows at a time.  The same values as :meth:`core` one by one."""
        group = group or PASS_MAJOR_CORES
        planned = memo is not None and plans is not None
        starts = group_starts(plans, group) if planned else list(range(0, len(graphs), group))
        if planned:
            memo.pass_major(starts)
        try:
            for lo, hi in zip(starts, starts[1:] + [len(graphs)]):
                run = graphs[lo:hi]
                jobs: dict = {}
                places: list = []  # (each contraction's first core, from the group's first)
                for at, g in enumerate(run):
                    for ck in self.component_keys(g, d_of(g), by_complexity):
                        if ck not in self._values and ck not in jobs:
                            jobs[ck] = contract_series_passes(self.factors(*ck), ck[1], memo, dense=True)
                            places.append(at)
                for ck, value in zip(jobs, run_pass_major(list(jobs.values()), memo, places)):
                    self._values[ck] = value
                for i, g in enumerate(run):
                    found = self.core(g, d_of(g), by_complexity=by_complexity)
                    if planned:  # (also a core without keys: the memo counts where the plan is)
                        memo.release(plans[lo + i] or ())
                    yield g, found
        finally:
            if planned:
                memo.pass_major(None)

    def core(self, graph, d: int, *, by_complexity: bool = False) -> dict[tuple[int, int], int]:
        """``{(tree objects J, attributes a): connected scenes with core graph}`` with ``2J + a <= d``; with
        ``by_complexity``, ``{(0, e): ...}`` by the complexity ``e = 2J + a`` beyond the core's alone (one
        elimination per component at ``τ = 1`` instead of one per ``τ = 0 .. ⌊d/2⌋``)."""
        taus = [1] if by_complexity else range(d // 2 + 1)
        totals = []  # per τ: coefficients of s^0 .. s^d summed over Aut's classes
        classes = automorphism_classes(graph)
        for tau in taus:
            total = [0] * (d + 1)
            for c in classes:
                fix = [c.size] + [0] * d
                for key, _ in quotient(graph.n, graph.attributes, graph.edges, c.rep).components:
                    fix = times(fix, self.component(key, d, tau))
                total = [s + f for s, f in zip(total, fix)]
            totals.append(total)
        out: dict = {}
        order = graph.group_order
        for e in range(d + 1):
            k = e // 2 + 1  # J = 0 .. e // 2
            if by_complexity:
                v = totals[0][e]
                q, rem = divmod(v, order)
                if rem:
                    raise AssertionError(f"non-integral orbit count {v}/{order}")
                if q:
                    out[(0, e)] = q
                continue
            coef = _interpolate([Fraction(totals[t][e]) for t in range(k)])
            for J, v in enumerate(coef):
                if not v:
                    continue
                q, rem = divmod(v, order)
                if rem:
                    raise AssertionError(f"non-integral orbit count {v}/{order}")
                out[(J, e - 2 * J)] = q
        return out


    def plan(self, graphs: list, d_of, by_complexity: bool, memo) -> tuple[list, list]:
        """``graphs`` ordered so that cores whose eliminations share steps come one after another, and per core
        (in that order) the memo's keys of the steps its components ask for (:func:`.modular.plan_steps`, a dry
        run on one label per object).  The order: by the sequence of steps that are not computed once for every
        prime (the shared messages worth keeping), so that a message is needed by a run of neighbouring cores
        and the memo, told how many cores use each step (:meth:`.modular.Memo.expect`), drops it after the
        last of them, and where it must drop a message still needed, drops the one needed again latest (told the
        order, :meth:`.modular.Memo.expect`).  At ``[1, 16]`` the 1,160 cores of width 3 counted one by one need 120
        distinct ``labels^4`` messages for 2,209 uses; with 256 MB, 304 of the 671 message rows computed are
        computed again (335 of 709 dropping the least recently used; ``benchmarks/c16_core_steps.py``)."""
        kept: dict = {}
        seen: dict = {}
        per_core = []
        for g in graphs:
            d = d_of(g)
            keys: list = []
            for tau in ([1] if by_complexity else range(d // 2 + 1)):
                for c in automorphism_classes(g):
                    for key, _ in quotient(g.n, g.attributes, g.edges, c.rep).components:
                        ck = (key, d, tau)
                        hit = seen.get(ck)
                        if hit is None:
                            hit = seen[ck] = plan_steps(self.factors(key, d, tau), d, memo, kept)
                        keys.extend(hit)
            per_core.append(list(dict.fromkeys(keys)))

        def shared(keys):
            return tuple(k for k in keys if not kept.get(k, (None, None, True))[2])

        order = sorted(range(len(graphs)), key=lambda i: shared(per_core[i]))
        return [graphs[i] for i in order], [per_core[i] for i in order]


def group_starts(plans: list, size: int) -> list[int]:
    """Where the groups of consecutive planned cores start (:meth:`_CoreScenes.cores_pass_major`): groups of
    ``size`` to ``2·size`` cores, each cut where the fewest memo keys (``plans``: each core's) are used both by the
    ``size`` cores before the cut and by the ``size`` after it (a message used on both sides is computed in both
    groups, once per pass).

    >>> group_starts([[1], [1], [2], [2], [2], [3]], 2)
    [0, 2]
    """
    def shared(lo, cut):
        return len(set().union(*plans[max(lo, cut - size):cut]) & set().union(*plans[cut:cut + size]))

    starts = [0]
    while len(plans) - starts[-1] > 2 * size:
        lo = starts[-1]
        starts.append(min(range(lo + size, lo + 2 * size + 1), key=lambda cut: shared(lo, cut)))
    return starts


def _is_core(graph) -> bool:
    if graph.n < 2:
        return False
    deg = [0] * graph.n
    for u, v in graph.edges:
        deg[u] += 1
        deg[v] += 1
    return min(deg) >= 2


def cores(lim: dict) -> list:
    """The connected object graphs of the bounds whose every object is in two relations or more, listed
    directly (:func:`.connected.core_object_graphs`: at ``[1, 16]`` 7,143 cores without the 31,607 other
    connected graphs)."""
    return list(core_object_graphs(complexity=lim["c"][1], objects=lim["n"][1], relations=lim["r"][1],
                                   acyclic=lim["acyclic"], min_attributes=lim["apo"][0]))


#: the memo's size while cores are counted in the planned order (:meth:`_CoreScenes.plan`), where an unbounded memo
#: would hold ~1.6 GB at ``[1, 16]``.  192 MB keeps the real ``[1, 16]`` count's peak under 1 GB with room: 869 MB
#: peak RSS and 109.0 s CPU, where 256 MB peaked at 941-982 MB in 104.3-105.5 s (c16_memory_memo192.json,
#: c16_memory_memo256.json; 126 edge lumps)
PLANNED_MEMO_BYTES = 192 << 20
#: the cores counted one by one run pass by pass in groups of this many to twice as many in the planned order
#: (:meth:`_CoreScenes.cores_pass_major`, :func:`group_starts`): at ``[1, 16]`` the 1,160 width-3 cores computed
#: 688 ``labels^4`` message rows one core after another, 587 in groups of 64-128, 558 of 200-400, 515 in one group,
#: whose peak was ~100 MB higher (the heap's fragmentation; ``benchmarks/c16_core_steps.py --group G``)
PASS_MAJOR_CORES = 200
#: the memo's size while kernels are summed (:mod:`.kernels`): their messages are series of ``labels^3``
#: entries (~40-80 MB each at [1, 16]) that few of their eliminations share; with 128 MB the four-clique's
#: family at [1, 16] peaked ~150 MB higher and was no faster (``benchmarks/c16_memory.py``)
KERNEL_MEMO_BYTES = 32 << 20
#: the wrap pass of :mod:`.modular` runs in the kernels' eliminations where this many primes would be left (never)
KERNEL_WRAP_PASS_PRIMES = 10 ** 9
#: more connected object graphs than this (:func:`.work.estimate_object_graphs`: 79,686 at [1, 16], whose
#: 7,143 cores are listed in ~2-3 s) and the cores are not even listed
LIST_ABOVE = 100_000


def _return_free_memory() -> None:
    """Give the heap's free pages back to the system (glibc's ``malloc_trim``; nothing where there is none).
    The kernels' Python integers, once dropped, leave ~400 MB of free heap at [1, 16] that the cores' large
    arrays, which the allocator maps apart, would never reuse: resident all through the cores."""
    import ctypes

    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


#: CPU seconds of a count by cores before its kernels and cores (rooted trees, the cores' listing and grouping), beside
#: milliseconds per core listed and per core planned (:meth:`_CoreScenes.plan`): at ``[1, 16]`` 1.5 s for 7,143 cores
#: listed and 3.6 s for the plan of 3,279, at ``[1, 14]`` 0.6-0.8 s and 0.9 s for 878 and 709
#: (``benchmarks/core_prices_check.py``); a listing read from the shipped one (:func:`.connected.stored_cores`) 0.15 s
#: for the 7,143 cores instead of 1.3 s
SETUP_SECONDS = 0.5
LIST_MS = 0.14
STORED_LIST_MS = 0.03
PLAN_MS = 1.1


def work_estimate(lim: dict, labels: int, *, by_complexity: bool = True) -> tuple[float, str]:
    """About how many CPU seconds the count by cores takes for bounds ``lim`` on ``labels`` lumped labels, and
    what makes it up (the cores by width); the cores are listed (seconds at [1, 16]: see :func:`check_work`
    for larger bounds).  A count that sums the
    cores otherwise replaces this estimate.  Per core :data:`.core_prices.CORE_MS`, times the number of ``τ`` values where
    the count splits tree objects from attributes."""
    seconds, detail, _, _ = _estimate(lim, labels, by_complexity)
    return seconds, detail


def _estimate(lim: dict, labels: int, by_complexity: bool) -> tuple[float, str, list[float], int]:
    """:func:`work_estimate`, the estimated seconds of the tasks that workers would share (the set-up, the plan,
    each kernel, then each core counted one by one, in the listing's order) and how many of them come before the
    cores (the set-up, the plan and the kernels)."""
    c_max = lim["c"][1]
    scale = labels / 114
    total_ms = 0.0
    by_width: dict = {}
    listed = cores(lim)
    rest = listed
    kernel_s, grouped = 0.0, []
    if kernels.USE_KERNELS and kernels.applies(lim):  # the cores that the count sums by kernel, at their cost
        groups, rest = kernels.group_cores(listed, c_max, by_complexity=by_complexity)
        grouped = [rep for rep, _ in groups.values()]
        kernel_s = kernels.grouped_seconds(grouped, c_max, labels)
        if not by_complexity:
            kernel_s *= (c_max - 5) // 2 + 1
    core_s = []
    for g in rest:
        w = min(4, core_width(g))
        ms = core_ms(g, c_max - g.n - len(g.edges), scale=scale, by_complexity=by_complexity)
        total_ms += ms
        core_s.append(_Light(ms / 1000) if w <= LIGHT_WIDTH else ms / 1000)
        n, t = by_width.get(w, (0, 0.0))
        by_width[w] = (n + 1, t + ms)
    parts = ", ".join(f"{n:,} of width {w} ~{t / 1000:,.0f} s" for w, (n, t) in sorted(by_width.items()))
    if grouped:
        parts += (f", {len(listed) - len(rest):,} in {len(grouped)} kernel{'s' if len(grouped) > 1 else ''} "
                  f"summed at once ~{kernel_s:,.0f} s")
    # the count's own set-up (rooted trees, the cores listed and grouped) and the plan of the one-by-one cores, in
    # the driver before any worker starts
    stored = (lim["acyclic"] and connected.STORED_FROM <= c_max <= connected.STORED_COMPLEXITY
              and connected.USE_STORED_CORES)
    setup = SETUP_SECONDS + (STORED_LIST_MS if stored else LIST_MS) * len(listed) / 1000
    plan = PLAN_MS * len(rest) / 1000
    fixed = setup + plan
    parts += f", set-up and plan ~{fixed:,.0f} s"
    # (the kernels' seconds shared in proportion to their own estimates: the path series are in the total)
    own = [kernels.seconds(k, c_max, labels) for k in grouped]
    tasks = [setup, plan] + [kernel_s * x / sum(own) if sum(own) else 0.0 for x in own] + core_s
    return total_ms / 1000 + kernel_s + fixed, f"{len(listed):,} cores: {parts}", tasks, len(own) + 2


#: the one-by-one cores cost this many times their CPU seconds in one process when counted by two worker processes or
#: more: each worker's memo holds a share of the messages, the runs' cuts lose what neighbouring cores would share
#: (messages, components' values, groups of :data:`PASS_MAJOR_CORES`), and memory-bound processes slow each other.  At
#: [1, 16] on two cores, the cores that took 79.4 s in one process took 93.8 s in two workers' runs with the whole memo
#: each, 108.1 s with their shares, both run one worker after the other, and 117.5 s at once (load ~1.5;
#: ``benchmarks/c16_worker_split.py``, results/c16_worker_split_20a_*.json, c16_memory_round9_w1.json and _w2.json)
WORKERS_CPU = 1.48
#: the cores left after the kernels cost this many times their CPU seconds in one process when two processes split
#: their passes (:func:`_split_passes`; both processes' seconds together, the driver's groups and cores included):
#: at [1, 16] the 1,188 cores left took 71.5 s CPU in one process (``benchmarks/c16_pass_kinds.py``, load ~4) and
#: 105.9 s in the two processes (51.9 + 54.0 s, load ~5; results/c16_memory_21a_split_b.json): each memo holds half
#: the rows, the messages exact in every pass are computed in both, and two memory-bound processes slow each other
SPLIT_CPU = 1.45


class _Light(float):
    """The estimated seconds of a core of width at most :data:`LIGHT_WIDTH` (:func:`_estimate`): counted beside the
    kernels (:func:`wall_estimate`)."""


def wall_estimate(task_seconds: list[float], kernel_tasks: int, workers: int) -> float:
    """The expected wall seconds of tasks shared by ``workers`` processes as :func:`_connected` shares them.  The
    ``kernel_tasks`` first tasks are the driver's set-up, its plan of the cores and the kernels: one after the other
    in the driver, or with :data:`KERNELS_IN_WORKERS` the set-up in the driver, then the kernels in a process of
    their own beside the driver's plan and its runs of light cores (:class:`_Light` seconds) as long as the kernels
    last.  Then the workers take the other runs (:func:`_split_runs`), each to the first worker free.  A run costs
    :data:`WORKERS_CPU` times its cores' seconds in one process.  Two workers instead split the passes of every core
    left (:data:`SPLIT_PASSES`), which then costs :data:`SPLIT_CPU` times its seconds in one process, shared by two,
    less what the driver's fronts did while the kernels lasted (up to half).

    >>> round(wall_estimate([0.5, 1.0, 4.0, 1.0, 1.0, 1.0, 1.0], 3, 3), 2)   # (set-up, plan, a kernel, four cores)
    7.46
    >>> round(wall_estimate([0.5, 1.0, 4.0] + [_Light(1.0)] * 2 + [1.0] * 2, 3, 3), 2)   # (two light cores beside)
    5.98
    >>> round(wall_estimate([0.5, 1.0, 4.0, 1.0, 1.0, 1.0, 1.0], 3, 2), 2) == round(4.5 + 2 * SPLIT_CPU, 2)
    True
    >>> wall_estimate([0.5, 1.0, 4.0, 1.0, 1.0, 1.0, 1.0], 3, 1)
    9.5
    """
    if workers <= 1:
        return sum(task_seconds)
    apart = KERNELS_IN_WORKERS and kernel_tasks > 2
    serial = sum(task_seconds[:1 if apart else kernel_tasks])
    light = [t * WORKERS_CPU for t in task_seconds[kernel_tasks:] if apart and isinstance(t, _Light)]
    other = [t for t in task_seconds[kernel_tasks:] if not (apart and isinstance(t, _Light))]
    start = serial
    kernels_done = driver = serial
    if apart:  # (the kernels' process from the set-up's end; the driver plans, then counts light runs meanwhile)
        kernels_done = serial + sum(task_seconds[2:kernel_tasks])
        driver = serial + task_seconds[1]
        runs = _split_runs(light, workers)
        while runs and driver < kernels_done:
            a, b = runs.pop(0)
            driver += sum(light[a:b])
        start = max(driver, kernels_done)
        other = [sum(light[a:b]) / WORKERS_CPU for a, b in runs] + other
    if workers == 2 and SPLIT_PASSES:  # (two processes split the passes of every core left: _split_passes)
        work = sum(other) * SPLIT_CPU
        early = min(max(0.0, kernels_done - driver), work / 2) if SPLIT_AHEAD else 0.0  # (the driver's fronts)
        return start + (work - early) / 2
    other = [t * WORKERS_CPU for t in other]
    free = [start] * workers
    for a, b in _split_runs(other, workers):
        i = free.index(min(free))
        free[i] += sum(other[a:b])
    return max(free)


#: ``workers=None`` (``gas count`` without ``--workers``): a count by cores estimated at more than this many CPU seconds
#: in one process is shared among the CPUs (``os.cpu_count()``); a shorter one runs in one process, where forking,
#: the memo's shares and the runs' cuts (:data:`WORKERS_CPU`) cost more than a second CPU gives back.  On two CPUs
#: [1, 16] (~100 s) gets two workers, [1, 14] (~13 s) one process
AUTO_WORKERS_SECONDS = 30.0


def check_work(lim: dict, labels: int, *, by_complexity: bool = True, workers: int | None = 1) -> int:
    """Refuse (:class:`~gas_solver.errors.WorkLimitExceeded`) a count by cores whose expected time is above
    ``LIMITS["core_seconds"]``, naming the estimate and the way out; else the number of worker processes the count
    uses: ``workers``, or with ``None`` the CPUs where the estimate passes :data:`AUTO_WORKERS_SECONDS`, else one.
    The limit bounds how long the count makes its user wait: with one process that is its estimated CPU time
    (:func:`work_estimate`); with ``workers`` processes the estimated wall time on ``min(workers, CPUs)`` of them
    (:func:`wall_estimate`), and the refusal quotes both (the CPU seconds do not shrink: the workers share them)."""
    from ..errors import WorkLimitExceeded
    from .work import LIMITS, estimate_object_graphs

    way_out = "lower space.complexity, or bound space.objects or space.relations"
    est = estimate_object_graphs(lim)
    if est > LIST_ABOVE:  # (not even the cores are listed)
        raise WorkLimitExceeded("counting through the connected object graphs of the bounds", est, LIST_ABOVE,
                                "object graphs", way_out)
    seconds, detail, tasks, kernel_tasks = _estimate(lim, labels, by_complexity)
    cpus = os.cpu_count() or 1
    if workers is None:
        workers = cpus if seconds > AUTO_WORKERS_SECONDS and sys.platform.startswith("linux") else 1
    used = max(1, min(workers, cpus))
    limit = LIMITS["core_seconds"]
    if used <= 1:
        if seconds > limit:
            wall = wall_estimate(tasks, kernel_tasks, cpus)
            if cpus > 1 and wall <= limit:  # (the way out that needs no change to the file)
                way_out += f", or share the count among {cpus} worker processes (--workers {cpus}: ~{wall:,.0f} s)"
            raise WorkLimitExceeded(f"counting connected scenes by their 2-cores ({detail})", seconds, limit,
                                    "CPU seconds (estimated)", way_out)
        return workers
    wall = wall_estimate(tasks, kernel_tasks, used)
    if wall > limit:
        raise WorkLimitExceeded(f"counting connected scenes by their 2-cores in {used} worker processes ({detail}; "
                                f"~{seconds:,.0f} CPU seconds in all)", wall, limit,
                                "seconds of wall time (estimated)", way_out)
    return workers


def by_complexity_alone(lim: dict) -> bool:
    """Whether the bounds restrict shapes by complexity alone (objects, attributes and relations bounded
    only by the complexity; at least one object is implied by a complexity of at least 1): the total
    then needs connected scenes by complexity only (:func:`connected_complexity_counts`)."""
    c_max = lim["c"][1]
    return (lim["n"][0] <= 1 and lim["a"][0] == 0 and lim["r"][0] == 0 and lim["c"][0] >= lim["n"][0]
            and min(lim["n"][1], lim["a"][1], lim["r"][1]) >= c_max)


def _add(out: dict, found: dict, n: int, r: int, by_complexity: bool) -> None:
    """Add one core's (or kernel's) ``{(J, a): scenes}`` to ``out`` under its stratum's key."""
    for (J, a), v in found.items():
        s = (n + r + a, 0, 0) if by_complexity else (n + J, a, r + J)
        out[s] = out.get(s, 0) + v


def _count_run(scenes: "_CoreScenes", graphs: list, plans: list, memo, c_max: int, by_complexity: bool, *,
               progress=None, done: int = 0, total: int = 0) -> dict:
    """The connected scenes of a run of cores counted one by one, in the planned order (:meth:`_CoreScenes.plan`;
    ``plans``: each core's memo keys, or ``None`` each without a memo), as ``{stratum key: scenes}``.  The memo is
    told this run's steps and their order (:meth:`.modular.Memo.expect`) and releases each core's steps after it;
    the caller empties it.  One process counts every core in one run; worker processes a contiguous run each
    (:func:`_split_runs`), so that the cores that share messages stay together."""
    out: dict = {}
    if memo is not None and any(plans):
        memo.expect(plan_uses(plans), order=plans)
    if progress is not None:
        progress(done, total)
    # (a group of cores at a time, pass by pass: :meth:`_CoreScenes.cores_pass_major` releases each core's keys)
    for g, found in scenes.cores_pass_major(graphs, lambda g: c_max - g.n - len(g.edges), by_complexity, memo,
                                            plans if memo is not None else None):
        _add(out, found, g.n, len(g.edges), by_complexity)
        done += 1
        if progress is not None:
            progress(done, total)
    return out


def _split_runs(costs: list[float], workers: int, *, runs_per_worker: int = 8) -> list[tuple[int, int]]:
    """Cut ``costs`` (estimated seconds of the cores in the planned order) into contiguous runs ``(start, stop)``
    for ``workers`` processes that each take the next run when they finish one.  The runs shrink as the work
    left does (each about a ``1 / (2·workers)`` share of what is left, none below a ``1 / (2·runs_per_worker·
    workers)`` share of the whole: guided self-scheduling), so that the workers finish close together with few
    cuts (each cut loses the messages that neighbouring cores would have shared through the memo).  The smallest
    runs are small, and no run holds more than a ``1 / (runs_per_worker·workers)`` share of the cores, because the
    estimates are rough where it matters, at the end: at [1, 16] the last run of the plan (3 runs per worker), 693
    cores of width 2 and 31 of width 3, took 33 s CPU for 8.9 s estimated, where the other runs took 0.55-1.9
    times their estimates (``benchmarks/c16_memory.py --workers 2``, results/c16_memory_workers2_try2.json).

    >>> _split_runs([1.0] * 10, 2, runs_per_worker=2)
    [(0, 3), (3, 5), (5, 7), (7, 9), (9, 10)]
    >>> [b - a for a, b in _split_runs([1.0] * 64, 2)]
    [4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 2, 2, 2]
    >>> _split_runs([1.0] * 3, 1)
    [(0, 3)]
    """
    if workers <= 1 or not costs:
        return [(0, len(costs))] if costs else []
    whole = sum(costs)
    least = whole / (2 * runs_per_worker * workers)
    longest = -(-len(costs) // (runs_per_worker * workers))  # (cores: where the estimates are low, runs stay short)
    out = []
    start, left = 0, whole
    while start < len(costs):
        target = max(left / (2 * workers), least)
        stop, acc = start, 0.0
        while stop < len(costs) and (acc < target or stop == start) and stop - start < longest:
            acc += costs[stop]
            stop += 1
        out.append((start, stop))
        left -= acc
        start = stop
    return out


#: what the worker processes of a count by cores read (:func:`_connected` with ``workers``; forked, never pickled)
class _Shared:
    key = "gas-count-cores"

    def __init__(self, **kw):
        self.__dict__.update(kw)

    def build(self):  # (only a forked worker reads the driver's; a spawned one cannot rebuild it)
        raise RuntimeError("the count's worker processes need fork (Linux)")


def _work(shared: _Shared, task: tuple) -> tuple[dict, dict]:
    """One task of a count by cores in a forked process: ``("kernels",)``, every kernel's cores summed at once
    (:func:`_count_kernels`; in a process forked before the plan, whose memo it uses), or ``("run", start, stop)``,
    a run of the planned cores.  Returns the task's
    ``{stratum key: scenes}`` and what it cost (process, CPU and wall seconds, resident MB, the memo's hits)."""
    import time

    cpu, wall = time.process_time(), time.perf_counter()
    _heap_share(shared.workers)
    counter = shared.scenes.counter
    hits = counter.memo.hits
    if task[0] == "kernels":
        # (as one process sums them, one after the other: this process holds nothing else)
        out, _ = _count_kernels(shared.scenes, shared.grouped, counter.memo, shared.c_max, shared.by_complexity, None, 0)
        cores_done = sum(len(gl) for _, gl in shared.grouped.values())
        hits = 0
    else:
        _, start, stop = task
        out = _count_run(shared.scenes, shared.graphs[start:stop], shared.plans[start:stop], counter.memo,
                         shared.c_max, shared.by_complexity)
        cores_done = stop - start
        hits = counter.memo.hits - hits
        _return_free_memory()  # (the run's temporaries: the next run is elsewhere in the plan)
    info = {"task": list(task), "pid": os.getpid(), "cores": cores_done, "memo_hits": hits,
            "cpu_s": round(time.process_time() - cpu, 3), "wall_s": round(time.perf_counter() - wall, 3),
            "rss_mb": round(_rss_mb(), 1), "finished": time.monotonic()}
    return out, info


#: whether a count with two workers splits the passes of each pass-by-pass group of the cores left after the kernels
#: between them (:func:`_split_passes`) instead of cutting the cores into runs (:func:`_split_runs`): one process runs
#: the float and wrap passes of every group, the other each group's primes, so that no group is cut, no message of
#: a pass is computed in both, and each memo holds the rows of its own passes only
SPLIT_PASSES = True
#: each of the two processes' memo while they split the passes (:func:`_split_passes`), by role: the float pass's rows
#: are float64 and cost the most to lose (at [1, 16], load ~5: the fronts of groups 1-10 took 42.2 s CPU with 96 MB,
#: 34.9 s with 192 MB; the backs 38.9 and 36.6 s; c16_memory_21a_split_b.json, _split_memo192.json); 192 MB each
#: took the processes to 1,182 MB (proportional set sizes summed), 96 MB each to 994 MB
SPLIT_MEMO_BYTES = {"front": 96 << 20, "back": 96 << 20}
#: whether the driver runs the first fronts itself while the kernels' process lasts (:func:`_fronts_ahead`), with a
#: memo of :data:`SPLIT_AHEAD_MEMO_BYTES`.  Off: at [1, 16] (load ~3) it took the wall from ~161-191 s to 117.6 s,
#: but the processes to 1,061 MB PSS summed, over the 1 GB bar, where the split alone peaked at 868-994 MB (the
#: driver's peak 313 MB instead of 143; results/c16_memory_21a_ahead_default.json)
SPLIT_AHEAD = False
SPLIT_AHEAD_MEMO_BYTES = 64 << 20
#: the groups whose passes the two processes split hold this many cores to twice as many (:func:`group_starts`): the
#: last groups are where the two meet, so that smaller groups let them finish closer together
SPLIT_GROUP_CORES = 64

# (:func:`_split_passes`' shared state: each group's)
_OPEN, _FRONT_RUNNING, _FRONT_DONE, _CLAIMED = range(4)


def _pass_groups(keys: list, plans: list, taken) -> list[tuple[int, int, list, list]]:
    """The pass-by-pass groups of cores (:func:`group_starts` on ``plans``, :data:`SPLIT_GROUP_CORES`) as ``(start,
    stop, jobs, places)``: the quotient components that each group contracts (``keys``: each core's
    :meth:`_CoreScenes.component_keys`; a component in an earlier group or in ``taken`` is not contracted again) and
    each one's place after the group's first core, as :meth:`_CoreScenes.cores_pass_major` runs them.

    >>> _pass_groups([["a", "b"], ["b", "c"], ["d"]], [[1], [1], [2]], {"d"})
    [(0, 3, ['a', 'b', 'c'], [0, 0, 1])]
    """
    starts = group_starts(plans, SPLIT_GROUP_CORES)
    seen = set(taken)
    out = []
    for lo, hi in zip(starts, starts[1:] + [len(plans)]):
        jobs, places = [], []
        for at in range(lo, hi):
            for ck in keys[at]:
                if ck not in seen:
                    seen.add(ck)
                    jobs.append(ck)
                    places.append(at - lo)
        out.append((lo, hi, jobs, places))
    return out


def _split_claim(status, role: str) -> tuple[str, int, bool] | None:
    """The next part of :func:`_split_passes`' work for ``role`` (``"front"`` or ``"back"``), claimed in ``status``
    (each group's: :data:`_OPEN`, its front running or done, or :data:`_CLAIMED`; a lock held): ``(kind, group)``
    with kind ``"front"`` (the group's float and wrap passes), ``"back"`` (its primes, its front done) or
    ``"whole"``; ``("wait", group)``: the back role's next front is running; ``None``: nothing left for the role.
    The front role runs the fronts in order from the second group on, then, with none left, the backs of done
    fronts from the last down; the back role runs the first group whole, then each group's back in order (whole
    where no front has begun) and, while the next front runs, whole open groups from the last down.

    A third item says whether the group is out of the role's order (from the end).

    >>> s = [_OPEN] * 4
    >>> _split_claim(s, "back"), _split_claim(s, "front"), _split_claim(s, "back"), _split_claim(s, "front")
    (('whole', 0, False), ('front', 1, False), ('whole', 3, True), ('front', 2, False))
    >>> _split_claim(s, "back"), _split_claim(s, "front")
    (('wait', 1, False), None)
    >>> s[1] = s[2] = _FRONT_DONE
    >>> _split_claim(s, "back"), _split_claim(s, "front"), _split_claim(s, "back"), _split_claim(s, "front")
    (('back', 1, False), ('back', 2, True), None, None)
    """
    n = len(status)
    if role == "front":
        for g in range(1, n):
            if status[g] == _OPEN:
                status[g] = _FRONT_RUNNING
                return "front", g, False
        for g in range(n - 1, -1, -1):
            if status[g] == _FRONT_RUNNING:  # (its own, still running: none left to claim yet)
                return None
            if status[g] == _FRONT_DONE:
                status[g] = _CLAIMED
                return "back", g, True
        return None
    for g in range(n):
        if status[g] == _CLAIMED:
            continue
        kind = {_OPEN: "whole", _FRONT_DONE: "back"}.get(status[g])
        if kind is None:  # (the front runs: an open group from the end meanwhile, else wait for it)
            for h in range(n - 1, g, -1):
                if status[h] == _OPEN:
                    status[h] = _CLAIMED
                    return "whole", h, True
            return "wait", g, False
        status[g] = _CLAIMED
        return kind, g, False
    return None


def _replan(memo, plans: list, groups: list, first: int, stop: int) -> None:
    """Tell ``memo`` the plan of ``groups[first:stop]`` alone (their cores' keys in order, pass by pass), its other
    messages kept: a process of :func:`_split_passes` that goes on elsewhere than its plan's next group."""
    memo.replan()
    lo, hi = groups[first][0], groups[stop - 1][1]
    memo.expect(plan_uses(plans[lo:hi]), order=plans[lo:hi])
    memo.pass_major([g[0] - lo for g in groups[first:stop]])


def _split_role(shared: "_Shared", role: str) -> tuple[dict, dict]:
    """One of the two processes of :func:`_split_passes` (forked): ``({component key: value}, what it cost)``, the
    components whose primes ran here (their fronts here or in the other process, read from its files)."""
    import pickle
    import time

    cpu, wall = time.process_time(), time.perf_counter()
    _heap_share(2)
    scenes, memo, groups, status = shared.scenes, shared.scenes.counter.memo, shared.groups, shared.status
    plans = shared.plans
    hits = memo.hits
    memo.max_bytes = SPLIT_MEMO_BYTES[role]
    planned = None  # (the group that the memo's plan expects next, in order to the last)
    fronts: dict = {}
    values: dict = {}
    timeline = []
    cores_done = 0
    try:
        while True:
            with status.get_lock():
                claim = _split_claim(status, role)
            if claim is None:
                break
            kind, g, tail = claim
            if kind == "wait":
                with shared.ready:
                    shared.ready.wait_for(lambda: status[g] != _FRONT_RUNNING, timeout=1.0)
                continue
            lo, hi, jobs, places = groups[g]
            t0, c0 = time.monotonic(), time.process_time()
            if planned != g:  # (in order: the plan to the last group; from the end: this group's alone)
                _replan(memo, plans, groups, g, g + 1 if tail else len(groups))
            planned = None if tail else g + 1
            factors = [scenes.factors(*ck) for ck in jobs]
            if kind == "front":
                fronts[g] = _run_front(shared, g, memo)
            else:
                if kind == "back" and g not in fronts:
                    with open(os.path.join(shared.folder, f"{g}.pkl"), "rb") as f:
                        fronts[g] = pickle.load(f)
                gens = ([contract_series_back(f, ck[1], front, memo, dense=True)
                         for f, ck, front in zip(factors, jobs, fronts.pop(g))] if kind == "back" else
                        [contract_series_passes(f, ck[1], memo, dense=True) for f, ck in zip(factors, jobs)])
                values.update(zip(jobs, run_pass_major(gens, memo, places)))
                cores_done += hi - lo
                with status.get_lock():
                    shared.cores_done.value += hi - lo
            for keys in plans[lo:hi]:
                memo.release(keys or ())
            timeline.append([kind, g, round(t0 - shared.start, 2), round(time.monotonic() - shared.start, 2),
                             round(time.process_time() - c0, 2), len(jobs)])
    finally:
        memo.pass_major(None)
    _return_free_memory()
    info = {"task": ["passes", role], "pid": os.getpid(), "cores": cores_done, "memo_hits": memo.hits - hits,
            "cpu_s": round(time.process_time() - cpu, 3), "wall_s": round(time.perf_counter() - wall, 3),
            "rss_mb": round(_rss_mb(), 1), "finished": time.monotonic(), "timeline": timeline,
            "timeline_start": shared.start}
    return values, info


def _run_front(shared: "_Shared", g: int, memo) -> list:
    """Group ``g``'s fronts (:func:`.modular.contract_series_front`, pass by pass), written to its file for the other
    process and marked done."""
    import pickle

    _, _, jobs, places = shared.groups[g]
    front = run_pass_major([contract_series_front(shared.scenes.factors(*ck), ck[1], memo, dense=True) for ck in jobs],
                           memo, places)
    path = os.path.join(shared.folder, f"{g}.pkl")
    with open(path + ".part", "wb") as f:
        pickle.dump(front, f)
    os.replace(path + ".part", path)
    with shared.ready:
        shared.status[g] = _FRONT_DONE
        shared.ready.notify_all()
    return front


def _fronts_ahead(shared: "_Shared", ahead) -> list:
    """The driver's fronts, in order from the second group, while ``ahead()`` holds (checked before each group), with
    a memo of :data:`SPLIT_AHEAD_MEMO_BYTES`; its timeline entries."""
    import time

    memo, groups = shared.scenes.counter.memo, shared.groups
    memo.max_bytes = SPLIT_AHEAD_MEMO_BYTES
    out = []
    g = 1
    while g < len(groups) and ahead():
        t0, c0 = time.monotonic(), time.process_time()
        shared.status[g] = _FRONT_RUNNING
        if g == 1:
            _replan(memo, shared.plans, groups, 1, len(groups))
        _run_front(shared, g, memo)
        for keys in shared.plans[groups[g][0]:groups[g][1]]:
            memo.release(keys or ())
        out.append(["front", g, round(t0 - shared.start, 2), round(time.monotonic() - shared.start, 2),
                    round(time.process_time() - c0, 2), len(groups[g][2])])
        g += 1
    memo.pass_major(None)
    return out


def _wait_split(fronts, backs, shared: "_Shared", progress, done: int, total: int) -> list:
    """Wait for the two processes of :func:`_split_passes` (a failure in either raises here and ends the other),
    the components' values into the driver's cache: what each cost."""
    import time

    while not (fronts.done() and backs.done()):
        for handle in (fronts, backs):
            if handle.done():
                handle.results()
        time.sleep(0.2)
        if progress is not None:
            progress(done + shared.cores_done.value, total)
    infos = []
    for handle in (fronts, backs):
        values, info = handle.results()[0]
        shared.scenes._values.update(values)
        infos.append(info)
    return infos


def _split_passes(scenes: "_CoreScenes", graphs: list, plans: list, c_max: int, by_complexity: bool,
                  progress=None, done: int = 0, total: int = 0, *, ahead=None, before_fork=None) -> tuple[dict, list]:
    """The cores ``graphs`` (the planned order; ``plans``: each core's memo keys) counted by two forked processes that
    split the passes of each pass-by-pass group (:func:`_pass_groups`): one runs the float and wrap passes of every
    group in order (:func:`.modular.contract_series_front`) and hands what they leave to the other in a file per
    group; the other runs each group's primes (:func:`.modular.contract_series_back`) as their fronts come, and while
    it would wait, whole groups from the last down.  With no front left, the first runs the other's backs from the
    last group down.  So no group is cut and no pass runs twice; each process's memo holds its own passes' rows.  The
    components' values come back to this process, which counts the cores from them.  ``ahead``: while it holds, this
    process runs the first fronts itself (:func:`_fronts_ahead`: the CPU the kernels' process leaves); then
    ``before_fork``.  Returns ``({stratum key: scenes}, what each process cost)``."""
    import multiprocessing
    import shutil
    import tempfile
    import time

    from ..pool import provide_context, started

    start, cpu = time.monotonic(), time.process_time()
    keys = [scenes.component_keys(g, c_max - g.n - len(g.edges), by_complexity) for g in graphs]
    groups = _pass_groups(keys, plans, scenes._values)
    driver = [["groups", -1, 0.0, round(time.monotonic() - start, 2), round(time.process_time() - cpu, 2),
               sum(len(j) for _, _, j, _ in groups)]]
    ctx = multiprocessing.get_context("fork")
    status = ctx.Array("i", [_OPEN] * len(groups))
    # (the light runs' messages serve none of the split's passes)
    scenes.counter.memo.replan(drop=True)
    _return_free_memory()
    folder = tempfile.mkdtemp(prefix="gas-passes-")
    shared = _Shared(key="gas-count-passes", scenes=scenes, plans=plans, groups=groups, status=status,
                     cores_done=ctx.RawValue("i", 0), ready=ctx.Condition(status.get_lock()), folder=folder,
                     start=start)
    infos = []
    try:
        if ahead is not None:
            # the first fronts here while ``ahead`` holds (the kernels' process runs: its memory, not the CPU, is
            # what is short), with a smaller memo
            driver += _fronts_ahead(shared, ahead)
            _return_free_memory()  # (their temporaries: not to be kept, nor inherited)
        if before_fork is not None:
            before_fork()
        with provide_context(shared, shared), started(_split_role, shared, ["front"]) as fronts:
            # (the front process keeps what the driver's fronts left in the memo; the back one starts without)
            scenes.counter.memo.replan(drop=True)
            _return_free_memory()
            with started(_split_role, shared, ["back"]) as backs:
                infos = _wait_split(fronts, backs, shared, progress, done, total)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    t0, c0 = time.monotonic(), time.process_time()
    out: dict = {}
    for g in graphs:
        _add(out, scenes.core(g, c_max - g.n - len(g.edges), by_complexity=by_complexity), g.n, len(g.edges),
             by_complexity)
    driver.append(["cores", -1, round(t0 - start, 2), round(time.monotonic() - start, 2),
                   round(time.process_time() - c0, 2), len(graphs)])
    LAST_SPLIT_DRIVER[:] = [{"pid": os.getpid(), "timeline": driver, "timeline_start": start}]
    return out, infos


#: the free heap the worker processes keep, in all (glibc's ``M_TRIM_THRESHOLD``; ``gas`` sets 512 MB for one
#: process, :func:`gas_solver.cli.main._keep_freed_memory`): each keeps its share.  At [1, 16] with two workers
#: the peaks summed over the processes were 1,120 MB with 512 MB shared (PSS; results/c16_memory_workers2_try2.json)
#: and 1,025 MB with 256 MB (c16_memory_workers2_heap256.json), 1,115 MB with 128 MB (..._heap128.json): within the
#: runs' noise, and over the 1 GB bar either way (the workers' messages and temporaries: the memo's share is what is
#: left to trade)
WORKERS_FREE_HEAP = 128 << 20


def _heap_share(workers: int) -> None:
    """Let this worker process keep at most its share of :data:`WORKERS_FREE_HEAP` as free heap."""
    import ctypes

    try:
        ctypes.CDLL(None).mallopt(-1, WORKERS_FREE_HEAP // workers)  # M_TRIM_THRESHOLD
    except (OSError, AttributeError):
        pass


def _rss_mb() -> float:
    """This process's resident MB now (``VmRSS``; 0 where there is no ``/proc``)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


#: whether a count with workers sums the kernels (:mod:`.kernels`) in a process of their own, started before the
#: driver plans the cores; beside it the driver counts the light runs of cores (:data:`LIGHT_WIDTH`) while the kernels
#: last, and the workers fork for the other runs once the kernels' process has ended.  Off: the driver sums the kernels
#: first, one after the other, as one process does, then plans and forks.  At [1, 16] the four-clique's family (~15 s)
#: holds ~700 MB above the shared inputs while it is summed: beside it, runs of any width in two workers took the
#: processes to 1,216 MB (proportional set sizes summed; results/c16_memory_workers2_kernels_in_workers.json), light
#: runs in two workers to 1,066 MB (results/c16_memory_20a_w2_a.json); with the driver alone beside it, 967 MB
#: (``c16_memory_20a_default.json``)
KERNELS_IN_WORKERS = True
#: the widest cores (:func:`.core_prices.core_width`) that a run may hold to be counted beside the kernels: width 2 steps
#: hold ``labels^3`` entries at most.  A stretch of the planned order holds light runs only where at least
#: :data:`LIGHT_STRETCH` such cores come one after another (shorter ones stay inside the runs around them)
LIGHT_WIDTH = 2
LIGHT_STRETCH = 64


def _light_runs(runs: list[tuple[int, int]], light: list[bool], *, stretch: int | None = None) -> list[tuple]:
    """``runs`` (contiguous, covering the planned cores) cut at the ends of every stretch of at least ``stretch``
    consecutive light cores (``light``: each core's), as ``(start, stop, is_light)``: a run is light where it lies
    inside such a stretch.

    >>> _light_runs([(0, 4), (4, 8)], [True] * 3 + [False] * 5, stretch=2)
    [(0, 3, True), (3, 4, False), (4, 8, False)]
    >>> _light_runs([(0, 4), (4, 8)], [True] * 3 + [False] * 5, stretch=4)
    [(0, 4, False), (4, 8, False)]
    """
    stretch = LIGHT_STRETCH if stretch is None else stretch
    inside = [False] * len(light)
    at = 0
    while at < len(light):
        end = at
        while end < len(light) and light[end] == light[at]:
            end += 1
        if light[at] and end - at >= stretch:
            inside[at:end] = [True] * (end - at)
        at = end
    out = []
    for a, b in runs:
        lo = a
        for i in range(a + 1, b + 1):
            if i == b or inside[i] != inside[lo]:
                out.append((lo, i, inside[lo]))
                lo = i
    return out

#: per task of the most recent count with workers: what :func:`_work` reports (for ``benchmarks/c16_memory.py``)
LAST_TASKS: list = []
#: the driver's own parts of the most recent :func:`_split_passes` (the groups' jobs, the cores from the values)
LAST_SPLIT_DRIVER: list = []


def _count_kernels(scenes: "_CoreScenes", grouped: dict, memo, c_max: int, by_complexity: bool, progress,
                   total: int) -> tuple[dict, int]:
    """Every grouped kernel's cores summed at once (:mod:`.kernels`), in this process, one kernel after the other:
    ``({stratum key: scenes}, kernels done)``.  Their memory is given back before the cores are planned."""
    out: dict = {}
    done = 0
    if grouped:
        by_kernel = kernels.KernelScenes(scenes, c_max)
        memo_bytes = None if memo is None else memo.max_bytes
        if memo is not None:
            memo.max_bytes = min(memo.max_bytes, KERNEL_MEMO_BYTES)
        # (no wrap pass in the kernels' eliminations: its digit copies of their labels^3 series steps held ~275 MB
        # more at [1, 16] for ~3 % less time, `benchmarks/c16_memory.py --kernels-only [--no-wrap-pass]`)
        wrap_primes, modular._WRAP_PASS_PRIMES = modular._WRAP_PASS_PRIMES, KERNEL_WRAP_PASS_PRIMES
        try:
            for k, _ in grouped.values():
                if progress is not None:
                    progress(done, total)
                _add(out, by_kernel.kernel(k, by_complexity=by_complexity), k[0], len(k[1]), by_complexity)
                done += 1
                if memo is not None and done < len(grouped):
                    # (each kernel's own factors and messages go before the next: only the path series serve
                    # them all)
                    by_kernel.release(keep_paths=True)
                    memo.clear(forget=True, keep=by_kernel.path_ids())
        finally:
            # the kernels' path series, bundles and messages serve no core: dropped before the cores' plan
            # and memo (at [1, 16] ~400 MB, :data:`PLANNED_MEMO_BYTES`)
            by_kernel.release()
            modular._WRAP_PASS_PRIMES = wrap_primes
            if memo is not None:
                memo.clear(forget=True)
                memo.max_bytes = memo_bytes
            _return_free_memory()
    return out, done


def _connected(model, lim: dict, progress, counter, by_complexity: bool, workers: int = 1) -> dict:
    if not applies(model, lim):
        raise ValueError("the core method needs bounds without degree limits and a model without soft weights")
    LAST_TASKS.clear()
    LAST_SPLIT_DRIVER.clear()
    c_max = lim["c"][1]
    counter = counter or GraphScenes(model, lim["apo"], c_max)
    R = rooted_trees(counter, c_max)
    out = dict(tree_counts(counter, R, c_max))
    if by_complexity:
        merged: dict = {}
        for (n, a, r), v in out.items():
            merged[(n + a + r, 0, 0)] = merged.get((n + a + r, 0, 0), 0) + v
        out = merged
    scenes = _CoreScenes(counter, R)
    listed = cores(lim)
    grouped: dict = {}
    if kernels.USE_KERNELS and kernels.applies(lim):
        # every core of a loopless kernel whose cores are many, in one computation (:mod:`.kernels`); the
        # others one by one
        grouped, listed = kernels.group_cores(listed, c_max, by_complexity=by_complexity)
    memo = getattr(counter, "memo", None)
    total = len(grouped) + len(listed)
    if progress is not None and hasattr(progress, "unit"):
        progress.unit = "core"  # (a bar that names its unit counts cores here, not every object graph)
    in_workers = workers > 1 and memo is not None and sys.platform.startswith("linux") and total
    done = 0
    if grouped and not (in_workers and KERNELS_IN_WORKERS):
        found, done = _count_kernels(scenes, grouped, memo, c_max, by_complexity, progress, total)
        for s, v in found.items():
            out[s] = out.get(s, 0) + v
        grouped = {}
    if in_workers:
        parts = _connected_in_workers(scenes, grouped, listed, memo, c_max, by_complexity, workers, progress, done,
                                      total)
        for part in parts:  # (in the order of the tasks: the same sums whatever finished first)
            for s, v in part.items():
                out[s] = out.get(s, 0) + v
        return out
    memo_bytes = None if memo is None else memo.max_bytes
    plans: list = [None] * len(listed)
    if memo is not None and listed:
        # cores that share elimination steps one after another, and the memo told which steps are still needed
        listed, plans = scenes.plan(listed, lambda g: c_max - g.n - len(g.edges), by_complexity, memo)
        memo.max_bytes = max(memo.max_bytes, PLANNED_MEMO_BYTES)
    try:
        found = _count_run(scenes, listed, plans, memo, c_max, by_complexity, progress=progress, done=done,
                           total=total)
    finally:
        if memo is not None:
            memo.clear()  # (the components' values stay cached)
            memo.max_bytes = memo_bytes
    for s, v in found.items():
        out[s] = out.get(s, 0) + v
    if progress is not None:
        progress(total, total)
    return out


def _connected_in_workers(scenes: _CoreScenes, grouped: dict, listed: list, memo, c_max: int, by_complexity: bool,
                          workers: int, progress, done: int, total: int) -> list[dict]:
    """The kernels' and the cores' connected scenes computed by forked processes.  The kernels (``grouped``: left
    to the workers with :data:`KERNELS_IN_WORKERS`, else already summed) run in a process of their own, started
    first, as one process sums them; beside it the driver plans the cores and counts the light runs
    (:func:`_light_runs`) while the kernels last; once their process has ended ``workers`` processes fork and count
    the other runs.  The runs are contiguous in the planned order, cut by their estimated cost (:func:`_split_runs`); the workers
    inherit the plan (the memo's numbering of inputs and steps) and a ``1 / workers`` share of the memo's budget.
    Returns the tasks' results in task order (the kernels, then the runs in the order they are handed out)."""
    from ..pool import process_map, provide_context, started

    memo_bytes = memo.max_bytes
    labels = len(scenes.counter.groups)
    # the kernels one after the other, as one process sums them (the four-clique's family at [1, 16] ~15 s)
    tasks: list = [("kernels",)] if grouped else []
    shared = _Shared(scenes=scenes, graphs=[], plans=[], grouped=grouped, c_max=c_max, by_complexity=by_complexity,
                     workers=workers)
    results: dict = {}

    def collect(i, part, info):
        nonlocal done
        results[i] = part
        LAST_TASKS.append(info)
        done += len(grouped) if info["task"][0] == "kernels" else info["cores"]
        if progress is not None:
            progress(done, total)

    apart = bool(grouped)  # (the kernels in a process of their own, from now on)
    try:
        with provide_context(shared, shared), \
                started(_work_indexed, shared, list(enumerate(tasks)) if apart else []) as kernels_running:
            plans: list = [None] * len(listed)
            if listed:
                listed, plans = scenes.plan(listed, lambda g: c_max - g.n - len(g.edges), by_complexity, memo)
            scale = labels / 114
            costs = [core_ms(g, c_max - g.n - len(g.edges), scale=scale, by_complexity=by_complexity)
                     for g in listed]
            runs = _light_runs(_split_runs(costs, workers), [core_width(g) <= LIGHT_WIDTH for g in listed])
            # the light runs first, then the others in the planned order, and last the light runs after the last
            # other one (small tasks that even the workers' ends)
            tail = len(runs)
            while tail and runs[tail - 1][2]:
                tail -= 1
            first = len(tasks)
            tasks += [("run", a, b) for a, b, light in runs[:tail] if light]
            tasks += [("run", a, b) for a, b, light in runs[:tail] if not light]
            tasks += [("run", a, b) for a, b, _ in runs[tail:]]
            shared.graphs, shared.plans = listed, plans
            memo.max_bytes = max(memo_bytes, PLANNED_MEMO_BYTES) // workers  # (each worker's share, inherited)
            if progress is not None:
                progress(done, total)
            at = first
            if apart:
                # light runs in the driver while the kernels last (a heavier one beside the four-clique's family
                # at [1, 16] would take the processes' memory over 1 GB), then the kernels' results: their process
                # has ended, and its memory is free, before the workers fork
                light = {(a, b) for a, b, is_light in runs if is_light}
                while at < len(tasks) and tuple(tasks[at][1:]) in light and not kernels_running.done():
                    collect(at, *_work(shared, tasks[at]))
                    at += 1
            else:
                at = 0
            indexed = [(i, t) for i, t in enumerate(tasks) if i >= at]

            def kernels_results():
                if apart:
                    for i, (part, info) in kernels_running.results():
                        collect(i, part, info)

            if SPLIT_PASSES and workers == 2 and indexed:
                # the cores left, in the planned order, by two processes that split each group's passes (the
                # driver runs the first fronts while the kernels last)
                rest = sorted(c for _, t in indexed for c in range(t[1], t[2]))
                part, infos = _split_passes(scenes, [listed[c] for c in rest], [plans[c] for c in rest], c_max,
                                            by_complexity, progress, done, total,
                                            ahead=(lambda: not kernels_running.done()) if apart and SPLIT_AHEAD
                                            else None,
                                            before_fork=kernels_results)
                for i, _ in indexed:
                    results[i] = {}
                results[at] = part
                LAST_TASKS.extend(infos)
                indexed = []
            else:
                kernels_results()
            for i, (part, info) in process_map(_work_indexed, shared, indexed, workers=workers, ordered=False):
                collect(i, part, info)
    finally:
        memo.clear()
        memo.max_bytes = memo_bytes
    if progress is not None:
        progress(total, total)
    return [results[i] for i in range(len(tasks))]


def _work_indexed(shared: _Shared, task: tuple) -> tuple[int, tuple[dict, dict]]:
    return task[0], _work(shared, task[1])


def connected_shape_counts(model, lim: dict, *, progress=None, counter: GraphScenes | None = None,
                           workers: int = 1) -> dict[tuple[int, int, int], int]:
    """``{(n, a, r): connected scenes}`` within the bounds' upper limits: the same integers as
    :func:`.multiset.connected_shape_counts` (for bounds where :func:`applies`).  ``progress`` (optional)
    is called with the number of cores done and their total; ``workers`` processes share the work (Linux: they
    fork; the same integers whatever their number)."""
    out = _connected(model, lim, progress, counter, False, workers)
    n_hi, a_hi, r_hi = lim["n"][1], lim["a"][1], lim["r"][1]
    return {s: v for s, v in sorted(out.items()) if v and s[0] <= n_hi and s[1] <= a_hi and s[2] <= r_hi}


def connected_complexity_counts(model, lim: dict, *, progress=None, counter: GraphScenes | None = None,
                                workers: int = 1) -> dict[tuple[int, int, int], int]:
    """``{(c, 0, 0): connected scenes of complexity c}`` (complexity in the first place, so that
    :func:`.multiset.euler_transform` takes it as it is), for bounds where :func:`by_complexity_alone`."""
    if not by_complexity_alone(lim):
        raise ValueError("counts by complexity alone need bounds on complexity alone")
    return {s: v for s, v in sorted(_connected(model, lim, progress, counter, True, workers).items()) if v}
