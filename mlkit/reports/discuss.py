"""Which aios a committee should discuss, and why, in one line per aios.

An aios is **to discuss** when the proposed decision is not *voldoende*, when one of their
reports failed, or when a decision is due (the latest decision's next evaluation date is on or
before the reference date). The one-line reason names the facts from the sidecar: a failed
report, domains behind, domains without enough evidence, evidence missing from earlier training
years, time past the nominal duration, a decision due. Those with a failed report or the
proposal *onvoldoende* come first, then *twijfel*, then those with only a decision due.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from mlkit.analysis.models import EvidenceState, FlagKind, ProgressStatus
from mlkit.assessments.decision_rules import Outcome
from mlkit.catalogue import Lang, long_date, plural, word
from mlkit.reports.sidecar import KeyFigures


@dataclass(frozen=True)
class Failure:
    """A report of this aios that failed, with the reason."""

    kind: str
    reason: str


@dataclass(frozen=True)
class Discussion:
    """Whether an aios is to discuss, the reasons (one phrase each) and the sort rank."""

    to_discuss: bool
    reasons: list[str] = field(default_factory=list)
    rank: int = 3

    def line(self) -> str:
        """The reasons as one line."""
        return "; ".join(self.reasons)


def _w(key: str, lang: Lang, **values: object) -> str:
    return word(f"overview.{key}", lang, **values)


def domain_label(figures: KeyFigures, code: str, lang: Lang) -> str:
    """A domain's name in ``lang`` as the report's framework gave it (the code if unknown)."""
    d = figures.domains.get(code)
    if d is None:
        return code
    return d.names.get(lang) or d.name or code


def decision_due(figures: KeyFigures) -> bool:
    """True when the latest decision's next evaluation date is on or before the reference date."""
    d = figures.latest_decision
    return d is not None and d.next_evaluation is not None and d.next_evaluation <= figures.as_of


#: Up to this many domains behind are named; more are given by their number in the legend.
NAMED_BEHIND = 2


def _fact_reasons(f: KeyFigures, lang: Lang, numbers: Mapping[str, int]) -> list[str]:
    reasons = []
    behind = [c for c, d in f.domains.items() if d.status is ProgressStatus.BEHIND]
    if 0 < len(behind) <= NAMED_BEHIND or (behind and not numbers):
        names = ", ".join(domain_label(f, c, lang) for c in behind)
        reasons.append(_w("why.behind", lang, names=names))
    elif behind:
        n = plural("overview.count.domains", len(behind), lang)
        which = ", ".join(str(numbers[c]) if c in numbers else c for c in behind)
        reasons.append(_w("why.behind_many", lang, n=n, numbers=which))
    insufficient = sum(d.status is ProgressStatus.NOT_ENOUGH_EVIDENCE for d in f.domains.values())
    if insufficient:
        n = plural("overview.count.domains", insufficient, lang)
        reasons.append(_w("why.insufficient", lang, n=n))
    missing = EvidenceState.MISSING
    years = sorted({e.year for e in f.evidence if e.state is missing and e.year < f.training_year})
    if years:
        reasons.append(_w("why.missing_earlier", lang, years=", ".join(map(str, years))))
    if FlagKind.PAST_NOMINAL_DURATION in f.flags:
        reasons.append(_w("why.past_duration", lang))
    return reasons


def discussion(
    figures: KeyFigures | None,
    failures: Sequence[Failure],
    lang: Lang = "nl",
    numbers: Mapping[str, int] | None = None,
) -> Discussion:
    """Decide whether an aios is to discuss and say why (see the module docstring).

    ``numbers`` are the domains' numbers in the page's legend: more than :data:`NAMED_BEHIND`
    domains behind are given by number, so the reason stays one line.
    """
    reasons = [_w("why.failed", lang, kind=kind_name(x.kind, lang)) for x in failures]
    if figures is None:
        return Discussion(bool(failures), reasons, 0 if failures else 3)
    outcome = figures.proposal.outcome if figures.proposal else None
    due = decision_due(figures)
    flagged = outcome in (Outcome.ONVOLDOENDE, Outcome.TWIJFEL)
    if flagged:
        facts = _fact_reasons(figures, lang, numbers or {})
        # a proposal resting on a judgement only (e.g. the latest voortgangsgesprek) says so
        reasons += facts or (figures.proposal.reasons[:1] if figures.proposal else [])
    if due and figures.latest_decision is not None:
        when = long_date(figures.latest_decision.next_evaluation, lang)
        reasons.append(_w("why.decision_due", lang, date=when))
    if failures or outcome is Outcome.ONVOLDOENDE:
        rank = 0
    elif flagged:
        rank = 1
    elif due:
        rank = 2
    else:
        rank = 3
    return Discussion(rank < 3, reasons, rank)


def kind_name(kind: str, lang: Lang) -> str:
    """A report kind for people ("voortgang"); a custom kind by its own name."""
    try:
        return word(f"kind.{kind}", lang)
    except KeyError:
        return kind
