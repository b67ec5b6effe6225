"""Products of truncated power series in the multi-modular elimination (solve/modular.py): matrix products of
series modulo the primes (one reduction after the coefficients' sums) and element-wise series products, against
Python integers."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gas_solver.solve import modular


def _ints(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64).astype(np.int64).astype(object)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1), primes=st.integers(1, 3), na=st.integers(1, 18), nb=st.integers(1, 18),
       inner=st.sampled_from([1, 5, 128, 129, 300]), batch=st.integers(1, 3))
def test_series_matmul_modulo_primes_equals_integers(seed, primes, na, nb, inner, batch):
    """``_matmul`` of reduced residues (series on both sides, or one side constant; inner axes past one block of
    2^7): every coefficient congruent to the integers' truncated product modulo its row's prime and reduced
    (``|r| <= _RESIDUE``, the bound the elimination then assumes)."""
    rng = np.random.default_rng(seed)
    mods = np.array(modular.PRIMES[:primes], dtype=np.float64)
    reduce = modular._reducer(mods)
    half = modular.PRIMES[0] // 2
    a = rng.integers(-half, half + 1, (primes, na, batch, 3, inner)).astype(np.float64)
    b = rng.integers(-half, half + 1, (primes, nb, batch, inner, 2)).astype(np.float64)
    out = modular._matmul(a, b, reduce)
    terms = min(na, nb) if na > 1 and nb > 1 else max(na, nb)
    assert out.shape == (primes, terms, batch, 3, 2)
    assert np.all(np.abs(out) <= modular._RESIDUE)
    ia, ib, got = _ints(a), _ints(b), _ints(out)
    for r, p in enumerate(modular.PRIMES[:primes]):
        for t in range(terms):
            if na == 1 or nb == 1:
                want = np.matmul(ia[r, 0 if na == 1 else t], ib[r, 0 if nb == 1 else t])
            else:
                want = sum(np.matmul(ia[r, i], ib[r, t - i]) for i in range(t + 1))
            assert np.all((got[r, t] - want) % p == 0)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2 ** 32 - 1), rows=st.sampled_from([(1, 1), (1, 2), (2, 1), (3, 3)]),
       na=st.integers(2, 9), nb=st.integers(2, 9), shape=st.lists(st.integers(1, 5), min_size=1, max_size=4),
       block=st.sampled_from([1, 7, 64, 1 << 16]), wrap=st.booleans())
def test_series_products_in_blocks_equal_integers(monkeypatch, seed, rows, na, nb, shape, block, wrap):
    """Element-wise truncated products of series, cut into blocks of the first entry axis (down to one entry a
    block), broadcast on any axis: the integers' products (float64 where they stay below 2^52; modulo 2^64 in
    uint64 for the wrap pass, from uint64 residues and exact float64 integers)."""
    monkeypatch.setattr(modular, "_SERIES_BLOCK", block)
    rng = np.random.default_rng(seed)
    sa = tuple(d if rng.random() < 0.7 else 1 for d in shape)
    sb = tuple(d if rng.random() < 0.7 else 1 for d in shape)
    if wrap:
        a = rng.integers(0, 2 ** 64, (rows[0], na) + sa, dtype=np.uint64)
        b = rng.integers(0, 2 ** 40, (rows[1], nb) + sb).astype(np.float64)
        got = modular._mul_wrap(a, b)
    else:
        a = rng.integers(0, 2 ** 20, (rows[0], na) + sa).astype(np.float64)
        b = rng.integers(0, 2 ** 20, (rows[1], nb) + sb).astype(np.float64)
        got = modular._mul(a, b, modular._same)
    n = min(na, nb)
    ia, ib = a.astype(object), b.astype(np.int64).astype(object)
    full = np.broadcast_shapes(sa, sb)
    r = max(rows)
    assert got.shape == (r, n) + full
    for row in range(r):
        xa, xb = ia[row if rows[0] > 1 else 0], ib[row if rows[1] > 1 else 0]
        for t in range(n):
            want = sum(np.broadcast_to(xa[i], full) * np.broadcast_to(xb[t - i], full) for i in range(t + 1))
            if wrap:
                want = want % (1 << 64)
            assert np.array_equal(got[row, t].astype(object), want)


def _plain_series_matmul(a, b, product):
    """The series matrix product without skipping anything: every coefficient of ``a`` times the first ``n - i`` of
    ``b`` (the form before zero coefficients were left out)."""
    n = min(a.shape[1], b.shape[1])
    out = None
    for i in range(n):
        part = product(a[:, i:i + 1], b[:, :n - i])
        if out is None:
            out = np.zeros(part.shape[:1] + (n,) + part.shape[2:], dtype=np.float64)
        out[:, i:] += part
    return out


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2 ** 32 - 1), rows=st.sampled_from([(1, 1), (1, 3), (3, 1), (2, 2)]),
       na=st.integers(2, 8), nb=st.integers(2, 8), dims=st.tuples(*[st.integers(1, 20)] * 3),
       batch=st.integers(1, 3), zeros_a=st.sets(st.integers(0, 7)), zeros_b=st.sets(st.integers(0, 7)),
       pair_entries=st.sampled_from([1, 1 << 16]), live_uses=st.sampled_from([0, 16]), exact=st.booleans())
def test_series_matmul_without_zero_coefficients_same_bytes(monkeypatch, seed, rows, na, nb, dims, batch, zeros_a,
                                                            zeros_b, pair_entries, live_uses, exact):
    """Series matrix products (``_matmul`` modulo primes, ``_matmul_exact``) that leave out all-zero coefficients and
    go one pair of coefficients at a time: the same bytes as the plain product over every coefficient, whichever
    coefficients are zero (none, some, all) on either side."""
    monkeypatch.setattr(modular, "_PAIR_ENTRIES", pair_entries)
    monkeypatch.setattr(modular, "_LIVE_USES", live_uses)
    rng = np.random.default_rng(seed)
    m, k, p = dims
    if exact:
        a = rng.integers(0, 2 ** 20, (rows[0], na, batch, m, k)).astype(np.float64)
        b = rng.integers(0, 2 ** 20, (rows[1], nb, batch, k, p)).astype(np.float64)
    else:
        half = modular.PRIMES[0] // 2
        a = rng.integers(-half, half + 1, (rows[0], na, batch, m, k)).astype(np.float64)
        b = rng.integers(-half, half + 1, (rows[1], nb, batch, k, p)).astype(np.float64)
    a[:, [i for i in zeros_a if i < na]] = 0.0
    b[:, [j for j in zeros_b if j < nb]] = 0.0
    if exact:
        got = modular._matmul_exact(a, b)
        want = _plain_series_matmul(a, b, np.matmul)
    else:
        reduce = modular._reducer(np.array(modular.PRIMES[:max(rows)], dtype=np.float64))
        got = modular._matmul(a, b, reduce)
        want = reduce(_plain_series_matmul(a, b, lambda x, y: modular._matmul(x, y, reduce)))
    assert got.shape == want.shape and got.dtype == want.dtype
    assert got.tobytes() == want.tobytes()


def test_zero_coefficients_are_skipped(monkeypatch):
    """A side's all-zero coefficient takes no matrix product (the kernels' edge factors have no ``s^1`` term): 7 x 7
    coefficients with ``s^1`` zero on the left take 28 - 6 pair products, and the result is the plain one."""
    rng = np.random.default_rng(5)
    a = rng.integers(0, 2 ** 10, (1, 7, 40, 30)).astype(np.float64)
    b = rng.integers(0, 2 ** 10, (1, 7, 30, 30)).astype(np.float64)
    a[:, 1] = 0.0
    calls = []

    def counted(x, y):
        calls.append(y.shape[1])
        return np.matmul(x, y)

    monkeypatch.setattr(modular, "_PAIR_ENTRIES", 1)
    got = modular._series_matmul(a, b, counted)
    assert sum(calls) == 28 - 6
    assert got.tobytes() == _plain_series_matmul(a, b, np.matmul).tobytes()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2 ** 32 - 1), n=st.integers(2, 8), zeros=st.sets(st.integers(0, 7)),
       small_first=st.booleans(), block=st.sampled_from([1, 16, 64]), wrap=st.booleans())
def test_series_product_small_side_zero_coefficients(monkeypatch, seed, n, zeros, small_first, block, wrap):
    """An element-wise series product whose small side (broadcast over the other's entries: a pair factor times a
    ``labels^3`` message) has all-zero coefficients: their terms are left out, and the result is the same bytes as
    the plain sum over every coefficient (float64 below 2^52, or uint64 modulo 2^64)."""
    monkeypatch.setattr(modular, "_SERIES_BLOCK", block)
    rng = np.random.default_rng(seed)
    big = rng.integers(0, 2 ** 20, (1, n, 6, 5, 4)).astype(np.float64)
    small = rng.integers(0, 2 ** 20, (1, n, 6, 1, 4)).astype(np.float64)
    small[:, [i for i in zeros if i < n]] = 0.0
    if wrap:
        big = rng.integers(0, 2 ** 64, big.shape, dtype=np.uint64)
    a, b = (small, big) if small_first else (big, small)
    dtype = np.uint64 if wrap else np.float64
    got = modular._series_product(a, b, n, dtype)
    want = np.zeros((1, n, 6, 5, 4), dtype=dtype)
    with np.errstate(over="ignore"):
        for i in range(n):
            for j in range(n - i):
                want[:, i + j] += np.multiply(a[:, i], b[:, j], dtype=dtype, casting="unsafe")
    assert got is not None and got.tobytes() == want.tobytes()


@given(inner=st.sampled_from([1, 60, 127, 128, 129]), n=st.integers(2, 6), sign=st.sampled_from([1, -1]))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_series_matmul_extreme_residues_summed_in_groups(monkeypatch, inner, n, sign):
    """Every residue at the reducer's bound (the largest products there are): the parts of one coefficient summed
    unreduced as far as the bound allows still equal the integers modulo the prime."""
    monkeypatch.setattr(modular, "_PAIR_ENTRIES", 1)
    p = modular.PRIMES[0]
    mods = np.array([float(p)])
    reduce = modular._reducer(mods)
    top = float(modular._RESIDUE)
    a = np.full((1, n, 3, inner), top)
    b = np.full((1, n, inner, 2), sign * top)
    got = _ints(modular._matmul(a, b, reduce))
    for s in range(n):
        want = (s + 1) * inner * int(top) * int(sign * top)
        assert np.all((got[0, s] - want) % p == 0)
