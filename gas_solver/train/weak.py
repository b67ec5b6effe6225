"""Weak-concept mining: where does a student answer its scene questions worse than a teacher, beyond chance?

Every probe question is *about* one element, its subject:

- existence and count questions (and negative existence questions, about their foil): a **concept**;
- attribute questions (and their negatives): an **attribute value** (``colour:red``), in the context of the
  object's concept;
- relation questions (and their negatives): a **predicate**, in the context of its two concepts;
- scene-attribute questions: a **scene-attribute value**;

and every probe scene has a **structure** (its shape: objects / attributes / relations).

Rule (stated in every report): a question's outcome is 1 if the model's most probable answer is right
(averaged over a scene's images).  For an element with at least ``min_support`` questions, the paired
differences teacher − student give ``b`` questions the teacher does better on and ``c`` the student does
better on; the one-sided exact **sign test** (McNemar's exact test for 0/1 outcomes) gives
``p = P(Binomial(b + c, 1/2) >= b)``.  p-values are **Holm**-corrected within each stage, and an element is
weak when its corrected p is below ``alpha`` and its accuracy gap (teacher − student) is at least ``min_gap``.
Stages explain failures away top-down, as DSG's dependencies do: concepts first; then attribute values,
predicates and scene attributes on questions whose context concepts are not weak; then structures on scenes
with no weak element.  Weak elements are ranked by gap, then by p.

Examples
--------
>>> sign_test_p(8, 0) == 0.5 ** 8
True
>>> holm([0.01, 0.04, 0.03])
[0.03, 0.06, 0.06]
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from math import comb
from statistics import fmean
from typing import Sequence

__all__ = ["WeakRule", "question_subject", "outcomes", "sign_test_p", "holm", "mine_weak", "structure_key",
           "RULE_TEXT"]

RULE_TEXT = ("one-sided exact sign test (McNemar) on paired question outcomes teacher - student, per element with "
             "at least min_support questions; Holm correction within each stage (concepts; attribute values, "
             "predicates and scene attributes on questions whose concepts are not weak; structures on scenes with "
             "no weak element); weak = corrected p < alpha and accuracy gap >= min_gap; ranked by gap, then p")


@dataclass(frozen=True)
class WeakRule:
    """Parameters of the weak-element rule (see the module docstring)."""

    alpha: float = 0.05
    min_support: int = 8
    min_gap: float = 0.1

    def to_dict(self) -> dict:
        return {**asdict(self), "rule": RULE_TEXT}


def structure_key(row: dict) -> str:
    """A scene's shape ``objects/attributes/relations`` (from ``shape`` or counted from the graph)."""
    shape = row.get("shape")
    if shape:
        return "/".join(str(x) for x in shape)
    objs = row.get("objects") or []
    return f"{len(objs)}/{sum(len(o.get('attributes') or []) for o in objs)}/{len(row.get('relations') or [])}"


def question_subject(row: dict, question: dict) -> tuple[str, str, tuple[str, ...]] | None:
    """``(kind, key, context concepts)`` of the element a question is about (None if it names none)."""
    objs = row.get("objects") or []

    def concept(i):
        return str(objs[i]["concept"]) if isinstance(i, int) and 0 <= i < len(objs) else None

    for el in question.get("elements") or []:
        if not isinstance(el, dict):
            continue
        for name in ("attribute", "absent_attribute"):
            if el.get(name):
                t, v = el[name][:2]
                ctx = concept(el.get("object"))
                return "attribute", f"{t}:{v}", (ctx,) if ctx else ()
        for name in ("relation", "absent_relation"):
            if el.get(name):
                s, p, o = el[name][:3]
                return "predicate", str(p), tuple(c for c in (concept(s), concept(o)) if c)
        for name in ("scene_attribute", "absent_scene_attribute"):
            if el.get(name):
                t, v = el[name][:2]
                return "scene_attribute", f"{t}:{v}", ()
        if el.get("absent_object"):
            return "concept", str(el["absent_object"]), ()
        if "object" in el and concept(el["object"]):
            return "concept", concept(el["object"]), ()
    return None


def _correct(question: dict, answers: Sequence[dict]) -> float:
    """Share of a question's outputs whose most probable answer is its answer."""
    from ..realize.scoring import normalize_answer

    truth = normalize_answer(str(question["answer"]))
    return fmean(1.0 if normalize_answer(str(a["answer"])) == truth else 0.0 for a in answers)


