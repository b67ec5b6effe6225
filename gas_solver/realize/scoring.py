"""Scores of a question set against answers (pure functions; the VQA models live in ``gas_solver.vision``).

Answers are given per question, as a list in question order or a dict by
question id, each one of

* a **string**: compared with the expected answer after normalisation (case,
  surrounding spaces and a final period are ignored; number words equal digits,
  "two" == "2");
* a **float** in [0, 1]: for yes/no questions the probability of "yes" (what a
  VQA model's yes/no logits give), for other questions the probability that the
  answer is correct (``p_yes=False`` reads every float as P(correct));
* ``None``: no answer, counted as wrong.

Schemes (each a number in [0, 1]):

* ``"tifa"``: plain accuracy, the mean over questions of [correct] (TIFA);
* ``"dsg"``: as ``"tifa"``, but a question whose parent (``depends_on``,
  transitively) failed counts as failed (Davidsonian Scene Graph);
* ``"strict"``: 1 if every question is correct, else 0;
* ``"prob"``: the mean probability of the correct answer (strings count 1 or 0).

A float answer counts as correct in the first three schemes when P(correct) > 0.5.

Examples
--------
>>> qs = [{"id": "q0", "answer": "yes", "depends_on": []},
...       {"id": "q1", "answer": "yes", "depends_on": ["q0"]},
...       {"id": "q2", "answer": "no", "depends_on": []}]
>>> score(qs, ["no", "yes", "no"], "tifa"), score(qs, ["no", "yes", "no"], "dsg")
(0.6666666666666666, 0.3333333333333333)
>>> round(score(qs, [0.9, 0.8, 0.3], "prob"), 6)
0.8
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

__all__ = ["SCHEMES", "correctness", "score", "score_all", "breakdown", "normalize_answer"]

SCHEMES = ("dsg", "tifa", "strict", "prob")

_NUMBERS = {w: str(i) for i, w in enumerate(
    ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
     "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"))}


def normalize_answer(text: str) -> str:
    """Lower case, trimmed, without a final period; number words as digits.

    >>> normalize_answer(" Two. "), normalize_answer("Yes")
    ('2', 'yes')
    """
    t = text.strip().lower().rstrip(".!").strip()
    return _NUMBERS.get(t, t)


def _answers_list(questions: Sequence[Mapping], answers) -> list:
    if isinstance(answers, Mapping):
        return [answers.get(q["id"]) for q in questions]
    answers = list(answers)
    if len(answers) != len(questions):
        raise ValueError(f"{len(answers)} answers for {len(questions)} questions")
    return answers


def correctness(questions: Sequence[Mapping], answers, *, p_yes: bool = True) -> list[float]:
    """P(correct) per question, in question order (1.0 or 0.0 for string answers).

    >>> correctness([{"id": "q0", "answer": "no", "format": "yes_no"}], [0.2])
    [0.8]
    """
    out = []
    for q, a in zip(questions, _answers_list(questions, answers)):
        if a is None:
            out.append(0.0)
        elif isinstance(a, str):
            out.append(1.0 if normalize_answer(a) == normalize_answer(str(q["answer"])) else 0.0)
        elif isinstance(a, (int, float)) and not isinstance(a, bool):
            p = float(a)
            if not 0.0 <= p <= 1.0:
                raise ValueError(f"question {q['id']}: probability {p} outside [0, 1]")
            yes_no = q.get("format", "yes_no") == "yes_no" and normalize_answer(str(q["answer"])) in ("yes", "no")
            if p_yes and yes_no:
                p = p if normalize_answer(str(q["answer"])) == "yes" else 1.0 - p
            out.append(p)
        else:
            raise TypeError(f"question {q['id']}: answer must be a string, a float or None, got {type(a).__name__}")
    return out


def _passed(questions: Sequence[Mapping], correct: list[bool]) -> list[bool]:
    """DSG rule: a question passes iff it is correct and every parent passes."""
    index = {q["id"]: k for k, q in enumerate(questions)}
    state: list[int] = [0] * len(questions)  # 0 unseen, 1 in progress, 2 done
    result = [False] * len(questions)

    def visit(k: int) -> bool:
        if state[k] == 2:
            return result[k]
        if state[k] == 1:
            raise ValueError(f"dependency cycle through question {questions[k]['id']}")
        state[k] = 1
        ok = correct[k]
        for parent in questions[k].get("depends_on") or ():
            if parent not in index:
                raise ValueError(f"question {questions[k]['id']} depends on unknown question {parent!r}")
            ok = visit(index[parent]) and ok
        state[k] = 2
        result[k] = ok
        return ok

    for k in range(len(questions)):
        visit(k)
    return result


def _per_question(questions, answers, scheme: str, p_yes: bool) -> list[float]:
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; expected one of {SCHEMES}")
    probs = correctness(questions, answers, p_yes=p_yes)
    if scheme == "prob":
        return probs
    correct = [p > 0.5 for p in probs]
    if scheme == "dsg":
        return [1.0 if ok else 0.0 for ok in _passed(questions, correct)]
    return [1.0 if ok else 0.0 for ok in correct]


def _aggregate(values: list[float], scheme: str) -> float:
    if not values:
        raise ValueError("no questions to score")
    if scheme == "strict":
        return 1.0 if all(v == 1.0 for v in values) else 0.0
    return sum(values) / len(values)


def score(questions: Sequence[Mapping], answers, scheme: str = "dsg", *, p_yes: bool = True) -> float:
    """Score answers to one question set under ``scheme`` (see the module docstring).

    Parameters
    ----------
    questions : sequence of dict
        A question set (needs ``id``, ``answer``, ``depends_on``; ``format`` for float answers).
    answers : sequence or dict
        One answer per question, in order, or a dict by question id (missing = wrong).
    scheme : {"dsg", "tifa", "strict", "prob"}
    p_yes : bool
        Floats for yes/no questions are P("yes") (default) rather than P(correct).

    Returns
    -------
    float in [0, 1]

    Examples
    --------
    >>> qs = [{"id": "q0", "answer": "yes", "depends_on": []}, {"id": "q1", "answer": "2", "depends_on": ["q0"]}]
    >>> score(qs, {"q0": "yes", "q1": "two"}, "strict")
    1.0
    """
    return _aggregate(_per_question(questions, answers, scheme, p_yes), scheme)


def score_all(questions: Sequence[Mapping], answers, *, p_yes: bool = True) -> dict[str, float]:
    """Every scheme at once: ``{"dsg": …, "tifa": …, "strict": …, "prob": …}``.

    >>> score_all([{"id": "q0", "answer": "yes", "depends_on": []}], ["yes"])
    {'dsg': 1.0, 'tifa': 1.0, 'strict': 1.0, 'prob': 1.0}
    """
    return {s: score(questions, answers, s, p_yes=p_yes) for s in SCHEMES}


def breakdown(questions: Sequence[Mapping], answers, scheme: str = "tifa", *,
              by: str | Callable[[Mapping], object] = "type", p_yes: bool = True) -> dict:
    """Scores per group of questions: ``{key: {"score": float, "n": int}}``, keys sorted.

    ``by`` is a question field ("type", "category", "format", "negative") or a
    function of a question.  Under ``"dsg"`` the dependency rule runs over the
    whole set first (a failed existence question fails its attribute questions
    in every group); ``"strict"`` is all-or-nothing inside each group.

    >>> qs = [{"id": "q0", "type": "existence", "answer": "yes", "depends_on": []},
    ...       {"id": "q1", "type": "attribute", "answer": "yes", "depends_on": ["q0"]}]
    >>> breakdown(qs, ["no", "yes"], "dsg")
    {'attribute': {'score': 0.0, 'n': 1}, 'existence': {'score': 0.0, 'n': 1}}
    """
    values = _per_question(questions, answers, scheme, p_yes)
    key = by if callable(by) else (lambda q, f=by: q.get(f))
    groups: dict = {}
    for q, v in zip(questions, values):
        groups.setdefault(key(q), []).append(v)
    return {k: {"score": _aggregate(groups[k], scheme), "n": len(groups[k])}
            for k in sorted(groups, key=lambda x: (x is None, str(x)))}
