"""Exact counts against brute force (every labelled scene listed, deduplicated, filtered by ``violations``)."""

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
    RawAsp,
    SoftConstraint,
    Vocabulary,
)
from gas_solver.errors import GasError, SpaceTooLarge
from gas_solver.solve.count import count_scenes, count_structure, weighted_total
from gas_solver.solve.domain import ground
from gas_solver.solve.structures import structures
from gas_solver.taxonomy import load_taxonomy

O = Origin("spec.toml", 3, 1, "test")


def cs(*cats, concepts=()):
    return ConceptSet(categories=frozenset(cats), concepts=frozenset(concepts))


def node(var, *cats, attrs=(), concepts=()):
    return PatternNode(var, cs(*cats, concepts=concepts), tuple(attrs))


def edge_pattern(a, b, preds=None):
    return Pattern((a, b), (PatternEdge(a.var, b.var, None if preds is None else frozenset(preds)),))


def spec(cmax=4, **kw):
    bounds = kw.pop("bounds", {})
    return ConstraintSpec(bounds=Bounds(complexity=IntRange(1, cmax), **bounds), **kw)


@pytest.fixture(scope="module")
def taxa(data_dir):
    return {n: load_taxonomy(data_dir / f"{n}.toml") for n in ("tiny_a", "tiny_b", "toy")}


# (taxonomy, max complexity, spec) — every constraint kind of the counter
CASES = {
    "a/default": ("tiny_a", 4, spec()),
    "a/free": ("tiny_a", 4, spec(semantic=False)),
    "a/cyclic": ("tiny_a", 4, spec(bounds={"acyclic": False})),
    "a/connected-1attr": ("tiny_a", 4, spec(bounds={"connected": True, "attributes_per_object": IntRange(0, 1)})),
    "a/degrees": ("tiny_a", 4, spec(bounds={"acyclic": False, "out_degree": IntRange(0, 1), "objects": IntRange(2, 3)})),
    "a/scene-attrs": ("tiny_a", 3, spec(3, bounds={"scene_attributes": IntRange(0, 1)})),
    "a/norepeat": ("tiny_a", 4, spec(bounds={"repeat_objects": False})),
    "a/norepeat-cyclic": ("tiny_a", 4, spec(bounds={"repeat_objects": False, "acyclic": False})),
    "a/vocab": ("tiny_a", 4, spec(vocabulary=Vocabulary(
        objects=ConceptSet(exclude_concepts=frozenset({"dog"})), subjects=cs("animal"),
        denied_attribute_values=frozenset({("colour", "red")}), predicates=frozenset({"eats", "near"})))),
    "a/forbid-node": ("tiny_a", 4, spec(patterns=(PatternConstraint(Pattern(
        (node("a", "fruit", attrs=[AttributeCondition("colour", frozenset({"green"}))]),)), "forbid", O),))),
    "a/forbid-edge": ("tiny_a", 4, spec(bounds={"acyclic": False}, patterns=(PatternConstraint(
        edge_pattern(node("a", "animal"), node("b", "thing"), {"near"}), "forbid", O),))),
    "a/require-node": ("tiny_a", 4, spec(patterns=(PatternConstraint(Pattern(
        (node("a", attrs=[AttributeCondition("colour")]),)), "require", O),))),
    "a/require-two": ("tiny_a", 4, spec(patterns=(
        PatternConstraint(Pattern((node("a", "fruit"),)), "require", O),
        PatternConstraint(edge_pattern(node("a", "animal"), node("b")), "require", O)))),
    "a/require-at-least-2": ("tiny_a", 4, spec(patterns=(PatternConstraint(Pattern(
        (node("a", "animal"),)), "require", O, at_least=2),))),
    "a/forbid-pair": ("tiny_a", 4, spec(patterns=(PatternConstraint(Pattern(
        (node("a", concepts=["cat"]), node("b", concepts=["cat"]))), "forbid", O),))),
    "a/require-path": ("tiny_a", 4, spec(bounds={"acyclic": False}, patterns=(PatternConstraint(Pattern(
        (node("a"), node("b"), node("c")), (PatternEdge("a", "b"), PatternEdge("b", "c", frozenset({"near"})))),
        "require", O),))),
    "a/card-objects": ("tiny_a", 4, spec(cardinalities=(CardinalityConstraint(
        "objects", IntRange(1, 2), O, concepts=cs("animal")),))),
    "a/card-categories": ("tiny_a", 4, spec(cardinalities=(CardinalityConstraint(
        "distinct_categories", IntRange(2, None), O),))),
    "a/card-listed-categories": ("tiny_a", 4, spec(cardinalities=(CardinalityConstraint(
        "distinct_categories", IntRange(0, 1), O, categories=("animal", "fruit")),))),
    "a/card-mixed-counters": ("tiny_a", 4, spec(bounds={"acyclic": False}, cardinalities=(
        CardinalityConstraint("distinct_categories", IntRange(2, None), O, categories=("animal", "fruit", "tool")),
        CardinalityConstraint("objects", IntRange(0, 1), O, concepts=cs("animal"))), patterns=(
        PatternConstraint(edge_pattern(node("a"), node("b"), {"near"}), "require", O),))),
    "a/card-attr-type": ("tiny_a", 4, spec(cardinalities=(CardinalityConstraint(
        "attribute_type", IntRange(1, 1), O, attribute_type="colour"),))),
    "a/card-distinct-types": ("tiny_a", 4, spec(cardinalities=(CardinalityConstraint(
        "distinct_attribute_types", IntRange(0, 1), O),))),
    "b/default": ("tiny_b", 4, spec()),
    "b/cyclic-connected": ("tiny_b", 4, spec(bounds={"acyclic": False, "connected": True})),
    "b/norepeat-required": ("tiny_b", 4, spec(bounds={"repeat_objects": False}, patterns=(PatternConstraint(
        edge_pattern(node("a", "person"), node("b", "vehicle"), {"drives"}), "require", O),))),
    "b/roles": ("tiny_b", 4, spec(vocabulary=Vocabulary(relation_objects=cs("place")))),
    "toy/default": ("toy", 3, spec(3)),
    "toy/cyclic-free": ("toy", 3, spec(3, semantic=False, bounds={"acyclic": False})),
    "toy/mixed": ("toy", 3, spec(3, bounds={"scene_attributes": IntRange(1, 2)}, patterns=(
        PatternConstraint(Pattern((node("a", "fruit", attrs=[AttributeCondition("state", frozenset({"ripe"}))]),)),
                          "forbid", O),), cardinalities=(CardinalityConstraint(
                              "objects", IntRange(0, 1), O, concepts=cs("mammal")),))),
}