def outcomes(rows: Sequence[dict], student: dict[str, dict], teacher: dict[str, dict]) -> list[dict]:
    """Paired per-question records ``{scene, qid, kind, key, context, structure, student, teacher}``.

    ``student`` / ``teacher`` map a scene id to its ``per_scene.jsonl`` record of
    :func:`gas_solver.vision.score.score_outputs` (outputs with every question's answer).
    """
    out = []
    for row in rows:
        s, t = student.get(row["id"]), teacher.get(row["id"])
        if s is None or t is None:
            continue
        for q in row.get("questions") or []:
            qid = str(q["id"])
            subject = question_subject(row, q)
            if subject is None:
                continue
            kind, key, ctx = subject
            out.append({"scene": row["id"], "qid": qid, "kind": kind, "key": key, "context": list(ctx),
                        "structure": structure_key(row),
                        "student": _correct(q, [o["answers"][qid] for o in s["outputs"]]),
                        "teacher": _correct(q, [o["answers"][qid] for o in t["outputs"]])})
    return out


def sign_test_p(better: int, worse: int) -> float:
    """One-sided exact sign test: ``P(Binomial(better + worse, 1/2) >= better)`` (1.0 when there is no pair)."""
    n = better + worse
    if n == 0:
        return 1.0
    return sum(comb(n, k) for k in range(better, n + 1)) / 2 ** n


def holm(pvalues: Sequence[float]) -> list[float]:
    """Holm–Bonferroni adjusted p-values (step-down, monotone, capped at 1), in the input order."""
    m = len(pvalues)
    order = sorted(range(m), key=lambda i: pvalues[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * pvalues[i]))
        adjusted[i] = running
    return [float(f"{a:.12g}") for a in adjusted]  # 12 significant digits: 3 * 0.01 reads 0.03


def _test(groups: dict[tuple[str, str], list[tuple[float, float]]], rule: WeakRule) -> list[dict]:
    """Sign test per group with enough support, Holm within the family; every group reported."""
    tests = []
    for (kind, key), pairs in sorted(groups.items()):
        better = sum(1 for s, t in pairs if t > s)
        worse = sum(1 for s, t in pairs if t < s)
        tests.append({"kind": kind, "key": key, "n": len(pairs), "teacher_better": better, "student_better": worse,
                      "student": fmean(s for s, _ in pairs), "teacher": fmean(t for _, t in pairs),
                      "gap": fmean(t - s for s, t in pairs), "p": sign_test_p(better, worse),
                      "tested": len(pairs) >= rule.min_support})
    tested = [t for t in tests if t["tested"]]
    for t, adj in zip(tested, holm([t["p"] for t in tested])):
        t["p_holm"] = adj
    for t in tests:
        t.setdefault("p_holm", None)
        t["weak"] = bool(t["tested"] and t["p_holm"] < rule.alpha and t["gap"] >= rule.min_gap)
    return tests


def mine_weak(records: Sequence[dict], rule: WeakRule | None = None) -> dict:
    """Breakdowns by concept, attribute value, predicate, scene attribute and structure, and the weak elements.

    Returns ``{"rule": ..., "breakdowns": {kind: [test, ...]}, "weak": [test, ...] (ranked)}``.
    """
    rule = rule or WeakRule()
    groups: dict[tuple[str, str], list] = {}
    for r in records:
        if r["kind"] == "concept":
            groups.setdefault(("concept", r["key"]), []).append((r["student"], r["teacher"]))
    concept_tests = _test(groups, rule)
    weak_concepts = {t["key"] for t in concept_tests if t["weak"]}

    groups = {}
    for r in records:
        if r["kind"] != "concept" and not weak_concepts & set(r["context"]):
            groups.setdefault((r["kind"], r["key"]), []).append((r["student"], r["teacher"]))
    element_tests = _test(groups, rule)
    weak_keys = weak_concepts | {f"{t['kind']}|{t['key']}" for t in element_tests if t["weak"]}

    # structures: per-scene accuracy on scenes where no weak element is asked about
    tainted = {r["scene"] for r in records
               if r["key"] in weak_concepts or f"{r['kind']}|{r['key']}" in weak_keys or weak_concepts & set(r["context"])}
    per_scene: dict[str, list] = {}
    for r in records:
        if r["scene"] not in tainted:
            per_scene.setdefault(r["scene"], []).append(r)
    groups = {}
    for scene, recs in sorted(per_scene.items()):
        groups.setdefault(("structure", recs[0]["structure"]), []).append(
            (fmean(x["student"] for x in recs), fmean(x["teacher"] for x in recs)))
    structure_tests = _test(groups, rule)

    breakdowns: dict[str, list] = {k: [] for k in ("concept", "attribute", "predicate", "scene_attribute", "structure")}
    for t in concept_tests + element_tests + structure_tests:
        breakdowns[t["kind"]].append(t)
    weak = sorted((t for ts in breakdowns.values() for t in ts if t["weak"]), key=lambda t: (-t["gap"], t["p"], t["key"]))
    return {"rule": rule.to_dict(), "breakdowns": breakdowns, "weak": weak}
