"""gas-solver: exact counting, enumeration and uniform sampling of scene graphs, with captions and QA.

The core imports no torch; ``gas_solver.vision`` and ``gas_solver.train`` need the ``gpu`` extra.
"""

__version__ = "0.1.0"
