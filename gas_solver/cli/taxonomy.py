"""``gas taxonomy``: inspect and validate taxonomies (the embedded default or your own file)."""

from __future__ import annotations

import json

import click

from ..taxonomy import load_taxonomy
from ..taxonomy.model import SIZE_CLASSES
from .options import taxonomy_option

__all__ = ["COMMANDS", "taxonomy_group"]


def _describe_object(tax, o) -> list[str]:
    return [
        f"object {o.id}",
        f"  name:      {o.name}",
        f"  synonyms:  {', '.join(o.synonyms) or '-'}",
        f"  category:  {' > '.join(tax.path(o.category))}",
        f"  plural:    {o.plural}",
        f"  article:   {o.article or '(none: mass noun)'}",
        f"  countable: {'yes' if o.countable else 'no'}",
        f"  tier:      {o.tier}" + ("" if o.familiarity is None else f" (familiarity {o.familiarity:.2f})"),
        f"  size:      {tax.size_name(o.id) or '-'}",
        *_describe_domain(tax, o),
    ]


def _describe_domain(tax, o) -> list[str]:
    """The attribute values the concept takes (its category and the concept rules that reach it), per type."""
    rules = [tax.attribute_domains[i] for i in tax.attribute_profile(o.id)]
    lines = ["  rules:     " + ("; ".join(f"{r.type} {r.mode} {', '.join(r.values) or '-'} (from {r.target} "
                                             f"{tax.object(r.target).name})" for r in rules) if rules else "-")]
    lines.append("  attributes:")
    for t, vals in sorted(tax.concept_attribute_domain(o.id).items()):
        names = [v.name for v in tax.attribute_types[t].values if v.id in vals]
        shown = ", ".join(names[:12]) + (f", ... ({len(names)})" if len(names) > 12 else "")
        lines.append(f"    {t + ':':<12} {shown}")
    return lines


@click.group("taxonomy")
def taxonomy_group() -> None:
    """Inspect the taxonomy: stats, search, show, category tree, validate.

    \b
    Example:
        gas taxonomy search dog
    """


@taxonomy_group.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as one JSON object.")
@taxonomy_option
def stats_cmd(as_json: bool, taxonomy_path: str | None) -> None:
    """Counts of categories, objects, attributes, relations and scene attributes.

    \b
    Example:
        gas taxonomy stats --json
    """
    stats = load_taxonomy(taxonomy_path).stats()
    if as_json:
        click.echo(json.dumps(stats, sort_keys=True))
        return
    width = max(len(k) for k in stats)
    for k, v in stats.items():
        if isinstance(v, dict):  # tiers, sizes, settings: "everyday 1,300  common 7,407  all 15,392"
            v = "  ".join(f"{name} {n:,}" for name, n in v.items()) or "-"
        click.echo(f"{k:<{width}}  {v:,}" if isinstance(v, int) else f"{k:<{width}}  {v}")


@taxonomy_group.command("search")
@click.argument("word")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True, help="Most results to print.")
@taxonomy_option
def search_cmd(word: str, limit: int, taxonomy_path: str | None) -> None:
    """Objects whose name or synonym matches WORD (exact, then partial, then close spellings).

    Prints one tab-separated line per object: id, name, category, familiarity tier and score,
    synonyms.

    \b
    Example:
        gas taxonomy search "fire truck"
    """
    tax = load_taxonomy(taxonomy_path)
    hits = tax.search(word, limit=limit)
    if not hits:
        raise click.ClickException(f"no object matches {word!r}")
    for o in hits:  # tab-separated: id, name, category, tier (score), synonyms
        score = "" if o.familiarity is None else f" ({o.familiarity:.2f})"
        click.echo(f"{o.id}\t{o.name}\t{o.category}\t{o.tier}{score}\t{', '.join(o.synonyms)}".rstrip("\t"))


