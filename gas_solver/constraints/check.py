"""An independent, deliberately simple checker of one scene against a constraint spec.

This is the oracle of the solver's property tests (every enumerated or sampled
scene must pass it), so it is written from the semantics below, by brute force,
and shares no code with :mod:`gas_solver.solve`.

Semantics of each hard constraint (a scene is *in the space* iff all hold):

* **scene rules** (``DESIGN.md`` §2): relations join two different existing
  objects, at most one relation per ordered pair, at most one attribute of each
  type per object, at most one scene attribute per type, and every id exists in
  the taxonomy.
* **bounds** (``[space]``): #objects, #attributes, #relations, complexity
  (their sum) and #scene attributes in their ranges; every object's attribute
  count, out-degree and in-degree in theirs; ``acyclic``: the directed relation
  graph has no directed cycle; ``connected``: the relation graph, read
  undirected, joins all objects (one object is connected); ``repeat_objects =
  false``: no two objects share a concept; ``modality``: the scene's modality.
* **vocabulary**: every object's concept is in ``objects``; every relation's
  subject in ``subjects`` and object in ``relation_objects``; every attribute's
  type and (type, value) allowed and not denied; every predicate allowed; every
  scene attribute's type exists for the modality and is allowed, and its value
  allowed and not denied.
* **semantic** (when ``semantic = true``): every attribute applies to its
  object (``Taxonomy.attribute_fits``: its category, and no shape for a mass noun), every relation's domains
  admit its subject's and object's categories (``Taxonomy.relation_allows``); with ``exclusions`` no object
  holds two values that an attribute exclusion of the taxonomy pairs (``Taxonomy.attributes_exclude``).
* **patterns**: ``require`` holds iff the scene has at least ``at_least``
  matches; ``forbid`` iff it has none.  A match is an *injective* map from the
  pattern's variables to objects (see :func:`pattern_matches`), so
  ``a:dog, b:dog`` has 2 matches in a scene with two dogs (both orders).
* **cardinality**: ``objects`` counts objects whose concept is in the set;
  ``distinct_categories`` counts the listed categories (is-a closed) that some
  object falls under, or, with no list, the distinct categories of the objects;
  ``attribute_type`` counts attributes of that type; ``distinct_attribute_types``
  counts the distinct attribute types used.  The count must lie in the range.

Raw ASP rules are **not** checked here (that would need clingo, i.e. solver code).
"""

from __future__ import annotations

import itertools
from fractions import Fraction

from ..scene import Scene
from ..taxonomy.model import Taxonomy
from .hiding import (capping_groups, familiar_concepts, hiding_groups, keeping_groups, place_classes, placed_types,
                     universal_settings)
from .model import FITTING, ConceptSet, ConstraintSpec, IntRange, Origin, Pattern

__all__ = ["violations", "pattern_matches", "scene_weight"]


def _members(cs: ConceptSet, taxonomy: Taxonomy, cache: dict) -> frozenset[str]:
    hit = cache.get(cs)
    if hit is None:
        hit = cache[cs] = cs.members(taxonomy)
    return hit


def _node_ok(scene: Scene, i: int, node, allowed: frozenset[str]) -> bool:
    obj = scene.objects[i]
    if obj.concept not in allowed:
        return False
    have = {a.type: a.value for a in obj.attributes}
    for cond in node.attributes:
        if cond.type not in have:
            return False
        if cond.values is not None and have[cond.type] not in cond.values:
            return False
    return True


