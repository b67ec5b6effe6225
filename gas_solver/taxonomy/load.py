"""Loading and validating taxonomy files (JSON, gzipped JSON, or TOML).

The format (``format = "gas-taxonomy/1"``) is documented in the README
("Custom taxonomies").  Every error names the file, the line (where the
source has lines), the entry and the field, and raises :class:`TaxonomyError`.
"""

from __future__ import annotations

import hashlib
import json
import operator
import re
import tomllib
import zlib
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import TaxonomyError
from .schema import LIMITS, unknown_keys
from .model import (
    ADJECTIVE_ORDER,
    COUNTABILITY,
    DOMAIN_MODES,
    RELATION_KINDS,
    SIZE_CLASSES,
    TIERS,
    derive_countability,
    Setting,
    AttributeDomain,
    AttributeExclusion,
    AttributeType,
    AttributeValue,
    Category,
    ObjectConcept,
    RelationType,
    SceneAttributeType,
    SceneAttributeValue,
    SubjectExclusion,
    Taxonomy,
)

__all__ = ["load_taxonomy", "taxonomy_from_dict", "DEFAULT_TAXONOMY", "default_taxonomy_path"]

FORMAT = "gas-taxonomy/1"
DEFAULT_TAXONOMY = "default_taxonomy.json.gz"
MODALITIES = ("image", "video", "3d")

_cache: dict[str, Taxonomy] = {}


