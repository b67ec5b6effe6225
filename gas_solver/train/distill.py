"""Distillation with weak-concept mining: find where a student is weak against a teacher, write a constraint
file that focuses on it, and fine-tune the student on the teacher's images of captions drawn from that file.

The paper's second application (SD v1.5 student, DALL-E 3 teacher, fewer than 800 captions, about +10 % TIFA).
Stages, each resumable (a killed run redoes only its unfinished stage):

1. ``probe``: the student generates the probe captions and the QA reward scores them; the teacher's images
   come from a folder (the paper's teacher is a closed model: ``OUT/probe/prompts.jsonl`` lists the captions
   to render, saved as ``<folder>/<scene id>.png``) or a local pipeline, and are scored the same way;
2. ``mining``: per-question paired outcomes, breakdowns by concept, attribute value, predicate, scene
   attribute and structure, weak elements by the rule of :mod:`gas_solver.train.weak`; writes
   ``focus.toml``, a constraint file (``gas check`` accepts it) whose ``[[require]]`` makes every scene hold a
   weak concept (or a weak predicate) and whose ``[[soft]]`` weights favour weak attribute values and
   predicates;
3. ``focus``: ``focus_captions`` (< 800) training captions and ``focus_eval`` held-out captions sampled from it
   (weighted), with the share that mentions a weak concept; the teacher's images of the training captions
   (``OUT/focus/prompts.jsonl`` for a folder teacher), written as an image dataset (``focus/pairs``);
4. ``train``: LoRA fine-tuning of the student on those pairs (``train/adapter``);
5. ``eval``: the adapted student on the probe set and on the held-out focus captions, against the student
   before; ``report.json`` / ``report.md`` give overall scores, scores on the weak elements' questions and on
   the focus captions, before and after.

Examples
--------
>>> distill(source, "out", student_pipe, vqa, teacher_images="dalle3/")    # doctest: +SKIP
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path
from statistics import fmean

import orjson

from ..errors import GasError
from ..vision.extra import VisionError
from ..vision.rows import atomic_write_bytes, read_jsonl
from .captions import CaptionSource, derive_seed
from .evaluate import GenerationSettings, delta, generate_and_score, summarize
from .lora import LoraOptions, remove_adapter, train_lora
from .pairs import read_pairs, write_imagefolder
from .runs import RunFolder, read_json, write_json, write_jsonl
from .weak import WeakRule, mine_weak, outcomes, question_subject

__all__ = ["DistillOptions", "DistillResult", "TeacherImagesMissing", "distill", "focus_constraints",
           "mentions_weak", "IMAGE_SUFFIXES"]

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


class TeacherImagesMissing(GasError):
    """The teacher folder lacks images of some captions; the message names the prompts file to render."""


@dataclass(frozen=True)
class DistillOptions:
    probe_captions: int = 200
    focus_captions: int = 500
    focus_eval: int = 50
    focus_weight: float = 4.0
    rule: WeakRule = field(default_factory=WeakRule)
    generation: GenerationSettings = field(default_factory=GenerationSettings)
    lora: LoraOptions = field(default_factory=LoraOptions)
    seed: int = 0

    def __post_init__(self) -> None:
        if self.probe_captions < 1 or self.focus_captions < 1 or self.focus_eval < 0:
            raise VisionError("probe and focus caption counts must be >= 1 (focus_eval >= 0)")
        if not self.focus_weight > 0:
            raise VisionError("focus weight must be positive")

    def to_dict(self) -> dict:
        return {"probe_captions": self.probe_captions, "focus_captions": self.focus_captions,
                "focus_eval": self.focus_eval, "focus_weight": self.focus_weight, "rule": self.rule.to_dict(),
                "generation": self.generation.to_dict(), "lora": self.lora.to_dict(), "seed": self.seed}


@dataclass
class DistillResult:
    out: Path
    weak: list[dict]
    focus_file: Path | None
    report: dict | None
    resumed: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------
# The focus constraint file
# ---------------------------------------------------------------------------

def _toml_str(s: str) -> str:
    return orjson.dumps(s).decode()


def focus_constraints(base_text: str, weak: list[dict], *, weight: float = 4.0, header: str = "") -> str:
    """The base constraint file's text plus rules that focus on the weak elements.

    Weak concepts become one ``[[require]]`` (every scene holds at least one of them); without weak concepts,
    weak predicates do.  Weak attribute values and predicates get ``[[soft]]`` rules of weight ``weight``
    (they act under ``--distribution weighted``).  Weak scene attributes and structures are listed in a
    comment: the pattern language has no node for them.

    Examples
    --------
    >>> text = focus_constraints('format = "gas-constraints/1"\\n', [{"kind": "concept", "key": "dog", "gap": 1.0}])
    >>> "concept:dog" in text
    True
    """
    by_kind: dict[str, list[str]] = {}
    for w in weak:
        by_kind.setdefault(w["kind"], []).append(w["key"])
    lines = [base_text.rstrip("\n"), "", "# " + "-" * 76,
             "# Focus rules written by `gas train distill`: the student's weak elements (sample with",
             "# `gas sample FILE --distribution weighted` so that the [[soft]] weights apply)."]
    lines += [f"# {h}" for h in header.splitlines() if h]
    for w in weak:
        lines.append(f"#   {w['kind']} {w['key']}: teacher {w['teacher']:.3f} vs student {w['student']:.3f} "
                     f"over {w['n']} questions, Holm p = {w['p_holm']:.3g}" if "teacher" in w else
                     f"#   {w['kind']} {w['key']}")
    concepts, predicates = by_kind.get("concept", []), by_kind.get("predicate", [])
    if concepts:
        lines += ["", "[[require]]", f"description = {_toml_str('at least one weak concept')}",
                  f"pattern = {_toml_str('a:' + '|'.join('concept:' + c for c in concepts))}"]
    elif predicates:
        lines += ["", "[[require]]", f"description = {_toml_str('at least one weak relation')}",
                  f"pattern = {_toml_str('a:* -[' + '|'.join(predicates) + ']-> b:*')}"]
    for value in by_kind.get("attribute", []):
        t, v = value.split(":", 1)
        lines += ["", "[[soft]]", f"pattern = {_toml_str(f'a:*{{{t}={v}}}')}", f"weight = {weight!r}"]
    if concepts:  # predicates are required above when no concept is
        for p in predicates:
            lines += ["", "[[soft]]", f"pattern = {_toml_str(f'a:* -[{p}]-> b:*')}", f"weight = {weight!r}"]
    rest = [f"{k} {key}" for k in ("scene_attribute", "structure") for key in by_kind.get(k, [])]
    if rest:
        lines += ["", "# also weak, not expressible as patterns: " + ", ".join(rest)]
    return "\n".join(lines) + "\n"


def mentions_weak(row: dict, weak: list[dict]) -> bool:
    """Whether a scene holds a weak concept, attribute value or predicate (its caption states every element)."""
    keys = {(w["kind"], w["key"]) for w in weak}
    if any(("concept", str(o["concept"])) in keys for o in row.get("objects") or []):
        return True
    if any(("attribute", f"{a['type']}:{a['value']}") in keys for o in row.get("objects") or []
           for a in o.get("attributes") or []):
        return True
    return any(("predicate", str(r["predicate"])) in keys for r in row.get("relations") or [])


# ---------------------------------------------------------------------------
# Teacher images from a folder
# ---------------------------------------------------------------------------

def _find_image(folder: Path, scene_id: str) -> Path | None:
    for suffix in IMAGE_SUFFIXES:
        if (folder / f"{scene_id}{suffix}").exists():
            return folder / f"{scene_id}{suffix}"
    sub = folder / scene_id
    if sub.is_dir():
        found = sorted(p for p in sub.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if found:
            return found[0]
    return None


def _teacher_folder(rows: list[dict], images: Path, out: Path, prompts: Path) -> None:
    """Copy the teacher's image of each row into a generation folder (``out``) that ``score_outputs`` reads.

    Images are found as ``images/<id>.png`` (or .jpg/.jpeg/.webp), ``images/<id>/<any>.png``, or through the
    ``index.jsonl`` of a ``gas generate`` folder.  Missing ones stop the run naming the prompts file.
    """
    write_jsonl(prompts, [{"id": r["id"], "caption": r["caption"]} for r in rows])  # what the teacher renders
    index = {}
    if (images / "index.jsonl").exists():
        for line in read_jsonl(images / "index.jsonl", tolerate_torn_tail=True):
            if line.get("outputs") and line["outputs"][0].get("image"):
                index[line["id"]] = images / line["outputs"][0]["image"]
    found, missing = {}, []
    for row in rows:
        path = index.get(row["id"]) or _find_image(images, row["id"])
        (found.__setitem__(row["id"], path) if path is not None else missing.append(row))
    if missing:
        raise TeacherImagesMissing(
            f"{images} has no teacher image for {len(missing)} of {len(rows)} captions (first: {missing[0]['id']}); "
            f"render the captions of {prompts} with the teacher and save each as {images}/<id>.png, then rerun")
    lines = []
    for row in rows:
        src = found[row["id"]]
        rel = f"images/{row['id']}/0{src.suffix.lower()}"
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, out / rel)
        lines.append(orjson.dumps({**row, "kind": "image", "outputs": [{"k": 0, "seed": None, "image": rel}]}) + b"\n")
    atomic_write_bytes(out / "index.jsonl", b"".join(lines))


def _teacher_images(rows, step: Path, name: str, teacher_images, teacher_pipe, settings, vqa, taxonomy, progress,
                    label: str):
    """Generate (local teacher) or collect (folder teacher) the teacher's images of ``rows``; return the report."""
    from ..vision.score import score_outputs

    folder = step / name
    if teacher_pipe is not None:
        return generate_and_score(teacher_pipe, rows, folder, vqa, settings, model_name=label, taxonomy=taxonomy,
                                  progress=progress)
    _teacher_folder(rows, Path(teacher_images), folder, step / "prompts.jsonl")
    return score_outputs(folder, vqa=vqa, taxonomy=taxonomy, progress=progress)


