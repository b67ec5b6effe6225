"""Distillation: the weak-element rule, the focus constraint file (the bar: a fake student that fails every
question about known weak concepts), and the resumable run on tiny models with a teacher folder."""

from __future__ import annotations

import random

import orjson
import pytest
from click.testing import CliRunner

from gas_solver.train.weak import WeakRule, holm, mine_weak, outcomes, question_subject, sign_test_p

from .conftest import DATA, TOY_SPACE, WEAK, FakeVQA, about_weak, teacher_folder as _teacher_folder, run_and_kill, tree_bytes

def _per_scene(rows, fail):
    """per_scene records as score_outputs writes them: one output, every answer right unless fail(row, q)."""
    out = {}
    for row in rows:
        answers = {str(q["id"]): {"answer": "__wrong__" if fail(row, q) else q["answer"], "p_correct": 0.0}
                   for q in row["questions"]}
        out[row["id"]] = {"id": row["id"], "outputs": [{"k": 0, "answers": answers}]}
    return out


def _probe(toy, n=150, seed=0):
    from gas_solver.train.captions import CaptionSource, derive_seed

    return CaptionSource.from_constraints(TOY_SPACE, toy).draw(n, derive_seed(seed, "probe"))


def test_sign_test_and_holm_against_brute_force():
    from itertools import product

    for b, c in ((0, 0), (3, 0), (5, 2), (2, 5), (7, 7)):
        n = b + c
        brute = sum(1 for bits in product((0, 1), repeat=n) if sum(bits) >= b) / 2 ** n if n else 1.0
        assert sign_test_p(b, c) == pytest.approx(brute)
    rng = random.Random(1)
    for _ in range(50):
        ps = [rng.random() for _ in range(rng.randint(1, 6))]
        adj = holm(ps)
        order = sorted(range(len(ps)), key=ps.__getitem__)
        for rank, i in enumerate(order):  # definition: max over earlier ranks of (m - r) p, capped at 1
            want = min(1.0, max((len(ps) - r) * ps[order[r]] for r in range(rank + 1)))
            assert adj[i] == pytest.approx(want)


def test_fake_student_weak_concepts_exactly_and_focus_file_targets_them(toy, tmp_path):
    """The bar: the mined elements are exactly the known weak concepts; the focus file passes `gas check`;
    >= 80 % of captions sampled from it mention one of them."""
    from gas_solver.cli.main import cli
    from gas_solver.train.captions import CaptionSource
    from gas_solver.train.distill import focus_constraints, mentions_weak

    probe = _probe(toy)
    records = outcomes(probe, _per_scene(probe, lambda r, q: about_weak(r, q)), _per_scene(probe, lambda r, q: False))
    mined = mine_weak(records, WeakRule())
    assert {(w["kind"], w["key"]) for w in mined["weak"]} == {("concept", c) for c in WEAK}
    tested = {t["key"] for t in mined["breakdowns"]["concept"] if t["tested"]}
    assert len(tested) >= 5 and WEAK <= tested  # the other concepts were tested too, and passed
    for kind in ("attribute", "predicate", "structure"):
        assert mined["breakdowns"][kind] and not any(t["weak"] for t in mined["breakdowns"][kind])

    text = focus_constraints(TOY_SPACE.read_text(), mined["weak"], weight=4.0)
    path = tmp_path / "focus.toml"
    path.write_text(text)
    res = CliRunner().invoke(cli, ["check", str(path), "--taxonomy", str(DATA / "toy.toml")])
    assert res.exit_code == 0 and "OK" in res.output, res.output
    assert "concept:dog" in text and "concept:apple" in text and "concept:horse" not in text

    rows = CaptionSource.from_constraints(path, toy, distribution="weighted").draw(200, seed=3)
    names = WEAK  # the toy taxonomy names these concepts by their ids ("two apples" holds "apple")
    share = sum(mentions_weak(r, mined["weak"]) for r in rows) / len(rows)
    in_caption = sum(any(n in r["caption"].lower() for n in names) for r in rows) / len(rows)
    assert share >= 0.8 and in_caption >= 0.8, (share, in_caption)


def test_explaining_away_and_other_kinds(toy):
    """A student weak at one predicate (not at its concepts) gets that predicate, nothing else."""
    probe = _probe(toy, n=200)
    weak_pred = {"next_to"}

    def fail(row, q):
        s = question_subject(row, q)
        return s is not None and s[0] == "predicate" and s[1] in weak_pred

    mined = mine_weak(outcomes(probe, _per_scene(probe, fail), _per_scene(probe, lambda r, q: False)))
    assert {(w["kind"], w["key"]) for w in mined["weak"]} == {("predicate", "next_to")}
    # equal models: nothing is weak, whatever the support
    same = mine_weak(outcomes(probe, _per_scene(probe, fail), _per_scene(probe, fail)))
    assert same["weak"] == []


# ---------------------------------------------------------------------------
# The whole run on tiny models: a VQA stand-in that plays a weak student and a perfect teacher
# ---------------------------------------------------------------------------

