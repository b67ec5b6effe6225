"""gas check / count / enumerate through click's CliRunner."""

from __future__ import annotations

import json

import orjson
import pytest
from click.testing import CliRunner

from gas_solver.cli.main import cli

SMALL = '[space]\ncomplexity = [1, 2]\n'


@pytest.fixture
def toy(data_dir):
    return str(data_dir / "toy.toml")


@pytest.fixture
def small(tmp_path):
    p = tmp_path / "small.toml"
    p.write_text(SMALL)
    return str(p)


@pytest.mark.parametrize("cmd", ["check", "count", "enumerate"])
def test_help(cmd):
    r = CliRunner().invoke(cli, [cmd, "--help"])
    assert r.exit_code == 0
    assert "Example:" in r.output and f"gas {cmd}" in r.output


@pytest.mark.parametrize("backend", ["asp", "cpsat"])
def test_check_reports_size(toy, small, backend):
    r = CliRunner().invoke(cli, ["check", small, "--taxonomy", toy, "--backend", backend])
    assert r.exit_code == 0, r.output
    assert "OK, 126 scenes" in r.output


def test_check_unsat_lists_conflict(toy, data_dir):
    path = data_dir.parent / "solve" / "unsat" / "u04_forbid_animals_require_dog.toml"
    r = CliRunner().invoke(cli, ["check", str(path), "--taxonomy", toy])
    assert r.exit_code == 1
    assert "no scene satisfies" in r.output
    assert f"{path}:5: forbid[0]" in r.output and f"{path}:8: require[0]" in r.output


def test_count_json_by_shape(toy, small):
    r = CliRunner().invoke(cli, ["count", small, "--taxonomy", toy, "--by", "shape", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["total"] == 126
    assert sum(s["count"] for s in out["strata"]) == 126


def test_enumerate_to_file_and_backends_agree(toy, small, tmp_path):
    outs = []
    for backend in ("asp", "cpsat"):
        o = tmp_path / f"{backend}.jsonl"
        r = CliRunner().invoke(cli, ["enumerate", small, "--taxonomy", toy, "--backend", backend, "-o", str(o)])
        assert r.exit_code == 0, r.output
        outs.append(o.read_bytes())
    assert outs[0] == outs[1]
    rows = [orjson.loads(line) for line in outs[0].splitlines()]
    assert len(rows) == 126 and len({r["id"] for r in rows}) == 126
    assert not list(tmp_path.glob("*.tmp"))


def test_enumerate_limit_refuses_and_writes_nothing(toy, small, tmp_path):
    o = tmp_path / "out.jsonl"
    r = CliRunner().invoke(cli, ["enumerate", small, "--taxonomy", toy, "--limit", "10", "-o", str(o)])
    assert r.exit_code == 1
    assert "Error: the space has 126 scenes, more than the limit 10" in r.output
    assert not o.exists()


def test_enumerate_shards_and_cursor(toy, small, tmp_path):
    runner = CliRunner()
    full = runner.invoke(cli, ["enumerate", small, "--taxonomy", toy]).output.splitlines()
    parts = [runner.invoke(cli, ["enumerate", small, "--taxonomy", toy, "--shard", f"{i}/3"]).output.splitlines()
             for i in range(3)]
    assert sorted(x for p in parts for x in p) == sorted(full)
    cur = tmp_path / "cursors.txt"
    head = runner.invoke(cli, ["enumerate", small, "--taxonomy", toy, "--limit", "5", "--force",
                               "--cursors", str(cur)]).output.splitlines()
    assert head == full[:5]
    last = cur.read_text().split()[-1]
    rest = runner.invoke(cli, ["enumerate", small, "--taxonomy", toy, "--cursor", last]).output.splitlines()
    assert head + rest == full


def test_enumerate_structures(toy, small):
    r = CliRunner().invoke(cli, ["enumerate", small, "--taxonomy", toy, "--structures", "--backend", "cpsat"])
    assert r.exit_code == 0
    assert [json.loads(x)["key"] for x in r.output.splitlines()] == ["1|0|", "1|1|", "2|0,0|"]


def test_bad_shard_is_a_usage_error(toy, small):
    r = CliRunner().invoke(cli, ["enumerate", small, "--taxonomy", toy, "--shard", "4/3"])
    assert r.exit_code == 2 and "0 <= i < k" in r.output


def test_raw_asp_on_cpsat_is_a_clean_error(toy, tmp_path):
    p = tmp_path / "raw.toml"
    p.write_text('[space]\ncomplexity = [1, 2]\n[asp]\nrules = \':- concept(O,"dog").\'\n')
    r = CliRunner().invoke(cli, ["enumerate", str(p), "--taxonomy", toy, "--backend", "cpsat", "--force"])
    assert r.exit_code == 1 and "need the ASP backend" in r.output and "Traceback" not in r.output