# ---------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------

def _per_scene(report) -> dict[str, dict]:
    return {s["id"]: s for s in report.per_scene}


def _weak_question_scores(rows, per_scene: dict[str, dict], weak: list[dict]) -> dict:
    """Accuracy (tifa) and mean P(correct) over the questions about weak elements."""
    from ..realize.scoring import normalize_answer

    keys = {(w["kind"], w["key"]) for w in weak}
    hard, soft = [], []
    for row in rows:
        scene = per_scene.get(row["id"])
        if scene is None:
            continue
        for q in row.get("questions") or []:
            subject = question_subject(row, q)
            if subject is None or (subject[0], subject[1]) not in keys:
                continue
            for o in scene["outputs"]:
                a = o["answers"][str(q["id"])]
                hard.append(1.0 if normalize_answer(str(a["answer"])) == normalize_answer(str(q["answer"])) else 0.0)
                soft.append(a["p_correct"])
    return {"questions": len(hard), "tifa": fmean(hard) if hard else None, "prob": fmean(soft) if soft else None}


def distill(source: CaptionSource, out: str | Path, student, vqa, options: DistillOptions | None = None, *,
            teacher_images: str | Path | None = None, teacher=None, base_constraints: str | Path | None = None,
            taxonomy=None, model_name: str = "student", teacher_name: str | None = None,
            progress: bool | None = None) -> DistillResult:
    """Run (or resume) weak-concept distillation into ``out``; see the module docstring for the stages.

    Parameters
    ----------
    source : CaptionSource
        Probe captions (a constraint file or a dataset).
    student : diffusers pipeline
        The model to improve (ends holding the trained adapter).
    vqa : VQAModel
        The QA reward's VQA back-end, for student and teacher alike.
    teacher_images : folder, optional
        The teacher's images, ``<scene id>.png`` per caption (or a ``gas generate`` folder).
    teacher : diffusers pipeline, optional
        A local teacher instead of a folder.
    base_constraints : path, optional
        The constraint file the focus file extends (default: the source's file, else the embedded default).
    taxonomy : Taxonomy
        Needed to check and sample the focus file.
    """
    from ..constraints import parse_constraints
    from ..constraints.parse import default_constraints_path
    from ..taxonomy import load_taxonomy

    options = options or DistillOptions()
    if (teacher_images is None) == (teacher is None):
        raise VisionError("give exactly one teacher: a folder of its images or a local pipeline")
    taxonomy = taxonomy if taxonomy is not None else load_taxonomy(None)
    out = Path(out)
    base = Path(base_constraints) if base_constraints is not None else getattr(source, "path", None)
    teacher_label = teacher_name or (f"folder {teacher_images}" if teacher_images is not None else "teacher")
    settings = {"options": options.to_dict(), "student": model_name, "teacher": teacher_label, "vqa": vqa.name,
                "source": source.description, "base_constraints": str(base) if base else None}
    run = RunFolder(out, settings, kind="distill")
    gen = options.generation
    result = DistillResult(out=out, weak=[], focus_file=None, report=None)
    remove_adapter(student)

    # 1. probe: student and teacher on the same captions
    probe = run.rows("probe", "captions.jsonl",
                     lambda: source.draw(options.probe_captions, derive_seed(options.seed, "probe")))
    if run.finished("probe") is None:
        s_report = generate_and_score(student, probe, run.step("probe") / "student", vqa, gen,
                                      model_name=f"{model_name} (base)", taxonomy=taxonomy, progress=progress)
        t_report = _teacher_images(probe, run.step("probe"), "teacher", teacher_images, teacher, gen, vqa, taxonomy,
                                   progress, teacher_label)
        run.finish("probe", {"student": summarize(s_report), "teacher": summarize(t_report)})
        write_json(run.step("probe") / "per_scene.json", {"student": _per_scene(s_report),
                                                          "teacher": _per_scene(t_report)})
    else:
        result.resumed.append("probe")
    probe_summary = run.finished("probe")
    per_scene = read_json(out / "probe" / "per_scene.json")

    # 2. mining: breakdowns, weak elements, the focus constraint file
    focus_path = out / "mining" / "focus.toml"
    if run.finished("mining") is None:
        mined = mine_weak(outcomes(probe, per_scene["student"], per_scene["teacher"]), options.rule)
        write_json(run.step("mining") / "weak.json", mined)
        if mined["weak"]:
            base_text = Path(base or default_constraints_path()).read_text(encoding="utf-8")
            text = focus_constraints(base_text, mined["weak"], weight=options.focus_weight,
                                     header=f"rule: {mined['rule']['rule']}")
            try:
                parse_constraints(text, taxonomy, path=str(focus_path))
            except GasError as exc:
                raise GasError(f"the focus file does not parse against the taxonomy ({exc}); pass the constraint "
                               "file the probe came from with --constraints") from exc
            atomic_write_bytes(focus_path, text.encode())
        run.finish("mining", {"weak": mined["weak"], "tested": sum(1 for ts in mined["breakdowns"].values()
                                                                     for t in ts if t["tested"])})
    else:
        result.resumed.append("mining")
    weak = run.finished("mining")["weak"]
    result.weak = weak
    if not weak:
        report = {"weak": [], "message": "no weak element passed the rule: nothing to distill",
                  "probe": probe_summary}
        write_json(out / "report.json", report)
        atomic_write_bytes(out / "report.md", b"# Distillation\n\nNo weak element passed the rule: nothing to distill.\n")
        result.report = report
        return result
    result.focus_file = focus_path

    # 3. focus captions from the focus file, and the teacher's images of them
    focus_source = CaptionSource.from_constraints(focus_path, taxonomy, distribution="weighted")
    probe_ids = {r["id"] for r in probe}
    focus = run.rows("focus", "captions.jsonl", lambda: focus_source.draw(
        options.focus_captions, derive_seed(options.seed, "focus"), exclude=probe_ids))
    focus_eval = run.rows("focus", "eval_captions.jsonl", lambda: focus_source.draw(
        options.focus_eval, derive_seed(options.seed, "focus-eval"), exclude=probe_ids | {r["id"] for r in focus}))
    if run.finished("focus") is None:
        _teacher_images(focus, run.step("focus"), "teacher", teacher_images, teacher, gen, vqa, taxonomy, progress,
                        teacher_label)
        index = {line["id"]: line for line in read_jsonl(out / "focus" / "teacher" / "index.jsonl")}
        write_imagefolder(out / "focus" / "pairs", [
            {"source": str(out / "focus" / "teacher" / index[r["id"]]["outputs"][0]["image"]),
             "file_name": f"images/{r['id']}.png", "id": r["id"], "caption": r["caption"]} for r in focus])
        run.finish("focus", {"captions": len(focus), "eval_captions": len(focus_eval),
                             "mention_weak": sum(mentions_weak(r, weak) for r in focus) / max(1, len(focus))})
    else:
        result.resumed.append("focus")

    # 4. LoRA on the teacher's images
    if run.finished("train") is None:
        lora = replace(options.lora, seed=derive_seed(options.seed, "lora"))
        trained = train_lora(student, read_pairs(out / "focus" / "pairs"), out / "train" / "adapter", lora,
                             progress=progress)
        run.finish("train", {"objective": trained.objective, "pairs": trained.pairs, "losses": trained.losses})
    else:
        result.resumed.append("train")
        from .lora import load_adapter

        load_adapter(student, out / "train" / "adapter")

    # 5. before / after: the probe (general) and the held-out focus captions (weak concepts)
    if run.finished("eval") is None:
        step = run.step("eval")
        after_probe = generate_and_score(student, probe, step / "probe_after", vqa, gen,
                                         model_name=f"{model_name} + distill", taxonomy=taxonomy, progress=progress)
        summary = {"probe": {"before": probe_summary["student"], "after": summarize(after_probe),
                             "teacher": probe_summary["teacher"]},
                   "weak_questions": {"before": _weak_question_scores(probe, per_scene["student"], weak),
                                      "after": _weak_question_scores(probe, _per_scene(after_probe), weak),
                                      "teacher": _weak_question_scores(probe, per_scene["teacher"], weak)}}
        summary["probe"]["delta"] = delta(summary["probe"]["before"], summary["probe"]["after"])
        if focus_eval:
            after_focus = generate_and_score(student, focus_eval, step / "focus_after", vqa, gen,
                                             model_name=f"{model_name} + distill", taxonomy=taxonomy, progress=progress)
            remove_adapter(student)
            before_focus = generate_and_score(student, focus_eval, step / "focus_before", vqa, gen,
                                              model_name=f"{model_name} (base)", taxonomy=taxonomy, progress=progress)
            from .lora import load_adapter

            load_adapter(student, out / "train" / "adapter")
            summary["focus_eval"] = {"before": summarize(before_focus), "after": summarize(after_focus)}
            summary["focus_eval"]["delta"] = delta(summary["focus_eval"]["before"], summary["focus_eval"]["after"])
        run.finish("eval", summary)
    else:
        result.resumed.append("eval")
    summary = run.finished("eval")
    report = {"weak": weak, "rule": options.rule.to_dict(), "focus": run.finished("focus"),
              "train": {k: v for k, v in run.finished("train").items() if k != "losses"}, **summary}
    write_json(out / "report.json", report)
    atomic_write_bytes(out / "report.md", _markdown(report).encode())
    result.report = report
    return result


