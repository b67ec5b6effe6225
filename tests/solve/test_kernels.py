"""Connected scenes summed by kernel (solve/kernels.py): every 2-core of one loopless kernel in one computation,
against the per-core sum (solve/cores.py), the per-graph counter (solve/multiset.py) and the structure-by-structure
counter.  Kernels appear from complexity 9 (two objects joined by three paths, one of a single relation) and 10
(the four-clique), beyond brute force over scenes, so the independent checks here are the per-graph and
per-structure counters, both checked against brute force at small complexities (test_multiset.py, test_count.py)."""

from __future__ import annotations

import math
import time
from math import factorial

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brute_oracle import complexity_spec as spec
from gas_solver.constraints.model import IntRange
from gas_solver.solve import cores, kernels, multiset
from gas_solver.solve import count as count_module
from gas_solver.solve.count import Space, count_by_stratum
from gas_solver.solve.multiset import GraphScenes
from gas_solver.solve.structures import _limits
from gas_solver.taxonomy import default_taxonomy_path, load_taxonomy

K4 = (4, ((0, 1, 1), (0, 2, 1), (0, 3, 1), (1, 2, 1), (1, 3, 1), (2, 3, 1)))
THETA = (2, ((0, 1, 1), (0, 1, 1), (0, 1, 1)))


@pytest.fixture
def every_kernel(monkeypatch):
    """Group the cores of every loopless kernel, even where the kernel alone fills the complexity."""
    monkeypatch.setattr(kernels, "MIN_LEFT", 0)
    monkeypatch.setattr(kernels, "RATIO", 0)
    monkeypatch.setattr(kernels, "FAMILY_MAX_OBJECTS", kernels.MAX_OBJECTS)


