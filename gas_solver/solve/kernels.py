"""Connected scenes summed over every 2-core with the same kernel at once: one elimination per kernel.

:mod:`.cores` sums the connected scenes of one 2-core ``C`` (with its hanging trees) by one
elimination.  A 2-core that is not a cycle is its **kernel** ``K`` — the objects in three
relations or more, joined by one kernel edge per maximal path of objects in exactly two
relations — with each kernel edge subdivided into a path.  The 786 seven-object
nine-relation cores at complexity ``[1, 16]`` are all subdivisions of the four-clique.
Here the kernels have no loop (two kernel edges may join one pair of objects) and the
file forbids directed cycles; every core of such a kernel is summed in one computation,
where the cores are many enough for that to pay (:func:`worth`).

1. **Path series.**  A path of ``l >= 1`` relations between end labels is a product of
   ``l`` relation factors with a diagonal factor per inner object: with ``X = F`` (the
   relation points along the path), ``Y = Fᵀ`` (it points back), ``G = X + Y`` and ``D``
   the inner object's weight (its rooted tree, :mod:`.cores`, times ``τ s²``: one object
   and one relation),

       forward  Pf = X + X D X + X D X D X + ...,   backward  Pb = Pfᵀ,
       any      Pt = G + G D G + ...,                 mixed     Pm = Pt - Pf - Pb

   truncated after ``s^d``.  A relation alone is never mixed.

2. **Burnside over Aut K.**  Two decorated kernels (a path on every edge, a label and a
   tree on every kernel object) are the same scene iff an automorphism of ``K`` maps one
   to the other; ``Aut K`` permutes the objects and the edges (two parallel edges swapped
   is one), each edge going to an edge forwards or reversed.  A decoration fixed by ``g`` is
   constant on ``g``'s object cycles (a cycle of length ``L``: the tree series at power
   ``L``, as in :mod:`.cores`) and on its edge orbits: an orbit of ``L`` edges carries ``L``
   copies of one path (inner objects at power ``L``: ``D_L``), or — where ``g^L`` maps the
   orbit's first edge onto itself reversed — a path equal to its own reverse: even length
   (a directed middle relation would be its own reverse), middle object at power ``L``,
   the others at power ``2L``, each mirrored pair of relations chosen once (``G``).

3. **Parallel edges.**  Two relations never join one pair of objects, so of the kernel
   edges between two objects (a bundle) at most one is a single relation (the ``s^0``
   term of its series: a path with an inner object has complexity to spare): a bundle is
   one factor, the product of its paths of two relations or more plus, one path at a
   time, that path's single relation times the others'.  An edge orbit with two edges in
   one bundle puts one path on both, never a single relation.

4. **No directed cycle.**  Objects inside a path are in two relations, so a directed
   cycle of a core runs through whole paths, each directed one way throughout, and the
   core has none iff the kernel digraph of the fully directed paths has none (a mirrored
   path is never fully directed).  For any digraph ``H`` on the kernel's objects
   (counting acyclic digraphs by their sources, unrolled)

       [H acyclic] = Σ_P (-1)^(|V| - blocks(P)) [every arc of H goes from an earlier block of P to a later one]

   over the ordered partitions ``P`` of the objects, so a fixed decoration's indicator is a
   sum of products over edge orbits: per orbit the mixed series, plus the forward
   (backward) one where every edge of the orbit goes forward (backward) between blocks.
   Partitions that give every orbit the same choice are one elimination (with the sum of
   their signs); for ``g = 1`` also those that an automorphism maps onto each other (the
   four-clique: 75 ordered partitions, 8 eliminations).

Exact integers: every elimination is :func:`.modular.contract_series` on non-negative
factors, the path series are exact (Python integers where float64 could round), and the
signed sums and Burnside's division are checked.  ``tests/solve/test_kernels.py`` checks
the result against the per-core sum (:mod:`.cores`), the per-graph counter and the
structure-by-structure counter (brute force over scenes cannot reach a kernel: the smallest
kernel core has complexity 9).

Examples
--------
>>> kernel_of(4, [(0, 1), (1, 2), (2, 0), (0, 3), (3, 1)])   # a triangle and a path 0-3-1: the theta
(2, ((0, 1, 1), (0, 1, 2), (0, 1, 2)))
>>> len(ordered_partitions(4))
75
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from fractions import Fraction

import numpy as np

from .connected import least_degree_width
from .modular import contract_series

__all__ = ["applies", "kernel_of", "ordered_partitions", "KernelScenes", "USE_KERNELS"]

#: counts sum the cores of a simple kernel in one computation (``False``: one elimination per core)
USE_KERNELS = True
#: group a kernel's cores when the complexity left above the kernel alone is at least this (below 2 no
#: core subdivides the kernel: each core is the kernel itself, and one elimination per core is cheaper)
MIN_LEFT = 2


def applies(lim: dict) -> bool:
    """Kernel grouping needs a file without directed cycles: there, two relations never join one pair of
    objects (no two relations both ways), which makes a kernel edge of one relation exclusive."""
    return bool(lim["acyclic"])


def kernel_of(n: int, edges) -> tuple[int, tuple[tuple[int, int, int], ...]] | None:
    """The kernel of a 2-core (``n`` objects, relations ``edges``): ``(V, ((u, v, length), ...))`` with the
    kernel objects renumbered ``0 .. V-1`` in their order in the core, each kernel edge from ``u`` to ``v``
    (``u <= v``) and its path's number of relations; ``None`` for a cycle (no object in three relations)."""
    adj = defaultdict(list)
    for i, (u, v) in enumerate(edges):
        adj[u].append((v, i))
        adj[v].append((u, i))
    deg = {v: len(adj[v]) for v in range(n)}
    if min(deg.values(), default=0) < 2:
        raise ValueError("a kernel is defined for a 2-core: every object in two relations or more")
    ks = [v for v in range(n) if deg[v] >= 3]
    if not ks:
        return None
    idx = {v: i for i, v in enumerate(ks)}
    used: set = set()
    out = []
    for start in ks:
        for w, i in adj[start]:
            if i in used:
                continue
            used.add(i)
            cur, length = w, 1
            while deg[cur] == 2:
                (a, i1), (b, i2) = adj[cur]
                cur, nxt = (a, i1) if i1 not in used else (b, i2)
                used.add(nxt)
                length += 1
            u, v = sorted((idx[start], idx[cur]))
            out.append((u, v, length))
    return len(ks), tuple(sorted(out))