def default_taxonomy_path() -> Path:
    return Path(str(resources.files("gas_solver") / "data" / DEFAULT_TAXONOMY))


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Load a taxonomy file; ``None`` loads the embedded default (cached per process).

    Raises
    ------
    TaxonomyError
        naming the file, line, entry and field of the first problem found.
    """
    p = default_taxonomy_path() if path is None else Path(path)
    key = str(p.resolve()) if p.exists() else str(p)
    if path is None and key in _cache:
        return _cache[key]
    limit = LIMITS["bytes"]
    try:
        with open(p, "rb") as f:
            raw = f.read(limit + 1)  # bounded: a device such as /dev/zero never ends
    except OSError as exc:
        raise TaxonomyError(f"cannot read taxonomy file: {exc.strerror}", path=str(p)) from None
    if len(raw) > limit:
        raise TaxonomyError(f"taxonomy file larger than the limit of {limit:,} bytes", path=str(p))
    if p.name.endswith(".gz"):
        try:
            d = zlib.decompressobj(wbits=31)  # gzip framing; bounded output: a gzip bomb stops at the limit
            raw = d.decompress(raw, limit + 1)
            if len(raw) > limit:
                raise TaxonomyError(f"taxonomy larger than the limit of {limit:,} bytes once unzipped", path=str(p))
            if not d.eof:
                raise TaxonomyError("not a valid gzip file: the compressed data ends early", path=str(p))
        except zlib.error as exc:
            raise TaxonomyError(f"not a valid gzip file: {exc}", path=str(p)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TaxonomyError(f"bad encoding: byte 0x{raw[exc.start]:02x} is not UTF-8", path=str(p), line=line,
                            hint="save the file as UTF-8") from None
    suffixes = [s for s in p.suffixes if s != ".gz"]
    try:
        if suffixes and suffixes[-1] == ".toml":
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                m = re.search(r"line (\d+), column (\d+)", str(exc))
                raise TaxonomyError(f"TOML syntax error: {exc}", path=str(p), line=int(m.group(1)) if m else None,
                                    column=int(m.group(2)) if m else None) from None
        else:
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise TaxonomyError(f"JSON syntax error: {exc.msg}", path=str(p), line=exc.lineno,
                                    column=exc.colno) from None
    except RecursionError:
        # the parsers recurse once per level: a hostile file nests arrays or tables thousands deep
        raise TaxonomyError("arrays or tables nested too deeply to parse (the format needs 4 levels)",
                            path=str(p)) from None
    tax = taxonomy_from_dict(data, path=str(p), text=text)
    tax.hash = hashlib.sha256(raw).hexdigest()
    if path is None:
        _cache[key] = tax
    return tax


class _Ctx:
    """Error helper: finds the source line of an entry by its id."""

    def __init__(self, path: str, text: str | None):
        self.path = path
        self.text = text

    def line_of(self, ident: str | None, occurrence: int = 1) -> int | None:
        if not self.text or ident is None:
            return None
        # TOML `id = "x"` or JSON `"id": "x"`; a duplicate is reported at its second occurrence
        pattern = re.compile(r'(?:^|[\s{,\[])("?id"?\s*[:=]\s*"' + re.escape(str(ident)) + '")', re.M)
        hits = list(pattern.finditer(self.text))
        if not hits:
            return None
        m = hits[min(occurrence, len(hits)) - 1]
        return self.text.count("\n", 0, m.start(1)) + 1

    def fail(self, message: str, *, entry: str, ident: str | None = None, hint: str | None = None,
             occurrence: int = 1):
        raise TaxonomyError(message, path=self.path, line=self.line_of(ident, occurrence), field=entry, hint=hint)

    def check_keys(self, table: dict, section: str, entry: str, ident: str | None = None) -> None:
        """Every key of ``table`` must be declared for ``section`` in :data:`.schema.KNOWN_KEYS`."""
        for key, hint in unknown_keys(table, section):
            line = None
            if self.text:
                m = re.search(r'(?:^|[\s{,])"?' + re.escape(str(key)) + r'"?\s*[:=]', self.text, re.M)
                line = self.text.count("\n", 0, m.start()) + 1 if m else None
            raise TaxonomyError(f"unknown key {key!r}", path=self.path, line=line if line else self.line_of(ident),
                                field=entry, hint=hint)


def _str(ctx: _Ctx, d: dict, key: str, entry: str, ident=None, default=None, required=True) -> str:
    if key not in d:
        if required:
            ctx.fail(f"missing field {key!r}", entry=entry, ident=ident)
        return default
    v = d[key]
    if not isinstance(v, str):
        ctx.fail(f"field {key!r} must be a string, got {type(v).__name__}", entry=entry, ident=ident)
    if key in _NON_EMPTY and not v.strip():
        ctx.fail(f"field {key!r} is empty", entry=entry, ident=ident, hint="ids, names and values must say something")
    return v


#: string fields that may not be empty or blank (an empty id or name makes an invisible concept or word)
_NON_EMPTY = ("id", "name", "category", "parent", "plural", "present", "phrase", "order", "kind")


def _strs(ctx: _Ctx, d: dict, key: str, entry: str, ident=None, *, one_string: bool = True) -> tuple[str, ...]:
    """A list of non-empty strings; a lone string stands for a list of one where ``one_string``."""
    v = d.get(key, [])
    if isinstance(v, str) and one_string:
        v = [v]
    if isinstance(v, str):
        ctx.fail(f"field {key!r} must be a list of strings, got a string", entry=entry, ident=ident,
                 hint=f"write {key} = [{v!r}]")
    if not isinstance(v, list) or [x for x in v if not isinstance(x, str)]:
        ctx.fail(f"field {key!r} must be a list of strings", entry=entry, ident=ident)
    if [x for x in v if not x.strip()]:
        ctx.fail(f"field {key!r} holds an empty string", entry=entry, ident=ident)
    return tuple(v)


def _list(ctx: _Ctx, data: dict, key: str) -> list:
    v = data.get(key, [])
    if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
        ctx.fail(f"top-level {key!r} must be a list of tables/objects", entry=key)
    return v


def _rules(ctx: _Ctx, data: dict, key: str):
    """``(entry, table)`` for each table of the top-level list ``key`` (:func:`_list`), its keys checked."""
    for i, r in enumerate(_list(ctx, data, key)):
        entry = f"{key}[{i}]"
        ctx.check_keys(r, key, entry)
        yield entry, r


_COMPACT_REQUIRED = ("id", "name", "category", "plural", "article", "countable", "synonyms")
#: optional compact columns: familiarity score, tier, size class (names as in the general form)
_COMPACT_OPTIONAL = ("familiarity", "tier", "size")
_SIZE_INDEX = {s: i for i, s in enumerate(SIZE_CLASSES)}


def _compact_objects(columns: Any, rows: Any, cats: dict) -> list[ObjectConcept] | None:
    """Objects of the compact form when every row is complete and valid, else ``None``.

    This is the loader's fast path (the embedded default has ~18k rows): the same checks as
    the general path, done per column in bulk.  On any irregularity it returns ``None`` and
    the general path runs, which reports the first problem with its entry and field.
    """
    if not isinstance(columns, list) or not isinstance(rows, list) or set(_COMPACT_REQUIRED) - set(columns):
        return None
    width = len(columns)
    extra = [c for c in _COMPACT_OPTIONAL if c in columns]
    if extra and extra != list(_COMPACT_OPTIONAL):
        return None  # some optional columns only: the general path handles (and checks) them
    pick = operator.itemgetter(*(columns.index(c) for c in _COMPACT_REQUIRED + (_COMPACT_OPTIONAL if extra else ())))
    # the countability column is optional on its own (older files derive it from countable)
    kind_at = columns.index("countability") if "countability" in columns else None
    out = []
    ids = set()
    sizes = _SIZE_INDEX
    for row in rows:
        if type(row) is not list or len(row) != width:
            return None
        if extra:
            oid, name, cat, plural, article, countable, synonyms, score, tier, size = pick(row)
            if (type(score) not in (float, int) or tier not in TIERS or size not in sizes):
                return None
            more = (float(score), tier, sizes[size])
        else:
            oid, name, cat, plural, article, countable, synonyms = pick(row)
            more = ()
        if (type(oid) is not str or type(name) is not str or type(cat) is not str or type(plural) is not str
                or cat not in cats or oid in ids or article not in ("a", "an", "") or type(countable) is not bool
                or type(synonyms) is not list or not plural):
            return None
        for syn in synonyms:
            if type(syn) is not str:
                return None
        if kind_at is None:
            kind = derive_countability(countable, name, plural)
        else:
            kind = row[kind_at]
            if kind not in COUNTABILITY or (kind == "count") != countable:
                return None
        if not extra:
            more = (None, "everyday", None)
        ids.add(oid)
        out.append(ObjectConcept(oid, name, cat, plural, article, countable, tuple(synonyms), *more, kind))
    return out


def taxonomy_from_dict(data: Any, *, path: str = "<dict>", text: str | None = None) -> Taxonomy:
    """Validate a parsed taxonomy document and build a :class:`Taxonomy`."""
    ctx = _Ctx(path, text)
    if not isinstance(data, dict):
        ctx.fail("a taxonomy file must hold one table/object at top level", entry="<top>")
    ctx.check_keys(data, "<top>", "<top>")
    fmt = data.get("format", FORMAT)
    if fmt != FORMAT:
        ctx.fail(f"unknown format {fmt!r}", entry="format", hint=f"expected {FORMAT!r}")

    # categories --------------------------------------------------------
    cats: dict[str, Category] = {}
    for i, c in enumerate(_list(ctx, data, "categories")):
        cid = _str(ctx, c, "id", f"categories[{i}]")
        ctx.check_keys(c, "categories", f"category {cid!r}", cid)
        if cid in cats:
            ctx.fail(f"field 'id': duplicate category id {cid!r}", entry=f"categories[{i}]", ident=cid, occurrence=2)
        parent = c.get("parent")
        if parent is not None and not isinstance(parent, str):
            ctx.fail("field 'parent' must be a string", entry=f"category {cid!r}", ident=cid)
        cats[cid] = Category(cid, _str(ctx, c, "name", f"category {cid!r}", cid, default=cid, required=False), parent or None)
    if not cats:
        ctx.fail("no categories", entry="categories")

    def unknown_cat(name: str, entry: str, ident: str, fieldname: str):
        import difflib

        m = difflib.get_close_matches(name, list(cats), n=1, cutoff=0.6)
        ctx.fail(f"field {fieldname!r} names unknown category {name!r}", entry=entry, ident=ident,
                 hint=f"did you mean {m[0]!r}?" if m else None)

    for c in cats.values():
        if c.parent is not None and c.parent not in cats:
            unknown_cat(c.parent, f"category {c.id!r}", c.id, "parent")
    # cycle check
    for c in cats.values():
        seen = {c.id}
        p = c.parent
        while p is not None:
            if p in seen:
                ctx.fail(f"field 'parent': cycle in the category tree through {p!r}", entry=f"category {c.id!r}", ident=c.id)
            seen.add(p)
            p = cats[p].parent

    # objects -------------------------------------------------------------
    objects: list[ObjectConcept] = []
    seen_ids: set[str] = set()
    raw_objects = data.get("objects", [])
    columns = data.get("object_columns")
    if isinstance(columns, list) and all(isinstance(c, str) for c in columns):
        ctx.check_keys(dict.fromkeys(columns), "objects", "object_columns")
    fast = _compact_objects(columns, raw_objects, cats) if columns is not None else None
    if fast is not None:  # the shipped default: every row well-formed, no per-field checks needed
        objects, raw_objects = fast, []
    elif columns is not None:  # compact form: object rows as arrays
        if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
            ctx.fail("must be a list of field names", entry="object_columns")
        for i, row in enumerate(raw_objects):
            if not isinstance(row, list) or len(row) != len(columns):
                ctx.fail(f"row must be a list of {len(columns)} values (one per object_columns entry)",
                         entry=f"objects[{i}]")
        raw_objects = [dict(zip(columns, row)) for row in raw_objects]
    for i, o in enumerate(raw_objects):
        if not isinstance(o, dict):
            ctx.fail("each object must be a table/object", entry=f"objects[{i}]")
        oid = _str(ctx, o, "id", f"objects[{i}]")
        entry = f"object {oid!r}"
        ctx.check_keys(o, "objects", entry, oid)
        if oid in seen_ids:
            ctx.fail(f"field 'id': duplicate object id {oid!r}", entry=entry, ident=oid, occurrence=2)
        seen_ids.add(oid)
        name = _str(ctx, o, "name", entry, oid)
        cat = _str(ctx, o, "category", entry, oid)
        if cat not in cats:
            unknown_cat(cat, entry, oid, "category")
        article = o.get("article")
        countable = o.get("countable", True)
        if not isinstance(countable, bool):
            ctx.fail("field 'countable' must be true or false", entry=entry, ident=oid)
        if article is None:
            article = ("an" if name[:1].lower() in "aeiou" else "a") if countable else ""
        if article not in ("a", "an", ""):
            ctx.fail(f"field 'article' must be 'a', 'an' or '' (got {article!r})", entry=entry, ident=oid)
        plural = o.get("plural") or (name if not countable else name + "s")
        kind = o.get("countability")
        if kind is None:
            kind = derive_countability(countable, name, plural)
        elif kind not in COUNTABILITY:
            ctx.fail(f"field 'countability' must be one of {', '.join(COUNTABILITY)} (got {kind!r})",
                     entry=entry, ident=oid)
        elif (kind == "count") != countable:
            ctx.fail(f"field 'countability' is {kind!r} but 'countable' is {str(countable).lower()}",
                     entry=entry, ident=oid)
        score = o.get("familiarity")
        if score is not None and (isinstance(score, bool) or not isinstance(score, (int, float))):
            ctx.fail("field 'familiarity' must be a number", entry=entry, ident=oid)
        tier = o.get("tier", "everyday")
        if tier not in TIERS:
            ctx.fail(f"field 'tier' must be one of {', '.join(TIERS)} (got {tier!r})", entry=entry, ident=oid)
        size = o.get("size")
        if size is not None and size not in _SIZE_INDEX:
            ctx.fail(f"field 'size' must be one of {', '.join(SIZE_CLASSES)} (got {size!r})", entry=entry, ident=oid)
        objects.append(ObjectConcept(oid, name, cat, plural, article, countable,
                                     _strs(ctx, o, "synonyms", entry, oid, one_string=False),
                                     None if score is None else float(score), tier,
                                     None if size is None else _SIZE_INDEX[size], kind))

    # attribute types -----------------------------------------------------
    atypes: dict[str, AttributeType] = {}
    for i, t in enumerate(_list(ctx, data, "attribute_types")):
        tid = _str(ctx, t, "id", f"attribute_types[{i}]")
        entry = f"attribute type {tid!r}"
        ctx.check_keys(t, "attribute_types", entry, tid)
        if tid in atypes:
            ctx.fail(f"field 'id': duplicate attribute type {tid!r}", entry=entry, ident=tid, occurrence=2)
        order = _str(ctx, t, "order", entry, tid, default="opinion", required=False)
        if order not in ADJECTIVE_ORDER:
            ctx.fail(f"field 'order' must be one of {', '.join(ADJECTIVE_ORDER)} (got {order!r})", entry=entry, ident=tid)
        applies = _strs(ctx, t, "applies_to", entry, tid)
        for a in applies:
            if a not in cats:
                unknown_cat(a, entry, tid, "applies_to")
        values = []
        vseen: set[str] = set()
        raw_values = t.get("values", [])
        if not isinstance(raw_values, list) or not raw_values:
            ctx.fail("field 'values' must be a non-empty list", entry=entry, ident=tid)
        for j, v in enumerate(raw_values):
            if isinstance(v, str):
                v = {"id": v, "name": v}
            if not isinstance(v, dict):
                ctx.fail("each value must be a string or a table/object", entry=f"{entry} values[{j}]", ident=tid)
            vid = _str(ctx, v, "id", f"{entry} values[{j}]", tid)
            ctx.check_keys(v, "attribute_types.values", f"{entry} value {vid!r}", vid)
            if vid in vseen:
                ctx.fail(f"field 'values': duplicate value {vid!r}", entry=entry, ident=vid, occurrence=2)
            vseen.add(vid)
            vapplies = _strs(ctx, v, "applies_to", f"{entry} value {vid!r}", vid)
            for a in vapplies:
                if a not in cats:
                    unknown_cat(a, f"{entry} value {vid!r}", vid, "applies_to")
            rgb = _str(ctx, v, "rgb", f"{entry} value {vid!r}", vid, default="", required=False)
            if rgb and not re.fullmatch(r"#[0-9a-fA-F]{6}", rgb):
                ctx.fail(f"field 'rgb' must be '#rrggbb' (got {rgb!r})", entry=f"{entry} value {vid!r}", ident=vid)
            group = _str(ctx, v, "group", f"{entry} value {vid!r}", vid, default="", required=False)
            # the size classes of the things the value may describe ("huge" from large up): a band like a
            # relation end's, read by the same rule
            band = _size_band(ctx, v, "object_size", f"{entry} value {vid!r}", vid)
            band_by = _size_bands_by(ctx, v, "object_size_by", f"{entry} value {vid!r}", vid, cats)
            values.append(AttributeValue(vid, _str(ctx, v, "name", f"{entry} value {vid!r}", vid, default=vid, required=False), vapplies,
                                         rgb.lower(), group, band, band_by))
        exclusive = t.get("exclusive", True)
        if not isinstance(exclusive, bool):
            ctx.fail("field 'exclusive' must be true or false", entry=entry, ident=tid)
        mass = t.get("mass", True)
        if not isinstance(mass, bool):
            ctx.fail("field 'mass' must be true or false", entry=entry, ident=tid)
        atypes[tid] = AttributeType(tid, _str(ctx, t, "name", entry, tid, default=tid, required=False), order, applies,
                                    tuple(values), _str(ctx, t, "question", entry, tid, default="", required=False),
                                    exclusive, mass)

    # relations -----------------------------------------------------------
    rels: dict[str, RelationType] = {}
    for i, r in enumerate(_list(ctx, data, "relations")):
        rid = _str(ctx, r, "id", f"relations[{i}]")
        entry = f"relation {rid!r}"
        ctx.check_keys(r, "relations", entry, rid)
        if rid in rels:
            ctx.fail(f"field 'id': duplicate relation id {rid!r}", entry=entry, ident=rid, occurrence=2)
        kind = _str(ctx, r, "kind", entry, rid, default="spatial", required=False)
        if kind not in RELATION_KINDS:
            ctx.fail(f"field 'kind' must be one of {', '.join(RELATION_KINDS)} (got {kind!r})", entry=entry, ident=rid)
        subj = _strs(ctx, r, "subject", entry, rid)
        obj = _strs(ctx, r, "object", entry, rid)
        for fieldname, group in (("subject", subj), ("object", obj)):
            if not group:
                ctx.fail(f"field {fieldname!r} must name at least one category", entry=entry, ident=rid)
            for a in group:
                if a not in cats:
                    unknown_cat(a, entry, rid, fieldname)
        sym = r.get("symmetric", False)
        if not isinstance(sym, bool):
            ctx.fail("field 'symmetric' must be true or false", entry=entry, ident=rid)
        name = _str(ctx, r, "name", entry, rid, default=rid.replace("_", " "), required=False)
        present = _str(ctx, r, "present", entry, rid, default="is " + name, required=False)
        bands = [_size_band(ctx, r, key, entry, rid) for key in ("subject_size", "object_size")]
        by = [_size_bands_by(ctx, r, key, entry, rid, cats) for key in ("subject_size_by", "object_size_by")]
        tier = _str(ctx, r, "tier", entry, rid, default="everyday", required=False)
        if tier not in TIERS:
            ctx.fail(f"field 'tier' must be one of {', '.join(TIERS)} (got {tier!r})", entry=entry, ident=rid)
        ratio = _size_ratio(ctx, r, entry, rid)
        if sym and ratio is not None and ratio[0] != -ratio[1]:
            ctx.fail("field 'size_ratio' of a symmetric relation must be [-k, k]", entry=entry, ident=rid)
        pairs = _object_by_subject(ctx, r, entry, rid, cats)
        if sym and pairs:
            ctx.fail("field 'object_by_subject' is not allowed on a symmetric relation (its two ends must stay "
                     "interchangeable)", entry=entry, ident=rid)
        after = _str(ctx, r, "after_object", entry, rid, default="", required=False)
        if after and not all(p.endswith(" " + after) and len(p) > len(after) + 1 for p in (name, present)):
            ctx.fail(f"field 'after_object' must be the last words of 'name' and 'present' (got {after!r} for "
                     f"{name!r} / {present!r})", entry=entry, ident=rid)
        excepts = []
        for fieldname in ("subject_except", "object_except"):
            group = _strs(ctx, r, fieldname, entry, rid) if fieldname in r else ()
            for a in group:
                if a not in cats:
                    unknown_cat(a, entry, rid, fieldname)
            excepts.append(tuple(group))
        if sym and sorted(excepts[0]) != sorted(excepts[1]):
            ctx.fail("fields 'subject_except' and 'object_except' of a symmetric relation must be equal (its two "
                     "ends must stay interchangeable)", entry=entry, ident=rid)
        rels[rid] = RelationType(rid, name, kind, subj, obj, sym, present, *bands, *by, tier=tier, size_ratio=ratio,
                                 object_by_subject=pairs, after_object=after, subject_except=excepts[0],
                                 object_except=excepts[1])

    # settings (of location values) -------------------------------------
    settings: dict[str, Setting] = {}
    for i, st in enumerate(_list(ctx, data, "settings")):
        sid = _str(ctx, st, "id", f"settings[{i}]")
        entry = f"setting {sid!r}"
        ctx.check_keys(st, "settings", entry, sid)
        if sid in settings:
            ctx.fail(f"field 'id': duplicate setting {sid!r}", entry=entry, ident=sid, occurrence=2)
        max_size = st.get("max_size", SIZE_CLASSES[-1])
        min_size = st.get("min_size", SIZE_CLASSES[0])
        for key, size in (("max_size", max_size), ("min_size", min_size)):
            if size not in _SIZE_INDEX:
                ctx.fail(f"field {key!r} must be one of {', '.join(SIZE_CLASSES)} (got {size!r})", entry=entry,
                         ident=sid)
        if _SIZE_INDEX[min_size] > _SIZE_INDEX[max_size]:
            ctx.fail(f"field 'min_size': {min_size!r} is larger than max_size {max_size!r}", entry=entry, ident=sid)
        # exclude / fit: category ids or concept ids (a name that is both is the category)
        known_ids = {o.id for o in objects}
        named = {}
        for key in ("exclude", "fit"):
            named[key] = _strs(ctx, st, key, entry, sid)
            for a in named[key]:
                if a not in cats and a not in known_ids:
                    import difflib

                    m = difflib.get_close_matches(a, [*cats, *known_ids], n=1, cutoff=0.6)
                    ctx.fail(f"field {key!r} names {a!r}, neither a category nor a concept", entry=entry,
                             ident=sid, hint=f"did you mean {m[0]!r}?" if m else None)
        caps = st.get("caps", {})
        if not isinstance(caps, dict):
            ctx.fail("field 'caps' must map categories to size classes (caps = { animal = \"medium\" })",
                     entry=entry, ident=sid)
        for c, size in caps.items():
            if c not in cats:
                unknown_cat(c, entry, sid, "caps")
            if size not in _SIZE_INDEX:
                ctx.fail(f"field 'caps': {c!r} must be one of {', '.join(SIZE_CLASSES)} (got {size!r})",
                         entry=entry, ident=sid)
        settings[sid] = Setting(sid, _SIZE_INDEX[max_size], named["exclude"],
                                tuple(sorted((c, _SIZE_INDEX[z]) for c, z in caps.items())), named["fit"],
                                _strs(ctx, st, "deny", entry, sid), _SIZE_INDEX[min_size])

    # scene-attribute types ---------------------------------------------
    stypes: dict[str, SceneAttributeType] = {}
    object_ids = {o.id for o in objects}
    for i, t in enumerate(_list(ctx, data, "scene_attribute_types")):
        tid = _str(ctx, t, "id", f"scene_attribute_types[{i}]")
        entry = f"scene-attribute type {tid!r}"
        ctx.check_keys(t, "scene_attribute_types", entry, tid)
        if tid in stypes:
            ctx.fail(f"field 'id': duplicate scene-attribute type {tid!r}", entry=entry, ident=tid, occurrence=2)
        mods = _strs(ctx, t, "modalities", entry, tid) or MODALITIES
        for m in mods:
            if m not in MODALITIES:
                ctx.fail(f"field 'modalities' names unknown modality {m!r}", entry=entry, ident=tid,
                         hint=f"use {', '.join(MODALITIES)}")
        phrase = _str(ctx, t, "phrase", entry, tid, default="with {value}", required=False)
        if "{value}" not in phrase:
            ctx.fail("field 'phrase' must contain the slot {value}", entry=entry, ident=tid)
        question = _str(ctx, t, "question", entry, tid, default="", required=False)
        values = []
        vseen = set()
        raw_values = t.get("values", [])
        if not isinstance(raw_values, list) or not raw_values:
            ctx.fail("field 'values' must be a non-empty list", entry=entry, ident=tid)
        for j, v in enumerate(raw_values):
            if isinstance(v, str):
                v = {"id": v, "name": v}
            if not isinstance(v, dict):
                ctx.fail("each value must be a string or a table/object", entry=f"{entry} values[{j}]", ident=tid)
            vid = _str(ctx, v, "id", f"{entry} values[{j}]", tid)
            ctx.check_keys(v, "scene_attribute_types.values", f"{entry} value {vid!r}", vid)
            if vid in vseen:
                ctx.fail(f"field 'values': duplicate value {vid!r}", entry=entry, ident=vid, occurrence=2)
            vseen.add(vid)
            setting = _str(ctx, v, "setting", f"{entry} value {vid!r}", vid, default="", required=False)
            if setting and setting not in settings:
                ctx.fail(f"field 'setting' names unknown setting {setting!r}", entry=f"{entry} value {vid!r}",
                         ident=vid, hint=f"define it under [[settings]] ({', '.join(settings) or 'none defined'})")
            overlap = _str(ctx, v, "overlap", f"{entry} value {vid!r}", vid, default="", required=False)
            contents = _strs(ctx, v, "contents", f"{entry} value {vid!r}", vid) if "contents" in v else ()
            for c in contents:
                if c not in object_ids:
                    ctx.fail(f"field 'contents' names {c!r}, not a concept", entry=f"{entry} value {vid!r}",
                             ident=c)
            hides = _strs(ctx, v, "hides", f"{entry} value {vid!r}", vid) if "hides" in v else ()
            for h in hides:  # an attribute type, or one value of it ("pattern:multicoloured")
                ht, _, hv = h.partition(":")
                if ht not in atypes or (hv and hv not in {x.id for x in atypes[ht].values}):
                    ctx.fail(f"field 'hides' names {h!r}, not an attribute type or 'type:value'",
                             entry=f"{entry} value {vid!r}", ident=h)
            keeps = _str(ctx, v, "keeps", f"{entry} value {vid!r}", vid, default="", required=False)
            for k in keeps.split():
                if k not in settings:
                    ctx.fail(f"field 'keeps' names unknown setting {k!r}", entry=f"{entry} value {vid!r}",
                             ident=vid, hint=f"define it under [[settings]] ({', '.join(settings) or 'none defined'})")
            if keeps and (setting or hides):
                ctx.fail("field 'keeps' goes with neither 'setting' nor 'hides' (a value that places its scene, or "
                         "hides an attribute, keeps to no other setting)", entry=f"{entry} value {vid!r}", ident=vid)
            max_objects = v.get("max_objects", 0)
            if isinstance(max_objects, bool) or not isinstance(max_objects, int) or max_objects < 0:
                ctx.fail(f"field 'max_objects' must be a whole number of objects (1 or more; 0 = no bound), got "
                         f"{max_objects!r}", entry=f"{entry} value {vid!r}", ident=vid)
            values.append(SceneAttributeValue(vid, _str(ctx, v, "name", f"{entry} value {vid!r}", vid, default=vid,
                                                     required=False), setting, overlap, contents, hides, keeps,
                                              max_objects))
        choice_question = _str(ctx, t, "choice_question", entry, tid, default="", required=False)
        group = _str(ctx, t, "group", entry, tid, default="", required=False)
        exclusive = t.get("exclusive", True)
        if not isinstance(exclusive, bool):
            ctx.fail("field 'exclusive' must be true or false", entry=entry, ident=tid)
        stypes[tid] = SceneAttributeType(tid, _str(ctx, t, "name", entry, tid, default=tid, required=False), mods, phrase, question, tuple(values),
                                         choice_question=choice_question, group=group, exclusive=exclusive)

    for sid, st in settings.items():  # a setting's denied scene-attribute types must exist
        for t in st.deny:
            tid, _, vid = t.partition(":")
            if tid not in stypes:
                ctx.fail(f"field 'deny' names unknown scene-attribute type {tid!r}", entry=f"setting {sid!r}",
                         ident=sid)
            if vid and vid not in {v.id for v in stypes[tid].values}:
                ctx.fail(f"field 'deny' names unknown value {vid!r} of scene-attribute type {tid!r}",
                         entry=f"setting {sid!r}", ident=sid)
    parents = _object_isa(ctx, data, {o.id for o in objects})
    confusable = _object_confusable(ctx, data, {o.id for o in objects})
    never_foil = _object_never_foil(ctx, data, {o.id for o in objects})
    parts = _object_parts(ctx, data, {o.id for o in objects})
    entails, inverse, exclusive = _relation_logic(ctx, data, rels)
    domains = _attribute_domains(ctx, data, cats, {o.id for o in objects}, atypes)
    exclusions = _attribute_exclusions(ctx, data, atypes)
    subject_exclusions = _subject_exclusions(ctx, data, atypes, rels)

    name = data.get("name", Path(path).stem)
    version = str(data.get("version", "0"))
    sources = tuple(str(s) for s in data.get("sources", ()))
    return Taxonomy(str(name), version, cats, tuple(objects), atypes, rels, stypes, settings=settings,
                    sources=sources, object_parents=parents, relation_entails=entails, relation_inverse=inverse,
                    relation_exclusive=exclusive, object_confusable=confusable,
                    object_never_foil=never_foil, attribute_domains=domains, object_parts=parts,
                    attribute_exclusions=exclusions, subject_exclusions=subject_exclusions)


def _attribute_domains(ctx: _Ctx, data: dict, cats: dict, ids: set[str], atypes: dict) -> tuple:
    """Top-level ``attribute_domains`` (optional): rules ``{type, target, mode, values}`` that narrow or widen
    the values an attribute type takes on a category or a kind of thing (see :class:`.model.AttributeDomain`)."""
    out = []
    for entry, r in _rules(ctx, data, "attribute_domains"):
        tid = _str(ctx, r, "type", entry)
        if tid not in atypes:
            import difflib

            m = difflib.get_close_matches(tid, list(atypes), n=1, cutoff=0.6)
            ctx.fail(f"field 'type' names unknown attribute type {tid!r}", entry=entry, ident=tid,
                     hint=f"did you mean {m[0]!r}?" if m else None)
        target = _str(ctx, r, "target", entry)
        if target not in cats and target not in ids:
            ctx.fail(f"field 'target' names {target!r}, neither a category nor a concept", entry=entry, ident=target)
        mode = _str(ctx, r, "mode", entry, default="only", required=False)
        if mode not in DOMAIN_MODES:
            ctx.fail(f"field 'mode' must be one of {', '.join(DOMAIN_MODES)} (got {mode!r})", entry=entry)
        values = _strs(ctx, r, "values", entry)
        known = {v.id for v in atypes[tid].values}
        for v in values:
            if v not in known:
                ctx.fail(f"field 'values' names {v!r}, not a value of attribute type {tid!r}", entry=entry, ident=v)
        out.append(AttributeDomain(tid, target, mode, values))
    return tuple(out)


def _rule_id(ctx: _Ctx, r: dict, entry, seen: set) -> str:
    """A rule's ``id``, refused when an earlier rule of its section has it (``seen``: the ids so far)."""
    rid = _str(ctx, r, "id", entry)
    if rid in seen:
        ctx.fail(f"duplicate rule id {rid!r}", entry=entry, ident=rid, occurrence=2)
    seen.add(rid)
    return rid


