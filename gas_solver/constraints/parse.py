"""Parsing constraint files (TOML) into a resolved :class:`~.model.ConstraintSpec`.

The format is documented in ``docs/constraints.md``; a JSON Schema for editors
ships as ``gas_solver/data/constraints.schema.json``.  :mod:`tomllib` reads the
values; :mod:`.positions` finds where each key and value sits, so that every
error names the file, line, column and dotted key, with a hint.  Every name is
resolved against the taxonomy here, so the spec holds only taxonomy ids.

Examples
--------
>>> from gas_solver.taxonomy import load_taxonomy
>>> tax = load_taxonomy("tests/data/toy.toml")
>>> spec = parse_constraints('[space]\\ncomplexity = [2, 4]\\n[[require]]\\npattern = "a:animal"\\n', tax)
>>> spec.bounds.complexity, spec.patterns[0].origin.line
(IntRange(lo=2, hi=4), 3)
>>> parse_constraints('[space]\\ncomplexitty = 3\\n', tax)
Traceback (most recent call last):
gas_solver.errors.ConstraintFileError: <input>:2:1: space.complexitty: unknown key 'complexitty' in [space] (did you mean 'complexity'?)
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import re
import tomllib
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ConstraintFileError
from ..taxonomy.model import Taxonomy
from .hiding import hiding_groups
from .model import (
    FITTING,
    Bounds,
    CardinalityConstraint,
    ConceptSet,
    ConstraintSpec,
    CountedObjects,
    IntRange,
    AttributeCondition,
    Origin,
    Pattern,
    PatternConstraint,
    PatternEdge,
    PatternNode,
    RawAsp,
    SamplingPlan,
    SoftConstraint,
    STRATA_KINDS,
    Vocabulary,
)
from .names import NameProblem, Names, did_you_mean
from .pattern import PatternLocation, parse_pattern
from .positions import Positions, scan_positions, string_body_offset
from .raw_asp import AspProblem, check_raw_asp

__all__ = ["parse_constraints", "load_default_constraints", "default_constraints_path", "FORMAT",
           "DEFAULT_CONSTRAINTS"]

FORMAT = "gas-constraints/1"
DEFAULT_CONSTRAINTS = "default_constraints.toml"

TOP_KEYS = ("format", "name", "description", "semantic", "semantics", "space", "vocabulary", "require", "forbid",
            "cardinality", "soft", "asp", "count", "sampling")
SPACE_RANGES = ("complexity", "objects", "attributes", "relations", "attributes_per_object", "out_degree",
                "in_degree", "scene_attributes")
SPACE_BOOLS = ("acyclic", "connected", "repeat_objects")
SPACE_KEYS = SPACE_RANGES + SPACE_BOOLS + ("modality", "setting", "required_scene_attribute_types")
VOCAB_KEYS = ("objects", "subjects", "relation_objects", "attribute_types", "attribute_values", "relations",
              "scene_attribute_types", "scene_attribute_values", "familiarity", "relation_tier")
#: the [semantics] switches and their allowed values
SEMANTICS_KEYS = {"attributes": ("natural", "any"), "relations": ("typed", "any"), "sizes": (True, False),
                  "scene_attributes": ("compatible", "any"), "exclusions": (True, False),
                  "ratios": (True, False), "subject_exclusions": (True, False), "hides": (True, False)}
SECTION_KEYS = {
    "require": ("pattern", "at_least", "description"),
    "forbid": ("pattern", "description"),
    "soft": ("pattern", "weight", "description"),
    "cardinality": ("kind", "objects", "categories", "attribute_type", "at_least", "at_most", "exactly",
                    "description"),
    "asp": ("rules", "description"),
    "count": ("objects", "n", "description"),
    "sampling": ("distribution", "by", "strata", "repeats", "description"),
}
#: the laws a file may choose in [sampling] (near-uniform is approximate: only an explicit CLI option picks it)
SAMPLING_DISTRIBUTIONS = ("uniform", "weighted", "stratified", "per-structure")
CARDINALITY_KINDS = ("objects", "distinct_categories", "attribute_type", "distinct_attribute_types")
#: words people reach for, and the key this format uses instead
_SYNONYMS = {"allow": "include", "deny": "exclude", "only": "include", "minimum": "min", "maximum": "max",
             "weights": "weight", "patterns": "pattern"}
#: ranges whose minimum must be at least 1 (a scene has at least one object)
_MIN_ONE = ("complexity", "objects")
#: the largest complexity a file may state: structures grow ~2.5x per unit (345 up to complexity 8, ~10^8
#: up to 20), so bounds near this are refused later by their work estimate (gas_solver.solve.work) unless
#: objects, attributes or relations are bounded too; 40 and beyond never make sense and are refused here
MAX_COMPLEXITY = 39
#: the largest integer any other count may state (space ranges, at_least, cardinalities): far above any
#: scene, and far below clingo's 32-bit integers, which would wrap around silently
MAX_COUNT = 1_000_000
#: the largest constraint file read (the shipped ones are under 4 kB)
MAX_FILE_BYTES = 16 * 1024 * 1024
#: weights are fractions whose numerator and denominator stay below this
MAX_WEIGHT_PART = 10 ** 12


def _dotted(path: tuple) -> str:
    out = ""
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + p
    return out


def _type_name(v: Any) -> str:
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, int):
        return "an integer"
    if isinstance(v, float):
        return "a float"
    if isinstance(v, str):
        return "a string"
    if isinstance(v, list):
        return "an array"
    if isinstance(v, dict):
        return "a table"
    return type(v).__name__


class _Ctx:
    """The text, its path and key positions: turns problems into located errors."""

    def __init__(self, text: str, path: str | None, positions: Positions):
        self.text = text
        self.path = path
        self.pos = positions

    def fail(self, path: tuple, message: str, hint: str | None = None, *, at: str = "value") -> None:
        line, col = self.pos.key(path) if at == "key" else self.pos.value(path)
        raise ConstraintFileError(message, path=self.path, line=line, column=col, field=_dotted(path) or None,
                                  hint=hint)

    def snippet(self, path: tuple) -> str:
        off = self.pos.offset_of_value(path)
        if off is None:
            return ""
        end = self.text.find("\n", off)
        s = self.text[off: end if end >= 0 else len(self.text)]
        s = s.split(" #")[0].strip()
        return s if len(s) <= 60 else s[:57] + "..."

    def origin(self, path: tuple, description: str | None = None) -> Origin:
        line, col = self.pos.key(path)
        if description is None:
            description = self.snippet(path)
        return Origin(self.path, line, col, _dotted(path), description)

    def where(self, path: tuple) -> PatternLocation:
        """Location of the first character inside a string value."""
        off = self.pos.offset_of_value(path)
        if off is None:
            line, col = self.pos.key(path)
            return PatternLocation(self.path, line, col, _dotted(path))
        line, col = self.pos.at(string_body_offset(self.text, off))
        return PatternLocation(self.path, line, col, _dotted(path))

    def check_keys(self, table: dict, allowed: tuple[str, ...], path: tuple, label: str) -> None:
        for k in table:
            if k not in allowed:
                hint = did_you_mean(k, allowed)
                if hint is None and k in _SYNONYMS and _SYNONYMS[k] in allowed:
                    hint = f"write '{_SYNONYMS[k]}'"
                if hint is None and k in TOP_KEYS and path:
                    hint = f"top-level keys such as '{k}' must come before the first [table]"
                if hint is None:
                    hint = "allowed keys: " + ", ".join(allowed)
                self.fail(path + (k,), f"unknown key '{k}' in {label}", hint, at="key")


# -- small typed readers -------------------------------------------------------

def _bool(ctx: _Ctx, v: Any, path: tuple) -> bool:
    if not isinstance(v, bool):
        ctx.fail(path, f"expected true or false, found {_type_name(v)}")
    return v


def _int(ctx: _Ctx, v: Any, path: tuple, what: str = "a non-negative integer", limit: int = MAX_COUNT) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        ctx.fail(path, f"expected {what}, found {_type_name(v)}")
    if v < 0:
        ctx.fail(path, f"expected {what}, found {v}", "counts cannot be negative")
    if v > limit:
        shown = f"{v:,}" if v < 10 ** 30 else f"a {len(str(v))}-digit number"
        ctx.fail(path, f"{shown} is above the limit of {limit:,}",
                 "complexity counts objects + attributes + relations" if limit == MAX_COMPLEXITY
                 else "no scene comes near it")
    return v


def _str(ctx: _Ctx, v: Any, path: tuple) -> str:
    if not isinstance(v, str):
        ctx.fail(path, f"expected a string, found {_type_name(v)}")
    return v


def _str_list(ctx: _Ctx, v: Any, path: tuple) -> list[tuple[str, tuple]]:
    """An array of strings -> [(string, path of the element)]."""
    if isinstance(v, str):  # one name where a list belongs: say so rather than guess (docs: arrays)
        ctx.fail(path, "expected an array of strings, found a string", f"write [{_toml_string(v)}]")
    if not isinstance(v, list):
        ctx.fail(path, f"expected an array of strings, found {_type_name(v)}")
    out = []
    for i, x in enumerate(v):
        if not isinstance(x, str):
            ctx.fail(path + (i,), f"expected a string, found {_type_name(x)}")
        out.append((x, path + (i,)))
    return out


def _toml_string(v: str) -> str:
    shown = v if len(v) <= 40 else v[:37] + "..."
    return '"' + shown.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _range(ctx: _Ctx, v: Any, path: tuple, *, min_one: bool = False, limit: int = MAX_COUNT) -> IntRange:
    """``n`` (exactly), ``[lo, hi]`` or ``{min = lo, max = hi}`` (either side optional; a missing min is 0,
    or 1 where ``min_one``)."""
    form = "write n, [min, max] or {min = .., max = ..}"
    if isinstance(v, bool):
        ctx.fail(path, "expected a range, found a boolean", form)
    if isinstance(v, int):
        lo = hi = _int(ctx, v, path, limit=limit)
        lo_path = hi_path = path
    elif isinstance(v, list):
        if len(v) != 2:
            ctx.fail(path, f"expected a range [min, max], found an array of {len(v)} element(s)", form)
        lo = _int(ctx, v[0], path + (0,), limit=limit)
        hi = _int(ctx, v[1], path + (1,), limit=limit)
        lo_path, hi_path = path + (0,), path + (1,)
    elif isinstance(v, dict):
        ctx.check_keys(v, ("min", "max"), path, f"the range {_dotted(path)}")
        lo = _int(ctx, v["min"], path + ("min",), limit=limit) if "min" in v else (1 if min_one else 0)
        hi = _int(ctx, v["max"], path + ("max",), limit=limit) if "max" in v else None
        lo_path, hi_path = path + ("min",), path + ("max",)
    else:
        ctx.fail(path, f"expected a range, found {_type_name(v)}", form)
    if min_one and lo < 1:
        ctx.fail(lo_path, f"minimum {lo} is below 1", "a scene has at least one object")
    if hi is not None and lo > hi:
        ctx.fail(hi_path, f"empty range: min {lo} > max {hi}", "swap the two bounds")
    return IntRange(lo, hi)


# -- sections ------------------------------------------------------------------

def _space(ctx: _Ctx, data: Any, names: Names, origins: dict) -> Bounds:
    path = ("space",)
    if not isinstance(data, dict):
        ctx.fail(path, f"[space] must be a table, found {_type_name(data)}")
    ctx.check_keys(data, SPACE_KEYS, path, "[space]")
    kw: dict[str, Any] = {}
    for k, v in data.items():
        p = path + (k,)
        if k in SPACE_RANGES:
            kw[k] = _range(ctx, v, p, min_one=k in _MIN_ONE,
                           limit=MAX_COMPLEXITY if k == "complexity" else MAX_COUNT)
        elif k in SPACE_BOOLS:
            kw[k] = _bool(ctx, v, p)
        elif k == "setting":
            setting = _str(ctx, v, p)
            if setting not in names.tax.settings and setting != FITTING:
                ctx.fail(p, f"unknown setting '{setting}'",
                         f"use \"{FITTING}\" (every location fits its objects) or a setting of the taxonomy: "
                         f"{', '.join(names.tax.settings) or 'none defined'}")
            kw[k] = setting
        elif k == "required_scene_attribute_types":
            kw["required_scene_types"] = frozenset(_required_types(ctx, v, p, names))
        else:  # modality
            try:
                kw[k] = names.modality(_str(ctx, v, p))
            except NameProblem as exc:
                ctx.fail(p, exc.message, exc.hint)
        origins[_dotted(p)] = ctx.origin(p)
    return Bounds(**kw)


def _required_types(ctx: _Ctx, v: Any, path: tuple, names: Names) -> list[str]:
    """``[space] required_scene_attribute_types``: scene-attribute type ids every scene holds."""
    out = []
    for name, p in _str_list(ctx, v, path):
        try:
            out.append(names.scene_attribute_type(name))
        except NameProblem as exc:
            ctx.fail(p, exc.message, exc.hint)
    return out


def _check_required_types(ctx: _Ctx, bounds: Bounds, vocabulary: Vocabulary, taxonomy: Taxonomy,
                          compatible: bool) -> None:
    """Every required scene-attribute type is one the file's scenes may hold, all of them fit in
    ``space.scene_attributes``, and (with compatible scene attributes) no two share an exclusive group: no scene
    could hold both."""
    required = bounds.required_scene_types
    if not required:
        return
    path = ("space", "required_scene_attribute_types")
    allowed = {t.id for t in taxonomy.scene_attribute_types_for(bounds.modality)}
    if vocabulary.scene_attribute_types is not None:
        allowed &= set(vocabulary.scene_attribute_types)
    for t in sorted(required - allowed):
        ctx.fail(path, f"required scene-attribute type '{t}' is not in the file's vocabulary "
                       f"(modality '{bounds.modality}')",
                 "add it to vocabulary.scene_attribute_types, or check space.modality")
    hi = bounds.scene_attributes.hi
    if hi is not None and hi < len(required):
        ctx.fail(path, f"{len(required)} required scene-attribute types but space.scene_attributes allows at "
                       f"most {hi}", f"raise space.scene_attributes to at least {len(required)}")
    seen: dict[str, str] = {}
    for t in sorted(required):
        for g in taxonomy.scene_attribute_types[t].group.split() if compatible else ():
            if g in seen:
                ctx.fail(path, f"required scene-attribute types '{seen[g]}' and '{t}' share the exclusive group "
                               f"'{g}': no scene holds both", "require one of them")
            seen[g] = t


def _include_exclude(ctx: _Ctx, v: Any, path: tuple) -> tuple[list | None, list]:
    """An allow/deny entry: a list (= include) or ``{include = [...], exclude = [...]}``."""
    if isinstance(v, (list, str)):
        return _str_list(ctx, v, path), []  # a string is refused there, with the array to write
    if not isinstance(v, dict):
        ctx.fail(path, f"expected an array or a table {{include = [...], exclude = [...]}}, found {_type_name(v)}")
    ctx.check_keys(v, ("include", "exclude"), path, f"[{_dotted(path)}]" if len(path) == 2 else _dotted(path))
    inc = _str_list(ctx, v["include"], path + ("include",)) if "include" in v else None
    exc = _str_list(ctx, v["exclude"], path + ("exclude",)) if "exclude" in v else []
    return inc, exc


def _concept_set(ctx: _Ctx, v: Any, path: tuple, names: Names) -> ConceptSet:
    inc, exc = _include_exclude(ctx, v, path)
    parts: dict[str, set[str]] = {"ic": set(), "io": set(), "xc": set(), "xo": set()}
    for items, prefix in ((inc or [], "i"), (exc, "x")):
        for name, p in items:
            try:
                kind, ident = names.object_ref(name)
            except NameProblem as e:
                ctx.fail(p, e.message, e.hint)
            parts[prefix + ("c" if kind == "category" else "o")].add(ident)
    if inc is not None and not inc:
        # an explicit empty include list allows nothing: keep that distinct from "everything"
        return ConceptSet(concepts=frozenset(), exclude_categories=frozenset(names.tax.roots))
    return ConceptSet(frozenset(parts["ic"]), frozenset(parts["io"]), frozenset(parts["xc"]), frozenset(parts["xo"]))


def _typed_values(ctx: _Ctx, data: dict, path: tuple, prefix: str, types: set[str], values_of, resolve_type,
                  resolve_pair, check_included_type, hint: str):
    """``<prefix>_types`` and ``<prefix>_values`` entries -> (allowed types, allowed pairs, denied pairs).

    The allowed pairs are complete: every value of every allowed type, except that a type listed
    in ``<prefix>_values.include`` keeps only its listed values, minus the excluded pairs.
    """
    what = prefix.replace("_", "-")
    types = set(types)
    tkey, vkey = f"{prefix}_types", f"{prefix}_values"
    if tkey in data:
        inc, exc = _include_exclude(ctx, data[tkey], path + (tkey,))
        chosen = set()
        for items, include in ((inc or [], True), (exc, False)):
            for name, p in items:
                try:
                    t = resolve_type(name)
                except NameProblem as e:
                    ctx.fail(p, e.message, e.hint)
                if include:
                    check_included_type(t, p)
                    chosen.add(t)
                else:
                    types.discard(t)
        if inc is not None:
            types &= chosen
    allowed = {(t, v) for t in types for v in values_of(t)}
    denied: set[tuple[str, str]] = set()
    if vkey in data:
        inc, exc = _include_exclude(ctx, data[vkey], path + (vkey,))
        listed: dict[str, set[str]] = {}
        for name, p in inc or []:
            try:
                t, val = resolve_pair(name)
            except NameProblem as e:
                ctx.fail(p, e.message, e.hint)
            if t not in types:
                ctx.fail(p, f"{what} value '{name}' belongs to type '{t}', which is not allowed here",
                         hint.format(t=t))
            listed.setdefault(t, set()).add(val)
        # a listed type keeps only its listed values; unlisted types keep all of theirs
        allowed = {(t, val) for t, val in allowed if t not in listed or val in listed[t]}
        for name, p in exc:
            try:
                denied.add(resolve_pair(name))
            except NameProblem as e:
                ctx.fail(p, e.message, e.hint)
        allowed -= denied
    return frozenset(types), frozenset(allowed), frozenset(denied)


def _familiarity(ctx: _Ctx, v: Any, path: tuple) -> str | float:
    """``familiarity = "everyday" | "common" | "all"`` or a minimum score (a number)."""
    from ..taxonomy.model import TIERS

    if isinstance(v, str):
        if v not in TIERS:
            ctx.fail(path, f"unknown familiarity tier '{v}'", f"use one of {', '.join(TIERS)}, or a minimum score")
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    ctx.fail(path, f"expected a tier name or a number, found {_type_name(v)}")


def _relation_tier(ctx: _Ctx, v: Any, path: tuple) -> str:
    """``relation_tier = "everyday" | "common" | "all"``: the predicates of that vocabulary tier (tiers nest)."""
    from ..taxonomy.model import TIERS

    if not isinstance(v, str) or v not in TIERS:
        got = f"'{v}'" if isinstance(v, str) else _type_name(v)
        ctx.fail(path, f"unknown relation tier {got}", f"use one of {', '.join(TIERS)}")
    return v


def _semantics(ctx: _Ctx, data: Any, origins: dict) -> dict:
    """The ``[semantics]`` table: finer switches than ``semantic = false``."""
    path = ("semantics",)
    if not isinstance(data, dict):
        ctx.fail(path, f"[semantics] must be a table, found {_type_name(data)}")
    ctx.check_keys(data, tuple(SEMANTICS_KEYS), path, "[semantics]")
    out = {}
    for k, v in data.items():
        p = path + (k,)
        allowed = SEMANTICS_KEYS[k]
        if k in ("sizes", "exclusions", "ratios", "subject_exclusions", "hides"):
            out[k] = _bool(ctx, v, p)
        else:
            value = _str(ctx, v, p)
            if value not in allowed:
                ctx.fail(p, f"'{value}' is not a value of semantics.{k}", f"use {' or '.join(allowed)}")
            out[k] = value
        origins[_dotted(p)] = ctx.origin(p)
    return out


def _vocabulary(ctx: _Ctx, data: Any, names: Names, modality: str, origins: dict) -> Vocabulary:
    path = ("vocabulary",)
    if not isinstance(data, dict):
        ctx.fail(path, f"[vocabulary] must be a table, found {_type_name(data)}")
    ctx.check_keys(data, VOCAB_KEYS, path, "[vocabulary]")
    tax = names.tax
    kw: dict[str, Any] = {}
    for k in ("objects", "subjects", "relation_objects"):
        if k in data:
            kw[k] = _concept_set(ctx, data[k], path + (k,), names)
    if "familiarity" in data:
        kw["familiarity"] = _familiarity(ctx, data["familiarity"], path + ("familiarity",))
        origins["vocabulary.familiarity"] = ctx.origin(path + ("familiarity",))

    # attribute types and values, resolved to complete allowed sets
    if "attribute_types" in data or "attribute_values" in data:
        types, allowed, denied = _typed_values(
            ctx, data, path, "attribute", set(tax.attribute_types),
            lambda t: [v.id for v in tax.attribute_types[t].values], names.attribute_type, names.attribute_pair,
            lambda t, p: None, "add '{t}' to vocabulary.attribute_types")
        kw["attribute_types"], kw["attribute_values"], kw["denied_attribute_values"] = types, allowed, denied

    if "relations" in data:
        inc, exc = _include_exclude(ctx, data["relations"], path + ("relations",))
        preds = set(tax.relations) if inc is None else set()
        for items, add in ((inc or [], True), (exc, False)):
            for name, p in items:
                try:
                    got = names.predicates(name)
                except NameProblem as e:
                    ctx.fail(p, e.message, e.hint)
                preds = preds | got if add else preds - got
        kw["predicates"] = frozenset(preds)
    if "relation_tier" in data:
        p = path + ("relation_tier",)
        tier = _relation_tier(ctx, data["relation_tier"], p)
        preds = set(kw.get("predicates", tax.relations))
        kw["predicates"] = frozenset(r for r in preds if tax.relation_in_tier(r, tier))

    if "scene_attribute_types" in data or "scene_attribute_values" in data:
        def included_scene_type(t: str, p: tuple) -> None:
            if modality not in tax.scene_attribute_types[t].modalities:
                mods = ", ".join(tax.scene_attribute_types[t].modalities)
                ctx.fail(p, f"scene-attribute type '{t}' does not exist for modality '{modality}'",
                         f"it exists for: {mods}; set space.modality")

        types, allowed, denied = _typed_values(
            ctx, data, path, "scene_attribute", {t.id for t in tax.scene_attribute_types_for(modality)},
            lambda t: [v.id for v in tax.scene_attribute_types[t].values], names.scene_attribute_type,
            names.scene_attribute_pair, included_scene_type,
            f"check vocabulary.scene_attribute_types and space.modality ('{modality}')")
        kw["scene_attribute_types"], kw["scene_attribute_values"] = types, allowed
        kw["denied_scene_attribute_values"] = denied

    for k in data:
        origins[_dotted(path + (k,))] = ctx.origin(path + (k,))
    return Vocabulary(**kw)


def _array_of_tables(ctx: _Ctx, data: dict, name: str) -> list[tuple[dict, tuple]]:
    v = data[name]
    if not isinstance(v, list):
        ctx.fail((name,), f"'{name}' must be an array of tables", f"write [[{name}]], with double brackets", at="key")
    out = []
    for i, t in enumerate(v):
        p = (name, i)
        if not isinstance(t, dict):
            ctx.fail(p, f"each {name} entry must be a table, found {_type_name(t)}", f"write [[{name}]] sections")
        ctx.check_keys(t, SECTION_KEYS[name], p, f"[[{name}]]")
        out.append((t, p))
    return out


def _pattern_of(ctx: _Ctx, t: dict, p: tuple, taxonomy: Taxonomy, section: str):
    if "pattern" not in t:
        ctx.fail(p, f"[[{section}]] needs a 'pattern'", "e.g. pattern = \"a:animal -[riding]-> b:vehicle\"",
                 at="key")
    text = _str(ctx, t["pattern"], p + ("pattern",))
    return parse_pattern(text, taxonomy, where=ctx.where(p + ("pattern",)))


def _description(ctx: _Ctx, t: dict, p: tuple, default: str) -> str:
    if "description" in t:
        return _str(ctx, t["description"], p + ("description",))
    return default


def _weight(ctx: _Ctx, v: Any, path: tuple) -> Fraction:
    """A positive number: integer, float (read as its shortest decimal) or a fraction string "2/3"."""
    if isinstance(v, bool):
        ctx.fail(path, "expected a positive number, found a boolean")
    if isinstance(v, int):
        w = Fraction(v)
    elif isinstance(v, float):
        if not math.isfinite(v):
            ctx.fail(path, f"weight must be a finite positive number, found {v}")
        w = Fraction(repr(v))
    elif isinstance(v, str):
        if len(v) > 64:
            ctx.fail(path, f"weight {_short_number(v)} is too long for a number (limit: 64 characters)")
        if not re.fullmatch(r"\s*\d+(\.\d+)?\s*(/\s*\d+(\.\d+)?\s*)?", v):
            ctx.fail(path, f"expected a positive number or a fraction like \"2/3\", found \"{v}\"")
        num, _, den = v.partition("/")
        if den and Fraction(den.strip()) == 0:
            ctx.fail(path, f"division by zero in weight \"{v}\"")
        w = Fraction(num.strip()) / (Fraction(den.strip()) if den else 1)
    else:
        ctx.fail(path, f"expected a positive number, found {_type_name(v)}")
    if w <= 0:
        ctx.fail(path, f"weight must be positive, found {v}",
                 "to exclude matches use [[forbid]]; weights below 1 make matches rarer")
    if w.numerator >= MAX_WEIGHT_PART or w.denominator >= MAX_WEIGHT_PART:
        ctx.fail(path, f"weight {_short_number(v)} is outside the limits: as a fraction, numerator and "
                 f"denominator must stay below 10^12", "weights are ratios between scenes, e.g. 2, 0.5 or \"1/3\"")
    return w


def _short_number(v: Any) -> str:
    text = str(v)
    return text if len(text) <= 24 else f"{text[:12]}...({len(text)} characters)"


def _cardinality(ctx: _Ctx, t: dict, p: tuple, names: Names) -> CardinalityConstraint:
    if "kind" not in t:
        ctx.fail(p, "[[cardinality]] needs a 'kind'", "one of: " + ", ".join(CARDINALITY_KINDS), at="key")
    kind = _str(ctx, t["kind"], p + ("kind",))
    if kind not in CARDINALITY_KINDS:
        ctx.fail(p + ("kind",), f"unknown cardinality kind '{kind}'",
                 did_you_mean(kind, CARDINALITY_KINDS) or "one of: " + ", ".join(CARDINALITY_KINDS))
    needs = {"objects": "objects", "attribute_type": "attribute_type"}
    allowed_extra = {"objects": ("objects",), "distinct_categories": ("categories",),
                     "attribute_type": ("attribute_type",), "distinct_attribute_types": ()}[kind]
    for k in ("objects", "categories", "attribute_type"):
        if k in t and k not in allowed_extra:
            ctx.fail(p + (k,), f"'{k}' does not apply to kind '{kind}'",
                     "kind 'objects' takes 'objects', 'distinct_categories' takes 'categories', "
                     "'attribute_type' takes 'attribute_type'", at="key")
    if kind in needs and needs[kind] not in t:
        example = {"objects": 'objects = ["animal"]', "attribute_type": 'attribute_type = "colour"'}[kind]
        ctx.fail(p, f"cardinality of kind '{kind}' needs '{needs[kind]}'", f"e.g. {example}", at="key")
    bounds = [k for k in ("at_least", "at_most", "exactly") if k in t]
    if not bounds:
        ctx.fail(p, "[[cardinality]] needs at_least, at_most or exactly", "e.g. at_least = 2", at="key")
    if "exactly" in t and len(bounds) > 1:
        other = [b for b in bounds if b != "exactly"][0]
        ctx.fail(p + (other,), f"'{other}' together with 'exactly'", "use either exactly or at_least/at_most",
                 at="key")
    if "exactly" in t:
        n = _int(ctx, t["exactly"], p + ("exactly",))
        rng = IntRange(n, n)
    else:
        lo = _int(ctx, t["at_least"], p + ("at_least",)) if "at_least" in t else 0
        hi = _int(ctx, t["at_most"], p + ("at_most",)) if "at_most" in t else None
        if hi is not None and lo > hi:
            ctx.fail(p + ("at_most",), f"empty range: at_least {lo} > at_most {hi}", "swap the two bounds")
        rng = IntRange(lo, hi)
    concepts = ConceptSet()
    categories: tuple[str, ...] = ()
    attribute_type = None
    what = kind.replace("_", " ")
    if kind == "objects":
        concepts = _concept_set(ctx, t["objects"], p + ("objects",), names)
        what = f"objects {ctx.snippet(p + ('objects',))}"
    elif kind == "distinct_categories" and "categories" in t:
        cats = []
        for name, ep in _str_list(ctx, t["categories"], p + ("categories",)):
            if name not in names.tax.categories:
                ctx.fail(ep, f"unknown category '{name}'", did_you_mean(name, names.tax.categories))
            cats.append(name)
        categories = tuple(sorted(set(cats)))
        what = f"distinct categories among {', '.join(categories)}"
    elif kind == "attribute_type":
        try:
            attribute_type = names.attribute_type(_str(ctx, t["attribute_type"], p + ("attribute_type",)))
        except NameProblem as e:
            ctx.fail(p + ("attribute_type",), e.message, e.hint)
        what = f"attributes of type {attribute_type}"
    if rng.lo == rng.hi:
        rtext = f"exactly {rng.lo}"
    elif rng.hi is None:
        rtext = f"at least {rng.lo}"
    else:
        rtext = f"{rng.lo}..{rng.hi}" if rng.lo else f"at most {rng.hi}"
    origin = ctx.origin(p, _description(ctx, t, p, f"{what}: {rtext}"))
    return CardinalityConstraint(kind, rng, origin, concepts, categories, attribute_type)


def _asp(ctx: _Ctx, data: Any, names: Names) -> RawAsp:
    p = ("asp",)
    if not isinstance(data, dict):
        ctx.fail(p, f"[asp] must be a table, found {_type_name(data)}", "write [asp] then rules = '''...'''",
                 at="key")
    ctx.check_keys(data, SECTION_KEYS["asp"], p, "[asp]")
    if "rules" not in data:
        ctx.fail(p, "[asp] needs 'rules'", "rules = ''':- rel(S,\"riding\",O), category(O,\"bird\").'''", at="key")
    rules = _str(ctx, data["rules"], p + ("rules",))
    try:
        check_raw_asp(rules, names)
    except AspProblem as exc:
        where = ctx.where(p + ("rules",))
        line, col = where.line, where.column
        if line is not None:
            if exc.line > 1:
                line += exc.line - 1
                col = exc.column
            else:
                col = (col or 1) + exc.column - 1
        raise ConstraintFileError(exc.message, path=ctx.path, line=line, column=col, field="asp.rules",
                                  hint=exc.hint) from None
    first = next((ln.strip() for ln in rules.splitlines() if ln.strip()), "")
    return RawAsp(rules, ctx.origin(p + ("rules",), _description(ctx, data, p, f"raw ASP: {first[:50]}")))


def _counted(ctx: _Ctx, t: dict, p: tuple, names: Names) -> CountedObjects:
    """``[[count]]``: ``n`` copies of one concept of ``objects`` (and no other object in ``objects``)."""
    for k in ("objects", "n"):
        if k not in t:
            ctx.fail(p, f"[[count]] needs '{k}'", 'e.g. objects = ["bus"] and n = 4 for "four buses"', at="key")
    concepts = _concept_set(ctx, t["objects"], p + ("objects",), names)
    n = _range(ctx, t["n"], p + ("n",))
    if n.lo < 1:
        ctx.fail(p + ("n",), f"at least one copy is needed, found minimum {n.lo}",
                 "to exclude these objects use [vocabulary] objects = { exclude = [...] }")
    if n.hi is None:
        ctx.fail(p + ("n",), "the number of copies needs a maximum", "write n = 4 or n = [2, 4]")
    what = f"{n.lo}" if n.lo == n.hi else f"{n.lo}..{n.hi}"
    default = f"{what} copies of one concept of {ctx.snippet(p + ('objects',))}"
    return CountedObjects(concepts, n, ctx.origin(p, _description(ctx, t, p, default)))


def _share(ctx: _Ctx, v: Any, path: tuple) -> Fraction:
    """A stratum's share: a non-negative number or a fraction string ("1/3"); shares are normalised."""
    if isinstance(v, bool) or not isinstance(v, (int, float, str)):
        ctx.fail(path, f"expected a non-negative number, found {_type_name(v)}")
    if isinstance(v, str):
        if not re.fullmatch(r"\s*\d+(\.\d+)?\s*(/\s*\d+(\.\d+)?\s*)?", v):
            ctx.fail(path, f"expected a non-negative number or a fraction like \"1/3\", found \"{v}\"")
        num, _, den = v.partition("/")
        if den and Fraction(den.strip()) == 0:
            ctx.fail(path, f"division by zero in share \"{v}\"")
        return Fraction(num.strip()) / (Fraction(den.strip()) if den else 1)
    if isinstance(v, float) and not math.isfinite(v) or v < 0:
        ctx.fail(path, f"a share must be a non-negative number, found {v}", "shares are normalised: 1, 2, 0.5 ...")
    return Fraction(repr(v)) if isinstance(v, float) else Fraction(v)


