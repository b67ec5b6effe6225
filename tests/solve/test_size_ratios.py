"""Relation size ratios (``size_ratio``, ``[semantics] ratios``) against brute force.

A ratio ("inside": the object's size class minus the subject's in ``[1, 5]``) depends on both ends, so the
relation's domain is no product; the domain splits it into one virtual predicate per group of subject size classes
(:func:`gas_solver.solve.domain.ratio_positions`), each a product, exactly one of which applies to any pair.
``tests/data/tiny_size_ratios.toml`` has three ratios (one beside a band), a relation without one and an unsized
concept: counts (total, by complexity, by shape), enumeration sets on both backends, patterns that name a ratio's
predicate, and uniform sampling (chi-square) must equal the brute force of ``brute_oracle`` (every labelled scene,
filtered by the checker ``violations``, which applies :meth:`Taxonomy.ratio_allows`).
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brute_oracle import space, total_weight, uniformity_pvalue
from gas_solver.constraints import parse_constraints, violations
from gas_solver.errors import ConstraintFileError, TaxonomyError
from gas_solver.scene import Relation, Scene, SceneObject, canonical_id
from gas_solver.solve.count import count_scenes, weighted_total
from gas_solver.solve.domain import ground
from gas_solver.solve.enumerate import enumerate_scenes
from gas_solver.solve.sample import sample_scenes
from gas_solver.taxonomy import load_taxonomy, taxonomy_from_dict

HEAD = 'format = "gas-constraints/1"\n[space]\ncomplexity = [1, 3]\n'
FILES = {
    "ratios": HEAD,
    "ratios-off": HEAD + "[semantics]\nratios = false\n",
    "sizes-off": HEAD + "[semantics]\nsizes = false\n",
    "cyclic": HEAD + "acyclic = false\n",
    "require-inside": HEAD + '[[require]]\npattern = "a:* -[inside]-> b:*"\n',
    "forbid-next": HEAD + '[[forbid]]\npattern = "a:item -[next_to]-> b:*"\n',
    "listed": HEAD + '[vocabulary]\nrelations = ["inside", "holding"]\n',
    "soft-inside": HEAD + '[[soft]]\npattern = "a:* -[inside]-> b:*"\nweight = 3\n',
}


@pytest.fixture(scope="module")
def tax(data_dir):
    return load_taxonomy(data_dir / "tiny_size_ratios.toml")


def _spec(tax, case):
    return parse_constraints(FILES[case], tax)


@pytest.mark.parametrize("case", sorted(set(FILES) - {"soft-inside"}))
def test_counts_equal_brute_force(tax, case):
    sp = _spec(tax, case)
    truth = space(tax, sp, 3)
    assert count_scenes(sp, tax) == len(truth)
    assert count_scenes(sp, tax, by="complexity") == dict(Counter(s.complexity for s in truth.values()))
    assert count_scenes(sp, tax, by="shape") == dict(Counter(s.shape for s in truth.values()))


@pytest.mark.parametrize("case", ["ratios", "require-inside", "forbid-next"])
@pytest.mark.parametrize("backend", ["asp", "cpsat"])
def test_enumeration_equals_brute_force(tax, case, backend):
    sp = _spec(tax, case)
    truth = space(tax, sp, 3)
    got = [canonical_id(s) for s in enumerate_scenes(sp, tax, backend=backend)]
    assert len(got) == len(set(got)) == len(truth)
    assert set(got) == set(truth)


@pytest.mark.parametrize("case", ["ratios", "require-inside"])
def test_uniform_sampling_fits_chi_square(tax, case):
    sp = _spec(tax, case)
    keys = sorted(space(tax, sp, 3))
    assert uniformity_pvalue(sample_scenes(sp, tax, 40 * len(keys), seed=7), keys) > 0.01


def test_weighted_count_equals_brute_force(tax):
    """A soft rule that names a ratio's predicate weighs every one of its virtual predicates."""
    sp = _spec(tax, "soft-inside")
    assert weighted_total(sp, tax) == total_weight(tax, sp, space(tax, sp, 3))


def test_the_ratio_changes_the_space(tax):
    """The switch matters, and turning sizes off turns the ratios off too."""
    on, off = count_scenes(_spec(tax, "ratios"), tax), count_scenes(_spec(tax, "ratios-off"), tax)
    assert on < off
    assert _spec(tax, "sizes-off").ratio_relations is False


