"""Scoring a generation folder, the reward and CLIP: plumbing against the pure scoring functions."""

from __future__ import annotations

import pytest

pytest.importorskip("torch", reason="the gpu extra is not installed (pip install gas-solver[gpu])")  # before numpy/PIL/torch users

import hashlib
import math

import numpy as np
import orjson
from click.testing import CliRunner

from gas_solver.realize import scoring
from gas_solver.vision.clip import ClipScorer
from gas_solver.vision.extra import VisionError
from gas_solver.vision.generate import generate_images
from gas_solver.vision.reward import SceneGraphQAReward
from gas_solver.vision.score import SCHEMES, hard_answer, score_outputs
from gas_solver.vision.vqa import BlipVQA, candidates, p_correct

pytestmark = pytest.mark.gpu_side

FAST = dict(steps=2, width=64, height=64)


class TableVQA:
    """A test double: fixed probabilities from a hash of (question, image pixels); counts what it is asked."""

    name = "table-vqa"

    def __init__(self, wrong: set[str] = frozenset()):
        self.asked = 0
        self.wrong = wrong  # questions answered with P(yes) = 0.1 (a failing parent, say)

    def probabilities(self, images, queries, *, batch_size=None):
        self.asked += len(queries)
        out = []
        for q in queries:
            h = hashlib.sha256(q.question.encode() + np.asarray(images[q.image]).tobytes()).digest()
            if q.choices is None:
                p = 0.1 if q.question in self.wrong else 0.05 + 0.9 * h[0] / 255
                out.append([p, 1 - p])
            else:
                w = [1 + h[i] for i in range(len(q.choices))]
                out.append([x / sum(w) for x in w])
        return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory, sd_pipe):
    from conftest import make_rows

    out = tmp_path_factory.mktemp("gen")
    generate_images(make_rows(3), out, pipeline=sd_pipe, images_per_caption=2, **FAST)
    return out


def _index(out):
    return [orjson.loads(line) for line in (out / "index.jsonl").read_bytes().splitlines()]


def test_scores_match_the_pure_scoring_functions(generated, tmp_path):
    index = _index(generated)
    parent = next(q for q in index[0]["questions"] if q["type"] == "existence" and q["format"] == "yes_no")
    vqa = TableVQA(wrong={parent["question"]})
    report = score_outputs(generated, vqa=vqa)
    assert report.summary["scenes"] == 3 and report.summary["outputs"] == 6
    for row, scene in zip(index, report.per_scene):
        assert scene["id"] == row["id"]
        for out in scene["outputs"]:
            answers = out["answers"]
            soft = {qid: a["p_correct"] for qid, a in answers.items()}
            hard = {qid: a["answer"] for qid, a in answers.items()}
            for a, q in zip(answers.values(), row["questions"]):
                assert 0.0 <= a["p_correct"] <= 1.0 and sum(a["probs"]) == pytest.approx(1.0)
                assert a["answer"] in candidates(q)
            # dsg/tifa/strict judge the model's answer (the most probable one; for a multiple-choice
            # question it can be right with P < 0.5); prob takes P(correct)
            for s in ("dsg", "tifa", "strict"):
                assert out["scores"][s] == pytest.approx(scoring.score(row["questions"], hard, s))
            assert out["scores"]["prob"] == pytest.approx(scoring.score(row["questions"], soft, "prob", p_yes=False))
        assert scene["scores"]["tifa"] == pytest.approx(np.mean([o["scores"]["tifa"] for o in scene["outputs"]]))
    # the failed parent drags its children down under dsg only
    first = report.per_scene[0]["outputs"][0]
    assert first["answers"][parent["id"]]["answer"] == "no"
    children = [q for q in index[0]["questions"] if parent["id"] in q["depends_on"]]
    assert children and first["scores"]["dsg"] < first["scores"]["tifa"]
    # files
    data = orjson.loads((report.folder / "scores.json").read_bytes())
    assert set(data["breakdowns"]) >= {"question type", "category", "attribute type", "relation type", "complexity"}
    assert data["breakdowns"]["relation type"]  # predicate ids without a taxonomy
    md = (report.folder / "report.md").read_text()
    assert "### By question type" in md and "| dsg |" in md.replace(" dsg ", " dsg ")  # table header present
    assert len((report.folder / "per_scene.jsonl").read_bytes().splitlines()) == 3


