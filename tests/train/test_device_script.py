"""The device benchmark's GRPO and `gas eval` workloads run at tiny sizes on a CPU (so the script a GPU machine
runs is exercised by the suite); the full sizes need a GPU."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("trl", reason="the gpu extra is not installed (pip install gas-solver[gpu])")

import orjson

pytestmark = [pytest.mark.gpu_side, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


def test_device_script_grpo_and_eval_at_tiny_sizes(tmp_path):
    env = {**os.environ, "OUT": str(tmp_path), "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks/device_vision.py"), "--device", "cpu", "--tiny",
                           "--only", "grpo", "eval"], env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = {r["name"]: r for r in orjson.loads((tmp_path / "device_vision_tiny.json").read_bytes())["results"]}
    assert "error" not in results["grpo"] and "error" not in results["eval"], results
    grpo, ev = results["grpo"], results["eval"]
    assert len(grpo["step_time_s"]) == 2 and 0 < grpo["reward_share"] < 1 and len(grpo["reward_mean_by_step"]) == 2
    assert ev["work"] == 4 and ev["headline"][0] == "dsg" and 0 <= ev["headline"][1] <= 1 and ev["judge_questions"] > 0
