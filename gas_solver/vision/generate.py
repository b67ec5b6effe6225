"""Generation: captions of a dataset → images, videos or 3D outputs with any diffusers pipeline.

Steps of :func:`generate_images`:

1. read the dataset rows and the output folder's index (resume: finished scenes are skipped);
2. refuse a folder made with other output-affecting settings (``generation.json``);
3. cut the missing (scene, k) items into batches, each item with its own seed
   :func:`~gas_solver.vision.rows.item_seed` (scene id, k, run seed) and its own
   CPU generator, so an item's noise does not depend on its batch;
4. run the pipeline, write each output under a temporary name and rename it;
5. append the scene's index line (row + outputs + seeds) once all its outputs exist.

Layout of ``OUT``::

    generation.json              settings that decide the outputs (checked on resume)
    index.jsonl                  one line per finished scene: the dataset row + "outputs"
    images/<scene id>/<k>.png    text-to-image
    videos/<scene id>/<k>.gif    text-to-video (+ <k>.mp4, <k>/<frame>.png on request)
    3d/<scene id>/<k>/<view>.png text-to-3D views (+ <k>.gif turntable, <k>.ply mesh)
"""

from __future__ import annotations

import inspect
import itertools
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

import orjson

from .. import __version__
from .extra import VisionError, require, resolve_device, resolve_dtype
from .media import to_pil_frames, write_gif, write_png
from .rows import atomic_write_bytes, check_rows, item_seed, read_jsonl, read_rows

__all__ = [
    "GenerateOptions",
    "GenerationResult",
    "KINDS",
    "VIDEO_FORMATS",
    "load_pipeline",
    "pipeline_kind",
    "generate_images",
    "generate",
]

KINDS = ("auto", "image", "video", "3d")
VIDEO_FORMATS = ("gif", "mp4", "frames")
INDEX = "index.jsonl"
SETTINGS = "generation.json"

# Class-name markers of diffusers text-to-video pipelines (plus any name containing "Video").
_VIDEO_MARKERS = ("AnimateDiff", "CogVideoX", "TextToVideo", "Wan", "LTX", "Mochi", "Latte", "Allegro", "EasyAnimate",
                  "SkyReels", "Cosmos")


@dataclass(frozen=True)
class GenerateOptions:
    """Options of a generation run.  ``None`` leaves a pipeline argument at the pipeline's default.

    Output-affecting fields are recorded in ``generation.json``; ``batch_size``,
    ``limit`` and ``progress`` are not (they do not change any output).
    """

    images_per_caption: int = 1
    batch_size: int = 4
    steps: int | None = None
    guidance: float | None = None
    width: int | None = None
    height: int | None = None
    negative_prompt: str | None = None
    seed: int = 0
    num_frames: int | None = None       # video
    fps: int = 8                         # video GIF/MP4 and 3D turntable
    video_formats: tuple[str, ...] = ("gif",)
    frame_size: int | None = None        # 3D: rendered view size
    render_samples: int | None = None    # 3D: coarse ray samples (fine = 2x); None: the renderer's 64
    mesh: bool = True                    # 3D: also decode and write a PLY mesh
    limit: int | None = None             # at most this many scenes of the dataset
    progress: bool | None = None         # None: a bar on a terminal only

    def __post_init__(self) -> None:
        if self.images_per_caption < 1:
            raise VisionError("images_per_caption must be at least 1")
        if self.batch_size < 1:
            raise VisionError("batch_size must be at least 1")
        bad = [f for f in self.video_formats if f not in VIDEO_FORMATS]
        if bad or not self.video_formats:
            raise VisionError(f"unknown video format(s) {bad}; choose from {', '.join(VIDEO_FORMATS)}")


@dataclass
class GenerationResult:
    """What a run did: scenes generated now, skipped as already done, duplicates ignored, index path."""

    out: Path
    generated: int = 0
    skipped: int = 0
    duplicates: int = 0
    outputs: int = 0
    index: Path = field(default=None)  # type: ignore[assignment]


def pipeline_kind(class_name: str) -> str:
    """``"image"``, ``"video"`` or ``"3d"`` from a diffusers pipeline class name.

    Examples
    --------
    >>> pipeline_kind("StableDiffusionPipeline"), pipeline_kind("AnimateDiffPipeline"), pipeline_kind("ShapEPipeline")
    ('image', 'video', '3d')
    """
    if "ShapE" in class_name:
        return "3d"
    if "Video" in class_name or any(class_name.startswith(m) for m in _VIDEO_MARKERS):
        return "video"
    return "image"


