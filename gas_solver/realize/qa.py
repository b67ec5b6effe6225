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

* **existence**: "Is there a dog?" for every concept; multiple choice
  "Which of these is in the image?" with concepts of the same category that are
  not in the scene (nor related to it by is-a or synonymy, nor its is-a siblings)
  and at least as familiar (tier) as the answer as distractors;
* no two wrong choices of one multiple-choice question may name one thing (a kind of the other, a look-alike,
  the young of its kind; values of one group, near colours, names inside one another: "huge" / "giant",
  "charcoal" / "charcoal grey"): the odd one out would give the answer away;
* young animals (:data:`YOUNG_OF`) stand for the young of any kind of theirs: beside a beagle, "puppy" is no
  foil or distractor (a young beagle is a puppy), nor "beagle" beside a puppy;
* **count** for repeated concepts: "How many apples are there?" (answer "2"), asked after "Are there any
  apples?" (the plural: "Is there an apple?" over two reads as one), and
  per attribute value where the scene fixes the number ("How many apples are red?");
  copies are asked about as a group ("Is there an apple that is red?", "Is an apple
  on the bench?"), never by ordinals no image grounds ("the second apple");
* **attribute**: "Is the dog brown?"; multiple choice "What colour is the dog?"
  with other values of the same type that apply to the object's category;
* **relation**: "Is the dog riding the horse?"; multiple choice "How is the dog
  related to the horse?" with predicates the taxonomy allows for the pair that the
  edges contradict (``relation_logic.exclusive``: "below" when the edge is "above");
* **scene_attribute**: the type's question ("Is this in the style of Claude Monet?");
  multiple choice over the type's other values;
* **negative** (answer "no"): a sibling concept that is not in the scene, another
  value of the attribute's type that the object does not have, a predicate allowed
  for the pair that the edges contradict (none where nothing contradicts the edge:
  "far from" may hold beside "below"), another value of a scene attribute.

Dependencies follow DSG: attribute, relation, count and multiple-choice
questions depend on the existence questions of their objects (a copy's: its concept's).
"""

from __future__ import annotations

import array
import itertools
import re

import numpy as np
import orjson

from ..scene import Scene, canonical_form, canonical_id
from ..taxonomy.model import TIERS, Taxonomy
from .colour import ciede2000, srgb_to_lab
from .labels import check_labels
from .lexicon import MEDIUM, HashRng, Lexicon, indefinite_article, lexicon, possessive, references
from .roles import ROLE_GEAR

__all__ = ["question_set", "questions_records", "write_questions", "Question", "QuestionSet", "QUESTION_TYPES",
           "QUESTION_FORMATS"]

QUESTION_TYPES = ("existence", "attribute", "relation", "count", "scene_attribute")
QUESTION_FORMATS = ("yes_no", "multiple_choice", "number")

#: distractors per multiple-choice question (so at most this + 1 choices)
N_DISTRACTORS = 3

#: a colour foil or distractor differs from each of the object's colours by at least this CIEDE2000 distance
#: (steel blue / light steel blue: 23; red / dark red: 22; navy / blue: 30) and names no colour that contains
#: the other's words ("cerulean" / "cerulean blue", "blue" / "light blue")
MIN_COLOUR_DIFFERENCE = 25.0

#: the category of people: with a person in the scene, no other person concept is a foil or distractor (roles,
#: ages, genders and family roles cross-cut: a "man" may be a baker, a "baker" a father)
PERSON = "person"

#: the relation of what a person wears: beside a person, no concept the relation lets that person wear (its object
#: domain: clothing, accessories) is an existence foil or distractor.  A picture shows people dressed and the
#: scene leaves what they wear unstated, so "Is there a boot?" beside a firefighter, "Is there a coat?" beside a
#: lady, or "What is the officer wearing?" with a cowboy hat among the choices, has no fixed answer.
WORN = "wearing"

#: the attribute type of what a thing is made of: a thing whose material the scene leaves unstated may be made of
#: any material of its domain, so "Is there porcelain?" beside a soup bowl, or "leather" among the choices beside
#: a blazer, has no fixed answer (:meth:`_Tables.material_names`)
MATERIAL = "material"
#: wares named after their material, which a thing of that material is a piece of: beside a cup that may be
#: porcelain, "Is there china?" is as open as "Is there porcelain?" (material name -> names of the ware)
MATERIAL_WARE = {
    "porcelain": ("china", "porcelain"),
    "ceramic": ("pottery", "ceramic ware", "china", "porcelain", "earthenware", "stoneware"),
    "earthenware": ("pottery", "ceramic ware", "earthenware"),
    "stoneware": ("pottery", "ceramic ware", "stoneware"),
    "terracotta": ("pottery", "ceramic ware", "earthenware", "terra cotta"),
    "clay": ("pottery", "ceramic ware", "earthenware"),
    "glass": ("cut glass", "glass kitchenware", "glassware"),
    "crystal": ("cut glass", "glassware"),
    "stained glass": ("glassware",),
}

#: the kind every piece of a table setting is (cups, plates, bowls, sugar bowls): beside a ware named after its
#: material ("some china"), a piece of tableware that may be made of that material may be one of its pieces
TABLEWARE = "tableware"
#: sets and collectives named by their pieces where the is-a tree files the pieces elsewhere: beside a teapot, "Is
#: there a tea service?" is open (the teapot may belong to one), beside a tea service "Is there a cup?", beside a
#: bullet "Is there ammunition?" (WordNet files the bullet under projectile) (name -> names of its pieces)
SET_PIECES = {"tea service": ("cup", "teacup", "coffee cup", "teapot", "sugar bowl", "cream pitcher", "china",
                              "porcelain"),
              "ammunition": ("bullet", "musket ball", "rifle ball")}

#: the young of animals, named apart from their kind (printed name -> the names of the kinds it is the young of):
#: a puppy may be a young beagle, and a beagle whose age the scene leaves unstated may be a puppy, so beside either
#: the other is no foil and no distractor ("Is there a puppy?" beside a young beagle is "yes"); as for a generic
#: concept, "the puppy" beside a beagle names no one thing and neither number is fixed.  WordNet files most of them
#: under "young mammal", apart from their kind; names a taxonomy lacks are skipped.
YOUNG_OF = {"puppy": ("dog",), "pup": ("canine",), "wolf pup": ("wolf",), "kitten": ("house cat",),
            "kitty": ("house cat",), "cub": ("bear", "lion", "tiger", "wolf", "fox"), "lion cub": ("lion",),
            "bear cub": ("bear",), "tiger cub": ("tiger",), "calf": ("cattle",), "heifer": ("cow",),
            "foal": ("horse",), "colt": ("horse",), "filly": ("horse",), "lamb": ("sheep",), "lambkin": ("sheep",),
            "kid": ("goat",), "fawn": ("deer",), "leveret": ("hare",), "chick": ("chicken bird",),
            "gosling": ("goose",), "cygnet": ("swan",), "eaglet": ("eagle",), "owlet": ("owl",)}

_TIER_RANK = {t: k for k, t in enumerate(TIERS)}

#: predicate kinds that any picture makes true or false of every pair (left or right, bigger or smaller): an open
#: question "What is the couch to the right of?" has one answer only where the edges place every other object
_EVERY_PAIR_KINDS = ("spatial", "comparative")
#: relation kinds a subject may hold toward several objects at once, unseen (feelings, attitudes and social acts
#: addressed to someone: afraid of, admiring, waving at, talking to): "What is s p?" only where no other object
#: of the scene is a candidate (:func:`_placed` with the relation's domains)
_ATTITUDE_KINDS = ("emotional", "social")

#: predicates of support or containment: an act entailing one ("riding", "lying on", "nesting in") holds of the
#: one thing that bears or holds the subject, so "What is the toddler riding?" has one answer beside a ship
_SUPPORT = ("on", "on_top_of", "in", "inside")

#: the verb of an attribute question before a plural-only noun: "What texture do the jeans have?"
_PLURAL_VERB = {"is": "are", "Is": "Are", "does": "do", "Does": "Do", "has": "have", "Has": "Have", "was": "were",
                "Was": "Were"}

#: a movement named by its direction: it holds of everything that lies that way ("walking toward the bus" beside
#: the ham on the road to it)
_DIRECTION = re.compile(r" (?:toward|towards|past|away from)$")

#: words a scene-attribute value's name may share with another's without saying the same
_FUNCTION_WORDS = frozenset(["a", "an", "the", "at", "in", "on", "of", "during", "under", "with", "by", "to", "and"])


# ----------------------------------------------------------------------------- records and their writer
class Question:
    """One question as a record; :func:`write_questions` turns records into the documented JSON.

    Attributes
    ----------
    qtype : str
        One of :data:`QUESTION_TYPES`.
    format : str
        One of :data:`QUESTION_FORMATS`.
    negative : bool
        A foil from the taxonomy (the answer is "no").
    category : str or None
        Taxonomy category of the object asked about (None for scene attributes).
    elements : tuple
        What the question checks, each a tuple led by its kind (see :func:`element_dict`):
        ``("object", i)``, ``("attribute", i, type, value)``, ``("relation", s, predicate, o)``,
        ``("scene_attribute", type, value)``, ``("absent_object", concept)``,
        ``("absent_attribute", i, type, value)``, ``("absent_relation", s, predicate, o)``,
        ``("absent_scene_attribute", type, value)``.
    question, answer : str
    choices : tuple[str, ...] or None
        The options of a multiple-choice question (the answer is one of them).
    depends_on : tuple[int, ...]
        Positions of the questions this one presupposes (earlier ones only).
    accepted : tuple[str, ...] or None
        Open questions ("What is the dog riding?"): every free-form answer that is right (the answer's
        concept name and synonyms), for VQA models that answer in words; written as "accepted".

    Examples
    --------
    >>> q = Question("existence", "yes_no", False, "mammal", (("object", 0),), "Is there a dog?", "yes", None, ())
    >>> q.to_dict(0)["question"]
    'Is there a dog?'
    """

    __slots__ = ("qtype", "format", "negative", "category", "elements", "question", "answer", "choices",
                 "depends_on", "accepted")

    def __init__(self, qtype: str, format: str, negative: bool, category, elements: tuple, question: str,
                 answer: str, choices, depends_on: tuple, accepted=None):
        self.qtype = qtype
        self.format = format
        self.negative = negative
        self.category = category
        self.elements = elements
        self.question = question
        self.answer = answer
        self.choices = choices
        self.depends_on = depends_on
        self.accepted = accepted  # open questions: the free-form answers that are right (name, synonyms)

    def to_dict(self, k: int) -> dict:
        """The question as the documented JSON object, with id ``q{k}``."""
        ids = _QIDS
        if k >= len(ids):
            _more_ids(k)
        choices = self.choices
        out = {"id": ids[k], "type": self.qtype, "format": self.format, "negative": self.negative,
               "category": self.category, "elements": [element_dict(e) for e in self.elements],
               "question": self.question, "answer": self.answer,
               "choices": None if choices is None else list(choices),
               "depends_on": [ids[j] for j in self.depends_on]}
        if self.accepted is not None:
            out["accepted"] = list(self.accepted)
        return out

    def __repr__(self) -> str:
        return f"Question({self.qtype}/{self.format}{'/negative' if self.negative else ''}: {self.question!r} -> {self.answer!r})"


def element_dict(e: tuple) -> dict:
    """An element record as its JSON object.

    >>> element_dict(("attribute", 0, "colour", "brown"))
    {'object': 0, 'attribute': ['colour', 'brown']}
    """
    kind = e[0]
    if kind == "object":
        return {"object": e[1]}
    if kind == "attribute" or kind == "absent_attribute":
        return {"object": e[1], kind: [e[2], e[3]]}
    if kind == "relation" or kind == "absent_relation":
        return {kind: [e[1], e[2], e[3]]}
    if kind == "scene_attribute" or kind == "absent_scene_attribute":
        return {kind: [e[1], e[2]]}
    if kind == "absent_object":
        return {"absent_object": e[1]}
    raise ValueError(f"unknown element kind {kind!r}")


class QuestionSet(list):
    """The questions of one scene, as :class:`Question` records in order (a list).

    Examples
    --------
    >>> qs = questions_records(canon, tax, cid, seed=0)  # doctest: +SKIP
    >>> qs.dicts() == orjson.loads(qs.json())  # doctest: +SKIP
    True
    """

    __slots__ = ()

    def dicts(self) -> list[dict]:
        """The documented JSON objects (what :func:`question_set` returns)."""
        return [q.to_dict(k) for k, q in enumerate(self)]

    def json(self) -> bytes:
        """The question set as a JSON array (UTF-8): :func:`write_questions`."""
        return write_questions(self)

    def types(self) -> list[str]:
        return [q.qtype for q in self]

    def answer_counts(self) -> tuple[int, int]:
        """(questions answered "yes", questions answered "no"), counted from the records."""
        yes = no = 0
        for q in self:
            a = q.answer
            if a == "yes":
                yes += 1
            elif a == "no":
                no += 1
        return yes, no


def write_questions(questions) -> bytes:
    """The one writer: question records -> the documented JSON array (UTF-8 bytes).

    >>> write_questions([])
    b'[]'
    """
    return orjson.dumps([q.to_dict(k) for k, q in enumerate(questions)])


# question ids, grown on demand in blocks of 4,096
_QIDS: list[str] = []


def _more_ids(k: int) -> None:
    """Make ids up to at least ``k`` (in blocks of 4,096)."""
    for i in range(len(_QIDS), (k // 4096 + 1) * 4096):
        _QIDS.append(f"q{i}")


_more_ids(0)


# ----------------------------------------------------------------------------- per-taxonomy tables
class _Pool:
    """Candidates for distractors and foils, as tuples aligned by position.

    :func:`_pick_named` draws positions, and a question reads what it needs of a pick by position.

    Attributes
    ----------
    ids : tuple[str, ...]
        The candidates (concept ids, value ids of one type, predicate ids); distinct.
    lnames : tuple[str, ...]
        Their lower-cased names ("no two choices read the same").
    name_ids : array.array
        The same names as small integers (the tables intern them).
    names : tuple[str, ...]
        Their names (what a choice shows).
    recs : tuple
        Their records (:class:`_Concept`, :class:`_Value` or :class:`_Relation`).
    """

    __slots__ = ("ids", "lnames", "name_ids", "names", "recs")

    def __init__(self, ids: tuple, recs, name_id: dict[str, int]):
        self.ids = ids
        self.recs = tuple(recs)
        self.lnames = tuple([r.lname for r in recs])
        self.name_ids = array.array("I", [_intern(name_id, x) for x in self.lnames])
        self.names = tuple([r.name for r in recs])


def _intern(name_id: dict[str, int], name: str) -> int:
    """``name``'s integer in ``name_id`` (a new one if it has none yet)."""
    return name_id.setdefault(name, len(name_id))


class _Concept:
    """What questions say of one concept, in one look-up."""

    __slots__ = ("id", "cat", "name", "lname", "name_id", "exist_q", "unit", "plural", "siblings", "related",
                 "a_unit", "accepted", "be", "countable", "exist_many")

    def __init__(self, id: str, cat: str, name: str, name_id: int, exist_q: str, unit: str, plural: str,
                 countable: bool = True):
        self.id = id
        self.cat = cat
        self.name = name
        self.lname = name.lower()
        self.name_id = name_id  # lname interned (see _Pool.name_ids)
        self.exist_q = exist_q
        self.unit = unit
        self.plural = plural
        self.a_unit = f"{indefinite_article(unit)} {unit}"  # how a question names one copy: "an apple"
        self.be = "Is"  # "Are" for a plural-only noun: "Are the scissors red?"
        self.countable = countable
        self.exist_many = f"Are there any {plural}?"  # over copies the scene counts: "Are there any kites?"
        self.accepted: tuple = (name,)  # free-form answers naming it (set by _Tables: name, synonyms)
        self.siblings: _Pool | None = None  # where its foils and distractors come from (set by _Tables)
        # interned names no foil or distractor may have while this concept is in the scene (its is-a ancestors
        # and descendants, synonyms; set on first use by _Tables.related_names)
        self.related: frozenset | None = None


class _Value:
    """What questions say of one attribute value, in one look-up."""

    __slots__ = ("type", "id", "name", "lname", "name_id", "surf", "group", "near")

    def __init__(self, type_id: str, value_id: str, name: str, name_id: int, surf: str, group: str = ""):
        self.type = type_id
        self.id = value_id
        self.name = name
        self.lname = name.lower()
        self.name_id = name_id  # lname interned (see _Pool.name_ids)
        self.surf = surf  # how a yes/no question says it ("brown", "made of wood"); "" for scene attributes
        self.group = group
        # interned names that no foil or distractor may have when an object has this value (its own, its
        # group's, any-group values, colours near it); None: not computed yet (_Tables.value_near)
        self.near: frozenset | None = None


class _Relation:
    """What questions say of one predicate, in one look-up."""

    __slots__ = ("id", "name", "lname", "kind", "placing", "head", "tail")

    def __init__(self, pred: str, name: str, kind: str, placing: str = "", after: str = ""):
        self.id = pred
        self.name = name  # the phrase after the subject ("riding", "on top of")
        self.lname = name.lower()
        self.kind = kind
        # which objects an open question "What is s p?" must see placed by the edges (:func:`_placed`):
        # "every" other object (spatial, comparative), those in p's domains ("domain": feelings, social acts,
        # and acts or postures that entail a spatial or comparative predicate), or none ("")
        self.placing = placing
        # a phrase whose last words belong after the object (the taxonomy's ``after_object``: "carrying in its
        # mouth", "Is the dog carrying the bone in its mouth?"): its verb and those words; tail "" for every other
        self.head, self.tail = (name[:-len(after) - 1], after) if after else (name, "")

    def around(self, ref: str) -> str:
        """The predicate with its object: "riding the horse", "carrying the bone in its mouth"."""
        return f"{self.head} {ref} {self.tail}" if self.tail else f"{self.name} {ref}"


class _Tables:
    """Per-taxonomy look-ups for question text, foils and distractors (built once, cached on the lexicon).

    Everything a question needs that depends only on the taxonomy is looked up
    here with one dict access per element: a concept's record (its existence
    question, names, and the pool its foils and distractors come from), an
    attribute value's record, the pools of values per category and type.
    """

    def __init__(self, tax: Taxonomy, lex: Lexicon):
        self.tax = tax
        self.symmetric = {r.id for r in tax.relations.values() if r.symmetric}
        # predicate pools per (subject category, object category), filled as pairs occur, and split by kind
        self.pair_pools: dict[str, dict[str, _Pool]] = {}
        self.name_id: dict[str, int] = {}  # lower-cased names interned as small integers (_Pool.name_ids)
        name_id = self.name_id

        # -- concepts: a record each, sharing one sibling pool per category
        self.concept: dict[str, _Concept] = {}
        for c, w in lex.obj.items():
            self.concept[c] = _Concept(c, w.category, w.name, _intern(name_id, w.name.lower()),
                                       f"Is there {lex.question_subject(c)}?", w.unit, w.plural, w.countable)
            if c in lex.plural_only:  # "Are there any scissors?", "Are the scissors red?"
                rec = self.concept[c]
                rec.be = "Are"
                rec.exist_q = f"Are there any {w.name}?"
        # foils and distractors are names a person knows: concepts at least as familiar as the one asked
        # about (an everyday grasshopper gets everyday insects, never "wheel bug" or "cockchafer"), so a file
        # of the everyday tier never shows a rarer word
        rank = {o.id: _TIER_RANK.get(o.tier, len(_TIER_RANK)) for o in tax.objects}
        by_category: dict[str, list[str]] = {}
        for o in tax.objects:
            by_category.setdefault(o.category, []).append(o.id)
            rec = self.concept[o.id]
            rec.accepted = tuple(dict.fromkeys([rec.name, o.name, *o.synonyms]))
        self.person = tax.closure(PERSON) if PERSON in tax.categories else frozenset()
        pools: dict[tuple[str, int], _Pool] = {}
        for c, rec in self.concept.items():
            key = (rec.cat, rank.get(c, 0))
            pool = pools.get(key)
            if pool is None:
                ids = _sibling_pool(tax, by_category, rec.cat, rank, key[1])
                pool = pools[key] = _Pool(ids, [self.concept[x] for x in ids], name_id)
            rec.siblings = pool
        # direct is-a siblings (children of a concept's parents): a distractor of another kind looks different
        self.children: dict[str, list[str]] = {}
        for c, parents in tax.object_parents.items():
            for p in parents:
                self.children.setdefault(p, []).append(c)

        # -- attribute values: a record each (type -> value -> record), pools per category and type
        self.value: dict[str, dict[str, _Value]] = {
            t.id: {v.id: _value(t.id, v, lex.attr[(t.id, v.id)].post, name_id) for v in t.values}
            for t in tax.attribute_types.values()}
        self.exclusive = {t.id for t in tax.attribute_types.values() if t.exclusive}
        # type -> (values with an RGB, their L*a*b*, value id -> row, rows by name and by run of words)
        self.colours: dict[str, tuple] = {}
        self.value_by_name: dict[str, dict] = {}  # type -> lower-cased value name -> its records
        self.value_words: dict[str, tuple] = {}  # type -> (its values, their names by name and by run of words)
        self.person = tax.closure(PERSON) if PERSON in tax.categories else frozenset()
        self.person_names: frozenset | None = None
        self.worn: dict[str, frozenset] = {}  # person category -> interned names of what it may wear (WORN)
        self.gear: dict[str, frozenset] = {}  # person concept -> interned names of its role's gear (ROLE_GEAR)
        self.materials: dict[str, frozenset] = {}  # concept -> interned names of what it may be made of
        self.material_kinds: dict[str, tuple] | None = None  # material value name -> interned names naming it
        self.set_parts: dict[str, frozenset] | None = None  # SET_PIECES: set name -> its pieces' concepts
        self.never_foil: tuple | None = None  # interned names of the taxonomy's object_never_foil
        values_for: dict[tuple[str, str], list[str]] = {}  # (category, type) -> value ids
        for (t, v), cats in tax.value_scope.items():
            for c in cats:
                values_for.setdefault((c, t), []).append(v)
        self.value_pool: dict[str, dict[str, _Pool]] = {}  # category -> type -> pool
        for (c, t), ids in values_for.items():
            self.value_pool.setdefault(c, {})[t] = _Pool(tuple(ids), [self.value[t][v] for v in ids], name_id)
        # "What colour is {ref}?" as (prefix, suffix) around the reference, or None: replace "{object}"
        self.attr_q_parts: dict[str, tuple[str, str] | None] = {}
        self.attr_question: dict[str, str] = {}
        for t in tax.attribute_types.values():
            q = t.question
            if not q:
                parts = (f"What is the {t.name} of ", "?")
            elif "{object}" in q:
                split = q.split("{object}")
                parts = (split[0], split[1]) if len(split) == 2 else None
                self.attr_question[t.id] = q
            else:
                parts = (q + " ", "?")
            self.attr_q_parts[t.id] = parts

        # -- relations, and what the taxonomy's predicate logic makes of an edge
        kinds = {r.id: r.kind for r in tax.relations.values()}
        self.relation = {p: _Relation(p, n, kinds[p], _placing(p, n, kinds, tax.relation_entails),
                                      tax.relations[p].after_object) for p, n in lex.rel_name.items()}
        self.entails = tax.relation_entails
        self.inverse = tax.relation_inverse
        self.entailed_by: dict[str, set[str]] = {}  # q -> the predicates that entail q
        for p, qs in tax.relation_entails.items():
            for q in qs:
                self.entailed_by.setdefault(q, set()).add(p)
        self.excluded_predicates: dict[tuple, tuple[set, set]] = {}  # (edge's, reverse edge's) -> (ids, names)
        self.true_of: dict[tuple, frozenset] = {}  # (edge's, reverse edge's) -> what they make true of the pair
        self.contradicted_pools: dict[tuple, _Pool] = {}  # (pair's pool, edge's, reverse edge's) -> foils
        self.relation_near_names: dict[str, frozenset] = {}  # predicate -> interned names of those it overlaps

        # -- scene attributes: a record per value (no surface: their questions depend on the medium), a pool per type
        # (a value's ``overlap`` is its record's group: the spans it shares with other values of its type)
        self.scene_value: dict[str, dict[str, _Value]] = {
            t.id: {v.id: _Value(t.id, v.id, v.name, _intern(name_id, v.name.lower()), "", v.overlap) for v in t.values}
            for t in tax.scene_attribute_types.values()}
        # types whose values exclude each other in one picture: the only ones with foils and multiple choice
        self.scene_exclusive = {t.id for t in tax.scene_attribute_types.values() if t.exclusive}
        self.scene_pool: dict[str, _Pool] = {}
        for t in tax.scene_attribute_types.values():
            self.scene_pool[t.id] = _Pool(tuple(v.id for v in t.values),
                                          [self.scene_value[t.id][v.id] for v in t.values], name_id)
        # the multiple-choice question of each type, with a {medium} slot
        self.scene_choice_q = {t.id: t.choice_question or f"What is the {t.name} of this {{medium}}?"
                               for t in tax.scene_attribute_types.values()}
        self.scene_questions: dict[str, dict[str, dict[str, str]]] = {}  # medium -> type -> value -> question
        self.ancestors: dict[str, frozenset] = {}  # concept -> its is-a ancestors (filled as concepts occur)
        self.name_values: dict[tuple, frozenset] = {}  # (concept, type) -> value names its name says
        self.scene_words: dict[str, list] = {}  # scene-attribute type -> its values' (name, spans, words)
        # (type, value) -> interned names no foil or distractor may have in a scene with that value: what a
        # picture of it may show unstated (``contents``: an oven in a kitchen), its kinds, ancestors and synonyms
        # (computed on first use: a None value until then)
        self.scene_contents: dict[tuple, object] = {(t.id, v.id): None for t in tax.scene_attribute_types.values()
                                                    for v in t.values if getattr(v, "contents", ())}
        # a concept named like its category or one above it ("vehicle", "clothing") stands for any concept of
        # that category, whatever the is-a tree says (WordNet files the bus outside vehicle): concept -> the
        # categories it stands for
        self.generic: dict[str, frozenset] = {}
        self.generic_names: dict | None = None  # category -> interned names of the generics standing for it
        # YOUNG_OF: a young animal's concept -> the concepts it may be the young of (its kinds and their kinds),
        # and each of those -> the young that may be one of it
        self.young_kinds: dict[str, frozenset] = {}
        self.young_beside: dict[str, list] = {}
        one = {}
        for o in tax.objects:
            one[o.name] = o.id if o.name not in one else None  # None: two concepts share the name
        for y, kinds in YOUNG_OF.items():
            young = one.get(y)
            adults = [one.get(k) for k in kinds]
            if young is None or young not in lex.obj:
                continue
            ids = frozenset([d for a in adults if a is not None for d in (a, *tax.concept_descendants(a))
                             if d in lex.obj and d != young])
            if ids:
                self.young_kinds[young] = ids
                for d in ids:
                    self.young_beside.setdefault(d, []).append(young)
        cat_names = {k: c.name.lower() for k, c in tax.categories.items()}
        for o in tax.objects:
            k = o.category
            while k is not None:
                if cat_names.get(k) == o.name.lower():
                    self.generic[o.id] = tax.closure(k)
                    break
                k = tax.categories[k].parent

    def scene_questions_for(self, lex: Lexicon, medium: str) -> dict[str, dict[str, str]]:
        """Every scene-attribute value's yes/no question for one medium (type -> value -> question;
        built once per medium)."""
        hit = self.scene_questions.get(medium)
        if hit is None:
            hit = self.scene_questions[medium] = {}
            for key in lex.scene_phrase:
                hit.setdefault(key[0], {})[key[1]] = _scene_question(lex, key, medium)
        return hit

    def related_names(self, rec: _Concept) -> frozenset:
        """Interned names no foil or distractor may have while ``rec``'s concept is in the scene: the concept's
        is-a ancestors (a "ship" beside a PT boat is there), descendants (a "guide dog" beside a dog may be),
        synonyms, what looks like it (``Taxonomy.concept_confusable``: a cupcake beside a muffin), its parts
        and what it is a part of (a wheel beside a car, a car beside a car door); with a person, every person
        concept, everything the person may wear (:data:`WORN`) and the gear its role noun shows
        (:meth:`gear_names`: a drum beside a drummer)."""
        hit = rec.related
        if hit is None:
            concept = self.concept
            names = [concept[c].name_id for c in self.tax.concept_related(rec.id) if c in concept]
            names.append(rec.name_id)
            # what looks alike: is-a siblings (a sheep, a goat) and the taxonomy's confusable groups (a
            # muffin, a cupcake)
            names.extend([concept[c].name_id for c in self.tax.concept_confusable(rec.id) if c in concept])
            # parthood: "Is there a wheel?" beside a car, "Is there a car?" beside a car door (the door shows one)
            parts = self.tax.concept_parts(rec.id) | self.tax.concept_wholes(rec.id)
            names.extend([concept[c].name_id for c in parts if c in concept])
            # and what a part or whole is also called: beside a dial telephone, "receiver" (the telephone
            # receiver's synonym, and the printed name of a radio receiver) is open
            name_id = self.name_id
            names.extend([name_id[w.lower()] for c in parts for w in self.tax.object(c).synonyms
                          if w.lower() in name_id])
            # a concept named like its category ("kitchenware", "light") stands for any concept of it: beside
            # a whisk, "Is there kitchenware?" is open, and beside "kitchenware" any kind of kitchenware is
            if self.generic_names is None:
                self.generic_names = {}
                for g, cats in self.generic.items():
                    if g in concept:
                        for k in cats:
                            self.generic_names.setdefault(k, []).append(concept[g].name_id)
            names.extend(self.generic_names.get(rec.cat, ()))
            # a young animal and its kinds (YOUNG_OF): beside a beagle "puppy", beside a puppy "beagle" is open
            names.extend([concept[y].name_id for y in self.young_beside.get(rec.id, ())])
            names.extend([concept[k].name_id for k in self.young_kinds.get(rec.id, ())])
            cats = self.generic.get(rec.id)
            if cats is not None:
                names.extend([r.name_id for r in concept.values() if r.cat in cats])
            # a ware named after its material stands for its pieces ("some china" may be cups and a sugar bowl),
            # and a set for its pieces and they for it (a tea service, a teapot)
            names.extend(self.piece_names(rec))
            # pictures: every image is one, so "Is there a painting?" is open in a painter's style
            if self.never_foil is None:
                self.never_foil = tuple([concept[c].name_id for c in sorted(self.tax.object_never_foil)
                                         if c in concept])
            names.extend(self.never_foil)
            if rec.cat in self.person:
                if self.person_names is None:
                    self.person_names = frozenset([r.name_id for r in concept.values() if r.cat in self.person])
                names.extend(self.person_names)
                names.extend(self.worn_names(rec.cat))
                names.extend(self.gear_names(rec))
            hit = rec.related = frozenset(names)
        return hit

    def worn_positions(self, recs: list) -> set:
        """Positions in ``recs`` (a scene's concepts) of things a person of the scene may wear, or that a person's
        role noun shows (:meth:`gear_names`): their number is open (the person's own boots, or the drummer's own
        drum, unstated, may be one more), so they are not counted; and of people, where the scene has people of
        two person concepts (a drummer may be one of the men)."""
        people = [r for r in recs if r.cat in self.person]
        if not people:
            return set()
        # people of two person concepts: roles, ages and genders cross-cut, so beside a drummer "How many men
        # are there?" has no fixed answer (the drummer may be a man), nor "How many drummers?" beside a man
        if len({r.id for r in people}) > 1:
            open_people = {i for i, r in enumerate(recs) if r.cat in self.person}
        else:
            open_people = set()
        worn = [self.worn_names(c) for c in {r.cat for r in people}]
        for r in people:
            gear = self.gear_names(r)
            if gear:
                worn.append(gear)
        return open_people | {i for i, r in enumerate(recs) if any([r.name_id in w for w in worn])}

    def gear_names(self, rec: _Concept) -> frozenset:
        """Interned names no foil or distractor may have beside the person ``rec`` because its role noun shows
        the thing (:data:`~gas_solver.realize.roles.ROLE_GEAR`: a drum beside a drummer, a racket beside a tennis
        player): the gear's names and synonyms, its kinds (by is-a, or named "<word> <gear>" in the gear's category:
        "bass drum", "PT boat"), what it is a kind of ("percussion instrument") and what looks like it (is-a
        siblings, confusable groups), as for a thing in the scene (:meth:`related_names`, less parts and wholes: a
        drummer's drum shows no more of a drumhead than the scene says).  Empty for a person noun naming no gear.

        >>> from gas_solver.taxonomy import load_taxonomy
        >>> tax = load_taxonomy()
        >>> tab = _tables(tax, lexicon(tax))
        >>> drummer, drum, man = [tab.concept[next(o.id for o in tax.objects if o.name == n)]
        ...                       for n in ("drummer", "drum", "man")]
        >>> drum.name_id in tab.gear_names(drummer), tab.gear_names(man)
        (True, frozenset())
        """
        hit = self.gear.get(rec.id)
        if hit is None:
            gear = ROLE_GEAR.get(rec.name, ())
            names: list = []
            if gear:
                concept, tax = self.concept, self.tax
                own = [o for o in tax.objects if o.name in gear and o.id in concept]
                cats = {o.category for o in own}
                kinds = tuple([" " + g for g in gear])
                ids = {o.id for o in own}
                ids.update([o.id for o in tax.objects if o.category in cats and o.name.endswith(kinds)
                            and o.id in concept])
                for c in list(ids):
                    ids.update(tax.concept_related(c))
                    ids.update(tax.concept_confusable(c))
                names = [concept[c].name_id for c in ids if c in concept]
            hit = self.gear[rec.id] = frozenset(names)
        return hit

    def material_names(self, rec: _Concept) -> frozenset:
        """Interned names no foil or distractor may have beside ``rec``'s concept while the scene leaves its material
        unstated: the mass nouns named like a material of its domain (:data:`MATERIAL`), their kinds (mass nouns), the
        wares of that material (:data:`MATERIAL_WARE`): a soup bowl may be porcelain, so "Is there porcelain?" and
        "Is there china?" are open; a blazer may be linen, so "linen" is no wrong choice.

        >>> from gas_solver.taxonomy import load_taxonomy
        >>> tax = load_taxonomy()
        >>> tab = _tables(tax, lexicon(tax))
        >>> bowl, porcelain, china, tiger = [tab.concept[next(o.id for o in tax.objects if o.name == n)]
        ...                                  for n in ("soup bowl", "porcelain", "china", "tiger")]
        >>> porcelain.name_id in tab.material_names(bowl), china.name_id in tab.material_names(bowl)
        (True, True)
        >>> tab.material_names(tiger)
        frozenset()
        """
        hit = self.materials.get(rec.id)
        if hit is None:
            tax = self.tax
            if self.material_kinds is None:
                self.material_kinds = {}
                if MATERIAL in tax.attribute_types:
                    concept, name_id = self.concept, self.name_id
                    by_name: dict[str, list[str]] = {}
                    for o in tax.objects:  # the stuff, a mass noun ("leather"), not a thing named so ("a glass")
                        if o.id in concept and o.countability == "mass":
                            by_name.setdefault(o.name.lower(), []).append(o.id)
                    for v in tax.attribute_types[MATERIAL].values:
                        m = v.name.lower()
                        ids = list(by_name.get(m, ()))
                        ids.extend([d for c in ids for d in tax.concept_descendants(c)
                                    if d in concept and tax.object(d).countability == "mass"])  # china, not tombstone
                        names = [concept[c].name_id for c in ids]
                        names.extend([name_id[w] for w in MATERIAL_WARE.get(m, ()) if w in name_id])
                        self.material_kinds[v.id] = tuple(names)
            domain = tax.concept_attribute_domain(rec.id).get(MATERIAL, ()) if self.material_kinds else ()
            hit = self.materials[rec.id] = frozenset([x for v in domain for x in self.material_kinds.get(v, ())])
        return hit

    def piece_names(self, rec: _Concept) -> list:
        """Interned names of what ``rec``'s concept may be a piece of, or have as its pieces: beside a ware named
        after its material (:data:`MATERIAL_WARE`: "china", "pottery", "cut glass") every piece of tableware
        (:data:`TABLEWARE` and its kinds) whose material domain holds that material, and the other wares of that
        material ("pottery" beside "china": both may be ceramic); beside a set
        (:data:`SET_PIECES`: "tea service") its pieces and their kinds; beside a piece or a kind of one, the set.

        >>> from gas_solver.taxonomy import load_taxonomy
        >>> tax = load_taxonomy()
        >>> tab = _tables(tax, lexicon(tax))
        >>> china, sugar_bowl, teapot, tea_service = [tab.concept[next(o.id for o in tax.objects if o.name == n)]
        ...                                           for n in ("china", "sugar bowl", "teapot", "tea service")]
        >>> sugar_bowl.name_id in tab.piece_names(china), tea_service.name_id in tab.piece_names(teapot)
        (True, True)
        """
        tax, concept, name_id = self.tax, self.concept, self.name_id
        names: list = []
        materials = {m for m, wares in MATERIAL_WARE.items() if rec.lname in wares}
        # and the other wares of its materials ("pottery" beside "china": both are ceramic ware)
        names.extend([name_id[w] for m in materials for w in MATERIAL_WARE[m] if w in name_id])
        if materials and MATERIAL in tax.attribute_types:
            values = {v.id for v in tax.attribute_types[MATERIAL].values if v.name.lower() in materials}
            roots = [o.id for o in tax.objects if o.name == TABLEWARE and o.id in concept]
            pieces = {d for r in roots for d in tax.concept_descendants(r) if d in concept}
            names.extend([concept[d].name_id for d in pieces
                          if values & tax.concept_attribute_domain(d).get(MATERIAL, frozenset())])
        if self.set_parts is None:  # set name -> the concepts printed as its pieces
            self.set_parts = {w: frozenset([o.id for o in tax.objects if o.name in ps and o.id in concept])
                              for w, ps in SET_PIECES.items()}
        for whole, parts in SET_PIECES.items():
            part_ids = self.set_parts[whole]
            if rec.name == whole:
                names.extend([name_id[p] for p in parts if p in name_id])
                names.extend([concept[d].name_id for c in part_ids for d in tax.concept_descendants(c)
                              if d in concept])
            elif whole in name_id and (rec.id in part_ids or tax.concept_ancestors(rec.id) & part_ids):
                names.append(name_id[whole])
        return names

    def worn_names(self, person_cat: str) -> frozenset:
        """Interned names of the concepts a person of category ``person_cat`` may wear (:data:`WORN`'s domains):
        with such a person in the scene none is a foil or distractor, since what people wear goes unstated.

        >>> from gas_solver.taxonomy import load_taxonomy
        >>> tax = load_taxonomy()
        >>> tab = _tables(tax, lexicon(tax))
        >>> boot, fork = [tab.concept[next(o.id for o in tax.objects if o.name == n)] for n in ("boot", "fork")]
        >>> boot.name_id in tab.worn_names("person"), fork.name_id in tab.worn_names("person")
        (True, False)
        """
        hit = self.worn.get(person_cat)
        if hit is None:
            tax = self.tax
            allows = tax.relation_allows
            hit = self.worn[person_cat] = frozenset() if WORN not in tax.relations else frozenset(
                [r.name_id for r in self.concept.values() if allows(WORN, person_cat, r.cat)])
        return hit

    def contents_names(self, t: str, v: str):
        """The interned names of :attr:`scene_contents` for scene attribute ``(t, v)``, or None if it has none."""
        key = (t, v)
        if key not in self.scene_contents:
            return None
        hit = self.scene_contents[key]
        if hit is None:
            tax, concept = self.tax, self.concept
            value = next(x for x in tax.scene_attribute_types[t].values if x.id == v)
            hit = self.scene_contents[key] = frozenset(
                [concept[x].name_id for c in value.contents for x in (c, *tax.concept_related(c)) if x in concept])
        return hit

    def scene_near(self, val: _Value) -> frozenset:
        """Interned names no foil or distractor may have when a scene has value ``val`` of an exclusive type: its
        own, those sharing a span of its ``overlap`` ("at first light" beside "at dawn"), any value with overlap
        "*" (and every value, if it has "*"), and names inside one another ("in a kitchen" / "in a restaurant
        kitchen", "spring" / "late spring": the longer says the shorter)."""
        hit = val.near
        if hit is None:
            index = self.scene_words.get(val.type)
            if index is None:  # each value's spans and content words, indexed once per type
                index = self.scene_words[val.type] = _scene_word_index(self.scene_value[val.type].values())
            every, any_span, by_span, by_word, word_sets = index
            spans = frozenset(val.group.split())
            words = _content_words(val.name)
            if "*" in spans:
                out = set(every)
            else:
                # the values that share a span, go with any span, or whose content words hold or are held by
                # val's (each shares a word with val: found through the words' postings, not a scan of the type)
                out = {val.name_id}
                out.update(any_span)
                for span in spans:
                    out.update(by_span.get(span, ()))
                if words:
                    near = set()
                    for w in words:
                        near.update(by_word.get(w, ()))
                    for k in near:
                        wo = word_sets[k]
                        if words <= wo or wo <= words:
                            out.add(every[k])
            hit = val.near = frozenset(out)
        return hit

    def named_values(self, rec: _Concept, type_id: str) -> frozenset:
        """Interned names no foil or distractor of type ``type_id`` may have for ``rec``'s concept: values its
        printed name says ("black" in "black stork", "small" in "small boat", "orange" in "orange") and the
        values near those (``value_near``: "teal blue" beside "blue shark")."""
        key = (rec.id, type_id)
        hit = self.name_values.get(key)
        if hit is None:
            by_name = self.value_by_name.get(type_id)
            if by_name is None:
                by_name = self.value_by_name[type_id] = {}
                for v in self.value.get(type_id, {}).values():
                    by_name.setdefault(v.lname, []).append(v)
            out: set = set()
            # a value's name is in the concept's name (between spaces) exactly when it is one of the name's
            # runs of words: a few look-ups, not a scan of the type's values
            for phrase in _phrases(rec.lname):
                for v in by_name.get(phrase, ()):
                    out |= self.value_near(v)
            hit = self.name_values[key] = frozenset(out)
        return hit

    def is_a_pairs(self, recs: list) -> tuple[set, set]:
        """Positions in ``recs`` (a scene's concepts) that "the <name>" does not pick out, and those whose number
        the scene does not fix: the first are concepts another concept of the scene is a kind of ("the watch"
        beside a pocket watch, "the rodent" beside a squirrel); the second add concepts that are a kind of
        another one of the scene (beside "an animal", two dogs may be three)."""
        ancestors = self.ancestors
        generic = self.generic
        young_kinds = self.young_kinds
        above: set = set()
        below: set = set()
        ids = {r.id for r in recs}
        for i, r in enumerate(recs):
            a = ancestors.get(r.id)
            if a is None:
                a = ancestors[r.id] = self.tax.concept_ancestors(r.id)
            if a and not a.isdisjoint(ids):
                above |= a
                below.add(i)
            g = generic.get(r.id)
            if g is not None:  # "the vehicle" beside a school bus
                kinds = {j for j, x in enumerate(recs) if x.id != r.id and x.cat in g}
                if kinds:
                    above.add(r.id)
                    below |= kinds
            y = young_kinds.get(r.id)
            if y is not None:  # "the puppy" beside a beagle (YOUNG_OF): either may be the other
                kinds = {j for j, x in enumerate(recs) if x.id in y}
                if kinds:
                    above.add(r.id)
                    below |= kinds
        if not above:
            return above, below
        vague = {i for i, r in enumerate(recs) if r.id in above}
        return vague, vague | below

    def true_between(self, fwd, back) -> frozenset:
        """What the edges ``s fwd x`` and ``x back s`` (either may be None, not both) make true of ``s -> x``."""
        self.predicates_excluded(fwd, back)
        return self.true_of[(fwd, back)]

    def value_near(self, val: _Value) -> frozenset:
        """Interned names no foil or distractor may have when an object has ``val`` (see :class:`_Value`)."""
        hit = val.near
        if hit is None:
            out = {val.name_id}
            for other in self.value[val.type].values():
                if other.group == "*" or (val.group and other.group == val.group):
                    out.add(other.name_id)
            colours = self.colours.get(val.type)
            if colours is None:
                t = self.tax.attribute_types[val.type]
                recs = [self.value[t.id][v.id] for v in t.values if v.rgb]
                colours = self.colours[val.type] = (recs, srgb_to_lab([v.rgb for v in t.values if v.rgb]),
                                                    {r.id: k for k, r in enumerate(recs)},
                                                    _phrase_index([r.lname for r in recs]))
            recs, lab, position, (by_name, by_phrase) = colours
            k = position.get(val.id)
            if k is not None:
                # near in colour, or the names inside one another ("blue" / "light blue"): a colour's name is
                # inside another's (between spaces) exactly when it is one of the other's runs of words
                for j in np.flatnonzero(ciede2000(lab[k], lab) < MIN_COLOUR_DIFFERENCE).tolist():
                    out.add(recs[j].name_id)
                for j in by_phrase.get(val.lname, ()):
                    out.add(recs[j].name_id)
                for phrase in _phrases(val.lname):
                    for j in by_name.get(phrase, ()):
                        out.add(recs[j].name_id)
            else:
                # a value without a colour: names inside one another ("blue" / "bright blue") all the same
                index = self.value_words.get(val.type)
                if index is None:
                    every = list(self.value[val.type].values())
                    index = self.value_words[val.type] = (every, _phrase_index([r.lname for r in every]))
                every, (by_name, by_phrase) = index
                for j in by_phrase.get(val.lname, ()):
                    out.add(every[j].name_id)
                for phrase in _phrases(val.lname):
                    for j in by_name.get(phrase, ()):
                        out.add(every[j].name_id)
            hit = val.near = frozenset(out)
        return hit

    def predicates_excluded(self, p: str | None, back: str | None) -> tuple[set, set]:
        """Predicates that are no foil and no distractor for an edge ``s p o`` (``back``: the predicate of the
        edge ``o -> s``, if any; ``p`` None for a pair with only the reverse edge), as (ids, lower-cased names):
        what the edges entail of ``s -> o`` (through equivalences, entailments and inverses), and what would make
        one of those more specific (open)."""
        key = (p, back)
        hit = self.excluded_predicates.get(key)
        if hit is None:
            entails, inverse = self.entails, self.inverse
            true = set() if p is None else {p} | entails.get(p, frozenset())
            if back is not None:
                if back in self.symmetric:
                    true |= {back} | entails.get(back, frozenset())
                for q in {back} | entails.get(back, frozenset()):
                    for r in inverse.get(q, ()):
                        true |= {r} | entails.get(r, frozenset())
            bad = set(true)
            for t in true:
                bad |= self.entailed_by.get(t, set())
            relation = self.relation
            hit = self.excluded_predicates[key] = (bad, {relation[q].lname for q in bad if q in relation})
            self.true_of[key] = frozenset(true)
        return hit

    def contradicted(self, subj_cat: str, obj_cat: str, p: str, back: str | None) -> _Pool:
        """The predicates allowed for the pair that the edges ``s p o`` (and ``o back s``) contradict, in the
        pair's order: the only relation foils and distractors whose "no" the scene fixes ("below" when the
        edge is "above"; nothing when it is "riding" and the taxonomy states nothing against it)."""
        pool = self.predicates(subj_cat, obj_cat)
        key = (pool, p, back)  # a pool hashes by identity: one per set of predicates
        hit = self.contradicted_pools.get(key)
        if hit is None:
            bad, _ = self.predicates_excluded(p, back)
            no = self.tax.relation_contradicts(self.true_of[(p, back)])
            hit = self.contradicted_pools[key] = self._predicate_pool(
                tuple([q for q in pool.ids if q in no and q not in bad]))
        return hit

    def relation_near(self, rel: _Relation) -> frozenset:
        """Interned names of the predicates that overlap ``rel``'s as two options of one question: what it entails,
        what entails it or what it entails (:meth:`predicates_excluded`): beside "on", "on top of" and "on the back
        of"; beside "higher than", "above"."""
        hit = self.relation_near_names.get(rel.id)
        if hit is None:
            name_id = self.name_id  # (interned here: a pool holding a name may not have been built yet)
            hit = self.relation_near_names[rel.id] = frozenset(
                [_intern(name_id, n) for n in self.predicates_excluded(rel.id, None)[1]])
        return hit

    def predicates_excluded_reverse(self, back: str) -> set:
        """:meth:`predicates_excluded` for a pair with only a reverse edge (``o back s``)."""
        return self.predicates_excluded(None, back)[0]

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

    def _predicate_pool(self, ids: tuple[str, ...]) -> _Pool:
        return _Pool(ids, [self.relation[q] for q in ids], self.name_id)


def _content_words(name: str) -> frozenset:
    """The words of a value's name that say something ("in the late afternoon" -> {"late", "afternoon"})."""
    return frozenset([w for w in name.lower().replace("-", " ").split() if w not in _FUNCTION_WORDS])


def _phrases(name: str) -> set:
    """The runs of consecutive words of ``name`` (split at single spaces): ``f" {x} " in f" {name} "`` exactly
    when ``x`` is one of them ("dark red fox" -> "dark", "dark red", "red fox", ...)."""
    words = name.split(" ")
    n = len(words)
    return {" ".join(words[i:j]) for i in range(n) for j in range(i + 1, n + 1)}


def _phrase_index(names: list) -> tuple[dict, dict]:
    """Positions in ``names`` by name, and by each run of words of a name (:func:`_phrases`)."""
    by_name: dict = {}
    by_phrase: dict = {}
    for k, name in enumerate(names):
        by_name.setdefault(name, []).append(k)
        for phrase in _phrases(name):
            by_phrase.setdefault(phrase, []).append(k)
    return by_name, by_phrase


def _scene_word_index(values) -> tuple:
    """What :meth:`_Tables.scene_near` reads of a scene-attribute type's values: their interned names, those
    with the span "*", names by span, positions by content word, and each value's content words."""
    every: list = []
    any_span: list = []
    by_span: dict = {}
    by_word: dict = {}
    word_sets: list = []
    for k, v in enumerate(values):
        every.append(v.name_id)
        spans = frozenset(v.group.split())
        if "*" in spans:
            any_span.append(v.name_id)
        for span in spans:
            by_span.setdefault(span, []).append(v.name_id)
        words = _content_words(v.name)
        word_sets.append(words)
        for w in words:
            by_word.setdefault(w, []).append(k)
    return every, any_span, by_span, by_word, word_sets


def _value(type_id: str, v, surf: str, name_id: dict[str, int]) -> _Value:
    """The record of value ``v`` (an attribute or scene-attribute value) of type ``type_id``."""
    return _Value(type_id, v.id, v.name, _intern(name_id, v.name.lower()), surf, getattr(v, "group", ""))


def _sibling_pool(tax: Taxonomy, by_category: dict[str, list[str]], category: str, rank: dict[str, int],
                  tier: int) -> tuple[str, ...]:
    """Concepts to draw object foils from: those of the category at least as familiar as ``tier`` (a rank in
    ``TIERS``), else those of its parent's closure."""
    pool = tuple([c for c in by_category.get(category, ()) if rank[c] <= tier])
    if len(pool) > N_DISTRACTORS:
        return pool
    parent = tax.categories[category].parent
    if parent is None:
        return pool
    return tuple([o.id for o in tax.concepts_of(parent) if rank[o.id] <= tier])


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


def _pick_named(rng: HashRng, pool: _Pool, k: int, bad_names) -> list[int]:
    """:func:`_pick` for a pool whose excluded items all have their name among ``bad_names`` (a set of interned
    names, see :attr:`_Pool.name_ids`), returned as positions in the pool.  Holds for concepts (the scene's
    concepts and everything related to them), attribute values (the object's values and those near them) and
    scene-attribute values."""
    name_ids = pool.name_ids
    n = len(name_ids)
    if n <= k + 4:
        if not n:
            return []
        return rng.sample([j for j in range(n) if name_ids[j] not in bad_names], k)
    # _pick's rejection rounds, reading the stream's words in place (hot path); the second is rarely needed.
    # Positions stand for the items: a pool's items are distinct.
    out: list = []
    for m in (2 * k + 2, 8 * k + 8):
        pos = rng.take(m)
        words = rng.words
        for i in range(pos, pos + m):
            j = words[i] % n
            if name_ids[j] not in bad_names and j not in out:
                out.append(j)
                if len(out) == k:
                    return out
    return out


def _pick_apart(rng: HashRng, pool: _Pool, k: int, bad_names, near) -> list[int]:
    """:func:`_pick_named`, with no two choices that overlap: a choice whose name is ``near`` an earlier one (the
    interned names ``near(record)`` gives: what it says or what says it, "on" beside "on top of" or "on the back
    of", "in the morning" beside "at mid-morning") gives way, and its place is drawn again from what is left.
    Two options of one question that may both be true tell a reader that both are wrong.  Where nothing
    overlaps, the draws are :func:`_pick_named`'s."""
    d = _pick_named(rng, pool, k, bad_names)
    if len(d) < 2:
        return d
    name_ids = pool.name_ids
    recs = pool.recs
    kept: list = []
    taken: set = set()  # interned names the kept choices rule out
    for j in d:
        if name_ids[j] not in taken:
            kept.append(j)
            taken |= near(recs[j])
    rounds = 0
    while len(kept) < len(d) and rounds < 3:  # refill from what overlaps no kept choice
        rounds += 1
        more = _pick_named(rng, pool, len(d) - len(kept), _AnyOf((bad_names, taken)))
        if not more:
            break
        for j in more:
            if name_ids[j] not in taken:
                kept.append(j)
                taken |= near(recs[j])
    return kept


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


def _attr_question(tab: _Tables, type_id: str, ref: str, be: str = "Is") -> str:
    """The multiple-choice question of an attribute type about ``ref`` (``be``: "Are" for a plural-only
    noun: "What colour are the scissors?")."""
    parts = tab.attr_q_parts[type_id]
    if parts is not None:
        q = parts[0] + ref + parts[1]
    else:
        q = tab.attr_question[type_id].replace("{object}", ref)
    if be == "Are":  # the verb before the reference agrees with it: "Are the jeans open or closed?"
        k = q.find(" " + ref) if not q.startswith(ref) else -1
        if k > 0:
            head, _, verb = q[:k].rpartition(" ")
            verb = _PLURAL_VERB.get(verb, verb)
            q = (head + " " if head else "") + verb + q[k:]
    return q


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
    return questions_records(canon, taxonomy, cid, seed=seed, negatives=negatives, multiple_choice=multiple_choice,
                             yes_share=yes_share, choice_position=choice_position,
                             refs_repeated=refs_repeated).dicts()


def questions_records(canon: Scene, taxonomy: Taxonomy, cid: str, *, seed: int = 0, negatives: bool = True,
                      multiple_choice: bool = True, yes_share: float | None = None,
                      choice_position: int | str | None = None, refs_repeated=None) -> QuestionSet:
    """:func:`questions_canonical` as records (:class:`QuestionSet`): what rows and datasets use
    (:func:`write_questions` writes them)."""
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



def _questions(canon, taxonomy, cid, seed, negatives, multiple_choice, yes_share, choice_position,
               refs_repeated=None) -> QuestionSet:
    # Hot path (~30 questions per scene at 10^4 scenes/s): every concept and value is one record look-up,
    # draws pick positions in pools, and the random stream is read in one order that fixes the output:
    # existence, attributes, relations, scene attributes, negatives.
    lex = lexicon(taxonomy)
    tab = _tables(taxonomy, lex)
    rng = HashRng(f"{cid}:{seed}:qa", later_words=42)  # ~120 words of block 0, then a few of block 1
    medium = MEDIUM.get(canon.modality, "scene")
    objects = canon.objects
    refs, repeated = references(canon, lex) if refs_repeated is None else refs_repeated
    qs = QuestionSet()
    add = qs.append
    concept = tab.concept
    recs = [concept[o.concept] for o in objects]
    # objects "the <name>" does not pick out (another object is a kind of theirs), and those whose number is open
    vague = uncounted = _NO_SET
    if len(recs) > 1:
        vague, uncounted = tab.is_a_pairs(recs)
        worn = tab.worn_positions(recs)
        if worn:  # "How many hats are there?" beside a cowboy: his own hat may be one more
            uncounted = uncounted | worn
    # interned names no existence foil or distractor may have: the scene's concepts, their is-a ancestors and
    # descendants, synonyms (and people, beside a person)
    related = tab.related_names
    # (a view over the objects' sets, not their union: with parts and wholes a set holds hundreds of names, and
    # a scene asks it only a few dozen times)
    names_here = related(recs[0]) if len(recs) == 1 else _AnyOf(tuple([related(r) for r in recs]))
    if tab.scene_contents and canon.scene_attributes:  # "Is there an oven?" set in a kitchen: open, not "no"
        implied = [tab.contents_names(a.type, a.value) for a in canon.scene_attributes]
        implied = tuple([x for x in implied if x])
        if implied:
            names_here = _AnyOf((names_here,) + implied)
    # a thing made of a material shows it: beside a leather couch "Is there leather?" is open, not "no"
    made_of = frozenset([tab.name_id[m] for o in objects for a in o.attributes if a.type == "material"
                         and (m := tab.tax.attribute_value("material", a.value).name.lower()) in tab.name_id])
    if made_of:
        names_here = _AnyOf((names_here, made_of))
    # and a thing whose material the scene leaves unstated may be made of any of its domain: beside a soup bowl
    # "Is there porcelain?" is open, beside a blazer "linen" is no wrong choice
    may_be = [m for o, r in zip(objects, recs) if not any([a.type == MATERIAL for a in o.attributes])
              and (m := tab.material_names(r))]
    if may_be:
        names_here = _AnyOf((names_here, *may_be))
    exist: list = [0] * len(objects)
    # negative candidates, one per element in element order: (kind, object index / relation / type, pool (for
    # relations: the predicates excluded), names excluded, extra)
    foils: list[tuple] = []
    yes_no = 0
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
        category = rec.cat
        copies = repeated.get(c)
        first = i if copies is None else copies[0]
        exist[first] = e = len(qs)
        # copies whose number is open (beside a kind of theirs) are asked about as a group: "Is there a man?"
        # is grounded by each of the men, and no count names them all
        grouped = copies is not None and first in uncounted
        seen = tuple([("object", j) for j in copies]) if grouped else (("object", first),)
        # copies the scene counts are asked about in the plural ("Are there any kites?" over three kites, then
        # "How many kites are there?"): "Is there a kite?" over three reads as if there were one
        exist_q = rec.exist_q if copies is None or grouped or not rec.countable else rec.exist_many
        add(Question("existence", "yes_no", False, category, seen, exist_q, "yes", None, ()))
        yes_no += 1
        depends = (e,)
        if copies is not None:
            # copies of a concept are a group: no image grounds "the second apple", so every copy's questions
            # hang on the concept's existence question, and the group is counted (also per attribute value below)
            for j in copies[1:]:
                exist[j] = e
            if not grouped:  # beside a kind of it (or a kind it is of), the number is open
                n = len(copies)
                elements = tuple([("object", j) for j in copies])
                question = f"How many {rec.plural} are there?"
                add(_count(rng, placement, multiple_choice, category, elements, question, n, depends))
        if multiple_choice or negatives:
            pool = rec.siblings
            if multiple_choice:
                # no two choices related ("elephant" beside "Indian elephant", "puppy" beside "beagle"): both
                # would be wrong, so the odd one out would be the answer
                d = _pick_apart(rng, pool, N_DISTRACTORS, names_here, related)
                if d:
                    names = pool.names
                    add(Question("existence", "multiple_choice", False, category, (("object", first),),
                                 f"Which of these is in the {medium}?", rec.name,
                                 tuple(_place(rng, placement, rec.name, [names[j] for j in d])), depends))
            if negatives:
                foils.append((0, c, pool, names_here, None))

    # -- attributes ---------------------------------------------------------------
    value = tab.value
    value_pool = tab.value_pool
    exclusive = tab.exclusive
    counted: set = set()  # (concept, type, value) already counted in a group
    for i, o in enumerate(objects):
        attrs = o.attributes
        if not attrs:
            continue
        rec = recs[i]
        category = rec.cat
        pools = value_pool.get(rec.cat, _NO_POOLS)
        depends = (exist[i],)
        copies = repeated.get(o.concept) if repeated else None
        if copies is not None or i in vague:
            # a group, or an object another one is a kind of: asked of "a watch" ("Is there a watch that is
            # khaki?"), counted and given foils only where no object of another concept may be one
            _group_attributes(tab, rng, placement, multiple_choice, negatives, canon, rec, i,
                              copies if copies is not None else [i], depends, qs, foils, counted,
                              i not in uncounted, rec.a_unit if copies is not None else lex.obj[o.concept].indefinite)
            continue
        ref = refs[i]
        vals = [value[a.type][a.value] for a in attrs]
        types = [a.type for a in attrs]
        for k, a in enumerate(attrs):
            t = a.type
            val = vals[k]
            elements = (("attribute", i, t, val.id),)
            add(Question("attribute", "yes_no", False, category, elements, f"{rec.be} {ref} {val.surf}?", "yes", None,
                         depends))
            yes_no += 1
            if t not in exclusive:
                continue  # values co-occur: another value is neither a determined "no" nor a wrong choice
            # names excluded: the object's values of the type and what goes with them (group, near colours)
            own = [x for x in vals if x.type == t]
            if len(own) == 1:
                bad = tab.value_near(val)
            else:
                bad = frozenset().union(*[tab.value_near(x) for x in own])
            named = tab.named_values(rec, t)
            if named:  # "Is the black stork black?", "small" beside "the small boat": the name says otherwise
                bad = bad | named
            if any([x.group == "*" for x in own]):
                continue  # "tall": any size may go with it, so no other size is a determined "no"
            pool = pools.get(t, _NO_POOL)
            if multiple_choice and types.count(t) == 1:
                # no two choices near each other ("charcoal" / "charcoal grey", "huge" / "giant"): a choice near
                # another would be wrong with it, which singles out the answer
                d = _pick_apart(rng, pool, N_DISTRACTORS, bad, tab.value_near)
                if d:
                    names = pool.names
                    add(Question("attribute", "multiple_choice", False, category, elements,
                                 _attr_question(tab, t, ref, rec.be), val.name,
                                 tuple(_place(rng, placement, val.name, [names[j] for j in d])), depends))
            if negatives and own[0] is val:
                foils.append((1, i, pool, bad, None))

    yes_no = 0
    for q in qs:
        if q.format == "yes_no":
            yes_no += 1

    # -- relations ----------------------------------------------------------------
    relations = canon.relations
    relation = tab.relation
    asked_yes: dict[str, Question] = {}
    if relations:
        edges = {(r.subject, r.object): r.predicate for r in relations}
        for r in relations:
            s, o, p = r.subject, r.object, r.predicate
            cat_s = recs[s].cat
            cat_o = recs[o].cat
            rel = relation[p]
            depends = (exist[s], exist[o])
            elements = (("relation", s, p, o),)
            group_s = s in vague or (repeated and objects[s].concept in repeated)
            group_o = o in vague or (repeated and objects[o].concept in repeated)
            if group_s or group_o:
                # a copy takes part: "Is an apple on the table?" (yes: some copy is); which copy is not
                # something an image shows, so no multiple choice and no foil for the pair; the same for an
                # object another one is a kind of ("Is the pocket watch above a watch?")
                # a copy: "an apple"; one object another is a kind of: "a watch", "some clothing"
                ref_s = refs[s] if not group_s else (
                    lex.obj[objects[s].concept].indefinite if s in vague and not (repeated and objects[s].concept
                                                                                   in repeated) else recs[s].a_unit)
                ref_o = refs[o] if not group_o else (
                    lex.obj[objects[o].concept].indefinite if o in vague and not (repeated and objects[o].concept
                                                                                   in repeated) else recs[o].a_unit)
                if recs[s] is recs[o]:  # two copies: "Is an apple next to another apple?"
                    ref_o = "another " + recs[o].unit
                    depends = (exist[s],)
                # "Is a pair of jeans ...", "Are some scissors ..." (a plural-only noun, named as itself)
                be = recs[s].be if not group_s or ref_s == refs[s] or ref_s.startswith("some ") else "Is"
                question = f"{be} {ref_s} {possessive(rel.around(ref_o), recs[s].name)}?"
                same = asked_yes.get(question)
                if same is None:  # one question for every copy's edge that reads the same
                    same = asked_yes[question] = Question("relation", "yes_no", False, cat_s, elements, question,
                                                          "yes", None, depends)
                    add(same)
                    yes_no += 1
                else:
                    same.elements = same.elements + elements
                continue
            add(Question("relation", "yes_no", False, cat_s, elements,
                         f"{recs[s].be} {refs[s]} {possessive(rel.around(refs[o]), recs[s].name)}?", "yes",
                         None, depends))
            yes_no += 1
            # not what the edges entail of (s, o) (the edge's predicate, its equivalents and consequences, the
            # inverses of the reverse edge's, a symmetric reverse edge), nor anything more specific than those
            back = edges.get((o, s))
            # foils and distractors: predicates the edges contradict (their "no" is fixed), none other
            foil_pool = tab.contradicted(cat_s, cat_o, p, back)
            if multiple_choice:
                pool = foil_pool
                d = _pick_apart(rng, pool, N_DISTRACTORS, _NO_NAMES, tab.relation_near)
                if d:
                    names = pool.names
                    add(Question("relation", "multiple_choice", False, cat_s, elements,
                                 f"How {recs[s].be.lower()} {refs[s]} related to {refs[o]}?", rel.name,
                                 tuple(_place(rng, placement, rel.name, [names[j] for j in d])), depends))
            if multiple_choice and _unique_object(tab, edges, s, o, p, len(objects)) and (
                    not rel.placing or _placed(tab, edges, objects, s, o, p, None if rel.placing == "every" else recs)):
                # TIFA-style open question: the answer is a taxonomy item, with choices and free-form answers
                orec = recs[o]
                d = _pick_apart(rng, orec.siblings, N_DISTRACTORS, names_here, related)
                if d:
                    names = orec.siblings.names
                    who = "Who" if orec.cat in tab.person else "What"
                    add(Question("relation", "multiple_choice", False, cat_s, elements,
                                 f"{who} {recs[s].be.lower()} {refs[s]} {possessive(rel.name, recs[s].name)}?",
                                 orec.name,
                                 tuple(_place(rng, placement, orec.name, [names[j] for j in d])), depends,
                                 orec.accepted))
            if negatives and foil_pool.ids:
                foils.append((2, r, foil_pool, _NO_NAMES, None))

    # -- scene attributes ---------------------------------------------------------
    scene_questions = tab.scene_questions_for(lex, medium) if canon.scene_attributes else None
    for a in canon.scene_attributes:
        t, v = a.type, a.value
        val = tab.scene_value[t][v]
        elements = (("scene_attribute", t, v),)
        add(Question("scene_attribute", "yes_no", False, None, elements, scene_questions[t][v], "yes", None, ()))
        yes_no += 1
        if t not in tab.scene_exclusive:
            continue  # values co-occur in one picture (serene and peaceful): no other value is a determined "no"
        pool = tab.scene_pool[t]
        own = tab.scene_near(val)  # itself, the values it overlaps and names inside one another
        if multiple_choice:
            d = _pick_apart(rng, pool, N_DISTRACTORS, own, tab.scene_near)
            if d:
                names = pool.names
                add(Question("scene_attribute", "multiple_choice", False, None, elements,
                             tab.scene_choice_q[t].replace("{medium}", medium), val.name,
                             tuple(_place(rng, placement, val.name, [names[j] for j in d])), ()))
        if negatives:
            foils.append((3, t, pool, own, None))

    # -- negatives ----------------------------------------------------------------
    if not (negatives and foils):
        return qs
    if yes_share is None:
        plan = zip(foils, itertools.repeat(1))  # one foil per element
    else:
        want = round(yes_no * (1 - yes_share) / yes_share)
        # spread the foils over the elements: round-robin, in an order fixed by the seed
        order = list(range(len(foils)))
        rng.shuffle(order)
        per = [0] * len(foils)
        for k in range(want):
            per[order[k % len(foils)]] += 1
        plan = [(foils[k], per[k]) for k in range(len(foils)) if per[k]]
    asked: set[str] = set()  # two elements may draw the same foil: ask it once
    for (kind, x, candidates, excluded, extra), n_foils in plan:
        if kind == 0:  # a sibling concept that is not in the scene
            pool = candidates
            prs = pool.recs
            for j in _pick_named(rng, pool, n_foils, excluded):
                foil = prs[j]
                question = foil.exist_q
                if question in asked:
                    continue
                asked.add(question)
                add(Question("existence", "yes_no", True, foil.cat, (("absent_object", foil.id),), question, "no",
                             None, ()))
        elif kind == 1:  # another value of the type that the object does not have
            ref = refs[x]
            category = recs[x].cat
            depends = (exist[x],)
            pool = candidates
            prs = pool.recs
            for j in _pick_named(rng, pool, n_foils, excluded):
                foil = prs[j]
                # a group (extra: its plural): no copy has the value
                if extra is None:
                    question = f"{recs[x].be} {ref} {foil.surf}?"
                else:
                    question = f"Is any of the {extra} {foil.surf}?"
                if question in asked:
                    continue
                asked.add(question)
                add(Question("attribute", "yes_no", True, category, (("absent_attribute", x, foil.type, foil.id),),
                             question, "no", None, depends))
        elif kind == 2:  # a predicate allowed for the pair that the edges contradict
            s, o = x.subject, x.object
            pool = candidates
            for j in _pick_named(rng, pool, n_foils, excluded):
                rel = pool.recs[j]
                question = f"{recs[s].be} {refs[s]} {possessive(rel.around(refs[o]), recs[s].name)}?"
                if question in asked:
                    continue
                asked.add(question)
                add(Question("relation", "yes_no", True, cat_s, (("absent_relation", s, rel.id, o),), question, "no",
                             None, (exist[s], exist[o])))
        else:  # another value of the scene attribute
            pool = candidates
            ids = pool.ids
            questions_t = scene_questions[x]
            for j in _pick_named(rng, pool, n_foils, excluded):
                question = questions_t[ids[j]]
                if question in asked:
                    continue
                asked.add(question)
                add(Question("scene_attribute", "yes_no", True, None, (("absent_scene_attribute", x, ids[j]),),
                             question, "no", None, ()))
    return qs


class _AnyOf:
    """Membership in any of several sets (``x in _AnyOf((a, b))`` is ``x in a or x in b``), without their union."""

    __slots__ = ("sets",)

    def __init__(self, sets: tuple):
        self.sets = sets

    def __contains__(self, x) -> bool:
        for s in self.sets:
            if x in s:
                return True
        return False


def _placing(p: str, name: str, kinds: dict, entails: dict) -> str:
    """Which other objects the edges must place before "What is s p?" has one answer (see ``_Relation``).

    An act or a posture that entails a spatial or comparative predicate holds of whatever stands so: "What is
    the cougar standing next to?" beside a zebra no edge places (it may be next to the cougar too), "What is
    the flamingo flying over?" (above), "What is the puppy watching?" (facing); not one that entails support
    or containment (``_SUPPORT``: riding, lying on, nesting in), which names the one thing bearing the subject.
    A movement named by its direction ("walking toward", "running toward", "walking past", "walking away from")
    holds of whatever lies that way: the same rule."""
    kind = kinds[p]
    if kind in _EVERY_PAIR_KINDS:
        return "every"
    if kind in _ATTITUDE_KINDS:
        return "domain"
    if _DIRECTION.search(name):
        return "domain"
    implied = entails.get(p, ())
    if any([kinds.get(q) in _EVERY_PAIR_KINDS for q in implied]) and not any([q in _SUPPORT for q in implied]):
        return "domain"
    return ""


def _unique_object(tab: _Tables, edges: dict, s: int, o: int, p: str, n: int) -> bool:
    """True if ``o`` is the only object that ``s p _`` holds (or may hold) of, so "What is s p?" has one answer."""
    for x in range(n):
        if x != s and x != o and ((s, x) in edges or (x, s) in edges):
            fwd = edges.get((s, x))
            if fwd is None:  # only a reverse edge: what it makes true of s -> x
                bad = tab.predicates_excluded_reverse(edges[(x, s)])
            else:
                bad = tab.predicates_excluded(fwd, edges.get((x, s)))[0]
            if p in bad:
                return False
    return True


def _placed(tab: _Tables, edges: dict, objects, s: int, o: int, p: str, recs=None) -> bool:
    """True if the edges place every other object against ``s`` so that ``s p x`` is false (``x`` not a copy of
    ``o``): only then does "What is s p?" with a spatial or comparative ``p`` have one answer.  With ``recs``
    (a feeling or a social act: "What is the squirrel afraid of?") only the objects ``p`` may join ``s`` to
    (its domains) are candidates: a squirrel may fear the wolf beside it as well, and no picture says it does
    not."""
    contradicts = tab.tax.relation_contradicts
    allows = tab.tax.relation_allows
    concept_o = objects[o].concept
    for x in range(len(objects)):
        if x == s or x == o or objects[x].concept == concept_o:
            continue
        if recs is not None and not allows(p, recs[s].cat, recs[x].cat):
            continue
        fwd = edges.get((s, x))
        back = edges.get((x, s))
        if fwd is None and back is None:
            return False
        if p not in contradicts(tab.true_between(fwd, back)):
            return False
    return True


def _count(rng: HashRng, placement, multiple_choice, category, elements: tuple, question: str, n: int,
           depends: tuple) -> Question:
    """A count question: multiple choice (nearby numbers as distractors) or a number."""
    if multiple_choice:
        wrong = [str(x) for x in range(max(0, n - 2), n + N_DISTRACTORS + 1) if x != n][:N_DISTRACTORS]
        return Question("count", "multiple_choice", False, category, elements, question, str(n),
                        tuple(_place(rng, placement, str(n), wrong)), depends)
    return Question("count", "number", False, category, elements, question, str(n), None, depends)


def _group_attributes(tab: _Tables, rng: HashRng, placement, multiple_choice, negatives, canon, rec: _Concept,
                      i: int, copies: list, depends: tuple, qs: QuestionSet, foils: list, counted: set,
                      fixed: bool = True, a_ref: str | None = None) -> None:
    """Questions about the attributes of copy ``i`` of a repeated concept, asked of the group.

    "Is there an apple that is red?" (yes), and per value once for the group "How many apples are red?" where
    the scene fixes the number: every other copy states a value of the type that excludes it (an exclusive
    type); the same condition makes "Is any of the apples green?" a determined "no".  ``fixed`` False: an
    object of another concept may be one of the group (a pocket watch is a watch), so only the "yes" questions;
    ``a_ref``: how the questions name one of the group (default "an apple"; a single mass noun: "some clothing").
    """
    a_ref = a_ref or rec.a_unit
    objects = canon.objects
    value = tab.value
    pools = tab.value_pool.get(rec.cat, _NO_POOLS)
    for a in objects[i].attributes:
        t = a.type
        val = value[t][a.value]
        key = (rec.id, t, val.id)
        if key in counted:
            continue
        counted.add(key)
        # the copies that have the value (any of them makes the answer "yes")
        having = [j for j in copies if any([b.type == t and b.value == val.id for b in objects[j].attributes])]
        elements = tuple([("attribute", j, t, val.id) for j in having])
        qs.append(Question("attribute", "yes_no", False, rec.cat, elements, f"Is there {a_ref} that is {val.surf}?",
                           "yes", None, depends))
        if not fixed or t not in tab.exclusive:
            continue
        # every copy's values of the type; the type must be stated on each copy, and no value may go with any
        per_copy = [[value[b.type][b.value] for b in objects[j].attributes if b.type == t] for j in copies]
        if not all(per_copy) or any([x.group == "*" for vs in per_copy for x in vs]):
            continue
        # ... and the name says nothing of it ("How many black cats are black?" is open)
        others_exclude = val.name_id not in tab.named_values(rec, t) and all(
            [val.name_id not in tab.value_near(x) for vs, j in zip(per_copy, copies) if j not in having for x in vs])
        if others_exclude:
            qs.append(_count(rng, placement, multiple_choice, rec.cat,
                             tuple([("attribute", j, t, val.id) for j in having]),
                             f"How many {rec.plural} are {val.surf}?", len(having), depends))
        if negatives and all([x.type != t or x is val for x in [value[b.type][b.value] for b in objects[i].attributes]]):
            bad = frozenset().union(*[tab.value_near(x) for vs in per_copy for x in vs]) | tab.named_values(rec, t)
            if ("foil", rec.id, t) not in counted:  # one foil entry per group and type
                counted.add(("foil", rec.id, t))
                foils.append((1, i, pools.get(t, _NO_POOL), bad, rec.plural))


_NO_POOL = _Pool((), (), {})
_NO_NAMES: frozenset = frozenset()  # a pool already holds only what may be drawn
_NO_POOLS: dict = {}  # a category no attribute applies to
_NO_SET: frozenset = frozenset()  # no object of the scene is a kind of another


def _scene_question(lex: Lexicon, key: tuple[str, str], medium: str) -> str:
    q = lex.scene_question.get(key)
    return q if q is not None else f"Is this {medium} {lex.scene_phrase[key]}?"
