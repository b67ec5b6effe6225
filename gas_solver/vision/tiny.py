"""Tiny randomly initialised models built from configs in memory: no download, no files.

They exercise exactly the code paths of real checkpoints (same classes, same
processors, ``save_pretrained``/``from_pretrained`` round trips) at a size that
runs in milliseconds on one CPU thread.  Tests, the device benchmark and the
training module use them; ``width`` scales them up so a GPU has real work.

Every builder seeds torch itself (``seed``), so two calls give equal weights.

Examples
--------
>>> pipe = tiny_sd_pipeline()            # doctest: +SKIP
>>> vqa = tiny_blip_vqa()                # doctest: +SKIP
"""

from __future__ import annotations

from .extra import require

__all__ = [
    "tiny_clip_tokenizer",
    "tiny_sd_pipeline",
    "tiny_video_pipeline",
    "tiny_shap_e_pipeline",
    "tiny_blip_vqa",
    "tiny_vlm",
    "tiny_qwen2_vl",
    "tiny_clip",
    "tiny_lora",
    "tiny_owlvit",
    "tiny_detr",
    "WORDS",
]

# Words the word-level test tokenizers know as single tokens (answers and choices of test questions).
WORDS = ("yes", "no", "Yes", "No", "red", "blue", "green", "yellow", "black", "white", "wooden", "metal", "big", "small",
         "dog", "cat", "car", "apple", "table", "tree", "on", "under", "next", "to", "riding", "the", "a", "is", "are",
         "there", "what", "colour", "color", "of", "how", "many", "one", "two", "three", "four", "0", "1", "2", "3", "4")


