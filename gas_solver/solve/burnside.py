"""Burnside's lemma over structure automorphisms, and variable elimination on quotient graphs.

For a structure ``S`` with automorphism group ``G``, the number of scenes
(orbits of labellings) on ``S`` is ``(1/|G|) Σ_g |Fix(g)|`` (Burnside).  A
labelling fixed by ``g`` is constant on every cycle of ``g`` on the objects
(concept and attribute set) and on every cycle of ``g`` on the edges
(predicate), so ``|Fix(g)|`` is the partition function of the **quotient
graph**: one variable per object cycle, a unary factor per cycle (the vertex
weights of :class:`~gas_solver.solve.labels.LabelModel`), one pairwise factor
per edge cycle.  The quotient splits into connected components whose partition
functions multiply; each is computed once per component shape by variable
elimination and memoised.

Only the structure enters :func:`class_profile` (cached per structure):
automorphisms with the same multiset of component shapes have the same
``|Fix|``.  The sum runs over classes of conjugate automorphisms
(:mod:`.symmetry`: twin classes and cycle types), never over the elements, so
ten interchangeable bare objects cost 42 quotients, not 10! = 3,628,800.

The elimination keeps its intermediate factors, which is what the sampler
needs for backward sampling (forward filtering, backward sampling).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from math import lcm

import numpy as np

from .modular import contract_int
from .symmetry import automorphism_classes

__all__ = ["Quotient", "quotient", "quotient_profile", "class_profile", "automorphism_choices", "LISTED_GROUP_LIMIT",
           "Component", "eliminate", "component_value", "int_scaled"]


@dataclass(frozen=True)
class Quotient:
    """The quotient of a structure by one automorphism ``g``.

    ``vcycles[i]``: the objects of cycle ``i`` (in cycle order); ``vkey[i] = (slots, length)``;
    ``ecycles[j] = (subject cycle, object cycle, length, edges)``; ``components``:
    ``(key, cycle ids in the key's variable order)``.
    """

    g: tuple[int, ...]
    vcycles: tuple[tuple[int, ...], ...]
    vkey: tuple[tuple[int, int], ...]
    ecycles: tuple[tuple[int, int, int, tuple[tuple[int, int], ...]], ...]
    components: tuple[tuple[tuple, tuple[int, ...]], ...]

    @property
    def profile(self) -> tuple:
        return tuple(sorted(k for k, _ in self.components))


def quotient(n: int, attributes, edges, g) -> Quotient:
    """Cycles of ``g`` on objects and edges, and the connected components of the quotient graph.

    >>> q = quotient(2, (0, 0), ((0, 1),), (0, 1))
    >>> q.vkey, [c[:3] for c in q.ecycles]
    (((0, 1), (0, 1)), [(0, 1, 1)])
    """
    cyc = [-1] * n
    vcycles = []
    for v in range(n):
        if cyc[v] < 0:
            c = []
            u = v
            while cyc[u] < 0:
                cyc[u] = len(vcycles)
                c.append(u)
                u = g[u]
            vcycles.append(tuple(c))
    vkey = tuple((attributes[c[0]], len(c)) for c in vcycles)
    seen = set()
    ecycles = []
    for e in edges:
        if e in seen:
            continue
        orbit = []
        u, v = e
        while (u, v) not in seen:
            seen.add((u, v))
            orbit.append((u, v))
            u, v = g[u], g[v]
        ecycles.append((cyc[e[0]], cyc[e[1]], len(orbit), tuple(orbit)))
    # connected components over cycles
    parent = list(range(len(vcycles)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j, _, _ in ecycles:
        parent[find(i)] = find(j)
    comps: dict[int, list[int]] = {}
    for i in range(len(vcycles)):
        comps.setdefault(find(i), []).append(i)
    components = []
    for members in comps.values():
        mset = set(members)
        es = [(i, j, L) for i, j, L, _ in ecycles if i in mset]
        # a deterministic (not necessarily canonical) variable order: equal keys mean equal components
        def sig(i):
            return (vkey[i], sorted((L, vkey[j]) for a, j, L in es if a == i),
                    sorted((L, vkey[a]) for a, j, L in es if j == i))
        order = sorted(members, key=lambda i: (sig(i), i))
        pos = {v: k for k, v in enumerate(order)}
        key = (tuple(vkey[i] for i in order), tuple(sorted((pos[i], pos[j], L) for i, j, L in es)))
        components.append((key, tuple(order)))
    components.sort()
    return Quotient(tuple(g), tuple(vcycles), vkey, tuple(ecycles), tuple(components))


_PROFILE_CACHE: dict = {}


def quotient_profile(structure) -> tuple[tuple[tuple, int, tuple[int, ...]], ...]:
    """``((profile, multiplicity, automorphism indices), ...)`` for one structure (cached).

    ``profile`` is the sorted tuple of component keys; automorphisms with equal
    profiles fix equally many labellings.
    """
    ck = (structure.n, structure.attributes, structure.edges)
    hit = _PROFILE_CACHE.get(ck)
    if hit is not None:
        return hit
    groups: dict[tuple, list[int]] = {}
    for idx, g in enumerate(structure.automorphisms):
        p = quotient(structure.n, structure.attributes, structure.edges, g).profile
        groups.setdefault(p, []).append(idx)
    out = tuple((p, len(ix), tuple(ix)) for p, ix in sorted(groups.items(), key=lambda kv: kv[1][0]))
    _PROFILE_CACHE[ck] = out
    return out


_CLASS_CACHE: dict = {}


def class_profile(structure) -> tuple[tuple[tuple, int], ...]:
    """``((profile, multiplicity), ...)`` for one structure, from its automorphism classes (cached).

    The multiplicities sum to the group order; equal to :func:`quotient_profile`'s up to the
    (non-canonical) component keys, without listing the group.

    >>> from gas_solver.solve.structures import Structure
    >>> [m for _, m in class_profile(Structure(3, (0, 0, 0), ()))]
    [1, 3, 2]
    """
    ck = (structure.n, structure.attributes, structure.edges)
    hit = _CLASS_CACHE.get(ck)
    if hit is not None:
        return hit
    groups: dict[tuple, int] = {}
    for c in automorphism_classes(structure):
        p = quotient(structure.n, structure.attributes, structure.edges, c.rep).profile
        groups[p] = groups.get(p, 0) + c.size
    out = _CLASS_CACHE[ck] = tuple(groups.items())
    return out


#: groups up to this order are listed element by element for the sampler's choice of automorphism
#: (one random draw per element, as the sampler always did: the same bytes); larger ones by classes
LISTED_GROUP_LIMIT = 720


def automorphism_choices(structure, *, by_class: bool = False
                         ) -> tuple[tuple[tuple[int, ...], ...], tuple[tuple[tuple, int, tuple[int, ...]], ...]]:
    """What the sampler chooses an automorphism among: ``(permutations, ((profile, size, indices), ...))``.

    The sampler draws an entry ∝ ``size × |Fix(profile)|``, then one of its ``indices`` uniformly, and
    fills a labelling fixed by that permutation.  Small groups (order <= :data:`LISTED_GROUP_LIMIT`)
    list every element, grouped by profile (``size = len(indices)``).  Larger groups list one
    representative per class of conjugate automorphisms (:mod:`.symmetry`) with the class size as
    ``size`` and a single index: a class is drawn ∝ size × |Fix|, and its representative fills in for a
    uniform member (conjugates fix the same scenes), so every scene keeps exactly the same probability.
    ``by_class``: classes whatever the order (laws with no draws to keep byte for byte).
    """
    if structure.group_order <= LISTED_GROUP_LIMIT and not by_class:
        return structure.automorphisms, quotient_profile(structure)
    classes = automorphism_classes(structure)
    entries = tuple((quotient(structure.n, structure.attributes, structure.edges, c.rep).profile, c.size, (i,))
                    for i, c in enumerate(classes))
    return tuple(c.rep for c in classes), entries


def int_scaled(arr: np.ndarray) -> tuple[np.ndarray, int]:
    """``(integer array, D)`` with ``arr = integer array / D`` (``D = 1`` for integer input)."""
    dens = [x.denominator for x in arr.flat if isinstance(x, Fraction)]
    if not dens:
        return arr, 1
    d = lcm(*dens)
    out = np.empty(arr.shape, dtype=object)
    flat_in, flat_out = arr.reshape(-1), out.reshape(-1)
    for i, x in enumerate(flat_in):
        flat_out[i] = int(x * d)
    return out, d


@dataclass
class Component:
    """A quotient component after variable elimination.

    ``z`` is the partition function (an integer) and ``den`` the product of the
    factors' denominators, so the true value is ``z / den``.  ``steps`` lists,
    in elimination order, ``(variable, neighbour variables, factors gathered)``:
    backward sampling draws the variables in reverse order, each from the
    product of its gathered factors at the neighbours' drawn values.
    """

    key: tuple
    z: int
    den: int
    steps: list

    @property
    def value(self):
        return Fraction(self.z, self.den) if self.den != 1 else self.z


_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def eliminate(key, unary, pairwise) -> Component:
    """Variable elimination on one component.

    Parameters
    ----------
    key : tuple
        ``((slots, length) per variable, ((i, j, length), ...))`` as made by :func:`quotient`;
        entries may carry a restriction as a last item (``(slots, length, r)``, ``(i, j, length, r)``),
        passed on to the factor callables (marked matches of the sampler).
    unary : callable ``(slots, length[, r]) -> (int array, denominator)``
    pairwise : callable ``(length[, r]) -> (int matrix, denominator)``

    Returns
    -------
    Component
    """
    factors, den = component_factors(key, unary, pairwise)
    scalar, steps = contract(factors)
    return Component(key, int(scalar), den, steps)


def component_factors(key, unary, pairwise) -> tuple[list, int]:
    """The factors ``(scope, integer array)`` of one component and the product of their denominators."""
    verts, edges = key
    den = 1
    factors = []
    for i, (a, L, *r) in enumerate(verts):
        w, d = unary(a, L, *r)
        den *= d
        factors.append(((i,), w))
    for i, j, L, *r in edges:
        F, d = pairwise(L, *r)
        den *= d
        if i == j:
            factors.append(((i,), np.diagonal(F).copy()))
        else:
            factors.append(((i, j), F))
    return factors, den


def component_value(key, unary, pairwise):
    """The partition function of one component (exact; an int, or a Fraction with weights), without
    the elimination steps: the fast multi-modular path of :mod:`.modular` (counting needs only values).

    >>> unary = lambda a, L: (np.array([1, 2], dtype=object), 1)
    >>> pairwise = lambda L: (np.array([[0, 1], [1, 0]], dtype=object), 1)
    >>> component_value((((0, 1), (0, 1)), ((0, 1, 1),)), unary, pairwise)
    4
    """
    factors, den = component_factors(key, unary, pairwise)
    try:
        z = contract_int(factors)
    except ValueError:  # a negative factor: the Python-integer elimination
        z = int(contract(factors)[0])
    return Fraction(z, den) if den != 1 else z


def contract(factors) -> tuple[int, list]:
    """Sum over every variable of the product of ``factors`` (``(scope, array)`` pairs), by variable
    elimination in min-degree order.  Returns the sum and the elimination steps
    ``(variable, neighbours, gathered factors)`` that backward sampling replays.

    >>> contract([((0,), np.array([1, 2], dtype=object))])[0]
    3
    """
    remaining = {u for s, _ in factors for u in s}
    steps = []
    scalar = 1
    while remaining:
        def degree(v):
            return len({u for s, _ in factors if v in s for u in s} - {v})
        v = min(remaining, key=lambda u: (degree(u), u))
        gathered = [f for f in factors if v in f[0]]
        factors = [f for f in factors if v not in f[0]]
        nbrs = tuple(sorted({u for s, _ in gathered for u in s} - {v}))
        subs = ",".join("".join(_LETTERS[u] for u in s) for s, _ in gathered)
        out = "".join(_LETTERS[u] for u in nbrs)
        # optimize=False: numpy's optimised einsum paths can fall back to int64 on object arrays of
        # small integers and overflow silently (numpy 2.4); the plain path keeps Python integers
        new = np.einsum(f"{subs}->{out}", *[f for _, f in gathered], optimize=False)
        steps.append((v, nbrs, gathered))
        remaining.discard(v)
        if nbrs:
            factors.append((nbrs, np.asarray(new, dtype=object)))
        else:
            scalar *= new.item() if isinstance(new, np.ndarray) else new
    for _, f in factors:  # only scalars can be left
        scalar *= f.item()
    return scalar, steps


def structure_group_profile(structure) -> Counter:
    """Multiplicity of each component key summed over automorphisms (for tests and reports)."""
    c: Counter = Counter()
    for p, m in class_profile(structure):
        for k in p:
            c[k] += m
    return c
