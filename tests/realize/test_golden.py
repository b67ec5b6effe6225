"""The golden caption table: exact captions, and each one parses back to its scene."""

from __future__ import annotations

import pytest

from gas_solver.realize import caption, parse_caption
from gas_solver.scene import canonical_id
from gas_solver.taxonomy import RELATION_KINDS, load_taxonomy

from .golden import GOLDEN
from .golden_specs import build


@pytest.fixture(scope="module")
def taxonomies(toy_taxonomy, tricky_taxonomy):
    return {"toy": toy_taxonomy, "tricky": tricky_taxonomy, "default": load_taxonomy()}


def test_table_is_large_enough():
    assert len(GOLDEN) >= 60


@pytest.mark.parametrize("row", GOLDEN, ids=[f"{k}-{r[-1][:40]}" for k, r in enumerate(GOLDEN)])
def test_golden_caption(row, taxonomies):
    tax_name, objects, relations, sattrs, modality, style, seed, expected = row
    tax = taxonomies[tax_name]
    scene = build(objects, relations, sattrs, modality)
    assert caption(scene, tax, style=style, seed=seed) == expected
    assert canonical_id(parse_caption(expected, tax, modality=modality)) == canonical_id(scene)


def test_table_covers_every_relation_kind_and_scene_attribute_type(tricky_taxonomy):
    tax = tricky_taxonomy
    rows = [r for r in GOLDEN if r[0] == "tricky"]
    kinds = {tax.relations[rel.partition(":")[2]].kind for r in rows for rel in r[2]}
    assert kinds == set(RELATION_KINDS)
    for modality in ("image", "video", "3d"):
        used = {a.split("=")[0] for r in rows if r[4] == modality for a in r[3]}
        assert used == {t.id for t in tax.scene_attribute_types_for(modality)}, modality
    assert {r[5] for r in GOLDEN} == {"plain", "varied"}


def test_table_covers_every_scene_attribute_type_of_the_default_taxonomy():
    tax = load_taxonomy()
    for modality in ("image", "video", "3d"):
        used = {a.split("=")[0] for r in GOLDEN if r[0] == "default" and r[4] == modality for a in r[3]}
        assert used >= {t.id for t in tax.scene_attribute_types_for(modality)}, modality


def test_table_covers_groups_and_colour_words():
    captions = [r[-1] for r in GOLDEN]
    assert any(": two are " in c or ": both are " in c for c in captions)
    assert any("-coloured " in c for c in captions)
