"""LoRA fine-tuning of a diffusers pipeline's denoiser on (image, caption) pairs, with the pipeline's own loss.

The recipe of diffusers' ``train_text_to_image_lora`` example, as plain functions:

1. freeze the pipeline (VAE, text encoders, denoiser) and add a peft LoRA adapter to the
   denoiser's attention projections (``to_q``, ``to_k``, ``to_v``, ``to_out.0``); a previous
   adapter may be loaded instead and trained further;
2. encode every image once to its VAE latent distribution and every caption once to its text
   embeddings (both towers are frozen, so this is exact, and it saves their cost at each step);
3. each step draws a batch (a seeded permutation per epoch), a latent sample, noise and a time:

   - **noise prediction** (DDPM-family schedulers: SD 1.x/2.x):
     ``x_t = sqrt(ᾱ_t) x_0 + sqrt(1-ᾱ_t) ε``, target ``ε`` (or ``v = sqrt(ᾱ_t) ε - sqrt(1-ᾱ_t) x_0`` for
     ``prediction_type="v_prediction"``), ``t`` uniform over the training steps;
   - **flow matching** (``FlowMatch*`` schedulers: SD3 and its kind):
     ``x_σ = (1-σ) x_0 + σ ε``, target ``ε - x_0``, ``σ`` uniform in (0, 1) through the scheduler's shift;

   and the loss is the mean squared error of the denoiser's output against the target;
4. AdamW on the adapter's parameters only, gradient clipping; the adapter is written with the
   pipeline's ``save_lora_weights`` (``pytorch_lora_weights.safetensors``), which ``gas generate --lora``
   and ``pipe.load_lora_weights`` read back.

Every random draw comes from a CPU generator seeded by ``LoraOptions.seed``: the same pairs, options
and seed give the same adapter bytes (on the same device and library versions).

Examples
--------
>>> from gas_solver.train.lora import LoraOptions, train_lora        # doctest: +SKIP
>>> result = train_lora(pipe, [(image, "a red car")], "adapter", LoraOptions(steps=100))  # doctest: +SKIP
>>> pipe.load_lora_weights("adapter")                                 # doctest: +SKIP
"""

from __future__ import annotations

import math
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Sequence

from ..outputs import write_output
from ..vision.extra import VisionError, require

__all__ = ["LoraOptions", "LoraResult", "ADAPTER", "WEIGHTS_FILE", "objective", "denoiser", "train_lora",
           "save_adapter", "load_adapter", "canonical_safetensors", "remove_adapter", "pixel_tensor", "training_loss"]

#: the adapter name this module gives its LoRA layers inside a pipeline
ADAPTER = "gas"
#: the file ``save_lora_weights`` writes
WEIGHTS_FILE = "pytorch_lora_weights.safetensors"


@dataclass(frozen=True)
class LoraOptions:
    """Options of one LoRA fine-tuning run.

    ``steps`` optimizer steps of ``batch_size`` pairs; ``resolution`` (square, pixels) defaults to the
    pipeline's native size; ``alpha`` defaults to ``rank`` (a scale of 1).
    """

    rank: int = 4
    alpha: float | None = None
    learning_rate: float = 1e-4
    steps: int = 100
    batch_size: int = 1
    resolution: int | None = None
    seed: int = 0
    max_grad_norm: float = 1.0
    target_modules: tuple[str, ...] = ("to_k", "to_q", "to_v", "to_out.0")

    def __post_init__(self) -> None:
        if self.rank < 1:
            raise VisionError("LoRA rank must be at least 1")
        if self.steps < 0 or self.batch_size < 1:
            raise VisionError("LoRA steps must be >= 0 and batch size >= 1")
        if not self.learning_rate > 0:
            raise VisionError("LoRA learning rate must be positive")

    def to_dict(self) -> dict:
        d = asdict(self)
        d["target_modules"] = list(self.target_modules)
        return d


@dataclass
class LoraResult:
    """What :func:`train_lora` did: where the adapter is, the loss of every step, the objective used."""

    path: Path | None
    objective: str
    losses: list[float] = field(default_factory=list)
    pairs: int = 0
    trainable_parameters: int = 0


def denoiser(pipe):
    """The pipeline's denoising network: its ``unet`` or its ``transformer``; the component name too."""
    for name in ("unet", "transformer"):
        net = getattr(pipe, name, None)
        if net is not None:
            return name, net
    raise VisionError(f"{type(pipe).__name__} has neither a unet nor a transformer to fine-tune")


