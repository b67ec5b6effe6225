"""``gas sample`` on the command line: output, determinism across workers, errors."""

from __future__ import annotations

import orjson
import pytest
from click.testing import CliRunner

from gas_solver.cli.main import cli
from gas_solver.constraints import parse_constraints, violations
from gas_solver.scene import scene_from_dict
from gas_solver.taxonomy import load_taxonomy

SMALL = """
[space]
complexity = [1, 3]
acyclic = false
scene_attributes = [0, 1]
"""


@pytest.fixture()
def small(tmp_path):
    p = tmp_path / "small.toml"
    p.write_text(SMALL)
    return p


def _run(*args):
    return CliRunner().invoke(cli, list(map(str, args)))


def test_help():
    r = _run("sample", "--help")
    assert r.exit_code == 0 and "Example:" in r.output and "--distribution" in r.output


def test_default_file_and_taxonomy_work_out_of_the_box():
    r = _run("sample", "-n", 3, "--seed", 5)
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 3
    row = orjson.loads(lines[0])
    assert row["id"].startswith("sg-") and 3 <= row["complexity"] <= 8 and row["objects"][0]["name"]


def test_rows_satisfy_the_file_and_workers_do_not_change_bytes(small, tmp_path, data_dir, monkeypatch):
    import gas_solver.solve.sample.chunks as chunks_mod

    monkeypatch.setattr(chunks_mod, "CHUNK_SIZE", 64)
    tax_path = data_dir / "toy.toml"
    outs = []
    for w in (1, 2, 4):
        out = tmp_path / f"w{w}.jsonl"
        r = _run("sample", small, "-n", 300, "--seed", 9, "--workers", w, "--taxonomy", tax_path, "-o", out)
        assert r.exit_code == 0, r.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] == outs[2]
    tax = load_taxonomy(tax_path)
    spec = parse_constraints(small, tax)
    rows = [orjson.loads(x) for x in outs[0].splitlines()]
    assert len(rows) == 300
    for row in rows:
        assert violations(scene_from_dict(row), spec, tax) == []
    assert not list(tmp_path.glob(".*.tmp"))


def test_stratified_and_unique(small, data_dir):
    r = _run("sample", small, "-n", 40, "--taxonomy", data_dir / "toy.toml", "--distribution", "stratified",
             "--strata", "complexity:1=1")
    assert r.exit_code == 0, r.stderr
    assert {orjson.loads(x)["complexity"] for x in r.stdout.splitlines()} == {1}
    r = _run("sample", small, "-n", 30, "--taxonomy", data_dir / "toy.toml", "--unique", "--seed", 2)
    ids = [orjson.loads(x)["id"] for x in r.stdout.splitlines()]
    assert r.exit_code == 0 and len(ids) == len(set(ids)) == 30


@pytest.mark.parametrize("args, message", [
    (["--distribution", "stratified", "--strata", "size:3=1"], "Error: bad strata"),
    (["--distribution", "stratified"], "Error: distribution 'stratified' needs strata"),
    (["--strata", "complexity:2=1"], "Error: strata are only used with distribution 'stratified'"),
    (["--distribution", "stratified", "--strata", "complexity:9=1"], "Error: stratum complexity=9 has no scenes"),
    (["--unique", "-n", "100000"], "Error: asked for 100000 distinct scenes but the space has only"),
])
def test_errors_are_clean(small, data_dir, args, message):
    r = _run("sample", small, "--taxonomy", data_dir / "toy.toml", *args)
    assert r.exit_code == 1
    assert r.stderr.startswith(message), r.stderr
    assert "Traceback" not in r.stderr


def test_bad_file_names_file_and_line_and_writes_nothing(tmp_path, data_dir):
    bad = tmp_path / "bad.toml"
    bad.write_text("[space]\ncomplexity = [1, 3]\nacylic = true\n")
    out = tmp_path / "out.jsonl"
    r = _run("sample", bad, "--taxonomy", data_dir / "toy.toml", "-o", out)
    assert r.exit_code == 1 and "bad.toml:3" in r.stderr
    assert not out.exists()


def test_empty_space_is_reported(tmp_path, data_dir):
    f = tmp_path / "empty.toml"
    f.write_text('[space]\ncomplexity = [1, 1]\n\n[[forbid]]\npattern = "a:thing"\n')
    r = _run("sample", f, "--taxonomy", data_dir / "toy.toml")
    assert r.exit_code == 1 and "empty" in r.stderr


def test_raw_asp_file_samples_by_rejection(tmp_path, data_dir):
    f = tmp_path / "raw.toml"
    f.write_text('[space]\ncomplexity = [1, 2]\n\n[asp]\nrules = \'\'\':- concept(O, "dog").\'\'\'\n')
    out = tmp_path / "o.jsonl"
    r = _run("sample", f, "-n", 50, "--taxonomy", data_dir / "toy.toml", "-o", out)
    assert r.exit_code == 0, r.stderr
    assert "not countable exactly" in r.stderr
    assert all(o["concept"] != "dog" for line in out.read_bytes().splitlines() for o in orjson.loads(line)["objects"])
