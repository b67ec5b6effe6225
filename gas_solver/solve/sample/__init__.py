"""Exact sampling of scenes: uniform, weighted, stratified, and the reference's per-structure law.

Method (the Burnside process, ``solver_lab.md`` §4b, ``DESIGN.md`` §3):

1. pick a structure ``S`` with probability proportional to its exact number of
   scenes (``uniform``), its exact weight sum ``Z_S`` (``weighted``), or its
   stratum's share times its count within the stratum (``stratified``);
2. pick an automorphism ``g`` of ``S`` with probability ∝ ``|Fix(g)|``
   (weighted: the weight sum of the labellings ``g`` fixes);
3. pick a labelling fixed by ``g`` with probability ∝ its weight by backward
   sampling through the variable-elimination tables of the quotient graph
   (:mod:`.burnside`), then a concrete concept uniformly in its class, an
   attribute set and a predicate per edge uniformly among the allowed ones;
4. if the file has global constraints (cardinalities, ``repeat_objects =
   false``, larger patterns), accept the scene iff it satisfies them, else go
   back to 2.  The proposal is exactly uniform (or weighted) over the larger
   local space, so the accepted scene is exactly uniform (weighted) over the
   file's space; the acceptance rate is known exactly from the counts, and
   sampling refuses when it is below :data:`MIN_ACCEPTANCE`.

Required one-node / one-edge patterns (seed graphs) and "at least one"
cardinalities would make blind rejection hopeless when matches are rare.  For
them step 2 also picks a **marked match** of each (an object or edge cycle whose
labels are then restricted to match), with probability ∝ the weight of the
fixed labellings having it; a scene then comes ∝ ``w · |Stab| · Π m_i`` (``m_i``
its matches of pattern ``i``) and is kept with probability ``1 / Π m_i``,
which makes it ∝ ``w`` again, exactly.  Where those marks would be many (many
requirements), step 2 and 3 instead condition on the counters' DP: no marks,
no rejection (:mod:`.conditioned`).

Product-form files (no global constraint) are drawn in numpy batches per
structure, automorphism, vertex label and label pair (``benchmarks/bench_sample.py``
measures the rate).  Files with global constraints under the uniform or weighted
law reject whole scenes of such batches drawn from the proposal (structures ∝
their local counts, or ∝ the mass of their marked labellings; then the filtered
law is exact).  The rest (strata or the per-structure law with global
constraints, non-local soft rules) are drawn one scene at a time with Python's
exact ``randrange``.

A labelling ``x`` comes out of 2–3 with probability ∝ ``w(x) · |Stab(x)|``, and
its orbit has ``|G| / |Stab(x)|`` members, so every scene (orbit) has
probability ∝ ``w``: exactly, because every choice is an exact integer
categorical draw (:mod:`.exact_random`).

Raw ASP rules put a space outside exact counting; the sampler then draws from
the file without its raw rules and keeps the scenes that pass them (exact
rejection, :mod:`.raw_filter`): still exactly uniform (weighted), with
``total = None`` and an acceptance rate that is not known in advance.

``per-structure`` reproduces the reference implementation's law for
comparison: a structure uniformly among those with scenes, then a uniformly
random valid labelling of it (no automorphism step), so a scene ``O`` on ``S``
has probability ``(|Aut S| / |Stab O|) / (#structures · #labellings(S))``.

Draws are made in chunks: :meth:`Sampler.sample_chunk` is a pure function of
``(seed, chunk, size)``, so output does not depend on the number of workers.

The modules, one job each, in the order a draw uses them:

- :mod:`.law`: the law's set-up as plain values (structure weights, strata, scene attributes);
- :mod:`.automorphism`: step 2, the choice of an automorphism;
- :mod:`.fill`: per structure, the quotient plans, marked matches and acceptance;
- :mod:`.conditioned`: draws conditioned on many "at least one" requirements through the counters' DP;
- :mod:`.embedded_draws`: draws conditioned on the embedded counter, for patterns too rare for rejection;
- :mod:`.scalar`: the reference draws, one scene at a time (what the batches are checked against);
- :mod:`.batch`, :mod:`.objects`, :mod:`.predicates`: the production draws, numpy batches;
- :mod:`.groups`: the one group-by of the batches;
- :mod:`.values`: shared attribute, relation and object values;
- :mod:`.tables`: the tables built as draws need them;
- :mod:`.chunks`: which draws make a chunk (batches, rejection, raw rules);
- :mod:`.sampler`: the :class:`Sampler`, streaming chunks in order, here or in the worker pool.
"""

from .chunks import CHUNK_SIZE
from .law import DISTRIBUTIONS, MIN_ACCEPTANCE, parse_strata, sampling_law, stratum_of
from .sampler import Sampler, sample_scenes

__all__ = ["Sampler", "sample_scenes", "parse_strata", "sampling_law", "stratum_of", "CHUNK_SIZE", "DISTRIBUTIONS",
           "MIN_ACCEPTANCE"]