def is_simple(kernel) -> bool:
    """No loop and no two kernel edges between one pair of objects."""
    _, edges = kernel
    pairs = [(u, v) for u, v, _ in edges]
    return all(u != v for u, v in pairs) and len(set(pairs)) == len(pairs)


def is_supported(kernel) -> bool:
    """No loop (kernel edges between one pair of objects, parallel, are summed here; a loop is not)."""
    return all(u != v for u, v, _ in kernel[1])


def ordered_partitions(n: int) -> list[tuple[int, ...]]:
    """Every ordered partition of ``range(n)`` into non-empty blocks, as each object's block number."""
    out = []
    for blocks in itertools.product(range(n), repeat=n):
        k = max(blocks) + 1
        if len(set(blocks)) == k:
            out.append(blocks)
    return out


def _automorphisms(V: int, pairs) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """``Aut K`` of a loopless multigraph: ``(objects' permutation π, edges' permutation σ)`` pairs, ``σ``
    mapping the edges between ``u`` and ``v`` onto those between ``π(u)`` and ``π(v)`` in every way (two
    parallel edges swapped is an automorphism that moves no object)."""
    bundles: dict = defaultdict(list)
    for i, (u, v) in enumerate(pairs):
        bundles[(u, v)].append(i)
    keys = sorted(bundles)
    out = []
    for pi in itertools.permutations(range(V)):
        images = []
        for u, v in keys:
            a, b = sorted((pi[u], pi[v]))
            if len(bundles.get((a, b), ())) != len(bundles[(u, v)]):
                break
            images.append(bundles[(a, b)])
        else:
            choices = [itertools.permutations(img) for img in images]
            for combo in itertools.product(*[list(c) for c in choices]):
                sigma = [0] * len(pairs)
                for (u, v), img in zip(keys, combo):
                    for i, j in zip(bundles[(u, v)], img):
                        sigma[i] = j
                out.append((pi, tuple(sigma)))
    return sorted(out)


