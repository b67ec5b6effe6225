"""Split parsing, hold-out calibration and assignment (pure functions, no build)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gas_solver.dataset.splits import (Holdout, SplitError, Splitter, calibrate_threshold, combo_hash, combos_of,
                                       id_unit, parse_holdout, parse_split)


def test_parse_split():
    assert parse_split("train=0.9,test=0.1") == {"train": 0.9, "test": 0.1}
    assert parse_split(" train = 0.5 , validation=0.25,test=0.25") == {"train": 0.5, "validation": 0.25, "test": 0.25}
    assert parse_split("train=8,test=2") == {"train": 0.8, "test": 0.2}
    assert parse_split("train=1") == {"train": 1.0}


@pytest.mark.parametrize("text, message", [
    ("train=0.9,test=0.2", "sum to 1.1"),
    ("train=0.9,train=0.1", "named twice"),
    ("train", "expected name=ratio"),
    ("Train=1", "expected name=ratio"),
    ("train=x", "not a number"),
    ("train=0,test=1", "must be > 0"),
    ("", "no splits"),
])
def test_parse_split_errors(text, message):
    with pytest.raises(SplitError, match=message):
        parse_split(text)


def test_parse_holdout():
    assert parse_holdout("attribute-pairs") == Holdout("attribute-pairs")
    assert parse_holdout("pattern: a:animal -[riding]-> b:* ; x:fruit{state=ripe}").patterns == \
        ("a:animal -[riding]-> b:*", "x:fruit{state=ripe}")
    with pytest.raises(SplitError, match="unknown value 'pairs'"):
        parse_holdout("pairs")
    with pytest.raises(SplitError, match="at least one pattern"):
        parse_holdout("pattern: ;")


def test_holdout_needs_a_test_split_and_another():
    with pytest.raises(SplitError, match="named 'test'"):
        Splitter({"train": 0.5, "eval": 0.5}, 0, Holdout("relation-pairs"))
    with pytest.raises(SplitError, match="besides 'test'"):
        Splitter({"test": 1.0}, 0, Holdout("relation-pairs"))


SCENE = {"objects": [{"category": "mammal", "attributes": [{"type": "colour", "value": "brown"}]},
                     {"category": "vehicle", "attributes": []},
                     {"category": "mammal", "attributes": [{"type": "colour", "value": "brown"}]}],
         "relations": [{"subject": 0, "predicate": "riding", "object": 1},
                       {"subject": 2, "predicate": "riding", "object": 1}]}


def test_combos_of():
    assert combos_of(SCENE, "relation-pairs") == {"mammal -[riding]-> vehicle"}
    assert combos_of(SCENE, "attribute-pairs") == {"mammal{colour=brown}"}


def _pilot(draw):
    """Random scene dicts over a small label set (many shared combinations: ties)."""
    cats = st.sampled_from(["a", "b", "c", "d", "e"])
    obj = st.fixed_dictionaries({"category": cats, "attributes": st.lists(
        st.fixed_dictionaries({"type": st.sampled_from(["colour", "size"]), "value": st.sampled_from(["x", "y"])}),
        max_size=2)})
    return draw(st.lists(st.fixed_dictionaries({"objects": st.lists(obj, min_size=1, max_size=3),
                                                "relations": st.just([])}), min_size=1, max_size=60))


@settings(max_examples=60, deadline=None)
@given(data=st.data(), ratio=st.floats(0.0, 1.0), seed=st.integers(0, 3))
def test_calibration_against_brute_force(data, ratio, seed):
    """The threshold is the best cut of the sorted per-scene minima (brute force over every cut)."""
    pilot = _pilot(data.draw)
    info = calibrate_threshold(pilot, "attribute-pairs", seed, ratio)
    minima = [min(combo_hash(seed, c) for c in combos_of(d, "attribute-pairs"))
              for d in pilot if combos_of(d, "attribute-pairs")]
    held = sum(m < info["threshold"] for m in minima)
    assert held == info["pilot_test"]
    assert info["with_combinations"] == len(minima)
    want = round(ratio * len(pilot))
    achievable = {sum(m < t for m in minima) for t in [0, *minima, *(m + 1 for m in minima), 1 << 64]}
    assert abs(held - want) == min(abs(a - want) for a in achievable)
    assert info["capped"] == (want > len(minima))


def test_splitter_random_assignment_is_by_id_and_near_the_ratios():
    sp = Splitter({"train": 0.7, "validation": 0.2, "test": 0.1}, seed=7)
    ids = [f"sg-{i:032x}" for i in range(20_000)]
    got = [sp.assign({"id": i}) for i in ids]
    assert got == [sp.assign({"id": i}) for i in ids]  # a pure function of the id
    shares = {s: got.count(s) / len(ids) for s in sp.ratios}
    for s, r in sp.ratios.items():
        assert abs(shares[s] - r) < 0.015
    assert all(0 <= id_unit(7, i) < 1 for i in ids[:100])
    assert [id_unit(7, i) for i in ids[:50]] != [id_unit(8, i) for i in ids[:50]]


def test_splitter_holdout_assignment():
    threshold = combo_hash(0, "mammal -[riding]-> vehicle") + 1
    sp = Splitter({"train": 0.9, "test": 0.1}, 0, Holdout("relation-pairs"), threshold)
    assert sp.assign(dict(SCENE, id="sg-1")) == "test"
    other = {"id": "sg-2", "objects": SCENE["objects"][:2], "relations": []}
    assert sp.assign(other) == "train"  # no relation: never held out
    sp0 = Splitter({"train": 0.9, "test": 0.1}, 0, Holdout("relation-pairs"), 0)
    assert sp0.assign(dict(SCENE, id="sg-1")) == "train"
