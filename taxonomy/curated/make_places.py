"""Generate the location values of ``scene_attributes.toml`` from the Places365 category names.

Source: ``categories_places365.txt`` inside the ``tensorflow-datasets`` 4.9.10 wheel (Apache-2.0;
the category names come from MIT CSAIL's Places365, CC BY).  The wheel is read with ``zipfile``;
tensorflow-datasets is never imported (that would pull in TensorFlow)::

    pip download tensorflow-datasets==4.9.10 --no-deps -d /tmp/tfds
    python taxonomy/curated/make_places.py /tmp/tfds/tensorflow_datasets-4.9.10-py3-none-any.whl

Each value name is a whole locative phrase ("in a hockey arena", "on a beach", "at a gas
station"), because the type's caption phrase is "set {value}" and prepositions differ per place.
Cleaning: "arena/hockey" -> "hockey arena"; "x/indoor" and "x/outdoor" become "indoor x" and
"outdoor x" when both exist, else plain "x"; misspellings fixed; ``DROP`` removes labels that are
not a place a caption can be set in or that label people's homes pejoratively.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _generated import replace_region, snake, toml_str  # noqa: E402

HERE = Path(__file__).parent
MEMBER = "tensorflow_datasets/image_classification/categories_places365.txt"

DROP = {"slum", "elevator/door", "barndoor", "bow_window/indoor", "manufactured_home", "berth", "wet_bar"}

# Display name fixes (Places spelling -> English) and full-phrase overrides.
RENAME = {
    "archaelogical_excavation": "archaeological excavation", "kindergarden_classroom": "kindergarten classroom",
    "carrousel": "carousel", "childs_room": "child's room", "artists_loft": "artist's loft",
    "butchers_shop": "butcher's shop", "veterinarians_office": "veterinarian's office",
    "fastfood_restaurant": "fast food restaurant", "oilrig": "oil rig", "toyshop": "toy shop",
    "desert/sand": "sandy desert", "desert/vegetation": "scrub desert", "field/wild": "wildflower meadow",
    "lake/natural": "lake", "moat/water": "moat", "temple/asia": "Asian temple", "canal/natural": "river canal",
    "subway_station/platform": "subway platform", "train_station/platform": "train platform",
    "atrium/public": "public atrium", "mountain_snowy": "snowy mountain", "forest/broadleaf": "broadleaf forest",
    "field/cultivated": "cultivated field", "canal/urban": "city canal", "bakery/shop": "bakery",
    "florist_shop/indoor": "florist's shop", "pub/indoor": "pub", "library/outdoor": "library courtyard",
    "museum/outdoor": "open-air museum", "hotel/outdoor": "hotel", "inn/outdoor": "inn",
    "cabin/outdoor": "log cabin", "diner/outdoor": "diner", "nursery": "nursery room", "reception": "reception area",
    "galley": "ship's galley", "lock_chamber": "canal lock", "auto_showroom": "car showroom",
    "auto_factory": "car factory", "jacuzzi/indoor": "hot tub room", "raceway": "race track",
    "racecourse": "horse racecourse", "home_theater": "home cinema", "movie_theater/indoor": "cinema",
    "swimming_hole": "swimming hole", "ice_floe": "ice floe", "oast_house": "oast house",
    "tree_farm": "tree nursery", "natural_history_museum": "natural history museum",
    "shopfront": "shop front", "building_facade": "building facade", "bedchamber": "royal bedchamber",
}
# Whole phrases where "in a <name>" is wrong.
PHRASE = {
    "sky": "in the sky", "ocean": "on the open ocean", "underwater/ocean_deep": "deep underwater in the ocean",
    "wave": "on a breaking wave", "downtown": "in a downtown street", "desert_road": "on a desert road",
    "beach": "on a beach", "coast": "on a rocky coast", "glacier": "on a glacier", "iceberg": "on an iceberg",
    "ice_shelf": "on an ice shelf", "ice_floe": "on an ice floe", "islet": "on a small islet", "mountain": "on a mountain",
    "mountain_snowy": "on a snowy mountain", "mountain_path": "on a mountain path", "ski_slope": "on a ski slope",
    "tundra": "on the tundra", "snowfield": "on a snowfield", "volcano": "on a volcano", "butte": "by a butte",
    "cliff": "on a cliff", "pier": "on a pier", "boardwalk": "on a boardwalk", "boat_deck": "on a boat deck",
    "landing_deck": "on a landing deck", "raft": "on a raft", "rope_bridge": "on a rope bridge", "bridge": "on a bridge",
    "runway": "on an airport runway", "highway": "on a highway", "street": "on a city street",
    "crosswalk": "at a crosswalk", "driveway": "on a driveway", "railroad_track": "on a railroad track",
    "field_road": "on a field road", "forest_road": "on a forest road", "forest_path": "on a forest path",
    "promenade": "on a promenade", "porch": "on a porch", "patio": "on a patio", "balcony/exterior": "on a balcony",
    "balcony/interior": "on an indoor balcony", "roof_garden": "in a roof garden", "fire_escape": "on a fire escape",
    "staircase": "on a staircase", "escalator/indoor": "on an escalator", "stage/indoor": "on an indoor stage",
    "stage/outdoor": "on an outdoor stage", "oilrig": "on an oil rig", "lawn": "on a lawn", "wind_farm": "at a wind farm",
    "waterfall": "by a waterfall", "river": "by a river", "creek": "by a creek", "lake/natural": "by a lake",
    "pond": "by a pond", "fishpond": "by a fishpond", "hot_spring": "at a hot spring", "watering_hole": "at a watering hole",
    "lighthouse": "by a lighthouse", "fountain": "by a fountain", "windmill": "by a windmill",
    "water_tower": "by a water tower", "tower": "by a tower", "building_facade": "in front of a building facade",
    "shopfront": "in front of a shop front", "house": "in front of a house", "doorway/outdoor": "in a doorway",
    "phone_booth": "in a phone booth", "ticket_booth": "at a ticket booth", "gas_station": "at a gas station",
    "bus_station/indoor": "at a bus station", "subway_station/platform": "on a subway platform",
    "train_station/platform": "on a train platform", "airport_terminal": "in an airport terminal",
    "airfield": "at an airfield", "heliport": "at a heliport", "harbor": "in a harbor", "loading_dock": "at a loading dock",
    "construction_site": "at a construction site", "campsite": "at a campsite", "picnic_area": "at a picnic area",
    "campus": "on a university campus", "farm": "on a farm", "golf_course": "on a golf course",
    "baseball_field": "on a baseball field", "football_field": "on a football field", "soccer_field": "on a soccer field",
    "athletic_field/outdoor": "on an athletic field", "volleyball_court/outdoor": "on an outdoor volleyball court",
    "basketball_court/indoor": "on an indoor basketball court", "ice_skating_rink/indoor": "at an indoor ice rink",
    "ice_skating_rink/outdoor": "at an outdoor ice rink", "ski_resort": "at a ski resort", "water_park": "at a water park",
    "amusement_park": "at an amusement park", "racecourse": "at a horse racecourse", "raceway": "at a race track",
    "excavation": "at an excavation site", "archaelogical_excavation": "at an archaeological dig",
    "ruin": "among ruins", "rock_arch": "under a rock arch", "arch": "under a stone arch", "viaduct": "by a viaduct",
    "aqueduct": "by an aqueduct", "dam": "by a dam", "trench": "in a trench", "sandbox": "in a sandbox",
    "ball_pit": "in a ball pit", "shower": "in a shower", "wave_pool": "in a wave pool", "sauna": "in a sauna",
    "embassy": "outside an embassy", "courthouse": "outside a courthouse", "mosque/outdoor": "outside a mosque",
    "synagogue/outdoor": "outside a synagogue", "church/outdoor": "outside a church", "church/indoor": "inside a church",
    "apartment_building/outdoor": "outside an apartment building", "office_building": "outside an office building",
    "skyscraper": "by a skyscraper", "hospital": "outside a hospital", "fire_station": "at a fire station",
    "mansion": "at a mansion", "palace": "at a palace", "castle": "at a castle", "chalet": "at a chalet",
    "cottage": "at a cottage", "igloo": "by an igloo", "kasbah": "in a kasbah", "pagoda": "by a pagoda",
    "temple/asia": "at an Asian temple", "mausoleum": "at a mausoleum", "beach_house": "at a beach house",
    "boathouse": "at a boathouse", "tree_house": "in a tree house", "gazebo/exterior": "by a gazebo",
    "pavilion": "in a pavilion", "motel": "at a motel", "youth_hostel": "in a youth hostel",
    "hunting_lodge/outdoor": "at a hunting lodge", "kennel/outdoor": "at a kennel", "industrial_area": "in an industrial area",
    "residential_neighborhood": "in a residential neighborhood", "village": "in a village", "medina": "in a medina",
    "plaza": "in a town plaza", "badlands": "in the badlands", "office_cubicles": "among office cubicles",
    "army_base": "on an army base", "assembly_line": "on an assembly line", "bus_interior": "inside a bus",
    "car_interior": "inside a car", "train_interior": "inside a train", "japanese_garden": "in a Japanese garden",
    "restaurant_patio": "on a restaurant patio", "jacuzzi/indoor": "in a hot tub", "mezzanine": "on a mezzanine",
    "moat/water": "in a castle moat", "general_store/indoor": "inside a general store",
    "general_store/outdoor": "outside a general store", "hangar/indoor": "inside a hangar",
    "hangar/outdoor": "outside a hangar", "garage/indoor": "inside a garage", "garage/outdoor": "outside a garage",
    "greenhouse/indoor": "inside a greenhouse", "greenhouse/outdoor": "outside a greenhouse",
    "parking_garage/indoor": "in a parking garage", "parking_garage/outdoor": "on a rooftop parking deck",
    "museum/indoor": "inside a museum", "museum/outdoor": "in an open-air museum", "library/indoor": "in a library",
    "booth/indoor": "in a restaurant booth",
}


def places(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as z:
        text = z.read(MEMBER).decode("utf-8")
    # one label per line: "arena/hockey"
    return [line.strip() for line in text.splitlines() if line.strip()]


def phrase(label: str, labels: set[str]) -> str:
    if label in PHRASE:
        return PHRASE[label]
    if label in RENAME:
        name = RENAME[label]
    elif "/" in label:
        base, sub = label.split("/", 1)
        base = base.replace("_", " ")
        if sub in ("indoor", "outdoor", "interior", "exterior"):
            twin = {"indoor": "outdoor", "outdoor": "indoor", "interior": "exterior", "exterior": "interior"}[sub]
            name = f"{sub} {base}" if f"{label.split('/')[0]}/{twin}" in labels else base
        else:
            name = f"{sub.replace('_', ' ')} {base}"
    else:
        name = label.replace("_", " ")
    article = "an" if name[0].lower() in "aeiou" and not name.startswith(("uni", "eu", "util", "use")) else "a"
    return f"in {article} {name}"


def main(wheel: Path) -> None:
    labels = places(wheel)
    have = set(labels)
    out, seen = [], set()
    for label in labels:
        if label in DROP:
            continue
        name = phrase(label, have)
        vid = snake(name.split(" ", 2)[2] if name.split(" ")[1] in ("a", "an", "the") else name)
        if vid in seen:
            vid = snake(name)
        assert vid not in seen, (label, vid)
        seen.add(vid)
        out.append(f"    {{ id = {toml_str(vid)}, name = {toml_str(name)} }},  # {label}")
    lines = [
        "[[scene_attribute_types]]",
        'id = "location"',
        'name = "location"',
        'modalities = ["image", "video", "3d"]',
        'group = "place"',
        'phrase = "set {value}"',
        'question = "Is this scene set {value}?"',
        f"# {len(out)} Places365 scene categories (of {len(labels)})",
        "values = [",
        *out,
        "]",
    ]
    replace_region(HERE / "scene_attributes.toml", "locations (make_places.py)", lines)
    print(f"{len(out)} locations")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/tfds/tensorflow_datasets-4.9.10-py3-none-any.whl"))
