"""``gas check``, ``gas count``, ``gas enumerate``: the exact solver core on the command line."""

from __future__ import annotations

import contextlib
import json
import sys

from pathlib import Path

import click

from ..errors import GasError
from ..outputs import open_output
from .options import AtomicOutput, backend_option, output_path_callback, taxonomy_option

__all__ = ["COMMANDS", "check", "count", "enumerate_cmd"]

file_argument = click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False))


def _load(file: str | None, taxonomy_path: str | None):
    from ..constraints import load_default_constraints, parse_constraints
    from ..taxonomy import load_taxonomy

    tax = load_taxonomy(taxonomy_path)
    spec = parse_constraints(Path(file), tax, path=file) if file else load_default_constraints(tax)
    click.get_current_context().meta["gas_file"] = file or "the default constraint file"
    return spec, tax


@click.command("check")
@file_argument
@taxonomy_option
@backend_option
def check(file: str | None, taxonomy_path: str | None, backend: str) -> None:
    """Validate a constraint file, report its space size, and diagnose unsatisfiable files.

    FILE defaults to the embedded default constraint file.  An unsatisfiable
    file exits with status 1 and lists a minimal set of conflicting
    constraints with their lines.

    \b
    Example:
        gas check constraints/animals_riding_vehicles.toml --backend cpsat
    """
    from ..errors import SpaceTooLarge
    from ..solve.count import count_scenes
    from ..solve.unsat import check_satisfiable

    spec, tax = _load(file, taxonomy_path)
    name = file or "the default constraint file"
    if spec.raw_asp:
        check_satisfiable(spec, tax, backend=backend)
        click.echo(f"{name}: OK (satisfiable; raw ASP rules put the space outside exact counting)")
        return
    # A positive exact count proves satisfiability, and counting is far cheaper than the solver's
    # satisfiability model on large complexity ranges; the solver runs when there is no count or it is 0
    # (then it names the conflicting constraints).
    try:
        total = count_scenes(spec, tax, progress=counting_progress())
    except SpaceTooLarge as exc:
        check_satisfiable(spec, tax, backend=backend)
        click.echo(f"{name}: OK (satisfiable); no exact count: {exc}")
        return
    if not total:
        check_satisfiable(spec, tax, backend=backend)
    click.echo(f"{name}: OK, {total} scenes")


@click.command("count")
@file_argument
@click.option("--by", type=click.Choice(["complexity", "objects", "attributes", "relations", "shape", "structure", "repeats"]),
              default=None, help="Also count per stratum (repeats: some concept twice or more, or all different).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--workers", type=click.IntRange(1), default=None,
              help="Worker processes [default: the CPUs for a long count by 2-cores, else 1]; the output does not "
                   "depend on it.")
@taxonomy_option
@backend_option
def count(file: str | None, by: str | None, as_json: bool, workers: int | None, taxonomy_path: str | None,
          backend: str) -> None:
    """Count the scenes of a constraint file exactly (in total, or per stratum with --by).

    Counting never lists scenes (Burnside's lemma over the structures'
    automorphisms); the number is exact at any size.  --backend is accepted
    for symmetry with the other commands; the counter does not use a solver.
    A count by 2-cores (large complexity ranges) is shared among --workers
    processes: the same integers, sooner (the refusal of too long a count
    then weighs the expected wall time on that many CPUs).  Without
    --workers, a count by 2-cores estimated at more than 30 CPU seconds
    uses every CPU, a shorter one a single process; --workers 1 keeps
    one process.

    \b
    Example:
        gas count constraints/default.toml --by complexity --json
        gas count big.toml --workers 2
    """
    from ..solve.count import count_scenes

    spec, tax = _load(file, taxonomy_path)
    if spec.raw_asp:
        raise GasError("raw ASP rules ([asp]) put the space outside exact counting; "
                       "use `gas enumerate` on small spaces to list (and count) its scenes")
    total = count_scenes(spec, tax, progress=counting_progress(), workers=workers)
    strata = count_scenes(spec, tax, by=by, workers=workers) if by else None
    if as_json:
        out: dict = {"total": str(total) if total >= 2 ** 53 else total}
        if strata is not None:
            out["by"] = by
            out["strata"] = [{"stratum": _stratum_json(k), "count": v if v < 2 ** 53 else str(v)}
                             for k, v in strata.items()]
        click.echo(json.dumps(out))
        return
    click.echo(f"total: {total}")
    if strata is not None:
        for k, v in strata.items():
            click.echo(f"  {_stratum_text(k)}: {v}")


