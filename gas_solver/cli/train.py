"""CLI commands: ``gas train <method>`` (training with scene-graph data and rewards; the ``gpu`` extra).

This module imports none of the extra, so ``gas --help`` works without torch; a missing
extra fails when a command runs.  Each method is one subcommand of the ``train`` group.
"""

from __future__ import annotations

import click

from .options import seed_option, taxonomy_option


@click.group("train")
def train() -> None:
    """Train models with scene-graph data and rewards (needs the gpu extra).

    \b
    Example:
        gas train grpo ds -o run --model Daniel0724/SimpleAR-0.5B-SFT --vqa Salesforce/blip-vqa-base \\
            --decoder mypkg.cosmos:decode --image-tokens 151665:64000 --grid 32x32
    """


def _parse_grid(value: str) -> tuple[int, int]:
    try:
        h, w = (int(x) for x in value.lower().split("x")) if "x" in value.lower() else (int(value),) * 2
    except ValueError:
        raise click.BadParameter(f"{value!r}: expected HxW or one size, e.g. 8x8 or 32") from None
    if h < 1 or w < 1:
        raise click.BadParameter(f"{value!r}: sides must be at least 1")
    return h, w


@train.command("grpo")
@click.argument("source", type=click.Path(exists=True), required=False)
@click.option("-o", "--out", required=True, type=click.Path(file_okay=False),
              help="Run folder: grpo.json, log.jsonl, checkpoints/, final/ (rerun the command to resume).")
@click.option("--model", required=True, help="Policy: a causal LM over image tokens (hub id or folder).")
@click.option("--reward", type=click.Choice(["qa", "clip"]), default="qa", show_default=True,
              help="qa: scene-graph questions answered by --vqa; clip: CLIP score against the caption (baseline).")
@click.option("--vqa", default=None, help="VQA model for --reward qa (BLIP VQA or a chat VLM; hub id or folder).")
@click.option("--clip", default=None, help="CLIP model for --reward clip (hub id or folder).")
@click.option("--scheme", type=click.Choice(["prob", "dsg", "tifa", "strict"]), default="prob", show_default=True,
              help="QA scheme; prob (mean P(correct)) is smooth, the others are flat between answer flips.")
@click.option("--decoder", default="palette", show_default=True,
              help="Completion codes → images: 'palette' (toy stand-in) or 'package.module:function', a render "
                   "function taking codes (B, h, w) and returning (B, 3, H, W) in [-1, 1] or PIL images.")
@click.option("--image-tokens", default=None,
              help="Token ids of the codes as FIRST:COUNT (default: tokens named <img_N> or <|visual tokenN|>).")
@click.option("--grid", default="8x8", show_default=True, help="Codes per image, HxW (completion length h*w).")
@click.option("--template", default="{caption} <boi>", show_default=True, help="Prompt around the caption.")
@click.option("--steps", "max_steps", type=click.IntRange(1), default=100, show_default=True, help="Optimizer steps.")
@click.option("--batch-size", type=click.IntRange(1), default=4, show_default=True, help="Completions per step.")
@click.option("--num-generations", type=click.IntRange(2), default=4, show_default=True,
              help="Completions per prompt (the GRPO group).")
@click.option("--lr", "learning_rate", type=float, default=1e-5, show_default=True)
@click.option("--beta", type=float, default=0.0, show_default=True, help="KL weight against the initial policy.")
@click.option("--temperature", type=float, default=1.0, show_default=True)
@click.option("--lora-rank", type=click.IntRange(0), default=16, show_default=True, help="0: full fine-tuning.")
@click.option("--save-steps", type=click.IntRange(1), default=50, show_default=True, help="Checkpoint every N steps.")
@click.option("--prompts", "n_prompts", type=click.IntRange(1), default=64, show_default=True,
              help="Scenes sampled when SOURCE is a constraint file.")
