"""The output-path policy (gas_solver/outputs.py): never replace what is not a regular file of ours."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from gas_solver.cli.main import cli
from gas_solver.outputs import OutputPathError, check_output_path, open_output, write_output

ROOT = Path(__file__).resolve().parent.parent
TOY = ROOT / "tests" / "data" / "toy.toml"
SPACE = "[space]\ncomplexity = [1, 2]\n"


def _space(tmp_path: Path) -> Path:
    f = tmp_path / "space.toml"
    f.write_text(SPACE)
    return f


def _make_char_device(path: Path) -> None:
    """A character device node of our own (same numbers as /dev/null), made with mknod (needs root)."""
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))


def test_sample_writes_into_a_fifo_and_leaves_it_a_fifo(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()))
    reader.start()
    r = CliRunner().invoke(cli, ["sample", str(_space(tmp_path)), "--taxonomy", str(TOY), "-n", "3", "--no-qa",
                                 "-o", str(fifo)])
    reader.join(timeout=30)
    assert r.exit_code == 0, r.output
    assert got and got[0].count(b"\n") == 3
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("command", ["sample", "enumerate", "realize", "prompts"])
def test_commands_write_into_a_character_device_of_our_own(tmp_path, command):
    dev = tmp_path / "device"
    _make_char_device(dev)
    f = _space(tmp_path)
    if command == "realize":
        scenes = tmp_path / "in.jsonl"
        scenes.write_text('{"objects": [{"concept": "dog"}]}\n')
        args = ["realize", str(scenes), "--taxonomy", str(TOY), "-o", str(dev)]
    elif command == "prompts":
        ds = tmp_path / "ds"
        assert CliRunner().invoke(cli, ["build", str(f), "--taxonomy", str(TOY), "-n", "5", "-o", str(ds)]).exit_code == 0
        dev = tmp_path / "device.txt"
        _make_char_device(dev)
        args = ["prompts", str(ds), "-o", str(dev)]
    else:
        args = [command, str(f), "--taxonomy", str(TOY), "-o", str(dev)] + (["-n", "3"] if command == "sample" else [])
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 0, r.output
    assert stat.S_ISCHR(os.stat(dev).st_mode), "the device was replaced by a regular file"
    assert os.major(os.stat(dev).st_rdev) == 1 and os.minor(os.stat(dev).st_rdev) == 3


def test_dev_null_stays_a_character_device(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "gas_solver.cli", "sample", str(_space(tmp_path)), "--taxonomy",
                           str(TOY), "-n", "2", "-o", "/dev/null"], capture_output=True, cwd=tmp_path,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002])
def test_new_output_files_follow_the_umask(tmp_path, mask):
    out = tmp_path / "rows.jsonl"
    old = os.umask(mask)
    try:
        r = CliRunner().invoke(cli, ["sample", str(_space(tmp_path)), "--taxonomy", str(TOY), "-n", "2", "-o", str(out)])
        write_output(tmp_path / "b.bin", b"x")
    finally:
        os.umask(old)
    assert r.exit_code == 0, r.output
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o666 & ~mask
    assert stat.S_IMODE(os.stat(tmp_path / "b.bin").st_mode) == 0o666 & ~mask


def test_replaced_file_keeps_its_mode_and_symlink_stays(tmp_path):
    target = tmp_path / "target.jsonl"
    target.write_bytes(b"old\n")
    os.chmod(target, 0o640)
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    write_output(link, b"new\n")
    assert link.is_symlink() and target.read_bytes() == b"new\n"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640


@pytest.mark.parametrize("path, message", [
    ("", "path is empty"),
    ("{tmp}/missing/x.jsonl", "does not exist"),
    ("{tmp}", "is a folder"),
    ("{tmp}/file.txt/x.jsonl", "Not a directory|is not a folder"),
    ("/proc/self/status", "not writable"),
])
def test_refusals_name_the_path(tmp_path, path, message):
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(OutputPathError, match=message):
        check_output_path(path.replace("{tmp}", str(tmp_path)))


def test_error_inside_the_block_leaves_the_old_file(tmp_path):
    out = tmp_path / "a.jsonl"
    out.write_bytes(b"keep\n")
    with pytest.raises(RuntimeError):
        with open_output(out) as fh:
            fh.write(b"half")
            raise RuntimeError("stop")
    assert out.read_bytes() == b"keep\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jsonl"]


def test_full_disk_is_a_clear_error_and_leaves_nothing(tmp_path, monkeypatch):
    """ENOSPC while writing: OutputPathError naming the file, no temporary file left, the old file intact."""
    out = tmp_path / "a.jsonl"
    out.write_bytes(b"keep\n")
    import errno

    class Full:
        def __init__(self, fh):
            self.fh = fh

        def write(self, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def close(self):
            self.fh.close()

    real = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda *a, **k: Full(real(*a, **k)))
    with pytest.raises(OutputPathError, match=r"a.jsonl: No space left on device"):
        write_output(out, b"new\n")
    assert out.read_bytes() == b"keep\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jsonl"]
