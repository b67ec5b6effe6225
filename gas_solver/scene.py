"""The scene-graph data model: scenes, their canonical form and id, JSON lines.

A scene has objects (each a taxonomy concept with a set of typed attributes),
directed relations between two different objects (at most one per ordered
pair), and scene attributes (at most one value per scene-attribute type).
Two scenes are the same iff a bijection of their objects maps concepts,
attribute sets and relations onto each other and their scene attributes are
equal (``DESIGN.md`` §2).  :func:`canonical_form` picks one representative per
such class; :func:`canonical_id` hashes it.

This module imports nothing else of the project.

Examples
--------
>>> dog = SceneObject("wn:02084071", (Attribute("colour", "brown"),))
>>> bench = SceneObject("wn:02828884", (Attribute("material", "wooden"),))
>>> s = Scene((dog, bench), (Relation(0, 1, "sitting_on"),))
>>> s.complexity
5
>>> t = Scene((bench, dog), (Relation(1, 0, "sitting_on"),))
>>> canonical_id(s) == canonical_id(t)
True
"""

from __future__ import annotations

import hashlib
import itertools
import weakref
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

import orjson

__all__ = [
    "MODALITIES",
    "Attribute",
    "SceneObject",
    "Relation",
    "SceneAttribute",
    "Scene",
    "canonical_form",
    "canonical_id",
    "scene_to_dict",
    "scene_from_dict",
    "dumps_scene",
    "loads_scene",
    "SceneFormatError",
    "assemble_objects",
    "assemble_scenes",
]

MODALITIES = ("image", "video", "3d")


class SceneFormatError(ValueError):
    """A scene dictionary or JSON line does not follow the scene schema."""


@dataclass(frozen=True, order=True, slots=True)
class Attribute:
    """One attribute of an object: a type id (``"colour"``) and a value id (``"red"``)."""

    type: str
    value: str


@dataclass(frozen=True, order=True, slots=True)
class SceneAttribute:
    """One scene-level attribute: a scene-attribute type id and a value id."""

    type: str
    value: str


@dataclass(frozen=True, order=True, slots=True)
class SceneObject:
    """An object node: a concept id and its attributes (sorted, at most one per type by default)."""

    concept: str
    attributes: tuple[Attribute, ...] = ()

    def __post_init__(self) -> None:
        attrs = tuple(sorted(self.attributes))
        if attrs != self.attributes:
            object.__setattr__(self, "attributes", attrs)


@dataclass(frozen=True, order=True, slots=True)
class Relation:
    """A directed edge ``subject -> object`` (indices into ``Scene.objects``) with a predicate id."""

    subject: int
    object: int
    predicate: str


@dataclass(frozen=True, slots=True)
class Scene:
    """A scene graph.  Plain, frozen value object; see the module docstring."""

    objects: tuple[SceneObject, ...]
    relations: tuple[Relation, ...] = ()
    scene_attributes: tuple[SceneAttribute, ...] = ()
    modality: str = "image"
    # canonical-form cache: None (not computed), True (this scene is canonical) or the canonical Scene;
    # True rather than the scene itself, so that no scene refers to itself (a cycle that only the cyclic
    # garbage collector could free, once per written row)
    _key: Any = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        rels = tuple(sorted(self.relations))
        if rels != self.relations:
            object.__setattr__(self, "relations", rels)
        sattrs = tuple(sorted(self.scene_attributes))
        if sattrs != self.scene_attributes:
            object.__setattr__(self, "scene_attributes", sattrs)

    @property
    def n_objects(self) -> int:
        return len(self.objects)

    @property
    def n_attributes(self) -> int:
        n = 0
        for o in self.objects:  # a loop, not sum() of a generator: the compiled build makes no generator object
            n += len(o.attributes)
        return n

    @property
    def n_relations(self) -> int:
        return len(self.relations)

    @property
    def shape(self) -> tuple[int, int, int]:
        """(objects, attributes, relations)."""
        return (self.n_objects, self.n_attributes, self.n_relations)

    @property
    def complexity(self) -> int:
        """#objects + #attributes + #relations (scene attributes are not counted)."""
        return self.n_objects + self.n_attributes + self.n_relations

    def validate(self) -> None:
        """Raise :class:`SceneFormatError` if the scene breaks the structural rules of §2."""
        n = len(self.objects)
        if n == 0:
            raise SceneFormatError("a scene has at least one object; this one has none")
        for i, o in enumerate(self.objects):
            kinds = [a.type for a in o.attributes]
            if len(kinds) != len(set(kinds)):
                twice = next(t for t in kinds if kinds.count(t) > 1)
                raise SceneFormatError(f"objects[{i}] has two values of attribute type {twice!r}; "
                                       "an object has at most one value of each attribute type")
        seen = set()
        for r in self.relations:
            if not (0 <= r.subject < n and 0 <= r.object < n):
                raise SceneFormatError(f"relation {r} names an object index outside 0..{n - 1}")
            if r.subject == r.object:
                raise SceneFormatError(f"relation {r} is a self-loop")
            if (r.subject, r.object) in seen:
                raise SceneFormatError(f"two relations share the ordered pair ({r.subject}, {r.object})")
            seen.add((r.subject, r.object))
        types = [a.type for a in self.scene_attributes]
        if len(types) != len(set(types)):
            raise SceneFormatError("a scene-attribute type appears twice")
        if self.modality not in MODALITIES:
            raise SceneFormatError(f"unknown modality {self.modality!r}; expected one of {MODALITIES}")


