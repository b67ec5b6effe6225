"""``[space] setting = "fitting"``: every location fits every object of its scene, against brute force.

The space is the disjoint union of a part without location and one part per setting (its locations required,
its fitting objects only): ``solve/counted.py``.  On ``tests/data/tiny_sized.toml`` (an indoor, an outdoor and an
unset location; the barn and large animals do not fit indoors) counts, counts by stratum, enumeration sets and
uniform, weighted and stratified sampling agree with ``brute_oracle`` (every labelled scene filtered by the
independent checker, which reads the rule straight from the location's setting).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from scipy.stats import chisquare

from brute_oracle import counts_by, space, weights
from gas_solver.constraints import parse_constraints
from gas_solver.constraints.check import violations
from gas_solver.scene import Attribute, Relation, Scene, SceneAttribute, SceneObject, canonical_id
from gas_solver.solve.count import count_scenes
from gas_solver.solve.counted import setting_parts
from gas_solver.solve.enumerate import enumerate_scenes
from gas_solver.solve.sample import Sampler, sample_scenes
from gas_solver.taxonomy import load_taxonomy

FILES = {
    "any-number": "complexity = [1, 3]\nscene_attributes = [0, 1]\n",
    "located": "complexity = [1, 3]\nscene_attributes = [1, 1]\n",
    "cyclic": "complexity = [1, 3]\nscene_attributes = [0, 1]\nacyclic = false\n",
}


@pytest.fixture(scope="module")
def tax(data_dir):
    return load_taxonomy(data_dir / "tiny_sized.toml")


def spec(tax, name, extra=""):
    return parse_constraints(f'[space]\nsetting = "fitting"\n{FILES[name]}{extra}', tax)


@pytest.mark.parametrize("name", sorted(FILES))
def test_counts_equal_brute_force(tax, name):
    sp = spec(tax, name)
    truth = space(tax, sp, 3)
    assert count_scenes(sp, tax) == len(truth)
    for by in ("complexity", "objects", "shape"):
        assert count_scenes(sp, tax, by=by) == counts_by(truth.values(), by)


def test_the_rule_matters(tax):
    """Fitting excludes scenes that the unmatched file has (a barn set in a kitchen) and keeps more than indoor."""
    sp = spec(tax, "located")
    loose = parse_constraints(f"[space]\n{FILES['located']}", tax)
    indoor = parse_constraints(f'[space]\nsetting = "indoor"\n{FILES["located"]}', tax)
    assert count_scenes(indoor, tax) < count_scenes(sp, tax) < count_scenes(loose, tax)
    barn = Scene((SceneObject("barn"),), (), (SceneAttribute("location", "kitchen"),))
    assert violations(barn, sp, tax) and not violations(barn, loose, tax)
    assert not violations(Scene((SceneObject("barn"),), (), (SceneAttribute("location", "field"),)), sp, tax)
    # outdoor admits every concept: its locations join the scenes without location
    assert [(p.bounds.setting, p.bounds.located) for p in setting_parts(sp, tax)] == [(None, False), ("indoor", True)]


@pytest.mark.parametrize("backend", ["asp", "cpsat"])
@pytest.mark.parametrize("name", ["any-number", "located"])
def test_enumeration_equals_brute_force(tax, name, backend):
    sp = spec(tax, name)
    truth = space(tax, sp, 3)
    got = [canonical_id(s) for s in enumerate_scenes(sp, tax, backend=backend)]
    assert len(got) == len(set(got)) == len(truth)
    assert set(got) == set(truth)


SOFT = '[[soft]]\npattern = "a:animal"\nweight = 2\n[[soft]]\npattern = "a:* -[riding]-> b:*"\nweight = 3\n'


def _sampler(sp, tax, path, **kw):
    """A sampler of the union that draws by ``path``: "joint" (every part from the universal part's tables, by
    exact rejection per scene: sample/fitting.py) or "mixture" (each part from its own sampler)."""
    sampler = Sampler(sp, tax, **kw)
    assert sampler._fitting is not None  # the tiny files qualify for the joint draws
    if path == "mixture":
        sampler._fitting = None
    return sampler


def _pvalues(sampler, keys, expected_share, draws):
    """Chi-square p-values of three independent samples (seeds 3, 4, 5) against ``expected_share`` per key."""
    out = []
    for seed in (3, 4, 5):
        c = Counter(canonical_id(s) for s in sampler.sample(draws, seed=seed))
        assert set(c) <= set(keys)
        obs = np.array([c[k] for k in keys], dtype=float)
        out.append(chisquare(obs, draws * expected_share).pvalue)
    return out


@pytest.mark.parametrize("path", ["joint", "mixture"])
@pytest.mark.parametrize("law", ["uniform", "stratified", "weighted"])
def test_sampling_fits_chi_square(tax, law, path):
    """Every law, both ways of drawing the union: the median p-value of three samples is above 0.01 (a
    biased sampler fails all three; an exact one fails the median with probability about 3e-4)."""
    sp = spec(tax, "located", SOFT if law == "weighted" else "")
    truth = space(tax, sp, 3)
    keys = sorted(truth)
    if law == "uniform":
        share = np.full(len(keys), 1 / len(keys))
        sampler = _sampler(sp, tax, path)
    elif law == "stratified":
        per = Counter(s.complexity for s in truth.values())
        share = np.array([1 / len(per) / per[truth[k].complexity] for k in keys])
        sampler = _sampler(sp, tax, path, distribution="stratified", strata={"complexity": "equal"})
    else:
        w = weights(tax, sp, truth)
        z = sum(w.values())
        share = np.array([float(w[k] / z) for k in keys])
        sampler = _sampler(sp, tax, path, distribution="weighted")
    ps = _pvalues(sampler, keys, share, 20 * len(keys))
    assert sorted(ps)[1] > 0.01, ps


def test_joint_draws_are_prefix_stable_and_worker_free(tax):
    """The joint draws keep the sampler's contract: a shorter run is a prefix, workers change nothing."""
    sampler = _sampler(spec(tax, "any-number"), tax, "joint")
    long = sampler.sample(5000, seed=9)
    assert sampler.sample(4100, seed=9) == long[:4100]
    assert sampler.sample(5000, seed=9, workers=2) == long
    assert sampler.sample_chunk(9, 1, 10) == sampler.sample_chunk(9, 1, 4096)[:10]


