"""Hashes of what ``gas sample`` and ``gas build`` write for every shipped constraint file.

Records, for each ``constraints/*.toml``, the SHA-256 of ``gas sample`` output (one and two
workers, with captions and questions; and with ``--distribution per-structure``) and of every file a ``gas build`` writes (shards,
manifest, card), or the error it ends with.  Run it once on the old code and once on the new
code and compare: a refactoring that must not change output shows no difference.

    python benchmarks/same_bytes.py record /path/to/old old.json
    python benchmarks/same_bytes.py record /path/to/new new.json
    python benchmarks/same_bytes.py compare old.json new.json

Each tree is a folder holding ``gas_solver`` (a checkout, or a copy compiled in place with
``GAS_COMPILE_INPLACE=1 python setup.py build_ext --inplace``); the commands run in one child
process that imports that tree's package (the record names its compiled state).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_N = 5000  # more than one chunk of 4,096 scenes, so two workers really split the draws
BUILD_N = 1200
SHARD = 500


#: run in a child process from ``/`` (so that no checkout in the working directory shadows the tree under
#: test): every command through the CLI's own entry point, one Python start-up for all of them
RUNNER = """
import hashlib, json, os, sys, tempfile
from pathlib import Path
tree, files = sys.argv[1], json.loads(sys.argv[2])
sys.path.insert(0, tree)
import gas_solver
assert gas_solver.__file__.startswith(tree), gas_solver.__file__
from gas_solver.cli.main import cli
from gas_solver.compiled import describe

def gas(*args):
    try:
        cli.main(args=[str(a) for a in args], standalone_mode=False)
        return None
    except SystemExit as exc:
        return None if not exc.code else f"exit {exc.code}"
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}".splitlines()[0]

def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()

out = {"version": f"{gas_solver.__version__} ({describe()})", "results": {}}
for f, (sample_n, build_n, shard, taxonomy) in files.items():
    res = out["results"][Path(f).name] = {}
    tax = ["--taxonomy", taxonomy] if taxonomy else []
    with tempfile.TemporaryDirectory() as tmp:
        for workers in (1, 2):
            dest = Path(tmp) / f"s{workers}.jsonl"
            err = gas("sample", f, "-n", sample_n, "--seed", 7, "--workers", workers, "-o", dest, *tax)
            res[f"sample/w{workers}"] = err or digest(dest)
        dest = Path(tmp) / "per-structure.jsonl"  # the reference's law too (its own draws)
        err = gas("sample", f, "-n", sample_n, "--seed", 7, "--distribution", "per-structure", "-o", dest, *tax)
        res["sample/per-structure"] = err or digest(dest)
        dest = Path(tmp) / "b"
        err = gas("build", f, "-n", build_n, "-o", dest, "--seed", 3, "--format", "both", "--shard-size", shard, *tax)
        if err:
            res["build"] = err
        else:
            for g in sorted(dest.rglob("*")):
                if g.is_file():
                    res[f"build/{g.relative_to(dest)}"] = digest(g)
    print(Path(f).name, len(res), "hashes", file=sys.stderr, flush=True)
print(json.dumps(out))
"""


def taxonomy_of(constraint_file: Path) -> str | None:
    """The taxonomy a shipped file names in its ``# taxonomy:`` header (None: the default one)."""
    for line in constraint_file.read_text().splitlines()[:5]:
        if line.startswith("# taxonomy:"):
            name = line.split(":", 1)[1].strip()
            return None if name == "default" else str(ROOT / name)
    return None


def record(tree: str, files: list[Path]) -> dict:
    arg = json.dumps({str(f): (SAMPLE_N, BUILD_N, SHARD, taxonomy_of(f)) for f in files})
    proc = subprocess.run([sys.executable, "-c", RUNNER, str(Path(tree).resolve()), arg], cwd="/",
                          stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def compare(a: dict, b: dict) -> list[str]:
    diffs = []
    for name in sorted(set(a["results"]) | set(b["results"])):
        ra, rb = a["results"].get(name, {}), b["results"].get(name, {})
        for key in sorted(set(ra) | set(rb)):
            if ra.get(key) != rb.get(key):
                diffs.append(f"{name} {key}: {ra.get(key)} != {rb.get(key)}")
    return diffs


def main(argv: list[str]) -> int:
    if argv[:1] == ["record"] and len(argv) >= 3:
        names = argv[3:] or sorted(p.name for p in (ROOT / "constraints").glob("*.toml"))
        data = record(argv[1], [ROOT / "constraints" / n for n in names])
        Path(argv[2]).write_text(json.dumps(data, indent=1, sort_keys=True))
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
