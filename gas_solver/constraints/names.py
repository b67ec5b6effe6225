"""Resolving the names a constraint file uses against a taxonomy, with spelling hints.

Every lookup either returns taxonomy ids or raises :class:`NameProblem` with a
message and a hint ("did you mean 'animal'?"); the caller adds the file
position.  Names are ids, matched exactly:

* objects: a category id (``animal``: every concept under it) or a concept id
  (``wn:02084071``); ``category:x`` / ``concept:x`` force one reading;
* predicates: a relation id or ``kind:<relation kind>`` (every relation of that kind);
* attribute values: ``type:value``; scene-attribute values likewise.

Examples
--------
>>> from gas_solver.taxonomy import load_taxonomy            # doctest: +SKIP
>>> Names(load_taxonomy("tests/data/toy.toml")).object_ref("animl")   # doctest: +SKIP
Traceback (most recent call last):
NameProblem: unknown category or concept 'animl' (did you mean 'animal'?)
"""

from __future__ import annotations

import difflib
from functools import cached_property

from ..taxonomy.model import RELATION_KINDS, Taxonomy

__all__ = ["NameProblem", "Names", "MODALITIES"]

MODALITIES = ("image", "video", "3d")


class NameProblem(Exception):
    """A name that does not resolve; ``offset`` is a character offset inside the name's text, if known."""

    def __init__(self, message: str, hint: str | None = None, offset: int = 0):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.offset = offset


def did_you_mean(word: str, candidates, *, n: int = 1, cutoff: float = 0.6) -> str | None:
    """``"did you mean 'x'?"`` for the closest candidate, or ``None``."""
    m = difflib.get_close_matches(word, sorted(set(candidates)), n=n, cutoff=cutoff)
    if not m:
        return None
    return "did you mean " + " or ".join(f"'{x}'" for x in m) + "?"


