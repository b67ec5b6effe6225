"""Independent brute force for the counter and sampler tests.

Lists every labelled scene up to a complexity straight from the taxonomy (every
concept, attribute set and predicate, every edge set), deduplicates by
``canonical_id`` and filters with H3's ``violations``.  Shares no code with
``gas_solver.solve``.
"""

from __future__ import annotations

import functools
import itertools
from collections import Counter
from fractions import Fraction

from gas_solver.constraints.check import scene_weight, violations
from gas_solver.constraints.model import Bounds, ConstraintSpec, IntRange
from gas_solver.scene import Attribute, Relation, Scene, SceneAttribute, SceneObject, canonical_id


def complexity_spec(cmax, lo=1, **bounds):
    """A constraint file with complexity ``[lo, cmax]`` and the other bounds given."""
    return ConstraintSpec(bounds=Bounds(complexity=IntRange(lo, cmax), **bounds))


def _attr_sets(tax, k):
    types = sorted(tax.attribute_types)
    out = []
    for ts in itertools.combinations(types, k):
        for vals in itertools.product(*[[v.id for v in tax.attribute_types[t].values] for t in ts]):
            out.append(tuple(Attribute(t, v) for t, v in zip(ts, vals)))
    return out


def _compositions(total, parts):
    if parts == 0:
        if total == 0:
            yield ()
        return
    for first in range(total + 1):
        for rest in _compositions(total - first, parts - 1):
            yield (first,) + rest


@functools.lru_cache(maxsize=None)
def raw_scenes(tax, cmax):
    """Canonical representatives of every scene graph (no scene attributes) of complexity <= cmax."""
    concepts = [o.id for o in tax.objects]
    preds = sorted(tax.relations)
    sets = {k: _attr_sets(tax, k) for k in range(cmax + 1)}
    seen = {}
    for n in range(1, cmax + 1):
        pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
        for r in range(0, cmax - n + 1):
            for es in itertools.combinations(pairs, r):
                for na in range(0, cmax - n - r + 1):
                    for split in _compositions(na, n):
                        if any(not sets[a] for a in split):
                            continue
                        for cs in itertools.product(concepts, repeat=n):
                            for attrs in itertools.product(*[sets[a] for a in split]):
                                objs = tuple(SceneObject(c, at) for c, at in zip(cs, attrs))
                                for ps in itertools.product(preds, repeat=r):
                                    s = Scene(objs, tuple(Relation(i, j, p) for (i, j), p in zip(es, ps)))
                                    seen.setdefault(canonical_id(s), s)
    return tuple(seen.values())


def with_scene_attributes(tax, spec, scenes):
    """Every scene extended by every allowed choice of scene attributes (the checker filters)."""
    types = [t for t in tax.scene_attribute_types_for(spec.bounds.modality)]
    choices = []
    rng = spec.bounds.scene_attributes  # other sizes cannot pass the checker; skip them
    for k in range(rng.lo, min(len(types), len(types) if rng.hi is None else rng.hi) + 1):
        for ts in itertools.combinations(types, k):
            for vals in itertools.product(*[[v.id for v in t.values] for t in ts]):
                choices.append(tuple(SceneAttribute(t.id, v) for t, v in zip(ts, vals)))
    for s in scenes:
        for ch in choices:
            yield Scene(s.objects, s.relations, ch, spec.bounds.modality)


def stabiliser(scene) -> int:
    """How many permutations of the scene's objects map it onto itself (its objects and labelled relations)."""
    n = scene.n_objects
    rels = {(r.subject, r.object, r.predicate) for r in scene.relations}
    return sum(1 for p in itertools.permutations(range(n))
               if all(scene.objects[p[i]] == scene.objects[i] for i in range(n))
               and {(p[s], p[o], q) for s, o, q in rels} == rels)


def space(tax, spec, cmax):
    """``{canonical id: scene}`` of every scene of complexity <= cmax that passes ``violations``."""
    out = {}
    for s in with_scene_attributes(tax, spec, raw_scenes(tax, cmax)):
        if not violations(s, spec, tax):
            out[canonical_id(s)] = s
    return out


def weights(tax, spec, scenes):
    return {k: scene_weight(s, spec, tax) for k, s in scenes.items()}


def total_weight(tax, spec, scenes) -> Fraction:
    return sum(weights(tax, spec, scenes).values(), Fraction(0))


def uniformity_pvalue(scenes, keys) -> float:
    """Chi-square p-value of ``scenes`` (drawn scenes) against the uniform law on ``keys`` (canonical ids of
    the brute-force space); asserts first that every draw is one of ``keys``."""
    import numpy as np
    from scipy.stats import chisquare

    memo: dict = {}
    counts: dict = {}
    for s in scenes:
        k = memo[s] if s in memo else memo.setdefault(s, canonical_id(s))
        counts[k] = counts.get(k, 0) + 1
    assert set(counts) <= set(keys)
    obs = np.array([counts.get(k, 0) for k in keys], dtype=float)
    return chisquare(obs, np.full(len(keys), obs.sum() / len(keys))).pvalue


