"""Parse captions written by :func:`~gas_solver.realize.caption` back into scenes.

The parser reads exactly the realizer's grammar (every template) over tokens
(words and the punctuation ``, . : ;``)::

    caption   := scene "," sentence+ | [scene "."] sentence* [scene "."]
    scene     := PHRASE ("," PHRASE)* ["and" PHRASE]     (PHRASE: a value's phrase; an artist's may be
                                                         followed by "reimagined in" ART_STYLE)
    sentence  := group | list | clauses
    group     := ["there" "are"] COUNT PLURAL [":" (desc (";" desc)* | class (";" class)*)] "."
    desc      := "the" ORDINAL UNIT "is" pred
    class     := COUNT ("is" | "are") pred | ("both" | "all" COUNT) "are" pred   (copies without relations)
    list      := ["there" ("is" | "are")] intro ("," intro)* ["and" intro] "."
    clauses   := (intro | definite) vps "."                         (present tense)
               | ["there" ("is" | "are")] intro pvps "."             (participles)
    vps       := vp | vp1 ("," vp1)* [","] "and" vp                  (vp1: no chain)
    vp        := PRESENT obj ["that" PRESENT obj ...]                (a relative-clause chain)
               | PRESENT obj ("," obj)* [","] "and" obj              (one verb, several objects)
               | PRESENT obj AFTER                                   (a phrase said around its object:
                                                                     "leads" obj "by the hand")
    obj       := intro | definite
    intro     := ("a" | "an" | "some" | "a pair of") ADJ* NAME ["that" ("is" | "are") pred]
    definite  := "the" NAME | "the" ORDINAL UNIT
    pred      := ITEM ("," ITEM)* ["and" ITEM]

Names, adjectives, verb forms and phrases are matched longest first against
the taxonomy's tables (:mod:`.lexicon`), with backtracking, so names containing
"and", "of" or "on" parse.  Where a spelling could be read two ways the
realizer spells it differently (see :mod:`.lexicon`); the parser never guesses.
"""

from __future__ import annotations

import weakref
from typing import Iterator

from ..errors import GasError
from ..scene import Attribute, Relation, Scene, SceneAttribute, SceneObject
from ..taxonomy.model import Taxonomy
from .lexicon import (CAMERA_FLASH, COUNT_VALUES, FLASH, ORDINAL_VALUES, SHARED_PARTICIPLES, SHOT_VERB, TAKEN_VERB,
                      lexicon, tokens)

__all__ = ["parse_caption", "CaptionParseError"]


class CaptionParseError(GasError):
    """The text is not a caption of the realizer's grammar for this taxonomy."""


class _Index:
    """Token-tuple index: first token -> [(tokens, item)], longest first."""

    def __init__(self, pairs):
        idx: dict[str, list] = {}
        for text, item in pairs:
            t = tokens(text)
            if t:
                idx.setdefault(t[0], []).append((t, item))
        for v in idx.values():
            v.sort(key=lambda p: -len(p[0]))
        self.idx = idx

    def match(self, toks: tuple[str, ...], i: int, start: bool) -> Iterator[tuple[int, object]]:
        if i >= len(toks):
            return
        first = toks[i]
        keys = [first]
        if start:
            low = first[:1].lower() + first[1:]
            if low != first:
                keys.append(low)
        cands = []
        for k in keys:
            cands.extend(self.idx.get(k, ()))
        if len(keys) > 1:
            cands.sort(key=lambda p: -len(p[0]))
        for t, item in cands:
            n = len(t)
            if toks[i + 1:i + n] == t[1:]:
                yield i + n, item


