"""CLI commands: ``gas generate`` (captions → images/videos/3D), ``gas score`` (VQA/CLIP scoring), ``gas eval``.

Both need the ``gpu`` extra; this module imports none of it, so ``gas --help``
works without torch and a missing extra fails when a command runs.
"""

from __future__ import annotations

import click

from .options import seed_option, taxonomy_option

SCHEME_CHOICES = ["dsg", "tifa", "strict", "prob", "all"]


def _parse_resolution(value: str | None) -> tuple[int | None, int | None]:
    if value is None:
        return None, None
    try:
        if "x" in value:
            w, h = value.lower().split("x")
            return int(w), int(h)
        return int(value), int(value)
    except ValueError:
        raise click.BadParameter(f"{value!r}: expected WIDTHxHEIGHT or one size, e.g. 512x512 or 512") from None


@click.command("generate")
@click.argument("dataset", type=click.Path(exists=True))
@click.option("-o", "--out", required=True, type=click.Path(file_okay=False), help="Output folder (resumable).")
@click.option("--model", required=True, help="diffusers pipeline: hub id or local folder.")
@click.option("--kind", type=click.Choice(["auto", "image", "video", "3d"]), default="auto", show_default=True,
              help="Output kind; auto reads the pipeline class.")
@click.option("-k", "--images-per-caption", type=click.IntRange(1), default=1, show_default=True)
@click.option("--batch-size", type=click.IntRange(1), default=4, show_default=True, help="Prompts per pipeline call.")
@click.option("--steps", type=click.IntRange(1), default=None, help="Inference steps (default: the pipeline's).")
@click.option("--guidance", type=float, default=None, help="Classifier-free guidance scale (default: the pipeline's).")
@click.option("--resolution", default=None, help="WIDTHxHEIGHT or one size (default: the pipeline's).")
@click.option("--negative-prompt", default=None)
@click.option("--dtype", type=click.Choice(["auto", "fp32", "fp16", "bf16"]), default="auto", show_default=True)
@click.option("--device", default="auto", show_default=True, help="cuda, cuda:1, mps, cpu or auto.")
@click.option("--lora", default=None, help="LoRA adapter (folder or file) to load into the pipeline.")
@click.option("--lora-scale", type=float, default=1.0, show_default=True)
@click.option("--num-frames", type=click.IntRange(1), default=None, help="Video: frames per clip.")
@click.option("--fps", type=click.IntRange(1), default=8, show_default=True, help="Video/3D: GIF and MP4 frame rate.")
@click.option("--video-format", "video_formats", multiple=True, type=click.Choice(["gif", "mp4", "frames"]),
              default=("gif",), show_default=True, help="Video files to write (repeat for several).")
@click.option("--frame-size", type=click.IntRange(8), default=None, help="3D: rendered view size.")
@click.option("--mesh/--no-mesh", default=True, show_default=True, help="3D: also write a PLY mesh.")
@click.option("--render-samples", type=click.IntRange(1), default=None,
              help="3D: coarse ray samples per pixel (fine = 2x; default: the renderer's 64).")
@click.option("--limit", type=click.IntRange(1), default=None, help="Only the first N scenes of the dataset.")
@seed_option
def generate(dataset, out, model, kind, images_per_caption, batch_size, steps, guidance, resolution, negative_prompt,
             dtype, device, lora, lora_scale, num_frames, fps, video_formats, frame_size, mesh, render_samples, limit, seed):
    """Generate images, videos or 3D outputs for the captions of a dataset.

    DATASET is a JSONL file of rows (id, caption, questions) or a `gas build`
    folder.  Each output's seed derives from the scene id, so a restarted run
    skips finished scenes and any scene can be regenerated alone.  Writes
    OUT/index.jsonl (scene → outputs and seeds) and the files under OUT.

    \b
    Example:
        gas generate scenes.jsonl -o out --model stable-diffusion-v1-5/stable-diffusion-v1-5 -k 4 --steps 30
    """
    from ..vision.generate import GenerateOptions, generate_images

    width, height = _parse_resolution(resolution)
    opts = GenerateOptions(images_per_caption=images_per_caption, batch_size=batch_size, steps=steps, guidance=guidance,
                           width=width, height=height, negative_prompt=negative_prompt, seed=seed, num_frames=num_frames,
                           fps=fps, video_formats=tuple(video_formats), frame_size=frame_size, mesh=mesh,
                           render_samples=render_samples, limit=limit)
    result = generate_images(dataset, out, model=model, kind=kind, device=device, dtype=dtype, lora=lora,
                             lora_scale=lora_scale, options=opts)
    click.echo(f"{result.generated} scenes generated ({result.outputs} outputs), {result.skipped} already done"
               + (f", {result.duplicates} duplicate ids ignored" if result.duplicates else "")
               + f"; index: {result.index}")


