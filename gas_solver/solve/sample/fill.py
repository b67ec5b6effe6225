"""Per structure: its automorphism choice, the elimination plan of each quotient, marked matches, acceptance.

A :class:`Plan` says how a labelling fixed by one automorphism is drawn: per
connected component of the quotient graph, its elimination steps in sampling
order (each variable drawn given its already drawn neighbours), then which
vertex cycle each object lies on and which edge cycles carry the relations.

Required one-node / one-edge patterns (seed graphs) would make blind rejection
hopeless when matches are rare.  Instead a draw also picks a **marked match**
of each (an object or edge cycle whose labels are then restricted to match),
with probability ∝ the weight of the fixed labellings having it: a scene then
comes ∝ ``w · |Stab| · Π m_i`` (``m_i`` its matches of pattern ``i``) and is
kept with probability ``1 / Π m_i``, which makes it ∝ ``w`` again, exactly.
The marks pin a label restriction on one vertex or edge cycle, so every count
stays a product form.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from fractions import Fraction
from typing import NamedTuple

from ...errors import ExactSamplingRefused
from ..burnside import quotient
from ..exact_random import IntCategorical
from .automorphism import AutomorphismChoice, automorphism_choice
from .law import MIN_ACCEPTANCE, Law, ShapeFirst, scaled_ints

__all__ = ["Fill", "Plan", "Component", "Step", "MarkedPlans", "fill_of", "plan_of", "marked_plans"]


class Step(NamedTuple):
    """Draw variable ``variable`` given ``neighbours`` from the product of ``factors`` (``index``: step id)."""

    index: int
    variable: int
    neighbours: tuple
    factors: list


class Component(NamedTuple):
    key: tuple  # the component's counting key (with its marks' restrictions)
    cycles: tuple  # the vertex cycles it covers
    steps: list  # Step, in sampling order


class Plan(NamedTuple):
    """How to draw a labelling fixed by one automorphism (and one marked match)."""

    components: list
    vertex_keys: list  # per vertex cycle: (attribute slots, length)
    where: list  # per object: its vertex cycle
    edge_cycles: list  # per edge cycle: (subject cycle, object cycle, length, edges on it)
    restrictions: dict  # per marked edge cycle: the restriction of its predicates


class MarkedPlans(NamedTuple):
    cat: IntCategorical | None  # over ``plans``, ∝ their weights
    plans: list
    total: int


@dataclasses.dataclass(slots=True)
class Fill:
    """Per-(structure, law) state: automorphism choice, plans per automorphism, acceptance."""

    structure: object
    choice: AutomorphismChoice
    acceptance: Fraction
    wmax: Fraction  # the largest weight the global soft constraints give a scene of this structure
    proposal: Fraction = Fraction(0)  # the marked proposal's mass (marked patterns only)
    plans: dict = dataclasses.field(default_factory=dict)


def fill_of(tables, si: int, check: bool = True) -> Fill:
    """The fill of structure ``si`` (cached in ``tables``); refuses an acceptance below MIN_ACCEPTANCE."""
    f = tables.fills.get(si)
    if f is not None:
        return f
    law: Law = tables.law
    model, space = law.model, law.space
    s = law.structure(si)
    if (not model.has_global and not model.sampler_marks and law.conditioned is None
            and isinstance(law.choice.cat, ShapeFirst) and law.choice.cat.slots is not None):
        # the per-structure law drawn shape first draws only structures with scenes (always_positive) and
        # without global constraints nothing is rejected: its count would be work for nothing (four objects
        # all related to each other: 7 s and 0.5 GB of counting on the default taxonomy)
        choice = automorphism_choice(s, law.factors, per_structure=True)
        f = tables.fills[si] = Fill(s, choice, Fraction(1), Fraction(1))
        return f
    exact = space.structure_value(s, weighted=law.weighted)
    if law.conditioned is not None:  # no marks, no rejection (.conditioned)
        choice = law.conditioned.choice(s, per_structure=law.distribution == "per-structure")
        f = tables.fills[si] = Fill(s, choice, Fraction(1) if exact else Fraction(0), Fraction(1))
        return f
    # (without global constraints the draws' local space is the space: nothing to count twice)
    relaxed = space.relaxed_value(s, weighted=law.weighted) if model.has_global else exact
    wmax = Fraction(1)
    for sc in model.global_soft:
        k = len(sc.pattern.nodes)
        wmax *= max(Fraction(1), Fraction(sc.weight)) ** math.perm(s.n, k) if k <= s.n else 1
    acceptance = Fraction(exact) / Fraction(relaxed) / wmax if relaxed else Fraction(0)
    if check and model.has_global and not model.sampler_marks and acceptance < MIN_ACCEPTANCE:
        raise ExactSamplingRefused(
            f"exact rejection sampling would accept only {float(acceptance):.2e} of the proposals on "
            f"structure {s.shape} (global constraints: {'; '.join(space.global_constraints(model))}. Narrow the "
            "vocabulary or the complexity range, or drop these constraints); "
            "refusing rather than running for a very long time", acceptance=acceptance)
    # a shape-first law (.law.ShapeFirst) has no old draws to keep byte for byte: automorphisms by class
    choice = automorphism_choice(s, law.factors, per_structure=law.distribution == "per-structure",
                                 by_class=isinstance(law.choice.cat, ShapeFirst))
    f = tables.fills[si] = Fill(s, choice, acceptance, wmax)
    if model.sampler_marks:
        _mark(tables, f, exact, check)
    return f


def _mark(tables, fill: Fill, exact, check: bool) -> None:
    """Reweigh the automorphism classes by the mass of their marked labellings (see the module's text)."""
    if fill.choice.cat is None:
        fill.proposal = fill.acceptance = Fraction(0)
        return
    weights = [size * marked_plans(tables, fill, members[0]).total
               for members, size in zip(fill.choice.classes, fill.choice.sizes)]
    if not any(weights):  # no labelling of this structure has the required matches
        fill.proposal = fill.acceptance = Fraction(0)
        return
    fill.choice = fill.choice._replace(cat=IntCategorical(scaled_ints(weights)))
    proposal = Fraction(sum(weights, 0), sum(fill.choice.sizes)) * fill.wmax  # sizes sum to the group order
    fill.proposal = proposal
    fill.acceptance = Fraction(exact) / proposal if proposal else Fraction(0)
    if check and fill.acceptance < MIN_ACCEPTANCE:
        raise ExactSamplingRefused(
            f"exact sampling would accept only {float(fill.acceptance):.2e} of the marked proposals on "
            f"structure {fill.structure.shape}; refusing rather than running for a very long time",
            acceptance=fill.acceptance)


def _steps(comp) -> list:
    return [Step(i, v, nbrs, gathered) for i, (v, nbrs, gathered) in enumerate(comp.steps)][::-1]


def _where(n: int, q) -> list:
    where = [0] * n
    for c, cyc in enumerate(q.vcycles):
        for v in cyc:
            where[v] = c
    return where


def plan_of(tables, fill: Fill, g: int) -> Plan:
    """The plan of automorphism ``g`` of ``fill``'s structure (cached), without marks."""
    plan = fill.plans.get(g)
    if plan is None:
        s = fill.structure
        q = quotient(s.n, s.attributes, s.edges, fill.choice.automorphisms[g])
        factors = tables.law.factors
        comps = [Component(key, cyc_ids, _steps(factors.component(key))) for key, cyc_ids in q.components]
        plan = fill.plans[g] = Plan(comps, q.vkey, _where(s.n, q), q.ecycles, {})
    return plan


def marked_plans(tables, fill: Fill, g: int) -> MarkedPlans:
    """One plan per choice of a marked match of every required pattern, for automorphism ``g`` (cached)."""
    key = ("marks", g)
    hit = fill.plans.get(key)
    if hit is not None:
        return hit
    s = fill.structure
    model, factors = tables.law.model, tables.law.factors
    q = quotient(s.n, s.attributes, s.edges, fill.choice.automorphisms[g])
    where = _where(s.n, q)
    positions = []
    for (kind, r), _ in model.sampler_marks:
        if kind == "v":
            positions.append([("v", c, r, len(cyc)) for c, cyc in enumerate(q.vcycles)])
        else:
            positions.append([("e", e, r, L) for e, (_, _, L, _) in enumerate(q.ecycles)])
    weights, plans = [], []
    for combo in itertools.product(*positions):
        vres: dict[int, int] = {}
        eres: dict[int, tuple] = {}
        mult = 1
        for kind, idx, r, ln in combo:
            mult *= ln
            if kind == "v":
                vres[idx] = vres.get(idx, 0) | r
            else:
                eres[idx] = tuple(sorted(set(eres.get(idx, ()) + (r,))))
        fix = 1
        comps = []
        for ckey, cyc_ids in q.components:
            pos = {c: k for k, c in enumerate(cyc_ids)}
            if any(c in vres for c in cyc_ids) or any(q.ecycles[e][0] in pos for e in eres):
                ckey = (tuple((q.vkey[c][0], q.vkey[c][1], vres.get(c, 0)) for c in cyc_ids),
                        tuple(sorted((pos[i], pos[j], L, eres.get(e, ()))
                                     for e, (i, j, L, _) in enumerate(q.ecycles) if i in pos)))
            comp = factors.component(ckey)
            fix *= comp.value
            comps.append(Component(ckey, cyc_ids, _steps(comp)))
        w = mult * fix
        if w:
            weights.append(w)
            plans.append(Plan(comps, q.vkey, where, q.ecycles, eres))
    hit = fill.plans[key] = MarkedPlans(IntCategorical(scaled_ints(weights)) if weights else None, plans,
                                        sum(weights, 0))
    return hit
