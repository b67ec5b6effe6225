"""Fixtures shared by the connected-scene tests (``test_multiset.py``, ``test_shape_first.py``)."""

from __future__ import annotations

import pytest

from gas_solver.solve import count as count_module
from gas_solver.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def tiny_taxa(data_dir):
    """The three small test taxonomies, by name."""
    return {n: load_taxonomy(data_dir / f"{n}.toml") for n in ("tiny_a", "tiny_b", "toy")}


@pytest.fixture
def by_multiset(monkeypatch):
    """Every space with local constraints counted (and sampled) through connected scenes, however small."""
    monkeypatch.setattr(count_module, "MULTISET_ABOVE", -1)