def _repeats(ctx: _Ctx, raw: Any, p: tuple):
    """``repeats = "equal"`` or ``{ repeated = SHARE, distinct = SHARE }``: the repeated-objects strata."""
    if raw == "equal":
        return "equal"
    if not isinstance(raw, dict):
        ctx.fail(p, f"expected \"equal\" or a table of shares, found {_type_name(raw)}",
                 "e.g. repeats = { repeated = 1, distinct = 3 }")
    if not raw:
        ctx.fail(p, "no strata given", 'list repeated and/or distinct, or write repeats = "equal"')
    shares = {}
    for key, v in raw.items():
        if key not in ("repeated", "distinct"):
            ctx.fail(p + (key,), f"unknown repeats stratum '{key}'",
                     did_you_mean(key, ("repeated", "distinct")) or "repeated (some concept twice or more) or "
                     "distinct (all concepts different)", at="key")
        shares[key] = _share(ctx, v, p + (key,))
    if not any(shares.values()):
        ctx.fail(p, "every share is zero", "give repeated or distinct a positive share")
    return shares


def _sampling(ctx: _Ctx, data: Any) -> SamplingPlan:
    """``[sampling]``: the file's default law and strata (``gas sample`` options override them)."""
    p = ("sampling",)
    if not isinstance(data, dict):
        ctx.fail(p, f"[sampling] must be a table, found {_type_name(data)}", "write [sampling] then "
                 "distribution = \"stratified\"", at="key")
    ctx.check_keys(data, SECTION_KEYS["sampling"], p, "[sampling]")
    strat = "stratified" if "by" in data or "strata" in data or "repeats" in data else "uniform"
    dist = _str(ctx, data["distribution"], p + ("distribution",)) if "distribution" in data else strat
    if dist not in SAMPLING_DISTRIBUTIONS:
        hint = did_you_mean(dist, SAMPLING_DISTRIBUTIONS) or "one of: " + ", ".join(SAMPLING_DISTRIBUTIONS)
        if dist == "near-uniform":
            hint = "near-uniform is approximate and only chosen on the command line (--distribution near-uniform)"
        ctx.fail(p + ("distribution",), f"unknown distribution '{dist}'", hint)
    strata = None
    if dist != "stratified":
        for k in ("by", "strata", "repeats"):
            if k in data:
                ctx.fail(p + (k,), f"'{k}' needs distribution = \"stratified\"",
                         "remove it, or set distribution = \"stratified\"", at="key")
    elif "by" not in data and "repeats" in data:
        if "strata" in data:
            ctx.fail(p + ("strata",), "'strata' needs 'by'", "add by = one of " + ", ".join(STRATA_KINDS), at="key")
        strata = {}
    else:
        if "by" not in data:
            ctx.fail(p, "stratified sampling needs 'by'", "by = one of " + ", ".join(STRATA_KINDS) + " (or repeats = "
                     "\"equal\" alone)", at="key")
        by = _str(ctx, data["by"], p + ("by",))
        if by not in STRATA_KINDS:
            ctx.fail(p + ("by",), f"unknown stratum kind '{by}'",
                     did_you_mean(by, STRATA_KINDS) or "one of: " + ", ".join(STRATA_KINDS))
        raw = data.get("strata", "equal")
        if raw == "equal":
            strata = {by: "equal"}
        elif not isinstance(raw, dict):
            ctx.fail(p + ("strata",), f"expected \"equal\" or a table of shares, found {_type_name(raw)}",
                     "e.g. strata = { 3 = 1, 4 = 2 }" if by != "shape" else 'e.g. strata = { "2/1/1" = 1 }')
        else:
            if not raw:
                ctx.fail(p + ("strata",), "no strata given", 'list some, or write strata = "equal"')
            shares = {}
            for key, v in raw.items():
                kp = p + ("strata", key)
                try:
                    if by == "shape":
                        parts = tuple(int(x) for x in key.split("/"))
                        if len(parts) != 3 or min(parts) < 0:
                            raise ValueError
                        stratum = parts
                    else:
                        stratum = int(key)
                        if stratum < 0:
                            raise ValueError
                except ValueError:
                    ctx.fail(kp, f"bad stratum '{key}' for by = \"{by}\"",
                             "write OBJECTS/ATTRIBUTES/RELATIONS, e.g. \"2/1/1\"" if by == "shape"
                             else "write a non-negative integer", at="key")
                shares[stratum] = _share(ctx, v, kp)
            if not any(shares.values()):
                ctx.fail(p + ("strata",), "every share is zero", "give at least one stratum a positive share")
            strata = {by: shares}
    if "repeats" in data and dist == "stratified":
        strata["repeats"] = _repeats(ctx, data["repeats"], p + ("repeats",))
    if "description" in data:
        _str(ctx, data["description"], p + ("description",))
    return SamplingPlan(dist, strata, ctx.origin(p, f"sampling: {dist}"))


