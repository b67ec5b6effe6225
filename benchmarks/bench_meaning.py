"""Rates of the concept and question audits' defects over rows of `gas sample`.

Reads JSONL rows (as written by ``gas sample -o FILE``) and reports the share of rows with each defect.
The concept audit's checks, judged by fixed hand lists:

* ``kin``: a person named by a relational noun (brother, little sister, wife, guest ...);
* ``invisible_role``: any other person not in ``taxonomy/sources/visible_persons.tsv`` (a professor, a
  secretary: nothing in a picture of one person shows the word);
* ``sense``: a name read in another sense ("dolphin" printed for the dolphinfish, "derby" for the bowler
  hat, "pants" for women's underpants, "man-of-war" for the warship ...), by (printed name, category);
* ``role_noun``: an object, foil or distractor named by a role or use, not a look (pet, livestock, dessert);
* ``synonym_pair``: two concepts of the scene that name one thing (binoculars and field glass ...);
* ``picture_foil``: an existence foil or multiple-choice distractor that is a picture or a sculpture
  (painting, photo, statue ...);
* ``drink_foil``: a drink offered as a foil or distractor in a scene that holds a drink;
* ``generic_foil``: a foil or distractor of a category whose generic concept the scene holds ("Is there a
  bus?" beside "a vehicle"), or the generic offered beside a concept of its category ("Is there a weapon?"
  beside a grenade), judged by the taxonomy's categories; also any plant beside a potted plant (round 4:
  any plant may be the one in the pot; ``STANDS_FOR``).

The question audit's checks, judged by the taxonomy's data (is-a, relation kinds, scene-attribute
``exclusive``/``overlap``), each a question whose answer the scene does not fix:

* ``isa_the``: a question names an object "the X" (or counts the Xs) while another object of the scene is a
  kind of X ("What colour is the watch?" beside a pocket watch, "Is the rodent ..." beside a squirrel, "the
  vehicle" beside a school bus: a concept named like its category stands for any concept of it);
* ``open_spatial``: an open question "What is the couch to the right of?" (accepting free-form answers) with a
  spatial or comparative predicate, while another object of the scene stands in no stated relation to the
  subject (any picture puts it left or right of the couch too);
* ``scene_overlap``: a scene-attribute foil or distractor that may be true together with the scene's value:
  a type whose values co-occur (moods, compositions, camera views, lighting, weather ...), values of one
  ``overlap`` group ("at first light" beside "at dawn"), or one name inside the other ("in a kitchen" beside
  "in a restaurant kitchen");
* ``side_distance``: a relation foil or distractor about distance ("Is the bouquet far from the tequila?")
  where the pair's edges state only a side (to the left of, to the right of), which says nothing of the
  distance;
* ``part_foil``: an existence foil or distractor that is a part of an object of the scene, or has one as a
  part (taxonomy ``object_parts``: "Is there a wheel?" beside an estate car, "window" beside a car door), or is
  called by the name or a synonym of such a part ("receiver" beside a dial telephone);
* ``name_value``: an attribute foil or distractor that names a word of the object's name ("Is the orange
  orange?");
* ``open_attitude``: an open question with a feeling or a social act ("What is the squirrel afraid of?") while
  another object of the scene, not linked to the subject by an edge, is in the relation's domains (the squirrel
  may fear it too);
* ``location_foil``: an existence foil or distractor that the scene's location may show although the scene
  does not state it (fixtures: "Is there an oven?" set in a kitchen), judged by the fixed table
  ``LOCATION_FIXTURES`` below (printed names) and the kinds of each (the taxonomy's is-a);
* ``open_entailed`` (round 4): an open question whose predicate is an act or a posture that entails a spatial or
  comparative predicate ("What is the cougar standing next to?": next to; "What is the flamingo flying over?":
  above; "What is the puppy watching?": facing; not support or containment: riding, lying on), or a movement
  named by a direction ("What is the old man walking toward?", "walking past", "walking away from"), while another
  object of the scene, not linked to the subject by an edge and in the relation's domains, may stand so too (a
  zebra of the scene may be next to the cougar);
* ``caption_phrase`` (round 4): a scene-attribute phrase of a caption or a question that says a word twice or
  lacks its article ("rendered as a 3D render", "in the genre of genre painting", "in the genre of travel
  poster"), judged by the fixed pattern ``CAPTION_PHRASES`` below;
* ``material_is`` (round 4): a material named by a noun said as a quality after "is", in a caption or a
  question ("a rod that is yellow ochre and birch", "Is the rod birch?", "Is there a cup that is glass?":
  made of birch, made of glass), judged by the fixed list ``MATERIAL_NOUNS`` below;
* ``plural_verb`` (round 4): a plural-only noun (the taxonomy's countability "plural") with a singular verb in a
  question ("Is the regimentals open or closed?", "What texture does the jeans have?");
* ``pair_unit``: a plural-only thing of two joined parts counted in portions, in a caption or a question
  ("How many portions of sweat pants are there?": pairs).
* ``worn_foil`` (round 5): beside a person, an existence foil or distractor (or a choice of an open question)
  that the person may wear: a concept of a category the taxonomy's "wearing" relation lets the person's category
  wear ("Is there a boot?" beside a firefighter, "Is there a coat?" beside a lady, "What is the officer wearing?"
  with a cowboy hat among the choices), or a count or group foil of such a thing ("How many pairs of sweat pants
  are there?" beside a weaver); people are shown dressed and the scene does not say in what (``worn_foil``).
* ``option_overlap`` (round 5): a multiple-choice question two of whose options overlap, so that both may be true:
  predicates of which one entails the other ("on" and "on top of", "on the back of" and "on", "above" and "higher
  than"; the taxonomy's relation logic, closed), or scene-attribute values that may hold together ("in the
  morning" and "at mid-morning", "spring" and "early spring"; ``QuestionAudit.scene_open``).
* ``tail_order`` (round 5): a question that says the words of a predicate that go after its object before it ("Is
  the Jersey carrying in its mouth the hangbird?": carrying the hangbird in its mouth), judged by the fixed
  pattern ``TAIL_FIRST`` below.

Round 2 (objects and attributes, each judged by fixed lists written from the hand reading of 100 captions):

* ``part``: a body part or a fragment of a thing as a free-standing object ("a forehead", "a fist", "a
  haircut", "a sleeve", "a space bar", "a yolk");
* ``ambiguous``: a printed name whose everyday sense is another thing ("a cruiser", "a goal", "a third base",
  "a clip", "a toy dog", "a recorder");
* ``food_origin``: an origin on a food or drink ("Persian chili", "Japanese pizza");
* ``unnatural_colour``: a grey food ("a dim grey potato", "a light grey yolk"), a fancy hue on a fish, insect,
  spider or reptile ("a bright magenta shark"), a green vegetable of another colour ("lemon yellow broccoli"),
  a colour no brick, log or clay has, any colour on a clear drink ("a forest green martini"), a grey or brown
  flower;
* ``size_shape``: a size or shape the kind does not take ("a deep wallet", "a towering picture frame", "a
  star-shaped dining table", "a dome-shaped handbag");
* ``contradiction``: two attributes of one object that contradict each other across types ("colourful" or
  "multicoloured" beside one colour, transparent and wooden, rusty and plastic, brand-new and tattered) or the
  kind ("an old mantis", "a rusty ball", "a carved flag").  The solver has no cross-type rule, so only the
  combinations with the kind itself are excluded (by domains); the rest is counted here.

Round 4 (attribute wording and plausibility, judged by fixed lists written from the hand reading of 150 captions of
``gas sample -n 150 --seed 31``):

* ``colour_word``: a colour name that reads as a thing or as another attribute ("milk chocolate", "old lace",
  "antique white", "rusty red", "mint cream"), or, on a food or drink, a colour name with a word that names a food
  or flavour ("a rust brown cookie", "a peach cake", "lemon yellow bread": read as an ingredient);
* ``own_colour``: a colour beside a material whose look is its colour: a metal that shows its own ("a green teal
  silver window box") or a named wood, cane or cork with a hue no wood has ("a pale aqua oak cabinet");
* ``fixed_colour``: a colour on a kind that has its own ("a light tan panda", "a yellow orange snowman", "a
  pumpkin orange church bell") or outside the kind's hues ("a light blue fire engine", "a powder pink school
  bus", "a midnight blue sunflower", "a mossy green lotus", "a blood red nest", "rosy brown tofu", "pale green
  espresso", "brown champagne", "maroon honey", "orange juice that is warm brown"), a "burnt" colour on a living plant;
* ``kind_texture``: a texture, finish, surface or state the kind does not take ("a honeycombed acorn", "a fluffy
  wet suit", "a sequined wet suit", "a woolly life jacket", "a moss-covered banner", "a thorny log", "a knobbly
  passenger ship", "a knobbly T-shirt", "a wrinkled entertainment center", "a pleated china cabinet", "an open marriage bed", "a flaky
  lollipop", "a quartered pea");
* ``see_through``: a see-through finish on furniture other than a table or a chair ("a transparent wardrobe"), on
  a device, tool or piece of sports gear ("translucent binoculars"; a lamp may be), or a translucent spider;
* ``faith_origin``: an origin on an object of a faith ("an Indian crucifix", "a Tibetan altar");
* ``fullness``: a knife or a fork said to be full or empty ("a full steak knife").

Round 5 (scene content, judged by fixed lists written from the hand reading of ``gas sample -n 1000 --seed 41``;
``scene_content_defects``, keyed by value id so rows of any tree are judged alike):

* ``needs_content``: a scene attribute that presupposes content the scene lacks ("portraiture" without a person,
  "animal painting" without an animal, "food photography" without food, "a two-shot" without two people) or holds
  what it rules out ("still life" with a person or an animal; "macro photography" of a thing bigger than small);
* ``wrong_place``: a scene attribute that names a kind of place against the scene's location or objects (a
  seascape, a landscape, an aerial view or a low horizon set in a room or beside furniture; an interior painting
  set outdoors; "underwater photography" without water);
* ``two_materials``: a 3D render material that names a substance beside an object's own material ("a leather
  sock with porcelain materials");
* ``farm_place``: livestock, poultry or a farm machine set in a room, a workshop, a street or a park ("a turkey
  outside an office building", "a combine in a kitchen").

Relation plausibility round 4 (actions and poses by the kinds at both ends, judged by fixed lists written from the
hand reading of 346 relation bindings of ``gas sample -n 1200 --seed 707``; ``relation_defects``):

* ``pair_kind``: an act whose object does not fit its subject's kind, though each end fits the relation alone:
  an animal feeding, comforting, helping or looking after a person ("a pony feeding a boy", "a rabbit comforting
  a person"), a bird singing to anything but a bird, an animal watching a screen, an animal touching, clutching
  or angry at a tool, weapon, device or vehicle, a fish biting a thing, a person scratching a thing, a vehicle
  following an animal ("a motorcycle following poultry"), a bird chasing a vehicle or a toy (``PAIR_KIND``);
* ``pose_action``: a subject whose pose contradicts its own act: at rest or standing (sitting, reclining, asleep,
  kneeling, perched ...) and moving across the scene ("a reclining wolf chases a trolley", "a sitting man runs toward a
  bowl"), or in motion (walking, running, swimming, flying, diving ...) and sitting, lying, standing or perched,
  or at handwork ("a diving soccer player painting a wine bucket") (``STILL_POSES``, ``MOVING_POSES``).

Round 5 (attribute plausibility: size words against the thing's size class; a hand reading of 150 captions of
``gas sample -n 150 --seed 41``), in :func:`round_five_defects`: ``size_word``, ``kind_surface``, ``kind_colour``.

Nouns and their modifiers (``noun_defects``; fixed lists written from the hand reading of ``gas sample -n 150
--seed 2607`` and the attribute tallies of ``-n 1000 --seed 0 / 5 / 6``):

* ``plural_singular``: a thing people name only in the plural, printed as a singular count noun ("a headphone",
  "an earmuff", "a pajama", "a legging", "a clipper", "How many headphones ..." beside two of them);
* ``mass_count``: a vegetable eaten as a mass said as one ("an asparagus", "Is there a celery?"), or a small fish
  eaten as food said in the singular ("some anchovy");
* ``piece_unit``: a mass noun of made things counted in portions ("two portions of china", "the first portion of
  china", "How many portions of baggage are there?": pieces);
* ``pair_some``: one thing of two joined parts introduced with "some" in a caption ("some red scissors", "some
  headphones"): people say "a pair of";
* ``genre_content``: a caption or question that puts the picture "in the genre of" a genre named by its content
  (religious, history, mythological or allegorical painting, genre painting, caricature, political cartoon,
  wedding or war photography) when the scene holds no person (nor, for religious painting, a thing of a faith;
  for war photography, a weapon or a military vehicle): "a religious painting of a mailbox and a softball";
* ``fit_texture``, ``fit_pattern``, ``fit_colour``, ``fit_flavour``: a modifier the noun cannot take, by attribute
  domain: hair words on a whole animal ("a wavy mare", "a curly white wolf"), skin words on a furred or feathered
  animal ("a smooth coyote", "a rough colt"); bands on a mammal or a bird ("a banded goat"); party and pastel hues
  on a weapon ("neon purple ammunition", "a bright turquoise missile"); a flavour on a wine or a water
  ("chocolate champagne", "chocolate ice water").
Acts and kinds round 3 (``acts_and_kinds_defects``): ``kind_act`` (whales walking, birds sitting as people, fish
crossing), ``pose_carry`` (a lying, sitting or kneeling subject carrying), ``pose_object`` (an object whose pose
contradicts the act done to it), ``season_place`` (snow at a desert, summer heat on a glacier, a sunlit thing at
night).

Colour round (``colour_defects``): ``colour_comparison`` (a colour comparison its ends' stated colours decide),
``colourless_colour`` (a colour word under a medium, tone or film that shows no colour of its own).

Hiding round two (``hidden_surface_defects``): ``shown_colour``, ``shown_material``, ``shown_surface`` (a colour,
material, pattern or texture word under a style, light, medium, 3D pass or camera that hides it).

Split phrases (``split_phrase_defects``): ``split_order``, a caption or question that says the words of a phrase
English says around its object before the object ("a woman leads by the hand a soldier", "Is the nurse pushing in a
wheelchair the man?": leads a soldier by the hand, pushing the man in a wheelchair), judged by the fixed list
``SPLIT_PHRASES`` below (verb forms, then the words after the object); the line "split edges" counts the rows
with such a predicate at all (``split_edge``: not a defect, the rows the check can judge).

The lists are the audit's findings written out, so the same script judges rows of an older tree too:

    gas sample -n 1000 --seed 0 -o new.jsonl
    python benchmarks/bench_meaning.py new.jsonl [old.jsonl ...]
"""

from __future__ import annotations

import argparse
import functools
import json
import re
from pathlib import Path

from gas_solver.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parents[1]
KIN = {"aunt", "brother", "cousin", "daughter", "granddaughter", "grandfather", "grandmother", "grandson", "guest",
       "little sister", "little brother", "nephew", "niece", "sister", "son", "uncle", "wife", "husband", "mother",
       "father", "parent", "grandchild", "twin"}
SENSE = {("dolphin", "fish"), ("derby", "clothing"), ("man-of-war", "vehicle"), ("second base", "sports_equipment"),
         ("bird shot", "weapon"), ("pick", "device"), ("pants", "clothing"), ("boa", "clothing"),
         ("radio", "artifact")}
SYNONYMS = [{"binoculars", "field glass"}, {"refrigerator", "fridge"}, {"radio", "radio set"}, {"cow", "cattle"},
            {"ox", "cattle"}, {"plaque", "memorial tablet"}, {"pants", "trousers"}]
PICTURES = {"painting", "oil painting", "photo", "drawing", "picture", "portrait", "watercolor", "snapshot",
            "collage", "statue", "sculpture"}
ROLES = {"pet", "livestock", "domestic animal", "game bird", "decoration", "dessert"}
CHECKS = ("kin", "invisible_role", "sense", "role_noun", "synonym_pair", "picture_foil", "drink_foil",
          "generic_foil", "part", "ambiguous", "food_origin", "unnatural_colour", "size_shape", "contradiction",
          "colour_word", "own_colour", "fixed_colour", "kind_texture", "see_through", "faith_origin", "fullness",
          "size_word", "kind_surface", "kind_colour")
SCENE_CHECKS = ("needs_content", "wrong_place", "two_materials", "farm_place")
SETTING_CHECKS = ("span_overlap", "light_place", "outdoor_thing", "aerial_small")
QA_CHECKS = ("isa_the", "open_spatial", "scene_overlap", "side_distance", "part_foil", "name_value",
             "open_attitude", "pair_unit", "location_foil", "open_entailed", "caption_phrase", "material_is", "plural_verb",
             "worn_foil", "option_overlap", "tail_order", "role_gear", "noun_predicate",
             "material_foil", "style_phrase", "ware_piece", "person_count")
REL_CHECKS = ("pair_kind", "pose_action", "pose_posture", "gear_foil")
_ANIMAL = {"animal", "mammal", "mount", "bird", "fish", "reptile", "amphibian", "insect", "invertebrate"}
_THING = {"artifact", "tool", "weapon", "device", "screen", "machine", "appliance", "light", "instrument",
          "device_part", "vehicle", "container", "kitchenware", "furniture", "clothing", "accessory",
          "musical_instrument", "structure", "building", "artwork"}
#: (predicates, subject categories, object categories): acts whose object does not fit the subject's kind
PAIR_KIND = [
    ({"feeding", "comforting", "helping", "looking_after"}, _ANIMAL, {"person"}),
    ({"singing_to"}, {"bird"}, {"person", "mammal", "fish", "reptile", "amphibian", "insect", "invertebrate"}),
    ({"watching"}, _ANIMAL, {"screen"}),
    ({"touching", "clutching", "cradling", "angry_at"}, _ANIMAL,
     {"tool", "weapon", "device", "screen", "machine", "appliance", "instrument", "vehicle"}),
    ({"biting"}, {"fish", "reptile", "insect"}, _THING),
    ({"scratching"}, {"person"}, _THING | {"tree", "plant"}),
    ({"following"}, {"vehicle"}, _ANIMAL | {"person"}),
    ({"chasing"}, {"bird"}, {"vehicle", "toy", "sports_equipment"}),
]
STILL_POSES = {"sitting", "reclining", "sleeping", "resting", "kneeling", "crouching", "curled_up", "basking", "standing",
               "meditating", "sunbathing", "perched", "nesting"}
MOVING_POSES = {"walking", "running", "jumping", "galloping", "trotting", "prowling", "dancing", "diving", "swimming",
                "flying", "soaring", "hovering", "crawling", "slithering"}
#: acts of moving across the scene (no subject at rest does them) and acts of rest or handwork (none in motion)
MOVING_ACTS = re.compile(r"^(walking|running|crossing|climbing|sliding|jumping|diving|swimming|wading|entering|"
                         r"leaving|boarding|getting_out|following|chasing|racing|passing|bumping|flying|landing|"
                         r"swooping|buzzing|hovering|skiing|surfing|skating|sledding|skateboarding|cycling|hiking|"
                         r"abseiling|patrolling|herding|stalking|hunting|pouncing|kicking|dribbling|dancing|"
                         r"fleeing|playing_tag)")
STILL_ACTS = re.compile(r"^(sitting|standing|lying|sleeping|curled_up|kneeling|crouching|leaning|basking|perched|"
                        r"hiding_(?:behind|under|in)$|sheltering|nesting|queueing|lining_up|painting|drawing|sculpting|carving|writing|"
                        r"reading|typing|sewing|knitting|ironing|stirring|whisking|chopping|slicing|peeling|"
                        r"kneading|frosting|sanding|welding|sawing|drilling|hammering|repairing|assembling|playing$|"
                        r"tuning|applying_makeup|cutting_the_hair)")


def relation_defects(row: dict, up: dict, kind_of: dict | None = None) -> set[str]:
    """The relation plausibility checks a row fails (``up``: category id -> it and the ids above it; ``kind_of``:
    relation id -> kind, for ``pose_posture``)."""
    hit = set()
    objs = row["objects"]
    for e in row["relations"]:
        s, o, p = objs[e["subject"]], objs[e["object"]], e["predicate"]
        s_up, o_up = up.get(s["category"], {s["category"]}), up.get(o["category"], {o["category"]})
        if any(p in preds and s_up & subj and o_up & obj and not (o_up & {"body_part"})
               for preds, subj, obj in PAIR_KIND):
            hit.add("pair_kind")
        poses = {a["value"] for a in s["attributes"] if a["type"] == "pose"}
        if (poses & STILL_POSES and MOVING_ACTS.match(p)) or (poses & MOVING_POSES and STILL_ACTS.match(p)):
            hit.add("pose_action")
    if kind_of is not None and posture_defects(row, kind_of):
        hit.add("pose_posture")
    return hit


#: actions and poses round 2 (``posture_defects``): the posture a pose shows and the posture an act needs
POSE_POSTURE = {"reclining": "lie", "sleeping": "lie", "curled_up": "lie", "basking": "lie", "sunbathing": "lie",
                "sitting": "sit", "meditating": "sit", "kneeling": "kneel", "crouching": "kneel", "standing": "stand",
                "posing": "stand", "walking": "walk", "trotting": "walk", "prowling": "walk", "crawling": "walk",
                "slithering": "walk", "running": "run", "galloping": "run", "swimming": "swim", "diving": "swim",
                "flying": "fly", "soaring": "fly", "hovering": "fly"}
ACT_POSTURE = [("lie", re.compile(r"^(lying_|sleeping_(on|in)$|curled_up_on|basking_on)")),
               ("sit", re.compile(r"^(sitting_|riding$|driving$|steering$|kayaking_down|nesting_in)")),
               ("stand", re.compile(r"^(standing_|queueing_at|lining_up_behind)")),
               ("kneel", re.compile(r"^(kneeling_beside|crouching_behind)")),
               ("walk", re.compile(r"^(walking|hiking_up|patrolling)")),
               ("run", re.compile(r"^(running_|racing$|playing_tag_with|chasing$|fleeing_from)")),
               ("swim", re.compile(r"^(swimming_|diving_into)")),
               ("fly", re.compile(r"^(flying_|landing_on|swooping_down_on|buzzing_around|hovering_over)"))]
#: postures that exclude each other: each still posture every other posture but lying beside sitting ("a reclining
#: man sitting in a chair"), each gait every other one; a chase or a flight is a swimmer's or a flyer's own too
_STILL, _GAITS = ("lie", "sit", "kneel", "stand"), ("walk", "run", "swim", "fly")
POSTURE_CLASH = {(a, b) for a in _STILL + _GAITS for b in _STILL + _GAITS if a != b} - {("lie", "sit")}
#: what a sleeping subject still does: lie, sit, lean, hide, hold, wear (every other act, social act or feeling
#: needs it awake: "a sleeping chef giving flowers to a rider")
ASLEEP_OK = re.compile(r"^(lying_|sleeping_|curled_up_on|basking_on|rolling_in|sitting_|leaning_(on|against)$|"
                       r"cuddling_with|sheltering_under|nesting_in|floating_in|hiding_(in|under|behind)$|wearing$|"
                       r"holding$|clutching$|cradling$|hugging$|clinging_to|hanging_upside_down_from|nuzzling$|"
                       r"ignoring$)")
