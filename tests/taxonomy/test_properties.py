"""Is-a properties of taxonomies: closure, concepts_of, applicability and domains."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gas_solver.taxonomy import load_taxonomy
from gas_solver.taxonomy.load import taxonomy_from_dict


def check_closure_property(tax) -> None:
    """Every concept of C's closure has C on its category path, and no other concept does."""
    for c in tax.categories:
        closure = tax.closure(c)
        inside = {o.id for o in tax.concepts_of(c)}
        for o in tax.objects:
            assert (c in tax.path(o.category)) == (o.id in inside), (c, o)
            assert (o.category in closure) == (o.id in inside), (c, o)
        for d in closure:
            assert tax.is_a(d, c)


def check_names_exist(tax) -> None:
    cats = set(tax.categories)
    for r in tax.relations.values():
        assert r.subject and r.object, r.id
        assert set(r.subject) <= cats and set(r.object) <= cats, r.id
    for t in tax.attribute_types.values():
        assert set(t.applies_to) <= cats, t.id
        for v in t.values:
            assert set(v.applies_to) <= cats, (t.id, v.id)
    for o in tax.objects:
        assert o.category in cats


@st.composite
def taxonomies(draw):
    """A random valid taxonomy: a tree of 1-12 categories, objects, relations, attributes."""
    n = draw(st.integers(1, 12))
    cats = [{"id": "c0"}]
    for i in range(1, n):
        cats.append({"id": f"c{i}", "parent": f"c{draw(st.integers(0, i - 1))}"})
    ids = [c["id"] for c in cats]
    objects = [{"id": f"o{j}", "name": f"thing {j}", "category": draw(st.sampled_from(ids))}
               for j in range(draw(st.integers(0, 15)))]
    relations = [{"id": f"r{j}", "subject": draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3)),
                  "object": draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3))}
                 for j in range(draw(st.integers(0, 4)))]
    attrs = [{"id": f"a{j}", "applies_to": draw(st.lists(st.sampled_from(ids), max_size=3)),
              "values": [{"id": "v", "applies_to": draw(st.lists(st.sampled_from(ids), max_size=2))}, "w"]}
             for j in range(draw(st.integers(0, 3)))]
    order = draw(st.permutations(range(n)))  # file order must not matter
    return {"categories": [cats[i] for i in order], "objects": objects, "relations": relations,
            "attribute_types": attrs}


@settings(max_examples=60, deadline=None)
@given(taxonomies())
def test_random_taxonomies(doc):
    tax = taxonomy_from_dict(doc)
    check_closure_property(tax)
    check_names_exist(tax)
    for r in tax.relations.values():
        for s in tax.categories:
            for o in tax.categories:
                allowed = (any(tax.is_a(s, a) for a in r.subject) and any(tax.is_a(o, b) for b in r.object)
                           and not any(tax.is_a(s, a) for a in r.subject_except)
                           and not any(tax.is_a(o, b) for b in r.object_except))
                assert tax.relation_allows(r.id, s, o) == allowed
                assert (r.id in tax.relations_for(s, o)) == allowed
    for t in tax.attribute_types.values():
        for v in t.values:
            scope = v.applies_to or t.applies_to
            for c in tax.categories:
                assert tax.attribute_applies(t.id, v.id, c) == any(tax.is_a(c, a) for a in scope)


@pytest.fixture(scope="module")
def default():
    return load_taxonomy()


def test_default_closure_property(default):
    # the full O(categories x objects) check on the shipped data (about 0.8 M membership tests)
    check_closure_property(default)
    check_names_exist(default)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_default_attribute_values_for_matches_applies(default, data):
    c = data.draw(st.sampled_from(sorted(default.categories)))
    listed = set(default.attribute_values_for(c))
    for t in default.attribute_types.values():
        for v in t.values:
            assert ((t.id, v.id) in listed) == default.attribute_applies(t.id, v.id, c)
