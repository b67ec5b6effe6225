"""Files that differ only in their scene attributes share one grounding and one pair of label models.

The parts of the default file's ``setting = "fitting"`` union of one setting (its locations, subject genres,
views, horizons) ground to the same concepts, classes and predicate masks: ``ground`` reuses the first one's
(``domain.graph_key``) with each part's own scene options and required type, and ``Space`` its label models.
The reused domain equals a fresh grounding field by field; counts are checked against brute force on the tiny
taxonomies by ``test_fitting_settings.py`` and ``test_subject_settings.py``.
"""

from __future__ import annotations

import pytest

from gas_solver.constraints import load_default_constraints
from gas_solver.solve import domain as domain_module
from gas_solver.solve.count import space_of
from gas_solver.solve.counted import counted_parts
from gas_solver.solve.domain import graph_key, ground
from gas_solver.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def default():
    tax = load_taxonomy()
    spec = load_default_constraints(tax)
    # (the counted parts: the setting union's parts as the counter sees them, with the default file's hiding
    # values split off)
    return tax, {p.spec.hash.split("|", 1)[1]: p.spec for p in counted_parts(spec, tax)}


def test_parts_of_one_setting_share_their_grounding(default):
    tax, parts = default
    loc, genre, view = parts["location:home"], parts["subject_genre:home"], parts["subject_view:home"]
    assert graph_key(loc) == graph_key(genre) == graph_key(view) != graph_key(parts["location:public"])
    dl, dg = ground(loc, tax), ground(genre, tax)
    assert dl.classes is dg.classes and dl.spec is loc and dg.spec is genre
    assert dl.scene_required == {"location"} and dg.scene_required == {"subject_genre"}
    assert "location" not in dg.scene_options and "subject_genre" not in dl.scene_options
    assert space_of(loc, tax).count_model is space_of(genre, tax).count_model


@pytest.mark.parametrize("name", ["subject_genre:home", "horizon:shore", "subject_view:water"])
def test_reused_grounding_equals_a_fresh_one(default, name):
    tax, parts = default
    spec = parts[name]
    shared, fresh = ground(spec, tax), domain_module._ground(spec, tax, True)
    assert shared is not fresh
    for field in ("concepts", "predicate_ids", "scene_options", "scene_groups", "scene_required", "concept_sets",
                  "exclusions", "ratio_bands", "_class_of"):
        assert getattr(shared, field) == getattr(fresh, field), field
    assert [(k.concepts, k.attribute_options, k.subject_mask, k.object_mask, k.members, k.counted)
            for k in shared.classes] == [(k.concepts, k.attribute_options, k.subject_mask, k.object_mask, k.members,
                                          k.counted) for k in fresh.classes]
