"""Subject exclusions (``subject_exclusions``, ``[semantics] subject_exclusions``) against brute force.

"A sitting man runs toward a bus": the pose is an attribute of the subject, the contradiction lies between it and
the subject's own edge, so no domain of either end can state it.  Each rule is a forbidden one-edge pattern
``a:*{pose=sitting|sleeping} -[chasing|running_toward]-> b:*`` (a zero factor between two vertex labels).
``tests/data/tiny_poses.toml`` has three rules (one on the object's end, one that holds by default): counts (total,
by complexity, by shape), weighted totals, enumeration sets on both backends and uniform sampling (chi-square) must
equal the brute force of ``brute_oracle`` (every labelled scene, filtered by the checker ``violations``), with the
switch on and off, beside the file's own patterns, and the rules stated by hand.
"""

from __future__ import annotations

from collections import Counter

import pytest

from brute_oracle import space, total_weight, uniformity_pvalue
from gas_solver.constraints import parse_constraints, violations
from gas_solver.errors import ConstraintFileError, TaxonomyError
from gas_solver.scene import Attribute, Relation, Scene, SceneObject, canonical_id
from gas_solver.solve.count import count_scenes, weighted_total
from gas_solver.solve.enumerate import enumerate_scenes
from gas_solver.solve.sample import sample_scenes
from gas_solver.taxonomy import load_taxonomy

HEAD = 'format = "gas-constraints/1"\n[space]\ncomplexity = [1, 4]\n'
ON = "[semantics]\nsubject_exclusions = true\n"
FILES = {
    "on": HEAD + ON,
    "off": HEAD + "[semantics]\nsubject_exclusions = false\n",
    "unset": HEAD,  # the rules marked default only: the colour comparison's
    "unset-any": HEAD + '[semantics]\nrelations = "any"\n',  # its subject node then names every concept
    "cyclic": HEAD + "acyclic = false\n" + ON,
    "require-chase": HEAD + ON + '[[require]]\npattern = "a:* -[chasing]-> b:*"\n',
    "forbid-red": HEAD + ON + '[[forbid]]\npattern = "a:*{colour}"\n',
    "soft-pose": HEAD + ON + '[[soft]]\npattern = "a:*{pose=running}"\nweight = 3\n',
    "semantic-off": HEAD + ON.replace("[semantics]\n", "semantic = false\n[semantics]\n"),
}
#: brute force over complexity up to 4 (three objects with attributes and edges)
CMAX = 4


@pytest.fixture(scope="module")
def tax(data_dir):
    return load_taxonomy(data_dir / "tiny_poses.toml")


def _spec(tax, case):
    text = FILES[case]
    if case == "semantic-off":  # `semantic` is a top-level key: it goes before [space]
        text = 'format = "gas-constraints/1"\nsemantic = false\n[space]\ncomplexity = [1, 4]\n' \
               "[semantics]\nsubject_exclusions = true\n"
    return parse_constraints(text, tax)


@pytest.mark.parametrize("case", sorted(set(FILES) - {"soft-pose"}))
def test_counts_equal_brute_force(tax, case):
    sp = _spec(tax, case)
    truth = space(tax, sp, CMAX)
    assert count_scenes(sp, tax) == len(truth)
    assert count_scenes(sp, tax, by="complexity") == dict(Counter(s.complexity for s in truth.values()))
    assert count_scenes(sp, tax, by="shape") == dict(Counter(s.shape for s in truth.values()))


@pytest.mark.parametrize("case", ["on", "require-chase"])
@pytest.mark.parametrize("backend", ["asp", "cpsat"])
def test_enumeration_equals_brute_force(tax, case, backend):
    sp = _spec(tax, case)
    truth = space(tax, sp, CMAX)
    got = [canonical_id(s) for s in enumerate_scenes(sp, tax, backend=backend)]
    assert len(got) == len(set(got)) == len(truth)
    assert set(got) == set(truth)


def test_uniform_sampling_fits_chi_square(tax):
    sp = _spec(tax, "on")
    keys = sorted(space(tax, sp, 3))
    sp3 = parse_constraints(FILES["on"].replace("[1, 4]", "[1, 3]"), tax)
    assert uniformity_pvalue(sample_scenes(sp3, tax, 40 * len(keys), seed=7), keys) > 0.01


def test_weighted_count_equals_brute_force(tax):
    sp = _spec(tax, "soft-pose")
    assert weighted_total(sp, tax) == total_weight(tax, sp, space(tax, sp, CMAX))


def test_the_rule_changes_the_space_only_when_asked(tax):
    on, off = count_scenes(_spec(tax, "on"), tax), count_scenes(_spec(tax, "off"), tax)
    unset = count_scenes(_spec(tax, "unset"), tax)
    assert on < unset < off
    assert count_scenes(_spec(tax, "semantic-off"), tax) > off  # semantic = false turns every rule off
    assert not _spec(tax, "off").patterns and len(_spec(tax, "on").patterns) == 3
    assert [p.pattern.text for p in _spec(tax, "unset").patterns] == ["a:item{colour} -[the_same_colour_as]-> b:*"]
    assert [p.pattern.text for p in _spec(tax, "unset-any").patterns] == ["a:*{colour} -[the_same_colour_as]-> b:*"]


def _colour_compared(scene) -> bool:
    """The default rule, stated apart from the patterns: a subject with a colour word is the same colour as
    something."""
    return any(r.predicate == "the_same_colour_as" and any(a.type == "colour" for a in scene.objects[r.subject].attributes)
               for r in scene.relations)


