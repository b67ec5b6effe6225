"""`gas taxonomy ...` commands, on the toy taxonomy and the embedded default."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from gas_solver.cli.main import cli


def run(*args):
    return CliRunner().invoke(cli, ["taxonomy", *args])


@pytest.mark.parametrize("sub", ["stats", "search", "show", "categories", "validate"])
def test_help(sub):
    result = run(sub, "--help")
    assert result.exit_code == 0 and "Example:" in result.output


def test_stats_json_toy(data_dir):
    result = run("stats", "--json", "--taxonomy", str(data_dir / "toy.toml"))
    assert result.exit_code == 0
    stats = json.loads(result.output)
    assert stats["objects"] == 10 and stats["categories"] == 12 and stats["relations"] == 5
    assert stats["attribute_values"] == 9 and stats["scene_attribute_values"] == 5


def test_stats_default_text():
    result = run("stats")
    assert result.exit_code == 0 and "objects" in result.output and "default" in result.output


def test_search(data_dir):
    result = run("search", "SUV", "--taxonomy", str(data_dir / "toy.toml"))
    assert result.exit_code == 0 and result.output.startswith("suv\tSUV\tvehicle")
    result = run("search", "zzzzqqq", "--taxonomy", str(data_dir / "toy.toml"))
    assert result.exit_code == 1 and "no object matches" in result.output


def test_search_default_finds_dog_first():
    result = run("search", "dog", "--limit", "3")
    assert result.exit_code == 0
    first = result.output.splitlines()[0].split("\t")
    assert first[1] == "dog" and first[2] == "pet"


@pytest.mark.parametrize("ident,expect", [("water", ["object water", "mass noun", "thing > physical > food > drink"]),
                                          ("mammal", ["category mammal", "thing > physical > animal > mammal"]),
                                          ("state", ["attribute type state", "ripe [fruit]"]),
                                          ("riding", ["relation riding", "present:   rides", "subject:   animal"]),
                                          ("lighting", ["scene-attribute type lighting", "illuminated by {value}"])])
def test_show(data_dir, ident, expect):
    result = run("show", ident, "--taxonomy", str(data_dir / "toy.toml"))
    assert result.exit_code == 0, result.output
    for e in expect:
        assert e in result.output


def test_show_setting_lists_every_value_that_carries_it(data_dir):
    """A setting names its locations and the values of other place types that carry it (subject genres)."""
    result = run("show", "still_life", "--taxonomy", str(data_dir / "tiny_subjects.toml"))
    assert result.exit_code == 0, result.output
    assert "setting still_life" in result.output and "subject_genre (1): still_life" in result.output
    assert "locations (0)" in result.output


def test_show_unknown_is_a_clean_error(data_dir):
    result = run("show", "hors", "--taxonomy", str(data_dir / "toy.toml"))
    assert result.exit_code == 1 and "no object, category" in result.output and "horse" in result.output


def test_categories_tree_counts(data_dir):
    result = run("categories", "--taxonomy", str(data_dir / "toy.toml"))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "thing  0 / 10"
    assert "    animal  0 / 4" in lines and "      mammal  3 / 3" in lines
