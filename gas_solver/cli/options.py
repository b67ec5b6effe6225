"""Option bundles shared by several commands."""

from __future__ import annotations

import os
import sys
import tempfile

import click

taxonomy_option = click.option(
    "--taxonomy", "taxonomy_path", type=click.Path(exists=True, dir_okay=False), default=None,
    help="Taxonomy file (JSON, JSON.gz or TOML). Default: the embedded taxonomy.")
backend_option = click.option(
    "--backend", type=click.Choice(["asp", "cpsat"]), default="asp", show_default=True,
    help="Solver backend: clingo answer-set programming or OR-Tools CP-SAT.")
seed_option = click.option("--seed", type=int, default=0, show_default=True, help="Random seed (same seed, same output).")


_BUFFER = 1 << 20


class AtomicOutput:
    """Bytes to stdout (``path`` None), or to a temporary file renamed onto ``path`` only when all lines were written."""

    def __init__(self, path: str | None):
        self.path = path
        self.tmp = None

    def __enter__(self):
        if self.path is None:
            self.fh = sys.stdout.buffer
            return self.fh
        d = os.path.dirname(os.path.abspath(self.path))
        fd, self.tmp = tempfile.mkstemp(dir=d, prefix="." + os.path.basename(self.path) + ".", suffix=".tmp")
        # rows with captions and questions are ~8 kB, as large as the default buffer: without a larger
        # one every row was its own write(2) call (~5 µs a row, a twentieth of building it)
        self.fh = os.fdopen(fd, "wb", buffering=_BUFFER)
        return self.fh

    def __exit__(self, exc_type, exc, tb):
        if self.path is None:
            self.fh.flush()
            return False
        self.fh.close()
        if exc_type is None:
            os.replace(self.tmp, self.path)
        else:
            os.unlink(self.tmp)
        return False