class Names:
    """Name lookups against one taxonomy."""

    def __init__(self, taxonomy: Taxonomy):
        self.tax = taxonomy

    @cached_property
    def _concept_by_name(self) -> dict[str, list[str]]:
        """Lower-case names and synonyms -> concept ids (for hints only)."""
        out: dict[str, list[str]] = {}
        for o in self.tax.objects:
            for w in dict.fromkeys((o.name, *o.synonyms)):
                out.setdefault(w.lower(), []).append(o.id)
        return out

    @cached_property
    def _concept_by_plural(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for o in self.tax.objects:
            out.setdefault(o.plural.lower(), []).append(o.id)
        return out

    # -- objects ----------------------------------------------------------
    def object_ref(self, name: str) -> tuple[str, str]:
        """``("category", id)`` or ``("concept", id)``."""
        tax = self.tax
        if name.startswith("category:"):
            cat = name[len("category:"):]
            if cat in tax.categories:
                return ("category", cat)
            raise NameProblem(f"unknown category '{cat}'", did_you_mean(cat, tax.categories), len("category:"))
        if name.startswith("concept:"):
            cid = name[len("concept:"):]
            if tax.has_object(cid):
                return ("concept", cid)
            raise NameProblem(f"unknown concept '{cid}'", self._concept_hint(cid), len("concept:"))
        is_cat = name in tax.categories
        is_obj = tax.has_object(name)
        if is_cat and is_obj:
            raise NameProblem(f"'{name}' is both a category and a concept id",
                              f"write 'category:{name}' or 'concept:{name}'")
        if is_cat:
            return ("category", name)
        if is_obj:
            return ("concept", name)
        raise NameProblem(f"unknown category or concept '{name}'", self._object_hint(name))

    def _by_name_hint(self, name: str, plural: bool = False) -> str | None:
        index = self._concept_by_plural if plural else self._concept_by_name
        ids = index.get(name.lower().replace("_", " "))
        if not ids:
            return None
        shown = ", ".join(f"'{i}' ({self.tax.object(i).name}, {self.tax.object(i).category})" for i in ids[:3])
        more = f" and {len(ids) - 3} more" if len(ids) > 3 else ""
        return f"concepts are named by id: '{name}' is {shown}{more}"

    def _concept_hint(self, name: str) -> str | None:
        return (self._by_name_hint(name) or self._by_name_hint(name, plural=True)
                or did_you_mean(name, [o.id for o in self.tax.objects]))

    def _object_hint(self, name: str) -> str | None:
        # an exact concept name beats a close category spelling ("apple" is a concept, not "place")
        return (self._by_name_hint(name) or did_you_mean(name, self.tax.categories, cutoff=0.75)
                or self._by_name_hint(name, plural=True) or did_you_mean(name, self.tax.categories)
                or did_you_mean(name, [o.id for o in self.tax.objects]))

    # -- attributes -------------------------------------------------------
    def attribute_type(self, name: str) -> str:
        if name in self.tax.attribute_types:
            return name
        hint = did_you_mean(name, self.tax.attribute_types)
        if hint is None:
            owners = sorted(t.id for t in self.tax.attribute_types.values() if any(v.id == name for v in t.values))
            if owners:
                hint = f"'{name}' is a value of attribute type '{owners[0]}': write '{owners[0]}={name}'"
            else:
                hint = "known types: " + ", ".join(sorted(self.tax.attribute_types))
        raise NameProblem(f"unknown attribute type '{name}'", hint)

    def attribute_value(self, type_id: str, value: str) -> str:
        values = [v.id for v in self.tax.attribute_types[type_id].values]
        if value in values:
            return value
        hint = did_you_mean(value, values) or ("values of '" + type_id + "': " + ", ".join(values[:12])
                                               + (", ..." if len(values) > 12 else ""))
        raise NameProblem(f"unknown value '{value}' of attribute type '{type_id}'", hint)

    def attribute_pair(self, text: str) -> tuple[str, str]:
        """``"colour:red"`` -> ``("colour", "red")``."""
        if ":" not in text:
            owners = sorted(t.id for t in self.tax.attribute_types.values() if any(v.id == text for v in t.values))
            hint = f"write 'type:value', e.g. '{owners[0]}:{text}'" if owners else "write 'type:value', e.g. 'colour:red'"
            raise NameProblem(f"attribute value '{text}' lacks its type", hint)
        t, v = text.split(":", 1)
        t = self.attribute_type(t)
        try:
            return t, self.attribute_value(t, v)
        except NameProblem as exc:
            exc.offset = len(t) + 1
            raise

    # -- relations --------------------------------------------------------
    def predicates(self, name: str) -> frozenset[str]:
        """A relation id, or ``kind:K`` for every relation of kind K."""
        if name.startswith("kind:"):
            kind = name[len("kind:"):]
            if kind not in RELATION_KINDS:
                raise NameProblem(f"unknown relation kind '{kind}'",
                                  did_you_mean(kind, RELATION_KINDS) or "kinds: " + ", ".join(RELATION_KINDS),
                                  len("kind:"))
            found = frozenset(r.id for r in self.tax.relations.values() if r.kind == kind)
            if not found:
                raise NameProblem(f"the taxonomy has no relation of kind '{kind}'", None, len("kind:"))
            return found
        if name in self.tax.relations:
            return frozenset((name,))
        hint = did_you_mean(name, self.tax.relations)
        if hint is None:
            by_phrase = [r.id for r in self.tax.relations.values() if r.name == name.replace("_", " ")]
            hint = f"relations are named by id: '{by_phrase[0]}'" if by_phrase else None
        if hint is None and name in RELATION_KINDS:
            hint = f"for every relation of kind '{name}' write 'kind:{name}'"
        raise NameProblem(f"unknown relation '{name}'", hint)

    # -- scene attributes -------------------------------------------------
    def scene_attribute_type(self, name: str) -> str:
        if name in self.tax.scene_attribute_types:
            return name
        raise NameProblem(f"unknown scene-attribute type '{name}'",
                          did_you_mean(name, self.tax.scene_attribute_types)
                          or "known types: " + ", ".join(sorted(self.tax.scene_attribute_types)))

    def scene_attribute_pair(self, text: str) -> tuple[str, str]:
        if ":" not in text:
            raise NameProblem(f"scene-attribute value '{text}' lacks its type", "write 'type:value', e.g. 'lighting:neon'")
        t, v = text.split(":", 1)
        t = self.scene_attribute_type(t)
        values = [x.id for x in self.tax.scene_attribute_types[t].values]
        if v not in values:
            raise NameProblem(f"unknown value '{v}' of scene-attribute type '{t}'",
                              did_you_mean(v, values) or "values: " + ", ".join(values[:12]), len(t) + 1)
        return t, v

    @staticmethod
    def modality(name: str) -> str:
        if name in MODALITIES:
            return name
        raise NameProblem(f"unknown modality '{name}'", did_you_mean(name, MODALITIES) or "one of: image, video, 3d")
