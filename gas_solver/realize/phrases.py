"""Scene-attribute phrases: the taxonomy's per-type template, with per-type rules where English wants
another preposition for some values.

A type's template ("in {value}" for weather) reads well for most of its values ("in light rain", "in a
blizzard") but not all: a sky is something a scene is *under* ("under a cloudless sky"), a heat wave
something it happens *during*, shadows something it is shown *with*.  The rules look at the value's words,
so a custom taxonomy's values get them too; a value no rule matches keeps the template.

Each rule gives the phrase and, where the type's question would no longer read, the yes/no question.

>>> scene_phrase("weather", "a cloudless sky"), scene_phrase("weather", "storm clouds gathering")
('under a cloudless sky', 'under gathering storm clouds')
"""

from __future__ import annotations

import re

__all__ = ["scene_phrase", "scene_question", "style_name", "ARTIST_STYLE_PREFIX"]

#: an art style beside an artist: "in the style of Henri Matisse, reimagined in Cubism" (two "in the style
#: of" phrases would name two styles for one image)
ARTIST_STYLE_PREFIX = "reimagined in "

_SKY = re.compile(r"\b(sky|skies|clouds|rainbow)\b")
_DAY = re.compile(r"\b(day|evening|morning|night|afternoon)$")
_SPELL = re.compile(r"\b(wave|spell|season)$")
_GERUND_TAIL = re.compile(r"^(.*\S) (gathering|rolling in|building)$")


def _weather(value: str) -> str | None:
    m = _GERUND_TAIL.match(value)
    if m:  # "storm clouds gathering" -> "gathering storm clouds"
        value = f"{m.group(2)} {m.group(1)}"
    if _SKY.search(value):
        return f"under {value}"
    if _DAY.search(value):
        return f"on {value}"
    if _SPELL.search(value):
        return f"during {value}"
    if value.startswith("falling "):
        return f"with {value}"
    return None if not m else f"in {value}"


def _lighting(value: str) -> str | None:
    if re.search(r"\bshadows?\b", value):  # shadows do not light a scene
        return f"with {value}"
    return None


def _colour_tone(value: str) -> str | None:
    if re.search(r"\b(look|grade|effect)$", value):
        return f"with {value}"
    if value.endswith(" glow"):
        return f"bathed in {value}"
    return None


def _season(value: str) -> str | None:
    if value.endswith(" season") and not value.startswith("the "):
        return f"during {value}"  # "during cherry blossom season"
    return None


#: genres named by one kind of work, not by a field: "in the genre of travel poster" lacks its article, and
#: "in the genre of genre painting" says "genre" twice; these read "styled as a travel poster"
_WORK = re.compile(r"\b(poster|cartoon|nocturne)$|^genre ")


def _a(value: str) -> str:
    if value.startswith(("a ", "an ", "the ")):
        return value
    return f"{'an' if value[:1] in 'aeiou' else 'a'} {value}"


#: genres named by what the picture shows (a religious painting shows a faith's figures, a wedding photograph a
#: wedding): "in the genre of religious painting" would claim that content of a scene of a mailbox and a
#: softball, so they name the look the scene takes, "styled like a religious painting", "styled like war
#: photography", which holds whatever it shows
_CONTENT = re.compile(r"^(?:(?:religious|history|mythological|allegorical|genre) painting|caricature|"
                      r"political cartoon|(?:wedding|war) photography)$")


def _art_genre(value: str) -> str | None:
    if _CONTENT.match(value):
        return f"styled like {value if value.endswith(' photography') else _a(value)}"
    if _WORK.search(value):
        return f"styled as {_a(value)}"
    return None


def _medium(value: str) -> str | None:
    if value.endswith(" render"):  # "rendered as a 3D render" says it twice
        return f"shown as {_a(value)}"
    return None


#: a school named without its article ("Barbizon School"): a school is "the" school, as in "the Ashcan School"
_SCHOOL = re.compile(r"^[A-Z][\w'-]*(?: [A-Z][\w'-]*)* School$")


