"""The row schema of a built dataset and deterministic shard encoding (Parquet and JSON lines).

One row per scene.  Every column is a scalar (string or integer); the scene
graph and the question set are JSON strings.  That choice is deliberate: the
question ``elements`` mix integers and strings in one list
(``{"relation": [0, "riding", 1]}``), which no Arrow type can hold, and JSON
readers infer the type of an always-empty list (a scene without relations) as
``null``, which breaks concatenating shards.  Flat scalar columns load the same
way from Parquet and from JSON lines in Hugging Face ``datasets``; decode with
``json.loads(row["scene"])``.

Columns
-------
==============  =======  ==============================================================
``id``          string   canonical scene id (``"sg-"`` + 32 hex), equal for equal scenes
``index``       int64    row number in the whole dataset, before splitting
``draw``        int64    sampler draw: scene = ``Sampler.sample_chunk(seed, draw // CHUNK_SIZE,
                         CHUNK_SIZE)[draw % CHUNK_SIZE]``
``seed``        int64    per-item seed given to the realizers (caption template, QA foils)
``modality``    string   ``image``, ``video`` or ``3d``
``complexity``  int32    objects + attributes + relations
``n_objects``   int32
``n_attributes`` int32
``n_relations`` int32
``stratum``     string   ``"complexity=5"`` or ``"shape=2/2/1"`` (the stratification key)
``caption``     string   the caption
``n_questions`` int32
``scene``       string   JSON: :func:`gas_solver.scene.scene_to_dict` (with names, categories)
``questions``   string   JSON: list of question dicts (:mod:`gas_solver.realize.qa`)
==============  =======  ==============================================================

Byte-for-byte determinism: Parquet files are written with fixed options (codec,
level, row-group size, dictionary columns, format version) and no timestamps;
the same rows give the same bytes with the same pyarrow version.
"""

from __future__ import annotations

import hashlib
from array import array
from itertools import accumulate
from pathlib import Path
from typing import Iterator

import orjson

__all__ = ["COLUMNS", "ROW_GROUP_SIZE", "arrow_schema", "PartEncoder", "sha256_file", "iter_shard_rows",
           "shard_row_count", "read_shard_schema"]

#: (name, arrow type name) in file order
COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "string"),
    ("index", "int64"),
    ("draw", "int64"),
    ("seed", "int64"),
    ("modality", "string"),
    ("complexity", "int32"),
    ("n_objects", "int32"),
    ("n_attributes", "int32"),
    ("n_relations", "int32"),
    ("stratum", "string"),
    ("caption", "string"),
    ("n_questions", "int32"),
    ("scene", "string"),
    ("questions", "string"),
)
COLUMN_NAMES = tuple(name for name, _ in COLUMNS)

_JSON_COLUMNS = ("scene", "questions")

#: rows per Parquet row group (fixed: part of the byte-level output)
ROW_GROUP_SIZE = 4096

# Fixed writer options: changing any of them changes the bytes of every shard.
_PARQUET_OPTIONS = dict(
    compression="zstd",
    compression_level=3,
    use_dictionary=["modality", "stratum"],
    write_statistics=["index", "draw", "complexity", "n_objects", "n_attributes", "n_relations", "n_questions"],
    version="2.6",
    data_page_version="1.0",
)


_SCHEMA: list = []  # arrow_schema(), built once per process


def arrow_schema():
    """The Arrow schema of a shard (pyarrow is imported lazily).

    >>> [f.name for f in arrow_schema()][:3]
    ['id', 'index', 'draw']
    """
    if not _SCHEMA:
        import pyarrow as pa

        _SCHEMA.append(pa.schema([(name, getattr(pa, kind)()) for name, kind in COLUMNS]))
    return _SCHEMA[0]


# A JSON line is the scalar columns' object with the JSON columns spliced in at its end
# (``{"id":...,"questions":"..."}``): that needs the JSON columns to be the last ones.
assert COLUMN_NAMES[-len(_JSON_COLUMNS):] == _JSON_COLUMNS
_N_SCALAR = len(COLUMN_NAMES) - len(_JSON_COLUMNS)
_SCALAR_NAMES = COLUMN_NAMES[:_N_SCALAR]
_JSON_KEYS = tuple(b"," + orjson.dumps(name) + b":" for name in _JSON_COLUMNS)  # ',"scene":', ...
_MAX_OFFSET = 2**31 - 1  # Arrow's string offsets are int32
_N_JSON = len(_JSON_COLUMNS)


