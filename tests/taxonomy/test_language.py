"""Language data of tricky nouns: plural, indefinite article, countability.

Each row is checked against the STORED data of the shipped taxonomy when the word is an
object there (in the given category); the few that are not objects (an hour, a European)
are checked against the build's inflection function with its override table.
"""

from __future__ import annotations

import pytest

from gas_solver.taxonomy import load_taxonomy

# name, category (None: any sense), article, plural, countable
TABLE = [
    ("hour", None, "an", "hours", True),
    ("European", None, "a", "Europeans", True),
    ("honest man", None, "an", "honest men", True),
    ("SUV", "vehicle", "an", "SUVs", True),
    ("LED", "device", "an", "LEDs", True),
    ("UFO", None, "a", "UFOs", True),
    ("FBI agent", None, "an", "FBI agents", True),
    ("8-ball", None, "an", "8-balls", True),
    ("unicorn", "animal", "a", "unicorns", True),
    ("university", "structure", "a", "universities", True),
    ("ewe", "mammal", "a", "ewes", True),
    ("eucalyptus", "tree", "a", "eucalyptuses", True),
    ("uniform", "clothing", "a", "uniforms", True),
    ("ukulele", "musical_instrument", "a", "ukuleles", True),
    ("hourglass", "device", "an", "hourglasses", True),
    ("umbrella", "accessory", "an", "umbrellas", True),
    ("owl", "bird", "an", "owls", True),
    ("T-shirt", "clothing", "a", "T-shirts", True),
    ("water", "drink", "", "water", False),
    ("water", "substance", "", "water", False),
    ("rice", "food", "", "rice", False),
    ("sand", "substance", "", "sand", False),
    ("grass", "plant", "", "grass", False),
    ("bread", "baked_good", "", "bread", False),
    ("milk", "drink", "", "milk", False),
    ("snow", "substance", "", "snow", False),
    ("honey", "food", "", "honey", False),
    ("furniture", "furniture", "", "furniture", False),
    ("spaghetti", "dish", "", "spaghetti", False),
    ("bacon", "food", "", "bacon", False),
    ("jeans", "clothing", "", "jeans", False),
    ("trousers", "clothing", "", "trousers", False),
    ("scissors", "tool", "", "scissors", False),
    ("glasses", "accessory", "", "glasses", False),
    ("pliers", "tool", "", "pliers", False),
    ("sheep", "mammal", "a", "sheep", True),
    ("deer", "mammal", "a", "deer", True),
    ("moose", "mammal", "a", "moose", True),
    ("salmon", "fish", "a", "salmon", True),
    ("aircraft", "vehicle", "an", "aircraft", True),
    ("mouse", "mammal", "a", "mice", True),
    ("goose", "bird", "a", "geese", True),
    ("ox", "mammal", "an", "oxen", True),
    ("louse", "insect", "a", "lice", True),
    ("wolf", "mammal", "a", "wolves", True),
    ("knife", "tool", "a", "knives", True),
    ("child", "person", "a", "children", True),
    ("woman", "person", "a", "women", True),
    ("person", "person", "a", "people", True),
    ("mother-in-law", "person", "a", "mothers-in-law", True),
    ("passer-by", None, "a", "passers-by", True),
    ("cactus", "plant", "a", "cacti", True),
    ("potato", "vegetable", "a", "potatoes", True),
    ("tomato", "vegetable", "a", "tomatoes", True),
    ("piano", "musical_instrument", "a", "pianos", True),
    ("bus", "vehicle", "a", "buses", True),
    ("cherry", "fruit", "a", "cherries", True),
    ("tooth", "body_part", "a", "teeth", True),
    ("apple", "fruit", "an", "apples", True),
    ("igloo", "structure", "an", "igloos", True),
]


@pytest.fixture(scope="module")
def tax():
    return load_taxonomy()


def _stored(tax, name, category):
    return [o for o in tax.objects if o.name == name and (category is None or o.category == category)]


def test_table_is_big_and_mostly_stored(tax):
    assert len(TABLE) >= 40
    stored = [row for row in TABLE if _stored(tax, row[0], row[1])]
    assert len(stored) >= 45, [row[0] for row in TABLE if row not in stored]


@pytest.mark.parametrize("name,category,article,plural,countable", TABLE, ids=[f"{r[0]}-{r[1]}" for r in TABLE])
def test_language_row(tax, build_modules, name, category, article, plural, countable):
    objs = _stored(tax, name, category)
    if objs:
        for o in objs:
            assert (o.article, o.plural, o.countable) == (article, plural, countable), o
    else:
        build, language = build_modules
        lang = language.Language.from_file(build.SOURCES / "inflection_overrides.tsv")
        assert lang.countable(name) == countable
        assert lang.article(name, countable=countable) == article
        assert lang.plural(name, countable=countable) == plural


@pytest.mark.parametrize("word,article", [("8-ball", "an"), ("11-year-old", "an"), ("1-year-old", "a"),
                                          ("18-wheeler", "an"), ("80-gun ship", "an"), ("NATO base", "a"),
                                          ("X-ray", "an"), ("UN soldier", "a"), ("MP", "an")])
def test_article_rules_for_numbers_and_initialisms(build_modules, word, article):
    _, language = build_modules
    assert language.Language().article(word) == article


def test_plural_rules(build_modules):
    _, language = build_modules
    lang = language.Language()
    assert lang.plural("surface-to-air missile") == "surface-to-air missiles"
    assert lang.plural("coat of arms") == "coats of arms"
    assert lang.plural("Bouvier des Flandres") == "Bouviers des Flandres"
    assert lang.plural("osso buco") == "osso bucos"
    assert lang.plural("wheel and axle") == "wheels and axles"
    assert lang.plural("water", countable=False) == "water"
    assert lang.plural("brass knucks", already_plural=True) == "brass knucks"