def _attribute_exclusions(ctx: _Ctx, data: dict, atypes: dict) -> tuple:
    """Top-level ``attribute_exclusions`` (optional): rules ``{id, type, values | except, other_type,
    other_values | other_except, reason}``: no object carries a value of the first set beside one of the second
    (see :class:`.model.AttributeExclusion`).  No ``values`` and no ``except``: every value of the type."""
    import difflib

    out = []
    seen = set()
    for entry, r in _rules(ctx, data, "attribute_exclusions"):
        rid = _rule_id(ctx, r, entry, seen)
        sides = []
        for tkey, vkey, xkey in (("type", "values", "except"), ("other_type", "other_values", "other_except")):
            tid = _str(ctx, r, tkey, entry, rid)
            if tid not in atypes:
                m = difflib.get_close_matches(tid, list(atypes), n=1, cutoff=0.6)
                ctx.fail(f"field {tkey!r} names unknown attribute type {tid!r}", entry=entry, ident=tid,
                         hint=f"did you mean {m[0]!r}?" if m else None)
            known = tuple(v.id for v in atypes[tid].values)
            if vkey in r and xkey in r:
                ctx.fail(f"fields {vkey!r} and {xkey!r} exclude each other", entry=entry, ident=rid)
            named = _strs(ctx, r, vkey if vkey in r else xkey, entry, rid) if (vkey in r or xkey in r) else ()
            for v in named:
                if v not in known:
                    ctx.fail(f"field {vkey if vkey in r else xkey!r} names {v!r}, not a value of attribute type "
                             f"{tid!r}", entry=entry, ident=v)
            if vkey in r:
                vals = frozenset(named)
            else:
                vals = frozenset(v for v in known if v not in named)
            if not vals:
                ctx.fail(f"the rule leaves no value of {tid!r}", entry=entry, ident=rid)
            sides.append((tid, vals))
        if sides[0][0] == sides[1][0]:
            ctx.fail("a rule joins two different types (one object holds one value per type)", entry=entry,
                     ident=rid)
        reason = _str(ctx, r, "reason", entry, rid, default="", required=False)
        out.append(AttributeExclusion(rid, sides[0][0], sides[0][1], sides[1][0], sides[1][1], reason))
    return tuple(out)


