"""Counted objects (``[[count]]``) and ``[sampling]`` sections against independent brute force.

The brute force (``brute_oracle.space``) lists every scene of complexity <= 3 over the toy taxonomy and keeps
those ``violations`` accepts; the checker knows ``[[count]]`` directly (the objects in the set number n and share
one concept), not through the solver's union of renamed parts.  Counts, enumeration sets (both backends), strata
and the sampled laws (chi-square goodness of fit) must agree with it.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import numpy as np
import pytest
from scipy.stats import chisquare

from brute_oracle import space, weights
from gas_solver.constraints import parse_constraints, violations
from gas_solver.errors import GasError
from gas_solver.scene import canonical_id
from gas_solver.solve.count import count_scenes, weighted_total
from gas_solver.solve.enumerate import enumerate_scenes, enumerate_with_cursors
from gas_solver.solve.sample import sampling_law
from gas_solver.solve.sample import Sampler
from gas_solver.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def toy(data_dir):
    return load_taxonomy(data_dir / "toy.toml")


# name: constraint file over the toy taxonomy (complexity <= 3: the brute force covers the whole space)
COUNTED = {
    # one concept: "two dogs" (plus whatever else fits)
    "one_concept": '[space]\ncomplexity = [1, 3]\n[[count]]\nobjects = ["dog"]\nn = 2\n',
    # a category: n copies of one animal, the rest free; relations and attributes around them
    "category_range": '[space]\ncomplexity = [1, 3]\n[[count]]\nobjects = ["animal"]\nn = [1, 2]\n',
    # two groups (disjoint), a forbidden pattern and a cardinality on top
    "two_groups": '''[space]\ncomplexity = [2, 3]\n[[count]]\nobjects = ["mammal"]\nn = 2
[[count]]\nobjects = ["fruit", "bird"]\nn = 1\n[[forbid]]\npattern = "a:mammal -[riding]-> b:*"\n''',
    # GenEval-like: exactly n objects, all copies of one class, plus an attribute budget
    "geneval_like": '''[space]\ncomplexity = [2, 3]\nobjects = [2, 3]\nattributes_per_object = [0, 1]
[vocabulary]\nobjects = ["animal", "vehicle", "fruit"]\nattribute_types = ["colour"]
[[count]]\nobjects = ["animal", "vehicle", "fruit"]\nn = [2, 3]\n''',
    # with scene attributes and a soft rule (weights)
    "scene_attributes_soft": '''[space]\ncomplexity = [1, 2]\nmodality = "3d"\nscene_attributes = [0, 1]
[[count]]\nobjects = ["vehicle"]\nn = 1\n[[soft]]\npattern = "a:mammal"\nweight = 3\n''',
}


class _Truths(dict):
    """(spec, brute-force space) per name of COUNTED, computed on first use."""

    def __init__(self, tax):
        super().__init__()
        self.tax = tax

    def __missing__(self, name):
        spec = parse_constraints(COUNTED[name], self.tax)
        self[name] = (spec, space(self.tax, spec, 3))
        return self[name]


@pytest.fixture(scope="module")
def truths(toy):
    return _Truths(toy)


@pytest.mark.parametrize("name", sorted(COUNTED))
def test_counted_count_and_strata_agree_with_brute_force(name, truths, toy):
    spec, truth = truths[name]
    assert truth, "the test space must not be empty"
    assert count_scenes(spec, toy) == len(truth)
    for by, key in (("complexity", lambda s: s.complexity), ("objects", lambda s: s.n_objects),
                    ("relations", lambda s: s.n_relations)):
        expected = Counter(key(s) for s in truth.values())
        assert count_scenes(spec, toy, by=by) == dict(sorted(expected.items()))
    w = weights(toy, spec, truth)
    assert weighted_total(spec, toy) == sum(w.values(), Fraction(0))


@pytest.mark.parametrize("backend", ["asp", "cpsat"])
@pytest.mark.parametrize("name", sorted(COUNTED))
def test_counted_enumeration_is_the_brute_force_set(name, backend, truths, toy):
    spec, truth = truths[name]
    got = [canonical_id(s) for s in enumerate_scenes(spec, toy, backend=backend)]
    assert len(got) == len(set(got)) and set(got) == set(truth)


def test_counted_enumeration_resumes_and_shards(truths, toy):
    spec, truth = truths["category_range"]
    full = [canonical_id(s) for s in enumerate_scenes(spec, toy)]
    cursor = None
    for i, (cursor, _) in enumerate(enumerate_with_cursors(spec, toy)):
        if i == 40:
            break
    rest = [canonical_id(s) for s in enumerate_scenes(spec, toy, cursor=cursor)]
    assert rest == full[41:]
    shards = [canonical_id(s) for i in range(3) for s in enumerate_scenes(spec, toy, shard=(i, 3))]
    assert sorted(shards) == sorted(full)


def _observed(scenes, keys):
    c = Counter(canonical_id(s) for s in scenes)
    assert set(c) <= set(keys), "sampled a scene outside the space"
    return np.array([c[k] for k in keys], dtype=float)


def _pvalue(obs, probs):
    exp = np.array([float(p) for p in probs]) * obs.sum()
    return chisquare(obs, exp).pvalue


@pytest.mark.parametrize("name", ["category_range", "two_groups", "geneval_like"])
def test_counted_uniform_sampling_fits_chi_square(name, truths, toy):
    spec, truth = truths[name]
    keys = sorted(truth)
    sampler = Sampler(spec, toy)
    assert sampler.total == len(keys)
    scenes = sampler.sample(40 * len(keys), seed=7)
    assert all(not violations(s, spec, toy) for s in scenes[:500])
    assert _pvalue(_observed(scenes, keys), [Fraction(1, len(keys))] * len(keys)) > 0.01


def test_counted_weighted_sampling_fits_chi_square(truths, toy):
    spec, truth = truths["scene_attributes_soft"]
    keys = sorted(truth)
    w = weights(toy, spec, truth)
    z = sum(w.values(), Fraction(0))
    sampler = Sampler(spec, toy, distribution="weighted")
    assert sampler.z == z
    scenes = sampler.sample(60 * len(keys), seed=2)
    assert _pvalue(_observed(scenes, keys), [w[k] / z for k in keys]) > 0.01


def test_counted_stratified_sampling_fits_chi_square(truths, toy):
    spec, truth = truths["category_range"]
    keys = sorted(truth)
    shares = {1: Fraction(1, 2), 2: Fraction(1, 3), 3: Fraction(1, 6)}
    per = Counter(s.n_objects for s in truth.values())
    probs = [shares[truth[k].n_objects] / per[truth[k].n_objects] for k in keys]
    scenes = Sampler(spec, toy, distribution="stratified", strata={"objects": shares}).sample(30 * len(keys), seed=4)
    obs = _observed(scenes, keys)
    assert _pvalue(obs, probs) > 0.01
    got = Counter(s.n_objects for s in scenes)
    assert abs(got[1] / len(scenes) - 0.5) < 0.02


def test_counted_sampling_is_deterministic_prefix_stable_and_worker_free(truths, toy):
    spec, _ = truths["two_groups"]
    s = Sampler(spec, toy)
    a = s.sample(9000, seed=5)
    assert a == s.sample(9000, seed=5, workers=2)
    assert a[:100] == s.sample(100, seed=5)
    assert s.sample_chunk(5, 1, 30) == s.sample_chunk(5, 1, 200)[:30]
    assert s.total == 6
    uniq = s.sample(6, seed=1, unique=True)
    assert len({canonical_id(x) for x in uniq}) == 6


def test_counted_refusals(toy):
    spec = parse_constraints(COUNTED["one_concept"], toy)
    with pytest.raises(GasError, match="per-structure"):
        Sampler(spec, toy, distribution="per-structure")
    from gas_solver.solve.hashing import HashingSampler

    with pytest.raises(GasError, match=r"\[\[count\]\]"):
        HashingSampler(spec, toy)
    empty = parse_constraints('[space]\ncomplexity = [1, 3]\nrepeat_objects = false\n'
                              '[[count]]\nobjects = ["dog"]\nn = 2\n', toy)
    assert count_scenes(empty, toy) == 0 == len(space(toy, empty, 3))
    with pytest.raises(GasError, match="empty"):
        Sampler(empty, toy)


# -- [sampling] sections ------------------------------------------------------------------

SECTION = '[space]\ncomplexity = [1, 3]\nmodality = "3d"\nscene_attributes = 1\n'


@pytest.fixture(scope="module")
def section_truth(toy):
    spec = parse_constraints(SECTION, toy)
    return space(toy, spec, 3)


@pytest.mark.parametrize("by, strata, key", [
    ("objects", "\"equal\"", lambda s: s.n_objects),
    ("relations", "{ 0 = 1, 1 = 2 }", lambda s: s.n_relations),
    ("attributes", "{ 0 = \"1/3\", 1 = 0.5, 2 = 0 }", lambda s: s.n_attributes),
    ("complexity", "\"equal\"", lambda s: s.complexity),
])
def test_sampling_section_law_fits_chi_square(by, strata, key, toy, section_truth):
    text = SECTION + f'[sampling]\ndistribution = "stratified"\nby = "{by}"\nstrata = {strata}\n'
    spec = parse_constraints(text, toy)
    distribution, plan = sampling_law(spec)
    assert distribution == "stratified" and by in plan
    truth = section_truth
    keys = sorted(truth)
    per = Counter(key(s) for s in truth.values())
    shares = {k: Fraction(1) for k in per} if plan[by] == "equal" else plan[by]
    total_share = sum(shares.values(), Fraction(0))
    probs = [shares.get(key(truth[k]), 0) / total_share / per[key(truth[k])] for k in keys]
    sampler = Sampler(spec, toy, distribution=distribution, strata=plan)
    assert sampler.total == len(keys)
    scenes = sampler.sample(12 * len(keys), seed=9)
    obs = _observed(scenes, keys)
    live = [i for i, p in enumerate(probs) if p]
    assert obs[[i for i, p in enumerate(probs) if not p]].sum() == 0
    assert _pvalue(obs[live], [probs[i] for i in live]) > 0.01


def test_sampling_section_is_overridden_by_explicit_options(toy):
    spec = parse_constraints(SECTION + '[sampling]\nby = "objects"\n', toy)
    assert sampling_law(spec) == ("stratified", {"objects": "equal"})
    assert sampling_law(spec, "uniform") == ("uniform", None)
    assert sampling_law(spec, None, {"relations": {0: 1}}) == ("stratified", {"relations": {0: 1}})
    assert sampling_law(parse_constraints(SECTION, toy)) == ("uniform", None)
    weighted = parse_constraints(SECTION + '[sampling]\ndistribution = "weighted"\n', toy)
    assert sampling_law(weighted) == ("weighted", None)


@pytest.mark.parametrize("module", ["gas_solver.solve.counted", "gas_solver.solve.sample.law"])
def test_docstring_examples(module, monkeypatch):
    import doctest
    import importlib
    from pathlib import Path

    monkeypatch.chdir(Path(__file__).resolve().parents[2])  # the examples load tests/data/toy.toml
    assert doctest.testmod(importlib.import_module(module)).failed == 0
