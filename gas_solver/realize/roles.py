"""What a role noun shows: the gear a person named by their role is pictured with.

A picture of a drummer shows a drum, of a tennis player a racket, of a skier skis: the role noun names its gear,
so beside such a person "Is there a drum?" has no answer the scene fixes (the scene leaves the drummer's own
drum unstated), nor does a multiple-choice question offering "drum" as a wrong choice, nor "How many drums are
there?".  The question realizer treats a role's gear as present (:meth:`gas_solver.realize.qa._Tables.gear_names`):
no foil or distractor names it, a kind of it, or what it is a kind of, and it is not counted.

The table is keyed by the printed names of the taxonomy's person concepts; each gear name is a printed concept
name (with its is-a descendants and the concepts named "<word> <gear>": "drum" covers the bass drum and the steel
drum, "boat" the PT boat).  Names a taxonomy lacks are
ignored, so any taxonomy file may be used.  Only gear the role's picture shows is listed (a golfer's club, a
weaver's loom), not what the role may meet (a firefighter and a fire engine, a pilot and an aircraft).

>>> ROLE_GEAR["drummer"]
('drum',)
"""

from __future__ import annotations

__all__ = ["ROLE_GEAR"]

#: role (printed person name) -> printed names of the gear its picture shows
ROLE_GEAR: dict[str, tuple[str, ...]] = {
    # music: the instrument the role plays
    "drummer": ("drum",),
    "percussionist": ("drum", "percussion instrument"),
    "drum major": ("baton", "drum"),
    "drum majorette": ("baton", "drum"),
    "baton twirler": ("baton",),
    "conductor": ("baton",),
    "guitarist": ("guitar",),
    "violinist": ("violin",),
    "cellist": ("cello",),
    "pianist": ("piano", "grand piano"),
    "organist": ("pipe organ", "electric organ", "barrel organ", "harmonium"),
    "keyboardist": ("keyboard",),
    "flutist": ("flute", "vertical flute", "straight flute"),
    "oboist": ("oboe",),
    "trumpeter": ("trumpet",),
    "bugler": ("bugle",),
    "tenor saxophonist": ("sax",),
    "lutist": ("lute",),
    "sitar player": ("sitar",),
    "piper": ("bagpipe", "musette pipe", "tabor pipe", "reed pipe", "drone pipe"),
    "disk jockey": ("turntable", "record player"),
    # sports: the ball, bat, board or mount of the game
    "tennis player": ("tennis racket", "tennis ball"),
    "soccer player": ("soccer ball",),
    "goalkeeper": ("soccer ball",),
    "football player": ("football",),
    "quarterback": ("football",),
    "basketball player": ("basketball",),
    "volleyball player": ("volleyball",),
    "hockey player": ("hockey stick", "hockey skate", "puck"),
    "golfer": ("golf club", "golf ball"),
    "caddie": ("golf bag", "golf club"),
    "ballplayer": ("baseball", "baseball bat", "baseball glove"),
    "base runner": ("baseball",),
    "batter": ("baseball bat", "baseball"),
    "pitcher": ("baseball", "baseball glove"),
    "catcher": ("baseball", "baseball glove", "catcher's mask"),
    "first baseman": ("baseball", "baseball glove", "first base"),
    "outfielder": ("baseball", "baseball glove"),
    "fielder": ("baseball", "baseball glove"),
    "bowler": ("bowling ball", "bowling pin", "bowl sports gear"),
    "billiard player": ("billiard ball", "cue", "pool table"),
    "pool player": ("pool ball", "billiard ball", "cue", "pool table"),
    "chess player": ("chessman",),
    "boxer": ("boxing glove", "punch bag"),
    "fencer": ("fencing sword", "foil", "epee", "saber", "fencing mask"),
    "weightlifter": ("barbell", "dumbbell", "weight"),
    "pole vaulter": ("pole",),
    "skier": ("ski", "ski pole"),
    "snowboarder": ("snowboard",),
    "skateboarder": ("skateboard",),
    "skater": ("skate", "ice skate", "roller skate"),
    "ice-skater": ("skate", "ice skate"),
    "speedskater": ("skate", "ice skate", "speed skate"),
    "surfer": ("surfboard",),
    "scuba diver": ("scuba", "flipper"),
    "skin-diver": ("flipper",),
    "parachutist": ("parachute",),
    "skydiver": ("parachute",),
    "tightrope walker": ("tightrope",),
    # riding and rowing: what carries the role
    "cyclist": ("bicycle",),
    "motorcyclist": ("motorcycle",),
    "motorcycle cop": ("motorcycle",),
    "unicyclist": ("unicycle",),
    "horseman": ("horse",),
    "horsewoman": ("horse",),
    "jockey": ("horse", "racehorse"),
    "musher": ("dogsled", "sled dog", "sled"),
    "canoeist": ("canoe", "paddle"),
    "oarsman": ("oar", "rowing boat"),
    "boatman": ("boat",),
    "gondolier": ("gondola",),
    "balloonist": ("hot-air balloon", "balloon", "barrage balloon", "kite balloon"),
    "fighter pilot": ("fighter",),
    "astronaut": ("space helmet",),
    "spacewalker": ("space helmet",),
    # crafts and trades: the tool or material of the work
    "angler": ("fishing rod",),
    "fisherman": ("fishing rod", "fishnet"),
    "archer": ("bow weapon", "arrow", "longbow", "crossbow"),
    "rifleman": ("rifle",),
    "musketeer": ("musket",),
    "lumberjack": ("axe",),
    "bricklayer": ("brick", "trowel", "brick trowel"),
    "blacksmith": ("anvil",),
    "welder": ("welder's mask",),
    "knitter": ("knitting needle",),
    "weaver": ("loom", "handloom"),
    "potter": ("potter's wheel",),
    "painter": ("paintbrush", "easel", "palette"),
    "sculptor": ("sculpture", "chisel"),
    "woodcarver": ("wood chisel", "woodcarving"),
    "cameraman": ("camera", "movie camera", "television camera"),
    "photographer": ("camera",),
    "puppeteer": ("hand puppet",),
    "paperboy": ("newspaper",),
    "mailman": ("mailbag", "mail"),
    "stretcher-bearer": ("stretcher vehicle",),
    "fire-eater": ("torch",),
    "backpacker": ("backpack",),
    # herding and keeping: the animals the role tends
    "beekeeper": ("bee", "beehive"),
    "falconer": ("falcon", "hawk"),
    "shepherd": ("sheep",),
    "goat herder": ("goat",),
}
