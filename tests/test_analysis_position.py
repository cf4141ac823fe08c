"""The progress analysis takes the training year from the training position (part-time etc.)."""

from __future__ import annotations

from datetime import date

import pandas as pd
from analysis_helpers import (
    ACTIVITY_COLUMNS,
    AIOS,
    CURRICULUM,
    FRAMEWORK,
    INSTRUMENTS,
    REFLECTION_COLUMNS,
    empty,
    forms_of,
    opleider_ratings,
    scores_frame,
)

from mlkit.analysis import ProgressAnalysis, analyse_progress


def _run(aios: pd.Series, as_of: date) -> ProgressAnalysis:
    scores = scores_frame(opleider_ratings("rml_d01", [2, 3]))
    return analyse_progress(
        aios,
        scores,
        forms_of(scores),
        empty(ACTIVITY_COLUMNS),
        empty(REFLECTION_COLUMNS),
        INSTRUMENTS,
        CURRICULUM,  # 3 years, 36 months
        as_of,
        framework=FRAMEWORK,
    )


def test_past_nominal_duration_is_flagged_not_a_fourth_year() -> None:
    as_of = date(2026, 12, 1)  # month 39 of a 36-month programme
    a = _run(AIOS, as_of)
    assert a.training_year == 3
    assert a.position is not None
    assert a.position.past_nominal_duration and a.position.uncapped_year == 4
    assert a.position.expected_end_date == date(2026, 9, 1)
    assert a.expectation_status is not None
    assert a.expectation_status.nl == "voorstel, geen landelijke norm"


def test_part_time_roster_columns_set_the_year() -> None:
    as_of = date(2025, 6, 1)  # 21 calendar months: year 2 full time
    assert _run(AIOS, as_of).training_year == 2
    part_time = pd.Series({**AIOS.to_dict(), "part_time_percent": 50.0})
    a = _run(part_time, as_of)
    assert a.training_year == 1  # 10.5 counted months
    assert a.position is not None and a.position.part_time
    assert a.position.expected_end_date == date(2029, 9, 1)
    extended = pd.Series({**AIOS.to_dict(), "extension_months": 6.0, "part_time_percent": None})
    b = _run(extended, date(2026, 12, 1))
    assert b.position is not None
    assert b.position.past_nominal_duration and not b.position.past_expected_end


def test_position_survives_json_round_trip() -> None:
    a = _run(AIOS, date(2025, 6, 1))
    back = ProgressAnalysis.model_validate_json(a.model_dump_json())
    assert back.position == a.position and back.expectation_status == a.expectation_status
