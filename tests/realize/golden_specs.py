"""Scene specs of the golden caption table (see golden.py); compact notation:

object  "concept" or "concept|type=value,type=value"
relation "S>O:predicate"  (object indices)
scene   "type=value"
"""

from gas_solver.scene import Attribute, Relation, Scene, SceneAttribute, SceneObject


def build(objects, relations=(), scene=(), modality="image") -> Scene:
    objs = []
    for spec in objects:
        concept, _, attrs = spec.partition("|")
        pairs = [a.split("=") for a in attrs.split(",")] if attrs else []
        objs.append(SceneObject(concept, tuple(Attribute(t, v) for t, v in pairs)))
    rels = []
    for r in relations:
        pair, _, pred = r.partition(":")
        s, o = pair.split(">")
        rels.append(Relation(int(s), int(o), pred))
    sattrs = [SceneAttribute(*a.split("=")) for a in scene]
    return Scene(tuple(objs), tuple(rels), tuple(sattrs), modality)
