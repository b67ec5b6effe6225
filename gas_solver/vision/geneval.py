"""GenEval's checks (objects, counts, colours, positions) with a detector that transformers loads.

GenEval (Ghosh et al., 2023) judges an image by object detection: every ``include`` clause needs at least
``count`` detections of its class (a counting prompt's ``exclude`` clause, count + 1, caps it), a colour
clause needs the most confident detections classified as that colour by CLIP, and a position clause needs
each detection to lie on the named side of every detection of an earlier clause.  An image is correct
when every clause holds; the score is the accuracy per tag, and overall the mean over tags.

The published tool runs Mask2Former through mmdet/mmcv (whose installs often fail).  Here the detector is
any transformers checkpoint: zero-shot detectors (OWL-ViT, OWLv2, Grounding DINO) asked for the prompt's
class names, or closed-set detectors (DETR and the like) whose labels name COCO classes.  The rules and
thresholds follow GenEval (confidence 0.3, 0.9 for counting, at most 16 objects a class, position margin
0.1 of the two boxes' sizes).  **Where numbers differ from the published tool:** another detector finds
other boxes and calibrates its confidence otherwise (OWL-ViT's scores run lower than Mask2Former's, so
its thresholds may need ``--detector-threshold``); zero-shot detectors give overlapping boxes for one
object, so detections of a class are merged by non-maximum suppression (IoU 0.5; GenEval merges none);
colours are classified on box crops, not on segmentation masks over a grey background.

Examples
--------
>>> relative_position((0, 0, 10, 10), (50, 0, 60, 10))
{'left of'}
>>> check({"include": [{"class": "cat", "count": 2}]}, {"cat": [((0, 0, 5, 5), 0.9)]})[0]
False
"""

from __future__ import annotations

import math
from typing import Callable, Sequence

from .extra import VisionError, require, resolve_device, resolve_dtype

__all__ = ["COLORS", "relative_position", "check", "Detector", "load_detector", "ColourClassifier", "evaluate_geneval",
           "geneval_summary"]

COLORS = ("red", "orange", "yellow", "green", "blue", "purple", "pink", "brown", "black", "white")
THRESHOLD = 0.3
COUNTING_THRESHOLD = 0.9
MAX_OBJECTS = 16
POSITION_MARGIN = 0.1

Box = tuple  # (x0, y0, x1, y1) in pixels


def relative_position(a: Box, b: Box, margin: float = POSITION_MARGIN) -> set[str]:
    """Where box ``a`` lies relative to box ``b``: a subset of {left of, right of, above, below}.

    The centres' offset is shrunk by ``margin`` times the two boxes' summed size on each axis (overlapping
    objects are not said to be beside each other); a side holds when it carries more than half of the
    offset's direction.  Image y grows downwards, so "above" is a negative y offset.
    """
    ca = ((a[0] + a[2]) / 2, (a[1] + a[3]) / 2)
    cb = ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)
    size = (abs(a[2] - a[0]) + abs(b[2] - b[0]), abs(a[3] - a[1]) + abs(b[3] - b[1]))
    off = (ca[0] - cb[0], ca[1] - cb[1])
    norm = math.hypot(*off)
    shrunk = [math.copysign(max(abs(o) - margin * s, 0.0), o) for o, s in zip(off, size)]
    if norm == 0 or all(abs(v) < 1e-3 for v in shrunk):
        return set()
    dx, dy = shrunk[0] / norm, shrunk[1] / norm
    out = set()
    if dx < -0.5:
        out.add("left of")
    if dx > 0.5:
        out.add("right of")
    if dy < -0.5:
        out.add("above")
    if dy > 0.5:
        out.add("below")
    return out


