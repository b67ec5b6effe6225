"""Exact sums of products of non-negative integer factors, in machine integers (multi-modular).

The counter's partition functions are sums over labels of products of integer
factors; the results run to 40+ digits, so the reference elimination
(:func:`.burnside.contract`) works on numpy object arrays of Python integers,
where one elimination step on a triangle of 39-label factors costs ~15 ms.
Here the same elimination runs in ``int64`` numpy arithmetic modulo several
primes below 2^23 (a product of two residues fits in 46 bits; matrix products run exactly in float64 BLAS), and the exact
integer comes back by the Chinese remainder theorem.  How many primes: with
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

import math

import numpy as np
from threadpoolctl import ThreadpoolController

__all__ = ["contract_int", "forget", "PRIMES"]


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

#: about the most int64 entries one elimination step may hold at once (per slice of the batch axis)
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
    """Entries per batch entry of the largest tensor an elimination of ``factors`` builds (its widest
    union of scopes)."""
    dims = {u: d for s, a in factors for u, d in zip(s, a.shape[1:])}
    return max((math.prod(dims[u] for u in union) for _, union in _elimination_order([s for s, _ in factors])),
               default=1)


def _eliminate(factors, mods: np.ndarray, keep=None):
    """Min-degree variable elimination (the order of :func:`.burnside.contract`) on residues
    (arrays with a leading axis, one entry per modulus).  ``keep``: one variable left open (the result
    has its axis after the leading one)."""
    k = len(mods)

    def reduce(x):
        return x % mods.reshape((k,) + (1,) * (x.ndim - 1))

    remaining = {u for s, _ in factors for u in s} - {keep}
    scalar = np.ones(k, dtype=np.int64)
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
                prod = arr if prod is None else reduce(prod * arr)
            new = reduce(prod.sum(axis=1))
        remaining.discard(v)
        if nbrs:
            factors.append((nbrs, new))
        else:
            scalar = reduce(scalar * new)
    for _, f in factors:  # only scalars (and factors of the kept variable) can be left
        a, b = (scalar, f) if scalar.ndim == f.ndim else (scalar.reshape(k, -1), f.reshape(k, -1))
        scalar = reduce(a * b)
    return scalar


def _sum_product(v, gathered, nbrs, reduce) -> np.ndarray:
    """``Σ_v Π gathered`` over ``nbrs`` as a batched matrix product: the widest factor on one side,
    the product of the others on the other, their shared neighbours as batch axes (M^(k+1)
    multiply-adds in C, never an M^(k+1) tensor of residues to reduce)."""
    gathered = _absorb(gathered, reduce)
    if len(gathered) == 1:  # one factor left: a plain sum over v
        (sc, arr), = gathered
        out = reduce(arr.sum(axis=1 + sc.index(v)))
        return np.ascontiguousarray(_expand(out, tuple(u for u in sc if u != v), nbrs, 1))
    last = max(gathered, key=lambda f: len(f[0]))
    rest = [f for f in gathered if f is not last]
    s2 = set(last[0])
    s1 = {u for sc, _ in rest for u in sc}
    shared = tuple(sorted((s1 & s2) - {v}))
    only1 = tuple(sorted(s1 - s2))
    only2 = tuple(sorted(s2 - s1 - {v}))
    order1 = shared + only1 + (v,)
    left = None
    for sc, arr in rest:
        e = _expand(arr, sc, order1, 1)
        left = e if left is None else reduce(left * e)
    right = _expand(last[1], last[0], shared + (v,) + only2, 1)
    k = right.shape[0]
    dims = {u: d for sc, arr in gathered for u, d in zip(sc, arr.shape[1:])}
    sdims = tuple(dims[u] for u in shared)
    n1 = math.prod(dims[u] for u in only1)
    n2 = math.prod(dims[u] for u in only2)
    if left is None:
        out = right.sum(axis=1 + len(shared)).reshape((k,) + sdims + (1, n2))
        out = reduce(out)
    else:
        left = np.broadcast_to(left, (k,) + sdims + tuple(dims[u] for u in only1) + (dims[v],))
        out = _matmul(left.reshape((k,) + sdims + (n1, dims[v])),
                      np.ascontiguousarray(right).reshape((k,) + sdims + (dims[v], n2)), reduce)
    out = out.reshape((k,) + sdims + tuple(dims[u] for u in only1) + tuple(dims[u] for u in only2))
    have = shared + only1 + only2
    return np.ascontiguousarray(out.transpose((0,) + tuple(1 + have.index(u) for u in nbrs)))


def _absorb(gathered, reduce):
    """Multiply every factor whose scope lies inside another's into that one (pointwise, so no tensor
    grows): two edges between the same pair of variables cost M² per batch entry instead of widening the
    matrix product to an M³ tensor.  Unary factors stay apart while at most one other factor is left: the
    matrix product takes them as its left side without an M² pass."""
    merged: list = []
    unary: list = []
    for sc, arr in sorted(gathered, key=lambda f: -len(f[0])):
        if len(sc) == 1:
            unary.append((sc, arr))
            continue
        for i, (big, barr) in enumerate(merged):
            if set(sc) <= set(big):
                merged[i] = (big, reduce(barr * _expand(arr, sc, big, 1)))
                break
        else:
            merged.append((sc, arr))
    if len(merged) <= 1:
        return merged + unary
    for sc, arr in unary:  # into the widest factor (the product's right side)
        big, barr = merged[0]
        merged[0] = (big, reduce(barr * _expand(arr, sc, big, 1)))
    return merged


_CONTROLLER: ThreadpoolController | None = None


def _one_blas_thread():
    """A context with one BLAS thread: the eliminations are many small matrix products, where threads
    cost more than they give (on a busy 2-core machine a (160, 95, 95) batch took 0.2 s with two
    OpenBLAS threads and 0.03 s with one).  Entered once per contraction (the context costs more than a
    small product)."""
    global _CONTROLLER
    if _CONTROLLER is None:
        _CONTROLLER = ThreadpoolController()
    return _CONTROLLER.limit(limits=1, user_api="blas")


def _matmul(a: np.ndarray, b: np.ndarray, reduce) -> np.ndarray:
    """``(a @ b) mod p`` per modulus, exactly, by float64 BLAS: residues are below 2^23, so every product
    is below 2^46 and a block of 2^7 of them sums below 2^53 (exact in a double)."""
    inner = a.shape[-1]
    af = a.astype(np.float64)
    bf = b.astype(np.float64)
    out = None
    for s in range(0, inner, _MATMUL_BLOCK):
        blk = slice(s, s + _MATMUL_BLOCK)
        part = reduce(np.matmul(af[..., blk], bf[..., blk, :]).astype(np.int64))
        out = part if out is None else reduce(out + part)
    return out


#: residues of factor arrays the counter passes again and again (its factor caches keep them alive;
#: the array itself is held here too, so that its id cannot be reused while cached)
_RESIDUES: dict = {}
_RESIDUES_KEPT = 4096


def _residues(a, k: int) -> np.ndarray:
    hit = _RESIDUES.get(id(a))
    if hit is None or hit[0] is not a or hit[1].shape[0] < k:
        arr = np.asarray(a, dtype=object)
        kk = max(k, 8)
        try:  # entries that fit in int64 (most factors): one vectorised remainder per prime
            small = arr.astype(np.int64)
        except OverflowError:
            small = None
        if small is not None:
            stacked = np.stack([small % p for p in PRIMES[:kk]])
        else:
            stacked = np.stack([(arr % p).astype(np.int64) for p in PRIMES[:kk]])
        if len(_RESIDUES) >= _RESIDUES_KEPT:
            _RESIDUES.clear()
        hit = _RESIDUES[id(a)] = (a, stacked)
    return hit[1][:k]


def forget(a) -> None:
    """Drop what this module caches for the array ``a`` (residues, sums): for callers whose large factor
    arrays are short-lived (:mod:`.multiset` makes one per batch size)."""
    hit = _RESIDUES.get(id(a))
    if hit is not None and hit[0] is a:
        del _RESIDUES[id(a)]
    for kind in ("sum", "max", "min"):
        hit = _STATS.get((id(a), kind))
        if hit is not None and hit[0] is a:
            del _STATS[(id(a), kind)]


def _stat(a, kind: str) -> int:
    key = (id(a), kind)
    hit = _STATS.get(key)
    if hit is None or hit[0] is not a:
        flat = np.asarray(a, dtype=object).reshape(-1)
        values = flat.tolist()
        v = int(sum(values) if kind == "sum" else max(values, default=0) if kind == "max" else min(values, default=0))
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
    if any(_stat(a, "min") < 0 for _, a in factors):  # the bound needs non-negative terms
        raise ValueError("contract_int needs non-negative factors")
    # Σ_labels Π factors <= Π_variables (Σ of one unary factor) × Π_other factors max entry
    # (non-negative terms): the value's bits, without computing it
    bound = 1
    seen: set = set()
    for s, a in factors:
        if len(s) == 1 and s[0] not in seen:
            seen.add(s[0])
            bound *= _stat(a, "sum")
        else:
            bound *= _stat(a, "max")
    lead = 0 if batch is None else 1  # (sums and maxima over the whole batch bound every member)
    sizes = {u: d for s, a in factors for u, d in zip(s, np.shape(a)[lead:])}
    for v in sizes.keys() - seen:  # a variable without a unary factor: at most its number of labels
        bound *= sizes[v]
    need = (bound + 1).bit_length()
    k = max(1, -(-need // 22))  # every prime exceeds 2^22
    primes = PRIMES[:k]
    b = 1 if batch is None else batch
    mods = np.repeat(np.array(primes, dtype=np.int64), b)
    residues = [(s, _residues(a, k).reshape((k * b,) + np.shape(a)[lead:])) for s, a in factors]

    # slices of the batch axis (primes x problems), so that no elimination step holds more than about
    # _CHUNK_ENTRIES entries at once (memory; an elimination of width w holds M^(w+1) per entry)
    step = max(1, _CHUNK_ENTRIES // _largest_step(residues))
    width = 1 if keep is None else sizes[keep]
    with _one_blas_thread():
        parts = [np.broadcast_to(np.asarray(_eliminate([(s, a[lo:lo + step]) for s, a in residues],
                                                       mods[lo:lo + step], keep)).reshape(-1, width),
                                 (min(step, k * b - lo), width))
                 for lo in range(0, k * b, step)]
    res = np.concatenate(parts).reshape(k, b * width).tolist()
    # Chinese remainders
    modulus = math.prod(primes)
    coef = [(modulus // p) * pow(modulus // p, -1, p) for p in primes]
    out = [sum(res[i][j] * coef[i] for i in range(k)) % modulus for j in range(b * width)]
    if keep is not None:
        out = [out[j * width:(j + 1) * width] for j in range(b)]
    return out[0] if batch is None else out