def brute_series(factors, n_vars, labels, degree):
    """Σ over every labelling of the product of the factors' polynomials, truncated (Python integers)."""
    total = [0] * (degree + 1)
    for lab in itertools.product(range(labels), repeat=n_vars):
        prod = [1] + [0] * degree
        for scope, arr in factors:
            at = tuple(lab[u] for u in scope)
            poly = [int(arr[(s,) + at]) for s in range(degree + 1)] if arr.ndim == len(scope) + 1 else [int(arr[at])]
            prod = [sum(prod[i] * poly[s - i] for i in range(s + 1) if s - i < len(poly)) for s in range(degree + 1)]
        total = [t + p for t, p in zip(total, prod)]
    return total



def wrapped_series_product(A, B, modulus: int) -> list:
    """The matrix product of two series of object arrays ``A[0, i]``, ``B[0, j]`` (shapes ``(1, terms, rows, inner)``
    and ``(1, terms, inner, cols)``) as lists of Python integers modulo ``modulus``: coefficient ``s`` sums
    ``A_i · B_(s-i)`` up to the shorter series where both have several terms; a one-term side multiplies each of the
    other's terms.

    >>> import numpy as np
    >>> one = np.ones((1, 2, 1, 1), dtype=object)
    >>> wrapped_series_product(one, one * 3, 4)
    [[[3]], [[2]]]
    """
    import numpy as np

    sa, sb = A.shape[1], B.shape[1]
    if sa > 1 and sb > 1:
        zero = np.zeros((A.shape[2], B.shape[3]), dtype=object)
        terms = [sum((A[0, i].dot(B[0, s - i]) for i in range(s + 1)), zero) for s in range(min(sa, sb))]
    else:
        terms = [A[0, i if sa > 1 else 0].dot(B[0, i if sb > 1 else 0]) for i in range(max(sa, sb))]
    return [[[int(v) % modulus for v in row] for row in m] for m in terms]

def random_factors(rng, labels, degree, n, scale_bits):
    """Random factors on ``n`` variables (``rng``: a numpy Generator): unary series of ``degree + 1``
    coefficients (or constants), pair factors (some with entries times ``2^scale_bits``: beyond 2^53, so that
    float inputs round), a triple factor sometimes; ``labels`` values per variable (for :func:`brute_series`)."""
    big = 2 ** scale_bits
    factors = []
    for v in range(n):
        u = rng.integers(0, 9, (degree + 1, labels)).astype(object) * big + rng.integers(0, 3, (degree + 1, labels))
        factors.append(((v,), u if rng.random() < 0.8 else u[0]))
    for i, j in itertools.combinations(range(n), 2):
        if rng.random() < 0.7:
            f = rng.integers(0, 6, (labels, labels)).astype(object) * (big if rng.random() < 0.3 else 1)
            f[rng.random((labels, labels)) < 0.2] = 0
            factors.append(((i, j) if rng.random() < 0.5 else (j, i), f))
    if n >= 3 and rng.random() < 0.4:
        factors.append(((0, 1, 2), rng.integers(0, 4, (labels,) * 3).astype(object)))
    return factors


def expected_shares(law: str, tax, spec, truth: dict):
    """The share of each scene of ``truth`` (by sorted key) under a sampling law, and the :class:`Sampler` keywords
    that ask for it: ``"uniform"`` (every scene alike), ``"stratified"`` (every complexity alike, then every scene
    of it) or ``"weighted"`` (the file's soft weights).

    >>> share, kw = expected_shares("uniform", None, None, {"a": None, "b": None})
    >>> [float(x) for x in share], kw
    ([0.5, 0.5], {})
    """
    import numpy as np

    keys = sorted(truth)
    if law == "uniform":
        return np.full(len(keys), 1 / len(keys)), {}
    if law == "stratified":
        per = Counter(s.complexity for s in truth.values())
        share = np.array([1 / len(per) / per[truth[k].complexity] for k in keys])
        return share, {"distribution": "stratified", "strata": {"complexity": "equal"}}
    w = weights(tax, spec, truth)
    z = sum(w.values())
    return np.array([float(w[k] / z) for k in keys]), {"distribution": "weighted"}


def fit_pvalues(sampler, keys, share, seeds=(3, 4, 5)) -> list:
    """Chi-square p-values of ``20 · len(keys)`` draws of ``sampler`` per seed against the shares ``share`` of the
    brute-force space's scenes ``keys`` (sorted canonical ids); asserts first that every draw is one of ``keys``.
    The per-rule tests ask the median to be above 0.01."""
    import numpy as np
    from scipy.stats import chisquare

    draws = 20 * len(keys)
    ps = []
    for seed in seeds:
        c = Counter(canonical_id(s) for s in sampler.sample(draws, seed=seed))
        assert set(c) <= set(keys)
        ps.append(chisquare(np.array([c[k] for k in keys], dtype=float), draws * share).pvalue)
    return ps


def counts_by(scenes, by: str) -> dict:
    """The brute-force space's scenes counted by complexity, number of objects or shape, as ``count_scenes(...,
    by=by)`` returns them (sorted by key)."""
    key = {"complexity": lambda s: s.complexity, "objects": lambda s: len(s.objects), "shape": lambda s: s.shape}[by]
    return dict(sorted(Counter(key(s) for s in scenes).items()))
