"""Attribute exclusions: pairs of value sets, of two types, that one object never carries together.

The taxonomy's ``attribute_exclusions`` ("multicoloured" beside any colour, "transparent" beside wood) are a
restriction of each object's own choice of attribute set, so the counter needs only the number of allowed sets
of ``k`` attributes per vertex label, and the sampler a uniform allowed set:

* the **count**: the types of a label split into **blocks** (values no rule tells apart); an attribute set
  takes one block of each present type (a pattern looks at it), at most one of each free type, and no two
  blocks that a rule pairs.  Its polynomial ``Σ_k ways_k x^k`` (``k`` free attributes) is the product of
  ``n_t`` (present) or ``(1 + n_t x)`` (free) over the types no rule touches times, for the others, a sum over
  their allowed block choices, found by a walk over the types that carries the rule sides the choices so far
  rule out (:func:`free_polynomial`);
* the **draw**: a uniform set among all sets of the label's types (the plain mixed-radix decoding), redrawn
  while it breaks a rule (:func:`breaks`): rejection from a uniform law onto a subset is uniform on it.

Without rules (the taxonomy has none, or ``[semantics] exclusions = false``) nothing here runs, and every
count and draw is the product form of :mod:`.labels`.

>>> rules = ((("pattern", frozenset({"multicoloured"})), ("colour", frozenset({"red", "blue"}))),)
>>> free = (("colour", ("red", "blue", "green")), ("pattern", ("multicoloured", "striped")))
>>> ex = label_exclusions(free, rules)
>>> free_polynomial(free, ex)      # 1 + (3 + 2)x + (3*2 - 2)x^2
(1, 5, 4)
>>> free_polynomial(free, ex, 1)   # colour present: 3 + (3*2 - 2)x
(3, 4)
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["domain_rules", "label_exclusions", "label_rules", "free_polynomial", "breaks", "side_index"]


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


def label_exclusions(slots, rules) -> tuple:
    """The rules among a label's types (``slots``: ``(type, values)``, present types first, then free ones):
    ``((i, values_i, j, values_j), ...)`` over indices of ``slots`` (both sides non-empty there), in rule
    order."""
    index = {t: i for i, (t, _) in enumerate(slots)}
    out = []
    for (ta, va), (tb, vb) in rules:
        if ta in index and tb in index:
            i, j = index[ta], index[tb]
            a = frozenset(v for v in slots[i][1] if v in va)
            b = frozenset(v for v in slots[j][1] if v in vb)
            if a and b:
                out.append((i, a, j, b))
    return tuple(out)


@lru_cache(maxsize=8192)
def free_polynomial(slots, excl, n_present: int = 0) -> tuple:
    """``(ways_0, ways_1, ...)``: the attribute sets that break no rule of ``excl`` (:func:`label_exclusions`),
    with one value of each of the first ``n_present`` types of ``slots`` (a label's present types, always
    there) and ``k`` of the other (free) types, one value each."""
    touched = sorted({i for i, _, j, _ in excl} | {j for _, _, j, _ in excl})
    poly = [1]
    for i, (_, vals) in enumerate(slots):  # types no rule touches: n (present) or (1 + n x) (free)
        if i not in touched:
            poly = [len(vals) * c for c in poly] if i < n_present else _times(poly, (1, len(vals)))
    pos = {t: n for n, t in enumerate(touched)}
    # blocks of each touched type: its values split by membership in every rule side on it; a block is
    # (size, sides it lies in, the sides it rules out on later types only: what the walk must carry)
    blocks = []
    for n, i in enumerate(touched):
        sides_of_type = [(r, s, vs) for r, (a, va, b, vb) in enumerate(excl)
                         for s, (t, vs) in enumerate(((a, va), (b, vb))) if t == i]
        groups: dict = {}
        for v in slots[i][1]:
            key = frozenset((r, s) for r, s, vs in sides_of_type if v in vs)
            groups[key] = groups.get(key, 0) + 1
        row = []
        for key, size in sorted(groups.items(), key=lambda kv: sorted(kv[0])):
            later = frozenset((r, 1 - s) for r, s in key if pos[excl[r][2 if s == 0 else 0]] > n)
            row.append((size, key, later))
        blocks.append((i < n_present, row))
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
        present, row = blocks[n]
        out = [0] if present else list(walk(n + 1, rest))  # a present type is always there
        for size, sides, later in row:
            if sides & banned:
                continue
            sub = walk(n + 1, rest | later)
            out = _plus(out, [size * c for c in sub] if present else [0] + [size * c for c in sub])
        memo[key] = hit = tuple(out)
        return hit

    return tuple(_times(poly, walk(0, frozenset())))


@lru_cache(maxsize=8192)
def label_rules(present, free, rules) -> tuple:
    """``(exclusions among the label's types, polynomial of its allowed attribute sets by number of free
    attributes)`` (:func:`label_exclusions`, :func:`free_polynomial`; the present types' value choices are in
    it), or ``((), ())`` where no rule touches two of its types.  Cached: the labels of many classes and of a
    union's parts share their types."""
    slots = tuple(present) + tuple(free)
    excl = label_exclusions(slots, rules)
    return (excl, free_polynomial(slots, excl, len(present))) if excl else ((), ())


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
