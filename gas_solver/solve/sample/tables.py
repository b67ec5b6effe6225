"""The tables a sampler builds as its draws need them, kept for its lifetime.

Plain memo storage, one dictionary per kind of table; each kind is built by the
module that uses it (:mod:`.fill`, :mod:`.scalar`, :mod:`.batch`,
:mod:`.objects`, :mod:`.predicates`).  Building a table never draws, so the
random stream of a chunk does not depend on which tables exist already.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools

from ..exact_random import IntCategorical
from ..lumps import StepFactors
from .law import Law

__all__ = ["Tables", "categorical", "step_weights", "transient"]


@dataclasses.dataclass
class Tables:
    law: Law
    fills: dict = dataclasses.field(default_factory=dict)  # structure index -> Fill
    categoricals: dict = dataclasses.field(default_factory=dict)  # elimination step and conditioning -> table
    step_tables: dict = dataclasses.field(default_factory=dict)  # id(plan component) -> (it, its steps' tables)
    object_draws: dict = dataclasses.field(default_factory=dict)  # (label, slots) -> scalar.ObjectDraw
    predicate_choices: dict = dataclasses.field(default_factory=dict)  # scalar predicate draws
    object_tables: dict = dataclasses.field(default_factory=dict)  # (label, slots) -> objects.ObjectTable
    object_plans: dict = dataclasses.field(default_factory=dict)  # (label, slots) -> objects.ObjectPlan or None
    attribute_lists: dict = dataclasses.field(default_factory=dict)  # (type, values) -> their Attribute values
    #: the object plans' values by global index: concepts, attribute values (index 0: no value), and the
    #: shared attribute-less object of a concept (else None); ``value_arrays`` the same as numpy object arrays
    concept_names: list = dataclasses.field(default_factory=list)
    attribute_values: list = dataclasses.field(default_factory=lambda: [None])
    bare_objects: list = dataclasses.field(default_factory=list)
    value_arrays: tuple = ((), (), ())
    plan_index: object = None  # the object plans by number (.objects.PlanIndex)
    predicate_tables: dict = dataclasses.field(default_factory=dict)  # (l1, l2, length, restriction) -> table
    #: the same tables by what they are made of (allowed predicates, the labels' pattern bits, length,
    #: restriction): label pairs of classes with the same predicates share one
    predicate_tables_by_mask: dict = dataclasses.field(default_factory=dict)
    #: the predicate tables by label pair where nothing else matters (.predicates.PairTables), or None
    pair_predicates: object = None
    restrictions: list = dataclasses.field(default_factory=lambda: [()])  # marked edge restrictions by id
    restriction_ids: dict = dataclasses.field(default_factory=lambda: {(): 0})
    scene_attribute_arrays: object = None
    #: the side index of the attribute exclusions in force (.scalar.exclusion_check), None before the first draw
    exclusion_check: object = None


@contextlib.contextmanager
def transient(tables: Tables):
    """Drop the structure tables built inside the block when it ends: fills, elimination steps (the
    counting factors' components) and their draw tables.  For laws that meet thousands of structures
    once each (the per-structure law at large complexities): keeping every structure's exact elimination
    for the sampler's life grew past a gigabyte.  Tables of labels (objects, predicates) are kept.  Tables
    never draw, so the draws do not depend on which tables are kept."""
    stores = [tables.fills, tables.categoricals, tables.step_tables, tables.law.factors.components]
    sizes = [len(d) for d in stores]
    try:
        yield tables
    finally:
        for d, n in zip(stores, sizes):  # (dicts keep insertion order: the block's entries come last)
            for key in list(itertools.islice(d, n, None)):
                del d[key]


def step_weights(factors, v: int, at: dict) -> list:
    """The weights of variable ``v`` given the values ``at`` of its neighbours: the product of its factors
    (a list of ``(scope, array)``, or a lumped elimination's :class:`~..lumps.StepFactors`)."""
    if isinstance(factors, StepFactors):
        return factors.weights(v, at)
    w = None
    for scope, f in factors:
        col = f[tuple(slice(None) if u == v else at[u] for u in scope)]
        if col.dtype != object:  # an int64 message (burnside.contract): its products as Python integers
            col = col.astype(object)
        w = col if w is None else w * col
    return w.tolist()


def categorical(tables: Tables, key, factors, v: int, at: dict) -> IntCategorical:
    """The draw of variable ``v`` given ``at`` for elimination step ``key`` (cached)."""
    cat = tables.categoricals.get(key)
    if cat is None:
        cat = tables.categoricals[key] = IntCategorical(step_weights(factors, v, at))
    return cat
