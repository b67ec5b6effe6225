"""Exact count of the default space (complexity <= 8, full default taxonomy): cold and warm; classes vs none.

Run: python benchmarks/bench_count.py   (writes benchmarks/results/bench_count.json)

Target (issue 3): the default space counted exactly in < 1 s warm.  "warm" = taxonomy loaded and
structures cached in the process; "fresh spec" re-grounds the file (domain, classes, factors) from
scratch, only the structures being cached; "memoised" asks again for the same spec.
Baseline in the same run: the same Burnside + elimination counter with one class per concept
(``ground(..., merge=False)``) on a vocabulary cut down to what that baseline can do in seconds.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from gas_solver.constraints import load_default_constraints
from gas_solver.constraints.model import Bounds, ConceptSet, ConstraintSpec, IntRange, Vocabulary
from gas_solver.solve import structures as structures_mod
from gas_solver.solve.count import Space, count_scenes
from gas_solver.taxonomy import load_taxonomy
from provenance import provenance  # noqa: E402  (benchmarks/provenance.py, the script's folder)


def timed(f):
    t = time.perf_counter()
    v = f()
    return v, time.perf_counter() - t


def main() -> None:
    tax, t_tax = timed(lambda: load_taxonomy())
    structures_mod._CACHE.clear()
    spec = load_default_constraints(tax)
    total, t_cold = timed(lambda: count_scenes(spec, tax))
    fresh = [timed(lambda: count_scenes(load_default_constraints(tax), tax))[1] for _ in range(3)]
    _, t_memo = timed(lambda: count_scenes(spec, tax))
    by_c = count_scenes(spec, tax, by="complexity")
    space = Space(spec, tax)

    # baseline: one class per concept, on a vocabulary small enough for it (two categories, complexity <= 5)
    small = ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 5), objects=IntRange(1, 3),
                                         attributes_per_object=IntRange(0, 2)),
                           vocabulary=Vocabulary(objects=ConceptSet(categories=frozenset({"fruit", "vehicle"}))))
    merged_small, t_merged = timed(lambda: Space(small, tax).total())
    single_small, t_single = timed(lambda: Space(small, tax, merge=False).total())
    assert merged_small == single_small
    n_concepts = len(Space(small, tax).domain.concepts)

    result = {
        "taxonomy": tax.stats(), "taxonomy_load_s": round(t_tax, 3),
        "default_space": {"scenes": str(total), "digits": len(str(total)),
                          "by_complexity": {str(k): str(v) for k, v in sorted(by_c.items())},
                          "structures": len(space.structures), "classes": len(space.domain.classes),
                          "concepts": len(space.domain.concepts)},
        "cold_s (structures + grounding + count)": round(t_cold, 3),
        "warm_fresh_spec_s (best of 3)": round(min(fresh), 3),
        "warm_memoised_s": round(t_memo, 6),
        "baseline": {"space": "fruit+vehicle, complexity <= 5, <= 3 objects, <= 2 attributes/object",
                     "concepts": n_concepts, "scenes": str(merged_small),
                     "classes_s": round(t_merged, 3), "one_class_per_concept_s": round(t_single, 3),
                     "speedup": round(t_single / t_merged, 1)},
    }
    print(f"default space: {total:,} scenes ({len(str(total))} digits), {len(space.structures)} structures, "
          f"{len(space.domain.concepts)} concepts in {len(space.domain.classes)} classes")
    print(f"{'count':<44}{'seconds':>10}")
    print(f"{'cold (structures + grounding + count)':<44}{t_cold:>10.3f}")
    print(f"{'warm, fresh spec (best of 3)':<44}{min(fresh):>10.3f}")
    print(f"{'warm, memoised':<44}{t_memo:>10.6f}")
    print(f"baseline ({n_concepts} concepts): classes {t_merged:.3f} s vs one class per concept {t_single:.3f} s "
          f"-> {t_single / t_merged:.1f}x")
    out = Path(__file__).parent / "results" / "bench_count.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"provenance": provenance(), **result}, indent=1))


if __name__ == "__main__":
    main()
