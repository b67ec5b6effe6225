"""Chunks: the unit of drawing.  Chunk ``c`` of seed ``s`` is a pure function of ``(s, c, size)``.

Which draws make a chunk depends on the law (:mod:`.law`):

- product-form spaces (no global constraint): one batch (:mod:`.batch`), always
  drawn whole and cut, so that a chunk's first ``k`` scenes do not depend on the
  size asked for;
- the per-structure law drawn shape first (large complexity ranges): the chunk's
  structures first, then structure by structure, each from its own stream and
  with its tables dropped afterwards, only those of the scenes asked for
  (:func:`iter_chunk`);
- global constraints under the uniform or weighted law: batches from the local
  space, each scene kept iff it meets the global constraints (uniform over the
  local space, filtered, is uniform over the file's space);
- the rest (strata or the per-structure law with global constraints, non-local
  soft rules): the reference draws of :mod:`.scalar`, one scene at a time;
- raw ASP rules: the chunks of the space without them, concatenated
  (``c * RAW_STRIDE + k``), keeping the first ``size`` scenes that pass the rules.
"""

from __future__ import annotations

from typing import Iterator

import numpy as np

from ...errors import ExactSamplingRefused
from ...scene import Scene
from .batch import draw_batch, finish_batch, scene_attributes_of, structure_groups
from ..exact_random import pick
from .fill import fill_of
from .groups import group_by
from .law import CHUNK_SIZE, ShapeFirst, has_repeats
from .scalar import draw_scenes
from .tables import Tables, transient

__all__ = ["CHUNK_SIZE", "RAW_STRIDE", "draw_chunk", "draw_blocks", "iter_chunk", "by_structure"]

#: relaxed-space chunks behind one chunk of a space with raw ASP rules
RAW_STRIDE = 1024
_MASK64 = (1 << 64) - 1


def draw_chunk(tables: Tables, seed: int, chunk: int, size: int) -> list[Scene]:
    """``size`` scenes of chunk ``chunk`` of ``seed``."""
    raw = tables.law.raw
    if raw is None and by_structure(tables.law):
        return list(_iter_by_structure(tables, seed, chunk, size))
    if raw is None:
        return _draw_counted(tables, seed, chunk, size)
    out: list[Scene] = []
    for k in range(RAW_STRIDE):
        for sc in _draw_counted(tables, seed, chunk * RAW_STRIDE + k, CHUNK_SIZE):
            if raw.accepts(sc):
                out.append(sc)
                if len(out) == size:
                    return out
        if k == 0 and not out and size:
            raise ExactSamplingRefused(
                f"no scene among {CHUNK_SIZE} exact draws of the space without raw ASP rules passed "
                "the rules; the raw rules leave too small a part of the space for rejection sampling")
    raise ExactSamplingRefused("raw ASP rules accept too few scenes for rejection sampling")


def iter_chunk(tables: Tables, seed: int, chunk: int, size: int) -> Iterator[Scene]:
    """The scenes of :func:`draw_chunk`, yielded as they are drawn (a progress bar moves within a chunk
    where the law draws structure by structure)."""
    if tables.law.raw is None and by_structure(tables.law):
        return _iter_by_structure(tables, seed, chunk, size)
    return iter(draw_chunk(tables, seed, chunk, size))


def by_structure(law) -> bool:
    """Whether chunks are drawn structure by structure (:func:`_iter_by_structure`): the per-structure law
    drawn shape first, whose chunk of 4,096 scenes meets ~3,500 distinct structures at complexity [1, 12]."""
    return (isinstance(law.choice.cat, ShapeFirst) and law.choice.cat.slots is not None
            and not law.model.has_global and law.cells is None)


