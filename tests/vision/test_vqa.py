"""VQA back-ends on tiny random models: probabilities from logits, batching, oracles, save/load."""

from __future__ import annotations

import pytest

pytest.importorskip("torch", reason="the gpu extra is not installed (pip install gas-solver[gpu])")  # before numpy/PIL/torch users

import math


from gas_solver.vision.extra import VisionError
from gas_solver.vision.vqa import BlipVQA, ChatVQA, Query, load_vqa, p_correct, query_for

pytestmark = pytest.mark.gpu_side

QUERIES = [
    Query(0, "is there a dog?"),
    Query(1, "what colour is the car?", ("red", "blue", "green")),
    Query(2, "is the red car next to the big tree on the table?"),
    Query(0, "how many apples are there?", ("1", "2", "3", "four")),
    Query(3, "is the cat riding the dog?"),
]


def _check_probs(probs, queries):
    assert len(probs) == len(queries)
    for p, q in zip(probs, queries):
        assert len(p) == (2 if q.choices is None else len(q.choices))
        assert all(0.0 <= x <= 1.0 and math.isfinite(x) for x in p)
        assert sum(p) == pytest.approx(1.0, abs=1e-6)


@pytest.mark.parametrize("backend", ["blip", "vlm"])
def test_probabilities_in_range_and_batching_equals_one_by_one(backend, blip, vlm, images):
    model, processor = blip if backend == "blip" else vlm
    vqa = (BlipVQA if backend == "blip" else ChatVQA)(model, processor, batch_size=16)
    batched = vqa.probabilities(images, QUERIES)
    _check_probs(batched, QUERIES)
    single = [vqa.probabilities(images, [q])[0] for q in QUERIES]
    in_twos = vqa.probabilities(images, QUERIES, batch_size=2)
    for a, b, c in zip(batched, single, in_twos):
        assert a == pytest.approx(b, abs=1e-5)
        assert a == pytest.approx(c, abs=1e-5)
    # the image matters: the same question on another image gets other numbers
    other = vqa.probabilities(images, [Query(1, "is there a dog?")])[0]
    assert other != pytest.approx(batched[0], abs=1e-9)


def test_blip_yes_probability_equals_generate_logits(blip, images):
    """Oracle: transformers' own generate() path (one unpadded question) gives the same P(yes)."""
    import torch

    model, processor = blip
    vqa = BlipVQA(model, processor)
    enc = processor(images=images[0], text="is there a dog?", return_tensors="pt")
    with torch.no_grad():
        out = model.generate(**enc, max_new_tokens=1, do_sample=False, output_logits=True, return_dict_in_generate=True)
    probs = torch.softmax(out.logits[0][0].float(), -1)
    yes = sum(probs[i] for i in vqa.yes_ids)
    no = sum(probs[i] for i in vqa.no_ids)
    assert vqa.probabilities(images, [Query(0, "is there a dog?")])[0][0] == pytest.approx(float(yes / (yes + no)), abs=1e-5)


def test_chat_vlm_matches_a_plain_full_forward(vlm, images):
    """Oracle: one unbatched forward over the whole sequence, log-probs summed by hand."""
    import torch

    model, processor = vlm
    vqa = ChatVQA(model, processor)
    q = QUERIES[1]
    prompt = vqa.prompt(q)
    tok = processor.tokenizer
    scores = []
    with torch.no_grad():
        for choice in q.choices:
            enc = processor(images=[images[1]], text=[prompt + choice], return_tensors="pt")
            n = len(tok(choice, add_special_tokens=False)["input_ids"])
            logp = torch.log_softmax(model(**enc).logits[0].float(), -1)
            ids = enc["input_ids"][0]
            L = len(ids)
            scores.append(sum(float(logp[t - 1, ids[t]]) for t in range(L - n, L)))
        m = max(scores)
        expect = [math.exp(s - m) / sum(math.exp(x - m) for x in scores) for s in scores]
        got = vqa.probabilities(images, [q])[0]
        assert got == pytest.approx(expect, abs=1e-5)
        enc = processor(images=[images[0]], text=[vqa.prompt(QUERIES[0])], return_tensors="pt")
        last = torch.softmax(model(**enc).logits[0, -1].float(), -1)
    yes, no = sum(last[i] for i in vqa.yes_ids), sum(last[i] for i in vqa.no_ids)
    assert vqa.probabilities(images, [QUERIES[0]])[0][0] == pytest.approx(float(yes / (yes + no)), abs=1e-5)