def _fmt(x) -> str:
    return "-" if x is None else f"{x:.3f}"


def _markdown(report: dict) -> str:
    lines = ["# Distillation", "", f"Rule: {report['rule']['rule']} (alpha {report['rule']['alpha']}, "
             f"min support {report['rule']['min_support']}, min gap {report['rule']['min_gap']}).", "",
             "## Weak elements", "", "| kind | element | questions | student | teacher | gap | Holm p |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for w in report["weak"]:
        lines.append(f"| {w['kind']} | {w['key']} | {w['n']} | {w['student']:.3f} | {w['teacher']:.3f} | "
                     f"{w['gap']:+.3f} | {w['p_holm']:.3g} |")
    f = report["focus"]
    lines += ["", f"Focus captions: {f['captions']} (held out: {f['eval_captions']}); "
              f"{100 * f['mention_weak']:.1f} % hold a weak element. LoRA on {report['train']['pairs']} teacher images "
              f"({report['train']['objective']}).", "", "## Before / after", "",
              "| set | metric | before | after | change | teacher |", "| --- | --- | ---: | ---: | ---: | ---: |"]
    p = report["probe"]
    for m, a in p["after"]["metrics"].items():
        b = p["before"]["metrics"].get(m)
        lines.append(f"| probe | {m} | {_fmt(b)} | {_fmt(a)} | {a - b:+.3f} | {_fmt(p['teacher']['metrics'].get(m))} |")
    w = report["weak_questions"]
    for m in ("tifa", "prob"):
        b, a = w["before"][m], w["after"][m]
        change = f"{a - b:+.3f}" if a is not None and b is not None else "-"
        lines.append(f"| probe, questions on weak elements ({w['after']['questions']}) | {m} | {_fmt(b)} | {_fmt(a)} | "
                     f"{change} | {_fmt(w['teacher'][m])} |")
    if "focus_eval" in report:
        fe = report["focus_eval"]
        for m, a in fe["after"]["metrics"].items():
            b = fe["before"]["metrics"].get(m)
            lines.append(f"| held-out focus captions | {m} | {_fmt(b)} | {_fmt(a)} | {a - b:+.3f} | - |")
    return "\n".join(lines) + "\n"
