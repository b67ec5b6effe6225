"""The optional compiled hot modules (setup.py + gas_solver/compiled.py).

CI runs the whole suite twice: pure Python (``GAS_EXPECT_COMPILED=0``), then
with the hot modules compiled in place (``GAS_EXPECT_COMPILED=1``), so both
builds pass the same tests, the pinned output bytes included.
"""

import importlib.util
import os
from pathlib import Path

from gas_solver.compiled import HOT_MODULES, compiled_modules, describe

ROOT = Path(__file__).resolve().parents[1]


def test_every_hot_module_is_one_python_file():
    for name in HOT_MODULES:
        spec = importlib.util.find_spec(name)
        assert spec is not None, name
        assert (ROOT / (name.replace(".", "/") + ".py")).is_file(), name


def test_build_matches_the_expectation():
    flags = compiled_modules()
    expect = os.environ.get("GAS_EXPECT_COMPILED")
    if expect == "1":
        assert all(flags.values()), [m for m, c in flags.items() if not c]
        assert describe() == f"compiled: {len(flags)}/{len(flags)} hot modules"
    elif expect == "0":
        assert not any(flags.values()), [m for m, c in flags.items() if c]
        assert describe() == "pure Python"
    else:
        assert describe().startswith("compiled" if any(flags.values()) else "pure Python")


def test_setup_reads_the_hot_module_list():
    # setup.py's hot_modules() without running setup(): its own function, from its own source
    import ast

    source = (ROOT / "setup.py").read_text()
    fn = next(n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef) and n.name == "hot_modules")
    namespace = {"HERE": ROOT}
    exec("import ast, re\n" + ast.get_source_segment(source, fn), namespace)
    assert namespace["hot_modules"]() == [m.replace(".", "/") + ".py" for m in HOT_MODULES]


def test_version_names_the_build():
    from click.testing import CliRunner

    from gas_solver.cli.main import cli

    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("gas 0.") and f"({describe()}, Python " in result.output
