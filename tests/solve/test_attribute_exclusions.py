"""Attribute exclusions (cross-type pairs of values one object never carries) against brute force.

``tests/data/tiny_exclusions.toml`` links colour - pattern ("multicoloured" beside a colour) and material -
finish - condition - age (transparent wood, rusty glass, new and rusty).  Counts (total, by complexity, by
shape), enumeration sets on both backends and uniform sampling (chi-square) must equal the independent brute
force of ``brute_oracle`` (every labelled scene, filtered by the checker, which asks
``Taxonomy.attributes_exclude``), with the ``[semantics] exclusions`` switch on and off, with patterns that
look at a type of a rule (present types split their atoms by the rules), and with four attributes on one object
(the walk over linked types).
"""

from __future__ import annotations

from collections import Counter

import pytest

from brute_oracle import space, uniformity_pvalue
from gas_solver.constraints import parse_constraints
from gas_solver.constraints.model import Bounds, ConstraintSpec, IntRange
from gas_solver.errors import TaxonomyError
from gas_solver.scene import Attribute, Scene, SceneObject, canonical_id
from gas_solver.constraints.check import violations
from gas_solver.solve.count import count_scenes, weighted_total
from gas_solver.solve.enumerate import enumerate_scenes
from gas_solver.solve.exclusions import free_polynomial, label_exclusions
from gas_solver.solve.sample import sample_scenes
from gas_solver.taxonomy import load_taxonomy, taxonomy_from_dict


def spec(cmax=3, **kw):
    return ConstraintSpec(bounds=Bounds(complexity=IntRange(1, cmax)), **kw)


@pytest.fixture(scope="module")
def tax(data_dir):
    return load_taxonomy(data_dir / "tiny_exclusions.toml")


def patterned(tax, body: str, cmax: int = 3):
    return parse_constraints(f"[space]\ncomplexity = [1, {cmax}]\n{body}", tax)


def cases(tax):
    return {
        "on": spec(),
        "off": spec(exclusions=False),
        "semantic-false": spec(semantic=False),
        # a pattern that looks at material (a rule type): present atoms split by the rules
        "require-metal": patterned(tax, '[[require]]\npattern = "a:*{material=metal}"\n'),
        "forbid-striped": patterned(tax, '[[forbid]]\npattern = "a:*{pattern=striped}"\n'),
        "soft-colour": patterned(tax, '[[soft]]\npattern = "a:*{colour=blue}"\nweight = 3\n'),
    }


def test_rules_as_loaded(tax):
    by_id = {r.id: r for r in tax.attribute_exclusions}
    assert by_id["many_colours"].other_values == {"brown", "blue"}  # no values: every value of the type
    assert by_id["see_through"].other_values == {"wooden", "metal"}  # except = every other value
    assert tax.attributes_exclude([("pattern", "multicoloured"), ("colour", "blue")]).id == "many_colours"
    assert tax.attributes_exclude([("colour", "blue"), ("pattern", "multicoloured")]).id == "many_colours"
    assert tax.attributes_exclude([("finish", "transparent"), ("material", "glass")]) is None
    assert tax.attributes_exclude([("age", "new"), ("condition", "clean")]) is None


def test_checker_flags_an_excluded_pair(tax):
    bad = Scene((SceneObject("chair", (Attribute("material", "wooden"), Attribute("finish", "transparent"))),))
    good = Scene((SceneObject("chair", (Attribute("material", "glass"), Attribute("finish", "transparent"))),))
    assert violations(bad, spec(), tax) and not violations(good, spec(), tax)
    assert not violations(bad, spec(exclusions=False), tax)


