"""Published text-to-image benchmarks read in their own file formats, as rows ``gas generate`` / ``gas score`` take.

Each reader returns rows ``{"id", "caption", "questions", "categories", "benchmark"}`` (GenEval rows carry
``"geneval"``, the prompt's metadata, instead of questions).  Questions keep the project's JSON format
(``id, type, question, answer, choices, depends_on`` plus ``category``), so the scoring code is shared.

================  ===============================================  =====================  ===========
format            file(s)                                          questions              headline
================  ===============================================  =====================  ===========
``gas``           ``gas build`` folder, JSONL / Parquet rows        the scene's             ``dsg``
``tifa``          ``tifa_v1.0_question_answers.json`` (a list,      one per entry;          ``tifa``
                  one entry per question: ``id`` of the text,       yes/no or multiple
                  ``caption``, ``question``, ``choices``,           choice
                  ``answer``, ``element_type`` / ``answer_type``)
``dpg``           DPG-Bench ``dpg_bench.csv`` (one row per          yes/no, parents from    ``dsg``
                  question: ``item_id, text, proposition_id,        ``dependency``
                  dependency, category_broad, category_detailed,
                  question_natural_language``)
``genai``         GenAI-Bench ``genai_image.json`` (``{"00001":     one: 'Does this figure  ``prob``
                  {"prompt": ...}}``) + optional skills JSON        show "{prompt}"?'       (VQAScore)
                  ``{skill: [prompt ids]}``
``geneval``       GenEval ``evaluation_metadata.jsonl`` (``tag,     none: detector checks   accuracy
                  prompt, include, exclude``)                                               per tag
================  ===============================================  =====================  ===========

Examples
--------
>>> detect_format("dpg_bench.csv")
'dpg'
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import orjson

from ..errors import SourceError
from .rows import read_rows

__all__ = ["FORMATS", "HEADLINE", "detect_format", "read_benchmark", "read_tifa", "read_dpg", "read_genai",
           "read_geneval"]

FORMATS = ("gas", "tifa", "dpg", "genai", "geneval")
#: the score each benchmark reports (a scheme of gas_solver.realize.scoring, or GenEval's accuracy)
HEADLINE = {"gas": "dsg", "tifa": "tifa", "dpg": "dsg", "genai": "prob", "geneval": "accuracy"}

DPG_COLUMNS = ("item_id", "text", "proposition_id", "dependency", "category_broad", "question_natural_language")
GENAI_TEMPLATE = 'Does this figure show "{prompt}"?'


def _load_json(path: Path) -> Any:
    try:
        return orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise SourceError(f"not valid JSON ({exc})", path=str(path)) from None


def detect_format(path: str | Path) -> str:
    """The benchmark format of a file or folder, from its name and first record.

    Examples
    --------
    >>> detect_format("tifa_v1.0_question_answers.json")
    'tifa'
    """
    path = Path(path)
    name = path.name.lower()
    if path.is_dir() or path.suffix == ".parquet":
        return "gas"
    if path.suffix == ".csv":
        return "dpg"
    if "tifa" in name:
        return "tifa"
    if "genai" in name:
        return "genai"
    if "geneval" in name or name.startswith("evaluation_metadata"):
        return "geneval"
    if path.exists():
        if path.suffix == ".jsonl":
            first = next((ln for ln in path.read_bytes().splitlines() if ln.strip()), b"{}")
            try:
                rec = orjson.loads(first)
            except orjson.JSONDecodeError:
                raise SourceError("not valid JSON on its first line", path=str(path), line=1) from None
            return "geneval" if isinstance(rec, dict) and "include" in rec and "tag" in rec else "gas"
        if path.suffix == ".json":
            data = _load_json(path)
            if isinstance(data, list) and data and isinstance(data[0], dict) and "question" in data[0]:
                return "tifa"
            if isinstance(data, dict) and data and all(isinstance(v, dict) and "prompt" in v for v in data.values()):
                return "genai"
    raise SourceError("cannot tell the benchmark format; name it with --format "
                      f"({', '.join(FORMATS)})", path=str(path))


def _need(rec: dict, key: str, path: Path, n: int, kinds=(str,)):
    value = rec.get(key)
    if value is None or not isinstance(value, kinds) or (isinstance(value, str) and not value.strip()):
        raise SourceError("missing or empty", path=str(path), line=n, field=key)
    return value


def read_tifa(path: str | Path) -> list[dict]:
    """TIFA v1.0 question–answer file: one entry per question, grouped into one row per text ``id``.

    ``choices`` of exactly yes/no make a yes/no question; other choices a multiple-choice one.  The
    question ``type`` is the entry's ``element_type`` (or ``answer_type``).  Entries are numbered from 1
    in error messages.
    """
    path = Path(path)
    data = _load_json(path)
    if not isinstance(data, list):
        raise SourceError("expected a JSON list of question entries (tifa_v1.0_question_answers.json)", path=str(path))
    rows: dict[str, dict] = {}
    for n, rec in enumerate(data, 1):
        if not isinstance(rec, dict):
            raise SourceError("expected a JSON object", path=str(path), line=n)
        text_id = str(_need(rec, "id", path, n, (str, int)))
        caption = _need(rec, "caption", path, n)
        question = _need(rec, "question", path, n)
        answer = str(_need(rec, "answer", path, n, (str, int)))
        choices = rec.get("choices")
        if choices is not None and (not isinstance(choices, list) or not choices):
            raise SourceError("must be a non-empty list", path=str(path), line=n, field="choices")
        choices = [str(c) for c in choices] if choices else None
        if choices and {c.strip().lower() for c in choices} == {"yes", "no"}:
            choices = None
        if choices and answer.strip().lower() not in {c.strip().lower() for c in choices}:
            raise SourceError(f"answer {answer!r} is not among the choices", path=str(path), line=n, field="answer")
        row = rows.setdefault(text_id, {"id": text_id, "caption": caption, "questions": [], "categories": [],
                                        "benchmark": "tifa"})
        kind = str(rec.get("element_type") or rec.get("answer_type") or "other")
        row["questions"].append({"id": f"q{len(row['questions'])}", "type": kind, "category": kind,
                                 "question": question, "answer": answer, "choices": choices, "depends_on": [],
                                 "format": "yes_no" if choices is None else "multiple_choice",
                                 "element": rec.get("element")})
    return list(rows.values())


def read_dpg(path: str | Path) -> list[dict]:
    """DPG-Bench CSV: one row per question; ``dependency`` lists parent ``proposition_id`` s (0: none).

    The question ``type`` is ``category_broad`` (entity, attribute, relation, global, other), ``category``
    is ``category_detailed``; every answer is "yes".  Lines are numbered as in the file (header = 1).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"not UTF-8 text ({exc})", path=str(path)) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in DPG_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise SourceError(f"not a DPG-Bench CSV: no column(s) {', '.join(missing)}", path=str(path), line=1)
    rows: dict[str, dict] = {}
    for n, rec in enumerate(reader, 2):
        item = _need(rec, "item_id", path, n)
        prop = _need(rec, "proposition_id", path, n).strip()
        deps = [d.strip() for d in (rec.get("dependency") or "0").split(",") if d.strip()]
        if not all(d.isdigit() for d in deps) or not prop.isdigit():
            raise SourceError("expected integer ids (comma-separated parents, 0 for none)", path=str(path), line=n,
                              field="dependency" if not all(d.isdigit() for d in deps) else "proposition_id")
        row = rows.setdefault(item, {"id": item, "caption": _need(rec, "text", path, n), "questions": [],
                                     "categories": [], "benchmark": "dpg"})
        broad = (rec.get("category_broad") or "other").strip()
        row["questions"].append({
            "id": f"p{prop}", "type": broad, "category": (rec.get("category_detailed") or broad).strip(),
            "question": _need(rec, "question_natural_language", path, n), "answer": "yes", "choices": None,
            "format": "yes_no", "depends_on": [f"p{d}" for d in deps if d != "0"], "tuple": rec.get("tuple")})
    for row in rows.values():
        known = {q["id"] for q in row["questions"]}
        for q in row["questions"]:
            bad = [d for d in q["depends_on"] if d not in known]
            if bad:
                raise SourceError(f"item {row['id']!r}: proposition {q['id'][1:]} depends on missing "
                                  f"proposition(s) {', '.join(b[1:] for b in bad)}", path=str(path), field="dependency")
        row["categories"] = sorted({q["type"] for q in row["questions"]})
    return list(rows.values())


