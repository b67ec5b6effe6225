"""Connected scenes summed by 2-core with rooted trees in closed form (solve/cores.py), against brute force,
the per-graph counter (solve/multiset.py) and the structure-by-structure counter."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from brute_oracle import complexity_spec as spec, space
from gas_solver.constraints.model import Bounds, ConstraintSpec, IntRange
from gas_solver.solve import cores, multiset
from gas_solver.solve import count as count_module
from gas_solver.solve.connected import connected_object_graphs
from gas_solver.solve.count import Space, count_by_stratum, count_scenes
from gas_solver.solve.modular import contract_series
from gas_solver.solve.multiset import GraphScenes
from gas_solver.solve.structures import _limits
from gas_solver.taxonomy import default_taxonomy_path, load_taxonomy

# (taxonomy, max complexity, bounds): local constraints only; every bound the core method takes
BRUTE = {
    "a/default": ("tiny_a", 5, {}),
    "a/cyclic": ("tiny_a", 5, {"acyclic": False}),
    "a/connected": ("tiny_a", 5, {"connected": True, "attributes_per_object": IntRange(0, 1)}),
    "a/min-attrs": ("tiny_a", 5, {"attributes_per_object": IntRange(1, 2)}),
    "b/default": ("tiny_b", 5, {}),
    "b/cyclic-connected": ("tiny_b", 5, {"acyclic": False, "connected": True}),
    "b/shape-bounds": ("tiny_b", 5, {"objects": IntRange(1, 3), "attributes": IntRange(0, 2),
                                     "relations": IntRange(0, 2)}),
    "toy/default": ("toy", 4, {}),
    "toy/scene-attrs": ("toy", 3, {"scene_attributes": IntRange(0, 1)}),
}


def _counts_both_ways(model, lim):
    by_cores = cores.connected_shape_counts(model, lim, counter=GraphScenes(model, lim["apo"], lim["c"][1]))
    by_graph = multiset.connected_shape_counts(model, lim, counter=GraphScenes(model, lim["apo"], lim["c"][1]))
    return by_cores, by_graph


@pytest.mark.parametrize("case", sorted(BRUTE))
def test_counts_by_cores_equal_brute_force(tiny_taxa, by_multiset, case):
    tname, cmax, bounds = BRUTE[case]
    tax = tiny_taxa[tname]
    sp = spec(cmax, **bounds)
    sp_ = Space(sp, tax)
    assert cores.applies(sp_.count_model, _limits(sp.bounds))
    truth = space(tax, sp, cmax)
    by_shape = Counter((len(s.objects), sum(len(o.attributes) for o in s.objects), len(s.relations))
                       for s in truth.values())
    assert count_by_stratum(sp, tax, "shape") == {k: by_shape[k] for k in sorted(by_shape, key=lambda k: (sum(k), k))}
    assert count_scenes(sp, tax) == len(truth)


@pytest.mark.parametrize("cmax,bounds", [
    (9, {}), (9, {"acyclic": False}), (8, {"objects": IntRange(2, 4), "attributes_per_object": IntRange(0, 2)}),
    (8, {"connected": True, "acyclic": False}), (9, {"relations": IntRange(1, 4)}),
    (9, {"attributes_per_object": IntRange(1, 3), "attributes": IntRange(2, 5)}),
    (8, {"scene_attributes": IntRange(1, 2), "acyclic": False}),
])
@pytest.mark.parametrize("tname", ["tiny_a", "tiny_b", "toy"])
def test_connected_counts_by_cores_equal_counts_by_graph(tiny_taxa, tname, cmax, bounds):
    sp = Space(spec(cmax, **bounds), tiny_taxa[tname])
    lim = _limits(sp.spec.bounds)
    by_cores, by_graph = _counts_both_ways(sp.count_model, lim)
    assert by_cores == by_graph


@pytest.mark.parametrize("cmax", [8, 10])
def test_default_taxonomy_connected_counts_agree(cmax):
    """The shipped taxonomy (hundreds of labels, every lump of the edge factor) at [1, 8] and [1, 10]."""
    tax = load_taxonomy(default_taxonomy_path())
    sp = Space(spec(cmax), tax)
    lim = _limits(sp.spec.bounds)
    by_cores, by_graph = _counts_both_ways(sp.count_model, lim)
    assert by_cores == by_graph


def test_totals_with_and_without_cores_and_by_structure(tiny_taxa, monkeypatch):
    """Every stratum the same three ways: structure by structure, per connected graph, by cores."""
    tax = tiny_taxa["toy"]
    want = {}
    monkeypatch.setattr(count_module, "MULTISET_ABOVE", 10 ** 9)
    for by in ("shape", "complexity", "objects", "attributes", "relations"):
        want[by] = count_by_stratum(spec(7, 2), tax, by)
    monkeypatch.setattr(count_module, "MULTISET_ABOVE", -1)
    for use in (False, True):
        monkeypatch.setattr(count_module, "USE_CORES", use)
        for by, w in want.items():
            assert count_by_stratum(spec(7, 2), tax, by) == w, (use, by)
        assert count_scenes(spec(7, 2), tax) == sum(want["complexity"].values())


def test_degree_bounds_keep_the_per_graph_counter(tiny_taxa, by_multiset):
    sp = spec(6, out_degree=IntRange(0, 1))
    assert not cores.applies(Space(sp, tiny_taxa["toy"]).count_model, _limits(sp.bounds))
    calls = []
    count_scenes(sp, tiny_taxa["toy"], progress=lambda done, of: calls.append(of))
    assert calls and calls[0] == len(connected_object_graphs(complexity=6, out_degree=1))


def test_progress_reports_every_core(tiny_taxa, by_multiset):
    calls = []
    count_scenes(spec(8), tiny_taxa["toy"], progress=lambda done, of: calls.append((done, of)))
    n = len(cores.cores(_limits(spec(8).bounds)))
    assert 0 < n < len(connected_object_graphs(complexity=8))
    assert calls[0] == (0, n) and calls[-1] == (n, n)


def test_sampler_still_reads_per_graph_values(tiny_taxa, by_multiset):
    """The sampler's shape-first choice needs every object graph's scenes: its counts stay per graph."""
    sp = Space(spec(7), tiny_taxa["toy"])
    shapes = sp.shape_counts()
    assert sp.graph_scenes()._scenes  # filled graph by graph
    assert shapes == Space(spec(7), tiny_taxa["toy"]).shape_counts(per_graph=False)


def test_trees_are_counted_without_cores(tiny_taxa):
    """Objects joined by relations without a cycle: Otter's count equals the per-graph count of the trees."""
    sp = Space(spec(9), tiny_taxa["tiny_b"])
    lim = _limits(sp.spec.bounds)
    counter = GraphScenes(sp.count_model, lim["apo"], 9)
    trees = cores.tree_counts(counter, cores.rooted_trees(counter, 9), 9)
    want: dict = {}
    for g in connected_object_graphs(complexity=9):
        if len(g.edges) == g.n - 1:
            for a, v in enumerate(counter.connected_scenes(g, 9 - 2 * g.n + 1)):
                if v:
                    want[(g.n, a, g.n - 1)] = want.get((g.n, a, g.n - 1), 0) + v
    assert trees == want


