"""Burnside over classes of conjugate automorphisms (twins, cycle types) and the multi-modular
component values, against listing the group and the Python-integer elimination."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pynauty
import pytest
from scipy.stats import chisquare

from brute_oracle import space
from gas_solver.constraints.model import Bounds, ConstraintSpec, IntRange
from gas_solver.scene import canonical_id
from gas_solver.solve import burnside, modular
from gas_solver.solve.burnside import class_profile, contract, quotient_profile
from gas_solver.solve.count import Space
from gas_solver.solve.modular import contract_int
from gas_solver.solve.sample import Sampler
from gas_solver.solve.structures import Structure, _graph, _nauty_graph, structures
from gas_solver.solve.symmetry import automorphism_classes, partitions, twin_classes
from gas_solver.taxonomy import load_taxonomy


def _cycle_types(s: Structure, g) -> tuple:
    seen, objs = set(), []
    for v in range(s.n):
        if v not in seen:
            length, u = 0, v
            while u not in seen:
                seen.add(u)
                u = g[u]
                length += 1
            objs.append(length)
    seen_e, edges = set(), []
    for e in s.edges:
        if e not in seen_e:
            length, x = 0, e
            while x not in seen_e:
                seen_e.add(x)
                x = (g[x[0]], g[x[1]])
                length += 1
            edges.append(length)
    return tuple(sorted(objs)), tuple(sorted(edges))


@pytest.mark.parametrize("acyclic", [True, False])
def test_classes_cover_the_group_with_the_right_cycle_types(acyclic):
    """Every structure up to complexity 7: class sizes sum to the group order, representatives are
    automorphisms, and the size-weighted cycle types (objects and edges) equal the listed group's."""
    for s in structures(Bounds(complexity=IntRange(1, 7), acyclic=acyclic)):
        group = set(s.automorphisms)
        classes = automorphism_classes(s)
        assert sum(c.size for c in classes) == s.group_order == len(group)
        assert classes[0].rep == tuple(range(s.n))
        weighted = Counter()
        for c in classes:
            assert c.rep in group
            weighted[_cycle_types(s, c.rep)] += c.size
        assert weighted == Counter(_cycle_types(s, g) for g in group), s


def test_ten_bare_objects_are_42_classes():
    s = Structure(10, (0,) * 10, ())
    classes = automorphism_classes(s)
    assert len(classes) == len(list(partitions(10))) == 42
    assert sum(c.size for c in classes) == 3_628_800 == s.group_order


def test_twin_classes_need_both_or_no_edges_between_twins():
    assert twin_classes(2, (0, 0), ((0, 1),)) == ((0,), (1,))
    assert twin_classes(2, (0, 0), ((0, 1), (1, 0))) == ((0, 1),)
    assert twin_classes(3, (0, 0, 1), ((2, 0), (2, 1))) == ((0, 1), (2,))


def test_class_profile_is_the_listed_profile(toy_taxonomy):
    """Same Burnside sum per structure (the component values of each profile, weighted by
    multiplicity) from classes as from every element."""
    sp = Space(ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 7), acyclic=False)), toy_taxonomy)
    f = sp.factors(sp.count_model)
    for s in sp.structures:
        listed = sum(m * f.fix(p) for p, m, _ in quotient_profile(s))
        assert sum(m * f.fix(p) for p, m in class_profile(s)) == listed


def _random_factors(rng, n_vars, n_edges, labels, big):
    factors = [((v,), rng.integers(0, 50, labels).astype(object) * big) for v in range(n_vars)]
    for _ in range(n_edges if n_vars >= 2 else 0):
        i, j = sorted(rng.choice(n_vars, 2, replace=False).tolist())
        factors.append(((i, j), rng.integers(0, 7, (labels, labels)).astype(object) * big))
    if n_vars >= 3 and rng.random() < 0.5:
        i, j, k = sorted(rng.choice(n_vars, 3, replace=False).tolist())
        factors.append(((i, j, k), rng.integers(0, 3, (labels, labels, labels)).astype(object)))
    return factors


@pytest.mark.parametrize("seed", range(40))
def test_multimodular_contraction_equals_python_integers(seed):
    rng = np.random.default_rng(seed)
    big = 10 ** int(rng.integers(0, 25))
    factors = _random_factors(rng, int(rng.integers(1, 6)), int(rng.integers(0, 8)), int(rng.integers(1, 6)), big)
    assert contract_int(factors) == contract(factors)[0]


def test_multimodular_contraction_blocks_long_sums(monkeypatch):
    """Matrix products over more labels than one int64 block holds, and values beyond 2^200."""
    monkeypatch.setattr(modular, "_MATMUL_BLOCK", 7)
    rng = np.random.default_rng(5)
    factors = _random_factors(rng, 4, 5, 23, 10 ** 30)
    assert contract_int(factors) == contract(factors)[0] > 2 ** 200


def test_fast_nauty_graph_equals_the_checked_constructor():
    for s in structures(Bounds(complexity=IntRange(1, 6), acyclic=False)):
        adj: dict = {}
        for u, v in s.edges:
            adj.setdefault(u, []).append(v)
        cells: dict = {}
        for i, a in enumerate(s.attributes):
            cells.setdefault(a, set()).add(i)
        checked = pynauty.Graph(s.n, directed=True, adjacency_dict=adj,
                                vertex_coloring=[cells[a] for a in sorted(cells)])
        fast = _nauty_graph(s.n, s.attributes, s.edges)
        assert pynauty.canon_label(fast) == pynauty.canon_label(checked)
        assert pynauty.certificate(fast) == pynauty.certificate(checked)
    assert isinstance(_graph(1, {}, []), pynauty.Graph)


def test_class_draw_of_automorphisms_is_exactly_uniform(data_dir, monkeypatch):
    """With every group drawn by classes (limit 1), the sampler stays uniform over the brute-force space."""
    monkeypatch.setattr(burnside, "LISTED_GROUP_LIMIT", 1)
    tax = load_taxonomy(data_dir / "tiny_a.toml")
    sp = ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 4), acyclic=False))
    truth = space(tax, sp, 4)
    keys = sorted(truth)
    sampler = Sampler(sp, tax)
    assert sampler.total == len(keys) > 30
    scenes = sampler.sample(60 * len(keys), seed=3)
    fills = sampler.tables.fills.values()
    assert any(f.structure.group_order > 1 and len(f.choice.classes) < f.structure.group_order
               and sum(f.choice.sizes) == f.structure.group_order for f in fills)
    c = Counter(canonical_id(s) for s in scenes)
    assert set(c) <= set(keys)
    obs = np.array([c[k] for k in keys], dtype=float)
    assert chisquare(obs, np.full(len(keys), obs.sum() / len(keys))).pvalue > 0.01


def test_large_groups_count_and_sample_quickly(toy_taxonomy):
    """Twelve bare objects (12! automorphisms): counted from 77 classes, sampled without listing."""
    spec = ConstraintSpec(bounds=Bounds(complexity=IntRange(12, 12), objects=IntRange(12, 12)))
    sampler = Sampler(spec, toy_taxonomy)
    from math import comb
    assert sampler.total == comb(10 + 12 - 1, 12)  # multisets of 12 of the toy's 10 concepts
    assert len(sampler.sample(5, seed=1)) == 5
    assert "automorphisms" not in sampler.space.structures[0].__dict__
