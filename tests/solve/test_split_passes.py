"""Two processes that split the passes of the cores' pass-by-pass groups (solve/cores.py `_split_passes`): one runs
every group's float and wrap passes and hands what they leave to the other, which runs the primes
(:func:`.modular.contract_series_front` / ``contract_series_back``).  The same integers as one process and as every
contraction on its own; every pass of every contraction runs exactly once; the same bytes whatever the workers."""

from __future__ import annotations

import os
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from brute_oracle import complexity_spec as spec
from gas_solver.solve import cores, kernels, modular
from gas_solver.solve.count import Space
from gas_solver.solve.multiset import GraphScenes
from gas_solver.solve.structures import _limits


def _connected(model, lim, workers, by_complexity):
    counter = GraphScenes(model, lim["apo"], lim["c"][1])
    count = cores.connected_complexity_counts if by_complexity else cores.connected_shape_counts
    return count(model, lim, counter=counter, workers=workers)


def _series(draw_or_rng, shape, top):
    return np.asarray(draw_or_rng.integers(0, top, size=shape), dtype=object)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2 ** 32 - 1), st.integers(0, 3), st.sampled_from([2, 3, 4]), st.sampled_from([20, 45, 62]))
def test_front_then_back_equals_the_contraction(seed, degree, objects, bits):
    """Float and wrap passes in one call, primes in another (with the front pickled between): the same coefficients
    as the contraction in one go, with and without a memo, values up to ~2^(3·bits)."""
    import pickle

    rng = np.random.default_rng(seed)
    labels = 5
    factors = [((v,), _series(rng, (degree + 1, labels), 1 << 20)) for v in range(objects)]
    factors += [((u, v), _series(rng, (labels, labels), 1 << bits)) for u in range(objects)
                for v in range(u + 1, objects)]
    whole = modular.contract_series(factors, degree)
    for memo in (None, modular.Memo()):
        front = modular._finish(modular.contract_series_front(factors, degree, memo))
        front = pickle.loads(pickle.dumps(front))
        back_memo = None if memo is None else modular.Memo()
        assert modular._finish(modular.contract_series_back(factors, degree, front, back_memo)) == whole


def test_the_front_runs_the_float_and_wrap_passes_and_the_back_the_primes():
    """Every pass of a contraction runs once: the front's ranks and the back's together are the whole's."""
    rng = np.random.default_rng(7)
    labels = 40
    factors = [((v,), _series(rng, (2, labels), 1 << 30)) for v in range(4)]
    factors += [((u, v), _series(rng, (labels, labels), 1 << 40)) for u in range(4) for v in range(u + 1, 4)]

    def ranks(gen):
        out = []
        try:
            while True:
                out.append(next(gen))
        except StopIteration as done:
            return out, done.value

    whole, value = ranks(modular.contract_series_passes(factors, 1))
    front_ranks, front = ranks(modular.contract_series_front(factors, 1))
    back_ranks, back_value = ranks(modular.contract_series_back(factors, 1, front))
    assert modular._FLOAT_PASS in whole and modular._WRAP_PASS in whole  # (this case has all three kinds)
    assert modular._PRIME_PASS in whole
    assert front_ranks == [r for r in whole if r < modular._PRIME_PASS]
    assert back_ranks == [r for r in whole if r >= modular._PRIME_PASS]
    assert back_value == value
    # five objects related pairwise: summed at once in the front (the dense path), nothing left for the back
    five = [((v,), _series(rng, (1, 3), 9)) for v in range(5)]
    five += [((u, v), _series(rng, (3, 3), 9)) for u in range(5) for v in range(u + 1, 5)]
    front_ranks, front = ranks(modular.contract_series_front(five, 0))
    assert front_ranks == [] and front == modular.contract_series(five, 0)
    assert ranks(modular.contract_series_back(five, 0, front)) == ([], front)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 12), st.lists(st.sampled_from(["front", "back"]), min_size=1, max_size=200))
