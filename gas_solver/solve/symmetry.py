"""A structure's automorphism group by twin classes: Burnside's sum over classes, not elements.

Two objects are **twins** when swapping them (and nothing else) is an
automorphism: same slot count, same neighbours, and either no edge between
them or edges both ways.  Twinhood is an equivalence (``(u w) = (u v)(v w)(u v)``),
so every permutation inside a twin class is an automorphism, and

    Aut(S) = N ⋊ H,   N = Π_i Sym(T_i),   |Aut(S)| = |H| · Π_i |T_i|!

where ``H`` is the automorphism group of the **twin quotient** (one vertex per
class, coloured by slot count, size and inside edges; edges between classes are
all-or-nothing).  Ten interchangeable bare objects are one class of size ten:
``H`` is trivial and ``N`` has 10! = 3,628,800 elements but only 42 cycle types.

The elements of ``Aut(S)`` above one ``h ∈ H`` are the lifts of ``h``: on an
``h``-cycle of ``m`` classes of size ``t`` a lift is ``m`` bijections, and two
lifts are conjugate by an element of ``N`` iff their **holonomies** (the
composite bijection around the cycle, an element of ``Sym(t)``) have the same
cycle type ``λ``.  There are ``(t!)^(m-1) · t!/z_λ`` lifts of holonomy type ``λ``
(``z_λ = Π_k k^{m_k} m_k!``).  Conjugate automorphisms ``g`` and ``a g a⁻¹`` fix
labellings ``x`` and ``a·x`` — the same scenes — so one representative per
(h, types) class stands for all of them, in counting (``|Fix|``, and any
isomorphism-invariant sum over ``Fix``) and in sampling (a class drawn ∝ size ×
|Fix|, then a uniform fixed labelling of its representative, gives every scene
the same probability as drawing an element).

>>> from gas_solver.solve.structures import Structure
>>> s = Structure(4, (0, 0, 0, 0), ())
>>> [(c.rep, c.size) for c in automorphism_classes(s)]
[((0, 1, 2, 3), 1), ((1, 0, 2, 3), 6), ((1, 0, 3, 2), 3), ((1, 2, 0, 3), 8), ((1, 2, 3, 0), 6)]
>>> sum(c.size for c in automorphism_classes(s))
24
"""

from __future__ import annotations

from dataclasses import dataclass
from math import factorial, prod

import pynauty

__all__ = ["AutClass", "automorphism_classes", "twin_classes", "partitions"]


@dataclass(frozen=True)
class AutClass:
    """A set of conjugate automorphisms: one representative permutation and how many it stands for."""

    rep: tuple[int, ...]
    size: int


def twin_classes(n: int, attributes, edges) -> tuple[tuple[int, ...], ...]:
    """The twin classes of a structure, each sorted, in order of their smallest object.

    >>> twin_classes(4, (0, 0, 0, 1), ((0, 1), (0, 2)))
    ((0,), (1, 2), (3,))
    """
    out_n = [set() for _ in range(n)]
    in_n = [set() for _ in range(n)]
    for u, v in edges:
        out_n[u].add(v)
        in_n[v].add(u)
    cls = [-1] * n
    classes: list[list[int]] = []
    for v in range(n):
        if cls[v] >= 0:
            continue
        cls[v] = len(classes)
        members = [v]
        for u in range(v + 1, n):
            if cls[u] >= 0 or attributes[u] != attributes[v]:
                continue
            if ((v in out_n[u]) == (u in out_n[v]) and out_n[u] - {v} == out_n[v] - {u}
                    and in_n[u] - {v} == in_n[v] - {u}):
                cls[u] = cls[v]
                members.append(u)
        classes.append(members)
    return tuple(tuple(c) for c in classes)


def partitions(t: int, largest: int | None = None):
    """Integer partitions of ``t`` as non-increasing tuples, largest parts first.

    >>> list(partitions(4))
    [(4,), (3, 1), (2, 2), (2, 1, 1), (1, 1, 1, 1)]
    """
    largest = t if largest is None else largest
    if t == 0:
        yield ()
        return
    for k in range(min(t, largest), 0, -1):
        for rest in partitions(t - k, k):
            yield (k,) + rest


