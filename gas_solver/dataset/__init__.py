"""Datasets: building (local or Ray), splits with held-out combinations, cards, statistics, verification.

Public API:

* :func:`build_dataset` — ``gas build``;
* :func:`verify_dataset` — ``gas verify``;
* :func:`compute_stats`, :func:`format_stats` — ``gas stats``;
* :func:`export_prompts` — ``gas prompts``;
* :func:`read_manifest`.

Importing this package imports neither pyarrow, matplotlib nor Ray; they load when used.
"""

from .build import build_dataset
from .export import export_prompts
from .manifest import DatasetError, read_manifest
from .stats import Stats, compute_stats, format_stats
from .verify import require_intact, verify_dataset

__all__ = ["build_dataset", "verify_dataset", "compute_stats", "format_stats", "export_prompts", "read_manifest",
           "DatasetError", "Stats", "require_intact"]
