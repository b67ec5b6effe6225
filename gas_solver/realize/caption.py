"""Captions: fluent English sentences that state every element of a scene and nothing else.

The caption follows the graph:

1. one sentence per concept that occurs more than once, with its count and the
   copies grouped by description ("There are five flowers: two are red; three
   are white."), or, where copies take part in relations (or the plural names two
   concepts), the attributes of each
   copy by the ordinal that the relation sentences use ("There are two apples:
   the first apple is red; the second apple is big.");
2. for each connected component of the relation graph, roots first, one
   sentence per subject with all its outgoing relations ("A brown dog rides a
   horse and is next to a wooden bench. The horse eats an apple."); a new
   object is introduced with an indefinite noun phrase the first time it is
   mentioned and named definitely afterwards ("the horse", "the second apple");
3. one sentence listing the remaining objects ("There is an SUV and some water.");
4. the scene attributes, from the taxonomy's phrases (with the per-type rules of
   :mod:`.phrases`), open the first sentence as its adverbial ("In the style of
   Claude Monet and lit by golden-hour sunlight, a dog rides a horse."), so every
   sentence has a verb.

The surface template (present tense or participles, relative-clause chains,
order of components, relations and scene attributes, unrelated objects before
or after the relations) is chosen deterministically from the scene's canonical
id and the seed; ``style="plain"`` always takes the plainest.  Every template
belongs to the grammar that :func:`parse_caption` reads back, so
``parse_caption(caption(s))`` is ``s`` up to isomorphism.

Captions are made from the scene's canonical form, so isomorphic scenes get the
same caption for the same seed.
"""

from __future__ import annotations

import re
from operator import attrgetter

from ..scene import Scene, canonical_form, canonical_id
from ..taxonomy.model import Taxonomy
from .labels import check_labels
from .lexicon import (ART_STYLE, ARTIST, CAMERA_FLASH, FLASH, SHARED_PARTICIPLES, SHOT_VERB, TAKEN_VERB, HashRng,
                      Lexicon, count_word, join_list, lexicon, object_words, ordinal_word, possessive, references)

__all__ = ["caption", "CAPTION_STYLES"]

#: a thing counted in pairs (its unit "pair of jeans"): one of it is "a pair of jeans"
PAIR_OF, PAIR_A = "pair of ", "a pair of "

CAPTION_STYLES = ("varied", "plain")


class _Opts:
    """One surface template."""

    __slots__ = ("participle", "fragment", "chain", "group_there", "iso_there", "iso_first", "scene_first", "rng")

    def __init__(self, participle=False, fragment=False, chain=False, group_there=True, iso_there=True,
                 iso_first=False, scene_first=False, rng=None):
        self.participle = participle  # "There is a dog riding a horse." instead of "A dog rides a horse."
        self.fragment = fragment  # with participles: "A dog riding a horse." (no "There is")
        self.chain = chain  # "A dog rides a horse that eats an apple."
        self.group_there = group_there  # "There are two apples" vs "Two apples"
        self.iso_there = iso_there  # "There is an SUV" vs "An SUV"
        self.iso_first = iso_first  # unrelated objects before the relation sentences
        self.scene_first = scene_first  # scene-attribute sentence first
        self.rng = rng  # shuffles orders when set


_PLAIN = _Opts()


def _template(cid: str, seed: int) -> _Opts:
    rng = HashRng(f"{cid}:{seed}", first_words=42)  # a caption draws ~20 words: one Keccak block
    bits = rng.word()
    # every field set here, without _Opts.__init__'s argument passing (compiled: C struct stores)
    opts = _Opts.__new__(_Opts)
    # every sentence has a verb: no template lists bare noun phrases ("A cup and a plate.") or participles
    # without "There is" ("A dog riding a horse."); bits 2, 4-6 and 9-10 once chose those (kept unread, so
    # the other choices stay what they were)
    opts.participle = bits & 3 == 0
    opts.fragment = False
    opts.chain = bits >> 3 & 1 == 1
    opts.group_there = True
    opts.iso_there = True
    opts.iso_first = bits >> 7 & 3 == 0
    opts.scene_first = True
    opts.rng = rng
    return opts


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _shuffle(rng: HashRng, xs: list) -> None:
    """``rng.shuffle(xs)``: the same Fisher–Yates with the same draws, as a function of this module
    (compiled, ``rng.word()`` is then a C call rather than a Python method call per swap)."""
    for i in range(len(xs) - 1, 0, -1):
        j = rng.word() % (i + 1)
        xs[i], xs[j] = xs[j], xs[i]


