"""Exact sums of products of non-negative integer factors, in machine integers (multi-modular).

The counter's partition functions are sums over labels of products of integer
factors; the results run to 40+ digits, so the reference elimination
(:func:`.burnside.contract`) works on numpy object arrays of Python integers,
where one elimination step on a triangle of 39-label factors costs ~15 ms.
Here the same elimination runs in float64 numpy arithmetic on residues modulo
several primes below 2^23, kept as integers of absolute value <= p/2 (a product of
two fits in 44 bits, a matrix product sums 2^7 of them exactly in one BLAS call,
and a reduction is a multiply, a rounding and a subtraction; no integer division),
and the exact integer comes back by the Chinese remainder theorem.  How many primes: with
non-negative factors the value is at most the product, over variables, of the
sum of one unary factor times the largest entry of every other factor; the
primes' product must exceed that bound.  Exact by construction: the integer
below the modulus with those residues is unique, and the value is below the
modulus.  Factors must be non-negative.

Large contractions first run a float pass (:func:`_float_pass`: the value in
float64 with a proved interval around it) and then a wrap pass (:class:`_WrapRows`:
the value modulo 2^64 in uint64 arithmetic, which wraps by itself, so no
reductions; matrix products as exact float64 products of digits): the value is the
one integer in the interval with that residue modulo 2^64 and those modulo the
primes the interval still needs (on the six-object cores of [1, 16], values near
2^140 known to within ~2^100: 2^64 and two primes where five primes were computed).

>>> import numpy as np
>>> f = np.array([[10**12, 3], [5, 7]], dtype=object)
>>> contract_int([((0, 1), f), ((1,), np.array([2, 10**9], dtype=object))])
2010000000010
"""

from __future__ import annotations

import bisect
import collections
import contextlib
import itertools
import math

import numpy as np
from threadpoolctl import ThreadpoolController

#: the row under which a :class:`Memo` keeps the float pass's messages (float64; :func:`_float_pass`)
_FLOAT_ROW = -1
#: ... and the messages modulo 2^64 (uint64; :class:`_WrapRows`)
_WRAP_ROW = -2

__all__ = ["Memo", "contract_int", "contract_series", "contract_series_passes", "forget", "plan_steps", "plan_uses",
           "run_pass_major", "PRIMES"]


def _primes_below(limit: int, count: int) -> tuple[int, ...]:
    small = np.ones(math.isqrt(limit) + 1, dtype=bool)
    small[:2] = False
    for i in range(2, math.isqrt(len(small)) + 1):
        if small[i]:
            small[i * i::i] = False
    divisors = np.flatnonzero(small)
    out = []
    x = limit - 1
    while len(out) < count:
        if x % 2 and not np.any(x % divisors[divisors < x] == 0):
            out.append(x)
        x -= 1
    return tuple(out)


#: the moduli: the largest primes below 2^23 (80 of them: values up to ~2^1760); a product of two
#: residues is below 2^46, so a matrix product sums 2^7 of them exactly in float64 in one BLAS call
#: (primes below 2^27 needed two calls on 14-bit halves and their conversions: an M^4 step of 95 labels
#: took 5.6x as long)
PRIMES = _primes_below(1 << 23, 80)
#: inner-dimension block of the float64 matrix products (see :func:`_matmul`)
_MATMUL_BLOCK = 1 << 7

#: about the most float64 entries one elimination step may hold at once (per slice of the batch axis)
_CHUNK_ENTRIES = 1 << 22


def _expand(arr: np.ndarray, scope: tuple, union: tuple, lead: int) -> np.ndarray:
    """``arr`` (``lead`` leading axes, then one axis per ``scope`` variable) broadcast to ``union`` order."""
    pos = [union.index(u) for u in scope]
    order = sorted(range(len(scope)), key=lambda i: pos[i])
    a = arr.transpose(tuple(range(lead)) + tuple(lead + i for i in order))
    shape = list(arr.shape[:lead]) + [1] * len(union)
    for i in order:
        shape[lead + pos[i]] = arr.shape[lead + i]
    return a.reshape(shape)


def _elimination_order(scopes):
    """The min-degree order of :func:`_eliminate` on scopes alone: ``[(variable, union of its gathered
    scopes)]``."""
    scopes = [tuple(s) for s in scopes]
    remaining = {u for s in scopes for u in s}
    out = []
    while remaining:
        def degree(v):
            return len({u for s in scopes if v in s for u in s} - {v})
        v = min(remaining, key=lambda u: (degree(u), u))
        gathered = [s for s in scopes if v in s]
        scopes = [s for s in scopes if v not in s]
        union = tuple(sorted({u for s in gathered for u in s}))
        out.append((v, union))
        remaining.discard(v)
        nbrs = tuple(u for u in union if u != v)
        if nbrs:
            scopes.append(nbrs)
    return out


def _largest_step(factors) -> int:
    """Entries per leading entry of the largest tensor an elimination of ``factors`` builds (its widest
    union of scopes, times the series axis)."""
    dims = {u: d for s, a in factors for u, d in zip(s, a.shape[2:])}
    series = max((a.shape[1] for _, a in factors), default=1)
    return series * max((math.prod(dims[u] for u in union)
                         for _, union in _elimination_order([s for s, _ in factors])), default=1)


# Every array below has two leading axes: the rows (moduli x problems) and the series axis, of
# length 1 for a factor that does not depend on x and degree + 1 for a truncated power series in x
# (coefficients of x^0 .. x^degree, see :func:`contract_series`).  The elimination passes each array
# as a value ``(array, top, exact)`` (:class:`_Rows`): ``top`` bounds its entries' absolute values;
# an exact array holds the non-negative integers themselves in one row (the same for every modulus),
# any other one row per modulus of integers congruent to the values.  While a bound stays below 2^52
# a product or sum is taken as it is, in float64, exactly (every product and partial sum is an
# integer of at most the bound: no rounding happens, in any order of summation, as in
# :func:`.burnside._einsum`); an operand is reduced modulo each prime only where a bound would pass
# 2^52.  The widest step of a component, the first, usually stays exact: on a 4-clique of 113 labels
# with edge counts <= 170 and vertex weights <= 1481 its message is below 2^35, one matrix product
# instead of one per prime.

#: exact float64 integers: below 2^52 (the reducer's range), values need no modulus
_EXACT = float(1 << 52)
#: a matrix product of exact sides whose bound is below this is tried in float64 first (one product for
#: every prime, kept where its largest entry proves it exact; the bounds are often 2^4-2^6 too high)
_TRY_EXACT = float(1 << 60)


def _same(x):
    return x


def _tight(out: np.ndarray, bound: float) -> float:
    """The top of an exact (non-negative) array: its largest entry where the bound is not small already
    (one pass over it; later products stay exact the longer)."""
    return float(out.max(initial=0.0)) if bound > 1 << 32 else bound


#: about the most entries (rows x coefficients x entries) of one block of a series product (:func:`_series_product`;
#: 2 MB: a block's coefficients stay in the CPU cache while they are summed)
_SERIES_BLOCK = 1 << 18


