"""The declared keys of a taxonomy file (``format = "gas-taxonomy/1"``): one table, read by the loader.

Every table of a taxonomy file is checked against this schema: a key it does not list is an error naming the
entry and suggesting the closest known key, so a typo (``categroy``) never passes silently.  A new per-entry
key is added here and read in :mod:`.load`.

Examples
--------
>>> unknown_keys({"id": "x", "categroy": "y"}, "objects")
[('categroy', "did you mean 'category'?")]
>>> unknown_keys({"id": "x", "name": "y"}, "categories")
[]
"""

from __future__ import annotations

import difflib

__all__ = ["KNOWN_KEYS", "LIMITS", "unknown_keys"]

#: section -> the keys its tables may hold ("<top>" is the document itself; "X.values" a value table of X)
KNOWN_KEYS: dict[str, tuple[str, ...]] = {
    "<top>": ("format", "name", "version", "sources", "build", "categories", "objects", "object_columns",
              "attribute_types", "relations", "scene_attribute_types", "settings", "object_isa", "relation_logic",
              "object_confusable", "object_never_foil", "attribute_domains", "object_parts",
              "attribute_exclusions", "subject_exclusions"),
    "categories": ("id", "name", "parent"),
    "objects": ("id", "name", "category", "plural", "article", "countable", "synonyms", "familiarity", "tier",
                "size", "countability"),
    "attribute_types": ("id", "name", "order", "applies_to", "values", "question", "exclusive", "mass"),
    "attribute_types.values": ("id", "name", "applies_to", "rgb", "group", "object_size",
                               "object_size_by"),
    "relations": ("id", "name", "present", "kind", "subject", "object", "symmetric", "subject_size",
                  "object_size", "subject_size_by", "object_size_by", "tier",
                  "size_ratio", "object_by_subject", "after_object", "subject_except", "object_except"),
    "scene_attribute_types": ("id", "name", "modalities", "phrase", "question", "values", "choice_question",
                              "group", "exclusive"),
    "scene_attribute_types.values": ("id", "name", "setting", "overlap", "contents", "hides", "keeps",
                                     "max_objects"),
    "settings": ("id", "max_size", "exclude", "caps", "fit", "deny", "min_size"),
    "attribute_domains": ("type", "target", "mode", "values"),
    "attribute_exclusions": ("id", "reason", "type", "values", "except", "other_type", "other_values",
                             "other_except"),
    "subject_exclusions": ("id", "reason", "type", "values", "relations", "default", "end"),
}

#: size limits of a taxonomy file, checked before parsing (a larger file is refused with the limit)
LIMITS = {
    "bytes": 64 * 1024 * 1024,  # the file, and its content after gzip (the default: 1.5 MB unzipped)
}


def unknown_keys(table: dict, section: str) -> list[tuple[str, str]]:
    """``(key, hint)`` for each key of ``table`` that ``section`` does not declare, in the table's order."""
    known = KNOWN_KEYS[section]
    out = []
    for key in table:
        if key in known:
            continue
        close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
        out.append((key, f"did you mean {close[0]!r}?" if close else "known keys: " + ", ".join(known)))
    return out
