"""Fixtures of the vision tests: tiny random models (built once per session) and small dataset rows.

Everything is built from configs in memory; nothing is downloaded (offline
variables are set before the Hugging Face imports so a stray hub call fails fast).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"

for _var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")



def make_rows(n: int = 3) -> list[dict]:
    """``n`` dataset rows (scene dict + caption + questions) realized from scenes of the toy taxonomy.

    Row 1 is realized without multiple choice, so it carries an open counting question (format "number").
    """
    from gas_solver.realize import question_set, realize_scene
    from gas_solver.scene import Attribute, Relation, Scene, SceneAttribute, SceneObject
    from gas_solver.taxonomy import load_taxonomy

    tax = load_taxonomy(DATA / "toy.toml")
    scenes = [
        Scene((SceneObject("dog", (Attribute("colour", "brown"),)), SceneObject("horse")), (Relation(0, 1, "riding"),),
              (SceneAttribute("style", "monet"),)),
        Scene((SceneObject("apple", (Attribute("state", "ripe"),)), SceneObject("apple"), SceneObject("bench"))),
        Scene((SceneObject("owl", (Attribute("size", "small"),)), SceneObject("bench", (Attribute("material", "wooden"),))),
              (Relation(0, 1, "on_top_of"),)),
        Scene((SceneObject("suv", (Attribute("colour", "red"),)),), (), (SceneAttribute("lighting", "neon"),)),
    ]
    rows = []
    for i in range(n):
        row = realize_scene(scenes[i % len(scenes)], tax, seed=i)
        if i == 1:
            row["questions"] = question_set(scenes[1], tax, seed=i, multiple_choice=False)
        rows.append(row)
    return rows


@pytest.fixture
def rows():
    return make_rows(3)


@pytest.fixture
def dataset_file(tmp_path, rows):
    import orjson

    path = tmp_path / "data.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    return path


@pytest.fixture(scope="session")
def sd_pipe():
    from gas_solver.vision.tiny import tiny_sd_pipeline

    return tiny_sd_pipeline()


@pytest.fixture(scope="session")
def sd_folder(tmp_path_factory, sd_pipe):
    path = tmp_path_factory.mktemp("sd")
    sd_pipe.save_pretrained(path)
    return path


@pytest.fixture(scope="session")
def blip():
    from gas_solver.vision.tiny import tiny_blip_vqa

    return tiny_blip_vqa()


@pytest.fixture(scope="session")
def vlm():
    from gas_solver.vision.tiny import tiny_vlm

    return tiny_vlm()


@pytest.fixture(scope="session")
def blip_folder(tmp_path_factory, blip):
    path = tmp_path_factory.mktemp("blip")
    blip[0].save_pretrained(path)
    blip[1].save_pretrained(path)
    return path


@pytest.fixture(scope="session")
def images():
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(0)
    return [Image.fromarray(rng.integers(0, 256, (40 + 8 * i, 48, 3), dtype=np.uint8)) for i in range(4)]
