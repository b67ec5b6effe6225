"""Near-uniform sampling by random XOR cells (gas_solver.solve.hashing) on small, fully enumerable spaces.

Uniformity tolerance: Pearson chi-square over every scene of the space (5 draws
per scene) must give p > 0.01 at the fixed seed.  The sampler is near-uniform, not
exact (UniGen's bound allows a factor 1 + ε), but its real law on these spaces is
close enough to uniform that this test passes, while the same sampler without the
uniform choice inside the cell (``cell[0]``) fails it with p < 1e-6.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

import numpy as np
import pytest
from click.testing import CliRunner
from scipy.stats import chisquare

from gas_solver.cli.main import cli
from gas_solver.constraints.check import violations
from gas_solver.constraints.model import (
    AttributeCondition,
    Bounds,
    CardinalityConstraint,
    ConceptSet,
    ConstraintSpec,
    IntRange,
    Origin,
    Pattern,
    PatternConstraint,
    PatternEdge,
    PatternNode,
    RawAsp,
)
from gas_solver.errors import GasError
from gas_solver.scene import canonical_id
from gas_solver.solve.enumerate import enumerate_scenes
from gas_solver.solve.hashing import HashingSampler, sample_near_uniform, unigen_parameters
from gas_solver.solve.raw_filter import RawAspFilter
from gas_solver.taxonomy import load_taxonomy

O = Origin("spec.toml", 1, 1, "test")
RULES = (':- concept(O, "dog").\n:- rel(S, P, O), category(O, "bird").\nhas_rel(S) :- rel(S, P, O).\n'
         ':- object(O), category(O, "fruit"), not has_rel(O), attr(O, "colour", V).\n'
         ':- scene_attr("style", "monet"), category(O, "vehicle").')


@pytest.fixture(scope="module")
def toy(data_dir):
    return load_taxonomy(data_dir / "toy.toml")


def _spec(c, **kw):
    return ConstraintSpec(bounds=Bounds(complexity=IntRange(1, c), **kw))


def _raw(spec):
    return dataclasses.replace(spec, raw_asp=(RawAsp(RULES, Origin("f.toml", 4, 1, "asp")),))


def _pvalue(scenes, keys):
    c = Counter(canonical_id(s) for s in scenes)
    assert set(c) <= set(keys), "sampled a scene outside the space"
    return chisquare(np.array([c[k] for k in keys], dtype=float)).pvalue


class _NoCellUniformity(HashingSampler):
    """The same sampler without the uniform choice inside the cell: clearly biased."""

    def _choose(self, cell, rng):
        return cell[0]


def test_unigen_parameters():
    p = unigen_parameters(16)
    assert (p.pivot, p.lo, p.hi) == (28, 11, 70) and 0.74 < p.kappa < 0.75
    assert unigen_parameters(4).pivot > p.pivot  # tighter tolerance, larger cells
    assert "NOT exact" in p.guarantee() and "17" in p.guarantee()
    with pytest.raises(GasError, match="1.71"):
        unigen_parameters(1.5)


def test_chi_square_close_to_uniform_and_cell_uniformity_matters(toy):
    sp = _spec(2)  # 126 scenes: more than one cell (hi = 70), so the XOR cells are really used
    keys = sorted(canonical_id(s) for s in enumerate_scenes(sp, toy))
    sampler = HashingSampler(sp, toy)
    assert not sampler.exact and len(keys) == 126
    assert _pvalue(sampler.sample(5 * len(keys), seed=3), keys) > 0.01
    assert _pvalue(_NoCellUniformity(sp, toy).sample(2 * len(keys), seed=3), keys) < 1e-6


def test_raw_asp_space_chi_square_and_rules_hold(toy):
    sp = _raw(_spec(2, acyclic=False))
    keys = sorted(canonical_id(s) for s in enumerate_scenes(sp, toy))
    sampler = HashingSampler(sp, toy)
    assert not sampler.exact and len(keys) == 106
    scenes = sampler.sample(5 * len(keys), seed=5)
    assert _pvalue(scenes, keys) > 0.01
    rules = RawAspFilter([RULES], toy)
    assert all(rules.accepts(s) for s in set(scenes))


def test_raw_asp_with_scene_attributes_in_the_support(toy):
    """Scene attributes are chosen inside the clingo program here, so they are hashed too."""
    sp = _raw(_spec(2, acyclic=False, modality="3d", scene_attributes=IntRange(0, 1)))
    keys = set(canonical_id(s) for s in enumerate_scenes(sp, toy))
    rules = RawAspFilter([RULES], toy)
    scenes = HashingSampler(sp, toy).sample(80, seed=1)
    assert {canonical_id(s) for s in scenes} <= keys
    assert any(s.scene_attributes for s in scenes) and any(not s.scene_attributes for s in scenes)
    for s in scenes:
        assert rules.accepts(s) and violations(s, sp, toy) == []
    with pytest.raises(GasError, match="need the ASP backend"):
        HashingSampler(sp, toy, backend="cpsat")


def _constrained(repeat, acyclic):
    red = AttributeCondition("colour", frozenset({"red"}))
    pats = (PatternConstraint(Pattern((PatternNode("a", ConceptSet(), (red,)),)), "forbid", O),
            PatternConstraint(Pattern((PatternNode("a", ConceptSet()), PatternNode("b", ConceptSet())),
                                      (PatternEdge("a", "b"),)), "require", O))
    cards = (CardinalityConstraint("objects", IntRange(0, 1), O, concepts=ConceptSet(categories=frozenset({"mammal"}))),)
    return ConstraintSpec(bounds=Bounds(complexity=IntRange(2, 3), repeat_objects=repeat, acyclic=acyclic,
                                        modality="3d", scene_attributes=IntRange(0, 1)),
                          patterns=pats, cardinalities=cards)


@pytest.mark.parametrize("repeat,acyclic", [(False, True), (True, False)])
def test_every_sample_satisfies_the_constraints_and_backends_agree(toy, repeat, acyclic):
    sp = _constrained(repeat, acyclic)
    asp = HashingSampler(sp, toy, backend="asp").sample(10, seed=9)
    for s in asp:
        assert violations(s, sp, toy) == []
    # same hashes, same (sorted) cells, same choices: the CP-SAT backend gives the same scenes
    assert HashingSampler(sp, toy, backend="cpsat").sample(10, seed=9) == asp


def test_deterministic_by_seed_and_draw_index(toy):
    sp = _spec(2)
    a = HashingSampler(sp, toy)
    first = a.sample(8, seed=2)
    assert HashingSampler(sp, toy).sample(8, seed=2) == first
    assert a.draw(2, 5) == first[5]  # draw i is a pure function of (seed, i)
    assert a.sample(8, seed=3) != first
    assert sample_near_uniform(sp, toy, 8, seed=2) == first


def test_count_estimate_and_exact_small_spaces(toy):
    sp = _spec(3)  # 1,295 scenes
    est = HashingSampler(sp, toy).estimate(seed=0)
    assert 1295 / 1.8 <= est <= 1295 * 1.8
    small = HashingSampler(_spec(1), toy)  # at most hi scenes: no hashing, exactly uniform
    assert small.exact and small.estimate() == len(list(enumerate_scenes(_spec(1), toy)))
    with pytest.raises(GasError, match="empty"):
        HashingSampler(dataclasses.replace(_spec(1), raw_asp=(RawAsp(":- object(O).", O),)), toy)


RARE = """
[space]
complexity = [1, 4]
acyclic = false

