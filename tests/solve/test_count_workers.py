"""A count by 2-cores shared among worker processes (solve/cores.py `_connected` with ``workers``): the kernels
and contiguous runs of the planned cores computed in forked processes give the same integers as one process,
the per-graph counter and brute force, whatever the number of workers; ``gas count --workers N`` prints the same
bytes for every N."""

from __future__ import annotations

import json
import os
import time
from collections import Counter

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from brute_oracle import complexity_spec as spec, space
from gas_solver.cli.main import cli
from gas_solver.errors import WorkLimitExceeded
from gas_solver.solve import cores, kernels, multiset, work
from gas_solver.solve import count as count_module
from gas_solver.solve.count import Space, count_by_stratum, count_scenes
from gas_solver.solve.multiset import GraphScenes
from gas_solver.solve.structures import _limits


@pytest.fixture
def every_kernel(monkeypatch):
    """Group the cores of every loopless kernel (several kernel tasks even on small taxonomies)."""
    monkeypatch.setattr(kernels, "MIN_LEFT", 0)
    monkeypatch.setattr(kernels, "RATIO", 0)
    monkeypatch.setattr(kernels, "FAMILY_MAX_OBJECTS", kernels.MAX_OBJECTS)


def _connected(model, lim, workers, by_complexity):
    counter = GraphScenes(model, lim["apo"], lim["c"][1])
    count = cores.connected_complexity_counts if by_complexity else cores.connected_shape_counts
    return count(model, lim, counter=counter, workers=workers)


@pytest.mark.parametrize("kernels_in_workers", [False, True])
@pytest.mark.parametrize("by_complexity", [False, True])
@pytest.mark.parametrize("tname,cmax", [("toy", 12), ("tiny_a", 13)])
def test_workers_give_the_counts_of_one_process_and_of_the_per_graph_counter(tiny_taxa, every_kernel, monkeypatch,
                                                                             tname, cmax, by_complexity,
                                                                             kernels_in_workers):
    monkeypatch.setattr(cores, "KERNELS_IN_WORKERS", kernels_in_workers)
    sp = Space(spec(cmax), tiny_taxa[tname])
    lim = _limits(sp.spec.bounds)
    model = sp.count_model
    one = _connected(model, lim, 1, by_complexity)
    assert cores.LAST_TASKS == []  # (one process: no task)
    for workers in (2, 3):
        assert _connected(model, lim, workers, by_complexity) == one
        tasks = cores.LAST_TASKS
        # the split really happened: kernels (where asked) and several runs of cores, in more than one process
        assert (sum(t["task"][0] == "kernels" for t in tasks) == 1) == kernels_in_workers
        assert len({t["pid"] for t in tasks}) >= 2 and os.getpid() not in {t["pid"] for t in tasks}
        if workers == 2:  # (two processes split the passes of the cores left: tests/solve/test_split_passes.py)
            assert sorted(t["task"][1] for t in tasks if t["task"][0] == "passes") == ["back", "front"]
            continue
        assert sum(t["task"][0] == "run" for t in tasks) >= 2
        runs = sorted(tuple(t["task"][1:]) for t in tasks if t["task"][0] == "run")
        assert runs[0][0] == 0 and all(a[1] == b[0] for a, b in zip(runs, runs[1:]))  # contiguous, covering
    if not by_complexity:
        per_graph = multiset.connected_shape_counts(model, lim, counter=GraphScenes(model, lim["apo"], cmax))
        assert one == per_graph


def test_workers_with_a_tiny_memo_share_give_the_same_counts(tiny_taxa, monkeypatch):
    """Each worker's share of the memo (here 4 KB) drops messages its run still needs: computed again, the same
    integers."""
    monkeypatch.setattr(kernels, "USE_KERNELS", False)
    monkeypatch.setattr(cores, "PLANNED_MEMO_BYTES", 8 << 10)
    sp = Space(spec(11), tiny_taxa["tiny_b"])
    lim = _limits(sp.spec.bounds)
    counter = GraphScenes(sp.count_model, lim["apo"], 11)
    counter.memo.max_bytes = 8 << 10
    two = cores.connected_shape_counts(sp.count_model, lim, counter=counter, workers=2)
    assert len({t["pid"] for t in cores.LAST_TASKS}) == 2
    assert two == multiset.connected_shape_counts(sp.count_model, lim, counter=GraphScenes(sp.count_model,
                                                                                          lim["apo"], 11))


