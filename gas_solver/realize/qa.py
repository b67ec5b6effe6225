"""Question–answer sets: every element of a scene turned into questions a VQA model can answer.

Question schema (also ``gas_solver/data/question_set.schema.json``)::

    {"id": "q3",                       # unique in the set, "q0", "q1", … in order
     "type": "attribute",              # existence | attribute | relation | count | scene_attribute
     "format": "yes_no",               # yes_no | multiple_choice | number
     "negative": false,                # true: a foil from the taxonomy, the answer is "no"
     "category": "mammal",             # taxonomy category of the object asked about (null for scene attributes)
     "elements": [{"object": 0, "attribute": ["colour", "brown"]}],
     "question": "Is the dog brown?",
     "answer": "yes",
     "choices": null,                  # list of strings for multiple choice (the answer is one of them)
     "depends_on": ["q0"]}             # ids of the questions this one presupposes (DSG); earlier ids only

Elements name what a question checks, by object index into the scene's
canonical form (the order of ``scene_to_dict(scene)["objects"]``):

* ``{"object": i}`` — object ``i`` exists (count questions list every copy);
* ``{"object": i, "attribute": [type, value]}``;
* ``{"relation": [subject, predicate, object]}``;
* ``{"scene_attribute": [type, value]}``;
* foils of negative questions: ``{"absent_object": concept}``,
  ``{"object": i, "absent_attribute": [type, value]}``,
  ``{"absent_relation": [subject, predicate, object]}``,
  ``{"absent_scene_attribute": [type, value]}``.

Kinds of questions:

* **existence**: "Is there a dog?" for every object; copies of a repeated
  concept: "Is there a second apple?" (depends on the first); multiple choice
  "Which of these is in the image?" with concepts of the same category that are
  not in the scene as distractors;
* **count** for repeated concepts: "How many apples are there?" (answer "2");
* **attribute**: "Is the dog brown?"; multiple choice "What colour is the dog?"
  with other values of the same type that apply to the object's category;
* **relation**: "Is the dog riding the horse?"; multiple choice "How is the dog
  related to the horse?" with other predicates the taxonomy allows for the pair;
* **scene_attribute**: the type's question ("Is this in the style of Claude Monet?");
  multiple choice over the type's other values;
* **negative** (answer "no"): a sibling concept that is not in the scene, another
  value of the attribute's type that the object does not have, another predicate
  allowed for the pair that is not the edge's, another value of a scene attribute.

Dependencies follow DSG: attribute, relation, count and multiple-choice
questions depend on the existence questions of their objects.  Repeated objects
are named by the same ordinals as in the caption ("the first apple").
"""

from __future__ import annotations

from ..scene import Scene, canonical_form, canonical_id
from ..taxonomy.model import Taxonomy
from .lexicon import MEDIUM, HashRng, Lexicon, lexicon, ordinal_word, references

__all__ = ["question_set", "QUESTION_TYPES", "QUESTION_FORMATS"]

QUESTION_TYPES = ("existence", "attribute", "relation", "count", "scene_attribute")
QUESTION_FORMATS = ("yes_no", "multiple_choice", "number")

#: distractors per multiple-choice question (so at most this + 1 choices)
N_DISTRACTORS = 3


