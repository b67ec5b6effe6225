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

import array
import itertools

import orjson

from ..scene import Scene, canonical_form, canonical_id
from ..taxonomy.model import Taxonomy
from .labels import check_labels
from .lexicon import MEDIUM, HashRng, Lexicon, lexicon, ordinal_word, references

__all__ = ["question_set", "questions_text", "QuestionSetText", "QUESTION_TYPES", "QUESTION_FORMATS"]

QUESTION_TYPES = ("existence", "attribute", "relation", "count", "scene_attribute")
QUESTION_FORMATS = ("yes_no", "multiple_choice", "number")

#: distractors per multiple-choice question (so at most this + 1 choices)
N_DISTRACTORS = 3


def _json(text: str) -> str:
    """``text`` as a JSON string literal, exactly as orjson writes it (quotes included)."""
    return orjson.dumps(text).decode()


def _inside(text: str) -> str:
    """The inside of ``text``'s JSON string literal (escaped, without the quotes)."""
    if text.isprintable() and '"' not in text and "\\" not in text:
        return text  # nothing to escape (JSON escapes only quotes, backslashes and control characters)
    return orjson.dumps(text).decode()[1:-1]


class _Pool:
    """Candidates for distractors and foils, as tuples aligned by position.

    :func:`_pick_named` draws positions, and a question reads what it quotes of a
    pick by position (no dict look-up per pick).

    Attributes
    ----------
    ids : tuple[str, ...]
        The candidates (concept ids, value ids of one type, predicate ids); distinct.
    lnames : tuple[str, ...]
        Their lower-cased names ("no two choices read the same").
    name_ids : array.array
        The same names as small integers (the tables intern them): a draw compares integers
        held in one array rather than reading names scattered over the heap.
    name_j : tuple[str, ...]
        Their names as JSON string literals (what a choice shows).
    foil : tuple
        What a negative question needs of each: for concepts (existence question, category,
        id) as JSON text, for attribute values (``[type, value]`` as JSON, the surface inside
        a JSON string), for scene-attribute values ``[type, value]`` as JSON, for predicates
        their :class:`_Relation` records.
    """

    __slots__ = ("ids", "lnames", "name_ids", "name_j", "foil")

    def __init__(self, ids: tuple, recs, foil: tuple, name_id: dict[str, int]):
        """``recs``: the candidates' records (:class:`_Concept`, :class:`_Value` or :class:`_Relation`), aligned
        with ``ids``; ``name_id`` interns names."""
        self.ids = ids
        self.lnames = tuple([r.lname for r in recs])
        self.name_ids = array.array("I", [_intern(name_id, x) for x in self.lnames])
        self.name_j = tuple([r.name_j for r in recs])
        self.foil = foil


def _intern(name_id: dict[str, int], name: str) -> int:
    """``name``'s integer in ``name_id`` (a new one if it has none yet)."""
    return name_id.setdefault(name, len(name_id))


class _Concept:
    """What questions quote of one concept, in one look-up (JSON text: *_j literals, *_x insides)."""

    __slots__ = ("cat", "category_j", "name_j", "lname", "name_id", "exist_j", "unit_x", "plural_x", "siblings")

    def __init__(self, cat: str, category_j: str, name_j: str, lname: str, name_id: int, exist_j: str, unit_x: str,
                 plural_x: str):
        self.cat = cat
        self.category_j = category_j
        self.name_j = name_j
        self.lname = lname
        self.name_id = name_id  # lname interned (see _Pool.name_ids)
        self.exist_j = exist_j
        self.unit_x = unit_x
        self.plural_x = plural_x
        self.siblings: _Pool | None = None  # where its foils and distractors come from (set by _Tables)


class _Value:
    """What questions quote of one attribute value, in one look-up."""

    __slots__ = ("name_j", "lname", "name_id", "pair_j", "surf_x")

    def __init__(self, name_j: str, lname: str, name_id: int, pair_j: str, surf_x: str):
        self.name_j = name_j
        self.lname = lname
        self.name_id = name_id  # lname interned (see _Pool.name_ids)
        self.pair_j = pair_j  # the elements' ["type", "value"]
        self.surf_x = surf_x  # how a yes/no question says it ("brown", "made of wood"); "" for scene attributes


