"""Dataset statistics: mergeable counters over rows, and ``gas stats`` tables.

:class:`Stats` counts what a dataset card shows (rows, complexity, strata,
object categories, concepts, attribute types, predicates, scene-attribute
types, question types, caption lengths, and — for hold-out builds — the
combinations seen per split).  Workers fill one per part while they build;
the parts' counters are merged at the end (counters add up, so the result
does not depend on how rows were spread over workers).  :func:`compute_stats`
recomputes the same numbers from the written shards, streaming, as an
independent check (``gas stats DIR``).

Examples
--------
>>> s = Stats()
>>> s.add("train", {"complexity": 2, "shape": [1, 1, 0], "objects": [{"concept": "dog", "name": "dog",
...        "category": "mammal", "attributes": [{"type": "colour", "value": "brown"}]}],
...        "relations": [], "scene_attributes": []}, [{"type": "existence"}], "a brown dog")
>>> s.rows, s.attribute_types
(Counter({'train': 1}), Counter({'colour': 1}))
"""

from __future__ import annotations

from collections import Counter
from operator import itemgetter
from pathlib import Path
from types import FunctionType
from typing import Iterable

import orjson

from ..realize.qa import QuestionSet
from .manifest import read_manifest
from .schema import iter_shard_rows
from .splits import combo_hash, combos_of

__all__ = ["Stats", "compute_stats", "format_stats"]

try:  # the C helper behind Counter.update(iterable); same counts as ``c[x] += 1`` per element
    from collections import _count_elements
except ImportError:  # pragma: no cover - other Python implementations
    def _count_elements(mapping, iterable):
        for x in iterable:
            mapping[x] = mapping.get(x, 0) + 1

_TYPE, _ANSWER = itemgetter("type"), itemgetter("answer")


def _n_words(text: str) -> int:
    """``len(text.split())``, the caption's word count, without making the words.

    Compiled, a loop over the characters with the whitespace test of ``str.split``
    (``Py_UNICODE_ISSPACE``) costs a fraction of ``split``'s ~25 new strings; as Python
    that loop would be the slower one, so plain Python keeps ``split``.
    """
    if not _COMPILED:
        return len(text.split())
    n = 0
    inside = False
    for ch in text:
        if ch.isspace():
            inside = False
        elif not inside:
            inside = True
            n += 1
    return n


#: this module runs compiled (Cython functions are not Python function objects)
_COMPILED = not isinstance(_n_words, FunctionType)

_COUNTERS = ("rows", "shapes", "categories", "concepts", "attribute_types", "predicates",
             "scene_attribute_types", "question_types", "answers")


