"""Relation vocabulary tiers and size bands by category against brute force.

``tests/data/tiny_relation_tiers.toml`` has an everyday and an "all" predicate and bands that differ by category
("riding": a person of its own band, a mammal only up to small).  The tier is resolved into the allowed predicates
when the file is parsed, and a category band is a property of one end's concept, so both reach the solver as
domains: counts (total, by complexity, by shape), enumeration sets and uniform sampling (chi-square) must equal
the independent brute force of ``brute_oracle`` (every labelled scene, filtered by the checker ``violations``).
"""

from __future__ import annotations

from collections import Counter

import pytest

from brute_oracle import space, uniformity_pvalue
from gas_solver.constraints import parse_constraints
from gas_solver.errors import ConstraintFileError
from gas_solver.scene import canonical_id
from gas_solver.solve.count import count_scenes
from gas_solver.solve.domain import ground
from gas_solver.solve.enumerate import enumerate_scenes
from gas_solver.solve.sample import sample_scenes
from gas_solver.taxonomy import load_taxonomy

HEAD = 'format = "gas-constraints/1"\n[space]\ncomplexity = [1, 3]\n'
FILES = {
    "all": HEAD,
    "everyday": HEAD + '[vocabulary]\nrelation_tier = "everyday"\n',
    "everyday-listed": HEAD + '[vocabulary]\nrelations = ["riding", "under"]\n',
    "tier-and-list": HEAD + '[vocabulary]\nrelations = ["riding", "the_same_shape_as"]\nrelation_tier = "everyday"\n',
    "sizes-off": HEAD + '[vocabulary]\nrelation_tier = "everyday"\n[semantics]\nsizes = false\n',
    "relations-any": HEAD + '[semantics]\nrelations = "any"\n',
    "cyclic": HEAD + 'acyclic = false\n[vocabulary]\nrelation_tier = "everyday"\n',
}


@pytest.fixture(scope="module")
def tax(data_dir):
    return load_taxonomy(data_dir / "tiny_relation_tiers.toml")


def _spec(tax, case):
    return parse_constraints(FILES[case], tax)


@pytest.mark.parametrize("case", sorted(FILES))
def test_counts_equal_brute_force(tax, case):
    sp = _spec(tax, case)
    truth = space(tax, sp, 3)
    assert count_scenes(sp, tax) == len(truth)
    assert count_scenes(sp, tax, by="complexity") == dict(Counter(s.complexity for s in truth.values()))
    assert count_scenes(sp, tax, by="shape") == dict(Counter(s.shape for s in truth.values()))


@pytest.mark.parametrize("case", ["all", "everyday", "sizes-off"])
def test_enumeration_equals_brute_force(tax, case):
    sp = _spec(tax, case)
    truth = space(tax, sp, 3)
    got = [canonical_id(s) for s in enumerate_scenes(sp, tax)]
    assert len(got) == len(set(got)) == len(truth)
    assert set(got) == set(truth)


@pytest.mark.parametrize("case", ["all", "everyday"])
def test_uniform_sampling_fits_chi_square(tax, case):
    sp = _spec(tax, case)
    keys = sorted(space(tax, sp, 3))
    assert uniformity_pvalue(sample_scenes(sp, tax, 40 * len(keys), seed=5), keys) > 0.01


def test_tier_is_the_list_of_its_predicates(tax):
    """The tier resolves to the predicates it holds (the same space as listing them), and combines with a list."""
    every, listed = _spec(tax, "everyday"), _spec(tax, "everyday-listed")
    assert every.vocabulary.predicates == listed.vocabulary.predicates == {"riding", "under"}
    assert count_scenes(every, tax) == count_scenes(listed, tax) < count_scenes(_spec(tax, "all"), tax)
    assert _spec(tax, "tier-and-list").vocabulary.predicates == {"riding"}
    assert _spec(tax, "all").vocabulary.predicates is None


def test_size_bands_by_category(tax):
    dom = ground(_spec(tax, "all"), tax)
    assert dom.predicates("boy", "horse") == ("riding",)          # a person rides a large mount
    assert dom.predicates("rat", "horse") == ("riding", "under")  # a small mammal rides too
    assert dom.predicates("horse", "horse") == ("under",)         # a large mammal does not: its category band
    assert dom.predicates("boy", "rat") == ()                     # the mount is large or huge
    assert dom.predicates("rat", "cup") == ()                     # an item is under-able from medium only
    assert dom.predicates("cup", "bicycle") == ("the_same_shape_as", "under")
    free = ground(_spec(tax, "sizes-off"), tax)
    assert free.predicates("horse", "rat") == ("riding", "under")
    assert [tax.size_band("riding", "subject", c) for c in ("person", "mammal", "thing")] == [(3, 3), (0, 1), (3, 3)]


def test_unknown_relation_tier_is_an_error(tax):
    with pytest.raises(ConstraintFileError, match="relation_tier.*unknown relation tier 'daily'"):
        parse_constraints(HEAD + '[vocabulary]\nrelation_tier = "daily"\n', tax)
