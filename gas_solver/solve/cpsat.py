"""The OR-Tools CP-SAT models: structures and labelled scenes.

Enumeration with CP-SAT lists every assignment of *all* variables, so every
auxiliary variable below is functionally determined by the decision
variables (exact closure, reified equalities); otherwise counts would inflate.
Enumeration runs with one worker.
"""

from __future__ import annotations

from typing import Iterator

from ortools.sat.python import cp_model


__all__ = ["structure_models", "label_solutions", "label_core", "CoreModel", "ONE_HOT_LIMIT"]

#: concept positions with more labels than this are integers, not one-hot rows
ONE_HOT_LIMIT = 64


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
        return n, attrs, edges

    return m, read


def structure_models(lim: dict, splits) -> Iterator[tuple]:
    """Every solution of the CP-SAT structure model for each split (isomorphic duplicates possible), as
    ``(n, attribute slots per object, sorted edges)``: :mod:`.structures` makes them Structures."""
    for n, a, r in splits:
        if lim["apo"][0] > min(lim["apo"][1], a):
            continue
        m, read = _structure_model(lim, n, a, r)
        yield from _enumerate(m, read)


# ---------------------------------------------------------------------------
# Labelled scenes on one structure
# ---------------------------------------------------------------------------

def _label_model(problem, *, enforce: dict | None, lim: dict | None = None):
    """CP-SAT model of ``problem``.

    With ``enforce`` (a dict, filled here) every user constraint gets an
    enforcement literal ``active_<index>``, for unsat cores.
    """
    m = cp_model.CpModel()
    s = problem.structure

    def on(index):
        if enforce is None:
            return []
        if index not in enforce:
            enforce[index] = m.new_bool_var(f"active_{index}")
        return [enforce[index]]

    # Each position takes exactly one of its values (one-hot booleans z[k][v]); x[k] is its value.
    # Concept positions with many labels are one integer each instead (z[k] is None): one-hot rows of
    # thousands of concepts make every propagation, and so enumeration, slow.
    big = set() if problem.universal else \
        {k for k in problem.concept_pos if len(problem.domains[k]) > ONE_HOT_LIMIT}
    z: list = []
    x: list = []
    for k, dom in enumerate(problem.domains):
        if k in big:
            xv = m.new_int_var_from_domain(cp_model.Domain.from_values(dom), f"x{k}")
            z.append(None)
            x.append(xv)
        else:
            zk = {v: m.new_bool_var(f"x{k}_is_{v}") for v in dom}
            m.add_exactly_one(zk.values())
            z.append(zk)
            x.append(sum(v * b for v, b in zk.items() if v))

    # An object fills exactly its number of attribute slots (universal problems: see _universal_bounds).
    if not problem.universal:
        for i in range(s.n):
            filled = [b for t in problem.types for v, b in z[problem.attr_pos[i, t]].items() if v]
            m.add(sum(filled) == s.attributes[i])
    n_preds = len(problem.predicates)

    # The label group of each object, as determined booleans group[i][g] (rules are stated per group).
    members = problem.group_members()
    group = []
    for i in range(s.n):
        k = problem.concept_pos[i]
        row = []
        if k in big:
            gv = m.new_int_var(0, len(members) - 1, f"group_o{i}")
            m.add_element(x[k], [problem.group_of[c] if c < len(problem.group_of) else len(members) - 1
                                 for c in range(max(problem.domains[k]) + 1)], gv)
        for g, labels in enumerate(members):
            b = m.new_bool_var(f"group_o{i}_{g}")
            if k in big:
                m.add(gv == g).only_enforce_if(b)
                m.add(gv != g).only_enforce_if(b.Not())
            else:
                m.add(b == sum(z[k][c] for c in labels if c in z[k]))
            row.append(b)
        group.append(row)
    n_groups = problem.n_groups

    # Attribute values must apply to the object's concept.
    for (i, t), k in problem.attr_pos.items():
        for v, b in z[k].items():
            if v:
                m.add(b <= sum(group[i][g] for g in range(n_groups) if v in problem.options[g][t]))

    # Attribute exclusions: no object holds a value of each side of one rule (one value per type, so each
    # side's sum is at most one and the two together at most one).
    for ta, va, tb, vb in problem.exclusions:
        for i in range(s.n):
            za, zb = z[problem.attr_pos[i, ta]], z[problem.attr_pos[i, tb]]
            side_a, side_b = [za[v] for v in va if v in za], [zb[v] for v in vb if v in zb]
            if side_a and side_b:
                m.add(sum(side_a) + sum(side_b) <= 1)

    # Relation domains: the predicate must accept the subject's and the object's concept.
    for (u, w), k in problem.edge_pos.items():
        for p, b in z[k].items():
            if p == n_preds:  # universal: "no edge"
                continue
            m.add(b <= sum(group[u][g] for g in range(n_groups) if p in problem.subject_ok[g]))
            m.add(b <= sum(group[w][g] for g in range(n_groups) if p in problem.object_ok[g]))

    # Abstract problems: a predicate atom on an edge needs one of its predicates to fit both concepts.
    if problem.pair_ok is not None:
        for (u, w), k in problem.edge_pos.items():
            for p, b in z[k].items():
                if p == n_preds:
                    continue
                for i in range(n_groups):
                    m.add(sum(group[w][j] for j in range(n_groups) if p in problem.pair_ok[i, j]) >= 1
                          ).only_enforce_if([group[u][i], b])

    # Objects may not repeat: each concept at most its capacity.
    if problem.repeat is not None:
        if big:
            if any(cap != 1 for cap in problem.capacity):
                raise ValueError("capacities above 1 need one-hot concept positions")
            m.add_all_different([x[k] for k in problem.concept_pos]).only_enforce_if(on(problem.repeat))
        else:
            for c, cap in enumerate(problem.capacity):
                m.add(sum(z[k][c] for k in problem.concept_pos) <= cap).only_enforce_if(on(problem.repeat))

    # Conditions (x[k] in S) as determined booleans.
    cond = []
    for qid, (k, vals, on_groups) in enumerate(problem.conditions):
        b = m.new_bool_var(f"cond_{qid}")
        if on_groups:
            row = group[problem.positions[k][1]]
            m.add(b == sum(row[g] for g in vals))
        elif z[k] is None:  # an integer position: reified membership
            inside = [v for v in vals if v in problem.domains[k]]
            if not inside:
                m.add(b == 0)
            else:
                m.add_linear_expression_in_domain(x[k], cp_model.Domain.from_values(inside)).only_enforce_if(b)
                outside = [v for v in problem.domains[k] if v not in set(inside)]
                if outside:
                    m.add_linear_expression_in_domain(x[k], cp_model.Domain.from_values(outside)
                                                      ).only_enforce_if(b.Not())
                else:
                    m.add(b == 1)
        else:
            m.add(b == sum(z[k][v] for v in vals if v in z[k]))
        cond.append(b)

    # Patterns: a match holds iff all its conditions hold; require at least N matches, forbid any.
    for index, mode, at_least, matches in problem.patterns:
        flags = []
        for j, conds in enumerate(matches):
            f = m.new_bool_var(f"match_{index}_{j}")
            m.add_min_equality(f, [cond[q] for q in conds] or [m.new_constant(1)])
            flags.append(f)
        if mode == "require":
            m.add(sum(flags) >= at_least).only_enforce_if(on(index))
        else:
            m.add(sum(flags) == 0).only_enforce_if(on(index))

    # Cardinality: the number of groups with a holding condition lies in the range.
    for index, groups, lo, hi in problem.cardinalities:
        flags = []
        for j, conds in enumerate(groups):
            g = m.new_bool_var(f"group_{index}_{j}")
            m.add_max_equality(g, [cond[q] for q in conds] or [m.new_constant(0)])
            flags.append(g)
        m.add(sum(flags) >= lo).only_enforce_if(on(index))
        if hi is not None:
            m.add(sum(flags) <= hi).only_enforce_if(on(index))

    # Lex-leader: x <=lex p.x for every listed automorphism; eq = "positions so far agree" (determined).
    for p, src in enumerate(problem.perms):
        eq = None
        for k, j in enumerate(src):
            if j == k:
                continue
            m.add(x[k] <= x[j]).only_enforce_if([] if eq is None else [eq])
            same = m.new_bool_var(f"same_{p}_{k}")
            m.add(x[k] == x[j]).only_enforce_if(same)
            m.add(x[k] != x[j]).only_enforce_if(same.Not())
            if eq is None:
                eq = same
            else:
                nxt = m.new_bool_var(f"eq_{p}_{k}")
                m.add_min_equality(nxt, [eq, same])
                eq = nxt

    if problem.universal:
        _universal_bounds(m, problem, z, lim)

    # One integer per position equal to its value (determined), so a solution reads in O(positions).
    value = []
    for k, zk in enumerate(z):
        dom = problem.domains[k]
        if len(dom) == 1:
            value.append(dom[0])
        elif zk is None:
            value.append(x[k])
        else:
            xv = m.new_int_var(min(dom), max(dom), f"x{k}")
            m.add(xv == x[k])
            value.append(xv)

    def read(cb):
        return tuple(v if isinstance(v, int) else cb.value(v) for v in value)

    return m, read


