"""Generate a caption set with a pipeline and score it with the QA reward: the measurement every application shares.

It is :func:`gas_solver.vision.generate.generate_images` followed by
:func:`gas_solver.vision.score.score_outputs` (the same answer probabilities as
:class:`gas_solver.vision.SceneGraphQAReward`, with their cache), so a step killed half-way
resumes where it stopped.

Examples
--------
>>> report = generate_and_score(pipe, rows, "out/eval", vqa, GenerationSettings(steps=30))   # doctest: +SKIP
>>> summarize(report)["metrics"]["dsg"]                                                     # doctest: +SKIP
0.61
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Sequence

__all__ = ["GenerationSettings", "generate_and_score", "summarize", "delta", "best_outputs"]


@dataclass(frozen=True)
class GenerationSettings:
    """Pipeline-call settings of the applications' generation steps (``None``: the pipeline's default)."""

    steps: int | None = None
    guidance: float | None = None
    resolution: int | None = None
    batch_size: int = 4
    seed: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


def generate_and_score(pipe, rows: Sequence[dict], folder: str | Path, vqa, settings: GenerationSettings, *,
                       images_per_caption: int = 1, model_name: str = "pipeline", taxonomy=None,
                       progress: bool | None = None):
    """Generate ``images_per_caption`` images per row into ``folder`` and score them; returns the ScoreReport."""
    from ..vision.generate import generate_images
    from ..vision.score import score_outputs

    generate_images(list(rows), folder, pipeline=pipe, model_name=model_name, images_per_caption=images_per_caption,
                    steps=settings.steps, guidance=settings.guidance, width=settings.resolution,
                    height=settings.resolution, batch_size=settings.batch_size, seed=settings.seed, progress=progress)
    return score_outputs(folder, vqa=vqa, taxonomy=taxonomy, progress=progress)


def summarize(report) -> dict:
    """Scheme scores overall and by question type (the numbers a round's report compares)."""
    return {"scenes": report.summary.get("scenes", 0), "outputs": report.summary.get("outputs", 0),
            "metrics": report.summary.get("metrics", {}),
            "by_question_type": report.breakdowns.get("question type", {})}


def delta(before: dict, after: dict) -> dict:
    """``after - before`` for every metric, overall and by question type."""
    out = {"metrics": {m: after["metrics"][m] - before["metrics"][m] for m in after["metrics"] if m in before["metrics"]}}
    by = {}
    for qtype, vals in after.get("by_question_type", {}).items():
        old = before.get("by_question_type", {}).get(qtype)
        if old:
            by[qtype] = {m: vals[m] - old[m] for m in vals if m != "questions" and m in old}
    out["by_question_type"] = by
    return out


def best_outputs(report, scheme: str) -> list[dict]:
    """Per scene: its best output under ``scheme`` (ties: the lowest ``k``) as ``{"id", "k", "score", "scores"}``."""
    out = []
    for scene in report.per_scene:
        best = max(scene["outputs"], key=lambda o: (o["scores"][scheme], -o["k"]))
        out.append({"id": scene["id"], "k": best["k"], "score": best["scores"][scheme], "scores": best["scores"]})
    return out
