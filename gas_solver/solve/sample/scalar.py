"""The reference draws: one scene at a time, with Python's exact ``random.Random``.

These functions state the law step by step (structure, automorphism, marked
match, labelling by backward sampling through the elimination tables, then a
concept and attribute set per object and a predicate per edge) and are what the
batched draws of :mod:`.batch` are checked against.  They also serve the laws
the batches do not cover: strata or the per-structure law with global
constraints, and non-local soft rules (exact rejection, one scene at a time).

>>> import random
>>> from gas_solver.taxonomy import load_taxonomy
>>> from gas_solver.constraints.model import ConstraintSpec
>>> from gas_solver.solve.sample.law import set_up_law
>>> from gas_solver.solve.sample.tables import Tables
>>> tables = Tables(set_up_law(ConstraintSpec(), load_taxonomy("tests/data/toy.toml")))
>>> objs, rels = draw_graph(tables, 0, random.Random(0))
>>> len(objs) == tables.law.space.structures[0].n
True
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
from typing import NamedTuple

import numpy as np

from ...scene import Relation, Scene
from ..exact_random import IntCategorical, pick
from .automorphism import draw_automorphism
from .fill import fill_of, marked_plans, plan_of
from .law import scaled_ints
from .tables import Tables, categorical
from .values import attribute, scene_attribute, scene_object
from ..exclusions import breaks, side_index

__all__ = ["draw_scenes", "draw_graph", "draw_labelling", "labelled_graph", "draw_object", "draw_predicate",
           "draw_scene_attributes", "exact_rng"]

_MASK64 = (1 << 64) - 1


class ObjectDraw(NamedTuple):
    """A uniform (concept, attribute set) of one vertex label: one integer below ``total`` in mixed radix."""

    total: int
    concepts: list
    present: list  # (type, values) of the label's present types
    cum: list  # cumulative weights of the free types' subsets
    subsets: list  # the free types' subsets of the right size, each ((type, values), ...)


def exact_rng(seed: int, chunk: int) -> random.Random:
    """One exact integer RNG per chunk (``randrange`` is exactly uniform for any bound)."""
    state = np.random.SeedSequence([seed & _MASK64, chunk]).generate_state(4, dtype=np.uint64)
    return random.Random(int.from_bytes(state.tobytes(), "little"))


def draw_scenes(tables: Tables, seed: int, chunk: int, size: int) -> list[Scene]:
    """Chunk ``chunk`` of ``seed``: ``size`` scenes drawn one after the other."""
    law = tables.law
    rnd = exact_rng(seed, chunk)
    modality = law.spec.bounds.modality
    cat, keep = law.choice
    out = []
    for _ in range(size):
        objs, rels = draw_graph(tables, keep[pick(cat, rnd)], rnd)
        out.append(Scene(objs, rels, draw_scene_attributes(tables, rnd), modality))
    return out


def draw_scene_attributes(tables: Tables, rnd) -> tuple:
    choice = tables.law.scene_attributes
    if choice is None:
        return ()
    out = []
    for i in choice.combos[pick(choice.cat, rnd)]:
        typ, vals = choice.options[i]
        out.append(scene_attribute(typ, vals[rnd.randrange(len(vals))]))
    return tuple(out)


def draw_graph(tables: Tables, si: int, rnd) -> tuple:
    """One accepted graph ``(objects, relations)`` on structure ``si`` (exact rejection for global constraints)."""
    fill = fill_of(tables, si)
    if tables.law.conditioned is not None:
        return tables.law.conditioned.draw(tables, fill, rnd)
    model = tables.law.model
    pred_bit = tables.law.domain.predicate_index
    check = model.has_global
    marked = bool(model.sampler_marks)
    n = fill.structure.n
    while True:
        g = draw_automorphism(fill.choice, rnd)
        if marked:
            mp = marked_plans(tables, fill, g)
            plan = mp.plans[pick(mp.cat, rnd)]
        else:
            plan = plan_of(tables, fill, g)
        labs = draw_labelling(tables, plan, rnd)
        objs, rels = labelled_graph(tables, plan, labs, rnd)
        if not check:
            return objs, rels
        if not model.repeat_objects and len({o.concept for o in objs}) < n:
            continue
        atoms = [1 << pred_bit[r.predicate] for r in rels]
        lab_v = [labs[w] for w in plan.where]
        edges = [(r.subject, r.object) for r in rels]
        ok, gw = model.check(n, lab_v, edges, atoms)
        if ok and model.global_soft:
            ratio = gw / fill.wmax
            ok = rnd.randrange(ratio.denominator) < ratio.numerator
        if ok and marked:
            lbs = [model.labels[x] for x in lab_v]
            m = 1
            for _, pattern in model.sampler_marks:
                m *= model.matches(pattern, n, lbs, edges, atoms)
            ok = rnd.randrange(m) == 0
        if ok:
            return objs, rels


def draw_labelling(tables: Tables, plan, rnd) -> list:
    """A label per vertex cycle of ``plan``: each quotient component by backward sampling through its
    elimination steps (a labelling fixed by the plan's automorphism, ∝ its weight)."""
    labs = [0] * len(plan.vertex_keys)
    for key, cyc_ids, steps in plan.components:
        vals = [0] * len(cyc_ids)
        for si_, v, nbrs, factors in steps:
            tkey = (key, si_, tuple([vals[u] for u in nbrs]))
            cat = tables.categoricals.get(tkey)
            if cat is None:
                cat = categorical(tables, tkey, factors, v, dict(zip(nbrs, tkey[2])))
            vals[v] = pick(cat, rnd)
        for local, cyc in enumerate(cyc_ids):
            labs[cyc] = vals[local]
    return labs


def labelled_graph(tables: Tables, plan, labs: list, rnd) -> tuple:
    """``(objects, relations)`` of a labelling ``labs`` of ``plan``: a uniform object per vertex cycle's label,
    a predicate per edge cycle (∝ its weight, within the cycle's marked restriction)."""
    cyc_objs = [draw_object(tables, labs[c], plan.vertex_keys[c][0], rnd) for c in range(len(plan.vertex_keys))]
    objs = tuple([cyc_objs[w] for w in plan.where])
    rels = []
    for e, (i, j, L, orbit) in enumerate(plan.edge_cycles):
        pred = draw_predicate(tables, labs[i], labs[j], L, rnd, plan.restrictions.get(e, ()))
        for u, v in orbit:
            rels.append(Relation(u, v, pred))
    return objs, tuple(rels)


def object_draw(tables: Tables, lab: int, slots: int) -> ObjectDraw:
    hit = tables.object_draws.get((lab, slots))
    if hit is not None:
        return hit
    law = tables.law
    lb = law.model.labels[lab]
    concepts = law.domain.classes[lb.cls].concepts
    kf = slots - len(lb.present)
    subsets, cum, acc = [], [], 0
    if kf > 0:
        for combo in itertools.combinations(lb.free, kf):
            w = math.prod(len(v) for _, v in combo)
            acc += w
            subsets.append(combo)
            cum.append(acc)
    total = len(concepts) * lb.mult * (acc if kf > 0 else 1)
    hit = tables.object_draws[(lab, slots)] = ObjectDraw(total, concepts, lb.present, cum, subsets)
    return hit


def draw_object(tables: Tables, lab: int, slots: int, rnd):
    """A uniform (concept, attribute set) of vertex label ``lab`` with ``slots`` attributes.

    One exact ``randrange`` over all the choices, decoded in mixed radix: concept, the present
    types' values, then the free types' subset (by its cumulative weight) and their values.
    """
    total, concepts, present, cum, subsets = object_draw(tables, lab, slots)
    check = exclusion_check(tables)
    while True:  # with exclusions among the free types: drawn again while the set breaks one (uniform)
        r = rnd.randrange(total)
        r, ci = divmod(r, len(concepts))
        attrs = []
        for typ, vals in present:
            r, vi = divmod(r, len(vals))
            attrs.append(attribute(typ, vals[vi]))
        if subsets:
            k = bisect.bisect_right(cum, r)
            r -= cum[k - 1] if k else 0
            for typ, vals in subsets[k]:
                r, vi = divmod(r, len(vals))
                attrs.append(attribute(typ, vals[vi]))
        if not check or len(attrs) < 2 or not breaks(attrs, check):
            return scene_object(concepts[ci], tuple(attrs))


def exclusion_check(tables: Tables) -> dict:
    """The side index of the attribute exclusions in force (:func:`..exclusions.side_index`), empty where there
    are none; built once per sampler."""
    hit = tables.exclusion_check
    if hit is None:
        hit = tables.exclusion_check = side_index(tables.law.model.exclusions)
    return hit


def draw_atom_predicate(tables: Tables, mask: int, rnd) -> str:
    """A predicate uniformly among those of one predicate atom (a mask over the domain's predicates)."""
    key = ("atom", mask)
    preds = tables.predicate_choices.get(key)
    if preds is None:
        preds = tables.predicate_choices[key] = tables.law.domain.mask_predicates(mask)
    return preds[rnd.randrange(len(preds))]


def draw_predicate(tables: Tables, l1: int, l2: int, length: int, rnd, restrict: tuple = ()) -> str:
    """A predicate for an edge cycle of ``length`` between labels ``l1`` and ``l2`` (∝ its weight)."""
    key = (l1, l2, length, restrict)
    hit = tables.predicate_choices.get(key)
    if hit is None:
        law = tables.law
        opts = law.model.edge_atom_weights(l1, l2, length, restrict)
        preds = [law.domain.mask_predicates(m) for m, _, _ in opts]
        cat = IntCategorical(scaled_ints([cnt * w for _, cnt, w in opts])) if len(opts) > 1 else None
        hit = tables.predicate_choices[key] = (preds, cat)
    preds, cat = hit
    lst = preds[pick(cat, rnd)] if cat is not None else preds[0]
    return lst[rnd.randrange(len(lst))]
