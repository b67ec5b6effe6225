"""Size words read against the thing's size class (an attribute value's ``object_size`` band and its
``object_size_by`` bands by category) against brute force.

A band makes the size words an object may carry depend on its concept's size class, a property of the concept
alone, so each object's attribute options stay its own domain: the grounding reads them per (category, concept
rules, size class) and keeps concepts with equal options in one class.  ``tests/data/tiny_size_words.toml``
("huge" from large up, on animals from medium; "tiny" up to medium; "pocket-sized" on items from small to
medium; an unsized concept): counts (total, by complexity, by shape), weighted totals, enumeration sets on both
backends and uniform sampling (chi-square) must equal the brute force of ``brute_oracle`` (every labelled scene,
filtered by the checker), whose filter is first checked against the bands as written in the file, read here
without the package.
"""

from __future__ import annotations

import tomllib
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brute_oracle import space, total_weight, uniformity_pvalue
from gas_solver.constraints import parse_constraints, violations
from gas_solver.errors import TaxonomyError
from gas_solver.scene import Attribute, Scene, SceneObject, canonical_id
from gas_solver.solve.count import count_scenes, weighted_total
from gas_solver.solve.domain import ground
from gas_solver.solve.enumerate import enumerate_scenes
from gas_solver.solve.sample import sample_scenes
from gas_solver.taxonomy import load_taxonomy, taxonomy_from_dict

SIZES = ("tiny", "small", "medium", "large", "huge", "vast")
HEAD = 'format = "gas-constraints/1"\n[space]\ncomplexity = [1, 3]\n'
FILES = {
    "natural": HEAD,
    "any": HEAD + '[semantics]\nattributes = "any"\n',
    "require-huge": HEAD + '[[require]]\npattern = "a:*{size=huge}"\n',
    "forbid-tiny": HEAD + '[[forbid]]\npattern = "a:item{size=tiny}"\n',
    "soft-huge": HEAD + '[[soft]]\npattern = "a:*{size=huge}"\nweight = 3\n',
}


@pytest.fixture(scope="module")
def tax(data_dir):
    return load_taxonomy(data_dir / "tiny_size_words.toml")


@pytest.fixture(scope="module")
def raw(data_dir):
    return tomllib.loads((data_dir / "tiny_size_words.toml").read_text(encoding="utf-8"))


def _fits_by_hand(raw: dict, concept: str, type_id: str, value_id: str) -> bool:
    """The file's rule, read without the package: the value applies to the concept's category (or one above it),
    and the concept's size class lies in the band of the most specific category the value names, else in its
    ``object_size`` (an unsized concept fits every band)."""
    parent = {c["id"]: c.get("parent") for c in raw["categories"]}
    obj = next(o for o in raw["objects"] if o["id"] == concept)
    above, c = [], obj["category"]
    while c is not None:
        above.append(c)  # most specific first
        c = parent[c]
    t = next(t for t in raw["attribute_types"] if t["id"] == type_id)
    v = next(v if isinstance(v, dict) else {"id": v} for v in t["values"]
             if (v["id"] if isinstance(v, dict) else v) == value_id)
    if not set(v.get("applies_to", t["applies_to"])) & set(above):
        return False
    if "size" not in obj:
        return True
    band = next((v["object_size_by"][c] for c in above if c in v.get("object_size_by", {})),
                v.get("object_size", ["tiny", "vast"]))
    return SIZES.index(band[0]) <= SIZES.index(obj["size"]) <= SIZES.index(band[1])


def test_the_checker_applies_the_bands_as_written(tax, raw):
    """The brute force's filter (the checker, through ``Taxonomy.attribute_fits``) is the file's rule."""
    pairs = 0
    for o in tax.objects:
        for t in tax.attribute_types.values():
            for v in t.values:
                want = _fits_by_hand(raw, o.id, t.id, v.id)
                assert tax.attribute_fits(t.id, v.id, o.id) == want, (o.id, v.id)
                scene = Scene((SceneObject(o.id, (Attribute(t.id, v.id),)),))
                assert (not violations(scene, parse_constraints(HEAD, tax), tax)) == want, (o.id, v.id)
                pairs += 1
    assert pairs == 8 * 5
    assert not tax.attribute_fits("size", "huge", "ant") and tax.attribute_fits("size", "huge", "dog")
    assert not tax.attribute_fits("size", "huge", "box") and tax.attribute_fits("size", "huge", "bus")
    assert not tax.attribute_fits("size", "tiny", "bus") and tax.attribute_fits("size", "huge", "blob")


