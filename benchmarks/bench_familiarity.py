"""Word familiarity of the object mentions of `gas sample`, per familiarity tier.

For each tier (everyday, common, all) this samples N scenes from the embedded default constraint
file with `[vocabulary] familiarity` set to that tier, and reports the share of object mentions
whose printed name has a wordfreq Zipf frequency >= 3 (about one use per million words; the whole
phrase, ``wordfreq.zipf_frequency(name, "en")``), the median Zipf, and the number of parenthesised
tags in captions and questions.  Issue 14's bar: >= 95 % on the default file, zero tags.

    python benchmarks/bench_familiarity.py --n 1000 --seed 0

Needs wordfreq (the taxonomy-build extra); writes benchmarks/results/familiarity.json.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
from pathlib import Path

import wordfreq

from gas_solver.constraints import load_default_constraints, parse_constraints
from gas_solver.constraints.parse import default_constraints_path
from gas_solver.realize.row import realize_line
from gas_solver.solve.sample import sample_scenes
from gas_solver.taxonomy import load_taxonomy

OUT = Path(__file__).parent / "results" / "familiarity.json"


def measure(text: str, tax, n: int, seed: int) -> dict:
    spec = parse_constraints(text, tax)
    scenes = sample_scenes(spec, tax, n, seed=seed)
    rows = [json.loads(realize_line(s, tax, seed=seed)[1]) for s in scenes]
    names = [o["name"] for r in rows for o in r["objects"]]
    zipf = [wordfreq.zipf_frequency(x, "en") for x in names]
    return {
        "scenes": len(rows),
        "mentions": len(names),
        "share_zipf_ge_3": round(sum(z >= 3 for z in zipf) / len(zipf), 4),
        "median_zipf": round(statistics.median(zipf), 2),
        "captions_with_tags": sum(1 for r in rows if re.search(r"\(", r["caption"])),
        "questions_with_tags": sum(1 for r in rows for q in r["questions"] if "(" in q["question"]),
        "tier_size": sum(1 for o in tax.objects if spec.vocabulary.familiar(tax, o.id)),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    tax = load_taxonomy()
    default = default_constraints_path().read_text(encoding="utf-8")
    load_default_constraints(tax)  # the shipped file parses
    results = {}
    for tier in ("everyday", "common", "all"):
        text = re.sub(r'familiarity = "\w+"', f'familiarity = "{tier}"', default)
        results[tier] = measure(text, tax, args.n, args.seed)
        print(tier, results[tier])
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps({"n": args.n, "seed": args.seed, "tiers": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
