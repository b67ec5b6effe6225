"""The wrap pass of the multi-modular elimination (solve/modular.py): the value modulo 2^64 in uint64 arithmetic
(products and sums wrap by themselves; matrix products as exact float64 products of digits), combined with the
float pass's interval and as few primes as are left; against brute force, Python integers and the elimination
without it."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brute_oracle import brute_series, random_factors, wrapped_series_product
from gas_solver.solve import modular
from gas_solver.solve.modular import Memo, contract_int, contract_series

WRAP = 1 << 64


@pytest.fixture
def always_wrap(monkeypatch):
    """The float pass and the wrap pass on every contraction of one problem, and a record of the wrap pass's
    results."""
    monkeypatch.setattr(modular, "_FLOAT_PASS_PRIMES", 1)
    monkeypatch.setattr(modular, "_FLOAT_PASS_ENTRIES", 0)
    monkeypatch.setattr(modular, "_WRAP_PASS_PRIMES", 1)
    seen = []
    real = modular._wrap_pass

    def spy(*args, **kwargs):
        out = real(*args, **kwargs)
        seen.append(out)
        return out

    monkeypatch.setattr(modular, "_wrap_pass", spy)
    return seen


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2 ** 32 - 1), labels=st.integers(2, 4), degree=st.integers(0, 3), n=st.integers(1, 5),
       scale_bits=st.sampled_from([0, 20, 40, 60, 90]))
def test_wrap_pass_values_equal_brute_force(always_wrap, seed, labels, degree, n, scale_bits):
    """Values fixed by the float pass's interval, their residues modulo 2^64 and the primes still needed (with
    and without a memo, and a second time from the memo's messages) equal the brute-force sums."""
    rng = np.random.default_rng(seed)
    factors = random_factors(rng, labels, degree, n, scale_bits)
    want = brute_series(factors, n, labels, degree)
    assert contract_series(factors, degree) == want
    memo = Memo()
    assert contract_series(factors, degree, memo=memo) == want
    assert contract_series(factors, degree, memo=memo) == want  # (the wrap pass's messages from the memo)
    for got, value in zip(always_wrap[-1], want):
        assert got[0] == value % WRAP


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2 ** 32 - 1), labels=st.integers(2, 4), n=st.integers(2, 4))
def test_wrap_pass_marginals_equal_brute_force(always_wrap, seed, labels, n):
    """With a variable kept open, every kept value is fixed by its own interval and residue."""
    rng = np.random.default_rng(seed)
    factors = [(sc, a if a.ndim == len(sc) else a[0]) for sc, a in random_factors(rng, labels, 0, n, 70)]
    keep = n - 1
    want = [0] * labels
    for lab in itertools.product(range(labels), repeat=n):
        want[lab[keep]] += int(np.prod([int(a[tuple(lab[u] for u in sc)]) for sc, a in factors], dtype=object))
    assert contract_int(factors, keep=keep) == want


def test_wrap_pass_replaces_primes():
    """On a wide value (a chain of large factors) the wrap pass runs, and fewer primes are computed than the
    float pass alone needs: the residues modulo 2^64 stand for ~2.8 primes below 2^23."""
    rng = np.random.default_rng(3)
    labels, n = 40, 6
    unary = rng.integers(1, 2 ** 20, (labels,)).astype(object)
    pair = rng.integers(1, 2 ** 14, (labels, labels)).astype(object)
    factors = [((v,), unary) for v in range(n)] + [((v, v + 1), pair) for v in range(n - 1)] + [((0, n - 1), pair)]
    wraps, floats, slices = [], [], []
    real_wrap, real_float, real_eliminate = modular._wrap_pass, modular._float_pass, modular._eliminate

    def eliminate(*args, **kwargs):
        if kwargs.get("rows") is None:
            slices.append(len(args[1]))
        return real_eliminate(*args, **kwargs)
    try:
        modular._wrap_pass = lambda *a, **k: wraps.append(real_wrap(*a, **k)) or wraps[-1]
        modular._float_pass = lambda *a, **k: floats.append(real_float(*a, **k)) or floats[-1]
        modular._eliminate = eliminate
        modular._FLOAT_PASS_ENTRIES = 0
        got = contract_int(factors)
    finally:
        modular._wrap_pass, modular._float_pass, modular._eliminate = real_wrap, real_float, real_eliminate
        modular._FLOAT_PASS_ENTRIES = 1 << 24
    modular._WRAP_PASS_PRIMES, saved = 10 ** 6, modular._WRAP_PASS_PRIMES
    try:
        assert contract_int(factors) == got  # (the float pass and its primes alone)
    finally:
        modular._WRAP_PASS_PRIMES = saved
    assert wraps and floats[0][2] >= 3
    assert sum(slices) <= floats[0][2] - 2
    assert wraps[0][0][0] == got % WRAP


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1), rows=st.integers(1, 6), inner=st.integers(1, 300), cols=st.integers(1, 5),
       series=st.sampled_from([(1, 1), (1, 3), (3, 1), (3, 3)]),
       left_bits=st.sampled_from([None, 1, 8, 20, 34, 51]), right_bits=st.sampled_from([None, 1, 8, 20, 34, 51]))