def _iter_by_structure(tables: Tables, seed: int, chunk: int, size: int) -> Iterator[Scene]:
    """The chunk's structures for all its positions (one cheap draw, stream ``(seed, chunk, 1)``), then for
    each structure of the first ``size`` positions, in order of first position, the scenes at all of its
    positions in the chunk from the structure's own stream ``(seed, chunk, 7, structure id)``: automorphism,
    labels, objects, predicates and scene attributes, as a batch (:mod:`.batch`) does for a group of a
    structure; its tables are dropped afterwards (:func:`~.tables.transient`).  A scene depends on its
    structure, that structure's positions in the chunk and the seed only: a chunk's first ``k`` scenes do
    not depend on ``size``, and ``-n 3`` builds the tables of at most three structures.  Draws of different
    structures come from independent streams, each scene's law is the batch's: the per-structure law."""
    law = tables.law
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed & _MASK64, chunk, 1])))
    sids = law.choice.cat.draw(rng, max(size, CHUNK_SIZE))
    where = dict(group_by(sids).items())
    ready: dict = {}
    for p in range(size):
        if p not in ready:
            sid = int(sids[p])
            pos = where[sid]
            for q, sc in zip(pos.tolist(), _structure_scenes(tables, seed, chunk, sid, len(pos))):
                if q < size:
                    ready[q] = sc
        yield ready.pop(p)


def _structure_scenes(tables: Tables, seed: int, chunk: int, sid: int, k: int) -> list[Scene]:
    """``k`` scenes of structure ``sid`` from its stream in chunk ``chunk`` (see :func:`_iter_by_structure`)."""
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed & _MASK64, chunk, 7, sid])))
    with transient(tables):
        groups = structure_groups(tables, fill_of(tables, sid), np.arange(k, dtype=np.int64), rng)
        return finish_batch(tables, groups, k, rng, lambda: scene_attributes_of(tables, rng, k))


def draw_blocks(tables: Tables, seed: int, chunk: int, size: int, block: int) -> list[Scene]:
    """``size`` scenes of chunk ``chunk`` of ``seed``, drawn ``block`` at a time.

    For a part of a union (:mod:`.union`) that gets a small share of each chunk: a product-form space
    draws consecutive batches of ``block`` scenes (batch ``b`` from its own stream), so the first ``k``
    scenes still do not depend on ``size`` while a part asked for ~``block`` scenes no longer draws a whole
    chunk of 4,096 and cuts it.  Other laws draw as :func:`draw_chunk`.
    """
    if tables.law.raw is not None or tables.law.model.has_global or tables.law.cells is not None:
        return draw_chunk(tables, seed, chunk, size)
    out: list[Scene] = []
    b = 0
    while len(out) < size:
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed & _MASK64, chunk, 3, b])))
        out.extend(draw_batch(tables, rng, block))
        b += 1
    return out[:size]


def _draw_counted(tables: Tables, seed: int, chunk: int, size: int) -> list[Scene]:
    law = tables.law
    if law.cells is not None:
        return _draw_cells(tables, seed, chunk, size)
    if not law.model.has_global:
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed & _MASK64, chunk, 1])))
        return draw_batch(tables, rng, max(size, CHUNK_SIZE))[:size]
    if law.reject is not None:
        return _draw_rejecting(tables, seed, chunk, size)
    return draw_scenes(tables, seed, chunk, size)


def _draw_rejecting(tables: Tables, seed: int, chunk: int, size: int) -> list[Scene]:
    """Batches over the local space (structures ∝ their local counts), each scene kept iff it meets the
    global constraints.  The proposal stream of a chunk does not depend on ``size`` (prefix-stable chunks)."""
    law = tables.law
    model = law.model
    pred_bit = law.domain.predicate_index
    marked = bool(model.sampler_marks)
    out: list[Scene] = []
    for sub in range(RAW_STRIDE):
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed & _MASK64, chunk, 2, sub])))
        scenes, labels = draw_batch(tables, rng, CHUNK_SIZE, law.reject, with_labels=True, marked=marked)
        for sc, lab_v in zip(scenes, labels):
            if not model.repeat_objects and len({o.concept for o in sc.objects}) < len(sc.objects):
                continue
            rels = sc.relations
            edges = [(r.subject, r.object) for r in rels]
            atoms = [1 << pred_bit[r.predicate] for r in rels]
            ok, _ = model.check(len(sc.objects), lab_v, edges, atoms)
            if ok and marked:  # marked proposals weigh a scene by its matches: keep 1 in Π m
                lbs = [model.labels[x] for x in lab_v]
                mult = 1
                for _, pattern in model.sampler_marks:
                    mult *= model.matches(pattern, len(sc.objects), lbs, edges, atoms)
                ok = mult == 1 or int(rng.integers(0, mult)) == 0
            if ok:
                out.append(sc)
                if len(out) == size:
                    return out
    raise ExactSamplingRefused("the global constraints accept too few draws of the local space")


