"""A ``setting = "fitting"`` union's parts counted in one pass (``count.share_setting_counts``), against
counting each part on its own; the edge factor's integer-product path against its per-pair loop.

The one-pass count eliminates each quotient component once with a batch member per part (the first part's
vertex weights, zero where a label does not fit the part's setting).  Here every part's count on every
structure, and every component value its sampler's automorphism choices read, must equal what a fresh count of
that part alone gives (its own grounding and label model), on the tiny taxonomies and on the default file.
The brute-force agreement of the union's counts and draws is in ``test_fitting_settings.py`` and
``test_concept_settings.py``.
"""

from __future__ import annotations

from collections import OrderedDict
from importlib.resources import files

import numpy as np
import pytest

from gas_solver.constraints import load_default_constraints, parse_constraints
from gas_solver.solve import count
from gas_solver.solve.count import Space, count_scenes, share_setting_counts, shared_parts, space_of
from gas_solver.solve.counted import counted_parts
from gas_solver.taxonomy import load_taxonomy


def _shared_then_alone(spec, tax, monkeypatch):
    """Per part: (structure counts, component values) from the one-pass count, then from counting it alone."""
    monkeypatch.setattr(count, "_GRAPHS", {})
    monkeypatch.setattr(count, "_SPACES", OrderedDict())
    parts = shared_parts([p.spec for p in counted_parts(spec, tax)])  # not the parts of hiding values
    assert share_setting_counts(parts, tax)
    shared = []
    for p in parts:
        sp = space_of(p, tax)
        shared.append((dict(sp._counts), dict(sp.factors(sp.count_model)._values)))
    monkeypatch.setattr(count, "_GRAPHS", {})
    monkeypatch.setattr(count, "_SPACES", OrderedDict())
    alone = []
    for p in parts:
        sp = Space(p, tax)
        counts = {(s.n, s.attributes, s.edges): sp.structure_value(s) for s in sp.structures}
        factors = sp.factors(sp.count_model)
        alone.append((counts, {key: factors.value(key) for key in shared[len(alone)][1]}))
    return shared, alone


@pytest.mark.parametrize("taxonomy, body", [
    ("tiny_sized.toml", "complexity = [1, 3]\nscene_attributes = [0, 1]\n"),
    ("tiny_sized.toml", "complexity = [1, 4]\nscene_attributes = [1, 1]\nacyclic = false\n"),
    ("tiny_settings.toml", "complexity = [1, 4]\nscene_attributes = [0, 2]\n"),
])
def test_one_pass_equals_each_part_alone(data_dir, monkeypatch, taxonomy, body):
    tax = load_taxonomy(data_dir / taxonomy)
    spec = parse_constraints(f'[space]\nsetting = "fitting"\n{body}', tax)
    shared, alone = _shared_then_alone(spec, tax, monkeypatch)
    assert len(shared) >= 2
    for (counts, values), (counts_alone, values_alone) in zip(shared, alone):
        assert counts == counts_alone
        assert values and values == values_alone


def test_one_pass_on_the_default_file(monkeypatch):
    """The embedded default file (seven setting parts, 256 structures) at complexity 3-5 (fewer structures)."""
    tax = load_taxonomy()
    spec = load_default_constraints(tax)
    import dataclasses

    from gas_solver.constraints.model import IntRange

    spec = dataclasses.replace(spec, bounds=dataclasses.replace(spec.bounds, complexity=IntRange(3, 5)))
    shared, alone = _shared_then_alone(spec, tax, monkeypatch)
    # all but the hiding values' parts (colourless media, styles, artists and lights; media made of their own
    # material)
    from gas_solver.constraints.hiding import hiding_groups

    assert len(hiding_groups(spec, tax)) == 7
    # nor the parts of fewer objects (close framings: counted.capped_parts), which have other structures
    parts = counted_parts(spec, tax)
    capped = sum(p.spec.bounds.objects != parts[0].spec.bounds.objects for p in parts)
    assert capped == 24
    assert len(shared) == len(parts) - 7 - capped > 2
    for (counts, values), (counts_alone, values_alone) in zip(shared, alone):
        assert counts == counts_alone
        assert values == values_alone
    # and the union's total is the sum of the parts' counts, each scene-attribute choice included
    monkeypatch.setattr(count, "_GRAPHS", {})
    monkeypatch.setattr(count, "_SPACES", OrderedDict())
    assert count_scenes(spec, tax) == sum(Space(p.spec, tax).total() for p in counted_parts(spec, tax))


@pytest.mark.parametrize("taxonomy", ["tiny_sized.toml", "tiny_settings.toml", None])
def test_edge_factor_product_equals_loop(data_dir, taxonomy):
    """Without edge patterns F[l1, l2] is the number of predicates both labels' classes allow: the integer
    matrix product gives the per-pair loop's Python integers, for every length.  (Subject exclusions are forbidden
    one-edge patterns, so the default file's parts are read with them off, should the file switch them on.)"""
    tax = load_taxonomy(data_dir / taxonomy) if taxonomy else load_taxonomy()
    default = (files("gas_solver") / "data" / "default_constraints.toml").read_text(encoding="utf-8")
    spec = parse_constraints("[space]\ncomplexity = [1, 3]\n" if taxonomy
                             else default.replace("[semantics]\n", "[semantics]\nsubject_exclusions = false\n"), tax)
    for part in counted_parts(spec, tax) if taxonomy is None else [type("P", (), {"spec": spec})]:
        model = space_of(part.spec, tax).count_model
        assert not (model.forbid_edges or model.soft_edges)
        for length in (1, 2):
            fast = model.edge_factor(length)
            loop = np.array([[sum(c * w for _, c, w in model.edge_atom_weights(i, j, length))
                              for j in range(model.M)] for i in range(model.M)], dtype=object)
            assert fast.shape == loop.shape
            assert all(type(a) is int and a == b for a, b in zip(fast.flat, loop.flat))


def test_row_categorical_from_int64_equals_from_lists():
    """RowCategorical built straight from an int64 array (the sampler's conditional tables where they fit) has
    the tables the Python-integer lists give, and draws the same values from the same stream."""
    from gas_solver.solve.exact_random import RowCategorical

    rng = np.random.default_rng(1)
    for trial in range(100):
        r, c = (int(x) for x in rng.integers(1, 30, 2))
        w = rng.integers(0, [10, 10**6, 10**12, 2**40][trial % 4], (r, c))
        w[rng.random((r, c)) < 0.3] = 0
        if trial % 5 == 0:
            w[0] = 0  # a row never asked for
        a, b = RowCategorical(w.astype(np.int64)), RowCategorical(w.tolist())
        for field in ("cq", "high", "shift", "flat", "base"):
            x, y = getattr(a, field), getattr(b, field)
            assert np.array_equal(x, y) and x.dtype == y.dtype
        rows = rng.integers(0, r, 50)
        assert np.array_equal(a.draw(np.random.default_rng(trial), rows), b.draw(np.random.default_rng(trial), rows))
    big = np.full((2, 3), 1 << 61, dtype=np.int64)  # beyond 2**62 in sum: the lists' path (shifted rows)
    assert RowCategorical(big).shift.tolist() == RowCategorical(big.tolist()).shift.tolist()
