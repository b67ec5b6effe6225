"""The trl-ready rewards: trl's call signature, JSON-text question sets, decoders, batching, caching, CLIP."""

from __future__ import annotations

import os

import pytest

pytest.importorskip("torch", reason="the gpu extra is not installed (pip install gas-solver[gpu])")

for _var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
    os.environ.setdefault(_var, "1")

import numpy as np
import orjson
from PIL import Image

from gas_solver.realize import realize_scene
from gas_solver.scene import Attribute, Relation, Scene, SceneObject
from gas_solver.train.decoders import PaletteDecoder, TokenGridDecoder, image_token_ids, load_decoder, palette
from gas_solver.train.rewards import ClipReward, QAReward, parse_question_sets
from gas_solver.vision.extra import VisionError
from gas_solver.vision.score import scheme_scores
from gas_solver.vision.vqa import BlipVQA, query_for

pytestmark = pytest.mark.gpu_side


class CountingVQA:
    """Test double: P(yes) from the image's mean red level; records every batch it is asked."""

    name = "counting-vqa"

    def __init__(self):
        self.calls = []

    def probabilities(self, images, queries, *, batch_size=None):
        self.calls.append(len(queries))
        out = []
        for q in queries:
            red = np.asarray(images[q.image], dtype=float)[..., 0].mean() / 255
            if q.choices is None:
                out.append([red, 1 - red])
            else:
                out.append([1 / len(q.choices)] * len(q.choices))
        return out


@pytest.fixture(scope="module")
def rows(toy_taxonomy):
    scenes = [Scene((SceneObject("dog", (Attribute("colour", "brown"),)), SceneObject("horse")), (Relation(0, 1, "riding"),)),
              Scene((SceneObject("owl", (Attribute("size", "small"),)),))]
    return [realize_scene(s, toy_taxonomy, seed=i) for i, s in enumerate(scenes)]


def _solid(rgb, size=8):
    return Image.new("RGB", (size, size), rgb)


def test_trl_signature_json_text_and_one_float_per_completion(rows):
    vqa = CountingVQA()
    reward = QAReward(vqa)
    qs_json = [orjson.dumps(r["questions"]).decode() for r in rows]  # what a gas build Parquet stores
    images = [_solid((255, 0, 0)), _solid((0, 0, 255))]
    logged = {}
    out = reward(prompts=["p0", "p1"], completions=["", ""], completion_ids=[[1], [2]], questions=qs_json,
                 images=images, trainer_state=None, log_metric=lambda k, v: logged.setdefault(k, v), log_extra=None)
    assert len(out) == 2 and all(isinstance(x, float) for x in out)
    # prob is the default: the mean P(correct) of scoring.score, here P(yes) = the red level
    for img, r, got in zip(images, rows, out):
        probs = {q["id"]: vqa.probabilities([img], [query_for(q)])[0] for q in r["questions"]}
        assert got == pytest.approx(scheme_scores(r["questions"], probs, ("prob",))["prob"])
    assert out[0] > out[1]  # red image: the yes questions score higher
    assert {k.split("/")[0] for k in logged} == {"qa"} and "qa/existence" in logged
    assert reward.__name__ == "qa_prob"


def test_batched_once_per_call_and_cached(rows):
    vqa = CountingVQA()
    reward = QAReward(vqa)
    qs = [r["questions"] for r in rows]
    images = [_solid((200, 10, 10)), _solid((10, 200, 10))]
    first = reward(prompts=None, completions=None, questions=qs, images=images)
    n_pairs = sum(len(q) for q in qs)
    assert len(vqa.calls) == 1 and vqa.calls[0] == n_pairs  # all pairs of the call in one batch
    again = reward(prompts=None, completions=None, questions=qs, images=[images[1], images[0]][::-1])
    assert again == first and len(vqa.calls) == 1 and reward.cache_hits == n_pairs  # asked nothing new
    # the same completion four times (a GRPO group that collapsed) costs one set of questions
    vqa2 = CountingVQA()
    r2 = QAReward(vqa2)
    r2(questions=[qs[0]] * 4, images=[images[0]] * 4)
    assert vqa2.calls == [len(qs[0])]


