"""Fixtures of the diffusion training tests: tiny random models (built once per session) and caption sources.

Everything is built from configs in memory; nothing is downloaded (offline variables are set before the
Hugging Face imports so a stray hub call fails fast).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import orjson

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"
ROOT = Path(__file__).resolve().parent.parent.parent
TOY_SPACE = ROOT / "constraints" / "toy_small_space.toml"

for _var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(scope="session")
def toy():
    from gas_solver.taxonomy import load_taxonomy

    return load_taxonomy(DATA / "toy.toml")


@pytest.fixture(scope="session")
def tiny_sd():
    pytest.importorskip("torch", reason="the gpu extra is not installed (pip install gas-solver[gpu])")
    from gas_solver.vision.tiny import tiny_sd_pipeline

    return tiny_sd_pipeline()


@pytest.fixture(scope="session")
def tiny_vqa():
    pytest.importorskip("torch", reason="the gpu extra is not installed (pip install gas-solver[gpu])")
    from gas_solver.vision.tiny import tiny_blip_vqa
    from gas_solver.vision.vqa import BlipVQA

    return BlipVQA(*tiny_blip_vqa(), name="tiny-blip")


@pytest.fixture(scope="session")
def model_folders(tmp_path_factory):
    """A tiny SD pipeline and tiny BLIP saved to folders, as a user's checkpoints would be."""
    pytest.importorskip("torch", reason="the gpu extra is not installed (pip install gas-solver[gpu])")
    from gas_solver.vision.tiny import tiny_blip_vqa, tiny_sd_pipeline

    root = tmp_path_factory.mktemp("models")
    tiny_sd_pipeline().save_pretrained(root / "sd")
    model, processor = tiny_blip_vqa()
    model.save_pretrained(root / "blip")
    processor.save_pretrained(root / "blip")
    return root / "sd", root / "blip"


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (relative path -> bytes): what "the same bytes" compares."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def tiny_sd3_pipeline(seed: int = 0):
    """A Stable Diffusion 3-layout pipeline (MM-DiT transformer, two CLIP towers, no T5, flow-matching scheduler)."""
    import diffusers
    import torch
    import transformers

    from gas_solver.vision.tiny import tiny_clip_tokenizer

    torch.manual_seed(seed)

    def tower():
        return transformers.CLIPTextModelWithProjection(transformers.CLIPTextConfig(
            vocab_size=len(tiny_clip_tokenizer()), hidden_size=32, intermediate_size=37, projection_dim=32,
            num_attention_heads=4, num_hidden_layers=2, max_position_embeddings=77, bos_token_id=0, eos_token_id=1,
            pad_token_id=1))

    # joint_attention_dim 64: the two CLIP towers' embeddings (32 + 32) are concatenated; pooled likewise
    transformer = diffusers.SD3Transformer2DModel(
        sample_size=8, patch_size=2, in_channels=4, num_layers=1, attention_head_dim=8, num_attention_heads=4,
        caption_projection_dim=32, joint_attention_dim=64, pooled_projection_dim=64, out_channels=4)
    vae = diffusers.AutoencoderKL(
        block_out_channels=(8, 8, 16, 16), norm_num_groups=8, latent_channels=4, in_channels=3, out_channels=3,
        down_block_types=("DownEncoderBlock2D",) * 4, up_block_types=("UpDecoderBlock2D",) * 4, sample_size=64,
        shift_factor=0.06, scaling_factor=1.5)
    pipe = diffusers.StableDiffusion3Pipeline(
        transformer=transformer, scheduler=diffusers.FlowMatchEulerDiscreteScheduler(shift=3.0), vae=vae,
        text_encoder=tower(), tokenizer=tiny_clip_tokenizer(), text_encoder_2=tower(), tokenizer_2=tiny_clip_tokenizer(),
        text_encoder_3=None, tokenizer_3=None)
    pipe.set_progress_bar_config(disable=True)
    return pipe


# ---------------------------------------------------------------------------
# Distillation stand-ins: a student weak at two concepts, a teacher folder
# ---------------------------------------------------------------------------