def _conjugacy_classes(group) -> list[tuple[tuple, int]]:
    """``[(representative, size)]`` of a group of ``(π, σ)`` pairs, the identity first."""
    def inverse(p):
        inv = [0] * len(p)
        for i, x in enumerate(p):
            inv[x] = i
        return inv

    seen: set = set()
    out = []
    for g in group:  # (sorted: the identity is the first element)
        if g in seen:
            continue
        cls = set()
        for h in group:
            cls.add(tuple(tuple(hp[gp[ip[i]]] for i in range(len(gp)))
                          for hp, gp, ip in zip(h, g, (inverse(h[0]), inverse(h[1])))))
        seen |= cls
        out.append((g, len(cls)))
    return out


#: digits of the large side of an exact product (float64 sums of products of 20-bit digits by entries below
#: 2^20 stay below 2^53 for up to 2^13 terms)
_DIGIT = 20


def _exact_matmul(A: np.ndarray, X: np.ndarray) -> np.ndarray:
    """``A @ X`` in Python integers for non-negative integer matrices, ``X``'s entries below ``2^20``:
    ``A`` cut into 20-bit digits, one exact float64 product per digit (a Python-integer product of
    113-label matrices is ~10^6 big-number operations).

    >>> A = np.array([[2 ** 70, 1], [3, 2 ** 41 + 5]], dtype=object)
    >>> _exact_matmul(A, np.array([[1, 2], [3, 4]], dtype=object)).tolist() == A.dot(np.array([[1, 2], [3, 4]])).tolist()
    True
    """
    top = int(A.max()) if A.size else 0
    if top < 0 or int(X.max(initial=0)) >= 1 << _DIGIT or int(X.min(initial=0)) < 0 or X.shape[0] >= 1 << 13:
        return A.dot(X)
    Xf = np.asarray(X, dtype=np.float64)
    if top < 1 << 33:  # every product and sum below 2^53
        return np.rint(np.asarray(A, dtype=np.float64) @ Xf).astype(np.int64).astype(object)
    out = np.zeros((A.shape[0], X.shape[1]), dtype=object)
    rest = A
    shift = 0
    mask = (1 << _DIGIT) - 1
    while top >> shift:
        digit = np.asarray(rest & mask, dtype=np.float64)
        part = np.rint(digit @ Xf).astype(np.int64).astype(object)
        out += part << shift if shift else part
        rest = rest >> _DIGIT
        shift += _DIGIT
    return out


