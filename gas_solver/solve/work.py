"""Work estimates before exponential steps, and the limits above which they are refused.

Counting, enumeration and sampling are exact, and some of their steps grow exponentially with the file:
the structures of a complexity bound, the counters' joint states of many ``[[require]]`` blocks and
cardinalities, the set partitions of ``repeat_objects = false``, the explicit sum over label assignments.
Each such step asks this module first; above its limit it raises
:class:`~gas_solver.errors.WorkLimitExceeded` with the estimate, the limit and what to change, within
milliseconds, instead of running for hours or exhausting memory.  The limits are one table (:data:`LIMITS`),
so a faster method raises its own limit here.

Examples
--------
>>> from gas_solver.constraints.model import Bounds, IntRange
>>> from gas_solver.solve.structures import shapes
>>> estimate_structures(shapes(Bounds(complexity=IntRange(1, 8))))  # 345 structures exist
341
>>> check_structures(shapes(Bounds(complexity=IntRange(1, 30))))
Traceback (most recent call last):
gas_solver.errors.WorkLimitExceeded: listing the structures of the bounds: about 9.13e14 structures, more than the limit of 30,000; lower space.complexity, or bound space.objects, space.attributes or space.relations
"""

from __future__ import annotations

import math

from ..errors import WorkLimitExceeded

__all__ = ["LIMITS", "estimate_structures", "check_structures", "check_counter_states", "check_partitions",
           "check_automorphisms", "check_pattern_matches", "check_explicit", "bell",
           "estimate_object_graphs", "check_object_graphs"]

#: the largest work each step may start (same units as its estimate); measured on one core
LIMITS = {
    # structures listed by the orderly generator: ~0.5 ms each at complexity 11 (5,032 in 2.3 s; the estimate
    # for complexity ≤ 11 with no other bound is 6,759, for ≤ 12 about 20,000: 13,214 listed in ~2.3 s CPU)
    "structures": 30_000,
    # joint states of the counting DP's counters (one per cardinality and required pattern, each 0..cap):
    # its addition table has states² entries (1,024 states: ~1 s, ~8 MB)
    "counter_states": 1_024,
    # automorphisms summed over by Burnside's lemma, over all structures (nine interchangeable bare objects:
    # 9! = 362,880, ~8 s with the toy taxonomy)
    "automorphisms": 1_000_000,
    # matches of patterns of three or more objects grounded on up to n objects: n^k per pattern (5 objects on
    # up to 8: 32,768, ~9 s to ground the satisfiability model with the toy taxonomy; 4 objects: 4,096, ~2 s)
    "pattern_matches": 10_000,
    # label assignments the explicit sum checks (global constraints no counter holds), over all structures,
    # counted before it starts: one vertex labelling of a quotient times its predicate-atom choices where a
    # pattern names predicates (~20-60 µs each on one core: 300,000 is 6-18 s)
    "explicit_assignments": 300_000,
    # set partitions of the objects (Möbius inversion for repeat_objects = false): Bell(10) = 115,975
    "partitions": 200_000,
    # connected object graphs listed by counting through connected scenes (solve/multiset.py): 4,713 up to
    # complexity 14 in ~2 s; the estimate (see estimate_object_graphs) is 8,159 there
    "object_graphs": 10_000,
    # label tuples one elimination step of a complete object graph sums over (labels^objects, per evaluation
    # point and prime): four objects of the default taxonomy's 101 lumped labels are 1.04e8 (~1 s for one
    # complete DAG; complexity [1, 12] has them), five are 1.05e10 (refused)
    "clique_labels": 2 * 10 ** 8,
    # five objects all related are summed in exact float64 matrix products (solve/dense.py): labels^5 products
    # per series coefficient, the five-object tournament of 114 lumped labels (1.9e10) in ~5.5 s
    "dense_clique_labels": 5 * 10 ** 10,
    # estimated CPU seconds of a count by 2-cores (solve/cores.py, work_estimate): [1, 14] of the default
    # taxonomy is estimated at ~40 s and takes ~45-80 s; [1, 16] ~900 s
    "core_seconds": 120,
}


def estimate_structures(shapes) -> int:
    """About how many structures the shapes ``(n, a, r)`` of some bounds have: Σ of
    ``C(a+n-1, n-1) · C(n(n-1), r) / n!`` (attribute counts per object, edge sets, object orders),
    which follows the true number closely (341 for 345 at complexity ≤ 8; 6,759 for 5,032 at ≤ 11)."""
    total = 0.0
    for n, a, r in shapes:
        total += math.comb(a + n - 1, n - 1) * math.comb(n * (n - 1), r) / math.factorial(n)
    return round(total)


def check_structures(shapes) -> None:
    """Refuse bounds whose structures are too many to list (see :data:`LIMITS`); ``shapes`` as
    :func:`~gas_solver.solve.structures.shapes` gives them."""
    est = estimate_structures(shapes)
    if est > LIMITS["structures"]:
        raise WorkLimitExceeded("listing the structures of the bounds", est, LIMITS["structures"], "structures",
                                "lower space.complexity, or bound space.objects, space.attributes or space.relations")


def check_automorphisms(structures) -> None:
    """Refuse counting over structures whose automorphism groups sum to too many elements (Burnside's sum
    visits each once)."""
    total = sum(s.group_order for s in structures)
    if total > LIMITS["automorphisms"]:
        biggest = max(structures, key=lambda s: s.group_order)
        raise WorkLimitExceeded(f"counting by Burnside's lemma over {len(structures):,} structures (the largest "
                                f"group: {biggest.group_order:,} automorphisms, {biggest.n} objects)", total,
                                LIMITS["automorphisms"], "automorphisms",
                                "lower space.objects (max), or require relations or attributes that tell objects apart")


