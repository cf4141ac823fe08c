"""Multi-source feedback (360-graden-feedback) aggregated per respondent group, with suppression.

A respondent group smaller than the instrument's ``min_respondents`` (or the evidence rules'
``msf_min_respondents`` when that is higher) is suppressed: it is listed
with its size and the reason, never with scores. The all-respondents row is suppressed too when
it would let a reader work out the suppressed groups by subtraction (their pooled size is below
the minimum).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from mlkit.analysis.models import MsfGroup, MsfItemSummary, MsfSummary
from mlkit.analysis.ordinal import mean_of, summarise_ordinal
from mlkit.analysis.rules import EvidenceRules
from mlkit.assessments.models import Instrument
from mlkit.frameworks.models import Text

SUPPRESSED_REASON = "msf.suppressed_reason"
OVERALL_REASON = "msf.overall_reveals"


def _respondents(frame: pd.DataFrame) -> int:
    # One MSF form is one respondent: exports often name every respondent "anoniem", so
    # assessor names cannot tell respondents apart.
    return int(frame["form_id"].nunique())


def _group(role: str, title: Text, rows: pd.DataFrame, inst: Instrument, minimum: int) -> MsfGroup:
    n = _respondents(rows) if len(rows) else 0
    if n < minimum:
        return MsfGroup(
            role=role, title=title, n_respondents=n, suppressed=True, reason=SUPPRESSED_REASON
        )
    items: list[MsfItemSummary] = []
    item_means: list[float] = []
    for item in inst.items:
        sub = rows[rows["item"] == item.code]
        scale = inst.scale(item.scale)
        values = [float(v) for v in sub["score"] if pd.notna(v)]
        if len(values) < minimum:  # too few answers ("kan niet beoordelen"): no scores either
            items.append(
                MsfItemSummary(item=item.code, title=item.title, n=len(values), suppressed=True)
            )
            continue
        mean = mean_of(values, scale) if scale.allow_mean else None
        if mean is not None:
            item_means.append(mean)
        summary = None
        if scale.points:
            summary = summarise_ordinal(
                values,
                [
                    pd.Timestamp(d).date()
                    for d, v in zip(sub["date"], sub["score"], strict=True)
                    if pd.notna(v)
                ],
                scale,
                instrument=inst.code,
                item=item.code,
            )
        items.append(
            MsfItemSummary(
                item=item.code,
                title=item.title,
                n=len(values),
                mean=round(mean, 3) if mean is not None else None,
                summary=summary,
            )
        )
    overall = round(sum(item_means) / len(item_means), 3) if item_means else None
    return MsfGroup(
        role=role, title=title, n_respondents=n, suppressed=False, items=items, overall_mean=overall
    )


def summarise_msf(
    scores: pd.DataFrame,
    *,
    instruments: dict[str, Instrument],
    aios_id: str,
    as_of: date,
    window_start: date,
    rules: EvidenceRules,
    instrument: str = "msf",
) -> MsfSummary | None:
    """Aggregate one aios' MSF responses in ``(window_start, as_of]`` per respondent group.

    Args:
        scores: Item scores from the store.
        instruments: Instruments by code.
        aios_id: The aios.
        as_of: Last date counted.
        window_start: Responses on or before this date are left out.
        rules: Supplies the minimum group size when the instrument sets none.
        instrument: The MSF instrument code.

    Returns:
        The summary, or ``None`` when the instrument is unknown or there are no responses.

    Example:
        >>> s = summarise_msf(scores, instruments=insts, aios_id="a1", as_of=date(2025, 6, 1),
        ...                   window_start=date(2024, 6, 1), rules=EvidenceRules())
        >>> [(g.role, s.n_hidden_groups) for g in s.groups]
        [('specialist', 1)]
    """
    inst = instruments.get(instrument)
    if inst is None or scores.empty:
        return None
    rows = scores[(scores["aios_id"] == aios_id) & (scores["instrument"] == instrument)]
    dates = pd.to_datetime(rows["date"])
    rows = rows[(dates > pd.Timestamp(window_start)) & (dates <= pd.Timestamp(as_of))]
    if rows.empty:
        return None
    minimum = max(inst.min_respondents or 1, rules.msf_min_respondents)
    titles = {r.code: r.title for r in inst.respondent_roles}
    roles = [r.code for r in inst.respondent_roles]
    roles += sorted({str(r) for r in rows["assessor_role"].dropna()} - set(roles))
    groups = [
        _group(
            role,
            titles.get(role, Text(nl=role, en=role)),
            rows[rows["assessor_role"] == role],
            inst,
            minimum,
        )
        for role in roles
        if (rows["assessor_role"] == role).any()
    ]
    hidden = sum(g.n_respondents for g in groups if g.suppressed)
    everyone = Text(nl="alle respondenten", en="all respondents")
    if 0 < hidden < minimum:
        overall = MsfGroup(
            role="all",
            title=everyone,
            n_respondents=_respondents(rows),
            suppressed=True,
            reason=OVERALL_REASON,
        )
    else:
        overall = _group("all", everyone, rows, inst, minimum)
    return MsfSummary(
        instrument=instrument,
        min_respondents=minimum,
        window_start=window_start,
        n_respondents=_respondents(rows),
        groups=[g for g in groups if not g.suppressed],
        overall=overall,
        n_hidden_groups=sum(1 for g in groups if g.suppressed),
    )
