"""``repeat_objects = false``: counting labellings with pairwise distinct concepts, by Möbius inversion.

With distinct concepts no automorphism but the identity fixes a labelling, so
the number of scenes on a structure ``S`` is ``#injective labellings / |Aut S|``.
Injectivity is not a product of local factors, but "these objects share one
concept" is: by Möbius inversion on the lattice of set partitions of the objects,

    #injective = Σ_π μ(π) F(π),   μ(π) = Π_blocks (-1)^{|B|-1} (|B|-1)!

where ``F(π)`` counts labellings in which the objects of each block share a
concept (other coincidences allowed).  ``F(π)`` is a partition function again:
one label variable per object (attribute profile and class), plus one class
variable per block of two or more objects that carries the block's single
concept choice (``|class|``, counted once) and ties the block's objects to its
class.  Components of that factor graph are memoised, so structures made of
isolated objects cost a handful of shapes whatever their partition.

**Distinct categories** (a ``distinct_categories`` cardinality without a
list: the number of different categories among the objects) is the number of
blocks of the partition ``τ`` "these objects share a category", so the same
lattice counts it: with ``G(σ)`` the labellings whose objects share a category
within each block of ``σ`` (and distinct concepts),

    #{number of categories in R} = Σ_σ c_R(σ) G(σ),   c_R(σ) = Σ_{τ ≤ σ, |τ| ∈ R} μ(τ, σ),

and ``G(σ) = Σ_π μ(π) F(π, σ ∨ π)``, where ``F(π, ρ)`` also asks the objects of
each block of ``ρ`` to share a category (objects sharing a concept share its
category, hence the join).  Every term is a partition function again.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from math import factorial

import numpy as np

from .burnside import int_scaled
from .modular import contract_int
from .labels import LabelModel
from .structures import components
from .work import check_partitions

__all__ = ["DistinctCounter", "set_partitions"]

#: components contracted together by :meth:`DistinctCounter.prepare`.  1: one by one.  Batches (a batch variable
#: over stacked unaries) paid off with ~100 classes but cost more than they save with the default taxonomy's
#: ~250 classes per part (default file, repeat_objects = false, in process: 9.0 s one by one, 16 s in batches
#: of 16 or 64), so they are off; the canonical keys still share every repeated quotient.
PREPARE_BATCH = 1


def set_partitions(items: list):
    """Every set partition of ``items`` (lists of blocks), each exactly once.

    >>> sum(1 for _ in set_partitions([0, 1, 2, 3]))
    15
    """
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for part in set_partitions(rest):
        yield [[first]] + part
        for i in range(len(part)):
            yield part[:i] + [[first] + part[i]] + part[i + 1:]


def _moebius(part) -> int:
    out = 1
    for b in part:
        out *= (-1) ** (len(b) - 1) * factorial(len(b) - 1)
    return out


def _stirling2(n: int, k: int) -> int:
    """Set partitions of ``n`` items into ``k`` blocks."""
    row = [1] + [0] * k
    for i in range(1, n + 1):
        row = [0] + [j * row[j] + row[j - 1] for j in range(1, k + 1)]
    return row[k]


def category_coefficient(part, accepted) -> int:
    """``c_R(σ) = Σ_{τ ≤ σ, |τ| ∈ R} μ(τ, σ)`` for ``σ = part`` and ``R`` the accepted block counts.

    A refinement splits each block ``B`` into ``k_B`` parts (``S(|B|, k_B)`` ways) with
    ``μ = Π (-1)^(k_B - 1) (k_B - 1)!``: a product of one polynomial in the number of parts per block.

    >>> category_coefficient([[0], [1], [2]], range(0, 4)), category_coefficient([[0, 1, 2]], range(0, 4))
    (1, 0)
    """
    poly = [1]
    for b in part:
        s = len(b)
        term = [0] + [_stirling2(s, k) * (-1) ** (k - 1) * factorial(k - 1) for k in range(1, s + 1)]
        nxt = [0] * (len(poly) + s)
        for i, x in enumerate(poly):
            if x:
                for j, y in enumerate(term):
                    nxt[i + j] += x * y
        poly = nxt
    return sum(x for t, x in enumerate(poly) if t in accepted)


def _join(p1, p2, n: int) -> list:
    """The finest partition coarser than both (blocks united where they overlap), blocks in object order."""
    return components(n, [(v, blk[0]) for part in (p1, p2) for blk in part for v in blk[1:]])


class DistinctCounter:
    """Counts (or weighs) labellings with distinct concepts on structures, for one label model.

    ``category``: a ``distinct_categories`` cardinality without a list (see the module's notes), or None.
    """

    def __init__(self, model: LabelModel, counters=None, category=None):
        self.model = model
        #: a :class:`~gas_solver.solve.counters.CounterModel` for the file's other global constraints, if any
        self.counters = counters
        self.category = category
        K = len(model.domain.classes)
        self.K = K
        # the class of each value of the variables (labels, or the counter model's groups of labels), and
        # value_at[class, r]: the class's r-th value (-1 past its last)
        cls_of = [lb.cls for lb in model.labels] if counters is None else counters.value_class
        per_class: list[list[int]] = [[] for _ in range(K)]
        for i, c in enumerate(cls_of):
            per_class[c].append(i)
        R = max((len(v) for v in per_class), default=1) or 1
        self.value_at = np.full((K, R), -1, dtype=np.int64)
        for c, vals in enumerate(per_class):
            self.value_at[c, :len(vals)] = vals
        self._split: dict = {}
        self.sizes = np.array([k.size for k in model.domain.classes], dtype=object)
        if category is not None:
            # tie[category, value] = 1 iff the value's class lies in that category
            r = [c for c in model.spec.cardinalities if c.kind == "distinct_categories"].index(category)
            cats = sorted({k.counted[r][0] for k in model.domain.classes})
            index = {c: i for i, c in enumerate(cats)}
            cat = [index[model.domain.classes[c].counted[r][0]] for c in range(K)]
            #: same_category[c1, c2] = 1 iff classes c1 and c2 lie in one category
            self.same_category = np.array([[int(cat[c1] == cat[c2]) for c2 in range(K)] for c1 in range(K)],
                                          dtype=object)
            hi = category.range.hi
            self.category_accepts = range(category.range.lo, (hi if hi is not None else 10 ** 9) + 1)
        self._memo: dict = {}
        #: one value per class (no constrained attribute type tells a class's labels apart), no counters, no
        #: category count: F(π) is the partition function of the **quotient** graph (one class variable per
        #: block, weight |class| × Π its objects' attribute ways, edges between blocks, loops inside one),
        #: so partitions and structures with the same quotient share one value
        self.by_quotient = counters is None and category is None and R == 1
        self._canon: dict = {}

    def injective(self, structure):
        """Σ over labellings of ``structure`` with pairwise distinct concepts of their weight (exact)."""
        check_partitions(structure.n, squared=self.category is not None)
        parts = list(set_partitions(list(range(structure.n))))
        if self.category is None:
            return sum(_moebius(part) * self._accepted(self._shared(structure, part)) for part in parts)
        total = 0
        for sigma in parts:  # σ: objects that share a category (at least)
            c = category_coefficient(sigma, self.category_accepts)
            if not c:
                continue
            for part in parts:  # π: objects that share a concept (at least)
                rho = _join(sigma, part, structure.n)
                total += c * _moebius(part) * self._accepted(self._shared(structure, part, rho))
        return total

    def _accepted(self, f):
        return f if self.counters is None else self.counters.accepted(f)

    def orbit_sum(self, structure):
        return Fraction(self.injective(structure), structure.group_order)

    def prepare(self, structures) -> None:
        """Compute, in batches, every component partition function that the Möbius sums of ``structures``
        need (the same values :meth:`injective` would compute one by one, each an exact contraction).

        Components of one **topology** (block of each object, edges, block sizes: all but the objects'
        slot counts) have factor graphs that differ only in their unary factors, so one contraction
        with an extra variable ``z`` (which member of the group) over stacked unaries gives all of them:
        its marginal over ``z`` (with :data:`PREPARE_BATCH` above 1)."""
        if self.counters is not None or self.category is not None:
            return
        need: dict = {}
        alias: dict = {}
        canon: dict = {}
        for st in structures:
            check_partitions(st.n)
            for part in set_partitions(list(range(st.n))):
                block_of = {v: b for b, blk in enumerate(part) for v in blk}
                for key in self._keys(st, part, [], block_of, {}):
                    if key in self._memo or key in alias:
                        continue
                    if key[0] == "q":  # already in canonical block order; batched by its edges
                        need.setdefault((len(key[1]), key[2]), {})[key] = None
                        continue
                    # the topology in a canonical vertex order (relabelled components have one value), the
                    # slot counts permuted along
                    topo = (tuple(b for _, b in key[0]), key[1], key[2])
                    hit = canon.get(topo)
                    if hit is None:
                        hit = canon[topo] = _canonical_topology(topo)
                    ctopo, order = hit
                    ckey = (tuple((key[0][old][0], b) for old, b in zip(order, ctopo[0])), ctopo[1], ctopo[2])
                    alias[key] = ckey
                    if ckey not in self._memo:
                        need.setdefault(ctopo, {})[ckey] = None
        for keys in need.values():
            keys = list(keys)
            for lo in range(0, len(keys), PREPARE_BATCH):
                self._batch(keys[lo:lo + PREPARE_BATCH])
        for key, ckey in alias.items():
            self._memo[key] = self._memo[ckey]

    def _batch(self, keys) -> None:
        built = [self._factors(k) for k in keys]
        if len(keys) == 1 or any(den != 1 for _, den in built):
            for k in keys:
                self._memo[k] = self._component(k)
            return
        z = max(v for sc, _ in built[0][0] for v in sc) + 1  # the batch variable
        factors = [((z,), np.ones(len(keys), dtype=object))]
        for j, (scope, arr) in enumerate(built[0][0]):
            arrays = [fs[j][1] for fs, _ in built]
            if all(a is arr for a in arrays):
                factors.append((scope, arr))
            else:
                factors.append(((z,) + scope, np.stack(arrays)))
        for k, v in zip(keys, contract_int(factors, keep=z)):
            self._memo[k] = v

    def _keys(self, structure, part, ties, block_of, tie_of):
        """The memo keys of the components of F(π, ρ) on ``structure``: objects joined by edges or by a shared
        block (or tie), each as (slot count, block[, tie]) per object, edges, sizes of its blocks; with
        :attr:`by_quotient`, the quotient's components as ``("q", slot counts per block, edges)`` in a
        canonical block order."""
        if self.by_quotient:
            yield from self._quotient_keys(structure, part, block_of)
            return
        links = list(structure.edges) + [(v, blk[0]) for blk in list(part) + ties for v in blk[1:]]
        for verts in components(structure.n, links):
            pos = {v: i for i, v in enumerate(verts)}
            blocks = sorted({block_of[v] for v in verts})
            bpos = {b: i for i, b in enumerate(blocks)}
            tpos = {t: i for i, t in enumerate(sorted({tie_of[v] for v in verts if v in tie_of}))}
            yield (tuple((structure.attributes[v], bpos[block_of[v]]) + ((tpos[tie_of[v]],) if v in tie_of else ())
                         for v in verts),
                   tuple(sorted((pos[u], pos[v]) for u, v in structure.edges if u in pos)),
                   tuple(len(part[b]) for b in blocks))

    def _quotient_keys(self, structure, part, block_of):
        qedges = [(block_of[u], block_of[v]) for u, v in structure.edges]
        for blocks in components(len(part), [e for e in qedges if e[0] != e[1]]):
            pos = {b: i for i, b in enumerate(blocks)}
            topo = (len(blocks), tuple(sorted((pos[u], pos[v]) for u, v in qedges if u in pos)))
            hit = self._canon.get(topo)
            if hit is None:
                hit = self._canon[topo] = _canonical_quotient(topo)
            ctopo, order = hit
            yield ("q", tuple(tuple(sorted(structure.attributes[v] for v in part[blocks[old]])) for old in order),
                   ctopo[1])

    def _shared(self, structure, part, rho=None):
        """F(π, ρ): weight of labellings where each block of π shares one concept (and each block of ρ,
        coarser than π, one category)."""
        block_of = {}
        for b, blk in enumerate(part):
            for v in blk:
                block_of[v] = b
        # category ties only where a block of ρ holds two or more blocks of π (a shared concept already
        # means a shared category)
        ties = [blk for blk in (rho or ()) if len({block_of[v] for v in blk}) > 1]
        tie_of = {v: t for t, blk in enumerate(ties) for v in blk}
        value = None
        for key in self._keys(structure, part, ties, block_of, tie_of):
            hit = self._memo.get(key)
            if hit is None:
                hit = self._memo[key] = self._component(key)
            if value is None:
                value = hit
            elif self.counters is None:
                value *= hit
            else:
                value = self.counters._conv(value, hit)
        return value

    # A component's factor graph, with each object's value split into (class, rest): the objects of a
    # block of π share one class variable (that is what sharing a concept asks of the labels; the block's
    # class size counts once), and the blocks of π inside one tied block of ρ are chained by "same
    # category" factors over their classes.  Ties are then factors over classes, never over values.
    def _split_unary(self, a: int, with_class: bool):
        key = ("u", a, with_class)
        hit = self._split.get(key)
        if hit is None:
            cm = self.counters
            if cm is None:
                w, d = int_scaled(self.model.vertex_weights(a, 1, with_class=with_class))
            else:
                w, d = cm.unary(a, 1, with_class=with_class)
            hit = self._split[key] = (_take(w, self.value_at, 1), d)
        return hit

    def _split_pairwise(self, same_class: bool, same_category: bool = False):
        key = ("e", same_class, same_category)
        hit = self._split.get(key)
        if hit is None:
            cm = self.counters
            F, d = int_scaled(self.model.edge_factor(1)) if cm is None else cm.pairwise(1)
            S = _take(F, self.value_at, 2)  # (class, rest, class, rest[, D])
            if same_class:  # both ends in one block: one class variable, the diagonal over classes
                K = S.shape[0]
                S = np.stack([S[c, :, c] for c in range(K)])
            elif same_category:  # both ends' classes in one category
                K = S.shape[0]
                tie = self.same_category.reshape((K, 1, K, 1) + (1,) * (S.ndim - 4))
                S = S * tie
            hit = self._split[key] = (np.ascontiguousarray(S), d)
        return hit

    def _quotient_factors(self, key):
        """Node factors |class| × Π attribute ways (× the loop's diagonal), one edge factor per edge."""
        _, nodes, edges = key
        factors = []
        den = 1
        for b, slots in enumerate(nodes):
            w = self.sizes
            for a in slots:
                u, d = self._class_unary(a)
                w, den = w * u, den * d
            for u, v in edges:
                if u == v == b:
                    f, d = self._class_edge(True)
                    w, den = w * f, den * d
            factors.append(((b,), w))
        for u, v in edges:
            if u != v:
                f, d = self._class_edge(False)
                den *= d
                factors.append(((u, v), f))
        return factors, den

    def _class_unary(self, a: int):
        """An object's attribute ways (× soft weights, scaled) with ``a`` slots per class (one value per class;
        0 for a class without), and the scale."""
        key = ("cu", a)
        hit = self._split.get(key)
        if hit is None:
            w, d = self._split_unary(a, False)
            hit = self._split[key] = (np.ascontiguousarray(w.reshape(-1)), d)
        return hit

    def _class_edge(self, loop: bool):
        key = ("ce", loop)
        hit = self._split.get(key)
        if hit is None:
            F, d = self._split_pairwise(loop)
            K = self.K
            hit = self._split[key] = (np.ascontiguousarray(F.reshape(K) if loop else F.reshape(K, K)), d)
        return hit

    def _component(self, key):
        factors, den = self._factors(key)
        cm = self.counters
        z = contract_int(factors) if cm is None else cm.contract(factors)
        if den != 1:
            return Fraction(z, den) if cm is None else np.array([Fraction(x, den) for x in z], dtype=object)
        return z

    def _factors(self, key):
        if key[0] == "q":
            return self._quotient_factors(key)
        verts, edges, block_sizes = key
        nb = len(block_sizes)
        cm = self.counters
        lift = (lambda x: x) if cm is None else cm.lift
        cvar = [b for _, b, *_ in verts]  # class variable of each object: its block's
        factors = []
        den = 1
        for i, (a, b, *_) in enumerate(verts):
            w, d = self._split_unary(a, block_sizes[b] == 1)
            den *= d
            factors.append(((cvar[i], nb + i), w))
        # A tied block of ρ: its blocks' classes in one category, as "same category" ties along a spanning
        # tree of the blocks, taken where possible along edges between them (the tie is then multiplied into
        # the edge's factor, and no triangle of class variables appears).
        parent = list(range(nb))

        def find(x):
            while parent[x] != x:
                x = parent[x]
            return x

        tie_of = {v[1]: v[2] for v in verts if len(v) > 2}
        tied_edges = set()
        for i, j in edges:
            bi, bj = cvar[i], cvar[j]
            if bi != bj and bi in tie_of and tie_of[bi] == tie_of.get(bj) and find(bi) != find(bj):
                parent[find(bi)] = find(bj)
                tied_edges.add((i, j))
        for i, j in edges:
            same = cvar[i] == cvar[j]
            F, d = self._split_pairwise(same, (i, j) in tied_edges)
            den *= d
            scope = (cvar[i], nb + i, nb + j) if same else (cvar[i], nb + i, cvar[j], nb + j)
            factors.append((scope, F))
        for b, size in enumerate(block_sizes):
            if size > 1:
                factors.append(((b,), lift(self.sizes)))
        for t in sorted(set(tie_of.values())):
            blocks = sorted(b for b, tt in tie_of.items() if tt == t)
            for b1, b2 in zip(blocks, blocks[1:]):
                if find(b1) != find(b2):
                    parent[find(b1)] = find(b2)
                    factors.append(((b1, b2), lift(self.same_category)))
        return factors, den


#: components up to this many objects are put in a canonical vertex order (every order is tried)
CANONICAL_UP_TO = 6


def _canonical_topology(topo):
    """``(canonical topology, order)``: a component's topology (block of each object, edges, block sizes)
    relabelled by the vertex ``order`` (new position ``i`` holds old object ``order[i]``; blocks renumbered by
    first appearance) that gives the smallest such tuple; components with isomorphic topologies meet there.

    >>> _canonical_topology(((0, 1, 1), ((0, 1),), (1, 2)))
    (((0, 0, 1), ((2, 0),), (2, 1)), (1, 2, 0))
    """
    blocks, edges, sizes = topo
    n = len(blocks)
    if n > CANONICAL_UP_TO:
        return topo, tuple(range(n))
    best = None
    for order in itertools.permutations(range(n)):
        new_pos = {old: i for i, old in enumerate(order)}
        bmap: dict = {}
        bs = tuple(bmap.setdefault(blocks[old], len(bmap)) for old in order)
        new_sizes = [0] * len(bmap)
        for b, nb in bmap.items():
            new_sizes[nb] = sizes[b]
        cand = (bs, tuple(sorted((new_pos[u], new_pos[v]) for u, v in edges)), tuple(new_sizes))
        if best is None or cand < best[0]:
            best = (cand, order)
    return best


def _canonical_quotient(topo):
    """``(canonical topology, order)`` of a quotient component: ``topo = (blocks, edges)`` (loops included),
    relabelled by the block ``order`` (new position ``i`` holds old block ``order[i]``) giving the smallest
    edge list.

    >>> _canonical_quotient((2, ((0, 1), (1, 1))))
    ((2, ((0, 0), (1, 0))), (1, 0))
    """
    n, edges = topo
    if n > CANONICAL_UP_TO:
        return topo, tuple(range(n))
    best = None
    for order in itertools.permutations(range(n)):
        new_pos = {old: i for i, old in enumerate(order)}
        cand = tuple(sorted((new_pos[u], new_pos[v]) for u, v in edges))
        if best is None or cand < best[0]:
            best = (cand, order)
    return (n, best[0]), best[1]


def _take(arr: np.ndarray, value_at: np.ndarray, axes: int) -> np.ndarray:
    """``arr`` with each of its first ``axes`` value axes split into (class, rest) (0 where a class has
    fewer values)."""
    K, R = value_at.shape
    idx = np.where(value_at >= 0, value_at, 0)
    mask = value_at >= 0
    out = arr
    for ax in range(axes):
        pos = 2 * ax
        out = np.take(out, idx.reshape(-1), axis=pos)
        out = out.reshape(out.shape[:pos] + (K, R) + out.shape[pos + 1:])
        m = mask.reshape((1,) * pos + (K, R) + (1,) * (out.ndim - pos - 2))
        out = np.where(m, out, 0).astype(object)
    return out
