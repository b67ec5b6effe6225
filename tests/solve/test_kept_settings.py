"""Scene-attribute values that keep their scene to a setting (``keeps``) against brute force.

"In the style of Thomas Cole" shows the open land: in a ``setting = "fitting"`` file a scene with such a value holds
no value that hides an attribute of the file's objects, and either a location (genre, view) of a setting the value
lists and that restricts the file's objects ("set in a valley"), or none, and then only objects that fit the value's
first setting and no scene attribute that setting denies (all its keeping values keeping that one).  The file's
space is split (``solve/counted.py`` ``kept_parts``): the file's parts, each with the keeping values that go with
its place, and per group of keeping values one part with the first setting's objects (a domain) and a value of the
group required.  On ``tests/data/tiny_keeps.toml`` (a vista and a panorama that keep the open land, no cups, and
go with a meadow; an interior that keeps indoors, no barn and no warm tones, and goes with a kitchen; a field whose
setting admits every object; a studio without a setting; hiding values) counts, counts by stratum, weighted
totals, enumeration sets on both backends and uniform, stratified and weighted sampling agree with the rule stated
apart from the solver: the scenes of the same file over a copy of the taxonomy without ``keeps``, less those that
break the rule.
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
    "cyclic": FIT + "scene_attributes = [0, 2]\nacyclic = false\n",
}
SOFT = '[[soft]]\npattern = "a:animal{colour}"\nweight = 2\n[[soft]]\npattern = "a:* -[riding]-> b:*"\nweight = 3\n'
KEEPS = {("style", "vista"): "open", ("view", "panorama"): "open outdoor", ("view", "interior"): "indoor"}
#: the settings of the locations (the studio has none); outdoor admits every object of the files, so it restricts none
PLACES = {("location", "kitchen"): "indoor", ("location", "field"): "outdoor", ("location", "meadow"): "open"}
RESTRICTING = {"indoor", "open"}
HIDING = {("medium", "charcoal"), ("tone", "sepia")}
CMAX = 3


@pytest.fixture(scope="module")
def tax(data_dir):
    return load_taxonomy(data_dir / "tiny_keeps.toml")


def _without_keeps(text: str) -> str:
    return re.sub(r', keeps = "[a-z ]*" ?', "", text)


@pytest.fixture(scope="module")
def loose_tax(data_dir, tmp_path_factory):
    """The same taxonomy with no value keeping a setting."""
    text = _without_keeps((data_dir / "tiny_keeps.toml").read_text())
    assert "keeps" not in text.split("[[categories]]", 1)[1]
    path = tmp_path_factory.mktemp("keeps") / "loose.toml"
    path.write_text(text)
    return load_taxonomy(path)


def _kept(scene, tax, keeps=KEEPS, hides=False) -> bool:
    """The rule, read straight from the scene."""
    held = [(a.type, a.value) for a in scene.scene_attributes]
    kept = [keeps[h].split() for h in held if h in keeps]
    if not kept:
        return True
    if hides and set(held) & HIDING:
        return False
    places = [PLACES[h] for h in held if h in PLACES]
    if places:
        return all(s in RESTRICTING and all(s in ss for ss in kept) for s in places)
    firsts = {ss[0] for ss in kept}
    if len(firsts) > 1:
        return False
    (s,) = firsts
    return (all(tax.setting_fits(s, o.concept) for o in scene.objects)
            and not any(tax.setting_denies(s, t, v) for t, v in held))


def _truth(name, tax, loose_tax, extra=""):
    loose = parse_constraints(FILES[name] + extra, loose_tax)
    return {k: s for k, s in space(loose_tax, loose, CMAX).items() if _kept(s, tax, hides="hides" in name)}


def test_parts(tax):
    sp = parse_constraints(FILES["hides"], tax)
    tags = [p.spec.hash.split("|")[1:] for p in counted_parts(sp, tax)]
    assert [t[-1] for t in tags][-3:] == ["keeps:style:open", "keeps:view:indoor", "keeps:view:open"]
    kept = [p.spec for p in counted_parts(sp, tax)][-3:]
    assert [(p.bounds.setting, p.bounds.located, p.bounds.place_type) for p in kept] == [
        ("open", True, "style"), ("indoor", True, "view"), ("open", True, "view")]
    # a file that does not match places and objects has no such part
    plain = parse_constraints('[space]\ncomplexity = [1, 2]\nscene_attributes = [0, 2]\n', tax)
    assert count_scenes(plain, tax) == len(space(tax, plain, 2))
    assert any(("style", "vista") in {(a.type, a.value) for a in s.scene_attributes}
               and any(o.concept == "cup" for o in s.objects) for s in space(tax, plain, 2).values())


@pytest.mark.parametrize("name", sorted(FILES))
def test_counts_equal_brute_force(tax, loose_tax, name):
    sp = parse_constraints(FILES[name], tax)
    truth = _truth(name, tax, loose_tax)
    assert set(truth) == set(space(tax, sp, CMAX))  # the checker states the same rule
    assert count_scenes(sp, tax) == len(truth)
    for by in ("complexity", "objects", "shape"):
        assert count_scenes(sp, tax, by=by) == counts_by(truth.values(), by)


@pytest.mark.parametrize("name", ["fitting", "hides"])
def test_weighted_count_equals_brute_force(tax, loose_tax, name):
    sp = parse_constraints(FILES[name] + SOFT, tax)
    truth = _truth(name, tax, loose_tax, SOFT)
    assert weighted_total(sp, tax) == sum(weights(tax, sp, truth).values())


@pytest.mark.parametrize("backend", ["asp", "cpsat"])
@pytest.mark.parametrize("name", ["fitting", "hides"])
def test_enumeration_equals_brute_force(tax, loose_tax, name, backend):
    sp = parse_constraints(FILES[name], tax)
    truth = _truth(name, tax, loose_tax)
    got = [canonical_id(s) for s in enumerate_scenes(sp, tax, backend=backend)]
    assert len(got) == len(set(got)) == len(truth)
    assert set(got) == set(truth)


@pytest.mark.parametrize("name, law, path", [("fitting", "uniform", "joint"), ("fitting", "uniform", "mixture"),
                                             ("hides", "stratified", "joint"), ("located", "weighted", "joint")])
def test_sampling_fits_chi_square(tax, loose_tax, name, law, path):
    """The median p-value of three samples (seeds 3, 4, 5) is above 0.01, drawn jointly (sample/fitting.py) or as
    a mixture of the parts' samplers."""
    extra = SOFT if law == "weighted" else ""
    sp = parse_constraints(FILES[name] + extra, tax)
    truth = _truth(name, tax, loose_tax, extra)
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
    vista = SceneAttribute("style", "vista")
    found = violations(Scene((SceneObject("cup"),), (), (vista,)), sp, tax)
    assert found and "keeps to open" in str(found[0])
    assert not violations(Scene((SceneObject("cat"),), (), (vista, SceneAttribute("location", "meadow"))), sp, tax)
    assert violations(Scene((SceneObject("cat"),), (), (vista, SceneAttribute("location", "kitchen"))), sp, tax)
    panorama = SceneAttribute("view", "panorama")
    assert violations(Scene((SceneObject("cat"),), (), (panorama, SceneAttribute("location", "field"))), sp, tax)
    assert violations(Scene((SceneObject("cat"),), (), (vista, SceneAttribute("view", "interior"))), sp, tax)
    assert violations(Scene((SceneObject("cat"),), (), (SceneAttribute("view", "interior"),
                                                        SceneAttribute("tone", "warm"))), sp, tax)
    assert not violations(Scene((SceneObject("cat"),), (), (vista, SceneAttribute("location", "studio"))), sp, tax)
    assert not violations(Scene((SceneObject("barn"),), (), (vista, SceneAttribute("view", "panorama"))), sp, tax)


