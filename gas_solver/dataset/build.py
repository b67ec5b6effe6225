"""``gas build``: sample, realize, split and shard a dataset, resumably and deterministically.

How a build runs
----------------
1. *Plan.*  Every option that decides the output (see :mod:`.manifest`) goes
   into a plan with a fingerprint.  The output folder must be new, empty, an
   unfinished build with the same fingerprint (it is resumed), or a finished
   build with the same fingerprint (nothing to do).  Anything else is refused.
2. *Draws.*  Row ``k`` of the dataset is sampler draw ``k``: scene
   ``Sampler.sample_chunk(seed, k // CHUNK_SIZE, CHUNK_SIZE)[k % CHUNK_SIZE]``.
   ``sample_chunk`` is a pure function of its arguments, so any process can
   make any row.  With ``unique=True`` a first pass walks the draws in order
   and keeps the first occurrence of each canonical id until ``n`` are kept.
3. *Parts.*  Rows are cut into parts of ``shard_size`` rows.  A part is one
   task: its rows are sampled, realized (caption + questions, per-item seed),
   assigned to splits (:mod:`.splits`) and encoded (:mod:`.schema`); the
   worker returns the encoded bytes; the driver writes them under temporary
   names and renames them into ``.gas-build/parts/``, then writes the part's
   record.  A part is done iff its record exists, so a build killed at any
   moment loses at most the parts in flight.
4. *Finish.*  Non-empty part files are renamed to their final names
   ``data/{split}-{k:05d}-of-{K:05d}.parquet`` (``jsonl/`` for JSON lines), the
   statistics are computed from the shards, the card (``README.md`` + plots)
   and ``manifest.json`` are written, and ``.gas-build/`` is removed.  Each step
   is idempotent, so a kill during the finish is resumed too.

The bytes of the result depend only on the plan: not on the number of
workers, the engine, or whether the build was interrupted.

Examples
--------
>>> from gas_solver.dataset import build_dataset          # doctest: +SKIP
>>> m = build_dataset("out", 1000, seed=0, split="train=0.9,test=0.1")  # doctest: +SKIP
>>> m["written"]                                          # doctest: +SKIP
{'train': 903, 'test': 97, 'total': 1000}
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import math
import os
import re
import shutil
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable, Iterator

import orjson

from .. import __version__
from ..collector import paused_collector
from ..errors import GasError
from .engines import make_engine, provide_context
from .manifest import (FORMAT, MANIFEST, STATE_DIR, DatasetError, fingerprint, plan_differences, read_json,
                       write_bytes_atomic, write_json_atomic)
from .schema import COLUMNS, ROW_GROUP_SIZE, PartEncoder, iter_shard_rows
from .stats import Stats
from .splits import PILOT_SIZE, Holdout, Splitter, calibrate_threshold, parse_holdout, parse_split

__all__ = ["DEFAULT_SHARD_SIZE", "FORMATS", "EXTENSIONS", "build_dataset", "item_seed", "shard_folder"]

#: rows per part: two sampler chunks of 4,096, so parts start on chunk boundaries and even
#: a 100k-row build has enough parts (13) to keep several workers busy
DEFAULT_SHARD_SIZE = 8_192
FORMATS = ("parquet", "jsonl")
EXTENSIONS = {"parquet": "parquet", "jsonl": "jsonl"}
_MASK64 = (1 << 64) - 1
_GOLDEN, _MIX1, _MIX2 = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB  # SplitMix64's constants
#: split names that ``datasets`` recognises in file names (``load_dataset("parquet", data_dir=...)``)
HF_SPLIT_NAMES = ("train", "validation", "test", "training", "valid", "dev", "val", "testing", "eval", "evaluation")
#: give up on ``unique`` after this many draws per requested row
_UNIQUE_DRAW_FACTOR = 20


def shard_folder(fmt: str) -> str:
    """Sub-folder of a format: ``data`` for Parquet, ``jsonl`` for JSON lines.

    Keeping the formats apart lets ``load_dataset("parquet", data_dir=DIR)`` and
    ``load_dataset("json", data_dir=DIR)`` each see only their own files.
    """
    return "data" if fmt == "parquet" else "jsonl"


def item_seed(seed: int, draw: int) -> int:
    """The realizer seed of draw ``draw`` in a build with ``seed``: a 63-bit SplitMix64 mix (fits int64).

    >>> item_seed(0, 0) == item_seed(0, 0) != item_seed(0, 1)
    True
    """
    # arithmetic modulo 2**64 throughout: compiled, these are C uint64 operations (build.pxd)
    s = seed & _MASK64
    d = draw & _MASK64
    x = (s * _GOLDEN + d * _MIX1 + _MIX2) & _MASK64
    x = ((x ^ (x >> 30)) * _MIX1) & _MASK64
    x = ((x ^ (x >> 27)) * _MIX2) & _MASK64
    return (x ^ (x >> 31)) >> 1


# ---------------------------------------------------------------------------
# The work a process does: context (built once per process) and tasks
# ---------------------------------------------------------------------------

@dataclass
class BuildContext:
    taxonomy: Any
    spec: Any
    sampler: Any
    chunk_size: int
    splitter: Splitter
    seed: int
    formats: tuple[str, ...]
    stratum_key: str
    #: the last sampler chunk drawn in this process (parts smaller than a chunk share it)
    last_chunk: tuple = field(default=(None, None), repr=False)


@dataclass(frozen=True)
class BuildRecipe:
    """Everything a worker needs to rebuild the context, as plain picklable data.

    The constraint file travels as text and a custom taxonomy as bytes, so a
    Ray worker on another machine needs neither file.
    """

    key: str
    plan: dict
    constraints_text: str
    constraints_name: str | None
    taxonomy_bytes: bytes | None
    taxonomy_name: str | None
    threshold: int

    def build(self) -> BuildContext:
        import tempfile

        from ..constraints.parse import parse_constraints
        from ..taxonomy import load_taxonomy

        if self.taxonomy_bytes is None:
            taxonomy = load_taxonomy()
        else:
            with tempfile.TemporaryDirectory() as tmp:
                p = Path(tmp) / (self.taxonomy_name or "taxonomy.json")
                p.write_bytes(self.taxonomy_bytes)
                taxonomy = load_taxonomy(p)
        if taxonomy.hash != self.plan["taxonomy"]["hash"]:
            raise DatasetError("the taxonomy on this worker differs from the driver's "
                               f"(hash {taxonomy.hash[:12]} vs {self.plan['taxonomy']['hash'][:12]}); "
                               "install the same gas-solver version everywhere")
        spec = parse_constraints(self.constraints_text, taxonomy, path=self.constraints_name)
        return _context(self.plan, taxonomy, spec, self.threshold)


def _context(plan: dict, taxonomy, spec, threshold: int) -> BuildContext:
    from ..solve.sample import CHUNK_SIZE, Sampler

    sampler = Sampler(spec, taxonomy, distribution=plan["distribution"], strata=_strata_in(plan["strata"]),
                      backend=plan["backend"])
    holdout = Holdout(**plan["holdout"]) if plan["holdout"] else None
    patterns: tuple = ()
    match = None
    if holdout is not None and holdout.kind == "pattern":
        from ..constraints.check import pattern_matches
        from ..constraints.pattern import parse_pattern

        patterns = tuple(parse_pattern(p, taxonomy) for p in holdout.patterns)
        match = pattern_matches
    splitter = Splitter(dict(plan["split"]), plan["seed"], holdout, threshold, patterns, taxonomy, match)
    strata = plan["strata"]
    key = "shape" if strata and "shape" in strata else "complexity"
    return BuildContext(taxonomy, spec, sampler, CHUNK_SIZE, splitter, plan["seed"], tuple(plan["formats"]), key)


def _strata_in(strata: dict | None) -> dict | None:
    """Plan strata (JSON: string keys, exact fractions as strings) back to the sampler's form."""
    if not strata:
        return None
    out = {}
    for kind, shares in strata.items():  # a structure kind, and/or "repeats" (string keys: repeated, distinct)
        if shares == "equal":
            out[kind] = shares
        elif kind == "repeats":
            out[kind] = {k: Fraction(v) for k, v in shares.items()}
        elif kind != "shape":
            out[kind] = {int(k): Fraction(v) for k, v in shares.items()}
        else:
            out[kind] = {tuple(int(x) for x in k.split("/")): Fraction(v) for k, v in shares.items()}
    return out


