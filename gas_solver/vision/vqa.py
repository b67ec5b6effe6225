"""VQA back-ends that answer with probabilities read off the model's next-token logits.

A question is either yes/no or multiple choice.  Yes/no: P(yes) is the
softmax mass of the "yes" tokens (``yes``, ``Yes``, `` yes``, ...) over the
mass of the "yes" and "no" tokens at the first answer position.  Multiple
choice: each choice's log-probability is the sum of its tokens' log-softmax
under teacher forcing; a softmax over the choices gives one probability per
choice.  No generated text is ever matched against the answer.

Back-ends:

- :class:`BlipVQA`: ``BlipForQuestionAnswering`` (image encoded once per image
  in a batch; question encoder; answer decoder scored directly, with the
  question's padding masked, so a batch gives the numbers of one-by-one runs);
- :class:`ChatVQA`: any ``AutoModelForImageTextToText`` checkpoint with an
  ``AutoProcessor`` and a chat template (Qwen2-VL / Qwen2.5-VL, SmolVLM, LLaVA,
  PaliGemma, ...), left-padded batches, logits of the last positions only.

:func:`load_vqa` picks one from a hub id or folder.
"""

from __future__ import annotations

import inspect
import math
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Sequence

from .extra import VisionError, require, resolve_device, resolve_dtype

__all__ = ["Query", "VQAModel", "BlipVQA", "ChatVQA", "load_vqa", "query_for", "candidates", "p_correct", "YES", "NO",
           "NUMBER_CANDIDATES"]

YES = ("yes", "Yes", "YES")
NO = ("no", "No", "NO")


@dataclass(frozen=True)
class Query:
    """One question about one image: ``image`` indexes the image list.

    ``choices`` None means yes/no; otherwise the candidate answers, scored
    against each other (``number``: counting candidates, asked as "Answer with a number.").
    """

    image: int
    question: str
    choices: tuple[str, ...] | None = None
    number: bool = False


#: candidate answers of open counting questions (format "number"), extended up to the true count
NUMBER_CANDIDATES = tuple(str(i) for i in range(11))


def query_for(question: dict, image: int = 0) -> Query:
    """The :class:`Query` of a question dict: multiple choice, counting (format ``number``) or yes/no.

    Raises
    ------
    VisionError
        For an open question that is none of these: it cannot be scored
        without matching generated text.

    Examples
    --------
    >>> query_for({"id": "q0", "question": "Is there a dog?", "answer": "yes", "choices": None})
    Query(image=0, question='Is there a dog?', choices=None, number=False)
    >>> query_for({"id": "q1", "question": "How many?", "answer": "2", "format": "number", "choices": None}).choices[:3]
    ('0', '1', '2')
    """
    from ..realize.scoring import normalize_answer

    choices = question.get("choices")
    answer = normalize_answer(str(question["answer"]))
    if choices:
        choices = tuple(str(c) for c in choices)
        if answer not in {normalize_answer(c) for c in choices}:
            raise VisionError(f"question {question.get('id')!r}: answer {question['answer']!r} is not among its choices")
        return Query(image, question.get("question", ""), choices)
    if question.get("format") == "number" or answer.isdigit():
        if not answer.isdigit():
            raise VisionError(f"question {question.get('id')!r}: a number question needs a numeric answer, "
                              f"got {question['answer']!r}")
        top = max(int(answer), len(NUMBER_CANDIDATES) - 1)
        return Query(image, question.get("question", ""), tuple(str(i) for i in range(top + 1)), number=True)
    if answer not in ("yes", "no"):
        raise VisionError(f"question {question.get('id')!r} is open (answer {question['answer']!r}, no choices); "
                          "only yes/no, multiple-choice and number questions can be scored from logits")
    return Query(image, question.get("question", ""), None)


def candidates(question: dict) -> tuple[str, ...]:
    """The answers a question's probabilities refer to: ``("yes", "no")`` or its (number) choices."""
    return query_for(question).choices or ("yes", "no")


def p_correct(question: dict, probs: Sequence[float]) -> float:
    """P(the question's answer) from a back-end's output (``[P(yes), P(no)]`` or per-candidate probabilities).

    Examples
    --------
    >>> p_correct({"answer": "no", "choices": None}, [0.8, 0.2])
    0.2
    >>> p_correct({"answer": "blue", "choices": ["red", "blue"]}, [0.6, 0.4])
    0.4
    """
    from ..realize.scoring import normalize_answer

    answer = normalize_answer(str(question["answer"]))
    for c, p in zip(candidates(question), probs):
        if normalize_answer(c) == answer:
            return float(p)
    return 0.0