def test_each_method_is_exercised(taxa):
    """The cases above go through every counting method: plain DP, counters, embedded forbidden patterns,
    Moebius, explicit."""
    from gas_solver.solve.count import Space

    used = {Space(sp, taxa[tname]).method() for tname, _, sp in CASES.values()}
    assert used == {"product", "counters", "embedded", "distinct", "explicit"}
    assert Space(CASES["a/forbid-pair"][2], taxa["tiny_a"]).method() == "embedded"
    assert Space(CASES["b/norepeat-required"][2], taxa["tiny_b"]).method() == "distinct"  # with a counter


@pytest.mark.parametrize("case", sorted(CASES))
def test_counts_equal_brute_force(taxa, case):
    tname, cmax, sp = CASES[case]
    tax = taxa[tname]
    truth = space(tax, sp, cmax)
    assert count_scenes(sp, tax) == len(truth)
    by_shape = {}
    for s in truth.values():
        by_shape[s.shape] = by_shape.get(s.shape, 0) + 1
    assert count_scenes(sp, tax, by="shape") == by_shape
    by_c = {}
    for s in truth.values():
        by_c[s.complexity] = by_c.get(s.complexity, 0) + 1
    assert count_scenes(sp, tax, by="complexity") == by_c


SOFT = {
    "local": ("tiny_a", 4, spec(soft=(
        SoftConstraint(Pattern((node("a", "animal"),)), Fraction(3, 2), O),
        SoftConstraint(edge_pattern(node("a"), node("b", "fruit"), {"eats"}), Fraction(1, 3), O)))),
    "nonlocal": ("tiny_b", 4, spec(bounds={"acyclic": False}, soft=(
        SoftConstraint(Pattern((node("a", "person"), node("b", "person"))), Fraction(5), O),
        SoftConstraint(Pattern((node("a", attrs=[AttributeCondition("size", frozenset({"big"}))]),)), Fraction(2, 7), O)))),
    "norepeat": ("tiny_b", 4, spec(bounds={"repeat_objects": False, "acyclic": False}, soft=(
        SoftConstraint(Pattern((node("a", "person"),)), Fraction(7, 3), O),))),
    "with-hard": ("tiny_a", 4, spec(
        patterns=(PatternConstraint(Pattern((node("a", "fruit"),)), "require", O),),
        soft=(SoftConstraint(Pattern((node("a", attrs=[AttributeCondition("colour")]),)), Fraction(4), O),))),
}


