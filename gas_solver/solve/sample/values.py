"""Shared attribute, relation and object values of the draws.

Scene parts are frozen values, so equal ones can be one object: a draw looks
them up rather than building a new one per scene (fewer allocations, and rows
that compare by identity first).  The object memo is bounded.
"""

from __future__ import annotations

from ...scene import Attribute, Relation, SceneAttribute, SceneObject

__all__ = ["attribute", "scene_attribute", "scene_object", "relation", "relations_at"]

_ATTRS: dict = {}
_SATTRS: dict = {}
_OBJS: dict = {}
_RELS: dict = {}
#: (subject, object) -> predicate -> Relation: the batches' shared relations, found by one string look-up
_RELS_UV: dict = {}


def attribute(t: str, v: str) -> Attribute:
    a = _ATTRS.get((t, v))
    if a is None:
        a = _ATTRS[(t, v)] = Attribute(t, v)
    return a


def scene_attribute(t: str, v: str) -> SceneAttribute:
    a = _SATTRS.get((t, v))
    if a is None:
        a = _SATTRS[(t, v)] = SceneAttribute(t, v)
    return a


def scene_object(concept: str, attrs: tuple) -> SceneObject:
    key = (concept, attrs)
    o = _OBJS.get(key)
    if o is None:
        if len(_OBJS) > 1_000_000:
            _OBJS.clear()
        o = _OBJS[key] = SceneObject(concept, attrs)
    return o


def relation(s: int, o: int, p: str) -> Relation:
    r = _RELS.get((s, o, p))
    if r is None:
        r = _RELS[(s, o, p)] = Relation(s, o, p)
    return r


def relations_at(s: int, o: int) -> dict:
    """The shared relations ``s -> o`` by predicate: ``relations_at(s, o).get(p) or add_relation(...)``."""
    rels = _RELS_UV.get((s, o))
    if rels is None:
        rels = _RELS_UV[(s, o)] = {}
    return rels


def add_relation(rels_uv: dict, s: int, o: int, p: str) -> Relation:
    r = rels_uv[p] = relation(s, o, p)
    return r
