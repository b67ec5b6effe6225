"""SIGKILL, SIGINT and a full disk during `gas build` and `gas sample -o`: nothing half-written that a reader
or `gas verify` accepts, and the same command afterwards gives the bytes of an uninterrupted run.

Builds killed by SIGKILL (twice, with workers) are covered by tests/dataset/test_build.py; this file adds
SIGINT and a full disk for builds, and all three for `gas sample -o`.  The full disk is a small tmpfs where
this machine lets the test mount one (root in a container that allows it), and ENOSPC injected into the
writes of gas_solver.outputs (always, and in place of the tmpfs where mount is refused): the same assertions.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from gas_solver.cli.main import cli
from gas_solver.dataset import verify_dataset
from gas_solver.dataset.manifest import STATE_DIR

ROOT = Path(__file__).resolve().parent.parent.parent
TOY_SPACE = ROOT / "tests" / "dataset" / "toy_space.toml"
TOY_TAXONOMY = ROOT / "tests" / "data" / "toy.toml"


def folder_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> bytes)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

GAS = [sys.executable, "-m", "gas_solver.cli"]
ENV = dict(os.environ, PYTHONPATH=str(ROOT))
BUILD = ["--taxonomy", str(TOY_TAXONOMY), "-n", "1500", "--seed", "4", "--shard-size", "100", "--format", "both"]
SAMPLE = ["--taxonomy", str(TOY_TAXONOMY), "--seed", "2", "--no-qa"]


def _build(out: Path) -> list[str]:
    return GAS + ["build", str(TOY_SPACE), "-o", str(out), *BUILD]


def _sample(out: Path, n: int) -> list[str]:
    return GAS + ["sample", str(TOY_SPACE), "-n", str(n), "-o", str(out), *SAMPLE]


def _interrupt_when(cmd: list[str], ready, sig: int) -> subprocess.CompletedProcess:
    """Run ``cmd``, send ``sig`` once ``ready()`` holds; the finished process (stderr kept)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and not ready():
        time.sleep(0.005)
    assert proc.poll() is None, "the command finished before it could be interrupted"
    os.kill(proc.pid, sig)
    _, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(cmd, proc.returncode, b"", err)


@pytest.fixture(scope="module")
def fresh_build(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("fresh") / "ds"
    subprocess.run(_build(out), check=True, capture_output=True, env=ENV)
    return folder_bytes(out)


@pytest.fixture(scope="module")
def fresh_sample(tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("fresh") / "rows.jsonl"
    subprocess.run(_sample(out, 60000), check=True, capture_output=True, env=ENV)
    return out.read_bytes()


def test_sigint_mid_build_then_resume_is_byte_identical(tmp_path, fresh_build):
    out = tmp_path / "ds"
    parts = out / STATE_DIR / "parts"
    done = _interrupt_when(_build(out), lambda: parts.is_dir() and len(list(parts.glob("p*.json"))) >= 3,
                           signal.SIGINT)
    assert done.returncode != 0
    assert b"Traceback" not in done.stderr, done.stderr.decode()[-2000:]
    assert not (out / "manifest.json").exists()
    with pytest.raises(Exception, match="no manifest.json"):
        verify_dataset(out)
    r = subprocess.run(_build(out), capture_output=True, env=ENV)
    assert r.returncode == 0, r.stderr
    assert folder_bytes(out) == fresh_build


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_interrupted_sample_leaves_no_file_a_reader_would_take(tmp_path, fresh_sample, sig):
    out = tmp_path / "rows.jsonl"
    out.write_bytes(b'{"old": "rows"}\n')  # an earlier result must survive an interrupted run intact

    def writing() -> bool:
        return any(p.name.startswith(".rows.jsonl.") and p.stat().st_size > 0 for p in tmp_path.iterdir())

    done = _interrupt_when(_sample(out, 60000), writing, sig)
    assert done.returncode != 0
    assert b"Traceback" not in done.stderr, done.stderr.decode()[-2000:]
    assert out.read_bytes() == b'{"old": "rows"}\n'
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "rows.jsonl"]
    if sig == signal.SIGINT:
        assert leftovers == []  # the temporary file is removed on the way out
    else:
        assert all(n.startswith(".rows.jsonl.") and n.endswith(".tmp") for n in leftovers)  # hidden, never renamed
    r = subprocess.run(_sample(out, 60000), capture_output=True, env=ENV)
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == fresh_sample


@contextlib.contextmanager
def _small_disk(folder: Path, size_kb: int, monkeypatch, how: str):
    """``folder`` on a ``size_kb`` tmpfs (``how="tmpfs"``, if mount works here), else writes failing with
    ENOSPC once ``size_kb`` kB went through gas_solver.outputs. Yields a function that frees the space."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = how == "tmpfs" and subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs",
                                                 str(folder)], capture_output=True).returncode == 0
    if mounted:
        try:
            yield lambda: subprocess.run(["mount", "-o", "remount,size=64m", str(folder)], check=True)
        finally:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)
        return
    import gas_solver.outputs as outputs

    budget = [size_kb * 1024]
    real_fdopen = os.fdopen

    class Filling:
        def __init__(self, fh):
            self.fh = fh

        def write(self, data):
            budget[0] -= len(data)
            if budget[0] < 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return self.fh.write(data)

        def __getattr__(self, name):
            return getattr(self.fh, name)

    monkeypatch.setattr(outputs.os, "fdopen", lambda *a, **k: Filling(real_fdopen(*a, **k)))
    yield monkeypatch.undo
    monkeypatch.undo()


@pytest.mark.parametrize("how", ["tmpfs", "injected"])
def test_full_disk_during_build_then_rerun_is_byte_identical(tmp_path, fresh_build, monkeypatch, how):
    disk = tmp_path / "disk"
    out = disk / "ds"
    args = ["build", str(TOY_SPACE), "-o", str(out), *BUILD]
    with _small_disk(disk, 96, monkeypatch, how) as free:
        r = CliRunner().invoke(cli, args)
        assert r.exit_code == 1, r.output
        assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
        assert "No space left on device" in r.stderr, r.stderr
        assert not (out / "manifest.json").exists()
        with pytest.raises(Exception, match="no manifest.json"):
            verify_dataset(out)
        free()
        r = CliRunner().invoke(cli, args)
        assert r.exit_code == 0, r.output
        assert folder_bytes(out) == fresh_build


@pytest.mark.parametrize("how", ["tmpfs", "injected"])
def test_full_disk_during_sample_then_rerun_is_byte_identical(tmp_path, fresh_sample, monkeypatch, how):
    disk = tmp_path / "disk"
    out = disk / "rows.jsonl"
    args = ["sample", str(TOY_SPACE), "-n", "60000", "-o", str(out), *SAMPLE]
    with _small_disk(disk, 256, monkeypatch, how) as free:
        r = CliRunner().invoke(cli, args)
        assert r.exit_code == 1, r.output
        assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
        assert "No space left on device" in r.stderr and "rows.jsonl" in r.stderr, r.stderr
        assert list(disk.iterdir()) == []  # neither the output nor its temporary file
        free()
        r = CliRunner().invoke(cli, args)
        assert r.exit_code == 0, r.output
        assert out.read_bytes() == fresh_sample
