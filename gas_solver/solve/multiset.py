"""Exact counts without listing structures: a scene is a multiset of connected scenes (Pólya's exponential).

For a file whose constraints are all local products (the ``"product"`` method of
:mod:`.count`), the number of scenes by shape ``(objects n, attributes a, relations r)``
follows from the connected scenes alone, and these from the connected **object
graphs** (:mod:`.connected`), with attribute slots counted by a polynomial instead
of being listed.

1. **Connected scenes on an object graph** ``D`` (Burnside with a grading).  A label of
   an object is its concept and its attribute set; the labellings fixed by ``g ∈ Aut D``
   are constant on ``g``'s cycles, and a cycle of ``L`` objects with ``k`` attributes
   each carries ``k·L`` attributes.  So

       C_D(x) = (1/|Aut D|) Σ_g Fix_g(x),    Fix_g(x) = Σ_{labellings fixed by g} x^{#attributes}

   where ``Fix_g(x)`` is the partition function of ``g``'s quotient graph with the unary
   factor ``u_L(m; x) = Σ_k w_k(m) x^{k·L}`` per object cycle (``w_k(m)``: concepts and
   attribute sets of ``k`` values of label ``m``, :meth:`~.labels.LabelModel.vertex_weights`)
   and the predicate counts per edge cycle.  ``[x^a] C_D`` is the number of connected
   scenes on ``D`` with ``a`` attributes.  The sum runs over classes of conjugate
   automorphisms (:mod:`.symmetry`), and each quotient component's partition function is
   evaluated at ``x = 0, 1, ..., B-1`` in one batch of the multi-modular elimination
   (:mod:`.modular`); the polynomial comes back by exact interpolation.  Only ``a <= d``
   matters (``d``: the complexity left after objects and relations), so an object cycle
   keeps ``k·L <= d`` and the polynomial has degree ``<= n·d``: ``B = n·d + 1`` points.

2. **Connected scenes by shape**: ``A(n, a, r) = Σ_{D with n objects, r relations} [x^a] C_D(x)``.

3. **All scenes** are multisets of connected scenes (the weakly connected components of
   the relation graph; two scenes are isomorphic iff their components are, as
   multisets), so with ``y, x, z`` marking objects, attributes and relations
   (Euler transform, Pólya's exponential for the symmetric groups):

       Σ N(n, a, r) y^n x^a z^r = exp( Σ_{k>=1} A(y^k, x^k, z^k) / k )

   computed degree by degree in the complexity ``c = n + a + r``: with ``θ`` multiplying
   a term of complexity ``c`` by ``c``, ``θN = N · θ log N``, i.e.
   ``c · N_c = Σ_{j=1..c} T_j N_{c-j}`` with ``T = Σ_k Σ_{shapes s} c(s) A(s) · (k·s)``.

Exact integers throughout.  ``tests/solve/test_multiset.py`` checks every step against the
structure-by-structure counter and independent brute force on small taxonomies.

Examples
--------
>>> euler_transform({(1, 0, 0): 2}, max_complexity=3)   # multisets of two kinds of bare objects
{(0, 0, 0): 1, (1, 0, 0): 2, (2, 0, 0): 3, (3, 0, 0): 4}
"""

from __future__ import annotations

from math import factorial

import numpy as np

from .burnside import quotient
from .connected import connected_object_graphs
from .modular import contract_int, forget
from .symmetry import automorphism_classes

__all__ = ["connected_shape_counts", "euler_transform", "interpolate", "shape_counts"]


def interpolate(values: list[int]) -> list[int]:
    """Integer coefficients of the polynomial of degree < ``len(values)`` with ``P(t) = values[t]``.

    Newton's forward differences give ``P(x) = Σ_k Δ^k P(0) · C(x, k)``; for a polynomial with
    integer coefficients ``Δ^k P(0)`` is divisible by ``k!`` and the falling factorials expand
    to integer coefficients.

    >>> interpolate([1, 3, 9, 19])   # 1 + 2x^2
    [1, 0, 2, 0]
    """
    diffs = []
    row = list(values)
    while row:
        diffs.append(row[0])
        row = [b - a for a, b in zip(row, row[1:])]
    coeffs = [0] * len(values)
    falling = [1]  # coefficients of x (x-1) ... (x-k+1)
    for k, dk in enumerate(diffs):
        q, rem = divmod(dk, factorial(k))
        if rem:
            raise AssertionError("interpolated values are not those of an integer polynomial")
        for j, f in enumerate(falling):
            coeffs[j] += q * f
        falling = [0] + falling  # times x ...
        for j in range(len(falling) - 1):
            falling[j] -= k * falling[j + 1]  # ... minus k times the old one
    return coeffs


