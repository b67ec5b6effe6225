"""Draws conditioned on many "at least one" requirements through the counters' DP (sample/conditioned.py):
exactly uniform over the constrained space (chi-square against brute force at complexity <= 5), valid
scenes on the default taxonomy with sixteen requirements, and the shipped files left on the marked path."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from brute_oracle import space, uniformity_pvalue
from gas_solver.constraints import parse_constraints
from gas_solver.constraints.check import violations
from gas_solver.solve.count import count_scenes, space_of
from gas_solver.solve.counted import is_union
from gas_solver.solve.modular import contract_int
from gas_solver.solve.sample import Sampler, conditioned
from gas_solver.taxonomy import load_taxonomy
from test_requirements import _spec

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tiny_a(data_dir):
    return load_taxonomy(data_dir / "tiny_a.toml")


@pytest.fixture
def always_conditioned(monkeypatch):
    monkeypatch.setattr(conditioned, "CONDITIONED_ABOVE", 0)


def test_contract_keep_is_the_marginal():
    rng = np.random.default_rng(4)
    G = 4
    f01 = rng.integers(0, 10 ** 6, (G, G)).astype(object) * 10 ** 12  # large values: several primes
    f12 = rng.integers(0, 9, (G, G)).astype(object)
    u = [rng.integers(0, 5, G).astype(object) for _ in range(3)]
    factors = [((0, 1), f01), ((1, 2), f12)] + [((i,), u[i]) for i in range(3)]
    for keep in range(3):
        want = [0] * G
        for x in itertools.product(range(G), repeat=3):
            want[x[keep]] += f01[x[0], x[1]] * f12[x[1], x[2]] * u[0][x[0]] * u[1][x[1]] * u[2][x[2]]
        assert contract_int(factors, keep=keep) == want
    batched = [(s, np.stack([a, 2 * a])) for s, a in factors]
    got = contract_int(batched, batch=2, keep=1)
    assert got[0] == contract_int(factors, keep=1)
    assert got[1] == [x * 2 ** 5 for x in got[0]]


# (requirements as (pattern index, at_least), complexity, bounds): object, attribute, edge and
# predicate-set requirements, implied ones among them, acyclic and cyclic
CASES = [
    ([(7, 1), (5, 1)], 5, {"acyclic": False}),
    ([(0, 1), (5, 1), (9, 1)], 5, {"acyclic": False}),
    ([(2, 1), (6, 1), (9, 1)], 5, {}),
    ([(1, 1), (5, 1)], 4, {}),
    ([(i, 1) for i in (0, 1, 2, 5, 6, 7, 8, 9) * 2], 5, {"acyclic": False}),  # sixteen blocks
]


@pytest.mark.parametrize("require,cmax,bounds", CASES)
def test_conditioned_draws_are_uniform(tiny_a, always_conditioned, require, cmax, bounds):
    sp = _spec(require, cmax=cmax, bounds=bounds)
    truth = space(tiny_a, sp, cmax)
    assert count_scenes(sp, tiny_a) == len(truth)
    sampler = Sampler(sp, tiny_a)
    assert sampler.law.conditioned is not None and sampler.law.reject is None
    draws = sampler.sample(max(400, 12 * len(truth)), seed=11)
    assert uniformity_pvalue(draws, list(truth)) > 1e-3
    assert sampler.sample(20, seed=5) == Sampler(sp, tiny_a).sample(20, seed=5)


def test_conditioned_per_structure_and_strata_stay_in_the_space(tiny_a, always_conditioned):
    sp = _spec([(7, 1), (5, 1)], cmax=5, bounds={"acyclic": False})
    truth = space(tiny_a, sp, 5)
    from gas_solver.scene import canonical_id

    for kw in ({"distribution": "per-structure"}, {"distribution": "stratified", "strata": {"complexity": "equal"}}):
        s = Sampler(sp, tiny_a, **kw)
        assert s.law.conditioned is not None
        draws = s.sample(300, seed=1)
        assert {canonical_id(d) for d in draws} <= set(truth)
        if "strata" in kw:  # every complexity with scenes gets its share
            assert {d.complexity for d in draws} == {t.complexity for t in truth.values()}


def test_sixteen_requirements_on_the_default_taxonomy():
    """The benchmark's file (bench_scale.py): conditioned draws, each scene satisfying every block."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_scale import DEFAULT_SPACE, HEAD, REQUIRED

    tax = load_taxonomy(None)
    text = HEAD + DEFAULT_SPACE + "".join(f'\n[[require]]\npattern = "{p}"\n' for p in REQUIRED)
    spec = parse_constraints(text, tax)
    sampler = Sampler(spec, tax)
    assert sampler.law.conditioned is not None
    for sc in sampler.sample(4, seed=3):
        assert not violations(sc, spec, tax)


def test_shipped_files_keep_the_marked_proposal():
    """Output bytes of the shipped files do not change: none of them reaches the conditioned draws."""
    tax = load_taxonomy(None)
    for f in sorted((ROOT / "constraints").glob("*.toml")):
        head = f.read_text().splitlines()[:5]
        if any(line.startswith("# taxonomy:") for line in head):
            continue
        spec = parse_constraints(f, tax, path=str(f))
        if spec.raw_asp or is_union(spec):
            continue
        sp = space_of(spec, tax)
        if sp.count_model.sampler_marks:
            assert conditioned.conditioned_counter(sp, sp.count_model, weighted=False) is None, f.name
