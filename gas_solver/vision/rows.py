"""Reading dataset rows and output indexes; per-item seeds; atomic file writes.

A *dataset* is a JSONL file of rows (``gas sample`` / ``gas realize``
output), or a folder written by ``gas build`` (JSONL and/or Parquet shards,
found recursively).  A row needs ``id`` and ``caption``; ``questions`` (a list
of question dicts, or the same list as JSON text), ``modality`` and the
scene fields (``objects``, ``relations``, ``scene_attributes``, ``complexity``;
top-level as ``gas sample`` writes them, or inside a ``scene`` column, as a
dict or as JSON text, as ``gas build`` writes them) are used when present.
Parquet rows are numbered from 1 in error messages, like lines.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Iterable, Iterator

import orjson

from ..errors import SourceError
from ..outputs import write_output

__all__ = ["read_rows", "check_rows", "item_seed", "atomic_write_bytes", "read_jsonl", "row_questions", "QUESTION_FIELDS"]

QUESTION_FIELDS = ("id", "type", "question", "answer")


def item_seed(scene_id: str, index: int, seed: int = 0) -> int:
    """The generator seed of output ``index`` of scene ``scene_id`` under run seed ``seed``.

    A pure function of its arguments (SHA-256, 63 bits), so one item can be
    regenerated alone, in any batch, on any number of workers.

    Examples
    --------
    >>> item_seed("sg-00", 0) == item_seed("sg-00", 0)
    True
    >>> item_seed("sg-00", 0) != item_seed("sg-00", 1)
    True
    """
    digest = hashlib.sha256(f"gas-generate\x00{seed}\x00{scene_id}\x00{index}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_output(path, data)


def read_jsonl(path: Path, *, tolerate_torn_tail: bool = False) -> list[dict]:
    """All JSON objects of a JSONL file; errors name the file and line.

    With ``tolerate_torn_tail`` a last line without its newline that does not
    parse (a run killed mid-write) is dropped instead of raising.
    """
    path = Path(path)
    data = path.read_bytes()
    lines = data.split(b"\n")
    rows = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            if tolerate_torn_tail and n == len(lines):  # no newline after it: a torn write
                break
            raise SourceError(f"not valid JSON ({exc})", path=str(path), line=n) from None
        if not isinstance(obj, dict):
            raise SourceError("expected a JSON object per line", path=str(path), line=n)
        rows.append(obj)
    return rows


def _check_row(row: Any, path: str, line: int | None) -> dict:
    if not isinstance(row, dict):
        raise SourceError("expected a JSON object per row", path=path, line=line)
    for key in ("id", "caption"):
        if not isinstance(row.get(key), str) or not row.get(key):
            raise SourceError("missing or empty (a row needs a scene id and a caption)", path=path, line=line, field=key)
    scene = row.get("scene")
    if isinstance(scene, str):  # `gas build` rows carry the scene graph as JSON text
        try:
            scene = orjson.loads(scene)
        except orjson.JSONDecodeError:
            raise SourceError("not JSON text of a scene", path=path, line=line, field="scene") from None
    if isinstance(scene, dict):  # lift the graph's fields (objects, relations, ...) next to the row's own
        row = {**scene, **{k: v for k, v in row.items() if k != "scene"}}
    qs = row.get("questions")
    if isinstance(qs, str):  # Parquet / HF datasets builds may store nested lists as JSON text
        try:
            qs = orjson.loads(qs)
        except orjson.JSONDecodeError:
            raise SourceError("not a list of question objects nor JSON text of one", path=path, line=line, field="questions") from None
        row = {**row, "questions": qs}
    if qs is not None:
        if not isinstance(qs, list):
            raise SourceError("must be a list of question objects", path=path, line=line, field="questions")
        for i, q in enumerate(qs):
            for key in QUESTION_FIELDS:
                if not isinstance(q, dict) or key not in q:
                    raise SourceError(f"question {i} lacks {key!r}", path=path, line=line, field=f"questions[{i}].{key}")
    return row


def _parquet_rows(path: Path) -> Iterator[dict]:
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - pyarrow is in the dataset extra
        raise SourceError("reading Parquet shards needs pyarrow (pip install gas-solver[dataset])", path=str(path)) from exc
    table = pq.read_table(path)
    for i, row in enumerate(table.to_pylist(), 1):
        for key in ("objects", "relations", "scene_attributes"):
            if isinstance(row.get(key), str):
                try:
                    row[key] = orjson.loads(row[key])
                except orjson.JSONDecodeError:
                    raise SourceError("not JSON text", path=str(path), line=i, field=key) from None
        yield _check_row(row, str(path), i)


def read_rows(dataset: str | os.PathLike) -> Iterator[dict]:
    """Rows of a dataset: a JSONL file, a Parquet file, or a ``gas build`` folder.

    A folder is read in sorted path order; when it holds both JSONL and Parquet
    shards (``--format both``), the JSONL ones are read.

    Raises
    ------
    SourceError
        Naming file, line and field of the first bad row.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "d.jsonl"
    >>> _ = p.write_text('{"id": "sg-1", "caption": "a red car"}\\n')
    >>> [r["caption"] for r in read_rows(p)]
    ['a red car']
    """
    path = Path(dataset)
    if not path.exists():
        raise SourceError("no such file or folder", path=str(path))
    if path.is_dir():
        jsonl = sorted(p for p in path.rglob("*.jsonl") if not p.name.startswith("."))
        parquet = sorted(p for p in path.rglob("*.parquet") if not p.name.startswith("."))
        files = jsonl or parquet
        if not files:
            raise SourceError("folder holds no .jsonl or .parquet shards", path=str(path))
    else:
        files = [path]
    for f in files:
        if f.suffix == ".parquet":
            yield from _parquet_rows(f)
            continue
        with open(f, "rb") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    row = orjson.loads(line)
                except orjson.JSONDecodeError as exc:
                    raise SourceError(f"not valid JSON ({exc})", path=str(f), line=n) from None
                yield _check_row(row, str(f), n)


def check_rows(rows: Iterable[dict], source: str = "<rows>") -> Iterator[dict]:
    """Validate in-memory rows like file rows (errors name ``source`` and the row number, from 1)."""
    for n, row in enumerate(rows, 1):
        yield _check_row(row, source, n)


def row_questions(row: dict) -> list[dict]:
    """The question list of a row (empty when it has none)."""
    return list(row.get("questions") or [])
