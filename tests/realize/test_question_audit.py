"""The question audit's classes, each checked by the independent oracle of ``test_qa_validity``.

* "the X" while another object is a kind of X ("What colour is the watch?" beside a pocket watch), and counts
  of Xs while another object is, or may be, one;
* open questions with a spatial or comparative predicate ("What is the couch to the right of?") while the edges
  leave another object unplaced;
* scene-attribute foils and distractors that may hold beside the scene's value (co-occurring types, ``overlap``
  spans, names inside one another);
* existence foils and distractors that are parts of an object of the scene or have one as a part.

Properties over random scenes of three small taxonomies, brute force over every two-object scene of
``tests/data/tiny_audit.toml`` and over every pair of everyday concepts one of which is a kind of the other in the
default taxonomy; examples from the audit's hand reading.
"""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gas_solver.errors import TaxonomyError
from gas_solver.realize import question_set
from gas_solver.scene import Attribute, Relation, Scene, SceneAttribute, SceneObject, canonical_form, scene_to_dict
from gas_solver.taxonomy import load_taxonomy, taxonomy_from_dict

from . import test_qa_validity as validity
from .scenes import random_scene

SMALL = ("tiny_audit.toml", "toy.toml", "realize_tricky.toml")


@pytest.fixture(scope="module")
def small(data_dir):
    return {name: (load_taxonomy(data_dir / name), validity.oracle_for(data_dir / name)) for name in SMALL}


def violations(tax, oracle, scene: Scene, seed: int = 0, **kw) -> list[str]:
    validity._TAX[0] = tax
    qs = question_set(scene, tax, seed=seed, **kw)
    return validity.check_row(oracle, scene_to_dict(canonical_form(scene), tax), qs,
                              validity._choice_concepts(tax), {})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.sampled_from(SMALL), seed=st.integers(0, 2**32 - 1), complexity=st.integers(2, 10),
       qa_seed=st.integers(0, 50), yes_share=st.sampled_from([None, 0.5]))
def test_small_taxonomies_answers_fixed(small, which, seed, complexity, qa_seed, yes_share):
    tax, oracle = small[which]
    scene = random_scene(tax, random.Random(seed), complexity)
    assert not violations(tax, oracle, scene, qa_seed, yes_share=yes_share)


def test_every_two_object_scene_of_the_tiny_taxonomy(small):
    """Brute force: every pair of concepts, each predicate (or none) between them, each time of day, with and
    without a mood: no violation, and the questions still ask what the scene fixes."""
    tax, oracle = small["tiny_audit.toml"]
    concepts = [o.id for o in tax.objects]
    times = [v.id for v in tax.scene_attribute_types["time_of_day"].values]
    n = asked_group = 0
    for a, b in itertools.product(concepts, repeat=2):
        preds = [None, *tax.relations_for(tax.object(a).category, tax.object(b).category)]
        for p, t, mood in itertools.product(preds, times, (None, "serene")):
            sattrs = (SceneAttribute("time_of_day", t),) + ((SceneAttribute("mood", mood),) if mood else ())
            scene = Scene((SceneObject(a, (Attribute("colour", "red"),)), SceneObject(b)),
                          (Relation(0, 1, p),) if p else (), sattrs)
            bad = violations(tax, oracle, scene)
            assert not bad, bad
            n += 1
            if b in tax.concept_descendants(a):
                qs = {q["question"]: q["answer"] for q in question_set(scene, tax)}
                name = tax.object(a).name
                assert qs[f"Is there a {name} that is red?"] == "yes"  # asked of "a dog", not "the dog"
                asked_group += 1
    assert n > 2000 and asked_group > 50
    # parthood: beside a car door, no "car" or "taxi" (the door shows one) and no "handle" (its part) is a foil
    door = Scene((SceneObject("car_door"),))
    offered = set()
    for seed in range(200):
        for q in question_set(door, tax, seed=seed):
            if q["type"] == "existence" and q["negative"]:
                offered.add(q["elements"][0]["absent_object"])
    assert offered and not offered & {"car", "taxi", "handle", "car_door"}


