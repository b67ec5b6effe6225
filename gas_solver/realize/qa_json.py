"""Question sets written straight to JSON text: the bytes of ``orjson.dumps(question_set(...))``
without building the ~30 dicts per scene.

The row path (``gas sample``, :func:`~gas_solver.realize.realize_line`) spends most of its time on
questions; building a dict per question and then serialising it cost about as much as choosing
the foils.  This module repeats :func:`gas_solver.realize.qa._questions` step for step — the same
random stream read in the same order, the same picks, the same question ids — but each question
is one f-string of pre-escaped JSON fragments.  The dict-returning :func:`~gas_solver.realize.question_set`
stays the reference: ``tests/realize/test_qa_json.py`` checks on random scenes of three taxonomies that
the text here equals ``orjson.dumps`` of its output, and the pinned row digests cover both paths.

Why escaping fragments is enough: JSON escapes strings character by character, so the escaped
form of ``"Is " + ref + " red?"`` is ``"Is " + esc(ref) + " red?"`` when the literal parts need no
escaping (they are ASCII letters, spaces and punctuation other than ``"`` and ``\\``).  Every
taxonomy string is escaped once per taxonomy (by orjson itself); object references once per
distinct reference.
"""

from __future__ import annotations

import itertools

import orjson

from ..scene import Scene
from ..taxonomy.model import Taxonomy
from .lexicon import MEDIUM, HashRng, Lexicon, lexicon, ordinal_word, references
from .qa import _NO_POOL, _QIDS, N_DISTRACTORS, _pick, _pick_named, _Tables, _tables

__all__ = ["questions_json"]


def _esc(s: str) -> str:
    """The inside of ``s`` as a JSON string literal, exactly as orjson writes it."""
    return orjson.dumps(s).decode()[1:-1]


def _lst(x) -> str:
    return orjson.dumps(x).decode()


class _JsonTables:
    """Escaped JSON fragments of every taxonomy string a question uses (built once per taxonomy)."""

    def __init__(self, tab: _Tables, lex: Lexicon):
        self.exist_question = {c: _esc(q) for c, q in tab.exist_question.items()}
        self.concept_name = {c: _esc(n) for c, n in tab.concept_name.items()}
        self.concept_id = {c: _esc(c) for c in tab.concept_name}
        self.category = {c: _lst(cat) for c, cat in tab.concept_category.items()}  # '"mammal"' by concept
        self.unit = {c: _esc(w.unit) for c, w in lex.obj.items()}
        self.plural = {c: _esc(w.plural) for c, w in lex.obj.items()}
        self.surface = {k: _esc(s) for k, s in tab.attr_surface.items()}
        self.attr_elem = {k: _lst(list(k)) for k in tab.attr_surface}  # '["colour","brown"]'
        self.value_name_by_type = {t: {v: _esc(n) for v, n in names.items()}
                                   for t, names in tab.value_name_by_type.items()}
        self.attr_q_parts = {t: None if p is None else (_esc(p[0]), _esc(p[1])) for t, p in tab.attr_q_parts.items()}
        self.attr_question = {t: _esc(q) if q else q for t, q in tab.attr_question.items()}
        self.rel_name = {p: _esc(n) for p, n in lex.rel_name.items()}
        self.pred_id = {p: _esc(p) for p in lex.rel_name}
        self.scene_value_name = {k: _esc(n) for k, n in tab.scene_value_name.items()}
        self.scene_elem = {k: _lst(list(k)) for k in tab.scene_value_name}
        self.scene_type_name = {t: _esc(n) for t, n in tab.scene_type_name.items()}
        self.scene_questions: dict[str, dict[tuple[str, str], str]] = {}  # medium -> escaped questions
        self.refs: dict[str, str] = {}  # reference -> escaped, filled as scenes come

    def scene_questions_for(self, tab: _Tables, lex: Lexicon, medium: str) -> dict[tuple[str, str], str]:
        hit = self.scene_questions.get(medium)
        if hit is None:
            hit = self.scene_questions[medium] = {k: _esc(q) for k, q in tab.scene_questions_for(lex, medium).items()}
        return hit

    def escape_refs(self, refs: list[str]) -> list[str]:
        cache = self.refs
        out = []
        for r in refs:
            e = cache.get(r)
            if e is None:
                e = cache[r] = _esc(r)
            out.append(e)
        return out


