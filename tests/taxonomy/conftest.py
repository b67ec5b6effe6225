"""Helpers for the taxonomy tests: the build modules live in taxonomy/ (not in the package)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD_DIR = ROOT / "taxonomy"


@pytest.fixture(scope="session")
def build_modules():
    """Import taxonomy/build.py and friends (they need inflect, the taxonomy-build extra)."""
    pytest.importorskip("inflect", reason="pip install gas-solver[taxonomy-build]")
    import importlib.util

    if str(BUILD_DIR) not in sys.path:
        sys.path.insert(0, str(BUILD_DIR))  # build.py imports its siblings language, wordnet

    def load(name: str):
        # unique module names: a PyPA "build" package in the environment must not shadow ours
        key = f"gas_taxonomy_{name}"
        if key not in sys.modules:
            spec = importlib.util.spec_from_file_location(key, BUILD_DIR / f"{name}.py")
            module = importlib.util.module_from_spec(spec)
            sys.modules[key] = module
            spec.loader.exec_module(module)
        return sys.modules[key]

    return load("build"), load("language")