class Stats:
    """Counters over the rows of a dataset (see the module docstring)."""

    def __init__(self, combo_kind: str | None = None):
        self.combo_kind = combo_kind
        self.rows: Counter = Counter()
        self.complexity: dict[str, Counter] = {}
        self.strata: dict[str, Counter] = {}
        self.shapes: Counter = Counter()
        self.categories: Counter = Counter()
        self.concepts: Counter = Counter()
        self.names: dict[str, str] = {}
        self.attribute_types: Counter = Counter()
        self.predicates: Counter = Counter()
        self.scene_attribute_types: Counter = Counter()
        self._question_types: Counter = Counter()
        # question-type sequence -> [rows], not yet in _question_types (a list, so that a row hashes its
        # ~30-type key once: the count goes up in place)
        self._type_runs: dict[tuple, list[int]] = {}
        self._answers: Counter = Counter()
        self._yes = 0  # yes/no answers counted by add, not yet in _answers (two int additions a row)
        self._no = 0
        self.questions = 0
        self.caption_words = 0
        self.caption_max_words = 0
        self.combos: dict[str, set[str]] = {}
        self._shape_labels: dict = {}  # shape list as a tuple -> its "n/m/k" label (a cache)

    def add(self, split: str, scene: dict, questions: list, caption: str, stratum: str | None = None,
            combos: set[str] | None = None) -> None:
        """Count one row: its split, scene dict, questions (a list of dicts, or the realizer's
        :class:`~gas_solver.realize.qa.QuestionSet` of records), caption and stratum label.

        ``combos`` are the row's hold-out combinations when the caller already has
        them (:meth:`Splitter.assign_with_combos`); by default they are computed here.
        """
        # A build counts every row it writes, so this is on the per-row path: one pass over the
        # objects collects the labels of each counter in a list, and ``_count_elements`` (C) counts
        # each list; the ~30 question types come as a list from the realizer.
        self.rows[split] += 1
        complexity = scene["complexity"]
        by_split = self.complexity.get(split)
        if by_split is None:
            by_split = self.complexity[split] = Counter()
        by_split[complexity] += 1
        by_split = self.strata.get(split)
        if by_split is None:
            by_split = self.strata[split] = Counter()
        by_split[stratum or f"complexity={complexity}"] += 1
        shape = scene["shape"]
        key = tuple(shape)
        label = self._shape_labels.get(key)  # "2/3/1": a handful of distinct shapes
        if label is None:
            label = self._shape_labels[key] = "/".join(map(str, shape))
        self.shapes[label] += 1
        names = self.names
        counted = self.concepts
        categories, concepts, attribute_types = [], [], []
        for o in scene["objects"]:
            concept = o["concept"]
            concepts.append(concept)
            categories.append(o["category"])
            # every concept counted is named (add and merge keep both): a concept seen before needs one
            # look-up in the ~10^4-entry counter (which its count then finds in the cache), not two tables
            if concept not in counted and concept not in names:
                names[concept] = o["name"]
            for a in o["attributes"]:
                attribute_types.append(a["type"])
        _count_elements(self.categories, categories)
        _count_elements(self.concepts, concepts)
        _count_elements(self.attribute_types, attribute_types)
        _count_elements(self.predicates, [r["predicate"] for r in scene["relations"]])
        _count_elements(self.scene_attribute_types, [a["type"] for a in scene["scene_attributes"]])
        self.questions += len(questions)
        if isinstance(questions, QuestionSet):  # as a build's realizer makes them: records
            # The ~30 types of a row follow a few dozen sequences (fixed by the scene's shape): count the
            # sequences, one dict update a row; they are added into ``question_types`` when it is read.
            runs = self._type_runs
            key = tuple([q.qtype for q in questions])
            cell = runs.get(key)
            if cell is None:
                runs[key] = [1]
            else:
                cell[0] += 1
            yes, no = questions.answer_counts()
        else:
            _count_elements(self.question_types, map(_TYPE, questions))
            try:
                answers = list(map(_ANSWER, questions))
            except KeyError:  # a question without an answer (not one the realizers make)
                answers = [q.get("answer") for q in questions]
            yes, no = answers.count("yes"), answers.count("no")
        self._yes += yes
        self._no += no
        words = _n_words(caption)
        self.caption_words += words
        if words > self.caption_max_words:
            self.caption_max_words = words
        if self.combo_kind:
            self.combos.setdefault(split, set()).update(combos_of(scene, self.combo_kind) if combos is None
                                                        else combos)

    @property
    def answers(self) -> Counter:
        """Answers (``"yes"``, ``"no"``, ...) and how many questions have each."""
        if self._yes or self._no:
            c = self._answers
            if self._yes:
                c["yes"] += self._yes
            if self._no:
                c["no"] += self._no
            self._yes = self._no = 0
        return self._answers

    @answers.setter
    def answers(self, counter: Counter) -> None:
        self._yes = self._no = 0
        self._answers = counter

    @property
    def question_types(self) -> Counter:
        """Questions per type."""
        if self._type_runs:
            self._settle_types()
        return self._question_types

    @question_types.setter
    def question_types(self, counter: Counter) -> None:
        self._type_runs = {}
        self._question_types = counter

    def _settle_types(self) -> None:
        """Add the counted question-type sequences of :meth:`add` into ``question_types``."""
        c = self._question_types
        for types, cell in self._type_runs.items():
            rows = cell[0]
            if rows == 1:
                _count_elements(c, types)
            else:
                for t in types:
                    c[t] += rows
        self._type_runs = {}

    def merge(self, other: "Stats") -> "Stats":
        """Add ``other``'s counts into this one (in place); returns self."""
        for name in _COUNTERS:
            getattr(self, name).update(getattr(other, name))
        for name in ("complexity", "strata"):
            mine = getattr(self, name)
            for split, c in getattr(other, name).items():
                mine.setdefault(split, Counter()).update(c)
        self.names.update({k: v for k, v in other.names.items() if k not in self.names})
        self.questions += other.questions
        self.caption_words += other.caption_words
        self.caption_max_words = max(self.caption_max_words, other.caption_max_words)
        for split, s in other.combos.items():
            self.combos.setdefault(split, set()).update(s)
        return self

    def to_json(self) -> dict:
        """Plain JSON data (sorted, so equal stats give equal bytes)."""
        def srt(c):
            if all(type(k) is str for k in c):  # the usual case: sort the keys themselves (no key function)
                return {k: c[k] for k in sorted(c)}
            return {str(k): v for k, v in sorted(c.items(), key=lambda kv: (str(kv[0])))}

        counters = {name: srt(getattr(self, name)) for name in _COUNTERS}
        names = self.names
        # add() names every concept it counts: when the keys agree (and are strings, so that srt sorted
        # them as they are), the concepts' sorted order is the names' one (the largest sort of a part,
        # ~13k concepts per 8k rows) and is not sorted twice
        concepts = counters["concepts"]
        order = concepts if names.keys() == self.concepts.keys() == concepts.keys() else sorted(names)
        return {
            "combo_kind": self.combo_kind,
            **counters,
            "complexity": {s: {str(k): v for k, v in sorted(c.items())} for s, c in sorted(self.complexity.items())},
            "strata": {s: srt(c) for s, c in sorted(self.strata.items())},
            "names": {k: names[k] for k in order},
            "questions": self.questions,
            "caption_words": self.caption_words,
            "caption_max_words": self.caption_max_words,
            "combos": {s: sorted(c) for s, c in sorted(self.combos.items())},
        }

    @classmethod
    def from_json(cls, d: dict) -> "Stats":
        s = cls(d["combo_kind"])
        for name in _COUNTERS:
            setattr(s, name, Counter(d[name]))
        s.complexity = {sp: Counter({int(k): v for k, v in c.items()}) for sp, c in d["complexity"].items()}
        s.strata = {sp: Counter(c) for sp, c in d["strata"].items()}
        s.names = dict(d["names"])
        s.questions, s.caption_words, s.caption_max_words = d["questions"], d["caption_words"], d["caption_max_words"]
        s.combos = {sp: set(c) for sp, c in d["combos"].items()}
        return s

    # -- derived numbers ----------------------------------------------------
    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def complexity_total(self) -> Counter:
        out: Counter = Counter()
        for c in self.complexity.values():
            out.update(c)
        return out

    def holdout_summary(self, manifest: dict) -> dict | None:
        """Held-out combinations per split, judged by the manifest's seed and threshold.

        ``{"held_in_test": [...], "held_elsewhere": [...], "shared_in_test": k}``: the held-out
        combinations seen in ``test``, those seen outside ``test`` (empty for a sound
        split), and how many of the combinations in ``test`` are ordinary ones.
        """
        h = manifest.get("holdout")
        if not self.combo_kind or not h or "threshold" not in h:
            return None
        seed, t = manifest["seed"], int(h["threshold"])
        test = self.combos.get("test", set())
        elsewhere = set().union(*(c for s, c in self.combos.items() if s != "test"))
        held_test = sorted(c for c in test if combo_hash(seed, c) < t)
        return {"held_in_test": held_test,
                "held_elsewhere": sorted(c for c in elsewhere if combo_hash(seed, c) < t),
                "shared_in_test": len(test) - len(held_test)}


