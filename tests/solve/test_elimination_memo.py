"""The numeric layer of counting by connected scenes (solve/modular.py): messages shared between
contractions (Memo) and the bound that sets the number of primes, against brute force."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from brute_oracle import brute_series
from gas_solver.solve import modular
from gas_solver.solve.modular import Memo, contract_series


def _family(rng, labels, degree, count):
    """Component-like problems built from a few shared arrays (so that their eliminations repeat): unary
    series per object, one pair factor used both ways, its diagonal, on random graphs of 1-5 objects."""
    big = 10 ** int(rng.integers(0, 12))
    unary = rng.integers(0, 7, (degree + 1, labels)).astype(object) * big
    plain = rng.integers(0, 4, labels).astype(object)
    pair = rng.integers(0, 5, (labels, labels)).astype(object)
    pair[rng.random((labels, labels)) < 0.2] = 0
    diagonal = np.ascontiguousarray(np.diagonal(pair))
    out = []
    for _ in range(count):
        n = int(rng.integers(1, 6))
        factors = [((v,), unary if rng.random() < 0.8 else plain) for v in range(n)]
        pairs = list(itertools.combinations(range(n), 2))
        rng.shuffle(pairs)
        for i, j in pairs[:int(rng.integers(0, len(pairs) + 1))]:
            factors.append(((i, j) if rng.random() < 0.5 else (j, i), pair))
        if rng.random() < 0.3:
            factors.append(((int(rng.integers(0, n)),), diagonal))
        out.append((factors, n))
    return out


@pytest.mark.parametrize("seed", range(12))
def test_memo_contractions_equal_brute_force(seed, monkeypatch):
    """A family of contractions sharing one memo (every step's message reused where its key recurs, rows
    kept per prime, the least recently used dropped when the memo is small, elimination steps sliced
    into a row or two) gives the brute-force sums, and the memo is really used."""
    if seed % 3 == 1:
        monkeypatch.setattr(modular, "_CHUNK_ENTRIES", 16)  # one or two primes per slice, by problem size
    if seed % 4 == 2:
        monkeypatch.setattr(modular, "_MEMO_WIDTH", 1)
    rng = np.random.default_rng(seed)
    labels, degree = int(rng.integers(2, 5)), int(rng.integers(0, 3))
    memo = Memo(max_bytes=2_000 if seed % 2 else 1 << 20)
    family = _family(rng, labels, degree, 14)
    for factors, n in family + family[::-1]:
        assert contract_series(factors, degree, memo=memo) == brute_series(factors, n, labels, degree)
    assert memo.hits > 0
    if seed % 2:
        assert memo.bytes <= 2_000


def test_memo_reuses_a_clique_message_across_orientations(monkeypatch):
    """Two 4-cliques whose eliminated object has the same three edge directions but different names for its
    neighbours: the widest step is computed once (by elimination: the dense path, which takes a whole
    4-clique, left out)."""
    monkeypatch.setattr(modular, "_dense_rest", lambda factors, cache: None)
    rng = np.random.default_rng(5)
    u = rng.integers(1, 9, (1, 4)).astype(object)
    F = rng.integers(0, 6, (4, 4)).astype(object)
    first = [((v,), u) for v in range(4)] + [((3, 0), F), ((3, 1), F), ((2, 3), F), ((0, 1), F), ((0, 2), F),
                                             ((1, 2), F)]
    second = [((v,), u) for v in range(4)] + [((3, 1), F), ((3, 2), F), ((0, 3), F), ((1, 0), F), ((2, 1), F),
                                              ((0, 2), F)]
    memo = Memo()
    for factors in (first, second):
        assert contract_series(factors, 0, memo=memo) == brute_series(factors, 4, 4, 0)
    assert memo.hits >= 1


def _bound(factors, degree):
    sizes = {}
    for sc, a in factors:
        sizes.update(zip(sc, np.shape(a)[-len(sc):] if sc else ()))
    return modular._tree_bound_bits(factors, 0, lambda sc, a: np.ndim(a) == len(sc) + 1, sizes, degree)


@pytest.mark.parametrize("seed", range(40))
def test_tree_bound_holds(seed):
    """The bound on the value's bits (forest sums, folded extra factors, a series bounded at x = 2^-j) is
    above every coefficient of the brute-force sum."""
    rng = np.random.default_rng(100 + seed)
    labels, degree = int(rng.integers(1, 5)), int(rng.integers(0, 4))
    for factors, n in _family(rng, labels, degree, 3):
        if rng.random() < 0.3:  # a triple factor (bounded by its largest entry)
            if n >= 3:
                factors.append(((0, 1, 2), rng.integers(0, 3, (labels,) * 3).astype(object)))
        truth = brute_series(factors, n, labels, degree)
        bits = _bound(factors, degree)
        top = max(truth)
        assert top == 0 or math.log2(top) < bits, (truth, bits)


def test_series_bound_is_near_the_value():
    """Five objects with three slots each on a star: the value at x = 1 alone bounded the coefficients of
    x^0..x^3 by ~2^196 where the largest is ~2^120 (three primes too many); bounded at x = 2^-j it is within
    a few bits."""
    rng = np.random.default_rng(3)
    labels, degree = 30, 3
    u = np.zeros((degree + 1, labels), dtype=object)
    for t in range(degree + 1):
        u[t] = rng.integers(1, 2 ** 10, labels).astype(object) * 2 ** (10 * t)
    F = rng.integers(0, 100, (labels, labels)).astype(object)
    factors = [((v,), u) for v in range(5)] + [((0, v), F) for v in range(1, 5)]
    value = contract_series(factors, degree)
    bits = _bound(factors, degree)
    assert math.log2(max(value)) < bits < math.log2(max(value)) + 12
    old = sum(math.log2(sum(u[:, m].sum() for m in range(labels))) for _ in range(5))  # value at x = 1
    assert bits < old - 40


def test_default_count_at_complexity_10_same_without_memo_and_tight_bound(monkeypatch):
    """The default taxonomy at complexity [1, 10]: the count with shared messages and the series bound equals
    the count without them (every message computed, primes from the maxima bound)."""
    from brute_oracle import complexity_spec as spec

    from gas_solver.solve import multiset
    from gas_solver.solve.count import count_scenes
    from gas_solver.taxonomy import default_taxonomy_path, load_taxonomy

    tax = load_taxonomy(default_taxonomy_path())
    new = count_scenes(spec(10), tax)
    plain = multiset.contract_series
    monkeypatch.setattr(multiset, "contract_series", lambda factors, d, memo=None: plain(factors, d))
    monkeypatch.setattr(modular, "_tree_bound_bits", lambda *a, **k: math.inf)
    modular._STATS.clear()
    assert count_scenes(spec(10), tax) == new


@pytest.mark.parametrize("taxonomy, body", [
    ("toy.toml", "complexity = [1, 6]\nobjects = [1, 3]\nattributes = [0, 1]\nacyclic = false\n"),
    ("tiny_domains.toml", "complexity = [1, 6]\nobjects = [1, 3]\nacyclic = false\n"),
    ("tiny_sized.toml", "complexity = [2, 6]\nobjects = [1, 3]\nacyclic = false\n"),
])
def test_value_only_path_over_lumps_equals_labels_and_brute_force(data_dir, taxonomy, body):
    """A structure component's value (the sampler's counts of drawn structures) over lumps of labels, with a
    memo shared between components, equals the value over labels and a brute-force sum over labellings."""
    from gas_solver.constraints import parse_constraints
    from gas_solver.solve import count
    from gas_solver.solve.burnside import component_factors, component_value, quotient
    from gas_solver.solve.count import space_of
    from gas_solver.solve.lumps import lumping
    from gas_solver.taxonomy import load_taxonomy

    tax = load_taxonomy(data_dir / taxonomy)
    sp = space_of(parse_constraints(f"[space]\n{body}", tax), tax)
    model = sp.count_model
    assert lumping(model) is not None
    factors = count._Factors(model)
    keys = sorted({key for s in sp.structures for g in s.automorphisms
                   for key, _ in quotient(s.n, s.attributes, s.edges, g).components}, key=repr)
    for key in keys:
        want = component_value(key, factors.unary, factors.pairwise)
        assert factors.value(key) == want
        if len(key[0]) <= 3:
            fs, den = component_factors(key, factors.unary, factors.pairwise)
            n = len(key[0])
            brute = sum(math.prod(int(a[tuple(lab[u] for u in sc)]) for sc, a in fs)
                        for lab in itertools.product(range(model.M), repeat=n))
            assert want * den == brute
    assert factors._memo.hits > 0 or len(keys) < 20


@pytest.mark.parametrize("seed", range(8))
def test_memo_order_costs_no_more_than_the_plain_order(seed, monkeypatch):
    """The memo's choice among least-degree variables (memoised, exact, plain first) never makes the
    elimination dearer than the plain order (least degree, ties by name), which callers may have set up by
    naming (.cores.elimination_names): the products of every step summed, on random graphs of 5-7 objects."""
    rng = np.random.default_rng(200 + seed)
    labels = 3
    steps = []
    real = modular._sum_product

    def record(v, gathered, nbrs, rows):
        steps.append(len(nbrs) + 1)
        return real(v, gathered, nbrs, rows)

    monkeypatch.setattr(modular, "_sum_product", record)
    memo = Memo()
    for factors, n in _family(rng, labels, 0, 12):
        if not any(len(s) == 2 for s, _ in factors):
            continue
        plain = sum(labels ** len(union) for _, union in modular._elimination_order([s for s, _ in factors])
                    if len(union) > 1)
        steps.clear()
        assert contract_series(factors, 0, memo=memo) == brute_series(factors, n, labels, 0)
        # (a memoised step costs nothing; a computed one labels^(its variables))
        assert sum(labels ** w for w in steps) <= plain


@pytest.mark.parametrize("case", ["tight", "tried", "modular"])
def test_exact_matrix_products_agree_with_integers(case):
    """A product of two exact sides: bounded by row and column sums, tried in float64 where bounds are loose
    and kept only where its largest entry proves it exact, else reduced: congruent to the integer product
    modulo every prime in each case."""
    rng = np.random.default_rng({"tight": 1, "tried": 2, "modular": 3}[case])
    n = 6
    H = {"tight": 2 ** 20, "tried": 2 ** 29, "modular": 2 ** 29}[case]
    a = rng.integers(0, 4, (n, n)).astype(np.int64)
    b = rng.integers(0, 4, (n, n)).astype(np.int64)
    if case == "tight":
        a[0, 0], b[1, 1] = H, H
    elif case == "tried":  # a large entry in a's column 0, b's row 1: they never meet
        a[:, 0] = H
        b[1, :] = H
        b[0, :] = 0
        a[:, 1] = 0
    else:  # they meet: the product passes 2^52
        a[:, 0] = H
        b[0, :] = H
    mods = np.array(modular.PRIMES[:3], dtype=np.float64)
    rows = modular._Rows(mods)
    x = (a.astype(np.float64).reshape(1, 1, n, n), float(a.max()), True)
    y = (b.astype(np.float64).reshape(1, 1, n, n), float(b.max()), True)
    out, top, exact = rows.matmul(x, y, (n, n), (n, n), (n, n))
    want = a.astype(object).dot(b.astype(object))
    assert exact == (case != "modular")
    got = rows.final((out, top, exact))
    for i, p in enumerate(modular.PRIMES[:3]):
        assert ((np.rint(got[i, 0]).astype(np.int64).astype(object) - want) % p == 0).all()
