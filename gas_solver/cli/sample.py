"""``gas sample``: exact uniform, weighted or stratified scenes of a constraint file as JSON lines."""

from __future__ import annotations

import functools
import itertools
import sys
from pathlib import Path

import click

from ..collector import paused_collector
from ..realize.row import row_maker
from .options import AtomicOutput, backend_option, output_path_callback, seed_option, taxonomy_option

__all__ = ["COMMANDS", "sample"]


def _json_rows(tax, options, scenes) -> list[tuple[str, bytes]]:
    """One chunk's rows, built where the chunk was drawn (a worker process: returned as one list)."""
    line = row_maker(tax, options)
    return [line(scene) for scene in scenes]


def _json_rows_lazy(tax, options, scenes):
    """One chunk's rows, each built as it is written (one process): a chunk's ~4,000 rows of ~8 kB
    are never held at once (~35 MB less memory; a few % faster, measured on the shared machine)."""
    return map(row_maker(tax, options), scenes)


def _row_id(item) -> str:
    return item[0]


@click.command("sample")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("-n", "n", type=click.IntRange(0), default=10, show_default=True, help="Number of scenes.")
@seed_option
@click.option("--distribution", type=click.Choice(["uniform", "weighted", "stratified", "per-structure",
                                                   "near-uniform"]),
              default=None,
              help="Default: the file's [sampling] section, else uniform.  uniform: every scene equally likely; "
                   "weighted: by the file's soft weights; stratified: by --strata shares; per-structure: the "
                   "reference's law (for comparison); near-uniform: random XOR cells (UniGen), NOT exact, for spaces exact sampling refuses (slow; see --epsilon).")
@click.option("--epsilon", type=float, default=None,
              help="Tolerance of --distribution near-uniform: every scene's probability within a factor 1+ε of "
                   "uniform (UniGen; > 1.71, default 16).")
@click.option("--strata", default=None, metavar="SPEC", multiple=True,
              help="Shares per stratum for --distribution stratified: 'complexity:3=0.5,4=0.5', "
                   "'objects:1=1,2=1', 'relations:equal' or 'shape:2/1/1=0.5,1/1/0=0.5' "
                   "(objects/attributes/relations), or 'repeats:repeated=1,distinct=3' (some concept twice or more, "
                   "or all different; repeat --strata to split each stratum of another kind so); alone, it "
                   "implies stratified.  Default: the file's [sampling].")
@click.option("--unique", is_flag=True, help="Sample without replacement (no scene twice).")
@click.option("--workers", type=click.IntRange(1), default=1, show_default=True,
              help="Worker processes; the output does not depend on it.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None, callback=output_path_callback,
              help="Write JSON lines here (atomically); default: stdout.")
@click.option("--caption/--no-caption", "with_caption", default=True, show_default=True,
              help="Add a caption to each row (gas_solver.realize).")
@click.option("--qa/--no-qa", "with_qa", default=True, show_default=True,
              help="Add a question set to each row (gas_solver.realize).")
@click.option("--caption-style", type=click.Choice(["varied", "plain"]), default="varied", show_default=True,
              help="Caption templates chosen by scene id and seed, or always the plainest.")
