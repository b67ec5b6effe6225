"""The cyclic garbage collector: the project's one policy for it, applied at the edges of loops.

Where it applies: the loops that stream rows (``gas sample``'s and ``gas realize``'s
writers, a build's part runner, :meth:`Sampler.sample <gas_solver.solve.sample.Sampler.sample>`)
pause it with :func:`paused_collector`; the ``gas`` command skips the final collection at
exit (:func:`skip_collection_at_exit`).  No other module calls :mod:`gc`.

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

import atexit
import contextlib
import gc
from typing import Callable, Iterator

__all__ = ["paused_collector", "skip_collection_at_exit"]


#: the ticks of the pauses in force in this process (empty when none is)
_active: list = []


@contextlib.contextmanager
def paused_collector(every: int = 32768) -> Iterator[Callable[[], None]]:
    """Pause automatic collection; yields ``tick()``, to be called once per row.

    A tick's pass walks what survived since the last one (a chunk of sampled scenes, an
    encoder's row group, caches filled on the way: 20-40 ms in a build; the first also walks
    the tables built lazily since the pause began, ~0.1 s) whatever ``every`` is, and rows
    make no cycles: a pass every 32,768 rows costs ~1 µs a row (every 8,192: ~4 µs).

    Nested pauses (a build's driver pauses around the parts it makes itself, and each part
    pauses again) share the outermost one: only it freezes and, on exit, unfreezes (which
    hands every long-lived object back to the collector's full passes, so it should happen
    once per loop, not once per part).
    """
    if _active:
        yield _active[-1]
        return
    # a caller that manages the collector itself (disabled it, or froze objects of its own) keeps its
    # settings: unfreezing on exit would thaw its objects too
    ours = gc.isenabled() and not gc.get_freeze_count()
    if ours:
        gc.freeze()  # the long-lived tables made so far: out of every pass until the loop ends
        gc.disable()
    count = 0

    def tick() -> None:
        nonlocal count
        count += 1
        if count >= every:
            count = 0
            gc.collect(1)  # the young generations only: the rows' and chunks' leftovers, never the tables

    _active.append(tick)
    try:
        yield tick
    finally:
        _active.pop()
        if ours:
            gc.unfreeze()
            gc.enable()


def skip_collection_at_exit() -> None:
    """Skip the interpreter's final full collection when this process exits.

    After a build the heap holds the taxonomy, the solver's tables, pyarrow and matplotlib, and
    collecting them took 0.5-1 s of every ``gas`` command's exit.  Frozen objects are still freed
    by the process's exit; outputs must be written and closed explicitly (they are).
    """
    atexit.register(gc.freeze)
