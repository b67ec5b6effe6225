"""The wrap pass's matrix products with a side of few rows in uint64 (solve/modular.py ``_matmul_u64``) against Python
integers modulo 2^64, and contractions that take them against brute force."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brute_oracle import brute_series
from gas_solver.solve import modular
from gas_solver.solve.modular import Memo, contract_series

_MOD = 1 << 64


def _side(rng, shape, kind):
    """An operand: exact float64 integers below 2^52 (``"exact"``) or uint64 residues (``"wrap"``), with the largest
    value of its kind in the first entry (values near the bounds)."""
    if kind == "exact":
        arr = rng.integers(0, 2 ** 52, shape, dtype=np.int64).astype(np.float64)
        arr.flat[0] = float(2 ** 52 - 1)
    else:
        arr = rng.integers(0, 2 ** 64 - 1, shape, dtype=np.uint64, endpoint=True)
        arr.flat[0] = np.uint64(2 ** 64 - 1)
    return arr


def _ints(arr) -> np.ndarray:
    return np.vectorize(int, otypes=[object])(arr.astype(np.uint64) if arr.dtype == np.float64 else arr)


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1), kinds=st.tuples(st.sampled_from(["exact", "wrap"]),
                                                         st.sampled_from(["exact", "wrap"])),
       series=st.tuples(st.integers(1, 4), st.integers(1, 4)), batch=st.integers(0, 2),
       rows=st.integers(1, 5), inner=st.integers(1, 7), cols=st.integers(1, 5))
def test_matmul_u64_equals_integers_modulo_2_64(seed, kinds, series, batch, rows, inner, cols):
    """``a @ b`` modulo 2^64 over the last two axes, series truncated at the shorter length where both are series (a
    constant side multiplies every coefficient): every entry equals the product of Python integers modulo 2^64."""
    rng = np.random.default_rng(seed)
    lead = (1,) + (2,) * batch
    a = _side(rng, (1, series[0]) + lead[1:] + (rows, inner), kinds[0])
    b = _side(rng, (1, series[1]) + lead[1:] + (inner, cols), kinds[1])
    out = modular._matmul_u64(a, b)
    assert out.dtype == np.uint64
    ia, ib = _ints(a), _ints(b)
    n = min(series) if min(series) > 1 else max(series)
    assert out.shape == (1, n) + lead[1:] + (rows, cols)
    for s in range(n):
        if series[0] > 1 and series[1] > 1:
            terms = [(i, s - i) for i in range(s + 1)]
        else:
            terms = [(s if series[0] > 1 else 0, s if series[1] > 1 else 0)]
        for idx in itertools.product(*(range(k) for k in lead[1:])):
            want = sum((ia[(0, i) + idx] @ ib[(0, j) + idx] for i, j in terms), np.zeros((rows, cols), dtype=object))
            got = _ints(out[(0, s) + idx])
            assert np.array_equal(got, want % _MOD)


def test_wrap_pass_takes_uint64_products_only_for_narrow_sides(monkeypatch):
    """The wrap pass's matrix product goes to uint64 multiply-adds where a side has at most ``_WRAP_DIRECT`` rows
    (columns) and there are no batch axes, to the digit products otherwise, with the same residues."""
    calls = []
    real_wrap, real_u64 = modular._matmul_wrap, modular._matmul_u64
    monkeypatch.setattr(modular, "_matmul_wrap", lambda *a: calls.append("digits") or real_wrap(*a))
    monkeypatch.setattr(modular, "_matmul_u64", lambda *a: calls.append("u64") or real_u64(*a))
    rng = np.random.default_rng(3)
    rows = modular._WrapRows()
    for n1, n2, want in ((1, 9, "u64"), (9, 1, "u64"), (modular._WRAP_DIRECT, 9, "u64"), (9, 9, "digits"),
                         (modular._WRAP_DIRECT + 1, modular._WRAP_DIRECT + 1, "digits")):
        x = (_side(rng, (1, 2, n1, 6), "wrap"), modular._WRAP_TOP, False)
        y = (_side(rng, (1, 2, 6, n2), "exact"), float(2 ** 52 - 1), True)
        calls.clear()
        out, _, exact = rows.matmul(x, y, (n1, 6), (n1, 6), (6, n2))
        assert calls == [want] and not exact
        expected = real_wrap(x[0], None, y[0], 2 ** 52 - 1, 6 * 2)
        assert np.array_equal(out, expected)
    x = (_side(rng, (1, 2, 3, 1, 6), "wrap"), modular._WRAP_TOP, False)  # (batch axes: digits)
    y = (_side(rng, (1, 2, 3, 6, 9), "exact"), float(2 ** 52 - 1), True)
    calls.clear()
    out, _, _ = rows.matmul(x, y, (3, 1, 6), (3, 1, 6), (3, 6, 9))
    assert calls == ["digits"] and np.array_equal(out, real_u64(x[0], y[0]))


def _clique(rng, labels, degree, big):
    """Four objects related pairwise by pair factors of entries up to ``big`` with unary series: values far above
    2^64, so that the float pass, the wrap pass and primes all run."""
    unary = rng.integers(1, 2 ** 20, (degree + 1, labels)).astype(object)
    pairs = [rng.integers(big // 2, big + 1, (labels, labels)).astype(object) for _ in range(6)]
    return [((v,), unary) for v in range(4)] + list(zip(itertools.combinations(range(4), 2), pairs))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2 ** 32 - 1), labels=st.integers(2, 4), degree=st.integers(0, 3),
       big=st.sampled_from([5, 2 ** 20, 2 ** 40]), direct=st.sampled_from([0, 10 ** 9]))
def test_contraction_with_uint64_wrap_products_equals_brute_force(monkeypatch, seed, labels, degree, big, direct):
    """Contractions whose wrap pass multiplies every matrix in uint64 (or none): brute force."""
    monkeypatch.setattr(modular, "_FLOAT_PASS_PRIMES", 1)
    monkeypatch.setattr(modular, "_FLOAT_PASS_ENTRIES", 0)
    monkeypatch.setattr(modular, "_WRAP_PASS_PRIMES", 1)
    monkeypatch.setattr(modular, "_WRAP_DIRECT", direct)
    rng = np.random.default_rng(seed)
    factors = _clique(rng, labels, degree, big)
    want = brute_series(factors, 4, labels, degree)
    assert contract_series(factors, degree, memo=Memo()) == want
    assert contract_series(factors, degree) == want
