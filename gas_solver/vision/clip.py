"""CLIP score: the baseline text–image metric, ``100 * max(cos(image, text), 0)`` (Hessel et al., 2021).

Captions longer than the text tower's window (77 tokens for CLIP) are
truncated, which is one reason question-based scores exist.
"""

from __future__ import annotations

from typing import Sequence

from .extra import VisionError, require, resolve_device, resolve_dtype

__all__ = ["ClipScorer", "load_clip"]


class ClipScorer:
    """Cosine similarity of CLIP image and text embeddings, batched.

    Examples
    --------
    >>> from gas_solver.vision.tiny import tiny_clip       # doctest: +SKIP
    >>> scorer = ClipScorer(*tiny_clip())                   # doctest: +SKIP
    >>> scorer.cosines([image], ["a red car"])              # doctest: +SKIP
    [0.03]
    """

    def __init__(self, model, processor, *, device: str | None = None, batch_size: int = 32, name: str | None = None):
        require("torch")
        self.model = model.eval()
        self.processor = processor
        self.device = device or next(model.parameters()).device.type
        self.batch_size = batch_size
        self.name = name or getattr(model.config, "_name_or_path", "") or type(model).__name__

    def cosines(self, images: Sequence, texts: Sequence[str], *, batch_size: int | None = None) -> list[float]:
        """Cosine of each (image, text) pair (equal-length lists)."""
        (torch,) = require("torch")
        if len(images) != len(texts):
            raise VisionError(f"{len(images)} images but {len(texts)} texts")
        size = batch_size or self.batch_size
        dtype = next(self.model.parameters()).dtype
        out: list[float] = []
        with torch.inference_mode():
            for start in range(0, len(images), size):
                enc = self.processor(images=list(images[start:start + size]), text=list(texts[start:start + size]),
                                     padding=True, truncation=True, return_tensors="pt")
                pixels = enc["pixel_values"].to(self.device, dtype)
                img = self.model.get_image_features(pixel_values=pixels)
                txt = self.model.get_text_features(input_ids=enc["input_ids"].to(self.device),
                                                   attention_mask=enc["attention_mask"].to(self.device))
                img = getattr(img, "pooler_output", img)
                txt = getattr(txt, "pooler_output", txt)
                cos = torch.nn.functional.cosine_similarity(img.float(), txt.float(), dim=-1)
                out.extend(cos.tolist())  # one device sync per batch
        return out

    def scores(self, images: Sequence, texts: Sequence[str], **kw) -> list[float]:
        """CLIP score of each pair: ``100 * max(cosine, 0)``."""
        return [100.0 * max(c, 0.0) for c in self.cosines(images, texts, **kw)]


def load_clip(model: str = "openai/clip-vit-large-patch14", *, device: str | None = "auto", dtype: str | None = "auto",
              batch_size: int = 32) -> ClipScorer:
    """A :class:`ClipScorer` from a hub id or folder.

    Examples
    --------
    >>> scorer = load_clip("openai/clip-vit-base-patch32")   # doctest: +SKIP
    """
    torch, transformers = require("torch", "transformers")
    device = resolve_device(device)
    try:
        net = transformers.CLIPModel.from_pretrained(model, dtype=resolve_dtype(dtype, device))
        processor = transformers.CLIPProcessor.from_pretrained(model)
    except (OSError, ValueError) as exc:
        raise VisionError(f"cannot load CLIP model {model!r}: {exc}") from exc
    return ClipScorer(net.to(device), processor, device=device, batch_size=batch_size, name=model)
