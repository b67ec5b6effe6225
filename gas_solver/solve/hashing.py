"""Near-uniform sampling by random XOR cells (UniGen-style): for spaces the exact sampler cannot draw from.

The exact sampler (:mod:`.sample`) needs exact counts; raw ASP rules put a
space outside exact counting (it then rejects, which fails when the rules
keep little of the space), and some global constraints make the counter give
up (:class:`~gas_solver.errors.SpaceTooLarge`).  This module offers an
explicit, opt-in alternative that is **near-uniform, not exactly uniform**,
with the guarantee of UniGen (Chakraborty, Meel, Vardi, DAC 2014):

    for every scene ``y`` of the space ``R``, conditioned on a draw
    succeeding,  ``1 / ((1 + ε) |R|)  <=  P(y)  <=  (1 + ε) / |R|``.

Method
------
The models are H4's labelled models (:mod:`.asp` / :mod:`.cpsat`), one per
structure, each with lex-leader symmetry breaking: one model per scene.  The
**independent support** is the label variables: one boolean per (vector
position, value) pair except each position's first value (which the others
determine), plus, on the clingo backend with raw rules, one per scene
attribute ``scene_attr(T,V)``.  The whole space is the disjoint union of the
structures' models, so its support is the concatenation of theirs: a random
hash ``h(y) = A·y + b`` over GF(2) (every coefficient and parity bit a fair
coin: the 3-wise independent family ``H_xor``) restricts to each structure's
block of columns, and the **cell** ``{y : h(y) = 0}`` of the whole space is
the union of the structures' cells.

* CP-SAT: each row is one ``AddBoolXOr`` on the one-hot booleans.
* clingo: each row is a chain of auxiliary atoms defined by rules
  (``p_t ↔ p_{t-1} ⊕ (c_t ∧ b_t)``, the coefficients ``c_t``, the parity and
  the row's switch being external atoms, so rows are grounded once and every
  query only assigns externals); the atoms are functionally determined by the
  labels, so model counts are not inflated.

Algorithm (UniGen, with its constants): from ``ε`` (> 1.71) solve
``ε = (1+κ)(2.23 + 0.48/(1-κ)²) - 1`` for ``κ``; ``pivot = ⌈3·e^½·(1+1/κ)²⌉``,
``hi = 1 + √2·(1+κ)·pivot``, ``lo = pivot / (√2·(1+κ))``.

1. enumerate up to ``hi`` scenes; if the space has at most ``hi``, draw
   **exactly uniformly** among them (no hashing at all);
2. else estimate the count ``C`` ApproxMC-style (seeded): for each of
   :data:`ESTIMATE_REPEATS` random hash matrices, find by doubling then
   bisection the fewest rows ``m`` (prefixes of the matrix, so cells shrink
   monotonically) whose cell holds fewer than ``thresh = 73`` scenes
   (ApproxMC's threshold for tolerance 0.8); the estimate is the median of
   ``|cell|·2^m``;
3. per draw: ``q = ⌈log2 C + log2 1.8 - log2 pivot⌉``; for ``m = q-3 .. q``
   draw a fresh hash with ``m`` rows and enumerate its cell up to ``hi + 1``
   scenes; at the first ``m`` with ``lo <= |cell| <= hi`` return a uniformly
   chosen scene of the cell; if none fits, the draw failed and is retried
   with fresh randomness.

UniGen's proof assumes ApproxMC's own guarantee for ``C`` (within a factor
1.8 with probability >= 0.8); the median of a few repetitions used here is
the same estimator with fewer repetitions, so that precondition is not
certified formally.  The estimate only chooses where the window of ``m``
starts: the cell-size test and the uniform choice inside the cell are what
the bound rests on.  In practice the law is far closer to uniform than the
bound (the tests check a chi-square fit), but it is **not** exact: never use
it where exact uniformity is claimed.  It is also slow: one solver
enumeration of up to ``hi`` models per tried ``m`` and per structure, i.e.
tens to hundreds of scenes per second on small spaces, versus tens of
thousands for the exact sampler.

Determinism: the hashes come from a numpy ``PCG64`` seeded with ``(seed,
draw index, attempt)``, cells are sorted before the uniform choice, CP-SAT
runs with one worker and clingo single-threaded, so draw ``i`` of seed ``s``
is a pure function of ``(s, i)`` and both backends give the same scenes.

Examples
--------
>>> from gas_solver.taxonomy import load_taxonomy
>>> from gas_solver.constraints.model import ConstraintSpec, Bounds, IntRange
>>> tax = load_taxonomy("tests/data/toy.toml")
>>> spec = ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 2)))
>>> scenes = sample_near_uniform(spec, tax, 3, seed=1)
>>> len(scenes), all(s.complexity <= 2 for s in scenes)
(3, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..errors import GasError
from ..scene import Scene, SceneAttribute
from .domain import ground
from .counted import is_union
from .problem import build_problem, check_backend, scene_attribute_choices
from .structures import structures as structures_of

__all__ = ["HashingSampler", "sample_near_uniform", "unigen_parameters", "UniGenParameters", "NEAR_UNIFORM_HINT",
           "DEFAULT_EPSILON", "ESTIMATE_REPEATS"]

#: UniGen's tolerance used when none is given (κ ≈ 0.75, pivot 28, cells of 11..70 scenes)
DEFAULT_EPSILON = 16.0
#: repetitions of the ApproxMC-style count estimate (median)
ESTIMATE_REPEATS = 5
#: ApproxMC's cell threshold for tolerance 0.8: 1 + 9.84 (1 + 0.8/1.8) (1 + 1/0.8)^2
APPROXMC_THRESHOLD = math.ceil(1 + 9.84 * (1 + 0.8 / 1.8) * (1 + 1 / 0.8) ** 2)
#: failed draws (no m of the window gives a cell within [lo, hi]) allowed per scene before giving up
MAX_ATTEMPTS = 60

#: what refusals of the exact sampler add, pointing at this module
NEAR_UNIFORM_HINT = ("exact sampling is not available for this space; `gas sample --distribution near-uniform` "
                     "draws near-uniformly by random XOR cells (UniGen: every scene's probability within a "
                     "factor 1+ε of uniform, ε = 16 by default; not exact)")


@dataclass(frozen=True)
class UniGenParameters:
    """UniGen's constants for a tolerance ``epsilon`` (see the module docstring)."""

    epsilon: float
    kappa: float
    pivot: int
    hi: int
    lo: int

    def guarantee(self) -> str:
        """The stated guarantee, one line (printed by the CLI)."""
        return (f"near-uniform, NOT exact: UniGen-style random XOR cells, every scene's probability within a "
                f"factor 1+ε = {1 + self.epsilon:g} of uniform (ε = {self.epsilon:g}, κ = {self.kappa:.3f}, "
                f"cells of {self.lo}..{self.hi} scenes); exactly uniform when the space has at most {self.hi} scenes")