@pytest.mark.parametrize("case, loose", [("unset", "off"), ("unset-any", "unset-any-off")])
def test_default_rule_equals_an_independent_filter(tax, case, loose):
    """The subject node of a default rule names only the relations' subject categories (fewer split labels):
    the space is still the rule-free space minus the scenes the rule describes, judged without the patterns."""
    files = dict(FILES, **{"unset-any-off": FILES["unset-any"] + "subject_exclusions = false\n"})
    truth = {k for k, s in space(tax, parse_constraints(files[loose], tax), CMAX).items() if not _colour_compared(s)}
    sp = parse_constraints(files[case], tax)
    assert count_scenes(sp, tax) == len(truth)
    for backend in ("asp", "cpsat"):
        assert {canonical_id(s) for s in enumerate_scenes(sp, tax, backend=backend)} == truth


def _rules_by_hand(scene) -> bool:
    """The three rules of ``tiny_poses.toml`` stated apart from the patterns: a sitting or sleeping subject chases or
    runs toward something, a chased object sits (the rule on the object's end), a coloured ball is the same colour
    as something."""
    def poses(i):
        return {a.value for a in scene.objects[i].attributes if a.type == "pose"}
    return any((r.predicate in ("chasing", "running_toward") and poses(r.subject) & {"sitting", "sleeping"})
               or (r.predicate == "chasing" and "sitting" in poses(r.object)) for r in scene.relations) \
        or _colour_compared(scene)


@pytest.mark.parametrize("backend", ["asp", "cpsat"])
def test_object_end_rule_equals_an_independent_filter(tax, backend):
    """With the switch on, the space is the rule-free space minus the scenes the three rules describe, judged by
    hand (the rule on the object's end among them): counts by complexity and enumeration sets."""
    truth = {k: s for k, s in space(tax, _spec(tax, "off"), CMAX).items() if not _rules_by_hand(s)}
    sp = _spec(tax, "on")
    assert count_scenes(sp, tax, by="complexity") == dict(Counter(s.complexity for s in truth.values()))
    assert {canonical_id(s) for s in enumerate_scenes(sp, tax, backend=backend)} == set(truth)
    sitting = Scene((SceneObject("boy"), SceneObject("dog", (Attribute("pose", "sitting"),))),
                    (Relation(0, 1, "chasing"),))
    assert any("chased_flees" in str(v) for v in violations(sitting, sp, tax))


def test_checker_names_the_rule(tax):
    sp = _spec(tax, "on")
    bad = Scene((SceneObject("dog", (Attribute("pose", "sitting"),)), SceneObject("ball")),
                (Relation(0, 1, "chasing"),))
    moving = Scene((SceneObject("dog", (Attribute("pose", "running"),)), SceneObject("ball")),
                   (Relation(0, 1, "chasing"),))
    chased = Scene((SceneObject("boy"), SceneObject("dog", (Attribute("pose", "sleeping"),))),
                   (Relation(0, 1, "chasing"),))
    found = violations(bad, sp, tax)
    assert found and "still_moving" in str(found[0]) and "subject_exclusions" in str(found[0])
    assert not violations(moving, sp, tax) and not violations(chased, sp, tax)
    assert not violations(bad, _spec(tax, "off"), tax)


def test_bad_rule_is_an_error(tmp_path, data_dir):
    text = (data_dir / "tiny_poses.toml").read_text()
    for old, new, field in (('relations = ["chasing", "running_toward"]', 'relations = ["flying"]', "relations"),
                            ('values = ["sitting", "sleeping"]', 'values = ["lying"]', "values"),
                            ('end = "object"', 'end = "both"', "end")):
        p = tmp_path / "t.toml"
        p.write_text(text.replace(old, new))
        with pytest.raises(TaxonomyError, match=f"subject_exclusions.*{field}|{field}.*"):
            load_taxonomy(p)


def test_bad_switch_is_an_error(tax):
    with pytest.raises(ConstraintFileError, match="subject_exclusions"):
        parse_constraints(HEAD + '[semantics]\nsubject_exclusions = "yes"\n', tax)


def test_docstring_examples(monkeypatch):
    import doctest
    from pathlib import Path

    import gas_solver.constraints.parse as parse
    import gas_solver.taxonomy.model as model

    monkeypatch.chdir(Path(__file__).resolve().parents[2])  # the examples load tests/data/ by a relative path
    for obj, name, globs in ((parse.subject_exclusion_patterns, "subject_exclusion_patterns", vars(parse)),
                             (model.SubjectExclusion, "SubjectExclusion", vars(model))):
        tests = doctest.DocTestFinder().find(obj, name, globs=dict(globs))
        runner = doctest.DocTestRunner()
        for t in tests:
            runner.run(t)
        assert tests and runner.failures == 0


@pytest.mark.parametrize("case", ["on", "unset", "unset-any", "forbid-red", "require-chase"])
def test_forbidden_edge_factor_equals_the_atom_loop(tax, case):
    """The edge factor with forbidden one-edge patterns, by masked products per pair of pattern bits, equals the
    atom-by-atom sum it replaces (``LabelModel._unforbidden_counts``)."""
    from gas_solver.solve.domain import ground
    from gas_solver.solve.labels import LabelModel

    model = LabelModel(ground(_spec(tax, case), tax), use_soft=False)
    reps = list({(lb.cls, lb.bits): i for i, lb in reversed(list(enumerate(model.labels)))}.values())
    assert model.forbid_edges
    fast, slow = model._unforbidden_counts(reps), model._edge_types_by_atoms(reps)
    assert fast.shape == slow.shape and (fast == slow).all()
