"""Fixtures of the diffusion training tests: tiny random models (built once per session) and caption sources.

Everything is built from configs in memory; nothing is downloaded (offline variables are set before the
Hugging Face imports so a stray hub call fails fast).
"""

from __future__ import annotations

import os
from pathlib import Path

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
