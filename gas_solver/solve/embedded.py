"""Forbidden patterns whose matches the structure fixes up to one or two labelled nodes.

A forbidden pattern such as ``a:animal -[*]-> b:* -[*]-> c:*`` (no animal starts a chain of two relations)
or ``a:*{colour=red}, b:*{colour=red}`` (not two red objects) is not local, but its edges name no
predicate and all but one or two of its nodes are ``*``: on a structure, its **embeddings** (injective
maps of its variables onto objects along its edges) are fixed by the structure alone, and a labelling
breaks it iff some embedding puts labels satisfying its labelled nodes on their images.  So it is a
product of 0/1 factors, one per embedding:

    [not (a(l_u))]                 one labelled node at u: a unary factor
    [not (a(l_u) and b(l_v))]      two labelled nodes at u, v: a pairwise factor (u, v need not be adjacent)

and the space keeps a product form: the counter multiplies these factors into each automorphism's
quotient (a labelling fixed by ``g`` is constant on ``g``'s cycles, so an embedding's factor lands on the
cycles of its images; equal factors are one) and sums by variable elimination, exactly; the sampler
draws from the local space and rejects, at the acceptance rate the exact counts give.

A **required** such pattern (``[[require]]``, at least one match: "some animal starts a chain of two
relations") is the complement of the forbidden one.  With required patterns ``R`` the count is
inclusion–exclusion over which of them are forbidden, ``Σ_{T ⊆ R} (-1)^|T| N(forbid T)``, each term
the product form above: ``2^|R|`` terms (at most :data:`MAX_REQUIRED` required patterns).

>>> from gas_solver.constraints.model import ConceptSet, Pattern, PatternEdge, PatternNode
>>> from gas_solver.solve.structures import Structure
>>> star, animal = PatternNode("b", ConceptSet(), ()), PatternNode("a", ConceptSet(categories=frozenset({"animal"})), ())
>>> chain = Pattern((animal, star, PatternNode("c", ConceptSet(), ())), (PatternEdge("a", "b"), PatternEdge("b", "c")))
>>> is_embedded(chain), list(embeddings(Structure(3, (0, 0, 0), ((0, 1), (1, 2))), chain))
(True, [(0, 1, 2)])
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from .burnside import int_scaled, quotient
from .modular import contract_int
from .symmetry import automorphism_classes

__all__ = ["is_embedded", "labelled_nodes", "embeddings", "EmbeddedCounter", "MAX_REQUIRED"]

#: required embedded patterns counted by inclusion–exclusion (2^k terms per structure) at most
MAX_REQUIRED = 6


def labelled_nodes(pattern) -> list[int]:
    """Positions of the nodes that ask something of their object's label (not a bare ``*``)."""
    return [i for i, nd in enumerate(pattern.nodes) if not nd.concepts.is_everything or nd.attributes]


def is_embedded(pattern) -> bool:
    """Not local (one node, or one edge), every edge any predicate, and one or two labelled nodes."""
    local = len(pattern.nodes) == 1 and not pattern.edges or (
        len(pattern.nodes) == 2 and len(pattern.edges) == 1 and pattern.edges[0].subject != pattern.edges[0].object)
    return (not local and all(e.predicates is None for e in pattern.edges)
            and 1 <= len(labelled_nodes(pattern)) <= 2)


def embeddings(structure, pattern):
    """Every injective map of the pattern's variables onto objects along its edges (tuples of objects,
    in the order of ``pattern.nodes``)."""
    n, k = structure.n, len(pattern.nodes)
    index = {nd.var: j for j, nd in enumerate(pattern.nodes)}
    pedges = [(index[e.subject], index[e.object]) for e in pattern.edges]
    edges = set(structure.edges)
    checks = [[(a, b) for a, b in pedges if max(a, b) == j] for j in range(k)]
    image = [-1] * k
    used = [False] * n

    def extend(j):
        if j == k:
            yield tuple(image)
            return
        for v in range(n):
            if used[v]:
                continue
            image[j] = v
            if all((image[a], image[b]) in edges for a, b in checks[j]):
                used[v] = True
                yield from extend(j + 1)
                used[v] = False

    yield from extend(0)


def counts_embedded(patterns) -> bool:
    """Whether :class:`EmbeddedCounter` counts these pattern constraints: each :func:`is_embedded`,
    forbidden or required once (``at_least = 1``), at most :data:`MAX_REQUIRED` of them required."""
    required = [pc for pc in patterns if pc.mode == "require"]
    return (bool(patterns) and all(is_embedded(pc.pattern) for pc in patterns)
            and all(pc.at_least == 1 for pc in required) and len(required) <= MAX_REQUIRED)