def _universal_bounds(m: cp_model.CpModel, problem, z, lim: dict) -> None:
    """Structural bounds of a universal problem (one model for every structure; satisfiability only)."""
    s = problem.structure
    n = s.n
    n_labels, n_preds = len(problem.labels), len(problem.predicates)
    on = [1 - z[problem.concept_pos[i]][n_labels] for i in range(n)]
    edge = {(u, v): 1 - z[k][n_preds] for (u, v), k in problem.edge_pos.items()}
    slots = [sum(b for t in problem.types for v, b in z[problem.attr_pos[i, t]].items() if v) for i in range(n)]

    # Objects that exist come first (any scene can be renumbered so).
    for i in range(n - 1):
        m.add(on[i] >= on[i + 1])
    # Counts within their ranges: objects, attributes, relations, complexity, slots per object.
    def within(expr, rng):
        lo, hi = rng
        m.add(expr >= lo)
        if hi is not None:
            m.add(expr <= hi)
    within(sum(on), lim["n"])
    within(sum(slots), lim["a"])
    within(sum(edge.values()), lim["r"])
    within(sum(on) + sum(slots) + sum(edge.values()), lim["c"])
    for i in range(n):
        m.add(slots[i] >= lim["apo"][0] * on[i])
        m.add(slots[i] <= lim["apo"][1])
        out = sum(edge[i, j] for j in range(n) if (i, j) in edge)
        inn = sum(edge[j, i] for j in range(n) if (j, i) in edge)
        m.add(out >= lim["out"][0] * on[i])
        m.add(out <= lim["out"][1])
        m.add(inn >= lim["in"][0] * on[i])
        m.add(inn <= lim["in"][1])
    # Acyclic: a rank per object that every edge increases.
    if lim["acyclic"] and edge:
        rank = [m.new_int_var(0, n - 1, f"rank_{i}") for i in range(n)]
        for (u, v), e in edge.items():
            m.add(rank[u] < rank[v]).only_enforce_if(_bool(m, e, f"edge_{u}_{v}"))
    # Connected: every existing object but the first has a parent, nearer to object 0, joined by an edge.
    if lim["connected"] and n > 1:
        depth = [m.new_int_var(0, n - 1, f"depth_{i}") for i in range(n)]
        m.add(depth[0] == 0)
        for i in range(1, n):
            parents = []
            for j in range(n):
                if j == i:
                    continue
                p = m.new_bool_var(f"parent_{i}_{j}")
                link = [e for e in (edge.get((i, j)), edge.get((j, i))) if e is not None]
                m.add(sum(link) >= 1).only_enforce_if(p)
                m.add(depth[j] < depth[i]).only_enforce_if(p)
                parents.append(p)
            m.add(sum(parents) == on[i])


