"""Generate the colour values of ``attributes.toml`` from matplotlib's colour tables.

Sources: the XKCD colour survey names (``matplotlib._color_data.XKCD_COLORS``, CC0) and the CSS4
names (``CSS4_COLORS``, W3C).  ``_color_data`` is private to matplotlib, so the names are copied
into ``attributes.toml`` at build time and the runtime never imports matplotlib.

Cleaning (every rule is a table below, so a reviewer can read what was dropped and why):

* ``DENY_WORDS``: any name containing one of these words is dropped -- scatological or
  unpleasant (poop, puke, snot ...), opinions rather than colours (ugly, nice, boring ...),
  brands and characters (barney, kermit, windows ...), ethnic or national labels (indian, navajo ...).
* ``DROP``: single names dropped as misspellings, duplicates, informal "-y" forms or non-colours.
* "very ..." and "medium ..." names, and three-word blends of two hues ("light grey green") are
  dropped: survey and CSS phrasings nobody says of an object.
* Single-word names are kept only when they are colour words a person would say of an object
  (``SINGLE_WORD_COLOURS``): "a teal car", but not "an apple car" or "a mud car".
* Names that are also material values (gold, silver, copper, bronze, terracotta ...) stay
  materials only, so that a value name says one thing.
* CSS4's concatenated names are split by hand (``CSS_NAMES``); those without a spoken form
  (gainsboro, papayawhip ...) are dropped.

Applicability tiers (value-level ``applies_to``, is-a closed):

* natural -- blacks, whites, greys, browns, creams and golds: every coloured category
  ("a brown dog", "a grey hill");
* basic -- every other name built only from basic hue words and plain modifiers ("light blue",
  "bright red"): birds, reptiles, amphibians, fish, insects and other invertebrates, flowers,
  artifacts, natural objects, substances, bodies of water, baked goods and drinks; greens, reds,
  oranges and yellows also on plants, trees, landforms and all food, and purples, pinks and browns
  also on food -- no "clear blue front yard", no "deep blue egg roll";
* fancy -- the rest ("cornflower blue", "dusty rose"), and basic hues with a synthetic
  modifier ("neon green", "hot pink", "baby blue"): artifacts, flowers, baked goods and drinks
  only -- never animals ("a jade chicken hawk", "a chartreuse roundworm" read as nonsense).

Run ``python taxonomy/curated/make_colours.py`` to rewrite the generated region.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _generated import replace_region, snake, toml_str  # noqa: E402

HERE = Path(__file__).parent

DENY_WORDS = {
    # scatological / unpleasant
    "poo", "poop", "shit", "puke", "vomit", "barf", "diarrhea", "booger", "snot", "piss", "bile",
    "bruise", "sick", "sickly", "icky", "gross", "nasty", "slime", "toxic", "radioactive", "poison",
    "hospital", "dirty", "mud", "muddy", "dirt", "swamp", "pig",
    # opinions or jokes, not colours
    "ugly", "nice", "weird", "boring", "bland", "really", "hint", "urple", "blurple", "burple",
    # brands, characters, places and ethnic or national labels
    "barbie", "barney", "kermit", "windows", "tiffany", "carolina", "irish", "easter", "indian",
    "navajo", "french", "darkish", "lightish", "prussian", "alice", "rebecca", "macaroni", "dodger", "kelley", "kelly",
}

DROP = {
    # misspellings and duplicate spellings
    "forrest green", "liliac", "light lavendar", "perrywinkle", "terracota", "toupe", "ocre",
    "burnt siena", "creme", "azul", "rosa", "fluro green", "egg shell", "robin's egg",
    "robin egg blue", "bubble gum pink", "bubblegum", "aqua marine", "golden rod", "vermillion",
    "dark navy", "light light blue", "light light green", "blue blue", "dried blood", "almost black",
    "pure blue", "primary blue", "flat blue", "flat green", "true green", "off blue", "off green",
    "off yellow", "camo", "camo green", "dark", "pale", "reddish", "bluish", "greenish", "greyish",
    "pinkish", "purplish", "yellowish", "brownish", "orangish", "orangeish", "purpleish", "tealish",
    "dusk", "midnight", "sea", "sky", "ocean", "earth", "dust", "ice", "pea soup", "pea soup green",
    "leather", "velvet", "denim", "brick", "stone", "sandstone", "steel", "cement", "clay", "straw",
    "tea", "wine", "blood", "heather", "drab", "drab green", "medium grey", "medium brown",
    "medium green", "medium blue", "medium pink", "medium purple", "lighter green", "lighter purple",
    "green apple", "key lime", "lemon lime", "red wine", "merlot", "raw sienna", "raw umber",
    "burnt umber", "sap green", "lipstick", "rouge", "royal", "marine", "desert", "twilight",
    "highlighter green", "fire engine red", "british racing green", "racing green", "military green",
    "army green", "battleship grey", "gunmetal", "tan green", "yellow tan", "greenish tan",
    "pinkish tan", "fresh green", "hot green", "electric lime", "light neon green", "light urple",
    "manilla", "putty", "petrol", "bordeaux", "claret", "puce", "heliotrope", "celadon", "viridian",
    "ecru", "buff", "fawn", "dark sand", "sand", "sandy", "dark taupe", "tealish green", "purpleish blue",
    "purpleish pink", "washed out green", "minty green", "frog green", "turtle green", "tree green",
    "algae green", "kiwi green", "lemon green", "water blue", "night blue", "murky green", "sun yellow",
    "foam green", "light eggplant", "acid green", "grassy green", "dark mint", "light mint", "bright olive",
    "bright light blue", "bright light green", "light bright green", "pale light green", "dark navy blue",
    "light navy", "light navy blue", "navy green", "dark hot pink", "dark pastel green", "light pastel green",
    # names that read as a thing or as another attribute before a noun (hand reading, attribute round 4): "some
    # milk chocolate poultry", "goggles that are old lace", "an antique white chair" (antique is an age),
    # "a rusty red coffee maker" (rusty is a condition), "a green teal window box" (two hues)
    "milk chocolate", "old lace", "lemon chiffon", "misty rose", "lavender blush", "ghost white", "old rose",
    "old pink", "antique white", "rusty red", "rusty orange", "green teal", "mint cream", "peach puff",
    # a gem or a metal named alone reads as the thing's material ("an emerald timer", "an amber motor", "a cobalt
    # tip truck"); "emerald green", "jade green", "cobalt blue" stay
    "emerald", "sapphire", "jade", "amber", "cobalt",
}

# Values of other attribute types (material, flavour): a value name says one thing.
MATERIAL_NAMES = {"gold", "silver", "copper", "bronze", "terracotta", "terra cotta", "brass", "linen", "mahogany",
                  "chocolate"}

SINGLE_WORD_COLOURS = {
    "amber", "apricot", "aqua", "aquamarine", "aubergine", "auburn", "azure", "beige", "black", "blue",
    "blush", "brown", "burgundy", "camel", "caramel", "carmine", "cerise", "cerulean", "charcoal",
    "chartreuse", "chestnut", "chocolate", "cinnamon", "cobalt", "coral", "cornflower", "cranberry",
    "cream", "crimson", "cyan", "eggplant", "eggshell", "emerald", "fuchsia", "golden", "goldenrod",
    "green", "grey", "hazel", "indigo", "ivory", "jade", "khaki", "lavender", "lilac", "magenta",
    "mahogany", "maroon", "mauve", "mint", "mocha", "mulberry", "mustard", "navy", "ochre", "olive",
    "orange", "orchid", "peach", "periwinkle", "pink", "plum", "purple", "raspberry", "red", "rose",
    "ruby", "russet", "saffron", "sage", "salmon", "sapphire", "scarlet", "sepia", "sienna", "slate",
    "tan", "tangerine", "taupe", "teal", "turquoise", "ultramarine", "umber", "violet", "white",
    "yellow", "ivory", "ginger",
}

# CSS4 names -> spoken form; None drops the name.
CSS_NAMES = {
    "aliceblue": None, "antiquewhite": "antique white", "blanchedalmond": None, "bisque": None,
    "blueviolet": "blue violet", "burlywood": None, "cadetblue": "cadet blue",
    "cornflowerblue": "cornflower blue", "cornsilk": None, "darkblue": "dark blue", "darkcyan": "dark cyan",
    "darkgoldenrod": "dark goldenrod", "darkgray": "dark grey", "darkgreen": "dark green",
    "darkgrey": "dark grey", "darkkhaki": "dark khaki", "darkmagenta": "dark magenta",
    "darkolivegreen": "dark olive green", "darkorange": "dark orange", "darkorchid": "dark orchid",
    "darkred": "dark red", "darksalmon": "dark salmon", "darkseagreen": "dark sea green",
    "darkslateblue": "dark slate blue", "darkslategray": "dark slate grey", "darkslategrey": "dark slate grey",
    "darkturquoise": "dark turquoise", "darkviolet": "dark violet", "deeppink": "deep pink",
    "deepskyblue": "deep sky blue", "dimgray": "dim grey", "dimgrey": "dim grey", "dodgerblue": None,
    "firebrick": "firebrick red", "floralwhite": "floral white", "forestgreen": "forest green",
    "gainsboro": None, "ghostwhite": "ghost white", "gray": "grey", "greenyellow": "green yellow",
    "honeydew": None, "hotpink": "hot pink", "indianred": None, "lavenderblush": "lavender blush",
    "lawngreen": "lawn green", "lemonchiffon": "lemon chiffon", "lightblue": "light blue",
    "lightcoral": "light coral", "lightcyan": "light cyan", "lightgoldenrodyellow": "light goldenrod yellow",
    "lightgray": "light grey", "lightgreen": "light green", "lightgrey": "light grey",
    "lightpink": "light pink", "lightsalmon": "light salmon", "lightseagreen": "light sea green",
    "lightskyblue": "light sky blue", "lightslategray": "light slate grey", "lightslategrey": "light slate grey",
    "lightsteelblue": "light steel blue", "lightyellow": "light yellow", "limegreen": "lime green",
    "mediumaquamarine": "medium aquamarine", "mediumblue": None, "mediumorchid": "medium orchid",
    "mediumpurple": None, "mediumseagreen": "medium sea green", "mediumslateblue": "medium slate blue",
    "mediumspringgreen": "medium spring green", "mediumturquoise": "medium turquoise",
    "mediumvioletred": "medium violet red", "midnightblue": "midnight blue", "mintcream": "mint cream",
    "mistyrose": "misty rose", "moccasin": None, "navajowhite": None, "oldlace": "old lace",
    "olivedrab": "olive drab", "orangered": "orange red", "palegoldenrod": "pale goldenrod",
    "palegreen": "pale green", "paleturquoise": "pale turquoise", "palevioletred": "pale violet red",
    "papayawhip": None, "peachpuff": "peach puff", "peru": None, "powderblue": "powder blue",
    "rebeccapurple": None, "rosybrown": "rosy brown", "royalblue": "royal blue",
    "saddlebrown": "saddle brown", "sandybrown": "sandy brown", "seagreen": "sea green",
    "seashell": "seashell white", "skyblue": "sky blue", "slateblue": "slate blue", "slategray": "slate grey",
    "slategrey": "slate grey", "snow": "snow white", "springgreen": "spring green", "steelblue": "steel blue",
    "whitesmoke": "smoke white", "yellowgreen": "yellow green", "lime": "lime green",
}

# Colours that the tables lack but people say of animals and metals-free things.
EXTRA = ["silvery grey", "golden brown", "ginger", "jet black", "snow white", "pearl white", "rose gold",
         "bright white"]
# sRGB of the names outside both tables (common paint and fashion values), for colour distances
EXTRA_RGB = {"silvery grey": "#c0c0c8", "golden brown": "#996515", "ginger": "#b06500", "jet black": "#0a0a0a",
             "snow white": "#fffafa", "pearl white": "#f0ead6", "rose gold": "#b76e79", "bright white": "#ffffff"}

# Everyday names outside the basic-word grammar that still read well on any coloured thing.
COMMON_BASIC = {"sky blue", "forest green", "royal blue", "olive green", "emerald green", "lemon yellow",
                "golden yellow", "cherry red", "blood red", "crimson", "scarlet", "burgundy", "lavender", "lilac",
                "indigo", "coral", "peach", "salmon", "mint green", "beige", "khaki", "olive", "mustard yellow",
                "pale lavender", "ruby", "emerald", "grass green", "sea green", "ocean blue", "midnight blue",
                "powder blue", "baby blue", "baby pink", "rose pink", "burnt orange"}

NATURAL_HUES = {"black", "white", "grey", "brown", "tan", "beige", "cream", "golden", "chestnut", "auburn",
                "caramel", "chocolate", "cinnamon", "camel", "ivory", "charcoal", "russet", "taupe",
                "mahogany", "umber", "sienna", "ochre", "hazel", "ginger", "blonde", "mocha", "wheat",
                "eggshell"}
NATURAL_MODIFIERS = {"dark", "light", "pale", "deep", "warm", "cool", "soft", "very", "reddish", "greyish",
                     "brownish", "yellowish", "golden", "sandy", "off", "jet", "snow", "pearl", "silvery",
                     "chocolate", "milk", "rust", "rusty", "saddle", "rosy", "dim", "antique", "platinum",
                     "red", "grey", "orangish", "orangey", "pinkish", "dusty", "muted", "faded", "medium",
                     "mid", "charcoal", "dark brown"}
BASIC_HUES = {"red", "orange", "yellow", "green", "blue", "purple", "pink", "violet", "brown", "black",
              "white", "grey", "cyan", "magenta", "teal", "turquoise", "navy", "maroon", "lime", "gold"}
BASIC_MODIFIERS = {"light", "dark", "pale", "bright", "deep", "pastel", "dull", "vivid", "very", "soft",
                   "muted", "faded", "dusty", "rich", "strong", "warm", "cool", "mid", "medium", "lightish",
                   "darkish", "reddish", "bluish", "greenish", "greyish", "pinkish", "purplish", "yellowish",
                   "brownish", "orangish", "neon", "hot", "electric", "fluorescent", "clear", "true",
                   "dusky", "vibrant", "sunny", "deep", "navy"}

ALL_COLOURED = ["animal", "plant", "food", "artifact", "natural_object", "body_part", "substance", "place"]
# Places and food only take the hues they have in nature (below): no "clear blue front yard",
# no "deep blue egg roll"; lakes and seas take any basic hue.
BASIC_SCOPE = ["bird", "fish", "reptile", "amphibian", "insect", "invertebrate", "flower", "baked_good", "drink",
               "artifact", "natural_object", "substance", "body_of_water"]
#: basic hues that food has ("purple cabbage", "pink grapefruit"), besides the foliage hues
FOOD_HUES = {"purple", "pink", "brown"}
# Leaves and trees: greens, and the reds, oranges and yellows of autumn ("a red maple").
FOLIAGE_HUES = {"green", "yellow", "red", "orange", "olive"}
# No animals: "jade chicken hawk", "chartreuse roundworm" read as nonsense (review of issue 2).
FANCY_SCOPE = ["flower", "baked_good", "drink", "artifact"]
#: modifiers that make a basic hue a synthetic colour ("neon green", "hot pink"): fancy tier
SYNTHETIC_MODIFIERS = {"neon", "electric", "fluorescent", "hot", "baby"}


def candidate_names() -> list[str]:
    from matplotlib import _color_data

    names = {k.removeprefix("xkcd:") for k in _color_data.XKCD_COLORS}
    for css in _color_data.CSS4_COLORS:
        names.add(CSS_NAMES.get(css, css) or "")
    names.update(EXTRA)
    names.discard("")
    return sorted(names)


def rgb_of(name: str) -> str:
    """The name's sRGB as "#rrggbb": CSS4 (the web standard) first, then the XKCD survey, then EXTRA_RGB.

    The taxonomy carries these so that question foils keep a perceptual distance from a true colour."""
    from matplotlib import _color_data

    for css, hexa in sorted(_color_data.CSS4_COLORS.items()):
        if CSS_NAMES.get(css, css) == name:
            return hexa.lower()
    hexa = _color_data.XKCD_COLORS.get("xkcd:" + name)
    if hexa is None:
        hexa = EXTRA_RGB[name]
    return hexa.lower()


def keep(name: str) -> bool:
    words = name.replace("/", " / ").replace("'", "").split()
    if "/" in words or name in DROP or name in MATERIAL_NAMES:
        return False
    if any(w in DENY_WORDS for w in words):
        return False
    if any(w.endswith("y") and w[:-1] in {"blue", "green", "brown", "purple", "orange", "yellow", "redd",
                                          "pink", "purpl", "purple"} for w in words):
        return False  # informal "bluey green", "purpley pink"
    if any(w in {"bluegreen", "bluegrey", "darkblue", "darkgreen", "lightblue", "lightgreen", "greenblue",
                 "greyblue", "yellowgreen", "orangered"} for w in words):
        return False
    if len(words) == 1:
        return name in SINGLE_WORD_COLOURS
    # survey and CSS phrasings nobody says of an object: "very light pink", "light grey green",
    # "medium spring green"
    if words[0] in ("very", "medium"):
        return False
    if len(words) == 3 and words[1] in BASIC_HUES | {"bluish", "greenish", "yellowish"} and words[2] in BASIC_HUES:
        return False
    return True


def tier(name: str) -> str:
    words = name.split()
    if words[-1] in NATURAL_HUES and all(w in NATURAL_MODIFIERS or w in NATURAL_HUES for w in words[:-1]):
        return "natural"
    if name in COMMON_BASIC:
        return "basic"
    if words[0] in SYNTHETIC_MODIFIERS:
        return "fancy"  # "neon green", "hot pink": dyes and paint, not an animal's colour
    if all(w in BASIC_HUES or w in BASIC_MODIFIERS for w in words) and words[-1] in BASIC_HUES:
        return "basic"
    return "fancy"


def main() -> None:
    names = [n for n in candidate_names() if keep(n)]
    lines = []
    counts = {"natural": 0, "basic": 0, "fancy": 0}
    for n in names:
        t = tier(n)
        counts[t] += 1
        if t == "natural":
            lines.append(f"    {{ id = {toml_str(snake(n))}, name = {toml_str(n)}, rgb = {toml_str(rgb_of(n))} }},")
        else:
            tag = "BASIC" if t == "basic" else "FANCY"
            scope = BASIC_SCOPE if t == "basic" else FANCY_SCOPE
            if t == "basic" and n.split()[-1] in FOLIAGE_HUES:
                scope = scope + ["plant", "landform", "food"]
            elif t == "basic" and n.split()[-1] in FOOD_HUES:
                scope = scope + ["food"]
            cats = ", ".join(toml_str(c) for c in scope)
            lines.append(f"    {{ id = {toml_str(snake(n))}, name = {toml_str(n)}, rgb = {toml_str(rgb_of(n))}, "
                         f"applies_to = [{cats}] }},  # {tag.lower()}")
    header = [
        "[[attribute_types]]",
        'id = "colour"',
        'name = "colour"',
        'order = "colour"',
        "applies_to = [" + ", ".join(toml_str(c) for c in ALL_COLOURED) + "]",
        'question = "What colour is {object}?"',
        "exclusive = true  # one colour: another colour of the object is a determined \"no\"",
        f"# {len(names)} colours: {counts['natural']} natural, {counts['basic']} basic, {counts['fancy']} fancy",
        "values = [",
    ]
    replace_region(HERE / "attributes.toml", "colours (make_colours.py)", header + lines + ["]"])
    print(f"{len(names)} colours {counts}")


if __name__ == "__main__":
    main()