@pytest.mark.parametrize("case", sorted(set(FILES) - {"soft-huge"}))
def test_counts_equal_brute_force(tax, case):
    sp = parse_constraints(FILES[case], tax)
    truth = space(tax, sp, 3)
    assert count_scenes(sp, tax) == len(truth)
    assert count_scenes(sp, tax, by="complexity") == dict(Counter(s.complexity for s in truth.values()))
    assert count_scenes(sp, tax, by="shape") == dict(Counter(s.shape for s in truth.values()))


def test_weighted_count_equals_brute_force(tax):
    sp = parse_constraints(FILES["soft-huge"], tax)
    assert weighted_total(sp, tax) == total_weight(tax, sp, space(tax, sp, 3))


@pytest.mark.parametrize("case", ["natural", "require-huge"])
@pytest.mark.parametrize("backend", ["asp", "cpsat"])
def test_enumeration_equals_brute_force(tax, case, backend):
    sp = parse_constraints(FILES[case], tax)
    truth = space(tax, sp, 3)
    got = [canonical_id(s) for s in enumerate_scenes(sp, tax, backend=backend)]
    assert len(got) == len(set(got)) == len(truth)
    assert set(got) == set(truth)


@pytest.mark.parametrize("case", ["natural", "require-huge"])
def test_uniform_sampling_fits_chi_square(tax, case):
    sp = parse_constraints(FILES[case], tax)
    keys = sorted(space(tax, sp, 3))
    assert uniformity_pvalue(sample_scenes(sp, tax, 40 * len(keys), seed=11), keys) > 0.01


def test_bands_change_the_space_and_split_classes(tax):
    """The bands matter (natural < any), and concepts of one category with different size words are apart."""
    natural = parse_constraints(FILES["natural"], tax)
    assert count_scenes(natural, tax) < count_scenes(parse_constraints(FILES["any"], tax), tax)
    dom = ground(natural, tax)
    assert dom.class_of("bead") is not dom.class_of("box") and dom.class_of("box") is not dom.class_of("bus")
    options = dict(dom.class_of("ant").attribute_options)
    assert set(options["size"]) == {"tiny", "big"}


def test_a_bad_band_is_an_error(tmp_path, data_dir):
    text = (data_dir / "tiny_size_words.toml").read_text().replace('object_size = ["tiny", "medium"]',
                                                                    'object_size = ["medium", "tiny"]')
    p = tmp_path / "t.toml"
    p.write_text(text)
    with pytest.raises(TaxonomyError, match="value 'tiny'.*object_size"):
        load_taxonomy(p)


@settings(max_examples=40, deadline=None)
@given(sizes=st.lists(st.sampled_from(SIZES + (None,)), min_size=1, max_size=6),
       bands=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5), st.booleans(), st.integers(0, 5),
                                st.integers(0, 5)), min_size=1, max_size=4))
def test_options_equal_the_bands_on_every_concept(sizes, bands):
    """Random sizes and bands (some by category): every concept's grounded options and ``attribute_fits`` are
    exactly the values whose band holds its size class, by the most specific category named."""
    objects = [{"id": f"o{i}", "name": f"o{i}", "category": ("leaf", "item", "thing")[i % 3],
                **({"size": z} if z else {})} for i, z in enumerate(sizes)]
    values = []
    for k, (a, b, by, c, d) in enumerate(bands):
        v = {"id": f"v{k}", "name": f"v{k}", "object_size": [SIZES[min(a, b)], SIZES[max(a, b)]]}
        if by:
            v["object_size_by"] = {"item": [SIZES[min(c, d)], SIZES[max(c, d)]]}
        values.append(v)
    raw = {"format": "gas-taxonomy/1", "name": "random", "version": "1",
           "categories": [{"id": "thing"}, {"id": "item", "parent": "thing"}, {"id": "leaf", "parent": "item"}],
           "objects": objects,
           "attribute_types": [{"id": "size", "name": "size", "order": "size", "applies_to": ["thing"],
                                "values": values}]}
    tax = taxonomy_from_dict(raw)
    dom = ground(parse_constraints(HEAD, tax), tax)
    for o in tax.objects:
        want = {v["id"] for v in values if _fits_by_hand(raw, o.id, "size", v["id"])}
        assert {v["id"] for v in values if tax.attribute_fits("size", v["id"], o.id)} == want
        assert set(dict(dom.class_of(o.id).attribute_options).get("size", ())) == want