def _bool(m: cp_model.CpModel, expr, name: str):
    """A boolean variable equal to a 0/1 linear expression."""
    b = m.new_bool_var(name)
    m.add(b == expr)
    return b


def label_solutions(problem) -> list[tuple]:
    """Every solution vector of the CP-SAT model of ``problem`` (raw ASP is refused upstream)."""
    if problem.raw:
        raise ValueError("raw ASP rules need the ASP backend")
    m, read = _label_model(problem, enforce=None)
    return [(x, None) for x in _enumerate(m, read)]


class CoreModel:
    """The CP-SAT model of one problem, built once, one enforcement literal per user constraint.

    :meth:`solve` assumes the literals of the active constraints (the others
    are free, so their constraints may be switched off by the solver).
    """

    def __init__(self, problem, lim: dict | None = None):
        self.lits: dict[int, cp_model.IntVar] = {}
        self.model, _ = _label_model(problem, enforce=self.lits, lim=lim)

    def solve(self, active=None) -> tuple[bool, list[int]]:
        """``(True, [])`` or ``(False, core)``, the core from ``sufficient_assumptions_for_infeasibility``."""
        on = sorted(self.lits) if active is None else sorted(set(active) & set(self.lits))
        self.model.clear_assumptions()
        self.model.add_assumptions([self.lits[i] for i in on])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        status = solver.solve(self.model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return True, []
        if status != cp_model.INFEASIBLE:
            raise RuntimeError(f"CP-SAT stopped with status {solver.status_name(status)}")
        by_var = {self.lits[i].index: i for i in on}
        return False, sorted(by_var[v] for v in solver.sufficient_assumptions_for_infeasibility() if v in by_var)


def label_core(problem) -> tuple[bool, list[int]]:
    """Satisfiability with one enforcement literal per user constraint, assumed true.

    Returns ``(True, [])`` or ``(False, core)``, the core from
    ``sufficient_assumptions_for_infeasibility`` mapped to constraint indices.
    """
    return CoreModel(problem).solve()