#: a style named by one kind of work, a count noun ("Tibetan thangka", "Persian miniature", "hand-painted anime
#: film"): "in the style of Tibetan thangka" lacks its article, as "in the genre of travel poster" did
_STYLE_WORK = re.compile(r"\b(thangka|miniature|film)$")
#: a style named by an adjective or an aesthetic's label ("kawaii", "chibi", "cottagecore", "steampunk",
#: "vaporwave", "ligne claire"): English says "in kawaii style", not "in the style of kawaii"
_STYLE_LABEL = re.compile(r"^(?:kawaii|chibi|cottagecore|[a-z]+punk|[a-z]+wave|ligne claire)$", re.I)


#: a style whose name holds the word "style" ("bohemian style", "Swiss Style graphic design")
_STYLE_WORD = re.compile(r"\bstyle\b", re.I)


def _art_style(value: str) -> str | None:
    if _STYLE_WORD.search(value) and not value.startswith("the "):
        return f"in {value}"  # "in the style of bohemian style", "... of Swiss Style graphic design" say it twice
    if _SCHOOL.match(value):
        return f"in the style of the {value}"  # "in the style of Barbizon School" lacks its article
    if _STYLE_WORK.search(value):
        return f"in the style of {_a(value)}"  # "in the style of a Tibetan thangka"
    if _STYLE_LABEL.match(value):
        return f"in {value[:1].lower()}{value[1:]} style"  # "in kawaii style", "in ligne claire style"
    return None


def style_name(value: str) -> str:
    """How an art style's name reads after a preposition: a school with its article, a kind of work or an
    aesthetic's label as a style ("reimagined in Tibetan thangka style", "reimagined in kawaii style").

    >>> style_name("Barbizon School"), style_name("the Ashcan School"), style_name("Cubism")
    ('the Barbizon School', 'the Ashcan School', 'Cubism')
    >>> style_name("Tibetan thangka"), style_name("Ligne claire")
    ('Tibetan thangka style', 'ligne claire style')
    """
    if _SCHOOL.match(value):
        return f"the {value}"
    if _STYLE_LABEL.match(value):
        return f"{value[:1].lower()}{value[1:]} style"  # a label is not a name: "ligne claire style"
    if _STYLE_WORK.search(value):
        return f"{value} style"
    return value


_RULES = {"weather": _weather, "lighting": _lighting, "colour_tone": _colour_tone, "season": _season,
          "art_genre": _art_genre, "medium": _medium, "art_style": _art_style}


def scene_phrase(type_id: str, value: str) -> str | None:
    """The phrase a rule of type ``type_id`` gives value ``value`` (its display name), or None where the
    type's template reads well.

    >>> scene_phrase("season", "cherry blossom season")
    'during cherry blossom season'
    >>> scene_phrase("colour_tone", "a teal and orange grade")
    'with a teal and orange grade'
    >>> scene_phrase("weather", "light rain") is None
    True
    >>> scene_phrase("art_style", "bohemian style"), scene_phrase("art_style", "Barbizon School")
    ('in bohemian style', 'in the style of the Barbizon School')
    >>> scene_phrase("art_style", "Swiss Style graphic design")
    'in Swiss Style graphic design'
    >>> scene_phrase("art_style", "Tibetan thangka"), scene_phrase("art_style", "kawaii")
    ('in the style of a Tibetan thangka', 'in kawaii style')
    >>> scene_phrase("art_genre", "religious painting"), scene_phrase("art_genre", "war photography")
    ('styled like a religious painting', 'styled like war photography')
    """
    rule = _RULES.get(type_id)
    return None if rule is None else rule(value)


def scene_question(phrase: str, template_phrase: str, template_question: str) -> str:
    """The yes/no question for a value whose phrase a rule changed: the type's question
    (``template_question``, filled) with ``template_phrase`` (the template's phrase, filled) swapped for
    ``phrase``, or a question built from the phrase where the type's question would not read.

    >>> scene_question("under a cloudless sky", "in a cloudless sky", "Does this scene take place in a cloudless sky?")
    'Does this scene take place under a cloudless sky?'
    >>> scene_question("with dramatic shadows", "lit by dramatic shadows", "Is the scene lit by dramatic shadows?")
    'Does this have dramatic shadows?'
    """
    if phrase.startswith("with "):
        return f"Does this have {phrase[5:]}?"
    if template_question and template_phrase in template_question:
        return template_question.replace(template_phrase, phrase)
    return f"Is this {phrase}?"
