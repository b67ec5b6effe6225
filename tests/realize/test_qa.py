"""Question sets: coverage, negatives really "no", distractors never correct, DSG dependencies, balance."""

from __future__ import annotations

import json
import random
from importlib import resources

import jsonschema
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gas_solver.realize import question_set
from gas_solver.realize.lexicon import lexicon
from gas_solver.realize.qa import questions_records
from gas_solver.scene import Attribute, Relation, Scene, SceneAttribute, SceneObject, canonical_form, canonical_id
from gas_solver.taxonomy import load_taxonomy

from .scenes import random_scene, scenes

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def validator():
    schema = json.loads((resources.files("gas_solver") / "data" / "question_set.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema)


def check_properties(scene: Scene, tax, qs: list[dict]) -> None:
    canon = canonical_form(scene)
    objs = canon.objects
    rels = {(r.subject, r.predicate, r.object) for r in canon.relations}
    sattrs = {(a.type, a.value) for a in canon.scene_attributes}
    yes = [q for q in qs if q["answer"] == "yes" or q["type"] == "count"]
    ids = [q["id"] for q in qs]
    assert ids == [f"q{k}" for k in range(len(qs))]
    # every element has a yes-question (copies of a repeated concept: a count, or a question of the group)
    covered = {json.dumps(e, sort_keys=True) for q in yes for e in q["elements"]}
    for i, o in enumerate(objs):
        assert json.dumps({"object": i}) in covered
        for a in o.attributes:
            assert json.dumps({"attribute": [a.type, a.value], "object": i}, sort_keys=True) in covered
    for s, p, o in rels:
        assert json.dumps({"relation": [s, p, o]}) in covered
    for t, v in sattrs:
        assert json.dumps({"scene_attribute": [t, v]}) in covered
    positive_texts = {q["question"] for q in qs if not q["negative"]}
    lex = lexicon(tax)
    names_here = {lex.obj[o.concept].name.lower() for o in objs}
    for q in qs:
        # dependencies: earlier, existing ids (so the graph is a DAG)
        for d in q["depends_on"]:
            assert d in ids[: ids.index(q["id"])]
        if q["type"] in ("attribute", "relation", "count") or q["format"] == "multiple_choice":
            if q["type"] != "scene_attribute":
                assert q["depends_on"], q
        if q["negative"]:
            assert q["answer"] == "no" and q["format"] == "yes_no"
            assert q["question"] not in positive_texts
            (e,) = q["elements"]
            if "absent_object" in e:
                assert e["absent_object"] not in {o.concept for o in objs}
                assert lex.obj[e["absent_object"]].name.lower() not in names_here
            elif "absent_attribute" in e:
                t, v = e["absent_attribute"]
                assert Attribute(t, v) not in objs[e["object"]].attributes
                assert tax.attribute_applies(t, v, lex.obj[objs[e["object"]].concept].category)
            elif "absent_relation" in e:
                s, p, o = e["absent_relation"]
                assert (s, p, o) not in rels
                assert tax.relation_allows(p, lex.obj[objs[s].concept].category, lex.obj[objs[o].concept].category)
                if tax.relations[p].symmetric:
                    assert (o, p, s) not in rels
            else:
                t, v = e["absent_scene_attribute"]
                assert (t, v) not in sattrs
        if q["format"] == "multiple_choice":
            ch = q["choices"]
            assert q["answer"] in ch and len(set(ch)) == len(ch) >= 2
            wrong = [c.lower() for c in ch if c != q["answer"]]
            (e, *rest) = q["elements"]
            if q["type"] == "existence":
                assert not set(wrong) & names_here
            elif q["type"] == "attribute":
                i, (t, _) = e["object"], e["attribute"]
                have = {tax.attribute_value(a.type, a.value).name.lower() for a in objs[i].attributes if a.type == t}
                assert not set(wrong) & have
            elif q["type"] == "relation":
                s, p, o = e["relation"]
                assert tax.relations[p].name.lower() not in wrong
            elif q["type"] == "scene_attribute":
                t, v = e["scene_attribute"]
                assert tax.scene_attribute_value(t, v).name.lower() not in wrong
            elif q["type"] == "count":
                assert q["answer"] == str(len(q["elements"]))
        if q["type"] == "count":
            concepts = {objs[e["object"]].concept for e in q["elements"]}
            assert len(concepts) == 1
            if "attribute" in q["elements"][0]:  # "How many apples are red?": the copies that are
                (t, v), = {tuple(e["attribute"]) for e in q["elements"]}
                assert len(q["elements"]) == sum(1 for o in objs if o.concept in concepts
                                                 and Attribute(t, v) in o.attributes)
            else:
                assert len(q["elements"]) == sum(1 for o in objs if o.concept in concepts)


@SETTINGS
@given(data=st.data(), seed=st.integers(0, 2**31))
def test_properties_toy_and_tricky(toy_taxonomy, tricky_taxonomy, validator, data, seed):
    for tax in (toy_taxonomy, tricky_taxonomy):
        s = data.draw(scenes(tax, 1, 10))
        qs = question_set(s, tax, seed=seed)
        validator.validate(qs)
        check_properties(s, tax, qs)


def test_properties_default_taxonomy(validator):
    tax = load_taxonomy()
    for k in range(80):
        rng = random.Random(k)
        s = random_scene(tax, rng, rng.randint(1, 10))
        qs = question_set(s, tax, seed=k, yes_share=0.5 if k % 2 else None)
        validator.validate(qs)
        check_properties(s, tax, qs)


def _scene():
    A = Attribute
    return Scene((SceneObject("dog", (A("colour", "brown"), A("size", "big"))), SceneObject("horse"),
                  SceneObject("apple", (A("state", "ripe"),)), SceneObject("apple"), SceneObject("bench")),
                 (Relation(0, 1, "riding"), Relation(1, 2, "eating"), Relation(3, 4, "on_top_of")),
                 (SceneAttribute("style", "monet"),))


def test_hand_checked_questions(toy_taxonomy):
    qs = question_set(_scene(), toy_taxonomy, seed=0, negatives=False, multiple_choice=False)
    text = {q["question"]: q for q in qs}
    assert text["Is there a dog?"]["answer"] == "yes"
    # the two apples are a group: asked about in the plural ("Is there an apple?" over two reads as one), counted,
    # asked about as a group, never by ordinals ("the second apple")
    assert "Is there an apple?" not in text
    assert text["Are there any apples?"]["depends_on"] == []
    count = text["How many apples are there?"]
    assert (count["answer"], count["format"], count["choices"]) == ("2", "number", None)
    assert count["depends_on"] == [text["Are there any apples?"]["id"]]
    assert text["Is the dog brown?"]["depends_on"] == [text["Is there a dog?"]["id"]]
    assert text["Is there an apple that is ripe?"]["answer"] == "yes"
    rel = text["Is the dog riding the horse?"]
    assert rel["depends_on"] == [text["Is there a dog?"]["id"], text["Is there a horse?"]["id"]]
    assert "Is an apple on top of the bench?" in text and "Is the horse eating an apple?" in text
    assert not [q for q in text if "first" in q or "second" in q]
    assert text["Is this in the style of Claude Monet?"]["elements"] == [{"scene_attribute": ["style", "monet"]}]
    assert len(qs) == 4 + 1 + 3 + 3 + 1  # existence, count, attributes, relations, scene attribute


def test_same_scene_same_questions_whatever_the_object_order(toy_taxonomy):
    s = _scene()
    perm = [4, 2, 0, 3, 1]  # new position of each old object
    objs = [None] * 5
    for old, new in enumerate(perm):
        objs[new] = s.objects[old]
    t = Scene(tuple(objs), tuple(Relation(perm[r.subject], perm[r.object], r.predicate) for r in s.relations),
              s.scene_attributes)
    assert question_set(s, toy_taxonomy, seed=3) == question_set(t, toy_taxonomy, seed=3)
    assert question_set(s, toy_taxonomy, seed=3) != question_set(s, toy_taxonomy, seed=4)


def test_yes_share(tricky_taxonomy):
    for k in range(40):
        rng = random.Random(k)
        s = random_scene(tricky_taxonomy, rng, 10)
        assert not [q for q in question_set(s, tricky_taxonomy, seed=k, yes_share=1.0) if q["negative"]]
        qs = question_set(s, tricky_taxonomy, seed=k, yes_share=0.5, multiple_choice=False)
        n_yes = sum(q["answer"] == "yes" for q in qs)
        n_no = sum(q["answer"] == "no" for q in qs)
        # as many foils as asked for, unless the taxonomy runs out of them
        assert n_no <= n_yes
        full = question_set(s, tricky_taxonomy, seed=k, yes_share=0.2, multiple_choice=False)
        assert sum(q["answer"] == "no" for q in full) >= n_no
    with pytest.raises(ValueError):
        question_set(s, tricky_taxonomy, yes_share=0.0)


def test_yes_share_reached_when_foils_suffice():
    tax = load_taxonomy()
    s = Scene(tuple(SceneObject(o.id, (Attribute("colour", "red"),)) for o in tax.concepts_of("mammal")[:3]))
    for share in (0.25, 0.5, 0.75):
        qs = question_set(s, tax, seed=1, yes_share=share, multiple_choice=False)
        n_yes = sum(q["answer"] == "yes" for q in qs)
        n_no = sum(q["answer"] == "no" for q in qs)
        assert n_no == round(n_yes * (1 - share) / share)


def test_choice_position(toy_taxonomy):
    s = _scene()
    for pos in (0, 1, 2):
        for q in question_set(s, toy_taxonomy, choice_position=pos):
            if q["choices"]:
                assert q["choices"].index(q["answer"]) == min(pos, len(q["choices"]) - 1)
    mc = [q for q in question_set(s, toy_taxonomy, choice_position="balanced") if q["choices"]]
    assert [q["choices"].index(q["answer"]) for q in mc] == [k % len(q["choices"]) for k, q in enumerate(mc)]
    positions = [q["choices"].index(q["answer"]) for seed in range(30)
                 for q in question_set(s, toy_taxonomy, seed=seed) if q["choices"] and len(q["choices"]) == 2]
    assert 0.3 < sum(positions) / len(positions) < 0.7  # random by seed: both positions used


# ---------------------------------------------------------------------------
# The JSON text writer: byte for byte what orjson makes of the dicts
# ---------------------------------------------------------------------------

def _awkward_taxonomy(data_dir, tmp_path):
    """The toy taxonomy with names that JSON must escape: quotes, backslashes, control characters, non-ASCII."""
    text = (data_dir / "toy.toml").read_text()
    for old, new in [('name = "dog"', r'name = "d\"og\\ caf\u00e9\ttab"'),
                     ('name = "on top of"', r'name = "on \"top\" of\\"'),
                     ('question = "What colour is"', r'question = "What \"colour\" is\u0001"'),
                     ('{ id = "monet", name = "Claude Monet" }',
                      r'{ id = "monet", name = "Claude \"Monet\" \u00e9\n" }'),
                     ('name = "apple"', r'name = "app\\le \u2603"')]:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "awkward.toml"
    path.write_text(text)
    return load_taxonomy(path)


@pytest.mark.parametrize("taxonomy", ["toy", "awkward"])
def test_question_text_is_the_dicts_json(taxonomy, toy_taxonomy, data_dir, tmp_path):
    tax = toy_taxonomy if taxonomy == "toy" else _awkward_taxonomy(data_dir, tmp_path)
    rng = random.Random(7)
    options = [{}, {"yes_share": 0.3, "choice_position": "balanced"}, {"multiple_choice": False},
               {"negatives": False, "choice_position": 1}]
    for k in range(300):
        scene = random_scene(tax, rng, rng.randint(1, 9))
        canon = canonical_form(scene)
        cid = canonical_id(canon)
        for opts in options:
            qs = questions_records(canon, tax, cid, seed=k, **opts)
            text = qs.json()
            dicts = orjson.loads(text)
            assert orjson.dumps(dicts) == text
            assert dicts == question_set(scene, tax, seed=k, **opts) == qs.dicts()
            assert len(qs) == len(dicts) and qs.types() == [q["type"] for q in dicts]
            assert qs.answer_counts() == (sum(q["answer"] == "yes" for q in dicts),
                                          sum(q["answer"] == "no" for q in dicts))
            if taxonomy == "awkward":
                check_properties(scene, tax, dicts)


@pytest.mark.parametrize("which", ["toy", "default"])
def test_predicate_pools_are_the_taxonomy_relations_in_order(which, toy_taxonomy):
    """The QA tables' per-pair predicate pools (relation bit masks) equal Taxonomy.relations_for, order included
    (the order fixes which distractors and foils a draw picks); the contradicted pools keep that order."""
    from gas_solver.realize.qa import _tables

    tax = toy_taxonomy if which == "toy" else load_taxonomy()
    tab = _tables(tax, lexicon(tax))
    cats = sorted(tax.categories)
    pairs = [(s, o) for s in cats for o in cats] if which == "toy" else random.Random(3).sample(
        [(s, o) for s in cats for o in cats], 300)
    for s, o in pairs:
        want = tuple(tax.relations_for(s, o))
        pool = tab.predicates(s, o)
        assert pool.ids == want
        assert pool.lnames == tuple(tax.relations[r].name.lower() for r in want)
        for p in want[:5]:  # the foils of an edge: the pair's predicates it contradicts, in the pair's order
            no = tax.relation_contradicts({p}) - {p}
            assert tab.contradicted(s, o, p, None).ids == tuple(r for r in want if r in no)


def test_the_writer_makes_one_json_array_from_records():
    """Empty sets, and sets longer than the ids made at import (4,096), make valid JSON arrays; the writer
    is orjson of the records' dicts, and the counts come from the records."""
    from gas_solver.realize.qa import Question, QuestionSet, write_questions

    qs = QuestionSet()
    assert qs.json() == b"[]" == write_questions([]) and orjson.loads(qs.json()) == []
    for k in range(4100):
        if k % 2:
            qs.append(Question("existence", "yes_no", False, "thing", (("object", k),), "Is there a thing?", "yes",
                               None, ()))
        else:
            qs.append(Question("existence", "multiple_choice", False, "thing", (("object", k),), "Which?", "yes",
                               ("yes", "no"), (1,)))
    rows = orjson.loads(qs.json())
    assert [q["id"] for q in rows] == [f"q{k}" for k in range(4100)]
    assert qs.json() == qs.json()  # reading it leaves the set as it was
    assert qs.answer_counts() == (4100, 0) and len(qs) == 4100
    assert rows[1] == {"id": "q1", "type": "existence", "format": "yes_no", "negative": False, "category": "thing",
                       "elements": [{"object": 1}], "question": "Is there a thing?", "answer": "yes",
                       "choices": None, "depends_on": []}
    assert rows[0]["choices"] == ["yes", "no"] and rows[0]["depends_on"] == ["q1"]


def test_copies_whose_number_is_open_are_asked_about_as_a_group(tricky_taxonomy, validator):
    # a child and two men: "How many men are there?" is open (the child's gender and role cross-cut), so the
    # existence question is grounded by either man and names both (hypothesis found the second man uncovered)
    s = random_scene(tricky_taxonomy, random.Random(24219), 7)
    assert [o.concept for o in s.objects] == ["child", "man", "man"]
    qs = question_set(s, tricky_taxonomy, seed=0)
    validator.validate(qs)
    check_properties(s, tricky_taxonomy, qs)
    (man,) = [q for q in qs if q["question"] == "Is there a man?"]
    assert man["elements"] == [{"object": 1}, {"object": 2}]
    assert not [q for q in qs if q["question"].startswith("How many men")]