def test_breakdowns_agree_with_scoring_breakdown(generated, toy_taxonomy):
    vqa = TableVQA()
    report = score_outputs(generated, vqa=vqa, taxonomy=toy_taxonomy, schemes=("dsg", "tifa"))
    index = _index(generated)
    # pool scoring.breakdown(by="type") over all outputs by hand
    per_type: dict[str, list] = {}
    for row, scene in zip(index, report.per_scene):
        for out in scene["outputs"]:
            soft = {qid: a["p_correct"] for qid, a in out["answers"].items()}
            for group, val in scoring.breakdown(row["questions"], soft, "dsg", by="type", p_yes=False).items():
                per_type.setdefault(group, []).append((val["score"], val["n"]))
    for group, vals in per_type.items():
        want = sum(v * n for v, n in vals) / sum(n for _, n in vals)
        assert report.breakdowns["question type"][group]["dsg"] == pytest.approx(want)
        assert report.breakdowns["question type"][group]["questions"] == sum(n for _, n in vals)
    # with the taxonomy, relations group by kind
    assert set(report.breakdowns["relation type"]) <= {"action", "spatial"}
    assert set(report.breakdowns["complexity"]) == {str(r["complexity"]) for r in index}


def test_rescoring_reads_the_cache(generated):
    vqa = TableVQA()
    first = score_outputs(generated, vqa=vqa, schemes=("tifa",))
    asked = vqa.asked
    assert first.asked == asked or first.cached == 6  # earlier tests may have filled the cache
    second = score_outputs(generated, vqa=vqa, schemes=("dsg", "strict"))
    assert vqa.asked == asked and second.asked == 0 and second.cached == 6
    assert set(second.summary["metrics"]) == {"dsg", "strict"}


def test_tiny_blip_end_to_end_and_batching(generated, blip, tmp_path):
    import shutil

    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(generated, a, ignore=shutil.ignore_patterns("scores"))
    shutil.copytree(generated, b, ignore=shutil.ignore_patterns("scores"))
    ra = score_outputs(a, vqa=BlipVQA(*blip, batch_size=64))
    rb = score_outputs(b, vqa=BlipVQA(*blip, batch_size=3), scenes_per_chunk=1)
    for sa, sb in zip(ra.per_scene, rb.per_scene):
        for oa, ob in zip(sa["outputs"], sb["outputs"]):
            for qid in oa["answers"]:
                assert oa["answers"][qid]["probs"] == pytest.approx(ob["answers"][qid]["probs"], abs=1e-5)
                assert all(0 <= p <= 1 for p in oa["answers"][qid]["probs"])
    assert ra.asked == sum(len(r["questions"]) * 2 for r in _index(a))


def test_video_answers_average_over_frames(sd_pipe, tmp_path):
    """A video output is asked once per sampled frame; its probabilities are the frame mean."""
    from conftest import make_rows
    from PIL import Image

    from gas_solver.vision.media import write_png

    row = make_rows(1)[0]
    out = tmp_path / "v"
    frames = [Image.fromarray(np.full((16, 16, 3), 40 * i, dtype=np.uint8)) for i in range(4)]
    paths = []
    for i, f in enumerate(frames):
        write_png(out / f"videos/x/{i}.png", f)
        paths.append(f"videos/x/{i}.png")
    (out / "index.jsonl").write_bytes(orjson.dumps({**row, "kind": "video", "outputs": [{"k": 0, "seed": 1, "frames": paths}]}) + b"\n")
    vqa = TableVQA()
    report = score_outputs(out, vqa=vqa, max_frames=4)
    assert vqa.asked == 4 * len(row["questions"])
    q = row["questions"][0]
    per_frame = [TableVQA().probabilities([f], [__import__("gas_solver.vision.vqa", fromlist=["query_for"]).query_for(q)])[0]
                 for f in frames]
    got = report.per_scene[0]["outputs"][0]["answers"][q["id"]]["probs"]
    assert got == pytest.approx([float(np.mean([p[i] for p in per_frame])) for i in range(2)])


def test_reward_batches_and_matches_scoring(blip, images):
    from conftest import make_rows

    rows = make_rows(3)
    qsets = [r["questions"] for r in rows]
    reward = SceneGraphQAReward(BlipVQA(*blip), scheme="prob")
    values = reward(images[:3], qsets)
    assert len(values) == 3 and all(0.0 <= v <= 1.0 for v in values)
    alone = [reward([img], [qs])[0] for img, qs in zip(images[:3], qsets)]
    assert values == pytest.approx(alone, abs=1e-5)
    raw = reward.answers(images[:3], qsets)
    for qs, probs, v in zip(qsets, raw, values):
        assert v == pytest.approx(scoring.score(qs, {q["id"]: p_correct(q, probs[q["id"]]) for q in qs}, "prob", p_yes=False))
    dsg = SceneGraphQAReward(TableVQA(), scheme="dsg")([images[0]], [qsets[0]])[0]
    assert dsg in {k / len(qsets[0]) for k in range(len(qsets[0]) + 1)}
    with pytest.raises(VisionError, match="unknown scheme"):
        SceneGraphQAReward(TableVQA(), scheme="best")