class EmbeddedCounter:
    """Counts (or weighs) scenes on structures under a label model's local factors and its embedded
    patterns (``patterns``: the pattern constraints, :func:`counts_embedded`): forbidden ones as 0/1
    factors, required ones by inclusion–exclusion over forbidding them."""

    def __init__(self, model, patterns):
        self.model = model
        # per pattern: the label-model node bits of its labelled nodes
        self.patterns = [(pc.pattern, [model._node_of(pc.pattern.nodes[i]) for i in labelled_nodes(pc.pattern)],
                          labelled_nodes(pc.pattern)) for pc in patterns]
        self.required = [i for i, pc in enumerate(patterns) if pc.mode == "require"]
        bits = np.array([lb.bits for lb in model.labels], dtype=object)
        self._mask = {}
        for _, nodes, _ in self.patterns:
            for b in nodes:
                self._mask[b] = np.array([int(x >> b & 1) for x in bits], dtype=object)
        self._memo: dict = {}

    def forbidden(self, structure, skip=()) -> tuple:
        """The structure's forbidden label combinations: ``(u, node)`` and ``(u, node_u, v, node_v)``
        (of every pattern but those in ``skip``)."""
        out = set()
        for k, (pattern, nodes, where) in enumerate(self.patterns):
            if k in skip:
                continue
            for image in embeddings(structure, pattern):
                if len(nodes) == 1:
                    out.add((image[where[0]], nodes[0]))
                else:
                    out.add((image[where[0]], nodes[0], image[where[1]], nodes[1]))
        return tuple(sorted(out))

    def fix(self, structure, g, forbidden) -> object:
        """Σ over labellings fixed by ``g`` of their weight, the forbidden combinations excluded."""
        q = quotient(structure.n, structure.attributes, structure.edges, g)
        cycle_of = {v: i for i, cyc in enumerate(q.vcycles) for v in cyc}
        unary_forbid: dict[int, set] = {}
        pair_forbid = set()
        for f in forbidden:  # each embedding's factor on the cycles of its images (equal ones once)
            if len(f) == 2:
                unary_forbid.setdefault(cycle_of[f[0]], set()).add((f[1],))
            else:
                cu, cv = cycle_of[f[0]], cycle_of[f[2]]
                if cu == cv:
                    unary_forbid.setdefault(cu, set()).add((f[1], f[3]))
                else:
                    pair_forbid.add((cu, f[1], cv, f[3]) if cu < cv else (cv, f[3], cu, f[1]))
        key = (q.vkey, tuple((i, j, L) for i, j, L, _ in q.ecycles),
               tuple(sorted((c, tuple(sorted(s))) for c, s in unary_forbid.items())), tuple(sorted(pair_forbid)))
        hit = self._memo.get(key)
        if hit is None:
            hit = self._memo[key] = self._value(key)
        return hit

    def _value(self, key):
        vkey, ecycles, unary_forbid, pair_forbid = key
        m = self.model
        factors, den = [], 1
        forbid_of = dict(unary_forbid)
        for i, (a, L) in enumerate(vkey):
            w = m.vertex_weights(a, L)
            for combo in forbid_of.get(i, ()):
                allowed = 1 - np.prod([self._mask[b] for b in combo], axis=0)
                w = w * allowed
            w, d = int_scaled(np.asarray(w, dtype=object))
            den *= d
            factors.append(((i,), w))
        for i, j, L in ecycles:
            F, d = int_scaled(m.edge_factor(L))
            den *= d
            factors.append(((i,), np.diagonal(F).copy()) if i == j else ((i, j), F))
        for cu, a, cv, b in pair_forbid:
            factors.append(((cu, cv), 1 - np.multiply.outer(self._mask[a], self._mask[b])))
        z = contract_int(factors)
        return Fraction(z, den) if den != 1 else z

    def orbit_sum(self, structure):
        """``(1/|Aut S|) Σ_g Fix(g)`` over one representative per class of conjugate automorphisms (their
        fixed labellings are the same scenes, and the forbidden set is invariant under every automorphism)."""
        classes = automorphism_classes(structure)
        total = 0
        req = self.required
        for t in range(1 << len(req)):  # forbid the required patterns of T, leave the others out
            skip = {k for i, k in enumerate(req) if not t >> i & 1}
            forbidden = self.forbidden(structure, skip)
            sign = -1 if (len(req) - len(skip)) % 2 else 1
            for c in classes:
                total += sign * c.size * self.fix(structure, c.rep, forbidden)
        return Fraction(total) / structure.group_order
