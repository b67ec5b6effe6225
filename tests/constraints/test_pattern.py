"""The pattern parser: grammar, resolution, error columns, and robustness on random strings."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gas_solver.constraints import ConceptSet, parse_pattern
from gas_solver.constraints.pattern import PatternLocation
from gas_solver.errors import ConstraintFileError


def test_single_node(toy_taxonomy):
    p = parse_pattern("a:animal", toy_taxonomy)
    assert len(p.nodes) == 1 and p.edges == () and p.is_local
    assert p.nodes[0].concepts == ConceptSet(categories=frozenset({"animal"}))


def test_alternatives_mix_categories_and_concepts(toy_taxonomy):
    p = parse_pattern("x : bird | dog", toy_taxonomy)
    assert p.nodes[0].concepts == ConceptSet(categories=frozenset({"bird"}), concepts=frozenset({"dog"}))
    assert p.nodes[0].concepts.members(toy_taxonomy) == {"owl", "dog"}


def test_star_and_attribute_only_nodes(toy_taxonomy):
    p = parse_pattern("a:*, b{colour}", toy_taxonomy)
    assert all(n.concepts.is_everything for n in p.nodes)
    assert p.nodes[1].attributes[0].type == "colour" and p.nodes[1].attributes[0].values is None


def test_attribute_conditions(toy_taxonomy):
    p = parse_pattern("a:fruit{colour=red|brown, state=ripe}", toy_taxonomy)
    conds = {c.type: c.values for c in p.nodes[0].attributes}
    assert conds == {"colour": {"red", "brown"}, "state": {"ripe"}}


def test_edges_chains_and_references(toy_taxonomy):
    p = parse_pattern("a:animal -[riding|eating]-> b:* -[on_top_of]-> c:furniture, a -[*]-> c", toy_taxonomy)
    assert [n.var for n in p.nodes] == ["a", "b", "c"]
    assert [(e.subject, e.object, e.predicates) for e in p.edges] == [
        ("a", "b", {"riding", "eating"}), ("b", "c", {"on_top_of"}), ("a", "c", None)]
    assert not p.is_local


def test_reference_before_definition(toy_taxonomy):
    p = parse_pattern("b -[riding]-> c:vehicle, b:dog", toy_taxonomy)
    assert [n.var for n in p.nodes] == ["b", "c"]
    assert p.nodes[0].concepts.concepts == {"dog"}


def test_kind_expands_to_predicates(toy_taxonomy):
    p = parse_pattern("a:* -[kind:spatial]-> b:*", toy_taxonomy)
    assert p.edges[0].predicates == {"on_top_of", "next_to", "in"}
    assert p.is_local


def test_explicit_category_and_concept_prefixes(toy_taxonomy):
    p = parse_pattern("a:category:mammal, b:concept:owl", toy_taxonomy)
    assert p.nodes[0].concepts.categories == {"mammal"} and p.nodes[1].concepts.concepts == {"owl"}


def test_text_is_kept(toy_taxonomy):
    assert parse_pattern("a:dog", toy_taxonomy).text == "a:dog"


@pytest.mark.parametrize("text,column,fragment", [
    ("", 1, "empty pattern"),
    ("a:animal b:dog", 10, "unexpected 'b'"),
    ("a:animal -[riding] b:dog", 18, "expected ']->'"),
    ("a:animal <-[riding]- b:dog", 10, "unexpected '<'"),
    ("a:animal -[]-> b:dog", 12, "expected a relation id"),
    ("a:animal -[riding]->", 21, "expected a variable name"),
    ("1a:dog", 1, "expected a variable name"),
    ("a:", 3, "expected a category or concept id"),
    ("a:dog{", 7, "expected an attribute type"),
    ("a:dog{colour=}", 14, "expected an attribute value"),
    ("a:dog{colour red}", 14, "expected ',' or '}'"),
    ("a:dog{colour, colour=red}", 15, "appears twice"),
    ("a:dog{color}", 7, "unknown attribute type 'color'"),
    ("a:dog{red}", 7, "unknown attribute type 'red'"),
    ("a:dgo", 3, "unknown category or concept 'dgo'"),
    ("a:category:dgo", 12, "unknown category 'dgo'"),
    ("a:* -[kind:spatal]-> b:*", 12, "unknown relation kind"),
    ("a:* -[riding]-> b:*, a -[eating]-> b", 24, "second edge from 'a' to 'b'"),
    ("a:* -[riding]-> a", 5, "edge from 'a' to itself"),
    ("a:dog, a:horse", 8, "duplicate variable 'a'"),
    ("a:dog -[riding]-> b", 19, "variable 'b' is never defined"),
    ("a:dog -riding-> b:horse", 7, "expected '-[' to start an edge"),
])
def test_errors_point_at_the_column(text, column, fragment, toy_taxonomy):
    with pytest.raises(ConstraintFileError) as info:
        parse_pattern(text, toy_taxonomy)
    assert info.value.column == column and info.value.line == 1
    assert fragment in info.value.message


def test_hint_for_value_written_as_type(toy_taxonomy):
    with pytest.raises(ConstraintFileError) as info:
        parse_pattern("a:dog{red}", toy_taxonomy)
    assert info.value.hint == "'red' is a value of attribute type 'colour': write 'colour=red'"


def test_location_offsets_and_multiline(toy_taxonomy):
    where = PatternLocation("f.toml", 7, 12, "require[0].pattern")
    with pytest.raises(ConstraintFileError) as info:
        parse_pattern("a:dgo", toy_taxonomy, where=where)
    e = info.value
    assert (e.path, e.line, e.column, e.field) == ("f.toml", 7, 14, "require[0].pattern")
    with pytest.raises(ConstraintFileError) as info:
        parse_pattern("a:dog,\n  b:hrse", toy_taxonomy, where=where)
    assert (info.value.line, info.value.column) == (8, 5)


def test_non_string_pattern(toy_taxonomy):
    with pytest.raises(ConstraintFileError, match="must be a string"):
        parse_pattern(3, toy_taxonomy)


_ALPHABET = st.sampled_from(list("ab:*-[]>{}=|, \n\t<") + ["dog", "animal", "riding", "colour", "red", "kind:",
                                                             "spatial", "x", "wn:", "1", "é", "\\", '"', "#"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=25).map("".join))
def test_never_raises_anything_else_on_pattern_like_strings(toy_taxonomy, text):
    try:
        parse_pattern(text, toy_taxonomy)
    except ConstraintFileError as e:
        assert e.column is not None and 1 <= e.column <= len(text) + 1
        assert e.message


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_never_raises_anything_else_on_random_text(toy_taxonomy, text):
    try:
        parse_pattern(text, toy_taxonomy)
    except ConstraintFileError:
        pass