def _draw_cells(tables: Tables, seed: int, chunk: int, size: int) -> list[Scene]:
    """Repeated-objects strata (:class:`~.law.Cell`): each position's cell from one draw of a whole chunk (cut to
    ``size``), then the ``j``-th position of a cell takes the ``j``-th scene kept from that cell's own stream of
    batches; so the first ``k`` scenes do not depend on ``size``."""
    law = tables.law
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed & _MASK64, chunk, 4])))
    picks = law.choice.cat.draw(rng, max(size, CHUNK_SIZE))[:size]
    out: list = [None] * size
    for c, pos in group_by(picks).items():
        for p, sc in zip(pos.tolist(), _cell_scenes(tables, seed, chunk, int(c), len(pos))):
            out[p] = sc
    return out


def _cell_scenes(tables: Tables, seed: int, chunk: int, c: int, m: int) -> list[Scene]:
    """The first ``m`` scenes of cell ``c``'s stream: proposals from its structures, kept iff in the cell."""
    law = tables.law
    cell = law.cells[c]
    if cell.direct:
        return _direct_scenes(tables, seed, chunk, c, m)
    model = law.model
    pred_bit = law.domain.predicate_index
    want = cell.repeats == "repeated"
    out: list[Scene] = []
    for sub in range(RAW_STRIDE * 64):
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed & _MASK64, chunk, 5, c, sub])))
        scenes, labels = draw_batch(tables, rng, cell.block, cell.choice, with_labels=True)
        for sc, lab_v in zip(scenes, labels):
            if has_repeats(sc) != want:
                continue
            if model.has_global:
                rels = sc.relations
                ok, _ = model.check(len(sc.objects), lab_v, [(r.subject, r.object) for r in rels],
                                    [1 << pred_bit[r.predicate] for r in rels])
                if not ok:
                    continue
            out.append(sc)
            if len(out) == m:
                return out
    raise ExactSamplingRefused(f"stratum repeats={cell.repeats}: too few draws fall in it")


def _direct_scenes(tables: Tables, seed: int, chunk: int, c: int, m: int) -> list[Scene]:
    """The first ``m`` scenes of a "repeated" cell drawn without rejection (:mod:`.repeated`), one at a time
    with an exact integer generator of ``(seed, chunk, cell)``: a structure ∝ its repeated scenes, then one
    of them uniformly."""
    import random

    from .repeated import RepeatedDraws
    from .scalar import draw_scene_attributes

    law = tables.law
    cat, keep = law.cells[c].choice
    state = np.random.SeedSequence([seed & _MASK64, chunk, 6, c]).generate_state(4, dtype=np.uint64)
    rnd = random.Random(int.from_bytes(state.tobytes(), "little"))
    modality = law.spec.bounds.modality
    out = []
    for _ in range(m):
        si = keep[pick(cat, rnd)]
        draws = tables.fills.get(("repeated", si))
        if draws is None:
            draws = tables.fills[("repeated", si)] = RepeatedDraws(tables, si)
        objs, rels = draws.draw(tables, rnd)
        out.append(Scene(objs, rels, draw_scene_attributes(tables, rnd), modality))
    return out