def load_pipeline(model: str, *, kind: str = "auto", device: str | None = "auto", dtype: str | None = "auto",
                  lora: str | None = None, lora_scale: float = 1.0, **from_pretrained_kwargs):
    """Load a diffusers text-to-image / text-to-video / text-to-3D pipeline from a hub id or a local folder.

    Parameters
    ----------
    model : str
        Hub id (``"stable-diffusion-v1-5/stable-diffusion-v1-5"``) or a folder written by ``save_pretrained``.
    kind : {"auto", "image", "video", "3d"}
        ``auto`` reads the pipeline class from ``model_index.json``.
    device, dtype : str
        ``auto`` picks CUDA (then MPS, then CPU) and fp16 on accelerators, fp32 on CPU.
    lora : str, optional
        A LoRA adapter (folder or file as ``load_lora_weights`` takes it), applied with weight ``lora_scale``.

    Returns
    -------
    (pipeline, kind)

    Examples
    --------
    >>> pipe, kind = load_pipeline("stable-diffusion-v1-5/stable-diffusion-v1-5")  # doctest: +SKIP
    """
    if kind not in KINDS:
        raise VisionError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    torch, diffusers = require("torch", "diffusers")
    device = resolve_device(device)
    torch_dtype = resolve_dtype(dtype, device)
    class_name = pipeline_class(model)
    if kind == "auto":
        kind = pipeline_kind(class_name)
    try:
        if kind == "image" and class_name in _auto_t2i_classes(diffusers):
            pipe = diffusers.AutoPipelineForText2Image.from_pretrained(model, dtype=torch_dtype, **from_pretrained_kwargs)
        else:
            pipe = diffusers.DiffusionPipeline.from_pretrained(model, dtype=torch_dtype, **from_pretrained_kwargs)
    except Exception as exc:  # noqa: BLE001
        raise VisionError(f"cannot load pipeline {model!r} ({class_name or 'unknown class'}): {exc}") from exc
    pipe = pipe.to(device)
    if lora is not None:
        apply_lora(pipe, lora, lora_scale)
    return pipe, kind


def pipeline_class(model: str) -> str:
    """The pipeline class name in ``model_index.json`` of a hub id or folder (reads the config only)."""
    _, diffusers = require("torch", "diffusers")
    try:
        return diffusers.DiffusionPipeline.load_config(model).get("_class_name", "")
    except Exception as exc:  # noqa: BLE001 - hub and file errors come in many types; report them in one voice
        raise VisionError(f"cannot read the pipeline config of {model!r}: {exc}") from exc


def _auto_t2i_classes(diffusers) -> set[str]:
    from diffusers.pipelines.auto_pipeline import AUTO_TEXT2IMAGE_PIPELINES_MAPPING

    return {cls.__name__ for cls in AUTO_TEXT2IMAGE_PIPELINES_MAPPING.values()}


def apply_lora(pipe, lora: str, scale: float = 1.0, adapter_name: str = "gas") -> None:
    """Load a LoRA adapter into ``pipe`` and set its weight (needs peft)."""
    require("peft")
    if not hasattr(pipe, "load_lora_weights"):
        raise VisionError(f"{type(pipe).__name__} cannot load LoRA adapters")
    try:
        pipe.load_lora_weights(lora, adapter_name=adapter_name)
        if scale != 1.0:
            pipe.set_adapters([adapter_name], adapter_weights=[scale])
    except Exception as exc:  # noqa: BLE001
        raise VisionError(f"cannot load LoRA adapter {lora!r}: {exc}") from exc


# ---------------------------------------------------------------------------
# One pipeline call
# ---------------------------------------------------------------------------

def _call_kwargs(pipe, kind: str, prompts: list[str], seeds: list[int], opts: GenerateOptions) -> dict:
    """The keyword arguments of one pipeline call, keeping only those the pipeline accepts."""
    torch = require("torch")[0]
    params = inspect.signature(pipe.__call__).parameters
    accepts_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    wanted: dict[str, Any] = {
        "prompt": prompts,
        # one CPU generator per item: the item's noise is the same in any batch, on any device
        "generator": [torch.Generator("cpu").manual_seed(s) for s in seeds],
        "num_images_per_prompt": 1,
        "num_inference_steps": opts.steps,
        "guidance_scale": opts.guidance,
        "height": opts.height,
        "width": opts.width,
        "negative_prompt": [opts.negative_prompt] * len(prompts) if opts.negative_prompt is not None else None,
    }
    if kind == "image":
        wanted["output_type"] = "pil"
    elif kind == "video":
        wanted["num_frames"] = opts.num_frames
        wanted["output_type"] = "pil"
    else:  # 3D: latents first, decoded to views and mesh per item below
        wanted["frame_size"] = opts.frame_size
        wanted["output_type"] = "latent"
    kwargs = {}
    for key, value in wanted.items():
        if value is None:
            continue
        if key in params or accepts_any:
            kwargs[key] = value
        elif key in ("steps", "guidance_scale", "height", "width", "num_frames", "frame_size", "negative_prompt",
                     "num_inference_steps"):
            raise VisionError(f"{type(pipe).__name__} takes no {key!r} argument; drop that option")
    return kwargs


