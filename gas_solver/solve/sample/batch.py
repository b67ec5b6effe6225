"""The production draws: a batch of scenes with numpy, every choice an exact integer draw.

A batch follows the law of :mod:`.scalar` in bulk: structures for every scene,
then per structure the automorphisms (:mod:`.automorphism`), per automorphism
the marked matches and the labels of each quotient component (backward sampling,
vectorised over the scenes of the group), then objects (:mod:`.objects`),
predicates (:mod:`.predicates`) and scene attributes for the whole batch.
Python only assembles the Scene values.
"""

from __future__ import annotations

import itertools
import random
from typing import NamedTuple

import numpy as np

from ...scene import assemble_scenes
from ..exact_random import RowCategorical
from ..lumps import StepFactors
from .automorphism import draw_automorphisms
from .fill import Plan, fill_of, marked_plans, plan_of
from .groups import group_by
from .law import StructureChoice
from .objects import draw_objects
from .predicates import draw_predicates, restriction_id
from .scalar import draw_scene_attributes
from .tables import Tables, categorical
from .values import add_relation, relations_at, scene_attribute

__all__ = ["draw_batch", "BatchGroup", "structure_groups", "finish_batch", "scene_attributes_of"]


class BatchGroup(NamedTuple):
    """Scenes of a batch drawn with one plan: their positions, and their labels per vertex cycle."""

    positions: np.ndarray
    plan: Plan
    labels: np.ndarray  # (scenes, vertex cycles)


def draw_batch(tables: Tables, rng: np.random.Generator, size: int, choice: StructureChoice | None = None, *,
               with_labels: bool = False, marked: bool = False):
    """``size`` scenes drawn with ``rng``.

    ``choice`` chooses the structures (default: the law's); with ``with_labels`` the vertex
    labels of every scene come back too (for the global constraints' checks), and fills are not
    checked for their acceptance rate (the caller rejects).
    """
    cat, keep = tables.law.choice if choice is None else choice
    groups = []
    for k, pos in group_by(cat.draw(rng, size)).items():
        groups.extend(structure_groups(tables, fill_of(tables, keep[k], check=not with_labels), pos, rng, marked))
    out = finish_batch(tables, groups, size, rng, lambda: scene_attributes_of(tables, rng, size))
    if with_labels:
        labels: list = [None] * size
        for sel, plan, labs in groups:
            for p, row in zip(sel.tolist(), labs[:, plan.where].tolist()):
                labels[p] = row
        return out, labels
    return out


def structure_groups(tables: Tables, fill, pos: np.ndarray, rng, marked: bool = False) -> list[BatchGroup]:
    """The automorphisms and vertex labels of the scenes at ``pos``, all on ``fill``'s structure."""
    groups = []
    for g, sel_g in draw_automorphisms(fill.choice, rng, pos):
        if marked:  # a marked match of every required pattern, ∝ weight (see .fill)
            mp = marked_plans(tables, fill, g)
            choices = [(sel_g[sel], mp.plans[m]) for m, sel in group_by(mp.cat.draw(rng, len(sel_g))).items()]
        else:
            choices = [(sel_g, plan_of(tables, fill, g))]
        for sel, plan in choices:
            k = len(sel)
            labs = np.empty((k, len(plan.vertex_keys)), dtype=np.int64)
            for comp in plan.components:
                steps = _step_tables(tables, comp)
                if len(steps) == 1 and not steps[0][2]:  # one vertex cycle, no neighbour: one draw, in place
                    labs[:, comp.cycles[steps[0][1]]] = steps[0][3].draw(rng, k)
                else:
                    labs[:, list(comp.cycles)] = _component_labels(tables, comp, k, rng)
            groups.append(BatchGroup(sel, plan, labs))
    return groups


