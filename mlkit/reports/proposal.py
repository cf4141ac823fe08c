"""The proposed progress decision in a progress report, its rules and its key figures.

The proposal comes from :func:`mlkit.analysis.proposal.propose`; this module only puts it into
words: a short section after the first page, the rules in the appendix, the ``proposal`` key
figure in the sidecar (the committee overview reads it from there).
"""

from __future__ import annotations

from mlkit.analysis import ProgressAnalysis
from mlkit.analysis.proposal import propose, reason_lines, summarise_rules
from mlkit.assessments.decision_rules import load_decision_rules
from mlkit.catalogue import Lang, long_date, word
from mlkit.reports.blocks import Cell, Section, heading, paragraph, table
from mlkit.reports.inputs import ReportInputs
from mlkit.reports.sidecar import DecisionFigures, ProposalFigures


def _outcome(value: str, lang: Lang) -> str:
    return word(f"proposal.outcome.{value}", lang)


def proposal_section(inputs: ReportInputs, analysis: ProgressAnalysis, lang: Lang) -> Section:
    """The proposal, the facts of every rule that fired, and the rules' version, in one paragraph.

    Kept short: the progress report must still print on four A4 pages (the notebook shows it
    after the next steps for that reason); the rules themselves print in the appendix.
    """
    p = propose(analysis)
    reasons = reason_lines(p, analysis, lang)
    version = word(
        "proposal.version", lang, id=p.rules_id, version=p.rules_version, status=p.rules_status
    )
    because = "; ".join(reasons) if reasons else word("proposal.none", lang)
    line = word("proposal.line", lang, outcome=_outcome(p.outcome.value, lang))
    return Section(
        "proposal",
        [
            heading(word("h.proposal", lang)),
            paragraph(f"{line} {because}. {version}", f"mlkit-proposal-{p.outcome.value}"),
        ],
    )


def rules_line(lang: Lang) -> str:
    """The decision rules as one line of the appendix's list of rules (all of them, grouped)."""
    return summarise_rules(load_decision_rules(), lang)


def proposal_figures(analysis: ProgressAnalysis, lang: Lang) -> ProposalFigures:
    """The sidecar's ``proposal`` key figure: outcome, reasons and the rules' version."""
    p = propose(analysis)
    return ProposalFigures(
        outcome=p.outcome,
        rules=[r.id for r in p.fired],
        reasons=reason_lines(p, analysis, lang),
        rules_id=p.rules_id,
        rules_version=p.rules_version,
    )


def decisions_section(inputs: ReportInputs, analysis: ProgressAnalysis, lang: Lang) -> Section:
    """The committee's decisions about this aios, oldest first; corrected ones are marked."""
    rows: list[list[Cell | str]] = []
    for d in inputs.decisions:
        note = []
        if d.supersedes is not None:
            note.append(word("decisions.correction", lang, n=d.supersedes))
        if d.superseded:
            note.append(word("decisions.corrected", lang))
        rows.append(
            [
                f"{d.decision_id}",
                long_date(d.recorded_at.date(), lang),
                Cell(word(f"decision.besluit.{d.besluit.value}", lang), cls="mlkit-muted")
                if d.superseded
                else word(f"decision.besluit.{d.besluit.value}", lang),
                d.motivering,
                d.afspraken,
                long_date(d.next_evaluation, lang),
                d.recorded_by,
                "; ".join(note),
            ]
        )
    headers = [
        word(f"decisions.col.{k}", lang)
        for k in ("n", "date", "besluit", "motivering", "afspraken", "next", "by", "note")
    ]
    if not rows:  # no history yet: the section takes no room
        return Section("decisions", [])
    return Section("decisions", [heading(word("h.decisions", lang)), table(headers, rows)])


def decision_figures(inputs: ReportInputs) -> DecisionFigures | None:
    """The sidecar's ``latest_decision``: the newest decision still in force, or None."""
    current = [d for d in inputs.decisions if not d.superseded]
    if not current:
        return None
    d = current[-1]
    return DecisionFigures(
        decision_id=d.decision_id,
        besluit=d.besluit,
        recorded_at=d.recorded_at.replace(microsecond=0),
        recorded_by=d.recorded_by,
        next_evaluation=d.next_evaluation,
        n_decisions=len(inputs.decisions),
    )