def _run_batch(pipe, kind: str, prompts: list[str], seeds: list[int], opts: GenerateOptions) -> list:
    """One pipeline call → per item: list of PIL frames (image: one), or for 3D (views, mesh or None)."""
    torch = require("torch")[0]
    kwargs = _call_kwargs(pipe, kind, prompts, seeds, opts)
    with torch.inference_mode():
        out = pipe(**kwargs)
    if kind == "image":
        images = getattr(out, "images", None)
        if images is None:
            raise VisionError(f"{type(pipe).__name__} returned no images: is it a text-to-video pipeline? use kind='video'")
        return [[im] for im in to_pil_frames(images)]
    if kind == "video":
        frames = getattr(out, "frames", None)
        if frames is None:
            raise VisionError(f"{type(pipe).__name__} returned no video frames: use kind='image'")
        if hasattr(frames, "ndim") and frames.ndim == 4:  # a single video (F,H,W,C)
            frames = frames[None]
        return [to_pil_frames(v) for v in frames]
    latents = out.images
    items = []
    renderer = getattr(pipe, "shap_e_renderer", None)
    if renderer is None:
        raise VisionError(f"{type(pipe).__name__} is not a Shap-E pipeline; text-to-3D supports ShapEPipeline")
    device = pipe._execution_device
    size = opts.frame_size or 64
    # one view per ray batch: diffusers drops the rays of a last, partial batch
    render = {"size": size, "ray_batch_size": size * size}
    if opts.render_samples:
        render.update(n_coarse_samples=opts.render_samples, n_fine_samples=2 * opts.render_samples)
    with torch.inference_mode():
        for latent in latents:
            views = renderer.decode_to_image(latent[None], device, **render)
            mesh, error = None, None
            if opts.mesh:
                try:
                    mesh = renderer.decode_to_mesh(latent[None], device)
                except (ValueError, RuntimeError) as exc:  # no surface crosses the level set: nothing to mesh
                    error = f"no mesh: {exc}"
            items.append((to_pil_frames(views), mesh, error))
    return items


def _write_item(out: Path, kind: str, scene_id: str, k: int, produced, opts: GenerateOptions) -> dict:
    """Write one output's files; return its index entry (relative paths)."""
    if kind == "image":
        rel = f"images/{scene_id}/{k}.png"
        write_png(out / rel, produced[0])
        return {"image": rel}
    if kind == "video":
        entry: dict[str, Any] = {"num_frames": len(produced)}
        base = f"videos/{scene_id}/{k}"
        if "frames" in opts.video_formats:
            entry["frames"] = []
            for i, frame in enumerate(produced):
                rel = f"{base}/{i:04d}.png"
                write_png(out / rel, frame)
                entry["frames"].append(rel)
        if "gif" in opts.video_formats:
            write_gif(out / f"{base}.gif", produced, opts.fps)
            entry["gif"] = f"{base}.gif"
        if "mp4" in opts.video_formats:
            entry["mp4"] = _write_mp4(out, f"{base}.mp4", produced, opts.fps)
        return entry
    views, mesh, error = produced
    base = f"3d/{scene_id}/{k}"
    entry = {"views": []}
    for i, view in enumerate(views):
        rel = f"{base}/{i:03d}.png"
        write_png(out / rel, view)
        entry["views"].append(rel)
    write_gif(out / f"{base}.gif", views, opts.fps)
    entry["gif"] = f"{base}.gif"
    if mesh is not None:
        from diffusers.utils import export_to_ply

        tmp = out / f"{base}.ply.tmp"
        export_to_ply(mesh, str(tmp))
        tmp.replace(out / f"{base}.ply")
        entry["mesh"] = f"{base}.ply"
    elif error is not None:
        entry["mesh_error"] = error
    return entry