# -- entry points --------------------------------------------------------------

def _read(path_or_text: str | Path, path: str | None) -> tuple[str, str | None]:
    is_path = isinstance(path_or_text, Path) or (
        isinstance(path_or_text, str) and "\n" not in path_or_text and "=" not in path_or_text
        and (path_or_text.endswith(".toml") or Path(path_or_text).is_file()))
    if is_path:
        p = Path(path_or_text)
        try:
            with open(p, "rb") as f:
                raw = f.read(MAX_FILE_BYTES + 1)  # bounded: a device such as /dev/zero never ends
        except OSError as exc:
            raise ConstraintFileError(f"cannot read constraint file: {exc.strerror}", path=str(p)) from None
        if len(raw) > MAX_FILE_BYTES:
            raise ConstraintFileError(f"larger than the limit of {MAX_FILE_BYTES:,} bytes for a constraint file",
                                      path=path or str(p))
        try:
            return raw.decode("utf-8"), path or str(p)
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise ConstraintFileError(f"bad encoding: byte 0x{raw[exc.start]:02x} is not UTF-8", path=path or str(p),
                                      line=line, hint="save the file as UTF-8") from None
    if not isinstance(path_or_text, str):
        raise ConstraintFileError(f"expected a path or TOML text, got {type(path_or_text).__name__}", path=path)
    return path_or_text, path


