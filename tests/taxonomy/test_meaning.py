"""The concept audit of the everyday tier, for meaning: every object a person can picture from its printed
name, and no two concepts of a scene that name one thing.

Golden tables written by hand (checked both ways), the audit script over the whole tier
(``taxonomy/audit.py``, needs WordNet), and properties of sampled scenes and their question sets.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from gas_solver.constraints import load_default_constraints
from gas_solver.realize import question_set
from gas_solver.solve.sample import Sampler
from gas_solver.taxonomy import load_taxonomy
from gas_solver.taxonomy.load import default_taxonomy_path

ROOT = Path(__file__).resolve().parents[2]
WORDNET = Path("/usr/share/wordnet")

# printed name | everyday? -- people a picture of one person shows (age, sex, a role's dress or tools),
# and relational nouns and roles nothing in a picture shows
PERSONS = """
person | yes
man | yes
woman | yes
boy | yes
girl | yes
child | yes
toddler | yes
baby | yes
old woman | yes
chef | yes
nurse | yes
police officer | yes
firefighter | yes
soldier | yes
dancer | yes
bride | yes
astronaut | yes
cowboy | yes
king | yes
nun | yes
photographer | yes
brother | no
little sister | no
sister | no
aunt | no
uncle | no
son | no
daughter | no
wife | no
husband | no
mother | no
grandfather | no
guest | no
professor | no
secretary | no
lawyer | no
librarian | no
passenger | no
student | no
teacher | no
tourist | no
"""

# printed name | category | everyday? -- senses: the printed word names the concept a reader pictures
SENSES = """
dolphin | aquatic_mammal | yes
mahi-mahi | fish | no
radio | device | yes
trousers | clothing | yes
bloomers | clothing | no
bowler hat | clothing | no
doorstep | structure | yes
"""
#: printed names no concept of the everyday tier has any more: a reader pictures another thing
NOT_EVERYDAY_NAMES = ["derby", "man-of-war", "second base", "bird shot", "pick", "pants", "boa", "little sister",
                      "brother", "professor", "secretary", "radio set",
                      # roles and uses, not looks (no picture shows that a dog is a pet)
                      "pet", "livestock", "domestic animal", "game bird", "decoration", "dessert"]

# round 2: parts and fragments are no free-standing objects; whole things that are parts of something stay;
# names whose everyday sense is another thing left the tier or print plainly (printed name | category | everyday);
# round 3 (the last nine rows): a word read in its everyday sense first leaves the tier ("a gig"); a bird named by
# its colour gets its kind's word; the mammals one rides are a kind of mammal ("riding" names them); a pole in the
# street is a structure, a log a natural object
PARTS_AND_NAMES = """
fist | body_part | no
forehead | body_part | no
leg | body_part | no
haircut | body_part | no
little finger | body_part | no
hair | body_part | no
sleeve | artifact | no
space bar | tool | no
stylus | device | no
yolk | food | no
mast | tool | no
rolling stock | vehicle | no
third base | sports_equipment | no
clip | device | no
toy dog | pet | no
recorder | device | no
gas gun | weapon | no
armour helmet | artifact | no
wheel | device_part | yes
car door | structure | yes
window | structure | yes
sail | artifact | yes
lens cap | artifact | yes
car wheel | device_part | yes
police car | vehicle | yes
helmet | clothing | yes
pipe organ | musical_instrument | yes
tree trunk | natural_object | yes
home plate | sports_equipment | yes
gig | vehicle | no
grey parrot | bird | no
horse | mount | yes
camel | mount | yes
elephant | mount | yes
giraffe | mammal | yes
bear | predator | yes
telephone pole | structure | yes
log | natural_object | yes
"""
#: printed names of the round-2 audit that no everyday concept carries any more (each prints another name; the
#: warship "cruiser" stays in common)
RENAMED = ["cruiser", "helmet garment", "tape machine", "organ", "vane", "goal", "poker", "African grey"]

# synonyms: the first stays everyday, the others leave the tier; never foils of each other at any tier
SYNONYMS = """
binoculars | field glass
refrigerator | fridge
plaque | memorial tablet
cow | cattle
trousers | bloomers
"""


def _table(text: str) -> list[list[str]]:
    return [[c.strip() for c in line.split("|")] for line in text.strip().splitlines()]


@pytest.fixture(scope="module")
def tax():
    return load_taxonomy()


@pytest.fixture(scope="module")
def by_name(tax):
    return {o.name: o for o in tax.objects}


@pytest.mark.parametrize("name,everyday", _table(PERSONS))
def test_persons_golden(by_name, name, everyday):
    o = by_name[name]
    assert o.category in ("person", "child")
    assert (o.tier == "everyday") == (everyday == "yes"), (name, o.tier)


def test_every_everyday_person_is_one_a_picture_shows(tax):
    """The person rule applies to the whole tier: an everyday person is listed in visible_persons.tsv."""
    rows = [line.split("\t") for line in (ROOT / "taxonomy/sources/visible_persons.tsv").read_text().splitlines()
            if line and not line.startswith("#")]
    listed = {r[1] for r in rows}
    assert all(len(r) == 3 and r[2] for r in rows), "every row says what shows the role"
    everyday = {o.name for o in tax.objects if o.category in ("person", "child") and o.tier == "everyday"}
    assert everyday <= listed, everyday - listed
    assert len(everyday) >= 50


@pytest.mark.parametrize("name,category,everyday", _table(SENSES))
def test_senses_golden(by_name, name, category, everyday):
    o = by_name[name]
    assert o.category == category
    assert (o.tier == "everyday") == (everyday == "yes"), (name, o.tier)


def test_names_read_as_another_thing_left_the_tier(tax):
    everyday = {o.name for o in tax.objects if o.tier == "everyday"}
    assert not everyday & set(NOT_EVERYDAY_NAMES)


@pytest.mark.parametrize("name,category,everyday", _table(PARTS_AND_NAMES))
def test_parts_and_names_golden(by_name, name, category, everyday):
    o = by_name[name]
    assert o.category == category
    assert (o.tier == "everyday") == (everyday == "yes"), (name, o.tier)


def test_no_body_part_in_the_tier_and_renamed_names_gone(tax, by_name):
    assert not [o.name for o in tax.objects if o.tier == "everyday" and o.category == "body_part"]
    assert not set(RENAMED) & {o.name for o in tax.objects if o.tier == "everyday"}


@pytest.mark.parametrize("group", _table(SYNONYMS), ids=lambda g: g[0])
def test_synonyms_one_in_the_tier_and_never_foils(tax, by_name, group):
    first, *rest = (by_name[n] for n in group)
    assert first.tier == "everyday"
    for o in rest:
        assert o.tier != "everyday", o.name
        assert o.id in tax.concept_confusable(first.id) and first.id in tax.concept_confusable(o.id)


def test_drinks_look_alike_by_category(tax):
    """Every two drinks (a liquid in a glass or cup) are look-alikes: neither is a foil of the other."""
    drinks = [o.id for o in tax.concepts_of("drink")]
    assert len(drinks) > 100
    for a in drinks[::7]:
        assert set(drinks) - {a} <= tax.concept_confusable(a)
    names = {o.name: o.id for o in tax.objects}
    assert names["whiskey"] in tax.concept_confusable(names["soft drink"])
    # a drink is no look-alike of what is not a drink
    assert names["cake"] not in tax.concept_confusable(names["coffee"])


# generic | a kind of its category that WordNet's is-a files elsewhere
GENERICS = """
vehicle | bus
vehicle | train
weapon | grenade
weapon | artillery
toy | pool table
clothing | shoe
"""


@pytest.mark.parametrize("generic,kind", _table(GENERICS))
def test_category_generics_stand_for_their_kinds(tax, by_name, generic, kind):
    """"Is there a bus?" beside "a vehicle" is open: a category's generic pairs with each of its kinds."""
    g, k = by_name[generic], by_name[kind]
    assert k.id in tax.concept_confusable(g.id) and g.id in tax.concept_confusable(k.id)


def test_category_generics_pair_as_a_star(tax, by_name):
    """The kinds of a category are no look-alikes of each other through its generic."""
    assert by_name["bullet train"].id not in tax.concept_confusable(by_name["sports car"].id)
    assert by_name["grenade"].id not in tax.concept_confusable(by_name["sword"].id)
    assert by_name["dog"].id not in tax.concept_confusable(by_name["vehicle"].id)


def test_pictures_and_sculptures_are_never_foils(tax):
    names = {o.name: o.id for o in tax.objects}
    for n in ("painting", "oil painting", "photo", "drawing", "picture", "portrait", "watercolor", "statue",
              "sculpture"):
        assert names[n] in tax.object_never_foil, n
    for n in ("flag", "dog", "snowman", "plaque", "wreath"):
        assert names[n] not in tax.object_never_foil, n


@pytest.fixture(scope="module")
def rows(tax):
    """600 scenes of the default file with their question sets."""
    spec = load_default_constraints(tax)
    sampler = Sampler(spec, tax)
    scenes = list(sampler.sample(600, 14))
    return [(s, question_set(s, tax, seed=k)) for k, s in enumerate(scenes)]


def test_sampled_scenes_name_no_thing_twice(tax, rows):
    """No two concepts of a scene share a printed name, and no synonym pair of the table meets."""
    name = {o.id: o.name.lower() for o in tax.objects}
    pairs = {frozenset(by) for g in _table(SYNONYMS) for by in [(g[0], x) for x in g[1:]]}
    for scene, _qs in rows:
        concepts = {o.concept for o in scene.objects}
        printed = [name[c] for c in concepts]
        assert len(printed) == len(set(printed)), printed
        assert not any(p <= set(printed) for p in pairs), printed


def test_no_foil_looks_like_a_scene_object_or_is_a_picture(tax, rows):
    """No existence foil or distractor is a picture, or a look-alike (by group or by category) of an object of
    its scene."""
    by_name = {o.name: o.id for o in tax.objects}
    seen = 0
    for scene, qs in rows:
        here = {o.concept for o in scene.objects}
        for q in qs:
            if q["type"] != "existence":
                continue
            offered = []
            if q["answer"] == "no":
                m = re.match(r"^(?:Is there (?:an? )?|Are there any )(.*)\?$", q["question"])
                offered += [m.group(1)] if m.group(1) in by_name else []
            if q.get("choices"):
                offered += [c for c in q["choices"] if c != q["answer"]]
            for n in offered:
                c = by_name[n]
                seen += 1
                assert c not in tax.object_never_foil, (n, q)
                assert not any(c in tax.concept_confusable(h) for h in here), (n, q)
    assert seen > 1000