def compute_stats(folder: str | Path, manifest: dict | None = None) -> Stats:
    """Recompute :class:`Stats` from a dataset folder's shards, streaming (Parquet preferred over JSON lines)."""
    folder = Path(folder)
    manifest = manifest or read_manifest(folder)
    fmt = "parquet" if "parquet" in manifest["formats"] else "jsonl"
    kind = manifest["holdout"]["kind"] if manifest.get("holdout") and manifest["holdout"]["kind"] != "pattern" else None
    stats = Stats(kind)
    columns = ("stratum", "caption", "scene", "questions")
    for shard in manifest["shards"]:
        if shard["format"] != fmt:
            continue
        for row in iter_shard_rows(folder / shard["path"], columns):
            stats.add(shard["split"], orjson.loads(row["scene"]), orjson.loads(row["questions"]), row["caption"],
                      row["stratum"])
    return stats


def _table(title: str, rows: Iterable[tuple], headers: tuple[str, ...]) -> list[str]:
    rows = [tuple(str(x) for x in r) for r in rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    line = "  ".join("-" * w for w in widths)
    out = [title, "  ".join(h.ljust(w) for h, w in zip(headers, widths)), line]
    for r in rows:
        out.append("  ".join(c.rjust(w) if c.replace(",", "").replace(".", "").replace("%", "").isdigit() else c.ljust(w)
                             for c, w in zip(r, widths)))
    return out + [""]


def _shares(counter: Counter, top: int, names: dict | None = None) -> list[tuple]:
    total = sum(counter.values()) or 1
    def pct(v):
        p = 100 * v / total
        return f"{p:.1f}%" if p >= 0.1 or p == 0 else f"{p:.2g}%"

    return [((names or {}).get(k, k), f"{v:,}", pct(v)) for k, v in counter.most_common(top)]


def format_stats(stats: Stats, manifest: dict, *, top: int = 15) -> str:
    """Plain-text tables of a dataset's statistics (what ``gas stats`` prints)."""
    out: list[str] = []
    splits = list(manifest["split"])
    total = stats.total
    out += _table("Rows", [(s, f"{stats.rows.get(s, 0):,}", f"{100 * stats.rows.get(s, 0) / (total or 1):.1f}%")
                           for s in splits] + [("total", f"{total:,}", "100.0%")], ("split", "rows", "share"))
    comp = sorted({c for cs in stats.complexity.values() for c in cs})
    out += _table("Complexity (objects + attributes + relations)",
                  [(c, *(f"{stats.complexity.get(s, {}).get(c, 0):,}" for s in splits)) for c in comp],
                  ("complexity", *splits))
    strata = sorted({k for cs in stats.strata.values() for k in cs})
    if strata and any(not k.startswith("complexity=") for k in strata):
        out += _table("Strata", [(k, *(f"{stats.strata.get(s, {}).get(k, 0):,}" for s in splits)) for k in strata],
                      ("stratum", *splits))
    out += _table("Object categories", _shares(stats.categories, top), ("category", "objects", "share"))
    out += _table("Most frequent concepts", _shares(stats.concepts, top, stats.names), ("concept", "objects", "share"))
    out += _table("Attribute types", _shares(stats.attribute_types, top), ("type", "attributes", "share"))
    out += _table("Relation predicates", _shares(stats.predicates, top), ("predicate", "relations", "share"))
    if stats.scene_attribute_types:
        out += _table("Scene-attribute types", _shares(stats.scene_attribute_types, top), ("type", "count", "share"))
    out += _table("Question types", _shares(stats.question_types, top), ("type", "questions", "share"))
    yes, no = stats.answers.get("yes", 0), stats.answers.get("no", 0)
    out.append(f"questions per scene: {stats.questions / (total or 1):.2f}   yes/no answers: "
               f"{yes:,} yes / {no:,} no   caption words: mean {stats.caption_words / (total or 1):.1f}, "
               f"max {stats.caption_max_words}")
    summary = stats.holdout_summary(manifest)
    if summary is not None:
        out.append(f"held-out {stats.combo_kind}: {len(summary['held_in_test']):,} held-out combinations occur in "
                   f"test, {len(summary['held_elsewhere'])} outside test")
    return "\n".join(out)