def test_every_group_gets_each_pass_once_whoever_claims_first(groups, turns):
    """Whatever order the two roles claim in (and the fronts finish in), each group's front and back run exactly
    once, or the group whole once; a back only after its front; each role's groups in order but for those it takes
    from the end; the roles end only with all claimed."""
    status = [cores._OPEN] * groups
    running: list = []  # (the front role's front: finished on its next turn)
    ran: Counter = Counter()
    in_order: dict = {"front": [], "back": []}
    finished = {"front": False, "back": False}
    for role in turns + ["front", "back"] * (3 * groups + 2):
        if finished[role]:
            continue
        if role == "front" and running:
            status[running.pop()] = cores._FRONT_DONE
            continue
        was = list(status)
        claim = cores._split_claim(status, role)
        if claim is None:
            finished[role] = True
            continue
        kind, g, tail = claim
        if kind == "wait":
            assert role == "back" and was[g] == cores._FRONT_RUNNING and status == was
            continue
        assert was[g] == (cores._FRONT_DONE if kind == "back" else cores._OPEN)
        assert kind != "front" or role == "front"
        if kind == "front":
            running.append(g)
        if not tail:
            in_order[role].append(g)
        ran[(kind, g)] += 1
    assert all(finished.values()) and not running
    assert all(x == cores._CLAIMED for x in status)
    for g in range(groups):
        assert (ran[("front", g)], ran[("back", g)], ran[("whole", g)]) in {(1, 1, 0), (0, 0, 1)}
    assert all(a < b for a, b in zip(in_order["front"], in_order["front"][1:]))
    assert all(a < b for a, b in zip(in_order["back"], in_order["back"][1:]))


def test_pass_groups_contract_each_component_once():
    groups = cores._pass_groups([["a"], ["a", "b"], ["c"], ["b", "d"]], [[1]] * 4, {"c"})
    jobs = [j for _, _, js, _ in groups for j in js]
    assert sorted(jobs) == ["a", "b", "d"] and groups[0][0] == 0 and groups[-1][1] == 4


@pytest.mark.parametrize("by_complexity", [False, True])
@pytest.mark.parametrize("tname,cmax", [("toy", 12), ("tiny_a", 13), ("tiny_b", 11)])
def test_two_workers_split_the_passes_with_the_counts_of_one_process(tiny_taxa, monkeypatch, tname, cmax,
                                                                     by_complexity):
    """Small groups (several per role, whole groups taken from the end), two processes other than this one: the
    integers of one process; every core's components valued once."""
    monkeypatch.setattr(cores, "SPLIT_GROUP_CORES", 3)
    monkeypatch.setattr(kernels, "USE_KERNELS", False)
    sp = Space(spec(cmax), tiny_taxa[tname])
    lim = _limits(sp.spec.bounds)
    one = _connected(sp.count_model, lim, 1, by_complexity)
    monkeypatch.setattr(cores, "LIGHT_STRETCH", 10 ** 9)  # (every core to the split)
    assert _connected(sp.count_model, lim, 2, by_complexity) == one
    tasks = cores.LAST_TASKS
    assert sorted(t["task"][1] for t in tasks) == ["back", "front"]
    assert len({t["pid"] for t in tasks}) == 2 and os.getpid() not in {t["pid"] for t in tasks}
    parts = Counter((kind, g) for t in tasks for kind, g, *_ in t["timeline"])
    groups = {g for _, g in parts}
    assert len(groups) >= 3 and groups == set(range(len(groups)))
    for g in groups:
        assert (parts[("front", g)], parts[("back", g)], parts[("whole", g)]) in {(1, 1, 0), (0, 0, 1)}


def test_the_split_with_a_tiny_memo_gives_the_same_counts(tiny_taxa, monkeypatch):
    """Each process's memo (4 KB) drops messages still needed: computed again, the same integers."""
    monkeypatch.setattr(kernels, "USE_KERNELS", False)
    monkeypatch.setattr(cores, "SPLIT_MEMO_BYTES", {"front": 4 << 10, "back": 4 << 10})
    monkeypatch.setattr(cores, "SPLIT_GROUP_CORES", 4)
    monkeypatch.setattr(cores, "LIGHT_STRETCH", 10 ** 9)
    sp = Space(spec(11), tiny_taxa["tiny_b"])
    lim = _limits(sp.spec.bounds)
    one = _connected(sp.count_model, lim, 1, False)
    assert _connected(sp.count_model, lim, 2, False) == one
    assert len({t["pid"] for t in cores.LAST_TASKS}) == 2


def test_a_failing_front_fails_the_count(tiny_taxa, monkeypatch):
    monkeypatch.setattr(kernels, "USE_KERNELS", False)
    monkeypatch.setattr(cores, "SPLIT_GROUP_CORES", 3)
    monkeypatch.setattr(cores, "LIGHT_STRETCH", 10 ** 9)

    def broken(*args, **kw):
        raise ValueError("a broken front")
        yield

    monkeypatch.setattr(cores, "contract_series_front", broken)
    sp = Space(spec(12), tiny_taxa["toy"])
    lim = _limits(sp.spec.bounds)
    with pytest.raises(RuntimeError, match="a broken front"):
        _connected(sp.count_model, lim, 2, True)


