"""Build-time English noun inflection: plural, indefinite article, countability.

The engine is ``inflect`` (build-time only; extra ``taxonomy-build``) corrected by
a reviewed override table, ``taxonomy/sources/inflection_overrides.tsv``
(columns ``lemma  plural  article  countable``; ``-`` keeps the computed value).
An override row applies to a whole display name, or to its last word ("thief" ->
"thieves" also fixes "car thief").  Rules on top of inflect:

* initialisms (an all-capital first word: SUV, LED, FBI) take the article of the
  first *letter's name* ("an SUV", "an LED", "a UFO") and a plain "s" plural;
* a leading number takes the article of the spoken number ("an 8-ball", "an 11-year-old");
* mass nouns have article ``""`` and plural = the name ("some water").

Examples
--------
>>> lang = Language.from_file("taxonomy/sources/inflection_overrides.tsv")   # doctest: +SKIP
>>> lang.article("SUV"), lang.plural("passer-by")                            # doctest: +SKIP
('an', 'passers-by')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import inflect

__all__ = ["Language", "Override", "read_overrides"]

# Letters whose English name starts with a vowel sound: "an F", "an S", but "a U" (you).
_VOWEL_SOUND_LETTERS = set("AEFHILMNORSX")
_FRENCH_PARTICLES = {"de", "des", "du", "en", "au", "aux", "la", "le", "a", "al", "alla"}
#: the nouns in -o whose plural is -oes (everything else in -o takes -os)
_O_ES = {"potato", "tomato", "hero", "echo", "torpedo", "veto", "embargo", "mosquito", "volcano", "domino",
         "buffalo", "cargo", "tornado", "motto", "mango", "flamingo", "halo", "no", "tuxedo"}
#: acronyms spoken as words, not letters ("a NATO base", "a NASA rocket")
_WORD_ACRONYMS = {"NATO", "NASA", "LEGO", "UNESCO", "UNICEF", "SCUBA", "RADAR", "LASER", "JPEG", "GIF", "SWAT",
                  "AWOL", "OPEC", "FIFA", "UEFA", "NAFTA", "ASCII", "SIM", "PIN", "WASP", "ZIP"}
_INITIALISM = re.compile(r"^[A-Z][A-Z0-9.&]*[A-Z0-9]s?$|^[A-Z]$")


@dataclass(frozen=True, slots=True)
class Override:
    plural: str | None
    article: str | None
    countable: bool | None


def read_overrides(path: str | Path) -> dict[str, Override]:
    """Read ``lemma<TAB>plural<TAB>article<TAB>countable`` rows (``#`` comments, ``-`` = keep)."""
    out: dict[str, Override] = {}
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 4:
            raise ValueError(f"{path}:{n}: expected 4 tab-separated columns, got {len(cols)}")
        lemma, plural, article, countable = (c.strip() for c in cols)
        if lemma in out:
            raise ValueError(f"{path}:{n}: duplicate lemma {lemma!r}")
        if article not in ("a", "an", "-", "''", ""):
            raise ValueError(f"{path}:{n}: article must be a, an, '' or -")
        if countable not in ("true", "false", "-"):
            raise ValueError(f"{path}:{n}: countable must be true, false or -")
        out[lemma] = Override(None if plural == "-" else plural,
                              None if article == "-" else ("" if article in ("''", "") else article),
                              None if countable == "-" else countable == "true")
    return out


def _number_article(token: str) -> str:
    """Article before a spoken number: eight..., eighty..., eleven, eighteen (and their thousands) take "an"."""
    digits = re.match(r"\d+", token).group(0)
    if digits.startswith("8"):
        return "an"
    if len(digits) in (2, 5) and digits[:2] in ("11", "18"):
        return "an"
    return "a"


class Language:
    """Plural / article / countability of display names (inflect + overrides)."""

    def __init__(self, overrides: dict[str, Override] | None = None):
        self.overrides = overrides or {}
        self._engine = inflect.engine()

    @classmethod
    def from_file(cls, path: str | Path) -> "Language":
        return cls(read_overrides(path))

    def _override(self, name: str) -> tuple[Override | None, str]:
        """Whole-name override, else last-word override; returns (override, matched part)."""
        if name in self.overrides:
            return self.overrides[name], name
        last = re.split(r"[ ]", name)[-1]
        if last != name and last in self.overrides:
            return self.overrides[last], last
        return None, name

    def countable(self, name: str, default: bool = True) -> bool:
        """Whether ``name`` is a count noun; an override row beats the category default."""
        ov = self.overrides.get(name)
        if ov is not None and ov.countable is not None:
            return ov.countable
        return default

    def plural(self, name: str, *, countable: bool = True, already_plural: bool = False) -> str:
        """Plural of a display name ("mouse" -> "mice", "jeans" -> "jeans", mass noun -> itself).

        Multi-word names inflect their head (last) word ("surface-to-air missiles"), except
        "X of Y" / "X-in-law" forms, which inflect handles ("coats of arms"), and French-style
        "X de Y" names, which inflect the first word ("Bouviers des Flandres").

        >>> Language().plural("knife"), Language().plural("toga virilis")
        ('knives', 'toga virilises')
        """
        if not countable or already_plural:
            return name
        ov = self.overrides.get(name)
        if ov is not None and ov.plural is not None and ov.countable is not False:
            return ov.plural
        if " " not in name:
            return self._plural_word(name)
        if name.count(" and ") == 1:  # "wheel and axle" -> "wheels and axles"
            left, right = name.split(" and ")
            return f"{self.plural(left)} and {self.plural(right)}"
        words = name.split(" ")
        if any(w in _FRENCH_PARTICLES for w in words[1:]):
            return " ".join([self._plural_word(words[0]), *words[1:]])
        if any(w in ("of", "in", "on") for w in words[1:]):
            return self._engine.plural_noun(name)
        return " ".join([*words[:-1], self._plural_word(words[-1])])

    def _plural_word(self, word: str) -> str:
        ov = self.overrides.get(word)
        if ov is not None and ov.plural is not None and ov.countable is not False:
            return ov.plural
        if _INITIALISM.match(word) and not word.endswith("s"):
            return word + "s"
        # a singular already ending like a plural takes a zero plural: consonant + s
        # ("yellowlegs", "triceratops", "cat-o'-nine-tails"; not -ns: lenses) or -es
        # ("Great Pyrenees", "species"); inflect would add -es ("yellowlegses")
        if re.search(r"[bcdfghjklmpqrtvwxz]s$|[^s]es$", word):
            return word
        out = self._engine.plural_noun(word)
        low = word.lower()
        # inflect over-applies -oes (taroes, osso bucoes); English uses -os except this closed set
        if out == word + "es" and low.endswith("o") and low.split("-")[-1] not in _O_ES:
            out = word + "s"
        # a name ending in a single s gets "ss" from inflect (natess, ringhalss)
        if out.endswith("ss") and not word.endswith("ss"):
            out = word + "es"
        return out

    def article(self, name: str, *, countable: bool = True, already_plural: bool = False) -> str:
        """Indefinite article: ``"a"``, ``"an"``, or ``""`` for mass nouns and plural-only nouns.

        >>> Language().article("hour"), Language().article("SUV"), Language().article("unicorn")
        ('an', 'an', 'a')
        """
        if not countable or already_plural:
            return ""
        ov = self.overrides.get(name)
        # a mass-noun row ("beef: no article") says nothing about a counted sense of the word
        if ov is not None and ov.article is not None and ov.countable is not False:
            return ov.article
        first = re.split(r"[ \-]", name)[0]
        if first[:1].isdigit():
            return _number_article(first)
        if first in _WORD_ACRONYMS:
            return self._engine.a(first.lower()).split(" ", 1)[0]
        if _INITIALISM.match(first) and len(first) > 1:
            return "an" if first[0] in _VOWEL_SOUND_LETTERS else "a"
        return self._engine.a(name).split(" ", 1)[0]
