"""Batched object draws: a uniform (concept, attribute set) per request of a vertex label and a slot count.

Each request's choice is one exact integer below its label's number of
choices, decoded in mixed radix: the concept, a value per present attribute
type, then the subset of free types (by cumulative weight) and a value of each.
Requests are grouped by ``(label, slots)`` (:func:`.groups.group_by`); the
integers of all groups come from one numpy call with one bound per request,
the same stream as one call per group in key order.
"""

from __future__ import annotations

import itertools
import math
import random
from typing import NamedTuple

import numpy as np

from ...scene import SceneObject, assemble_objects
from .groups import group_by
from .scalar import draw_object, exclusion_check
from .tables import Tables
from .values import attribute
from ..exclusions import breaks

__all__ = ["draw_objects"]

#: present (and free) attribute types per object that the vectorised decoding handles
MAX_TYPES = 8


class ObjectTable(NamedTuple):
    """The choices of one ``(label, slots)``, with the attribute values built."""

    total: int  # choices (2**62 or more: exact Python draws)
    concepts: list
    present: list  # per present type: its Attribute values
    cum: np.ndarray | None  # cumulative weights of the free-type subsets (None: no free types drawn)
    prev: np.ndarray | None  # the same shifted by one (each subset's first integer)
    subset_types: np.ndarray | None  # per subset: the free types' indices
    free_counts: np.ndarray  # per free type: its number of values
    free: list  # per free type: its Attribute values


class ObjectPlan(NamedTuple):
    """An :class:`ObjectTable` in the global index form of the batched decoding (radix 1: nothing to decode)."""

    total: int
    n_concepts: int
    concept_start: int  # index of its first concept in ``Tables.concept_names``
    present_counts: list  # MAX_TYPES radices of the present types
    present_starts: list  # index of each present type's first value in ``Tables.attribute_values``
    n_present: int
    n_free: int  # free types drawn per object
    cum: np.ndarray
    prev: np.ndarray
    subset_counts: np.ndarray  # per subset, MAX_TYPES radices
    subset_starts: np.ndarray  # per subset, each type's first value index
    free_total: int


def object_table(tables: Tables, lab: int, slots: int) -> ObjectTable:
    hit = tables.object_tables.get((lab, slots))
    if hit is None:
        law = tables.law
        lb = law.model.labels[lab]
        concepts = law.domain.classes[lb.cls].concepts
        present = [_attributes(tables, t, vals) for t, vals in lb.present]
        free = [_attributes(tables, t, vals) for t, vals in lb.free]
        kf = slots - len(lb.present)
        cum = prev = subset_types = None
        free_counts = np.array([len(v) for _, v in lb.free], dtype=np.int64)
        free_total = 1
        if kf > 0:
            combos = list(itertools.combinations(range(len(lb.free)), kf))
            w = [math.prod(int(free_counts[i]) for i in c) for c in combos]
            free_total = sum(w)
            acc = list(itertools.accumulate(w))
            if free_total < 1 << 62:
                cum = np.array(acc, dtype=np.int64)
                prev = np.concatenate([[0], cum[:-1]])
                subset_types = np.array(combos, dtype=np.int64).reshape(len(combos), kf)
        total = len(concepts) * lb.mult * free_total
        if kf > 0 and cum is None:
            total = 1 << 62  # force the exact Python path
        hit = tables.object_tables[(lab, slots)] = ObjectTable(total, concepts, present, cum, prev, subset_types,
                                                               free_counts, free)
    return hit


def _attributes(tables: Tables, t: str, vals: tuple) -> list:
    """The Attribute values of type ``t`` in ``vals`` (one list per value set: labels share them)."""
    hit = tables.attribute_lists.get((t, vals))
    if hit is None:
        hit = tables.attribute_lists[(t, vals)] = [attribute(t, v) for v in vals]
    return hit


