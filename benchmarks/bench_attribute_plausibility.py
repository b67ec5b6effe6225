"""Implausible attribute bindings in `gas sample` output, before and after a change of the taxonomy's rules.

Runs ``gas sample -n N --seed S`` (the embedded default file) in this tree and in a ``--base`` checkout (its
own ``PYTHONPATH``), then judges every (object, attribute) binding of both outputs with *this* tree's taxonomy:
a binding is implausible when ``Taxonomy.attribute_fits`` refuses it (the attribute domains by category and by
kind of ``taxonomy/curated/attribute_domains.tsv`` and the values' ``applies_to``).  The after figure is 0 by
construction when the solver is exact (every sampled binding lies in its domain); the before figure says how
many bindings of the old output the new rules remove.  Because that judge is the rules themselves, the script
also prints ``--read K`` random bindings of each side as "value noun" for a person to read and judge by hand
(the figures of such a reading are in the closing notes, not computed here).

    python benchmarks/bench_attribute_plausibility.py --base /tmp/base --n 1000 --seed 0

Writes benchmarks/results/attribute_plausibility.json (rates overall and per attribute type).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from gas_solver.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).parent / "results" / "attribute_plausibility.json"


def sample_rows(tree: Path, n: int, seed: int) -> list[dict]:
    """``gas sample -n n --seed seed`` run with ``tree`` first on the path, as parsed JSON rows."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "rows.jsonl"
        env = {**os.environ, "PYTHONPATH": str(tree)}
        subprocess.run([sys.executable, "-m", "gas_solver.cli", "sample", "-n", str(n), "--seed", str(seed),
                        "-o", str(out)], cwd=tree, env=env, check=True, capture_output=True)
        return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def judge(rows: list[dict], tax) -> dict:
    """Counts of bindings and of bindings the taxonomy's rules refuse, overall and per attribute type."""
    total, bad = Counter(), Counter()
    examples = []
    for r in rows:
        for o in r["objects"]:
            for a in o["attributes"]:
                total[a["type"]] += 1
                known = tax.has_object(o["concept"]) and (a["type"], a["value"]) in tax.value_scope
                if not known or not tax.attribute_fits(a["type"], a["value"], o["concept"]):
                    bad[a["type"]] += 1
                    examples.append(f'{a["value"]} {o["name"]}')
    n, b = sum(total.values()), sum(bad.values())
    return {"bindings": n, "implausible": b, "rate": round(b / n, 4) if n else 0.0,
            "by_type": {t: {"bindings": total[t], "implausible": bad[t]} for t in sorted(total)},
            "examples": examples[:40]}


def bindings(rows: list[dict]) -> list[str]:
    return [f'{a["type"]}={a["value"]}: {a["value"].replace("_", " ")} {o["name"]}'
            for r in rows for o in r["objects"] for a in o["attributes"]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", type=Path, required=True, help="checkout of the tree to compare with")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--read", type=int, default=0, help="print this many random bindings of each side")
    args = ap.parse_args()
    tax = load_taxonomy()
    before, after = sample_rows(args.base, args.n, args.seed), sample_rows(ROOT, args.n, args.seed)
    result = {"command": f"gas sample -n {args.n} --seed {args.seed}", "judge": "this tree's attribute_fits",
              "before": judge(before, tax), "after": judge(after, tax)}
    for side in ("before", "after"):
        j = result[side]
        print(f"{side:6s}: {j['implausible']:5d} of {j['bindings']:5d} bindings implausible ({100 * j['rate']:.1f} %)")
    if args.read:
        rng = random.Random(args.seed)
        for side, rows in (("before", before), ("after", after)):
            b = bindings(rows)
            print(f"== {side}: {args.read} random bindings to read")
            for x in rng.sample(b, min(args.read, len(b))):
                print("  " + x)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
