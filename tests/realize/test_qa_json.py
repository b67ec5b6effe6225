"""The row path writes question sets straight to JSON (gas_solver.realize.qa_json): the same bytes
as ``orjson.dumps`` of the dict path (question_set / realize_scene) for every scene and option."""

from __future__ import annotations

import random

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gas_solver.realize import question_set, realize_line, realize_scene
from gas_solver.realize.qa_json import questions_json
from gas_solver.scene import canonical_form, canonical_id
from gas_solver.taxonomy import load_taxonomy

from .scenes import random_scene, scenes

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

OPTIONS = st.fixed_dictionaries({}, optional={
    "negatives": st.booleans(), "multiple_choice": st.booleans(),
    "choice_position": st.one_of(st.none(), st.sampled_from(["balanced", "random"]), st.integers(0, 5))})


@pytest.fixture(scope="module")
def default_taxonomy():
    return load_taxonomy()


def check(scene, tax, seed, options):
    canon = canonical_form(scene)
    fast = questions_json(canon, tax, canonical_id(canon), seed=seed, **options)
    assert fast.encode() == orjson.dumps(question_set(scene, tax, seed=seed, **options))
    for caption in (True, False):
        cid, line = realize_line(scene, tax, seed=seed, caption=caption, **options)
        row = realize_scene(scene, tax, seed=seed, caption=caption, **options)
        assert cid == row["id"]
        assert line == orjson.dumps(row) + b"\n"


@SETTINGS
@given(data=st.data(), seed=st.integers(0, 2**31), options=OPTIONS)
def test_same_bytes_as_dict_path(toy_taxonomy, tricky_taxonomy, default_taxonomy, data, seed, options):
    for tax in (toy_taxonomy, tricky_taxonomy, default_taxonomy):
        check(data.draw(scenes(tax, 1, 10)), tax, seed, options)


def test_same_bytes_many_default_scenes(default_taxonomy):
    # repeated concepts, every relation kind and all three modalities turn up within a few hundred scenes
    for k in range(300):
        rng = random.Random(k)
        check(random_scene(default_taxonomy, rng, rng.randint(1, 10)), default_taxonomy, k, {})


def test_fragments_escape_like_orjson():
    from gas_solver.realize.qa_json import _esc

    for s in ['plain', 'say "hi"', "back\\slash", "tab\there", "new\nline", "\x01\x1f", "café ☕", "\u2028"]:
        assert ('"' + _esc(s) + '"').encode() == orjson.dumps(s)
        # escaping is character by character: the fragments of a question join like the question
        assert _esc("Is " + s + " red?") == "Is " + _esc(s) + " red?"


def test_yes_share_goes_through_dicts(toy_taxonomy):
    scene = random_scene(toy_taxonomy, random.Random(3), 6)
    cid, line = realize_line(scene, toy_taxonomy, seed=1, yes_share=0.5)
    assert line == orjson.dumps(realize_scene(scene, toy_taxonomy, seed=1, yes_share=0.5)) + b"\n"
