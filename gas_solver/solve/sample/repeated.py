"""Exact draws of the scenes of one structure in which some concept appears twice or more, without rejection
of whole scenes.

A scene on structure ``S`` is an orbit of labellings under ``Aut S``, and the Burnside process draws a pair
``(g, x)`` with ``g x = x`` uniformly; each orbit holds ``|Aut S|`` pairs, so its scene comes uniformly.  For
the "repeated" scenes only the pairs whose ``x`` repeats a concept count:

* ``g`` other than the identity moves some object, and a labelling it fixes gives that object's cycle one
  concept: every such pair counts.  Drawn as the sampler does (``g`` ∝ ``|Fix g|``, then ``x`` by backward
  sampling through the quotient's elimination tables).
* ``g`` the identity: ``x`` any labelling with a repeated concept, ``Fix(id) - #injective`` of them
  (the distinct count, :mod:`..distinct`).  Drawn by a **marked pair**: objects ``{i, j}`` ∝ ``F_ij``, the
  labellings in which they share a concept (the factor graph with their two class variables merged into one,
  counted once), ``x`` uniformly among those, kept with probability ``1 / m(x)`` (``m``: the pairs of ``x``
  sharing a concept).  A repeated ``x`` then comes with probability ``m(x) / ΣF · 1 / m(x)``: uniformly.  At
  most ``C(n, 2)`` pairs share, so at least ``1 / C(n, 2)`` of these tries are kept.

The branch (identity or not) is drawn ∝ its exact mass.  This needs every concept class to have a single
vertex label (no constraint tells apart a class's attribute profiles: the merged class variable is then the
label), no global constraint and no weights; :func:`.law.repeated_draws` says False otherwise.

>>> from gas_solver.taxonomy import load_taxonomy
>>> from gas_solver.constraints.model import ConstraintSpec, Bounds, IntRange
>>> from gas_solver.solve.sample import Sampler
>>> s = Sampler(ConstraintSpec(bounds=Bounds(complexity=IntRange(2, 3))), load_taxonomy("tests/data/toy.toml"),
...             distribution="stratified", strata={"repeats": {"repeated": 1}})
>>> all(len({o.concept for o in sc.objects}) < len(sc.objects) for sc in s.sample(50, seed=2))
True
"""

from __future__ import annotations

import itertools
from typing import NamedTuple

import numpy as np

from ...scene import Relation
from ..burnside import contract, int_scaled, quotient
from ..exact_random import IntCategorical, pick
from .fill import fill_of, plan_of
from .scalar import draw_labelling, draw_object, draw_predicate, labelled_graph
from .tables import categorical
from .values import scene_object

__all__ = ["RepeatedDraws"]


class _Pair(NamedTuple):
    """The labellings in which objects ``i`` and ``j`` share a concept: one class variable per block."""

    block_of: list  # per object: its variable
    steps: list  # (variable, neighbours, factors), in sampling order


