"""`gas eval`: benchmark files in their published formats (small fixtures written for these tests), tiny
random models end to end, the fixed output layout, GenEval's rules, and the HTML report in a real browser."""

from __future__ import annotations

import pytest

pytest.importorskip("torch", reason="the gpu extra is not installed (pip install gas-solver[gpu])")

import csv

import orjson
from click.testing import CliRunner

from gas_solver.cli.main import cli
from gas_solver.errors import SourceError
from gas_solver.realize import scoring
from gas_solver.vision.benchmarks import detect_format, read_benchmark
from gas_solver.vision.evaluate import LAYOUT, evaluate
from gas_solver.vision.geneval import check, geneval_summary, relative_position

pytestmark = pytest.mark.gpu_side

BENCH = dict(tifa="tifa_v1.0_question_answers.json", dpg="dpg_bench.csv", genai="genai_image.json",
             geneval="evaluation_metadata.jsonl")
FAST = dict(steps=2, width=64, height=64)


@pytest.fixture(scope="module")
def bench(data_dir):
    return data_dir / "benchmarks"


@pytest.fixture(scope="module")
def judges(tmp_path_factory):
    from gas_solver.vision.tiny import tiny_blip_vqa, tiny_clip, tiny_owlvit

    root = tmp_path_factory.mktemp("judges")
    for name, (model, proc) in (("blip", tiny_blip_vqa()), ("clip", tiny_clip()), ("owlvit", tiny_owlvit())):
        model.save_pretrained(root / name)
        proc.save_pretrained(root / name)
    return root


def test_readers_follow_the_published_formats(bench):
    assert {f: detect_format(bench / n) for f, n in BENCH.items()} == {f: f for f in BENCH}
    _, tifa = read_benchmark(bench / BENCH["tifa"])
    assert [r["id"] for r in tifa] == ["coco_1", "drawbench_7"] and len(tifa[0]["questions"]) == 3
    q0, q1 = tifa[0]["questions"][:2]
    assert q0["choices"] is None and q0["answer"] == "yes" and q0["type"] == "object"   # yes/no choices → yes/no
    assert q1["choices"] == ["red", "blue", "green", "black"] and q1["type"] == "color"
    _, dpg = read_benchmark(bench / BENCH["dpg"])
    a = {q["id"]: q for q in dpg[0]["questions"]}
    assert dpg[0]["caption"].startswith("A small white cat") and a["p4"]["depends_on"] == ["p1", "p2"]
    assert a["p3"]["type"] == "attribute" and a["p3"]["category"] == "color" and a["p1"]["depends_on"] == []
    # DPG's dependency rule is DSG's: a failed parent fails its children
    answers = {"p1": "no", "p2": "yes", "p3": "yes", "p4": "yes"}
    assert scoring.score(dpg[0]["questions"], answers, "dsg") == 0.25
    _, genai = read_benchmark(bench / BENCH["genai"])
    assert genai[0]["questions"][0]["question"] == 'Does this figure show "a dog riding a horse"?'
    assert genai[2]["categories"] == ["attribute", "negation"]
    _, geneval = read_benchmark(bench / BENCH["geneval"])
    assert [r["id"] for r in geneval] == ["00000", "00001", "00002", "00003"]
    assert geneval[1]["geneval"]["exclude"] == [{"class": "dog", "count": 3}]


def test_bad_benchmark_files_name_file_line_and_field(tmp_path):
    bad = tmp_path / "dpg_bench.csv"
    bad.write_text("item_id,text,proposition_id,dependency,category_broad,question_natural_language\n"
                   "x,a cat,1,0,entity,Is there a cat?\nx,a cat,2,7,entity,Is it?\n")
    with pytest.raises(SourceError, match=r"depends on missing proposition\(s\) 7"):
        read_benchmark(bad)
    bad.write_text("item_id,text\nx,y\n")
    with pytest.raises(SourceError, match=r"dpg_bench.csv:1: .*no column"):
        read_benchmark(bad)
    gen = tmp_path / "evaluation_metadata.jsonl"
    gen.write_text('{"tag": "position", "prompt": "p", "include": [{"class": "a", "count": 1, "position": ["left of", 0]}]}\n')
    with pytest.raises(SourceError, match=r"evaluation_metadata.jsonl:1.*include\[0\].position"):
        read_benchmark(gen)
    tifa = tmp_path / "tifa_v1.0_question_answers.json"
    tifa.write_text('[{"id": "t", "caption": "c", "question": "q?", "choices": ["a", "b"], "answer": "z"}]')
    with pytest.raises(SourceError, match=r"json:1.*answer"):
        read_benchmark(tifa)


