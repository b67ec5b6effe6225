"""Forbidden and required patterns whose matches the structure fixes up to one or two labelled nodes or edges.

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

An edge that names predicates (``a:* -[on]-> b:* -[on]-> c:*``: nothing on something on something) asks
something of the predicate of its image, which a labelling fixed by ``g`` keeps constant on the image's edge
cycle: that cycle's predicate atom becomes a variable of the quotient, and the condition a 0/1 factor on it,
so labelled nodes and named edges together (one or two of them) keep the product form.

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

__all__ = ["is_embedded", "labelled_nodes", "named_edges", "embeddings", "counts_embedded", "EmbeddedCounter",
           "MAX_REQUIRED"]

#: required embedded patterns counted by inclusion–exclusion (2^k terms per structure) at most
MAX_REQUIRED = 6


def labelled_nodes(pattern) -> list[int]:
    """Positions of the nodes that ask something of their object's label (not a bare ``*``)."""
    return [i for i, nd in enumerate(pattern.nodes) if not nd.concepts.is_everything or nd.attributes]


def named_edges(pattern) -> list[int]:
    """Positions of the edges that name predicates (not ``-[*]->``)."""
    return [k for k, e in enumerate(pattern.edges) if e.predicates is not None]


def is_embedded(pattern) -> bool:
    """Not local (one node, or one edge), and one or two things asked of labels: labelled nodes and edges
    that name predicates together."""
    local = len(pattern.nodes) == 1 and not pattern.edges or (
        len(pattern.nodes) == 2 and len(pattern.edges) == 1 and pattern.edges[0].subject != pattern.edges[0].object)
    return not local and 1 <= len(labelled_nodes(pattern)) + len(named_edges(pattern)) <= 2


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
    factors, required ones by inclusion–exclusion over forbidding them.

    An edge that names predicates makes its edge cycle's predicate a variable of the quotient (over the
    label model's predicate atoms, which every pattern's predicate sets split alike), with a factor
    ``E[l1, l2, atom]`` in place of the edge factor, so its conditions are 0/1 factors like the nodes'.
    """

    def __init__(self, model, patterns):
        self.model = model
        # per pattern: what it asks of labels, ("v", node position, label-model node bit) and
        # ("e", edge position, predicate mask)
        self.patterns = []
        for pc in patterns:
            p = pc.pattern
            items = [("v", i, model._node_of(p.nodes[i])) for i in labelled_nodes(p)]
            items += [("e", k, model._pred_mask(p.edges[k].predicates)) for k in named_edges(p)]
            self.patterns.append((p, items))
        self.required = [i for i, pc in enumerate(patterns) if pc.mode == "require"]
        bits = [lb.bits for lb in model.labels]
        self._node_mask: dict = {}
        self._atom_mask: dict = {}
        for _, items in self.patterns:
            for kind, _, r in items:
                if kind == "v" and r not in self._node_mask:
                    self._node_mask[r] = np.array([int(x >> r & 1) for x in bits], dtype=object)
                elif kind == "e" and r not in self._atom_mask:
                    self._atom_mask[r] = np.array([int(bool(a & r)) for a in model.pred_atoms], dtype=object)
        self._edge_atoms: dict = {}
        self._memo: dict = {}

    def forbidden(self, structure, skip=()) -> tuple:
        """The structure's forbidden combinations, one per embedding of every pattern but those in ``skip``:
        tuples of ``("v", object, node bit)`` and ``("e", (subject, object), predicate mask)``."""
        out = set()
        for k, (pattern, items) in enumerate(self.patterns):
            if k in skip:
                continue
            index = {nd.var: j for j, nd in enumerate(pattern.nodes)}
            for image in embeddings(structure, pattern):
                combo = []
                for kind, pos, r in items:
                    if kind == "v":
                        combo.append(("v", image[pos], r))
                    else:
                        e = pattern.edges[pos]
                        combo.append(("e", (image[index[e.subject]], image[index[e.object]]), r))
                out.add(tuple(sorted(combo)))
        return tuple(sorted(out))

    def fix(self, structure, g, forbidden) -> object:
        """Σ over labellings fixed by ``g`` of their weight, the forbidden combinations excluded."""
        key = self.fix_key(quotient(structure.n, structure.attributes, structure.edges, g), forbidden)
        hit = self._memo.get(key)
        if hit is None:
            factors, den = self.factors(key)
            z = contract_int(factors)
            hit = self._memo[key] = Fraction(z, den) if den != 1 else z
        return hit

    def fix_key(self, q, forbidden) -> tuple:
        """The quotient ``q`` with the forbidden combinations on its variables (object cycles ``0 .. V-1``,
        then edge cycles ``V + k`` whose predicate a condition names): what :meth:`factors` builds from."""
        cycle_of = {v: i for i, cyc in enumerate(q.vcycles) for v in cyc}
        ecycle_of = {uv: k for k, (_, _, _, orbit) in enumerate(q.ecycles) for uv in orbit}
        V = len(q.vcycles)
        unary_forbid: dict[int, set] = {}
        pair_forbid = set()
        for combo in forbidden:  # each embedding's factor on the cycles of its images (equal ones once)
            on: dict[int, list] = {}  # variable -> its conditions (edge cycles are variables V + k)
            for kind, where, r in combo:
                var = cycle_of[where] if kind == "v" else V + ecycle_of[where]
                on.setdefault(var, []).append(r)
            if len(on) == 1:
                (var, rs), = on.items()
                unary_forbid.setdefault(var, set()).add(tuple(sorted(rs)))
            else:
                (u, ru), (v, rv) = sorted(on.items())
                pair_forbid.add((u, tuple(sorted(ru)), v, tuple(sorted(rv))))
        named = tuple(sorted({var - V for var in unary_forbid if var >= V}
                             | {var - V for f in pair_forbid for var in (f[0], f[2]) if var >= V}))
        return (q.vkey, tuple((i, j, L) for i, j, L, _ in q.ecycles), named,
                tuple(sorted((c, tuple(sorted(s))) for c, s in unary_forbid.items())), tuple(sorted(pair_forbid)))

    def _indicator(self, var: int, V: int, rs) -> np.ndarray:
        """1 where the variable's value meets every condition in ``rs`` (node bits, or predicate masks)."""
        masks = self._node_mask if var < V else self._atom_mask
        return np.prod([masks[r] for r in rs], axis=0)

    def edge_atom_factor(self, L: int):
        """``(E, den)``: ``E[l1, l2, atom]``, the weighted number of predicates of each atom allowed on an
        edge cycle of ``L`` edges (summed over atoms: the label model's edge factor)."""
        hit = self._edge_atoms.get(L)
        if hit is None:
            m = self.model
            atoms = m.pred_atoms
            types: dict = {}
            tidx = np.empty(m.M, dtype=np.int64)
            reps = []
            for i, lb in enumerate(m.labels):  # labels with equal (class, bits) have equal rows
                tidx[i] = types.setdefault((lb.cls, lb.bits), len(types))
                if tidx[i] == len(reps):
                    reps.append(i)
            small = np.zeros((len(reps), len(reps), len(atoms)), dtype=object)
            for x, i in enumerate(reps):
                for y, j in enumerate(reps):
                    for mask, cnt, w in m.edge_atom_weights(i, j, L):
                        small[x, y, next(t for t, a in enumerate(atoms) if mask & a)] += cnt * w
            big = small[np.ix_(tidx, tidx)]
            hit = self._edge_atoms[L] = int_scaled(big) if m.weighted else (big, 1)
        return hit

    def edge_factor(self, L: int):
        """``(F, den)``: the label model's edge factor as integers (kept per length)."""
        hit = self._edge_atoms.get(("F", L))
        if hit is None:
            F = self.model.edge_factor(L)
            hit = self._edge_atoms[("F", L)] = int_scaled(F) if self.model.weighted else (F, 1)
        return hit

    def factors(self, key, named=None) -> tuple[list, int]:
        """``(factors, den)`` of a :meth:`fix_key`: the fixed labellings' weight is ``Σ Π factors / den``.
        ``named``: edge cycles to make variables even where no condition names them (the sampler)."""
        vkey, ecycles, key_named, unary_forbid, pair_forbid = key
        named = key_named if named is None else named
        m = self.model
        V = len(vkey)
        factors, den = [], 1
        forbid_of = dict(unary_forbid)
        for i, (a, L) in enumerate(vkey):
            w = m.vertex_weights(a, L)
            for rs in forbid_of.get(i, ()):
                w = w * (1 - self._indicator(i, V, rs))
            w, d = int_scaled(np.asarray(w, dtype=object))
            den *= d
            factors.append(((i,), w))
        for k, (i, j, L) in enumerate(ecycles):
            if k in named:  # the edge cycle's predicate atom is a variable
                E, d = self.edge_atom_factor(L)
                factors.append(((i, V + k), np.ascontiguousarray(np.diagonal(E).T)) if i == j
                               else ((i, j, V + k), E))
                allowed = np.ones(len(m.pred_atoms), dtype=object)
                for rs in forbid_of.get(V + k, ()):
                    allowed = allowed * (1 - self._indicator(V + k, V, rs))
                factors.append(((V + k,), allowed))
            else:
                F, d = self.edge_factor(L)
                factors.append(((i,), np.diagonal(F).copy()) if i == j else ((i, j), F))
            den *= d
        for u, ru, v, rv in pair_forbid:
            factors.append(((u, v), 1 - np.multiply.outer(self._indicator(u, V, ru), self._indicator(v, V, rv))))
        return factors, den

    def orbit_sum(self, structure):
        """``(1/|Aut S|) Σ_g Fix(g)`` over one representative per class of conjugate automorphisms (their
        fixed labellings are the same scenes, and the forbidden set is invariant under every automorphism)."""
        classes = automorphism_classes(structure)
        total = 0
        for sign, forbidden in self.terms(structure):
            for c in classes:
                total += sign * c.size * self.fix(structure, c.rep, forbidden)
        return Fraction(total) / structure.group_order

    def terms(self, structure) -> list:
        """``[(sign, forbidden combinations)]``: the inclusion–exclusion terms over the required patterns
        (each term forbids the required patterns of a set T, with sign ``(-1)^|T|``, and every forbidden one)."""
        req = self.required
        out = []
        for t in range(1 << len(req)):
            skip = {k for i, k in enumerate(req) if not t >> i & 1}
            out.append((-1 if (len(req) - len(skip)) % 2 else 1, self.forbidden(structure, skip)))
        return out

    def fixed_value(self, structure, g) -> object:
        """Σ over the labellings fixed by ``g`` that satisfy every pattern of their weight."""
        return sum((sign * self.fix(structure, g, forbidden) for sign, forbidden in self.terms(structure)), 0)
