"""Attribute exclusions: pairs of value sets, of two types, that one object never carries together.

The taxonomy's ``attribute_exclusions`` ("multicoloured" beside any colour, "transparent" beside wood) are a
restriction of each object's own choice of attribute set, so the counter needs only the number of allowed sets
of ``k`` attributes per vertex label, and the sampler a uniform allowed set:

* the **count**: the free types of a label split into **blocks** (values no rule tells apart); a set of ``k``
  attributes takes at most one block per type and no two blocks that a rule pairs.  Its polynomial
  ``Σ_k ways_k x^k`` is the product of ``(1 + n_t x)`` over the types no rule touches times, for the others, a
  sum over their allowed block choices, found by a walk over the types that carries the blocks the choices
  so far rule out (:func:`free_polynomial`);
* the **draw**: a uniform set among all sets of the label's types (the plain mixed-radix decoding), redrawn
  while it breaks a rule (:func:`breaks`): rejection from a uniform law onto a subset is uniform on it.

Without rules (the taxonomy has none, or ``[semantics] exclusions = false``) nothing here runs, and every
count and draw is the product form of :mod:`.labels`.

>>> rules = ((("pattern", frozenset({"multicoloured"})), ("colour", frozenset({"red", "blue"}))),)
>>> free = (("colour", ("red", "blue", "green")), ("pattern", ("multicoloured", "striped")))
>>> ex = label_exclusions(free, rules)
>>> free_polynomial(free, ex)      # 1 + (3 + 2)x + (3*2 - 2)x^2
(1, 5, 4)
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["domain_rules", "label_exclusions", "label_rules", "free_polynomial", "breaks", "side_index",
           "restrict_free"]


def domain_rules(taxonomy, values: dict) -> tuple:
    """The taxonomy's exclusions as ``((type, values), (other_type, other_values))`` restricted to the values a
    file allows (``values``: ``{type: (value, ...)}``); rules with an empty side are left out."""
    out = []
    for r in getattr(taxonomy, "attribute_exclusions", ()):
        a = frozenset(v for v in values.get(r.type, ()) if v in r.values)
        b = frozenset(v for v in values.get(r.other_type, ()) if v in r.other_values)
        if a and b:
            out.append(((r.type, a), (r.other_type, b)))
    return tuple(out)


def restrict_free(present, free, rules) -> tuple | None:
    """The free types of a label whose present atoms are ``present`` (each atom inside or outside every rule
    side), with the values a present atom rules out removed; None if two present atoms break a rule."""
    have = dict(present)
    for (ta, va), (tb, vb) in rules:
        if ta in have and tb in have and set(have[ta]) <= va and set(have[tb]) <= vb:
            return None
    out = []
    for t, vals in free:
        drop = set()
        for (ta, va), (tb, vb) in rules:
            if ta == t and tb in have and set(have[tb]) <= vb:
                drop |= va
            if tb == t and ta in have and set(have[ta]) <= va:
                drop |= vb
        out.append((t, tuple(v for v in vals if v not in drop)) if drop else (t, vals))
    return tuple((t, v) for t, v in out if v)


def label_exclusions(free, rules) -> tuple:
    """The rules among a label's free types: ``((i, values_i, j, values_j), ...)`` over indices of ``free``
    (both sides non-empty there), in rule order."""
    index = {t: i for i, (t, _) in enumerate(free)}
    out = []
    for (ta, va), (tb, vb) in rules:
        if ta in index and tb in index:
            i, j = index[ta], index[tb]
            a = frozenset(v for v in free[i][1] if v in va)
            b = frozenset(v for v in free[j][1] if v in vb)
            if a and b:
                out.append((i, a, j, b))
    return tuple(out)


@lru_cache(maxsize=8192)
def free_polynomial(free, excl) -> tuple:
    """``(ways_0, ways_1, ...)``: the attribute sets of ``k`` attributes over ``free`` (one value per type at
    most) that break no rule of ``excl`` (:func:`label_exclusions`)."""
    touched = sorted({i for i, _, j, _ in excl} | {j for _, _, j, _ in excl})
    poly = [1]
    for i, (_, vals) in enumerate(free):  # types no rule touches: (1 + n x)
        if i not in touched:
            poly = _times(poly, (1, len(vals)))
    pos = {t: n for n, t in enumerate(touched)}
    # blocks of each touched type: its values split by membership in every rule side on it; a block is
    # (size, sides it lies in, the sides it rules out on later types only: what the walk must carry)
    blocks = []
    for n, i in enumerate(touched):
        sides_of_type = [(r, s, vs) for r, (a, va, b, vb) in enumerate(excl)
                         for s, (t, vs) in enumerate(((a, va), (b, vb))) if t == i]
        groups: dict = {}
        for v in free[i][1]:
            key = frozenset((r, s) for r, s, vs in sides_of_type if v in vs)
            groups[key] = groups.get(key, 0) + 1
        row = []
        for key, size in sorted(groups.items(), key=lambda kv: sorted(kv[0])):
            later = frozenset((r, 1 - s) for r, s in key if pos[excl[r][2 if s == 0 else 0]] > n)
            row.append((size, key, later))
        blocks.append(row)
    memo: dict = {}

    def walk(n: int, banned: frozenset) -> tuple:
        """Polynomial of the touched types from ``n`` on, given the rule sides that earlier choices rule out
        (only sides of types from ``n`` on are carried, so equal futures share one entry)."""
        if n == len(blocks):
            return (1,)
        key = (n, banned)
        hit = memo.get(key)
        if hit is not None:
            return hit
        rest = frozenset(x for x in banned if pos[excl[x[0]][0 if x[1] == 0 else 2]] > n) if banned else banned
        out = list(walk(n + 1, rest))
        for size, sides, later in blocks[n]:
            if sides & banned:
                continue
            sub = walk(n + 1, rest | later)
            out = _plus(out, [0] + [size * c for c in sub])
        memo[key] = hit = tuple(out)
        return hit

    return tuple(_times(poly, walk(0, frozenset())))


@lru_cache(maxsize=8192)
def label_rules(free, rules) -> tuple:
    """``(exclusions among free types, polynomial of allowed attribute sets)`` of a label's free types (cached:
    the labels of many classes and of a union's parts share their free types)."""
    excl = label_exclusions(free, rules)
    return excl, (free_polynomial(free, excl) if excl else ())


def _times(p, q) -> list:
    out = [0] * (len(p) + len(q) - 1)
    for a, x in enumerate(p):
        if x:
            for b, y in enumerate(q):
                out[a + b] += x * y
    return out


def _plus(p, q) -> list:
    if len(p) < len(q):
        p, q = q, p
    return [x + (q[i] if i < len(q) else 0) for i, x in enumerate(p)]


def side_index(rules) -> dict:
    """``{(type, value): ((rule, side), ...)}`` of ``rules`` (:func:`domain_rules`): what :func:`breaks` reads."""
    out: dict = {}
    for r, sides in enumerate(rules):
        for s, (t, vals) in enumerate(sides):
            for v in vals:
                out.setdefault((t, v), []).append((r, s))
    return {k: tuple(v) for k, v in out.items()}


def breaks(attributes, index: dict) -> bool:
    """True if ``attributes`` (objects with ``.type`` and ``.value``, or pairs) of one object hold both sides
    of one rule of ``index`` (:func:`side_index`)."""
    seen = set()
    for a in attributes:
        hit = index.get((a[0], a[1]) if isinstance(a, tuple) else (a.type, a.value))
        if hit:
            for r, s in hit:
                if (r, 1 - s) in seen:
                    return True
                seen.add((r, s))
    return False