def test_kernel_of_a_core():
    # a four-clique with the edge 0-1 replaced by the path 0-4-5-1 (three relations)
    edges = [(0, 4), (4, 5), (5, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]
    assert kernels.kernel_of(6, edges) == (4, ((0, 1, 3), (0, 2, 1), (0, 3, 1), (1, 2, 1), (1, 3, 1), (2, 3, 1)))
    assert kernels.kernel_of(4, [(0, 1), (1, 2), (2, 3), (0, 3)]) is None  # a cycle has no kernel
    assert kernels.kernel_of(4, [(0, 1), (1, 2), (2, 0), (0, 3), (3, 1)]) == (2, ((0, 1, 1), (0, 1, 2), (0, 1, 2)))
    assert kernels.is_supported(THETA) and not kernels.is_simple(THETA)
    assert not kernels.is_supported((1, ((0, 0, 3), (0, 0, 3))))


def test_ordered_partitions_are_counted_by_fubini_numbers():
    assert [len(kernels.ordered_partitions(n)) for n in range(1, 6)] == [1, 3, 13, 75, 541]


@pytest.mark.parametrize("kernel,order", [(K4, 24), (THETA, 2 * factorial(3)),
                                          ((3, ((0, 1, 1), (0, 1, 1), (0, 2, 1), (0, 2, 1), (1, 2, 1))), 8)])
def test_automorphisms_act_on_objects_and_edges(kernel, order):
    V, edges = kernel
    group = kernels._automorphisms(V, [(u, v) for u, v, _ in edges])
    assert len(group) == len(set(group)) == order
    classes = kernels._conjugacy_classes(group)
    assert classes[0][0] == group[0] and classes[0][1] == 1  # the identity first
    assert sum(size for _, size in classes) == order


def test_four_clique_takes_seven_eliminations_for_the_identity(tiny_taxa):
    """75 ordered partitions of four objects, one elimination per composition of 4 (8) for g = 1, two of them
    merged into one (their factors differ on one edge only, and their difference is not negative)."""
    sp = Space(spec(12), tiny_taxa["toy"])
    lim = _limits(sp.spec.bounds)
    counter = GraphScenes(sp.count_model, lim["apo"], 12)
    scenes = cores._CoreScenes(counter, cores.rooted_trees(counter, 12))
    by_kernel = kernels.KernelScenes(scenes, 12)
    _, classes = by_kernel.plan(K4)
    assert len(classes) == 5 and len(classes[0][-1]) == 7
    # no directed path at all (mixed paths only: the weight a of every edge): the kernel digraph is empty,
    # acyclic once
    assert sum(sign * math.prod(w[0] for w in ws) for ws, sign in classes[0][-1]) == 1
    # every term's weights are non-negative: every elimination is on non-negative factors
    assert all(min(w) >= 0 for c in classes for ws, _ in c[-1] for w in ws)


def _three_ways(model, lim, monkeypatch, complexity_alone=False, families=True):
    c = lim["c"][1]
    f = cores.connected_complexity_counts if complexity_alone else cores.connected_shape_counts
    monkeypatch.setattr(kernels, "USE_KERNELS", True)
    monkeypatch.setattr(kernels, "USE_FAMILIES", families)
    by_kernel = f(model, lim, counter=GraphScenes(model, lim["apo"], c))
    monkeypatch.setattr(kernels, "USE_KERNELS", False)
    by_core = f(model, lim, counter=GraphScenes(model, lim["apo"], c))
    return by_kernel, by_core


@pytest.mark.parametrize("tname,cmax,bounds", [
    ("toy", 12, {}), ("tiny_b", 12, {}), ("tiny_a", 12, {"connected": True}),
    ("toy", 13, {"relations": IntRange(0, 7)}), ("tiny_b", 12, {"attributes_per_object": IntRange(0, 1)}),
])
def test_counts_by_kernel_equal_counts_by_core_and_by_graph(tiny_taxa, every_kernel, monkeypatch, tname, cmax,
                                                             bounds):
    sp = Space(spec(cmax, **bounds), tiny_taxa[tname])
    lim = _limits(sp.spec.bounds)
    grouped, _ = kernels.group_cores(cores.cores(lim), cmax)
    assert grouped  # the four-clique and kernels with parallel edges at least
    by_kernel, by_core = _three_ways(sp.count_model, lim, monkeypatch)
    assert by_kernel == by_core
    by_graph = multiset.connected_shape_counts(sp.count_model, lim,
                                               counter=GraphScenes(sp.count_model, lim["apo"], cmax))
    assert by_kernel == by_graph


@pytest.mark.parametrize("tname", ["toy"])
def test_counts_by_kernel_and_complexity_alone(tiny_taxa, every_kernel, monkeypatch, tname):
    sp = Space(spec(14), tiny_taxa[tname])
    lim = _limits(sp.spec.bounds)
    by_kernel, by_core = _three_ways(sp.count_model, lim, monkeypatch, complexity_alone=True)
    assert by_kernel == by_core


def test_min_attributes_per_object(tiny_taxa, every_kernel, monkeypatch):
    """Every object carries an attribute: the kernel's objects and the paths' inner objects alike."""
    sp = Space(spec(15, attributes_per_object=IntRange(1, 2)), tiny_taxa["tiny_b"])
    lim = _limits(sp.spec.bounds)
    assert kernels.group_cores(cores.cores(lim), 15)[0]
    by_kernel, by_core = _three_ways(sp.count_model, lim, monkeypatch)
    assert by_kernel == by_core


def test_totals_by_kernel_equal_totals_structure_by_structure(tiny_taxa, every_kernel, monkeypatch):
    """The scene count of every stratum at complexity [1, 11] (kernels: the four-clique with a relation or
    an attribute to spare, two objects joined by three paths, ...), structure by structure and by kernel."""
    tax = tiny_taxa["tiny_a"]
    monkeypatch.setattr(count_module, "MULTISET_ABOVE", 10 ** 9)
    want = count_by_stratum(spec(11), tax, "shape")
    monkeypatch.setattr(count_module, "MULTISET_ABOVE", -1)
    assert count_by_stratum(spec(11), tax, "shape") == want


def test_cyclic_files_keep_one_elimination_per_core(tiny_taxa, monkeypatch):
    """With directed cycles allowed two relations may join one pair of objects (both ways): the per-core sum."""
    sp = Space(spec(12, acyclic=False), tiny_taxa["toy"])
    lim = _limits(sp.spec.bounds)
    assert not kernels.applies(lim)
    calls = []
    cores.connected_shape_counts(sp.count_model, lim, progress=lambda done, of: calls.append(of))
    assert calls[0] == len(cores.cores(lim))


@pytest.mark.parametrize("cmax,complexity_alone", [(10, False), pytest.param(11, True, marks=pytest.mark.slow)])
def test_default_taxonomy_by_kernel(every_kernel, monkeypatch, cmax, complexity_alone):
    tax = load_taxonomy(default_taxonomy_path())
    sp = Space(spec(cmax), tax)
    lim = _limits(sp.spec.bounds)
    by_kernel, by_core = _three_ways(sp.count_model, lim, monkeypatch, complexity_alone)
    assert by_kernel == by_core


def test_the_cost_model_groups_only_where_it_pays():
    """A count by shape (one computation per τ) groups no kernel at [1, 12] and [1, 14]; at [1, 16] the
    four-clique and the kernels of two or three objects with many cores.  By complexity alone the four-clique's
    family from [1, 14] on (measured: the connected count 40.3 s one by one, 17.5 s with it)."""
    for c, want in [(12, set()), (14, set())]:
        grouped, _ = kernels.group_cores(cores.cores(_limits(spec(c).bounds)), c)
        assert {rep for rep, _ in grouped.values()} == want
    for c, want in [(16, True), (14, False)]:
        listed = cores.cores(_limits(spec(c).bounds))
        k4 = [g for g in listed if kernels.kernel_of(g.n, g.edges) is not None
              and kernels.canonical_kernel(kernels.kernel_of(g.n, g.edges))[1] == K4]
        assert kernels.worth(K4, k4, c, by_complexity=False) == want
    # a count by complexity alone: the four-clique's family (its kernels with parallel edges too) at [1, 14] and
    # [1, 16], not at [1, 12]; skeletons of five objects and more not (the wheel's: 75 s grouped, ~54 s per core)
    for c, want in [(12, set()), (14, {K4 + (kernels.FAMILY,)}), (16, {K4 + (kernels.FAMILY,)})]:
        grouped, _ = kernels.group_cores(cores.cores(_limits(spec(c).bounds)), c, by_complexity=True)
        assert {rep for rep, _ in grouped.values() if kernels.is_family(rep)} == want
    # kernels whose plan would list too many partitions or automorphisms stay per core, however many cores
    assert not kernels.worth((2, ((0, 1, 1),) * 7), [None] * 10 ** 9, 30)
    assert not kernels.worth((7, tuple((i, j, 1) for i in range(7) for j in range(i + 1, 7))), [None] * 10 ** 9, 40)


def test_progress_counts_kernels_and_cores(tiny_taxa, every_kernel):
    sp = Space(spec(12), tiny_taxa["toy"])
    lim = _limits(sp.spec.bounds)
    grouped, rest = kernels.group_cores(cores.cores(lim), 12)
    calls = []
    t = time.process_time()
    cores.connected_shape_counts(sp.count_model, lim, progress=lambda done, of: calls.append((done, of)))
    assert time.process_time() - t < 60
    n = len(grouped) + len(rest)
    assert calls[0] == (0, n) and calls[-1] == (n, n) and n < len(cores.cores(lim))


@pytest.mark.slow
def test_estimate_counts_grouped_kernels_by_their_own_cost():
    """The refusal's hook: grouped kernels by eliminations × pairs × the measured unit, the rest per core."""
    lim = _limits(spec(16).bounds)
    listed = cores.cores(lim)
    grouped, rest = kernels.group_cores(listed, 16)
    est, ks = kernels.estimate(listed, 16, 113, lambda cs: 0.1 * len(cs))
    assert sorted(ks) == sorted(rep for rep, _ in grouped.values()) and K4 in ks
    assert est == pytest.approx(0.1 * len(rest) + sum(kernels.seconds(k, 16, 113) for k in ks)
                                + kernels.PATH_SECONDS * 11)
    # the four-clique: 7 eliminations of width 3 (the identity), 9 cheaper ones (classes that merge objects)
    assert kernels.profile(K4) == {0: 1, 1: 3, 2: 5, 3: 7}
    # ... each over the coefficients its factors leave (mixed paths start at s^2: 66 pairs of width 3, not 196)
    assert kernels.work(K4, 6) == {0: 119, 1: 119, 2: 112, 3: 66}
    assert kernels.seconds(K4, 16, 113) == pytest.approx(66 * kernels.SMALL_UNIT_SECONDS[3] + 350 * 0.002)
    assert kernels.seconds(W4, 16, 113) > kernels.work(W4, 3)[3] * kernels.UNIT_SECONDS[3]  # (five objects)
    assert kernels.work(W4 + (kernels.FAMILY,), 3)[3] > 2 * 22  # (two steps of width 3 per elimination)
    assert kernels.seconds(K4 + (kernels.FAMILY,), 16, 113) > kernels.seconds(K4, 16, 113)
    assert kernels.estimate(cores.cores(_limits(spec(12).bounds)), 12, 113, lambda cs: 1.0) == (1.0, [])
    # the refusal's estimate takes the grouped kernels at their cost, the other cores by width
    seconds, detail = cores.work_estimate(lim, 113, by_complexity=False)
    assert f"{len(listed) - len(rest):,} in {len(ks)} kernels summed at once" in detail
    # a total by complexity alone (`gas count`): the four-clique's family instead of the four-clique alone
    grouped, rest = kernels.group_cores(listed, 16, by_complexity=True)
    est, ks = kernels.estimate(listed, 16, 113, lambda cs: 0.1 * len(cs), by_complexity=True)
    assert K4 + (kernels.FAMILY,) in ks and K4 not in ks
    assert f"{len(listed) - len(rest):,} in {len(ks)} kernels summed at once" in cores.work_estimate(lim, 113)[1]
    # at [1, 14] the four-clique's family and two kernels of width 2 (a count by shape: none)
    assert "624 in 3 kernels summed at once" in cores.work_estimate(_limits(spec(14).bounds), 113)[1]
    assert "kernel" not in cores.work_estimate(_limits(spec(14).bounds), 113, by_complexity=False)[1]


@pytest.mark.parametrize("case", ["scene attributes", "attribute exclusions"])
def test_whole_counts_with_and_without_kernels(data_dir, tiny_taxa, by_multiset, every_kernel, monkeypatch, case):
    """The count as `gas count` takes it (scene attributes multiply outside the connected scenes; attribute
    exclusions change the labels' unary factors only): the same totals and strata with kernels or without."""
    from gas_solver.constraints.model import Bounds, ConstraintSpec
    from gas_solver.solve.count import count_scenes

    if case == "scene attributes":
        tax, sp = tiny_taxa["toy"], spec(12, scene_attributes=IntRange(0, 1))
    else:
        tax = load_taxonomy(data_dir / "tiny_exclusions.toml")
        sp = ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 11)), exclusions=True)
    assert kernels.group_cores(cores.cores(_limits(sp.bounds)), _limits(sp.bounds)["c"][1])[0]
    calls = []
    summed = kernels.KernelScenes.kernel
    monkeypatch.setattr(kernels.KernelScenes, "kernel", lambda self, k, **kw: calls.append(k) or summed(self, k, **kw))
    got = {by: count_scenes(sp, tax, by=by) for by in ("shape", "complexity")}
    assert calls  # the kernels were summed
    monkeypatch.setattr(kernels, "USE_KERNELS", False)
    assert got == {by: count_scenes(sp, tax, by=by) for by in ("shape", "complexity")}


