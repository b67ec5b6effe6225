"""Cores counted in the planned order (solve/cores.py `_CoreScenes.plan`) with a memo told which elimination
steps are still needed (solve/modular.py `Memo.expect` / `release`): the same counts as the per-graph counter and
as the cores without a plan, whatever the memo's size."""

from __future__ import annotations

import numpy as np
import pytest

from brute_oracle import complexity_spec as spec
from gas_solver.solve import cores, kernels, multiset
from gas_solver.solve.count import Space
from gas_solver.solve.modular import Memo, contract_series, plan_steps
from gas_solver.solve.multiset import GraphScenes
from gas_solver.solve.structures import _limits


def _counter(model, lim, max_bytes):
    counter = GraphScenes(model, lim["apo"], lim["c"][1])
    counter.memo.max_bytes = max_bytes
    return counter


@pytest.mark.parametrize("max_bytes", [1 << 12, 1 << 16, 64 << 20])
@pytest.mark.parametrize("tname,cmax", [("tiny_a", 11), ("tiny_b", 11), ("toy", 10)])
def test_planned_cores_equal_the_per_graph_counter(tiny_taxa, monkeypatch, tname, cmax, max_bytes):
    """Every core one by one (no kernel grouped), in the planned order, with a memo small enough to drop what
    the plan keeps: the per-graph counter's connected counts; and the plan was really used."""
    monkeypatch.setattr(kernels, "USE_KERNELS", False)
    sp = Space(spec(cmax), tiny_taxa[tname])
    lim = _limits(sp.spec.bounds)
    model = sp.count_model
    planned = []
    real = cores._CoreScenes.plan

    def spy(self, *args):
        out = real(self, *args)
        planned.append(out)
        return out

    monkeypatch.setattr(cores._CoreScenes, "plan", spy)
    counter = _counter(model, lim, max_bytes)
    by_cores = cores.connected_shape_counts(model, lim, counter=counter)
    want = multiset.connected_shape_counts(model, lim, counter=GraphScenes(model, lim["apo"], cmax))
    assert by_cores == want
    (graphs, keys), = planned
    assert len(graphs) > 10 and sum(map(len, keys)) > len(graphs)
    assert not counter.memo._uses  # (every planned use released)


def test_plan_orders_but_keeps_every_core(tiny_taxa):
    """The plan is a permutation of the cores, and its keys are those the memo's eliminations ask for."""
    sp = Space(spec(10), tiny_taxa["tiny_a"])
    lim = _limits(sp.spec.bounds)
    counter = GraphScenes(sp.count_model, lim["apo"], 10)
    R = cores.rooted_trees(counter, 10)
    scenes = cores._CoreScenes(counter, R)
    listed = cores.cores(lim)
    order, keys = scenes.plan(listed, lambda g: 10 - g.n - len(g.edges), True, counter.memo)
    assert sorted(map(id, order)) == sorted(map(id, listed))
    assert len(keys) == len(order)
    # a dry run and the real contraction agree on the steps asked for (one label or many)
    asked = []
    real_get = Memo.get

    def get(self, key, primes):
        asked.append(key)
        return real_get(self, key, primes)

    for g, ks in list(zip(order, keys))[:15]:
        asked.clear()
        Memo.get = get
        try:
            scenes.core(g, 10 - g.n - len(g.edges), by_complexity=True)
        finally:
            Memo.get = real_get
        assert set(asked) <= set(ks) or not ks


def test_memo_drops_a_message_after_its_last_planned_user():
    """``expect`` then ``release``: a planned step's message stays while users remain, then goes."""
    rng = np.random.default_rng(3)
    u = rng.integers(0, 5, (2, 4)).astype(object)
    F = rng.integers(0, 4, (4, 4)).astype(object)
    tri = [((0,), u), ((1,), u), ((2,), u), ((0, 1), F), ((1, 2), F), ((0, 2), F)]
    memo = Memo()
    keys = plan_steps(tri, 1, memo, {})
    assert keys
    memo.expect({k: 2 for k in keys})
    want = contract_series(tri, 1)
    assert contract_series(tri, 1, memo=memo) == want
    held = memo.bytes
    memo.release(keys)
    assert memo.bytes == held  # (one user left)
    assert contract_series(tri, 1, memo=memo) == want
    memo.release(keys)
    assert not memo._uses and all(row[0] not in keys for row in memo._rows)