@pytest.mark.parametrize("edit, message", [
    ('keeps = "open" }', 'keeps = "open indor" }'),
    ('{ id = "panorama", name = "a panorama", keeps = "open outdoor" }',
     '{ id = "panorama", name = "a panorama", keeps = "open outdoor", setting = "outdoor" }'),
    ('{ id = "interior", name = "an interior", keeps = "indoor" }',
     '{ id = "interior", name = "an interior", keeps = "indoor", hides = ["colour"] }'),
])
def test_bad_keeps_is_an_error(tmp_path, data_dir, edit, message):
    text = (data_dir / "tiny_keeps.toml").read_text()
    assert edit in text
    p = tmp_path / "t.toml"
    p.write_text(text.replace(edit, message, 1))
    with pytest.raises(TaxonomyError, match="keeps"):
        load_taxonomy(p)


VALUES = (("style", "vista"), ("style", "pop"), ("view", "panorama"), ("view", "interior"), ("view", "detail"),
          ("tone", "warm"))


@settings(max_examples=10, deadline=None)
@given(choice=st.lists(st.sampled_from(("", "open", "indoor", "outdoor", "open indoor", "indoor open outdoor")),
                       min_size=len(VALUES),
                       max_size=len(VALUES)),
       name=st.sampled_from(("fitting", "hides")))
def test_random_keeps_equal_brute_force(loose_tax, data_dir, tmp_path_factory, choice, name):
    """Any settings (or none) kept by any of six values: the count is the brute-force number of the file's scenes
    over the taxonomy without ``keeps`` that keep the rule (complexity up to 2)."""
    text = _without_keeps((data_dir / "tiny_keeps.toml").read_text())
    keeps = {}
    for (t, v), s in zip(VALUES, choice):
        if s:
            start = text.index(f'{{ id = "{v}", name = ')
            end = text.index("}", start)
            text = text[:end] + f', keeps = "{s}" ' + text[end:]
            keeps[(t, v)] = s
    path = tmp_path_factory.mktemp("random") / "t.toml"
    path.write_text(text)
    tax = load_taxonomy(path)
    small = FILES[name].replace("complexity = [1, 3]", "complexity = [1, 2]")
    base = space(loose_tax, parse_constraints(small, loose_tax), 2)
    want = sum(1 for s in base.values() if _kept(s, tax, keeps, hides=name == "hides"))
    assert count_scenes(parse_constraints(small, tax), tax) == want
