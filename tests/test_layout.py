"""Layout rules: imports point one way between rooms, and the core never imports torch."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "gas_solver"

# room -> rooms it may import (DESIGN.md §5: arrows point down the table, never back up)
ORDER = ["scene", "errors", "outputs", "taxonomy", "constraints", "solve", "realize", "dataset", "vision", "train", "cli"]
ALLOWED = {
    "errors": set(),
    "outputs": {"errors"},
    "scene": set(),
    "taxonomy": {"errors"},
    "constraints": {"errors", "taxonomy", "scene"},
    "solve": {"errors", "outputs", "taxonomy", "scene", "constraints"},
    "realize": {"errors", "taxonomy", "scene"},
    "dataset": {"errors", "outputs", "taxonomy", "scene", "constraints", "solve", "realize"},
    "vision": {"errors", "outputs", "taxonomy", "scene", "constraints", "solve", "realize", "dataset"},
    "train": {"errors", "outputs", "taxonomy", "scene", "constraints", "solve", "realize", "dataset", "vision"},
    "cli": set(ORDER),
}


def room_of(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py") if rel.parts else ""


def project_imports(path: Path) -> set[str]:
    """Rooms imported by a module (absolute `gas_solver.x` or relative `..x` / `.x` imports)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rel_parts = path.relative_to(PACKAGE).parts
    depth = len(rel_parts) - 1  # package depth of the module below gas_solver
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module and node.module.startswith("gas_solver"):
                parts = node.module.split(".")[1:]
                names = parts[:1] or [a.name for a in node.names]
                out.update(names)
            elif node.level > 0:
                up = node.level - 1
                base = list(rel_parts[:-1])[: max(0, depth - up)] if up <= depth else []
                parts = base + (node.module.split(".") if node.module else [])
                if parts:
                    out.add(parts[0])
                else:
                    out.update(a.name for a in node.names)
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("gas_solver."):
                    out.add(a.name.split(".")[1])
    return {r for r in out if r in ALLOWED}


def test_imports_point_one_way():
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        room = room_of(path)
        if room not in ALLOWED:
            continue
        for imported in project_imports(path) - {room} - ALLOWED[room]:
            bad.append(f"{path.relative_to(PACKAGE.parent)} ({room}) imports {imported}")
    assert not bad, "\n".join(bad)


def test_core_and_cli_import_without_torch():
    code = (
        "import sys, pkgutil, importlib, gas_solver\n"
        "for m in pkgutil.walk_packages(gas_solver.__path__, 'gas_solver.'):\n"
        "    importlib.import_module(m.name)\n"
        "heavy = [m for m in ('torch', 'diffusers', 'transformers', 'trl', 'ray') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