def _class_size(lam: tuple[int, ...]) -> int:
    """Elements of ``Sym(sum(lam))`` with cycle type ``lam``: ``t! / z_λ``."""
    z = 1
    for k in set(lam):
        m = lam.count(k)
        z *= k ** m * factorial(m)
    return factorial(sum(lam)) // z


def _quotient_group(n, attributes, edges, classes) -> list[tuple[int, ...]]:
    """Every automorphism of the twin quotient, as a permutation of class indices, sorted."""
    k = len(classes)
    if k <= 1:
        return [tuple(range(k))]
    of = [0] * n
    for i, c in enumerate(classes):
        for v in c:
            of[v] = i
    inside = [bool(len(c) > 1 and (c[0], c[1]) in set(edges)) for c in classes]
    adj: dict[int, set[int]] = {}
    for u, v in edges:
        if of[u] != of[v]:
            adj.setdefault(of[u], set()).add(of[v])
    colours: dict[tuple, set[int]] = {}
    for i, c in enumerate(classes):
        colours.setdefault((attributes[c[0]], len(c), inside[i]), set()).add(i)
    g = pynauty.Graph(k, directed=True, adjacency_dict={u: sorted(vs) for u, vs in adj.items()},
                      vertex_coloring=[colours[key] for key in sorted(colours)])
    gens = [tuple(p) for p in pynauty.autgrp(g)[0]]
    identity = tuple(range(k))
    seen = {identity}
    frontier = [identity]
    while frontier:  # closure of the generators (H is small: the twins carry the large factors)
        nxt = []
        for p in frontier:
            for q in gens:
                r = tuple(q[p[i]] for i in range(k))
                if r not in seen:
                    seen.add(r)
                    nxt.append(r)
        frontier = nxt
    return sorted(seen)


def _cycles(perm) -> list[list[int]]:
    done = [False] * len(perm)
    out = []
    for i in range(len(perm)):
        if not done[i]:
            c = []
            j = i
            while not done[j]:
                done[j] = True
                c.append(j)
                j = perm[j]
            out.append(c)
    return out


def _type_perm(lam: tuple[int, ...]) -> list[int]:
    """A permutation of ``range(sum(lam))`` of cycle type ``lam`` (consecutive cycles)."""
    rho = []
    start = 0
    for k in lam:
        rho += [start + (i + 1) % k for i in range(k)]
        start += k
    return rho


_CACHE: dict = {}


def automorphism_classes(structure) -> tuple[AutClass, ...]:
    """Conjugate classes of lifts covering ``Aut(structure)`` exactly once (cached per structure).

    Sizes sum to the group order; the identity comes first.  Deterministic order:
    by ``h`` (sorted), then by the holonomy types, largest parts first.
    """
    ck = (structure.n, structure.attributes, structure.edges)
    hit = _CACHE.get(ck)
    if hit is not None:
        return hit
    n = structure.n
    classes = twin_classes(n, structure.attributes, structure.edges)
    out: list[AutClass] = []
    for h in _quotient_group(n, structure.attributes, structure.edges, classes):
        hcycles = _cycles(h)
        options = []  # per h-cycle: [(type, count)]
        for cyc in hcycles:
            t, m = len(classes[cyc[0]]), len(cyc)
            # identity types first, so that the identity is the first class
            options.append([(lam, factorial(t) ** (m - 1) * _class_size(lam)) for lam in list(partitions(t))[::-1]])
        for combo in _product(options):
            g = [0] * n
            for cyc, (lam, _) in zip(hcycles, combo):
                rho = _type_perm(lam)
                for pos, ci in enumerate(cyc):
                    src = classes[ci]
                    if pos + 1 < len(cyc):
                        dst = classes[cyc[pos + 1]]
                        for k, v in enumerate(src):
                            g[v] = dst[k]
                    else:  # closing bijection: the holonomy is rho
                        dst = classes[cyc[0]]
                        for k, v in enumerate(src):
                            g[v] = dst[rho[k]]
            out.append(AutClass(tuple(g), prod(c for _, c in combo)))
    result = _CACHE[ck] = tuple(out)
    return result


def _product(options):
    if not options:
        yield ()
        return
    first, rest = options[0], options[1:]
    for x in first:
        for tail in _product(rest):
            yield (x,) + tail
