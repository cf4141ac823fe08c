"""The part of a progress report an opleider reads first, and the aios' own reflections.

:func:`at_a_glance` states, in a few lines: the domains per status by name, missing evidence from
earlier training years, the latest voortgangsoordeel with its afspraken, the latest
geschiktheidsbesluit, talent signals and data-quality flags. The rules behind each line live in
:mod:`mlkit.analysis` and print in the appendix.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from mlkit.analysis import ProgressAnalysis
from mlkit.analysis.judgements import months_between
from mlkit.analysis.models import EvidenceState, Judgement, ProgressStatus
from mlkit.analysis.names import MARK, domain_name, instrument_name, join_names
from mlkit.catalogue import Lang, long_date, plural, word
from mlkit.frameworks.models import Status as CurriculumStatus
from mlkit.reports.blocks import Cell, Section, bullets, heading, paragraph, table
from mlkit.reports.inputs import ReportInputs

MAX_REFLECTIONS = 12
MAX_REFLECTION_CHARS = 1500

_ORDER = (
    ProgressStatus.BEHIND,
    ProgressStatus.NOT_ENOUGH_EVIDENCE,
    ProgressStatus.ON_TRACK,
    ProgressStatus.AHEAD,
)


def status_lines(analysis: ProgressAnalysis, lang: Lang) -> list[str]:
    """One line per status that occurs: the status, how many domains, and their names."""
    lines = []
    for status in _ORDER:
        names = [domain_name(d.domain, lang) for d in analysis.domains if d.status is status]
        if names:
            lines.append(
                word(
                    "summary.status_line",
                    lang,
                    status=word(f"status.{status.value}", lang).capitalize(),
                    count=plural("count.domains", len(names), lang),
                    domains=join_names(names, lang),
                )
            )
    return lines + ([line] if (line := not_assessable_line(analysis, lang)) else [])


def not_assessable_line(analysis: ProgressAnalysis, lang: Lang) -> str:
    """One sentence naming the domains that are not loaded ("" when every domain is)."""
    unloaded = [
        domain_name(d.domain, lang)
        for d in analysis.domains
        if d.status is ProgressStatus.NOT_ASSESSABLE
    ]
    if not unloaded:
        return ""
    return word("not_assessable.line", lang, domains=join_names(unloaded, lang))


def missing_earlier(inputs: ReportInputs, analysis: ProgressAnalysis, lang: Lang) -> str:
    """Evidence a past training year required and did not get, as one sentence."""
    items = [
        word(
            "summary.missing_item",
            lang,
            year=e.year,
            what=e.description.get(lang) or instrument_name(inputs.instruments, e.instrument, lang),
            present=e.present,
            required=e.required,
        )
        for e in analysis.evidence
        if e.state is EvidenceState.MISSING and e.year < analysis.training_year
    ]
    if not items:
        return word("summary.missing_earlier_none", lang)
    return word("summary.missing_earlier", lang, items="; ".join(items))


def judgement_lines(j: Judgement | None, key: str, lang: Lang) -> list[str]:
    """The latest judgement of one kind: date and ratings, then the afspraken."""
    if j is None:
        return [word(f"summary.{key}_none", lang)]
    ratings = "; ".join(f"{r.title.get(lang)}: {r.label.get(lang)}" for r in j.ratings)
    lines = [word(f"summary.{key}", lang, date=long_date(j.date, lang), ratings=ratings)]
    if j.agreements:
        lines.append(word("summary.agreements", lang, text=j.agreements))
    return lines


def flag_lines(analysis: ProgressAnalysis, lang: Lang) -> list[str]:
    """The data-quality flags and the age of the newest evidence."""
    lines = [
        word(f"flag.{f.kind.value}", lang, **_flag_values(f.values, lang)) for f in analysis.flags
    ]
    newest = analysis.newest_evidence
    if newest is None:
        lines.append(word("summary.evidence_age_none", lang))
    else:
        age = plural("count.months", months_between(newest, analysis.as_of), lang)
        lines.append(word("summary.evidence_age", lang, date=long_date(newest, lang), age=age))
    return lines


def _flag_values(values: dict[str, str | int], lang: Lang) -> dict[str, str | int]:
    out = dict(values)
    if isinstance(out.get("end"), str):
        out["end"] = long_date(date.fromisoformat(str(out["end"])), lang)
    if lang == "nl" and isinstance(out.get("nominal"), str):
        out["nominal"] = str(out["nominal"]).replace(".", ",")
    return out


def talent_lines(inputs: ReportInputs, analysis: ProgressAnalysis, lang: Lang) -> list[str]:
    """Talent-track signals as sentences (shared with the talent section)."""
    from mlkit.analysis.names import track_name

    t = analysis.talent
    lines = []
    if t.domains_ahead:
        lines.append(
            word(
                "talent.ahead_n",
                lang,
                domains=plural("count.domains", t.domains_ahead, lang),
            )
        )
    if t.consistently_ahead:
        lines.append(word("talent.candidate", lang))
    if t.interest:
        lines.append(word("talent.interest", lang, n=len(t.interest), kw=t.interest[0].keyword))
    if t.enrolments:
        tracks = [
            f"{track_name(inputs.frameworks, e.track, lang)} ({long_date(e.start_date, lang)})"
            for e in t.enrolments
        ]
        lines.append(word("talent.enrolled", lang, tracks=join_names(tracks, lang)))
    if not (t.consistently_ahead or t.interest or t.enrolments):
        lines.append(word("summary.talent_none", lang))
    return lines


def expectation_note(inputs: ReportInputs, lang: Lang) -> str:
    """The status of the expectations, once per page; empty when they are confirmed."""
    cur = inputs.curriculum
    if cur.status is CurriculumStatus.CONFIRMED:
        return ""
    return word("expectation.note", lang, curriculum=cur.title.get(lang) or cur.id)


def notes(inputs: ReportInputs, analysis: ProgressAnalysis, lang: Lang) -> list[str]:
    """The footnotes of a page that shows domains and expectations."""
    out = [n for n in (expectation_note(inputs, lang),) if n]
    if any(domain_name(d.domain, lang).endswith(MARK) for d in analysis.domains):
        out.append(word("mark.note", lang))
    return out


def at_a_glance(inputs: ReportInputs, analysis: ProgressAnalysis, lang: Lang) -> Section:
    """The summary at the top of the progress report."""
    blocks = [
        heading(word("h.status_summary", lang)),
        bullets(status_lines(analysis, lang)),
        paragraph(missing_earlier(inputs, analysis, lang)),
        heading(word("h.judgements", lang), 3),
        bullets(
            judgement_lines(analysis.latest_progress_meeting, "meeting", lang)
            + judgement_lines(analysis.latest_suitability, "suitability", lang)
        ),
        heading(word("h.talent", lang), 3),
        bullets(talent_lines(inputs, analysis, lang)),
        heading(word("h.flags", lang), 3),
        bullets(flag_lines(analysis, lang)),
    ]
    blocks += [paragraph(n, "mlkit-note") for n in notes(inputs, analysis, lang)]
    return Section("at_a_glance", blocks)


def reflections(inputs: ReportInputs, analysis: ProgressAnalysis, lang: Lang) -> Section:
    """The aios' own reflections, newest first (dated on or before the reference date)."""
    blocks = [heading(word("h.reflections", lang))]
    frame = inputs.reflections
    if len(frame):
        dates = pd.to_datetime(frame["date"])
        frame = frame[dates <= pd.Timestamp(analysis.as_of)]
        frame = frame.assign(_d=pd.to_datetime(frame["date"])).sort_values("_d", ascending=False)
    if frame.empty:
        return Section("reflections", [*blocks, paragraph(word("reflections.none", lang))])
    domains = {d.code: d.domain for d in analysis.domains}
    rows: list[list[Cell | str]] = []
    for r in frame.head(MAX_REFLECTIONS).to_dict("records"):
        code = str(r["domain"] or "").strip()
        name = domain_name(domains[code], lang) if code in domains else word("none", lang)
        text = str(r["text"] or "")
        if len(text) > MAX_REFLECTION_CHARS:
            text = text[:MAX_REFLECTION_CHARS] + " " + word("comments.cut", lang)
        rows.append([long_date(r["_d"].date(), lang), name, Cell(text, cls="mlkit-comment")])
    blocks.append(table([word(f"col.{k}", lang) for k in ("date", "domain", "reflection")], rows))
    if len(frame) > MAX_REFLECTIONS:
        blocks.append(
            paragraph(plural("count.reflections_more", len(frame) - MAX_REFLECTIONS, lang))
        )
    return Section("reflections", blocks)
