"""The optional ``gpu`` extra: importing it on demand, devices and dtypes.

Nothing here imports torch at module level; :func:`require` does, and turns a
missing package into :class:`MissingExtra` naming the install command.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

from ..errors import GasError

__all__ = ["MissingExtra", "VisionError", "require", "resolve_device", "resolve_dtype", "DTYPES"]

INSTALL_HINT = "pip install gas-solver[gpu]"
DTYPES = ("auto", "fp32", "fp16", "bf16")


class VisionError(GasError):
    """A generation or scoring run cannot go on (bad model, bad output folder, bad option)."""


class MissingExtra(VisionError):
    """A package of the ``gpu`` extra (torch, diffusers, transformers, ...) is not installed."""


def require(*names: str) -> tuple[ModuleType, ...]:
    """Import the named packages of the ``gpu`` extra, or fail with the install command.

    Parameters
    ----------
    names : str
        Top-level package names, e.g. ``"torch"``, ``"diffusers"``.

    Returns
    -------
    tuple of module

    Raises
    ------
    MissingExtra
        If one is missing; the message says ``pip install gas-solver[gpu]``.

    Examples
    --------
    >>> (math,) = require("math")
    >>> math.sqrt(4.0)
    2.0
    """
    # Quieter and fail-fast imports of the Hugging Face stack: tokenizer threads
    # fight with torch's on small machines, and telemetry needs the network.
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    modules = []
    for name in names:
        try:
            modules.append(importlib.import_module(name))
        except ImportError as exc:
            raise MissingExtra(
                f"{name} is not installed ({exc}); generation and scoring need the gpu extra: {INSTALL_HINT}"
            ) from exc
    return tuple(modules)


def resolve_device(device: str | None = None) -> str:
    """``"auto"``/``None`` → ``"cuda"`` when available, else ``"mps"``, else ``"cpu"``; other names pass through.

    Examples
    --------
    >>> resolve_device("cpu")
    'cpu'
    """
    if device not in (None, "auto"):
        return device
    (torch,) = require("torch")
    if torch.cuda.is_available():
        return "cuda"
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def resolve_dtype(dtype: str | None, device: str):
    """Map ``auto|fp32|fp16|bf16`` to a torch dtype; ``auto`` is fp16 on accelerators, fp32 on CPU.

    Examples
    --------
    >>> str(resolve_dtype("bf16", "cpu"))
    'torch.bfloat16'
    """
    (torch,) = require("torch")
    name = dtype or "auto"
    if name == "auto":
        name = "fp32" if device == "cpu" else "fp16"
    table = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}
    if name not in table:
        raise VisionError(f"unknown dtype {dtype!r}; expected one of {', '.join(DTYPES)}")
    return table[name]
