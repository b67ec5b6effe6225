"""Content moderation: a detector of generated images, trained on images of diverse synthetic scenes.

The paper's fourth application.  Steps, each resumable:

1. ``captions``: ``scenes`` captions sampled **stratified** by complexity (equal shares over the constraint
   file's complexity range unless ``strata`` says otherwise); each caption goes to the train or the test side by
   a hash of its scene id, so a scene never crosses the split;
2. ``generators/<name>``: every generator renders every caption (one image each);
3. ``dataset``: the detection set as a Hugging Face imagefolder (``dataset/``: ``images/`` + ``metadata.jsonl``
   with ``label`` 1 = generated / 0 = real, ``generator``, ``scene``, ``stratum`` and ``split``); real images come
   from a user folder (any images, found recursively) and are split by a hash of their path;
4. ``features``: a frozen vision backbone from transformers (CLIP-like ``get_image_features``, else the pooled
   output) embeds every image once (``features.npy``);
5. ``folds``: **leave one generator out**: a linear probe (L2-regularised logistic regression on standardised
   features, fitted by Newton's method: deterministic) trains on the other generators' train-side images and the
   real train images, and is tested on the held-out generator's test-side images against the real test images;
   AP and AUROC per held-out generator and per scene stratum, accuracy on real and on generated images, and the
   in-distribution score (test-side images of the training generators).

Examples
--------
>>> moderation(source, "out", {"sd15": pipe_a, "sd21": pipe_b}, "real_photos/", backbone)   # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from statistics import fmean
from typing import Sequence

import numpy as np

from ..errors import GasError
from ..vision.extra import VisionError, require
from ..vision.rows import atomic_write_bytes, read_jsonl
from .captions import CaptionSource, derive_seed
from .evaluate import GenerationSettings
from .metrics import accuracy_at, auroc, average_precision
from .pairs import read_imagefolder, write_imagefolder
from .runs import RunFolder, write_json

__all__ = ["ModerationOptions", "ModerationResult", "FrozenBackbone", "load_backbone", "moderation",
           "fit_linear_probe", "REAL_SUFFIXES"]

REAL_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".bmp")


@dataclass(frozen=True)
class ModerationOptions:
    scenes: int = 200
    test_share: float = 0.3
    l2: float = 1e-2
    generation: GenerationSettings = field(default_factory=GenerationSettings)
    seed: int = 0

    def __post_init__(self) -> None:
        if self.scenes < 2 or not 0 < self.test_share < 1 or self.l2 < 0:
            raise VisionError("moderation needs >= 2 scenes, 0 < test share < 1 and l2 >= 0")

    def to_dict(self) -> dict:
        return {"scenes": self.scenes, "test_share": self.test_share, "l2": self.l2,
                "generation": self.generation.to_dict(), "seed": self.seed}


@dataclass
class ModerationResult:
    out: Path
    report: dict
    resumed: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Backbone and probe
# ---------------------------------------------------------------------------

class FrozenBackbone:
    """Image embeddings from a frozen transformers vision model (CLIP/SigLIP ``get_image_features``, else pooled)."""

    def __init__(self, model, image_processor, *, name: str | None = None, batch_size: int = 32,
                 device: str | None = None):
        self.model = model.eval().requires_grad_(False)
        self.processor = getattr(image_processor, "image_processor", image_processor)
        self.name = name or getattr(model.config, "_name_or_path", "") or type(model).__name__
        self.batch_size = batch_size
        self.device = device or next(model.parameters()).device.type

    def features(self, images: Sequence) -> np.ndarray:
        (torch,) = require("torch")
        out = []
        dtype = next(self.model.parameters()).dtype
        with torch.inference_mode():
            for start in range(0, len(images), self.batch_size):
                batch = [im.convert("RGB") for im in images[start:start + self.batch_size]]
                pixels = self.processor(batch, return_tensors="pt")["pixel_values"].to(self.device, dtype)
                if hasattr(self.model, "get_image_features"):
                    feats = self.model.get_image_features(pixel_values=pixels)
                    feats = getattr(feats, "pooler_output", feats)
                else:
                    res = self.model(pixel_values=pixels)
                    feats = getattr(res, "image_embeds", None)
                    if feats is None:
                        feats = getattr(res, "pooler_output", None)
                    if feats is None:
                        feats = res.last_hidden_state.mean(1)
                out.append(feats.float().cpu().numpy())
        return np.concatenate(out) if out else np.zeros((0, 0), dtype=np.float32)


def load_backbone(model: str, *, device: str | None = "auto", dtype: str | None = "auto") -> FrozenBackbone:
    """A frozen backbone from a hub id or folder (``AutoModel`` + ``AutoImageProcessor``)."""
    from ..vision.extra import resolve_device, resolve_dtype

    torch, transformers = require("torch", "transformers")
    device = resolve_device(device)
    try:
        net = transformers.AutoModel.from_pretrained(model, dtype=resolve_dtype(dtype, device))
        processor = transformers.AutoImageProcessor.from_pretrained(model)
    except (OSError, ValueError, KeyError) as exc:
        raise VisionError(f"cannot load backbone {model!r}: {exc}") from exc
    return FrozenBackbone(net.to(device), processor, name=model, device=device)


def fit_linear_probe(x: np.ndarray, y: np.ndarray, l2: float = 1e-2, iterations: int = 50):
    """Logistic regression on standardised features by Newton's method; returns ``score(x) -> P(generated)``.

    Minimises ``mean(log-loss) + l2/2 * |w|^2`` (bias not penalised).  Newton steps on a convex objective:
    the same data give the same weights, with no learning rate to tune.
    """
    mean, std = x.mean(0), x.std(0) + 1e-8
    z = np.hstack([(x - mean) / std, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    reg = np.full(z.shape[1], l2)
    reg[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -30, 30)))
        grad = z.T @ (p - y) / len(y) + reg * w
        hess = (z.T * (p * (1 - p))) @ z / len(y) + np.diag(reg + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-10:
            break

    def score(xs: np.ndarray) -> np.ndarray:
        zs = np.hstack([(xs - mean) / std, np.ones((len(xs), 1))])
        return 1.0 / (1.0 + np.exp(-np.clip(zs @ w, -30, 30)))

    return score


# ---------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------

def _side(key: str, seed: int, test_share: float) -> str:
    h = int.from_bytes(hashlib.sha256(f"gas-moderation\x00{seed}\x00{key}".encode()).digest()[:8], "big")
    return "test" if h / 2 ** 64 < test_share else "train"


def _strata(source: CaptionSource) -> dict | None:
    """Equal shares over the constraint file's complexity range (None for a dataset source)."""
    sampler = source.sampler
    if sampler is None:
        return None
    bounds = sampler.spec.bounds.complexity
    return {"complexity": {c: 1 for c in range(bounds.lo, (bounds.hi or bounds.lo) + 1)}}


