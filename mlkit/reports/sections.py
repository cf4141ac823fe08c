"""The sections of the progress report, built from an analysis.

Every visible word comes from :mod:`mlkit.catalogue`; domains, instruments, roles, items and
tracks are named for people (:mod:`mlkit.analysis.names`), never by their codes.
"""

from __future__ import annotations

from mlkit import charts
from mlkit.analysis import ProgressAnalysis, label
from mlkit.analysis.models import DomainProgress, EvidenceCheck, EvidenceState, ProgressStatus
from mlkit.analysis.names import (
    domain_name,
    instrument_name,
    join_names,
    role_name,
    specialty_name,
)
from mlkit.catalogue import Lang, long_date, number, plural, word
from mlkit.reports.blocks import Cell, Section, bullets, facts, figure, heading, paragraph, table
from mlkit.reports.first_page import not_assessable_line, notes, talent_lines
from mlkit.reports.inputs import ReportInputs
from mlkit.reports.proposal import rules_line


def point_label(analysis: ProgressAnalysis, value: int | None, lang: Lang) -> str:
    """The label of a developmental-scale value ("frontline"), or a dash."""
    if value is None:
        return word("none", lang)
    for p in analysis.scale_points:
        if p.value == value:
            return p.label.get(lang) or p.code
    return str(value)


def header(kind: str, inputs: ReportInputs, analysis: ProgressAnalysis, lang: Lang) -> Section:
    """Title and the facts about the aios and the reference date."""
    a = analysis
    cur = inputs.curriculum
    return Section(
        "header",
        [
            heading(word(f"title.{kind}", lang), 1),
            facts(
                [
                    (word("aios", lang), f"{a.display_name} ({a.aios_id})"),
                    (word("specialty", lang), specialty_name(a.specialty, lang)),
                    (word("hospital", lang), a.hospital or word("none", lang)),
                    (word("opleider", lang), a.opleider or word("none", lang)),
                    (word("start", lang), long_date(a.start_date, lang)),
                    (word("year", lang), str(a.training_year)),
                    (
                        word("expected_end", lang),
                        long_date(a.position.expected_end_date, lang) if a.position else "—",
                    ),
                    (word("as_of", lang), long_date(a.as_of, lang)),
                    (word("curriculum", lang), cur.title.get(lang) or cur.id),
                ]
            ),
        ],
    )


def _status_cell(d: DomainProgress, lang: Lang) -> Cell:
    return Cell(label(f"status.{d.status.value}", lang), badge=f"status-{d.status.value}")


def _how(inputs: ReportInputs, d: DomainProgress, lang: Lang) -> str:
    c = d.current
    if c is None:
        return word("none", lang)
    roles = join_names([role_name(inputs.instruments, r, lang) for r in c.assessor_roles], lang)
    return word(
        "how.single_level" if c.single_rating else "how.level",
        lang,
        rule=label(f"rule.{c.rule}", lang),
        roles=roles or word("none", lang),
        date=long_date(c.latest_date, lang),
        ratings=plural("count.ratings", c.n_observations, lang),
        assessors=plural("count.assessors", c.n_assessors, lang),
    )


def sufficiency_text(d: DomainProgress, lang: Lang) -> str:
    """Observations and assessors counted for a domain, with MSF rounds and activities."""
    s = d.sufficiency
    text = (
        f"{plural('count.observations', s.n_observations, lang)}, "
        f"{plural('count.assessors', s.n_assessors, lang)}"
    )
    text += word("narrative", lang) if s.narrative else ""
    parts = []
    if s.n_msf_rounds:
        rounds = plural("count.rounds", s.n_msf_rounds, lang)
        respondents = plural("count.respondents", s.n_msf_respondents, lang)
        parts.append(word("count.rounds_with", lang, rounds=rounds, respondents=respondents))
    if s.n_activities:
        parts.append(plural("count.activities", s.n_activities, lang))
    if parts:
        text += f"; {word('evidence.detail', lang, parts=join_names(parts, lang))}"
    return text


def _self_gap(analysis: ProgressAnalysis, d: DomainProgress, lang: Lang) -> str:
    own = point_label(analysis, d.self_level.value if d.self_level else None, lang)
    return own if d.gap is None else f"{own} ({d.gap:+d})"


