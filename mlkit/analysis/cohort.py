"""A cohort x domain status grid and aggregates with small groups suppressed.

Used by the committee batch: the grid lists every aios (committee members see individuals);
aggregates summarise groups (everyone, per training year, per specialty or hospital) and are
suppressed below ``min_group`` aios so that a small group's figures cannot be traced to people.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict

from mlkit.analysis.models import ProgressAnalysis, ProgressStatus

GroupBy = Literal["training_year", "specialty", "hospital"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CohortRow(_Model):
    """One aios' status per domain."""

    aios_id: str
    display_name: str
    training_year: int
    specialty: str | None
    hospital: str | None
    statuses: dict[str, ProgressStatus]


class CohortAggregate(_Model):
    """Status counts per domain for one group; ``counts`` is empty when suppressed."""

    by: Literal["all", "training_year", "specialty", "hospital"]
    group: str
    n: int
    suppressed: bool
    counts: dict[str, dict[str, int]] = {}
    share_on_track_or_ahead: dict[str, float] = {}


class CohortOverview(_Model):
    """The whole cohort: grid and aggregates."""

    min_group: int
    domains: list[str]
    grid: list[CohortRow]
    aggregates: list[CohortAggregate]


def _aggregate(
    by: Literal["all", "training_year", "specialty", "hospital"],
    group: str,
    rows: Sequence[CohortRow],
    domains: Sequence[str],
    min_group: int,
) -> CohortAggregate:
    if len(rows) < min_group:
        return CohortAggregate(by=by, group=group, n=len(rows), suppressed=True)
    counts: dict[str, dict[str, int]] = {}
    share: dict[str, float] = {}
    for d in domains:
        c = {s.value: 0 for s in ProgressStatus if s is not ProgressStatus.NOT_ASSESSABLE}
        for r in rows:
            status = r.statuses.get(d, ProgressStatus.NOT_ENOUGH_EVIDENCE)
            c[status.value] += 1
        counts[d] = c
        good = c[ProgressStatus.ON_TRACK.value] + c[ProgressStatus.AHEAD.value]
        share[d] = round(good / len(rows), 4)
    return CohortAggregate(
        by=by,
        group=group,
        n=len(rows),
        suppressed=False,
        counts=counts,
        share_on_track_or_ahead=share,
    )


def cohort_overview(
    analyses: Sequence[ProgressAnalysis],
    min_group: int = 5,
    by: Sequence[GroupBy] = ("training_year",),
) -> CohortOverview:
    """Build the cohort x domain status grid and group aggregates.

    Args:
        analyses: One analysis per aios.
        min_group: Groups with fewer aios are suppressed (listed with their size only).
        by: Groupings for the aggregates besides the whole cohort.

    Example:
        >>> overview = cohort_overview(analyses)
        >>> [(a.group, a.suppressed) for a in overview.aggregates]
        [('all', False), ('1', False), ('2', True)]
    """
    rows = [
        CohortRow(
            aios_id=a.aios_id,
            display_name=a.display_name,
            training_year=a.training_year,
            specialty=a.specialty,
            hospital=a.hospital,
            statuses={d.code: d.status for d in a.domains},
        )
        for a in analyses
    ]
    return overview_from_rows(rows, min_group, by)


def overview_from_rows(
    grid: Sequence[CohortRow],
    min_group: int = 5,
    by: Sequence[GroupBy] = ("training_year",),
) -> CohortOverview:
    """Build the overview from rows (e.g. read back from report sidecars).

    Groups of fewer than ``min_group`` aios are suppressed in the aggregates.
    """
    domains: list[str] = []
    for row in grid:
        domains += [
            d
            for d, st in row.statuses.items()
            if d not in domains and st is not ProgressStatus.NOT_ASSESSABLE
        ]
    aggregates = [_aggregate("all", "all", grid, domains, min_group)]
    for key in by:
        groups: dict[str, list[CohortRow]] = {}
        for row in grid:
            groups.setdefault(str(getattr(row, key)), []).append(row)
        for name in sorted(groups, key=lambda g: (len(g), g)):
            aggregates.append(_aggregate(key, name, groups[name], domains, min_group))
    return CohortOverview(
        min_group=min_group, domains=domains, grid=list(grid), aggregates=aggregates
    )


def status_grid(overview: CohortOverview) -> pd.DataFrame:
    """Return the grid as a DataFrame: one row per aios, one column per domain (status values)."""
    records = [
        {"aios_id": r.aios_id} | {d: r.statuses[d].value for d in r.statuses} for r in overview.grid
    ]
    frame = pd.DataFrame(records, columns=["aios_id", *overview.domains])
    return frame.set_index("aios_id")
