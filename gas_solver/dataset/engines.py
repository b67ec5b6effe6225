"""Where the work of a build runs: in-process, a local process pool, or Ray tasks.

Every engine runs the same pure work function ``fn(context, task) -> result``.
The *context* (taxonomy, parsed constraints, sampler, splitter) is costly to
build, so it is built once per worker process from a picklable *recipe* (an
object with ``.key`` and ``.build()``) and cached there.  The local engine is
the project's one process pool (:mod:`gas_solver.pool`).  Results do not
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

from typing import Any, Callable, Iterable, Iterator

from ..errors import GasError
from ..pool import context_for, process_map, provide_context, windowed

__all__ = ["LocalEngine", "RayEngine", "make_engine", "context_for", "provide_context"]


class LocalEngine:
    """Runs tasks in this process (``workers=1``) or in a pool of worker processes.

    On Linux the pool forks, so workers inherit an already-built context;
    elsewhere they spawn and build it once each (:func:`gas_solver.pool.process_map`).
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
        yield from process_map(fn, recipe, tasks, workers=self.workers, ordered=ordered)


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

            yield from windowed(lambda t: remote.remote(fn, recipe_ref, t), tasks, 2 * self.workers, ordered,
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
