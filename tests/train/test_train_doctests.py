"""The examples in the docstrings of the training, evaluation and report modules run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

pytest.importorskip("torch", reason="the gpu extra is not installed (pip install gas-solver[gpu])")

MODULES = ["gas_solver.train.decoders", "gas_solver.train.rewards", "gas_solver.train.grpo", "gas_solver.train",
           "gas_solver.vision.benchmarks", "gas_solver.vision.geneval", "gas_solver.vision.report",
           "gas_solver.vision.progress", "gas_solver.vision.score", "gas_solver.vision.generate"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