def test_virtual_predicates(tax):
    """One bit per group of subject sizes; one printed name; exactly the pairs the ratio admits."""
    dom = ground(_spec(tax, "ratios"), tax)
    assert dom.predicate_ids.count("inside") > 1 and len(set(dom.predicate_ids)) == 4
    assert dom.predicates("ring", "cup") == ("inside", "next_to", "on_top_of")
    assert dom.predicates("cup", "cup") == ("next_to", "on_top_of")     # no cup inside a cup
    assert dom.predicates("cup", "box") == ("inside", "next_to", "on_top_of")
    assert dom.predicates("box", "cup") == ("next_to",)                 # nothing on a smaller thing
    assert dom.predicates("ring", "bus") == ("inside", "on_top_of")     # too far apart to stand side by side
    assert dom.predicates("boy", "ring") == ("holding",)
    assert dom.predicates("blob", "ring") == ("inside", "next_to", "on_top_of")  # unsized: no ratio binds it
    assert dom.predicates("cup", "blob") == ("inside", "next_to", "on_top_of")
    for s in dom.concepts:
        for o in dom.concepts:
            mask = dom.class_of(s).subject_mask & dom.class_of(o).object_mask
            names = dom.mask_predicates(mask)
            assert len(names) == len(set(names)) == bin(mask).count("1")
    free = ground(_spec(tax, "ratios-off"), tax)
    assert free.predicates("cup", "cup") == ("inside", "next_to", "on_top_of")


def test_checker_refuses_a_ratio(tax):
    sp = _spec(tax, "ratios")
    bad = Scene((SceneObject("box"), SceneObject("cup")), (Relation(0, 1, "inside"),))
    good = Scene((SceneObject("cup"), SceneObject("box")), (Relation(0, 1, "inside"),))
    assert violations(bad, sp, tax) and not violations(good, sp, tax)
    assert not violations(bad, _spec(tax, "ratios-off"), tax)


def test_bad_ratio_is_an_error(tmp_path, data_dir):
    text = (data_dir / "tiny_size_ratios.toml").read_text().replace("size_ratio = [1, 5]", "size_ratio = [3, 1]")
    p = tmp_path / "t.toml"
    p.write_text(text)
    with pytest.raises(TaxonomyError, match="relation 'inside'.*size_ratio"):
        load_taxonomy(p)


def test_bad_switch_is_an_error(tax):
    with pytest.raises(ConstraintFileError, match="ratios"):
        parse_constraints(HEAD + '[semantics]\nratios = "yes"\n', tax)


def test_docstring_examples(monkeypatch):
    import doctest
    from pathlib import Path

    import gas_solver.solve.domain as domain
    import gas_solver.taxonomy.model as model

    monkeypatch.chdir(Path(__file__).resolve().parents[2])  # the examples load tests/data/ by a relative path
    for module, name in ((domain, "ratio_positions"), (model.Taxonomy, "ratio_allows")):
        finder = doctest.DocTestFinder()
        tests = [t for t in finder.find(getattr(module, name), name, globs=vars(model if module is model.Taxonomy
                                                                              else domain).copy())]
        runner = doctest.DocTestRunner()
        for t in tests:
            runner.run(t)
        assert tests and runner.failures == 0


SIZES = ("tiny", "small", "medium", "large", "huge", "vast")


@settings(max_examples=40, deadline=None)
@given(sizes=st.lists(st.sampled_from(SIZES + (None,)), min_size=2, max_size=7),
       rules=st.lists(st.tuples(st.integers(-5, 5), st.integers(0, 5), st.integers(0, 5), st.booleans()),
                      min_size=1, max_size=4))
def test_virtual_predicates_equal_the_rule_on_every_pair(sizes, rules):
    """Random sizes, bands and ratios: the domain's predicates of every pair are exactly the relations whose
    domain, bands and ratio admit it, each once (so popcount counts relations)."""
    objects = [{"id": f"o{i}", "name": f"o{i}", "category": "item" if i % 2 else "tool",
                **({"size": z} if z else {})} for i, z in enumerate(sizes)]
    relations = []
    for k, (lo, width, band_lo, narrow) in enumerate(rules):
        rel = {"id": f"r{k}", "name": f"r{k}", "kind": "spatial", "subject": ["thing"],
               "object": ["item"] if narrow else ["thing"], "size_ratio": [lo, min(5, lo + width)]}
        if narrow:
            rel["subject_size"] = [SIZES[band_lo], "vast"]
        relations.append(rel)
    tax = taxonomy_from_dict({"format": "gas-taxonomy/1", "name": "random", "version": "1",
                              "categories": [{"id": "thing"}, {"id": "item", "parent": "thing"},
                                             {"id": "tool", "parent": "thing"}],
                              "objects": objects, "relations": relations})
    dom = ground(parse_constraints(HEAD, tax), tax)
    for s in tax.objects:
        for o in tax.objects:
            want = tuple(sorted(p for p in tax.relations
                                if tax.relation_allows(p, s.category, o.category)
                                and tax.sizes_allow(p, s.size, o.size, s.category, o.category)
                                and tax.ratio_allows(p, s.size, o.size)))
            mask = dom.class_of(s.id).subject_mask & dom.class_of(o.id).object_mask
            assert dom.predicates(s.id, o.id) == want
            assert bin(mask).count("1") == len(want)