@pytest.mark.parametrize("case", sorted(SOFT))
def test_weighted_total_equals_brute_force(taxa, case):
    tname, cmax, sp = SOFT[case]
    tax = taxa[tname]
    truth = space(tax, sp, cmax)
    assert weighted_total(sp, tax) == total_weight(tax, sp, truth)
    assert count_scenes(sp, tax) == len(truth)  # soft rules never change the count


def test_by_structure_sums_to_total(taxa):
    tax = taxa["toy"]
    sp = spec(4, bounds={"acyclic": False})
    by = count_scenes(sp, tax, by="structure")
    assert sum(by.values()) == count_scenes(sp, tax)
    keys = {s.key for s in structures(sp.bounds)}
    assert set(by) <= keys


def test_count_structure_two_objects(taxa):
    # Two bare objects: unordered pairs with repetition of the allowed concepts.
    tax = taxa["toy"]
    [s] = [s for s in structures(Bounds(complexity=IntRange(2, 2))) if s.shape == (2, 0, 0)]
    assert count_structure(ground(ConstraintSpec(), tax), s) == 10 * 11 // 2


def test_raw_asp_is_refused_with_its_line(taxa):
    sp = spec(raw_asp=(RawAsp(":- object(X).", Origin("f.toml", 7, 1, "asp")),))
    with pytest.raises(GasError, match=r"f.toml:7.*raw ASP.*outside exact counting"):
        count_scenes(sp, taxa["toy"])


def test_explicit_method_refuses_huge_spaces_naming_the_construct(taxa, monkeypatch):
    """The explicit sum's work is counted before it starts: the refusal states the estimate, the limit and
    the way out, whatever the machine's speed (no clock is read)."""
    from gas_solver.solve import work
    from gas_solver.solve.count import Space

    sp = spec(4, cardinalities=(CardinalityConstraint("distinct_categories", IntRange(2, None),
                                                      Origin("f.toml", 9, 1, "cardinality")),))
    space = Space(sp, taxa["toy"])
    assert space.method() == "explicit"
    estimate = space.explicit_work(space.count_model)
    monkeypatch.setitem(work.LIMITS, "explicit_assignments", estimate - 1)
    with pytest.raises(SpaceTooLarge, match=rf"f.toml:9.*distinct_categories.*about {estimate:,} label assignments "
                                            rf"to check, more than the limit of {estimate - 1:,}; narrow the vocabulary"):
        count_scenes(sp, taxa["toy"])
    monkeypatch.setitem(work.LIMITS, "explicit_assignments", estimate)
    assert count_scenes(sp, taxa["toy"]) == len(space_of_truth(taxa["toy"], sp))


def space_of_truth(tax, sp):
    return space(tax, sp, 4)


def test_large_synthetic_taxonomy_counts_fast():
    """Classes keep the count cheap on a large vocabulary; a relabelled copy gives the same count."""
    import time

    from synthetic import big_taxonomy

    tax = big_taxonomy(n_categories=40, per_category=250)
    sp = ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 6)))
    t = time.perf_counter()
    total = count_scenes(sp, tax)
    assert time.perf_counter() - t < 20
    assert total > 10 ** 20
    # every concept of a category is interchangeable: doubling a category's size is visible exactly
    sp1 = ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 1)))
    assert count_scenes(sp1, tax) == len(tax.objects)


