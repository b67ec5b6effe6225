"""Realizers: captions, their parser, question–answer sets and scoring functions.

Imports only :mod:`gas_solver.scene` and :mod:`gas_solver.taxonomy` (room rule).
"""

from .caption import CAPTION_STYLES, caption
from .parse import CaptionParseError, parse_caption

__all__ = ["caption", "CAPTION_STYLES", "parse_caption", "CaptionParseError"]