def _subject_exclusions(ctx: _Ctx, data: dict, atypes: dict, rels: dict) -> tuple:
    """Top-level ``subject_exclusions`` (optional): rules ``{id, type, values, relations, reason, default}``: no
    object carrying one of the values (``"*"``: any value of the type) is the subject of one of the relations
    (``end = "object"``: the object); ``default = true``: also in files that leave the switch unset (see
    :class:`.model.SubjectExclusion`)."""
    out = []
    seen = set()
    for entry, r in _rules(ctx, data, "subject_exclusions"):
        rid = _rule_id(ctx, r, entry, seen)
        tid = _str(ctx, r, "type", entry, rid)
        if tid not in atypes:
            ctx.fail(f"field 'type' names unknown attribute type {tid!r}", entry=entry, ident=tid)
        known = {v.id for v in atypes[tid].values}
        every = r.get("values") == "*"  # every value of the type: "a subject with any colour word"
        values = tuple(sorted(known)) if every else _strs(ctx, r, "values", entry, rid)
        relations = _strs(ctx, r, "relations", entry, rid)
        if not values or not relations:
            ctx.fail("fields 'values' and 'relations' must each name at least one", entry=entry, ident=rid)
        for v in values:
            if v not in known:
                ctx.fail(f"field 'values' names {v!r}, not a value of attribute type {tid!r}", entry=entry, ident=v)
        for p in relations:
            if p not in rels:
                ctx.fail(f"field 'relations' names unknown relation {p!r}", entry=entry, ident=p)
        reason = _str(ctx, r, "reason", entry, rid, default="", required=False)
        default = r.get("default", False)
        if not isinstance(default, bool):
            ctx.fail(f"field 'default' must be true or false, found {default!r}", entry=entry, ident=rid)
        end = r.get("end", "subject")
        if end not in ("subject", "object"):
            ctx.fail(f"field 'end' must be \"subject\" or \"object\", found {end!r}", entry=entry, ident=rid)
        out.append(SubjectExclusion(rid, tid, frozenset(values), frozenset(relations), reason, default, every, end))
    return tuple(out)


