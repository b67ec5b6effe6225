"""Draws conditioned on "at least one match" requirements through the counters' DP (exact, no rejection).

Many required patterns make the marked proposal of :mod:`.fill` list one plan
per choice of a marked match of every pattern (``Π`` positions, per
automorphism: 4^16 for sixteen object requirements on four objects).  Where
every counted constraint is "at least one match" (the counters'
``or_lattice``, :mod:`..counters`), the counting DP itself gives each
conditional law, and a draw needs no marks and no rejection:

1. a structure ∝ its exact count (the law's choice, as always);
2. an automorphism class ∝ ``size × Fix_A(g)``, where ``Fix_A(g)`` counts the
   labellings fixed by ``g`` that satisfy every requirement
   (:meth:`~gas_solver.solve.counters.CounterModel.accepted_fix`);
3. the object cycles of the quotient one after the other, each label ∝ the
   number of requirement-satisfying completions given the labels drawn so far;
   then each edge cycle's predicate atom the same way; then a concept,
   attribute set and predicate uniformly inside the drawn label and atom.

Step 3's numbers come from the zeta domain: ``Z[S]``, the weight of the
completions in which no requirement outside ``S`` matches, is a product of
local factors (one batch member per ``S``); the completions matching every
requirement are ``Σ_S (-1)^(k-|S|) Z[S]`` (inclusion–exclusion, exact
integers).  Leaving the next object cycle out of the elimination gives that
number for each of its labels at once (:func:`~gas_solver.solve.modular.contract_int`
with ``keep``).  A fixed labelling satisfying the requirements thus comes with
probability ``1 / Fix_A(g)``, and by Burnside's process every scene of the space
has probability ``1 / count``: exactly uniform.

Used for the uniform law (and its strata and the per-structure law) where the
marked plans would be many (:func:`conditioned_counter`); files below that keep
the marked proposal and their output bytes.

>>> from gas_solver.solve.structures import Structure
>>> from types import SimpleNamespace
>>> model = SimpleNamespace(sampler_marks=[(("v", 1), None)] * 3)
>>> marked_work(model, [Structure(4, (0, 0, 0, 0), ())])  # three object marks on four objects
64
"""

from __future__ import annotations

import numpy as np

from ...scene import Relation
from ..burnside import automorphism_choices, quotient
from ..exact_random import IntCategorical, pick
from ..modular import contract_int
from .automorphism import AutomorphismChoice, draw_automorphism
from .law import scaled_ints

__all__ = ["CONDITIONED_ABOVE", "marked_work", "conditioned_counter", "conditioned_choice", "draw_conditioned"]

#: marked plans (summed over structures, identity automorphisms) above which draws condition on the
#: counters instead of marking matches; the shipped files stay below it (and keep their output bytes)
CONDITIONED_ABOVE = 100_000


def marked_work(model, structures) -> int:
    """The marked proposal's plans at the identity, summed over structures: ``Π`` over the marks of the
    objects (object patterns) or edges (edge patterns) a mark may sit on."""
    total = 0
    for s in structures:
        w = 1
        for (kind, _), _ in model.sampler_marks:
            w *= s.n if kind == "v" else len(s.edges)
        total += w
    return total


def conditioned_counter(space, model, *, weighted: bool, above: int | None = None):
    """The counters' DP that draws condition on, or ``None`` where the marked proposal stays.

    Applies to unweighted laws whose global constraints are all "at least one match" counters
    (``or_lattice``) with more than ``above`` (default :data:`CONDITIONED_ABOVE`) marked plans.
    """
    if weighted or not model.sampler_marks or space.method(False) != "counters":
        return None
    cm = space.counter_model(False)
    if cm is None or not cm.or_lattice:
        return None
    limit = CONDITIONED_ABOVE if above is None else above
    if marked_work(model, space.structures) <= limit:
        return None
    return _Conditioned(cm)


class _Conditioned:
    """Per-label tables of the counters' DP that the conditioned draws use (built once per law).

    A law's ``conditioned`` object: :meth:`choice` (step 2) and :meth:`draw` (step 3) are all the sampler
    asks of it (:mod:`.embedded_draws` gives another one)."""

    def choice(self, structure, *, per_structure: bool) -> AutomorphismChoice:
        return conditioned_choice(self, structure, per_structure=per_structure)

    def draw(self, tables, fill, rnd) -> tuple:
        return draw_conditioned(tables, fill, rnd)

    def __init__(self, cm):
        self.cm = cm
        model = cm.model
        D, k = cm.D, len(cm.counters)
        # (-1)^(k - |S|) per set S of requirements (a digit per counter, 0/1)
        self.sign = np.array([(-1) ** (k - sum(d)) for d in cm._digits], dtype=object)
        self.value_of = np.array(cm.value_of, dtype=np.int64)
        # per label: which object requirements it matches, as the zeta vector [its set ⊆ S]
        sub = np.zeros((model.M, D), dtype=np.int64)
        for i in range(model.M):
            one = np.zeros((1, D), dtype=object)
            one[0, cm._code([c.data[i] if c.kind == "v" else 0 for c in cm.counters])] = 1
            sub[i] = cm._zeta(one)[:, 0].astype(np.int64)
        self.sub = sub
        self.edge_counters = [c.data for c in cm.counters if c.kind == "e"]
        self.edge_axes = [t for t, c in enumerate(cm.counters) if c.kind == "e"]
        self._weights: dict = {}
        self._atoms: dict = {}

    def label_weights(self, a: int, L: int) -> np.ndarray:
        hit = self._weights.get((a, L))
        if hit is None:
            hit = self._weights[(a, L)] = np.asarray(self.cm.model.vertex_weights(a, L), dtype=object)
        return hit

    def fixed_unary(self, lab: int, weight: int) -> np.ndarray:
        """The zeta-domain unary factor of an object cycle whose label is drawn: one value, its matches."""
        out = np.zeros((self.cm.D, self.cm.G), dtype=object)
        out[:, self.value_of[lab]] = weight * self.sub[lab].astype(object)
        return out

    def atoms(self, l1: int, l2: int, L: int):
        """``[(atom mask, weight, zeta vector)]`` of an edge cycle between two drawn labels."""
        key = (l1, l2, L)
        hit = self._atoms.get(key)
        if hit is None:
            cm = self.cm
            lb1, lb2 = cm.model.labels[l1], cm.model.labels[l2]
            hit = []
            for mask, cnt, w in cm.model.edge_atom_weights(l1, l2, L):
                vals = [0] * len(cm.counters)
                for t, (a, b, pm) in zip(self.edge_axes, self.edge_counters):
                    if lb1.bits >> a & 1 and lb2.bits >> b & 1 and mask & pm:
                        vals[t] = 1
                one = np.zeros((1, cm.D), dtype=object)
                one[0, cm._code(vals)] = 1
                hit.append((mask, cnt * w, cm._zeta(one)[:, 0]))
            self._atoms[key] = hit
        return hit


