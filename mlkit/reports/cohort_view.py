"""The normative cohort view: per RML domain and training year, the distribution of statuses.

Only groups (training years) of at least ``min_group`` aios show a distribution; a smaller group
shows "< k" and neither its size nor its counts, so nobody in it can be recognised.

Example:
    >>> view = cohort_view(rows, min_group=5)  # doctest: +SKIP
    >>> [(y.year, y.suppressed) for y in view.years]  # doctest: +SKIP
    [(1, False), (2, True)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mlkit.analysis.cohort import CohortRow, overview_from_rows
from mlkit.analysis.models import ProgressStatus

#: Statuses in the order the view shows them (not assessable domains are left out).
STATUSES: tuple[ProgressStatus, ...] = (
    ProgressStatus.AHEAD,
    ProgressStatus.ON_TRACK,
    ProgressStatus.BEHIND,
    ProgressStatus.NOT_ENOUGH_EVIDENCE,
)


@dataclass(frozen=True)
class Share:
    """One status within one domain and year: count and share of the group."""

    status: ProgressStatus
    count: int
    share: float


@dataclass(frozen=True)
class YearGroup:
    """One training year: its size, or suppressed (size not shown)."""

    year: int
    n: int | None  # None when suppressed
    suppressed: bool


@dataclass(frozen=True)
class CohortView:
    """Domains x training years; ``cells[domain][year]`` is None for a suppressed year."""

    min_group: int
    domains: tuple[str, ...]
    years: tuple[YearGroup, ...]
    cells: dict[str, dict[int, tuple[Share, ...] | None]]


def cohort_view(rows: Sequence[CohortRow], min_group: int = 5) -> CohortView:
    """Build the status distribution per domain and training year, small years suppressed."""
    overview = overview_from_rows(rows, min_group=min_group, by=("training_year",))
    years: list[YearGroup] = []
    cells: dict[str, dict[int, tuple[Share, ...] | None]] = {d: {} for d in overview.domains}
    per_year = sorted(
        (a for a in overview.aggregates if a.by == "training_year"), key=lambda a: int(a.group)
    )
    for agg in per_year:
        year = int(agg.group)
        years.append(YearGroup(year, None if agg.suppressed else agg.n, agg.suppressed))
        for d in overview.domains:
            if agg.suppressed:
                cells[d][year] = None
                continue
            counts = agg.counts[d]
            cells[d][year] = tuple(
                Share(s, counts.get(s.value, 0), counts.get(s.value, 0) / agg.n) for s in STATUSES
            )
    return CohortView(min_group, tuple(overview.domains), tuple(years), cells)
