"""Dataset splits: random splits by scene id, and held-out compositional splits.

Random split (``--split train=0.9,test=0.1``)
    Each row goes to a split by a 64-bit hash of (seed, canonical id) mapped to
    the cumulative ratios.  Equal scenes (drawn twice when sampling with
    replacement) therefore always land in the same split: no scene is both a
    training and a test item.  The ratios are met in expectation.

Held-out compositional split (``--holdout KIND``)
    A *combination* is a pair that a scene can contain:

    * ``relation-pairs``: (subject category, predicate, object category) of a
      relation, written ``mammal -[riding]-> vehicle``;
    * ``attribute-pairs``: (category, attribute type, value) of an object's
      attribute, written ``fruit{state=ripe}``;
    * ``pattern:P1;P2``: user patterns in the constraint-file pattern language
      (``a:animal -[riding]-> b:vehicle``); a scene contains one if it has a match.

    For the pair kinds a combination is *held out* iff its 64-bit hash (salted
    with the seed) is below a threshold ``t``.  A scene containing at least one
    held-out combination goes to the ``test`` split; every other scene goes to
    the remaining splits (by the random rule above).  So no held-out
    combination ever occurs outside ``test``, and every test scene contains at
    least one combination that occurs nowhere else.  For patterns, the scenes
    matching any pattern form ``test``.

    *How the ratio is approximated.* The share of test scenes is not a free
    parameter of a combination-level split: it is the share of scenes that
    contain a held-out combination.  The threshold is calibrated on a pilot —
    the first scenes of the build itself (up to :data:`PILOT_SIZE`): for each
    pilot scene take the smallest hash among its combinations, and set ``t`` to
    the ``ratio``-quantile of these minima, so that exactly ``round(ratio *
    pilot)`` pilot scenes go to test.  On the full build the share is close to
    the ratio but not exact (the manifest and the card report the achieved
    share).  Scenes without any combination (no relations, or no attributes)
    can never be test scenes, so the achievable share is capped by the share of
    scenes that have combinations at all; the card says when the cap applied.
    Pattern hold-outs take whatever share of scenes matches.

Examples
--------
>>> parse_split("train=0.9,test=0.1")
{'train': 0.9, 'test': 0.1}
>>> parse_holdout("relation-pairs")
Holdout(kind='relation-pairs', patterns=())
>>> d = {"objects": [{"category": "mammal", "attributes": []}, {"category": "vehicle", "attributes": []}],
...      "relations": [{"subject": 0, "predicate": "riding", "object": 1}]}
>>> sorted(combos_of(d, "relation-pairs"))
['mammal -[riding]-> vehicle']
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..errors import GasError

__all__ = ["HOLDOUT_KINDS", "PILOT_SIZE", "SplitError", "Holdout", "parse_split", "parse_holdout", "combos_of",
           "combo_hash", "id_unit", "calibrate_threshold", "Splitter"]

HOLDOUT_KINDS = ("relation-pairs", "attribute-pairs", "pattern")
#: number of scenes the hold-out threshold is calibrated on
PILOT_SIZE = 20_000
_SPLIT_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_TWO64 = 1 << 64


class SplitError(GasError):
    """A ``--split`` or ``--holdout`` value is malformed."""


@dataclass(frozen=True)
class Holdout:
    """What a held-out split holds out: a kind from :data:`HOLDOUT_KINDS`, and the patterns for ``pattern``."""

    kind: str
    patterns: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.kind == "pattern":
            return "pattern:" + ";".join(self.patterns)
        return self.kind


def parse_split(text: str) -> dict[str, float]:
    """Parse ``"train=0.9,test=0.1"`` into ``{split: ratio}`` (order kept; ratios > 0, summing to 1).

    >>> parse_split("train=8,validation=1,test=1")
    {'train': 0.8, 'validation': 0.1, 'test': 0.1}

    Ratios that do not sum to 1 are read as weights only when every one is > 1
    (``8,1,1``); otherwise they must sum to 1 within 1e-6.
    """
    out: dict[str, float] = {}
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        name, eq, value = item.partition("=")
        name = name.strip()
        if not eq or not _SPLIT_NAME.match(name):
            raise SplitError(f"--split: bad entry {item!r}; expected name=ratio, e.g. train=0.9,test=0.1")
        if name in out:
            raise SplitError(f"--split: split {name!r} named twice")
        try:
            ratio = float(value)
        except ValueError:
            raise SplitError(f"--split: ratio of {name!r} is not a number: {value!r}") from None
        if not ratio > 0:
            raise SplitError(f"--split: ratio of {name!r} must be > 0, got {value}")
        out[name] = ratio
    if not out:
        raise SplitError("--split: no splits given; expected e.g. train=0.9,test=0.1")
    total = sum(out.values())
    if abs(total - 1) > 1e-6:
        if len(out) > 1 and all(r >= 1 for r in out.values()):
            return {k: v / total for k, v in out.items()}
        raise SplitError(f"--split: ratios sum to {total:g}, not 1")
    return out


def parse_holdout(text: str) -> Holdout:
    """Parse ``relation-pairs``, ``attribute-pairs`` or ``pattern:P1;P2``.

    >>> parse_holdout("pattern:a:animal -[riding]-> b:vehicle").patterns
    ('a:animal -[riding]-> b:vehicle',)
    """
    text = text.strip()
    if text in ("relation-pairs", "attribute-pairs"):
        return Holdout(text)
    if text.startswith("pattern:"):
        patterns = tuple(p.strip() for p in text[len("pattern:"):].split(";") if p.strip())
        if not patterns:
            raise SplitError("--holdout pattern: needs at least one pattern, e.g. pattern:'a:animal -[riding]-> b:vehicle'")
        return Holdout("pattern", patterns)
    raise SplitError(f"--holdout: unknown value {text!r}; expected relation-pairs, attribute-pairs or pattern:<pattern>")


def combos_of(scene: dict, kind: str) -> set[str]:
    """The combinations of ``kind`` a scene dict (:func:`~gas_solver.scene.scene_to_dict` with a taxonomy) contains."""
    objs = scene["objects"]
    if kind == "relation-pairs":
        return {f"{objs[r['subject']]['category']} -[{r['predicate']}]-> {objs[r['object']]['category']}"
                for r in scene["relations"]}
    if kind == "attribute-pairs":
        return {f"{o['category']}{{{a['type']}={a['value']}}}" for o in objs for a in o["attributes"]}
    raise ValueError(f"combinations of kind {kind!r} are not hashed")


def combo_hash(seed: int, combo: str) -> int:
    """64-bit hash of a combination, salted with the build seed (another seed holds out other combinations)."""
    return int.from_bytes(hashlib.blake2b(f"{seed}\x00{combo}".encode(), digest_size=8).digest(), "big")


def id_unit(seed: int, scene_id: str) -> float:
    """A number in [0, 1) fixed by (seed, scene id): the random-split coordinate of a scene."""
    return _unit_after(_id_prefix(seed), scene_id)


def _id_prefix(seed: int):
    """The hash state of :func:`id_unit` after its seed part (a splitter copies it instead of rehashing)."""
    return hashlib.blake2b(f"{seed}\x01".encode(), digest_size=8)


def _unit_after(prefix, scene_id: str) -> float:
    h = prefix.copy()
    h.update(scene_id.encode())
    return int.from_bytes(h.digest(), "big") / _TWO64


def calibrate_threshold(scenes: Iterable[dict], kind: str, seed: int, ratio: float) -> dict:
    """Hold-out threshold so that a share ``ratio`` of the pilot ``scenes`` contains a held-out combination.

    Returns ``{"threshold": t, "pilot": n, "pilot_test": k, "with_combinations": m, "capped": bool}``:
    combinations with ``combo_hash < t`` are held out; ``k`` of the ``n`` pilot
    scenes go to test; ``m`` pilot scenes have any combination at all (the cap).

    >>> pilot = [{"objects": [{"category": c, "attributes": [{"type": "colour", "value": "red"}]}],
    ...           "relations": []} for c in "abcd"]
    >>> calibrate_threshold(pilot, "attribute-pairs", 0, 0.5)["pilot_test"]
    2
    """
    minima = []
    n = 0
    for d in scenes:
        n += 1
        hashes = [combo_hash(seed, c) for c in combos_of(d, kind)]
        if hashes:
            minima.append(min(hashes))
    minima.sort()
    want = round(ratio * n)
    capped = want > len(minima)
    k = min(want, len(minima))
    if k == 0:
        threshold = 0
    elif k == len(minima):
        threshold = _TWO64  # every combination held out
    else:
        # Scenes sharing their smallest combination tie; put the threshold on
        # whichever side of the tied block gives the count nearer to ``want``.
        below = bisect.bisect_left(minima, minima[k])
        through = bisect.bisect_right(minima, minima[k])
        threshold = minima[k] if want - below <= through - want else minima[k] + 1
    return {"threshold": threshold, "pilot": n, "pilot_test": sum(m < threshold for m in minima),
            "with_combinations": len(minima), "capped": capped}


@dataclass
class Splitter:
    """Assigns rows to splits; a pure function of (seed, scene) once built.

    ``threshold`` is from :func:`calibrate_threshold` (pair hold-outs);
    ``patterns`` are parsed :class:`~gas_solver.constraints.model.Pattern` objects
    (pattern hold-outs) and ``match`` is ``pattern_matches``.

    >>> sp = Splitter({"train": 1.0}, seed=0)
    >>> sp.assign({"id": "sg-0"})
    'train'
    """

    ratios: dict[str, float]
    seed: int
    holdout: Holdout | None = None
    threshold: int = 0
    patterns: tuple = ()
    taxonomy: Any = None
    match: Any = None
    _cache: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.holdout is not None and "test" not in self.ratios:
            raise SplitError("--holdout needs a split named 'test' in --split (the held-out split)")
        if self.holdout is not None and len(self.ratios) < 2:
            raise SplitError("--holdout needs a split besides 'test', e.g. --split train=0.9,test=0.1")
        rest = {k: v for k, v in self.ratios.items() if not (self.holdout and k == "test")}
        total = sum(rest.values())
        self._bounds: list[tuple[float, str]] = []
        acc = 0.0
        for name, r in rest.items():
            acc += r / total
            self._bounds.append((acc, name))
        self._id_prefix = _id_prefix(self.seed)
        # one split to choose from (the default train=1, or a hold-out's one other split): every id
        # lands in it (u < 1.0 = its bound), so no hash is needed
        self._only = self._bounds[0][1] if len(self._bounds) == 1 else None

    def _random(self, scene_id: str) -> str:
        if self._only is not None:
            return self._only
        u = _unit_after(self._id_prefix, scene_id)  # = id_unit(self.seed, scene_id)
        for bound, name in self._bounds:
            if u < bound:
                return name
        return self._bounds[-1][1]

    def is_held_out(self, combo: str) -> bool:
        hit = self._cache.get(combo)
        if hit is None:
            hit = self._cache[combo] = combo_hash(self.seed, combo) < self.threshold
        return hit

    def held_out(self, d: dict, scene=None) -> bool:
        """True if the scene (dict; ``scene`` the :class:`Scene` for patterns) contains a held-out combination."""
        if self.holdout is None:
            return False
        if self.holdout.kind == "pattern":
            return any(self.match(scene, p, self.taxonomy) > 0 for p in self.patterns)
        return any(self.is_held_out(c) for c in combos_of(d, self.holdout.kind))

    def assign(self, d: dict, scene=None) -> str:
        """Split name of the row of scene dict ``d`` (must carry ``"id"``)."""
        if self.held_out(d, scene):
            return "test"
        return self._random(d["id"])

    def assign_with_combos(self, d: dict, scene=None) -> tuple[str, set[str] | None]:
        """``(assign(d, scene), combos)``: also the scene's combinations for a pair hold-out (else None).

        A build counts the combinations of each row (:class:`~.stats.Stats`); this
        hands them over instead of computing them twice.

        >>> Splitter({"train": 1.0}, seed=0).assign_with_combos({"id": "sg-0"})
        ('train', None)
        """
        if self.holdout is None:
            return self._random(d["id"]), None
        if self.holdout.kind == "pattern":
            return self.assign(d, scene), None
        combos = combos_of(d, self.holdout.kind)
        if any(self.is_held_out(c) for c in combos):
            return "test", combos
        return self._random(d["id"]), combos
