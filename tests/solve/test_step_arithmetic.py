"""The arithmetic of one elimination step modulo the primes (solve/modular.py): the reducer on messages read in
another axis order, and the memo's rows of residues kept reduced, against Python integers and brute force."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from brute_oracle import brute_series
from gas_solver.solve import modular
from gas_solver.solve.modular import Memo, contract_series
from test_fused_step import A, B, V, _steps, check_modulo_primes


def _ints(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64).astype(np.int64).astype(object)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2 ** 32 - 1), primes=st.integers(1, 3), one_row=st.booleans(), fresh=st.booleans(),
       shape=st.lists(st.integers(1, 6), min_size=2, max_size=4), block=st.sampled_from([1, 5, 64, 1 << 16]),
       bits=st.sampled_from([3, 23, 40, 51]), data=st.data())
def test_reducer_on_a_permuted_view_equals_integers(monkeypatch, seed, primes, one_row, fresh, shape, block, bits,
                                                    data):
    """A message read in another axis order (a transposed view, as ``_expand`` makes it) is reduced in the order
    of its memory and handed back in the view's order: every entry congruent to the integer modulo its row's prime,
    within the residues' bound, values near ``2^52`` included; the input untouched unless ``fresh``."""
    monkeypatch.setattr(modular, "_REDUCE_BLOCK", block)  # (small blocks: the path of large arrays)
    rng = np.random.default_rng(seed)
    mods = np.array(modular.PRIMES[:primes], dtype=np.float64)
    rows = 1 if one_row else primes
    top = float(2 ** bits - 1)
    base = rng.integers(-2 ** bits + 1, 2 ** bits, (rows,) + tuple(shape)).astype(np.float64)
    base.flat[0] = top if bits < 52 else float(2 ** 52 - 1)
    perm = data.draw(st.permutations(range(1, len(shape) + 1)))
    view = base.transpose((0,) + tuple(perm))
    want = _ints(view)
    kept = base.copy()
    out = modular._reducer(mods)(view, fresh=fresh and rows == primes)
    assert out.shape == (primes,) + view.shape[1:]
    assert np.all(np.abs(out) <= modular._RESIDUE)
    got = _ints(out)
    for r, p in enumerate(modular.PRIMES[:primes]):
        assert np.all((got[r] - want[0 if one_row else r]) % p == 0)
    if not (fresh and rows == primes):
        assert np.array_equal(base, kept)


def _shared_family(rng, labels, degree, count, big):
    """Problems sharing two large pair factors (entries up to ``big``), so that their messages pass the residues'
    bound and the memo holds them for several users."""
    unary = rng.integers(0, 5, (degree + 1, labels)).astype(object)
    heavy = rng.integers(0, big + 1, (labels, labels)).astype(object)
    light = rng.integers(0, 9, (labels, labels)).astype(object)
    out = []
    for _ in range(count):
        n = int(rng.integers(3, 6))
        factors = [((v,), unary) for v in range(n)]
        for i, j in itertools.combinations(range(n), 2):
            if rng.random() < 0.8:
                factors.append(((i, j) if rng.random() < 0.5 else (j, i), heavy if rng.random() < 0.5 else light))
        out.append((factors, n))
    return out


def test_memo_keeps_reduced_residues_and_the_counts_hold(monkeypatch):
    """Planned messages modulo the primes above the residues' bound go into the memo reduced (float32 rows within
    the bound, where they were float64 rows to be reduced again by each user), and every contraction of a family that
    shares them still equals brute force."""
    seen = []
    real_put = Memo.put

    def put(self, key, primes, message):
        real_put(self, key, primes, message)
        if not message[2] and primes[0] >= 0 and self.shared(key):
            stored = [self._rows.get((key, i)) for i in primes]
            seen.append((message, [None if row is None else row[0].dtype for row in stored]))

    monkeypatch.setattr(Memo, "put", put)
    rng = np.random.default_rng(7)
    memo = Memo(max_bytes=1 << 22)
    family = _shared_family(rng, 4, 1, 10, 10 ** 9)
    family = family + family[::-1]
    kept: dict = {}
    plans = [modular.plan_steps(factors, 1, memo, kept) for factors, _ in family]
    memo.expect(modular.plan_uses(plans), order=plans)
    for (factors, n), plan in zip(family, plans):
        assert contract_series(factors, 1, memo=memo) == brute_series(factors, n, 4, 1)
        memo.release(plan)
    assert seen and memo.hits > 0
    for (arr, top, _), dtypes in seen:
        assert top <= modular._RESIDUE and np.all(np.abs(arr) <= modular._RESIDUE)
        assert all(d is None or d == np.float32 for d in dtypes) and any(d == np.float32 for d in dtypes)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1), labels=st.integers(2, 4), degree=st.integers(0, 2),
       big=st.sampled_from([3, 10 ** 6, 10 ** 12]))
def test_memo_family_with_large_factors_equals_brute_force(seed, labels, degree, big):
    """Families sharing large pair factors through a small memo (rows dropped and computed again): brute force."""
    rng = np.random.default_rng(seed)
    memo = Memo(max_bytes=4_000)
    for factors, n in _shared_family(rng, labels, degree, 6, big):
        assert contract_series(factors, degree, memo=memo) == brute_series(factors, n, labels, degree)


