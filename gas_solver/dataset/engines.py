"""Where the work of a build runs: in-process, a local process pool, or Ray tasks.

Every engine runs the same pure work function ``fn(context, task) -> result``.
The *context* (taxonomy, parsed constraints, sampler, splitter) is costly to
build, so it is built once per worker process from a picklable *recipe* (an
object with ``.key`` and ``.build()``) and cached there.  Results do not
depend on which process ran a task, so the output is the same for any engine
and any number of workers.  At most ``2 × workers`` tasks are in flight, so
memory stays bounded however many tasks a build has.

Examples
--------
>>> class Recipe:
...     key = "demo"
...     def build(self): return 10
>>> def times(ctx, x): return ctx * x
>>> list(LocalEngine(1).map(times, Recipe(), [1, 2, 3], ordered=True))
[10, 20, 30]
"""

from __future__ import annotations

import collections
import concurrent.futures as cf
import multiprocessing
import os
import sys
import threading
import time
from typing import Any, Callable, Iterable, Iterator

from ..errors import GasError

__all__ = ["LocalEngine", "RayEngine", "make_engine", "context_for"]

# Per-process cache of built contexts, keyed by recipe key.  Module state on
# purpose: a worker process serves many tasks of one build and must not rebuild
# the sampler for each; entries are immutable once built.
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


def _pool_init(recipe) -> None:
    _RECIPE[:] = [recipe]
    _exit_with_parent()


def _exit_with_parent(poll: float = 0.5) -> None:
    """End this pool worker soon after the process that started it is gone.

    A driver killed with SIGKILL cannot shut its pool down, and the workers would wait on the
    task queue forever (each holding its share of a build's memory).  A worker that is killed
    in the middle of a part leaves at most a temporary file, which the resumed build removes.
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


class LocalEngine:
    """Runs tasks in this process (``workers=1``) or in a pool of worker processes.

    On Linux the pool forks, so workers inherit an already-built context;
    elsewhere they spawn and build it once each.
    """

    name = "local"

    def __init__(self, workers: int = 1):
        if workers < 1:
            raise GasError(f"--workers must be at least 1, got {workers}")
        self.workers = workers

    def map(self, fn: Callable, recipe, tasks: Iterable, *, ordered: bool) -> Iterator:
        """Results of ``fn(context, task)`` for each task: in task order if ``ordered``, else as they finish."""
        if self.workers == 1:
            ctx = context_for(recipe)
            for task in tasks:
                yield fn(ctx, task)
            return
        method = "fork" if sys.platform.startswith("linux") else "spawn"
        if method == "fork":
            context_for(recipe)  # build once here; children inherit it
        pool = cf.ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context(method),
                                      initializer=_pool_init, initargs=(recipe,))
        try:
            yield from _windowed(lambda t: pool.submit(_pool_call, fn, t), tasks, 2 * self.workers, ordered,
                                 _cf_wait, lambda f: f.result())
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _cf_wait(pending: list) -> Any:
    done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
    return next(f for f in pending if f in done)


def _windowed(submit: Callable, tasks: Iterable, window: int, ordered: bool, wait_any: Callable,
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


def _ray_call(fn: Callable, recipe, task: Any) -> Any:
    return fn(context_for(recipe), task)


class RayEngine:
    """Runs tasks as Ray tasks, on a running cluster (``address``) or a local Ray instance.

    If Ray is already initialised in this process (``ray.init(...)`` by the
    caller), that instance is used and left running; otherwise this engine
    connects with ``ray.init(address=address)`` (a local instance with
    ``workers`` CPUs when no address is given) and shuts it down afterwards.
    ``workers`` bounds the tasks in flight (2 × workers).
    """

    name = "ray"

    def __init__(self, workers: int = 1, address: str | None = None):
        try:
            import ray  # noqa: F401
        except ImportError:
            raise GasError("the Ray engine needs Ray: pip install 'gas-solver[ray]'") from None
        self.workers = workers
        self.address = address

    def map(self, fn: Callable, recipe, tasks: Iterable, *, ordered: bool) -> Iterator:
        import ray

        started = False
        if not ray.is_initialized():
            kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
            if self.address:
                kwargs["address"] = self.address
            else:
                kwargs["num_cpus"] = self.workers
            ray.init(**kwargs)
            started = True
        try:
            remote = ray.remote(num_cpus=1)(_ray_call)
            recipe_ref = ray.put(recipe)

            def wait_any(pending):
                done, _ = ray.wait(pending, num_returns=1)
                return done[0]

            yield from _windowed(lambda t: remote.remote(fn, recipe_ref, t), tasks, 2 * self.workers, ordered,
                                 wait_any, ray.get)
        finally:
            if started:
                ray.shutdown()


def make_engine(engine: str, workers: int, address: str | None = None):
    """``LocalEngine(workers)`` for ``"local"``, ``RayEngine(workers, address)`` for ``"ray"``."""
    if engine == "local":
        if address:
            raise GasError("--ray-address needs --engine ray")
        return LocalEngine(workers)
    if engine == "ray":
        return RayEngine(workers, address)
    raise GasError(f"unknown engine {engine!r}; expected local or ray")