class _Relation:
    """What questions quote of one predicate, in one look-up."""

    __slots__ = ("name_j", "lname", "pred_j", "name_x", "kind")

    def __init__(self, name_j: str, lname: str, pred_j: str, name_x: str, kind: str):
        self.name_j = name_j  # the phrase after the subject ("riding", "on top of"), as a JSON literal
        self.lname = lname
        self.pred_j = pred_j  # the predicate id as a JSON literal (the elements')
        self.name_x = name_x
        self.kind = kind


_NO_POOL = _Pool((), (), (), {})


class _Tables:
    """Per-taxonomy look-ups for question text, foils and distractors (built once, cached on the lexicon).

    Everything a question needs that depends only on the taxonomy is looked up
    here with one dict access per element: a concept's record (its existence
    question, names, and the pool its foils and distractors come from), an
    attribute value's record, the pools of values per category and type.
    Strings are held as JSON text, ready to be written into a question set
    (see :class:`QuestionSetText`): *_j are JSON string literals (quotes
    included), *_x their insides (for composing longer strings).  JSON escapes
    character by character, so escaping a composed string = composing escaped pieces.
    """

    def __init__(self, tax: Taxonomy, lex: Lexicon):
        self.tax = tax
        self.symmetric = {r.id for r in tax.relations.values() if r.symmetric}
        # predicate pools per (subject category, object category), filled as pairs occur: category -> category
        # -> pool (its foil: the predicates' records), and split by kind for negatives
        self.pair_pools: dict[str, dict[str, _Pool]] = {}
        self.pair_splits: dict[tuple[_Pool, str], tuple[_Pool, _Pool]] = {}  # (pool, kind) -> pools
        self.name_id: dict[str, int] = {}  # lower-cased names interned as small integers (_Pool.name_ids)
        name_id = self.name_id

        # -- concepts: a record each, sharing one sibling pool per category
        self.concept: dict[str, _Concept] = {}
        for c, w in lex.obj.items():
            lname = w.name.lower()
            self.concept[c] = _Concept(w.category, _json(w.category), _json(w.name), lname,
                                       _intern(name_id, lname), _json(f"Is there {lex.question_subject(c)}?"),
                                       _inside(w.unit), _inside(w.plural))
        by_category: dict[str, list[str]] = {}
        for o in tax.objects:
            by_category.setdefault(o.category, []).append(o.id)
        pools: dict[str, _Pool] = {}
        for rec in self.concept.values():
            pool = pools.get(rec.cat)
            if pool is None:
                ids = _sibling_pool(tax, by_category, rec.cat)
                recs = [self.concept[x] for x in ids]
                pool = pools[rec.cat] = _Pool(ids, recs, tuple((r.exist_j, r.category_j, _json(x))
                                                               for x, r in zip(ids, recs)), name_id)
            rec.siblings = pool

        # -- attribute values: a record each (type -> value -> record), pools per category and type
        self.value: dict[str, dict[str, _Value]] = {
            t.id: {v.id: _value(t.id, v, _inside(lex.attr[(t.id, v.id)].surface), name_id) for v in t.values}
            for t in tax.attribute_types.values()}
        values_for: dict[tuple[str, str], list[str]] = {}  # (category, type) -> value ids
        for (t, v), cats in tax.value_scope.items():
            for c in cats:
                values_for.setdefault((c, t), []).append(v)
        self.value_pool: dict[str, dict[str, _Pool]] = {}  # category -> type -> pool
        for (c, t), ids in values_for.items():
            recs = [self.value[t][v] for v in ids]
            self.value_pool.setdefault(c, {})[t] = _Pool(tuple(ids), recs, tuple((r.pair_j, r.surf_x) for r in recs),
                                                         name_id)
        # "What colour is {ref}?" as (prefix, suffix) around the reference, or None: use _attr_question
        self.attr_q_parts_x: dict[str, tuple[str, str] | None] = {}
        self.attr_question_x: dict[str, str] = {}
        for t in tax.attribute_types.values():
            q = t.question
            if not q:
                parts = (f"What is the {t.name} of ", "?")
            elif "{object}" in q:
                split = q.split("{object}")
                parts = (split[0], split[1]) if len(split) == 2 else None
                self.attr_question_x[t.id] = _inside(q)
            else:
                parts = (q + " ", "?")
            self.attr_q_parts_x[t.id] = None if parts is None else (_inside(parts[0]), _inside(parts[1]))

        # -- relations
        kinds = {r.id: r.kind for r in tax.relations.values()}
        self.relation = {p: _Relation(_json(n), n.lower(), _json(p), _inside(n), kinds[p])
                         for p, n in lex.rel_name.items()}

        # -- scene attributes
        # a record per value (type -> value -> record; no surface: their questions depend on the medium), a
        # pool per type (its foils: the values' [type, value] as JSON)
        self.scene_value: dict[str, dict[str, _Value]] = {
            t.id: {v.id: _value(t.id, v, "", name_id) for v in t.values} for t in tax.scene_attribute_types.values()}
        self.scene_pool: dict[str, _Pool] = {}
        for t in tax.scene_attribute_types.values():
            recs = [self.scene_value[t.id][v.id] for v in t.values]
            self.scene_pool[t.id] = _Pool(tuple(v.id for v in t.values), recs, tuple(r.pair_j for r in recs), name_id)
        self.scene_type_name_x = {t.id: _inside(t.name) for t in tax.scene_attribute_types.values()}
        self.scene_questions_j: dict[str, dict[str, dict[str, str]]] = {}  # medium -> type -> value -> JSON

    def scene_questions_json(self, lex: Lexicon, medium: str) -> dict[str, dict[str, str]]:
        """Every scene-attribute value's yes/no question for one medium, as JSON string literals
        (type -> value -> question; built once per medium)."""
        hit = self.scene_questions_j.get(medium)
        if hit is None:
            hit = self.scene_questions_j[medium] = {}
            for key in lex.scene_phrase:
                hit.setdefault(key[0], {})[key[1]] = _json(_scene_question(lex, key, medium))
        return hit

    def predicates(self, subj_cat: str, obj_cat: str) -> _Pool:
        """The predicates the taxonomy allows from ``subj_cat`` to ``obj_cat``
        (``Taxonomy.relations_for``, in its order)."""
        by_object = self.pair_pools.get(subj_cat)
        if by_object is None:
            by_object = self.pair_pools[subj_cat] = {}
        hit = by_object.get(obj_cat)
        if hit is None:
            hit = by_object[obj_cat] = self._predicate_pool(tuple(self.tax.relations_for(subj_cat, obj_cat)))
        return hit

    def predicates_split(self, subj_cat: str, obj_cat: str, kind: str) -> tuple[_Pool, _Pool]:
        """Predicates allowed for the pair: (of this kind, of other kinds)."""
        pool = self.predicates(subj_cat, obj_cat)
        key = (pool, kind)  # a pool hashes by identity: one per set of predicates
        hit = self.pair_splits.get(key)
        if hit is None:
            ids = pool.ids
            hit = self.pair_splits[key] = (
                self._predicate_pool(tuple([q for q in ids if self.relation[q].kind == kind])),
                self._predicate_pool(tuple([q for q in ids if self.relation[q].kind != kind])))
        return hit

    def _predicate_pool(self, ids: tuple[str, ...]) -> _Pool:
        recs = tuple(self.relation[q] for q in ids)
        return _Pool(ids, recs, recs, self.name_id)


