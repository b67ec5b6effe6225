"""Fixtures of the vision tests: tiny random models (built once per session) and small dataset rows.

Everything is built from configs in memory; nothing is downloaded (offline
variables are set before the Hugging Face imports so a stray hub call fails fast).
"""

from __future__ import annotations

import os

import pytest

for _var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

pytest.importorskip("torch", reason="the gpu extra is not installed (pip install gas-solver[gpu])")


def _q(qid, qtype, question, answer, elements, choices=None, depends=()):
    return {"id": qid, "type": qtype, "elements": elements, "question": question, "answer": answer,
            "choices": choices, "depends_on": list(depends)}


def make_rows(n: int = 3) -> list[dict]:
    """``n`` dataset rows in the agreed schema (scene dict + caption + questions), all different."""
    captions = ["a red car next to a dog", "a small wooden table under a tree", "two apples on a blue table",
                "a cat riding a big dog", "a green tree"]
    rows = []
    for i in range(n):
        objects = [{"concept": "c:car", "name": "car", "category": "vehicle",
                    "attributes": [{"type": "colour", "value": "red"}]},
                   {"concept": "c:dog", "name": "dog", "category": "mammal", "attributes": []}]
        questions = [
            _q("q0", "existence", "Is there a car?", "yes", [{"object": 0}]),
            _q("q1", "existence", "Is there a dog?", "yes", [{"object": 1}]),
            _q("q2", "attribute", "What colour is the car?", "red", [{"object": 0, "attribute": ["colour", "red"]}],
               choices=["blue", "red", "green"], depends=["q0"]),
            _q("q3", "attribute", "Is the car red?", "yes", [{"object": 0, "attribute": ["colour", "red"]}], depends=["q0"]),
            _q("q4", "relation", "Is the car next to the dog?", "yes", [{"relation": [0, "next_to", 1]}],
               depends=["q0", "q1"]),
            _q("q5", "negative", "Is there a tree?", "no", [{"object": None}]),
        ][: 6 - (i % 2)]
        rows.append({"id": f"sg-{i:032x}", "modality": "image", "complexity": 4 + i % 2, "shape": [2, 1, 1],
                     "objects": objects, "relations": [{"subject": 0, "predicate": "next_to", "object": 1}],
                     "scene_attributes": [], "caption": captions[i % len(captions)], "questions": questions})
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
