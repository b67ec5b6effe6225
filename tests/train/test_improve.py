"""Self-improvement rounds on tiny random models: outputs, report, kept dataset, resume after SIGKILL, same bytes."""

from __future__ import annotations

import pytest

pytest.importorskip("torch", reason="the gpu extra is not installed (pip install gas-solver[gpu])")

import orjson
from click.testing import CliRunner

from gas_solver.errors import GasError
from gas_solver.train.captions import CaptionSource
from gas_solver.train.evaluate import GenerationSettings
from gas_solver.train.improve import ImproveOptions, self_improve
from gas_solver.train.lora import LoraOptions

from .conftest import DATA, TOY_SPACE, run_and_kill, tree_bytes

pytestmark = pytest.mark.gpu_side

OPTIONS = ImproveOptions(rounds=2, captions_per_round=4, heldout_captions=3, images_per_caption=2,
                         generation=GenerationSettings(steps=2, resolution=64),
                         lora=LoraOptions(steps=3, learning_rate=1e-3), seed=5)

# the run of the tests below, as a script: what a user's process does, killed from outside
SCRIPT = f"""
import sys, torch
torch.set_num_threads(1)
from gas_solver.taxonomy import load_taxonomy
from gas_solver.vision.tiny import tiny_sd_pipeline, tiny_blip_vqa
from gas_solver.vision.vqa import BlipVQA
from gas_solver.train.captions import CaptionSource
from gas_solver.train.evaluate import GenerationSettings
from gas_solver.train.improve import ImproveOptions, self_improve
from gas_solver.train.lora import LoraOptions
tax = load_taxonomy({str(DATA / 'toy.toml')!r})
opts = {OPTIONS!r}
self_improve(CaptionSource.from_constraints({str(TOY_SPACE)!r}, tax), sys.argv[1], tiny_sd_pipeline(),
             BlipVQA(*tiny_blip_vqa(), name="tiny-blip"), opts, model_name="tiny-sd", taxonomy=tax)
"""


def _run(out, tiny_sd, tiny_vqa, toy, options=OPTIONS):
    return self_improve(CaptionSource.from_constraints(TOY_SPACE, toy), out, tiny_sd, tiny_vqa, options,
                        model_name="tiny-sd", taxonomy=toy)


def test_rounds_write_report_adapter_and_kept_dataset(tmp_path, tiny_sd, tiny_vqa, toy):
    result = _run(tmp_path / "run", tiny_sd, tiny_vqa, toy)
    out = result.out
    assert [r["round"] for r in result.rounds] == [1, 2] and result.resumed == 0
    heldout = {r["id"] for r in map(orjson.loads, (out / "heldout" / "captions.jsonl").read_bytes().splitlines())}
    for r, summary in enumerate(result.rounds, 1):
        step = out / f"round-{r:02d}"
        captions = [orjson.loads(x) for x in (step / "captions.jsonl").read_bytes().splitlines()]
        assert len(captions) == 4 and not heldout & {c["id"] for c in captions}  # never a held-out scene
        index = [orjson.loads(x) for x in (step / "samples" / "index.jsonl").read_bytes().splitlines()]
        assert all(len(line["outputs"]) == 2 for line in index)
        assert summary["kept"] == 4 and summary["trained"] and (step / "adapter" / "pytorch_lora_weights.safetensors").exists()
        assert len(orjson.loads((step / "train.json").read_bytes())["losses"]) == 3
        for side in ("before", "after"):
            assert set(summary[side]["metrics"]) == {"dsg", "tifa", "strict", "prob"}
            assert "existence" in summary[side]["by_question_type"]
        assert summary["delta"]["metrics"]["dsg"] == pytest.approx(summary["after"]["metrics"]["dsg"]
                                                                   - summary["before"]["metrics"]["dsg"])
    # round 2 starts where round 1 ended
    assert result.rounds[1]["before"] == result.rounds[0]["after"]
    # the kept pairs: the best of each caption's k images, as a Hugging Face imagefolder dataset
    datasets = pytest.importorskip("datasets")
    kept = datasets.load_dataset("imagefolder", data_dir=str(out / "round-01" / "kept"), split="train")
    assert len(kept) == 4 and {"image", "caption", "id", "score", "k"} <= set(kept.column_names)
    per_scene = {}
    for folder in (out / "round-01" / "samples" / "scores").iterdir():
        for line in (folder / "per_scene.jsonl").read_bytes().splitlines():
            s = orjson.loads(line)
            per_scene[s["id"]] = max(o["scores"]["dsg"] for o in s["outputs"])
    assert all(per_scene[row["id"]] == pytest.approx(row["score"]) for row in kept)
    report = (out / "report.md").read_text()
    assert "## Round 2: held-out scores" in report and "| existence |" in report


def test_threshold_keeps_nothing_and_other_settings_are_refused(tmp_path, tiny_sd, tiny_vqa, toy):
    opts = ImproveOptions(**{**OPTIONS.__dict__, "rounds": 1, "threshold": 1.5})
    result = _run(tmp_path / "run", tiny_sd, tiny_vqa, toy, opts)
    assert result.rounds[0]["kept"] == 0 and not result.rounds[0]["trained"]
    assert not (tmp_path / "run" / "round-01" / "adapter").exists()
    with pytest.raises(GasError, match="other settings"):
        _run(tmp_path / "run", tiny_sd, tiny_vqa, toy, OPTIONS)


@pytest.mark.slow
def test_sigkill_then_resume_gives_the_same_bytes(tmp_path, tiny_sd, tiny_vqa, toy):
    """Killed (SIGKILL) during round 2, rerun: round 1 is not redone and every file equals an uninterrupted run's."""
    whole = _run(tmp_path / "whole", tiny_sd, tiny_vqa, toy).out
    out = tmp_path / "killed"
    run_and_kill(SCRIPT, out, "round-01/done.json", "gas_solver.train.improve:generate_and_score")
    assert not (out / "round-02" / "done.json").exists()
    round1 = (out / "round-01" / "done.json").stat().st_mtime_ns
    result = _run(out, tiny_sd, tiny_vqa, toy)
    assert result.resumed == 1 and (out / "round-01" / "done.json").stat().st_mtime_ns == round1
    assert tree_bytes(out) == tree_bytes(whole)


def test_cli_runs_a_round_from_model_folders(tmp_path, model_folders):
    from gas_solver.cli.main import cli

    sd, blip = model_folders
    args = ["train", "improve", str(TOY_SPACE), "--taxonomy", str(DATA / "toy.toml"), "-o", str(tmp_path / "si"),
            "--model", str(sd), "--vqa", str(blip), "--captions", "3", "--heldout", "2", "-k", "2", "--steps", "2",
            "--resolution", "64", "--train-steps", "2", "--device", "cpu"]
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 0, res.output
    assert "1 rounds (0 already done)" in res.output and (tmp_path / "si" / "round-01" / "adapter").exists()
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0 and "1 rounds (1 already done)" in again.output
    bad = CliRunner().invoke(cli, args[:-2] + ["--train-steps", "3", "--device", "cpu"])
    assert bad.exit_code == 1 and "other settings" in bad.output
