"""Summaries of ordinal ratings that respect the scale: no mean where the scale forbids one.

ten Cate, Schwartz & Chen (2020): entrustment-supervision levels are not interval data. For a
scale with ``allow_mean=False`` we report the latest level, the mode and the share at or above
each level, with counts; :func:`mean_of` refuses to average such a scale.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from mlkit.analysis.models import OrdinalSummary, PointCount
from mlkit.assessments.models import Scale
from mlkit.errors import MlkitError


class MeanNotAllowedError(MlkitError, TypeError):
    """Someone tried to average a scale whose points are not equally spaced quantities."""

    def __init__(self, scale: str) -> None:
        self.scale = scale
        super().__init__(
            f"scale {scale!r} does not allow a mean (allow_mean is False); "
            "report the latest level, the mode or the share at or above a level instead"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.scale,))


def mean_of(values: Iterable[float], scale: Scale) -> float | None:
    """Return the mean of ``values`` on ``scale``, ignoring missing values (NaN).

    Args:
        values: Scores on ``scale``.
        scale: The scale the scores belong to.

    Returns:
        The mean, or ``None`` when there are no values.

    Raises:
        MeanNotAllowedError: if ``scale.allow_mean`` is False (entrustment levels, for example).

    Example:
        >>> mean_of([3, 4, 5], msf_scale)
        4.0
    """
    if not scale.allow_mean:
        raise MeanNotAllowedError(scale.code)
    present = [float(v) for v in values if not math.isnan(float(v))]
    return sum(present) / len(present) if present else None


def mode_of(values: Sequence[int]) -> int | None:
    """Return the most frequent value; ties go to the lower value. ``None`` when empty."""
    if not values:
        return None
    counts: dict[int, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return min(counts, key=lambda v: (-counts[v], v))


def latest_of(values: Sequence[int], dates: Sequence[date]) -> tuple[int, date] | None:
    """Return the value given on the most recent date (the lowest if several) and that date."""
    if not values:
        return None
    last = max(dates)
    return min(v for v, d in zip(values, dates, strict=True) if d == last), last


def point_counts(values: Sequence[int], scale: Scale) -> list[PointCount]:
    """Count each point of ``scale`` in ``values`` with the share at or above it.

    Values that are not points of the scale are ignored.
    """
    known = [v for v in values if v in scale.values()]
    total = len(known)
    out: list[PointCount] = []
    for p in scale.points:
        count = sum(1 for v in known if v == p.value)
        above = sum(1 for v in known if v >= p.value)
        out.append(
            PointCount(
                value=p.value,
                code=p.code,
                count=count,
                share_at_or_above=round(above / total, 4) if total else 0.0,
            )
        )
    return out


def summarise_ordinal(
    values: Sequence[float],
    dates: Sequence[date],
    scale: Scale,
    *,
    instrument: str,
    item: str,
) -> OrdinalSummary:
    """Summarise ordinal ratings without a mean.

    Args:
        values: Scores (NaN = not applicable, skipped).
        dates: The date of each score.
        scale: The scale of the scores.
        instrument: Instrument code, for the record.
        item: Item code, for the record.

    Example:
        >>> s = summarise_ordinal([3, 4, 4], dates, epa_scale, instrument="epa", item="lead")
        >>> s.mode, s.latest
        (4, 4)
    """
    pairs = [(int(v), d) for v, d in zip(values, dates, strict=True) if not math.isnan(float(v))]
    ints = [v for v, _ in pairs]
    latest = latest_of(ints, [d for _, d in pairs])
    return OrdinalSummary(
        instrument=instrument,
        item=item,
        scale=scale.code,
        n=len(ints),
        latest=latest[0] if latest else None,
        latest_date=latest[1] if latest else None,
        mode=mode_of(ints),
        points=point_counts(ints, scale),
    )
