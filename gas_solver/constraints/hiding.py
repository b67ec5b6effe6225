"""Scene-attribute values that hide attribute values of the objects, and the places a hiding scene keeps to.

A constraint file with ``[semantics] hides = true`` holds no object carrying an attribute value that one of
its scene's attributes hides ("rendered as a marble sculpture": no colour word).  These are plain functions of
a file and its taxonomy, read by the parser (whether the file's space splits), the scene checker, and the
solver's union of parts (``solve/counted.py``), so that all three agree by construction.

>>> from gas_solver.constraints import parse_constraints
>>> from gas_solver.taxonomy import load_taxonomy
>>> tax = load_taxonomy("tests/data/tiny_hides.toml")
>>> spec = parse_constraints('[semantics]\\nhides = true\\n[space]\\nscene_attributes = [0, 2]\\n', tax)
>>> [(t, vs, sorted(h)) for t, vs, h in hiding_groups(spec, tax)]
[('medium', ('charcoal',), [('colour', 'brown'), ('colour', 'red')]), ('tone', ('sepia',), [('colour', 'red')])]
"""

from __future__ import annotations

import hashlib

from .model import FITTING, ConstraintSpec

__all__ = ["allowed_values", "scene_options", "capping_groups", "hiding_groups", "hidden_tag", "keeping_groups",
           "setting_values",
           "placed_types", "place_classes", "universal_settings", "familiar_concepts"]

#: the scene-attribute type whose values carry a setting
LOCATION = "location"


def allowed_values(spec: ConstraintSpec, taxonomy) -> dict[str, tuple[str, ...]]:
    """Attribute values the vocabulary allows, per type (applicability not applied yet)."""
    voc = spec.vocabulary
    out = {}
    for t in sorted(taxonomy.attribute_types):
        if voc.attribute_types is not None and t not in voc.attribute_types:
            continue
        vals = tuple(v.id for v in taxonomy.attribute_types[t].values
                     if (voc.attribute_values is None or (t, v.id) in voc.attribute_values)
                     and (t, v.id) not in voc.denied_attribute_values)
        if vals:
            out[t] = vals
    return out


def scene_options(spec: ConstraintSpec, taxonomy) -> dict[str, tuple[str, ...]]:
    """Scene-attribute values the file allows, per type (a named setting's denied types and values left out)."""
    voc = spec.vocabulary
    setting = None if spec.bounds.setting == FITTING else spec.bounds.setting
    # a setting's denied types (indoors: weather) and values (indoors: "lit by the northern lights") are out of
    # every scene set there
    denied_types = taxonomy.settings[setting].deny if setting in taxonomy.settings else ()
    out = {}
    for st in sorted(taxonomy.scene_attribute_types_for(spec.bounds.modality), key=lambda t: t.id):
        if voc.scene_attribute_types is not None and st.id not in voc.scene_attribute_types:
            continue
        if st.id in denied_types:
            continue
        # with a setting, values that carry another setting ("set in a kitchen" outdoors) are out
        vals = tuple(v.id for v in st.values
                     if (voc.scene_attribute_values is None or (st.id, v.id) in voc.scene_attribute_values)
                     and (st.id, v.id) not in voc.denied_scene_attribute_values
                     and (setting is None or not v.setting or v.setting == setting)
                     and f"{st.id}:{v.id}" not in denied_types)
        if vals:
            out[st.id] = vals
    return out


def hiding_groups(spec: ConstraintSpec, taxonomy) -> list[tuple[str, tuple[str, ...], frozenset]]:
    """The file's scene-attribute values that hide attribute values its objects may carry, as ``(type, value ids,
    hidden (type, value) pairs)`` groups in a fixed order (most hidden first, then type id, then hidden pairs):
    "rendered as a charcoal drawing" hides every colour.  Empty where the file does not ask (``[semantics]
    hides``), allows no such value, no scene attribute, or none of the hidden values."""
    if not (spec.semantic and spec.hides) or (spec.bounds.scene_attributes.hi is not None
                                              and spec.bounds.scene_attributes.hi < 1):
        return []
    carried = {(t, v) for t, vs in allowed_values(spec, taxonomy).items() for v in vs}
    out: dict[tuple[str, frozenset], list[str]] = {}
    for t, values in scene_options(spec, taxonomy).items():
        for v in values:
            hidden = set()
            for h in taxonomy.scene_attribute_value(t, v).hides:  # a type, or "type:value"
                ht, _, hv = h.partition(":")
                hidden |= {(ht, x.id) for x in taxonomy.attribute_types[ht].values if not hv or x.id == hv}
            hidden &= carried
            if hidden:
                out.setdefault((t, frozenset(hidden)), []).append(v)
    # the groups that hide most first: a scene belongs to the first of its groups that hides all the others hide
    return [(t, tuple(vs), h) for (t, h), vs in sorted(out.items(),
                                                      key=lambda kv: (-len(kv[0][1]), kv[0][0], sorted(kv[0][1])))]


