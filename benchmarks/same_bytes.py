"""Hashes of what ``gas sample`` and ``gas build`` write for every shipped constraint file.

Records, for each ``constraints/*.toml``, the SHA-256 of ``gas sample`` output (one and two
workers, with captions and questions) and of every file a ``gas build`` writes (shards,
manifest, card), or the error it ends with.  Run it once on the old code and once on the new
code and compare: a refactoring that must not change output shows no difference.

    PYTHONPATH=/path/to/old python benchmarks/same_bytes.py record old.json
    PYTHONPATH=/path/to/new python benchmarks/same_bytes.py record new.json
    python benchmarks/same_bytes.py compare old.json new.json

``gas`` is run as ``python -m gas_solver.cli`` from whatever tree ``PYTHONPATH`` names, so
the same script measures either tree, pure or compiled (``gas --version`` says which).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_N = 5000  # more than one chunk of 4,096 scenes, so two workers really split the draws
BUILD_N = 1200
SHARD = 500


def _gas(*args: str) -> subprocess.CompletedProcess:
    code = "import sys; from gas_solver.cli.main import cli; sys.exit(cli())"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _error(proc) -> str:
    return f"exit {proc.returncode}: " + proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""


def record(files: list[Path]) -> dict:
    out = {"version": _gas("--version").stdout.strip(), "results": {}}
    for f in files:
        res = out["results"][f.name] = {}
        with tempfile.TemporaryDirectory() as tmp:
            for workers in (1, 2):
                dest = Path(tmp) / f"s{workers}.jsonl"
                p = _gas("sample", str(f), "-n", str(SAMPLE_N), "--seed", "7", "--workers", str(workers), "-o", str(dest))
                res[f"sample/w{workers}"] = _digest(dest) if p.returncode == 0 else _error(p)
            dest = Path(tmp) / "b"
            p = _gas("build", str(f), "-n", str(BUILD_N), "-o", str(dest), "--seed", "3", "--format", "both",
                     "--shard-size", str(SHARD))
            if p.returncode == 0:
                for g in sorted(dest.rglob("*")):
                    if g.is_file():
                        res[f"build/{g.relative_to(dest)}"] = _digest(g)
            else:
                res["build"] = _error(p)
        print(f.name, len(res), "hashes", file=sys.stderr, flush=True)
    return out


def compare(a: dict, b: dict) -> list[str]:
    diffs = []
    for name in sorted(set(a["results"]) | set(b["results"])):
        ra, rb = a["results"].get(name, {}), b["results"].get(name, {})
        for key in sorted(set(ra) | set(rb)):
            if ra.get(key) != rb.get(key):
                diffs.append(f"{name} {key}: {ra.get(key)} != {rb.get(key)}")
    return diffs


def main(argv: list[str]) -> int:
    if argv[:1] == ["record"] and len(argv) >= 2:
        names = argv[2:] or sorted(p.name for p in (ROOT / "constraints").glob("*.toml"))
        data = record([ROOT / "constraints" / n for n in names])
        Path(argv[1]).write_text(json.dumps(data, indent=1, sort_keys=True))
        return 0
    if argv[:1] == ["compare"] and len(argv) == 3:
        a, b = (json.loads(Path(p).read_text()) for p in argv[1:])
        diffs = compare(a, b)
        print(f"{a['version']} vs {b['version']}: "
              f"{sum(len(r) for r in a['results'].values())} hashes, {len(diffs)} differ")
        for d in diffs:
            print("  " + d)
        return 1 if diffs else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
