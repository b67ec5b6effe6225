"""Which modules of this installation run compiled.

gas-solver is pure Python.  Where Cython and a C compiler are at hand when the
package is installed (``pip install .``), the modules on the hot path of
``gas sample`` and ``gas build`` — sampling, canonical forms, the realizers and
the dataset rows — are *also* compiled from the same ``.py`` files (no Cython
language, no second copy of the code), which makes ``gas sample`` with
captions and questions 1.5-1.8x faster (benchmarks/bench_realize.py --compile).
Editable installs (``pip install -e``) stay pure Python, so that an edited
``.py`` file is never shadowed by a stale compiled one.  ``setup.py`` reads :data:`HOT_MODULES` from this file.

>>> from gas_solver.compiled import compiled_modules
>>> sorted(compiled_modules())[0]
'gas_solver.dataset.build'
"""

from __future__ import annotations

import importlib
import importlib.machinery

__all__ = ["HOT_MODULES", "compiled_modules", "describe"]

#: modules compiled by Cython where possible (dotted names; each is one ``.py`` file)
HOT_MODULES = (
    "gas_solver.scene",
    "gas_solver.solve.sample.automorphism",
    "gas_solver.solve.sample.batch",
    "gas_solver.solve.sample.chunks",
    "gas_solver.solve.sample.fill",
    "gas_solver.solve.sample.groups",
    "gas_solver.solve.sample.objects",
    "gas_solver.solve.sample.predicates",
    "gas_solver.solve.sample.scalar",
    "gas_solver.solve.sample.tables",
    "gas_solver.solve.sample.values",
    "gas_solver.solve.exact_random",
    "gas_solver.realize.lexicon",
    "gas_solver.realize.caption",
    "gas_solver.realize.qa",
    "gas_solver.realize.row",
    "gas_solver.dataset.build",
    "gas_solver.dataset.schema",
    "gas_solver.dataset.splits",
    "gas_solver.dataset.stats",
)


def compiled_modules() -> dict[str, bool]:
    """``{module: runs compiled}`` for every module of :data:`HOT_MODULES` (imports them)."""
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    return {name: (importlib.import_module(name).__file__ or "").endswith(suffixes) for name in HOT_MODULES}


def describe() -> str:
    """For ``gas --version`` and benchmark reports: "compiled: 20/20 hot modules" or "pure Python"."""
    flags = compiled_modules()
    n = sum(flags.values())
    if n == 0:
        return "pure Python"
    return f"compiled: {n}/{len(flags)} hot modules"
