"""Scoring functions against hand-computed values (including the DSG dependency rule)."""

from __future__ import annotations

import pytest

from gas_solver.realize import breakdown, correctness, score, score_all

# q0 exists(dog) <- q1 dog brown, q2 dog riding horse (also <- q3 exists(horse)), q4 count, q5 negative
QS = [
    {"id": "q0", "type": "existence", "format": "yes_no", "category": "mammal", "answer": "yes", "depends_on": []},
    {"id": "q1", "type": "attribute", "format": "yes_no", "category": "mammal", "answer": "yes", "depends_on": ["q0"]},
    {"id": "q2", "type": "relation", "format": "yes_no", "category": "mammal", "answer": "yes",
     "depends_on": ["q0", "q3"]},
    {"id": "q3", "type": "existence", "format": "yes_no", "category": "mammal", "answer": "yes", "depends_on": []},
    {"id": "q4", "type": "count", "format": "multiple_choice", "category": "fruit", "answer": "2",
     "choices": ["1", "2", "3"], "depends_on": ["q3"]},
    {"id": "q5", "type": "existence", "format": "yes_no", "category": "bird", "answer": "no", "depends_on": []},
]


def test_all_correct():
    assert score_all(QS, ["yes", "Yes.", "yes", "YES", "two", "no"]) == {
        "dsg": 1.0, "tifa": 1.0, "strict": 1.0, "prob": 1.0}


def test_dsg_zeroes_children_of_failed_parents():
    # the dog is missing (q0 wrong) but the VQA says the dog is brown and riding: DSG fails q1 and q2
    answers = ["no", "yes", "yes", "yes", "2", "no"]
    assert score(QS, answers, "tifa") == pytest.approx(5 / 6)
    assert score(QS, answers, "dsg") == pytest.approx(3 / 6)
    assert score(QS, answers, "strict") == 0.0
    assert score(QS, answers, "prob") == pytest.approx(5 / 6)


def test_dsg_is_transitive():
    qs = [{"id": "a", "answer": "yes", "depends_on": []}, {"id": "b", "answer": "yes", "depends_on": ["a"]},
          {"id": "c", "answer": "yes", "depends_on": ["b"]}]
    assert score(qs, ["no", "yes", "yes"], "dsg") == 0.0
    assert score(qs, ["yes", "no", "yes"], "dsg") == pytest.approx(1 / 3)
    assert score(qs, ["yes", "yes", "no"], "dsg") == pytest.approx(2 / 3)
    # order of the list does not matter: parents may come later
    assert score(list(reversed(qs)), ["no", "yes", "yes"], "dsg") == pytest.approx(2 / 3)


def test_probabilities():
    # floats are P(yes) for yes/no questions, P(correct) otherwise
    answers = [0.9, 0.6, 0.3, 0.8, 0.7, 0.2]
    p = [0.9, 0.6, 0.3, 0.8, 0.7, 0.8]
    assert correctness(QS, answers) == pytest.approx(p)
    assert score(QS, answers, "prob") == pytest.approx(sum(p) / 6)
    assert score(QS, answers, "tifa") == pytest.approx(5 / 6)  # q2 at 0.3 is wrong
    assert score(QS, answers, "dsg") == pytest.approx(5 / 6)  # q2 has no children
    assert correctness(QS, answers, p_yes=False)[5] == pytest.approx(0.2)


def test_dict_answers_and_missing():
    answers = {"q0": "yes", "q3": "yes", "q4": "3"}
    assert score(QS, answers, "tifa") == pytest.approx(2 / 6)
    assert score(QS, answers, "dsg") == pytest.approx(2 / 6)


def test_breakdown():
    answers = ["no", "yes", "yes", "yes", "2", "no"]
    by_type = breakdown(QS, answers, "dsg")
    assert by_type == {"attribute": {"score": 0.0, "n": 1}, "count": {"score": 1.0, "n": 1},
                       "existence": {"score": pytest.approx(2 / 3), "n": 3}, "relation": {"score": 0.0, "n": 1}}
    by_cat = breakdown(QS, answers, "tifa", by="category")
    assert by_cat["mammal"] == {"score": 0.75, "n": 4}
    assert by_cat["fruit"]["score"] == 1.0 and by_cat["bird"]["score"] == 1.0
    strict = breakdown(QS, answers, "strict", by=lambda q: q["format"])
    assert strict == {"multiple_choice": {"score": 1.0, "n": 1}, "yes_no": {"score": 0.0, "n": 5}}


def test_errors():
    with pytest.raises(ValueError, match="answers for"):
        score(QS, ["yes"])
    with pytest.raises(ValueError, match="unknown scheme"):
        score(QS, ["yes"] * 6, "vqa")
    with pytest.raises(ValueError, match="outside"):
        score(QS, [1.5] * 6, "prob")
    with pytest.raises(ValueError, match="cycle"):
        score([{"id": "a", "answer": "yes", "depends_on": ["b"]}, {"id": "b", "answer": "yes", "depends_on": ["a"]}],
              ["yes", "yes"], "dsg")
    with pytest.raises(ValueError, match="unknown question"):
        score([{"id": "a", "answer": "yes", "depends_on": ["zz"]}], ["yes"], "dsg")
    with pytest.raises(ValueError, match="no questions"):
        score([], [], "tifa")


def test_scheme_inequalities_on_real_question_sets(toy_taxonomy):
    # dsg <= tifa, strict <= dsg, prob == tifa for string answers; all-correct answers score 1 everywhere
    import random

    from gas_solver.realize import question_set

    from .scenes import random_scene

    for k in range(60):
        rng = random.Random(k)
        qs = question_set(random_scene(toy_taxonomy, rng, rng.randint(1, 8)), toy_taxonomy, seed=k)
        assert score_all(qs, [q["answer"] for q in qs]) == {"dsg": 1.0, "tifa": 1.0, "strict": 1.0, "prob": 1.0}
        answers = [q["answer"] if rng.random() < 0.7 else "wrong" for q in qs]
        s = score_all(qs, answers)
        assert s["strict"] <= s["dsg"] <= s["tifa"] == s["prob"]
        # failing one existence question fails exactly the questions that depend on it (transitively)
        exist = next(q for q in qs if q["type"] == "existence" and not q["depends_on"] and not q["negative"])
        answers = [q["answer"] for q in qs]
        answers[int(exist["id"][1:])] = "no"
        children = {exist["id"]}
        for q in qs:
            if set(q["depends_on"]) & children:
                children.add(q["id"])
        assert score(qs, answers, "dsg") == pytest.approx(1 - len(children) / len(qs))
