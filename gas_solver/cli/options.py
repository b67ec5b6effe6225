"""Option bundles shared by several commands."""

from __future__ import annotations

import click

from ..outputs import open_output

taxonomy_option = click.option(
    "--taxonomy", "taxonomy_path", type=click.Path(exists=True, dir_okay=False), default=None,
    help="Taxonomy file (JSON, JSON.gz or TOML). Default: the embedded taxonomy.")
backend_option = click.option(
    "--backend", type=click.Choice(["asp", "cpsat"]), default="asp", show_default=True,
    help="Solver backend: clingo answer-set programming or OR-Tools CP-SAT.")
seed_option = click.option("--seed", type=int, default=0, show_default=True, help="Random seed (same seed, same output).")


_BUFFER = 1 << 20


def AtomicOutput(path: str | None):
    """Bytes to stdout (``path`` None), or to ``path`` by the output-path policy of :mod:`gas_solver.outputs`
    (a temporary file renamed onto a regular file only when all lines were written; pipes and devices
    written straight to; folders refused)."""
    # rows with captions and questions are ~8 kB, as large as the default buffer: without a larger
    # one every row was its own write(2) call (~5 µs a row, a twentieth of building it)
    return open_output(path, buffering=_BUFFER)


def output_path_callback(ctx: click.Context, param: click.Parameter, value):
    """Check an output path (``-o``) when the command line is read, before any work: see :mod:`..outputs`."""
    if value is not None:
        from ..outputs import OutputPathError, check_output_path

        try:
            check_output_path(value)
        except OutputPathError as exc:
            raise click.BadParameter(str(exc), ctx=ctx, param=param) from None
    return value