def check(metadata: dict, detections: dict[str, list[tuple[Box, float]]],
          colour_of: Callable[[str, Sequence[Box]], list[str]] | None = None) -> tuple[bool, list[str]]:
    """Whether an image's detections satisfy a GenEval prompt; ``(correct, reasons it failed)``.

    ``detections[class]`` lists (box, confidence), most confident first, already thresholded.
    ``colour_of(class, boxes)`` names the colour of each box (needed only for colour clauses).
    """
    reasons: list[str] = []
    groups: list[list | None] = []
    for req in metadata.get("include", []):
        cls, count = req["class"], req["count"]
        found = [box for box, _ in detections.get(cls, [])][:count]
        ok = len(found) >= count
        if not ok:
            reasons.append(f"expected {cls}>={count}, found {len(found)}")
        if ok and "color" in req:
            if colour_of is None:
                raise VisionError("a colour clause needs a colour classifier (--clip)")
            colours = colour_of(cls, found)
            if colours.count(req["color"]) < count:
                ok = False
                reasons.append(f"expected {req['color']} {cls}>={count}, found colours {', '.join(colours)}")
        if ok and "position" in req:
            rel, target = req["position"]
            if groups[target] is None:
                ok = False
                reasons.append(f"no target for {cls} to be {rel}")
            else:
                for box in found:
                    bad = [t for t in groups[target] if rel not in relative_position(box, t)]
                    if bad:
                        ok = False
                        got = relative_position(box, bad[0])
                        reasons.append(f"expected {cls} {rel} target, found {' and '.join(sorted(got)) or 'no side'}")
                        break
        groups.append(found if ok else None)
    for req in metadata.get("exclude", []):
        n = len(detections.get(req["class"], []))
        if n >= req["count"]:
            reasons.append(f"expected {req['class']}<{req['count']}, found {n}")
    return not reasons, reasons


def _iou(a: Box, b: Box) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def _keep(dets: list[tuple[Box, float]], threshold: float, nms: float | None) -> list[tuple[Box, float]]:
    dets = sorted((d for d in dets if d[1] > threshold), key=lambda d: -d[1])[:MAX_OBJECTS]
    if nms is None:
        return dets
    kept: list[tuple[Box, float]] = []
    for d in dets:
        if all(_iou(d[0], k[0]) < nms for k in kept):
            kept.append(d)
    return kept


class Detector:
    """Boxes per class name from a transformers detector.

    Zero-shot models (``AutoModelForZeroShotObjectDetection``: OWL-ViT, OWLv2, Grounding DINO) are asked
    for "a photo of a {class}"; closed-set ones (``AutoModelForObjectDetection``: DETR, ...) keep the boxes
    whose label is the class.  ``detect`` returns every (box, score) per class, unthresholded.
    """

    def __init__(self, model, processor, *, device: str | None = None, name: str | None = None):
        require("torch")
        self.model = model.eval()
        self.processor = processor
        self.device = device or next(model.parameters()).device.type
        self.name = name or getattr(model.config, "_name_or_path", "") or type(model).__name__
        self.zero_shot = "ForObjectDetection" in type(model).__name__ and hasattr(model.config, "text_config")
        self.nms = 0.5 if self.zero_shot else None

    def detect(self, image, classes: Sequence[str]) -> dict[str, list[tuple[Box, float]]]:
        (torch,) = require("torch")
        image = image.convert("RGB")
        w, h = image.size
        dtype = next(self.model.parameters()).dtype
        with torch.inference_mode():
            if self.zero_shot:
                texts = [[f"a photo of a {c}" for c in classes]]
                enc = self.processor(text=texts, images=[image], return_tensors="pt", padding="max_length"
                                     if getattr(self.model.config, "model_type", "").startswith("owl") else True)
                enc = {k: (v.to(self.device, dtype) if v.is_floating_point() else v.to(self.device)) for k, v in enc.items()}
                out = self.model(**enc)
                scores = out.logits[0].float().sigmoid()            # (boxes, classes)
            else:
                enc = self.processor(images=[image], return_tensors="pt")
                out = self.model(pixel_values=enc["pixel_values"].to(self.device, dtype))
                probs = out.logits[0].float().softmax(-1)[:, :-1]   # last column: "no object"
                id2label = {i: str(n).lower() for i, n in self.model.config.id2label.items()}
                cols = [[i for i, n in id2label.items() if n == c.lower()] for c in classes]
                scores = torch.stack([probs[:, c].max(-1).values if c else torch.zeros(probs.shape[0])
                                      for c in cols], dim=-1)
            boxes = out.pred_boxes[0].float().cpu()                  # (cx, cy, w, h), relative
        # OWLv2 pads images to a square before resizing: its relative boxes are fractions of the longer side
        sx, sy = (max(w, h), max(w, h)) if getattr(self.model.config, "model_type", "") == "owlv2" else (w, h)
        xyxy = [((cx - bw / 2) * sx, (cy - bh / 2) * sy, (cx + bw / 2) * sx, (cy + bh / 2) * sy)
                for cx, cy, bw, bh in boxes.tolist()]
        sc = scores.cpu().tolist()
        return {c: [(xyxy[i], sc[i][j]) for i in range(len(xyxy))] for j, c in enumerate(classes)}

    def detections(self, image, classes: Sequence[str], threshold: float) -> dict[str, list[tuple[Box, float]]]:
        """Per class, the boxes above ``threshold``, most confident first (at most 16), merged by NMS if zero-shot."""
        raw = self.detect(image, classes)
        return {c: kept for c, d in raw.items() if (kept := _keep(d, threshold, self.nms))}