class KernelScenes:
    """Connected scenes of every 2-core whose kernel is a simple graph, one kernel at a time.

    ``scenes``: the :class:`.cores._CoreScenes` of the count (rooted-tree series by label, the counter's
    edge factor, and its helpers ``names`` and ``interpolate``: this module imports nothing of
    :mod:`.cores`, which imports it)."""

    def __init__(self, scenes, c_max: int):
        self.scenes = scenes
        self.counter = None if scenes is None else scenes.counter
        self.c_max = c_max
        #: the complexity left above the smallest loopless kernel (two objects, three edges)
        self.d_top = max(0, c_max - 5)
        self._paths: dict = {}
        self._mirrored: dict = {}
        self._plans: dict = {}
        self._edges: dict = {}
        self._bundles: dict = {}

    # -- path series -------------------------------------------------------------------------------------
    def _inner(self, L: int, d: int, tau: int) -> np.ndarray:
        """The weight of an inner object repeated ``L`` times: ``τ^L s^(2L)`` times its tree series at power
        ``L``; shape ``(d + 1, M)``."""
        M = len(self.counter.groups)
        out = np.zeros((d + 1, M), dtype=object)
        if 2 * L <= d:
            out[2 * L:] = (tau ** L) * self.scenes.unary(L, d - 2 * L, tau)
        return out

    @staticmethod
    def _series_times_diag_matrix(T: np.ndarray, D: np.ndarray, X: np.ndarray) -> np.ndarray:
        """``T · diag(D) · X`` for a series of matrices ``T`` (``(d + 1, M, M)``), a series of diagonals ``D``
        and a constant matrix ``X``, truncated; exact (:func:`_exact_matmul`)."""
        d = T.shape[0] - 1
        TD = np.zeros_like(T)
        for i in range(d + 1):
            if not T[i].any():
                continue
            for j in range(d + 1 - i):
                if D[j].any():
                    TD[i + j] += T[i] * D[j][None, :]
        out = np.zeros_like(T)
        for t in range(d + 1):
            if TD[t].any():
                out[t] = _exact_matmul(TD[t], X)
        return out

    def paths(self, L: int, d: int, tau: int) -> dict[str, np.ndarray]:
        """``{"f", "b", "m"}``: forward, backward and mixed path series of ``L`` repeated paths, each
        ``(d + 1, M, M)`` (end labels), Python integers."""
        key = (L, d, tau)
        hit = self._paths.get(key)
        if hit is not None:
            return hit
        if d < self.d_top:  # a truncation of the longest series any kernel of the count needs (computed once)
            full = self.paths(L, self.d_top, tau)
            hit = self._paths[key] = {k: np.ascontiguousarray(v[:d + 1]) for k, v in full.items()}
            return hit
        F = np.array(self.counter.pair(L), dtype=object)
        G = F + F.T
        D = self._inner(L, d, tau)
        M = F.shape[0]

        def geometric(X):
            term = np.zeros((d + 1, M, M), dtype=object)
            term[0] = X
            total = term.copy()
            while True:
                term = self._series_times_diag_matrix(term, D, X)
                if not term.any():
                    return total
                total += term

        fwd = geometric(F)
        tot = geometric(G)
        bwd = fwd.transpose(0, 2, 1)
        mixed = tot - fwd - bwd
        if (mixed < 0).any():
            raise AssertionError("mixed paths: a negative count")
        hit = self._paths[key] = {"f": fwd, "b": np.ascontiguousarray(bwd), "m": mixed}
        return hit

    def mirrored(self, L: int, d: int, tau: int) -> np.ndarray:
        """Paths equal to their own reverse, ``L`` copies, by end label: ``(d + 1, M)``.  A path of ``2h``
        relations: a half of ``h`` relations (``G``: its mirror image is then fixed) whose ``h - 1`` inner
        objects occur ``2L`` times, and a middle object occurring ``L`` times."""
        key = (L, d, tau)
        hit = self._mirrored.get(key)
        if hit is not None:
            return hit
        if d < self.d_top:
            hit = self._mirrored[key] = np.ascontiguousarray(self.mirrored(L, self.d_top, tau)[:d + 1])
            return hit
        F = np.array(self.counter.pair(L), dtype=object)
        G = F + F.T
        M = F.shape[0]
        D2 = self._inner(2 * L, d, tau)
        mid = self._inner(L, d, tau)
        half = np.zeros((d + 1, M, M), dtype=object)
        half[0] = G
        total = np.zeros((d + 1, M, M), dtype=object)
        while half.any():
            total += half
            half = self._series_times_diag_matrix(half, D2, G)
        out = np.zeros((d + 1, M), dtype=object)
        for i in range(d + 1):
            if not total[i].any():
                continue
            for j in range(d + 1 - i):
                if mid[j].any():
                    out[i + j] += total[i].dot(mid[j])
        hit = self._mirrored[key] = out
        return hit

    def edge_factor(self, L: int, d: int, tau: int, status: int, diagonal: bool) -> np.ndarray:
        """Mixed paths, plus forward ones (``status & 1``) and backward ones (``status & 2``); the diagonal
        (both ends in one object cycle) where ``diagonal``; one array per kind (cached)."""
        key = (L, d, tau, status, diagonal)
        hit = self._edges.get(key)
        if hit is None:
            p = self.paths(L, d, tau)
            arr = p["m"]
            if status & 1:
                arr = arr + p["f"]
            if status & 2:
                arr = arr + p["b"]
            if diagonal:
                arr = np.ascontiguousarray(np.diagonal(arr, axis1=1, axis2=2))
            hit = self._edges[key] = arr
        return hit

    # -- one kernel ----------------------------------------------------------------------------------------
    def plan(self, kernel):
        """Per conjugacy class of ``Aut K``: its size, the object cycles, the edge orbits (grouped by the
        bundle of parallel edges their first edge lies in) and the signed eliminations of the
        inclusion–exclusion over ordered partitions (cached per kernel)."""
        hit = self._plans.get(kernel)
        if hit is not None:
            return hit
        V, edges = kernel
        pairs = [(u, v) for u, v, _ in edges]
        bundles: dict = defaultdict(list)
        for i, p in enumerate(pairs):
            bundles[p].append(i)
        group = _automorphisms(V, pairs)
        parts = ordered_partitions(V)
        out = []
        for g, size in _conjugacy_classes(group):
            pi, sigma = g
            cyc_of = [-1] * V
            cycles = []
            for v in range(V):
                if cyc_of[v] < 0:
                    c, w = [], v
                    while cyc_of[w] < 0:
                        cyc_of[w] = len(cycles)
                        c.append(w)
                        w = pi[w]
                    cycles.append(c)
            # orbits (u, v, length L, reversed, members' directions, bundle group, edges in that bundle):
            # each bundle's edges all in orbits that start in the first bundle of its orbit of bundles
            orbits = []
            groups = []
            seen: set = set()
            for (u, v) in sorted(bundles):
                here = set(bundles[(u, v)])
                if here & seen:
                    continue
                for i in bundles[(u, v)]:
                    if i in seen:
                        continue
                    members, e, a, b, c = [], i, u, v, 0
                    while True:
                        members.append((a, b))
                        seen.add(e)
                        c += e in here
                        e, a, b = sigma[e], pi[a], pi[b]
                        if e == i:
                            break
                    orbits.append((u, v, len(members), (a, b) == (v, u), tuple(members), len(groups), c))
                groups.append((u, v))
            terms: dict = defaultdict(int)
            for blocks in parts:
                status = []
                for u, v, L, rev, members, _, _ in orbits:
                    allowed = 0 if rev else 3  # bit 1: forward, bit 2: backward (mixed always)
                    for a, b in members:
                        if blocks[a] < blocks[b]:
                            allowed &= 1
                        elif blocks[a] > blocks[b]:
                            allowed &= 2
                        else:
                            allowed = 0
                    status.append(allowed)
                terms[tuple(status)] += (-1) ** (V - (max(blocks) + 1))
            if g == group[0]:
                # the identity (every orbit one edge): statuses that an automorphism maps onto each other
                # are equal eliminations
                pos = {}
                for k, (u, v, *_rest) in enumerate(orbits):
                    pos.setdefault((u, v), []).append(k)
                where = [0] * len(pairs)
                for (u, v), ks in pos.items():
                    for i, k in zip(bundles[(u, v)], ks):
                        where[i] = k
                canon: dict = defaultdict(int)
                for status, sign in terms.items():
                    best = None
                    for h_pi, h_sigma in group:
                        new = [0] * len(pairs)
                        for i, (u, v) in enumerate(pairs):
                            st = status[where[i]]
                            j = h_sigma[i]
                            if h_pi[u] != pairs[j][0]:
                                st = ((st & 1) << 1) | ((st & 2) >> 1)
                            new[where[j]] = st
                        new = tuple(new)
                        if best is None or new < best:
                            best = new
                    canon[best] += sign
                terms = canon
            terms = {st: c for st, c in terms.items() if c}
            out.append((size, cycles, cyc_of, orbits, groups, sorted(terms.items())))
        hit = self._plans[kernel] = (len(group), out)
        return hit

    def eliminations(self, kernel) -> int:
        """How many eliminations one ``τ`` of this kernel takes (its cost model's count)."""
        _, classes = self.plan(kernel)
        return sum(len(c[-1]) for c in classes)

    def bundle_factor(self, parts: tuple, d: int, tau: int, diagonal: bool) -> np.ndarray:
        """The paths on the edges of one bundle (parallel kernel edges) in one orbit of bundles, at most one
        of them a single relation (two would join one pair of objects twice).  ``parts``: per edge orbit
        meeting the bundle ``(L, reversed, edges of the bundle in the orbit, status)``; an orbit with two
        edges in the bundle puts one path on both, so never a single relation."""
        key = (parts, d, tau, diagonal)
        hit = self._bundles.get(key)
        if hit is not None:
            return hit
        series = []
        for L, rev, c, st in parts:
            arr = self.mirrored(L, d, tau) if rev else self.edge_factor(L, d, tau, st, diagonal)
            single = np.zeros_like(arr)
            single[0] = arr[0]
            longer = arr.copy()
            longer[0] = 0
            series.append((single if (c == 1 and not rev) else None, longer))
        if len(series) == 1 and series[0][0] is not None:
            hit = self.edge_factor(parts[0][0], d, tau, parts[0][3], diagonal)
        else:
            def times(x, y):  # entrywise in the labels, a truncated series product in s
                z = np.zeros_like(x)
                for i in range(d + 1):
                    if x[i].any():
                        for j in range(d + 1 - i):
                            if y[j].any():
                                z[i + j] += x[i] * y[j]
                return z

            hit = None
            for j in range(-1, len(series)):
                if j >= 0 and series[j][0] is None:
                    continue
                prod = None
                for i, (single, longer) in enumerate(series):
                    f = single if i == j else longer
                    prod = f if prod is None else times(prod, f)
                hit = prod if hit is None else hit + prod
        self._bundles[key] = hit
        return hit

    def fix_total(self, kernel, d: int, tau: int) -> list[int]:
        """``Σ_g Fix(g)`` over ``Aut K`` (coefficients of ``s^0 .. s^d``)."""
        order, classes = self.plan(kernel)
        memo = getattr(self.counter, "memo", None)
        total = [0] * (d + 1)
        for size, cycles, cyc_of, orbits, groups, terms in classes:
            qedges = [(cyc_of[u], cyc_of[v]) for u, v in groups if cyc_of[u] != cyc_of[v]]
            name = self.scenes.names(len(cycles), qedges)
            base = [((name[i],), self.scenes.unary(len(c), d, tau)) for i, c in enumerate(cycles)]
            for status, sign in terms:
                factors = list(base)
                for gid, (u, v) in enumerate(groups):
                    cu, cv = name[cyc_of[u]], name[cyc_of[v]]
                    parts = tuple((L, rev, c, st) for (_, _, L, rev, _, k, c), st in zip(orbits, status) if k == gid)
                    arr = self.bundle_factor(parts, d, tau, cu == cv)
                    factors.append(((cu,), arr) if cu == cv else ((cu, cv), arr))
                # (one array per kind of factor: the counter's memo, keyed by arrays, then shares the
                # messages that the inclusion-exclusion terms have in common)
                value = (contract_series(factors, d) if memo is None else contract_series(factors, d, memo=memo))
                total = [t + size * sign * x for t, x in zip(total, value)]
        return total

    def kernel(self, kernel, *, by_complexity: bool = False) -> dict[tuple[int, int], int]:
        """``{(J, a): connected scenes}`` of every 2-core with this kernel (``J``: objects beyond the kernel's,
        each with one relation; ``a`` attributes) within the complexity, as :meth:`.cores._CoreScenes.core`
        gives them per core; with ``by_complexity``, ``{(0, e): ...}`` by the complexity beyond the kernel's
        ``V + E``."""
        V, edges = kernel
        d = self.c_max - V - len(edges)
        if d < 0:
            return {}
        order, _ = self.plan(kernel)
        taus = [1] if by_complexity else range(d // 2 + 1)
        totals = [self.fix_total(kernel, d, tau) for tau in taus]
        out: dict = {}
        for e in range(d + 1):
            if by_complexity:
                q, rem = divmod(totals[0][e], order)
                if rem or q < 0:
                    raise AssertionError(f"non-integral orbit count {totals[0][e]}/{order}")
                if q:
                    out[(0, e)] = q
                continue
            coef = self.scenes.interpolate([Fraction(totals[t][e]) for t in range(e // 2 + 1)])
            for J, v in enumerate(coef):
                if not v:
                    continue
                q, rem = divmod(v, order)
                if rem or q < 0:
                    raise AssertionError(f"non-integral orbit count {v}/{order}")
                out[(J, e - 2 * J)] = q
        return out


def canonical_kernel(kernel):
    """An isomorphism-invariant key of a loopless kernel and a representative with unit lengths (the kernel
    as a multigraph; its cores differ by their paths).  The key is nauty's certificate of the graph with
    one more vertex (another colour) on every kernel edge, so that parallel edges count."""
    import pynauty

    V, edges = kernel
    adj: dict = defaultdict(list)
    for i, (u, v, _) in enumerate(edges):
        adj[V + i] = [u, v]
    graph = pynauty.Graph(V + len(edges), directed=False, adjacency_dict=dict(adj),
                          vertex_coloring=[set(range(V)), set(range(V, V + len(edges)))] if edges else [])
    return (V, len(edges), pynauty.certificate(graph)), (V, tuple((u, v, 1) for u, v, _ in edges))


#: group a kernel's cores when they number at least this many per elimination and pair of coefficients:
#: measured at complexity [1, 16] (``benchmarks/c16_account.py --method kernels``), the cores of the
#: four-clique (937 of them, 28 eliminations at d = 6: ratio 1.2) take 90 s in one computation against
#: ~360 s one by one, and three objects (one joined to each other by two paths, those two by one; 1,944
#: cores, ratio 1.1) 6 s against ~13-39 s; kernels of ratio 0.4 and below were slower grouped ([1, 14]: the
#: four-clique, ratio 0.36, 37 s against 32 s; four objects in two bundles, ratio 0.1, 7.8 s against
#: 2.6 s)
RATIO = 0.5


def worth(kernel, listed, c_max: int) -> bool:
    """Whether summing the ``listed`` cores of ``kernel`` in one computation is cheaper than one by one: the
    cost model counts the kernel's eliminations (one per inclusion–exclusion term and automorphism class,
    :meth:`KernelScenes.eliminations`) times the pairs of series coefficients a step multiplies, against
    one elimination per core without a series (most cores leave no complexity to spare)."""
    V, edges = kernel
    d = c_max - V - len(edges)
    if d < MIN_LEFT or V > MAX_OBJECTS or _group_bound(kernel) > MAX_GROUP:
        return False  # (the plan lists ordered partitions of the objects and the automorphisms themselves)
    pairs = (d + 1) * (d + 2) // 2
    return len(listed) >= RATIO * _elimination_count(kernel) * pairs


#: kernels above these sizes are not planned (their ordered partitions or automorphisms would be listed)
MAX_OBJECTS = 6
MAX_GROUP = 5_000


def _group_bound(kernel) -> int:
    """An upper bound on ``|Aut K|``: permutations of the objects times those of each bundle's edges."""
    V, edges = kernel
    mult: dict = defaultdict(int)
    for u, v, _ in edges:
        mult[(u, v)] += 1
    out = math.factorial(V)
    for m in mult.values():
        out *= math.factorial(m)
    return out


_COUNTS: dict = {}


def _elimination_count(kernel) -> int:
    hit = _COUNTS.get(kernel)
    if hit is None:
        hit = _COUNTS[kernel] = KernelScenes(None, 0).eliminations(kernel)
    return hit


def group_cores(listed, c_max: int, worth=None):
    """Split the listed cores into ``{key: (kernel, [cores])}`` for loopless kernels that ``worth(kernel, cores)``
    accepts (default: kernels whose cores can be subdivided, complexity left ``>= 2``), and the rest."""
    groups: dict = {}
    rest = []
    for g in listed:
        k = kernel_of(g.n, g.edges)
        if k is None or not is_supported(k):
            rest.append(g)
            continue
        key, rep = canonical_kernel(k)
        groups.setdefault(key, (rep, []))[1].append(g)
    out = {}
    for key, (rep, gl) in groups.items():
        ok = globals()["worth"](rep, gl, c_max) if worth is None else worth(rep, gl)
        if ok:
            out[key] = (rep, gl)
        else:
            rest.extend(gl)
    return out, rest


#: CPU seconds per elimination and pair of series coefficients by the kernel's elimination width, for 113
#: lumped labels (the default taxonomy), measured at [1, 16] (``benchmarks/c16_account.py --method kernels``;
#: width 3 with the float pass of :mod:`.modular`: the four-clique 82.8 -> 59.6 s, results/c16_account_18a_planned.json)
UNIT_SECONDS = {1: 0.004, 2: 0.0035, 3: 0.083}
#: CPU seconds of the path series per coefficient of the longest truncation (computed once per count)
PATH_SECONDS = 0.7


def _width(kernel) -> int:
    V, edges = kernel
    return least_degree_width(V, [(u, v) for u, v, _ in edges])


def seconds(kernel, c_max: int, labels: int) -> float:
    """Estimated CPU seconds of one kernel's computation (``τ = 1``; a shape count takes one per ``τ``):
    eliminations × pairs of series coefficients × the measured cost of one at the kernel's width, scaled
    by ``(labels / 113)^(width + 1)``."""
    d = c_max - kernel[0] - len(kernel[1])
    w = _width(kernel)
    unit = UNIT_SECONDS.get(w, UNIT_SECONDS[3] * 113 ** (w - 3))
    return _elimination_count(kernel) * (d + 1) * (d + 2) / 2 * unit * (labels / 113) ** (w + 1)


def estimate(listed, c_max: int, labels: int, per_core) -> tuple[float, list]:
    """The cost of counting the ``listed`` cores as the count runs them: the kernels that
    :func:`group_cores` groups by :func:`seconds` (and the path series once), the other cores by
    ``per_core`` (a function of a list of cores giving seconds).  Returns ``(seconds, grouped kernels)``.

    >>> estimate([], 16, 113, lambda cores: 0.0)
    (0.0, [])
    """
    grouped, rest = group_cores(listed, c_max)
    kernels_ = [rep for rep, _ in grouped.values()]
    total = per_core(rest) + sum(seconds(k, c_max, labels) for k in kernels_)
    if kernels_:
        total += PATH_SECONDS * max(0, c_max - 5)
    return total, kernels_
