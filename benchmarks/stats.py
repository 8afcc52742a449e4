"""Small robust statistics for noisy timings: median, nearest-rank percentile, ratios."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def median(values: Sequence[float]) -> float | None:
    """The median, or None for no values."""
    return statistics.median(values) if values else None


def percentile(values: Sequence[float], pct: float) -> float | None:
    """The nearest-rank percentile (p95 of 50 values is the 48th smallest), or None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator, or None when either is missing or the denominator is not positive."""
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return numerator / denominator


def paired_ratio(numerators: Sequence[float], denominators: Sequence[float]) -> float | None:
    """The median of per-round ratios (round i against round i), which cancels drift between rounds."""
    ratios = [a / b for a, b in zip(numerators, denominators, strict=False) if b > 0]
    return median(ratios)


def summary(values: Sequence[float]) -> dict[str, float | int | None]:
    """Count, median, p95, min and max of a sample."""
    return {
        "n": len(values),
        "median": median(values),
        "p95": percentile(values, 95),
        "min": min(values) if values else None,
        "max": max(values) if values else None,
    }