def _syntax_error(exc: ValueError, text: str, path: str | None) -> ConstraintFileError:
    msg = str(exc)
    m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
    if m is None:
        m2 = re.search(r"\(at end of document\)", msg)
        line = text.count("\n") + 1 if m2 else None
        col = None
    else:
        line, col = int(m.group(1)), int(m.group(2))
    clean = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", msg)
    return ConstraintFileError(f"TOML syntax error: {clean}", path=path, line=line, column=col,
                               hint="see docs/constraints.md for the format")


def parse_constraints(path_or_text: str | Path, taxonomy: Taxonomy, *, path: str | None = None) -> ConstraintSpec:
    """Parse a constraint file and resolve every name against ``taxonomy``.

    Parameters
    ----------
    path_or_text : str or Path
        A :class:`~pathlib.Path`, or a one-line ``str`` without ``=`` that ends in
        ``.toml`` or names an existing file, is read as a file; any other string is
        the TOML text itself.
    taxonomy : Taxonomy
        Categories, concepts, attributes and relations are looked up here.
    path : str, optional
        The file name to show in errors and origins (defaults to the file read, or ``None``).

    Returns
    -------
    ConstraintSpec
        With an :class:`Origin` for every bound and vocabulary entry (``spec.origins``),
        pattern, cardinality, soft rule and raw-ASP block.

    Raises
    ------
    ConstraintFileError
        For every problem: TOML syntax, unknown key, wrong type, empty or negative
        range, unknown name (with a "did you mean" hint), pattern syntax (with the
        column inside the pattern), non-positive weight, raw-ASP errors.

    Examples
    --------
    >>> from gas_solver.taxonomy import load_taxonomy
    >>> tax = load_taxonomy("tests/data/toy.toml")
    >>> spec = parse_constraints('[vocabulary]\\nobjects = ["animal"]\\n', tax)
    >>> sorted(spec.vocabulary.objects.members(tax))
    ['dog', 'horse', 'owl', 'sheep']
    """
    text, path = _read(path_or_text, path)
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise ConstraintFileError("arrays or tables nested too deeply to parse", path=path,
                                  hint="a constraint file needs at most 3 levels") from None
    except ValueError as exc:
        if isinstance(exc, tomllib.TOMLDecodeError) or "digits" not in str(exc):
            raise _syntax_error(exc, text, path) from None
        m = re.search(r"\d{4000,}", text)  # Python refuses to read integers of more than 4,300 digits
        line = text.count("\n", 0, m.start()) + 1 if m else None
        raise ConstraintFileError(f"an integer of more than 4,300 digits (limit of counts: {MAX_COUNT:,})",
                                  path=path, line=line) from None
    ctx = _Ctx(text, path, scan_positions(text))
    names = Names(taxonomy)
    ctx.check_keys(data, TOP_KEYS, (), "the top level")
    origins: dict[str, Origin] = {}

    if "format" in data and _str(ctx, data["format"], ("format",)) != FORMAT:
        ctx.fail(("format",), f"unsupported format '{data['format']}'", f"this version reads '{FORMAT}'")
    name, description = (_str(ctx, data[k], (k,)) if k in data else "" for k in ("name", "description"))
    semantic = True
    if "semantic" in data:
        semantic = _bool(ctx, data["semantic"], ("semantic",))
        origins["semantic"] = ctx.origin(("semantic",))
    switches = _semantics(ctx, data["semantics"], origins) if "semantics" in data else {}

    bounds = _space(ctx, data["space"], names, origins) if "space" in data else Bounds()
    vocabulary = (_vocabulary(ctx, data["vocabulary"], names, bounds.modality, origins)
                  if "vocabulary" in data else Vocabulary())
    _check_required_types(ctx, bounds, vocabulary, taxonomy,
                          switches.get("scene_attributes", "compatible") == "compatible")

    patterns: list[PatternConstraint] = []
    for section in ("require", "forbid"):
        if section not in data:
            continue
        for t, p in _array_of_tables(ctx, data, section):
            pattern = _pattern_of(ctx, t, p, taxonomy, section)
            at_least = 1
            if "at_least" in t:
                at_least = _int(ctx, t["at_least"], p + ("at_least",), "a positive integer")
                if at_least < 1:
                    ctx.fail(p + ("at_least",), "at_least must be at least 1",
                             "at_least = 0 always holds: remove the [[require]]")
            default = f"{section} {pattern.text}" + (f" (at least {at_least} matches)" if at_least > 1 else "")
            origin = ctx.origin(p, _description(ctx, t, p, default))
            patterns.append(PatternConstraint(pattern, section, origin, at_least))
    patterns.sort(key=lambda c: (c.origin.line or 0, c.origin.column or 0))
    chosen = switches.get("subject_exclusions")
    if semantic and chosen is not False:  # unset: the taxonomy's default rules; true: every rule
        origin = origins.get("semantics.subject_exclusions") or Origin(path, None, None, "semantics.subject_exclusions")
        patterns.extend(subject_exclusion_patterns(taxonomy, origin, every=bool(chosen),
                                                   typed=switches.get("relations", "typed") == "typed"))

    cardinalities = tuple(_cardinality(ctx, t, p, names) for t, p in _array_of_tables(ctx, data, "cardinality")) \
        if "cardinality" in data else ()

    soft = []
    if "soft" in data:
        for t, p in _array_of_tables(ctx, data, "soft"):
            pattern = _pattern_of(ctx, t, p, taxonomy, "soft")
            if "weight" not in t:
                ctx.fail(p, "[[soft]] needs a 'weight'", "e.g. weight = 2.0 (doubles the weight of each match)",
                         at="key")
            w = _weight(ctx, t["weight"], p + ("weight",))
            soft.append(SoftConstraint(pattern, w, ctx.origin(p, _description(ctx, t, p, f"soft {pattern.text} × {w}"))))

    raw = (_asp(ctx, data["asp"], names),) if "asp" in data else ()
    counts = tuple(_counted(ctx, t, p, names) for t, p in _array_of_tables(ctx, data, "count")) \
        if "count" in data else ()
    if counts and raw:
        ctx.fail(("count",), "[[count]] cannot be combined with raw ASP rules ([asp])",
                 "state the raw rules' intent with patterns or cardinalities", at="key")
    _disjoint_counts(ctx, counts, taxonomy)
    sampling = _sampling(ctx, data["sampling"]) if "sampling" in data else None

    spec = ConstraintSpec(bounds=bounds, vocabulary=vocabulary, semantic=semantic, **switches,
                          patterns=tuple(patterns), cardinalities=cardinalities, soft=tuple(soft), raw_asp=raw,
                          counts=counts, sampling=sampling, origins=origins, path=path,
                          text=text, hash=hashlib.sha256(text.encode("utf-8")).hexdigest(), name=name,
                          description=description)
    # values that hide attribute types split the space (solve/counted.py hidden_parts)
    return dataclasses.replace(spec, hidden_split=True) if hiding_groups(spec, taxonomy) else spec


