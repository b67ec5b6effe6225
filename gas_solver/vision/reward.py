"""The scene-graph QA reward: how faithfully each image shows its scene, as one number per image.

For a batch of (image, question set) pairs, every question of every pair goes
to the VQA model in shared batches, and each pair's answers are scored with a
scheme of :mod:`gas_solver.realize.scoring` (``prob`` by default: the
probability-weighted score, smooth in the model's outputs, which suits
policy-gradient training; ``dsg`` gives the paper's dependency-aware accuracy).
"""

from __future__ import annotations

from typing import Sequence

from .extra import VisionError
from .score import SCHEMES, answer_questions, scheme_scores
from .vqa import VQAModel

__all__ = ["SceneGraphQAReward"]


class SceneGraphQAReward:
    """A callable ``reward(images, question_sets) -> list[float]``.

    Parameters
    ----------
    vqa : VQAModel or str
        A VQA back-end, or a hub id / folder for :func:`~gas_solver.vision.vqa.load_vqa`.
    scheme : {"prob", "dsg", "tifa", "strict"}
    batch_size : int, optional
        Queries per model call (default: the back-end's).

    Examples
    --------
    >>> reward = SceneGraphQAReward("Salesforce/blip-vqa-base", scheme="dsg")   # doctest: +SKIP
    >>> reward([image], [row["questions"]])                                      # doctest: +SKIP
    [0.75]

    As a trl ``GRPOTrainer`` reward use :class:`gas_solver.train.rewards.QAReward`: it takes trl's call
    (``prompts, completions, completion_ids, **columns``), question sets as JSON text, and a decoder.
    """

    def __init__(self, vqa: VQAModel | str, *, scheme: str = "prob", batch_size: int | None = None,
                 device: str | None = "auto", dtype: str | None = "auto"):
        if scheme not in SCHEMES:
            raise VisionError(f"unknown scheme {scheme!r}; choose from {', '.join(SCHEMES)}")
        if isinstance(vqa, str):
            from .vqa import load_vqa

            vqa = load_vqa(vqa, device=device, dtype=dtype)
        self.vqa = vqa
        self.scheme = scheme
        self.batch_size = batch_size
        self.__name__ = f"scene_graph_qa_{scheme}"  # trl logs reward functions by __name__

    def answers(self, images: Sequence, question_sets: Sequence[Sequence[dict]]) -> list[dict[str, list[float]]]:
        """Raw answer probabilities per pair (``{question id: probabilities}``)."""
        if len(images) != len(question_sets):
            raise VisionError(f"{len(images)} images but {len(question_sets)} question sets")
        items = [([img] if not isinstance(img, (list, tuple)) else list(img), qs) for img, qs in zip(images, question_sets)]
        return answer_questions(self.vqa, items, batch_size=self.batch_size)

    def __call__(self, images: Sequence, question_sets: Sequence[Sequence[dict]]) -> list[float]:
        """One reward per (image, question set) pair; an image may also be a list of frames/views (answers averaged)."""
        out = []
        for qs, probs in zip(question_sets, self.answers(images, question_sets)):
            out.append(scheme_scores(qs, probs, (self.scheme,))[self.scheme] if qs else 0.0)
        return out
