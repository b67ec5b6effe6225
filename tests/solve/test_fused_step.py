"""The fused ``labels^3`` step of the eliminations (solve/modular.py ``_fused_step``: ``Σ_v M(v, a, b) A(v, a) B(v, b)
U(v)`` in one einsum per coefficient) against Python integers, in each pass's arithmetic: modulo primes (operands
near the residues' bounds, so that the ``v`` axis must be cut into blocks or an operand into digits), float64 with
its proved count of roundings, and modulo 2^64."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gas_solver.solve import modular

V, A, B = 0, 1, 2


def _brute(factors, sizes, n):
    """``{(s, a, b): Σ_v Π factors}`` as Python integers (series truncated at ``n`` coefficients)."""
    out = {}
    for la, lb in itertools.product(range(sizes[A]), range(sizes[B])):
        total = [0] * n
        for lv in range(sizes[V]):
            label = {V: lv, A: la, B: lb}
            prod = [1] + [0] * (n - 1)
            for sc, arr in factors:
                idx = tuple(label[u] for u in sc)
                coef = [int(arr[(t,) + idx]) for t in range(arr.shape[0])]
                if len(coef) == 1:
                    prod = [c * coef[0] for c in prod]
                else:
                    prod = [sum(prod[i] * coef[s - i] for i in range(s + 1)) for s in range(n)]
            total = [x + y for x, y in zip(total, prod)]
        for s in range(n):
            out[(s, la, lb)] = total[s]
    return out


@st.composite
def _steps(draw, labels=(1, 9)):
    """A step's factors: one to three messages on all three variables (any order of scope), pairwise factors on
    ``(v, a)`` / ``(v, b)`` (either order, zero to two each), unary factors of ``v``; series of ``n`` coefficients or
    constants; entries below ``2^bits`` with ``bits`` drawn per factor (many near the top)."""
    sizes = {V: draw(st.integers(*labels)), A: draw(st.integers(1, 5)), B: draw(st.integers(1, 5))}
    n = draw(st.sampled_from([1, 1, 2, 3]))
    seed = draw(st.integers(0, 2 ** 32 - 1))
    rng = np.random.default_rng(seed)
    scopes = []
    for _ in range(draw(st.integers(1, 3))):
        scopes.append(tuple(draw(st.permutations([V, A, B]))))
    for u in (A, B):
        for _ in range(draw(st.integers(0, 2))):
            scopes.append((V, u) if draw(st.booleans()) else (u, V))
    for _ in range(draw(st.integers(0, 2))):
        scopes.append((V,))
    factors = []
    for sc in scopes:
        bits = draw(st.integers(0, 60))
        terms = n if draw(st.booleans()) else 1
        shape = (terms,) + tuple(sizes[u] for u in sc)
        hi = 1 << bits
        arr = np.empty(shape, dtype=object)
        flat = arr.reshape(-1)
        near = rng.random(flat.size) < 0.6
        for i in range(flat.size):
            flat[i] = int(hi - 1 - int(rng.integers(0, max(1, hi >> 4)))) if near[i] else int(rng.integers(0, hi))
        factors.append((sc, arr))
    nbrs = (A, B) if draw(st.booleans()) else (B, A)
    return sizes, n, factors, nbrs, seed


def _check(rows, gathered, sizes, n, factors, nbrs, compare):
    got = modular._fused_step(V, gathered, nbrs, rows)
    if got is None:
        # (no pairwise factor: the general step, outside the wrap pass; or several longer series: more einsums than
        # the general step's products)
        pairs = [[f for f in factors if len(f[0]) == 2 and u in f[0]] for u in nbrs]
        groups = [[f for f in factors if len(f[0]) == 3]] + ([p for p in pairs if p] or [[]])
        groups[-1] = groups[-1] + [f for f in factors if len(f[0]) == 1]
        top = max(arr.shape[0] for _, arr in factors)
        lengths = [top if any(arr.shape[0] > 1 for _, arr in g) else 1 for g in groups]
        assert ((not any(pairs) and not isinstance(rows, modular._WrapRows))
                or len(modular._coefficient_terms(lengths, top)) > max(modular._FUSED_TERMS, top))
        return
    want = _brute(factors, sizes, max(arr.shape[0] for _, arr in factors))
    arr, top, exact = got
    assert arr.shape[1:] == (n if any(a.shape[0] > 1 for _, a in factors) else 1, sizes[nbrs[0]], sizes[nbrs[1]])
    for (s, la, lb), y in want.items():
        if s >= arr.shape[1]:
            continue
        idx = (s, la, lb) if nbrs == (A, B) else (s, lb, la)
        compare(arr[(slice(None),) + idx], y, top, exact)


@settings(max_examples=150, deadline=None)
@given(step=_steps(labels=(1, 40)), primes=st.integers(1, 2), kinds=st.lists(st.integers(0, 2), min_size=3,
                                                                              max_size=3))
def test_fused_step_modulo_primes_equals_integers(step, primes, kinds):
    """Each factor passed as exact float64 integers (below 2^52), as reduced residues, or as unreduced congruent
    integers with their bound (up to 2^51): every result row congruent to the integers modulo its prime, reduced,
    and exact ones equal."""
    check_modulo_primes(step, primes, kinds)


def check_modulo_primes(step, primes, kinds):
    """The fused step modulo ``primes`` primes with the factors passed as ``kinds`` says (0 exact, 1 unreduced,
    2 residues; in turn) against Python integers (shared with ``test_step_arithmetic``)."""
    sizes, n, factors, nbrs, _ = step
    mods = np.array(modular.PRIMES[:primes], dtype=np.float64)
    rows = modular._Rows(mods)
    gathered = []
    for i, (sc, arr) in enumerate(factors):
        ints = arr.reshape((1,) + arr.shape)
        top = max(int(x) for x in arr.reshape(-1))
        kind = kinds[i % 3]
        if kind == 0 and top < 1 << 52:
            gathered.append((sc, (ints.astype(np.float64), float(top), True)))
        elif kind == 1 and top < 1 << 51:
            gathered.append((sc, (np.repeat(ints.astype(np.float64), primes, axis=0), float(top), False)))
        else:
            res = np.stack([[[modular._symmetric_int(int(x), int(p)) for x in row.reshape(-1)]
                             for row in arr.reshape(arr.shape[0], -1)] for p in modular.PRIMES[:primes]])
            gathered.append((sc, (res.reshape((primes,) + arr.shape).astype(np.float64), modular._RESIDUE, False)))

    def compare(col, y, top, exact):
        if exact:
            assert col.shape[0] == 1 and int(col[0]) == y and col[0] <= top
            return
        assert col.shape[0] == primes and np.all(np.abs(col) <= modular._RESIDUE)
        for r, p in enumerate(modular.PRIMES[:primes]):
            assert (int(col[r]) - y) % p == 0

    _check(rows, gathered, sizes, n, factors, nbrs, compare)


@settings(max_examples=100, deadline=None)
@given(step=_steps())
def test_fused_step_float_within_its_roundings(step):
    """The float pass: exact where it says so, else within ``y·((1+u)^N - 1)`` of the integer for its count ``N``
    (factors below 2^53 exact, larger ones rounded once)."""
    sizes, n, factors, nbrs, _ = step
    gathered = []
    for sc, arr in factors:
        top = max(int(x) for x in arr.reshape(-1))
        values = np.array([float(x) for x in arr.reshape(-1)]).reshape((1,) + arr.shape)
        gathered.append((sc, (values, float(top), True) if top < 1 << 52 else (values, 1.0, False)))
    u = 2.0 ** -53

    def compare(col, y, top, exact):
        if exact:
            assert int(col[0]) == y
            return
        err = abs(int(col[0]) - y) if col[0] < 2.0 ** 1000 else 0
        assert err <= y * math.expm1(top * math.log1p(u)) * (1 + 1e-6) + 1

    _check(modular._FloatRows(), gathered, sizes, n, factors, nbrs, compare)


@settings(max_examples=100, deadline=None)
@given(step=_steps(), exact=st.lists(st.booleans(), min_size=3, max_size=3))
def test_fused_step_modulo_two_to_64(step, exact):
    """The wrap pass: exact float64 operands (below 2^52) or uint64 residues; the result modulo 2^64 (or the
    integers themselves where it says exact)."""
    sizes, n, factors, nbrs, _ = step
    gathered = []
    for i, (sc, arr) in enumerate(factors):
        top = max(int(x) for x in arr.reshape(-1))
        if exact[i % 3] and top < 1 << 52:
            gathered.append((sc, (arr.astype(np.float64).reshape((1,) + arr.shape), float(top), True)))
        else:
            res = np.array([int(x) % (1 << 64) for x in arr.reshape(-1)], dtype=np.uint64)
            gathered.append((sc, (res.reshape((1,) + arr.shape), modular._WRAP_TOP, False)))

    def compare(col, y, top, is_exact):
        if is_exact:
            assert col.dtype == np.float64 and int(col[0]) == y
        else:
            assert col.dtype == np.uint64 and int(col[0]) == y % (1 << 64)

    _check(modular._WrapRows(), gathered, sizes, n, factors, nbrs, compare)


@pytest.mark.parametrize("labels,bits", [(8, 14), (64, 14), (125, 14), (125, 20), (40, 30)])
def test_fused_step_near_the_bound_needs_its_cuts(labels, bits):
    """Residues at their bound (``p/2``) times pairwise factors near 2^15 and ``2^bits``: a sum over ``labels`` of
    ``v`` passes 2^53 (and with ``bits`` 20 or 30 a single product 2^52), so the step must cut ``v`` into blocks or a
    factor into digits (checked: the result equals the integers modulo the prime; a sum in one piece would have
    rounded)."""
    p = modular.PRIMES[0]
    rng = np.random.default_rng(labels)
    h = p // 2
    m = rng.integers(h - 50, h + 1, (1, 1, labels, 3, 2)).astype(np.float64)
    a = rng.integers((1 << 15) - 100, 1 << 15, (1, 1, labels, 3)).astype(np.float64)
    b = rng.integers((1 << bits) - 100, 1 << bits, (1, 1, labels, 2)).astype(np.float64)
    assert float(m.max()) * a.max() * b.max() * labels >= 2.0 ** 53 or labels < 64
    gathered = [((V, A, B), (m, modular._RESIDUE, False)), ((V, A), (a, float(a.max()), True)),
                ((V, B), (b, float(b.max()), True))]
    rows = modular._Rows(np.array([float(p)]))
    out, _, _ = modular._fused_step(V, gathered, (A, B), rows)
    mi, ai, bi = (x.astype(np.int64).astype(object) for x in (m, a, b))
    want = np.einsum("vab,va,vb->ab", mi[0, 0], ai[0, 0], bi[0, 0])
    assert all((int(x) - int(y)) % p == 0 for x, y in zip(out[0, 0].reshape(-1), want.reshape(-1)))


def test_fused_step_taken_by_the_elimination(monkeypatch):
    """A triangle with unary series, eliminated with the float and wrap passes: the fused step is taken and the value
    equals the reference contraction's."""
    calls = []
    real = modular._fused_step

    def spy(*args):
        out = real(*args)
        calls.append(out is not None)
        return out

    monkeypatch.setattr(modular, "_fused_step", spy)
    rng = np.random.default_rng(3)
    m = 30
    u = rng.integers(0, 1 << 20, (3, m)).astype(object)
    F = rng.integers(0, 1 << 24, (m, m)).astype(object)
    G = rng.integers(0, 1 << 24, (m, m, m)).astype(object)
    factors = [((0,), u), ((1,), u), ((2,), u), ((0, 1), F), ((1, 2), F), ((0, 2), F), ((0, 1, 2), G)]
    got = modular.contract_series(factors, 2)
    monkeypatch.setattr(modular, "_fused_step", lambda *args: None)
    assert got == modular.contract_series(factors, 2)
    assert any(calls)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1), sa=st.sampled_from([1, 3]), shape=st.lists(st.integers(1, 6), min_size=1,
                                                                                     max_size=3))
