"""Parsing valid constraint files: resolution of every section, origins, positions, the embedded default."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gas_solver.constraints import IntRange, load_default_constraints, parse_constraints
from gas_solver.constraints.parse import default_constraints_path
from gas_solver.constraints.positions import scan_positions
from gas_solver.constraints.raw_asp import ASP_VOCABULARY, RESERVED, check_raw_asp
from gas_solver.errors import ConstraintFileError

ROOT = Path(__file__).resolve().parents[2]

FULL = '''\
format = "gas-constraints/1"
name = "full"
semantic = false

[space]
complexity = { min = 2, max = 6 }
objects = [1, 3]
relations = 2
attributes_per_object = { max = 2 }
acyclic = false
connected = true
repeat_objects = false
modality = "video"
scene_attributes = [0, 2]

[vocabulary]
objects = { include = ["animal", "vehicle", "apple"], exclude = ["bird", "suv"] }
subjects = ["animal"]
relation_objects = { exclude = ["fruit"] }
attribute_types = { exclude = ["material"] }
attribute_values = { include = ["colour:red", "colour:brown"], exclude = ["size:big"] }
relations = { include = ["kind:spatial", "riding"], exclude = ["in"] }
scene_attribute_types = ["style", "camera_movement"]
scene_attribute_values = { exclude = ["style:monet"] }

[[require]]
pattern = "a:animal -[riding]-> b:vehicle"

[[forbid]]
description = "no two dogs"
pattern = "a:dog, b:dog"

[[require]]
pattern = """
a:mammal{colour=red},
b:mammal"""
at_least = 2

[[cardinality]]
kind = "objects"
objects = { include = ["mammal"], exclude = ["sheep"] }
at_least = 1
at_most = 2

[[cardinality]]
kind = "attribute_type"
attribute_type = "colour"
exactly = 1

[[soft]]
pattern = "a:horse"
weight = 0.1

[[soft]]
pattern = "a:* -[next_to]-> b:*"
weight = "3/2"

[asp]
rules = \'\'\'
ridden(O) :- rel(_, "riding", O).
:- ridden(O), concept(O, "horse").
\'\'\'
'''


@pytest.fixture(scope="module")
def full(toy_taxonomy):
    return parse_constraints(FULL, toy_taxonomy, path="full.toml")


def test_bounds(full):
    b = full.bounds
    assert b.complexity == IntRange(2, 6) and b.objects == IntRange(1, 3) and b.relations == IntRange(2, 2)
    assert b.attributes_per_object == IntRange(0, 2) and b.attributes == IntRange(0, None)
    assert (b.acyclic, b.connected, b.repeat_objects, b.modality) == (False, True, False, "video")
    assert b.scene_attributes == IntRange(0, 2)
    assert full.semantic is False


def test_vocabulary_is_resolved_to_complete_sets(full, toy_taxonomy):
    v = full.vocabulary
    assert v.objects.members(toy_taxonomy) == {"dog", "horse", "sheep", "bicycle", "apple"}
    assert v.subjects.members(toy_taxonomy) == {"dog", "horse", "sheep", "owl"}
    assert v.relation_objects.members(toy_taxonomy) == {o.id for o in toy_taxonomy.objects} - {"apple"}
    assert v.attribute_types == {"colour", "size", "state"}
    # colour keeps its listed values, size loses "big", state keeps everything
    assert v.attribute_values == {("colour", "red"), ("colour", "brown"), ("size", "small"), ("state", "ripe"),
                                  ("state", "wet")}
    assert v.denied_attribute_values == {("size", "big")}
    assert v.predicates == {"on_top_of", "next_to", "riding"}
    assert v.scene_attribute_types == {"style", "camera_movement"}
    assert v.scene_attribute_values == {("style", "ukiyo_e"), ("camera_movement", "pan_left")}
    assert v.denied_scene_attribute_values == {("style", "monet")}


def test_scene_vocabulary_defaults_to_the_modality(toy_taxonomy):
    spec = parse_constraints('[vocabulary]\nscene_attribute_values = { exclude = ["style:monet"] }\n', toy_taxonomy)
    assert spec.vocabulary.scene_attribute_types == {"style", "lighting"}  # image: no camera movement


def test_empty_include_allows_nothing(toy_taxonomy):
    spec = parse_constraints("[vocabulary]\nobjects = []\n", toy_taxonomy)
    assert spec.vocabulary.objects.members(toy_taxonomy) == frozenset()


def test_patterns_in_file_order_with_origins(full):
    got = [(p.mode, p.origin.line, p.origin.key, p.at_least) for p in full.patterns]
    assert got == [("require", 26, "require[0]", 1), ("forbid", 29, "forbid[0]", 1), ("require", 33, "require[1]", 2)]
    assert full.patterns[1].origin.description == "no two dogs"
    assert full.patterns[0].origin.description == "require a:animal -[riding]-> b:vehicle"
    assert full.patterns[2].pattern.nodes[0].attributes[0].values == {"red"}


def test_cardinalities(full, toy_taxonomy):
    c0, c1 = full.cardinalities
    assert c0.kind == "objects" and c0.range == IntRange(1, 2) and c0.origin.line == 39
    assert c0.concepts.members(toy_taxonomy) == {"dog", "horse"}
    assert c1.kind == "attribute_type" and c1.attribute_type == "colour" and c1.range == IntRange(1, 1)
    assert c1.origin.description == "attributes of type colour: exactly 1"


def test_soft_weights_are_exact_fractions(full):
    assert [s.weight for s in full.soft] == [Fraction(1, 10), Fraction(3, 2)]
    assert [s.origin.line for s in full.soft] == [50, 54]


def test_raw_asp(full):
    (raw,) = full.raw_asp
    assert "ridden(O)" in raw.program and raw.origin.key == "asp.rules" and raw.origin.line == 59


def test_origins_of_bounds_and_vocabulary(full):
    o = full.origins
    assert o["semantic"].line == 3
    assert o["space.complexity"].line == 6 and o["space.complexity"].description == "{ min = 2, max = 6 }"
    assert o["space.modality"].line == 13
    assert o["vocabulary.relations"].line == 22
    assert all(v.path == "full.toml" for v in o.values())
    lines = [c.line for c in full.hard_constraints()]
    assert lines == sorted(lines) and len(lines) == len(o) + 3 + 2 + 1


def test_hash_text_and_name(full):
    assert full.text == FULL and len(full.hash) == 64
    assert (full.name, full.description) == ("full", "")


def test_empty_file_gives_defaults(toy_taxonomy):
    spec = parse_constraints("", toy_taxonomy)
    assert spec.bounds.complexity == IntRange(1, 8) and spec.semantic and spec.vocabulary.predicates is None
    assert spec.origins == {} and spec.patterns == ()


def test_read_from_path_and_str_path(tmp_path, toy_taxonomy):
    p = tmp_path / "c.toml"
    p.write_text("[space]\ncomplexity = 3\n")
    assert parse_constraints(p, toy_taxonomy).path == str(p)
    assert parse_constraints(str(p), toy_taxonomy).bounds.complexity == IntRange(3, 3)
    assert parse_constraints(p, toy_taxonomy, path="shown.toml").origins["space.complexity"].path == "shown.toml"


def test_header_forms_are_tracked(toy_taxonomy):
    text = '[vocabulary.objects]\ninclude = ["animal",\n  "animl"]\n'
    with pytest.raises(ConstraintFileError) as info:
        parse_constraints(text, toy_taxonomy)
    assert (info.value.line, info.value.column, info.value.field) == (3, 3, "vocabulary.objects.include[1]")


def test_positions_scanner_handles_tricky_toml():
    text = ('a = "x # not a comment"  # comment\n'
            "b = '''\nmulti\n'''\n"
            '"quoted key".c = [1, [2, 3], { d = "e" }]\n'
            '[[t]]\nx = 1\n[[t]]\nx = 2\n[t.sub]\ny = 3\n'
            'date = 1979-05-27 07:32:00\nafter = 4\n')
    pos = scan_positions(text)
    assert pos.key(("a",)) == (1, 1)
    assert pos.value(("b",)) == (2, 5)
    assert pos.key(("quoted key",)) == (5, 1) and pos.key(("quoted key", "c")) == (5, 14)
    assert pos.value(("quoted key", "c", 1, 1)) == (5, 26)
    assert pos.value(("quoted key", "c", 2, "d")) == (5, 36)
    assert pos.value(("t", 1, "x")) == (9, 5)
    assert pos.key(("t", 1, "sub", "y")) == (11, 1)
    assert pos.key(("t", 1, "sub", "after")) == (13, 1)


def test_raw_asp_accepts_the_documented_forms():
    check_raw_asp(':- rel(S,"riding",O), category(O,"bird").\n'
                  'big(O) :- attr(O,"size","big").\n'
                  'reach(X,Y) :- rel(X,_,Y).\nreach(X,Z) :- reach(X,Y), rel(Y,_,Z).\n'
                  ':- reach(X,X).\n'
                  'n(N) :- N = #count { O : object(O) }.\n:- n(N), N > 3, not big(_).\n'
                  ':- scene_attr("style", S), concept(_, C), C = "wn:1".')


def test_reserved_names_cover_the_solver_programs():
    """Every predicate of the programs raw rules join (all of solve/*.lp but the unlabelled structure program)
    is reserved or part of the vocabulary: keeps RESERVED in step with the solver."""
    from clingo import ast

    used: set[str] = set()

    def walk(node):
        if isinstance(node, ast.AST):
            if node.ast_type == ast.ASTType.SymbolicAtom and node.symbol.ast_type == ast.ASTType.Function:
                used.add(node.symbol.name)
            for k in node.child_keys:
                walk(getattr(node, k))
        elif isinstance(node, (list, tuple)) or type(node).__name__.startswith("AST"):
            for x in node:
                walk(x)

    programs = sorted(p for p in (ROOT / "gas_solver" / "solve").glob("*.lp") if p.name != "structures.lp")
    assert any(p.name == "labels.lp" for p in programs)
    for p in programs:
        ast.parse_string(p.read_text(), walk)
    assert used - set(RESERVED) - set(ASP_VOCABULARY) == set()


def test_default_file_is_shipped_and_copied_byte_identical():
    embedded = default_constraints_path()
    assert embedded.read_bytes() == (ROOT / "constraints" / "default.toml").read_bytes()


def test_schema_copies_identical_and_valid():
    import jsonschema

    a = (ROOT / "gas_solver" / "data" / "constraints.schema.json").read_bytes()
    assert a == (ROOT / "constraints" / "schema.json").read_bytes()
    jsonschema.Draft202012Validator.check_schema(json.loads(a))


def test_default_constraints_against_default_taxonomy():
    from gas_solver.taxonomy import load_taxonomy

    spec = load_default_constraints(load_taxonomy())
    assert spec.bounds.complexity == IntRange(3, 8) and spec.bounds.modality == "image"
    assert spec.bounds.attributes_per_object == IntRange(0, 3) and spec.bounds.scene_attributes == IntRange(0, 2)
    assert spec.semantic and spec.bounds.acyclic
    assert all(s.pattern.is_local for s in spec.soft) and all(p.pattern.is_local for p in spec.patterns)
    assert spec.path == "default_constraints.toml"
    # a balanced mix of complexities by default (uniform over scenes would give almost only complexity 8)
    assert (spec.sampling.distribution, spec.sampling.strata) == ("stratified", {"complexity": "equal"})


_TOML_BITS = ["[space]\n", "[vocabulary]\n", "[[require]]\n", "[[soft]]\n", "[[cardinality]]\n", "[asp]\n",
              "complexity", "objects", "pattern", "weight", "kind", "rules", "include", "exclude", " = ", "\n",
              "[", "]", "{", "}", ",", '"', "'''", "1", "-2", "0.5", "true", '"a:dog"', '"animal"', '"kind:spatial"',
              '"a:* -[riding]-> b:*"', '":- foo."', '"objects"', "min", "max", "#", ".", "é"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TOML_BITS), max_size=30).map("".join))
def test_parser_never_raises_anything_else(toy_taxonomy, text):
    try:
        parse_constraints(text, toy_taxonomy)
    except ConstraintFileError as e:
        assert e.message and (e.line is None or e.line >= 1)


_NAMES = st.sampled_from(["animal", "animl", "dog", "kind:spatial", "riding", "colour", "colour:red", "red", "style",
                          "lighting:neon", "a:dog", "a:* -[riding]-> b:*", "a:dog -[", "image", "video", "objects",
                          "distinct_categories", ":- rel(S,P,O), foo(O).", ":- object(O)."])
_SCALARS = st.one_of(st.integers(-3, 9), st.booleans(), st.floats(-1, 3, allow_nan=False), _NAMES)
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.sampled_from(["include", "exclude", "min", "max", "x"]), inner, max_size=2)), max_leaves=5)
_SECTION_KEYS = st.sampled_from(["complexity", "objects", "acyclic", "modality", "scene_attributes", "relations",
                                 "attribute_values", "pattern", "weight", "at_least", "kind", "exactly", "rules",
                                 "attribute_type", "categories", "typo"])
_TABLE = st.dictionaries(_SECTION_KEYS, _VALUES, max_size=4)
_DOC = st.fixed_dictionaries({}, optional={
    "semantic": _SCALARS, "space": _TABLE, "vocabulary": _TABLE, "require": st.lists(_TABLE, max_size=2),
    "forbid": st.lists(_TABLE, max_size=2), "soft": st.lists(_TABLE, max_size=2),
    "cardinality": st.lists(_TABLE, max_size=2), "asp": _TABLE})


@settings(max_examples=300, deadline=None)
@given(_DOC)
def test_parser_on_well_formed_toml_reports_positions_inside_the_text(toy_taxonomy, doc):
    import tomlkit

    text = tomlkit.dumps(doc)
    try:
        parse_constraints(text, toy_taxonomy)
    except ConstraintFileError as e:
        assert e.line is not None and 1 <= e.line <= text.count("\n") + 1
        line = text.splitlines()[e.line - 1] if text.splitlines() else ""
        assert e.column is not None and 1 <= e.column <= len(line) + 1


def test_concept_names_get_an_id_hint_on_the_default_taxonomy():
    from gas_solver.taxonomy import load_taxonomy

    with pytest.raises(ConstraintFileError) as info:
        parse_constraints('[[require]]\npattern = "a:dog"\n', load_taxonomy())
    assert info.value.column == 14 and "'wn:02084071' (dog, pet)" in info.value.hint
