"""Patterns that see only the structure: decided per structure, never per labelling.

A required or forbidden pattern whose every node is ``*`` without attribute
conditions and whose every edge is ``-[*]->`` ("no chains of two relations":
``a:* -[*]-> b:* -[*]-> c:*``; "at least two relations out of one object") has
the same number of matches in every labelling of a structure.  The counter and
the sampler then keep the structures that satisfy it and drop it from the label
model, so the space stays a product form: exact counts by Burnside and
variable elimination, exact uniform draws by the same factors, with no sum over
label assignments (that took 81 s and then gave up at complexity 6 for the chain
above).  Labelled non-local patterns still take the explicit method.

>>> from gas_solver.constraints.model import ConceptSet, Pattern, PatternEdge, PatternNode
>>> from gas_solver.solve.structures import Structure
>>> star = lambda v: PatternNode(v, ConceptSet(), ())
>>> chain = Pattern((star("a"), star("b"), star("c")), (PatternEdge("a", "b", None), PatternEdge("b", "c", None)))
>>> is_structural(chain), structural_matches(Structure(3, (0, 0, 0), ((0, 1), (1, 2))), chain)
(True, 1)
"""

from __future__ import annotations

import dataclasses

__all__ = ["is_structural", "structural_matches", "split_structural", "structure_allowed"]


def is_structural(pattern) -> bool:
    """Every node ``*`` without attribute conditions, every edge any predicate, and not local (one
    node, or one edge: those stay product factors and marked proposals, as before)."""
    local = len(pattern.nodes) == 1 and not pattern.edges or (
        len(pattern.nodes) == 2 and len(pattern.edges) == 1 and pattern.edges[0].subject != pattern.edges[0].object)
    return (not local and all(nd.concepts.is_everything and not nd.attributes for nd in pattern.nodes)
            and all(e.predicates is None for e in pattern.edges))


def structural_matches(structure, pattern, cap: int | None = None) -> int:
    """Injective matches of a structural pattern in ``structure`` (counting stops at ``cap``)."""
    n = structure.n
    k = len(pattern.nodes)
    if k > n:
        return 0
    index = {nd.var: j for j, nd in enumerate(pattern.nodes)}
    pedges = [(index[e.subject], index[e.object]) for e in pattern.edges]
    edges = set(structure.edges)
    # assign pattern variables in order; check each edge once both ends are assigned
    checks = [[(a, b) for a, b in pedges if max(a, b) == j] for j in range(k)]
    image = [-1] * k
    used = [False] * n
    count = 0

    def extend(j: int) -> bool:  # True: stop (cap reached)
        nonlocal count
        if j == k:
            count += 1
            return cap is not None and count >= cap
        for v in range(n):
            if used[v]:
                continue
            image[j] = v
            if all((image[a], image[b]) in edges for a, b in checks[j]):
                used[v] = True
                stop = extend(j + 1)
                used[v] = False
                if stop:
                    return True
        return False

    extend(0)
    return count


def split_structural(spec):
    """``(structural pattern constraints, spec without them)``."""
    structural = tuple(pc for pc in spec.patterns if is_structural(pc.pattern))
    if not structural:
        return (), spec
    rest = tuple(pc for pc in spec.patterns if not is_structural(pc.pattern))
    return structural, dataclasses.replace(spec, patterns=rest)


def structure_allowed(structure, constraints) -> bool:
    """Does every labelling of ``structure`` satisfy these structural pattern constraints?"""
    for pc in constraints:
        if pc.mode == "forbid":
            if structural_matches(structure, pc.pattern, cap=1):
                return False
        elif structural_matches(structure, pc.pattern, cap=pc.at_least) < pc.at_least:
            return False
    return True