def _eps_of_kappa(kappa: float) -> float:
    return (1 + kappa) * (2.23 + 0.48 / (1 - kappa) ** 2) - 1


def unigen_parameters(epsilon: float = DEFAULT_EPSILON) -> UniGenParameters:
    """UniGen's κ, pivot and cell bounds for tolerance ``epsilon`` (UniGen requires ``epsilon > 1.71``).

    >>> p = unigen_parameters(16)
    >>> (p.pivot, p.lo, p.hi)
    (28, 11, 70)
    """
    if not epsilon > 1.71:
        raise GasError(f"near-uniform sampling needs epsilon > 1.71 (UniGen's range), got {epsilon}")
    lo_k, hi_k = 0.0, 1.0
    for _ in range(200):  # ε(κ) increases on (0, 1): bisection
        mid = (lo_k + hi_k) / 2
        if _eps_of_kappa(mid) < epsilon:
            lo_k = mid
        else:
            hi_k = mid
    kappa = lo_k
    pivot = math.ceil(3 * math.exp(0.5) * (1 + 1 / kappa) ** 2)
    hi = int(1 + math.sqrt(2) * (1 + kappa) * pivot)
    lo = int(pivot / (math.sqrt(2) * (1 + kappa)))
    return UniGenParameters(float(epsilon), kappa, pivot, hi, lo)


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


