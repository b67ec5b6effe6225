"""Scene-attribute values that hide an attribute type (``hides``): "rendered as a charcoal drawing" shows no
colour, so no object of such a scene carries a colour word.  Against brute force.

The file's space is split (``solve/counted.py`` ``hidden_parts``): the scenes without a hiding value, and per
group of hiding values one part that requires one of them and denies the hidden types' values (per-object
domains).  On ``tests/data/tiny_hides.toml`` (a charcoal medium and a sepia tone, in different exclusive groups,
one hiding every colour, one red only; an indoor kitchen, an outdoor field and an unset studio) counts, counts by stratum,
enumeration sets on both backends and uniform, weighted and stratified sampling agree with the rule stated apart
from the solver: the scenes of the same file over a copy of the taxonomy without ``hides``, less those with a
hiding value and a colour word it hides, or (with ``setting = "fitting"``) a hiding value and a location whose setting
admits only some objects (the kitchen).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chisquare

from brute_oracle import counts_by, expected_shares, space, weights
from gas_solver.constraints import parse_constraints
from gas_solver.constraints.check import violations
from gas_solver.scene import Attribute, Scene, SceneAttribute, SceneObject, canonical_id
from gas_solver.solve.count import count_scenes, weighted_total
from gas_solver.solve.counted import counted_parts, hiding_groups
from gas_solver.solve.enumerate import enumerate_scenes
from gas_solver.solve.sample import Sampler
from gas_solver.taxonomy import load_taxonomy

ON = "[semantics]\nhides = true\n"
FILES = {
    "plain": ON + "[space]\ncomplexity = [1, 3]\nscene_attributes = [0, 2]\n",
    "fitting": ON + '[space]\nsetting = "fitting"\ncomplexity = [1, 3]\nscene_attributes = [0, 2]\n',
    "located": ON + '[space]\nsetting = "fitting"\ncomplexity = [1, 3]\nscene_attributes = [1, 2]\n',
    "cyclic": ON + "[space]\ncomplexity = [1, 3]\nscene_attributes = [0, 1]\nacyclic = false\n",
}
SOFT = '[[soft]]\npattern = "a:animal{colour}"\nweight = 2\n[[soft]]\npattern = "a:* -[riding]-> b:*"\nweight = 3\n'
HIDING = {("medium", "charcoal"), ("tone", "sepia")}
#: brute force over complexity up to 3
CMAX = 3


@pytest.fixture(scope="module")
def tax(data_dir):
    return load_taxonomy(data_dir / "tiny_hides.toml")


@pytest.fixture(scope="module")
def loose_tax(data_dir, tmp_path_factory):
    """The same taxonomy with no value hiding anything."""
    text = (data_dir / "tiny_hides.toml").read_text().replace(', hides = ["colour"]', "")
    text = text.replace(', hides = ["colour:red"]', "")
    path = tmp_path_factory.mktemp("hides") / "loose.toml"
    path.write_text(text)
    return load_taxonomy(path)


def _kept(scene, fitting: bool) -> bool:
    """The rule, read straight from the scene: a hiding value goes with no colour word and, in a fitting file,
    with no location that admits only some objects."""
    held = {(a.type, a.value) for a in scene.scene_attributes}
    if not held & HIDING:
        return True
    colours = {a.value for o in scene.objects for a in o.attributes if a.type == "colour"}
    if ("medium", "charcoal") in held and colours or ("tone", "sepia") in held and "red" in colours:
        return False
    return not (fitting and ("location", "kitchen") in held)


def _truth(name, tax, loose_tax, extra=""):
    loose = parse_constraints(FILES[name] + extra, loose_tax)
    assert not loose.hidden_split
    return {k: s for k, s in space(loose_tax, loose, CMAX).items() if _kept(s, "fitting" in FILES[name])}


def test_parts_and_groups(tax):
    sp = parse_constraints(FILES["plain"], tax)
    assert sp.hidden_split
    assert hiding_groups(sp, tax) == [("medium", ("charcoal",), frozenset({("colour", "red"), ("colour", "brown")})),
                                      ("tone", ("sepia",), frozenset({("colour", "red")}))]
    parts = [p.spec for p in counted_parts(sp, tax)]
    assert [(p.bounds.located, p.bounds.place_type) for p in parts] == [(False, "location"), (True, "medium"),
                                                                         (True, "tone")]
    assert not any(p.hidden_split for p in parts)
    # no colour in the file, no scene attribute, or no semantics: nothing to hide, no split
    for text in (ON + '[space]\nscene_attributes = [0, 2]\n[vocabulary]\nattribute_types = []\n',
                 ON + "[space]\nscene_attributes = [0, 0]\n", "[space]\nscene_attributes = [0, 2]\n",
                 "semantic = false\n" + ON + "[space]\nscene_attributes = [0, 2]\n"):
        assert not parse_constraints(text, tax).hidden_split


@pytest.mark.parametrize("name", sorted(FILES))
def test_counts_equal_brute_force(tax, loose_tax, name):
    sp = parse_constraints(FILES[name], tax)
    truth = _truth(name, tax, loose_tax)
    assert set(truth) == set(space(tax, sp, CMAX))  # the checker states the same rule
    assert count_scenes(sp, tax) == len(truth)
    for by in ("complexity", "objects", "shape"):
        assert count_scenes(sp, tax, by=by) == counts_by(truth.values(), by)


def test_weighted_count_equals_brute_force(tax, loose_tax):
    sp = parse_constraints(FILES["fitting"] + SOFT, tax)
    truth = _truth("fitting", tax, loose_tax, SOFT)
    assert weighted_total(sp, tax) == sum(weights(tax, sp, truth).values())


@pytest.mark.parametrize("backend", ["asp", "cpsat"])
@pytest.mark.parametrize("name", ["plain", "fitting"])
def test_enumeration_equals_brute_force(tax, loose_tax, name, backend):
    sp = parse_constraints(FILES[name], tax)
    got = [canonical_id(s) for s in enumerate_scenes(sp, tax, backend=backend)]
    assert len(got) == len(set(got)) == len(_truth(name, tax, loose_tax))
    assert set(got) == set(_truth(name, tax, loose_tax))


def _pvalues(sampler, keys, expected_share, draws):
    out = []
    for seed in (3, 4, 5):
        c = Counter(canonical_id(s) for s in sampler.sample(draws, seed=seed))
        assert set(c) <= set(keys)
        obs = np.array([c[k] for k in keys], dtype=float)
        out.append(chisquare(obs, draws * expected_share).pvalue)
    return out


@pytest.mark.parametrize("name, law, path", [("plain", "uniform", "mixture"), ("fitting", "uniform", "joint"),
                                             ("fitting", "uniform", "mixture"), ("fitting", "stratified", "joint"),
                                             ("located", "weighted", "joint")])
def test_sampling_fits_chi_square(tax, loose_tax, name, law, path):
    """The median p-value of three samples is above 0.01, drawn jointly (a fitting union: sample/fitting.py, the
    hiding parts from their own tables) or as a mixture of the parts' samplers."""
    extra = SOFT if law == "weighted" else ""
    sp = parse_constraints(FILES[name] + extra, tax)
    truth = _truth(name, tax, loose_tax, extra)
    keys = sorted(truth)
    share, kw = expected_shares(law, tax, sp, truth)
    sampler = Sampler(sp, tax, **kw)
    if path == "joint":  # a fitting union: drawn jointly, its hiding parts from their own tables
        assert sampler._fitting is not None and sampler._fitting.own.any()
    else:
        sampler._fitting = None
    ps = _pvalues(sampler, keys, share, 20 * len(keys))
    assert sorted(ps)[1] > 0.01, ps