class _Grammar:
    def __init__(self, taxonomy: Taxonomy):
        lex = lexicon(taxonomy)
        self.names = _Index((w.name, c) for c, w in lex.obj.items())
        self.plurals = _Index((w.plural, c) for c, w in lex.obj.items())
        self.units = _Index((w.unit, c) for c, w in lex.obj.items())
        self.pre = _Index((a.surface, k) for k, a in lex.attr.items() if a.prenominal)
        self.pred = _Index((a.post, k) for k, a in lex.attr.items())
        # a phrase said around its object is matched by its words before the object ("leads"), then the
        # object, then the words after it (``after``: "by the hand")
        cut = {p: len(a) for p, a in lex.rel_after.items() if a}
        # a possessive said by the subject's sex ("on his shoulders", lexicon.possessive): any of the three reads
        self.after = {p: tuple(dict.fromkeys(tokens(lex.rel_after[p].replace("their", w))
                                             for w in ("their", "his", "her"))) for p in cut}
        self.present = _Index([(_before(f, cut.get(p, 0)), p) for p, f in lex.rel_present.items()]
                              + [(_before(f, cut.get(p, 0)), p) for p, f in lex.rel_present_plural.items()
                                 if f != lex.rel_present[p]])
        self.artist_style = _Index(((ph, ("art_style", v)) for v, ph in lex.artist_style_of.items()))
        self.participle = _Index((_before(f, cut.get(p, 0)), p) for p, f in lex.rel_name.items())
        self.scene_by_modality: dict[str, _Index] = {}
        self.taxonomy = taxonomy
        self.lex = lex

    def scene_index(self, modality: str) -> _Index:
        idx = self.scene_by_modality.get(modality)
        if idx is None:
            allowed = {t.id for t in self.taxonomy.scene_attribute_types_for(modality)}
            pairs = [(ph, k) for k, ph in self.lex.scene_phrase.items() if k[0] in allowed]
            # a phrase after one with the same participle drops it: "shot at f/2.8 and on a Leica M6"
            pairs += [(ph.partition(" ")[2], k) for ph, k in pairs if ph.partition(" ")[0] in SHARED_PARTICIPLES]
            # "taken on a Nikon F3 and shown in a wide shot": a camera's "shot" beside a shot (caption._shot_once)
            pairs += [(TAKEN_VERB + ph[len(SHOT_VERB):], k) for ph, k in pairs if ph.startswith(SHOT_VERB)]
            # "with the camera panning left and lit by a flash" (caption._camera_once)
            pairs += [(ph.replace(CAMERA_FLASH, FLASH), k) for ph, k in pairs if CAMERA_FLASH in ph]
            idx = self.scene_by_modality[modality] = _Index(pairs)
        return idx


def _before(form: str, cut: int) -> str:
    """A verb form without its last ``cut`` characters (the words said after the object, with their space)."""
    return form[:-cut] if cut else form


_grammars: "weakref.WeakKeyDictionary[Taxonomy, _Grammar]" = weakref.WeakKeyDictionary()


# Parse state (immutable, so backtracking is free):
#   objs: tuple of (concept, ordinal, attrs) -- ordinal 0 for objects named without an ordinal
#   rels: tuple of (subject, object, predicate)
#   sattrs: tuple of (type, value)
_EMPTY = ((), (), ())


