"""The project's one pool of worker processes.

Work is a pure function ``fn(context, task) -> result``.  The *context*
(taxonomy, parsed constraints, sampler, splitter) is costly to build, so each
worker process builds it once from a picklable *recipe* (an object with
``.key`` and ``.build()``) and keeps it.  On Linux the pool forks, and workers
inherit the driver's context (built once, or handed over with
:func:`provide_context`); elsewhere they spawn and build it.  At most
``2 × workers`` tasks are in flight, so memory stays bounded however many tasks
there are.  Workers exit soon after their driver dies, even by SIGKILL.

``gas sample --workers`` (through :class:`~gas_solver.solve.sample.Sampler`)
and ``gas build`` (through :mod:`gas_solver.dataset.engines`) both run here.

>>> import operator
>>> class Recipe:
...     key = "demo"
...     def build(self): return 10
>>> list(process_map(operator.mul, Recipe(), [1, 2, 3], workers=2, ordered=True))  # ctx * task
[10, 20, 30]
"""

from __future__ import annotations

import collections
import concurrent.futures as cf
import contextlib
import multiprocessing
import os
import sys
import threading
import time
from typing import Any, Callable, Iterable, Iterator

__all__ = ["Started", "context_for", "provide_context", "held_contexts", "process_map", "started", "windowed"]

# Per-process cache of built contexts, keyed by recipe key.  Module state on
# purpose: a worker process serves many tasks and must not rebuild the sampler
# for each; entries are immutable once built.
_CONTEXTS: dict[str, Any] = {}
_RECIPE: list = []  # the recipe handed to pool workers by the initializer


def context_for(recipe) -> Any:
    """The context of ``recipe`` in this process, built on first use."""
    ctx = _CONTEXTS.get(recipe.key)
    if ctx is None:
        # a worker that outlives a build (a Ray worker serves the next one) keeps one build's context,
        # not every one it has served (~40 MB each)
        _CONTEXTS.clear()
        ctx = _CONTEXTS[recipe.key] = recipe.build()
    return ctx


def held_contexts() -> list[str]:
    """The keys of the contexts this process holds (a finished build holds none)."""
    return list(_CONTEXTS)


@contextlib.contextmanager
def provide_context(recipe, context) -> Iterator[None]:
    """Make ``context`` the context of ``recipe`` in this process (and forked workers) while inside.

    For a driver that has built the context already; on exit it is dropped, so that a process
    making several builds keeps no finished one's sampler and tables (~40 MB each).
    """
    _CONTEXTS[recipe.key] = context
    try:
        yield
    finally:
        _CONTEXTS.pop(recipe.key, None)


def _pool_init(recipe) -> None:
    _RECIPE[:] = [recipe]
    _exit_with_parent()


def _exit_with_parent(poll: float = 0.5) -> None:
    """End this pool worker soon after the process that started it is gone.

    A driver killed with SIGKILL cannot shut its pool down, and the workers would wait on the
    task queue forever (each holding its share of the driver's memory).  A worker killed in the
    middle of a build's part leaves at most a temporary file, which the resumed build removes.
    """
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(poll)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="gas-exit-with-parent", daemon=True).start()


def _pool_call(fn: Callable, task: Any) -> Any:
    return fn(context_for(_RECIPE[0]), task)


def process_map(fn: Callable, recipe, tasks: Iterable, *, workers: int, ordered: bool) -> Iterator:
    """Results of ``fn(context, task)`` for each task, computed by ``workers`` processes.

    In task order if ``ordered``, else as they finish.  ``fn`` and the tasks are pickled to the
    workers (``fn`` by reference: a module-level function or a partial of one); closing the
    iterator early cancels the tasks not yet started and waits for the running ones.
    """
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    if method == "fork":
        context_for(recipe)  # build once here; children inherit it
    pool = cf.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method),
                                  initializer=_pool_init, initargs=(recipe,))
    try:
        yield from windowed(lambda t: pool.submit(_pool_call, fn, t), tasks, 2 * workers, ordered,
                            _cf_wait, lambda f: f.result())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class Started:
    """Tasks running in a process of their own (:func:`started`): :meth:`done` says whether they are all done,
    :meth:`results` waits for their results (in task order; the first error raised here)."""

    def __init__(self, process, conn, n: int):
        self._process, self._conn, self._n = process, conn, n
        self._results: list | None = None if n else []
        #: the process's id (``None`` without tasks)
        self.pid = None if process is None else process.pid

    def done(self) -> bool:
        return self._results is not None or self._conn.poll()

    def results(self) -> list:
        if self._results is None:
            try:
                kind, value = self._conn.recv()
            except EOFError:
                raise RuntimeError("the process of started tasks ended without their results") from None
            self._process.join()
            if kind == "error":
                raise RuntimeError(f"a started task failed:\n{value}")
            self._results = value
        return self._results


def _run_started(fn: Callable, recipe, tasks: list, conn) -> None:
    import traceback

    try:
        out = ("results", [fn(context_for(recipe), t) for t in tasks])
    except BaseException:
        out = ("error", traceback.format_exc())
    conn.send(out)  # (small results: the pipe's buffer holds them, so the process ends at once, its memory freed)
    conn.close()


@contextlib.contextmanager
def started(fn: Callable, recipe, tasks: Iterable) -> Iterator[Started]:
    """Start ``fn(context, task)`` for every task now, one after the other in a process of their own (forked on
    Linux: it sees the context as it is at this point), which ends as soon as they are done; the caller goes on
    (with other work, or a :func:`process_map`) and reads their results from the :class:`Started` handle.  Leaving
    the block waits for the process, or where the block raised, ends it.

    >>> import operator
    >>> class Recipe:
    ...     key = "demo-started"
    ...     def build(self): return 10
    >>> with started(operator.mul, Recipe(), [1, 2]) as running:
    ...     running.results()
    [10, 20]
    """
    tasks = list(tasks)
    if not tasks:
        yield Started(None, None, 0)
        return
    ctx = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    if ctx.get_start_method() == "fork":
        context_for(recipe)
    mine, theirs = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_run_started, args=(fn, recipe, tasks, theirs), daemon=True)
    process.start()
    theirs.close()
    handle = Started(process, mine, len(tasks))
    try:
        yield handle
    except BaseException:
        process.terminate()
        raise
    finally:
        process.join()
        mine.close()


def _cf_wait(pending: list) -> Any:
    done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
    return next(f for f in pending if f in done)


def windowed(submit: Callable, tasks: Iterable, window: int, ordered: bool, wait_any: Callable,
             result: Callable) -> Iterator:
    """Keep ``window`` tasks in flight; yield results in order, or as they complete."""
    it = iter(tasks)
    pending: collections.deque = collections.deque()
    exhausted = False
    while True:
        while not exhausted and len(pending) < window:
            try:
                pending.append(submit(next(it)))
            except StopIteration:
                exhausted = True
        if not pending:
            return
        handle = pending[0] if ordered else wait_any(list(pending))
        pending.remove(handle)
        yield result(handle)
