"""Counting constraints inside the dynamic programme: truncated generating functions ("counters").

Cardinalities over objects (``objects`` in a concept set, attributes of a type)
and required one-node / one-edge patterns (``at_least = k``) are sums of
local contributions: each object or edge adds 0 or 1 to a counter.  A
``distinct_categories`` cardinality over a short list of categories is a union
of local contributions instead (which listed categories an object falls under):
a set counter, combined by union.  The exact
counter carries, next to each factor's labels, the counters' values so far,
saturated at a cap ``T`` (``T`` = the largest value that still matters:
``hi + 1`` for a range, ``lo`` for an open one, ``k`` for a requirement).  The
joint value of all counters is one index ``d`` in ``0 .. D-1`` (mixed radix);
multiplying factors convolves their ``d`` axes with a saturating addition
table.  At the end only the accepted values are summed.  On a cycle of length
``L`` every object (edge) of the cycle matches alike, so the increment is ``L``
times the object's (edge's).

This keeps such files in the fast path (no explicit sum over label
assignments) on the full taxonomy.

Examples
--------
>>> c = Counter(cap=2, accept=(2,))
>>> c.saturate(5)
2
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .burnside import class_profile, int_scaled
from .labels import LabelModel
from .modular import contract_int
from .work import check_counter_states

__all__ = ["Counter", "CounterModel", "counters_for", "category_rule", "essential_requirements"]

_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXY"


@dataclass(frozen=True)
class Counter:
    """One counted quantity: values ``0 .. cap`` (``cap`` = "cap or more") and the accepted values."""

    cap: int
    accept: tuple[int, ...]
    #: "v": per-label increments; "e": (node a, node b, predicate mask) per matching edge;
    #: "set": per-label bit masks united (listed ``distinct_categories``; ``cap`` = the full mask)
    kind: str = "v"
    data: object = None

    def saturate(self, x: int) -> int:
        return min(x, self.cap)


def category_rule(model: LabelModel):
    """The file's one ``distinct_categories`` cardinality without a category list, if it has exactly one
    (:mod:`.distinct` counts it by Möbius inversion over which objects share a category), else ``None``."""
    rules = [cc for cc in model.cardinalities if cc.kind == "distinct_categories" and not cc.categories]
    return rules[0] if len(rules) == 1 else None


def counters_for(model: LabelModel, *, skip=None) -> list[Counter] | None:
    """The counters of the model's global constraints, or ``None`` if some global constraint is not a count.

    ``repeat_objects = false`` is left to the caller (:mod:`.distinct` combines it with counters), and so
    is the cardinality ``skip`` (a :func:`category_rule` that the caller counts).
    """
    if model.global_soft:
        return None
    out = []
    dom = model.domain
    for cc in model.cardinalities:
        if cc is skip:
            continue
        lo, hi = cc.range.lo, cc.range.hi
        if cc.kind == "objects":
            idx = dom.concept_sets.index(cc.concepts)
            inc = tuple(int(idx in dom.classes[lb.cls].members) for lb in model.labels)
        elif cc.kind == "attribute_type":
            inc = tuple(sum(1 for t, _ in lb.present if t == cc.attribute_type) for lb in model.labels)
        elif cc.kind == "distinct_categories" and cc.categories and len(cc.categories) <= 8:
            # a set counter: which listed categories have appeared (combined by union)
            r = [c for c in model.spec.cardinalities if c.kind == "distinct_categories"].index(cc)
            bit = {k: 1 << i for i, k in enumerate(cc.categories)}
            masks = tuple(sum(bit[k] for k in dom.classes[lb.cls].counted[r]) for lb in model.labels)
            m = len(cc.categories)
            accept = tuple(x for x in range(1 << m) if x.bit_count() in cc.range)
            out.append(Counter((1 << m) - 1, accept, "set", masks))
            continue
        else:
            return None
        if hi is None:
            if lo == 0:
                continue  # [0, inf): no constraint
            cap, accept = lo, (lo,)  # the value "lo or more"
        else:
            cap, accept = hi + 1, tuple(range(lo, hi + 1))  # cap = "more than hi"
        out.append(Counter(cap, accept, "v", inc))
    required = [(mark, pc.at_least) for pc, mark in zip(model.required_local, model.required_marks)]
    for pc in model.global_patterns:
        if pc.mode != "require" or not _local(pc.pattern):
            return None
        required.append((model._mark_of(pc.pattern), pc.at_least))
    for mark, at_least in essential_requirements(model, required):
        out.append(_pattern_counter(model, mark, at_least))
    return out


def _match_sets(model: LabelModel, mark):
    kind, r = mark
    labels = model.labels
    if kind == "v":
        return ("v", frozenset(i for i, lb in enumerate(labels) if lb.bits & r == r))
    a, b, pm = r
    return ("e", frozenset(i for i, lb in enumerate(labels) if lb.bits >> a & 1),
            frozenset(i for i, lb in enumerate(labels) if lb.bits >> b & 1), pm)


def _implies(m1, k1: int, m2, k2: int) -> bool:
    """Does "at least k1 matches of pattern 1" imply "at least k2 matches of pattern 2"?"""
    if m1[0] == "v" and m2[0] == "v":  # every object matching 1 matches 2
        return k1 >= k2 and m1[1] <= m2[1]
    if m1[0] == "e" and m2[0] == "e":  # every edge matching 1 matches 2
        return k1 >= k2 and m1[1] <= m2[1] and m1[2] <= m2[2] and m1[3] & ~m2[3] == 0
    if m1[0] == "e" and m2[0] == "v":  # a matching edge has an end matching 2
        return k2 == 1 and k1 >= 1 and (m1[1] <= m2[1] or m1[2] <= m2[1])
    return False


def essential_requirements(model: LabelModel, required: list) -> list:
    """``required`` (``(mark, at_least)`` of local patterns) without those the others imply.

    Identical patterns (whatever their variable names) merge into the largest ``at_least``; a
    pattern whose matches are matches of another ("a:mammal" then "a:animal"), or that any match of
    another edge pattern supplies, adds nothing.  Each requirement left is one counter axis (2 values
    for ``at_least = 1``), so this is what keeps ``k`` overlapping requirements off ``2^k`` states.
    """
    sets = [_match_sets(model, m) for m, _ in required]
    keep = []
    for i, (m, k) in enumerate(required):
        implied = False
        for j, (_, k2) in enumerate(required):
            if j == i or not _implies(sets[j], k2, sets[i], k):
                continue
            # of two requirements that imply each other, the first one stays
            if not _implies(sets[i], k, sets[j], k2) or j < i:
                implied = True
                break
        if not implied:
            keep.append((m, k))
    return keep


def _local(p) -> bool:
    return (len(p.nodes) == 1 and not p.edges) or (len(p.nodes) == 2 and len(p.edges) == 1
                                                   and p.edges[0].subject != p.edges[0].object)


def _pattern_counter(model: LabelModel, mark, at_least: int) -> Counter:
    kind, r = mark
    if kind == "v":
        inc = tuple(int(lb.bits & r == r) for lb in model.labels)
        return Counter(at_least, (at_least,), "v", inc)
    return Counter(at_least, (at_least,), "e", r)


def _interpolate(values: np.ndarray, deg: list[int]) -> np.ndarray:
    """Coefficients of the polynomial with these values at the integer grid ``0 .. deg_c`` per axis
    (exact: one Vandermonde inverse per axis, in Fractions; an integer polynomial gives integers back)."""
    out = values
    for axis, d in enumerate(deg):
        n = d + 1
        # inverse of V[i, j] = i ** j (points 0 .. d), by Gauss–Jordan on Fractions
        V = [[Fraction(i ** j) for j in range(n)] + [Fraction(int(i == r)) for r in range(n)] for i in range(n)]
        for col in range(n):
            piv = next(r for r in range(col, n) if V[r][col] != 0)
            V[col], V[piv] = V[piv], V[col]
            inv = 1 / V[col][col]
            V[col] = [x * inv for x in V[col]]
            for r in range(n):
                if r != col and V[r][col] != 0:
                    f = V[r][col]
                    V[r] = [x - f * y for x, y in zip(V[r], V[col])]
        inverse = np.array([row[n:] for row in V], dtype=object)
        out = np.moveaxis(np.tensordot(inverse, np.moveaxis(out, axis, 0), axes=(1, 0)), 0, axis)
    flat = out.reshape(-1)
    for i, x in enumerate(flat):
        if Fraction(x).denominator != 1:
            raise AssertionError("non-integral interpolated coefficient")
        flat[i] = int(x)
    return out


class CounterModel:
    """Factors with a counter axis and their elimination, for one label model and its counters."""

    def __init__(self, model: LabelModel, counters: list[Counter]):
        self.model = model
        self.counters = counters
        check_counter_states([c.cap for c in counters])  # the tables below have (Π (cap+1))² entries
        self.radix = [c.cap + 1 for c in counters]
        self.D = int(np.prod(self.radix)) if counters else 1
        digits = list(itertools.product(*[range(r) for r in self.radix]))
        self._digits = digits
        index = {d: i for i, d in enumerate(digits)}

        def combine(a, b, c):  # counts add (saturating at the cap); sets unite
            return a | b if c.kind == "set" else min(a + b, c.cap)

        self._combine = combine
        self._index = index
        #: every counter is "at least one match": the counter values are sets of satisfied requirements,
        #: combined by union, and the counting runs in the subset-sum (zeta) domain (see :meth:`_zeta`)
        self.or_lattice = bool(counters) and all(c.kind in ("v", "e") and c.cap == 1 for c in counters)

        self.accept = [i for i, d in enumerate(digits) if all(v in c.accept for v, c in zip(d, counters))]
        # Labels that every edge factor treats alike (one class, the same pattern nodes among those an
        # edge looks at) are one value of the variables: their unary weights, counter axes included,
        # add up.  The sums over labels are unchanged, and the elimination's matrix products shrink
        # cubically (368 labels -> 95 values for 16 requirements on the default taxonomy).
        edge_nodes = 0
        for a, b, _ in model.forbid_edges:
            edge_nodes |= 1 << a | 1 << b
        for a, b, _, _ in model.soft_edges:
            edge_nodes |= 1 << a | 1 << b
        for c in counters:
            if c.kind == "e":
                edge_nodes |= 1 << c.data[0] | 1 << c.data[1]
        values: dict = {}
        self.value_of = [values.setdefault((lb.cls, lb.bits & edge_nodes), len(values)) for lb in model.labels]
        reps: dict = {}
        for i, g in enumerate(self.value_of):
            reps.setdefault(g, i)
        #: one label standing for each value (its class and edge-relevant pattern nodes are the value's)
        self.representative = [reps[g] for g in range(len(values))]
        #: number of values of the variables (grouped labels)
        self.G = len(values)
        #: the concept class of each value
        self.value_class = [model.labels[i].cls for i in self.representative]
        self._u: dict = {}
        self._f: dict = {}
        self._atoms: dict = {}
        self._z: dict = {}
        self._add = None
        self._zu: dict = {}
        self._zf: dict = {}
        self._evaluated: dict = {}
        self._lifted: dict = {}

    @property
    def add(self) -> np.ndarray:
        """``add[d1, d2]``: the joint counter value of two parts (D x D; built on first use)."""
        if self._add is None:
            digits, index, counters = self._digits, self._index, self.counters
            self._add = np.array([[index[tuple(self._combine(a, b, c) for a, b, c in zip(x, y, counters))]
                                   for y in digits] for x in digits], dtype=np.int64).reshape(self.D, self.D)
        return self._add

    def _code(self, values) -> int:
        return self._index[tuple(v if c.kind == "set" else min(v, c.cap) for v, c in zip(values, self.counters))]

    def unary(self, a: int, L: int, *, with_class: bool = True):
        key = (a, L, with_class)
        hit = self._u.get(key)
        if hit is None:
            base = self.model.vertex_weights(a, L, with_class=with_class)
            out = np.zeros((self.G, self.D), dtype=object)
            for i in range(self.model.M):
                if base[i]:
                    # a cycle of L objects counts L times; a set counter sees the same categories once
                    vals = [c.data[i] * L if c.kind == "v" else c.data[i] if c.kind == "set" else 0
                            for c in self.counters]
                    out[self.value_of[i], self._code(vals)] += base[i]
            hit = self._u[key] = int_scaled(out) if self.model.weighted else (out, 1)
        return hit

    def pairwise(self, L: int):
        hit = self._f.get(L)
        if hit is None:
            out = np.zeros((self.G, self.G, self.D), dtype=object)
            codes: dict = {}
            for x, y, matched, cw in self._edge_atoms(L):
                code = codes.get(matched)
                if code is None:  # an edge cycle of L edges counts L matches
                    code = codes[matched] = self._code([L * b for b in matched])
                out[x, y, code] += cw
            hit = self._f[L] = int_scaled(out) if self.model.weighted else (out, 1)
        return hit

    def _edge_atoms(self, L: int) -> list:
        """``[(value 1, value 2, per counter: does the atom match (0/1), weight)]`` per predicate atom of an
        edge cycle of ``L`` edges; without soft edges the atoms are those of one edge for every ``L``."""
        key = L if self.model.soft_edges else 1
        hit = self._atoms.get(key)
        if hit is None:
            m = self.model
            edge_counters = [(k, c.data) for k, c in enumerate(self.counters) if c.kind == "e"]
            hit = []
            for x, i in enumerate(self.representative):
                b1 = m.labels[i].bits
                for y, j in enumerate(self.representative):
                    b2 = m.labels[j].bits
                    for mask, cnt, w in m.edge_atom_weights(i, j, key):
                        matched = [0] * len(self.counters)
                        for k, (a, b, pm) in edge_counters:
                            if b1 >> a & 1 and b2 >> b & 1 and mask & pm:
                                matched[k] = 1
                        hit.append((x, y, tuple(matched), cnt * w))
            self._atoms[key] = hit
        return hit

    def component(self, key) -> np.ndarray:
        """Partition function of one quotient component, per counter value (a vector over ``d``; Fractions if weighted)."""
        hit = self._z.get(key)
        if hit is not None:
            return hit
        verts, edges = key
        den = 1
        factors = []
        for i, (a, L) in enumerate(verts):
            w, d = self.unary(a, L)
            den *= d
            factors.append(((i,), w))
        for i, j, L in edges:
            F, d = self.pairwise(L)
            den *= d
            if i == j:
                factors.append(((i,), np.stack([np.diagonal(F[:, :, x]) for x in range(self.D)], axis=-1)))
            else:
                factors.append(((i, j), F))
        result = self.contract(factors)  # every variable has a unary factor, so none is left out
        if den != 1:
            result = np.array([Fraction(x, den) for x in result], dtype=object)
        self._z[key] = result
        return result

    def _times(self, s1, a1, s2, a2):
        """Product of two factors over the union of their scopes, counter axes convolved."""
        union = tuple(sorted(set(s1) | set(s2)))
        sub1 = "".join(_LETTERS[u] for u in s1)
        sub2 = "".join(_LETTERS[u] for u in s2)
        out_sub = "".join(_LETTERS[u] for u in union)
        sizes = dict(zip(s1, a1.shape))
        sizes.update(zip(s2, a2.shape))
        shape = tuple(sizes[u] for u in union) + (self.D,)
        out = np.zeros(shape, dtype=object)
        for d1 in range(self.D):
            x = a1[..., d1]
            if not x.any():
                continue
            for d2 in range(self.D):
                y = a2[..., d2]
                if not y.any():
                    continue
                out[..., self.add[d1, d2]] += np.einsum(f"{sub1},{sub2}->{out_sub}", x, y, optimize=False)
        return union, out

    def lift(self, arr: np.ndarray) -> np.ndarray:
        """A factor that counts nothing, with a counter axis (all its weight at "nothing counted");
        memoised per array, so that its evaluations are too."""
        hit = self._lifted.get(id(arr))
        if hit is None or hit[0] is not arr:
            out = np.zeros(arr.shape + (self.D,), dtype=object)
            out[..., 0] = arr
            hit = self._lifted[id(arr)] = (arr, out)
        return hit[1]

    def contract(self, factors) -> np.ndarray:
        """Sum over every variable of the product of factors with counter axes: a vector over counter values."""
        if self.counters and all(c.kind in ("v", "e") for c in self.counters):
            return self._contract_evaluated(factors)
        return self._contract_direct(factors)

    # -- sums of 0/1 matches: the evaluation domain --------------------------------------
    # A counter that adds up increments is the exponent of a variable x_c: a factor is a polynomial in the
    # x's (its counter axis lists the coefficients; a saturated coefficient keeps its capped exponent,
    # which changes nothing once the total is capped again), and a product of factors is a product of
    # polynomials.  Evaluated at integer points x_c = 0 .. deg_c, the products are pointwise, so the
    # whole sum is one batch of multi-modular eliminations (one member per point), and interpolation
    # gives the coefficients back: the same vector as the direct convolution, without D x D products of
    # Python-integer tables.
    def _contract_evaluated(self, factors) -> np.ndarray:
        caps = [c.cap for c in self.counters]
        digits = np.array(self._digits, dtype=np.int64).reshape(self.D, len(caps))
        deg = [0] * len(caps)
        for _, arr in factors:
            used = np.flatnonzero(np.asarray(arr, dtype=object).reshape(-1, self.D).any(axis=0))
            if len(used):
                top = digits[used].max(axis=0)
                deg = [d + int(t) for d, t in zip(deg, top)]
        points = list(itertools.product(*[range(d + 1) for d in deg]))
        # E[d, p] = Π_c point_c ** digit_c(d): coefficients -> values (0 ** 0 = 1)
        E = np.array([[int(np.prod([x ** int(e) for x, e in zip(pt, dg)], dtype=object)) for pt in points]
                      for dg in digits], dtype=object)
        evaluated = []
        for scope, arr in factors:
            key = (id(arr), len(points), tuple(deg))
            hit = self._evaluated.get(key)
            if hit is None or hit[0] is not arr:
                vals = np.moveaxis(np.asarray(arr, dtype=object).dot(E), -1, 0)
                hit = self._evaluated[key] = (arr, np.ascontiguousarray(vals))
            evaluated.append((scope, hit[1]))
        values = contract_int(evaluated, batch=len(points))
        coef = _interpolate(np.array(values, dtype=object).reshape([d + 1 for d in deg]), deg)
        out = np.zeros(self.D, dtype=object)
        for t in itertools.product(*[range(d + 1) for d in deg]):
            x = coef[t]
            if x:
                out[self._code(list(t))] += x
        return out

    def _contract_direct(self, factors) -> np.ndarray:
        remaining = {u for sc, _ in factors for u in sc}
        result = None
        while remaining:
            def degree(v):
                return len({u for sc, _ in factors if v in sc for u in sc} - {v})
            v = min(remaining, key=lambda u: (degree(u), u))
            gathered = [f for f in factors if v in f[0]]
            factors = [f for f in factors if v not in f[0]]
            acc_scope, acc = gathered[0]
            for scope, f in gathered[1:]:
                acc_scope, acc = self._times(acc_scope, acc, scope, f)
            new = acc.sum(axis=acc_scope.index(v))
            scope = tuple(u for u in acc_scope if u != v)
            remaining.discard(v)
            if scope:
                factors.append((scope, new))
            else:
                result = new if result is None else self._conv(result, new)
        return result

    def accepted(self, vec) -> object:
        return sum((vec[d] for d in self.accept), 0)

    def _conv(self, x, y):
        out = np.zeros(self.D, dtype=object)
        for d1 in range(self.D):
            if x[d1]:
                for d2 in range(self.D):
                    if y[d2]:
                        out[self.add[d1, d2]] += x[d1] * y[d2]
        return out

    # -- "at least one" requirements: the zeta domain -------------------------------------
    def _zeta(self, arr: np.ndarray) -> np.ndarray:
        """Subset sums over the last axis (``D = 2^k`` sets): ``Z[..., S] = Σ_{T ⊆ S} arr[..., T]``,
        moved to the front.  ``Z[S]`` is the weight with every requirement outside ``S`` unmatched, so
        products of parts are pointwise in ``S`` (no ``D x D`` convolution), and the counts come back
        by Möbius inversion: inclusion–exclusion over the requirements, all terms at once."""
        k = len(self.counters)
        z = np.moveaxis(arr, -1, 0).reshape((2,) * k + arr.shape[:-1]).copy()
        for t in range(k):
            hi = (slice(None),) * t + (1,)
            lo = (slice(None),) * t + (0,)
            z[hi] = z[hi] + z[lo]
        return z.reshape((self.D,) + arr.shape[:-1])

    def _mobius(self, vec: np.ndarray) -> np.ndarray:
        k = len(self.counters)
        z = np.asarray(vec, dtype=object).reshape((2,) * k).copy()
        for t in range(k):
            hi = (slice(None),) * t + (1,)
            lo = (slice(None),) * t + (0,)
            z[hi] = z[hi] - z[lo]
        return z.reshape(self.D)

    def zeta_unary(self, a: int, L: int):
        """``(Z, den)``: the unary factor of an object cycle in the zeta domain, ``Z[S, value]``."""
        hit = self._zu.get((a, L))
        if hit is None:
            w, d = self.unary(a, L)
            hit = self._zu[(a, L)] = (self._zeta(w), d)
        return hit

    def zeta_pairwise(self, L: int):
        """``(Z, den)``: the edge factor of an edge cycle in the zeta domain, ``Z[S, value1, value2]``."""
        hit = self._zf.get(L)
        if hit is None:
            F, d = self.pairwise(L)
            hit = self._zf[L] = (self._zeta(F), d)
        return hit

    def accepted_fix(self, profile):
        """Labellings fixed by an automorphism with this quotient profile (sorted component keys) that
        satisfy every requirement (``or_lattice`` only): the zeta vectors of the components multiply
        pointwise, and Möbius inversion keeps the sets with every requirement matched."""
        vec = np.ones(self.D, dtype=object)
        for key in profile:
            vec = vec * self.zeta_component(key)
        res = self._mobius(vec)
        return sum((res[d] for d in self.accept), 0)

    def zeta_component(self, key) -> np.ndarray:
        """A component's partition function per set ``S`` (only requirements in ``S`` may match)."""
        hit = self._z.get(("zeta", key))
        if hit is not None:
            return hit
        verts, edges = key
        den = 1
        factors = []
        for i, (a, L) in enumerate(verts):
            w, d = self.zeta_unary(a, L)
            den *= d
            factors.append(((i,), w))
        for i, j, L in edges:
            F, d = self.zeta_pairwise(L)
            den *= d
            if i == j:
                factors.append(((i,), np.ascontiguousarray(np.diagonal(F, axis1=1, axis2=2))))
            else:
                factors.append(((i, j), F))
        vals = contract_int(factors, batch=self.D)
        result = np.array([Fraction(x, den) if den != 1 else x for x in vals], dtype=object)
        self._z[("zeta", key)] = result
        return result

    def orbit_sum(self, structure):
        """``(1/|G|) Σ_g Σ_{accepted d} Fix(g)[d]``: scenes (or Z) on ``structure`` satisfying the counters."""
        if self.or_lattice:  # (Möbius inversion is linear: one per class or one of the sum, the same)
            total = sum((mult * self.accepted_fix(profile) for profile, mult in class_profile(structure)), 0)
            return Fraction(total, structure.group_order)
        total = 0
        for profile, mult in class_profile(structure):
            vec = None
            for key in profile:
                z = self.component(key)
                vec = z if vec is None else self._conv(vec, z)
            total += mult * sum((vec[d] for d in self.accept), 0)
        return Fraction(total, structure.group_order)
