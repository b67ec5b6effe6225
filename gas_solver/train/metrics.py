"""Detection metrics written out: average precision and the area under the ROC curve.

Both take labels (1 = positive, here "generated") and scores (higher = more likely positive).

- **AP** (as scikit-learn defines it): the sum over distinct score thresholds, from high to low, of
  ``(R_k - R_{k-1}) * P_k``, where ``P_k``/``R_k`` are the precision and recall of "score >= threshold k";
  tied scores enter together.
- **AUROC**: the probability that a random positive outscores a random negative, ties counting one half
  (the Mann–Whitney U statistic over ``n_pos * n_neg``).

Examples
--------
>>> average_precision([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1])
0.8333333333333333
>>> auroc([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1])
0.75
"""

from __future__ import annotations

from typing import Sequence

__all__ = ["average_precision", "auroc", "accuracy_at"]


def _check(labels: Sequence[int], scores: Sequence[float]) -> None:
    if len(labels) != len(scores):
        raise ValueError(f"{len(labels)} labels but {len(scores)} scores")


def average_precision(labels: Sequence[int], scores: Sequence[float]) -> float | None:
    """Average precision; None when there is no positive."""
    _check(labels, scores)
    positives = sum(1 for y in labels if y)
    if positives == 0:
        return None
    pairs = sorted(zip(scores, labels), key=lambda p: -p[0])
    ap, tp, seen, prev_recall, i = 0.0, 0, 0, 0.0, 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:  # a threshold takes all its tied scores
            tp += 1 if pairs[j][1] else 0
            j += 1
        seen = j
        recall = tp / positives
        ap += (recall - prev_recall) * (tp / seen)
        prev_recall = recall
        i = j
    return ap


def auroc(labels: Sequence[int], scores: Sequence[float]) -> float | None:
    """Area under the ROC curve; None when one class is absent."""
    _check(labels, scores)
    pos = sorted(s for s, y in zip(scores, labels) if y)
    neg = sorted(s for s, y in zip(scores, labels) if not y)
    if not pos or not neg:
        return None
    # U = sum over positives of (#negatives below + half the tied ones), by two pointers over sorted lists
    u, lo, hi = 0.0, 0, 0
    for s in pos:
        while lo < len(neg) and neg[lo] < s:
            lo += 1
        hi = max(hi, lo)
        while hi < len(neg) and neg[hi] <= s:
            hi += 1
        u += lo + 0.5 * (hi - lo)
    return u / (len(pos) * len(neg))


def accuracy_at(labels: Sequence[int], scores: Sequence[float], threshold: float = 0.5) -> dict:
    """Accuracy of ``score >= threshold`` on the positives and on the negatives separately."""
    _check(labels, scores)
    pos = [s >= threshold for s, y in zip(scores, labels) if y]
    neg = [s < threshold for s, y in zip(scores, labels) if not y]
    return {"positives": sum(pos) / len(pos) if pos else None, "negatives": sum(neg) / len(neg) if neg else None}