@pytest.mark.skipif(not (WORDNET / "data.noun").exists(), reason="WordNet 3.0 not installed")
def test_audit_of_the_everyday_tier(build_modules):
    """taxonomy/audit.py over the whole tier: no kin but the bride and the baby (dress, age), no name that reads as
    another concept of the tier, every picture never a foil."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("gas_taxonomy_audit", ROOT / "taxonomy" / "audit.py")
    audit = importlib.util.module_from_spec(spec)
    sys.modules["gas_taxonomy_audit"] = audit
    spec.loader.exec_module(audit)
    wn = audit.WordNet.read(WORDNET)
    doc = json.loads(gzip.decompress(default_taxonomy_path().read_bytes()))
    _, objects = audit.load(default_taxonomy_path())
    found = audit.audit(wn, objects, "everyday")
    assert sorted(r[0] for r in found["kin"]) == ["baby", "bride"]
    assert found["shared"] == []
    assert {r[1] for r in found["picture"]} <= set(doc["object_never_foil"])
    assert not {r[0] for r in found["homonym"]} & {"man-of-war", "boa"}
    # round 2: no body part and no listed fragment among the parts; no capped ambiguous name
    by_id = {o["id"]: o for o in objects}
    assert not [r for r in found["part"] if by_id[r[1]]["category"] == "body_part"]
    assert not {r[0] for r in found["part"]} & {"sleeve", "space bar", "stylus", "brake shoe", "yolk", "mast"}
    assert not {r[0] for r in found["ambiguous"]} & {"cruiser", "third base", "clip", "toy dog", "recorder",
                                                      "gas gun", "viola", "poker", "organ"}


def test_scale_audit_no_vertical_relation_across_scales():
    """taxonomy/audit.py ``scale`` (round 3): "higher than" and "lower than" bind no two everyday things four or
    more size classes apart ("a ski jacket is higher than a windmill"), "below" and "behind" no huge or vast subject
    ("an estate car is below a measuring stick", "an RV behind a cell phone"); "far from" still joins a bus and a
    cup."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("gas_taxonomy_audit", ROOT / "taxonomy" / "audit.py")
    audit = importlib.util.module_from_spec(spec)
    sys.modules["gas_taxonomy_audit"] = audit
    spec.loader.exec_module(audit)
    tax = load_taxonomy()
    spans = {r[0]: r for r in audit.scale_spans(tax, "everyday")}
    assert "higher_than" not in spans and "lower_than" not in spans
    assert "far_from" in spans and "next_to" in spans
    for rel in ("below", "behind"):
        band = tax.size_band(rel, "subject", "vehicle")
        assert band[1] <= 3, (rel, band)  # up to large: no bus below or behind anything
    assert len(spans) <= 48


def test_sampled_attributes_pass_the_round_four_audit(tax, rows):
    """The scripted attribute checks of ``benchmarks/bench_meaning.py`` (rounds 2 and 4: colour names read as a
    thing or a flavour, colours beside a material with its own, kinds with their own colour, textures and states
    by kind, see-through kinds, origins on objects of a faith, fullness) find nothing in 600 sampled scenes."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("gas_bench_meaning", ROOT / "benchmarks" / "bench_meaning.py")
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench
    spec.loader.exec_module(bench)
    round_four = {"colour_word", "own_colour", "fixed_colour", "kind_texture", "see_through", "faith_origin",
                  "fullness"}
    found, seen = [], 0
    for scene, _qs in rows:
        for o in scene.objects:
            c = tax.object(o.concept)
            obj = {"concept": o.concept, "name": c.name, "category": c.category,
                   "attributes": [{"type": a.type, "value": a.value} for a in o.attributes]}
            seen += bool(o.attributes)
            hit = bench.attribute_defects(obj) & round_four
            if hit:
                found.append((c.name, obj["attributes"], sorted(hit)))
    assert seen > 300 and not found, found[:10]
    # the checks can fail: the round's readings, as rows, are caught
    assert bench.attribute_defects({"concept": "", "name": "panda", "category": "mammal",
                                    "attributes": [{"type": "colour", "value": "light_tan"}]}) == {"fixed_colour"}
    assert "colour_word" in bench.attribute_defects({"concept": "", "name": "cookie", "category": "baked_good",
                                                     "attributes": [{"type": "colour", "value": "rust_brown"}]})
    assert "own_colour" in bench.attribute_defects({"concept": "", "name": "cabinet", "category": "furniture",
                                                    "attributes": [{"type": "colour", "value": "pale_aqua"},
                                                                   {"type": "material", "value": "oak"}]})


def _bench_meaning():
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("gas_bench_meaning", ROOT / "benchmarks" / "bench_meaning.py")
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench
    spec.loader.exec_module(bench)
    return bench


def test_sampled_scenes_hold_what_their_scene_attributes_need(tax, rows):
    """Round 5 (``bench_meaning.scene_content_defects``): no sampled scene holds a scene attribute that presupposes
    content it lacks ("portraiture" without a person), names a place its location or objects deny (a seascape set
    in a coffee shop, a low horizon beside a love seat), a render material beside an object's own material, or
    livestock in a room or a street."""
    bench = _bench_meaning()
    chain = bench.category_chains(tax)
    settings_of = {v.id: v.setting for v in tax.scene_attribute_types["location"].values}
    size_of = {o.name: o.size for o in tax.objects}

    def row_of(scene):
        return {"objects": [{"name": tax.object(o.concept).name, "category": tax.object(o.concept).category,
                             "attributes": [{"type": a.type, "value": a.value} for a in o.attributes]}
                            for o in scene.objects],
                "scene_attributes": [{"type": a.type, "value": a.value} for a in scene.scene_attributes]}

    found = {}
    for scene, _qs in rows:
        for h in bench.scene_content_defects(row_of(scene), chain, settings_of, size_of):
            found.setdefault(h, []).append(scene.scene_attributes)
    assert not found, found
    # the checks can fail: the round's readings, as rows, are caught
    reading = {"objects": [{"name": "coffee cup", "category": "kitchenware", "attributes": []}],
               "scene_attributes": [{"type": "art_genre", "value": "portraiture"}]}
    assert bench.scene_content_defects(reading, chain, settings_of, size_of) == {"needs_content"}
    reading = {"objects": [{"name": "toilet seat", "category": "furniture", "attributes": []}],
               "scene_attributes": [{"type": "art_genre", "value": "seascape_painting"},
                                    {"type": "location", "value": "coffee_shop"}]}
    assert bench.scene_content_defects(reading, chain, settings_of, size_of) == {"wrong_place"}
    reading = {"objects": [{"name": "sock", "category": "clothing",
                            "attributes": [{"type": "material", "value": "leather"}]}],
               "scene_attributes": [{"type": "render_material", "value": "porcelain"}]}
    assert bench.scene_content_defects(reading, chain, settings_of, size_of) == {"two_materials"}
    reading = {"objects": [{"name": "turkey", "category": "bird", "attributes": []}],
               "scene_attributes": [{"type": "location", "value": "office_building"}]}
    assert bench.scene_content_defects(reading, chain, settings_of, size_of) == {"farm_place"}


def _row(scene, tax) -> dict:
    objs = [{"concept": o.concept, "name": tax.object(o.concept).name, "category": tax.object(o.concept).category,
             "attributes": [{"type": a.type, "value": a.value} for a in o.attributes]} for o in scene.objects]
    return {"objects": objs, "relations": [{"subject": r.subject, "object": r.object, "predicate": r.predicate}
                                           for r in scene.relations]}


#: the default file's semantics and vocabulary, narrowed to scenes where animals or people act and carry poses
ACTS = """format = "gas-constraints/1"
[semantics]
subject_exclusions = true
[vocabulary]
familiarity = "everyday"
relation_tier = "everyday"
subjects = ["{who}"]
attribute_types = ["pose"]
[space]
complexity = [3, 7]
objects = [2, 3]
relations = [1, 3]
"""


@pytest.mark.parametrize("who", ["animal", "person"])
def test_sampled_relations_pass_the_round_four_audit(tax, who):
    """The scripted relation checks of ``benchmarks/bench_meaning.py`` (relation plausibility round 4: acts whose
    object does not fit the subject's kind, poses that contradict the subject's act) find nothing in 500 scenes
    where animals or people act and carry poses, and catch the readings that led to them."""
    from gas_solver.constraints import parse_constraints

    bench = _bench_meaning()
    spec = parse_constraints(ACTS.replace("{who}", who), tax)
    up = {c: {c, *tax.path(c)} for c in tax.categories}
    found, posed = [], 0
    for scene in Sampler(spec, tax).sample(500, 21):
        row = _row(scene, tax)
        posed += sum(1 for r in scene.relations if scene.objects[r.subject].attributes)
        hit = bench.relation_defects(row, up)
        if hit:
            found.append((row, sorted(hit)))
    assert posed > 100 and not found, found[:5]
    # the same space without the rules has both defects
    loose = parse_constraints(ACTS.replace("{who}", who).replace("subject_exclusions = true", "relations = \"any\""),
                              tax)
    assert any(bench.relation_defects(_row(s, tax), up) for s in Sampler(loose, tax).sample(500, 21))
    # the checks can fail: the round's readings, as rows, are caught
    pony = {"name": "pony", "category": "mount", "attributes": []}
    boy = {"name": "boy", "category": "person", "attributes": []}
    sitting = {"name": "man", "category": "person", "attributes": [{"type": "pose", "value": "sitting"}]}
    bowl = {"name": "bowl", "category": "kitchenware", "attributes": []}
    assert bench.relation_defects({"objects": [pony, boy], "relations": [
        {"subject": 0, "object": 1, "predicate": "feeding"}]}, up) == {"pair_kind"}
    assert bench.relation_defects({"objects": [sitting, bowl], "relations": [
        {"subject": 0, "object": 1, "predicate": "running_toward"}]}, up) == {"pose_action"}
    assert not bench.relation_defects({"objects": [boy, pony], "relations": [
        {"subject": 0, "object": 1, "predicate": "feeding"}]}, up)


@pytest.mark.parametrize("who", ["animal", "person"])
def test_sampled_poses_fit_their_subjects_posture(tax, who):
    """Actions and poses round 2 (``bench_meaning.posture_defects``): with the subject exclusions on, no subject's
    pose contradicts the posture of its act (lying, sitting, kneeling, standing; walking, running, swimming,
    flying) and no sleeping subject acts awake, in 500 scenes where animals or people act and carry poses; the
    same space without the rules has such rows, and the reading's rows are caught."""
    from gas_solver.constraints import parse_constraints

    bench = _bench_meaning()
    kind_of = {r.id: r.kind for r in tax.relations.values()}
    spec = parse_constraints(ACTS.replace("{who}", who), tax)
    found = [row for row in (_row(s, tax) for s in Sampler(spec, tax).sample(500, 23))
             if bench.posture_defects(row, kind_of)]
    assert not found, found[:5]
    loose = parse_constraints(ACTS.replace("{who}", who).replace("subject_exclusions = true", "attributes = \"natural\""),
                              tax)
    assert any(bench.posture_defects(_row(s, tax), kind_of) for s in Sampler(loose, tax).sample(500, 23))

    def posed(name, category, pose):
        return {"name": name, "category": category, "attributes": [{"type": "pose", "value": pose}]}

    def edge(subject, predicate, obj):
        return {"objects": [subject, obj], "relations": [{"subject": 0, "object": 1, "predicate": predicate}]}

    fisherman = {"name": "fisherman", "category": "person", "attributes": []}
    oven = {"name": "oven", "category": "kitchenware", "attributes": []}
    assert bench.posture_defects(edge(posed("skater", "person", "kneeling"), "lying_next_to", fisherman), kind_of)
    assert bench.posture_defects(edge(posed("pigeon", "bird", "soaring"), "walking_away_from", oven), kind_of)
    assert bench.posture_defects(edge(posed("dog", "mammal", "running"), "walking_past", oven), kind_of)
    assert bench.posture_defects(edge(posed("chef", "person", "sleeping"), "giving_flowers_to", fisherman), kind_of)
    assert not bench.posture_defects(edge(posed("cat", "mammal", "sleeping"), "lying_on", oven), kind_of)
    assert not bench.posture_defects(edge(posed("shark", "fish", "swimming"), "chasing", fisherman), kind_of)