def _metrics(labels, scores) -> dict:
    return {"n": len(labels), "generated": int(sum(labels)), "ap": average_precision(labels, scores),
            "auroc": auroc(labels, scores), "accuracy": accuracy_at(labels, scores)}


def moderation(source: CaptionSource, out: str | Path, generators: dict, real_images: str | Path, backbone,
               options: ModerationOptions | None = None, *, progress: bool | None = None) -> ModerationResult:
    """Build the detection dataset, embed it, and evaluate leave-one-generator-out linear probes.

    Parameters
    ----------
    source : CaptionSource
        A constraint file (captions are drawn stratified by complexity) or a dataset (drawn as they are).
    generators : dict
        ``{name: pipeline}``: at least two text-to-image pipelines for leave-one-generator-out.
    real_images : folder
        Real photographs (any image files, found recursively).
    backbone : FrozenBackbone
    """
    from ..vision.generate import generate_images

    options = options or ModerationOptions()
    if len(generators) < 2:
        raise VisionError("leave-one-generator-out needs at least two generators")
    real_root = Path(real_images)
    reals = sorted(p for p in real_root.rglob("*") if p.is_file() and p.suffix.lower() in REAL_SUFFIXES) \
        if real_root.is_dir() else []
    if len(reals) < 2:
        raise GasError(f"{real_images}: a folder of at least two real images (.png, .jpg, .webp, ...) is needed")
    out = Path(out)
    settings = {"options": options.to_dict(), "generators": sorted(generators), "backbone": backbone.name,
                "real_images": [str(p.relative_to(real_root)) for p in reals], "source": source.description}
    run = RunFolder(out, settings, kind="moderation")
    result = ModerationResult(out=out, report={})

    # 1. stratified captions, split by scene id
    def draw():
        if source.sampler is not None:
            strat = CaptionSource.from_constraints(source.path, source.taxonomy, distribution="stratified",
                                                   strata=_strata(source))
            rows = strat.draw(options.scenes, derive_seed(options.seed, "moderation"))
        else:
            rows = source.draw(options.scenes, derive_seed(options.seed, "moderation"))
        return [{**r, "split": _side(r["id"], options.seed, options.test_share)} for r in rows]

    rows = run.rows("captions", "captions.jsonl", draw)
    if run.finished("captions") is None:
        run.finish("captions", {"scenes": len(rows), "test": sum(r["split"] == "test" for r in rows)})

    # 2. every generator renders every caption
    g = options.generation
    for name in sorted(generators):
        step = f"generators/{name}"
        if run.finished(step) is None:
            generate_images(rows, run.step(step), pipeline=generators[name], model_name=name, steps=g.steps,
                            guidance=g.guidance, width=g.resolution, height=g.resolution, batch_size=g.batch_size,
                            seed=g.seed, progress=progress)
            run.finish(step, {"images": len(rows)})
        else:
            result.resumed.append(step)

    # 3. the detection dataset
    if run.finished("dataset") is None:
        records = []
        for name in sorted(generators):
            index = {line["id"]: line for line in read_jsonl(out / "generators" / name / "index.jsonl")}
            for r in rows:
                rel = index[r["id"]]["outputs"][0]["image"]
                records.append({"source": str(out / "generators" / name / rel),
                                "file_name": f"images/{name}/{r['id']}.png", "label": 1, "generator": name,
                                "scene": r["id"], "caption": r["caption"], "stratum": f"complexity {r['complexity']}"
                                if "complexity" in r else "all", "split": r["split"]})
        for i, p in enumerate(reals):
            rel = str(p.relative_to(real_root))
            records.append({"source": str(p), "file_name": f"images/real/{i:06d}{p.suffix.lower()}", "label": 0,
                            "generator": "real", "scene": None, "caption": None, "stratum": "real",
                            "split": _side(rel, options.seed, options.test_share), "real_path": rel})
        write_imagefolder(out / "dataset", records)
        run.finish("dataset", {"images": len(records), "generated": sum(r["label"] for r in records)})
    else:
        result.resumed.append("dataset")
    records = read_imagefolder(out / "dataset")

    # 4. frozen features, once per image
    feats_path = out / "features" / "features.npy"
    if run.finished("features") is None:
        from PIL import Image

        images = []
        for rec in records:
            with Image.open(rec["path"]) as im:
                images.append(im.convert("RGB"))
        feats = backbone.features(images).astype(np.float32)
        run.step("features")
        buf = io.BytesIO()
        np.save(buf, feats, allow_pickle=False)
        atomic_write_bytes(feats_path, buf.getvalue())
        run.finish("features", {"images": len(records), "dim": int(feats.shape[1])})
    else:
        result.resumed.append("features")
    feats = np.load(feats_path, allow_pickle=False).astype(np.float64)

    # 5. leave one generator out
    labels = np.array([r["label"] for r in records], dtype=np.float64)
    gen_of = [r["generator"] for r in records]
    split = [r["split"] for r in records]
    folds = {}
    for held in sorted(generators):
        step = f"folds/{held}"
        done = run.finished(step)
        if done is None:
            train = [i for i in range(len(records)) if split[i] == "train" and gen_of[i] != held]
            if len(set(labels[train])) < 2:
                raise GasError("the train side lacks real or generated images: add real images or raise --scenes")
            score = fit_linear_probe(feats[train], labels[train], options.l2)
            s = score(feats)
            real_test = [i for i in range(len(records)) if split[i] == "test" and gen_of[i] == "real"]
            held_test = [i for i in range(len(records)) if split[i] == "test" and gen_of[i] == held]
            seen_test = [i for i in range(len(records)) if split[i] == "test" and gen_of[i] not in ("real", held)]

            def metrics(idx):
                return _metrics([int(labels[i]) for i in idx], [float(s[i]) for i in idx])

            by_stratum = {}
            for stratum in sorted({records[i]["stratum"] for i in held_test}):
                by_stratum[stratum] = metrics([i for i in held_test if records[i]["stratum"] == stratum] + real_test)
            summary = {"held_out": held, "train_images": len(train), "held_out_generator": metrics(held_test + real_test),
                       "in_distribution": metrics(seen_test + real_test), "by_stratum": by_stratum}
            run.finish(step, summary)
            done = run.finished(step)
        else:
            result.resumed.append(step)
        folds[held] = done

    def mean(key):
        vals = [f["held_out_generator"][key] for f in folds.values() if f["held_out_generator"][key] is not None]
        return fmean(vals) if vals else None

    strata = sorted({s for f in folds.values() for s in f["by_stratum"]}, key=lambda s: (len(s), s))
    report = {"folds": folds, "mean_held_out": {"ap": mean("ap"), "auroc": mean("auroc")},
              "by_stratum_mean": {s: {k: fmean(f["by_stratum"][s][k] for f in folds.values()
                                               if s in f["by_stratum"] and f["by_stratum"][s][k] is not None)
                                      for k in ("ap", "auroc")} for s in strata},
              "images": run.finished("dataset"), "backbone": backbone.name,
              "probe": "logistic regression on standardised frozen features, L2 %g, Newton's method" % options.l2}
    write_json(out / "report.json", report)
    atomic_write_bytes(out / "report.md", _markdown(report).encode())
    result.report = report
    return result


def _f(x) -> str:
    return "-" if x is None else f"{x:.3f}"


def _markdown(report: dict) -> str:
    lines = ["# Generated-image detection: leave one generator out", "",
             f"Backbone {report['backbone']} (frozen); {report['probe']}.", "",
             "| held-out generator | test images | AP | AUROC | acc. generated | acc. real | in-dist. AP | in-dist. AUROC |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, f in report["folds"].items():
        h, i = f["held_out_generator"], f["in_distribution"]
        lines.append(f"| {name} | {h['n']} | {_f(h['ap'])} | {_f(h['auroc'])} | {_f(h['accuracy']['positives'])} | "
                     f"{_f(h['accuracy']['negatives'])} | {_f(i['ap'])} | {_f(i['auroc'])} |")
    m = report["mean_held_out"]
    lines += [f"| mean | | {_f(m['ap'])} | {_f(m['auroc'])} | | | | |", "", "## By scene stratum (held-out generators)",
              "", "| stratum | AP | AUROC |", "| --- | ---: | ---: |"]
    for s, v in report["by_stratum_mean"].items():
        lines.append(f"| {s} | {_f(v['ap'])} | {_f(v['auroc'])} |")
    return "\n".join(lines) + "\n"