def _series_product(a: np.ndarray, b: np.ndarray, n: int, dtype) -> np.ndarray | None:
    """The coefficients ``x^0 .. x^(n-1)`` of ``a * b`` (both series, broadcast; products and sums in ``dtype`` as
    numpy takes them), in blocks of the first entry axis: numpy took a pass over the whole result per coefficient
    of ``a`` (with a temporary as large), here each block's ``n`` coefficients are summed while they are in the
    cache (2-3x faster on ``labels^3`` series of 4-12 coefficients).  ``None`` where the arrays have no entry axis
    to cut (or differ in their number of axes) or the result fits in one block."""
    if a.ndim != b.ndim or a.ndim < 3:
        return None
    shape = tuple(max(x, y) for x, y in zip(a.shape[:1] + a.shape[2:], b.shape[:1] + b.shape[2:]))
    rows, d, rest = shape[0], shape[1], math.prod(shape[2:])
    if rows * n * d * rest <= _SERIES_BLOCK:
        return None  # (one block: the plain loop below costs less Python)
    block = max(1, _SERIES_BLOCK // (rows * n * rest))
    # (a small side, one broadcast over the other's entries, is read for its all-zero coefficients, and goes first:
    # their terms are left out; the kernels' pair factors have no s^1 term)
    live = {}
    for side in (a, b):
        if side.size * _SMALL_SIDE <= rows * n * d * rest:
            live[id(side)] = [i == 0 or bool(side[:, i].any()) for i in range(n)]
    if live.get(id(b), [True]).count(False) > live.get(id(a), [True]).count(False):
        a, b = b, a
    skip = [not x for x in live.get(id(a), [True] * n)]
    out = np.empty((rows, n) + shape[1:], dtype=dtype)
    tmp = np.empty((rows, n, min(block, d)) + shape[2:], dtype=dtype)
    for lo in range(0, d, block):
        hi = min(lo + block, d)
        ab = a[:, :n, lo:hi] if a.shape[2] > 1 else a[:, :n]
        bb = b[:, :n, lo:hi] if b.shape[2] > 1 else b[:, :n]
        o = out[:, :, lo:hi]
        t = tmp[:, :, :hi - lo]
        np.multiply(ab[:, :1], bb, out=o, dtype=dtype, casting="unsafe")
        for i in range(1, n):  # x^i of a times x^(s-i) of b, for s = i..n-1
            if skip[i]:
                continue
            term = np.multiply(ab[:, i:i + 1], bb[:, :n - i], out=t[:, :n - i], dtype=dtype, casting="unsafe")
            o[:, i:] += term
    return out


#: a side of a series product (:func:`_series_product`) with at most 1/this of the result's entries is tested for
#: all-zero coefficients
_SMALL_SIDE = 8


def _mul(a: np.ndarray, b: np.ndarray, reduce) -> np.ndarray:
    """``a * b`` (broadcast), truncated at the series length when both are series."""
    sa, sb = a.shape[1], b.shape[1]
    if sa == 1 or sb == 1:
        return reduce(a * b)
    n = min(sa, sb)
    if n <= 64:  # (sums of 2^6 products below 2^44 stay exact: no reduction within the sum)
        out = _series_product(a, b, n, np.float64)
        if out is not None:
            return reduce(out)
    out = None
    for i in range(n):  # x^i of a times x^(s-i) of b, for s = i..n-1
        term = a[:, i:i + 1] * b[:, :n - i]
        if out is None:
            out = np.zeros(term.shape[:1] + (n,) + term.shape[2:], dtype=np.float64)
        out[:, i:] += term
        if i % 64 == 63:  # (sums of 2^6 products below 2^44 stay exact)
            out = reduce(out)
    return reduce(out)


def _terms(a: np.ndarray, b: np.ndarray) -> int:
    """Products summed into one coefficient of ``a * b``: the shorter series' length, 1 with a constant."""
    sa, sb = a.shape[1], b.shape[1]
    return min(sa, sb) if sa > 1 and sb > 1 else 1


#: a bound on the residues the reducer returns (|r| <= p/2 + 4 for p < 2^23): a product of two is below
#: 2^44.01, and 2^7 such products sum below 2^52
_RESIDUE = float((1 << 22) + 8)


class _Rows:
    """The arithmetic of one elimination on values ``(array, top, exact)``: ``top`` bounds the absolute
    value of the entries; ``exact``: the array holds the integers themselves in one row (the same for
    every modulus), else one row per modulus of integers congruent to the values.  Products and sums are
    taken in float64 as they are while their bound stays below 2^52 (no rounding can happen: every
    product and partial sum is an integer of at most the bound), and an operand is reduced modulo the
    primes (to ``|r| <= _RESIDUE``) only where a bound would pass it: a reduction costs about what the
    product does, and a chain of products by small edge counts (<= 170) needs one in three or four."""

    #: the step being computed is one whose float pass found its message at or above 2^52 (:meth:`Memo.proved_large`):
    #: a matrix product of exact sides is then not tried in float64 first (it would not come out exact)
    large = False

    def __init__(self, mods: np.ndarray):
        self.k = len(mods)
        self.mods = mods
        self.reduce = _reducer(mods)

    def residues(self, x, own: bool = False):
        """``x`` reduced (a new array unless it already is reduced, or ``own``: an array of the caller's own that
        may be reduced in place)."""
        arr, top, _ = x
        if top <= _RESIDUE:  # (an exact array so small is its own residue)
            return x
        return self.reduce(arr, fresh=own), _RESIDUE, False

    def fit(self, x, y, factor: float, own_x: bool = False):
        """``x`` and ``y``, reduced as far as needed for ``top_x · top_y · factor < 2^52`` (the larger
        first); ``None`` where even both reduced would not do.  ``own_x``: ``x`` may be reduced in place."""
        while x[1] * y[1] * factor >= _EXACT:
            if x[1] >= y[1] and x[1] > _RESIDUE:
                x = self.residues(x, own_x)
            elif y[1] > _RESIDUE:
                y = self.residues(y)
            else:
                return None
        return x, y

    def times(self, x, y):
        """The product of two values (series truncated)."""
        terms = _terms(x[0], y[0])
        fitted = self.fit(x, y, terms)
        if fitted is None:  # (long series: reduced within the sum)
            x, y = self.residues(x), self.residues(y)
            return _mul(x[0], y[0], self.reduce), _RESIDUE, False
        x, y = fitted
        out, top, exact = _mul(x[0], y[0], _same), x[1] * y[1] * terms, x[2] and y[2]
        return out, _tight(out, top) if exact else top, exact

    def total(self, x, axis: int):
        """The sum of a value over ``axis``."""
        n = x[0].shape[axis]
        if x[1] * n >= _EXACT:
            x = self.residues(x)
        out = x[0].sum(axis=axis)
        return out, _tight(out, x[1] * n) if x[2] else x[1] * n, x[2]

    def matmul(self, x, y, full_x, shape_x, shape_y, own_x: bool = False):
        """``x @ y`` over the last two axes, ``x`` broadcast to ``full_x`` and reshaped to ``shape_x``,
        ``y`` reshaped to ``shape_y`` (shapes without the row and series axes).  ``own_x``: ``x`` is residues (or
        approximations) in an array of the caller's own, which may be reduced in place (a ``labels^3`` series
        product at [1, 16] is 112 MB)."""
        own_x = own_x and not x[2]  # (an exact side's entries are read again below)
        terms = _terms(x[0], y[0])
        inner = shape_x[-1] * terms
        fitted = self.fit(x, y, inner, own_x)
        if x[2] and y[2] and (fitted is None or not (fitted[0][2] and fitted[1][2])):
            # two exact sides whose bound from maxima is too large: bound by row and column sums
            # (Σ_v a(., v) b(v, .) <= max_row Σ_v a · max b, and the same by columns)
            (a, ta, _), (b, tb, _) = x, y
            rows_a = float(a.sum(axis=-1).max()) * tb
            cols_b = ta * float(b.reshape(b.shape[:2] + shape_y).sum(axis=-2).max())
            if min(rows_a, cols_b) * terms < _EXACT:
                fitted, inner = (x, y), min(rows_a, cols_b) * terms / (ta * tb)
            elif min(rows_a, cols_b) * terms < _TRY_EXACT and not self.large:
                # bounds are loose: try it in float64 and keep it where the largest entry shows it exact
                # (non-negative terms: every partial sum is at most its entry; a computed entry below 2^52
                # is within a relative 2^-40 of the true one, so the true sums stay below 2^53 and no
                # operation rounded)
                (a, _, _), (b, _, _) = x, y
                left = np.broadcast_to(a, a.shape[:2] + full_x).reshape(a.shape[:2] + shape_x)
                out = _matmul_exact(left, np.ascontiguousarray(b).reshape(b.shape[:2] + shape_y))
                top = float(out.max(initial=0.0))
                if top < _EXACT:
                    return out, top, True
        if fitted is not None:
            (a, ta, ea), (b, tb, eb) = fitted
            top, exact, mm = ta * tb * inner, ea and eb, _matmul_exact
        else:  # blocks of the inner axis, reduced between
            (a, _, _), (b, _, _) = self.residues(x, own_x), self.residues(y)
            top, exact, mm = _RESIDUE, False, lambda p, q: _matmul(p, q, self.reduce)
        left = np.broadcast_to(a, a.shape[:2] + full_x).reshape(a.shape[:2] + shape_x)
        right = np.ascontiguousarray(b).reshape(b.shape[:2] + shape_y)
        if left.shape[0] != right.shape[0]:  # an exact side and a side per modulus
            left = np.broadcast_to(left, (self.k,) + left.shape[1:])
            right = np.broadcast_to(right, (self.k,) + right.shape[1:])
        out = mm(left, right)
        return out, _tight(out, top) if exact else top, exact

    def sum3(self, ops, extra=()):
        """``Σ_v Π ops`` for :func:`_fused_step` (``ops``: ``(value, subscripts)``, the first the ``labels^3`` one, times
        the ``extra`` values on its subscripts, other ``labels^3`` messages): each einsum sums products below 2^52:
        operands above the residues' bound are reduced first (the pairwise ones are ``labels^2``), the ``v`` axis is
        cut into blocks where the sum of a whole axis would pass 2^52, and the largest pairwise operand into base-2^β
        digits where even single products would; every block's sum is reduced before they are added.  Residues
        with ``extra`` messages go by blocks of ``v`` (:meth:`_sum3_blocks`)."""
        if extra:
            if not all(x[2] for x in [ops[0][0], *extra]):
                return self._sum3_blocks(ops, extra)
            ops = _times_extra(self, ops, extra)
        exact = all(x[2] for x, _ in ops)
        if exact:
            bound = math.prod(x[1] for x, _ in ops) * _sum3_terms(ops)
            if bound < _EXACT:
                out = _einsum_series(ops, np.float64)
                return out, _tight(out, bound), True
        ops = [(self.residues(x) if x[1] > _RESIDUE else x, subs) for x, subs in ops]
        if len(ops) == 3 and sum(math.log2(max(x[1], 1.0)) for x, _ in ops) > _FOLD_BITS:
            # (both pairwise operands large, as in the kernels' steps: the first one multiplied into the message
            # first, as the general step does, rather than many digits)
            (m, msub), (w, wsub) = ops[0], ops[1]
            ops = [(self.residues(self.times(m, (_to_subscripts(w[0], wsub, msub),) + w[1:])), msub), ops[2]]
        m, msub = ops[0]
        lengths = [x[0].shape[1] for x, _ in ops]
        n = max(lengths)
        labels = m[0].shape[2 + msub.index("v")]
        out = None
        for s, idx in _coefficient_terms(lengths, n):
            sl = [(x[0][:, i], subs) for (x, subs), i in zip(ops, idx)]
            # the tops of this coefficient's slices (the pairwise ones measured: labels^2)
            tops = [m[1]] + [min(x[1], float(np.abs(a).max(initial=0.0))) for (a, _), (x, _) in zip(sl[1:], ops[1:])]
            part = self._sum3_mod(sl, tops, labels)
            if out is None:
                out = np.zeros(part.shape[:1] + (n,) + part.shape[1:])
            out[:, s] += part  # (reduced parts: a few of them sum far below 2^52)
        return self.reduce(out), _RESIDUE, False

    def _sum3_blocks(self, ops, extra):
        """:meth:`sum3` of residues where the first operand is a product of ``labels^3`` messages, by blocks of ``v``
        (about :data:`_SERIES_BLOCK` entries of the product each): each block's product, its reduction and its
        einsums run while the block is in the CPU cache, where the whole product was reduced and written out and
        read back (and an exact message reduced as a whole first); each block's sum is reduced, and their sum."""
        (m, msub), rest = ops[0], ops[1:]
        iv = 2 + msub.index("v")
        labels = m[0].shape[iv]
        n = max(x[0].shape[1] for x in [m, *extra] + [x for x, _ in rest])
        block = max(1, _SERIES_BLOCK // (self.k * n * (m[0][0, 0].size // labels)))

        def cut(x, subs, lo):
            return (x[0][(slice(None),) * (2 + subs.index("v")) + (slice(lo, lo + block),)],) + tuple(x[1:])

        out = None
        for lo in range(0, labels, block):
            mb = cut(m, msub, lo)
            for x in extra:
                mb = self.times(mb, cut(x, msub, lo))
            # (residues: a product with a message that is not exact is not exact)
            part, _, _ = self.sum3([(mb, msub)] + [(cut(x, subs, lo), subs) for x, subs in rest])
            out = part if out is None else np.add(out, part, out=out)  # (reduced parts: up to 2^29 of them)
        return self.reduce(out), _RESIDUE, False

    def _sum3_mod(self, sl, tops, labels: int):
        """``Σ_v Π sl`` reduced (``sl``: one coefficient's arrays and subscripts, ``tops`` bounds on their absolute
        values)."""
        bits = [math.log2(max(t, 1.0)) for t in tops]
        room = 52 - 1e-6 - sum(bits)  # log2 of the products one sum may take
        arrays = [a for a, _ in sl]
        cut = [(0, arrays)]
        if room < math.log2(labels) and len(sl) > 1:
            # the largest pairwise operand in base-2^β digits where that takes fewer sums than blocks of the v axis
            # (blocks of at least 8 labels; each block's sum is reduced)
            j = 1 + max(range(len(sl) - 1), key=lambda i: bits[1 + i])

            def cost(beta):  # (digits, sums over blocks of v, the room left)
                left = room + bits[j] - beta
                if beta < 1 or left < 3:
                    return math.inf, beta, left
                n, top = 1, tops[j]
                while top > 2.0 ** beta:  # (digits of at most 2^β: the last one may reach it)
                    n, top = n + 1, math.floor(top / 2.0 ** beta) + 1
                return n * (1 + 0.05 * -(-labels // min(labels, 1 << int(left)))), beta, left

            options = [cost(math.floor(bits[j] + room - math.log2(labels))), cost(math.floor(bits[j] + room - 3))]
            if room >= 3:
                options.append((1 + 0.05 * -(-labels // (1 << int(room))), None, room))
            _, beta, room = min(options, key=lambda o: o[0])
            if beta is not None and beta < 1:  # (no digit width leaves room: the loop below would never end)
                raise AssertionError("a fused step without an exact cut")
            if beta is not None:
                # (exact: floors of float64 integers scaled by powers of two; every digit at most 2^β in absolute value)
                scale = 2.0 ** beta
                rest, top, shift = arrays[j], tops[j], 0
                cut = []
                while top > scale:
                    hi = np.floor(rest * (1 / scale))
                    cut.append((shift, arrays[:j] + [rest - hi * scale] + arrays[j + 1:]))
                    rest, top, shift = hi, math.floor(top / scale) + 1, shift + beta
                cut.append((shift, arrays[:j] + [rest] + arrays[j + 1:]))
        if room < 0:
            raise AssertionError("a fused step without an exact cut")
        block = labels if room >= math.log2(labels) else 1 << int(room)
        spec = ",".join("..." + s for _, s in sl) + "->...ab"
        out = None
        for shift, ops in cut:
            acc = None
            for lo in range(0, labels, block):
                part = self.reduce(np.einsum(spec, *(_take(a, s, lo, lo + block) for a, (_, s) in zip(ops, sl))))
                acc = part if acc is None else np.add(acc, part, out=acc)  # (up to 2^29 reduced parts: exact)
            if labels > block:
                acc = self.reduce(acc)
            if shift:
                acc *= np.array([float(pow(2, shift, int(p))) for p in self.mods]).reshape((-1,) + (1,) * (acc.ndim - 1))
            out = acc if out is None else np.add(out, acc, out=out)
        return self.reduce(out) if len(cut) > 1 else out

    def final(self, x) -> np.ndarray:
        """Integers congruent to the value, a row per modulus (|entries| < 2^52)."""
        return np.broadcast_to(x[0], (self.k,) + x[0].shape[1:])

    def from_ints(self, values) -> tuple:
        """The value of a list of exact integers (series coefficients) computed elsewhere."""
        res = np.array([[_symmetric_int(v, int(p)) for v in values] for p in self.mods], dtype=np.float64)
        return res, _RESIDUE, False


class _FloatRows(_Rows):
    """The arithmetic of the float pass (:func:`_contract`): one row of plain float64, no modulus.  A value
    ``(array, top, exact)`` is exact as for :class:`_Rows` while every bound stays below 2^52 (the integers
    themselves, shared with the passes modulo primes through a :class:`Memo`); any other one holds
    approximations and ``top`` is then a **count of roundings** ``N``: every entry ``ŷ`` of it satisfies
    ``y·(1-u)^N <= ŷ <= y·(1+u)^N`` (``u = 2^-53``) for the true value ``y``.  With non-negative terms that
    holds by induction: a product adds its operands' counts and one rounding, a sum of ``K`` terms at most
    ``K - 1`` roundings (in any order, as BLAS and numpy take them); nothing underflows (integers)."""

    def __init__(self):
        self.k = 1
        self.mods = np.ones(1)

    @staticmethod
    def rounds(x) -> float:
        return 0.0 if x[2] else x[1]

    def residues(self, x):
        return x

    def times(self, x, y):
        terms = _terms(x[0], y[0])
        out = _mul(x[0], y[0], _same)
        if x[2] and y[2] and x[1] * y[1] * terms < _EXACT:
            return out, _tight(out, x[1] * y[1] * terms), True
        return out, self.rounds(x) + self.rounds(y) + terms, False

    def total(self, x, axis: int):
        n = x[0].shape[axis]
        out = x[0].sum(axis=axis)
        if x[2] and x[1] * n < _EXACT:
            return out, _tight(out, x[1] * n), True
        return out, self.rounds(x) + n, False

    def matmul(self, x, y, full_x, shape_x, shape_y, own_x: bool = False):
        terms = _terms(x[0], y[0])
        (a, _, _), (b, _, _) = x, y
        left = np.broadcast_to(a, a.shape[:2] + full_x).reshape(a.shape[:2] + shape_x)
        out = _matmul_exact(left, np.ascontiguousarray(b).reshape(b.shape[:2] + shape_y))
        if x[2] and y[2]:
            # (as in :meth:`_Rows.matmul`: a computed entry below 2^52 shows that no operation rounded)
            top = float(out.max(initial=0.0))
            if top < _EXACT:
                return out, top, True
        return out, self.rounds(x) + self.rounds(y) + shape_x[-1] * terms, False

    def sum3(self, ops, extra=()):
        ops = _times_extra(self, ops, extra)
        out = _einsum_series(ops, np.float64)
        terms = _sum3_terms(ops)
        if all(x[2] for x, _ in ops):
            bound = math.prod(x[1] for x, _ in ops) * terms
            # (as in :meth:`_Rows.matmul`: a computed entry below 2^52 shows that no operation rounded)
            top = _tight(out, bound) if bound < _EXACT else float(out.max(initial=0.0))
            if top < _EXACT:
                return out, top, True
        # a product of len(ops) operands: len(ops) - 1 roundings; a sum of `terms` of them: fewer than `terms`
        return out, sum(self.rounds(x) for x, _ in ops) + len(ops) - 1 + terms, False

    def final(self, x) -> np.ndarray:
        self.final_rounds = self.rounds(x)
        return x[0]

    def from_ints(self, values) -> tuple:
        return np.array([[float(v) for v in values]]), 1.0, False


#: the bits of the wrap pass's modulus (uint64 arithmetic wraps modulo 2^64)
_WRAP_BITS = 64
#: the ``top`` of a value modulo 2^64 (any uint64)
_WRAP_TOP = float(1 << 64)


class _WrapRows(_Rows):
    """The arithmetic of the wrap pass: the value modulo ``2^64`` in one row of ``uint64``, whose products and
    sums wrap modulo 2^64 by themselves (no reduction at all, where a prime's residues are reduced after about
    every product), so one pass fixes 64 bits, as many as ~2.8 primes below 2^23.  A value is exact as for
    :class:`_Rows` (float64 integers below 2^52, shared with the other passes through a :class:`Memo`), or the
    uint64 residues.  Matrix products go to float64 BLAS on digits small enough that every sum stays exact
    (:func:`_matmul_wrap`), not to numpy's integer loops (~10x slower)."""

    def __init__(self):
        self.k = 1
        self.mods = np.ones(1)

    @staticmethod
    def wrapped(x) -> np.ndarray:
        """The value's uint64 residues (an exact array converts without loss: integers below 2^52)."""
        return x[0].astype(np.uint64) if x[2] else x[0]

    def residues(self, x):
        return x

    def times(self, x, y):
        terms = _terms(x[0], y[0])
        if x[2] and y[2] and x[1] * y[1] * terms < _EXACT:
            out = _mul(x[0], y[0], _same)
            return out, _tight(out, x[1] * y[1] * terms), True
        return _mul_wrap(x[0], y[0]), _WRAP_TOP, False

    def total(self, x, axis: int):
        n = x[0].shape[axis]
        if x[2] and x[1] * n < _EXACT:
            out = x[0].sum(axis=axis)
            return out, _tight(out, x[1] * n), True
        return np.add.reduce(x[0], axis=axis, dtype=np.uint64), _WRAP_TOP, False

    def matmul(self, x, y, full_x, shape_x, shape_y, own_x: bool = False):
        terms = _terms(x[0], y[0])
        (a, ta, ea), (b, tb, eb) = x, y
        left = np.broadcast_to(a, a.shape[:2] + full_x).reshape(a.shape[:2] + shape_x)
        right = np.ascontiguousarray(b).reshape(b.shape[:2] + shape_y)
        inner = shape_x[-1] * terms
        if ea and eb:
            bound = ta * tb * inner
            if bound < _TRY_EXACT and not self.large:
                # (as in :meth:`_Rows.matmul`: a computed entry below 2^52 shows that no operation rounded)
                out = _matmul_exact(left, right)
                top = float(out.max(initial=0.0))
                if top < _EXACT:
                    return out, top, True
        if min(shape_x[-2], shape_y[-1]) <= _WRAP_DIRECT and len(shape_x) == 2:
            return _matmul_u64(left, right), _WRAP_TOP, False
        return _matmul_wrap(left, ta if ea else None, right, tb if eb else None, inner), _WRAP_TOP, False

    def sum3(self, ops, extra=()):
        ops = _times_extra(self, ops, extra)
        if all(x[2] for x, _ in ops):
            bound = math.prod(x[1] for x, _ in ops) * _sum3_terms(ops)
            if bound < _EXACT:
                out = _einsum_series(ops, np.float64)
                return out, _tight(out, bound), True
        return _einsum_series([(self.wrapped(x), subs) for x, subs in ops], np.uint64), _WRAP_TOP, False

    def final(self, x) -> np.ndarray:
        return self.wrapped(x)

    def from_ints(self, values) -> tuple:
        return np.array([[int(v) % (1 << 64) for v in values]], dtype=np.uint64), _WRAP_TOP, False


#: the wrap pass multiplies matrices in uint64 itself (:func:`_matmul_u64`) where one side has at most this many rows
#: (columns) and there are no batch axes: a product with a vector reads the other side once, where the digit products
#: (:func:`_matmul_wrap`) read it once per pair of digits after copying it into digits (at [1, 16] a series vector of
#: 40-bit entries times a ``labels x labels^2`` series of residues, 4 coefficients: 552 ms by digits, 15 ms in uint64).
#: Batched ones keep the digits: ``labels^2`` matrix-vector products in uint64 made cores 910-1159 at [1, 16] slower
#: (47.3 s against 43.0 s CPU, ``benchmarks/c16_core_steps.py --start 910 --count 250``)
_WRAP_DIRECT = 4


def _matmul_u64(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` modulo 2^64 as uint64 over the last two axes (each side uint64 residues or exact float64 integers;
    series as in :func:`_matmul`) by numpy's integer multiply-adds, which wrap modulo 2^64 by themselves.

    >>> a = np.array([[[[2.0 ** 40, 3.0]]]])                  # (rows, series, 1, 2)
    >>> b = np.array([[[[2 ** 63], [5]]]], dtype=np.uint64)   # (rows, series, 2, 1)
    >>> int(_matmul_u64(a, b)[0, 0, 0, 0]) == (2 ** 103 + 15) % 2 ** 64
    True
    """
    a, b = (x if x.dtype == np.uint64 else x.astype(np.uint64) for x in (a, b))
    sa, sb = a.shape[1], b.shape[1]
    if sa > 1 and sb > 1:
        n = min(sa, sb)
        out = None
        for i in range(n):
            part = np.einsum("...iv,...vj->...ij", a[:, i:i + 1], b[:, :n - i])
            if out is None:
                out = np.zeros(part.shape[:1] + (n,) + part.shape[2:], dtype=np.uint64)
            out[:, i:] += part
        return out
    return np.einsum("...iv,...vj->...ij", a, b)


def _times_extra(rows: _Rows, ops, extra) -> list:
    """``ops`` with the ``extra`` values multiplied into the first one (:meth:`_Rows.sum3`)."""
    if not extra:
        return ops
    m = ops[0][0]
    for x in extra:
        m = rows.times(m, x)
    return [(m, ops[0][1])] + ops[1:]


def _mul_wrap(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a * b`` modulo 2^64 as uint64 (broadcast; series truncated as in :func:`_mul`), each side uint64 residues
    or exact float64 integers (series cast as the product reads them, block by block)."""
    sa, sb = a.shape[1], b.shape[1]
    if sa == 1 or sb == 1:
        # (a float64 side converted first: a multiply that casts as it reads took ~1.5x a conversion and a plain
        # uint64 multiply on labels^3 arrays)
        a, b = (x.astype(np.uint64) if x.dtype == np.float64 else x for x in (a, b))
        return np.multiply(a, b)
    n = min(sa, sb)
    out = _series_product(a, b, n, np.uint64)
    if out is not None:
        return out
    for i in range(n):
        term = np.multiply(a[:, i:i + 1], b[:, :n - i], dtype=np.uint64, casting="unsafe")
        if out is None:
            out = np.zeros(term.shape[:1] + (n,) + term.shape[2:], dtype=np.uint64)
        out[:, i:] += term
    return out


def _wrap_digits(arr: np.ndarray, bits: int, beta: int) -> list:
    """``[(shift, digit)]``: the base-``2^beta`` digits (float64) of the array ``arr`` (uint64 residues, or exact
    float64 integers) below ``2^bits``; for ``beta`` 16 or 32 the uint64 words' quarters or halves read in place,
    else shifts and masks."""
    if bits <= beta and arr.dtype == np.float64:
        return [(0, arr)]
    u = np.ascontiguousarray(arr, dtype=np.uint64)
    if bits <= beta:
        return [(0, u.astype(np.float64))]
    count = -(-bits // beta)
    if beta in (16, 32) and np.little_endian:  # (the least significant half or quarter first)
        parts = u.view(np.uint32 if beta == 32 else np.uint16).reshape(u.shape + (64 // beta,))
        return [(i * beta, parts[..., i].astype(np.float64)) for i in range(count)]
    mask = np.uint64((1 << beta) - 1)
    return [(i * beta, ((u >> np.uint64(i * beta)) & mask).astype(np.float64)) for i in range(count)]


def _digit_plan(bits: tuple, room: int, weights: tuple = (1.0, 1.0)) -> tuple:
    """The digit widths ``(beta_left, beta_right)`` with ``beta_left + beta_right <= room`` that take the fewest
    matrix products (pairs of digits whose shifts sum below 64), cutting digits counted at a fraction of a
    product (halves and quarters of words are read in place; other widths take shifts and masks) times the side's
    ``weights`` (its entries against the product's largest array, :func:`_digit_weights`): cutting a small side costs
    next to nothing, so a large side stays whole where the small one can take more digits.

    >>> _digit_plan((35, 18), 45)                   # two sides as large: the narrower digits on the wider side
    (18, 27)
    >>> _digit_plan((35, 18), 45, (1.0, 0.01))      # a large left side stays whole, the small right one is cut
    (35, 10)
    """
    best = None
    for bl in range(1, room):
        br = room - bl
        cost = 0.0
        counts = []
        for width, beta, weight in zip(bits, (bl, br), weights):
            n = max(1, -(-width // beta))
            counts.append(n)
            if n > 1:
                cost += n * (0.1 if beta in (16, 32) else 0.5) * weight
        cost += sum(1 for i in range(counts[0]) for j in range(counts[1]) if i * bl + j * br < _WRAP_BITS)
        if best is None or cost < best[0]:
            best = (cost, (bl, br))
    return best[1]


def _digit_weights(left: np.ndarray, right: np.ndarray) -> tuple:
    """The share of each side's entries in the largest array of the product ``left @ right`` (a side or the result),
    the price of cutting it into digits (:func:`_digit_plan`).  At [1, 16] the wrap pass's ``labels^4`` steps multiply
    a ``labels^2 x labels`` side by a ``labels x labels`` one: digits of the small side (16 K entries) cost next to
    nothing where those of the large one (2 M entries) took ~12 ms each, about half a product."""
    out = left.size // max(1, left.shape[-1]) * right.shape[-1] * max(1, right.shape[1] if right.ndim > 2 else 1)
    top = max(left.size, right.size, out, 1)
    return left.size / top, right.size / top


def _digit_products(bits: tuple, betas: tuple) -> int:
    """The matrix products :func:`_matmul_wrap` takes with digits of widths ``betas`` on sides of ``bits``."""
    counts = [max(1, -(-width // beta)) for width, beta in zip(bits, betas)]
    return sum(1 for i in range(counts[0]) for j in range(counts[1]) if i * betas[0] + j * betas[1] < _WRAP_BITS)


#: a balanced half (:func:`_signed_halves`) is at most this in absolute value
_HALF = float(1 << 31)


def _signed_halves(arr: np.ndarray) -> tuple:
    """``(low, high)`` float64 with ``low + high · 2^32 ≡ arr`` modulo 2^64 and both at most 2^31 in absolute value
    (balanced digits: a half of 2^31 or more borrows from the next; the high half counts modulo 2^32), for ``arr``
    uint64 residues or exact float64 integers.

    >>> low, high = _signed_halves(np.array([2 ** 64 - 1, 2 ** 31, 5], dtype=np.uint64))
    >>> [int(x) for x in low], [int(x) for x in high]
    ([-1, -2147483648, 5], [0, 1, 0])
    """
    u = arr if arr.dtype == np.uint64 else arr.astype(np.uint64)
    low = (u & np.uint64(0xFFFFFFFF)).astype(np.int64)
    high = (u >> np.uint64(32)).astype(np.int64)
    borrow = low >= 1 << 31
    low -= borrow.astype(np.int64) << 32
    high += borrow
    high -= (high >= 1 << 31).astype(np.int64) << 32
    return low.astype(np.float64), high.astype(np.float64)


def _matmul_halves(left, ltop, right, rtop, inner: int) -> np.ndarray | None:
    """``left @ right`` modulo 2^64 in two exact float64 products where one side is small exact integers (at most
    ``2^53 / (inner · 2^31)``, kept whole) and the other one is cut into two balanced halves (:func:`_signed_halves`):
    every sum of ``inner`` products of at most ``top · 2^31`` stays within 2^53, exact.  Unsigned digits took three
    (each below 2^30) where the other side has 15 bits and ``inner`` is 126, as in the wrap pass's ``labels^4`` steps at
    [1, 16].  ``None`` where neither side is that small."""
    limit = float(1 << 53) / (inner * _HALF)
    for whole, top, cut, on_left in ((left, ltop, right, True), (right, rtop, left, False)):
        if top is None or top > limit:
            continue
        low, high = _signed_halves(cut)
        parts = [_matmul_exact(whole, h) if on_left else _matmul_exact(h, whole) for h in (low, high)]
        out = parts[0].astype(np.int64).view(np.uint64)
        out += np.left_shift(parts[1].astype(np.int64).view(np.uint64), np.uint64(32))
        return out
    return None


def _matmul_wrap(left, ltop, right, rtop, inner: int) -> np.ndarray:
    """``left @ right`` modulo 2^64 (uint64) by exact float64 matrix products of digits: a side is exact float64
    integers at most ``ltop`` / ``rtop``, or uint64 residues (``None``: 64 bits); both are cut into digits
    (:func:`_digit_plan`: as few products as can be) so that a product of digits summed over ``inner`` terms
    stays below 2^52 (the Ozaki scheme, here modulo 2^64: pairs of digits whose shifts sum to 64 or more are
    multiples of 2^64, so they are left out).  A small exact side (an edge count) stays whole, the other one in
    two halves."""
    room = math.floor(math.log2(_EXACT / inner) - 1e-9)
    bits = tuple(_WRAP_BITS if t is None else max(1, int(t).bit_length()) for t in (ltop, rtop))
    betas = _digit_plan(bits, room, _digit_weights(left, right))
    if _digit_products(bits, betas) > 2:
        out = _matmul_halves(left, ltop, right, rtop, inner)
        if out is not None:
            return out
    sides = [_wrap_digits(arr, width, beta)
             for arr, width, beta in ((left, bits[0], betas[0]), (right, bits[1], betas[1]))]
    out = None
    for ls, ld in sides[0]:
        for rs, rd in sides[1]:
            if ls + rs < _WRAP_BITS:
                part = _matmul_exact(ld, rd)
                # (the shift reads the float64 product as uint64 as it goes: no converted copy)
                part = (np.left_shift(part, np.uint64(ls + rs), dtype=np.uint64, casting="unsafe") if ls + rs
                        else part.astype(np.uint64))
                out = part if out is None else np.add(out, part, out=part)
    return out


#: elements reduced per pass of :func:`_reducer` (a block and its scratch stay in the CPU cache: a
#: reduction of a large array pass by pass over main memory was ~10x slower; 512 KB blocks, half a core's L2
#: here, took ~8 % less than 256 KB ones on ``labels^3`` arrays: fewer numpy calls)
_REDUCE_BLOCK = 1 << 16


def _reducer(mods: np.ndarray):
    """``x -> x mod p`` per modulus (the leading axis), for float64 integers ``|x| < 2^52``, as the
    representative of absolute value ``<= p/2`` (+ a few units where the rounding of ``x / p`` ties).
    ``x`` has a row per modulus, or one row (the same integers for every modulus).  With ``fresh`` (a
    temporary of the caller's, a row per modulus) it works in place, else into a new array.

    Exact: ``x · (1/p)`` is within ``2^-21`` of ``x / p`` (``|x / p| < 2^30``), so its nearest integer ``q``
    is within ``1/2 + 2^-21`` of it, and ``q·p`` and ``x - q·p`` are integers below 2^53."""
    k = len(mods)
    inv = 1.0 / mods
    scratch = np.empty(_REDUCE_BLOCK)

    def reduce(x, fresh=True):
        if x.size * k // x.shape[0] <= _REDUCE_BLOCK:
            shape = (k,) + (1,) * (x.ndim - 1)
            q = x * inv.reshape(shape)
            np.rint(q, out=q)
            q *= mods.reshape(shape)
            return np.subtract(x, q, out=q)
        back = None
        if not x.flags.c_contiguous:
            # a permuted view (a message read in another axis order): reduced in the order of its memory and handed
            # back as the same view of the result (a transposed copy of a labels^3 array took ~3x its reduction)
            order = (0,) + tuple(sorted(range(1, x.ndim), key=lambda i: -x.strides[i]))
            if x.transpose(order).flags.c_contiguous:
                x, back = x.transpose(order), tuple(np.argsort(order))
            else:
                x = np.ascontiguousarray(x)
        src = x.reshape(x.shape[0], -1)
        if fresh and x.shape[0] == k:
            out = x
        else:
            out = np.empty((k,) + x.shape[1:])
        dst = out.reshape(k, -1)
        n = src.shape[1]
        for i in range(k):
            row, put, p, ip = src[i if len(src) == k else 0], dst[i], mods[i], inv[i]
            for lo in range(0, n, _REDUCE_BLOCK):
                blk = row[lo:lo + _REDUCE_BLOCK]
                q = scratch[:len(blk)]
                np.multiply(blk, ip, out=q)
                np.rint(q, out=q)
                q *= p
                np.subtract(blk, q, out=put[lo:lo + _REDUCE_BLOCK])
        return out if back is None else out.transpose(back)

    return reduce


def _symmetric_int(v: int, p: int) -> int:
    r = v % p
    return r - p if r > p // 2 else r


#: the dense path takes four variables left only where a pairwise factor is this large (a message of eliminated
#: objects: the plain elimination would go per prime)
_DENSE_PAIR_TOP = float(1 << 16)


def _dense_rest(factors, cache: dict):
    """The exact value (coefficients) of what is left when it is four variables joined pairwise by exact
    constant factors with unary series (:func:`.dense.clique4_series`), else ``None``; kept in ``cache`` by
    the identity of the arrays (held there), so that every pass and slice of primes of one contraction computes it
    once.  Only contractions without a :class:`Memo` take it (:func:`_eliminate`), so the factors have no keys."""
    pairs = set()
    for sc, (arr, _, exact), _ in factors:
        if not exact or len(sc) > 2 or (len(sc) == 2 and (sc[0] == sc[1] or arr.shape[1] != 1)):
            return None
        if len(sc) == 2:
            pairs.add(frozenset(sc))
    if len(pairs) != 6:
        return None
    if max(x[1] for sc, x, _ in factors if len(sc) == 2) < _DENSE_PAIR_TOP:
        # pairwise factors that are plain edge counts (a four-clique object graph): its first labels^4 step
        # stays exact and is shared through the memo, which costs less than the dense path
        return None
    key = tuple(sorted((sc, id(x[0])) for sc, x, _ in factors))
    hit = cache.get(key)
    if hit is not None:
        return hit[1]
    from .dense import clique4_series

    degree = max(x[0].shape[1] for _, x, _ in factors) - 1
    plain = []
    for sc, (arr, _, _), _ in factors:
        a = arr[0, 0] if arr.shape[1] == 1 else arr[0]
        plain.append((sc, a.astype(np.int64).astype(object)))
    value = clique4_series(plain, degree, PRIMES)
    cache[key] = ([x[0] for _, x, _ in factors], value)
    return value


def _eliminate(factors, mods: np.ndarray, keep=None, memo: Memo | None = None, primes: range | None = None,
               dense: dict | None = None, rows: _Rows | None = None, choices: dict | None = None):
    """Min-degree variable elimination (the order of :func:`.burnside.contract`) on residues: the factors
    are ``(scope, (array, top), key)`` (see above; ``key`` for the memo, else ``None``), the result the
    residues (float64, a leading axis with one entry per modulus, then the series axis).  ``keep``: one
    variable left open (the result has its axis after the series axis).

    With a ``memo`` (``primes``: the indices in :data:`PRIMES` of the rows), every step whose factors all
    have keys gets a key too (what it computes: its factors' keys and how their scopes sit on the
    eliminated variable and its neighbours), and its message is taken from the memo where another
    contraction (or another slice of primes) computed it already.  Neighbours are then ordered by the
    roles they play in the step (not by their names), and among the variables of least degree one whose
    message is in the memo goes first: either way the same residues, in any order.

    ``choices``: a dict kept across the passes of one contraction, where each step's candidates, their memo keys
    and which of them the plain order allows are kept by the factors' scopes and keys (what they depend on), so
    that a pass that meets the same factors does not work them out again (a pass differs from another only in
    what its memo holds, which the choice still reads)."""
    rows = _Rows(mods) if rows is None else rows
    remaining = {u for s, _, _ in factors for u in s} - {keep}
    scalar = (np.ones((1, 1), dtype=np.float64), 1.0, True)
    while remaining:
        if keep is None and dense is not None and memo is None and len(remaining) == 4:
            # four objects left, all related: the exact dense path (once for every slice of primes); not with a
            # memo, whose messages of those rests the contractions share (at [1, 16] the first 250 width-3 cores
            # took 10.2 s CPU without the dense path and 15.4 s with it: benchmarks/c16_core_steps.py)
            value = _dense_rest(factors, dense)
            if value is not None:
                scalar = rows.times(scalar, rows.from_ints(value))
                factors = []
                break
        state = None if choices is None else tuple((s, key) for s, _, key in factors)
        known = None if state is None else choices.get(state)
        if known is None:
            around: dict = {u: set() for u in remaining}  # each variable's neighbours (and itself)
            for s, _, _ in factors:
                for u in s:
                    if u in around:
                        around[u].update(s)
            least = min(len(a) for a in around.values())
            candidates = sorted(u for u, a in around.items() if len(a) == least)
            known = (candidates, None if memo is None else {u: _step_key(u, factors, memo) for u in candidates}, {})
            if state is not None:
                choices[state] = known
        candidates, steps, allowed = known
        v = candidates[0]
        step = None
        if memo is not None:

            def preference(u):  # in the memo; else exact (once for every prime) and plain (shared later)
                gathered = [f for f in factors if u in f[0]]
                return (steps[u] is None or not memo.has(steps[u][0], primes),
                        sum(math.log2(max(x[1], 1.0)) for _, x, _ in gathered),
                        sum(key is None or key < 0 for _, _, key in gathered), u)

            if len(candidates) > 1:
                u = min(candidates, key=preference)
                # (only where the rest of the plain least-degree order costs no more: callers may have named
                # the variables so that ties broken by name take the cheapest order, .cores.elimination_names)
                if u != v:
                    ok = allowed.get(u)
                    if ok is None:
                        ok = allowed[u] = _plain_cost(factors, u) <= _plain_cost(factors, v)
                    if ok:
                        v = u
            step = steps[v]
        gathered = [f for f in factors if v in f[0]]
        factors = [f for f in factors if v not in f[0]]
        if step is not None:
            key, nbrs = step
        else:
            key, nbrs = None, tuple(sorted({u for s, _, _ in gathered for u in s} - {v}))
        new = None if key is None or not nbrs else memo.get(key, primes)
        if new is None:
            rows.large = key is not None and memo.proved_large(key)
            pairs = [(s, x) for s, x, _ in gathered]
            if any(len(s) > 1 for s, _ in pairs):
                new = _sum_product(v, pairs, nbrs, rows)
            else:  # only unary factors of v: a plain sum
                prod = None
                for _, x in pairs:
                    prod = x if prod is None else rows.times(prod, x)
                new = rows.total(prod, 2)
            if key is not None and len(nbrs) >= _MEMO_WIDTH:
                if not new[2] and memo.shared(key):
                    # residues kept reduced (float32 in the memo: half the bytes), so that no later use reduces them
                    # again (each planned message has ~18 users at [1, 16]); the float and wrap passes keep theirs
                    new = rows.residues(new)
                memo.put(key, primes, new)
        remaining.discard(v)
        if nbrs:
            factors.append((nbrs, new, key))
        else:
            scalar = rows.times(scalar, new)
    for _, (f, top, exact), _ in factors:  # only scalars (and factors of the kept variable) can be left
        a = scalar[0]
        if f.ndim > a.ndim:
            a = a.reshape(a.shape + (1,) * (f.ndim - a.ndim))
        elif a.ndim > f.ndim:
            f = f.reshape(f.shape + (1,) * (a.ndim - f.ndim))
        scalar = rows.times((a,) + scalar[1:], (f, top, exact))
    return rows.final(scalar)


def _plain_cost(factors, first) -> int:
    """The products (per row and coefficient) of eliminating ``first`` and then the rest in the plain
    order (least degree, ties by name) — what :func:`_elimination_order` follows."""
    dims = {u: d for s, x, _ in factors for u, d in zip(s, x[0].shape[2:])}
    scopes = [set(s) for s, _, _ in factors]
    cost = 0
    v = first
    while True:
        union = set().union(*(s for s in scopes if v in s))
        cost += math.prod(dims[u] for u in union)
        scopes = [s for s in scopes if v not in s] + [union - {v}]
        left = set().union(*scopes)
        if not left:
            return cost
        around = {u: set().union(*(s for s in scopes if u in s)) for u in left}
        v = min(left, key=lambda u: (len(around[u]), u))


def _step_key(v, factors, memo: Memo):
    """``(key, neighbours)`` of eliminating ``v``: the neighbours ordered by their roles (the keys of the
    factors they share with ``v`` and where they sit in them; names only break ties), and the memo's key
    of the step in that order; ``None`` where a factor of ``v`` has no key."""
    gathered = [f for f in factors if v in f[0]]
    if any(f[2] is None for f in gathered):
        return None
    nbrs = {u for s, _, _ in gathered for u in s} - {v}

    def role(u):
        return tuple(sorted((key, tuple(0 if x == v else 1 if x == u else 2 for x in s))
                            for s, _, key in gathered if u in s))

    order = tuple(sorted(nbrs, key=lambda u: (role(u), u)))
    pos = {v: 0, **{u: i + 1 for i, u in enumerate(order)}}
    what = (tuple(sorted((key, tuple(pos[u] for u in s)) for s, _, key in gathered)), len(order))
    return memo.step(what), order


#: a step with a factor over the eliminated object and all its neighbours of at least this many entries per row (a
#: ``labels^3`` series message of 5 or more coefficients at 126 labels: the four-clique family's path series at [1, 16];
#: the width-3 cores' messages of at most 4 coefficients stay below) is summed in blocks of one neighbour's labels
#: (:func:`_sum_product_blocks`) of about :data:`_BLOCK_ENTRIES` entries of that factor
_BLOCK_STEP_ENTRIES = 1 << 23
_BLOCK_ENTRIES = 1 << 20


def _step_cut(v, gathered, nbrs) -> tuple | None:
    """``(neighbour, labels, block)`` where :func:`_sum_product` goes by blocks (:data:`_BLOCK_STEP_ENTRIES`): the
    neighbour with the most labels, cut into blocks of ``block`` labels; ``None`` elsewhere, and where every factor is
    exact (a block's exact values take bounds from their own entries, so that blocks could come out exact and not;
    with one factor of residues, or approximations, every block's value is of that kind)."""
    if len(nbrs) < 2 or all(x[2] for _, x in gathered):
        return None
    span = set(nbrs) | {v}
    whole = [x[0] for sc, x in gathered if set(sc) == span and len(sc) == len(span)]
    if not whole or max(a[0].size for a in whole) < _BLOCK_STEP_ENTRIES:
        return None
    big = max(whole, key=lambda a: a[0].size)
    sc = next(sc for sc, x in gathered if x[0] is big)
    dims = {u: big.shape[2 + sc.index(u)] for u in nbrs}
    u = max(nbrs, key=lambda w: (dims[w], -nbrs.index(w)))
    block = max(1, dims[u] * _BLOCK_ENTRIES // big[0].size)
    return (u, dims[u], block) if block < dims[u] else None


def _sum_product_blocks(v, gathered, nbrs, rows: _Rows, u, labels: int, block: int):
    """:func:`_sum_product` by blocks of ``block`` labels of the neighbour ``u`` (:func:`_step_cut`): each block's
    factors are views, and its products and reductions are a block's size, where the whole step held its large factor
    two or three times over (at [1, 16] the four-clique family's ``labels^3`` sums of 7-coefficient series held
    ~320 MB above their message).  The same values (each block is the same arithmetic on its entries)."""
    axis = 2 + nbrs.index(u)
    out, top, exact = None, 0.0, True
    for lo in range(0, labels, block):
        part = [(sc, (_cut(x[0], 2 + sc.index(u), lo, lo + block),) + x[1:] if u in sc else x) for sc, x in gathered]
        val, t, e = _sum_product(v, part, nbrs, rows, whole=False)
        if out is None:
            out = np.empty(val.shape[:axis] + (labels,) + val.shape[axis + 1:], dtype=val.dtype)
        out[(slice(None),) * axis + (slice(lo, lo + block),)] = val
        top, exact = max(top, t), exact and e
    return out, top, exact


def _cut(a: np.ndarray, axis: int, lo: int, hi: int) -> np.ndarray:
    """``a``'s labels ``lo .. hi - 1`` on ``axis`` (a view; an axis broadcast from one label stays whole)."""
    if a.shape[axis] == 1:
        return a
    return a[(slice(None),) * axis + (slice(lo, hi),)]


def _sum_product(v, gathered, nbrs, rows: _Rows, *, whole: bool = True):
    """``Σ_v Π gathered`` over ``nbrs`` as a batched matrix product: the widest factor on one side,
    the product of the others on the other, their shared neighbours as batch axes (M^(k+1)
    multiply-adds in C, never an M^(k+1) tensor of residues to reduce).  Factors and result are
    ``(array, top)`` pairs.  A large step goes by blocks (:func:`_step_cut`) unless ``whole`` is false."""
    cut = _step_cut(v, gathered, nbrs) if whole else None
    if cut is not None:
        return _sum_product_blocks(v, gathered, nbrs, rows, *cut)
    if len(nbrs) == 2:
        out = _fused_step(v, gathered, nbrs, rows)
        if out is not None:
            return out
    gathered = _absorb(gathered, rows)
    if len(gathered) == 1:  # one factor left: a plain sum over v
        (sc, x), = gathered
        out, top, exact = rows.total(x, 2 + sc.index(v))
        return np.ascontiguousarray(_expand(out, tuple(u for u in sc if u != v), nbrs, 2)), top, exact
    # the right side: a widest factor, a series one if there is one (the others are then more often
    # constants, and a product with a constant side costs one matrix product per coefficient)
    width = max(len(f[0]) for f in gathered)
    last = max((f for f in gathered if len(f[0]) == width), key=lambda f: f[1][0].shape[1])
    rest = [f for f in gathered if f is not last]
    s2 = set(last[0])
    s1 = {u for sc, _ in rest for u in sc}
    shared = tuple(sorted((s1 & s2) - {v}))
    only1 = tuple(sorted(s1 - s2))
    only2 = tuple(sorted(s2 - s1 - {v}))
    order1 = shared + only1 + (v,)
    left = None
    for sc, (arr, top, exact) in rest:
        e = (_expand(arr, sc, order1, 2), top, exact)
        left = e if left is None else rows.times(left, e)
    right = (_expand(last[1][0], last[0], shared + (v,) + only2, 2), last[1][1], last[1][2])
    dims = {u: d for sc, x in gathered for u, d in zip(sc, x[0].shape[2:])}
    sdims = tuple(dims[u] for u in shared)
    n1 = math.prod(dims[u] for u in only1)
    n2 = math.prod(dims[u] for u in only2)
    if left is None:
        out, top, exact = rows.total(right, 2 + len(shared))
        out = out.reshape(out.shape[:2] + sdims + (1, n2))
    else:
        out, top, exact = rows.matmul(left, right, sdims + tuple(dims[u] for u in only1) + (dims[v],),
                                      sdims + (n1, dims[v]), sdims + (dims[v], n2), own_x=len(rest) > 1)
        left = right = None  # (the product of the rest, often as large as the result, goes before the transposed copy)
    out = out.reshape(out.shape[:2] + sdims + tuple(dims[u] for u in only1) + tuple(dims[u] for u in only2))
    have = shared + only1 + only2
    return np.ascontiguousarray(out.transpose((0, 1) + tuple(2 + have.index(u) for u in nbrs))), top, exact


#: in the fused step modulo the primes, where the three operands' bounds pass this many bits the first pairwise one
#: is multiplied into the message first (each einsum would otherwise take several digits)
_FOLD_BITS = 60.0
#: the fused step (:func:`_fused_step`) takes at most this many einsums (coefficient tuples), or one per coefficient:
#: where several operands are longer series (the kernels' path series, 7-17 coefficients) the general step's
#: products of series and BLAS products cost less (the four-clique family at [1, 16] took minutes)
_FUSED_TERMS = 6


def _fused_step(v, gathered, nbrs, rows: _Rows):
    """``Σ_v Π gathered`` where every factor lies on ``v`` and its two neighbours ``a, b`` and one lies on all three
    (the ``labels^3`` step that ends a core: a shared message ``M(v, a, b)``, the core's own pair factors ``A(v, a)``,
    ``B(v, b)`` and the unary series ``U(v)``), as ``Σ_v M · A · W`` with ``W = B · U`` in one pass over ``M`` per
    coefficient (:meth:`_Rows.sum3`; ``numpy.einsum``): the general step multiplied both pair factors into ``M``
    first, each a ``labels^3`` pass with its reduction (and, in the wrap pass, its digit copies for the matrix
    product with ``U``).  ``None`` where the factors are not of that form."""
    a, b = nbrs
    cubes: list = []
    sides: dict = {a: [], b: []}
    unary: list = []
    for sc, x in gathered:
        if len(set(sc)) != len(sc):
            return None
        if len(sc) == 3:
            cubes.append((sc, x))
        elif len(sc) == 2:
            sides[sc[0] if sc[1] == v else sc[1]].append((sc, x))
        else:
            unary.append((sc, x))
    if not cubes or (not sides[a] and not sides[b] and not isinstance(rows, _WrapRows)):
        # (without pairwise factors the general step multiplies the messages and takes the unary factors as one
        # BLAS matrix-vector product: less than an einsum; the wrap pass's matrix products go by digits)
        return None
    # the einsum's operands: the messages' product, then a weight per side with pairwise factors, the unary factors
    # in the last one (or their own); each a series or not
    def is_series(fs):
        return any(x[0].shape[1] > 1 for _, x in fs)

    weights = [sides[u] for u in (a, b) if sides[u]] or [[]]
    weights[-1] = weights[-1] + unary
    n = max(x[0].shape[1] for _, x in gathered)
    lengths = [n if is_series(fs) else 1 for fs in [cubes] + weights]
    if len(_coefficient_terms(lengths, n)) > max(_FUSED_TERMS, n):
        return None
    sc, m = cubes[0]
    extra = [(_expand(x[0], other, sc, 2),) + x[1:] for other, x in cubes[1:]]
    weights = []
    for u in (a, b):
        w = None
        for wsc, x in sides[u]:
            x = (_expand(x[0], wsc, (v, u), 2),) + x[1:]
            w = x if w is None else rows.times(w, x)
        if w is not None:
            weights.append([(v, u), w])
    for _, x in unary:  # (into the last weight: B where there is one)
        if not weights:
            weights.append([(v,), x])
        else:
            wsc, w = weights[-1]
            weights[-1][1] = rows.times(w, (_expand(x[0], (v,), wsc, 2),) + x[1:])
    letters = {v: "v", a: "a", b: "b"}
    ops = [(m, "".join(letters[u] for u in sc))] + [(w, "".join(letters[u] for u in wsc)) for wsc, w in weights]
    return rows.sum3(ops, extra)


def _coefficient_terms(lengths, n: int):
    """``[(s, (i, j, ...))]``: the coefficient indices, one per series operand of length ``lengths``, whose sum ``s``
    is below the result's length ``n`` (a constant operand has the index 0 only)."""
    return [(sum(idx), idx) for idx in itertools.product(*(range(min(k, n)) for k in lengths)) if sum(idx) < n]


def _to_subscripts(a: np.ndarray, subs: str, target: str) -> np.ndarray:
    """``a`` (rows, series axis, then an axis per letter of ``subs``) as a view with an axis per letter of ``target``
    (length one where ``subs`` lacks it), for a broadcast product."""
    lead = a.ndim - len(subs)
    order = sorted(range(len(subs)), key=lambda i: target.index(subs[i]))
    view = a.transpose(tuple(range(lead)) + tuple(lead + i for i in order))
    shape = list(a.shape[:lead]) + [1] * len(target)
    for i in order:
        shape[lead + target.index(subs[i])] = a.shape[lead + i]
    return view.reshape(shape)


def _take(a: np.ndarray, subs: str, lo: int, hi: int) -> np.ndarray:
    """``a`` (rows, then an axis per letter of ``subs``) for the labels ``lo .. hi - 1`` of ``v`` (a view)."""
    i = 1 + subs.index("v")
    return a[(slice(None),) * i + (slice(lo, hi),)]


def _sum3_terms(ops) -> int:
    """Products summed into one entry of ``Σ_v Π ops`` (:func:`_einsum_series`): labels of ``v`` times the most
    coefficient tuples of one sum."""
    lengths = [x[0].shape[1] for x, _ in ops]
    per = collections.Counter(s for s, _ in _coefficient_terms(lengths, max(lengths)))
    x, subs = ops[0]
    return x[0].shape[2 + subs.index("v")] * max(per.values())


def _einsum_series(ops, dtype):
    """``Σ_v`` of the product of ``ops`` (``(array, subscripts)``: rows, series axis, then one axis per subscript
    letter; the letters ``v``, ``a``, ``b``) as an array (rows, coefficients, a, b) of ``dtype``, series truncated
    at the longest operand's length; sums and products as numpy takes them in ``dtype`` (exact where the caller's
    bound says so, or modulo 2^64 in uint64)."""
    ops = [(x[0] if isinstance(x, tuple) else x, subs) for x, subs in ops]
    n = max(x.shape[1] for x, _ in ops)
    spec = ",".join("..." + s for _, s in ops) + "->...ab"
    out = None
    for s, idx in _coefficient_terms([x.shape[1] for x, _ in ops], n):
        part = np.einsum(spec, *(x[:, i] for (x, _), i in zip(ops, idx)))
        if out is None:
            out = np.zeros(part.shape[:1] + (n,) + part.shape[1:], dtype=dtype)
        out[:, s] += part
    return out


def _absorb(gathered, rows: _Rows):
    """Multiply every factor whose scope lies inside another's into that one (pointwise, so no tensor
    grows): two edges between the same pair of variables cost M² per batch entry instead of widening the
    matrix product to an M³ tensor.  Unary factors stay apart while at most one other factor is left: the
    matrix product takes them as its left side without an M² pass.  Series go into series where they
    can (a product of two series sides would cost a matrix product per pair of coefficients)."""
    merged: list = []
    unary: list = []
    for sc, x in sorted(gathered, key=lambda f: (-len(f[0]), -f[1][0].shape[1])):
        if len(sc) == 1:
            unary.append((sc, x))
            continue
        for i, (big, bx) in enumerate(merged):
            if set(sc) <= set(big):
                merged[i] = (big, rows.times(bx, (_expand(x[0], sc, big, 2),) + x[1:]))
                break
        else:
            merged.append((sc, x))
    if len(merged) <= 1:
        return merged + unary
    for sc, x in unary:  # into the widest factor (the product's right side), a series one if any
        width = len(merged[0][0])
        i = max((j for j, f in enumerate(merged) if len(f[0]) == width),
                key=lambda j: (x[0].shape[1] > 1 and merged[j][1][0].shape[1] > 1, -j))
        big, bx = merged[i]
        merged[i] = (big, rows.times(bx, (_expand(x[0], sc, big, 2),) + x[1:]))
    return merged


#: messages over at least this many variables go into a :class:`Memo` (a narrower one costs less to
#: compute again than to keep)
_MEMO_WIDTH = 2


class Memo:
    """Messages of elimination steps shared between contractions (:func:`contract_series` with ``memo``).

    The quotient components a count contracts repeat sub-problems: a 4-clique of objects whose fourth
    object's three edges point the same ways is eliminated to the same ``labels^3`` message in every
    graph that holds it, at ``labels^4`` products per prime.  A step's key says what it computes (the keys
    of its factors and how their scopes sit on its variables, :func:`_step_key`); an input factor's key is
    the identity of its array, held here so that the identity cannot be reused.  Messages are kept per
    prime, as float32 (residues are integers below 2^23 in absolute value: exact in float32's 24-bit
    significand), the least recently used dropped beyond ``max_bytes``.

    >>> import numpy as np
    >>> m = Memo()
    >>> F = np.array([[1, 2], [3, 4]], dtype=object)
    >>> u = np.array([[1, 1], [0, 2]], dtype=object)
    >>> tri = [((0,), u), ((1,), u), ((2,), u), ((0, 1), F), ((1, 2), F), ((0, 2), F)]
    >>> contract_series(tri, 1, memo=m) == contract_series(tri, 1)
    True
    """

    def __init__(self, max_bytes: int = 128 << 20):
        self.max_bytes = max_bytes
        self._inputs: dict = {}
        self._steps: dict = {}
        self._rows: collections.OrderedDict = collections.OrderedDict()
        self._count = 0
        self.bytes = 0
        self.hits = 0
        #: contractions still to come that use each planned step (:meth:`expect`)
        self._uses: dict = {}
        #: where the plan is in order (:meth:`expect` with ``order``): per step, the positions of the contractions
        #: to come that use it, and the position of the next contraction
        self._next: dict = {}
        self._planned = 0
        #: the position of the next contraction to be released (:meth:`release`, in the plan's order)
        self._at = 0
        #: the steps whose float pass's message was not exact (:meth:`proved_large`)
        self._large: set = set()
        #: where contractions run pass by pass (:meth:`pass_major`): how many in a group, and the pass running now
        self._group: list | None = None
        self._pass: int | None = None
        self._offset = 0

    def expect(self, uses: dict, *, order: list | None = None) -> None:
        """A plan: ``{step key: how many contractions to come use it}`` (from :func:`plan_steps`).  A planned
        message is dropped as soon as its last user is done (:meth:`release`), not only when it is the least
        recently used: with the contractions ordered so that those sharing steps are near, what is kept is
        what is still needed.  ``order``: the keys of each contraction to come, in the order they come (one
        :meth:`release` each, in that order); then, where still-needed messages must go, the one needed again
        the latest goes first (Belady's rule: the fewest recomputations), not the least recently used (at
        ``[1, 16]`` the cores' ``labels^3`` messages of ~40 MB each recomputed 335 of 709 times with LRU)."""
        for key, n in uses.items():
            self._uses[key] = self._uses.get(key, 0) + n
        if order is not None and not self._next:  # (nothing planned is outstanding: positions from 0 again)
            self._planned = self._at = 0
        for at, keys in enumerate(order or (), start=self._planned):
            for key in dict.fromkeys(keys):
                self._next.setdefault(key, collections.deque()).append(at)
        self._planned += len(order or ())

    def pass_major(self, groups) -> None:
        """The planned contractions run pass by pass in groups (:func:`run_pass_major` over each group, then one
        :meth:`release` per contraction), consecutive in the plan's order from the next one to be released:
        ``groups`` of that many each, or a list of where each group starts (counted from the next one to be
        released).  Where still-needed rows must go, the one needed again latest goes first, by when its pass
        comes (a float row needed by this group's float pass that is over waits for the next group's).
        ``None``: one contraction after another again."""
        if groups is None:
            self._group = None
        elif isinstance(groups, int):
            self._group = list(range(self._at, max(self._planned, self._at + 1), groups))
        else:
            self._group = [self._at + g for g in groups]
        self._pass = None

    def replan(self, *, drop: bool = False) -> None:
        """Forget the plan (:meth:`expect`, :meth:`pass_major`; the next :meth:`expect` starts one), keeping the
        messages (``drop``: not them) and the keys' numbering: for a process that goes on with other planned
        contractions than the next (``.cores._split_passes``)."""
        if drop:
            self._rows.clear()
            self.bytes = 0
        self._uses.clear()
        self._next.clear()
        self._planned = self._at = 0
        self._group = self._pass = None

    def at_pass(self, rank: int | None, offset: int = 0) -> None:
        """The pass running now (:data:`_FLOAT_PASS`, ...; from :func:`run_pass_major`), for the contraction
        ``offset`` places after the group's first."""
        self._pass = rank
        self._offset = offset

    def _when(self, row):
        """When the plan needs ``row`` (a key and a pass row) next, as a sortable time; ``None``: not again.  Pass
        by pass, a use is ``(its group's first contraction, its pass, its contraction)``: a row of a pass that
        is over, or of this pass where its users in this group are done, waits for the next group."""
        queue = self._next.get(row[0])
        if not queue:
            return None
        if self._group is None or self._pass is None:
            return (queue[0],)
        starts, now, rank = self._group, self._at, None if row[1] is None else _row_pass(row[1])
        after = bisect.bisect_right(starts, now)
        end = starts[after] if after < len(starts) else math.inf  # (this group's end)
        pos = now + self._offset
        first = None  # (this group's first user: an exact row serves every pass)
        for at in queue:
            if at >= end:  # a later group
                if first is not None and rank is None:
                    return (now, self._pass + 1, first)
                return (starts[bisect.bisect_right(starts, at) - 1], _FLOAT_PASS if rank is None else rank, at)
            if first is None:
                first = at
            if (rank is None or rank == self._pass) and at >= pos:
                return (now, self._pass, at)
            if rank is not None and rank > self._pass:
                return (now, rank, at)
        return None if first is None or rank is not None else (now, self._pass + 1, first)

    def release(self, keys) -> None:
        """One contraction that used the planned steps ``keys`` is done: messages without further users go."""
        self._at += 1
        for key in keys:
            queue = self._next.get(key)
            if queue:
                queue.popleft()
                if not queue:
                    del self._next[key]
            n = self._uses.get(key)
            if n is None:
                continue
            if n > 1:
                self._uses[key] = n - 1
                continue
            del self._uses[key]
            for row in (None,) + tuple(range(_WRAP_ROW, len(PRIMES))):
                old = self._rows.pop((key, row), None)
                if old is not None:
                    self.bytes -= old[0].nbytes

    def input(self, a, width: int) -> int:
        """The key of an input factor ``a`` over ``width`` variables."""
        hit = self._inputs.get((id(a), width))
        if hit is None or hit[0] is not a:
            self._count += 1
            hit = self._inputs[(id(a), width)] = (a, self._count)
        return hit[1]

    def step(self, what) -> int:
        """The key of a step described by ``what``."""
        key = self._steps.get(what)
        if key is None:
            key = self._steps[what] = -1 - len(self._steps)
        return key

    def shared(self, key: int) -> bool:
        """Whether the plan (:meth:`expect`) has contractions after this one that use step ``key``."""
        return self._uses.get(key, 0) > 1

    def proved_large(self, key: int) -> bool:
        """Whether the float pass found step ``key``'s message at or above 2^52 (not exact: the other passes need not try
        an exact product first; at ``[1, 16]`` such tries took ~5 % of the cores' steps)."""
        return key in self._large

    def has(self, key: int, primes: range) -> bool:
        return ((key, None) in self._rows or all((key, i) in self._rows for i in primes)
                or (primes[0] == _FLOAT_ROW and self._is_value((key, _WRAP_ROW))))

    def _is_value(self, row) -> bool:
        """Whether the wrap pass's row ``row`` holds the message's values themselves (proved below 2^64)."""
        kept = self._rows.get(row)
        return kept is not None and len(kept) > 2

    def get(self, key: int, primes: range):
        """The message of step ``key`` as an ``(array, top)`` pair: exact if it was computed so, else its
        residues modulo ``PRIMES[i]`` for ``i`` in ``primes`` (stacked); ``None`` if not here."""
        hit = self._rows.get((key, None))
        if hit is not None:
            self._rows.move_to_end((key, None))
            self.hits += 1
            return hit
        if not all((key, i) in self._rows for i in primes):
            if primes[0] == _FLOAT_ROW and self._is_value((key, _WRAP_ROW)):
                # the float pass's row from the values themselves: one rounding each (a float64 conversion, where
                # computing the step again in float64 costs a labels^(w+1) matrix product)
                self._rows.move_to_end((key, _WRAP_ROW))
                self.hits += 1
                return self._rows[(key, _WRAP_ROW)][0].astype(np.float64), 1.0, False
            return None
        for i in primes:
            self._rows.move_to_end((key, i))
        self.hits += 1
        kept = [self._rows[(key, i)] for i in primes]
        if primes[0] == _WRAP_ROW:
            return kept[0][0], kept[0][1], False
        return np.concatenate([row for row, _ in kept], dtype=np.float64), max(top for _, top in kept), False

    def put(self, key: int, primes: range, message) -> None:
        arr, top, exact = message
        if exact:  # one array for every prime (float64: integers up to 2^52)
            if (key, None) not in self._rows:
                self._rows[(key, None)] = message
                self.bytes += arr.nbytes
        else:  # a row per prime (float32 where the entries fit its significand)
            if primes[0] == _FLOAT_ROW:
                self._large.add(key)
            dtype = np.float32 if top <= 1 << 24 and primes[0] >= 0 else np.float64
            for i, row in zip(primes, arr):
                if (key, i) not in self._rows:
                    # (the wrap pass's uint64 residues as they are)
                    kept = self._rows[(key, i)] = (row[None] if i == _WRAP_ROW else row[None].astype(dtype), top)
                    self.bytes += kept[0].nbytes
                    if i == _WRAP_ROW and (key, _FLOAT_ROW) in self._rows:
                        # the float pass's row bounds the values: y <= ŷ·(1 + N·2^-52) with N its roundings (taken
                        # 4x); all below 2^64, the residues modulo 2^64 are the values themselves, and the float
                        # row can go first and come back from them (:meth:`get`)
                        approx, rounds = self._rows[(key, _FLOAT_ROW)]
                        high = float(approx.max(initial=0.0)) * (1 + rounds * 2.0 ** -50) + 2
                        if rounds < 1 << 30 and high < 2.0 ** 63:
                            self._rows[(key, i)] = kept + (True,)
        if self.bytes > self.max_bytes and self._uses:
            # messages that no planned contraction still needs go first, the least recently used of them first
            for row in [row for row in self._rows if row[0] not in self._uses]:
                self.bytes -= self._rows.pop(row)[0].nbytes
                if self.bytes <= self.max_bytes:
                    break
            if self.bytes > self.max_bytes and self._next and self._group is not None and self._pass is not None:
                # pass by pass: rows not needed again first, then the one needed again the latest (Belady's rule,
                # each row by its own pass: :meth:`_when`)
                def when(row):
                    at = self._when(row)
                    return (1,) if at is None else (0, at)
                for row in sorted(self._rows, key=when, reverse=True):
                    self.bytes -= self._rows.pop(row)[0].nbytes
                    if self.bytes <= self.max_bytes:
                        break
            if self.bytes > self.max_bytes and self._next:
                # then the float pass's rows (first those that come back from the wrap pass's row, :meth:`get`),
                # then the others, each needed again the latest first (in the plan's order; stable: least recent
                # first): a float row costs the least to compute again for its bytes (one float64 matrix product,
                # no reductions: at [1, 16] ~2.5 ms per MB against ~6-7 for the wrap pass's and the primes' rows)
                def later(row):
                    queue = self._next.get(row[0])
                    kind = (0 if self._is_value((row[0], _WRAP_ROW)) else 1) if row[1] == _FLOAT_ROW else 2
                    return kind, -queue[0] if queue else -math.inf
                for row in sorted(self._rows, key=later):
                    self.bytes -= self._rows.pop(row)[0].nbytes
                    if self.bytes <= self.max_bytes:
                        break
        while self.bytes > self.max_bytes and self._rows:
            _, old = self._rows.popitem(last=False)
            self.bytes -= old[0].nbytes

    def clear(self, *, forget: bool = False, keep=()) -> None:
        """Drop every message and input (the arrays are no longer held), and the plan; with ``forget``, also
        what this module caches for the inputs (their residues, float64 copies and sums: :func:`forget`), for
        inputs that no later contraction passes again (all but the ids in ``keep``)."""
        if forget:
            keep = set(keep)
            globals()["forget"](*(a for a, _ in self._inputs.values() if id(a) not in keep))
        self._inputs.clear()
        self._steps.clear()
        self._rows.clear()
        self._large.clear()
        self._uses.clear()
        self._next.clear()
        self._planned = 0
        self._at = 0
        self._group = self._pass = None
        self.bytes = 0


class _PlanMemo:
    """What :func:`plan_steps` passes as the memo: the real memo's keys, its own record of the steps asked for,
    and every message it saw kept (as if the memo were unbounded)."""

    def __init__(self, memo: Memo, kept: dict):
        self.memo = memo
        self.kept = kept
        self.asked: list = []

    def input(self, a, width: int) -> int:
        return self.memo.input(a, width)

    def step(self, what) -> int:
        return self.memo.step(what)

    def has(self, key: int, primes) -> bool:
        return key in self.kept

    def proved_large(self, key: int) -> bool:
        return False

    def shared(self, key: int) -> bool:
        return False

    def get(self, key: int, primes):
        self.asked.append(key)
        return self.kept.get(key)

    def put(self, key: int, primes, message) -> None:
        self.kept[key] = message


def plan_uses(plans) -> dict:
    """``{step key: how many of the planned contractions use it}`` from each contraction's keys (:func:`plan_steps`),
    what :meth:`Memo.expect` is told.

    >>> plan_uses([[1, 2], [2, 3], [2]])
    {1: 1, 2: 3, 3: 1}
    """
    uses: dict = {}
    for keys in plans:
        for k in keys:
            uses[k] = uses.get(k, 0) + 1
    return uses


def plan_steps(factors, degree: int, memo: Memo, kept: dict) -> list[int]:
    """The keys of the steps (in ``memo``'s numbering) that :func:`contract_series` with ``memo`` asks for on
    ``factors``, by a dry run of its elimination on one label per variable (the same scopes, series lengths,
    bounds and exactness of the inputs; microseconds per step).  ``kept``: the messages of earlier dry runs
    (a dict the caller keeps for one plan), so that the order of choice follows a memo that holds them.  An
    estimate: the real run may choose otherwise where its bounds differ; only what the memo keeps depends
    on it."""
    if not factors:
        return []
    proxy = _PlanMemo(memo, kept)
    rows = []
    for sc, a in factors:
        series = np.ndim(a) == len(sc) + 1
        terms = np.shape(a)[0] if series else 1
        top = float(_stat(a, "max"))
        shape = (1, terms) + (1,) * len(sc)
        if top < _EXACT:
            rows.append((sc, (np.full(shape, top), top, True), proxy.input(a, len(sc))))
        else:
            rows.append((sc, (np.full(shape, _RESIDUE), _RESIDUE, False), proxy.input(a, len(sc))))
    with np.errstate(all="ignore"):
        _eliminate(rows, np.array([float(PRIMES[0])]), memo=proxy, primes=range(0, 1))
    return proxy.asked


_CONTROLLER: ThreadpoolController | None = None
#: how many :func:`_one_blas_thread` contexts are open (only the outermost one changes the limits)
_DEPTH = 0


@contextlib.contextmanager
def _one_blas_thread():
    """A context with one BLAS thread: the eliminations are many small matrix products, where threads
    cost more than they give (on a busy 2-core machine a (160, 95, 95) batch took 0.2 s with two
    OpenBLAS threads and 0.03 s with one).  Entered once per contraction (the context costs more than a
    small product), or once around many contractions (a set-up counting a union's parts): a context opened
    inside another one changes nothing."""
    global _CONTROLLER, _DEPTH
    if _DEPTH:
        _DEPTH += 1
        try:
            yield
        finally:
            _DEPTH -= 1
        return
    if _CONTROLLER is None:
        _CONTROLLER = ThreadpoolController()
    with _CONTROLLER.limit(limits=1, user_api="blas"):
        _DEPTH = 1
        try:
            yield
        finally:
            _DEPTH = 0


#: a series matrix product (:func:`_matmul`) whose result has at least this many entries per row and coefficient
#: takes its parts one pair of coefficients at a time: a part of one coefficient instead of up to ``n`` (at [1, 16]
#: the four-clique's ``labels^4`` steps held 96 MB less), at the cost of a numpy call per pair
_PAIR_ENTRIES = 1 << 16


def _live_coefficients(x: np.ndarray, n: int, uses: int) -> list[bool]:
    """Which of the first ``n`` coefficients (axis 1) of ``x`` are not all zero, where each entry of ``x`` serves
    ``uses`` multiply-adds of a matrix product (the other side's rows or columns); with fewer than
    :data:`_LIVE_USES`, every coefficient counts as live (the test would cost about what the product does).  The
    kernels' edge factors have no ``s^1`` term (a bundle's complexity beyond one relation is 0, 2, 3, ...), nor
    has a product of them: in the four-clique's largest step 6 of the 28 ``labels^4`` pair products multiplied
    zeros.

    >>> x = np.zeros((1, 3, 4, 4)); x[:, 0] = x[:, 2] = 1.0
    >>> _live_coefficients(x, 3, 126), _live_coefficients(x, 3, 1)
    ([True, False, True], [True, True, True])
    """
    if uses < _LIVE_USES:
        return [True] * n
    return [bool(x[:, i].any()) for i in range(n)]


#: see :func:`_live_coefficients`
_LIVE_USES = 16


def _series_matmul(a: np.ndarray, b: np.ndarray, product, group: int = 1, finish=_same) -> np.ndarray:
    """Coefficient ``s`` of the series matrix product ``a @ b`` (axis 1 the series axis of both, ``n`` the shorter
    length): ``Σ_i product(a_i, b_(s-i))`` in float64, as it comes (the caller reduces it), where ``product`` takes
    one coefficient of ``a`` and one or more of ``b``.  A part of an all-zero coefficient adds nothing and is left
    out (:func:`_live_coefficients`); large results go one pair of coefficients at a time (:data:`_PAIR_ENTRIES`),
    ``group`` parts of one coefficient summed as they come and then taken through ``finish`` (a reduction: the
    caller's bound says that a sum of ``group`` parts stays exact).

    >>> a = np.arange(12.0).reshape(1, 3, 2, 2); a[:, 1] = 0.0
    >>> b = np.ones((1, 3, 2, 2))
    >>> _series_matmul(a, b, np.matmul)[0, :, 0, 0].tolist()
    [1.0, 1.0, 18.0]
    """
    n = min(a.shape[1], b.shape[1])
    live_a, live_b = _live_coefficients(a, n, b.shape[-1]), _live_coefficients(b, n, a.shape[-2])
    rows = np.broadcast_shapes(a.shape[:1] + a.shape[2:-2], b.shape[:1] + b.shape[2:-2])
    out = np.zeros(rows[:1] + (n,) + rows[1:] + (a.shape[-2], b.shape[-1]))
    if math.prod(out.shape[2:]) >= _PAIR_ENTRIES:  # one coefficient of each side at a time: a part of one, not n - i
        for s in range(n):
            terms = [(i, s - i) for i in range(s + 1) if live_a[i] and live_b[s - i]]
            for lo in range(0, len(terms), group):
                acc = None
                for i, j in terms[lo:lo + group]:
                    part = product(a[:, i:i + 1], b[:, j:j + 1])
                    acc = part if acc is None else np.add(acc, part, out=acc)
                out[:, s:s + 1] += finish(acc)
        return out
    for i in range(n):
        if live_a[i]:
            out[:, i:] += finish(product(a[:, i:i + 1], b[:, :n - i]))
    return out


def _matmul(a: np.ndarray, b: np.ndarray, reduce) -> np.ndarray:
    """``(a @ b) mod p`` per modulus over the last two axes, exactly, by float64 BLAS: residues are at
    most ~2^22 in absolute value, so every product is below 2^44 and a block of 2^7 of them sums below
    2^51 (exact in a double).  Axis 1 is the series axis: where both sides are series, coefficient
    ``s`` is ``Σ_i a_i @ b_(s-i)``."""
    sa, sb = a.shape[1], b.shape[1]
    if sa > 1 and sb > 1:
        # (reduced parts, |r| <= 2^22.01: a sum of up to 2^29 of them stays exact, so one reduction at the end
        # instead of one per coefficient; where one block of the inner axis takes the whole sum, as many products of
        # residues as stay below 2^52 together are summed before their one reduction: 2 at 126 labels)
        inner = a.shape[-1]
        group = int((_EXACT - 1) // (inner * _RESIDUE * _RESIDUE)) if inner <= _MATMUL_BLOCK else 1
        if group >= 2:
            return reduce(_series_matmul(a, b, np.matmul, group, lambda x: reduce(x)))
        return reduce(_series_matmul(a, b, lambda x, y: _matmul(x, y, reduce)))
    inner = a.shape[-1]
    if inner <= _MATMUL_BLOCK:
        return reduce(np.matmul(a, b))
    out = None
    for s in range(0, inner, _MATMUL_BLOCK):
        blk = slice(s, s + _MATMUL_BLOCK)
        part = reduce(np.matmul(a[..., blk], b[..., blk, :]))
        out = part if out is None else np.add(out, part, out=out)
    return reduce(out)


def _matmul_exact(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` of exact arrays whose every sum is known to stay below 2^52 (series as in :func:`_matmul`)."""
    sa, sb = a.shape[1], b.shape[1]
    if sa > 1 and sb > 1:
        return _series_matmul(a, b, np.matmul)
    return np.matmul(a, b)


#: residues of factor arrays the counter passes again and again (its factor caches keep them alive;
#: the array itself is held here too, so that its id cannot be reused while cached)
_RESIDUES: dict = {}
_RESIDUES_KEPT = 4096


def _residues(a, k: int) -> np.ndarray:
    hit = _RESIDUES.get(id(a))
    if hit is None or hit[0] is not a or hit[1].shape[0] < k:
        # machine integers stay machine integers (their remainders are exact in int64); anything else is
        # reduced as Python integers
        arr = a if isinstance(a, np.ndarray) and a.dtype.kind == "i" else np.asarray(a, dtype=object)
        kk = max(k, 8)
        # symmetric residues (|r| <= p/2) as float64: the form :func:`_eliminate` works in
        stacked = np.stack([_symmetric(arr, p) for p in PRIMES[:kk]])
        if len(_RESIDUES) >= _RESIDUES_KEPT:
            _RESIDUES.clear()
        hit = _RESIDUES[id(a)] = (a, stacked)
    return hit[1][:k]


def _exact(a) -> np.ndarray:
    """``a`` (non-negative integers below 2^52) as float64, cached like its residues."""
    hit = _EXACTS.get(id(a))
    if hit is None or hit[0] is not a:
        if len(_EXACTS) >= _RESIDUES_KEPT:
            _EXACTS.clear()
        hit = _EXACTS[id(a)] = (a, np.asarray(a, dtype=np.float64))
    return hit[1]


_EXACTS: dict = {}


def _symmetric(arr: np.ndarray, p: int) -> np.ndarray:
    r = (arr % p).astype(np.int64)
    return np.where(r > p // 2, r - p, r).astype(np.float64)


def forget(*arrays) -> None:
    """Drop what this module caches for the ``arrays`` (residues, float64 copies, statistics and bounds): for
    callers whose large factor arrays are short-lived (a count's kernels, :mod:`.kernels`)."""
    ids = {id(a): a for a in arrays}
    for cache in (_RESIDUES, _EXACTS):
        for key in [key for key, hit in cache.items() if ids.get(key) is hit[0]]:
            del cache[key]
    for key in [key for key, hit in _STATS.items() if ids.get(key[0]) is hit[0]]:
        del _STATS[key]


#: ``_MODULUS_BITS[k]``: a lower bound on log2 of the product of the first ``k`` primes
_MODULUS_BITS = [0.0] + list(itertools.accumulate(math.log2(p) - 1e-9 for p in PRIMES))


#: where a series is bounded (``x = 2^-j``, :func:`_tree_bound_bits`)
_XI_EXPONENTS = np.arange(16)


def _tree_bound_bits(factors, lead: int, is_series, sizes: dict, degree: int | None = None) -> float:
    """An upper bound on log2 of ``Σ_labels Π factors``, tighter than maxima alone: the sum over a
    spanning forest of the pairwise factors, computed exactly enough (float64 with a scale per message,
    one bit of margin for rounding), with every other factor bounded by something the forest sum takes
    in: unary factors of one variable multiplied together, a second pairwise factor on a forest edge's
    pair multiplied into it entry by entry, any other pairwise factor ``f(a, b)`` by its row maxima
    ``max_b f(a, b)`` (a unary factor of ``a``), wider ones by their largest entry.  Non-negative
    factors; a batch counts by its largest member.

    A truncated series ``P(x)`` (coefficients up to ``x^degree``, non-negative) is bounded at several
    points ``ξ = 2^-j <= 1`` at once: every coefficient ``[x^t] P <= P(ξ) / ξ^t <= P(ξ) / ξ^degree``, and
    the best ``j`` is kept (the value at ``x = 1`` alone counts every product of coefficients, also
    those of degree far above ``degree``; at ``d = 3`` on five objects that was 196 bits for a value of 120).
    ``P(ξ)`` of the truncated product is at most the product of the factors' values at ``ξ``."""
    series_any = degree is not None and any(is_series(sc, a) for sc, a in factors)
    js = _XI_EXPONENTS if series_any else _XI_EXPONENTS[:1]
    unary: dict = {}
    others = 0.0
    parent = {v: v for v in sizes}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def times_unary(v, vec):
        unary[v] = vec if v not in unary else unary[v] * vec

    def stat(sc, a):  # (points or 1, entries...)
        return _float_stat(a, lead, js if is_series(sc, a) else None)

    tree: dict = {}
    for sc, a in factors:
        if len(sc) == 1:
            times_unary(sc[0], stat(sc, a))
        elif len(sc) == 2 and sc[0] != sc[1]:
            f = stat(sc, a)
            if (sc[1], sc[0]) in tree:
                sc, f = (sc[1], sc[0]), f.transpose(0, 2, 1)
            if sc in tree:
                tree[sc] = tree[sc] * f
            elif find(sc[0]) != find(sc[1]):
                parent[find(sc[0])] = find(sc[1])
                tree[sc] = f
            else:
                times_unary(sc[0], f.max(axis=2, initial=0.0))
        else:
            m = _stat(a, "max1" if is_series(sc, a) else "max")
            if m == 0:
                return 0.0
            others += math.log2(m)
    if not all(np.isfinite(x).all() for x in itertools.chain(unary.values(), tree.values())):
        return math.inf  # beyond doubles (the maxima bound holds)
    # eliminate the forest leaf by leaf: messages (vectors over one variable, per point) with a log2 scale
    msg = {v: np.broadcast_to(unary.get(v, np.ones((1, sizes[v]))), (len(js), sizes[v])) for v in sizes}
    scale = {v: np.zeros(len(js)) for v in sizes}
    edges = list(tree.items())
    bits = others + (degree or 0) * js.astype(np.float64)
    while edges:
        degrees: dict = {}
        for (u, v), _ in edges:
            degrees[u] = degrees.get(u, 0) + 1
            degrees[v] = degrees.get(v, 0) + 1
        for i, ((u, v), f) in enumerate(edges):
            if degrees[u] == 1 or degrees[v] == 1:
                break
        del edges[i]
        leaf, keep = (u, v) if degrees[u] == 1 else (v, u)
        # sums over the leaf's labels
        if f.shape[0] == 1:  # the same matrix at every point: one matrix product
            m = msg[leaf] @ f[0].T if leaf == v else msg[leaf] @ f[0]
        else:
            m = (f @ msg[leaf][:, :, None])[:, :, 0] if leaf == v else (msg[leaf][:, None, :] @ f)[:, 0, :]
        top = m.max(axis=1, initial=0.0)
        if not top.all():
            return 0.0  # (a series that vanishes at some ξ > 0 is zero)
        msg[keep] = msg[keep] * (m / top[:, None])
        scale[keep] = scale[keep] + scale[leaf] + np.log2(top)
        del msg[leaf]
    for v, vec in msg.items():
        total = vec.sum(axis=1)
        if not total.all():
            return 0.0
        bits = bits + np.log2(total) + scale[v]
    return float(bits.min()) + 1.0  # (float rounding is far below one bit)


def _float_stat(a, lead: int, points) -> np.ndarray:
    """``a`` as float64 (rounded up) with a leading axis: its largest member for a batch (axis of length
    1), or for a series its values at ``x = 2^-j`` for ``j`` in ``points``."""
    key = (id(a), "float", lead, None if points is None else len(points))
    hit = _STATS.get(key)
    if hit is None or hit[0] is not a:
        arr = np.asarray(a, dtype=object)
        if points is None and lead:
            arr = arr.max(axis=0)
        try:
            out = np.asarray(arr, dtype=np.float64) * (1 + 2.0 ** -50)
        except OverflowError:  # beyond doubles: no finite bound from here (the maxima bound holds)
            out = np.full(np.shape(arr), np.inf)
        if points is None:
            out = out[None]
        else:  # Σ_t c_t ξ^t: powers of two, so only the sums round (far below the bound's bit)
            powers = np.exp2(-np.outer(points, np.arange(out.shape[0])))
            with np.errstate(invalid="ignore"):
                out = np.tensordot(powers, out, axes=1)
            out[np.isnan(out)] = np.inf
        if len(_STATS) >= _RESIDUES_KEPT:
            _STATS.clear()
        hit = _STATS[key] = (a, out)
    return hit[1]


def _stat(a, kind: str) -> int:
    """A cached statistic of an integer array: ``"sum"``, ``"max"``, ``"min"`` of its entries, or
    ``"max1"``: the largest entry of its sum over the first axis (a series' value at ``x = 1``)."""
    key = (id(a), kind)
    hit = _STATS.get(key)
    if hit is None or hit[0] is not a:
        arr = np.asarray(a, dtype=object)
        if kind == "max1":
            arr = arr.sum(axis=0)
        values = np.asarray(arr, dtype=object).reshape(-1).tolist()
        v = int(sum(values) if kind == "sum" else min(values, default=0) if kind == "min" else max(values, default=0))
        if len(_STATS) >= _RESIDUES_KEPT:
            _STATS.clear()
        hit = _STATS[key] = (a, v)
    return hit[1]


_STATS: dict = {}


def contract_int(factors, batch: int | None = None, keep: int | None = None, memo: Memo | None = None):
    """``Σ_labels Π factors`` exactly, for factors of non-negative integers (``(scope, array)`` pairs).

    Same result as :func:`.burnside.contract`'s scalar, without Python-integer arrays.  With
    ``batch = B`` every array has a leading axis of length ``B`` (B problems of the same shape, e.g.
    the inclusion–exclusion terms of :mod:`.counters`) and the result is a list of ``B`` integers.
    ``keep = v`` leaves variable ``v`` out of the sum (it must have a unary factor): each result is
    then a list over ``v``'s values (the marginal, what exact sequential sampling draws from).
    ``memo``: a :class:`Memo` (without ``batch`` and ``keep``), as for :func:`contract_series`.
    """
    if not factors:
        return 1 if batch is None else [1] * batch
    # (with a batch, sums and maxima over the whole batch bound every member)
    out = [row[0] for row in _contract(factors, 0 if batch is None else 1, batch or 1, keep=keep, memo=memo)]
    return out[0] if batch is None else out


def contract_series(factors, degree: int, memo: Memo | None = None, *, dense: bool = False) -> list[int]:
    """The coefficients of ``x^0 .. x^degree`` of ``Σ_labels Π factors`` where factors may be
    polynomials in ``x`` with non-negative integer coefficients, computed modulo ``x^(degree+1)``.

    A factor ``(scope, array)`` with one axis more than its scope is a polynomial: axis 0 holds its
    coefficients of ``x^0 .. x^degree`` (exactly ``degree + 1`` of them); the others are constants.
    A product of a matrix by a constant costs one matrix product per coefficient, where evaluating at
    the ``n·degree + 1`` points a product of ``n`` such factors needs would cost one per point.
    ``memo``: a :class:`Memo` whose messages this contraction may use and add to (the same values).
    ``dense``: where four variables are left joined pairwise with a message among their factors, sum them by
    :func:`.dense.clique4_series`, once for every prime, where there is no ``memo`` (with one the contractions
    share the plain steps of those rests, which costs less).

    >>> import numpy as np
    >>> u = np.array([[1, 2], [3, 0]], dtype=object)      # u(label 0) = 1 + 3x, u(label 1) = 2
    >>> contract_series([((0,), u), ((1,), u), ((0, 1), np.ones((2, 2), dtype=object))], 1)
    [9, 18]
    """
    return _finish(contract_series_passes(factors, degree, memo, dense=dense))


def contract_series_passes(factors, degree: int, memo: Memo | None = None, *, dense: bool = False):
    """:func:`contract_series` as a generator of its passes (the rank of each, before it runs; see
    :func:`run_pass_major`) that returns the coefficients."""
    if not factors:
        return [1] + [0] * degree
    for sc, a in factors:
        if np.ndim(a) == len(sc) + 1 and np.shape(a)[0] != degree + 1:
            raise ValueError("a series factor needs degree + 1 coefficients")
    if len(factors) >= 10:
        # five objects related pairwise: width four, a labels^4 message per prime; the dense path does its
        # labels^5 work in exact float64 matrix products, once for every prime (.dense)
        from .dense import clique5_series

        with _one_blas_thread():
            value = clique5_series(factors, degree, PRIMES)
        if value is not None:
            return value
    return (yield from _contract_passes(factors, 0, 1, degree, memo=memo, dense=dense))[0]


#: :func:`_contract_passes`'s ``front`` that asks for the float and wrap passes alone
_FRONT = "front"


def contract_series_front(factors, degree: int, memo: Memo | None = None, *, dense: bool = False):
    """The float and wrap passes of :func:`contract_series_passes` (a generator of their ranks, as it is) that
    return what its primes need of them, small and picklable: a tuple of the float pass's interval, the residues
    modulo 2^64 and the number of primes; or the coefficients themselves where the contraction has no passes (five
    objects related pairwise summed at once, :func:`.dense.clique5_series`; no factors).  Two processes can so split
    one contraction's passes, each with the memo rows of its own passes.

    >>> import numpy as np
    >>> u = np.array([[1, 2], [3, 0]], dtype=object)
    >>> tri = [((0,), u), ((1,), u), ((0, 1), np.ones((2, 2), dtype=object))]
    >>> front = _finish(contract_series_front(tri, 1))
    >>> _finish(contract_series_back(tri, 1, front)) == contract_series(tri, 1)
    True
    """
    if not factors or len(factors) >= 10:  # (no passes, or perhaps none: contract_series_passes)
        whole = contract_series_passes(factors, degree, memo, dense=dense)
        try:
            next(whole)
        except StopIteration as done:
            return done.value
        whole.close()
    return (yield from _contract_passes(factors, 0, 1, degree, memo=memo, dense=dense, front=_FRONT))


def contract_series_back(factors, degree: int, front, memo: Memo | None = None, *, dense: bool = False):
    """The passes of :func:`contract_series_passes` that :func:`contract_series_front` left (its ``front``): the
    primes' passes, then the coefficients from the three parts."""
    if isinstance(front, list):  # (the coefficients already)
        return front
        yield
    return (yield from _contract_passes(factors, 0, 1, degree, memo=memo, dense=dense, front=front))[0]


#: the float pass (:func:`_float_pass`) runs where the value's bound needs at least this many primes
_FLOAT_PASS_PRIMES = 3
#: ... and where its widest step times those primes holds at least this many entries (:func:`_float_pass_pays`)
_FLOAT_PASS_ENTRIES = 1 << 24
#: a float pass whose count of roundings passes this is not used (its error bound grows as N · 2^-53)
_FLOAT_ROUNDS_MAX = float(1 << 30)


def _float_pass_pays(factors, is_series, k: int) -> bool:
    """Whether the elimination's array work (its widest step times ``k`` primes) is large enough that a float
    pass, which costs about what one prime does, pays for the primes it may save (small eliminations are
    mostly Python steps, the same per pass)."""
    shaped = [(sc, np.broadcast_to(0.0, ((1,) if is_series(sc, a) else (1, 1)) + np.shape(a)))
              for sc, a in factors]
    return _largest_step(shaped) * k >= _FLOAT_PASS_ENTRIES


def _pass_inputs(factors, is_series, memo, inexact) -> list | None:
    """The factors as inputs of one pass in its own arithmetic (the float or the wrap pass): exact float64
    integers where every entry is below 2^52 (shared with the other passes through ``memo``), else
    ``inexact(array, shape)`` (the pass's ``(array, top, exact)`` value); ``None`` where that overflows."""
    inputs = []
    for sc, a in factors:
        key = None if memo is None else memo.input(a, len(sc))
        shape = np.shape(a) if is_series(sc, a) else (1,) + np.shape(a)
        top = float(_stat(a, "max"))
        if top < _EXACT:
            inputs.append((sc, (_exact(a).reshape((1,) + shape), top, True), key))
            continue
        try:
            inputs.append((sc, inexact(a, shape), key))
        except OverflowError:
            return None
    return inputs


def _float_pass(factors, is_series, keep, memo, values, terms: int, width: int, choices: dict | None = None):
    """The value once in float64 (:class:`_FloatRows`), to know it to within a proved error: ``(lows, highs,
    k)`` with every exact value (``[coefficient][kept value]``) in ``[low, high]`` and ``k`` the primes whose
    product passes ``high - low``, so that the value's residues modulo those ``k`` primes fix it
    (:func:`_nearest`).  Non-negative terms bounded by their values rather than by factor maxima: on a
    core of six objects and ten relations the maxima's bound asked for 7 primes where the value is below
    2^57 (one prime and this pass).  ``None`` where a factor or the value is beyond float64."""
    def rounded(a, shape):  # (a Python integer converts to the nearest double: one rounding)
        return np.asarray(np.asarray(a, dtype=object), dtype=np.float64).reshape((1,) + shape), 1.0, False

    inputs = _pass_inputs(factors, is_series, memo, rounded)
    if inputs is None:
        return None
    rows = _FloatRows()
    with _one_blas_thread():
        val = _eliminate(inputs, rows.mods, keep, memo=memo,
                         primes=None if memo is None else range(_FLOAT_ROW, _FLOAT_ROW + 1), dense=values,
                         rows=rows, choices=choices)
    rounds = rows.final_rounds
    val = val.reshape(val.shape[:2] + (-1,))[0]  # (coefficients, kept values or 1)
    if rounds > _FLOAT_ROUNDS_MAX or not np.isfinite(val).all():
        return None
    # y (1 - u)^N <= ŷ <= y (1 + u)^N, so |y - ŷ| <= ŷ · 2Nu = ŷ · N · 2^-52 while N·u is small; taken
    # with a factor 4 to spare, and a unit for the integers around ŷ
    slack = rounds * 2.0 ** -50
    lows = [[0] * width for _ in range(terms)]
    spread = 0
    for t in range(min(terms, val.shape[0])):
        for x in range(width):
            y = float(val[t, x])
            err = int(y * slack) + 2
            low = max(0, int(y) - err)
            lows[t][x] = low
            spread = max(spread, int(y) + err - low)
    k = 1
    while _MODULUS_BITS[k] <= spread.bit_length():
        k += 1
    return lows, spread.bit_length(), k


#: the wrap pass (:func:`_wrap_pass`) runs where the float pass leaves at least this many primes to compute
_WRAP_PASS_PRIMES = 2
#: ... and on series of at most this many coefficients: its digit copies of a long series (the kernels' path
#: series at [1, 16], 7-17 coefficients of labels^3 messages) took the four-clique family's peak from ~770 MB
#: to 1.43 GB, and its products per pair of coefficients and digits did not pay there
_WRAP_PASS_TERMS = 4


def _wrap_pass(factors, is_series, keep, memo, values, terms: int, width: int, choices: dict | None = None) -> list:
    """The value modulo ``2^64`` (:class:`_WrapRows`): ``[coefficient][kept value]`` as Python integers.  Its
    messages are kept in ``memo`` under their own row (:data:`_WRAP_ROW`); exact ones are shared with the other
    passes."""
    def wrapped(a, shape):  # (Python integers: their residues)
        arr = (np.asarray(a, dtype=object) % (1 << _WRAP_BITS)).astype(np.uint64).reshape((1,) + shape)
        return arr, _WRAP_TOP, False

    inputs = _pass_inputs(factors, is_series, memo, wrapped)
    rows = _WrapRows()
    with _one_blas_thread():
        val = _eliminate(inputs, rows.mods, keep, memo=memo,
                         primes=None if memo is None else range(_WRAP_ROW, _WRAP_ROW + 1), dense=values,
                         rows=rows, choices=choices)
    val = val.reshape(val.shape[:2] + (-1,))[0]  # (coefficients, kept values or 1)
    out = [[0] * width for _ in range(terms)]
    for t in range(min(terms, val.shape[0])):
        for x in range(width):
            out[t][x] = int(val[t, x])
    return out


def _nearest(r: int, low: int, modulus: int) -> int:
    """The integer congruent to ``r`` modulo ``modulus`` in ``[low, low + modulus)``."""
    return low + (r - low) % modulus


#: the rank of each pass of a contraction (:func:`_contract_passes`): the float pass, the wrap pass, then the slice
#: of primes that starts at prime ``i`` as ``_PRIME_PASS + i``
_FLOAT_PASS, _WRAP_PASS, _PRIME_PASS = 0, 1, 2


def _row_pass(row) -> int:
    """The pass (rank) that uses a :class:`Memo` row: the float pass's, the wrap pass's or prime ``row``'s."""
    return _FLOAT_PASS if row == _FLOAT_ROW else _WRAP_PASS if row == _WRAP_ROW else _PRIME_PASS + row


def _finish(passes):
    """Run a contraction's passes (:func:`_contract_passes`) one after another: its value."""
    try:
        while True:
            next(passes)
    except StopIteration as done:
        return done.value


def run_pass_major(contractions: list, memo: Memo | None = None, places: list | None = None) -> list:
    """The values of several contractions (each a generator of its passes: :func:`contract_series_passes`), pass by
    pass: the float pass of every one of them (in the order given), then every wrap pass, then every first prime,
    and so on, so that ``memo`` holds the messages of one pass at a time (its rows of one kind: 3-4x as many
    messages as when each contraction runs all its passes in a row) and each message is computed once per pass for
    all of them.  ``memo`` is told which pass runs and for which contraction of its plan's group (``places[i]``:
    contraction ``i``'s place after the group's first; :meth:`Memo.at_pass`).  The same values as one by one.

    >>> import numpy as np
    >>> u = np.array([[1, 2], [3, 0]], dtype=object)
    >>> pair = np.ones((2, 2), dtype=object)
    >>> jobs = [[((0,), u), ((1,), u), ((0, 1), pair)], [((0,), u), ((1,), u), ((2,), u), ((0, 1), pair), ((1, 2), pair)]]
    >>> run_pass_major([contract_series_passes(f, 1) for f in jobs]) == [contract_series(f, 1) for f in jobs]
    True
    """
    values: list = [None] * len(contractions)
    waiting: dict = {}  # contraction -> the rank of its next pass (in the order given)

    def advance(i):
        try:
            waiting[i] = next(contractions[i])
        except StopIteration as done:
            values[i] = done.value
            waiting.pop(i, None)

    with _one_blas_thread():  # (once around them all: each pass's own context then changes nothing)
        for i in range(len(contractions)):
            advance(i)
        while waiting:
            rank = min(waiting.values())
            for i in [i for i, r in waiting.items() if r == rank]:
                if memo is not None:
                    memo.at_pass(rank, 0 if places is None else places[i])
                advance(i)
    if memo is not None:
        memo.at_pass(None)
    return values


def _contract(factors, lead: int, b: int, degree: int | None = None, keep: int | None = None,
              memo: Memo | None = None, dense: bool = False) -> list[list]:
    """The exact values ``[problem][coefficient]`` (see :func:`contract_int`, :func:`contract_series`); with
    ``keep``, each value a list over the kept variable's values."""
    return _finish(_contract_passes(factors, lead, b, degree, keep, memo, dense))


def _contract_passes(factors, lead: int, b: int, degree: int | None = None, keep: int | None = None,
                     memo: Memo | None = None, dense: bool = False, front=None):
    """:func:`_contract` as a generator that yields the rank of each pass (:data:`_FLOAT_PASS`, ...) before it runs
    it and returns the values: what is kept between passes is small (the float pass's interval, the wrap pass's
    residues, the primes' results), so that many contractions can run pass by pass (:func:`run_pass_major`).
    ``front``: :data:`_FRONT` runs the float and wrap passes only and returns what the primes need of them, a
    tuple so returned runs the primes only (:func:`contract_series_front`, :func:`contract_series_back`)."""
    def is_series(sc, a):
        return degree is not None and np.ndim(a) == len(sc) + 1

    if any(_stat(a, "min") < 0 for _, a in factors):  # the bound needs non-negative terms
        raise ValueError("contract_int needs non-negative factors")
    # Σ_labels Π factors <= Π_variables (Σ of one unary factor) × Π_other factors max entry
    # (non-negative terms; a series counts by its value at x = 1, which bounds every coefficient):
    # the value's bits, without computing it
    bound = 1
    seen: set = set()
    for sc, a in factors:
        if len(sc) == 1 and sc[0] not in seen:
            seen.add(sc[0])
            bound *= _stat(a, "sum")
        else:
            bound *= _stat(a, "max1" if is_series(sc, a) else "max")
    sizes = {}
    for sc, a in factors:
        dims = np.shape(a)[1:] if is_series(sc, a) else np.shape(a)[lead:]
        sizes.update(zip(sc, dims))
    for v in sizes.keys() - seen:  # a variable without a unary factor: at most its number of labels
        bound *= sizes[v]
    need = min((bound + 1).bit_length(), _tree_bound_bits(factors, lead, is_series, sizes, degree))
    if need >= _MODULUS_BITS[-1]:
        raise ValueError(f"a value of up to 2^{need:.0f} is beyond the {len(PRIMES)} moduli")
    k = 1
    while _MODULUS_BITS[k] <= need:  # the smallest product of primes above 2^need > the value
        k += 1
    if lead or b != 1 or keep is not None:
        memo = None  # (its keys name messages of one problem, rows = primes)
    values: dict | None = {} if dense and b == 1 and not lead else None  # the dense path's, shared by the slices
    choices: dict | None = None if memo is None else {}  # (each step's candidates, the same in every pass)
    terms = 1 if degree is None else degree + 1
    width = 1 if keep is None else sizes[keep]
    approx = wrapped = None
    if isinstance(front, tuple):  # (the float and wrap passes ran elsewhere: :func:`contract_series_back`)
        approx, wrapped, k = front
    else:
        if b == 1 and not lead and k >= _FLOAT_PASS_PRIMES and _float_pass_pays(factors, is_series, k):
            yield _FLOAT_PASS
            approx = _float_pass(factors, is_series, keep, memo, values, terms, width, choices)
            if approx is not None:
                k = min(k, approx[2])
        if approx is not None and approx[2] == k and k >= _WRAP_PASS_PRIMES and terms <= _WRAP_PASS_TERMS:
            # the value's residue modulo 2^64 in one pass without reductions (_WrapRows), and the primes that the
            # float pass's interval still needs beyond it (often none or two instead of five)
            yield _WRAP_PASS
            wrapped = _wrap_pass(factors, is_series, keep, memo, values, terms, width, choices)
            k = 0
            while _WRAP_BITS + _MODULUS_BITS[k] <= approx[1]:
                k += 1
        if front is not None:  # (only the float and wrap passes here: :func:`contract_series_front`)
            return approx, wrapped, k
    primes = PRIMES[:k]
    mods = np.repeat(np.array(primes, dtype=np.float64), b)
    residues = []
    for sc, a in factors:
        key = None if memo is None else memo.input(a, len(sc))
        shape = np.shape(a) if is_series(sc, a) else (1,) + np.shape(a)[lead:]
        top = float(_stat(a, "max")) if b == 1 else None
        if top is not None and top < _EXACT:  # the integers themselves, one row for every prime
            residues.append((sc, (_exact(a).reshape((1,) + shape), top, True), key))
        else:
            residues.append((sc, (_residues(a, k).reshape((k * b,) + shape), _RESIDUE, False), key))

    # slices of the batch axis (primes x problems), so that no elimination step holds more than about
    # _CHUNK_ENTRIES entries at once (memory; an elimination of width w holds M^(w+1) per entry)
    # (a step's estimate counts labels^(w+1) entries where its matrix product holds labels^w per row:
    # contractions of one problem, the counter's quotient components, take 8x more rows at once, which
    # halved the passes through the elimination's Python steps at [1, 12] for ~25 MB more)
    budget = _CHUNK_ENTRIES * (8 if memo is not None else 1)
    step = max(1, budget // _largest_step([(sc, x[0]) for sc, x, _ in residues]))
    parts = []
    for lo in range(0, k * b, step):
        yield _PRIME_PASS + lo
        rows = [(sc, (a if exact else a[lo:lo + step], top, exact), key) for sc, (a, top, exact), key in residues]
        with _one_blas_thread():
            val = _eliminate(rows, mods[lo:lo + step], keep, memo=memo,
                             primes=None if memo is None else range(lo, min(lo + step, k)),
                             dense=values, choices=choices)
        val = val.reshape(val.shape[:2] + (-1,))  # (rows, coefficients, kept values or 1)
        full = np.zeros((val.shape[0], terms, width))
        full[:, :val.shape[1]] = val
        parts.append(full)
    res = (np.rint(np.concatenate(parts)).astype(np.int64).reshape(k, b, terms, width).tolist() if parts
           else [])
    # Chinese remainders
    modulus = math.prod(primes)
    coef = [(modulus // p) * pow(modulus // p, -1, p) for p in primes]
    if wrapped is not None:  # modulo 2^64 · the primes, in the float pass's neighbourhoods
        lows = approx[0]
        wide = modulus << _WRAP_BITS
        inverse = pow(modulus, -1, 1 << _WRAP_BITS)
        out = []
        for t in range(terms):
            row = []
            for x in range(width):
                r = sum(res[i][0][t][x] * coef[i] for i in range(k)) % modulus
                r += modulus * (((wrapped[t][x] - r) * inverse) % (1 << _WRAP_BITS))
                row.append(_nearest(r, lows[t][x], wide))
            out.append(row)
        return [[row[0] for row in out]] if keep is None else [out]
    if approx is not None and approx[2] == k:  # the float pass's neighbourhoods: one value in each
        lows = approx[0]
        out = [[[_nearest(sum(res[i][0][t][x] * coef[i] for i in range(k)) % modulus, lows[t][x], modulus)
                 for x in range(width)] for t in range(terms)]]
        return [[row[0] for row in out[0]]] if keep is None else out
    if keep is None:
        return [[sum(res[i][j][t][0] * coef[i] for i in range(k)) % modulus for t in range(terms)]
                for j in range(b)]
    return [[[sum(res[i][j][t][x] * coef[i] for i in range(k)) % modulus for x in range(width)]
             for t in range(terms)] for j in range(b)]
