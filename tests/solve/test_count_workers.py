"""A count by 2-cores shared among worker processes (solve/cores.py `_connected` with ``workers``): the kernels
and contiguous runs of the planned cores computed in forked processes give the same integers as one process,
the per-graph counter and brute force, whatever the number of workers; ``gas count --workers N`` prints the same
bytes for every N."""

from __future__ import annotations

import json
import os
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
        assert (sum(t["task"][0] == "kernel" for t in tasks) >= 2) == kernels_in_workers
        assert sum(t["task"][0] == "run" for t in tasks) >= 2
        assert len({t["pid"] for t in tasks}) >= 2 and os.getpid() not in {t["pid"] for t in tasks}
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
    assert len({t["pid"] for t in cores.LAST_TASKS}) == 3
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
    assert cores.wall_estimate([10.0, 1.0] + [1.0] * 20, 2, 1) == 31.0
    # the kernels one after the other in the driver, then the cores' runs on both workers
    # (each core's task costs WORKERS_CPU times more in a worker)
    per = cores.WORKERS_CPU
    assert 11.0 + 10 * per <= cores.wall_estimate([10.0, 1.0] + [1.0] * 20, 2, 2) <= 11.0 + 12 * per
    assert cores.wall_estimate([30.0] + [1.0] * 4, 1, 4) == pytest.approx(30.0 + per)
    monkeypatch.setattr(cores, "KERNELS_IN_WORKERS", True)
    # the kernel first on one worker; the cores' runs fill the other and then both
    assert (11.0 + 20 * per) / 2 <= cores.wall_estimate([10.0, 1.0] + [1.0] * 20, 2, 2) <= 10.0 + 8 * per
    assert cores.wall_estimate([30.0] + [1.0] * 4, 1, 4) == 30.0  # (a kernel longer than the rest: the tail)


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
