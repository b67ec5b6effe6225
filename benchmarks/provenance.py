"""What a benchmark result was measured on: the code's commit and the machine.

Every ``benchmarks/results/*.json`` written by a benchmark carries this under ``"provenance"``,
so that a figure can be traced to the code and the hardware that produced it.

>>> sorted(provenance())
['commit', 'compiled', 'cpu', 'cores', 'measured', 'node', 'python', 'system', 'uncommitted_changes']
"""

from __future__ import annotations

import os
import platform
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _git(*args: str, tree: Path = ROOT) -> str:
    try:
        return subprocess.run(["git", "-C", str(tree), *args], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def provenance(tree: Path = ROOT) -> dict:
    """The commit of ``tree`` (and whether it had uncommitted changes), the machine, and the time."""
    try:
        from gas_solver.compiled import describe

        compiled = describe()
    except Exception:  # a benchmark of another tree may not import this one
        compiled = None
    return {"commit": _git("rev-parse", "HEAD", tree=tree) or None,
            "uncommitted_changes": bool(_git("status", "--porcelain", "--untracked-files=no", tree=tree)),
            "compiled": compiled, "node": platform.node(), "cpu": _cpu(), "cores": os.cpu_count(),
            "python": platform.python_version(), "system": platform.platform(),
            "measured": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
