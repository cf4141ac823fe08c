"""The sections of the progress report and the assessment summary, built from an analysis."""

from __future__ import annotations

from datetime import date

import pandas as pd

from mlkit import charts
from mlkit.analysis import ProgressAnalysis, label
from mlkit.analysis.models import DomainProgress, EvidenceState, ProgressStatus
from mlkit.frameworks.models import Lang, display_title
from mlkit.reports.blocks import Cell, Section, bullets, facts, figure, heading, paragraph, table
from mlkit.reports.inputs import ReportInputs
from mlkit.reports.words import word

MAX_COMMENTS = 25
MAX_COMMENT_CHARS = 1500


def _d(value: date | None, lang: Lang) -> str:
    if value is None:
        return word("none", lang)
    return value.strftime("%d-%m-%Y") if lang == "nl" else value.isoformat()


def _point(analysis: ProgressAnalysis, value: int | None, lang: Lang) -> str:
    if value is None:
        return word("none", lang)
    for p in analysis.scale_points:
        if p.value == value:
            return p.label.get(lang) or p.code
    return str(value)


def header(kind: str, inputs: ReportInputs, analysis: ProgressAnalysis, lang: Lang) -> Section:
    """Title and the facts about the aios and the reference date."""
    a = analysis
    return Section(
        "header",
        [
            heading(word(f"title.{kind}", lang), 1),
            facts(
                [
                    (word("aios", lang), f"{a.display_name} ({a.aios_id})"),
                    (word("specialty", lang), a.specialty or word("none", lang)),
                    (word("hospital", lang), a.hospital or word("none", lang)),
                    (word("opleider", lang), a.opleider or word("none", lang)),
                    (word("start", lang), _d(a.start_date, lang)),
                    (word("year", lang), str(a.training_year)),
                    (word("as_of", lang), _d(a.as_of, lang)),
                    (word("curriculum", lang), a.curriculum_id),
                ]
            ),
        ],
    )


def _status_cell(d: DomainProgress, lang: Lang) -> Cell:
    return Cell(label(f"status.{d.status.value}", lang), badge=f"status-{d.status.value}")


def _how(d: DomainProgress, lang: Lang) -> str:
    if d.current is None:
        return word("none", lang)
    c = d.current
    return word(
        "how",
        lang,
        rule=label(f"rule.{c.rule}", lang),
        n=c.n_observations,
        a=c.n_assessors,
        date=_d(c.latest_date, lang),
    )


def _sufficiency(d: DomainProgress, lang: Lang) -> str:
    suf = d.sufficiency
    narr = word("narrative", lang) if suf.narrative else ""
    return word("evidence_cell", lang, n=suf.n_observations, a=suf.n_assessors, narr=narr)


def domains(analysis: ProgressAnalysis, lang: Lang) -> Section:
    """Status per RML domain: expected, current (and how), self, gap, status and why."""
    counts = ", ".join(
        f"{label(f'status.{s.value}', lang)}: {analysis.status_counts.get(s.value, 0)}"
        for s in ProgressStatus
    )
    rows: list[list[Cell | str]] = []
    for d in analysis.domains:
        gap = word("none", lang) if d.gap is None else f"{d.gap:+d}"
        rows.append(
            [
                Cell(
                    display_title(d.domain, lang),
                    cls="mlkit-unverified" if d.domain.status.value != "confirmed" else "",
                ),
                d.expected.label.get(lang) or d.expected.code if d.expected else word("none", lang),
                _point(analysis, d.current.value if d.current else None, lang),
                _how(d, lang),
                _sufficiency(d, lang),
                _point(analysis, d.self_level.value if d.self_level else None, lang),
                gap,
                _status_cell(d, lang),
                "; ".join(label(f"reason.{r.value}", lang) for r in d.reasons),
            ]
        )
    headers = [word(f"col.{k}", lang) for k in ("domain", "expected", "current", "how")]
    headers.append(word("col.evidence", lang, m=analysis.rules.recency_months))
    headers += [word(f"col.{k}", lang) for k in ("self", "gap", "status", "why")]
    return Section(
        "domains",
        [
            heading(word("h.domains", lang)),
            paragraph(counts, "mlkit-muted"),
            table(headers, rows, "mlkit-domains"),
            paragraph(word("self_only", lang), "mlkit-muted"),
        ],
    )


def radar(analysis: ProgressAnalysis, lang: Lang) -> Section:
    """The domain radar: self, others and expected level."""
    return Section(
        "radar",
        [
            heading(word("h.radar", lang)),
            figure(charts.domain_radar(analysis, lang), word("h.radar", lang)),
        ],
    )


