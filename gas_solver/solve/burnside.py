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
import itertools
import math
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
        new = _einsum(f"{subs}->{out}", [f for _, f in gathered])
        steps.append((v, nbrs, gathered))
        remaining.discard(v)
        if nbrs:  # (int64 where the sum's bound allows: a third of the memory of Python integers)
            factors.append((nbrs, new if new.dtype == np.int64 else np.asarray(new, dtype=object)))
        else:
            scalar *= new.item() if isinstance(new, np.ndarray) else new
    for _, f in factors:  # only scalars can be left
        scalar *= f.item()
    return scalar, steps


#: products below this bound are summed in int64 by :func:`_einsum` (exact: no overflow is possible)
_INT64_SAFE = 1 << 62
#: products below this bound are summed in float64 by :func:`_einsum`: every integer up to 2**53 is a float64,
#: so every product and partial sum is exact, in whatever order BLAS adds them
_FLOAT64_EXACT = 1 << 53
#: results with more entries than this are computed slab by slab (:func:`_slabbed`)
_SLAB = 1 << 21
#: at most this many float64 einsums (limbs) stand for one wider one before the Python-integer path is cheaper
_MAX_LIMB_SUMS = 16


def _einsum(spec: str, arrays: list):
    """``np.einsum(spec, *arrays)`` on integer arrays (Python integers or int64), exactly.

    Summing Python integers (object arrays) is slow.  Every term of every sum, and so every partial sum
    in any order, is bounded by the product of the arrays' largest entries times the number of terms of
    a sum.  Below 2**53 the same integers are summed in float64 by BLAS (``optimize=True``), exact;
    with non-negative entries and a larger bound the widest arrays are cut into base-2**s digits
    (``a = Σ_k a_k 2**(k s)``, einsum being multilinear) so that each product of digits has such a bound,
    if a few float64 einsums do; else below 2**62 the integers are summed in int64; else as Python integers.
    The result is an int64 array where the bound is below 2**62 (an int for a scalar), else an object array.
    """
    out = spec.partition("->")[2]
    sizes = {}
    for sub, a in zip(spec.partition("->")[0].split(","), arrays):
        sizes.update(zip(sub, a.shape))
    widest = max(math.prod(sizes[x] for x in out), *(a.size for a in arrays))
    if widest > _SLAB:  # along the result's first letter, or else the largest array's
        subs = spec.partition("->")[0].split(",")
        x = out[0] if out and math.prod(sizes[y] for y in out) == widest else \
            max(zip(subs, arrays), key=lambda sa: sa[1].size)[0][0]
        if sizes[x] > 1:
            return _slabbed(spec, arrays, sizes, x, widest)
    terms = math.prod(sizes[x] for x in set(spec.replace(",", "").replace("->", "")) - set(out))
    maxima = [_largest(a) for a in arrays]
    if math.prod(maxima) * terms >= _FLOAT64_EXACT:  # fewer arrays, a smaller bound (see _folded)
        spec, arrays = _folded(spec, arrays)
        maxima = [_largest(a) for a in arrays]
    bound = math.prod(maxima) * terms
    if bound < _FLOAT64_EXACT:
        ops = [a.astype(np.float64) for a in arrays]
        return _as_int(np.einsum(spec, *ops, optimize=True))
    digits = _digit_widths(maxima, terms) if all(a.size == 0 or a.min() >= 0 for a in arrays) else None
    if digits is not None:
        return _limb_einsum(spec, arrays, digits, bound < _INT64_SAFE)
    if bound < _INT64_SAFE:
        new = np.einsum(spec, *[a.astype(np.int64) for a in arrays], optimize=False)
        return new if isinstance(new, np.ndarray) and new.ndim else int(new)
    # optimize=False: numpy's optimised einsum paths can fall back to int64 on object arrays of
    # small integers and overflow silently (numpy 2.4); the plain path keeps Python integers
    return np.einsum(spec, *[a if a.dtype == object else a.astype(object) for a in arrays], optimize=False)


