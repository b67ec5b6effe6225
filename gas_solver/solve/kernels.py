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
   their signs); so are those that an automorphism commuting with ``g`` maps onto each
   other (for ``g = 1`` every automorphism: the four-clique's 75 ordered partitions are 8
   choices).  A term is linear in each orbit's weights ``(a, b, c)`` (``a`` mixed + ``b``
   forward + ``c`` backward series), so two terms that differ on one orbit only are one
   where the signed sum of their weights is of one sign (``(1, 1, 0) - (1, 0, 0)``: forward
   paths only): the four-clique takes 16 eliminations (7 for ``g = 1``), the five-object
   wheel 62 (157 before the merging).

5. **Every kernel of one skeleton at once** (a count by complexity alone).  The skeleton of a
   kernel is the simple graph of the pairs its edges join.  Where every skeleton object is
   in three skeleton edges, the kernels with that skeleton are exactly the ways to put a
   non-empty multiset of paths (a bundle) on each skeleton edge, at most one path of a
   single relation, so one computation sums them all: Burnside over the skeleton's
   automorphisms, the bundle in Pólya's multisets (``exp Σ_j Φ_j / j``, ``Φ_j`` a path
   taken ``j`` times) by the complexity beyond one relation per edge, a reversed orbit's
   bundle equal to its own reverse (palindromes, and pairs of a path and its reverse), and
   the inclusion–exclusion with a bundle's weights over bundles of mixed paths only,
   bundles with a forward path (and no backward one), with a backward path.  The
   four-clique's family at ``[1, 16]``: 1,438 cores of five kernels.  A parallel path's
   relations are not told apart from attributes, so a count by shape keeps kernels.

6. **Each term on the coefficients it keeps.**  A term's factors start at their lowest power of ``s`` (a
   bundle of mixed paths only at ``s^(2L)``: :func:`term_shift`); that power is taken out before the
   elimination, so a term that starts above ``s^d`` is skipped and the others run on ``d + 1 - shift``
   coefficients.  Two terms of the identity with one sign and shift that an automorphism makes differ only
   on the edges at one object are one elimination with a two-valued variable on those factors
   (:meth:`KernelScenes._merged`).  The four-clique's family at ``[1, 16]``: 68 s -> ~20 s CPU.

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
>>> skeleton((2, ((0, 1, 1), (0, 1, 2), (0, 1, 2))))
(2, ((0, 1, 1),))
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from fractions import Fraction

import numpy as np

from .connected import least_degree_width
from .core_prices import core_ms
from .modular import _one_blas_thread, contract_series, forget

__all__ = ["applies", "kernel_of", "ordered_partitions", "skeleton", "KernelScenes", "USE_KERNELS", "USE_FAMILIES"]

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


def _compose(h, g) -> tuple:
    """``h ∘ g`` for ``(π, σ)`` pairs."""
    (hp, hs), (gp, gs) = h, g
    return tuple(hp[gp[i]] for i in range(len(gp))), tuple(hs[gs[i]] for i in range(len(gs)))


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


#: a status (bit 1: forward paths allowed, bit 2: backward) as weights of (mixed, forward, backward) paths
_WEIGHTS = {0: (1, 0, 0), 1: (1, 1, 0), 2: (1, 0, 1)}


