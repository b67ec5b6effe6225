#!/usr/bin/env bash
# benchmarks/device_vision.py on a GPU machine whose python3 has torch + CUDA (the lent H100/H200 image):
# the wheels carried in .whl (diffusers, transformers, orjson, regex) go to /tmp/site first. Args pass through.
set -euo pipefail
cd "$(dirname "$0")/.."
if compgen -G ".whl/*.whl" >/dev/null; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl
  export PYTHONPATH="/tmp/site:$PWD"
fi
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
out="${OUT:-benchmarks/results}"
mkdir -p "$out"
PYTHONUNBUFFERED=1 python3 benchmarks/device_vision.py "$@" 2>&1 | tee "$out/device_vision.log"
