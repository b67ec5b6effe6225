"""CLI commands: ``gas build``, ``gas stats``, ``gas verify``, ``gas prompts``."""

from __future__ import annotations

import sys

import click

from ..dataset.build import DEFAULT_SHARD_SIZE
from ..errors import GasError
from .options import backend_option, output_path_callback, seed_option, taxonomy_option

DISTRIBUTIONS = ("uniform", "weighted", "stratified", "per-structure")


@click.command("build")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("-n", "n", type=click.IntRange(1), required=True, help="Number of rows (scenes) to write.")
@click.option("-o", "--output", "output", type=click.Path(file_okay=False), required=True,
              help="Output folder: new or empty, or the folder of an interrupted run of the same command (resumed).")
@seed_option
@click.option("--distribution", type=click.Choice(DISTRIBUTIONS), default=None,
              help="Sampling law over the space (default: the file's [sampling] section, else uniform).")
@click.option("--strata", default=None, multiple=True,
              help="Stratum shares for --distribution stratified: 'complexity:3=0.5,4=0.5', 'objects:equal', "
              "'shape:2/1/1=0.5,...' or 'repeats:repeated=1,distinct=3' (repeat --strata to combine repeats with "
              "one other kind); alone, it implies stratified.")
@click.option("--split", "split", default=None,
              help="Splits and ratios, e.g. train=0.9,test=0.1. Default: train=1, or train=0.9,test=0.1 with --holdout.")
@click.option("--holdout", default=None,
              help="Held-out compositional test split: relation-pairs, attribute-pairs, or pattern:'a:animal -[riding]-> b:vehicle'.")
@click.option("--format", "fmt", type=click.Choice(["parquet", "jsonl", "both"]), default="parquet", show_default=True,
              help="Shard format(s): Parquet in data/, JSON lines in jsonl/.")
@click.option("--unique", is_flag=True, help="Keep each scene once (deduplicate by canonical id).")
@click.option("--shard-size", type=click.IntRange(1), default=DEFAULT_SHARD_SIZE, show_default=True,
              help="Rows per part; each part gives one shard per split.")
@click.option("--license", "license_", default="other", show_default=True,
              help="Licence id for the card's YAML header (e.g. cc-by-4.0).")
@click.option("--workers", type=click.IntRange(1), default=1, show_default=True,
              help="Worker processes (or Ray tasks in flight); the output does not depend on it.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="Run parts in a local process pool or as Ray tasks.")
@click.option("--ray-address", default=None, help="Ray cluster address for --engine ray (e.g. ray://head:10001 or auto).")
@taxonomy_option
@backend_option
def build(file, n, output, seed, distribution, strata, split, holdout, fmt, unique, shard_size, license_, workers,
          engine, ray_address, taxonomy_path, backend):
    """Build a dataset: scenes with captions and questions, sharded, with a card.

    FILE is a constraint file (default: the embedded one). The output folder
    loads with Hugging Face datasets (load_dataset("parquet", data_dir=DIR)),
    holds manifest.json (inputs, hashes, counts, checksums) and a README.md
    dataset card with plots. An interrupted build (even kill -9) is finished
    by re-running the same command; the result is byte-identical to an
    uninterrupted build, for any number of workers and either engine.

    \b
    Example:
        gas build -n 10000 -o out --holdout relation-pairs --workers 2
    """
    from ..dataset import build_dataset
    from ..solve.sample import parse_strata
    from ..solve.sample.law import combine_strata

    formats = ("parquet", "jsonl") if fmt == "both" else (fmt,)
    manifest = build_dataset(
        output, n, constraints=file, taxonomy=taxonomy_path, seed=seed, distribution=distribution,
        strata=combine_strata([parse_strata(x) for x in strata]) if strata else None, backend=backend, split=split,
        holdout=holdout,
        formats=formats, unique=unique, shard_size=shard_size, license=license_, workers=workers, engine=engine,
        ray_address=ray_address, progress=sys.stderr.isatty(), log=lambda msg: click.echo(msg, err=True))
    written = manifest["written"]
    parts = ", ".join(f"{k} {v:,}" for k, v in written.items() if k != "total")
    click.echo(f"{output}: {written['total']:,} rows ({parts}); card: {output}/README.md")


@click.command("stats")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--top", type=click.IntRange(1), default=15, show_default=True, help="Rows per table.")
def stats(folder, top):
    """Print summary tables of a built dataset (recomputed from its shards).

    \b
    Example:
        gas stats out
    """
    from ..dataset import compute_stats, format_stats, require_intact

    manifest = require_intact(folder)  # a damaged shard is reported by name, as `gas verify` does
    click.echo(format_stats(compute_stats(folder, manifest), manifest, top=top))


@click.command("verify")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--deep", is_flag=True, help="Also check every row (scene JSON, canonical id, counts, hold-out).")
def verify(folder, deep):
    """Check a dataset against its manifest: checksums, schema, counts.

    Exit status 1 with one line per problem (naming the shard) if anything is wrong.

    \b
    Example:
        gas verify out --deep
    """
    from ..dataset import read_manifest, verify_dataset

    problems = verify_dataset(folder, deep=deep)
    if problems:
        for p in problems:
            click.echo(f"{folder}/{p}" if not p.startswith(("split ", "total")) else f"{folder}: {p}", err=True)
        raise GasError(f"{folder}: {len(problems)} problem(s) found")
    m = read_manifest(folder)
    click.echo(f"{folder}: OK ({len(m['shards'])} shards, {m['written']['total']:,} rows"
               f"{', every row checked' if deep else ''})")


@click.command("prompts")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), required=True,
              callback=output_path_callback, help="prompts.txt (one caption per line) or prompts.jsonl (id, split, caption).")
@click.option("--split", default=None, help="Only this split (default: all).")
def prompts(folder, output, split):
    """Export the captions of a built dataset as plain text or JSON lines.

    \b
    Example:
        gas prompts out -o prompts.txt --split test
    """
    from ..dataset import export_prompts

    n = export_prompts(folder, output, split=split)
    click.echo(f"{output}: {n:,} prompts")


COMMANDS: list = [build, stats, verify, prompts]
