"""Scoring a generation folder: VQA answers to every scene's questions, scheme scores, breakdowns, CLIP.

Steps of :func:`score_outputs`:

1. read ``OUT/index.jsonl`` (written by :func:`~gas_solver.vision.generate.generate_images`);
2. load the cached raw answers of this VQA model (``OUT/scores/<model>/answers.jsonl``) and
   ask the model only the (output, question) pairs not cached yet, batched across images;
   a video is asked over evenly sampled frames, a 3D output over its rendered views, and the
   answer probabilities are averaged over them;
3. score every output under each scheme with the pure functions of
   :mod:`gas_solver.realize.scoring` (hard answers = the most probable answer for
   ``dsg``/``tifa``/``strict``; P(correct) for ``prob``), and every scene as the mean of its outputs;
4. break the numbers down by question type, object category, attribute type, relation type and
   complexity; write ``scores.json``, ``per_scene.jsonl`` and ``report.md`` next to the cache.

Re-scoring with another scheme reads the cache and asks the model nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from statistics import fmean
from typing import Any, Iterable, Sequence

import orjson

from ..realize.scoring import SCHEMES
from .extra import VisionError
from .media import load_media
from .rows import atomic_write_bytes, read_jsonl
from .vqa import Query, VQAModel, candidates, p_correct, query_for

__all__ = ["SCHEMES", "ScoreReport", "score_outputs", "read_index", "report_names", "answer_questions", "hard_answer", "scheme_scores",
           "breakdowns", "markdown_table"]

INDEX = "index.jsonl"


def _slug(name: str) -> str:
    """A folder name for a model id or path: readable tail + short hash of the whole."""
    tail = re.sub(r"[^A-Za-z0-9._-]+", "_", name.rstrip("/").split("/")[-1])[:48] or "model"
    return f"{tail}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"


def hard_answer(question: dict, probs: Sequence[float]) -> str:
    """The most probable answer: ``"yes"``/``"no"`` or the most probable choice (ties: the first).

    Examples
    --------
    >>> hard_answer({"answer": "red", "choices": ["red", "blue"]}, [0.3, 0.7])
    'blue'
    >>> hard_answer({"answer": "no", "choices": None}, [0.5, 0.5])
    'yes'
    """
    cands = candidates(question)
    return cands[max(range(len(probs)), key=lambda i: (probs[i], -i))]


def answer_questions(vqa: VQAModel, items: Sequence[tuple[Sequence, Sequence[dict]]], *,
                     batch_size: int | None = None) -> list[dict[str, list[float]]]:
    """Answer probabilities for each (images, questions) item, averaged over the item's images.

    ``items[i] = (images, questions)``: the frames/views of one output and its question dicts.
    Returns per item ``{question id: probabilities}`` (``[P(yes), P(no)]`` or per choice).
    All (image, question) pairs of all items go to the model in shared batches.
    """
    images: list = []
    queries: list[Query] = []
    owners: list[tuple[int, str]] = []
    for i, (imgs, questions) in enumerate(items):
        base = len(images)
        images.extend(imgs)
        for q in questions:
            proto = query_for(q)
            for f in range(len(imgs)):
                queries.append(Query(base + f, proto.question, proto.choices, proto.number))
                owners.append((i, str(q["id"])))
    probs = vqa.probabilities(images, queries, batch_size=batch_size) if queries else []
    sums: list[dict[str, list]] = [defaultdict(list) for _ in items]
    for (i, qid), p in zip(owners, probs):
        sums[i][qid].append(p)
    return [{qid: [fmean(col) for col in zip(*ps)] for qid, ps in d.items()} for d in sums]


def scheme_scores(questions: Sequence[dict], probs: dict[str, Sequence[float]], schemes: Iterable[str] = SCHEMES) -> dict[str, float]:
    """Score one output under each scheme with :func:`gas_solver.realize.scoring.score`."""
    from ..realize import scoring

    hard = {str(q["id"]): hard_answer(q, probs[str(q["id"])]) for q in questions}
    soft = {str(q["id"]): p_correct(q, probs[str(q["id"])]) for q in questions}
    out = {}
    for scheme in schemes:
        answers = soft if scheme == "prob" else hard
        out[scheme] = float(scoring.score(list(questions), answers, scheme, p_yes=False))
    return out


# ---------------------------------------------------------------------------
# Breakdowns: every scheme per group of questions (scoring.breakdown), per complexity
# ---------------------------------------------------------------------------

def _element_key(field: str, slot: int, relation_kind: dict[str, str] | None = None):
    """A ``by`` function for :func:`gas_solver.realize.scoring.breakdown`: a label out of the question's elements."""
    names = (field, "absent_" + field)

    def key(question: dict):
        for el in question.get("elements") or []:
            for name in names:
                if isinstance(el, dict) and el.get(name):
                    value = str(el[name][slot])
                    return (relation_kind or {}).get(value, value) if field == "relation" else value
        return None

    return key