def load_detector(model: str, *, device: str | None = "auto", dtype: str | None = "auto") -> Detector:
    """A :class:`Detector` from a hub id or folder (``google/owlv2-base-patch16-ensemble``, ``facebook/detr-resnet-50``)."""
    torch, transformers = require("torch", "transformers")
    device = resolve_device(device)
    try:
        processor = transformers.AutoProcessor.from_pretrained(model)
        try:
            net = transformers.AutoModelForZeroShotObjectDetection.from_pretrained(model, dtype=resolve_dtype(dtype, device))
        except ValueError:
            net = transformers.AutoModelForObjectDetection.from_pretrained(model, dtype=resolve_dtype(dtype, device))
    except (OSError, ValueError) as exc:
        raise VisionError(f"cannot load detector {model!r}: {exc}") from exc
    return Detector(net.to(device), processor, device=device, name=model)


class ColourClassifier:
    """CLIP zero-shot colour of box crops: the colour whose prompts ("a photo of a {colour} {class}", ...) match best."""

    TEMPLATES = ("a photo of a {c} {cls}", "a photo of a {c}-colored {cls}", "a photo of a {c} object")

    def __init__(self, clip):
        self.clip = clip

    def __call__(self, image, cls: str, boxes: Sequence[Box]) -> list[str]:
        crops = [image.crop(tuple(int(round(v)) for v in box)) if box[2] - box[0] >= 1 and box[3] - box[1] >= 1
                 else image for box in boxes]
        out = []
        for crop in crops:
            texts = [t.format(c=c, cls=cls) for c in COLORS for t in self.TEMPLATES]
            cos = self.clip.cosines([crop] * len(texts), texts)
            per = [sum(cos[i * len(self.TEMPLATES):(i + 1) * len(self.TEMPLATES)]) for i in range(len(COLORS))]
            out.append(COLORS[max(range(len(COLORS)), key=per.__getitem__)])
        return out


def evaluate_geneval(images: Sequence, metadata: dict, detector: Detector, colour: ColourClassifier | None = None,
                     *, threshold: float = THRESHOLD, counting_threshold: float = COUNTING_THRESHOLD) -> list[dict]:
    """Check each image of one prompt: ``[{"correct", "reasons", "detections"}]``."""
    classes = sorted({r["class"] for r in metadata.get("include", []) + list(metadata.get("exclude") or [])})
    limit = counting_threshold if metadata.get("tag") == "counting" else threshold
    results = []
    for image in images:
        dets = detector.detections(image, classes, limit)
        colour_of = (lambda cls, boxes, im=image: colour(im, cls, boxes)) if colour is not None else None
        ok, reasons = check(metadata, dets, colour_of)
        results.append({"correct": ok, "reasons": reasons,
                        "detections": {c: [[round(v, 1) for v in b] + [round(s, 4)] for b, s in d] for c, d in dets.items()}})
    return results


def geneval_summary(per_image: Sequence[tuple[str, bool]]) -> dict:
    """Accuracy per tag and overall (the mean over tags, as GenEval reports it) from (tag, correct) pairs.

    Examples
    --------
    >>> geneval_summary([("counting", True), ("counting", False), ("colors", True)])["overall"]
    0.75
    """
    by_tag: dict[str, list[bool]] = {}
    for tag, ok in per_image:
        by_tag.setdefault(tag, []).append(bool(ok))
    tags = {t: sum(v) / len(v) for t, v in sorted(by_tag.items())}
    return {"overall": sum(tags.values()) / len(tags) if tags else float("nan"), "tags": tags,
            "images": len(per_image)}
