"""The `[1, 16]` count's one-by-one width-3 cores: the passes each contraction takes (how many primes, the float
pass's spread) and the wrap pass's digit products timed two ways on the same operands.

Run: python benchmarks/c16_wrap_products.py [--start 0] [--count N] [--group 200] [--out c16_wrap_products.json]
(writes benchmarks/results/F)

The cores are counted as `gas count` counts them in one process (`cores._CoreScenes.cores_pass_major`, groups of
``--group`` cores pass by pass, the planned memo).  Recorded:

* CPU seconds by pass kind (float, wrap, primes; each pass of `modular._contract_passes` timed between its yields) and
  by the series length ``d``;
* the passes each contraction took: float + wrap + how many primes, or primes alone;
* the float pass's spread (the bits that 2^64 and the primes must fix) by contraction;
* every `modular._matmul_wrap` call run twice, paired (the two ways take turns going first): with the digits of the earlier plan (each side's digits priced
  alike, unsigned digits only) and as the tree runs it (`_digit_weights`, `_matmul_halves`); the same uint64 results
  are checked, and the CPU of each way summed by the operands' shapes and widths.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--count", type=int, default=10 ** 9)
    ap.add_argument("--group", type=int, default=200, help="cores run pass by pass G at a time (as the count does)")
    ap.add_argument("--out", default="c16_wrap_products.json")
    a = ap.parse_args()
    from c16_account import planned_width3_cores
    from gas_solver.solve import cores, modular

    load = os.getloadavg()
    c = 16
    counter, scenes, order, plans, _ = planned_width3_cores(c)
    memo = counter.memo
    d_of = lambda g: c - g.n - len(g.edges)  # noqa: E731
    chosen = list(range(a.start, min(len(order), a.start + a.count)))
    memo.expect(modular.plan_uses([plans[i] for i in chosen]), order=[plans[i] for i in chosen])
    memo.max_bytes = max(memo.max_bytes, cores.PLANNED_MEMO_BYTES)

    kind_s: dict = defaultdict(float)
    by_d: dict = defaultdict(lambda: defaultdict(float))
    passes: Counter = Counter()
    pass_sets: Counter = Counter()
    spreads: Counter = Counter()
    last: dict = {}
    real_contract, real_float, real_wrap = modular._contract_passes, modular._float_pass, modular._matmul_wrap
    real_weights, real_halves = modular._digit_weights, modular._matmul_halves

    def float_pass(*args, **kwargs):
        out = real_float(*args, **kwargs)
        last["spread"] = None if out is None else out[1]
        return out

    def contract(factors, lead, b, degree=None, keep=None, memo=None, dense=False):
        gen = real_contract(factors, lead, b, degree, keep, memo, dense)
        d = degree or 0
        kind, kinds, primes = "set-up", [], 0
        t0 = time.process_time()
        while True:
            try:
                rank = next(gen)
            except StopIteration as done:
                dt = time.process_time() - t0
                kind_s[kind] += dt
                by_d[d][kind] += dt
                pass_sets["+".join(kinds + [f"{primes} prime passes"])] += 1
                return done.value
            dt = time.process_time() - t0
            kind_s[kind] += dt
            by_d[d][kind] += dt
            kind = "float" if rank == 0 else "wrap" if rank == 1 else "primes"
            passes[kind] += 1
            if rank >= 2:
                primes += 1
            else:
                kinds.append(kind)
            if rank == 0:
                last["spread"] = None
            if rank == 1 and last.get("spread") is not None:
                spreads[last["spread"]] += 1
            yield rank
            t0 = time.process_time()

    paired: dict = defaultdict(lambda: {"calls": 0, "before_cpu_s": 0.0, "now_cpu_s": 0.0})

    def before_plan(*args):
        modular._digit_weights = lambda x, y: (1.0, 1.0)
        modular._matmul_halves = lambda *rest: None
        try:
            return real_wrap(*args)
        finally:
            modular._digit_weights, modular._matmul_halves = real_weights, real_halves

    turn = [0]

    def matmul_wrap(left, ltop, right, rtop, inner):
        # (the two ways take turns going first: the second one runs while the first one's result is held, and its
        # fresh pages cost it up to ~30 % on the largest products)
        turn[0] ^= 1
        first, second = (before_plan, real_wrap) if turn[0] else (real_wrap, before_plan)
        t0 = time.process_time()
        one = first(left, ltop, right, rtop, inner)
        t1 = time.process_time()
        two = second(left, ltop, right, rtop, inner)
        t2 = time.process_time()
        if not np.array_equal(one, two):
            raise AssertionError("the two digit plans differ")
        (before_s, now_s), now = ((t1 - t0, t2 - t1), two) if turn[0] else ((t2 - t1, t1 - t0), one)
        bits = tuple(64 if t is None else max(1, int(t).bit_length()) for t in (ltop, rtop))
        room = math.floor(math.log2(modular._EXACT / inner) - 1e-9)
        key = (f"{tuple(left.shape)} {bits[0]} bits @ {tuple(right.shape)} {bits[1]} bits; digits "
               f"{modular._digit_plan(bits, room)} -> {modular._digit_plan(bits, room, real_weights(left, right))}")
        row = paired[key]
        row["calls"] += 1
        row["before_cpu_s"] += before_s
        row["now_cpu_s"] += now_s
        return now

    modular._contract_passes, modular._float_pass, modular._matmul_wrap = contract, float_pass, matmul_wrap
    t = time.process_time()
    try:
        for _ in scenes.cores_pass_major([order[i] for i in chosen], d_of, True, memo, [plans[i] for i in chosen],
                                         group=a.group):
            pass
    finally:
        modular._contract_passes, modular._float_pass, modular._matmul_wrap = real_contract, real_float, real_wrap
    total = time.process_time() - t
    rows = sorted(paired.items(), key=lambda kv: -kv[1]["before_cpu_s"])
    out = {
        "complexity": [1, c], "labels": len(counter.groups), "cores": len(chosen), "start": a.start, "group": a.group,
        "machine": {"cpus": os.cpu_count(), "load_average_at_start": load},
        "cpu_s (with the wrap products run twice)": round(total, 1),
        "cpu_s_by_pass_kind": {k: round(v, 2) for k, v in kind_s.items()},
        "passes": dict(passes),
        "cpu_s_by_series_length": {str(d): {k: round(v, 2) for k, v in m.items()} for d, m in sorted(by_d.items())},
        "contractions_by_passes": dict(pass_sets.most_common()),
        "float_spread_bits": {str(k): v for k, v in sorted(spreads.items())},
        "wrap_digit_products": {
            "calls": sum(r["calls"] for _, r in rows),
            "before_cpu_s": round(sum(r["before_cpu_s"] for _, r in rows), 2),
            "now_cpu_s": round(sum(r["now_cpu_s"] for _, r in rows), 2),
            "by_operands": {k: {"calls": r["calls"], "before_cpu_s": round(r["before_cpu_s"], 3),
                                "now_cpu_s": round(r["now_cpu_s"], 3)} for k, r in rows},
        },
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10,
    }
    out["machine"]["load_average_at_end"] = os.getloadavg()
    (ROOT / "benchmarks" / "results" / a.out).write_text(json.dumps(out, indent=1))
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
