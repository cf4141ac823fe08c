"""Where an aios is in their training: training year, expected end date, past nominal duration.

Duration is individualised (Kaderbesluit, 2014 change: "zo lang als nodig, zo kort als
verantwoord"), so the position follows the curriculum's nominal full-time duration and three
per-aios facts from the roster:

- ``deeltijdfactor``: part-time percentage (80 means four days a week). Training time counts at
  that fraction, so a year of training takes ``12 / fraction`` calendar months.
- ``onderbreking`` (months): an interruption (illness, leave) that does not count at all.
- ``verlenging`` (months): an approved extension that moves the expected end date.

The training year is capped at the programme's last year; an aios whose counted training time
has reached the nominal duration is flagged ``past_nominal_duration`` instead of being shown a
year the programme does not have.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict

from mlkit.assessments.models import Curriculum
from mlkit.errors import MlkitError

FULL_TIME = 100.0
_MONTH_DAYS = 365.25 / 12


class TrainingPositionError(MlkitError, ValueError):
    """A part-time factor, extension or interruption is out of range."""

    def __init__(self, field: str, value: float, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field} = {value:g}: {reason}")

    def __reduce__(self) -> tuple[type[TrainingPositionError], tuple[str, float, str]]:
        return (type(self), (self.field, self.value, self.reason))


class TrainingPosition(BaseModel):
    """An aios' position in training on a reference date.

    Attributes:
        opleidingsjaar: Training year, 1 up to the programme's last year (never beyond).
        expected_end_date: Start + nominal duration at the part-time fraction + interruption +
            extension.
        nominal_duration_months: The curriculum's full-time duration in months.
        past_nominal_duration: Counted training time has reached the nominal duration.
        past_expected_end: The reference date is on or after ``expected_end_date``.
        part_time: Trained part-time (``deeltijdfactor`` below 100).
        fraction: The part-time fraction (0.8 for 80 per cent).
        counted_months: Full-time-equivalent training months completed on the reference date.
        extension_months: The extension (verlenging) in months.
        interruption_months: The interruption (onderbreking) in months.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    opleidingsjaar: int
    expected_end_date: date
    nominal_duration_months: int
    past_nominal_duration: bool
    past_expected_end: bool
    part_time: bool
    fraction: float
    counted_months: float
    extension_months: int = 0
    interruption_months: int = 0

    @property
    def uncapped_year(self) -> int:
        """The training year counted without the cap (e.g. 7 in month 80 of 72)."""
        return int(self.counted_months // 12) + 1


def _months_between(start: date, end: date) -> float:
    """Calendar months from ``start`` to ``end`` (fractional; negative before the start)."""
    if end < start:
        return -_months_between(end, start)
    whole = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        whole -= 1
    anchor = _add_months(start, whole)
    days_in_month = calendar.monthrange(anchor.year, anchor.month)[1]
    return whole + (end - anchor).days / days_in_month


def _add_months(d: date, months: int) -> date:
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    day = min(d.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


def _add_fractional_months(d: date, months: float) -> date:
    whole = math.floor(months)
    return _add_months(d, whole) + timedelta(days=round((months - whole) * _MONTH_DAYS))


def check_schedule(deeltijdfactor: float, verlenging: float, onderbreking: float) -> None:
    """Check a part-time factor (1-100 per cent) and extension/interruption (whole months >= 0).

    Raises:
        TrainingPositionError: naming the field, the value and what is allowed.
    """
    if not (0 < deeltijdfactor <= FULL_TIME) or math.isnan(deeltijdfactor):
        raise TrainingPositionError(
            "deeltijdfactor", deeltijdfactor, "a percentage above 0 and at most 100"
        )
    for name, value in (("verlenging_maanden", verlenging), ("onderbreking_maanden", onderbreking)):
        if math.isnan(value) or value < 0 or value != int(value):
            raise TrainingPositionError(name, value, "a whole number of months, 0 or more")


def training_position(
    start: date,
    as_of: date,
    curriculum: Curriculum,
    deeltijdfactor: float = FULL_TIME,
    verlenging: int = 0,
    onderbreking: int = 0,
) -> TrainingPosition:
    """Return where an aios who started on ``start`` is in ``curriculum`` on ``as_of``.

    Args:
        start: The training start date.
        as_of: The reference date.
        curriculum: The aios' (resolved) curriculum; its ``duration_years`` is the nominal
            full-time duration.
        deeltijdfactor: Part-time percentage, 100 for full time.
        verlenging: Extension in months.
        onderbreking: Interruption in months (does not count as training time).

    Example:
        >>> pos = training_position(date(2020, 9, 1), date(2027, 5, 1), curriculum_for("interne"))
        >>> pos.opleidingsjaar, pos.past_nominal_duration
        (6, True)

    Raises:
        TrainingPositionError: when a factor is out of range (see :func:`check_schedule`).
    """
    check_schedule(deeltijdfactor, verlenging, onderbreking)
    fraction = deeltijdfactor / FULL_TIME
    nominal = curriculum.nominal_duration_months
    elapsed = _months_between(start, as_of)
    counted = max(elapsed - onderbreking, 0.0) * fraction
    last_year = math.ceil(curriculum.duration_years)
    year = min(int(counted // 12) + 1, last_year)
    end = _add_fractional_months(start, nominal / fraction + onderbreking + verlenging)
    return TrainingPosition(
        opleidingsjaar=year,
        expected_end_date=end,
        nominal_duration_months=nominal,
        past_nominal_duration=counted >= nominal,
        past_expected_end=as_of >= end,
        part_time=deeltijdfactor < FULL_TIME,
        fraction=fraction,
        counted_months=counted,
        extension_months=int(verlenging),
        interruption_months=int(onderbreking),
    )


#: Store columns of the roster record that hold the schedule (see :mod:`mlkit.store.tables`).
SCHEDULE_FIELDS = ("part_time_percent", "extension_months", "interruption_months")


def _number(record: Mapping[str, Any] | object, name: str) -> float | None:
    getter = getattr(record, "get", None)  # a mapping or a pandas Series
    value = getter(name) if callable(getter) else getattr(record, name, None)
    if value is None or value == "":
        return None
    number = float(value)
    return None if math.isnan(number) else number


def position_of(
    record: Mapping[str, Any] | object, start: date, as_of: date, curriculum: Curriculum
) -> TrainingPosition:
    """Return the position of the aios in a roster record (a store row, Series or mapping).

    The record's ``part_time_percent``, ``extension_months`` and ``interruption_months`` are
    used when present; missing means full time, no extension and no interruption.

    Raises:
        TrainingPositionError: when a stored value is out of range.
    """
    part_time, extension, interruption = (_number(record, n) for n in SCHEDULE_FIELDS)
    return training_position(
        start,
        as_of,
        curriculum,
        FULL_TIME if part_time is None else part_time,
        int(extension or 0),
        int(interruption or 0),
    )


def training_year_bounds(
    start: date, year: int, deeltijdfactor: float = FULL_TIME
) -> tuple[date, date]:
    """Return ``[start, end)`` of training ``year`` in calendar dates, stretched for part-time.

    An interruption is not placed (its dates are not known), so the bounds assume none.

    Example:
        >>> training_year_bounds(date(2023, 9, 1), 2, 80)
        (datetime.date(2024, 12, 1), datetime.date(2026, 3, 1))
    """
    check_schedule(deeltijdfactor, 0, 0)
    per_year = 12 * FULL_TIME / deeltijdfactor
    return (
        _add_fractional_months(start, per_year * (year - 1)),
        _add_fractional_months(start, per_year * year),
    )


__all__ = [
    "FULL_TIME",
    "SCHEDULE_FIELDS",
    "TrainingPosition",
    "TrainingPositionError",
    "check_schedule",
    "position_of",
    "training_position",
    "training_year_bounds",
]