def test_geneval_rules():
    cat = ((10, 10, 30, 30), 0.95)
    # counting: at least `count` in include, fewer than count+1 by exclude
    meta = {"tag": "counting", "include": [{"class": "dog", "count": 2}], "exclude": [{"class": "dog", "count": 3}]}
    two = {"dog": [cat, ((50, 10, 70, 30), 0.9)]}
    assert check(meta, two)[0] and not check(meta, {"dog": [cat]})[0]
    assert not check(meta, {"dog": [cat] * 3})[0]
    # position: each object on the named side of every target object, with GenEval's margin
    meta = {"include": [{"class": "apple", "count": 1}, {"class": "bench", "count": 1, "position": ["left of", 0]}]}
    assert check(meta, {"apple": [((60, 0, 80, 20), 0.9)], "bench": [((0, 0, 20, 20), 0.9)]})[0]
    ok, why = check(meta, {"apple": [((0, 0, 20, 20), 0.9)], "bench": [((60, 0, 80, 20), 0.9)]})
    assert not ok and "right of" in why[0]
    assert relative_position((0, 0, 20, 20), (3, 0, 23, 20)) == set()  # within the margin: neither side
    assert relative_position((0, 0, 20, 20), (15, 0, 35, 20)) == {"left of"}
    assert relative_position((0, 0, 10, 10), (0, 50, 10, 60)) == {"above"}
    # colour: the most confident `count` boxes must have the colour
    meta = {"include": [{"class": "car", "count": 1, "color": "red"}]}
    assert check(meta, {"car": [cat]}, lambda cls, boxes: ["red"] * len(boxes))[0]
    assert not check(meta, {"car": [cat]}, lambda cls, boxes: ["blue"] * len(boxes))[0]
    s = geneval_summary([("counting", True), ("counting", False), ("position", False), ("colors", True)])
    assert s["tags"] == {"colors": 1.0, "counting": 0.5, "position": 0.0} and s["overall"] == pytest.approx(0.5)


@pytest.mark.parametrize("fmt", ["tifa", "dpg", "genai"])
def test_eval_end_to_end_on_question_benchmarks(fmt, bench, sd_folder, judges, tmp_path):
    out = tmp_path / fmt
    evaluate(bench / BENCH[fmt], out, model=str(sd_folder), vqa=str(judges / "blip"), images_per_prompt=2,
              device="cpu", dtype="fp32", progress=False, **FAST)
    for name in LAYOUT:
        assert (out / name).exists(), name
    s = orjson.loads((out / "summary.json").read_bytes())
    headline = {"tifa": "tifa", "dpg": "dsg", "genai": "prob"}[fmt]
    assert s["headline"] == headline and 0 <= s["score"] <= 1 and s["score"] == s["metrics"][headline]
    _, rows = read_benchmark(bench / BENCH[fmt])
    n_questions = sum(len(r["questions"]) for r in rows)
    answers = [orjson.loads(x) for x in (out / "answers.jsonl").read_bytes().splitlines()]
    assert len(answers) == 2 * n_questions and len(list((out / "images").rglob("*.png"))) == 2 * len(rows)
    with open(out / "per_question.csv") as fh:
        assert len(list(csv.DictReader(fh))) == 2 * n_questions
    with open(out / "per_category.csv") as fh:
        groups = {r["group"] for r in csv.DictReader(fh)}
    expected = {"tifa": {"object", "color", "counting", "spatial"}, "dpg": {"entity", "attribute", "relation", "global"},
                "genai": {"prompt", "counting", "negation", "attribute", "action relation"}}[fmt]
    assert expected <= groups
    # the headline recomputed from the answers file with the pure scoring functions
    per_scene = {}
    for a in answers:
        per_scene.setdefault((a["id"], a["k"]), {})[a["question_id"]] = a["p_correct"] if headline == "prob" else a["answer"]
    want = sum(scoring.score(next(r for r in rows if r["id"] == sid)["questions"], ans, headline, p_yes=False)
               for (sid, _), ans in per_scene.items()) / len(per_scene)
    assert s["score"] == pytest.approx(want)
    # a rerun resumes: nothing generated, answers from the cache, same summary
    again = evaluate(bench / BENCH[fmt], out, model=str(sd_folder), vqa=str(judges / "blip"), images_per_prompt=2,
                     device="cpu", dtype="fp32", progress=False, **FAST)
    assert again.summary["score"] == s["score"]


