"""Draws of a ``setting = "fitting"`` union from its universal part's tables, by exact rejection per scene.

The union (:func:`~gas_solver.solve.counted.setting_parts`) has one universal part ``P_0`` (no location, or
one whose setting admits every object) and one part ``P_s`` per other setting ``s``.  ``P_s``'s graphs on a
structure ``S`` are exactly the graphs of ``P_0`` on ``S`` whose objects all fit ``s``; its scene attributes
are its own (a location of ``s`` required).  Drawing every part with its own tables (the mixture of
:class:`~.union.CountedSampler`) builds four sets of per-structure tables and splits each chunk into four
small batches.  Here one batch does it all:

1. a part and a structure per scene, ``(s, S)`` with the mixture's exact probability
   ``P(s) · P(S | s)`` (the parts' own laws: uniform, weighted, stratified or per-structure);
2. an automorphism and a fixed labelling of ``S`` from ``P_0``'s tables, for every scene of ``S`` at once;
   a scene of part ``s`` whose labels do not all fit ``s`` draws both again (next round), until every
   scene is kept;
3. objects and predicates for the whole batch from ``P_0``'s tables, scene attributes from each part's law.

**Why the law is unchanged.**  Step 2 draws a pair (automorphism ``g``, labelling ``x`` fixed by ``g``)
∝ ``w(x)`` among all such pairs of ``P_0`` on ``S``: each orbit (scene) ``O`` gets ``w(O) · |G|`` — the
Burnside process.  "Every label fits ``s``" is a property of the orbit (automorphisms permute the objects),
so keeping the pair iff it holds, and drawing a new pair otherwise, gives each scene of ``P_s`` on ``S``
probability ∝ ``w(O)``: exactly ``P_s``'s law on ``S``.  Labels are concept classes, and a class either fits
``s`` or not (checked at set-up, else the mixture of part samplers is used), so the test needs no object.
Objects given the labels, predicates given the label pairs and the chosen part's scene attributes follow the
same tables as ``P_s``'s own.  The expected number of labellings per scene is ``Σ_s P(s) E[#P_0(S) / #P_s(S)]``;
a scene draws about ``2 / acceptance`` candidates at once (fewer rounds), and a (part, structure) pair whose
acceptance is below :data:`OWN_BELOW` (a setting that admits few concepts: sky) is drawn from the part's own
tables in the same batch instead.  The universal part's classes never mix concepts that fit a setting with
concepts that do not (``Bounds.fit_classes``, set by :func:`~gas_solver.solve.counted.setting_parts`).

A chunk is one batch of :data:`~.chunks.CHUNK_SIZE` scenes drawn whole and cut, so the first ``k`` scenes of a
chunk do not depend on the size asked for.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from ...scene import Scene
from ..exact_random import IntCategorical
from .batch import BatchGroup, finish_batch, scene_attributes_of, structure_groups
from .chunks import CHUNK_SIZE
from .fill import fill_of
from .groups import group_by

__all__ = ["FittingDraws", "fitting_draws"]

_MASK64 = (1 << 64) - 1
#: a scene draws about FIRST / acceptance labellings at once in the first round (one where every labelling fits),
#: RETRY / acceptance in the later ones (fewer rounds; measured best of several settings on the default file)
FIRST = 2
RETRY = 3
#: (part, structure) pairs whose scenes are a smaller share than this of the universal part's scenes on the
#: structure are drawn from the part's own tables (rejection would need too many labellings)
OWN_BELOW = 0.1


def _tries(acceptance: np.ndarray, per: float) -> np.ndarray:
    """``ceil(per / acceptance)`` labellings per scene (1 to 64), one where every labelling fits."""
    return np.where(acceptance >= 1, 1, np.clip(np.ceil(per / acceptance), 1, 64)).astype(np.int64)


class FittingDraws:
    """The joint draws of a setting union (see the module's text); built by :func:`fitting_draws`."""

    def __init__(self, samplers: list, masses: list, fits: np.ndarray, own_parts: frozenset = frozenset()):
        self.samplers = samplers  # per part (universal first): its plain Sampler (law, tables)
        self.tables = samplers[0].tables
        # (parts, labels + 1): label fits the part's setting; the last column, no label, fits every part
        self.fits = np.concatenate([fits, np.ones((len(fits), 1), dtype=bool)], axis=1)
        self.width = max(s.n for s in samplers[0].law.space.structures)  # vertex cycles of a structure, at most
        parts, structs, weights, acceptance = [], [], [], []
        universal = samplers[0].law
        common = math.lcm(*[s.law.choice.cat.total for s in samplers])
        for p, (sampler, mass) in enumerate(zip(samplers, masses)):
            cat, keep = sampler.law.choice
            scale = mass * (common // cat.total)
            prev = 0
            for k, c in enumerate(cat.cum):
                if c > prev:
                    parts.append(p)
                    structs.append(keep[k])
                    weights.append((c - prev) * scale)
                    if sampler.law.spec.bounds.objects != universal.spec.bounds.objects:
                        # a part with fewer objects (counted.capped_parts): drawn from its own tables, structures
                        # the universal part's tables need not list in its order
                        acceptance.append(Fraction(1))
                        prev = c
                        continue
                    s = sampler.law.space.structures[keep[k]]
                    w = sampler.law.weighted
                    acceptance.append(Fraction(sampler.law.space.structure_value(s, weighted=w),
                                               universal.space.structure_value(s, weighted=w)))
                prev = c
        self.part = np.array(parts, dtype=np.int64)
        self.structure = np.array(structs, dtype=np.int64)
        self.cat = IntCategorical(weights)
        self.min_acceptance = min(acceptance)
        self.acceptance = np.array([float(a) for a in acceptance])
        # (part, structure) pairs whose scenes are a small share of the universal part's are drawn from the
        # part's own tables instead (rejection would need too many labellings)
        self.own = (self.acceptance < OWN_BELOW) | np.isin(self.part, sorted(own_parts))
        self.acceptance[self.own] = 1.0
        self.first_tries = _tries(self.acceptance, FIRST)
        self.tries = _tries(self.acceptance, RETRY)

    def sample_chunk(self, seed: int, chunk: int, size: int) -> list[Scene]:
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed & _MASK64, chunk, 4])))
        n = max(size, CHUNK_SIZE)
        picks = self.cat.draw(rng, n)
        part, structure = self.part[picks], self.structure[picks]
        tables, fits = self.tables, self.fits
        groups = []
        own = self.own[picks]
        pending = (~own).nonzero()[0]
        first = True
        while len(pending):
            # candidates: ``tries`` independent labellings per pending scene, in scene order; a scene keeps
            # its first candidate that fits its part (iid draws: the first accepted one follows the
            # conditional law), and draws again in the next round if none does
            ntry = (self.first_tries if first else self.tries)[picks[pending]]
            first = False
            owner = pending.repeat(ntry)
            # every candidate's labels (its vertex cycles; the unused columns hold the label that fits all)
            labels = np.full((len(owner), self.width), self.fits.shape[1] - 1, dtype=np.int64)
            found = []
            for si, cand in group_by(structure[owner]).items():
                for group in structure_groups(tables, fill_of(tables, si), cand, rng):
                    labels[group.positions, :group.labels.shape[1]] = group.labels
                    found.append(group)
            accepted = fits[part[owner][:, None], labels].all(axis=1).nonzero()[0]
            owners = owner[accepted]
            chosen = np.zeros(len(owner), dtype=bool)
            if len(accepted):
                chosen[accepted[np.r_[True, owners[1:] != owners[:-1]]]] = True  # each owner's first accepted one
            lens = [len(g.positions) for g in found]
            kept = np.add.reduceat(chosen[np.concatenate([g.positions for g in found])].astype(np.int64),
                                   np.cumsum([0] + lens[:-1])).tolist() if found else []
            for (c, plan, labs), k, m in zip(found, kept, lens):  # candidates kept per group, counted at once
                if k == m:
                    groups.append(BatchGroup(owner[c], plan, labs))
                elif k:
                    mine = chosen[c]
                    groups.append(BatchGroup(owner[c[mine]], plan, labs[mine]))
            done = np.zeros(n, dtype=bool)
            done[owner[chosen]] = True
            pending = pending[~done[pending]]

        # the pairs drawn from their part's own tables (labels of the part's own model)
        own_groups = []
        at = np.flatnonzero(own)
        for p, pos in group_by(part[at]).items():
            pos, pt = at[pos], self.samplers[p].tables
            pg = []
            for si, sub in group_by(structure[pos]).items():
                pg.extend(structure_groups(pt, fill_of(pt, si), pos[sub], rng))
            own_groups.append((pt, pg))
        sattrs = [()] * n
        for p, pos in group_by(part).items():
            for q, attrs in zip(pos.tolist(), scene_attributes_of(self.samplers[p].tables, rng, len(pos))):
                sattrs[q] = attrs
        out = finish_batch(tables, groups, n, rng, lambda: sattrs)
        for pt, pg in own_groups:
            mine = finish_batch(pt, pg, n, rng, lambda: sattrs)
            for g in pg:
                for q in g.positions.tolist():
                    out[q] = mine[q]
        return out[:size]


