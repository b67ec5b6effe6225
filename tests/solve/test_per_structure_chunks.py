"""The per-structure law drawn shape first, chunk by structure (solve/sample/chunks.py ``_iter_by_structure``):
the reference's law exactly (chi-square against brute force), lazy (only the structures of the scenes asked
for get tables), tables dropped after each structure, prefix-stable and worker-independent chunks."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import numpy as np
import pytest
from scipy.stats import chisquare

from brute_oracle import space, stabiliser
from gas_solver.constraints.model import Bounds, ConstraintSpec, IntRange
from gas_solver.scene import canonical_id
from gas_solver.solve import count as count_module
from gas_solver.solve.sample import Sampler
from gas_solver.solve.sample import chunks as chunks_module
from gas_solver.solve.sample.chunks import by_structure, draw_chunk, iter_chunk
from gas_solver.solve.structures import canonical_structure
from gas_solver.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def toy(data_dir):
    return load_taxonomy(data_dir / "toy.toml")


def _spec(cmax: int, **kw) -> ConstraintSpec:
    return ConstraintSpec(bounds=Bounds(complexity=IntRange(1, cmax), **kw))


def _per_structure_law(truth: dict) -> dict:
    """The reference's law from brute force: a structure uniformly, then a labelling of it uniformly, so a
    scene O on S has probability (|Aut S| / |Stab O|) / (#structures · #labellings(S))."""
    orbit, by_struct = {}, Counter()
    for k, sc in truth.items():
        st = canonical_structure(sc.n_objects, [len(o.attributes) for o in sc.objects],
                                 [(r.subject, r.object) for r in sc.relations])
        orbit[k] = (st.key, Fraction(st.group_order, stabiliser(sc)))
        by_struct[st.key] += orbit[k][1]
    return {k: m / (len(by_struct) * by_struct[s]) for k, (s, m) in orbit.items()}


@pytest.mark.parametrize("bounds", [dict(), dict(acyclic=False, scene_attributes=IntRange(0, 1))])
def test_chunks_by_structure_follow_the_per_structure_law(toy, by_multiset, bounds):
    sp = _spec(3, **bounds)
    truth = space(toy, sp, 3)
    law = _per_structure_law(truth)
    sampler = Sampler(sp, toy, distribution="per-structure")
    assert by_structure(sampler.law)
    keys = sorted(truth)
    scenes = sampler.sample(40 * len(keys), seed=29)
    seen = Counter(canonical_id(s) for s in scenes)
    assert set(seen) <= set(keys)
    obs = np.array([seen[k] for k in keys], dtype=float)
    exp = np.array([float(law[k]) * len(scenes) for k in keys])
    assert chisquare(obs, exp).pvalue > 0.001
    # and not the uniform law
    assert chisquare(obs, np.full(len(keys), len(scenes) / len(keys))).pvalue < 1e-9


def test_small_chunks_build_only_the_structures_asked_for(toy, by_multiset, monkeypatch):
    sampler = Sampler(_spec(5, acyclic=False), toy, distribution="per-structure")
    assert by_structure(sampler.law)
    built = []
    real = chunks_module.fill_of

    def spy(tables, sid, *a, **kw):
        built.append(sid)
        return real(tables, sid, *a, **kw)

    monkeypatch.setattr(chunks_module, "fill_of", spy)
    components = len(sampler.law.factors.components)
    scenes = sampler.sample(3, seed=4)
    assert len(scenes) == 3 and 1 <= len(set(built)) <= 3
    # each structure's tables are dropped once its scenes are drawn
    assert not sampler.tables.fills and not sampler.tables.step_tables
    assert len(sampler.law.factors.components) == components
    whole = sampler.sample_chunk(4, 0, chunks_module.CHUNK_SIZE)
    assert whole[:3] == scenes  # prefix-stable: the first scenes of a longer chunk
    assert not sampler.tables.fills and len(sampler.law.factors.components) == components


def test_chunks_by_structure_are_prefix_stable_and_worker_independent(toy, by_multiset, monkeypatch):
    monkeypatch.setattr(chunks_module, "CHUNK_SIZE", 200)
    sp = _spec(5, acyclic=False, scene_attributes=IntRange(0, 2))
    sampler = Sampler(sp, toy, distribution="per-structure")
    assert by_structure(sampler.law)
    long = sampler.sample(700, seed=3)
    assert sampler.sample(450, seed=3) == long[:450]
    assert sampler.sample(700, seed=3, workers=2) == long
    assert Sampler(sp, toy, distribution="per-structure").sample(700, seed=3) == long  # a rebuilt sampler
    assert list(iter_chunk(sampler.tables, 3, 1, 200)) == draw_chunk(sampler.tables, 3, 1, 200) == long[200:400]
    assert sampler.sample(700, seed=4) != long


def test_other_laws_keep_their_batches(toy, by_multiset, monkeypatch):
    """Only the per-structure law drawn shape first goes structure by structure."""
    assert not by_structure(Sampler(_spec(4), toy).law)
    monkeypatch.setattr(count_module, "MULTISET_ABOVE", 10 ** 9)
    assert not by_structure(Sampler(_spec(4), toy, distribution="per-structure").law)


def test_scene_count_waits_until_asked_for(toy, by_multiset):
    """The per-structure law draws without the space's scene count; Sampler.total computes it when read."""
    from gas_solver.solve.count import count_scenes
    from gas_solver.solve.sample.law import Deferred

    sp = _spec(4, acyclic=False)
    sampler = Sampler(sp, toy, distribution="per-structure")
    assert isinstance(sampler.law.__dict__["_total"], Deferred)
    sampler.sample(50, seed=1)
    assert isinstance(sampler.law.__dict__["_total"], Deferred)  # drawing did not need it
    assert sampler.total == sampler.proposal_total == sampler.z == count_scenes(sp, toy)
    assert not isinstance(sampler.law.__dict__["_total"], Deferred)
    assert Sampler(sp, toy).total == sampler.total