def domains(inputs: ReportInputs, analysis: ProgressAnalysis, lang: Lang) -> Section:
    """Status per named RML domain: expected, current (and how), evidence, self, status, why."""
    rows: list[list[Cell | str]] = []
    for d in analysis.domains:
        if d.status is ProgressStatus.NOT_ASSESSABLE:
            continue
        rows.append(
            [
                domain_name(d.domain, lang),
                d.expected.label.get(lang) or d.expected.code if d.expected else word("none", lang),
                point_label(analysis, d.current.value if d.current else None, lang),
                _how(inputs, d, lang),
                sufficiency_text(d, lang),
                _self_gap(analysis, d, lang),
                _status_cell(d, lang),
                "; ".join(label(f"reason.{r.value}", lang) for r in d.reasons),
            ]
        )
    headers = [word(f"col.{k}", lang) for k in ("domain", "expected", "current", "how_level")]
    headers.append(word("col.evidence", lang, m=analysis.rules.recency_months))
    headers += [word(f"col.{k}", lang) for k in ("self_gap", "status", "why")]
    blocks = [heading(word("h.domains", lang)), table(headers, rows, "mlkit-domains")]
    if line := not_assessable_line(analysis, lang):
        blocks.append(paragraph(line, "mlkit-note"))
    blocks.append(paragraph(word("self_only", lang), "mlkit-note"))
    blocks += [paragraph(n, "mlkit-note") for n in notes(inputs, analysis, lang)]
    return Section("domains", blocks)


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


def evidence(inputs: ReportInputs, analysis: ProgressAnalysis, lang: Lang) -> Section:
    """Evidence required by the curriculum versus present, per requirement and training year.

    One row per requirement and a column per training year (present/required and the state),
    then the coverage grid (on screen only: the table says the same in print).
    """
    years = sorted({e.year for e in analysis.evidence})
    by_req: dict[str, dict[int, EvidenceCheck]] = {}
    for e in analysis.evidence:
        what = e.description.get(lang) or instrument_name(inputs.instruments, e.instrument, lang)
        by_req.setdefault(what, {})[e.year] = e
    rows: list[list[Cell | str]] = []
    for what, per_year in by_req.items():
        row: list[Cell | str] = [what]
        for y in years:
            check = per_year.get(y)
            if check is None:
                row.append(word("none", lang))
                continue
            state = label(f"evidence.{check.state.value}", lang)
            row.append(
                Cell(
                    f"{check.present}/{check.required} {state}",
                    badge=f"evidence-{check.state.value}",
                )
            )
        rows.append(row)
    headers = [word("col.requirement", lang)]
    headers += [word("cohort.year", lang, year=y) for y in years]
    blocks = [heading(word("h.evidence", lang))]
    if rows:
        blocks.append(table(headers, rows, "mlkit-evidence"))
        blocks.append(paragraph(word("evidence.legend", lang), "mlkit-note"))
    else:
        blocks.append(paragraph(label("empty.no_requirements", lang), "mlkit-muted"))
    fig = figure(charts.evidence_coverage(analysis, lang), word("h.evidence", lang))
    return Section("evidence", [*blocks, fig.screen_only()])


def msf(analysis: ProgressAnalysis, lang: Lang) -> Section:
    """MSF per respondent group; of a group below the minimum nothing is shown but its count."""
    blocks = [heading(word("h.msf", lang))]
    m = analysis.msf
    if m is None or not (m.groups or m.n_hidden_groups):
        return Section("msf", [*blocks, paragraph(word("msf.none", lang), "mlkit-muted")])
    rows: list[list[Cell | str]] = []
    for g in [*m.groups, *([m.overall] if m.overall else [])]:
        if g.suppressed:
            reason = label(
                g.reason or "msf.suppressed_reason", lang, min=m.min_respondents, n=g.n_respondents
            )
            result = Cell(f"{label('msf.suppressed', lang)}: {reason}", cls="mlkit-muted")
        elif g.overall_mean is not None:
            result = Cell(
                word("msf.mean_n", lang, mean=number(g.overall_mean, lang), n=g.n_respondents)
            )
        else:
            result = Cell(word("none", lang))
        rows.append([g.title.get(lang) or g.role, str(g.n_respondents), result])
    headers = [word(f"col.{k}", lang) for k in ("group", "respondents", "result")]
    blocks.append(table(headers, rows))
    if m.n_hidden_groups:
        hidden = plural("count.groups_hidden", m.n_hidden_groups, lang, min=m.min_respondents)
        blocks.append(paragraph(hidden, "mlkit-note"))
    blocks.append(figure(charts.msf_by_group(analysis, lang), word("h.msf", lang)))
    return Section("msf", blocks)


