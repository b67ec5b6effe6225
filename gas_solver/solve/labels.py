"""The label model of the exact counter and sampler: vertex labels, local factors, global checks.

A scene on a structure is a labelling: a concept and an attribute set per
object, a predicate per edge.  The counter never looks at concepts one by
one: it works on **vertex labels** ``(concept class, profile)`` where the
profile records, for each attribute type that some constraint looks at (a
pattern's attribute condition, an ``attribute_type`` cardinality), whether the
object carries it and in which **atom** of its values (values that no condition
tells apart).  Everything a constraint can see of an object is a function of
its vertex label; everything else (which concept of the class, which values of
the unconstrained types) only multiplies the count, so each vertex label has a
weight per slot count ``a``:

    w(label, a) = |class| × Π atom sizes × e_{a - #present}(value counts of the other types)

(``e_k`` the elementary symmetric polynomial: choose ``k`` of the other types,
one value each).  Edges likewise: predicates fall into **predicate atoms**
(predicates no pattern tells apart), and an edge factor ``f(l1, l2)`` counts
the allowed predicates between two labels.

Constraints are split into

* **local** ones, product form over objects and edges: vocabulary and semantics
  (the :class:`~gas_solver.solve.domain.Domain`), forbidden one-node and one-edge
  patterns (zero factors), soft one-node and one-edge patterns (weights);
* **global** ones: everything else (required patterns, larger patterns,
  cardinalities, ``repeat_objects = false``).  The counter handles them exactly
  by inclusion–exclusion (required local patterns) or by an explicit sum over
  label assignments, and the sampler by exact rejection against the local
  space; :meth:`LabelModel.check` decides them on a labelled structure.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import numpy as np

from ..constraints.model import AttributeCondition, ConceptSet, Pattern, PatternNode
from .domain import Domain
from .exclusions import label_rules

__all__ = ["VLabel", "LabelModel", "elementary_symmetric"]


def elementary_symmetric(counts, k: int) -> int:
    """``e_k(counts)``: the number of ways to pick ``k`` of the types, one value each.

    >>> elementary_symmetric((3, 2, 2), 2)
    16
    """
    poly = [1]
    for c in counts:
        nxt = poly + [0]
        for i in range(len(poly)):
            nxt[i + 1] += poly[i] * c
        poly = nxt
    return poly[k] if 0 <= k < len(poly) else 0


@lru_cache(maxsize=4096)
def _esym_poly(counts: tuple[int, ...]) -> tuple[int, ...]:
    poly = [1]
    for c in counts:
        nxt = poly + [0]
        for i in range(len(poly)):
            nxt[i + 1] += poly[i] * c
        poly = nxt
    return tuple(poly)


@dataclass(frozen=True, slots=True)
class VLabel:
    """A vertex label: a concept class and an attribute profile.

    ``present`` lists ``(type, values)`` for the constrained types the object
    carries (``values``: the atom its value lies in, restricted to the class's
    options); ``free`` lists ``(type, values)`` of the class's other types.
    ``bits`` has bit ``i`` set iff the label satisfies pattern node ``i`` of
    :attr:`LabelModel.nodes`.
    """

    cls: int
    present: tuple[tuple[str, tuple[str, ...]], ...]
    free: tuple[tuple[str, tuple[str, ...]], ...]
    bits: int

    @property
    def mult(self) -> int:
        """Choices of the present attributes' values (the class size is counted separately)."""
        m = 1
        for _, vals in self.present:
            m *= len(vals)
        return m

    def free_ways(self, k: int) -> int:
        """Attribute sets of ``k`` attributes over the free types (exclusions not applied)."""
        poly = _esym_poly(tuple(len(v) for _, v in self.free))
        return poly[k] if 0 <= k < len(poly) else 0


def _is_local(pattern) -> bool:
    if len(pattern.nodes) == 1 and not pattern.edges:
        return True
    if len(pattern.nodes) == 2 and len(pattern.edges) == 1:
        e = pattern.edges[0]
        return e.subject != e.object
    return False


