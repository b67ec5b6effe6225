"""Structures: counts against an independent networkx oracle, backends agree, automorphisms, caching."""

from __future__ import annotations

import itertools
from collections import Counter

import networkx as nx
import pytest
from networkx.algorithms.isomorphism import DiGraphMatcher

from gas_solver.constraints.model import Bounds, IntRange
from gas_solver.errors import GasError
from gas_solver.solve.structures import Structure, canonical_structure, structures
from gas_solver.solve.structures import _all_permutations_within_cells

# Known values (solver_lab.md §2, cross-checked there by two independent oracles).
DAG = [1, 2, 4, 8, 17, 37, 83, 193]
DIGRAPH = [1, 2, 4, 9, 19, 45, 107, 269]
DAG_CONNECTED = [1, 1, 2, 3, 7, 13, 31, 70]
DIGRAPH_CONNECTED = [1, 1, 2, 4, 8, 18, 44, 110]


# ---------------------------------------------------------------------------
# Independent oracle: every labelled typed graph, deduplicated by networkx isomorphism
# ---------------------------------------------------------------------------

def _graph(n, attrs, edges) -> nx.DiGraph:
    g = nx.DiGraph()
    for i in range(n):
        g.add_node(i, a=attrs[i])
    g.add_edges_from(edges)
    return g


def _compositions(total, parts):
    if parts == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in _compositions(total - first, parts - 1):
            yield (first,) + rest


def oracle_classes(c: int) -> list[nx.DiGraph]:
    """One networkx digraph per isomorphism class of structures of complexity exactly c (cycles allowed)."""
    reps: dict[tuple, list[nx.DiGraph]] = {}
    for n in range(1, c + 1):
        pairs = [(u, v) for u in range(n) for v in range(n) if u != v]
        for r in range(0, min(len(pairs), c - n) + 1):
            a = c - n - r
            for edges in itertools.combinations(pairs, r):
                for attrs in _compositions(a, n):
                    g = _graph(n, attrs, edges)
                    inv = (n, r, tuple(sorted((attrs[i], g.out_degree(i), g.in_degree(i)) for i in range(n))))
                    bucket = reps.setdefault(inv, [])
                    if not any(DiGraphMatcher(h, g, node_match=lambda x, y: x["a"] == y["a"]).is_isomorphic()
                               for h in bucket):
                        bucket.append(g)
    return [g for bucket in reps.values() for g in bucket]


def oracle_counts(c: int) -> dict[str, int]:
    classes = oracle_classes(c)
    dags = [g for g in classes if nx.is_directed_acyclic_graph(g)]
    return {
        "digraph": len(classes),
        "dag": len(dags),
        "digraph_connected": sum(nx.is_weakly_connected(g) for g in classes),
        "dag_connected": sum(nx.is_weakly_connected(g) for g in dags),
    }


def _count(c, *, acyclic, connected, backend="orderly", **kw):
    b = Bounds(complexity=IntRange(c, c), acyclic=acyclic, connected=connected, **kw)
    return len(structures(b, backend=backend))


def _all_counts(c, backend="orderly"):
    return {
        "digraph": _count(c, acyclic=False, connected=False, backend=backend),
        "dag": _count(c, acyclic=True, connected=False, backend=backend),
        "digraph_connected": _count(c, acyclic=False, connected=True, backend=backend),
        "dag_connected": _count(c, acyclic=True, connected=True, backend=backend),
    }


@pytest.mark.parametrize("c", range(1, 7))
def test_counts_equal_networkx_oracle(c):
    assert _all_counts(c) == oracle_counts(c)


@pytest.mark.slow
@pytest.mark.parametrize("c", [7, 8])
def test_counts_equal_networkx_oracle_large(c):
    assert _all_counts(c) == oracle_counts(c)


def test_known_values_up_to_8():
    for c in range(1, 9):
        assert _all_counts(c) == {
            "dag": DAG[c - 1], "digraph": DIGRAPH[c - 1],
            "dag_connected": DAG_CONNECTED[c - 1], "digraph_connected": DIGRAPH_CONNECTED[c - 1],
        }


def test_attribute_cap_changes_counts():
    # solver_lab.md §2: with <= 3 attributes per object, c = 8 has 179 DAG structures instead of 193.
    assert _count(8, acyclic=True, connected=False, attributes_per_object=IntRange(0, 3)) == 179


