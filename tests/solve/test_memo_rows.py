"""The memo's rows of one message across the passes of the multi-modular elimination (solve/modular.py `Memo`):
where the float pass's row proves a message below 2^64, the wrap pass's row holds its values themselves, and a
dropped float row comes back from them (one rounding each) instead of being computed again; against brute force,
the elimination without a memo and the per-graph counter."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brute_oracle import brute_series, random_factors
from gas_solver.solve import modular
from gas_solver.solve.modular import _FLOAT_ROW, _WRAP_ROW, Memo, contract_series

FLOAT = range(_FLOAT_ROW, _FLOAT_ROW + 1)
WRAP = range(_WRAP_ROW, _WRAP_ROW + 1)


@pytest.fixture
def float_and_wrap(monkeypatch):
    """The float pass and the wrap pass on every contraction, and a record of the float rows the memo gave
    back from the wrap pass's values."""
    monkeypatch.setattr(modular, "_FLOAT_PASS_PRIMES", 1)
    monkeypatch.setattr(modular, "_FLOAT_PASS_ENTRIES", 0)
    monkeypatch.setattr(modular, "_WRAP_PASS_PRIMES", 1)
    derived = []
    real = Memo.get

    def get(self, key, primes):
        missing = primes[0] == _FLOAT_ROW and (key, None) not in self._rows and (key, _FLOAT_ROW) not in self._rows
        out = real(self, key, primes)
        if missing and out is not None:
            derived.append(key)
        return out

    monkeypatch.setattr(Memo, "get", get)
    return derived


def test_wrap_row_below_two_to_the_64_gives_the_float_row():
    """A wrap row whose float row proves it below 2^64 gives a float row (one rounding) once the float row is gone;
    one that the float row cannot prove so does not."""
    memo = Memo()
    values = np.array([[[2 ** 62 + 12345, 2 ** 53 + 1, 7]]], dtype=np.uint64)
    approx = values.astype(np.float64)
    low, high = memo.step(("low",)), memo.step(("high",))
    for key, top in ((low, 2.0), (high, 2.0 ** 20)):  # (roundings of the float row)
        memo.put(key, FLOAT, (approx * (3.0 if key == high else 1.0), top, False))
        memo.put(key, WRAP, (values, modular._WRAP_TOP, False))
    assert memo._is_value((low, _WRAP_ROW)) and not memo._is_value((high, _WRAP_ROW))
    for key in (low, high):
        memo.bytes -= memo._rows.pop((key, _FLOAT_ROW))[0].nbytes
    assert memo.has(low, FLOAT) and not memo.has(high, FLOAT)
    got, rounds, exact = memo.get(low, FLOAT)
    assert got.dtype == np.float64 and rounds == 1.0 and not exact
    assert got.tolist() == approx.tolist()
    assert memo.get(high, FLOAT) is None
    back, _, _ = memo.get(low, WRAP)
    assert back.dtype == np.uint64 and back.tolist() == values.tolist()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2 ** 32 - 1), labels=st.integers(2, 4), degree=st.integers(0, 3), n=st.integers(3, 5),
       scale_bits=st.sampled_from([0, 20, 40, 60]))
def test_float_rows_from_the_wrap_rows_equal_brute_force(float_and_wrap, seed, labels, degree, n, scale_bits):
    """A contraction whose float rows were dropped after a first run (the wrap rows kept): the float pass takes
    them from the wrap rows where those are the values; the same integers as brute force and as without a memo."""
    rng = np.random.default_rng(seed)
    factors = random_factors(rng, labels, degree, n, scale_bits)
    want = brute_series(factors, n, labels, degree)
    memo = Memo()
    assert contract_series(factors, degree, memo=memo) == want
    for row in [row for row in memo._rows if row[1] == _FLOAT_ROW]:
        memo.bytes -= memo._rows.pop(row)[0].nbytes
    float_and_wrap.clear()
    assert contract_series(factors, degree, memo=memo) == want
    assert contract_series(factors, degree) == want


def test_some_float_rows_come_from_the_wrap_rows(float_and_wrap):
    """The property above is not empty: on problems of small factors, dropped float rows do come back from wrap
    rows (and give the brute-force values)."""
    hits = 0
    for seed in range(24):
        rng = np.random.default_rng(seed)
        factors = random_factors(rng, 3, 1, 4, (20, 26, 32)[seed % 3])
        want = brute_series(factors, 4, 3, 1)
        memo = Memo()
        assert contract_series(factors, 1, memo=memo) == want
        for row in [row for row in memo._rows if row[1] == _FLOAT_ROW]:
            memo.bytes -= memo._rows.pop(row)[0].nbytes
        float_and_wrap.clear()
        assert contract_series(factors, 1, memo=memo) == want
        hits += len(float_and_wrap)
    assert hits >= 3


@pytest.mark.parametrize("tname,cmax", [("tiny_a", 10), ("toy", 9)])
def test_cores_with_a_tiny_memo_and_both_passes_equal_the_per_graph_counter(
        tiny_taxa, monkeypatch, float_and_wrap, tname, cmax):
    """The count's core path (planned order, the memo told the order) with the float pass and the wrap pass on every
    contraction and a memo of 512 bytes, which drops float rows first (here the messages are small: exact, or
    float rows computed again): the per-graph counter's connected counts."""
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
    monkeypatch.setattr(cores, "PLANNED_MEMO_BYTES", 1 << 9)
    counter = GraphScenes(model, lim["apo"], cmax)
    counter.memo.max_bytes = 1 << 9
    assert cores.connected_shape_counts(model, lim, counter=counter) == want