def test_big_numbers_stay_exact():
    """Free filling on a large vocabulary: values far beyond int64, checked against the closed form.

    The star 0 -> 2 <- 1 with two attribute slots on 2 has Aut = {id, (0 1)}:
    #scenes = (N^3 E P^2 + N^2 E P) / 2 for N concepts, E = e_2(values per type) attribute pairs,
    P predicates.
    """
    from synthetic import big_taxonomy

    from gas_solver.solve.labels import elementary_symmetric
    from gas_solver.solve.structures import Structure

    tax = big_taxonomy(n_categories=40, per_category=1000)
    dom = ground(ConstraintSpec(semantic=False), tax)
    N, P = len(tax.objects), len(tax.relations)
    E = elementary_symmetric([len(t.values) for t in tax.attribute_types.values()], 2)
    star = Structure(3, (0, 0, 2), ((0, 2), (1, 2)))
    assert count_structure(dom, star) == (N ** 3 * E * P ** 2 + N ** 2 * E * P) // 2
    assert N ** 3 * E * P ** 2 > 2 ** 64


# -- random constraint files against brute force ---------------------------------------------------------
_NODES = [node("a"), node("a", "animal"), node("a", "fruit"), node("a", concepts=["cat"]),
          node("a", attrs=[AttributeCondition("colour")]), node("a", "thing", attrs=[AttributeCondition("colour", frozenset({"red"}))])]
_PATTERNS = ([Pattern((n,)) for n in _NODES]
             + [edge_pattern(node("a", "animal"), node("b")), edge_pattern(node("a"), node("b", "fruit"), {"eats", "near"}),
                edge_pattern(node("a", attrs=[AttributeCondition("colour")]), node("b", "tool")),
                Pattern((node("a", "animal"), node("b", "animal")))])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(acyclic=st.booleans(), repeat=st.booleans(), connected=st.booleans(), semantic=st.booleans(),
       forbid=st.lists(st.integers(0, len(_PATTERNS) - 1), max_size=2),
       require=st.lists(st.tuples(st.integers(0, len(_PATTERNS) - 1), st.integers(1, 2)), max_size=2),
       cards=st.lists(st.tuples(st.sampled_from(["objects", "attribute_type", "distinct_categories", "listed"]),
                                st.integers(0, 2), st.one_of(st.none(), st.integers(0, 3))), max_size=2),
       soft=st.lists(st.tuples(st.integers(0, len(_PATTERNS) - 1), st.sampled_from([Fraction(1, 3), Fraction(5, 2)])),
                     max_size=2))
def test_random_files_count_like_brute_force(taxa, acyclic, repeat, connected, semantic, forbid, require, cards, soft):
    tax = taxa["tiny_a"]
    cc = []
    for kind, lo, hi in cards:
        rng = IntRange(lo, None if hi is None else max(lo, hi))
        if kind == "objects":
            cc.append(CardinalityConstraint("objects", rng, O, concepts=cs("animal")))
        elif kind == "attribute_type":
            cc.append(CardinalityConstraint("attribute_type", rng, O, attribute_type="colour"))
        elif kind == "listed":
            cc.append(CardinalityConstraint("distinct_categories", rng, O, categories=("animal", "fruit")))
        else:
            cc.append(CardinalityConstraint("distinct_categories", rng, O))
    sp = spec(4, semantic=semantic, bounds={"acyclic": acyclic, "repeat_objects": repeat, "connected": connected},
              patterns=tuple([PatternConstraint(_PATTERNS[i], "forbid", O) for i in forbid]
                             + [PatternConstraint(_PATTERNS[i], "require", O, at_least=k) for i, k in require]),
              cardinalities=tuple(cc), soft=tuple(SoftConstraint(_PATTERNS[i], w, O) for i, w in soft))
    truth = space(tax, sp, 4)
    assert count_scenes(sp, tax) == len(truth)
    assert weighted_total(sp, tax) == total_weight(tax, sp, truth)
