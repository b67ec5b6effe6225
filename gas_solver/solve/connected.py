"""Connected object graphs: the relation graphs of connected scenes, one per isomorphism class.

An **object graph** is a structure without attribute slots: ``n`` objects and
``r`` directed relations between distinct objects (at most one per ordered
pair).  Every scene is a multiset of connected scenes (its weakly connected
components), and every connected scene has a connected object graph, so the
counter of :mod:`.multiset` needs only these; there are far fewer of them than
structures (attribute slots are counted by a polynomial per object instead of
being listed: 2,184 object graphs for the 2.2 million structures of
complexity ≤ 16).

:func:`connected_object_graphs` grows them breadth first: every connected
object graph with ``n >= 2`` objects comes from a smaller one by adding an
edge between two of its objects (remove an edge whose removal keeps it
connected, if it has a cycle) or by adding a new object joined by one edge
(remove a leaf, if it is a tree).  Children are made once per orbit of the
parent's automorphism group and deduplicated by their canonical form (nauty).

Examples
--------
>>> [(g.n, g.edges) for g in connected_object_graphs(complexity=3)]
[(1, ()), (2, ((1, 0),))]
>>> len(connected_object_graphs(complexity=7))  # 1 + 1 + 4 on three objects + 8 oriented trees on four
14
"""

from __future__ import annotations

import itertools

from .structures import (Structure, _key_of, _pair_orbit_reps, _reaches, _with_generators, canonical_structure,
                         components)

__all__ = ["connected_object_graphs", "connected_parts", "core_object_graphs", "least_degree_width"]


def least_degree_width(n: int, edges) -> int:
    """The largest neighbour set met by least-degree elimination of the undirected graph on objects
    ``0 .. n-1`` (ties broken by the objects' numbers, as the elimination breaks them): a step over ``w``
    neighbours costs ``labels^(w+1)`` products.  Loops and repeated edges change nothing.

    >>> least_degree_width(4, [(0, 1), (1, 2), (2, 3), (3, 0)])   # a four-cycle
    2
    """
    adj = {v: set() for v in range(n)}
    for u, v in edges:
        if u != v:
            adj[u].add(v)
            adj[v].add(u)
    w = 0
    while adj:
        v = min(adj, key=lambda x: (len(adj[x]), x))
        nb = adj.pop(v)
        w = max(w, len(nb))
        for x in nb:
            adj[x] |= nb - {x}
            adj[x].discard(v)
    return w

_CACHE: dict = {}


def connected_object_graphs(*, complexity: int, objects: int | None = None, relations: int | None = None,
                            out_degree: int | None = None, in_degree: int | None = None, acyclic: bool = True,
                            min_attributes: int = 0) -> tuple[Structure, ...]:
    """Every connected object graph with ``objects + relations + min_attributes × objects <= complexity``.

    Parameters
    ----------
    complexity : int
        Upper bound on ``n + r + min_attributes × n`` (a connected scene with ``n`` objects has at least
        ``min_attributes`` slots on each).
    objects, relations, out_degree, in_degree : int, optional
        Upper bounds (``None``: none); all four are hereditary, so they prune the search.
    acyclic : bool
        Only graphs without directed cycles.
    min_attributes : int
        The lower bound on slots per object (only shortens the search).

    Returns
    -------
    tuple of Structure
        With no attribute slots, in canonical object order, sorted by (objects + relations, objects, key),
        each with its automorphism group's generators.
    """
    ck = (complexity, objects, relations, out_degree, in_degree, acyclic, min_attributes)
    hit = _CACHE.get(ck)
    if hit is not None:
        return hit
    unit = 1 + min_attributes  # complexity one object adds at least

    def fits(n, r):
        return (n * unit + r <= complexity and (objects is None or n <= objects)
                and (relations is None or r <= relations))

    root = Structure(1, (0,), (), ())
    if not fits(1, 0):
        return ()
    # levels by n + r: a new edge adds 1, a new object with its edge adds 2
    levels: dict[int, dict[str, tuple]] = {1: {root.key: (root, [0])}}
    result = []
    size = 1
    while size in levels or any(k > size for k in levels):
        level = levels.pop(size, {})
        for s, orbits in level.values():
            result.append(s)
            n, r = s.n, len(s.edges)
            out = [0] * n
            inn = [0] * n
            for u, v in s.edges:
                out[u] += 1
                inn[v] += 1
            children = []
            # one more edge between two objects, once per orbit of ordered pairs
            if fits(n, r + 1):
                present = set(s.edges)
                cand = [(u, v) for u in range(n) for v in range(n)
                        if u != v and (u, v) not in present
                        and (out_degree is None or out[u] < out_degree) and (in_degree is None or inn[v] < in_degree)]
                for u, v in _pair_orbit_reps(n, s.generators, cand):
                    if acyclic and _reaches(n, s.edges, v, u):
                        continue
                    children.append((n, s.edges + ((u, v),)))
            # one more object, joined to an object of each orbit by an edge out of it or into it
            if fits(n + 1, r + 1):
                for v in sorted(set(orbits)):
                    if out_degree is None or out[v] < out_degree:
                        children.append((n + 1, s.edges + ((v, n),)))
                    if in_degree is None or inn[v] < in_degree:
                        children.append((n + 1, s.edges + ((n, v),)))
            for cn, ce in children:
                child = canonical_structure(cn, (0,) * cn, ce)
                k = _key_of(child.n, child.attributes, child.edges)
                nxt = levels.setdefault(cn + len(ce), {})
                if k not in nxt:
                    child, child_orbits = _with_generators(child)
                    child.__dict__["key"] = k
                    nxt[k] = (child, child_orbits)
        size += 1
    out = tuple(sorted(result, key=lambda s: (s.n + len(s.edges), s.n, s.key)))
    _CACHE[ck] = out
    return out


