"""The canonical form's fast paths (plain-tuple labels, no-tie shortcut) equal the general search."""

from __future__ import annotations

import itertools
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from gas_solver.scene import (Attribute, Relation, Scene, SceneObject, _labels, _refine, _relabelled,
                              canonical_form, canonical_id)

CONCEPTS = ("a", "b", "c")
ATTRS = (Attribute("colour", "red"), Attribute("colour", "blue"), Attribute("size", "big"))

objects = st.builds(SceneObject, st.sampled_from(CONCEPTS),
                    st.lists(st.sampled_from(ATTRS), max_size=2, unique=True).map(tuple))


@given(st.lists(objects, min_size=2, max_size=6))
@settings(max_examples=200, deadline=None)
def test_labels_order_and_compare_like_the_dataclasses(objs):
    labels = _labels(Scene(tuple(objs)))
    for (x, lx), (y, ly) in itertools.combinations(zip(objs, labels), 2):
        assert (x < y) == (lx < ly)
        assert (x == y) == (lx == ly)


def slow_canonical_key(scene: Scene):
    """The general search over every order inside every tied cell, on the dataclass objects."""
    ranks = _refine(scene)
    cells: dict[int, list[int]] = {}
    for i, r in enumerate(ranks):
        cells.setdefault(r, []).append(i)
    best = None
    for choice in itertools.product(*(itertools.permutations(cells[r]) for r in sorted(cells))):
        perm = tuple(i for cell in choice for i in cell)
        where = {old: new for new, old in enumerate(perm)}
        key = (tuple(scene.objects[old] for old in perm),
               tuple(sorted((where[r.subject], where[r.object], r.predicate) for r in scene.relations)))
        if best is None or key < best:
            best = key
    return best


def test_canonical_form_equals_the_general_search():
    rnd = random.Random(11)
    for _ in range(400):
        n = rnd.randint(1, 6)
        objs = tuple(SceneObject(rnd.choice(CONCEPTS[:2]), tuple(rnd.sample(ATTRS, rnd.randint(0, 1))))
                     for _ in range(n))
        pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
        rels = tuple(Relation(i, j, rnd.choice("pq")) for i, j in rnd.sample(pairs, rnd.randint(0, len(pairs))))
        s = Scene(objs, rels)
        c = canonical_form(s)
        objs_key, rels_key = slow_canonical_key(s)
        assert c.objects == objs_key
        assert tuple((r.subject, r.object, r.predicate) for r in c.relations) == rels_key
        assert _relabelled(c, tuple(range(n)))[1] == rels_key


def _permuted(scene: Scene, rnd: random.Random) -> Scene:
    """The same scene with its objects listed in another order (relations relabelled, listed shuffled)."""
    n = len(scene.objects)
    perm = list(range(n))
    rnd.shuffle(perm)  # object i moves to position perm[i]
    objs = [None] * n
    for i, o in enumerate(scene.objects):
        objs[perm[i]] = o
    rels = [Relation(perm[r.subject], perm[r.object], r.predicate) for r in scene.relations]
    rnd.shuffle(rels)
    return Scene(tuple(objs), tuple(rels), scene.scene_attributes, scene.modality)


def test_distinct_concepts_path_equals_the_general_search():
    """Every concept different (what the sampler draws): the shortcut sorts by concept; up to 8 objects,
    with attributes and any relations (cycles, both directions), against the search and under permutations."""
    rnd = random.Random(5)
    pool = [f"c{k:02d}" for k in range(12)]
    for _ in range(500):
        n = rnd.randint(1, 8)
        objs = tuple(SceneObject(c, tuple(sorted(rnd.sample(ATTRS, rnd.randint(0, 2)))))
                     for c in rnd.sample(pool, n))
        pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
        chosen = rnd.sample(pairs, min(len(pairs), rnd.randint(0, 6)))
        rels = tuple(Relation(i, j, rnd.choice("pqr")) for i, j in chosen)
        s = Scene(objs, rels)
        c = canonical_form(s)
        objs_key, rels_key = slow_canonical_key(s)
        assert c.objects == objs_key
        assert tuple((r.subject, r.object, r.predicate) for r in c.relations) == rels_key
        for _ in range(3):
            other = _permuted(s, rnd)
            assert canonical_form(other) == c
            assert canonical_id(other) == canonical_id(s)
