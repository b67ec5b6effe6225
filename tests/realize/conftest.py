from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def tricky_taxonomy(data_dir):
    from gas_solver.taxonomy import load_taxonomy

    return load_taxonomy(data_dir / "realize_tricky.toml")
