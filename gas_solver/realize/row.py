"""One dataset row: the scene's JSON object plus its caption and question set."""

from __future__ import annotations

from ..scene import Scene, canonical_form, scene_to_dict
from ..taxonomy.model import Taxonomy
from .caption import caption as make_caption
from .qa import question_set

__all__ = ["realize_scene"]


def realize_scene(scene: Scene, taxonomy: Taxonomy, *, seed: int = 0, caption: bool = True, qa: bool = True,
                  caption_style: str = "varied", **qa_options) -> dict:
    """The JSON row of a scene: ``scene_to_dict(scene, taxonomy)`` + ``"caption"`` + ``"questions"``.

    Object indices in the questions refer to the row's ``objects`` (the canonical
    form).  ``qa_options`` go to :func:`~gas_solver.realize.question_set`
    (``negatives``, ``multiple_choice``, ``yes_share``, ``choice_position``).

    Examples
    --------
    >>> row = realize_scene(scene, tax, seed=0)  # doctest: +SKIP
    >>> sorted(row)  # doctest: +SKIP
    ['caption', 'complexity', 'id', 'modality', 'objects', 'questions', 'relations', 'scene_attributes', 'shape']
    """
    canon = canonical_form(scene)
    row = scene_to_dict(canon, taxonomy)
    if caption:
        row["caption"] = make_caption(canon, taxonomy, seed=seed, style=caption_style)
    if qa:
        row["questions"] = question_set(canon, taxonomy, seed=seed, **qa_options)
    return row