AWAKE_KINDS = {"action", "social", "emotional", "functional"}


def posture_defects(row: dict, kind_of: dict) -> list[tuple[str, str]]:
    """``(pose, predicate)`` of each edge whose subject's pose contradicts the posture its act needs ("a kneeling
    skater lying next to a fisherman", "a soaring pigeon walking away from an oven"), or whose sleeping subject acts
    awake ("a sleeping police officer kissing a hamster"); ``kind_of``: relation id -> kind."""
    out = []
    objs = row["objects"]
    for e in row["relations"]:
        p = e["predicate"]
        acts = {g for g, rx in ACT_POSTURE if rx.match(p)}
        for a in objs[e["subject"]]["attributes"]:
            pose = a["value"] if a["type"] == "pose" else None
            if pose is None:
                continue
            own = POSE_POSTURE.get(pose)
            if own in ("swim", "fly") and p in ("chasing", "fleeing_from", "racing"):
                continue
            if own and any((own, g) in POSTURE_CLASH for g in acts):
                out.append((pose, p))
            elif pose == "sleeping" and kind_of.get(p) in AWAKE_KINDS and not ASLEEP_OK.match(p):
                out.append((pose, p))
    return out


#: role nouns that name their gear (printed names): beside a drummer the drum is shown or implied, so "Is there a
#: drum?" has no answer an image fixes (actions and poses round 2; ``gear_foil``)
ROLE_GEAR = {"drummer": {"drum"}, "guitarist": {"guitar"}, "pianist": {"piano", "grand piano"},
             "cyclist": {"bicycle"}, "skier": {"ski", "ski pole"}, "surfer": {"surfboard"},
             "golfer": {"golf ball"}, "tennis player": {"tennis racket", "tennis ball"},
             "hockey player": {"hockey stick"}, "football player": {"football"}, "soccer player": {"soccer ball"},
             "basketball player": {"basketball"}, "skater": {"skateboard"}, "fisherman": {"fishing rod"},
             "photographer": {"camera"}, "catcher": {"baseball glove"}}


def gear_foil(row: dict) -> bool:
    """Beside a role noun that names its gear (a drummer), that gear as an existence foil or a multiple-choice
    distractor ("Is there a drum?": about 1 row in 1,000 of the default file before round 2).

    >>> q = {"type": "existence", "format": "yes_no", "negative": True, "question": "Is there a drum?",
    ...      "elements": [{"absent_object": "wn:03249569"}], "choices": None, "answer": "no"}
    >>> gear_foil({"objects": [{"name": "drummer"}], "questions": [q]}), gear_foil({"objects": [], "questions": [q]})
    (True, False)
    """
    gear = set().union(*(ROLE_GEAR.get(o["name"], set()) for o in row["objects"]))
    if not gear:
        return False
    for q in row.get("questions") or ():
        if q["type"] == "existence" and q["negative"]:
            m = re.match(r"(?:Is|Are) there (?:an? |some )?(.+?)\?$", q["question"])
            if m and m.group(1) in gear:
                return True
        elif q["format"] == "multiple_choice" and q.get("choices"):
            if any(c in gear and c != q["answer"] for c in q["choices"]):
                return True
    return False


#: relation kinds a subject may hold toward several objects at once, unseen (feelings, social acts)
ATTITUDES = {"emotional", "social"}
#: plural-only names of two joined parts (last word): counted in pairs, never in portions
PAIRED = ("pants", "trousers", "jeans", "shorts", "slacks", "tights", "breeches", "briefs", "underpants",
          "bottoms", "johns", "trunks", "scissors", "pliers", "tongs", "shears", "forceps", "glasses", "sunglasses",
          "goggles", "binoculars", "suspenders", "cleats", "flats")
#: fixtures a picture of a location shows as a rule (printed names), written from the hand reading
LOCATION_FIXTURES = {
    "kitchen": {"oven", "stove", "refrigerator", "sink", "kettle", "toaster", "microwave", "cabinet", "pan",
                "faucet", "dishwasher"},
    "restaurant_kitchen": {"oven", "stove", "refrigerator", "sink", "pan", "faucet"},
    "bathroom": {"toilet", "sink", "tub", "shower curtain", "mirror", "towel", "faucet", "toilet seat"},
    "bedroom": {"bed", "pillow", "blanket", "wardrobe", "dresser"},
    "living_room": {"couch", "armchair", "coffee table", "TV", "cushion"},
    "dining_room": {"dining table", "plate"},
    "classroom": {"desk", "blackboard"},
    "library": {"book", "bookcase", "bookshelf"},
    "office": {"desk", "computer", "phone"},
    "jail_cell": {"bed", "toilet", "sink"},
    "garage": {"car"}, "parking_garage": {"car"}, "parking_lot": {"car"}, "gas_station": {"gas pump", "car"},
    "fire_station": {"fire engine"}, "stable": {"horse"}, "barn": {"hay", "horse", "cow"}, "kennel": {"dog"},
    "bakery": {"bread", "cake", "oven"}, "hospital_room": {"bed"}, "church": {"altar", "pew"},
}
PORTION_OF_PAIR = re.compile(rf"\bportions? of (?:[\w' -]+ )?(?:{'|'.join(PAIRED)})\b")
SIDES = {"to_the_left_of", "to_the_right_of"}
STANDS_FOR = {"potted plant": "plant"}  # a concept that may be any concept of a category
SUPPORT = {"on", "on_top_of", "in", "inside"}  # an act entailing one names the one thing bearing the subject
DIRECTIONS = (" toward", " towards", " past", " away from")  # movements holding of whatever lies that way
CAPTION_PHRASES = re.compile(r"\b(?:rendered as an? [\w-]+ render|in the genre of (?:genre\b|(?:(?!and )[\w'-]+ )*"
                             r"(?:poster|cartoon|nocturne)\b(?! art)))", re.I)
#: materials named by a noun (after "is" they read "made of ..."); adjectives (wooden, golden, ceramic) not here
MATERIAL_NOUNS = ("oak pine walnut teak maple birch cedar ebony rosewood cherrywood mahogany bamboo plywood driftwood "
                  "cork wicker rattan metal steel iron aluminium gold silver platinum pewter copper brass bronze tin "
                  "chrome titanium stone marble granite limestone sandstone concrete brick adobe terracotta "
                  "porcelain stoneware earthenware glass crystal resin fibreglass cotton linen silk satin velvet wool "
                  "cashmere tweed denim corduroy flannel fleece felt lace chiffon tulle jersey canvas burlap nylon "
                  "polyester suede leather fur sheepskin chenille muslin damask brocade taffeta vinyl paper cardboard "
                  "papier-mache rubber silicone straw ice pearl").split()
DISTANCES = {"near", "far_from", "next_to"}
#: words a scene-attribute value's name may share with another's without saying the same
FUNCTION_WORDS = {"a", "an", "the", "at", "in", "on", "of", "during", "under", "with", "by", "to", "and"}
PARTS = {"sleeve", "space bar", "stylus", "brake shoe", "yolk", "mast", "floor cover", "plaid", "rolling stock",
         "corner post"}
AMBIGUOUS = {"cruiser", "goal", "third base", "clip", "toy dog", "recorder", "gas gun", "viola", "organ", "vane",
             "tape machine", "mandarin", "poker", "bomber"}
AMBIGUOUS_IN = {("trunk", "natural_object")}    # the tree's trunk printed "trunk" (the luggage trunk is a container)
ARMOUR_HELMET = "wn:03513376"
FOOD = {"food", "dish", "baked_good", "drink", "fruit", "vegetable"}
COLD_BLOODED = {"fish", "insect", "invertebrate", "reptile", "amphibian"}
FANCY = ("magenta", "pink", "purple", "violet", "lavender", "lilac", "turquoise", "teal", "cyan", "aqua", "neon",
         "pastel", "electric", "fluorescent", "candy", "baby", "mint", "periwinkle", "plum", "mauve", "fuchsia",
         "cerulean", "sapphire", "indigo", "cobalt", "royal", "sky", "ocean", "sea_", "peacock", "coral", "salmon",
         "peach", "apricot", "cornflower", "orchid", "thistle", "wisteria", "blush", "rose", "raspberry")
GREYS = {"brown_grey", "brownish_grey", "charcoal", "charcoal_grey", "cool_grey", "dark_grey", "dim_grey", "grey",
         "light_grey", "pale_grey", "pinkish_grey", "reddish_grey", "silvery_grey", "warm_grey", "slate_grey",
         "light_slate_grey", "blue_grey", "bluish_grey", "ash_grey"}
GREEN_VEG = {"broccoli", "greens", "pea", "lettuce", "spinach", "cabbage", "cucumber", "zucchini", "celery"}
EARTHY = {"brick", "log", "clay", "parchment"}
OLD_TECH = {"dial telephone", "typewriter", "record player", "oil lamp", "box camera", "tape player", "gramophone",
            "steam locomotive", "sundial", "hourglass"}
CLEAR = {"vodka", "martini", "drinking water", "ice water", "water"}
DULL = {"grey", "brown", "taupe", "camel", "mocha", "tan", "umber", "sienna", "khaki", "charcoal", "slate", "drab",
        "mud", "mushroom", "dun", "beige"}
SHAPE_OFF = {"kitchenware": {"pyramid_shaped", "cube_shaped"},
             "furniture": {"star_shaped", "crescent_shaped", "diamond_shaped", "pyramid_shaped", "bell_shaped",
                           "dome_shaped", "heart_shaped", "cube_shaped"},
             "accessory": {"dome_shaped", "pyramid_shaped", "cube_shaped", "boxy", "bell_shaped"}}
SIZE_OFF = {"container": {"deep", "shallow"}, "structure": {"towering", "slender"},
            "clothing": {"enormous", "massive", "giant", "huge", "towering"}}
MANY_COLOURS = {("opinion", "colourful"), ("pattern", "multicoloured"), ("pattern", "rainbow_striped"),
                ("pattern", "tie_dyed")}
OPAQUE = ("wood", "oak", "pine", "walnut", "teak", "maple", "birch", "cedar", "ebony", "mahogany", "metal", "steel",
          "iron", "aluminium", "stone", "marble", "granite", "leather", "suede", "cotton", "wool", "denim", "tweed",
          "velvet", "brass", "copper", "bronze", "gold", "silver", "ceramic", "porcelain", "stoneware",
          "earthenware", "terracotta", "wicker", "rattan", "bamboo", "cardboard", "paper", "concrete", "brick")
NOT_METAL = ("wood", "oak", "pine", "walnut", "teak", "maple", "birch", "cedar", "ebony", "mahogany", "plastic",
             "glass", "leather", "suede", "cotton", "wool", "denim", "silk", "velvet", "rubber", "ceramic",
             "porcelain", "paper", "cardboard", "wicker", "rattan", "bamboo", "acrylic", "nylon", "polyester",
             "canvas", "stone", "marble")
# round 4: colour names read as a thing or another attribute; words of colour names that name a food or flavour
THING_COLOURS = {"milk_chocolate", "old_lace", "lemon_chiffon", "misty_rose", "lavender_blush", "ghost_white",
                 "old_rose", "old_pink", "antique_white", "rusty_red", "rusty_orange", "green_teal", "mint_cream",
                 "peach_puff", "emerald", "sapphire", "jade", "amber", "cobalt"}
FOOD_WORDS = {"chocolate", "caramel", "cinnamon", "mocha", "ginger", "hazel", "cream", "mustard", "peach", "salmon",
              "apricot", "plum", "cherry", "wine", "lemon", "tangerine", "mango", "banana", "eggplant", "aubergine",
              "avocado", "raspberry", "strawberry", "butter", "honey", "coffee", "mint", "sage", "tea", "pumpkin",
              "tomato", "grape", "cranberry", "mulberry", "saffron", "pea", "apple", "vanilla", "eggshell", "egg",
              "rust", "burnt", "chestnut", "milk", "candy", "bubblegum", "seaweed"}
FOOD_KINDS = FOOD | {"food"}
OWN_COLOUR_METALS = {"gold", "silver", "platinum", "pewter", "copper", "brass", "bronze", "chrome", "stainless_steel"}
NAMED_WOODS = {"oak", "pine", "walnut", "teak", "maple", "birch", "cedar", "ebony", "rosewood", "cherrywood",
               "mahogany", "driftwood", "cork", "bamboo", "wicker", "rattan"}
WOOD_HUES = {"black", "jet_black", "white", "off_white", "ivory", "cream", "beige", "light_beige", "dark_beige",
             "brown", "dark_brown", "light_brown", "pale_brown", "deep_brown", "warm_brown", "reddish_brown",
             "red_brown", "golden_brown", "golden", "tan", "light_tan", "dark_tan", "tan_brown", "chestnut",
             "chocolate_brown", "caramel", "cinnamon", "mocha", "sienna", "umber", "russet", "auburn", "hazel",
             "sandy_brown", "saddle_brown", "yellowish_brown", "orangish_brown", "grey", "light_grey", "grey_brown",
             "greyish_brown", "silvery_grey"}
NO_COLOUR = {"panda", "zebra", "skunk", "dalmatian", "polar bear", "penguin", "snowman", "church bell"}
#: kind -> words one of which its colour names (a fire engine is red or yellow)
KIND_HUES = {"fire engine": {"red", "scarlet", "crimson", "yellow"}, "school bus": {"yellow"},
             "sunflower": {"yellow", "golden", "orange", "red"}, "lotus": {"white", "pink", "purple"},
             "tofu": {"white", "ivory", "beige", "golden"}, "coffee": {"brown", "black", "tan", "beige"},
             "espresso": {"brown", "black", "tan", "beige"}, "champagne": {"golden", "yellow", "pink"},
             "honey": {"golden", "yellow", "brown"}, "milk": {"white", "ivory", "beige", "brown", "pink"},
             "cola": {"brown", "black"}, "orange juice": {"orange", "yellow"}, "ketchup": {"red"}, "mayo": {"white", "ivory", "beige", "yellow"},
             "nest": {"brown", "tan", "beige", "black", "white", "grey", "sienna", "umber", "ochre", "russet",
                      "golden", "ivory", "auburn", "red", "taupe", "camel", "caramel", "chestnut", "cinnamon",
                      "hazel", "ginger", "charcoal", "cream", "eggshell", "mocha", "off"}}
WATER_GEAR = {"wet suit", "life jacket"}
FLAGS = ("flag", "banner", "pennant", "ensign", "standard")
FAITH = {"crucifix", "altar"}
#: furniture kinds that may be see-through (glass or acrylic): names ending so (tables, chairs, desks)
SEE_THROUGH_FURNITURE = ("table", "chair", "desk", "stool")
KNOBBLY_KINDS = {"amphibian", "reptile", "vegetable", "fruit", "natural_object", "structure", "tool", "container",
                 "artwork", "landform"}
SOFT_WEAR = {"torn", "tattered", "frayed", "wrinkled", "crumpled", "patched", "folded"}
TRIMS = {"embroidered", "fringed", "tasselled", "ruffled", "frilly", "pleated", "lace_trimmed"}
#: upholstered seats and beds (names ending so) may be torn, wrinkled, fringed or ruffled
SOFT_FURNITURE = ("couch", "sofa", "chair", "bed", "seat", "ottoman", "settee", "futon", "divan", "throne", "four-poster", "bunk", "cot", "cradle", "hammock")
WORN = {"worn", "damaged", "dusty", "broken", "cracked", "chipped", "scratched", "dented", "rusty", "bent", "torn",
        "tattered", "frayed", "faded", "stained", "tarnished", "shattered", "weathered", "peeling", "crumbling",
        "ruined", "patched"}


def attribute_defects(obj: dict) -> set[str]:
    """The round-2 checks one object fails (its printed name, category and attributes)."""
    name, cat = obj["name"], obj["category"]
    attrs = {(a["type"], a["value"]) for a in obj["attributes"]}
    by_type = {}
    for t, v in attrs:
        by_type.setdefault(t, set()).add(v)
    hit = set()
    if cat == "body_part" or name in PARTS:
        hit.add("part")
    if name in AMBIGUOUS or (name, cat) in AMBIGUOUS_IN or obj["concept"] == ARMOUR_HELMET:
        hit.add("ambiguous")
    if (cat in FOOD or name == "photo") and "origin" in by_type:
        hit.add("food_origin")
    for c in by_type.get("colour", ()):
        if ((cat in FOOD and c in GREYS)
                or (cat in COLD_BLOODED and any(f in c for f in FANCY) and not {"grey", "brown"} & set(c.split("_")))
                or (name in GREEN_VEG and "green" not in c)
                or (name in EARTHY and any(f in c for f in (*FANCY, "green", "blue", "yellow")))
                or name in CLEAR
                or (cat == "flower" and set(c.split("_")) & DULL)):
            hit.add("unnatural_colour")
    if by_type.get("size", set()) & SIZE_OFF.get(cat, set()) or by_type.get("shape", set()) & SHAPE_OFF.get(cat, set()):
        hit.add("size_shape")
    mats = by_type.get("material", set())
    cond = by_type.get("condition", set())
    if ((attrs & MANY_COLOURS and "colour" in by_type)
            or (by_type.get("finish", set()) & {"transparent", "translucent"} and any(
                m.startswith(o) or m.endswith(o) for m in mats for o in OPAQUE))
            or ({"rusty", "tarnished", "dented"} & cond and any(m.startswith(o) or m.endswith(o)
                                                                for m in mats for o in NOT_METAL))
            or ({"new", "brand_new"} & by_type.get("age", set()) and cond & WORN)
            or ("pristine" in cond and cond & WORN)
            or (cat in {"insect", "invertebrate"} and "old" in by_type.get("age", set()))
            or (name in OLD_TECH and by_type.get("age", set()) & {"futuristic", "modern"})
            or (cat == "flower" and "spiky" in by_type.get("texture", set()))
            or (cat in {"vehicle", "weapon", "musical_instrument"}
                and by_type.get("finish", set()) & {"transparent", "translucent"})
            or (cat == "sports_equipment" and "rusty" in cond)
            or (cat == "mammal" and by_type.get("texture", set()) & {"spiky", "prickly", "thorny"}
                and name not in {"hedgehog", "porcupine"})
            or (name in {"flag", "banner"} and by_type.get("finish", set()) & {"carved", "engraved"})
            or (name in {"white flag", "black flag"} and "pattern" in by_type)):
        hit.add("contradiction")
    colours = by_type.get("colour", set())
    for c in colours:
        words = set(c.split("_"))
        if c in THING_COLOURS or (cat in FOOD_KINDS and words & FOOD_WORDS):
            hit.add("colour_word")
        if (name in NO_COLOUR or (name in KIND_HUES and not words & KIND_HUES[name])
                or (cat in {"plant", "tree", "flower"} and "burnt" in words)):
            hit.add("fixed_colour")
        if mats & OWN_COLOUR_METALS or (mats & NAMED_WOODS and c not in WOOD_HUES):
            hit.add("own_colour")
    texture, finish = by_type.get("texture", set()), by_type.get("finish", set())
    if (("honeycombed" in texture and cat != "structure")
            or (name in WATER_GEAR and (texture or finish))
            or (name.endswith(FLAGS) and "moss_covered" in by_type.get("surface", set()))
            or (name == "log" and texture & {"spiky", "prickly", "thorny"})
            or (texture & {"bumpy", "knobbly"} and cat not in KNOBBLY_KINDS)
            or (cat == "furniture" and not name.endswith(SOFT_FURNITURE)
                and (by_type.get("condition", set()) & SOFT_WEAR or finish & TRIMS))
            or (name.endswith(("bed", "couch", "sofa", "chair", "table", "desk")) and "openness" in by_type)
            or (name == "lollipop" and texture - {"smooth"})
            or (name == "pea" and by_type.get("cut", set()) - {"whole", "mashed", "crushed"})):
        hit.add("kind_texture")
    if ((cat == "furniture" and finish & {"transparent", "translucent"} and not name.endswith(SEE_THROUGH_FURNITURE))
            or ("spider" in name and "translucent" in finish)
            or (cat in {"device", "tool", "sports_equipment"} and name != "lamp"
                and finish & {"transparent", "translucent"})):
        hit.add("see_through")
    if name in FAITH and "origin" in by_type:
        hit.add("faith_origin")
    if (name.endswith("knife") or name.endswith("fork")) and "fullness" in by_type:
        hit.add("fullness")
    return hit


# Round 5 (attribute plausibility: size words against the thing's size class, and a hand reading of 150 captions
# of ``gas sample -n 150 --seed 41``).  Size classes are the taxonomy's (``taxonomy/sources/sizes.tsv``: tiny < 3 cm
# <= small < 30 cm <= medium < 1 m <= large < 3 m <= huge < 30 m <= vast); the allowed classes per word are written
# here from the reading, not read from ``attributes.toml``.
ROUND_FIVE = ("size_word", "kind_surface", "kind_colour")
#: size word -> (smallest, largest) size class it may describe; "huge" and its like from medium on living things
SIZE_WORD_CLASSES = {"huge": (3, 5), "giant": (3, 5), "enormous": (3, 5), "massive": (3, 5), "tiny": (0, 2),
                     "towering": (4, 5), "pocket_sized": (1, 2), "miniature": (1, 5), "compact": (1, 5),
                     "bulky": (1, 5)}
LIVING_SIZES = {"animal", "plant", "fruit", "vegetable"}
BIG_WORDS = {"huge", "giant", "enormous", "massive"}
#: containers that are woven (of cane, straw or cloth)
WOVEN_CONTAINERS = ("basket", "bag", "hamper", "backpack", "sack", "pouch", "tote")
NOT_WOVEN = {"plastic bag", "sleeping bag", "ice pack", "air bag"}
NUTS = {"nut", "acorn", "walnut"}
#: words of a colour name a nut's shell shows; a tree's leaves, autumn colours or blossom show
NUT_WORDS = {"brown", "tan", "beige", "russet", "umber", "sienna", "golden", "green"}
FOLIAGE_WORDS = {"green", "yellow", "golden", "orange", "red", "russet", "brown", "white", "pink"}
#: prepared foods that are cooked brown: no "dark green patty"
COOKED_BROWN = {"patty", "hamburger", "cheeseburger", "chocolate sauce"}
COOKED_WORDS = {"brown", "tan", "beige", "golden", "russet", "umber", "sienna", "auburn", "taupe", "black", "ochre",
                "camel", "ivory", "white"}