# ---------------------------------------------------------------------------
# Canonical form
# ---------------------------------------------------------------------------

def _labels(scene: Scene) -> list[tuple]:
    """Object labels as plain tuples ``(concept, ((type, value), ...))``.

    They order, compare and hash exactly like the :class:`SceneObject` dataclasses
    (field tuples, attributes by (type, value)) but in C, not through the generated
    ``__lt__``/``__eq__``: the canonical form of a sampled scene is computed for every
    written row, and the dataclass comparisons were most of its cost.
    """
    return [(o.concept, tuple([(a.type, a.value) for a in o.attributes])) for o in scene.objects]


def _refine(scene: Scene, labels: list[tuple] | None = None) -> list[int]:
    """Colour refinement of object positions by label, then by labelled neighbourhoods.

    Returns a colour (small int) per object; isomorphisms preserve it, so only
    objects of equal colour need to be permuted to find the canonical form.
    """
    n = len(scene.objects)
    if labels is None:
        labels = _labels(scene)
    # Rank by the object label itself first so that the colour order is label-based.
    ranks = _rank(labels)
    if not scene.relations or _top(ranks) == n - 1:  # (dense ranks: n distinct ones reach n - 1)
        # no edges: nothing refines further; all distinct: refinement keeps the order
        # (the first refinement round sorts by (rank, ...), so distinct ranks keep their order)
        return ranks
    out_edges: list[list[tuple[str, int]]] = [[] for _ in range(n)]
    in_edges: list[list[tuple[str, int]]] = [[] for _ in range(n)]
    for r in scene.relations:
        out_edges[r.subject].append((r.predicate, r.object))
        in_edges[r.object].append((r.predicate, r.subject))
    for _ in range(n):
        sig = [
            (
                ranks[i],
                tuple(sorted([(p, ranks[j]) for p, j in out_edges[i]])),
                tuple(sorted([(p, ranks[j]) for p, j in in_edges[i]])),
            )
            for i in range(n)
        ]
        new = _rank(sig)
        if len(set(new)) == len(set(ranks)):
            ranks = new
            break
        ranks = new
    return ranks


def _rank(keys: list) -> list[int]:
    """Dense ranks: ``sorted(set(keys)).index(k)`` for each key ``k``.

    By sorting positions and comparing neighbours, not through a set and a dict: hashing
    the label tuples (recomputed on every call: tuples do not cache their hash) cost more
    than the few comparisons of a sort of ~4 keys.
    """
    n = len(keys)
    ranks = [0] * n
    if n:
        order = sorted(range(n), key=keys.__getitem__)
        prev = keys[order[0]]
        r = 0
        for i in order:
            k = keys[i]
            if k != prev:
                r += 1
                prev = k
            ranks[i] = r
    return ranks


def _top(ranks: list) -> int:
    """The largest rank, -1 if none: dense ranks (see :func:`_rank`) are all distinct iff it is n - 1.

    A loop rather than ``max()`` or ``len(set())``: compiled with C integers, it allocates nothing.
    """
    top = -1
    for r in ranks:
        if r > top:
            top = r
    return top


