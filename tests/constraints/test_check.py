"""The independent scene checker: each constraint kind, satisfied and violated, on hand-made scenes."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gas_solver.constraints import parse_constraints, pattern_matches, scene_weight, violations
from gas_solver.constraints.pattern import parse_pattern
from gas_solver.scene import Attribute, Relation, Scene, SceneAttribute, SceneObject


def obj(concept, **attrs):
    return SceneObject(concept, tuple(Attribute(t, v) for t, v in attrs.items()))


DOG_RIDES_BICYCLE = Scene((obj("dog", colour="brown"), obj("bicycle", material="metal")), (Relation(0, 1, "riding"),))


def keys(scene, text, tax):
    return [o.key for o in violations(scene, parse_constraints(text, tax), tax)]


# (constraint file, a scene that satisfies it, a scene that breaks it, the key reported)
CASES = [
    ("[space]\ncomplexity = [1, 3]\n", Scene((obj("dog", colour="red"),)), DOG_RIDES_BICYCLE, "space.complexity"),
    ("[space]\nobjects = 1\n", Scene((obj("dog"),)), DOG_RIDES_BICYCLE, "space.objects"),
    ("[space]\nattributes = [0, 1]\n", Scene((obj("dog", colour="red"),)),
     Scene((obj("dog", colour="red", size="big"),)), "space.attributes"),
    ("[space]\nrelations = 0\n", Scene((obj("dog"), obj("horse"))), DOG_RIDES_BICYCLE, "space.relations"),
    ("[space]\nattributes_per_object = [0, 1]\n", DOG_RIDES_BICYCLE,
     Scene((obj("dog", colour="red", size="big"),)), "space.attributes_per_object"),
    ("[space]\nout_degree = [0, 1]\n",
     Scene((obj("dog"), obj("horse"), obj("bench")), (Relation(0, 1, "next_to"), Relation(2, 1, "next_to"))),
     Scene((obj("dog"), obj("horse"), obj("bench")), (Relation(0, 1, "next_to"), Relation(0, 2, "next_to"))),
     "space.out_degree"),
    ("[space]\nin_degree = [0, 1]\n",
     Scene((obj("dog"), obj("horse"), obj("bench")), (Relation(0, 1, "next_to"), Relation(0, 2, "next_to"))),
     Scene((obj("dog"), obj("horse"), obj("bench")), (Relation(0, 1, "next_to"), Relation(2, 1, "next_to"))),
     "space.in_degree"),
    ("[space]\nacyclic = true\n",
     Scene((obj("dog"), obj("horse"), obj("bench")), (Relation(0, 1, "next_to"), Relation(0, 2, "next_to"),
                                                       Relation(1, 2, "next_to"))),
     Scene((obj("dog"), obj("horse"), obj("bench")), (Relation(0, 1, "next_to"), Relation(1, 2, "next_to"),
                                                       Relation(2, 0, "next_to"))),
     "space.acyclic"),
    ("[space]\nconnected = true\n", DOG_RIDES_BICYCLE, Scene((obj("dog"), obj("horse"))), "space.connected"),
    ("[space]\nrepeat_objects = false\n", Scene((obj("dog"), obj("horse"))), Scene((obj("dog"), obj("dog"))),
     "space.repeat_objects"),
    ('[space]\nmodality = "video"\n', Scene((obj("dog"),), modality="video"), Scene((obj("dog"),)), "space.modality"),
    ("[space]\nscene_attributes = [1, 2]\n", Scene((obj("dog"),), scene_attributes=(SceneAttribute("style", "monet"),)),
     Scene((obj("dog"),)), "space.scene_attributes"),
    ('[vocabulary]\nobjects = { include = ["animal"], exclude = ["bird"] }\n', Scene((obj("dog"),)),
     Scene((obj("owl"),)), "vocabulary.objects"),
    ('[vocabulary]\nsubjects = ["animal"]\n', DOG_RIDES_BICYCLE,
     Scene((obj("bench"), obj("dog")), (Relation(0, 1, "next_to"),)), "vocabulary.subjects"),
    ('[vocabulary]\nrelation_objects = ["vehicle"]\n', DOG_RIDES_BICYCLE,
     Scene((obj("bench"), obj("dog")), (Relation(0, 1, "next_to"),)), "vocabulary.relation_objects"),
    ('[vocabulary]\nattribute_types = { exclude = ["size"] }\n', Scene((obj("dog", colour="red"),)),
     Scene((obj("dog", size="big"),)), "vocabulary.attribute_types"),
    ('[vocabulary]\nattribute_values = ["colour:red"]\n', Scene((obj("dog", colour="red", size="big"),)),
     Scene((obj("dog", colour="brown"),)), "vocabulary.attribute_values"),
    ('[vocabulary]\nattribute_values = { exclude = ["size:big"] }\n', Scene((obj("dog", size="small"),)),
     Scene((obj("dog", size="big"),)), "vocabulary.attribute_values"),
    ('[vocabulary]\nrelations = ["kind:spatial"]\n',
     Scene((obj("dog"), obj("bench")), (Relation(0, 1, "on_top_of"),)), DOG_RIDES_BICYCLE, "vocabulary.relations"),
    ('[space]\nscene_attributes = [0, 1]\n[vocabulary]\nscene_attribute_types = ["style"]\n',
     Scene((obj("dog"),), scene_attributes=(SceneAttribute("style", "monet"),)),
     Scene((obj("dog"),), scene_attributes=(SceneAttribute("lighting", "neon"),)), "vocabulary.scene_attribute_types"),
    ('[space]\nscene_attributes = [0, 1]\n[vocabulary]\nscene_attribute_values = { exclude = ["style:monet"] }\n',
     Scene((obj("dog"),), scene_attributes=(SceneAttribute("style", "ukiyo_e"),)),
     Scene((obj("dog"),), scene_attributes=(SceneAttribute("style", "monet"),)), "vocabulary.scene_attribute_values"),
    ("semantic = true\n", Scene((obj("apple", state="ripe"),)), Scene((obj("dog", state="ripe"),)), "semantic"),
    ("semantic = true\n", DOG_RIDES_BICYCLE, Scene((obj("bench"), obj("dog")), (Relation(0, 1, "riding"),)),
     "semantic"),
    ('[[require]]\npattern = "a:animal -[riding]-> b:vehicle"\n', DOG_RIDES_BICYCLE,
     Scene((obj("dog"), obj("bicycle")), (Relation(0, 1, "next_to"),)), "require[0]"),
    ('[[require]]\npattern = "a:mammal"\nat_least = 2\n', Scene((obj("dog"), obj("sheep"))), DOG_RIDES_BICYCLE,
     "require[0]"),
    ('[[require]]\npattern = "a:animal{colour=brown|white}"\n', DOG_RIDES_BICYCLE,
     Scene((obj("dog", colour="red"),)), "require[0]"),
    ('[[require]]\npattern = "a:*{material}"\n', DOG_RIDES_BICYCLE, Scene((obj("bicycle"),)), "require[0]"),
    ('[[forbid]]\npattern = "a:* -[riding]-> b:*"\n', Scene((obj("dog"), obj("bicycle"))), DOG_RIDES_BICYCLE,
     "forbid[0]"),
    ('[[forbid]]\npattern = "a:dog, b:dog"\n', Scene((obj("dog"), obj("horse"))), Scene((obj("dog"), obj("dog"))),
     "forbid[0]"),
    ('[[cardinality]]\nkind = "objects"\nobjects = ["mammal"]\nexactly = 1\n', DOG_RIDES_BICYCLE,
     Scene((obj("dog"), obj("horse"))), "cardinality[0]"),
    ('[[cardinality]]\nkind = "distinct_categories"\nat_least = 2\n', DOG_RIDES_BICYCLE,
     Scene((obj("dog"), obj("horse"))), "cardinality[0]"),
    ('[[cardinality]]\nkind = "distinct_categories"\ncategories = ["animal", "fruit"]\nat_least = 2\n',
     Scene((obj("owl"), obj("apple"))), Scene((obj("dog"), obj("owl"), obj("bench"))), "cardinality[0]"),
    ('[[cardinality]]\nkind = "attribute_type"\nattribute_type = "colour"\nat_most = 1\n', DOG_RIDES_BICYCLE,
     Scene((obj("dog", colour="red"), obj("horse", colour="red"))), "cardinality[0]"),
    ('[[cardinality]]\nkind = "distinct_attribute_types"\nat_least = 2\n', DOG_RIDES_BICYCLE,
     Scene((obj("dog", colour="red"), obj("horse", colour="brown"))), "cardinality[0]"),
]


@pytest.mark.parametrize("text,good,bad,key", CASES, ids=[f"{c[3]}-{i}" for i, c in enumerate(CASES)])
def test_constraint_satisfied_and_violated(text, good, bad, key, toy_taxonomy):
    assert keys(good, text, toy_taxonomy) == []
    assert keys(bad, text, toy_taxonomy) == [key]


def test_origin_carries_file_line(toy_taxonomy):
    spec = parse_constraints('# comment\n\n[[forbid]]\npattern = "a:owl"\n', toy_taxonomy, path="x.toml")
    (o,) = violations(Scene((obj("owl"),)), spec, toy_taxonomy)
    assert (o.path, o.line, o.key) == ("x.toml", 3, "forbid[0]")


def test_defaults_are_constraints_too(toy_taxonomy):
    spec = parse_constraints("", toy_taxonomy)
    cyclic = Scene((obj("dog"), obj("horse")), (Relation(0, 1, "next_to"), Relation(1, 0, "next_to")))
    (o,) = violations(cyclic, spec, toy_taxonomy)
    assert o.key == "space.acyclic" and o.line is None
    nine = Scene(tuple(obj("dog") for _ in range(9)))
    assert [o.key for o in violations(nine, spec, toy_taxonomy)] == ["space.complexity"]
    # default: no scene attributes
    assert [o.key for o in violations(Scene((obj("dog"),), scene_attributes=(SceneAttribute("style", "monet"),)),
                                      spec, toy_taxonomy)] == ["space.scene_attributes"]


def test_semantic_false_is_free_filling(toy_taxonomy):
    spec = parse_constraints("semantic = false\n", toy_taxonomy)
    weird = Scene((obj("water", material="wooden", state="ripe"), obj("beach")), (Relation(1, 0, "riding"),))
    assert violations(weird, spec, toy_taxonomy) == []
    assert [o.key for o in violations(weird, parse_constraints("", toy_taxonomy), toy_taxonomy)] == ["semantic"]


def test_scene_attribute_of_other_modality(toy_taxonomy):
    spec = parse_constraints("[space]\nscene_attributes = [0, 1]\n", toy_taxonomy)
    s = Scene((obj("dog"),), scene_attributes=(SceneAttribute("camera_movement", "pan_left"),))
    assert [o.key for o in violations(s, spec, toy_taxonomy)] == ["space.modality"]


@pytest.mark.parametrize("scene,fragment", [
    (Scene((obj("cat"),)), "not in the taxonomy"),
    (Scene((obj("dog", colour="purple"),)), "not in the taxonomy"),
    (Scene((obj("dog"), obj("horse")), (Relation(0, 0, "next_to"),)), "two different objects"),
    (Scene((obj("dog"), obj("horse")), (Relation(0, 5, "next_to"),)), "two different objects"),
    (Scene((obj("dog"), obj("horse")), (Relation(0, 1, "next_to"), Relation(0, 1, "riding"))), "two relations"),
    (Scene((obj("dog"), obj("horse")), (Relation(0, 1, "flying"),)), "not in the taxonomy"),
    (Scene((SceneObject("dog", (Attribute("colour", "red"), Attribute("colour", "brown"))),)), "same type"),
    (Scene((obj("dog"),), scene_attributes=(SceneAttribute("style", "monet"), SceneAttribute("style", "ukiyo_e"))),
     "same type"),
])
def test_scene_rules(scene, fragment, toy_taxonomy):
    spec = parse_constraints("[space]\nscene_attributes = [0, 3]\n", toy_taxonomy)
    out = violations(scene, spec, toy_taxonomy)
    assert out and all(o.key == "scene" for o in out)
    assert any(fragment in o.description for o in out)


def test_each_violation_reported_once(toy_taxonomy):
    spec = parse_constraints('[[forbid]]\npattern = "a:dog"\n', toy_taxonomy)
    assert len(violations(Scene((obj("dog"), obj("dog"), obj("dog"))), spec, toy_taxonomy)) == 1


def test_pattern_matches_counts_injective_maps(toy_taxonomy):
    tax = toy_taxonomy
    two_dogs = Scene((obj("dog"), obj("dog"), obj("horse")), (Relation(0, 2, "riding"), Relation(1, 2, "riding")))
    assert pattern_matches(two_dogs, parse_pattern("a:dog", tax), tax) == 2
    assert pattern_matches(two_dogs, parse_pattern("a:dog, b:dog", tax), tax) == 2
    assert pattern_matches(two_dogs, parse_pattern("a:dog, b:dog, c:dog", tax), tax) == 0
    assert pattern_matches(two_dogs, parse_pattern("a:mammal, b:mammal", tax), tax) == 6
    assert pattern_matches(two_dogs, parse_pattern("a:* -[riding]-> b:horse", tax), tax) == 2
    assert pattern_matches(two_dogs, parse_pattern("a:* -[riding]-> c:*, b:* -[riding]-> c", tax), tax) == 2
    assert pattern_matches(two_dogs, parse_pattern("a:* -[next_to]-> b:*", tax), tax) == 0
    assert pattern_matches(two_dogs, parse_pattern("a:horse -[*]-> b:*", tax), tax) == 0


def test_scene_weight_is_product_per_match(toy_taxonomy):
    tax = toy_taxonomy
    spec = parse_constraints('[[soft]]\npattern = "a:dog"\nweight = 3\n'
                             '[[soft]]\npattern = "a:* -[riding]-> b:*"\nweight = "1/2"\n', tax)
    two_dogs = Scene((obj("dog"), obj("dog"), obj("horse")), (Relation(0, 2, "riding"), Relation(1, 2, "riding")))
    assert scene_weight(two_dogs, spec, tax) == Fraction(9) * Fraction(1, 4)
    assert scene_weight(Scene((obj("horse"),)), spec, tax) == 1
    assert violations(two_dogs, spec, tax) == []  # soft rules are not hard constraints


# -- properties on random scenes ------------------------------------------------------------------------------------

_CONCEPTS = ["dog", "horse", "sheep", "owl", "bicycle", "suv", "bench", "apple", "water", "beach"]
_VALUES = {"colour": ["red", "brown", "white"], "material": ["wooden", "metal"], "size": ["big", "small"],
           "state": ["ripe", "wet"]}
_PREDS = ["riding", "eating", "on_top_of", "next_to", "in"]


@st.composite
def scenes(draw):
    n = draw(st.integers(1, 4))
    objects = []
    for _ in range(n):
        types = draw(st.lists(st.sampled_from(sorted(_VALUES)), unique=True, max_size=2))
        objects.append(SceneObject(draw(st.sampled_from(_CONCEPTS)),
                                   tuple(Attribute(t, draw(st.sampled_from(_VALUES[t]))) for t in types)))
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=3)) if pairs else []
    rels = tuple(Relation(i, j, draw(st.sampled_from(_PREDS))) for i, j in chosen)
    sattrs = draw(st.sampled_from([(), (SceneAttribute("style", "monet"),), (SceneAttribute("lighting", "neon"),)]))
    return Scene(tuple(objects), rels, sattrs)


def _permuted(scene: Scene, perm: list[int]) -> Scene:
    objs = [None] * len(scene.objects)
    for i, o in enumerate(scene.objects):
        objs[perm[i]] = o
    return Scene(tuple(objs), tuple(Relation(perm[r.subject], perm[r.object], r.predicate) for r in scene.relations),
                 scene.scene_attributes, scene.modality)


_RICH = '''[space]\ncomplexity = [2, 7]\nconnected = true\nacyclic = true\nout_degree = [0, 2]\nscene_attributes = [0, 1]
[vocabulary]\nobjects = { exclude = ["water"] }\nrelations = { exclude = ["in"] }
[[require]]\npattern = "a:animal{colour}"\n[[forbid]]\npattern = "a:* -[riding]-> b:*, b -[next_to]-> c:*"
[[cardinality]]\nkind = "distinct_categories"\nat_least = 2
[[soft]]\npattern = "a:mammal -[*]-> b:*"\nweight = 2\n'''


@settings(max_examples=150, deadline=None)
@given(scenes(), st.randoms(use_true_random=False))
def test_violations_and_weight_do_not_depend_on_object_order(toy_taxonomy, scene, rnd):
    spec = parse_constraints(_RICH, toy_taxonomy)
    perm = list(range(len(scene.objects)))
    rnd.shuffle(perm)
    other = _permuted(scene, perm)
    assert {o.key for o in violations(scene, spec, toy_taxonomy)} == {o.key for o in violations(other, spec, toy_taxonomy)}
    assert scene_weight(scene, spec, toy_taxonomy) == scene_weight(other, spec, toy_taxonomy)


@settings(max_examples=150, deadline=None)
@given(scenes())
def test_single_node_matches_count_objects(toy_taxonomy, scene):
    tax = toy_taxonomy
    assert pattern_matches(scene, parse_pattern("a:mammal", tax), tax) == sum(
        tax.is_a(tax.object(o.concept).category, "mammal") for o in scene.objects)
    assert pattern_matches(scene, parse_pattern("a:* -[*]-> b:*", tax), tax) == len(scene.relations)
    n = len(scene.objects)
    assert pattern_matches(scene, parse_pattern("a:*, b:*", tax), tax) == n * (n - 1)