#: later readings (seeds 53 and 59): fruit and vegetables -> words one of which their colour names
PRODUCE_HUES = {"strawberry": {"red"}, "raspberry": {"red", "pink", "maroon", "purple", "golden"},
                "blueberry": {"blue", "purple", "indigo"}, "asparagus": {"green", "white", "purple"},
                "apple": {"red", "green", "yellow", "golden"}, "banana": {"yellow", "golden", "green", "brown"},
                "lemon": {"yellow", "golden", "green"}, "orange": {"orange", "golden", "green"},
                "carrot": {"orange", "yellow", "purple", "red"}, "tomato": {"red", "orange", "yellow", "green"},
                "pumpkin": {"orange", "yellow", "white", "green"},
                "cauliflower": {"white", "ivory", "green", "purple", "orange"},
                "eggplant": {"purple", "black", "white"}, "grape": {"green", "purple", "red", "black", "maroon"},
                "pear": {"green", "yellow", "golden", "brown", "russet", "red"}, "melon": {"green", "yellow", "orange"},
                "fig": {"purple", "green", "brown"}, "pineapple": {"yellow", "golden", "brown", "green"}}
WEB_WORDS = {"white", "off", "snow", "silvery", "grey", "light", "pale"}
#: garments without zips or buttons (name endings), and the devices that open (a lid, a door, a valve)
NO_FASTENING = ("hat", "cap", "wig", "helmet", "mask", "tie", "boot", "shoe", "T-shirt", "apron", "diaper", "stole",
                "shawl")
OPENING_DEVICES = {"tool kit", "elevator", "faucet", "water tap", "CD player"}
FIREARMS = ("gun", "rifle", "pistol", "revolver", "shotgun", "firearm")
HARD_ART = {"statue", "sculpture", "plaque", "crucifix"}
TEXTILE_PRINTS = {"tartan", "plaid", "gingham", "houndstooth", "herringbone", "argyle", "paisley", "pinstriped",
                  "tie_dyed", "leopard_print", "zebra_print", "tiger_print", "snakeskin_print", "polka_dot",
                  "camouflage"}
DISH_ODD_SHAPES = {"boxy", "cube_shaped", "pyramid_shaped", "bell_shaped", "dome_shaped", "crescent_shaped",
                   "diamond_shaped"}
ODD_BOX_SHAPES = {"spherical", "star_shaped", "egg_shaped", "crescent_shaped", "diamond_shaped", "pyramid_shaped",
                  "dome_shaped"}
STONES = {"tombstone", "stone wall", "memorial"}


@functools.cache
def _round_five_taxonomy():
    """The default taxonomy's size classes and category paths (the same on older trees: sizes.tsv is unchanged)."""
    tax = load_taxonomy()
    return {o.id: o.size for o in tax.objects}, {c: tax.path(c) for c in tax.categories}


def round_five_defects(obj: dict) -> set[str]:
    """The round-5 checks one object fails.

    * ``size_word``: a size word outside the size classes it can describe ("an enormous typewriter", "a huge
      cricket", "a massive fork", "a tiny elephant", "a pocket-sized bed", "a miniature button");
    * ``kind_surface``: a texture, surface, finish, pattern, shape or state the kind does not take ("a slimy garden
      spider", "a woven beer bottle", "a perforated bottle", "a dry diamond", "a holographic flag", "a striped
      crucifix", "a jagged acorn", "an unbuttoned penny bank"; later readings: "a zipped-up wig", "an unzipped
      cowboy hat", "a half-open pendulum", "a gauzy football helmet", "a frayed statue", "a bent tombstone", "a
      jewelled assault gun", "a dry scoreboard", "a spherical tray", "a star-shaped tub", "an egg-shaped wreath",
      "a tattered stein", "a pleated boot", "lace-trimmed glasses", "a gauzy shower cap", "a gingham wet suit", "a
      chrome-plated altar", "a tarnished wine bottle", "a boxy patty");
    * ``kind_colour``: a colour the kind does not show ("an off white acorn", "an ivory coconut tree", "a
      chestnut-coloured apple tree", "a dark green patty", "ochre chocolate sauce"; later: "a light tan strawberry",
      "a bright orange asparagus", "a bubblegum pink spider web", "a black cauliflower", "an electric purple
      jasmine"), or any colour beside a
      chrome-plated or mirrored finish ("a cup that is chrome-plated and dusk blue").
    """
    sizes, paths = _round_five_taxonomy()
    size = sizes.get(obj["concept"])
    hit = set()
    for a in obj["attributes"]:
        if a["type"] == "size" and size is not None and a["value"] in SIZE_WORD_CLASSES:
            lo, hi = SIZE_WORD_CLASSES[a["value"]]
            if a["value"] in BIG_WORDS and LIVING_SIZES & set(paths.get(obj["category"], ())):
                lo = 2
            if not lo <= size <= hi:
                hit.add("size_word")
    name, cat = obj["name"], obj["category"]
    by_type: dict[str, set[str]] = {}
    for a in obj["attributes"]:
        by_type.setdefault(a["type"], set()).add(a["value"])
    texture = by_type.get("texture", set())
    if (("spider" in name and "slimy" in texture)
            or (cat == "container" and "woven" in texture
                and (not name.endswith(WOVEN_CONTAINERS) or name in NOT_WOVEN))
            or (cat == "container" and "perforated" in texture)
            or (name == "diamond" and "surface" in by_type)
            or (name.endswith(FLAGS) and "holographic" in by_type.get("finish", set()))
            or (name == "crucifix" and "pattern" in by_type)
            or (name in NUTS and "jagged" in by_type.get("shape", set()))
            or ("unbuttoned" in by_type.get("openness", set()) and cat != "clothing")
            or (cat == "clothing" and name.endswith(NO_FASTENING) and "openness" in by_type)
            or (cat == "device" and "openness" in by_type and name not in OPENING_DEVICES)
            or (name.endswith("helmet") and texture - {"smooth", "rough"})
            or (name == "wig" and by_type.get("condition", set()) & {"folded", "crumpled", "wrinkled", "patched"})
            or (name in HARD_ART and by_type.get("condition", set()) & SOFT_WEAR)
            or (name in STONES and by_type.get("condition", set()) & {"bent", "dented", "rusty"})
            or (name.endswith(FIREARMS) and "jewelled" in by_type.get("finish", set()))
            or (cat in {"structure", "accessory"} and "dry" in by_type.get("surface", set()))
            or (cat == "container" and by_type.get("shape", set()) & ODD_BOX_SHAPES)
            or (name == "wreath" and "shape" in by_type)
            or (cat == "container" and by_type.get("condition", set()) & SOFT_WEAR
                and (not name.endswith(("bag", "envelope", "box", "backpack", "sack", "pouch", "basket"))
                     or name == "safe")
                and not (name == "ice pack" and by_type["condition"] & SOFT_WEAR <= {"wrinkled", "crumpled"}))
            or (name.endswith(("boot", "shoe")) and by_type.get("finish", set()) & {"pleated", "ruffled", "frilly"})
            or (name.endswith("glasses") and (texture - {"smooth"} or by_type.get("finish", set()) & TRIMS))
            or (name in {"shower cap", "swimming cap"} and texture - {"smooth", "crinkled"})
            or (name == "wet suit" and by_type.get("pattern", set()) & TEXTILE_PRINTS)
            or (name == "altar" and by_type.get("finish", set()) & {"chrome_plated", "mirrored"})
            or ("tarnished" in by_type.get("condition", set()) and name.endswith(("bottle", "glass")))
            or (cat == "dish" and by_type.get("shape", set()) & DISH_ODD_SHAPES)):
        hit.add("kind_surface")
    for c in by_type.get("colour", ()):
        words = set(c.split("_"))
        if ((name in NUTS and (not words & NUT_WORDS or words & {"white", "ivory", "cream", "pearl", "snow"}))
                or (cat == "tree" and not words <= FOLIAGE_WORDS | {"light", "dark", "pale", "bright", "deep",
                                                                     "forest", "grass", "olive", "brownish",
                                                                     "reddish"})
                or (name in COOKED_BROWN and not words & COOKED_WORDS)
                or (name == "chocolate sauce" and "brown" not in words)
                or (cat in {"fruit", "vegetable"} and name in PRODUCE_HUES and not words & PRODUCE_HUES[name])
                or (name == "spider web" and not words <= WEB_WORDS)
                or (name == "jasmine" and not words & {"white", "ivory", "yellow", "pink"})
                or (cat == "plant" and (c in GREYS or "black" in words))
                or by_type.get("finish", set()) & {"chrome_plated", "mirrored"}):
            hit.add("kind_colour")
    return hit


EXISTENCE = re.compile(r"^(?:Is there (?:an? )?|Are there any )(.*)\?$")


#: round 5: scene-attribute values (ids, any type) that presuppose a kind of object: categories one of which an
#: object of the scene must be under (or printed names, for the night sky)
NEEDS = {**dict.fromkeys(("portraiture", "self_portraiture", "portrait_photography", "pin_up_art",
                          "over_the_shoulder_shot", "cowboy_shot", "medium_close_up", "full_shot"), {"person"}),
         **dict.fromkeys(("fashion_photography", "fashion_illustration"), {"person", "clothing", "accessory"}),
         **dict.fromkeys(("animal_painting", "wildlife_photography"), {"animal"}),
         "food_photography": {"food"}, "botanical_illustration": {"plant", "fruit", "vegetable"},
         **dict.fromkeys(("architectural_photography", "architectural_drawing"), {"building", "structure"}),
         "sports_photography": {"person", "sports_equipment", "sports equipment"}, "astrophotography": {"comet", "meteor", "spacecraft"}}
#: values whose scene holds no living thing but plants (a still life), or only small things (macro)
LIFELESS = {"still_life", "vanitas", "product_photography"}
MACRO = {"macro_photography", "macro_view"}
#: values that name an outdoor view (no room, no furniture), an indoor one, or water
OUTDOOR_VIEWS = {"landscape_painting", "landscape_photography", "seascape_painting", "cityscape_painting",
                 "street_photography", "aerial_photography", "aerial_view", "satellite_view", "astrophotography",
                 "low_horizon", "high_horizon", "underwater_photography", "split_level_underwater_view"}
INDOOR_VIEWS = {"interior_painting", "view_through_a_keyhole"}
WATER_VIEWS = {"underwater_photography", "split_level_underwater_view", "seascape_painting"}
ROOM_SETTINGS = {"home", "public", "industrial", "enclosed"}
#: furniture and appliances made or used outdoors too (a patio heater, a fan on a terrace): no room's
OUTDOOR_FURNITURE = {"bench", "park bench", "deck chair", "garden chair", "hammock", "wheelchair", "picnic table",
                     "lawn chair", "cooler", "heater", "electric fan"}
#: farm machines also stand in a shed or a garage (industrial settings)
FARM_MACHINES = {"tractor", "combine", "farm machine", "thrasher", "header", "binder"}
#: render materials that name a substance (round 5 reading: beside an object's material, two materials at once)
SUBSTANCE_WORDS = {"metal", "metallic", "chrome", "plastic", "clay", "marble", "stone", "glass", "wax", "velvet",
                   "fabric", "leather", "wood", "gold", "ice", "rubber", "carbon", "aluminium", "felt", "porcelain",
                   "mercury", "obsidian", "quartz", "ceramic", "jelly"}
#: livestock, poultry and farm machines (printed names), and the places they belong outside a farm
FARM_THINGS = {"cow", "cattle", "ox", "bull", "calf", "heifer", "sheep", "lamb", "ram", "pig", "hog", "goat",
               "hen", "rooster", "chick", "chicken bird", "turkey", "tom turkey", "poultry", "livestock", "tractor",
               "combine", "farm machine", "thrasher", "header", "binder", "llama"}
NON_FARM_OUTDOOR = {"park", "golf_course", "lawn", "botanical_garden", "formal_garden", "japanese_garden",
                    "zen_garden", "topiary_garden", "cemetery", "airfield", "airport_runway", "heliport",
                    "picnic_area", "campsite", "athletic_field", "baseball_field", "football_field", "soccer_field",
                    "castle", "palace", "mansion", "pagoda", "asian_temple", "mausoleum", "fountain", "gazebo",
                    "ski_slope", "ski_resort", "race_track", "highway", "amphitheater", "tower", "wind_farm"}


def scene_content_defects(row: dict, chain: dict, settings_of: dict, size_of: dict) -> set[str]:
    """Round 5: the scene-content checks a row fails.  ``chain``: printed name -> its category and the categories
    above it; ``settings_of``: location value id -> its setting in the taxonomy; ``size_of``: printed name -> size
    class index (0 tiny ... 5 vast)."""
    hit = set()
    names = [o["name"] for o in row["objects"]]
    kinds = [set(chain.get(n, (n, o["category"]))) | {o["category"], n} for n, o in zip(names, row["objects"])]
    values = {a["value"]: a["type"] for a in row["scene_attributes"]}
    location = next((v for v, t in values.items() if t == "location"), None)
    room = location is not None and settings_of.get(location) in ROOM_SETTINGS
    indoor_things = any(k & {"furniture", "appliance"} and n not in OUTDOOR_FURNITURE for n, k in zip(names, kinds))
    for v, t in values.items():
        if v in NEEDS and not any(k & NEEDS[v] for k in kinds):
            hit.add("needs_content")
        if v == "two_shot" and sum("person" in k for k in kinds) < 2:
            hit.add("needs_content")
        if v in LIFELESS and any(k & {"person", "animal"} for k in kinds):
            hit.add("needs_content")
        if v in MACRO and any((size_of.get(n) or 0) > 1 for n in names):
            hit.add("needs_content")
        if v in OUTDOOR_VIEWS and (room or indoor_things):
            hit.add("wrong_place")
        if v in INDOOR_VIEWS and location is not None and not room:
            hit.add("wrong_place")
        if v in WATER_VIEWS and location is not None and settings_of.get(location) not in ("water", "shore"):
            hit.add("wrong_place")
        if t == "render_material" and set(re.split(r"[_\s-]+", v)) & SUBSTANCE_WORDS and any(
                a["type"] == "material" for o in row["objects"] for a in o["attributes"]):
            hit.add("two_materials")
    for n in names:
        if n in FARM_THINGS and location is not None and (
                settings_of.get(location) in ROOM_SETTINGS | {"town", "water", "sky"} or location in NON_FARM_OUTDOOR):
            if not (n in FARM_MACHINES and settings_of.get(location) == "industrial"):
                hit.add("farm_place")
    return hit


# Settings, round 2 (a hand reading of the scene attributes of 150 rows of ``gas sample -n 150 --seed 83`` and of
# -n 1000 --seed 77): each list is the reading written out, independent of the taxonomy's own rules.
#: hours of the day each time-of-day value may name (a value with two spans happens morning and evening);
#: two values whose hours meet may both describe one picture, so neither is a foil of the other
TIME_HOURS = {
    "at_dawn": ((5, 7),), "at_sunrise": ((5.5, 7.5),), "at_first_light": ((4.5, 6.5),), "before_dawn": ((3, 5),),
    "in_the_early_morning": ((4.5, 8.5),), "in_the_morning": ((6.5, 11.5),), "at_mid_morning": ((9, 11),),
    "at_noon": ((11.5, 12.5),), "at_lunchtime": ((12, 14),), "in_the_early_afternoon": ((12, 15),),
    "in_the_afternoon": ((12.5, 17),), "at_teatime": ((15, 17),), "in_the_late_afternoon": ((15, 18.5),),
    "at_golden_hour": ((5.5, 8), (16.5, 20)), "at_sunset": ((17, 20.5),), "at_dusk": ((18, 21.5),),
    "at_twilight": ((4.5, 6.5), (18, 21.5)), "during_the_blue_hour": ((4.5, 6.5), (18, 21.5)),
    "in_the_evening": ((17, 23),), "at_night": ((21.5, 24), (0, 4.5)), "at_midnight": ((23.5, 24), (0, 0.5)),
    "in_the_small_hours": ((0.5, 4.5),),
}
#: pairs of locations that may both describe one picture: one inside or beside the other
LOCATIONS_TOGETHER = [
    ("boat_deck", "harbor"), ("boat_deck", "open_ocean"), ("pier", "harbor"), ("lighthouse", "harbor"),
    ("lighthouse", "rocky_coast"), ("beach", "breaking_wave"), ("beach", "boardwalk"), ("ski_slope", "ski_resort"),
    ("ski_resort", "snowy_mountain"), ("chalet", "ski_resort"), ("mountain_path", "mountain"), ("cliff", "rocky_coast"),
    ("forest_path", "broadleaf_forest"), ("creek", "broadleaf_forest"), ("campsite", "broadleaf_forest"),
    ("waterfall", "river"), ("bridge", "river"), ("pier", "lake"), ("boathouse", "lake"), ("playground", "park"),
    ("picnic_area", "park"), ("gazebo", "park"), ("fountain", "town_plaza"), ("crosswalk", "city_street"),
    ("crosswalk", "downtown_street"), ("barn", "farm"), ("pasture", "farm"), ("stable", "farm"), ("corral", "farm"),
    ("baseball_field", "baseball_stadium"), ("football_field", "football_stadium"), ("soccer_field", "soccer_stadium"),
    ("airport_runway", "airfield"), ("throne_room", "castle"), ("hospital_room", "hospital"),
    ("operating_room", "hospital"), ("hotel_room", "hotel"), ("food_court", "shopping_mall"),
    ("classroom", "university_campus"), ("lecture_room", "university_campus"), ("outside_a_church", "cemetery"),
    ("kitchen", "dining_room"), ("train_platform", "railroad_track"), ("sandy_desert", "desert_road"),
]
TOGETHER = {frozenset(p) for p in LOCATIONS_TOGETHER}


def _hours_meet(a: str, b: str) -> bool:
    return any(lo1 < hi2 and lo2 < hi1 for lo1, hi1 in TIME_HOURS[a] for lo2, hi2 in TIME_HOURS[b])


def span_overlap(row: dict, audit: "QuestionAudit") -> bool:
    """A time-of-day or location question (a "no" foil, or a multiple-choice option other than the answer) that
    offers a value which may hold together with the scene's own: "at sunrise" beside "in the morning" (their
    hours meet, ``TIME_HOURS``), "in a harbor" beside "on a boat deck" (``LOCATIONS_TOGETHER``)."""
    own = {a["type"]: a["value"] for a in row["scene_attributes"]}
    for q in row.get("questions") or ():
        if q["type"] != "scene_attribute" or not (q["negative"] or q["format"] == "multiple_choice"):
            continue
        el = q["elements"][0]
        t, v = el.get("scene_attribute") or el.get("absent_scene_attribute")
        if t not in ("time_of_day", "location") or t not in own:
            continue
        by_name = audit.scene[t][2]
        offered = [v] if q["negative"] else [by_name[c] for c in q["choices"] if c != q["answer"]]
        for x in offered:
            if x == own[t]:
                continue
            if t == "time_of_day" and x in TIME_HOURS and own[t] in TIME_HOURS and _hours_meet(own[t], x):
                return True
            if t == "location" and frozenset((own[t], x)) in TOGETHER:
                return True
    return False


#: lights that need the open sky, or a building, and their opposite places (the reading's "lit by the northern
#: lights" set in a public room, "sunlight through stained glass" on a farm)
SKY_LIGHTS = {"northern_lights", "god_rays_through_clouds", "dappled_sunlight_through_leaves", "campfire",
              "fireworks", "lighthouse_beam", "starlight"}
ROOM_LIGHTS = {"sunlight_through_stained_glass", "chandelier", "desk_lamp", "window_light"}
#: rooms (a car, a cockpit or a tent shows the sky through its windows)
ROOMS = {"home", "public", "industrial"}
#: things that stay outdoors ("a park bench in a locker room")
OUTDOOR_ONLY = {"park bench", "picnic table", "garden chair", "hammock"}
#: views from the air: every object at least this size class (0 tiny ... 5 vast); medium is a person
AERIAL = {"aerial_view", "aerial_photography"}


def settings_round_two_defects(row: dict, audit: "QuestionAudit", settings_of: dict, size_of: dict) -> set[str]:
    """Settings round 2: the checks a row fails.  ``settings_of``: location value id -> its setting;
    ``size_of``: printed name -> size class index.  ``span_overlap`` (questions), ``light_place`` (a light
    that needs the sky in a room or against a studio backdrop, or a room's light outdoors), ``outdoor_thing``
    (an outdoor-only thing set in a room), ``aerial_small`` (an aerial view of something smaller than a person)."""
    hit = set()
    if span_overlap(row, audit):
        hit.add("span_overlap")
    own = {a["type"]: a["value"] for a in row["scene_attributes"]}
    location = own.get("location")
    room = location is not None and settings_of.get(location) in ROOM_SETTINGS
    light = own.get("lighting")
    if light in SKY_LIGHTS and (settings_of.get(location) in ROOMS or "backdrop" in own):
        hit.add("light_place")
    if light in ROOM_LIGHTS and location is not None and not room and settings_of.get(location) != "enclosed":
        hit.add("light_place")
    names = [o["name"] for o in row["objects"]]
    if room and any(n in OUTDOOR_ONLY for n in names):
        hit.add("outdoor_thing")
    if (AERIAL & set(own.values())) and any((size_of.get(n) if size_of.get(n) is not None else 2) < 2
                                            for n in names):
        hit.add("aerial_small")
    return hit


#: colour comparisons: their truth is the two ends' colours ("the same colour as" between two stated colours that
#: differ, "a different colour from" between equal ones)
COLOUR_COMPARISONS = {"the_same_colour_as": False, "a_different_colour_from": True}
#: scene-attribute values (type:value) whose picture shows no colour of its own, or one colour: sculpture in one
#: material, monochrome drawing and print, black-and-white photography and tones, text art (hand reading of
#: ``gas sample -n 1000 --seed 41 / 42 / 43`` and of the scene-attribute table)
COLOURLESS = {f"medium:{v}" for v in (
    "marble_sculpture", "bronze_sculpture", "wood_carving", "clay_sculpture", "ice_sculpture", "sand_sculpture",
    "ascii_art_picture", "pencil_sketch", "graphite_drawing", "charcoal_drawing", "pen_and_ink_drawing",
    "ink_wash_painting", "silverpoint_drawing", "sanguine_drawing", "woodcut_print", "linocut_print", "etching",
    "engraving", "mezzotint", "aquatint", "cyanotype", "daguerreotype", "tintype_photograph",
    "black_and_white_photograph", "infrared_photograph", "blueprint", "technical_drawing", "scratchboard_drawing",
    "glass_etching", "pyrography_drawing")} | {f"colour_tone:{v}" for v in (
    "black_and_white", "sepia_tones", "monochrome_blue", "desaturated_greys", "duotone_of_pink_and_blue",
    "cold_moonlit_blue", "infrared_false_colour_palette")} | {f"film_stock:{v}" for v in (
    "kodak_tri_x_400", "kodak_t_max_100", "ilford_hp5_plus", "ilford_delta_3200", "ilford_fp4_plus")} | {
    "art_style:sumi_e", "lighting:infrared_light", "camera_gear:thermal_camera"} | {f"render_style:{v}" for v in (
    "clay_render", "x_ray_render", "blueprint_render", "silhouette_render", "sketch_style_render",
    "wireframe_render", "normal_map_view", "depth_map_render", "ambient_occlusion_pass")}