def test_round_4_rules_on_the_tiny_taxonomy(small):
    """An act entailing a place ("standing next to") or a movement toward something is asked openly only where
    every other candidate is placed; a material noun is said "made of"; the oracle agrees with the realizer."""
    tax, oracle = small["tiny_audit.toml"]
    for p in ("standing_next_to", "walking_toward"):
        asked = 0
        for seed in range(20):
            # the cat, placed by no edge, may be next to (or in the way of) the dog too: no open question
            loose = Scene((SceneObject("dog"), SceneObject("bench"), SceneObject("cat")), (Relation(0, 1, p),))
            assert not violations(tax, oracle, loose, seed)
            name = tax.relations[p].name
            assert not [q for q in question_set(loose, tax, seed=seed) if q["question"] == f"What is the dog {name}?"]
            # the cat far from the dog: one answer
            placed = Scene((SceneObject("dog"), SceneObject("bench"), SceneObject("cat")),
                           (Relation(0, 1, p), Relation(0, 2, "far_from")))
            assert not violations(tax, oracle, placed, seed)
            asked += any(q["question"] == f"What is the dog {name}?" and q["answer"] == "bench"
                         for q in question_set(placed, tax, seed=seed))
        assert asked or p == "walking_toward"  # far from says nothing of the way a movement goes
    oak = Scene((SceneObject("bench", (Attribute("material", "oak"), Attribute("colour", "red"))),
                 SceneObject("table", (Attribute("material", "wooden"),))))
    texts = [q["question"] for q in question_set(oak, tax)]
    assert "Is the bench made of oak?" in texts and "Is the table wooden?" in texts
    assert not violations(tax, oracle, oak)


def test_every_everyday_kind_pair_of_the_default_taxonomy(default_oracle):
    """Brute force over the default taxonomy: each everyday concept beside an everyday kind of it (with a
    colour on both and an edge between them where the taxonomy allows one)."""
    tax = load_taxonomy()
    everyday = {o.id for o in tax.objects if tax.in_tier(o.id, "everyday")}
    pairs = sorted((a, d) for a in everyday for d in tax.concept_descendants(a) if d in everyday)
    assert len(pairs) > 100
    oracle = default_oracle
    colours = [v.id for v in tax.attribute_types["colour"].values]
    checked = 0
    for k, (a, d) in enumerate(pairs):
        ca, cd = colours[k % len(colours)], colours[(7 * k + 3) % len(colours)]
        oa = SceneObject(a, (Attribute("colour", ca),) if tax.attribute_fits("colour", ca, a) else ())
        od = SceneObject(d, (Attribute("colour", cd),) if tax.attribute_fits("colour", cd, d) else ())
        preds = sorted(tax.relations_for(tax.object(d).category, tax.object(a).category))
        rels = (Relation(1, 0, preds[k % len(preds)]),) if preds else ()
        for copies in (1, 2):  # a group beside a kind of it: no count
            scene = Scene((oa,) * copies + (od,), tuple(Relation(r.subject + copies - 1, r.object, r.predicate)
                                                     for r in rels))
            bad = violations(tax, oracle, scene, seed=k)
            assert not bad, bad
            checked += 1
    assert checked == 2 * len(pairs)


@pytest.fixture(scope="module")
def default_oracle():
    import gzip
    import json

    from gas_solver.taxonomy.load import default_taxonomy_path

    return validity.Oracle(json.loads(gzip.decompress(default_taxonomy_path().read_bytes())))


def _named(tax, name: str) -> str:
    return next(o.id for o in tax.objects if o.name == name)


