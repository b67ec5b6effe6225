"""``gas prompts``: export the captions of a built dataset for tools that only want text.

Two formats, chosen by the output file's suffix:

* ``.txt``: one caption per line (line breaks inside a caption become spaces);
* ``.jsonl``: one JSON object per line, ``{"id": ..., "split": ..., "caption": ...}``.

Rows come in manifest order (split by split, shard by shard), streaming.

Examples
--------
>>> export_prompts("out", "prompts.txt")        # doctest: +SKIP
10000
"""

from __future__ import annotations

from pathlib import Path

import orjson

from ..errors import GasError
from ..outputs import open_output
from .verify import require_intact
from .schema import iter_shard_rows

__all__ = ["export_prompts"]


def export_prompts(folder: str | Path, out: str | Path, *, split: str | None = None) -> int:
    """Write the captions of ``folder`` (one split, or all) to ``out``; returns the number written.

    The file is written under a temporary name and renamed, so a failed export
    leaves no half-written file.
    """
    folder, out = Path(folder), Path(out)
    m = require_intact(folder)  # a damaged shard is reported by name, as `gas verify` does
    if out.suffix not in (".txt", ".jsonl"):
        raise GasError(f"{out}: unknown prompt format; use a .txt (one caption per line) or .jsonl file")
    if split is not None and split not in m["split"]:
        raise GasError(f"no split {split!r} in {folder}; splits: {', '.join(m['split'])}")
    fmt = "parquet" if "parquet" in m["formats"] else "jsonl"
    n = 0
    with open_output(out) as f:
        for shard in m["shards"]:
            if shard["format"] != fmt or (split is not None and shard["split"] != split):
                continue
            for row in iter_shard_rows(folder / shard["path"], ("id", "caption")):
                if out.suffix == ".txt":
                    f.write(" ".join(row["caption"].split()).encode() + b"\n")
                else:
                    f.write(orjson.dumps({"id": row["id"], "split": shard["split"], "caption": row["caption"]})
                            + b"\n")
                n += 1
    return n