def counting_progress():
    """A ``(done, total)`` callback for long counts: a bar on a terminal, nothing when stderr is piped."""
    bar = None

    def report(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            from ..vision.progress import Progress

            bar = Progress(total, unit=report.unit, desc="counting", enabled=sys.stderr.isatty())
        bar.update(done - bar.done)
        if done >= total:
            bar.close()

    report.unit = "object graph"  # (the count by 2-cores sets "core")
    return report


def _stratum_json(k):
    if hasattr(k, "key"):
        return k.key
    return list(k) if isinstance(k, tuple) else k


def _stratum_text(k) -> str:
    if hasattr(k, "key"):
        return k.key
    if isinstance(k, tuple):
        return "(" + ", ".join(map(str, k)) + ")"
    return str(k)


def _parse_shard(value: str | None):
    if value is None:
        return None
    try:
        i, k = (int(x) for x in value.split("/"))
    except ValueError:
        raise click.BadParameter(f"expected i/k such as 0/4, got {value!r}", param_hint="--shard") from None
    if not (k >= 1 and 0 <= i < k):
        raise click.BadParameter(f"shard {value} needs 0 <= i < k", param_hint="--shard")
    return i, k


@click.command("enumerate")
@file_argument
@click.option("--structures", "list_structures", is_flag=True,
              help="List the unlabelled structures of the bounds instead of scenes.")
@click.option("--limit", type=click.IntRange(0), default=100_000, show_default=True,
              help="Refuse spaces larger than this (the exact count is shown); with --force, stop after it.")
@click.option("--force", is_flag=True, help="List even when the space is larger than --limit.")
@click.option("--shard", default=None, metavar="i/k",
              help="List only shard i of k (0 <= i < k): the structures i, i+k, ... (disjoint, covering).")
@click.option("--cursor", default=None, help="Resume after the scene this cursor was printed for.")
@click.option("--cursors", "cursor_file", type=click.Path(dir_okay=False), default=None, callback=output_path_callback,
              help="Also write the cursor after each scene to this file (one per line).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, callback=output_path_callback,
              help="Write JSON lines here (atomically) instead of stdout.")
@taxonomy_option
@backend_option
def enumerate_cmd(file: str | None, list_structures: bool, limit: int, force: bool, shard: str | None,
                  cursor: str | None, cursor_file: str | None, output: str | None, taxonomy_path: str | None,
                  backend: str) -> None:
    """List every scene of a constraint file exactly once, as JSON lines, in a fixed order.

    Each line follows the scene schema (canonical id, objects with concept,
    name, category and attributes, relations, scene attributes, complexity).
    With --structures, lines are structures: {"key", "objects", "attributes",
    "edges", "automorphisms"}, listed by the chosen backend's model.

    \b
    Example:
        gas enumerate constraints/kitchen_still_life.toml --limit 1000 --shard 0/4 -o part0.jsonl
    """
    import orjson

    spec, tax = _load(file, taxonomy_path)
    shard_t = _parse_shard(shard)
    if list_structures:
        from ..solve.structures import structures

        items = structures(spec.bounds, backend=backend)
        if len(items) > limit and not force:
            raise GasError(f"the bounds have {len(items)} structures, more than the limit {limit}; "
                           "raise --limit or pass --force")
        with AtomicOutput(output) as fh:
            for idx, s in enumerate(items):
                if shard_t is None or idx % shard_t[1] == shard_t[0]:
                    fh.write(orjson.dumps({"key": s.key, "objects": s.n, "attributes": list(s.attributes),
                                           "edges": [list(e) for e in s.edges], "complexity": s.complexity,
                                           "automorphisms": s.group_order}) + b"\n")
        return
    from ..scene import scene_to_dict
    from ..solve.enumerate import check_size, enumerate_with_cursors

    if not force:
        check_size(spec, tax, limit, backend=backend)  # exact count, before anything is written
    with contextlib.ExitStack() as stack:
        # cursors are streamed (each line is a resume point even if the run is killed), not renamed at the end
        cursors = stack.enter_context(open_output(cursor_file, stream=True, buffering=0)) if cursor_file else None
        fh = stack.enter_context(AtomicOutput(output))
        n = 0
        for cur, scene in enumerate_with_cursors(spec, tax, backend=backend, shard=shard_t, cursor=cursor):
            if force and n >= limit:
                break
            fh.write(orjson.dumps(scene_to_dict(scene, tax)) + b"\n")
            if cursors:
                cursors.write(cur.encode() + b"\n")
            n += 1


COMMANDS = [check, count, enumerate_cmd]