def _object_confusable(ctx: _Ctx, data: dict, ids: set[str]) -> dict[str, frozenset[str]]:
    """Top-level ``object_confusable`` (optional): groups of concept ids that look alike, as lists; returns
    concept -> the other members of its groups."""
    raw = data.get("object_confusable", [])
    if not isinstance(raw, list) or any(not isinstance(g, list) for g in raw):
        ctx.fail("top-level 'object_confusable' must be a list of lists of concept ids", entry="object_confusable")
    out: dict[str, set[str]] = {}
    for i, group in enumerate(raw):
        for c in group:
            if c not in ids:
                ctx.fail(f"group {i}: unknown concept {c!r}", entry="object_confusable", ident=c)
            out.setdefault(c, set()).update(x for x in group if x != c)
    return {c: frozenset(v) for c, v in out.items()}


def _object_never_foil(ctx: _Ctx, data: dict, ids: set[str]) -> frozenset[str]:
    """Top-level ``object_never_foil`` (optional): concept ids no question uses as a foil or distractor."""
    raw = data.get("object_never_foil", [])
    if not isinstance(raw, list) or any(not isinstance(c, str) for c in raw):
        ctx.fail("top-level 'object_never_foil' must be a list of concept ids", entry="object_never_foil")
    for c in raw:
        if c not in ids:
            ctx.fail(f"unknown concept {c!r}", entry="object_never_foil", ident=c)
    return frozenset(raw)