@click.command("score")
@click.argument("out", type=click.Path(exists=True, file_okay=False))
@click.option("--vqa", required=True, help="VQA model: BLIP VQA or a chat VLM (hub id or local folder).")
@click.option("--scheme", type=click.Choice(SCHEME_CHOICES), default="all", show_default=True,
              help="dsg (dependency-aware), tifa (accuracy), strict (all or nothing), prob (P(correct)), all.")
@click.option("--clip", default=None, help="Also compute the CLIP score with this CLIP model.")
@click.option("--batch-size", type=click.IntRange(1), default=16, show_default=True, help="Questions per model call.")
@click.option("--max-frames", type=click.IntRange(1), default=8, show_default=True,
              help="Frames sampled per video, views per 3D output.")
@click.option("--dtype", type=click.Choice(["auto", "fp32", "fp16", "bf16"]), default="auto", show_default=True)
@click.option("--device", default="auto", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the summary and breakdowns as JSON instead of tables.")
@taxonomy_option
def score(out, vqa, scheme, clip, batch_size, max_frames, dtype, device, as_json, taxonomy_path):
    """Score a `gas generate` folder with a VQA model: every scene's questions on every output.

    Answers are probabilities from the model's next-token logits; raw answers
    are cached under OUT/scores/, so scoring again with another scheme asks the
    model nothing.  Writes scores.json, per_scene.jsonl and report.md there
    (scores-dsg.json etc. for one --scheme: another scheme never overwrites them).

    \b
    Example:
        gas score out --vqa Salesforce/blip-vqa-base --scheme all --clip openai/clip-vit-large-patch14
    """
    import orjson

    from ..vision.score import SCHEMES, score_outputs
    from ..vision.vqa import load_vqa

    from ..vision.score import read_index

    read_index(out)  # a folder without outputs fails before a model is loaded
    taxonomy = None
    if taxonomy_path is not None:
        from ..taxonomy import load_taxonomy

        taxonomy = load_taxonomy(taxonomy_path)
    schemes = SCHEMES if scheme == "all" else (scheme,)
    model = load_vqa(vqa, device=device, dtype=dtype, batch_size=batch_size)
    report = score_outputs(out, vqa=model, clip=clip, schemes=schemes, max_frames=max_frames, device=device,
                           dtype=dtype, taxonomy=taxonomy)
    if as_json:
        click.echo(orjson.dumps({"summary": report.summary, "breakdowns": report.breakdowns},
                                option=orjson.OPT_INDENT_2).decode())
    else:
        click.echo(report.markdown())
        click.echo(f"{report.asked} questions asked, {report.cached} outputs from cache; "
                   f"files: {', '.join(str(f) for f in report.files)}")



@click.command("eval")
@click.argument("benchmark", type=click.Path(exists=True))
@click.option("-o", "--out", required=True, type=click.Path(file_okay=False), help="Output folder (fixed layout; resumable).")
@click.option("--model", required=True,
              help="diffusers text-to-image pipeline (hub id or folder), or with --decoder an image-token LM "
                   "(e.g. a `gas train grpo` run's final/ folder).")
@click.option("--decoder", default=None,
              help="Image-token LM: codes → images, 'palette' or 'package.module:function' (as in gas train grpo).")
@click.option("--image-tokens", default=None, help="Image-token LM: code token ids as FIRST:COUNT (default: by name).")
@click.option("--grid", default="8x8", show_default=True, help="Image-token LM: codes per image, HxW.")
@click.option("--template", default="{caption} <boi>", show_default=True, help="Image-token LM: prompt template.")
@click.option("--format", "fmt", type=click.Choice(["auto", "gas", "tifa", "dpg", "genai", "geneval"]), default="auto",
              show_default=True, help="Benchmark format; auto reads the file name and first record.")
@click.option("--vqa", default=None, help="VQA judge of question benchmarks (BLIP VQA or a chat VLM).")
@click.option("--detector", default=None, help="GenEval: object detector (OWL-ViT/OWLv2 zero-shot, or DETR).")
@click.option("--detector-threshold", type=float, default=None,
              help="GenEval: detection confidence (default GenEval's 0.3, 0.9 for counting).")
@click.option("--clip", default=None, help="Also the CLIP score; GenEval: classifies colours.")
@click.option("--skills", type=click.Path(exists=True, dir_okay=False), default=None,
              help="GenAI-Bench skills JSON (default: genai_skills.json beside the prompts, if any).")
@click.option("-k", "--images-per-prompt", type=click.IntRange(1), default=1, show_default=True)
@click.option("--batch-size", type=click.IntRange(1), default=4, show_default=True, help="Prompts per pipeline call.")
@click.option("--steps", type=click.IntRange(1), default=None, help="Inference steps (default: the pipeline's).")
@click.option("--guidance", type=float, default=None)
@click.option("--resolution", default=None, help="WIDTHxHEIGHT or one size.")
@click.option("--limit", type=click.IntRange(1), default=None, help="Only the first N prompts.")
@click.option("--dtype", type=click.Choice(["auto", "fp32", "fp16", "bf16"]), default="auto", show_default=True)
@click.option("--device", default="auto", show_default=True)
@seed_option
def evaluate_command(benchmark, out, model, decoder, image_tokens, grid, template, fmt, vqa, detector, detector_threshold, clip, skills, images_per_prompt,
                     batch_size, steps, guidance, resolution, limit, dtype, device, seed):
    """Evaluate a text-to-image model on a benchmark: generate, judge, tabulate, report.

    BENCHMARK is a TIFA v1.0 question file (tifa_v1.0_question_answers.json), the
    DPG-Bench CSV (dpg_bench.csv), GenAI-Bench prompts (genai_image.json), GenEval
    metadata (evaluation_metadata.jsonl) or a gas dataset.  OUT gets images/,
    answers.jsonl, per_question.csv, per_category.csv, summary.json and report.html.
    With --decoder, --model is an autoregressive image-token LM (a GRPO policy).

    \b
    Example:
        gas eval dpg_bench.csv -o eval-sd15 --model stable-diffusion-v1-5/stable-diffusion-v1-5 \\
            --vqa Qwen/Qwen2.5-VL-7B-Instruct -k 4 --steps 30
    """
    from ..vision.evaluate import evaluate

    width, height = _parse_resolution(resolution)
    pipeline = None
    if decoder is not None:  # an autoregressive image-token model, wrapped as a pipeline
        from ..train.pipeline import ImageTokenPipeline
        from .train import _parse_grid

        pipeline = ImageTokenPipeline.from_pretrained(model, decoder=decoder, image_tokens=image_tokens,
                                                      grid=_parse_grid(grid), template=template, device=device,
                                                      dtype=dtype)
        pipeline.name = model
    result = evaluate(benchmark, out, model=None if pipeline is not None else model, pipeline=pipeline, fmt=fmt, vqa=vqa, clip=clip, detector=detector, skills=skills,
                      images_per_prompt=images_per_prompt, limit=limit, device=device, dtype=dtype,
                      detector_threshold=detector_threshold, batch_size=batch_size, steps=steps, guidance=guidance,
                      width=width, height=height, seed=seed)
    s = result.summary
    click.echo(f"{s['format']}: {s['headline']} {s['score']:.4f} over {s['prompts']} prompts "
               f"({s['outputs']} images); report: {result.files.get('report.html')}")
    for group, value in (s.get("per_category") or {}).items():
        click.echo(f"  {group}: {value:.4f}")


COMMANDS = [generate, score, evaluate_command]