def _value(type_id: str, v, surf_x: str, name_id: dict[str, int]) -> _Value:
    """The record of value ``v`` (an attribute or scene-attribute value) of type ``type_id``."""
    lname = v.name.lower()
    return _Value(_json(v.name), lname, _intern(name_id, lname), f"[{_json(type_id)},{_json(v.id)}]", surf_x)


def _sibling_pool(tax: Taxonomy, by_category: dict[str, list[str]], category: str) -> tuple[str, ...]:
    """Concepts to draw object foils from: the category itself, else its parent's closure."""
    pool = tuple(by_category.get(category, ()))
    if len(pool) > 1:
        return pool
    parent = tax.categories[category].parent
    if parent is None:
        return pool
    return tuple(o.id for o in tax.concepts_of(parent))


def _tables(tax: Taxonomy, lex: Lexicon) -> _Tables:
    t = getattr(lex, "_qa_tables", None)
    if t is None:
        t = lex._qa_tables = _Tables(tax, lex)
    return t


def _pick(rng: HashRng, pool: _Pool, k: int, bad, bad_names) -> list[int]:
    """Up to ``k`` distinct items of ``pool``, none in ``bad`` and none whose name is in ``bad_names``,
    chosen at random (deterministic by rng); returned as positions in the pool (its items are distinct)."""
    ids = pool.ids
    names = pool.lnames
    n = len(ids)
    if not n:
        return []
    if n <= k + 4:
        return rng.sample([j for j in range(n) if ids[j] not in bad and names[j] not in bad_names], k)
    out: list = []
    for m in (2 * k + 2, 8 * k + 8):  # larger pools: rejection sampling, a second round rarely needed
        pos = rng.take(m)
        words = rng.words
        for i in range(pos, pos + m):  # the stream's words, read in place (hot path)
            j = words[i] % n
            if j in out or ids[j] in bad or names[j] in bad_names:
                continue
            out.append(j)
            if len(out) == k:
                return out
    return out