class _Parser:
    def __init__(self, g: _Grammar, toks: tuple[str, ...], modality: str):
        self.g = g
        self.t = toks
        self.n = len(toks)
        self.scene_idx = g.scene_index(modality)

    # -- helpers ------------------------------------------------------------
    def start(self, i: int) -> bool:
        return i == 0 or self.t[i - 1] == "."

    def lit(self, i: int, word: str) -> bool:
        if i >= self.n:
            return False
        tok = self.t[i]
        return tok == word or (self.start(i) and tok == word[:1].upper() + word[1:])

    def lits(self, i: int, words: tuple[str, ...]) -> int | None:
        for w in words:
            if not self.lit(i, w):
                return None
            i += 1
        return i

    # -- top level ----------------------------------------------------------
    def parse(self) -> Iterator[tuple]:
        # scene attributes opening the first sentence: "Set on a patio and lit by candlelight, a dog ..."
        for i, items in self.plist(0, self.scene_idx):
            if i < self.n and self.t[i] == "," and len({k[0] for k in items}) == len(items):
                for j, st in self.sentences(i + 1, ((), (), tuple(items))):
                    if j == self.n and st[0]:
                        yield st
        for i, st in self.opt_scene(0, _EMPTY):
            for j, st2 in self.sentences(i, st):
                if j == self.n:
                    yield st2
                if st[2] == ():  # no scene sentence first: it may come last
                    for k, st3 in self.scene_sentence(j, st2):
                        if k == self.n:
                            yield st3

    def opt_scene(self, i, st):
        yield i, st
        yield from self.scene_sentence(i, st)

    def scene_sentence(self, i, st):
        for j, items in self.plist(i, self.scene_idx):
            if j < self.n and self.t[j] == "." and len({k[0] for k in items}) == len(items):
                yield j + 1, (st[0], st[1], tuple(items))

    def plist(self, i, index):
        """ITEM | ITEM "and" ITEM | ITEM "," ITEM ... "and" ITEM  -> (end, [items]); an item is a list."""
        for j, item in self.item(i, index):
            yield j, item
            if j < self.n and self.t[j] == "and":
                for k, last in self.item(j + 1, index):
                    yield k, item + last
            elif j < self.n and self.t[j] == ",":
                for k, rest in self.plist(j + 1, index):
                    if len(rest) >= 2:
                        yield k, item + rest

    def item(self, i, index):
        """One ITEM as a list of what it names: a scene phrase may name two values ("in the style of
        Henri Matisse reimagined in Cubism": artist and art style)."""
        for j, item in index.match(self.t, i, self.start(i)):
            yield j, [item]
            if index is self.scene_idx and isinstance(item, tuple) and item[0] == "artist":
                for k, style in self.g.artist_style.match(self.t, j, False):
                    yield k, [item, style]

    def sentences(self, i, st):
        yield i, st
        if i < self.n:
            for j, st2 in self.sentence(i, st):
                yield from self.sentences(j, st2)

    def sentence(self, i, st):
        yield from self.group(i, st)
        yield from self.listing(i, st)
        yield from self.clauses(i, st)

    # -- repeated concepts ----------------------------------------------------
    def group(self, i, st):
        j = self.lits(i, ("there", "are"))
        starts = (i,) if j is None else ((j, j + 1, i) if self.lit(j, "also") else (j, i))  # "There are also ..."
        for a in starts:
            if a >= self.n:
                continue
            word = self.t[a]
            word = word[:1].lower() + word[1:] if self.start(a) else word
            count = COUNT_VALUES.get(word)
            if count is None:
                if word.isdigit():
                    count = int(word)
                else:
                    continue
            if count < 2:
                continue
            for b, concept in self.g.plurals.match(self.t, a + 1, False):
                if any(o[0] == concept for o in st[0]):
                    continue
                base = len(st[0])
                objs = st[0] + tuple((concept, k + 1, ()) for k in range(count))
                st1 = (objs, st[1], st[2])
                if b < self.n and self.t[b] == ".":
                    yield b + 1, st1
                if b < self.n and self.t[b] == ":":
                    for c, st2 in self.descs(b + 1, st1, concept, base, count, set()):
                        if c < self.n and self.t[c] == ".":
                            yield c + 1, st2
                    for c, st2 in self.classes(b + 1, st1, concept, base, count, 0):
                        if c < self.n and self.t[c] == ".":
                            yield c + 1, st2

    def descs(self, i, st, concept, base, count, seen):
        if not self.lit(i, "the") or i + 1 >= self.n:
            return
        k = ORDINAL_VALUES.get(self.t[i + 1])
        if k is None or not 1 <= k <= count or k in seen:
            return
        for j, c in self.g.units.match(self.t, i + 2, False):
            if c != concept or not self.lit(j, "is"):
                continue
            for m, attrs in self.plist(j + 1, self.g.pred):
                objs = list(st[0])
                objs[base + k - 1] = (concept, k, tuple(attrs))
                st1 = (tuple(objs), st[1], st[2])
                yield m, st1
                if m < self.n and self.t[m] == ";":
                    yield from self.descs(m + 1, st1, concept, base, count, seen | {k})

    def classes(self, i, st, concept, base, count, used):
        """COUNT ("is" | "are") pred (";" ...)*: ``used`` copies described so far, the next ones get this class."""
        if i >= self.n:
            return
        if used == 0 and self.t[i] in ("both", "all"):  # "both are red", "all three are red": every copy
            j = i + 1 if self.t[i] == "both" else i + 2
            if (self.t[i] == "both") == (count == 2) and (j == i + 1 or self._count(i + 1) == count) \
                    and self.lit(j, "are"):
                for m, attrs in self.plist(j + 1, self.g.pred):
                    objs = list(st[0])
                    for c in range(count):
                        objs[base + c] = (concept, 0, tuple(attrs))
                    yield m, (tuple(objs), st[1], st[2])
            return
        k = self._count(i)
        if k is None or k < 1 or used + k > count or not self.lit(i + 1, "is" if k == 1 else "are"):
            return
        for m, attrs in self.plist(i + 2, self.g.pred):
            objs = list(st[0])
            for c in range(used, used + k):
                objs[base + c] = (concept, 0, tuple(attrs))  # told apart by description: named by no ordinal
            st1 = (tuple(objs), st[1], st[2])
            yield m, st1
            if m < self.n and self.t[m] == ";":
                yield from self.classes(m + 1, st1, concept, base, count, used + k)

    def _count(self, i):
        if i >= self.n:
            return None
        k = COUNT_VALUES.get(self.t[i])
        if k is None and self.t[i].isdigit():
            k = int(self.t[i])
        return k

    # -- noun phrases -------------------------------------------------------
    def intro(self, i, st):
        """Indefinite noun phrase -> (end, state, index of the new object)."""
        if i >= self.n:
            return
        det = self.t[i]
        if self.start(i):
            det = det[:1].lower() + det[1:]
        if det not in ("a", "an", "some"):
            return
        if det == "a" and self.lits(i + 1, ("pair", "of")) is not None:  # "a pair of red jeans"
            yield from self._adjs(i + 3, st, ())
        yield from self._adjs(i + 1, st, ())

    def _adjs(self, i, st, pre):
        # noun first (longest), then one more adjective
        for j, concept in self.g.names.match(self.t, i, False):
            if any(o[0] == concept for o in st[0]):
                continue  # a concept named twice is a group, and never re-introduced
            idx = len(st[0])
            yield j, (st[0] + ((concept, 0, pre),), st[1], st[2]), idx
            if self.lits(j, ("that", "is")) is not None or self.lits(j, ("that", "are")) is not None:
                for k, attrs in self.plist(j + 2, self.g.pred):
                    yield k, (st[0] + ((concept, 0, pre + tuple(attrs)),), st[1], st[2]), idx
        for j, attr in self.g.pre.match(self.t, i, False):
            if all(a[0] != attr[0] for a in pre):  # the realizer puts two values of one type after the noun
                yield from self._adjs(j, st, pre + (attr,))

    def definite(self, i, st):
        if not self.lit(i, "the"):
            return
        if i + 1 < self.n:
            k = ORDINAL_VALUES.get(self.t[i + 1])
            if k is not None:
                for j, concept in self.g.units.match(self.t, i + 2, False):
                    for idx, o in enumerate(st[0]):
                        if o[0] == concept and o[1] == k:
                            yield j, st, idx
        for j, concept in self.g.names.match(self.t, i + 1, False):
            for idx, o in enumerate(st[0]):
                if o[0] == concept and o[1] == 0:
                    yield j, st, idx

    def obj(self, i, st):
        yield from self.intro(i, st)
        yield from self.definite(i, st)

    # -- clauses ------------------------------------------------------------
    def clauses(self, i, st):
        # present tense: "A dog rides a horse." / "The horse eats an apple."
        for subj in (self.intro, self.definite):
            for j, st1, s in subj(i, st):
                for k, st2 in self.vps(j, st1, s, self.g.present):
                    if k < self.n and self.t[k] == ".":
                        yield k + 1, st2
        # participles: "There is a dog riding a horse." / "A dog riding a horse."
        for a in self.there(i, True):
            for b, st1, s in self.intro(a, st):
                for k, st2 in self.vps(b, st1, s, self.g.participle):
                    if k < self.n and self.t[k] == ".":
                        yield k + 1, st2

    def vps(self, i, st, s, forms):
        """Verb phrases of subject ``s``: vp | vp1 ("," vp1)* [","] "and" vp."""
        yield from self._more(i, st, s, forms)
        yield from self.vp(i, st, s, forms, chain=True)

    def _more(self, i, st, s, forms):
        for j, st1 in self.vp(i, st, s, forms, chain=False):
            if j < self.n and self.t[j] == ",":
                if j + 1 < self.n and self.t[j + 1] == "and":  # serial comma after a "that is …" clause
                    yield from self.vp(j + 2, st1, s, forms, chain=True)
                else:
                    yield from self._more(j + 1, st1, s, forms)
            if j < self.n and self.t[j] == "and":
                yield from self.vp(j + 1, st1, s, forms, chain=True)

    def vp(self, i, st, s, forms, chain):
        for j, pred in forms.match(self.t, i, False):
            after = self.g.after.get(pred)
            for k, st1, o in self.obj(j, st):
                if o == s or any(r[0] == s and r[1] == o for r in st1[1]):
                    continue
                st2 = (st1[0], st1[1] + ((s, o, pred),), st1[2])
                if after is not None:  # "leads a soldier by the hand": no chain inside the phrase
                    for words in after:
                        end = self.lits(k, words)
                        if end is not None:
                            yield end, st2
                    continue
                if chain:
                    if self.lit(k, "that"):
                        yield from self.vp(k + 1, st2, o, self.g.present, chain=True)
                yield k, st2
                # one verb, several objects: "is above a bowl and a cup" (no chain inside the list)
                yield from self._objs(k, st2, s, pred)

    def _objs(self, i, st, s, pred):
        """The rest of one verb's list of objects: ("," obj)* [","] "and" obj (caption._one_verb)."""
        if i + 1 >= self.n:
            return
        if self.t[i] == "and" or (self.t[i] == "," and self.t[i + 1] == "and"):
            j = i + 1 if self.t[i] == "and" else i + 2
            for k, st1, o in self.obj(j, st):
                if o != s and not any(r[0] == s and r[1] == o for r in st1[1]):
                    yield k, (st1[0], st1[1] + ((s, o, pred),), st1[2])
        elif self.t[i] == ",":
            for k, st1, o in self.obj(i + 1, st):
                if o != s and not any(r[0] == s and r[1] == o for r in st1[1]):
                    st2 = (st1[0], st1[1] + ((s, o, pred),), st1[2])
                    for end, st3 in self._objs(k, st2, s, pred):
                        yield end, st3

    # -- listing ------------------------------------------------------------
    def listing(self, i, st):
        for a in self.there(i, True):
            for b, st1 in self.intros(a, st, True):
                if b < self.n and self.t[b] == ".":
                    yield b + 1, st1

    def there(self, i, bare):
        """Where the noun phrase starts: after "there is" / "there are", or at ``i`` (``bare``)."""
        for be in ("is", "are"):
            j = self.lits(i, ("there", be))
            if j is not None:
                yield j
                if self.lit(j, "also"):  # a later "There is" sentence: "There is also a cup."
                    yield j + 1
        if bare:
            yield i

    def intros(self, i, st, first):
        for j, st1, _ in self.intro(i, st):
            yield j, st1
            if j < self.n and self.t[j] == ",":
                if j + 1 < self.n and self.t[j + 1] == "and":  # serial comma after a "that is …" clause
                    for k, st2, _ in self.intro(j + 2, st1):
                        yield k, st2
                else:
                    yield from self.intros(j + 1, st1, False)
            if j < self.n and self.t[j] == "and":
                for k, st2, _ in self.intro(j + 1, st1):
                    yield k, st2