@click.option("--limit", type=click.IntRange(1), default=None, help="Only the first N rows of a dataset.")
@click.option("--bf16", is_flag=True, help="Train in bfloat16 (GPU).")
@click.option("--device", default="auto", show_default=True, help="cuda, cpu or auto.")
@seed_option
def grpo(source, out, model, reward, vqa, clip, scheme, decoder, image_tokens, grid, template, max_steps, batch_size,
         num_generations, learning_rate, beta, temperature, lora_rank, save_steps, n_prompts, limit, bf16, device, seed):
    """GRPO on an image-token model, rewarded by scene-graph QA (or CLIP).

    SOURCE is a `gas build` folder, a JSONL/Parquet file of rows, or a constraint
    file (scenes are sampled; default: the embedded constraint file).  The policy
    samples only image tokens, exactly h*w of them; the decoder turns them into
    images and the reward scores them.  OUT/log.jsonl gets one line per step
    (reward mean and spread, mean P(correct) per question type).  Rerunning the
    same command resumes from the newest checkpoint.

    \b
    Example:
        gas build -n 5000 -o ds
        gas train grpo ds -o run --model my-simplear-folder --vqa Salesforce/blip-vqa-base \\
            --decoder mypkg.cosmos:decode --image-tokens 151665:64000 --grid 32x32 --steps 1000
    """
    from ..train.grpo import GRPOOptions, train_grpo

    opts = GRPOOptions(reward=reward, scheme=scheme, grid=_parse_grid(grid), image_tokens=image_tokens, decoder=decoder,
                       template=template, max_steps=max_steps, batch_size=batch_size, num_generations=num_generations,
                       learning_rate=learning_rate, beta=beta, temperature=temperature, lora_rank=lora_rank,
                       save_steps=save_steps, limit=limit, seed=seed, bf16=bf16)
    result = train_grpo(source, out, model=model, vqa=vqa, clip=clip, options=opts, device=device, n_prompts=n_prompts)
    last = result.log[-1] if result.log else {}
    click.echo(f"{result.steps} steps" + (f" (resumed from {result.resumed_from})" if result.resumed_from else "")
               + (f"; last reward {last['reward']:.4f}" if "reward" in last else "")
               + f"; log: {result.out / 'log.jsonl'}; final: {result.final}")



# ---------------------------------------------------------------------------
# Shared options of the diffusion applications (improve, distill, moderation)
# ---------------------------------------------------------------------------

def _generation_options(f):
    for opt in reversed([
        click.option("--steps", type=click.IntRange(1), default=None, help="Inference steps (default: the pipeline's)."),
        click.option("--guidance", type=float, default=None, help="Guidance scale (default: the pipeline's)."),
        click.option("--resolution", type=click.IntRange(8), default=None, help="Square image size (default: the pipeline's)."),
        click.option("--batch-size", type=click.IntRange(1), default=4, show_default=True, help="Prompts per pipeline call."),
        click.option("--dtype", type=click.Choice(["auto", "fp32", "fp16", "bf16"]), default="auto", show_default=True),
        click.option("--device", default="auto", show_default=True, help="cuda, cuda:1, mps, cpu or auto."),
    ]):
        f = opt(f)
    return f


def _lora_options(f):
    for opt in reversed([
        click.option("--lora-rank", type=click.IntRange(1), default=4, show_default=True),
        click.option("--lora-alpha", type=float, default=None, help="LoRA alpha (default: the rank)."),
        click.option("--lr", "learning_rate", type=float, default=1e-4, show_default=True, help="LoRA learning rate."),
        click.option("--train-steps", type=click.IntRange(0), default=100, show_default=True,
                     help="LoRA optimizer steps per fine-tuning."),
        click.option("--train-batch-size", type=click.IntRange(1), default=1, show_default=True),
        click.option("--train-resolution", type=click.IntRange(8), default=None,
                     help="Training image size (default: the pipeline's)."),
    ]):
        f = opt(f)
    return f


def _source_options(f):
    for opt in reversed([
        click.option("--distribution", type=click.Choice(["uniform", "weighted", "stratified"]), default="uniform",
                     show_default=True, help="How captions are sampled from a constraint file."),
        click.option("--strata", default=None, metavar="SPEC", help="Shares per stratum for --distribution stratified."),
        taxonomy_option,
    ]):
        f = opt(f)
    return f


def _open_source(source, taxonomy_path, distribution, strata):
    from ..solve.sample import parse_strata
    from ..taxonomy import load_taxonomy
    from ..train.captions import CaptionSource

    tax = load_taxonomy(taxonomy_path)
    return CaptionSource.open(source, tax, distribution=distribution,
                              strata=parse_strata(strata) if strata else None), tax


def _lora(lora_rank, lora_alpha, learning_rate, train_steps, train_batch_size, train_resolution, seed):
    from ..train.lora import LoraOptions

    return LoraOptions(rank=lora_rank, alpha=lora_alpha, learning_rate=learning_rate, steps=train_steps,
                       batch_size=train_batch_size, resolution=train_resolution, seed=seed)