def _dimensions(relation_kind: dict[str, str] | None) -> dict[str, Any]:
    return {
        "question type": "type",
        "format": "format",
        "category": "category",
        "attribute type": _element_key("attribute", 0),
        "relation type": _element_key("relation", 1, relation_kind),
        "scene attribute type": _element_key("scene_attribute", 0),
    }


def breakdowns(records: Sequence[dict], schemes: Sequence[str] = SCHEMES,
               relation_kind: dict[str, str] | None = None) -> dict[str, dict[str, dict]]:
    """Scores per group: ``{dimension: {group: {"questions"|"outputs": n, scheme: score, ...}}}``.

    Question dimensions (question type, format, category, attribute / relation /
    scene-attribute type) use :func:`gas_solver.realize.scoring.breakdown` per output
    (so under ``dsg`` a failed parent fails its children in every group) and pool
    the outputs: ``dsg``/``tifa``/``prob`` weighted by questions, ``strict`` as the
    share of outputs whose group is all correct.  ``complexity`` averages whole-set scores.
    ``records`` are the per-output records of :func:`score_outputs` (row, probs, scores).
    """
    from ..realize import scoring

    dims = _dimensions(relation_kind)
    pooled: dict[tuple[str, str], dict[str, list[tuple[float, int]]]] = defaultdict(lambda: defaultdict(list))
    by_complexity: dict[str, list[dict]] = defaultdict(list)
    for rec in records:
        qs = rec["row"].get("questions") or []
        if qs:
            soft = {str(q["id"]): p_correct(q, rec["probs"][str(q["id"])]) for q in qs}
            for dim, by in dims.items():
                for scheme in schemes:
                    for group, val in scoring.breakdown(qs, soft, scheme, by=by, p_yes=False).items():
                        if group is not None:
                            pooled[(dim, str(group))][scheme].append((val["score"], val["n"]))
        by_complexity[str(rec["row"].get("complexity", "?"))].append(rec["scores"])
    out: dict[str, dict[str, dict]] = {dim: {} for dim in dims}
    for (dim, group), per_scheme in sorted(pooled.items()):
        entry: dict[str, Any] = {"questions": sum(n for _, n in next(iter(per_scheme.values())))}
        for scheme, vals in per_scheme.items():
            if scheme == "strict":
                entry[scheme] = fmean(v for v, _ in vals)
            else:
                entry[scheme] = sum(v * n for v, n in vals) / sum(n for _, n in vals)
        out.setdefault(dim, {})[group] = entry
    for comp, scores in sorted(by_complexity.items(), key=lambda kv: (len(kv[0]), kv[0])):
        out.setdefault("complexity", {})[comp] = {"outputs": len(scores), **{m: fmean(x[m] for x in scores) for m in scores[0]}}
    return {dim: groups for dim, groups in out.items() if groups}


