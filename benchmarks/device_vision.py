"""Device benchmark: our generate / score code paths against raw diffusers / transformers loops.

For each workload the same model runs the same batches twice, through the raw
library loop a user would write and through gas-solver's code path, alternating
(raw, ours) ``--repeats`` times after one warm-up of each; the table shows the
medians, the overhead (ours / raw - 1; target < 5 %), throughput and peak GPU
memory.  Models are random, built from configs at "realistic-ish" sizes (no
network, no weights), so the GPU does real work:

* generate: SD 1.5-layout pipeline (UNet width 192, two layers per block, 512x512, fp16),
  ``generate_images`` (per-item seeds, atomic PNG writes, index) vs ``pipe(...)`` + ``image.save``;
  a check that both give the same pixels;
* vqa-qwen2vl: the chat back-end on a tiny Qwen2-VL with its real processor (torchvision needed):
  batched vs one-by-one answers (yes/no, multiple choice, counting) and the same timing;
* vqa-blip / vqa-chat: yes/no P(yes) of ``BlipVQA.probabilities`` vs ``model.generate(max_new_tokens=1,
  output_logits=True)``, and of ``ChatVQA.probabilities`` vs ``processor(...)`` + one forward
  (``logits_to_keep=1``), on in-memory images, same batches;
* score-e2e: ``score_outputs`` on a folder (image loading, cache, all schemes, breakdowns, report) vs a
  raw loop that loads the same images and runs the same BLIP generate batches;
* clip: ``ClipScorer.cosines`` vs ``get_image_features`` / ``get_text_features``;
* grpo: ``train_grpo`` (trl's GRPOTrainer, LoRA) on a random policy of SimpleAR-0.5B's LM shape over 64,000
  image codes, rewarded by the QA reward (full-size BLIP on palette-decoded 16x16-code images): seconds per
  step and the share of it spent in the reward;
* eval: ``evaluate`` (``gas eval``) on a DPG-Bench-format CSV of 32 prompts with the full-size SD pipeline and
  BLIP judge: wall time split into generation and judging, the headline score (meaningless: random weights);
* improve: one self-improvement round (``gas train improve``'s code path: sample captions, generate k images
  each, QA-score them, keep the best, LoRA fine-tune, re-evaluate on held-out captions) with SD v1.5's UNet
  layout (blocks 320/640/1280/1280, two layers per block, 860 M parameters, 512x512; a smaller VAE and a
  2-layer 768-wide text tower) and the BLIP
  scorer, random weights: wall time per step and peak GPU memory (no baseline: it is a whole-application run).

Run (GPU): ``python benchmarks/device_vision.py`` (about 2-4 minutes on an H100).
Quick check on a CPU: ``python benchmarks/device_vision.py --device cpu --tiny`` (``--only improve`` for the
self-improvement round alone, about 10 s at tiny sizes).
Writes ``$OUT/device_vision.json`` when ``OUT`` is set, else ``benchmarks/results/device_vision.json``.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
for _var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import orjson  # noqa: E402

SIZES = {
    # name: generation (unet width, layers/block, latent size, steps, scenes, batch); scoring widths and counts
    "tiny": dict(sd_width=16, sd_layers=1, latent=8, steps=2, gen_scenes=8, gen_batch=4, text_width=32,
                 vqa_width=32, vqa_layers=2, vqa_image=32, vqa_patch=8, chat_image=32, chat_patch=8,
                 score_scenes=16, vqa_batch=16, clip_width=32, repeats=2,
                 lm_width=32, lm_layers=2, lm_heads=4, codebook=64, grid=4, grpo_steps=2, grpo_batch=4,
                 eval_prompts=4,
                 si_width=16, si_layers=1, si_latent=8, si_text=32, si_captions=4, si_heldout=3, si_k=2, si_steps=2,
                 si_lora_steps=4, si_batch=4),
    "full": dict(sd_width=192, sd_layers=2, latent=64, steps=20, gen_scenes=32, gen_batch=8, text_width=256,
                 vqa_width=512, vqa_layers=6, vqa_image=384, vqa_patch=16, chat_image=224, chat_patch=14,
                 score_scenes=256, vqa_batch=64, clip_width=512, repeats=3,
                 # GRPO policy: Qwen2.5-0.5B's shape (SimpleAR-0.5B's LM) over 64,000 codes (Cosmos FSQ), 16x16 grid
                 lm_width=896, lm_layers=24, lm_heads=14, codebook=64000, grid=16, grpo_steps=3, grpo_batch=8,
                 eval_prompts=32,
                 # self-improvement round: SD v1.5's UNet layout at 512x512
                 si_width=320, si_layers=2, si_latent=64, si_text=768, si_captions=32, si_heldout=16, si_k=4,
                 si_steps=20, si_lora_steps=100, si_batch=8),
}


def _sync(torch, device):
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def _peak_reset(torch, device):
    if device.startswith("cuda"):
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()


def _peak_mb(torch, device):
    if device.startswith("cuda"):
        torch.cuda.synchronize()
        return torch.cuda.max_memory_allocated() / 2**20
    return None


def compare(name, torch, device, raw, ours, repeats, work, unit):
    """Warm both up once, then alternate raw/ours; medians, overhead, throughput, peak memory."""
    raw()
    ours()
    times = {"raw": [], "ours": []}
    peaks = {"raw": 0.0, "ours": 0.0}
    for _ in range(repeats):
        for label, fn in (("raw", raw), ("ours", ours)):
            _peak_reset(torch, device)
            _sync(torch, device)
            t = time.perf_counter()
            fn()
            _sync(torch, device)
            times[label].append(time.perf_counter() - t)
            peak = _peak_mb(torch, device)
            if peak is not None:
                peaks[label] = max(peaks[label], peak)
    raw_s, ours_s = statistics.median(times["raw"]), statistics.median(times["ours"])
    return {
        "name": name, "work": work, "unit": unit, "raw_s": times["raw"], "ours_s": times["ours"],
        "raw_median_s": raw_s, "ours_median_s": ours_s, "overhead_pct": 100.0 * (ours_s / raw_s - 1.0),
        "raw_per_s": work / raw_s, "ours_per_s": work / ours_s,
        "peak_mb_raw": peaks["raw"] if device.startswith("cuda") else None,
        "peak_mb_ours": peaks["ours"] if device.startswith("cuda") else None,
    }


def make_rows(n):
    """``n`` distinct realized rows (scene dict + caption + questions) from the toy taxonomy."""
    from gas_solver.realize import realize_scene
    from gas_solver.scene import Attribute, Relation, Scene, SceneObject
    from gas_solver.taxonomy import load_taxonomy

    tax = load_taxonomy(ROOT / "tests" / "data" / "toy.toml")
    subjects = [("dog", "colour", "brown"), ("horse", "colour", "white"), ("owl", "size", "small"),
                ("sheep", "colour", "white"), ("dog", "size", "big"), ("horse", "size", "small")]
    objects = [("bench", "material", "wooden"), ("bench", "material", "metal"), ("apple", "state", "ripe"),
               ("bicycle", "colour", "red"), ("suv", "colour", "red"), ("apple", "colour", "red")]
    rows, seen = [], set()
    k = 0
    while len(rows) < n:
        s, o = subjects[k % len(subjects)], objects[(k // len(subjects)) % len(objects)]
        pred = ("next_to", "on_top_of")[(k // 36) % 2]
        extra = (k // 72) % 4
        objs = [SceneObject(s[0], (Attribute(s[1], s[2]),)), SceneObject(o[0], (Attribute(o[1], o[2]),))]
        objs += [SceneObject("apple")] * extra
        scene = Scene(tuple(objs), (Relation(0, 1, pred),))
        row = realize_scene(scene, tax, seed=k)
        k += 1
        if row["id"] not in seen:
            seen.add(row["id"])
            rows.append(row)
    return rows


def bench_generate(cfg, torch, device, dtype, tmp):
    import numpy as np
    from PIL import Image

    from gas_solver.vision.generate import generate_images
    from gas_solver.vision.rows import item_seed
    from gas_solver.vision.tiny import tiny_sd_pipeline

    pipe = tiny_sd_pipeline(width=cfg["sd_width"], layers=cfg["sd_layers"], sample_size=cfg["latent"],
                            text_width=cfg["text_width"]).to(device, dtype)
    rows = make_rows(cfg["gen_scenes"])
    size, steps, batch = 8 * cfg["latent"], cfg["steps"], cfg["gen_batch"]
    counter = iter(range(10**6))

    def raw():
        out = tmp / f"raw{next(counter)}"
        out.mkdir()
        for start in range(0, len(rows), batch):
            chunk = rows[start:start + batch]
            gens = [torch.Generator("cpu").manual_seed(item_seed(r["id"], 0)) for r in chunk]
            images = pipe(prompt=[r["caption"] for r in chunk], generator=gens, num_inference_steps=steps,
                          height=size, width=size, output_type="pil").images
            for r, im in zip(chunk, images):
                im.save(out / f"{r['id']}.png")
        return out

    def ours():
        out = tmp / f"ours{next(counter)}"
        generate_images(rows, out, pipeline=pipe, steps=steps, width=size, height=size, batch_size=batch, progress=False)
        return out

    res = compare("generate", torch, device, raw, ours, cfg["repeats"], len(rows), "images")
    a, b = raw(), ours()
    diffs = []
    for r in rows[:4]:
        with Image.open(a / f"{r['id']}.png") as x, Image.open(b / f"images/{r['id']}/0.png") as y:
            diffs.append(int(np.abs(np.asarray(x, dtype=np.int16) - np.asarray(y, dtype=np.int16)).max()))
    res["max_pixel_diff_raw_vs_ours"] = max(diffs)
    res["config"] = {"resolution": size, "steps": steps, "batch": batch, "unet_params_m":
                     sum(p.numel() for p in pipe.unet.parameters()) / 1e6}
    del pipe
    return res


def _yes_no_pairs(rows, n_images):
    pairs = []
    for i, r in enumerate(rows):
        for q in r["questions"]:
            if q["format"] == "yes_no":
                pairs.append((i % n_images, q["question"]))
    return pairs


def _random_images(n, size, seed=0):
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    return [Image.fromarray(rng.integers(0, 256, (size, size, 3), dtype=np.uint8)) for _ in range(n)]


def bench_vqa(cfg, torch, device, dtype, rows):
    from gas_solver.vision.tiny import tiny_blip_vqa, tiny_vlm
    from gas_solver.vision.vqa import BlipVQA, ChatVQA, Query

    images = _random_images(min(len(rows), 64), cfg["vqa_image"])
    pairs = _yes_no_pairs(rows, len(images))
    queries = [Query(i, q) for i, q in pairs]
    bs = cfg["vqa_batch"]
    results = []

    model, processor = tiny_blip_vqa(width=cfg["vqa_width"], layers=cfg["vqa_layers"], image_size=cfg["vqa_image"],
                                     patch_size=cfg["vqa_patch"])
    model = model.to(device, dtype)
    vqa = BlipVQA(model, processor, device=device, batch_size=bs)

    def raw_blip():
        out = []
        with torch.inference_mode():
            for start in range(0, len(pairs), bs):
                chunk = pairs[start:start + bs]
                enc = processor(images=[images[i] for i, _ in chunk], text=[q for _, q in chunk], padding=True,
                                return_tensors="pt").to(device)
                enc["pixel_values"] = enc["pixel_values"].to(dtype)
                gen = model.generate(**enc, max_new_tokens=1, do_sample=False, output_logits=True,
                                     return_dict_in_generate=True)
                probs = torch.softmax(gen.logits[0].float(), -1)
                out.extend((probs[:, vqa.yes_ids].sum(-1) / (probs[:, vqa.yes_ids + vqa.no_ids].sum(-1))).tolist())
        return out

    res = compare("vqa-blip", torch, device, raw_blip, lambda: vqa.probabilities(images, queries), cfg["repeats"],
                  len(queries), "questions")
    raw_p = raw_blip()
    ours_p = [p[0] for p in vqa.probabilities(images, queries)]
    # generate() attends to question padding (all-ones mask); ours masks it, so padded rows differ slightly
    res["max_abs_diff_p_yes"] = max(abs(a - b) for a, b in zip(raw_p, ours_p))
    results.append(res)
    del model, vqa

    model, processor = tiny_vlm(width=cfg["vqa_width"], layers=cfg["vqa_layers"], image_size=cfg["chat_image"],
                                patch_size=cfg["chat_patch"])
    model = model.to(device, dtype)
    chat = ChatVQA(model, processor, device=device, batch_size=bs)
    cimages = _random_images(len(images), cfg["chat_image"], seed=1)

    def raw_chat():
        out = []
        prompts = [chat._render(f"{q.question} Answer yes or no.") for q in queries]  # apply_chat_template each
        processor.tokenizer.padding_side = "left"
        with torch.inference_mode():
            for start in range(0, len(queries), bs):
                chunk = list(range(start, min(start + bs, len(queries))))
                enc = processor(images=[cimages[queries[k].image] for k in chunk], text=[prompts[k] for k in chunk],
                                padding=True, return_tensors="pt").to(device)
                enc["pixel_values"] = enc["pixel_values"].to(dtype)
                logits = model(**enc, logits_to_keep=1).logits[:, -1].float()
                probs = torch.softmax(logits, -1)
                out.extend((probs[:, chat.yes_ids].sum(-1) / probs[:, chat.yes_ids + chat.no_ids].sum(-1)).tolist())
        return out

    res = compare("vqa-chat", torch, device, raw_chat, lambda: chat.probabilities(cimages, queries), cfg["repeats"],
                  len(queries), "questions")
    res["max_abs_diff_p_yes"] = max(abs(a - b[0]) for a, b in zip(raw_chat(), chat.probabilities(cimages, queries)))
    results.append(res)
    del model, chat
    results.append(check_qwen2_vl(cfg, torch, device, dtype, cimages, queries))
    return results


def check_qwen2_vl(cfg, torch, device, dtype, images, queries):
    """The chat back-end on a real Qwen2-VL processor (needs torchvision, which the CPU test machine lacks):
    batched vs one-by-one answers, and timing against a raw processor + forward loop."""
    from gas_solver.vision.tiny import tiny_qwen2_vl
    from gas_solver.vision.vqa import ChatVQA, Query

    try:
        model, processor = tiny_qwen2_vl(width=cfg["vqa_width"], layers=cfg["vqa_layers"],
                                         pixels=cfg["chat_image"] ** 2)
    except Exception as exc:  # noqa: BLE001 - report, do not abort the run
        return {"name": "vqa-qwen2vl", "error": f"{type(exc).__name__}: {' '.join(str(exc).split())}"}
    model = model.to(device, dtype)
    bs = cfg["vqa_batch"]
    chat = ChatVQA(model, processor, device=device, batch_size=bs)
    mixed = queries[:8] + [Query(0, "what colour is the dog?", ("red", "blue", "green")),
                           Query(1, "how many apples are there?", tuple(str(i) for i in range(11)), True)]
    batched = chat.probabilities(images, mixed)
    single = [chat.probabilities(images, [q])[0] for q in mixed]
    diff = max(abs(a - b) for pa, pb in zip(batched, single) for a, b in zip(pa, pb))

    def raw():
        out = []
        prompts = [chat._render(f"{q.question} Answer yes or no.") for q in queries]  # apply_chat_template each
        processor.tokenizer.padding_side = "left"
        with torch.inference_mode():
            for start in range(0, len(queries), bs):
                chunk = range(start, min(start + bs, len(queries)))
                enc = processor(images=[images[queries[k].image] for k in chunk], text=[prompts[k] for k in chunk],
                                padding=True, return_tensors="pt").to(device)
                enc["pixel_values"] = enc["pixel_values"].to(dtype)
                probs = torch.softmax(model(**enc, logits_to_keep=1).logits[:, -1].float(), -1)
                out.extend((probs[:, chat.yes_ids].sum(-1) / probs[:, chat.yes_ids + chat.no_ids].sum(-1)).tolist())
        return out

    res = compare("vqa-qwen2vl", torch, device, raw, lambda: chat.probabilities(images, queries), cfg["repeats"],
                  len(queries), "questions")
    res["max_abs_diff_batched_vs_single"] = diff
    res["all_in_0_1"] = all(0.0 <= x <= 1.0 for p in batched for x in p)
    del model, chat
    return res


def bench_score_e2e(cfg, torch, device, dtype, rows, tmp):
    """score_outputs on a folder vs a raw loop over the same files and the same BLIP batches."""
    from PIL import Image

    from gas_solver.vision.media import write_png
    from gas_solver.vision.score import score_outputs
    from gas_solver.vision.tiny import tiny_blip_vqa
    from gas_solver.vision.vqa import BlipVQA

    folder = tmp / "scored"
    images = _random_images(len(rows), cfg["vqa_image"], seed=2)
    lines = []
    for r, im in zip(rows, images):
        rel = f"images/{r['id']}/0.png"
        write_png(folder / rel, im)
        yes_no = [q for q in r["questions"] if q["format"] == "yes_no"]
        keep = {q["id"] for q in yes_no}  # yes/no only, so both sides run the same generate-style batches
        yes_no = [{**q, "depends_on": [d for d in q["depends_on"] if d in keep]} for q in yes_no]
        lines.append(orjson.dumps({**r, "questions": yes_no, "kind": "image", "outputs": [{"k": 0, "seed": 0, "image": rel}]}))
    (folder / "index.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    model, processor = tiny_blip_vqa(width=cfg["vqa_width"], layers=cfg["vqa_layers"], image_size=cfg["vqa_image"],
                                     patch_size=cfg["vqa_patch"])
    model = model.to(device, dtype)
    bs = cfg["vqa_batch"]
    vqa = BlipVQA(model, processor, device=device, batch_size=bs)
    index = [orjson.loads(x) for x in lines]

    def raw():
        pairs = []
        for r in index:
            with Image.open(folder / r["outputs"][0]["image"]) as im:
                img = im.convert("RGB")
            pairs += [(img, q["question"]) for q in r["questions"]]
        out = []
        with torch.inference_mode():
            for start in range(0, len(pairs), bs):
                chunk = pairs[start:start + bs]
                enc = processor(images=[i for i, _ in chunk], text=[q for _, q in chunk], padding=True,
                                return_tensors="pt").to(device)
                enc["pixel_values"] = enc["pixel_values"].to(dtype)
                gen = model.generate(**enc, max_new_tokens=1, do_sample=False, output_logits=True,
                                     return_dict_in_generate=True)
                out.append(gen.logits[0].float().softmax(-1)[:, vqa.yes_ids].sum(-1).cpu())
        return out

    def ours():
        shutil.rmtree(folder / "scores", ignore_errors=True)  # no cache: every question is asked
        return score_outputs(folder, vqa=vqa, scenes_per_chunk=len(index), progress=False)

    n = sum(len(r["questions"]) for r in index)
    res = compare("score-e2e", torch, device, raw, ours, cfg["repeats"], n, "questions")
    t = time.perf_counter()
    report = score_outputs(folder, vqa=vqa, schemes=("dsg",), progress=False)  # every answer from the cache
    res["rescore_from_cache_s"] = time.perf_counter() - t
    res["rescore_asked"] = report.asked
    del model, vqa
    return res


def bench_clip(cfg, torch, device, dtype, rows):
    from gas_solver.vision.clip import ClipScorer
    from gas_solver.vision.tiny import tiny_clip

    model, processor = tiny_clip(width=cfg["clip_width"], image_size=cfg["chat_image"], patch_size=cfg["chat_patch"])
    model = model.to(device, dtype)
    bs = cfg["vqa_batch"]
    scorer = ClipScorer(model, processor, device=device, batch_size=bs)
    images = _random_images(len(rows), cfg["chat_image"], seed=3)
    texts = [r["caption"] for r in rows]

    def raw():
        out = []
        with torch.inference_mode():
            for start in range(0, len(images), bs):
                enc = processor(images=images[start:start + bs], text=texts[start:start + bs], padding=True,
                                truncation=True, return_tensors="pt").to(device)
                img = model.get_image_features(pixel_values=enc["pixel_values"].to(dtype))
                txt = model.get_text_features(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"])
                img = getattr(img, "pooler_output", img)
                txt = getattr(txt, "pooler_output", txt)
                out.append(torch.nn.functional.cosine_similarity(img.float(), txt.float(), dim=-1).cpu())
        return out

    return compare("clip", torch, device, raw, lambda: scorer.cosines(images, texts), cfg["repeats"], len(images), "pairs")


def _guarded(name, fn, *args):
    """Run one workload; an error is recorded in the results (the other workloads still run)."""
    import traceback

    try:
        return fn(*args)
    except Exception as exc:  # noqa: BLE001 - a benchmark reports what failed and goes on
        traceback.print_exc()
        return {"name": name, "error": f"{type(exc).__name__}: {exc}"}


def bench_grpo(cfg, torch, device, dtype, rows, tmp):
    """GRPO steps of ``train_grpo`` at SimpleAR-0.5B's LM shape: time per step and the reward's share."""
    from gas_solver.train.grpo import train_grpo
    from gas_solver.train.rewards import QAReward
    from gas_solver.train.decoders import PaletteDecoder
    from gas_solver.train.tiny import tiny_image_token_lm
    from gas_solver.vision.tiny import tiny_blip_vqa
    from gas_solver.vision.vqa import BlipVQA

    words = sorted({w for r in rows for w in r["caption"].lower().split()})
    policy, tok = tiny_image_token_lm(words, codebook=cfg["codebook"], width=cfg["lm_width"], layers=cfg["lm_layers"],
                                      heads=cfg["lm_heads"], max_positions=4096)
    params = sum(p.numel() for p in policy.parameters()) / 1e6
    folder = tmp / "policy"
    policy.to(torch.bfloat16 if device.startswith("cuda") else torch.float32).save_pretrained(folder)
    tok.save_pretrained(folder)
    del policy
    model, processor = tiny_blip_vqa(width=cfg["vqa_width"], layers=cfg["vqa_layers"], image_size=cfg["vqa_image"],
                                     patch_size=cfg["vqa_patch"])
    vqa = BlipVQA(model.to(device, dtype), processor, device=device, batch_size=cfg["vqa_batch"], name="blip-random")
    code_of = {tok.convert_tokens_to_ids(f"<img_{c}>"): c for c in range(cfg["codebook"])}
    grid = (cfg["grid"], cfg["grid"])
    reward = QAReward(vqa, decoder=PaletteDecoder(code_of, grid, image_size=cfg["vqa_image"]))
    spent = []

    def timed_reward(*a, **kw):
        t = time.perf_counter()
        out = reward(*a, **kw)
        spent.append(time.perf_counter() - t)
        return out

    timed_reward.__name__ = reward.__name__
    data = tmp / "grpo_rows.jsonl"
    data.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    _peak_reset(torch, device)
    t = time.perf_counter()
    res = train_grpo(data, tmp / "grpo", model=str(folder), reward_fn=timed_reward, vqa=vqa, device=device,
                     grid=grid, max_steps=cfg["grpo_steps"], batch_size=cfg["grpo_batch"], num_generations=4,
                     lora_rank=16, save_steps=10**6, bf16=device.startswith("cuda"), learning_rate=1e-5, progress=False)
    seconds = time.perf_counter() - t
    steps = [r.get("step_time") for r in res.log if r.get("step_time") is not None]
    return {"name": "grpo", "work": cfg["grpo_steps"], "unit": "steps", "seconds": seconds,
            "peak_mb": _peak_mb(torch, device), "step_time_s": steps,
            "reward_s_per_step": statistics.mean(spent) if spent else None,
            "reward_share": (sum(spent) / sum(steps)) if steps and spent else None,
            "policy_params_m": params, "gen_tokens_per_completion": grid[0] * grid[1],
            "reward_mean_by_step": [r["reward"] for r in res.log]}


def bench_eval(cfg, torch, device, dtype, rows, tmp):
    """``gas eval`` (evaluate) on a DPG-Bench-format CSV: full-size SD pipeline, BLIP judge."""
    import csv

    from gas_solver.vision.evaluate import evaluate
    from gas_solver.vision.tiny import tiny_blip_vqa, tiny_sd_pipeline
    from gas_solver.vision.vqa import BlipVQA

    path = tmp / "dpg_bench.csv"
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["item_id", "text", "keywords", "proposition_id", "dependency", "category_broad",
                    "category_detailed", "tuple", "question_natural_language"])
        for r in rows[:cfg["eval_prompts"]]:
            ids = {q["id"]: n for n, q in enumerate((q for q in r["questions"] if q["format"] == "yes_no"), 1)}
            for q in r["questions"]:
                if q["id"] in ids:
                    deps = ",".join(str(ids[d]) for d in q["depends_on"] if d in ids) or "0"
                    w.writerow([r["id"], r["caption"], "", ids[q["id"]], deps, q["type"], q["type"], "", q["question"]])
    pipe = tiny_sd_pipeline(width=cfg["sd_width"], layers=cfg["sd_layers"], sample_size=cfg["latent"],
                            text_width=cfg["text_width"]).to(device, dtype)
    model, processor = tiny_blip_vqa(width=cfg["vqa_width"], layers=cfg["vqa_layers"], image_size=cfg["vqa_image"],
                                     patch_size=cfg["vqa_patch"])
    vqa = BlipVQA(model.to(device, dtype), processor, device=device, batch_size=cfg["vqa_batch"], name="blip-random")
    size = 8 * cfg["latent"]
    _peak_reset(torch, device)
    t = time.perf_counter()
    res = evaluate(path, tmp / "eval", pipeline=pipe, vqa=vqa, steps=cfg["steps"], width=size, height=size,
                   batch_size=cfg["gen_batch"], progress=False)
    seconds = time.perf_counter() - t
    t2 = time.perf_counter()  # a rerun resumes: nothing generated, answers cached; tables and report rebuilt
    evaluate(path, tmp / "eval", pipeline=pipe, vqa=vqa, steps=cfg["steps"], width=size, height=size,
             batch_size=cfg["gen_batch"], progress=False)
    return {"name": "eval", "work": res.summary["prompts"], "unit": "prompts", "seconds": seconds,
            "peak_mb": _peak_mb(torch, device), "judge_questions": res.summary["questions"],
            "headline": [res.summary["headline"], res.summary["score"]], "score_rerun_s": time.perf_counter() - t2,
            "gen_resolution": size}


def bench_improve(cfg, torch, device, dtype, tmp):
    """One self-improvement round through gas_solver.train.improve, timed step by step."""
    from gas_solver.taxonomy import load_taxonomy
    from gas_solver.train import improve as improve_module
    from gas_solver.train.captions import CaptionSource
    from gas_solver.train.evaluate import GenerationSettings
    from gas_solver.train.improve import ImproveOptions, self_improve
    from gas_solver.train.lora import LoraOptions
    from gas_solver.vision.tiny import tiny_blip_vqa, tiny_sd_pipeline
    from gas_solver.vision.vqa import BlipVQA

    pipe = tiny_sd_pipeline(width=cfg["si_width"], layers=cfg["si_layers"], sample_size=cfg["si_latent"],
                            text_width=cfg["si_text"])
    if cfg["si_width"] >= 320:  # SD v1.5's own UNet layout: (320, 640, 1280, 1280), 8 heads, 860 M parameters
        import diffusers

        torch.manual_seed(0)
        unet = diffusers.UNet2DConditionModel(
            block_out_channels=(320, 640, 1280, 1280), layers_per_block=2, attention_head_dim=8,
            cross_attention_dim=cfg["si_text"], sample_size=cfg["si_latent"])
        pipe = diffusers.StableDiffusionPipeline(
            vae=pipe.vae, text_encoder=pipe.text_encoder, tokenizer=pipe.tokenizer, unet=unet, scheduler=pipe.scheduler,
            safety_checker=None, feature_extractor=None, image_encoder=None, requires_safety_checker=False)
        pipe.set_progress_bar_config(disable=True)
    pipe = pipe.to(device, dtype)
    model, processor = tiny_blip_vqa(width=cfg["vqa_width"], layers=cfg["vqa_layers"], image_size=cfg["vqa_image"],
                                     patch_size=cfg["vqa_patch"])
    vqa = BlipVQA(model.to(device, dtype), processor, device=device, batch_size=cfg["vqa_batch"], name="blip-bench")
    tax = load_taxonomy(ROOT / "tests" / "data" / "toy.toml")
    source = CaptionSource.from_constraints(ROOT / "constraints" / "toy_small_space.toml", tax)
    size = 8 * cfg["si_latent"]
    opts = ImproveOptions(rounds=1, captions_per_round=cfg["si_captions"], heldout_captions=cfg["si_heldout"],
                          images_per_caption=cfg["si_k"],
                          generation=GenerationSettings(steps=cfg["si_steps"], resolution=size, batch_size=cfg["si_batch"]),
                          lora=LoraOptions(steps=cfg["si_lora_steps"], batch_size=2, learning_rate=1e-4))
    # time each step of the round by wrapping the functions the round calls
    timings: dict[str, float] = {}

    def timed(label, fn):
        def wrapper(*a, **kw):
            _sync(torch, device)
            t = time.perf_counter()
            res = fn(*a, **kw)
            _sync(torch, device)
            timings[label] = timings.get(label, 0.0) + time.perf_counter() - t
            return res
        return wrapper

    originals = {name: getattr(improve_module, name) for name in ("generate_and_score", "train_lora")}
    improve_module.generate_and_score = timed("generate+score (base, round, held-out)", originals["generate_and_score"])
    improve_module.train_lora = timed("lora", originals["train_lora"])
    _peak_reset(torch, device)
    t = time.perf_counter()
    try:
        result = self_improve(source, tmp / "improve", pipe, vqa, opts, model_name="sd15-size-random")
    finally:
        for name, fn in originals.items():
            setattr(improve_module, name, fn)
    wall = time.perf_counter() - t
    rnd = result.rounds[0]
    train = orjson.loads((tmp / "improve" / "round-01" / "train.json").read_bytes()) if rnd["trained"] else {}
    return {"name": "improve", "wall_s": wall, "steps_s": timings,
            "images": (cfg["si_captions"] * cfg["si_k"]) + 2 * cfg["si_heldout"], "kept": rnd["kept"],
            "lora_steps": len(train.get("losses", [])), "loss_first_last": [rnd["loss_first"], rnd["loss_last"]],
            "unet_params_m": sum(p.numel() for p in pipe.unet.parameters()) / 1e6, "resolution": size,
            "heldout_dsg_before_after": [rnd["before"]["metrics"]["dsg"], rnd["after"]["metrics"]["dsg"]],
            "peak_mb": _peak_mb(torch, device)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--tiny", action="store_true", help="CPU-sized models and counts (a quick check of the script)")
    ap.add_argument("--dtype", choices=["fp32", "fp16", "bf16"], default=None, help="default: fp16 on cuda, fp32 on cpu")
    ap.add_argument("--repeats", type=int, default=None)
    ap.add_argument("--only", nargs="*", choices=["generate", "vqa", "score", "clip", "grpo", "eval", "improve"], default=None)
    args = ap.parse_args(argv)

    import torch

    if args.device.startswith("cpu"):
        torch.set_num_threads(1)  # tiny ops stall with several OpenMP threads on shared cores
    cfg = dict(SIZES["tiny" if args.tiny else "full"])
    if args.repeats:
        cfg["repeats"] = args.repeats
    dtype_name = args.dtype or ("fp16" if args.device.startswith("cuda") else "fp32")
    dtype = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}[dtype_name]
    only = set(args.only or ["generate", "vqa", "score", "clip", "grpo", "eval", "improve"])

    import diffusers
    import transformers

    info = {"device": torch.cuda.get_device_name(0) if args.device.startswith("cuda") else platform.processor() or "cpu",
            "torch": torch.__version__, "diffusers": diffusers.__version__, "transformers": transformers.__version__,
            "python": platform.python_version(), "dtype": dtype_name, "sizes": "tiny" if args.tiny else "full",
            "config": cfg}
    results = []
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as td:
        tmp = Path(td)
        rows = make_rows(cfg["score_scenes"])
        if "generate" in only:
            results.append(bench_generate(cfg, torch, args.device, dtype, tmp))
        if "vqa" in only:
            results.extend(bench_vqa(cfg, torch, args.device, dtype, rows))
        if "score" in only:
            results.append(bench_score_e2e(cfg, torch, args.device, dtype, rows, tmp))
        if "clip" in only:
            results.append(bench_clip(cfg, torch, args.device, dtype, rows))
        if "grpo" in only:
            results.append(_guarded("grpo", bench_grpo, cfg, torch, args.device, dtype, rows, tmp))
        if "eval" in only:
            results.append(_guarded("eval", bench_eval, cfg, torch, args.device, dtype, rows, tmp))
        if "improve" in only:
            results.append(_guarded("improve", bench_improve, cfg, torch, args.device, dtype, tmp))
    info["wall_s"] = time.perf_counter() - start

    print(f"device: {info['device']} | torch {info['torch']} | diffusers {info['diffusers']} | "
          f"transformers {info['transformers']} | {dtype_name}")
    head = f"{'workload':<11} {'work':>7} {'raw s':>8} {'ours s':>8} {'overhead':>9} {'ours/s':>9} {'peak MB raw/ours':>17}"
    print(head)
    print("-" * len(head))
    for r in results:
        if r["name"] == "improve" and "wall_s" in r:
            print(f"{'improve':<11} one self-improvement round: {r['wall_s']:.1f} s wall "
                  f"({', '.join(f'{k} {v:.1f} s' for k, v in r['steps_s'].items())}); {r['images']} images at "
                  f"{r['resolution']}px, UNet {r['unet_params_m']:.1f} M, {r['lora_steps']} LoRA steps, kept {r['kept']}"
                  + (f", peak {r['peak_mb']:.0f} MB" if r["peak_mb"] else ""))
            continue
        if "error" in r:
            print(f"{r['name']:<11} not run: {r['error'][:200]}")
            continue
        if "raw_median_s" not in r:  # timings of our code alone (no raw loop to compare with)
            peak = "-" if r.get("peak_mb") is None else f"{r['peak_mb']:.0f}"
            print(f"{r['name']:<11} {r['work']:>7} {'-':>8} {r['seconds']:>8.3f} {'-':>9} "
                  f"{r['work'] / r['seconds']:>9.2f} {peak:>17}")
            continue
        peak = "-" if r["peak_mb_raw"] is None else f"{r['peak_mb_raw']:.0f}/{r['peak_mb_ours']:.0f}"
        print(f"{r['name']:<11} {r['work']:>7} {r['raw_median_s']:>8.3f} {r['ours_median_s']:>8.3f} "
              f"{r['overhead_pct']:>8.1f}% {r['ours_per_s']:>9.1f} {peak:>17}")
    for r in results:
        extra = {k: v for k, v in r.items() if k.startswith(("max_", "rescore", "all_", "step_", "reward_", "gen_",
                                                              "judge_", "score", "policy_", "headline")) and r["name"] != "improve"}
        if extra:
            print(f"{r['name']}: {extra}")
    print(f"total {info['wall_s']:.1f} s")

    target = Path(os.environ["OUT"]) if os.environ.get("OUT") else ROOT / "benchmarks" / "results"
    target.mkdir(parents=True, exist_ok=True)
    name = "device_vision_tiny.json" if args.tiny else "device_vision.json"
    (target / name).write_bytes(orjson.dumps({"info": info, "results": results}, option=orjson.OPT_INDENT_2))
    print(f"wrote {target / name}")


if __name__ == "__main__":
    main()
