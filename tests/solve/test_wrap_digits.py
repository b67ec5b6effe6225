"""The wrap pass's digit products (solve/modular.py ``_matmul_wrap``): the digit widths chosen by the sides' sizes
(``_digit_plan``, ``_digit_weights``) against Python integers modulo 2^64, and the plan that keeps a large side whole."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from brute_oracle import wrapped_series_product
from gas_solver.solve import modular

_MOD = 1 << 64


def _side(rng, shape, bits):
    """Exact float64 integers below ``2^bits`` with the largest in the first entry, or (``None``) uint64 residues."""
    if bits is None:
        arr = rng.integers(0, 2 ** 64 - 1, shape, dtype=np.uint64, endpoint=True)
        arr.flat[0] = np.uint64(2 ** 64 - 1)
        return arr, None
    arr = rng.integers(0, 2 ** bits, shape, dtype=np.int64).astype(np.float64)
    arr.flat[0] = float(2 ** bits - 1)
    return arr, float(2 ** bits - 1)


def _ints(arr) -> np.ndarray:
    return np.vectorize(int, otypes=[object])(arr.astype(np.uint64) if arr.dtype == np.float64 else arr)


@settings(max_examples=120, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1), rows=st.integers(1, 6), inner=st.integers(1, 200), cols=st.integers(1, 6),
       series=st.sampled_from([(1, 1), (1, 2), (2, 1), (3, 3)]),
       bits=st.tuples(st.sampled_from([None, 1, 8, 15, 18, 35, 51]), st.sampled_from([None, 1, 8, 15, 18, 37, 51])),
       weights=st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 1.0)))
def test_every_weighted_plan_gives_the_product_modulo_2_64(seed, rows, inner, cols, series, bits, weights):
    """Whatever the sides' weights, the digits they choose give the product of the Python integers modulo 2^64
    (series convolved and truncated), and the widths leave every sum of digit products below 2^52."""
    rng = np.random.default_rng(seed)
    sa, sb = series
    a, ta = _side(rng, (1, sa, rows, inner), bits[0])
    b, tb = _side(rng, (1, sb, inner, cols), bits[1])
    n = min(sa, sb) if sa > 1 and sb > 1 else 1
    room = math.floor(math.log2(modular._EXACT / (inner * n)) - 1e-9)
    plan = modular._digit_plan(tuple(64 if t is None else int(t).bit_length() for t in (ta, tb)), room, weights)
    assert sum(plan) <= room and min(plan) >= 1
    real = modular._digit_weights
    modular._digit_weights = lambda left, right: weights
    try:
        got = modular._matmul_wrap(a, ta, b, tb, inner * n)
    finally:
        modular._digit_weights = real
    assert got.dtype == np.uint64
    assert [[[int(v) for v in r] for r in m] for m in got[0]] == wrapped_series_product(_ints(a), _ints(b), _MOD)


def test_a_large_side_stays_whole():
    """The ``labels^4`` step of the wrap pass at [1, 16] (a ``labels^2 x labels`` side of 35 bits times a ``labels x
    labels`` one of 18 bits, inner 126): the large side is not cut, the small one takes two digits; with sides of one
    size the plan is the old one (the narrow digits on the wider side)."""
    left = np.zeros((1, 1, 126 * 126, 126))
    right = np.zeros((1, 1, 126, 126))
    weights = modular._digit_weights(left, right)
    assert weights[0] == 1.0 and weights[1] < 0.01
    room = math.floor(math.log2(modular._EXACT / 126) - 1e-9)
    assert modular._digit_plan((35, 18), room, weights)[0] >= 35
    assert modular._digit_plan((35, 18), room) == (18, 27)
    # a series side three coefficients long: the result is three times the left side, which is then no longer the
    # largest array, but still far larger than the right one
    wide = modular._digit_weights(left, np.zeros((1, 3, 126, 126)))
    assert modular._digit_plan((15, 37), room, wide) == (15, 30)
    # a uint64 right side of two coefficients: three digits of it (products 3 x 2) instead of its four quarters
    assert modular._digit_plan((15, 64), room, modular._digit_weights(left, np.zeros((1, 2, 126, 126)))) == (15, 30)


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1), bits=st.sampled_from([None, 1, 31, 32, 33, 51]), size=st.integers(1, 40))
def test_signed_halves_give_the_residues_back(seed, bits, size):
    """Balanced halves: ``low + high · 2^32`` is the value modulo 2^64 and neither half passes 2^31 in absolute
    value (values at the edges of each half included)."""
    rng = np.random.default_rng(seed)
    arr, _ = _side(rng, (size,), bits)
    edges = [0, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 63, 2 ** 64 - 1, 2 ** 64 - 2 ** 31]
    if bits is None:
        arr = np.concatenate([arr, np.array(edges, dtype=np.uint64)])
    low, high = modular._signed_halves(arr)
    assert np.abs(low).max() <= 2 ** 31 and np.abs(high).max() <= 2 ** 31
    for x, lo, hi in zip(_ints(arr), low, high):
        assert (int(lo) + (int(hi) << 32)) % _MOD == x % _MOD


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1), rows=st.integers(1, 5), inner=st.integers(1, 130), cols=st.integers(1, 5),
       series=st.sampled_from([(1, 1), (1, 2), (2, 1), (3, 3)]), whole_on_left=st.booleans(),
       cut_bits=st.sampled_from([None, 40, 51]), share=st.floats(0.0, 1.0))
def test_halves_give_the_product_modulo_2_64(seed, rows, inner, cols, series, whole_on_left, cut_bits, share):
    """``_matmul_halves`` with the small side's top anywhere up to its limit (the largest entry at the top) equals the
    product of the Python integers modulo 2^64, the small side on the left or on the right."""
    rng = np.random.default_rng(seed)
    sa, sb = series
    n = min(sa, sb) if sa > 1 and sb > 1 else 1
    limit = int(2 ** 53 // (inner * n * 2 ** 31))
    top = max(0, min(limit, int(share * limit)))
    small_shape = (1, sa, rows, inner) if whole_on_left else (1, sb, inner, cols)
    small = rng.integers(0, top + 1, small_shape).astype(np.float64)
    small.flat[0] = float(top)
    cut, ctop = _side(rng, (1, sb, inner, cols) if whole_on_left else (1, sa, rows, inner), cut_bits)
    a, ta, b, tb = (small, float(top), cut, ctop) if whole_on_left else (cut, ctop, small, float(top))
    got = modular._matmul_halves(a, ta, b, tb, inner * n)
    assert got is not None and got.dtype == np.uint64
    assert [[[int(v) for v in r] for r in m] for m in got[0]] == wrapped_series_product(_ints(a), _ints(b), _MOD)


def test_halves_are_taken_where_digits_take_more_products():
    """The [1, 16] shape (a 15-bit ``labels^2 x labels`` side times a ``labels x labels`` series of uint64 residues):
    two products per coefficient by halves where unsigned digits took three; a side above the limit is refused."""
    rng = np.random.default_rng(7)
    left = rng.integers(0, 2 ** 15, (1, 1, 300, 126)).astype(np.float64)
    right = rng.integers(0, 2 ** 64 - 1, (1, 2, 126, 126), dtype=np.uint64, endpoint=True)
    calls = []
    real = modular._matmul_exact

    def counted(x, y):
        calls.append(1)
        return real(x, y)

    modular._matmul_exact = counted
    try:
        got = modular._matmul_wrap(left, float(2 ** 15 - 1), right, None, 126)
    finally:
        modular._matmul_exact = real
    assert len(calls) == 2
    assert np.array_equal(got, modular._matmul_u64(left, right))
    assert modular._matmul_halves(left, float(2 ** 16), right, None, 126) is None
