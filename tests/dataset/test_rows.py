"""The per-row machinery of a build (statistics, encoders, splitter) against plain reference versions.

The build's row path is written for speed (counting in C, row tuples transposed
into Arrow columns, JSON lines spliced from pieces); these tests pin it to the
obvious formulations it replaced, byte for byte.
"""

from __future__ import annotations

import gc
import io
from collections import Counter

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gas_solver.dataset.schema import _PARQUET_OPTIONS, COLUMN_NAMES, ROW_GROUP_SIZE, PartEncoder, arrow_schema
from gas_solver.dataset.splits import Holdout, Splitter, combos_of, id_unit
from gas_solver.dataset.stats import Stats

from .helpers import TOY_SPACE, TOY_TAXONOMY

# -- strategies ----------------------------------------------------------------

_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_word = st.sampled_from(["a", "b", "dog", "red", "on", "yes", "no"])
_attribute = st.fixed_dictionaries({"type": _word, "value": _word})
_object = st.fixed_dictionaries({"concept": _word, "name": _text, "category": _word,
                                 "attributes": st.lists(_attribute, max_size=3)})


@st.composite
def _scene(draw):
    objects = draw(st.lists(_object, min_size=1, max_size=4))
    n = len(objects)
    relations = draw(st.lists(st.fixed_dictionaries({"subject": st.integers(0, n - 1), "predicate": _word,
                                                     "object": st.integers(0, n - 1)}), max_size=3))
    n_att = sum(len(o["attributes"]) for o in objects)
    return {"id": "sg-" + draw(st.text("0123456789abcdef", min_size=32, max_size=32)), "modality": "image",
            "complexity": n + n_att + len(relations), "shape": [n, n_att, len(relations)], "objects": objects,
            "relations": relations,
            "scene_attributes": draw(st.lists(st.fixed_dictionaries({"type": _word, "value": _word}), max_size=2))}


_answer = st.one_of(st.sampled_from(["yes", "no", "Yes", "dog", ""]), st.none(), st.integers(0, 3),
                    st.lists(_word, max_size=2))


@st.composite
def _question(draw):
    q = {"type": draw(_word), "question": draw(_text)}
    if draw(st.booleans()):
        q["answer"] = draw(_answer)
    return q


def _reference_add(s: Stats, split, scene, questions, caption, stratum=None):
    """Stats.add as first written: one Python loop per counter."""
    s.rows[split] += 1
    s.complexity.setdefault(split, Counter())[scene["complexity"]] += 1
    s.strata.setdefault(split, Counter())[stratum or f"complexity={scene['complexity']}"] += 1
    s.shapes["/".join(map(str, scene["shape"]))] += 1
    for o in scene["objects"]:
        s.categories[o["category"]] += 1
        s.concepts[o["concept"]] += 1
        if o["concept"] not in s.names:
            s.names[o["concept"]] = o["name"]
        for a in o["attributes"]:
            s.attribute_types[a["type"]] += 1
    for r in scene["relations"]:
        s.predicates[r["predicate"]] += 1
    for a in scene["scene_attributes"]:
        s.scene_attribute_types[a["type"]] += 1
    s.questions += len(questions)
    for q in questions:
        s.question_types[q["type"]] += 1
        if q.get("answer") in ("yes", "no"):
            s.answers[q.get("answer")] += 1
    words = len(caption.split())
    s.caption_words += words
    s.caption_max_words = max(s.caption_max_words, words)
    if s.combo_kind:
        s.combos.setdefault(split, set()).update(combos_of(scene, s.combo_kind))


@settings(max_examples=80, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from(["train", "test"]), _scene(), st.lists(_question(), max_size=6),
                               _text, st.sampled_from([None, "complexity=3", "shape=1/0/0"])), max_size=6),
       kind=st.sampled_from([None, "relation-pairs", "attribute-pairs"]), pass_combos=st.booleans())