_ORDER = attrgetter("slot", "type", "value")  # adjective order, then a fixed tie-break


class _Writer:
    """Renders one canonical scene with one template."""

    # (the compiled build makes this an extension type: caption.pxd declares every attribute; the
    # methods hold no generator expressions, lambdas or nested functions, which cpdef methods cannot)
    __slots__ = ("lex", "scene", "objects", "words", "o", "refs", "introduced", "visited", "queue", "head", "out",
                 "splits")

    def __init__(self, lex: Lexicon, scene: Scene, opts: _Opts, words: list | None = None):
        self.lex = lex
        self.scene = scene
        self.objects = tuple(scene.objects)
        # each object's ObjectWords: one look-up per object in the ~15k-concept table, not one per use
        self.words = object_words(scene, lex) if words is None else words
        self.o = opts
        self.refs: list[str] = []
        self.introduced: set[int] = set()
        self.visited: set[int] = set()
        # objects whose relation sentences are due, first in first out: a list read from ``head`` on (a
        # caption queues a handful, so nothing is ever dropped from its front)
        self.queue: list[int] = []
        self.head = 0
        self.out: list[list[tuple[str, int]]] = [[] for _ in self.objects]
        self.splits: list = [None] * len(self.objects)  # _split results, computed once per object
        for r in scene.relations:
            self.out[r.subject].append((r.predicate, r.object))

    # -- noun phrases -------------------------------------------------------
    def _split(self, i: int) -> tuple[list, list]:
        """Attribute words of object ``i``: (before the noun, after the noun)."""
        hit = self.splits[i]
        if hit is not None:
            return hit
        attr_of = self.lex.attr_of
        attrs = [attr_of[a.type][a.value] for a in self.objects[i].attributes]
        repeated_type = False
        if len(attrs) > 1:
            attrs.sort(key=_ORDER)
            # values of one type share its slot, so the sort puts them next to each other
            for k in range(1, len(attrs)):
                if attrs[k].type == attrs[k - 1].type:
                    repeated_type = True
                    break
        if repeated_type or self.words[i].captured:
            hit = ([], attrs)  # several values of one type, or a noun that adjectives could swallow
        elif len(attrs) == 1:
            hit = (attrs, []) if attrs[0].prenominal else ([], attrs)
        else:
            hit = ([a for a in attrs if a.prenominal], [a for a in attrs if not a.prenominal])
        self.splits[i] = hit
        return hit

    def intro(self, i: int) -> str:
        """Indefinite noun phrase with every attribute: "a big red apple", "some water that is of light colour",
        "a pair of red jeans" (a thing counted in pairs is introduced as one pair)."""
        self.introduced.add(i)
        w = self.words[i]
        pair = not w.countable and w.unit.startswith(PAIR_OF)
        if not self.objects[i].attributes:
            return PAIR_A + w.name if pair else w.indefinite
        pre, post = self._split(i)
        if pre:
            det = pre[0].article if w.countable else ("a pair of" if pair else "some")
            if len(pre) == 1:
                np = f"{det} {pre[0].surface} {w.name}"
            else:
                np = f"{det} {' '.join([a.surface for a in pre])} {w.name}"
        else:
            np = PAIR_A + w.name if pair else w.indefinite
        if post:
            np += (" that are " if w.concept in self.lex.plural_only else " that is ") + join_list(
                [a.post for a in post])
        return np

    def _pair(self, i: int) -> bool:
        """True if object ``i`` is a thing counted in pairs ("jeans", "scissors"): introduced as "a pair of"."""
        w = self.words[i]
        return not w.countable and w.unit.startswith(PAIR_OF)

    def has_post(self, i: int) -> bool:
        return bool(self.objects[i].attributes) and bool(self._split(i)[1])

    def predicative(self, i: int) -> str:
        attr_of = self.lex.attr_of
        attrs = [attr_of[a.type][a.value] for a in self.objects[i].attributes]
        attrs.sort(key=_ORDER)
        return join_list([a.post for a in attrs])

    # -- sentences ----------------------------------------------------------
    def groups(self, repeated: dict[str, list[int]]) -> list[str]:
        out = []
        related = None
        for concept, copies in repeated.items():
            w = self.words[copies[0]]
            head = f"{count_word(len(copies))} {w.plural}"
            if self.o.group_there:
                head = "there are " + head
            if related is None:
                related = set()
                for r in self.scene.relations:
                    related.add(r.subject)
                    related.add(r.object)
            if related.isdisjoint(copies) and w.plural not in self.lex.shared_plurals:
                # no copy takes part in a relation: the copies are told apart by what they look like, as
                # groups of the same description ("five flowers: two are red; three are white")
                classes: dict[str, int] = {}
                for i in copies:
                    if self.objects[i].attributes:
                        desc = self.predicative(i)
                        classes[desc] = classes.get(desc, 0) + 1
                if len(classes) == 1 and next(iter(classes.values())) == len(copies):  # one description for all
                    desc = next(iter(classes))
                    descs = [f"both are {desc}" if len(copies) == 2 else f"all {count_word(len(copies))} are {desc}"]
                else:
                    descs = [f"{count_word(n)} {'is' if n == 1 else 'are'} {desc}" for desc, n in classes.items()]
            else:
                # relation sentences name copies by ordinal: the group sentence says which is which
                descs = [f"the {ordinal_word(k + 1)} {w.unit} is {self.predicative(i)}"
                         for k, i in enumerate(copies) if self.objects[i].attributes]
            out.append(_cap(head + (": " + "; ".join(descs) if descs else "") + "."))
        return out

    def _name(self, v: int) -> str:
        """The printed name of object ``v`` (a possessive after its verb reads it: "on his shoulders")."""
        return self.lex.obj[self.objects[v].concept].name

    def obj_phrase(self, v: int) -> str:
        """Object of a verb: introduced now (perhaps with a chained clause) or named definitely."""
        if v in self.introduced:
            self.queue.append(v)
            return self.refs[v]
        np = self.intro(v)
        if self.o.chain and len(self.out[v]) == 1 and v not in self.visited and not self.has_post(v):
            self.visited.add(v)
            p, w = self.out[v][0]
            forms = self.lex.rel_present_plural if self.objects[v].concept in self.lex.plural_only and \
                not self._pair(v) else self.lex.rel_present  # "a pair of scissors that lies on"
            after = self.lex.rel_after[p]
            if after:  # "a man that leads a child by the hand": the chain stops inside the phrase
                chain, self.o.chain = self.o.chain, False
                inner = self.obj_phrase(w)
                self.o.chain = chain
                return f"{np} that {forms[p][:-len(after)]} {inner}{possessive(after, self._name(v))}"
            return f"{np} that {forms[p]} {self.obj_phrase(w)}"
        self.queue.append(v)
        return np

    def relation_sentence(self, u: int) -> str:
        self.visited.add(u)
        edges = list(self.out[u])
        if self.o.rng is not None and len(edges) > 1:
            _shuffle(self.o.rng, edges)
        # participles only where they read well: a new subject without a "that is …" clause
        # ("a catfish that is violet in sharper focus than …" would hang), and verbs, not noun phrases
        participle = self.o.participle and u not in self.introduced and not self.has_post(u)
        if participle:
            participle_ok = self.lex.rel_participle_ok
            for p, _ in edges:
                if not participle_ok[p]:
                    participle = False
                    break
        # "some chips lie on ...", "the scissors lie on ...": plural verbs; "a pair of scissors lies on ..."
        plural = self.objects[u].concept in self.lex.plural_only and (u in self.introduced or not self._pair(u))
        subject = self.refs[u] if u in self.introduced else self.intro(u)
        forms = self.lex.rel_name if participle else (self.lex.rel_present_plural if plural else self.lex.rel_present)
        rel_after = self.lex.rel_after
        # edges of one predicate share its verb: "is above a bowl and a cup", not "is above a bowl and is above a cup"
        groups = _one_verb(edges, rel_after) if len(edges) > 1 else [(edges[0][0], [edges[0][1]])]
        vps = []
        last = len(groups) - 1
        post_before_last = False
        for k, (p, objs) in enumerate(groups):
            after = rel_after[p]
            clauses = 0
            if len(objs) > 1:
                # a thing whose phrase ends in a "that is ..." clause goes last, as in a list of things: "is
                # above a cup and a bowl that is red", not "is above a bowl that is red and a cup"
                objs, clauses = _clauses_last(objs, [v not in self.introduced and self.has_post(v) for v in objs])
            if k == last - 1:
                # a list before the last verb phrase ends like a clause: "is above a cup and a bowl, and is near"
                post_before_last = len(objs) > 1 or (objs[-1] not in self.introduced and self.has_post(objs[-1]))
            if after:
                # said around its object ("leads a soldier by the hand"), which takes no relative-clause
                # chain: its clause would end before the phrase does
                chain, self.o.chain = self.o.chain, False
                vps.append(f"{forms[p][:-len(after)]} {self.obj_phrase(objs[0])}{possessive(after, self._name(u))}")
                self.o.chain = chain
            elif len(objs) > 1:
                # no relative-clause chain inside a list: "is above a bowl and a cup that ..." would not say
                # whose clause it is
                chain, self.o.chain = self.o.chain, False
                nps = [self.obj_phrase(v) for v in objs]
                self.o.chain = chain
                vps.append(f"{forms[p]} {_join_things(nps, clauses)}")
            elif k < last:  # only the last verb phrase may carry a relative-clause chain
                chain, self.o.chain = self.o.chain, False
                vps.append(f"{forms[p]} {self.obj_phrase(objs[0])}")
                self.o.chain = chain
            else:
                vps.append(f"{forms[p]} {self.obj_phrase(objs[0])}")
        # the sentence's capital: on its first words, not by copying the whole sentence (_cap(x + y) is
        # _cap(x) + y for a non-empty x, and a subject is never empty)
        if participle and not self.o.fragment:
            subject = ("There are " if plural else "There is ") + subject
        else:
            subject = _cap(subject)
        if post_before_last:
            # "bumps into a chair that is pink, and is next to a door": the comma keeps "is next to"
            # with the subject, not with the chair
            return f"{subject} {', '.join(vps[:-1])}, and {vps[-1]}."
        return f"{subject} {join_list(vps)}."

    def components(self) -> list[list[int]]:
        n = len(self.objects)
        parent = list(range(n))
        for r in self.scene.relations:
            parent[_find(parent, r.subject)] = _find(parent, r.object)
        comps: dict[int, list[int]] = {}
        for i in range(n):
            comps.setdefault(_find(parent, i), []).append(i)
        return [c for c in comps.values() if len(c) > 1]

    def relation_sentences(self) -> list[str]:
        relations = self.scene.relations
        if len(relations) == 1:
            # one edge: one component whose root is the subject, and no shuffle draws (the general
            # path below gives the same sentence; most sampled scenes have one relation)
            out = [self.relation_sentence(relations[0].subject)]
            self.head = len(self.queue)
            return out
        has_in = {r.object for r in relations}
        comps = self.components()
        rng = self.o.rng
        if rng is not None:
            _shuffle(rng, comps)
        out = []
        for comp in comps:
            roots = [i for i in comp if i not in has_in]
            if rng is not None:
                _shuffle(rng, roots)
            self.queue.extend(roots)
            while True:
                while self.head < len(self.queue):
                    u = self.queue[self.head]
                    self.head += 1
                    if u not in self.visited and self.out[u]:
                        out.append(self.relation_sentence(u))
                left = [i for i in comp if i not in self.visited and self.out[i]]
                if not left:  # a cycle nobody reached from a root: start at its first node
                    break
                self.queue.append(left[0])
        return out

    def scene_sentence(self) -> str | None:
        sa = self.scene.scene_attributes
        if not sa:
            return None
        lex = self.lex
        if len(sa) == 1:
            items = [sa[0]]
        else:
            order = lex.scene_order
            # sorted by (type's order, value), ties in scene order: a decorated sort, not a key lambda
            keyed = [(order[a.type], a.value, k) for k, a in enumerate(sa)]
            keyed.sort()
            items = [sa[k] for _, _, k in keyed]
            if self.o.rng is not None:
                _shuffle(self.o.rng, items)
        phrase_of = lex.scene_phrase_of
        phrases = []
        style = ""
        artist = -1
        for a in items:
            if a.type == ART_STYLE and lex.artist_style_of:
                style = a.value
                continue
            if a.type == ARTIST:
                artist = len(phrases)
            phrases.append(phrase_of[a.type][a.value])
        if style:
            if artist >= 0:
                # an artist and an art style describe one image together: "in the style of Henri Matisse
                # reimagined in Cubism", not two "in the style of" phrases that name two styles
                phrases[artist] = phrases[artist] + " " + lex.artist_style_of[style]
            else:  # put back where it was drawn
                for k, a in enumerate(items):
                    if a.type == ART_STYLE:
                        phrases.insert(k, phrase_of[ART_STYLE][style])
                        break
        if len(phrases) > 1:
            phrases = _share_participles(phrases)
            _shot_once(phrases)
            _camera_once(phrases)
        return join_list(phrases)

    def render(self, refs_repeated=None) -> str:
        scene = self.scene
        lex = self.lex
        refs, repeated = references(scene, lex, self.words) if refs_repeated is None else refs_repeated
        for copies in repeated.values():
            self.introduced.update(copies)
        self.refs = refs
        if self.o.rng is not None and len(repeated) > 1:
            keys = list(repeated)
            _shuffle(self.o.rng, keys)
            repeated = {k: repeated[k] for k in keys}
        sentences = self.groups(repeated)
        rel = self.relation_sentences()
        rest = [i for i in range(len(self.objects)) if i not in self.introduced]
        iso = []
        if rest:
            rest, clauses = _clauses_last(rest, [self.has_post(i) for i in rest])
            nps = [self.intro(i) for i in rest]
            listed = _join_things(nps, clauses)
            if self.o.iso_there:
                # the verb agrees with the first noun phrase ("There are some scissors and a cup.")
                be = ("There are " if self.objects[rest[0]].concept in lex.plural_only and not self._pair(rest[0])
                      else "There is ")
                iso.append(be + listed + ".")
            else:  # (a noun phrase is never empty: see relation_sentence)
                iso.append(_cap(listed) + ".")
        sentences += (iso + rel) if self.o.iso_first else (rel + iso)
        if len(sentences) > 1:
            _there_also(sentences)
        sc = self.scene_sentence()
        if sc is not None:
            # scene attributes open the first sentence as its adverbial: "Set on a patio and lit by
            # candlelight, a dog rides a horse." (a sentence of its own would have no verb)
            if sentences:
                sentences[0] = _cap(sc) + ", " + _uncap(sentences[0])
            else:
                sentences.append(_cap(sc) + ".")
        return " ".join(sentences)