def fitting_draws(union) -> FittingDraws | None:
    """The joint draws of a :class:`~.union.CountedSampler` over a setting union, or None where they do not
    apply (``[[count]]`` groups, global constraints, raw rules, a class that fits a setting only in part,
    parts whose graphs are not the universal part's restricted to its setting, acceptance too low)."""
    if union.spec.counts or len(union.parts) < 2 or union._live[:1] != [0]:
        return None
    samplers = [union._samplers[i] for i in union._live]
    laws = [s.law for s in samplers]
    if any(law.raw is not None or law.model.has_global or law.cells is not None for law in laws):
        return None
    universal = laws[0]
    # parts whose objects lack an attribute type the universal part's carry (a value that hides colour:
    # counted.hidden_parts), or whose number of objects is bounded (a close-up: counted.capped_parts), have other
    # object tables or structures: always drawn from their own
    denied, objects = universal.spec.vocabulary.denied_attribute_values, universal.spec.bounds.objects
    own = frozenset(p for p, law in enumerate(laws) if law.spec.vocabulary.denied_attribute_values != denied
                    or law.spec.bounds.objects != objects)
    keys = [s.key for s in universal.space.structures]
    if any([s.key for s in law.space.structures] != keys for p, law in enumerate(laws) if p not in own):
        return None
    classes = universal.domain.classes
    model = universal.model
    fits = np.ones((len(laws), model.M), dtype=bool)
    taxonomy = union.taxonomy
    for p, law in enumerate(laws[1:], 1):
        if p in own and law.spec.bounds.objects != objects:  # its labels are never tested against the tables
            continue
        setting = law.spec.bounds.setting
        fit = [[taxonomy.setting_fits(setting, c) for c in k.concepts] if setting else [True] * k.size
               for k in classes]
        if any(len(set(f)) > 1 for f in fit):  # a class that fits only in part: its labels cannot say
            return None
        # the part's graphs are the universal part's over the concepts that fit its setting (ground() reads
        # nothing else of the setting): the same concepts, or the joint draws do not apply
        if set(law.domain.concepts) != {c for k, f in zip(classes, fit) if f[0] for c in k.concepts}:
            return None
        class_fits = np.array([f[0] for f in fit], dtype=bool)
        fits[p] = class_fits[model.label_class]
    masses = [union._cum[k] - (union._cum[k - 1] if k else 0) for k in range(len(union._live))]
    return FittingDraws(samplers, masses, fits, own)