def _bytes_to_unicode() -> dict[int, str]:
    """GPT-2's reversible byte → printable-character table (byte-level BPE alphabets)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def _word_merges(words, suffix: str = "", prefix: str = "") -> tuple[list[str], list[tuple[str, str]]]:
    """BPE merges (and the tokens they create) that turn each word into a single token, left to right."""
    tokens, merges = [], []
    for w in words:
        chars = list(prefix + w)
        if suffix:
            chars[-1] += suffix
        cur = chars[0]
        for c in chars[1:]:
            merges.append((cur, c))
            cur = cur + c
            tokens.append(cur)
    # dedupe keeping order
    seen, m2 = set(), []
    for m in merges:
        if m not in seen:
            seen.add(m)
            m2.append(m)
    return list(dict.fromkeys(tokens)), m2


def tiny_clip_tokenizer(max_length: int = 77):
    """A byte-level CLIP BPE tokenizer with whole-word merges for :data:`WORDS` (about 700 entries)."""
    (transformers,) = require("transformers")
    table = list(_bytes_to_unicode().values())
    vocab = {"<|startoftext|>": 0, "<|endoftext|>": 1}
    for c in table:
        vocab.setdefault(c, len(vocab))
    for c in table:
        vocab.setdefault(c + "</w>", len(vocab))
    tokens, merges = _word_merges(WORDS, suffix="</w>")
    for t in tokens:
        vocab.setdefault(t, len(vocab))
    return transformers.CLIPTokenizer(vocab=vocab, merges=merges, model_max_length=max_length)


def tiny_sd_pipeline(width: int = 16, seed: int = 0, sample_size: int = 8, text_width: int = 32, layers: int = 1):
    """A Stable Diffusion v1.5-layout pipeline (UNet, VAE with scale factor 8, CLIP text encoder, DDIM).

    ``width`` is the first UNet level's channels (levels: w, w, 2w, 2w); 16 gives about 0.4 M parameters,
    320 is SD 1.5's real width.  ``sample_size`` latents → ``8 * sample_size`` pixel images.
    """
    torch, diffusers, transformers = require("torch", "diffusers", "transformers")
    torch.manual_seed(seed)
    tok = tiny_clip_tokenizer()
    heads = max(1, text_width // 8)
    text_encoder = transformers.CLIPTextModel(transformers.CLIPTextConfig(
        vocab_size=len(tok), hidden_size=text_width, intermediate_size=text_width * 2, num_attention_heads=heads,
        num_hidden_layers=2, max_position_embeddings=77, bos_token_id=0, eos_token_id=1, pad_token_id=1))
    groups = 8 if width % 8 == 0 else 4
    unet = diffusers.UNet2DConditionModel(
        block_out_channels=(width, width, 2 * width, 2 * width), layers_per_block=layers, norm_num_groups=groups,
        attention_head_dim=max(4, width // 8), cross_attention_dim=text_width, sample_size=sample_size,
        down_block_types=("CrossAttnDownBlock2D",) * 3 + ("DownBlock2D",),
        up_block_types=("UpBlock2D",) + ("CrossAttnUpBlock2D",) * 3, in_channels=4, out_channels=4)
    vae = diffusers.AutoencoderKL(
        block_out_channels=(8, 8, 16, 16), norm_num_groups=8, latent_channels=4,
        down_block_types=("DownEncoderBlock2D",) * 4, up_block_types=("UpDecoderBlock2D",) * 4,
        in_channels=3, out_channels=3, sample_size=8 * sample_size)
    scheduler = diffusers.DDIMScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                                        clip_sample=False, set_alpha_to_one=False, steps_offset=1)
    pipe = diffusers.StableDiffusionPipeline(
        vae=vae, text_encoder=text_encoder, tokenizer=tok, unet=unet, scheduler=scheduler, safety_checker=None,
        feature_extractor=None, image_encoder=None, requires_safety_checker=False)
    pipe.set_progress_bar_config(disable=True)
    return pipe


def tiny_video_pipeline(seed: int = 0):
    """A ModelScope-layout text-to-video pipeline (``TextToVideoSDPipeline``: 3D UNet, VAE, CLIP text encoder)."""
    torch, diffusers, transformers = require("torch", "diffusers", "transformers")
    from diffusers.pipelines.deprecated.text_to_video_synthesis import TextToVideoSDPipeline

    torch.manual_seed(seed)
    tok = tiny_clip_tokenizer()
    text_encoder = transformers.CLIPTextModel(transformers.CLIPTextConfig(
        vocab_size=len(tok), hidden_size=32, intermediate_size=37, num_attention_heads=4, num_hidden_layers=2,
        max_position_embeddings=77, bos_token_id=0, eos_token_id=1, pad_token_id=1))
    unet = diffusers.UNet3DConditionModel(
        block_out_channels=(16, 32), layers_per_block=1, norm_num_groups=8, attention_head_dim=4, cross_attention_dim=32,
        sample_size=8, down_block_types=("CrossAttnDownBlock3D", "DownBlock3D"),
        up_block_types=("UpBlock3D", "CrossAttnUpBlock3D"), in_channels=4, out_channels=4)
    vae = diffusers.AutoencoderKL(
        block_out_channels=(8, 16), norm_num_groups=8, latent_channels=4,
        down_block_types=("DownEncoderBlock2D",) * 2, up_block_types=("UpDecoderBlock2D",) * 2,
        in_channels=3, out_channels=3, sample_size=16)
    scheduler = diffusers.DDIMScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                                        clip_sample=False, set_alpha_to_one=False, steps_offset=1)
    pipe = TextToVideoSDPipeline(vae=vae, text_encoder=text_encoder, tokenizer=tok, unet=unet, scheduler=scheduler)
    pipe.set_progress_bar_config(disable=True)
    return pipe


def tiny_lora(pipe, path, rank: int = 4, seed: int = 1, scale: float = 0.5):
    """Write a LoRA adapter for ``pipe``'s UNet with random (non-zero) weights to ``path``; returns ``path``.

    The pipeline itself is left unchanged (the adapter is removed after saving).
    """
    torch, peft = require("torch", "peft")
    from diffusers.utils import convert_state_dict_to_diffusers

    unet = pipe.unet
    unet.add_adapter(peft.LoraConfig(r=rank, lora_alpha=rank, init_lora_weights="gaussian",
                                     target_modules=["to_k", "to_q", "to_v", "to_out.0"]), adapter_name="tiny")
    gen = torch.Generator("cpu").manual_seed(seed)
    with torch.no_grad():
        for name, p in unet.named_parameters():
            if "lora_B" in name:  # gaussian init leaves B at zero: the adapter would do nothing
                p.copy_(torch.randn(p.shape, generator=gen) * scale)
    layers = convert_state_dict_to_diffusers(peft.get_peft_model_state_dict(unet, adapter_name="tiny"))
    type(pipe).save_lora_weights(str(path), unet_lora_layers=layers, safe_serialization=True)
    unet.delete_adapters("tiny")
    return path


def _bert_tokenizer(transformers):
    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "?", ".", ",", ":"]
    words += [w.lower() for w in WORDS]
    words += list("abcdefghijklmnopqrstuvwxyz")
    vocab = {w: i for i, w in enumerate(dict.fromkeys(words))}
    return transformers.BertTokenizer(vocab=vocab, do_lower_case=True)


def tiny_blip_vqa(width: int = 32, seed: int = 0, image_size: int = 32, layers: int = 2, patch_size: int = 8):
    """A BLIP VQA model (``BlipForQuestionAnswering``) and its ``BlipProcessor``."""
    torch, transformers = require("torch", "transformers")
    from transformers.models.blip import BlipImageProcessorPil

    torch.manual_seed(seed)
    tok = _bert_tokenizer(transformers)
    heads = max(1, width // 8)
    text = dict(vocab_size=len(tok) + 2, hidden_size=width, num_hidden_layers=layers, num_attention_heads=heads,
                intermediate_size=2 * width, encoder_hidden_size=width, pad_token_id=0, sep_token_id=3,
                bos_token_id=len(tok), max_position_embeddings=64)
    # BlipVisionConfig's default initializer_range is 1e-10: every image would embed alike
    vision = dict(hidden_size=width, num_hidden_layers=layers, num_attention_heads=heads, intermediate_size=2 * width,
                  image_size=image_size, patch_size=patch_size, initializer_range=0.02)
    model = transformers.BlipForQuestionAnswering(
        transformers.BlipConfig(text_config=text, vision_config=vision, projection_dim=width)).eval()
    processor = transformers.BlipProcessor(
        image_processor=BlipImageProcessorPil(size={"height": image_size, "width": image_size}), tokenizer=tok)
    return model, processor


_CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{% for c in m['content'] %}"
    "{% if c['type'] == 'image' %}<image>{% else %}{{ c['text'] }}{% endif %}{% endfor %}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")


def tiny_vlm(width: int = 32, seed: int = 0, image_size: int = 32, layers: int = 2, patch_size: int = 8):
    """A LLaVA-layout vision-language model (CLIP vision tower + Qwen2 LM) with processor and chat template.

    It loads through ``AutoModelForImageTextToText`` / ``AutoProcessor`` like Qwen2-VL, SmolVLM or LLaVA
    checkpoints do.  (A tiny Qwen2-VL itself builds too, but its processor needs torchvision.)
    """
    torch, transformers = require("torch", "transformers")
    from transformers.models.clip import CLIPImageProcessorPil

    torch.manual_seed(seed)
    table = list(_bytes_to_unicode().values())
    vocab: dict[str, int] = {}
    for c in table:
        vocab.setdefault(c, len(vocab))
    g = _bytes_to_unicode()[ord(" ")]  # "Ġ": byte-level BPE marks a leading space
    tokens, merges = _word_merges(WORDS)
    # " yes" → "Ġ" + "yes" → "Ġyes": the word merges first, then the space marker joins it
    tokens2, merges2 = [g + w for w in WORDS], [(g, w) for w in WORDS]
    for t in tokens + tokens2:
        vocab.setdefault(t, len(vocab))
    tok = transformers.Qwen2Tokenizer(vocab=vocab, merges=merges + merges2)
    tok.add_special_tokens({"additional_special_tokens": ["<|im_start|>", "<|im_end|>", "<image>"],
                            "pad_token": "<|endoftext|>", "eos_token": "<|im_end|>"})
    tok.padding_side = "left"
    heads = max(2, width // 8)
    cfg = transformers.LlavaConfig(
        vision_config=transformers.CLIPVisionConfig(hidden_size=width, intermediate_size=2 * width, num_attention_heads=heads,
                                                    num_hidden_layers=layers, image_size=image_size,
                                                    patch_size=patch_size),
        text_config=transformers.Qwen2Config(vocab_size=len(tok), hidden_size=width, intermediate_size=2 * width,
                                             num_attention_heads=heads, num_key_value_heads=heads // 2,
                                             num_hidden_layers=layers, pad_token_id=tok.pad_token_id,
                                             eos_token_id=tok.eos_token_id, max_position_embeddings=1024),
        image_token_id=tok.convert_tokens_to_ids("<image>"), vision_feature_select_strategy="default",
        vision_feature_layer=-1)
    model = transformers.LlavaForConditionalGeneration(cfg).eval()
    processor = transformers.LlavaProcessor(
        image_processor=CLIPImageProcessorPil(size={"shortest_edge": image_size},
                                              crop_size={"height": image_size, "width": image_size}),
        tokenizer=tok, patch_size=patch_size, vision_feature_select_strategy="default", chat_template=_CHAT_TEMPLATE,
        num_additional_image_tokens=1)
    return model, processor


def tiny_clip(width: int = 32, seed: int = 0, image_size: int = 32, patch_size: int = 8):
    """A CLIP model (``CLIPModel``) and ``CLIPProcessor`` with the tiny CLIP tokenizer."""
    torch, transformers = require("torch", "transformers")
    from transformers.models.clip import CLIPImageProcessorPil

    torch.manual_seed(seed)
    tok = tiny_clip_tokenizer()
    heads = max(1, width // 8)
    cfg = transformers.CLIPConfig(
        text_config=dict(vocab_size=len(tok), hidden_size=width, intermediate_size=2 * width, num_attention_heads=heads,
                         num_hidden_layers=2, max_position_embeddings=77, bos_token_id=0, eos_token_id=1, pad_token_id=1),
        vision_config=dict(hidden_size=width, intermediate_size=2 * width, num_attention_heads=heads, num_hidden_layers=2,
                           image_size=image_size, patch_size=patch_size),
        projection_dim=16)
    model = transformers.CLIPModel(cfg).eval()
    processor = transformers.CLIPProcessor(
        image_processor=CLIPImageProcessorPil(size={"shortest_edge": image_size},
                                              crop_size={"height": image_size, "width": image_size}),
        tokenizer=tok)
    return model, processor


def tiny_shap_e_pipeline(seed: int = 0):
    """A Shap-E text-to-3D pipeline (prior transformer, CLIP text encoder with projection, NeRF/STF renderer)."""
    torch, diffusers, transformers = require("torch", "diffusers", "transformers")
    from diffusers.pipelines.shap_e import ShapERenderer

    torch.manual_seed(seed)
    tok = tiny_clip_tokenizer()
    text_encoder = transformers.CLIPTextModelWithProjection(transformers.CLIPTextConfig(
        vocab_size=len(tok), hidden_size=16, projection_dim=16, intermediate_size=37, num_attention_heads=4,
        num_hidden_layers=2, max_position_embeddings=77, bos_token_id=0, eos_token_id=1, pad_token_id=1))
    prior = diffusers.PriorTransformer(
        num_attention_heads=2, attention_head_dim=16, embedding_dim=16, num_embeddings=32, embedding_proj_dim=16,
        time_embed_dim=64, num_layers=1, clip_embed_dim=32, additional_embeddings=0, time_embed_act_fn="gelu",
        norm_in_type="layer", encoder_hid_proj_type=None, added_emb_type=None)
    renderer = ShapERenderer(param_shapes=((8, 93), (8, 8), (8, 8), (8, 8)), d_latent=16, d_hidden=8, n_output=12,
                             background=(0.1, 0.1, 0.1))
    scheduler = diffusers.HeunDiscreteScheduler(beta_schedule="exp", num_train_timesteps=1024, prediction_type="sample",
                                                use_karras_sigmas=True, clip_sample=True, clip_sample_range=1.0)
    pipe = diffusers.ShapEPipeline(prior=prior, text_encoder=text_encoder, tokenizer=tok, shap_e_renderer=renderer,
                                   scheduler=scheduler)
    pipe.set_progress_bar_config(disable=True)
    return pipe


_QWEN_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{% for c in m['content'] %}"
    "{% if c['type'] == 'image' %}<|vision_start|><|image_pad|><|vision_end|>{% else %}{{ c['text'] }}{% endif %}"
    "{% endfor %}<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")


def tiny_qwen2_vl(width: int = 32, seed: int = 0, layers: int = 2, pixels: int = 56 * 56):
    """A Qwen2-VL model (``Qwen2VLForConditionalGeneration``) and its ``Qwen2VLProcessor``.

    In transformers 5 the processor needs torchvision (its video processor); without it this raises
    :class:`~gas_solver.vision.extra.MissingExtra`.  ``width`` must be a multiple of 8 (4 heads, M-RoPE
    sections of head_dim / 2).
    """
    torch, transformers = require("torch", "transformers")
    from .extra import MissingExtra

    torch.manual_seed(seed)
    table = list(_bytes_to_unicode().values())
    vocab: dict[str, int] = {}
    for c in table:
        vocab.setdefault(c, len(vocab))
    g = _bytes_to_unicode()[ord(" ")]
    tokens, merges = _word_merges(WORDS)
    for t in tokens + [g + w for w in WORDS]:
        vocab.setdefault(t, len(vocab))
    tok = transformers.Qwen2Tokenizer(vocab=vocab, merges=merges + [(g, w) for w in WORDS])
    tok.add_special_tokens({"additional_special_tokens": ["<|im_start|>", "<|im_end|>", "<|vision_start|>",
                                                         "<|vision_end|>", "<|image_pad|>", "<|video_pad|>"],
                            "pad_token": "<|endoftext|>", "eos_token": "<|im_end|>"})
    ids = {t: tok.convert_tokens_to_ids(t) for t in ("<|image_pad|>", "<|video_pad|>", "<|vision_start|>", "<|vision_end|>")}
    half = width // 4 // 2  # head_dim / 2 with 4 heads
    cfg = transformers.Qwen2VLConfig(
        text_config=dict(vocab_size=len(tok), hidden_size=width, intermediate_size=2 * width, num_hidden_layers=layers,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=1024,
                         bos_token_id=None, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id,
                         rope_parameters={"rope_type": "default", "rope_theta": 1e4,
                                          "mrope_section": [half // 4, half // 4, half - 2 * (half // 4)]}),
        vision_config=dict(depth=2, embed_dim=width, hidden_size=width, num_heads=4, patch_size=14,
                           spatial_merge_size=2, temporal_patch_size=2, in_channels=3),
        image_token_id=ids["<|image_pad|>"], video_token_id=ids["<|video_pad|>"],
        vision_start_token_id=ids["<|vision_start|>"], vision_end_token_id=ids["<|vision_end|>"])
    model = transformers.Qwen2VLForConditionalGeneration(cfg).eval()
    try:
        from transformers.models.qwen2_vl import Qwen2VLImageProcessor, Qwen2VLVideoProcessor

        kw = dict(min_pixels=pixels, max_pixels=pixels, patch_size=14, merge_size=2, temporal_patch_size=2)
        try:
            video = Qwen2VLVideoProcessor(**kw)
        except TypeError:  # the video processor's options differ across versions; images are what we use
            video = Qwen2VLVideoProcessor()
        processor = transformers.Qwen2VLProcessor(image_processor=Qwen2VLImageProcessor(**kw), tokenizer=tok,
                                                  video_processor=video, chat_template=_QWEN_TEMPLATE)
    except (ImportError, AttributeError) as exc:
        raise MissingExtra(f"Qwen2-VL processors need torchvision in transformers 5 ({exc})") from exc
    return model, processor


def tiny_owlvit(width: int = 32, seed: int = 0, image_size: int = 32, patch_size: int = 8):
    """An OWL-ViT zero-shot detector (``OwlViTForObjectDetection``) and its ``OwlViTProcessor``."""
    torch, transformers = require("torch", "transformers")
    from transformers.models.owlvit import OwlViTImageProcessorPil

    torch.manual_seed(seed)
    tok = tiny_clip_tokenizer(16)
    heads = max(1, width // 8)
    cfg = transformers.OwlViTConfig(
        text_config=dict(vocab_size=len(tok), hidden_size=width, intermediate_size=2 * width, num_attention_heads=heads,
                         num_hidden_layers=2, max_position_embeddings=16, bos_token_id=0, eos_token_id=1, pad_token_id=1),
        vision_config=dict(hidden_size=width, intermediate_size=2 * width, num_attention_heads=heads, num_hidden_layers=2,
                           image_size=image_size, patch_size=patch_size),
        projection_dim=width)  # the box and class heads work in the vision width
    model = transformers.OwlViTForObjectDetection(cfg).eval()
    processor = transformers.OwlViTProcessor(
        image_processor=OwlViTImageProcessorPil(size={"height": image_size, "width": image_size},
                                                crop_size={"height": image_size, "width": image_size}),
        tokenizer=tok)
    return model, processor


def tiny_detr(labels=("cat", "dog", "car", "apple", "bench"), seed: int = 0, width: int = 32, queries: int = 10):
    """A DETR closed-set detector (``DetrForObjectDetection``, ResNet backbone from a config) and its image processor."""
    torch, transformers = require("torch", "transformers")
    from transformers.models.detr import DetrImageProcessorPil

    torch.manual_seed(seed)
    backbone = transformers.ResNetConfig(embedding_size=8, hidden_sizes=[8, 16], depths=[1, 1], out_features=["stage2"])
    cfg = transformers.DetrConfig(
        use_timm_backbone=False, use_pretrained_backbone=False, backbone_config=backbone, d_model=width,
        encoder_layers=1, decoder_layers=1, encoder_attention_heads=4, decoder_attention_heads=4,
        encoder_ffn_dim=2 * width, decoder_ffn_dim=2 * width, num_queries=queries,
        id2label=dict(enumerate(labels)), label2id={n: i for i, n in enumerate(labels)})
    model = transformers.DetrForObjectDetection(cfg).eval()
    return model, DetrImageProcessorPil(size={"shortest_edge": 32, "longest_edge": 64})