def _pipeline(model, device, dtype):
    from ..vision.generate import load_pipeline

    pipe, _ = load_pipeline(model, kind="image", device=device, dtype=dtype)
    return pipe


@train.command("improve")
@click.argument("source", type=click.Path(exists=True), required=False)
@click.option("-o", "--out", required=True, type=click.Path(file_okay=False),
              help="Run folder (rerun the same command to resume from the last finished round).")
@click.option("--model", required=True, help="diffusers text-to-image pipeline (hub id or folder): SD 1.x/2.x, SD3.")
@click.option("--vqa", required=True, help="VQA model of the QA reward (BLIP VQA or a chat VLM; hub id or folder).")
@click.option("--rounds", type=click.IntRange(1), default=1, show_default=True)
@click.option("--captions", "captions_per_round", type=click.IntRange(1), default=100, show_default=True,
              help="Training captions per round.")
@click.option("--heldout", "heldout_captions", type=click.IntRange(1), default=50, show_default=True,
              help="Fixed held-out captions for evaluation.")
@click.option("-k", "--images-per-caption", type=click.IntRange(1), default=4, show_default=True)
@click.option("--threshold", type=float, default=0.0, show_default=True,
              help="Keep a caption's best image only if its score is at least this.")
@click.option("--scheme", type=click.Choice(["dsg", "tifa", "strict", "prob"]), default="dsg", show_default=True,
              help="Score that picks the best image (and the threshold's scale).")
@_generation_options
@_lora_options
@_source_options
@seed_option
def improve(source, out, model, vqa, rounds, captions_per_round, heldout_captions, images_per_caption, threshold,
            scheme, steps, guidance, resolution, batch_size, dtype, device, lora_rank, lora_alpha, learning_rate,
            train_steps, train_batch_size, train_resolution, distribution, strata, taxonomy_path, seed):
    """Self-improvement: fine-tune a text-to-image model on its own best images, round after round.

    Each round samples captions from SOURCE (a constraint file, default the
    embedded one, or a dataset), generates K images per caption, scores them
    with the scene-graph QA reward, keeps the best image per caption above
    --threshold, LoRA-fine-tunes the denoiser on them, and evaluates on a fixed
    held-out caption set.  OUT/report.md compares the scores before and after
    each round, by scheme and question type; OUT/round-NN/adapter is the LoRA to
    load with `gas generate --lora`.

    \b
    Example (the paper's setting, on a GPU):
        gas train improve -o si --model stable-diffusion-v1-5/stable-diffusion-v1-5 \\
            --vqa Salesforce/blip-vqa-base --rounds 2 --captions 1000 -k 8 --steps 30 --dtype fp16
    """
    from ..train.evaluate import GenerationSettings
    from ..train.improve import ImproveOptions, self_improve
    from ..vision.vqa import load_vqa

    src, tax = _open_source(source, taxonomy_path, distribution, strata)
    opts = ImproveOptions(rounds=rounds, captions_per_round=captions_per_round, heldout_captions=heldout_captions,
                          images_per_caption=images_per_caption, threshold=threshold, scheme=scheme,
                          generation=GenerationSettings(steps=steps, guidance=guidance, resolution=resolution,
                                                        batch_size=batch_size, seed=seed),
                          lora=_lora(lora_rank, lora_alpha, learning_rate, train_steps, train_batch_size,
                                     train_resolution, seed), seed=seed)
    pipe = _pipeline(model, device, dtype)
    scorer = load_vqa(vqa, device=device, dtype=dtype)
    result = self_improve(src, out, pipe, scorer, opts, model_name=model, taxonomy=tax)
    first, last = result.rounds[0]["before"]["metrics"], result.rounds[-1]["after"]["metrics"]
    click.echo(f"{len(result.rounds)} rounds ({result.resumed} already done); held-out {scheme}: "
               f"{first[scheme]:.4f} -> {last[scheme]:.4f}; report: {result.out / 'report.md'}")



@train.command("distill")
@click.argument("source", type=click.Path(exists=True), required=False)
@click.option("-o", "--out", required=True, type=click.Path(file_okay=False),
              help="Run folder (rerun the same command to resume from the last finished stage).")