def _clauses_last(things: list, clauses: list) -> tuple[list, int]:
    """``things`` with those whose noun phrase ends in a "that is ..." clause moved last (in their order), and how
    many such there are.  A clause in the middle of a list runs on into it: "a life ring that is pearl white and a
    golfer" reads as if the life ring were a golfer, "a pin that is red, some noodles and a cup" as if the noodles
    were what the pin is; last, it ends where the sentence does ("a golfer and a life ring that is pearl white").

    >>> _clauses_last([0, 1, 2], [True, False, False])
    ([1, 2, 0], 1)
    >>> _clauses_last([0, 1], [False, True])
    ([0, 1], 1)
    """
    n = sum(map(bool, clauses))
    if n == 0 or (n == 1 and clauses[-1]):
        return things, n  # nothing moves: the same bytes as a list without such a clause in its middle
    return [x for x, c in zip(things, clauses) if not c] + [x for x, c in zip(things, clauses) if c], n


def _join_things(nps: list, clauses: int) -> str:
    """The noun phrases of one list, the last ``clauses`` of them ending in a "that is ..." clause: ``join_list``,
    but with a comma before the "and" that follows a clause, so that the next thing starts a new item ("a box that
    is open and blue, and a pin that is red"), as the verb phrases after such a clause do.

    >>> _join_things(["a cup", "a pin that is red"], 1)
    'a cup and a pin that is red'
    >>> _join_things(["a cup", "a box that is blue", "a pin that is red"], 2)
    'a cup, a box that is blue, and a pin that is red'
    """
    if clauses < 2 or len(nps) < 2:
        return join_list(nps)
    return ", ".join(nps[:-1]) + ", and " + nps[-1]


