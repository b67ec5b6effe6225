"""Contractions run pass by pass (solve/modular.py `run_pass_major`) and the count's cores in groups of consecutive
planned cores pass by pass (solve/cores.py `_CoreScenes.cores_pass_major`): the same integers as one by one, as
brute force and as the per-graph counter, whatever the group's size and the memo's (evictions mid-group), and the
memo's rule for still-needed rows by when their pass comes (`Memo.pass_major`)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from brute_oracle import brute_series, random_factors
from brute_oracle import complexity_spec as spec
from gas_solver.solve import cores, kernels, modular, multiset
from gas_solver.solve.count import Space
from gas_solver.solve.modular import (_FLOAT_PASS, _FLOAT_ROW, _PRIME_PASS, _WRAP_PASS, _WRAP_ROW, Memo,
                                      contract_series, contract_series_passes, plan_steps, plan_uses,
                                      run_pass_major)
from gas_solver.solve.multiset import GraphScenes
from gas_solver.solve.structures import _limits

FLOAT = range(_FLOAT_ROW, _FLOAT_ROW + 1)
WRAP = range(_WRAP_ROW, _WRAP_ROW + 1)


@pytest.fixture
def every_pass(monkeypatch):
    """The float pass and the wrap pass on every contraction (the count's large ones run them)."""
    monkeypatch.setattr(modular, "_FLOAT_PASS_PRIMES", 1)
    monkeypatch.setattr(modular, "_FLOAT_PASS_ENTRIES", 0)
    monkeypatch.setattr(modular, "_WRAP_PASS_PRIMES", 1)


class _Spy(Memo):
    """A memo that records the passes it is told of and the still-needed rows it drops during a pass."""

    def __init__(self, max_bytes):
        super().__init__(max_bytes)
        self.passes: list = []
        self.dropped_needed = 0

    def at_pass(self, rank, offset=0):
        super().at_pass(rank, offset)
        self.passes.append(rank)

    def put(self, key, primes, message):
        before = {row for row in self._rows if row[0] in self._uses}
        super().put(key, primes, message)
        if self._pass is not None:
            self.dropped_needed += len(before - set(self._rows))


def _jobs(rng, labels, degree, n, scale_bits, count):
    """``count`` factor sets that share arrays (so their elimination steps share messages through a memo): each
    a base set with one factor replaced or one unary factor added."""
    base = random_factors(rng, labels, degree, n, scale_bits)
    jobs = [base]
    for _ in range(count - 1):
        other = list(base)
        if rng.random() < 0.5:
            i = int(rng.integers(0, len(other)))
            sc, a = other[i]
            other[i] = (sc, a + rng.integers(0, 2, np.shape(a)).astype(object))
        else:
            v = int(rng.integers(0, n))
            other.append(((v,), rng.integers(1, 4, (degree + 1, labels)).astype(object)))
        jobs.append(other)
    return jobs


def _told_the_plan(memo, jobs, degree: int) -> list:
    """Each job's planned memo keys; the memo told their uses and order, and one group of all the jobs."""
    kept: dict = {}
    plans = [plan_steps(f, degree, memo, kept) for f in jobs]
    memo.expect(plan_uses(plans), order=plans)
    memo.pass_major(len(jobs))
    return plans


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2 ** 32 - 1), labels=st.integers(2, 4), degree=st.integers(0, 3), n=st.integers(3, 5),
       scale_bits=st.sampled_from([0, 20, 40, 60]), count=st.integers(1, 5),
       max_bytes=st.sampled_from([0, 1 << 9, 64 << 20]))
@example(seed=4_294_967_294, labels=2, degree=3, n=5, scale_bits=0, count=1, max_bytes=1 << 9)
def test_pass_major_equals_one_by_one_and_brute_force(every_pass, seed, labels, degree, n, scale_bits, count,
                                                      max_bytes):
    """Contractions that share messages, run pass by pass with one memo (none, 512 bytes: rows dropped mid-pass,
    or large) told their plan: brute force's integers, each; the passes ran in order (float, wrap, primes)."""
    rng = np.random.default_rng(seed)
    jobs = _jobs(rng, labels, degree, n, scale_bits, count)
    want = [brute_series(f, n, labels, degree) for f in jobs]
    memo = _Spy(max_bytes) if max_bytes else None
    if memo is not None:
        plans = _told_the_plan(memo, jobs, degree)
    got = run_pass_major([contract_series_passes(f, degree, memo) for f in jobs], memo, list(range(len(jobs))))
    assert got == want
    assert [contract_series(f, degree) for f in jobs] == want
    if memo is not None:
        ranks = [r for r in memo.passes if r is not None]
        assert ranks == sorted(ranks)
        # (five objects related pairwise take the dense path, no pass at all: seed 4294967294's single job)
        if any(list(contract_series_passes(f, degree)) for f in jobs):
            assert ranks[0] == _FLOAT_PASS and _WRAP_PASS in ranks
        else:
            assert not ranks
        for keys in plans:
            memo.release(keys)
        assert not memo._uses and not memo._next


def test_pass_major_really_drops_needed_rows_mid_pass(every_pass):
    """The property above is not empty: with 512 bytes, rows still needed are dropped while a pass runs, and the
    values stay brute force's."""
    dropped = 0
    for seed in range(12):
        rng = np.random.default_rng(seed)
        jobs = _jobs(rng, 4, 2, 5, 40, 4)
        memo = _Spy(1 << 9)
        _told_the_plan(memo, jobs, 2)
        assert run_pass_major([contract_series_passes(f, 2, memo) for f in jobs], memo, [0, 1, 2, 3]) == [
            brute_series(f, 5, 4, 2) for f in jobs]
        dropped += memo.dropped_needed
    assert dropped >= 3