SCRIPT = """
import sys, torch
torch.set_num_threads(1)
from pathlib import Path
from gas_solver.taxonomy import load_taxonomy
from gas_solver.train.captions import CaptionSource
from gas_solver.train.distill import DistillOptions, distill
from gas_solver.train.evaluate import GenerationSettings
from gas_solver.train.lora import LoraOptions
from gas_solver.train.weak import WeakRule
from gas_solver.vision.tiny import tiny_sd_pipeline
from train.conftest import DATA, TOY_SPACE, FakeVQA
toy = load_taxonomy(DATA / "toy.toml")
out = Path(sys.argv[1])
distill(CaptionSource.from_constraints(TOY_SPACE, toy), out, tiny_sd_pipeline(), FakeVQA(out), {options},
        teacher_images={teacher!r}, taxonomy=toy, model_name="tiny-sd")
"""


@pytest.mark.slow
def test_distill_run_teacher_folder_resume_and_same_bytes(toy, tmp_path):
    pytest.importorskip("torch", reason="the gpu extra is not installed (pip install gas-solver[gpu])")
    from gas_solver.train.captions import CaptionSource
    from gas_solver.train.distill import DistillOptions, TeacherImagesMissing, distill
    from gas_solver.train.evaluate import GenerationSettings
    from gas_solver.train.lora import LoraOptions
    from gas_solver.vision.tiny import tiny_sd_pipeline

    opts = DistillOptions(probe_captions=150, focus_captions=12, focus_eval=4,
                          generation=GenerationSettings(steps=1, resolution=32, batch_size=16),
                          lora=LoraOptions(steps=2, learning_rate=1e-3), seed=0)
    teacher = tmp_path / "teacher"
    source = CaptionSource.from_constraints(TOY_SPACE, toy)

    def run(out):
        return distill(source, out, tiny_sd_pipeline(), FakeVQA(out), opts, teacher_images=teacher, taxonomy=toy,
                       model_name="tiny-sd")

    out = tmp_path / "a"
    # no teacher images yet: the run says which captions to render, twice (probe, then focus captions)
    for stage in ("probe", "focus"):
        with pytest.raises(TeacherImagesMissing, match=f"{stage}/prompts.jsonl"):
            run(out)
        _teacher_folder(teacher, out / stage / "prompts.jsonl")
    result = run(out)
    assert {w["key"] for w in result.weak} == WEAK and result.focus_file.exists()
    report = orjson.loads((out / "report.json").read_bytes())
    assert report["focus"]["captions"] == 12 and report["focus"]["mention_weak"] >= 0.8
    assert report["weak_questions"]["before"]["tifa"] == 0.0 and report["weak_questions"]["teacher"]["tifa"] == 1.0
    assert set(report["focus_eval"]["after"]["metrics"]) == {"dsg", "tifa", "strict", "prob"}
    assert (out / "train" / "adapter" / "pytorch_lora_weights.safetensors").exists()
    assert "## Weak elements" in (out / "report.md").read_text()
    datasets = pytest.importorskip("datasets")
    assert len(datasets.load_dataset("imagefolder", data_dir=str(out / "focus" / "pairs"), split="train")) == 12
    # a rerun finds every stage done; a fresh run into another folder writes the same bytes
    again = run(out)
    assert again.resumed == ["probe", "mining", "focus", "train", "eval"]
    other = tmp_path / "b"
    run(other)
    assert tree_bytes(other) == tree_bytes(out)
    # killed (SIGKILL) once the focus stage is done, rerun: the finished stages are kept, the bytes are the same
    killed = tmp_path / "k"
    run_and_kill(SCRIPT.format(options=repr(opts), teacher=str(teacher)), killed, "focus/done.json",
                 "gas_solver.train.distill:train_lora")
    assert not (killed / "eval" / "done.json").exists()
    assert run(killed).resumed == ["probe", "mining", "focus"]
    assert tree_bytes(killed) == tree_bytes(out)


def test_cli_local_teacher_and_missing_teacher_images(tmp_path, model_folders):
    from gas_solver.cli.main import cli

    sd, blip = model_folders
    common = [str(TOY_SPACE), "--taxonomy", str(DATA / "toy.toml"), "--model", str(sd), "--vqa", str(blip),
              "--probe", "4", "--steps", "1", "--resolution", "32", "--device", "cpu"]
    res = CliRunner().invoke(cli, ["train", "distill", *common, "-o", str(tmp_path / "d"), "--teacher", str(sd)])
    # the same random model as student and teacher: no element can be weak
    assert res.exit_code == 0 and "no weak element passed the rule" in res.output, res.output
    weak = orjson.loads((tmp_path / "d" / "mining" / "weak.json").read_bytes())
    assert weak["weak"] == [] and set(weak["breakdowns"]) == {"concept", "attribute", "predicate", "scene_attribute",
                                                               "structure"}
    res = CliRunner().invoke(cli, ["train", "distill", *common, "-o", str(tmp_path / "e"),
                                   "--teacher-images", str(tmp_path / "none")])
    assert res.exit_code == 1 and "probe/prompts.jsonl" in res.output and "Traceback" not in res.output
    res = CliRunner().invoke(cli, ["train", "distill", *common, "-o", str(tmp_path / "f")])
    assert res.exit_code != 0 and "exactly one of --teacher-images" in res.output