def _object_parts(ctx: _Ctx, data: dict, ids: set[str]) -> dict[str, tuple[str, ...]]:
    """Top-level ``object_parts``: ``{concept: [concepts that are its parts]}`` (optional)."""
    raw = data.get("object_parts", {})
    if not isinstance(raw, dict):
        ctx.fail("top-level 'object_parts' must map concept ids to lists of concept ids", entry="object_parts")
    out: dict[str, tuple[str, ...]] = {}
    for c, parts in raw.items():
        if c not in ids:
            ctx.fail(f"unknown concept {c!r}", entry="object_parts", ident=c)
        if not isinstance(parts, list) or any(p not in ids or p == c for p in parts):
            ctx.fail(f"the parts of {c!r} must be a list of other known concept ids", entry="object_parts", ident=c)
        out[c] = tuple(parts)
    return out


def _object_isa(ctx: _Ctx, data: dict, ids: set[str]) -> dict[str, tuple[str, ...]]:
    """Top-level ``object_isa``: ``{concept: [its nearest more general concepts]}`` (optional)."""
    raw = data.get("object_isa", {})
    if not isinstance(raw, dict):
        ctx.fail("top-level 'object_isa' must map concept ids to lists of concept ids", entry="object_isa")
    out: dict[str, tuple[str, ...]] = {}
    for c, parents in raw.items():
        if c not in ids:
            ctx.fail(f"unknown concept {c!r}", entry="object_isa", ident=c)
        if not isinstance(parents, list) or any(p not in ids or p == c for p in parents):
            ctx.fail(f"the parents of {c!r} must be a list of other known concept ids", entry="object_isa", ident=c)
        out[c] = tuple(parents)
    return out