@pytest.mark.parametrize("cmax,bounds", [(9, {}), (9, {"acyclic": False}), (8, {"connected": True}),
                                         (8, {"attributes_per_object": IntRange(1, 2)})])
@pytest.mark.parametrize("tname", ["tiny_a", "toy"])
def test_counts_by_complexity_alone_sum_the_shapes(tiny_taxa, tname, cmax, bounds):
    sp = Space(spec(cmax, **bounds), tiny_taxa[tname])
    lim = _limits(sp.spec.bounds)
    assert cores.by_complexity_alone(lim)
    counter = GraphScenes(sp.count_model, lim["apo"], cmax)
    by_c = cores.connected_complexity_counts(sp.count_model, lim, counter=counter)
    want: dict = {}
    for (n, a, r), v in cores.connected_shape_counts(sp.count_model, lim, counter=counter).items():
        want[(n + a + r, 0, 0)] = want.get((n + a + r, 0, 0), 0) + v
    assert by_c == dict(sorted(want.items()))


def test_totals_by_complexity_do_not_split_shapes(tiny_taxa, by_multiset):
    sp = spec(8, 2)
    space_ = Space(sp, tiny_taxa["toy"])
    total = space_.total()
    assert space_._shapes is None and space_.complexity_counts() is not None
    assert total == sum(Space(spec(8, 2), tiny_taxa["toy"]).shape_counts().values())
    assert not cores.by_complexity_alone(_limits(spec(8, objects=IntRange(1, 3)).bounds))
    assert Space(spec(8, objects=IntRange(1, 3)), tiny_taxa["toy"]).complexity_counts() is None


