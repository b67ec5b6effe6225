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
"""

from __future__ import annotations

from fractions import Fraction
from math import factorial

import numpy as np

from .burnside import contract, int_scaled
from .labels import LabelModel
from .work import check_partitions

__all__ = ["DistinctCounter", "set_partitions"]


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


class DistinctCounter:
    """Counts (or weighs) labellings with distinct concepts on structures, for one label model."""

    def __init__(self, model: LabelModel, counters=None):
        self.model = model
        #: a :class:`~gas_solver.solve.counters.CounterModel` for the file's other global constraints, if any
        self.counters = counters
        K = len(model.domain.classes)
        self.K = K
        # the class of each value of the variables: labels, or the counter model's groups of labels
        cls_of = [lb.cls for lb in model.labels] if counters is None else counters.value_class
        tie = np.zeros((K, len(cls_of)), dtype=object)
        for i, c in enumerate(cls_of):
            tie[c, i] = 1
        self.tie = tie
        self.sizes = np.array([k.size for k in model.domain.classes], dtype=object)
        self._memo: dict = {}

    def injective(self, structure):
        """Σ over labellings of ``structure`` with pairwise distinct concepts of their weight (exact)."""
        check_partitions(structure.n)
        total = 0
        for part in set_partitions(list(range(structure.n))):
            f = self._shared(structure, part)
            total += _moebius(part) * (f if self.counters is None else self.counters.accepted(f))
        return total

    def orbit_sum(self, structure):
        return Fraction(self.injective(structure), structure.group_order)

    def _shared(self, structure, part):
        """F(π): weight of labellings where each block's objects share one concept."""
        block_of = {}
        for b, blk in enumerate(part):
            for v in blk:
                block_of[v] = b
        # connected components of objects joined by edges or by a shared block
        parent = list(range(structure.n))

        def find(x):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for u, v in structure.edges:
            parent[find(u)] = find(v)
        for blk in part:
            for v in blk[1:]:
                parent[find(v)] = find(blk[0])
        comps: dict[int, list[int]] = {}
        for v in range(structure.n):
            comps.setdefault(find(v), []).append(v)
        value = None
        for verts in comps.values():
            pos = {v: i for i, v in enumerate(verts)}
            blocks = sorted({block_of[v] for v in verts})
            bpos = {b: i for i, b in enumerate(blocks)}
            key = (tuple((structure.attributes[v], bpos[block_of[v]]) for v in verts),
                   tuple(sorted((pos[u], pos[v]) for u, v in structure.edges if u in pos)),
                   tuple(len(part[b]) for b in blocks))
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

    def _component(self, key):
        verts, edges, block_sizes = key
        n = len(verts)
        cm = self.counters
        factors = []
        den = 1
        for i, (a, b) in enumerate(verts):
            if cm is None:
                w, d = int_scaled(self.model.vertex_weights(a, 1, with_class=block_sizes[b] == 1))
            else:
                w, d = cm.unary(a, 1, with_class=block_sizes[b] == 1)
            den *= d
            factors.append(((i,), w))
        if edges:
            F, d = int_scaled(self.model.edge_factor(1)) if cm is None else cm.pairwise(1)
            for i, j in edges:
                den *= d
                factors.append(((i, j), F))
        for b, size in enumerate(block_sizes):
            if size > 1:
                c = n + b  # the block's class variable
                factors.append(((c,), self.sizes if cm is None else cm.lift(self.sizes)))
                for i, (_, bb) in enumerate(verts):
                    if bb == b:
                        factors.append(((c, i), self.tie if cm is None else cm.lift(self.tie)))
        z = _contract(factors) if cm is None else cm.contract(factors)
        if den != 1:
            return Fraction(z, den) if cm is None else np.array([Fraction(x, den) for x in z], dtype=object)
        return z


def _contract(factors) -> int:
    """Sum over all variables of the product of the factors (variable elimination, min-degree order)."""
    return contract(factors)[0]
