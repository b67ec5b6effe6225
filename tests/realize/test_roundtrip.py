"""Round trip: parse_caption(caption(s)) is s up to isomorphism, for random scenes and every template."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gas_solver.realize import CaptionParseError, caption, parse_caption
from gas_solver.scene import Attribute, Scene, SceneObject, canonical_id
from gas_solver.taxonomy import load_taxonomy

from .scenes import random_scene, scenes

SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(scene, tax, seed):
    for style in ("plain", "varied"):
        text = caption(scene, tax, seed=seed, style=style)
        back = parse_caption(text, tax, modality=scene.modality)
        assert canonical_id(back) == canonical_id(scene), (text, scene, back)


@SETTINGS
@given(data=st.data(), seed=st.integers(0, 2**31))
def test_round_trip_toy(toy_taxonomy, data, seed):
    _check(data.draw(scenes(toy_taxonomy, 1, 10)), toy_taxonomy, seed)


@SETTINGS
@given(data=st.data(), seed=st.integers(0, 2**31))
def test_round_trip_tricky_names(tricky_taxonomy, data, seed):
    _check(data.draw(scenes(tricky_taxonomy, 1, 10)), tricky_taxonomy, seed)


@pytest.fixture(scope="module")
def default_taxonomy():
    return load_taxonomy()


@SETTINGS
@given(data=st.data(), seed=st.integers(0, 2**31))
def test_round_trip_default_taxonomy(default_taxonomy, data, seed):
    _check(data.draw(scenes(default_taxonomy, 1, 10)), default_taxonomy, seed)


def test_every_complexity_and_many_templates(tricky_taxonomy):
    # a deterministic sweep: every complexity 1..10, DAG and cyclic, all modalities, 8 seeds each
    for c in range(1, 11):
        for k in range(12):
            rng = random.Random(c * 100 + k)
            s = random_scene(tricky_taxonomy, rng, c, acyclic=k % 2 == 0)
            for seed in range(8):
                text = caption(s, tricky_taxonomy, seed=seed)
                assert canonical_id(parse_caption(text, tricky_taxonomy, modality=s.modality)) == canonical_id(s)


def test_captured_noun_keeps_its_adjectives_after_it(tricky_taxonomy):
    # "panda" + red must not read as the concept "red panda"
    s = Scene((SceneObject("panda", (Attribute("colour", "red"),)),))
    assert caption(s, tricky_taxonomy, style="plain") == "There is a panda that is red."
    t = Scene((SceneObject("red_panda"),))
    assert caption(t, tricky_taxonomy, style="plain") == "There is a red panda."
    assert parse_caption("There is a red panda.", tricky_taxonomy).objects[0].concept == "red_panda"


def test_parse_rejects_text_outside_the_grammar(toy_taxonomy):
    for bad in ("A dog rides.", "There is a cat.", "A dog rides a horse", "The dog rides a horse.",
                "There are two dogs: the third dog is red.", "A dog is next to a dog."):
        with pytest.raises(CaptionParseError):
            parse_caption(bad, toy_taxonomy)
