"""CLI commands: ``gas train <method>`` (training with scene-graph data and rewards; the ``gpu`` extra).

This module imports none of the extra, so ``gas --help`` works without torch; a missing
extra fails when a command runs.  Each method is one subcommand of the ``train`` group.
"""

from __future__ import annotations

import click

from .options import seed_option


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


COMMANDS = [train]
