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

>>> import numpy as np
>>> f = np.array([[10**12, 3], [5, 7]], dtype=object)
>>> contract_int([((0, 1), f), ((1,), np.array([2, 10**9], dtype=object))])
2010000000010
"""

from __future__ import annotations

import contextlib
import itertools
import math

import numpy as np
from threadpoolctl import ThreadpoolController

__all__ = ["contract_int", "contract_series", "forget", "PRIMES"]


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


# Every array below has two leading axes: the batch (moduli x problems) and the series axis, of
# length 1 for a factor that does not depend on x and degree + 1 for a truncated power series in x
# (coefficients of x^0 .. x^degree, see :func:`contract_series`).


def _mul(a: np.ndarray, b: np.ndarray, reduce) -> np.ndarray:
    """``a * b`` (broadcast), truncated at the series length when both are series."""
    sa, sb = a.shape[1], b.shape[1]
    if sa == 1 or sb == 1:
        return reduce(a * b)
    n = min(sa, sb)
    out = None
    for i in range(n):  # x^i of a times x^(s-i) of b, for s = i..n-1
        term = a[:, i:i + 1] * b[:, :n - i]
        if out is None:
            out = np.zeros(term.shape[:1] + (n,) + term.shape[2:], dtype=np.float64)
        out[:, i:] += term
        if i % 64 == 63:  # (sums of 2^6 products below 2^44 stay exact)
            out = reduce(out)
    return reduce(out)


#: elements reduced per pass of :func:`_reducer` (a block and its scratch stay in the CPU cache: a
#: reduction of a large array pass by pass over main memory was ~10x slower)
_REDUCE_BLOCK = 1 << 15


def _reducer(mods: np.ndarray):
    """``x -> x mod p`` per modulus (the leading axis), for float64 integers ``|x| < 2^52``, as the
    representative of absolute value ``<= p/2`` (+ a few units where the rounding of ``x / p`` ties).
    Works in place: callers pass fresh temporaries.

    Exact: ``x · (1/p)`` is within ``2^-21`` of ``x / p`` (``|x / p| < 2^30``), so its nearest integer ``q``
    is within ``1/2 + 2^-21`` of it, and ``q·p`` and ``x - q·p`` are integers below 2^53."""
    k = len(mods)
    inv = 1.0 / mods
    scratch = np.empty(_REDUCE_BLOCK)

    def reduce(x):
        if x.size <= _REDUCE_BLOCK or x.shape[0] != k:
            shape = (k,) + (1,) * (x.ndim - 1)
            q = x * inv.reshape(shape)
            np.rint(q, out=q)
            q *= mods.reshape(shape)
            return np.subtract(x, q, out=q)
        x = np.ascontiguousarray(x)
        rows = x.reshape(k, -1)
        n = rows.shape[1]
        for i in range(k):
            row, p, ip = rows[i], mods[i], inv[i]
            for lo in range(0, n, _REDUCE_BLOCK):
                blk = row[lo:lo + _REDUCE_BLOCK]
                q = scratch[:len(blk)]
                np.multiply(blk, ip, out=q)
                np.rint(q, out=q)
                q *= p
                blk -= q
        return x

    return reduce


def _eliminate(factors, mods: np.ndarray, keep=None):
    """Min-degree variable elimination (the order of :func:`.burnside.contract`) on residues
    (float64 arrays with a leading axis, one entry per modulus, then the series axis).  ``keep``: one
    variable left open (the result has its axis after the series axis)."""
    k = len(mods)
    reduce = _reducer(mods)
    remaining = {u for s, _ in factors for u in s} - {keep}
    scalar = np.ones((k, 1), dtype=np.float64)
    while remaining:
        def degree(v):
            return len({u for s, _ in factors if v in s for u in s} - {v})
        v = min(remaining, key=lambda u: (degree(u), u))
        gathered = [f for f in factors if v in f[0]]
        factors = [f for f in factors if v not in f[0]]
        union = tuple(sorted({u for s, _ in gathered for u in s}))
        nbrs = tuple(u for u in union if u != v)
        multi = [f for f in gathered if len(f[0]) > 1]
        if multi:
            new = _sum_product(v, gathered, nbrs, reduce)
        else:  # only unary factors of v: a plain sum
            prod = None
            for sc, arr in gathered:
                prod = arr if prod is None else _mul(prod, arr, reduce)
            new = reduce(prod.sum(axis=2))
        remaining.discard(v)
        if nbrs:
            factors.append((nbrs, new))
        else:
            scalar = _mul(scalar, new, reduce)
    for _, f in factors:  # only scalars (and factors of the kept variable) can be left
        if f.ndim > scalar.ndim:
            scalar = scalar.reshape(scalar.shape + (1,) * (f.ndim - scalar.ndim))
        elif scalar.ndim > f.ndim:
            f = f.reshape(f.shape + (1,) * (scalar.ndim - f.ndim))
        scalar = _mul(scalar, f, reduce)
    return scalar


def _sum_product(v, gathered, nbrs, reduce) -> np.ndarray:
    """``Σ_v Π gathered`` over ``nbrs`` as a batched matrix product: the widest factor on one side,
    the product of the others on the other, their shared neighbours as batch axes (M^(k+1)
    multiply-adds in C, never an M^(k+1) tensor of residues to reduce)."""
    gathered = _absorb(gathered, reduce)
    if len(gathered) == 1:  # one factor left: a plain sum over v
        (sc, arr), = gathered
        out = reduce(arr.sum(axis=2 + sc.index(v)))
        return np.ascontiguousarray(_expand(out, tuple(u for u in sc if u != v), nbrs, 2))
    # the right side: a widest factor, a series one if there is one (the others are then more often
    # constants, and a product with a constant side costs one matrix product per coefficient)
    width = max(len(f[0]) for f in gathered)
    last = max((f for f in gathered if len(f[0]) == width), key=lambda f: f[1].shape[1])
    rest = [f for f in gathered if f is not last]
    s2 = set(last[0])
    s1 = {u for sc, _ in rest for u in sc}
    shared = tuple(sorted((s1 & s2) - {v}))
    only1 = tuple(sorted(s1 - s2))
    only2 = tuple(sorted(s2 - s1 - {v}))
    order1 = shared + only1 + (v,)
    left = None
    for sc, arr in rest:
        e = _expand(arr, sc, order1, 2)
        left = e if left is None else _mul(left, e, reduce)
    right = _expand(last[1], last[0], shared + (v,) + only2, 2)
    k = right.shape[0]
    dims = {u: d for sc, arr in gathered for u, d in zip(sc, arr.shape[2:])}
    sdims = tuple(dims[u] for u in shared)
    n1 = math.prod(dims[u] for u in only1)
    n2 = math.prod(dims[u] for u in only2)
    if left is None:
        s = right.shape[1]
        out = right.sum(axis=2 + len(shared)).reshape((k, s) + sdims + (1, n2))
        out = reduce(out)
    else:
        left = np.broadcast_to(left, (k, left.shape[1]) + sdims + tuple(dims[u] for u in only1) + (dims[v],))
        out = _matmul(left.reshape((k, left.shape[1]) + sdims + (n1, dims[v])),
                      np.ascontiguousarray(right).reshape((k, right.shape[1]) + sdims + (dims[v], n2)), reduce)
    s = out.shape[1]
    out = out.reshape((k, s) + sdims + tuple(dims[u] for u in only1) + tuple(dims[u] for u in only2))
    have = shared + only1 + only2
    return np.ascontiguousarray(out.transpose((0, 1) + tuple(2 + have.index(u) for u in nbrs)))


def _absorb(gathered, reduce):
    """Multiply every factor whose scope lies inside another's into that one (pointwise, so no tensor
    grows): two edges between the same pair of variables cost M² per batch entry instead of widening the
    matrix product to an M³ tensor.  Unary factors stay apart while at most one other factor is left: the
    matrix product takes them as its left side without an M² pass.  Series go into series where they
    can (a product of two series sides would cost a matrix product per pair of coefficients)."""
    merged: list = []
    unary: list = []
    for sc, arr in sorted(gathered, key=lambda f: (-len(f[0]), -f[1].shape[1])):
        if len(sc) == 1:
            unary.append((sc, arr))
            continue
        for i, (big, barr) in enumerate(merged):
            if set(sc) <= set(big):
                merged[i] = (big, _mul(barr, _expand(arr, sc, big, 2), reduce))
                break
        else:
            merged.append((sc, arr))
    if len(merged) <= 1:
        return merged + unary
    for sc, arr in unary:  # into the widest factor (the product's right side), a series one if any
        width = len(merged[0][0])
        i = max((j for j, f in enumerate(merged) if len(f[0]) == width),
                key=lambda j: (arr.shape[1] > 1 and merged[j][1].shape[1] > 1, -j))
        big, barr = merged[i]
        merged[i] = (big, _mul(barr, _expand(arr, sc, big, 2), reduce))
    return merged


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


def _matmul(a: np.ndarray, b: np.ndarray, reduce) -> np.ndarray:
    """``(a @ b) mod p`` per modulus over the last two axes, exactly, by float64 BLAS: residues are at
    most ~2^22 in absolute value, so every product is below 2^44 and a block of 2^7 of them sums below
    2^51 (exact in a double).  Axis 1 is the series axis: where both sides are series, coefficient
    ``s`` is ``Σ_i a_i @ b_(s-i)``."""
    sa, sb = a.shape[1], b.shape[1]
    if sa > 1 and sb > 1:
        n = min(sa, sb)
        out = None
        for i in range(n):
            part = _matmul(a[:, i:i + 1], b[:, :n - i], reduce)
            if out is None:
                out = np.zeros(part.shape[:1] + (n,) + part.shape[2:], dtype=np.float64)
            out[:, i:] = reduce(out[:, i:] + part)
        return out
    inner = a.shape[-1]
    if inner <= _MATMUL_BLOCK:
        return reduce(np.matmul(a, b))
    out = None
    for s in range(0, inner, _MATMUL_BLOCK):
        blk = slice(s, s + _MATMUL_BLOCK)
        part = reduce(np.matmul(a[..., blk], b[..., blk, :]))
        out = part if out is None else reduce(out + part)
    return out


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


def _symmetric(arr: np.ndarray, p: int) -> np.ndarray:
    r = (arr % p).astype(np.int64)
    return np.where(r > p // 2, r - p, r).astype(np.float64)


def forget(a) -> None:
    """Drop what this module caches for the array ``a`` (residues, sums): for callers whose large factor
    arrays are short-lived (:mod:`.multiset` makes one per batch size)."""
    hit = _RESIDUES.get(id(a))
    if hit is not None and hit[0] is a:
        del _RESIDUES[id(a)]
    for kind in ("sum", "max", "min", "max1"):
        hit = _STATS.get((id(a), kind))
        if hit is not None and hit[0] is a:
            del _STATS[(id(a), kind)]


#: ``_MODULUS_BITS[k]``: a lower bound on log2 of the product of the first ``k`` primes
_MODULUS_BITS = [0.0] + list(itertools.accumulate(math.log2(p) - 1e-9 for p in PRIMES))


def _tree_bound_bits(factors, lead: int, is_series, sizes: dict) -> float:
    """An upper bound on log2 of ``Σ_labels Π factors``, tighter than maxima alone: the sum over a
    spanning forest of the pairwise factors, computed exactly enough (float64 with a scale per message,
    one bit of margin for rounding), times the largest entry of every other factor.  Non-negative
    factors; a series counts by its value at x = 1, a batch by its largest member."""
    unary: dict = {}
    others = 0.0
    parent = {v: v for v in sizes}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    tree: list = []
    for sc, a in factors:
        if len(sc) == 1 and sc[0] not in unary:
            unary[sc[0]] = _float_stat(a, lead, is_series(sc, a))
        elif len(sc) == 2 and sc[0] != sc[1] and find(sc[0]) != find(sc[1]):
            parent[find(sc[0])] = find(sc[1])
            tree.append((sc, _float_stat(a, lead, is_series(sc, a))))
        else:
            m = _stat(a, "max1" if is_series(sc, a) else "max")
            if m == 0:
                return 0.0
            others += math.log2(m)
    # eliminate the forest leaf by leaf: messages (vectors over one variable) with a log2 scale
    msg = {v: unary.get(v, np.ones(sizes[v])) for v in sizes}
    scale = {v: 0.0 for v in sizes}
    edges = list(tree)
    bits = others
    while edges:
        degree: dict = {}
        for (u, v), _ in edges:
            degree[u] = degree.get(u, 0) + 1
            degree[v] = degree.get(v, 0) + 1
        for i, ((u, v), f) in enumerate(edges):
            if degree[u] == 1 or degree[v] == 1:
                break
        del edges[i]
        leaf, keep = (u, v) if degree[u] == 1 else (v, u)
        m = f @ msg[leaf] if leaf == v else msg[leaf] @ f  # sums over the leaf's labels
        top = float(m.max(initial=0.0))
        if top == 0.0:
            return 0.0
        msg[keep] = msg[keep] * (m / top)
        scale[keep] += scale[leaf] + math.log2(top)
        del msg[leaf]
    for v, vec in msg.items():
        total = float(vec.sum())
        if total == 0.0:
            return 0.0
        bits += math.log2(total) + scale[v]
    return bits + 1.0  # (float rounding is far below one bit)


def _float_stat(a, lead: int, series: bool) -> np.ndarray:
    """``a`` as float64 (rounded up), its value at x = 1 for a series, its largest member for a batch."""
    key = (id(a), "float", lead, series)
    hit = _STATS.get(key)
    if hit is None or hit[0] is not a:
        arr = np.asarray(a, dtype=object)
        if series:
            arr = arr.sum(axis=0)
        elif lead:
            arr = arr.max(axis=0)
        try:
            out = np.asarray(arr, dtype=np.float64) * (1 + 2.0 ** -50)
        except OverflowError:  # beyond doubles: no finite bound from here (the maxima bound holds)
            out = np.full(np.shape(arr), np.inf)
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


def contract_int(factors, batch: int | None = None, keep: int | None = None):
    """``Σ_labels Π factors`` exactly, for factors of non-negative integers (``(scope, array)`` pairs).

    Same result as :func:`.burnside.contract`'s scalar, without Python-integer arrays.  With
    ``batch = B`` every array has a leading axis of length ``B`` (B problems of the same shape, e.g.
    the inclusion–exclusion terms of :mod:`.counters`) and the result is a list of ``B`` integers.
    ``keep = v`` leaves variable ``v`` out of the sum (it must have a unary factor): each result is
    then a list over ``v``'s values (the marginal, what exact sequential sampling draws from).
    """
    if not factors:
        return 1 if batch is None else [1] * batch
    # (with a batch, sums and maxima over the whole batch bound every member)
    out = [row[0] for row in _contract(factors, 0 if batch is None else 1, batch or 1, keep=keep)]
    return out[0] if batch is None else out


def contract_series(factors, degree: int) -> list[int]:
    """The coefficients of ``x^0 .. x^degree`` of ``Σ_labels Π factors`` where factors may be
    polynomials in ``x`` with non-negative integer coefficients, computed modulo ``x^(degree+1)``.

    A factor ``(scope, array)`` with one axis more than its scope is a polynomial: axis 0 holds its
    coefficients of ``x^0 .. x^degree`` (exactly ``degree + 1`` of them); the others are constants.
    A product of a matrix by a constant costs one matrix product per coefficient, where evaluating at
    the ``n·degree + 1`` points a product of ``n`` such factors needs would cost one per point.

    >>> import numpy as np
    >>> u = np.array([[1, 2], [3, 0]], dtype=object)      # u(label 0) = 1 + 3x, u(label 1) = 2
    >>> contract_series([((0,), u), ((1,), u), ((0, 1), np.ones((2, 2), dtype=object))], 1)
    [9, 18]
    """
    if not factors:
        return [1] + [0] * degree
    for sc, a in factors:
        if np.ndim(a) == len(sc) + 1 and np.shape(a)[0] != degree + 1:
            raise ValueError("a series factor needs degree + 1 coefficients")
    return _contract(factors, 0, 1, degree)[0]


def _contract(factors, lead: int, b: int, degree: int | None = None, keep: int | None = None) -> list[list]:
    """The exact values ``[problem][coefficient]`` (see :func:`contract_int`, :func:`contract_series`); with
    ``keep``, each value a list over the kept variable's values."""
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
    need = min((bound + 1).bit_length(), _tree_bound_bits(factors, lead, is_series, sizes))
    if need >= _MODULUS_BITS[-1]:
        raise ValueError(f"a value of up to 2^{need:.0f} is beyond the {len(PRIMES)} moduli")
    k = 1
    while _MODULUS_BITS[k] <= need:  # the smallest product of primes above 2^need > the value
        k += 1
    primes = PRIMES[:k]
    mods = np.repeat(np.array(primes, dtype=np.float64), b)
    residues = []
    for sc, a in factors:
        r = _residues(a, k)
        if is_series(sc, a):
            residues.append((sc, r.reshape((k * b,) + np.shape(a))))
        else:
            residues.append((sc, r.reshape((k * b, 1) + np.shape(a)[lead:])))
    terms = 1 if degree is None else degree + 1

    # slices of the batch axis (primes x problems), so that no elimination step holds more than about
    # _CHUNK_ENTRIES entries at once (memory; an elimination of width w holds M^(w+1) per entry)
    step = max(1, _CHUNK_ENTRIES // _largest_step(residues))
    width = 1 if keep is None else sizes[keep]
    parts = []
    with _one_blas_thread():
        for lo in range(0, k * b, step):
            val = _eliminate([(sc, a[lo:lo + step]) for sc, a in residues], mods[lo:lo + step], keep)
            val = val.reshape(val.shape[:2] + (-1,))  # (rows, coefficients, kept values or 1)
            full = np.zeros((val.shape[0], terms, width))
            full[:, :val.shape[1]] = val
            parts.append(full)
    res = np.rint(np.concatenate(parts)).astype(np.int64).reshape(k, b, terms, width).tolist()
    # Chinese remainders
    modulus = math.prod(primes)
    coef = [(modulus // p) * pow(modulus // p, -1, p) for p in primes]
    if keep is None:
        return [[sum(res[i][j][t][0] * coef[i] for i in range(k)) % modulus for t in range(terms)]
                for j in range(b)]
    return [[[sum(res[i][j][t][x] * coef[i] for i in range(k)) % modulus for x in range(width)]
             for t in range(terms)] for j in range(b)]