_CORES: dict = {}


def _reachable(n: int, edges) -> list[set[int]]:
    """``out[u]``: the objects that ``u`` reaches along relations (itself included)."""
    succ: list[list[int]] = [[] for _ in range(n)]
    for u, v in edges:
        succ[u].append(v)
    out = []
    for src in range(n):
        seen, stack = {src}, [src]
        while stack:
            for v in succ[stack.pop()]:
                if v not in seen:
                    seen.add(v)
                    stack.append(v)
        out.append(seen)
    return out


def core_object_graphs(*, complexity: int, objects: int | None = None, relations: int | None = None,
                       acyclic: bool = True, min_attributes: int = 0) -> tuple[Structure, ...]:
    """The connected object graphs whose every object is in two relations or more (**2-cores**) with
    ``objects + relations + min_attributes × objects <= complexity``: the same graphs, in the same order,
    as those of :func:`connected_object_graphs` with that property, without listing the others (at
    complexity 16: 7,143 of 38,750).

    Grown from the cycles by **ears**: a new relation between two objects, a path of new objects between
    two objects (or from an object back to itself), or a path from an object to a new cycle.  Every 2-core
    that is not a cycle is one of those on a smaller 2-core: in the multigraph of its objects in three
    relations or more (its kernel; the others subdivide the kernel's edges), a kernel edge on a cycle of
    the kernel can go (its ends keep two relations, the rest stays connected); if the kernel without loops
    is a tree, a leaf carries loops: one of two or more loops can go, and a leaf with one loop goes with
    the path that joins it to the rest.  Children are made once per orbit of the parent's automorphism
    group and deduplicated by canonical form, as in :func:`connected_object_graphs`; bounds on objects
    and relations only grow along ears.

    Without directed cycles and up to complexity :data:`STORED_COMPLEXITY` the graphs are read from the listing
    shipped with the package (:func:`stored_cores`) instead of grown: at 16 ~0.2 s instead of ~1.3 s CPU.  A
    bound only removes graphs (every bound grows along ears), so each such listing is the stored one filtered,
    in the same order (``tests/solve/test_connected.py`` compares both ways).

    >>> [(g.n, g.edges) for g in core_object_graphs(complexity=6)]
    [(3, ((1, 0), (2, 0), (2, 1)))]
    """
    ck = (complexity, objects, relations, acyclic, min_attributes)
    hit = _CORES.get(ck)
    if hit is not None:
        return hit
    unit = 1 + min_attributes

    def fits(n, r):
        return (n * unit + r <= complexity and (objects is None or n <= objects)
                and (relations is None or r <= relations))

    if acyclic and complexity <= STORED_COMPLEXITY and USE_STORED_CORES:
        out = tuple(g for g in stored_cores() if fits(g.n, len(g.edges)))
    else:
        out = _grown_cores(complexity, acyclic, fits)
    _CORES[ck] = out
    return out


#: the listing of :func:`core_object_graphs` without directed cycles is shipped up to this complexity
STORED_COMPLEXITY = 16
#: read the shipped listing where it covers the bounds (``False``: always grow the graphs)
USE_STORED_CORES = True
#: the shipped listing: ``[[objects, [[subject, object], ...]], ...]`` in the listing's order, gzipped JSON
STORED_CORES = "cores_acyclic.json.gz"
_STORED: list = []


def stored_cores() -> tuple[Structure, ...]:
    """The 2-cores without directed cycles of complexity at most :data:`STORED_COMPLEXITY` (no other bound), read
    from the shipped listing (once per process), each with its automorphism group's generators (nauty) and key.
    The listing only depends on those bounds (no taxonomy); :func:`write_stored_cores` writes it."""
    if not _STORED:
        import gzip
        import json
        from importlib import resources

        with gzip.open(str(resources.files("gas_solver") / "data" / STORED_CORES), "rt") as f:
            data = json.load(f)
        if data["complexity"] != STORED_COMPLEXITY:
            raise ValueError(f"{STORED_CORES}: the listing is of complexity {data['complexity']}, not "
                             f"{STORED_COMPLEXITY}")
        out = []
        for n, edges in data["graphs"]:
            g, _ = _with_generators(Structure(n, (0,) * n, tuple(tuple(e) for e in edges)))
            g.__dict__["key"] = _key_of(g.n, g.attributes, g.edges)
            out.append(g)
        _STORED.append(tuple(out))
    return _STORED[0]


