"""Scene-attribute types every scene holds (``[space] required_scene_attribute_types``) against brute force.

A video prompt of ``constraints/video_camera_moves.toml`` names a camera movement: the file requires the type, so
no row is a still shot of two unrelated things.  The solver reads the requirement as the parts of a
``setting = "fitting"`` union read their place type (``Domain.scene_required``): the scene-attribute factor keeps
the choices that hold every required type.  On ``tests/data/tiny_hides.toml`` (a location whose values carry
settings, a medium and a tone whose values hide colours, in exclusive groups of their own) counts, counts by
stratum, weighted totals, enumeration sets on both backends and uniform, stratified and weighted sampling agree
with the rule stated apart from the solver: the scenes of the same file without the requirement (brute force,
``brute_oracle.space``) that hold a scene attribute of each required type.  The fitting union (location parts) and
the hiding parts (medium, tone) meet the requirement in every combination.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brute_oracle import counts_by, expected_shares, fit_pvalues, space, weights
from gas_solver.constraints import parse_constraints
from gas_solver.constraints.check import violations
from gas_solver.errors import ConstraintFileError
from gas_solver.scene import Scene, SceneAttribute, SceneObject, canonical_id
from gas_solver.solve.count import count_scenes, weighted_total
from gas_solver.solve.enumerate import enumerate_scenes
from gas_solver.solve.sample import Sampler
from gas_solver.taxonomy import load_taxonomy

ON = "[semantics]\nhides = true\n"
BASE = {
    "plain": ON + "[space]\ncomplexity = [1, 3]\nscene_attributes = [0, 2]\n",
    "fitting": ON + '[space]\nsetting = "fitting"\ncomplexity = [1, 3]\nscene_attributes = [0, 2]\n',
    "cyclic": ON + "[space]\ncomplexity = [1, 3]\nscene_attributes = [1, 3]\nacyclic = false\n",
}
#: (file, required types)
CASES = {
    "tone": ("plain", ("tone",)),
    "medium": ("plain", ("medium",)),
    "medium-tone": ("plain", ("medium", "tone")),
    "location-fitting": ("fitting", ("location",)),
    "medium-fitting": ("fitting", ("medium",)),
    "tone-location-fitting": ("fitting", ("location", "tone")),
    "medium-cyclic": ("cyclic", ("medium",)),
}
SOFT = '[[soft]]\npattern = "a:animal{colour}"\nweight = 2\n[[soft]]\npattern = "a:* -[riding]-> b:*"\nweight = 3\n'
CMAX = 3


@pytest.fixture(scope="module")
def tax(data_dir):
    return load_taxonomy(data_dir / "tiny_hides.toml")


def _text(case: str, extra: str = "") -> str:
    base, required = CASES[case]
    line = "required_scene_attribute_types = [" + ", ".join(f'"{t}"' for t in required) + "]\n"
    return BASE[base] + line + extra


def _truth(tax, case: str, extra: str = "") -> dict:
    """The file's scenes without the requirement (brute force) that hold a scene attribute of each required type."""
    base, required = CASES[case]
    loose = parse_constraints(BASE[base] + extra, tax)
    assert not loose.bounds.required_scene_types
    return {k: s for k, s in space(tax, loose, CMAX).items()
            if set(required) <= {a.type for a in s.scene_attributes}}


@pytest.mark.parametrize("case", sorted(CASES))
def test_counts_equal_brute_force(tax, case):
    sp = parse_constraints(_text(case), tax)
    truth = _truth(tax, case)
    assert truth and set(truth) == set(space(tax, sp, CMAX))  # the checker states the same rule
    assert count_scenes(sp, tax) == len(truth)
    for by in ("complexity", "objects", "shape"):
        assert count_scenes(sp, tax, by=by) == counts_by(truth.values(), by)


@pytest.mark.parametrize("case", ["medium-tone", "tone-location-fitting"])
def test_weighted_count_equals_brute_force(tax, case):
    sp = parse_constraints(_text(case, SOFT), tax)
    truth = _truth(tax, case, SOFT)
    assert weighted_total(sp, tax) == sum(weights(tax, sp, truth).values())


@pytest.mark.parametrize("backend", ["asp", "cpsat"])
@pytest.mark.parametrize("case", ["tone", "medium-fitting", "tone-location-fitting"])
def test_enumeration_equals_brute_force(tax, case, backend):
    sp = parse_constraints(_text(case), tax)
    truth = _truth(tax, case)
    got = [canonical_id(s) for s in enumerate_scenes(sp, tax, backend=backend)]
    assert len(got) == len(set(got)) == len(truth)
    assert set(got) == set(truth)


@pytest.mark.parametrize("case, law", [("medium-tone", "uniform"), ("medium-fitting", "uniform"),
                                       ("tone-location-fitting", "stratified"), ("location-fitting", "weighted")])