def _check_mp4_writer() -> None:
    """Fail before generating anything when MP4 output is asked for and cannot be written."""
    from diffusers.utils import import_utils

    if not import_utils.is_imageio_available():
        raise VisionError("MP4 output needs imageio and imageio-ffmpeg (pip install imageio imageio-ffmpeg); "
                          "or use --video-format gif / frames")


def _write_mp4(out: Path, rel: str, frames, fps: int) -> str:
    import numpy as np
    from diffusers.utils import export_to_video

    target = out / rel
    tmp = target.with_name(f".{target.name}.tmp.mp4")
    try:
        export_to_video([np.asarray(f.convert("RGB")) for f in frames], str(tmp), fps=fps)
    except (ImportError, AttributeError, OSError) as exc:
        tmp.unlink(missing_ok=True)
        raise VisionError(f"cannot write MP4 ({exc}); pip install imageio imageio-ffmpeg, or use --video-format gif") from exc
    tmp.replace(target)
    return rel


# ---------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------

def _settings(model_name: str, kind: str, lora: str | None, lora_scale: float, dtype: str, opts: GenerateOptions) -> dict:
    d = asdict(opts)
    for transient in ("batch_size", "limit", "progress"):
        d.pop(transient)
    d["video_formats"] = list(d["video_formats"])
    return {"model": model_name, "kind": kind, "lora": lora, "lora_scale": lora_scale, "dtype": dtype, "options": d}


def model_key(model: str | None) -> str | None:
    """How a model is recorded: a hub id as given, a local folder or file as its absolute path.

    ``models/sd`` and the same folder written absolutely are one model, so a resume is not refused.

    Examples
    --------
    >>> model_key("stable-diffusion-v1-5/stable-diffusion-v1-5")
    'stable-diffusion-v1-5/stable-diffusion-v1-5'
    """
    if model is None:
        return None
    return str(Path(model).resolve()) if Path(model).exists() else model


def settings_diff(old: dict, new: dict) -> list[str]:
    """The settings that differ, named as their options: ``--steps (2 then, 3 now)``."""
    diff = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if key in ("model", "lora") and isinstance(a, str):
            a = model_key(a)  # folders recorded relative to another working directory
        if isinstance(a, dict) or isinstance(b, dict):
            diff += settings_diff(a or {}, b or {})
        elif a != b:
            diff.append(f"--{key.replace('_', '-')} ({a!r} then, {b!r} now)")
    return diff


def _check_settings(out: Path, settings: dict) -> None:
    path = out / SETTINGS
    if path.exists():
        old = orjson.loads(path.read_bytes()).get("settings") or {}
        diff = settings_diff(old, settings)
        if diff:
            raise VisionError(
                f"{out} holds outputs made with other settings: {'; '.join(diff)}. "
                "Use a new output folder, or the same settings to resume")
    else:
        atomic_write_bytes(path, orjson.dumps({"gas_solver": __version__, "settings": settings},
                                              option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))


def _finished(out: Path) -> dict[str, dict]:
    """Index lines whose files all exist, by scene id.

    The index is rewritten without a torn last line and without the lines of scenes whose files
    are gone (those scenes are redone and get a new line: one line per scene id, always).
    """
    path = out / INDEX
    if not path.exists():
        return {}
    raw = path.read_bytes()
    rows = read_jsonl(path, tolerate_torn_tail=True)
    done: dict[str, dict] = {}
    for r in rows:
        files = [p for o in r.get("outputs", []) for key in ("image", "gif", "mp4", "mesh") if (p := o.get(key))]
        files += [p for o in r.get("outputs", []) for key in ("frames", "views") for p in o.get(key, [])]
        if all((out / p).exists() for p in files):
            done.setdefault(r["id"], r)
    keep = list(done.values())
    if len(keep) != len(rows) or (raw and not raw.endswith(b"\n")):  # appends start on a fresh line
        atomic_write_bytes(path, b"".join(orjson.dumps(r) + b"\n" for r in keep))
    return done


