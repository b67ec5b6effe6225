"""Wording of the naming round: a possessive said by the subject ("carries a girl on his shoulders", never "on
shoulders") and "shot" said once in a caption's scene phrases ("taken on a Nikon F3 and shown in a wide shot").
Every caption reads back to its scene (``parse_caption``)."""

from __future__ import annotations

import re

import pytest

from gas_solver.realize import caption, parse_caption, question_set
from gas_solver.scene import Relation, Scene, SceneAttribute, SceneObject, canonical_id
from gas_solver.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def tax():
    return load_taxonomy()


def _concept(tax, name):
    hits = [o.id for o in tax.objects if o.name == name]
    assert len(hits) == 1, name
    return hits[0]


@pytest.mark.parametrize("carrier,word", [("man", "his"), ("bride", "her"), ("old woman", "her"),
                                          ("firefighter", "their")])
def test_carried_on_the_carriers_shoulders(tax, carrier, word):
    scene = Scene((SceneObject(_concept(tax, carrier)), SceneObject(_concept(tax, "little girl"))),
                  (Relation(0, 1, "carrying_on_shoulders"),))
    for seed in range(12):
        text = caption(scene, tax, seed=seed)
        assert f"little girl on {word} shoulders" in text, text
        assert not re.search(r"\bon shoulders\b", text), text
        assert canonical_id(parse_caption(text, tax)) == canonical_id(scene), text
        asked = [q["question"] for q in question_set(scene, tax, seed=seed) if "shoulders" in q["question"]]
        assert asked and all(f"on {word} shoulders" in q for q in asked if q.startswith("Is ")), asked
        assert all(not re.search(r"\bon shoulders\b", q) for q in asked), asked


def test_shot_said_once(tax):
    scene = Scene((SceneObject(_concept(tax, "cup")),), (),
                  (SceneAttribute("camera_model", "nikon_f3"), SceneAttribute("camera_view", "wide_shot")))
    texts = {caption(scene, tax, seed=seed) for seed in range(12)}
    for text in texts:
        assert len(re.findall(r"\b[Ss]hot\b", text)) == 1, text
        assert re.search(r"\b[Tt]aken on a Nikon F3\b", text), text
        assert canonical_id(parse_caption(text, tax)) == canonical_id(scene), text
    alone = Scene((SceneObject(_concept(tax, "cup")),), (), (SceneAttribute("camera_model", "nikon_f3"),))
    assert "hot on a Nikon F3" in caption(alone, tax, seed=0)


@pytest.mark.parametrize("value,word", [("argyle", "argyle-patterned"), ("chevron", "chevron-patterned"),
                                        ("polka_dot", "polka-dotted")])
def test_pattern_nouns_after_is_say_the_adjective(tax, value, word):
    """A pattern named by a noun reads as one before a noun ("an argyle shirt") and as the adjective after "is" ("a
    shirt that is red and argyle-patterned", "Is the shirt argyle-patterned?"), never "Is the shirt argyle?"."""
    from gas_solver.scene import Attribute

    shirt = SceneObject(_concept(tax, "shirt"), (Attribute("colour", "red"), Attribute("pattern", value)))
    scene = Scene((shirt, SceneObject(_concept(tax, "cup"))))
    bare = tax.attribute_types["pattern"].values
    name = next(v.name for v in bare if v.id == value)
    for seed in range(12):
        text = caption(scene, tax, seed=seed)
        assert not re.search(rf"\bthat is (?:[\w-]+,? )*?{name}(?=[.,]| and)", text), text
        assert canonical_id(parse_caption(text, tax)) == canonical_id(scene), text
        asked = [q["question"] for q in question_set(scene, tax, seed=seed)]
        assert not any(q.endswith(f" {name}?") for q in asked), asked
    said = " ".join(caption(scene, tax, seed=seed) + " ".join(q["question"] for q in question_set(scene, tax, seed=seed))
                    for seed in range(12))
    assert word in said, said


def test_camera_said_once(tax):
    """Beside a camera move, a camera flash is "a flash" ("With the camera panning left and lit by a flash"); alone it
    keeps its name; both read back."""
    moving = Scene((SceneObject(_concept(tax, "man")),), (),
                   (SceneAttribute("camera_movement", "panning_left"), SceneAttribute("lighting", "camera_flash")),
                   modality="video")
    for seed in range(12):
        text = caption(moving, tax, seed=seed)
        assert len(re.findall(r"\bcamera\b", text)) == 1 and "lit by a flash" in text.lower(), text
        assert canonical_id(parse_caption(text, tax, modality="video")) == canonical_id(moving), text
    still = Scene((SceneObject(_concept(tax, "man")),), (), (SceneAttribute("lighting", "camera_flash"),))
    assert "lit by a camera flash" in caption(still, tax, seed=0).lower()


def test_one_verb_for_the_edges_of_one_predicate(tax):
    """A subject's edges of one predicate share its verb ("is above a bowl and a pan", never "is above a bowl and is
    above a pan"), after its other verb phrases, with every object named; the caption reads back to its scene."""
    from gas_solver.scene import Attribute

    cup, bowl, pan, plate = (_concept(tax, n) for n in ("cup", "bowl", "pan", "plate"))
    red = (Attribute("colour", "red"),)
    scenes = [
        Scene((SceneObject(cup), SceneObject(bowl), SceneObject(pan)),
              (Relation(0, 1, "above"), Relation(0, 2, "above"))),
        Scene((SceneObject(cup), SceneObject(bowl, red), SceneObject(pan), SceneObject(plate)),
              (Relation(0, 1, "above"), Relation(0, 3, "near"), Relation(0, 2, "above"))),
        Scene((SceneObject(cup), SceneObject(bowl, red), SceneObject(pan, red), SceneObject(plate)),
              (Relation(0, 1, "above"), Relation(0, 2, "above"), Relation(0, 3, "above"))),
    ]
    for scene in scenes:
        for seed in range(12):
            for style in ("varied", "plain"):
                text = caption(scene, tax, seed=seed, style=style)
                assert len(re.findall(r"\babove\b", text)) == 1, text
                assert not re.search(r"\bthat is red and a\b", text), text  # a "that is" clause goes last
                assert canonical_id(parse_caption(text, tax)) == canonical_id(scene), text
    text = caption(scenes[1], tax, seed=0, style="plain")
    assert re.search(r"is near a plate,? and is above (a pan and a red bowl|a red bowl and a pan)\.",
                     text), text
