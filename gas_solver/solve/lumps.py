"""The sampler's elimination over lumps of labels that every edge factor treats alike.

Vertex labels that differ only in what no edge factor sees (the default file's universal setting part: 265
labels, mostly told apart by their attribute domains, in 96 lumps) have equal rows and equal columns in every edge factor
(:meth:`~gas_solver.solve.labels.LabelModel.edge_lumps`).  A quotient component's partition function is then
the same over the lumps, each lump weighted by the sum of its labels' unary weights, and every elimination
step costs ``lumps^(width+1)`` products instead of ``labels^(width+1)``.

The sampler draws labels, not lumps.  A variable's weight given its neighbours is its own unary weight times
the product of the other factors it gathered (edge factors and the messages of variables eliminated before
it), and those factors see only its lump: ``w(label) = unary(label) · g(lump(label))``.  :class:`StepFactors`
keeps a step's factors that way and gives the same integers per label as the factors over labels would, so
every draw reads the same tables as before and the output bytes do not change
(``tests/solve/test_lumped_sampling.py``).

Only files without soft weights are lumped: with them the unary weights are fractions scaled to integers, and
summing them first would scale the tables by another integer (the same law, other draws).

>>> import numpy as np
>>> lumps = Lumping(np.array([0, 1, 0]), np.array([0, 1]))
>>> F = np.array([[1, 2, 1], [0, 1, 0], [1, 2, 1]], dtype=object)
>>> comp = eliminate_lumped((((0, 1), (0, 1)), ((0, 1, 1),)), lambda a, L: (np.array([1, 2, 3], dtype=object), 1),
...                        lambda L: (F, 1), lumps)
>>> int(comp.z) == sum(int(u) * int(F[x, y]) * int(w) for x, u in enumerate([1, 2, 3]) for y, w in enumerate([1, 2, 3]))
True
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .burnside import Component, contract
from .modular import Memo, contract_int

__all__ = ["Lumping", "lumping", "StepFactors", "eliminate_lumped", "lumpable", "lumped_value"]

_INT64_SAFE = 1 << 62


class Lumping(NamedTuple):
    """``of[label]``: its lump; ``lead[lump]``: its first label (whose edge factor rows stand for the lump's)."""

    of: np.ndarray
    lead: np.ndarray


def lumping(model) -> Lumping | None:
    """The lumps of ``model``'s labels, or None where lumping does not apply (soft weights) or merges nothing."""
    if model.soft_nodes or model.soft_edges:
        return None
    groups = model.edge_lumps()
    if len(groups) == model.M:
        return None
    of = np.empty(model.M, dtype=np.int64)
    for g, members in enumerate(groups):
        of[members] = g
    return Lumping(of, np.array([members[0] for members in groups], dtype=np.int64))


def lumpable(key) -> bool:
    """Whether a component key can be eliminated over lumps: no edge restricted by a marked match (a restricted
    edge factor may tell a lump's labels apart; restricted vertices only change unary weights)."""
    return all(len(e) == 3 for e in key[1])


class StepFactors(NamedTuple):
    """The factors one elimination step gathered: the variable's own unary weight per label, and the others over
    lumps (``(scope, array)``, every axis a lump).  :meth:`weights` and :meth:`rows` give the integers the same
    factors over labels give."""

    unary: np.ndarray
    lumped: tuple
    of: np.ndarray

    def weights(self, v: int, at: dict) -> list:
        """The weight of each label of variable ``v`` given its neighbours' labels ``at`` (Python integers)."""
        of = self.of
        g = None
        for scope, f in self.lumped:
            col = f[tuple(slice(None) if u == v else of[at[u]] for u in scope)]
            g = col if g is None else g * col
        return (self.unary if g is None else self.unary * g[of]).tolist()

    def rows(self, v: int, u: int):
        """``weights(v, {u: x})`` for one label ``x`` of each lump of ``u`` (rows by lump: labels of one lump
        have equal rows); an int64 array where the integers fit, else lists of Python integers."""
        of = self.of
        g = None
        for scope, f in self.lumped:
            col = f[None, :] if scope == (v,) else f if scope == (u, v) else f.T
            g = col if g is None else g * col
        n = int(of.max()) + 1
        if g is None:
            g = np.ones((n, n), dtype=object)
        elif g.shape[0] == 1:  # only unary messages: every row alike
            g = np.broadcast_to(g, (n, g.shape[1]))
        unary = self.unary
        gmax = int(np.abs(g).max()) if g.size else 0
        umax = int(np.abs(unary).max()) if unary.size else 0
        if gmax < _INT64_SAFE and umax < _INT64_SAFE and gmax * umax < _INT64_SAFE:
            return g.astype(np.int64)[:, of] * unary.astype(np.int64)[None, :]
        w = g[:, of] * unary[None, :]
        try:
            return np.asarray(w, dtype=np.int64)
        except OverflowError:  # an entry beyond int64
            return w.tolist()


def eliminate_lumped(key, unary, pairwise, lumps: Lumping) -> Component:
    """:func:`~gas_solver.solve.burnside.eliminate` over lumps: the same partition function; each step's factors
    a :class:`StepFactors` (its variable's unary per label, the rest per lump).

    ``unary(slots, length[, r])`` and ``pairwise(length)`` give integer factors over labels (denominator 1).
    """
    of, lead = lumps
    n = len(lead)
    verts, edges = key
    own: dict = {}  # id of a variable's lumped unary factor -> its unary per label
    factors = []
    for i, (a, L, *r) in enumerate(verts):
        w, d = unary(a, L, *r)
        if d != 1:
            raise ValueError("lumped elimination needs integer weights")
        summed = np.zeros(n, dtype=object)
        np.add.at(summed, of, w)
        f = ((i,), summed)
        own[id(f)] = w
        factors.append(f)
    for i, j, L in edges:
        F, d = pairwise(L)
        if d != 1:
            raise ValueError("lumped elimination needs integer weights")
        F = F[np.ix_(lead, lead)]
        factors.append(((i,), np.diagonal(F).copy()) if i == j else ((i, j), F))
    z, steps = contract(factors)
    out = []
    for v, nbrs, gathered in steps:
        mine = [own[id(f)] for f in gathered if id(f) in own]
        # (contract keeps messages in int64 where their bound allows; the draws multiply them as Python integers)
        others = tuple(f if f[1].dtype == object else (f[0], f[1].astype(object))
                       for f in gathered if id(f) not in own)
        out.append((v, nbrs, StepFactors(mine[0], others, of)))
    return Component(key, int(z), 1, out)


def lumped_value(key, unary, pairwise, lumps: Lumping, cache: dict, memo: Memo | None = None) -> int | None:
    """A component's partition function over lumps (the value of :func:`eliminate_lumped` without its tables),
    by the multi-modular elimination; ``None`` where a weight is not an integer.  ``cache`` keeps the lumped
    factors (so that ``memo``, shared between components, knows them again).

    >>> import numpy as np
    >>> lumps = Lumping(np.array([0, 1, 0]), np.array([0, 1]))
    >>> F = np.array([[1, 2, 1], [0, 1, 0], [1, 2, 1]], dtype=object)
    >>> lumped_value((((0, 1), (0, 1)), ((0, 1, 1),)), lambda a, L: (np.array([1, 2, 3], dtype=object), 1),
    ...              lambda L: (F, 1), lumps, {})
    36
    """
    of, lead = lumps
    factors = []
    for i, (a, L, *r) in enumerate(key[0]):
        hit = cache.get(("u", a, L, *r))
        if hit is None:
            w, d = unary(a, L, *r)
            summed = np.zeros(len(lead), dtype=object)
            np.add.at(summed, of, w)
            hit = cache[("u", a, L, *r)] = summed if d == 1 else None
        if hit is None:
            return None
        factors.append(((i,), hit))
    for i, j, L in key[1]:
        hit = cache.get(("f", L, i == j))
        if hit is None:
            F, d = pairwise(L)
            F = np.ascontiguousarray(F[np.ix_(lead, lead)])
            hit = cache[("f", L, i == j)] = (np.diagonal(F).copy() if i == j else F) if d == 1 else None
        if hit is None:
            return None
        factors.append(((i,), hit) if i == j else ((i, j), hit))
    return contract_int(factors, memo=memo)