def finish_batch(tables: Tables, groups: list, size: int, rng, scene_attributes) -> list:
    """The ``size`` scenes of labelled ``groups`` (their positions cover ``range(size)``): objects, then
    predicates, then ``scene_attributes()`` (one tuple per position), assembled."""
    objects = _objects(tables, groups, rng)
    preds = _predicates(tables, groups, rng)
    sattrs = scene_attributes()
    modality = tables.law.spec.bounds.modality
    out: list = [None] * size
    oi = pi = 0
    for sel, plan, _ in groups:
        k = len(sel)
        nv, ne = len(plan.vertex_keys), len(plan.edge_cycles)
        cyc_objs = [objects[oi + c * k: oi + (c + 1) * k] for c in range(nv)]
        oi += k * nv
        cyc_preds = [preds[pi + e * k: pi + (e + 1) * k] for e in range(ne)]
        pi += k * ne
        # edges in (subject, object) order, so relation tuples come out sorted
        order = sorted((u, v, e) for e, (_, _, _, orbit) in enumerate(plan.edge_cycles) for u, v in orbit)
        rows_objs = zip(*[cyc_objs[w] for w in plan.where])  # one tuple of objects per scene, built in C
        if order:
            rel_cols = []
            for u, v, e in order:
                rels_uv = relations_at(u, v)
                rel_cols.append([rels_uv.get(pred) or add_relation(rels_uv, u, v, pred) for pred in cyc_preds[e]])
            rows_rels = zip(*rel_cols)
        else:
            rows_rels = itertools.repeat(())
        assemble_scenes(out, sel.tolist(), rows_objs, rows_rels, sattrs, modality)
    return out


def _component_labels(tables: Tables, comp, k: int, rng) -> np.ndarray:
    """Labels of one quotient component for ``k`` scenes: its elimination steps in sampling order."""
    key = comp.key
    vals = np.zeros((k, len(key[0])), dtype=np.int64)
    for si, v, nbrs, table in _step_tables(tables, comp):
        if not nbrs:
            vals[:, v] = table.draw(rng, k)
        elif len(nbrs) == 1:
            vals[:, v] = table.draw(rng, vals[:, nbrs[0]])
        else:  # two or more conditioning variables (cycles in the quotient): one table per value tuple
            factors = table
            cond = vals[:, list(nbrs)]
            uniq, inv = np.unique(cond, axis=0, return_inverse=True)
            inv = inv.reshape(-1)
            lumped = isinstance(factors, StepFactors)
            for j, row in enumerate(uniq.tolist()):
                sel = (inv == j).nonzero()[0]
                # over lumps, value tuples in the same lumps have the same table: one per lump tuple
                tkey = ("lumps", key, si, tuple(factors.of[row].tolist())) if lumped else (key, si, tuple(row))
                cat = categorical(tables, tkey, factors, v, dict(zip(nbrs, row)))
                vals[sel, v] = cat.draw(rng, len(sel))
    return vals


def _step_tables(tables: Tables, comp) -> list:
    """Per elimination step of ``comp``: ``(index, variable, neighbours, table)``, the table its draws read (an
    IntCategorical without neighbours, a RowCategorical by the one neighbour's value), or its factors where it
    has several neighbours.  Built once per component (the same tables, under the same keys, as a lookup per
    step and draw would find: looking them up hashes the component's key at every step of every batch)."""
    hit = tables.step_tables.get(id(comp))
    if hit is not None and hit[0] is comp:
        return hit[1]
    key = comp.key
    out = []
    for si, v, nbrs, factors in comp.steps:
        if not nbrs:
            table = categorical(tables, (key, si, ()), factors, v, {})
        elif len(nbrs) == 1:
            tkey = ("rows", key, si)
            table = tables.categoricals.get(tkey)
            if table is None:
                if isinstance(factors, StepFactors):  # one row per lump of the neighbour (.lumps)
                    table = _LumpRows(RowCategorical(factors.rows(v, nbrs[0])), factors.of)
                else:
                    table = RowCategorical(_conditional_table(factors, v, nbrs[0]))
                tables.categoricals[tkey] = table
        else:
            table = factors
        out.append((si, v, nbrs, table))
    tables.step_tables[id(comp)] = (comp, out)  # (the component kept: its id is never reused meanwhile)
    return out


class _LumpRows:
    """A :class:`RowCategorical` with one row per lump of the conditioning variable, drawn by its labels' lumps
    (the rows of a lump's labels are equal: the same draws as one row per label)."""

    __slots__ = ("table", "of")

    def __init__(self, table: RowCategorical, of: np.ndarray):
        self.table = table
        self.of = of

    def draw(self, rng, rows: np.ndarray) -> np.ndarray:
        return self.table.draw(rng, self.of[rows])