def test_examples_of_the_hand_reading():
    tax = load_taxonomy()
    watch, pocket = _named(tax, "watch"), _named(tax, "pocket watch")
    milk = _named(tax, "milk")
    scene = Scene((SceneObject(pocket), SceneObject(watch, (Attribute("colour", "khaki"),)), SceneObject(milk)),
                  (Relation(0, 1, "above"),), (SceneAttribute("time_of_day", "at_dawn"),
                                               SceneAttribute("mood", "serene")))
    for seed in range(30):
        qs = question_set(scene, tax, seed=seed)
        text = [q["question"] for q in qs]
        assert "Is there a watch that is khaki?" in text and "Is the pocket watch above a watch?" in text
        assert not any("the watch" in t for t in text)
        for q in qs:
            if q["type"] == "scene_attribute" and q["negative"]:
                # one time of day; never "at first light" or "at sunrise" (both are dawn), and no mood foil
                assert q["elements"][0]["absent_scene_attribute"][0] == "time_of_day"
                assert q["elements"][0]["absent_scene_attribute"][1] not in ("at_first_light", "at_sunrise")
            if q["type"] == "scene_attribute" and q["format"] == "multiple_choice":
                assert "at first light" not in q["choices"] and "serene" not in q["choices"]
    # a mass noun another object is a kind of: "some clothing", not "a portion of clothing"
    clothing, uniform = _named(tax, "clothing"), _named(tax, "military uniform")
    mass = Scene((SceneObject(clothing, (Attribute("colour", "golden"),)), SceneObject(uniform)),
                 (Relation(1, 0, "next_to"),) if "next_to" in tax.relations_for(
                     tax.object(uniform).category, tax.object(clothing).category) else ())
    text = [q["question"] for q in question_set(mass, tax)]
    assert "Is there some clothing that is golden?" in text and not any("portion" in t for t in text)
    # "What is the couch to the right of?": only where no other object is left unplaced
    couch, flag, banjo = _named(tax, "couch"), _named(tax, "flag"), _named(tax, "banjo")

    def open_questions(scene):
        return {q["question"] for s in range(20) for q in question_set(scene, tax, seed=s) if "accepted" in q}

    for p, question in (("to_the_right_of", "What is the couch to the right of?"),
                        ("bigger_than", "What is the couch bigger than?")):
        two = Scene((SceneObject(couch), SceneObject(flag)), (Relation(0, 1, p),))
        three = Scene(two.objects + (SceneObject(banjo),), two.relations)
        assert question in open_questions(two)
        assert question not in open_questions(three)
    # the banjo is bigger than the couch, so the couch is not bigger than it: the flag is the one answer
    placed = Scene(three.objects, two.relations + (Relation(2, 0, "bigger_than"),))
    assert "What is the couch bigger than?" in open_questions(placed)


def test_scene_attribute_exclusive_must_be_a_boolean():
    doc = {"format": "gas-taxonomy/1", "name": "bad", "version": "1", "categories": [{"id": "thing"}],
           "objects": [{"id": "x", "name": "x", "category": "thing"}], "attribute_types": [], "relations": [],
           "scene_attribute_types": [{"id": "mood", "modalities": ["image"], "phrase": "{value}",
                                      "exclusive": "no", "values": ["calm"]}]}
    with pytest.raises(TaxonomyError, match="exclusive"):
        taxonomy_from_dict(doc)
    doc["scene_attribute_types"][0]["exclusive"] = False
    doc["scene_attribute_types"][0]["values"] = [{"id": "calm", "name": "calm", "overlap": "quiet"}]
    tax = taxonomy_from_dict(doc)
    assert not tax.scene_attribute_types["mood"].exclusive
    assert tax.scene_attribute_types["mood"].values[0].overlap == "quiet"


#: the questions round's rules on the default taxonomy: young animals beside their kinds, copies that are counted or
#: not, and concepts whose choices overlap (kinds of elephant, of dog), with ages and sizes
YOUNG_POOL = ("puppy", "beagle", "Saint Bernard", "dog", "kitten", "house cat", "cat", "lamb", "sheep", "foal", "horse",
              "kite", "elephant", "Indian elephant", "man", "table")


@pytest.fixture(scope="module")
def default_audit():
    import gzip
    import json

    from gas_solver.taxonomy.load import default_taxonomy_path

    tax = load_taxonomy()
    oracle = validity.Oracle(json.loads(gzip.decompress(default_taxonomy_path().read_bytes())))
    return tax, oracle


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(st.sampled_from(YOUNG_POOL), min_size=1, max_size=5),
       ages=st.lists(st.sampled_from([None, "young", "baby", "old"]), min_size=5, max_size=5),
       sizes=st.lists(st.sampled_from([None, "small", "huge", "medium_sized"]), min_size=5, max_size=5),
       qa_seed=st.integers(0, 50), yes_share=st.sampled_from([None, 0.5]))
def test_young_copies_and_choices_answers_fixed(default_audit, names, ages, sizes, qa_seed, yes_share):
    """Scenes of young animals and their kinds, copies and look-alikes: every question's answer is fixed, by the
    oracle (no young one offered beside its kind nor a kind beside it, no count either may change, no two wrong
    choices naming one thing, the plural over counted copies)."""
    from gas_solver.scene import Attribute, SceneObject

    tax, oracle = default_audit
    objects = []
    for k, name in enumerate(names):
        attrs = tuple(Attribute(t, v) for t, v in (("age", ages[k]), ("size", sizes[k])) if v)
        objects.append(SceneObject(oracle.named[name], attrs))
    assert not violations(tax, oracle, Scene(tuple(objects)), qa_seed, yes_share=yes_share)