def test_sampling_fits_chi_square(tax, case, law):
    """The median p-value of three samples (seeds 3, 4, 5) is above 0.01, and every draw holds the types."""
    extra = SOFT if law == "weighted" else ""
    sp = parse_constraints(_text(case, extra), tax)
    truth = _truth(tax, case, extra)
    keys = sorted(truth)
    share, kw = expected_shares(law, tax, sp, truth)
    sampler = Sampler(sp, tax, **kw)
    ps = fit_pvalues(sampler, keys, share)
    assert sorted(ps)[1] > 0.01, ps


def test_the_requirement_changes_the_space_and_the_checker_names_it(tax):
    plain = parse_constraints(BASE["plain"], tax)
    sp = parse_constraints(_text("tone"), tax)
    assert count_scenes(sp, tax) < count_scenes(plain, tax)
    cat = SceneObject("cat")
    found = violations(Scene((cat,), (), (SceneAttribute("medium", "oil"),)), sp, tax)
    assert found and "required_scene_attribute_types" in str(found[0])
    assert not violations(Scene((cat,), (), (SceneAttribute("tone", "warm"),)), sp, tax)


@pytest.mark.parametrize("line, message", [
    ('required_scene_attribute_types = ["tones"]', "unknown scene-attribute type 'tones'"),
    ('required_scene_attribute_types = "tone"', "expected an array of strings"),
    ('required_scene_attribute_types = ["medium", "tone", "location"]', "allows at most 2"),
])
def test_bad_requirement_is_an_error(tax, line, message):
    with pytest.raises(ConstraintFileError, match=message) as err:
        parse_constraints(BASE["plain"] + line + "\n", tax)
    assert "required_scene_attribute_types" in str(err.value)


def test_requirement_outside_the_vocabulary_is_an_error(tax):
    text = _text("tone") + '[vocabulary]\nscene_attribute_types = ["medium", "location"]\n'
    with pytest.raises(ConstraintFileError, match="'tone' is not in the file's vocabulary"):
        parse_constraints(text, tax)


def test_two_required_types_of_one_group_are_an_error(data_dir, tmp_path):
    text = (data_dir / "tiny_hides.toml").read_text()
    assert 'group = "tone"' in text
    p = tmp_path / "t.toml"
    p.write_text(text.replace('group = "tone"', 'group = "rendering"', 1))
    tax = load_taxonomy(p)
    with pytest.raises(ConstraintFileError, match="share the exclusive group 'rendering'"):
        parse_constraints(BASE["plain"] + 'required_scene_attribute_types = ["medium", "tone"]\n', tax)
    # with scene_attributes = "any" the groups do not bind, and the two may meet
    loose = parse_constraints('[semantics]\nscene_attributes = "any"\n' + BASE["plain"].replace(ON, "")
                              + 'required_scene_attribute_types = ["medium", "tone"]\n', tax)
    truth = space(tax, loose, CMAX)
    assert truth and all({"medium", "tone"} <= {a.type for a in s.scene_attributes} for s in truth.values())
    assert count_scenes(loose, tax) == len(truth)


@settings(max_examples=12, deadline=None)
@given(base=st.sampled_from(sorted(BASE)), required=st.sets(st.sampled_from(("location", "medium", "tone")),
                                                             min_size=1, max_size=2),
       lo=st.integers(0, 2))
def test_random_requirements_equal_brute_force(tax, base, required, lo):
    """Any one or two required types, over any of the files and a random lower bound on the number of scene
    attributes: the count is the brute-force number of the file's scenes that hold every required type."""
    text = BASE[base].replace("scene_attributes = [0, 2]", f"scene_attributes = [{lo}, 2]")
    text = text.replace("scene_attributes = [1, 3]", f"scene_attributes = [{lo}, 3]")
    loose = parse_constraints(text, tax)
    want = sum(1 for s in space(tax, loose, CMAX).values() if required <= {a.type for a in s.scene_attributes})
    line = "required_scene_attribute_types = [" + ", ".join(f'"{t}"' for t in sorted(required)) + "]\n"
    assert count_scenes(parse_constraints(text + line, tax), tax) == want


def test_the_video_file_counts_by_inclusion_and_exclusion():
    """``constraints/video_camera_moves.toml`` on the default taxonomy: its scenes are those of the same file
    without the requirement, less those of the file whose vocabulary has no camera movement at all."""
    from pathlib import Path

    default = load_taxonomy()
    text = (Path(__file__).resolve().parents[2] / "constraints" / "video_camera_moves.toml").read_text()
    line = 'required_scene_attribute_types = ["camera_movement"]\n'
    assert line in text
    loose = text.replace(line, "")
    still = loose.replace('scene_attribute_types = ["camera_movement", "lighting", "weather"]',
                          'scene_attribute_types = ["lighting", "weather"]')
    assert still != loose
    want = count_scenes(parse_constraints(loose, default), default) - count_scenes(parse_constraints(still, default),
                                                                                   default)
    assert count_scenes(parse_constraints(text, default), default) == want > 0
