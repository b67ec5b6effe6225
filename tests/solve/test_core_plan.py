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