#: words of other attribute types that name colours (a clay sculpture of "a two-tone wardrobe")
COLOUR_NAMING = MANY_COLOURS | {("pattern", "colour_blocked"), ("pattern", "two_tone"), ("finish", "iridescent"),
                                ("finish", "holographic")}


def colour_defects(row: dict) -> set[str]:
    """Colour round (``gas sample -n 1000 --seed 41``): the checks a row fails.

    * ``colour_comparison``: a colour comparison that the two ends' stated colours decide ("a muted blue wheel is
      the same colour as a russet-coloured acoustic guitar"; "a red cup is a different colour from a red bowl");
    * ``colourless_colour``: a colour word (or a word naming colours: "two-tone", "multicoloured") on an object of a
      scene whose medium, tone or film shows no colour of its own ("Rendered as a marble sculpture ..., some pastry
      is near a light blue gun"; ``COLOURLESS``).
    """
    hit = set()
    objs = row["objects"]

    def colours(o):
        return frozenset(a["value"] for a in o["attributes"] if a["type"] == "colour")

    for e in row["relations"]:
        if e["predicate"] in COLOUR_COMPARISONS:
            a, b = colours(objs[e["subject"]]), colours(objs[e["object"]])
            if a and b and (a == b) == COLOUR_COMPARISONS[e["predicate"]]:
                hit.add("colour_comparison")
    if any(f"{a['type']}:{a['value']}" in COLOURLESS for a in row["scene_attributes"]) and any(
            a["type"] == "colour" or (a["type"], a["value"]) in COLOUR_NAMING for o in objs for a in o["attributes"]):
        hit.add("colourless_colour")
    return hit


COLOUR_CHECKS = ("colour_comparison", "colourless_colour")



# Nouns and their modifiers: the reading's lists (see the module docstring).
NOUN_CHECKS = ("plural_singular", "mass_count", "piece_unit", "pair_some", "genre_content", "fit_texture", "fit_pattern",
               "fit_colour", "fit_flavour")
#: one thing of two joined parts introduced as "some" ("some red scissors", "some headphones"): one is "a pair of"
PAIR_SOME = re.compile(r"\b[Ss]ome (?:(?!and\b|of\b|an?\b|some\b)[\w'-]+ )*?(?:" + "|".join(
    PAIRED + ("headphones", "earmuffs", "pajamas", "leggings", "overalls", "clippers", "calipers", "flannels"))
    + r")\b")
#: foods eaten as a mass said as one ("an asparagus", "a celery"), small fish as food in the singular ("some
#: anchovy"): people say "some asparagus", "some anchovies"
_WORDS = r"(?:(?!and\b|of\b|an?\b|some\b|that\b|is\b)[\w'-]+ )*?"
MASS_COUNT = re.compile(r"\b(?:[Aa]n?|[Aa]nother) " + _WORDS + r"(?:asparagus|celery|kale)\b|\b[Ss]ome " + _WORDS
                        + r"(?:anchovy|sardine)\b")
#: mass nouns that name sets of made things, counted in pieces ("two pieces of china"), never in portions
MADE_MASS = re.compile(r"\bportions? of (?:[\w' -]+ )?(?:china|pottery|porcelain|stoneware|earthenware|"
                       r"cut glass|delft|tableware|cookware|ceramic ware|baggage|luggage|furniture|clothing|"
                       r"underwear|knitwear|outerwear|sportswear|artillery|ammunition|weaponry|equipment|gear)\b")
#: singular forms of nouns used only in the plural (a pair, or a garment for two legs): the printed name's last
#: word in this list says a count noun where people say the plural
PLURAL_ONLY_SINGULAR = {"headphone", "earmuff", "pajama", "pyjama", "overall", "legging", "clipper", "caliper",
                        "calliper", "sunglass", "trouser", "jean", "scissor", "plier", "pant", "tight", "tong",
                        "shear", "tweezer", "goggle", "binocular", "spectacle", "knicker", "suspender", "forcep"}
#: the same, only in these categories ("flannel" the fabric is a mass noun; "oat" the plant is said "oats")
PLURAL_ONLY_SINGULAR_IN = {("flannel", "clothing"), ("oat", "plant")}
#: art genres named by what the picture shows, and the content each needs (category names or printed names)
GENRE_NEEDS = {**dict.fromkeys(("history painting", "mythological painting", "allegorical painting",
                                "genre painting", "caricature", "political cartoon", "wedding photography"),
                               {"person"}),
               "religious painting": {"person", "crucifix", "altar", "chalice", "rosary", "church bell", "icon",
                                      "prayer rug", "menorah", "Buddha", "angel"},
               "war photography": {"person", "weapon", "military vehicle", "tank", "warship"}}
_GENRE_CLAIM = re.compile(r"(?:[Ii]n the genre of|[Ss]tyled as an?) (" + "|".join(sorted(map(re.escape, GENRE_NEEDS),
                                                                                   key=len, reverse=True)) + r")\b")
#: modifiers (value ids) and the categories (on the name's category chain) where they never fit
NOUN_MISFITS = {("texture", "curly"): {"animal"}, ("texture", "wavy"): {"animal"},
                ("texture", "smooth"): {"mammal", "bird"}, ("texture", "rough"): {"mammal", "bird"},
                ("pattern", "banded"): {"mammal", "bird"},
                **{("texture", v): {"diamond", "diaper"} for v in ("furry", "fuzzy", "feathery", "velvety", "silky")}}
#: hue words no weapon or ammunition takes (party and pastel hues: "neon purple ammunition", "a bright turquoise
#: missile", "a baby pink grenade"): a colour value id with one of these words
WEAPON_HUE_WORDS = {"neon", "pastel", "baby", "bubblegum", "hot", "electric", "fuchsia", "magenta", "lilac",
                    "lavender", "pink", "purple", "violet", "turquoise", "aqua", "cyan", "lime", "mint", "peach",
                    "salmon", "coral", "rose", "blush", "orchid", "mauve", "plum", "raspberry", "seafoam", "sky"}
#: words that mute a hue to one a weapon may take ("grey purple", "purple brown")
MUTED_WORDS = {"grey", "gray", "brown", "dull", "dusty", "slate", "greyish", "brownish"}
#: textures a kind (printed names) never has: shoes of leather, canvas or rubber
_SHOE_TEXTURES = {"woolly", "feathery", "gauzy", "sheer", "silky", "ribbed", "shaggy"}
KIND_TEXTURE_MISFITS = dict.fromkeys(("shoe", "running shoe", "boot", "ski boot", "sneaker", "sandal", "cleats",
                                      "riding boot", "hiking boot", "rubber boot", "tennis shoe"), _SHOE_TEXTURES)
#: drinks no flavour is said of (printed names; "chocolate champagne", "hazelnut champagne", "chocolate ice water")
UNFLAVOURED_DRINKS = {"wine", "red wine", "white wine", "pink wine", "sparkling wine", "champagne", "water",
                      "ice water", "drinking water", "bottled water", "spring water", "mineral water", "soda water",
                      "seltzer", "branch water", "table wine", "dessert wine", "Chianti", "Cabernet", "port",
                      "sherry", "vermouth", "sake"}


def noun_defects(row: dict, chain: dict) -> set[str]:
    """The noun and modifier checks a row fails (``NOUN_CHECKS``).  ``chain``: printed name -> its name and the
    names of the categories above it.

    >>> noun_defects({"objects": [{"name": "headphone", "category": "device", "attributes": []}],
    ...               "scene_attributes": [], "caption": ""}, {})
    {'plural_singular'}
    """
    hit = set()
    kinds = []
    for o in row["objects"]:
        words = o["name"].split(" ")
        if words[-1] in PLURAL_ONLY_SINGULAR or (words[-1], o["category"]) in PLURAL_ONLY_SINGULAR_IN:
            hit.add("plural_singular")
        up = set(chain.get(o["name"], (o["name"], o["category"]))) | {o["category"], o["name"]}
        kinds.append(up)
        for a in o["attributes"]:
            if NOUN_MISFITS.get((a["type"], a["value"]), set()) & up:
                hit.add("fit_" + a["type"])
            if a["type"] == "flavour" and o["name"] in UNFLAVOURED_DRINKS:
                hit.add("fit_flavour")
            if a["type"] == "texture" and a["value"] in KIND_TEXTURE_MISFITS.get(o["name"], ()):
                hit.add("fit_texture")
            words = set(a["value"].split("_"))
            if a["type"] == "colour" and "weapon" in up and WEAPON_HUE_WORDS & words and not MUTED_WORDS & words:
                hit.add("fit_colour")
    texts = [row.get("caption") or ""] + [q["question"] for q in row.get("questions") or ()]
    for text in texts:
        if MADE_MASS.search(text):
            hit.add("piece_unit")
        if MASS_COUNT.search(text):
            hit.add("mass_count")
        for m in _GENRE_CLAIM.finditer(text):
            if not any(k & GENRE_NEEDS[m.group(1)] for k in kinds):
                hit.add("genre_content")
    if pair_some(row):
        hit.add("pair_some")
    return hit


def pair_some(row: dict) -> bool:
    """A caption that introduces a thing of two joined parts with "some" (``PAIR_SOME``: "some red scissors"),
    where the words between "some" and the noun are its own: words of its attributes' values or of its name.  A
    match whose words run on into the rest of a clause ("Some eel is below the pajamas": the eel is "some") is none.

    >>> obj = {"name": "pajamas", "attributes": [{"type": "colour", "value": "dark_red"}]}
    >>> pair_some({"objects": [obj], "caption": "There are some dark red pajamas."})
    True
    >>> pair_some({"objects": [obj, {"name": "eel", "attributes": []}], "caption": "Some eel is below the pajamas."})
    False
    """
    caption = row.get("caption") or ""
    own = set()
    for o in row["objects"]:
        own.update(re.split(r"[\s_-]+", o["name"].lower()))
        for a in o["attributes"]:
            own.update(re.split(r"[\s_-]+", a["value"].lower()))
    for m in PAIR_SOME.finditer(caption):
        words = m.group(0).split(" ")[1:]
        # the span's words before its last (the paired noun): each must be the thing's own (hyphenated parts too)
        if all(all(w in own for w in re.split(r"[-]+", x.lower()) if w) for x in words[:-1]):
            return True
    return False


#: acts and kinds round 3 (``acts_and_kinds_defects``; hand reading of ``gas sample -n 1000 --seed 3 / 5 / 7`` of a
#: file of acting people and animals and 150 rows of the default file with relations, ``--seed 2031``): mammals of
#: the water (printed names) at the acts of land mammals, birds posed as people, fish at acts of the land
WATER_MAMMALS = {"dolphin", "grey whale", "whale", "killer whale", "sperm whale", "blue whale", "humpback whale",
                 "porpoise", "narwhal", "beluga", "sea lion", "seal", "harbor seal", "fur seal", "elephant seal",
                 "walrus", "manatee", "dugong"}
LAND_ACTS = re.compile(r"^(walking|running_|standing_|sitting_(?:in|under|at|next_to|across_from)$|climbing|riding$|"
                       r"leaning_|hiding_(?:behind|under|in)$|wading|hiking|patrolling|skating|sledding|skateboarding|"
                       r"grazing_on$|peeling$|curled_up_on$|crouching_behind$|towing$|wearing$|clutching$|"
                       r"holding_in_its_paws$|dragging$|pulling$|stepping_|lying_next_to$)")
BIRD_AS_PERSON = re.compile(r"^(lying_(?:on|next_to)$|sitting_(?:under|next_to)$|leaning_on$)")
FISH_LAND = {"crossing", "bouncing", "drinking_from", "posing_for", "happy_to_see", "waiting_for", "blocking"}
#: poses of a subject lying, sitting or kneeling, which carries and drags nothing along ("a lying man carrying a box")
LOW_POSES = {"reclining", "sleeping", "curled_up", "basking", "sunbathing", "sitting", "meditating", "kneeling",
             "crouching"}
CARRY_ACTS = {"carrying", "carrying_in_its_mouth", "carrying_in_its_beak", "carrying_on_its_back", "dragging",
              "pulling_along"}
#: acts that need their object seated ("a horse ridden by a standing singer") or upright and moving ("leading a
#: swimming girl by the hand"), and the object poses that contradict them
OBJECT_SEATED = {"ridden_by", "on_the_lap_of", "sitting_on_the_lap_of", "carrying_on_shoulders",
                 "giving_a_piggyback_ride_to", "pushing_in_a_wheelchair", "pushing_in_a_stroller", "pushing_on_a_swing"}
OBJECT_UPRIGHT = {"leading_by_the_hand", "leading", "riding_on_the_shoulders_of"}
#: acts that hold their object up ("lifts a jumping wild dog"): no object in motion (``MOVING_POSES``)
OBJECT_HELD = {"lifting", "picking_up", "carrying", "cradling", "holding", "carrying_in_its_mouth",
               "carrying_in_its_beak", "carrying_on_its_back"}
NOT_SEATED = {"standing", "posing", "walking", "running", "jumping", "galloping", "trotting", "prowling", "dancing",
              "diving", "swimming", "flying", "soaring", "hovering", "crawling", "slithering", "kneeling", "crouching",
              "curled_up", "basking", "sunbathing"}
NOT_UPRIGHT = {"sitting", "reclining", "sleeping", "resting", "kneeling", "crouching", "curled_up", "basking",
               "meditating", "sunbathing", "swimming", "diving", "flying", "soaring"}
#: symmetric postures and gaits: the object does what the subject does ("a golfer lies next to a walking surfer")
SYMMETRIC_POSTURES = {"lying_next_to", "sitting_next_to", "standing_next_to", "sitting_across_from", "walking_with",
                      "dancing_with", "playing_tag_with", "racing"}
#: season and weather against the place and the light (scene-attribute value ids as type:value)
WINTER_WORDS = {"season:winter", "season:midwinter", "season:christmas_season"} | {f"weather:{v}" for v in (
    "light_snow", "heavy_snow", "blizzard", "sleet", "freezing_fog", "crisp_frosty_air", "snow_flurry", "whiteout",
    "ice_storm")}
SNOW_WORDS = WINTER_WORDS - {"season:winter", "season:midwinter", "season:christmas_season"}
HEAT_WORDS = {f"weather:{v}" for v in ("heat_wave", "humid_heat", "balmy_evening", "monsoon_rain", "tropical_storm")}
SUMMER_WORDS = {"season:summer", "season:midsummer", "season:late_summer"} | HEAT_WORDS
#: places where snow or heat cannot be (a canyon, a rice paddy or a lagoon may see snow; a glacier, summer)
HOT_PLACES = {f"location:{v}" for v in ("sandy_desert", "scrub_desert", "desert_road", "badlands", "rainforest")}
SNOW_PLACES = {f"location:{v}" for v in ("ski_slope", "snowy_mountain", "snowfield", "glacier", "crevasse", "igloo",
                                          "outdoor_ice_rink", "ice_shelf", "ice_floe", "iceberg")}
NIGHT_WORDS = {f"time_of_day:{v}" for v in ("at_night", "at_midnight", "in_the_small_hours", "before_dawn")} | {
    f"lighting:{v}" for v in ("moonlight", "starlight", "northern_lights", "fireworks")}
SUN_WORDS = {f"time_of_day:{v}" for v in ("at_noon", "in_the_early_afternoon", "in_the_afternoon", "at_mid_morning",
                                           "in_the_morning", "at_lunchtime")} | {f"lighting:{v}" for v in (
    "harsh_midday_sun", "warm_afternoon_light", "soft_morning_light", "dappled_sunlight_through_leaves")} | {
    f"weather:{v}" for v in ("bright_sunshine", "hazy_sunshine", "cloudless_sky")}
ACT_KIND_CHECKS = ("kind_act", "pose_carry", "pose_object", "season_place")


def acts_and_kinds_defects(row: dict) -> set[str]:
    """Acts and kinds round 3: the checks a row fails, judged by the fixed lists above.

    * ``kind_act``: a mammal of the water at an act of land mammals ("a dolphin walking past a man", "a grey whale
      standing in a van"), a bird posed as a person ("a pigeon sitting under a table", "a robin lying next to a man",
      "a bird sitting on a chair"), a fish at an act of the land ("a shark crossing a bridge", "a fish posing for");
    * ``pose_carry``: a subject lying, sitting or kneeling that carries or drags something along;
    * ``pose_object``: an object whose pose contradicts the act done to it ("a horse ridden by a standing singer",
      "leading a swimming girl by the hand") or the posture it shares with its subject ("a golfer lies next to a
      walking surfer");
    * ``season_place``: snow, sleet or frost at a desert or a rainforest, hot weather at a snowy or icy place, a
      sunlit thing at night, a moonlit one by day, a snow- or frost-covered one in summer or at a hot place.
    """
    hit = set()
    objs = row["objects"]
    for e in row["relations"]:
        s, o, p = objs[e["subject"]], objs[e["object"]], e["predicate"]
        if (s["name"] in WATER_MAMMALS and LAND_ACTS.match(p)) \
                or (s["category"] == "bird" and (BIRD_AS_PERSON.match(p)
                                                  or (p == "sitting_on" and o["category"] == "furniture"))) \
                or (s["category"] == "fish" and p in FISH_LAND):
            hit.add("kind_act")
        own = {a["value"] for a in s["attributes"] if a["type"] == "pose"}
        if own & LOW_POSES and p in CARRY_ACTS:
            hit.add("pose_carry")
        other = {a["value"] for a in o["attributes"] if a["type"] == "pose"}
        if (p in OBJECT_SEATED and other & NOT_SEATED) or (p in OBJECT_UPRIGHT and other & NOT_UPRIGHT) \
                or (p in OBJECT_HELD and other & MOVING_POSES):
            hit.add("pose_object")
        if p in SYMMETRIC_POSTURES:  # the posture table of ``posture_defects``, read on the object
            acts = {g for g, rx in ACT_POSTURE if rx.match(p)}
            if any((POSE_POSTURE.get(v), g) in POSTURE_CLASH for v in other for g in acts):
                hit.add("pose_object")
    scene = {f"{a['type']}:{a['value']}" for a in row.get("scene_attributes", [])}
    values = {a["value"] for ob in objs for a in ob["attributes"]}
    if (scene & SNOW_WORDS and scene & HOT_PLACES) or (scene & HEAT_WORDS and scene & SNOW_PLACES) \
            or ("sunlit" in values and scene & NIGHT_WORDS) or ("moonlit" in values and scene & SUN_WORDS) \
            or (values & {"snow_covered", "frost_covered"} and scene & (SUMMER_WORDS | HOT_PLACES)):
        hit.add("season_place")
    return hit


#: sculptors whose known works are unpainted stone, bronze or clay: their style shows neither colour nor the
#: object's own material ("in the style of Gian Lorenzo Bernini, a transparent slate blue business suit")
SCULPTORS = ("alberto_giacometti", "aristide_maillol", "auguste_rodin", "barbara_hepworth", "constantin_brancusi",
             "daniel_chester_french", "donatello", "gaston_lachaise", "gian_lorenzo_bernini", "henry_moore",
             "jacob_epstein", "jacques_lipchitz", "lorado_taft", "malvina_hoffman", "thomas_crawford")
#: values that hide colour, named in the hiding round two (the first round's are ``COLOURLESS``): monochrome ink, a
#: light that shows no colour of the things it falls on, 3D passes that replace the surface by one shade, artists
#: whose every known picture is monochrome
COLOURLESS_TWO = {"art_style:chinese_ink_painting", "lighting:ultraviolet_blacklight"} | {
    f"render_style:{v}" for v in ("hologram_render", "uv_checker_render", "matcap_render")} | {
    f"artist:{v}" for v in (  # black-and-white photographers, pen-and-ink and engraved illustration, cartoons
        "ansel_adams", "dorothea_lange", "henri_cartier_bresson", "diane_arbus", "eadweard_muybridge",
        "mathew_brady", "julia_margaret_cameron", "william_henry_fox_talbot", "edward_weston", "alfred_stieglitz",
        "robert_capa", "aubrey_beardsley", "gustave_dore", "sir_john_tenniel", "thomas_nast", "george_du_maurier",
        "charles_dana_gibson", "hablot_knight_browne", "m_c_escher", "franz_kline", "james_thurber",
        "bill_mauldin", "david_low", "shel_silverstein", "rube_goldberg")} | {f"artist:{v}" for v in SCULPTORS}
#: values whose picture is made of its own material, or shows no surface at all: an object's own material word
#: cannot show ("rendered as a marble sculpture, a wooden chair"; "a Lego model" of "a leather bag")
MATERIAL_HIDDEN = {f"medium:{v}" for v in (
    "marble_sculpture", "bronze_sculpture", "wood_carving", "clay_sculpture", "ice_sculpture", "sand_sculpture",
    "lego_model", "origami_sculpture", "paper_cut_out", "papercraft_diorama", "knitted_figure",
    "needle_felted_figure", "wax_figure")} | {f"render_style:{v}" for v in (
    "wireframe_render", "silhouette_render", "x_ray_render", "blueprint_render", "depth_map_render", "clay_render",
    "ambient_occlusion_pass", "normal_map_view", "matcap_render", "uv_checker_render", "hologram_render")} | {
    "camera_gear:thermal_camera"} | {f"artist:{v}" for v in SCULPTORS}
#: values that show no surface (outline, mesh, one shade, heat): no pattern or texture word shows either
SURFACE_HIDDEN = MATERIAL_HIDDEN - {f"artist:{v}" for v in SCULPTORS} - {f"medium:{v}" for v in (
    "marble_sculpture", "bronze_sculpture", "wood_carving", "clay_sculpture", "ice_sculpture", "sand_sculpture",
    "lego_model", "origami_sculpture", "paper_cut_out", "papercraft_diorama", "knitted_figure",
    "needle_felted_figure", "wax_figure")}


def hidden_surface_defects(row: dict) -> set[str]:
    """Hiding round two (``gas sample -n 1000 --seed 41`` of the default file and of ``constraints/3d_objects.toml``):
    the checks a row fails, judged by the fixed lists above.

    * ``shown_colour``: a colour word (or one naming colours: ``COLOUR_NAMING``) beside a value of
      ``COLOURLESS_TWO`` ("in the style of Chinese ink painting, ... a scarlet military uniform"; "lit by
      ultraviolet blacklight, a red wolf"; "shown as a hologram render, a deep violet shirt"; "in the style of
      Eadweard Muybridge, ... a periwinkle blue Dutch oven");
    * ``shown_material``: a material word beside a value of ``MATERIAL_HIDDEN`` ("shown as an X-ray render, a
      wooden spoon"; "rendered as an origami sculpture, a leather boot");
    * ``shown_surface``: a pattern or texture word beside a value of ``SURFACE_HIDDEN`` ("shown as a wireframe
      render, a plaid sombrero"; "a silhouette render" of "a furry hat").
    """
    keys = {f"{a['type']}:{a['value']}" for a in row["scene_attributes"]}
    words = [(a["type"], a["value"]) for o in row["objects"] for a in o["attributes"]]
    hit = set()
    if keys & COLOURLESS_TWO and any(t == "colour" or (t, v) in COLOUR_NAMING for t, v in words):
        hit.add("shown_colour")
    if keys & MATERIAL_HIDDEN and any(t == "material" for t, _ in words):
        hit.add("shown_material")
    if keys & SURFACE_HIDDEN and any(t in ("pattern", "texture") for t, _ in words):
        hit.add("shown_surface")
    return hit