@pytest.mark.parametrize("case", [("tiny_a", 5, {"acyclic": False}), ("tiny_b", 5, {"acyclic": False}),
                                  ("toy", 4, {"acyclic": False})])
def test_counts_with_workers_equal_brute_force(tiny_taxa, by_multiset, case):
    tname, cmax, bounds = case
    tax = tiny_taxa[tname]
    sp = spec(cmax, **bounds)
    truth = space(tax, sp, cmax)
    by_shape = Counter((len(s.objects), sum(len(o.attributes) for o in s.objects), len(s.relations))
                       for s in truth.values())
    for workers in (1, 2, 3):
        count_module._SPACES.clear()
        assert count_scenes(sp, tax, workers=workers) == len(truth)
        count_module._SPACES.clear()
        assert count_by_stratum(sp, tax, "shape", workers=workers) == {
            k: by_shape[k] for k in sorted(by_shape, key=lambda k: (sum(k), k))}
    # (the last count's cores were counted in a worker process)
    assert cores.LAST_TASKS and os.getpid() not in {t["pid"] for t in cores.LAST_TASKS}


def _gas_count(file, *args):
    count_module._SPACES.clear()  # (a fresh count each time: nothing cached between the runs)
    r = CliRunner().invoke(cli, ["count", str(file), *map(str, args)])
    assert r.exit_code == 0, r.output
    return r.output


@pytest.mark.parametrize("extra", [[], ["--by", "complexity", "--json"], ["--by", "shape"]])
def test_gas_count_prints_the_same_bytes_for_any_number_of_workers(data_dir, tmp_path, by_multiset, every_kernel,
                                                                   extra):
    f = tmp_path / "c12.toml"
    f.write_text('format = "gas-constraints/1"\n[space]\ncomplexity = [1, 12]\n')
    outs = [_gas_count(f, "--taxonomy", data_dir / "toy.toml", "--workers", w, *extra) for w in (1, 2, 3)]
    assert outs[0] == outs[1] == outs[2]
    # (the runs in three processes; the kernels in one of their own, started before the plan)
    assert len({t["pid"] for t in cores.LAST_TASKS if t["task"][0] == "run"}) == 3
    kernel_pids = {t["pid"] for t in cores.LAST_TASKS if t["task"][0] == "kernels"}
    assert len(kernel_pids) == 1 and not kernel_pids & {t["pid"] for t in cores.LAST_TASKS if t["task"][0] == "run"}
    if "--json" in extra:
        total = int(json.loads(outs[0])["total"])
        assert total == sum(int(s["count"]) for s in json.loads(outs[0])["strata"])


def test_gas_count_rejects_zero_workers(data_dir, tmp_path):
    f = tmp_path / "c3.toml"
    f.write_text('format = "gas-constraints/1"\n[space]\ncomplexity = [1, 3]\n')
    r = CliRunner().invoke(cli, ["count", str(f), "--taxonomy", str(data_dir / "toy.toml"), "--workers", "0"])
    assert r.exit_code != 0 and "--workers" in r.output


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.0, 100.0), min_size=1, max_size=60), st.integers(1, 6))
def test_runs_are_contiguous_and_cover_the_cores(costs, workers):
    runs = cores._split_runs(costs, workers)
    assert runs[0][0] == 0 and runs[-1][1] == len(costs)
    assert all(a < b for a, b in runs) and all(x[1] == y[0] for x, y in zip(runs, runs[1:]))
    if workers == 1:
        assert runs == [(0, len(costs))]