def test_sampled_attributes_pass_the_round_five_audit(tax, rows):
    """The round-5 checks of ``benchmarks/bench_meaning.py`` (size words against the thing's size class; textures,
    surfaces and states by kind; colours by kind) find nothing in 600 sampled scenes, and catch the reading's rows."""
    bench = _bench_meaning()
    found, sized = [], 0
    for scene, _qs in rows:
        for o in scene.objects:
            c = tax.object(o.concept)
            obj = {"concept": o.concept, "name": c.name, "category": c.category,
                   "attributes": [{"type": a.type, "value": a.value} for a in o.attributes]}
            sized += any(a.type == "size" for a in o.attributes)
            hit = bench.round_five_defects(obj)
            if hit:
                found.append((c.name, obj["attributes"], sorted(hit)))
    assert sized > 20 and not found, found[:10]
    by_name = {o.name: o for o in tax.objects}

    def row(name, *attrs):
        o = by_name[name]
        return bench.round_five_defects({"concept": o.id, "name": name, "category": o.category,
                                         "attributes": [{"type": t, "value": v} for t, v in attrs]})
    assert row("typewriter", ("size", "enormous")) == {"size_word"}
    assert row("cricket", ("size", "huge")) == {"size_word"}
    assert row("elephant", ("size", "tiny")) == {"size_word"}
    assert row("dog", ("size", "huge")) == set() and row("bus", ("size", "huge")) == set()
    assert row("beer bottle", ("texture", "woven")) == {"kind_surface"}
    assert row("acorn", ("colour", "off_white")) == {"kind_colour"}
    assert row("coconut tree", ("colour", "ivory")) == {"kind_colour"}
    assert row("cup", ("finish", "chrome_plated"), ("colour", "dusk_blue")) == {"kind_colour"}
    assert row("wig", ("openness", "zipped_up")) == {"kind_surface"}
    assert row("tray", ("shape", "spherical")) == {"kind_surface"}
    assert row("strawberry", ("colour", "light_tan")) == {"kind_colour"}
    assert row("strawberry", ("colour", "red")) == set() and row("jacket", ("openness", "unzipped")) == set()
    # the taxonomy itself: the rows above are outside their concepts' domains
    assert not tax.attribute_fits("size", "enormous", by_name["typewriter"].id)
    assert not tax.attribute_fits("size", "tiny", by_name["elephant"].id)
    assert tax.attribute_fits("size", "huge", by_name["dog"].id)
    assert tax.attributes_exclude([("finish", "chrome_plated"), ("colour", "dusk_blue")]).id == "own_colour_finish"


#: the default file's semantics and vocabulary, narrowed to scenes that hold a colour comparison
COLOUR_PAIRS = """format = "gas-constraints/1"
[semantics]
subject_exclusions = true
[vocabulary]
familiarity = "everyday"
relation_tier = "everyday"
attribute_types = ["colour"]
[space]
complexity = [3, 6]
objects = [2, 3]
relations = [1, 2]
[[require]]
pattern = "a:* -[the_same_colour_as|a_different_colour_from]-> b:*"
"""


def test_sampled_colour_comparisons_pass_the_colour_audit(tax):
    """Colour round (``bench_meaning.colour_defects``): with ``subject_exclusions = true`` the subject of a colour
    comparison carries no colour word (the taxonomy's subject exclusion ``colour_comparison``), so no stated colours
    decide it, in 400 scenes that each hold one; the checks catch the reading's rows, and ``subject_exclusions =
    false`` brings them back."""
    from gas_solver.constraints import parse_constraints

    bench = _bench_meaning()
    spec = parse_constraints(COLOUR_PAIRS, tax)
    scenes = Sampler(spec, tax).sample(400, 3)
    coloured = 0
    for s in scenes:
        row = _row(s, tax) | {"scene_attributes": []}
        assert not bench.colour_defects(row), row
        coloured += sum(bool(o["attributes"]) for o in row["objects"])
        for r in s.relations:
            if r.predicate in bench.COLOUR_COMPARISONS:
                assert not s.objects[r.subject].attributes
    assert coloured > 100  # the objects of the comparisons still carry colours
    loose = parse_constraints(COLOUR_PAIRS.replace("subject_exclusions = true", "subject_exclusions = false"), tax)
    assert any(bench.colour_defects(_row(s, tax) | {"scene_attributes": []})
               for s in Sampler(loose, tax).sample(400, 3))
    wheel = {"name": "wheel", "category": "device_part", "attributes": [{"type": "colour", "value": "muted_blue"}]}
    guitar = {"name": "acoustic guitar", "category": "musical_instrument",
              "attributes": [{"type": "colour", "value": "russet"}]}
    same = {"objects": [wheel, guitar], "relations": [{"subject": 0, "object": 1, "predicate": "the_same_colour_as"}],
            "scene_attributes": []}
    assert bench.colour_defects(same) == {"colour_comparison"}
    pumpkin = {"name": "gun", "category": "weapon", "attributes": [{"type": "colour", "value": "light_blue"}]}
    marble = {"objects": [pumpkin], "relations": [],
              "scene_attributes": [{"type": "medium", "value": "marble_sculpture"}]}
    assert bench.colour_defects(marble) == {"colourless_colour"}


def test_sampled_scenes_pass_the_noun_audit(tax, rows):
    """Nouns and their modifiers (``bench_meaning.noun_defects``): in 600 sampled scenes with their captions and
    questions, no thing people name only in the plural is printed as a singular ("a headphone"), no caption or
    question puts a scene in a genre named by content it lacks ("in the genre of religious painting" of a mailbox),
    and no modifier is one the noun cannot take ("a wavy mare", "chocolate champagne"); the checks catch the
    reading's rows."""
    from gas_solver.realize import caption

    bench = _bench_meaning()
    chain = bench.category_chains(tax)
    found = []
    for k, (scene, qs) in enumerate(rows):
        row = _row(scene, tax) | {"scene_attributes": [{"type": a.type, "value": a.value}
                                                       for a in scene.scene_attributes],
                                  "caption": caption(scene, tax, seed=k),
                                  "questions": list(qs)}
        if bench.noun_defects(row, chain):
            found.append((bench.noun_defects(row, chain), row["caption"]))
    assert not found, found[:5]
    mare = {"name": "mare", "category": "mount", "attributes": [{"type": "texture", "value": "wavy"}]}
    headphone = {"name": "headphone", "category": "device", "attributes": []}
    champagne = {"name": "champagne", "category": "drink", "attributes": [{"type": "flavour", "value": "chocolate"}]}
    mailbox = {"name": "mailbox", "category": "container", "attributes": []}
    ammunition = {"name": "ammunition", "category": "weapon", "attributes": [{"type": "colour", "value": "neon_purple"}]}
    assert bench.noun_defects({"objects": [mare]}, chain) == {"fit_texture"}
    assert bench.noun_defects({"objects": [champagne]}, chain) == {"fit_flavour"}
    assert bench.noun_defects({"objects": [ammunition]}, chain) == {"fit_colour"}
    assert bench.noun_defects({"objects": [headphone]}, chain) == {"plural_singular"}
    asparagus = {"name": "asparagus", "category": "vegetable", "attributes": []}
    assert bench.noun_defects({"objects": [asparagus], "caption": "There is an asparagus."}, chain) == {"mass_count"}
    assert not bench.noun_defects({"objects": [asparagus], "caption": "There is some asparagus."}, chain)
    assert tax.object(next(o.id for o in tax.objects if o.name == "asparagus")).countability == "mass"
    scissors = {"name": "scissors", "category": "tool", "attributes": [{"type": "colour", "value": "red"}]}
    assert bench.noun_defects({"objects": [scissors], "caption": "There are some red scissors."}, chain) == {
        "pair_some"}
    assert not bench.noun_defects({"objects": [scissors], "caption": "There is a pair of red scissors."}, chain)
    reading = "In the genre of religious painting and in a sun shower, there is a mailbox."
    assert bench.noun_defects({"objects": [mailbox], "caption": reading}, chain) == {"genre_content"}
    assert not bench.noun_defects({"objects": [mailbox], "caption": reading.replace(
        "In the genre of religious painting", "Styled like a religious painting")}, chain)


#: acting animals of the kinds the acts-and-kinds round reads (mammals of the water, birds, fish), every act
KINDS_ACTING = """format = "gas-constraints/1"
[semantics]
subject_exclusions = true
[vocabulary]
familiarity = "everyday"
relation_tier = "everyday"
subjects = ["aquatic_mammal", "bird", "fish"]
attribute_types = ["pose"]
[space]
complexity = [3, 6]
objects = [2, 3]
relations = [1, 2]
"""


def test_sampled_acts_fit_the_animals_kind(tax):
    """Acts and kinds round 3 (``bench_meaning.acts_and_kinds_defects``): no mammal of the water walks, stands or
    handles things as a land mammal does, no bird sits or lies as a person does, no fish crosses a bridge, and no
    lying, sitting or kneeling subject carries or drags anything, in 600 scenes of whales, dolphins, birds and fish
    acting on one another with poses (the symmetric postures, "sitting next to", are left: no rule by subject may
    split a symmetric relation); relations of any domain bring them back, and the readings' rows are caught."""
    from gas_solver.constraints import parse_constraints

    bench = _bench_meaning()
    spec = parse_constraints(KINDS_ACTING, tax)
    symmetric = {r.id for r in tax.relations.values() if r.symmetric}
    found, water = [], 0
    for scene in Sampler(spec, tax).sample(600, 29):
        row = _row(scene, tax)
        water += sum(o["name"] in bench.WATER_MAMMALS for o in row["objects"])
        row["relations"] = [e for e in row["relations"] if e["predicate"] not in symmetric]
        hit = bench.acts_and_kinds_defects(row) & {"kind_act", "pose_carry"}
        if hit:
            found.append((row, sorted(hit)))
    assert water > 30 and not found, found[:5]
    loose = parse_constraints(KINDS_ACTING.replace("subject_exclusions = true", "relations = \"any\""), tax)
    assert any("kind_act" in bench.acts_and_kinds_defects(_row(s, tax)) for s in Sampler(loose, tax).sample(600, 29))

    def edge(subject, predicate, obj, scene=()):
        return {"objects": [subject, obj], "relations": [{"subject": 0, "object": 1, "predicate": predicate}],
                "scene_attributes": [{"type": t, "value": v} for t, v in scene]}

    def thing(name, category, **attrs):
        return {"name": name, "category": category, "attributes": [{"type": t, "value": v} for t, v in attrs.items()]}

    man, chair, box = thing("man", "person"), thing("chair", "furniture"), thing("box", "container")
    assert bench.acts_and_kinds_defects(edge(thing("dolphin", "mammal"), "walking_past", man)) == {"kind_act"}
    assert bench.acts_and_kinds_defects(edge(thing("pigeon", "bird"), "sitting_on", chair)) == {"kind_act"}
    assert bench.acts_and_kinds_defects(edge(thing("man", "person", pose="reclining"), "carrying", box)) == {"pose_carry"}
    assert bench.acts_and_kinds_defects(edge(thing("horse", "mount"), "ridden_by", thing("singer", "person",
                                                                                          pose="standing"))) \
        == {"pose_object"}
    tent = thing("tent", "artifact")
    assert bench.acts_and_kinds_defects(edge(tent, "near", man, [("weather", "heavy_snow"),
                                                                  ("location", "sandy_desert")])) == {"season_place"}
    assert not bench.acts_and_kinds_defects(edge(thing("sea lion", "mammal"), "swimming_in", thing("lake", "x")))
    assert not bench.acts_and_kinds_defects(edge(thing("man", "person", pose="walking"), "carrying", box))


#: one object and one 3D render style, medium or art style that hides some of its words: every scene holds a value that may hide the object's words
RENDERS = """format = "gas-constraints/1"
[semantics]
hides = true
[space]
modality = "3d"
objects = 1
relations = 0
complexity = [2, 4]
attributes_per_object = [1, 3]
scene_attributes = [1, 1]
[vocabulary]
objects = { include = ["artifact", "animal", "food", "plant"], exclude = ["building", "structure"] }
scene_attribute_types = ["render_style", "medium", "art_style"]
scene_attribute_values = { include = [
    "render_style:wireframe_render", "render_style:clay_render", "render_style:silhouette_render",
    "render_style:hologram_render", "medium:marble_sculpture", "medium:lego_model", "art_style:chinese_ink_painting",
] }
"""


