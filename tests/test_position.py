"""Training position: training year, expected end date, part-time, extension, past nominal."""

from __future__ import annotations

import pickle
from datetime import date

import pytest

from mlkit.assessments import Curriculum, curriculum_for, load_curricula
from mlkit.assessments.position import (
    TrainingPositionError,
    training_position,
    training_year_bounds,
)

START = date(2020, 9, 1)


@pytest.fixture(scope="module")
def curricula() -> dict[str, Curriculum]:
    return load_curricula([])


@pytest.fixture(scope="module")
def interne(curricula: dict[str, Curriculum]) -> Curriculum:
    return curriculum_for("interne_geneeskunde", curricula)  # 6 years, 72 months


@pytest.mark.parametrize(
    ("as_of", "year"),
    [
        (date(2020, 8, 1), 1),  # before the start
        (START, 1),
        (date(2021, 8, 31), 1),
        (date(2021, 9, 1), 2),
        (date(2025, 9, 1), 6),
        (date(2026, 8, 31), 6),
    ],
)
def test_full_time_year(interne: Curriculum, as_of: date, year: int) -> None:
    pos = training_position(START, as_of, interne)
    assert pos.opleidingsjaar == year
    assert not pos.part_time and pos.fraction == 1.0
    assert pos.expected_end_date == date(2026, 9, 1)
    assert pos.nominal_duration_months == 72
    assert not pos.past_nominal_duration


def test_month_80_of_72_is_past_nominal_not_year_7(interne: Curriculum) -> None:
    as_of = date(2027, 5, 1)  # month 80
    pos = training_position(START, as_of, interne)
    assert pos.opleidingsjaar == 6  # the programme has no year 7
    assert pos.uncapped_year == 7
    assert pos.past_nominal_duration and pos.past_expected_end
    assert pos.counted_months == pytest.approx(80)


def test_part_time_80_percent(interne: Curriculum) -> None:
    pos = training_position(START, date(2021, 9, 1), interne, deeltijdfactor=80)
    assert pos.part_time and pos.fraction == pytest.approx(0.8)
    assert pos.opleidingsjaar == 1  # 12 calendar months are 9.6 counted months
    assert pos.counted_months == pytest.approx(9.6)
    assert training_position(START, date(2021, 12, 1), interne, 80).opleidingsjaar == 2
    assert pos.expected_end_date == date(2028, 3, 1)  # 72 / 0.8 = 90 months
    at_full_time_end = training_position(START, date(2026, 9, 1), interne, 80)
    assert not at_full_time_end.past_nominal_duration
    assert at_full_time_end.opleidingsjaar == 5


def test_extension_of_six_months(interne: Curriculum) -> None:
    as_of = date(2026, 12, 1)  # month 75: past nominal, within the extension
    pos = training_position(START, as_of, interne, verlenging=6)
    assert pos.expected_end_date == date(2027, 3, 1)
    assert pos.past_nominal_duration and not pos.past_expected_end
    assert pos.opleidingsjaar == 6 and pos.extension_months == 6


def test_interruption_does_not_count(interne: Curriculum) -> None:
    pos = training_position(START, date(2021, 9, 1), interne, onderbreking=3)
    assert pos.counted_months == pytest.approx(9)
    assert pos.opleidingsjaar == 1
    assert pos.expected_end_date == date(2026, 12, 1)


def test_part_time_and_extension_together(interne: Curriculum) -> None:
    pos = training_position(START, date(2028, 6, 1), interne, 80, verlenging=6)
    assert pos.expected_end_date == date(2028, 9, 1)
    assert pos.past_nominal_duration and not pos.past_expected_end


def test_psychiatrie_half_year(curricula: dict[str, Curriculum]) -> None:
    psy = curriculum_for("psychiatrie", curricula)
    assert training_position(START, date(2024, 9, 1), psy).opleidingsjaar == 5
    pos = training_position(START, date(2025, 3, 1), psy)
    assert pos.expected_end_date == date(2025, 3, 1) and pos.past_nominal_duration
    assert pos.opleidingsjaar == 5


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"deeltijdfactor": 0}, "deeltijdfactor"),
        ({"deeltijdfactor": 120}, "deeltijdfactor"),
        ({"deeltijdfactor": float("nan")}, "deeltijdfactor"),
        ({"verlenging": -1}, "verlenging_maanden"),
        ({"onderbreking": 2.5}, "onderbreking_maanden"),
    ],
)
def test_out_of_range(interne: Curriculum, kwargs: dict[str, float], field: str) -> None:
    with pytest.raises(TrainingPositionError, match=field) as info:
        training_position(START, date(2022, 1, 1), interne, **kwargs)  # type: ignore[arg-type]
    back = pickle.loads(pickle.dumps(info.value))
    assert back.field == field and str(back) == str(info.value)


def test_year_bounds_stretch_for_part_time() -> None:
    assert training_year_bounds(START, 2) == (date(2021, 9, 1), date(2022, 9, 1))
    assert training_year_bounds(START, 2, 80) == (date(2021, 12, 1), date(2023, 3, 1))
