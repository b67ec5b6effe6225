"""Forbidden patterns fixed by the structure up to one or two labelled nodes (labelled chains, unlinked
pairs): counted as 0/1 factors on each quotient, against brute force up to complexity 5, and sampled
exactly (chi-square over a fully listed space)."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest

from brute_oracle import space, total_weight, uniformity_pvalue
from gas_solver.constraints.model import (
    AttributeCondition,
    Bounds,
    ConceptSet,
    ConstraintSpec,
    IntRange,
    Origin,
    Pattern,
    PatternConstraint,
    PatternEdge,
    PatternNode,
    SoftConstraint,
)
from gas_solver.solve.count import Space, count_scenes, weighted_total
from gas_solver.solve.embedded import is_embedded
from gas_solver.solve.sample import Sampler
from gas_solver.taxonomy import load_taxonomy

O = Origin("spec.toml", 4, 1, "test")


def node(var, *cats, attrs=()):
    return PatternNode(var, ConceptSet(categories=frozenset(cats)), tuple(attrs))


def chain(a, b, c):
    return Pattern((a, b, c), (PatternEdge(a.var, b.var), PatternEdge(b.var, c.var)))


COLOUR = AttributeCondition("colour")
PATTERNS = {
    "animal-starts-chain": chain(node("a", "animal"), node("b"), node("c")),
    "chain-ends-in-fruit": chain(node("a"), node("b"), node("c", "fruit")),
    "animal-related-and-coloured": Pattern((node("a", "animal"), node("b"), node("c", attrs=[COLOUR])),
                                           (PatternEdge("a", "b"),)),
    "middle-animal": chain(node("a"), node("b", "animal"), node("c")),
    "two-animals": Pattern((node("a", "animal"), node("b", "animal"))),
    "two-coloured": Pattern((node("a", attrs=[COLOUR]), node("b", attrs=[COLOUR]))),
    "out-star-of-person": Pattern((node("a", "person"), node("b"), node("c")),
                                  (PatternEdge("a", "b"), PatternEdge("a", "c"))),
    "two-people": Pattern((node("a", "person"), node("b", "person"))),
    "person-starts-chain": chain(node("a", "person"), node("b"), node("c")),
}


def _spec(cmax, names, *, acyclic=True, soft=()):
    return ConstraintSpec(bounds=Bounds(complexity=IntRange(1, cmax), acyclic=acyclic),
                          patterns=tuple(PatternConstraint(PATTERNS[n], "forbid", O) for n in names), soft=soft)


@pytest.fixture(scope="module")
def taxa(data_dir):
    return {n: load_taxonomy(data_dir / f"{n}.toml") for n in ("tiny_a", "tiny_b", "toy")}


def test_which_patterns_are_embedded():
    assert all(is_embedded(p) for p in PATTERNS.values())
    assert not is_embedded(chain(node("a"), node("b"), node("c")))  # label-free: a structure filter
    assert not is_embedded(Pattern((node("a", "animal"), node("b")), (PatternEdge("a", "b"),)))  # local
    three = chain(node("a", "animal"), node("b", "animal"), node("c", "animal"))
    assert not is_embedded(three)
    assert all(is_embedded(p) for p in NAMED.values())  # (defined below) named edges count as labelled items
    named_three = Pattern((node("a", "animal"), node("b"), node("c", "animal")),
                          (PatternEdge("a", "b", frozenset({"near"})), PatternEdge("b", "c")))
    assert not is_embedded(named_three)


CASES = {
    "a/animal-starts-chain": ("tiny_a", 5, _spec(5, ["animal-starts-chain"])),
    "a/chain-ends-in-fruit-cyclic": ("tiny_a", 5, _spec(5, ["chain-ends-in-fruit"], acyclic=False)),
    "a/animal-related-and-coloured": ("tiny_a", 5, _spec(5, ["animal-related-and-coloured"])),
    "a/middle-animal+two-coloured": ("tiny_a", 4, _spec(4, ["middle-animal", "two-coloured"], acyclic=False)),
    "a/two-animals": ("tiny_a", 5, _spec(5, ["two-animals"])),
    "b/out-star": ("tiny_b", 5, _spec(5, ["out-star-of-person"])),
    "b/two-people-cyclic": ("tiny_b", 5, _spec(5, ["two-people", "person-starts-chain"], acyclic=False)),
    "toy/two-animals": ("toy", 3, _spec(3, ["two-animals", "animal-starts-chain"])),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_counts_equal_brute_force(taxa, case):
    tname, cmax, sp = CASES[case]
    tax = taxa[tname]
    assert Space(sp, tax).method() == "embedded"  # not the explicit sum over label assignments
    truth = space(tax, sp, cmax)
    assert count_scenes(sp, tax) == len(truth)
    assert 0 < len(truth) < count_scenes(_spec(cmax, [], acyclic=sp.bounds.acyclic), tax)  # the pattern bites


def test_weighted_total_equals_brute_force(taxa):
    tax = taxa["tiny_a"]
    soft = (SoftConstraint(Pattern((node("a", "animal"),)), Fraction(5, 2), O),)
    sp = _spec(4, ["animal-related-and-coloured", "two-coloured"], acyclic=False, soft=soft)
    assert Space(sp, tax).method(True) == "embedded"
    truth = space(tax, sp, 4)
    assert weighted_total(sp, tax) == total_weight(tax, sp, truth)


def test_draws_fit_chi_square(taxa):
    tax = taxa["tiny_a"]
    sp = _spec(3, ["animal-starts-chain", "two-coloured"], acyclic=False)
    truth = space(tax, sp, 3)
    keys = sorted(truth)
    sampler = Sampler(sp, tax)
    assert sampler.total == len(keys) > 50
    scenes = sampler.sample(40 * len(keys), seed=11)
    assert uniformity_pvalue(scenes, keys) > 0.01


# -- required embedded patterns: inclusion–exclusion over forbidding them --------------------------------
def _mixed(cmax, required, forbidden=(), *, acyclic=True, soft=()):
    pcs = tuple(PatternConstraint(PATTERNS[n], "require", O) for n in required)
    pcs += tuple(PatternConstraint(PATTERNS[n], "forbid", O) for n in forbidden)
    return ConstraintSpec(bounds=Bounds(complexity=IntRange(1, cmax), acyclic=acyclic), patterns=pcs, soft=soft)


REQUIRED_CASES = {
    "a/some-animal-starts-chain": ("tiny_a", 5, _mixed(5, ["animal-starts-chain"])),
    "a/chain-into-fruit-cyclic": ("tiny_a", 5, _mixed(5, ["chain-ends-in-fruit"], acyclic=False)),
    "a/animal-related-and-coloured": ("tiny_a", 5, _mixed(5, ["animal-related-and-coloured"])),
    "a/two-coloured+two-animals": ("tiny_a", 5, _mixed(5, ["two-coloured", "two-animals"], acyclic=False)),
    "a/two-animals-no-middle-animal": ("tiny_a", 5, _mixed(5, ["two-animals"], ["middle-animal"], acyclic=False)),
    "b/out-star+two-people": ("tiny_b", 5, _mixed(5, ["out-star-of-person", "two-people"])),
    "b/two-people-no-chain": ("tiny_b", 5, _mixed(5, ["two-people"], ["person-starts-chain"], acyclic=False)),
    "toy/two-required-one-forbidden": ("toy", 4, _mixed(4, ["two-animals", "two-coloured"], ["animal-starts-chain"])),
}


@pytest.mark.parametrize("case", sorted(REQUIRED_CASES))
def test_required_counts_equal_brute_force(taxa, case):
    tname, cmax, sp = REQUIRED_CASES[case]
    tax = taxa[tname]
    assert Space(sp, tax).method() == "embedded"
    truth = space(tax, sp, cmax)
    assert count_scenes(sp, tax) == len(truth)
    assert 0 < len(truth) < count_scenes(_spec(cmax, [], acyclic=sp.bounds.acyclic), tax)


def test_required_weighted_total_equals_brute_force(taxa):
    tax = taxa["tiny_a"]
    soft = (SoftConstraint(Pattern((node("a", "animal"),)), Fraction(5, 2), O),)
    sp = _mixed(4, ["animal-related-and-coloured"], ["two-coloured"], acyclic=False, soft=soft)
    assert Space(sp, tax).method(True) == "embedded"
    truth = space(tax, sp, 4)
    assert weighted_total(sp, tax) == total_weight(tax, sp, truth)


def test_required_draws_fit_chi_square(taxa):
    tax = taxa["tiny_a"]
    sp = _mixed(4, ["two-animals"], ["two-coloured"], acyclic=False)
    truth = space(tax, sp, 4)
    keys = sorted(truth)
    sampler = Sampler(sp, tax)
    assert sampler.total == len(keys) > 50
    scenes = sampler.sample(30 * len(keys), seed=5)
    assert uniformity_pvalue(scenes, keys) > 0.01


def test_too_many_required_embedded_patterns_are_not_embedded(taxa):
    from gas_solver.solve.embedded import MAX_REQUIRED, counts_embedded

    names = sorted(PATTERNS)[:MAX_REQUIRED + 1]
    pcs = [PatternConstraint(PATTERNS[n], "require", O) for n in names]
    assert counts_embedded(pcs[:MAX_REQUIRED]) and not counts_embedded(pcs)
    assert not counts_embedded([PatternConstraint(PATTERNS[names[0]], "require", O, at_least=2)])


# -- edges that name predicates: the edge cycle's predicate atom becomes a variable of the quotient ------
def _named_chain(p1, p2, a=None, c=None):
    a, b, c = a or node("a"), node("b"), c or node("c")
    return Pattern((a, b, c), (PatternEdge(a.var, b.var, p1), PatternEdge(b.var, c.var, p2)))


NAMED = {
    "near-near": _named_chain(frozenset({"near"}), frozenset({"near"})),  # no chain of two "near"
    "holds-then-any": _named_chain(frozenset({"holds"}), None),
    "animal-then-near": _named_chain(None, frozenset({"near"}), a=node("a", "animal")),
    "eats-into-star": Pattern((node("a"), node("b"), node("c")),
                              (PatternEdge("a", "c", frozenset({"eats"})), PatternEdge("b", "c", frozenset({"near"})))),
    "near-and-another-animal": Pattern((node("a"), node("b"), node("c", "animal")),
                                       (PatternEdge("a", "b", frozenset({"near"})),)),
}


def _named(cmax, required=(), forbidden=(), *, acyclic=True):
    pcs = tuple(PatternConstraint(NAMED[n], "require", O) for n in required)
    pcs += tuple(PatternConstraint(NAMED[n], "forbid", O) for n in forbidden)
    return ConstraintSpec(bounds=Bounds(complexity=IntRange(1, cmax), acyclic=acyclic), patterns=pcs)


NAMED_CASES = {
    "forbid near-near cyclic": _named(5, forbidden=["near-near"], acyclic=False),
    "forbid holds-then-any": _named(5, forbidden=["holds-then-any"]),
    "forbid animal-then-near": _named(5, forbidden=["animal-then-near"], acyclic=False),
    "forbid eats-into-star": _named(5, forbidden=["eats-into-star"]),
    "require near-near": _named(5, required=["near-near"], acyclic=False),
    "require holds-then-any, forbid eats-into-star": _named(5, ["holds-then-any"], ["eats-into-star"]),
}


@pytest.mark.parametrize("case", sorted(NAMED_CASES))
def test_named_predicate_patterns_count_like_brute_force(taxa, case):
    sp = NAMED_CASES[case]
    tax = taxa["tiny_a"]
    assert Space(sp, tax).method() == "embedded"
    truth = space(tax, sp, 5)
    assert count_scenes(sp, tax) == len(truth)
    assert 0 < len(truth) < count_scenes(_spec(5, [], acyclic=sp.bounds.acyclic), tax)


def test_named_predicate_weighted_total_and_draws(taxa):
    tax = taxa["tiny_a"]
    soft = (SoftConstraint(Pattern((node("a", "animal"),)), Fraction(5, 2), O),)
    sp = dataclasses.replace(_named(4, forbidden=["near-near", "holds-then-any"], acyclic=False), soft=soft)
    truth = space(tax, sp, 4)
    assert weighted_total(sp, tax) == total_weight(tax, sp, truth)
    sp = _named(4, required=["near-and-another-animal"], acyclic=False)
    truth = space(tax, sp, 4)
    keys = sorted(truth)
    sampler = Sampler(sp, tax)
    assert sampler.total == len(keys) > 20
    assert uniformity_pvalue(sampler.sample(60 * len(keys), seed=9), keys) > 0.01


# -- draws conditioned on the embedded counter (sample/embedded_draws.py) ---------------------------------
@pytest.fixture
def always_conditioned(monkeypatch):
    from gas_solver.solve.sample import embedded_draws

    monkeypatch.setattr(embedded_draws, "MIN_ACCEPTANCE", Fraction(2))  # every structure "too rare"


CONDITIONED_CASES = {
    "require near-near cyclic": ("tiny_a", 5, _named(5, required=["near-near"], acyclic=False)),
    "require chain, forbid two coloured": ("tiny_a", 5, _mixed(5, ["animal-starts-chain"], ["two-coloured"])),
    "forbid middle animal + two coloured": ("tiny_a", 4, _spec(4, ["middle-animal", "two-coloured"])),
    "require out-star + two people": ("tiny_b", 5, _mixed(5, ["out-star-of-person", "two-people"])),
}


@pytest.mark.parametrize("case", sorted(CONDITIONED_CASES))
def test_conditioned_embedded_draws_are_uniform(taxa, always_conditioned, case):
    tname, cmax, sp = CONDITIONED_CASES[case]
    tax = taxa[tname]
    truth = space(tax, sp, cmax)
    keys = sorted(truth)
    sampler = Sampler(sp, tax)
    assert type(sampler.law.conditioned).__name__ == "EmbeddedDraws" and sampler.law.reject is None
    assert sampler.total == len(keys)
    assert uniformity_pvalue(sampler.sample(max(300, 12 * len(keys)), seed=4), keys) > 1e-3


def test_rare_required_pattern_is_drawn_without_rejection():
    """Without forcing, on the default taxonomy: a required pattern too rare for rejection on some structure
    takes the conditioned draws by itself; a common one keeps the rejection path (and its output bytes)."""
    from gas_solver.constraints import parse_constraints
    from gas_solver.constraints.check import violations

    tax = load_taxonomy(None)
    head = 'format = "gas-constraints/1"\n[space]\ncomplexity = [1, 8]\n[[require]]\npattern = '
    rare = parse_constraints(head + '"a:person -[riding]-> b:* -[*]-> c:*"\n', tax)
    s = Sampler(rare, tax)
    assert type(s.law.conditioned).__name__ == "EmbeddedDraws"
    assert all(not violations(sc, rare, tax) for sc in s.sample(3, seed=1))
    common = parse_constraints(head + '"a:animal -[*]-> b:* -[*]-> c:*"\n', tax)
    assert Sampler(common, tax).law.conditioned is None