def write_stored_cores(path) -> None:
    """Write the listing :func:`stored_cores` reads, grown afresh (``path``: the package's
    ``gas_solver/data/cores_acyclic.json.gz``)."""
    import gzip
    import json

    def fits(n, r):
        return n + r <= STORED_COMPLEXITY

    graphs = [[g.n, [list(e) for e in g.edges]] for g in _grown_cores(STORED_COMPLEXITY, True, fits)]
    raw = json.dumps({"complexity": STORED_COMPLEXITY, "graphs": graphs}, separators=(",", ":"))
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        f.write(raw.encode())


def _grown_cores(complexity: int, acyclic: bool, fits) -> tuple[Structure, ...]:
    """:func:`core_object_graphs` grown by ears (``fits(objects, relations)``: the bounds)."""
    short = 2 if not acyclic else 3  # the shortest cycle (two objects: relations both ways)
    levels: dict[int, dict[str, tuple]] = {}

    def add(n, edges):
        if len(set(edges)) != len(edges):
            return  # (two relations the same way between the same objects)
        child = canonical_structure(n, (0,) * n, edges)
        k = _key_of(child.n, child.attributes, child.edges)
        nxt = levels.setdefault(n + len(edges), {})
        if k not in nxt:
            child, child_orbits = _with_generators(child)
            child.__dict__["key"] = k
            nxt[k] = (child, child_orbits)

    def path(first, last, inner, forward):
        """Edges of the path ``first, inner..., last`` with ``forward[i]``: edge ``i`` points along it."""
        stops = [first, *inner, last]
        return [(x, y) if f else (y, x) for x, y, f in zip(stops, stops[1:], forward)]

    def orientations(m):
        return itertools.product((True, False), repeat=m)

    for length in range(short, complexity + 1):  # the cycles
        if not fits(length, length):
            break
        for forward in orientations(length):
            if acyclic and len(set(forward)) == 1:
                continue
            add(length, path(0, 0, list(range(1, length)), forward))
    result = []
    size = 1
    while levels and size <= max(levels):
        for s, orbits in levels.pop(size, {}).values():
            result.append(s)
            n, edges = s.n, s.edges
            r = len(edges)
            present = set(edges)
            reach = _reachable(n, edges) if acyclic else None
            # a relation, or a path of k new objects, between two objects (u = v: a new cycle through u)
            pairs = [(u, v) for u in range(n) for v in range(n)]
            for u, v in _pair_orbit_reps(n, s.generators, pairs):
                for k in itertools.count(0):
                    if not fits(n + k, r + k + 1):
                        break
                    if (k == 0 and (u == v or (u, v) in present)) or (u == v and k + 1 < short):
                        continue
                    inner = list(range(n, n + k))
                    for forward in orientations(k + 1):
                        if acyclic and len(set(forward)) == 1:
                            # one way all along: a cycle where the far end already reaches the near one
                            head, tail = (u, v) if forward[0] else (v, u)
                            if head in reach[tail]:
                                continue
                        add(n + k, list(edges) + path(u, v, inner, forward))
            # a path of j relations from an object to a new object x on a new cycle of `length` relations
            for u in sorted(set(orbits)):
                for j in itertools.count(1):
                    if not fits(n + j + short - 1, r + j + short):
                        break
                    for length in itertools.count(short):
                        if not fits(n + j + length - 1, r + j + length):
                            break
                        x = n + j - 1
                        ring = list(range(n + j, n + j + length - 1))
                        for forward in orientations(j):
                            stem = path(u, x, list(range(n, x)), forward)
                            for around in orientations(length):
                                if acyclic and len(set(around)) == 1:
                                    continue
                                add(n + j + length - 1, list(edges) + stem + path(x, x, ring, around))
        size += 1
    return tuple(sorted(result, key=lambda s: (s.n + len(s.edges), s.n, s.key)))


def connected_parts(structure) -> tuple[tuple[Structure, int], ...]:
    """The weakly connected components of a structure, each in canonical form, with their multiplicities
    (sorted by key).

    >>> s = Structure(5, (1, 0, 0, 1, 0), ((1, 2),))
    >>> [(p.n, p.attributes, p.edges, m) for p, m in connected_parts(s)]
    [(1, (0,), (), 1), (1, (1,), (), 2), (2, (0, 0), ((1, 0),), 1)]
    """
    comps = components(structure.n, structure.edges)
    comp_of = {v: i for i, vs in enumerate(comps) for v in vs}
    edges_of: dict[int, list] = {}
    for u, v in structure.edges:
        edges_of.setdefault(comp_of[u], []).append((u, v))
    parts: dict[str, list] = {}
    for c, vs in enumerate(comps):
        pos = {v: i for i, v in enumerate(vs)}
        part = canonical_structure(len(vs), tuple(structure.attributes[v] for v in vs),
                                   tuple((pos[u], pos[v]) for u, v in edges_of.get(c, ())))
        hit = parts.setdefault(part.key, [part, 0])
        hit[1] += 1
    return tuple((p, m) for _, (p, m) in sorted(parts.items()))
