"""Converting pipeline outputs to PIL frames, writing them, and reading them back for scoring.

Images are PNG; videos are an animated GIF (always: Pillow only) plus an MP4
(``export_to_video``, needs imageio-ffmpeg or OpenCV) and/or lossless PNG
frames on request; 3D outputs are PNG views around the object, a GIF
turntable and a PLY mesh.  Every file is written under a temporary name and
renamed, so a killed run leaves no half-written output.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Sequence

from .rows import atomic_write_bytes

__all__ = ["to_pil_frames", "png_bytes", "gif_bytes", "write_png", "write_gif", "load_media", "sample_indices"]


def to_pil_frames(x: Any) -> list:
    """A list of PIL images from a PIL image, a list of them, an (F,H,W,C)/(H,W,C) array or tensor in [0, 1] or uint8."""
    from PIL import Image
    import numpy as np

    if isinstance(x, Image.Image):
        return [x]
    if isinstance(x, (list, tuple)):
        out = []
        for item in x:
            out.extend(to_pil_frames(item))
        return out
    if hasattr(x, "detach"):  # torch tensor; (F,C,H,W) channel-first
        x = x.detach().float().cpu().numpy()
        if x.ndim >= 3 and x.shape[-3] in (1, 3, 4) and x.shape[-1] not in (1, 3, 4):
            x = np.moveaxis(x, -3, -1)
    arr = np.asarray(x)
    if arr.ndim == 3:
        arr = arr[None]
    if arr.dtype != np.uint8:
        arr = (np.clip(arr, 0.0, 1.0) * 255).round().astype(np.uint8)
    if arr.shape[-1] == 1:
        arr = arr[..., 0]
    return [Image.fromarray(a) for a in arr]


def png_bytes(image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def gif_bytes(frames: Sequence, fps: int) -> bytes:
    buf = io.BytesIO()
    frames = [f.convert("RGB") for f in frames]
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:], duration=max(1, round(1000 / fps)),
                   loop=0, optimize=False)
    return buf.getvalue()


def write_png(path: Path, image) -> None:
    atomic_write_bytes(path, png_bytes(image))


def write_gif(path: Path, frames: Sequence, fps: int) -> None:
    atomic_write_bytes(path, gif_bytes(frames, fps))


def sample_indices(n: int, k: int) -> list[int]:
    """``k`` evenly spaced indices in ``range(n)`` (all of them when ``n <= k``), centred in their bins.

    Examples
    --------
    >>> sample_indices(16, 4)
    [2, 6, 10, 14]
    >>> sample_indices(3, 8)
    [0, 1, 2]
    """
    if n <= k:
        return list(range(n))
    return [int((i + 0.5) * n / k) for i in range(k)]


def _gif_frames(path: Path) -> list:
    from PIL import Image, ImageSequence

    with Image.open(path) as im:
        return [f.convert("RGB") for f in ImageSequence.Iterator(im)]


def load_media(root: Path, output: dict, *, max_frames: int = 8) -> list:
    """The PIL images a VQA model looks at for one output entry of an index line.

    An image gives itself; a video gives ``max_frames`` evenly spaced frames
    (from its PNG frames when saved, else from its GIF); a 3D output gives its
    rendered views (evenly spaced, at most ``max_frames``).
    """
    from PIL import Image

    def _open(rel: str):
        with Image.open(root / rel) as im:
            return im.convert("RGB")

    if "image" in output:
        return [_open(output["image"])]
    if output.get("frames"):
        paths = output["frames"]
        return [_open(paths[i]) for i in sample_indices(len(paths), max_frames)]
    if output.get("views"):
        paths = output["views"]
        return [_open(paths[i]) for i in sample_indices(len(paths), max_frames)]
    if output.get("gif"):
        frames = _gif_frames(root / output["gif"])
        return [frames[i] for i in sample_indices(len(frames), max_frames)]
    raise KeyError(f"output entry has no image, frames, views or gif: {sorted(output)}")
