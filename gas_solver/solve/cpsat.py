"""The OR-Tools CP-SAT models: structures and labelled scenes.

Enumeration with CP-SAT lists every assignment of *all* variables, so every
auxiliary variable below is functionally determined by the decision
variables (exact closure, reified equalities); otherwise counts would inflate.
Enumeration runs with one worker.
"""

from __future__ import annotations

from typing import Iterator

from ortools.sat.python import cp_model

from .structures import Structure

__all__ = ["structure_models"]


class _Collector(cp_model.CpSolverSolutionCallback):
    def __init__(self, read):
        super().__init__()
        self._read = read
        self.found = []

    def on_solution_callback(self) -> None:
        self.found.append(self._read(self))


def _enumerate(model: cp_model.CpModel, read) -> list:
    solver = cp_model.CpSolver()
    solver.parameters.enumerate_all_solutions = True
    solver.parameters.num_workers = 1
    cb = _Collector(read)
    status = solver.solve(model, cb)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.INFEASIBLE):
        raise RuntimeError(f"CP-SAT stopped with status {solver.status_name(status)}")
    return cb.found


def _structure_model(lim: dict, n: int, a: int, r: int):
    m = cp_model.CpModel()
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    edge = {(i, j): m.new_bool_var(f"edge_{i}_{j}") for i, j in pairs}
    slots = [m.new_int_var(lim["apo"][0], min(lim["apo"][1], a), f"slots_{i}") for i in range(n)]

    # Exactly r edges and a attribute slots.
    m.add(sum(edge.values()) == r)
    m.add(sum(slots) == a)

    # Degrees within bounds (out/in are determined by the edges).
    out = [sum(edge[i, j] for j in range(n) if j != i) for i in range(n)]
    inn = [sum(edge[j, i] for j in range(n) if j != i) for i in range(n)]
    for i in range(n):
        m.add(out[i] >= lim["out"][0])
        m.add(out[i] <= lim["out"][1])
        m.add(inn[i] >= lim["in"][0])
        m.add(inn[i] <= lim["in"][1])

    # Acyclic: exact transitive closure reach = edge OR (edge . reach); unique for DAGs,
    # infeasible when a cycle exists (the closure would contain reach[i, i]).
    if lim["acyclic"] and n > 1:
        reach = {(i, j): m.new_bool_var(f"reach_{i}_{j}") for i in range(n) for j in range(n)}
        for i in range(n):
            m.add(reach[i, i] == 0)
        for i, j in pairs:
            terms = [edge[i, j]]
            for k in range(n):
                if k != i and k != j:
                    t = m.new_bool_var(f"via_{i}_{k}_{j}")
                    m.add_multiplication_equality(t, [edge[i, k], reach[k, j]])
                    terms.append(t)
            m.add_max_equality(reach[i, j], terms)

    # Connected: undirected reachability from object 0 in n-1 rounds, each round determined.
    if lim["connected"] and n > 1:
        adj = {(i, j): m.new_bool_var(f"adj_{i}_{j}") for i, j in pairs if i < j}
        for (i, j), v in adj.items():
            m.add_max_equality(v, [edge[i, j], edge[j, i]])
        level = [m.new_constant(1 if i == 0 else 0) for i in range(n)]
        for step in range(n - 1):
            nxt = []
            for i in range(n):
                terms = [level[i]]
                for j in range(n):
                    if j != i:
                        t = m.new_bool_var(f"conn_{step}_{j}_{i}")
                        m.add_multiplication_equality(t, [level[j], adj[min(i, j), max(i, j)]])
                        terms.append(t)
                v = m.new_bool_var(f"level_{step}_{i}")
                m.add_max_equality(v, terms)
                nxt.append(v)
            level = nxt
        for i in range(1, n):
            m.add(level[i] == 1)

    # Symmetry breaking: objects sorted by signature (slots, out-degree, in-degree), non-increasing;
    # the signature is packed into one integer (degrees < n).
    sig = [slots[i] * n * n + out[i] * n + inn[i] for i in range(n)]
    for i in range(n - 1):
        m.add(sig[i] >= sig[i + 1])

    def read(cb):
        attrs = tuple(cb.value(s) for s in slots)
        edges = tuple(sorted(p for p in pairs if cb.boolean_value(edge[p])))
        return Structure(n, attrs, edges)

    return m, read


def structure_models(lim: dict, splits) -> Iterator[Structure]:
    """Every solution of the CP-SAT structure model for each split (isomorphic duplicates possible)."""
    for n, a, r in splits:
        if lim["apo"][0] > min(lim["apo"][1], a):
            continue
        m, read = _structure_model(lim, n, a, r)
        yield from _enumerate(m, read)
