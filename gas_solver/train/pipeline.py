"""An autoregressive image-token model as a text-to-image pipeline, so ``gas generate`` / ``gas eval`` can run it.

A GRPO policy (or any SimpleAR / Emu3-style LM over VQ codes) turns a prompt into ``h × w`` code tokens,
and a decoder (:mod:`gas_solver.train.decoders`) turns the codes into an image.  :class:`ImageTokenPipeline`
does both behind the call a diffusers pipeline answers (``pipe(prompt=[...], generator=[...]).images``),
so the generation code (per-item seeds, resume, layout) and the evaluation code run it unchanged.

Each prompt is sampled on its own, under its own generator's seed: an image does not depend on its batch
(as in ``gas generate``), at the price of batching.

Examples
--------
>>> pipe = ImageTokenPipeline.from_pretrained("run/final", decoder="mypkg.cosmos:make_decode",
...                                           image_tokens="151665:64000", grid=(32, 32))   # doctest: +SKIP
>>> evaluate("dpg_bench.csv", "eval-grpo", pipeline=pipe, vqa="Qwen/Qwen2.5-VL-7B-Instruct")  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Callable

from ..vision.extra import VisionError, require, resolve_device

__all__ = ["ImageTokenPipeline"]


class ImageTokenPipeline:
    """Prompt → image tokens (sampled, restricted to the codes) → decoder → PIL images.

    Parameters
    ----------
    model, tokenizer
        A causal LM whose vocabulary holds the image codes, and its tokenizer.
    decoder : TokenGridDecoder
        Maps completion ids to images; its ``code_of`` names the image tokens and its ``grid`` the length.
    template : str
        The prompt around the caption (``{caption}``), as in training.
    temperature, top_k
        Sampling settings of ``generate``.
    """

    def __init__(self, model, tokenizer, decoder, *, template: str = "{caption} <boi>", temperature: float = 1.0,
                 top_k: int | None = None, device: str | None = None):
        (torch,) = require("torch")
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.decoder = decoder
        self.template = template
        self.temperature = temperature
        self.top_k = top_k
        self.device = device or next(model.parameters()).device.type
        vocab = model.get_output_embeddings().weight.shape[0]
        self.suppress = [i for i in range(vocab) if i not in decoder.code_of]
        if len(self.suppress) == vocab:
            raise VisionError("none of the decoder's image tokens is in the model's vocabulary")

    def __call__(self, prompt, generator: list | None = None, num_images_per_prompt: int = 1,
                 output_type: str = "pil") -> SimpleNamespace:
        (torch,) = require("torch")
        prompts = [prompt] if isinstance(prompt, str) else list(prompt)
        n = self.decoder.tokens
        pad = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else self.tokenizer.eos_token_id
        images = []
        for i, text in enumerate(prompts):
            seed = generator[i].initial_seed() if generator else 0
            enc = self.tokenizer(self.template.format(caption=text), return_tensors="pt").to(self.device)
            for _ in range(num_images_per_prompt):
                with torch.random.fork_rng(devices=[torch.cuda.current_device()] if self.device.startswith("cuda") else []):
                    torch.manual_seed(seed)
                    with torch.inference_mode():
                        out = self.model.generate(**enc, do_sample=True, temperature=self.temperature, top_k=self.top_k,
                                                  max_new_tokens=n, min_new_tokens=n, suppress_tokens=self.suppress,
                                                  pad_token_id=pad)
                images.append(self.decoder([out[0, enc["input_ids"].shape[1]:].tolist()])[0])
                seed += 1
        return SimpleNamespace(images=images)

    @classmethod
    def from_pretrained(cls, model: str, *, decoder: str | Callable = "palette", image_tokens: str | None = None,
                        grid: tuple[int, int] = (8, 8), image_size: int = 256, template: str = "{caption} <boi>",
                        device: str | None = "auto", dtype: str | None = "auto", **kw) -> "ImageTokenPipeline":
        """Load a causal LM folder or hub id; a ``gas train grpo`` ``final/`` folder with a LoRA adapter loads
        its base model and applies the adapter."""
        torch, transformers = require("torch", "transformers")
        from ..vision.extra import resolve_dtype
        from .decoders import TokenGridDecoder, image_token_ids, load_decoder

        device = resolve_device(device)
        torch_dtype = resolve_dtype(dtype, device)
        try:
            tokenizer = transformers.AutoTokenizer.from_pretrained(model)
            if (Path(model) / "adapter_config.json").exists():
                (peft,) = require("peft")
                net = peft.AutoPeftModelForCausalLM.from_pretrained(model, dtype=torch_dtype).merge_and_unload()
            else:
                net = transformers.AutoModelForCausalLM.from_pretrained(model, dtype=torch_dtype)
        except (OSError, ValueError) as exc:
            raise VisionError(f"cannot load the image-token model {model!r}: {exc}") from exc
        code_of = image_token_ids(tokenizer, image_tokens)
        dec = decoder if isinstance(decoder, TokenGridDecoder) else load_decoder(decoder, code_of, grid,
                                                                                  image_size=image_size)
        return cls(net.to(device), tokenizer, dec, template=template, device=device, **kw)