def _pick_small(rng: HashRng, pool, names, k: int, bad_names) -> list:
    """:func:`~gas_solver.realize.qa._pick_named` for pools of at most ``k + 4`` items (attribute values,
    scene-attribute values): ``rng.sample`` of the allowed items with its words read in place, the
    same words and the same result without a method call per word."""
    cand = [x for x, name in zip(pool, names) if name not in bad_names]
    n = len(cand)
    if k > n:
        k = n
    words = rng.words
    pos = rng.pos
    for i in range(k):  # partial Fisher–Yates from the front, as HashRng.sample
        if pos >= len(words):
            rng._refill()
            words = rng.words
            pos = 0
        j = i + words[pos] % (n - i)
        pos += 1
        cand[i], cand[j] = cand[j], cand[i]
    rng.pos = pos
    return cand[:k]


def _pick_any(rng: HashRng, pool, names, k: int, bad_names) -> list:
    if len(pool) <= k + 4:
        return _pick_small(rng, pool, names, k, bad_names) if pool else []
    return _pick_named(rng, pool, names, k, bad_names)


def _json_tables(tab: _Tables, lex: Lexicon) -> _JsonTables:
    t = getattr(tab, "_json", None)
    if t is None:
        t = tab._json = _JsonTables(tab, lex)
    return t


