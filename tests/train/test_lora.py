"""LoRA fine-tuning with the pipeline's own loss: objectives, adapter round trips, determinism, continuation."""

from __future__ import annotations

import pytest

pytest.importorskip("torch", reason="the gpu extra is not installed (pip install gas-solver[gpu])")

import hashlib

import numpy as np
import torch
from PIL import Image

from gas_solver.train.lora import (WEIGHTS_FILE, LoraOptions, load_adapter, objective, remove_adapter, train_lora,
                                   training_loss)
from gas_solver.vision.extra import VisionError
from gas_solver.vision.tiny import tiny_sd_pipeline

pytestmark = pytest.mark.gpu_side


def _pairs(n=4):
    rng = np.random.default_rng(0)
    return [(Image.fromarray(rng.integers(0, 256, (48 + 8 * i, 64, 3), dtype=np.uint8)), f"a red dog {i}")
            for i in range(n)]


def _images(pipe):
    out = pipe(prompt=["a red dog", "a blue car"], num_inference_steps=2, output_type="np",
               generator=[torch.Generator("cpu").manual_seed(s) for s in (0, 1)])
    return np.asarray(out.images)


def _digest(folder):
    return hashlib.sha256((folder / WEIGHTS_FILE).read_bytes()).hexdigest()


def test_adapter_round_trip_same_seed_same_bytes_and_continuation(tmp_path):
    pipe = tiny_sd_pipeline()
    base = _images(pipe)
    opts = LoraOptions(steps=6, batch_size=2, learning_rate=1e-2, seed=3)
    result = train_lora(pipe, _pairs(), tmp_path / "a", opts)
    assert result.objective == "epsilon" and len(result.losses) == 6 and all(np.isfinite(result.losses))
    assert result.trainable_parameters > 0 and (tmp_path / "a" / WEIGHTS_FILE).exists()
    trained = _images(pipe)
    assert np.abs(trained - base).max() > 1e-3  # the adapter changes the model

    # a fresh pipeline with the saved adapter generates exactly what the trained one does
    fresh = tiny_sd_pipeline()
    load_adapter(fresh, tmp_path / "a")
    assert np.abs(_images(fresh) - trained).max() == 0.0
    remove_adapter(fresh)
    assert np.abs(_images(fresh) - base).max() == 0.0  # and removing it restores the base weights

    # same pairs, options and seed: the same adapter bytes; another seed: other bytes
    train_lora(tiny_sd_pipeline(), _pairs(), tmp_path / "b", opts)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    train_lora(tiny_sd_pipeline(), _pairs(), tmp_path / "c", LoraOptions(steps=6, batch_size=2, learning_rate=1e-2, seed=4))
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")

    # continuing from an adapter trains that adapter further (same size, other weights)
    more = train_lora(fresh, _pairs(), tmp_path / "d", LoraOptions(steps=2, learning_rate=1e-2), init=tmp_path / "a")
    assert more.trainable_parameters == result.trainable_parameters
    assert _digest(tmp_path / "d") != _digest(tmp_path / "a")


def test_objective_follows_the_scheduler_and_every_loss_trains(tiny_sd):
    import diffusers

    assert objective(tiny_sd) == "epsilon"
    pipe = tiny_sd_pipeline()
    latents = torch.randn(2, 4, 8, 8, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        cond = {"encoder_hidden_states": pipe.encode_prompt(["a dog", "a cat"], "cpu", 1, False)[0]}
    for scheduler, kind in ((diffusers.DDIMScheduler.from_config(pipe.scheduler.config, prediction_type="v_prediction"),
                             "v_prediction"),
                            (diffusers.FlowMatchEulerDiscreteScheduler(shift=3.0), "flow_matching")):
        pipe.scheduler = scheduler
        assert objective(pipe) == kind
        pipe.unet.zero_grad()
        loss = training_loss(pipe, latents, cond, torch.Generator().manual_seed(0))
        loss.backward()
        assert torch.isfinite(loss) and loss.item() > 0
        assert any(p.grad is not None and p.grad.abs().sum() > 0 for p in pipe.unet.parameters())
    pipe.scheduler = diffusers.DDPMScheduler(prediction_type="sample")
    with pytest.raises(VisionError, match="prediction_type"):
        objective(pipe)


def test_bad_options_and_no_pairs_fail_clearly(tiny_sd, tmp_path):
    with pytest.raises(VisionError, match="rank"):
        LoraOptions(rank=0)
    with pytest.raises(VisionError, match="no .image, caption. pairs"):
        train_lora(tiny_sd, [], tmp_path / "x")
    with pytest.raises(VisionError, match="cannot load LoRA adapter"):
        load_adapter(tiny_sd, tmp_path / "missing")


def test_flow_matching_pipeline_sd3_trains_and_reloads(tmp_path):
    """An SD3-layout pipeline (flow-matching scheduler, MM-DiT, shifted VAE latents) trains and round-trips."""
    from .conftest import tiny_sd3_pipeline

    def images(pipe):
        out = pipe(prompt=["a red dog"], num_inference_steps=2, height=64, width=64, output_type="np",
                   generator=torch.Generator("cpu").manual_seed(0))
        return np.asarray(out.images)

    pipe = tiny_sd3_pipeline()
    base = images(pipe)
    result = train_lora(pipe, _pairs(3), tmp_path / "a", LoraOptions(steps=4, learning_rate=1e-2))
    assert result.objective == "flow_matching" and all(np.isfinite(result.losses))
    trained = images(pipe)
    assert np.abs(trained - base).max() > 1e-4
    fresh = tiny_sd3_pipeline()
    load_adapter(fresh, tmp_path / "a")
    assert np.abs(images(fresh) - trained).max() == 0.0


def test_training_lowers_the_objective_on_its_pairs(tmp_path):
    """The point of the fine-tuning: the denoising loss on the training pairs, measured with the same noise and
    timesteps before and after, goes down."""
    from gas_solver.train.lora import _latent_distribution, _scale_latents, pixel_tensor

    pipe = tiny_sd_pipeline()
    pairs = _pairs(4)

    def measured_loss():
        mean, std = _latent_distribution(pipe, pixel_tensor([im for im, _ in pairs], 64))
        latents = _scale_latents(pipe, mean + std * torch.randn(mean.shape, generator=torch.Generator().manual_seed(9)))
        with torch.no_grad():
            cond = {"encoder_hidden_states": pipe.encode_prompt([c for _, c in pairs], "cpu", 1, False)[0]}
            losses = [training_loss(pipe, latents, cond, torch.Generator().manual_seed(s)).item() for s in range(8)]
        return float(np.mean(losses))

    before = measured_loss()
    train_lora(pipe, pairs, None, LoraOptions(steps=40, batch_size=4, learning_rate=5e-3, rank=8))
    after = measured_loss()
    assert after < 0.9 * before, (before, after)
