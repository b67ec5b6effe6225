"""Products of truncated power series in the multi-modular elimination (solve/modular.py): matrix products of
series modulo the primes (one reduction after the coefficients' sums) and element-wise series products, against
Python integers."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gas_solver.solve import modular


def _ints(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64).astype(np.int64).astype(object)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1), primes=st.integers(1, 3), na=st.integers(1, 18), nb=st.integers(1, 18),
       inner=st.sampled_from([1, 5, 128, 129, 300]), batch=st.integers(1, 3))
def test_series_matmul_modulo_primes_equals_integers(seed, primes, na, nb, inner, batch):
    """``_matmul`` of reduced residues (series on both sides, or one side constant; inner axes past one block of
    2^7): every coefficient congruent to the integers' truncated product modulo its row's prime and reduced
    (``|r| <= _RESIDUE``, the bound the elimination then assumes)."""
    rng = np.random.default_rng(seed)
    mods = np.array(modular.PRIMES[:primes], dtype=np.float64)
    reduce = modular._reducer(mods)
    half = modular.PRIMES[0] // 2
    a = rng.integers(-half, half + 1, (primes, na, batch, 3, inner)).astype(np.float64)
    b = rng.integers(-half, half + 1, (primes, nb, batch, inner, 2)).astype(np.float64)
    out = modular._matmul(a, b, reduce)
    terms = min(na, nb) if na > 1 and nb > 1 else max(na, nb)
    assert out.shape == (primes, terms, batch, 3, 2)
    assert np.all(np.abs(out) <= modular._RESIDUE)
    ia, ib, got = _ints(a), _ints(b), _ints(out)
    for r, p in enumerate(modular.PRIMES[:primes]):
        for t in range(terms):
            if na == 1 or nb == 1:
                want = np.matmul(ia[r, 0 if na == 1 else t], ib[r, 0 if nb == 1 else t])
            else:
                want = sum(np.matmul(ia[r, i], ib[r, t - i]) for i in range(t + 1))
            assert np.all((got[r, t] - want) % p == 0)