SURFACE_CHECKS = ("shown_colour", "shown_material", "shown_surface")


#: fit round 7 (``kind_fit_defects``; hand reading of ``gas sample -n 300 --seed 4401`` of the default file and of
#: ``gas sample -n 1000 --seed 4401`` of acting animals): poses a kind does not take, by printed name or category
HOOFED = {"horse", "pony", "mare", "stallion", "colt", "foal", "mustang", "wild horse", "zebra", "donkey", "mule",
          "camel", "elephant", "African elephant", "Indian elephant", "rhino", "hippopotamus", "giraffe", "deer",
          "red deer", "moose", "elk", "bison", "buffalo", "water buffalo", "impala", "antelope", "gazelle", "cow",
          "bull", "ox", "calf", "sheep", "lamb", "ram", "goat", "pig", "llama"}
HOOFED_CATEGORIES = {"mount", "livestock"}
LOW_KIND_POSES = {"sitting", "crouching", "curled_up", "reclining", "basking"}
BASKING_KINDS = {"reptile", "amphibian", "aquatic_mammal", "pet"}
WATER_BIRDS = {"duck", "drake", "duckling", "goose", "swan", "black swan", "mute swan", "pelican", "penguin",
               "king penguin", "emperor penguin", "gull", "seagull", "cormorant", "puffin", "loon", "grebe",
               "albatross", "mallard", "teal", "coot", "heron", "egret", "kingfisher", "gannet", "tern"}
HOVERING_BIRDS = {"hummingbird", "kestrel"}
SINGING_MISFITS = {"penguin", "king penguin", "emperor penguin", "hen", "chick", "rooster", "cock", "turkey",
                   "tom turkey", "poultry", "chicken", "duck", "drake", "goose", "swan", "black swan", "pelican",
                   "flamingo", "gull", "seagull"}
ELEPHANTS = {"elephant", "African elephant", "Indian elephant"}
NOT_JUMPING = ELEPHANTS | {"camel", "cattle", "cow", "bull", "ox", "bullock", "heifer"}
#: shapes a kind is not made in (category -> shape values), from the reading and the tallies: "a green onion that is
#: oval", "a triangular egg roll", "a triangular donut", "a curved lemon", "an octagonal pot", "a conical backpack"
SHAPE_MISFITS = {
    "vegetable": None, "dish": None,  # None: no shape at all
    "fruit": {"curved", "elongated", "lumpy", "irregular", "flat"},
    "baked_good": {"triangular", "hexagonal", "octagonal", "cube_shaped", "diamond_shaped", "crescent_shaped",
                   "pyramid_shaped", "bell_shaped", "dome_shaped", "boxy", "egg_shaped", "spiral", "twisted"},
    "container": {"bell_shaped", "conical", "hexagonal", "octagonal", "triangular", "cube_shaped",
                  "star_shaped", "diamond_shaped", "crescent_shaped", "pyramid_shaped", "dome_shaped", "spherical",
                  "egg_shaped", "asymmetrical"},
    "kitchenware": {"diamond_shaped", "hexagonal", "octagonal", "star_shaped", "triangular", "crescent_shaped",
                    "heart_shaped", "bell_shaped", "dome_shaped", "boxy", "conical", "asymmetrical"},
    "accessory": {"crescent_shaped", "triangular", "hexagonal", "octagonal", "star_shaped", "diamond_shaped",
                  "asymmetrical", "conical", "cylindrical"},
    "furniture": {"hexagonal", "octagonal", "kidney_shaped", "tapered", "triangular", "boxy", "asymmetrical"},
    "toy": {"dome_shaped", "bell_shaped", "pyramid_shaped", "crescent_shaped", "conical", "egg_shaped", "hollow",
            "octagonal", "hexagonal", "triangular", "cube_shaped", "boxy"},
    "vehicle": {"asymmetrical"}, "device": {"asymmetrical"}, "tool": {"asymmetrical"}}
#: shapes of named kinds (printed names): "a spiral swing door", "a streamlined spider web", "a jagged gun"
NAMED_SHAPE_MISFITS = {"swing door": {"spiral", "l_shaped", "u_shaped", "angular", "asymmetrical", "domed"},
                       "screen door": {"u_shaped", "spiral"}, "car door": None, "spider web": None,
                       "gun": None, "assault gun": None, "teddy bear": None, "shower curtain": None,
                       "pool table": {"heart_shaped", "oval", "boxy", "round", "star_shaped"}}
#: textures a kind's cloth or skin never has (printed names or categories -> values): "woolly jeans", "a sheer
#: military uniform", "a gauzy sweat pants", "a woolly bra", "a knobbly grape", "a walnut that is thorny"
_TROUSERS = ("jeans", "sweat pants", "trousers", "shorts", "pants", "slacks", "breeches", "chinos")
_FORMAL = ("military uniform", "suit", "business suit", "shirt", "sport shirt", "dress shirt", "dinner jacket",
           "lab coat", "blazer", "uniform")
_UNDER = ("bra", "underwear", "briefs", "panties", "undershirt")
TEXTURE_MISFITS = {
    **dict.fromkeys(_TROUSERS, {"woolly", "feathery", "furry", "shaggy", "gauzy", "sheer", "fluffy", "knitted",
                                "crocheted", "quilted", "studded", "layered"}),
    **dict.fromkeys(_FORMAL, {"sheer", "gauzy", "furry", "feathery", "woolly", "shaggy", "fluffy", "knitted",
                              "crocheted"}),
    **dict.fromkeys(_UNDER, {"woolly", "furry", "feathery", "shaggy", "quilted", "knitted", "crocheted", "studded"}),
    "apron": {"fluffy", "furry", "feathery", "shaggy", "woolly"},
    "walnut": {"thorny", "spiky", "prickly"}, "almond": {"thorny", "spiky", "prickly"},
    "peanut": {"thorny", "spiky", "prickly"}, "nut": {"thorny", "spiky", "prickly"}}
CATEGORY_TEXTURE_MISFITS = {"fruit": {"knobbly", "bumpy", "thorny", "spiky", "prickly", "crinkled"},
                            "flower": {"thorny", "prickly", "spiky"}, "furniture": {"grooved"}}
#: jewellery (printed names): no cloth print, no fraying ("a pinstriped necklace", "a frayed earring")
JEWELLERY = {"necklace", "bracelet", "earring", "ring", "chain", "pendant earring", "anklet", "brooch"}
TEXTILE_PRINTS = {"tartan", "plaid", "gingham", "houndstooth", "herringbone", "argyle", "paisley", "pinstriped",
                  "tie_dyed", "leopard_print", "zebra_print", "tiger_print", "snakeskin_print", "polka_dot",
                  "camouflage"}
#: artwork made of printed cloth, which takes a print (round 8: "a paisley banner")
PRINTED_ARTWORK = {"banner"}
CLOTH_CONDITIONS = {"torn", "tattered", "frayed", "wrinkled", "crumpled", "patched", "folded"}
JEWELLED_WEAPONS = {"sword", "dagger", "sabre", "saber", "scimitar", "rapier", "broadsword", "knife"}
#: landscape genres and painters of the open air only (scene-attribute keys), against small or indoor things and rooms:
#: "in the genre of landscape photography, a hockey stick and a sliding board", "set in a royal bedchamber and in the
#: style of Luminism", "in the style of the Hudson River School and set in a pet shop"
LANDSCAPE_GENRES = {"subject_genre:landscape_painting", "subject_genre:landscape_photography"}
LANDSCAPE_STYLES = {f"art_style:{v}" for v in ("hudson_river_school", "luminism", "barbizon_school")} | {
    f"artist:{v}" for v in ("albert_bierstadt", "frederic_edwin_church", "thomas_cole", "john_constable",
                            "ivan_aivazovsky", "alfred_sisley", "nicholas_roerich", "j_m_w_turner",
                            "caspar_david_friedrich", "camille_corot", "bob_ross", "tom_thomson", "kawase_hasui")}
NOT_LANDSCAPE = {"furniture", "kitchenware", "clothing", "accessory", "tool", "toy", "fruit", "vegetable", "dish", "baked_good", "drink", "musical_instrument", "body_part", "substance",
                 "light", "screen", "appliance", "instrument", "device_part", "insect"}
#: things of those categories that belong in the open land (round 9): a kite flies over a landscape
OPEN_LAND_THINGS = {"kite"}
INDOOR_SETTINGS = {"home", "public", "industrial", "enclosed"}
FIT_KIND_CHECKS = ("pose_kind", "fit_shape", "fit_cloth", "fit_print", "genre_place")


def kind_fit_defects(row: dict, chain: dict, settings_of: dict | None = None) -> set[str]:
    """Fit round 7: the checks a row fails, judged by the fixed lists above.  ``chain``: printed name -> its name and
    the names of the categories above it (``category_chains``).

    * ``pose_kind``: a pose the animal's kind does not take: a hoofed animal (a horse, a camel, an elephant, a
      farm animal, a deer, a giraffe, a zebra, a rhino) sitting, crouching, curled up, reclining or basking; any
      other mammal basking but a pet or a mammal of the water ("a basking kangaroo"); a land bird swimming or diving
      ("a swimming hen"), any bird but a hummingbird hovering; a penguin, a farm bird or a bird of the water
      singing; an elephant trotting or galloping; an elephant, a camel or cattle jumping; a reptile reclining; a
      farm animal or a zebra swimming;
    * ``fit_shape``: a shape the kind is not made in (``SHAPE_MISFITS``, ``NAMED_SHAPE_MISFITS``: "a green onion
      that is oval", "a triangular egg roll", "an octagonal pot", "a spiral swing door");
    * ``fit_cloth``: a texture the kind's cloth or skin never has (``TEXTURE_MISFITS``: "woolly jeans", "a sheer
      military uniform", "a woolly bra"; ``CATEGORY_TEXTURE_MISFITS``: "a knobbly grape", "a grooved barber chair");
    * ``fit_print``: a cloth print on a painting or a jewel ("a houndstooth oil painting", "a pinstriped
      necklace"), a jewel frayed or torn, a weapon but a blade jewelled ("a jewelled grenade");
    * ``genre_place``: a landscape genre beside a small or indoor thing (``NOT_LANDSCAPE``), a landscape style or
      painter (``LANDSCAPE_STYLES``) set in a room, a workplace or a small enclosed place (``settings_of``:
      location id -> its setting).

    >>> kind_fit_defects({"objects": [{"name": "horse", "category": "mount",
    ...                                "attributes": [{"type": "pose", "value": "reclining"}]}]}, {})
    {'pose_kind'}
    """
    hit = set()
    for o in row["objects"]:
        name = o["name"]
        kind = chain.get(name, (name, o["category"]))
        # the categories above (ids and printed names alike); a printed name may stand for two concepts ("dish": a
        # plate or a food), so the chain is read only where its category is this one's
        up = (set(kind[1:]) if o["category"] in kind[1:2] else set()) | {o["category"]}
        for a in o["attributes"]:
            if a["type"] != "pose":
                continue
            v = a["value"]
            hoofed = name in HOOFED or up & HOOFED_CATEGORIES
            if (hoofed and v in LOW_KIND_POSES) \
                    or (v == "basking" and "mammal" in up and not up & BASKING_KINDS) \
                    or ("bird" in up and v in ("swimming", "diving") and name not in WATER_BIRDS) \
                    or ("bird" in up and v == "hovering" and name not in HOVERING_BIRDS) \
                    or (v == "singing" and name in SINGING_MISFITS) \
                    or (name in ELEPHANTS and v in ("trotting", "galloping")) or (name in NOT_JUMPING and v == "jumping") \
                    or ("reptile" in up and v == "reclining") \
                    or (v == "swimming" and (name == "zebra" or "livestock" in up)):
                hit.add("pose_kind")
        for a in o["attributes"]:
            t, v = a["type"], a["value"]
            if t == "shape":
                bad = [SHAPE_MISFITS[c] for c in up if c in SHAPE_MISFITS]
                if name in NAMED_SHAPE_MISFITS:
                    bad.append(NAMED_SHAPE_MISFITS[name])
                if any(b is None or v in b for b in bad) and not (name == "banana" and v in ("curved", "elongated")):
                    hit.add("fit_shape")
            if t == "texture" and (v in TEXTURE_MISFITS.get(name, ()) or any(
                    v in CATEGORY_TEXTURE_MISFITS.get(c, ()) for c in up)):
                hit.add("fit_cloth")
            if (t == "pattern" and v in TEXTILE_PRINTS and (("artwork" in up and name not in PRINTED_ARTWORK)
                                                             or name in JEWELLERY)) \
                    or (t == "condition" and v in CLOTH_CONDITIONS and name in JEWELLERY) \
                    or (t == "finish" and v == "jewelled" and "weapon" in up and name not in JEWELLED_WEAPONS):
                hit.add("fit_print")
    keys = {f"{a['type']}:{a['value']}" for a in row.get("scene_attributes", ())}
    if keys & LANDSCAPE_GENRES and any(o["category"] in NOT_LANDSCAPE for o in row["objects"]):
        hit.add("genre_place")
    places = {(settings_of or {}).get(k.split(":", 1)[1]) for k in keys if k.startswith("location:")}
    if keys & LANDSCAPE_STYLES and places & INDOOR_SETTINGS:
        hit.add("genre_place")
    return hit


def visible_persons() -> set[str]:
    lines = (ROOT / "taxonomy" / "sources" / "visible_persons.tsv").read_text(encoding="utf-8").splitlines()
    return {line.split("\t")[1] for line in lines if line.strip() and not line.startswith("#")}


def defects(row: dict, visible: set[str], drinks: set[str], chain=None) -> set[str]:
    """The checks a row fails (``chain``: printed name -> its category and the categories above it, named)."""
    names = [(o["name"], o["category"]) for o in row["objects"]]
    here = {a for a, _ in names}
    hit = set()
    for o in row["objects"]:
        hit |= attribute_defects(o)
        hit |= round_five_defects(o)
    if any(a in KIN for a, cat in names if cat in ("person", "child")):  # children: a kind of person (round 8)
        hit.add("kin")
    if any(cat in ("person", "child") and a not in visible and a not in KIN for a, cat in names):
        hit.add("invisible_role")
    if any(n in SENSE for n in names):
        hit.add("sense")
    if here & ROLES:
        hit.add("role_noun")
    if any(p <= here for p in SYNONYMS):
        hit.add("synonym_pair")
    scene_drink = bool(here & drinks)
    chain = chain or {}
    generic_here = {a for a in here if a in chain and a in chain[a][1:]}  # "vehicle" in category vehicle
    generic_here |= {STANDS_FOR[a] for a in here if a in STANDS_FOR}  # any plant may be the potted one
    cats_here = set().union(*[chain.get(a, ()) for a in here])
    for q in row.get("questions") or ():
        if q["type"] != "existence":
            continue
        offered = []
        if q["answer"] == "no" and (m := EXISTENCE.match(q["question"])):
            offered.append(m.group(1))
        offered += [c for c in q.get("choices") or () if c != q["answer"]]
        for x in offered:
            if x in ROLES:
                hit.add("role_noun")
            if x in PICTURES:
                hit.add("picture_foil")
            if scene_drink and x in drinks:
                hit.add("drink_foil")
            if x in chain and (generic_here & set(chain[x][1:]) or (x in chain[x][1:] and x in cats_here)):
                hit.add("generic_foil")
    return hit


def name_words(name: str) -> frozenset:
    """The content words of a name ("in the late afternoon" -> {"late", "afternoon"})."""
    return frozenset(w for w in re.split(r"[\s-]+", name.lower()) if w and w not in FUNCTION_WORDS)


class QuestionAudit:
    """What the question audit's checks read from a taxonomy."""

    def __init__(self, tax):
        self.ancestors = {o.id: tax.concept_ancestors(o.id) for o in tax.objects}
        # a concept named like its category or one above it ("vehicle") stands for any concept of that category
        self.category = {o.id: o.category for o in tax.objects}
        self.generic = {}
        for o in tax.objects:
            k = o.category
            while k is not None:
                if tax.categories[k].name.lower() == o.name.lower():
                    self.generic[o.id] = tax.closure(k)
                    break
                k = tax.categories[k].parent
        self.kind = {r.name: r.kind for r in tax.relations.values()}
        self.kind.update({r.id: r.kind for r in tax.relations.values()})
        self.relation_id = {r.name: r.id for r in tax.relations.values()}
        self.tax = tax
        self.plural_only = {o.id for o in tax.objects if getattr(o, "countability", "") == "plural"}
        self.names = frozenset(o.name.lower() for o in tax.objects)
        self.named = {}
        for o in tax.objects:
            self.named.setdefault(o.name, o.id)
        self.scene = {}  # type -> (exclusive, value id -> (name, overlap groups), value name -> id)
        for t in tax.scene_attribute_types.values():
            values = {v.id: (v.name, frozenset(getattr(v, "overlap", "").split())) for v in t.values}
            self.scene[t.id] = (getattr(t, "exclusive", True), values, {n: k for k, (n, _) in values.items()})
        self.value_names = {t.id: {v.name.lower() for v in t.values} for t in tax.attribute_types.values()}

    def scene_open(self, t: str, own: str, other: str) -> bool:
        """May value ``other`` of scene-attribute type ``t`` hold together with ``own``?"""
        exclusive, values, _ = self.scene[t]
        if not exclusive:
            return True
        (a, ga), (b, gb) = values[own], values[other]
        if "*" in ga or "*" in gb or ga & gb:
            return True
        wa, wb = name_words(a), name_words(b)
        return bool(wa and wb and (wa <= wb or wb <= wa))


def _material_is(text: str, row: dict, concept_names=frozenset()) -> bool:
    """A material noun of the row's objects said after "is" / "that is" without "made of": the word ends a
    clause or a list ("Is the rod birch?", "that is yellow ochre and birch is on ...") instead of standing
    before its noun ("a birch rod").  The word ending a concept's name ("Is there a beer glass?") is that name."""
    names = {w for o in row["objects"] for w in o["name"].lower().split()}
    for o in row["objects"]:
        for a in o["attributes"]:
            m = a["value"].replace("_", " ")
            if a["type"] != "material" or m.split()[-1] not in MATERIAL_NOUNS or m.split()[-1] in names:
                continue
            longer = [n for n in concept_names if n.endswith(" " + m)]
            for k in re.finditer(rf"\b{re.escape(m)}(?=[?.,]| and | is | are |$)", text):
                head = text[:k.end()].lower()
                if not text[:k.start()].endswith("made of ") and not any(head.endswith(n) for n in longer):
                    return True
    return False


#: the relation of what a person wears (round 5): its object domain is what a person of the scene may wear unstated
WEARING = "wearing"


def worn_foil(row: dict, audit: QuestionAudit) -> bool:
    """Beside a person, an existence foil or distractor, or a choice of an open question, that the person may wear
    (its category is in the object domain of "wearing" for the person's category).

    >>> tax = load_taxonomy()
    >>> audit = QuestionAudit(tax)
    >>> lady = {"concept": audit.named["lady"], "category": "person", "name": "lady", "attributes": []}
    >>> q = {"type": "existence", "format": "yes_no", "negative": True, "question": "Is there a coat?",
    ...      "elements": [{"absent_object": audit.named["coat"]}], "choices": None, "answer": "no"}
    >>> worn_foil({"objects": [lady], "questions": [q]}, audit), worn_foil({"objects": [], "questions": [q]}, audit)
    (True, False)
    """
    tax = audit.tax
    if WEARING not in tax.relations:
        return False
    people = {audit.category[o["concept"]] for o in row["objects"]
              if audit.category[o["concept"]] in tax.closure("person")}
    if not people:
        return False
    for q in row.get("questions") or ():
        if q["type"] == "existence" and q["negative"]:
            offered = [q["elements"][0]["absent_object"]]
        elif q["format"] == "multiple_choice" and (q["type"] == "existence" or "accepted" in q):
            offered = [audit.named[c] for c in q["choices"] if c != q["answer"] and c in audit.named]
        else:
            continue
        if any(tax.relation_allows(WEARING, p, audit.category[x]) for x in offered for p in people):
            return True
    # a count of such a thing, or a group foil of one ("How many hats are there?", "Is any of the hats green?"):
    # the person's own, unstated, may be one more
    for q in row.get("questions") or ():
        if q["type"] == "count" or (q["type"] == "attribute" and q["question"].startswith("Is any of the ")):
            o = q["elements"][0]["object"]
            if any(tax.relation_allows(WEARING, p, audit.category[row["objects"][o]["concept"]]) for p in people):
                return True
    return False


#: words of a predicate that go after its object ("in its mouth"), said before one (round 5)
TAIL_FIRST = re.compile(r"\b(?:(?:in|on) its \w+|on (?:(?:their|his|her) )?shoulders) (?:the|a|an|some|another) ")


def tail_order(row: dict) -> bool:
    """A question with a predicate's after-object words before its object.

    >>> tail_order({"questions": [{"question": "Is the Jersey carrying in its mouth the hangbird?"}]})
    True
    >>> tail_order({"questions": [{"question": "Is the Jersey carrying the hangbird in its mouth?"}]})
    False
    """
    return any(TAIL_FIRST.search(q["question"]) for q in row.get("questions") or ())


def option_overlap(row: dict, audit: QuestionAudit) -> bool:
    """A relation or scene-attribute multiple-choice question with two options that may both be true: one
    predicate entails the other, or two scene-attribute values may hold together.

    >>> audit = QuestionAudit(load_taxonomy())
    >>> q = {"type": "relation", "format": "multiple_choice", "question": "How is the wolf related to the car?",
    ...      "answer": "under", "choices": ["on the back of", "on", "under"], "elements": [{}]}
    >>> option_overlap({"questions": [q]}, audit), option_overlap({"questions": [dict(q, choices=["on", "under"])]}, audit)
    (True, False)
    """
    entails = audit.tax.relation_entails
    for q in row.get("questions") or ():
        if q["format"] != "multiple_choice" or "accepted" in q:
            continue
        if q["type"] == "relation":
            ids = [audit.relation_id[c] for c in q["choices"]]
            if any(a != b and b in entails.get(a, ()) for a in ids for b in ids):
                return True
        elif q["type"] == "scene_attribute":
            t = q["elements"][0]["scene_attribute"][0]
            by_name = audit.scene[t][2]
            ids = [by_name[c] for c in q["choices"]]
            if any(a != b and audit.scene_open(t, a, b) for a in ids for b in ids):
                return True
    return False


