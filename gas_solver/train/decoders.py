"""Decoders from an image-token model's completion ids to images (the reward's view of a completion).

An autoregressive image model (SimpleAR, Emu3, LlamaGen-style) writes an image as a grid of VQ codes,
each code one token of the LM's vocabulary.  :class:`TokenGridDecoder` does the model-independent part:
pick the image tokens of each completion (dropping EOL, EOS and padding), map each to its code, lay the
codes out as an ``h × w`` grid (a short completion is padded with code 0, a long one cut), and hand the
grids to a *render* function, ``render(codes: LongTensor (B, h, w)) -> images`` (a VQ decoder such as
Cosmos, or Emu3's VQ-VAE), whose output is a (B, 3, H, W) tensor in [-1, 1] or a list of PIL images.

- :class:`PaletteDecoder`: render = one colour per code, each grid cell a block of pixels.  A stand-in
  for a VQ decoder in tests and toy tasks (an image whose colours the policy controls directly).
- :func:`load_decoder`: ``"palette"`` or ``"package.module:function"`` (a user's render function).

Examples
--------
>>> dec = PaletteDecoder(code_of={10 + c: c for c in range(4)}, grid=(2, 2), image_size=4)
>>> dec([[10, 11, 12, 13]])[0].size
(4, 4)
"""

from __future__ import annotations

import colorsys
import importlib
import re
from typing import Callable, Mapping, Sequence

from ..vision.extra import VisionError, require

__all__ = ["TokenGridDecoder", "PaletteDecoder", "load_decoder", "image_token_ids", "palette"]

#: token spellings recognised as image codes: ``<img_12>`` (gas tiny models), ``<|visual token000012|>`` (Emu3)
IMAGE_TOKEN_PATTERNS = (r"<img_(\d+)>", r"<\|visual token(\d+)\|>")


def image_token_ids(tokenizer, spec: str | None = None) -> dict[int, int]:
    """``{token id: code}`` of a tokenizer's image tokens.

    ``spec`` ``"FIRST:COUNT"`` names a contiguous block (SimpleAR: ``len(text tokenizer):64000``);
    without it, tokens spelled like ``<img_N>`` or ``<|visual tokenN|>`` are found in the vocabulary.

    Examples
    --------
    >>> image_token_ids(None, "100:3")
    {100: 0, 101: 1, 102: 2}
    """
    if spec:
        try:
            first, count = (int(x) for x in spec.split(":"))
        except ValueError:
            raise VisionError(f"--image-tokens {spec!r}: expected FIRST:COUNT, e.g. 151665:64000") from None
        if first < 0 or count < 1:
            raise VisionError(f"--image-tokens {spec!r}: FIRST must be >= 0 and COUNT >= 1")
        return {first + c: c for c in range(count)}
    found: dict[int, int] = {}
    for token, tid in tokenizer.get_vocab().items():
        for pattern in IMAGE_TOKEN_PATTERNS:
            m = re.fullmatch(pattern, token)
            if m:
                found[tid] = int(m.group(1))
    if not found:
        raise VisionError("the tokenizer has no tokens like <img_N> or <|visual tokenN|>; "
                          "name the image-token block with --image-tokens FIRST:COUNT")
    return dict(sorted(found.items()))


