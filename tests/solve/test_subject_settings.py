"""Settings carried by scene-attribute values other than locations, against brute force.

``[space] setting = "fitting"`` asks every value that carries a setting to fit every object of its scene: a
location ("set in a kitchen": indoors), or a subject genre ("in the genre of still life": no animals; "animal
painting": animals only).  The two types share the exclusive group ``place``, so a scene holds at most one
such value and the space is the disjoint union of one part per (setting, type) and the part without any
(``solve/counted.py``).  On ``tests/data/tiny_subjects.toml`` counts, counts by stratum, enumeration sets on
clingo and CP-SAT and uniform, weighted and stratified sampling agree with ``brute_oracle`` (every labelled
scene filtered by the independent checker, which reads each value's setting), and a hypothesis property checks
the checker's verdict against the rule written out here by hand.
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brute_oracle import expected_shares, fit_pvalues, space
from gas_solver.constraints import parse_constraints
from gas_solver.constraints.check import violations
from gas_solver.errors import GasError
from gas_solver.scene import Scene, SceneAttribute, SceneObject, canonical_id
from gas_solver.solve.count import count_scenes
from gas_solver.solve.counted import setting_parts
from gas_solver.solve.enumerate import enumerate_scenes
from gas_solver.solve.sample import Sampler
from gas_solver.taxonomy import load_taxonomy

FILES = {
    "any-number": "complexity = [1, 3]\nscene_attributes = [0, 1]\n",
    "two": "complexity = [1, 3]\nscene_attributes = [0, 2]\n",
    "located": "complexity = [1, 3]\nscene_attributes = [1, 2]\n",
}
#: what each value admits, by hand (the studio, the genre painting and the mood admit everything)
ADMITS = {
    ("location", "kitchen"): {"cat", "horse", "cup", "okapi"},  # indoors: up to large, no place
    ("location", "field"): {"cat", "horse", "cup", "okapi", "barn"},
    ("subject_genre", "still_life"): {"cup"},
    ("subject_genre", "animal_painting"): {"cat", "horse", "okapi"},
    ("subject_genre", "landscape"): {"cat", "horse", "cup", "okapi", "barn"},
    ("subject_genre", "aerial_photography"): {"horse", "okapi", "barn"},  # a smallest size: large
}
CONCEPTS = ["cat", "horse", "cup", "okapi", "barn"]
VALUES = [("location", "kitchen"), ("location", "field"), ("location", "studio"), ("subject_genre", "still_life"),
          ("subject_genre", "animal_painting"), ("subject_genre", "landscape"), ("subject_genre", "aerial_photography"),
          ("art_genre", "genre_painting"), ("mood", "stormy"),
          ("mood", "calm")]


@pytest.fixture(scope="module")
def tax(data_dir):
    return load_taxonomy(data_dir / "tiny_subjects.toml")


def spec(tax, name, extra=""):
    return parse_constraints(f'[space]\nsetting = "fitting"\n{FILES[name]}{extra}', tax)


@pytest.mark.parametrize("name", sorted(FILES))
def test_counts_equal_brute_force(tax, name):
    sp = spec(tax, name)
    truth = space(tax, sp, 3)
    assert count_scenes(sp, tax) == len(truth)
    for by in ("complexity", "objects"):
        key = {"complexity": lambda s: s.complexity, "objects": lambda s: len(s.objects)}
        assert count_scenes(sp, tax, by=by) == dict(sorted(Counter(key[by](s) for s in truth.values()).items()))


def test_the_rule_matters(tax):
    """A still life holds no cat, an animal painting nothing but animals; one part per (setting, type)."""
    sp = spec(tax, "two")
    loose = parse_constraints(f"[space]\n{FILES['two']}", tax)
    assert count_scenes(sp, tax) < count_scenes(loose, tax)
    cat_still = Scene((SceneObject("cat"),), (), (SceneAttribute("subject_genre", "still_life"),))
    assert violations(cat_still, sp, tax) and not violations(cat_still, loose, tax)
    cup_animals = Scene((SceneObject("cup"), SceneObject("cat")), (),
                        (SceneAttribute("subject_genre", "animal_painting"),))
    assert violations(cup_animals, sp, tax)
    assert not violations(Scene((SceneObject("cat"),), (), (SceneAttribute("subject_genre", "animal_painting"),
                                                             SceneAttribute("mood", "calm"))), sp, tax)
    parts = [(p.bounds.setting, p.bounds.located, p.bounds.place_type) for p in setting_parts(sp, tax)]
    assert parts == [(None, False, "location"), ("aerial", True, "subject_genre"), ("animals", True, "subject_genre"),
                     ("indoor", True, "location"), ("still_life", True, "subject_genre")]
    # a denied value: no stormy kitchen
    kitchen = SceneAttribute("location", "kitchen")
    assert violations(Scene((SceneObject("cup"),), (), (kitchen, SceneAttribute("mood", "stormy"))), sp, tax)
    assert not violations(Scene((SceneObject("cup"),), (), (kitchen, SceneAttribute("mood", "calm"))), sp, tax)
    # a smallest size: aerial photography of a horse, never of a cup
    aerial = (SceneAttribute("subject_genre", "aerial_photography"),)
    assert violations(Scene((SceneObject("horse"), SceneObject("cup")), (), aerial), sp, tax)
    assert not violations(Scene((SceneObject("horse"), SceneObject("barn")), (), aerial), sp, tax)


def test_types_that_meet_are_refused(tax):
    """With every combination of types, a location and a subject genre may meet: no part states both fits."""
    sp = spec(tax, "two", '[semantics]\nscene_attributes = "any"\n')
    with pytest.raises(GasError, match="may meet in one scene"):
        count_scenes(sp, tax)


@pytest.mark.parametrize("backend", ["asp", "cpsat"])
@pytest.mark.parametrize("name", ["any-number", "located"])
def test_enumeration_equals_brute_force(tax, name, backend):
    sp = spec(tax, name)
    truth = space(tax, sp, 3)
    got = [canonical_id(s) for s in enumerate_scenes(sp, tax, backend=backend)]
    assert len(got) == len(set(got)) == len(truth)
    assert set(got) == set(truth)


SOFT = '[[soft]]\npattern = "a:animal"\nweight = 2\n[[soft]]\npattern = "a:* -[riding]-> b:*"\nweight = 3\n'


@pytest.mark.parametrize("path", ["joint", "mixture"])
@pytest.mark.parametrize("law", ["uniform", "stratified", "weighted"])
def test_sampling_fits_chi_square(tax, law, path):
    """Every law, both ways of drawing the union (joint draws from the universal part's tables, or each part
    from its own sampler): the median p-value of three samples is above 0.01."""
    sp = spec(tax, "two", SOFT if law == "weighted" else "")
    truth = space(tax, sp, 3)
    keys = sorted(truth)
    share, kw = expected_shares(law, tax, sp, truth)
    sampler = Sampler(sp, tax, **kw)
    assert sampler._fitting is not None  # the tiny file qualifies for the joint draws
    if path == "mixture":
        sampler._fitting = None
    ps = fit_pvalues(sampler, keys, share)
    assert sorted(ps)[1] > 0.01, ps


@settings(max_examples=200, deadline=None)
@given(objects=st.lists(st.sampled_from(CONCEPTS), min_size=1, max_size=3),
       values=st.lists(st.sampled_from(VALUES), max_size=2, unique_by=lambda v: v[0]))
def test_checker_reads_every_value_setting(tax, objects, values):
    """The checker's fit verdict on any scene is the rule by hand: every value that carries a setting admits
    every object (scenes whose values break the exclusive groups are left to the group rule)."""
    sp = spec(tax, "two")
    groups = [set(tax.scene_attribute_types[t].group.split()) for t, _ in values]
    if len(groups) == 2 and groups[0] & groups[1]:
        return
    scene = Scene(tuple(SceneObject(c) for c in objects), (), tuple(SceneAttribute(t, v) for t, v in values))
    fits = all(set(objects) <= ADMITS.get(v, set(CONCEPTS)) for v in values)
    denied = ("location", "kitchen") in values and ("mood", "stormy") in values  # the indoor setting denies it
    assert (not violations(scene, sp, tax)) == (fits and not denied)