def test_hard_answers_and_number_questions():
    q = {"id": "q0", "answer": "2", "format": "number", "choices": None}
    probs = [0.0] * 11
    probs[2] = 0.7
    probs[3] = 0.3
    assert hard_answer(q, probs) == "2" and p_correct(q, probs) == 0.7
    assert hard_answer({"answer": "yes", "choices": None}, [0.2, 0.8]) == "no"


def test_clip_scores_and_batching(images):
    from gas_solver.vision.tiny import tiny_clip

    scorer = ClipScorer(*tiny_clip(), batch_size=8)
    texts = ["a brown dog rides a horse", "two apples", "a small owl on top of a wooden bench", "a red SUV"]
    cos = scorer.cosines(images, texts)
    assert all(-1.0 <= c <= 1.0 and math.isfinite(c) for c in cos)
    assert cos == pytest.approx([scorer.cosines([i], [t])[0] for i, t in zip(images, texts)], abs=1e-5)
    assert scorer.scores(images, texts) == pytest.approx([100 * max(c, 0.0) for c in cos])
    assert len(set(round(c, 6) for c in cos)) > 1


def test_cli_generate_then_score(sd_folder, blip_folder, dataset_file, tmp_path):
    from gas_solver.cli.main import cli

    out = tmp_path / "out"
    runner = CliRunner()
    res = runner.invoke(cli, ["generate", str(dataset_file), "-o", str(out), "--model", str(sd_folder), "--steps", "2",
                              "--resolution", "64", "--device", "cpu", "-k", "2"])
    assert res.exit_code == 0, res.output
    assert "3 scenes generated (6 outputs), 0 already done" in res.output
    again = runner.invoke(cli, ["generate", str(dataset_file), "-o", str(out), "--model", str(sd_folder), "--steps", "2",
                                "--resolution", "64", "--device", "cpu", "-k", "2"])
    assert again.exit_code == 0 and "0 scenes generated (0 outputs), 3 already done" in again.output
    res = runner.invoke(cli, ["score", str(out), "--vqa", str(blip_folder), "--device", "cpu", "--scheme", "dsg", "--json"])
    assert res.exit_code == 0, res.output
    data = orjson.loads(res.output[res.output.index("{"):])
    assert set(data["summary"]["metrics"]) == {"dsg"} and 0.0 <= data["summary"]["metrics"]["dsg"] <= 1.0
    res = runner.invoke(cli, ["score", str(out), "--vqa", str(blip_folder), "--device", "cpu"])
    assert res.exit_code == 0 and "### By question type" in res.output and "0 questions asked, 6 outputs from cache" in res.output
    bad = runner.invoke(cli, ["score", str(tmp_path), "--vqa", str(blip_folder), "--device", "cpu"])
    assert bad.exit_code == 1 and bad.output.startswith("Error: ") and "no index.jsonl" in bad.output
    bad = runner.invoke(cli, ["generate", str(dataset_file), "-o", str(tmp_path / "x"), "--model", str(tmp_path / "nope"),
                              "--device", "cpu"])
    assert bad.exit_code == 1 and "Error: cannot read the pipeline config" in bad.output
    bad = runner.invoke(cli, ["generate", str(dataset_file), "-o", str(out), "--model", str(sd_folder), "--resolution", "6x"])
    assert bad.exit_code == 2 and "WIDTHxHEIGHT" in bad.output


def test_cli_help_without_running():
    from gas_solver.cli.main import cli

    for cmd in ("generate", "score"):
        res = CliRunner().invoke(cli, [cmd, "--help"])
        assert res.exit_code == 0 and "Example:" in res.output


def test_rescoring_with_another_scheme_writes_beside(sd_pipe, dataset_file, tmp_path):
    out = tmp_path / "out"
    generate_images(dataset_file, out, pipeline=sd_pipe, **FAST)
    vqa = TableVQA()
    every = score_outputs(out, vqa=vqa)
    dsg = score_outputs(out, vqa=vqa, schemes=["dsg"])
    tifa = score_outputs(out, vqa=vqa, schemes=["tifa"])
    assert [f.name for f in dsg.files] == ["scores-dsg.json", "per_scene-dsg.jsonl", "report-dsg.md"]
    assert set(orjson.loads((every.folder / "scores.json").read_bytes())["summary"]["metrics"]) == set(SCHEMES)
    assert set(orjson.loads((dsg.folder / "scores-dsg.json").read_bytes())["summary"]["metrics"]) == {"dsg"}
    assert set(orjson.loads((tifa.folder / "scores-tifa.json").read_bytes())["summary"]["metrics"]) == {"tifa"}
