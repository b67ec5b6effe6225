"""Scene-attribute values that bound their scene's objects (``max_objects``) against brute force.

"An extreme close-up" frames one thing: in a ``setting = "fitting"`` file a scene holding a value with
``max_objects = N`` holds at most ``N`` objects.  The file's space is split (``solve/counted.py`` ``capped_parts``):
every part of the setting union (its places, hiding values, kept settings) into its scenes without such a value and,
per group of values with one bound (fewest objects first), its scenes with a value of the group, none of an earlier
group and at most that many objects.  On ``tests/data/tiny_caps.toml`` (a close-up of one thing that keeps to a
"near" setting or goes indoors; a pop artist and warm tones of at most two things, a studio of three; settings,
hiding and keeping values as in ``tiny_keeps.toml``) counts, counts by stratum, weighted totals, enumeration sets on
both backends and uniform, stratified and weighted sampling agree with the rule stated apart from the solver: the
scenes of the same file over a copy of the taxonomy without ``max_objects``, less those that hold too many objects.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brute_oracle import counts_by, expected_shares, fit_pvalues, space, weights
from gas_solver.constraints import parse_constraints
from gas_solver.constraints.check import violations
from gas_solver.errors import TaxonomyError
from gas_solver.scene import Scene, SceneAttribute, SceneObject, canonical_id
from gas_solver.solve.count import count_scenes, weighted_total
from gas_solver.solve.counted import counted_parts
from gas_solver.solve.enumerate import enumerate_scenes
from gas_solver.solve.sample import Sampler
from gas_solver.taxonomy import load_taxonomy

FIT = '[space]\nsetting = "fitting"\ncomplexity = [1, 3]\n'
FILES = {
    "fitting": FIT + "scene_attributes = [0, 2]\n",
    "hides": "[semantics]\nhides = true\n" + FIT + "scene_attributes = [0, 3]\n",
    "located": FIT + "scene_attributes = [1, 2]\nrequired_scene_attribute_types = [\"view\"]\n",
    "two": FIT + "scene_attributes = [0, 2]\nobjects = [2, 3]\n",
}
SOFT = '[[soft]]\npattern = "a:animal{colour}"\nweight = 2\n[[soft]]\npattern = "a:* -[riding]-> b:*"\nweight = 3\n'
CAPS = {("view", "closeup"): 1, ("style", "pop"): 2, ("tone", "warm"): 2, ("location", "studio"): 3}
CMAX = 3


@pytest.fixture(scope="module")
def tax(data_dir):
    return load_taxonomy(data_dir / "tiny_caps.toml")


def _uncapped(text: str) -> str:
    return re.sub(r", max_objects = \d+", "", text)


@pytest.fixture(scope="module")
def loose_tax(data_dir, tmp_path_factory):
    """The same taxonomy with no value bounding the objects."""
    text = _uncapped((data_dir / "tiny_caps.toml").read_text())
    assert "max_objects =" not in text
    path = tmp_path_factory.mktemp("caps") / "loose.toml"
    path.write_text(text)
    return load_taxonomy(path)


def _fits(scene, caps=CAPS) -> bool:
    """The rule, read straight from the scene."""
    return all(len(scene.objects) <= caps[(a.type, a.value)] for a in scene.scene_attributes
               if (a.type, a.value) in caps)


def _truth(name, loose_tax, extra=""):
    loose = parse_constraints(FILES[name] + extra, loose_tax)
    return {k: s for k, s in space(loose_tax, loose, CMAX).items() if _fits(s)}


def test_parts(tax):
    sp = parse_constraints(FILES["fitting"], tax)
    parts = [p.spec for p in counted_parts(sp, tax)]
    tags = [p.hash.split("|", 1)[1] for p in parts]
    assert tags[:3] == ["location:+outdoor|uncapped", "location:+outdoor|caps:style:2",
                        "location:+outdoor|caps:tone:2"]
    # the close-up's kept part requires the close-up: no part of it without one, and one thing at most
    near = [p for p in parts if p.bounds.setting == "near"]
    assert [(p.bounds.objects.hi, sorted(p.bounds.required_scene_types)) for p in near][0] == (1, ["view"])
    assert all(p.bounds.objects.hi <= 2 for p in near)
    # the studio's bound (3) splits a part only where the file allows more objects
    assert any("caps:location:3" in t for t in tags)
    three = parse_constraints(FILES["fitting"] + "objects = [1, 3]\n", tax)
    assert not any("caps:location" in p.spec.hash for p in counted_parts(three, tax))
    # a file that does not match places and objects has no such part, and its scenes keep every number of objects
    plain = parse_constraints('[space]\ncomplexity = [1, 2]\nscene_attributes = [0, 2]\n', tax)
    assert count_scenes(plain, tax) == len(space(tax, plain, 2))
    assert any(not _fits(s) for s in space(tax, plain, 2).values())


@pytest.mark.parametrize("name", sorted(FILES))
def test_counts_equal_brute_force(tax, loose_tax, name):
    sp = parse_constraints(FILES[name], tax)
    truth = _truth(name, loose_tax)
    assert set(truth) == set(space(tax, sp, CMAX))  # the checker states the same rule
    assert count_scenes(sp, tax) == len(truth)
    for by in ("complexity", "objects", "shape"):
        assert count_scenes(sp, tax, by=by) == counts_by(truth.values(), by)


@pytest.mark.parametrize("name", ["fitting", "hides"])
def test_weighted_count_equals_brute_force(tax, loose_tax, name):
    sp = parse_constraints(FILES[name] + SOFT, tax)
    truth = _truth(name, loose_tax, SOFT)
    assert weighted_total(sp, tax) == sum(weights(tax, sp, truth).values())


@pytest.mark.parametrize("backend", ["asp", "cpsat"])
@pytest.mark.parametrize("name", ["fitting", "hides", "two"])
def test_enumeration_equals_brute_force(tax, loose_tax, name, backend):
    sp = parse_constraints(FILES[name], tax)
    truth = _truth(name, loose_tax)
    got = [canonical_id(s) for s in enumerate_scenes(sp, tax, backend=backend)]
    assert len(got) == len(set(got)) == len(truth)
    assert set(got) == set(truth)


@pytest.mark.parametrize("name, law, path", [("fitting", "uniform", "joint"), ("fitting", "uniform", "mixture"),
                                             ("hides", "stratified", "joint"), ("located", "weighted", "joint")])
def test_sampling_fits_chi_square(tax, loose_tax, name, law, path):
    """The median p-value of three samples (seeds 3, 4, 5) is above 0.01, drawn jointly (sample/fitting.py, the
    bounded parts from their own tables) or as a mixture of the parts' samplers."""
    extra = SOFT if law == "weighted" else ""
    sp = parse_constraints(FILES[name] + extra, tax)
    truth = _truth(name, loose_tax, extra)
    keys = sorted(truth)
    share, kw = expected_shares(law, tax, sp, truth)
    sampler = Sampler(sp, tax, **kw)
    if path == "joint":
        assert sampler._fitting is not None
    else:
        sampler._fitting = None
    ps = fit_pvalues(sampler, keys, share)
    assert sorted(ps)[1] > 0.01, ps