# -- every kernel of one skeleton at once (bundles of parallel paths as multisets) -------------------------------

W4 = (5, ((0, 1, 1), (0, 2, 1), (0, 3, 1), (0, 4, 1), (1, 2, 1), (1, 3, 1), (2, 4, 1), (3, 4, 1)))


def test_skeletons_and_their_families():
    k4_doubled = (4, ((0, 1, 1), (0, 1, 1), (0, 2, 1), (0, 3, 1), (1, 2, 1), (1, 3, 1), (2, 3, 1)))
    assert kernels.skeleton(k4_doubled) == K4 and kernels.has_family(k4_doubled) and kernels.has_family(K4)
    # two objects joined by three paths: the skeleton is one edge, its objects in one edge each
    assert not kernels.has_family(THETA)
    # a triangle with two doubled sides: every object in three kernel edges, but in two skeleton edges
    assert not kernels.has_family((3, ((0, 1, 1), (0, 1, 1), (0, 2, 1), (0, 2, 1), (1, 2, 1))))
    assert kernels.is_family(K4 + (kernels.FAMILY,)) and not kernels.is_family(K4)


def test_families_only_in_counts_by_complexity_alone(tiny_taxa, every_kernel):
    lim = _limits(spec(12).bounds)
    listed = cores.cores(lim)
    by_shape, _ = kernels.group_cores(listed, 12)
    by_complexity, rest = kernels.group_cores(listed, 12, by_complexity=True)
    assert not any(kernels.is_family(rep) for rep, _ in by_shape.values())
    fams = {rep: gl for rep, gl in by_complexity.values() if kernels.is_family(rep)}
    assert set(fams) == {K4 + (kernels.FAMILY,)}  # the four-clique and its kernels with parallel edges
    assert {kernels.kernel_of(g.n, g.edges)[1] != K4[1] for g in fams[K4 + (kernels.FAMILY,)]} == {True, False}
    assert sum(len(gl) for _, gl in by_complexity.values()) + len(rest) == len(listed)
    sp = Space(spec(12), tiny_taxa["toy"])
    counter = GraphScenes(sp.count_model, lim["apo"], 12)
    by_kernel = kernels.KernelScenes(cores._CoreScenes(counter, cores.rooted_trees(counter, 12)), 12)
    with pytest.raises(ValueError, match="complexity alone"):
        by_kernel.kernel(K4 + (kernels.FAMILY,))


