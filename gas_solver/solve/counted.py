"""Counted objects (``[[count]]``): n copies of one concept, counted, listed and sampled exactly.

A scene meets ``[[count]] objects = K, n = N`` when the objects whose concept is in ``K`` number ``N`` (or lie
in the range ``N``) and all share one concept: "four buses", or "three copies of one animal".

**Decomposition.**  The shared concept ``c`` is fixed by the scene, so the space is a disjoint union

    space = ⊔_{c ∈ K} space(c),   space(c) = file ∧ #objects of concept c ∈ N ∧ no object in K ∖ {c}

and every ``space(c)`` is an ordinary file: a cardinality of objects (counted inside the dynamic programme,
:mod:`.counters`) and a vocabulary exclusion (a local factor).  Concepts of one class of the grounded file
(:mod:`.domain`: no constraint tells them apart, ``K`` included) are interchangeable: renaming ``c`` to ``c'``
maps ``space(c)`` onto ``space(c')`` one to one, keeping structure, complexity and weight.  Hence

    #space = Σ_{classes κ ⊆ K} |κ| · #space(rep κ)

with one representative ``rep κ`` (its first concept) per class: a handful of ordinary counts.  Several
``[[count]]`` groups (disjoint concept sets) give one part per combination of classes, ``Π |κ_g|`` renamings
each.

**Sampling.**  A part ∝ ``Π|κ_g| · #space(rep)`` (weighted: its weight sum), a scene of the part's file by
the exact sampler, then each representative renamed to a uniform member of its class: every scene of the
union has the same probability (∝ its weight), exactly.  Stratified laws give every part's sampler the shares
that make the mixture's strata come out right (see :class:`~.sample.union.CountedSampler`).  A
``setting = "fitting"`` union draws all its parts in one batch from its first part's tables (exact rejection
per scene: :mod:`.sample.fitting`).

This module states the decomposition; the union is counted in :mod:`.count`, listed in
:mod:`.enumerate` and sampled in :mod:`.sample.union`, each over its own plain method (no module here
imports those, so the solver room has no import cycle).

**Listing.**  Per structure, the scenes of every part, renamed in every way, sorted by canonical id: the
cursor and shard logic of :mod:`.enumerate` works on that list unchanged.

>>> from gas_solver.constraints import parse_constraints
>>> from gas_solver.taxonomy import load_taxonomy
>>> tax = load_taxonomy("tests/data/toy.toml")
>>> spec = parse_constraints('[space]\\nobjects = 2\\ncomplexity = 2\\n'
...                          '[[count]]\\nobjects = ["animal"]\\nn = 2\\n', tax)
>>> from gas_solver.solve.count import count_scenes
>>> count_scenes(spec, tax)         # two dogs, two horses, two owls or two sheep
4
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from fractions import Fraction


from ..constraints.hiding import (LOCATION, capping_groups, hidden_tag, hiding_groups, keeping_groups, place_classes,
                                  placed_types, scene_options, setting_values, universal_settings)
from ..constraints.model import FITTING, CardinalityConstraint, ConceptSet, ConstraintSpec, IntRange
from ..errors import GasError
from ..scene import Scene, SceneObject

__all__ = ["CountedPart", "capped_parts", "counted_parts", "hidden_parts", "hiding_groups", "is_union", "kept_parts",
           "setting_parts",
           "renamed", "scaled"]

def is_union(spec: ConstraintSpec) -> bool:
    """True if the file's space is a disjoint union of ordinary files: ``[[count]]`` groups,
    ``[space] setting = "fitting"`` (every location fits its scene's objects), or scene-attribute values that
    hide an attribute type of its objects (``ConstraintSpec.hidden_split``: no colour word "rendered as a marble
    sculpture")."""
    return bool(spec.counts) or spec.bounds.setting == FITTING or spec.hidden_split


def hidden_parts(parts: list[ConstraintSpec], spec: ConstraintSpec, taxonomy) -> list[ConstraintSpec]:
    """The parts of a file whose scene-attribute values may hide attribute types of its objects.

    A scene holds no hiding value, or its objects carry none of the values its hiding values hide.  With the
    groups ``(T_i, V_i, H_i)`` of :func:`hiding_groups` in order (largest ``H`` first), a scene whose hiding
    values fall in the groups ``S`` belongs to the first ``i`` in ``S`` whose ``H_i`` holds every ``H_j`` of
    ``S``, so the space is the disjoint union

        space = space(no hiding value) ⊔ ⊔_i space(a value of V_i; of the other groups only those j with
                H_j ⊂ H_i, or H_j = H_i and j after i; no attribute value of H_i)

    The first term is ``parts`` (the file's own parts: its setting union, or the file) with every hiding value
    denied; part ``i`` is ``parts[0]`` (the part without a restricting setting) requiring a value of ``T_i``
    (``Bounds.located``, ``Bounds.place_type``) among ``V_i``, the other values as said, and the attribute values
    of ``H_i`` denied: per-object domains, so each part is counted, listed and sampled exactly
    (``tests/solve/test_hidden_attributes.py``: brute force and a property over random rules).  Two hiding
    values neither of which hides all the other hides never meet in one scene (no ``H_i`` holds both), and a
    scene with a hiding value and a location whose setting restricts the objects ("a charcoal drawing set in a
    kitchen") is in no part: hiding values keep to the first part's places.  (The default taxonomy's values all
    hide the same: colour.)
    """
    groups = hiding_groups(spec, taxonomy)
    plain = [dataclasses.replace(p, hidden_split=False) for p in parts]
    if not groups:
        return plain
    every = {(t, v) for t, vs, _ in groups for v in vs}
    out = [dataclasses.replace(p, vocabulary=dataclasses.replace(
        p.vocabulary, denied_scene_attribute_values=p.vocabulary.denied_scene_attribute_values | every))
        for p in plain]
    first = plain[0]
    options = scene_options(first, taxonomy)
    for i, (t, values, hidden) in enumerate(groups):
        # the part's value of t is one of V_i; another group's values stay where they hide less, or the same
        # and come later
        allowed = set((t, v) for v in values) | {(u, v) for j, (u, vs, h) in enumerate(groups)
                                                  if u != t and (h < hidden or h == hidden and j > i) for v in vs}
        others = {(t, v) for v in options.get(t, ()) if v not in values}
        voc = first.vocabulary
        out.append(dataclasses.replace(
            first, bounds=dataclasses.replace(first.bounds, located=True, place_type=t),
            vocabulary=dataclasses.replace(
                voc, denied_scene_attribute_values=voc.denied_scene_attribute_values | (every - allowed) | others,
                denied_attribute_values=voc.denied_attribute_values | hidden),
            hash=f"{first.hash}|hides:{t}:{hidden_tag(hidden)}"))
    return out

def kept_parts(parts: list[ConstraintSpec], spec: ConstraintSpec, taxonomy) -> list[ConstraintSpec]:
    """The parts of a ``setting = "fitting"`` file whose scene-attribute values may keep their scene to a setting.

    A value that keeps settings ``S = (s_0, ...)`` (the taxonomy's ``keeps``: "in the style of Thomas Cole", the open
    land) goes with no value that hides an attribute of the file's objects, and either with a value that carries a
    setting of ``S`` which restricts the file's objects (a place part of the union: "set in a valley", its objects
    fit its setting), or with no value that carries a setting, objects that fit ``s_0`` and no scene attribute that
    ``s_0`` denies.  With the groups ``(T_j, V_j, S_j)`` of :func:`keeping_groups`, the space is the disjoint union

        space = ⊔_p space(part p; the keeping values whose S holds p's setting) ⊔ ⊔_j space(a value of V_j; of the
                other groups only those k > j with S_k[0] = S_j[0]; objects that fit S_j[0]; no value carrying a
                setting, no hiding value)

    The first term is ``parts`` (the file's setting union and hiding parts: a part's setting is that of its place
    values, none for the first part and the hiding parts), each denying the keeping values whose settings do not
    hold its own; part ``j`` is ``parts[0]`` (the part without a restricting setting, its hiding values denied)
    with ``S_j[0]`` as its setting (``Bounds.setting``: a domain of the objects, as for a file that names the
    setting), a value of ``T_j`` among ``V_j`` required (``Bounds.located``, ``Bounds.place_type``) and the other
    values as said: each part is counted, listed and sampled exactly (``tests/solve/test_kept_settings.py``: brute
    force and a property).
    """
    groups = keeping_groups(spec, taxonomy)
    if not groups:
        return parts
    every = {(t, v) for t, vs, _ in groups for v in vs}
    out = []
    for p in parts:
        held = p.bounds.setting
        deny = {(t, v) for t, vs, ss in groups if held is None or held not in ss for v in vs}
        out.append(dataclasses.replace(p, vocabulary=dataclasses.replace(
            p.vocabulary, denied_scene_attribute_values=p.vocabulary.denied_scene_attribute_values | deny)))
    first = parts[0]
    options = scene_options(first, taxonomy)
    placed = setting_values(spec, taxonomy)
    for j, (t, values, settings) in enumerate(groups):
        setting = settings[0]
        allowed = {(t, v) for v in values} | {(u, v) for k, (u, vs, s) in enumerate(groups)
                                             if k > j and u != t and s[0] == setting for v in vs}
        others = {(t, v) for v in options.get(t, ()) if v not in values}
        voc = first.vocabulary
        out.append(dataclasses.replace(
            first, bounds=dataclasses.replace(first.bounds, setting=setting, located=True, place_type=t),
            vocabulary=dataclasses.replace(
                voc, denied_scene_attribute_values=voc.denied_scene_attribute_values | (every - allowed) | others
                | placed),
            hash=f"{first.hash}|keeps:{t}:{setting}"))
    return out


def capped_parts(parts: list[ConstraintSpec], spec: ConstraintSpec, taxonomy) -> list[ConstraintSpec]:
    """The parts of a ``setting = "fitting"`` file whose scene-attribute values may bound the number of objects.

    A value with ``max_objects = N`` (the taxonomy's: "an extreme close-up" frames one thing, "a close-up" two)
    holds at most ``N`` objects in its scene.  With the groups ``(T_i, V_i, N_i)`` of :func:`capping_groups` (sorted
    by ``N``), a scene of a part ``p`` that holds values of the groups ``S`` belongs to the first ``i`` of ``S``: the
    one with the fewest objects, which every other group of ``S`` then admits.  So each part splits:

        space(p) = space(p; no value of a group) ⊔ ⊔_i space(p; a value of V_i; none of V_j, j < i; ≤ N_i objects)

    over the groups whose values ``p`` allows and whose bound is below ``p``'s own.  Part ``i`` requires a value of
    ``T_i`` (``Bounds.required_scene_types``, the other values of ``T_i`` denied) and bounds its objects
    (``Bounds.objects``): an ordinary file, counted, listed and sampled exactly (``tests/solve/test_capped_objects.py``:
    brute force and a property).  The first term is left out where ``p`` requires a type all of whose values it
    allows are bounded (a part of "macro photography" alone), and part ``i`` where ``p`` needs more objects.
    """
    groups = capping_groups(spec, taxonomy)
    if not groups:
        return parts
    out = []
    for p in parts:
        b = p.bounds
        options = scene_options(p, taxonomy)
        live = [(t, tuple(v for v in vs if v in options.get(t, ())), n) for t, vs, n in groups
                if (b.objects.hi is None or b.objects.hi > n) and any(v in options.get(t, ()) for v in vs)]
        if not live:
            out.append(p)
            continue
        every = {(t, v) for t, vs, _ in live for v in vs}
        required = b.required_scene_types | ({b.place_type} if b.located else set())
        voc = p.vocabulary
        if not any(all((t, v) in every for v in options.get(t, ())) for t in required):
            out.append(dataclasses.replace(p, vocabulary=dataclasses.replace(
                voc, denied_scene_attribute_values=voc.denied_scene_attribute_values | every),
                hash=f"{p.hash}|uncapped"))
        for i, (t, values, n) in enumerate(live):
            if b.objects.lo > n:
                continue
            earlier = {(u, v) for u, vs, _ in live[:i] for v in vs}
            others = {(t, v) for v in options[t] if v not in values}
            if any(all((u, v) in earlier | others for v in options.get(u, ())) for u in required):
                continue  # a type the part requires has no value left: no scene
            out.append(dataclasses.replace(
                p, bounds=dataclasses.replace(b, objects=IntRange(b.objects.lo, n),
                                              required_scene_types=b.required_scene_types | {t}),
                vocabulary=dataclasses.replace(
                    voc, denied_scene_attribute_values=voc.denied_scene_attribute_values | earlier | others),
                hash=f"{p.hash}|caps:{t}:{n}"))
    return out


_MASK64 = (1 << 64) - 1


@dataclasses.dataclass(frozen=True)
class CountedPart:
    """One term of the union: an ordinary file and, per ``[[count]]`` group, its representative and class."""

    spec: ConstraintSpec
    #: per group: (representative concept, every concept of its class, sorted)
    renames: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def ways(self) -> int:
        """How many scenes each scene of :attr:`spec` stands for (``Π |class|``)."""
        out = 1
        for _, members in self.renames:
            out *= len(members)
        return out


_PARTS: dict = {}


def counted_parts(spec: ConstraintSpec, taxonomy) -> tuple[CountedPart, ...]:
    """The parts of the union for a file with ``[[count]]`` groups (memoised per spec and taxonomy)."""
    key = (id(spec), id(taxonomy))
    hit = _PARTS.get(key)
    if hit is not None and hit[0] is spec and hit[1] is taxonomy:
        return hit[2]
    from .domain import ground

    if not is_union(spec):
        raise GasError("internal: counted_parts needs a file with [[count]] groups or setting = \"fitting\"")
    if spec.bounds.setting == FITTING or spec.hidden_split:
        subs = setting_parts(spec, taxonomy) if spec.bounds.setting == FITTING else [spec]
        if spec.hidden_split:
            subs = hidden_parts(subs, spec, taxonomy)
        subs = capped_parts(kept_parts(subs, spec, taxonomy), spec, taxonomy)
        out = tuple(p for sub in subs
                    for p in (counted_parts(sub, taxonomy) if sub.counts else (CountedPart(sub, ()),)))
        _PARTS[key] = (spec, taxonomy, out)
        return out
    domain = ground(spec, taxonomy)  # its classes tell every group's concepts apart from the rest
    per_group = []
    for co in spec.counts:
        members = co.concepts.members(taxonomy)
        classes = [k for k in domain.classes if k.concepts[0] in members]
        per_group.append([(k.concepts[0], tuple(sorted(k.concepts))) for k in classes])
    base = dataclasses.replace(spec, counts=())
    parts = []
    for combo in itertools.product(*per_group):
        excluded = set()
        cards = list(base.cardinalities)
        for co, (rep, _) in zip(spec.counts, combo):
            excluded |= co.concepts.members(taxonomy) - {rep}
            cards.append(CardinalityConstraint("objects", co.n, co.origin, ConceptSet(concepts=frozenset({rep}))))
        voc = base.vocabulary
        objects = dataclasses.replace(voc.objects, exclude_concepts=voc.objects.exclude_concepts | excluded)
        sub = dataclasses.replace(base, vocabulary=dataclasses.replace(voc, objects=objects),
                                  cardinalities=tuple(cards), origins=dict(base.origins),
                                  hash=f"{spec.hash}|{'|'.join(r for r, _ in combo)}")
        parts.append(CountedPart(sub, tuple(combo)))
    out = tuple(parts)
    _PARTS[key] = (spec, taxonomy, out)
    while len(_PARTS) > 8:
        _PARTS.pop(next(iter(_PARTS)))
    return out


def setting_parts(spec: ConstraintSpec, taxonomy) -> list[ConstraintSpec]:
    """The ordinary files whose disjoint union is a ``setting = "fitting"`` file.

    A scene has no value that carries a setting, or one such value whose setting ``s`` admits all its objects:
    a location ("set in a kitchen": home), or a value of another type that says what the picture shows ("in
    the genre of still life": no people or animals; "portraiture": people only).  So

        space = space(no such value) ⊔ ⊔_(s, T) space(a value of type T with setting s, objects that fit s)

    (locations without a setting form one more class, where every object fits).  The types whose values carry
    settings share an exclusive group (``place``), so a scene holds at most one such value and the parts are
    disjoint; a file that lets two of them meet (``scene_attributes = "any"``) is refused.  The settings that
    admit every concept of the file (outdoor) have the graphs of the scenes without such a value: the first
    part holds those scenes and their values (optional, the other values denied).  The part of any other
    setting ``s`` and type ``T`` requires a value of ``T`` (``Bounds.located``, ``Bounds.place_type``), keeps
    only ``T``'s values of ``s``, and only the objects that fit ``s`` (``Bounds.setting``: a domain, as for a
    file that names the setting).  Each part is counted, listed and sampled exactly; its number of scenes is
    (number of values of ``s`` in ``T``) × (graphs over the objects that fit ``s``) × (the other scene
    attributes).
    """
    voc = spec.vocabulary
    placed = placed_types(spec, taxonomy)
    if not placed:
        return [dataclasses.replace(spec, bounds=dataclasses.replace(spec.bounds, setting=None))]
    _check_placed_exclusive(spec, placed)
    from .domain import ground

    classes = place_classes(placed, taxonomy)
    every = {(t, v) for k in classes.values() for t, vs in k.items() for v in vs}
    denied = voc.denied_scene_attribute_values
    # settings that admit every concept of the file (outdoor; locations without a setting) share the graphs of
    # the scenes without location: one part holds them all, its location optional (fewer parts to sample from)
    loose = dataclasses.replace(spec, bounds=dataclasses.replace(spec.bounds, setting=None))
    universal = universal_settings(classes, ground(loose, taxonomy).concepts, taxonomy)
    # the first part's concept classes keep the concepts that fit a setting apart from those that do not, so
    # that the union's draws read an object's fit from its label (sample/fitting.py); counts are unchanged
    refine = tuple(sorted(set(classes) - set(universal)))
    kept = {(t, v) for k in universal for t, vs in classes[k].items() for v in vs}
    first_voc = dataclasses.replace(voc, denied_scene_attribute_values=denied | (every - kept))
    first = dataclasses.replace(loose, bounds=dataclasses.replace(loose.bounds, fit_classes=refine),
                                vocabulary=first_voc,
                                hash=f"{spec.hash}|location:{'+'.join(universal) or 'none'}")
    parts = [first]
    order = {t.id: (t.id != LOCATION, t.id) for t in placed}  # the location's part first (its hash as before)
    for setting in sorted(set(classes) - set(universal)):
        for t in sorted(classes[setting], key=order.__getitem__):
            others = every - {(t, v) for v in classes[setting][t]}
            bounds = dataclasses.replace(spec.bounds, setting=setting or None, located=True, place_type=t)
            tag = "location" if t == LOCATION else t
            parts.append(dataclasses.replace(spec, bounds=bounds,
                                             vocabulary=dataclasses.replace(voc, denied_scene_attribute_values=denied
                                                                            | others),
                                             hash=f"{spec.hash}|{tag}:{setting or '-'}"))
    return parts


def _check_placed_exclusive(spec: ConstraintSpec, placed) -> None:
    """Refuse a fitting file where two types whose values carry settings may meet in one scene (their objects
    would have to fit two settings at once, which no part of the union states)."""
    if len(placed) < 2:
        return
    groups = {t.id: set(t.group.split()) if spec.compatible_scene_attributes else set() for t in placed}
    for i, a in enumerate(placed):
        for b in placed[i + 1:]:
            if not groups[a.id] & groups[b.id]:
                raise GasError(f'setting = "fitting": scene-attribute types {a.id!r} and {b.id!r} both carry '
                               f"settings and may meet in one scene; keep scene_attributes = \"compatible\" "
                               f"(they share an exclusive group) or leave one of them out of "
                               f"vocabulary.scene_attribute_types")


def renamed(scene: Scene, names: dict) -> Scene:
    """``scene`` with concepts renamed by ``names`` (the others kept)."""
    objs = tuple(SceneObject(names.get(o.concept, o.concept), o.attributes) for o in scene.objects)
    return Scene(objs, scene.relations, scene.scene_attributes, scene.modality)


def scaled(values) -> list[int]:
    """Integers proportional to non-negative rationals (exactly)."""
    fr = [Fraction(v) for v in values]
    d = math.lcm(*[f.denominator for f in fr]) if fr else 1
    return [int(f * d) for f in fr]