# ---------------------------------------------------------------------------
# One structure's model with XOR rows on its support
# ---------------------------------------------------------------------------

class _AspCells:
    """``labels.lp`` for one structure, grounded once, plus XOR rows whose coefficients are external atoms.

    Row ``r`` over the support bits ``b_1..b_N``: ``y(r,t) ↔ coef(r,t) ∧ b_t`` and the chain
    ``x(r,t) ↔ x(r,t-1) ⊕ y(r,t)``, both defined by rules (functionally determined by the labels and
    the externals, so they never multiply models); ``on(r)`` switches the row's parity constraint
    on.  A cell query only assigns externals: rows are grounded once (more only when a query
    needs more rows than ever before), so the program does not grow with the number of draws.
    """

    def __init__(self, problem, taxonomy, bits, scene_options, scene_range, scene_groups=None, scene_required=()):
        import clingo

        from . import asp

        self._clingo = clingo
        self.ctl, _ = asp._control(problem, taxonomy, external=False, scene_options=scene_options,
                                   scene_range=scene_range, scene_groups=scene_groups,
                                   scene_required=scene_required)
        self.atoms = [f"val({k},{v})" if kind == "val" else f"scene_attr({_q(k)},{_q(v)})" for kind, k, v in bits]
        self.width = len(problem.domains)
        self.with_scene = scene_options is not None
        self.rows = 0  # rows grounded so far
        self._decode: dict = {}
        # per grounded row: its external symbols and their current values (only changes are assigned)
        self._syms: list[tuple] = []
        self._vals: list[np.ndarray] = []

    def _ground_rows(self, upto: int) -> None:
        n = len(self.atoms)
        text = []
        for r in range(self.rows, upto):
            text.append(f"#external gas_on__({r}). #external gas_par__({r}).")
            for t, atom in enumerate(self.atoms, start=1):
                text.append(f"#external gas_coef__({r},{t}). gas_y__({r},{t}) :- gas_coef__({r},{t}), {atom}.")
            text.append(f"gas_x__({r},1) :- gas_y__({r},1).")
            for t in range(2, n + 1):
                text.append(f"gas_x__({r},{t}) :- gas_x__({r},{t - 1}), not gas_y__({r},{t}).")
                text.append(f"gas_x__({r},{t}) :- not gas_x__({r},{t - 1}), gas_y__({r},{t}).")
            text.append(f":- gas_on__({r}), gas_par__({r}), not gas_x__({r},{n}).")
            text.append(f":- gas_on__({r}), not gas_par__({r}), gas_x__({r},{n}).")
        name = f"gas_rows_{self.rows}_{upto}"
        self.ctl.add(name, [], "\n".join(text))
        self.ctl.ground([(name, [])])
        fn, num = self._clingo.Function, self._clingo.Number
        for r in range(self.rows, upto):
            # externals: coefficients 0..n-1, then the parity, then the row's switch (all false at first)
            self._syms.append(tuple(fn("gas_coef__", [num(r), num(t)]) for t in range(1, n + 1))
                              + (fn("gas_par__", [num(r)]), fn("gas_on__", [num(r)])))
            self._vals.append(np.zeros(n + 2, dtype=bool))
        self.rows = upto

    def _set_row(self, r: int, want: np.ndarray) -> None:
        cur = self._vals[r]
        syms = self._syms[r]
        for i in np.flatnonzero(cur != want).tolist():
            self.ctl.assign_external(syms[i], bool(want[i]))
        self._vals[r] = want

    def cell(self, rows: Sequence[Sequence[int]], parities: Sequence[int], bound: int) -> list[tuple]:
        for row, b in zip(rows, parities):
            if not row and b:
                return []  # 0 = 1: this structure contributes nothing to the cell
        live = [(row, b) for row, b in zip(rows, parities) if row]
        if live and len(self.atoms) and self.rows < len(live):
            self._ground_rows(len(live))
        n = len(self.atoms)
        for r in range(self.rows):
            want = np.zeros(n + 2, dtype=bool)
            if r < len(live):
                row, b = live[r]
                want[row] = True
                want[n] = bool(b)
                want[n + 1] = True
            else:
                want[:n + 1] = self._vals[r][:n + 1]  # a switched-off row keeps its coefficients
            self._set_row(r, want)
        out: list[tuple] = []
        decode = self._decode
        with self.ctl.solve(yield_=True) as handle:
            for model in handle:
                x = [0] * self.width
                sattrs = []
                for sym in model.symbols(shown=True):
                    d = decode.get(sym)
                    if d is None:  # decoded once per atom: reading symbol arguments is the slow part
                        if sym.name == "val":
                            d = ("val", sym.arguments[0].number, sym.arguments[1].number)
                        elif sym.name == "scene_attr":
                            d = ("scene", sym.arguments[0].string, sym.arguments[1].string)
                        else:
                            d = ("other",)
                        decode[sym] = d
                    if d[0] == "val":
                        x[d[1]] = d[2]
                    elif d[0] == "scene":
                        sattrs.append(d[1:])
                out.append((tuple(x), tuple(sorted(sattrs)) if self.with_scene else None))
                if len(out) > bound:
                    break
        return out