def pattern_matches(scene: Scene, pattern: Pattern, taxonomy: Taxonomy, *, _cache: dict | None = None) -> int:
    """Number of injective matches of ``pattern`` in ``scene``.

    A match maps each pattern variable to a distinct object such that the
    object's concept is in the node's concept set, the object has each
    attribute condition (type, and value among the listed ones if any), and for
    every edge ``x -[P]-> y`` the scene has a relation from ``x``'s object to
    ``y``'s object whose predicate is in ``P`` (any predicate if ``P`` is ``*``).
    Brute force over all injective maps.

    Examples
    --------
    >>> from gas_solver.taxonomy import load_taxonomy
    >>> from gas_solver.scene import Scene, SceneObject, Relation
    >>> from gas_solver.constraints.pattern import parse_pattern
    >>> tax = load_taxonomy("tests/data/toy.toml")
    >>> s = Scene((SceneObject("dog"), SceneObject("horse")), (Relation(0, 1, "riding"),))
    >>> pattern_matches(s, parse_pattern("a:animal -[riding]-> b:mammal", tax), tax)
    1
    >>> pattern_matches(s, parse_pattern("a:mammal, b:mammal", tax), tax)
    2
    """
    cache = {} if _cache is None else _cache
    n = len(scene.objects)
    k = len(pattern.nodes)
    if k > n:
        return 0
    index = {node.var: j for j, node in enumerate(pattern.nodes)}
    candidates = [
        {i for i in range(n) if _node_ok(scene, i, node, _members(node.concepts, taxonomy, cache))}
        for node in pattern.nodes
    ]
    rel = {(r.subject, r.object): r.predicate for r in scene.relations}
    count = 0
    for image in itertools.permutations(range(n), k):
        if any(image[j] not in candidates[j] for j in range(k)):
            continue
        ok = True
        for e in pattern.edges:
            pred = rel.get((image[index[e.subject]], image[index[e.object]]))
            if pred is None or (e.predicates is not None and pred not in e.predicates):
                ok = False
                break
        if ok:
            count += 1
    return count


def scene_weight(scene: Scene, spec: ConstraintSpec, taxonomy: Taxonomy) -> Fraction:
    """Product over soft rules of ``weight ** matches`` (each match counts once).

    Examples
    --------
    >>> from gas_solver.taxonomy import load_taxonomy
    >>> from gas_solver.scene import Scene, SceneObject
    >>> from gas_solver.constraints import parse_constraints
    >>> tax = load_taxonomy("tests/data/toy.toml")
    >>> spec = parse_constraints('[[soft]]\\npattern = "a:mammal"\\nweight = 1.5\\n', tax)
    >>> scene_weight(Scene((SceneObject("dog"), SceneObject("horse"))), spec, tax)
    Fraction(9, 4)
    """
    w = Fraction(1)
    cache: dict = {}
    for s in spec.soft:
        w *= s.weight ** pattern_matches(scene, s.pattern, taxonomy, _cache=cache)
    return w


def _check_hidden(scene: Scene, spec: ConstraintSpec, taxonomy, bad) -> None:
    """A scene with a scene-attribute value that hides an attribute type (a charcoal drawing: colour) has no
    object carrying that type, and, in a ``setting = "fitting"`` file, only places whose setting admits every
    object of the file (the places of the union's first part: ``solve/counted.py`` ``hidden_parts``)."""
    held = {(a.type, a.value) for a in scene.scene_attributes}
    present = [(t, [v for v in values if (t, v) in held], hidden) for t, values, hidden in hiding_groups(spec, taxonomy)
               if any((t, v) in held for v in values)]
    if not present:
        return
    at = spec.origins.get("semantics.hides") or Origin(spec.path, None, None, "semantics.hides")
    # the scene's part: the first of its groups that hides all its other groups hide (counted.hidden_parts)
    t, here, hidden = next((g for g in present if all(h <= g[2] for _, _, h in present)), (None, None, None))
    if t is None:
        bad(Origin(at.path, at.line, at.column, at.key, "two scene attributes that hide different attributes"))
        return
    for o in scene.objects:
        for a in o.attributes:
            if (a.type, a.value) in hidden:
                bad(Origin(at.path, at.line, at.column, at.key, f"{t} {here[0]} shows no {a.type}"))
    if spec.bounds.setting == FITTING:
        classes = place_classes(placed_types(spec, taxonomy), taxonomy)
        kept = {(pt, v) for k in universal_settings(classes, familiar_concepts(spec.vocabulary, taxonomy), taxonomy)
                for pt, vs in classes[k].items() for v in vs}
        every = {(pt, v) for k in classes.values() for pt, vs in k.items() for v in vs}
        if held & (every - kept):
            bad(_default_origin(spec, "space.setting", f"{t} {here[0]} keeps to places of every object"))