WEAK = {"dog", "apple"}


def about_weak(row, q, weak=WEAK):
    """Whether a question is about a weak concept: an object, a relation end or a foil of it."""
    objs = row["objects"]
    for el in q.get("elements") or []:
        if el.get("absent_object") in weak:
            return True
        idx = [el.get("object")] + [el[k][i] for k in ("relation", "absent_relation") if el.get(k) for i in (0, 2)]
        if any(isinstance(i, int) and objs[i]["concept"] in weak for i in idx):
            return True
    return False



class FakeVQA:
    """Answers from the scene graph: right for teacher images, wrong for student images on weak concepts.

    It finds an image's scene by the hash of its pixels among the images of the run folder's indexes, and
    the question by its text and choices inside that scene's question set.
    """

    name = "fake-vqa"

    def __init__(self, root):
        self.root = root
        self.by_pixels = {}

    def _scan(self):
        from PIL import Image

        for index in self.root.rglob("index.jsonl"):
            for line in index.read_bytes().splitlines():
                row = orjson.loads(line)
                for o in row["outputs"]:
                    with Image.open(index.parent / o["image"]) as im:
                        key = hashlib.sha256(im.convert("RGB").tobytes()).hexdigest()
                    self.by_pixels[key] = (row, "teacher" in index.parts)

    def probabilities(self, images, queries, batch_size=None):
        from gas_solver.vision.vqa import candidates

        out = []
        for q in queries:
            key = hashlib.sha256(images[q.image].convert("RGB").tobytes()).hexdigest()
            if key not in self.by_pixels:
                self._scan()
            row, teacher = self.by_pixels[key]
            question = next(x for x in row["questions"] if x["question"] == q.question
                            and tuple(map(str, x.get("choices") or ())) == tuple(q.choices or ()))
            cands = candidates(question)
            right = cands.index(str(question["answer"])) if str(question["answer"]) in cands else 0
            pick = right if teacher or not about_weak(row, question) else (right + 1) % len(cands)
            out.append([1.0 if i == pick else 0.0 for i in range(len(cands))])
        return out


def teacher_folder(folder, prompts):
    from PIL import Image

    folder.mkdir(exist_ok=True)
    for line in prompts.read_bytes().splitlines():
        row = orjson.loads(line)
        rgb = tuple(hashlib.sha256(row["id"].encode()).digest()[:3])  # one plain colour per scene
        Image.new("RGB", (64, 64), rgb).save(folder / f"{row['id']}.png")


def run_and_kill(script: str, out: Path, marker: str, kill_in: str, timeout: float = 300) -> None:
    """Run ``script`` (Python, gets ``out`` as argv[1]) in a child process that is SIGKILLed once ``out/marker`` exists.

    The child kills itself (SIGKILL, as ``kill -9`` would) on the first call of ``kill_in`` ("module:function", the
    name the module under test calls) made after ``out/marker`` was written: the kill point does not depend on how
    fast the machine is, so a short step after the marker cannot finish first.
    """
    import signal
    import subprocess
    import sys

    module, name = kill_in.split(":")
    trap = (f"import importlib as _il, os as _os, signal as _sig, sys as _sys, pathlib as _pl\n"
            f"_m = _il.import_module({module!r}); _orig = getattr(_m, {name!r})\n"
            f"def _trap(*a, **k):\n"
            f"    if (_pl.Path(_sys.argv[1]) / {marker!r}).exists():\n"
            f"        _os.kill(_os.getpid(), _sig.SIGKILL)\n"
            f"    return _orig(*a, **k)\n"
            f"setattr(_m, {name!r}, _trap)\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")]), "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen([sys.executable, "-c", trap + script, str(out)], env=env, stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        raise AssertionError(f"the run was not killed at {kill_in} within {timeout} s") from None
    assert proc.returncode == -signal.SIGKILL, f"the run ended (exit {proc.returncode}) instead of being killed"
    assert (out / marker).exists()