#: round 6: a role noun names its gear by the gear's name: "tennis player" / "tennis ball", "drummer" / "drum",
#: "pianist" / "piano" (an agent suffix on the gear's last word, a dropped final e or o); gear of these categories
ROLE_GEAR_CATEGORIES = ("musical_instrument", "sports_equipment", "vehicle")
_AGENT_SUFFIXES = ("er", "mer", "ist", "r", "man", "ter")
#: last words an agent noun is made of without naming its gear (a boxer's box, a horseman's iron horse)
_NOT_GEAR_WORDS = ("box", "horse")


def role_names_gear(role: str, thing: str) -> bool:
    """Does the person noun ``role`` name ``thing`` as its gear, by the words alone?

    >>> role_names_gear("drummer", "bass drum"), role_names_gear("tennis player", "tennis ball")
    (True, True)
    >>> role_names_gear("pianist", "grand piano"), role_names_gear("boxer", "music box")
    (True, False)
    """
    rw = [w for w in re.split(r"[ -]", role.lower()) if w]
    tw = [w for w in re.split(r"[ -]", thing.lower()) if w]
    if len(rw) == 2 and rw[1] == "player" and tw[0].startswith(rw[0]):
        return True
    head = tw[-1]
    if len(rw) != 1 or len(head) < 3 or head in _NOT_GEAR_WORDS:
        return False
    bases = {head, head[:-1]} if head[-1] in "eo" else {head}
    return any(rw[0] == b + s for b in bases for s in _AGENT_SUFFIXES)


def role_gear(row: dict, audit: QuestionAudit) -> bool:
    """Beside a person whose role noun names its gear, that gear as an existence foil or distractor, a choice of an
    open question, or counted ("Is there a drum?" beside a drummer: the picture shows the drummer's drum).

    >>> audit = QuestionAudit(load_taxonomy())
    >>> drummer = {"concept": audit.named["drummer"], "name": "drummer", "category": "person", "attributes": []}
    >>> q = {"type": "existence", "format": "yes_no", "negative": True, "question": "Is there a drum?",
    ...      "elements": [{"absent_object": audit.named["drum"]}], "choices": None, "answer": "no"}
    >>> role_gear({"objects": [drummer], "questions": [q]}, audit), role_gear({"objects": [], "questions": [q]}, audit)
    (True, False)
    """
    tax = audit.tax
    people = [o["name"] for o in row["objects"] if o["category"] in tax.closure("person")] \
        if "person" in tax.categories else []
    if not people:
        return False
    gear_cats = tax.closure_of([c for c in ROLE_GEAR_CATEGORIES if c in tax.categories])

    def gear(concept: str) -> bool:
        return audit.category[concept] in gear_cats and any(
            role_names_gear(p, tax.object(concept).name) for p in people)

    for q in row.get("questions") or ():
        if q["type"] == "existence" and q["negative"]:
            offered = [q["elements"][0]["absent_object"]]
        elif q["format"] == "multiple_choice" and (q["type"] == "existence" or "accepted" in q):
            offered = [audit.named[c] for c in q["choices"] if c != q["answer"] and c in audit.named]
        elif q["type"] == "count":
            offered = [row["objects"][q["elements"][0]["object"]]["concept"]]
        else:
            continue
        if any(gear(x) for x in offered):
            return True
    return False


#: round 6: attribute values named by a noun that no English sentence says after "is" ("the ale is blackberry",
#: "a wolf that is baby"): every flavour, and the age "baby"
NOUN_VALUE_TYPES = ("flavour",)
NOUN_VALUES = (("age", "baby"),)


def noun_predicate(row: dict) -> bool:
    """A caption or question saying a noun-named value of an object after "is" / "that is" / "and" as if it were
    an adjective ("Is the ale blackberry?", "some red wine that is almond", "a wolf that is baby").  The value
    before its noun ("some blackberry ale", "a baby wolf") and a thing of that name ("Is there an almond?") are
    not.

    >>> ale = {"name": "ale", "attributes": [{"type": "flavour", "value": "blackberry"}]}
    >>> noun_predicate({"objects": [ale], "caption": "There is some ale that is blackberry.", "questions": []})
    True
    >>> noun_predicate({"objects": [ale], "caption": "There is some blackberry ale.",
    ...                 "questions": [{"question": "Is the ale blackberry-flavoured?"}]})
    False
    """
    names = {o["name"].lower() for o in row["objects"]}  # "Is there coffee?" beside coffee-flavoured coffee
    said = [v for o in row["objects"] for a in o["attributes"]
            if (a["type"] in NOUN_VALUE_TYPES or (a["type"], a["value"]) in NOUN_VALUES)
            and (v := a["value"].replace("_", " ")) not in names]
    if not said:
        return False
    texts = [row.get("caption") or ""] + [q["question"] for q in row.get("questions") or ()]
    for v in said:
        pattern = re.compile(rf"(?<!\ba )(?<!\ban )(?<!\bthe )(?<!\bsome )(?<!\bany )\b{re.escape(v)}"
                             rf"(?=[?.,]| and | is | are |$)", re.IGNORECASE)
        if any(pattern.search(t) for t in texts):
            return True
    return False


def existence_offered(q: dict, audit) -> list:
    """The concepts an existence question offers besides the scene's own: its absent object (a "no" question) or
    its wrong choices (multiple choice); none for any other question."""
    if q["type"] != "existence":
        return []
    if q["negative"]:
        return [q["elements"][0]["absent_object"]]
    if q["format"] == "multiple_choice":
        return [audit.named[c] for c in q["choices"] if c != q["answer"] and c in audit.named]
    return []


def material_foil(row: dict, audit: QuestionAudit) -> bool:
    """An existence foil or distractor naming a material (a mass noun named like a value of the "material" type,
    or a kind of one: "porcelain", "china", "leather") beside an object whose material the scene leaves unstated and
    whose taxonomy domain holds it: "Is there porcelain?" beside a soup bowl, "leather" among the wrong choices
    beside a blazer (round 6).

    >>> audit = QuestionAudit(load_taxonomy())
    >>> bowl = {"concept": audit.named["soup bowl"], "name": "soup bowl", "attributes": []}
    >>> q = {"type": "existence", "format": "yes_no", "negative": True, "question": "Is there china?",
    ...      "elements": [{"absent_object": audit.named["china"]}], "choices": None, "answer": "no"}
    >>> material_foil({"objects": [bowl], "questions": [q]}, audit)
    True
    >>> material_foil({"objects": [dict(bowl, attributes=[{"type": "material", "value": "steel"}])],
    ...                "questions": [q]}, audit)
    False
    """
    tax = audit.tax
    if "material" not in tax.attribute_types:
        return False
    by_name = {v.name.lower(): v.id for v in tax.attribute_types["material"].values}

    def material_of(concept: str) -> set:  # the material values a concept's name, or a kind it is, says
        return {by_name[n] for n in {tax.object(c).name.lower() for c in {concept, *audit.ancestors[concept]}
                                     if tax.object(c).countability == "mass"}  # stuff, not a golf "iron"
                if n in by_name}

    open_domains = [tax.concept_attribute_domain(o["concept"]).get("material", frozenset())
                    for o in row["objects"] if not any(a["type"] == "material" for a in o["attributes"])]
    if not open_domains:
        return False
    for q in row.get("questions") or ():
        offered = existence_offered(q, audit)
        if any(material_of(x) & d for x in offered if tax.object(x).countability == "mass" for d in open_domains):
            return True
    return False


#: round 6: a style phrase that says "style" twice ("in the style of bohemian style", "... of Swiss Style graphic
#: design": round 19r) or a school without its article ("in the style of Barbizon School", "reimagined in Barbizon
#: School"); an artist's style beside it ("in the style of Henri Matisse reimagined in bohemian style") or a model
#: style after "and" ("in the style of Realism and as a retro PS1-style 3D model") is another phrase
STYLE_PHRASE = re.compile(r"\b(?:style of (?:(?!reimagined |and )[\w' -])*\b(?i:style)\b|(?:style of|reimagined in) (?!the )[A-Z][\w'-]*"
                          r"(?: [A-Z][\w'-]*)* School\b)")


def style_phrase(row: dict) -> bool:
    """A caption or question with a style phrase that says "style" twice or names a school without "the".

    >>> style_phrase({"caption": "In the style of Barbizon School, there is a dog.", "questions": []})
    True
    >>> style_phrase({"caption": "In the style of Swiss Style graphic design, a dog.", "questions": []})
    True
    >>> style_phrase({"caption": "In the style of Henri Matisse reimagined in Swiss Style graphic design, a dog.",
    ...               "questions": []})
    False
    >>> style_phrase({"caption": "In the style of Realism and as a retro PS1-style 3D model, a dog.", "questions": []})
    False
    >>> style_phrase({"caption": "In bohemian style, there is a dog.",
    ...               "questions": [{"question": "Is this in the style of the Barbizon School?"}]})
    False
    """
    texts = [row.get("caption") or ""] + [q["question"] for q in row.get("questions") or ()]
    return any(STYLE_PHRASE.search(t) for t in texts)


#: round 6: wares named after their material (printed name -> material names), and a set with its pieces
WARES = {"china": ("porcelain",), "porcelain": ("porcelain",), "pottery": ("earthenware", "stoneware", "terracotta"),
         "earthenware": ("earthenware",), "stoneware": ("stoneware",), "cut glass": ("glass", "crystal")}
TEA_SET = ("tea service", ("cup", "teapot", "sugar bowl"))


def ware_piece(row: dict, audit: QuestionAudit) -> bool:
    """Beside a ware named after its material ("some china"), an existence foil or distractor that is tableware
    (a kind of "tableware") its material may make ("Is there a sugar bowl?" beside china: the china may be one);
    beside a tea service, a cup, teapot or sugar bowl (or a kind of one), and beside one of those, the tea service.

    >>> audit = QuestionAudit(load_taxonomy())
    >>> china = {"concept": audit.named["china"], "name": "china", "attributes": []}
    >>> q = {"type": "existence", "format": "yes_no", "negative": True, "question": "Is there a sugar bowl?",
    ...      "elements": [{"absent_object": audit.named["sugar bowl"]}], "choices": None, "answer": "no"}
    >>> ware_piece({"objects": [china], "questions": [q]}, audit), ware_piece({"objects": [], "questions": [q]}, audit)
    (True, False)
    """
    tax = audit.tax
    names = {o["name"] for o in row["objects"]}
    concepts = {o["concept"] for o in row["objects"]}
    wares = names & WARES.keys()
    set_name, piece_names = TEA_SET
    pieces = {audit.named[p] for p in piece_names if p in audit.named}

    def piece(c: str) -> bool:  # a piece of the set, or a kind of one
        return c in pieces or bool(audit.ancestors[c] & pieces)

    has_set = set_name in names
    has_piece = any(piece(c) for c in concepts)
    if not (wares or has_set or has_piece) or "material" not in tax.attribute_types:
        return False
    by_name = {v.name.lower(): v.id for v in tax.attribute_types["material"].values}
    materials = {by_name[m] for w in wares for m in WARES[w] if m in by_name}
    tableware = audit.named.get("tableware")
    for q in row.get("questions") or ():
        offered = existence_offered(q, audit)
        for x in offered:
            if materials and tableware in audit.ancestors[x] and \
                    materials & tax.concept_attribute_domain(x).get("material", frozenset()):
                return True
            if (has_set and piece(x)) or (has_piece and tax.object(x).name == set_name):
                return True
    return False


def person_count(row: dict, audit: QuestionAudit) -> bool:
    """A count of people of one person concept beside a person of another ("How many men are there?" beside a
    drummer: roles, ages and genders cross-cut, so the drummer may be a man).

    >>> audit = QuestionAudit(load_taxonomy())
    >>> man, drummer = [{"concept": audit.named[n], "name": n, "attributes": []} for n in ("man", "drummer")]
    >>> q = {"type": "count", "question": "How many men are there?", "elements": [{"object": 0}, {"object": 1}]}
    >>> person_count({"objects": [man, man, drummer], "questions": [q]}, audit)
    True
    >>> person_count({"objects": [man, man], "questions": [q]}, audit)
    False
    """
    people = audit.tax.closure("person") if "person" in audit.tax.categories else frozenset()
    kinds = {o["concept"] for o in row["objects"] if audit.category[o["concept"]] in people}
    if len(kinds) < 2:
        return False
    return any(q["type"] == "count" and audit.category[row["objects"][q["elements"][0]["object"]]["concept"]] in people
               for q in row.get("questions") or ())


def question_defects(row: dict, audit: QuestionAudit) -> set[str]:
    """The question audit's checks a row fails."""
    objects = row["objects"]
    concepts = [o["concept"] for o in objects]
    # objects that "the <name>" does not pick out: another object of the scene is a kind of theirs; and those
    # whose number is open besides (a kind of another object: beside "an animal", two dogs may be three)
    def kind_of(d: str, c: str) -> bool:  # d is a kind of c (is-a, or c is a category's generic)
        return d != c and (c in audit.ancestors.get(d, ()) or audit.category.get(d) in audit.generic.get(c, ()))

    vague = {i for i, c in enumerate(concepts) if any(kind_of(d, c) for d in concepts)}
    uncounted = vague | {i for i, c in enumerate(concepts) if any(kind_of(c, d) for d in concepts)}

    def definite(i: int, text: str) -> bool:
        return i in vague and f"the {objects[i]['name'].lower()}" in text.lower()

    linked: dict[int, set[int]] = {}
    for r in row["relations"]:
        linked.setdefault(r["subject"], set()).add(r["object"])
        linked.setdefault(r["object"], set()).add(r["subject"])
    scene_value = {a["type"]: a["value"] for a in row["scene_attributes"]}
    stated: dict[tuple[int, int], set[str]] = {}  # unordered pair -> the predicates of its edges
    for r in row["relations"]:
        stated.setdefault(frozenset((r["subject"], r["object"])), set()).add(r["predicate"])
    hit = set()
    if PORTION_OF_PAIR.search(row.get("caption") or ""):
        hit.add("pair_unit")
    if CAPTION_PHRASES.search(row.get("caption") or ""):
        hit.add("caption_phrase")
    if _material_is(row.get("caption") or "", row, audit.names):
        hit.add("material_is")
    if worn_foil(row, audit):
        hit.add("worn_foil")
    if option_overlap(row, audit):
        hit.add("option_overlap")
    if tail_order(row):
        hit.add("tail_order")
    if role_gear(row, audit):
        hit.add("role_gear")
    if noun_predicate(row):
        hit.add("noun_predicate")
    if material_foil(row, audit):
        hit.add("material_foil")
    if style_phrase(row):
        hit.add("style_phrase")
    if ware_piece(row, audit):
        hit.add("ware_piece")
    if person_count(row, audit):
        hit.add("person_count")
    plural_only = {o["name"] for o in objects if o["concept"] in audit.plural_only}
    for q in row.get("questions") or ():
        el = q["elements"][0]
        kind = q["type"]
        if any(re.search(rf"\b(?:[Ii]s|[Dd]oes|[Hh]as) the {re.escape(n)}\b", q["question"]) for n in plural_only):
            hit.add("plural_verb")
        if PORTION_OF_PAIR.search(q["question"]):
            hit.add("pair_unit")
        if CAPTION_PHRASES.search(q["question"]):
            hit.add("caption_phrase")
        if _material_is(q["question"], row, audit.names):
            hit.add("material_is")
        if ((kind == "count" and el["object"] in uncounted)
                or (kind == "attribute" and definite(el["object"], q["question"]))):
            hit.add("isa_the")
        if kind == "relation":
            s, p, o = el.get("relation") or el.get("absent_relation")
            named = (s,) if "accepted" in q else (s, o)
            if any(definite(x, q["question"]) for x in named):
                hit.add("isa_the")
            if (q["negative"] or (q["format"] == "multiple_choice" and "accepted" not in q)) and \
                    stated.get(frozenset((s, o)), {""}) <= SIDES:
                offered = {p} if q["negative"] else {audit.relation_id[c] for c in q["choices"] if c != q["answer"]}
                if offered & DISTANCES:
                    hit.add("side_distance")
            if "accepted" in q and audit.kind[p] in ATTITUDES:
                cat = audit.category
                if any(x not in (s, o) and concepts[x] != concepts[o] and x not in linked.get(s, ())
                       and audit.tax.relation_allows(p, cat[concepts[s]], cat[concepts[x]])
                       for x in range(len(objects))):
                    hit.add("open_attitude")
            entailed = audit.tax.relation_entails.get(p, frozenset())
            if "accepted" in q and audit.kind[p] not in ("spatial", "comparative") and audit.kind[p] not in \
                    ATTITUDES and ((any(audit.kind[x] in ("spatial", "comparative") for x in entailed)
                                    and not SUPPORT & entailed)
                                   or audit.tax.relations[p].name.endswith(DIRECTIONS)):
                cat = audit.category
                if any(x not in (s, o) and concepts[x] != concepts[o] and x not in linked.get(s, ())
                       and audit.tax.relation_allows(p, cat[concepts[s]], cat[concepts[x]])
                       for x in range(len(objects))):
                    hit.add("open_entailed")
            if "accepted" in q and audit.kind[p] in ("spatial", "comparative"):
                if any(x not in (s, o) and concepts[x] != concepts[o] and x not in linked.get(s, ())
                       for x in range(len(objects))):
                    hit.add("open_spatial")
        if kind == "existence" and (q["negative"] or q["format"] == "multiple_choice"):
            offered = ({el["absent_object"]} if q["negative"] else
                       {audit.named[c] for c in q["choices"] if c != q["answer"] and c in audit.named})
            tax = audit.tax
            fixtures = {audit.named[f] for f in LOCATION_FIXTURES.get(scene_value.get("location"), ())}
            if any(x in fixtures or fixtures & tax.concept_ancestors(x) for x in offered):
                hit.add("location_foil")
            said = ({m.group(1).lower()} if q["negative"] and (m := EXISTENCE.match(q["question"])) else
                    {c.lower() for c in q["choices"] if c != q["answer"]} if not q["negative"] else set())
            for c in set(concepts):
                near = tax.concept_parts(c) | tax.concept_wholes(c)
                # a part or whole, or a thing called by one's name or synonym ("receiver" beside a dial phone)
                if offered & near or said & {w.lower() for x in near for w in (tax.object(x).name,
                                                                                 *tax.object(x).synonyms)}:
                    hit.add("part_foil")
        if kind == "scene_attribute" and (q["negative"] or q["format"] == "multiple_choice"):
            t, v = el.get("scene_attribute") or el.get("absent_scene_attribute")
            own = scene_value[t]
            _, _, by_name = audit.scene[t]
            others = [v] if q["negative"] else [by_name[c] for c in q["choices"] if c != q["answer"]]
            if any(audit.scene_open(t, own, x) for x in others):
                hit.add("scene_overlap")
        if kind == "attribute" and (q["negative"] or q["format"] == "multiple_choice"):
            t, v = el.get("attribute") or el.get("absent_attribute")
            words = f" {objects[el['object']]['name'].lower()} "
            offered = ([q["question"].rsplit(" ", 1)[-1]] if q["negative"] else
                       [c for c in q["choices"] if c != q["answer"]])
            names = audit.value_names[t]
            if q["negative"]:  # the foil's name: the value ids of the element, read back as names
                offered = [x for x in names if q["question"].lower().endswith(f" {x}?")]
            if any(f" {x.lower()} " in words for x in offered):
                hit.add("name_value")
    return hit


#: wording round (fresh hand reading of 150 captions, ``gas sample -n 150 --seed 211``, and 50 rows of the 3D, video,
#: GenEval and two other shipped files): a style named by one kind of work said without its article, or by an
#: adjective or an aesthetic's label after "style of" ("in the style of Tibetan thangka", "in the style of
#: kawaii": in the style of a Tibetan thangka, in kawaii style)
STYLE_WORKS = ("thangka", "miniature", "anime film")
STYLE_LABELS = ("kawaii", "chibi", "cottagecore", "steampunk", "cyberpunk", "dieselpunk", "solarpunk", "vaporwave",
                "synthwave", "ligne claire")
_STYLE_WORDS = r"(?:(?!(?:an?|the|and|as|in|with)\b)[\w'-]+ )*"  # words of one style's name
STYLE_ARTICLE = re.compile(rf"\b(?:style of (?!an? |the ){_STYLE_WORDS}(?:{'|'.join(STYLE_WORKS)})\b(?! style)|"
                           rf"style of (?:{'|'.join(STYLE_LABELS)})\b|"
                           rf"reimagined in {_STYLE_WORDS}(?:{'|'.join(STYLE_WORKS + STYLE_LABELS)})\b(?! style))",
                           re.I)
#: texture words said as a physical quality, before the colour: "a woolly red hat", not "a red woolly hat"
ADJECTIVE_SPAN = re.compile(r"(?:^|\b(?:a|an|some|of|the|is|are)\s)((?:(?!(?:a|an|some|of|the|is|are)\s)[^\s,.;:]+\s)*)$")
#: a distinguishing word that is a mass noun said after a thing's name ("some beaker kitchenware", "some pin
#: sports gear": a kitchen beaker, a sports pin)
MASS_QUALIFIERS = ("kitchenware", "sports gear")
WORDING_CHECKS = ("adjective_order", "style_article", "category_word")


def wording_defects(row: dict, value_names: dict) -> set[str]:
    """The wording round's checks a row fails (``value_names``: ``(type, value id) -> printed name``).

    ``adjective_order``: in a caption, a texture or a fit said after a colour, pattern, style, origin or material of
    the same thing before its noun ("a dark salmon woolly cowboy hat", "a green brown Gothic loose-fitting plimsoll"); ``style_article``: a style phrase of
    ``STYLE_ARTICLE`` in a caption or a question; ``category_word``: a thing named by another word and a mass noun
    of ``MASS_QUALIFIERS`` ("beaker kitchenware").

    >>> hat = {"name": "cowboy hat", "attributes": [{"type": "colour", "value": "dark_salmon"},
    ...                                             {"type": "texture", "value": "woolly"}]}
    >>> names = {("colour", "dark_salmon"): "dark salmon", ("texture", "woolly"): "woolly"}
    >>> wording_defects({"objects": [hat], "caption": "There is a dark salmon woolly cowboy hat."}, names)
    {'adjective_order'}
    >>> wording_defects({"objects": [hat], "caption": "In kawaii style, a woolly dark salmon cowboy hat."}, names)
    set()
    >>> wording_defects({"objects": [], "caption": "In the style of Tibetan thangka, a dog."}, names)
    {'style_article'}
    """
    hit = set()
    texts = [row.get("caption") or ""] + [q["question"] for q in row.get("questions") or ()]
    if any(STYLE_ARTICLE.search(t) for t in texts):
        hit.add("style_article")
    caption = row.get("caption") or ""
    for o in row["objects"]:
        if any(o["name"].endswith(f" {w}") for w in MASS_QUALIFIERS):
            hit.add("category_word")
        textures = [value_names.get((a["type"], a["value"]), "") for a in o["attributes"]
                    if a["type"] in ("texture", "fit")]  # "a woolly red hat", "a loose-fitting green shirt"
        before = [value_names.get((a["type"], a["value"]), "") for a in o["attributes"]
                  if a["type"] in ("colour", "pattern", "style", "origin", "material")]
        if not (textures and before):
            continue
        for m in re.finditer(rf"\b{re.escape(o['name'])}\b", caption):
            span = ADJECTIVE_SPAN.search(caption[:m.start()])
            words = span.group(1) if span else ""
            at = {w: words.find(w) for w in textures + before if re.search(rf"(?:^|\s){re.escape(w)}\b", words)}
            if any(at.get(t, -1) > at.get(c, 10 ** 6) for t in textures for c in before):
                hit.add("adjective_order")
    return hit


