"""The examples in the constraint modules' docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODULES = ["__init__", "check", "names", "parse", "pattern", "positions", "raw_asp"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name, monkeypatch):
    monkeypatch.chdir(ROOT)  # examples load tests/data/toy.toml by a relative path
    module = importlib.import_module(f"gas_solver.constraints.{name}".replace(".__init__", ""))
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
