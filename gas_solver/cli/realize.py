"""``gas realize``: add captions and question sets to scenes made elsewhere (JSON lines in, JSON lines out)."""

from __future__ import annotations

import click

from ..errors import SourceError
from .options import AtomicOutput, output_path_callback, seed_option, taxonomy_option

__all__ = ["COMMANDS", "realize"]


@click.command("realize")
@click.argument("input_path", metavar="IN.jsonl", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", "output_path", required=True, type=click.Path(dir_okay=False),
              callback=output_path_callback,
              help="Output JSON lines (written to a temporary file, renamed when complete).")
@taxonomy_option
@seed_option
@click.option("--caption-style", type=click.Choice(["varied", "plain"]), default="varied", show_default=True,
              help="Surface templates chosen by scene id and seed, or always the plainest.")
@click.option("--caption/--no-caption", "with_caption", default=True, show_default=True, help="Add a caption.")
@click.option("--qa/--no-qa", "with_qa", default=True, show_default=True, help="Add a question set.")
@click.option("--yes-share", type=click.FloatRange(0, 1, min_open=True), default=None,
              help="Target share of yes answers among yes/no questions (default: one foil per element).")
@click.option("--negatives/--no-negatives", default=True, show_default=True,
              help="Negative questions (answer 'no') with foils from the taxonomy.")
@click.option("--multiple-choice/--no-multiple-choice", default=True, show_default=True,
              help="Multiple-choice variants with taxonomy-aware distractors.")
@click.option("--choice-position", default=None, metavar="N|balanced|random",
              help="Where the correct choice goes: a fixed index, round-robin, or at random by seed (default).")
def realize(input_path, output_path, taxonomy_path, seed, caption_style, with_caption, with_qa, yes_share,
            negatives, multiple_choice, choice_position):
    """Add a caption and a question set to every scene of a JSON-lines file.

    Each input line is a scene object as written by `gas sample` or
    `gas enumerate` (extra fields are kept); each output line is the scene in
    canonical form with "caption" and "questions".  Output depends only on the
    scene and the seed, never on its line number.

    \b
    Example:
        gas realize scenes.jsonl -o rows.jsonl --seed 0
    """
    import orjson

    from ..collector import paused_collector
    from ..realize import realize_scene
    from ..realize.lexicon import lexicon
    from ..realize.labels import unknown_label
    from ..scene import SceneFormatError, scene_from_dict
    from ..taxonomy import load_taxonomy

    tax = load_taxonomy(taxonomy_path)
    if choice_position is not None and choice_position not in ("balanced", "random"):
        if not choice_position.isdigit():
            raise click.BadParameter("expected a non-negative integer, 'balanced' or 'random'",
                                     param_hint="'--choice-position'")
        choice_position = int(choice_position)
    qa_options = {"yes_share": yes_share, "negatives": negatives, "multiple_choice": multiple_choice,
                  "choice_position": choice_position}
    n = 0
    lexicon(tax)  # the realizers' tables, built before the collector is paused (collector.py says why)
    with open(input_path, "rb") as src, AtomicOutput(output_path) as dst, paused_collector() as gc_tick:
        for line_no, line in enumerate(src, start=1):
            if not line.strip():
                continue
            try:
                data = orjson.loads(line)
                scene = scene_from_dict(data)
            except orjson.JSONDecodeError as exc:
                raise SourceError(f"not JSON: {exc}", path=input_path, line=line_no) from None
            except SceneFormatError as exc:
                raise SourceError(str(exc), path=input_path, line=line_no,
                                  hint="expected a scene object as written by `gas sample`") from None
            problem = unknown_label(data, tax)
            if problem is not None:
                field, message = problem
                raise SourceError(message, path=input_path, line=line_no, field=field,
                                  hint="use the taxonomy the scenes were made with (--taxonomy)")
            row = realize_scene(scene, tax, seed=seed, caption=with_caption, qa=with_qa,
                                caption_style=caption_style, **qa_options)
            for key, value in data.items():  # keep fields the row does not define (split, weight, ...)
                if key not in row and key not in ("caption", "questions"):
                    row[key] = value
            dst.write(orjson.dumps(row, option=orjson.OPT_APPEND_NEWLINE))
            gc_tick()
            n += 1
    click.echo(f"wrote {n} rows to {output_path}", err=True)


COMMANDS = [realize]
