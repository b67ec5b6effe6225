"""Many required patterns: implied ones merged away, the rest counted in the subset-sum (zeta) domain
(inclusion–exclusion over the requirements, every term at once), against brute force."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brute_oracle import space, total_weight
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
    SoftConstraint,
)
from gas_solver.errors import SpaceTooLarge
from gas_solver.solve.count import count_scenes, space_of, weighted_total
from gas_solver.solve.counters import essential_requirements
from gas_solver.solve.work import LIMITS
from gas_solver.solve.sample import Sampler
from gas_solver.taxonomy import load_taxonomy

O = Origin("spec.toml", 3, 1, "test")


def node(var, *cats, attrs=(), concepts=()):
    return PatternNode(var, ConceptSet(categories=frozenset(cats), concepts=frozenset(concepts)), tuple(attrs))


def edge(a, b, preds=None):
    return Pattern((a, b), (PatternEdge(a.var, b.var, None if preds is None else frozenset(preds)),))


COLOUR = AttributeCondition("colour")
RED = AttributeCondition("colour", frozenset({"red"}))
# local patterns only (one node, or one edge between two nodes), overlapping on purpose
PATTERNS = [Pattern((node("a"),)), Pattern((node("a", "animal"),)), Pattern((node("x", "animal"),)),
            Pattern((node("a", concepts=["cat"]),)), Pattern((node("a", "fruit"),)),
            Pattern((node("a", attrs=[COLOUR]),)), Pattern((node("a", "thing", attrs=[RED]),)),
            edge(node("a", "animal"), node("b")), edge(node("s", "animal"), node("t")),
            edge(node("a"), node("b", "fruit"), {"eats", "near"}), edge(node("a", attrs=[COLOUR]), node("b", "tool")),
            edge(node("a", concepts=["cat"]), node("b", "fruit"))]


@pytest.fixture(scope="module")
def tiny_a(data_dir):
    return load_taxonomy(data_dir / "tiny_a.toml")


def _spec(require, cmax=4, **kw):
    bounds = kw.pop("bounds", {})
    return ConstraintSpec(bounds=Bounds(complexity=IntRange(1, cmax), **bounds),
                          patterns=tuple(PatternConstraint(PATTERNS[i], "require", O, at_least=k) for i, k in require),
                          **kw)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(require=st.lists(st.tuples(st.integers(0, len(PATTERNS) - 1), st.sampled_from([1, 1, 1, 2])),
                        min_size=2, max_size=7),
       acyclic=st.booleans(), soft=st.booleans())
def test_many_requirements_count_like_brute_force(tiny_a, require, acyclic, soft):
    softs = (SoftConstraint(PATTERNS[1], Fraction(3), O), SoftConstraint(PATTERNS[9], Fraction(1, 4), O)) if soft else ()
    sp = _spec(require, bounds={"acyclic": acyclic}, soft=softs)
    truth = space(tiny_a, sp, 4)
    assert count_scenes(sp, tiny_a) == len(truth)
    assert weighted_total(sp, tiny_a) == total_weight(tiny_a, sp, truth)


def test_requirements_with_cardinalities_count_like_brute_force(tiny_a):
    """Counters of other kinds beside the requirements: the general counter path, same answer."""
    sp = _spec([(1, 1), (5, 1), (9, 1)], cardinalities=(
        CardinalityConstraint("attribute_type", IntRange(0, 1), O, attribute_type="colour"),))
    assert count_scenes(sp, tiny_a) == len(space(tiny_a, sp, 4))


def test_implied_and_identical_requirements_merge(tiny_a):
    # "a:cat" implies "a:animal" (twice, under two variable names) and "a:*"; the cat -> fruit edge
    # implies "a:animal -> b"; "a:animal" twice with at_least 1 and 2 keeps the 2
    sp = _spec([(0, 1), (1, 1), (2, 1), (3, 1), (7, 1), (8, 1), (11, 1)])
    model = space_of(sp, tiny_a).count_model
    required = [(model._mark_of(pc.pattern), pc.at_least) for pc in sp.patterns]
    kept = essential_requirements(model, required)
    assert kept == [required[6]]
    sp2 = _spec([(1, 1), (2, 2)])
    m2 = space_of(sp2, tiny_a).count_model
    req2 = [(m2._mark_of(pc.pattern), pc.at_least) for pc in sp2.patterns]
    assert essential_requirements(m2, req2) == [req2[1]]


def test_sixteen_requirements_count_and_sample(tiny_a):
    """16 blocks (many implied) count like brute force and sample inside the space."""
    require = [(i % len(PATTERNS), 1) for i in range(16)]
    sp = _spec(require, cmax=4, bounds={"acyclic": False})
    truth = space(tiny_a, sp, 4)
    assert count_scenes(sp, tiny_a) == len(truth)
    if truth:
        from gas_solver.scene import canonical_id
        assert {canonical_id(s) for s in Sampler(sp, tiny_a).sample(50, seed=2)} <= set(truth)


def test_too_many_independent_requirements_are_refused_quickly(toy_taxonomy):
    """Requirements that imply nothing of each other need 2^k counter states: above the bound the
    counter says so (with the number) instead of running out of memory."""
    import time

    cats = sorted({o.category for o in toy_taxonomy.objects})
    attrs = sorted(toy_taxonomy.attribute_types)
    pats = [Pattern((node("a", c),)) for c in cats] + [Pattern((node("a", attrs=[AttributeCondition(t)]),))
                                                       for t in attrs]
    pats += [edge(node("a", c), node("b", d)) for c in cats for d in cats][:12]
    assert LIMITS["counter_states"] < 2 ** len(pats)
    sp = ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 8)),
                        patterns=tuple(PatternConstraint(p, "require", O) for p in pats))
    t = time.perf_counter()
    with pytest.raises(SpaceTooLarge, match="joint counter states"):
        count_scenes(sp, toy_taxonomy)
    assert time.perf_counter() - t < 30
