"""Grounding: the Domain against direct taxonomy queries (the definitions it must match)."""

from __future__ import annotations

import itertools

import pytest

from gas_solver.constraints.model import (
    CardinalityConstraint,
    ConceptSet,
    ConstraintSpec,
    IntRange,
    Origin,
    Pattern,
    PatternConstraint,
    PatternNode,
    Vocabulary,
)
from gas_solver.solve.domain import ground

O = Origin(None, 1, 1, "test")


def _direct_predicates(spec, tax, s, o):
    voc = spec.vocabulary
    if not voc.subjects.is_everything and s not in voc.subjects.members(tax):
        return ()
    if not voc.relation_objects.is_everything and o not in voc.relation_objects.members(tax):
        return ()
    cs, co = tax.object(s).category, tax.object(o).category
    return tuple(sorted(p for p in tax.relations
                        if (voc.predicates is None or p in voc.predicates)
                        and (not spec.semantic or tax.relation_allows(p, cs, co))))


def _direct_options(spec, tax, c):
    voc = spec.vocabulary
    out = {}
    for t, at in tax.attribute_types.items():
        if voc.attribute_types is not None and t not in voc.attribute_types:
            continue
        vals = tuple(v.id for v in at.values
                     if (voc.attribute_values is None or (t, v.id) in voc.attribute_values)
                     and (t, v.id) not in voc.denied_attribute_values
                     and (not spec.semantic or tax.attribute_applies(t, v.id, tax.object(c).category)))
        if vals:
            out[t] = vals
    return out


SPECS = {
    "default": ConstraintSpec(),
    "free": ConstraintSpec(semantic=False),
    "vocab": ConstraintSpec(vocabulary=Vocabulary(
        objects=ConceptSet(categories=frozenset({"animal", "artifact", "fruit"}), exclude_concepts=frozenset({"owl"})),
        subjects=ConceptSet(categories=frozenset({"animal"})),
        attribute_types=frozenset({"colour", "state", "size"}),
        denied_attribute_values=frozenset({("colour", "red")}),
        predicates=frozenset({"riding", "on_top_of", "eating"}))),
    "patterns": ConstraintSpec(
        patterns=(PatternConstraint(Pattern((PatternNode("a", ConceptSet(concepts=frozenset({"dog"}))),)), "forbid", O),),
        cardinalities=(CardinalityConstraint("objects", IntRange(0, 1), O, concepts=ConceptSet(categories=frozenset({"mammal"}))),
                       CardinalityConstraint("distinct_categories", IntRange(2, None), O))),
}


@pytest.mark.parametrize("name", sorted(SPECS))
def test_domain_matches_taxonomy_queries(toy_taxonomy, name):
    spec, tax = SPECS[name], toy_taxonomy
    dom = ground(spec, tax)
    expected = sorted(spec.vocabulary.objects.members(tax))
    assert list(dom.concepts) == expected
    for c in dom.concepts:
        assert dom.attribute_options(c) == _direct_options(spec, tax, c)
    for s, o in itertools.product(dom.concepts, repeat=2):
        assert dom.predicates(s, o) == _direct_predicates(spec, tax, s, o), (s, o)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_classes_are_a_partition_of_interchangeable_concepts(toy_taxonomy, name):
    spec, tax = SPECS[name], toy_taxonomy
    dom = ground(spec, tax)
    flat = [c for k in dom.classes for c in k.concepts]
    assert sorted(flat) == list(dom.concepts) and len(flat) == len(set(flat))
    sets = [cs.members(tax) for cs in dom.concept_sets]
    for k in dom.classes:
        a = k.concepts[0]
        for b in k.concepts[1:]:
            assert dom.attribute_options(a) == dom.attribute_options(b)
            assert all(dom.predicates(a, x) == dom.predicates(b, x) for x in dom.concepts)
            assert all(dom.predicates(x, a) == dom.predicates(x, b) for x in dom.concepts)
            assert [a in m for m in sets] == [b in m for m in sets]
            assert tax.object(a).category == tax.object(b).category or not spec.cardinalities
        for other in dom.classes:
            assert dom.class_predicates(k.index, other.index) == dom.predicates(a, other.concepts[0])


def test_classes_merge_concepts_and_split_on_constraints(toy_taxonomy):
    dom = ground(ConstraintSpec(), toy_taxonomy)
    assert dom.class_of("dog") is dom.class_of("horse") is dom.class_of("sheep")
    assert dom.class_of("apple") is not dom.class_of("water")  # "ripe" applies to fruit only
    assert len(ground(ConstraintSpec(semantic=False), toy_taxonomy).classes) == 1
    split = ground(SPECS["patterns"], toy_taxonomy)
    assert split.class_of("dog") is not split.class_of("horse")
    assert split.in_set("horse", split.concept_sets[1]) and not split.in_set("owl", split.concept_sets[1])


def test_scene_options_follow_modality(toy_taxonomy):
    from gas_solver.constraints.model import Bounds

    assert ground(ConstraintSpec(), toy_taxonomy).scene_options == {
        "lighting": ("golden_hour", "neon"), "style": ("monet", "ukiyo_e")}
    assert set(ground(ConstraintSpec(bounds=Bounds(modality="3d")), toy_taxonomy).scene_options) == {"style"}
    assert "camera_movement" in ground(ConstraintSpec(bounds=Bounds(modality="video")), toy_taxonomy).scene_options


def test_unmerged_classes_give_the_same_counts(toy_taxonomy):
    from gas_solver.constraints.model import Bounds, IntRange
    from gas_solver.solve.count import Space

    spec = ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 4), acyclic=False))
    merged, single = Space(spec, toy_taxonomy), Space(spec, toy_taxonomy, merge=False)
    assert len(single.domain.classes) == len(single.domain.concepts) > len(merged.domain.classes)
    assert single.total() == merged.total()
