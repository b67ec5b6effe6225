"""Run folders of the training applications: settings checked on resume, finished steps, JSON written atomically.

A run folder holds ``run.json`` (the settings that decide its outputs) and one ``done.json`` per finished
step (a round, a stage, a fold).  A restarted run refuses other settings, skips finished steps and redoes
an unfinished one from its start: every step is a pure function of the settings and the steps before it,
so an interrupted and resumed run writes the same bytes as an uninterrupted one.

Examples
--------
>>> import tempfile, pathlib
>>> run = RunFolder(pathlib.Path(tempfile.mkdtemp()) / "run", {"seed": 0})
>>> run.finished("round-01")
>>> run.finish("round-01", {"kept": 3})
>>> run.finished("round-01")
{'kept': 3}
"""

from __future__ import annotations

from pathlib import Path

import orjson

from .. import __version__
from ..errors import GasError
from ..vision.rows import atomic_write_bytes, read_jsonl

__all__ = ["RunFolder", "write_json", "read_json", "write_jsonl"]

SETTINGS = "run.json"
DONE = "done.json"


def write_json(path: Path, obj) -> None:
    """Pretty, key-sorted JSON, written atomically (the same object gives the same bytes)."""
    atomic_write_bytes(Path(path), orjson.dumps(obj, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")


def read_json(path: Path):
    return orjson.loads(Path(path).read_bytes())


def write_jsonl(path: Path, rows) -> None:
    atomic_write_bytes(Path(path), b"".join(orjson.dumps(r, option=orjson.OPT_SORT_KEYS) + b"\n" for r in rows))


class RunFolder:
    """A resumable run: ``root/run.json`` holds the settings; ``root/<step>/done.json`` marks a finished step."""

    def __init__(self, root: str | Path, settings: dict, *, kind: str = "run"):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / SETTINGS
        record = {"gas_solver": __version__, "kind": kind, "settings": settings}
        normalized = orjson.loads(orjson.dumps(record, option=orjson.OPT_SORT_KEYS))
        if path.exists():
            old = read_json(path)
            if old.get("kind") != kind or old.get("settings") != normalized["settings"]:
                a, b = old.get("settings") or {}, normalized["settings"]
                diff = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k)) or ["kind"]
                raise GasError(f"{self.root} holds a {old.get('kind')} run with other settings "
                               f"({', '.join(diff)} differ); use a new output folder, or the same settings to resume")
        else:
            write_json(path, normalized)

    def step(self, name: str) -> Path:
        """The folder of a step (created)."""
        d = self.root / name
        d.mkdir(parents=True, exist_ok=True)
        return d

    def finished(self, name: str):
        """The summary a finished step recorded, or None."""
        path = self.root / name / DONE
        return read_json(path) if path.exists() else None

    def finish(self, name: str, summary: dict) -> None:
        """Mark a step finished with its summary (the last file a step writes)."""
        write_json(self.step(name) / DONE, summary)

    def rows(self, name: str, file: str, make) -> list[dict]:
        """Rows stored at ``root/name/file`` (JSONL), made by ``make()`` and written the first time."""
        path = self.step(name) / file
        if path.exists():
            return read_jsonl(path)
        rows = make()
        write_jsonl(path, rows)
        return read_jsonl(path)  # the same objects a resumed run reads
