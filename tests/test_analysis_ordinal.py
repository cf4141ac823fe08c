from __future__ import annotations

from datetime import date

import pytest
from analysis_helpers import DEV, ENTRUST, LIKERT

from mlkit.analysis import MeanNotAllowedError, mean_of, summarise_ordinal
from mlkit.analysis.dates import add_months, training_year, year_bounds
from mlkit.analysis.ordinal import mode_of


def test_mean_of_refuses_a_scale_without_allow_mean() -> None:
    with pytest.raises(MeanNotAllowedError, match="'bekwaamheidsniveau' does not allow a mean"):
        mean_of([3, 4, 5], ENTRUST)
    with pytest.raises(TypeError):  # also a builtin TypeError
        mean_of([1, 2], DEV)


def test_mean_of_averages_a_likert_scale_and_skips_nan() -> None:
    assert mean_of([3.0, 4.0, 5.0, float("nan")], LIKERT) == 4.0
    assert mean_of([], LIKERT) is None


def test_mode_breaks_ties_low() -> None:
    assert mode_of([4, 3, 4, 3, 5]) == 3
    assert mode_of([]) is None


def test_summarise_ordinal_reports_latest_mode_and_shares_without_mean() -> None:
    dates = [
        date(2025, 1, 1),
        date(2025, 2, 1),
        date(2025, 3, 1),
        date(2025, 3, 1),
        date(2025, 4, 1),
    ]
    s = summarise_ordinal([2, 4, 4, 3, float("nan")], dates, ENTRUST, instrument="epa", item="mdo")
    assert s.n == 4
    assert (s.latest, s.latest_date) == (3, date(2025, 3, 1))  # lowest on the last scored date
    assert s.mode == 4
    counts = {p.value: p.count for p in s.points}
    assert counts == {1: 0, 2: 1, 3: 1, 4: 2, 5: 0}
    shares = {p.value: p.share_at_or_above for p in s.points}
    assert shares == {1: 1.0, 2: 1.0, 3: 0.75, 4: 0.5, 5: 0.0}
    assert "mean" not in s.model_dump()


@pytest.mark.parametrize(
    ("start", "as_of", "year"),
    [
        (date(2023, 9, 1), date(2023, 9, 1), 1),
        (date(2023, 9, 1), date(2024, 8, 31), 1),
        (date(2023, 9, 1), date(2024, 9, 1), 2),
        (date(2023, 9, 1), date(2025, 6, 1), 2),
        (date(2023, 9, 1), date(2026, 9, 1), 4),
        (date(2023, 9, 1), date(2023, 1, 1), 1),  # before the start: year 1
        (date(2024, 2, 29), date(2025, 2, 28), 1),
        (date(2024, 2, 29), date(2025, 3, 1), 2),
    ],
)
def test_training_year(start: date, as_of: date, year: int) -> None:
    assert training_year(start, as_of) == year


def test_year_bounds_and_months() -> None:
    assert year_bounds(date(2023, 9, 1), 2) == (date(2024, 9, 1), date(2025, 9, 1))
    assert add_months(date(2025, 3, 31), -1) == date(2025, 2, 28)
    assert add_months(date(2025, 6, 1), -12) == date(2024, 6, 1)