def talent(inputs: ReportInputs, analysis: ProgressAnalysis, lang: Lang) -> Section:
    """Talent-track signals, enrolments and the activity timeline."""
    blocks = [heading(word("h.talent", lang)), bullets(talent_lines(inputs, analysis, lang))]
    if analysis.activities:
        blocks.append(figure(charts.activity_timeline(analysis, lang), word("h.talent", lang)))
    return Section("talent", blocks)


def next_steps(inputs: ReportInputs, analysis: ProgressAnalysis, lang: Lang) -> Section:
    """What to discuss next, derived from the statuses, the evidence and the talent signals."""

    def names(status: ProgressStatus) -> str:
        found = [domain_name(d.domain, lang) for d in analysis.domains if d.status is status]
        return join_names(found, lang)

    steps = []
    if behind := names(ProgressStatus.BEHIND):
        steps.append(word("next.behind", lang, domains=behind))
    if missing := names(ProgressStatus.NOT_ENOUGH_EVIDENCE):
        steps.append(word("next.evidence", lang, domains=missing))
    open_items = [
        f"{e.description.get(lang) or instrument_name(inputs.instruments, e.instrument, lang)}"
        f" ({e.present}/{e.required})"
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


def rules_provenance(inputs: ReportInputs, lang: Lang) -> str:
    """The evidence rules a report applied: id, version, status, and who applied a calibration.

    It follows the heading of the rules in the appendix (the sidecar has it under
    ``provenance.evidence_rules``).
    """
    r = inputs.evidence_rules
    text = f"{r.label()}, {r.status.value}"
    if r.applied_by and r.applied_at is not None:
        when = long_date(r.applied_at.date(), lang)
        text += "; " + word("whatif.prov_applied", lang, who=r.applied_by, date=when)
    return text


def appendix(
    inputs: ReportInputs, analysis: ProgressAnalysis, lang: Lang, *, rules: bool = True
) -> Section:
    """Evidence rules, markers, the status of the expectations, and provenance.

    The assessment summary passes ``rules=False``: it judges nothing, so of the evidence rules
    it prints only the one it applies (suppression of small MSF groups).
    """
    from mlkit import __version__

    fws = ", ".join(
        f"{f.id} {f.version}" for f in sorted(inputs.frameworks.values(), key=lambda f: f.id)
    )
    cur = inputs.curriculum
    marked: dict[str, list[str]] = {}
    for d in analysis.domains:
        if d.domain.status.value != "confirmed" and d.status is not ProgressStatus.NOT_ASSESSABLE:
            marked.setdefault(d.domain.status.value, []).append(domain_name(d.domain, lang))
    marker_lines = [
        f"{label(f'marker.{status}', lang)}: {join_names(names, lang)}"
        for status, names in marked.items()
    ]
    return Section(
        "appendix",
        [
            heading(word("h.appendix", lang)),
            heading(f"{word('h.rules', lang)} ({rules_provenance(inputs, lang)})", 3),
            bullets(
                analysis.rules.describe(lang)
                if rules
                else [word("rules.msf_min", lang, n=analysis.rules.msf_min_respondents)]
            ),
            *([paragraph(rules_line(lang))] if rules else []),
            heading(word("h.markers", lang), 3),
            bullets(marker_lines or [word("none", lang)]),
            heading(word("h.expectations", lang), 3),
            paragraph(
                notes(inputs, analysis, lang)[0]
                if cur.status.value != "confirmed"
                else cur.title.get(lang) or cur.id
            ),
            heading(word("h.provenance", lang), 3),
            facts(
                [
                    (word("prov.data", lang), inputs.data_sha256),
                    (word("prov.frameworks", lang), fws),
                    (word("prov.curriculum", lang), f"{cur.id} ({cur.status.value})"),
                    (word("prov.version", lang), __version__),
                ]
            ),
        ],
    )