class RepeatedDraws:
    """The repeated-concept scenes of structure ``si`` of a law (see the module's text)."""

    def __init__(self, tables, si: int):
        law = tables.law
        space = law.space
        s = self.structure = law.structure(si)
        self.si = si
        fill = self.fill = fill_of(tables, si, check=False)
        choice = fill.choice
        identity = tuple(range(s.n))
        fixes = [_fix(law.factors, s, choice.automorphisms[members[0]]) for members in choice.classes]
        ident = next(k for k, members in enumerate(choice.classes) if choice.automorphisms[members[0]] == identity)
        others = [k for k in range(len(choice.classes)) if k != ident]
        moved = sum(choice.sizes[k] * fixes[k] for k in others)
        injective = space.distinct_structure_value(s) * s.group_order
        at_identity = fixes[ident] - injective
        repeated = space.structure_value(s) - space.distinct_structure_value(s)
        if moved + at_identity != repeated * s.group_order:  # two independent counters disagree: a bug
            raise AssertionError(f"structure {s.key}: repeated pairs {moved} + {at_identity}, "
                                 f"Burnside {repeated} x {s.group_order}")
        self.branch = IntCategorical([moved, at_identity])
        self.others = others
        self.moved = IntCategorical([choice.sizes[k] * fixes[k] for k in others]) if moved else None
        pairs, masses = [], []
        if at_identity:
            for i, j in itertools.combinations(range(s.n), 2):
                pair, mass = _pair(tables, s, i, j)
                if mass:
                    pairs.append(pair)
                    masses.append(mass)
            if sum(masses) < at_identity:
                raise AssertionError(f"structure {s.key}: marked pairs {sum(masses)} < {at_identity}")
        self.pairs = pairs
        self.pair = IntCategorical(masses) if pairs else None

    def draw(self, tables, rnd) -> tuple:
        """``(objects, relations)`` of one scene with a repeated concept, uniformly."""
        if pick(self.branch, rnd) == 0:
            members = self.fill.choice.classes[self.others[pick(self.moved, rnd)]]
            g = members[rnd.randrange(len(members))] if len(members) > 1 else members[0]
            return _fixed_by(tables, self.fill, g, rnd)
        s = self.structure
        while True:
            p = pick(self.pair, rnd)
            pair = self.pairs[p]
            vals: dict = {}
            for k, (v, nbrs, factors) in enumerate(pair.steps):
                at = {u: vals[u] for u in nbrs}
                tkey = ("repeated", self.si, p, k, tuple(vals[u] for u in nbrs))
                vals[v] = pick(categorical(tables, tkey, factors, v, at), rnd)
            labs = [vals[b] for b in pair.block_of]
            objs: list = []
            first: dict = {}
            for v in range(s.n):
                o = draw_object(tables, labs[v], s.attributes[v], rnd)
                b = pair.block_of[v]
                if b in first:  # the block's concept, this object's own attributes (drawn independently of it)
                    o = scene_object(objs[first[b]].concept, o.attributes)
                else:
                    first[b] = v
                objs.append(o)
            concepts = [o.concept for o in objs]
            m = sum(1 for a, b in itertools.combinations(concepts, 2) if a == b)
            if m == 1 or rnd.randrange(m) == 0:
                rels = tuple(Relation(u, v, draw_predicate(tables, labs[u], labs[v], 1, rnd)) for u, v in s.edges)
                return tuple(objs), rels


def _fix(factors, s, g) -> int:
    v = 1
    for key, _ in quotient(s.n, s.attributes, s.edges, g).components:
        v *= factors.value(key)
    return v


def _fixed_by(tables, fill, g: int, rnd) -> tuple:
    """A labelling fixed by automorphism ``g`` ∝ its weight (as :func:`.scalar.draw_graph` draws it)."""
    plan = plan_of(tables, fill, g)
    return labelled_graph(tables, plan, draw_labelling(tables, plan, rnd), rnd)


def _weights(tables, key):
    """The label model's integer factors, cached in the sampler's tables: ``("v", slots, with_class)`` or ``("e",)``."""
    hit = tables.fills.get(("repeated-factor",) + key)
    if hit is None:
        model = tables.law.model
        arr = model.vertex_weights(key[1], 1, with_class=key[2]) if key[0] == "v" else model.edge_factor(1)
        w, d = int_scaled(arr)
        assert d == 1, "repeated cells are drawn without weights"
        hit = tables.fills[("repeated-factor",) + key] = w
    return hit


def _pair(tables, s, i: int, j: int) -> tuple[_Pair, int]:
    """The factor graph of "objects i and j share a concept" on structure ``s`` and its mass ``F_ij``.

    Objects are label variables (a label is a class here); ``j`` takes ``i``'s variable, whose unary counts
    the class once (one concept) and both objects' attribute ways; an edge between them is the diagonal."""
    block_of = [v if v != j else i for v in range(s.n)]
    rename = {b: k for k, b in enumerate(sorted(set(block_of)))}
    block_of = [rename[b] for b in block_of]
    unary: dict = {}
    for v in range(s.n):
        w = _weights(tables, ("v", s.attributes[v], v != j))
        b = block_of[v]
        unary[b] = w if b not in unary else unary[b] * w
    F = _weights(tables, ("e",))
    factors = []
    for u, v in s.edges:
        bu, bv = block_of[u], block_of[v]
        if bu == bv:
            unary[bu] = unary[bu] * np.diagonal(F)
        else:
            factors.append(((bu, bv), F))
    factors = [((b,), np.asarray(w, dtype=object)) for b, w in sorted(unary.items())] + factors
    mass, steps = contract(factors)
    return _Pair(block_of, steps[::-1]), int(mass)