def _conditional_table(factors, v: int, u: int):
    """``step_weights(factors, v, {u: x})`` for every value ``x`` of ``u`` (rows), as one broadcast product:
    the same integers, multiplied in the same order; an int64 array where they fit (RowCategorical builds its
    tables from it without a Python integer per entry), else lists of Python integers."""
    w = None
    for scope, f in factors:
        if f.dtype != object:  # an int64 message (burnside.contract): its products as Python integers
            f = f.astype(object)
        col = f[None, :] if scope == (v,) else f if scope == (u, v) else f.T
        w = col if w is None else w * col
    try:
        return np.asarray(w, dtype=np.int64)
    except OverflowError:  # an entry beyond int64
        return w.tolist()


def _objects(tables: Tables, groups: list, rng) -> list:
    """Every object request of the batch (group by group, vertex cycle by cycle), drawn at once."""
    labs, slots, lens = [], [], []
    for sel, plan, glabs in groups:
        for c, (s, _) in enumerate(plan.vertex_keys):
            labs.append(glabs[:, c])
            slots.append(s)
            lens.append(len(sel))
    return draw_objects(tables, np.concatenate(labs), np.repeat(np.array(slots, dtype=np.int64), lens), rng)


def _predicates(tables: Tables, groups: list, rng) -> list:
    """Every predicate request of the batch (group by group, edge cycle by edge cycle), drawn at once."""
    l1, l2, length, restriction, lens = [], [], [], [], []
    for sel, plan, glabs in groups:
        for e, (i, j, L, _) in enumerate(plan.edge_cycles):
            l1.append(glabs[:, i])
            l2.append(glabs[:, j])
            length.append(L)
            restriction.append(restriction_id(tables, plan.restrictions.get(e, ())))
            lens.append(len(sel))
    if not l1:
        return []
    return draw_predicates(tables, np.concatenate(l1), np.concatenate(l2),
                           np.repeat(np.array(length, dtype=np.int64), lens),
                           np.repeat(np.array(restriction, dtype=np.int64), lens), rng)


class _SceneAttributeArrays(NamedTuple):
    lengths: np.ndarray  # types per combination
    types: np.ndarray  # (combination, column): the type index
    radix: np.ndarray  # (combination, column): the type's number of values (1 past its types)
    flat: list  # every SceneAttribute value, type after type
    first: np.ndarray  # (combination, column): index in ``flat`` of the type's first value


def scene_attributes_of(tables: Tables, rng, size: int) -> list:
    """``size`` scene-attribute tuples of the law of ``tables``."""
    choice = tables.law.scene_attributes
    if choice is None:
        return [()] * size
    opts, combos, cat = choice
    if not opts:  # no scene-attribute types in the space: every scene has none (the tables below need one)
        return [()] * size
    arrays = tables.scene_attribute_arrays
    if arrays is None:
        width = max(max((len(c) for c in combos), default=0), 1)
        types = np.zeros((len(combos), width), dtype=np.int64)
        radix = np.ones((len(combos), width), dtype=np.int64)
        for k, c in enumerate(combos):
            for j, i in enumerate(c):
                types[k, j] = i
                radix[k, j] = len(opts[i][1])
        objs = [[scene_attribute(tid, v) for v in vals] for tid, vals in opts]
        flat = [a for vals in objs for a in vals]
        starts = np.array([0] + list(itertools.accumulate(len(v) for v in objs))[:-1], dtype=np.int64)
        arrays = tables.scene_attribute_arrays = _SceneAttributeArrays(np.array([len(c) for c in combos]), types,
                                                                       radix, flat, starts[types])
    lens, types, radix, flat, first = arrays
    if cat.total >= 1 << 62:
        rnd = random.Random(int(rng.integers(0, 1 << 62)))
        return [draw_scene_attributes(tables, rnd) for _ in range(size)]
    picks = cat.draw(rng, size)
    # values: a uniform integer below the product of the chosen types' value counts, in mixed radix
    rad = radix[picks]
    r = rng.integers(0, np.prod(rad, axis=1))
    at = first[picks]  # index in ``flat`` of each column's type's first value
    cols = []
    for j in range(types.shape[1]):
        r, v = np.divmod(r, rad[:, j])
        cols.append([flat[x] for x in (at[:, j] + v).tolist()])
    # one tuple per scene built by zip in C; combinations with fewer types than columns are cut
    out = list(zip(*cols))
    ln = lens[picks]
    for q in np.flatnonzero(ln < len(cols)).tolist():
        out[q] = out[q][:ln[q]]
    return out
