"""Helpers of the dataset tests: small builds on the toy taxonomy, and byte-level folder comparison."""

from __future__ import annotations

import os
from pathlib import Path

HERE = Path(__file__).parent
TOY_TAXONOMY = HERE.parent / "data" / "toy.toml"
TOY_SPACE = HERE / "toy_space.toml"

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def toy_build(out, n=3000, **kw):
    """``build_dataset`` on the toy space with small shards (several parts per build)."""
    from gas_solver.dataset import build_dataset

    kw.setdefault("shard_size", 400)
    return build_dataset(out, n, constraints=TOY_SPACE, taxonomy=TOY_TAXONOMY, **kw)


def folder_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> bytes)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


#: the options of the reference build that several tests share
REFERENCE = dict(seed=3, split="train=0.8,test=0.2", holdout="relation-pairs", formats=("parquet", "jsonl"))