def test_free_polynomial_by_hand():
    """colour {brown, blue}, pattern {multicoloured, striped}, multicoloured excludes both colours:
    sets of two attributes are 2*2 - 2 = 2 (brown or blue with striped)."""
    free = (("colour", ("brown", "blue")), ("pattern", ("multicoloured", "striped")))
    rules = ((("pattern", frozenset({"multicoloured"})), ("colour", frozenset({"brown", "blue"}))),)
    assert free_polynomial(free, label_exclusions(free, rules)) == (1, 4, 2)
    # a chain a - b - c: a1 excludes b1, b1 excludes c1 (one value each side)
    free = (("a", ("a1", "a2")), ("b", ("b1", "b2")), ("c", ("c1", "c2")))
    rules = ((("a", frozenset({"a1"})), ("b", frozenset({"b1"}))),
             (("b", frozenset({"b1"})), ("c", frozenset({"c1"}))))
    brute = [0, 0, 0, 0]
    import itertools
    for k in range(4):
        for ts in itertools.combinations(range(3), k):
            for vals in itertools.product(*[free[t][1] for t in ts]):
                got = set(vals)
                if not ({"a1", "b1"} <= got or {"b1", "c1"} <= got):
                    brute[k] += 1
    assert list(free_polynomial(free, label_exclusions(free, rules))) == brute
    # with "b" present (always there, one value): sets of k free attributes over a and c
    slots = (free[1], free[0], free[2])
    brute = [0, 0, 0]
    for k in range(3):
        for ts in itertools.combinations((0, 2), k):
            for b in free[1][1]:
                for vals in itertools.product(*[free[t][1] for t in ts]):
                    got = {b, *vals}
                    if not ({"a1", "b1"} <= got or {"b1", "c1"} <= got):
                        brute[k] += 1
    assert list(free_polynomial(slots, label_exclusions(slots, rules), 1)) == brute


@pytest.mark.parametrize("case", ["on", "off", "semantic-false", "require-metal", "forbid-striped"])
def test_counts_equal_brute_force(tax, case):
    sp = cases(tax)[case]
    truth = space(tax, sp, 3)
    assert count_scenes(sp, tax) == len(truth)
    assert count_scenes(sp, tax, by="complexity") == dict(Counter(s.complexity for s in truth.values()))
    assert count_scenes(sp, tax, by="shape") == dict(Counter(s.shape for s in truth.values()))


def test_weighted_count_equals_brute_force(tax):
    from brute_oracle import total_weight
    sp = cases(tax)["soft-colour"]
    assert weighted_total(sp, tax) == total_weight(tax, sp, space(tax, sp, 3))


def test_four_attributes_on_one_object(tax):
    """One object with up to four attributes: the walk over material - finish - condition - age."""
    sp = ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 5), objects=IntRange(1, 1)))
    truth = space(tax, sp, 5)
    assert count_scenes(sp, tax) == len(truth)
    assert count_scenes(sp, tax, by="complexity") == dict(Counter(s.complexity for s in truth.values()))


def test_the_rules_change_the_space(tax):
    n = {c: count_scenes(sp, tax) for c, sp in cases(tax).items() if c in ("on", "off")}
    assert n["on"] < n["off"]


@pytest.mark.parametrize("backend", ["asp", "cpsat"])
@pytest.mark.parametrize("case", ["on", "off", "require-metal"])
def test_enumeration_equals_brute_force(tax, case, backend):
    sp = cases(tax)[case]
    truth = space(tax, sp, 3)
    got = [canonical_id(s) for s in enumerate_scenes(sp, tax, backend=backend)]
    assert len(got) == len(set(got)) == len(truth)
    assert set(got) == set(truth)


def test_uniform_sampling_fits_chi_square(tax):
    sp = spec(cmax=2)
    keys = sorted(space(tax, sp, 2))
    scenes = sample_scenes(sp, tax, 40 * len(keys), seed=11)
    assert uniformity_pvalue(scenes, keys) > 0.01


@pytest.mark.parametrize("pattern", ["", '[[require]]\npattern = "a:*{material=metal}"\n'])
def test_one_object_sampling_fits_chi_square(tax, pattern):
    """Single objects with two or three attributes: the sampler's redraws stay uniform on the allowed sets,
    with and without a pattern on a type of a rule (present atoms)."""
    sp = parse_constraints("[space]\ncomplexity = [3, 4]\nobjects = [1, 1]\n" + pattern, tax)
    keys = sorted(space(tax, sp, 4))
    scenes = sample_scenes(sp, tax, 40 * len(keys), seed=5)
    assert uniformity_pvalue(scenes, keys) > 0.01


def test_switch_in_a_file(tax):
    on = patterned(tax, "")
    off = patterned(tax, "[semantics]\nexclusions = false\n")
    assert on.excluding_attributes and not off.excluding_attributes
    assert count_scenes(on, tax) < count_scenes(off, tax)


def _doc(rule):
    return {"format": "gas-taxonomy/1", "categories": [{"id": "thing"}],
            "objects": [{"id": "x", "name": "x", "category": "thing"}],
            "attribute_types": [{"id": "colour", "name": "colour", "order": "colour", "applies_to": ["thing"],
                                 "values": ["red"]},
                                {"id": "pattern", "name": "pattern", "order": "pattern", "applies_to": ["thing"],
                                 "values": ["plain"]}],
            "relations": [], "attribute_exclusions": [rule]}


