"""AP and AUROC written out, against their definitions (brute force) and scipy's Mann-Whitney U."""

from __future__ import annotations

import random

import pytest

from gas_solver.train.metrics import accuracy_at, auroc, average_precision


def _ap_brute(labels, scores):
    """sum over distinct thresholds t (high to low) of (R(t) - R(previous t)) * P(t), "score >= t" predicted positive."""
    pos = sum(labels)
    total, prev = 0.0, 0.0
    for t in sorted(set(scores), reverse=True):
        chosen = [y for y, s in zip(labels, scores) if s >= t]
        recall = sum(chosen) / pos
        total += (recall - prev) * sum(chosen) / len(chosen)
        prev = recall
    return total


def _auroc_brute(labels, scores):
    pos = [s for y, s in zip(labels, scores) if y]
    neg = [s for y, s in zip(labels, scores) if not y]
    return sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg) / (len(pos) * len(neg))


def test_against_brute_force_and_scipy():
    stats = pytest.importorskip("scipy.stats")
    rng = random.Random(0)
    for _ in range(200):
        n = rng.randint(2, 30)
        labels = [rng.randint(0, 1) for _ in range(n)]
        if len(set(labels)) < 2:
            labels[0], labels[1] = 0, 1
        scores = [rng.choice([0.1, 0.2, 0.5, 0.7]) if rng.random() < 0.5 else rng.random() for _ in range(n)]
        assert average_precision(labels, scores) == pytest.approx(_ap_brute(labels, scores))
        assert auroc(labels, scores) == pytest.approx(_auroc_brute(labels, scores))
        u = stats.mannwhitneyu([s for s, y in zip(scores, labels) if y], [s for s, y in zip(scores, labels) if not y]).statistic
        assert auroc(labels, scores) == pytest.approx(u / (sum(labels) * (n - sum(labels))))


def test_edge_cases():
    assert average_precision([0, 0], [0.1, 0.2]) is None and auroc([1, 1], [0.1, 0.2]) is None
    assert average_precision([1, 0], [0.9, 0.1]) == 1.0 and auroc([1, 0], [0.9, 0.1]) == 1.0
    assert auroc([1, 0], [0.5, 0.5]) == 0.5 and average_precision([1, 0], [0.5, 0.5]) == 0.5
    assert accuracy_at([1, 1, 0, 0], [0.9, 0.2, 0.1, 0.7]) == {"positives": 0.5, "negatives": 0.5}
    with pytest.raises(ValueError):
        auroc([1], [0.1, 0.2])