def parse_caption(text: str, taxonomy: Taxonomy, *, modality: str = "image") -> Scene:
    """Read a caption of the realizer's grammar back into a scene.

    Parameters
    ----------
    text : str
        A caption written by :func:`~gas_solver.realize.caption` (any template).
    taxonomy : Taxonomy
        The taxonomy the caption was written with.
    modality : str
        The scene's modality (it decides which scene-attribute phrases exist).

    Returns
    -------
    Scene
        Equal to the captioned scene up to isomorphism:
        ``canonical_id(parse_caption(caption(s, tax), tax, modality=s.modality)) == canonical_id(s)``.

    Raises
    ------
    CaptionParseError
        If the text is not in the grammar.

    Examples
    --------
    >>> s = parse_caption("A brown dog rides a horse.", tax)  # doctest: +SKIP
    >>> [o.concept for o in s.objects], s.relations[0].predicate  # doctest: +SKIP
    (['dog', 'horse'], 'riding')
    """
    g = _grammars.get(taxonomy)
    if g is None:
        g = _grammars[taxonomy] = _Grammar(taxonomy)
    toks = tokens(text)
    for st in _Parser(g, toks, modality).parse():
        objs, rels, sattrs = st
        return Scene(
            tuple(SceneObject(c, tuple(Attribute(t, v) for t, v in attrs)) for c, _, attrs in objs),
            tuple(Relation(s, o, p) for s, o, p in rels),
            tuple(SceneAttribute(t, v) for t, v in sattrs),
            modality,
        )
    raise CaptionParseError(f"not a caption of the realizer's grammar: {text[:120]!r}")
