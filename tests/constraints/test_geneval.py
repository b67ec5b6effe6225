"""GenEval's six tasks as shipped constraint files: each space is exactly the task's own combinatorics.

The expected sets are built here from taxonomy/sources/coco80.tsv and GenEval's task definitions (its
prompt generator: 80 classes; counting 2..4; 10 colours, no coloured person; positions left of / right
of / above / below between two different classes; colour attribution: two different classes, two
different colours), independently of the solver.
"""

from __future__ import annotations

import itertools
from math import comb
from pathlib import Path

import pytest

from gas_solver.constraints import parse_constraints, violations
from gas_solver.solve.count import count_scenes
from gas_solver.solve.enumerate import enumerate_scenes
from gas_solver.solve.sample import Sampler

ROOT = Path(__file__).resolve().parents[2]
GENEVAL = ROOT / "constraints" / "geneval"
COLOURS = ("red", "orange", "yellow", "green", "blue", "purple", "pink", "brown", "black", "white")
POSITIONS = ("to_the_left_of", "to_the_right_of", "above", "below")


def _coco() -> dict[str, str]:
    rows = [ln.rstrip("\n").split("\t") for ln in (ROOT / "taxonomy" / "sources" / "coco80.tsv").open()
            if not ln.startswith("#")]
    assert rows[0][:2] == ["coco_name", "concept"]
    return {r[0]: r[1] for r in rows[1:]}


COCO = _coco()
CLASSES = sorted(COCO.values())
NO_PERSON = sorted(c for name, c in COCO.items() if name != "person")

#: task -> its size by GenEval's definition
EXPECTED = {
    "single_object": 80,
    "two_object": comb(80, 2),                       # unordered pairs of different classes
    "counting": 80 * 3,                              # a class, 2..4 copies
    "colors": 79 * len(COLOURS),                     # no "[colour] person"
    "position": 80 * 79 * len(POSITIONS),            # ordered pairs: the relation is directed
    "color_attr": comb(79, 2) * len(COLOURS) * (len(COLOURS) - 1),  # two classes, two different colours
}


@pytest.fixture(scope="module")
def tax():
    from gas_solver.taxonomy import load_taxonomy

    return load_taxonomy()


def test_the_six_tasks_are_shipped_and_only_them():
    assert sorted(p.stem for p in GENEVAL.glob("*.toml")) == sorted(EXPECTED)
    assert len(COCO) == 80 and len(set(COCO.values())) == 80
    assert EXPECTED == {"single_object": 80, "two_object": 3160, "counting": 240, "colors": 790,
                        "position": 25280, "color_attr": 277290}


@pytest.mark.parametrize("task", sorted(EXPECTED))
def test_exact_size_is_the_tasks_combinatorics(task, tax):
    spec = parse_constraints(GENEVAL / f"{task}.toml", tax)
    assert count_scenes(spec, tax) == EXPECTED[task]


def _key(scene):
    """What a GenEval prompt of the scene fixes: (concept, colour) per object, as a multiset, and relations."""
    objs = tuple(sorted((o.concept, tuple(a.value for a in o.attributes if a.type == "colour"))
                        for o in scene.objects))
    rels = tuple((scene.objects[r.subject].concept, r.predicate, scene.objects[r.object].concept)
                 for r in scene.relations)
    return objs, rels


def _expected_keys(task):
    if task == "single_object":
        return {(((c, ()),), ()) for c in CLASSES}
    if task == "two_object":
        return {(tuple(sorted(((a, ()), (b, ())))), ()) for a, b in itertools.combinations(CLASSES, 2)}
    if task == "counting":
        return {(((c, ()),) * n, ()) for c in CLASSES for n in (2, 3, 4)}
    if task == "colors":
        return {(((c, (k,)),), ()) for c in NO_PERSON for k in COLOURS}
    if task == "position":
        return {(tuple(sorted(((a, ()), (b, ())))), ((a, p, b),))
                for a, b in itertools.permutations(CLASSES, 2) for p in POSITIONS}
    raise KeyError(task)


@pytest.mark.parametrize("task", ["single_object", "two_object", "counting", "colors", "position"])
def test_listing_is_exactly_the_tasks_prompts(task, tax):
    spec = parse_constraints(GENEVAL / f"{task}.toml", tax)
    got = [_key(s) for s in enumerate_scenes(spec, tax)]
    assert len(got) == len(set(got)) == EXPECTED[task]
    assert set(got) == _expected_keys(task)


def test_colour_attribution_samples_are_valid_and_cover_the_task(tax):
    spec = parse_constraints(GENEVAL / "color_attr.toml", tax)
    scenes = Sampler(spec, tax).sample(3000, seed=4)
    for s in scenes:
        assert not violations(s, spec, tax)
        (a, ka), (b, kb) = _key(s)[0]
        assert a != b and a in NO_PERSON and b in NO_PERSON
        assert len(ka) == len(kb) == 1 and ka != kb and ka[0] in COLOURS and kb[0] in COLOURS
    # 3,000 uniform draws from 277,290 scenes: repeats are rare (expected ~16 pairs)
    assert len({_key(s) for s in scenes}) > 2950


def test_counting_captions_and_questions_ask_for_the_number(tax):
    from gas_solver.realize import realize_scene

    spec = parse_constraints(GENEVAL / "counting.toml", tax)
    words = {2: "two", 3: "three", 4: "four"}
    for s in Sampler(spec, tax).sample(50, seed=1):
        row = realize_scene(s, tax, seed=0)
        assert words[s.n_objects] in row["caption"].lower()
        assert any(q["type"] == "count" for q in row["questions"])
