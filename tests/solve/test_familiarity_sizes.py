"""Familiarity tiers, size bands, settings and the [semantics] switches against brute force.

Counts (total, by shape, by complexity), enumeration sets and uniform sampling (chi-square) on
``tests/data/tiny_sized.toml``, each against the independent brute force of ``brute_oracle``
(every labelled scene, deduplicated, filtered by the checker ``violations``).  The restrictions
reach the solver as domains only, so exactness must hold for each of them.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from scipy.stats import chisquare

from brute_oracle import space
from gas_solver.constraints.model import Bounds, ConstraintSpec, IntRange, Vocabulary
from gas_solver.scene import canonical_id
from gas_solver.solve.count import count_scenes
from gas_solver.solve.domain import ground
from gas_solver.solve.enumerate import enumerate_scenes
from gas_solver.solve.sample import sample_scenes
from gas_solver.taxonomy import load_taxonomy


def spec(cmax=3, vocabulary=Vocabulary(), bounds=None, **kw):
    return ConstraintSpec(bounds=Bounds(complexity=IntRange(1, cmax), **(bounds or {})), vocabulary=vocabulary, **kw)


CASES = {
    "all": spec(),
    "everyday": spec(vocabulary=Vocabulary(familiarity="everyday")),
    "common": spec(vocabulary=Vocabulary(familiarity="common")),
    "min-score": spec(vocabulary=Vocabulary(familiarity=3.5)),
    "sizes-off": spec(sizes=False),
    "attributes-any": spec(attributes="any"),
    "relations-any": spec(relations="any"),
    "relations-any-sizes-off": spec(relations="any", sizes=False),
    "semantic-false": spec(semantic=False),
    "indoor": spec(bounds={"setting": "indoor", "scene_attributes": IntRange(0, 1)}),
    "outdoor-everyday": spec(vocabulary=Vocabulary(familiarity="everyday"),
                             bounds={"setting": "outdoor", "scene_attributes": IntRange(1, 1)}),
    "cyclic-sizes": spec(bounds={"acyclic": False}),
}


@pytest.fixture(scope="module")
def tax(data_dir):
    return load_taxonomy(data_dir / "tiny_sized.toml")


@pytest.mark.parametrize("case", sorted(CASES))
def test_counts_equal_brute_force(tax, case):
    sp = CASES[case]
    truth = space(tax, sp, 3)
    assert count_scenes(sp, tax) == len(truth)
    assert count_scenes(sp, tax, by="complexity") == dict(Counter(s.complexity for s in truth.values()))
    assert count_scenes(sp, tax, by="shape") == dict(Counter(s.shape for s in truth.values()))


@pytest.mark.parametrize("case", ["everyday", "min-score", "sizes-off", "relations-any", "indoor"])
def test_enumeration_equals_brute_force(tax, case):
    sp = CASES[case]
    truth = space(tax, sp, 3)
    got = [canonical_id(s) for s in enumerate_scenes(sp, tax)]
    assert len(got) == len(set(got)) == len(truth)
    assert set(got) == set(truth)


def test_the_switches_change_the_space(tax):
    """Each switch really matters on this taxonomy (otherwise the cases above prove little)."""
    n = {c: count_scenes(sp, tax) for c, sp in CASES.items()}
    assert n["everyday"] < n["common"] < n["all"]
    assert n["all"] < n["sizes-off"] < n["relations-any-sizes-off"] <= n["semantic-false"]
    assert n["all"] < n["attributes-any"] and n["all"] < n["relations-any"]


def test_domains_apply_size_bands(tax):
    dom = ground(CASES["all"], tax)
    assert dom.predicates("cat", "horse") == ("riding",)       # medium rides large
    assert dom.predicates("horse", "cat") == ("holding",)      # a large animal holds a medium one; no riding
    assert dom.predicates("cat", "okapi") == ("riding",)
    assert dom.predicates("cup", "barn") == ("inside",)
    assert dom.predicates("barn", "cup") == ()                 # huge subject: nothing fits
    assert dom.allows("okapi") and not ground(CASES["common"], tax).allows("okapi")
    free = ground(CASES["sizes-off"], tax)
    assert free.predicates("horse", "cat") == ("holding", "riding")
    indoor = ground(CASES["indoor"], tax)
    assert not indoor.allows("barn") and indoor.scene_options == {"location": ("kitchen", "studio")}
    assert not ground(CASES["everyday"], tax).allows("cup")


@pytest.mark.parametrize("case", ["everyday", "indoor"])
def test_uniform_sampling_fits_chi_square(tax, case):
    sp = CASES[case]
    keys = sorted(space(tax, sp, 3))
    draws = 40 * len(keys)
    scenes = sample_scenes(sp, tax, draws, seed=7)
    c = Counter(canonical_id(s) for s in scenes)
    assert set(c) <= set(keys)
    obs = np.array([c[k] for k in keys], dtype=float)
    assert chisquare(obs, np.full(len(keys), draws / len(keys))).pvalue > 0.01
