"""Elimination steps summed by blocks of one neighbour's labels (solve/modular.py ``_sum_product_blocks``: the
four-clique family's ``labels^3`` steps of long series at [1, 16]) and a product side reduced in place: against brute
force, and the same bytes as the whole step."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brute_oracle import brute_series
from gas_solver.solve import modular
from gas_solver.solve.modular import Memo, contract_series


def _series_clique(rng, labels, degree, big, zero_first):
    """Four objects related pairwise by series pair factors (entries up to ``big``; with ``zero_first``, no ``s^1``
    term, as the kernels' edge factors), unary series on all."""
    unary = rng.integers(1, 4, (degree + 1, labels)).astype(object)
    pairs = []
    for _ in range(6):
        arr = rng.integers(0, big + 1, (degree + 1, labels, labels)).astype(object)
        if zero_first and degree >= 1:
            arr[1] = 0
        pairs.append(arr)
    return [((v,), unary) for v in range(4)] + list(zip(itertools.combinations(range(4), 2), pairs))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2 ** 32 - 1), labels=st.integers(2, 5), degree=st.integers(0, 3),
       big=st.sampled_from([7, 2 ** 20, 2 ** 40]), block=st.sampled_from([1, 9, 40]), zero_first=st.booleans(),
       memo=st.booleans())
def test_steps_by_blocks_equal_brute_force(monkeypatch, seed, labels, degree, big, block, zero_first, memo):
    """Every step with a factor over the eliminated object and all its neighbours summed by blocks (down to one label
    a block): the four-clique's series equal brute force, in every pass (float, primes), with the memo and without."""
    monkeypatch.setattr(modular, "_BLOCK_STEP_ENTRIES", 1)
    monkeypatch.setattr(modular, "_BLOCK_ENTRIES", block)
    monkeypatch.setattr(modular, "_FLOAT_PASS_ENTRIES", 0)
    cuts = []
    real = modular._sum_product_blocks

    def spy(*args):
        cuts.append(args[-1])
        return real(*args)

    monkeypatch.setattr(modular, "_sum_product_blocks", spy)
    rng = np.random.default_rng(seed)
    factors = _series_clique(rng, labels, degree, big, zero_first)
    want = brute_series(factors, 4, labels, degree)
    assert contract_series(factors, degree, memo=Memo() if memo else None) == want
    if big > 2 ** 20 and block == 1:  # (residues: the steps over a whole message go by blocks of one label)
        assert cuts


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2 ** 32 - 1), labels=st.tuples(st.integers(2, 9), st.integers(1, 9), st.integers(1, 9)),
       degree=st.integers(0, 4), primes=st.integers(1, 3), block=st.sampled_from([1, 13, 100]),
       exact_pairs=st.booleans())
def test_step_by_blocks_same_bytes_as_whole(monkeypatch, seed, labels, degree, primes, block, exact_pairs):
    """One step ``Σ_v M(v, a, b) · A(v, a) · B(v, b) · U(v)`` with ``M`` residues: by blocks of a neighbour's labels, the
    same array, bound and kind as the whole step."""
    lv, la, lb = labels
    rng = np.random.default_rng(seed)
    mods = np.array(modular.PRIMES[:primes], dtype=np.float64)
    rows = modular._Rows(mods)
    n = degree + 1
    half = modular.PRIMES[0] // 2
    m = (rng.integers(-half, half + 1, (primes, n, lv, la, lb)).astype(np.float64), modular._RESIDUE, False)
    if exact_pairs:
        pa = (rng.integers(0, 200, (1, n, lv, la)).astype(np.float64), 199.0, True)
        pb = (rng.integers(0, 200, (1, n, lv, lb)).astype(np.float64), 199.0, True)
    else:
        pa = (rng.integers(-half, half + 1, (primes, n, lv, la)).astype(np.float64), modular._RESIDUE, False)
        pb = (rng.integers(-half, half + 1, (primes, n, lv, lb)).astype(np.float64), modular._RESIDUE, False)
    u = (rng.integers(0, 5, (1, n, lv)).astype(np.float64), 4.0, True)
    gathered = [((0, 1, 2), m), ((0, 1), pa), ((0, 2), pb), ((0,), u)]
    whole = modular._sum_product(0, gathered, (1, 2), rows, whole=False)
    monkeypatch.setattr(modular, "_BLOCK_STEP_ENTRIES", 1)
    monkeypatch.setattr(modular, "_BLOCK_ENTRIES", block)
    cut = modular._step_cut(0, gathered, (1, 2))
    blocked = modular._sum_product(0, gathered, (1, 2), rows)
    assert cut is None or cut[2] < cut[1]
    assert blocked[0].shape == whole[0].shape and blocked[0].tobytes() == whole[0].tobytes()
    assert blocked[1:] == whole[1:]


def test_no_blocks_where_every_factor_is_exact(monkeypatch):
    """Exact factors take bounds from their own entries (a block could come out exact where another does not): such a
    step stays whole."""
    monkeypatch.setattr(modular, "_BLOCK_STEP_ENTRIES", 1)
    monkeypatch.setattr(modular, "_BLOCK_ENTRIES", 1)
    m = (np.ones((1, 2, 3, 4, 5)), 1.0, True)
    a = (np.ones((1, 2, 3, 4)), 1.0, True)
    assert modular._step_cut(0, [((0, 1, 2), m), ((0, 1), a)], (1, 2)) is None
    inexact = (m[0], modular._RESIDUE, False)
    assert modular._step_cut(0, [((0, 1, 2), inexact), ((0, 1), a)], (1, 2)) == (2, 5, 1)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1), exact=st.booleans(), n=st.integers(1, 4), primes=st.integers(1, 3))
def test_matmul_own_side_reduced_in_place_same_result(seed, exact, n, primes):
    """``_Rows.matmul`` with ``own_x``: the same result as without; an exact side is never written (its entries are
    read again for the bound), residues may be reduced in place."""
    rng = np.random.default_rng(seed)
    rows = modular._Rows(np.array(modular.PRIMES[:primes], dtype=np.float64))
    if exact:
        a = rng.integers(0, 2 ** 40, (1, n, 6, 7)).astype(np.float64)
        x = (a, float(a.max()), True)
    else:
        a = rng.integers(-2 ** 46, 2 ** 46, (primes, n, 6, 7)).astype(np.float64)
        x = (a, float(2 ** 46), False)
    y = (rng.integers(-2 ** 20, 2 ** 20, (primes, n, 7, 5)).astype(np.float64), float(2 ** 20), False)
    kept = a.copy()
    want = rows.matmul((kept.copy(),) + x[1:], y, (6, 7), (6, 7), (7, 5))
    got = rows.matmul(x, y, (6, 7), (6, 7), (7, 5), own_x=True)
    assert got[0].tobytes() == want[0].tobytes() and got[1:] == want[1:]
    if exact:
        assert np.array_equal(a, kept)
