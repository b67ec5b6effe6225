"""The hostile corpus through the command line: no traceback, no hang, no wrong success.

Each case of ``cases.py`` runs once.  In-process cases go through click's CliRunner (fast: the taxonomy and
modules stay loaded) and are timed; cases that once hung run in a child process killed at the time limit.
A case fails on a traceback (an exception other than SystemExit, or "Traceback" in the output), on running
past the limit, on an exit status other than the expected one, or on a message that does not name what it
should.  Counts per outcome: ``python -m pytest tests/hostile -q -rA | grep -c PASSED``.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from gas_solver.cli.main import cli

from . import cases

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TOY = ROOT / "tests" / "data" / "toy.toml"
#: the most seconds a case may take (in a child process, on top of the interpreter's start-up)
LIMIT_S = 10.0
START_UP_S = 5.0


def _all_cases():
    out = []
    for name, (commands, expect, pattern) in cases.CONSTRAINTS.items():
        tax = ROOT / "tests" / "data" / cases.TAXONOMY_OF.get(name, "toy.toml")
        for cmd in commands:
            argv = [cmd, "{c}/" + name, "--taxonomy", str(tax)]
            if cmd == "sample":
                argv += ["-n", "2", "--no-qa", "--no-caption"]
            if cmd == "enumerate":
                argv += ["--limit", "20"]
            isolate = cmd != "check" or "bomb" in name or "unbounded" in name
            out.append((f"constraints/{name}/{cmd}", argv, expect, pattern, isolate, "{c}/" + name))
    for name, pattern in cases.TAXONOMIES.items():
        isolate = name.startswith(("bomb", "nested"))
        out.append((f"taxonomies/{name}/validate", ["taxonomy", "validate", "{t}/" + name], "error", pattern, isolate,
                    "{t}/" + name))
        out.append((f"taxonomies/{name}/check", ["check", "{c}/ok_bom.toml", "--taxonomy", "{t}/" + name], "error",
                    pattern, isolate, "{t}/" + name))
    for name, pattern in cases.OK_TAXONOMIES.items():
        out.append((f"taxonomies/{name}/validate", ["taxonomy", "validate", "{t}/" + name], "ok", pattern, False, None))
    for name, pattern in cases.SCENES.items():
        out.append((f"scenes/{name}", ["realize", "{s}/" + name, "--taxonomy", str(TOY), "-o", "{tmp}/out.jsonl"],
                    "error", pattern, False, "{s}/" + name))
    for name, pattern in cases.OK_SCENES.items():
        out.append((f"scenes/{name}", ["realize", "{s}/" + name, "--taxonomy", str(TOY), "-o", "{tmp}/out.jsonl"],
                    "ok", pattern, True, None))
    for cid, argv, expect, pattern, isolate in cases.COMMANDS:
        out.append((f"commands/{cid}", argv, expect, pattern, isolate, None))
    for damage in cases.DAMAGES:
        for cmd in ("stats", "prompts", "verify"):
            argv = [cmd, "{dmg}"] + (["-o", "{tmp}/p.txt"] if cmd == "prompts" else [])
            out.append((f"datasets/{damage}/{cmd}", argv, "error", damage, False, None))
    return out


CASES = _all_cases()


def test_corpus_size():
    """At least 150 hostile files and command lines, each with its expected outcome."""
    files = [p for d in ("constraints", "taxonomies", "scenes") for p in (HERE / d).iterdir()]
    assert len(files) >= 150, len(files)
    assert len(CASES) >= 300, len(CASES)
    used = {c[5] for c in CASES if c[5]} | {f"{{c}}/{n}" for n in cases.CONSTRAINTS} | \
        {f"{{t}}/{n}" for n in cases.OK_TAXONOMIES} | {f"{{s}}/{n}" for n in cases.OK_SCENES}
    listed = {f"{{{d[0]}}}/{p.name}" for d in ("constraints", "taxonomies", "scenes") for p in (HERE / d).iterdir()}
    assert listed <= used, sorted(listed - used)  # every file has an expected outcome


def _damage(src: Path, dst: Path, how: str) -> None:
    shutil.copytree(src, dst)
    shard = sorted((dst / "data").glob("*.parquet"))[0]
    if how == "deleted_shard":
        shard.unlink()
    elif how == "truncated_shard":
        shard.write_bytes(shard.read_bytes()[: shard.stat().st_size // 2])
    elif how == "zero_byte_shard":
        shard.write_bytes(b"")
    elif how == "bit_flipped_shard":
        b = bytearray(shard.read_bytes())
        b[len(b) // 2] ^= 0x10
        shard.write_bytes(bytes(b))
    elif how == "manifest_garbage":
        (dst / "manifest.json").write_bytes(b"{garbage")
    elif how == "manifest_deleted":
        (dst / "manifest.json").unlink()
    elif how == "stray_shard":
        shutil.copy(shard, dst / "data" / "train-99999-of-99999.parquet")


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    out = tmp_path_factory.mktemp("hostile") / "ds"
    r = CliRunner().invoke(cli, ["build", str(HERE / "constraints" / "ok_bom.toml"), "--taxonomy", str(TOY),
                                 "-n", "30", "--shard-size", "10", "-o", str(out)])
    assert r.exit_code == 0, r.output
    return out


_DAMAGE_MESSAGE = {
    "deleted_shard": r"train-00000-of-00003.parquet: missing",
    "truncated_shard": r"train-00000-of-00003.parquet: size",
    "zero_byte_shard": r"train-00000-of-00003.parquet: size 0 bytes",
    "bit_flipped_shard": r"train-00000-of-00003.parquet: SHA-256 mismatch",
    "manifest_garbage": r"manifest.json: not valid JSON",
    "manifest_deleted": r"no manifest.json; not a finished gas dataset",
    "stray_shard": r"train-99999-of-99999.parquet: not listed in manifest.json",
}


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_hostile_case(case, tmp_path, dataset):
    cid, argv, expect, pattern, isolate, named = case
    work = tmp_path / "work"
    work.mkdir()
    dmg = None
    if cid.startswith("datasets/"):
        dmg = tmp_path / "damaged"
        _damage(dataset, dmg, pattern)
        pattern = _DAMAGE_MESSAGE[pattern]
    subst = {"{c}": str(HERE / "constraints"), "{t}": str(HERE / "taxonomies"), "{s}": str(HERE / "scenes"),
             "{tmp}": str(work), "{toy}": str(TOY), "{ds}": str(dataset), "{dmg}": str(dmg)}

    def fill(a: str) -> str:
        for k, v in subst.items():
            a = a.replace(k, v)
        return a

    args = [fill(a) for a in argv]
    if isolate:
        env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        t0 = time.monotonic()
        try:
            p = subprocess.run([sys.executable, "-m", "gas_solver.cli", *args], capture_output=True,
                               timeout=LIMIT_S + START_UP_S, env=env, cwd=work)
        except subprocess.TimeoutExpired:
            pytest.fail(f"hang: no answer in {LIMIT_S + START_UP_S:.0f} s")
        elapsed = time.monotonic() - t0
        code, out, err = p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")
        crashed = None
    else:
        t0 = time.monotonic()
        r = CliRunner().invoke(cli, args, catch_exceptions=True)
        elapsed = time.monotonic() - t0
        code, out, err = r.exit_code, r.stdout, r.stderr
        crashed = r.exception if r.exception is not None and not isinstance(r.exception, SystemExit) else None
        assert elapsed < LIMIT_S, f"took {elapsed:.1f} s (limit {LIMIT_S} s)"
    assert crashed is None, f"traceback: {crashed!r}"
    assert "Traceback" not in out + err, err[-2000:]
    if expect == "ok":
        assert code == 0, f"exit {code}: {err[-1000:]}"
        assert re.search(pattern, out + err), (out[-500:], err[-500:])
    else:
        assert code in (1, 2), f"wrong success (exit {code}): {out[-500:]}"
        assert "Error" in err, err[-1000:]
        if named is not None:  # constraint-file patterns start after "<file>:", the others after "<file>"
            pattern = re.escape(fill(named)) + (":" if cid.startswith("constraints/") else "") + pattern
        assert re.search(pattern, err), err[-1500:]
    if "/dev/null" in args:
        assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    if dmg is not None:
        assert not (work / "p.txt").exists()  # nothing half-written from a damaged dataset
