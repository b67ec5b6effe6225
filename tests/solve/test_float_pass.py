"""The float pass of the multi-modular elimination (solve/modular.py): the value once in float64 with a proved
bound on its rounding, so that fewer primes fix it; against brute force and the elimination without it."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brute_oracle import brute_series, random_factors
from gas_solver.solve import modular
from gas_solver.solve.modular import Memo, contract_int, contract_series


@pytest.fixture
def always_float(monkeypatch):
    """The float pass on every contraction of one problem (however small), and a record of what it returned."""
    monkeypatch.setattr(modular, "_FLOAT_PASS_PRIMES", 1)
    monkeypatch.setattr(modular, "_FLOAT_PASS_ENTRIES", 0)
    seen = []
    real = modular._float_pass

    def spy(*args, **kwargs):
        out = real(*args, **kwargs)
        seen.append(out)
        return out

    monkeypatch.setattr(modular, "_float_pass", spy)
    return seen


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2 ** 32 - 1), labels=st.integers(2, 4), degree=st.integers(0, 3), n=st.integers(1, 5),
       scale_bits=st.sampled_from([0, 20, 40, 60, 90]))
def test_float_pass_values_equal_brute_force(always_float, seed, labels, degree, n, scale_bits):
    """Values fixed by the float pass and the residues of as few primes as its error bound needs (with and
    without a memo) equal the brute-force sums."""
    rng = np.random.default_rng(seed)
    factors = random_factors(rng, labels, degree, n, scale_bits)
    want = brute_series(factors, n, labels, degree)
    assert contract_series(factors, degree) == want
    assert contract_series(factors, degree, memo=Memo()) == want


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2 ** 32 - 1), labels=st.integers(2, 4), n=st.integers(2, 4))
def test_float_pass_marginals_equal_brute_force(always_float, seed, labels, n):
    """With a variable kept open (a marginal per label), each value is fixed by its own neighbourhood."""
    rng = np.random.default_rng(seed)
    factors = [(sc, a if a.ndim == len(sc) else a[0]) for sc, a in random_factors(rng, labels, 0, n, 70)]
    keep = n - 1
    want = [0] * labels
    for lab in itertools.product(range(labels), repeat=n):
        want[lab[keep]] += int(np.prod([int(a[tuple(lab[u] for u in sc)]) for sc, a in factors], dtype=object))
    assert contract_int(factors, keep=keep) == want


def test_float_pass_saves_primes_and_brackets_the_value(always_float):
    """On a value far below its factors' bound the float pass asks for fewer primes than the bound, and the
    exact value lies in the interval it proves."""
    rng = np.random.default_rng(5)
    labels, n = 4, 5
    # (a sparse pair factor: the maxima bound counts every labelling at the largest entry)
    pair = np.zeros((labels, labels), dtype=object)
    pair[0, 1] = 2 ** 60
    pair[1, 2] = 3
    unary = rng.integers(1, 2 ** 40, (labels,)).astype(object)
    factors = [((v,), unary) for v in range(n)] + [((v, v + 1), pair) for v in range(n - 1)]
    want = brute_series(factors, n, labels, 0)
    assert contract_series(factors, 0) == want
    lows, _, k = always_float[-1]
    bound_k = 1
    bound = int(sum(unary)) ** n * int(max(pair.reshape(-1))) ** (n - 1)
    while modular._MODULUS_BITS[bound_k] <= bound.bit_length():
        bound_k += 1
    assert k < bound_k
    spread = 2 ** modular._MODULUS_BITS[k]
    assert lows[0][0] <= want[0] < lows[0][0] + spread


def test_float_pass_off_below_its_thresholds():
    """Small eliminations (Python steps rather than array work) keep the plain primes: no float pass."""
    rng = np.random.default_rng(1)
    factors = random_factors(rng, 3, 1, 3, 60)
    calls = []
    real = modular._float_pass
    try:
        modular._float_pass = lambda *a, **k: calls.append(1) or real(*a, **k)
        contract_series(factors, 1)
    finally:
        modular._float_pass = real
    assert not calls
