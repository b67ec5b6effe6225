"""Image datasets on disk in Hugging Face's ``imagefolder`` layout: ``images/…`` plus ``metadata.jsonl``.

``datasets.load_dataset("imagefolder", data_dir=FOLDER)`` loads one as an ``image`` column plus the
metadata columns (caption, scene id, score, label, ...).  The training applications write their
selected (image, caption) pairs and detection sets this way; :func:`read_pairs` reads pairs back.

Examples
--------
>>> write_imagefolder("kept", [{"source": "gen/images/sg-1/2.png", "file_name": "images/sg-1.png",
...                             "caption": "a red car", "score": 0.9}])        # doctest: +SKIP
>>> read_pairs("kept")[0][1]                                                    # doctest: +SKIP
'a red car'
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Iterable

import orjson

from ..errors import GasError
from ..vision.rows import atomic_write_bytes, read_jsonl

__all__ = ["write_imagefolder", "read_imagefolder", "read_pairs", "METADATA"]

METADATA = "metadata.jsonl"


def write_imagefolder(folder: str | Path, records: Iterable[dict]) -> Path:
    """Copy each record's ``source`` image to ``folder/<file_name>`` and write ``metadata.jsonl``.

    Each record needs ``source`` (an existing image file) and ``file_name`` (a relative path inside the
    folder); every other key becomes a metadata column.  The folder is built under a temporary name and
    renamed, so it is either complete or absent.
    """
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        lines = []
        for rec in records:
            rec = dict(rec)
            source = Path(rec.pop("source"))
            target = tmp / rec["file_name"]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            lines.append(orjson.dumps(rec, option=orjson.OPT_SORT_KEYS) + b"\n")
        atomic_write_bytes(tmp / METADATA, b"".join(lines))
        if folder.exists():
            shutil.rmtree(folder)
        tmp.rename(folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return folder


def read_imagefolder(folder: str | Path) -> list[dict]:
    """The metadata records of an image folder, each with ``path`` (absolute path of its image) added."""
    folder = Path(folder)
    meta = folder / METADATA
    if not meta.exists():
        raise GasError(f"{folder} has no {METADATA}: not an image dataset written by gas train")
    out = []
    for rec in read_jsonl(meta):
        rec["path"] = folder / rec["file_name"]
        out.append(rec)
    return out


def read_pairs(folder: str | Path, caption: str = "caption") -> list[tuple]:
    """``(PIL image, caption)`` pairs of an image folder (images loaded into memory, RGB)."""
    from PIL import Image

    pairs = []
    for rec in read_imagefolder(folder):
        with Image.open(rec["path"]) as im:
            pairs.append((im.convert("RGB"), rec[caption]))
    return pairs