def test_stats_add_counts_like_the_reference(rows, kind, pass_combos):
    fast, slow = Stats(kind), Stats(kind)
    for split, scene, questions, caption, stratum in rows:
        combos = combos_of(scene, kind) if kind and pass_combos else None
        fast.add(split, scene, questions, caption, stratum, combos)
        _reference_add(slow, split, scene, questions, caption, stratum)
    assert orjson.dumps(fast.to_json()) == orjson.dumps(slow.to_json()) == orjson.dumps(_reference_to_json(slow))
    assert list(fast.names) == list(slow.names)


def _reference_to_json(s: Stats) -> dict:
    """Stats.to_json as first written: every counter sorted by ``str(key)``."""
    def srt(c):
        return {str(k): v for k, v in sorted(c.items(), key=lambda kv: (str(kv[0])))}

    from gas_solver.dataset.stats import _COUNTERS

    return {"combo_kind": s.combo_kind, **{name: srt(getattr(s, name)) for name in _COUNTERS},
            "complexity": {sp: {str(k): v for k, v in sorted(c.items())} for sp, c in sorted(s.complexity.items())},
            "strata": {sp: srt(c) for sp, c in sorted(s.strata.items())}, "names": dict(sorted(s.names.items())),
            "questions": s.questions, "caption_words": s.caption_words, "caption_max_words": s.caption_max_words,
            "combos": {sp: sorted(c) for sp, c in sorted(s.combos.items())}}


def test_to_json_with_keys_that_are_not_strings():
    s = Stats()
    s.shapes.update({10: 1, 9: 2, "8": 3})  # sorted as strings, like the reference
    s.concepts.update({"b": 1, "a": 2, "B": 3})
    assert orjson.dumps(s.to_json()) == orjson.dumps(_reference_to_json(s))
    assert list(s.to_json()["shapes"]) == ["10", "8", "9"]


# -- encoders --------------------------------------------------------------------

def _row(k: int, scene_text: str, questions_text: str, caption: str) -> tuple:
    return (f"sg-{k:032x}", k, 2 * k, (k * 7919) % 2**63, "image" if k % 3 else "video", 3 + k % 4, 1, 1 + k % 3,
            k % 2, f"complexity={3 + k % 4}", caption, k % 5, scene_text.encode(), questions_text.encode())


def _reference_parquet(rows: list[tuple]) -> bytes:
    """The shard as the first encoder wrote it: a column list per name, ``pa.array(type=string)``."""
    schema = arrow_schema()
    sink = pa.BufferOutputStream()
    writer = pq.ParquetWriter(sink, schema, **_PARQUET_OPTIONS)
    for lo in range(0, len(rows), ROW_GROUP_SIZE):
        group = rows[lo:lo + ROW_GROUP_SIZE]
        columns = {name: [r[i] for r in group] for i, name in enumerate(COLUMN_NAMES)}
        table = pa.Table.from_arrays([pa.array(columns[f.name], type=f.type) for f in schema], schema=schema)
        writer.write_table(table, row_group_size=ROW_GROUP_SIZE)
    writer.close()
    return sink.getvalue().to_pybytes()


def _reference_jsonl(rows: list[tuple]) -> bytes:
    lines = [orjson.dumps({name: (v.decode() if isinstance(v, bytes) else v) for name, v in zip(COLUMN_NAMES, r)})
             for r in rows]
    return b"\n".join(lines) + b"\n"


_json_value = st.recursive(st.none() | st.booleans() | st.integers(-10**6, 10**6) | _text,
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
                           max_leaves=8)