@click.option("--model", required=True, help="The student: a diffusers text-to-image pipeline (hub id or folder).")
@click.option("--vqa", required=True, help="VQA model of the QA reward (BLIP VQA or a chat VLM; hub id or folder).")
@click.option("--teacher-images", type=click.Path(file_okay=False), default=None,
              help="Folder of the teacher's images, <scene id>.png per caption (the run writes the captions to "
                   "render to OUT/probe/prompts.jsonl, then OUT/focus/prompts.jsonl).")
@click.option("--teacher", default=None, help="Or a local teacher pipeline (hub id or folder).")
@click.option("--constraints", "base_constraints", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Constraint file the focus file extends (default: SOURCE when it is one, else the embedded one).")
@click.option("--probe", "probe_captions", type=click.IntRange(1), default=200, show_default=True,
              help="Probe captions scored for student and teacher.")
@click.option("--focus", "focus_captions", type=click.IntRange(1), default=500, show_default=True,
              help="Training captions sampled from the focus file (the paper: fewer than 800).")
@click.option("--focus-eval", type=click.IntRange(0), default=50, show_default=True,
              help="Held-out captions from the focus file, for before/after.")
@click.option("--focus-weight", type=float, default=4.0, show_default=True,
              help="Soft weight of weak attribute values and predicates in the focus file.")
@click.option("--alpha", type=float, default=0.05, show_default=True, help="Family-wise error rate (Holm).")
@click.option("--min-support", type=click.IntRange(1), default=8, show_default=True,
              help="Questions an element needs to be tested.")
@click.option("--min-gap", type=float, default=0.1, show_default=True,
              help="Accuracy gap (teacher - student) an element needs to be called weak.")
@_generation_options
@_lora_options
@_source_options
@seed_option
def distill(source, out, model, vqa, teacher_images, teacher, base_constraints, probe_captions, focus_captions,
            focus_eval, focus_weight, alpha, min_support, min_gap, steps, guidance, resolution, batch_size, dtype,
            device, lora_rank, lora_alpha, learning_rate, train_steps, train_batch_size, train_resolution,
            distribution, strata, taxonomy_path, seed):
    """Distillation: mine the student's weak concepts against a teacher, focus on them, fine-tune.

    The student and the teacher render the probe captions of SOURCE (a
    constraint file, default the embedded one, or a dataset); the QA reward
    scores both; a one-sided sign test per concept, attribute value, predicate
    and structure (Holm-corrected) finds where the student is weak.  The run
    writes OUT/mining/focus.toml, a constraint file focused on them (`gas check`
    accepts it), samples --focus captions from it, fine-tunes the student (LoRA)
    on the teacher's images of them, and reports before/after on the weak
    elements and on the probe (OUT/report.md).  With --teacher-images the run
    stops twice to ask for the teacher's images of OUT/probe/prompts.jsonl and
    OUT/focus/prompts.jsonl; rerun the command once they are in the folder.

    \b
    Example (the paper's setting: SD v1.5 student, DALL-E 3 images in dalle3/):
        gas train distill -o dist --model stable-diffusion-v1-5/stable-diffusion-v1-5 \\
            --vqa Salesforce/blip-vqa-base --teacher-images dalle3 --focus 700 --steps 30 --dtype fp16
    """
    from ..train.distill import DistillOptions, distill as run_distill
    from ..train.evaluate import GenerationSettings
    from ..train.weak import WeakRule
    from ..vision.vqa import load_vqa

    if (teacher_images is None) == (teacher is None):
        raise click.UsageError("give exactly one of --teacher-images DIR and --teacher MODEL")
    src, tax = _open_source(source, taxonomy_path, distribution, strata)
    opts = DistillOptions(probe_captions=probe_captions, focus_captions=focus_captions, focus_eval=focus_eval,
                          focus_weight=focus_weight, rule=WeakRule(alpha=alpha, min_support=min_support, min_gap=min_gap),
                          generation=GenerationSettings(steps=steps, guidance=guidance, resolution=resolution,
                                                        batch_size=batch_size, seed=seed),
                          lora=_lora(lora_rank, lora_alpha, learning_rate, train_steps, train_batch_size,
                                     train_resolution, seed), seed=seed)
    student = _pipeline(model, device, dtype)
    teacher_pipe = _pipeline(teacher, device, dtype) if teacher is not None else None
    scorer = load_vqa(vqa, device=device, dtype=dtype)
    result = run_distill(src, out, student, scorer, opts, teacher_images=teacher_images, teacher=teacher_pipe,
                         base_constraints=base_constraints, taxonomy=tax, model_name=model,
                         teacher_name=teacher)
    if not result.weak:
        click.echo(f"no weak element passed the rule: nothing to distill; breakdowns in {result.out / 'mining'}")
        return
    names = ", ".join(f"{w['kind']} {w['key']}" for w in result.weak[:8]) + (" ..." if len(result.weak) > 8 else "")
    w = result.report["weak_questions"]
    click.echo(f"{len(result.weak)} weak elements ({names}); focus file {result.focus_file}; "
               f"tifa on their probe questions {w['before']['tifa']:.4f} -> {w['after']['tifa']:.4f}; "
               f"report: {result.out / 'report.md'}")



@train.command("moderation")
@click.argument("source", type=click.Path(exists=True), required=False)
@click.option("-o", "--out", required=True, type=click.Path(file_okay=False),
              help="Run folder (rerun the same command to resume from the last finished step).")
@click.option("--generator", "generators", multiple=True, required=True, metavar="NAME=MODEL",
              help="A text-to-image generator (hub id or folder), named; repeat (at least two).")
@click.option("--real", "real_images", required=True, type=click.Path(exists=True, file_okay=False),
              help="Folder of real images (found recursively).")
@click.option("--backbone", required=True,
              help="Frozen vision backbone from transformers (hub id or folder), e.g. openai/clip-vit-large-patch14.")
@click.option("--scenes", type=click.IntRange(2), default=200, show_default=True,
              help="Captions, stratified by complexity; each generator renders each.")
@click.option("--test-share", type=float, default=0.3, show_default=True,
              help="Share of scenes (and real images) on the test side.")
@click.option("--l2", type=float, default=1e-2, show_default=True, help="L2 weight of the linear probe.")
@_generation_options
@taxonomy_option
@seed_option
def moderation(source, out, generators, real_images, backbone, scenes, test_share, l2, steps, guidance, resolution,
               batch_size, dtype, device, taxonomy_path, seed):
    """Content moderation: detect generated images, leave one generator out.

    Scenes of SOURCE (a constraint file, stratified by complexity; or a
    dataset) are rendered by every --generator; with the --real images they
    make a detection dataset (OUT/dataset, a Hugging Face imagefolder with
    label, generator, scene, stratum and split).  A linear probe on a frozen
    --backbone is trained without each generator in turn and tested on it:
    AP and AUROC per held-out generator and per scene stratum in OUT/report.md.

    \b
    Example:
        gas train moderation -o mod --generator sd15=stable-diffusion-v1-5/stable-diffusion-v1-5 \\
            --generator sd21=stabilityai/stable-diffusion-2-1 --generator pixart=PixArt-alpha/PixArt-XL-2-512x512 \\
            --real coco_val2017/ --backbone openai/clip-vit-large-patch14 --scenes 1000 --dtype fp16
    """
    from ..train.evaluate import GenerationSettings
    from ..train.moderation import ModerationOptions, load_backbone, moderation as run_moderation

    named = {}
    for spec in generators:
        name, sep, model = spec.partition("=")
        if not sep or not name or not model:
            raise click.BadParameter(f"{spec!r}: expected NAME=MODEL", param_hint="--generator")
        if name in named:
            raise click.BadParameter(f"generator name {name!r} given twice", param_hint="--generator")
        named[name] = model
    if len(named) < 2:
        raise click.UsageError("leave-one-generator-out needs at least two --generator")
    src, _ = _open_source(source, taxonomy_path, "uniform", None)
    opts = ModerationOptions(scenes=scenes, test_share=test_share, l2=l2, seed=seed,
                             generation=GenerationSettings(steps=steps, guidance=guidance, resolution=resolution,
                                                           batch_size=batch_size, seed=seed))
    pipes = {name: _pipeline(model, device, dtype) for name, model in named.items()}
    result = run_moderation(src, out, pipes, real_images, load_backbone(backbone, device=device, dtype=dtype), opts)
    m = result.report["mean_held_out"]
    fmt = lambda x: "-" if x is None else f"{x:.4f}"  # noqa: E731
    click.echo(f"{len(named)} folds; mean over held-out generators: AP {fmt(m['ap'])}, AUROC {fmt(m['auroc'])}; "
               f"report: {result.out / 'report.md'}")


COMMANDS = [train]