#: spare JSON-column buffers of finished encoders (see PartEncoder.__init__), at most _POOL_MAX
_POOL: list = []
_POOL_MAX = 8
assert array("i").itemsize == 4 and array("q").itemsize == 8  # Arrow's int32 offsets and int32/int64 values


class PartEncoder:
    """Encodes the rows of one split of one part into shard bytes, streaming.

    Rows are appended one by one (:meth:`add_values`: a tuple in the order of
    :data:`COLUMNS`, or :meth:`add`: a dict with its keys); Parquet row groups of
    :data:`ROW_GROUP_SIZE` rows are compressed as soon as they fill, so memory
    holds one row group plus the compressed bytes.

    >>> enc = PartEncoder(("parquet", "jsonl"))
    >>> enc.add_values(("sg-0", 0, 0, 1, "image", 1, 1, 0, 0, "complexity=1", "A dog.", 0, b"{}", b"[]"))
    >>> bytes(enc.finish()["jsonl"][:24])
    b'{"id":"sg-0","index":0,"'
    """

    def __init__(self, formats: tuple[str, ...]):
        self.formats = formats
        self.rows = 0
        self._parquet = "parquet" in formats
        self._json = "jsonl" in formats
        self._group: list[tuple] = []  # the rows of the Parquet row group being filled
        # ... and its JSON columns as one UTF-8 buffer + end offsets each (Arrow's string layout): the
        # text is copied while it is fresh in the cache, and becomes an Arrow array without a copy.
        # A buffer is written from the start again for each row group and handed on to the next
        # encoder when this one finishes (a row group's ~35 MB, new each time, cost a page fault per
        # 4 kB and copies on every growth); ``_ends[c][-1]`` is where column ``c``'s text ends.
        self._texts: list[bytearray] = ([_POOL.pop() if _POOL else bytearray() for _ in _JSON_COLUMNS]
                                        if self._parquet else [])
        self._ends: list[list[int]] = [[0] for _ in _JSON_COLUMNS]
        self._jsonl = bytearray()  # the JSON lines, each with its newline
        self._sink = None
        self._writer = None

    def add(self, row: dict) -> None:
        """Append one row given as a dict with the keys of :data:`COLUMNS`.

        ``scene`` and ``questions`` may be JSON text as ``str`` or UTF-8 ``bytes``.
        """
        self.add_values(tuple([row[name] for name in COLUMN_NAMES]))

    def add_values(self, values: tuple) -> None:
        """Append one row: its values in the order of :data:`COLUMNS` (the JSON columns as str or UTF-8 bytes).

        JSON bytes are taken as valid UTF-8 (as ``orjson.dumps`` makes them); they are not validated again.

        The per-row path of a build: no dict per row, and the JSON text is not re-parsed.
        """
        self.rows += 1
        if self._json:
            # The line is written piece by piece to the part's buffer (no ~10 kB line object per row,
            # and no join of the ~80 MB of lines at the end).  orjson.dumps(text) is the JSON string of
            # the JSON text, exactly as a dict value would be written.
            lines = self._jsonl
            lines += orjson.dumps(dict(zip(_SCALAR_NAMES, values)))
            del lines[-1]  # the scalars' closing brace: the JSON columns follow
            for c in range(_N_JSON):
                text = values[_N_SCALAR + c]
                lines += _JSON_KEYS[c]
                lines += orjson.dumps(text.decode() if isinstance(text, bytes) else text)
            lines += b"}\n"
        if self._parquet:
            self._group.append(values)
            for c in range(_N_JSON):
                text = values[_N_SCALAR + c]
                if isinstance(text, str):
                    text = text.encode()
                buf = self._texts[c]
                ends = self._ends[c]
                start = ends[-1]
                end = start + len(text)
                if end <= len(buf):
                    buf[start:end] = text  # over the previous row group's bytes: no allocation
                else:
                    buf[start:] = text  # grows the buffer (bytearray over-allocates: amortized)
                ends.append(end)
            if len(self._group) >= ROW_GROUP_SIZE:
                self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self._group:
            return
        schema = arrow_schema()
        fields = list(schema)
        n = len(self._group)
        # zip(*rows) turns the row tuples into columns in C; each column becomes Arrow buffers directly
        arrays = [_scalar_array(pa, column, f.type) for column, f in zip(zip(*self._group), fields[:_N_SCALAR])]
        # The JSON columns (~8 kB a row): the buffers already hold Arrow's string layout
        # (UTF-8 bytes + offsets), so they are used as they are, without a second UTF-8 check.
        views = []
        for c in range(_N_JSON):
            ends = self._ends[c]
            if ends[-1] > _MAX_OFFSET:
                raise ValueError(f"column {_JSON_COLUMNS[c]!r}: more than 2 GiB of JSON in one row group")
            view = memoryview(self._texts[c])[:ends[-1]]
            views.append(view)
            arrays.append(pa.Array.from_buffers(fields[_N_SCALAR + c].type, n,
                                                [None, pa.py_buffer(array("i", ends)), pa.py_buffer(view)]))
        table = pa.Table.from_arrays(arrays, schema=schema)
        if self._writer is None:
            self._sink = pa.BufferOutputStream()
            self._writer = pq.ParquetWriter(self._sink, schema, **_PARQUET_OPTIONS)
        self._writer.write_table(table, row_group_size=ROW_GROUP_SIZE)
        # The arrays point into the buffers, which the next row group overwrites: let go of them
        # (a buffer still exported would refuse to grow) — the writer has encoded and compressed the group.
        del table, arrays
        for view in views:
            view.release()
        self._group = []
        self._ends = [[0] for _ in _JSON_COLUMNS]

    def finish(self) -> dict:
        """The encoded shard per format (``{"parquet": <pyarrow.Buffer b"PAR1...">, "jsonl": bytearray(b"{...}\\n")}``);
        empty if no rows.

        Both come as the buffers they were written to (bytes-like: files, hashes, pickles and ``==`` take
        them as they are), not copied to ``bytes``: a part's ~9 MB copy cost a page fault per 4 kB."""
        out: dict = {}
        if self.rows:
            if self._parquet:
                self._flush()
                self._writer.close()
                out["parquet"] = self._sink.getvalue()
            if self._json:
                out["jsonl"] = self._jsonl  # as it is: a copy to bytes would cost ~5 us a row (~80 MB a part)
        for buf in self._texts:  # to the next encoder of this process
            if len(_POOL) < _POOL_MAX:
                _POOL.append(buf)
        self._texts = []
        return out