def test_wall_estimate_shares_the_tasks(monkeypatch):
    monkeypatch.setattr(cores, "SPLIT_PASSES", False)  # (runs of cores, as three workers or more take them)
    assert cores.wall_estimate([1.0, 9.0, 1.0] + [1.0] * 20, 3, 1) == 31.0
    per = cores.WORKERS_CPU  # (each core's task costs WORKERS_CPU times more in a worker)
    light = [cores._Light(1.0)] * 10
    # the set-up in the driver; the kernel in its own process, beside the plan and then the light cores; the other
    # cores on both workers once the kernel is done
    assert cores.wall_estimate([1.0, 2.0, 20.0] + light, 3, 2) == pytest.approx(21.0)
    assert cores.wall_estimate([1.0, 2.0, 20.0] + light + [1.0] * 10, 3, 2) == pytest.approx(21.0 + 5 * per, rel=0.2)
    assert cores.wall_estimate([1.0, 2.0, 2.0] + light, 3, 2) == pytest.approx(3.0 + 5 * per, rel=0.2)
    # the heavy cores wait for the kernel even on an idle worker
    assert cores.wall_estimate([1.0, 2.0, 20.0] + [1.0] * 4, 3, 2) >= 21.0 + 2 * per
    assert cores.wall_estimate([0.0, 0.0, 30.0] + [1.0] * 4, 3, 4) == pytest.approx(30.0 + per)
    monkeypatch.setattr(cores, "KERNELS_IN_WORKERS", False)
    # the set-up, the plan and the kernels one after the other in the driver, then the cores' runs on both workers
    assert 11.0 + 10 * per <= cores.wall_estimate([1.0, 9.0, 1.0] + [1.0] * 20, 3, 2) <= 11.0 + 12 * per
    assert 11.0 + 5 * per <= cores.wall_estimate([1.0, 9.0, 1.0] + light, 3, 2) <= 11.0 + 6 * per


@settings(max_examples=60, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=80), st.lists(st.floats(0.0, 10.0), min_size=80, max_size=80),
       st.integers(1, 4), st.integers(1, 8))
def test_light_runs_cover_every_core_once(light, costs, workers, stretch):
    """The runs with light stretches cut apart cover each planned core exactly once, in order; a light run holds
    light cores only, inside a stretch of at least ``stretch`` of them."""
    runs = cores._light_runs(cores._split_runs(costs[:len(light)], workers), light, stretch=stretch)
    assert [i for a, b, _ in runs for i in range(a, b)] == list(range(len(light)))
    for a, b, is_light in runs:
        if is_light:
            assert all(light[a:b])
            lo, hi = a, b
            while lo > 0 and light[lo - 1]:
                lo -= 1
            while hi < len(light) and light[hi]:
                hi += 1
            assert hi - lo >= stretch


def test_refusal_with_workers_weighs_wall_time_and_quotes_cpu(tiny_taxa, monkeypatch):
    """One process: refused on its CPU estimate, naming the workers that would bring it under the limit; with
    workers the estimated wall time on that many CPUs decides, and the CPU seconds are quoted too."""
    sp = Space(spec(13), tiny_taxa["toy"])
    lim = _limits(sp.spec.bounds)
    labels = len(sp.graph_scenes().groups)
    cpu, _ = cores.work_estimate(lim, labels)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    wall4 = cores.wall_estimate(*cores._estimate(lim, labels, True)[2:], 4)
    assert cpu / 4 <= wall4 < cpu
    monkeypatch.setitem(work.LIMITS, "core_seconds", (wall4 + cpu) / 2)
    with pytest.raises(WorkLimitExceeded, match=r"CPU seconds \(estimated\).*--workers 4: ~"):
        cores.check_work(lim, labels)
    cores.check_work(lim, labels, workers=4)  # (under the limit in wall time)
    cores.check_work(lim, labels, workers=16)  # (as on 4: no more CPUs than that)
    monkeypatch.setitem(work.LIMITS, "core_seconds", wall4 / 2)
    with pytest.raises(WorkLimitExceeded, match=r"in 4 worker processes .*CPU seconds in all\): about [\d,]+ "
                                                r"seconds of wall time \(estimated\)"):
        cores.check_work(lim, labels, workers=8)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)  # (one CPU: workers change nothing, the CPU limit holds)
    monkeypatch.setitem(work.LIMITS, "core_seconds", (wall4 + cpu) / 2)
    with pytest.raises(WorkLimitExceeded, match=r"CPU seconds \(estimated\)"):
        cores.check_work(lim, labels, workers=4)


