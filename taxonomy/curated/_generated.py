"""Shared helper of the curated-list generators: rewrite one marked region of a TOML file.

A generator owns the lines between ``# >>> generated: <tag>`` and ``# <<< generated: <tag>``;
everything outside the markers is hand-written and left untouched.  The file is written to a
temporary name and renamed, so an interrupted run never leaves a half-written file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

__all__ = ["replace_region", "snake", "toml_str"]


def snake(name: str) -> str:
    """ASCII snake_case id of a display name.

    >>> snake("robin's egg blue")
    'robins_egg_blue'
    """
    s = name.lower().replace("'", "").replace("&", " and ")
    s = re.sub(r"[^a-z0-9]+", "_", s).strip("_")
    if not s:
        raise ValueError(f"cannot make an id from {name!r}")
    return s


def toml_str(s: str) -> str:
    """A TOML basic string (the names here are plain ASCII, so escaping quotes and backslashes suffices)."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def replace_region(path: Path, tag: str, lines: list[str]) -> None:
    """Replace the body of region ``tag`` in ``path`` by ``lines``."""
    begin, end = f"# >>> generated: {tag}", f"# <<< generated: {tag}"
    text = path.read_text(encoding="utf-8").splitlines()
    try:
        i = text.index(begin)
        j = text.index(end, i)
    except ValueError:
        raise SystemExit(f"{path}: markers {begin!r} ... {end!r} not found") from None
    out = text[: i + 1] + lines + text[j:]
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("\n".join(out) + "\n", encoding="utf-8")
    os.replace(tmp, path)