@pytest.mark.parametrize("tname,cmax", [("toy", 14), ("tiny_a", 14), pytest.param("toy", 15, marks=pytest.mark.slow)])
def test_families_equal_kernels_and_cores(tiny_taxa, every_kernel, monkeypatch, tname, cmax):
    """Skeletons of four to six objects (the four-clique, the wheel of five, ...), with orbits reversed and
    on the diagonal: the same totals as kernel by kernel and core by core."""
    sp = Space(spec(cmax), tiny_taxa[tname])
    lim = _limits(sp.spec.bounds)
    fams = [rep for rep, _ in kernels.group_cores(cores.cores(lim), cmax, by_complexity=True)[0].values()
            if kernels.is_family(rep)]
    assert K4 + (kernels.FAMILY,) in fams and W4 + (kernels.FAMILY,) in fams
    by_family, by_core = _three_ways(sp.count_model, lim, monkeypatch, complexity_alone=True)
    by_kernel, _ = _three_ways(sp.count_model, lim, monkeypatch, complexity_alone=True, families=False)
    assert by_family == by_core == by_kernel


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tname=st.sampled_from(["toy", "tiny_a", "tiny_b"]), cmax=st.integers(11, 14),
       apo=st.sampled_from([(0, 0), (0, 1), (0, 3), (1, 2)]))
