"""Batched predicate draws: one predicate per request of an edge cycle, by label pair, length and restriction.

A request is ``(l1, l2, length, restriction)``: the labels at the edge cycle's
ends, its length, and the id of a marked pattern's restriction of its predicates
(0: none).  Its predicate is drawn ∝ the weight of the edge atom it belongs to,
uniformly within the atom.  Requests are grouped by key (:func:`.groups.group_by`)
and all groups drawn by one numpy call with one bound per request (the same
stream as one draw per group in key order) and one ``searchsorted`` over the
groups' cumulative tables, each shifted above the previous groups' totals.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ...errors import GasError
from ..exact_random import IntCategorical
from .groups import group_by
from .law import scaled_ints
from .tables import Tables

__all__ = ["draw_predicates", "restriction_id"]


class PredicateTable(NamedTuple):
    names: list  # every predicate of every allowed atom
    cat: IntCategorical  # over ``names``
    bound: int | None  # the bound of the batched draw (None: its top bits may not decide, per-group draws)
    flat_total: int  # the total of its cumulative table in the batched search


def restriction_id(tables: Tables, restrict: tuple) -> int:
    """A small integer per edge restriction (marked edge patterns), for grouping predicate requests."""
    r = tables.restriction_ids.get(restrict)
    if r is None:
        r = tables.restriction_ids[restrict] = len(tables.restrictions)
        tables.restrictions.append(restrict)
        if r >= 4096:
            raise GasError("too many distinct marked edge restrictions")
    return r


def predicate_table(tables: Tables, key: tuple) -> PredicateTable:
    t = tables.predicate_tables.get(key)
    if t is not None:
        return t
    l1, l2, length, r = key
    law = tables.law
    # the table is a function of what edge_atom_weights reads: the classes' allowed predicates, and where edge
    # patterns or a marked restriction apply, the labels' pattern bits, the length and the restriction; many
    # label pairs share it (the same table, the same draws)
    model = law.model
    lb1, lb2 = model.labels[l1], model.labels[l2]
    classes = law.domain.classes
    made_of = classes[lb1.cls].subject_mask & classes[lb2.cls].object_mask
    if model.forbid_edges or model.soft_edges or r:
        made_of = (made_of, lb1.bits, lb2.bits, length, r)
    t = tables.predicate_tables_by_mask.get(made_of)
    if t is None:
        t = tables.predicate_tables_by_mask[made_of] = _predicate_table(tables, key)
    tables.predicate_tables[key] = t
    return t


def _predicate_table(tables: Tables, key: tuple) -> PredicateTable:
    l1, l2, length, r = key
    law = tables.law
    opts = law.model.edge_atom_weights(l1, l2, length, tables.restrictions[r])
    names, weights = [], []
    for (mask, _, _), w in zip(opts, scaled_ints([w for _, _, w in opts])):
        for pname in law.domain.mask_predicates(mask):
            names.append(pname)
            weights.append(w)
    cat = IntCategorical(weights)
    if cat.n == 1:  # no draw (a bound of 1 draws nothing either); any positive total keeps r = 0 inside
        t = PredicateTable(names, cat, 1, int(cat.cq[-1]))
    elif cat.shift:
        t = PredicateTable(names, cat, None, 0)
    else:
        t = PredicateTable(names, cat, cat.total, cat.total)
    return t


def draw_predicates(tables: Tables, l1: np.ndarray, l2: np.ndarray, length: np.ndarray, restriction: np.ndarray,
                    rng) -> list:
    """A predicate name per request, in request order."""
    n = len(l1)
    if not n:
        return []
    groups = group_by(l1, l2, length, restriction)
    bounds, offs, cqs, lens, names_all = [], [], [], [], []
    off = 0
    for key in groups.keys:
        t = predicate_table(tables, key)
        if t.bound is None or off + t.flat_total >= 1 << 62:
            return _draw_by_group(tables, groups, rng)
        bounds.append(t.bound)
        offs.append(off)
        cqs.append(t.cat.cq)
        lens.append(len(t.names))
        names_all += t.names
        off += t.flat_total
    offs_a = np.array(offs, dtype=np.int64)
    cnt = groups.sizes()
    r = rng.integers(0, np.repeat(np.array(bounds, dtype=np.int64), cnt))
    flat = np.concatenate(cqs) + np.repeat(offs_a, lens)
    idx = np.empty(n, dtype=np.int64)
    idx[groups.order] = np.searchsorted(flat, r + np.repeat(offs_a, cnt), side="right")
    return [names_all[x] for x in idx.tolist()]


def _draw_by_group(tables: Tables, groups, rng) -> list:
    """:func:`draw_predicates` one group at a time (any table; ambiguous top bits resolved exactly)."""
    out: list = [None] * len(groups.order)
    for key, sel in groups.items():
        t = predicate_table(tables, key)
        for i, x in zip(sel.tolist(), t.cat.draw(rng, len(sel)).tolist()):
            out[i] = t.names[x]
    return out
