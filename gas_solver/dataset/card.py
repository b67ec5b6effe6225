"""The dataset card: ``README.md`` with a Hugging Face YAML header, and PNG plots.

The card says what the space is (constraint file, taxonomy, exact size, size
per stratum), how it was sampled (distribution, seed, command), how it is
split (and, for hold-outs, which combinations are held out), what the rows
hold, counts per stratum, plots of the content, and the licences of the
taxonomy's sources.  Plots are drawn with matplotlib's Agg backend, with
fixed size and no version or date metadata, so the same statistics give the
same PNG bytes.

Examples
--------
>>> size_category(12_000)
'10K<n<100K'
"""

from __future__ import annotations

import io
from collections import Counter
from fractions import Fraction
from pathlib import Path

from .manifest import write_bytes_atomic
from .splits import Holdout

__all__ = ["write_card", "render_card", "render_plots", "size_category", "PLOTS"]

#: plot file (under ``plots/``) -> title.  No name may contain a split word
#: (train, test, val, dev, eval): Hugging Face would take the file for a split.
PLOTS = {
    "complexity.png": "Complexity (objects + attributes + relations) per split",
    "categories.png": "Object categories (share of objects)",
    "concepts.png": "Most frequent concepts (share of objects)",
    "attributes.png": "Attribute types (share of attributes)",
    "relations.png": "Relations: kinds and predicates (share of relations)",
    "questions.png": "Question types (share of questions)",
}

_TASKS = {"image": "text-to-image", "video": "text-to-video", "3d": "text-to-3d"}
_COLOURS = ["#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860"]


def size_category(n: int) -> str:
    """The Hugging Face ``size_categories`` bucket of ``n`` rows."""
    bounds = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
              (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"), (1_000_000_000, "100M<n<1B")]
    for bound, label in bounds:
        if n < bound:
            return label
    return "n>1T" if n >= 10 ** 12 else "1B<n<10B"


def _figure(title: str, height: float):
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.5, height), dpi=100)
    ax.set_title(title, fontsize=11, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _png(fig) -> bytes:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def _hbar(title: str, counter: Counter, top: int, names: dict | None = None, colour: str = _COLOURS[0],
          unit: str = "objects") -> bytes:
    """Horizontal bars of the ``top`` largest shares; the rest is summed up in a note, not a bar
    (an "other" bar would dwarf the others when the counts are spread over thousands of labels)."""
    fig, ax = _figure(title, 1.1 + 0.27 * max(min(top, len(counter)), 1))
    _hbar_on(ax, counter, top, names, colour, unit)
    return _png(fig)


def _hbar_on(ax, counter: Counter, top: int, names: dict | None, colour: str, unit: str) -> None:
    total = sum(counter.values())
    items = counter.most_common(top)
    if not items:
        ax.text(0.5, 0.5, "none in this dataset", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return
    labels = [(names or {}).get(k, k) for k, _ in items]
    values = [100 * v / total for _, v in items]
    y = list(range(len(labels)))[::-1]
    ax.barh(y, values, color=colour)
    ax.set_yticks(y, labels, fontsize=9)
    for yi, (v, (_, count)) in zip(y, zip(values, items)):
        pct = f"{v:.1f}%" if v >= 1 else f"{v:.2g}%"
        ax.text(v, yi, f" {pct} ({count:,})" if v < 10 else f" {pct}", va="center", fontsize=8)
    ax.set_xlim(0, max(values) * 1.3)
    rest = total - sum(v for _, v in items)
    note = f"share of {total:,} {unit}"
    if rest:
        note += f"; {len(counter) - len(items):,} more not shown ({100 * rest / total:.1f}% together)"
    ax.set_xlabel(note, fontsize=9)


def _relations_png(stats, taxonomy) -> bytes:
    """Relation kinds (via the taxonomy) next to the most frequent predicates."""
    names = {r.id: r.name for r in taxonomy.relations.values()} if taxonomy is not None else None
    if taxonomy is None:
        return _hbar(PLOTS["relations.png"], stats.predicates, 20, None, _COLOURS[3], "relations")
    kinds: Counter = Counter()
    for p, n in stats.predicates.items():
        rel = taxonomy.relations.get(p)
        kinds[rel.kind if rel is not None else "unknown"] += n
    import matplotlib.pyplot as plt

    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 5.2), dpi=100, gridspec_kw={"width_ratios": [1, 1.5]})
    fig.suptitle(PLOTS["relations.png"], fontsize=11, x=0.01, ha="left")
    for ax, sub in ((a, "by kind"), (b, "most frequent predicates")):
        ax.set_title(sub, fontsize=10, loc="left")
        ax.spines[["top", "right"]].set_visible(False)
    _hbar_on(a, kinds, 10, None, _COLOURS[3], "relations")
    _hbar_on(b, stats.predicates, 15, names, _COLOURS[3], "relations")
    return _png(fig)


