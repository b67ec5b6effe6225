"""Unlabelled scene structures, one per isomorphism class, with their automorphism groups.

A **structure** is a scene with every label erased (``DESIGN.md`` §2): ``n``
object nodes, a number of attribute slots on each object, and directed edges
between distinct objects (at most one per ordered pair).  Two structures are
the same iff a bijection of their objects maps slot counts and edges onto each
other, i.e. they are isomorphic as digraphs whose vertices are coloured by
their slot count.

:func:`structures` lists every structure that satisfies the structural bounds
of a constraint file exactly once, in a deterministic order.  Three generators
produce the same set and are checked against each other and against an
independent networkx oracle in the tests:

``"orderly"`` (the default, fastest)
    breadth-first canonical augmentation in Python: every structure of
    complexity ``c + 1`` arises from one of complexity ``c`` by adding one
    attribute slot, one edge or one bare object (remove a slot if there is
    one, else an edge, else an isolated object); children are generated once
    per orbit of the parent's automorphism group and deduplicated by their
    canonical form.
``"asp"``
    one clingo program per (objects, slots, edges) split (``structures.lp``),
    objects sorted by signature (slots, out-degree, in-degree) as symmetry
    breaking.
``"cpsat"``
    the same model in OR-Tools CP-SAT, with every auxiliary variable
    functionally determined so that enumeration is not inflated.

Both solver models may still produce a few isomorphic duplicates (signatures
do not separate every vertex); the canonical form computed with nauty
(:mod:`pynauty`) removes them, so every class comes out exactly once.

Examples
--------
>>> from gas_solver.constraints.model import Bounds, IntRange
>>> [s.shape for s in structures(Bounds(complexity=IntRange(1, 3)))]
[(1, 0, 0), (1, 1, 0), (2, 0, 0), (1, 2, 0), (2, 0, 1), (2, 1, 0), (3, 0, 0)]
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Iterable

import pynauty

from ..constraints.model import Bounds
from ..errors import GasError
from ..outputs import write_output
from .work import check_structures

__all__ = ["Structure", "structures", "canonical_structure", "STRUCTURE_BACKENDS"]

#: generators accepted by :func:`structures`
STRUCTURE_BACKENDS = ("orderly", "asp", "cpsat")

_FORMAT = "gas-structures/1"

#: group orders reported by nauty, by structure key (a memo of pure results, not configuration)
_ORDERS: dict[str, int] = {}


@dataclass(frozen=True)
class Structure:
    """One unlabelled structure, in canonical object order.

    Attributes
    ----------
    n : int
        Number of objects.
    attributes : tuple of int
        Attribute slots per object.
    edges : tuple of (int, int)
        Sorted directed edges ``(subject, object)``.
    generators : tuple of tuple of int
        Generators of the automorphism group (from nauty); not part of equality.

    Notes
    -----
    :attr:`automorphisms` is every object permutation ``p`` (object ``i`` goes
    to ``p[i]``) that preserves slot counts and edges, identity first, sorted.
    It is computed on first use from the generators: a structure of ``n``
    isolated bare objects has ``n!`` of them, so listing structures never pays
    for it.

    >>> s = Structure(3, (0, 0, 0), ((0, 1), (0, 2)))
    >>> s.automorphisms
    ((0, 1, 2), (0, 2, 1))
    >>> s.shape, s.complexity
    ((3, 0, 2), 5)
    """

    n: int
    attributes: tuple[int, ...]
    edges: tuple[tuple[int, int], ...]
    generators: tuple[tuple[int, ...], ...] | None = field(default=None, compare=False, repr=False)

    @property
    def complexity(self) -> int:
        """#objects + #attribute slots + #edges."""
        return self.n + sum(self.attributes) + len(self.edges)

    @property
    def shape(self) -> tuple[int, int, int]:
        """(objects, attribute slots, edges)."""
        return (self.n, sum(self.attributes), len(self.edges))

    @cached_property
    def key(self) -> str:
        """A certificate of the isomorphism class: equal keys iff isomorphic structures."""
        c = canonical_structure(self.n, self.attributes, self.edges)
        return _key_of(c.n, c.attributes, c.edges)

    @cached_property
    def automorphisms(self) -> tuple[tuple[int, ...], ...]:
        gens = self.generators
        if gens is None:
            gens = _autgrp(self.n, self.attributes, self.edges)[0]
        identity = tuple(range(self.n))
        seen = {identity}
        frontier = [identity]
        while frontier:  # closure of the generators under composition
            nxt = []
            for p in frontier:
                for g in gens:
                    q = tuple(g[p[i]] for i in range(self.n))
                    if q not in seen:
                        seen.add(q)
                        nxt.append(q)
            frontier = nxt
        return tuple(sorted(seen))

    @cached_property
    def group_order(self) -> int:
        """Number of automorphisms (from nauty, without listing them)."""
        if "automorphisms" in self.__dict__:
            return len(self.automorphisms)
        hit = _ORDERS.get(_key_of(self.n, self.attributes, self.edges))
        if hit is None:
            _autgrp(self.n, self.attributes, self.edges)
            hit = _ORDERS.get(_key_of(self.n, self.attributes, self.edges), 1)
        return hit

    def __lt__(self, other: "Structure") -> bool:
        return _order_key(self) < _order_key(other)


