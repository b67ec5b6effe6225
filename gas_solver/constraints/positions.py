"""Source positions of the keys and values of a TOML document.

:mod:`tomllib` gives values but no positions; error messages of the constraint
language must name the line and column of the offending key or value.  This
module re-scans the (already validated) text and records, for every key path,
where its key and its value start.  Paths are tuples of table keys, array
indices included: ``("require", 1, "pattern")`` is the ``pattern`` of the
second ``[[require]]`` table, ``("vocabulary", "objects", "include", 0)`` the
first element of ``include = [...]``.

The scanner trusts that :func:`tomllib.loads` accepted the text first, so it
is lenient where the grammar is already enforced.

Examples
--------
>>> pos = scan_positions('[space]\\ncomplexity = [3, 8]\\n')
>>> pos.key(("space", "complexity"))
(2, 1)
>>> pos.value(("space", "complexity", 1))
(2, 18)
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

__all__ = ["Positions", "scan_positions", "string_body_offset"]

Path = tuple  # of str | int

_BARE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


@dataclass
class Positions:
    """Line/column (1-based) of keys and values by key path."""

    line_starts: list[int]
    keys: dict[Path, int] = field(default_factory=dict)
    values: dict[Path, int] = field(default_factory=dict)

    def _lc(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.line_starts, offset) - 1
        return i + 1, offset - self.line_starts[i] + 1

    def offset_of_value(self, path: Path) -> int | None:
        return self.values.get(tuple(path))

    def key(self, path: Path) -> tuple[int | None, int | None]:
        """Position of the key of ``path`` (or of the nearest enclosing key / table header)."""
        path = tuple(path)
        while path:
            if path in self.keys:
                return self._lc(self.keys[path])
            if path in self.values:
                return self._lc(self.values[path])
            path = path[:-1]
        return None, None

    def value(self, path: Path) -> tuple[int | None, int | None]:
        """Position of the value of ``path`` (falls back to its key, then to enclosing paths)."""
        path = tuple(path)
        if path in self.values:
            return self._lc(self.values[path])
        return self.key(path)

    def at(self, offset: int) -> tuple[int, int]:
        return self._lc(offset)


def string_body_offset(text: str, value_offset: int) -> int:
    """Offset of the first character of a string's content, given the offset of its opening quote."""
    if text.startswith('"""', value_offset) or text.startswith("'''", value_offset):
        off = value_offset + 3
        # a newline right after the opening delimiter is trimmed by TOML
        if text.startswith("\r\n", off):
            return off + 2
        if text.startswith("\n", off):
            return off + 1
        return off
    return value_offset + 1