def _check_kept(scene: Scene, spec: ConstraintSpec, taxonomy, bad) -> None:
    """In a ``setting = "fitting"`` file, a scene with values that keep settings (``keeps``: "in the style of Thomas
    Cole", the open land) holds no value that hides an attribute of the file's objects, and either a value that
    carries a setting listed by every one of them and restricting the file's objects (its objects fit it: the
    fitting rule), or no value that carries a setting, only objects that fit their first setting (one for all) and
    no scene attribute that setting denies (``solve/counted.py`` ``kept_parts``)."""
    keeping = {(t, v): s for t, vs, s in keeping_groups(spec, taxonomy) for v in vs}
    held = [(a.type, a.value) for a in scene.scene_attributes]
    kept = [keeping[h] for h in held if h in keeping]
    if not kept:
        return
    at = spec.origins.get("space.setting") or Origin(spec.path, None, None, "space.setting")
    where = Origin(at.path, at.line, at.column, at.key, f"a value that keeps to {'/'.join(kept[0])}")
    hiding = {(t, v) for t, vs, _ in hiding_groups(spec, taxonomy) for v in vs}
    if any(h in hiding for h in held):
        bad(where)
        return
    places = {taxonomy.scene_attribute_value(t, v).setting for t, v in held} & set(taxonomy.settings)
    if places:
        universal = universal_settings(place_classes(placed_types(spec, taxonomy), taxonomy),
                                       familiar_concepts(spec.vocabulary, taxonomy), taxonomy)
        if any(s in universal or any(s not in ss for ss in kept) for s in places):
            bad(where)
        return
    firsts = {ss[0] for ss in kept}
    setting = firsts.pop()
    if firsts or any(not taxonomy.setting_fits(setting, o.concept) for o in scene.objects) \
            or any(taxonomy.setting_denies(setting, t, v) for t, v in held):
        bad(where)


def _check_capped(scene: Scene, spec: ConstraintSpec, taxonomy, bad) -> None:
    """In a ``setting = "fitting"`` file, a scene with a value that bounds its objects (``max_objects``: "an extreme
    close-up", one thing) holds no more objects than the least such bound (``solve/counted.py`` ``capped_parts``)."""
    held = {(a.type, a.value) for a in scene.scene_attributes}
    bounds = [(n, t, v) for t, vs, n in capping_groups(spec, taxonomy) for v in vs if (t, v) in held]
    if bounds and len(scene.objects) > min(bounds)[0]:
        n, t, v = min(bounds)
        at = spec.origins.get("space.setting") or Origin(spec.path, None, None, "space.setting")
        bad(Origin(at.path, at.line, at.column, at.key, f"{t} {v} holds at most {n} object{'s' * (n > 1)}"))


def _default_origin(spec: ConstraintSpec, key: str, what: str) -> Origin:
    return spec.origins.get(key) or Origin(spec.path, None, None, key, what)


def _has_cycle(n: int, edges: list[tuple[int, int]]) -> bool:
    """Directed cycle check by repeatedly removing sources (Kahn)."""
    indeg = [0] * n
    out: list[list[int]] = [[] for _ in range(n)]
    for s, o in edges:
        out[s].append(o)
        indeg[o] += 1
    stack = [i for i in range(n) if indeg[i] == 0]
    seen = 0
    while stack:
        v = stack.pop()
        seen += 1
        for w in out[v]:
            indeg[w] -= 1
            if indeg[w] == 0:
                stack.append(w)
    return seen < n


def _connected(n: int, edges: list[tuple[int, int]]) -> bool:
    if n <= 1:
        return True
    adj: list[set[int]] = [set() for _ in range(n)]
    for s, o in edges:
        adj[s].add(o)
        adj[o].add(s)
    seen = {0}
    stack = [0]
    while stack:
        for w in adj[stack.pop()]:
            if w not in seen:
                seen.add(w)
                stack.append(w)
    return len(seen) == n


def _range_text(r: IntRange) -> str:
    return f"{r.lo}..{'' if r.hi is None else r.hi}"


