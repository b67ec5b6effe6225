"""Shared by the benchmarks: measure the compiled build of this checkout next to its pure Python.

``pip install .`` compiles the hot modules where a C compiler exists (``gas_solver/compiled.py``);
the checkout's editable install is pure Python.  :func:`compiled_copy` makes a compiled copy of
the checkout in a folder, and :data:`BOOT` / :func:`import_from` run ``gas_solver`` from a given
folder instead of the editable install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: ``python -c BOOT SRC ARGS...``: the ``gas`` command with gas_solver from SRC ("" = the installed one)
BOOT = ("import sys\n"
        "src = sys.argv.pop(1)\n"
        "if src:\n"
        "    sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f).lower()]\n"
        "    sys.path.insert(0, src)\n"
        "import gas_solver\n"
        "assert not src or gas_solver.__file__.startswith(src), gas_solver.__file__\n"
        "from gas_solver.cli.main import cli; cli()")


def import_from(src: str) -> None:
    """Make ``import gas_solver`` load the package in ``src`` (call before importing it)."""
    sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
    sys.path.insert(0, src)


def compiled_copy(dest: Path) -> Path:
    """A copy of this checkout's package with its hot modules compiled in place; returns ``dest``."""
    for name in ("gas_solver", "setup.py", "pyproject.toml", "README.md"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("*.so", "__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    subprocess.run([sys.executable, "setup.py", "-q", "build_ext", "--inplace"], cwd=dest, check=True,
                   env={**os.environ, "GAS_COMPILE_INPLACE": "1"}, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return dest


def build_of(src: str) -> str:
    """``describe()`` of the gas_solver in ``src`` ("compiled: 11/11 hot modules" or "pure Python")."""
    code = BOOT.split("import gas_solver")[0] + "from gas_solver.compiled import describe; print(describe())"
    return subprocess.run([sys.executable, "-c", code, src], capture_output=True, text=True,
                          check=True).stdout.strip()


def rerun_compiled(argv: list[str], extra: list[str] | None = None) -> int:
    """Run this script again (``argv`` without ``--compile``) with ``--src`` a compiled copy."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        copy = compiled_copy(Path(tmp))
        args = [a for a in argv[1:] if a != "--compile"] + (extra or []) + ["--src", str(copy)]
        return subprocess.run([sys.executable, argv[0], *args]).returncode