def read_genai(path: str | Path, skills: str | Path | None = None) -> list[dict]:
    """GenAI-Bench prompts (``{"00001": {"prompt": ...}, ...}``), each asked as VQAScore's one question.

    ``skills`` (``{skill: [prompt ids as int]}``) fills each row's ``categories``; a ``skills`` JSON next to
    the prompts (``genai_skills.json``) is used when present.
    """
    path = Path(path)
    data = _load_json(path)
    if not isinstance(data, dict):
        raise SourceError("expected a JSON object keyed by prompt id (genai_image.json)", path=str(path))
    skill_path = Path(skills) if skills is not None else path.with_name("genai_skills.json")
    by_prompt: dict[int, list[str]] = {}
    if skill_path.exists():
        table = _load_json(skill_path)
        if not isinstance(table, dict):
            raise SourceError("expected {skill: [prompt ids]}", path=str(skill_path))
        for skill, ids in table.items():
            if not isinstance(ids, list):
                raise SourceError("expected a list of prompt ids", path=str(skill_path), field=skill)
            for i in ids:
                by_prompt.setdefault(int(i), []).append(skill)
    elif skills is not None:
        raise SourceError("no such file", path=str(skill_path))
    rows = []
    for key, rec in data.items():
        prompt = rec.get("prompt") if isinstance(rec, dict) else None
        if not isinstance(prompt, str) or not prompt.strip():
            raise SourceError("missing or empty", path=str(path), field=f"{key}.prompt")
        cats = sorted(by_prompt.get(int(key), [])) if key.isdigit() else []
        rows.append({"id": key, "caption": prompt, "categories": cats, "benchmark": "genai",
                     "questions": [{"id": "q0", "type": "prompt", "category": "prompt",
                                    "question": GENAI_TEMPLATE.format(prompt=prompt), "answer": "yes",
                                    "choices": None, "format": "yes_no", "depends_on": []}]})
    return rows