class _Scanner:
    def __init__(self, text: str):
        self.t = text
        self.i = 0
        starts = [0]
        for k, ch in enumerate(text):
            if ch == "\n":
                starts.append(k + 1)
        self.pos = Positions(starts)
        self.aot_counts: dict[Path, int] = {}
        self.aot_current: dict[Path, Path] = {}  # logical path -> concrete path of current element

    # -- low level --------------------------------------------------------
    def peek(self, n: int = 0) -> str:
        j = self.i + n
        return self.t[j] if j < len(self.t) else ""

    def skip_ws(self, newlines: bool = False) -> None:
        while self.i < len(self.t):
            ch = self.t[self.i]
            if ch in " \t" or (newlines and ch in "\r\n"):
                self.i += 1
            elif ch == "#":
                while self.i < len(self.t) and self.t[self.i] != "\n":
                    self.i += 1
            else:
                return

    def skip_line(self) -> None:
        while self.i < len(self.t) and self.t[self.i] != "\n":
            self.i += 1

    def read_string(self) -> str:
        t = self.t
        if t.startswith('"""', self.i) or t.startswith("'''", self.i):
            q = t[self.i: self.i + 3]
            j = self.i + 3
            while True:
                k = t.find(q, j)
                if k < 0:
                    self.i = len(t)
                    return ""
                if q == '"""':
                    # an escaped quote does not close the string
                    bs = 0
                    m = k - 1
                    while m >= j and t[m] == "\\":
                        bs += 1
                        m -= 1
                    if bs % 2:
                        j = k + 1
                        continue
                # up to two extra quotes may belong to the content
                while t.startswith(q[0], k + 3):
                    k += 1
                self.i = k + 3
                return ""
        q = t[self.i]
        j = self.i + 1
        out = []
        while j < len(t) and t[j] != q:
            if q == '"' and t[j] == "\\":
                nxt = t[j + 1: j + 2]
                simple = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", '"': '"', "\\": "\\"}
                if nxt in simple:
                    out.append(simple[nxt])
                    j += 2
                    continue
                if nxt in ("u", "U"):
                    width = 4 if nxt == "u" else 8
                    try:
                        out.append(chr(int(t[j + 2: j + 2 + width], 16)))
                    except ValueError:
                        pass
                    j += 2 + width
                    continue
                j += 1
                continue
            out.append(t[j])
            j += 1
        self.i = j + 1
        return "".join(out)

    def read_key(self) -> list[tuple[str, int]]:
        """A (dotted) key: list of (part, offset)."""
        parts = []
        while True:
            self.skip_ws()
            start = self.i
            ch = self.peek()
            if ch in ('"', "'"):
                parts.append((self.read_string(), start))
            else:
                while self.peek() and self.peek() in _BARE:
                    self.i += 1
                parts.append((self.t[start:self.i], start))
            self.skip_ws()
            if self.peek() == ".":
                self.i += 1
                continue
            return parts

    # -- values -----------------------------------------------------------
    def read_value(self, path: Path) -> None:
        self.skip_ws()
        self.pos.values[path] = self.i
        ch = self.peek()
        if ch in ('"', "'"):
            self.read_string()
        elif ch == "[":
            self.i += 1
            k = 0
            while True:
                self.skip_ws(newlines=True)
                if self.peek() == "]":
                    self.i += 1
                    return
                if not self.peek():
                    return
                self.read_value(path + (k,))
                k += 1
                self.skip_ws(newlines=True)
                if self.peek() == ",":
                    self.i += 1
        elif ch == "{":
            self.i += 1
            while True:
                self.skip_ws()
                if self.peek() == "}":
                    self.i += 1
                    return
                if not self.peek():
                    return
                self.read_keyval(path)
                self.skip_ws()
                if self.peek() == ",":
                    self.i += 1
        else:
            while self.peek() and self.peek() not in ",]}\n#" and not (self.peek() == " " and self._scalar_ends()):
                self.i += 1

    def _scalar_ends(self) -> bool:
        # dates may contain one space ("1979-05-27 07:32:00"); anything else ends at whitespace
        rest = self.t[self.i + 1: self.i + 3]
        return not (len(rest) == 2 and rest[0].isdigit() and rest[1].isdigit())

    def read_keyval(self, table: Path) -> None:
        parts = self.read_key()
        path = table
        for name, off in parts:
            path = path + (name,)
            self.pos.keys.setdefault(path, off)
        self.skip_ws()
        if self.peek() == "=":
            self.i += 1
        self.read_value(path)

    # -- tables -----------------------------------------------------------
    def concrete(self, logical: tuple[str, ...]) -> Path:
        """Concrete path of a header: every array-of-tables prefix gets its current index."""
        out: Path = ()
        for k in range(1, len(logical) + 1):
            prefix = logical[:k]
            if prefix in self.aot_current:
                out = self.aot_current[prefix]
            else:
                out = out + (logical[k - 1],)
        return out

    def run(self) -> Positions:
        table: Path = ()
        while True:
            self.skip_ws(newlines=True)
            if self.i >= len(self.t):
                return self.pos
            if self.t.startswith("[[", self.i):
                hdr = self.i
                self.i += 2
                parts = self.read_key()
                logical = tuple(p for p, _ in parts)
                parent = self.concrete(logical[:-1])
                base = parent + (logical[-1],)
                idx = self.aot_counts.get(base, 0)
                self.aot_counts[base] = idx + 1
                table = base + (idx,)
                self.aot_current[logical] = table
                # forget deeper array-of-tables elements of the previous parent element
                for lg in [lg for lg in self.aot_current if lg[: len(logical)] == logical and lg != logical]:
                    del self.aot_current[lg]
                for k in range(1, len(table) + 1):
                    self.pos.keys.setdefault(table[:k], hdr)
                self.skip_line()
            elif self.peek() == "[":
                hdr = self.i
                self.i += 1
                parts = self.read_key()
                logical = tuple(p for p, _ in parts)
                table = self.concrete(logical)
                # a header also defines the tables above it ([a.b.c] makes a and a.b)
                for k in range(1, len(table) + 1):
                    self.pos.keys.setdefault(table[:k], hdr)
                self.skip_line()
            else:
                self.read_keyval(table)
                self.skip_line()


def scan_positions(text: str) -> Positions:
    """Scan a TOML document (already accepted by :func:`tomllib.loads`) for key and value positions.

    Examples
    --------
    >>> p = scan_positions('[[require]]\\npattern = "a:dog"\\n[[require]]\\npattern = "b:cat"\\n')
    >>> p.value(("require", 1, "pattern"))
    (4, 11)
    """
    return _Scanner(text).run()
