"""Shared fixtures: small custom taxonomies (the main test vehicle) and the default one."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def pytest_configure(config):
    try:  # tiny torch ops slow down badly with many threads on a shared machine
        import torch

        torch.set_num_threads(1)
    except ImportError:
        pass


@pytest.fixture(scope="session")
def toy_taxonomy():
    from gas_solver.taxonomy import load_taxonomy

    return load_taxonomy(DATA / "toy.toml")


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA
