"""Why the default taxonomy at complexity [1, 16] is refused: the measured cost of counting it by connected scenes.

Run: python benchmarks/c16_account.py [--per-class 12] [--out c16_account.json]
(writes benchmarks/results/c16_account.json)
     python benchmarks/c16_account.py --method cores --out c16_cores_account.json
(the same account for the count by 2-cores, ``solve/cores.py``; the cores listed directly,
``connected.core_object_graphs``; ``--compare-listing`` also times the filtered listing of every connected graph
and records that both give the same cores)
     python benchmarks/c16_account.py --method kernels --out c16_kernels_account.json
(the count as it runs now: the cores of the kernels, and of the skeletons' families, that ``solve/kernels.py``
groups in one computation each, the other cores one by one; ``--all-cores`` times every one of those in the count's
planned order with its memo, where a sample per class would share no steps between cores)

Counting by connected scenes (``solve/multiset.py``) computes, for every connected object graph ``D`` with
``n + r <= 16``, the series ``C_D(x)`` truncated after ``x^d`` (``d = 16 - n - r``) by Burnside over
``Aut D`` and a multi-modular elimination per quotient component.  This script lists those graphs (timed),
sorts them by elimination width (min-degree order on the undirected graph: a step over ``w`` neighbours
costs ``labels^(w+1)`` products per prime and coefficient) and by ``d``, times ``C_D`` for a sample of each
class with the counter the count uses (process CPU time, a fresh cache per class), and projects the total.
It also records the structure of the edge factor that a cheaper elimination would need: distinct rows and
columns (labels that every edge treats alike are already lumped into one), rank, zeros.

With ``--method cores`` the classes are those of the **cores** (connected object graphs whose every object is
in two relations or more; the trees hung from them and the trees alone are summed in closed form, timed as
one item), by the width of the cheapest least-degree order that the core method takes
(``cores.elimination_names``), each core timed as the total count computes it (complexity alone, ``τ = 1``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def default_space(c: int):
    """The default taxonomy's space of ``[space] complexity = [1, c]`` (nothing else set) and its bound limits."""
    from gas_solver.constraints import parse_constraints
    from gas_solver.solve.count import space_of
    from gas_solver.solve.structures import _limits
    from gas_solver.taxonomy import load_taxonomy

    tax = load_taxonomy(None)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "c.toml"
        path.write_text(f'format = "gas-constraints/1"\n[space]\ncomplexity = [1, {c}]\n')
        spec = parse_constraints(path, tax, path=str(path))
    return space_of(spec, tax), _limits(spec.bounds)



def planned_width3_cores(c: int):
    """The width-3 cores that the count at ``[1, c]`` counts one by one, in its planned order: ``(counter, scenes,
    order, plans, planning CPU s)``, where ``scenes`` is the count's :class:`.cores._CoreScenes` and the counter's
    memo (``counter.memo``) knows every planned step (``plans``: each core's step keys)."""
    from gas_solver.solve import cores, kernels
    from gas_solver.solve.connected import core_object_graphs
    from gas_solver.solve.multiset import GraphScenes

    space, lim = default_space(c)
    graphs = core_object_graphs(complexity=c, acyclic=lim["acyclic"])
    counter = GraphScenes(space.count_model, lim["apo"], c)
    R = cores.rooted_trees(counter, c)
    _, rest = kernels.group_cores(graphs, c, by_complexity=True)
    width3 = [g for g in rest if cores.core_width(g) == 3]
    scenes = cores._CoreScenes(counter, R)
    t = time.process_time()
    order, plans = scenes.plan(width3, lambda g: c - g.n - len(g.edges), True, counter.memo)
    return counter, scenes, order, plans, time.process_time() - t

def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--complexity", type=int, default=16)
    ap.add_argument("--per-class", type=int, default=12, help="graphs timed per class (width <= 2)")
    ap.add_argument("--per-dense-class", type=int, default=3, help="graphs timed per class of width >= 3")
    ap.add_argument("--out", default="c16_account.json")
    ap.add_argument("--method", choices=["graphs", "cores", "kernels"], default="graphs")
    ap.add_argument("--per-kernel", type=int, default=6, help="cores of a grouped kernel timed one by one")
    ap.add_argument("--compare-listing", action="store_true")
    ap.add_argument("--all-cores", action="store_true",
                    help="time every core left one by one, in the count's planned order with its memo (cores.plan), "
                         "instead of a sample per class (sampled cores share no steps)")
    a = ap.parse_args()
    from gas_solver.solve.connected import connected_object_graphs, least_degree_width
    from gas_solver.solve.multiset import GraphScenes

    c = a.complexity
    space, lim = default_space(c)
    counter = space.graph_scenes()
    F = np.array(counter.pair(1), dtype=np.int64)
    out: dict = {"complexity": [1, c], "machine": {"cpus": os.cpu_count(), "load_average_at_start": os.getloadavg()},
                 "labels": space.count_model.M, "lumped_labels": len(counter.groups),
                 "edge_factor": {"distinct_rows": len({tuple(r) for r in F}),
                                 "distinct_columns": len({tuple(col) for col in F.T}),
                                 "rank": int(np.linalg.matrix_rank(F.astype(float))),
                                 "zeros": int((F == 0).sum()), "distinct_values": int(len(np.unique(F))),
                                 "max": int(F.max())}}
    out["method"] = a.method
    if a.method == "cores" and a.compare_listing:
        from gas_solver.solve import cores as core_module
        from gas_solver.solve.connected import core_object_graphs

        t = time.process_time()
        filtered = [g for g in connected_object_graphs(complexity=c, acyclic=lim["acyclic"])
                    if core_module._is_core(g)]
        out["filtered_listing_cpu_s"] = round(time.process_time() - t, 2)
        direct = core_object_graphs(complexity=c, acyclic=lim["acyclic"])
        out["direct_listing_equals_filtered"] = ([(g.n, g.edges, g.group_order) for g in direct]
                                                 == [(g.n, g.edges, g.group_order) for g in filtered])
        core_object_graphs.__globals__["_CORES"].clear()  # (timed again below)
    t = time.process_time()
    if a.method in ("cores", "kernels"):  # the 2-cores listed directly, as the count lists them
        from gas_solver.solve.connected import core_object_graphs

        graphs = core_object_graphs(complexity=c, acyclic=lim["acyclic"])
    else:
        graphs = connected_object_graphs(complexity=c, acyclic=lim["acyclic"])
    out["listing_cpu_s"] = round(time.process_time() - t, 2)
    out["graphs"] = len(graphs)
    projected = out["listing_cpu_s"]
    if a.method in ("cores", "kernels"):
        from gas_solver.solve import cores

        t = time.process_time()
        trees = GraphScenes(space.count_model, lim["apo"], c)
        R = cores.rooted_trees(trees, c)
        cores.tree_counts(trees, R, c)
        out["trees_cpu_s"] = round(time.process_time() - t, 2)
        projected += out["trees_cpu_s"]
        out["cores"] = len(graphs)

        def cheapest_width(g):
            name = cores.elimination_names(g.n, g.edges)
            return least_degree_width(g.n, [(name[u], name[v]) for u, v in g.edges])
        if a.method == "kernels":
            graphs, projected = _kernels(a, c, lim, space, R, graphs, out, projected)
    else:
        def cheapest_width(g):
            return least_degree_width(g.n, g.edges)
    classes: dict = defaultdict(list)
    for g in graphs:
        d = c - g.n - len(g.edges)
        classes[(cheapest_width(g), "0" if d == 0 else "1-3" if d <= 3 else ">=4")].append(g)
    rng = random.Random(0)
    rows = []
    if a.all_cores and a.method in ("cores", "kernels"):
        projected += _all_cores(c, lim, space, R, graphs, classes, rows)
        classes = {}
    for (w, dk), gl in sorted(classes.items()):
        k = min(len(gl), a.per_class if w <= 2 else a.per_dense_class)
        sample = rng.sample(gl, k)
        fresh = GraphScenes(space.count_model, lim["apo"], c)  # no values shared with another class
        if a.method in ("cores", "kernels"):
            scenes = cores._CoreScenes(fresh, R)
        t = time.process_time()
        for g in sample:
            if a.method in ("cores", "kernels"):
                scenes.core(g, c - g.n - len(g.edges), by_complexity=True)
            else:
                fresh.connected_scenes(g, c - g.n - len(g.edges))
        per = (time.process_time() - t) / k
        projected += per * len(gl)
        rows.append({"width": w, "d": dk, "graphs": len(gl), "timed": k, "cpu_ms_per_graph": round(per * 1000, 1),
                     "projected_cpu_s": round(per * len(gl), 1)})
        print(rows[-1], flush=True)
    out["classes"] = rows
    out["projected_cpu_s"] = round(projected, 1)
    out["machine"]["load_average_at_end"] = os.getloadavg()
    res = ROOT / "benchmarks" / "results" / a.out
    tmp = res.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(out, indent=1))
    tmp.replace(res)
    print(f"projected {out['projected_cpu_s']} s CPU for {len(graphs)} "
          + ("cores" if a.method == "cores" else "cores outside the grouped kernels" if a.method == "kernels"
             else "connected object graphs"))


def _all_cores(c, lim, space, R, graphs, classes, rows) -> float:
    """Every core of ``graphs`` counted as the count does (planned order, one memo told each step's users,
    ``τ = 1``), timed one by one and summed by class; returns the CPU seconds (planning included)."""
    import resource

    from gas_solver.solve import cores, modular
    from gas_solver.solve.multiset import GraphScenes

    counter = GraphScenes(space.count_model, lim["apo"], c)
    scenes = cores._CoreScenes(counter, R)
    memo = counter.memo
    t = time.process_time()
    order, plans = scenes.plan(graphs, lambda g: c - g.n - len(g.edges), True, memo)
    memo.expect(modular.plan_uses(plans))
    memo.max_bytes = max(memo.max_bytes, cores.PLANNED_MEMO_BYTES)
    planning = time.process_time() - t
    class_of = {id(g): key for key, gl in classes.items() for g in gl}
    spent: dict = defaultdict(float)
    for g, keys in zip(order, plans):
        t = time.process_time()
        scenes.core(g, c - g.n - len(g.edges), by_complexity=True)
        memo.release(keys)
        spent[class_of[id(g)]] += time.process_time() - t
    for (w, dk), gl in sorted(classes.items()):
        rows.append({"width": w, "d": dk, "graphs": len(gl), "timed": len(gl),
                     "cpu_ms_per_graph": round(spent[(w, dk)] / len(gl) * 1000, 1),
                     "projected_cpu_s": round(spent[(w, dk)], 1)})
        print(rows[-1], flush=True)
    rows.append({"planning_cpu_s": round(planning, 2),
                 "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10})
    print(rows[-1], flush=True)
    memo.clear()
    return planning + sum(spent.values())


def _kernels(a, c, lim, space, R, graphs, out, projected):
    """Cores grouped by loopless kernel where the count's cost model groups them (``kernels.worth``): each
    such kernel's one computation timed as the count runs it (one :class:`KernelScenes` for all, so path
    series are shared; ``τ = 1``), next to a sample of its cores timed one by one and projected.  Returns
    the cores left to the per-core classes, and the projection so far."""
    from gas_solver.solve import cores, kernels
    from gas_solver.solve.multiset import GraphScenes

    t = time.process_time()
    grouped, rest = kernels.group_cores(graphs, c, by_complexity=True)  # (as `gas count` totals them)
    out["grouping_cpu_s"] = round(time.process_time() - t, 2)
    projected += out["grouping_cpu_s"]
    rng = random.Random(0)
    rows = []
    by_kernel = kernels.KernelScenes(cores._CoreScenes(GraphScenes(space.count_model, lim["apo"], c), R), c)
    total = 0.0
    for key, (rep, gl) in grouped.items():
        scenes = cores._CoreScenes(GraphScenes(space.count_model, lim["apo"], c), R)
        sample = rng.sample(gl, min(len(gl), a.per_kernel))
        t = time.process_time()
        for g in sample:
            scenes.core(g, c - g.n - len(g.edges), by_complexity=True)
        per_core = (time.process_time() - t) / len(sample) * len(gl)
        t = time.process_time()
        by_kernel.kernel(rep, by_complexity=True)
        kernel_s = time.process_time() - t
        total += kernel_s
        rows.append({"kernel": [rep[0], [e[:2] for e in rep[1]]], "cores": len(gl),
                     "family": kernels.is_family(rep),
                     "eliminations": by_kernel.eliminations(rep), "kernel_cpu_s": round(kernel_s, 2),
                     "per_core_projected_cpu_s": round(per_core, 2)})
        print(rows[-1], flush=True)
    out["kernels"] = rows
    out["kernels_cpu_s"] = round(total, 1)
    out["cores_outside_kernels"] = len(rest)
    return rest, projected + total


if __name__ == "__main__":
    main()