def _slabbed(spec: str, arrays: list, sizes: dict, x: str, widest: int):
    """A sum with a large result or array (a width-3 step of 260 labels: 260^3 entries) slab by slab along
    letter ``x``: each slab is the same sum over slices of the arrays that have ``x`` (exact by
    :func:`_einsum`); the slabs are stacked where ``x`` is in the result, else added (exactly: int64 when
    every slab is, their sum being within the same bound, else Python integers).  The temporaries of a
    sum are then a slab's, not the whole array's several times over."""
    out = spec.partition("->")[2]
    subs = spec.partition("->")[0].split(",")
    step = max(1, _SLAB * sizes[x] // widest)
    if x not in out:  # the slabs' sum is within the whole sum's bound, which a slab's may not show
        bound = math.prod(sizes[y] for y in set("".join(subs)) - set(out))
        for a in arrays:
            bound *= _largest(a)
        wide = bound >= _INT64_SAFE
    res = None
    for lo in range(0, sizes[x], step):
        part = [a[tuple(slice(lo, lo + step) if y == x else slice(None) for y in sub)] if x in sub else a
                for sub, a in zip(subs, arrays)]
        r = _einsum(spec, part)
        if x not in out:
            if isinstance(r, np.ndarray) and r.dtype != object and (wide or (res is not None and res.dtype == object)):
                r = r.astype(object)
            if isinstance(res, np.ndarray) and res.dtype != object and isinstance(r, np.ndarray) and r.dtype == object:
                res = res.astype(object)
            res = r if res is None else res + r
            continue
        if res is None:
            res = np.empty(tuple(sizes[y] for y in out), dtype=r.dtype)
        if r.dtype != res.dtype:  # a slab beyond int64: every slab as Python integers
            res = res.astype(object) if res.dtype != object else res
            r = r.astype(object)
        res[tuple(slice(lo, lo + step) if y == x else slice(None) for y in out)] = r
    return res


def _folded(spec: str, arrays: list) -> tuple[str, list]:
    """The same sum with every array whose letters another array of one or two letters has multiplied into
    that one, entry by entry (exactly: Python integers, or int64 where the product's bound allows; never
    into a wider array, which would cost its size in Python integers).  Fewer, no wider arrays:
    the bound of :func:`_einsum` only shrinks (the largest product of entries is at most the product of
    the largest entries)."""
    subs, out = spec.split("->")
    subs = subs.split(",")
    if len(subs) < 2 or any(len(set(s)) != len(s) for s in subs):
        return spec, arrays
    subs, arrays = list(subs), list(arrays)
    i = 0
    while i < len(subs):
        j = next((j for j in range(len(subs)) if j != i and set(subs[i]) <= set(subs[j]) and len(subs[j]) <= 2
                  and (len(subs[i]) < len(subs[j]) or i < j)), None)
        if j is None:
            i += 1
            continue
        a, b = arrays[i], arrays[j]
        # a's axes in the order of b's letters, with length 1 where a lacks one
        a = np.transpose(a, [subs[i].index(x) for x in subs[j] if x in subs[i]])
        a = a.reshape([a.shape[[x for x in subs[j] if x in subs[i]].index(x)] if x in subs[i] else 1
                       for x in subs[j]])
        if _largest(a) * _largest(b) < _INT64_SAFE:  # (every entry of both below 2**62: int64 is exact)
            arrays[j] = a.astype(np.int64) * b.astype(np.int64)
        else:
            arrays[j] = a.astype(object) * b.astype(object)
        del subs[i], arrays[i]
        i = 0
    return ",".join(subs) + "->" + out, arrays


def _largest(a: np.ndarray) -> int:
    """The largest absolute entry of ``a``, at least 1 (without a copy of ``a``: a message may be 140 MB)."""
    return max(int(a.max()), -int(a.min()), 1) if a.size else 1


def _as_int(new):
    """A float64 einsum's exact integer result as int64 (an int for a scalar)."""
    if isinstance(new, np.ndarray) and new.ndim:
        return new.astype(np.int64)
    return int(new)


def _digit_widths(maxima: list, terms: int) -> list | None:
    """Bits per digit of each array (None: not cut) so that the product of the digits' bounds times
    ``terms`` is below 2**53, cutting the widest arrays first, or None if that takes more than
    :data:`_MAX_LIMB_SUMS` float64 einsums."""
    bits = [m.bit_length() for m in maxima]  # m < 2**bits
    width = list(bits)
    budget = _FLOAT64_EXACT.bit_length() - 1 - terms.bit_length()  # 2**Σwidth * terms < 2**53
    if budget < len(bits):
        return None
    while sum(width) > budget:  # one bit off the widest at a time: digits of balanced widths
        i = max(range(len(width)), key=lambda j: (width[j], j))
        width[i] -= 1
    sums = 1
    for b, w in zip(bits, width):
        sums *= -(-b // w)
    return None if sums > _MAX_LIMB_SUMS else [None if w == b else w for w, b in zip(width, bits)]


def _limb_einsum(spec: str, arrays: list, digits: list, fits_int64: bool):
    """Σ over digit tuples of the float64 einsum of the digits, shifted: exact (see :func:`_einsum`).
    A digit array is made when its turn comes (a cut array's digits are never held at once)."""
    shifts = []
    for a, w in zip(arrays, digits):
        top = max(int(a.max()), 1) if a.size else 1
        shifts.append([0] if w is None else list(range(0, top.bit_length(), w)))
    whole = [a.astype(np.float64) if w is None else None for a, w in zip(arrays, digits)]
    total = None
    for combo in itertools.product(*shifts):
        ops = [whole[k] if whole[k] is not None else _digit(arrays[k], sh, digits[k]) for k, sh in enumerate(combo)]
        r = np.einsum(spec, *ops, optimize=True)
        del ops
        shift = sum(combo)
        if isinstance(r, np.ndarray) and r.ndim:
            r = r.astype(np.int64) if fits_int64 else r.astype(np.int64).astype(object)
        else:
            r = int(r)
        r = r << shift if shift else r
        total = r if total is None else total + r
    return total


def _digit(a: np.ndarray, shift: int, width: int) -> np.ndarray:
    """``(a >> shift) mod 2**width`` as float64 (exact: below 2**53)."""
    if a.dtype == object:
        return np.asarray((a >> shift) & ((1 << width) - 1), dtype=np.int64).astype(np.float64)
    d = np.right_shift(a, shift)
    np.bitwise_and(d, (1 << width) - 1, out=d)  # (in place: a digit of a 260^3 message is 140 MB)
    return d.astype(np.float64)


def structure_group_profile(structure) -> Counter:
    """Multiplicity of each component key summed over automorphisms (for tests and reports)."""
    c: Counter = Counter()
    for p, m in class_profile(structure):
        for k in p:
            c[k] += m
    return c
