"""Rewards with trl's reward signature: scene-graph QA (the paper's reward) and CLIP score (its baseline).

trl's ``GRPOTrainer`` calls a reward as ``f(prompts=, completions=, completion_ids=, **columns)``, where
``columns`` are the dataset's other columns repeated once per completion (plus ``trainer_state``,
``log_metric``, ...), and wants one float per completion back.  Both rewards here take that call:

- the images come from ``completion_ids`` through a *decoder* (image-token models: Emu3, SimpleAR-style
  LMs over VQ codes), or directly from an ``images`` column (or ``images=`` keyword);
- :class:`QAReward` reads the question sets from the ``questions`` column, as lists of question dicts or as
  the JSON text a ``gas build`` Parquet stores; :class:`ClipReward` reads the ``caption`` column;
- every (image, question) pair of a call goes to the VQA model in shared batches, and answers are cached
  by (image bytes, question): GRPO samples the same completion many times once a policy sharpens.

``prob`` (the mean probability of the right answer) is the default scheme: it moves with the model's
outputs, so it gives a gradient; ``dsg``/``tifa`` count hard answers and are flat wherever no answer flips.

Examples
--------
>>> reward = QAReward("Salesforce/blip-vqa-base", decoder=my_decoder)             # doctest: +SKIP
>>> GRPOTrainer(model, reward_funcs=[reward], train_dataset=load_dataset("parquet", data_dir="ds")["train"])  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict, defaultdict
from statistics import fmean
from typing import Any, Callable, Sequence

import orjson

from ..realize.scoring import SCHEMES
from ..vision.extra import VisionError

__all__ = ["QAReward", "ClipReward", "parse_question_sets", "completion_images"]


def parse_question_sets(values: Sequence[Any], column: str = "questions") -> list[list[dict]]:
    """Question sets from a dataset column: lists of question dicts, or JSON text of such lists.

    Examples
    --------
    >>> parse_question_sets(['[{"id": "q0", "question": "Is there a dog?", "answer": "yes"}]'])[0][0]["id"]
    'q0'
    """
    out = []
    for i, value in enumerate(values):
        if isinstance(value, (str, bytes)):
            try:
                value = orjson.loads(value)
            except orjson.JSONDecodeError as exc:
                raise VisionError(f"{column}[{i}]: not JSON text of a question list ({exc})") from None
        if value is None:
            value = []
        if not isinstance(value, list) or not all(isinstance(q, dict) for q in value):
            raise VisionError(f"{column}[{i}]: expected a list of question objects, got {type(value).__name__}")
        for q in value:
            for key in ("id", "question", "answer"):
                if key not in q:
                    raise VisionError(f"{column}[{i}]: question {q.get('id', '?')!r} lacks {key!r}")
        out.append(value)
    return out


def _as_frames(item) -> list:
    """One completion's images as a list of PIL images (an image, a list of frames, or an array/tensor)."""
    from ..vision.media import to_pil_frames

    return [f.convert("RGB") for f in to_pil_frames(item)]


def completion_images(decoder: Callable | None, completion_ids, kwargs: dict, n: int) -> list[list]:
    """Per completion, its images: an ``images`` (or ``image``) column when given, else ``decoder(completion_ids)``."""
    given = kwargs.get("images", kwargs.get("image"))
    if given is not None:
        if len(given) != n:
            raise VisionError(f"{len(given)} images for {n} completions")
        return [_as_frames(x) for x in given]
    if decoder is None:
        raise VisionError("no images: pass a decoder (completion ids → images) or an 'images' column")
    if completion_ids is None:
        raise VisionError("the decoder needs completion_ids (trl >= 1.0 passes them)")
    images = decoder(completion_ids)
    if len(images) != n:
        raise VisionError(f"the decoder returned {len(images)} images for {n} completions")
    return [_as_frames(x) for x in images]


def _image_key(image) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{image.mode}{image.size}".encode())
    h.update(image.tobytes())
    return h.digest()


class _LRU(OrderedDict):
    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def put(self, key, value) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)


