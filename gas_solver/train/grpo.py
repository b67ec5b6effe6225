"""GRPO on an autoregressive image-token model, rewarded by scene-graph questions (or CLIP, the baseline).

The paper's third application: a policy LM writes an image as VQ-code tokens for a synthetic caption,
a decoder turns the codes into pixels, and the reward is how well a VQA model's answers to the scene's
questions match the scene (:class:`~gas_solver.train.rewards.QAReward`).  This module wires trl's
``GRPOTrainer`` to that reward:

1. prompts: rows of a ``gas build`` dataset (or scenes sampled from a constraint file), each with its
   caption and question set (JSON text, as Parquet stores it); the prompt is ``template`` around the caption;
2. the policy's sampling is restricted to image tokens (``suppress_tokens``) and runs for exactly
   ``h × w`` tokens, so every completion decodes to a full grid;
3. LoRA adapters through peft (``lora_rank``; 0 trains every weight);
4. checkpoints every ``save_steps`` under ``OUT/checkpoints``; a rerun of the same command resumes from the
   newest one (after a kill too), and refuses an ``OUT`` made with other settings, naming them;
5. ``OUT/log.jsonl``: one line per step with the reward's mean and spread, and the mean P(correct) per
   question type; ``OUT/final``: the trained adapter (or model) and tokenizer.

Examples
--------
>>> train_grpo("ds", "run", model="Daniel0724/SimpleAR-0.5B-SFT", vqa="Salesforce/blip-vqa-base",
...            decoder="mypkg.cosmos:decode", image_tokens="151665:64000", grid=(32, 32))   # doctest: +SKIP
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import orjson

from .. import __version__
from ..errors import SourceError
from ..vision.extra import VisionError, require, resolve_device
from ..vision.rows import atomic_write_bytes, read_jsonl, read_rows

__all__ = ["GRPOOptions", "GRPOResult", "train_grpo", "grpo_prompts", "REWARDS"]

REWARDS = ("qa", "clip")
SETTINGS = "grpo.json"
LOG = "log.jsonl"
DEFAULT_TEMPLATE = "{caption} <boi>"


@dataclass(frozen=True)
class GRPOOptions:
    """Options of a GRPO run; every field but ``progress`` is recorded in ``OUT/grpo.json`` and checked on resume."""

    reward: str = "qa"
    scheme: str = "prob"
    grid: tuple[int, int] = (8, 8)
    image_tokens: str | None = None      # "FIRST:COUNT"; None: found by name in the tokenizer
    decoder: str = "palette"
    image_size: int = 256                # palette decoder only
    template: str = DEFAULT_TEMPLATE
    max_steps: int = 100
    batch_size: int = 4                  # completions per device step
    num_generations: int = 4             # completions per prompt (the GRPO group)
    learning_rate: float = 1e-5
    beta: float = 0.0                    # KL weight (trl's default 0)
    temperature: float = 1.0
    lora_rank: int = 16                  # 0: train every weight
    lora_alpha: int | None = None        # default: 2 * rank
    save_steps: int = 50
    save_total_limit: int | None = 3
    limit: int | None = None             # at most this many prompts
    seed: int = 0
    bf16: bool = False
    clip_raw: bool = True                # CLIP reward: the cosine (the clamped score is flat near 0)
    progress: bool | None = None

    def __post_init__(self) -> None:
        if self.reward not in REWARDS:
            raise VisionError(f"unknown reward {self.reward!r}; choose from {', '.join(REWARDS)}")
        if self.num_generations < 2:
            raise VisionError("GRPO needs at least 2 generations per prompt (num_generations)")
        if self.batch_size % self.num_generations:
            raise VisionError(f"batch_size ({self.batch_size}) must be a multiple of num_generations "
                              f"({self.num_generations}): each step takes whole groups")
        if min(self.grid) < 1:
            raise VisionError("grid sides must be at least 1")
        if "{caption}" not in self.template:
            raise VisionError(f"the prompt template {self.template!r} has no {{caption}} slot")


@dataclass
class GRPOResult:
    """What a run did: the steps reached, where the files are, the per-step log."""

    out: Path
    steps: int
    resumed_from: str | None
    log: list[dict] = field(default_factory=list)
    final: Path | None = None


def _is_dataset(source: Path) -> bool:
    return source.is_dir() or source.suffix in (".jsonl", ".parquet")


def grpo_prompts(source: str | Path | None, *, template: str = DEFAULT_TEMPLATE, limit: int | None = None,
                 seed: int = 0, n: int = 64, taxonomy=None) -> list[dict]:
    """Training rows ``{"prompt", "caption", "questions" (JSON text), "id"}``.

    ``source`` is a ``gas build`` folder, a JSONL / Parquet file of rows, or a constraint file (``n``
    scenes sampled uniformly with ``seed``; ``None``: the embedded default constraint file).

    Examples
    --------
    >>> rows = grpo_prompts(None, n=2)
    >>> rows[0]["prompt"].endswith("<boi>"), rows[0]["questions"].startswith("[")
    (True, True)
    """
    rows = []
    if source is not None and _is_dataset(Path(source)):
        for row in read_rows(source):
            if limit is not None and len(rows) >= limit:
                break
            rows.append(row)
    else:
        from ..constraints import load_default_constraints, parse_constraints
        from ..realize import realize_scene
        from ..solve.sample import Sampler
        from ..taxonomy import load_taxonomy

        tax = taxonomy if taxonomy is not None else load_taxonomy(None)
        spec = parse_constraints(source, tax) if source is not None else load_default_constraints(tax)
        count = min(n, limit) if limit is not None else n
        rows = [realize_scene(s, tax, seed=seed) for s in Sampler(spec, tax).sample(count, seed)]
    out = []
    for row in rows:
        qs = row.get("questions") or []
        out.append({"prompt": template.format(caption=row["caption"]), "caption": row["caption"],
                    "questions": orjson.dumps(qs).decode(), "id": row["id"]})
    if not out:
        raise SourceError("no prompts: the source holds no rows", path=str(source))
    return out


def _settings(model: str, vqa: str | None, clip: str | None, source: str, opts: GRPOOptions) -> dict:
    d = asdict(opts)
    d.pop("progress")
    d["grid"] = list(d["grid"])
    return {"model": model, "vqa": vqa if opts.reward == "qa" else None, "clip": clip if opts.reward == "clip" else None,
            "source": source, "options": d}


def _check_settings(out: Path, settings: dict) -> None:
    path = out / SETTINGS
    if path.exists():
        old = orjson.loads(path.read_bytes()).get("settings") or {}
        diff = []
        for key in sorted(set(old) | set(settings)):
            if key == "options":
                a, b = old.get(key) or {}, settings[key]
                diff += [f"--{k.replace('_', '-')} ({a.get(k)!r} then, {b.get(k)!r} now)"
                         for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
            elif old.get(key) != settings.get(key):
                diff.append(f"{key} ({old.get(key)!r} then, {settings.get(key)!r} now)")
        if diff:
            raise VisionError(f"{out} holds a run with other settings: {'; '.join(diff)}. "
                              "Use a new output folder, or the same settings to resume")
    else:
        atomic_write_bytes(path, orjson.dumps({"gas_solver": __version__, "settings": settings},
                                              option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))


def _model_key(model: str) -> str:
    """A hub id as given; a local folder as its absolute path (so ``models/x`` and ``/abs/models/x`` agree)."""
    return str(Path(model).resolve()) if os.path.exists(model) else model


def _latest_checkpoint(folder: Path) -> Path | None:
    steps = []
    for p in folder.glob("checkpoint-*"):
        m = re.fullmatch(r"checkpoint-(\d+)", p.name)
        if m and (p / "trainer_state.json").exists():  # a checkpoint cut short by a kill lacks its state
            steps.append((int(m.group(1)), p))
    return max(steps)[1] if steps else None


_LOGGED = re.compile(r"(reward|reward_std|rewards/.*|qa/.*|loss|grad_norm|learning_rate|entropy|kl|step_time)$")


def _log_callback(path: Path, progress_every: int | None):
    from transformers import TrainerCallback

    class StepLog(TrainerCallback):
        """One JSON line per logged step: reward mean/std, per-reward and per-question-type means, loss."""

        def on_log(self, args, state, control, logs=None, **kw):
            if not logs or "reward" not in logs:
                return
            line = {"step": state.global_step, **{k: v for k, v in logs.items()
                                                  if isinstance(v, (int, float)) and _LOGGED.match(k)}}
            with open(path, "ab") as fh:
                fh.write(orjson.dumps(line) + b"\n")
            if progress_every and state.global_step % progress_every == 0:
                types = " ".join(f"{k.split('/')[-1]}={v:.3f}" for k, v in line.items() if "/qa/" in k or k.startswith("qa/"))
                print(f"grpo step {state.global_step}/{state.max_steps}: reward {line['reward']:.4f} "
                      f"(std {line.get('reward_std', float('nan')):.4f}) {types}".rstrip(), flush=True)

    return StepLog()


def _trim_log(path: Path, step: int) -> None:
    """Drop log lines past the checkpoint a run resumes from (steps a kill threw away are redone)."""
    if path.exists():
        keep = [r for r in read_jsonl(path, tolerate_torn_tail=True) if r.get("step", 0) <= step]
        atomic_write_bytes(path, b"".join(orjson.dumps(r) + b"\n" for r in keep))


def train_grpo(source: str | Path | None, out: str | Path, *, model: str, vqa=None, clip=None,
               reward_fn: Callable | None = None, options: GRPOOptions | None = None, device: str | None = "auto",
               n_prompts: int = 64, **option_kwargs) -> GRPOResult:
    """Train ``model`` with GRPO on the prompts of ``source``; resumable (rerun the same call).

    Parameters
    ----------
    source : path or None
        ``gas build`` folder, JSONL/Parquet rows, or a constraint file (``n_prompts`` scenes are sampled).
    out : path
        Run folder: ``grpo.json``, ``log.jsonl``, ``checkpoints/checkpoint-N``, ``final/``.
    model : str
        Hub id or folder of a causal LM whose vocabulary holds the image tokens (``save_pretrained`` layout).
    vqa, clip : str or back-end
        The VQA model (``reward="qa"``) or CLIP model (``reward="clip"``): hub id / folder or a loaded back-end.
    reward_fn : callable, optional
        A ready reward (trl signature) used instead of building one from ``vqa``/``clip``; it still gets
        the decoder's images through its own ``decoder`` (see :mod:`gas_solver.train.rewards`).
    options : GRPOOptions, optional
        Or its fields as keywords (``max_steps=4, lora_rank=8``).
    """
    opts = options if options is not None else GRPOOptions(**option_kwargs)
    if options is not None and option_kwargs:
        raise VisionError("pass either options= or option keywords, not both")
    out = Path(out)
    model_key = _model_key(model)
    if reward_fn is None and opts.reward == "qa" and vqa is None:
        raise VisionError("the qa reward needs a VQA model (--vqa)")
    if reward_fn is None and opts.reward == "clip" and clip is None:
        raise VisionError("the clip reward needs a CLIP model (--clip)")
    name_of = lambda m: m if isinstance(m, str) else getattr(m, "name", type(m).__name__)  # noqa: E731
    source_key = str(Path(source).resolve()) if source is not None else "<default constraints>"
    settings = _settings(model_key, name_of(vqa) if vqa is not None else None,
                         name_of(clip) if clip is not None else None, source_key, opts)
    # settings are checked before anything heavy loads: a refused resume costs no model load
    rows = grpo_prompts(source, template=opts.template, limit=opts.limit, seed=opts.seed, n=n_prompts)
    out.mkdir(parents=True, exist_ok=True)
    _check_settings(out, settings)

    torch, transformers, datasets, trl = require("torch", "transformers", "datasets", "trl")
    from .decoders import image_token_ids, load_decoder
    from .rewards import ClipReward, QAReward

    device = resolve_device(device)
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(model)
        policy = transformers.AutoModelForCausalLM.from_pretrained(model, dtype=torch.bfloat16 if opts.bf16 else torch.float32)
    except (OSError, ValueError) as exc:
        raise VisionError(f"cannot load the policy model {model!r}: {exc}") from exc
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    tokenizer.padding_side = "left"
    code_of = image_token_ids(tokenizer, opts.image_tokens)
    decoder = load_decoder(opts.decoder, code_of, opts.grid, image_size=opts.image_size)
    vocab_size = policy.get_output_embeddings().weight.shape[0]
    if max(code_of) >= vocab_size:
        raise VisionError(f"image token id {max(code_of)} is past the model's vocabulary ({vocab_size})")
    image_ids = set(code_of)
    suppress = [i for i in range(vocab_size) if i not in image_ids]

    if reward_fn is None:
        if opts.reward == "qa":
            reward_fn = QAReward(vqa, decoder=decoder, scheme=opts.scheme, device=device)
        else:
            reward_fn = ClipReward(clip, decoder=decoder, raw=opts.clip_raw, device=device)

    bar = opts.progress if opts.progress is not None else sys.stderr.isatty()
    progress_every = None if bar else max(1, opts.max_steps // 20)  # piped to a log: plain lines instead
    tokens = opts.grid[0] * opts.grid[1]
    ckpt_dir = out / "checkpoints"
    config = trl.GRPOConfig(
        output_dir=str(ckpt_dir), max_steps=opts.max_steps, per_device_train_batch_size=opts.batch_size,
        num_generations=opts.num_generations, max_completion_length=tokens, learning_rate=opts.learning_rate,
        beta=opts.beta, temperature=opts.temperature, logging_steps=1, save_strategy="steps",
        save_steps=opts.save_steps, save_total_limit=opts.save_total_limit, seed=opts.seed, report_to="none",
        use_cpu=device == "cpu", bf16=opts.bf16 and device != "cpu", disable_tqdm=not bar,
        generation_kwargs={"suppress_tokens": suppress, "min_new_tokens": tokens},
        remove_unused_columns=False)
    peft_config = None
    if opts.lora_rank:
        (peft,) = require("peft")
        peft_config = peft.LoraConfig(task_type="CAUSAL_LM", r=opts.lora_rank,
                                      lora_alpha=opts.lora_alpha or 2 * opts.lora_rank, target_modules="all-linear")
    dataset = datasets.Dataset.from_list(rows)
    log_path = out / LOG
    trainer = trl.GRPOTrainer(model=policy, reward_funcs=[reward_fn], args=config, train_dataset=dataset,
                              processing_class=tokenizer, peft_config=peft_config,
                              callbacks=[_log_callback(log_path, progress_every)])
    resume = _latest_checkpoint(ckpt_dir)
    _trim_log(log_path, int(resume.name.split("-")[1]) if resume else 0)
    trainer.train(resume_from_checkpoint=str(resume) if resume else None)
    final = out / "final"
    trainer.save_model(str(final))
    tokenizer.save_pretrained(str(final))
    log = read_jsonl(log_path) if log_path.exists() else []
    return GRPOResult(out=out, steps=trainer.state.global_step, resumed_from=str(resume) if resume else None,
                      log=log, final=final)
