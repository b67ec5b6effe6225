"""What the `[1, 16]` count's one-by-one width-3 cores compute, step by step, and what they share.

Run: python benchmarks/c16_core_steps.py [--start 0] [--count N] [--lru] [--group G] [--memo-mb 256]
[--out c16_core_steps.json]
(writes benchmarks/results/c16_core_steps.json)

The cores that `gas count` counts one by one at `[1, 16]` (outside the kernels that `solve/kernels.py` groups)
whose cheapest elimination has width 3, counted as the count does: complexity alone (``τ = 1``), the planned order
(`cores._CoreScenes.plan`), the memo told each step's users and their order (`modular.Memo.expect`; with ``--lru``
the users only, so that still-needed messages go least recently used first, as before); with ``--group G`` the
cores run ``G`` at a time pass by pass (`cores._CoreScenes.cores_pass_major`: every component's float pass, then
every wrap pass, then each prime's), ``--group 0`` (the default) one core after another.  Recorded:

* CPU seconds of the elimination steps by width (variables of the step: 4 is a ``labels^4`` step whose message
  has three variables, 3 a ``labels^3`` step), and of the whole contractions;
* the ``labels^3`` messages (three variables) the cores need: distinct steps in the plan and their uses, and the
  messages really computed per pass row (float pass, wrap pass, each prime; an exact message is one row), with
  how many of those were computed again after the memo dropped them;
* the ``labels^3`` steps that end a core (a message of two variables from one of three) in the plan: distinct
  and used;
* messages the memo dropped while a planned contraction still needed them;
* per core, how many ``labels^4`` steps it computed (all passes), and the CPU by that number.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--count", type=int, default=10 ** 9)
    ap.add_argument("--lru", action="store_true", help="tell the memo the users of each step, not their order")
    ap.add_argument("--group", type=int, default=0, help="cores run pass by pass G at a time (0: one by one)")
    ap.add_argument("--memo-mb", type=int, default=0, help="the memo's size (default: cores.PLANNED_MEMO_BYTES)")
    ap.add_argument("--out", default="c16_core_steps.json")
    a = ap.parse_args()
    from c16_account import planned_width3_cores
    from gas_solver.solve import cores, modular

    load = os.getloadavg()
    c = 16
    counter, scenes, order, plans, planning = planned_width3_cores(c)
    memo = counter.memo
    chosen = list(range(a.start, min(len(order), a.start + a.count)))
    what = {key: w for w, key in memo._steps.items()}  # step key -> (its factors' keys and places, neighbours)
    three = Counter(k for i in chosen for k in set(plans[i]) if what[k][1] == 3)
    finals = Counter(k for i in chosen for k in set(plans[i])
                     if what[k][1] == 2 and any(len(places) == 3 for _, places in what[k][0]))
    memo.expect(modular.plan_uses([plans[i] for i in chosen]), order=None if a.lru else [plans[i] for i in chosen])
    memo.max_bytes = (a.memo_mb << 20) if a.memo_mb else max(memo.max_bytes, cores.PLANNED_MEMO_BYTES)

    by_width: dict = defaultdict(float)
    now: dict = {}
    labels4 = [0]
    real_sum_product = modular._sum_product

    def sum_product(v, gathered, nbrs, rows):
        t0 = time.process_time()
        out = real_sum_product(v, gathered, nbrs, rows)
        by_width[len(nbrs) + 1] += time.process_time() - t0
        if len(nbrs) == 3:
            now["labels4"] = now.get("labels4", 0) + 1
            labels4[0] += 1
        return out

    computed: Counter = Counter()
    dropped = Counter()
    real_put = modular.Memo.put

    def put(self, key, primes, message):
        if message[0].ndim == 5:  # (rows, series, three variables)
            computed[(key, None if message[2] else primes[0])] += 1
        before = set(self._rows)
        real_put(self, key, primes, message)
        for k, _ in before - set(self._rows):
            dropped["needed" if k in self._uses else "not needed"] += 1

    contract_s = [0.0]
    real_contract = modular._contract_passes

    def contract(*args, **kwargs):  # (a contraction's passes, each timed while it runs)
        passes = real_contract(*args, **kwargs)
        while True:
            t0 = time.process_time()
            try:
                rank = next(passes)
            except StopIteration as done:
                contract_s[0] += time.process_time() - t0
                return done.value
            contract_s[0] += time.process_time() - t0
            yield rank

    modular._sum_product, modular.Memo.put, modular._contract_passes = sum_product, put, contract
    per_core = []
    t = time.process_time()
    d_of = lambda g: c - g.n - len(g.edges)  # noqa: E731
    try:
        if a.group:
            for _ in scenes.cores_pass_major([order[i] for i in chosen], d_of, True, memo,
                                             [plans[i] for i in chosen], group=a.group):
                pass
        else:
            for i in chosen:
                g = order[i]
                now.clear()
                t0 = time.process_time()
                scenes.core(g, d_of(g), by_complexity=True)
                memo.release(plans[i])
                per_core.append((now.get("labels4", 0), time.process_time() - t0))
    finally:
        modular._sum_product, modular.Memo.put, modular._contract_passes = real_sum_product, real_put, real_contract
    total = time.process_time() - t
    def name(row):
        return ("exact" if row is None else "float" if row == modular._FLOAT_ROW else
                "wrap" if row == modular._WRAP_ROW else "prime")

    by_labels4: dict = defaultdict(lambda: [0, 0.0])
    for n, s in per_core:
        by_labels4[n][0] += 1
        by_labels4[n][1] += s
    out = {
        "complexity": [1, c], "labels": len(counter.groups),
        "machine": {"cpus": os.cpu_count(), "load_average_at_start": load},
        "group": a.group, "pass_major": bool(a.group),
        "eviction": ("least recently used" if a.lru else "pass by pass: needed again latest (by pass) first" if a.group else
                     "float rows first (those the wrap rows give back first), then needed again latest first"),
        "width3_cores_one_by_one": len(order), "cores_counted": len(chosen), "planning_cpu_s": round(planning, 2),
        "cpu_s": round(total, 1), "contractions_cpu_s": round(contract_s[0], 1),
        "labels4_steps_computed": labels4[0],
        "steps_cpu_s_by_width": {str(w): round(s, 1) for w, s in sorted(by_width.items())},
        "labels3_messages": {"distinct_in_plan": len(three), "uses_in_plan": sum(three.values()),
                             "computed_rows": sum(computed.values()), "distinct_rows": len(computed),
                             "computed_again": sum(n - 1 for n in computed.values()),
                             "computed_again_by_row": {
                                 kind: sum(n - 1 for (_, row), n in computed.items() if name(row) == kind)
                                 for kind in ("exact", "float", "wrap", "prime")}},
        "final_steps": {"distinct_in_plan": len(finals), "uses_in_plan": sum(finals.values())},
        "memo_rows_dropped": dict(dropped), "memo_max_bytes": memo.max_bytes,
        "cores_by_labels4_steps": {str(n): {"cores": k, "cpu_s": round(s, 1)}
                                   for n, (k, s) in sorted(by_labels4.items())},
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10,
    }
    out["machine"]["load_average_at_end"] = os.getloadavg()
    res = ROOT / "benchmarks" / "results" / a.out
    res.write_text(json.dumps(out, indent=1))
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
