"""Flat tables from a :class:`ProgressAnalysis`, for notebooks, reports and charts."""

from __future__ import annotations

import pandas as pd

from mlkit.analysis.labels import label
from mlkit.analysis.models import ProgressAnalysis
from mlkit.analysis.names import domain_name
from mlkit.frameworks.models import Lang

TRAJECTORY_COLUMNS = ["domain", "date", "value", "series", "instrument", "item"]


def trajectory_frame(analysis: ProgressAnalysis) -> pd.DataFrame:
    """Return every developmental-scale rating as a row: domain, date, value, series.

    ``series`` is ``"self"`` or ``"others"``; ``date`` is datetime64.

    Example:
        >>> trajectory_frame(analysis).groupby("series").size()
    """
    rows = [
        {
            "domain": d.code,
            "date": pd.Timestamp(o.date),
            "value": o.value,
            "series": "self" if o.is_self else "others",
            "instrument": o.instrument,
            "item": o.item,
        }
        for d in analysis.domains
        for o in d.observations
    ]
    frame = pd.DataFrame(rows, columns=TRAJECTORY_COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def domain_table(analysis: ProgressAnalysis, lang: Lang = "nl") -> pd.DataFrame:
    """Return one row per domain with expected, current and self level, gap, status and why.

    Columns: code, domain (display title, unverified names marked), expected, current, rule,
    n_observations, n_assessors, latest_date, self, gap, status, reasons.
    """
    rows = []
    for d in analysis.domains:
        current = d.current
        rows.append(
            {
                "code": d.code,
                "domain": domain_name(d.domain, lang),
                "expected": d.expected.label.get(lang) if d.expected else None,
                "current": _point_label(analysis, current.value, lang) if current else None,
                "rule": label(f"rule.{current.rule}", lang) if current else None,
                "n_observations": d.sufficiency.n_observations,
                "n_assessors": d.sufficiency.n_assessors,
                "latest_date": d.sufficiency.latest_date,
                "self": _point_label(analysis, d.self_level.value, lang) if d.self_level else None,
                "gap": d.gap,
                "status": label(f"status.{d.status.value}", lang),
                "reasons": "; ".join(label(f"reason.{r.value}", lang) for r in d.reasons),
            }
        )
    return pd.DataFrame(rows)


def _point_label(analysis: ProgressAnalysis, value: int, lang: Lang) -> str:
    for p in analysis.scale_points:
        if p.value == value:
            return p.label.get(lang) or p.code
    return str(value)