def _order_key(s: Structure):
    return (s.complexity, s.shape, s.key)


def _key_of(n: int, attrs: tuple[int, ...], edges: tuple[tuple[int, int], ...]) -> str:
    return f"{n}|{','.join(map(str, attrs))}|{','.join(f'{u}>{v}' for u, v in edges)}"


def _nauty_graph(n, attrs, edges) -> pynauty.Graph:
    adj: dict[int, list[int]] = {}
    for u, v in edges:
        adj.setdefault(u, []).append(v)
    # Colour cells ordered by slot count, so the canonical labelling respects slot counts.
    cells: dict[int, set[int]] = {}
    for i, a in enumerate(attrs):
        cells.setdefault(a, set()).add(i)
    return _graph(n, adj, [cells[a] for a in sorted(cells)])


def _graph(n: int, adj: dict[int, list[int]], colouring: list[set[int]]) -> pynauty.Graph:
    """A directed pynauty graph without the constructor's argument checks: the orderly generator
    builds ~100,000 of them at complexity 12, from data that is valid by construction, and the checks
    were most of their cost.  ``tests/solve/test_symmetry.py`` checks it against the constructor."""
    g = pynauty.Graph.__new__(pynauty.Graph)
    g.number_of_vertices = n
    g.directed = True
    g._adjacency_dict = adj
    g._vertex_coloring = colouring
    return g


def _autgrp(n, attrs, edges):
    if n <= 1:
        return (), [0] * n
    gens, size1, size2, orbits, _ = pynauty.autgrp(_nauty_graph(n, attrs, edges))
    # nauty reports the group size as size1 * 10**size2 (a float): exact for these small groups
    _ORDERS[_key_of(n, tuple(attrs), tuple(edges))] = round(size1 * 10 ** size2)
    return tuple(tuple(g) for g in gens), orbits




def canonical_structure(n: int, attributes: Iterable[int], edges: Iterable[tuple[int, int]]) -> Structure:
    """The canonical representative of a structure's isomorphism class (nauty canonical labelling).

    >>> canonical_structure(2, (1, 0), [(1, 0)]) == canonical_structure(2, (0, 1), [(0, 1)])
    True
    """
    attrs = tuple(attributes)
    edges = tuple(edges)
    if n <= 1:
        return Structure(n, attrs, (), ())
    lab = pynauty.canon_label(_nauty_graph(n, attrs, edges))
    pos = [0] * n
    for new, old in enumerate(lab):
        pos[old] = new
    return Structure(n, tuple(attrs[old] for old in lab), tuple(sorted((pos[u], pos[v]) for u, v in edges)))


