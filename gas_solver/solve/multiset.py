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
   automorphisms (:mod:`.symmetry`).  Only ``a <= d`` matters (``d``: the complexity left
   after objects and relations), so each quotient component's partition function is
   computed as a power series truncated after ``x^d`` by the multi-modular elimination
   (:func:`.modular.contract_series`): the edge factors do not depend on ``x``, so a matrix
   product costs ``d + 1`` products of numbers where evaluating the polynomial (degree up to
   ``n·d``) at enough points to interpolate it cost ``n·d + 1``.

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

import numpy as np

from .burnside import quotient
from .connected import connected_object_graphs
from .modular import Memo, contract_series
from .symmetry import automorphism_classes

__all__ = ["GraphScenes", "connected_shape_counts", "euler_transform", "multisets", "shape_counts",
           "structure_shape_counts", "times"]


class GraphScenes:
    """``C_D(x)`` for object graphs ``D`` (connected here; any object graph for the sampler's choice of an
    object graph, :mod:`.sample.law`), sharing factors and component values."""

    def __init__(self, model, apo: tuple[int, int], max_length: int):
        self.model = model
        self.apo = apo
        # labels that every edge factor treats alike (equal rows and equal columns) are lumped into one
        # variable value whose unary factor is their sum: the same partition function over fewer values
        # (an elimination step costs M^(width+1))
        # (without soft weights an edge factor does not depend on its cycle's length: one is enough)
        self.lengths = range(1, max_length + 1) if model.soft_edges else range(1, 2)
        self.groups = model.edge_lumps(self.lengths)
        self.first = [g[0] for g in self.groups]
        self._unary: dict = {}
        self._pair: dict = {}
        self._values: dict = {}
        self._scenes: dict = {}
        self._structs: dict = {}
        self._diagonal: dict = {}
        #: messages shared between the components' eliminations (emptied after a count)
        self.memo = Memo()

    def unary(self, L: int, d: int) -> np.ndarray:
        """``u_L(m; x)`` truncated at ``x^d``: shape ``(d + 1, M)``, coefficients (Python integers)."""
        key = (L, d)
        hit = self._unary.get(key)
        if hit is None:
            hit = np.zeros((d + 1, len(self.groups)), dtype=object)
            for k in range(self.apo[0], min(self.apo[1], d // L) + 1):
                w = self.model.vertex_weights(k, L)
                hit[k * L] = [sum(w[m] for m in g) for g in self.groups]
            self._unary[key] = hit
        return hit

    def pair(self, L: int) -> np.ndarray:
        hit = self._pair.get(L)
        if hit is None:
            F = self.model.edge_factor(L if self.model.soft_edges else 1)
            hit = self._pair[L] = np.ascontiguousarray(F[np.ix_(self.first, self.first)])
        return hit

    def component(self, key, d: int) -> list[int]:
        """One quotient component's partition function, coefficients of ``x^0 .. x^d``."""
        ck = (key, d)
        hit = self._values.get(ck)
        if hit is None:
            verts, edges = key
            factors = [((i,), self.unary(L, d)) for i, (_, L) in enumerate(verts)]
            for i, j, L in edges:
                F = self.pair(L)
                if i == j:  # an edge cycle inside one object cycle: the diagonal
                    factors.append(((i,), self.diagonal(L)))
                else:
                    factors.append(((i, j), F))
            hit = self._values[ck] = contract_series(factors, d, memo=self.memo)
        return hit

    def diagonal(self, L: int) -> np.ndarray:
        hit = self._diagonal.get(L)
        if hit is None:
            hit = self._diagonal[L] = np.ascontiguousarray(np.diagonal(self.pair(L)))
        return hit

    def always_positive(self, lim: dict) -> tuple[int, ...] | None:
        """The slot counts ``K`` an object can carry (some label has that many attributes) when every
        structure whose objects all carry counts in ``K`` has scenes; ``None`` when that is not shown.

        Shown by one label ``m_k`` per ``k`` in ``K`` with every edge between them allowed
        (``F[m_k, m_k'] > 0`` for all ``k, k'``): labelling each object by ``m_(its slots)`` is a scene.  The
        per-structure law (a structure uniformly among those with scenes) then counts structures by
        slot vectors alone (:meth:`connected_structures`)."""
        lo, hi = lim["apo"]
        top = min(hi, lim["c"][1])
        u = self.unary(1, top)
        ks = [k for k in range(lo, top + 1) if any(u[k])]
        if lim["r"][1] == 0 or not ks:
            return tuple(ks)
        F = self.pair(1)
        chosen: list[int] = []
        for k in reversed(ks):  # the most demanding first; reuse a label already chosen where it fits
            cands = [m for m in chosen if u[k][m]] + [m for m in range(len(self.groups)) if u[k][m]]
            pick = next((m for m in cands if F[m, m] and all(F[m, c] and F[c, m] for c in chosen)), None)
            if pick is None:
                return None
            if pick not in chosen:
                chosen.append(pick)
        return tuple(ks)

    def connected_structures(self, graph, d: int, ks: tuple[int, ...]) -> list[int]:
        """Coefficients ``[x^a]`` of the structures on ``D = graph`` (connected) with ``a`` attribute slots
        in all, each object's slot count in ``ks``: orbits of slot vectors under ``Aut D``, by Burnside
        (a vector fixed by ``g`` is constant on its object cycles: ``Π_cycles Σ_{k in ks} x^(k·L)``)."""
        key = (graph.key, d, ks)
        hit = self._structs.get(key)
        if hit is not None:
            return hit
        total = [0] * (d + 1)
        for c in automorphism_classes(graph):
            fix = [c.size] + [0] * d
            seen = [False] * graph.n
            for v in range(graph.n):
                if seen[v]:
                    continue
                L = 0
                while not seen[v]:
                    seen[v] = True
                    v = c.rep[v]
                    L += 1
                cyc = [0] * (d + 1)
                for k in ks:
                    if k * L <= d:
                        cyc[k * L] = 1
                fix = times(fix, cyc)
            total = [s + f for s, f in zip(total, fix)]
        out = []
        for s in total:
            q, rem = divmod(s, graph.group_order)
            if rem:
                raise AssertionError(f"non-integral orbit count {s}/{graph.group_order}")
            out.append(q)
        self._structs[key] = out
        return out

    def connected_scenes(self, graph, d: int) -> list[int]:
        """Coefficients ``[x^a] C_D(x)`` for ``a = 0..d`` (``D = graph``, at most ``d`` attributes; fewer
        where ``D``'s objects cannot carry ``d``)."""
        d = min(d, graph.n * self.apo[1])
        hit = self._scenes.get((graph.key, d))
        if hit is not None:
            return hit
        total = [0] * (d + 1)
        for c in automorphism_classes(graph):
            fix = [c.size] + [0] * d
            for key, _ in quotient(graph.n, graph.attributes, graph.edges, c.rep).components:
                fix = times(fix, self.component(key, d))
            total = [s + f for s, f in zip(total, fix)]
        order = graph.group_order
        out = []
        for s in total:
            q, rem = divmod(s, order)
            if rem:  # Burnside's average is an integer; anything else is a bug
                raise AssertionError(f"non-integral orbit count {s}/{order}")
            out.append(q)
        self._scenes[(graph.key, d)] = out
        return out


def times(p: list[int], q: list[int]) -> list[int]:
    """The product of two polynomials (coefficient lists), truncated at the first one's degree.

    >>> times([1, 1, 0], [1, 2, 3, 4])
    [1, 3, 5]
    """
    out = [0] * len(p)
    for i, a in enumerate(p):
        if a:
            for j, b in enumerate(q[:len(p) - i]):
                out[i + j] += a * b
    return out


def multisets(c: list[int], m: int) -> list[int]:
    """``MSET_m(c)``: multisets of ``m`` objects counted by ``c`` (a polynomial in ``x``, truncated), by
    ``h_j = (1/j) Σ_{k=1..j} c(x^k) h_(j-k)``.

    >>> multisets([2, 1], 2)   # two of {A, B (no x), C (one x)}: AA AB BB (x^0), AC BC (x^1)
    [3, 2]
    """
    n = len(c)
    h = [[1] + [0] * (n - 1)]
    for j in range(1, m + 1):
        acc = [0] * n
        for k in range(1, j + 1):
            pk = [0] * n  # c(x^k)
            for i in range(0, (n - 1) // k + 1):
                pk[i * k] = c[i]
            for i, v in enumerate(times(pk, h[j - k])):
                acc[i] += v
        if any(v % j for v in acc):
            raise AssertionError("multisets: a non-integral count")
        h.append([v // j for v in acc])
    return h[m]


def connected_shape_counts(model, lim: dict, *, progress=None, counter: GraphScenes | None = None,
                           slots: tuple[int, ...] | None = None) -> dict[tuple[int, int, int], int]:
    """``{(n, a, r): number of connected scenes}`` within the bounds' upper limits (step 2).

    ``lim`` is :func:`.structures._limits` of the bounds; ``progress`` (optional) is called with
    the number of object graphs done and their total.  With ``slots`` (the slot counts an object may
    carry), connected **structures** are counted instead of scenes (:meth:`GraphScenes.connected_structures`).
    """
    c_max = lim["c"][1]
    apo = lim["apo"]
    graphs = connected_object_graphs(complexity=c_max, objects=lim["n"][1], relations=lim["r"][1],
                                     out_degree=lim["out"][1], in_degree=lim["in"][1], acyclic=lim["acyclic"],
                                     min_attributes=apo[0])
    counter = counter or GraphScenes(model, apo, c_max)
    out: dict = {}
    try:
        for done, g in enumerate(graphs):
            if progress is not None:
                progress(done, len(graphs))
            if not _degrees_fit(g, lim):
                continue
            n, r = g.n, len(g.edges)
            d = min(c_max - n - r, lim["a"][1])
            values = counter.connected_scenes(g, d) if slots is None else counter.connected_structures(g, d, slots)
            for a, v in enumerate(values):
                if v:
                    out[(n, a, r)] = out.get((n, a, r), 0) + v
    finally:
        if slots is None:
            counter.memo.clear()  # (the components' values stay cached)
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


def shape_counts(model, lim: dict, *, progress=None, counter: GraphScenes | None = None,
                 connected: dict | None = None) -> dict[tuple[int, int, int], int]:
    """``{(n, a, r): number of scenes}`` (graph part: no scene attributes) for every shape the bounds
    ``lim`` allow, zero shapes left out.  ``counter``: a :class:`GraphScenes` of ``model`` and ``lim`` to
    use (and fill), e.g. for the sampler's later choices.  ``connected``: the connected scenes by shape
    when already known (e.g. from :mod:`.cores`); step 2 is then skipped."""
    caps = (lim["n"][1], lim["a"][1], lim["r"][1])
    conn = connected if connected is not None else connected_shape_counts(model, lim, progress=progress,
                                                                          counter=counter)
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


def structure_shape_counts(model, lim: dict, slots: tuple[int, ...], *, counter: GraphScenes | None = None
                           ) -> dict[tuple[int, int, int], int]:
    """``{(n, a, r): number of structures}`` for every shape the bounds ``lim`` allow (zero shapes left out),
    each object's slot count in ``slots``, without listing them: a structure is a multiset of connected
    structures (the Euler transform again), and these are counted per connected object graph by Burnside.

    >>> from gas_solver.solve.structures import _limits
    >>> from gas_solver.constraints.model import Bounds, IntRange
    >>> lim = _limits(Bounds(complexity=IntRange(1, 3), attributes_per_object=IntRange(0, 2)))
    >>> structure_shape_counts(None, lim, (0, 1, 2), counter=_NoLabels(lim))
    {(1, 0, 0): 1, (1, 1, 0): 1, (1, 2, 0): 1, (2, 0, 0): 1, (2, 0, 1): 1, (2, 1, 0): 1, (3, 0, 0): 1}
    """
    caps = (lim["n"][1], lim["a"][1], lim["r"][1])
    conn = connected_shape_counts(model, lim, counter=counter, slots=slots)
    every = conn if lim["connected"] else euler_transform(conn, max_complexity=lim["c"][1], caps=caps)
    return {(n, a, r): v for (n, a, r), v in every.items()
            if v and lim["c"][0] <= n + a + r <= lim["c"][1] and lim["n"][0] <= n <= lim["n"][1]
            and lim["a"][0] <= a <= lim["a"][1] and lim["r"][0] <= r <= lim["r"][1]}


class _NoLabels(GraphScenes):
    """A counter of structures only (no label model): for examples and tests."""

    def __init__(self, lim: dict):  # noqa: D107 - no label model to lump
        self.apo = lim["apo"]
        self._structs: dict = {}
