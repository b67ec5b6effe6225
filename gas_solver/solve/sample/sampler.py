"""The :class:`Sampler`: a law, its tables, and chunks drawn in order, in this process or a worker pool."""

from __future__ import annotations

import contextlib
import math
from typing import Iterator, Sequence

from ...collector import paused_collector
from ...errors import GasError
from ...pool import process_map, provide_context
from ...scene import Scene, canonical_id
from ..counted import is_union
from .chunks import by_structure, draw_chunk, iter_chunk
from .conditioned import conditioned_counter
from .embedded_draws import embedded_draws
from .fill import fill_of
from .law import rejection_proposal, set_up_law
from . import chunks
from .tables import Tables

__all__ = ["Sampler", "sample_scenes"]


class Sampler:
    """Exact sampler over the scenes of a constraint file.

    Parameters
    ----------
    spec : ConstraintSpec
    taxonomy : Taxonomy
    distribution : {"uniform", "weighted", "stratified", "per-structure"}
        ``uniform``: every scene equally likely.  ``weighted``: ∝ the product of
        the soft weights.  ``stratified``: ``strata`` gives each stratum's share,
        uniform inside a stratum.  ``per-structure``: the reference's law (a
        structure uniformly, then a uniform labelling), for comparison only.
    strata : dict, optional
        ``{"complexity": {3: 0.2, 4: 0.8}}`` or ``{"shape": {(2, 1, 1): 0.5, ...}}``
        (see :func:`~gas_solver.solve.sample.parse_strata`); shares are normalised.
    backend : str
        Accepted for symmetry with the other commands; sampling uses the exact
        counter, not a solver call per scene.
    structures : sequence of Structure, optional
        Restrict to these structures (default: all of the spec's bounds).

    Attributes
    ----------
    law : Law
        The distribution, as plain values (:mod:`~gas_solver.solve.sample.law`).
    total : int
        Number of scenes in the space (None with raw ASP rules).
    z : Fraction
        Weighted total (``distribution="weighted"``), else equal to ``total``.

    Examples
    --------
    >>> from gas_solver.taxonomy import load_taxonomy
    >>> from gas_solver.constraints.model import ConstraintSpec, Bounds, IntRange
    >>> tax = load_taxonomy("tests/data/toy.toml")
    >>> s = Sampler(ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 4))), tax)
    >>> [sc.complexity <= 4 for sc in s.sample(3, seed=1)]
    [True, True, True]
    >>> s.sample(3, seed=1) == s.sample(3, seed=1, workers=2)
    True
    """

    def __new__(cls, spec=None, taxonomy=None, **kw):
        # a file with [[count]] groups is a disjoint union of ordinary files: a mixture of their samplers
        if cls is Sampler and spec is not None and is_union(spec):
            from .union import CountedSampler

            return CountedSampler(spec, taxonomy, plain=cls, **kw)
        return object.__new__(cls)

    def __init__(self, spec, taxonomy, *, distribution: str = "uniform", strata: dict | None = None,
                 backend: str = "asp", structures: Sequence | None = None):
        self.law = set_up_law(spec, taxonomy, distribution=distribution, strata=strata, backend=backend,
                              structures=structures)
        law = self.law
        # draws conditioned on the exact counter where marks or rejection would not do (set before any fill)
        law.conditioned = (conditioned_counter(law.space, law.model, weighted=law.weighted)
                           or embedded_draws(law.space, law.model, weighted=law.weighted))
        self.tables = Tables(self.law)
        # marked proposals' fills are made (unchecked: the rejection step is exact) to weigh the structures
        self.law.reject = rejection_proposal(self.law, lambda i: fill_of(self.tables, i, check=False))

    # the law's values, under the names callers use
    spec = property(lambda self: self.law.spec)
    taxonomy = property(lambda self: self.law.taxonomy)
    distribution = property(lambda self: self.law.distribution)
    strata = property(lambda self: self.law.strata)
    backend = property(lambda self: self.law.backend)
    space = property(lambda self: self.law.space)
    domain = property(lambda self: self.law.space.domain)
    model = property(lambda self: self.law.model)
    weighted = property(lambda self: self.law.weighted)
    total = property(lambda self: self.law.total)
    proposal_total = property(lambda self: self.law.proposal_total)
    z = property(lambda self: self.law.z)

    def __reduce__(self):  # to spawned workers: the arguments, not the tables
        law = self.law
        return _rebuild, (law.spec, law.taxonomy, law.distribution, law.strata, law.backend, law.structures_arg)

    def sample_chunk(self, seed: int, chunk: int, size: int) -> list[Scene]:
        """``size`` scenes, a pure function of ``(seed, chunk, size)``.

        Examples
        --------
        >>> from gas_solver.taxonomy import load_taxonomy
        >>> from gas_solver.constraints.model import ConstraintSpec
        >>> s = Sampler(ConstraintSpec(), load_taxonomy("tests/data/toy.toml"))
        >>> s.sample_chunk(7, 0, 5) == s.sample_chunk(7, 0, 5)
        True
        """
        return draw_chunk(self.tables, seed, chunk, size)

    def sample(self, n: int, seed: int = 0, *, unique: bool = False, workers: int = 1) -> list[Scene]:
        """``n`` scenes drawn by chunks of :data:`CHUNK_SIZE`, concatenated in chunk order.

        With ``unique=True`` the draws are deduplicated by canonical id in order
        (sampling without replacement) until ``n`` distinct scenes are found.
        The output depends on ``(n, seed, unique)`` only, not on ``workers``, and
        the first ``n`` scenes of a longer run are the ``n`` scenes of a shorter one.
        """
        with paused_collector():  # a loop edge: the list's scenes make no cycles (gas_solver/collector.py)
            return list(self.iter_sample(n, seed, unique=unique, workers=workers))

    def iter_sample(self, n: int, seed: int = 0, *, unique: bool = False, workers: int = 1) -> Iterator[Scene]:
        """Like :meth:`sample`, yielding scenes as chunks complete (for streaming output)."""
        return self.map_chunks(n, seed, None, unique=unique, workers=workers)

    def map_chunks(self, n: int, seed: int, fn, *, unique: bool = False, workers: int = 1,
                   key=None) -> Iterator:
        """Draw like :meth:`sample`, applying ``fn`` (a module-level function ``list[Scene] -> list``) to each
        chunk inside the workers, and yield its items in order.  In one process, where the law draws a chunk
        structure by structure (:func:`~.chunks.by_structure`), ``fn`` gets the chunk's scenes as an iterator,
        as they are drawn, and its items are yielded as it makes them (``fn`` must then take any iterable).

        Lets callers move per-scene work (JSON rows, captions) into the worker processes
        (:mod:`gas_solver.pool`).  With ``unique=True``, ``key(item)`` must give the scene's
        canonical id (default: ``canonical_id`` of the item, which then must be a Scene).
        """
        if n < 0:
            raise GasError("the number of scenes must be >= 0")
        if unique and self.total is not None and n > self.total:
            raise GasError(f"asked for {n} distinct scenes but the space has only {self.total}")
        return _stream(self, n, seed, fn, unique, max(1, int(workers)), key or canonical_id)


