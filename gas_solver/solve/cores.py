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

from fractions import Fraction

import numpy as np

from .burnside import quotient
from .connected import connected_object_graphs
from .modular import contract_series
from .multiset import GraphScenes, times
from .symmetry import automorphism_classes

__all__ = ["applies", "connected_shape_counts", "rooted_trees", "tree_counts"]


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

    def __init__(self, counter: GraphScenes, R: list[np.ndarray]):
        self.counter = counter
        self.R = R
        self._unary: dict = {}
        self._values: dict = {}

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

    def component(self, key, d: int, tau: int) -> list[int]:
        ck = (key, d, tau)
        hit = self._values.get(ck)
        if hit is None:
            verts, edges = key
            factors = [((i,), self.unary(L, d, tau)) for i, (_, L) in enumerate(verts)]
            for i, j, L in edges:
                F = self.counter.pair(L)
                if i == j:
                    factors.append(((i,), np.ascontiguousarray(np.diagonal(F))))
                else:
                    factors.append(((i, j), F))
            hit = self._values[ck] = contract_series(factors, d)
        return hit

    def core(self, graph, d: int) -> dict[tuple[int, int], int]:
        """``{(tree objects J, attributes a): connected scenes with core graph}`` with ``2J + a <= d``."""
        taus = d // 2 + 1
        totals = []  # per τ: coefficients of s^0 .. s^d summed over Aut's classes
        classes = automorphism_classes(graph)
        for tau in range(taus):
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
            coef = _interpolate([Fraction(totals[t][e]) for t in range(k)])
            for J, v in enumerate(coef):
                if not v:
                    continue
                q, rem = divmod(v, order)
                if rem:
                    raise AssertionError(f"non-integral orbit count {v}/{order}")
                out[(J, e - 2 * J)] = q
        return out


def _is_core(graph) -> bool:
    if graph.n < 2:
        return False
    deg = [0] * graph.n
    for u, v in graph.edges:
        deg[u] += 1
        deg[v] += 1
    return min(deg) >= 2


def cores(lim: dict) -> list:
    """The connected object graphs of the bounds whose every object is in two relations or more."""
    c_max = lim["c"][1]
    graphs = connected_object_graphs(complexity=c_max, objects=lim["n"][1], relations=lim["r"][1],
                                     acyclic=lim["acyclic"], min_attributes=lim["apo"][0])
    return [g for g in graphs if _is_core(g)]


def connected_shape_counts(model, lim: dict, *, progress=None, counter: GraphScenes | None = None
                           ) -> dict[tuple[int, int, int], int]:
    """``{(n, a, r): connected scenes}`` within the bounds' upper limits: the same integers as
    :func:`.multiset.connected_shape_counts` (for bounds where :func:`applies`).  ``progress`` (optional)
    is called with the number of cores done and their total."""
    if not applies(model, lim):
        raise ValueError("the core method needs bounds without degree limits and a model without soft weights")
    c_max = lim["c"][1]
    counter = counter or GraphScenes(model, lim["apo"], c_max)
    R = rooted_trees(counter, c_max)
    out = dict(tree_counts(counter, R, c_max))
    scenes = _CoreScenes(counter, R)
    listed = cores(lim)
    for done, g in enumerate(listed):
        if progress is not None:
            progress(done, len(listed))
        n, r = g.n, len(g.edges)
        for (J, a), v in scenes.core(g, c_max - n - r).items():
            s = (n + J, a, r + J)
            out[s] = out.get(s, 0) + v
    if progress is not None:
        progress(len(listed), len(listed))
    n_hi, a_hi, r_hi = lim["n"][1], lim["a"][1], lim["r"][1]
    return {s: v for s, v in sorted(out.items()) if v and s[0] <= n_hi and s[1] <= a_hi and s[2] <= r_hi}
