"""Exclusive scene-attribute groups against brute force.

A scene holds at most one scene attribute per exclusive group of the taxonomy (no artist beside an art style,
no lighting beside a time of day).  ``tests/data/tiny_groups.toml`` has two groups of two types and one free
type; counts (total, by complexity), enumeration sets (both backends) and uniform sampling (chi-square) agree
with ``brute_oracle`` (every choice of scene attributes, filtered by the independent checker), and with the
closed form: the product over groups of ``1 + (values of the group)·x``.  ``tiny_groups_overlap.toml`` puts a
type in two groups (a weather excludes a lighting and a backdrop): the same agreements, and the closed form over
the component's independent sets.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from scipy.stats import chisquare

from brute_oracle import space
from gas_solver.constraints import parse_constraints
from gas_solver.constraints.check import violations
from gas_solver.constraints.model import Bounds, ConstraintSpec, IntRange
from gas_solver.scene import Scene, SceneAttribute, SceneObject, canonical_id
from gas_solver.solve.count import count_scenes, scene_attribute_ways
from gas_solver.solve.domain import ground
from gas_solver.solve.enumerate import enumerate_scenes
from gas_solver.solve.sample import sample_scenes
from gas_solver.taxonomy import load_taxonomy


def spec(lo=0, hi=3, cmax=2, **kw):
    return ConstraintSpec(bounds=Bounds(complexity=IntRange(1, cmax), scene_attributes=IntRange(lo, hi)), **kw)


CASES = {
    "compatible": spec(),
    "compatible-two": spec(2, 2),
    "any": spec(scene_attributes="any"),
    "semantic-false": spec(semantic=False),
}


@pytest.fixture(scope="module")
def tax(data_dir):
    return load_taxonomy(data_dir / "tiny_groups.toml")


def test_closed_form(tax):
    # groups: rendering 2 + 1 = 3 values, light 2 + 3 = 5, mood 2 (free): (1 + 3x)(1 + 5x)(1 + 2x)
    dom = ground(CASES["compatible"], tax)
    assert dom.scene_type_polynomial() == [1, 10, 31, 30]
    assert scene_attribute_ways(dom) == 72
    assert scene_attribute_ways(ground(CASES["compatible-two"], tax)) == 31
    # without groups: e_k of (2, 1, 2, 3, 2)
    assert ground(CASES["any"], tax).scene_type_polynomial() == [1, 10, 39, 74, 68, 24]


@pytest.mark.parametrize("case", sorted(CASES))
def test_counts_equal_brute_force(tax, case):
    sp = CASES[case]
    truth = space(tax, sp, 2)
    assert count_scenes(sp, tax) == len(truth)
    assert count_scenes(sp, tax, by="complexity") == dict(Counter(s.complexity for s in truth.values()))
    assert count_scenes(sp, tax, by="shape") == dict(Counter(s.shape for s in truth.values()))


@pytest.mark.parametrize("backend", ["asp", "cpsat"])
@pytest.mark.parametrize("case", ["compatible", "compatible-two"])
def test_enumeration_equals_brute_force(tax, case, backend):
    sp = CASES[case]
    truth = space(tax, sp, 2)
    got = [canonical_id(s) for s in enumerate_scenes(sp, tax, backend=backend)]
    assert len(got) == len(set(got)) == len(truth)
    assert set(got) == set(truth)


def test_raw_rules_keep_the_groups(tax):
    """With raw ASP rules the scene attributes are chosen inside the clingo program: the groups hold there too."""
    sp = parse_constraints('[space]\ncomplexity = [1, 1]\nscene_attributes = [2, 2]\n'
                           '[asp]\nrules = \'\'\':- scene_attr("mood", "tense").\'\'\'\n', tax)
    plain = parse_constraints('[space]\ncomplexity = [1, 1]\nscene_attributes = [2, 2]\n', tax)
    truth = {k for k, s in space(tax, plain, 1).items() if SceneAttribute("mood", "tense") not in s.scene_attributes}
    assert truth and all(sum(a.type in ("style", "film") for a in s.scene_attributes) <= 1
                         for s in enumerate_scenes(sp, tax))
    got = {canonical_id(s) for s in enumerate_scenes(sp, tax)}
    assert got == truth


def test_uniform_sampling_fits_chi_square(tax):
    sp = CASES["compatible"]
    keys = sorted(space(tax, sp, 2))
    draws = 30 * len(keys)
    scenes = sample_scenes(sp, tax, draws, seed=11)
    c = Counter(canonical_id(s) for s in scenes)
    assert set(c) <= set(keys)
    obs = np.array([c[k] for k in keys], dtype=float)
    assert chisquare(obs, np.full(len(keys), draws / len(keys))).pvalue > 0.01


def test_checker_names_the_switch(tax):
    sp = parse_constraints('[space]\nscene_attributes = [0, 2]\n', tax)
    scene = Scene((SceneObject("cat"),), (), (SceneAttribute("style", "cubism"), SceneAttribute("film", "kodachrome")))
    bad = violations(scene, sp, tax)
    assert bad and any("semantic" in (o.key or "") for o in bad)
    loose = parse_constraints('[space]\nscene_attributes = [0, 2]\n[semantics]\nscene_attributes = "any"\n', tax)
    assert not violations(scene, loose, tax)
    assert count_scenes(loose, tax) > count_scenes(sp, tax)


@pytest.fixture(scope="module")
def overlap(data_dir):
    return load_taxonomy(data_dir / "tiny_groups_overlap.toml")


def test_overlapping_groups_closed_form(overlap):
    """A weather sits in "light" and "sky", a backdrop in "sky": the light-and-sky component's independent sets
    are {}, lighting 2, time 3, weather 2, backdrop 2, lighting+backdrop 4, time+backdrop 6, so its factor is
    1 + 9x + 10x²; times rendering (1 + 3x) and mood (1 + 2x)."""
    dom = ground(CASES["compatible"], overlap)
    expected = [1]
    for f in ([1, 3], [1, 2], [1, 9, 10]):
        expected = [sum(expected[i] * f[k - i] for i in range(len(expected)) if 0 <= k - i < len(f))
                    for k in range(len(expected) + len(f) - 1)]
    assert dom.scene_type_polynomial() == expected
    assert not overlap.scene_attributes_compatible(["weather", "backdrop"])
    assert not overlap.scene_attributes_compatible(["weather", "lighting"])
    assert overlap.scene_attributes_compatible(["lighting", "backdrop"])


@pytest.mark.parametrize("case", sorted(CASES))
def test_overlapping_groups_count_brute_force(overlap, case):
    sp = CASES[case]
    truth = space(overlap, sp, 2)
    assert count_scenes(sp, overlap) == len(truth)
    assert count_scenes(sp, overlap, by="shape") == dict(Counter(s.shape for s in truth.values()))


@pytest.mark.parametrize("backend", ["asp", "cpsat"])
def test_overlapping_groups_enumeration(overlap, backend):
    sp = spec(cmax=1)
    truth = space(overlap, sp, 1)
    got = [canonical_id(s) for s in enumerate_scenes(sp, overlap, backend=backend)]
    assert len(got) == len(set(got)) == len(truth)
    assert set(got) == set(truth)
    assert not any({"weather", "backdrop"} <= {a.type for a in truth[k].scene_attributes} for k in truth)


def test_overlapping_groups_raw_rules(overlap):
    """Raw ASP rules: the scene attributes are chosen in the clingo program, where a type has one fact per group."""
    sp = parse_constraints('[space]\ncomplexity = [1, 1]\nscene_attributes = [2, 2]\n'
                           '[asp]\nrules = \'\'\':- scene_attr("mood", "tense").\'\'\'\n', overlap)
    plain = parse_constraints('[space]\ncomplexity = [1, 1]\nscene_attributes = [2, 2]\n', overlap)
    truth = {k for k, s in space(overlap, plain, 1).items() if SceneAttribute("mood", "tense") not in s.scene_attributes}
    assert {canonical_id(s) for s in enumerate_scenes(sp, overlap)} == truth


def test_overlapping_groups_uniform_sampling(overlap):
    sp = spec(cmax=1)
    keys = sorted(space(overlap, sp, 1))
    draws = 30 * len(keys)
    c = Counter(canonical_id(s) for s in sample_scenes(sp, overlap, draws, seed=12))
    assert set(c) <= set(keys)
    obs = np.array([c[k] for k in keys], dtype=float)
    assert chisquare(obs, np.full(len(keys), draws / len(keys))).pvalue > 0.01