def objective(pipe) -> str:
    """The training objective the pipeline's scheduler implies: ``epsilon``, ``v_prediction`` or ``flow_matching``.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> FlowMatch = type("FlowMatchEulerDiscreteScheduler", (), {"config": {}})
    >>> objective(SimpleNamespace(scheduler=FlowMatch()))
    'flow_matching'
    """
    scheduler = pipe.scheduler
    if type(scheduler).__name__.startswith("FlowMatch"):
        return "flow_matching"
    kind = dict(scheduler.config).get("prediction_type", "epsilon")
    if kind not in ("epsilon", "v_prediction"):
        raise VisionError(f"cannot train against prediction_type {kind!r} of {type(scheduler).__name__}")
    return kind


def pixel_tensor(images: Sequence, resolution: int):
    """A (B, 3, R, R) tensor in [-1, 1]: each image centre-cropped to a square and resized (bicubic)."""
    import numpy as np
    from PIL import Image

    (torch,) = require("torch")
    out = []
    for im in images:
        im = im.convert("RGB")
        w, h = im.size
        s = min(w, h)
        im = im.crop(((w - s) // 2, (h - s) // 2, (w - s) // 2 + s, (h - s) // 2 + s))
        if s != resolution:
            im = im.resize((resolution, resolution), Image.Resampling.BICUBIC)
        out.append(np.asarray(im, dtype=np.float32) / 127.5 - 1.0)
    return torch.from_numpy(np.stack(out)).permute(0, 3, 1, 2).contiguous()


def _resolution(pipe, options: LoraOptions) -> int:
    if options.resolution:
        return options.resolution
    _, net = denoiser(pipe)
    size = net.config.sample_size
    size = size[0] if isinstance(size, (tuple, list)) else size
    return int(size) * int(getattr(pipe, "vae_scale_factor", 8))


def _encode_prompts(pipe, prompts: list[str], device) -> dict:
    """The denoiser's conditioning keywords for each prompt (no classifier-free guidance in training)."""
    (torch,) = require("torch")
    name, _ = denoiser(pipe)
    with torch.no_grad():
        if name == "unet":
            if getattr(pipe, "text_encoder_2", None) is not None:
                raise VisionError(f"{type(pipe).__name__}: two-encoder UNet pipelines (SDXL) are not supported yet; "
                                  "SD 1.x/2.x and flow-matching transformer pipelines (SD3) are")
            embeds = pipe.encode_prompt(prompts, device, 1, False)[0]
            return {"encoder_hidden_states": embeds}
        if type(pipe).__name__.startswith("StableDiffusion3"):
            embeds, _, pooled, _ = pipe.encode_prompt(prompt=prompts, prompt_2=None, prompt_3=None, device=device,
                                                      num_images_per_prompt=1, do_classifier_free_guidance=False)
            return {"encoder_hidden_states": embeds, "pooled_projections": pooled}
    raise VisionError(f"{type(pipe).__name__}: LoRA training supports SD 1.x/2.x (UNet) and SD3-family "
                      "(flow-matching transformer) pipelines")


def _latent_distribution(pipe, pixels):
    """Mean and standard deviation of the VAE posterior of each image (the VAE is frozen: computed once)."""
    (torch,) = require("torch")
    vae = pipe.vae
    with torch.no_grad():
        dist = vae.encode(pixels.to(vae.device, vae.dtype)).latent_dist
    return dist.mean.float().cpu(), dist.std.float().cpu()


def _scale_latents(pipe, latents):
    shift = getattr(pipe.vae.config, "shift_factor", None)
    if shift is not None:
        latents = latents - shift
    return latents * pipe.vae.config.scaling_factor


def training_loss(pipe, latents, conditioning: dict, generator, kind: str | None = None):
    """The pipeline's own denoising loss on clean, scaled latents (see the module's docstring)."""
    (torch,) = require("torch")
    name, net = denoiser(pipe)
    kind = kind or objective(pipe)
    b = latents.shape[0]
    noise = torch.randn(latents.shape, generator=generator).to(latents.device, latents.dtype)
    config = dict(pipe.scheduler.config)
    steps = int(config.get("num_train_timesteps", 1000))
    if kind == "flow_matching":
        u = torch.rand(b, generator=generator).clamp(1e-4, 1 - 1e-4)
        shift = float(config.get("shift", 1.0) or 1.0)
        sigma = (shift * u / (1 + (shift - 1) * u)).to(latents.device, latents.dtype)
        s = sigma.view(b, *([1] * (latents.ndim - 1)))
        noisy = (1 - s) * latents + s * noise
        target = noise - latents
        timesteps = sigma * steps
    else:
        from diffusers import DDPMScheduler

        if not hasattr(pipe, "_gas_ddpm"):
            pipe._gas_ddpm = DDPMScheduler.from_config(config)
        sched = pipe._gas_ddpm
        timesteps = torch.randint(0, steps, (b,), generator=generator).to(latents.device)
        noisy = sched.add_noise(latents, noise, timesteps)
        target = sched.get_velocity(latents, noise, timesteps) if kind == "v_prediction" else noise
    if name == "unet":
        pred = net(noisy, timesteps, **conditioning, return_dict=False)[0]
    else:
        pred = net(hidden_states=noisy, timestep=timesteps, **conditioning, return_dict=False)[0]
    return torch.nn.functional.mse_loss(pred.float(), target.float())


def _adapter_names(net) -> list[str]:
    peft_config = getattr(net, "peft_config", None) or {}
    return list(peft_config)


def remove_adapter(pipe) -> None:
    """Remove this module's adapter from the pipeline (the base weights were never changed)."""
    _, net = denoiser(pipe)
    if ADAPTER in _adapter_names(net):
        net.delete_adapters(ADAPTER)


def load_adapter(pipe, path: str | Path, *, trainable: bool = False) -> None:
    """Load an adapter written by :func:`save_adapter` (or any diffusers LoRA) as the active one."""
    from diffusers.utils import logging

    remove_adapter(pipe)
    level = logging.get_verbosity()
    logging.set_verbosity_error()  # "no LoRA keys for the text encoder": true, and expected, of a denoiser adapter
    try:
        pipe.load_lora_weights(str(path), adapter_name=ADAPTER)
    except Exception as exc:  # noqa: BLE001 - file and key errors come in many types
        raise VisionError(f"cannot load LoRA adapter {path}: {exc}") from exc
    finally:
        logging.set_verbosity(level)
    if trainable:
        _, net = denoiser(pipe)
        for n, p in net.named_parameters():
            if "lora_" in n and f".{ADAPTER}." in n + ".":
                p.requires_grad_(True)


def save_adapter(pipe, out: str | Path) -> Path:
    """Write the active adapter to the folder ``out`` (atomically: a temporary folder renamed)."""
    peft = require("peft")[0]
    from diffusers.utils import convert_state_dict_to_diffusers

    name, net = denoiser(pipe)
    layers = convert_state_dict_to_diffusers(peft.get_peft_model_state_dict(net, adapter_name=ADAPTER))
    config = net.peft_config[ADAPTER].to_dict()
    config = {k: (sorted(v) if isinstance(v, set) else v) for k, v in config.items()}
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        type(pipe).save_lora_weights(str(tmp), **{f"{name}_lora_layers": layers,
                                                  f"{name}_lora_adapter_metadata": config}, safe_serialization=True)
        canonical_safetensors(tmp / WEIGHTS_FILE)
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def canonical_safetensors(path: Path) -> None:
    """Rewrite a safetensors file's JSON header with sorted keys, so equal tensors give equal bytes.

    safetensors writes its header from a hash map: the order of the metadata keys (diffusers stores two)
    changes from one write to the next.  The tensors' byte ranges do not depend on that order, so sorting
    the header (padded with spaces to the same 8-byte alignment) leaves every tensor where it was.
    """
    import json
    import struct

    data = Path(path).read_bytes()
    (size,) = struct.unpack("<Q", data[:8])
    header = json.dumps(json.loads(data[8:8 + size]), sort_keys=True, separators=(",", ":")).encode()
    header += b" " * (-len(header) % 8)
    # through the output-path policy: a run killed mid-rewrite leaves the old, valid file
    write_output(path, struct.pack("<Q", len(header)) + header + data[8 + size:])


def _freeze(pipe) -> None:
    for comp in pipe.components.values():
        if hasattr(comp, "requires_grad_") and hasattr(comp, "parameters"):
            comp.requires_grad_(False)


def train_lora(pipe, pairs: Sequence[tuple], out: str | Path | None, options: LoraOptions | None = None, *,
               init: str | Path | None = None, progress: bool | None = None) -> LoraResult:
    """Fine-tune a LoRA adapter of ``pipe``'s denoiser on ``(PIL image, caption)`` pairs; write it to ``out``.

    Parameters
    ----------
    pipe : diffusers pipeline
        SD 1.x/2.x (noise or v prediction) or SD3-family (flow matching). Left holding the trained adapter
        (active, in eval mode), so it generates with it straight away.
    pairs : sequence of (image, caption)
    out : path or None
        Folder for ``pytorch_lora_weights.safetensors`` (None: do not write).
    options : LoraOptions
    init : path, optional
        An adapter to start from (continue training) instead of a fresh one (``options.rank``/``alpha`` are
        then those of the file).

    Returns
    -------
    LoraResult
    """
    torch, peft = require("torch", "peft")
    options = options or LoraOptions()
    if not pairs:
        raise VisionError("no (image, caption) pairs to train on")
    kind = objective(pipe)
    _, net = denoiser(pipe)
    _freeze(pipe)
    if init is not None:
        load_adapter(pipe, init, trainable=True)
    else:
        remove_adapter(pipe)
        # the adapter's initial weights come from the seed too (gaussian A, zero B)
        torch.manual_seed(options.seed)
        net.add_adapter(peft.LoraConfig(r=options.rank, lora_alpha=options.alpha or options.rank,
                                        init_lora_weights="gaussian", target_modules=list(options.target_modules)),
                        adapter_name=ADAPTER)
    net.set_adapter(ADAPTER)
    params = [p for n, p in net.named_parameters() if "lora_" in n]
    for p in params:  # LoRA weights train in fp32 even under a half-precision pipeline
        p.data = p.data.float()
        p.requires_grad_(True)
    device = next(net.parameters()).device
    resolution = _resolution(pipe, options)
    images = [im for im, _ in pairs]
    captions = [c for _, c in pairs]
    mean, std = [], []
    for start in range(0, len(images), 8):
        m, s = _latent_distribution(pipe, pixel_tensor(images[start:start + 8], resolution))
        mean.append(m)
        std.append(s)
    mean, std = torch.cat(mean), torch.cat(std)
    cond = [_encode_prompts(pipe, captions[i:i + 8], device) for i in range(0, len(captions), 8)]
    cond = {k: torch.cat([c[k] for c in cond]) for k in cond[0]}

    gen = torch.Generator("cpu").manual_seed(options.seed)
    optimizer = torch.optim.AdamW(params, lr=options.learning_rate)
    result = LoraResult(path=None, objective=kind, pairs=len(pairs),
                        trainable_parameters=sum(p.numel() for p in params))
    from tqdm.auto import tqdm

    bar = tqdm(total=options.steps, unit="step", desc="lora", disable=(not progress) if progress is not None else None)
    net.train()
    order: list[int] = []
    dtype = next(p for n, p in net.named_parameters() if "lora_" not in n).dtype
    scaler = torch.amp.GradScaler(device.type) if dtype == torch.float16 and device.type == "cuda" else None
    try:
        for _ in range(options.steps):
            while len(order) < options.batch_size:
                order += torch.randperm(len(pairs), generator=gen).tolist()
            batch, order = order[:options.batch_size], order[options.batch_size:]
            eps = torch.randn(mean[batch].shape, generator=gen)
            latents = _scale_latents(pipe, mean[batch] + std[batch] * eps).to(device, dtype)
            loss = training_loss(pipe, latents, {k: v[batch] for k, v in cond.items()}, gen, kind)
            if not math.isfinite(loss.item()):
                raise VisionError(f"LoRA training diverged (loss {loss.item()}); lower the learning rate")
            optimizer.zero_grad(set_to_none=True)
            if scaler is not None:  # fp16 activations: scale the loss so small gradients do not underflow
                scaler.scale(loss).backward()
                scaler.unscale_(optimizer)
            else:
                loss.backward()
            if options.max_grad_norm:
                torch.nn.utils.clip_grad_norm_(params, options.max_grad_norm)
            if scaler is not None:
                scaler.step(optimizer)
                scaler.update()
            else:
                optimizer.step()
            result.losses.append(float(loss.item()))
            bar.update(1)
    finally:
        bar.close()
        net.eval()
        for p in params:
            p.requires_grad_(False)
    if out is not None:
        result.path = save_adapter(pipe, out)
    return result
