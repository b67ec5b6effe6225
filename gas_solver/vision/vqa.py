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

import math
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
        p_yes = torch.sigmoid(yes - no)
        return [[float(p), float(1.0 - p)] for p in p_yes]

    def _batch(self, images, queries: list[Query]) -> list[list[float]]:  # pragma: no cover - abstract
        raise NotImplementedError


def _softmax(xs: Sequence[float]) -> list[float]:
    m = max(xs)
    e = [math.exp(x - m) for x in xs]
    s = sum(e)
    return [v / s for v in e]


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
        # transformers 5.24's BLIP text layers drop the cross-attention mask (the layer passes it as
        # `attention_mask`, the attention reads `encoder_attention_mask`), so padded question tokens would
        # leak into the answer.  Decode rows in groups of equal question length: no padding to mask.
        lengths = text["attention_mask"].sum(dim=1).tolist()
        logits = [None] * len(rows)
        groups: dict[int, list[int]] = {}
        for r, (qi, _) in enumerate(owner):
            groups.setdefault(int(lengths[qi]), []).append(r)
        for qlen, members in groups.items():
            width = max(len(rows[r]) for r in members)
            ids = torch.zeros((len(members), width), dtype=torch.long)
            mask = torch.zeros((len(members), width), dtype=torch.long)
            for k, r in enumerate(members):
                ids[k, :len(rows[r])] = torch.tensor(rows[r])
                mask[k, :len(rows[r])] = 1
            take = [owner[r][0] for r in members]
            out = model.text_decoder(
                input_ids=ids.to(dev), attention_mask=mask.to(dev), encoder_hidden_states=question[take, :qlen],
                encoder_attention_mask=text["attention_mask"][take, :qlen]).logits
            for k, r in enumerate(members):
                logits[r] = out[k]
        return self._collect(queries, rows, owner, logits)

    def _collect(self, queries, rows, owner, logits):
        """Per query: yes/no mass at the first answer position, or a softmax over its choices' log-probabilities."""
        (torch,) = require("torch")
        results: list = [None] * len(queries)
        choice_scores: dict[int, list[float]] = {}
        for r, (qi, ci) in enumerate(owner):
            if ci is None:
                results[qi] = self._yes_no(logits[r][None, 0])[0]
                continue
            logp = torch.log_softmax(logits[r].float(), dim=-1)
            targets = torch.tensor(rows[r][1:], device=logp.device)
            score = logp[torch.arange(len(targets), device=logp.device), targets].sum()
            choice_scores.setdefault(qi, []).append(float(score))
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

    def prompt(self, query: Query) -> str:
        if query.choices is None:
            text = f"{query.question} Answer yes or no."
        elif query.number:
            text = f"{query.question} Answer with a number."
        else:
            text = f"{query.question} Choices: {', '.join(query.choices)}. Answer with one of the choices."
        messages = [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": text}]}]
        return self.processor.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)

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
            logp = torch.log_softmax(logits.float(), dim=-1)
            scores: dict[int, list[float]] = {}
            for r, ((i, _), n) in enumerate(zip(mc, lengths)):
                # positions keep-1-n .. keep-2 predict the choice's n tokens at keep-n .. keep-1
                pos = torch.arange(keep - 1 - n, keep - 1, device=logp.device)
                scores.setdefault(i, []).append(float(logp[r, pos, ids[r, pos + 1]].sum()))
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