def markdown_table(title: str, rows: dict[str, dict], columns: Sequence[str]) -> str:
    """A markdown table: one line per group, the given numeric columns (3 decimals)."""
    head = f"| {title} | " + " | ".join(columns) + " |"
    sep = "| --- |" + " ---: |" * len(columns)
    lines = [head, sep]
    for group, vals in rows.items():
        cells = [(f"{vals[c]:.3f}" if isinstance(vals.get(c), float) else str(vals.get(c, ""))) for c in columns]
        lines.append(f"| {group} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


@dataclass
class ScoreReport:
    """What :func:`score_outputs` computed and where it wrote it."""

    folder: Path
    summary: dict[str, Any]
    per_scene: list[dict] = field(default_factory=list)
    breakdowns: dict[str, dict] = field(default_factory=dict)
    asked: int = 0          # (output, question) pairs the VQA model answered in this run
    cached: int = 0         # outputs whose answers came from the cache
    files: list[Path] = field(default_factory=list)  # scores, per-scene and report files written

    def markdown(self) -> str:
        """The report as markdown: summary table, then one table per breakdown dimension."""
        parts = ["## Scores", "", markdown_table("metric", {k: {"value": v} for k, v in self.summary["metrics"].items()},
                                                 ["value"]), ""]
        for dim, groups in self.breakdowns.items():
            cols = [c for c in next(iter(groups.values())) if c not in ("questions", "outputs")]
            count = "outputs" if dim == "complexity" else "questions"
            parts += [f"### By {dim}", "", markdown_table(dim, groups, [count] + cols), ""]
        return "\n".join(parts)


def read_index(out: str | Path) -> list[dict]:
    """The index lines of a generation folder, one per scene id (the last line of an id wins; a torn last line is ignored)."""
    path = Path(out) / INDEX
    if not path.exists():
        raise VisionError(f"{out} has no {INDEX}: run `gas generate` into it first")
    by_id = {}
    for row in read_jsonl(path, tolerate_torn_tail=True):
        by_id.pop(row["id"], None)  # an id met again moves to its newest position
        by_id[row["id"]] = row
    return list(by_id.values())


def report_names(schemes: Sequence[str]) -> tuple[str, str, str]:
    """File names of a report: ``scores.json`` etc. for every scheme, ``scores-dsg.json`` etc. for a subset.

    Scoring again with another ``--scheme`` writes beside an earlier report, never over it.

    Examples
    --------
    >>> report_names(SCHEMES)
    ('scores.json', 'per_scene.jsonl', 'report.md')
    >>> report_names(["dsg"])
    ('scores-dsg.json', 'per_scene-dsg.jsonl', 'report-dsg.md')
    """
    if set(schemes) == set(SCHEMES):
        return "scores.json", "per_scene.jsonl", "report.md"
    tag = "+".join(s for s in SCHEMES if s in schemes)
    return f"scores-{tag}.json", f"per_scene-{tag}.jsonl", f"report-{tag}.md"


def score_outputs(out: str | Path, *, vqa: VQAModel | str | None = None, clip=None,
                  schemes: Sequence[str] = SCHEMES, max_frames: int = 8, batch_size: int | None = None,
                  scenes_per_chunk: int = 16, device: str | None = "auto", dtype: str | None = "auto",
                  taxonomy=None, progress: bool | None = None) -> ScoreReport:
    """Score every output of a generation folder with a VQA model (and optionally CLIP).

    Parameters
    ----------
    out : path
        A folder written by ``gas generate`` (holds ``index.jsonl``).
    vqa : VQAModel or str
        A back-end (:class:`~gas_solver.vision.vqa.BlipVQA`, :class:`~gas_solver.vision.vqa.ChatVQA`)
        or a hub id / folder for :func:`~gas_solver.vision.vqa.load_vqa`.  Its ``name`` (the id or path,
        or ``name=`` of an in-memory back-end) keys the answer cache: give different models different names.
    clip : ClipScorer or str, optional
        Adds the CLIP score of each output against its caption.
    schemes : sequence of {"dsg", "tifa", "strict", "prob"}
    max_frames : int
        Frames sampled per video / views per 3D output.
    taxonomy : Taxonomy, optional
        Groups relation questions by the relation's kind (spatial, action, ...) instead of its predicate id.

    Returns
    -------
    ScoreReport
        Also written to ``OUT/scores/<model>/`` (``scores.json``, ``per_scene.jsonl``, ``report.md``; for a
        subset of the schemes ``scores-<schemes>.json`` etc., see :func:`report_names`).

    Examples
    --------
    >>> report = score_outputs("out", vqa="Salesforce/blip-vqa-base")   # doctest: +SKIP
    >>> print(report.markdown())                                          # doctest: +SKIP
    """
    from .vqa import load_vqa

    out = Path(out)
    bad = [s for s in schemes if s not in SCHEMES]
    if bad or not schemes:
        raise VisionError(f"unknown scheme(s) {bad}; choose from {', '.join(SCHEMES)}")
    if vqa is None:
        raise VisionError("a VQA model is needed (--vqa MODEL)")
    index = read_index(out)
    if isinstance(vqa, str):
        vqa = load_vqa(vqa, device=device, dtype=dtype)
    folder = out / "scores" / _slug(f"{vqa.name}|frames={max_frames}")
    folder.mkdir(parents=True, exist_ok=True)
    cache_path = folder / "answers.jsonl"
    cache: dict[tuple[str, int], dict] = {}
    if cache_path.exists():
        for line in read_jsonl(cache_path, tolerate_torn_tail=True):
            cache[(line["id"], line["k"])] = line["probs"]
    report = ScoreReport(folder=folder, summary={})

    # 1-2. answers: cached, or asked now in chunks of scenes (each chunk appended to the cache)
    todo = [(row, o) for row in index for o in row["outputs"] if (row["id"], o["k"]) not in cache
            or set(cache[(row["id"], o["k"])]) != {str(q["id"]) for q in row.get("questions") or []}]
    report.cached = sum(len(r["outputs"]) for r in index) - len(todo)
    from .progress import Progress

    bar = Progress(len(todo), unit="output", desc="score", enabled=progress)
    with open(cache_path, "ab") as fh:
        for start in range(0, len(todo), scenes_per_chunk):
            chunk = todo[start:start + scenes_per_chunk]
            items = [(load_media(out, o, max_frames=max_frames), row.get("questions") or []) for row, o in chunk]
            answers = answer_questions(vqa, items, batch_size=batch_size)
            for (row, o), (imgs, qs), probs in zip(chunk, items, answers):
                report.asked += len(imgs) * len(qs)
                cache[(row["id"], o["k"])] = probs
                fh.write(orjson.dumps({"id": row["id"], "k": o["k"], "probs": probs}) + b"\n")
            fh.flush()
            bar.update(len(chunk))
    bar.close()

    # CLIP (optional): one score per output, mean over its frames/views
    clip_scores: dict[tuple[str, int], float] = {}
    if clip is not None:
        from .clip import load_clip

        if isinstance(clip, str):
            clip = load_clip(clip, device=device, dtype=dtype)
        pairs, owners = [], []
        for row in index:
            for o in row["outputs"]:
                for img in load_media(out, o, max_frames=max_frames):
                    pairs.append(img)
                    owners.append((row["id"], o["k"]))
        texts = [next(r["caption"] for r in index if r["id"] == sid) for sid, _ in owners] if owners else []
        per: dict[tuple[str, int], list[float]] = defaultdict(list)
        for key, s in zip(owners, clip.scores(pairs, texts)):
            per[key].append(s)
        clip_scores = {k: fmean(v) for k, v in per.items()}

    # 3. scheme scores per output and per scene
    records = []
    for row in index:
        qs = row.get("questions") or []
        outs = []
        for o in row["outputs"]:
            probs = cache[(row["id"], o["k"])]
            scores = scheme_scores(qs, probs, schemes) if qs else {s: float("nan") for s in schemes}
            if clip_scores:
                scores["clip"] = clip_scores[(row["id"], o["k"])]
            rec = {"row": row, "k": o["k"], "probs": probs, "scores": scores}
            records.append(rec)
            outs.append(rec)
        scene = {"id": row["id"], "complexity": row.get("complexity"),
                 "scores": {s: fmean(r["scores"][s] for r in outs) for s in outs[0]["scores"]},
                 "best": {s: max(r["scores"][s] for r in outs) for s in outs[0]["scores"]},
                 "outputs": [{"k": r["k"], "scores": r["scores"],
                              "answers": {qid: {"probs": p, "answer": hard_answer(q, p), "p_correct": p_correct(q, p)}
                                          for q in qs for qid, p in [(str(q["id"]), r["probs"][str(q["id"])])]}}
                             for r in outs]}
        report.per_scene.append(scene)

    # 4. breakdowns and files
    relation_kind = {r.id: r.kind for r in taxonomy.relations.values()} if taxonomy is not None and hasattr(taxonomy, "relations") else None
    report.breakdowns = breakdowns(records, schemes, relation_kind)
    metric_names = list(records[0]["scores"]) if records else list(schemes)
    report.summary = {
        "vqa": vqa.name, "clip": getattr(clip, "name", None), "max_frames": max_frames,
        "scenes": len(index), "outputs": len(records), "questions": sum(len(r["row"].get("questions") or []) for r in records),
        "metrics": {m: fmean(r["scores"][m] for r in records) for m in metric_names} if records else {},
    }
    scores_name, per_scene_name, report_name = report_names(schemes)
    atomic_write_bytes(folder / scores_name, orjson.dumps(
        {"summary": report.summary, "breakdowns": report.breakdowns}, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))
    atomic_write_bytes(folder / per_scene_name, b"".join(orjson.dumps(s) + b"\n" for s in report.per_scene))
    atomic_write_bytes(folder / report_name, report.markdown().encode() + b"\n")
    report.files = [folder / scores_name, folder / per_scene_name, folder / report_name]
    return report