def check_pattern_matches(spec) -> None:
    """Refuse patterns of three or more objects whose candidate matches (n^k on up to n objects) are too many
    to ground."""
    b = spec.bounds
    n = min(b.complexity.hi or 0, b.objects.hi if b.objects.hi is not None else b.complexity.hi or 0)
    total = 0
    widest = None
    for pc in list(spec.patterns) + list(getattr(spec, "soft", ())):
        k = len(pc.pattern.nodes)
        if k >= 3:
            total += n ** k
            if widest is None or k > len(widest.pattern.nodes):
                widest = pc
    if total > LIMITS["pattern_matches"]:
        raise WorkLimitExceeded(f"{widest.origin}: matching patterns of up to {len(widest.pattern.nodes)} objects "
                                f"on up to {n} objects", total, LIMITS["pattern_matches"], "candidate matches",
                                "use shorter patterns, or lower space.objects (max)")


def check_explicit(assignments: int, structures: int, constructs: list[str]) -> None:
    """Refuse an explicit sum over label assignments whose work, counted before it starts, is above the limit
    (the same answer on every machine: the estimate depends only on the file and the taxonomy)."""
    if assignments > LIMITS["explicit_assignments"]:
        raise WorkLimitExceeded(f"counting by an explicit sum over label assignments on {structures:,} structures "
                                f"(these constraints are not local products: {'; '.join(constructs)})", assignments,
                                LIMITS["explicit_assignments"], "label assignments to check",
                                "narrow the vocabulary or the complexity range, lower space.objects, or drop these "
                                "constraints")


def check_counter_states(caps) -> None:
    """Refuse a counting DP whose counters (each counting 0..cap) have too many joint states."""
    states = math.prod(c + 1 for c in caps)
    if states > LIMITS["counter_states"]:
        raise WorkLimitExceeded(f"counting with {len(caps)} counters (one per [[require]] block and cardinality)",
                                states, LIMITS["counter_states"], "joint counter states",
                                "use fewer [[require]] blocks or cardinalities, or smaller at_least / at_most values")


def bell(n: int) -> int:
    """The number of set partitions of n items (Bell triangle). ``bell(10) == 115975``."""
    row = [1]
    for _ in range(n):
        nxt = [row[-1]]
        for x in row:
            nxt.append(nxt[-1] + x)
        row = nxt
    return row[0]


def check_partitions(n: int, *, squared: bool = False) -> None:
    """Refuse the Möbius inversion of ``repeat_objects = false`` on ``n`` objects when Bell(n) is too large
    (``squared``: pairs of partitions, for a ``distinct_categories`` count on top)."""
    b = bell(n) ** 2 if squared else bell(n)
    if b > LIMITS["partitions"]:
        what = "pairs of set partitions" if squared else "set partitions"
        raise WorkLimitExceeded(f"counting {n} pairwise distinct objects (repeat_objects = false)", b,
                                LIMITS["partitions"], what,
                                "lower space.objects (max), or allow repeated objects")



def estimate_object_graphs(lim: dict) -> int:
    """About how many connected object graphs counting by connected scenes lists for normalised bounds
    ``lim`` (:func:`~gas_solver.solve.structures._limits`): Σ over ``n`` objects and ``r >= n - 1`` relations
    with ``n + r`` within the complexity of ``C(n(n-1)/2, r) · 2^r / n!`` (edge sets, directions, object
    orders); 946 for the 664 of complexity ≤ 12, 8,159 for the 4,713 of ≤ 14."""
    c = lim["c"][1]
    unit = 1 + lim["apo"][0]
    total = 0.0
    for n in range(1, min(lim["n"][1], c) + 1):
        for r in range(n - 1, min(lim["r"][1], c - n * unit) + 1):
            total += math.comb(n * (n - 1) // 2, r) * 2 ** r / math.factorial(n)
    return round(total)


def check_object_graphs(lim: dict, labels: int) -> None:
    """Refuse counting by connected scenes when its object graphs are too many to list, or when the densest
    of them (a complete graph on ``q`` objects, every pair related) needs an elimination over ``labels^q``
    label tuples."""
    est = estimate_object_graphs(lim)
    way_out = "lower space.complexity, or bound space.objects or space.relations"
    if est > LIMITS["object_graphs"]:
        raise WorkLimitExceeded("counting through the connected object graphs of the bounds", est,
                                LIMITS["object_graphs"], "object graphs", way_out)
    c = lim["c"][1]
    unit = 1 + lim["apo"][0]
    q = 1
    while (q + 1 <= lim["n"][1] and (q + 1) * unit + q * (q + 1) // 2 <= c
           and q * (q + 1) // 2 <= lim["r"][1] and q <= min(lim["in"][1], lim["out"][1])):
        q += 1
    work = labels ** q
    if q in (4, 5) and work <= LIMITS["dense_clique_labels"]:
        # (four and five objects all related have their own paths, solve/dense.py, and the count by 2-cores
        # then checks its own estimate, cores.check_work, which scales with the labels; the plain labels^4
        # bound refused the default taxonomy's [1, 12] at 122 lumped labels, 2.2e8 tuples, although its
        # count by cores takes ~3 s, and sent it structure by structure: ~15 s)
        return
    if q > 2 and work > LIMITS["clique_labels"]:
        raise WorkLimitExceeded(f"counting scenes on {q} objects that are all related to each other ({labels} "
                                f"vertex labels)", work, LIMITS["clique_labels"], "label tuples in one step",
                                way_out + " (or space.out_degree), or narrow the vocabulary")