def object_plan(tables: Tables, lab: int, slots: int) -> ObjectPlan | None:
    """The plan of ``(lab, slots)`` (cached), or None where the batched decoding cannot take it."""
    key = (lab, slots)
    if key in tables.object_plans:
        return tables.object_plans[key]
    t = object_table(tables, lab, slots)
    kf = 0 if t.cum is None else t.subset_types.shape[1]
    plan = None
    if t.total < 1 << 62 and len(t.present) <= MAX_TYPES and kf <= MAX_TYPES:
        names, attrs = tables.concept_names, tables.attribute_values
        cstart = len(names)
        names.extend(t.concepts)
        if t.present or kf:
            tables.bare_objects.extend([None] * len(t.concepts))
        else:
            tables.bare_objects.extend([SceneObject(c, ()) for c in t.concepts])
        pcnt, pstart = [1] * MAX_TYPES, [0] * MAX_TYPES  # a radix of 1 decodes nothing (value 0, the None at 0)
        for j, vals in enumerate(t.present):
            pcnt[j] = len(vals)
            pstart[j] = len(attrs)
            attrs.extend(vals)
        fstart = []
        for vals in t.free:
            fstart.append(len(attrs))
            attrs.extend(vals)
        subcnt = np.ones((1 if t.cum is None else len(t.cum), MAX_TYPES), dtype=np.int64)
        substart = np.zeros_like(subcnt)
        if t.cum is None:  # no free types: r is 0 here, and a table [1] finds subset 0 of no types
            cum, prev, ftot = np.ones(1, dtype=np.int64), np.zeros(1, dtype=np.int64), 1
        else:
            subcnt[:, :kf] = t.free_counts[t.subset_types]
            substart[:, :kf] = np.array(fstart, dtype=np.int64)[t.subset_types]
            cum, prev, ftot = t.cum, t.prev, int(t.cum[-1])
        plan = ObjectPlan(t.total, len(t.concepts), cstart, pcnt, pstart, len(t.present), kf, cum, prev, subcnt,
                          substart, ftot)
    tables.object_plans[key] = plan
    return plan


def draw_objects(tables: Tables, labs: np.ndarray, slots: np.ndarray, rng) -> list:
    """One SceneObject per request ``(labs[i], slots[i])``, in request order: uniform among the label's
    (concept, attribute set) choices that break no attribute exclusion.

    The choices of a label are a product (:func:`_draw_objects_once`); where the taxonomy excludes pairs of
    values on one object, the requests whose draw breaks a rule are drawn again, from the same stream, until
    none does: rejection from the uniform law of the product onto its allowed part is uniform on that part.
    """
    out = _draw_objects_once(tables, labs, slots, rng)
    index = exclusion_check(tables)
    if not index:
        return out
    todo = (slots > 1).nonzero()[0].tolist()  # one attribute breaks no rule
    while todo:
        bad = [i for i in todo if breaks(out[i].attributes, index)]
        if not bad:
            break
        sel = np.array(bad, dtype=np.int64)
        for i, o in zip(bad, _draw_objects_once(tables, labs[sel], slots[sel], rng)):
            out[i] = o
        todo = bad
    return out


def _draw_objects_once(tables: Tables, labs: np.ndarray, slots: np.ndarray, rng) -> list:
    """One SceneObject per request ``(labs[i], slots[i])``, in request order, uniform over the label's product
    of choices (exclusions not applied).

    All groups are decoded at once: per-request radices (1 where a group has fewer types), and
    one searchsorted of the free-type subsets over every group's cumulative table, each shifted
    above the previous groups' totals.  Groups beyond int64 (or with more than
    :data:`MAX_TYPES` types of a kind) take :func:`_draw_objects_by_group` for the whole batch.
    """
    n = len(labs)
    if not n:
        return []
    groups = group_by(labs, slots)
    cnt = groups.sizes()
    index = _plan_index(tables, groups, labs, slots)
    if index is not None:  # every group's plan by number: the per-group lists below as array lookups
        plans, pid = index
        pi = tables.plan_index

        def column(arr: np.ndarray) -> np.ndarray:  # one value (row) per request
            return arr[pid].repeat(cnt, axis=0)

        r = rng.integers(0, column(pi.total))
        r, ci = np.divmod(r, column(pi.n_concepts))
        name_idx = ci + column(pi.concept_start)
        maxp, maxf = int(pi.n_present[pid].max()), int(pi.n_free[pid].max())
        cols = []
        if maxp:
            pc, ps = column(pi.present_counts), column(pi.present_starts)
            for j in range(maxp):
                r, vi = np.divmod(r, pc[:, j])
                cols.append(vi + ps[:, j])
        if maxf:  # every plan's cumulative table, shifted above the plans' totals before it: one search
            si = pi.flat.searchsorted(r + column(pi.base), side="right")
            r = r - pi.prev[si]
            sc, ss = pi.subset_counts[si], pi.subset_starts[si]
            for j in range(maxf):
                r, vi = np.divmod(r, sc[:, j])
                cols.append(vi + ss[:, j])
        return _assemble(tables, groups, plans, name_idx, cols, maxp, n)
    plans = []
    off = 0
    for lab, sl in groups.keys:
        t = object_plan(tables, lab, sl)
        if t is None or off + t.free_total >= 1 << 62:
            return _draw_objects_by_group(tables, groups, rng)
        plans.append(t)
        off += t.free_total

    def column(field: str) -> np.ndarray:  # one value per request
        return np.repeat(np.array([getattr(p, field) for p in plans], dtype=np.int64), cnt, axis=0)

    r = rng.integers(0, column("total"))
    r, ci = np.divmod(r, column("n_concepts"))
    name_idx = ci + column("concept_start")
    maxp = max(p.n_present for p in plans)
    maxf = max(p.n_free for p in plans)
    cols = []
    if maxp:
        pc, ps = column("present_counts"), column("present_starts")
        for j in range(maxp):
            r, vi = np.divmod(r, pc[:, j])
            cols.append(vi + ps[:, j])
    if maxf:
        offs = np.array(list(itertools.accumulate([p.free_total for p in plans], initial=0))[:-1], dtype=np.int64)
        flat = np.concatenate([p.cum for p in plans]) + np.repeat(offs, [len(p.cum) for p in plans])
        si = np.searchsorted(flat, r + np.repeat(offs, cnt), side="right")
        r = r - np.concatenate([p.prev for p in plans])[si]
        sc = np.concatenate([p.subset_counts for p in plans])[si]
        ss = np.concatenate([p.subset_starts for p in plans])[si]
        for j in range(maxf):
            r, vi = np.divmod(r, sc[:, j])
            cols.append(vi + ss[:, j])
    return _assemble(tables, groups, plans, name_idx, cols, maxp, n)