def palette(n: int) -> list[tuple[int, int, int]]:
    """``n`` distinct RGB colours: hues around the wheel at three brightness levels.

    Examples
    --------
    >>> palette(3)[0]
    (255, 0, 0)
    """
    out = []
    levels = (1.0, 0.6, 0.3)
    per = max(1, -(-n // len(levels)))
    for i in range(n):
        v = levels[(i // per) % len(levels)]
        r, g, b = colorsys.hsv_to_rgb((i % per) / per, 1.0, v)
        out.append((round(r * 255), round(g * 255), round(b * 255)))
    return out


class TokenGridDecoder:
    """Completion ids → code grids → images through ``render``.

    Parameters
    ----------
    code_of : mapping
        ``{token id: code}`` (see :func:`image_token_ids`); other ids are dropped.
    grid : (h, w)
        Codes per image (a completion's first ``h * w`` image tokens).
    render : callable
        ``render(codes LongTensor (B, h, w)) -> (B, 3, H, W) tensor in [-1, 1] | list of PIL images``.
    """

    def __init__(self, code_of: Mapping[int, int], grid: tuple[int, int], render: Callable):
        if not code_of:
            raise VisionError("no image tokens to decode")
        self.code_of = dict(code_of)
        self.grid = (int(grid[0]), int(grid[1]))
        self.render = render
        self.tokens = self.grid[0] * self.grid[1]

    def codes(self, completion_ids: Sequence[Sequence[int]]):
        """(B, h, w) LongTensor of codes."""
        (torch,) = require("torch")
        rows = []
        for ids in completion_ids:
            ids = ids.tolist() if hasattr(ids, "tolist") else ids
            codes = [self.code_of[t] for t in ids if t in self.code_of][: self.tokens]
            rows.append(codes + [0] * (self.tokens - len(codes)))
        return torch.tensor(rows, dtype=torch.long).view(len(rows), *self.grid)

    def __call__(self, completion_ids: Sequence[Sequence[int]]) -> list:
        from ..vision.media import to_pil_frames

        out = self.render(self.codes(completion_ids))
        if hasattr(out, "detach"):  # (B, 3, H, W) in [-1, 1], as VQ decoders give
            out = ((out.detach().float().clamp(-1, 1) + 1) / 2).permute(0, 2, 3, 1).cpu().numpy()  # (B, H, W, 3)
            return [to_pil_frames(x)[0] for x in out]
        return list(out)


class PaletteDecoder(TokenGridDecoder):
    """Each code is a colour of :func:`palette`; each grid cell a square block of ``image_size / w`` pixels.

    Examples
    --------
    >>> dec = PaletteDecoder(code_of={5: 0, 6: 1}, grid=(1, 2), image_size=2)
    >>> dec([[5, 6]])[0].getpixel((0, 0)), dec([[5, 6]])[0].getpixel((1, 0))
    ((255, 0, 0), (153, 0, 0))
    """

    def __init__(self, code_of: Mapping[int, int], grid: tuple[int, int] = (8, 8), image_size: int = 32):
        n = max(code_of.values()) + 1 if code_of else 0
        self.colours = palette(n)
        self.image_size = image_size
        super().__init__(code_of, grid, self._paint)

    def _paint(self, codes) -> list:
        import numpy as np
        from PIL import Image

        table = np.asarray(self.colours, dtype=np.uint8)
        out = []
        for grid in codes.cpu().numpy():
            small = Image.fromarray(table[grid])
            out.append(small.resize((self.image_size, self.image_size), Image.NEAREST))
        return out


def load_decoder(spec: str, code_of: Mapping[int, int], grid: tuple[int, int], *, image_size: int = 256) -> TokenGridDecoder:
    """A decoder from a CLI spec: ``"palette"`` or ``"module:function"`` (a render function, see :class:`TokenGridDecoder`).

    A ``module:function`` that takes a ``grid`` keyword gets ``grid=(h, w)`` too; one whose name starts with
    ``make_`` is called once with ``grid=`` and must return the render function (for loading weights once).

    Examples
    --------
    >>> load_decoder("palette", {1: 0}, (1, 1), image_size=8).image_size
    8
    """
    if spec == "palette":
        return PaletteDecoder(code_of, grid, image_size=image_size)
    if ":" not in spec:
        raise VisionError(f"--decoder {spec!r}: expected 'palette' or 'package.module:function'")
    module_name, func_name = spec.split(":", 1)
    try:
        func = getattr(importlib.import_module(module_name), func_name)
    except (ImportError, AttributeError) as exc:
        raise VisionError(f"--decoder {spec!r}: cannot import it ({exc})") from exc
    if func_name.startswith("make_"):
        func = func(grid=grid)
    return TokenGridDecoder(code_of, grid, func)
