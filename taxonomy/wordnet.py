"""A small reader for the WordNet 3.0 plain-text noun database (WNDB format).

Only what the taxonomy build needs: noun synsets with their lemmas, pointers and
glosses (``data.noun``), per-sense SemCor tag counts (``cntlist.rev``, with
``index.noun``'s ``tagsense_cnt`` as a fallback) and the irregular plural table
(``noun.exc``).  The format is documented in ``wndb(5WN)``; no nltk, no download.

Examples
--------
>>> wn = WordNet.read("/usr/share/wordnet")                      # doctest: +SKIP
>>> wn.synset("dog.n.01").lemmas[:2]                             # doctest: +SKIP
('dog', 'domestic_dog')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Synset", "WordNet"]

#: lexicographer file numbers of nouns (lexnames(5WN)); only the ones the build looks at
NOUN_LEXNAMES = {
    3: "noun.Tops", 4: "noun.act", 5: "noun.animal", 6: "noun.artifact", 7: "noun.attribute",
    8: "noun.body", 9: "noun.cognition", 10: "noun.communication", 11: "noun.event", 12: "noun.feeling",
    13: "noun.food", 14: "noun.group", 15: "noun.location", 16: "noun.motive", 17: "noun.object",
    18: "noun.person", 19: "noun.phenomenon", 20: "noun.plant", 21: "noun.possession", 22: "noun.process",
    23: "noun.quantity", 24: "noun.relation", 25: "noun.shape", 26: "noun.state", 27: "noun.substance",
    28: "noun.time",
}


@dataclass(slots=True)
class Synset:
    """One noun synset.  ``lemmas`` keep WordNet's spelling (underscores, case);
    ``lex_ids`` are the matching lexicographer ids (used to key SemCor counts)."""

    offset: int
    lexfile: int
    lemmas: tuple[str, ...]
    lex_ids: tuple[int, ...]
    hypernyms: tuple[int, ...]          # @
    instance_of: tuple[int, ...]        # @i
    usage_domains: tuple[tuple[int, int], ...]   # ;u (domain offset, source lemma number; 0 = whole synset)
    gloss: str
    hyponyms: list[int] = field(default_factory=list)   # ~ (filled by the reader)
    parts: tuple[int, ...] = ()         # %p: part meronyms (a car door of a car)
    part_of: tuple[int, ...] = ()       # #p: the wholes this is a part of (a sleeve of a garment)

    @property
    def wnid(self) -> str:
        """ImageNet-style id, ``n`` + 8-digit offset."""
        return f"n{self.offset:08d}"


class WordNet:
    """Noun synsets of a WNDB directory plus the lookups the build needs."""

    def __init__(self, synsets: dict[int, Synset], index: dict[str, tuple[int, ...]],
                 sense_counts: dict[tuple[str, int, int], int], exceptions: dict[str, str]):
        self.synsets = synsets
        #: lemma (lower case, underscores) -> synset offsets in sense order
        self.index = index
        #: (lemma lower, lexfile, lex_id) -> SemCor tag count
        self.sense_counts = sense_counts
        #: irregular plural -> singular (noun.exc)
        self.exceptions = exceptions

    @classmethod
    def read(cls, root: str | Path) -> "WordNet":
        root = Path(root)
        synsets: dict[int, Synset] = {}
        with open(root / "data.noun", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("  "):  # licence header
                    continue
                ss = _parse_data_line(line)
                synsets[ss.offset] = ss
        for ss in synsets.values():
            for h in ss.hypernyms:
                synsets[h].hyponyms.append(ss.offset)
        for ss in synsets.values():
            ss.hyponyms.sort()
        index: dict[str, tuple[int, ...]] = {}
        with open(root / "index.noun", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("  "):
                    continue
                parts = line.split()
                lemma, _pos, synset_cnt, p_cnt = parts[0], parts[1], int(parts[2]), int(parts[3])
                offsets = parts[4 + p_cnt + 2:]
                assert len(offsets) == synset_cnt, line
                index[lemma] = tuple(int(o) for o in offsets)
        sense_counts: dict[tuple[str, int, int], int] = {}
        cnt = root / "cntlist.rev"
        if cnt.exists():
            with open(cnt, encoding="utf-8") as fh:
                for line in fh:
                    key, _sense, count = line.split()
                    lemma, rest = key.split("%", 1)
                    ss_type, lexfile, lex_id = rest.split(":")[:3]
                    if ss_type == "1":
                        sense_counts[(lemma, int(lexfile), int(lex_id))] = int(count)
        exceptions: dict[str, str] = {}
        with open(root / "noun.exc", encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 2:
                    exceptions.setdefault(parts[0], parts[1])
        return cls(synsets, index, sense_counts, exceptions)

    def synset(self, name: str) -> Synset:
        """Look up ``lemma.n.NN`` (sense number NN of the noun ``lemma``)."""
        lemma, pos, num = name.rsplit(".", 2)
        if pos != "n":
            raise KeyError(name)
        try:
            return self.synsets[self.index[lemma.lower()][int(num) - 1]]
        except (KeyError, IndexError):
            raise KeyError(name) from None

    def count(self, ss: Synset) -> int:
        """SemCor tag count of a synset: the sum over its lemmas' senses."""
        return sum(self.sense_counts.get((lem.lower(), ss.lexfile, lid), 0) for lem, lid in zip(ss.lemmas, ss.lex_ids))

    def name(self, ss: Synset) -> str:
        """``lemma.n.NN`` name of a synset (its first lemma's sense number)."""
        lemma = ss.lemmas[0].lower()
        return f"{lemma}.n.{self.index[lemma].index(ss.offset) + 1:02d}"

    def descendants(self, offset: int) -> set[int]:
        """``offset`` and every synset under it by hyponymy (not instances)."""
        out = {offset}
        stack = [offset]
        while stack:
            for h in self.synsets[stack.pop()].hyponyms:
                if h not in out:
                    out.add(h)
                    stack.append(h)
        return out


def _parse_data_line(line: str) -> Synset:
    body, _, gloss = line.partition(" | ")
    parts = body.split()
    offset, lexfile = int(parts[0]), int(parts[1])
    w_cnt = int(parts[3], 16)
    lemmas, lex_ids = [], []
    i = 4
    for _ in range(w_cnt):
        word = parts[i]
        # adjective markers like (p) never occur on nouns, but strip defensively
        if word.endswith(")") and "(" in word:
            word = word[: word.index("(")]
        lemmas.append(word)
        lex_ids.append(int(parts[i + 1], 16))
        i += 2
    p_cnt = int(parts[i])
    i += 1
    hyper, inst, usage, meronyms, whole = [], [], [], [], []
    for _ in range(p_cnt):
        sym, off, pos, srctgt = parts[i], int(parts[i + 1]), parts[i + 2], parts[i + 3]
        i += 4
        if pos != "n":
            continue
        if sym == "@":
            hyper.append(off)
        elif sym == "@i":
            inst.append(off)
        elif sym == ";u":
            usage.append((off, int(srctgt[:2], 16)))
        elif sym == "%p":
            meronyms.append(off)
        elif sym == "#p":
            whole.append(off)
    return Synset(offset, lexfile, tuple(lemmas), tuple(lex_ids), tuple(hyper), tuple(inst), tuple(usage),
                  gloss.strip(), parts=tuple(meronyms), part_of=tuple(whole))