def _relabelled(scene: Scene, perm: tuple[int, ...], labels: list[tuple] | None = None) -> tuple:
    """Key of the scene with object at old index ``perm[k]`` placed at new index ``k``
    (objects as their plain labels, see :func:`_labels`)."""
    if labels is None:
        labels = _labels(scene)
    where = [0] * len(perm)
    for new, old in enumerate(perm):
        where[old] = new
    return tuple([labels[old] for old in perm]), _moved(scene, where)


def canonical_form(scene: Scene) -> Scene:
    """The canonical representative of ``scene``'s isomorphism class.

    Objects are ordered by colour refinement (label first), and ties are broken
    by trying every order inside each tied cell and keeping the lexicographically
    smallest (objects, relations) key.  Tied cells are rare and small in scene
    graphs, so this is exact and fast.

    >>> a = SceneObject("a"); b = SceneObject("b")
    >>> canonical_form(Scene((b, a), (Relation(0, 1, "on"),))).objects[0].concept
    'a'
    """
    key = scene._key
    if key is not None:
        return scene if key is True else key
    objects = scene.objects
    n = len(objects)
    # (no generator expressions or lambdas below: in the compiled build each one is an object made per call)
    # Every concept different (every sampled scene): labels differ in their concepts, so the label
    # order is the concept order and no colours tie; object order[k] goes to position k.
    concepts = [o.concept for o in objects]
    order = sorted(range(n), key=concepts.__getitem__)
    for k in range(1, n):
        if concepts[order[k]] == concepts[order[k - 1]]:
            break
    else:
        where = [0] * n
        for k in range(n):
            where[order[k]] = k
        return _finish(scene, tuple(order), _moved(scene, where))
    labels = _labels(scene)
    ranks = _refine(scene, labels)
    if _top(ranks) == n - 1:
        # no ties (ranks are dense, so n distinct ones reach n - 1): a single order to try, where
        # object i goes to position ranks[i]
        at = [0] * n
        for i in range(n):
            at[ranks[i]] = i
        best_perm = tuple(at)
        best_rels = _moved(scene, ranks)
    else:
        cells: dict[int, list[int]] = {}
        for i, r in enumerate(ranks):
            cells.setdefault(r, []).append(i)
        ordered_cells = [cells[r] for r in sorted(cells)]
        best = best_perm = None
        orders = []
        for c in ordered_cells:
            orders.append(_cell_orders(scene, c))
        for choice in itertools.product(*orders):
            perm = tuple([i for cell in choice for i in cell])
            key = _relabelled(scene, perm, labels)
            if best is None or key < best:
                best, best_perm = key, perm
        best_rels = best[1]
    return _finish(scene, best_perm, best_rels)


def _cell_orders(scene: Scene, cell: list) -> list:
    """The orders of one tied cell worth trying: every permutation, except that *twins* keep their index order.

    Twins are objects of the cell with no relation inside the cell and the same relations (predicate,
    direction, other object) to every object outside it: swapping two of them maps the scene onto itself, so
    it leaves the key unchanged, and trying one order of each set of twins finds the same minimum.  Twelve
    identical objects (isolated, or all related to one other object) give one order instead of 12!.
    """
    inside = set(cell)
    signature: dict[int, list] = {}
    loners = set()
    for i in cell:
        signature[i] = []
    for r in scene.relations:
        s, o = r.subject, r.object
        if s in inside and o in inside:
            loners.add(s)
            loners.add(o)
        elif s in inside:
            signature[s].append((0, o, r.predicate))
        elif o in inside:
            signature[o].append((1, s, r.predicate))
    group_of: dict[int, int] = {}
    groups: dict[tuple, int] = {}
    for i in cell:
        if i in loners:
            key = (1, i)
        else:
            key = (0, tuple(sorted(signature[i])))
        g = groups.get(key)
        if g is None:
            g = groups[key] = len(groups)
        group_of[i] = g
    if len(groups) == len(cell):
        return list(itertools.permutations(cell))
    members: dict[int, list] = {}
    for i in cell:  # in index order: twins are placed in this order
        members.setdefault(group_of[i], []).append(i)
    out = []
    for arrangement in _multiset_permutations(sorted(group_of[i] for i in cell)):
        nxt = dict.fromkeys(members, 0)
        perm = []
        for g in arrangement:
            perm.append(members[g][nxt[g]])
            nxt[g] += 1
        out.append(tuple(perm))
    return out