#: batched edge factors (and their residues, primes x points x labels²: ~17 MB at 30 points) kept at once
_PAIRS_KEPT = 8


class _ConnectedCounter:
    """``C_D(x)`` for connected object graphs, sharing factors and component values."""

    def __init__(self, model, apo: tuple[int, int], max_length: int):
        self.model = model
        self.apo = apo
        # labels that every edge factor treats alike (equal rows and equal columns) are lumped into one
        # variable value whose unary factor is their sum: the same partition function over fewer values
        # (95 labels -> 39 in the default taxonomy; an elimination step costs M^(width+1))
        factors = [model.edge_factor(L) for L in range(1, max_length + 1)]
        groups: dict = {}
        for m in range(model.M):
            sig = tuple((tuple(F[m, :]), tuple(F[:, m])) for F in factors)
            groups.setdefault(sig, []).append(m)
        self.groups = list(groups.values())
        self.first = [g[0] for g in self.groups]
        self._unary: dict = {}
        self._pair: dict = {}
        self._values: dict = {}

    def unary(self, L: int, d: int, points: int) -> np.ndarray:
        """``u_L(m; t)`` for ``t = 0..points-1``: shape ``(points, M)``, Python integers."""
        key = (L, d, points)
        hit = self._unary.get(key)
        if hit is None:
            t = np.array([[x] for x in range(points)], dtype=object)
            hit = np.zeros((points, len(self.groups)), dtype=object)
            for k in range(self.apo[0], min(self.apo[1], d // L) + 1):
                w = self.model.vertex_weights(k, L)
                lumped = np.array([sum(w[m] for m in g) for g in self.groups], dtype=object)
                if any(lumped):
                    hit = hit + t ** (k * L) * lumped[None, :]
            self._unary[key] = hit
        return hit

    def pair(self, L: int, points: int) -> np.ndarray:
        key = (L, points)
        hit = self._pair.get(key)
        if hit is None:
            F = self.model.edge_factor(L)[np.ix_(self.first, self.first)]
            hit = self._pair[key] = np.ascontiguousarray(np.broadcast_to(F, (points,) + F.shape))
            if len(self._pair) > _PAIRS_KEPT:  # (graphs come in order of size: old batch sizes do not return)
                old = next(iter(self._pair))
                forget(self._pair.pop(old))
        return hit

    def component(self, key, d: int, points: int) -> list[int]:
        """One quotient component's partition function at ``t = 0..points-1``."""
        ck = (key, d, points)
        hit = self._values.get(ck)
        if hit is None:
            verts, edges = key
            factors = [((i,), self.unary(L, d, points)) for i, (_, L) in enumerate(verts)]
            for i, j, L in edges:
                F = self.pair(L, points)
                if i == j:  # an edge cycle inside one object cycle: the diagonal
                    factors.append(((i,), np.ascontiguousarray(np.diagonal(F, axis1=1, axis2=2))))
                else:
                    factors.append(((i, j), F))
            hit = self._values[ck] = contract_int(factors, batch=points)
        return hit

    def connected_scenes(self, graph, d: int) -> list[int]:
        """Coefficients ``[x^a] C_D(x)`` for ``a = 0..d`` (``D = graph``, at most ``d`` attributes)."""
        points = graph.n * min(d, self.apo[1]) + 1
        total = [0] * points
        for c in automorphism_classes(graph):
            fix = [c.size] * points
            for key, _ in quotient(graph.n, graph.attributes, graph.edges, c.rep).components:
                fix = [f * v for f, v in zip(fix, self.component(key, d, points))]
            total = [s + f for s, f in zip(total, fix)]
        # (the truncated factors keep every term of degree <= d exact, not those above: divide by |Aut D|
        # after interpolating)
        order = graph.group_order
        out = []
        for s in (interpolate(total) + [0] * (d + 1))[:d + 1]:
            q, rem = divmod(s, order)
            if rem:  # Burnside's average is an integer; anything else is a bug
                raise AssertionError(f"non-integral orbit count {s}/{order}")
            out.append(q)
        return out


def connected_shape_counts(model, lim: dict, *, progress=None) -> dict[tuple[int, int, int], int]:
    """``{(n, a, r): number of connected scenes}`` within the bounds' upper limits (step 2).

    ``lim`` is :func:`.structures._limits` of the bounds; ``progress`` (optional) is called with
    the number of object graphs done and their total.
    """
    c_max = lim["c"][1]
    apo = lim["apo"]
    graphs = connected_object_graphs(complexity=c_max, objects=lim["n"][1], relations=lim["r"][1],
                                     out_degree=lim["out"][1], in_degree=lim["in"][1], acyclic=lim["acyclic"],
                                     min_attributes=apo[0])
    counter = _ConnectedCounter(model, apo, c_max)
    out: dict = {}
    for done, g in enumerate(graphs):
        if progress is not None:
            progress(done, len(graphs))
        if not _degrees_fit(g, lim):
            continue
        n, r = g.n, len(g.edges)
        d = min(c_max - n - r, lim["a"][1])
        for a, v in enumerate(counter.connected_scenes(g, d)):
            if v:
                out[(n, a, r)] = out.get((n, a, r), 0) + v
    if progress is not None:
        progress(len(graphs), len(graphs))
    return out


def _degrees_fit(g, lim) -> bool:
    """The lower bounds on degrees (upper bounds pruned the search already)."""
    if not (lim["out"][0] or lim["in"][0]):
        return True
    out = [0] * g.n
    inn = [0] * g.n
    for u, v in g.edges:
        out[u] += 1
        inn[v] += 1
    return min(out) >= lim["out"][0] and min(inn) >= lim["in"][0]


def euler_transform(connected: dict, *, max_complexity: int, caps: tuple | None = None) -> dict:
    """Multisets of connected scenes by shape, from connected scenes by shape (step 3).

    ``connected``: ``{(n, a, r): count}``; returns ``{(n, a, r): count}`` for every shape of
    complexity ``<= max_complexity`` (``(0, 0, 0)``, the empty multiset, included), or below
    ``caps = (n, a, r)`` upper bounds when given (monotone, so they prune).
    """
    def within(s):
        return caps is None or all(x <= cap for x, cap in zip(s, caps))

    # T = Σ_k Σ_s c(s) A(s) (k·s), by complexity
    T: list[dict] = [dict() for _ in range(max_complexity + 1)]
    for s, v in connected.items():
        c = sum(s)
        k = 1
        while k * c <= max_complexity:
            ks = (k * s[0], k * s[1], k * s[2])
            if within(ks):
                T[k * c][ks] = T[k * c].get(ks, 0) + c * v
            k += 1
    N: list[dict] = [{(0, 0, 0): 1}]
    for c in range(1, max_complexity + 1):
        acc: dict = {}
        for j in range(1, c + 1):
            for s1, t in T[j].items():
                for s2, b in N[c - j].items():
                    s = (s1[0] + s2[0], s1[1] + s2[1], s1[2] + s2[2])
                    if within(s):
                        acc[s] = acc.get(s, 0) + t * b
        level = {}
        for s, v in acc.items():
            q, rem = divmod(v, c)
            if rem:
                raise AssertionError("Euler transform: a non-integral count")
            if q:
                level[s] = q
        N.append(level)
    out: dict = {}
    for level in N:
        out.update(level)
    return dict(sorted(out.items()))


def shape_counts(model, lim: dict, *, progress=None) -> dict[tuple[int, int, int], int]:
    """``{(n, a, r): number of scenes}`` (graph part: no scene attributes) for every shape the bounds
    ``lim`` allow, zero shapes left out."""
    caps = (lim["n"][1], lim["a"][1], lim["r"][1])
    conn = connected_shape_counts(model, lim, progress=progress)
    if lim["connected"]:
        every = conn
    else:
        every = euler_transform(conn, max_complexity=lim["c"][1], caps=caps)
    out = {}
    for (n, a, r), v in every.items():
        if (v and lim["c"][0] <= n + a + r <= lim["c"][1] and lim["n"][0] <= n <= lim["n"][1]
                and lim["a"][0] <= a <= lim["a"][1] and lim["r"][0] <= r <= lim["r"][1]):
            out[(n, a, r)] = v
    return out
