"""The sections of the assessment summary.

Forms per instrument, ordinal ratings, self versus others, and the narrative comments (nothing of
a suppressed MSF group).
"""

from __future__ import annotations

import pandas as pd

from mlkit.analysis import ProgressAnalysis
from mlkit.analysis.inputs import drop_small_groups
from mlkit.analysis.models import ProgressStatus
from mlkit.analysis.names import domain_name, instrument_name, item_name, role_name
from mlkit.catalogue import Lang, long_date, percent, plural, word
from mlkit.reports.blocks import Cell, Section, heading, paragraph, table
from mlkit.reports.inputs import ReportInputs
from mlkit.reports.sections import point_label

MAX_COMMENTS = 15
MAX_COMMENT_CHARS = 1500


def forms_overview(inputs: ReportInputs, lang: Lang) -> Section:
    """Number of forms per instrument, with date range and distinct assessors."""
    blocks = [heading(word("h.forms", lang))]
    forms = visible_forms(inputs)
    if forms.empty:
        return Section("forms", [*blocks, paragraph(word("forms.none", lang), "mlkit-muted")])
    rows: list[list[Cell | str]] = []
    for code, group in forms.groupby("instrument", sort=True):
        dates = pd.to_datetime(group["date"])
        rows.append(
            [
                instrument_name(inputs.instruments, str(code), lang),
                str(len(group)),
                long_date(dates.min().date(), lang),
                long_date(dates.max().date(), lang),
                str(group["assessor"].nunique()),
            ]
        )
    headers = [
        word(f"col.{k}", lang) for k in ("instrument", "forms", "first", "last", "assessors")
    ]
    return Section("forms", [*blocks, table(headers, rows)])


def ordinal(inputs: ReportInputs, analysis: ProgressAnalysis, lang: Lang) -> Section:
    """Ordinal ratings (entrustment and developmental levels): latest, mode, counts; no mean."""
    rows: list[list[Cell | str]] = []
    for d in analysis.domains:
        for s in d.supporting:
            top = next((p for p in reversed(s.points) if p.count), None)
            share = (
                f"{percent(top.share_at_or_above, lang)} ≥ {top.value}"
                if top
                else word("none", lang)
            )
            rows.append(
                [
                    domain_name(d.domain, lang),
                    f"{instrument_name(inputs.instruments, s.instrument, lang)}: "
                    f"{item_name(inputs.instruments, s.instrument, s.item, lang)}",
                    str(s.n),
                    str(s.latest) if s.latest is not None else word("none", lang),
                    str(s.mode) if s.mode is not None else word("none", lang),
                    share,
                ]
            )
    headers = [word(f"col.{k}", lang) for k in ("domain", "item", "n", "latest", "mode", "share")]
    return Section("ordinal", [heading(word("h.ordinal", lang)), table(headers, rows)])


def gap(analysis: ProgressAnalysis, lang: Lang) -> Section:
    """Self-image versus others per named domain."""
    rows: list[list[Cell | str]] = [
        [
            domain_name(d.domain, lang),
            point_label(analysis, d.self_level.value if d.self_level else None, lang),
            point_label(analysis, d.current.value if d.current else None, lang),
            word("none", lang) if d.gap is None else f"{d.gap:+d}",
        ]
        for d in analysis.domains
        if d.status is not ProgressStatus.NOT_ASSESSABLE
    ]
    headers = [word(f"col.{k}", lang) for k in ("domain", "self", "current", "gap")]
    return Section("gap", [heading(word("h.gap", lang)), table(headers, rows)])


def visible_forms(inputs: ReportInputs) -> pd.DataFrame:
    """The aios' forms without those of MSF respondent groups below the minimum."""
    forms = inputs.forms
    if forms.empty:
        return forms
    at_least = inputs.evidence_rules.rules.msf_min_respondents
    return drop_small_groups(forms, inputs.instruments, at_least=at_least)


def comments(inputs: ReportInputs, lang: Lang) -> Section:
    """The narrative comments of this aios, newest first, shortened where very long.

    Comments of an MSF respondent group below the minimum are left out entirely (not its text,
    role or date).
    """
    forms = visible_forms(inputs)
    blocks = [heading(word("h.comments", lang))]
    if forms.empty:
        return Section("comments", [*blocks, paragraph(word("comments.none", lang), "mlkit-muted")])
    has_text = forms["comment"].fillna("").astype(str).str.strip() != ""
    chosen = forms[has_text]
    chosen = chosen.assign(_d=pd.to_datetime(chosen["date"])).sort_values("_d", ascending=False)
    if chosen.empty:
        return Section("comments", [*blocks, paragraph(word("comments.none", lang), "mlkit-muted")])
    rows: list[list[Cell | str]] = []
    for f in chosen.head(MAX_COMMENTS).to_dict("records"):
        text = str(f["comment"])
        if len(text) > MAX_COMMENT_CHARS:
            text = text[:MAX_COMMENT_CHARS] + " " + word("comments.cut", lang)
        rows.append(
            [
                long_date(f["_d"].date(), lang),
                instrument_name(inputs.instruments, str(f["instrument"]), lang),
                role_name(inputs.instruments, str(f["assessor_role"] or ""), lang),
                Cell(text, cls="mlkit-comment"),
            ]
        )
    blocks.append(
        table([word(f"col.{k}", lang) for k in ("date", "instrument", "role", "comment")], rows)
    )
    if len(chosen) > MAX_COMMENTS:
        blocks.append(
            paragraph(plural("count.comments_more", len(chosen) - MAX_COMMENTS, lang), "mlkit-note")
        )
    return Section("comments", blocks)