def test_wall_estimate_of_the_split_shares_its_cpu_between_two(monkeypatch):
    """Two workers: the kernel in its own process beside the plan and the light cores, then the cores left (light
    ones the driver did not reach included) at SPLIT_CPU times their seconds, halved."""
    per = cores.SPLIT_CPU
    light = [cores._Light(1.0)] * 10
    assert cores.wall_estimate([1.0, 2.0, 20.0] + light + [1.0] * 10, 3, 2) == pytest.approx(21.0 + 5 * per)
    monkeypatch.setattr(cores, "SPLIT_AHEAD", True)
    assert cores.wall_estimate([1.0, 2.0, 20.0] + light, 3, 2) == pytest.approx(21.0)
    # (the driver's light cores end at 3 + 10 · WORKERS_CPU; its fronts fill the kernel's rest, up to half the work)
    idle = 21.0 - (3.0 + 10 * cores.WORKERS_CPU)
    assert cores.wall_estimate([1.0, 2.0, 20.0] + light + [1.0] * 10, 3, 2) == pytest.approx(
        21.0 + (10 * per - idle) / 2)
    # (a short kernel: the light cores it leaves go to the split too)
    assert cores.wall_estimate([1.0, 2.0, 2.0] + light, 3, 2) == pytest.approx(3.0 + 5 * per, rel=0.2)
    # (a long kernel beside few cores: the driver does half the work while it lasts)
    assert cores.wall_estimate([1.0, 2.0, 20.0] + [1.0] * 4, 3, 2) == pytest.approx(21.0 + per)
    # three workers take runs (WORKERS_CPU each), and without the split two do
    assert cores.wall_estimate([1.0, 2.0, 20.0] + [1.0] * 4, 3, 3) >= 21.0 + cores.WORKERS_CPU
    monkeypatch.setattr(cores, "SPLIT_PASSES", False)
    assert cores.wall_estimate([1.0, 2.0, 20.0] + [1.0] * 4, 3, 2) >= 21.0 + 2 * cores.WORKERS_CPU


@pytest.mark.parametrize("ahead_groups", [0, 2, 100])
def test_the_driver_runs_the_first_fronts_while_told(tiny_taxa, monkeypatch, ahead_groups):
    """The driver's own fronts before the two processes fork (as while the kernels last): the front process goes on
    from the next group, the back one finds them done; the same integers as one process."""
    monkeypatch.setattr(kernels, "USE_KERNELS", False)
    monkeypatch.setattr(cores, "SPLIT_GROUP_CORES", 3)
    sp = Space(spec(12), tiny_taxa["toy"])
    lim = _limits(sp.spec.bounds)
    one = _connected(sp.count_model, lim, 1, True)
    counter = GraphScenes(sp.count_model, lim["apo"], 12)
    scenes = cores._CoreScenes(counter, cores.rooted_trees(counter, 12))
    listed = cores.cores(lim)
    graphs, plans = scenes.plan(listed, lambda g: 12 - g.n - len(g.edges), True, counter.memo)
    left = iter(range(ahead_groups))
    forked = []
    out, infos = cores._split_passes(scenes, graphs, plans, 12, True, ahead=lambda: next(left, None) is not None,
                                     before_fork=lambda: forked.append(True))
    trees = cores.tree_counts(counter, cores.rooted_trees(counter, 12), 12)
    for (n, a, r), v in trees.items():
        out[(n + a + r, 0, 0)] = out.get((n + a + r, 0, 0), 0) + v
    assert {k: v for k, v in sorted(out.items()) if v} == one and forked == [True]
    ran = [x for x in cores.LAST_SPLIT_DRIVER[0]["timeline"] if x[0] == "front"]
    groups = cores._pass_groups([scenes.component_keys(g, 12 - g.n - len(g.edges), True) for g in graphs], plans, ())
    assert [x[1] for x in ran] == list(range(1, 1 + min(ahead_groups, len(groups) - 1)))
    fronts = {g for t in infos for kind, g, *_ in t["timeline"] if kind == "front"}
    assert not fronts & {x[1] for x in ran}
    parts = Counter((kind, g) for t in infos for kind, g, *_ in t["timeline"])
    for g in range(len(groups)):
        by_driver = int(g in {x[1] for x in ran})
        assert (parts[("front", g)] + by_driver, parts[("back", g)], parts[("whole", g)]) in {(1, 1, 0), (0, 0, 1)}
