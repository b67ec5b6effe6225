"""Attribute domains by category and by kind (is-a) against brute force.

``tests/data/tiny_domains.toml`` narrows and widens attribute values by category and by concept (a sofa is
fabric or leather, other seats add fabric to the furniture's wood and metal, a digital clock is never antique, a
dog keeps natural colours).  Counts (total, by complexity, by shape), enumeration sets on both backends and uniform
sampling (chi-square) must equal the independent brute force of ``brute_oracle`` (every labelled scene, filtered
by the checker, which asks ``Taxonomy.attribute_fits``), with the ``[semantics] attributes`` switch on and off.
"""

from __future__ import annotations

from collections import Counter

import pytest

from brute_oracle import space, uniformity_pvalue
from gas_solver.constraints.model import Bounds, ConstraintSpec, IntRange
from gas_solver.scene import canonical_id
from gas_solver.solve.count import count_scenes
from gas_solver.solve.domain import ground
from gas_solver.solve.enumerate import enumerate_scenes
from gas_solver.solve.sample import sample_scenes
from gas_solver.taxonomy import load_taxonomy


def spec(cmax=3, **kw):
    return ConstraintSpec(bounds=Bounds(complexity=IntRange(1, cmax)), **kw)


CASES = {"natural": spec(), "any": spec(attributes="any"), "semantic-false": spec(semantic=False)}


@pytest.fixture(scope="module")
def tax(data_dir):
    return load_taxonomy(data_dir / "tiny_domains.toml")


def test_rules_by_category_and_kind(tax):
    """Hand-computed domains: the most specific rule has the last word."""
    dom = tax.concept_attribute_domain
    assert dom("table")["material"] == {"wooden", "metal"}
    assert dom("seat")["material"] == dom("stool")["material"] == {"wooden", "metal", "fabric"}
    assert dom("sofa")["material"] == {"fabric", "leather"}
    assert dom("digital_clock")["material"] == {"metal"} and dom("digital_clock")["age"] == {"new"}
    assert dom("dog")["colour"] == {"brown"} and "material" not in dom("dog")
    assert tax.attribute_fits("material", "leather", "sofa") and not tax.attribute_fits("material", "leather", "stool")
    # the solver's classes follow the rules: a stool and a seat are interchangeable, a sofa is not
    d = ground(CASES["natural"], tax)
    assert d.class_of("stool") is d.class_of("seat") and d.class_of("sofa") is not d.class_of("seat")
    assert d.attribute_options("sofa")["material"] == ("fabric", "leather")
    assert "antique" not in d.attribute_options("digital_clock")["age"]
    # attributes = "any": every value on every concept, one class per category-free profile
    free = ground(CASES["any"], tax)
    assert free.attribute_options("dog")["material"] == ("wooden", "metal", "fabric", "leather")


@pytest.mark.parametrize("case", sorted(CASES))
def test_counts_equal_brute_force(tax, case):
    sp = CASES[case]
    truth = space(tax, sp, 3)
    assert count_scenes(sp, tax) == len(truth)
    assert count_scenes(sp, tax, by="complexity") == dict(Counter(s.complexity for s in truth.values()))
    assert count_scenes(sp, tax, by="shape") == dict(Counter(s.shape for s in truth.values()))


def test_the_rules_change_the_space(tax):
    n = {c: count_scenes(sp, tax) for c, sp in CASES.items()}
    assert n["natural"] < n["any"] <= n["semantic-false"]


@pytest.mark.parametrize("backend", ["asp", "cpsat"])
@pytest.mark.parametrize("case", ["natural", "any"])
def test_enumeration_equals_brute_force(tax, case, backend):
    sp = CASES[case]
    truth = space(tax, sp, 3)
    got = [canonical_id(s) for s in enumerate_scenes(sp, tax, backend=backend)]
    assert len(got) == len(set(got)) == len(truth)
    assert set(got) == set(truth)


def test_uniform_sampling_fits_chi_square(tax):
    sp = spec(cmax=2)
    keys = sorted(space(tax, sp, 2))
    scenes = sample_scenes(sp, tax, 40 * len(keys), seed=11)
    assert uniformity_pvalue(scenes, keys) > 0.01
