"""Object categories by subject category (``object_by_subject``) against brute force.

"feeding" admits a person feeding anyone but a mammal feeding only an animal: the relation's domain depends on
both ends' categories, so it is no product.  The domain splits it into one virtual predicate per listed subject
category (:func:`gas_solver.solve.domain.relation_positions`), each a product, exactly one of which applies to any
pair, beside the split of a size ratio.  ``tests/data/tiny_relation_pairs.toml`` has a nested rule (a bird under an
animal takes its own, an empty one: a bird carries nothing), a rule beside a size ratio and a relation without a rule: counts (total, by complexity, by
shape), weighted totals, enumeration sets on both backends, patterns that name a split predicate, and uniform
sampling (chi-square) must equal the brute force of ``brute_oracle`` (every labelled scene, filtered by the checker
``violations``, which applies :meth:`Taxonomy.relation_allows`).
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
    "pairs": HEAD,
    "relations-any": HEAD + '[semantics]\nrelations = "any"\n',
    "ratios-off": HEAD + "[semantics]\nratios = false\n",
    "cyclic": HEAD + "acyclic = false\n",
    "require-feeding": HEAD + '[[require]]\npattern = "a:* -[feeding]-> b:*"\n',
    "forbid-carrying": HEAD + '[[forbid]]\npattern = "a:animal -[carrying]-> b:*"\n',
    "listed": HEAD + '[vocabulary]\nrelations = ["feeding"]\n',
    "soft-feeding": HEAD + '[[soft]]\npattern = "a:* -[feeding]-> b:*"\nweight = 3\n',
}


@pytest.fixture(scope="module")
def tax(data_dir):
    return load_taxonomy(data_dir / "tiny_relation_pairs.toml")


def _spec(tax, case):
    return parse_constraints(FILES[case], tax)


@pytest.mark.parametrize("case", sorted(set(FILES) - {"soft-feeding"}))
def test_counts_equal_brute_force(tax, case):
    sp = _spec(tax, case)
    truth = space(tax, sp, 3)
    assert count_scenes(sp, tax) == len(truth)
    assert count_scenes(sp, tax, by="complexity") == dict(Counter(s.complexity for s in truth.values()))
    assert count_scenes(sp, tax, by="shape") == dict(Counter(s.shape for s in truth.values()))


@pytest.mark.parametrize("case", ["pairs", "require-feeding", "forbid-carrying"])
@pytest.mark.parametrize("backend", ["asp", "cpsat"])
def test_enumeration_equals_brute_force(tax, case, backend):
    sp = _spec(tax, case)
    truth = space(tax, sp, 3)
    got = [canonical_id(s) for s in enumerate_scenes(sp, tax, backend=backend)]
    assert len(got) == len(set(got)) == len(truth)
    assert set(got) == set(truth)


@pytest.mark.parametrize("case", ["pairs", "require-feeding"])
def test_uniform_sampling_fits_chi_square(tax, case):
    sp = _spec(tax, case)
    keys = sorted(space(tax, sp, 3))
    assert uniformity_pvalue(sample_scenes(sp, tax, 40 * len(keys), seed=7), keys) > 0.01


def test_weighted_count_equals_brute_force(tax):
    """A soft rule that names a split predicate weighs every one of its virtual predicates."""
    sp = _spec(tax, "soft-feeding")
    assert weighted_total(sp, tax) == total_weight(tax, sp, space(tax, sp, 3))


def test_the_rule_changes_the_space(tax):
    """The rule matters, and it is part of typed relations: ``relations = "any"`` drops it."""
    on, off = count_scenes(_spec(tax, "pairs"), tax), count_scenes(_spec(tax, "relations-any"), tax)
    assert on < off
    sp = _spec(tax, "relations-any")
    assert not violations(Scene((SceneObject("dog"), SceneObject("boy")), (Relation(0, 1, "feeding"),)), sp, tax)


def test_virtual_predicates(tax):
    """One bit per subject group; one printed name; exactly the pairs the rules admit."""
    dom = ground(_spec(tax, "pairs"), tax)
    assert dom.predicate_ids.count("feeding") == 3 and len(set(dom.predicate_ids)) == 3
    assert dom.predicates("boy", "dog") == ("carrying", "feeding", "next_to")
    assert dom.predicates("dog", "boy") == ("next_to",)                   # no dog feeds or carries a boy
    assert dom.predicates("dog", "sparrow") == ("feeding", "next_to")
    assert dom.predicates("sparrow", "dog") == ("next_to",)               # a bird feeds only a bird
    assert dom.predicates("sparrow", "sparrow") == ("feeding", "next_to")
    assert dom.predicates("dog", "ball") == ("carrying", "next_to")
    assert dom.predicates("dog", "blob") == ("carrying", "next_to")       # unsized: only the category rules
    assert dom.predicates("sparrow", "blob") == ("next_to",)              # an empty rule: a bird carries nothing
    for s in dom.concepts:
        for o in dom.concepts:
            mask = dom.class_of(s).subject_mask & dom.class_of(o).object_mask
            names = dom.mask_predicates(mask)
            assert len(names) == len(set(names)) == bin(mask).count("1")


def test_checker_and_question_tables_follow_the_rule(tax):
    sp = _spec(tax, "pairs")
    bad = Scene((SceneObject("sparrow"), SceneObject("dog")), (Relation(0, 1, "feeding"),))
    good = Scene((SceneObject("dog"), SceneObject("sparrow")), (Relation(0, 1, "feeding"),))
    assert violations(bad, sp, tax) and not violations(good, sp, tax)
    assert "feeding" not in tax.relations_for("bird", "animal")
    assert "feeding" in tax.relations_for("animal", "bird") and "feeding" in tax.relations_for("person", "person")


@pytest.mark.parametrize("edit, message", [
    ('object_by_subject = { animal = ["animal"], bird = ["bird"] }', "object_by_subject = { fish = [\"bird\"] }"),
    ('object_by_subject = { animal = ["animal"], bird = ["bird"] }', "object_by_subject = { bird = [\"x\"] }"),
    ('object_by_subject = { animal = ["animal"], bird = ["bird"] }', "object_by_subject = { bird = \"bird\" }"),
    ('symmetric = true', 'symmetric = true\nobject_by_subject = { item = ["item"] }'),
])
def test_bad_rule_is_an_error(tmp_path, data_dir, edit, message):
    text = (data_dir / "tiny_relation_pairs.toml").read_text().replace(edit, message)
    p = tmp_path / "t.toml"
    p.write_text(text)
    with pytest.raises(TaxonomyError, match="object_by_subject"):
        load_taxonomy(p)


def test_docstring_examples(monkeypatch):
    import doctest
    from pathlib import Path

    import gas_solver.solve.domain as domain
    import gas_solver.taxonomy.model as model

    monkeypatch.chdir(Path(__file__).resolve().parents[2])  # the examples load tests/data/ by a relative path
    for module, name in ((domain, "relation_positions"), (model.Taxonomy, "relation_allows")):
        tests = doctest.DocTestFinder().find(getattr(module, name), name,
                                             globs=vars(model if module is model.Taxonomy else domain).copy())
        runner = doctest.DocTestRunner()
        for t in tests:
            runner.run(t)
        assert tests and runner.failures == 0


CATS = ("person", "animal", "bird", "item")


@settings(max_examples=40, deadline=None)
@given(cats=st.lists(st.sampled_from(CATS), min_size=2, max_size=6),
       sizes=st.lists(st.sampled_from(("small", "medium", "large", None)), min_size=6, max_size=6),
       rules=st.lists(st.tuples(st.dictionaries(st.sampled_from(CATS + ("living", "animal")),
                                                st.lists(st.sampled_from(CATS + ("living",)), min_size=0,
                                                         max_size=2), max_size=3),
                                st.one_of(st.none(), st.tuples(st.integers(-2, 0), st.integers(0, 2)))),
                      min_size=1, max_size=3))
def test_virtual_predicates_equal_the_rule_on_every_pair(cats, sizes, rules):
    """Random categories, sizes, rules and ratios: the domain's predicates of every pair are exactly the
    relations whose domains, rules by category and ratio admit it, each once (so popcount counts relations)."""
    objects = [{"id": f"o{i}", "name": f"o{i}", "category": c, **({"size": sizes[i]} if sizes[i] else {})}
               for i, c in enumerate(cats)]
    relations = []
    for k, (by, ratio) in enumerate(rules):
        rel = {"id": f"r{k}", "name": f"r{k}", "kind": "action", "subject": ["thing"], "object": ["thing"],
               "object_by_subject": by}
        if ratio is not None:
            rel["size_ratio"] = list(ratio)
        relations.append(rel)
    categories = [{"id": "thing"}, {"id": "living", "parent": "thing"}, {"id": "person", "parent": "living"},
                  {"id": "animal", "parent": "living"}, {"id": "bird", "parent": "animal"},
                  {"id": "item", "parent": "thing"}]
    tax = taxonomy_from_dict({"format": "gas-taxonomy/1", "name": "random", "version": "1",
                              "categories": categories, "objects": objects, "relations": relations})
    dom = ground(parse_constraints(HEAD, tax), tax)
    for s in tax.objects:
        for o in tax.objects:
            mask = dom.class_of(s.id).subject_mask & dom.class_of(o.id).object_mask
            want = tuple(sorted(r.id for r in tax.relations.values()
                                if tax.relation_allows(r.id, s.category, o.category)
                                and tax.ratio_allows(r.id, s.size, o.size)))
            assert dom.mask_predicates(mask) == want and bin(mask).count("1") == len(want)


def test_rules_are_visible_in_gas_taxonomy_show():
    from click.testing import CliRunner

    from gas_solver.cli.main import cli

    out = CliRunner().invoke(cli, ["taxonomy", "show", "feeding"])
    assert out.exit_code == 0, out.output
    assert "objects of a subject under mammal: mammal" in out.output
    assert "objects of a subject under bird: bird" in out.output
