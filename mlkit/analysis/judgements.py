"""The opleider's judgements (voortgangsoordeel, geschiktheidsbesluit) and data-quality flags.

A progress report leads with what was decided: the latest voortgangsgesprek with its oordeel
and afspraken, the latest geschiktheidsbeoordeling, and the flags a committee should see before
reading on (:func:`data_flags`). The rules for the flags are :class:`EvidenceRules` fields and
print in the appendix.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

import pandas as pd

from mlkit.analysis.dates import add_months
from mlkit.analysis.inputs import text_of
from mlkit.analysis.models import DomainProgress, Flag, FlagKind, Judgement, JudgementRating
from mlkit.analysis.rules import EvidenceRules
from mlkit.assessments.models import Instrument
from mlkit.assessments.position import TrainingPosition

PROGRESS_MEETING = "voortgang"
SUITABILITY = "geschiktheid"
_AGREEMENTS = re.compile(r"\bafspraken\s*:\s*", re.IGNORECASE)


def split_agreements(comment: str) -> tuple[str | None, str | None]:
    """Split a comment into its narrative and the afspraken after the word "Afspraken:".

    Example:
        >>> split_agreements("Goed bezig. Afspraken: KPB plannen; MSF in mei.")
        ('Goed bezig.', 'KPB plannen; MSF in mei.')
    """
    parts = _AGREEMENTS.split(comment, maxsplit=1)
    narrative = parts[0].strip() or None
    agreements = parts[1].strip() or None if len(parts) > 1 else None
    return narrative, agreements


def latest_judgement(
    instrument: Instrument | None,
    *,
    scores: pd.DataFrame,
    forms: pd.DataFrame,
    aios_id: str,
    as_of: date,
) -> Judgement | None:
    """Return the most recent form of ``instrument`` for the aios on or before ``as_of``."""
    if instrument is None or forms.empty:
        return None
    mine = forms[(forms["aios_id"] == aios_id) & (forms["instrument"] == instrument.code)]
    mine = mine[pd.to_datetime(mine["date"]) <= pd.Timestamp(as_of)]
    if mine.empty:
        return None
    latest = mine.assign(_d=pd.to_datetime(mine["date"])).sort_values(["_d", "form_id"]).iloc[-1]
    items = scores[scores["form_id"] == latest["form_id"]] if len(scores) else scores
    ratings: list[JudgementRating] = []
    comments = [text_of(latest["comment"]).strip()]
    for row in items.to_dict("records"):
        comments.append(text_of(row["comment"]).strip())
        try:
            item = instrument.item(str(row["item"]))
        except KeyError:
            continue
        if pd.isna(row["score"]):
            continue
        scale = instrument.scale(item.scale)
        value = int(row["score"])
        if value not in scale.values():
            continue
        ratings.append(
            JudgementRating(
                item=item.code, title=item.title, value=value, label=scale.point(value).label
            )
        )
    order = {it.code: i for i, it in enumerate(instrument.items)}
    ratings.sort(key=lambda r: order.get(r.item, len(order)))
    text = "\n".join(dict.fromkeys(c for c in comments if c))
    narrative, agreements = split_agreements(text) if text else (None, None)
    return Judgement(
        instrument=instrument.code,
        title=instrument.title,
        form_id=str(latest["form_id"]),
        date=latest["_d"].date(),
        assessor_role=text_of(latest["assessor_role"]),
        ratings=ratings,
        comment=narrative,
        agreements=agreements,
    )


def months_between(earlier: date, later: date) -> int:
    """Whole months from ``earlier`` to ``later`` (0 when ``later`` is earlier)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if add_months(earlier, months) > later:
        months -= 1
    return max(months, 0)


def data_flags(
    domains: Sequence[DomainProgress],
    *,
    as_of: date,
    newest_evidence: date | None,
    rules: EvidenceRules,
    position: TrainingPosition,
) -> list[Flag]:
    """Return the data-quality flags of one aios (see :class:`EvidenceRules` for thresholds).

    Past the nominal duration and part-time come from the training position
    (:func:`mlkit.assessments.position.training_position`), so a part-time aios is not flagged
    for taking longer than the full-time duration.
    """
    flags: list[Flag] = []
    if position.past_nominal_duration or position.past_expected_end:
        flags.append(
            Flag(
                kind=FlagKind.PAST_NOMINAL_DURATION,
                values={
                    "nominal": _years(position.nominal_duration_months / 12),
                    "end": position.expected_end_date.isoformat(),
                },
            )
        )
    if position.part_time:
        flags.append(Flag(kind=FlagKind.PART_TIME, values={"pct": round(position.fraction * 100)}))
    if newest_evidence is not None:
        age = months_between(newest_evidence, as_of)
        if age >= rules.stale_after_months:
            flags.append(Flag(kind=FlagKind.STALE_EVIDENCE, values={"months": age}))
    single = [d.code for d in domains if d.current is not None and d.current.single_rating]
    if single:
        flags.append(Flag(kind=FlagKind.SINGLE_RATING, values={"n": len(single)}))
    return flags


def _years(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