def keeping_groups(spec: ConstraintSpec, taxonomy) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """The file's scene-attribute values that keep their scene to a setting (the taxonomy's ``keeps``: "in the
    style of Thomas Cole" shows the open land), as ``(type, value ids, settings)`` groups sorted by type and
    settings (the first: the setting kept without a place; all: the settings of the places it may go with).  Empty
    unless the file matches places and objects (``[space] setting = "fitting"``) and allows a scene attribute.

    >>> from gas_solver.constraints import parse_constraints
    >>> from gas_solver.taxonomy import load_taxonomy
    >>> tax = load_taxonomy("tests/data/tiny_keeps.toml")
    >>> keeping_groups(parse_constraints('[space]\\nsetting = "fitting"\\nscene_attributes = [0, 2]\\n', tax), tax)
    [('style', ('vista',), ('open',)), ('view', ('interior',), ('indoor',)), ('view', ('panorama',), ('open', 'outdoor'))]
    >>> keeping_groups(parse_constraints('[space]\\nscene_attributes = [0, 2]\\n', tax), tax)
    []
    """
    if spec.bounds.setting != FITTING or (spec.bounds.scene_attributes.hi is not None
                                          and spec.bounds.scene_attributes.hi < 1):
        return []
    out: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for t, values in scene_options(spec, taxonomy).items():
        for v in values:
            keeps = tuple(taxonomy.scene_attribute_value(t, v).keeps.split())
            if keeps:
                out.setdefault((t, keeps), []).append(v)
    return [(t, tuple(vs), s) for (t, s), vs in sorted(out.items())]


def capping_groups(spec: ConstraintSpec, taxonomy) -> list[tuple[str, tuple[str, ...], int]]:
    """The file's scene-attribute values that bound their scene's objects (the taxonomy's ``max_objects``: "an
    extreme close-up" frames one thing, "a close-up" two), as ``(type, value ids, most objects)`` groups sorted by
    the bound, then the type.  Empty unless the file matches places and objects (``[space] setting = "fitting"``)
    and allows a scene attribute.

    >>> from gas_solver.constraints import parse_constraints
    >>> from gas_solver.taxonomy import load_taxonomy
    >>> tax = load_taxonomy("tests/data/tiny_caps.toml")
    >>> capping_groups(parse_constraints('[space]\\nsetting = "fitting"\\nscene_attributes = [0, 2]\\n', tax), tax)
    [('view', ('closeup',), 1), ('style', ('vista',), 2)]
    """
    if spec.bounds.setting != FITTING or (spec.bounds.scene_attributes.hi is not None
                                          and spec.bounds.scene_attributes.hi < 1):
        return []
    out: dict[tuple[int, str], list[str]] = {}
    for t, values in scene_options(spec, taxonomy).items():
        for v in values:
            n = taxonomy.scene_attribute_value(t, v).max_objects
            if n:
                out.setdefault((n, t), []).append(v)
    return [(t, tuple(vs), n) for (n, t), vs in sorted(out.items())]


def setting_values(spec: ConstraintSpec, taxonomy) -> frozenset[tuple[str, str]]:
    """``(type, value)`` of every value of the file's placed types that carries a setting of the taxonomy (a
    location "in a kitchen", a genre "portraiture"; not a location without a setting)."""
    return frozenset((t.id, v.id) for t in placed_types(spec, taxonomy) for v in t.values
                     if v.setting in taxonomy.settings)


def hidden_tag(hidden: frozenset) -> str:
    """A short stable name of a set of hidden ``(type, value)`` pairs (part hashes, the checker)."""
    return hashlib.sha256(repr(sorted(hidden)).encode()).hexdigest()[:12]


def placed_types(spec: ConstraintSpec, taxonomy) -> list:
    """The scene-attribute types whose values place the scene: the location, and the types whose values carry a
    setting (the file's vocabulary permitting)."""
    voc = spec.vocabulary
    return [t for t in taxonomy.scene_attribute_types_for(spec.bounds.modality)
            if (t.id == LOCATION or any(v.setting in taxonomy.settings for v in t.values))
            and (t.id == LOCATION or voc.scene_attribute_types is None or t.id in voc.scene_attribute_types)]


def place_classes(placed, taxonomy) -> dict[str, dict[str, list[str]]]:
    """``{setting: {type: value ids}}`` of the placed types' values (a location without a setting: class ``""``,
    where every object fits; a value of another type without a setting is no place)."""
    classes: dict[str, dict[str, list[str]]] = {}
    for st in placed:
        for v in st.values:
            if v.setting in taxonomy.settings or st.id == LOCATION:
                k = v.setting if v.setting in taxonomy.settings else ""
                classes.setdefault(k, {}).setdefault(st.id, []).append(v.id)
    return classes


def universal_settings(classes: dict, concepts, taxonomy) -> list[str]:
    """The settings of ``classes`` that admit every one of ``concepts`` and deny nothing (outdoor; ``""``)."""
    return sorted(k for k in classes if not k or (not taxonomy.settings[k].deny
                                                  and all(taxonomy.setting_fits(k, c) for c in concepts)))


_FAMILIAR: dict = {}


def familiar_concepts(voc, taxonomy) -> tuple[str, ...]:
    """The sorted concepts the vocabulary allows and its familiarity admits."""
    key = (id(taxonomy), repr(voc.objects), voc.familiarity)
    hit = _FAMILIAR.get(key)
    if hit is None or hit[0] is not taxonomy:
        if len(_FAMILIAR) > 16:
            _FAMILIAR.clear()
        allowed = voc.objects.members(taxonomy)
        hit = _FAMILIAR[key] = (taxonomy, tuple(sorted(
            c for c in allowed if taxonomy.has_object(c) and voc.familiar(taxonomy, c))))
    return hit[1]
