"""Sampling throughput on the default space: exact uniform / weighted / stratified vs the per-structure law.

Run: python benchmarks/bench_sample.py   (writes benchmarks/results/bench_sample.json)

Target (issue 4): >= 50,000 scenes/s on one core (Scene objects, before captions).  Each mode draws
N scenes in one process after a warm-up chunk (tables built); we report scenes per second of process
CPU time (what one core delivers; the shared development machine runs other jobs, so wall-clock rates
are printed too but vary) and the ratio to the per-structure mode measured in the same run, plus the
rate including JSON lines (``scene_to_dict`` + orjson) for the exact uniform mode.
"""

from __future__ import annotations

import gc
import json
import time
from pathlib import Path

import orjson

from gas_solver.constraints import load_default_constraints, parse_constraints
from gas_solver.scene import scene_to_dict
from gas_solver.solve.sample import CHUNK_SIZE, Sampler
from gas_solver.taxonomy import load_taxonomy
from provenance import provenance  # noqa: E402  (benchmarks/provenance.py, the script's folder)

N = 20 * CHUNK_SIZE


def rate(sampler: Sampler, seed: int) -> tuple[float, float, list]:
    sampler.sample(CHUNK_SIZE, seed=seed + 1000)  # warm-up: tables for this space
    c, w = time.process_time(), time.perf_counter()
    scenes = sampler.sample(N, seed=seed)
    return N / (time.process_time() - c), N / (time.perf_counter() - w), scenes


def main() -> None:
    tax = load_taxonomy()
    spec = load_default_constraints(tax)
    modes = {
        "uniform": Sampler(spec, tax),
        "weighted": Sampler(spec, tax, distribution="weighted"),
        "stratified": Sampler(spec, tax, distribution="stratified",
                              strata={"complexity": {c: 1 for c in range(3, 9)}}),
        "per-structure": Sampler(spec, tax, distribution="per-structure"),
    }
    rows = {}
    json_rate = None
    for i, (name, sampler) in enumerate(modes.items()):
        gc.collect()  # each mode starts from the same heap (no scenes of the previous mode alive)
        cpu, wall, scenes = rate(sampler, seed=i)
        rows[name] = {"scenes_per_s_cpu": round(cpu), "scenes_per_s_wall": round(wall),
                      "mean_complexity": round(sum(s.complexity for s in scenes) / len(scenes), 2),
                      "mean_objects": round(sum(s.n_objects for s in scenes) / len(scenes), 2)}
        if name == "uniform":
            c = time.process_time()
            for s in scenes:
                orjson.dumps(scene_to_dict(s, tax))
            json_rate = len(scenes) / (time.process_time() - c)
        del scenes
    base = rows["per-structure"]["scenes_per_s_cpu"]
    for r in rows.values():
        r["vs_per_structure"] = round(r["scenes_per_s_cpu"] / base, 2)
    # files with global constraints (marked matches, exact rejection), uniform law
    examples = {}
    root = Path(__file__).resolve().parent.parent / "constraints"
    for name in ("seed_graph", "animals_riding_vehicles", "kitchen_still_life", "weighted_soft"):
        sp = parse_constraints(root / f"{name}.toml", tax)
        sampler = Sampler(sp, tax, distribution="weighted" if sp.soft else "uniform")
        gc.collect()
        cpu, wall, scenes = rate(sampler, seed=7)
        examples[name] = {"scenes_per_s_cpu": round(cpu), "scenes_per_s_wall": round(wall),
                          "method": sampler.space.method()}
        del scenes
    print(f"default space: {modes['uniform'].total:,} scenes; {N:,} draws per mode, one process")
    print(f"{'mode':<15}{'scenes/s (CPU)':>16}{'scenes/s (wall)':>17}{'x per-structure':>17}{'mean c':>8}{'mean n':>8}")
    for name, r in rows.items():
        print(f"{name:<15}{r['scenes_per_s_cpu']:>16,}{r['scenes_per_s_wall']:>17,}{r['vs_per_structure']:>17}"
              f"{r['mean_complexity']:>8}{r['mean_objects']:>8}")
    print(f"JSON lines of sampled scenes (scene_to_dict + orjson, canonical ids): {json_rate:,.0f} rows/s (CPU)")
    print(f"{'example file':<26}{'scenes/s (CPU)':>16}{'scenes/s (wall)':>17}  counting method")
    for name, r in examples.items():
        print(f"{name:<26}{r['scenes_per_s_cpu']:>16,}{r['scenes_per_s_wall']:>17,}  {r['method']}")
    out = Path(__file__).parent / "results" / "bench_sample.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"provenance": provenance(), "space_scenes": str(modes["uniform"].total), "draws_per_mode": N, "modes": rows,
                               "json_rows_per_s_cpu": round(json_rate), "example_files": examples}, indent=1))


if __name__ == "__main__":
    main()