def test_matmul_wrap_equals_integers(seed, rows, inner, cols, series, left_bits, right_bits):
    """``_matmul_wrap`` on uint64 residues and exact float64 integers of every width equals the product of the
    Python integers modulo 2^64 (series coefficients convolved and truncated)."""
    rng = np.random.default_rng(seed)

    def side(shape, bits):
        if bits is None:
            return rng.integers(0, 2 ** 63, shape, dtype=np.uint64) * np.uint64(2) + np.uint64(1), None
        arr = rng.integers(0, 2 ** bits, shape).astype(np.float64)
        return arr, float(2 ** bits - 1)

    sa, sb = series
    a, ta = side((1, sa, rows, inner), left_bits)
    b, tb = side((1, sb, inner, cols), right_bits)
    n = min(sa, sb) if sa > 1 and sb > 1 else 1
    got = modular._matmul_wrap(a, ta, b, tb, inner * n)
    A = a.astype(object) if ta is None else a.astype(np.int64).astype(object)
    B = b.astype(object) if tb is None else b.astype(np.int64).astype(object)
    assert got.dtype == np.uint64
    assert [[[int(v) for v in r] for r in m] for m in got[0]] == wrapped_series_product(A, B, WRAP)


def test_memo_keeps_the_wrap_rows_exactly():
    """A message modulo 2^64 goes into the memo and comes back bit for bit (not through float32 or float64)."""
    memo = Memo()
    message = np.array([[[2 ** 64 - 1, 2 ** 53 + 1, 3]]], dtype=np.uint64)
    key = memo.step(("wrap test",))
    memo.put(key, range(modular._WRAP_ROW, modular._WRAP_ROW + 1), (message, modular._WRAP_TOP, False))
    back, _, exact = memo.get(key, range(modular._WRAP_ROW, modular._WRAP_ROW + 1))
    assert not exact and back.dtype == np.uint64 and back.tolist() == message.tolist()
    memo.expect({key: 1})
    memo.release([key])
    assert memo.get(key, range(modular._WRAP_ROW, modular._WRAP_ROW + 1)) is None and memo.bytes == 0


@pytest.mark.parametrize("seed", range(6))
def test_wrap_pass_fixes_the_value_anywhere_in_the_proved_interval(monkeypatch, seed):
    """The residues modulo 2^64 and the primes chosen fix the value in *any* interval of the width the float
    pass proves (here the value at its very top: the modulus must pass the whole width)."""
    rng = np.random.default_rng(seed)
    degree = int(rng.integers(0, 3))
    factors = random_factors(rng, 3, degree, 4, int(rng.choice([40, 60, 90])))
    want = brute_series(factors, 4, 3, degree)
    monkeypatch.setattr(modular, "_FLOAT_PASS_PRIMES", 1)
    monkeypatch.setattr(modular, "_FLOAT_PASS_ENTRIES", 0)
    monkeypatch.setattr(modular, "_WRAP_PASS_PRIMES", 1)
    real = modular._float_pass

    def at_the_top(*args, **kwargs):
        out = real(*args, **kwargs)
        if out is None:
            return None
        lows, bits, k = out
        return [[max(0, want[t] - 2 ** bits + 1) for _ in row] for t, row in enumerate(lows)], bits, k

    monkeypatch.setattr(modular, "_float_pass", at_the_top)
    assert contract_series(factors, degree) == want


@pytest.mark.parametrize("tname,cmax", [("tiny_a", 10), ("toy", 9)])
def test_cores_with_float_and_wrap_passes_equal_the_per_graph_counter(tiny_taxa, monkeypatch, tname, cmax):
    """The count's core path (planned order, memo shared between cores and passes) with the float pass and the
    wrap pass on every contraction: the per-graph counter's connected counts (which run neither)."""
    from brute_oracle import complexity_spec as spec
    from gas_solver.solve import cores, kernels, multiset
    from gas_solver.solve.count import Space
    from gas_solver.solve.multiset import GraphScenes
    from gas_solver.solve.structures import _limits

    sp = Space(spec(cmax), tiny_taxa[tname])
    lim = _limits(sp.spec.bounds)
    model = sp.count_model
    want = multiset.connected_shape_counts(model, lim, counter=GraphScenes(model, lim["apo"], cmax))
    monkeypatch.setattr(kernels, "USE_KERNELS", False)
    monkeypatch.setattr(modular, "_FLOAT_PASS_PRIMES", 1)
    monkeypatch.setattr(modular, "_FLOAT_PASS_ENTRIES", 0)
    monkeypatch.setattr(modular, "_WRAP_PASS_PRIMES", 1)
    wraps = []
    real = modular._wrap_pass
    monkeypatch.setattr(modular, "_wrap_pass", lambda *a, **k: wraps.append(1) or real(*a, **k))
    counter = GraphScenes(model, lim["apo"], cmax)
    assert cores.connected_shape_counts(model, lim, counter=counter) == want
    assert len(wraps) > 10


def test_wrap_pass_off_on_long_series(always_wrap):
    """A series of more coefficients than ``_WRAP_PASS_TERMS`` keeps the primes (the wrap pass's digit copies of
    long series cost memory and time): no wrap pass, the same values."""
    rng = np.random.default_rng(11)
    degree = modular._WRAP_PASS_TERMS
    factors = random_factors(rng, 3, degree, 4, 60)
    want = brute_series(factors, 4, 3, degree)
    assert contract_series(factors, degree) == want
    assert not always_wrap