def _multiset_permutations(items: list) -> list:
    """Distinct permutations of a sorted list, in lexicographic order (next-permutation steps)."""
    a = list(items)
    out = [tuple(a)]
    n = len(a)
    while True:
        i = n - 2
        while i >= 0 and a[i] >= a[i + 1]:
            i -= 1
        if i < 0:
            return out
        j = n - 1
        while a[j] <= a[i]:
            j -= 1
        a[i], a[j] = a[j], a[i]
        a[i + 1:] = a[i + 1:][::-1]
        out.append(tuple(a))


def _moved(scene: Scene, where: list) -> tuple:
    """Sorted ``(where[subject], where[object], predicate)`` of the relations (new index ``where[old]``).

    An index outside the objects raises ``KeyError``, as the ``{old: new}`` dict that ``where``
    replaces did (a list would quietly accept a negative one).
    """
    n = len(where)
    out = []
    for r in scene.relations:
        s = r.subject
        o = r.object
        if not (0 <= s < n and 0 <= o < n):
            raise KeyError(s if not 0 <= s < n else o)
        out.append((where[s], where[o], r.predicate))
    out.sort()
    return tuple(out)


def _finish(scene: Scene, best_perm: tuple, best_rels: tuple) -> Scene:
    """The canonical scene: objects in ``best_perm`` order, relations ``best_rels`` (sorted triples);
    caches it on ``scene``."""
    objects = scene.objects
    sattrs = scene.scene_attributes
    for k in range(1, len(sattrs)):
        a = sattrs[k - 1]
        b = sattrs[k]
        if a.type > b.type or (a.type == b.type and a.value > b.value):  # (a.type, a.value) > (b.type, b.value)
            # out of order (a scene not built by Scene(...)): the order Scene.__post_init__ gives, a
            # stable sort by (type, value)
            skeys = [(a.type, a.value) for a in sattrs]
            sattrs = tuple([sattrs[j] for j in sorted(range(len(skeys)), key=skeys.__getitem__)])
            break
    # Built without Scene(...): its parts are already in order (best_rels is sorted), and the frozen
    # dataclasses' generated __init__, __post_init__ and comparisons were a third of this function's time.
    canon = _new(Scene)
    _set(canon, "objects", tuple([objects[old] for old in best_perm]))
    _set(canon, "relations", tuple([_relation(s, o, p) for s, o, p in best_rels]))
    _set(canon, "scene_attributes", sattrs)
    _set(canon, "modality", scene.modality)
    _set(canon, "_key", True)
    _set(scene, "_key", canon)
    return canon


_new = object.__new__
_set = object.__setattr__


def _relation(subject: int, obj: int, predicate: str) -> Relation:
    """``Relation(subject, obj, predicate)`` without the frozen dataclass's generated ``__init__``."""
    r = _new(Relation)
    _set(r, "subject", subject)
    _set(r, "object", obj)
    _set(r, "predicate", predicate)
    return r


# Builders for parts that come sorted already.  ``Scene`` and ``SceneObject`` are frozen slotted dataclasses
# whose ``__post_init__`` only sorts their tuples; a sampler that builds those tuples in order sets the slots
# directly (about 3x cheaper than the constructors).  ``tests/solve/test_sample.py`` checks that every sampled
# scene equals the one the public constructors build.
_SET_OBJECTS = Scene.__dict__["objects"].__set__
_SET_RELATIONS = Scene.__dict__["relations"].__set__
_SET_SCENE_ATTRIBUTES = Scene.__dict__["scene_attributes"].__set__
_SET_MODALITY = Scene.__dict__["modality"].__set__
_SET_KEY = Scene.__dict__["_key"].__set__
_SET_CONCEPT = SceneObject.__dict__["concept"].__set__
_SET_ATTRIBUTES = SceneObject.__dict__["attributes"].__set__