def test_sampled_renders_pass_the_hidden_surface_audit(tax):
    """Hiding round two (``bench_meaning.hidden_surface_defects``): with ``[semantics] hides`` no object carries a
    colour, material, pattern or texture word that its scene's render style, medium, style or light hides ("shown
    as a wireframe render, a plaid sombrero"; "rendered as a marble sculpture, a wooden chair"; "in the style of
    Chinese ink painting, a scarlet uniform"), in 600 scenes that each hold one such value; the checks
    catch hand rows, and ``hides = false`` brings them back."""
    from gas_solver.constraints import parse_constraints

    bench = _bench_meaning()

    def row(s):
        return _row(s, tax) | {"scene_attributes": [{"type": a.type, "value": a.value} for a in s.scene_attributes]}

    spec = parse_constraints(RENDERS, tax)
    hiding = words = 0
    for s in Sampler(spec, tax).sample(600, 5):
        r = row(s)
        assert not bench.hidden_surface_defects(r), r
        assert not bench.colour_defects(r), r
        keys = {f"{a['type']}:{a['value']}" for a in r["scene_attributes"]}
        hiding += bool(keys & (bench.MATERIAL_HIDDEN | bench.COLOURLESS_TWO))
        words += bool(r["objects"][0]["attributes"])
    assert hiding == words == 600  # every scene hides, and its object still carries the words left
    loose = parse_constraints(RENDERS.replace("hides = true", "hides = false"), tax)
    found = set()
    for s in Sampler(loose, tax).sample(600, 5):
        found |= bench.hidden_surface_defects(row(s))
    assert found == set(bench.SURFACE_CHECKS)
    sombrero = {"name": "sombrero", "category": "clothing", "attributes": [{"type": "pattern", "value": "plaid"}]}
    assert bench.hidden_surface_defects({"objects": [sombrero], "relations": [], "scene_attributes": [
        {"type": "render_style", "value": "wireframe_render"}]}) == {"shown_surface"}
    chair = {"name": "chair", "category": "furniture", "attributes": [{"type": "material", "value": "wooden"}]}
    assert bench.hidden_surface_defects({"objects": [chair], "relations": [], "scene_attributes": [
        {"type": "medium", "value": "marble_sculpture"}]}) == {"shown_material"}
    assert not bench.hidden_surface_defects({"objects": [chair], "relations": [], "scene_attributes": [
        {"type": "medium", "value": "pencil_sketch"}]})  # a drawing shows the wood
    uniform = {"name": "military uniform", "category": "clothing",
               "attributes": [{"type": "colour", "value": "scarlet"}]}
    assert bench.hidden_surface_defects({"objects": [uniform], "relations": [], "scene_attributes": [
        {"type": "art_style", "value": "chinese_ink_painting"}]}) == {"shown_colour"}
    assert bench.hidden_surface_defects({"objects": [uniform], "relations": [], "scene_attributes": [
        {"type": "artist", "value": "eadweard_muybridge"}]}) == {"shown_colour"}
    assert not bench.hidden_surface_defects({"objects": [uniform], "relations": [], "scene_attributes": [
        {"type": "artist", "value": "claude_monet"}]})
    assert bench.hidden_surface_defects({"objects": [chair], "relations": [], "scene_attributes": [
        {"type": "artist", "value": "auguste_rodin"}]}) == {"shown_material"}


def test_default_file_hides_what_its_values_hide(tax, rows):
    """The default file's 600 sampled rows: no colour word beside a monochrome artist, Chinese ink painting or
    ultraviolet light, no material word beside a sculpture or a Lego model (``bench_meaning.hidden_surface_defects``;
    4.6 % of rows on a9b4ebe, ``gas sample -n 1000 --seed 41``)."""
    bench = _bench_meaning()
    for s, _ in rows:
        r = _row(s, tax) | {"scene_attributes": [{"type": a.type, "value": a.value} for a in s.scene_attributes]}
        assert not bench.hidden_surface_defects(r), r


def test_sampled_poses_fit_the_animals_kind(tax):
    """Fit round 7 (``bench_meaning.kind_fit_defects``, ``pose_kind``): in 600 scenes of posed animals acting, no
    hoofed animal sits, crouches, curls up, reclines or basks, no land bird swims or dives, no bird but a
    hummingbird hovers, no farm bird or penguin sings, no elephant jumps; the same space with every value
    anywhere has such rows, and the reading's rows are caught."""
    from gas_solver.constraints import parse_constraints

    bench = _bench_meaning()
    chain = bench.category_chains(tax)
    spec = parse_constraints(ACTS.replace("{who}", "animal"), tax)
    rows = [_row(s, tax) for s in Sampler(spec, tax).sample(600, 31)]
    posed = sum(1 for r in rows for o in r["objects"] if o["attributes"])
    found = [r for r in rows if bench.kind_fit_defects(r, chain)]
    assert posed > 300 and not found, found[:5]
    loose = parse_constraints(ACTS.replace("{who}", "animal").replace("subject_exclusions = true",
                                                                        "attributes = \"any\""), tax)
    assert any(bench.kind_fit_defects(_row(s, tax), chain) for s in Sampler(loose, tax).sample(600, 31))

    def posed_as(name, category, pose):
        return {"objects": [{"name": name, "category": category, "attributes": [{"type": "pose", "value": pose}]}]}

    for name, category, pose in [("horse", "mount", "reclining"), ("kangaroo", "mammal", "basking"),
                                 ("giraffe", "mammal", "sitting"), ("zebra", "mammal", "curled_up"),
                                 ("hen", "bird", "swimming"), ("owl", "bird", "hovering"),
                                 ("penguin", "bird", "singing"), ("elephant", "mount", "jumping"),
                                 ("python", "reptile", "reclining")]:
        assert bench.kind_fit_defects(posed_as(name, category, pose), chain) == {"pose_kind"}, name
    for name, category, pose in [("cat", "pet", "basking"), ("duck", "bird", "swimming"),
                                 ("hummingbird", "bird", "hovering"), ("lion", "predator", "reclining"),
                                 ("robin", "bird", "singing")]:
        assert not bench.kind_fit_defects(posed_as(name, category, pose), chain), name


def test_sampled_scenes_pass_the_kind_fit_audit(tax, rows):
    """Fit round 7 (``bench_meaning.kind_fit_defects``): in 600 sampled scenes of the default file no shape is one
    the kind is not made in ("a green onion that is oval", "an octagonal pot"), no texture one its cloth or skin
    never has ("woolly jeans", "a knobbly grape"), no cloth print on a painting or a jewel; ~2-4 % of rows had one
    before the round.  The reading's rows are caught and plausible ones pass."""
    bench = _bench_meaning()
    chain = bench.category_chains(tax)
    found = [row for row in (_row(scene, tax) for scene, _ in rows) if bench.kind_fit_defects(row, chain)]
    assert not found, found[:5]

    def thing(name, category, kind, value):
        return {"objects": [{"name": name, "category": category, "attributes": [{"type": kind, "value": value}]}]}

    for name, category, kind, value, check in [
            ("green onion", "vegetable", "shape", "oval", "fit_shape"), ("pot", "kitchenware", "shape", "octagonal",
                                                                        "fit_shape"),
            ("egg roll", "dish", "shape", "triangular", "fit_shape"), ("swing door", "structure", "shape", "spiral",
                                                                       "fit_shape"),
            ("jeans", "clothing", "texture", "woolly", "fit_cloth"), ("military uniform", "clothing", "texture",
                                                                      "sheer", "fit_cloth"),
            ("grape", "fruit", "texture", "knobbly", "fit_cloth"), ("oil painting", "artwork", "pattern",
                                                                    "houndstooth", "fit_print"),
            ("necklace", "accessory", "pattern", "pinstriped", "fit_print"), ("grenade", "weapon", "finish",
                                                                              "jewelled", "fit_print")]:
        assert bench.kind_fit_defects(thing(name, category, kind, value), chain) == {check}, name
    for name, category, kind, value in [("banana", "fruit", "shape", "curved"), ("coat", "clothing", "texture",
                                                                                 "furry"),
                                        ("dress", "clothing", "texture", "sheer"), ("sword", "weapon", "finish",
                                                                                    "jewelled"),
                                        ("cake", "baked_good", "shape", "heart_shaped")]:
        assert not bench.kind_fit_defects(thing(name, category, kind, value), chain), name


def _default_with(scene_values: list[str], types: list[str]) -> str:
    """The default file's text with only ``types`` of scene attributes, two per scene, and of the listed values."""
    from gas_solver.constraints.parse import default_constraints_path

    text = default_constraints_path().read_text(encoding="utf-8")
    include = ("scene_attribute_values = { include = [%s] }\n" % ", ".join(f'"{v}"' for v in scene_values)
               if scene_values else "")
    text = re.sub(r"scene_attribute_values = \{ exclude = \[.*?\] \}\n", include
                  + "scene_attribute_types = [%s]\n" % ", ".join(f'"{t}"' for t in types), text, flags=re.S)
    return text.replace("scene_attributes = [0, 2]", "scene_attributes = [2, 2]")


def test_sampled_landscapes_and_seasons_fit_their_place(tax):
    """Fit round 7 (``bench_meaning.kind_fit_defects`` ``genre_place``, ``acts_and_kinds_defects``
    ``season_place``): in scenes of the default file whose two scene attributes are landscape genres, landscape
    painters or styles, locations, seasons and weathers, no landscape shows a small or indoor thing, no landscape
    painter's style is set in a room, no ski slope, igloo or outdoor ice rink is in hot weather and no desert road in
    snow (9.5 % and 0.25 % of such rows before the round)."""
    from gas_solver.constraints import parse_constraints

    bench = _bench_meaning()
    chain = bench.category_chains(tax)
    settings_of = {v.id: v.setting for v in tax.scene_attribute_types["location"].values}
    values = sorted(bench.LANDSCAPE_GENRES | bench.LANDSCAPE_STYLES)
    genres = parse_constraints(_default_with(values, ["subject_genre", "art_style", "artist", "location", "season",
                                                      "weather"]), tax)
    seasons = parse_constraints(_default_with([], ["location", "season", "weather"]), tax)
    found = []
    for spec, seed in ((genres, 41), (seasons, 43)):
        for scene in Sampler(spec, tax).sample(400, seed):
            row = _row(scene, tax) | {"scene_attributes": [{"type": a.type, "value": a.value}
                                                           for a in scene.scene_attributes]}
            # the place against the weather and season only: a frost-covered thing in a heat wave is another class
            bare = row | {"objects": [o | {"attributes": []} for o in row["objects"]]}
            hit = (bench.kind_fit_defects(row, chain, settings_of) & {"genre_place"}) \
                | (bench.acts_and_kinds_defects(bare) & {"season_place"})
            if hit:
                found.append((sorted(hit), row))
    assert not found, found[:3]

    def scene(objects, *keys):
        return {"objects": [{"name": n, "category": c, "attributes": []} for n, c in objects],
                "relations": [], "scene_attributes": [{"type": k.split(":")[0], "value": k.split(":")[1]}
                                                      for k in keys]}

    stick = [("hockey stick", "sports_equipment"), ("sliding board", "toy")]
    assert bench.kind_fit_defects(scene(stick, "subject_genre:landscape_photography"), chain) == {"genre_place"}
    assert bench.kind_fit_defects(scene([("fork", "kitchenware")], "art_style:luminism",
                                        "location:royal_bedchamber"), chain, settings_of) == {"genre_place"}
    assert not bench.kind_fit_defects(scene([("horse", "mount")], "subject_genre:landscape_painting"), chain)
    assert bench.acts_and_kinds_defects(scene([("ski", "sports_equipment")], "location:igloo",
                                              "weather:humid_heat")) == {"season_place"}