def _relation_logic(ctx: _Ctx, data: dict, rels: dict) -> tuple[dict, dict, dict]:
    """Top-level ``relation_logic`` (optional): ``entails`` ([p, q]: p implies q), ``equivalent`` ([p, q]: each
    implies the other) and ``inverse`` ([p, q]: ``a p b`` iff ``b q a``), as lists of predicate pairs, and
    ``exclusive`` (groups [p, q, ...] no two of which hold of the same ordered pair: above / below).

    Returns p -> everything p entails (equivalents included, closed transitively), p -> its inverses and
    p -> the predicates exclusive with it (as stated: :meth:`Taxonomy.relation_contradicts` closes them)."""
    raw = data.get("relation_logic") or {}
    if not isinstance(raw, dict) or set(raw) - {"entails", "equivalent", "inverse", "exclusive"}:
        ctx.fail("top-level 'relation_logic' must be a table with 'entails', 'equivalent', 'inverse', 'exclusive'",
                 entry="relation_logic")
    exclusive: dict[str, set[str]] = {}
    groups = raw.get("exclusive", [])
    if not isinstance(groups, list):
        ctx.fail("field 'exclusive' must be a list of predicate groups", entry="relation_logic")
    for k, group in enumerate(groups):
        if not (isinstance(group, list) and len(group) >= 2 and all(isinstance(x, str) for x in group)):
            ctx.fail(f"exclusive[{k}] must be a list of two or more predicate ids", entry="relation_logic")
        for x in group:
            if x not in rels:
                ctx.fail(f"exclusive[{k}] names unknown relation {x!r}", entry="relation_logic", ident=x)
            exclusive.setdefault(x, set()).update(y for y in group if y != x)
    pairs = {}
    for key in ("entails", "equivalent", "inverse"):
        items = raw.get(key, [])
        if not isinstance(items, list):
            ctx.fail(f"field {key!r} must be a list of [predicate, predicate] pairs", entry="relation_logic")
        for k, pq in enumerate(items):
            if not (isinstance(pq, list) and len(pq) == 2 and all(isinstance(x, str) for x in pq)):
                ctx.fail(f"{key}[{k}] must be a pair of predicate ids", entry="relation_logic")
            for x in pq:
                if x not in rels:
                    ctx.fail(f"{key}[{k}] names unknown relation {x!r}", entry="relation_logic", ident=x)
        pairs[key] = [tuple(pq) for pq in items]
    step: dict[str, set[str]] = {}
    for p, q in pairs["entails"]:
        step.setdefault(p, set()).add(q)
    for p, q in pairs["equivalent"]:
        step.setdefault(p, set()).add(q)
        step.setdefault(q, set()).add(p)
    inverse: dict[str, set[str]] = {}
    for p, q in pairs["inverse"]:
        inverse.setdefault(p, set()).add(q)
        inverse.setdefault(q, set()).add(p)
    entails: dict[str, frozenset[str]] = {}
    for p in step:
        seen: set[str] = set()
        stack = [p]
        while stack:
            for q in step.get(stack.pop(), ()):
                if q not in seen:
                    seen.add(q)
                    stack.append(q)
        seen.discard(p)
        entails[p] = frozenset(seen)
    for p, qs in exclusive.items():
        both = ({p} | entails.get(p, frozenset())) & qs
        if both:  # "p entails q" and "p excludes q": p could never hold
            ctx.fail(f"exclusive: {p!r} entails {sorted(both)[0]!r}, which it excludes", entry="relation_logic",
                     ident=p)
    return (entails, {p: frozenset(v) for p, v in inverse.items()},
            {p: frozenset(v) for p, v in exclusive.items()})