def _strata_out(strata: dict | None) -> dict | None:
    """The sampler's strata as plan JSON: ``{"shape": {"2/1/1": "1/2"}}`` (exact shares as strings)."""
    if not strata:
        return None
    out = {}
    for kind, shares in strata.items():
        if shares == "equal":
            out[kind] = shares
            continue
        out[kind] = {("/".join(map(str, k)) if isinstance(k, tuple) else str(k)): str(Fraction(v))
                     for k, v in shares.items()}
    return out


def _chunk(ctx: BuildContext, c: int) -> list:
    if ctx.last_chunk[0] != c:
        ctx.last_chunk = (c, ctx.sampler.sample_chunk(ctx.seed, c, ctx.chunk_size))
    return ctx.last_chunk[1]


def _scenes_for(ctx: BuildContext, draws) -> list:
    """Scenes of the given (sorted) draw indices: draw ``d`` is item ``d % CHUNK_SIZE`` of chunk ``d // CHUNK_SIZE``."""
    size = ctx.chunk_size
    return [_chunk(ctx, d // size)[d % size] for d in draws]


def _stratum(ctx: BuildContext, d: dict) -> str:
    if ctx.stratum_key == "shape":
        return "shape=" + "/".join(map(str, d["shape"]))
    return f"complexity={d['complexity']}"


def run_part(ctx: BuildContext, task: tuple) -> dict:
    """Make one part: rows ``first..first+len(draws)-1`` from the given draws.

    Returns ``{"part": p, "rows": {split: n}, "files": {(split, fmt): bytes-like}}``.
    A pure function of the plan and the task: this is what makes the output
    independent of the engine and the number of workers.
    """
    from ..realize.row import realize_parts

    part, first, draws = task
    encoders: dict[str, PartEncoder] = {name: PartEncoder(ctx.formats) for name in ctx.splitter.ratios}
    hold = ctx.splitter.holdout
    stats = Stats(hold.kind if hold is not None and hold.kind != "pattern" else None)
    assign = ctx.splitter.assign_with_combos
    by_shape = ctx.stratum_key == "shape"
    strata: dict = {}  # stratum label per complexity (or shape): a handful of distinct strings
    taxonomy, seed, size = ctx.taxonomy, ctx.seed, ctx.chunk_size
    dumps = orjson.dumps
    # Rows allocate containers fast enough that the cyclic collector runs every row or so, and its
    # full passes walk every long-lived object (taxonomy, sampler, realizer tables).  It is paused
    # (those objects frozen out of its way, the young generations still collected now and then)
    # once the first row has built the realizer's lazy tables; a pause of the caller (the driver's,
    # inherited by forked workers) is shared rather than stacked (gas_solver/collector.py).
    tick = None
    with contextlib.ExitStack() as paused:
        # Walk the (sorted) draws chunk by chunk so that memory holds one chunk of scenes.
        i = 0
        while i < len(draws):
            c = draws[i] // size
            j = bisect.bisect_left(draws, (c + 1) * size, i)  # draws[i:j] are in chunk c
            chunk, offset = _chunk(ctx, c), c * size
            for k in range(i, j):
                draw = draws[k]
                scene = chunk[draw - offset]
                s = item_seed(seed, draw)
                d, questions = realize_parts(scene, taxonomy, seed=s)  # questions: records (QuestionSet)
                caption = d.pop("caption")
                split, combos = assign(d, scene)
                shape = d["shape"]
                n_obj, n_att, n_rel = shape
                complexity = d["complexity"]
                key = tuple(shape) if by_shape else complexity
                stratum = strata.get(key)
                if stratum is None:
                    stratum = strata[key] = _stratum(ctx, d)
                stats.add(split, d, questions, caption, stratum, combos)
                enc = encoders[split]
                enc.add_values((d["id"], first + k, draw, s, d["modality"], complexity, n_obj, n_att, n_rel,
                                stratum, caption, len(questions), dumps(d), questions.json()))
                if tick is not None:
                    tick()
                else:
                    tick = paused.enter_context(paused_collector())
            i = j
    files = {}
    for split, enc in encoders.items():
        for fmt, data in enc.finish().items():
            files[(split, fmt)] = data
    return {"part": part, "rows": {split: enc.rows for split, enc in encoders.items()}, "files": files,
            "stats": stats.to_json()}


def chunk_ids(ctx: BuildContext, chunk: int) -> bytes:
    """Canonical ids (16 bytes each) of the scenes of one sampler chunk (the ``unique`` pass)."""
    from ..scene import canonical_id

    scenes = _chunk(ctx, chunk)
    return b"".join(bytes.fromhex(canonical_id(s)[3:]) for s in scenes)


# ---------------------------------------------------------------------------
# The driver
# ---------------------------------------------------------------------------

def _load_inputs(constraints, taxonomy_path):
    from ..constraints.parse import load_default_constraints, parse_constraints
    from ..taxonomy import default_taxonomy_path, load_taxonomy

    taxonomy = load_taxonomy(taxonomy_path)
    if taxonomy_path is None:
        tax_bytes, tax_name = None, default_taxonomy_path().name
    else:
        tax_bytes, tax_name = Path(taxonomy_path).read_bytes(), Path(taxonomy_path).name
    if constraints is None:
        spec = load_default_constraints(taxonomy)
        name = "default.toml (embedded)"
    else:
        spec = parse_constraints(Path(constraints), taxonomy, path=str(constraints))
        name = Path(constraints).name
    return taxonomy, tax_bytes, tax_name, spec, name


def _prepare_folder(out: Path, plan: dict, fp: str) -> str:
    """``"fresh"``, ``"resume"`` or ``"done"``; raises :class:`DatasetError` for a foreign folder."""
    state = out / STATE_DIR
    plan_file = state / "plan.json"
    if out.exists() and not out.is_dir():
        raise DatasetError(f"{out}: exists and is not a folder")
    if (out / MANIFEST).exists():
        m = read_json(out / MANIFEST)
        if isinstance(m, dict) and m.get("fingerprint") == fp:
            return "done"
        _refuse(out, m.get("plan", {}) if isinstance(m, dict) else {}, plan, "a finished dataset")
    if plan_file.exists():
        p = read_json(plan_file)
        if p.get("fingerprint") == fp:
            return "resume"
        _refuse(out, p.get("plan", {}), plan, "an unfinished build")
    if out.exists():
        others = sorted(e.name for e in out.iterdir() if e.name != STATE_DIR)
        if others:
            raise DatasetError(f"{out}: folder is not empty ({', '.join(others[:5])}{' ...' if len(others) > 5 else ''}) "
                               "and holds no gas build; refusing to write into it. Choose a new or empty folder")
    (state / "parts").mkdir(parents=True, exist_ok=True)
    write_json_atomic(plan_file, {"fingerprint": fp, "plan": plan})
    return "fresh"


def _refuse(out: Path, theirs: dict, ours: dict, what: str) -> None:
    diffs = plan_differences(theirs, ours)
    detail = "; ".join(diffs[:6]) + (" ..." if len(diffs) > 6 else "") if diffs else "different build fingerprint"
    raise DatasetError(f"{out}: holds {what} made by a different command ({detail}); refusing to overwrite it. "
                       "Use another output folder, or delete this one")


def _pilot_dicts(ctx: BuildContext, n: int):
    from ..scene import scene_to_dict

    draws = list(range(n))
    for scene in _scenes_for(ctx, draws):
        yield scene_to_dict(scene, ctx.taxonomy)


def _unique_draws(engine, recipe, ctx: BuildContext, n: int, state: Path, log) -> list[int]:
    """Draw indices of the first ``n`` distinct scenes (cached in the state folder)."""
    import numpy as np

    cache = state / "unique-draws.i64"
    if cache.exists():
        arr = np.frombuffer(cache.read_bytes(), dtype="<i8")
        if len(arr) == n:
            return arr.tolist()
    size = ctx.chunk_size
    max_chunks = math.ceil(max(n * _UNIQUE_DRAW_FACTOR, n + 10 * size) / size)
    seen: set[bytes] = set()
    kept: list[int] = []
    log(f"unique: collecting {n:,} distinct scenes")
    for c, ids in enumerate(engine.map(chunk_ids, recipe, range(max_chunks), ordered=True)):
        for off in range(0, len(ids), 16):
            key = ids[off:off + 16]
            if key not in seen:
                seen.add(key)
                kept.append(c * size + off // 16)
                if len(kept) == n:
                    break
        if len(kept) == n:
            break
    if len(kept) < n:
        raise GasError(f"--unique: found only {len(kept):,} distinct scenes in {max_chunks * size:,} draws; "
                       f"the space (or the chosen strata) is too small for {n:,} distinct scenes")
    write_bytes_atomic(cache, np.asarray(kept, dtype="<i8").tobytes())
    return kept


def build_dataset(out_dir: str | Path, n: int, *, constraints: str | Path | None = None,
                  taxonomy: str | Path | None = None, seed: int = 0, distribution: str | None = None,
                  strata: dict | None = None, backend: str = "asp", split: str | dict | None = None,
                  holdout: str | None = None, formats: tuple[str, ...] = ("parquet",), unique: bool = False,
                  shard_size: int = DEFAULT_SHARD_SIZE, license: str = "other", workers: int = 1,
                  engine: str = "local", ray_address: str | None = None, progress: bool = False,
                  log: Callable[[str], None] | None = None) -> dict:
    """Build (or resume, or confirm) a dataset of ``n`` scenes with captions and questions in ``out_dir``.

    Parameters
    ----------
    out_dir : path
        New or empty folder, or a folder of the same command (resumed / already done).
    n : int
        Rows to write (distinct scenes with ``unique``).
    constraints, taxonomy : path, optional
        Constraint file and taxonomy; ``None`` = the embedded defaults.
    seed, distribution, strata, backend :
        As for :class:`gas_solver.solve.sample.Sampler`; ``distribution=None`` (and no ``strata``) takes the
        constraint file's ``[sampling]`` law (uniform without one).
    split : str or dict, optional
        ``"train=0.9,test=0.1"``; default ``train=1`` (or ``train=0.9,test=0.1`` with a hold-out).
    holdout : str, optional
        ``relation-pairs``, ``attribute-pairs`` or ``pattern:P1;P2`` (see :mod:`.splits`).
    formats : tuple
        Any of ``"parquet"``, ``"jsonl"``.
    unique : bool
        Keep only the first occurrence of each scene (by canonical id).
    shard_size : int
        Rows per part; each part gives one shard per split.
    workers, engine, ray_address :
        Where the parts run; they do not change the output.
    progress : bool
        Show a tqdm bar (scenes/s, ETA) on stderr.
    log : callable, optional
        Receives one-line status messages.

    Returns
    -------
    dict
        The manifest (also in ``out_dir/manifest.json``).

    Raises
    ------
    DatasetError
        If ``out_dir`` holds something else, or a resumed build is inconsistent.
    GasError
        For bad options, unsatisfiable or too small spaces.

    Examples
    --------
    >>> m = build_dataset("/tmp/ds", 100, taxonomy="tests/data/toy.toml")   # doctest: +SKIP
    >>> m["written"]["total"]                                            # doctest: +SKIP
    100
    """
    log = log or (lambda msg: None)
    out = Path(out_dir)
    if n < 1:
        raise GasError(f"-n must be at least 1, got {n}")
    if shard_size < 1:
        raise GasError(f"--shard-size must be at least 1, got {shard_size}")
    if not isinstance(license, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.+-]{0,63}", license):
        # the card's YAML header holds it bare: a newline, quote or colon would break or change the header
        raise GasError(f"--license {license!r}: expected a licence id such as cc-by-4.0, apache-2.0 or other "
                       "(letters, digits, '.', '+', '-'; at most 64 characters)")
    formats = tuple(dict.fromkeys(formats))
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise GasError(f"--format: unknown format {bad[0] if bad else ''!r}; expected parquet, jsonl or both")
    _require("matplotlib", "gas build (the dataset card's plots)")
    if "parquet" in formats:
        _require("pyarrow", "gas build --format parquet")
    hold = parse_holdout(holdout) if holdout else None
    if split is None:
        ratios = {"train": 0.9, "test": 0.1} if hold else {"train": 1.0}
    else:
        ratios = parse_split(split) if isinstance(split, str) else dict(split)
    Splitter(ratios, seed, hold)  # validates the split / hold-out combination early
    for name in ratios:
        if name not in HF_SPLIT_NAMES:
            log(f"note: Hugging Face infers only {', '.join(HF_SPLIT_NAMES[:3])} (and aliases) from file names; "
                f"load split {name!r} with load_dataset(DIR), which reads the card's configs")
    eng = make_engine(engine, workers, ray_address)

    tax, tax_bytes, tax_name, spec, cname = _load_inputs(constraints, taxonomy)
    from ..solve.sample import sampling_law
    from ..solve.sample import CHUNK_SIZE

    distribution, strata = sampling_law(spec, distribution, strata)

    plan = {
        "format": FORMAT,
        "gas_solver_version": __version__,
        "taxonomy": {"name": tax.name, "version": tax.version, "hash": tax.hash},
        "constraints": {"name": cname, "hash": spec.hash},
        "n": n, "seed": seed, "distribution": distribution, "strata": _strata_out(strata), "backend": backend,
        "split": ratios, "holdout": ({"kind": hold.kind, "patterns": list(hold.patterns)} if hold else None),
        "formats": list(formats), "unique": unique, "shard_size": shard_size, "license": license,
        "chunk_size": CHUNK_SIZE, "row_group_size": ROW_GROUP_SIZE, "columns": [list(c) for c in COLUMNS],
    }
    fp = fingerprint(plan)
    # Everything that can fail on the inputs fails here, before the folder is touched.
    ctx = _context(plan, tax, spec, 0)
    if unique and n > ctx.sampler.total:
        raise GasError(f"--unique: asked for {n:,} distinct scenes but the space has only {ctx.sampler.total:,}")
    mode = _prepare_folder(out, plan, fp)
    state = out / STATE_DIR
    if mode == "done":
        if state.exists():
            _cleanup(state)
        log(f"{out}: already built by this command; nothing to do")
        return read_json(out / MANIFEST)

    # One build per folder at a time: a second process on the same folder is refused, not interleaved.
    with _build_lock(out, state), contextlib.ExitStack() as cleanup:
        holdout_info = None
        if hold is not None and hold.kind != "pattern":
            pilot_n = min(PILOT_SIZE, max(n, 2_000))
            holdout_info = calibrate_threshold(_pilot_dicts(ctx, pilot_n), hold.kind, seed, ratios["test"])
            ctx.splitter.threshold = holdout_info["threshold"]
        threshold = holdout_info["threshold"] if holdout_info else 0
        recipe = BuildRecipe(fp, plan, spec.text, cname, tax_bytes, tax_name, threshold)
        # the driver's context is the recipe's context (in-process and forked workers), dropped when the build
        # ends: a process that makes several builds (a notebook, a test session) keeps no finished one's tables
        cleanup.enter_context(provide_context(recipe, ctx))

        parts_dir = state / "parts"
        parts_dir.mkdir(parents=True, exist_ok=True)
        for stale in parts_dir.glob(".*.tmp"):  # temporary files of a killed run (gas_solver.outputs names them)
            stale.unlink()
        draws_all = _unique_draws(eng, recipe, ctx, n, state, log) if unique else None
        n_parts = math.ceil(n / shard_size)
        done = {p for p in range(n_parts) if (parts_dir / f"p{p:05d}.json").exists()}
        if mode == "resume":
            log(f"{out}: resuming: {len(done)} of {n_parts} parts already done")

        def tasks():
            for p in range(n_parts):
                if p in done:
                    continue
                lo, hi = p * shard_size, min(n, (p + 1) * shard_size)
                yield (p, lo, draws_all[lo:hi] if draws_all is not None else range(lo, hi))

        bar = None
        if progress:
            from tqdm import tqdm

            bar = cleanup.enter_context(tqdm(total=n, unit="scene", unit_scale=True, desc="build", dynamic_ncols=True,
                                             initial=sum(min(n, (p + 1) * shard_size) - p * shard_size for p in done)))
        # Local worker processes share this machine's disk, so they write their parts' files themselves;
        # the driver then receives only row counts (a part's ~9 MB would otherwise be pickled, piped, hashed
        # and written by the driver, ~1 GB per 10^6 rows, on a core the workers need).  Ray workers may run
        # on other machines: their files come back to the driver.
        local = eng.name == "local"
        fn = functools.partial(run_and_commit_part, parts_dir, os.getpid()) if local else run_part
        # parts made in this process: one pause of the collector for all of them (worker processes pause
        # per part; inheriting this pause through fork measured ~7 % more CPU in a 2-worker build)
        in_process = local and eng.workers == 1
        with paused_collector() if in_process else contextlib.nullcontext():
            for result in eng.map(fn, recipe, tasks(), ordered=False):
                if not local:
                    _commit_part(parts_dir, result)
                if bar is not None:
                    bar.update(sum(result["rows"].values()))
        if bar is not None:
            bar.close()  # before the card's messages (closing again on exit does nothing)
        # the card imports matplotlib and draws: with the collector on, its passes walked the whole heap
        # (taxonomy, solver and realizer tables) again and again, ~0.1 s a build
        with paused_collector():
            return _finish(out, plan, fp, n_parts, tax, spec, holdout_info, tax_bytes and tax_name, log)


# Lock files held by this process.  Forked pool workers close their copies, so that a
# killed driver's lock dies with it even while its workers finish their last part.
_HELD_LOCKS: list = []


def _close_held_locks() -> None:
    for f in _HELD_LOCKS:
        f.close()
    _HELD_LOCKS.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_held_locks)


@contextlib.contextmanager
def _build_lock(out: Path, state: Path):
    """Hold an exclusive lock on the folder's build state (released on exit, also when the process dies)."""
    import fcntl

    state.mkdir(parents=True, exist_ok=True)
    f = open(state / "lock", "w")
    try:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DatasetError(f"{out}: another gas build is running on this folder; wait for it to finish") from None
        _HELD_LOCKS.append(f)
        yield
    finally:
        if f in _HELD_LOCKS:
            _HELD_LOCKS.remove(f)
        f.close()


def _require(module: str, what: str) -> None:
    try:
        __import__(module)
    except ImportError:
        raise GasError(f"{what} needs {module}: pip install 'gas-solver[dataset]'") from None


def _part_file(parts_dir: Path, part: int, split: str, fmt: str) -> Path:
    return parts_dir / f"p{part:05d}.{split}.{EXTENSIONS[fmt]}"


def run_and_commit_part(parts_dir: Path, driver: int, ctx: BuildContext, task: tuple) -> dict:
    """:func:`run_part`, then its files and record written to ``parts_dir`` by the process that made them.

    Returns ``{"part": p, "rows": {split: n}}``.  ``driver`` is the pid of the build's driver:
    a worker whose driver has died (``kill -9``) does not commit, because the folder may already
    belong to another build.
    """
    result = run_part(ctx, task)
    if driver not in (os.getpid(), os.getppid()):
        raise GasError("the build's driver has exited; this part is not committed")
    _commit_part(parts_dir, result)
    return {"part": result["part"], "rows": result["rows"]}


def _commit_part(parts_dir: Path, result: dict) -> None:
    import hashlib

    p = result["part"]
    files = {}
    for (split, fmt), data in result["files"].items():
        write_bytes_atomic(_part_file(parts_dir, p, split, fmt), data)
        files[f"{split}.{fmt}"] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    # The record is written last: it is what marks the part as done.
    write_json_atomic(parts_dir / f"p{p:05d}.json",
                      {"part": p, "rows": result["rows"], "files": files, "stats": result["stats"]})


def _cleanup(state: Path) -> None:
    shutil.rmtree(state, ignore_errors=True)


def _finish(out: Path, plan: dict, fp: str, n_parts: int, tax, spec, holdout_info, taxonomy_file, log) -> dict:
    from .card import write_card

    state = out / STATE_DIR
    parts_dir = state / "parts"
    # The parts' statistics are merged as their records are read: each holds counters over up to ~10^4
    # concepts, and keeping all of them until the end grew the driver by ~350 MB per 10^6 rows.
    records = []
    stats = None
    for p in range(n_parts):
        record = read_json(parts_dir / f"p{p:05d}.json")
        part_stats = Stats.from_json(record.pop("stats"))
        stats = part_stats if stats is None else stats.merge(part_stats)
        records.append(record)
    shards = []
    written: dict[str, int] = {}
    for split in plan["split"]:
        nonempty = [r for r in records if r["rows"].get(split, 0) > 0]
        written[split] = sum(r["rows"][split] for r in nonempty)
        for k, r in enumerate(nonempty):
            for fmt in plan["formats"]:
                rel = f"{shard_folder(fmt)}/{split}-{k:05d}-of-{len(nonempty):05d}.{EXTENSIONS[fmt]}"
                src, dst = _part_file(parts_dir, r["part"], split, fmt), out / rel
                dst.parent.mkdir(parents=True, exist_ok=True)
                if src.exists():
                    os.replace(src, dst)
                elif not dst.exists():
                    raise DatasetError(f"{out}: unfinished build lost part file {src.name}; delete the folder and rebuild")
                info = r["files"][f"{split}.{fmt}"]
                shards.append({"path": rel, "split": split, "format": fmt, "rows": r["rows"][split],
                               "bytes": info["bytes"], "sha256": info["sha256"]})
    written["total"] = sum(written.values())
    for split, count in written.items():
        if split != "total" and count == 0:
            log(f"warning: split {split!r} received no rows")

    from ..solve.count import count_scenes

    by = "shape" if plan["strata"] and "shape" in plan["strata"] else "complexity"
    total = count_scenes(spec, tax)
    by_stratum = count_scenes(spec, tax, by=by)
    manifest = {
        "format": FORMAT,
        "fingerprint": fp,
        "gas_solver_version": plan["gas_solver_version"],
        "taxonomy": {"name": tax.name, "version": tax.version, "hash": tax.hash, "sources": list(tax.sources)},
        "constraints": {"name": plan["constraints"]["name"], "hash": spec.hash, "text": spec.text},
        "seed": plan["seed"],
        "distribution": plan["distribution"],
        "strata": plan["strata"],
        "backend": plan["backend"],
        "unique": plan["unique"],
        "split": plan["split"],
        "holdout": (dict(plan["holdout"], **{k: v for k, v in (holdout_info or {}).items()}) if plan["holdout"] else None),
        "formats": plan["formats"],
        "requested": plan["n"],
        "written": written,
        "space": {"size": str(total), "digits": len(str(total)),
                  f"by_{by}": {(k if isinstance(k, (int, str)) else "/".join(map(str, k))): str(v)
                               for k, v in sorted(by_stratum.items())}},
        "command": _command_line(plan, taxonomy_file),
        "plan": plan,
        "shards": shards,
    }
    if manifest["holdout"] and "threshold" in manifest["holdout"]:
        manifest["holdout"]["threshold"] = str(manifest["holdout"]["threshold"])  # 64-bit: keep exact in JSON
    manifest["distinct_scenes"] = _distinct_ids(out, shards, plan["formats"][0])
    sj = stats.to_json()
    manifest["stats"] = {k: sj[k] for k in ("complexity", "strata", "categories", "attribute_types", "predicates",
                                            "scene_attribute_types", "question_types", "answers")}
    manifest["stats"].update(questions=sj["questions"], caption_words=sj["caption_words"],
                             distinct_concepts=len(sj["concepts"]))
    first = next(s for s in shards if s["format"] == plan["formats"][0])
    example = next(iter_shard_rows(out / first["path"]))
    write_card(out, manifest, stats, tax, spec, example)
    write_json_atomic(out / MANIFEST, manifest)
    _cleanup(state)
    return read_json(out / MANIFEST)  # as stored (JSON keys are strings)


def _distinct_ids(out: Path, shards: list[dict], fmt: str) -> int:
    """Number of distinct scene ids over the shards of one format (reads only the ids).

    Memory grows with the number of distinct scenes (one small int each), the one
    place of a build that is not flat in N: about 60 MB per million rows.
    """
    seen: set[int] = set()
    for shard in shards:
        if shard["format"] == fmt:
            for ids in _shard_ids(out / shard["path"]):
                seen.update([int(cid[3:], 16) for cid in ids])  # the 128-bit id as one int: smaller than the string
    return len(seen)


def _shard_ids(path: Path) -> Iterator[list]:
    """The ``id`` column of a shard, in lists of up to 65,536.

    Parquet: the column alone, as strings (no dict per row).  JSON lines: a line this
    build wrote starts with its id (``{"id":"sg-<32 hex>",``); any other line is parsed.
    """
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches(batch_size=65536, columns=["id"]):
            yield batch.column(0).to_pylist()
        return
    ids: list = []
    with open(path, "rb") as f:
        for line in f:
            if line[:10] == b'{"id":"sg-' and line[42:44] == b'",':
                ids.append(line[7:42].decode())
            elif line.strip():
                ids.append(orjson.loads(line)["id"])
            if len(ids) == 65536:
                yield ids
                ids = []
    yield ids


def _command_line(plan: dict, taxonomy_file: str | None) -> str:
    """The ``gas build`` invocation that reproduces this plan (workers and engine are free)."""
    args = ["gas build"]
    if not plan["constraints"]["name"].endswith("(embedded)"):
        args.append(plan["constraints"]["name"])
    args += ["-n", str(plan["n"]), "-o", "DIR", "--seed", str(plan["seed"])]
    if plan["distribution"] != "uniform":
        args += ["--distribution", plan["distribution"]]
    for kind, shares in (plan["strata"] or {}).items():  # a structure kind, then repeats
        listed = shares if shares == "equal" else ",".join(f"{k}={v}" for k, v in shares.items())
        args += ["--strata", f"'{kind}:{listed}'"]
    if plan["split"] != {"train": 1.0}:
        args += ["--split", ",".join(f"{k}={v:g}" for k, v in plan["split"].items())]
    if plan["holdout"]:
        h = Holdout(plan["holdout"]["kind"], tuple(plan["holdout"]["patterns"]))
        args += ["--holdout", f"'{h.describe()}'" if h.kind == "pattern" else h.kind]
    if plan["formats"] != ["parquet"]:
        args += ["--format", "both" if len(plan["formats"]) == 2 else plan["formats"][0]]
    if plan["unique"]:
        args.append("--unique")
    if plan["shard_size"] != DEFAULT_SHARD_SIZE:
        args += ["--shard-size", str(plan["shard_size"])]
    if plan["backend"] != "asp":
        args += ["--backend", plan["backend"]]
    if plan["license"] != "other":
        args += ["--license", plan["license"]]
    if taxonomy_file:
        args += ["--taxonomy", taxonomy_file]
    return " ".join(args)
