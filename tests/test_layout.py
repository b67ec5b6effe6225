"""The layout contract of ``DESIGN.md`` §5, checked on the package's source.

The rooms, in the order of DESIGN's table (each may import any room above it, never one below):

    scene, taxonomy, constraints, solve, realize, dataset, vision, train, cli

1. Arrows point one way: a module of a room imports (at any depth, lazy imports inside
   functions included) only its own room and the rooms above it in that order.  The CLI is
   the only room that sees everything.  DESIGN's "may import" column names the main arrows;
   this test checks the rule itself (any room above).
2. Inside a room, modules import without cycles (lazy imports included): the graph of
   module-to-module imports within each room has no cycle.  ``from .x import y`` counts as
   an import of module ``x``; ``from . import m`` of submodule ``m``.  There are no exceptions.
3. The core (everything but ``vision`` and ``train``) imports without torch and the other
   GPU-side packages.

Where the code has more than DESIGN's table: top-level modules that are shared helpers,
which every room may import, sit above ``scene`` in the order (so rule 1 lets a helper
import only the helpers listed before it, and no room): ``errors`` (the one exception tree),
``outputs`` (the one output-path policy of every command that writes), ``collector`` (the garbage-collector policy of streaming loops), ``pool`` (the one pool of
worker processes) and ``compiled`` (which hot modules run compiled).
``gas_solver/__init__.py`` holds only the version.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "gas_solver"

HELPERS = ["errors", "outputs", "collector", "pool", "compiled"]
ROOMS = ["scene", "taxonomy", "constraints", "solve", "realize", "dataset", "vision", "train", "cli"]
ORDER = HELPERS + ROOMS


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def room_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def imported_modules(path: Path) -> set[str]:
    """Project modules ``path`` imports anywhere in its code, as dotted names of files in the package."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            # `from pkg import sub` imports the submodule where there is one, else the package
            targets = [f"{mod}.{a.name}" if f"{mod}.{a.name}" in MODULES else mod for a in node.names]
        else:
            continue
        for t in targets:
            while t and t not in MODULES:  # `import gas_solver.x.y.attr`-like names: the module that holds it
                t = t.rpartition(".")[0]
            if t.startswith("gas_solver.") and t != name:
                out.add(t)
    return out


def test_every_module_is_in_a_room_or_a_helper():
    stray = [m for m in MODULES if m != "gas_solver" and room_of(m) not in ORDER]
    assert not stray, stray


def test_imports_point_one_way():
    bad = []
    for name, path in MODULES.items():
        room = room_of(name)
        if room not in ORDER:
            continue
        for target in imported_modules(path):
            other = room_of(target)
            if other != room and ORDER.index(other) > ORDER.index(room):
                bad.append(f"{path.relative_to(PACKAGE.parent)} ({room}) imports {target} ({other}, below it)")
    assert not bad, "\n".join(bad)


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` (as a path that ends where it starts), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    stack: list[str] = []

    def visit(u: str):
        state[u] = 1
        stack.append(u)
        for v in sorted(graph.get(u, ())):
            if state.get(v) == 1:
                return stack[stack.index(v):] + [v]
            if v not in state:
                found = visit(v)
                if found:
                    return found
        stack.pop()
        state[u] = 2
        return None

    for u in sorted(graph):
        if u not in state:
            found = visit(u)
            if found:
                return found
    return None


def test_no_import_cycles_inside_rooms():
    graph = {name: {t for t in imported_modules(path) if room_of(t) == room_of(name)}
             for name, path in MODULES.items()}
    found = _cycle(graph)
    assert found is None, " -> ".join(found)


def test_the_cycle_finder_finds_cycles():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_core_and_cli_import_without_torch():
    code = (
        "import sys, pkgutil, importlib, gas_solver\n"
        "for m in pkgutil.walk_packages(gas_solver.__path__, 'gas_solver.'):\n"
        "    importlib.import_module(m.name)\n"
        "heavy = [m for m in ('torch', 'diffusers', 'transformers', 'trl', 'ray') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
