"""`gas train grpo`: trl's GRPOTrainer on a tiny image-token Llama, QA and CLIP rewards, resume after SIGKILL,
and a toy task on which the policy learns what the reward asks for."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("torch", reason="the gpu extra is not installed (pip install gas-solver[gpu])")
pytest.importorskip("trl", reason="the gpu extra is not installed (pip install gas-solver[gpu])")

for _var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
    os.environ.setdefault(_var, "1")

from types import SimpleNamespace

import numpy as np
import orjson
import torch
from click.testing import CliRunner

from gas_solver.cli.main import cli
from gas_solver.train.grpo import GRPOOptions, grpo_prompts, train_grpo
from gas_solver.vision.extra import VisionError

pytestmark = [pytest.mark.gpu_side, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


class RednessVQA:
    """Toy VQA: P(yes) to "Is the image red?" is the share of pure-red pixels. The policy controls the colours."""

    name = "redness-vqa"

    def probabilities(self, images, queries, *, batch_size=None):
        out = []
        for q in queries:
            px = np.asarray(images[q.image], dtype=int)
            red = float(((px[..., 0] > 200) & (px[..., 1] < 60) & (px[..., 2] < 60)).mean())
            p = min(max(red, 0.01), 0.99)
            out.append([p, 1 - p])
        return out


def _toy_rows(path: Path, answer: str) -> Path:
    q = [{"id": "q0", "type": "attribute", "question": "Is the image red?", "answer": answer, "choices": None,
          "depends_on": []}]
    rows = [{"id": f"toy-{i}", "caption": f"a {w} picture", "questions": q} for i, w in enumerate(("red", "dog", "cat", "sky"))]
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    return path


@pytest.fixture(scope="module")
def lm_folder(tmp_path_factory):
    from gas_solver.train.tiny import tiny_image_token_lm

    path = tmp_path_factory.mktemp("lm")
    model, tok = tiny_image_token_lm("a red dog cat sky picture the on".split(), codebook=8, width=32, layers=1)
    model.save_pretrained(path)
    tok.save_pretrained(path)
    return path


@pytest.fixture(scope="module")
def model_folders(tmp_path_factory):
    from gas_solver.vision.tiny import tiny_blip_vqa, tiny_clip

    root = tmp_path_factory.mktemp("models")
    for name, (model, proc) in (("blip", tiny_blip_vqa()), ("clip", tiny_clip())):
        model.save_pretrained(root / name)
        proc.save_pretrained(root / name)
    return root


@pytest.fixture(scope="module")
def parquet_dataset(tmp_path_factory):
    out = tmp_path_factory.mktemp("ds") / "ds"
    res = CliRunner().invoke(cli, ["build", "-n", "6", "-o", str(out), "--seed", "3"])
    assert res.exit_code == 0, res.output
    assert list(out.rglob("*.parquet"))
    return out


TOY = dict(grid=(2, 2), image_size=8, batch_size=8, num_generations=4, learning_rate=3e-2, lora_rank=0,
           save_steps=1000, temperature=1.0)


@pytest.mark.parametrize("answer", ["yes", "no"])
def test_policy_learns_what_the_reward_asks(tmp_path, lm_folder, answer):
    """Asked "is it red?" with answer yes the policy paints red; with answer no it stops. A trainer that ignored
    the reward could not move the red share both ways."""
    data = _toy_rows(tmp_path / "toy.jsonl", answer)
    res = train_grpo(data, tmp_path / "run", model=str(lm_folder), vqa=RednessVQA(), device="cpu", max_steps=30, **TOY)
    rewards = [r["reward"] for r in res.log]
    assert len(rewards) == 30 and "qa/attribute" in res.log[0]
    first, last = rewards[0], np.mean(rewards[-5:])  # step 1 scores the untrained policy
    # chance: 1 code in 8 is red, so P(correct) starts near 0.13 (yes) or 0.87 (no)
    assert first < 0.35 if answer == "yes" else first < 0.93, rewards
    assert last > 0.6 if answer == "yes" else last > 0.97, rewards
    if answer == "yes":  # the trained policy, run as a pipeline, paints red where the initial one does not
        from gas_solver.train.pipeline import ImageTokenPipeline

        def red_share(folder):
            pipe = ImageTokenPipeline.from_pretrained(str(folder), grid=(2, 2), image_size=8, device="cpu")
            images = pipe(prompt=["a red picture"] * 8, generator=[torch.Generator().manual_seed(i) for i in range(8)]).images
            return np.mean([RednessVQA().probabilities([im], [SimpleNamespace(image=0)])[0][0] for im in images])

        assert red_share(res.final) > 0.5 > 0.3 > red_share(lm_folder)


def test_cli_qa_and_clip_from_parquet(tmp_path, lm_folder, model_folders, parquet_dataset):
    runner = CliRunner()
    common = [str(parquet_dataset), "--model", str(lm_folder), "--grid", "2x2", "--steps", "3", "--save-steps", "2",
              "--lora-rank", "4", "--device", "cpu"]
    res = runner.invoke(cli, ["train", "grpo", *common, "-o", str(tmp_path / "qa"), "--vqa", str(model_folders / "blip")])
    assert res.exit_code == 0, res.output
    log = [orjson.loads(x) for x in (tmp_path / "qa/log.jsonl").read_bytes().splitlines()]
    assert [r["step"] for r in log] == [1, 2, 3]
    assert all(0 <= r["reward"] <= 1 for r in log) and any(k.startswith("qa/") for k in log[0])
    assert (tmp_path / "qa/checkpoints/checkpoint-2").is_dir() and (tmp_path / "qa/final/adapter_model.safetensors").exists()
    # the trained policy (LoRA adapter on its base) evaluated by `gas eval` as an image-token pipeline
    res = runner.invoke(cli, ["eval", str(parquet_dataset), "-o", str(tmp_path / "ev"), "--model", str(tmp_path / "qa/final"),
                              "--decoder", "palette", "--grid", "2x2", "--vqa", str(model_folders / "blip"),
                              "--limit", "2", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    summary = orjson.loads((tmp_path / "ev/summary.json").read_bytes())
    assert summary["prompts"] == 2 and summary["model"] == str((tmp_path / "qa/final").resolve())
    assert len(list((tmp_path / "ev/images").rglob("*.png"))) == 2
    res = runner.invoke(cli, ["train", "grpo", *common, "-o", str(tmp_path / "clip"), "--reward", "clip",
                              "--clip", str(model_folders / "clip")])
    assert res.exit_code == 0, res.output
    log = [orjson.loads(x) for x in (tmp_path / "clip/log.jsonl").read_bytes().splitlines()]
    assert len(log) == 3 and all(-1 <= r["reward"] <= 1 for r in log) and "rewards/clip_cosine/mean" in log[0]
    # another setting in the same folder is refused before any model loads, naming the option
    res = runner.invoke(cli, ["train", "grpo", *common, "-o", str(tmp_path / "clip"), "--reward", "clip",
                              "--clip", str(model_folders / "clip"), "--lr", "0.5"])
    assert res.exit_code == 1 and "--learning-rate" in res.output and "other settings" in res.output
    res = runner.invoke(cli, ["train", "grpo", *common, "-o", str(tmp_path / "x")])
    assert res.exit_code == 1 and "--vqa" in res.output


def test_resumes_after_sigkill(tmp_path, lm_folder, model_folders, parquet_dataset):
    out = tmp_path / "run"
    cmd = [sys.executable, "-c", "from gas_solver.cli.main import cli; cli()", "train", "grpo", str(parquet_dataset), "-o", str(out),
           "--model", str(lm_folder), "--vqa", str(model_folders / "blip"), "--grid", "2x2", "--steps", "10",
           "--save-steps", "2", "--lora-rank", "4", "--device", "cpu"]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 240
    while not (out / "checkpoints/checkpoint-2/trainer_state.json").exists():
        assert proc.poll() is None, proc.stderr.read().decode()[-3000:]
        assert time.time() < deadline
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL and not (out / "final").exists()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "resumed from" in done.stdout and "checkpoint-" in done.stdout
    steps = [orjson.loads(x)["step"] for x in (out / "log.jsonl").read_bytes().splitlines()]
    assert steps == list(range(1, 11))  # steps past the checkpoint that the kill threw away are logged once
    assert (out / "final/adapter_model.safetensors").exists()


def test_prompts_from_constraint_file_and_options():
    rows = grpo_prompts(None, n=3, seed=1, template="draw: {caption} <boi>")
    assert len(rows) == 3 and all(r["prompt"].startswith("draw: ") for r in rows)
    assert all(isinstance(orjson.loads(r["questions"]), list) for r in rows)
    with pytest.raises(VisionError, match="multiple of num_generations"):
        GRPOOptions(batch_size=6, num_generations=4)
    with pytest.raises(VisionError, match="caption"):
        GRPOOptions(template="no slot")
