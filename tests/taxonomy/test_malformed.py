"""Malformed custom taxonomies: each problem is reported with file, line, entry and field,
as a TaxonomyError from the API and as `Error: ...` + exit 1 (no traceback) from the CLI."""

from __future__ import annotations

import gzip
import json

import pytest
from click.testing import CliRunner

from gas_solver.cli.main import cli
from gas_solver.errors import TaxonomyError
from gas_solver.taxonomy import load_taxonomy

BASE = """\
format = "gas-taxonomy/1"
name = "mini"

[[categories]]
id = "thing"
[[categories]]
id = "animal"
parent = "thing"
[[categories]]
id = "vehicle"
parent = "thing"

[[objects]]
id = "dog"
name = "dog"
category = "animal"

[[objects]]
id = "car"
name = "car"
category = "vehicle"

[[relations]]
id = "riding"
subject = ["animal"]
object = ["vehicle"]
"""


def _replace(old: str, new: str) -> str:
    assert old in BASE
    return BASE.replace(old, new, 1)


def _line(text: str, marker: str, occurrence: int) -> int:
    """1-based line of the ``occurrence``-th ``marker`` in ``text``."""
    at = -1
    for _ in range(occurrence):
        at = text.index(marker, at + 1)
    return text.count("\n", 0, at) + 1


# name, file text, expected fragments of the message (file name is always checked),
# (marker, occurrence) locating the line the error must point at (None: no line check)
CASES = [
    ("duplicate object id", _replace('id = "car"', 'id = "dog"'), ["object 'dog'", "field 'id'", "duplicate"], ('id = "dog"', 2)),
    ("duplicate category id", _replace('id = "vehicle"', 'id = "animal"'), ["categories[2]", "field 'id'"], ('id = "animal"', 2)),
    ("unknown parent", _replace('id = "vehicle"\nparent = "thing"', 'id = "vehicle"\nparent = "vehicel"'),
     ["category 'vehicle'", "field 'parent'", "'vehicel'"], ('id = "vehicle"', 1)),
    ("relation names unknown category", _replace('object = ["vehicle"]', 'object = ["vehicles"]'),
     ["relation 'riding'", "field 'object'", "'vehicles'", "did you mean 'vehicle'"], ('id = "riding"', 1)),
    ("cycle", _replace('id = "thing"', 'id = "thing"\nparent = "vehicle"'),
     ["field 'parent'", "cycle"], None),
    ("missing field", _replace('name = "car"\n', ''), ["object 'car'", "missing field 'name'"], ('id = "car"', 1)),
    ("object in unknown category", _replace('category = "vehicle"', 'category = "vehicl"'),
     ["object 'car'", "field 'category'", "'vehicl'"], ('id = "car"', 1)),
    ("bad TOML syntax", _replace('name = "mini"', 'name = "mini'), ["TOML syntax error"], ('name = "mini', 1)),
    ("bad field type", _replace('object = ["vehicle"]', 'object = ["vehicle"]\nsymmetric = "yes"'),
     ["relation 'riding'", "field 'symmetric'"], ('id = "riding"', 1)),
    ("setting fits an unknown name", BASE + '\n[[settings]]\nid = "water"\nfit = ["dgo"]\n',
     ["setting 'water'", "field 'fit'", "'dgo'", "did you mean 'dog'"], ('id = "water"', 1)),
    ("setting denies an unknown scene-attribute type", BASE + '\n[[settings]]\nid = "indoor"\ndeny = ["wether"]\n',
     ["setting 'indoor'", "field 'deny'", "'wether'"], ('id = "indoor"', 1)),
    ("setting denies an unknown value", BASE + '\n[[scene_attribute_types]]\nid = "lighting"\nmodalities = ["image"]\n'
     'phrase = "lit by {value}"\nvalues = [{ id = "moonlight", name = "moonlight" }]\n'
     '\n[[settings]]\nid = "indoor"\ndeny = ["lighting:northern_lights"]\n',
     ["setting 'indoor'", "field 'deny'", "'northern_lights'", "'lighting'"], ('id = "indoor"', 1)),
    ("setting whose smallest size is above its largest", BASE + '\n[[settings]]\nid = "aerial"\nmax_size = "small"\n'
     'min_size = "large"\n', ["setting 'aerial'", "field 'min_size'", "'large'"], ('id = "aerial"', 1)),
    ("setting of an unknown smallest size", BASE + '\n[[settings]]\nid = "aerial"\nmin_size = "big"\n',
     ["setting 'aerial'", "field 'min_size'", "'big'"], ('id = "aerial"', 1)),
    ("setting caps an unknown size", BASE + '\n[[settings]]\nid = "indoor"\ncaps = { animal = "big" }\n',
     ["setting 'indoor'", "field 'caps'", "'big'"], ('id = "indoor"', 1)),
    ("relation band of an unknown category", _replace('object = ["vehicle"]',
                                                      'object = ["vehicle"]\nsubject_size_by = { animl = "small" }'),
     ["relation 'riding'", "field 'subject_size_by'", "'animl'"], None),
    ("relation band by category of an unknown size", _replace(
        'object = ["vehicle"]', 'object = ["vehicle"]\nobject_size_by = { vehicle = ["large", "gigantic"] }'),
     ["relation 'riding'", "field 'object_size_by'"], None),
    ("relation of an unknown tier", _replace('object = ["vehicle"]', 'object = ["vehicle"]\ntier = "daily"'),
     ["relation 'riding'", "field 'tier'", "'daily'"], None),
    ("words after the object that do not end the phrase", _replace(
        'object = ["vehicle"]', 'object = ["vehicle"]\nname = "riding"\nafter_object = "by the hand"'),
     ["relation 'riding'", "field 'after_object'", "'by the hand'"], ('id = "riding"', 1)),
]


