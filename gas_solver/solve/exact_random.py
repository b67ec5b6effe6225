"""Exact categorical draws with arbitrary-precision integer weights, vectorised with numpy.

``P(i) = w_i / Σw`` exactly, even when the weights have hundreds of bits
(scene counts do): a uniform integer ``r`` in ``[0, Σw)`` is located among the
cumulative sums.  Only the top 62 bits of ``r`` are drawn in numpy (``hi``);
when they do not decide the index (``hi`` equals the top bits of a cumulative
sum, probability about ``n / 2**62``) the low bits are drawn as well, in Python,
so no draw is ever rounded.

Examples
--------
>>> import numpy as np
>>> cat = IntCategorical([1, 0, 3])
>>> sorted(set(cat.draw(np.random.default_rng(0), 1000).tolist()))
[0, 2]
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

__all__ = ["IntCategorical", "randbelow", "pick", "scaled_ints"]

_BITS = 62


def randbelow(rng: np.random.Generator, n: int) -> int:
    """A uniform Python integer in ``[0, n)`` for any ``n >= 1`` (rejection on random bytes)."""
    if n <= (1 << _BITS):
        return int(rng.integers(0, n))
    nbits = (n - 1).bit_length()
    nbytes = (nbits + 7) // 8
    mask = (1 << nbits) - 1
    while True:
        r = int.from_bytes(rng.bytes(nbytes), "little") & mask
        if r < n:
            return r


def pick(cat: "IntCategorical", rnd) -> int:
    """One exact draw with Python's ``random.Random``: the index whose cumulative range holds
    ``rnd.randrange(total)`` (exactly uniform for any total).

    >>> import random
    >>> pick(IntCategorical([0, 5]), random.Random(1))
    1
    """
    if cat.n == 1:
        return 0
    return bisect.bisect_right(cat.cum, rnd.randrange(cat.total))


class IntCategorical:
    """A categorical distribution over ``range(len(weights))`` with non-negative integer weights.

    Parameters
    ----------
    weights : iterable of int
        At least one must be positive.
    """

    __slots__ = ("cum", "total", "shift", "cq", "n", "cq_before")

    def __init__(self, weights):
        ws = [int(w) for w in weights]
        if ws and min(ws) < 0:
            raise ValueError("negative weight")
        cum = list(itertools.accumulate(ws))
        if not cum or cum[-1] <= 0:
            raise ValueError("IntCategorical needs a positive total weight")
        self.cum = cum
        self.total = cum[-1]
        self.n = len(cum)
        shift = self.shift = max(0, self.total.bit_length() - _BITS)
        self.cq = np.array(cum if shift == 0 else [c >> shift for c in cum], dtype=np.int64)
        # cq_before[i] = cq[i - 1], and -1 (no top bits are negative) before the first: the cumulative
        # sum just below index i of ``searchsorted(cq, hi, side="right")``
        cq_before = self.cq_before = np.empty(self.n + 1, dtype=np.int64)
        cq_before[0] = -1
        cq_before[1:] = self.cq

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """``size`` independent exact draws (an ``int64`` array of indices)."""
        if self.n == 1:
            return np.zeros(size, dtype=np.int64)
        if self.shift == 0:
            r = rng.integers(0, self.total, size)
            # (the array's own method: np.searchsorted's dispatch costs as much as the search on small tables)
            return self.cq.searchsorted(r, side="right").astype(np.int64, copy=False)
        hi = rng.integers(0, int(self.cq[-1]) + 1, size)
        out = self.cq.searchsorted(hi, side="right").astype(np.int64, copy=False)
        # ``hi`` equal to a cumulative sum's top bits: the low bits decide (and ``r < total`` must hold).
        # ``hi`` is one of ``cq`` iff it equals the largest one not above it, cq[out - 1]
        # (what ``np.isin(hi, cq)`` says, without its sort)
        amb = np.flatnonzero(self.cq_before[out] == hi)
        for i in amb.tolist():
            out[i] = self._resolve(rng, int(hi[i]))
        return out

    def _resolve(self, rng, hi: int) -> int:
        r = (hi << self.shift) | randbelow(rng, 1 << self.shift)
        if r >= self.total:  # outside [0, total): draw afresh (exactly uniform by rejection)
            r = randbelow(rng, self.total)
        return bisect.bisect_right(self.cum, r)

    def probabilities(self) -> list:
        """Exact probabilities as fractions (for tests)."""
        from fractions import Fraction

        prev = 0
        out = []
        for c in self.cum:
            out.append(Fraction(c - prev, self.total))
            prev = c
        return out


class RowCategorical:
    """One exact categorical distribution per row of a weight table; :meth:`draw` picks by row, vectorised.

    ``weights[u]`` is row ``u`` (non-negative integers; a row may be all zero
    if it is never asked for).  Each row keeps its own top-62-bit shift, as in
    :class:`IntCategorical`.
    """

    __slots__ = ("rows", "cq", "high", "shift", "flat", "base", "width")

    def __init__(self, weights):
        if isinstance(weights, np.ndarray) and weights.dtype == np.int64 and weights.ndim == 2 and weights.size:
            if weights.min() >= 0 and int(weights.max()) < (1 << 62) // weights.size:
                # every row and the sum of all below 2**62: the shift-0 tables below, straight from the array
                self._exact_rows(weights)
                return
            weights = weights.tolist()
        ws = [[int(x) for x in w] for w in weights]
        width = max(len(w) for w in ws)
        totals = [sum(w) for w in ws]
        self.width = width
        if sum(totals) < 1 << 62 and min([min(w) for w in ws if w], default=0) >= 0:
            # Every row exact in int64 (shift 0): the tables the per-row IntCategoricals would give
            # (cumulative sums padded with the total; a zero row is zeros with bound 1), built by
            # one cumsum.  ``rows`` is only read to resolve low bits, which no shift-0 row needs.
            self.rows = None
            self.cq = np.cumsum(np.array([w + [0] * (width - len(w)) for w in ws], dtype=np.int64), axis=1)
            self.high = np.array([t if t > 0 else 1 for t in totals], dtype=np.int64)
            self.shift = np.zeros(len(ws), dtype=np.int64)
            self.base = np.array([0] + list(itertools.accumulate(totals))[:-1], dtype=np.int64)
            self.flat = (self.cq + self.base[:, None]).reshape(-1)
            return
        self.rows = []
        cq, high, shift = [], [], []
        for w in weights:
            if sum(w) > 0:
                cat = IntCategorical(list(w) + [0] * (width - len(w)))
                self.rows.append(cat)
                cq.append(cat.cq)
                high.append(cat.total if cat.shift == 0 else int(cat.cq[-1]) + 1)
                shift.append(cat.shift)
            else:
                self.rows.append(None)
                cq.append(np.zeros(width, dtype=np.int64))
                high.append(1)
                shift.append(0)
        self.cq = np.stack(cq)
        self.high = np.array(high, dtype=np.int64)
        self.shift = np.array(shift, dtype=np.int64)
        # Rows whose top bits are exact (shift 0), their totals summing below 2**62: one sorted table
        # of every row's cumulative sums, row u shifted up by the totals of the rows before it, so
        # that one searchsorted of ``hi + base[u]`` counts row u's sums <= hi plus u * width.
        self.flat = self.base = None
        if not any(shift):
            totals = [0 if cat is None else cat.total for cat in self.rows]
            if sum(totals) < 1 << 62:
                base = np.array([0] + list(itertools.accumulate(totals))[:-1], dtype=np.int64)
                self.base = base
                self.flat = (self.cq + base[:, None]).reshape(-1)

    def _exact_rows(self, w: np.ndarray) -> None:
        """The shift-0 tables of an int64 weight array whose entries sum below 2**62 (as the lists give them)."""
        totals = w.sum(axis=1)
        self.width = w.shape[1]
        self.rows = None
        self.cq = np.cumsum(w, axis=1)
        self.high = np.where(totals > 0, totals, 1)
        self.shift = np.zeros(len(w), dtype=np.int64)
        self.base = np.concatenate([[0], np.cumsum(totals)[:-1]]).astype(np.int64)
        self.flat = (self.cq + self.base[:, None]).reshape(-1)

    def draw(self, rng: np.random.Generator, rows: np.ndarray) -> np.ndarray:
        """One draw from row ``rows[i]`` for every ``i`` (an ``int64`` array of column indices)."""
        hi = rng.integers(0, self.high[rows])
        if self.flat is not None:  # the same counts as below, without a (len(rows), width) table
            return self.flat.searchsorted(hi + self.base[rows], side="right") - rows * self.width
        table = self.cq[rows]
        out = (table <= hi[:, None]).sum(axis=1).astype(np.int64)
        amb = np.flatnonzero((self.shift[rows] > 0) & (table == hi[:, None]).any(axis=1))
        for i in amb.tolist():
            out[i] = self.rows[int(rows[i])]._resolve(rng, int(hi[i]))
        return out


def scaled_ints(values: Sequence) -> list[int]:
    """Integers proportional to non-negative rationals (exactly).

    >>> scaled_ints([Fraction(1, 2), Fraction(1, 3)])
    [3, 2]
    """
    fr = [Fraction(v) for v in values]
    d = math.lcm(*[f.denominator for f in fr]) if fr else 1
    return [int(f * d) for f in fr]
