"""Shared fixtures: small custom taxonomies (the main test vehicle) and the default one."""

from __future__ import annotations

import os
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


# In CI every optional piece (torch extra, Ray, WordNet, datasets) is installed, so a skip there means a broken
# install step, not an absent extra: `.ci/run` sets GAS_NO_SKIPS=1 to turn every skip into a failure.
def _fail_skip(report) -> None:
    if os.environ.get("GAS_NO_SKIPS") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped although GAS_NO_SKIPS=1 (CI installs every extra): {report.longrepr}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    _fail_skip(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    _fail_skip(outcome.get_result())