def _one_verb(edges: list, rel_after: dict) -> list:
    """The edges of one subject as verb phrases: ``(predicate, [objects])`` in the order of each predicate's first
    edge, the objects of one predicate together ("is above a bowl and a cup": one verb said once), and the verbs
    with several objects last ("is near a pan and is above a bowl and a cup", not "is above a bowl and a cup and is
    near a pan").  A phrase said around its object ("leads a child by the hand") keeps one object each.

    >>> _one_verb([("above", 1), ("near", 2), ("above", 3)], {"above": "", "near": ""})
    [('near', [2]), ('above', [1, 3])]
    >>> _one_verb([("leading", 1), ("leading", 2)], {"leading": " by the hand"})
    [('leading', [1]), ('leading', [2])]
    """
    groups: list = []
    at: dict = {}
    lists = False
    for p, v in edges:
        k = at.get(p, -1)
        if k < 0 or rel_after[p]:
            at[p] = len(groups)
            groups.append((p, [v]))
        else:
            groups[k][1].append(v)
            lists = True
    if lists:  # a list of objects reads best last: "is near a pan and is above a bowl and a cup"
        groups = [g for g in groups if len(g[1]) == 1] + [g for g in groups if len(g[1]) > 1]
    return groups


def _there_also(sentences: list) -> None:
    """Every "There is" / "There are" sentence after the first says "also": "There is a dog chasing a cat. There is
    also a cup." (two sentences that open alike read as a list read out twice).

    >>> xs = ["There is a dog chasing a cat.", "A cup is on a mat.", "There are two cups.", "There is a pen."]
    >>> _there_also(xs); xs[2:]
    ['There are also two cups.', 'There is also a pen.']
    """
    seen = False
    for k in range(len(sentences)):
        s = sentences[k]
        if s.startswith("There is ") or s.startswith("There are "):
            if seen:
                cut = 9 if s.startswith("There is ") else 10
                sentences[k] = s[:cut] + "also " + s[cut:]
            seen = True


def _share_participles(phrases: list) -> list:
    """Phrases led by one participle said once: "shot at an aperture of f/2.8, at ISO 1600 and on a Leica
    M6", not "shot at ..., shot at ... and shot on ..." (the later ones move next to the first)."""
    heads = [p.partition(" ")[0] for p in phrases]
    shared = False
    for k in range(1, len(heads)):
        if heads[k] in SHARED_PARTICIPLES and heads[k] in heads[:k]:
            shared = True
            break
    if not shared:
        return phrases
    out = []
    done = [False] * len(phrases)
    for k, p in enumerate(phrases):
        if done[k]:
            continue
        out.append(p)
        if heads[k] in SHARED_PARTICIPLES:
            for j in range(k + 1, len(phrases)):
                if not done[j] and heads[j] == heads[k]:
                    out.append(phrases[j].partition(" ")[2])
                    done[j] = True
    return out


def _shot_once(phrases: list) -> None:
    """"Shot" said once, in place: a camera's phrase says "taken" where another phrase names a shot ("taken on a
    Nikon F3 and shown in a wide shot", not "shot on a Nikon F3 and shown in a wide shot").

    >>> p = ["shot on a Nikon F3", "shown in a wide shot"]; _shot_once(p); p
    ['taken on a Nikon F3', 'shown in a wide shot']
    >>> p = ["shot on a Nikon F3", "lit by candlelight"]; _shot_once(p); p
    ['shot on a Nikon F3', 'lit by candlelight']
    """
    for k, p in enumerate(phrases):
        if p.startswith(SHOT_VERB) and any(j != k and _SHOT_NOUN.search(q) for j, q in enumerate(phrases)):
            phrases[k] = TAKEN_VERB + p[len(SHOT_VERB):]


