"""The one group-by of the batched draws.

A batch draws per group of equal requests (same structure, automorphism, vertex
label, label pair): the groups come in ascending key order and each group's
positions ascending, so the random stream a batch consumes is fixed by its
requests alone.

>>> import numpy as np
>>> g = group_by(np.array([2, 0, 2, 1]), np.array([5, 5, 4, 5]))
>>> [(key, pos.tolist()) for key, pos in g.items()]
[((0, 5), [1]), ((1, 5), [3]), ((2, 4), [2]), ((2, 5), [0])]
"""

from __future__ import annotations

import math
from typing import Iterator, NamedTuple

import numpy as np

__all__ = ["Groups", "group_by"]


class Groups(NamedTuple):
    """Requests grouped by key: group ``g`` has key ``keys[g]`` and positions ``order[cuts[g]:cuts[g + 1]]``."""

    keys: list
    order: np.ndarray
    cuts: list

    def positions(self, g: int) -> np.ndarray:
        return self.order[self.cuts[g]:self.cuts[g + 1]]

    def sizes(self) -> np.ndarray:
        return np.diff(self.cuts)

    def items(self) -> Iterator[tuple]:
        """``(key, positions)`` per group, in key order."""
        order, cuts = self.order, self.cuts
        return ((k, order[cuts[g]:cuts[g + 1]]) for g, k in enumerate(self.keys))


def group_by(*columns: np.ndarray) -> Groups:
    """Group the positions of equal rows of non-negative integer ``columns`` (one stable sort).

    One column gives ``int`` keys, several give tuples, in lexicographic order.  Several
    columns are sorted as one mixed-radix integer when it fits 62 bits (the radices are the
    columns' own ranges), else lexicographically: the same order either way.
    """
    first = columns[0]
    n = len(first)
    if n == 0:
        return Groups([], np.empty(0, dtype=np.int64), [0])
    if len(columns) == 1:
        code = first
    else:
        radices = [int(c.max()) + 1 for c in columns[1:]]
        if (int(first.max()) + 1) * math.prod(radices) < 1 << 62:
            code = first
            for c, r in zip(columns[1:], radices):
                code = code * r + c
        else:
            code = None
    if code is not None:
        # (array methods, not np.argsort / np.flatnonzero: their dispatch costs more than the work on
        # the small groups of a batch, and a batch groups thousands of times)
        order = code.argsort(kind="stable")
        ordered = code[order]
        cuts = [0] + ((ordered[1:] != ordered[:-1]).nonzero()[0] + 1).tolist() + [n]
    else:
        order = np.lexsort(columns[::-1])
        stacked = np.stack([c[order] for c in columns], axis=1)
        cuts = [0] + (np.flatnonzero((stacked[1:] != stacked[:-1]).any(axis=1)) + 1).tolist() + [n]
    starts = order[cuts[:-1]]
    if len(columns) == 1:
        keys = first[starts].tolist()
    else:
        keys = list(zip(*[c[starts].tolist() for c in columns]))
    return Groups(keys, order, cuts)