def test_checker_names_the_rule(tax):
    sp = parse_constraints(FILES["fitting"], tax)
    red_cat = SceneObject("cat", (Attribute("colour", "red"),))
    charcoal = SceneAttribute("medium", "charcoal")
    found = violations(Scene((red_cat,), (), (charcoal,)), sp, tax)
    assert found and "charcoal shows no colour" in str(found[0])
    assert violations(Scene((SceneObject("cat"),), (), (charcoal, SceneAttribute("location", "kitchen"))), sp, tax)
    assert not violations(Scene((SceneObject("cat"),), (), (charcoal, SceneAttribute("location", "field"))), sp, tax)
    assert not violations(Scene((red_cat,), (), (SceneAttribute("medium", "oil"),)), sp, tax)


HIDES = ("", '"colour"', '"colour:red"', '"colour:brown"', '"colour:red", "colour:brown"')


@settings(max_examples=25, deadline=None)
@given(hides=st.lists(st.sampled_from(HIDES), min_size=4, max_size=4), fitting=st.booleans(),
       located=st.booleans())
def test_any_hiding_rules_equal_the_rule_stated_apart(data_dir, tmp_path_factory, hides, fitting, located):
    """Whatever each value hides (nothing, every colour, one colour, both), the count and the listing equal the
    rule-free space filtered by the rule: a scene's colour words avoid every value its scene attributes hide, and
    two values that hide different colours (neither all the other's) never meet."""
    text = (data_dir / "tiny_hides.toml").read_text().replace(', hides = ["colour"]', "")
    text = text.replace(', hides = ["colour:red"]', "")
    loose_path = tmp_path_factory.mktemp("loose") / "loose.toml"
    loose_path.write_text(text)
    hidden = {}
    for (t, v), h in zip((("medium", "charcoal"), ("medium", "oil"), ("tone", "sepia"), ("tone", "warm")), hides):
        if h:
            text = text.replace(f'{{ id = "{v}", name = "', f'{{ hides = [{h}], id = "{v}", name = "', 1)
            hidden[(t, v)] = {x.split(":")[1] if ":" in x else c for x in h.replace('"', "").split(", ")
                              for c in ("red", "brown") if ":" not in x or x.split(":")[1] == c}
    path = tmp_path_factory.mktemp("hides") / "hides.toml"
    path.write_text(text)
    tax, loose_tax = load_taxonomy(path), load_taxonomy(loose_path)
    head = ON + "[space]\ncomplexity = [1, 2]\n" + ('setting = "fitting"\n' if fitting else "")
    head += "scene_attributes = [1, 2]\n" if located else "scene_attributes = [0, 2]\n"
    sp = parse_constraints(head, tax)

    def kept(scene):
        held = {(a.type, a.value) for a in scene.scene_attributes}
        present = [hidden[h] for h in held if h in hidden]
        if present and not any(all(q <= p for q in present) for p in present):
            return False  # two values that hide different things never meet
        gone = set().union(*present)
        if any(a.type == "colour" and a.value in gone for o in scene.objects for a in o.attributes):
            return False
        return not (fitting and gone and ("location", "kitchen") in held)

    truth = {k for k, s in space(loose_tax, parse_constraints(head, loose_tax), 2).items() if kept(s)}
    assert count_scenes(sp, tax) == len(truth)
    assert {canonical_id(s) for s in enumerate_scenes(sp, tax, backend="asp")} == truth
