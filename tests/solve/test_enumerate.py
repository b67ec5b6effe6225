"""Enumeration properties: constraints hold, no duplicates, shards partition, cursors resume, limits, counts."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gas_solver.constraints import parse_constraints
from gas_solver.constraints.check import violations
from gas_solver.errors import GasError, SpaceTooLarge
from gas_solver.scene import canonical_id
from gas_solver.solve.count import count_scenes
from gas_solver.solve.enumerate import enumerate_scenes, enumerate_with_cursors
from gas_solver.taxonomy import load_taxonomy

FILES = [
    '[space]\ncomplexity = [1, 3]\n',
    '[space]\ncomplexity = [2, 4]\nacyclic = false\nconnected = true\n',
    '[space]\ncomplexity = [1, 4]\n[[require]]\npattern = "a:person -[*]-> b:*"\n',
    '[space]\ncomplexity = [1, 4]\n[[cardinality]]\nkind = "objects"\nobjects = ["vehicle"]\nat_least = 2\n',
    '[space]\ncomplexity = [1, 3]\nrepeat_objects = false\n[[forbid]]\npattern = "a:vehicle{colour=blue}"\n',
]


@pytest.fixture(scope="module")
def street(data_dir):
    return load_taxonomy(data_dir / "tiny_street.toml")


@pytest.fixture(scope="module")
def listed(street):
    out = []
    for text in FILES:
        spec = parse_constraints(text, street)
        out.append((spec, [canonical_id(s) for s in enumerate_scenes(spec, street, backend="cpsat")]))
    return out


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.integers(0, len(FILES) - 1), backend=st.sampled_from(["asp", "cpsat"]))
def test_every_scene_satisfies_its_file_and_none_repeats(street, which, backend):
    spec = parse_constraints(FILES[which], street)
    scenes = list(enumerate_scenes(spec, street, backend=backend))
    assert scenes
    assert all(violations(s, spec, street) == [] for s in scenes)
    ids = [canonical_id(s) for s in scenes]
    assert len(set(ids)) == len(ids)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.integers(0, len(FILES) - 1), k=st.integers(1, 5))
def test_shards_are_disjoint_and_cover(street, listed, which, k):
    spec, full = listed[which]
    parts = [[canonical_id(s) for s in enumerate_scenes(spec, street, backend="cpsat", shard=(i, k))]
             for i in range(k)]
    merged = [x for p in parts for x in p]
    assert len(merged) == len(set(merged)) == len(full)
    assert set(merged) == set(full)
    # each shard keeps the global order of its scenes
    position = {x: n for n, x in enumerate(full)}
    for p in parts:
        assert [position[x] for x in p] == sorted(position[x] for x in p)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.integers(0, len(FILES) - 1), cut=st.floats(0, 1), k=st.integers(1, 3))
def test_cursor_resume_continues_exactly(street, listed, which, cut, k):
    spec, _ = listed[which]
    shard = (k - 1, k)
    full = [canonical_id(s) for s in enumerate_scenes(spec, street, backend="asp", shard=shard)]
    if not full:
        return
    stop = min(int(cut * len(full)), len(full) - 1)
    it = enumerate_with_cursors(spec, street, backend="asp", shard=shard)
    cursor = None
    for _ in range(stop + 1):
        cursor, _scene = next(it)
    rest = [canonical_id(s) for s in enumerate_scenes(spec, street, backend="asp", cursor=cursor, shard=shard)]
    assert rest == full[stop + 1:]


def test_cursor_from_another_space_is_refused(street, listed):
    spec_a, _ = listed[0]
    spec_b, _ = listed[1]
    cursor, _ = next(enumerate_with_cursors(spec_a, street))
    with pytest.raises(GasError, match="another constraint file"):
        list(enumerate_scenes(spec_b, street, cursor=cursor))
    with pytest.raises(GasError, match="malformed cursor"):
        list(enumerate_scenes(spec_a, street, cursor="nonsense"))


def test_order_is_deterministic_and_by_structure(street, listed):
    spec, full = listed[0]
    again = [canonical_id(s) for s in enumerate_scenes(spec, street, backend="asp")]
    assert again == full
    complexities = [s.complexity for s in enumerate_scenes(spec, street)]
    assert complexities == sorted(complexities)


@pytest.mark.parametrize("which", range(len(FILES)))
def test_count_equals_enumeration_length(street, listed, which):
    spec, full = listed[which]
    assert count_scenes(spec, street) == len(full)


def test_limit_refuses_with_exact_count(street, listed):
    spec, full = listed[0]
    with pytest.raises(SpaceTooLarge, match=f"has {len(full)} scenes"):
        enumerate_scenes(spec, street, limit=len(full) - 1)
    assert len(list(enumerate_scenes(spec, street, limit=len(full)))) == len(full)
    assert len(list(enumerate_scenes(spec, street, limit=3, force=True))) == 3


def test_bad_shard_and_backend(street, listed):
    spec, _ = listed[0]
    with pytest.raises(GasError, match="shard 3/3"):
        list(enumerate_scenes(spec, street, shard=(3, 3)))
    with pytest.raises(GasError, match="unknown backend"):
        list(enumerate_scenes(spec, street, backend="sat"))
