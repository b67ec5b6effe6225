"""Training on torch: GRPO, self-improvement, distillation and moderation (the optional ``gpu`` extra).

Importing this package imports no torch: the names below load their module on first use.

- :class:`QAReward`, :class:`ClipReward`: rewards with trl's signature
  (``prompts, completions, completion_ids, **dataset_columns``), one float per completion.
- :func:`train_grpo`: trl's ``GRPOTrainer`` on an autoregressive image-token model, LoRA through peft,
  checkpoints, resume, a per-step log of the reward by question type.
- Decoders from completion ids to images: :class:`TokenGridDecoder` around any VQ decoder (a
  ``module:function`` render function), :class:`PaletteDecoder` (a stand-in for tests and toy tasks).
- :class:`ImageTokenPipeline`: an image-token LM (a trained policy) as a text-to-image pipeline for
  ``gas generate`` / ``gas eval``.
- :func:`train_lora`: LoRA fine-tuning of a diffusers pipeline's denoiser with its own loss.
- :func:`self_improve`; ``distill.distill`` (with :func:`mine_weak`); ``moderation.moderation``: the paper's
  other applications (``gas train improve | distill | moderation``), resumable run folders.
- :func:`tiny_image_token_lm`: a tiny random Llama over image tokens (tests, the device benchmark).

Examples
--------
>>> import gas_solver.train as train
>>> callable(train.train_grpo)
True
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "QAReward": "rewards", "ClipReward": "rewards", "parse_question_sets": "rewards",
    "PaletteDecoder": "decoders", "TokenGridDecoder": "decoders", "load_decoder": "decoders",
    "tiny_image_token_lm": "tiny", "ImageTokenPipeline": "pipeline",
    "train_grpo": "grpo", "GRPOOptions": "grpo", "grpo_prompts": "grpo",
    "train_lora": "lora", "LoraOptions": "lora", "load_adapter": "lora", "save_adapter": "lora",
    "CaptionSource": "captions",
    "self_improve": "improve", "ImproveOptions": "improve",
    "DistillOptions": "distill", "focus_constraints": "distill",
    "mine_weak": "weak", "WeakRule": "weak",
    "ModerationOptions": "moderation", "load_backbone": "moderation",
    "average_precision": "metrics", "auroc": "metrics",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'gas_solver.train' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(list(globals()) + __all__)