class _CpsatCells:
    """The CP-SAT model of one structure, built once and cloned per cell query (``AddBoolXOr`` rows)."""

    def __init__(self, problem, bits):
        from . import cpsat

        self.model, self.read = cpsat._label_model(problem, enforce=None)
        m = self.model
        index = {v.name: i for i, v in enumerate(m.proto.variables)}
        self.lits = []
        for _, k, v in bits:
            if f"x{k}_is_{v}" in index:  # the model's own one-hot boolean
                self.lits.append(m.get_bool_var_from_proto_index(index[f"x{k}_is_{v}"]))
            else:  # a position the model keeps as one integer: a boolean reified to "x_k == v" (determined)
                xk = m.get_int_var_from_proto_index(index[f"x{k}"])
                b = m.new_bool_var(f"gas_bit_{k}_{v}")
                m.add(xk == v).only_enforce_if(b)
                m.add(xk != v).only_enforce_if(b.Not())
                self.lits.append(b)

    def cell(self, rows, parities, bound: int) -> list[tuple]:
        from ortools.sat.python import cp_model

        m = self.model.clone()
        for row, b in zip(rows, parities):
            if not row:
                if b:
                    return []
                continue
            lits = [self.lits[j] for j in row]
            if not b:  # XOR(l1..lk) = 0  <=>  XOR(not l1, l2..lk) = 1
                lits[0] = lits[0].Not()
            m.add_bool_xor(lits)
        read = self.read
        out: list[tuple] = []

        class Collect(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self):
                out.append((read(self), None))
                if len(out) > bound:
                    self.stop_search()

        solver = cp_model.CpSolver()
        solver.parameters.enumerate_all_solutions = True
        solver.parameters.num_workers = 1
        status = solver.solve(m, Collect())
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.INFEASIBLE):
            raise GasError(f"CP-SAT stopped with status {solver.status_name(status)} while enumerating a cell")
        return out


# ---------------------------------------------------------------------------
# The sampler
# ---------------------------------------------------------------------------