def _rebuild(spec, taxonomy, distribution, strata, backend, structures) -> Sampler:
    return Sampler(spec, taxonomy, distribution=distribution, strata=strata, backend=backend, structures=structures)


class _ChunkRecipe:
    """The pool context of a sampler's chunks: ``(sampler, fn)``, the driver's own in forked workers."""

    def __init__(self, sampler: Sampler, fn):
        self.sampler = sampler
        self.fn = fn
        self.key = f"sampler-chunks-{id(sampler)}-{id(fn)}"

    def build(self):
        return self.sampler, self.fn


def _chunk_items(context, job: tuple) -> list:
    sampler, fn = context
    scenes = sampler.sample_chunk(*job)
    return scenes if fn is None else fn(scenes)


def _chunk_stream(sampler: Sampler, fn, job: tuple):
    """A chunk's items in this process, as its scenes are drawn (``fn`` must take an iterable)."""
    scenes = iter_chunk(sampler.tables, *job)
    return scenes if fn is None else fn(scenes)


def _jobs(n: int, seed: int, unique: bool) -> Iterator[tuple]:
    """``(seed, chunk, size)`` in order: sizes never depend on the worker count, and a chunk's first k
    scenes are the scenes of a chunk of size k, so the output is the same for any number of workers."""
    size = chunks.CHUNK_SIZE
    if unique:  # as many full chunks as it takes
        chunk = 0
        while True:
            yield seed, chunk, size
            chunk += 1
    for chunk in range(math.ceil(n / size)):
        yield seed, chunk, min(size, n - chunk * size)


def _stream(sampler: Sampler, n: int, seed: int, fn, unique: bool, workers: int, key) -> Iterator:
    if n == 0:
        return
    jobs = _jobs(n, seed, unique)
    stream = isinstance(sampler, Sampler) and by_structure(sampler.law)
    with contextlib.ExitStack() as stack:
        if workers > 1 and n > chunks.CHUNK_SIZE:
            # forked workers inherit this sampler and its tables: the context is handed over, not rebuilt
            recipe = _ChunkRecipe(sampler, fn)
            stack.enter_context(provide_context(recipe, (sampler, fn)))
            results = stack.enter_context(contextlib.closing(
                process_map(_chunk_items, recipe, jobs, workers=workers, ordered=True)))
        else:
            # one process: items as the chunk's scenes are drawn (where the law draws structure by
            # structure, a long chunk streams); fn (rows) must then accept an iterable
            results = (_chunk_stream(sampler, fn, job) if stream else _chunk_items((sampler, fn), job)
                       for job in jobs)
        done = stale = 0
        seen: set[str] = set()
        for chunk, items in enumerate(results):
            before = done
            for item in items:
                if unique:
                    cid = key(item)
                    if cid in seen:
                        continue
                    seen.add(cid)
                yield item
                done += 1
                if done == n:
                    return
            if unique:
                stale = stale + 1 if done == before else 0
                if stale >= 20 * workers:  # only reachable when the space size is unknown (raw ASP rules)
                    raise GasError(f"found only {done} distinct scenes after {chunk + 1} chunks of draws; "
                                   f"the space seems to hold fewer than {n}")


def sample_scenes(spec, taxonomy, n: int, seed: int = 0, **kw) -> list[Scene]:
    """Draw ``n`` scenes of a constraint file (see :class:`Sampler` for ``distribution``, ``strata``, ...).

    Examples
    --------
    >>> from gas_solver.taxonomy import load_taxonomy
    >>> from gas_solver.constraints.model import ConstraintSpec
    >>> len(sample_scenes(ConstraintSpec(), load_taxonomy("tests/data/toy.toml"), 4, seed=3))
    4
    """
    sampler_kw = {k: kw.pop(k) for k in ("distribution", "strata", "backend", "structures") if k in kw}
    return Sampler(spec, taxonomy, **sampler_kw).sample(n, seed, **kw)
