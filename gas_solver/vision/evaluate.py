"""``gas eval``: one command from a benchmark file and a diffusers pipeline to scores, tables and a report.

Steps of :func:`evaluate`:

1. read the benchmark in its own format (:mod:`gas_solver.vision.benchmarks`) and write it as rows;
2. generate ``k`` images per prompt (:func:`~gas_solver.vision.generate.generate_images`: resumable, seeded);
3. score: question benchmarks through the VQA model (:func:`~gas_solver.vision.score.score_outputs`, answers
   cached), GenEval through a detector (:mod:`gas_solver.vision.geneval`);
4. write the tables, the summary and the HTML report.

Layout of ``OUT`` (fixed, whatever the benchmark)::

    eval.json            what was evaluated (benchmark file, format, model, judges; checked on resume)
    prompts.jsonl        the benchmark as rows (id, caption, questions | geneval metadata, categories)
    generation.json      generation settings; index.jsonl: one line per prompt with its images
    images/<id>/<k>.png  the images
    answers.jsonl        one line per (image, question): question, expected and model answer, P(correct)
    per_question.csv     the same as a table (GenEval: one line per image with the reasons it failed)
    per_category.csv     scores per question type / category / skill / tag
    summary.json         the benchmark's headline score, every scheme, per-category scores, counts
    report.html          images with captions, questions with the model's answers, failures marked, bars
    scores/<vqa>/        the VQA answer cache and gas score's own report (question benchmarks)
    geneval/<NNNNN>/     GenEval only: metadata.jsonl + samples/<kkkk>.png, the published tool's layout

Examples
--------
>>> evaluate("dpg_bench.csv", "eval-sd15", model="stable-diffusion-v1-5/stable-diffusion-v1-5",
...          vqa="Qwen/Qwen2.5-VL-7B-Instruct", images_per_prompt=4)   # doctest: +SKIP
"""

from __future__ import annotations

import csv
import io
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from statistics import fmean
from typing import Any, Sequence

import orjson

from .. import __version__
from ..realize.scoring import SCHEMES, normalize_answer
from .benchmarks import HEADLINE, read_benchmark
from .extra import VisionError
from .generate import GenerateOptions, generate_images, model_key, settings_diff
from .rows import atomic_write_bytes

__all__ = ["EvalResult", "evaluate", "LAYOUT"]

LAYOUT = ("eval.json", "prompts.jsonl", "index.jsonl", "answers.jsonl", "per_question.csv", "per_category.csv",
          "summary.json", "report.html")


@dataclass
class EvalResult:
    """The summary of an evaluation and where its files are."""

    out: Path
    summary: dict[str, Any]
    files: dict[str, Path] = field(default_factory=dict)


