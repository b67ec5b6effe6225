"""The five-clique path of the numeric layer (solve/dense.py) against brute force and the elimination."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from brute_oracle import brute_series
from gas_solver.solve import dense
from gas_solver.solve.dense import clique5_series
from gas_solver.solve.modular import PRIMES, _contract, contract_series


def _clique(rng, labels, degree, unary_top, pair_top, extra=True):
    """Five variables, every pair joined (either direction, sometimes twice), unary series on most, a
    constant unary (a diagonal) on some, variables possibly renamed."""
    names = [int(x) for x in rng.permutation(9)[:5]]
    factors = []
    for v in names:
        if rng.random() < 0.85:
            factors.append(((v,), rng.integers(0, unary_top, (degree + 1, labels)).astype(object)))
        if extra and rng.random() < 0.3:
            factors.append(((v,), rng.integers(0, 4, labels).astype(object)))
    for u, v in itertools.combinations(names, 2):
        pair = rng.integers(0, pair_top, (labels, labels)).astype(object)
        pair[rng.random((labels, labels)) < 0.2] = 0
        factors.append(((u, v) if rng.random() < 0.5 else (v, u), pair))
        if extra and rng.random() < 0.15:
            factors.append(((v, u), rng.integers(0, 3, (labels, labels)).astype(object)))
    return factors, names


@pytest.mark.parametrize("seed", range(10))
def test_clique_equals_brute_force(seed):
    rng = np.random.default_rng(seed)
    labels, degree = int(rng.integers(1, 4)), int(rng.integers(0, 3))
    factors, names = _clique(rng, labels, degree, 6, 5)
    renamed = {v: i for i, v in enumerate(names)}
    plain = [(tuple(renamed[u] for u in sc), a) for sc, a in factors]
    want = brute_series(plain, 5, labels, degree)
    assert clique5_series(factors, degree, PRIMES) == want
    assert contract_series(factors, degree) == want


@pytest.mark.parametrize("seed", range(8))
def test_clique_with_large_entries_equals_elimination(seed):
    """Entries large enough that step 1 is cut into digits and Y passes 2^64 (the modulo-2^64 and float64
    values together), against the multi-modular elimination."""
    rng = np.random.default_rng(100 + seed)
    labels, degree = int(rng.integers(2, 6)), int(rng.integers(0, 3))
    factors, _ = _clique(rng, labels, degree, 1 << 30, 1 << 6, extra=False)
    cut = []
    digits = dense._digits

    def spy(arr, top, bits):
        out = digits(arr, top, bits)
        cut.append(len(out))
        return out

    dense._digits = spy
    try:
        got = clique5_series(factors, degree, PRIMES)
    finally:
        dense._digits = digits
    assert got is not None and got == _contract(factors, 0, 1, degree)[0]
    if seed == 0:  # all entries at their largest: step 1 needs the digits, Y passes 2^64
        top = [(sc, np.full_like(a, (1 << 30) - 1 if len(sc) == 1 else 63)) for sc, a in factors]
        cut.clear()
        dense._digits = spy
        try:
            got = clique5_series(top, degree, PRIMES)
        finally:
            dense._digits = digits
        assert max(cut) >= 2
        assert got == _contract(top, 0, 1, degree)[0]


def test_not_a_clique_or_too_large_falls_back():
    rng = np.random.default_rng(7)
    factors, _ = _clique(rng, 3, 1, 6, 5, extra=False)
    assert clique5_series(factors[:-1], 1, PRIMES) is None  # a pair missing
    big = [(sc, a * (1 << 60)) for sc, a in factors]
    assert clique5_series(big, 1, PRIMES) is None  # beyond exact float64 products
    assert contract_series(big, 1) == _contract(big, 0, 1, 1)[0]
    series_pair = factors[:-1] + [(factors[-1][0], np.stack([factors[-1][1]] * 2))]
    assert clique5_series(series_pair, 1, PRIMES) is None  # pairwise series: the elimination's


def test_transitive_tournament_of_counter_factors():
    """The counter's own factors (a lumped toy taxonomy): the five-object tournament's value by the dense
    path equals the elimination without it."""
    from gas_solver.solve.multiset import GraphScenes
    from gas_solver.solve.count import space_of
    from gas_solver.constraints.model import Bounds, ConstraintSpec, IntRange
    from gas_solver.taxonomy import load_taxonomy
    from pathlib import Path

    tax = load_taxonomy(Path(__file__).resolve().parents[1] / "data" / "toy.toml")
    space = space_of(ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 17))), tax)
    counter = GraphScenes(space.count_model, (0, 17), 17)
    d = 2
    factors = [((v,), counter.unary(1, d)) for v in range(5)]
    factors += [((i, j), counter.pair(1)) for i, j in itertools.combinations(range(5), 2)]
    assert clique5_series(factors, d, PRIMES) == _contract(factors, 0, 1, d)[0]


@pytest.mark.parametrize("seed", range(10))
def test_four_clique_equals_brute_force_and_elimination(seed):
    """clique4_series alone, and inside an elimination: two objects in two relations each hung on a 4-clique's
    pairs (their messages become its pairwise factors), with and without a memo."""
    from gas_solver.solve import modular
    from gas_solver.solve.modular import Memo

    rng = np.random.default_rng(200 + seed)
    labels, degree = int(rng.integers(1, 4)), int(rng.integers(0, 3))
    names = [int(x) for x in rng.permutation(6)]
    core, pend = names[:4], names[4:]
    # (the hung objects' unary factors constant: a series one would make their messages series)
    factors = [((v,), rng.integers(0, 50, (degree + 1, labels)).astype(object)) for v in core]
    factors += [((v,), rng.integers(0, 50, labels).astype(object)) for v in pend]
    for u, v in itertools.combinations(core, 2):
        factors.append(((u, v) if rng.random() < 0.5 else (v, u), rng.integers(0, 1 << 9, (labels, labels)).astype(object)))
    alone = [f for f in factors if set(f[0]) <= set(core)]
    renamed = {v: i for i, v in enumerate(core)}
    want = brute_series([(tuple(renamed[u] for u in sc), a) for sc, a in alone], 4, labels, degree)
    assert dense.clique4_series(alone, degree, PRIMES) == want
    for p, (u, v) in zip(pend, [(core[0], core[1]), (core[2], core[3])]):
        edge = rng.integers(0, 1 << 9, (labels, labels)).astype(object)
        factors += [((u, p), edge), ((p, v), edge)]
    renamed = {v: i for i, v in enumerate(names)}
    want = brute_series([(tuple(renamed[u] for u in sc), a) for sc, a in factors], 6, labels, degree)
    calls = []
    rest = modular._dense_rest

    def spy(fs, cache):
        out = rest(fs, cache)
        calls.append(out is not None)
        return out

    modular._dense_rest = spy
    try:
        assert contract_series(factors, degree) == want
        assert not calls  # (only where asked: a count's cores)
        assert contract_series(factors, degree, dense=True) == want
        assert contract_series(factors, degree, memo=Memo(), dense=True) == want
    finally:
        modular._dense_rest = rest
    assert any(calls)


def test_four_clique_with_large_entries():
    """Messages of ~2^27 as pairwise factors: step one in digits, Y past 2^64."""
    rng = np.random.default_rng(9)
    for degree in (0, 1, 2):
        labels = 4
        factors = [((v,), rng.integers(0, 1 << 20, (degree + 1, labels)).astype(object)) for v in range(4)]
        for u, v in itertools.combinations(range(4), 2):
            factors.append(((u, v), rng.integers(0, 1 << 27 if (u, v) in ((0, 1), (2, 3)) else 200, (labels, labels)).astype(object)))
        cut = []
        digits = dense._digits

        def spy(arr, top, bits):
            out = digits(arr, top, bits)
            cut.append(len(out))
            return out

        dense._digits = spy
        try:
            got = dense.clique4_series(factors, degree, PRIMES)
        finally:
            dense._digits = digits
        assert got is not None and got == _contract(factors, 0, 1, degree)[0]
        assert max(cut) >= 2 and max(got) > 1 << 64