def assemble_objects(names: list, bares: list, rows: list, inv: list) -> list:
    """``SceneObject(names[k], rows[k])`` (or the shared ``bares[k]`` where not None), listed by ``inv``.

    ``rows[k]`` must be sorted already.  Returns ``out`` with ``out[i] = objects[inv[i]]``.

    >>> assemble_objects(["dog", "cat"], [None, None], [(), ()], [1, 0])[0].concept
    'cat'
    """
    n = len(names)
    objs = [None] * n
    for k in range(n):
        o = bares[k]  # one shared object per concept of an attribute-less plan (frozen values)
        if o is None:
            o = _new(SceneObject)
            _SET_CONCEPT(o, names[k])
            _SET_ATTRIBUTES(o, rows[k])
        objs[k] = o
    out = [None] * n
    for k in range(n):
        x = inv[k]
        out[k] = objs[x]
    return out


def assemble_scenes(out: list, positions: list, rows_objs, rows_rels, sattrs: list, modality) -> None:
    """``out[p] = Scene(objects, relations, sattrs[p], modality)`` for each position, its parts sorted already.

    >>> out = [None]
    >>> assemble_scenes(out, [0], [(SceneObject("dog"),)], [()], [()], "image")
    >>> out[0] == Scene((SceneObject("dog"),))
    True
    """
    for p, objs, rels in zip(positions, rows_objs, rows_rels):
        sc = _new(Scene)
        _SET_OBJECTS(sc, objs)
        _SET_RELATIONS(sc, rels)
        _SET_SCENE_ATTRIBUTES(sc, sattrs[p])
        _SET_MODALITY(sc, modality)
        _SET_KEY(sc, None)
        out[p] = sc


def _canonical_payload(canon: Scene) -> bytes:
    return orjson.dumps(
        [
            canon.modality,
            [[o.concept, [[a.type, a.value] for a in o.attributes]] for o in canon.objects],
            [[r.subject, r.object, r.predicate] for r in canon.relations],
            [[a.type, a.value] for a in canon.scene_attributes],
        ]
    )


def canonical_id(scene: Scene) -> str:
    """Stable id of the scene's isomorphism class: ``"sg-"`` + 32 hex digits of SHA-256.

    Identical scenes (up to object renumbering) get identical ids; different
    scenes different ids (up to a 2^-128 collision chance).
    """
    return _id_of(_canonical_payload(canonical_form(scene)))


def _id_of(payload: bytes) -> str:
    return "sg-" + hashlib.sha256(payload).hexdigest()[:32]


# ---------------------------------------------------------------------------
# JSON (de)serialisation
# ---------------------------------------------------------------------------

def scene_to_dict(scene: Scene, taxonomy: Any = None, *, canonical: bool = True, labels: list | None = None) -> dict:
    """The documented JSON object of a scene.

    Schema (one JSON object per line in ``.jsonl`` files)::

        {"id": "sg-…", "modality": "image", "complexity": 5, "shape": [2, 2, 1],
         "objects": [{"concept": "wn:02084071", "name": "dog", "category": "mammal",
                      "attributes": [{"type": "colour", "value": "brown"}]}, …],
         "relations": [{"subject": 0, "predicate": "sitting_on", "object": 1}],
         "scene_attributes": [{"type": "style", "value": "impressionism"}]}

    ``name`` and ``category`` are filled from ``taxonomy`` when it is given, or
    from ``labels``: the ``(name, category)`` of each object of the written form
    (the canonical one unless ``canonical=False``), when the caller already has
    them (a dataset row: from the realizer's lexicon).
    With ``canonical=True`` the scene is written in its canonical form, so equal
    scenes give equal bytes.
    """
    s = canonical_form(scene) if canonical else scene
    names = None if taxonomy is None or labels is not None else _object_names(taxonomy)
    objs = []
    # the id's payload (see _canonical_payload) is collected in the same pass when the scene is canonical:
    # tuples serialize as the same JSON arrays, and each attribute is read once for both
    payload = [] if canonical else None
    n_attributes = 0
    k = 0
    for o in s.objects:
        attrs = o.attributes
        n_attributes += len(attrs)
        concept = o.concept
        dicts = []
        if payload is not None:
            pairs = []
            for a in attrs:
                t = a.type
                v = a.value
                dicts.append({"type": t, "value": v})
                pairs.append((t, v))
            payload.append((concept, pairs))
        else:
            for a in attrs:
                dicts.append({"type": a.type, "value": a.value})
        if labels is not None:
            name_category = labels[k]
            k += 1
        elif names is None:
            objs.append({"concept": concept, "attributes": dicts})
            continue
        else:
            name_category = names.get(concept)
            if name_category is None:
                c = taxonomy.object(concept)  # KeyError for an unknown concept, as without the cache
                name_category = names[concept] = (c.name, c.category)
        objs.append({"concept": concept, "name": name_category[0], "category": name_category[1],
                     "attributes": dicts})
    n_objects = len(s.objects)
    n_relations = len(s.relations)
    if payload is not None:
        cid = _id_of(orjson.dumps((
            s.modality,
            payload,
            [(r.subject, r.object, r.predicate) for r in s.relations],
            [(a.type, a.value) for a in s.scene_attributes],
        )))
    else:
        cid = canonical_id(s)
    return {
        "id": cid,
        "modality": s.modality,
        "complexity": n_objects + n_attributes + n_relations,  # Scene.complexity and .shape, counted once
        "shape": [n_objects, n_attributes, n_relations],
        "objects": objs,
        "relations": [{"subject": r.subject, "predicate": r.predicate, "object": r.object} for r in s.relations],
        "scene_attributes": [{"type": a.type, "value": a.value} for a in s.scene_attributes],
    }