def _pick_named(rng: HashRng, pool: _Pool, k: int, bad_ids: tuple) -> list[int]:
    """:func:`_pick` for a pool whose excluded items all have their name among ``bad_ids`` (interned
    names, see :attr:`_Pool.name_ids`): the same draws and the same picks, one test fewer per draw,
    returned as positions in the pool.  Holds for concepts (the scene's concepts and their names),
    attribute values (the object's values and their names) and scene-attribute values."""
    name_ids = pool.name_ids
    n = len(name_ids)
    if n <= k + 4:
        if not n:
            return []
        return rng.sample([j for j in range(n) if name_ids[j] not in bad_ids], k)
    # _pick's rejection rounds, reading the stream's words in place (hot path); the second is rarely needed.
    # Positions stand for the items: a pool's items are distinct.
    n_bad = len(bad_ids)
    out: list = []
    for m in (2 * k + 2, 8 * k + 8):
        pos = rng.take(m)
        words = rng.words
        for i in range(pos, pos + m):
            j = words[i] % n
            name = name_ids[j]
            for b in range(n_bad):  # a handful of names: compared as integers, in place
                bad = bad_ids[b]
                if bad == name:
                    break
            else:
                if j not in out:
                    out.append(j)
                    if len(out) == k:
                        return out
    return out


# question ids, and how each question's JSON text opens: its separator in the array ("[" before the first,
# "," before the others), so that the set's text is one join of the questions' texts; grown on demand
_QIDS: list[str] = []
_QOPEN: list[str] = []


