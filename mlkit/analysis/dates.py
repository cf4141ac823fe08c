"""Date arithmetic for training years and recency windows."""

from __future__ import annotations

import calendar
from datetime import date, datetime
from typing import Any

import pandas as pd


def to_date(value: Any) -> date | None:
    """Return ``value`` (date, datetime, Timestamp, ISO string, NaT/NaN/None) as a date or None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return None if pd.isna(value) else value.date()
    if isinstance(value, date):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    ts = pd.Timestamp(value)
    return None if pd.isna(ts) else ts.date()


def add_months(d: date, months: int) -> date:
    """Return ``d`` shifted by ``months`` (negative goes back), clamped to the month's end."""
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    day = min(d.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


def add_years(d: date, years: int) -> date:
    """Return ``d`` shifted by whole ``years`` (29 February becomes 28 February)."""
    return add_months(d, 12 * years)


def training_year(start_date: date, as_of: date) -> int:
    """Return the training year (opleidingsjaar) an aios is in on ``as_of``.

    Year 1 runs from ``start_date`` up to (not including) its first anniversary, and so on. A
    date before the start counts as year 1. This is the full-time calendar count only; reports use
    :func:`mlkit.assessments.position.training_position`, which also counts part-time training,
    interruptions and the programme's duration.

    Example:
        >>> training_year(date(2023, 9, 1), date(2025, 8, 31))
        2
        >>> training_year(date(2023, 9, 1), date(2025, 9, 1))
        3
    """
    full = (
        as_of.year
        - start_date.year
        - ((as_of.month, as_of.day) < (start_date.month, start_date.day))
    )
    return max(full, 0) + 1


def year_bounds(start_date: date, year: int) -> tuple[date, date]:
    """Return ``[start, end)`` of training year ``year`` for an aios who started on ``start_date``.

    Example:
        >>> year_bounds(date(2023, 9, 1), 2)
        (datetime.date(2024, 9, 1), datetime.date(2025, 9, 1))
    """
    return add_years(start_date, year - 1), add_years(start_date, year)