def read_geneval(path: str | Path) -> list[dict]:
    """GenEval metadata JSONL: one prompt per line (``tag``, ``prompt``, ``include``, optional ``exclude``).

    Row ids are the line's index, zero-padded to 5 digits as GenEval's folders are.
    """
    path = Path(path)
    rows = []
    for n, line in enumerate(path.read_bytes().splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise SourceError(f"not valid JSON ({exc})", path=str(path), line=n) from None
        tag = _need(rec, "tag", path, n)
        prompt = _need(rec, "prompt", path, n)
        include = rec.get("include")
        if not isinstance(include, list) or not include:
            raise SourceError("must be a non-empty list of {class, count}", path=str(path), line=n, field="include")
        for i, req in enumerate(include + list(rec.get("exclude") or [])):
            if not isinstance(req, dict) or not isinstance(req.get("class"), str) or not isinstance(req.get("count"), int):
                raise SourceError("each clause needs a class (text) and a count (integer)", path=str(path), line=n,
                                  field=f"include[{i}]" if i < len(include) else "exclude")
            pos = req.get("position")
            if pos is not None and not (isinstance(pos, list) and len(pos) == 2 and isinstance(pos[1], int)
                                        and 0 <= pos[1] < i):
                raise SourceError("position must be [relation, index of an earlier include]", path=str(path), line=n,
                                  field=f"include[{i}].position")
        rows.append({"id": f"{len(rows):05d}", "caption": prompt, "categories": [tag], "benchmark": "geneval",
                     "geneval": rec})
    if not rows:
        raise SourceError("no prompts", path=str(path))
    return rows


def read_benchmark(path: str | Path, fmt: str = "auto", *, skills: str | Path | None = None,
                   limit: int | None = None) -> tuple[str, list[dict]]:
    """``(format, rows)`` of a benchmark file (or a ``gas build`` folder / rows file for ``gas``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "evaluation_metadata.jsonl"
    >>> _ = p.write_text('{"tag": "single_object", "prompt": "a photo of a cat", "include": [{"class": "cat", "count": 1}]}\\n')
    >>> fmt, rows = read_benchmark(p)
    >>> fmt, rows[0]["id"], rows[0]["caption"]
    ('geneval', '00000', 'a photo of a cat')
    """
    path = Path(path)
    if not path.exists():
        raise SourceError("no such file or folder", path=str(path))
    fmt = detect_format(path) if fmt == "auto" else fmt
    if fmt not in FORMATS:
        raise SourceError(f"unknown benchmark format {fmt!r}; choose from {', '.join(FORMATS)}", path=str(path))
    if fmt == "gas":
        rows = []
        for row in read_rows(path):
            rows.append({**row, "categories": sorted({str(q.get("type")) for q in row.get("questions") or []}),
                         "benchmark": "gas"})
            if limit is not None and len(rows) >= limit:
                break
        return fmt, rows
    reader = {"tifa": read_tifa, "dpg": read_dpg, "geneval": read_geneval}.get(fmt)
    rows = reader(path) if reader else read_genai(path, skills)
    return fmt, rows[:limit] if limit is not None else rows