_names_of: tuple = (lambda: None, {})  # (weak reference to the last taxonomy, its {concept: (name, category)})


def _object_names(taxonomy: Any) -> dict:
    """``{concept: (name, category)}`` of the concepts of ``taxonomy`` looked up so far.

    Every row of a build names ~4 concepts of the same taxonomy; a dict hit costs less than
    ``taxonomy.object(concept)`` (a Python method) and two attribute reads.  Taxonomies are
    immutable once loaded, so an entry never goes stale; the cache follows the last taxonomy
    asked for (weakly), as :func:`gas_solver.realize.lexicon.lexicon` does.
    """
    global _names_of
    ref, names = _names_of
    if ref() is taxonomy:
        return names
    names = {}
    try:
        _names_of = (weakref.ref(taxonomy), names)
    except TypeError:  # an object that cannot be weakly referenced: a table for this call only
        pass
    return names


def _need(d: Mapping, key: str, where: str):
    if not isinstance(d, Mapping) or key not in d:
        raise SceneFormatError(f"{where}: missing field {key!r}")
    return d[key]


def scene_from_dict(d: Mapping) -> Scene:
    """Inverse of :func:`scene_to_dict` (``id``, ``name``, ``category`` and counts are ignored)."""
    try:
        objs = tuple(
            SceneObject(
                str(_need(o, "concept", f"objects[{i}]")),
                tuple(
                    Attribute(str(_need(a, "type", f"objects[{i}].attributes[{j}]")), str(_need(a, "value", f"objects[{i}].attributes[{j}]")))
                    for j, a in enumerate(o.get("attributes", ()))
                ),
            )
            for i, o in enumerate(_need(d, "objects", "scene"))
        )
        rels = tuple(
            Relation(int(_need(r, "subject", f"relations[{k}]")), int(_need(r, "object", f"relations[{k}]")), str(_need(r, "predicate", f"relations[{k}]")))
            for k, r in enumerate(d.get("relations", ()))
        )
        sattrs = tuple(
            SceneAttribute(str(_need(a, "type", f"scene_attributes[{k}]")), str(_need(a, "value", f"scene_attributes[{k}]")))
            for k, a in enumerate(d.get("scene_attributes", ()))
        )
    except (TypeError, ValueError, AttributeError) as exc:
        if isinstance(exc, SceneFormatError):
            raise
        raise SceneFormatError(f"malformed scene: {exc}") from None
    scene = Scene(objs, rels, sattrs, str(d.get("modality", "image")))
    scene.validate()
    return scene


def dumps_scene(scene: Scene, taxonomy: Any = None) -> bytes:
    """One JSON line (without the newline) for ``scene``."""
    return orjson.dumps(scene_to_dict(scene, taxonomy))


def loads_scene(line: bytes | str) -> Scene:
    """Parse one JSON line written by :func:`dumps_scene`."""
    try:
        d = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise SceneFormatError(f"not JSON: {exc}") from None
    return scene_from_dict(d)


def iter_scenes(lines: Iterable[bytes | str]) -> Iterable[Scene]:
    for line in lines:
        if line.strip():
            yield loads_scene(line)
