"""Realizers: captions, their parser, question–answer sets and scoring functions.

Imports only :mod:`gas_solver.scene` and :mod:`gas_solver.taxonomy` (room rule).
"""

from .caption import CAPTION_STYLES, caption
from .parse import CaptionParseError, parse_caption
from .qa import QUESTION_FORMATS, QUESTION_TYPES, question_set
from .row import UnknownLabel, realize_line, realize_parts, realize_scene
from .scoring import SCHEMES, breakdown, correctness, normalize_answer, score, score_all

__all__ = [
    "caption", "CAPTION_STYLES", "parse_caption", "CaptionParseError",
    "question_set", "QUESTION_TYPES", "QUESTION_FORMATS", "realize_scene", "realize_line", "realize_parts",
    "UnknownLabel",
    "score", "score_all", "breakdown", "correctness", "normalize_answer", "SCHEMES",
]