def test_sampled_captions_pass_the_wording_audit(tax, rows):
    """Wording round (``bench_meaning.wording_defects``): in 600 sampled rows of the default file and 300 of
    ``constraints/3d_objects.toml`` (the file with the most textures), no texture or fit is said after a colour or
    a pattern of the same thing ("a dark salmon woolly cowboy hat": 1.2 % of default rows and 11.9 % of 3D rows on
    main 10ffb9d, ``gas sample -n 1000 --seed 211``), and no style is named without its article or after "style
    of" when it is an adjective or a label ("in the style of Tibetan thangka", "in the style of kawaii": 3.5 % and
    3.6 %); the checks catch the reading's rows."""
    from gas_solver.constraints import parse_constraints
    from gas_solver.realize import caption

    bench = _bench_meaning()
    names = {(t.id, v.id): v.name for t in tax.attribute_types.values() for v in t.values}

    def row(scene, k, qs):
        return _row(scene, tax) | {"caption": caption(scene, tax, seed=k), "questions": list(qs)}

    found, textured = [], 0
    three_d = parse_constraints((ROOT / "constraints" / "3d_objects.toml").read_text(encoding="utf-8"), tax)
    sampled = [(s, qs) for s, qs in rows] + [(s, question_set(s, tax, seed=k))
                                             for k, s in enumerate(Sampler(three_d, tax).sample(300, 211))]
    for k, (scene, qs) in enumerate(sampled):
        r = row(scene, k, qs)
        textured += any({"texture"} < {a["type"] for a in o["attributes"]} for o in r["objects"])
        if bench.wording_defects(r, names):
            found.append((bench.wording_defects(r, names), r["caption"]))
    assert textured > 40 and not found, found[:5]  # 45 rows with a texture and another type on the 1.16 taxonomy
    hat = {"name": "cowboy hat", "attributes": [{"type": "colour", "value": "dark_salmon"},
                                                {"type": "texture", "value": "woolly"}]}
    reading = "Set at a boathouse, there is a dark salmon woolly cowboy hat."
    assert bench.wording_defects({"objects": [hat], "caption": reading}, names) == {"adjective_order"}
    assert not bench.wording_defects({"objects": [hat], "caption": reading.replace("dark salmon woolly",
                                                                                   "woolly dark salmon")}, names)
    plimsoll = {"name": "plimsoll", "attributes": [{"type": "colour", "value": "green_brown"},
                                                  {"type": "fit", "value": "loose_fitting"}]}
    assert bench.wording_defects({"objects": [plimsoll], "caption": "There is a green brown loose-fitting plimsoll."},
                                 names) == {"adjective_order"}
    shoe = {"name": "running shoe", "attributes": [{"type": "pattern", "value": "striped"},
                                                   {"type": "texture", "value": "crocheted"}]}
    assert bench.wording_defects({"objects": [shoe], "caption": "There is a striped crocheted running shoe."},
                                 names) == {"adjective_order"}
    for bad, good in [("In the style of Tibetan thangka, a dog.", "In the style of a Tibetan thangka, a dog."),
                      ("In the style of kawaii, a dog.", "In kawaii style, a dog."),
                      ("In the style of Ligne claire, a dog.", "In ligne claire style, a dog."),
                      ("In the style of Jan van Eyck reimagined in Persian miniature, a dog.",
                       "In the style of Jan van Eyck reimagined in Persian miniature style, a dog.")]:
        assert bench.wording_defects({"objects": [], "caption": bad}, names) == {"style_article"}, bad
        assert not bench.wording_defects({"objects": [], "caption": good}, names), good
    assert not bench.wording_defects({"objects": [], "caption": "In the style of Raoul Dufy and as a miniature "
                                                                "diorama 3D model, a dog."}, names)
    # a mass category word after a name ("some beaker kitchenware": 5.3 % of constraints/kitchen_still_life.toml
    # rows on main, -n 1000 --seed 211) is said first now ("a kitchen beaker")
    assert not [o.name for o in tax.objects if o.name.endswith(tuple(f" {w}" for w in bench.MASS_QUALIFIERS))]
    beaker = next(o for o in tax.objects if o.name == "kitchen beaker")
    assert beaker.countability == "count" and beaker.tier == "all"
    assert bench.wording_defects({"objects": [{"name": "beaker kitchenware", "attributes": []}]}, names) == {
        "category_word"}


#: scenes that each hold a phrase English says around its object, beside other relations and attributes
SPLIT_SCENES = """format = "gas-constraints/1"
[vocabulary]
objects = [{objects}]
[space]
complexity = [3, 9]
objects = [2, 4]
relations = [1, 3]
attributes_per_object = [0, 2]
[[require]]
description = "a phrase said around its object"
pattern = "a:* -[{preds}]-> b:*"
"""


def test_split_phrases_are_the_taxonomys_and_read_in_english_order(tax):
    """Phrases English says around their object ("a woman leads a soldier by the hand", never "leads by the hand a
    soldier"): the taxonomy marks exactly the fixed list of ``bench_meaning.SPLIT_PHRASES`` (``after_object``), and
    in 2 x 150 sampled scenes that each hold one (people's phrases, animals' phrases), neither the caption nor a
    question says the phrase before its object (``bench_meaning.split_phrase_defects``), every caption parses back
    to its scene, and every phrase is seen; the check catches the old order."""
    from gas_solver.constraints import parse_constraints
    from gas_solver.realize import parse_caption, realize_scene
    from gas_solver.scene import canonical_id

    bench = _bench_meaning()
    marked = {r.id: r.after_object for r in tax.relations.values() if r.after_object}
    assert marked == {p: a for p, _, a in bench.SPLIT_PHRASES}
    for p, after in marked.items():
        r = tax.relations[p]
        assert r.name.endswith(" " + after) and r.present.endswith(" " + after), r
        assert after.split(" ")[0] in ("in", "on", "by"), r  # an adjunct of place or means
    # people's phrases apart from animals' (an animal's would outnumber them about 20 to 1 in one space)
    people = sorted(p for p in marked if tax.relations[p].subject == ("person",))
    animals = sorted(set(marked) - set(people))
    objects = ('"person"', '"person", "animal", "food", "toy", "natural_object", "flower", "sports_equipment"')
    seen = set()
    for preds, vocabulary in ((people, objects[0]), (animals, objects[1])):
        text = SPLIT_SCENES.replace("{preds}", "|".join(preds)).replace("{objects}", vocabulary)
        for k, s in enumerate(Sampler(parse_constraints(text, tax), tax).sample(150, 11)):
            row = realize_scene(s, tax, seed=k)
            assert bench.split_edges(row) == {"split_edge"}
            assert not bench.split_phrase_defects(row), row["caption"]
            assert canonical_id(parse_caption(row["caption"], tax)) == canonical_id(s), row["caption"]
            seen |= {r.predicate for r in s.relations} & set(marked)
    assert seen == set(marked)
    assert bench.split_phrase_defects({"caption": "A woman leads by the hand a soldier.", "questions": []})
    assert bench.split_phrase_defects({"caption": "", "questions": [
        {"question": "Is the nurse pushing in a wheelchair the old man?"}]})


def test_sampled_questions_pass_the_choice_audit(tax, rows):
    """Questions round (``bench_meaning.choice_defects``): in 600 sampled rows of the default file and 150 of
    ``constraints/geneval/counting.toml``, no young animal is offered beside its kind or a kind beside the young one
    ("puppy" beside a beagle: 1.5 % of default rows on main 176fb1e, ``gas sample -n 1000 --seed 1901``), no two
    wrong choices of one question may name one thing ("[massive, huge, giant, small]", "[elephant, Indian
    elephant, horse, African elephant]": 70.5 %), and copies the set counts are asked about in the plural ("Is
    there a kite?" over three kites: 0.4 %, and 98 % of GenEval counting rows); the checks catch the reading's
    rows, and the noun audit's ``pair_some`` no longer reads "Some eel is below the pajamas" as "some pajamas"."""
    from gas_solver.constraints import parse_constraints

    bench = _bench_meaning()
    audit = bench.ChoiceAudit(tax)
    counting = parse_constraints((ROOT / "constraints" / "geneval" / "counting.toml").read_text(encoding="utf-8"),
                                 tax)
    sampled = list(rows) + [(s, question_set(s, tax, seed=k))
                            for k, s in enumerate(Sampler(counting, tax).sample(150, 1901))]
    found, counted = [], 0
    for scene, qs in sampled:
        r = _row(scene, tax) | {"questions": list(qs)}
        counted += any(q["type"] == "count" for q in qs)
        if bench.choice_defects(r, audit):
            found.append((bench.choice_defects(r, audit), [q["question"] for q in qs][:4]))
    assert counted > 100 and not found, found[:5]
    beagle = {"concept": audit.id_of["beagle"], "name": "beagle", "attributes": []}
    size = {"type": "attribute", "format": "multiple_choice", "negative": False, "answer": "small",
            "choices": ["massive", "huge", "small", "medium-sized"], "question": "What size is the beagle?",
            "elements": [{"object": 0, "attribute": ["size", "small"]}]}
    assert bench.choice_defects({"objects": [beagle], "questions": [size]}, audit) == {"near_choices"}
    size = dict(size, choices=["massive", "tiny", "small", "medium-sized"])
    assert not bench.choice_defects({"objects": [beagle], "questions": [size]}, audit)
    grey = dict(size, choices=["cinnamon", "beige", "charcoal", "charcoal grey"], answer="cinnamon",
                elements=[{"object": 0, "attribute": ["colour", "cinnamon"]}])
    assert bench.choice_defects({"objects": [beagle], "questions": [grey]}, audit) == {"near_choices"}
    which = {"type": "existence", "format": "multiple_choice", "negative": False, "answer": "beagle",
             "choices": ["cat", "Persian cat", "puppy", "beagle"], "question": "Which of these is in the image?",
             "elements": [{"object": 0}]}
    assert bench.choice_defects({"objects": [beagle], "questions": [which]}, audit) == {"young_foil", "near_choices"}
    kite = {"concept": audit.id_of["kite"], "name": "kite", "attributes": []}
    qs = [{"type": "existence", "format": "yes_no", "negative": False, "question": "Is there a kite?",
           "elements": [{"object": 0}]},
          {"type": "count", "format": "number", "negative": False, "question": "How many kites are there?",
           "elements": [{"object": 0}, {"object": 1}]}]
    assert bench.choice_defects({"objects": [kite, kite], "questions": qs}, audit) == {"copies_singular"}
    qs[0] = dict(qs[0], question="Are there any kites?")
    assert not bench.choice_defects({"objects": [kite, kite], "questions": qs}, audit)
    pajamas = {"name": "pajamas", "attributes": [{"type": "colour", "value": "muted_pink"}]}
    eel = {"name": "eel", "attributes": []}
    reading = ("At dawn and shot at a shutter speed of 4 s, a backpack is the same size as a pair of muted pink "
               "pajamas. Some eel is below the pajamas.")
    assert not bench.pair_some({"objects": [pajamas, eel], "caption": reading})
    assert bench.pair_some({"objects": [pajamas, eel], "caption": "There are some muted pink pajamas."})