@pytest.mark.parametrize("backend", ["asp", "cpsat"])
@pytest.mark.parametrize("acyclic", [True, False])
@pytest.mark.parametrize("connected", [True, False])
def test_solver_backends_give_the_same_tuple(backend, acyclic, connected):
    b = Bounds(complexity=IntRange(1, 6), acyclic=acyclic, connected=connected)
    assert structures(b, backend=backend) == structures(b)


@pytest.mark.parametrize("backend", ["asp", "cpsat"])
def test_solver_backends_with_degree_and_slot_bounds(backend):
    b = Bounds(complexity=IntRange(2, 7), objects=IntRange(2, 4), relations=IntRange(1, 3),
               attributes_per_object=IntRange(0, 1), out_degree=IntRange(0, 1), in_degree=IntRange(0, 2),
               acyclic=False)
    ref = structures(b)
    assert ref and structures(b, backend=backend) == ref
    for s in ref:
        assert 2 <= s.n <= 4 and 1 <= len(s.edges) <= 3 and max(s.attributes) <= 1
        assert max(Counter(u for u, _ in s.edges).values()) <= 1
        assert max(Counter(v for _, v in s.edges).values()) <= 2


def test_bounds_filter_is_exactly_the_oracle_filter():
    # The bounded list equals the unbounded list filtered by hand.
    full = structures(Bounds(complexity=IntRange(1, 7), acyclic=False))
    b = Bounds(complexity=IntRange(3, 7), objects=IntRange(2, 3), attributes=IntRange(1, 2),
               attributes_per_object=IntRange(0, 1), in_degree=IntRange(0, 1), acyclic=False)
    expect = [s for s in full if s.complexity >= 3 and 2 <= s.n <= 3 and 1 <= sum(s.attributes) <= 2
              and max(s.attributes) <= 1 and max(Counter(v for _, v in s.edges).values(), default=0) <= 1]
    assert list(structures(b)) == expect


def test_order_is_deterministic_and_sorted():
    ss = structures(Bounds(complexity=IntRange(1, 6)))
    keys = [(s.complexity, s.shape, s.key) for s in ss]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert [s.shape for s in ss[:4]] == [(1, 0, 0), (1, 1, 0), (2, 0, 0), (1, 2, 0)]


def test_each_structure_is_in_canonical_form():
    for s in structures(Bounds(complexity=IntRange(1, 6), acyclic=False)):
        assert canonical_structure(s.n, s.attributes, s.edges) == s


def test_automorphisms_equal_brute_force():
    for s in structures(Bounds(complexity=IntRange(1, 7), acyclic=False)):
        brute = tuple(sorted(_all_permutations_within_cells(s)))
        assert s.automorphisms == brute
        assert s.automorphisms[0] == tuple(range(s.n))
        assert s.group_order == len(brute)


def test_automorphism_convention():
    # 0 -> 1 and 0 -> 2: swapping 1 and 2 is an automorphism, nothing else is.
    s = Structure(3, (0, 0, 0), ((0, 1), (0, 2)))
    assert s.automorphisms == ((0, 1, 2), (0, 2, 1))
    s = Structure(3, (1, 0, 0), ((1, 2),))
    assert s.automorphisms == ((0, 1, 2),)


def test_key_is_a_certificate():
    a = Structure(3, (1, 0, 0), ((1, 2),))
    b = Structure(3, (0, 0, 1), ((0, 1),))
    c = Structure(3, (0, 0, 1), ((0, 2),))
    assert a.key == b.key and a.key != c.key


def test_disk_cache_round_trip(tmp_path):
    b = Bounds(complexity=IntRange(1, 6), acyclic=False, connected=True)
    first = structures(b, cache_dir=tmp_path)
    files = list(tmp_path.glob("structures-*.json"))
    assert len(files) == 1
    from gas_solver.solve import structures as mod

    mod._CACHE.clear()
    again = structures(b, cache_dir=tmp_path)
    assert again == first
    assert [s.automorphisms for s in again] == [s.automorphisms for s in first]


def test_unbounded_complexity_is_refused():
    with pytest.raises(GasError, match="upper bound"):
        structures(Bounds(complexity=IntRange(1, None)))


def test_unknown_backend_is_refused():
    with pytest.raises(GasError, match="unknown structure backend"):
        structures(Bounds(), backend="nope")