def generate_images(dataset: str | Path | Iterable[dict], out: str | Path, *, model: str | None = None, pipeline=None,
                    kind: str = "auto", device: str | None = "auto", dtype: str | None = "auto", lora: str | None = None,
                    lora_scale: float = 1.0, model_name: str | None = None, options: GenerateOptions | None = None,
                    **option_kwargs) -> GenerationResult:
    """Generate outputs for every caption of a dataset into ``out`` (resumable).

    Parameters
    ----------
    dataset : path or iterable of dict
        JSONL file, ``gas build`` folder, or rows (each with ``id`` and ``caption``).
    out : path
        Output folder (created).  A restarted run skips scenes already in its ``index.jsonl``.
    model : str, optional
        Hub id or local folder of a diffusers pipeline (see :func:`load_pipeline`).
    pipeline : optional
        An already built pipeline (then ``model`` is not loaded; ``model_name`` labels it).
    kind : {"auto", "image", "video", "3d"}
    options : GenerateOptions, optional
        Or pass its fields as keywords (``steps=30, images_per_caption=4``).

    Returns
    -------
    GenerationResult

    Examples
    --------
    >>> generate_images("data.jsonl", "out", model="stable-diffusion-v1-5/stable-diffusion-v1-5",
    ...                 images_per_caption=4, steps=30)  # doctest: +SKIP
    """
    opts = options if options is not None else GenerateOptions(**option_kwargs)
    if options is not None and option_kwargs:
        raise VisionError("pass either options= or option keywords, not both")
    if (model is None) == (pipeline is None):
        raise VisionError("pass exactly one of model= (hub id or folder) and pipeline=")
    out = Path(out)
    if isinstance(dataset, (str, Path)):
        def rows():  # files are read twice (count, then stream): memory stays flat for any dataset size
            return read_rows(dataset)
    else:
        materialized = list(check_rows(dataset))

        def rows():
            return iter(materialized)

    # 1. which scenes are still to do (first occurrence of an id wins)
    out.mkdir(parents=True, exist_ok=True)
    done = set(_finished(out))
    result = GenerationResult(out=out, index=out / INDEX)
    todo_ids: set[str] = set()
    seen: set[str] = set()
    for row in rows():
        if opts.limit is not None and len(seen) >= opts.limit:
            break
        if row["id"] in seen:
            result.duplicates += 1
            continue
        seen.add(row["id"])
        if row["id"] in done:
            result.skipped += 1
        else:
            todo_ids.add(row["id"])
    del seen

    # 2. the settings check (before the pipeline loads: a refused resume costs no model load), then the pipeline
    if pipeline is None:
        if kind == "auto":
            kind = pipeline_kind(pipeline_class(model))
        model_name = model_key(model)
    else:
        if kind == "auto":
            kind = pipeline_kind(type(pipeline).__name__)
        model_name = model_name or f"<in-memory {type(pipeline).__name__}>"
    _check_settings(out, _settings(model_name, kind, model_key(lora), lora_scale, str(dtype), opts))
    if not todo_ids:
        return result
    if pipeline is None:
        pipeline, kind = load_pipeline(model, kind=kind, device=device, dtype=dtype, lora=lora, lora_scale=lora_scale)
    elif lora is not None:
        apply_lora(pipeline, lora, lora_scale)
    if hasattr(pipeline, "set_progress_bar_config"):
        pipeline.set_progress_bar_config(disable=True)
    if kind == "video" and "mp4" in opts.video_formats:
        _check_mp4_writer()

    # 3. items in dataset order, batched across scenes, streamed from the dataset
    from .progress import Progress

    def items():
        for row in rows():
            if row["id"] in todo_ids:
                todo_ids.discard(row["id"])  # a later duplicate of the id is not redone
                for k in range(opts.images_per_caption):
                    yield row, k

    pending: dict[str, list] = {}
    bar = Progress(len(todo_ids), unit="scene", desc=f"generate ({kind})", enabled=opts.progress)
    stream = items()
    with open(out / INDEX, "ab") as index:
        while batch := list(itertools.islice(stream, opts.batch_size)):
            seeds = [item_seed(row["id"], k, opts.seed) for row, k in batch]
            produced = _run_batch(pipeline, kind, [row["caption"] for row, _ in batch], seeds, opts)
            if len(produced) != len(batch):
                raise VisionError(f"{type(pipeline).__name__} returned {len(produced)} outputs for {len(batch)} prompts")
            for (row, k), seed, item in zip(batch, seeds, produced):
                entry = _write_item(out, kind, row["id"], k, item, opts)
                entry = {"k": k, "seed": seed, **entry}
                pending.setdefault(row["id"], []).append(entry)
                result.outputs += 1
                # 4. a scene is finished (and indexed) once all its outputs are on disk
                if len(pending[row["id"]]) == opts.images_per_caption:
                    line = {**row, "kind": kind, "outputs": pending.pop(row["id"])}
                    index.write(orjson.dumps(line) + b"\n")
                    index.flush()
                    result.generated += 1
                    bar.update(1)
    bar.close()
    return result


generate = generate_images