@taxonomy_option
@backend_option
def sample(file, n, seed, distribution, strata, unique, workers, output, with_caption, with_qa, caption_style,
           taxonomy_path, backend, epsilon) -> None:
    """Sample scenes of a constraint file exactly: uniformly, by weight, or by strata.

    FILE defaults to the embedded default constraint file.  Each scene is one
    JSON line (canonical id, objects, relations, scene attributes, complexity).
    Every scene of the space has exactly the same probability under
    --distribution uniform.  --distribution near-uniform is the explicit,
    approximate alternative for spaces exact sampling refuses (UniGen-style
    random XOR cells; its guarantee is printed on stderr).

    \b
    Example:
        gas sample -n 1000 --seed 7 --distribution stratified --strata 'complexity:3=0.5,4=0.5' -o scenes.jsonl
    """
    from ..constraints import load_default_constraints, parse_constraints
    from ..errors import ExactSamplingRefused, GasError, SpaceTooLarge
    from ..solve import hashing
    from ..solve.sample import Sampler, parse_strata, sampling_law
    from ..solve.sample.law import combine_strata
    from ..taxonomy import load_taxonomy

    tax = load_taxonomy(taxonomy_path)
    spec = parse_constraints(Path(file), tax, path=file) if file else load_default_constraints(tax)
    click.get_current_context().meta["gas_file"] = file or "the default constraint file"  # named in work limits
    row_options = {"caption": with_caption, "qa": with_qa, "caption_style": caption_style, "seed": seed}
    strata_dict = combine_strata([parse_strata(x) for x in strata]) if strata else None
    if distribution != "near-uniform":  # explicit options override the file's [sampling] section
        distribution, strata_dict = sampling_law(spec, distribution, strata_dict)
    if distribution == "near-uniform":
        _near_uniform(spec, tax, n, seed, strata, unique, output, row_options, backend, epsilon)
        return
    if epsilon is not None:
        raise GasError("--epsilon is only used with --distribution near-uniform")
    try:
        sampler = Sampler(spec, tax, distribution=distribution, strata=strata_dict, backend=backend)
        # rows (canonical ids, captions, questions) are built in the worker processes: (id, JSON line) per scene
        rows_fn = _json_rows if workers > 1 else _json_rows_lazy  # lists are what worker processes can send
        rows = sampler.map_chunks(n, seed, functools.partial(rows_fn, tax, row_options), unique=unique,
                                  workers=workers, key=_row_id)
        _write(rows, n, output)
    except (SpaceTooLarge, ExactSamplingRefused) as err:
        # exact sampling refused (no exact count, or too few accepted draws): name the explicit alternative
        raise GasError(f"{err}\n{hashing.NEAR_UNIFORM_HINT}") from err
    if output is not None:
        size = f"{sampler.total:,} scenes" if sampler.total is not None else \
            "not countable exactly (raw ASP rules; exact rejection sampling)"
        click.echo(f"wrote {n} scenes to {output} (space: {size}, {distribution})", err=True)


def _near_uniform(spec, tax, n, seed, strata, unique, output, row_options, backend, epsilon) -> None:
    """``--distribution near-uniform``: UniGen-style hashing, with its guarantee printed on stderr."""
    from ..errors import GasError
    from ..solve.hashing import DEFAULT_EPSILON, HashingSampler

    if strata or unique:
        raise GasError("--distribution near-uniform takes neither --strata nor --unique")
    hs = HashingSampler(spec, tax, backend=backend, epsilon=DEFAULT_EPSILON if epsilon is None else epsilon)
    click.echo(f"warning: {hs.guarantee}", err=True)  # never approximate silently
    if hs.exact:
        click.echo(f"note: this space has {hs.estimate()} scenes, within one cell: these draws are exactly uniform",
                   err=True)
    line = row_maker(tax, row_options)
    rows = (line(hs.draw(seed, i)) for i in range(n))
    _write(rows, n, output)
    if output is not None:
        how = "exact: the space fits one cell" if hs.exact else "hashing"
        click.echo(f"wrote {n} scenes to {output} (near-uniform, {how})", err=True)


def _write(rows, n: int, output) -> None:
    show = output is not None and sys.stderr.isatty()
    bar = None
    if show:
        from tqdm import tqdm

        bar = tqdm(total=n, unit="scene", file=sys.stderr)
    # The first row builds the realizers' tables: it is made before the collector is paused, so that they
    # are frozen with the rest (gas_solver/collector.py says why).
    rows = iter(rows)
    first = next(rows, None)
    try:
        with paused_collector() as gc_tick, AtomicOutput(output) as fh:
            for _, line in itertools.chain(() if first is None else (first,), rows):
                fh.write(line)
                gc_tick()
                if bar is not None:
                    bar.update(1)
    finally:
        if bar is not None:
            bar.close()


COMMANDS = [sample]