@pytest.mark.parametrize("split", [False, True])
def test_the_driver_counts_light_runs_beside_the_kernels_and_the_workers_fork_after_them(tiny_taxa, every_kernel,
                                                                                         monkeypatch, split):
    """With the kernels in a process of their own, the driver counts light runs while they last; the workers fork
    only once that process has ended, and count the other runs (or split their passes); the integers are those of
    one process."""
    monkeypatch.setattr(cores, "KERNELS_IN_WORKERS", True)
    monkeypatch.setattr(cores, "SPLIT_PASSES", split)
    monkeypatch.setattr(cores, "SPLIT_GROUP_CORES", 4)
    monkeypatch.setattr(cores, "LIGHT_STRETCH", 1)
    # (here the wide cores are summed by kernel: cores of odd objects play the light ones)
    monkeypatch.setattr(cores, "core_width", lambda g: 2 if g.n % 2 else 3)
    kernel = kernels.KernelScenes.kernel

    def slow_kernel(self, k, **kw):  # (long enough for the driver to count light runs meanwhile)
        time.sleep(0.3)
        return kernel(self, k, **kw)

    monkeypatch.setattr(kernels.KernelScenes, "kernel", slow_kernel)
    sp = Space(spec(13), tiny_taxa["tiny_a"])
    lim = _limits(sp.spec.bounds)
    one = _connected(sp.count_model, lim, 1, True)
    assert _connected(sp.count_model, lim, 2, True) == one
    tasks = cores.LAST_TASKS
    kernel_pids = {t["pid"] for t in tasks if t["task"][0] == "kernels"}
    kernel_end = max(t["finished"] for t in tasks if t["task"][0] == "kernels")
    graphs, _ = _planned(sp, lim)
    in_driver = [t for t in tasks if t["task"][0] == "run" and t["pid"] == os.getpid()]
    in_workers = [t for t in tasks if t["task"][0] == "run" and t["pid"] != os.getpid()]
    assert len(kernel_pids) == 1 and os.getpid() not in kernel_pids
    if split:  # (the cores left: every one in a group whose passes the two processes split)
        roles = [t for t in tasks if t["task"][0] == "passes"]
        assert in_driver and not in_workers and len(roles) == 2
        assert all(t["finished"] - t["wall_s"] >= kernel_end - 0.01 for t in roles)
        done = {i for t in in_driver for i in range(*t["task"][1:])}
        assert sum(t["cores"] for t in roles) == len(graphs) - len(done)
        assert any(cores.core_width(g) > cores.LIGHT_WIDTH for i, g in enumerate(graphs) if i not in done)
        return
    assert in_driver and in_workers and not kernel_pids & {t["pid"] for t in in_workers}
    assert all(cores.core_width(g) <= cores.LIGHT_WIDTH for t in in_driver for g in graphs[t["task"][1]:t["task"][2]])
    assert any(cores.core_width(g) > cores.LIGHT_WIDTH for t in in_workers for g in graphs[t["task"][1]:t["task"][2]])
    assert all(t["finished"] - t["wall_s"] >= kernel_end - 0.01 for t in in_workers)
    # every planned core counted exactly once
    assert sorted(i for t in in_driver + in_workers for i in range(*t["task"][1:])) == list(range(len(graphs)))


def _planned(sp, lim):
    counter = GraphScenes(sp.count_model, lim["apo"], lim["c"][1])
    scenes = cores._CoreScenes(counter, cores.rooted_trees(counter, lim["c"][1]))
    _, listed = kernels.group_cores(cores.cores(lim), lim["c"][1], by_complexity=True)
    return scenes.plan(listed, lambda g: lim["c"][1] - g.n - len(g.edges), True, counter.memo)


def test_gas_count_uses_the_cpus_by_default_for_a_long_count_only(data_dir, tmp_path, by_multiset, monkeypatch):
    """Without --workers: one process below AUTO_WORKERS_SECONDS of estimated CPU, every CPU above; the same bytes
    either way and with --workers 1."""
    f = tmp_path / "c12.toml"
    f.write_text('format = "gas-constraints/1"\n[space]\ncomplexity = [1, 12]\n')
    args = ["--taxonomy", data_dir / "toy.toml", "--by", "complexity", "--json"]
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    short = _gas_count(f, *args)
    assert cores.LAST_TASKS == []
    monkeypatch.setattr(cores, "AUTO_WORKERS_SECONDS", 0.0)
    long = _gas_count(f, *args)
    assert len({t["pid"] for t in cores.LAST_TASKS}) == 2
    one = _gas_count(f, *args, "--workers", 1)
    assert cores.LAST_TASKS == []
    assert short == long == one


def test_a_failing_kernel_fails_the_count(tiny_taxa, every_kernel, monkeypatch):
    monkeypatch.setattr(cores, "KERNELS_IN_WORKERS", True)

    def broken(self, k, **kw):
        raise ValueError("a broken kernel")

    monkeypatch.setattr(kernels.KernelScenes, "kernel", broken)
    sp = Space(spec(13), tiny_taxa["tiny_a"])
    lim = _limits(sp.spec.bounds)
    with pytest.raises(RuntimeError, match="a broken kernel"):
        _connected(sp.count_model, lim, 2, True)