@pytest.mark.parametrize("rule, words", [
    ({"id": "r", "type": "colur", "other_type": "pattern"}, "unknown attribute type 'colur'"),
    ({"id": "r", "type": "colour", "values": ["pink"], "other_type": "pattern"}, "'pink', not a value"),
    ({"id": "r", "type": "colour", "other_type": "colour"}, "two different types"),
    ({"id": "r", "type": "colour", "except": ["red"], "other_type": "pattern"}, "leaves no value"),
    ({"id": "r", "type": "colour", "other_type": "pattern", "reasn": "x"}, "reasn"),
])
def test_bad_rules_name_the_entry(rule, words):
    with pytest.raises(TaxonomyError) as err:
        taxonomy_from_dict(_doc(rule))
    assert words in str(err.value) and "attribute_exclusions[0]" in str(err.value)


def test_default_taxonomy_rules():
    """The default taxonomy's table: the pairs the hand readings found, both ways (golden rows)."""
    t = load_taxonomy()
    absurd = [[("pattern", "multicoloured"), ("colour", "blue")], [("opinion", "colourful"), ("colour", "red")],
              [("pattern", "tie_dyed"), ("colour", "white")], [("finish", "transparent"), ("material", "oak")],
              [("finish", "translucent"), ("material", "steel")], [("condition", "rusty"), ("material", "plastic")],
              [("condition", "tarnished"), ("material", "wool")], [("age", "brand_new"), ("condition", "tattered")],
              [("age", "new"), ("condition", "rusty")], [("condition", "clean"), ("surface", "muddy")],
              [("surface", "snow_covered"), ("temperature", "hot")], [("finish", "matte"), ("opinion", "gleaming")],
              [("condition", "dusty"), ("opinion", "gleaming")], [("ripeness", "rotten"),
                                                                   ("opinion", "delicious_looking")],
              [("cooking", "burnt"), ("opinion", "delicious_looking")], [("cut", "whole"), ("eaten", "half_eaten")],
              [("age", "futuristic"), ("style", "victorian")], [("age", "ancient"), ("style", "cyberpunk")],
              # round 4: a material with a colour of its own beside a colour word
              [("material", "silver"), ("colour", "green")], [("material", "gold"), ("colour", "pink")],
              [("material", "brass"), ("colour", "blue")], [("material", "oak"), ("colour", "pale_aqua")],
              [("material", "walnut"), ("colour", "mulberry")], [("material", "wicker"), ("colour", "bright_red")]]
    plausible = [[("pattern", "striped"), ("colour", "blue")], [("opinion", "elegant"), ("colour", "red")],
                 [("finish", "transparent"), ("material", "glass")], [("finish", "shiny"), ("material", "oak")],
                 [("condition", "rusty"), ("material", "iron")], [("condition", "tarnished"), ("material", "silver")],
                 [("age", "old"), ("condition", "tattered")], [("age", "new"), ("condition", "clean")],
                 [("condition", "dirty"), ("surface", "muddy")], [("surface", "snow_covered"),
                                                                   ("temperature", "cold")],
                 [("finish", "glossy"), ("opinion", "gleaming")], [("ripeness", "ripe"),
                                                                    ("opinion", "delicious_looking")],
                 [("cooking", "grilled"), ("opinion", "delicious_looking")], [("cut", "sliced"),
                                                                               ("eaten", "half_eaten")],
                 [("age", "futuristic"), ("style", "cyberpunk")], [("age", "antique"), ("style", "victorian")],
                 [("pattern", "multicoloured"), ("material", "cotton")], [("age", "new"), ("condition", "dusty")],
                 [("material", "oak"), ("colour", "dark_brown")], [("material", "ebony"), ("colour", "black")],
                 [("material", "wooden"), ("colour", "pale_aqua")], [("material", "steel"), ("colour", "red")],
                 [("material", "leather"), ("colour", "green")], [("material", "glass"), ("colour", "blue")]]
    for pair in absurd:
        assert t.attributes_exclude(pair) is not None, pair
    wrong = [p for p in plausible if t.attributes_exclude(p) is not None]
    # "new and dusty" is excluded on purpose (a new thing shows no dust): the only plausible-looking pair ruled out
    assert wrong == [[("age", "new"), ("condition", "dusty")]]
