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

import itertools
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


#: label models up to this many labels index their predicate tables by label pair (an int64 per pair)
PAIR_LABELS = 1024


class PairTables:
    """Every predicate table met so far, indexed by label pair, for files whose predicate draws depend on the
    label pair alone (no edge pattern or soft edge rule, no marked restriction): per pair its table's number
    (``tid``, -1 where not met yet), per table its draw's bound (-1: per-group draws) and total, and one sorted
    table of every table's cumulative sums, table ``t`` shifted above the totals of the tables before it, so
    that a request's predicate is one ``searchsorted`` whatever its group."""

    def __init__(self, labels: int):
        self.M = labels
        self.tid = np.full(labels * labels, -1, dtype=np.int64)
        self.number: dict = {}  # id(PredicateTable) -> its number
        self.tables: list = []
        self.bound = np.empty(0, dtype=np.int64)
        self.total = np.empty(0, dtype=np.int64)
        self.base = np.empty(0, dtype=np.int64)
        self.flat = np.empty(0, dtype=np.int64)
        self.names: list = []
        self.fits = True  # every table's total, summed, below 2**62 (else the per-group path)

    def add(self, pairs: np.ndarray, tables_met: list) -> None:
        """Number the tables of new label pairs (``pairs``: ``l1 * M + l2``) and extend the arrays."""
        fresh = []
        for code, t in zip(pairs.tolist(), tables_met):
            k = self.number.get(id(t))
            if k is None:
                k = self.number[id(t)] = len(self.tables)
                self.tables.append(t)
                fresh.append(t)
            self.tid[code] = k
        if not fresh:
            return
        start = int(self.base[-1] + self.total[-1]) if len(self.tables) > len(fresh) else 0
        totals = [t.flat_total for t in fresh]
        if start + sum(totals) >= 1 << 62:
            self.fits = False
            return
        bases = list(itertools.accumulate(totals, initial=start))[:-1]
        self.bound = np.concatenate([self.bound, np.array([-1 if t.bound is None else t.bound for t in fresh],
                                                          dtype=np.int64)])
        self.total = np.concatenate([self.total, np.array(totals, dtype=np.int64)])
        self.base = np.concatenate([self.base, np.array(bases, dtype=np.int64)])
        self.flat = np.concatenate([self.flat] + [t.cat.cq + b for t, b in zip(fresh, bases)])
        for t in fresh:
            self.names += t.names


def _pair_tables(tables: Tables, restriction: np.ndarray) -> PairTables | None:
    """The label-pair index of ``tables`` where the predicate tables depend on the label pair alone."""
    pt = tables.pair_predicates
    if pt is None:
        model = tables.law.model
        if model.forbid_edges or model.soft_edges or model.M > PAIR_LABELS:
            return None
        pt = tables.pair_predicates = PairTables(model.M)
    if not pt.fits or restriction.any():
        return None
    return pt


def _draw_by_pair(tables: Tables, pt: PairTables, groups, l1: np.ndarray, l2: np.ndarray, length: np.ndarray,
                  rng) -> list | None:
    """:func:`draw_predicates` through the label-pair index: the same bounds in the same order, so the same
    random integers, and each request's predicate at the same place of its table (None: the per-group path
    decides, as it would have without the index)."""
    starts = groups.order[groups.cuts[:-1]]
    codes = l1[starts] * pt.M + l2[starts]
    tid = pt.tid[codes]
    new = np.flatnonzero(tid < 0)
    if len(new):
        s = starts[new]
        met = [predicate_table(tables, key) for key in zip(l1[s].tolist(), l2[s].tolist(), length[s].tolist(),
                                                          [0] * len(s))]
        pt.add(codes[new], met)
        if not pt.fits:
            return None
        tid = pt.tid[codes]
    bounds = pt.bound[tid]
    # the per-group draws' condition: a table whose top bits may not decide, or the groups' totals >= 2**62
    if (bounds < 0).any():
        return None
    if float(pt.total[tid].sum(dtype=np.float64)) >= 2.0 ** 61 and sum(pt.total[tid].tolist()) >= 1 << 62:
        return None
    cnt = groups.sizes()
    r = rng.integers(0, np.repeat(bounds, cnt))
    idx = np.empty(len(l1), dtype=np.int64)
    idx[groups.order] = np.searchsorted(pt.flat, r + np.repeat(pt.base[tid], cnt), side="right")
    names = pt.names
    return [names[x] for x in idx.tolist()]


def draw_predicates(tables: Tables, l1: np.ndarray, l2: np.ndarray, length: np.ndarray, restriction: np.ndarray,
                    rng) -> list:
    """A predicate name per request, in request order."""
    n = len(l1)
    if not n:
        return []
    groups = group_by(l1, l2, length, restriction)
    pt = _pair_tables(tables, restriction)
    if pt is not None:
        out = _draw_by_pair(tables, pt, groups, l1, l2, length, rng)
        if out is not None:
            return out
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