def _merge_terms(terms: dict) -> list[tuple[tuple, int]]:
    """The signed terms ``{statuses: coefficient}`` as fewer terms ``[(weights per orbit, coefficient)]``: the
    value of a term is linear in each orbit's weights ``(a, b, c)`` (``a`` mixed + ``b`` forward + ``c``
    backward), so two terms that differ in one orbit only are one term with the weights ``c₁·w₁ + c₂·w₂``
    where those are all of one sign (``(1, 1, 0) - (1, 0, 0) = (0, 1, 0)``: forward paths only), the sign
    and each orbit's common factor taken into the coefficient.  Greedy, orbit by orbit, until nothing merges.

    >>> _merge_terms({(1, 0): 1, (0, 0): -1})   # (mixed or forward) minus mixed: forward only, on orbit 0
    [(((0, 1, 0), (1, 0, 0)), 1)]
    """
    cur = sorted((tuple(_WEIGHTS[st] for st in status), c) for status, c in terms.items() if c)
    if not cur:
        return []
    changed = True
    while changed:
        changed = False
        for e in range(len(cur[0][0])):
            groups: dict = defaultdict(list)
            for ws, c in cur:
                groups[ws[:e] + ws[e + 1:]].append((ws[e], c))
            new = []
            for rest, items in sorted(groups.items()):
                pool = sorted(items)
                while pool:
                    w, c = pool.pop(0)
                    acc = [c * x for x in w]
                    keep = []
                    for w2, c2 in pool:
                        trial = [x + c2 * y for x, y in zip(acc, w2)]
                        if min(trial) >= 0 or max(trial) <= 0:
                            acc = trial
                        else:
                            keep.append((w2, c2))
                    pool = keep
                    if any(acc):
                        g = math.gcd(*acc) * (1 if max(acc) > 0 else -1)
                        new.append((rest[:e] + (tuple(x // g for x in acc),) + rest[e:], g))
            if len(new) < len(cur):
                changed = True
            cur = sorted(new)
    return cur


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
        self._family: dict = {}
        self._family_factors: dict = {}
        self._lows: dict = {}
        self._flags: dict = {}
        self._shifts: dict = {}
        self._stacks: dict = {}
        self._groups: dict = {}

    def release(self, *, keep_paths: bool = False) -> None:
        """Drop the cached series (paths, bundles, edge factors; the plans stay) and what :mod:`.modular` caches
        for them (their residues): they serve only kernels, and at ``[1, 16]`` hold ~150 MB of Python integers
        that the cores counted next would keep alive.  With ``keep_paths`` (between two kernels of one count)
        the path series stay (:meth:`path_ids`): at ``[1, 16]`` the eight kernels summed one after the other
        otherwise held ~580 MB more by the last one."""
        kept = self.path_ids() if keep_paths else set()
        caches = [self._edges, self._bundles, self._family, self._family_factors]
        if not keep_paths:
            caches += [self._paths, self._mirrored]
        dropped = [a for cache in caches for hit in cache.values()
                   for a in (hit.values() if isinstance(hit, dict) else (hit,)) if id(a) not in kept]
        dropped += [hit[1] for hit in self._shifts.values()] + [hit[2] for hit in self._stacks.values()]
        forget(*dropped)
        for cache in caches + [self._lows, self._flags, self._shifts, self._stacks]:
            cache.clear()

    def path_ids(self) -> set[int]:
        """The ids of the cached path series (every kernel of a count takes its paths from them)."""
        return {id(a) for cache in (self._paths, self._mirrored) for hit in cache.values()
                for a in (hit.values() if isinstance(hit, dict) else (hit,))}

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

    def edge_factor(self, L: int, d: int, tau: int, weights: tuple[int, int, int], diagonal: bool) -> np.ndarray:
        """``a`` times the mixed paths, plus ``b`` times the forward ones and ``c`` times the backward ones
        (``weights = (a, b, c)``, non-negative); the diagonal (both ends in one object cycle) where
        ``diagonal``; one array per kind (cached)."""
        key = (L, d, tau, weights, diagonal)
        hit = self._edges.get(key)
        if hit is None:
            p = self.paths(L, d, tau)
            a, b, c = weights
            arr = p["m"] if a == 1 else a * p["m"]
            if b:
                arr = arr + (p["f"] if b == 1 else b * p["f"])
            if c:
                arr = arr + (p["b"] if c == 1 else c * p["b"])
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
            orbit_of: dict = {}  # edge -> (its orbit, its direction there)
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
                        orbit_of[e] = (len(orbits), (a, b))
                        seen.add(e)
                        c += e in here
                        e, a, b = sigma[e], pi[a], pi[b]
                        if e == i:
                            break
                    orbits.append((u, v, len(members), (a, b) == (v, u), tuple(members), len(groups), c, i))
                groups.append((u, v))
            terms: dict = defaultdict(int)
            for blocks in parts:
                status = []
                for u, v, L, rev, members, *_rest in orbits:
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
            # an automorphism h that commutes with g maps the decorations fixed by g onto themselves, orbit
            # onto orbit (reversed or not): statuses that such an h maps onto each other are equal eliminations
            maps = []
            for h_pi, h_sigma in group:
                if _compose((h_pi, h_sigma), g) != _compose(g, (h_pi, h_sigma)):
                    continue
                image = []
                for u, v, L, rev, members, gid, c, first in orbits:
                    k, (a, b) = orbit_of[h_sigma[first]]
                    image.append((k, (h_pi[u], h_pi[v]) != (a, b)))
                maps.append(image)
            canon: dict = defaultdict(int)
            for status, sign in terms.items():
                best = None
                for image in maps:
                    new = [0] * len(orbits)
                    for st, (k, flip) in zip(status, image):
                        new[k] = ((st & 1) << 1) | ((st & 2) >> 1) if flip else st
                    new = tuple(new)
                    if best is None or new < best:
                        best = new
                canon[best] += sign
            terms = _merge_terms({st: c for st, c in canon.items() if c})
            out.append((size, cycles, cyc_of, orbits, groups, terms))
        hit = self._plans[kernel] = (len(group), out)
        return hit

    def eliminations(self, kernel) -> int:
        """How many eliminations one ``τ`` of this kernel (or skeleton's family) takes (its cost model's count)."""
        _, classes = self.plan(kernel[:2])
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
        for L, rev, c, w in parts:
            if rev and w != (1, 0, 0):
                raise AssertionError("a reversed orbit carries mixed paths only")
            arr = self.mirrored(L, d, tau) if rev else self.edge_factor(L, d, tau, w, diagonal)
            longer = arr.copy()
            longer[0] = 0
            series.append((arr[0] if (c == 1 and not rev) else None, longer, [False] + self._nonzero(arr)[1:]))
        if len(series) == 1 and series[0][0] is not None:
            hit = self.edge_factor(parts[0][0], d, tau, parts[0][3], diagonal)
        else:
            # Π longer paths, plus per edge that may carry the single relation (a series of one coefficient,
            # ``s^0``) that relation times the other edges' longer paths: products of all but one by prefix and
            # suffix products (``3n - 2`` series products instead of ``n²``), each skipping the coefficients
            # that are zero (a longer path starts at ``s^2``), the single relation an entrywise factor.  Python
            # integers (the series pass 2^120 at [1, 16]): this was ~60 % of the small kernels' CPU.
            n = len(series)

            def times(x, y):  # (series, its non-zero coefficients): entrywise in the labels, truncated in s
                (a, fa), (b, fb) = x, y
                z = np.zeros_like(a)
                fz = [False] * (d + 1)
                for i in range(d + 1):
                    if fa[i]:
                        for j in range(d + 1 - i):
                            if fb[j]:
                                z[i + j] += a[i] * b[j]
                                fz[i + j] = True
                return z, fz

            items = [(a, f) for _, a, f in series]
            prefix = [None] * (n + 1)  # prefix[i]: Π items[:i] (None: the empty product)
            for i in range(n):
                prefix[i + 1] = items[i] if prefix[i] is None else times(prefix[i], items[i])
            suffix = [None] * (n + 1)  # suffix[i]: Π items[i:]
            for i in range(n - 1, 0, -1):
                suffix[i] = items[i] if suffix[i + 1] is None else times(items[i], suffix[i + 1])
            hit = prefix[n][0].copy()
            for j, (single, _, _) in enumerate(series):
                if single is None:
                    continue
                left, right = prefix[j], suffix[j + 1]
                rest = left if right is None else right if left is None else times(left, right)
                if rest is None:  # (one edge alone: its single relation)
                    hit[0] += single
                else:
                    for i in range(d + 1):
                        if rest[1][i]:
                            hit[i] += single * rest[0][i]
        self._bundles[key] = hit
        return hit

    # -- every kernel with one skeleton: bundles as multisets of paths --------------------------------------
    def family_factor(self, L: int, rev: bool, weights: tuple[int, int, int], diagonal: bool, d: int,
                      tau: int) -> np.ndarray:
        """``a·Y_m + b·Y_f + c·Y_b`` (``weights = (a, b, c)``): ``Y_m`` the bundles of mixed paths only,
        ``Y_f`` those with a forward path and no backward one (``B(1) - B(0)``, :meth:`family_bundle`),
        ``Y_b`` likewise backward."""
        a, b, c = weights
        if rev:
            if (b, c) != (0, 0) or a != 1:
                raise AssertionError("a reversed orbit carries mixed paths only")
            return self.family_bundle(L, True, 0, diagonal, d, tau)
        key = (L, weights, diagonal, d, tau)
        hit = self._family_factors.get(key)
        if hit is not None:  # (one array per kind: the elimination's memo knows its factors by identity)
            return hit
        base = self.family_bundle(L, False, 0, diagonal, d, tau)
        out = (a - b - c) * base
        if b:
            out = out + b * self.family_bundle(L, False, 1, diagonal, d, tau)
        if c:
            out = out + c * self.family_bundle(L, False, 2, diagonal, d, tau)
        if (out < 0).any():
            raise AssertionError("a bundle factor below zero")
        self._family_factors[key] = out
        return out

    def family_bundle(self, L: int, rev: bool, status: int, diagonal: bool, d: int, tau: int) -> np.ndarray:
        """The bundles on one edge orbit of ``L`` skeleton edges: a non-empty multiset of paths between the
        edge's ends (every path mixed, forward where ``status & 1``, backward where ``status & 2``), at most
        one of them a single relation; ``L`` copies of it (one per edge of the orbit).  By complexity beyond
        the orbit's ``L`` edges alone, ``(d + 1, M, M)`` or, on the diagonal, ``(d + 1, M)``.

        Pólya's multisets (``B = exp Σ_j Φ_j / j``, ``Φ_j`` the paths repeated ``j`` times, computed by
        ``n B_n = Σ_k (k Λ_k) B_(n-k)``: exact integers) in the full complexity of the paths (``2l - 1`` for
        ``l`` relations), then one unit per edge taken off.  A reversed orbit (``g^L`` maps the edge onto
        itself reversed) carries a multiset equal to its own reverse: palindromes, and pairs of a mixed path
        and its reverse (the path's objects then occur ``2L`` times); never a single relation."""
        key = (L, rev, status, diagonal, d, tau)
        hit = self._family.get(key)
        if hit is not None:
            return hit
        top = d + L  # full complexity of the orbit's bundles
        M = len(self.counter.groups)
        shape = (M,) if (diagonal or rev) else (M, M)
        log = np.zeros((top + 1,) + shape, dtype=object)  # n·[s^n] of log B

        def add(j: int, shift: int, arr: np.ndarray) -> None:
            for i in range(min(arr.shape[0], top + 1 - shift)):
                n = shift + i
                if arr[i].any():
                    if n % j:
                        raise AssertionError("multisets: a repeated path of complexity not divisible by j")
                    log[n] += (n // j) * arr[i]

        j = 1
        while L * j <= top:
            k = L * j  # the path occurs k times
            if rev:
                add(j, k, self.mirrored(k, top - k, tau))  # palindromes: middle object k times, the rest 2k
                if 2 * k <= top:
                    mixed = np.diagonal(self.paths(2 * k, top - 2 * k, tau)["m"], axis1=1, axis2=2)
                    twice = mixed - self.mirrored(2 * k, top - 2 * k, tau)  # ordered non-palindromes
                    if (twice < 0).any() or any(int(v) % 2 for v in twice.ravel()):
                        raise AssertionError("multisets: paths and their reverses do not pair up")
                    add(j, 2 * k, twice // 2)
            else:
                # (summed here, not cached: one array per power and status would hold every path count again)
                p = self.paths(k, top - k, tau)
                arr = p["m"].copy()
                if status & 1:
                    arr += p["f"]
                if status & 2:
                    arr += p["b"]
                if diagonal:
                    arr = np.diagonal(arr, axis1=1, axis2=2).copy()
                arr[0] = 0  # (the single relation: at most one, below)
                add(j, k, arr)
            j += 1
        B = np.zeros_like(log)
        B[0] = 1
        # (which coefficients are non-zero, known once: a test on an object array costs as much as a product)
        logs = [bool(log[k].any()) for k in range(top + 1)]
        found = [True] + [False] * top
        for n in range(1, top + 1):
            acc = np.zeros(shape, dtype=object)
            for k in range(1, n + 1):
                if logs[k] and found[n - k]:
                    acc += log[k] * B[n - k]
                    found[n] = True
            if found[n]:
                q = acc // n
                if (q * n != acc).any():
                    raise AssertionError("multisets: a non-integral count")
                B[n] = q
        if not rev and status:  # times (1 + one single relation, L copies)
            F = np.array(self.counter.pair(L), dtype=object)
            single = (F if status & 1 else 0) + (F.T if status & 2 else 0)
            if diagonal:
                single = np.diagonal(single)
            B[L:] = B[L:] + single * B[:top + 1 - L]
        B[0] -= 1  # non-empty
        if B[:L].any():
            raise AssertionError("multisets: a bundle below one relation per edge")
        hit = self._family[key] = np.ascontiguousarray(B[L:])
        return hit

    def term_factors(self, cls, status, d: int, tau: int, bundles: bool) -> list:
        """The factors of one inclusion–exclusion term (``status``: weights per edge orbit) of one class of
        the plan (:meth:`plan`): each object cycle's tree series, each bundle's paths (series to ``s^d``)."""
        _, cycles, cyc_of, orbits, groups, _ = cls
        qedges = [(cyc_of[u], cyc_of[v]) for u, v in groups if cyc_of[u] != cyc_of[v]]
        name = self.scenes.names(len(cycles), qedges)
        factors = [((name[i],), self.scenes.unary(len(c), d, tau)) for i, c in enumerate(cycles)]
        for gid, (u, v) in enumerate(groups):
            cu, cv = name[cyc_of[u]], name[cyc_of[v]]
            parts = tuple((L, rev, c, w) for (_, _, L, rev, _, k, c, _), w in zip(orbits, status) if k == gid)
            if bundles:
                (L, rev, _, w), = parts  # (a skeleton is simple: one edge orbit per bundle)
                arr = self.family_factor(L, rev, w, cu == cv, d, tau)
            else:
                arr = self.bundle_factor(parts, d, tau, cu == cv)
            factors.append(((cu,), arr) if cu == cv else ((cu, cv), arr))
        return factors

    def fix_total(self, kernel, d: int, tau: int, *, bundles: bool = False) -> list[int]:
        """``Σ_g Fix(g)`` over ``Aut K`` (coefficients of ``s^0 .. s^d``); with ``bundles``, ``K`` is a
        skeleton (a simple graph) whose every edge carries a multiset of paths (:meth:`family_bundle`).

        Each term's factors start at their lowest power of ``s`` (mixed paths at ``s^2``, :func:`term_shift`):
        that power is taken out first, so a term whose factors start above ``s^d`` is zero and the others
        are eliminated on ``d + 1 - shift`` coefficients (``(e + 1)(e + 2) / 2`` products of coefficients per
        step for ``e`` left: at ``[1, 16]`` the four-clique's identity takes 66 pairs of width 3 instead of
        196)."""
        order, classes = self.plan(kernel)
        memo = getattr(self.counter, "memo", None)
        total = [0] * (d + 1)
        for ci, cls in enumerate(classes):
            size, _, _, orbits, groups, terms = cls
            live = []
            for status, sign in terms:
                if term_shift(orbits, groups, status, bundles) > d:
                    continue  # (zero: no factor built)
                term = self._term(cls, status, d, tau, bundles)
                if term is not None:
                    live.append((status, sign) + term)
            merged = self._merged(kernel, cls, live, d, tau, bundles) if ci == 0 and len(live) > 1 else {}
            for k, (status, sign, factors, shift) in enumerate(live):
                if k in merged:
                    if merged[k] is None:
                        continue  # (summed with its partner)
                    factors, sign = merged[k]
                # (one array per kind of factor: the counter's memo, keyed by arrays, then shares the
                # messages that the inclusion-exclusion terms have in common)
                value = (contract_series(factors, d - shift) if memo is None
                         else contract_series(factors, d - shift, memo=memo))
                for i, x in enumerate(value):
                    total[shift + i] += size * sign * x
        return total

    def _term(self, cls, status, d: int, tau: int, bundles: bool):
        """``(factors, shift)``: one term's factors from their lowest power of ``s`` on, cut to the ``d + 1 -
        shift`` coefficients left; ``None`` where the term is zero to ``s^d``."""
        factors = self.term_factors(cls, status, d, tau, bundles)
        lows = [self._lowest(a) for _, a in factors]
        if None in lows or sum(lows) > d:
            return None
        shift = sum(lows)
        return [(sc, self._shifted(a, low, d - shift + 1)) for (sc, a), low in zip(factors, lows)], shift

    def _merged(self, kernel, cls, live, d: int, tau: int, bundles: bool) -> dict:
        """Pairs of the identity's terms summed in one elimination: two terms of one sign and shift that an
        automorphism of ``K`` makes differ only on the factors of edges at one object, with at most three
        objects among those edges, are one contraction with a variable ``t`` of two values on those factors
        (and their coefficients on ``t``): the steps that do not meet ``t`` are taken once for both (at
        ``[1, 16]`` the four-clique's two terms of sign -12 share their width-3 step).  ``{term: (factors,
        sign)}`` for the first of a pair, ``{term: None}`` for the second."""
        if not (bundles or is_simple(kernel)):
            return {}
        V, edges = kernel
        pairs = [(u, v) for u, v, _ in edges]
        group = self._groups.get(kernel)
        if group is None:
            group = self._groups[kernel] = _automorphisms(V, pairs)
        _, cycles, cyc_of, orbits, groups, _ = cls
        orbit_of = {first: k for k, (*_, first) in enumerate(orbits)}
        ends = [pairs[first] for *_, first in orbits]
        out: dict = {}
        for a in range(len(live)):
            if a in out:
                continue
            sa, ga, fa, ha = live[a]
            for b in range(a + 1, len(live)):
                sb, gb, fb, hb = live[b]
                if b in out or (ga > 0) != (gb > 0) or ha != hb:
                    continue
                for pi, sigma in group:
                    image = [None] * len(orbits)
                    for k, (u, v) in enumerate(ends):
                        t = orbit_of[sigma[orbits[k][-1]]]
                        w = sb[k]
                        image[t] = (w[0], w[2], w[1]) if (pi[u], pi[v]) != ends[t] else w
                    diff = [k for k in range(len(orbits)) if image[k] != sa[k]]
                    objects = {x for k in diff for x in ends[k]}
                    if not diff or len(objects) > 3 or not set.intersection(*[set(ends[k]) for k in diff]):
                        continue
                    term = self._term(cls, tuple(image), d, tau, bundles)
                    if term is None or term[1] != ha:
                        continue
                    fi = term[0]
                    if any((x is not y) != (k - len(cycles) in diff)
                           for k, ((_, x), (_, y)) in enumerate(zip(fa, fi))):
                        continue
                    t = len(cycles)  # (the factors' variables are 0 .. cycles - 1)
                    factors = [f if x is y else (sc + (t,), self._stacked(x, y))
                               for f, (sc, x), (_, y) in zip(fa, fa, fi)]
                    factors.append(((t,), np.array([abs(ga), abs(gb)], dtype=object)))
                    out[a], out[b] = (factors, 1 if ga > 0 else -1), None
                    break
                if a in out:
                    break
        return out

    def _stacked(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """``x`` and ``y`` side by side on a last axis (the merged terms' variable), one array per pair."""
        key = (id(x), id(y))
        hit = self._stacks.get(key)
        if hit is None or hit[0] is not x or hit[1] is not y:
            hit = self._stacks[key] = (x, y, np.stack([x, y], axis=-1))
        return hit[2]

    def _nonzero(self, arr: np.ndarray) -> list[bool]:
        """Which coefficients (axis 0) of a series factor have a non-zero entry (cached per array)."""
        hit = self._flags.get(id(arr))
        if hit is None or hit[0] is not arr:
            hit = self._flags[id(arr)] = (arr, [bool(arr[i].any()) for i in range(arr.shape[0])])
        return hit[1]

    def _lowest(self, arr: np.ndarray) -> int | None:
        """The first coefficient (axis 0) of a series factor with a non-zero entry; ``None`` if there is none."""
        hit = self._lows.get(id(arr))
        if hit is None or hit[0] is not arr:
            low = next((i for i in range(arr.shape[0]) if arr[i].any()), None)
            hit = self._lows[id(arr)] = (arr, low)
        return hit[1]

    def _shifted(self, arr: np.ndarray, low: int, length: int) -> np.ndarray:
        """``arr[low : low + length]``, one view per array and cut (the memo knows its inputs by identity)."""
        key = (id(arr), low, length)
        hit = self._shifts.get(key)
        if hit is None or hit[0] is not arr:
            hit = self._shifts[key] = (arr, arr[low:low + length])
        return hit[1]

    def kernel(self, kernel, *, by_complexity: bool = False) -> dict[tuple[int, int], int]:
        """``{(J, a): connected scenes}`` of every 2-core with this kernel (``J``: objects beyond the kernel's,
        each with one relation; ``a`` attributes) within the complexity, as :meth:`.cores._CoreScenes.core`
        gives them per core; with ``by_complexity``, ``{(0, e): ...}`` by the complexity beyond the kernel's
        ``V + E``."""
        V, edges = kernel[:2]
        bundles = is_family(kernel)
        if bundles and not by_complexity:
            raise ValueError("a skeleton's kernels are summed by complexity alone (a parallel path's relations "
                             "are not told apart from attributes)")
        d = self.c_max - V - len(edges)
        if d < 0:
            return {}
        order, _ = self.plan((V, edges))
        taus = [1] if by_complexity else range(d // 2 + 1)
        # (one BLAS thread for the whole kernel, its path series and bundles included: their exact float64
        # products are small, and two threads on a busy 2-core machine took them ~7x longer)
        with _one_blas_thread():
            totals = [self.fix_total((V, edges), d, tau, bundles=bundles) for tau in taus]
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


#: group a kernel's cores where ``RATIO`` × the estimated seconds of summing them at once (:func:`seconds` and
#: :data:`GROUP_SECONDS`) is at most the estimated seconds of counting them one by one
#: (:func:`per_core_seconds`); ``0`` groups every kernel that can be.  The path series, computed once for all
#: kernels (:data:`PATH_SECONDS`), are left out.  Measured at ``[1, 14]`` (the four-clique's family, 169 cores;
#: ``gas count`` in one process, three runs each, interleaved, load 4-6): summed at once 12.35 / 11.60 / 11.88 s CPU
#: and 609 MB, one by one 13.25 / 12.11 / 12.16 s and 700 MB, where the two sides' own estimates are 5.6 s and 3.6 s
#: at 114 labels (the cores one by one also fault in a larger memo, which no price sees), hence 0.6; at ``[1, 16]``
#: it groups the four-clique's family (1,438 cores, ~12 s against ~44 s), three objects (one joined to each other by
#: two paths, those two by one; 1,944 cores, ~2 s against ~5 s) and two objects joined by three paths (482, ~2 s
#: against ~2 s); the five-object wheel's family (~40 s against ~19 s) stays per core, and nothing is grouped at
#: ``[1, 12]``
RATIO = 0.6
#: CPU seconds of one kernel's computation beyond its eliminations (plan, factors, Burnside's sums): measured at
#: [1, 16] 0.3 s and 0.5 s for the kernels of three and two objects (``benchmarks/core_prices_check.py``).  At 1.5 s
#: (a margin once kept) six kernels of width 2 whose cores cost 4.5 s CPU one by one at [1, 16] stayed per core where
#: summed at once they take 2.2 s, the same integers (two objects joined by four paths, 299 cores: 1.1 s against
#: 1.7 s; four objects in a cycle with two doubled edges, 414: 0.4 s against 1.5 s; and four smaller ones), and at
#: [1, 14] two (two objects joined by three paths, 143 cores, and three objects, 312: 0.7 s against 1.7 s;
#: ``benchmarks/kernel_groups_check.py``)
GROUP_SECONDS = 0.3
#: the same for a count by shape (one computation per ``τ``), kept at the earlier 1.5 s: there the three objects'
#: kernel at [1, 14] (312 cores) took 1.5 s summed at once against 1.4 s one by one
#: (``benchmarks/kernel_groups_check.py --complexity 14 --by-shape --group-seconds 0.3``)
SHAPE_GROUP_SECONDS = 1.5


def per_core_seconds(listed, c_max: int, *, by_complexity: bool = True) -> float:
    """The estimated CPU seconds of the ``listed`` cores counted one by one (:data:`.core_prices.CORE_MS`, at 114
    labels: both sides of :func:`worth` scale alike; a count by shape takes one per ``τ``, as
    :func:`.cores.work_estimate` prices them)."""
    return sum(core_ms(g, c_max - g.n - len(g.edges), by_complexity=by_complexity) for g in listed) / 1000


def worth(kernel, listed, c_max: int, *, by_complexity: bool = True) -> bool:
    """Whether summing the ``listed`` cores of ``kernel`` in one computation is cheaper than one by one: the
    kernel's eliminations (one per inclusion–exclusion term and automorphism class, each over the series
    coefficients its factors leave, :func:`work`, priced by :func:`seconds`; a count by shape takes one per
    ``τ``) with a kernel's fixed cost, against the cores' own estimate (:func:`per_core_seconds`)."""
    V, edges = kernel[:2]
    d = c_max - V - len(edges)
    if d < MIN_LEFT or V > MAX_OBJECTS or _group_bound(kernel) > MAX_GROUP:
        return False  # (the plan lists ordered partitions of the objects and the automorphisms themselves)
    if is_family(kernel) and V > FAMILY_MAX_OBJECTS:
        return False
    if not RATIO:
        return True
    grouped = (seconds(kernel, c_max, 114) * (1 if by_complexity else d // 2 + 1)
               + (GROUP_SECONDS if by_complexity else SHAPE_GROUP_SECONDS))
    return RATIO * grouped <= per_core_seconds(listed, c_max, by_complexity=by_complexity)


#: kernels above these sizes are not planned (their ordered partitions or automorphisms would be listed)
MAX_OBJECTS = 6
#: skeletons' families are grouped up to this many objects (measured: the four-clique's)
FAMILY_MAX_OBJECTS = 4
MAX_GROUP = 5_000


def _group_bound(kernel) -> int:
    """An upper bound on ``|Aut K|``: permutations of the objects times those of each bundle's edges."""
    V, edges = kernel[:2]
    mult: dict = defaultdict(int)
    for u, v, _ in edges:
        mult[(u, v)] += 1
    out = math.factorial(V)
    for m in mult.values():
        out *= math.factorial(m)
    return out


#: a count by complexity alone sums every kernel of one skeleton at once where that pays (``False``: kernel by
#: kernel)
USE_FAMILIES = True
#: the third element of a skeleton's family (``(V, edges, FAMILY)``) where a kernel is ``(V, edges)``
FAMILY = "bundles"


def skeleton(kernel) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """The simple graph under a loopless kernel: one edge of length 1 per pair of objects that kernel edges join.

    >>> skeleton((3, ((0, 1, 2), (0, 1, 1), (0, 2, 1), (0, 2, 3), (1, 2, 1))))
    (3, ((0, 1, 1), (0, 2, 1), (1, 2, 1)))
    """
    V, edges = kernel[:2]
    return V, tuple((u, v, 1) for u, v in sorted({(u, v) for u, v, _ in edges}))


def has_family(kernel) -> bool:
    """Whether the kernel's skeleton has every object in three edges or more: then every way to put a
    non-empty bundle of paths on each skeleton edge is a 2-core with a kernel of that skeleton (no object
    of the skeleton is left inside a path), and those are all such cores."""
    V, edges = skeleton(kernel)
    if not is_supported(kernel):
        return False
    deg = [0] * V
    for u, v, _ in edges:
        deg[u] += 1
        deg[v] += 1
    return min(deg, default=0) >= 3


def is_family(rep) -> bool:
    return len(rep) > 2 and rep[2] == FAMILY


def group_cores(listed, c_max: int, worth=None, *, by_complexity: bool = False):
    """Split the listed cores into ``{key: (kernel, [cores])}`` for loopless kernels that ``worth(kernel, cores)``
    accepts (default: kernels whose cores can be subdivided, complexity left ``>= 2``), and the rest.  With
    ``by_complexity`` (a count by complexity alone) the cores of every kernel with one skeleton
    (:func:`has_family`) come first as one group, ``(V, edges, FAMILY)``, where ``worth`` accepts it."""
    groups: dict = {}
    families: dict = {}
    rest = []
    for g in listed:
        k = kernel_of(g.n, g.edges)
        if k is None or not is_supported(k):
            rest.append(g)
            continue
        key, rep = canonical_kernel(k)
        if key not in groups and by_complexity and USE_FAMILIES and has_family(k):
            fkey, frep = canonical_kernel(skeleton(k))
            families.setdefault(("family",) + fkey, (frep + (FAMILY,), []))[1].append(key)
        groups.setdefault(key, (rep, []))[1].append(g)
    out = {}
    for fkey, (frep, keys) in families.items():
        gl = [g for key in keys for g in groups[key][1]]
        ok = (globals()["worth"](frep, gl, c_max, by_complexity=by_complexity) if worth is None
              else worth(frep, gl))
        if ok:
            out[fkey] = (frep, gl)
            for key in keys:
                del groups[key]
    # (the other cores in the order of the listing's kernels, as without families: the elimination's memo
    # shares messages between cores that come one after the other)
    for key, (rep, gl) in groups.items():
        ok = (globals()["worth"](rep, gl, c_max, by_complexity=by_complexity) if worth is None
              else worth(rep, gl))
        if ok:
            out[key] = (rep, gl)
        else:
            rest.extend(gl)
    return out, rest


#: CPU seconds per elimination and pair of series coefficients by the width of the elimination (the
#: quotient of the kernel by the automorphism class's object cycles), for 113 lumped labels (the default
#: taxonomy); width 3 at ``[1, 16]``, where its eliminations run one float pass and six primes (:data:`PASSES`):
#: the four-clique's family's 66 pairs of width 3 (the identity's two merged terms counted apart) took 12.4-15.8 s
#: CPU at 125 labels (``benchmarks/core_prices_check.py --complexity 16``, results/core_prices_check_16_before.json,
#: load ~4; 0.29 s per pair before the fused step and the cores' new order, results/c16_families_account_merged.json)
UNIT_SECONDS = {0: 0.002, 1: 0.002, 2: 0.002, 3: 0.13}
#: the same for kernels of at most :data:`SMALL_UNIT_OBJECTS` objects (width 3: the four-clique and its family), whose
#: series products leave out the pair factors' zero ``s^1`` coefficients and whose long-series steps go by blocks
#: (:mod:`.modular`): the family took 0.095 s per pair at ``[1, 16]`` (9.67 s for 66 pairs) and 0.102 s at ``[1, 14]``
#: (3.85 s for 28), per 113 labels and passes as above (``benchmarks/core_prices_check.py --complexity 16|14``,
#: results/core_prices_check_16_21b.json and _14_21b.json, load 2-4).  Kernels of five objects and more keep the
#: unit above: none of width 3 is summed at once up to [1, 16] (by complexity or by shape), and that stays so
SMALL_UNIT_SECONDS = {3: 0.098}
SMALL_UNIT_OBJECTS = 4
#: the passes of a width-3 elimination grow with the values' digits, so with the complexity: one float pass and six
#: primes at ``[1, 16]``, five at ``[1, 14]`` (the four-clique's family: 43 ms per pair and pass at both); priced as
#: ``c_max / PASSES_AT`` times the unit above
PASSES_AT = 16
#: CPU seconds of the path series per coefficient of the longest truncation (computed once per count; the four-clique's
#: family's time outside its eliminations, its bundles included, 1.6 s at ``[1, 16]``, 0.9 s at ``[1, 14]`` once its
#: multisets test their coefficients once: ``benchmarks/core_prices_check.py``,
#: results/core_prices_check_1x_20c_final.json; 0.08 before, which put the quote at ``[1, 14]`` 21 % above the count)
PATH_SECONDS = 0.04
#: CPU seconds of a skeleton's bundles (multisets of paths, per orbit kind and status) per coefficient
FAMILY_SECONDS = 0.1


def _width(kernel) -> int:
    V, edges = kernel[:2]
    return least_degree_width(V, [(u, v) for u, v, _ in edges])


_PROFILES: dict = {}


def profile(kernel) -> dict[int, int]:
    """``{width: eliminations}``: the eliminations of one ``τ``, by the least-degree width of the quotient
    each one eliminates (the kernel's objects merged by the class's object cycles).

    >>> profile((4, ((0, 1, 1), (0, 2, 1), (0, 3, 1), (1, 2, 1), (1, 3, 1), (2, 3, 1))))   # the four-clique
    {0: 1, 1: 3, 2: 5, 3: 7}
    """
    kernel = kernel[:2]
    hit = _PROFILES.get(kernel)
    if hit is None:
        _, classes = KernelScenes(None, 0).plan(kernel)
        hit = defaultdict(int)
        for _, cycles, cyc_of, _, groups, terms in classes:
            qedges = [(cyc_of[u], cyc_of[v]) for u, v in groups if cyc_of[u] != cyc_of[v]]
            hit[least_degree_width(len(cycles), qedges)] += len(terms)
        hit = _PROFILES[kernel] = dict(sorted(hit.items()))
    return hit


def term_shift(orbits, groups, status, family: bool) -> int:
    """The lowest power of ``s`` an inclusion–exclusion term's factors can start at, from the plan alone: a
    bundle of mixed paths only (or paths equal to their own reverse) on an orbit of ``L`` edges starts at
    ``s^(2L)`` (each path has two relations or more: one inner object, ``L`` times), a single relation at
    ``s^0``; parallel kernel edges take at most one single relation.  :meth:`KernelScenes.fix_total`
    takes each factor's own lowest power, never below this (``tests/solve/test_kernels.py``).

    >>> K4 = (4, ((0, 1, 1), (0, 2, 1), (0, 3, 1), (1, 2, 1), (1, 3, 1), (2, 3, 1)))
    >>> _, classes = KernelScenes(None, 0).plan(K4)
    >>> _, _, _, orbits, groups, terms = classes[0]
    >>> [term_shift(orbits, groups, status, True) for status, _ in terms]   # the identity's 7 terms
    [12, 6, 6, 2, 2, 4, 0]
    """
    total = 0
    for gid in range(len(groups)):
        parts = [(L, rev, c, w) for (_, _, L, rev, _, k, c, _), w in zip(orbits, status) if k == gid]
        single = [2 * L for L, rev, c, w in parts
                  if not rev and (w[1] or w[2]) and (family or c == 1)]
        total += sum(2 * L for L, *_ in parts) - max(single, default=0)
    return total


def step_widths(n: int, edges) -> list[int]:
    """The neighbour sets' sizes, step by step, of least-degree elimination of the graph on ``0 .. n-1`` (ties
    by number, as :func:`.connected.least_degree_width`): a step over ``w`` neighbours costs ``labels^(w+1)``.

    >>> step_widths(4, [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)])   # the four-clique: one step of width 3
    [3, 2, 1, 0]
    >>> step_widths(5, [(0, 1), (0, 2), (0, 3), (0, 4), (1, 2), (1, 3), (2, 4), (3, 4)])   # the wheel: two
    [3, 3, 2, 1, 0]
    """
    adj = {v: set() for v in range(n)}
    for u, v in edges:
        if u != v:
            adj[u].add(v)
            adj[v].add(u)
    out = []
    while adj:
        v = min(adj, key=lambda x: (len(adj[x]), x))
        nb = adj.pop(v)
        out.append(len(nb))
        for x in nb:
            adj[x] |= nb - {x}
            adj[x].discard(v)
    return out


_WORK: dict = {}


def work(kernel, d: int) -> dict[int, int]:
    """``{width: pairs}``: per width of an elimination step, the pairs of series coefficients the steps of that
    width multiply (one ``τ``; :func:`step_widths` of each class's quotient): per term ``(e + 1)(e + 2) / 2``
    for the ``e = d - shift`` coefficients left once its lowest power is taken out (:func:`term_shift`), none
    where ``e < 0``.

    >>> work((4, ((0, 1, 1), (0, 2, 1), (0, 3, 1), (1, 2, 1), (1, 3, 1), (2, 3, 1)), FAMILY), 6)
    {0: 119, 1: 119, 2: 112, 3: 66}
    """
    key = (kernel[:2], is_family(kernel), d)
    hit = _WORK.get(key)
    if hit is None:
        _, classes = KernelScenes(None, 0).plan(kernel[:2])
        hit = defaultdict(int)
        for _, cycles, cyc_of, orbits, groups, terms in classes:
            qedges = [(cyc_of[u], cyc_of[v]) for u, v in groups if cyc_of[u] != cyc_of[v]]
            widths = step_widths(len(cycles), qedges)
            for status, _ in terms:
                e = d - term_shift(orbits, groups, status, is_family(kernel))
                if e >= 0:
                    for w in widths:
                        hit[w] += (e + 1) * (e + 2) // 2
        hit = _WORK[key] = dict(sorted(hit.items()))
    return hit


def seconds(kernel, c_max: int, labels: int) -> float:
    """Estimated CPU seconds of one kernel's computation (``τ = 1``; a shape count takes one per ``τ``):
    per elimination, pairs of series coefficients (:func:`work`) × the measured cost of one at its width (from
    width 3 on, times its passes, :data:`PASSES_AT`), scaled by ``(labels / 113)^(width + 1)``; a skeleton's family
    adds its bundles."""
    d = c_max - kernel[0] - len(kernel[1])
    total = 0.0
    if d < 0:
        return total
    units = {**UNIT_SECONDS, **SMALL_UNIT_SECONDS} if kernel[0] <= SMALL_UNIT_OBJECTS else UNIT_SECONDS
    for w, n in work(kernel, d).items():
        unit = units.get(w, units[3] * 113 ** (w - 3))
        if w >= 3:
            unit *= c_max / PASSES_AT
        total += n * unit * (labels / 113) ** (w + 1)
    if is_family(kernel):
        total += FAMILY_SECONDS * (d + 1) * (labels / 113) ** 2
    return total


def estimate(listed, c_max: int, labels: int, per_core, *, by_complexity: bool = False) -> tuple[float, list]:
    """The cost of counting the ``listed`` cores as the count runs them: the kernels that
    :func:`group_cores` groups by :func:`seconds` (and the path series once), the other cores by
    ``per_core`` (a function of a list of cores giving seconds).  Returns ``(seconds, grouped kernels)``.

    >>> estimate([], 16, 113, lambda cores: 0.0)
    (0.0, [])
    """
    grouped, rest = group_cores(listed, c_max, by_complexity=by_complexity)
    kernels_ = [rep for rep, _ in grouped.values()]
    return per_core(rest) + grouped_seconds(kernels_, c_max, labels), kernels_


def grouped_seconds(kernels_: list, c_max: int, labels: int) -> float:
    """The estimated CPU seconds of summing each of ``kernels_`` at once (:func:`seconds`) and of their path series
    (once for all).

    >>> grouped_seconds([], 16, 113)
    0.0
    """
    if not kernels_:
        return 0.0
    return sum(seconds(k, c_max, labels) for k in kernels_) + PATH_SECONDS * max(0, c_max - 5)
