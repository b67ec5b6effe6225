"""Generation and VQA/CLIP scoring on torch (the optional ``gpu`` extra: ``pip install gas-solver[gpu]``).

Importing this package imports no torch: the names below load their module on
first use, and a missing extra fails then, naming the install command.

- :func:`generate_images` (alias :func:`generate`): captions → images / videos / 3D outputs, resumable.
- :func:`score_outputs`: VQA answers (P(yes) / per-choice probabilities), scheme scores, breakdowns, CLIP.
- :class:`SceneGraphQAReward`: one reward per (image, question set); for trl trainers see :mod:`gas_solver.train`.
- :func:`evaluate` (``gas eval``): a pipeline on TIFA / DPG-Bench / GenAI-Bench / GenEval / gas data, with tables and
  an HTML report; :func:`read_benchmark` reads those files.
- :func:`load_pipeline`, :func:`load_vqa`, :func:`load_clip`; back-ends :class:`BlipVQA`, :class:`ChatVQA`,
  :class:`ClipScorer`; tiny random models in :mod:`gas_solver.vision.tiny`.

Examples
--------
>>> import gas_solver.vision as vision
>>> callable(vision.generate_images)
True
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "generate_images": "generate", "generate": "generate", "GenerateOptions": "generate",
    "GenerationResult": "generate", "load_pipeline": "generate", "pipeline_kind": "generate",
    "score_outputs": "score", "ScoreReport": "score", "SCHEMES": "score",
    "SceneGraphQAReward": "reward",
    "evaluate": "evaluate", "EvalResult": "evaluate", "read_benchmark": "benchmarks",
    "load_detector": "geneval", "write_report": "report",
    "load_vqa": "vqa", "BlipVQA": "vqa", "ChatVQA": "vqa", "VQAModel": "vqa", "Query": "vqa",
    "load_clip": "clip", "ClipScorer": "clip",
    "item_seed": "rows", "read_rows": "rows",
    "MissingExtra": "extra", "VisionError": "extra",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'gas_solver.vision' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(list(globals()) + __all__)
