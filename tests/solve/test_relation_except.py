"""Relation ends that leave a category out (``subject_except``, ``object_except``) against brute force.

"sitting next to" admits a person or an animal on both ends but no fish, a kind of animal; "feeding" takes any
animal as its object but a fish.  An end's domain is still a set of categories (those under a listed category and
under no excepted one), so the solver reads it as it reads a plain domain: ``tests/data/tiny_relation_except.toml``'s
counts (total, by complexity, by shape), weighted totals, enumeration sets on both backends and uniform sampling
(chi-square) must equal the brute force of ``brute_oracle`` (every labelled scene, filtered by the checker
``violations``, which applies :meth:`Taxonomy.relation_allows`).  A nested category under the excepted one (a shark
under fish) is out too.
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brute_oracle import space, total_weight, uniformity_pvalue
from gas_solver.constraints import parse_constraints, violations
from gas_solver.errors import TaxonomyError
from gas_solver.scene import Relation, Scene, SceneObject, canonical_id
from gas_solver.solve.count import count_scenes, weighted_total
from gas_solver.solve.domain import ground
from gas_solver.solve.enumerate import enumerate_scenes
from gas_solver.solve.sample import sample_scenes
from gas_solver.taxonomy import load_taxonomy, taxonomy_from_dict

HEAD = 'format = "gas-constraints/1"\n[space]\ncomplexity = [1, 3]\n'
FILES = {
    "except": HEAD,
    "relations-any": HEAD + '[semantics]\nrelations = "any"\n',
    "cyclic": HEAD + "acyclic = false\n",
    "require-sitting": HEAD + '[[require]]\npattern = "a:* -[sitting_next_to]-> b:*"\n',
    "soft-feeding": HEAD + '[[soft]]\npattern = "a:* -[feeding]-> b:*"\nweight = 3\n',
}


@pytest.fixture(scope="module")
def tax(data_dir):
    return load_taxonomy(data_dir / "tiny_relation_except.toml")


def _spec(tax, case):
    return parse_constraints(FILES[case], tax)


@pytest.mark.parametrize("case", sorted(set(FILES) - {"soft-feeding"}))
def test_counts_equal_brute_force(tax, case):
    sp = _spec(tax, case)
    truth = space(tax, sp, 3)
    assert count_scenes(sp, tax) == len(truth)
    assert count_scenes(sp, tax, by="complexity") == dict(Counter(s.complexity for s in truth.values()))
    assert count_scenes(sp, tax, by="shape") == dict(Counter(s.shape for s in truth.values()))


@pytest.mark.parametrize("case", ["except", "require-sitting"])
@pytest.mark.parametrize("backend", ["asp", "cpsat"])
def test_enumeration_equals_brute_force(tax, case, backend):
    sp = _spec(tax, case)
    truth = space(tax, sp, 3)
    got = [canonical_id(s) for s in enumerate_scenes(sp, tax, backend=backend)]
    assert len(got) == len(set(got)) == len(truth)
    assert set(got) == set(truth)


@pytest.mark.parametrize("case", ["except", "require-sitting"])
def test_uniform_sampling_fits_chi_square(tax, case):
    sp = _spec(tax, case)
    keys = sorted(space(tax, sp, 3))
    assert uniformity_pvalue(sample_scenes(sp, tax, 40 * len(keys), seed=7), keys) > 0.01


def test_weighted_count_equals_brute_force(tax):
    sp = _spec(tax, "soft-feeding")
    assert weighted_total(sp, tax) == total_weight(tax, sp, space(tax, sp, 3))


def test_the_rule_changes_the_space(tax):
    """The exception matters, and it is part of typed relations: ``relations = "any"`` drops it."""
    assert count_scenes(_spec(tax, "except"), tax) < count_scenes(_spec(tax, "relations-any"), tax)
    fish = Scene((SceneObject("trout"), SceneObject("boy")), (Relation(0, 1, "sitting_next_to"),))
    assert violations(fish, _spec(tax, "except"), tax) and not violations(fish, _spec(tax, "relations-any"), tax)


def test_domain_predicates(tax):
    """Both ends of the symmetric relation leave fish out, nested kinds too; one end of "feeding" does."""
    dom = ground(_spec(tax, "except"), tax)
    assert dom.predicates("boy", "dog") == ("feeding", "next_to", "sitting_next_to")
    assert dom.predicates("dog", "boy") == ("next_to", "sitting_next_to")
    assert dom.predicates("trout", "boy") == ("next_to",)
    assert dom.predicates("boy", "trout") == ("next_to",)
    assert dom.predicates("boy", "tiger_shark") == ("next_to",)
    assert dom.predicates("tiger_shark", "dog") == ("feeding", "next_to")
    assert "sitting_next_to" not in tax.relations_for("fish", "person")
    assert "sitting_next_to" in tax.relations_for("person", "animal")


@pytest.mark.parametrize("edit, message, field", [
    ('object_except = ["fish"]\nsymmetric', 'object_except = ["animal"]\nsymmetric', "must be equal"),
    ('subject_except = ["fish"]', 'subject_except = ["fsh"]', "subject_except"),
    ('object_except = ["fish"]\n\n# no', 'object_except = "x"\n\n# no', "object_except"),
])
def test_bad_rule_is_an_error(tmp_path, data_dir, edit, message, field):
    text = (data_dir / "tiny_relation_except.toml").read_text()
    assert edit in text
    p = tmp_path / "t.toml"
    p.write_text(text.replace(edit, message, 1))
    with pytest.raises(TaxonomyError, match=field):
        load_taxonomy(p)


CATS = ("person", "animal", "fish", "shark", "item")


@settings(max_examples=40, deadline=None)
@given(cats=st.lists(st.sampled_from(CATS), min_size=2, max_size=6),
       rules=st.lists(st.tuples(st.lists(st.sampled_from(CATS + ("living", "thing")), min_size=1, max_size=2),
                                st.lists(st.sampled_from(CATS + ("living",)), max_size=2),
                                st.lists(st.sampled_from(CATS + ("living", "thing")), min_size=1, max_size=2),
                                st.lists(st.sampled_from(CATS + ("living",)), max_size=2)),
                      min_size=1, max_size=3))
def test_domain_predicates_equal_the_rule_on_every_pair(cats, rules):
    """Random categories and domains with exceptions: the domain's predicates of every pair are exactly the
    relations whose ends admit it, read by is-a from the listed and excepted categories."""
    objects = [{"id": f"o{i}", "name": f"o{i}", "category": c} for i, c in enumerate(cats)]
    relations = [{"id": f"r{k}", "name": f"r{k}", "kind": "action", "subject": s, "object": o,
                  "subject_except": sx, "object_except": ox} for k, (s, sx, o, ox) in enumerate(rules)]
    parent = {"living": "thing", "person": "living", "animal": "living", "fish": "animal", "shark": "fish",
              "item": "thing"}
    categories = [{"id": "thing"}] + [{"id": c, "parent": p} for c, p in parent.items()]
    tax = taxonomy_from_dict({"format": "gas-taxonomy/1", "name": "random", "version": "1",
                              "categories": categories, "objects": objects, "relations": relations})

    def under(c, listed):
        while c is not None:
            if c in listed:
                return True
            c = parent.get(c)
        return False

    dom = ground(parse_constraints(HEAD, tax), tax)
    for s in tax.objects:
        for o in tax.objects:
            mask = dom.class_of(s.id).subject_mask & dom.class_of(o.id).object_mask
            want = tuple(sorted(f"r{k}" for k, (sl, sx, ol, ox) in enumerate(rules)
                                if under(s.category, sl) and not under(s.category, sx)
                                and under(o.category, ol) and not under(o.category, ox)))
            assert dom.mask_predicates(mask) == want


def test_exceptions_are_visible_in_gas_taxonomy_show():
    from click.testing import CliRunner

    from gas_solver.cli.main import cli

    out = CliRunner().invoke(cli, ["taxonomy", "show", "sitting_next_to"])
    assert out.exit_code == 0, out.output
    assert "(not aquatic_mammal" in out.output