class LabelModel:
    """Vertex labels, local factors and global checks of a grounded constraint file.

    Parameters
    ----------
    domain : Domain
    extra_forbid : tuple of Pattern
        Local patterns to forbid on top of the file's (the terms of the
        inclusion–exclusion over required patterns).
    use_soft : bool
        Apply the file's soft rules (weighted counting and sampling); ``False``
        counts scenes.
    drop_required : bool
        Leave out the required local patterns (the inclusion–exclusion terms
        state them through ``extra_forbid``).

    Notes
    -----
    ``nodes`` lists every distinct pattern node of the file; ``patterns`` maps
    each pattern of the file to the node indices of its variables.
    """

    def __init__(self, domain: Domain, *, extra_forbid: tuple = (), use_soft: bool = True,
                 drop_required: bool = False):
        self.domain = domain
        spec = domain.spec
        self.spec = spec
        # -- pattern nodes and the attribute types they (or cardinalities) look at
        soft = spec.soft if use_soft else ()
        all_patterns = [pc.pattern for pc in spec.patterns] + [sc.pattern for sc in soft] + list(extra_forbid)
        nodes: dict[PatternNode, int] = {}
        for p in all_patterns:
            for nd in p.nodes:
                key = PatternNode("", nd.concepts, nd.attributes)
                nodes.setdefault(key, len(nodes))
        # "at least one object of a set / one attribute of a type" is a required one-node pattern for the
        # sampler's marked proposals; give it a node
        self._card_nodes = []
        for cc in spec.cardinalities:
            if cc.range.lo == 1 and cc.range.hi is None and cc.kind in ("objects", "attribute_type"):
                nd = (PatternNode("", cc.concepts, ()) if cc.kind == "objects"
                      else PatternNode("", ConceptSet(), (AttributeCondition(cc.attribute_type),)))
                nodes.setdefault(nd, len(nodes))
                self._card_nodes.append(nd)
        self.nodes = tuple(nodes)
        self._node_index = nodes
        # Attribute types a constraint looks at.  Per class, only the conditions of nodes whose concept
        # set contains the class matter (a "brown dog" condition splits colours of dogs only), plus the
        # types counted by cardinalities (for every class).
        counted: set[str] = set()
        for cc in spec.cardinalities:
            if cc.kind == "attribute_type" and cc.attribute_type is not None:
                counted.add(cc.attribute_type)
            elif cc.kind == "distinct_attribute_types":
                counted.update(domain.attribute_types)
        self.atoms: dict[tuple[int, str], tuple[tuple[str, ...], ...]] = {}
        #: attribute exclusions in force (:attr:`.domain.Domain.exclusions`) and, per label met so far, the
        #: polynomial of its allowed attribute sets (None: no rule touches two of its types; see :meth:`ways`)
        self.exclusions = domain.exclusions
        self._ways: dict[int, tuple | None] = {}
        labels = []
        for k in domain.classes:
            conds: dict[str, list] = {t: [] for t in counted}
            for nd in self.nodes:
                if nd.concepts.is_everything or domain.concept_sets.index(nd.concepts) in k.members:
                    for cond in nd.attributes:
                        conds.setdefault(cond.type, []).append(cond.values)
            opts = dict(k.attribute_options)
            choices = []
            rel_types = sorted(t for t in conds if t in opts)
            for t in rel_types:
                # atoms: the class's values of t split by membership in every condition's value set
                groups: dict[tuple, list[str]] = {}
                if all(c is None for c in conds[t]):  # "some value of t" only: one atom, every value
                    groups[()] = list(opts[t])
                else:
                    for v in opts[t]:
                        groups.setdefault(tuple(c is None or v in c for c in conds[t]), []).append(v)
                self.atoms[(k.index, t)] = tuple(tuple(g) for g in groups.values())
                choices.append([None] + [(t, g) for g in self.atoms[(k.index, t)]])
            free = tuple((t, v) for t, v in k.attribute_options if t not in rel_types)
            for combo in itertools.product(*choices):
                present = tuple(c for c in combo if c is not None)
                labels.append(VLabel(k.index, present, free, self._bits(k, present)))
        self.labels = tuple(labels)
        self.M = len(labels)
        cls = np.array([lb.cls for lb in labels], dtype=np.int64)
        self.label_class = cls
        self.class_size = np.array([k.size for k in domain.classes], dtype=object)

        # -- split the file's constraints into local (factors) and global (checks)
        self.forbid_nodes = 0          # bit mask over nodes
        self.forbid_edges = []          # (node_a, node_b, predicate mask)
        self.soft_nodes = []            # (node, weight)
        self.soft_edges = []            # (node_a, node_b, predicate mask, weight)
        self.global_patterns = []       # PatternConstraint with node indices
        self.required_local = []        # PatternConstraint (at_least == 1, local)
        self.required_marks = []        # per required local pattern: ("v", node mask) or ("e", (a, b, pred mask))
        self.global_soft = []           # SoftConstraint, non-local
        pred_sets = []
        for pc in spec.patterns:
            p = pc.pattern
            if pc.mode == "forbid" and _is_local(p):
                self._add_local(p, None)
            elif pc.mode == "require" and _is_local(p) and pc.at_least == 1:
                if not drop_required:
                    self.required_local.append(pc)
                    self.required_marks.append(self._mark_of(p))
            else:
                self.global_patterns.append(pc)
            pred_sets += [e.predicates for e in p.edges if e.predicates is not None]
        for p in extra_forbid:
            self._add_local(p, None)
            pred_sets += [e.predicates for e in p.edges if e.predicates is not None]
        for sc in soft:
            if _is_local(sc.pattern):
                self._add_local(sc.pattern, sc.weight)
            else:
                self.global_soft.append(sc)
            pred_sets += [e.predicates for e in sc.pattern.edges if e.predicates is not None]
        #: the sampler's marked proposals: (mark, pattern) per required local pattern and per
        #: "at least one" cardinality of objects or attributes
        self.sampler_marks = [(m, pc.pattern) for pc, m in zip(self.required_local, self.required_marks)]
        for nd in self._card_nodes:
            self.sampler_marks.append((("v", 1 << nodes[nd]), Pattern((PatternNode("a", nd.concepts, nd.attributes),))))
        # predicate atoms: predicates split by membership in every pattern edge's predicate set
        groups = {}
        for i, p in enumerate(domain.predicate_ids):
            groups.setdefault(tuple(p in s for s in pred_sets), []).append(i)
        self.pred_atoms = tuple(sum(1 << i for i in g) for g in groups.values())
        self.cardinalities = tuple(spec.cardinalities)
        # per cardinality: its concept-set index (objects) or its rank among distinct_categories rules
        distinct = [c for c in spec.cardinalities if c.kind == "distinct_categories"]
        self._card_index = [(cc, domain.concept_sets.index(cc.concepts) if cc.kind == "objects"
                             else distinct.index(cc) if cc.kind == "distinct_categories" else None)
                            for cc in self.cardinalities]
        self._compiled: dict = {}
        self.repeat_objects = spec.bounds.repeat_objects
        self._factor_cache: dict = {}

    # ------------------------------------------------------------------
    def _bits(self, k, present) -> int:
        have = dict(present)
        bits = 0
        for i, nd in enumerate(self.nodes):
            if not nd.concepts.is_everything and self.domain.concept_sets.index(nd.concepts) not in k.members:
                continue
            ok = True
            for cond in nd.attributes:
                vals = have.get(cond.type)
                if vals is None or (cond.values is not None and not set(vals) <= cond.values):
                    ok = False
                    break
            if ok:
                bits |= 1 << i
        return bits

    def _node_of(self, nd) -> int:
        return self._node_index[PatternNode("", nd.concepts, nd.attributes)]

    def _pred_mask(self, preds) -> int:
        if preds is None:
            return (1 << len(self.domain.predicate_ids)) - 1
        return self.domain.predicates_mask(preds)  # every bit of each (a size ratio's virtual predicates)

    def _add_local(self, p, weight) -> None:
        if len(p.nodes) == 1:
            n = self._node_of(p.nodes[0])
            if weight is None:
                self.forbid_nodes |= 1 << n
            else:
                self.soft_nodes.append((n, Fraction(weight)))
        else:
            e = p.edges[0]
            var = {nd.var: nd for nd in p.nodes}
            a, b = self._node_of(var[e.subject]), self._node_of(var[e.object])
            if weight is None:
                self.forbid_edges.append((a, b, self._pred_mask(e.predicates)))
            else:
                self.soft_edges.append((a, b, self._pred_mask(e.predicates), Fraction(weight)))

    def _mark_of(self, p) -> tuple:
        """Where a local pattern matches: an object (node mask) or an edge (subject node, object node, predicates)."""
        if len(p.nodes) == 1:
            return ("v", 1 << self._node_of(p.nodes[0]))
        e = p.edges[0]
        var = {nd.var: nd for nd in p.nodes}
        return ("e", (self._node_of(var[e.subject]), self._node_of(var[e.object]), self._pred_mask(e.predicates)))

    # ------------------------------------------------------------------
    @property
    def has_global(self) -> bool:
        """True if some constraint needs more than local factors."""
        return bool(self.global_patterns or self.required_local or self.global_soft
                    or self.cardinalities or not self.repeat_objects)

    @property
    def weighted(self) -> bool:
        return bool(self.soft_nodes or self.soft_edges or self.global_soft)

    def ways(self, i: int, k: int) -> int:
        """Attribute sets of label ``i`` with a value of each present type and ``k`` free attributes, breaking no
        attribute exclusion: ``mult × e_k(free value counts)`` where no rule touches two of its types, else the
        walk of :func:`.exclusions.free_polynomial` (computed on first use: a file that counts attribute
        types has a label per subset of types, most of them never of a usable size)."""
        lb = self.labels[i]
        if self.exclusions:
            poly = self._ways.get(i, False)
            if poly is False:
                poly = self._ways[i] = label_rules(lb.present, lb.free, self.exclusions)[1] or None
            if poly is not None:
                return poly[k] if 0 <= k < len(poly) else 0
        return lb.mult * lb.free_ways(k)

    def label_allowed(self, i: int) -> bool:
        return not (self.labels[i].bits & self.forbid_nodes)

    def vertex_weights(self, a: int, length: int = 1, *, with_class: bool = True, restrict: int = 0) -> np.ndarray:
        """Weight of each vertex label on a vertex cycle of ``length`` objects with ``a`` slots.

        Integers, or :class:`~fractions.Fraction` when soft weights apply.  The
        labels (concept and attribute set) are constant on the cycle, so the
        choices count once; soft weights count once per object (``w ** length``).
        ``restrict``: only labels satisfying all these pattern nodes (a bit mask) count.
        """
        key = ("v", a, length, with_class, restrict)
        hit = self._factor_cache.get(key)
        if hit is not None:
            return hit
        out = np.zeros(self.M, dtype=object)
        for i, lb in enumerate(self.labels):
            if lb.bits & self.forbid_nodes or lb.bits & restrict != restrict:
                continue
            k = a - len(lb.present)
            if k < 0:
                continue
            w = self.ways(i, k)
            if not w:
                continue
            if with_class:
                w *= self.domain.classes[lb.cls].size
            for n, sw in self.soft_nodes:
                if lb.bits >> n & 1:
                    w = w * sw ** length
            out[i] = w
        self._factor_cache[key] = out
        return out

    def edge_atom_weights(self, l1: int, l2: int, length: int = 1, restrict: tuple = ()) -> list[tuple[int, int, object]]:
        """``[(atom mask ∩ allowed, number of predicates, weight per predicate)]`` for an edge ``l1 -> l2``.

        Only atoms with at least one allowed, non-forbidden predicate appear; with ``restrict``
        (``((node a, node b, predicate mask), ...)``) only edges matching every such edge pattern.
        """
        lb1, lb2 = self.labels[l1], self.labels[l2]
        k1, k2 = self.domain.classes[lb1.cls], self.domain.classes[lb2.cls]
        allowed = k1.subject_mask & k2.object_mask
        out = []
        for atom in self.pred_atoms:
            m = allowed & atom
            if not m:
                continue
            if any(lb1.bits >> a & 1 and lb2.bits >> b & 1 and m & pm for a, b, pm in self.forbid_edges):
                continue
            if any(not (lb1.bits >> a & 1 and lb2.bits >> b & 1 and m & pm) for a, b, pm in restrict):
                continue
            w = 1
            for a, b, pm, sw in self.soft_edges:
                if lb1.bits >> a & 1 and lb2.bits >> b & 1 and m & pm:
                    w = w * sw ** length
            out.append((m, m.bit_count(), w))
        return out

    def edge_factor(self, length: int = 1, restrict: tuple = ()) -> np.ndarray:
        """``F[l1, l2]``: weighted number of predicates allowed on an edge cycle of ``length`` edges."""
        key = ("e", length, restrict)
        hit = self._factor_cache.get(key)
        if hit is not None:
            return hit
        tidx, small = self._edge_types(length, restrict)
        out = small[np.ix_(tidx, tidx)]
        self._factor_cache[key] = out
        return out

    def _edge_types(self, length: int = 1, restrict: tuple = ()) -> tuple[np.ndarray, np.ndarray]:
        """The edge factor by label type: ``tidx[label]`` and ``small[t1, t2]`` with ``F = small[tidx][:, tidx]``.

        Labels with equal (class, bits) have equal rows and columns, so the factor is computed once per such
        type; a model with many attribute combinations per class (a single-object file) has millions of labels
        but few types, and its full ``M × M`` factor would not fit in memory.
        """
        key = ("t", length, restrict)
        hit = self._factor_cache.get(key)
        if hit is not None:
            return hit
        types: dict[tuple[int, int], int] = {}
        tidx = np.empty(self.M, dtype=np.int64)
        reps = []
        for i, lb in enumerate(self.labels):
            t = (lb.cls, lb.bits)
            if t not in types:
                types[t] = len(types)
                reps.append(i)
            tidx[i] = types[t]
        if not (self.forbid_edges or self.soft_edges or restrict):
            # no edge pattern: every allowed predicate counts once, whatever the atoms (they partition the
            # predicates) and the length, so F[l1, l2] = |subject_mask ∩ object_mask|: one integer matrix
            # product over the predicates' bits (the same integers as the loop below, which costs
            # T² calls of edge_atom_weights)
            small = self._allowed_counts([self.labels[i].cls for i in reps])
        elif not (self.soft_edges or restrict):
            small = self._unforbidden_counts(reps)
        else:
            small = self._edge_types_by_atoms(reps, length, restrict)
        self._factor_cache[key] = (tidx, small)
        return tidx, small

    def _edge_types_by_atoms(self, reps: list, length: int = 1, restrict: tuple = ()) -> np.ndarray:
        """The small edge factor over the label types ``reps``, atom by atom (T² calls of edge_atom_weights)."""
        T = len(reps)
        small = np.zeros((T, T), dtype=object)
        for x, i in enumerate(reps):
            for y, j in enumerate(reps):
                small[x, y] = sum(cnt * w for _, cnt, w in self.edge_atom_weights(i, j, length, restrict))
        return small

    def _unforbidden_counts(self, reps: list) -> np.ndarray:
        """The small edge factor with forbidden one-edge patterns and no soft edge: per pair of types, the allowed
        predicates outside ``U``, the union of the predicate masks of the rules whose nodes the two types satisfy.

        A predicate atom lies inside or outside each pattern edge's predicates (atoms split the predicates by
        membership in every such set), so :meth:`edge_atom_weights` drops exactly the allowed predicates in ``U``;
        ``U`` depends only on the two types' pattern bits, so the factor is one masked product per pair of bit
        values (``F = |S ∩ O ∖ U|``) instead of T² Python calls.  Same integers
        (``tests/solve/test_subject_exclusions.py`` compares both).
        """
        classes = [self.labels[i].cls for i in reps]
        small = self._allowed_counts(classes)
        by_bits: dict[int, list[int]] = {}
        for x, i in enumerate(reps):
            by_bits.setdefault(self.labels[i].bits, []).append(x)
        full = (1 << len(self.domain.predicate_ids)) - 1
        for bu, xs in by_bits.items():
            for bv, ys in by_bits.items():
                union = 0
                for a, b, pm in self.forbid_edges:
                    if bu >> a & 1 and bv >> b & 1:
                        union |= pm
                if union:
                    small[np.ix_(xs, ys)] = self._allowed_counts([classes[x] for x in xs], [classes[y] for y in ys],
                                                                 keep=full & ~union)
        return small

    def edge_lumps(self, lengths=(1,)) -> list[list[int]]:
        """Labels that every edge factor (for cycles of these lengths) treats alike, in groups by first label.

        Equal rows and equal columns (hence equal diagonals): a partition function is the same over the
        groups, each with the sum of its labels' unary weights, and an elimination step costs ``M^(width+1)``.
        Rows and columns are compared by label type (:meth:`_edge_types`: every type occurs, so two labels have
        equal rows of ``F`` exactly when their types have equal rows of the small factor), never over ``M × M``.
        """
        per_type = []
        tidx = None
        for L in lengths:
            tidx, small = self._edge_types(L)
            per_type.append([(tuple(small[t, :]), tuple(small[:, t])) for t in range(small.shape[0])])
        groups: dict = {}
        for m in range(self.M):
            t = int(tidx[m]) if tidx is not None else 0
            groups.setdefault(tuple(rows[t] for rows in per_type), []).append(m)
        return list(groups.values())

    def _allowed_counts(self, classes: list, columns: list | None = None, keep: int | None = None) -> np.ndarray:
        """``C[x, y] = popcount(subject_mask(classes[x]) & object_mask(columns[y]) & keep)`` as Python integers
        (``columns`` defaults to ``classes``, ``keep`` to every predicate)."""
        P = len(self.domain.predicate_ids)
        nbytes = (P + 7) // 8 or 1

        def bits(masks):
            raw = np.frombuffer(b"".join(m.to_bytes(nbytes, "little") for m in masks), dtype=np.uint8)
            return np.unpackbits(raw.reshape(len(masks), nbytes), axis=1, bitorder="little")[:, :P]

        from .modular import _one_blas_thread

        ks = self.domain.classes
        # a float64 product is exact here (0/1 entries, sums at most P < 2^53) and runs in BLAS: numpy's
        # integer matmul has no BLAS path (~0.05 s for the default file's 265 x 600 x 265, three times a set-up)
        subj = bits([ks[c].subject_mask if keep is None else ks[c].subject_mask & keep
                     for c in classes]).astype(np.float64)
        obj = bits([ks[c].object_mask for c in (classes if columns is None else columns)]).astype(np.float64)
        with _one_blas_thread():
            prod = subj @ obj.T
        return prod.astype(np.int64).astype(object)

    # ------------------------------------------------------------------
    def check(self, n: int, labels, edges, atoms=None) -> tuple[bool, Fraction]:
        """Decide the global constraints on a labelled structure.

        Parameters
        ----------
        n : int
            Number of objects.
        labels : sequence of int
            Vertex label per object.
        edges : sequence of (int, int)
            Directed edges.
        atoms : sequence of int, optional
            Predicate mask per edge (an atom, or the single predicate's bit);
            needed when a global pattern or soft rule has predicate conditions.

        Returns
        -------
        (ok, weight) : the global hard constraints hold; the product of the
        non-local soft weights.  ``repeat_objects`` is not decided here (it
        depends on concepts, not labels).
        """
        lbs = [self.labels[i] for i in labels]
        for cc, r in self._card_index:
            if cc.kind == "objects":
                value = sum(1 for lb in lbs if r in self.domain.classes[lb.cls].members)
            elif cc.kind == "distinct_categories":
                seen = set()
                for lb in lbs:
                    seen.update(self.domain.classes[lb.cls].counted[r])
                value = len(seen)
            elif cc.kind == "attribute_type":
                value = sum(1 for lb in lbs for t, _ in lb.present if t == cc.attribute_type)
            else:
                value = len({t for lb in lbs for t, _ in lb.present})
            if value not in cc.range:
                return False, Fraction(0)
        for pc in self.global_patterns + self.required_local:
            m = self.matches(pc.pattern, n, lbs, edges, atoms)
            if (pc.mode == "require" and m < pc.at_least) or (pc.mode == "forbid" and m > 0):
                return False, Fraction(0)
        w = Fraction(1)
        for sc in self.global_soft:
            m = self.matches(sc.pattern, n, lbs, edges, atoms)
            if m:
                w *= Fraction(sc.weight) ** m
        return True, w

    def matches(self, pattern, n, lbs, edges, atoms) -> int:
        """Injective matches of ``pattern`` on a labelled structure (brute force, small n)."""
        k = len(pattern.nodes)
        if k > n:
            return 0
        compiled = self._compiled.get(id(pattern))
        if compiled is None or compiled[0] is not pattern:
            index = {nd.var: j for j, nd in enumerate(pattern.nodes)}
            compiled = self._compiled[id(pattern)] = (
                pattern, [self._node_of(nd) for nd in pattern.nodes],
                [(index[e.subject], index[e.object], None if e.predicates is None else self._pred_mask(e.predicates))
                 for e in pattern.edges])
        _, bits, pedges = compiled
        cand = [[i for i in range(n) if lbs[i].bits >> b & 1] for b in bits]
        if not all(cand):
            return 0
        emap = {e: (atoms[i] if atoms is not None else None) for i, e in enumerate(edges)}
        count = 0
        for image in itertools.product(*cand):
            if len(set(image)) < k:
                continue
            ok = True
            for s, o, pm in pedges:
                e = (image[s], image[o])
                if e not in emap:
                    ok = False
                    break
                if pm is not None and not (emap[e] & pm):
                    ok = False
                    break
            if ok:
                count += 1
        return count

    @property
    def needs_edge_atoms(self) -> bool:
        """Whether :meth:`check` must see predicates (a global pattern or soft rule names predicates)."""
        pats = [pc.pattern for pc in self.global_patterns + self.required_local] + [s.pattern for s in self.global_soft]
        return any(e.predicates is not None for p in pats for e in p.edges)