def test_decoder_hook_and_errors(rows):
    code_of = {100 + c: c for c in range(8)}
    decoder = PaletteDecoder(code_of, grid=(2, 2), image_size=8)
    reward = QAReward(CountingVQA(), decoder=decoder)
    red = [100] * 4          # code 0 is pure red
    blue_ish = [104] * 4
    out = reward(prompts=["a", "b"], completions=["", ""], completion_ids=[red, blue_ish],
                 questions=[rows[0]["questions"]] * 2)
    assert out[0] > out[1]
    img = decoder([[100, 2, 101, 999]])[0]  # ids that are not image tokens are dropped; short grids padded with 0
    assert img.size == (8, 8) and img.getpixel((0, 0)) == palette(8)[0] and img.getpixel((7, 0)) == palette(8)[1]
    with pytest.raises(VisionError, match="questions"):
        reward(prompts=["a"], completions=[""], completion_ids=[red])
    with pytest.raises(VisionError, match="decoder"):
        QAReward(CountingVQA())(prompts=["a"], completions=[""], completion_ids=[red], questions=[rows[0]["questions"]])
    with pytest.raises(VisionError, match=r"questions\[0\]"):
        parse_question_sets(["not json"])
    with pytest.raises(VisionError, match="lacks 'answer'"):
        parse_question_sets([[{"id": "q0", "question": "?"}]])
    # no questions: None (trl leaves this reward out for that completion)
    assert reward(questions=[[]], images=[_solid((0, 0, 0))]) == [None]


def test_render_function_decoder_and_token_ids():
    import torch

    seen = {}

    def render(codes):
        seen["shape"] = tuple(codes.shape)
        return torch.zeros(codes.shape[0], 3, 4, 4)  # mid-grey in [-1, 1]

    dec = TokenGridDecoder({10: 0, 11: 1}, (1, 2), render)
    images = dec([[10, 11], [11]])
    assert seen["shape"] == (2, 1, 2) and images[0].getpixel((0, 0)) in ((127, 127, 127), (128, 128, 128))
    assert image_token_ids(None, "5:3") == {5: 0, 6: 1, 7: 2}
    with pytest.raises(VisionError, match="FIRST:COUNT"):
        image_token_ids(None, "x")
    with pytest.raises(VisionError, match="cannot import"):
        load_decoder("nosuchmodule_xyz:f", {1: 0}, (1, 1))


def test_real_blip_reward_is_finite_and_prob_moves(rows, blip=None):
    from gas_solver.vision.tiny import tiny_blip_vqa

    vqa = BlipVQA(*tiny_blip_vqa())
    rng = np.random.default_rng(0)
    images = [Image.fromarray(rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)) for _ in range(4)]
    qs = [rows[0]["questions"]] * 4
    prob = QAReward(vqa)(questions=qs, images=images)
    dsg = QAReward(vqa, scheme="dsg")(questions=qs, images=images)
    assert all(0 <= x <= 1 for x in prob + dsg)
    assert len(set(prob)) == 4          # prob differs between images (a gradient for GRPO)...
    assert len(set(dsg)) == 1           # ...where the hard-answer scheme of a random model is flat


def test_clip_reward_signature(rows):
    from gas_solver.vision.clip import ClipScorer
    from gas_solver.vision.tiny import tiny_clip

    scorer = ClipScorer(*tiny_clip())
    images = [_solid((255, 0, 0), 32), _solid((0, 0, 255), 32)]
    captions = [r["caption"] for r in rows]
    raw = ClipReward(scorer, raw=True)(prompts=["x", "y"], completions=["", ""], caption=captions, images=images)
    assert raw == pytest.approx(scorer.cosines(images, captions))
    score = ClipReward(scorer)(prompts=captions, completions=["", ""], images=images)  # no caption column: prompts
    assert score == pytest.approx([100 * max(c, 0) for c in raw])