def _size_bands_by(ctx: _Ctx, r: dict, key: str, entry: str, rid: str,
                   cats) -> tuple[tuple[str, tuple[int, int]], ...]:
    """``subject_size_by`` / ``object_size_by``: a table category -> ``[lo, hi]`` size classes (or one name)."""
    v = r.get(key)
    if v is None:
        return ()
    if not isinstance(v, dict):
        ctx.fail(f"field {key!r} must be a table of category = [smallest, largest] size classes",
                 entry=entry, ident=rid)
    out = []
    for cat in sorted(v):
        if cat not in cats:
            ctx.fail(f"field {key!r}: unknown category {cat!r}", entry=entry, ident=rid)
        out.append((cat, _size_band(ctx, {key: v[cat]}, key, entry, rid)))
    return tuple(out)


def _object_by_subject(ctx: _Ctx, r: dict, entry: str, rid: str, cats) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A relation's ``object_by_subject``: a table subject category -> object categories (lists of known
    categories; an empty list: that subject category takes no object, the act is not its own), or absent."""
    v = r.get("object_by_subject")
    if v is None:
        return ()
    if not isinstance(v, dict):
        ctx.fail("field 'object_by_subject' must be a table of subject category = [object category, ...]",
                 entry=entry, ident=rid)
    out = []
    for cat in sorted(v):
        objs = v[cat]
        if cat not in cats:
            ctx.fail(f"field 'object_by_subject': unknown category {cat!r}", entry=entry, ident=rid)
        if not isinstance(objs, list) or any(not isinstance(o, str) for o in objs):
            ctx.fail(f"field 'object_by_subject': {cat!r} must name a list of categories", entry=entry,
                     ident=rid)
        for o in objs:
            if o not in cats:
                ctx.fail(f"field 'object_by_subject': unknown category {o!r}", entry=entry, ident=rid)
        out.append((cat, tuple(objs)))
    return tuple(out)


def _size_ratio(ctx: _Ctx, r: dict, entry: str, rid: str) -> tuple[int, int] | None:
    """A relation's ``size_ratio``: ``[lo, hi]``, the object's size class minus the subject's (integers,
    ``-5 <= lo <= hi <= 5``), or absent."""
    v = r.get("size_ratio")
    if v is None:
        return None
    top = len(SIZE_CLASSES) - 1
    if (not isinstance(v, list) or len(v) != 2 or any(type(x) is not int for x in v)
            or not -top <= v[0] <= v[1] <= top):
        ctx.fail(f"field 'size_ratio' must be [lo, hi], integers with {-top} <= lo <= hi <= {top} (the object's "
                 f"size class minus the subject's)", entry=entry, ident=rid)
    return (v[0], v[1])


def _size_band(ctx: _Ctx, r: dict, key: str, entry: str, rid: str) -> tuple[int, int]:
    """A relation's ``subject_size`` / ``object_size``, or an attribute value's ``object_size``: ``[lo, hi]``
    size-class names (or one name)."""
    v = r.get(key)
    if v is None:
        return (0, len(SIZE_CLASSES) - 1)
    if isinstance(v, str):
        v = [v, v]
    if (not isinstance(v, list) or len(v) != 2 or any(x not in _SIZE_INDEX for x in v)
            or _SIZE_INDEX[v[0]] > _SIZE_INDEX[v[1]]):
        ctx.fail(f"field {key!r} must be [smallest, largest] size classes of {', '.join(SIZE_CLASSES)}",
                 entry=entry, ident=rid)
    return (_SIZE_INDEX[v[0]], _SIZE_INDEX[v[1]])