def _clique(rng, labels, degree, big):
    """Four objects related pairwise by exact pair factors with entries of about ``big``, unary series on all: the
    first step is a ``labels^4`` matrix product of exact sides whose sums pass 2^52 where ``big`` is 2^20."""
    unary = rng.integers(1, 4, (degree + 1, labels)).astype(object)
    pairs = [rng.integers(big // 2, big + 1, (labels, labels)).astype(object) for _ in range(6)]
    return [((v,), unary) for v in range(4)] + list(zip(itertools.combinations(range(4), 2), pairs))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2 ** 32 - 1), labels=st.integers(2, 4), degree=st.integers(0, 2),
       big=st.sampled_from([5, 2 ** 17, 2 ** 20]))
def test_steps_the_float_pass_proved_large_are_not_tried_exact(monkeypatch, seed, labels, degree, big):
    """Where the float pass found a step's message at or above 2^52, the wrap pass and the primes do not try its
    matrix product of exact sides in float64 first (it could not come out exact): no product of theirs comes out at
    or above 2^52, and the values equal brute force, with the memo and without."""
    monkeypatch.setattr(modular, "_FLOAT_PASS_PRIMES", 1)
    monkeypatch.setattr(modular, "_FLOAT_PASS_ENTRIES", 0)
    monkeypatch.setattr(modular, "_WRAP_PASS_PRIMES", 1)
    monkeypatch.setattr(modular, "_TRY_EXACT", float(2 ** 200))  # (every product of exact sides is worth a try)
    failed = []
    real_mm = modular._matmul_exact

    def matmul_exact(a, b):
        out = real_mm(a, b)
        if trying[0] and float(out.max(initial=0.0)) >= modular._EXACT:
            failed.append(out.shape)
        return out

    trying = [False]
    for cls in (modular._Rows, modular._WrapRows):
        def matmul(self, *args, _real=cls.matmul, **kw):
            trying[0] = True
            try:
                return _real(self, *args, **kw)
            finally:
                trying[0] = False
        monkeypatch.setattr(cls, "matmul", matmul)
    monkeypatch.setattr(modular, "_matmul_exact", matmul_exact)
    rng = np.random.default_rng(seed)
    factors = _clique(rng, labels, degree, big)
    want = brute_series(factors, 4, labels, degree)
    memo = Memo()
    assert contract_series(factors, degree, memo=memo) == want
    assert not failed
    if big == 2 ** 20:
        assert memo._large
    assert contract_series(factors, degree) == want


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(step=_steps(labels=(1, 40)), primes=st.integers(1, 2), kinds=st.lists(st.integers(0, 2), min_size=3,
                                                                              max_size=3),
       block=st.sampled_from([1, 100, 3000, 1 << 18]))
def test_fused_step_by_blocks_of_v_modulo_primes_equals_integers(monkeypatch, step, primes, kinds, block):
    """Several messages on the step's three variables (any scope order) as exact integers, unreduced congruent
    integers or residues: modulo the primes their product, its reduction and the einsums go by blocks of ``v`` (down to
    one label a block); every result row congruent to the integers modulo its prime and reduced, exact ones equal."""
    monkeypatch.setattr(modular, "_SERIES_BLOCK", block)
    assume(sum(len(sc) == 3 for sc, _ in step[2]) >= 2)
    check_modulo_primes(step, primes, kinds)


def test_fused_step_by_blocks_is_taken(monkeypatch):
    """Two residue messages in different scope orders on 30 labels go by blocks of ``v`` (8 labels a block)."""
    monkeypatch.setattr(modular, "_SERIES_BLOCK", 2 * 40 * 50 * 8)  # (2 primes, a series of one)
    rng = np.random.default_rng(3)
    mods = np.array(modular.PRIMES[:2], dtype=np.float64)
    labels = 30
    half = modular.PRIMES[1] // 2
    m1 = rng.integers(-half, half + 1, (2, 1, labels, 40, 50)).astype(np.float64)
    m2 = rng.integers(-half, half + 1, (2, 1, 50, labels, 40)).astype(np.float64)
    pair = rng.integers(0, 200, (1, 1, labels, 40)).astype(np.float64)
    gathered = [((V, A, B), (m1, modular._RESIDUE, False)), ((B, V, A), (m2, modular._RESIDUE, False)),
                ((V, A), (pair, 199.0, True))]
    calls = []
    rows = modular._Rows(mods)
    real = rows.sum3
    rows.sum3 = lambda ops, extra=(): calls.append(len(extra)) or real(ops, extra)
    arr, _, exact = modular._fused_step(V, gathered, (A, B), rows)
    assert calls == [1, 0, 0, 0, 0] and not exact
    want = np.einsum("rvab,rbva,va->rab", _ints(m1[:, 0]), _ints(m2[:, 0]), _ints(pair[0, 0]))
    for r, p in enumerate(modular.PRIMES[:2]):
        assert np.all((arr[r, 0].astype(np.int64).astype(object) - want[r]) % p == 0)
