"""The row's shared look-ups give what each stage would look up on its own.

``realize_parts`` looks each object up once in the lexicon (``object_words``) and hands the
records to ``scene_to_dict`` (``labels``), ``references`` and the caption; the caption shuffles
with its own copy of ``HashRng.shuffle``; ``Stats`` folds yes/no answers in when they are read.
"""

from __future__ import annotations

import random

import pytest

from gas_solver.dataset.stats import Stats
from gas_solver.realize.caption import _shuffle
from gas_solver.realize.lexicon import HashRng, lexicon, object_words, references
from gas_solver.scene import canonical_form, scene_to_dict

from .scenes import random_scene


@pytest.mark.parametrize("which", ["toy", "tricky"])
def test_words_labels_and_references_match_the_own_look_ups(which, toy_taxonomy, tricky_taxonomy):
    tax = toy_taxonomy if which == "toy" else tricky_taxonomy
    lex = lexicon(tax)
    rng = random.Random(5)
    repeated = 0
    for _ in range(300):
        canon = canonical_form(random_scene(tax, rng, rng.randint(1, 10)))
        words = object_words(canon, lex)
        assert [w.concept for w in words] == [o.concept for o in canon.objects]
        labels = [w.label for w in words]
        assert scene_to_dict(canon, tax, labels=labels) == scene_to_dict(canon, tax)
        refs = references(canon, lex, words)
        assert refs == references(canon, lex)
        repeated += bool(refs[1])
    assert repeated > 30  # the general (repeated-concept) path ran too


def test_labels_follow_the_non_canonical_order_too(toy_taxonomy):
    rng = random.Random(9)
    lex = lexicon(toy_taxonomy)
    for _ in range(50):
        scene = random_scene(toy_taxonomy, rng, rng.randint(2, 8))
        labels = [w.label for w in object_words(scene, lex)]
        assert (scene_to_dict(scene, toy_taxonomy, canonical=False, labels=labels)
                == scene_to_dict(scene, toy_taxonomy, canonical=False))


@pytest.mark.parametrize("n", [0, 1, 2, 3, 7, 40])
def test_caption_shuffle_draws_like_hashrng_shuffle(n):
    for key in ("sg-a:0", "sg-b:3"):
        a, b = HashRng(key, first_words=42), HashRng(key, first_words=42)
        xs, ys = list(range(n)), list(range(n))
        for _ in range(5):
            a.shuffle(xs)
            _shuffle(b, ys)
            assert xs == ys
        assert a.word() == b.word()  # the streams stayed in step


def test_stats_answers_fold_in_when_read():
    s = Stats()
    row = {"complexity": 1, "shape": [1, 0, 0], "objects": [{"concept": "dog", "name": "dog", "category": "mammal",
                                                             "attributes": []}], "relations": [], "scene_attributes": []}
    s.add("train", row, [{"type": "existence", "answer": "yes"}, {"type": "existence", "answer": "no"}], "a dog")
    s.add("train", row, [{"type": "existence", "answer": "yes"}], "a dog")
    assert s.answers == {"yes": 2, "no": 1}
    s.add("train", row, [{"type": "count", "answer": "one"}], "a dog")
    assert s.answers == {"yes": 2, "no": 1}  # no yes/no answer: nothing new, and nothing counted twice
    assert s.to_json()["answers"] == {"no": 1, "yes": 2}
    s.add("train", row, [{"type": "existence", "answer": "no"}], "a dog")
    s.answers = {"yes": 7}  # a pending count does not leak into a replaced counter
    assert s.answers == {"yes": 7}
    merged = Stats().merge(s)
    assert merged.answers == {"yes": 7}