def subject_exclusion_patterns(taxonomy: Taxonomy, origin: Origin, *, every: bool = True,
                               typed: bool = False) -> list[PatternConstraint]:
    """The taxonomy's subject exclusions as forbidden one-edge patterns (``[semantics] subject_exclusions``): a
    subject (a rule with ``end = "object"``: an object) with one of the rule's values holds none of its relations.
    A local pattern is a zero factor between two vertex labels, so counting, enumeration and sampling stay exact.
    ``every``: all rules (the switch set to ``true``), else only the rules marked ``default`` (the switch unset).
    ``typed`` (relations only between the categories of their domains): the node with the values names the
    categories of the relations' domains at its end (subject, or object),
    which matches the same scenes (no other object is such a subject) but splits only those kinds' vertex labels
    by the rule's values, not every kind that carries the type (a colour rule would split nearly all).

    >>> from gas_solver.taxonomy import load_taxonomy
    >>> tax = load_taxonomy("tests/data/tiny_poses.toml")
    >>> [p.pattern.text for p in subject_exclusion_patterns(tax, Origin(None, 1, 1, "semantics.subject_exclusions"))]
    ['a:*{pose=sitting|sleeping} -[chasing|running_toward]-> b:*', 'a:* -[chasing]-> b:*{pose=sitting}', \
'a:*{colour} -[the_same_colour_as]-> b:*']
    >>> [p.pattern.text for p in subject_exclusion_patterns(tax, Origin(None, 1, 1, "semantics.subject_exclusions"),
    ...                                                    every=False, typed=True)]
    ['a:item{colour} -[the_same_colour_as]-> b:*']
    """
    out = []
    for r in taxonomy.subject_exclusions:
        if not (every or r.default):
            continue
        on_object = r.end == "object"  # the values are the object's ("a horse ridden by a standing singer")
        subjects = ConceptSet()
        if typed:
            end = "object" if on_object else "subject"
            subjects = ConceptSet(frozenset(c for p in r.relations for c in getattr(taxonomy.relations[p], end)))
        values = None if r.every_value else r.values
        text = r.pattern_text("|".join(sorted(subjects.categories)) or "*")
        posed = PatternNode("b" if on_object else "a", subjects, (AttributeCondition(r.type, values),))
        other = PatternNode("a" if on_object else "b")
        pattern = Pattern((other, posed) if on_object else (posed, other), (PatternEdge("a", "b", r.relations),), text)
        description = f"taxonomy rule {r.id}" + (f": {r.reason}" if r.reason else "")
        out.append(PatternConstraint(pattern, "forbid", Origin(origin.path, origin.line, origin.column, origin.key,
                                                               description)))
    return out