def test_foods_eaten_one_by_one_are_count_nouns(tax):
    """Questions round (``bench_meaning.food_noun_defects``): foods eaten one by one that the build had as mass nouns
    under a mass head ("some hush puppy", "some cherrystone": 1 row in 300 of ``constraints/kitchen_still_life.toml``
    at seed 1901 on main 176fb1e) are count nouns ("a hush puppy", "two cherrystones"); none is in the everyday tier,
    so the default file's vocabulary and rows are unchanged; in 200 sampled rows of the kitchen file none is said as
    a mass noun."""
    from gas_solver.constraints import parse_constraints
    from gas_solver.realize import caption
    from gas_solver.realize.lexicon import lexicon

    bench = _bench_meaning()
    lex = lexicon(tax)
    by_name = {o.name: o for o in tax.objects}
    for name in ("hush puppy", "biscuit", "scone", "cherrystone", "mussel", "black olive", "pickle", "bay leaf"):
        o = by_name[name]
        assert o.countability == "count" and o.tier != "everyday", (name, o.countability, o.tier)
        assert lex.obj[o.id].indefinite.startswith(("a ", "an ")), lex.obj[o.id].indefinite
    assert by_name["bread and butter pickle"].plural == "bread and butter pickles"
    kitchen = parse_constraints((ROOT / "constraints" / "kitchen_still_life.toml").read_text(encoding="utf-8"), tax)
    found = []
    for k, scene in enumerate(Sampler(kitchen, tax).sample(200, 1901)):
        r = _row(scene, tax) | {"caption": caption(scene, tax, seed=k), "questions": question_set(scene, tax, seed=k)}
        if bench.food_noun_defects(r):
            found.append(r["caption"])
    assert not found, found[:5]
    assert bench.food_noun_defects({"objects": [{"name": "hush puppy"}], "caption": "Some hush puppy is on a plate.",
                                    "questions": []})
RESTING_BESIDE = """format = "gas-constraints/1"
[vocabulary]
familiarity = "everyday"
objects = ["animal", "person"]
relations = ["sitting_next_to", "standing_next_to", "lying_next_to"]
[space]
complexity = [3, 5]
objects = [2, 3]
relations = [1, 2]
"""


def test_sampled_postures_beside_another_fit_both_kinds(tax):
    """Leftovers round 8 (``bench_meaning.leftover_defects``, ``water_posture`` and ``hoofed_sits``): the symmetric
    postures leave kinds out on both ends (``subject_except`` / ``object_except``), so in 400 scenes of people and
    animals sitting, standing or lying next to each other no whale, dolphin or sea lion takes part and no riding or
    farm animal (horse, elephant, cow) sits; the same space without relation domains has such rows, and the reading's
    rows are caught while a dog sitting next to a boy passes.  Wild hoofed kinds that are no category of their own (a
    deer, a bison, an impala) may still sit next to something: ``hoofed_sits`` counts them, this test does not."""
    from gas_solver.constraints import parse_constraints

    bench = _bench_meaning()

    def farm_sits(row):
        return any(e["predicate"] == "sitting_next_to" and {row["objects"][e[k]]["category"] for k in
                                                             ("subject", "object")} & {"mount", "livestock"}
                   for e in row["relations"])

    def bad(row):
        return "water_posture" in bench.leftover_defects(row) or farm_sits(row)

    rows = [_row(s, tax) for s in Sampler(parse_constraints(RESTING_BESIDE, tax), tax).sample(400, 41)]
    assert sum(len(r["relations"]) for r in rows) > 400
    found = [r for r in rows if bad(r)]
    assert not found, found[:5]
    loose = parse_constraints(RESTING_BESIDE + '[semantics]\nrelations = "any"\n', tax)
    loose_rows = [_row(s, tax) for s in Sampler(loose, tax).sample(400, 41)]
    assert any("water_posture" in bench.leftover_defects(r) for r in loose_rows) and any(map(farm_sits, loose_rows))

    def beside(a, b, predicate):
        return {"objects": [{"name": n, "category": c, "attributes": []} for n, c in (a, b)],
                "relations": [{"subject": 0, "object": 1, "predicate": predicate}]}

    whale, bear, cow, dog, boy = (("grey whale", "aquatic_mammal"), ("bear", "predator"), ("cow", "livestock"),
                                  ("dog", "pet"), ("boy", "child"))
    assert bench.leftover_defects(beside(whale, bear, "sitting_next_to")) == {"water_posture"}
    assert bench.leftover_defects(beside(boy, whale, "standing_next_to")) == {"water_posture"}
    assert bench.leftover_defects(beside(cow, boy, "sitting_next_to")) == {"hoofed_sits"}
    assert not bench.leftover_defects(beside(dog, boy, "sitting_next_to"))
    assert not bench.leftover_defects(beside(cow, boy, "standing_next_to"))


CARRYING = """format = "gas-constraints/1"
[vocabulary]
objects = ["person", "pet", "bird"]
relations = ["carrying_on_shoulders", "giving_a_piggyback_ride_to", "riding_on_the_shoulders_of",
             "pushing_in_a_stroller"]
[space]
complexity = [3, 5]
objects = [2, 3]
relations = [1, 2]
"""


def test_sampled_carried_people_are_children(tax):
    """Leftovers round 8 (``bench_meaning.leftover_defects``, ``carry_age`` and ``stroller_age``): children are a
    kind of person (category ``child``), so an adult carries a child on the shoulders or the back, a child (or a
    pet, a bird) rides on an adult's shoulders and a stroller holds a child.  In 400 scenes of these acts (every
    tier) no one else is carried and every one pushed in a stroller is a child; the same space without relation
    domains has "a sister carries a chemist on shoulders", and the reading's rows are caught.  ``stroller_age`` also
    counts a schoolchild in a stroller, which this rule keeps (a schoolgirl is a child)."""
    from gas_solver.constraints import parse_constraints

    bench = _bench_meaning()
    rows = [_row(s, tax) for s in Sampler(parse_constraints(CARRYING, tax), tax).sample(400, 43)]
    assert sum(len(r["relations"]) for r in rows) >= 400
    found = [r for r in rows if "carry_age" in bench.leftover_defects(r)]
    assert not found, found[:5]
    strollers = parse_constraints(CARRYING.replace('"riding_on_the_shoulders_of",\n', "").replace(
        '"carrying_on_shoulders", "giving_a_piggyback_ride_to", ', ""), tax)
    assert strollers.vocabulary.predicates == {"pushing_in_a_stroller"}
    pushed = [o for s in Sampler(strollers, tax).sample(200, 43) for o in (_row(s, tax)["objects"][r.object]
                                                                           for r in s.relations)]
    assert len(pushed) >= 200 and all(o["category"] == "child" for o in pushed)
    loose = parse_constraints(CARRYING + '[semantics]\nrelations = "any"\n', tax)
    loose_rows = [_row(s, tax) for s in Sampler(loose, tax).sample(400, 43)]
    assert sum("carry_age" in bench.leftover_defects(r) for r in loose_rows) > 100
    assert any("stroller_age" in bench.leftover_defects(r) for r in loose_rows)

    def acts(a, b, predicate):
        return {"objects": [{"name": n, "category": c, "attributes": []} for n, c in (a, b)],
                "relations": [{"subject": 0, "object": 1, "predicate": predicate}]}

    sister, chemist, girl, man, judge, toddler = (("sister", "person"), ("chemist", "person"), ("girl", "child"),
                                                  ("man", "person"), ("judge", "person"), ("toddler", "child"))
    assert bench.leftover_defects(acts(sister, chemist, "carrying_on_shoulders")) == {"carry_age"}
    assert bench.leftover_defects(acts(girl, man, "giving_a_piggyback_ride_to")) == {"carry_age"}
    assert bench.leftover_defects(acts(man, girl, "riding_on_the_shoulders_of")) == {"carry_age"}
    assert bench.leftover_defects(acts(man, judge, "pushing_in_a_stroller")) == {"stroller_age"}
    assert not bench.leftover_defects(acts(man, girl, "carrying_on_shoulders"))
    assert not bench.leftover_defects(acts(girl, man, "riding_on_the_shoulders_of"))
    assert not bench.leftover_defects(acts(man, toddler, "pushing_in_a_stroller"))


def test_only_snakes_slither(tax):
    """Leftovers round 8 (``bench_meaning.leftover_defects``, ``slither_kind``): slithering is a snake's; in 300
    scenes of posed reptiles no turtle, lizard or crocodile slithers while snakes still do, the same space with
    every value anywhere has "a slithering box turtle", and the reading's row is caught."""
    from gas_solver.constraints import parse_constraints

    bench = _bench_meaning()
    text = ('format = "gas-constraints/1"\n[vocabulary]\nobjects = ["reptile"]\nattribute_types = ["pose"]\n'
            '[space]\ncomplexity = [2, 4]\nobjects = [1, 2]\nattributes_per_object = [1, 1]\n')
    rows = [_row(s, tax) for s in Sampler(parse_constraints(text, tax), tax).sample(300, 47)]
    assert not [r for r in rows if "slither_kind" in bench.leftover_defects(r)]
    assert any(a["value"] == "slithering" for r in rows for o in r["objects"] for a in o["attributes"])
    loose = parse_constraints(text + '[semantics]\nattributes = "any"\n', tax)
    assert any("slither_kind" in bench.leftover_defects(_row(s, tax)) for s in Sampler(loose, tax).sample(300, 47))
    turtle = {"name": "box turtle", "category": "reptile", "attributes": [{"type": "pose", "value": "slithering"}]}
    assert bench.leftover_defects({"objects": [turtle], "relations": []}) == {"slither_kind"}
    assert not bench.leftover_defects({"objects": [dict(turtle, name="python")], "relations": []})


def test_sampled_lists_end_with_their_clauses(tax, rows):
    """Clause lists (``bench_meaning.clause_list_defects``): in a list of things, a thing whose noun phrase ends in a
    "that is ..." clause comes last, and a comma ends its clause before the next such thing, so the clause never
    seems to go on into the list ("a life ring that is pearl white and a golfer", "a pin that is red, some noodles and
    a cup": 24 % of default rows on main 176fb1e, ``gas sample -n 150 --seed 1901``); every such caption still reads
    back to its scene."""
    from gas_solver.realize import caption, parse_caption
    from gas_solver.scene import canonical_id

    bench = _bench_meaning()
    found, listed = [], 0
    for k, (scene, _qs) in enumerate(rows):
        text = caption(scene, tax, seed=k)
        if bench.clause_list_defects({"caption": text}):
            found.append(text)
        if re.search(r"that (?:is|are) [^.]*(?:, and|\band) (?:a|an|some) |(?:,| and) (?:a|an|some) [^.,]* that (?:is|are) ",
                     text):
            listed += 1
            assert canonical_id(parse_caption(text, tax)) == canonical_id(scene), text
    assert listed > 50 and not found, found[:5]
    assert bench.clause_list_defects({"caption": "There is a life ring that is pearl white and a golfer."}) == {
        "clause_and"}
    assert bench.clause_list_defects({"caption": "Lit by a desk lamp, there is a cobra that is sienna, some meat and "
                                                 "a cup."}) == {"clause_mid_list"}
    assert not bench.clause_list_defects({"caption": "There is a cup, a box that is open and blue, and a pin that is "
                                                     "red. A rod that is red is near a cup and is on a mat."})


def test_three_d_rows_state_nothing_the_output_drops(tax):
    """``constraints/3d_objects.toml``: a 3D output is the object alone, rendered in views around it, so no row states
    a place, a backdrop, a time of day, an atmosphere, a camera view or a camera move (``bench_meaning.
    three_d_scene_defects``: 86 % of its rows on main 176fb1e, ``-n 50 --seed 1901``, 33 of 50 "set in/at ...");
    the render's own attributes (engine, model style, lighting, textures) and styles still appear."""
    from gas_solver.constraints import parse_constraints
    from gas_solver.realize import realize_scene

    bench = _bench_meaning()
    spec = parse_constraints((ROOT / "constraints" / "3d_objects.toml").read_text(encoding="utf-8"), tax)
    seen, found = set(), []
    for k, s in enumerate(Sampler(spec, tax).sample(200, 1901)):
        row = realize_scene(s, tax, seed=k)
        assert row["modality"] == "3d"
        seen |= {a["type"] for a in row["scene_attributes"]}
        if bench.three_d_scene_defects(row):
            found.append(row["caption"])
    assert not found, found[:5]
    assert {"render_engine", "model_style", "artist", "art_style"} <= seen, seen
    assert bench.three_d_scene_defects({"modality": "3d", "scene_attributes": [{"type": "location", "value": "x"}]})


