"""The sampler's exact elimination (burnside.contract / _einsum) against Python-integer sums.

Every path of ``_einsum`` (float64 BLAS under 2**53, base-2**s digits, int64, Python integers) and the
folding of small arrays must give the same integers as summing Python integers term by term.
"""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from gas_solver.solve import burnside
from gas_solver.solve.burnside import _einsum, contract

SPECS = ["a,ab->b", "a,ab,ac->bc", "ab,bc->ac", "a,ab,ac,ad->bcd", "ab,ab->", "a->", "abc,ab->c",
         "ab,ba,a->b", "b,bd,be,b,be->de", "b,cb,db,bcd->cd"]


def _brute(spec: str, arrays: list):
    """``Σ Π`` over every assignment of the summed letters, in Python integers."""
    ins, out = spec.split("->")
    ins = ins.split(",")
    sizes = {}
    for sub, a in zip(ins, arrays):
        sizes.update(zip(sub, a.shape))
    letters = sorted(sizes)
    res = np.zeros(tuple(sizes[x] for x in out), dtype=object) if out else 0
    for vals in itertools.product(*(range(sizes[x]) for x in letters)):
        at = dict(zip(letters, vals))
        term = 1
        for sub, a in zip(ins, arrays):
            term *= int(a[tuple(at[x] for x in sub)])
        if out:
            res[tuple(at[x] for x in out)] += term
        else:
            res += term
    return res


def _random_arrays(rnd: random.Random, spec: str, magnitude: int, negative: bool, int64: bool) -> list:
    ins = spec.split("->")[0].split(",")
    dims = {x: rnd.randint(1, 4) for x in "abcde"}
    out = []
    for sub in ins:
        shape = tuple(dims[x] for x in sub)
        mag = rnd.choice([1, magnitude])
        vals = [rnd.randint(-mag if negative else 0, mag) for _ in range(int(np.prod(shape)))]
        arr = np.array(vals, dtype=object).reshape(shape)
        if int64 and mag < 2 ** 62:
            arr = arr.astype(np.int64)
        out.append(arr)
    return out


@pytest.mark.parametrize("magnitude", [3, 10 ** 6, 2 ** 40, 2 ** 62, 10 ** 30])
@pytest.mark.parametrize("negative", [False, True])
@pytest.mark.parametrize("int64", [False, True])
@pytest.mark.parametrize("slab", [None, 5])
def test_einsum_equals_python_integer_sums(magnitude, negative, int64, slab, monkeypatch):
    if slab is not None:  # large results and arrays slab by slab (stacked or added)
        monkeypatch.setattr(burnside, "_SLAB", slab)
    rnd = random.Random(magnitude % 65521 + 2 * negative + 4 * int64)
    for _ in range(25):
        spec = rnd.choice(SPECS)
        arrays = _random_arrays(rnd, spec, magnitude, negative, int64)
        got = _einsum(spec, [a.copy() for a in arrays])
        want = _brute(spec, arrays)
        got = np.asarray(got, dtype=object) if isinstance(got, np.ndarray) else got
        if isinstance(want, np.ndarray):
            assert got.shape == want.shape and (got.astype(object) == want).all(), spec
        else:
            assert int(got) == want, spec


def test_einsum_paths_are_taken(monkeypatch):
    """Each path is reached (the sums above would pass through the Python-integer path alone)."""
    taken = []
    real = np.einsum

    def spy(spec, *ops, **kw):
        taken.append(ops[0].dtype if ops else None)
        return real(spec, *ops, **kw)

    monkeypatch.setattr(burnside.np, "einsum", spy)
    small = [np.arange(4, dtype=object), np.arange(16, dtype=object).reshape(4, 4)]
    assert list(_einsum("a,ab->b", small)) == list(_brute("a,ab->b", small))
    assert taken[-1] == np.float64
    taken.clear()
    wide = [np.array([2 ** 40, 3], dtype=object), np.array([[2 ** 30, 1], [5, 2 ** 35]], dtype=object)]
    assert list(_einsum("a,ab->b", wide)) == list(_brute("a,ab->b", wide))  # folded, then digits
    assert taken and all(t == np.float64 for t in taken) and len(taken) > 1


def test_int64_messages_keep_sampling_weights_exact():
    """Messages stored as int64 by contract multiply as Python integers in the sampler's step weights."""
    from gas_solver.solve.sample.tables import step_weights

    big = 2 ** 40
    f = np.full((3, 3), big, dtype=np.int64)
    w = step_weights([((0, 1), f), ((0, 1), f), ((0,), np.array([big, 1, 2], dtype=object))], 0, {1: 2})
    assert w == [big ** 3, big ** 2, 2 * big ** 2]


def test_contract_matches_python_integer_elimination():
    """Whole eliminations (the sampler's tables): value and every message equal to Python-integer sums."""
    rnd = random.Random(5)
    for trial in range(20):
        n = rnd.randint(2, 4)
        k = rnd.randint(2, 5)
        factors = [((v,), np.array([rnd.randint(0, 10 ** rnd.randint(1, 12)) for _ in range(k)], dtype=object))
                   for v in range(n)]
        for i, j in itertools.combinations(range(n), 2):
            if rnd.random() < 0.7:
                factors.append(((i, j), np.array([[rnd.randint(0, 200) for _ in range(k)] for _ in range(k)],
                                                 dtype=object)))
        z, steps = contract(list(factors))
        want = _brute(",".join("".join("abcd"[u] for u in s) for s, _ in factors) + "->", [f for _, f in factors])
        assert z == want
        for v, nbrs, gathered in steps:
            for scope, f in gathered:
                assert f.dtype in (np.int64, object)


def test_lumped_steps_multiply_int64_messages_exactly():
    """Messages kept in int64 by contract, gathered by a lumped elimination (solve/lumps.py), give the same
    step weights as the elimination over labels, however large their products (no int64 overflow)."""
    from gas_solver.solve.burnside import eliminate
    from gas_solver.solve.lumps import Lumping, eliminate_lumped
    from gas_solver.solve.sample.tables import step_weights

    of = np.array([0, 1, 0, 2, 1])
    lumps = Lumping(of, np.array([0, 1, 3]))
    lead = [0, 1, 3]
    F = np.array([[(7 * i + 3 * j) % 5 + 2 ** 10 for j in range(3)] for i in range(3)], dtype=object)[np.ix_(of, of)]
    unary = np.array([2 ** 30 + 17 * i for i in range(5)], dtype=object)
    key = (((0, 1),) * 3, ((0, 2, 1), (1, 2, 1)))  # two leaves' messages (~2**42 each) meet at the centre
    plain = eliminate(key, lambda a, L: (unary, 1), lambda L: (F, 1))
    lumped = eliminate_lumped(key, lambda a, L: (unary, 1), lambda L: (F, 1), lumps)
    assert plain.z == lumped.z
    assert any(f.dtype == np.int64 for _, _, g in plain.steps for _, f in g)  # int64 messages are in play
    for (v, nbrs, g1), (v2, nbrs2, g2) in zip(plain.steps, lumped.steps):
        assert (v, nbrs) == (v2, nbrs2)
        for at in itertools.product(range(5), repeat=len(nbrs)):
            assert step_weights(g1, v, dict(zip(nbrs, at))) == step_weights(g2, v, dict(zip(nbrs, at)))
    assert lead == [int(x) for x in lumps.lead]
