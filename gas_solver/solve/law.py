"""Which law a sampling run uses: the command line's options, else the constraint file's ``[sampling]``.

>>> from gas_solver.constraints.model import ConstraintSpec, SamplingPlan
>>> spec = ConstraintSpec(sampling=SamplingPlan("stratified", {"complexity": "equal"}))
>>> sampling_law(spec)
('stratified', {'complexity': 'equal'})
>>> sampling_law(spec, "uniform")
('uniform', None)
>>> sampling_law(spec, None, {"objects": "equal"})
('stratified', {'objects': 'equal'})
"""

from __future__ import annotations

__all__ = ["sampling_law"]


def sampling_law(spec, distribution: str | None = None, strata: dict | None = None) -> tuple[str, dict | None]:
    """``(distribution, strata)`` for a run: explicit options win, then the file's ``[sampling]``, then uniform.

    An explicit ``distribution`` replaces the file's law whole (its strata too); strata given alone
    mean ``stratified`` with those strata.
    """
    if distribution is not None:
        return distribution, strata
    if strata is not None:
        return "stratified", strata
    plan = spec.sampling
    if plan is None:
        return "uniform", None
    return plan.distribution, plan.strata
