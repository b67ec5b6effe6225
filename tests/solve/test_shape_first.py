"""The shape-first sampling law (solve/sample/law.py ShapeFirst): a shape ∝ its count (connected scenes,
no structure listed), an object graph of that shape ∝ its scenes (Burnside with a grading), a structure on
it ∝ its count.  Checked exactly against the per-structure law and by chi-square against brute force."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import numpy as np
import pytest
from scipy.stats import chi2_contingency, chisquare

from brute_oracle import complexity_spec as spec, space, uniformity_pvalue
from gas_solver.constraints import parse_constraints
from gas_solver.constraints.model import ConstraintSpec, IntRange
from gas_solver.solve import count as count_module
from gas_solver.solve.count import Space
from gas_solver.solve.sample import Sampler
from gas_solver.solve.sample.law import ShapeFirst
from gas_solver.scene import canonical_id




# (taxonomy, max complexity, spec): local constraints, structural bounds of every kind
CASES = {
    "a/default": ("tiny_a", 4, spec(4)),
    "a/cyclic": ("tiny_a", 4, spec(4, acyclic=False)),
    "a/connected-1attr": ("tiny_a", 4, spec(4, connected=True, attributes_per_object=IntRange(0, 1))),
    "a/in-degree-lo": ("tiny_a", 4, spec(4, in_degree=IntRange(1, 2), acyclic=False)),
    "a/min-attrs": ("tiny_a", 4, spec(4, 2, attributes_per_object=IntRange(1, 2), relations=IntRange(0, 1))),
    "a/scene-attrs": ("tiny_a", 3, spec(3, scene_attributes=IntRange(0, 1))),
    "b/default": ("tiny_b", 4, spec(4)),
    "b/shape-bounds": ("tiny_b", 4, spec(4, 2, attributes=IntRange(1, 2), relations=IntRange(0, 1))),
    "toy/default": ("toy", 3, spec(3)),
}


def _law_over_structures(sampler) -> dict:
    """``{structure key: probability}`` of the shape-first choice, multiplied out exactly."""
    choice = sampler.law.choice.cat
    assert isinstance(choice, ShapeFirst)
    out: dict = {}
    shape_total = choice.cat.total
    for k in range(len(choice.shapes)):
        p_shape = Fraction(choice.cat.cum[k] - (choice.cat.cum[k - 1] if k else 0), shape_total)
        graphs, gcat, _ = choice.graphs(k)
        for g in range(len(graphs)):
            p_graph = Fraction(gcat.cum[g] - (gcat.cum[g - 1] if g else 0), gcat.total)
            structs, scat = choice.structures(k, g)
            for j, st in enumerate(structs):
                p = Fraction(scat.cum[j] - (scat.cum[j - 1] if j else 0), scat.total)
                assert st.key not in out
                out[st.key] = p_shape * p_graph * p
    return out


@pytest.mark.parametrize("case", sorted(CASES))
def test_shape_first_law_is_the_per_structure_law(tiny_taxa, monkeypatch, case):
    """Exactly: every structure's probability is its count over the total, as when every structure is
    listed and counted."""
    tname, _, sp = CASES[case]
    tax = tiny_taxa[tname]
    monkeypatch.setattr(count_module, "MULTISET_ABOVE", -1)
    got = _law_over_structures(Sampler(sp, tax))
    monkeypatch.setattr(count_module, "MULTISET_ABOVE", 10 ** 9)
    listed = Space(ConstraintSpec(bounds=sp.bounds), tax)
    counts = {s.key: listed.structure_value(s) for s in listed.structures}
    total = sum(counts.values())
    assert got == {k: Fraction(v, total) for k, v in counts.items() if v}


@pytest.mark.parametrize("case", ["a/default", "a/cyclic", "a/min-attrs", "a/scene-attrs", "b/shape-bounds",
                                  "toy/default"])
def test_shape_first_draws_are_uniform(tiny_taxa, by_multiset, case):
    tname, cmax, sp = CASES[case]
    tax = tiny_taxa[tname]
    keys = sorted(space(tax, sp, cmax))
    sampler = Sampler(sp, tax)
    assert isinstance(sampler.law.choice.cat, ShapeFirst)
    assert sampler.total == len(keys)
    assert sampler.space._structures is None  # the space's structures are never listed
    scenes = sampler.sample(min(40 * len(keys), 60_000), seed=7)
    assert uniformity_pvalue(scenes, keys) > 0.001


def test_shape_first_strata_keep_their_shares_and_uniformity_inside(tiny_taxa, by_multiset):
    tname, cmax, sp = CASES["a/default"]
    tax = tiny_taxa[tname]
    truth = space(tax, sp, cmax)
    shares = {1: Fraction(1, 2), 2: Fraction(1, 4), 3: Fraction(1, 8), 4: Fraction(1, 8)}
    sampler = Sampler(sp, tax, distribution="stratified", strata={"objects": dict(shares)})
    assert isinstance(sampler.law.choice.cat, ShapeFirst)
    scenes = sampler.sample(40_000, seed=3)
    by_objects = Counter(len(s.objects) for s in scenes)
    obs = np.array([by_objects[n] for n in sorted(shares)], dtype=float)
    assert chisquare(obs, np.array([float(shares[n]) * len(scenes) for n in sorted(shares)])).pvalue > 0.001
    for n in (1, 2):  # uniform inside a stratum
        keys = sorted(k for k, s in truth.items() if len(s.objects) == n)
        assert uniformity_pvalue([s for s in scenes if len(s.objects) == n], keys) > 0.001


def test_shape_first_draws_are_deterministic_whatever_the_workers(tiny_taxa, by_multiset):
    tname, _, sp = CASES["b/default"]
    sampler = Sampler(sp, tiny_taxa[tname])
    assert isinstance(sampler.law.choice.cat, ShapeFirst)
    one = sampler.sample(5000, seed=5)
    assert one == Sampler(sp, tiny_taxa[tname]).sample(5000, seed=5)
    assert one == sampler.sample(5000, seed=5, workers=2)


def test_small_spaces_keep_the_per_structure_choice(tiny_taxa):
    """Below count.MULTISET_ABOVE (every shipped constraint file) the old choice, and its bytes, stay."""
    assert not isinstance(Sampler(spec(3), tiny_taxa["toy"]).law.choice.cat, ShapeFirst)  # (a fresh spec: a fresh space)


def test_weighted_law_without_soft_weights_is_drawn_shape_first(tiny_taxa, by_multiset):
    """Without soft weights the weighted law is the uniform one: drawn shape first, uniformly."""
    tname, cmax, sp = CASES["a/default"]
    tax = tiny_taxa[tname]
    keys = sorted(space(tax, sp, cmax))
    sampler = Sampler(sp, tax, distribution="weighted")
    assert isinstance(sampler.law.choice.cat, ShapeFirst)
    assert sampler.law.z == sampler.total == len(keys)
    assert uniformity_pvalue(sampler.sample(40 * len(keys), seed=11), keys) > 0.001


def test_weighted_law_with_soft_weights_keeps_the_per_structure_choice(tiny_taxa, by_multiset):
    soft = parse_constraints('format = "gas-constraints/1"\n[space]\ncomplexity = [1, 4]\n'
                             '[[soft]]\npattern = "a:*{colour}"\nweight = 2.0\n', tiny_taxa["tiny_a"])
    assert not isinstance(Sampler(soft, tiny_taxa["tiny_a"], distribution="weighted").law.choice.cat, ShapeFirst)


def _structures_with_scenes(sp, tax, monkeypatch) -> list:
    monkeypatch.setattr(count_module, "MULTISET_ABOVE", 10 ** 9)
    listed = Space(ConstraintSpec(bounds=sp.bounds), tax)
    out = sorted(s.key for s in listed.structures if listed.structure_value(s))
    monkeypatch.setattr(count_module, "MULTISET_ABOVE", -1)
    return out


@pytest.mark.parametrize("case", sorted(CASES))
def test_per_structure_law_shape_first_is_uniform_over_structures(tiny_taxa, monkeypatch, case):
    """Exactly: each structure with scenes has probability 1 / #structures with scenes (structures counted
    by slot vectors, Burnside per object graph; checked against listing them and counting each)."""
    tname, _, sp = CASES[case]
    tax = tiny_taxa[tname]
    want = _structures_with_scenes(sp, tax, monkeypatch)
    sampler = Sampler(sp, tax, distribution="per-structure")
    assert isinstance(sampler.law.choice.cat, ShapeFirst)
    got = _law_over_structures(sampler)
    assert got == {k: Fraction(1, len(want)) for k in want}
    assert sampler.space._structures is None


@pytest.mark.parametrize("case", ["a/default", "a/min-attrs", "b/shape-bounds", "toy/default"])
def test_per_structure_draws_match_the_listed_law(tiny_taxa, monkeypatch, case):
    """Chi-square: structures uniformly, then the same uniform labelling as the listed law (whose scene
    frequencies the shape-first draws must follow)."""
    tname, cmax, sp = CASES[case]
    tax = tiny_taxa[tname]
    want = _structures_with_scenes(sp, tax, monkeypatch)
    sampler = Sampler(sp, tax, distribution="per-structure")
    assert isinstance(sampler.law.choice.cat, ShapeFirst)
    scenes = sampler.sample(60 * len(want), seed=13)
    seen = Counter(tuple(s.shape) for s in scenes)  # shapes ∝ their number of structures
    listed = Counter()
    monkeypatch.setattr(count_module, "MULTISET_ABOVE", 10 ** 9)
    lspace = Space(ConstraintSpec(bounds=sp.bounds), tax)
    for st in lspace.structures:
        if lspace.structure_value(st):
            listed[tuple(st.shape)] += 1
    shapes = sorted(listed)
    assert set(seen) <= set(shapes)
    obs = np.array([seen[h] for h in shapes], dtype=float)
    exp = np.array([listed[h] * len(scenes) / len(want) for h in shapes])
    assert chisquare(obs, exp).pvalue > 0.001
    # the scene law: the listed per-structure sampler's draws and these, two samples of one law
    old = Sampler(ConstraintSpec(bounds=sp.bounds), tax, distribution="per-structure")
    assert not isinstance(old.law.choice.cat, ShapeFirst)
    ref = Counter(canonical_id(s) for s in old.sample(len(scenes), seed=17))
    new = Counter(canonical_id(s) for s in scenes)
    keys = sorted(set(ref) | set(new))
    table = np.array([[ref[k] for k in keys], [new[k] for k in keys]], dtype=float)
    assert chi2_contingency(table).pvalue > 0.001


def test_per_structure_law_without_a_positivity_proof_keeps_the_listed_choice(tiny_taxa, by_multiset):
    """No relation has scenes here (every edge forbidden): the slot vectors alone do not say which
    structures have scenes, so the structures are listed and counted as before."""
    none = parse_constraints('format = "gas-constraints/1"\n[space]\ncomplexity = [1, 4]\n'
                             '[[forbid]]\npattern = "a:* -[*]-> b:*"\n', tiny_taxa["tiny_a"])
    sampler = Sampler(none, tiny_taxa["tiny_a"], distribution="per-structure")
    assert not isinstance(sampler.law.choice.cat, ShapeFirst)
    assert all(not s.relations for s in sampler.sample(200, seed=1))