class HashingSampler:
    """Near-uniform sampler over the scenes of a constraint file (UniGen-style random XOR cells).

    Parameters
    ----------
    spec : ConstraintSpec
        A parsed constraint file; raw ASP rules need ``backend="asp"``.
    taxonomy : Taxonomy
    backend : {"asp", "cpsat"}
        Which labelled model enumerates the cells (same scenes either way).
    epsilon : float
        UniGen's tolerance (> 1.71): each scene's probability lies within a
        factor ``1 + epsilon`` of ``1 / |space|`` (see the module docstring for
        the exact statement and its precondition).  Smaller values mean larger
        cells (slower draws).

    Attributes
    ----------
    params : UniGenParameters
    guarantee : str
        The stated guarantee, one line.

    Examples
    --------
    >>> from gas_solver.taxonomy import load_taxonomy
    >>> from gas_solver.constraints.model import ConstraintSpec, Bounds, IntRange
    >>> tax = load_taxonomy("tests/data/toy.toml")
    >>> s = HashingSampler(ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 2))), tax)
    >>> s.sample(2, seed=4) == s.sample(2, seed=4)
    True
    """

    def __init__(self, spec, taxonomy, *, backend: str = "asp", epsilon: float = DEFAULT_EPSILON):
        check_backend(spec, backend)
        if is_union(spec):
            raise GasError("files with [[count]] groups, setting = \"fitting\" or [semantics] hides are counted and "
                           "sampled exactly (gas sample --distribution uniform); near-uniform hashing does not model "
                           "them")
        self.spec = spec
        self.taxonomy = taxonomy
        self.backend = backend
        self.params = unigen_parameters(epsilon)
        self.guarantee = self.params.guarantee()
        self.domain = ground(spec, taxonomy)
        self.modality = spec.bounds.modality
        raw = bool(spec.raw_asp)
        # without raw rules the scene attributes are an independent, exactly uniform factor
        self.choices = None if raw else scene_attribute_choices(spec, self.domain)
        self._parts = []  # (problem, cells, offset, width) per structure
        offset = 0
        if self.domain.concepts and (raw or self.choices):
            rng_ = spec.bounds.scene_attributes
            sopts = self.domain.scene_options if raw else None
            for s in structures_of(spec.bounds):
                problem = build_problem(s, self.domain, spec)
                bits = [("val", k, v) for k, dom in enumerate(problem.domains) for v in dom[1:]]
                if sopts is not None:
                    bits += [("scene", t, v) for t in sorted(sopts) for v in sopts[t]]
                if backend == "asp":
                    cells = _AspCells(problem, taxonomy, bits, sopts, (rng_.lo, rng_.hi), self.domain.scene_groups,
                                      self.domain.scene_required)
                else:
                    cells = _CpsatCells(problem, bits)
                self._parts.append((problem, cells, offset, len(bits)))
                offset += len(bits)
        #: number of support variables (columns of the hash matrices)
        self.support = offset
        self._small = None  # the whole space, when it fits one cell
        self._estimates: dict[int, int] = {}
        whole = self._cell(np.zeros((0, offset), dtype=np.uint8), np.zeros(0, dtype=np.uint8), self.params.hi)
        if whole is not None:
            self._small = whole
            if not whole:
                raise GasError("the space of this constraint file is empty: no scene satisfies it "
                               "(run `gas check` to see the conflicting constraints)")

    @property
    def exact(self) -> bool:
        """True when the space fits one cell: draws are then exactly uniform."""
        return self._small is not None

    # -- cells -------------------------------------------------------------------
    def _cell(self, a: np.ndarray, b: np.ndarray, bound: int) -> list[tuple] | None:
        """The sorted cell ``{y : A·y = b}`` as ``(structure, vector, scene_attrs)``, or None if above ``bound``."""
        out: list[tuple] = []
        parities = [int(v) for v in b]
        for si, (problem, cells, off, width) in enumerate(self._parts):
            block = a[:, off:off + width]
            rows = [np.flatnonzero(block[r]).tolist() for r in range(a.shape[0])]
            room = bound - len(out)
            sols = cells.cell(rows, parities, room)
            if len(sols) > room:  # enumeration stopped early: the cell is (or, see below, counts as) too large
                return None
            # groups above LEX_LIMIT carry lex-leader constraints for generators only: drop non-minimal vectors
            # (they were counted against the bound above, so such cells may be judged too large; never truncated)
            out.extend((si, x, sa) for x, sa in sols if problem.is_orbit_minimum(x))
        out.sort()
        return out

    def _size(self, a, b, bound: int) -> int:
        cell = self._cell(a, b, bound)
        return bound + 1 if cell is None else len(cell)

    def estimate(self, seed: int = 0) -> int:
        """ApproxMC-style estimate of the number of scenes (exact when the space fits one cell).

        The scene-attribute factor of files without raw rules is not part of the hashed
        space and is not included.
        """
        if self._small is not None:
            return len(self._small)
        hit = self._estimates.get(seed)
        if hit is not None:
            return hit
        thresh = APPROXMC_THRESHOLD
        n = self.support
        values = []
        for rep in range(ESTIMATE_REPEATS):
            rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed & (2 ** 64 - 1), 0xC0, rep])))
            rows: list[np.ndarray] = []  # the matrix, drawn row by row as prefixes grow
            sizes: dict[int, int] = {}

            def size(m, rng=rng, rows=rows, sizes=sizes):
                while len(rows) < m:
                    rows.append(rng.integers(0, 2, size=n + 1, dtype=np.uint8))  # coefficients + parity
                if m not in sizes:
                    mat = np.array(rows[:m], dtype=np.uint8).reshape(m, n + 1)
                    sizes[m] = self._size(mat[:, :n], mat[:, n], thresh)
                return sizes[m]

            # doubling, then bisection: the fewest prefix rows whose cell holds fewer than thresh scenes
            lo, hi = 0, 1
            while hi < n and size(hi) >= thresh:
                lo, hi = hi, min(2 * hi, n)
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if size(mid) >= thresh:
                    lo = mid
                else:
                    hi = mid
            values.append(size(hi) * 2 ** hi)
        est = int(sorted(values)[len(values) // 2])
        self._estimates[seed] = est
        return est

    # -- drawing -------------------------------------------------------------------
    def _choose(self, cell: list[tuple], rng: np.random.Generator) -> tuple:
        """A uniformly chosen element of a cell: the step the near-uniform guarantee rests on."""
        return cell[int(rng.integers(0, len(cell)))]

    def _scene(self, item: tuple, rng: np.random.Generator) -> Scene:
        si, x, sattrs = item
        sc = self._parts[si][0].scene(x)
        if sattrs is None:
            chosen = self.choices[int(rng.integers(0, len(self.choices)))]
        else:
            chosen = tuple(SceneAttribute(t, v) for t, v in sattrs)
        return Scene(sc.objects, sc.relations, chosen, self.modality)

    def draw(self, seed: int, index: int) -> Scene:
        """Draw ``index`` of ``seed``: a pure function of ``(seed, index)``."""
        base = [seed & (2 ** 64 - 1), 0xD0, index]
        if self._small is not None:
            rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(base)))
            return self._scene(self._choose(self._small, rng), rng)
        p = self.params
        est = self.estimate(seed)
        q = math.ceil(math.log2(max(est, 1)) + math.log2(1.8) - math.log2(p.pivot))
        window = range(max(q - 3, 0), max(q, 0) + 1)
        n = self.support
        for attempt in range(MAX_ATTEMPTS):
            rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(base + [attempt])))
            for m in window:
                a = rng.integers(0, 2, size=(m, n), dtype=np.uint8)
                b = rng.integers(0, 2, size=m, dtype=np.uint8)
                cell = self._cell(a, b, p.hi)
                if cell is not None and p.lo <= len(cell):
                    return self._scene(self._choose(cell, rng), rng)
        raise GasError(f"near-uniform sampling failed {MAX_ATTEMPTS} times in a row (no cell of {p.lo}..{p.hi} "
                       f"scenes for {window.start}..{window.stop - 1} XOR constraints; estimated {est} scenes)")

    def sample(self, n: int, seed: int = 0) -> list[Scene]:
        """``n`` near-uniform scenes (with replacement): draws ``0..n-1`` of ``seed``."""
        if n < 0:
            raise GasError("the number of scenes must be >= 0")
        return [self.draw(seed, i) for i in range(n)]


def sample_near_uniform(spec, taxonomy, n: int, seed: int = 0, *, backend: str = "asp",
                        epsilon: float = DEFAULT_EPSILON) -> list[Scene]:
    """``n`` scenes of a constraint file, near-uniformly (UniGen-style; see :class:`HashingSampler`).

    >>> from gas_solver.taxonomy import load_taxonomy
    >>> from gas_solver.constraints.model import ConstraintSpec, Bounds, IntRange
    >>> tax = load_taxonomy("tests/data/toy.toml")
    >>> [s.complexity for s in sample_near_uniform(ConstraintSpec(bounds=Bounds(complexity=IntRange(1, 1))), tax, 2)]
    [1, 1]
    """
    return HashingSampler(spec, taxonomy, backend=backend, epsilon=epsilon).sample(n, seed)