def _with_generators(s: Structure) -> tuple[Structure, list[int]]:
    gens, orbits = _autgrp(s.n, s.attributes, s.edges)
    return Structure(s.n, s.attributes, s.edges, gens), orbits


# ---------------------------------------------------------------------------
# Bounds
# ---------------------------------------------------------------------------

def _hi(r, default):
    return default if r.hi is None else r.hi


def _limits(bounds: Bounds) -> dict:
    """Normalised bounds; hereditary upper bounds are capped by the complexity."""
    c = bounds.complexity.hi
    if c is None:
        raise GasError("space.complexity needs an upper bound to list structures")
    return {
        "c": (max(bounds.complexity.lo, 1), c),
        "n": (max(bounds.objects.lo, 1), min(_hi(bounds.objects, c), c)),
        "a": (bounds.attributes.lo, min(_hi(bounds.attributes, c), c)),
        "r": (bounds.relations.lo, min(_hi(bounds.relations, c), c)),
        "apo": (bounds.attributes_per_object.lo, min(_hi(bounds.attributes_per_object, c), c)),
        "out": (bounds.out_degree.lo, min(_hi(bounds.out_degree, c), c)),
        "in": (bounds.in_degree.lo, min(_hi(bounds.in_degree, c), c)),
        "acyclic": bool(bounds.acyclic),
        "connected": bool(bounds.connected),
    }


def _satisfies(s: Structure, lim: dict) -> bool:
    n, a, r = s.shape
    if not (lim["c"][0] <= s.complexity <= lim["c"][1]):
        return False
    for name, v in (("n", n), ("a", a), ("r", r)):
        if not (lim[name][0] <= v <= lim[name][1]):
            return False
    if any(not (lim["apo"][0] <= k <= lim["apo"][1]) for k in s.attributes):
        return False
    out = [0] * n
    inn = [0] * n
    for u, v in s.edges:
        out[u] += 1
        inn[v] += 1
    if any(not (lim["out"][0] <= d <= lim["out"][1]) for d in out):
        return False
    if any(not (lim["in"][0] <= d <= lim["in"][1]) for d in inn):
        return False
    if lim["acyclic"] and _has_cycle(n, s.edges):
        return False
    if lim["connected"] and not _weakly_connected(n, s.edges):
        return False
    return True


def _has_cycle(n, edges) -> bool:
    succ = [[] for _ in range(n)]
    indeg = [0] * n
    for u, v in edges:
        succ[u].append(v)
        indeg[v] += 1
    stack = [i for i in range(n) if indeg[i] == 0]
    seen = 0
    while stack:
        u = stack.pop()
        seen += 1
        for v in succ[u]:
            indeg[v] -= 1
            if indeg[v] == 0:
                stack.append(v)
    return seen < n


def components(n: int, pairs) -> list[list[int]]:
    """The vertex sets of the graph on ``range(n)`` whose edges are ``pairs`` (direction ignored), each
    ascending, in the order of their smallest vertex.

    >>> components(5, [(3, 0), (1, 4)])
    [[0, 3], [1, 4], [2]]
    """
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for u, v in pairs:
        parent[find(u)] = find(v)
    members: dict[int, list[int]] = {}
    for v in range(n):
        members.setdefault(find(v), []).append(v)
    return list(members.values())


def _weakly_connected(n, edges) -> bool:
    return len(components(n, edges)) <= 1


# ---------------------------------------------------------------------------
# Orderly generator (canonical augmentation, breadth first by complexity)
# ---------------------------------------------------------------------------

def _reaches(n, edges, src, dst) -> bool:
    succ = [[] for _ in range(n)]
    for u, v in edges:
        succ[u].append(v)
    stack, seen = [src], {src}
    while stack:
        u = stack.pop()
        if u == dst:
            return True
        for v in succ[u]:
            if v not in seen:
                seen.add(v)
                stack.append(v)
    return False