def render_plots(stats, splits: list[str], taxonomy=None) -> dict[str, bytes]:
    """PNG bytes of every plot in :data:`PLOTS`, from a :class:`~gas_solver.dataset.stats.Stats`."""
    out = {}
    comps = sorted({c for cs in stats.complexity.values() for c in cs})
    fig, ax = _figure(PLOTS["complexity.png"], 3.6)
    bottom = [0] * len(comps)
    for i, split in enumerate(splits):
        vals = [stats.complexity.get(split, {}).get(c, 0) for c in comps]
        ax.bar(comps, vals, bottom=bottom, color=_COLOURS[i % len(_COLOURS)], label=split)
        bottom = [b + v for b, v in zip(bottom, vals)]
    for c, b in zip(comps, bottom):
        ax.text(c, b, f"{b:,}", ha="center", va="bottom", fontsize=8)
    ax.set_xlabel("complexity")
    ax.set_ylabel("scenes")
    ax.set_xticks(comps)
    ax.set_ylim(0, max(bottom or [1]) * 1.12)
    if len(splits) > 1:
        ax.legend(frameon=False, loc="upper left")
    out["complexity.png"] = _png(fig)
    out["categories.png"] = _hbar(PLOTS["categories.png"], stats.categories, 20)
    out["concepts.png"] = _hbar(PLOTS["concepts.png"], stats.concepts, 25, stats.names, _COLOURS[2])
    out["attributes.png"] = _hbar(PLOTS["attributes.png"], stats.attribute_types, 20, None, _COLOURS[1], "attributes")
    out["relations.png"] = _relations_png(stats, taxonomy)
    out["questions.png"] = _hbar(PLOTS["questions.png"], stats.question_types, 20, None, _COLOURS[4], "questions")
    return out


def _yaml_header(manifest: dict, modality: str) -> str:
    splits = [s for s in manifest["split"] if manifest["written"].get(s, 0) > 0]
    lines = ["---", f"license: {manifest['plan']['license']}", "language:", "- en",
             f"pretty_name: {_pretty_name(manifest)!r}".replace("'", '"'), "task_categories:",
             f"- {_TASKS.get(modality, 'text-to-image')}", "- visual-question-answering",
             "tags:", "- scene-graph", "- synthetic", "- compositional", "- gas-solver",
             "size_categories:", f"- {size_category(manifest['written']['total'])}", "configs:"]
    for i, fmt in enumerate(manifest["formats"]):
        folder, ext = ("data", "parquet") if fmt == "parquet" else ("jsonl", "jsonl")
        lines += [f"- config_name: {'default' if i == 0 else fmt}", "  data_files:"]
        for s in splits:
            lines += [f"  - split: {s}", f"    path: {folder}/{s}-*.{ext}"]
    lines.append("---")
    return "\n".join(lines)


def _pretty_name(manifest: dict) -> str:
    name = _constraints_meta(manifest).get("name") or \
        manifest["constraints"]["name"].replace(" (embedded)", "").removesuffix(".toml")
    return f"gas-solver scenes: {name} constraints, {manifest['taxonomy']['name']} taxonomy"


def _constraints_meta(manifest: dict) -> dict:
    """``name`` and ``description`` of the constraint file's TOML header, if it has them."""
    import tomllib

    try:
        data = tomllib.loads(manifest["constraints"].get("text", ""))
    except tomllib.TOMLDecodeError:
        return {}
    return {k: data[k] for k in ("name", "description") if isinstance(data.get(k), str)}


def _fmt_int(text: str) -> str:
    n = int(text)
    if n < 10 ** 15:
        return f"{n:,}"
    return f"{text[0]}.{text[1:4]} × 10^{len(text) - 1} ({len(text)} digits)"


