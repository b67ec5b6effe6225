"""Where the project writes: one output-path policy for every command and function that writes a file.

* A **new path or an existing regular file** is written under a temporary name in the same folder
  (``.NAME.XXXXXXXX.tmp``) and renamed onto the path only when every byte is written, so a reader never sees
  half a file and a killed run leaves at most that hidden temporary file (removed when the error is seen).
* An existing **FIFO, character device or socket** (a pipe, ``/dev/null``, a terminal) is written straight to:
  it is never replaced by a regular file.
* A **directory** or a **block device** is refused.
* A **symbolic link** is followed: the file it points to is written, the link stays.
* An empty path, a missing folder, a folder that cannot be written: :class:`OutputPathError`, naming the path
  and the reason, before anything is written.
* New files get mode ``0o666 & ~umask`` (the user's umask, as ``open()`` gives); a replaced file keeps its mode.

Examples
--------
>>> import os, tempfile
>>> d = tempfile.mkdtemp()
>>> write_output(os.path.join(d, "a.txt"), b"hello")
>>> open(os.path.join(d, "a.txt"), "rb").read()
b'hello'
>>> write_output(d, b"x")
Traceback (most recent call last):
gas_solver.outputs.OutputPathError: ... is a folder, not a file
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from pathlib import Path

from .errors import GasError

__all__ = ["OutputPathError", "check_output_path", "open_output", "write_output", "umask"]


class OutputPathError(GasError):
    """An output path that cannot or must not be written (empty, a folder, a missing folder, not writable)."""


def umask() -> int:
    """The process's umask (read without changing it where ``/proc`` says it; else set and restored at once)."""
    try:
        with open("/proc/self/status", "rb") as f:
            for line in f:
                if line.startswith(b"Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    old = os.umask(0o022)
    os.umask(old)
    return old


def _describe(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "not a regular file"


def check_output_path(path: str | os.PathLike, *, what: str = "output file") -> tuple[Path, bool]:
    """Validate ``path`` as an output file; returns ``(target, direct)``.

    ``target`` is the path to write (symbolic links resolved); ``direct`` is True for a FIFO, character
    device or socket, which are written straight to instead of through a temporary file and a rename.

    Raises
    ------
    OutputPathError
        For an empty path, a folder, a block device, a missing folder or one that cannot be written.
    """
    text = os.fspath(path)
    if not text:
        raise OutputPathError(f"the {what} path is empty")
    if "\x00" in text:
        raise OutputPathError(f"{what} {text!r}: a path cannot hold a NUL character")
    target = Path(os.path.realpath(text))
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputPathError(f"cannot write {text}: {exc.strerror}") from None
    if st is not None:
        mode = st.st_mode
        if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode):
            if not os.access(target, os.W_OK):
                raise OutputPathError(f"cannot write {text}: permission denied")
            return target, True
        if stat.S_ISDIR(mode):
            raise OutputPathError(f"{text} is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise OutputPathError(f"{text} is {_describe(mode)}; refusing to replace it")
    parent = target.parent
    if not parent.is_dir():
        raise OutputPathError(f"cannot write {text}: folder {os.path.dirname(text) or parent} does not exist"
                              if not parent.exists() else f"cannot write {text}: {parent} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputPathError(f"cannot write {text}: folder {parent} is not writable")
    return target, False


class _Output:
    """The file object of :func:`open_output` (bytes); see the module docstring for the policy."""

    def __init__(self, path, buffering: int, what: str):
        self.text = os.fspath(path)
        self.target, self.direct = check_output_path(path, what=what)
        self.buffering = buffering
        self.tmp: str | None = None
        self.fh = None

    def __enter__(self):
        try:
            if self.direct:
                self.fh = open(self.target, "wb", buffering=self.buffering)  # O_CREAT 0o666: the umask applies
                return self.fh
            fd, self.tmp = tempfile.mkstemp(dir=self.target.parent, prefix=f".{self.target.name}.", suffix=".tmp")
            try:
                mode = os.stat(self.target).st_mode & 0o7777
            except FileNotFoundError:
                mode = 0o666 & ~umask()
            os.fchmod(fd, mode)
            self.fh = os.fdopen(fd, "wb", buffering=self.buffering)
        except OSError as exc:
            self._discard()
            raise OutputPathError(f"cannot write {self.text}: {exc.strerror}") from None
        return self.fh

    def _discard(self) -> None:
        if self.tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.tmp)
            self.tmp = None

    def __exit__(self, exc_type, exc, tb):
        try:
            self.fh.close()  # flushes: a full disk shows here
        except OSError as err:
            if exc_type is None:
                exc_type, exc = type(err), err
        if exc_type is not None:
            self._discard()
            if issubclass(exc_type, OSError) and not isinstance(exc, BrokenPipeError):
                # a full disk, a vanished folder, a quota: the user's environment, not a bug
                raise OutputPathError(f"cannot write {self.text}: {exc.strerror or exc}") from None
            return False
        if self.tmp is not None:
            try:
                os.replace(self.tmp, self.target)
            except OSError as err:
                self._discard()
                raise OutputPathError(f"cannot write {self.text}: {err.strerror}") from None
            self.tmp = None
        return False


def open_output(path: str | os.PathLike | None, *, buffering: int = -1, what: str = "output file",
                stream: bool = False):
    """A context manager giving a binary file that lands on ``path`` by the module's policy.

    ``path`` None writes to standard output (flushed, never closed).  On an exception inside the block the
    temporary file is removed and ``path`` is untouched.  With ``stream`` the path is checked the same way
    but written in place as the lines come (a log whose every line counts even if the run is killed).
    """
    if path is None:
        return _Stdout()
    out = _Output(path, buffering, what)
    out.direct = out.direct or stream
    return out


class _Stdout:
    def __enter__(self):
        self.fh = sys.stdout.buffer
        return self.fh

    def __exit__(self, exc_type, exc, tb):
        self.fh.flush()
        return False


def write_output(path: str | os.PathLike, data: bytes, *, what: str = "output file") -> None:
    """Write ``data`` to ``path`` by the module's policy (temporary file and rename for regular files)."""
    with _Output(path, -1, what) as fh:
        fh.write(data)