def test_a_later_there_is_says_also(tax, rows):
    """``bench_meaning.there_defects``: no caption opens two sentences alike with "There is" / "There are" ("there is a
    jacket and a punch bag. There is a doll below a ski.": 6.0 % of default rows, ``gas sample -n 1000 --seed 1901 /
    1902 / 1903`` before); a later one says "There is also", and every such caption reads back to its scene."""
    from gas_solver.realize import caption, parse_caption
    from gas_solver.scene import canonical_id

    bench = _bench_meaning()
    found, also = [], 0
    for k, (scene, _qs) in enumerate(rows):
        text = caption(scene, tax, seed=k)
        if bench.there_defects({"caption": text}):
            found.append(text)
        if re.search(r"\bThere (?:is|are) also\b", text):
            also += 1
            assert canonical_id(parse_caption(text, tax)) == canonical_id(scene), text
    assert also > 10 and not found, (also, found[:5])


def test_sampled_sitting_beside_fits_the_kind(tax):
    """Leftovers round 9 (``bench_meaning.kind_place_defects``, ``reptile_sits``; ``leftover_defects``,
    ``hoofed_sits``): no reptile sits next to anything ("a python sits next to a dancer"), and of the mammals without
    a kind of their own only those up to medium do (a size band by category: no deer, moose, bison, zebra, giraffe or
    rhino), while hunters and pets of any size still do.  400 scenes of ``RESTING_BESIDE``; the same space without
    relation domains and size bands has such rows."""
    from gas_solver.constraints import parse_constraints

    bench = _bench_meaning()
    size_of = {o.id: o.size for o in tax.objects}

    def big_plain_sits(row):
        return any(e["predicate"] == "sitting_next_to" and any(
            row["objects"][e[k]]["category"] == "mammal" and size_of[row["objects"][e[k]]["concept"]] >= 3
            for k in ("subject", "object")) for e in row["relations"])

    def bad(row):
        return "reptile_sits" in bench.kind_place_defects(row) or big_plain_sits(row)

    rows = [_row(s, tax) for s in Sampler(parse_constraints(RESTING_BESIDE, tax), tax).sample(400, 43)]
    sits = [r for r in rows if any(e["predicate"] == "sitting_next_to" for e in r["relations"])]
    assert len(sits) > 50 and any(o["category"] == "predator" and size_of[o["concept"]] >= 3
                                  for r in sits for o in r["objects"]), len(sits)
    found = [r for r in rows if bad(r)]
    assert not found, found[:5]
    loose = parse_constraints(RESTING_BESIDE + '[semantics]\nrelations = "any"\nsizes = false\n', tax)
    loose_rows = [_row(s, tax) for s in Sampler(loose, tax).sample(400, 43)]
    assert any(map(bad, loose_rows))


def test_rail_vehicles_keep_to_the_rails(tax):
    """Leftovers round 9 (``bench_meaning.kind_place_defects``, ``rail_place``): trains, locomotives and rail cars fit
    the rail setting (a railroad track, a train platform) and no other, so no scene sets one at a hunting lodge, in
    a corral or a town plaza; a tram, a bus and a person fit the rail setting as they fit the town.  400 scenes of
    vehicles and people at six places, two of them by the rails (``setting = "fitting"``)."""
    from gas_solver.constraints import parse_constraints

    bench = _bench_meaning()
    by_name = {o.name: o for o in tax.objects}
    locations = tax.scene_attribute_types["location"]
    placed = {v.setting for v in locations.values} - {None}
    for name in ("train", "bullet train", "freight car", "passenger car", "steam locomotive"):
        fits = {s for s in placed if tax.setting_fits(s, by_name[name].id)}
        assert fits == {"rail"}, (name, fits)
    for name in ("bus", "person", "dog", "trolley"):
        assert tax.setting_fits("rail", by_name[name].id) and tax.setting_fits("town", by_name[name].id), name
    assert {v.id for v in locations.values if v.setting == "rail"} == {"railroad_track", "train_platform"}
    spec = parse_constraints('format = "gas-constraints/1"\n[vocabulary]\nfamiliarity = "everyday"\n'
                             'objects = ["vehicle", "person"]\nscene_attribute_types = ["location"]\n'
                             'scene_attribute_values = ["location:railroad_track", "location:train_platform", '
                             '"location:corral", "location:hunting_lodge", "location:town_plaza", '
                             '"location:small_islet"]\n'
                             '[space]\ncomplexity = [2, 3]\nobjects = [1, 2]\nrelations = 0\nscene_attributes = 1\n'
                             'setting = "fitting"\n', tax)
    rows = []
    for s in Sampler(spec, tax).sample(400, 43):
        row = _row(s, tax)
        row["scene_attributes"] = [{"type": a.type, "value": a.value} for a in s.scene_attributes]
        rows.append(row)
    railed = [r for r in rows if any(bench.RAIL_VEHICLE.search(o["name"]) for o in r["objects"])]
    found = [r for r in rows if "rail_place" in bench.kind_place_defects(r)]
    assert not found, found[:5]
    assert railed and not found, (len(railed), found[:5])
    assert bench.kind_place_defects({"objects": [{"name": "train", "category": "vehicle"}], "relations": [],
                                     "scene_attributes": [{"type": "location", "value": "corral"}]}) == {"rail_place"}


def test_sampled_video_rows_move(tax):
    """Leftovers round 9 (``bench_meaning.kind_place_defects``, ``video_still`` and ``video_unseen``): every row of
    ``constraints/video_camera_moves.toml`` names a camera movement (``[space] required_scene_attribute_types``; 2.3 /
    1.3 / 1.6 % of ``gas sample -n 1000 --seed 2001 / 2002 / 2003`` rows before had neither a camera movement nor a
    relation: "In a blizzard, there is a sea pen and a groundhog."), and none compares ages or weights ("a
    massasauga is younger than ..."; 1.2-1.6 % before).  300 rows."""
    from gas_solver.constraints import parse_constraints
    from gas_solver.realize import realize_scene

    bench = _bench_meaning()
    spec = parse_constraints((ROOT / "constraints" / "video_camera_moves.toml").read_text(encoding="utf-8"), tax)
    found = []
    for k, s in enumerate(Sampler(spec, tax).sample(300, 2001)):
        row = realize_scene(s, tax, seed=k)
        assert row["modality"] == "video"
        if bench.kind_place_defects(row):
            found.append(row["caption"])
    assert not found, found[:5]
    still = {"modality": "video", "objects": [{"name": "sea pen", "category": "invertebrate"}], "relations": [],
             "scene_attributes": [{"type": "weather", "value": "blizzard"}]}
    assert bench.kind_place_defects(still) == {"video_still"}


#: naming round: (printed name, tier, familiarity) of concepts whose printed name the build's ``familiarity.reprint``
#: gives after the names are unique; each keeps the score and tier of the name it had ("citrus", "rosemary food",
#: "rosemary"), so the default file's vocabulary is the same concepts
REPRINTED = """
citrus fruit | everyday | 3.58
rosemary | common | 2.81
rosemary plant | everyday | 3.57
herb | common | 3.01
herb plant | everyday | 3.77
cocoa | everyday | 4.49
cocoa powder | common | 2.64
chocolate | common | 3.69
wheat | common | 3.24
wheat plant | everyday | 4.01
"""


@pytest.mark.parametrize("name,tier,score", _table(REPRINTED))
def test_reprinted_names_keep_their_scores(by_name, name, tier, score):
    o = by_name[name]
    assert (o.tier, o.familiarity) == (tier, float(score)), (name, o.tier, o.familiarity)


def test_names_people_use(tax, rows):
    """Naming round (``bench_meaning.naming_defects``): no sampled default row names a class of kinds ("a container",
    "a musical instrument", "some clothing": 6.3-7.5 % of default rows at ``gas sample -n 1000 --seed 2001 / 2002 /
    2003`` before), which ``sources/tier_caps.tsv`` keeps out of the everyday tier while their kinds stay; no food
    is printed "X food" where a plant kept the name ("some rosemary food"); no "a citrus"."""
    bench = _bench_meaning()
    everyday = {o.name for o in tax.objects if o.tier == "everyday"}
    assert not everyday & bench.VAGUE_NAMES, everyday & bench.VAGUE_NAMES
    assert {"guitar", "box", "car", "chair", "sword", "doll", "screwdriver", "dress"} <= everyday
    names = {o.name for o in tax.objects}
    for gone in ("rosemary food", "parsley food", "nutmeg food", "chocolate food", "mole food", "citrus"):
        assert gone not in names, gone
    found = []
    for k, (scene, _qs) in enumerate(rows):
        if bench.naming_defects(_row(scene, tax)) & {"vague_name", "food_name"}:
            found.append([o["name"] for o in _row(scene, tax)["objects"]])
    assert not found, found[:5]
    assert bench.naming_defects({"objects": [{"name": "container"}], "caption": ""}) == {"vague_name"}


def test_ages_compared_only_where_looks_show_them(tax):
    """Naming round (``bench_meaning.naming_defects`` ``age_animal``): no animal is younger or older than anything
    ("a massasauga is younger than a pilot": 1.0-1.3 % of ``gas sample -n 1000 --seed 2001 / 2002 / 2003
    constraints/video_camera_moves.toml`` before); people still are, by their looks."""
    from gas_solver.constraints import parse_constraints
    from gas_solver.realize import realize_scene

    bench = _bench_meaning()
    assert tuple(tax.relations["younger_than"].subject) == ("person",) == tuple(tax.relations["younger_than"].object)
    assert "animal" not in tax.relations["older_than"].subject
    spec = parse_constraints((ROOT / "constraints" / "video_camera_moves.toml").read_text(encoding="utf-8"), tax)
    found = [row["caption"] for k, s in enumerate(Sampler(spec, tax).sample(300, 2001))
             if bench.naming_defects(row := realize_scene(s, tax, seed=k)) & {"age_animal"}]
    assert not found, found[:5]


LANDSCAPE_PAINTERS = """format = "gas-constraints/1"
[vocabulary]
familiarity = "everyday"
scene_attribute_types = ["artist", "location", "camera_view"]
scene_attribute_values = ["artist:thomas_cole", "artist:camille_corot", "artist:j_m_w_turner", "artist:bob_ross",
                          "artist:pablo_picasso", "location:kitchen", "location:valley", "location:beach",
                          "location:city_street", "location:pasture", "camera_view:close_up"]
[space]
complexity = [2, 4]
objects = [1, 3]
scene_attributes = [1, 2]
setting = "fitting"
"""


