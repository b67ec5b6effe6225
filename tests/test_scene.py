"""The scene model: canonical form and id against an independent isomorphism oracle."""

from __future__ import annotations

import itertools
import random

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gas_solver.scene import (
    Attribute,
    Relation,
    Scene,
    SceneAttribute,
    SceneFormatError,
    SceneObject,
    canonical_form,
    canonical_id,
    dumps_scene,
    loads_scene,
    scene_to_dict,
)

CONCEPTS = ["a", "b", "c"]
ATTRS = [Attribute("colour", "red"), Attribute("colour", "blue"), Attribute("size", "big")]
PREDS = ["on", "near"]


@st.composite
def scenes(draw, max_objects=5):
    n = draw(st.integers(1, max_objects))
    objs = []
    for _ in range(n):
        c = draw(st.sampled_from(CONCEPTS))
        attrs = draw(st.sets(st.sampled_from(ATTRS), max_size=2))
        objs.append(SceneObject(c, tuple(attrs)))
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=min(len(pairs), 5))) if pairs else []
    rels = tuple(Relation(i, j, draw(st.sampled_from(PREDS))) for i, j in chosen)
    sattrs = draw(st.sets(st.sampled_from([SceneAttribute("style", "monet"), SceneAttribute("light", "neon")])))
    return Scene(tuple(objs), rels, tuple(sattrs))


def permuted(scene: Scene, perm: list[int]) -> Scene:
    """Object at old index i moves to new index perm[i]."""
    objs = [None] * scene.n_objects
    for old, new in enumerate(perm):
        objs[new] = scene.objects[old]
    rels = tuple(Relation(perm[r.subject], perm[r.object], r.predicate) for r in scene.relations)
    return Scene(tuple(objs), rels, scene.scene_attributes, scene.modality)


def as_graph(scene: Scene) -> nx.DiGraph:
    g = nx.DiGraph()
    for i, o in enumerate(scene.objects):
        g.add_node(i, label=(o.concept, o.attributes))
    for r in scene.relations:
        g.add_edge(r.subject, r.object, label=r.predicate)
    return g


def isomorphic(s: Scene, t: Scene) -> bool:
    if s.scene_attributes != t.scene_attributes or s.modality != t.modality:
        return False
    return nx.is_isomorphic(as_graph(s), as_graph(t), node_match=lambda x, y: x["label"] == y["label"],
                            edge_match=lambda x, y: x["label"] == y["label"])


@settings(max_examples=200, deadline=None)
@given(scenes(), st.randoms(use_true_random=False))
def test_canonical_id_invariant_under_renumbering(scene, rnd):
    perm = list(range(scene.n_objects))
    rnd.shuffle(perm)
    other = permuted(scene, perm)
    assert canonical_id(other) == canonical_id(scene)
    assert canonical_form(other) == canonical_form(scene)


@settings(max_examples=300, deadline=None)
@given(scenes(max_objects=4), scenes(max_objects=4))
def test_canonical_id_equal_iff_isomorphic(s, t):
    assert (canonical_id(s) == canonical_id(t)) == isomorphic(s, t)


def test_regular_graphs_with_ties_are_distinguished():
    # Two 2-regular labelled structures with identical local colours: a 6-cycle vs two 3-cycles.
    a = SceneObject("a")
    six = Scene((a,) * 6, tuple(Relation(i, (i + 1) % 6, "on") for i in range(6)))
    two = Scene((a,) * 6, tuple(Relation(i, (i + 1) % 3, "on") for i in range(3))
                + tuple(Relation(3 + i, 3 + (i + 1) % 3, "on") for i in range(3)))
    assert canonical_id(six) != canonical_id(two)
    assert canonical_id(six) == canonical_id(permuted(six, [3, 4, 5, 0, 1, 2]))


def test_counts_and_complexity():
    s = Scene((SceneObject("a", (Attribute("colour", "red"),)), SceneObject("b")), (Relation(0, 1, "on"),),
              (SceneAttribute("style", "monet"),))
    assert s.shape == (2, 1, 1)
    assert s.complexity == 4


def test_json_round_trip_is_byte_stable():
    s = Scene((SceneObject("b"), SceneObject("a", (Attribute("size", "big"), Attribute("colour", "red")))),
              (Relation(1, 0, "on"),), (SceneAttribute("style", "monet"),), "video")
    line = dumps_scene(s)
    back = loads_scene(line)
    assert canonical_id(back) == canonical_id(s)
    assert dumps_scene(back) == line
    d = scene_to_dict(s)
    assert d["objects"][0]["concept"] == "a"  # canonical order
    assert d["modality"] == "video" and d["complexity"] == 5


@pytest.mark.parametrize("line, fragment", [
    (b"{", "not JSON"),
    (b'{"relations": []}', "missing field 'objects'"),
    (b'{"objects": [{"concept": "a"}], "relations": [{"subject": 0, "object": 0, "predicate": "on"}]}', "self-loop"),
    (b'{"objects": [{"concept": "a"}], "relations": [{"subject": 0, "object": 3, "predicate": "on"}]}', "outside"),
    (b'{"objects": [{"attributes": []}]}', "objects[0]: missing field 'concept'"),
    (b'{"objects": [{"concept": "a"}], "modality": "audio"}', "unknown modality"),
])
def test_malformed_scene_lines(line, fragment):
    with pytest.raises(SceneFormatError, match=None) as err:
        loads_scene(line)
    assert fragment in str(err.value)


def test_brute_force_canonical_form_matches_min_over_all_permutations():
    rnd = random.Random(3)
    for _ in range(50):
        n = rnd.randint(1, 5)
        objs = tuple(SceneObject(rnd.choice("ab"), tuple(rnd.sample(ATTRS[:2], rnd.randint(0, 1)))) for _ in range(n))
        pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
        rels = tuple(Relation(i, j, rnd.choice(PREDS)) for i, j in rnd.sample(pairs, min(len(pairs), rnd.randint(0, 4))))
        s = Scene(objs, rels)
        ids = {canonical_id(permuted(s, list(p))) for p in itertools.permutations(range(n))}
        assert len(ids) == 1
