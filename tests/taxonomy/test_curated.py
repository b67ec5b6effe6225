"""The curated attribute, relation and scene-attribute files of the default taxonomy.

They are loaded together with ``categories.toml`` through the real loader (no objects needed),
so every rule of the gas-taxonomy format applies; on top of that these tests check the bars of
issue 2, id hygiene, the deny-list and a few semantic spot checks of applicability and domains.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import pytest

from gas_solver.taxonomy.load import taxonomy_from_dict
from gas_solver.taxonomy.model import ADJECTIVE_ORDER, RELATION_KINDS

CURATED = Path(__file__).resolve().parents[2] / "taxonomy" / "curated"
sys.path.insert(0, str(CURATED))
import make_colours  # noqa: E402

SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")


def _load(name: str) -> dict:
    return tomllib.loads((CURATED / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def raw() -> dict:
    # the settings settings.tsv defines ("@home ..."), by id: scene-attribute values name them (`keeps`); their fit
    # rules are the build's
    settings = [{"id": line.split("\t")[0][1:]} for line in (CURATED / "settings.tsv").read_text().splitlines()
                if line.startswith("@") and not line.startswith("@default")]
    return {"categories": _load("categories.toml")["categories"],
            "attribute_types": _load("attributes.toml")["attribute_types"],
            "relations": _load("relations.toml")["relations"],
            "scene_attribute_types": _load("scene_attributes.toml")["scene_attribute_types"],
            "settings": settings}


@pytest.fixture(scope="module")
def tax(raw):
    return taxonomy_from_dict({"format": "gas-taxonomy/1", **raw}, path="curated")


# -- bars ------------------------------------------------------------------


def test_counts_meet_the_bars(tax):
    stats = tax.stats()
    assert stats["attribute_values"] >= 1000
    assert stats["relations"] >= 600
    assert stats["scene_attribute_values"] >= 1500
    assert stats["attribute_types"] >= 10
    assert stats["scene_attribute_types"] >= 20


def test_every_modality_has_scene_attributes(tax):
    for modality in ("image", "video", "3d"):
        assert sum(len(t.values) for t in tax.scene_attribute_types_for(modality)) >= 100, modality


def test_every_relation_kind_is_used(tax):
    assert {r.kind for r in tax.relations.values()} == set(RELATION_KINDS)


# -- ids, names, phrases ------------------------------------------------------


def test_ids_are_snake_case_ascii(tax):
    for t in tax.attribute_types.values():
        assert SNAKE.match(t.id), t.id
        for v in t.values:
            assert SNAKE.match(v.id), (t.id, v.id)
    for r in tax.relations.values():
        assert SNAKE.match(r.id), r.id
    for t in tax.scene_attribute_types.values():
        assert SNAKE.match(t.id), t.id
        for v in t.values:
            assert SNAKE.match(v.id), (t.id, v.id)


def test_attribute_value_names_are_unique_across_types(tax):
    seen: dict[str, str] = {}
    for t in tax.attribute_types.values():
        for v in t.values:
            key = v.name.lower()
            assert key not in seen, f"{v.name!r} is in {seen.get(key)} and {t.id}"
            seen[key] = t.id


def test_relation_names_are_unique(tax):
    names = [r.name for r in tax.relations.values()]
    assert len(names) == len(set(names))
    presents = [r.present for r in tax.relations.values()]
    assert len(presents) == len(set(presents))


def test_scene_value_names_unique_within_type(tax):
    for t in tax.scene_attribute_types.values():
        names = [v.name.lower() for v in t.values]
        assert len(names) == len(set(names)), t.id


def test_names_are_clean_text(tax):
    def clean(s: str) -> bool:
        return s == s.strip() and "  " not in s and s.isascii() and s != ""
    for t in tax.attribute_types.values():
        assert t.order in ADJECTIVE_ORDER
        assert t.question and clean(t.question)
        for v in t.values:
            assert clean(v.name), v
    for r in tax.relations.values():
        assert clean(r.name) and clean(r.present), r
    for t in tax.scene_attribute_types.values():
        assert clean(t.name) and clean(t.phrase)
        for v in t.values:
            assert clean(v.name), (t.id, v)


def test_scene_phrases_and_questions_have_a_value_slot(tax):
    for t in tax.scene_attribute_types.values():
        assert t.phrase.count("{value}") == 1, t.id
        assert t.question.count("{value}") == 1 and t.question.endswith("?"), t.id
        assert set(t.modalities) <= {"image", "video", "3d"}


def test_attribute_questions_have_an_object_slot(tax):
    # the QA realizer fills {object} with "the dog"; a question without the slot would read badly
    for t in tax.attribute_types.values():
        assert t.question.count("{object}") == 1 and t.question.endswith("?"), t.id


def test_relation_present_forms(tax):
    for r in tax.relations.values():
        if r.present.startswith("is ") or r.present.startswith("are "):
            assert r.present.endswith(r.name.split(" ", 1)[-1]) or r.name in r.present, r
        else:  # finite verb: "rides", "leans against"
            first = r.present.split()[0]
            assert first.endswith("s") or first in {"has"}, r


UNPLEASANT = {"poo", "poop", "shit", "puke", "vomit", "barf", "diarrhea", "booger", "snot", "piss", "bile"}


def _words(name: str) -> set[str]:
    return set(re.split(r"[\s\-/']+", name.lower()))


def test_no_denied_word_survives(tax):
    # colours pass the whole colour deny-list; every other name at least the unpleasant words
    for v in tax.attribute_types["colour"].values:
        assert not _words(v.name) & make_colours.DENY_WORDS, v.name
    names = [v.name for t in tax.attribute_types.values() for v in t.values]
    names += [v.name for t in tax.scene_attribute_types.values() for v in t.values]
    names += [r.name for r in tax.relations.values()]
    for name in names:
        assert not _words(name) & UNPLEASANT, name


def test_colour_cleaning_rules():
    assert not make_colours.keep("baby poop green")
    assert not make_colours.keep("ugly pink")
    assert not make_colours.keep("blue/green")
    assert not make_colours.keep("apple")  # an object, not a colour adjective
    assert not make_colours.keep("gold")  # a material value
    assert not make_colours.keep("very light pink") and not make_colours.keep("light grey green")
    assert make_colours.keep("navy blue") and make_colours.keep("teal")
    assert make_colours.tier("dark brown") == "natural"
    assert make_colours.tier("light blue") == "basic"
    assert make_colours.tier("cornflower blue") == "fancy"


# -- scopes -------------------------------------------------------------------


def test_value_scopes_lie_inside_their_type(tax):
    for t in tax.attribute_types.values():
        base = tax.closure_of(t.applies_to)
        for v in t.values:
            assert tax.closure_of(v.applies_to) <= base, (t.id, v.id)


def test_attribute_applicability_spot_checks(tax):
    ok = tax.attribute_applies
    assert ok("ripeness", "ripe", "fruit") and ok("ripeness", "ripe", "vegetable")
    assert not ok("ripeness", "ripe", "vehicle")
    assert not ok("material", "wooden", "drink") and not ok("material", "wooden", "body_of_water")
    assert ok("material", "wooden", "furniture")
    assert ok("texture", "furry", "mammal") and ok("texture", "furry", "clothing")
    assert not ok("texture", "furry", "kitchenware") and not ok("texture", "furry", "fish")
    assert ok("colour", "brown", "mammal") and ok("colour", "blue", "body_of_water")
    assert not ok("colour", "cornflower_blue", "mammal")
    assert not any(t == "colour" for t, _ in tax.attribute_values_for("person"))
    assert ok("age", "old", "tree") and ok("age", "young", "mammal") and not ok("age", "young", "kitchenware")
    assert not ok("material", "cotton", "vehicle") and not ok("material", "brick", "clothing")
    assert not ok("temperature", "steaming", "vehicle") and ok("temperature", "steaming", "drink")
    assert not ok("pose", "flying", "mammal") and ok("pose", "flying", "bird")
    assert not ok("expression", "smiling", "fish")


def test_every_category_gets_some_attribute(tax):
    for c in tax.categories:
        if c in ("thing", "living", "place"):
            continue
        assert tax.attribute_values_for(c), c


def test_relation_domain_spot_checks(tax):
    ok = tax.relation_allows
    assert ok("riding", "person", "vehicle") and ok("riding", "person", "mount")
    assert not ok("riding", "person", "mammal")  # a horse or a camel (mount), not any mammal: no bear
    assert not ok("riding", "dish", "person") and not ok("riding", "fruit", "person")
    for r in ("eating", "biting_into", "sipping", "tasting"):
        if r in tax.relations:
            objs = tax.closure_of(tax.relations[r].object)
            assert objs <= tax.closure("food"), r
    assert ok("on_top_of", "container", "furniture")
    assert ok("next_to", "tree", "building") and tax.relations["next_to"].symmetric
    assert ok("holding", "person", "tool") and not ok("holding", "person", "building")
    assert not ok("wearing", "person", "vehicle") and ok("wearing", "person", "clothing")


def test_social_and_emotional_relations_have_animate_subjects(tax):
    animate = tax.closure_of(["person", "animal"])
    for r in tax.relations.values():
        if r.kind in ("social", "emotional"):
            assert tax.closure_of(r.subject) <= animate, r.id
        if r.kind == "social":
            assert tax.closure_of(r.object) <= animate, r.id


def test_symmetric_relations_have_equal_domains(tax):
    for r in tax.relations.values():
        if r.symmetric:
            assert tax.closure_of(r.subject) == tax.closure_of(r.object), r.id
            assert tax.closure_of(r.subject_except) == tax.closure_of(r.object_except), r.id


def test_places_are_never_movable_subjects(tax):
    # a mountain is not "on top of" or "held by" anything: places only appear as subjects of
    # relations that hold between fixed things (next to, behind, overlooking ...)
    for rid in ("on_top_of", "inside", "hanging_from", "floating_in"):
        if rid in tax.relations:
            assert not ok_any(tax, rid, "landform"), rid


def ok_any(tax, rid, subject_category):
    return any(tax.relation_allows(rid, subject_category, o) for o in tax.categories)


def test_generated_region_is_up_to_date():
    # The colour block must be exactly what make_colours.py produces from matplotlib.
    pytest.importorskip("matplotlib")
    text = (CURATED / "attributes.toml").read_text(encoding="utf-8")
    names = [n for n in make_colours.candidate_names() if make_colours.keep(n)]
    colour = next(t for t in tomllib.loads(text)["attribute_types"] if t["id"] == "colour")
    assert [v["name"] for v in colour["values"]] == names


def test_relations_toml_is_what_its_table_generates():
    """``relations.toml`` is generated from ``relations.tsv``: an edit made to the toml alone would be undone by
    the next ``python taxonomy/curated/make_relations.py``, so the two must agree; and a possessive "their" in a
    phrase stays out of its id ("carrying_on_shoulders" says "on their shoulders")."""
    import make_relations

    cats = {c["id"] for c in _load("categories.toml")["categories"]}
    rows = make_relations.parse((CURATED / "relations.tsv").read_text(encoding="utf-8"), cats)
    assert make_relations.render(rows) == (CURATED / "relations.toml").read_text(encoding="utf-8")
    carry = next(r for _, r in rows if r["id"] == "carrying_on_shoulders")
    assert carry["after_object"] == "on their shoulders"
