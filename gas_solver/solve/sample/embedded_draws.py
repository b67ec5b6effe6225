"""Draws under embedded patterns conditioned on their exact counter (no rejection).

Forbidden and required patterns with one or two labelled nodes or named edges (:mod:`..embedded`) are
sampled by exact rejection from the local space, at the acceptance rate the counts give; a required
pattern that few labellings of some structure match (``a:person -[riding]-> b:* -[*]-> c:*``) would
accept too few draws.  There, the draws condition on the embedded counter instead:

1. a structure ∝ its exact count (the law's choice, as always);
2. a class of conjugate automorphisms ∝ size × the fixed labellings that meet every pattern (conjugates
   fix the same scenes, and the patterns' embeddings are invariant under every automorphism, so the
   class representative stands for a uniform member);
3. the quotient's variables one after the other — object cycles, then the edge cycles whose predicate
   a pattern names — each value ∝ the weight of the completions that meet every pattern given the
   values drawn so far: for each inclusion–exclusion term (forbidding a set of the required patterns,
   sign ``(-1)^|T|``) a product form with the variable left out of the elimination
   (:func:`~gas_solver.solve.modular.contract_int` with ``keep``), the signed sum exact; then a
   concept, attribute set and predicate uniformly inside the drawn label and atom.

A fixed labelling meeting the patterns comes with probability ∝ its weight over ``Fix_A(g)``, so by
Burnside's process every scene has probability ∝ its weight: exact.  Used where some structure's
rejection acceptance is below :data:`~.law.MIN_ACCEPTANCE` (:func:`embedded_draws`); the others keep
the rejection path and their output bytes.  One scene at a time, a few contractions per draw.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from ...scene import Relation
from ..burnside import quotient
from ..exact_random import IntCategorical, pick
from ..modular import contract_int
from ..symmetry import automorphism_classes
from .automorphism import AutomorphismChoice, draw_automorphism
from .law import MIN_ACCEPTANCE, scaled_ints

__all__ = ["EmbeddedDraws", "embedded_draws"]


def embedded_draws(space, model, *, weighted: bool):
    """The conditioned draws of a space counted by embedded patterns whose rejection sampling would be
    refused on some structure, else ``None``."""
    if space.method(weighted) != "embedded":
        return None
    for s in space.structures:
        exact = space.structure_value(s, weighted=weighted)
        if exact and Fraction(exact) / Fraction(space.relaxed_value(s, weighted=weighted)) < MIN_ACCEPTANCE:
            return EmbeddedDraws(space._embedded_counter(weighted))
    return None


class EmbeddedDraws:
    """Steps 2 and 3 of the module's text for one embedded counter (a law's ``conditioned`` object)."""

    def __init__(self, counter):
        self.counter = counter
        self._terms: dict = {}

    def terms(self, structure) -> list:
        key = (structure.n, structure.attributes, structure.edges)
        hit = self._terms.get(key)
        if hit is None:
            hit = self._terms[key] = self.counter.terms(structure)
        return hit

    def choice(self, structure, *, per_structure: bool) -> AutomorphismChoice:
        if per_structure:
            return AutomorphismChoice((tuple(range(structure.n)),), [(0,)], IntCategorical([1]), [1])
        classes = automorphism_classes(structure)
        w = scaled_ints([c.size * self.counter.fixed_value(structure, c.rep) for c in classes])
        return AutomorphismChoice(tuple(c.rep for c in classes), [(i,) for i in range(len(classes))],
                                  IntCategorical(w) if any(w) else None, [c.size for c in classes])

    def draw(self, tables, fill, rnd) -> tuple:
        """One graph ``(objects, relations)`` on ``fill``'s structure, ∝ its weight among those that meet
        every pattern."""
        from .scalar import draw_atom_predicate, draw_object, draw_predicate

        counter, model = self.counter, self.counter.model
        s = fill.structure
        g = draw_automorphism(fill.choice, rnd)
        q = quotient(s.n, s.attributes, s.edges, fill.choice.automorphisms[g])
        keys = [(sign, counter.fix_key(q, forbidden)) for sign, forbidden in self.terms(s)]
        named = tuple(sorted({k for _, key in keys for k in key[2]}))
        V = len(q.vkey)
        terms = [(sign, *counter.factors(key, named)) for sign, key in keys]
        sizes = {v: model.M for v in range(V)}
        sizes.update({V + k: len(model.pred_atoms) for k in named})
        drawn: dict = {}
        for x in list(range(V)) + [V + k for k in named]:
            pinned = []
            for u, val in drawn.items():
                one = np.zeros(sizes[u], dtype=object)
                one[val] = 1
                pinned.append(((u,), one))
            weight = [Fraction(0)] * sizes[x]
            for sign, factors, den in terms:
                for i, z in enumerate(contract_int(factors + pinned, keep=x)):
                    if z:
                        weight[i] += Fraction(sign * z, den)
            drawn[x] = pick(IntCategorical(scaled_ints(weight)), rnd)
        labs = [drawn[c] for c in range(V)]
        cyc_objs = [draw_object(tables, labs[c], q.vkey[c][0], rnd) for c in range(V)]
        where = [0] * s.n
        for c, cyc in enumerate(q.vcycles):
            for v in cyc:
                where[v] = c
        rels = []
        for k, (i, j, L, orbit) in enumerate(q.ecycles):
            if k in named:  # the drawn atom, then a predicate uniformly inside it
                atom = model.pred_atoms[drawn[V + k]]
                mask = next(m for m, _, _ in model.edge_atom_weights(labs[i], labs[j], L) if m & atom)
                pred = draw_atom_predicate(tables, mask, rnd)
            else:
                pred = draw_predicate(tables, labs[i], labs[j], L, rnd)
            for u, v in orbit:
                rels.append(Relation(u, v, pred))
        return tuple([cyc_objs[w] for w in where]), tuple(rels)