@taxonomy_group.command("show")
@click.argument("ident")
@taxonomy_option
def show_cmd(ident: str, taxonomy_path: str | None) -> None:
    """Show an object, category, attribute type, relation, scene-attribute type or setting by id.

    \b
    Example:
        gas taxonomy show mammal
    """
    tax = load_taxonomy(taxonomy_path)
    lines: list[str] = []
    if tax.has_object(ident):
        lines += _describe_object(tax, tax.object(ident))
    if ident in tax.categories:
        c = tax.categories[ident]
        kids = tax.children[ident]
        lines += [f"category {c.id}", f"  name:     {c.name}", f"  path:     {' > '.join(tax.path(c.id))}",
                  f"  children: {', '.join(kids) or '-'}",
                  f"  objects:  {len(tax.concepts_of(c.id)):,} (in its closure)"]
    if ident in tax.attribute_types:
        t = tax.attribute_types[ident]
        lines += [f"attribute type {t.id}", f"  name:       {t.name}", f"  order:      {t.order}",
                  f"  applies to: {', '.join(t.applies_to) or '-'}", f"  question:   {t.question or '-'}",
                  f"  values ({len(t.values)}): " + ", ".join(
                      v.name + (f" [{'/'.join(v.applies_to)}]" if v.applies_to else "") for v in t.values)]
    if ident in tax.relations:
        r = tax.relations[ident]
        lines += [f"relation {r.id}", f"  name:      {r.name}", f"  present:   {r.present}"]
        if r.after_object:  # "leads a soldier by the hand"
            head = r.present[:-len(r.after_object) - 1]
            lines.append(f"  with its object: {head} <object> {r.after_object}")
        lines += [f"  kind:      {r.kind}",
                  f"  subject:   {', '.join(r.subject)}" + (f" (not {', '.join(r.subject_except)})" if r.subject_except else ""),
                  f"  object:    {', '.join(r.object)}" + (f" (not {', '.join(r.object_except)})" if r.object_except else ""),
                  f"  sizes:     subject {_band(r.subject_size)}, object {_band(r.object_size)}"]
        for end, by in (("subject", r.subject_size_by), ("object", r.object_size_by)):
            if by:
                lines.append(f"  {end} sizes by category: " + ", ".join(f"{c} {_band(b)}" for c, b in by))
        if r.size_ratio is not None:
            lo, hi = r.size_ratio
            lines.append(f"  size ratio: the object's size class minus the subject's in [{lo:+d}, {hi:+d}]")
        for subject, objects in r.object_by_subject:
            lines.append(f"  objects of a subject under {subject}: {', '.join(objects) or 'none (not its act)'}")
        lines += [f"  symmetric: {'yes' if r.symmetric else 'no'}", f"  tier:      {r.tier}"]
    if ident in tax.settings:
        lines += _describe_setting(tax, tax.settings[ident])
    if ident in tax.scene_attribute_types:
        t = tax.scene_attribute_types[ident]
        lines += [f"scene-attribute type {t.id}", f"  name:       {t.name}",
                  f"  modalities: {', '.join(t.modalities)}", f"  phrase:     {t.phrase}",
                  f"  question:   {t.question or '-'}",
                  f"  values ({len(t.values)}): " + ", ".join(v.name for v in t.values)]
    if not lines:
        hits = tax.search(ident, limit=5)
        hint = f" (objects named like it: {', '.join(o.id + ' ' + o.name for o in hits)})" if hits else ""
        raise click.ClickException(f"no object, category, attribute type, relation, scene-attribute type or "
                                   f"setting has id {ident!r}{hint}")
    click.echo("\n".join(lines))


def _band(band: tuple[int, int]) -> str:
    """A size band as ``small-huge`` (``any`` for the whole range)."""
    lo, hi = band
    if (lo, hi) == (0, len(SIZE_CLASSES) - 1):
        return "any"
    return SIZE_CLASSES[lo] if lo == hi else f"{SIZE_CLASSES[lo]}-{SIZE_CLASSES[hi]}"


def _describe_setting(tax, st) -> list[str]:
    """The rules of a setting (``gas taxonomy show indoor``): what fits it and which locations carry it."""
    def named(ids) -> str:
        return ", ".join(i if i in tax.categories else f"{tax.object(i).name} ({i})" for i in ids) or "-"

    locations = [v.id for v in tax.scene_attribute_types["location"].values if v.setting == st.id] \
        if "location" in tax.scene_attribute_types else []
    return [f"setting {st.id}", f"  largest size: {SIZE_CLASSES[st.max_size]}",
            f"  excludes:     {named(st.exclude)}",
            f"  size caps:    {', '.join(f'{c} up to {SIZE_CLASSES[s]}' for c, s in st.caps) or '-'}",
            f"  fits anyway:  {named(st.fit)}",
            f"  denies:       {', '.join(st.deny) or '-'}",
            f"  locations ({len(locations)}): {', '.join(locations[:40])}{' ...' if len(locations) > 40 else ''}"] \
        + [f"  {t.id} ({len(vals)}): {', '.join(vals)}" for t in tax.scene_attribute_types.values() if t.id != "location"
           for vals in [[v.id for v in t.values if v.setting == st.id]] if vals]


@taxonomy_group.command("categories")
@taxonomy_option
def categories_cmd(taxonomy_path: str | None) -> None:
    """The category tree, with object counts (own / whole subtree).

    \b
    Example:
        gas taxonomy categories
    """
    tax = load_taxonomy(taxonomy_path)

    def walk(cid: str, depth: int) -> None:
        own = len(tax.own_concepts(cid))
        total = len(tax.concepts_of(cid))
        click.echo(f"{'  ' * depth}{cid}  {own:,} / {total:,}")
        for k in tax.children[cid]:
            walk(k, depth + 1)

    for root in tax.roots:
        walk(root, 0)


@taxonomy_group.command("validate")
@click.argument("file", type=click.Path(dir_okay=False))
def validate_cmd(file: str) -> None:
    """Check a taxonomy file (TOML, JSON or JSON.gz); exit 1 with the first error found.

    \b
    Example:
        gas taxonomy validate my_taxonomy.toml
    """
    tax = load_taxonomy(file)  # a TaxonomyError becomes "Error: file:line: entry: message", exit 1
    s = tax.stats()
    click.echo(f"OK: {s['categories']} categories, {s['objects']} objects, {s['attribute_types']} attribute types "
               f"({s['attribute_values']} values), {s['relations']} relations, {s['scene_attribute_types']} "
               f"scene-attribute types ({s['scene_attribute_values']} values)")


COMMANDS = [taxonomy_group]