def violations(scene: Scene, spec: ConstraintSpec, taxonomy: Taxonomy) -> list[Origin]:
    """Every hard constraint of ``spec`` that ``scene`` breaks, as :class:`Origin`\\ s.

    Empty list = the scene is in the space of the spec (raw ASP rules aside: they
    are not checked).  Constraints the file leaves at their defaults are reported
    with an Origin of no line (``key`` names the setting, e.g. ``"space.acyclic"``);
    breaches of the scene rules themselves carry ``key = "scene"``.  Each
    constraint appears at most once, in a fixed order.

    Examples
    --------
    >>> from gas_solver.taxonomy import load_taxonomy
    >>> from gas_solver.scene import Scene, SceneObject, Attribute
    >>> from gas_solver.constraints import parse_constraints
    >>> tax = load_taxonomy("tests/data/toy.toml")
    >>> spec = parse_constraints('[space]\\ncomplexity = [1, 3]\\n', tax)
    >>> violations(Scene((SceneObject("dog", (Attribute("colour", "red"),)),)), spec, tax)
    []
    >>> [o.key for o in violations(Scene((SceneObject("dog", (Attribute("material", "metal"),)),)), spec, tax)]
    ['semantic']
    """
    out: list[Origin] = []
    seen: set = set()

    def bad(origin: Origin) -> None:
        if origin not in seen:
            seen.add(origin)
            out.append(origin)

    def rule(what: str) -> None:
        bad(Origin(spec.path, None, None, "scene", what))

    b = spec.bounds
    v = spec.vocabulary
    cache: dict = {}
    n = len(scene.objects)

    # -- scene rules and taxonomy ids -----------------------------------------
    for i, o in enumerate(scene.objects):
        if not taxonomy.has_object(o.concept):
            rule(f"object {i}: concept '{o.concept}' is not in the taxonomy")
        types = [a.type for a in o.attributes]
        if len(types) != len(set(types)):
            rule(f"object {i}: two attributes of the same type")
        for a in o.attributes:
            if a.type not in taxonomy.attribute_types or a.value not in {
                    x.id for x in taxonomy.attribute_types[a.type].values}:
                rule(f"object {i}: attribute {a.type}={a.value} is not in the taxonomy")
    pairs = set()
    for r in scene.relations:
        if not (0 <= r.subject < n and 0 <= r.object < n) or r.subject == r.object:
            rule(f"relation {r.subject}->{r.object} does not join two different objects")
        if (r.subject, r.object) in pairs:
            rule(f"two relations from {r.subject} to {r.object}")
        pairs.add((r.subject, r.object))
        if r.predicate not in taxonomy.relations:
            rule(f"predicate '{r.predicate}' is not in the taxonomy")
    stypes = [a.type for a in scene.scene_attributes]
    if len(stypes) != len(set(stypes)):
        rule("two scene attributes of the same type")
    for a in scene.scene_attributes:
        if a.type not in taxonomy.scene_attribute_types or a.value not in {
                x.id for x in taxonomy.scene_attribute_types[a.type].values}:
            rule(f"scene attribute {a.type}={a.value} is not in the taxonomy")
    if out:
        return out  # the remaining checks assume well-formed ids and indices
    category = [taxonomy.object(o.concept).category for o in scene.objects]
    edges = [(r.subject, r.object) for r in scene.relations]

    # -- bounds -----------------------------------------------------------------
    counts = {"complexity": scene.complexity, "objects": n, "attributes": scene.n_attributes,
              "relations": scene.n_relations, "scene_attributes": len(scene.scene_attributes)}
    for key, value in counts.items():
        rng = getattr(b, key)
        if value not in rng:
            bad(_default_origin(spec, f"space.{key}", f"default {_range_text(rng)}"))
    if not b.required_scene_types <= set(stypes):
        bad(_default_origin(spec, "space.required_scene_attribute_types", "required scene-attribute types"))
    outdeg = [0] * n
    indeg = [0] * n
    for s, o in edges:
        outdeg[s] += 1
        indeg[o] += 1
    for i, o in enumerate(scene.objects):
        if len(o.attributes) not in b.attributes_per_object:
            bad(_default_origin(spec, "space.attributes_per_object", _range_text(b.attributes_per_object)))
        if outdeg[i] not in b.out_degree:
            bad(_default_origin(spec, "space.out_degree", _range_text(b.out_degree)))
        if indeg[i] not in b.in_degree:
            bad(_default_origin(spec, "space.in_degree", _range_text(b.in_degree)))
    if b.acyclic and _has_cycle(n, edges):
        bad(_default_origin(spec, "space.acyclic", "default true"))
    if b.connected and not _connected(n, edges):
        bad(_default_origin(spec, "space.connected", "true"))
    if not b.repeat_objects and len({o.concept for o in scene.objects}) < n:
        bad(_default_origin(spec, "space.repeat_objects", "false"))
    if scene.modality != b.modality:
        bad(_default_origin(spec, "space.modality", f"default {b.modality}"))

    # -- vocabulary ---------------------------------------------------------------
    allowed_objects = _members(v.objects, taxonomy, cache)
    if any(o.concept not in allowed_objects for o in scene.objects):
        bad(_default_origin(spec, "vocabulary.objects", ""))
    if v.familiarity is not None and any(not v.familiar(taxonomy, o.concept) for o in scene.objects):
        bad(_default_origin(spec, "vocabulary.familiarity", str(v.familiarity)))
    if b.setting == FITTING:
        # every location's setting admits every object of its scene (a location without a setting fits all)
        for a in scene.scene_attributes:
            value = taxonomy.scene_attribute_value(a.type, a.value) if a.type in taxonomy.scene_attribute_types \
                else None
            if value is not None and value.setting in taxonomy.settings and (any(
                    not taxonomy.setting_fits(value.setting, o.concept) for o in scene.objects)
                    or any(taxonomy.setting_denies(value.setting, x.type, x.value) for x in scene.scene_attributes)):
                bad(_default_origin(spec, "space.setting", b.setting))
        _check_kept(scene, spec, taxonomy, bad)
        _check_capped(scene, spec, taxonomy, bad)
    elif b.setting is not None:
        if any(not taxonomy.setting_fits(b.setting, o.concept) for o in scene.objects):
            bad(_default_origin(spec, "space.setting", b.setting))
        if b.setting in taxonomy.settings and any(taxonomy.setting_denies(b.setting, a.type, a.value)
                                                  for a in scene.scene_attributes):
            bad(_default_origin(spec, "space.setting", b.setting))
        for a in scene.scene_attributes:
            value = taxonomy.scene_attribute_value(a.type, a.value) if a.type in taxonomy.scene_attribute_types \
                else None
            if value is not None and value.setting and value.setting != b.setting:
                bad(_default_origin(spec, "space.setting", b.setting))
    if spec.hidden_split:
        _check_hidden(scene, spec, taxonomy, bad)
    subjects = _members(v.subjects, taxonomy, cache)
    targets = _members(v.relation_objects, taxonomy, cache)
    for r in scene.relations:
        if scene.objects[r.subject].concept not in subjects:
            bad(_default_origin(spec, "vocabulary.subjects", ""))
        if scene.objects[r.object].concept not in targets:
            bad(_default_origin(spec, "vocabulary.relation_objects", ""))
        if v.predicates is not None and r.predicate not in v.predicates:
            bad(spec.origins.get("vocabulary.relations") or _default_origin(spec, "vocabulary.relation_tier", ""))
    for o in scene.objects:
        for a in o.attributes:
            if v.attribute_types is not None and a.type not in v.attribute_types:
                bad(spec.origins.get("vocabulary.attribute_types")
                    or _default_origin(spec, "vocabulary.attribute_values", ""))
            elif (v.attribute_values is not None and (a.type, a.value) not in v.attribute_values) or \
                    (a.type, a.value) in v.denied_attribute_values:
                bad(spec.origins.get("vocabulary.attribute_values")
                    or _default_origin(spec, "vocabulary.attribute_types", ""))
    modality_types = {t.id for t in taxonomy.scene_attribute_types_for(scene.modality)}
    if b.located and not any(a.type == b.place_type for a in scene.scene_attributes):
        bad(_default_origin(spec, "space.setting", f"{b.setting}: a {b.place_type} is required"))
    for a in scene.scene_attributes:
        if a.type not in modality_types:
            bad(_default_origin(spec, "space.modality", f"{scene.modality} has no scene attribute '{a.type}'"))
        elif v.scene_attribute_types is not None and a.type not in v.scene_attribute_types:
            bad(spec.origins.get("vocabulary.scene_attribute_types")
                or _default_origin(spec, "vocabulary.scene_attribute_values", ""))
        elif (v.scene_attribute_values is not None and (a.type, a.value) not in v.scene_attribute_values) or \
                (a.type, a.value) in v.denied_scene_attribute_values:
            bad(spec.origins.get("vocabulary.scene_attribute_values")
                or _default_origin(spec, "vocabulary.scene_attribute_types", ""))

    # -- semantic compatibility -------------------------------------------------------
    if spec.semantic:
        sem = _default_origin(spec, "semantic", "default true: taxonomy applicability and relation domains")
        if spec.natural_attributes:
            for i, o in enumerate(scene.objects):
                if any(not taxonomy.attribute_fits(a.type, a.value, o.concept) for a in o.attributes):
                    bad(spec.origins.get("semantics.attributes") or sem)
        if spec.excluding_attributes and taxonomy.attribute_exclusions:
            for o in scene.objects:
                if taxonomy.attributes_exclude((a.type, a.value) for a in o.attributes) is not None:
                    bad(spec.origins.get("semantics.exclusions") or sem)
        for r in scene.relations:
            if spec.typed_relations and not taxonomy.relation_allows(r.predicate, category[r.subject],
                                                                       category[r.object]):
                bad(spec.origins.get("semantics.relations") or sem)
            if spec.sized_relations and r.predicate in taxonomy.relations and not taxonomy.sizes_allow(
                    r.predicate, taxonomy.object(scene.objects[r.subject].concept).size,
                    taxonomy.object(scene.objects[r.object].concept).size, category[r.subject],
                    category[r.object]):
                bad(spec.origins.get("semantics.sizes") or sem)
            if spec.ratio_relations and r.predicate in taxonomy.relations and not taxonomy.ratio_allows(
                    r.predicate, taxonomy.object(scene.objects[r.subject].concept).size,
                    taxonomy.object(scene.objects[r.object].concept).size):
                bad(spec.origins.get("semantics.ratios") or spec.origins.get("semantics.sizes") or sem)
        if spec.compatible_scene_attributes and not taxonomy.scene_attributes_compatible(
                a.type for a in scene.scene_attributes):
            bad(spec.origins.get("semantics.scene_attributes") or sem)

    # -- patterns -------------------------------------------------------------------
    for pc in spec.patterns:
        m = pattern_matches(scene, pc.pattern, taxonomy, _cache=cache)
        if (pc.mode == "require" and m < pc.at_least) or (pc.mode == "forbid" and m > 0):
            bad(pc.origin)

    # -- cardinality ------------------------------------------------------------------
    for c in spec.cardinalities:
        if c.kind == "objects":
            members = _members(c.concepts, taxonomy, cache)
            value = sum(1 for o in scene.objects if o.concept in members)
        elif c.kind == "distinct_categories":
            if c.categories:
                value = sum(1 for k in c.categories if any(taxonomy.is_a(cat, k) for cat in category))
            else:
                value = len(set(category))
        elif c.kind == "attribute_type":
            value = sum(1 for o in scene.objects for a in o.attributes if a.type == c.attribute_type)
        else:  # distinct_attribute_types
            value = len({a.type for o in scene.objects for a in o.attributes})
        if value not in c.range:
            bad(c.origin)

    # -- counted objects: the objects in the set number n and share one concept ----------
    for c in spec.counts:
        members = _members(c.concepts, taxonomy, cache)
        copies = [o.concept for o in scene.objects if o.concept in members]
        if len(copies) not in c.n or len(set(copies)) > 1:
            bad(c.origin)
    return out
