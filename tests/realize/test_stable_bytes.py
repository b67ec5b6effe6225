"""Rows are pinned byte for byte: speed work on the realizers must not change what they write.

The digests were recorded with the realizers as first delivered (before the speed-ups) and
checked equal after them; change them only for a deliberate, documented change of output.
"""

from __future__ import annotations

import hashlib
import random

import orjson
import pytest

from gas_solver.realize import realize_line, realize_scene

from .scenes import random_scene

OPTIONS = [{}, {"seed": 7, "yes_share": 0.6}, {"choice_position": "balanced", "caption_style": "plain"},
           {"negatives": False}, {"multiple_choice": False, "choice_position": 1}]


def dict_row(scene, tax, **kw) -> bytes:
    return orjson.dumps(realize_scene(scene, tax, **kw))


def line_row(scene, tax, **kw) -> bytes:
    """The `gas sample` path (`realize_line`)."""
    return realize_line(scene, tax, **kw)[1][:-1]


def digest(tax, n: int, seed: int, row=dict_row) -> str:
    rng = random.Random(seed)
    h = hashlib.sha256()
    for _ in range(n):
        scene = random_scene(tax, rng, rng.randint(1, 10))
        for kw in OPTIONS:
            h.update(row(scene, tax, **kw))
    return h.hexdigest()[:24]


@pytest.mark.parametrize("row", [dict_row, line_row], ids=["dicts", "json_lines"])
@pytest.mark.parametrize("which, expected", [
    # issue 14 question audit: no open question "What is X on top of?" (spatial, comparative) while another
    # object is placed against X by no edge; tricky also: no "red" foil or distractor for the red panda
    # round 4: a material named by a noun reads "made of metal" after "is" (captions and questions)
    # questions round: copies the scene counts asked about in the plural ("Are there any apples?");
    # "There is also": a later "There is" sentence says "also" (56 of 750 rows change, each with two such sentences);
    # one verb for the edges of one predicate ("is next to an SUV and the first bench": the 30 of 750 rows whose
    # subject holds two edges of one predicate change, in the caption alone)
    ("toy", "94401b0bdd489ae2a2ea4998"),
    # round 3: no open question with a feeling ("What is the bat afraid of?") while another candidate is there;
    # round 4: "made of metal" as for toy; wording round: a texture before the colour ("a furry red panda");
    # clause lists: a thing with a "that is" clause listed last ("a big smooth sheep and a lily of the valley
    # that is of light colour"; 10 of its 750 rows change, each one with such a clause before another thing);
    # questions round: the plural over counted copies, no two choices near each other ("blue" / "bright blue");
    # "There is also" as for toy (67 of 750 rows); one verb as for toy (the 20 of 750 rows with such edges)
    ("tricky", "492eea6aaf23cf07f36444a0"),
])
def test_rows_are_byte_stable(which, expected, row, toy_taxonomy, tricky_taxonomy):
    tax = toy_taxonomy if which == "toy" else tricky_taxonomy
    assert digest(tax, 150, 2024, row) == expected