def questions_json(canon: Scene, taxonomy: Taxonomy, cid: str, *, seed: int = 0, negatives: bool = True,
                   multiple_choice: bool = True, choice_position: int | str | None = None,
                   refs_repeated=None) -> str:
    """``orjson.dumps(questions_canonical(canon, taxonomy, cid, ...)).decode()``, written directly.

    ``canon`` must be in canonical form with id ``cid``; ``yes_share`` is not taken (use the dict
    path, :func:`~gas_solver.realize.question_set`).  Labels the taxonomy does not know raise
    ``KeyError`` (the callers turn it into :class:`~gas_solver.realize.UnknownLabel`).

    Examples
    --------
    >>> from gas_solver.scene import Scene, SceneObject, canonical_form, canonical_id
    >>> s = canonical_form(Scene((SceneObject("dog"),)))
    >>> questions_json(s, tax, canonical_id(s))[:60]  # doctest: +SKIP
    '[{"id":"q0","type":"existence","format":"yes_no","negative":f'
    """
    if isinstance(choice_position, str) and choice_position not in ("balanced", "random"):
        raise ValueError(f"choice_position must be an int, 'balanced', 'random' or None, got {choice_position!r}")
    lex = lexicon(taxonomy)
    tab = _tables(taxonomy, lex)
    js = _json_tables(tab, lex)
    # the same order of random draws as qa._questions (that order fixes the bytes): read them side by side
    rng = HashRng(f"{cid}:{seed}:qa")
    medium = MEDIUM.get(canon.modality, "scene")
    medium_j = _esc(medium)
    objects = canon.objects
    refs, repeated = references(canon, lex) if refs_repeated is None else refs_repeated
    rj = js.escape_refs(refs)
    qs: list[str] = []
    append = qs.append
    qids = _QIDS
    n_qids = len(qids)
    cl = tab.concept_lname
    ccat = tab.concept_category
    catj = js.category
    cnamej = js.concept_name
    concepts_here = {o.concept for o in objects}
    names_here = {cl[c] for c in concepts_here}
    exist: list[str] = [""] * len(objects)
    foils: list[tuple] = []
    mc_count = [0]

    # choices are escaped names; the result is the JSON array text
    if choice_position is None or choice_position == "random":
        def choices(correct: str, distractors: list[str]) -> str:
            pos = rng.pos  # rng.word(), read in place
            if pos >= len(rng.words):
                rng._refill()
                pos = 0
            rng.pos = pos + 1
            distractors.insert(rng.words[pos] % (len(distractors) + 1), correct)
            return '["' + '","'.join(distractors) + '"]'
    else:
        def choices(correct: str, distractors: list[str]) -> str:
            n = len(distractors) + 1
            pos = mc_count[0] % n if choice_position == "balanced" else min(int(choice_position), n - 1)
            mc_count[0] += 1
            distractors.insert(pos, correct)
            return '["' + '","'.join(distractors) + '"]'

    # -- existence and count ---------------------------------------------------
    seen_concepts: set[str] = set()
    for i, o in enumerate(objects):
        c = o.concept
        if c in seen_concepts:
            continue
        seen_concepts.add(c)
        cat = ccat[c]
        cj = catj[c]
        copies = repeated.get(c)
        first = i if copies is None else copies[0]
        k = len(qs)
        e = exist[first] = qids[k] if k < n_qids else f"q{k}"
        append(f'{{"id":"{e}","type":"existence","format":"yes_no","negative":false,"category":{cj},'
               f'"elements":[{{"object":{first}}}],"question":"{js.exist_question[c]}","answer":"yes",'
               f'"choices":null,"depends_on":[]}}')
        if copies is not None:
            unit = js.unit[c]
            for m, j in enumerate(copies[1:], start=2):
                k = len(qs)
                q = exist[j] = qids[k] if k < n_qids else f"q{k}"
                append(f'{{"id":"{q}","type":"existence","format":"yes_no","negative":false,"category":{cj},'
                       f'"elements":[{{"object":{j}}}],"question":"Is there a {ordinal_word(m)} {unit}?",'
                       f'"answer":"yes","choices":null,"depends_on":["{e}"]}}')
            n = len(copies)
            if multiple_choice:
                wrong = [str(x) for x in range(max(1, n - 2), n + N_DISTRACTORS + 1) if x != n][:N_DISTRACTORS]
                ch, fmt = choices(str(n), wrong), "multiple_choice"
            else:
                ch, fmt = "null", "number"
            k = len(qs)
            elements = ",".join(f'{{"object":{j}}}' for j in copies)
            append(f'{{"id":"{qids[k] if k < n_qids else f"q{k}"}","type":"count","format":"{fmt}",'
                   f'"negative":false,"category":{cj},"elements":[{elements}],'
                   f'"question":"How many {js.plural[c]} are there?","answer":"{n}","choices":{ch},'
                   f'"depends_on":["{e}"]}}')
        if multiple_choice or negatives:
            pool, pool_names = tab.named_siblings.get(cat) or tab.named_sibling_pool(cat)
            if multiple_choice:
                d = _pick_any(rng, pool, pool_names, N_DISTRACTORS, names_here)
                if d:
                    name = cnamej[c]
                    k = len(qs)
                    append(f'{{"id":"{qids[k] if k < n_qids else f"q{k}"}","type":"existence",'
                           f'"format":"multiple_choice","negative":false,"category":{cj},'
                           f'"elements":[{{"object":{first}}}],"question":"Which of these is in the {medium_j}?",'
                           f'"answer":"{name}","choices":{choices(name, [cnamej[x] for x in d])},'
                           f'"depends_on":["{e}"]}}')
            if negatives:
                foils.append((0, c, pool, pool_names, names_here, None))

    # -- attributes ---------------------------------------------------------------
    surface = js.surface
    attr_elem = js.attr_elem
    value_lname = tab.value_lname
    named_values = tab.named_values
    for i, o in enumerate(objects):
        attrs = o.attributes
        if not attrs:
            continue
        cat = ccat[o.concept]
        cj = catj[o.concept]
        ref = rj[i]
        e = exist[i]
        if len(attrs) == 1:
            a = attrs[0]
            own_names = {value_lname[(a.type, a.value)]}
            types = None
            distinct = True
        else:
            own_names = {value_lname[(a.type, a.value)] for a in attrs}
            types = [a.type for a in attrs]
            distinct = len(set(types)) == len(types)
        for a in attrs:
            t, v = a.type, a.value
            tv = (t, v)
            k = len(qs)
            el = attr_elem[tv]
            append(f'{{"id":"{qids[k] if k < n_qids else f"q{k}"}","type":"attribute","format":"yes_no",'
                   f'"negative":false,"category":{cj},"elements":[{{"object":{i},"attribute":{el}}}],'
                   f'"question":"Is {ref} {surface[tv]}?","answer":"yes","choices":null,"depends_on":["{e}"]}}')
            pool, pool_names = named_values.get((t, cat), _NO_POOL)
            if multiple_choice and (distinct or types.count(t) == 1):
                d = _pick_any(rng, pool, pool_names, N_DISTRACTORS, own_names)
                if d:
                    vn = js.value_name_by_type[t]
                    name = vn[v]
                    parts = js.attr_q_parts[t]
                    question = parts[0] + ref + parts[1] if parts is not None else \
                        js.attr_question[t].replace("{object}", ref)
                    k = len(qs)
                    append(f'{{"id":"{qids[k] if k < n_qids else f"q{k}"}","type":"attribute",'
                           f'"format":"multiple_choice","negative":false,"category":{cj},'
                           f'"elements":[{{"object":{i},"attribute":{el}}}],"question":"{question}",'
                           f'"answer":"{name}","choices":{choices(name, [vn[x] for x in d])},'
                           f'"depends_on":["{e}"]}}')
            if negatives:
                foils.append((1, i, pool, pool_names, own_names, t))

    # -- relations ----------------------------------------------------------------
    relations = canon.relations
    rel_name = js.rel_name
    pred_id = js.pred_id
    if relations:
        symmetric = tab.symmetric
        edges = {(r.subject, r.object): r.predicate for r in relations}
        for r in relations:
            s, o, p = r.subject, r.object, r.predicate
            cat_s = ccat[objects[s].concept]
            cat_o = ccat[objects[o].concept]
            cj = catj[objects[s].concept]
            name = rel_name[p]
            el = f'[{s},"{pred_id[p]}",{o}]'
            deps = f'["{exist[s]}","{exist[o]}"]'
            k = len(qs)
            append(f'{{"id":"{qids[k] if k < n_qids else f"q{k}"}","type":"relation","format":"yes_no",'
                   f'"negative":false,"category":{cj},"elements":[{{"relation":{el}}}],'
                   f'"question":"Is {rj[s]} {name} {rj[o]}?","answer":"yes","choices":null,"depends_on":{deps}}}')
            back = edges.get((o, s))
            bad = {p, back} if back in symmetric else {p}
            bad_names = {tab.rel_lname[p]}
            if multiple_choice:
                d = _pick(rng, tab.preds_for.get((cat_s, cat_o)) or tab.predicates(cat_s, cat_o), N_DISTRACTORS,
                          tab.rel_lname, bad, bad_names)
                if d:
                    k = len(qs)
                    append(f'{{"id":"{qids[k] if k < n_qids else f"q{k}"}","type":"relation",'
                           f'"format":"multiple_choice","negative":false,"category":{cj},'
                           f'"elements":[{{"relation":{el}}}],"question":"How is {rj[s]} related to {rj[o]}?",'
                           f'"answer":"{name}","choices":{choices(name, [rel_name[q] for q in d])},'
                           f'"depends_on":{deps}}}')
            if negatives:
                foils.append((2, r, cat_s, cat_o, bad, bad_names))

    # -- scene attributes ---------------------------------------------------------
    scene_questions = js.scene_questions_for(tab, lex, medium) if canon.scene_attributes else None
    for a in canon.scene_attributes:
        t, v = a.type, a.value
        tv = (t, v)
        name = js.scene_value_name[tv]
        el = js.scene_elem[tv]
        k = len(qs)
        append(f'{{"id":"{qids[k] if k < n_qids else f"q{k}"}","type":"scene_attribute","format":"yes_no",'
               f'"negative":false,"category":null,"elements":[{{"scene_attribute":{el}}}],'
               f'"question":"{scene_questions[tv]}","answer":"yes","choices":null,"depends_on":[]}}')
        pool, pool_names = tab.named_scene_values[t]
        bad_names = {tab.scene_value_name[tv].lower()}
        if multiple_choice:
            d = _pick_any(rng, pool, pool_names, N_DISTRACTORS, bad_names)
            if d:
                vn = js.scene_value_name
                k = len(qs)
                append(f'{{"id":"{qids[k] if k < n_qids else f"q{k}"}","type":"scene_attribute",'
                       f'"format":"multiple_choice","negative":false,"category":null,'
                       f'"elements":[{{"scene_attribute":{el}}}],'
                       f'"question":"What is the {js.scene_type_name[t]} of this {medium_j}?","answer":"{name}",'
                       f'"choices":{choices(name, [vn[(t, x)] for x in d])},"depends_on":[]}}')
        if negatives:
            foils.append((3, t, pool, pool_names, bad_names, None))

    # -- negatives ----------------------------------------------------------------
    if negatives and foils:
        asked: set[str] = set()  # escaped question texts (escaping is one-to-one)
        for (kind, x, pool, pool_names, bad_names, extra), n_foils in zip(foils, itertools.repeat(1)):
            if kind == 0:
                for f in _pick_any(rng, pool, pool_names, n_foils, bad_names):
                    question = js.exist_question[f]
                    if question in asked:
                        continue
                    asked.add(question)
                    k = len(qs)
                    append(f'{{"id":"{qids[k] if k < n_qids else f"q{k}"}","type":"existence","format":"yes_no",'
                           f'"negative":true,"category":{catj[f]},'
                           f'"elements":[{{"absent_object":"{js.concept_id[f]}"}}],'
                           f'"question":"{question}","answer":"no","choices":null,"depends_on":[]}}')
            elif kind == 1:
                t = extra
                ref = rj[x]
                cj = catj[objects[x].concept]
                for f in _pick_any(rng, pool, pool_names, n_foils, bad_names):
                    question = f"Is {ref} {surface[(t, f)]}?"
                    if question in asked:
                        continue
                    asked.add(question)
                    k = len(qs)
                    append(f'{{"id":"{qids[k] if k < n_qids else f"q{k}"}","type":"attribute","format":"yes_no",'
                           f'"negative":true,"category":{cj},'
                           f'"elements":[{{"object":{x},"absent_attribute":{attr_elem[(t, f)]}}}],'
                           f'"question":"{question}","answer":"no","choices":null,"depends_on":["{exist[x]}"]}}')
            elif kind == 2:
                s, o, p = x.subject, x.object, x.predicate
                cat_s, cat_o, bad = pool, pool_names, bad_names
                bad_names = extra
                same_kind, other_kind = tab.predicates_split(cat_s, cat_o, tab.kind[p])
                picks = _pick(rng, same_kind, n_foils, tab.rel_lname, bad, bad_names)
                if len(picks) < n_foils:
                    picks += _pick(rng, other_kind, n_foils - len(picks), tab.rel_lname, bad, bad_names)
                cj = catj[objects[s].concept]
                for f in picks:
                    question = f"Is {rj[s]} {rel_name[f]} {rj[o]}?"
                    if question in asked:
                        continue
                    asked.add(question)
                    k = len(qs)
                    append(f'{{"id":"{qids[k] if k < n_qids else f"q{k}"}","type":"relation","format":"yes_no",'
                           f'"negative":true,"category":{cj},'
                           f'"elements":[{{"absent_relation":[{s},"{pred_id[f]}",{o}]}}],'
                           f'"question":"{question}","answer":"no","choices":null,'
                           f'"depends_on":["{exist[s]}","{exist[o]}"]}}')
            else:
                t = x
                for f in _pick_any(rng, pool, pool_names, n_foils, bad_names):
                    question = scene_questions[(t, f)]
                    if question in asked:
                        continue
                    asked.add(question)
                    k = len(qs)
                    append(f'{{"id":"{qids[k] if k < n_qids else f"q{k}"}","type":"scene_attribute",'
                           f'"format":"yes_no","negative":true,"category":null,'
                           f'"elements":[{{"absent_scene_attribute":{js.scene_elem[(t, f)]}}}],'
                           f'"question":"{question}","answer":"no","choices":null,"depends_on":[]}}')
    return "[" + ",".join(qs) + "]"