def test_yes_and_no_tokens_are_single_tokens(blip, vlm):
    for model, processor in (blip, vlm):
        vqa = (BlipVQA if model is blip[0] else ChatVQA)(model, processor)
        tok = processor.tokenizer
        yes_words = {tok.decode([i]).strip() for i in vqa.yes_ids}
        no_words = {tok.decode([i]).strip() for i in vqa.no_ids}
        assert yes_words and no_words and yes_words <= {"yes", "Yes"} and no_words <= {"no", "No"}


def test_load_from_folder_gives_the_same_numbers(blip, vlm, blip_folder, images, tmp_path):
    vqa = load_vqa(str(blip_folder), device="cpu", dtype="fp32")
    assert isinstance(vqa, BlipVQA)
    for a, b in zip(vqa.probabilities(images, QUERIES), BlipVQA(*blip).probabilities(images, QUERIES)):
        assert a == pytest.approx(b, abs=1e-6)
    vlm[0].save_pretrained(tmp_path / "vlm")
    vlm[1].save_pretrained(tmp_path / "vlm")
    loaded = load_vqa(str(tmp_path / "vlm"), device="cpu", dtype="fp32")
    assert isinstance(loaded, ChatVQA)
    got = loaded.probabilities(images, QUERIES[:2])
    want = ChatVQA(*vlm).probabilities(images, QUERIES[:2])
    for a, b in zip(got, want):
        assert a == pytest.approx(b, abs=1e-6)
    with pytest.raises(VisionError, match="cannot load VQA model"):
        load_vqa(str(tmp_path / "nothing_here"), device="cpu")


def test_question_dicts_to_queries_and_p_correct():
    yn = {"id": "q0", "question": "Is there a dog?", "answer": "no", "choices": None}
    mc = {"id": "q1", "question": "What colour?", "answer": "blue", "choices": ["red", "blue"]}
    assert query_for(yn, 2) == Query(2, "Is there a dog?", None)
    assert query_for(mc).choices == ("red", "blue")
    assert p_correct(yn, [0.7, 0.3]) == 0.3
    assert p_correct(mc, [0.6, 0.4]) == 0.4
    with pytest.raises(VisionError, match="open"):
        query_for({"id": "q2", "question": "What colour?", "answer": "blue", "choices": None})
    count = query_for({"id": "q4", "question": "How many?", "answer": "two", "format": "number", "choices": None})
    assert count.number and count.choices == tuple(str(i) for i in range(11))
    assert query_for({"id": "q5", "question": "How many?", "answer": "14", "choices": None}).choices[-1] == "14"
    assert p_correct({"answer": "two", "format": "number", "choices": None}, [0.0, 0.1, 0.9] + [0.0] * 8) == 0.9
    with pytest.raises(VisionError, match="not among its choices"):
        query_for({"id": "q3", "question": "What colour?", "answer": "pink", "choices": ["red"]})


def test_chat_prompt_slot_equals_a_full_template_rendering(vlm):
    vqa = ChatVQA(*vlm)
    for q in QUERIES:
        text = vqa.prompt(q).split("<image>")[1].split("<|im_end|>")[0]
        assert vqa.prompt(q) == vqa._render(text)
    assert "Choices: red, blue, green. Answer with one of the choices." in vqa.prompt(QUERIES[1])
    assert vqa.prompt(QUERIES[0]).endswith("is there a dog? Answer yes or no.<|im_end|>\n<|im_start|>assistant\n")