@settings(max_examples=40, deadline=None)
@given(items=st.lists(st.tuples(_json_value, _json_value, _text), min_size=1, max_size=5))
def test_encoders_match_the_reference_bytes(items):
    rows = [_row(k, orjson.dumps(s).decode(), orjson.dumps(q).decode(), c) for k, (s, q, c) in enumerate(items)]
    by_tuple, by_dict = PartEncoder(("parquet", "jsonl")), PartEncoder(("parquet", "jsonl"))
    for r in rows:
        by_tuple.add_values(r)
        # the dict form, with the JSON columns as str this time
        by_dict.add({name: (v.decode() if isinstance(v, bytes) else v) for name, v in zip(COLUMN_NAMES, r)})
    out = by_tuple.finish()
    assert out == by_dict.finish()
    assert out["jsonl"] == _reference_jsonl(rows)
    assert out["parquet"] == _reference_parquet(rows)
    back = pq.read_table(io.BytesIO(out["parquet"])).to_pylist()
    assert [orjson.loads(b["questions"]) for b in back] == [orjson.loads(r[-1]) for r in rows]


def test_parquet_encoder_over_several_row_groups():
    rows = [_row(k, orjson.dumps({"k": k, "s": "é\"\\\n"}).decode(), orjson.dumps([k] * (k % 7)).decode(),
                 f"caption {k}") for k in range(ROW_GROUP_SIZE + 123)]
    enc = PartEncoder(("parquet",))
    for r in rows:
        enc.add_values(r)
    data = enc.finish()["parquet"]
    assert data == _reference_parquet(rows)
    assert pq.ParquetFile(io.BytesIO(data)).metadata.num_row_groups == 2


# -- splitter ---------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(scene=_scene(), seed=st.integers(0, 2**40), threshold=st.sampled_from([0, 2**62, 2**63, 2**64]),
       kind=st.sampled_from([None, "relation-pairs", "attribute-pairs"]))
def test_assign_with_combos_is_assign_plus_combos(scene, seed, threshold, kind):
    hold = Holdout(kind) if kind else None
    ratios = {"train": 0.7, "validation": 0.1, "test": 0.2}
    sp = Splitter(ratios, seed, hold, threshold)
    split, combos = sp.assign_with_combos(scene)
    assert split == Splitter(ratios, seed, hold, threshold).assign(scene)
    assert combos == (combos_of(scene, kind) if kind else None)
    if split != "test" or not kind:  # the random rule is id_unit against the cumulative ratios
        rest = {k: v for k, v in ratios.items() if not (kind and k == "test")}
        u, acc = id_unit(seed, scene["id"]), 0.0
        for name, r in rest.items():
            acc += r / sum(rest.values())
            if u < acc:
                break
        assert split == name


# -- the collector around a part ---------------------------------------------------

@pytest.fixture(scope="module")
def toy_context():
    from gas_solver.constraints.parse import parse_constraints
    from gas_solver.dataset.build import _context
    from gas_solver.taxonomy import load_taxonomy

    tax = load_taxonomy(TOY_TAXONOMY)
    spec = parse_constraints(TOY_SPACE, tax, path=str(TOY_SPACE))
    plan = {"distribution": "uniform", "strata": None, "backend": "asp", "holdout": None, "split": {"train": 1.0},
            "seed": 0, "formats": ["parquet"]}
    return _context(plan, tax, spec, 0)


def test_run_part_restores_the_collector(toy_context):
    from gas_solver.dataset.build import run_part

    assert gc.isenabled() and gc.get_freeze_count() == 0
    first = run_part(toy_context, (0, 0, range(50)))
    assert gc.isenabled() and gc.get_freeze_count() == 0
    # a caller that froze its own objects keeps them frozen, and gets the same part
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert run_part(toy_context, (0, 0, range(50))) == first
        # not thawed (the count would drop to 0) and nothing more frozen; the count may fall a
        # little, since a frozen object that dies (a cache entry replaced) leaves the generation
        assert frozen - 1000 <= gc.get_freeze_count() <= frozen and gc.isenabled()
    finally:
        gc.unfreeze()
    gc.disable()
    try:
        assert run_part(toy_context, (0, 0, range(50))) == first
        assert not gc.isenabled()
    finally:
        gc.enable()