def trajectories(analysis: ProgressAnalysis, lang: Lang) -> Section:
    """Level per domain over time with the expected band."""
    return Section(
        "trajectories",
        [
            heading(word("h.trajectories", lang)),
            figure(charts.domain_trajectories(analysis, lang), word("h.trajectories", lang)),
        ],
    )


def evidence(analysis: ProgressAnalysis, lang: Lang) -> Section:
    """Evidence required by the curriculum versus present, per year, with the coverage grid."""
    rows: list[list[Cell | str]] = [
        [
            str(e.year),
            e.description.get(lang) or e.instrument,
            str(e.required),
            str(e.present),
            Cell(label(f"evidence.{e.state.value}", lang), badge=f"evidence-{e.state.value}"),
        ]
        for e in analysis.evidence
    ]
    headers = [
        word(f"col.{k}", lang) for k in ("year", "requirement", "required", "present", "state")
    ]
    return Section(
        "evidence",
        [
            heading(word("h.evidence", lang)),
            table(headers, rows),
            figure(charts.evidence_coverage(analysis, lang), word("h.evidence", lang)),
        ],
    )


def msf(analysis: ProgressAnalysis, lang: Lang) -> Section:
    """MSF per respondent group; groups below the minimum are suppressed, with the reason."""
    blocks = [heading(word("h.msf", lang))]
    m = analysis.msf
    if m is None or not m.groups:
        return Section("msf", [*blocks, paragraph(word("msf.none", lang), "mlkit-muted")])
    rows: list[list[Cell | str]] = []
    for g in [*m.groups, *([m.overall] if m.overall else [])]:
        if g.suppressed:
            reason = label(
                g.reason or "msf.suppressed", lang, min=m.min_respondents, n=g.n_respondents
            )
            result = Cell(f"{label('msf.suppressed', lang)}: {reason}", cls="mlkit-muted")
        else:
            mean = g.overall_mean
            result = Cell(
                f"{label('msf.mean', lang)} {mean:.1f}" if mean is not None else word("none", lang)
            )
        rows.append([g.title.get(lang) or g.role, str(g.n_respondents), result])
    headers = [word(f"col.{k}", lang) for k in ("group", "respondents", "result")]
    return Section(
        "msf",
        [
            *blocks,
            table(headers, rows),
            figure(charts.msf_by_group(analysis, lang), word("h.msf", lang)),
        ],
    )


def talent(analysis: ProgressAnalysis, lang: Lang) -> Section:
    """Talent-track signals, enrolments and the activity timeline."""
    t = analysis.talent
    lines = [word("talent.ahead", lang, n=t.domains_ahead)]
    if t.consistently_ahead:
        lines.append(word("talent.candidate", lang))
    if t.interest:
        lines.append(word("talent.interest", lang, n=len(t.interest), kw=t.interest[0].keyword))
    if t.enrolments:
        lines.append(word("talent.enrolled", lang, tracks=", ".join(e.title for e in t.enrolments)))
    if not (t.consistently_ahead or t.interest or t.enrolments):
        lines.append(word("talent.none", lang))
    return Section(
        "talent",
        [
            heading(word("h.talent", lang)),
            bullets(lines),
            figure(charts.activity_timeline(analysis, lang), word("h.talent", lang)),
        ],
    )


def next_steps(analysis: ProgressAnalysis, lang: Lang) -> Section:
    """What to discuss next, derived from the statuses, the evidence and the talent signals."""

    def names(status: ProgressStatus) -> str:
        return ", ".join(
            display_title(d.domain, lang) for d in analysis.domains if d.status is status
        )

    steps = []
    if behind := names(ProgressStatus.BEHIND):
        steps.append(word("next.behind", lang, domains=behind))
    if missing := names(ProgressStatus.NOT_ENOUGH_EVIDENCE):
        steps.append(word("next.evidence", lang, domains=missing))
    open_items = [
        f"{e.description.get(lang) or e.instrument} ({e.present}/{e.required})"
        for e in analysis.evidence
        if e.year == analysis.training_year and e.state is not EvidenceState.MET
    ]
    if open_items:
        steps.append(word("next.missing", lang, items="; ".join(open_items)))
    if analysis.talent.consistently_ahead or analysis.talent.interest:
        steps.append(word("next.talent", lang))
    return Section(
        "next", [heading(word("h.next", lang)), bullets(steps or [word("next.none", lang)])]
    )