def _pct(share: float) -> str:
    """A share as a percentage that stays readable for tiny strata of huge spaces."""
    if share == 0:
        return "0%"
    if share < 1e-4:
        return f"{100 * share:.1e}%".replace("e-0", "e-")
    return f"{100 * share:.3g}%"


def _bounds_lines(spec) -> list[str]:
    if spec is None:
        return []
    b = spec.bounds

    def rng(r):
        if r.hi is None:
            return f"≥ {r.lo}"
        return f"{r.lo}" if r.lo == r.hi else f"{r.lo}–{r.hi}"

    out = [f"- modality: **{b.modality}**; complexity {rng(b.complexity)}; objects {rng(b.objects)}, "
           f"attributes {rng(b.attributes)}, relations {rng(b.relations)}, scene attributes {rng(b.scene_attributes)}",
           f"- relation graph: {'acyclic' if b.acyclic else 'cycles allowed'}"
           f"{', connected' if b.connected else ''}; repeated concepts {'allowed' if b.repeat_objects else 'forbidden'}; "
           f"semantic rules (attribute applicability, relation domains) {'on' if spec.semantic else 'off'}"]
    extras = []
    if spec.patterns:
        extras.append(f"{len(spec.patterns)} pattern rule(s)")
    if spec.cardinalities:
        extras.append(f"{len(spec.cardinalities)} cardinality rule(s)")
    if spec.soft:
        extras.append(f"{len(spec.soft)} soft weight(s)")
    if spec.raw_asp:
        extras.append(f"{len(spec.raw_asp)} raw ASP block(s)")
    if extras:
        out.append("- further constraints: " + ", ".join(extras))
    return out


_DISTRIBUTIONS = {
    "uniform": "**uniform over scenes**: every scene of the space had exactly the same probability at each draw "
               "(exact counting, then exact sampling; draws are independent, with replacement)",
    "weighted": "**weighted**: probability proportional to the product of the constraint file's soft weights",
    "stratified": "**stratified**: a fixed share per stratum, uniform inside each stratum",
    "per-structure": "**per-structure** (the reference implementation's law): a structure uniformly, then a "
                     "uniform filling of it — *not* uniform over scenes",
}


def _example_lines(row: dict) -> list[str]:
    import json

    scene = json.loads(row["scene"])
    questions = json.loads(row["questions"])
    objs = scene["objects"]
    L = [f"## Example (row {row['index']:,})", "", f"Caption: *{row['caption']}*", "",
         "Graph (object indices as in `scene`):", ""]
    for i, o in enumerate(objs):
        attrs = ", ".join(f"{a['type']}={a['value']}" for a in o["attributes"])
        L.append(f"- object {i}: {o['name']} (`{o['concept']}`, {o['category']})" + (f" — {attrs}" if attrs else ""))
    for r in scene["relations"]:
        L.append(f"- relation: {objs[r['subject']]['name']} ({r['subject']}) -[{r['predicate']}]-> "
                 f"{objs[r['object']]['name']} ({r['object']})")
    for a in scene["scene_attributes"]:
        L.append(f"- scene attribute: {a['type']} = {a['value']}")
    # Two questions of each type (in question order) show the variety better than the first few.
    shown, per_type = [], {}
    for q in questions:
        if per_type.get(q["type"], 0) < 2:
            per_type[q["type"]] = per_type.get(q["type"], 0) + 1
            shown.append(q)
    L += ["", f"{len(shown)} of its {len(questions)} questions (two per type):", "",
          "| id | type | question | answer | depends on |", "|---|---|---|---|---|"]
    for q in shown:
        choices = f" ({' / '.join(q['choices'])})" if q.get("choices") else ""
        L.append(f"| {q['id']} | {q['type']} | {q['question']}{choices} | {q['answer']} | "
                 f"{', '.join(q.get('depends_on') or []) or '—'} |")
    return L + [""]


#: what the questions score, by modality: a video is asked over its frames, a 3D output over its rendered views
_SCORED = {"video": "generated videos", "3d": "the rendered views of generated 3D objects"}


def scored_outputs(modality: str) -> str:
    """What a dataset of ``modality`` scores with its questions, as the card says it.

    >>> scored_outputs("image"), scored_outputs("3d")
    ('generated images', 'the rendered views of generated 3D objects')
    """
    return _SCORED.get(modality, "generated images")


