"""Label-free non-local patterns (chains, stars of wildcards) decided per structure, against brute force."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from scipy.stats import chisquare

from brute_oracle import space
from gas_solver.constraints import parse_constraints
from gas_solver.scene import canonical_id
from gas_solver.solve.count import count_scenes, space_of
from gas_solver.solve.sample import Sampler
from gas_solver.taxonomy import load_taxonomy

CHAIN = 'format = "gas-constraints/1"\n[space]\ncomplexity = [1, {c}]\nacyclic = {acyclic}\n' \
        '[[forbid]]\npattern = "a:* -[*]-> b:* -[*]-> c:*"\n'
FAN = 'format = "gas-constraints/1"\n[space]\ncomplexity = [1, {c}]\nacyclic = {acyclic}\n' \
      '[[require]]\npattern = "a:* -[*]-> b:*, a -[*]-> c:*"\nat_least = 2\n' \
      '[[forbid]]\npattern = "a:animal -[*]-> b:fruit"\n'


@pytest.fixture(scope="module")
def tiny_a(data_dir):
    return load_taxonomy(data_dir / "tiny_a.toml")


@pytest.mark.parametrize("text", [CHAIN, FAN], ids=["chain", "fan"])
@pytest.mark.parametrize("acyclic", ["true", "false"])
def test_structural_patterns_count_like_brute_force(tiny_a, text, acyclic):
    for c in (4, 5):
        sp = parse_constraints(text.format(c=c, acyclic=acyclic), tiny_a)
        truth = space(tiny_a, sp, c)
        assert count_scenes(sp, tiny_a) == len(truth)
        assert truth or c == 4  # the fan needs 5 elements
        assert space_of(sp, tiny_a).method() == "product"  # no explicit sum over labels


def test_chain_sampling_fits_chi_square(tiny_a):
    sp = parse_constraints(CHAIN.format(c=4, acyclic="false"), tiny_a)
    truth = space(tiny_a, sp, 4)
    keys = sorted(truth)
    sampler = Sampler(sp, tiny_a)
    assert sampler.total == len(keys)
    c = Counter(canonical_id(s) for s in sampler.sample(40 * len(keys), seed=5))
    assert set(c) <= set(keys)
    obs = np.array([c[k] for k in keys], dtype=float)
    assert chisquare(obs, np.full(len(keys), obs.sum() / len(keys))).pvalue > 0.01


def test_chain_on_the_default_taxonomy_counts_at_complexity_8_in_seconds():
    import time

    tax = load_taxonomy()
    sp = parse_constraints(CHAIN.format(c=8, acyclic="true"), tax)
    t = time.process_time()
    total = count_scenes(sp, tax)
    assert total > 10 ** 29
    assert len(Sampler(sp, tax).sample(3, seed=1)) == 3
    assert time.process_time() - t < 60  # ~2 s on an idle core; generous for a shared machine
