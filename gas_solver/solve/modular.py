"""Exact sums of products of non-negative integer factors, in machine integers (multi-modular).

The counter's partition functions are sums over labels of products of integer
factors; the results run to 40+ digits, so the reference elimination
(:func:`.burnside.contract`) works on numpy object arrays of Python integers,
where one elimination step on a triangle of 39-label factors costs ~15 ms.
Here the same elimination runs in ``int64`` numpy arithmetic modulo several
primes below 2^31 (a product of two residues fits in 63 bits), and the exact
integer comes back by the Chinese remainder theorem.  How many primes: a
float64 pass of the same elimination bounds the value (all factors are
non-negative, so rounding errors are relative and tiny); the primes' product
must exceed twice that bound.  Exact by construction: the integer below the
modulus with those residues is unique, and the value is below the modulus.

>>> import numpy as np
>>> f = np.array([[10**12, 3], [5, 7]], dtype=object)
>>> contract_int([((0, 1), f), ((1,), np.array([2, 10**9], dtype=object))])
2010000000010
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["contract_int", "PRIMES"]


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


#: the moduli: the largest primes below 2^31 (enough for values up to ~2^1900)
PRIMES = _primes_below(1 << 31, 64)

#: most int64 entries one product tensor may hold before the eliminated variable is split into chunks
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


def _eliminate(factors, reduce, lead: int, one):
    """Min-degree variable elimination (the order of :func:`.burnside.contract`); ``reduce`` after
    every product and sum (``x % p`` for residues, identity for floats)."""
    remaining = {u for s, _ in factors for u in s}
    scalar = one
    while remaining:
        def degree(v):
            return len({u for s, _ in factors if v in s for u in s} - {v})
        v = min(remaining, key=lambda u: (degree(u), u))
        gathered = [f for f in factors if v in f[0]]
        factors = [f for f in factors if v not in f[0]]
        union = tuple(sorted({u for s, _ in gathered for u in s}))
        vax = lead + union.index(v)
        expanded = [_expand(a, s, union, lead) for s, a in gathered]
        size = max(e.shape[vax] for e in expanded)
        full = math.prod(max(e.shape[lead + k] for e in expanded) for k in range(len(union)))
        step = max(1, size * _CHUNK_ENTRIES // max(1, full * math.prod(expanded[0].shape[:lead])))
        new = None
        for lo in range(0, size, step):
            sl = (slice(None),) * vax + (slice(lo, lo + step),)
            prod = None
            for e in expanded:
                prod = e[sl] if prod is None else reduce(prod * e[sl])
            part_sum = reduce(prod.sum(axis=vax))
            new = part_sum if new is None else reduce(new + part_sum)
        remaining.discard(v)
        nbrs = tuple(u for u in union if u != v)
        if nbrs:
            factors.append((nbrs, new))
        else:
            scalar = reduce(scalar * new)
    for _, f in factors:  # only scalars can be left
        scalar = reduce(scalar * f)
    return scalar


#: residues of factor arrays the counter passes again and again (its factor caches keep them alive;
#: the array itself is held here too, so that its id cannot be reused while cached)
_RESIDUES: dict = {}
_RESIDUES_KEPT = 4096


def _residues(a, k: int) -> np.ndarray:
    hit = _RESIDUES.get(id(a))
    if hit is None or hit[0] is not a or hit[1].shape[0] < k:
        arr = np.asarray(a, dtype=object)
        kk = max(k, 8)
        stacked = np.stack([(arr % p).astype(np.int64) for p in PRIMES[:kk]])
        if len(_RESIDUES) >= _RESIDUES_KEPT:
            _RESIDUES.clear()
        hit = _RESIDUES[id(a)] = (a, stacked)
    return hit[1][:k]


def contract_int(factors) -> int:
    """``Σ_labels Π factors`` exactly, for factors of non-negative integers (``(scope, array)`` pairs).

    Same result as :func:`.burnside.contract`'s scalar, without Python-integer arrays.
    """
    if not factors:
        return 1
    if any((np.asarray(a, dtype=object) < 0).any() for _, a in factors):  # the float bound needs signs alike
        from .burnside import contract

        return int(contract(factors)[0])
    as_float = [(s, np.asarray(a, dtype=np.float64)) for s, a in factors]
    bound = float(_eliminate(as_float, lambda x: x, 0, 1.0))
    if not math.isfinite(bound):
        from .burnside import contract

        return int(contract(factors)[0])
    # float rounding is relative (non-negative terms): 2 * bound + 2 is a safe upper bound on the value
    need = (2 * int(bound) + 2).bit_length()
    k = max(1, -(-need // 30))  # every prime exceeds 2^30
    primes = PRIMES[:k]
    mods = np.array(primes, dtype=np.int64)
    residues = [(s, _residues(a, k)) for s, a in factors]

    def reduce(x):
        return x % mods.reshape((k,) + (1,) * (x.ndim - 1))

    res = _eliminate(residues, reduce, 1, np.ones(k, dtype=np.int64))
    res = np.asarray(res).reshape(k)
    # Chinese remainders
    modulus = math.prod(primes)
    total = 0
    for r, p in zip(res.tolist(), primes):
        m = modulus // p
        total += r * m * pow(m, -1, p)
    return total % modulus
