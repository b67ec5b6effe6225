"""Step 2 of the Burnside process: which automorphism of a structure a draw fixes.

An automorphism ``g`` of structure ``S`` is drawn with probability ∝ ``|Fix(g)|``
(weighted: the weight sum of the labellings ``g`` fixes).  Automorphisms whose
quotient graphs have the same profile fix equally many labellings, so the draw
is two-stage: a profile class ∝ its summed weight, then a member uniformly.
Groups larger than :data:`~gas_solver.solve.burnside.LISTED_GROUP_LIMIT` are never
listed: their classes are classes of conjugate automorphisms (:mod:`..symmetry`),
each with one member, its representative, standing for ``size`` elements; conjugates
fix the same scenes, so drawing a class ∝ size × |Fix| and using its representative
gives every scene the probability a uniform member would.
With marked patterns (:mod:`.fill`) the class weights are those of the marked
labellings instead.  This module is the one place that decides the choice.

>>> from gas_solver.solve.structures import Structure
>>> choice = automorphism_choice(Structure(2, (0, 0), ()), None, per_structure=True)
>>> choice.classes
[(0,)]
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..burnside import automorphism_choices
from ..exact_random import IntCategorical, pick
from .groups import group_by
from .law import scaled_ints

__all__ = ["AutomorphismChoice", "automorphism_choice", "draw_automorphism", "draw_automorphisms"]


class AutomorphismChoice(NamedTuple):
    """``automorphisms[g]`` is drawn by a class ``cat`` picks, then a member of ``classes[k]`` uniformly."""

    automorphisms: tuple  # permutations of the structure's objects
    classes: list  # automorphism indices, one tuple per class
    cat: IntCategorical | None  # over the classes; None: no labelling at all (never drawn)
    sizes: list  # group elements per class (they sum to the group order)


def automorphism_choice(structure, factors, *, per_structure: bool, by_class: bool = False) -> AutomorphismChoice:
    """The choice of step 2 for ``structure`` under the counting ``factors``.

    ``per_structure`` (the reference's law) has no automorphism step: the identity always.
    ``by_class``: classes of conjugate automorphisms for every group, small ones too (see
    :func:`~..burnside.automorphism_choices`).
    """
    if per_structure:
        return AutomorphismChoice((tuple(range(structure.n)),), [(0,)], IntCategorical([1]), [1])
    perms, prof = automorphism_choices(structure, by_class=by_class)
    w = scaled_ints([m * factors.fix(p) for p, m, _ in prof])
    return AutomorphismChoice(perms, [ix for _, _, ix in prof], IntCategorical(w) if any(w) else None,
                              [m for _, m, _ in prof])


def draw_automorphism(choice: AutomorphismChoice, rnd) -> int:
    """One automorphism index with Python's exact ``random.Random`` (the reference draws)."""
    members = choice.classes[pick(choice.cat, rnd)]
    return members[rnd.randrange(len(members))] if len(members) > 1 else members[0]


def draw_automorphisms(choice: AutomorphismChoice, rng: np.random.Generator, positions: np.ndarray) -> list:
    """One automorphism per position, batched: ``[(automorphism index, its positions), ...]`` by index."""
    if choice.cat.n == 1 and len(choice.classes[0]) == 1:
        return [(choice.classes[0][0], positions)]  # one automorphism to draw from: no draw at all
    cls = choice.cat.draw(rng, len(positions))
    classes = choice.classes
    if all(len(m) == 1 for m in classes) and all(a[0] < b[0] for a, b in zip(classes, classes[1:])):
        # one automorphism per class, in the classes' order: the groups by class are the groups by automorphism
        return [(classes[k][0], positions[sel]) for k, sel in group_by(cls).items()]
    gi = np.empty(len(positions), dtype=np.int64)
    for k, sel in group_by(cls).items():
        members = choice.classes[k]
        gi[sel] = members[0] if len(members) == 1 else \
            np.asarray(members, dtype=np.int64)[rng.integers(0, len(members), len(sel))]
    return [(g, positions[sel]) for g, sel in group_by(gi).items()]