def conditioned_choice(cond: _Conditioned, structure, *, per_structure: bool) -> AutomorphismChoice:
    """Step 2: automorphism classes ∝ size × the fixed labellings satisfying every requirement."""
    if per_structure:
        return AutomorphismChoice((tuple(range(structure.n)),), [(0,)], IntCategorical([1]), [1])
    perms, prof = automorphism_choices(structure)
    w = scaled_ints([m * cond.cm.accepted_fix(p) for p, m, _ in prof])
    return AutomorphismChoice(perms, [ix for _, _, ix in prof], IntCategorical(w) if any(w) else None,
                              [m for _, m, _ in prof])


def draw_conditioned(tables, fill, rnd) -> tuple:
    """One graph ``(objects, relations)`` on ``fill``'s structure, exactly uniform among those that satisfy
    every requirement (steps 2-3 of the module's text)."""
    from .scalar import draw_atom_predicate, draw_object

    cond: _Conditioned = tables.law.conditioned
    cm = cond.cm
    s = fill.structure
    g = draw_automorphism(fill.choice, rnd)
    q = quotient(s.n, s.attributes, s.edges, fill.choice.automorphisms[g])
    D, G = cm.D, cm.G
    V = len(q.vkey)
    edge_factors = []
    for i, j, L, _ in q.ecycles:
        F, _ = cm.zeta_pairwise(L)  # a common denominator (weighted laws never come here): no effect
        edge_factors.append(((i,), np.ascontiguousarray(np.diagonal(F, axis1=1, axis2=2))) if i == j
                            else ((i, j), F))
    unary = [cm.zeta_unary(a, L)[0] for a, L in q.vkey]
    ones = np.ones((D, G), dtype=object)
    labs = [0] * V
    for c in range(V):
        factors = edge_factors + [((u,), unary[u]) for u in range(V) if u != c] + [((c,), ones)]
        marg = np.array(contract_int(factors, batch=D, keep=c), dtype=object)  # [S, value]
        a, L = q.vkey[c]
        w = cond.label_weights(a, L)
        signed = (cond.sign[:, None] * marg)[:, cond.value_of]  # [S, label]
        n_lab = w * (cond.sub.T.astype(object) * signed).sum(axis=0)
        labs[c] = pick(IntCategorical(n_lab.tolist()), rnd)
        unary[c] = cond.fixed_unary(labs[c], w[labs[c]])
    # the edge cycles' predicate atoms: every label is drawn, so the zeta vectors are plain products
    fixed = np.ones(D, dtype=object)
    for c in range(V):
        fixed = fixed * cond.sub[labs[c]].astype(object) * cond.label_weights(*q.vkey[c])[labs[c]]
    options = [cond.atoms(labs[i], labs[j], L) for i, j, L, _ in q.ecycles]
    totals = [sum((wt * z for _, wt, z in opts), np.zeros(D, dtype=object)) for opts in options]
    chosen = []
    for e, opts in enumerate(options):
        rest = fixed.copy()
        for t in totals[e + 1:]:
            rest = rest * t
        signed = cond.sign * rest
        n_atom = [wt * int((signed * z).sum()) for _, wt, z in opts]
        o = pick(IntCategorical(n_atom), rnd)
        chosen.append(opts[o][0])
        fixed = fixed * (opts[o][1] * opts[o][2])
    where = [0] * s.n
    for c, cyc in enumerate(q.vcycles):
        for v in cyc:
            where[v] = c
    cyc_objs = [draw_object(tables, labs[c], q.vkey[c][0], rnd) for c in range(V)]
    objs = tuple([cyc_objs[w] for w in where])
    rels = []
    for (i, j, L, orbit), mask in zip(q.ecycles, chosen):
        pred = draw_atom_predicate(tables, mask, rnd)
        for u, v in orbit:
            rels.append(Relation(u, v, pred))
    return objs, tuple(rels)