def _disjoint_counts(ctx: _Ctx, counts: tuple, taxonomy: Taxonomy) -> None:
    """Two [[count]] groups may not share a concept (each names its own kind of object)."""
    seen: dict[str, int] = {}
    for i, c in enumerate(counts):
        for m in c.concepts.members(taxonomy):
            j = seen.setdefault(m, i)
            if j != i:
                ctx.fail(("count", i, "objects"), f"count[{i}] and count[{j}] both include concept '{m}'",
                         "make the groups' objects disjoint (exclude the shared concepts from one of them)")


def default_constraints_path() -> Path:
    """Path of the embedded default constraint file (``gas_solver/data/default_constraints.toml``)."""
    return Path(str(resources.files("gas_solver") / "data" / DEFAULT_CONSTRAINTS))


def load_default_constraints(taxonomy: Taxonomy) -> ConstraintSpec:
    """Parse the embedded default constraint file against ``taxonomy``.

    Examples
    --------
    >>> from gas_solver.taxonomy import load_taxonomy
    >>> spec = load_default_constraints(load_taxonomy())   # doctest: +SKIP
    >>> spec.bounds.complexity                             # doctest: +SKIP
    IntRange(lo=3, hi=8)
    """
    p = default_constraints_path()
    return parse_constraints(p, taxonomy, path=p.name)
