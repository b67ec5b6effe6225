"""Where the training applications get their captions: a constraint file (sampled exactly) or a dataset.

A :class:`CaptionSource` draws realized rows (scene, caption, questions) by a seed, excluding given scene
ids, so that a fixed held-out set and each round's training captions never share a scene.

Examples
--------
>>> from gas_solver.taxonomy import load_taxonomy
>>> src = CaptionSource.from_constraints("constraints/toy_small_space.toml", load_taxonomy("tests/data/toy.toml"))
>>> held_out = src.draw(3, seed=derive_seed(0, "eval"))
>>> train = src.draw(5, seed=derive_seed(0, "round", 1), exclude={r["id"] for r in held_out})
>>> {r["id"] for r in held_out} & {r["id"] for r in train}
set()
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..errors import GasError

__all__ = ["CaptionSource", "derive_seed"]


def derive_seed(seed: int, *parts) -> int:
    """A 63-bit seed derived from a run seed and labels (SHA-256): independent streams per purpose.

    Examples
    --------
    >>> derive_seed(0, "eval") == derive_seed(0, "eval"), derive_seed(0, "eval") != derive_seed(0, "round", 1)
    (True, True)
    """
    text = "\x00".join(["gas-train", str(seed), *map(str, parts)])
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") >> 1


@dataclass
class CaptionSource:
    """Rows with ``id``, ``caption`` and ``questions``, drawn by seed.

    Build one with :meth:`from_constraints` (exact sampling of a constraint file: uniform, weighted or
    stratified, realized with captions and question sets) or :meth:`from_dataset` (a JSONL file or a
    ``gas build`` folder; rows are drawn without replacement in a seeded order).
    """

    description: str
    sampler: object = None
    taxonomy: object = None
    rows: list = field(default_factory=list)
    path: Path | None = None  # the constraint file, when there is one

    @classmethod
    def from_constraints(cls, path: str | Path | None, taxonomy, *, distribution: str = "uniform",
                         strata: dict | None = None) -> "CaptionSource":
        from ..constraints import load_default_constraints, parse_constraints
        from ..solve.sample import Sampler

        spec = parse_constraints(Path(path), taxonomy) if path is not None else load_default_constraints(taxonomy)
        sampler = Sampler(spec, taxonomy, distribution=distribution, strata=strata)
        name = str(path) if path is not None else "<default constraint file>"
        return cls(description=f"constraints {name} ({distribution})", sampler=sampler, taxonomy=taxonomy,
                   path=Path(path) if path is not None else None)

    @classmethod
    def open(cls, source: str | Path | None, taxonomy=None, *, distribution: str = "uniform",
             strata: dict | None = None) -> "CaptionSource":
        """A dataset (folder, ``.jsonl``, ``.parquet``) or a constraint file (``None``: the embedded default)."""
        if source is not None and (Path(source).is_dir() or Path(source).suffix in (".jsonl", ".parquet")):
            return cls.from_dataset(source)
        if taxonomy is None:
            from ..taxonomy import load_taxonomy

            taxonomy = load_taxonomy(None)
        return cls.from_constraints(source, taxonomy, distribution=distribution, strata=strata)

    @classmethod
    def from_dataset(cls, path: str | Path) -> "CaptionSource":
        from ..vision.rows import read_rows

        rows, seen = [], set()
        for row in read_rows(path):
            if row["id"] not in seen:
                seen.add(row["id"])
                rows.append(row)
        if not rows:
            raise GasError(f"{path}: the dataset has no rows")
        return cls(description=f"dataset {path}", rows=rows)

    def draw(self, n: int, seed: int, exclude: Iterable[str] = ()) -> list[dict]:
        """``n`` rows with distinct scenes, none of whose ids is in ``exclude`` (fewer if the space runs out)."""
        exclude = set(exclude)
        if self.sampler is not None:
            from ..realize import realize_scene

            total = self.sampler.total
            want = n + len(exclude)
            if total is not None:
                want = min(want, total)
            scenes = self.sampler.sample(want, seed, unique=True)
            out = []
            for scene in scenes:
                row = realize_scene(scene, self.taxonomy, seed=seed)
                if row["id"] not in exclude:
                    out.append(row)
                    if len(out) == n:
                        break
            return out
        keyed = sorted(self.rows, key=lambda r: hashlib.sha256(f"{seed}\x00{r['id']}".encode()).digest())
        return [r for r in keyed if r["id"] not in exclude][:n]