def test_eval_gas_dataset_and_geneval_from_the_cli(dataset_file, bench, sd_folder, judges, tmp_path):
    runner = CliRunner()
    res = runner.invoke(cli, ["eval", str(dataset_file), "-o", str(tmp_path / "gas"), "--model", str(sd_folder),
                              "--vqa", str(judges / "blip"), "--steps", "2", "--resolution", "64", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    assert "dsg" in res.output and (tmp_path / "gas/report.html").exists()
    res = runner.invoke(cli, ["eval", str(bench / BENCH["geneval"]), "-o", str(tmp_path / "ge"), "--model",
                              str(sd_folder), "--detector", str(judges / "owlvit"), "--clip", str(judges / "clip"),
                              "--steps", "2", "--resolution", "64", "--device", "cpu", "-k", "2",
                              "--detector-threshold", "0.0"])
    assert res.exit_code == 0, res.output
    s = orjson.loads((tmp_path / "ge/summary.json").read_bytes())
    assert set(s["per_category"]) == {"single_object", "counting", "colors", "position"} and 0 <= s["score"] <= 1
    assert s["score"] == pytest.approx(sum(s["per_category"].values()) / 4)
    # the published tool's layout, so its mmdet scorer can be run on the same images
    assert (tmp_path / "ge/geneval/00003/metadata.jsonl").exists() and (tmp_path / "ge/geneval/00003/samples/0001.png").exists()
    answers = [orjson.loads(x) for x in (tmp_path / "ge/answers.jsonl").read_bytes().splitlines()]
    assert len(answers) == 8 and all(set(a) >= {"correct", "reasons", "detections"} for a in answers)
    # GenEval without a detector, and a question benchmark without a judge, are refused before generating
    res = runner.invoke(cli, ["eval", str(bench / BENCH["geneval"]), "-o", str(tmp_path / "x"), "--model", str(sd_folder)])
    assert res.exit_code == 1 and "--detector" in res.output and not (tmp_path / "x").exists()
    res = runner.invoke(cli, ["eval", str(bench / BENCH["dpg"]), "-o", str(tmp_path / "y"), "--model", str(sd_folder)])
    assert res.exit_code == 1 and "--vqa" in res.output


def test_closed_set_detector_matches_labels_by_name(tmp_path):
    """DETR-style detectors: a class is the boxes whose label names it; a class it lacks gets none."""
    from PIL import Image

    from gas_solver.vision.geneval import evaluate_geneval, load_detector
    from gas_solver.vision.tiny import tiny_detr

    model, proc = tiny_detr()
    model.save_pretrained(tmp_path / "detr")
    proc.save_pretrained(tmp_path / "detr")
    det = load_detector(str(tmp_path / "detr"), device="cpu")
    assert not det.zero_shot and det.nms is None
    found = det.detections(Image.new("RGB", (64, 48), (30, 90, 200)), ["cat", "dog", "giraffe"], 0.0)
    assert set(found) == {"cat", "dog"} and all(len(v) == 10 for v in found.values())  # every query, by label
    for boxes in found.values():
        scores = [s for _, s in boxes]
        assert scores == sorted(scores, reverse=True)
    res = evaluate_geneval([Image.new("RGB", (64, 48))], {"tag": "counting", "include": [{"class": "cat", "count": 2}],
                                                          "exclude": [{"class": "cat", "count": 3}]}, det, threshold=0.0,
                           counting_threshold=0.0)
    assert res[0]["correct"] is False and "cat<3" in res[0]["reasons"][0]  # 10 cats found: too many