def _pair_orbit_reps(n: int, gens, candidates: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One representative per orbit of ``candidates`` (ordered pairs) under the group."""
    if not gens:
        return candidates
    cand = set(candidates)
    reps, done = [], set()
    for p in candidates:
        if p in done:
            continue
        reps.append(p)
        orbit, stack = {p}, [p]
        while stack:
            u, v = stack.pop()
            for g in gens:
                q = (g[u], g[v])
                if q not in orbit:
                    orbit.add(q)
                    stack.append(q)
        done |= orbit & cand
    return reps


def _orderly(lim: dict) -> list[Structure]:
    """Every structure with complexity <= c_max meeting the hereditary (upper) bounds."""
    c_max = lim["c"][1]
    n_max, a_max, r_max = lim["n"][1], lim["a"][1], lim["r"][1]
    apo_max, out_max, in_max = lim["apo"][1], lim["out"][1], lim["in"][1]
    root = Structure(1, (0,), (), ())
    level: dict[str, tuple[Structure, list[int]]] = {root.key: (root, [0])}
    result = [root]
    for _c in range(1, c_max):
        nxt: dict[str, tuple[Structure, list[int]]] = {}
        for s, orbits in level.values():
            n, a, r = s.shape
            children = []
            # one more attribute slot, once per vertex orbit
            if a < a_max:
                for v in sorted(set(orbits)):
                    if s.attributes[v] < apo_max:
                        attrs = list(s.attributes)
                        attrs[v] += 1
                        children.append((n, tuple(attrs), s.edges))
            # one more edge, once per orbit of ordered pairs
            if r < r_max:
                present = set(s.edges)
                out = [0] * n
                inn = [0] * n
                for u, v in s.edges:
                    out[u] += 1
                    inn[v] += 1
                cand = [(u, v) for u in range(n) for v in range(n)
                        if u != v and (u, v) not in present and out[u] < out_max and inn[v] < in_max]
                for u, v in _pair_orbit_reps(n, s.generators, cand):
                    if lim["acyclic"] and _reaches(n, s.edges, v, u):
                        continue
                    children.append((n, s.attributes, tuple(sorted(s.edges + ((u, v),)))))
            # one more bare object
            if n < n_max:
                children.append((n + 1, s.attributes + (0,), s.edges))
            for cn, ca, ce in children:
                child = canonical_structure(cn, ca, ce)
                k = _key_of(child.n, child.attributes, child.edges)
                if k not in nxt:
                    nxt[k] = (child, None)
        level = {}
        for k, (child, _) in nxt.items():
            child, orbits = _with_generators(child)
            child.__dict__["key"] = k  # canonical already: prime the cached key
            level[k] = (child, orbits)
            result.append(child)
    return result


# ---------------------------------------------------------------------------
# Public entry point, caches
# ---------------------------------------------------------------------------

_CACHE: dict[tuple, tuple[Structure, ...]] = {}


def _splits(lim: dict) -> list[tuple[int, int, int]]:
    out = []
    for n in range(lim["n"][0], lim["n"][1] + 1):
        for a in range(lim["a"][0], lim["a"][1] + 1):
            for r in range(lim["r"][0], lim["r"][1] + 1):
                if lim["c"][0] <= n + a + r <= lim["c"][1] and r <= n * (n - 1) and a <= n * lim["apo"][1] \
                        and a >= n * lim["apo"][0]:
                    out.append((n, a, r))
    return out


def shapes(bounds: Bounds) -> list[tuple[int, int, int]]:
    """The shapes ``(objects, attributes, relations)`` the bounds allow (each of them has structures or not)."""
    return _splits(_limits(bounds))


def _finish(raw: Iterable[Structure], lim: dict) -> tuple[Structure, ...]:
    by_key: dict[str, Structure] = {}
    for s in raw:
        c = canonical_structure(s.n, s.attributes, s.edges)
        k = _key_of(c.n, c.attributes, c.edges)
        if k not in by_key and _satisfies(c, lim):
            if s.generators is not None and s.attributes == c.attributes and s.edges == c.edges:
                c = s
            else:
                c, _ = _with_generators(c)
            c.__dict__["key"] = k
            by_key[k] = c
    return tuple(sorted(by_key.values(), key=_order_key))


def structures(bounds: Bounds, *, backend: str = "orderly", cache_dir: str | os.PathLike | None = None
               ) -> tuple[Structure, ...]:
    """Every structure satisfying the structural bounds, exactly once per isomorphism class.

    Parameters
    ----------
    bounds : Bounds
        Complexity (needs an upper bound), objects, attributes, relations,
        attributes per object, in/out degree, acyclic, connected.
    backend : {"orderly", "asp", "cpsat"}
        Generator (see the module docstring); all give the same tuple.
    cache_dir : path, optional
        Directory for an on-disk cache (JSON, keyed by the bounds); results are
        always cached in-process.

    Returns
    -------
    tuple of Structure
        Sorted by (complexity, shape, key); each in canonical object order.

    Examples
    --------
    >>> from gas_solver.constraints.model import Bounds, IntRange
    >>> len(structures(Bounds(complexity=IntRange(1, 8))))
    345
    >>> len(structures(Bounds(complexity=IntRange(8, 8), acyclic=False), backend="cpsat"))
    269
    """
    if backend not in STRUCTURE_BACKENDS:
        raise GasError(f"unknown structure backend {backend!r}; expected one of {', '.join(STRUCTURE_BACKENDS)}")
    lim = _limits(bounds)
    ck = (tuple(sorted((k, v) for k, v in lim.items())), backend)
    path = None
    if cache_dir is not None:
        digest = hashlib.sha256(json.dumps([_FORMAT, pynauty.__version__, ck]).encode()).hexdigest()[:24]
        path = Path(cache_dir) / f"structures-{digest}.json"
    result = _CACHE.get(ck)
    if result is None and path is not None and path.exists():
        result = _CACHE[ck] = _load(path)
    if result is None:
        check_structures(_splits(lim))  # refuse, within milliseconds, bounds with too many structures to list
        if backend == "orderly":
            result = _finish(_orderly(lim), lim)
        else:
            if backend == "asp":
                from .asp import structure_models
            else:
                from .cpsat import structure_models
            result = _finish((Structure(n, a, e) for n, a, e in structure_models(lim, _splits(lim))), lim)
        _CACHE[ck] = result
    if path is not None and not path.exists():
        _save(path, result)
    return result


def _save(path: Path, result: tuple[Structure, ...]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"format": _FORMAT,
            "structures": [[s.n, list(s.attributes), [list(e) for e in s.edges], [list(g) for g in s.generators or ()]]
                           for s in result]}
    write_output(path, json.dumps(data).encode())


def _load(path: Path) -> tuple[Structure, ...]:
    data = json.loads(path.read_text())
    if data.get("format") != _FORMAT:
        raise GasError(f"{path}: not a structure cache of format {_FORMAT}")
    return tuple(Structure(n, tuple(a), tuple(tuple(e) for e in es), tuple(tuple(g) for g in gs))
                 for n, a, es, gs in data["structures"])


def _all_permutations_within_cells(s: Structure):
    """Brute-force automorphisms (used by tests as a cross-check)."""
    cells: dict[int, list[int]] = {}
    for i, a in enumerate(s.attributes):
        cells.setdefault(a, []).append(i)
    edges = set(s.edges)
    keys = sorted(cells)
    for choice in itertools.product(*(itertools.permutations(cells[k]) for k in keys)):
        p = [0] * s.n
        for k, img in zip(keys, choice):
            for src, dst in zip(cells[k], img):
                p[src] = dst
        if all((p[u], p[v]) in edges for u, v in s.edges):
            yield tuple(p)