def test_memo_pass_by_pass_drops_rows_whose_pass_is_over_first():
    """Pass by pass in groups of two: during the wrap pass, a float row that the group no longer needs (its next
    user is in the next group) goes before a wrap row needed now, and a row no later contraction needs goes
    first of all; an exact row needed by the group stays."""
    memo = Memo(max_bytes=3 * 80)
    a, b, c = (memo.step(("step", i)) for i in range(3))
    order = [[a, b], [b], [a], [c]]  # (groups: [0, 1] and [2, 3])
    memo.expect({a: 2, b: 2, c: 1}, order=order)
    memo.pass_major(2)

    def row():  # (80 bytes; roundings too many for the wrap row to give the float row back)
        return np.zeros((1, 1, 10)), float(1 << 40), False

    memo.at_pass(_FLOAT_PASS)
    memo.put(a, FLOAT, row())
    memo.put(b, FLOAT, row())
    memo.put(c, range(0, 1), (np.zeros((1, 1, 20)), 4.0, False))  # (a prime row, float32: 80 bytes)
    memo.at_pass(_WRAP_PASS)
    memo.put(b, WRAP, (np.zeros((1, 1, 10), dtype=np.uint64), modular._WRAP_TOP, False))
    # b's float row: this group's float pass is over and no later group needs b: the first to go
    assert not memo.has(b, FLOAT) and memo.has(a, FLOAT) and memo.has(b, WRAP)
    memo.put(a, WRAP, (np.zeros((1, 1, 10), dtype=np.uint64), modular._WRAP_TOP, False))
    # a's float row is needed by the next group's float pass (group 2, pass 0), c's prime row by the next group's
    # first prime (group 2, pass 2): c's goes first
    assert memo.has(a, FLOAT) and not memo.has(c, range(0, 1)) and memo.has(a, WRAP) and memo.has(b, WRAP)
    memo.at_pass(_PRIME_PASS)
    memo.put(c, range(0, 1), (np.zeros((1, 1, 20)), 4.0, False))
    # now b's wrap row (pass over, b not needed later) goes
    assert not memo.has(b, WRAP) and memo.has(c, range(0, 1))
    for keys in order:
        memo.release(keys)
    assert not memo._uses and not memo._next and not memo._rows


def _counts_by_groups(model, lim, cmax, group, max_bytes, monkeypatch):
    monkeypatch.setattr(cores, "PASS_MAJOR_CORES", group)
    monkeypatch.setattr(cores, "PLANNED_MEMO_BYTES", max_bytes)
    counter = GraphScenes(model, lim["apo"], cmax)
    counter.memo.max_bytes = max_bytes
    out = cores.connected_shape_counts(model, lim, counter=counter)
    assert not counter.memo._uses and not counter.memo._next  # (every planned use released)
    assert counter.memo._group is None  # (back to one contraction after another)
    return out


@pytest.mark.parametrize("group", [1, 5, 10 ** 6])
@pytest.mark.parametrize("max_bytes", [1 << 9, 64 << 20])
@pytest.mark.parametrize("tname,cmax", [("tiny_a", 11), ("tiny_b", 12), ("toy", 11)])
def test_cores_in_groups_equal_the_per_graph_counter(tiny_taxa, monkeypatch, every_pass, tname, cmax, group,
                                                     max_bytes):
    """The count's one-by-one cores (no kernel grouped) pass by pass in groups of 1, 5 or all, with a memo of 512
    bytes (rows dropped mid-group) or a large one, the float and wrap passes on every contraction: the per-graph
    counter's connected counts."""
    monkeypatch.setattr(kernels, "USE_KERNELS", False)
    sp = Space(spec(cmax), tiny_taxa[tname])
    lim = _limits(sp.spec.bounds)
    model = sp.count_model
    want = multiset.connected_shape_counts(model, lim, counter=GraphScenes(model, lim["apo"], cmax))
    assert _counts_by_groups(model, lim, cmax, group, max_bytes, monkeypatch) == want


@pytest.mark.parametrize("tname,cmax", [("tiny_a", 13), ("toy", 13), pytest.param("tiny_a", 15, marks=pytest.mark.slow)])
def test_cores_by_complexity_in_groups_equal_the_per_graph_counter(tiny_taxa, monkeypatch, tname, cmax):
    """Counts by complexity alone (kernels on, as the count runs) with the cores in groups of 7 and a memo of 4 KB:
    the per-graph counter's."""
    sp = Space(spec(cmax), tiny_taxa[tname])
    lim = _limits(sp.spec.bounds)
    model = sp.count_model
    want = multiset.connected_shape_counts(model, lim, counter=GraphScenes(model, lim["apo"], cmax))
    by_c: dict = {}
    for (n, a, r), v in want.items():
        by_c[(n + a + r, 0, 0)] = by_c.get((n + a + r, 0, 0), 0) + v
    monkeypatch.setattr(cores, "PASS_MAJOR_CORES", 7)
    monkeypatch.setattr(cores, "PLANNED_MEMO_BYTES", 1 << 12)
    counter = GraphScenes(model, lim["apo"], cmax)
    counter.memo.max_bytes = 1 << 12
    got = cores.connected_complexity_counts(model, lim, counter=counter)
    assert got == {k: v for k, v in sorted(by_c.items()) if v}