def _answer_token_ids(tokenizer, words: Sequence[str]) -> list[int]:
    """Ids of the spellings of a one-word answer that are single tokens (bare and after a space).

    When no spelling is a single token, the first token of the bare lowercase word stands in.
    """
    ids, first = [], None
    for w in words:
        for text in (w, " " + w):
            toks = tokenizer(text, add_special_tokens=False)["input_ids"]
            if first is None and toks:
                first = toks[0]
            if len(toks) == 1 and toks[0] not in ids and toks[0] != getattr(tokenizer, "unk_token_id", None):
                ids.append(toks[0])
    return ids or ([first] if first is not None else [])


class VQAModel:
    """Base of the back-ends: batching over queries; subclasses score one batch.

    ``probabilities(images, queries)`` returns, per query, ``[P(yes), P(no)]``
    (yes/no) or one probability per choice (multiple choice); each list sums to 1.
    """

    name: str = "vqa"

    def __init__(self, model, processor, *, device: str | None = None, batch_size: int = 16, name: str | None = None):
        (torch,) = require("torch")
        self.model = model.eval()
        self.processor = processor
        self.tokenizer = getattr(processor, "tokenizer", processor)
        self.device = device or next(model.parameters()).device.type
        self.batch_size = batch_size
        self.name = name or getattr(model.config, "_name_or_path", "") or type(model).__name__
        self.yes_ids = _answer_token_ids(self.tokenizer, YES)
        self.no_ids = _answer_token_ids(self.tokenizer, NO)
        if not self.yes_ids or not self.no_ids or set(self.yes_ids) & set(self.no_ids):
            raise VisionError(f"{self.name}: the tokenizer has no distinct tokens for 'yes' and 'no'")

    def probabilities(self, images: Sequence, queries: Sequence[Query], *, batch_size: int | None = None) -> list[list[float]]:
        """Probabilities for every query, in order; batches of ``batch_size`` queries across images."""
        (torch,) = require("torch")
        size = batch_size or self.batch_size
        out: list[list[float]] = []
        with torch.inference_mode():
            for start in range(0, len(queries), size):
                out.extend(self._batch(images, list(queries[start:start + size])))
        return out

    def _yes_no(self, logits) -> list[list[float]]:
        """``[P(yes), P(no)]`` per row of next-token logits (B, V)."""
        (torch,) = require("torch")
        logp = torch.log_softmax(logits.float(), dim=-1)
        yes = torch.logsumexp(logp[:, self.yes_ids], dim=-1)
        no = torch.logsumexp(logp[:, self.no_ids], dim=-1)
        p_yes = torch.sigmoid(yes - no).tolist()  # one device sync for the batch
        return [[p, 1.0 - p] for p in p_yes]

    def _batch(self, images, queries: list[Query]) -> list[list[float]]:  # pragma: no cover - abstract
        raise NotImplementedError


def _softmax(xs: Sequence[float]) -> list[float]:
    m = max(xs)
    e = [math.exp(x - m) for x in xs]
    s = sum(e)
    return [v / s for v in e]


@contextmanager
def _cross_attention_masks(model):
    """Route BLIP's cross-attention mask to where its attention reads it, for the duration of a call.

    In transformers 5.x the BLIP text layer hands the question's padding mask to
    the cross-attention as ``attention_mask``, and the attention, being a
    cross-attention, reads ``encoder_attention_mask`` instead (None): padded
    question tokens leak into the answer, so a padded batch disagrees with
    one-by-one runs (``generate`` does not pass the mask at all).  A forward
    pre-hook on each ``crossattention.self`` copies the mask over; it is a no-op
    once the library passes the mask itself.
    """
    def hook(module, args, kwargs):
        if (kwargs.get("encoder_hidden_states") is not None and kwargs.get("encoder_attention_mask") is None
                and kwargs.get("attention_mask") is not None):
            return args, {**kwargs, "encoder_attention_mask": kwargs["attention_mask"]}
        return None

    handles = []
    for name, module in model.named_modules():
        if name.endswith("crossattention.self") and "encoder_attention_mask" in inspect.signature(module.forward).parameters:
            handles.append(module.register_forward_pre_hook(hook, with_kwargs=True))
    try:
        yield
    finally:
        for h in handles:
            h.remove()


