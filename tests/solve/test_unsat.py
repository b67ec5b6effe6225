"""Unsat diagnosis: every file under unsat/ is reported unsatisfiable with a minimal conflict at the right lines.

Each file's first line is ``# expect: <line> <line> ...``.  Minimality is
checked here independently of the solver's own bookkeeping: each reported
constraint is deleted from the TOML text (tomlkit), the file is parsed again,
and the remaining file must be satisfiable.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import tomlkit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gas_solver.constraints import parse_constraints
from gas_solver.constraints.model import Bounds, ConstraintSpec, IntRange, Origin
from gas_solver.errors import GasError, Unsatisfiable
from gas_solver.solve.enumerate import enumerate_scenes
from gas_solver.solve.unsat import check_satisfiable, is_satisfiable
from gas_solver.taxonomy import load_taxonomy

UNSAT = sorted((Path(__file__).parent / "unsat").glob("*.toml"))


def _expected_lines(path: Path) -> list[int]:
    first = path.read_text().splitlines()[0]
    assert first.startswith("# expect:")
    return sorted(int(x) for x in first.split(":", 1)[1].split())


def _without(text: str, key: str) -> str:
    """The TOML text with the constraint at dotted ``key`` (``space.objects``, ``require[0]``) deleted."""
    doc = tomlkit.parse(text)
    parts = key.replace("]", "").replace("[", ".").split(".")
    node = doc
    path = [int(p) if p.isdigit() else p for p in parts]
    if any(isinstance(p, int) for p in path):  # a whole [[entry]]
        path = path[:max(i for i, p in enumerate(path) if isinstance(p, int)) + 1]
    for p in path[:-1]:
        node = node[p]
    del node[path[-1]]
    if len(path) == 2 and not isinstance(path[1], int) and len(node) == 0:
        del doc[path[0]]  # an emptied [table] (e.g. [asp]) goes too
    return tomlkit.dumps(doc)


def test_there_are_at_least_ten_files():
    assert len(UNSAT) >= 10


@pytest.mark.parametrize("path", UNSAT, ids=[p.stem for p in UNSAT])
def test_conflict_is_minimal_and_on_the_right_lines(path, toy_taxonomy):
    text = path.read_text()
    spec = parse_constraints(path, toy_taxonomy)
    # alternate backends across files (raw ASP needs clingo); test_backends_agree covers both on some files
    backend = "asp" if spec.raw_asp or UNSAT.index(path) % 2 == 0 else "cpsat"
    with pytest.raises(Unsatisfiable) as info:
        check_satisfiable(spec, toy_taxonomy, backend=backend)
    conflict = info.value.conflict
    assert sorted(o.line for o in conflict) == _expected_lines(path)
    assert all(o.path == str(path) for o in conflict)
    for o in conflict:
        reduced = parse_constraints(_without(text, o.key), toy_taxonomy)
        # independent of the universal model: the exact enumeration finds a scene
        assert next(iter(enumerate_scenes(reduced, toy_taxonomy, backend=backend)), None) is not None, \
            f"dropping {o.key} keeps it unsatisfiable"
    message = str(info.value)
    for o in conflict:
        assert f"{path}:{o.line}: {o.key}" in message


@pytest.mark.parametrize("name", ["u04_forbid_animals_require_dog", "u08_only_in_but_no_places"])
def test_backends_agree(name, toy_taxonomy):
    path = Path(__file__).parent / "unsat" / f"{name}.toml"
    spec = parse_constraints(path, toy_taxonomy)
    got = []
    for backend in ("asp", "cpsat"):
        with pytest.raises(Unsatisfiable) as info:
            check_satisfiable(spec, toy_taxonomy, backend=backend)
        got.append(sorted(o.line for o in info.value.conflict))
    assert got[0] == got[1]


@pytest.mark.parametrize("path", UNSAT, ids=[p.stem for p in UNSAT])
def test_per_structure_method_agrees(path, toy_taxonomy):
    # the slower structure-by-structure check (every concept, no abstraction) confirms emptiness
    spec = parse_constraints(path, toy_taxonomy)
    assert not is_satisfiable(spec, toy_taxonomy, backend="asp", method="per-structure")


def test_universal_agrees_with_enumeration_on_sat_and_unsat_files(toy_taxonomy):
    texts = ['[space]\ncomplexity = [2, 3]\nconnected = true\nin_degree = [0, 0]\n',
             '[space]\ncomplexity = [3, 3]\nconnected = true\nout_degree = [0, 0]\n',
             '[space]\ncomplexity = [3, 4]\nacyclic = false\n[[require]]\npattern = "a:* -[*]-> b:*, b -[*]-> a"\n',
             '[space]\ncomplexity = [1, 3]\nrelations = [1, 1]\n[[forbid]]\npattern = "a:* -[on_top_of|next_to]-> b:*"\n'
             '[vocabulary]\nrelations = ["on_top_of", "next_to", "riding"]\nobjects = ["physical"]\n',
             '[space]\ncomplexity = [2, 2]\nattributes = [1, 1]\n[[require]]\npattern = "a:fruit{state=ripe}"\n']
    for text in texts:
        spec = parse_constraints(text, toy_taxonomy)
        listed = next(iter(enumerate_scenes(spec, toy_taxonomy)), None) is not None
        for backend in ("asp", "cpsat"):
            assert is_satisfiable(spec, toy_taxonomy, backend=backend) == listed, (text, backend)


def test_satisfiable_file_passes(toy_taxonomy):
    spec = parse_constraints('[space]\ncomplexity = [1, 3]\n[[require]]\npattern = "a:dog -[riding]-> b:horse"\n',
                             toy_taxonomy)
    assert check_satisfiable(spec, toy_taxonomy, backend="asp") is None
    assert check_satisfiable(spec, toy_taxonomy, backend="cpsat") is None


def test_spec_without_text_is_diagnosed_on_the_model(toy_taxonomy):
    from gas_solver.constraints.model import CardinalityConstraint, ConceptSet

    comp = Origin("m.toml", 2, 1, "space.complexity", "[1, 2]")
    card = Origin("m.toml", 5, 1, "cardinality[0]", "3 animals")
    spec = ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 2)), origins={"space.complexity": comp},
                          cardinalities=(CardinalityConstraint("objects", IntRange(3, None), card,
                                                               ConceptSet(categories=frozenset({"animal"}))),))
    with pytest.raises(Unsatisfiable) as info:
        check_satisfiable(spec, toy_taxonomy, backend="cpsat")
    assert set(info.value.conflict) == {comp, card}


def test_raw_asp_refused_on_cpsat(toy_taxonomy):
    spec = parse_constraints(Path(__file__).parent / "unsat" / "u13_raw_asp_and_pattern.toml", toy_taxonomy)
    with pytest.raises(GasError, match="need the ASP backend"):
        check_satisfiable(spec, toy_taxonomy, backend="cpsat")


# Random files (hypothesis) on the tiny street taxonomy: many are unsatisfiable, often with several conflicts.
_SPACE = ["acyclic = false", "connected = true", "repeat_objects = false", "out_degree = [0, 1]",
          "attributes_per_object = [0, 1]", "relations = [1, 2]", "objects = [1, 2]", "attributes = [0, 0]"]
_RULES = ['[[require]]\npattern = "a:person"', '[[forbid]]\npattern = "a:person"',
          '[[forbid]]\npattern = "a:vehicle{colour=red}"', '[[require]]\npattern = "a:car{colour=red}"',
          '[[require]]\npattern = "a:* -[on]-> b:place"', '[[forbid]]\npattern = "a:* -[*]-> b:car"',
          '[[require]]\npattern = "a:person -[driving]-> b:*"',
          '[[cardinality]]\nkind = "objects"\nobjects = ["vehicle"]\nat_least = 2',
          '[[cardinality]]\nkind = "distinct_categories"\nat_least = 3',
          '[[cardinality]]\nkind = "distinct_attribute_types"\nat_least = 2',
          '[vocabulary]\nobjects = ["vehicle", "person"]']


def _only(text: str, spec, keep) -> str:
    """The file text with every hard constraint outside ``keep`` deleted (entries from the back)."""
    def order(o):
        path = o.key.replace("]", "").replace("[", ".").split(".")
        return [p.zfill(6) if p.isdigit() else p for p in path]

    for o in sorted((o for o in spec.hard_constraints() if o not in keep), key=order, reverse=True):
        text = _without(text, o.key)
    return text


@pytest.mark.slow  # the oracle solves every structure up to the default complexity 8 when a conflict drops it
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(space=st.sets(st.sampled_from(_SPACE), max_size=3), rules=st.sets(st.sampled_from(_RULES), min_size=1,
                                                                         max_size=4),
       backend=st.sampled_from(["asp", "cpsat"]))
def test_random_files_minimal_conflicts(data_dir, space, rules, backend):
    tax = load_taxonomy(data_dir / "tiny_street.toml")
    text = "[space]\ncomplexity = [1, 3]\n" + "\n".join(sorted(space)) + "\n\n" + "\n\n".join(sorted(rules)) + "\n"
    spec = parse_constraints(text, tax, path="r.toml")
    listed = next(iter(enumerate_scenes(spec, tax)), None) is not None
    try:
        check_satisfiable(spec, tax, backend=backend)
    except Unsatisfiable as e:
        assert not listed
        core = set(e.conflict)
        # decided structure by structure on every concept, independently of the universal model
        alone = parse_constraints(_only(text, spec, core), tax)
        assert not is_satisfiable(alone, tax, method="per-structure"), "the conflict alone is satisfiable"
        for o in core:
            fewer = parse_constraints(_only(text, spec, core - {o}), tax)
            assert is_satisfiable(fewer, tax, method="per-structure"), f"{o.key} is not needed"
    else:
        assert listed
