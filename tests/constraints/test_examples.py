"""The example library in constraints/: every file parses against the taxonomy it names and fits the JSON Schema."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from gas_solver.constraints import parse_constraints

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "constraints").glob("*.toml")) + sorted((ROOT / "constraints" / "geneval").glob("*.toml"))


def _taxonomy_of(path: Path):
    from gas_solver.taxonomy import load_taxonomy

    m = re.search(r"^# taxonomy: (\S+)$", path.read_text(), re.M)
    assert m, f"{path.name} must say which taxonomy it is for ('# taxonomy: default' or a path)"
    return load_taxonomy(None if m.group(1) == "default" else ROOT / m.group(1))


def test_library_size():
    assert len(EXAMPLES) >= 9  # default + at least 8 examples


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.parent.name + "/" + p.stem for p in EXAMPLES])
def test_example_parses(path):
    text = path.read_text()
    if path.name != "default.toml":
        assert text.startswith("#:schema ./schema.json\n" if path.parent.name == "constraints"
                               else "#:schema ../schema.json\n")
        assert re.search(r"^# Shows: |^# .*Shows: ", text, re.M) or "Use it" in text, "document what it shows"
    spec = parse_constraints(path, _taxonomy_of(path))
    assert spec.path == str(path)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.parent.name + "/" + p.stem for p in EXAMPLES])
def test_example_fits_the_schema(path):
    import jsonschema

    schema = json.loads((ROOT / "constraints" / "schema.json").read_text())
    jsonschema.validate(tomllib.loads(path.read_text()), schema)


def test_schema_rejects_what_the_parser_rejects_by_shape():
    import jsonschema

    schema = json.loads((ROOT / "constraints" / "schema.json").read_text())
    for text in ("[space]\ncomplexitty = 3\n", "[space]\ncomplexity = [3, 8, 9]\n", "[[soft]]\npattern = 'a:*'\n",
                 "[[soft]]\npattern = 'a:*'\nweight = 0\n", "[space]\nmodality = 'imgae'\n",
                 "[[cardinality]]\nkind = 'objects'\nat_least = 1\n"):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(tomllib.loads(text), schema)


def test_every_example_in_the_format_reference_parses():
    """docs/constraints.md: each ```toml block and each pattern of the pattern table, on the default taxonomy."""
    from gas_solver.constraints import parse_pattern
    from gas_solver.taxonomy import load_taxonomy

    tax = load_taxonomy()
    doc = (ROOT / "docs" / "constraints.md").read_text()
    blocks = re.findall(r"```toml\n(.*?)```", doc, re.S)
    patterns = [p.replace("\\|", "|") for p in re.findall(r"^\| `([A-Za-z_]\w*:[^`]*)` \|", doc, re.M)]
    assert len(blocks) >= 6 and len(patterns) >= 8
    for block in blocks:
        parse_constraints(block, tax)
    for p in patterns:
        parse_pattern(p, tax)