def test_sampled_landscape_painters_keep_the_open_land(tax):
    """Leftovers round 9 (``bench_meaning.leftover_defects``, ``landscape_room``): a landscape painter's style keeps
    its scene to the open land (the taxonomy's ``keeps``): with no location its objects fit the aerial setting (no
    gas range, no wet suit: 1.5 / 0.3 / 0.6 % of ``gas sample -n 1000 --seed 2001 / 2002 / 2003`` default rows
    before), and its locations are out in the open, on a farm or by the water, never a kitchen or a street.  400
    scenes of four landscape painters, Picasso, five places and a close-up; the same file without ``setting =
    "fitting"`` has such rows."""
    from gas_solver.constraints import parse_constraints

    bench = _bench_meaning()
    painters = {"thomas_cole", "camille_corot", "j_m_w_turner", "bob_ross"}

    def rows_of(text):
        out = []
        for s in Sampler(parse_constraints(text, tax), tax).sample(400, 43):
            row = _row(s, tax)
            row["scene_attributes"] = [{"type": a.type, "value": a.value} for a in s.scene_attributes]
            out.append(row)
        return out

    def misplaced(row):
        held = {(a["type"], a["value"]) for a in row["scene_attributes"]}
        return any(("artist", p) in held for p in painters) and bool(
            held & {("location", "kitchen"), ("location", "city_street")})

    rows = rows_of(LANDSCAPE_PAINTERS)
    painted = [r for r in rows if any(a["type"] == "artist" and a["value"] in painters for a in r["scene_attributes"])]
    assert len(painted) > 40 and any(any(a["type"] == "location" for a in r["scene_attributes"]) for r in painted)
    found = [r for r in rows if "landscape_room" in bench.leftover_defects(r) or misplaced(r)]
    assert not found, found[:3]
    assert any(o["category"] == "kitchenware" for r in rows if ("artist", "pablo_picasso") in
               {(a["type"], a["value"]) for a in r["scene_attributes"]} for o in r["objects"])
    loose = rows_of(LANDSCAPE_PAINTERS.replace('setting = "fitting"\n', ""))
    assert any("landscape_room" in bench.leftover_defects(r) or misplaced(r) for r in loose)


@pytest.mark.parametrize("who", ["animal", "person"])
def test_sampled_edges_say_neither_attribute_nor_verb_twice(tax, who):
    """Wording round (``bench_meaning.verb_defects``): where people or animals act and carry poses, no attribute is
    said again by its subject's own edge ("a walking boar walks away from a sheep", ``said_twice``: 0.8-2.7 % of
    ``gas sample -n 1000 --seed 2001 / 2002 / 2003`` rows of ``ACTS`` before; the taxonomy's ``said_again_*`` subject
    exclusions), and a subject's edges of one predicate say its verb once ("stares at a hockey player and a sheriff",
    ``verb_twice``: 0.6-3.1 % before); the check still finds both in the readings that led to them."""
    from gas_solver.constraints import parse_constraints
    from gas_solver.realize import realize_scene

    bench = _bench_meaning()
    spec = parse_constraints(ACTS.replace("{who}", who), tax)
    found = [row["caption"] for k, s in enumerate(Sampler(spec, tax).sample(300, 2001))
             if bench.verb_defects(row := realize_scene(s, tax, seed=k))]
    assert not found, found[:5]
    walking = {"objects": [{"attributes": [{"type": "pose", "value": "walking"}]}, {"attributes": []}],
               "relations": [{"subject": 0, "predicate": "walking_away_from", "object": 1}],
               "caption": "A walking boar walks away from a sheep."}
    assert bench.verb_defects(walking) == {"said_twice"}
    staring = {"objects": [{"attributes": []}] * 3, "caption": "A gorilla stares at a sheriff and stares at a pilot.",
               "relations": [{"subject": 0, "predicate": "staring_at", "object": 1},
                             {"subject": 0, "predicate": "staring_at", "object": 2}]}
    assert bench.verb_defects(staring) == {"verb_twice"}


def test_food_senses_named_as_people_say_them(tax, by_name):
    """Wording round (``bench_meaning.naming_defects`` ``food_name``): the food senses printed "X food" beside
    another concept's "X" take names a person says ("olive food" -> "table olive", "fish food" -> "fish meat", "batter
    food" -> "cake batter"; kitchen file 0.5-1.4 % of rows at seeds 2001-2003 before), each keeping its score and tier
    (the old name is a synonym); "clove" goes to the spice and the flower bud becomes "clove bud".  Only "mocha food"
    is left ("mocha" names a colour and a flavour, and no printed name may start with a value)."""
    bench = _bench_meaning()
    left = {o.name for o in tax.objects if o.name.endswith(" food") and o.name not in bench.FOOD_COMPOUNDS}
    assert left == {"mocha food"}, left
    renamed = {"egg yolk": "yolk", "breast milk": "milk", "spit roast": "barbecue", "burgoo supper": "burgoo",
               "candy patty": "patty", "mush": "mess", "table olive": "olive", "fish meat": "fish",
               "cake batter": "batter", "clove bud": "clove"}
    for name, old in renamed.items():
        assert old in by_name[name].synonyms, (name, by_name[name].synonyms)
    assert by_name["clove"].category == "food" and by_name["clove bud"].category == "natural_object"
    assert (by_name["fish"].category, by_name["batter"].category, by_name["milk"].category) == ("fish", "person",
                                                                                                 "drink")
    assert (by_name["table olive"].plural, by_name["mush"].countable) == ("table olives", False)


def test_names_not_tagged_by_their_category(tax, by_name):
    """Wording round (``bench_meaning.qualified_defects``): the most frequent names tagged with their category to
    keep printed names unique ("a runner person", "a schooner vehicle", "a pan container": 3.4 / 2.6 / 2.9 % of
    ``gas sample -n 1000 --seed 2001 / 2002 / 2003 constraints/animals_riding_vehicles.toml`` rows, 1.5 / 1.4 / 0.8 %
    of ``cyclic_relations.toml`` before) print the name a person says (``sources/printed_names.tsv``); where the
    tagged sense is the one people mean, the two swap ("runner" the athlete, "runner fish")."""
    from gas_solver.constraints import parse_constraints

    bench = _bench_meaning()
    for name, category in (("runner", "person"), ("runner fish", "fish"), ("schooner", "vehicle"),
                           ("schooner glass", "container"), ("commuter", "person"), ("sheet pan", "container"),
                           ("kick scooter", "vehicle"), ("stretcher", "vehicle"), ("sapodilla", "fruit")):
        assert by_name[name].category == category, (name, by_name[name].category)
    for gone in ("runner person", "schooner vehicle", "pan container", "stretcher vehicle", "sidecar vehicle"):
        assert gone not in by_name, gone
    found = []
    for path in ("animals_riding_vehicles.toml", "cyclic_relations.toml"):
        spec = parse_constraints((ROOT / "constraints" / path).read_text(encoding="utf-8"), tax)
        for s in Sampler(spec, tax).sample(300, 2001):
            names = [tax.object(o.concept).name for o in s.objects]
            found += [n for n in names if bench.qualified_defects({"objects": [{"name": n}]})]
    assert len(found) <= 3, found
    assert bench.qualified_defects({"objects": [{"name": "bowl container"}]}) == {"qualified_name"}


#: the default file's vocabulary, narrowed to close framings beside places and genres
CLOSE_FRAMINGS = """format = "gas-constraints/1"
[vocabulary]
familiarity = "everyday"
scene_attribute_types = ["camera_view", "subject_view", "subject_genre", "location"]
scene_attribute_values = ["camera_view:close_up", "camera_view:extreme_close_up", "camera_view:wide_shot",
                          "subject_view:macro_view", "subject_genre:food_photography",
                          "subject_genre:wildlife_photography", "location:kitchen", "location:valley"]
[space]
complexity = [2, 6]
objects = [1, 4]
scene_attributes = [1, 2]
setting = "fitting"
"""


def test_sampled_close_framings_frame_few_things(tax):
    """Round 11 (``bench_meaning.framing_defects``): an extreme close-up frames one thing, a close-up two, a macro
    view two small things (the taxonomy's ``max_objects``), and a close-up with no place shows nothing from huge up
    (the close setting it keeps to): 0.4-1.3 % of ``gas sample -n 1000 --seed 2001 / 2002 / 2003 / 2101 / 2102``
    default rows broke it before ("an extreme close-up" of a beer glass, an electric fan, a generator and a daisy).
    400 scenes (equal shares of one to four objects) of close framings beside a wide shot, a kitchen, a valley and
    two genres; every one passes the checker; the same file without ``setting = "fitting"`` has such rows."""
    from gas_solver.constraints import parse_constraints
    from gas_solver.constraints.check import violations

    bench = _bench_meaning()
    size_of = {o.name: o.size for o in tax.objects}

    def rows_of(text):
        spec = parse_constraints(text, tax)
        out = []
        for s in Sampler(spec, tax, distribution="stratified", strata={"objects": "equal"}).sample(400, 47):
            row = _row(s, tax)
            row["scene_attributes"] = [{"type": a.type, "value": a.value} for a in s.scene_attributes]
            row["ok"] = not violations(s, spec, tax)
            out.append(row)
        return out

    rows = rows_of(CLOSE_FRAMINGS)
    close = [r for r in rows if {a["value"] for a in r["scene_attributes"]} & {"close_up", "extreme_close_up"}]
    assert len(close) > 40 and any(len(r["objects"]) == 2 for r in close)
    assert all(r["ok"] for r in rows)
    found = [r for r in rows if bench.framing_defects(r, size_of)]
    assert not found, found[:3]
    # a wide shot keeps every number of things
    assert any(len(r["objects"]) == 4 for r in rows if {"wide_shot"} & {a["value"] for a in r["scene_attributes"]})
    loose = rows_of(CLOSE_FRAMINGS.replace('setting = "fitting"\n', ""))
    assert any(bench.framing_defects(r, size_of) for r in loose)


def test_no_hoofed_kind_sits_next_to_anything(tax):
    """Round 11 (``bench_meaning.leftover_defects``, ``hoofed_sits``): no hoofed kind of the bench's list sits next to
    anything, the medium ones the size band by category had left included ("a colt sits next to a man", "the cat
    sits next to the impala": 1 / 1 / 1 rows of 1,000 acting-animal rows at seeds 2001-2003 before).  Their sizes
    follow the taxonomy's rule (longest dimension: an antelope, a colt, a calf are longer than a metre), so the band
    that keeps mammals up to medium sitting leaves them out with no rule of their own; a person, a dog, a cat and a
    monkey still sit."""
    bench = _bench_meaning()
    person = next(o for o in tax.objects if o.name == "man")

    def sits(o) -> bool:
        return tax.relation_allows("sitting_next_to", o.category, person.category) and tax.sizes_allow(
            "sitting_next_to", o.size, person.size, o.category, person.category)

    hoofed = [o for o in tax.objects if o.name in bench.HOOFED and tax.in_tier(o.id, "everyday")]
    assert {"colt", "impala", "calf"} <= {o.name for o in hoofed}
    assert not [o.name for o in hoofed if sits(o)]
    assert all(sits(next(o for o in tax.objects if o.name == n)) for n in ("man", "dog", "cat", "monkey"))


def test_built_grounds_hold_no_wild_mammals(tax):
    """Round 11 (``bench_meaning.ground_defects``, ``wild_ground``): grounds built and kept by people (sports fields,
    castles, temples, parks, laid-out gardens) are the town's setting, which admits no wild mammal from medium up
    ("set on a soccer field, ... a tiger", "set at a castle, ... a brown bear": 3 / 2 / 4 / 5 / 7 of 1,000 default
    rows at seeds 2001-2003, 2101, 2102 before); dogs, cats and horses still fit there."""
    bench = _bench_meaning()
    settings = {v.id: v.setting for v in tax.scene_attribute_types["location"].values}
    assert bench.BUILT_GROUNDS <= set(settings)
    wild = [o for o in tax.objects if o.category in bench.WILD_MAMMALS and (o.size or 0) >= 2
            and tax.in_tier(o.id, "everyday")]
    assert len(wild) > 20
    for place in sorted(bench.BUILT_GROUNDS):
        assert not [o.name for o in wild if tax.setting_fits(settings[place], o.id)], place
        for name in ("dog", "cat", "horse"):
            assert tax.setting_fits(settings[place], next(o.id for o in tax.objects if o.name == name)), place
