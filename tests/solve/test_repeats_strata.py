"""Repeated-objects strata: counts, enumeration sets and draws against brute force.

"repeated": some concept appears twice or more among the objects; "distinct": all concepts differ.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import numpy as np
import pytest
from scipy.stats import chisquare

from brute_oracle import space
from gas_solver.constraints import parse_constraints
from gas_solver.errors import GasError
from gas_solver.scene import canonical_id
from gas_solver.solve.count import count_scenes
from gas_solver.solve.enumerate import enumerate_scenes
from gas_solver.solve.sample import Sampler, parse_strata
from gas_solver.solve.sample.law import combine_strata, has_repeats
from gas_solver.taxonomy import load_taxonomy

FILES = {
    "plain": "[space]\ncomplexity = [1, 3]\n",
    "cyclic-counted": "[space]\ncomplexity = [1, 3]\nacyclic = false\n"
                      '[[cardinality]]\nkind = "objects"\nobjects = ["animal"]\nat_most = 1\n',
    "fitting": '[space]\nsetting = "fitting"\ncomplexity = [1, 3]\nscene_attributes = [0, 1]\n',
}


@pytest.fixture(scope="module")
def tax(data_dir):
    return load_taxonomy(data_dir / "tiny_sized.toml")


def _spec(tax, name, extra=""):
    return parse_constraints(FILES[name] + extra, tax)


def _cell(scene):
    return "repeated" if has_repeats(scene) else "distinct"


@pytest.mark.parametrize("name", sorted(FILES))
def test_counts_equal_brute_force(tax, name):
    sp = _spec(tax, name)
    truth = space(tax, sp, 3)
    by_cell = Counter(_cell(s) for s in truth.values())
    assert by_cell["repeated"] and by_cell["distinct"]  # both strata hold scenes
    assert count_scenes(sp, tax, by="repeats") == {r: by_cell[r] for r in ("repeated", "distinct")}
    cells = Counter((s.complexity, _cell(s)) for s in truth.values())
    got = count_scenes(sp, tax, by=("complexity", "repeats"))
    assert got == dict(cells) and list(got) == sorted(got, key=lambda k: (k[0], k[1] != "repeated"))
    # the distinct stratum is the file with repeat_objects = false (counted by quotient graphs)
    distinct = parse_constraints(FILES[name].replace("[space]\n", "[space]\nrepeat_objects = false\n"), tax)
    assert count_scenes(distinct, tax) == by_cell["distinct"]
    got = {canonical_id(s) for s in enumerate_scenes(distinct, tax)}
    assert got == {k for k, s in truth.items() if _cell(s) == "distinct"}


@pytest.mark.parametrize("name", sorted(FILES))
@pytest.mark.parametrize("strata", [{"repeats": {"repeated": 1, "distinct": 2}},
                                    {"complexity": "equal", "repeats": "equal"}])
def test_draws_fit_chi_square(tax, name, strata):
    """Every cell gets its share and every scene of a cell the same probability: the median p-value of three
    samples is above 0.01."""
    sp = _spec(tax, name)
    truth = space(tax, sp, 3)
    keys = sorted(truth)
    kind = "complexity" if "complexity" in strata else None
    cell = {k: (truth[k].complexity if kind else None, _cell(truth[k])) for k in keys}
    per = Counter(cell.values())
    if kind:  # equal complexities, each split equally over the cells it has
        strata_n = {c for c, _ in per}
        share = {c: Fraction(1, len(strata_n)) / sum(1 for cc in per if cc[0] == c[0]) for c in per}
    else:
        share = {(None, "repeated"): Fraction(1, 3), (None, "distinct"): Fraction(2, 3)}
    expected = np.array([float(share[cell[k]] / per[cell[k]]) for k in keys])
    sampler = Sampler(sp, tax, distribution="stratified", strata=strata)
    draws = 20 * len(keys)
    ps = []
    for seed in (3, 4, 5):
        c = Counter(canonical_id(s) for s in sampler.sample(draws, seed=seed))
        assert set(c) <= set(keys)
        ps.append(chisquare(np.array([c[k] for k in keys], dtype=float), draws * expected).pvalue)
    assert sorted(ps)[1] > 0.01, ps


def test_draws_are_prefix_stable_and_worker_free(tax):
    sampler = Sampler(_spec(tax, "fitting"), tax, distribution="stratified",
                      strata={"objects": "equal", "repeats": {"repeated": 1, "distinct": 1}})
    long = sampler.sample(600, seed=9)
    assert sampler.sample(250, seed=9) == long[:250]
    assert sampler.sample(600, seed=9, workers=2) == long


def test_not_asking_keeps_the_law(tax):
    """Without repeats strata the draws are the file's usual ones (no cells)."""
    sampler = Sampler(_spec(tax, "plain"), tax, distribution="stratified", strata={"complexity": "equal"})
    assert sampler.law.cells is None


def test_file_section_and_command_line(tax):
    section = '[sampling]\nby = "objects"\nrepeats = { repeated = 1, distinct = "1/2" }\n'
    sp = parse_constraints(FILES["plain"] + section, tax)
    assert sp.sampling.distribution == "stratified"
    assert sp.sampling.strata == {"objects": "equal", "repeats": {"repeated": 1, "distinct": Fraction(1, 2)}}
    alone = parse_constraints(FILES["plain"] + '[sampling]\nrepeats = "equal"\n', tax)
    assert alone.sampling.strata == {"repeats": "equal"}
    with pytest.raises(GasError, match="repeted.*did you mean 'repeated'"):
        parse_constraints(FILES["plain"] + '[sampling]\nrepeats = { repeted = 1 }\n', tax)
    assert combine_strata([parse_strata("objects:equal"), parse_strata("repeats:repeated=1")]) == \
        {"objects": "equal", "repeats": {"repeated": 1}}
    with pytest.raises(GasError, match="one structure kind"):
        combine_strata([parse_strata("objects:equal"), parse_strata("complexity:equal")])
    with pytest.raises(GasError, match="repeated=SHARE"):
        parse_strata("repeats:twice=1")
    with pytest.raises(GasError, match="objects=1 has no repeated"):
        Sampler(sp, tax, distribution="stratified", strata={"objects": "equal", "repeats": {"repeated": 1}})


@pytest.mark.parametrize("space_text", [
    "[space]\ncomplexity = [3, 3]\nobjects = [3, 3]\n",  # m(x) = 3 for three copies: the marked pair's 1/m matters
    "[space]\ncomplexity = [4, 4]\nobjects = [2, 2]\nacyclic = false\n",  # symmetric structures: non-identity g
])
def test_repeated_cell_alone_fits_chi_square(tax, space_text):
    """Only the repeated cell, on spaces where its direct draws (sample/repeated.py) face every case."""
    sp = parse_constraints(space_text, tax)
    truth = space(tax, sp, 4)
    keys = sorted(k for k, s in truth.items() if has_repeats(s))
    sampler = Sampler(sp, tax, distribution="stratified", strata={"repeats": {"repeated": 1}})
    assert all(c.direct for c in sampler.law.cells)
    draws = 100 * len(keys)  # enough to see one case off by a third
    ps = []
    for seed in (3, 4, 5):
        c = Counter(canonical_id(s) for s in sampler.sample(draws, seed=seed))
        assert set(c) <= set(keys)
        ps.append(chisquare(np.array([c[k] for k in keys], dtype=float), np.full(len(keys), draws / len(keys))).pvalue)
    assert sorted(ps)[1] > 0.01, ps