#: phrases English says around their object: (predicate id, verb forms, the words after the object), from a reading
#: of every relation name of relations.tsv (a verb, then an adjunct that is not the object's preposition)
SPLIT_PHRASES = (
    ("carrying_in_its_mouth", "carrying|carries|carry", "in its mouth"),
    ("carrying_in_its_beak", "carrying|carries|carry", "in its beak"),
    ("holding_in_its_paws", "holding|holds|hold", "in its paws"),
    ("carrying_on_its_back", "carrying|carries|carry", "on its back"),
    ("carrying_on_shoulders", "carrying|carries|carry", "on their shoulders"),
    ("pushing_on_a_swing", "pushing|pushes|push", "on a swing"),
    ("pushing_in_a_wheelchair", "pushing|pushes|push", "in a wheelchair"),
    ("pushing_in_a_stroller", "pushing|pushes|push", "in a stroller"),
    ("leading_by_the_hand", "leading|leads|lead", "by the hand"),
)
SPLIT_IDS = frozenset(p for p, _, _ in SPLIT_PHRASES)
#: a split phrase said whole and then its object ("leads by the hand a soldier", "carrying in its mouth the ball")
#: ("their" is said "his" or "her" by the subject: "carries on his shoulders a girl")
SPLIT_FIRST = re.compile(r"\b(?:" + "|".join(f"(?:{v}) {a}".replace("their", "(?:their|his|her)")
                                             for _, v, a in SPLIT_PHRASES)
                         + r") (?:the|a|an|some|another|two|three|four)\b")
SPLIT_CHECKS = ("split_order",)


def split_phrase_defects(row: dict) -> set[str]:
    """``split_order`` if the caption or a question says a split phrase before its object.

    >>> split_phrase_defects({"caption": "A woman leads by the hand a soldier.", "questions": []})
    {'split_order'}
    >>> split_phrase_defects({"caption": "A woman leads a soldier by the hand.",
    ...                       "questions": [{"question": "Who is the woman leading by the hand?"}]})
    set()
    """
    texts = [row.get("caption") or "", *(q["question"] for q in row.get("questions") or ())]
    return {"split_order"} if any(SPLIT_FIRST.search(t) for t in texts) else set()


def split_edges(row: dict) -> set[str]:
    """``split_edge`` if the row has an edge with a split predicate (the rows ``split_order`` can judge).

    >>> split_edges({"relations": [{"predicate": "leading_by_the_hand"}]}), split_edges({"relations": []})
    ({'split_edge'}, set())
    """
    return {"split_edge"} if any(r["predicate"] in SPLIT_IDS for r in row.get("relations") or ()) else set()


#: questions round (hand reading of ``gas sample -n 300 --seed 1901``, and the counts of ``-n 1000 --seed 1901``):
#: young animals named apart from their kind (printed name -> printed names of the kinds it is the young of)
YOUNG_KINDS = {"puppy": ("dog",), "pup": ("canine",), "wolf pup": ("wolf",), "kitten": ("house cat",),
               "kitty": ("house cat",), "cub": ("bear", "lion", "tiger", "wolf", "fox"), "lion cub": ("lion",),
               "bear cub": ("bear",), "tiger cub": ("tiger",), "calf": ("cattle",), "heifer": ("cow",),
               "foal": ("horse",), "colt": ("horse",), "filly": ("horse",), "lamb": ("sheep",),
               "lambkin": ("sheep",), "kid": ("goat",), "fawn": ("deer",), "leveret": ("hare",),
               "chick": ("chicken bird",), "gosling": ("goose",), "cygnet": ("swan",), "eaglet": ("eagle",),
               "owlet": ("owl",)}
#: two colours a reader cannot tell apart for sure (CIEDE2000 below this; "steel blue" / "light steel blue": 23)
NEAR_COLOUR = 25.0
CHOICE_CHECKS = ("young_foil", "near_choices", "copies_singular")


class ChoiceAudit:
    """What :func:`choice_defects` reads from a taxonomy: names, is-a, value groups, colours, the young."""

    def __init__(self, tax):
        from gas_solver.realize.colour import ciede2000, srgb_to_lab
        self.tax = tax
        one: dict = {}
        for o in tax.objects:
            one[o.name] = o.id if o.name not in one else None
        self.id_of = one
        self.ancestors = {o.id: tax.concept_ancestors(o.id) for o in tax.objects}
        # young concept -> its kinds and their kinds (by is-a)
        self.young = {}
        for y, kinds in YOUNG_KINDS.items():
            ids = {d for k in kinds if one.get(k) for d in (one[k], *tax.concept_descendants(one[k]))}
            if one.get(y) and ids:
                self.young[one[y]] = ids
        self.group = {(t.id, v.name): getattr(v, "group", "") for t in tax.attribute_types.values() for v in t.values}
        colours = [(v.name, v.rgb) for t in tax.attribute_types.values() for v in t.values if t.id == "colour" and v.rgb]
        self.colour_at = {n: k for k, (n, _) in enumerate(colours)}
        self.lab = srgb_to_lab([c for _, c in colours]) if colours else None
        self.ciede = ciede2000

    def young_pair(self, a: str, b: str) -> bool:
        """Is one of the concepts ``a``, ``b`` the young of a kind the other is (a puppy, a beagle)?"""
        return b in self.young.get(a, ()) or a in self.young.get(b, ())

    def near_values(self, t: str, a: str, b: str) -> bool:
        """May one thing be said to have both values ``a`` and ``b`` (printed names) of attribute type ``t``: one
        name inside the other ("charcoal" / "charcoal grey"), one group ("huge" / "giant"), or colours a reader
        cannot tell apart (CIEDE2000 < ``NEAR_COLOUR``)?"""
        if f" {a} " in f" {b} " or f" {b} " in f" {a} ":
            return True
        ga, gb = self.group.get((t, a), ""), self.group.get((t, b), "")
        if ga and ga == gb:
            return True
        ka, kb = self.colour_at.get(a), self.colour_at.get(b)
        return t == "colour" and ka is not None and kb is not None and \
            float(self.ciede(self.lab[ka], self.lab[kb:kb + 1])[0]) < NEAR_COLOUR

    def near_concepts(self, a: str, b: str) -> bool:
        """Is one concept a kind of the other, or the young of a kind of it?"""
        return a in self.ancestors.get(b, ()) or b in self.ancestors.get(a, ()) or self.young_pair(a, b)


def choice_defects(row: dict, audit: ChoiceAudit) -> set[str]:
    """The questions round's checks a row fails (``CHOICE_CHECKS``).

    ``young_foil``: a young animal offered as an existence foil, a distractor or an open question's choice beside a
    thing of its kind, or a kind of it beside the young one ("puppy" beside a young beagle, "beagle" beside a
    puppy: either may be the other; ``YOUNG_KINDS``); ``near_choices``: a multiple-choice question two of whose
    wrong choices may name one thing (attribute values: one name inside the other, one group, near colours; concepts:
    one a kind of the other, or the young of a kind of it): "[cinnamon, beige, charcoal, charcoal grey]", "[massive,
    huge, giant, small]", "[elephant, Indian elephant, horse, African elephant]" -- the odd one out is the answer;
    ``copies_singular``: a yes/no existence question in the singular over copies the set counts ("Is there a
    kite?" beside "How many kites are there?"; copies whose number is open keep "Is there a man?", grounded by each).

    >>> audit = ChoiceAudit(load_taxonomy())
    >>> q = {"type": "attribute", "format": "multiple_choice", "negative": False, "answer": "small",
    ...      "choices": ["massive", "huge", "small", "medium-sized"], "elements": [{"object": 0,
    ...      "attribute": ["size", "small"]}], "question": "What size is the dog?"}
    >>> row = {"objects": [{"concept": audit.id_of["beagle"], "name": "beagle"}], "questions": [q]}
    >>> sorted(choice_defects(row, audit))
    ['near_choices']
    >>> q2 = {"type": "existence", "format": "yes_no", "negative": True, "question": "Is there a puppy?",
    ...       "elements": [{"absent_object": audit.id_of["puppy"]}]}
    >>> sorted(choice_defects(dict(row, questions=[q2]), audit))
    ['young_foil']
    """
    hit = set()
    concepts = [o["concept"] for o in row["objects"]]
    id_of = audit.id_of
    # objects a count question counts (of the whole group, not per value)
    counted = {e.get("object") for q in row.get("questions") or () if q["type"] == "count"
               and "attribute" not in q["elements"][0] for e in q["elements"]}
    for q in row.get("questions") or ():
        el = q["elements"][0]
        if q["type"] == "existence" and q["format"] == "yes_no" and not q["negative"]:
            o = row["objects"][el["object"]]
            # a count noun in the singular ("Is there a kite?"); a mass noun reads right ("Is there broccoli?")
            if concepts.count(o["concept"]) > 1 and re.match(r"Is there an? ", q["question"]) and \
                    el["object"] in counted:
                hit.add("copies_singular")
        offered: list = []
        if q["type"] == "existence" and q["negative"]:
            offered = [el["absent_object"]]
        elif q["format"] == "multiple_choice" and (q["type"] == "existence" or "accepted" in q):
            offered = [id_of.get(c) for c in q["choices"] if c != q["answer"]]
            offered = [c for c in offered if c]
            if any(audit.near_concepts(a, b) for i, a in enumerate(offered) for b in offered[:i]):
                hit.add("near_choices")
        elif q["format"] == "multiple_choice" and q["type"] == "attribute":
            t = el["attribute"][0]
            wrong = [c for c in q["choices"] if c != q["answer"]]
            if any(audit.near_values(t, a, b) for i, a in enumerate(wrong) for b in wrong[:i]):
                hit.add("near_choices")
        if any(audit.young_pair(x, c) for x in offered for c in concepts):
            hit.add("young_foil")
    return hit


#: foods eaten one by one that the taxonomy had as mass nouns (printed names; "some hush puppy", "some cherrystone":
#: a hush puppy, two cherrystones), from the reading of the mass foods of the everyday and common tiers and of
#: ``gas sample -n 300 --seed 1901 constraints/kitchen_still_life.toml``
COUNTED_FOODS = ("hush puppy", "biscuit", "scone", "rusk", "soda biscuit", "water biscuit", "soda cracker",
                 "rolled biscuit", "baking-powder biscuit", "drop scone", "bran muffin", "soft pretzel",
                 "oyster cracker", "saltine", "wafer", "hoecake", "johnnycake", "ashcake", "banger", "chipolata",
                 "saveloy", "porkchop", "pickle", "sweet pickle", "dill pickle", "bread and butter pickle", "gherkin",
                 "black olive", "green olive", "mussel", "cherrystone", "littleneck", "quahog", "bluepoint",
                 "bay leaf", "vanilla bean", "peppercorn", "won ton", "bouillon cube")
_COUNTED_FOOD_WORDS = "|".join(sorted(map(re.escape, COUNTED_FOODS), key=len, reverse=True))
#: one of them said as a mass noun: "some" before its singular, or "portions of" it
MASS_FOOD = re.compile(rf"\b(?:[Ss]ome|portions? of) {_WORDS}({_COUNTED_FOOD_WORDS})\b(?!s\b|es\b)")
FOOD_NOUN_CHECKS = ("counted_food",)


def food_noun_defects(row: dict) -> set[str]:
    """``counted_food``: a food of the row eaten one by one (``COUNTED_FOODS``) said as a mass noun in the caption or
    a question (the name whole: "some pickle relish" is another food).

    >>> hush = {"objects": [{"name": "hush puppy"}], "questions": []}
    >>> food_noun_defects(dict(hush, caption="There is some hush puppy."))
    {'counted_food'}
    >>> food_noun_defects(dict(hush, caption="There is a hush puppy and some hush puppies."))
    set()
    """
    own = {o["name"] for o in row.get("objects") or ()}
    texts = [row.get("caption") or "", *(q["question"] for q in row.get("questions") or ())]
    return {"counted_food"} if any(m.group(1) in own for t in texts for m in MASS_FOOD.finditer(t)) else set()


#: leftovers round 8 (``leftover_defects``; `gas sample -n 1000 --seed 1901 / 1902` of acting animals,
#: constraints/cyclic_relations.toml and the default file): printed names of the kinds each check reads
WATER_WORDS = ("whale", "dolphin", "porpoise", "seal", "sea lion", "walrus", "manatee", "dugong", "narwhal", "sea cow",
               "orca", "beluga")
SYMMETRIC_REST = {"sitting_next_to", "standing_next_to", "lying_next_to"}
#: children by printed name: carried on the shoulders or the back, pushed in a stroller, riding on shoulders
CHILDREN = {"baby", "toddler", "child", "little girl", "girl", "boy", "schoolboy", "schoolgirl", "schoolchild",
            "flower girl", "altar boy", "choirboy", "infant", "kid"}
#: the ones a stroller holds (a schoolboy walks)
STROLLER_CHILDREN = {"baby", "toddler", "child", "little girl", "girl", "boy", "infant"}
CARRY_CHILD = {"carrying_on_shoulders", "giving_a_piggyback_ride_to"}
#: reptiles on legs or in a shell: they crawl, they do not slither ("a slithering box turtle")
LEGGED_REPTILE_WORDS = ("turtle", "tortoise", "terrapin", "lizard", "gecko", "iguana", "chameleon", "crocodile",
                        "alligator", "caiman", "monitor", "komodo", "skink", "dragon", "agama", "tuatara")
LEFTOVER_CHECKS = ("water_posture", "hoofed_sits", "carry_age", "stroller_age", "slither_kind", "landscape_room")


def leftover_defects(row: dict) -> set[str]:
    """Leftovers round 8: the checks a row fails, judged by the fixed lists above and those of round 7.

    * ``water_posture``: a mammal of the water at either end of a posture beside another ("a grey whale sits next
      to a bear", "a dolphin stands next to a king");
    * ``hoofed_sits``: a hoofed animal (``HOOFED``, a riding or farm animal) at either end of "sitting next to";
    * ``carry_age``: someone carried on the shoulders or given a piggyback ride who is no child, or carried by a
      child ("a sister carries a chemist on shoulders"), or someone riding on shoulders who is no child (a person)
      or on a child's ("an aerialist rides on the shoulders of a librarian");
    * ``stroller_age``: someone pushed in a stroller who is no small child ("the judge pushes the empress in a
      stroller");
    * ``slither_kind``: a reptile on legs or in a shell slithering ("a slithering box turtle");
    * ``landscape_room``: a landscape style or painter (``LANDSCAPE_STYLES``) with no location, beside a small or
      indoor thing (``NOT_LANDSCAPE``): "in the style of Camille Corot, a gas range and a wet suit".

    >>> leftover_defects({"objects": [{"name": "grey whale", "category": "aquatic_mammal", "attributes": []},
    ...                               {"name": "bear", "category": "predator", "attributes": []}],
    ...                   "relations": [{"subject": 0, "object": 1, "predicate": "sitting_next_to"}]})
    {'water_posture'}
    """
    hit = set()
    objs = row["objects"]
    for e in row["relations"]:
        s, o, p = objs[e["subject"]], objs[e["object"]], e["predicate"]
        ends = (s, o)
        if p in SYMMETRIC_REST and any(any(w in x["name"].lower() for w in WATER_WORDS) for x in ends):
            hit.add("water_posture")
        if p == "sitting_next_to" and any(x["name"] in HOOFED or x["category"] in HOOFED_CATEGORIES for x in ends):
            hit.add("hoofed_sits")
        if (p in CARRY_CHILD and (o["name"] not in CHILDREN or s["name"] in CHILDREN)) \
                or (p == "riding_on_the_shoulders_of" and ((s["category"] in ("person", "child")
                                                           and s["name"] not in CHILDREN) or o["name"] in CHILDREN)):
            hit.add("carry_age")
        if p == "pushing_in_a_stroller" and o["name"] not in STROLLER_CHILDREN:
            hit.add("stroller_age")
    for o in objs:
        if any(a["type"] == "pose" and a["value"] == "slithering" for a in o["attributes"]) \
                and any(w in o["name"].lower() for w in LEGGED_REPTILE_WORDS):
            hit.add("slither_kind")
    keys = {f"{a['type']}:{a['value']}" for a in row.get("scene_attributes", ())}
    if keys & LANDSCAPE_STYLES and not any(k.startswith("location:") for k in keys) \
            and any(o["category"] in NOT_LANDSCAPE and o["name"] not in OPEN_LAND_THINGS for o in objs):
        hit.add("landscape_room")
    return hit


#: leftovers round 9 (``kind_place_defects``; `gas sample -n 1000 --seed 2001 / 2002 / 2003` of the default file,
#: acting animals and ``constraints/video_camera_moves.toml``): printed names of the kinds each check reads
RAIL_VEHICLE_WORDS = ("train", "locomotive", "freight car", "passenger car", "cabin car")
RAIL_VEHICLE = re.compile(rf"\b(?:{'|'.join(RAIL_VEHICLE_WORDS)})\b")
RAIL_PLACES = {"railroad_track", "train_platform", "train"}
#: comparisons no clip of the two shows: age and weight
UNSEEN_COMPARISONS = {"younger_than", "older_than", "heavier_than"}
#: scene attributes that frame one small thing or a face: not several things, nor a vehicle or a large animal
CLOSE_FRAMINGS = {"close_up", "extreme_close_up", "macro_shot"}
KIND_PLACE_CHECKS = ("reptile_sits", "rail_place", "video_still", "video_unseen", "close_many")


def kind_place_defects(row: dict, size_of: dict | None = None) -> set[str]:
    """Leftovers round 9: the checks a row fails, judged by the fixed lists above (``size_of``: printed name -> size
    class, for ``close_many``).

    * ``reptile_sits``: a reptile at either end of "sitting next to" ("a python sits next to a dancer");
    * ``rail_place``: a train, a locomotive or a rail car with a location off the rails ("a bullet train at a hunting
      lodge", "an overturned train in a town plaza");
    * ``video_still``: a video row with neither a camera movement nor a relation: nothing moves ("In a blizzard,
      there is a sea pen and a groundhog.");
    * ``video_unseen``: a video row with a comparison no clip shows (``UNSEEN_COMPARISONS``: "a massasauga is
      younger than a ...");
    * ``close_many`` (counted, not fixed): a close-up framing (``CLOSE_FRAMINGS``) of three things or more, or of a
      thing from huge up ("an extreme close-up" of a giraffe, a button, a tip truck and a half-track).

    >>> kind_place_defects({"modality": "video", "objects": [{"name": "sea pen", "category": "invertebrate"}],
    ...                     "relations": [], "scene_attributes": [{"type": "weather", "value": "blizzard"}]})
    {'video_still'}
    >>> kind_place_defects({"objects": [{"name": "bullet train", "category": "vehicle"}], "relations": [],
    ...                     "scene_attributes": [{"type": "location", "value": "hunting_lodge"}]})
    {'rail_place'}
    """
    hit = set()
    objs = row["objects"]
    for e in row["relations"]:
        if e["predicate"] == "sitting_next_to" and "reptile" in (objs[e["subject"]]["category"],
                                                                 objs[e["object"]]["category"]):
            hit.add("reptile_sits")
        if row.get("modality") == "video" and e["predicate"] in UNSEEN_COMPARISONS:
            hit.add("video_unseen")
    attrs = row.get("scene_attributes") or ()
    places = {a["value"] for a in attrs if a["type"] == "location"}
    if places - RAIL_PLACES and any(RAIL_VEHICLE.search(o["name"]) for o in objs):
        hit.add("rail_place")
    if row.get("modality") == "video" and not row["relations"] \
            and not any(a["type"] == "camera_movement" for a in attrs):
        hit.add("video_still")
    if any(a["value"] in CLOSE_FRAMINGS for a in attrs) and (
            len(objs) >= 3 or any((size_of or {}).get(o["name"], 0) >= 4 for o in objs)):
        hit.add("close_many")
    return hit


#: close framings (round 11, ``framing_defects``): the most things each frames (an extreme close-up one thing, a
#: close-up two, a macro view or macro photography two small things)
FRAMING_BOUNDS = {"extreme_close_up": 1, "close_up": 2, "macro_view": 2, "macro_photography": 2}
#: the close framings that show no thing from huge up whole (an elephant, a truck: only a part of it)
NEAR_FRAMINGS = {"extreme_close_up", "close_up"}
#: scene-attribute types that place a scene (a location, a genre or view of one kind of subject)
PLACING_TYPES = {"location", "subject_genre", "subject_view"}
FRAMING_CHECKS = ("close_count", "close_huge")


def framing_defects(row: dict, size_of: dict | None = None) -> set[str]:
    """Close framings a person would not picture (round 11), judged by the fixed lists above (``size_of``: printed
    name -> size class):

    * ``close_count``: a close framing of more things than it frames (``FRAMING_BOUNDS``: "an extreme close-up" of a
      beer glass, an electric fan, a generator and a daisy; "a macro view" of a rugby ball, a steak and orange juice);
    * ``close_huge``: a close-up or extreme close-up with no place (location, genre, view) of a thing from huge up
      ("a close-up" of an estate car and a canteen).

    >>> framing_defects({"objects": [{"name": "cup"}, {"name": "fork"}, {"name": "bowl"}],
    ...                  "scene_attributes": [{"type": "camera_view", "value": "close_up"}]})
    {'close_count'}
    >>> framing_defects({"objects": [{"name": "estate car"}],
    ...                  "scene_attributes": [{"type": "camera_view", "value": "close_up"}]}, {"estate car": 4})
    {'close_huge'}
    """
    hit = set()
    attrs = row.get("scene_attributes") or ()
    held = {a["value"] for a in attrs}
    if any(len(row["objects"]) > FRAMING_BOUNDS[v] for v in held & set(FRAMING_BOUNDS)):
        hit.add("close_count")
    if held & NEAR_FRAMINGS and not any(a["type"] in PLACING_TYPES for a in attrs) \
            and any((size_of or {}).get(o["name"], 0) >= 4 for o in row["objects"]):
        hit.add("close_huge")
    return hit


