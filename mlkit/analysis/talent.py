"""Leadership activities, talent-track enrolments and signals of leadership talent.

Signals are prompts for a conversation, not judgements: "consistently ahead" counts domains with
a sufficient-evidence status of ``ahead`` (and none ``behind``); "interest" is a keyword found in
the aios' own reflections or activity titles.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from mlkit.analysis.dates import to_date
from mlkit.analysis.inputs import text_of as _text
from mlkit.analysis.models import (
    ActivityEntry,
    DomainProgress,
    Enrolment,
    InterestSignal,
    ProgressStatus,
    TalentSignals,
)
from mlkit.analysis.rules import EvidenceRules


def _mine(frame: pd.DataFrame, aios_id: str) -> pd.DataFrame:
    return frame[frame["aios_id"] == aios_id] if len(frame) else frame


def list_activities(activities: pd.DataFrame, aios_id: str, as_of: date) -> list[ActivityEntry]:
    """Return one aios' activities that started on or before ``as_of``, oldest first."""
    out: list[ActivityEntry] = []
    for row in _mine(activities, aios_id).itertuples(index=False):
        start = to_date(row.start_date)
        if start is not None and start > as_of:
            continue
        track = _text(row.track).strip()
        out.append(
            ActivityEntry(
                activity_id=str(row.activity_id),
                activity_type=_text(row.activity_type),
                title=_text(row.title),
                start_date=start,
                end_date=to_date(row.end_date),
                track=track or None,
                domains=[d for d in _text(row.domains).split("|") if d.strip()],
            )
        )
    return sorted(out, key=lambda a: (a.start_date or date.min, a.activity_id))


def _interest(
    activities: Sequence[ActivityEntry],
    reflections: pd.DataFrame,
    aios_id: str,
    as_of: date,
    keywords: Sequence[str],
) -> list[InterestSignal]:
    def match(text: str) -> str | None:
        low = text.lower()
        return next((k for k in keywords if k.lower() in low), None)

    out: list[InterestSignal] = []
    for row in _mine(reflections, aios_id).itertuples(index=False):
        when = to_date(row.date)
        if when is not None and when > as_of:
            continue
        if (kw := match(_text(row.text))) is not None:
            out.append(
                InterestSignal(
                    source="reflection", ref=str(row.reflection_id), date=when, keyword=kw
                )
            )
    for act in activities:
        if (kw := match(act.title)) is not None:
            out.append(
                InterestSignal(
                    source="activity", ref=act.activity_id, date=act.start_date, keyword=kw
                )
            )
    return out


def talent_signals(
    domains: Sequence[DomainProgress],
    *,
    activities: pd.DataFrame,
    reflections: pd.DataFrame,
    aios_id: str,
    as_of: date,
    rules: EvidenceRules,
) -> TalentSignals:
    """Collect talent signals and talent-track enrolments for one aios.

    Args:
        domains: The aios' domain progress.
        activities: The store's activities frame.
        reflections: The store's reflections frame.
        aios_id: The aios.
        as_of: Records after this date are ignored.
        rules: Supply ``talent_min_domains_ahead`` and ``interest_keywords``.
    """
    ahead = sum(1 for d in domains if d.status is ProgressStatus.AHEAD)
    behind = sum(1 for d in domains if d.status is ProgressStatus.BEHIND)
    acts = list_activities(activities, aios_id, as_of)
    enrolments = [
        Enrolment(
            track=a.track,
            title=a.title,
            start_date=a.start_date,
            end_date=a.end_date,
            active=a.end_date is None or a.end_date >= as_of,
        )
        for a in acts
        if a.track
    ]
    return TalentSignals(
        domains_ahead=ahead,
        domains_behind=behind,
        consistently_ahead=ahead >= rules.talent_min_domains_ahead and behind == 0,
        interest=_interest(acts, reflections, aios_id, as_of, rules.interest_keywords),
        enrolments=enrolments,
    )
