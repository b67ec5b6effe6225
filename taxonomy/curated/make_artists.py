"""Generate the artist values of ``scene_attributes.toml`` from WordNet 3.0.

Source: the WordNet 3.0 noun database (``/usr/share/wordnet`` from Debian ``wordnet-base``;
WordNet 3.0 licence, see SOURCES.md), read with the project's own WNDB reader
(``taxonomy/wordnet.py``).  The artists are the *instances* (proper names) under the visual-art
classes in ``ROOTS`` (painter, sculptor, illustrator, printmaker, photographer, cartoonist,
engraver), so composers and conductors (also under artist.n.01) stay out.

``EXTRA`` adds hand-picked historical artists that WordNet lacks; ``DROP`` removes people not known
for a visual style.  Only historical artists are kept: the gloss must carry a death year ("French painter (1840-1926)");
living artists (gloss "(born 1937)") are left out.  The display name is the first multi-word lemma
("Claude Monet"), falling back to the single lemma ("Titian").

    python taxonomy/curated/make_artists.py [/usr/share/wordnet]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from _generated import replace_region, snake, toml_str  # noqa: E402
from wordnet import WordNet  # noqa: E402  (taxonomy/wordnet.py)

ROOTS = ("painter.n.01", "sculptor.n.01", "illustrator.n.01", "printmaker.n.01", "photographer.n.01",
         "cartoonist.n.01", "engraver.n.01")
DIED = re.compile(r"\(\s*(?:c\.\s*)?\d{3,4}\s*-\s*(?:c\.\s*)?(\d{3,4})\s*\)")
# WordNet's first multi-word lemma -> the name a person would write (misspellings fixed too).
NAME_FIX = {
    "Amedeo Modigliano": "Amedeo Modigliani", "Georgia Okeeffe": "Georgia O'Keeffe", "Jaun Gris": "Juan Gris",
    "Goya y Lucientes": "Francisco Goya", "de Kooning": "Willem de Kooning", "van Gogh": "Vincent van Gogh",
    "Van Dyck": "Anthony van Dyck", "van Eyck": "Jan van Eyck", "La Tour": "Georges de La Tour",
    "du Maurier": "George du Maurier", "Diego Rodriguez de Silva y Velazquez": "Diego Velazquez",
    "Michelangelo Buonarroti": "Michelangelo", "Michelangelo Merisi da Caravaggio": "Caravaggio",
    "Raffaello Santi": "Raphael", "Tiziano Vecellio": "Titian", "Jacopo Robusti": "Tintoretto",
    "Donato di Betto Bardi": "Donatello", "Antonio Allegri da Correggio": "Correggio", "Giotto di Bondone": "Giotto",
    "Rembrandt van Rijn": "Rembrandt", "Giovanni Lorenzo Bernini": "Gian Lorenzo Bernini",
    "Fox Talbot": "William Henry Fox Talbot", "Joseph Mallord William Turner": "J. M. W. Turner",
    "James Abbott McNeill Whistler": "James McNeill Whistler", "Pierre Auguste Renoir": "Pierre-Auguste Renoir",
    "Jan Vermeer": "Johannes Vermeer", "Pieter Brueghel": "Pieter Bruegel", "Edward Jean Steichen": "Edward Steichen",
    "Henri Toulouse-Lautrec": "Henri de Toulouse-Lautrec", "Jean Baptiste Camille Corot": "Camille Corot",
    "Jean Auguste Dominique Ingres": "Jean-Auguste-Dominique Ingres", "Jacques Louis David": "Jacques-Louis David",
    "Jean Antoine Watteau": "Antoine Watteau", "Jean Honore Fragonard": "Jean-Honore Fragonard",
    "Jean Francois Millet": "Jean-Francois Millet", "Mathew B. Brady": "Mathew Brady",
    "C. D. Gibson": "Charles Dana Gibson", "David Siqueiros": "David Alfaro Siqueiros",
    "Jose Orozco": "Jose Clemente Orozco", "John Copley": "John Singleton Copley",
}
# Not known for a visual style (an inventor of lithography, the telegraph's inventor, an architect).
DROP = {"Alois Senefelder", "Samuel Morse", "Leon Battista Alberti"}
# Historical artists WordNet 3.0 lacks (hand-picked, all deceased; names only, no data copied).
EXTRA = [
    "Utagawa Hiroshige", "Kitagawa Utamaro", "Utagawa Kuniyoshi", "Frida Kahlo", "Egon Schiele", "Edward Hopper",
    "Alphonse Mucha", "Caspar David Friedrich", "Ivan Aivazovsky", "Ilya Repin", "Mary Cassatt", "Berthe Morisot",
    "Camille Pissarro", "Alfred Sisley", "Artemisia Gentileschi", "Jean-Michel Basquiat", "Keith Haring",
    "Tamara de Lempicka", "Aubrey Beardsley", "Arthur Rackham", "Gustave Dore", "John William Waterhouse",
    "Dante Gabriel Rossetti", "John Everett Millais", "William Morris", "Odilon Redon", "Pierre Bonnard", "Franz Marc",
    "August Macke", "Hilma af Klint", "Sonia Delaunay", "Robert Delaunay", "Umberto Boccioni", "M. C. Escher",
    "Ansel Adams", "Henri Cartier-Bresson", "Vivian Maier", "Diane Arbus", "Man Ray", "Robert Capa",
    "Eadweard Muybridge", "Julia Margaret Cameron", "Andrew Wyeth", "N. C. Wyeth", "J. C. Leyendecker",
    "Beatrix Potter", "Winsor McCay", "Tove Jansson", "Herge", "Osamu Tezuka", "Zdzislaw Beksinski", "Ivan Bilibin",
    "Nicholas Roerich", "Albert Bierstadt", "Thomas Cole", "Frederic Edwin Church", "Ohara Koson", "Kawase Hasui",
    "Katsushika Oi", "Emily Carr", "Tom Thomson", "Lawrence Alma-Tadema", "Edmund Dulac",
    "Kay Nielsen", "Ernst Haeckel", "John James Audubon", "Maria Sibylla Merian", "Francis Bacon", "Lucian Freud",
    "Amrita Sher-Gil", "Raja Ravi Varma", "Qi Baishi", "Xu Beihong", "Jean Giraud", "Bob Ross",
]
# Artists whose every known picture is monochrome: black-and-white photographers, pen-and-ink and engraved
# illustration, black-and-white cartoons and prints, black-and-white abstraction.  "In the style of Ansel Adams"
# shows no colour of the things it shows, so these hide colour as monochrome media do (scene_attributes.toml
# header, `hides`).  Artists who also worked in colour (Man Ray, Edward Steichen, Vivian Maier, Honore Daumier,
# Saul Steinberg) are left out.
MONOCHROME = {
    "Ansel Adams", "Dorothea Lange", "Henri Cartier-Bresson", "Diane Arbus", "Eadweard Muybridge", "Mathew Brady",
    "Julia Margaret Cameron", "William Henry Fox Talbot", "Edward Weston", "Alfred Stieglitz", "Robert Capa",
    "Aubrey Beardsley", "Gustave Dore", "Sir John Tenniel", "Thomas Nast", "George du Maurier",
    "Charles Dana Gibson", "Hablot Knight Browne", "M. C. Escher", "Franz Kline", "James Thurber", "Bill Mauldin",
    "David Low", "Shel Silverstein", "Rube Goldberg",
}
# Sculptors whose known works are unpainted stone, bronze or clay: "in the style of Auguste Rodin" shows a figure
# in one material, so they hide colour and the object's own material, as the sculpture media do ("a wooden chair"
# in the style of Rodin is bronze or marble).  Painters who also sculpted, and sculptors of colour (Calder's
# mobiles, Cellini's enamels, Nevelson's painted wood, Noguchi's lamps, David Smith's painted steel) are left out.
SCULPTORS = {
    "Alberto Giacometti", "Aristide Maillol", "Auguste Rodin", "Barbara Hepworth", "Constantin Brancusi",
    "Daniel Chester French", "Donatello", "Gaston Lachaise", "Gian Lorenzo Bernini", "Henry Moore", "Jacob Epstein",
    "Jacques Lipchitz", "Lorado Taft", "Malvina Hoffman", "Thomas Crawford",
}
# Painters of landscapes alone (mountains, valleys, rivers, seas seen from afar): "in the style of Thomas Cole"
# shows the open land, so a scene of theirs keeps to the aerial setting, as the landscape genres do (a place, a
# tree, an animal, a person, a ship; no gas range, no wet suit, no cup), or is set in the open land, on a farm or by
# the water (scene_attributes.toml header, `keeps`; round 9).  Painters of landscapes and of people or towns (Monet, Pissarro,
# Millet, Emily Carr) are left out.
LANDSCAPE = {
    "Albert Bierstadt", "Frederic Edwin Church", "Thomas Cole", "John Constable", "Ivan Aivazovsky", "Alfred Sisley",
    "Nicholas Roerich", "J. M. W. Turner", "Caspar David Friedrich", "Camille Corot", "Bob Ross", "Tom Thomson",
    "Kawase Hasui",
}
#: the settings a landscape painter's scene keeps to: aerial without a place; a place out in the open land, on a
#: farm, by or on the water (not a room, a street or the sky)
KEEPS_LANDSCAPE = '"aerial outdoor wild shore water snow hot farm"'
#: what a monochrome value hides: colour and the words that name colours (the media's list)
HIDES_COLOUR = ('["colour", "pattern:multicoloured", "pattern:rainbow_striped", "pattern:tie_dyed", '
                '"pattern:colour_blocked", "pattern:two_tone", "opinion:colourful", "finish:iridescent", '
                '"finish:holographic"]')
#: what a sculptor's style hides: colour, the words that name colours, and the object's material
HIDES_SCULPTURE = HIDES_COLOUR.replace('["colour", ', '["colour", "material", ')


def display(lemmas: tuple[str, ...]) -> str:
    multi = [l for l in lemmas if "_" in l]
    name = (multi[0] if multi else lemmas[0]).replace("_", " ")
    return NAME_FIX.get(name, name)


def artists(wn: WordNet) -> list[tuple[str, str]]:
    classes: set[int] = set()
    for r in ROOTS:
        classes |= wn.descendants(wn.synset(r).offset)
    out = {}
    for ss in wn.synsets.values():
        if set(ss.instance_of) & classes and DIED.search(ss.gloss):
            name = display(ss.lemmas)
            out[name] = ss.gloss.split(";")[0].strip()
    for name in DROP:
        out.pop(name, None)
    for name in EXTRA:
        out.setdefault(name, "hand-picked (not in WordNet 3.0)")
    return sorted(out.items(), key=lambda kv: snake(kv[0]))


def main(root: Path) -> None:
    found = artists(WordNet.read(root))
    lines = [
        "[[scene_attribute_types]]",
        'id = "artist"',
        'name = "artist"',
        'modalities = ["image", "video", "3d"]',
        'group = "rendering"',
        'phrase = "in the style of {value}"',
        'question = "Is this in the style of {value}?"',
        'choice_question = "Which artist\'s style is this {medium} in?"',
        f"# {len(found)} historical visual artists: WordNet 3.0 instances of {', '.join(ROOTS)}",
        "values = [",
    ]
    seen = set()
    for name, gloss in found:
        vid = snake(name)
        assert vid not in seen, vid
        seen.add(vid)
        hides = (f", hides = {HIDES_COLOUR}" if name in MONOCHROME
                 else f", hides = {HIDES_SCULPTURE}" if name in SCULPTORS
                 else f", keeps = {KEEPS_LANDSCAPE}" if name in LANDSCAPE else "")
        lines.append(f"    {{ id = {toml_str(vid)}, name = {toml_str(name)}{hides} }},  # {gloss[:70]}")
    lines.append("]")
    assert MONOCHROME | SCULPTORS | LANDSCAPE <= {name for name, _ in found}, \
        (MONOCHROME | SCULPTORS | LANDSCAPE) - {n for n, _ in found}
    replace_region(HERE / "scene_attributes.toml", "artists (make_artists.py)", lines)
    print(f"{len(found)} artists")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/wordnet"))
