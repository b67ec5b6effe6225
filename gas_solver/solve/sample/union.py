"""The exact sampler of a file with ``[[count]]`` groups: a mixture of its parts' plain samplers.

The decomposition into parts is :mod:`gas_solver.solve.counted`; :class:`~.sampler.Sampler` returns a
:class:`CountedSampler` for such files.
"""

from __future__ import annotations

import bisect
import contextlib
import itertools
import random
from fractions import Fraction

import numpy as np

from ...constraints.model import FITTING, STRATA_KINDS
from ...errors import ExactSamplingRefused, GasError
from ...scene import Scene
from ..count import count_by_stratum, count_scenes, shared_union_counts, weighted_total
from ..counted import counted_parts, renamed, scaled
from .chunks import CHUNK_SIZE, draw_blocks
from .fitting import fitting_draws
from .law import DISTRIBUTIONS, cell_shares

__all__ = ["CountedSampler"]

_MASK64 = (1 << 64) - 1


@contextlib.contextmanager
def _refusals_named(sampler):
    """A part's exact sampler refusing (too few accepted draws) is reported as what it is for the file."""
    try:
        yield
    except ExactSamplingRefused as err:
        groups = "; ".join(str(c.origin) for c in sampler.spec.counts)
        raise GasError(f"{err}\n[[count]] files are sampled part by part (one shared concept each), and a part "
                       f"keeps too few of its draws: its counted copies are a small share of the objects it allows "
                       f"({groups}). Let the counted objects make up more of the vocabulary (every object "
                       "counted samples at full speed); approximate sampling does not model [[count]]") from err


