"""Brute-force oracle for labelled spaces: every labelling of every structure, straight from the taxonomy.

No solver, no Domain: concepts, attribute sets, predicates and scene attributes
come from the taxonomy as listed; H3's independent checker ``violations`` keeps
the scenes of the space; ``canonical_id`` removes isomorphic copies.
"""

from __future__ import annotations

import itertools

from gas_solver.constraints.check import violations
from gas_solver.scene import Attribute, Relation, Scene, SceneAttribute, SceneObject, canonical_id
from gas_solver.solve.structures import structures


def _attribute_sets(tax, k):
    types = sorted(tax.attribute_types)
    for chosen in itertools.combinations(types, k):
        for vals in itertools.product(*[[v.id for v in tax.attribute_types[t].values] for t in chosen]):
            yield tuple(Attribute(t, v) for t, v in zip(chosen, vals))


def _scene_attribute_sets(tax):
    types = sorted(tax.scene_attribute_types)
    for k in range(len(types) + 1):
        for chosen in itertools.combinations(types, k):
            for vals in itertools.product(*[[v.id for v in tax.scene_attribute_types[t].values] for t in chosen]):
                yield tuple(SceneAttribute(t, v) for t, v in zip(chosen, vals))


def brute_force(spec, tax) -> dict[str, Scene]:
    """canonical id -> scene, for every scene of the space."""
    concepts = [o.id for o in tax.objects]
    preds = sorted(tax.relations)
    sattrs = list(_scene_attribute_sets(tax))
    out: dict[str, Scene] = {}
    for s in structures(spec.bounds):
        per_object = [list(_attribute_sets(tax, k)) for k in s.attributes]
        for cs in itertools.product(concepts, repeat=s.n):
            for ats in itertools.product(*per_object):
                objs = tuple(SceneObject(c, a) for c, a in zip(cs, ats))
                for ps in itertools.product(preds, repeat=len(s.edges)):
                    rels = tuple(Relation(u, v, p) for (u, v), p in zip(s.edges, ps))
                    for sa in sattrs:
                        scene = Scene(objs, rels, sa, spec.bounds.modality)
                        if not violations(scene, spec, tax):
                            out.setdefault(canonical_id(scene), scene)
    return out
