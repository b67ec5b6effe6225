"""`gas sample` on spaces without scene attributes, for every distribution (it raised IndexError)."""

from __future__ import annotations

import collections
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner
from scipy.stats import chisquare

from gas_solver.cli.main import cli

DATA = Path(__file__).resolve().parent.parent / "data"
DISTRIBUTIONS = {
    "uniform": [],
    "weighted": [],
    "stratified": ["--strata", "complexity:1=0.5,2=0.5"],
    "per-structure": [],
    "near-uniform": [],
}


def _space(tmp_path: Path, how: str) -> tuple[Path, Path]:
    """(constraint file, taxonomy): a taxonomy without scene attributes, or a file that allows none."""
    f = tmp_path / "space.toml"
    if how == "taxonomy":
        f.write_text("[space]\ncomplexity = [1, 2]\n[[soft]]\npattern = \"a:vehicle\"\nweight = 2\n")
        return f, DATA / "tiny_street.toml"
    f.write_text("[space]\ncomplexity = [1, 2]\nscene_attributes = [0, 1]\n[vocabulary]\n"
                 "scene_attribute_types = []\n[[soft]]\npattern = \"a:animal\"\nweight = 2\n")
    return f, DATA / "toy.toml"


def _rows(args) -> list[dict]:
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 0, r.output
    return [orjson.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]


@pytest.mark.parametrize("how", ["taxonomy", "vocabulary"])
@pytest.mark.parametrize("distribution", list(DISTRIBUTIONS))
def test_sample_without_scene_attributes(tmp_path, distribution, how):
    f, tax = _space(tmp_path, how)
    rows = _rows(["sample", str(f), "--taxonomy", str(tax), "-n", "40", "--seed", "3", "--no-qa",
                  "--distribution", distribution, *DISTRIBUTIONS[distribution]])
    assert len(rows) == 40
    assert all(r["scene_attributes"] == [] for r in rows)
    listed = _rows(["enumerate", str(f), "--taxonomy", str(tax)])
    assert {r["id"] for r in rows} <= {r["id"] for r in listed}  # every draw is a scene of the space


def test_uniform_without_scene_attributes_is_uniform(tmp_path):
    """Exactly uniform over the 19 scenes of tiny_street at complexity <= 2 (chi-square, 1,900 draws)."""
    f = tmp_path / "space.toml"
    f.write_text("[space]\ncomplexity = [1, 2]\n")
    tax = DATA / "tiny_street.toml"
    ids = [r["id"] for r in _rows(["enumerate", str(f), "--taxonomy", str(tax)])]
    draws = _rows(["sample", str(f), "--taxonomy", str(tax), "-n", str(100 * len(ids)), "--seed", "0",
                   "--no-qa", "--no-caption"])
    counts = collections.Counter(r["id"] for r in draws)
    assert set(counts) <= set(ids)
    assert chisquare([counts[i] for i in ids]).pvalue > 0.01
