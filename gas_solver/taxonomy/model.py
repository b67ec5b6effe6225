"""Taxonomy data model and queries.

A taxonomy holds

* a tree of **categories** (``mammal`` under ``animal`` under ``physical`` ...),
* **objects** (concepts): stable id, display name, synonyms, one category, and
  language data (plural, indefinite article, countable or mass noun),
* **attribute types** (colour, material, ...) with values, each type (or value)
  applying to a set of categories (is-a closed),
* **relations** (predicates) with a kind, allowed subject and object categories
  (is-a closed), a symmetric flag and verb forms,
* **scene-attribute types** per modality, each with a caption phrase.

Objects of the data model are plain frozen dataclasses; :class:`Taxonomy` adds
the is-a aware queries.  Loading and validation live in :mod:`.load`.

Examples
--------
>>> from gas_solver.taxonomy import load_taxonomy
>>> tax = load_taxonomy()                      # the embedded default  # doctest: +SKIP
>>> tax.is_a("mammal", "animal")               # doctest: +SKIP
True
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable

__all__ = [
    "Category",
    "ObjectConcept",
    "AttributeValue",
    "AttributeType",
    "RelationType",
    "SceneAttributeValue",
    "SceneAttributeType",
    "Taxonomy",
    "ADJECTIVE_ORDER",
    "RELATION_KINDS",
]

#: Natural English adjective order; attribute types declare their slot in ``order``.
ADJECTIVE_ORDER = ("opinion", "size", "age", "shape", "condition", "temperature", "colour", "pattern",
                   "texture", "origin", "material", "purpose")

RELATION_KINDS = ("spatial", "action", "functional", "social", "emotional", "comparative", "part_whole")


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    name: str
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class ObjectConcept:
    """A depictable concept.  ``article`` is ``"a"``, ``"an"`` or ``""`` (mass nouns take "some")."""

    id: str
    name: str
    category: str
    plural: str
    article: str = "a"
    countable: bool = True
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AttributeValue:
    id: str
    name: str
    #: categories this value applies to; empty means "as its type".
    applies_to: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AttributeType:
    id: str
    name: str
    #: slot in :data:`ADJECTIVE_ORDER`
    order: str
    applies_to: tuple[str, ...]
    values: tuple[AttributeValue, ...]
    #: how the attribute is asked about: "What {name} is the {object}?"
    question: str = ""


@dataclass(frozen=True, slots=True)
class RelationType:
    """A predicate.  ``name`` is the phrase after the subject ("riding", "on top of");
    ``present`` the finite form ("rides", "is on top of")."""

    id: str
    name: str
    kind: str
    subject: tuple[str, ...]
    object: tuple[str, ...]
    symmetric: bool = False
    present: str = ""


@dataclass(frozen=True, slots=True)
class SceneAttributeValue:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class SceneAttributeType:
    """A scene-level attribute type.  ``phrase`` has a ``{value}`` slot
    ("illuminated by {value}"); ``question`` likewise ("Is the scene lit by {value}?")."""

    id: str
    name: str
    modalities: tuple[str, ...]
    phrase: str
    question: str
    values: tuple[SceneAttributeValue, ...]


@dataclass(eq=False)
class Taxonomy:
    """A validated taxonomy with is-a aware queries.  Build it with :func:`load_taxonomy`."""

    name: str
    version: str
    categories: dict[str, Category]
    objects: tuple[ObjectConcept, ...]
    attribute_types: dict[str, AttributeType]
    relations: dict[str, RelationType]
    scene_attribute_types: dict[str, SceneAttributeType]
    #: SHA-256 of the source bytes (set by the loader)
    hash: str = ""
    #: free-form provenance / licence notes carried with the data
    sources: tuple[str, ...] = ()
    _closure_cache: dict = field(default_factory=dict, repr=False)

    # -- categories -------------------------------------------------------
    @cached_property
    def children(self) -> dict[str, tuple[str, ...]]:
        kids: dict[str, list[str]] = {c: [] for c in self.categories}
        for c in self.categories.values():
            if c.parent is not None:
                kids[c.parent].append(c.id)
        return {k: tuple(sorted(v)) for k, v in kids.items()}

    @cached_property
    def roots(self) -> tuple[str, ...]:
        return tuple(sorted(c.id for c in self.categories.values() if c.parent is None))

    def path(self, category: str) -> tuple[str, ...]:
        """Category path from the root down to ``category``."""
        out = []
        c: str | None = category
        while c is not None:
            out.append(c)
            c = self.categories[c].parent
        return tuple(reversed(out))

    def is_a(self, category: str, ancestor: str) -> bool:
        """True if ``category`` equals ``ancestor`` or lies under it."""
        return ancestor in self.path(category)

    def closure(self, category: str) -> frozenset[str]:
        """``category`` and every category under it."""
        hit = self._closure_cache.get(category)
        if hit is None:
            out = {category}
            stack = [category]
            while stack:
                for k in self.children[stack.pop()]:
                    out.add(k)
                    stack.append(k)
            hit = self._closure_cache[category] = frozenset(out)
        return hit

    def closure_of(self, categories: Iterable[str]) -> frozenset[str]:
        out: set[str] = set()
        for c in categories:
            out |= self.closure(c)
        return frozenset(out)

    # -- objects ----------------------------------------------------------
    @cached_property
    def _objects_by_id(self) -> dict[str, ObjectConcept]:
        return {o.id: o for o in self.objects}

    @cached_property
    def _objects_by_category(self) -> dict[str, tuple[ObjectConcept, ...]]:
        by: dict[str, list[ObjectConcept]] = {c: [] for c in self.categories}
        for o in self.objects:
            by[o.category].append(o)
        return {k: tuple(v) for k, v in by.items()}

    def object(self, concept_id: str) -> ObjectConcept:
        """The concept with this id (``KeyError`` if absent)."""
        return self._objects_by_id[concept_id]

    def has_object(self, concept_id: str) -> bool:
        return concept_id in self._objects_by_id

    def concepts_of(self, category: str) -> tuple[ObjectConcept, ...]:
        """Every concept whose category lies in ``category``'s closure, in taxonomy order."""
        cats = self.closure(category)
        if len(cats) == 1:
            return self._objects_by_category[category]
        return tuple(o for o in self.objects if o.category in cats)

    def own_concepts(self, category: str) -> tuple[ObjectConcept, ...]:
        """Concepts whose category is exactly ``category`` (not its subcategories)."""
        return self._objects_by_category[category]

    @cached_property
    def _name_index(self) -> dict[str, list[ObjectConcept]]:
        idx: dict[str, list[ObjectConcept]] = {}
        for o in self.objects:
            for w in (o.name, *o.synonyms):
                idx.setdefault(w.lower(), []).append(o)
        return idx

    def search(self, word: str, limit: int = 20) -> list[ObjectConcept]:
        """Concepts whose name or a synonym matches ``word``: exact first, then
        prefix/substring matches, then close spellings."""
        w = word.strip().lower()
        out: list[ObjectConcept] = []
        seen: set[str] = set()

        def add(objs):
            for o in objs:
                if o.id not in seen and len(out) < limit:
                    seen.add(o.id)
                    out.append(o)

        add(self._name_index.get(w, ()))
        if len(out) < limit:
            keys = sorted(k for k in self._name_index if w in k and k != w)
            keys.sort(key=lambda k: (not k.startswith(w), len(k), k))
            for k in keys:
                add(self._name_index[k])
        if not out:
            for k in difflib.get_close_matches(w, list(self._name_index), n=limit, cutoff=0.75):
                add(self._name_index[k])
        return out

    # -- attributes -------------------------------------------------------
    def attribute_value(self, type_id: str, value_id: str) -> AttributeValue:
        for v in self.attribute_types[type_id].values:
            if v.id == value_id:
                return v
        raise KeyError((type_id, value_id))

    @cached_property
    def value_scope(self) -> dict[tuple[str, str], frozenset[str]]:
        """``{(type, value): the categories (with their descendants) the attribute value applies to}``."""
        scope = {}
        for t in self.attribute_types.values():
            base = self.closure_of(t.applies_to)
            for v in t.values:
                scope[(t.id, v.id)] = self.closure_of(v.applies_to) if v.applies_to else base
        return scope

    def attribute_applies(self, type_id: str, value_id: str, category: str) -> bool:
        """True if attribute ``type_id=value_id`` is applicable to objects of ``category``."""
        return category in self.value_scope[(type_id, value_id)]

    def attribute_values_for(self, category: str) -> list[tuple[str, str]]:
        """Every (type, value) applicable to objects of ``category``."""
        return [k for k, cats in self.value_scope.items() if category in cats]

    # -- relations --------------------------------------------------------
    @cached_property
    def _relation_scope(self) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
        return {r.id: (self.closure_of(r.subject), self.closure_of(r.object)) for r in self.relations.values()}

    def relation_allows(self, relation_id: str, subject_category: str, object_category: str) -> bool:
        subj, obj = self._relation_scope[relation_id]
        return subject_category in subj and object_category in obj

    def relations_for(self, subject_category: str, object_category: str) -> list[str]:
        """Relation ids whose domains admit ``subject_category -> object_category``."""
        return [r for r, (s, o) in self._relation_scope.items() if subject_category in s and object_category in o]

    # -- scene attributes -------------------------------------------------
    def scene_attribute_types_for(self, modality: str) -> list[SceneAttributeType]:
        return [t for t in self.scene_attribute_types.values() if modality in t.modalities]

    def scene_attribute_value(self, type_id: str, value_id: str) -> SceneAttributeValue:
        for v in self.scene_attribute_types[type_id].values:
            if v.id == value_id:
                return v
        raise KeyError((type_id, value_id))

    # -- summary ----------------------------------------------------------
    def stats(self) -> dict:
        return {
            "name": self.name,
            "version": self.version,
            "hash": self.hash,
            "categories": len(self.categories),
            "objects": len(self.objects),
            "attribute_types": len(self.attribute_types),
            "attribute_values": sum(len(t.values) for t in self.attribute_types.values()),
            "relations": len(self.relations),
            "scene_attribute_types": len(self.scene_attribute_types),
            "scene_attribute_values": sum(len(t.values) for t in self.scene_attribute_types.values()),
        }

    def suggest_category(self, name: str) -> str | None:
        m = difflib.get_close_matches(name, list(self.categories), n=1, cutoff=0.6)
        return m[0] if m else None
