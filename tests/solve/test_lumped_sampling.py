"""The sampler's tables over lumps of labels (``solve/lumps.py``), its predicate draws by label pair
(``sample/predicates.PairTables``) and its object plans by number (``sample/objects.PlanIndex``) give the same
draws as the tables over labels and the per-group lists.

Both only make tables cheaper: a lumped elimination has the same partition function and, for every label of a
step's variable and every labelling of its neighbours, the same integer weight; the predicate index gives each
request the same bound and the same place in its table.  So the output bytes are those of the sampler without
them, which is checked here with both switched off (the law itself is checked against brute force by the
chi-square tests of ``test_sample.py``, ``test_fitting_settings.py`` and ``test_attribute_domains.py``, whose
tiny taxonomies lump labels: toy 7 -> 5 labels, tiny_domains 5 -> 1, tiny_settings 5 -> 3).
"""

from __future__ import annotations

import itertools
from collections import OrderedDict

import numpy as np
import pytest

from gas_solver.constraints import parse_constraints
from gas_solver.solve import count
from gas_solver.solve.burnside import eliminate, quotient
from gas_solver.solve.count import space_of
from gas_solver.solve.lumps import StepFactors, eliminate_lumped, lumping
from gas_solver.solve.sample import Sampler, objects, predicates
from gas_solver.solve.sample.law import set_up_law
from gas_solver.solve.sample.scalar import draw_scenes
from gas_solver.solve.sample.tables import Tables, step_weights
from gas_solver.taxonomy import load_taxonomy

CASES = [
    ("toy.toml", "complexity = [1, 4]\nacyclic = false\n"),
    ("toy.toml", "complexity = [5, 6]\nobjects = [3, 3]\nattributes = [0, 1]\nacyclic = false\n"),  # triangles
    ("tiny_domains.toml", "complexity = [1, 4]\nacyclic = false\n"),
    ("tiny_settings.toml", 'setting = "fitting"\ncomplexity = [1, 4]\nscene_attributes = [0, 1]\n'),
    ("tiny_sized.toml", "complexity = [2, 4]\nacyclic = false\n"),
]


def _spec(data_dir, taxonomy, body, extra=""):
    tax = load_taxonomy(data_dir / taxonomy)
    return parse_constraints(f"[space]\n{body}{extra}", tax), tax


@pytest.mark.parametrize("taxonomy, body", [
    ("toy.toml", "complexity = [1, 6]\nobjects = [1, 3]\nattributes = [0, 1]\nacyclic = false\n"),
    ("tiny_domains.toml", "complexity = [1, 6]\nobjects = [1, 3]\nacyclic = false\n"),
    ("tiny_sized.toml", "complexity = [2, 6]\nobjects = [1, 3]\nacyclic = false\n"),
])
def test_lumped_elimination_has_the_same_values_and_step_weights(data_dir, taxonomy, body):
    spec, tax = _spec(data_dir, taxonomy, body)
    sp = space_of(spec, tax)
    model = sp.count_model
    lumps = lumping(model)
    assert lumps is not None and len(lumps.lead) < model.M  # the case lumps something
    factors = count._Factors(model)
    keys = {key for s in sp.structures for g in s.automorphisms
            for key, _ in quotient(s.n, s.attributes, s.edges, g).components}
    assert any(len(k[0]) >= 3 and len(k[1]) >= 3 for k in keys)  # some component has a cycle
    for key in sorted(keys):
        plain = eliminate(key, factors.unary, factors.pairwise)
        lumped = eliminate_lumped(key, factors.unary, factors.pairwise, lumps)
        assert lumped.value == plain.value
        assert [(v, n) for v, n, _ in lumped.steps] == [(v, n) for v, n, _ in plain.steps]
        for (v, nbrs, mine), (_, _, theirs) in zip(lumped.steps, plain.steps):
            assert isinstance(mine, StepFactors)
            for at in itertools.product(range(model.M), repeat=len(nbrs)):
                at = dict(zip(nbrs, at))
                assert step_weights(mine, v, at) == step_weights(theirs, v, at)
            if len(nbrs) == 1:
                rows = np.asarray(mine.rows(v, nbrs[0]), dtype=object)
                for x in range(model.M):
                    assert rows[lumps.of[x]].tolist() == step_weights(theirs, v, {nbrs[0]: x})


def _draws(spec, tax, monkeypatch, *, lumped: bool):
    """Batched draws of three laws and scalar draws, on fresh spaces with or without lumps and pair tables."""
    monkeypatch.setattr(count, "_GRAPHS", {})
    monkeypatch.setattr(count, "_SPACES", OrderedDict())
    if not lumped:
        monkeypatch.setattr(count, "lumping", lambda model: None)
        monkeypatch.setattr(predicates, "PAIR_LABELS", 0)
        monkeypatch.setattr(objects, "SLOT_RADIX", 0)
    out = []
    for dist in ("uniform", "per-structure", "stratified"):
        strata = {"complexity": "equal"} if dist == "stratified" else None
        out.append(repr(Sampler(spec, tax, distribution=dist, strata=strata).sample(3000, seed=11)))
    if not spec.bounds.setting:
        out.append(repr(draw_scenes(Tables(set_up_law(spec, tax)), 5, 0, 400)))
    monkeypatch.undo()
    return out


@pytest.mark.parametrize("taxonomy, body", CASES)
def test_same_draws_with_and_without_lumps(data_dir, monkeypatch, taxonomy, body):
    spec, tax = _spec(data_dir, taxonomy, body)
    assert _draws(spec, tax, monkeypatch, lumped=True) == _draws(spec, tax, monkeypatch, lumped=False)


def test_same_draws_with_marked_matches_and_forbidden_edges(data_dir, monkeypatch):
    """Marked matches restrict some components (eliminated over labels) and not others (over lumps); a
    forbidden edge pattern keeps the lumps and turns the predicate index off."""
    extra = ('\n[[require]]\npattern = "a:animal -[*]-> b:*"\n'
             '\n[[forbid]]\npattern = "a:fruit -[*]-> b:animal"\n')
    spec, tax = _spec(data_dir, "toy.toml", "complexity = [2, 4]\n", extra)
    assert _draws(spec, tax, monkeypatch, lumped=True) == _draws(spec, tax, monkeypatch, lumped=False)


@pytest.mark.parametrize("taxonomy, body", [
    ("toy.toml", "complexity = [1, 6]\nobjects = [1, 3]\nattributes = [0, 1]\nacyclic = false\n"),
    ("tiny_sized.toml", "complexity = [2, 6]\nobjects = [1, 3]\nacyclic = false\n"),
    ("toy.toml", "complexity = [1, 4]\nacyclic = false\n[[forbid]]\npattern = \"a:* -[*]-> b:* -[*]-> c:*\"\n"),
])
def test_edge_lumps_by_type_equal_lumps_by_the_full_factor(data_dir, taxonomy, body):
    """edge_lumps compares rows by label type (a single-object file has millions of labels and few types, and
    its M x M factor would not fit in memory); the groups are those of the full factors' rows and columns."""
    spec, tax = _spec(data_dir, taxonomy, body)
    model = space_of(spec, tax).count_model
    for lengths in [(1,), (1, 2, 3)]:
        full = [model.edge_factor(L) for L in lengths]
        groups: dict = {}
        for m in range(model.M):
            groups.setdefault(tuple((tuple(F[m, :]), tuple(F[:, m])) for F in full), []).append(m)
        assert model.edge_lumps(lengths) == list(groups.values())
