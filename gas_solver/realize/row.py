"""One dataset row: the scene's JSON object plus its caption and question set."""

from __future__ import annotations

import functools

import orjson

from ..scene import Scene, canonical_form, scene_to_dict
from ..taxonomy.model import Taxonomy
from .caption import caption_canonical
from .labels import UnknownLabel, check_labels, unknown_label
from .lexicon import lexicon, object_words, references
from .qa import QuestionSet, questions_records

__all__ = ["realize_scene", "realize_parts", "realize_line", "row_for", "row_maker", "unknown_label", "check_labels",
           "UnknownLabel"]


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
    row, questions = realize_parts(scene, taxonomy, seed=seed, caption=caption, qa=qa, caption_style=caption_style,
                                   **qa_options)
    if questions is not None:
        row["questions"] = questions.dicts()
    return row


def realize_parts(scene: Scene, taxonomy: Taxonomy, *, seed: int = 0, caption: bool = True, qa: bool = True,
                  caption_style: str = "varied", **qa_options) -> tuple[dict, QuestionSet | None]:
    """:func:`realize_scene` as ``(row without "questions", question records or None)``.

    What rows that are written out use: the question records
    (:class:`~gas_solver.realize.qa.QuestionSet`) go to JSON through the one writer
    (:func:`~gas_solver.realize.qa.write_questions`).
    """
    canon = canonical_form(scene)
    lex = lexicon(taxonomy)
    # each object's record of the lexicon, looked up once for the scene dict, the references and the caption
    try:
        words = object_words(canon, lex)
    except KeyError:
        check_labels(canon, taxonomy)  # raises UnknownLabel naming the field
        raise
    row = scene_to_dict(canon, taxonomy, labels=[w.label for w in words])
    cid = row["id"]
    refs = None
    if caption and qa:  # both name objects alike ("the second apple"): compute the references once
        refs = references(canon, lex, words)
    if caption:
        row["caption"] = caption_canonical(canon, lex, cid, seed=seed, style=caption_style, refs_repeated=refs,
                                           words=words)
    questions = None
    if qa:
        questions = questions_records(canon, taxonomy, cid, seed=seed, refs_repeated=refs, **qa_options)
    return row, questions


def realize_line(scene: Scene, taxonomy: Taxonomy, *, seed: int = 0, caption: bool = True, qa: bool = True,
                 caption_style: str = "varied", **qa_options) -> tuple[str, bytes]:
    """The row of :func:`realize_scene` as one JSON line: ``(id, orjson.dumps(row) + b"\\n")``.

    Examples
    --------
    >>> cid, line = realize_line(scene, tax, seed=0)  # doctest: +SKIP
    >>> line == orjson.dumps(realize_scene(scene, tax, seed=0)) + b"\\n"  # doctest: +SKIP
    True
    """
    row, questions = realize_parts(scene, taxonomy, seed=seed, caption=caption, qa=qa, caption_style=caption_style,
                                   **qa_options)
    if questions is None:
        return row["id"], orjson.dumps(row, option=orjson.OPT_APPEND_NEWLINE)
    # "questions" is the row's last key: splice its JSON text in before the closing brace
    return row["id"], b"".join((orjson.dumps(row)[:-1], b',"questions":', questions.json(), b"}\n"))


def row_for(scene, taxonomy, options: dict | None = None) -> dict:
    """The JSON object written for one sampled scene (``gas sample``'s row).

    The scene dict of :func:`~gas_solver.scene.scene_to_dict`, with a caption and
    questions where ``options`` ask for them (``caption``, ``qa``, ``caption_style``,
    ``seed``) and a taxonomy is given.

    >>> from gas_solver.scene import Scene, SceneObject
    >>> row_for(Scene((SceneObject("dog"),)), None)["complexity"]
    1
    """
    opts = options or {}
    if taxonomy is None or not (opts.get("caption") or opts.get("qa")):
        return scene_to_dict(scene, taxonomy)
    # caption and questions depend only on the scene and the seed
    return realize_scene(scene, taxonomy, seed=opts.get("seed", 0), caption=bool(opts.get("caption")),
                         qa=bool(opts.get("qa")), caption_style=opts.get("caption_style", "varied"))


def row_maker(taxonomy, options: dict):
    """``scene -> (id, JSON line)`` of :func:`row_for`'s row (the same bytes as ``orjson.dumps(row_for(...)) +
    b"\\n"``), with the options resolved once rather than per row.

    >>> from gas_solver.scene import Scene, SceneObject
    >>> row_maker(None, {})(Scene((SceneObject("dog"),)))[1].endswith(b"}\\n")
    True
    """
    if taxonomy is None or not (options.get("caption") or options.get("qa")):
        def line(scene):
            row = row_for(scene, taxonomy, options)
            return row["id"], orjson.dumps(row, option=orjson.OPT_APPEND_NEWLINE)
        return line
    # questions go straight to JSON text, without their dicts
    return functools.partial(realize_line, taxonomy=taxonomy, seed=options.get("seed", 0),
                             caption=bool(options.get("caption")), qa=bool(options.get("qa")),
                             caption_style=options.get("caption_style", "varied"))