def _more_ids(k: int) -> None:
    """Make ids up to at least ``k`` (in blocks of 4,096)."""
    for i in range(len(_QIDS), (k // 4096 + 1) * 4096):
        _QIDS.append(f"q{i}")
        _QOPEN.append(f'{"[" if i == 0 else ","}{{"id":"q{i}')


_more_ids(0)


def _place(rng: HashRng, placement: list | None, correct: str, distractors: list[str]) -> list[str]:
    """``distractors`` with ``correct`` inserted: at a random position (``placement`` None), round-robin
    (``["balanced", placed]``) or at a fixed index (``[index, placed]``, clipped); counts the placement."""
    n = len(distractors) + 1
    if placement is None:
        pos = rng.word() % n
    else:
        pos = placement[1] % n if placement[0] == "balanced" else min(int(placement[0]), n - 1)
        placement[1] += 1
    distractors.insert(pos, correct)
    return distractors


def _attr_question(tab: _Tables, type_id: str, ref: str) -> str:
    """The multiple-choice question of an attribute type about ``ref``, inside a JSON string (all escaped)."""
    parts = tab.attr_q_parts_x[type_id]
    if parts is not None:
        return parts[0] + ref + parts[1]
    return tab.attr_question_x[type_id].replace("{object}", ref)


class _Kind:
    """A question's type, format and polarity, with the constant JSON text they make (so that writing a
    question joins a dozen pieces, not twenty)."""

    __slots__ = ("qtype", "negative", "head", "tail")

    def __init__(self, qtype: str, fmt: str, negative: bool = False):
        self.qtype = qtype
        self.negative = negative
        # after the id: '","type":...,"category":'
        self.head = f'","type":"{qtype}","format":"{fmt}","negative":{"true" if negative else "false"},"category":'
        # yes/no questions: after the question, up to the dependencies
        self.tail = f',"answer":"{"no" if negative else "yes"}","choices":null,"depends_on":' if fmt == "yes_no" else ""


_EXISTENCE = _Kind("existence", "yes_no")
_EXISTENCE_NOT = _Kind("existence", "yes_no", True)
_EXISTENCE_CHOICE = _Kind("existence", "multiple_choice")
_COUNT_CHOICE = _Kind("count", "multiple_choice")
_COUNT_NUMBER = _Kind("count", "number")
_ATTRIBUTE = _Kind("attribute", "yes_no")
_ATTRIBUTE_NOT = _Kind("attribute", "yes_no", True)
_ATTRIBUTE_CHOICE = _Kind("attribute", "multiple_choice")
_RELATION = _Kind("relation", "yes_no")
_RELATION_NOT = _Kind("relation", "yes_no", True)
_RELATION_CHOICE = _Kind("relation", "multiple_choice")
_SCENE = _Kind("scene_attribute", "yes_no")
_SCENE_NOT = _Kind("scene_attribute", "yes_no", True)
_SCENE_CHOICE = _Kind("scene_attribute", "multiple_choice")


class QuestionSetText:
    """A question set written as JSON text, with the counts that dataset statistics need.

    The realizer writes each question straight to its JSON object (the schema of the
    module docstring, keys in that order, as ``orjson.dumps`` writes the dict), so that
    rows of a dataset never build ~30 dicts per scene only to serialize them.

    Attributes
    ----------
    texts : list[str]
        One JSON object per question, in order, each after its separator in the array
        (``[`` before the first question, ``,`` before the others).
    types : list[str]
        The type of each question.
    yes_no : int
        Questions of format ``yes_no``.
    yes, no : int
        Questions whose answer is ``"yes"`` / ``"no"``.

    Examples
    --------
    >>> qs = questions_text(canon, tax, cid, seed=0)  # doctest: +SKIP
    >>> orjson.loads(qs.json()) == questions_canonical(canon, tax, cid, seed=0)  # doctest: +SKIP
    True
    """

    __slots__ = ("texts", "types", "yes_no", "yes", "no")

    def __init__(self):
        self.texts: list[str] = []
        self.types: list[str] = []
        self.yes_no = 0
        self.yes = 0
        self.no = 0

    def add_yes_no(self, kind: _Kind, category: str, elements: str, question: str, depends_on: str) -> str:
        """Append a yes/no question of ``kind`` (its answer: "no" if the kind is negative, else "yes");
        the other arguments are JSON text.  Returns the question's id."""
        k = len(self.texts)
        if k >= len(_QIDS):
            _more_ids(k)
        self.texts.append(f'{_QOPEN[k]}{kind.head}{category},"elements":{elements},"question":{question}'
                          f'{kind.tail}{depends_on}}}')
        self.types.append(kind.qtype)
        self.yes_no += 1
        if kind.negative:
            self.no += 1
        else:
            self.yes += 1
        return _QIDS[k]

    def add_choice(self, kind: _Kind, category: str, elements: str, question: str, answer_j: str, choices: str,
                   depends_on: str) -> str:
        """Append a multiple-choice or number question of ``kind``; the other arguments are JSON text."""
        k = len(self.texts)
        if k >= len(_QIDS):
            _more_ids(k)
        self.texts.append(f'{_QOPEN[k]}{kind.head}{category},"elements":{elements},"question":{question},'
                          f'"answer":{answer_j},"choices":{choices},"depends_on":{depends_on}}}')
        self.types.append(kind.qtype)
        # a choice named "yes" or "no" counts as such an answer (its JSON literal: just read, still in cache)
        if answer_j == '"yes"':
            self.yes += 1
        elif answer_j == '"no"':
            self.no += 1
        return _QIDS[k]

    def __len__(self) -> int:
        return len(self.texts)

    def json(self) -> bytes:
        """The question set as a JSON array (UTF-8), byte for byte ``orjson.dumps`` of the dicts."""
        texts = self.texts
        if not texts:
            return b"[]"
        texts.append("]")  # one join, without copying the ~5 kB text again to close it
        try:
            return "".join(texts).encode()
        finally:
            texts.pop()


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
                        choice_position: int | str | None = None, refs_repeated=None) -> list[dict]:
    """:func:`question_set` for a scene already in canonical form with its id (no recomputation);
    ``refs_repeated``: ``references(canon, lexicon(taxonomy))`` if already computed (read only)."""
    return orjson.loads(questions_text(canon, taxonomy, cid, seed=seed, negatives=negatives,
                                       multiple_choice=multiple_choice, yes_share=yes_share,
                                       choice_position=choice_position, refs_repeated=refs_repeated).json())


def questions_text(canon: Scene, taxonomy: Taxonomy, cid: str, *, seed: int = 0, negatives: bool = True,
                   multiple_choice: bool = True, yes_share: float | None = None,
                   choice_position: int | str | None = None, refs_repeated=None) -> QuestionSetText:
    """:func:`questions_canonical` as JSON text (:class:`QuestionSetText`): what rows and datasets write."""
    if yes_share is not None and not 0 < yes_share <= 1:
        raise ValueError(f"yes_share must be in (0, 1], got {yes_share}")
    if isinstance(choice_position, str) and choice_position not in ("balanced", "random"):
        raise ValueError(f"choice_position must be an int, 'balanced', 'random' or None, got {choice_position!r}")
    try:
        return _questions(canon, taxonomy, cid, seed, negatives, multiple_choice, yes_share, choice_position,
                          refs_repeated)
    except KeyError:
        check_labels(canon, taxonomy)  # raises UnknownLabel naming the field
        raise


def _choices(texts: list[str]) -> str:
    return f'[{",".join(texts)}]'  # one string made, where "[" + ... + "]" made two more


def _questions(canon, taxonomy, cid, seed, negatives, multiple_choice, yes_share, choice_position,
               refs_repeated=None) -> QuestionSetText:
    # Hot path (~30 questions per scene at 10^4 scenes/s): every question is written as JSON text from
    # strings the tables hold already escaped (*_j: JSON literals, *_x: their insides), every concept and
    # value is one record look-up, draws pick positions in pools, and the random stream is read in one
    # order that fixes the output bytes: existence, attributes, relations, scene attributes, negatives.
    lex = lexicon(taxonomy)
    tab = _tables(taxonomy, lex)
    rng = HashRng(f"{cid}:{seed}:qa", later_words=42)  # ~120 words of block 0, then a few of block 1
    medium = MEDIUM.get(canon.modality, "scene")  # plain ASCII words: no escaping needed
    objects = canon.objects
    refs, repeated = references(canon, lex) if refs_repeated is None else refs_repeated
    qs = QuestionSetText()
    concept = tab.concept
    recs = [concept[o.concept] for o in objects]
    names_here = tuple([r.name_id for r in recs])  # the scene's concepts' names, interned
    exist: list[str] = [""] * len(objects)
    # negative candidates, one per element in element order: (kind, object index / relation / type, pool (for
    # relations: the predicates excluded), names excluded, extra); the names exclude the element's own concept,
    # value or predicate by name (interned names; for relations a set of names)
    foils: list[tuple] = []
    # where the correct choice goes: None = at random, else [fixed index or "balanced", choices placed so far]
    placement = None if choice_position is None or choice_position == "random" else [choice_position, 0]

    # -- existence and count ---------------------------------------------------
    seen_concepts: set[str] = set()
    for i, o in enumerate(objects):
        c = o.concept
        if c in seen_concepts:
            continue
        seen_concepts.add(c)
        rec = recs[i]
        category = rec.category_j
        copies = repeated.get(c)
        first = i if copies is None else copies[0]
        e = exist[first] = qs.add_yes_no(_EXISTENCE, category, f'[{{"object":{first}}}]', rec.exist_j, "[]")
        depends = f'["{e}"]'
        if copies is not None:
            unit = rec.unit_x
            for m, j in enumerate(copies[1:], start=2):
                exist[j] = qs.add_yes_no(_EXISTENCE, category, f'[{{"object":{j}}}]',
                                         f'"Is there a {_inside(ordinal_word(m))} {unit}?"', depends)
            n = len(copies)
            if multiple_choice:
                wrong = [f'"{x}"' for x in range(max(1, n - 2), n + N_DISTRACTORS + 1) if x != n][:N_DISTRACTORS]
                ch, fmt = _choices(_place(rng, placement, f'"{n}"', wrong)), _COUNT_CHOICE
            else:
                ch, fmt = "null", _COUNT_NUMBER
            qs.add_choice(fmt, category, "[" + ",".join([f'{{"object":{j}}}' for j in copies]) + "]",
                          f'"How many {rec.plural_x} are there?"', f'"{n}"', ch, depends)
        if multiple_choice or negatives:
            pool = rec.siblings
            if multiple_choice:
                d = _pick_named(rng, pool, N_DISTRACTORS, names_here)
                if d:
                    name = rec.name_j
                    name_j = pool.name_j
                    qs.add_choice(_EXISTENCE_CHOICE, category, f'[{{"object":{first}}}]',
                                  f'"Which of these is in the {medium}?"', name,
                                  _choices(_place(rng, placement, name, [name_j[j] for j in d])), depends)
            if negatives:
                foils.append((0, c, pool, names_here, None))

    # -- attributes ---------------------------------------------------------------
    value = tab.value
    value_pool = tab.value_pool
    refs_x = [_inside(r) for r in refs] if refs else refs
    for i, o in enumerate(objects):
        attrs = o.attributes
        if not attrs:
            continue
        rec = recs[i]
        category = rec.category_j
        pools = value_pool.get(rec.cat, _NO_POOLS)
        ref = refs_x[i]
        depends = f'["{exist[i]}"]'
        if len(attrs) == 1:
            a = attrs[0]
            vals = [value[a.type][a.value]]
            own_names = (vals[0].name_id,)
            types = None
            distinct = True
        else:
            vals = [value[a.type][a.value] for a in attrs]
            own_names = tuple([x.name_id for x in vals])
            types = [a.type for a in attrs]
            distinct = len(set(types)) == len(types)
        for k, a in enumerate(attrs):
            t = a.type
            val = vals[k]
            elements = f'[{{"object":{i},"attribute":{val.pair_j}}}]'
            qs.add_yes_no(_ATTRIBUTE, category, elements, f'"Is {ref} {val.surf_x}?"', depends)
            # the object's own values are excluded by name (own_names holds every value's name, interned)
            pool = pools.get(t, _NO_POOL)
            if multiple_choice and (distinct or types.count(t) == 1):
                d = _pick_named(rng, pool, N_DISTRACTORS, own_names)
                if d:
                    name = val.name_j
                    name_j = pool.name_j
                    qs.add_choice(_ATTRIBUTE_CHOICE, category, elements, f'"{_attr_question(tab, t, ref)}"', name,
                                  _choices(_place(rng, placement, name, [name_j[j] for j in d])), depends)
            if negatives:
                foils.append((1, i, pool, own_names, None))

    # -- relations ----------------------------------------------------------------
    relations = canon.relations
    relation = tab.relation
    if relations:
        symmetric = tab.symmetric
        edges = {(r.subject, r.object): r.predicate for r in relations}
        for r in relations:
            s, o, p = r.subject, r.object, r.predicate
            cat_s = recs[s].cat
            cat_o = recs[o].cat
            category = recs[s].category_j
            rel = relation[p]
            depends = f'["{exist[s]}","{exist[o]}"]'
            elements = f'[{{"relation":[{s},{rel.pred_j},{o}]}}]'
            qs.add_yes_no(_RELATION, category, elements, f'"Is {refs_x[s]} {rel.name_x} {refs_x[o]}?"', depends)
            back = edges.get((o, s))
            # not the edge's predicate, nor a symmetric predicate that the reverse edge already states
            bad = {p, back} if back in symmetric else {p}
            bad_names = {rel.lname}
            if multiple_choice:
                by_object = tab.pair_pools.get(cat_s)
                pool = (by_object.get(cat_o) if by_object is not None else None) or tab.predicates(cat_s, cat_o)
                d = _pick(rng, pool, N_DISTRACTORS, bad, bad_names)
                if d:
                    name = rel.name_j
                    name_j = pool.name_j
                    qs.add_choice(_RELATION_CHOICE, category, elements,
                                  f'"How is {refs_x[s]} related to {refs_x[o]}?"', name,
                                  _choices(_place(rng, placement, name, [name_j[j] for j in d])), depends)
            if negatives:
                foils.append((2, r, bad, bad_names, (cat_s, cat_o)))

    # -- scene attributes ---------------------------------------------------------
    scene_questions = tab.scene_questions_json(lex, medium) if canon.scene_attributes else None
    for a in canon.scene_attributes:
        t, v = a.type, a.value
        val = tab.scene_value[t][v]
        elements = f'[{{"scene_attribute":{val.pair_j}}}]'
        qs.add_yes_no(_SCENE, "null", elements, scene_questions[t][v], "[]")
        pool = tab.scene_pool[t]
        own = (val.name_id,)
        if multiple_choice:
            d = _pick_named(rng, pool, N_DISTRACTORS, own)
            if d:
                name = val.name_j
                name_j = pool.name_j
                qs.add_choice(_SCENE_CHOICE, "null", elements,
                              f'"What is the {tab.scene_type_name_x[t]} of this {medium}?"', name,
                              _choices(_place(rng, placement, name, [name_j[j] for j in d])), "[]")
        if negatives:
            foils.append((3, t, pool, own, None))

    # -- negatives ----------------------------------------------------------------
    if not (negatives and foils):
        return qs
    if yes_share is None:
        plan = zip(foils, itertools.repeat(1))  # one foil per element
    else:
        want = round(qs.yes_no * (1 - yes_share) / yes_share)
        # spread the foils over the elements: round-robin, in an order fixed by the seed
        order = list(range(len(foils)))
        rng.shuffle(order)
        per = [0] * len(foils)
        for k in range(want):
            per[order[k % len(foils)]] += 1
        plan = [(foils[k], per[k]) for k in range(len(foils)) if per[k]]
    asked: set[str] = set()  # two elements may draw the same foil: ask it once (JSON text: same test)
    for (kind, x, candidates, excluded, extra), n_foils in plan:
        if kind == 0:  # a sibling concept that is not in the scene
            pool = candidates
            absent = pool.foil
            for j in _pick_named(rng, pool, n_foils, excluded):
                question, category, concept_j = absent[j]
                if question in asked:
                    continue
                asked.add(question)
                qs.add_yes_no(_EXISTENCE_NOT, category, f'[{{"absent_object":{concept_j}}}]', question, "[]")
        elif kind == 1:  # another value of the type that the object does not have
            ref = refs_x[x]
            category = recs[x].category_j
            depends = f'["{exist[x]}"]'
            pool = candidates
            other = pool.foil
            for j in _pick_named(rng, pool, n_foils, excluded):
                pair, surf = other[j]
                question = f'"Is {ref} {surf}?"'
                if question in asked:
                    continue
                asked.add(question)
                qs.add_yes_no(_ATTRIBUTE_NOT, category, f'[{{"object":{x},"absent_attribute":{pair}}}]', question,
                              depends)
        elif kind == 2:  # another predicate allowed for the pair
            s, o, p = x.subject, x.object, x.predicate
            bad = candidates  # the predicates excluded
            bad_names = excluded
            cat_s, cat_o = extra
            category = recs[s].category_j
            same_kind, other_kind = tab.predicates_split(cat_s, cat_o, relation[p].kind)
            # prefer a predicate of the same kind (riding/eating rather than riding/on top of, which can co-hold)
            picks = [same_kind.foil[j] for j in _pick(rng, same_kind, n_foils, bad, bad_names)]
            if len(picks) < n_foils:
                picks += [other_kind.foil[j] for j in _pick(rng, other_kind, n_foils - len(picks), bad, bad_names)]
            for rel in picks:
                question = f'"Is {refs_x[s]} {rel.name_x} {refs_x[o]}?"'
                if question in asked:
                    continue
                asked.add(question)
                qs.add_yes_no(_RELATION_NOT, category, f'[{{"absent_relation":[{s},{rel.pred_j},{o}]}}]', question,
                              f'["{exist[s]}","{exist[o]}"]')
        else:  # another value of the scene attribute
            pool = candidates
            ids = pool.ids
            pairs = pool.foil
            questions_t = scene_questions[x]
            for j in _pick_named(rng, pool, n_foils, excluded):
                question = questions_t[ids[j]]
                if question in asked:
                    continue
                asked.add(question)
                qs.add_yes_no(_SCENE_NOT, "null", f'[{{"absent_scene_attribute":{pairs[j]}}}]', question, "[]")
    return qs


_NO_POOLS: dict = {}  # a category no attribute applies to


def _scene_question(lex: Lexicon, key: tuple[str, str], medium: str) -> str:
    q = lex.scene_question.get(key)
    return q if q is not None else f"Is this {medium} {lex.scene_phrase[key]}?"