def test_default_file_fits_its_locations():
    """The embedded default asks for fitting settings: no drawn scene breaks the rule."""
    from gas_solver.constraints import load_default_constraints

    tax = load_taxonomy()
    sp = load_default_constraints(tax)
    assert sp.bounds.setting == "fitting"
    for s in sample_scenes(sp, tax, 300, seed=5):
        assert not violations(s, sp, tax)
        for a in s.scene_attributes:
            if a.type == "location":
                st = tax.scene_attribute_value("location", a.value).setting
                assert all(tax.setting_fits(st, o.concept) for o in s.objects)


@pytest.mark.parametrize("path", ["joint", "mixture"])
def test_per_structure_law_on_the_union(tax, path):
    """The reference's law on a union: a structure uniformly, then a uniform filling of it among all parts."""
    sp = spec(tax, "located")
    truth = space(tax, sp, 3)
    keys = sorted(truth)
    struct = {k: _erased(truth[k]) for k in keys}
    from gas_solver.solve.count import count_scenes as cs
    per = cs(sp, tax, by="structure")
    draws = 20 * len(keys)
    sampler = _sampler(sp, tax, path, distribution="per-structure")
    # every structure holds the same share; inside it every filling the same
    by_struct = Counter()
    for k in keys:
        by_struct[struct[k]] += 1
    assert len(per) == len(by_struct)
    share = np.array([1 / len(per) / by_struct[struct[k]] for k in keys])
    ps = _pvalues(sampler, keys, share, draws)
    assert sorted(ps)[1] > 0.01, ps


def _erased(scene):
    """The structure of a scene: its canonical id with every label erased (same concept, attribute and predicate)."""
    objs = tuple(SceneObject("x", tuple(Attribute(f"t{i}", "v") for i in range(len(o.attributes))))
                 for o in scene.objects)
    return canonical_id(Scene(objs, tuple(Relation(r.subject, r.object, "p") for r in scene.relations)))