class BlipVQA(VQAModel):
    """BLIP VQA (``BlipForQuestionAnswering``): vision encoder → question encoder → answer decoder.

    Examples
    --------
    >>> from gas_solver.vision.tiny import tiny_blip_vqa  # doctest: +SKIP
    >>> vqa = BlipVQA(*tiny_blip_vqa())                      # doctest: +SKIP
    >>> vqa.probabilities([image], [Query(0, "is there a dog?")])  # doctest: +SKIP
    [[0.46, 0.54]]
    """

    def _batch(self, images, queries):
        (torch,) = require("torch")
        model, dev = self.model, self.device
        dtype = next(model.parameters()).dtype
        used = sorted({q.image for q in queries})
        where = {i: k for k, i in enumerate(used)}
        pixels = self.processor.image_processor([images[i] for i in used], return_tensors="pt")["pixel_values"]
        image_embeds = model.vision_model(pixel_values=pixels.to(dev, dtype)).last_hidden_state
        text = self.tokenizer([q.question for q in queries], padding=True, return_tensors="pt").to(dev)
        img = image_embeds[[where[q.image] for q in queries]]
        with _cross_attention_masks(model):
            return self._decode(model, queries, text, img)

    def _decode(self, model, queries, text, img):
        (torch,) = require("torch")
        dev = self.device
        question = model.text_encoder(
            input_ids=text["input_ids"], attention_mask=text["attention_mask"], encoder_hidden_states=img,
            encoder_attention_mask=torch.ones(img.shape[:-1], dtype=torch.long, device=dev)).last_hidden_state
        bos = model.decoder_start_token_id
        sep = model.config.text_config.sep_token_id
        # One decoder row per yes/no query ([bos]) and per choice of a multiple-choice query ([bos] choice [sep]).
        rows, owner = [], []
        for qi, q in enumerate(queries):
            if q.choices is None:
                rows.append([bos])
                owner.append((qi, None))
            else:
                for ci, c in enumerate(q.choices):
                    rows.append([bos] + self.tokenizer(c, add_special_tokens=False)["input_ids"] + [sep])
                    owner.append((qi, ci))
        width = max(map(len, rows))
        ids = torch.zeros((len(rows), width), dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for r, row in enumerate(rows):
            ids[r, :len(row)] = torch.tensor(row)
            mask[r, :len(row)] = 1
        take = [qi for qi, _ in owner]
        logits = model.text_decoder(
            input_ids=ids.to(dev), attention_mask=mask.to(dev), encoder_hidden_states=question[take],
            encoder_attention_mask=text["attention_mask"][take]).logits
        return self._collect(queries, owner, logits, ids.to(dev), mask.to(dev))

    def _collect(self, queries, owner, logits, ids, mask):
        """Per query: yes/no mass at the first answer position, or a softmax over its choices' log-probabilities."""
        (torch,) = require("torch")
        results: list = [None] * len(queries)
        choice_scores: dict[int, list[float]] = {}
        yes_rows = [r for r, (_, ci) in enumerate(owner) if ci is None]
        if yes_rows:
            for r, probs in zip(yes_rows, self._yes_no(logits[yes_rows, 0])):
                results[owner[r][0]] = probs
        mc_rows = [r for r, (_, ci) in enumerate(owner) if ci is not None]
        if mc_rows:
            # log P(choice) = sum over its tokens (and [sep]) of the log-softmax at the position before each
            idx = torch.tensor(mc_rows, device=logits.device)
            logp = torch.log_softmax(logits[idx, :-1].float(), dim=-1)
            targets = ids[idx, 1:]
            token_logp = logp.gather(-1, targets[..., None]).squeeze(-1) * mask[idx, 1:]
            for r, total in zip(mc_rows, token_logp.sum(-1).tolist()):
                choice_scores.setdefault(owner[r][0], []).append(total)
        for qi, scores in choice_scores.items():
            results[qi] = _softmax(scores)
        return results


class ChatVQA(VQAModel):
    """A chat vision-language model through ``AutoModelForImageTextToText`` + ``AutoProcessor``.

    The prompt is the processor's chat template around one image and the
    question, plus "Answer yes or no." or "Choices: a, b, c. Answer with one of
    the choices."; P(yes) comes from the logits after the generation prompt,
    a choice's probability from its tokens appended to that prompt.
    """

    def __init__(self, model, processor, **kw):
        super().__init__(model, processor, **kw)
        if getattr(processor, "chat_template", None) is None and getattr(self.tokenizer, "chat_template", None) is None:
            raise VisionError(f"{self.name}: the processor has no chat template; use an instruction-tuned checkpoint")

    _SLOT = "\x00gas-question\x00"

    def _render(self, text: str) -> str:
        messages = [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": text}]}]
        return self.processor.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)

    def prompt(self, query: Query) -> str:
        """The chat prompt of a query (the template is rendered once, with a slot for the text)."""
        if query.choices is None:
            text = f"{query.question} Answer yes or no."
        elif query.number:
            text = f"{query.question} Answer with a number."
        else:
            text = f"{query.question} Choices: {', '.join(query.choices)}. Answer with one of the choices."
        if not hasattr(self, "_frame"):
            frame = self._render(self._SLOT)
            # a template that rewrites the text (escapes, strips) falls back to one rendering per query
            self._frame = frame if frame.count(self._SLOT) == 1 and self._render("a b") == frame.replace(self._SLOT, "a b") else None
        return self._frame.replace(self._SLOT, text) if self._frame is not None else self._render(text)

    def _forward_last(self, images, texts, keep: int):
        """Logits of the last ``keep`` positions of left-padded rows (B, keep, V)."""
        tok = self.tokenizer
        side = tok.padding_side
        tok.padding_side = "left"  # every row ends at the same position: the answer positions line up
        try:
            enc = self.processor(images=images, text=texts, padding=True, return_tensors="pt")
        finally:
            tok.padding_side = side
        dtype = next(self.model.parameters()).dtype
        enc = {k: (v.to(self.device, dtype) if v.is_floating_point() else v.to(self.device)) for k, v in enc.items()}
        try:
            logits = self.model(**enc, logits_to_keep=keep).logits
        except TypeError:  # older architectures without logits_to_keep
            logits = self.model(**enc).logits
        return logits[:, -keep:], enc["input_ids"][:, -keep:]

    def _batch(self, images, queries):
        (torch,) = require("torch")
        prompts = [self.prompt(q) for q in queries]
        results: list = [None] * len(queries)
        yn = [i for i, q in enumerate(queries) if q.choices is None]
        if yn:
            logits, _ = self._forward_last([images[queries[i].image] for i in yn], [prompts[i] for i in yn], 1)
            for i, probs in zip(yn, self._yes_no(logits[:, -1])):
                results[i] = probs
        mc = [(i, c) for i, q in enumerate(queries) if q.choices is not None for c in q.choices]
        if mc:
            # a choice's tokens = the ids its text adds after the prompt (leading space if the prompt has none)
            texts, lengths = [], []
            for i, c in mc:
                sep = "" if prompts[i][-1:].isspace() else " "
                texts.append(prompts[i] + sep + c)
                lengths.append(len(self.tokenizer(sep + c, add_special_tokens=False)["input_ids"]))
            keep = max(lengths) + 1
            logits, ids = self._forward_last([images[queries[i].image] for i, _ in mc], texts, keep)
            logp = torch.log_softmax(logits[:, :-1].float(), dim=-1)
            token_logp = logp.gather(-1, ids[:, 1:, None]).squeeze(-1)  # (rows, keep-1): log P(next token)
            # a row's choice is its last n tokens: positions keep-1-n .. keep-2 predict them
            n = torch.tensor(lengths, device=logp.device)[:, None]
            keep_mask = torch.arange(keep - 1, device=logp.device)[None, :] >= (keep - 1 - n)
            scores: dict[int, list[float]] = {}
            for (i, _), total in zip(mc, (token_logp * keep_mask).sum(-1).tolist()):
                scores.setdefault(i, []).append(total)
            for i, s in scores.items():
                results[i] = _softmax(s)
        return results


def load_vqa(model: str, *, device: str | None = "auto", dtype: str | None = "auto", batch_size: int = 16) -> VQAModel:
    """A VQA back-end from a hub id or folder: BLIP VQA checkpoints → :class:`BlipVQA`, others → :class:`ChatVQA`.

    Examples
    --------
    >>> vqa = load_vqa("Salesforce/blip-vqa-base")            # doctest: +SKIP
    >>> vqa = load_vqa("Qwen/Qwen2.5-VL-3B-Instruct")         # doctest: +SKIP
    """
    torch, transformers = require("torch", "transformers")
    device = resolve_device(device)
    torch_dtype = resolve_dtype(dtype, device)
    try:
        config = transformers.AutoConfig.from_pretrained(model)
        processor = transformers.AutoProcessor.from_pretrained(model)
        if config.model_type == "blip":
            net = transformers.BlipForQuestionAnswering.from_pretrained(model, dtype=torch_dtype)
            cls = BlipVQA
        else:
            net = transformers.AutoModelForImageTextToText.from_pretrained(model, dtype=torch_dtype)
            cls = ChatVQA
    except (OSError, ValueError, KeyError) as exc:
        raise VisionError(f"cannot load VQA model {model!r}: {exc}") from exc
    return cls(net.to(device), processor, device=device, batch_size=batch_size, name=model)
