"""The constraint-file language: the internal model, the parser with source positions, patterns,
and an independent scene checker.

Examples
--------
>>> from gas_solver.taxonomy import load_taxonomy
>>> from gas_solver.constraints import parse_constraints, violations
>>> tax = load_taxonomy("tests/data/toy.toml")
>>> spec = parse_constraints('[space]\\ncomplexity = [1, 4]\\n', tax)
>>> spec.bounds.complexity.hi
4
"""

from .check import pattern_matches, scene_weight, violations
from .model import (
    AttributeCondition,
    Bounds,
    CardinalityConstraint,
    ConceptSet,
    ConstraintSpec,
    IntRange,
    Origin,
    Pattern,
    PatternConstraint,
    PatternEdge,
    PatternNode,
    RawAsp,
    SoftConstraint,
    Vocabulary,
)
from .parse import default_constraints_path, load_default_constraints, parse_constraints
from .pattern import PatternLocation, parse_pattern
from .raw_asp import ASP_VOCABULARY, check_raw_asp

__all__ = [
    "parse_constraints", "load_default_constraints", "default_constraints_path", "parse_pattern", "PatternLocation",
    "violations", "pattern_matches", "scene_weight", "ASP_VOCABULARY", "check_raw_asp",
    "Origin", "IntRange", "ConceptSet", "AttributeCondition", "PatternNode", "PatternEdge", "Pattern",
    "PatternConstraint", "CardinalityConstraint", "SoftConstraint", "RawAsp", "Bounds", "Vocabulary",
    "ConstraintSpec",
]
