from __future__ import annotations

from datetime import date

import pandas as pd
from analysis_helpers import (
    ACTIVITY_COLUMNS,
    AIOS,
    AS_OF,
    CURRICULUM,
    INSTRUMENTS,
    REFLECTION_COLUMNS,
    empty,
    forms_of,
    opleider_ratings,
    scores_frame,
)

from mlkit.analysis import ProgressAnalysis, ProgressStatus, cohort_overview, status_grid
from mlkit.analysis import analyse_progress as analyse


def one(aios_id: str, start: date, level: int) -> ProgressAnalysis:
    rows = [dict(r, aios_id=aios_id) for r in opleider_ratings("rml_d01", [level] * 3)]
    scores = scores_frame(rows)
    aios = AIOS.copy()
    aios["aios_id"], aios["start_date"] = aios_id, pd.Timestamp(start)
    return analyse(
        aios,
        scores,
        forms_of(scores),
        empty(ACTIVITY_COLUMNS),
        empty(REFLECTION_COLUMNS),
        INSTRUMENTS,
        CURRICULUM,
        AS_OF,
    )


def test_cohort_grid_and_small_groups_suppressed() -> None:
    year2 = [one(f"y2_{i}", date(2023, 9, 1), 3 if i < 4 else 2) for i in range(6)]
    year1 = [one(f"y1_{i}", date(2024, 9, 1), 3) for i in range(2)]
    overview = cohort_overview(year2 + year1)
    assert overview.domains == ["rml.d01", "rml.d02", "rml.d03"]
    assert len(overview.grid) == 8
    assert overview.grid[0].statuses["rml.d01"] is ProgressStatus.ON_TRACK
    agg = {(a.by, a.group): a for a in overview.aggregates}
    everyone = agg[("all", "all")]
    assert not everyone.suppressed and everyone.n == 8
    assert everyone.counts["rml.d01"] == {
        "ahead": 2,
        "on_track": 4,
        "behind": 2,
        "not_enough_evidence": 0,
    }
    assert everyone.share_on_track_or_ahead["rml.d01"] == 0.75
    assert not agg[("training_year", "2")].suppressed
    small = agg[("training_year", "1")]
    assert (
        small.suppressed
        and small.n == 2
        and small.counts == {}
        and small.share_on_track_or_ahead == {}
    )
    grid = status_grid(overview)
    assert grid.shape == (8, 3) and grid.loc["y1_0", "rml.d01"] == "ahead"


def test_cohort_smaller_than_min_group_is_wholly_suppressed() -> None:
    overview = cohort_overview(
        [one(f"a{i}", date(2023, 9, 1), 3) for i in range(4)], by=("specialty",)
    )
    assert all(a.suppressed for a in overview.aggregates)
    assert [a.by for a in overview.aggregates] == ["all", "specialty"]
    assert cohort_overview([]).aggregates[0].n == 0
