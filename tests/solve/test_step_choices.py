"""A contraction's passes (float, wrap, each slice of primes) meet the same factors and work out each step's
candidates and memo keys once (``choices`` in :func:`gas_solver.solve.modular._eliminate`): the same values as
without a memo, and no step key worked out again after the first pass."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from gas_solver.solve import modular


def _k4(rng, labels: int, degree: int, top: int) -> list:
    """Four objects all related (a width-3 elimination), series unary factors, entries below ``top``."""
    def arr(*shape):
        return np.array(rng.integers(0, top, size=shape).tolist(), dtype=object)

    out = [((v,), arr(degree + 1, labels)) for v in range(4)]
    out += [((u, v), arr(degree + 1, labels, labels)) for u, v in itertools.combinations(range(4), 2)]
    return out


def _brute(factors, degree: int) -> list[int]:
    """Σ over every labelling of the product of the factors' series, truncated (Python integers)."""
    labels = factors[0][1].shape[1]
    total = [0] * (degree + 1)
    for x in itertools.product(range(labels), repeat=4):
        series = [1] + [0] * degree
        for scope, a in factors:
            s = a[(slice(None),) + tuple(x[v] for v in scope)]
            series = [sum(series[i] * s[t - i] for i in range(t + 1)) for t in range(degree + 1)]
        total = [a + b for a, b in zip(total, series)]
    return total


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1), labels=st.integers(1, 3), degree=st.integers(0, 2),
       bits=st.sampled_from([3, 30, 45]))
def test_passes_share_their_choices_and_values_stay_exact(seed, labels, degree, bits):
    rng = np.random.default_rng(seed)
    factors = _k4(rng, labels, degree, 1 << bits)
    calls = []
    real = modular._step_key
    passes = []
    real_eliminate = modular._eliminate

    def step_key(*args):
        calls.append(args[0])
        return real(*args)

    def eliminate(*args, **kw):
        passes.append(len(calls))
        return real_eliminate(*args, **kw)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(modular, "_CHUNK_ENTRIES", 1)  # (one prime per slice: several passes)
        mp.setattr(modular, "_FLOAT_PASS_ENTRIES", 0)  # (the float pass wherever the bound asks for primes)
        mp.setattr(modular, "_step_key", step_key)
        mp.setattr(modular, "_eliminate", eliminate)
        got = modular.contract_series(factors, degree, memo=modular.Memo())
    assert got == _brute(factors, degree) == modular.contract_series(factors, degree)
    # every step key is worked out in the first pass; the later passes read them
    assert calls and (len(passes) == 1 or passes[1] == len(calls))
    if bits == 45:
        assert len(passes) >= 3  # (float pass and primes: the cache was read)