def test_families_equal_cores_on_random_bounds(tiny_taxa, monkeypatch, tname, cmax, apo):
    monkeypatch.setattr(kernels, "MIN_LEFT", 0)
    monkeypatch.setattr(kernels, "RATIO", 0)
    monkeypatch.setattr(kernels, "FAMILY_MAX_OBJECTS", kernels.MAX_OBJECTS)
    sp = Space(spec(cmax, attributes_per_object=IntRange(*apo)), tiny_taxa[tname])
    lim = _limits(sp.spec.bounds)
    if not cores.by_complexity_alone(lim):
        lim = dict(lim)
        by_family, by_core = _three_ways(sp.count_model, lim, monkeypatch)
    else:
        by_family, by_core = _three_ways(sp.count_model, lim, monkeypatch, complexity_alone=True)
    assert by_family == by_core


@pytest.mark.parametrize("kernel", [K4, K4 + (kernels.FAMILY,), THETA, W4 + (kernels.FAMILY,),
                                    (3, ((0, 1, 1), (0, 1, 1), (0, 2, 1), (0, 2, 1), (1, 2, 1)))])
def test_each_term_starts_at_its_factors_lowest_power(tiny_taxa, kernel):
    """The plan's lower bound on a term's lowest power of s (:func:`kernels.term_shift`, the cost model's) never
    passes the factors' own (what the elimination takes out), and equals it where every path kind exists."""
    c = kernel[0] + len(kernel[1]) + 6
    sp = Space(spec(c), tiny_taxa["toy"])
    lim = _limits(sp.spec.bounds)
    counter = GraphScenes(sp.count_model, lim["apo"], c)
    by_kernel = kernels.KernelScenes(cores._CoreScenes(counter, cores.rooted_trees(counter, c)), c)
    family = kernels.is_family(kernel)
    _, classes = by_kernel.plan(kernel[:2])
    shifts = []
    for cls in classes:
        for status, _ in cls[-1]:
            factors = by_kernel.term_factors(cls, status, 6, 1, family)
            lows = [by_kernel._lowest(a) for _, a in factors]
            bound = kernels.term_shift(cls[3], cls[4], status, family)
            if bound > 6:  # (zero to s^6: some factor is zero there, or they start above it together)
                assert None in lows or sum(lows) > 6
            else:
                assert None not in lows and bound == sum(lows)
            shifts.append(bound)
    assert len(set(shifts)) > 1  # (mixed paths start above s^0, a single relation at it)


