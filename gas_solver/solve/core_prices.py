"""What a 2-core costs to count one by one: the elimination order its count takes and the measured price.

:mod:`.cores` counts the cores one by one and :mod:`.kernels` decides whether summing a kernel's cores at once is
cheaper: both price a core here (its width, :func:`core_width`, and :data:`CORE_MS`), and the count's eliminations
name their variables by :func:`elimination_names`.

>>> CORE_MS[(3, "0")]   # ms per labels^4 step of a core of width 3 with no complexity left for trees or attributes
10.1
"""

from __future__ import annotations

from .connected import least_degree_width
from .modular import _elimination_order

__all__ = ["CORE_MS", "core_ms", "core_width", "elimination_names", "widest_steps"]

_NAMES: dict = {}


def elimination_names(n: int, edges) -> list[int]:
    """New names ``name[v]`` for the variables of a factor graph on ``n`` variables (``edges``: pairs that
    share a factor) such that eliminating the least-degree variable first, ties broken by the smaller
    name, follows the cheapest such order (cost ``Σ labels^(neighbours + 1)``, labels taken as 100).

    The plain tie-break (by position) can widen a step: six objects in ten relations have an order of
    width 3, and the first of the least-degree objects by position can lead to width 4 (``labels^5``
    products per prime instead of ``labels^4``).  Searched over every least-degree choice, once per set of
    remaining variables (``2^n`` sets at most; cached per graph).

    >>> elimination_names(3, [(0, 1), (1, 2)])   # a path: an end first, then the middle
    [0, 1, 2]
    """
    key = (n, tuple(sorted(tuple(sorted(e)) for e in edges if e[0] != e[1])))
    hit = _NAMES.get(key)
    if hit is not None:
        return hit
    adj = [0] * n  # (each variable's neighbours among those left, as bits)
    for u, v in key[1]:
        adj[u] |= 1 << v
        adj[v] |= 1 << u
    memo: dict = {}

    def search(left: int, adj: list):
        """(cost, order) of the cheapest least-degree order of the remaining variables (``left``, as bits; the
        fill graph of what is left does not depend on the order in which the others went: one search per set)."""
        hit = memo.get(left)
        if hit is not None:
            return hit
        if not left:
            return 0, ()
        alive = [v for v in range(n) if left >> v & 1]
        least = min(adj[v].bit_count() for v in alive)
        found = None
        for v in alive:
            nb = adj[v]
            if nb.bit_count() != least:
                continue
            rest = list(adj)
            bits = nb
            while bits:
                low = bits & -bits
                x = low.bit_length() - 1
                bits ^= low
                rest[x] = (rest[x] | nb) & ~(low | (1 << v))
            cost, order = search(left & ~(1 << v), rest)
            cost += 100 ** (least + 1)
            if found is None or cost < found[0]:
                found = (cost, (v,) + order)
        memo[left] = found
        return found

    order = search((1 << n) - 1, adj)[1]
    name = [0] * n
    for i, v in enumerate(order):
        name[v] = i
    _NAMES[key] = name
    return name


def core_width(graph) -> int:
    """The largest neighbour set of the least-degree elimination order the count takes (the cheapest one
    where the plain order is wider, :func:`elimination_names`)."""
    w = least_degree_width(graph.n, graph.edges)
    if w >= 4:  # (rare: the search over least-degree orders, once per graph)
        name = elimination_names(graph.n, graph.edges)
        w = least_degree_width(graph.n, [(name[u], name[v]) for u, v in graph.edges])
    return w


def widest_steps(graph) -> int:
    """How many steps over three neighbours (``labels^4`` products) the count's elimination of ``graph`` takes: the
    least-degree order, ties broken by :func:`elimination_names`.

    >>> from types import SimpleNamespace as G
    >>> widest_steps(G(n=4, edges=[(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]))   # the four-clique
    1
    """
    name = elimination_names(graph.n, graph.edges)
    order = _elimination_order([(name[u], name[v]) for u, v in graph.edges])
    return sum(len(union) == 4 for _, union in order)  # (the variable and its three neighbours)


#: measured CPU milliseconds per core at 114 lumped labels, by the width of its cheapest least-degree order and
#: the complexity left beyond it (``d``: 0, 1-3, 4 or more), counted by complexity alone (``τ = 1``), every core
#: in the count's planned order (:meth:`.cores._CoreScenes.plan`: cores share steps through the memo, pass by pass in
#: groups, so these are averages over a population); for width 3, milliseconds per ``labels^4`` step of the core
#: (:func:`widest_steps`: at ``[1, 16]`` the one-by-one cores of width 3 with ``d = 0`` take 2.1 such steps on average
#: and 21 ms at 114 labels, at ``[1, 14]`` 1.1 and 14 ms).  Measured by ``benchmarks/core_prices_check.py
#: --complexity 16`` (results/core_prices_check_16.json, load ~7: 2,118 cores of width 2, 1,160 of width 3, one of
#: width 4, the five-clique, :mod:`.dense`) and ``--complexity 14 --ungrouped``
#: (results/core_prices_check_14_ungrouped.json: the four-clique itself, the only core of width 3 with ``d >= 4``
#: counted one by one).  Width 1: the earlier table (``benchmarks/c16_account.py``).  A core of width ``w`` on ``M``
#: labels scales as ``(M / 114)^(w + 1)``.
CORE_MS = {(1, "0"): 2.0, (1, "1-3"): 3.0, (1, ">=4"): 5.0,
           (2, "0"): 2.1, (2, "1-3"): 3.8, (2, ">=4"): 11.1,
           (3, "0"): 10.1, (3, "1-3"): 41.1, (3, ">=4"): 785.0,
           (4, "0"): 4220.0, (4, "1-3"): 4220.0, (4, ">=4"): 15000.0}


def core_ms(graph, d: int, *, scale: float = 1.0, by_complexity: bool = True) -> float:
    """The estimated CPU milliseconds of counting ``graph`` one by one with ``d`` complexity left for trees and
    attributes (:data:`CORE_MS`, for width 3 per ``labels^4`` step, times ``scale^(width + 1)`` for ``scale`` =
    labels / 114; a count by shape takes one elimination per ``τ``)."""
    w = min(4, core_width(graph))
    ms = CORE_MS[(w, "0" if d == 0 else "1-3" if d <= 3 else ">=4")] * scale ** (w + 1)
    if w == 3:
        ms *= max(1, widest_steps(graph))
    return ms if by_complexity else ms * (d // 2 + 1)