class QAReward:
    """The scene-graph QA reward, callable as a trl reward function.

    Parameters
    ----------
    vqa : VQAModel or str
        A back-end of :mod:`gas_solver.vision.vqa`, or a hub id / folder for ``load_vqa``.
    decoder : callable, optional
        ``decoder(completion_ids) -> list of images`` (PIL, arrays or tensors; a list of frames per
        completion also works).  Not needed when the dataset (or caller) passes ``images``.
    scheme : {"prob", "dsg", "tifa", "strict"}
        ``prob`` by default (smooth in the VQA model's outputs).
    questions_column : str
        The keyword holding the question sets (``questions`` in ``gas build`` datasets).
    cache_size : int
        (image, question) answers kept (least recently used dropped); 0 turns the cache off.

    Calls return one float per completion; a completion without questions gets ``None`` (trl then leaves
    this reward out for it).  ``log_metric`` (passed by trl) receives the mean P(correct) per question type
    as ``qa/<type>``; :attr:`last_by_type` holds the same numbers of the last call.

    Examples
    --------
    >>> from gas_solver.vision.tiny import tiny_blip_vqa            # doctest: +SKIP
    >>> from gas_solver.vision.vqa import BlipVQA                   # doctest: +SKIP
    >>> reward = QAReward(BlipVQA(*tiny_blip_vqa()))                # doctest: +SKIP
    >>> reward(prompts=["a dog"], completions=[""], images=[img], questions=[row["questions"]])  # doctest: +SKIP
    [0.47]
    """

    def __init__(self, vqa, *, decoder: Callable | None = None, scheme: str = "prob", batch_size: int | None = None,
                 questions_column: str = "questions", cache_size: int = 65536, device: str | None = "auto",
                 dtype: str | None = "auto"):
        if scheme not in SCHEMES:
            raise VisionError(f"unknown scheme {scheme!r}; choose from {', '.join(SCHEMES)}")
        if isinstance(vqa, str):
            from ..vision.vqa import load_vqa

            vqa = load_vqa(vqa, device=device, dtype=dtype)
        self.vqa = vqa
        self.decoder = decoder
        self.scheme = scheme
        self.batch_size = batch_size
        self.questions_column = questions_column
        self.cache = _LRU(cache_size)
        self.asked = 0      # (image, question) pairs sent to the model over the reward's life
        self.cache_hits = 0
        self.last_by_type: dict[str, float] = {}
        self.__name__ = f"qa_{scheme}"  # trl names a reward function's metrics after __name__

    def probabilities(self, frames: Sequence[Sequence], question_sets: Sequence[Sequence[dict]]) -> list[dict[str, list[float]]]:
        """Answer probabilities per completion, ``{question id: probs}``, averaged over its frames; cached, batched."""
        from ..vision.vqa import Query, query_for

        keys: list[list[tuple[str, list[bytes], tuple]]] = []
        todo: dict[tuple, tuple[int, Query]] = {}
        images: list = []
        image_slot: dict[bytes, int] = {}
        for imgs, qs in zip(frames, question_sets):
            img_keys = [_image_key(im) for im in imgs]
            per = []
            for q in qs:
                proto = query_for(q)
                qkey = (proto.question, proto.choices, proto.number)
                per.append((str(q["id"]), img_keys, qkey))
                for im, ik in zip(imgs, img_keys):
                    key = (ik, qkey)
                    if key in self.cache or key in todo:
                        continue
                    if ik not in image_slot:
                        image_slot[ik] = len(images)
                        images.append(im)
                    todo[key] = Query(image_slot[ik], proto.question, proto.choices, proto.number)
            keys.append(per)
        if todo:
            probs = self.vqa.probabilities(images, list(todo.values()), batch_size=self.batch_size)
            self.asked += len(todo)
            fresh = dict(zip(todo, probs))
        else:
            fresh = {}
        out = []
        for per in keys:
            answers = {}
            for qid, img_keys, qkey in per:
                rows = []
                for ik in img_keys:
                    key = (ik, qkey)
                    if key in fresh:
                        rows.append(fresh[key])
                        self.cache.put(key, fresh[key])
                    else:
                        rows.append(self.cache[key])
                        self.cache.move_to_end(key)
                        self.cache_hits += 1
                answers[qid] = [fmean(col) for col in zip(*rows)]
            out.append(answers)
        return out

    def score(self, images: Sequence, question_sets: Sequence[Sequence[dict]]) -> list[float | None]:
        """One reward per (image or frames, question set) pair, outside any trainer."""
        frames = [_as_frames(x) for x in images]
        return self._rewards(frames, parse_question_sets(question_sets, self.questions_column), None)

    def __call__(self, prompts=None, completions=None, completion_ids=None, **kwargs) -> list[float | None]:
        if self.questions_column not in kwargs:
            raise VisionError(f"the reward needs a {self.questions_column!r} column (question sets per prompt)")
        question_sets = parse_question_sets(kwargs[self.questions_column], self.questions_column)
        frames = completion_images(self.decoder, completion_ids, kwargs, len(question_sets))
        return self._rewards(frames, question_sets, kwargs.get("log_metric"))

    def _rewards(self, frames, question_sets, log_metric) -> list[float | None]:
        from ..vision.score import scheme_scores
        from ..vision.vqa import p_correct

        if len(frames) != len(question_sets):
            raise VisionError(f"{len(frames)} images but {len(question_sets)} question sets")
        answers = self.probabilities(frames, question_sets)
        rewards: list[float | None] = []
        by_type: dict[str, list[float]] = defaultdict(list)
        for qs, probs in zip(question_sets, answers):
            if not qs:
                rewards.append(None)
                continue
            rewards.append(scheme_scores(qs, probs, (self.scheme,))[self.scheme])
            for q in qs:
                by_type[str(q.get("type", "question"))].append(p_correct(q, probs[str(q["id"])]))
        self.last_by_type = {t: fmean(v) for t, v in sorted(by_type.items())}
        if log_metric is not None:
            for t, v in self.last_by_type.items():
                log_metric(f"qa/{t}", v)
        return rewards


