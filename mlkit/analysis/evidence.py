"""Evidence the curriculum requires per training year, against what the store holds."""

from __future__ import annotations

from datetime import date

import pandas as pd

from mlkit.analysis.dates import year_bounds
from mlkit.analysis.models import EvidenceCheck, EvidenceState
from mlkit.assessments.models import Curriculum, Instrument, InstrumentKind


def count_records(
    *,
    instrument: str,
    definition: Instrument | None,
    aios_id: str,
    begin: date,
    end: date,
    forms: pd.DataFrame,
    activities: pd.DataFrame,
    reflections: pd.DataFrame,
    self_roles: tuple[str, ...] = ("aios",),
    roles: tuple[str, ...] = (),
) -> int:
    """Count one aios' records of ``instrument`` dated in ``[begin, end)``.

    Forms are counted by form date. A multi-source instrument (one with ``min_respondents``,
    i.e. MSF) counts rounds: the distinct dates of its forms. A self-assessment instrument counts
    only forms filled in by the aios (``self_roles``), not the opleider's rating on the same
    form; ``roles`` counts only forms by assessors in those roles instead (e.g. ``opleider``).
    Activities count by start date (every activity counts for an activity instrument);
    reflections by date.
    """
    kind = definition.kind if definition is not None else InstrumentKind.FORM
    if kind is InstrumentKind.ACTIVITY:
        frame, column = activities, "start_date"
    elif kind is InstrumentKind.REFLECTION:
        frame, column = reflections, "date"
    else:
        frame, column = forms, "date"
        if len(frame):
            frame = frame[frame["instrument"] == instrument]
            if roles:
                frame = frame[frame["assessor_role"].isin(roles)]
            elif definition is not None and definition.self_assessment:
                frame = frame[frame["assessor_role"].isin(self_roles)]
    if frame.empty:
        return 0
    frame = frame[frame["aios_id"] == aios_id]
    dates = pd.to_datetime(frame[column])
    inside = dates[(dates >= pd.Timestamp(begin)) & (dates < pd.Timestamp(end))]
    if definition is not None and definition.min_respondents is not None:
        return int(inside.dt.normalize().nunique())
    return len(inside)


def check_evidence(
    curriculum: Curriculum,
    *,
    current_year: int,
    start_date: date,
    as_of: date,
    aios_id: str,
    forms: pd.DataFrame,
    activities: pd.DataFrame,
    reflections: pd.DataFrame,
    instruments: dict[str, Instrument],
    self_roles: tuple[str, ...] = ("aios",),
) -> list[EvidenceCheck]:
    """Compare the curriculum's required evidence with what is present, per year up to now.

    Only years the curriculum defines are checked (a year beyond its last is not invented).
    Records after ``as_of`` do not count. A past year that falls short is ``missing``; the
    current year is ``open`` until met.

    Example:
        >>> [c.state for c in check_evidence(cur, current_year=2, ...)]
        [<EvidenceState.MET: 'met'>, <EvidenceState.OPEN: 'open'>]
    """
    out: list[EvidenceCheck] = []
    for ye in sorted(curriculum.years, key=lambda y: y.year):
        if ye.year > current_year:
            break
        begin, end = year_bounds(start_date, ye.year)
        until = min(end, as_of + pd.Timedelta(days=1).to_pytimedelta())
        for req in ye.required_evidence:
            present = count_records(
                instrument=req.instrument,
                definition=instruments.get(req.instrument),
                aios_id=aios_id,
                begin=begin,
                end=until,
                forms=forms,
                activities=activities,
                reflections=reflections,
                self_roles=self_roles,
                roles=req.roles,
            )
            if present >= req.min_count:
                state = EvidenceState.MET
            elif ye.year < current_year and end <= as_of:
                state = EvidenceState.MISSING
            else:
                state = EvidenceState.OPEN
            out.append(
                EvidenceCheck(
                    year=ye.year,
                    instrument=req.instrument,
                    description=req.description,
                    required=req.min_count,
                    present=present,
                    state=state,
                    year_start=begin,
                    year_end=end,
                )
            )
    return out