def render_card(manifest: dict, stats, taxonomy=None, spec=None, example: dict | None = None) -> str:
    """The README.md text of a built dataset (``example``: one row, shown as a sample)."""
    m = manifest
    plan = m["plan"]
    modality = spec.bounds.modality if spec is not None else "image"
    splits = list(m["split"])
    total = m["written"]["total"]
    L: list[str] = [_yaml_header(m, modality), "", f"# {_pretty_name(m)}", ""]
    desc = _constraints_meta(m).get("description")
    if desc:
        L += [f"> {desc}", ""]
    L += [f"{total:,} synthetic scene graphs with a caption and a question–answer set each, sampled "
          f"by gas-solver {m['gas_solver_version']} from the exact space of scenes that the "
          f"constraint file `{m['constraints']['name']}` allows over the `{m['taxonomy']['name']}` taxonomy. "
          "Each row is one scene: its graph (objects with attributes, relations, scene attributes), "
          "a fluent English caption that states every element and nothing else, and yes/no and "
          f"multiple-choice questions that check each element (for VQA-based scoring of {scored_outputs(modality)}, "
          "DSG/TIFA style).", ""]
    L += ["## Quick start", "", "```python", "import json", "from datasets import load_dataset", ""]
    if "parquet" in m["formats"]:
        L.append('# in this folder (or: load_dataset("path/to/this/folder"), which reads the configs above)')
        L.append('ds = load_dataset("parquet", data_dir="data")')
    if "jsonl" in m["formats"]:
        L.append(f'{"ds_jsonl" if "parquet" in m["formats"] else "ds"} = load_dataset("json", data_dir="jsonl")')
    first = splits[0]
    L += [f'row = ds["{first}"][0]', 'print(row["caption"])', 'scene = json.loads(row["scene"])          # the graph',
          'questions = json.loads(row["questions"])  # list of question dicts', "```", ""]
    L += ["## The space", "",
          f"- constraint file: `{m['constraints']['name']}` (SHA-256 `{m['constraints']['hash'][:16]}…`; "
          "its full text is in `manifest.json`)",
          f"- taxonomy: `{m['taxonomy']['name']}` version {m['taxonomy']['version']} "
          f"(SHA-256 `{m['taxonomy']['hash'][:16]}…`)"]
    if taxonomy is not None:
        st = taxonomy.stats()
        L.append(f"  — {st['objects']:,} concepts in {st['categories']:,} categories, {st['attribute_types']} attribute "
                 f"types ({st['attribute_values']:,} values), {st['relations']:,} relations, "
                 f"{st['scene_attribute_types']} scene-attribute types ({st['scene_attribute_values']:,} values)")
    L += _bounds_lines(spec)
    size = m["space"]["size"]
    L += [f"- **exact number of distinct scenes in the space: {_fmt_int(size)}**"
          + (f" = {int(size):,}" if len(size) >= 16 else "")
          + " (scenes are counted up to renumbering of their objects: counted exactly, never enumerated)", ""]
    by_key = next(k for k in m["space"] if k.startswith("by_"))
    by = by_key[3:]
    L += ["## How it was sampled", "",
          f"- distribution: {_DISTRIBUTIONS.get(m['distribution'], m['distribution'])}"]
    if m["strata"]:
        kind, shares = next(iter(m["strata"].items()))
        if shares == "equal":
            L.append(f"- strata ({kind}): equal shares over the strata that hold scenes")
        else:
            L.append(f"- strata ({kind}): " + ", ".join(f"{k}: {100 * float(Fraction(v)):.3g}%"
                                                     for k, v in shares.items()))
    distinct = m.get("distinct_scenes", total)
    L += [f"- seed {m['seed']}; {m['requested']:,} rows requested, {total:,} written"
          + ("; **deduplicated** (`--unique`): each scene occurs once, the first draw of each is kept" if m["unique"] else
             f"; draws are with replacement: {distinct:,} distinct scenes"
             + (f" ({total - distinct:,} rows repeat an earlier scene)" if distinct < total else "")),
          "- every row records its sampler draw and its realizer seed, so any row can be regenerated alone; "
          "the whole dataset is reproduced byte for byte by:", "", "```", m["command"], "```", ""]
    L += ["## Splits", "", "| split | rows | share |", "|---|---:|---:|"]
    for s in splits:
        k = m["written"].get(s, 0)
        L.append(f"| {s} | {k:,} | {100 * k / (total or 1):.1f}% |")
    L.append("")
    h = m["holdout"]
    if h is None:
        L += [f"Rows are split by a hash of (seed, canonical scene id) against the ratios "
              f"{', '.join(f'{s}={r:g}' for s, r in m['split'].items())}; identical scenes always fall in the same "
              "split.", ""]
    else:
        hold = Holdout(h["kind"], tuple(h.get("patterns", ())))
        L += _holdout_lines(m, hold, stats)
    L += [f"## Counts per stratum ({by})", "",
          f"| {by} | scenes in the space | share of space | " + " | ".join(f"{s} rows" for s in splits) + " |",
          "|---|---:|---:|" + "---:|" * len(splits)]
    space_total = int(m["space"]["size"]) or 1
    counts = {s: (stats.complexity.get(s, {}) if by == "complexity" else
                  {k.split("=", 1)[1]: v for k, v in stats.strata.get(s, {}).items()}) for s in splits}
    for key, size in m["space"][by_key].items():
        share = int(size) / space_total
        rows = [counts[s].get(int(key) if by == "complexity" else key, 0) for s in splits]
        L.append(f"| {key} | {_fmt_int(size)} | {_pct(share)} | " + " | ".join(f"{r:,}" for r in rows) + " |")
    L.append("")
    top_key, top_size = max(m["space"][by_key].items(), key=lambda kv: int(kv[1]))
    if m["distribution"] == "uniform" and int(top_size) / space_total > 0.9:
        L += [f"The number of scenes grows steeply with {by}, so sampling uniformly over scenes gives mostly "
              f"{by} {top_key} ({_pct(int(top_size) / space_total)} of the space). For balanced {by} use "
              f"`--distribution stratified --strata '{by}:...'`.", ""]
    L += ["## Content", ""]
    for name, title in PLOTS.items():
        L += [f"![{title}](plots/{name})", ""]
    yes, no = stats.answers.get("yes", 0), stats.answers.get("no", 0)
    L += [f"- objects per scene: {sum(stats.categories.values()) / (total or 1):.2f}; "
          f"distinct concepts used: {len(stats.concepts):,}; distinct object categories: {len(stats.categories):,}",
          f"- questions per scene: {stats.questions / (total or 1):.2f} "
          f"({', '.join(f'{k} {_pct(v / (stats.questions or 1))}' for k, v in stats.question_types.most_common())}); "
          f"yes/no answers: {yes:,} yes, {no:,} no",
          f"- caption length: {stats.caption_words / (total or 1):.1f} words on average, {stats.caption_max_words} at most",
          ""]
    if example is not None:
        L += _example_lines(example)
    L += ["## Fields", "", "One row per scene; every column is a scalar, the graph and the questions are JSON strings "
          "(they load identically from Parquet and JSON lines).", "",
          "| column | type | meaning |", "|---|---|---|",
          "| `id` | string | canonical scene id (`sg-` + 32 hex): equal scenes, equal ids |",
          "| `index` | int64 | row number in the whole dataset, before splitting |",
          "| `draw` | int64 | sampler draw the scene came from |",
          "| `seed` | int64 | realizer seed (caption template, question foils) |",
          "| `modality` | string | image, video or 3d |",
          "| `complexity` | int32 | objects + attributes + relations |",
          "| `n_objects`, `n_attributes`, `n_relations` | int32 | element counts |",
          "| `stratum` | string | stratum label (`complexity=5` or `shape=2/2/1`) |",
          "| `caption` | string | the caption |",
          "| `n_questions` | int32 | number of questions |",
          "| `scene` | string | JSON: `objects` (concept, name, category, attributes), `relations` (subject, "
          "predicate, object: indices into objects), `scene_attributes` |",
          "| `questions` | string | JSON list: id, type, elements, question, answer, choices, depends_on |", ""]
    L += ["## Files", "", f"- {'`data/` (Parquet)' if 'parquet' in m['formats'] else ''}"
          f"{' and ' if len(m['formats']) == 2 else ''}{'`jsonl/` (JSON lines)' if 'jsonl' in m['formats'] else ''}: "
          f"{len(m['shards'])} shards, named `{{split}}-{{k}}-of-{{K}}`",
          "- `manifest.json`: versions and hashes of the inputs, the constraint file's text, options, counts, "
          "the exact space size and a SHA-256 per shard; `gas verify <folder>` checks all of it", ""]
    lic = plan["license"]
    L += ["## Licences and sources", "",
          (f"Dataset licence: `{lic}`." if lic != "other" else
           "Dataset licence: not chosen (`other`); pick one compatible with the sources below before publishing "
           "(`gas build --license ...`).")
          + " The captions and questions are generated text; the words in them come from the taxonomy, whose "
          "sources and licences are:", ""]
    sources = m["taxonomy"].get("sources") or []
    if sources:
        L += [f"- {s}" for s in sources]
    else:
        L.append("- (the taxonomy declares no sources)")
    L += ["", "## Limitations", "",
          "- Scenes are synthetic and compositional by construction; their frequencies follow the sampling "
          "distribution above, not the frequencies of real photographs.",
          "- Concept and attribute names come from lexical resources (e.g. WordNet) and inherit their coverage "
          "and biases.", ""]
    return "\n".join(L)


