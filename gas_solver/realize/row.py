"""One dataset row: the scene's JSON object plus its caption and question set."""

from __future__ import annotations

import orjson

from ..errors import GasError
from ..scene import Scene, canonical_form, scene_to_dict
from ..taxonomy.model import Taxonomy
from .caption import caption_canonical
from .lexicon import lexicon, object_words, references
from .qa import QuestionSet, questions_records

__all__ = ["realize_scene", "realize_parts", "realize_line", "unknown_label", "check_labels", "UnknownLabel"]


class UnknownLabel(GasError, KeyError):
    """A scene names a concept, attribute, relation or scene attribute the taxonomy does not have."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


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


def check_labels(scene: Scene, taxonomy: Taxonomy) -> None:
    """Raise :class:`UnknownLabel` if ``scene`` uses a label ``taxonomy`` does not know."""
    problem = unknown_label(scene_to_dict(scene, None, canonical=False), taxonomy)
    if problem is not None:
        raise UnknownLabel(f"{problem[0]}: {problem[1]} (taxonomy {taxonomy.name!r})")


def unknown_label(data: dict, taxonomy: Taxonomy) -> tuple[str, str] | None:
    """The first label of a scene object (``scene_to_dict`` form, already valid) that ``taxonomy``
    does not know, as (field, message), or None.  Field indices follow the input's order.

    >>> unknown_label({"objects": [{"concept": "unicorn_x"}]}, tax)  # doctest: +SKIP
    ('objects[0].concept', "unknown concept 'unicorn_x'")
    """
    modality = data.get("modality", "image")
    for i, o in enumerate(data.get("objects", ())):
        if not taxonomy.has_object(str(o["concept"])):
            return f"objects[{i}].concept", f"unknown concept {o['concept']!r}"
        for j, a in enumerate(o.get("attributes", ())):
            at = taxonomy.attribute_types.get(str(a["type"]))
            if at is None:
                return f"objects[{i}].attributes[{j}].type", f"unknown attribute type {a['type']!r}"
            if all(v.id != a["value"] for v in at.values):
                return (f"objects[{i}].attributes[{j}].value",
                        f"unknown value {a['value']!r} of attribute type {a['type']!r}")
    for k, r in enumerate(data.get("relations", ())):
        if str(r["predicate"]) not in taxonomy.relations:
            return f"relations[{k}].predicate", f"unknown relation {r['predicate']!r}"
    for k, a in enumerate(data.get("scene_attributes", ())):
        st = taxonomy.scene_attribute_types.get(str(a["type"]))
        if st is None:
            return f"scene_attributes[{k}].type", f"unknown scene-attribute type {a['type']!r}"
        if all(v.id != a["value"] for v in st.values):
            return (f"scene_attributes[{k}].value",
                    f"unknown value {a['value']!r} of scene-attribute type {a['type']!r}")
        if modality not in st.modalities:
            return f"scene_attributes[{k}].type", f"scene-attribute type {a['type']!r} does not apply to {modality}"
    return None
