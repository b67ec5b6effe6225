"""The build plan, its fingerprint, and ``manifest.json``.

A *plan* holds everything that decides a dataset's bytes: the project
version, the taxonomy (name, version, hash), the constraint file's hash, and
the build options that change output (n, seed, distribution, strata, backend,
splits, hold-out, formats, uniqueness, shard size, licence, sampler chunk
size, row-group size).  Options that do not change output — the number of
workers, the engine (local or Ray), the Ray address, progress display — are
not part of it, so a build can be resumed with other workers or another
engine.  The *fingerprint* is the SHA-256 of the plan's canonical JSON; a
folder holding a build with another fingerprint is never touched.

Files are written by the project's output-path policy (:mod:`gas_solver.outputs`):
to a temporary name in the same folder, then ``os.replace``.

Examples
--------
>>> a = {"seed": 0, "n": 10}
>>> fingerprint(a) == fingerprint({"n": 10, "seed": 0})
True
>>> plan_differences({"seed": 0, "n": 10}, {"seed": 1, "n": 10})
['seed: 0 (folder) vs 1 (this command)']
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import orjson

from ..errors import GasError
from ..outputs import write_output

__all__ = ["FORMAT", "STATE_DIR", "MANIFEST", "DatasetError", "fingerprint", "plan_differences",
           "write_bytes_atomic", "write_json_atomic", "read_json", "read_manifest"]

FORMAT = "gas-dataset/1"
#: working folder of an unfinished build, inside the output folder
STATE_DIR = ".gas-build"
MANIFEST = "manifest.json"


class DatasetError(GasError):
    """A dataset folder is missing, foreign, corrupt or inconsistent with its manifest."""


def _canonical(obj: Any) -> bytes:
    return orjson.dumps(obj, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)


def fingerprint(plan: dict) -> str:
    """SHA-256 (hex) of the plan's canonical JSON (sorted keys): equal plans, equal fingerprints."""
    return hashlib.sha256(_canonical(plan)).hexdigest()


def plan_differences(folder: dict, command: dict, prefix: str = "") -> list[str]:
    """Human-readable differences between two plans (``key: a (folder) vs b (this command)``)."""
    out = []
    for key in sorted(set(folder) | set(command)):
        a, b = folder.get(key), command.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            out += plan_differences(a, b, f"{prefix}{key}.")
        elif _canonical(a) != _canonical(b):
            out.append(f"{prefix}{key}: {_short(a)} (folder) vs {_short(b)} (this command)")
    return out


def _short(v: Any) -> str:
    text = orjson.dumps(v).decode() if not isinstance(v, str) else v
    return text if len(text) <= 60 else text[:57] + "..."


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and an atomic rename."""
    write_output(path, data)


def write_json_atomic(path: str | Path, obj: Any) -> None:
    """Pretty JSON (2-space indent, key order as given, final newline), written atomically."""
    write_bytes_atomic(path, orjson.dumps(obj, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS) + b"\n")


def read_json(path: str | Path) -> Any:
    try:
        return orjson.loads(Path(path).read_bytes())
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read: {exc.strerror}") from None
    except orjson.JSONDecodeError as exc:
        raise DatasetError(f"{path}: not valid JSON: {exc}") from None


def read_manifest(folder: str | Path) -> dict:
    """The manifest of a finished dataset folder (:class:`DatasetError` if absent or malformed)."""
    folder = Path(folder)
    path = folder / MANIFEST
    if not folder.is_dir():
        raise DatasetError(f"{folder}: no such dataset folder")
    if not path.exists():
        hint = " (an unfinished build: re-run the same `gas build` command to finish it)" \
            if (folder / STATE_DIR).exists() else ""
        raise DatasetError(f"{folder}: no {MANIFEST}; not a finished gas dataset{hint}")
    m = read_json(path)
    if not isinstance(m, dict) or m.get("format") != FORMAT:
        raise DatasetError(f"{path}: not a {FORMAT} manifest")
    return m
