"""Fixtures of the dataset tests."""

from __future__ import annotations

import pytest

from .helpers import REFERENCE, toy_build


@pytest.fixture(scope="session")
def reference(tmp_path_factory):
    """A reference build (1 worker) of the toy space: 3,000 rows, relation-pair hold-out, both formats."""
    out = tmp_path_factory.mktemp("ref") / "ds"
    manifest = toy_build(out, **REFERENCE)
    return out, manifest
