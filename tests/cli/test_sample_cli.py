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
    (["--distribution", "uniform", "--strata", "complexity:2=1"],
     "Error: strata are only used with distribution 'stratified'"),
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


def _processes_naming(path) -> list[int]:
    """Pids of live processes whose command line names ``path`` (a driver and its forked workers)."""
    from pathlib import Path

    pids = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (proc / "cmdline").read_bytes()
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if str(path).encode() in cmdline.split(b"\0") and state != "Z":
            pids.append(int(proc.name))
    return pids


@pytest.mark.skipif(not __import__("sys").platform.startswith("linux"), reason="reads /proc")
def test_sigkill_of_gas_sample_with_workers_leaves_no_process(tmp_path):
    """The sampler's workers run in the project's one pool, which exits when its driver dies (even by SIGKILL)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "killed.jsonl"
    cmd = [sys.executable, "-c", "from gas_solver.cli.main import cli; cli()", "sample", "-n", "10000000",
           "--workers", "2", "-o", str(out)]  # the default file and taxonomy: rows of a few kB
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def writing() -> bool:  # rows have reached the temporary file: the workers are drawing chunk after chunk
        return any(p.stat().st_size > 0 for p in tmp_path.glob(".killed.jsonl.*.tmp"))

    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None and not writing():
        time.sleep(0.01)
    assert proc.poll() is None and len(_processes_naming(out)) >= 3, "the driver and two workers never ran"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # the workers watch their parent every 0.5 s and exit at once; a pool without the watch kept its
    # workers until they next touched their queues, after the chunk they were drawing (seconds)
    deadline = time.monotonic() + 2
    while _processes_naming(out) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _processes_naming(out), "the killed driver's workers outlived it"
    assert not out.exists()  # nothing half-written under the output's name


SECTIONED = SMALL + """
[sampling]
by = "objects"
strata = { 1 = 1, 2 = 1, 3 = 2 }
"""


def test_the_files_sampling_section_is_the_default_law_and_options_override_it(tmp_path, data_dir):
    p = tmp_path / "sectioned.toml"
    p.write_text(SECTIONED)
    tax = ["--taxonomy", data_dir / "toy.toml", "--no-caption", "--no-qa", "-n", 4000, "--seed", 3]

    def objects(*args):
        r = _run("sample", p, *tax, *args)
        assert r.exit_code == 0, r.stderr
        return [orjson.loads(x) for x in r.stdout.splitlines()]

    rows = objects()
    share = {n: sum(len(x["objects"]) == n for x in rows) / len(rows) for n in (1, 2, 3)}
    assert abs(share[1] - 0.25) < 0.03 and abs(share[2] - 0.25) < 0.03 and abs(share[3] - 0.5) < 0.03
    # the explicit law wins: uniform over scenes puts most draws on two-object scenes (864 of 1,295 graphs)
    rows = objects("--distribution", "uniform")
    assert sum(len(x["objects"]) == 2 for x in rows) / len(rows) > 0.6
    rows = objects("--strata", "objects:1=1")
    assert {len(x["objects"]) for x in rows} == {1}
    r = _run("sample", p, *tax, "--distribution", "uniform", "--strata", "objects:1=1")
    assert r.exit_code == 1 and "strata are only used with distribution 'stratified'" in r.stderr


def test_the_default_file_mixes_complexities():
    r = _run("sample", "-n", 1200, "--seed", 1, "--no-caption", "--no-qa")
    assert r.exit_code == 0, r.stderr
    rows = [orjson.loads(x) for x in r.stdout.splitlines()]
    per = {c: sum(x["complexity"] == c for x in rows) / len(rows) for c in range(3, 9)}
    assert all(0.12 < v < 0.22 for v in per.values()), per  # one sixth each, not almost all 8


def test_counted_objects_on_the_command_line(tmp_path, data_dir):
    p = tmp_path / "two_animals.toml"
    p.write_text('[space]\ncomplexity = [2, 3]\nobjects = 2\n[[count]]\nobjects = ["animal"]\nn = 2\n')
    tax = ["--taxonomy", data_dir / "toy.toml"]
    r = _run("count", p, *tax, "--by", "objects")
    assert r.exit_code == 0 and r.output.splitlines()[0] == "total: 39"
    r = _run("sample", p, *tax, "-n", 50, "--seed", 2)
    assert r.exit_code == 0, r.stderr
    for x in map(orjson.loads, r.stdout.splitlines()):
        assert len({o["concept"] for o in x["objects"]}) == 1
        assert "two " in x["caption"].lower() or "2" in x["caption"]
    r = _run("enumerate", p, *tax)
    assert r.exit_code == 0 and len(r.stdout.splitlines()) == 39