[asp]
rules = '''
good :- rel(S, "next_to", O), concept(S, "owl"), concept(O, "owl"), attr(S, "colour", "brown").
:- not good.
'''
"""


def test_cli_near_uniform_states_its_guarantee_and_refusals_point_to_it(tmp_path, data_dir):
    f = tmp_path / "rare.toml"
    f.write_text(RARE)
    base = ["sample", str(f), "--taxonomy", str(data_dir / "toy.toml"), "-n", "3", "--no-caption", "--no-qa"]
    r = CliRunner().invoke(cli, base)
    assert r.exit_code == 1 and "--distribution near-uniform" in r.output and "not exact" in r.output
    out = tmp_path / "o.jsonl"
    r = CliRunner().invoke(cli, base + ["--distribution", "near-uniform", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "NOT exact" in r.output and "factor 1+ε = 17" in r.output
    assert len(out.read_text().splitlines()) == 3
    r = CliRunner().invoke(cli, base + ["--distribution", "near-uniform", "--epsilon", "1.2"])
    assert r.exit_code == 1 and "1.71" in r.output


def test_cli_points_to_near_uniform_when_counting_refuses(tmp_path, data_dir, monkeypatch):
    from gas_solver.errors import SpaceTooLarge
    from gas_solver.solve import sample as sample_mod

    def refuse(self, *a, **kw):
        raise SpaceTooLarge("the explicit method would visit more than 3 million assignments")

    monkeypatch.setattr(sample_mod.Sampler, "__init__", refuse)
    f = tmp_path / "small.toml"
    f.write_text("[space]\ncomplexity = [1, 2]\n")
    r = CliRunner().invoke(cli, ["sample", str(f), "--taxonomy", str(data_dir / "toy.toml"), "-n", "2"])
    assert r.exit_code == 1 and "3 million" in r.output and "--distribution near-uniform" in r.output


@pytest.mark.parametrize("backend", ["asp", "cpsat"])
def test_xor_cells_equal_brute_force_filter_of_all_models(toy, backend):
    """The XOR encodings neither lose nor duplicate models: a cell is exactly {y : A·y = b} over the
    enumerated scenes (the clingo chains' auxiliary atoms are determined, so nothing is multiplied)."""
    from gas_solver.solve.enumerate import structure_scenes

    sp = _spec(2)
    s = HashingSampler(sp, toy, backend=backend, epsilon=100)
    rows = []  # (structure, vector, support bits over the whole space)
    for si, (problem, _, off, width) in enumerate(s._parts):
        _, keep = structure_scenes(sp, toy, problem.structure, s.domain, backend)
        for x, _sa in keep:
            y = np.zeros(s.support, dtype=np.uint8)
            y[off:off + width] = [x[k] == v for k, dom in enumerate(problem.domains) for v in dom[1:]]
            rows.append((si, x, y))
    rng = np.random.default_rng(0)
    for m in (1, 2, 3, 1, 2):
        a = rng.integers(0, 2, size=(m, s.support), dtype=np.uint8)
        b = rng.integers(0, 2, size=m, dtype=np.uint8)
        want = sorted((si, x, None) for si, x, y in rows if np.array_equal(a.astype(int) @ y % 2, b))
        assert s._cell(a, b, 10_000) == want
