"""``gas build``, ``gas stats``, ``gas verify``, ``gas prompts`` through the click CLI."""

from __future__ import annotations

import shutil

import orjson
import pytest
from click.testing import CliRunner

from gas_solver.cli.main import cli

from .helpers import TOY_SPACE, TOY_TAXONOMY


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "ds"
    res = CliRunner().invoke(cli, ["build", str(TOY_SPACE), "--taxonomy", str(TOY_TAXONOMY), "-n", "1200", "-o",
                                   str(out), "--shard-size", "500", "--split", "train=0.8,test=0.2", "--format", "both"])
    assert res.exit_code == 0, res.output
    return out, res


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.mark.parametrize("command", ["build", "stats", "verify", "prompts"])
def test_help(command):
    res = run(command, "--help")
    assert res.exit_code == 0 and "Example:" in res.output


def test_build_reports_and_is_quiet_when_piped(built):
    out, res = built
    assert f"{out}: 1,200 rows (train" in res.output
    assert "scene/s" not in res.output and "\r" not in res.output  # no progress bar off a terminal


def test_verify_ok_then_corrupt_shard_named(built, tmp_path):
    out, _ = built
    res = run("verify", out, "--deep")
    assert res.exit_code == 0 and "OK (12 shards, 1,200 rows, every row checked)" in res.output
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    shard = copy / "data" / "train-00001-of-00003.parquet"
    data = bytearray(shard.read_bytes())
    data[len(data) // 2] ^= 0xFF
    shard.write_bytes(bytes(data))
    res = run("verify", copy)
    assert res.exit_code == 1
    assert "data/train-00001-of-00003.parquet: SHA-256 mismatch" in res.output
    assert "Error:" in res.output and "problem(s) found" in res.output


def test_verify_names_missing_stray_and_recounted_shards(built, tmp_path):
    out, _ = built
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    (copy / "jsonl" / "test-00000-of-00003.jsonl").unlink()
    (copy / "data" / "train-99999-of-99999.parquet").write_bytes(b"junk")
    res = run("verify", copy)
    assert res.exit_code == 1
    assert "jsonl/test-00000-of-00003.jsonl: missing" in res.output
    assert "data/train-99999-of-99999.parquet: not listed in manifest.json" in res.output


def test_verify_catches_an_edited_plan(built, tmp_path):
    from gas_solver.dataset.manifest import write_json_atomic

    out, _ = built
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    m = orjson.loads((copy / "manifest.json").read_bytes())
    m["plan"]["seed"] = 99
    write_json_atomic(copy / "manifest.json", m)
    res = run("verify", copy)
    assert res.exit_code == 1 and "does not match the fingerprint" in res.output


def test_verify_deep_catches_a_rewritten_row(built, tmp_path):
    """A consistent-looking edit (manifest checksums updated) is still caught row by row."""
    from gas_solver.dataset.manifest import write_json_atomic
    from gas_solver.dataset.schema import sha256_file

    out, _ = built
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    m = orjson.loads((copy / "manifest.json").read_bytes())
    m["formats"] = ["jsonl"]
    m["shards"] = [s for s in m["shards"] if s["format"] == "jsonl"]
    shutil.rmtree(copy / "data")
    path = copy / m["shards"][0]["path"]
    lines = path.read_bytes().splitlines()
    row = orjson.loads(lines[0])
    row["complexity"] += 1
    lines[0] = orjson.dumps(row)
    path.write_bytes(b"\n".join(lines) + b"\n")
    m["shards"][0].update(sha256=sha256_file(path), bytes=path.stat().st_size)
    write_json_atomic(copy / "manifest.json", m)
    assert run("verify", copy).exit_code == 0  # checksums, schema and counts agree
    res = run("verify", copy, "--deep")
    assert res.exit_code == 1 and "complexity / counts disagree with the scene graph" in res.output


def test_stats_tables(built):
    out, _ = built
    res = run("stats", out, "--top", "3")
    assert res.exit_code == 0, res.output
    for title in ("Rows", "Complexity", "Object categories", "Most frequent concepts", "Attribute types",
                  "Relation predicates", "Question types", "questions per scene"):
        assert title in res.output
    assert "total  1,200  100.0%" in res.output


def test_prompts_txt_and_jsonl(built, tmp_path):
    out, _ = built
    res = run("prompts", out, "-o", tmp_path / "p.txt")
    assert res.exit_code == 0 and "1,200 prompts" in res.output
    lines = (tmp_path / "p.txt").read_text().splitlines()
    assert len(lines) == 1200 and all(line.strip() for line in lines)
    res = run("prompts", out, "-o", tmp_path / "p.jsonl", "--split", "test")
    rows = [orjson.loads(x) for x in (tmp_path / "p.jsonl").read_bytes().splitlines()]
    m = orjson.loads((out / "manifest.json").read_bytes())
    assert len(rows) == m["written"]["test"] and {r["split"] for r in rows} == {"test"}
    assert set(rows[0]) == {"id", "split", "caption"} and rows[0]["caption"] in lines
    res = run("prompts", out, "-o", tmp_path / "p.csv")
    assert res.exit_code == 1 and "use a .txt" in res.output and not (tmp_path / "p.csv").exists()
    res = run("prompts", out, "-o", tmp_path / "q.txt", "--split", "dev")
    assert res.exit_code == 1 and "no split 'dev'" in res.output


@pytest.mark.parametrize("args, message", [
    (["--split", "train=0.9,test=0.2"], "--split: ratios sum to 1.1, not 1"),
    (["--holdout", "relation-pairs", "--split", "train=1"], "needs a split named 'test'"),
    (["--holdout", "colours"], "--holdout: unknown value 'colours'"),
    (["--ray-address", "auto"], "--ray-address needs --engine ray"),
    (["--strata", "complexity:x=1", "--distribution", "stratified"], "bad strata entry"),
])
def test_build_bad_options(tmp_path, args, message):
    res = run("build", TOY_SPACE, "--taxonomy", TOY_TAXONOMY, "-n", 10, "-o", tmp_path / "ds", *args)
    assert res.exit_code == 1, res.output
    assert message in res.output and "Traceback" not in res.output
    assert not (tmp_path / "ds").exists()


def test_build_stratified_by_shape_labels_rows(tmp_path):
    res = run("build", TOY_SPACE, "--taxonomy", TOY_TAXONOMY, "-n", 400, "-o", tmp_path / "ds",
              "--distribution", "stratified", "--strata", "shape:1/1/0=0.5,2/0/1=0.5")
    assert res.exit_code == 0, res.output
    from gas_solver.dataset.schema import iter_shard_rows

    rows = list(iter_shard_rows(tmp_path / "ds" / "data" / "train-00000-of-00001.parquet", ("stratum", "n_objects")))
    assert {r["stratum"] for r in rows} == {"shape=1/1/0", "shape=2/0/1"}
    assert 120 < sum(r["stratum"] == "shape=1/1/0" for r in rows) < 280
    card = (tmp_path / "ds" / "README.md").read_text()
    assert "## Counts per stratum (shape)" in card and "| 1/1/0 |" in card
