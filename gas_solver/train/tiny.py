"""A tiny random autoregressive image-token model: a Llama over caption words and ``<img_N>`` code tokens.

The offline stand-in for SimpleAR-style policies (an LM whose completions are VQ codes): same classes as a
real checkpoint (``LlamaForCausalLM``, ``PreTrainedTokenizerFast``), ``save_pretrained`` round trips, and a
size that trains in milliseconds per step on one CPU thread.  ``width``/``layers`` scale it up for a GPU.

Examples
--------
>>> model, tok = tiny_image_token_lm(codebook=16)          # doctest: +SKIP
>>> tok.convert_tokens_to_ids("<img_0>") > 0               # doctest: +SKIP
True
"""

from __future__ import annotations

from typing import Iterable

from ..vision.extra import require

__all__ = ["tiny_image_token_lm", "SPECIALS", "BOI"]

SPECIALS = ("<pad>", "<unk>", "<s>", "</s>")
BOI = "<boi>"  # begin-of-image: prompts end with it, completions are image tokens


def tiny_image_token_lm(words: Iterable[str] = (), *, codebook: int = 64, width: int = 32, layers: int = 2,
                        heads: int = 4, seed: int = 0, max_positions: int = 2048):
    """(``LlamaForCausalLM``, ``PreTrainedTokenizerFast``) over ``words`` + ``<boi>`` + ``codebook`` image tokens.

    The tokenizer is word-level (whitespace split, lower case); unknown words map to ``<unk>``.  Prompts are
    plain text ending in ``<boi>``; pass ``width=1024, layers=24`` for a SimpleAR-0.5B-sized model.
    """
    torch, transformers, tokenizers = require("torch", "transformers", "tokenizers")

    torch.manual_seed(seed)
    vocab: dict[str, int] = {}
    for w in (*SPECIALS, BOI, *(w.lower() for w in words), *(f"<img_{i}>" for i in range(codebook))):
        vocab.setdefault(w, len(vocab))
    core = tokenizers.Tokenizer(tokenizers.models.WordLevel(vocab, unk_token="<unk>"))
    core.normalizer = tokenizers.normalizers.Lowercase()
    core.pre_tokenizer = tokenizers.pre_tokenizers.WhitespaceSplit()
    tok = transformers.PreTrainedTokenizerFast(tokenizer_object=core, pad_token="<pad>", unk_token="<unk>",
                                               bos_token="<s>", eos_token="</s>", padding_side="left")
    kv = max(1, heads // 2)
    cfg = transformers.LlamaConfig(
        vocab_size=len(vocab), hidden_size=width, intermediate_size=2 * width, num_hidden_layers=layers,
        num_attention_heads=heads, num_key_value_heads=kv, max_position_embeddings=max_positions,
        pad_token_id=vocab["<pad>"], bos_token_id=vocab["<s>"], eos_token_id=vocab["</s>"], tie_word_embeddings=True)
    model = transformers.LlamaForCausalLM(cfg)
    model.generation_config.pad_token_id = vocab["<pad>"]
    return model, tok