def _scalar_array(pa, values: tuple, kind):
    """An Arrow array of a scalar column (int64, int32 or string) from its Python values, built as buffers.

    The same array as ``pa.array(values, type=kind)`` for the values a row holds (ints in range, strings);
    made from ``array``/``str.join`` buffers, which is faster and keeps pyarrow from importing pandas.
    """
    n = len(values)
    if kind == pa.int64():
        return pa.Array.from_buffers(kind, n, [None, pa.py_buffer(array("q", values))])
    if kind == pa.int32():
        return pa.Array.from_buffers(kind, n, [None, pa.py_buffer(array("i", values))])
    text = "".join(values)
    data = text.encode()
    # UTF-8 lengths: the characters' count when the text is ASCII (one byte each)
    lengths = map(len, values) if len(data) == len(text) else [len(v.encode()) for v in values]
    if len(data) > _MAX_OFFSET:
        raise ValueError("a string column holds more than 2 GiB in one row group")
    return pa.Array.from_buffers(kind, n, [None, pa.py_buffer(array("i", accumulate(lengths, initial=0))),
                                           pa.py_buffer(data)])


def sha256_file(path: str | Path, *, block: int = 1 << 20) -> str:
    """Hex SHA-256 of a file, read in blocks (memory stays flat)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(block):
            h.update(chunk)
    return h.hexdigest()


def read_shard_schema(path: str | Path) -> list[tuple[str, str]]:
    """(column, type) pairs of a shard as stored (Parquet footer, or the first JSON line's keys and value kinds)."""
    path = Path(path)
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return [(f.name, str(f.type)) for f in pq.read_schema(path)]
    with open(path, "rb") as f:
        first = f.readline()
    row = orjson.loads(first)
    kinds = {str: "string", int: "int"}
    return [(k, kinds.get(type(v), type(v).__name__)) for k, v in row.items()]


def shard_row_count(path: str | Path) -> int:
    """Number of rows of a shard (Parquet footer, or non-empty lines of a JSON-lines file)."""
    path = Path(path)
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    n = 0
    with open(path, "rb") as f:
        for line in f:
            n += bool(line.strip())
    return n


def iter_shard_rows(path: str | Path, columns: tuple[str, ...] | None = None, *,
                    batch_rows: int = ROW_GROUP_SIZE) -> Iterator[dict]:
    """Stream the rows of a shard as dicts (only ``columns`` when given); memory holds one batch."""
    path = Path(path)
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(path)
        for batch in pf.iter_batches(batch_size=batch_rows, columns=list(columns) if columns else None):
            yield from batch.to_pylist()
        return
    with open(path, "rb") as f:
        for line in f:
            if line.strip():
                row = orjson.loads(line)
                yield {c: row[c] for c in columns} if columns else row
