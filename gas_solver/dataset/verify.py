"""``gas verify``: check a dataset folder against its manifest.

Checks, each naming the shard it concerns:

* the manifest's plan matches its fingerprint;
* every shard of the manifest exists, has the recorded size and SHA-256;
* no stray data file lies in ``data/`` or ``jsonl/`` that the manifest does not list;
* every shard has the schema of :data:`~gas_solver.dataset.schema.COLUMNS` and the recorded number of rows;
* rows per split and in total agree with the manifest's ``written`` counts;
* with ``deep=True``, every row: the scene JSON parses, its canonical id equals ``id``,
  counts and complexity agree with the graph, the questions parse; for pair hold-outs,
  a row is in ``test`` exactly when it contains a held-out combination.

Examples
--------
>>> problems = verify_dataset("out")            # doctest: +SKIP
>>> problems                                    # doctest: +SKIP
[]
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import orjson

from .manifest import DatasetError, fingerprint, read_manifest
from .schema import COLUMNS, iter_shard_rows, read_shard_schema, sha256_file, shard_row_count
from .splits import combo_hash, combos_of

__all__ = ["verify_dataset", "require_intact"]

_JSONL_KINDS = {"string": "string", "int64": "int", "int32": "int"}


def verify_dataset(folder: str | Path, *, deep: bool = False) -> list[str]:
    """Problems found in a dataset folder (empty list: it verifies).

    Raises :class:`~gas_solver.dataset.manifest.DatasetError` only when there is
    no readable manifest; everything else is reported as a problem line.
    """
    folder = Path(folder)
    m = read_manifest(folder)
    problems: list[str] = []
    if "plan" in m and fingerprint(m["plan"]) != m.get("fingerprint"):
        problems.append("manifest.json: the recorded plan does not match the fingerprint (the manifest was edited)")
    rows_by_split: Counter = Counter()
    listed = set()
    formats = m.get("formats", [])
    for shard in m.get("shards", []):
        rel = shard["path"]
        listed.add(rel)
        path = folder / rel
        if not path.exists():
            problems.append(f"{rel}: missing")
            continue
        size = path.stat().st_size
        if size != shard["bytes"]:
            problems.append(f"{rel}: size {size:,} bytes, manifest says {shard['bytes']:,}")
        digest = sha256_file(path)
        if digest != shard["sha256"]:
            problems.append(f"{rel}: SHA-256 mismatch (file {digest[:12]}…, manifest {shard['sha256'][:12]}…): "
                            "the shard is corrupt or was modified")
            continue
        try:
            schema = read_shard_schema(path)
            rows = shard_row_count(path)
        except Exception as exc:  # a damaged file: pyarrow / orjson raise many kinds
            problems.append(f"{rel}: unreadable: {exc}")
            continue
        want = [(n, t) for n, t in COLUMNS] if shard["format"] == "parquet" else \
            [(n, _JSONL_KINDS[t]) for n, t in COLUMNS]
        if schema != want:
            problems.append(f"{rel}: schema {schema} differs from the dataset schema {want}")
        if rows != shard["rows"]:
            problems.append(f"{rel}: {rows:,} rows, manifest says {shard['rows']:,}")
        if shard["format"] == formats[0]:
            rows_by_split[shard["split"]] += rows
        if deep and not problems:
            problems += _deep_check(path, rel, shard["split"], m)
    for sub in ("data", "jsonl"):
        if (folder / sub).is_dir():
            for p in sorted((folder / sub).iterdir()):
                rel = f"{sub}/{p.name}"
                if rel not in listed:
                    problems.append(f"{rel}: not listed in manifest.json (stray file; Hugging Face would load it)")
    written = m.get("written", {})
    for split in m.get("split", {}):
        if rows_by_split.get(split, 0) != written.get(split, 0):
            problems.append(f"split {split}: {rows_by_split.get(split, 0):,} rows in shards, "
                            f"manifest says {written.get(split, 0):,}")
    if sum(rows_by_split.values()) != written.get("total", -1):
        problems.append(f"total: {sum(rows_by_split.values()):,} rows in shards, manifest says {written.get('total')}")
    return problems


def require_intact(folder: str | Path) -> dict:
    """The manifest of ``folder`` if it verifies (shallow checks), else :class:`DatasetError` listing the
    problems as ``gas verify`` does: readers (``gas stats``, ``gas prompts``) never read a damaged shard."""
    problems = verify_dataset(folder)
    if problems:
        shown = "\n".join(f"  {p}" for p in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise DatasetError(f"{folder}: {len(problems)} problem(s) found (run `gas verify {folder}`; rebuild with "
                           f"the same `gas build` command into a new folder):\n{shown}{more}")
    return read_manifest(folder)


def _deep_check(path: Path, rel: str, split: str, m: dict) -> list[str]:
    from ..scene import SceneFormatError, canonical_id, scene_from_dict

    h = m.get("holdout")
    kind = h["kind"] if h and h["kind"] != "pattern" and "threshold" in h else None
    threshold = int(h["threshold"]) if kind else 0
    out = []
    for row in iter_shard_rows(path):
        where = f"{rel}: row index {row.get('index')}"
        try:
            d = orjson.loads(row["scene"])
            scene = scene_from_dict(d)
            orjson.loads(row["questions"])
        except (orjson.JSONDecodeError, SceneFormatError, KeyError, TypeError) as exc:
            out.append(f"{where}: malformed scene or questions: {exc}")
            continue
        if canonical_id(scene) != row["id"]:
            out.append(f"{where}: id {row['id']} is not the canonical id of its scene")
        if (scene.complexity, *scene.shape) != (row["complexity"], row["n_objects"], row["n_attributes"],
                                                row["n_relations"]):
            out.append(f"{where}: complexity / counts disagree with the scene graph")
        if kind:
            held = any(combo_hash(m["seed"], c) < threshold for c in combos_of(d, kind))
            if held != (split == "test"):
                out.append(f"{where}: {'contains' if held else 'lacks'} a held-out {kind} combination "
                           f"but is in split {split!r}")
        if len(out) >= 20:
            out.append(f"{rel}: stopping after 20 problems")
            break
    return out
