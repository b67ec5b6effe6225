"""Malformed and invalid constraint files: each error names the exact line, column and key, with a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from gas_solver.constraints import parse_constraints
from gas_solver.errors import ConstraintFileError

BAD = Path(__file__).parent / "bad"

# file stem: (line, column, dotted key, message fragment, hint fragment or None = not checked)
EXPECTED = {
    "asp_choice_rule": (3, 1, "asp.rules", "only integrity constraints and normal rules", "choice rules"),
    "asp_constant_not_string": (4, 4, "asp.rules", 'category ids are strings: write "bird", not bird',
                                "would never match"),
    "asp_unknown_category_id": (2, 34, "asp.rules", "unknown category 'brid'", "did you mean 'bird'?"),
    "asp_derives_vocabulary": (2, 10, "asp.rules", "raw rules may not derive 'rel/3'", "integrity constraints"),
    "asp_syntax_error": (4, 4, "asp.rules", "clingo: syntax error", None),
    "asp_unknown_predicate": (4, 4, "asp.rules", "unknown predicate 'foo/1'", "the vocabulary is object/1"),
    "asp_unstratified": (3, 20, "asp.rules", "'p/1' depends on itself through negation", "stratified"),
    "asp_wrong_arity": (3, 4, "asp.rules", "'attr' takes 3 arguments, not 2", "attr/3"),
    "at_least_zero": (3, 12, "require[0].at_least", "at_least must be at least 1", "always holds"),
    "attribute_value_of_excluded_type": (3, 21, "vocabulary.attribute_values[0]",
                                         "attribute value 'colour:red' belongs to type 'colour', which is not allowed",
                                         "add 'colour' to vocabulary.attribute_types"),
    "attribute_value_no_type": (2, 33, "vocabulary.attribute_values.include[0]", "attribute value 'red' lacks its type",
                                "'colour:red'"),
    "bool_wrong_type": (2, 11, "space.acyclic", "expected true or false, found a string", None),
    "cardinality_empty_range": (5, 11, "cardinality[0].at_most", "empty range: at_least 3 > at_most 2", "swap"),
    "cardinality_exactly_and_at_least": (4, 1, "cardinality[0].at_least", "'at_least' together with 'exactly'",
                                         "either exactly"),
    "cardinality_missing_objects": (1, 1, "cardinality[0]", "cardinality of kind 'objects' needs 'objects'",
                                    'objects = ["animal"]'),
    "cardinality_no_bound": (1, 1, "cardinality[0]", "needs at_least, at_most or exactly", "at_least = 2"),
    "cardinality_unknown_category": (3, 25, "cardinality[0].categories[1]", "unknown category 'vehicel'",
                                     "did you mean 'vehicle'?"),
    "cardinality_unknown_kind": (2, 8, "cardinality[0].kind", "unknown cardinality kind 'object'",
                                 "did you mean 'objects'?"),
    "cardinality_wrong_field": (3, 1, "cardinality[0].categories",
                                "'categories' does not apply to kind 'distinct_attribute_types'",
                                "'distinct_categories' takes 'categories'"),
    "format_unsupported": (1, 10, "format", "unsupported format 'gas-constraints/9'", "gas-constraints/1"),
    "objects_min_zero": (2, 12, "space.objects[0]", "minimum 0 is below 1", "at least one object"),
    "pattern_bad_arrow": (2, 29, "require[0].pattern", "expected ']->' to end the edge", "edges point forward"),
    "pattern_duplicate_variable": (2, 44, "require[0].pattern",
                                   "duplicate variable 'a': it is already defined as 'a:animal'", "bare 'a'"),
    "pattern_empty": (2, 12, "soft[0].pattern", "empty pattern", None),
    "pattern_multiline": (4, 20, "require[0].pattern", "unknown category or concept 'furnitre'",
                          "did you mean 'furniture'?"),
    "pattern_self_loop": (2, 21, "forbid[0].pattern", "edge from 'a' to itself", "two different objects"),
    "pattern_undefined_variable": (2, 33, "require[0].pattern", "variable 'b' is never defined", "'b:*'"),
    "pattern_unknown_attr_value": (2, 31, "require[0].pattern", "unknown value 'blu' of attribute type 'colour'",
                                   "red, brown, white"),
    "pattern_unknown_category": (2, 14, "require[0].pattern", "unknown category or concept 'animl'",
                                 "did you mean 'animal'?"),
    "pattern_unknown_predicate": (2, 23, "forbid[0].pattern", "unknown relation 'ridin'", "did you mean 'riding'?"),
    "range_float": (2, 18, "space.complexity[1]", "expected a non-negative integer, found a float", None),
    "range_min_gt_max": (2, 18, "space.complexity[1]", "empty range: min 8 > max 3", "swap the two bounds"),
    "range_negative": (2, 15, "space.attributes[0]", "expected a non-negative integer, found -1", "negative"),
    "range_table_min_gt_max": (2, 30, "space.relations.max", "empty range: min 4 > max 2", "swap"),
    "range_three_elements": (2, 11, "space.objects", "found an array of 3 element(s)", "[min, max]"),
    "range_wrong_type": (2, 14, "space.complexity", "expected a range, found a string", "[min, max]"),
    "require_missing_pattern": (1, 1, "require[0]", "[[require]] needs a 'pattern'", "pattern ="),
    "require_single_brackets": (2, 1, "require", "'require' must be an array of tables", "[[require]]"),
    "scene_type_wrong_modality": (5, 35, "vocabulary.scene_attribute_types[1]",
                                  "scene-attribute type 'camera_movement' does not exist for modality 'image'",
                                  "video"),
    "toml_duplicate_key": (3, 16, None, "TOML syntax error: Cannot overwrite a value", None),
    "toml_syntax_error": (3, 1, None, "TOML syntax error: Unclosed array", None),
    "top_key_after_table": (4, 1, "space.semantic", "unknown key 'semantic' in [space]",
                            "must come before the first [table]"),
    "unknown_attribute_type": (2, 20, "vocabulary.attribute_types[0]", "unknown attribute type 'color'",
                               "did you mean 'colour'?"),
    "unknown_attribute_value": (2, 33, "vocabulary.attribute_values.exclude[0]",
                                "unknown value 'redd' of attribute type 'colour'", "did you mean 'red'?"),
    "unknown_category": (2, 34, "vocabulary.objects.include[1]", "unknown category or concept 'animl'",
                         "did you mean 'animal'?"),
    "unknown_concept_exclude": (2, 46, "vocabulary.objects.exclude[0]", "unknown category or concept 'dgo'",
                                "did you mean 'dog'?"),
    "unknown_key_space": (3, 1, "space.complexitty", "unknown key 'complexitty' in [space]",
                          "did you mean 'complexity'?"),
    "unknown_modality": (2, 12, "space.modality", "unknown modality 'imgae'", "did you mean 'image'?"),
    "unknown_relation": (2, 14, "vocabulary.relations[0]", "unknown relation 'on_top'", "did you mean 'on_top_of'?"),
    "unknown_relation_kind": (2, 26, "vocabulary.relations.exclude[0]", "unknown relation kind 'spatal'",
                              "did you mean 'spatial'?"),
    "unknown_scene_value": (2, 44, "vocabulary.scene_attribute_values[1]",
                            "unknown value 'candle' of scene-attribute type 'lighting'", "golden_hour, neon"),
    "unknown_top_key": (2, 1, "semantik", "unknown key 'semantik' in the top level", "did you mean 'semantic'?"),
    "vocabulary_deny_synonym": (2, 21, "vocabulary.attribute_types.deny",
                                "unknown key 'deny' in [vocabulary.attribute_types]", "write 'exclude'"),
    "vocabulary_unknown_subkey": (2, 35, "vocabulary.objects.excluded", "unknown key 'excluded' in [vocabulary.objects]",
                                  "did you mean 'exclude'?"),
    "weight_bad_string": (3, 10, "soft[0].weight", "expected a positive number or a fraction", None),
    "weight_missing": (1, 1, "soft[0]", "[[soft]] needs a 'weight'", "weight = 2.0"),
    "weight_negative": (3, 10, "soft[0].weight", "weight must be positive, found -1.5", "[[forbid]]"),
    "weight_zero": (3, 10, "soft[0].weight", "weight must be positive, found 0", "[[forbid]]"),
    # [sampling]: the file's default law and strata
    "sampling_all_zero": (3, 10, "sampling.strata", "every share is zero", "positive share"),
    "sampling_bad_shape": (3, 12, "sampling.strata.2/1", "bad stratum '2/1' for by = \"shape\"", '"2/1/1"'),
    "sampling_near_uniform": (2, 16, "sampling.distribution", "unknown distribution 'near-uniform'",
                              "only chosen on the command line"),
    "sampling_negative_share": (3, 16, "sampling.strata.1", "a share must be a non-negative number, found -1", None),
    "sampling_strata_without_stratified": (3, 1, "sampling.strata", "'strata' needs distribution = \"stratified\"",
                                           None),
    "sampling_unknown_kind": (5, 6, "sampling.by", "unknown stratum kind 'complexty'", "did you mean 'complexity'?"),
    # [[count]]: copies of one concept
    "count_missing_n": (1, 1, "count[0]", "[[count]] needs 'n'", "n = 4"),
    "count_overlapping_groups": (6, 11, "count[1].objects", "count[1] and count[0] both include concept 'dog'",
                                 "disjoint"),
    "count_unbounded": (3, 5, "count[0].n", "the number of copies needs a maximum", "n = [2, 4]"),
    "count_unknown_category": (2, 12, "count[0].objects[0]", "unknown category or concept 'animl'",
                               "did you mean 'animal'?"),
    "count_zero": (3, 5, "count[0].n", "at least one copy is needed", "exclude"),
}


def test_every_bad_file_has_an_expectation():
    assert sorted(p.stem for p in BAD.glob("*.toml")) == sorted(EXPECTED)
    assert len(EXPECTED) >= 30


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_bad_file(stem, toy_taxonomy):
    line, column, key, message, hint = EXPECTED[stem]
    path = BAD / f"{stem}.toml"
    with pytest.raises(ConstraintFileError) as info:
        parse_constraints(path, toy_taxonomy)
    err = info.value
    assert (err.path, err.line, err.column, err.field) == (str(path), line, column, key)
    assert message in err.message
    if hint is not None:
        assert hint in err.hint
    # the one-line rendering leads with file:line:column and the key
    text = str(err)
    assert text.startswith(f"{path}:{line}:{column}: " + (f"{key}: " if key else ""))


def test_missing_file_is_a_constraint_file_error(tmp_path, toy_taxonomy):
    with pytest.raises(ConstraintFileError, match="cannot read constraint file"):
        parse_constraints(tmp_path / "nope.toml", toy_taxonomy)


def test_bad_encoding_names_the_line(tmp_path, toy_taxonomy):
    p = tmp_path / "latin1.toml"
    p.write_bytes(b"[space]\n# caf\xe9\ncomplexity = 3\n")
    with pytest.raises(ConstraintFileError) as info:
        parse_constraints(p, toy_taxonomy)
    assert info.value.line == 2 and "not UTF-8" in info.value.message


@pytest.mark.parametrize("stem", ["unknown_key_space", "pattern_unknown_category", "asp_unknown_predicate",
                                  "toml_syntax_error"])
def test_cli_reports_the_error_without_traceback(stem, data_dir):
    from click.testing import CliRunner

    from gas_solver.cli.main import cli

    line, column, key, message, _ = EXPECTED[stem]
    path = BAD / f"{stem}.toml"
    result = CliRunner().invoke(cli, ["check", str(path), "--taxonomy", str(data_dir / "toy.toml")])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {path}:{line}:{column}: ")
    assert message in result.output and "Traceback" not in result.output