_SHOT_NOUN = re.compile(r"\bshot\b")


def _camera_once(phrases: list) -> None:
    """"Camera" said once, in place: a camera flash is "a flash" beside another phrase that names the camera ("with
    the camera panning left and lit by a flash", not "... lit by a camera flash").

    >>> p = ["with the camera panning left", "lit by a camera flash"]; _camera_once(p); p
    ['with the camera panning left', 'lit by a flash']
    >>> p = ["in fog", "lit by a camera flash"]; _camera_once(p); p
    ['in fog', 'lit by a camera flash']
    """
    for k, p in enumerate(phrases):
        if CAMERA_FLASH in p and any(j != k and _CAMERA.search(q) for j, q in enumerate(phrases)):
            phrases[k] = p.replace(CAMERA_FLASH, FLASH)


_CAMERA = re.compile(r"\bcamera\b")


def _uncap(sentence: str) -> str:
    """The sentence as it reads after an opening adverbial: its first word lower-cased where it is a
    determiner or "There" (a name keeps its capital: "a Saint Bernard" never starts a sentence anyway)."""
    head, sep, rest = sentence.partition(" ")
    if head in _OPENERS:
        return head.lower() + sep + rest
    return sentence


_OPENERS = frozenset(("A", "An", "Some", "There", "The"))