class ClipReward:
    """CLIP score of each completion's image against its caption (the paper's baseline reward).

    Parameters
    ----------
    clip : ClipScorer or str
        A :class:`~gas_solver.vision.clip.ClipScorer`, or a hub id / folder for ``load_clip``.
    decoder : callable, optional
        As for :class:`QAReward`.
    text_column : str
        The column holding the text to match (``caption``); the prompts are used when it is absent.
    raw : bool
        Return the cosine (in [-1, 1]) instead of the CLIP score ``100 * max(cos, 0)``: the clamp
        at 0 flattens the reward where an untrained policy starts.

    Examples
    --------
    >>> reward = ClipReward("openai/clip-vit-large-patch14", decoder=my_decoder)   # doctest: +SKIP
    """

    def __init__(self, clip, *, decoder: Callable | None = None, text_column: str = "caption", raw: bool = False,
                 batch_size: int | None = None, device: str | None = "auto", dtype: str | None = "auto"):
        if isinstance(clip, str):
            from ..vision.clip import load_clip

            clip = load_clip(clip, device=device, dtype=dtype)
        self.clip = clip
        self.decoder = decoder
        self.text_column = text_column
        self.raw = raw
        self.batch_size = batch_size
        self.__name__ = "clip_cosine" if raw else "clip_score"

    def __call__(self, prompts=None, completions=None, completion_ids=None, **kwargs) -> list[float]:
        texts = kwargs.get(self.text_column)
        if texts is None:
            if prompts is None:
                raise VisionError(f"the CLIP reward needs a {self.text_column!r} column or the prompts")
            texts = [p if isinstance(p, str) else str(p) for p in prompts]
        frames = completion_images(self.decoder, completion_ids, kwargs, len(texts))
        flat, owner = [], []
        for i, imgs in enumerate(frames):
            flat.extend(imgs)
            owner.extend([i] * len(imgs))
        cos = self.clip.cosines(flat, [texts[i] for i in owner], batch_size=self.batch_size)
        per: dict[int, list[float]] = defaultdict(list)
        for i, c in zip(owner, cos):
            per[i].append(c if self.raw else 100.0 * max(c, 0.0))
        return [fmean(per[i]) for i in range(len(texts))]