def test_shifted_terms_equal_whole_series_on_fewer_coefficients(tiny_taxa, monkeypatch):
    """Taking each factor's lowest power out changes no coefficient and multiplies fewer pairs of them."""
    c = 14
    sp = Space(spec(c), tiny_taxa["tiny_a"])
    lim = _limits(sp.spec.bounds)
    pairs = []
    real = kernels.contract_series

    def counted(factors, degree, **kw):
        pairs.append((degree + 1) * (degree + 2) // 2)
        return real(factors, degree, **kw)

    monkeypatch.setattr(kernels, "contract_series", counted)
    out = {}
    for mode in ("shift", "whole"):
        if mode == "whole":
            monkeypatch.setattr(kernels.KernelScenes, "_lowest", lambda self, a: 0)
            monkeypatch.setattr(kernels, "term_shift", lambda *a: 0)
        counter = GraphScenes(sp.count_model, lim["apo"], c)
        by_kernel = kernels.KernelScenes(cores._CoreScenes(counter, cores.rooted_trees(counter, c)), c)
        pairs.clear()
        out[mode] = (by_kernel.kernel(K4 + (kernels.FAMILY,), by_complexity=True),
                     by_kernel.kernel(K4), sum(pairs))
    assert out["shift"][:2] == out["whole"][:2] and out["shift"][0]
    assert out["shift"][2] < out["whole"][2] / 2


@pytest.mark.parametrize("tname,c", [("tiny_a", 14), ("toy", 15)])
def test_merged_terms_equal_separate_terms(tiny_taxa, monkeypatch, tname, c):
    """Two terms of the identity that an automorphism makes differ only at one object's edges, summed in one
    contraction over a two-valued variable: the same coefficients as two contractions, in fewer of them."""
    sp = Space(spec(c), tiny_taxa[tname])
    lim = _limits(sp.spec.bounds)
    calls = []
    real = kernels.contract_series

    def counted(factors, degree, **kw):
        calls.append(len(factors))
        return real(factors, degree, **kw)

    monkeypatch.setattr(kernels, "contract_series", counted)
    merged = kernels.KernelScenes._merged
    out = {}
    for mode in ("merged", "separate"):
        if mode == "separate":
            monkeypatch.setattr(kernels.KernelScenes, "_merged", lambda self, *a: {})
        counter = GraphScenes(sp.count_model, lim["apo"], c)
        by_kernel = kernels.KernelScenes(cores._CoreScenes(counter, cores.rooted_trees(counter, c)), c)
        calls.clear()
        out[mode] = (by_kernel.kernel(K4 + (kernels.FAMILY,), by_complexity=True), by_kernel.kernel(K4),
                     len(calls), max(calls))
    assert out["merged"][:2] == out["separate"][:2] and out["merged"][0]
    assert out["merged"][2] < out["separate"][2] and out["merged"][3] == 11  # (+ t and its coefficients)
    monkeypatch.setattr(kernels.KernelScenes, "_merged", merged)
    # the four-clique's identity: the two terms of sign -12 (shift 2) pair up, nothing else
    _, classes = kernels.KernelScenes(None, 0).plan(K4)
    live = [(st, sg, None, kernels.term_shift(classes[0][3], classes[0][4], st, True)) for st, sg in classes[0][-1]]
    assert [(st[1], st[3]) for st in live if st[3] <= 6] == [(4, 6), (4, 6), (-12, 2), (-12, 2), (6, 4), (12, 0)]


def test_family_bundles_count_multisets(tiny_taxa):
    """One skeleton edge, labels fixed at both ends: bundles of one or two paths, by complexity beyond one
    relation, from the path series themselves (two equal paths once, two different ones once per pair)."""
    sp = Space(spec(12), tiny_taxa["tiny_a"])
    lim = _limits(sp.spec.bounds)
    counter = GraphScenes(sp.count_model, lim["apo"], 12)
    by_kernel = kernels.KernelScenes(cores._CoreScenes(counter, cores.rooted_trees(counter, 12)), 12)
    d = 5
    B = by_kernel.family_bundle(1, False, 3, False, d, 1)  # mixed, forward and backward paths
    P = by_kernel.edge_factor(1, d, 1, (1, 1, 1), False)  # one path by complexity beyond one relation
    P2 = by_kernel.edge_factor(2, d, 1, (1, 1, 1), False)  # one path taken twice
    single, longer = P[0], P.copy()
    longer[0] = 0
    # a path of l relations has complexity 2l - 1: a bundle of a single relation (1) and a path of two (3)
    # is 3 beyond one relation; two paths of two relations (3 + 3) are 5 beyond, a multiset of two:
    # (P_1^2 + P_2) / 2, P_2 the path taken twice
    assert (B[0] == single).all() and (B[1] == 0).all() and (B[2] == longer[2]).all()
    assert (B[3] == longer[3] + single * longer[2]).all()
    assert (B[4] == longer[4] + single * longer[3]).all()
    pairs = longer[2] * longer[2] + P2[4]
    assert (pairs % 2 == 0).all() and (P2[4] > 0).any()
    assert (B[5] == longer[5] + single * longer[4] + pairs // 2).all()


def test_kernels_release_their_memory_before_the_cores(tiny_taxa, every_kernel, monkeypatch):
    """The kernels run first, under a small memo, and what they cached (path series, bundles, the memo's
    messages, inputs and the modular module's residues of them) is gone before the cores' plan: at [1, 16]
    ~400 MB that the cores would otherwise keep resident (``benchmarks/c16_memory.py``); each kernel's own is
    gone before the next kernel (at [1, 16] eight kernels otherwise held ~580 MB more by the last).  The count
    is the same."""
    from gas_solver.solve import modular

    sp = Space(spec(14), tiny_taxa["toy"])
    lim = _limits(sp.spec.bounds)
    counter = GraphScenes(sp.count_model, lim["apo"], 14)
    seen: dict = {"budgets": set(), "kernels": []}
    init, kernel, plan = kernels.KernelScenes.__init__, kernels.KernelScenes.kernel, cores._CoreScenes.plan

    def init_spy(self, scenes, c_max):
        init(self, scenes, c_max)
        seen["kernels"].append(self)

    def kernel_spy(self, k, **kw):
        # (each kernel starts with the memo and the factor caches empty: only the path series carry over)
        seen.setdefault("left", []).append((len(counter.memo._inputs), len(self._edges) + len(self._bundles)
                                            + len(self._family) + len(self._stacks) + len(self._shifts)))
        seen["budgets"].add(counter.memo.max_bytes)
        seen.setdefault("wrap", set()).add(modular._WRAP_PASS_PRIMES)
        return kernel(self, k, **kw)

    def plan_spy(self, *a, **kw):
        if seen.get("planned"):  # (the count without kernels below)
            return plan(self, *a, **kw)
        ks, = [k for k in seen["kernels"] if k.scenes is not None]
        assert ks._paths == {} and ks._edges == {} and ks._family == {} and ks._family_factors == {}
        assert counter.memo.bytes == 0 and not counter.memo._inputs and not counter.memo._rows
        # (arrays of the kernels no longer held by the module's caches: their ids are not in them)
        held = {id(a) for a in seen["arrays"]}
        assert not held & (modular._RESIDUES.keys() | modular._EXACTS.keys() | {k[0] for k in modular._STATS})
        seen["planned"] = True
        return plan(self, *a, **kw)

    put = counter.memo.input
    seen["arrays"] = []

    def input_spy(a, width):
        seen["arrays"].append(a)
        return put(a, width)

    monkeypatch.setattr(kernels.KernelScenes, "__init__", init_spy)
    monkeypatch.setattr(kernels.KernelScenes, "kernel", kernel_spy)
    monkeypatch.setattr(cores._CoreScenes, "plan", plan_spy)
    monkeypatch.setattr(counter.memo, "input", input_spy)
    got = cores.connected_complexity_counts(sp.count_model, lim, counter=counter)
    assert seen.get("planned") and seen["arrays"]
    assert len(seen["left"]) > 1 and set(seen["left"]) == {(0, 0)}
    assert seen["budgets"] == {cores.KERNEL_MEMO_BYTES} and seen["wrap"] == {cores.KERNEL_WRAP_PASS_PRIMES}
    assert modular._WRAP_PASS_PRIMES != cores.KERNEL_WRAP_PASS_PRIMES  # (restored for the cores)
    monkeypatch.setattr(kernels, "USE_KERNELS", False)
    assert got == cores.connected_complexity_counts(sp.count_model, lim,
                                                    counter=GraphScenes(sp.count_model, lim["apo"], 14))
    assert len([k for k in seen["kernels"] if k.scenes is not None]) == 1
