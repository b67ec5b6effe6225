"""Labelled models: both backends list exactly the brute-force space, in the same order."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gas_solver.constraints import parse_constraints
from gas_solver.errors import GasError
from gas_solver.scene import canonical_id
from gas_solver.solve.count import count_scenes
from gas_solver.solve.enumerate import enumerate_scenes
from gas_solver.solve.unsat import is_satisfiable
from gas_solver.taxonomy import load_taxonomy

from solve_oracle import brute_force

TAXONOMIES = {}


def tax_of(name, data_dir):
    if name not in TAXONOMIES:
        TAXONOMIES[name] = load_taxonomy(data_dir / f"{name}.toml")
    return TAXONOMIES[name]


# (taxonomy, constraint file text): every constraint kind, repeat allowed and forbidden, cycles allowed or not.
CASES = {
    "farm-plain": ("tiny_farm", '[space]\ncomplexity = [1, 4]\n'),
    "farm-cyclic-scene-attrs": ("tiny_farm", '[space]\ncomplexity = [1, 4]\nacyclic = false\nscene_attributes = [0, 1]\n'),
    "farm-no-repeat": ("tiny_farm", '[space]\ncomplexity = [1, 4]\nrepeat_objects = false\n'),
    "farm-free-filling": ("tiny_farm", 'semantic = false\n[space]\ncomplexity = [1, 3]\n'),
    "farm-connected-degree": ("tiny_farm", '[space]\ncomplexity = [2, 4]\nconnected = true\nout_degree = [0, 1]\n'),
    "street-plain": ("tiny_street", '[space]\ncomplexity = [1, 4]\n'),
    "street-require-edge": ("tiny_street", '[space]\ncomplexity = [1, 4]\n[[require]]\npattern = "a:person -[driving]-> b:vehicle"\n'),
    "street-forbid-attr": ("tiny_street", '[space]\ncomplexity = [1, 4]\n[[forbid]]\npattern = "a:vehicle{colour=red}"\n'),
    "street-require-two": ("tiny_street", '[space]\ncomplexity = [1, 4]\nrepeat_objects = false\n[[require]]\npattern = "a:vehicle"\nat_least = 2\n'),
    "street-vocab": ("tiny_street", '[space]\ncomplexity = [1, 4]\n[vocabulary]\nobjects = {exclude = ["bus"]}\nrelations = ["on"]\n'),
    "street-roles": ("tiny_street", '[space]\ncomplexity = [1, 4]\n[vocabulary]\nsubjects = ["vehicle"]\n'),
    "street-card-objects": ("tiny_street", '[space]\ncomplexity = [1, 4]\n[[cardinality]]\nkind = "objects"\nobjects = ["vehicle"]\nexactly = 1\n'),
    "street-card-distinct-cat": ("tiny_street", '[space]\ncomplexity = [1, 4]\n[[cardinality]]\nkind = "distinct_categories"\nat_least = 2\n'),
    "street-card-attr-type": ("tiny_street", '[space]\ncomplexity = [1, 4]\n[[cardinality]]\nkind = "attribute_type"\nattribute_type = "colour"\nat_most = 1\n'),
    "street-card-distinct-types": ("tiny_street", '[space]\ncomplexity = [1, 4]\n[[cardinality]]\nkind = "distinct_attribute_types"\nat_least = 2\n'),
    "street-path-pattern": ("tiny_street", '[space]\ncomplexity = [3, 5]\nrelations = [2, 2]\n[[forbid]]\npattern = "a:* -[*]-> b:*, b -[*]-> c:*"\n'),
    "toy-plain": ("toy", '[space]\ncomplexity = [1, 3]\n'),
    "toy-cyclic-no-repeat": ("toy", '[space]\ncomplexity = [1, 3]\nacyclic = false\nrepeat_objects = false\n'),
    "toy-values": ("toy", '[space]\ncomplexity = [1, 3]\n[vocabulary]\nattribute_values = {exclude = ["colour:red"]}\n[[require]]\npattern = "a:fruit{state}"\n'),
}


@pytest.fixture(scope="module")
def spaces(data_dir):
    out = {}
    for name, (tax_name, text) in CASES.items():
        tax = tax_of(tax_name, data_dir)
        out[name] = (parse_constraints(text, tax, path=f"{name}.toml"), tax)
    return out


@pytest.mark.parametrize("name", sorted(CASES))
def test_both_backends_equal_brute_force(name, spaces):
    spec, tax = spaces[name]
    expect = brute_force(spec, tax)
    got = {}
    for backend in ("asp", "cpsat"):
        scenes = list(enumerate_scenes(spec, tax, backend=backend))
        ids = [canonical_id(s) for s in scenes]
        assert len(ids) == len(set(ids)), f"{backend} listed a scene twice"
        assert set(ids) == set(expect), f"{backend} differs from brute force"
        got[backend] = ids
    assert got["asp"] == got["cpsat"], "backends list the same scenes in different orders"
    assert expect, "a test space should not be empty"
    assert count_scenes(spec, tax) == len(expect)  # H5's exact counter agrees


def test_raw_asp_on_asp_backend(data_dir):
    tax = tax_of("tiny_street", data_dir)
    text = ('[space]\ncomplexity = [1, 3]\n[asp]\nrules = \'\'\':- rel(S,"driving",O), concept(O,"bus").\n'
            ':- attr(O,"colour","red"), category(O,"vehicle"), object(O), concept(O,"car").\'\'\'\n')
    spec = parse_constraints(text, tax)
    scenes = list(enumerate_scenes(spec, tax, backend="asp"))
    base = brute_force(parse_constraints('[space]\ncomplexity = [1, 3]\n', tax), tax)
    expect = {k for k, s in base.items()
              if not any(r.predicate == "driving" and s.objects[r.object].concept == "bus" for r in s.relations)
              and not any(o.concept == "car" and any(a.value == "red" for a in o.attributes) for o in s.objects)}
    assert {canonical_id(s) for s in scenes} == expect


def test_raw_asp_refused_by_cpsat(data_dir):
    tax = tax_of("tiny_street", data_dir)
    spec = parse_constraints('[asp]\nrules = \':- object(O), concept(O,"bus").\'\n', tax, path="raw.toml")
    with pytest.raises(GasError, match="raw ASP rules .* need the ASP backend"):
        list(enumerate_scenes(spec, tax, backend="cpsat"))


def test_large_automorphism_group_uses_orbit_filter(data_dir):
    # 6 isolated objects: 720 automorphisms, above LEX_LIMIT, so lex-leader is stated for generators only
    # and the orbit-minimum filter must still give each multiset of concepts exactly once.
    tax = tax_of("tiny_street", data_dir)
    spec = parse_constraints('[space]\ncomplexity = [6, 6]\nobjects = [6, 6]\n', tax)
    for backend in ("asp", "cpsat"):
        scenes = list(enumerate_scenes(spec, tax, backend=backend))
        assert len(scenes) == 84  # multisets of size 6 from 4 concepts: C(9, 3)
        assert len({canonical_id(s) for s in scenes}) == 84


def test_raw_asp_reads_scene_attributes(toy_taxonomy):
    tax = toy_taxonomy
    text = ('[space]\ncomplexity = [1, 2]\nscene_attributes = [0, 1]\n'
            '[asp]\nrules = \':- scene_attr("style","monet"), concept(O,"dog").\'\n')
    spec = parse_constraints(text, tax)
    got = [canonical_id(s) for s in enumerate_scenes(spec, tax, backend="asp")]
    base = brute_force(parse_constraints('[space]\ncomplexity = [1, 2]\nscene_attributes = [0, 1]\n', tax), tax)
    expect = {k for k, s in base.items()
              if not (any(a.value == "monet" for a in s.scene_attributes) and any(o.concept == "dog" for o in s.objects))}
    assert len(got) == len(set(got)) and set(got) == expect


# Random constraint files (hypothesis): pieces of every kind, combined at random, on the tiny street taxonomy.
_SPACE = ["acyclic = false", "connected = true", "repeat_objects = false", "out_degree = [0, 1]",
          "attributes_per_object = [0, 1]", "relations = [0, 1]", "objects = [1, 2]"]
_RULES = ['[[require]]\npattern = "a:person"', '[[forbid]]\npattern = "a:vehicle{colour=red}"',
          '[[require]]\npattern = "a:* -[on]-> b:place"', '[[forbid]]\npattern = "a:* -[*]-> b:car"',
          '[[cardinality]]\nkind = "objects"\nobjects = ["vehicle"]\nat_most = 1',
          '[[cardinality]]\nkind = "distinct_categories"\nat_least = 2',
          '[[cardinality]]\nkind = "attribute_type"\nattribute_type = "colour"\nexactly = 1',
          '[[cardinality]]\nkind = "distinct_attribute_types"\nat_most = 1',
          '[vocabulary]\nobjects = {exclude = ["bus"]}']


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(space=st.sets(st.sampled_from(_SPACE), max_size=3), rules=st.sets(st.sampled_from(_RULES), max_size=3))
def test_random_files_equal_brute_force(data_dir, space, rules):
    tax = tax_of("tiny_street", data_dir)
    text = "[space]\ncomplexity = [1, 3]\n" + "\n".join(sorted(space)) + "\n\n" + "\n\n".join(sorted(rules)) + "\n"
    spec = parse_constraints(text, tax)
    expect = set(brute_force(spec, tax))
    asp_ids = [canonical_id(s) for s in enumerate_scenes(spec, tax, backend="asp")]
    cpsat_ids = [canonical_id(s) for s in enumerate_scenes(spec, tax, backend="cpsat")]
    assert asp_ids == cpsat_ids
    assert len(set(asp_ids)) == len(asp_ids) and set(asp_ids) == expect
    assert is_satisfiable(spec, tax, backend="cpsat") == bool(expect)
    assert is_satisfiable(spec, tax, backend="asp") == bool(expect)


@pytest.mark.parametrize("name", ["street-require-two", "street-card-distinct-cat", "toy-cyclic-no-repeat",
                                  "street-card-objects", "street-path-pattern"])
def test_cpsat_integer_concepts_equal_one_hot(name, spaces, monkeypatch):
    # Large vocabularies use one integer per concept position instead of one-hot rows: same scenes, same order.
    from gas_solver.solve import cpsat

    spec, tax = spaces[name]
    one_hot = [canonical_id(s) for s in enumerate_scenes(spec, tax, backend="cpsat")]
    monkeypatch.setattr(cpsat, "ONE_HOT_LIMIT", 0)
    integer = [canonical_id(s) for s in enumerate_scenes(spec, tax, backend="cpsat")]
    assert integer == one_hot and integer