def _width(n, edges):
    """Largest neighbour set of the least-degree elimination, ties broken by the smaller number."""
    adj = {v: set() for v in range(n)}
    for u, v in edges:
        adj[u].add(v)
        adj[v].add(u)
    w = 0
    while adj:
        v = min(adj, key=lambda x: (len(adj[x]), x))
        nb = adj.pop(v)
        w = max(w, len(nb))
        for x in nb:
            adj[x] |= nb - {x}
            adj[x].discard(v)
    return w


def test_renamed_variables_take_the_cheapest_least_degree_order():
    """Six objects in ten relations (a core at complexity 16): the plain tie-break eliminates with four
    neighbours (labels^5 products), the renamed variables with three at most; the count is unchanged."""
    edges = ((1, 0), (2, 0), (3, 0), (4, 1), (4, 2), (4, 3), (5, 1), (5, 2), (5, 3), (5, 4))
    name = cores.elimination_names(6, edges)
    assert sorted(name) == list(range(6))
    assert _width(6, edges) == 4
    assert _width(6, [(name[u], name[v]) for u, v in edges]) == 3
    rng = np.random.default_rng(0)
    F = rng.integers(0, 9, (5, 5)).astype(object)
    u = rng.integers(0, 9, (2, 5)).astype(object)
    plain = [((v,), u) for v in range(6)] + [((a, b), F) for a, b in edges]
    renamed = [((name[v],), u) for v in range(6)] + [((name[a], name[b]), F) for a, b in edges]
    assert contract_series(renamed, 1) == contract_series(plain, 1)
    for n, es in [(4, ((0, 1), (1, 2), (2, 3), (3, 0), (0, 2))), (5, ((0, 1), (1, 2), (2, 3), (3, 4)))]:
        nm = cores.elimination_names(n, es)
        assert _width(n, [(nm[u], nm[v]) for u, v in es]) <= _width(n, es)


@pytest.mark.parametrize("exclusions", [True, False])
def test_counts_by_cores_with_attribute_exclusions_equal_brute_force(data_dir, by_multiset, exclusions):
    """Attribute exclusions change which attribute sets a label carries (its unary factor), nothing else:
    the rooted trees and cores take them through the label model."""
    tax = load_taxonomy(data_dir / "tiny_exclusions.toml")
    sp = ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 4)), exclusions=exclusions)
    truth = space(tax, sp, 4)
    sp_ = Space(sp, tax)
    assert sp_.counts_by_multiset and cores.applies(sp_.count_model, _limits(sp.bounds))
    assert count_scenes(sp, tax) == len(truth)
    assert count_scenes(sp, tax, by="shape") == dict(sorted(
        Counter(s.shape for s in truth.values()).items(), key=lambda kv: (sum(kv[0]), kv[0])))
    assert count_scenes(sp, tax, by="complexity") == dict(sorted(Counter(s.complexity for s in truth.values()).items()))


@pytest.mark.slow
def test_default_taxonomy_total_at_complexity_12_agrees():
    """The default file at [1, 12] (114 cores, 664 object graphs): the total by cores, by complexity alone,
    equals the per-graph total, and so does every shape."""
    tax = load_taxonomy(default_taxonomy_path())
    sp = Space(spec(12), tax)
    lim = _limits(sp.spec.bounds)
    by_cores, by_graph = _counts_both_ways(sp.count_model, lim)
    assert by_cores == by_graph
    by_c = cores.connected_complexity_counts(sp.count_model, lim)
    want: dict = {}
    for (n, a, r), v in by_graph.items():
        want[(n + a + r, 0, 0)] = want.get((n + a + r, 0, 0), 0) + v
    assert by_c == dict(sorted(want.items()))


