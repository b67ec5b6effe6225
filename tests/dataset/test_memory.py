"""Memory of `gas build`: flat in the number of rows, and nothing kept once a build returns.

Measured with tracemalloc (Python allocations), so the numbers do not depend on the
allocator or on what else runs on the machine.  The benchmark (benchmarks/bench_build.py)
shows the same at 10^6 rows with the process's RSS.
"""

from __future__ import annotations

import gc
import tracemalloc

from gas_solver import pool

from .helpers import toy_build


def _measure(out, n):
    """(peak, retained) bytes allocated by a build of ``n`` rows, above what was allocated before it."""
    gc.collect()
    tracemalloc.reset_peak()
    start, _ = tracemalloc.get_traced_memory()
    toy_build(out, n, shard_size=250)
    gc.collect()
    end, peak = tracemalloc.get_traced_memory()
    return peak - start, end - start


def test_build_memory_is_flat_in_rows_and_released(tmp_path):
    toy_build(tmp_path / "warm", 500, shard_size=250)  # per-taxonomy tables and caches, built once per process
    tracemalloc.start()
    try:
        small_peak, small_kept = _measure(tmp_path / "small", 1_500)
        large_peak, large_kept = _measure(tmp_path / "large", 6_000)
    finally:
        tracemalloc.stop()
    # 4x the rows: the peak (one part in flight, streamed to disk) stays put; ~7 MB here. A row kept
    # until the end of the build (>= ~250 bytes each) would add > 1 MB.
    assert large_peak < small_peak + 1_000_000, (small_peak, large_peak)
    # a finished build leaves nothing behind (its sampler and tables were kept by the worker cache: ~2 MB
    # per build of this toy space, ~40 MB of the default one)
    assert small_kept < 1_000_000 and large_kept < 1_000_000, (small_kept, large_kept)
    assert not pool.held_contexts()