def test_memo_told_the_order_drops_the_message_needed_again_latest():
    """``expect(..., order=...)``: over its budget, of the messages still needed the memo drops the one whose
    next user comes latest (not the least recently used), and forgets each user as it is released."""
    memo = Memo(max_bytes=2 * 80)
    a, b, c = (memo.step(("step", i)) for i in range(3))
    order = [[b, a], [c], [b], [a]]  # (after the first user: b is the least recently used, a needed latest)
    memo.expect({a: 2, b: 2, c: 1}, order=order)

    def message():
        return np.zeros((1, 1, 10)), 1.0, True  # (80 bytes, exact: one row)

    one = range(0, 1)
    memo.put(b, one, message())
    memo.put(a, one, message())
    memo.release(order[0])
    memo.put(memo.step(("not planned",)), one, message())  # (not needed: the first to go, itself)
    assert memo.has(a, one) and memo.has(b, one)
    memo.put(c, one, message())
    assert memo.has(b, one) and memo.has(c, one) and not memo.has(a, one)
    for ks in order[1:]:
        memo.release(ks)
    assert not memo._uses and not memo._next and not memo._rows


def test_memo_told_the_order_drops_float_pass_rows_first():
    """Of still-needed messages, the float pass's rows go before the other rows (they cost the least to compute
    again for their bytes), the one needed again latest first; then the other rows, needed again latest first."""
    from gas_solver.solve.modular import _FLOAT_ROW

    memo = Memo(max_bytes=4 * 80)
    a, b, c = (memo.step(("step", i)) for i in range(3))
    order = [[a, b], [c], [a], [b]]
    memo.expect({a: 2, b: 2, c: 1}, order=order)

    def rows(k):  # (80 bytes a row: the float pass's and two primes')
        return np.zeros((k, 1, 10)), 4.0, False

    memo.put(a, range(_FLOAT_ROW, _FLOAT_ROW + 1), rows(1))
    memo.put(b, range(_FLOAT_ROW, _FLOAT_ROW + 1), rows(1))
    memo.put(a, range(0, 2), (np.zeros((2, 1, 20)), 4.0, False))  # (float32: 80 bytes a row)
    memo.release(order[0])
    assert memo.bytes == 4 * 80
    memo.put(c, range(0, 2), (np.zeros((2, 1, 20)), 4.0, False))
    # two rows too many: the float rows of b (needed at 3) and of a (needed at 2) go, a's primes stay
    assert memo.has(a, range(0, 2)) and not memo.has(a, range(_FLOAT_ROW, _FLOAT_ROW + 1))
    assert not memo.has(b, range(_FLOAT_ROW, _FLOAT_ROW + 1)) and memo.has(c, range(0, 2))
    memo.put(b, range(0, 2), (np.zeros((2, 1, 20)), 4.0, False))
    # no float row left: b's primes are needed at 3, a's at 2, c's now: b's go (its own, just put)
    assert memo.has(a, range(0, 2)) and memo.has(c, range(0, 2)) and not memo.has(b, range(0, 2))


@pytest.mark.parametrize("tname,cmax", [("tiny_a", 11), ("toy", 10)])
def test_planned_cores_with_a_tiny_memo_told_the_order_equal_the_per_graph_counter(tiny_taxa, monkeypatch, tname,
                                                                                    cmax):
    """The count's planned cores with a memo of 512 bytes told the order of the users (every message dropped many
    times by the needed-latest rule): the per-graph counter's connected counts, and the rule really chose."""
    monkeypatch.setattr(kernels, "USE_KERNELS", False)
    sp = Space(spec(cmax), tiny_taxa[tname])
    lim = _limits(sp.spec.bounds)
    model = sp.count_model
    counter = _counter(model, lim, 1 << 9)
    monkeypatch.setattr(cores, "PLANNED_MEMO_BYTES", 1 << 9)
    chose = []
    real_put = Memo.put

    def put(self, key, primes, message):
        before = {row for row in self._rows if row[0] in self._uses}
        real_put(self, key, primes, message)
        chose.extend(before - set(self._rows))

    monkeypatch.setattr(Memo, "put", put)
    by_cores = cores.connected_shape_counts(model, lim, counter=counter)
    want = multiset.connected_shape_counts(model, lim, counter=GraphScenes(model, lim["apo"], cmax))
    assert by_cores == want
    assert chose  # (needed messages were dropped: by the rule)
    assert not counter.memo._uses and not counter.memo._next
