"""Distinct concepts with a count of distinct categories (``distinct_categories`` without a list), by Möbius
inversion over which objects share a concept and which share a category: counts against brute force,
draws against a chi-square test, and the shipped compositional_hard file counted and sampled exactly."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from brute_oracle import space, uniformity_pvalue
from gas_solver.constraints import parse_constraints
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
)
from gas_solver.solve.count import Space, count_scenes
from gas_solver.solve.distinct import category_coefficient, set_partitions
from gas_solver.solve.sample import Sampler
from gas_solver.taxonomy import load_taxonomy

O = Origin("spec.toml", 3, 1, "test")
ROOT = Path(__file__).resolve().parents[2]
COLOURED = PatternNode("a", ConceptSet(), (AttributeCondition("colour"),))


def _coloured_edge():
    b = PatternNode("b", ConceptSet(), (AttributeCondition("colour"),))
    return Pattern((COLOURED, b), (PatternEdge("a", "b", None),))


def _spec(cmax, categories, *, connected=False, colours=None, require_edge=False, acyclic=True):
    cards = [CardinalityConstraint("distinct_categories", categories, O)]
    if colours is not None:
        cards.append(CardinalityConstraint("attribute_type", colours, O, attribute_type="colour"))
    patterns = (PatternConstraint(_coloured_edge(), "require", O),) if require_edge else ()
    return ConstraintSpec(bounds=Bounds(complexity=IntRange(1, cmax), repeat_objects=False, connected=connected,
                                        acyclic=acyclic),
                          cardinalities=tuple(cards), patterns=patterns)


@pytest.fixture(scope="module")
def taxa(data_dir):
    return {n: load_taxonomy(data_dir / f"{n}.toml") for n in ("tiny_a", "tiny_b", "toy")}


def test_category_coefficients_are_the_moebius_sums():
    """c_R(σ) = Σ_{τ ≤ σ, |τ| ∈ R} μ(τ, σ), against the refinements listed one by one."""
    from math import factorial

    def mu(tau, sigma):  # μ(τ, σ) = Π over blocks of σ of (-1)^(k-1) (k-1)!, k = blocks of τ inside
        out = 1
        for b in sigma:
            k = sum(1 for t in tau if set(t) <= set(b))
            out *= (-1) ** (k - 1) * factorial(k - 1)
        return out

    items = list(range(4))
    parts = list(set_partitions(items))
    for sigma in parts:
        refinements = [t for t in parts if all(any(set(x) <= set(b) for b in sigma) for x in t)]
        for accepted in (range(2, 5), range(1, 2), range(2, 3), range(0, 5)):
            want = sum(mu(t, sigma) for t in refinements if len(t) in accepted)
            assert category_coefficient(sigma, accepted) == want


CASES = {
    "a/at-least-2": ("tiny_a", 5, _spec(5, IntRange(2, None))),
    "a/exactly-1": ("tiny_a", 4, _spec(4, IntRange(1, 1), acyclic=False)),
    "a/exactly-2-colours": ("tiny_a", 4, _spec(4, IntRange(2, 2), colours=IntRange(1, None))),
    "a/compositional": ("tiny_a", 5, _spec(5, IntRange(2, None), connected=True, colours=IntRange(2, None),
                                            require_edge=True)),
    "b/at-least-3": ("tiny_b", 4, _spec(4, IntRange(3, None))),
    "b/at-most-2-cyclic": ("tiny_b", 4, _spec(4, IntRange(0, 2), acyclic=False)),
    "toy/at-least-2": ("toy", 3, _spec(3, IntRange(2, None), colours=IntRange(0, 1))),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_counts_equal_brute_force(taxa, case):
    tname, cmax, sp = CASES[case]
    tax = taxa[tname]
    assert Space(sp, tax).method() == "distinct"  # not the explicit sum over label assignments
    assert count_scenes(sp, tax) == len(space(tax, sp, cmax))
    by = count_scenes(sp, tax, by="structure")
    assert sum(by.values()) == count_scenes(sp, tax)


def test_draws_fit_chi_square(taxa):
    tax = taxa["toy"]
    sp = _spec(3, IntRange(2, None), colours=IntRange(0, 1), acyclic=False)
    truth = space(tax, sp, 3)
    keys = sorted(truth)
    sampler = Sampler(sp, tax)
    assert sampler.total == len(keys) > 200
    scenes = sampler.sample(40 * len(keys), seed=5)
    assert uniformity_pvalue(scenes, keys) > 0.01


def test_compositional_hard_counts_and_samples_exactly():
    """The shipped file (distinct concepts, a colour count, a required coloured edge, at least two
    categories) on the default taxonomy: counted by Möbius inversion, sampled by exact rejection."""
    tax = load_taxonomy()
    path = ROOT / "constraints" / "compositional_hard.toml"
    spec = parse_constraints(path.read_text(), tax, path=str(path))
    assert Space(spec, tax).method() == "distinct"
    sampler = Sampler(spec, tax)
    assert sampler.total == count_scenes(spec, tax) > 10 ** 20
    for scene in sampler.sample(20, seed=3):
        assert not violations(scene, spec, tax)
        assert len({o.concept for o in scene.objects}) == len(scene.objects)
    assert Fraction(sampler.total).denominator == 1
