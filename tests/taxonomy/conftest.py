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
    if str(BUILD_DIR) not in sys.path:
        sys.path.insert(0, str(BUILD_DIR))
    import build
    import language

    return build, language
