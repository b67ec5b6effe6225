"""Build script: everything is declared in pyproject.toml; this file only adds the optional compiled modules.

The package is pure Python.  When Cython (a build requirement) and a C compiler
are available, the modules listed in ``gas_solver/compiled.py`` are compiled from
their unchanged ``.py`` sources as well; a module that fails to compile is
skipped with a warning and runs as Python.  Editable installs are not compiled
(an in-tree extension would shadow later edits of its ``.py`` file) unless
``GAS_COMPILE_INPLACE=1``; ``GAS_PURE_PYTHON=1`` turns compilation off.
"""

import ast
import os
import re
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).parent


def hot_modules() -> list[str]:
    text = (HERE / "gas_solver" / "compiled.py").read_text()
    names = ast.literal_eval(re.search(r"HOT_MODULES = (\(.*?\))\n", text, re.S).group(1))
    return [name.replace(".", "/") + ".py" for name in names]


def extensions() -> list:
    if os.environ.get("GAS_PURE_PYTHON"):
        return []
    try:
        from Cython.Build import cythonize
    except ImportError:
        print("warning: Cython is not installed; gas-solver installs as pure Python")
        return []
    # binding=True: compiled functions keep their signatures and docstrings (inspect, click, pickle);
    # annotation_typing=False: the modules' annotations stay hints, as in CPython (Cython would otherwise turn
    # `x: int` into a run-time type check); C types come only from the .pxd files next to a module
    return cythonize(hot_modules(), build_dir="build/cython", quiet=True,
                     compiler_directives={"language_level": 3, "binding": True, "annotation_typing": False})


class OptionalBuildExt(build_ext):
    """Compile what can be compiled; anything else stays pure Python."""

    def finalize_options(self):
        super().finalize_options()
        if self.parallel is None:  # the modules compile independently
            self.parallel = os.cpu_count() or 1

    def run(self):
        if getattr(self, "editable_mode", False) and not os.environ.get("GAS_COMPILE_INPLACE"):
            print("note: editable install, gas-solver runs as pure Python (GAS_COMPILE_INPLACE=1 compiles)")
            self.extensions = []
        try:
            super().run()
        except Exception as err:  # no compiler at all
            print(f"warning: compiled modules skipped, gas-solver installs as pure Python ({err})")

    def build_extension(self, ext):
        try:
            super().build_extension(ext)
        except Exception as err:
            print(f"warning: {ext.name} not compiled, it runs as pure Python ({err})")


setup(ext_modules=extensions(), cmdclass={"build_ext": OptionalBuildExt})