def _find(parent: list, x: int) -> int:
    """Union-find root of ``x`` (with path halving)."""
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def caption(scene: Scene, taxonomy: Taxonomy, *, seed: int = 0, style: str = "varied") -> str:
    """A fluent English caption that states every element of ``scene`` and nothing else.

    Parameters
    ----------
    scene : Scene
        Any scene whose labels come from ``taxonomy``.
    taxonomy : Taxonomy
        Supplies names, plurals, articles, adjective slots, verb forms and scene phrases.
    seed : int
        Picks the surface template together with the scene's canonical id.
    style : {"varied", "plain"}
        ``"plain"`` always uses the plainest template (present tense, "There is/are",
        graph order, scene attributes last).

    Returns
    -------
    str

    Examples
    --------
    >>> from gas_solver.taxonomy import load_taxonomy
    >>> from gas_solver.scene import Scene, SceneObject, Attribute, Relation
    >>> tax = load_taxonomy("tests/data/toy.toml")  # doctest: +SKIP
    >>> s = Scene((SceneObject("dog", (Attribute("colour", "brown"),)), SceneObject("horse")),
    ...           (Relation(0, 1, "riding"),))
    >>> caption(s, tax, style="plain")  # doctest: +SKIP
    'A brown dog rides a horse.'
    """
    canon = canonical_form(scene)
    return caption_canonical(canon, lexicon(taxonomy), canonical_id(canon), seed=seed, style=style)


def caption_canonical(canon: Scene, lex: Lexicon, cid: str, *, seed: int = 0, style: str = "varied",
                      refs_repeated=None, words: list | None = None) -> str:
    """:func:`caption` for a scene already in canonical form with its id (no recomputation);
    ``refs_repeated``: ``references(canon, lex)`` if already computed (read only); ``words``:
    ``object_words(canon, lex)`` likewise."""
    if style not in CAPTION_STYLES:
        raise ValueError(f"unknown caption style {style!r}; expected one of {CAPTION_STYLES}")
    opts = _PLAIN if style == "plain" else _template(cid, seed)
    try:
        return _Writer(lex, canon, opts, words).render(refs_repeated)
    except KeyError:
        check_labels(canon, lex.taxonomy)  # raises UnknownLabel naming the field
        raise