def _csv_bytes(header: Sequence[str], rows: Sequence[Sequence]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow([f"{v:.6g}" if isinstance(v, float) else v for v in r])
    return buf.getvalue().encode()


def _check_eval(out: Path, settings: dict) -> None:
    path = out / "eval.json"
    if path.exists():
        old = orjson.loads(path.read_bytes()).get("settings") or {}
        diff = settings_diff(old, settings)
        if diff:
            raise VisionError(f"{out} holds an evaluation with other settings: {'; '.join(diff)}. "
                              "Use a new output folder, or the same settings to resume")
    else:
        atomic_write_bytes(path, orjson.dumps({"gas_solver": __version__, "settings": settings},
                                              option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))


def evaluate(benchmark: str | Path, out: str | Path, *, model: str | None = None, pipeline=None, fmt: str = "auto",
             vqa=None, clip=None, detector=None, skills: str | Path | None = None, schemes: Sequence[str] = SCHEMES,
             images_per_prompt: int = 1, limit: int | None = None, device: str | None = "auto",
             dtype: str | None = "auto", detector_threshold: float | None = None, progress: bool | None = None,
             report: bool = True, **generate_options) -> EvalResult:
    """Evaluate a text-to-image pipeline on a benchmark file; resumable (rerun the same call).

    Parameters
    ----------
    benchmark : path
        TIFA v1.0 QA JSON, DPG-Bench CSV, GenAI-Bench JSON, GenEval metadata JSONL, or a gas dataset.
    out : path
        Output folder (layout in the module docstring).
    model, pipeline
        A diffusers pipeline: hub id / folder (``model``) or a built one (``pipeline``).
    vqa : str or VQAModel
        The judge of question benchmarks (BLIP VQA or a chat VLM).
    clip : str or ClipScorer, optional
        Adds the CLIP score; for GenEval, classifies colours (needed by its colour prompts).
    detector : str or Detector
        GenEval's object detector (OWL-ViT / OWLv2 zero-shot, or DETR).
    generate_options
        :class:`~gas_solver.vision.generate.GenerateOptions` fields (``steps=30, guidance=7.5, seed=0``).
    """
    out = Path(out)
    fmt, rows = read_benchmark(benchmark, fmt, skills=skills, limit=limit)
    if fmt == "geneval" and detector is None:
        raise VisionError("GenEval needs an object detector (--detector, e.g. google/owlv2-base-patch16-ensemble)")
    if fmt != "geneval" and vqa is None:
        raise VisionError(f"{fmt} questions need a VQA model (--vqa)")
    if (model is None) == (pipeline is None):
        raise VisionError("pass exactly one of model= (hub id or folder) and pipeline=")
    name_of = lambda m: m if isinstance(m, str) or m is None else getattr(m, "name", type(m).__name__)  # noqa: E731
    settings = {"benchmark": str(Path(benchmark).resolve()), "format": fmt, "limit": limit,
                "model": model_key(model) if model else model_key(getattr(pipeline, "name", None))
                or f"<in-memory {type(pipeline).__name__}>",
                "vqa": name_of(vqa) if fmt != "geneval" else None,
                "detector": name_of(detector) if fmt == "geneval" else None,
                "detector_threshold": detector_threshold}
    out.mkdir(parents=True, exist_ok=True)
    _check_eval(out, settings)
    atomic_write_bytes(out / "prompts.jsonl", b"".join(orjson.dumps(r) + b"\n" for r in rows))

    opts = GenerateOptions(images_per_caption=images_per_prompt, progress=progress, **generate_options)
    generate_images(rows, out, model=model, pipeline=pipeline, kind="image", device=device, dtype=dtype, options=opts,
                    model_name=settings["model"] if pipeline is not None else None)
    from .score import read_index

    index = {r["id"]: r for r in read_index(out)}
    rows = [r for r in rows if r["id"] in index]
    if fmt == "geneval":
        summary, answers, table, categories = _score_geneval(out, rows, index, detector, clip, device, dtype,
                                                             detector_threshold)
    else:
        summary, answers, table, categories = _score_questions(out, fmt, rows, vqa, clip, schemes, device, dtype,
                                                               progress)
    summary = {"benchmark": str(benchmark), "format": fmt, "model": settings["model"], **summary,
               "images_per_prompt": images_per_prompt, "prompts": len(rows)}
    files = {name: out / name for name in LAYOUT}
    atomic_write_bytes(files["answers.jsonl"], b"".join(orjson.dumps(a) + b"\n" for a in answers))
    atomic_write_bytes(files["per_question.csv"], _csv_bytes(*table))
    atomic_write_bytes(files["per_category.csv"], _csv_bytes(*categories))
    atomic_write_bytes(files["summary.json"], orjson.dumps(summary, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))
    if report:
        from .report import write_report

        write_report(out, summary, rows, index, answers)
    else:
        files.pop("report.html")
    return EvalResult(out=out, summary=summary, files=files)


def _score_questions(out, fmt, rows, vqa, clip, schemes, device, dtype, progress):
    from .score import score_outputs

    headline = HEADLINE[fmt]
    schemes = tuple(dict.fromkeys([*schemes, headline]))
    report = score_outputs(out, vqa=vqa, clip=clip, schemes=schemes, device=device, dtype=dtype, progress=progress)
    per_scene = {s["id"]: s for s in report.per_scene}
    answers, table = [], []
    for row in rows:
        scene = per_scene[row["id"]]
        qs = {str(q["id"]): q for q in row.get("questions") or []}
        for o in scene["outputs"]:
            for qid, a in o["answers"].items():
                q = qs[qid]
                correct = normalize_answer(a["answer"]) == normalize_answer(str(q["answer"]))
                rec = {"id": row["id"], "k": o["k"], "question_id": qid, "type": q.get("type"),
                       "category": q.get("category"), "question": q["question"], "expected": q["answer"],
                       "answer": a["answer"], "p_correct": a["p_correct"], "correct": correct,
                       "depends_on": q.get("depends_on") or []}
                answers.append(rec)
                table.append([row["id"], o["k"], qid, q.get("type"), q.get("category"), q["question"], q["answer"],
                              a["answer"], a["p_correct"], int(correct)])
    header = ["id", "k", "question_id", "type", "category", "question", "expected", "answer", "p_correct", "correct"]
    cat_rows = []
    for group, vals in report.breakdowns.get("question type", {}).items():
        cat_rows.append(["question type", group, vals["questions"], *[vals.get(s) for s in schemes]])
    by_cat: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        for c in row.get("categories") or []:
            by_cat[c].append(per_scene[row["id"]]["scores"])
    if fmt in ("genai",):  # prompt-level skills
        for c, scores in sorted(by_cat.items()):
            cat_rows.append(["skill", c, len(scores), *[fmean(s[m] for s in scores) for m in schemes]])
    cat_header = ["dimension", "group", "count", *schemes]
    metrics = report.summary["metrics"]
    per_category = {r[1]: r[3 + schemes.index(headline)] for r in cat_rows if r[0] == ("skill" if fmt == "genai" else "question type")}
    summary = {"headline": headline, "score": metrics.get(headline), "metrics": metrics,
               "per_category": per_category, "judge": report.summary["vqa"], "clip": report.summary["clip"],
               "outputs": report.summary["outputs"], "questions": report.summary["questions"]}
    return summary, answers, (header, table), (cat_header, cat_rows)


def _score_geneval(out, rows, index, detector, clip, device, dtype, threshold):
    from .geneval import COUNTING_THRESHOLD, THRESHOLD, ColourClassifier, evaluate_geneval, geneval_summary, load_detector
    from .media import load_media

    if isinstance(detector, str):
        detector = load_detector(detector, device=device, dtype=dtype)
    colour = None
    needs_colour = any("color" in req for r in rows for req in r["geneval"].get("include", []))
    if needs_colour:
        if clip is None:
            raise VisionError("GenEval colour prompts need a CLIP model to classify colours (--clip)")
        if isinstance(clip, str):
            from .clip import load_clip

            clip = load_clip(clip, device=device, dtype=dtype)
        colour = ColourClassifier(clip)
    answers, table, pairs = [], [], []
    for row in rows:
        meta = row["geneval"]
        outputs = index[row["id"]]["outputs"]
        images = [load_media(out, o)[0] for o in outputs]
        results = evaluate_geneval(images, meta, detector, colour,
                                   threshold=threshold if threshold is not None else THRESHOLD,
                                   counting_threshold=threshold if threshold is not None else COUNTING_THRESHOLD)
        folder = out / "geneval" / row["id"]  # the published tool's layout, for a cross-check with mmdet
        (folder / "samples").mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(folder / "metadata.jsonl", orjson.dumps(meta) + b"\n")
        for o, res in zip(outputs, results):
            target = folder / "samples" / f"{o['k']:04d}.png"
            if not target.exists():
                shutil.copyfile(out / o["image"], target)
            answers.append({"id": row["id"], "k": o["k"], "tag": meta["tag"], "prompt": row["caption"],
                            "correct": res["correct"], "reasons": res["reasons"], "detections": res["detections"]})
            table.append([row["id"], o["k"], meta["tag"], row["caption"], int(res["correct"]), "; ".join(res["reasons"])])
            pairs.append((meta["tag"], res["correct"]))
    s = geneval_summary(pairs)
    cat_rows = [["tag", t, sum(1 for tag, _ in pairs if tag == t), acc] for t, acc in s["tags"].items()]
    summary = {"headline": "accuracy", "score": s["overall"], "metrics": {"accuracy": s["overall"]},
               "per_category": s["tags"], "judge": detector.name, "clip": getattr(clip, "name", None),
               "outputs": s["images"], "questions": 0,
               "note": "detector-based checks with a transformers detector; see gas_solver.vision.geneval for where "
                       "numbers can differ from GenEval's mmdet tool"}
    return (summary, answers, (["id", "k", "tag", "prompt", "correct", "reasons"], table),
            (["dimension", "group", "count", "accuracy"], cat_rows))