def _assemble(tables: Tables, groups, plans: list, name_idx: np.ndarray, cols: list, maxp: int, n: int) -> list:
    """The SceneObjects of decoded requests (concept index, attribute value indices per column), in request
    order."""
    # the global lists as object arrays (rebuilt when plans were added): a take and a tolist per
    # column copy references in C, with no Python int per index
    arrs = tables.value_arrays
    if len(arrs[0]) != len(tables.concept_names) or len(arrs[1]) != len(tables.attribute_values):
        # the lists only grow: the arrays take the new entries (copying references, not rebuilding from lists)
        arrs = tables.value_arrays = tuple(
            np.concatenate([np.asarray(arr, dtype=object),
                            np.fromiter(lst[len(arr):], dtype=object, count=len(lst) - len(arr))])
            for arr, lst in zip(arrs, (tables.concept_names, tables.attribute_values, tables.bare_objects)))
    names_arr, attrs_arr, bare_arr = arrs
    acols = [attrs_arr[c].tolist() for c in cols]
    rows: list = []
    cuts = groups.cuts
    for g, p in enumerate(plans):
        a, b = cuts[g], cuts[g + 1]
        np_, kf = p.n_present, p.n_free
        if not np_ and not kf:
            rows += [()] * (b - a)
            continue
        used = [c[a:b] for c in acols[:np_]] + [c[a:b] for c in acols[maxp:maxp + kf]]
        if np_ and kf:  # constrained and free types interleave: sort
            rows += [tuple(sorted(x)) for x in zip(*used)]
        else:  # present-only or free-only attributes come sorted by type already
            rows += zip(*used)
    # objects come in key order: back to request order (out[order[k]] = objs[k])
    inv = np.empty(n, dtype=np.int64)
    inv[groups.order] = np.arange(n, dtype=np.int64)
    return assemble_objects(names_arr[name_idx].tolist(), bare_arr[name_idx].tolist(), rows, inv.tolist())


#: slot counts per object that the plan index takes (a request with more goes the per-group way)
SLOT_RADIX = 32