class CountedSampler:
    """Exact sampler over the scenes of a file with ``[[count]]`` groups: a mixture of the parts' samplers.

    Same interface as :class:`~gas_solver.solve.sample.Sampler` (``Sampler(spec, ...)`` returns one of these
    for such files).  ``uniform``: part ∝ ``ways · total``; ``weighted``: ∝ ``ways · Z``; ``stratified``
    with shares ``s_σ``: with ``c_kσ`` the scenes of part ``k`` in stratum ``σ`` and ``C_σ = Σ_k ways_k c_kσ``,
    part ``k`` is drawn ∝ ``ways_k Σ_σ s_σ c_kσ / C_σ`` and samples its strata with shares ∝ ``s_σ c_kσ / C_σ``,
    so a scene of stratum σ comes with probability ``s_σ / C_σ``: uniform inside its stratum.
    ``per-structure`` (the reference's law) is not defined on a union and is refused.

    Draw ``i`` of chunk ``c`` is prefix-stable like the plain sampler's: parts and renamings are drawn one
    scene after the other from a generator of ``(seed, chunk)``, each part's scenes come from its sampler's
    chunk ``c`` under a seed derived from ``(seed, part)``.
    """

    def __init__(self, spec, taxonomy, *, distribution: str = "uniform", strata: dict | None = None,
                 backend: str = "asp", structures=None, plain=None):
        # ``plain``: the plain sampler class, for the parts and for the shared draw loops (sample, iter_sample,
        # map_chunks); handed in by Sampler.__new__ so that this module does not import it back
        self._plain = Sampler = plain
        if distribution not in DISTRIBUTIONS:
            raise GasError(f"unknown distribution {distribution!r}; expected one of {', '.join(DISTRIBUTIONS)}")
        if distribution == "per-structure" and spec.counts:
            raise GasError("distribution 'per-structure' is not available with [[count]] groups (the reference's "
                           "law is defined per structure of one file); use uniform, weighted or stratified")
        if distribution == "stratified" and not strata:
            raise GasError("distribution 'stratified' needs strata, e.g. --strata 'complexity:3=0.5,4=0.5'")
        if strata and distribution != "stratified":
            raise GasError("strata are only used with distribution 'stratified'")
        self.spec, self.taxonomy = spec, taxonomy
        self.distribution, self.strata, self.backend = distribution, strata, backend
        self._structures_arg = structures
        self.parts = counted_parts(spec, taxonomy)
        shared_union_counts(spec, taxonomy, structures=structures)  # a setting union: its parts in one pass
        totals = [count_scenes(p.spec, taxonomy, structures=structures) for p in self.parts]
        self.total = sum(p.ways * t for p, t in zip(self.parts, totals))
        if self.total == 0:
            raise GasError("the space of this constraint file is empty: no scene satisfies it "
                           "(run `gas check` to see the conflicting constraints)")
        self.proposal_total = self.total
        live = [i for i, t in enumerate(totals) if t]
        sub_strata: dict = {}
        if distribution == "weighted":
            zs = {i: weighted_total(self.parts[i].spec, taxonomy, structures=structures) for i in live}
            self.z = sum((self.parts[i].ways * zs[i] for i in live), Fraction(0))
            mass = {i: self.parts[i].ways * zs[i] for i in live}
        else:
            self.z = Fraction(self.total)
            mass = {i: self.parts[i].ways * totals[i] for i in live}
        part_law = distribution
        if distribution == "per-structure":
            # a setting union: a structure uniformly, then a uniform filling of it among every part's fillings
            # (the structure's equal share split over the parts by their counts on it)
            mass, sub_strata = self._stratified({"structure": "equal"}, live, count_by_stratum)
            part_law = "stratified"
        elif distribution == "stratified":
            mass, sub_strata = self._stratified(strata, live, count_by_stratum)
        self._live = [i for i in live if mass.get(i)]
        with _refusals_named(self):
            self._samplers = {i: Sampler(self.parts[i].spec, taxonomy, distribution=part_law,
                                         strata=sub_strata.get(i), backend=backend, structures=structures)
                              for i in self._live}
        ints = scaled([mass[i] for i in self._live])
        self._cum = list(itertools.accumulate(ints))
        # a part draws its share of a chunk in batches of about that share (not a whole chunk cut short):
        # the batch size depends on the law only, never on the size asked for, so chunks stay prefix-stable
        self._block = {i: max(64, -(-CHUNK_SIZE * 9 * w // (8 * self._cum[-1]))) for i, w in zip(self._live, ints)}
        # a setting union draws every part from its universal part's tables in one batch (same law, see
        # .fitting); None where that does not apply (the mixture below is used)
        self._fitting = fitting_draws(self) if spec.bounds.setting == FITTING else None

    def _stratified(self, strata: dict, live: list, count_by_stratum) -> tuple[dict, dict]:
        if "repeats" in strata:
            return self._cells(strata, live, count_by_stratum)
        if len(strata) != 1 or next(iter(strata)) not in (*STRATA_KINDS, "structure"):
            raise GasError(f"strata must be {{KIND: {{...}}}} with KIND one of {', '.join(STRATA_KINDS)}")
        kind, shares = next(iter(strata.items()))
        per_part = {i: count_by_stratum(self.parts[i].spec, self.taxonomy, kind, structures=self._structures_arg)
                    for i in live}
        big: dict = {}
        for i in live:
            for k, v in per_part[i].items():
                big[k] = big.get(k, 0) + self.parts[i].ways * v
        if shares == "equal":
            shares = {k: Fraction(1) for k, v in big.items() if v}
        shares = {(k if kind == "structure" else tuple(k) if kind == "shape" else int(k)): Fraction(v)
                  for k, v in shares.items()}
        if sum(shares.values(), Fraction(0)) <= 0:
            raise GasError("strata shares must not all be zero")
        for k, v in shares.items():
            if v and not big.get(k):
                raise GasError(f"stratum {kind}={k} has no scenes in this space; give it share 0 or drop it")
        mass, sub = {}, {}
        for i in live:
            t = {k: shares[k] * c / big[k] for k, c in per_part[i].items() if c and shares.get(k)}
            if t:
                mass[i] = self.parts[i].ways * sum(t.values(), Fraction(0))
                sub[i] = {kind: t}
        return mass, sub

    def _cells(self, strata: dict, live: list, count_by_stratum) -> tuple[dict, dict]:
        """Repeated-objects strata: the cells (stratum of the other kind or None, repeated | distinct) play the
        strata's part above, and each part draws its cells with the shares ``s_cell c_k,cell / C_cell``."""
        kind = next((k for k in strata if k != "repeats"), None)
        per_part = {}
        for i in live:
            got = count_by_stratum(self.parts[i].spec, self.taxonomy, (kind, "repeats") if kind else "repeats",
                                   structures=self._structures_arg)
            per_part[i] = got if kind else {(None, r): v for r, v in got.items()}
        big: dict = {}
        for i in live:
            for k, v in per_part[i].items():
                big[k] = big.get(k, 0) + self.parts[i].ways * v
        kind, shares = cell_shares(strata, big)
        mass, sub = {}, {}
        for i in live:
            t = {k: shares[k] * c / big[k] for k, c in per_part[i].items() if c and shares.get(k)}
            if t:
                mass[i] = self.parts[i].ways * sum(t.values(), Fraction(0))
                sub[i] = {"cells": (kind, t)}
        return mass, sub

    def sample_chunk(self, seed: int, chunk: int, size: int) -> list[Scene]:
        """``size`` scenes, a pure function of ``(seed, chunk, size)``; the first ``k`` do not depend on ``size``."""
        if self._fitting is not None:
            return self._fitting.sample_chunk(seed, chunk, size)
        state = np.random.SeedSequence([seed & _MASK64, chunk, 0xC0]).generate_state(4, dtype=np.uint64)
        rnd = random.Random(int.from_bytes(state.tobytes(), "little"))
        cum, total = self._cum, self._cum[-1]
        picks, renames = [], []
        for _ in range(size):  # part and renaming scene by scene: a shorter chunk is a prefix of a longer one
            i = self._live[bisect.bisect_right(cum, rnd.randrange(total))]
            picks.append(i)
            renames.append(tuple(members[rnd.randrange(len(members))] for _, members in self.parts[i].renames))
        drawn: dict = {}
        for i in sorted(set(picks)):
            sub_seed = int(np.random.SeedSequence([seed & _MASK64, i, 0xC1]).generate_state(1, dtype=np.uint64)[0])
            with _refusals_named(self):
                drawn[i] = iter(draw_blocks(self._samplers[i].tables, sub_seed, chunk, picks.count(i),
                                            self._block[i]))
        out = []
        for i, names in zip(picks, renames):
            scene = next(drawn[i])
            if names:  # counted parts: the representative concepts take the drawn names
                scene = renamed(scene, dict(zip((r for r, _ in self.parts[i].renames), names)))
            out.append(scene)
        return out

    def _bind(name):
        def method(self, *args, **kw):
            return getattr(self._plain, name)(self, *args, **kw)

        method.__name__ = name
        method.__doc__ = f"As :meth:`gas_solver.solve.sample.Sampler.{name}`."
        return method

    sample = _bind("sample")
    iter_sample = _bind("iter_sample")
    map_chunks = _bind("map_chunks")
    del _bind