#: grounds built and kept by people (round 11, ``ground_defects``): location value ids
BUILT_GROUNDS = {"amphitheater", "athletic_field", "baseball_field", "football_field", "soccer_field",
                 "horse_racecourse", "race_track", "castle", "palace", "mansion", "cemetery", "mausoleum", "pagoda",
                 "asian_temple", "tower", "water_tower", "fountain", "gazebo", "pavilion", "park", "picnic_area",
                 "formal_garden", "topiary_garden", "japanese_garden", "zen_garden", "open_air_museum"}
#: categories of wild mammals (a pet, a mount or livestock is kept by people)
WILD_MAMMALS = {"mammal", "predator"}
GROUND_CHECKS = ("wild_ground",)


def ground_defects(row: dict, size_of: dict | None = None) -> set[str]:
    """``wild_ground`` (round 11): a wild mammal from medium up (``WILD_MAMMALS``) on grounds built and kept by people
    (``BUILT_GROUNDS``: "set on a soccer field, ... a tiger", "set at a castle, ... a brown bear").

    >>> ground_defects({"objects": [{"name": "tiger", "category": "predator"}],
    ...                 "scene_attributes": [{"type": "location", "value": "soccer_field"}]}, {"tiger": 3})
    {'wild_ground'}
    """
    places = {a["value"] for a in row.get("scene_attributes") or () if a["type"] == "location"}
    if places & BUILT_GROUNDS and any(o["category"] in WILD_MAMMALS and (size_of or {}).get(o["name"], 0) >= 2
                                      for o in row["objects"]):
        return {"wild_ground"}
    return set()


#: kinds that live in the water (round 11, ``water_kind_defects``: counted, not fixed) and the settings and place values
#: that show water
WATER_KINDS = {"fish", "aquatic_mammal"}
WET_SETTINGS = {"water", "shore"}
WET_VIEWS = {"underwater_photography", "seascape_painting", "split_level_underwater_view", "low_horizon", "high_horizon"}
WATER_KIND_CHECKS = ("dry_water_kind",)


def water_kind_defects(row: dict, settings_of: dict | None = None) -> set[str]:
    """``dry_water_kind`` (round 11, counted, not fixed): a fish or a sea mammal in a scene with no place of water (no
    location of the water or shore settings, no underwater or seascape genre or view, no horizon): "there is a tiger
    shark and a mirrored billboard", "there is a grey whale, a beer can ..." (``settings_of``: location value ->
    setting).  A goldfish in a room holds it too (a bowl is not said).

    >>> water_kind_defects({"objects": [{"name": "tiger shark", "category": "fish"}], "scene_attributes": []})
    {'dry_water_kind'}
    >>> water_kind_defects({"objects": [{"name": "tiger shark", "category": "fish"}],
    ...                     "scene_attributes": [{"type": "location", "value": "beach"}]}, {"beach": "shore"})
    set()
    """
    attrs = row.get("scene_attributes") or ()
    wet = any(a["type"] == "location" and (settings_of or {}).get(a["value"]) in WET_SETTINGS for a in attrs) \
        or any(a["value"] in WET_VIEWS for a in attrs)
    if not wet and any(o["category"] in WATER_KINDS for o in row["objects"]):
        return {"dry_water_kind"}
    return set()


#: a noun phrase starting in a list: after a comma, "and" or both ("a pair of" is an indefinite too); "a baby" is
#: the one attribute said with an article after "is" ("a wolf that is a baby"), not a new thing
LIST_ITEM = re.compile(r"(,? and|,) (?:a|an|some) (?!baby\b)")
CLAUSE_START = re.compile(r"\bthat (?:is|are) ")
CLAUSE_CHECKS = ("clause_and", "clause_mid_list")


def clause_list_defects(row: dict) -> set[str]:
    """Lists of things in a caption where a "that is ..." clause seems to go on past its own thing (round 19r).

    ``clause_and``: the clause is followed by "and" and a new thing without a comma, so the new thing reads as
    part of the clause ("a life ring that is pearl white and a golfer": the life ring is not a golfer);
    ``clause_mid_list`` (where not ``clause_and``): a thing without a clause is listed after one with a clause,
    whose words then run on into the list ("a dress that is deep sea blue, striped and minimalist and a peachy pink push button", "a rolling
    pin that is hot magenta, some noodles and a guitarist").  Judged on the caption's words alone, sentence by
    sentence (verb phrases after a clause start with a verb, not with a determiner).

    >>> clause_list_defects({"caption": "There is a life ring that is pearl white and a golfer."})
    {'clause_and'}
    >>> clause_list_defects({"caption": "There is a pin that is red, some noodles and a cup."})
    {'clause_mid_list'}
    >>> clause_list_defects({"caption": "There is a cup, a golfer and a life ring that is pearl white."})
    set()
    >>> clause_list_defects({"caption": "There is a box that is open and blue, and a pin that is red."})
    set()
    >>> clause_list_defects({"caption": "A rod that is red is near a cup and is on a mat. There is a wolf that is a baby."})
    set()
    """
    hit = set()
    for sentence in (row.get("caption") or "").split(". "):
        for m in CLAUSE_START.finditer(sentence):
            rest = sentence[m.end():]
            starts = list(LIST_ITEM.finditer(rest))
            if starts and starts[0].group(1) == " and":
                hit.add("clause_and")  # the clause's own end: "that is pearl white and a golfer"
                continue
            for k, item in enumerate(starts):
                end = starts[k + 1].start() if k + 1 < len(starts) else len(rest)
                if not CLAUSE_START.search(rest[item.end():end]):
                    hit.add("clause_mid_list")
    return hit


#: a sentence that opens "There is" / "There are" (the first one may follow the scene's adverbial and a comma)
THERE_OPENS = re.compile(r"(?:^|\. |, )[Tt]here (?:is|are) (?!also\b)")
THERE_CHECKS = ("there_twice",)


def there_defects(row: dict) -> set[str]:
    """``there_twice`` if two sentences of the caption open alike with "There is" / "There are" (round 19r): "there is
    a jacket and a punch bag. There is a doll below a ski." reads as one list said twice; a later one says "There is
    also".

    >>> there_defects({"caption": "Set by an igloo, there is a jacket. There is a doll below a ski."})
    {'there_twice'}
    >>> there_defects({"caption": "Set by an igloo, there is a jacket. There is also a doll below a ski."})
    set()
    """
    return {"there_twice"} if len(THERE_OPENS.findall(row.get("caption") or "")) > 1 else set()


#: scene-attribute types a text-to-3D output keeps: `gas generate --kind 3d` renders the object alone, in views
#: around it, so a place, a backdrop, a time of day, an atmosphere, a camera's view or move is dropped
THREE_D_DROPPED = frozenset(("location", "backdrop", "time_of_day", "mood", "camera_view", "subject_view",
                             "camera_movement"))
THREE_D_CHECKS = ("dropped_scene",)


def three_d_scene_defects(row: dict) -> set[str]:
    """``dropped_scene`` if a 3D row states a scene attribute its output drops (``THREE_D_DROPPED``: "set in a
    zen garden", "against a brick wall", "at lunchtime", "with the camera pushing in slowly").

    >>> three_d_scene_defects({"modality": "3d", "scene_attributes": [{"type": "location", "value": "zen_garden"}]})
    {'dropped_scene'}
    >>> three_d_scene_defects({"modality": "3d", "scene_attributes": [{"type": "render_engine", "value": "unity"}]})
    set()
    >>> three_d_scene_defects({"modality": "image", "scene_attributes": [{"type": "location", "value": "a"}]})
    set()
    """
    if row.get("modality") != "3d":
        return set()
    types = {a["type"] for a in row.get("scene_attributes") or ()}
    return {"dropped_scene"} if types & THREE_D_DROPPED else set()


#: naming round (``naming_defects``; a hand reading of `gas sample -n 150 --seed 2041` and the names of
#: `gas sample -n 1000 --seed 2001 / 2002 / 2003`): printed names a person describing a picture would not use for
#: one thing, the class a kind belongs to ("a container", "a musical instrument", "some clothing"), or a word
#: that reads as an adjective ("a citrus")
VAGUE_NAMES = frozenset(("container", "vehicle", "motor vehicle", "military vehicle", "aircraft", "clothing",
                         "furniture", "musical instrument", "toy", "hand tool", "power tool", "tool", "weapon",
                         "firearm", "vegetable", "rodent", "poultry", "alcohol", "citrus", "device", "food",
                         "animal", "plant", "beverage"))
#: names of foods that end in "food" and are what people call them (a food for dogs, food served fast)
FOOD_COMPOUNDS = frozenset(("fast food", "comfort food", "finger food", "frozen food", "canned food",
                            "dehydrated food", "soul food", "snack food", "dog food", "cat food", "health food",
                            "junk food", "baby food", "pet food", "convenience food"))
#: "shot" said twice in a caption's opening scene phrases, a verb and a camera view's noun ("Shot on a Nikon F3 and
#: shown in a wide shot"); the only word said twice there in 3,000 default rows but one name ("composed with a
#: frame within a frame") and one location ("in front of a shop front")
SHOT_TWICE = re.compile(r"\b[Ss]hot (?:on|at|with)\b.*\bshot\b|\bshot\b.*\b[Ss]hot (?:on|at|with)\b")
#: "carries a girl on shoulders": a body part said with no possessive
BARE_SHOULDERS = re.compile(r"\bon shoulders\b")
#: ages compared: no picture or video shows an animal's age beside another thing's ("a massasauga is younger than a
#: pilot", `constraints/video_camera_moves.toml`)
AGE_PREDICATES = {"younger_than", "older_than"}
#: a pattern named by a noun said after "is" ("a bench that is chevron", "Is the shirt argyle?"; 38 of 3,000 default
#: rows at seeds 2001-2003), where English wants "chevron-patterned"
PATTERN_NOUNS = ("plaid", "tartan", "gingham", "houndstooth", "herringbone", "argyle", "chevron", "paisley", "mosaic",
                 "polka-dot")
PATTERN_IS = re.compile(r"\b(?:that (?:is|are) (?:[\w'-]+,? )*?|Is the [\w' -]+? )(?:" + "|".join(PATTERN_NOUNS)
                        + r")(?=[?.,]| and\b)")
#: "camera" said twice in the scene phrases ("With the camera panning left and lit by a camera flash": 0.6-1.4 % of
#: `constraints/video_camera_moves.toml` rows at seeds 2001-2003)
CAMERA_TWICE = re.compile(r"\bcamera\b.*\bcamera\b")
NAMING_CHECKS = ("vague_name", "food_name", "shot_twice", "camera_twice", "bare_shoulders", "age_animal",
                 "pattern_is")


def naming_defects(row: dict) -> set[str]:
    """Naming and wording (round 20q), judged by the fixed lists above:

    * ``vague_name``: a thing of the row printed with a name of ``VAGUE_NAMES``;
    * ``food_name``: a thing printed "X food" that is not one of ``FOOD_COMPOUNDS`` ("some olive food", "some
      rosemary food": the food sense of a name another concept keeps);
    * ``shot_twice``: "shot" said twice in the caption's scene phrases ("Shot on a Nikon F3 and shown in a wide
      shot");
    * ``camera_twice``: "camera" said twice there ("with the camera panning left and lit by a camera flash");
    * ``bare_shoulders``: "on shoulders" with no possessive, in the caption or a question;
    * ``pattern_is``: a pattern noun after "is" (``PATTERN_IS``), in the caption or a question;
    * ``age_animal``: an animal (``AGE_ANIMALS``: the categories under "animal") at either end
      of "younger than" / "older than".

    >>> sorted(naming_defects({"objects": [{"name": "container"}, {"name": "olive food"}], "caption": "x"}))
    ['food_name', 'vague_name']
    >>> sorted(naming_defects({"objects": [{"name": "dog food"}], "caption": "Shot on a Leica and shown in a wide shot, a man carries a girl on shoulders."}))
    ['bare_shoulders', 'shot_twice']
    >>> naming_defects({"objects": [{"name": "cup"}], "caption": "Taken with a Leica and shown in a wide shot, a cup."})
    set()
    >>> naming_defects({"caption": "There is a bench that is tan and chevron.", "questions": [
    ...                 {"question": "Is the bench chevron-patterned?"}, {"question": "Is the chevron bench red?"}]})
    {'pattern_is'}
    >>> naming_defects({"caption": "There is a bench that is chevron-patterned.", "questions": []})
    set()
    """
    hit = set()
    names = {o["name"] for o in row.get("objects") or ()}
    if names & VAGUE_NAMES:
        hit.add("vague_name")
    if any(n.endswith(" food") and n not in FOOD_COMPOUNDS for n in names):
        hit.add("food_name")
    caption = row.get("caption") or ""
    if SHOT_TWICE.search(caption.split(", ")[0]):
        hit.add("shot_twice")
    if CAMERA_TWICE.search(caption.split(", ")[0]):
        hit.add("camera_twice")
    texts = [caption, *(q["question"] for q in row.get("questions") or ())]
    if any(BARE_SHOULDERS.search(t) for t in texts):
        hit.add("bare_shoulders")
    if any(PATTERN_IS.search(t) for t in texts):
        hit.add("pattern_is")
    objs = row.get("objects") or ()
    for e in row.get("relations") or ():
        if e["predicate"] in AGE_PREDICATES and any(objs[x].get("category") in AGE_ANIMALS
                                                   for x in (e["subject"], e["object"])):
            hit.add("age_animal")
    return hit


#: the default taxonomy's animal categories (``categories.toml``: animal and the categories under it)
AGE_ANIMALS = _ANIMAL | {"pet", "predator", "livestock", "aquatic_mammal"}


#: round 21q's wording checks (``verb_defects``)
VERB_CHECKS = ("verb_twice", "said_twice")


@functools.lru_cache(maxsize=1)
def _verb_tables():
    """The default taxonomy's verb forms ``{predicate: (present, plural, participle)}`` of the predicates said
    before their object alone (a phrase said around its object, "leads ... by the hand", takes one object), and the
    pairs ``{(attribute type, value): {predicate, ...}}`` whose value's first word is the first word of the
    predicate's participle after "is" ("angry" / "angry at", "walking" / "walking toward", "balancing" / "balanced
    on": the predicate says the value again)."""
    from gas_solver.realize.lexicon import lexicon

    tax = load_taxonomy()
    lex = lexicon(tax)
    forms = {p: (lex.rel_present[p], lex.rel_present_plural.get(p, lex.rel_present[p]), lex.rel_name[p])
             for p in tax.relations if not lex.rel_after[p]}
    head = {p: lex.rel_name[p].lower().removeprefix("is ").split(" ")[0] for p in tax.relations}
    said = {}
    for t in tax.attribute_types.values():
        if t.id not in ("pose", "expression", "plant_state"):
            continue
        for v in t.values:
            first = v.name.lower().replace("-", " ").split(" ")[0]
            stem = first[:-3] if first.endswith("ing") else first
            preds = {p for p, h in head.items() if h == first or (len(stem) > 4 and h.startswith(stem))}
            if preds:
                said[(t.id, v.id)] = preds
    return forms, said


_DETERMINER = r" (?:a|an|some|the)\b"


def verb_defects(row: dict) -> set[str]:
    """Wording (round 21q), judged by the taxonomy's verb forms:

    * ``verb_twice``: a subject with two edges of one predicate says the predicate's verb once per edge ("is above a
      bowl and is above a cup": "is above a bowl and a cup"), in the caption: the predicate's forms, each followed
      by an article, occur more often than there are subjects of it;
    * ``said_twice``: an attribute of a subject that its own edge says again ("an angry grandparent is angry at a
      nurse", "a walking boar walks away from a sheep"): the value's first word leads the predicate
      (``_verb_tables``).

    >>> verb_defects({"caption": "A cup is above a bowl and is above a pan.", "objects": [{"attributes": []}] * 3,
    ...               "relations": [{"subject": 0, "predicate": "above", "object": 1},
    ...                             {"subject": 0, "predicate": "above", "object": 2}]})
    {'verb_twice'}
    >>> verb_defects({"caption": "A cup is above a bowl and a pan.", "objects": [{"attributes": []}] * 3,
    ...               "relations": [{"subject": 0, "predicate": "above", "object": 1},
    ...                             {"subject": 0, "predicate": "above", "object": 2}]})
    set()
    >>> verb_defects({"caption": "An angry man is angry at a cat.", "relations": [
    ...     {"subject": 0, "predicate": "angry_at", "object": 1}], "objects": [
    ...     {"attributes": [{"type": "expression", "value": "angry"}]}, {"attributes": []}]})
    {'said_twice'}
    """
    hit = set()
    edges = row.get("relations") or ()
    if not edges:
        return hit
    forms, said = _verb_tables()
    objs = row.get("objects") or ()
    subjects: dict = {}
    for e in edges:
        subjects.setdefault(e["predicate"], []).append(e["subject"])
        for a in objs[e["subject"]].get("attributes") or ():
            if e["predicate"] in said.get((a["type"], a["value"]), ()):
                hit.add("said_twice")
    caption = row.get("caption") or ""
    for p, subs in subjects.items():
        if len(subs) > len(set(subs)) and p in forms:
            alternatives = "|".join(re.escape(f) for f in sorted(set(forms[p]), key=len, reverse=True))
            said_n = len(re.findall(r"\b(?:" + alternatives + ")" + _DETERMINER, caption))
            if said_n > len(set(subs)):
                hit.add("verb_twice")
    return hit


#: category words that read as a tag, not a name, after another concept's name ("a pan container", "a runner person",
#: "a schooner vehicle"); "fruit", "bird", "tree", "plant", "dish" often make real names ("kiwi fruit", "apple tree")
QUALIFIER_WORDS = frozenset(("object", "container", "vehicle", "person", "device", "structure", "furniture", "reptile",
                             "mammal", "insect", "artifact", "substance", "instrument", "tool", "weapon", "toy"))


@functools.lru_cache(maxsize=1)
def _printed_names() -> frozenset:
    return frozenset(o.name for o in load_taxonomy().objects)


def qualified_defects(row: dict) -> set[str]:
    """Naming (round 21q): ``qualified_name``, a thing printed as another concept's name and a category word of
    ``QUALIFIER_WORDS`` ("a pan container", "a runner person": the build's tag that keeps printed names unique, which
    no person says), judged by the default taxonomy's printed names.

    >>> qualified_defects({"objects": [{"name": "bowl container"}, {"name": "cup"}]})
    {'qualified_name'}
    >>> qualified_defects({"objects": [{"name": "apple tree"}, {"name": "motor vehicle"}]})
    set()
    """
    names = _printed_names()
    for o in row.get("objects") or ():
        head, _, word = o["name"].rpartition(" ")
        if word in QUALIFIER_WORDS and head in names and o["name"] not in ALLOWED_QUALIFIED:
            return {"qualified_name"}
    return set()


#: names of that shape that people say
ALLOWED_QUALIFIED = frozenset(("motor vehicle", "military vehicle", "space vehicle", "lawn furniture", "garden tool",
                               "office furniture", "bedroom furniture", "school furniture", "bathroom furniture",
                               "power tool", "hand tool"))


def category_chains(tax) -> dict:
    """``{printed name: (name, category, parent category, ...)}``: what the checks read a thing's kind from."""
    chain = {}
    for o in tax.objects:
        cats, c = [], o.category
        while c is not None:
            cats.append(tax.categories[c].name)
            c = tax.categories[c].parent
        chain[o.name] = (o.name, *cats)
    return chain


def tally(rows: list, checks: tuple, judge) -> str:
    """The share of ``rows`` that fail each check (``judge(row)``: the set of checks a row fails), as JSON."""
    counts = dict.fromkeys((*checks, "any"), 0)
    for row in rows:
        hit = judge(row)
        for h in hit:
            counts[h] += 1
        counts["any"] += bool(hit)
    return json.dumps({k: f"{v / len(rows):.1%} ({v})" for k, v in counts.items()})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+", type=Path)
    args = ap.parse_args()
    tax = load_taxonomy()
    drinks = {o.name for o in tax.concepts_of("drink")} | {"drink"}
    visible = visible_persons()
    audit = QuestionAudit(tax)
    chain = category_chains(tax)
    locations = tax.scene_attribute_types.get("location")
    settings_of = {v.id: v.setting for v in locations.values} if locations else {}
    size_of = {o.name: o.size for o in tax.objects}
    up = {c: {c, *(a for a in tax.path(c))} for c in tax.categories}
    kind_of = {r.id: r.kind for r in tax.relations.values()}
    value_names = {(t.id, v.id): v.name for t in tax.attribute_types.values() for v in t.values}
    lines = [
        ("relations", REL_CHECKS,
         lambda row: relation_defects(row, up, kind_of) | ({"gear_foil"} if gear_foil(row) else set())),
        ("concepts", CHECKS, lambda row: defects(row, visible, drinks, chain)),
        ("questions", QA_CHECKS, lambda row: question_defects(row, audit)),
        ("scene content", SCENE_CHECKS, lambda row: scene_content_defects(row, chain, settings_of, size_of)),
        ("settings 2", SETTING_CHECKS, lambda row: settings_round_two_defects(row, audit, settings_of, size_of)),
        ("colour", COLOUR_CHECKS, colour_defects),
        ("nouns", NOUN_CHECKS, lambda row: noun_defects(row, chain)),
        ("acts and kinds", ACT_KIND_CHECKS, acts_and_kinds_defects),
        ("hidden surface", SURFACE_CHECKS, hidden_surface_defects),
        ("kind fit", FIT_KIND_CHECKS, lambda row: kind_fit_defects(row, chain, settings_of)),
        ("wording", WORDING_CHECKS, lambda row: wording_defects(row, value_names)),
        ("split phrases", SPLIT_CHECKS, split_phrase_defects),
        ("split edges", ("split_edge",), split_edges),
        ("choices", CHOICE_CHECKS, functools.partial(choice_defects, audit=ChoiceAudit(tax))),
        ("counted foods", FOOD_NOUN_CHECKS, food_noun_defects),
        ("leftovers", LEFTOVER_CHECKS, leftover_defects),
        ("clause lists", CLAUSE_CHECKS, clause_list_defects),
        ("3d scene", THREE_D_CHECKS, three_d_scene_defects),
        ("there twice", THERE_CHECKS, there_defects),
        ("kinds and places", KIND_PLACE_CHECKS, lambda row: kind_place_defects(row, size_of)),
        ("naming", NAMING_CHECKS, naming_defects),
        ("verbs", VERB_CHECKS, verb_defects),
        ("qualified names", ("qualified_name",), qualified_defects),
        ("framing", FRAMING_CHECKS, lambda row: framing_defects(row, size_of)),
        ("grounds", GROUND_CHECKS, lambda row: ground_defects(row, size_of)),
        ("water kinds", WATER_KIND_CHECKS, lambda row: water_kind_defects(row, settings_of)),
    ]
    for path in args.files:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for name, checks, judge in lines:
            print(path, name, tally(rows, checks, judge))


if __name__ == "__main__":
    main()