def appendix(inputs: ReportInputs, analysis: ProgressAnalysis, lang: Lang) -> Section:
    """Evidence rules, status markers and provenance."""
    from mlkit import __version__

    fws = ", ".join(
        f"{f.id} {f.version}" for f in sorted(inputs.frameworks.values(), key=lambda f: f.id)
    )
    return Section(
        "appendix",
        [
            heading(word("h.appendix", lang)),
            heading(word("h.rules", lang), 3),
            bullets(analysis.rules.describe(lang)),
            heading(word("h.markers", lang), 3),
            bullets(
                [
                    f"[niet geverifieerd] / [unverified]: {word('marker.unverified', lang)}",
                    f"[deels bevestigd] / [partly confirmed]: {word('marker.partial', lang)}",
                ]
            ),
            heading(word("h.provenance", lang), 3),
            facts(
                [
                    (word("prov.data", lang), inputs.data_sha256),
                    (word("prov.frameworks", lang), fws),
                    (word("curriculum", lang), f"{analysis.curriculum_id}"),
                    (word("prov.version", lang), __version__),
                ]
            ),
        ],
    )


def forms_overview(inputs: ReportInputs, lang: Lang) -> Section:
    """Number of forms per instrument, with date range and distinct assessors."""
    blocks = [heading(word("h.forms", lang))]
    forms = inputs.forms
    if forms.empty:
        return Section("forms", [*blocks, paragraph(word("forms.none", lang), "mlkit-muted")])
    rows: list[list[Cell | str]] = []
    for code, group in forms.groupby("instrument", sort=True):
        inst = inputs.instruments.get(str(code))
        dates = pd.to_datetime(group["date"])
        rows.append(
            [
                inst.title.get(lang) or str(code) if inst else str(code),
                str(len(group)),
                _d(dates.min().date(), lang),
                _d(dates.max().date(), lang),
                str(group["assessor"].nunique()),
            ]
        )
    headers = [
        word(f"col.{k}", lang) for k in ("instrument", "forms", "first", "last", "assessors")
    ]
    return Section("forms", [*blocks, table(headers, rows)])


def ordinal(analysis: ProgressAnalysis, lang: Lang) -> Section:
    """Ordinal ratings (entrustment and developmental levels): latest, mode, counts; no mean."""
    rows: list[list[Cell | str]] = []
    for d in analysis.domains:
        for s in d.supporting:
            top = next((p for p in reversed(s.points) if p.count), None)
            share = f"{top.share_at_or_above:.0%} ≥ {top.value}" if top else word("none", lang)
            rows.append(
                [
                    display_title(d.domain, lang),
                    f"{s.instrument}/{s.item}",
                    str(s.n),
                    str(s.latest) if s.latest is not None else word("none", lang),
                    str(s.mode) if s.mode is not None else word("none", lang),
                    share,
                ]
            )
    headers = [word(f"col.{k}", lang) for k in ("domain", "item", "n", "latest", "mode", "share")]
    return Section("ordinal", [heading(word("h.ordinal", lang)), table(headers, rows)])


def comments(inputs: ReportInputs, lang: Lang) -> Section:
    """The narrative comments of this aios, newest first, shortened where very long."""
    forms = inputs.forms
    has_text = forms["comment"].fillna("").astype(str).str.strip() != ""
    chosen = forms[has_text].sort_values("date", ascending=False)
    blocks = [heading(word("h.comments", lang))]
    if chosen.empty:
        return Section("comments", [*blocks, paragraph(word("comments.none", lang), "mlkit-muted")])
    rows: list[list[Cell | str]] = []
    for _, f in chosen.head(MAX_COMMENTS).iterrows():
        text = str(f["comment"])
        if len(text) > MAX_COMMENT_CHARS:
            text = text[:MAX_COMMENT_CHARS] + " " + word("comments.cut", lang)
        rows.append(
            [
                _d(pd.Timestamp(f["date"]).date(), lang),
                str(f["instrument"]),
                str(f["assessor_role"] or ""),
                Cell(text, cls="mlkit-comment"),
            ]
        )
    blocks.append(
        table([word(f"col.{k}", lang) for k in ("date", "instrument", "role", "comment")], rows)
    )
    if len(chosen) > MAX_COMMENTS:
        blocks.append(
            paragraph(word("comments.more", lang, n=len(chosen) - MAX_COMMENTS), "mlkit-muted")
        )
    return Section("comments", blocks)


def gap(analysis: ProgressAnalysis, lang: Lang) -> Section:
    """Self-image versus others per domain."""
    rows: list[list[Cell | str]] = [
        [
            display_title(d.domain, lang),
            _point(analysis, d.self_level.value if d.self_level else None, lang),
            _point(analysis, d.current.value if d.current else None, lang),
            word("none", lang) if d.gap is None else f"{d.gap:+d}",
        ]
        for d in analysis.domains
    ]
    headers = [
        word("col.domain", lang),
        word("col.self", lang),
        word("col.current", lang),
        word("col.gap", lang),
    ]
    return Section("gap", [heading(word("h.gap", lang)), table(headers, rows)])
