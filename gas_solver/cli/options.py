"""Option bundles shared by several commands."""

from __future__ import annotations

import click

taxonomy_option = click.option(
    "--taxonomy", "taxonomy_path", type=click.Path(exists=True, dir_okay=False), default=None,
    help="Taxonomy file (JSON, JSON.gz or TOML). Default: the embedded taxonomy.")
backend_option = click.option(
    "--backend", type=click.Choice(["asp", "cpsat"]), default="asp", show_default=True,
    help="Solver backend: clingo answer-set programming or OR-Tools CP-SAT.")
seed_option = click.option("--seed", type=int, default=0, show_default=True, help="Random seed (same seed, same output).")