class PlanIndex:
    """Every object plan met so far, numbered by ``(label, slots)`` (``pid``: -1 not met, -2 no plan), with
    its fields as arrays (a row per plan) and one sorted table of every plan's cumulative free-subset weights,
    plan ``p`` shifted above the totals of the plans before it (``base``).  ``fits``: those totals sum below
    2**62 (else the per-group lists)."""

    def __init__(self, labels: int):
        self.pid = np.full(labels * SLOT_RADIX, -1, dtype=np.int64)
        self.plans: list = []
        self.fits = True
        self.total = self.n_concepts = self.concept_start = self.n_present = self.n_free = \
            self.base = np.empty(0, dtype=np.int64)
        self.present_counts = self.present_starts = np.empty((0, MAX_TYPES), dtype=np.int64)
        self.flat = self.prev = np.empty(0, dtype=np.int64)
        self.subset_counts = self.subset_starts = np.empty((0, MAX_TYPES), dtype=np.int64)
        self.end = 0  # the plans' free totals, summed

    def add(self, codes: list, plans: list) -> None:
        fresh = []
        for code, p in zip(codes, plans):
            if p is None:
                self.pid[code] = -2
                continue
            self.pid[code] = len(self.plans)
            self.plans.append(p)
            fresh.append(p)
        if not fresh:
            return
        bases = list(itertools.accumulate([p.free_total for p in fresh], initial=self.end))
        if bases[-1] >= 1 << 62:
            self.fits = False
            return
        self.end = bases[-1]

        def grow(arr, rows):
            return np.concatenate([arr, np.array(rows, dtype=np.int64).reshape((len(rows),) + arr.shape[1:])])

        self.total = grow(self.total, [p.total for p in fresh])
        self.n_concepts = grow(self.n_concepts, [p.n_concepts for p in fresh])
        self.concept_start = grow(self.concept_start, [p.concept_start for p in fresh])
        self.n_present = grow(self.n_present, [p.n_present for p in fresh])
        self.n_free = grow(self.n_free, [p.n_free for p in fresh])
        self.present_counts = grow(self.present_counts, [p.present_counts for p in fresh])
        self.present_starts = grow(self.present_starts, [p.present_starts for p in fresh])
        self.base = grow(self.base, bases[:-1])
        self.flat = np.concatenate([self.flat] + [p.cum + b for p, b in zip(fresh, bases)])
        self.prev = np.concatenate([self.prev] + [p.prev for p in fresh])
        self.subset_counts = np.concatenate([self.subset_counts] + [p.subset_counts for p in fresh])
        self.subset_starts = np.concatenate([self.subset_starts] + [p.subset_starts for p in fresh])


def _plan_index(tables: Tables, groups, labs: np.ndarray, slots: np.ndarray):
    """``(plans, plan numbers)`` of the groups through the plan index, or None where the per-group lists decide
    (a group without a plan, a slot count beyond the index, totals beyond int64)."""
    pi = tables.plan_index
    if pi is None:
        pi = tables.plan_index = PlanIndex(tables.law.model.M)
    if not pi.fits or int(slots.max()) >= SLOT_RADIX:
        return None
    starts = groups.order[groups.cuts[:-1]]
    codes = labs[starts] * SLOT_RADIX + slots[starts]
    pid = pi.pid[codes]
    new = (pid == -1).nonzero()[0]
    if len(new):
        s = starts[new]
        pi.add(codes[new].tolist(), [object_plan(tables, lab, sl) for lab, sl in zip(labs[s].tolist(),
                                                                                    slots[s].tolist())])
        if not pi.fits:
            return None
        pid = pi.pid[codes]
    if (pid < 0).any():
        return None
    plans = pi.plans
    return [plans[k] for k in pid.tolist()], pid


def _draw_objects_by_group(tables: Tables, groups, rng) -> list:
    """:func:`draw_objects` one group at a time (any total, exact Python draws beyond int64)."""
    out: list = [None] * len(groups.order)
    for (lab, sl), sel in groups.items():
        total, concepts, present, cum, prev, subset_types, free_counts, free = object_table(tables, lab, sl)
        m = len(sel)
        if total >= 1 << 62:  # beyond int64: exact Python draws
            rnd = random.Random(int(rng.integers(0, 1 << 62)))
            for i in sel.tolist():
                out[i] = draw_object(tables, lab, sl, rnd)
            continue
        r = rng.integers(0, total, m)
        r, ci = np.divmod(r, len(concepts))
        cols = []
        for attrs in present:
            r, vi = np.divmod(r, len(attrs))
            cols.append([attrs[x] for x in vi.tolist()])
        if cum is not None:
            si = np.searchsorted(cum, r, side="right")
            r = r - prev[si]
            for j in range(subset_types.shape[1]):
                ts = subset_types[si, j]
                r, vi = np.divmod(r, free_counts[ts])
                cols.append([free[a][b] for a, b in zip(ts.tolist(), vi.tolist())])
        names = [concepts[x] for x in ci.tolist()]
        if not cols:
            rows = [()] * m
        elif present and cum is not None:  # constrained and free types interleave: sort
            rows = [tuple(sorted(a)) for a in zip(*cols)]
        else:  # present-only or free-only attributes come sorted by type already
            rows = list(zip(*cols))
        objs = assemble_objects(names, [None] * m, rows, list(range(m)))
        for i, o in zip(sel.tolist(), objs):
            out[i] = o
    return out