def test_wrap_product_with_a_constant_side(seed, sa, shape):
    """``_mul_wrap`` where a side is constant (one coefficient): exact float64 integers (below 2^52, converted
    first) times uint64 residues, broadcast: the integers' product modulo 2^64."""
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 1 << 52, (1, sa) + tuple(shape)).astype(np.float64)
    b = rng.integers(0, 2 ** 64, (1, 1) + tuple(d if rng.random() < 0.6 else 1 for d in shape), dtype=np.uint64)
    for x, y in ((a, b), (b, a)):
        got = modular._mul_wrap(x, y)
        ints = [z.astype(np.int64).astype(object) if z.dtype == np.float64 else z.astype(object) for z in (x, y)]
        want = ints[0] * ints[1]
        assert got.dtype == np.uint64 and got.shape == want.shape
        assert all(int(g) == int(w) % (1 << 64) for g, w in zip(got.reshape(-1), want.reshape(-1)))


def test_fused_step_base_two_digits_end():
    """Operands that leave room for base-2 digits only (a message near 2^48, pairwise entries up to 3, two labels):
    the digit cut ends (its loop once never did for β = 1: ``floor(3/2) + 1`` is 2 again) and the sums are the
    integers' residues."""
    mods = np.array(modular.PRIMES[:2], dtype=np.float64)
    rows = modular._Rows(mods)
    rng = np.random.default_rng(5)
    labels, na, nb = 2, 3, 2
    m = rng.integers((1 << 48) - (1 << 40), 1 << 48, size=(labels, na, nb)).astype(np.float64)
    a = rng.integers(0, 4, size=(labels, na)).astype(np.float64)
    b = rng.integers(0, 4, size=(labels, nb)).astype(np.float64)
    a[0, 0] = b[0, 0] = 3
    sl = [(m[None], "vab"), (a[None], "va"), (b[None], "vb")]
    got = rows._sum3_mod(sl, [float(1 << 48), 3.0, 3.0], labels)
    for r, p in enumerate(int(x) for x in mods):
        for i in range(na):
            for j in range(nb):
                want = sum(int(m[v, i, j]) * int(a[v, i]) * int(b[v, j]) for v in range(labels)) % p
                assert int(got[r, i, j]) % p == want, (p, i, j)


def test_fused_step_without_a_digit_width_refuses():
    """Where no digit width leaves room (a message near 2^50 beside pairwise entries up to 3: the folding of large
    operands keeps the count's steps far from this), the step says so instead of cutting digits forever."""
    rows = modular._Rows(np.array(modular.PRIMES[:1], dtype=np.float64))
    m = np.full((1, 2, 1, 1), float(1 << 50))
    a = np.full((1, 2, 1), 3.0)
    with pytest.raises(AssertionError, match="without an exact cut"):
        rows._sum3_mod([(m, "vab"), (a, "va"), (a.copy(), "vb")], [float(1 << 50), 3.0, 3.0], 2)