@pytest.mark.parametrize("name,text,fragments,line", CASES, ids=[c[0] for c in CASES])
def test_bad_toml(tmp_path, name, text, fragments, line):
    path = tmp_path / "mini.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(path)
    msg = str(err.value)
    assert str(path) in msg
    for f in fragments:
        assert f in msg, (f, msg)
    if line is not None:
        assert err.value.line == _line(text, *line), msg
    # the CLI says the same thing, exits 1, and prints no traceback
    result = CliRunner().invoke(cli, ["taxonomy", "validate", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and msg in result.output
    assert "Traceback" not in result.output


def test_bad_encoding(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(_replace('name = "dog"', 'name = "d\u00f6g"').encode("latin-1"))
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(path)
    assert "bad encoding" in str(err.value) and "0xf6" in str(err.value)
    assert err.value.line == 15 and str(path) in str(err.value)
    result = CliRunner().invoke(cli, ["taxonomy", "validate", str(path)])
    assert result.exit_code == 1 and "bad encoding" in result.output


def test_bad_json_syntax(tmp_path):
    path = tmp_path / "mini.json"
    path.write_text('{"categories": [{"id": "thing"},\n  {"id": "x" "parent": "thing"}]}', encoding="utf-8")
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(path)
    assert "JSON syntax error" in str(err.value) and err.value.line == 2


def test_bad_gzip(tmp_path):
    path = tmp_path / "mini.json.gz"
    path.write_bytes(b"not gzip at all")
    with pytest.raises(TaxonomyError, match="not a valid gzip file"):
        load_taxonomy(path)


def test_compact_json_duplicate_row(tmp_path):
    doc = {"categories": [{"id": "thing"}], "object_columns": ["id", "name", "category"],
           "objects": [["wn:1", "a", "thing"], ["wn:1", "b", "thing"]]}
    path = tmp_path / "c.json.gz"
    path.write_bytes(gzip.compress(json.dumps(doc).encode()))
    with pytest.raises(TaxonomyError, match=r"object 'wn:1': field 'id': duplicate object id"):
        load_taxonomy(path)


def test_missing_file_is_a_clean_error():
    result = CliRunner().invoke(cli, ["taxonomy", "validate", "/nonexistent/t.toml"])
    assert result.exit_code == 1 and "cannot read taxonomy file" in result.output
    assert "Traceback" not in result.output


def test_good_file_validates(tmp_path):
    path = tmp_path / "mini.toml"
    path.write_text(BASE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["taxonomy", "validate", str(path)])
    assert result.exit_code == 0
    assert result.output.startswith("OK: 3 categories, 2 objects")