def test_checker_names_the_rule(tax):
    sp = parse_constraints(FILES["fitting"], tax)
    close = SceneAttribute("view", "closeup")
    found = violations(Scene((SceneObject("cat"), SceneObject("cup")), (), (close,)), sp, tax)
    assert found and "at most 1 object" in str(found[0])
    assert not violations(Scene((SceneObject("cat"),), (), (close,)), sp, tax)
    pop, warm = SceneAttribute("style", "pop"), SceneAttribute("tone", "warm")
    assert not violations(Scene((SceneObject("cat"), SceneObject("cup")), (), (pop, warm)), sp, tax)
    found = violations(Scene((SceneObject("cat"), SceneObject("cup"), SceneObject("cat")), (), (pop,)), sp, tax)
    assert found and "at most 2 objects" in str(found[0])


@pytest.mark.parametrize("bad", ["0.5", '"two"', "-1", "true"])
def test_bad_max_objects_is_an_error(tmp_path, data_dir, bad):
    text = (data_dir / "tiny_caps.toml").read_text()
    p = tmp_path / "t.toml"
    p.write_text(text.replace("max_objects = 1", f"max_objects = {bad}", 1))
    with pytest.raises(TaxonomyError, match="max_objects"):
        load_taxonomy(p)


VALUES = (("style", "vista"), ("style", "pop"), ("view", "panorama"), ("view", "closeup"), ("view", "detail"),
          ("tone", "warm"), ("location", "studio"), ("location", "kitchen"), ("medium", "charcoal"))


@settings(max_examples=10, deadline=None)
@given(choice=st.lists(st.sampled_from((0, 0, 1, 2)), min_size=len(VALUES), max_size=len(VALUES)),
       name=st.sampled_from(("fitting", "hides", "two")))
def test_random_caps_equal_brute_force(loose_tax, data_dir, tmp_path_factory, choice, name):
    """Any bound (or none) on any of nine values, places and hiding values among them: the count is the brute-force
    number of the file's scenes over the taxonomy without ``max_objects`` that keep the rule (complexity up to 2)."""
    text = _uncapped((data_dir / "tiny_caps.toml").read_text())
    caps = {}
    for (t, v), n in zip(VALUES, choice):
        if n:
            start = text.index(f'{{ id = "{v}", name = ')
            end = text.index("}", start)
            text = text[:end] + f", max_objects = {n} " + text[end:]
            caps[(t, v)] = n
    path = tmp_path_factory.mktemp("random") / "t.toml"
    path.write_text(text)
    tax = load_taxonomy(path)
    small = FILES[name].replace("complexity = [1, 3]", "complexity = [1, 2]")
    base = space(loose_tax, parse_constraints(small, loose_tax), 2)
    want = sum(1 for s in base.values() if _fits(s, caps))
    assert count_scenes(parse_constraints(small, tax), tax) == want
