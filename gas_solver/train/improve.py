"""Self-improvement: a text-to-image model fine-tuned, round after round, on its own best images.

The paper's first application (Stable Diffusion v1.5, about +4 % VQA score).  One round:

1. draw ``captions_per_round`` captions (a constraint file, sampled exactly, or a dataset), never a scene
   of the held-out set;
2. generate ``k`` images per caption with the current model (base + the adapter of the rounds before);
3. score every image with the QA reward (VQA answer probabilities to the scene's questions);
4. keep, per caption, its best image under ``scheme`` if that score is at least ``threshold``
   (the kept pairs are written as a dataset, ``kept/``: ``images/`` + ``metadata.jsonl``);
5. LoRA fine-tune the denoiser on the kept pairs with the pipeline's own loss, starting from the previous
   round's adapter (so ``round-NN/adapter`` is the whole model change after NN rounds);
6. evaluate on the fixed held-out caption set: scores after the round, by scheme and question type.

Scores "before" a round are the evaluation of the model it starts from (``baseline/`` for round 1).
Layout of ``OUT``::

    run.json                    settings (checked on resume)
    heldout/captions.jsonl      the fixed held-out captions
    baseline/eval/              the base model on them (generation folder + scores/)
    round-01/captions.jsonl     the round's training captions
    round-01/samples/           k images per caption + their scores
    round-01/kept/              the kept (image, caption) pairs: a Hugging Face imagefolder dataset
    round-01/adapter/           pytorch_lora_weights.safetensors (load with `gas generate --lora`)
    round-01/train.json         LoRA losses
    round-01/eval/              the adapted model on the held-out captions
    round-01/done.json          the round's summary (written last: the round is finished)
    report.json, report.md      every round: before / after by scheme and question type

A killed run resumes from its last finished round and writes the same bytes as an uninterrupted one.

Examples
--------
>>> from gas_solver.train.improve import ImproveOptions, self_improve               # doctest: +SKIP
>>> self_improve(source, "out", pipe, vqa, ImproveOptions(rounds=2, images_per_caption=8))  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from ..realize.scoring import SCHEMES
from ..vision.extra import VisionError
from .captions import CaptionSource, derive_seed
from .evaluate import GenerationSettings, best_outputs, delta, generate_and_score, summarize
from .lora import LoraOptions, load_adapter, remove_adapter, train_lora
from .pairs import read_pairs, write_imagefolder
from .runs import RunFolder, write_json

__all__ = ["ImproveOptions", "ImproveResult", "self_improve", "report_markdown"]


@dataclass(frozen=True)
class ImproveOptions:
    """Settings of a self-improvement run (all of them decide its outputs)."""

    rounds: int = 1
    captions_per_round: int = 100
    heldout_captions: int = 50
    images_per_caption: int = 4
    threshold: float = 0.0
    scheme: str = "dsg"
    generation: GenerationSettings = field(default_factory=GenerationSettings)
    lora: LoraOptions = field(default_factory=LoraOptions)
    seed: int = 0

    def __post_init__(self) -> None:
        if self.scheme not in SCHEMES:
            raise VisionError(f"unknown scheme {self.scheme!r}; choose from {', '.join(SCHEMES)}")
        if self.rounds < 1 or self.captions_per_round < 1 or self.heldout_captions < 1 or self.images_per_caption < 1:
            raise VisionError("rounds, captions per round, held-out captions and images per caption must be >= 1")

    def to_dict(self) -> dict:
        return {"rounds": self.rounds, "captions_per_round": self.captions_per_round,
                "heldout_captions": self.heldout_captions, "images_per_caption": self.images_per_caption,
                "threshold": self.threshold, "scheme": self.scheme, "generation": self.generation.to_dict(),
                "lora": self.lora.to_dict(), "seed": self.seed}


@dataclass
class ImproveResult:
    out: Path
    rounds: list[dict]
    resumed: int = 0    # rounds found finished on disk


def _round_name(r: int) -> str:
    return f"round-{r:02d}"


def self_improve(source: CaptionSource, out: str | Path, pipe, vqa, options: ImproveOptions | None = None, *,
                 model_name: str = "pipeline", taxonomy=None, progress: bool | None = None) -> ImproveResult:
    """Run (or resume) a self-improvement run into ``out``; see the module docstring for the steps and layout.

    Parameters
    ----------
    source : CaptionSource
        Captions with question sets (constraint file or dataset).
    pipe : diffusers pipeline
        The base model (SD 1.x/2.x or SD3-family); it ends holding the last round's adapter.
    vqa : VQAModel
        The QA reward's VQA back-end (its ``name`` keys the answer caches).
    model_name : str
        A label of the base model, recorded in the settings (a resumed run must use the same).
    """
    options = options or ImproveOptions()
    out = Path(out)
    settings = {"options": options.to_dict(), "model": model_name, "vqa": vqa.name, "source": source.description}
    run = RunFolder(out, settings, kind="self-improve")
    gen = options.generation
    heldout = run.rows("heldout", "captions.jsonl",
                       lambda: source.draw(options.heldout_captions, derive_seed(options.seed, "heldout")))
    heldout_ids = {r["id"] for r in heldout}
    if not heldout:
        raise VisionError("the caption source gave no held-out captions")

    # the base model on the held-out captions: "before" of round 1
    remove_adapter(pipe)
    before = run.finished("baseline")
    if before is None:
        report = generate_and_score(pipe, heldout, run.step("baseline") / "eval", vqa, gen,
                                    model_name=f"{model_name} (base)", taxonomy=taxonomy, progress=progress)
        run.finish("baseline", summarize(report))
        before = run.finished("baseline")  # as a resumed run reads it (key order, floats)

    rounds, resumed = [], 0
    previous_adapter = None
    for r in range(1, options.rounds + 1):
        name = _round_name(r)
        done = run.finished(name)
        if done is not None:
            rounds.append(done)
            resumed += 1
            previous_adapter = out / name / "adapter" if done["trained"] else previous_adapter
            before = done["after"]
            continue
        step = run.step(name)
        # the model this round starts from: base + the previous rounds' adapter, read from disk
        remove_adapter(pipe)
        if previous_adapter is not None:
            load_adapter(pipe, previous_adapter)
        label = f"{model_name} + {previous_adapter.parent.name if previous_adapter else 'base'}"
        captions = run.rows(name, "captions.jsonl", lambda: source.draw(
            options.captions_per_round, derive_seed(options.seed, "round", r), exclude=heldout_ids))

        # 2-3. k images per caption, scored
        samples = generate_and_score(pipe, captions, step / "samples", vqa, gen,
                                     images_per_caption=options.images_per_caption, model_name=label,
                                     taxonomy=taxonomy, progress=progress)
        # 4. the best image per caption, kept above the threshold
        by_id = {row["id"]: row for row in captions}
        best = [b for b in best_outputs(samples, options.scheme) if b["score"] >= options.threshold]
        records = [{"source": str(step / "samples" / "images" / b["id"] / f"{b['k']}.png"),
                    "file_name": f"images/{b['id']}.png", "id": b["id"], "caption": by_id[b["id"]]["caption"],
                    "k": b["k"], "score": b["score"], "scores": b["scores"]} for b in best]
        write_imagefolder(step / "kept", records)

        # 5. LoRA on the kept pairs, continuing the previous adapter
        losses: list[float] = []
        trained = bool(records)
        if trained:
            lora = replace(options.lora, seed=derive_seed(options.seed, "lora", r))
            result = train_lora(pipe, read_pairs(step / "kept"), step / "adapter", lora, init=previous_adapter,
                                progress=progress)
            losses = result.losses
            write_json(step / "train.json", {"objective": result.objective, "pairs": result.pairs,
                                             "trainable_parameters": result.trainable_parameters,
                                             "losses": losses})
            previous_adapter = step / "adapter"

        # 6. the adapted model on the held-out captions
        report = generate_and_score(pipe, heldout, step / "eval", vqa, gen,
                                    model_name=f"{model_name} + {name if trained else label}", taxonomy=taxonomy,
                                    progress=progress)
        after = summarize(report)
        summary = {"round": r, "captions": len(captions), "images": len(captions) * options.images_per_caption,
                   "kept": len(records), "threshold": options.threshold, "scheme": options.scheme,
                   "kept_mean_score": (sum(b["score"] for b in best) / len(best)) if best else None,
                   "sample_mean_score": samples.summary["metrics"].get(options.scheme),
                   "trained": trained, "adapter": f"{name}/adapter" if trained else None,
                   "loss_first": losses[0] if losses else None, "loss_last": losses[-1] if losses else None,
                   "before": before, "after": after, "delta": delta(before, after)}
        run.finish(name, summary)
        summary = run.finished(name)
        rounds.append(summary)
        before = summary["after"]
        _write_report(out, rounds, options)
    if resumed == options.rounds:
        _write_report(out, rounds, options)
    return ImproveResult(out=out, rounds=rounds, resumed=resumed)


def _write_report(out: Path, rounds: list[dict], options: ImproveOptions) -> None:
    from ..vision.rows import atomic_write_bytes

    write_json(out / "report.json", {"rounds": rounds, "scheme": options.scheme})
    atomic_write_bytes(out / "report.md", report_markdown(rounds).encode() + b"\n")


def report_markdown(rounds: list[dict]) -> str:
    """Per round: kept pairs, then the held-out scores before / after / change, overall and by question type."""
    lines = ["# Self-improvement", "", "| round | captions | kept | kept mean | loss first → last |",
             "| ---: | ---: | ---: | ---: | --- |"]
    for s in rounds:
        km = f"{s['kept_mean_score']:.3f}" if s["kept_mean_score"] is not None else "-"
        loss = f"{s['loss_first']:.4f} → {s['loss_last']:.4f}" if s["loss_first"] is not None else "not trained"
        lines.append(f"| {s['round']} | {s['captions']} | {s['kept']} | {km} | {loss} |")
    for s in rounds:
        metrics = list(s["after"]["metrics"])
        lines += ["", f"## Round {s['round']}: held-out scores", "", "| metric | before | after | change |",
                  "| --- | ---: | ---: | ---: |"]
        for m in metrics:
            b, a = s["before"]["metrics"].get(m), s["after"]["metrics"][m]
            lines.append(f"| {m} | {b:.3f} | {a:.3f} | {a - b:+.3f} |")
        lines += ["", "| question type | questions | " + " | ".join(f"{m} before | {m} after" for m in metrics) + " |",
                  "| --- | ---: |" + " ---: | ---: |" * len(metrics)]
        for qtype, vals in s["after"]["by_question_type"].items():
            old = s["before"]["by_question_type"].get(qtype, {})
            cells = " | ".join(f"{old.get(m, float('nan')):.3f} | {vals[m]:.3f}" for m in metrics)
            lines.append(f"| {qtype} | {vals['questions']} | {cells} |")
    return "\n".join(lines)
