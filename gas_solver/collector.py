"""The cyclic garbage collector in loops that stream rows.

A row allocates ~150 containers (question dicts, element lists) and frees them by
reference counting as soon as it is written; none of them forms a cycle.  With the
collector on, those allocations trigger a young-generation pass every few rows
and full passes over everything that lives longer: the taxonomy, the sampler's
tables and the current chunk of scenes (~10^5 objects).  Measured on `gas sample`
with captions and questions, that was ~10 % of the time.  While rows stream, the
collector is paused; what was alive on entry is frozen out of its way, and the
young generations are still collected every ``every`` rows, so memory stays flat
even if something on the way does make cycles.

>>> from gas_solver.collector import paused_collector
>>> with paused_collector() as gc_tick:
...     for row in range(3):
...         gc_tick()
"""

from __future__ import annotations

import contextlib
import gc
from typing import Callable, Iterator

__all__ = ["paused_collector"]


@contextlib.contextmanager
def paused_collector(every: int = 8192) -> Iterator[Callable[[], None]]:
    """Pause automatic collection; yields ``tick()``, to be called once per row."""
    enabled = gc.isenabled()
    gc.freeze()  # the long-lived tables made so far: out of every pass until the loop ends
    gc.disable()
    count = 0

    def tick() -> None:
        nonlocal count
        count += 1
        if count >= every:
            count = 0
            gc.collect(1)  # the young generations only: the rows' and chunks' leftovers, never the tables

    try:
        yield tick
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()