def _holdout_lines(m: dict, hold: Holdout, stats) -> list[str]:
    h = m["holdout"]
    rest = [s for s in m["split"] if s != "test"]
    out = []
    if hold.kind == "pattern":
        out += ["**Held-out compositional split (patterns).** The `test` split holds exactly the scenes that match "
                "at least one of these patterns; no other split contains a match:", ""]
        out += [f"- `{p}`" for p in hold.patterns]
        out += ["", f"The share of `test` is the share of sampled scenes that match (requested "
                f"{m['split']['test']:g}; patterns fix the share). The other rows go to "
                f"{', '.join(rest)} by a hash of (seed, scene id).", ""]
        return out
    what = {"relation-pairs": "(subject category, predicate, object category) triples of relations, written "
                              "`subject -[predicate]-> object`",
            "attribute-pairs": "(object category, attribute type, value) triples, written `category{type=value}`"}
    summary = stats.holdout_summary(m) or {"held_in_test": [], "held_elsewhere": [], "shared_in_test": 0}
    achieved = m["written"].get("test", 0) / (m["written"]["total"] or 1)
    out += [f"**Held-out compositional split ({hold.kind}).** Combinations are {what[hold.kind]}. A combination is "
            "held out when a 64-bit hash of (seed, combination) is below a threshold; a scene containing any "
            "held-out combination goes to `test`, every other scene to "
            f"{', '.join(f'`{s}`' for s in rest)}. So every `test` scene contains at least one combination that "
            f"never occurs outside `test`: {len(summary['held_in_test']):,} held-out combinations occur in `test`, "
            f"{len(summary['held_elsewhere'])} occur in other splits.", "",
            f"*Ratio.* The requested test share {m['split']['test']:g} is approximated: the threshold is the "
            f"{m['split']['test']:g}-quantile, over the first {h['pilot']:,} scenes of the build, of each scene's "
            f"smallest combination hash ({h['pilot_test']:,} of those {h['pilot']:,} went to test). "
            f"Achieved share: {achieved:.1%}."]
    if h.get("capped"):
        out.append(f"Only {h['with_combinations']:,} of the pilot scenes have any such combination, so the share was "
                   "capped: scenes without combinations always go to the other splits.")
    out.append("")
    if summary["held_in_test"]:
        out += ["Examples of held-out combinations (in `test` only):", ""]
        out += [f"- `{c}`" for c in summary["held_in_test"][:12]]
        if len(summary["held_in_test"]) > 12:
            out.append(f"- … and {len(summary['held_in_test']) - 12:,} more")
        out.append("")
    return out


def write_card(folder: str | Path, manifest: dict, stats, taxonomy=None, spec=None, example: dict | None = None) -> None:
    """Write ``plots/*.png`` and ``README.md`` into a dataset folder (atomically, each file)."""
    folder = Path(folder)
    (folder / "plots").mkdir(exist_ok=True)
    for name, data in render_plots(stats, list(manifest["split"]), taxonomy).items():
        write_bytes_atomic(folder / "plots" / name, data)
    write_bytes_atomic(folder / "README.md", render_card(manifest, stats, taxonomy, spec, example).encode())
