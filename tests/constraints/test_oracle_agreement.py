"""The checker as an oracle: on tiny spaces, brute force over every labelled scene filtered by ``violations``
gives exactly the solver's count and enumeration (canonical ids, both backends), for every constraint kind.

The brute force here knows nothing of the constraints: it lists every scene of complexity <= 3 (or less) over the toy
taxonomy (every concept, every attribute value, every predicate, every scene attribute, cycles included)
and keeps those with no violation.
"""

from __future__ import annotations

import itertools

import pytest

from gas_solver.constraints import parse_constraints, violations
from gas_solver.scene import Attribute, Relation, Scene, SceneAttribute, SceneObject, canonical_id



def _all_scenes(tax, modality: str, max_c: int, scene_attributes: bool) -> dict[str, Scene]:
    """Every scene of complexity <= max_c (one per canonical id), with every scene-attribute choice
    (or none, when ``scene_attributes`` is false)."""
    values = [(t.id, v.id) for t in tax.attribute_types.values() for v in t.values]
    attr_sets = [()]
    for k in range(1, max_c):
        for combo in itertools.combinations(values, k):
            if len({t for t, _ in combo}) == k:
                attr_sets.append(tuple(Attribute(t, v) for t, v in combo))
    options = [SceneObject(o.id, a) for o in tax.objects for a in attr_sets]
    stypes = tax.scene_attribute_types_for(modality)
    scene_attr_choices = [()]
    for k in range(1, len(stypes) + 1 if scene_attributes else 1):
        for types in itertools.combinations(stypes, k):
            for vals in itertools.product(*[t.values for t in types]):
                scene_attr_choices.append(tuple(SceneAttribute(t.id, v.id) for t, v in zip(types, vals)))
    preds = sorted(tax.relations)
    out: dict[str, Scene] = {}
    for n in range(1, max_c + 1):
        fitting = [o for o in options if len(o.attributes) <= max_c - n]
        for objs in itertools.combinations_with_replacement(fitting, n):
            budget = max_c - n - sum(len(o.attributes) for o in objs)
            if budget < 0:
                continue
            pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
            for r in range(0, budget + 1):
                for chosen in itertools.combinations(pairs, r):
                    for labels in itertools.product(preds, repeat=r):
                        rels = tuple(Relation(s, o, p) for (s, o), p in zip(chosen, labels))
                        for sa in scene_attr_choices:
                            s = Scene(objs, rels, sa, modality)
                            out.setdefault(canonical_id(s), s)
    return out


_UNIVERSES: dict = {}


def _universe(tax, modality, max_c, scene_attributes):
    key = (modality, max_c, scene_attributes)
    if key not in _UNIVERSES:
        _UNIVERSES[key] = _all_scenes(tax, modality, max_c, scene_attributes)
    return _UNIVERSES[key]


# name: (file, max complexity of the brute force, with scene attributes); the brute force covers the whole space
SPECS = {
    "vocabulary": ('''[space]\ncomplexity = [1, 2]\nscene_attributes = [0, 1]\n[vocabulary]
objects = { include = ["animal", "fruit"], exclude = ["owl"] }\nattribute_types = ["colour", "state"]
scene_attribute_types = ["lighting"]\n[[forbid]]\npattern = "a:mammal -[riding]-> b:mammal"\n''', 2, True),
    "video_scene_attributes": ('''[space]\nmodality = "video"\ncomplexity = 1\nscene_attributes = [1, 2]
[vocabulary]\nobjects = ["dog"]\nscene_attribute_values = { exclude = ["style:monet"] }\n''', 1, True),
    "free_filling_cycles": ('''semantic = false\n[space]\ncomplexity = [3, 3]\nobjects = 2\nacyclic = false
[vocabulary]\nobjects = ["dog", "apple"]\nrelations = ["riding", "next_to"]\n''', 3, False),
    "patterns_and_repeat": ('''[space]\ncomplexity = [2, 3]\nrepeat_objects = false\n[vocabulary]
objects = ["mammal", "vehicle"]\nattribute_values = ["colour:red", "size:big"]
[[require]]\npattern = "a:mammal{colour}"\n[[forbid]]\npattern = "a:* -[next_to]-> b:vehicle"\n''', 3, False),
    "at_least_and_cardinality": ('''[space]\ncomplexity = 3\n[vocabulary]\nobjects = ["animal", "bench"]
attribute_types = ["size"]\n[[require]]\npattern = "a:animal"\nat_least = 2
[[cardinality]]\nkind = "objects"\nobjects = ["bird"]\nat_most = 1
[[cardinality]]\nkind = "distinct_categories"\nat_least = 2\n''', 3, False),
    "degrees_connected": ('''[space]\ncomplexity = 3\nconnected = true\nout_degree = [0, 1]
[vocabulary]\nobjects = ["horse", "sheep", "beach"]\nrelations = ["kind:spatial"]\n''', 3, False),
    "roles_and_attribute_counts": ('''[space]\ncomplexity = 3\nattributes_per_object = [0, 1]\nin_degree = [0, 1]
[vocabulary]\nobjects = ["mammal", "bird", "bench", "apple"]\nsubjects = ["mammal"]\nrelation_objects = { exclude = ["dog"] }
relations = { exclude = ["eating"] }\nattribute_values = { exclude = ["colour:white", "size:small"] }
[[cardinality]]\nkind = "attribute_type"\nattribute_type = "colour"\nat_most = 1
[[cardinality]]\nkind = "distinct_attribute_types"\nat_most = 1\n''', 3, False),
    "counted_objects": ('''[space]\ncomplexity = [2, 3]\n[vocabulary]\nobjects = ["animal", "vehicle", "bench"]
relations = ["kind:spatial"]\n[[count]]\nobjects = ["mammal"]\nn = 2\n[[count]]\nobjects = ["vehicle"]\nn = 1\n''', 3, False),
}


@pytest.mark.parametrize("backend", ["asp", "cpsat"])
@pytest.mark.parametrize("name", sorted(SPECS))
def test_solver_agrees_with_brute_force_over_the_checker(name, backend, toy_taxonomy):
    from gas_solver.solve.count import count_scenes
    from gas_solver.solve.enumerate import enumerate_scenes

    text, max_c, with_scene_attributes = SPECS[name]
    spec = parse_constraints(text, toy_taxonomy)
    assert spec.bounds.complexity.hi <= max_c and (with_scene_attributes or spec.bounds.scene_attributes.hi == 0)
    universe = _universe(toy_taxonomy, spec.bounds.modality, max_c, with_scene_attributes)
    expected = {cid for cid, s in universe.items() if not violations(s, spec, toy_taxonomy)}
    assert expected, "the test space must not be empty"
    assert count_scenes(spec, toy_taxonomy) == len(expected)
    got = [canonical_id(s) for s in enumerate_scenes(spec, toy_taxonomy, backend=backend, limit=None, force=True)]
    assert len(got) == len(set(got)) and set(got) == expected