@pytest.mark.parametrize("acyclic", [True, False])
@pytest.mark.parametrize("min_attributes", [0, 1])
def test_cores_listed_directly_equal_the_filtered_connected_graphs(acyclic, min_attributes):
    """Grown by ears from the cycles: the same 2-cores, in the same order, with the same groups, as the
    connected object graphs whose every object is in two relations or more (also with bounds on objects
    and relations).  (At complexity [1, 16], acyclic: 7,143 of 38,750, checked once, see docs/sampling.md.)"""
    from gas_solver.solve.connected import core_object_graphs

    top = 12 if acyclic else 11
    for c in range(1, top + 1):
        for objects, relations in [(None, None), (4, None), (None, 6)]:
            want = [g for g in connected_object_graphs(complexity=c, objects=objects, relations=relations,
                                                       acyclic=acyclic, min_attributes=min_attributes)
                    if g.n >= 2 and min(Counter(x for e in g.edges for x in e).values()) >= 2
                    and len(Counter(x for e in g.edges for x in e)) == g.n]
            got = core_object_graphs(complexity=c, objects=objects, relations=relations, acyclic=acyclic,
                                     min_attributes=min_attributes)
            assert [(g.n, g.edges, g.group_order) for g in got] == [(g.n, g.edges, g.group_order) for g in want]


def test_the_shipped_listing_of_cores_is_the_grown_one(monkeypatch, tmp_path):
    """Without directed cycles the 2-cores up to complexity 16 are read from the listing shipped with the package:
    it is the listing grown by ears afresh (the same graphs, order, groups and keys), and so is every listing
    with bounds that filters it."""
    import gzip

    from gas_solver.solve import connected

    monkeypatch.setattr(connected, "_CORES", {})
    path = tmp_path / "cores.json.gz"
    connected.write_stored_cores(path)
    from importlib import resources

    with gzip.open(path, "rb") as fresh, gzip.open(str(resources.files("gas_solver") / "data" /
                                                        connected.STORED_CORES), "rb") as stored:
        assert fresh.read() == stored.read()
    for c, objects, relations, attrs in [(16, None, None, 0), (16, 6, 9, 0), (15, None, 8, 0), (14, 5, None, 1),
                                         (13, None, None, 1), (16, 16, 16, 0)]:
        read = connected.core_object_graphs(complexity=c, objects=objects, relations=relations,
                                            min_attributes=attrs)
        monkeypatch.setattr(connected, "USE_STORED_CORES", False)
        connected._CORES.clear()
        grown = connected.core_object_graphs(complexity=c, objects=objects, relations=relations,
                                             min_attributes=attrs)
        monkeypatch.setattr(connected, "USE_STORED_CORES", True)
        connected._CORES.clear()
        assert [(g.n, g.edges, g.generators, g.key) for g in read] == [(g.n, g.edges, g.generators, g.key)
                                                                        for g in grown]
    assert len(connected.core_object_graphs(complexity=16)) == 7143


def test_progress_names_cores_and_the_estimate_refuses_on_cores(tiny_taxa, by_multiset, monkeypatch):
    """A bar that names its unit counts cores (the CLI's says "core"), and the refusal quotes the core
    method's estimate (CPU seconds by core width) with the way out."""
    from gas_solver.cli.solve import counting_progress
    from gas_solver.errors import WorkLimitExceeded
    from gas_solver.solve import work

    report = counting_progress()
    assert report.unit == "object graph"
    calls = []

    def progress(done, of):
        calls.append((done, of))
    progress.unit = "object graph"
    count_scenes(spec(8), tiny_taxa["toy"], progress=progress)
    assert progress.unit == "core" and calls[-1][0] == calls[-1][1] == len(cores.cores(_limits(spec(8).bounds)))
    lim = _limits(spec(9).bounds)
    seconds, detail = cores.work_estimate(lim, 114)
    n = len(cores.cores(lim))
    assert seconds > 0 and detail.startswith(f"{n:,} cores: ")
    monkeypatch.setitem(work.LIMITS, "core_seconds", 0)
    with pytest.raises(WorkLimitExceeded, match=rf"by their 2-cores \({n:,} cores: .*CPU seconds \(estimated\).*; "
                                                r"lower space.complexity"):
        count_scenes(spec(9), tiny_taxa["toy"])