class _Tables:
    """Per-taxonomy look-ups for foils and distractors (built once, cached on the lexicon)."""

    def __init__(self, tax: Taxonomy, lex: Lexicon):
        values_for: dict[tuple[str, str], list[str]] = {}  # (type, category) -> value ids
        for (t, v), cats in tax._value_scope.items():
            for c in cats:
                values_for.setdefault((t, c), []).append(v)
        self.values_for = {k: tuple(v) for k, v in values_for.items()}
        self.value_name = {(t.id, v.id): v.name for t in tax.attribute_types.values() for v in t.values}
        self.scene_value_name = {(t.id, v.id): v.name for t in tax.scene_attribute_types.values() for v in t.values}
        self.scene_values = {t.id: tuple(v.id for v in t.values) for t in tax.scene_attribute_types.values()}
        self.value_lname = {k: v.lower() for k, v in self.value_name.items()}
        self.value_lname_by_type = {t.id: {v.id: v.name.lower() for v in t.values}
                                    for t in tax.attribute_types.values()}
        self.scene_value_lname_by_type = {t.id: {v.id: v.name.lower() for v in t.values}
                                          for t in tax.scene_attribute_types.values()}
        self.concept_lname = {c: w.name.lower() for c, w in lex.obj.items()}
        self.rel_lname = {p: n.lower() for p, n in lex.rel_name.items()}
        self.attr_question = {t.id: t.question for t in tax.attribute_types.values()}
        self.attr_type_name = {t.id: t.name for t in tax.attribute_types.values()}
        self.preds_kind: dict[tuple[str, str, str], tuple[str, ...]] = {}
        self.preds_for: dict[tuple[str, str], tuple[str, ...]] = {}
        self.kind = {r.id: r.kind for r in tax.relations.values()}
        self.symmetric = {r.id for r in tax.relations.values() if r.symmetric}
        # siblings: concepts of the same category, else of the parent's closure
        by: dict[str, list[str]] = {}
        for o in tax.objects:
            by.setdefault(o.category, []).append(o.id)
        self.by_category = {k: tuple(v) for k, v in by.items()}
        self.tax = tax

    def predicates(self, subj_cat: str, obj_cat: str) -> tuple[str, ...]:
        key = (subj_cat, obj_cat)
        hit = self.preds_for.get(key)
        if hit is None:
            hit = self.preds_for[key] = tuple(self.tax.relations_for(subj_cat, obj_cat))
        return hit

    def predicates_split(self, subj_cat: str, obj_cat: str, kind: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Predicates allowed for the pair: (of this kind, of other kinds)."""
        key = (subj_cat, obj_cat, kind)
        hit = self.preds_kind.get(key)
        if hit is None:
            pool = self.predicates(subj_cat, obj_cat)
            hit = self.preds_kind[key] = (tuple(q for q in pool if self.kind[q] == kind),
                                          tuple(q for q in pool if self.kind[q] != kind))
        return hit

    def sibling_pool(self, category: str) -> tuple[str, ...]:
        """Concepts to draw object foils from: the category itself, else its parent's closure."""
        pool = self.by_category.get(category, ())
        if len(pool) > 1:
            return pool
        parent = self.tax.categories[category].parent
        if parent is None:
            return pool
        key = "^" + parent
        hit = self.by_category.get(key)
        if hit is None:
            hit = self.by_category[key] = tuple(o.id for o in self.tax.concepts_of(parent))
        return hit


def _tables(tax: Taxonomy, lex: Lexicon) -> _Tables:
    t = getattr(lex, "_qa_tables", None)
    if t is None:
        t = lex._qa_tables = _Tables(tax, lex)
    return t


def _pick(rng: HashRng, pool, k: int, names, bad, bad_names) -> list:
    """Up to ``k`` distinct items of ``pool``, none in ``bad`` and none whose ``names[x]`` is in
    ``bad_names``, chosen at random (deterministic by rng)."""
    n = len(pool)
    if not n:
        return []
    if n <= k + 4:
        return rng.sample([x for x in pool if x not in bad and names[x] not in bad_names], k)
    out: list = []
    for m in (2 * k + 2, 8 * k + 8):  # larger pools: rejection sampling, a second round rarely needed
        pos = rng.pos
        if pos + m > len(rng.words):
            rng._refill()
            pos = 0
        rng.pos = pos + m
        for w in rng.words[pos:pos + m]:  # the stream's words, read in place (hot path)
            x = pool[w % n]
            if x in out or x in bad or names[x] in bad_names:
                continue
            out.append(x)
            if len(out) == k:
                return out
    return out


_QIDS = tuple(f"q{i}" for i in range(512))


class _Builder:
    def __init__(self, scene: Scene, tax: Taxonomy, cid: str, seed: int, choice_position):
        self.scene = scene
        self.tax = tax
        self.lex = lexicon(tax)
        self.tab = _tables(tax, self.lex)
        self.rng = HashRng(f"{cid}:{seed}:qa")
        self.choice_position = choice_position
        self.n_mc = 0
        self.questions: list[dict] = []
        self.asked: set[str] = set()
        self.medium = MEDIUM.get(scene.modality, "scene")

    def add(self, qtype, fmt, category, elements, question, answer, choices=None, depends_on=None, negative=False):
        """Append a question (``depends_on``: a fresh list, kept as is) and return its id."""
        if negative:  # two elements may draw the same foil: ask it once
            if question in self.asked:
                return None
            self.asked.add(question)
        n = len(self.questions)
        qid = _QIDS[n] if n < len(_QIDS) else f"q{n}"
        self.questions.append({
            "id": qid, "type": qtype, "format": fmt, "negative": negative, "category": category,
            "elements": elements, "question": question, "answer": answer, "choices": choices,
            "depends_on": [] if depends_on is None else depends_on,
        })
        return qid

    def choices(self, correct: str, distractors: list[str]) -> list[str]:
        n = len(distractors) + 1
        cp = self.choice_position
        if cp is None or cp == "random":
            pos = self.rng.below(n)
        elif cp == "balanced":
            pos = self.n_mc % n
        else:
            pos = min(int(cp), n - 1)
        self.n_mc += 1
        out = list(distractors)
        out.insert(pos, correct)
        return out


def _attr_question(tab: _Tables, type_id: str, ref: str) -> str:
    q = tab.attr_question[type_id]
    if not q:
        return f"What is the {tab.attr_type_name[type_id]} of {ref}?"
    if "{object}" in q:
        return q.replace("{object}", ref)
    return f"{q} {ref}?"


def question_set(scene: Scene, taxonomy: Taxonomy, *, seed: int = 0, negatives: bool = True,
                 multiple_choice: bool = True, yes_share: float | None = None,
                 choice_position: int | str | None = None) -> list[dict]:
    """The question–answer set of a scene (schema in the module docstring).

    Parameters
    ----------
    scene : Scene
        Object indices in the questions refer to its canonical form.
    taxonomy : Taxonomy
        Names, question templates, and the source of foils and distractors.
    seed : int
        Picks foils, distractors and choice positions, together with the scene's id.
    negatives : bool
        Add questions whose answer is "no" (foils from the taxonomy).
    multiple_choice : bool
        Add multiple-choice variants (existence, attribute, relation, scene attribute, count).
    yes_share : float or None
        Target share of "yes" among yes/no questions, in (0, 1].  ``None``: one
        foil per element where the taxonomy has one.  Every element always keeps
        its "yes" question, so the share is reached by choosing how many foils
        to add; it can stay above the target when the taxonomy has too few foils.
    choice_position : int, "balanced", "random" or None
        Where the correct choice goes: a fixed index (clipped to the number of
        choices), round-robin over the set ("balanced"), or at random by seed
        (``None``/"random").

    Returns
    -------
    list[dict]

    Examples
    --------
    >>> qs = question_set(scene, tax, seed=0)  # doctest: +SKIP
    >>> qs[0]["question"], qs[0]["answer"]  # doctest: +SKIP
    ('Is there a dog?', 'yes')
    """
    canon = canonical_form(scene)
    return questions_canonical(canon, taxonomy, canonical_id(canon), seed=seed, negatives=negatives,
                               multiple_choice=multiple_choice, yes_share=yes_share, choice_position=choice_position)


def questions_canonical(canon: Scene, taxonomy: Taxonomy, cid: str, *, seed: int = 0, negatives: bool = True,
                        multiple_choice: bool = True, yes_share: float | None = None,
                        choice_position: int | str | None = None) -> list[dict]:
    """:func:`question_set` for a scene already in canonical form with its id (no recomputation)."""
    if yes_share is not None and not 0 < yes_share <= 1:
        raise ValueError(f"yes_share must be in (0, 1], got {yes_share}")
    if isinstance(choice_position, str) and choice_position not in ("balanced", "random"):
        raise ValueError(f"choice_position must be an int, 'balanced', 'random' or None, got {choice_position!r}")
    try:
        return _questions(canon, taxonomy, cid, seed, negatives, multiple_choice, yes_share, choice_position)
    except KeyError:
        from .row import check_labels

        check_labels(canon, taxonomy)  # raises UnknownLabel naming the field
        raise


def _questions(canon, taxonomy, cid, seed, negatives, multiple_choice, yes_share, choice_position) -> list[dict]:
    b = _Builder(canon, taxonomy, cid, seed, choice_position)
    lex, tab, rng, tax = b.lex, b.tab, b.rng, taxonomy
    objects = canon.objects
    refs, repeated = references(canon, lex)
    concepts_here = {o.concept for o in objects}
    cl = tab.concept_lname
    names_here = {cl[c] for c in concepts_here}
    exist: list[str] = [""] * len(objects)
    foils: list[tuple] = []  # negative candidates: (key, builder) grouped by element

    # -- existence and count ---------------------------------------------------
    seen_concepts: set[str] = set()
    for i, o in enumerate(objects):
        c = o.concept
        if c in seen_concepts:
            continue
        seen_concepts.add(c)
        w = lex.obj[c]
        copies = repeated.get(c, [i])
        first = copies[0]
        exist[first] = b.add("existence", "yes_no", w.category, [{"object": first}],
                             f"Is there {lex.question_subject(c)}?", "yes")
        for k, j in enumerate(copies[1:], start=2):
            exist[j] = b.add("existence", "yes_no", w.category, [{"object": j}],
                             f"Is there a {ordinal_word(k)} {w.unit}?", "yes", depends_on=[exist[first]])
        if len(copies) > 1:
            n = len(copies)
            if multiple_choice:
                wrong = [str(x) for x in range(max(1, n - 2), n + N_DISTRACTORS + 1) if x != n][:N_DISTRACTORS]
                ch, fmt = b.choices(str(n), wrong), "multiple_choice"
            else:
                ch, fmt = None, "number"
            b.add("count", fmt, w.category, [{"object": j} for j in copies], f"How many {w.plural} are there?",
                  str(n), ch, depends_on=[exist[first]])
        if multiple_choice:
            pool = tab.sibling_pool(w.category)
            d = _pick(rng, pool, N_DISTRACTORS, cl, concepts_here, names_here)
            if d:
                b.add("existence", "multiple_choice", w.category, [{"object": first}],
                      f"Which of these is in the {b.medium}?", w.name, b.choices(w.name, [lex.obj[x].name for x in d]),
                      depends_on=[exist[first]])
        if negatives:
            foils.append(("object", c))

    # -- attributes ---------------------------------------------------------------
    for i, o in enumerate(objects):
        w = lex.obj[o.concept]
        own = {(a.type, a.value) for a in o.attributes}
        own_names = {tab.value_lname[k] for k in own}
        types_count: dict[str, int] = {}
        for a in o.attributes:
            types_count[a.type] = types_count.get(a.type, 0) + 1
        for a in o.attributes:
            aw = lex.attr[(a.type, a.value)]
            b.add("attribute", "yes_no", w.category, [{"object": i, "attribute": [a.type, a.value]}],
                  f"Is {refs[i]} {aw.surface}?", "yes", depends_on=[exist[i]])
            pool = tab.values_for.get((a.type, w.category), ())
            own_t = {x.value for x in o.attributes if x.type == a.type}
            names_t = tab.value_lname_by_type[a.type]
            ok = (names_t, own_t, own_names)
            if multiple_choice and types_count[a.type] == 1:
                d = _pick(rng, pool, N_DISTRACTORS, *ok)
                if d:
                    name = tab.value_name[(a.type, a.value)]
                    b.add("attribute", "multiple_choice", w.category, [{"object": i, "attribute": [a.type, a.value]}],
                          _attr_question(tab, a.type, refs[i]), name,
                          b.choices(name, [tab.value_name[(a.type, v)] for v in d]), depends_on=[exist[i]])
            if negatives:
                foils.append(("attribute", i, a.type, pool, ok))

    # -- relations ----------------------------------------------------------------
    edges = {(r.subject, r.object): r.predicate for r in canon.relations}
    for r in canon.relations:
        s, o, p = r.subject, r.object, r.predicate
        cat_s = lex.obj[objects[s].concept].category
        cat_o = lex.obj[objects[o].concept].category
        name = lex.rel_name[p]
        b.add("relation", "yes_no", cat_s, [{"relation": [s, p, o]}], f"Is {refs[s]} {name} {refs[o]}?", "yes",
              depends_on=[exist[s], exist[o]])
        back = edges.get((o, s))
        names_used = {name.lower()}

        # not the edge's predicate, nor a symmetric predicate that the reverse edge already states
        bad = {p, back} if back in tab.symmetric else {p}
        ok = (tab.rel_lname, bad, names_used)

        pool = tab.predicates(cat_s, cat_o)
        if multiple_choice:
            d = _pick(rng, pool, N_DISTRACTORS, *ok)
            if d:
                b.add("relation", "multiple_choice", cat_s, [{"relation": [s, p, o]}],
                      f"How is {refs[s]} related to {refs[o]}?", name,
                      b.choices(name, [lex.rel_name[q] for q in d]), depends_on=[exist[s], exist[o]])
        if negatives:
            foils.append(("relation", s, o, p, pool, ok, cat_s))

    # -- scene attributes ---------------------------------------------------------
    for a in canon.scene_attributes:
        st = tax.scene_attribute_types[a.type]
        name = tab.scene_value_name[(a.type, a.value)]
        b.add("scene_attribute", "yes_no", None, [{"scene_attribute": [a.type, a.value]}],
              _scene_question(lex, (a.type, a.value), b.medium), "yes")
        pool = tab.scene_values[a.type]
        ok = (tab.scene_value_lname_by_type[a.type], {a.value}, {name.lower()})
        if multiple_choice:
            d = _pick(rng, pool, N_DISTRACTORS, *ok)
            if d:
                b.add("scene_attribute", "multiple_choice", None, [{"scene_attribute": [a.type, a.value]}],
                      f"What is the {st.name} of this {b.medium}?", name,
                      b.choices(name, [tab.scene_value_name[(a.type, v)] for v in d]))
        if negatives:
            foils.append(("scene", a.type, pool, ok))

    # -- negatives ----------------------------------------------------------------
    if negatives and foils:
        n_yes = sum(1 for q in b.questions if q["format"] == "yes_no")
        if yes_share is None:
            plan = [(f, 1) for f in foils]
        else:
            want = round(n_yes * (1 - yes_share) / yes_share)
            # spread the foils over the elements: round-robin, in an order fixed by the seed
            order = list(range(len(foils)))
            rng.shuffle(order)
            per = [0] * len(foils)
            for k in range(want):
                per[order[k % len(foils)]] += 1
            plan = [(foils[k], per[k]) for k in range(len(foils)) if per[k]]
        for f, k in plan:
            _negatives(b, f, k, refs, exist, concepts_here, names_here)
    return b.questions


def _scene_question(lex: Lexicon, key: tuple[str, str], medium: str) -> str:
    q = lex.scene_question.get(key)
    return q if q is not None else f"Is this {medium} {lex.scene_phrase[key]}?"


def _negatives(b: _Builder, foil: tuple, k: int, refs, exist, concepts_here, names_here) -> None:
    lex, tab, rng, objects = b.lex, b.tab, b.rng, b.scene.objects
    kind = foil[0]
    if kind == "object":
        c = foil[1]
        cat = lex.obj[c].category
        cl = tab.concept_lname
        for x in _pick(rng, tab.sibling_pool(cat), k, cl, concepts_here, names_here):
            b.add("existence", "yes_no", lex.obj[x].category, [{"absent_object": x}],
                  f"Is there {lex.question_subject(x)}?", "no", negative=True)
    elif kind == "attribute":
        _, i, t, pool, ok = foil
        for v in _pick(rng, pool, k, *ok):
            b.add("attribute", "yes_no", lex.obj[objects[i].concept].category,
                  [{"object": i, "absent_attribute": [t, v]}], f"Is {refs[i]} {lex.attr[(t, v)].surface}?", "no",
                  depends_on=[exist[i]], negative=True)
    elif kind == "relation":
        _, s, o, p, pool, ok, cat_s = foil
        same_kind, other_kind = tab.predicates_split(lex.obj[objects[s].concept].category,
                                                     lex.obj[objects[o].concept].category, tab.kind[p])
        # prefer a predicate of the same kind (riding/eating rather than riding/on top of, which can co-hold)
        picks = _pick(rng, same_kind, k, *ok)
        if len(picks) < k:
            picks += _pick(rng, other_kind, k - len(picks), *ok)
        for q in picks:
            b.add("relation", "yes_no", cat_s, [{"absent_relation": [s, q, o]}],
                  f"Is {refs[s]} {lex.rel_name[q]} {refs[o]}?", "no", depends_on=[exist[s], exist[o]], negative=True)
    else:
        _, t, pool, ok = foil
        for v in _pick(rng, pool, k, *ok):
            b.add("scene_attribute", "yes_no", None, [{"absent_scene_attribute": [t, v]}],
                  _scene_question(lex, (t, v), b.medium), "no",
                  negative=True)
