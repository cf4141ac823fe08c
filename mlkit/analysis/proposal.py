"""The proposed progress decision for one aios, derived from explicit, versioned rules.

:func:`propose` gathers the facts a committee weighs — domains behind, domains without enough
evidence, evidence missing from earlier training years, time past the nominal duration, the
latest voortgangsoordeel and geschiktheidsbesluit — from a :class:`ProgressAnalysis` and applies
the :class:`~mlkit.assessments.decision_rules.DecisionRules`: every rule whose condition holds
fires, and the proposal is the most serious outcome among them (the rules' default when none
fires). The committee decides; the proposal only prepares the discussion.

Example:
    >>> proposal = propose(analysis)  # doctest: +SKIP
    >>> proposal.outcome, [r.id for r in proposal.fired]  # doctest: +SKIP
    (<Outcome.TWIJFEL: 'twijfel'>, ['behind_some'])
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from mlkit.analysis.models import EvidenceCheck, EvidenceState, Judgement, ProgressAnalysis
from mlkit.analysis.models import ProgressStatus as S
from mlkit.analysis.names import domain_name, join_names
from mlkit.assessments.decision_rules import (
    Condition,
    DecisionRule,
    DecisionRules,
    Outcome,
    load_decision_rules,
)
from mlkit.catalogue import Lang, long_date, plural, word


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProposalFacts(_Model):
    """The facts behind a proposal, read from one progress analysis."""

    behind: tuple[str, ...]
    insufficient: tuple[str, ...]
    missing_earlier: tuple[EvidenceCheck, ...]
    past_nominal_duration: bool
    progress_meeting: Judgement | None
    suitability: Judgement | None


class Proposal(_Model):
    """A proposed decision: the outcome, the rules that fired, the facts, the rules' version."""

    outcome: Outcome
    fired: tuple[DecisionRule, ...]
    facts: ProposalFacts
    rules_id: str
    rules_version: str
    rules_status: str


def facts_of(analysis: ProgressAnalysis) -> ProposalFacts:
    """Collect the facts the decision rules look at."""
    position = analysis.position
    return ProposalFacts(
        behind=tuple(d.code for d in analysis.domains if d.status is S.BEHIND),
        insufficient=tuple(d.code for d in analysis.domains if d.status is S.NOT_ENOUGH_EVIDENCE),
        missing_earlier=tuple(
            e
            for e in analysis.evidence
            if e.state is EvidenceState.MISSING and e.year < analysis.training_year
        ),
        past_nominal_duration=bool(position and position.past_nominal_duration),
        progress_meeting=analysis.latest_progress_meeting,
        suitability=analysis.latest_suitability,
    )


def _rating(j: Judgement | None, item: str) -> int | None:
    if j is None:
        return None
    return next((r.value for r in j.ratings if r.item == item), None)


def holds(condition: Condition, facts: ProposalFacts) -> bool:
    """True when every field given in ``condition`` holds for ``facts``."""
    c = condition
    checks = [
        c.min_behind is None or len(facts.behind) >= c.min_behind,
        c.min_insufficient is None or len(facts.insufficient) >= c.min_insufficient,
        c.min_missing_earlier is None or len(facts.missing_earlier) >= c.min_missing_earlier,
        c.past_nominal_duration is None or facts.past_nominal_duration is c.past_nominal_duration,
    ]
    if c.judgement is not None and c.item is not None:
        j = facts.progress_meeting if c.judgement == "progress_meeting" else facts.suitability
        checks.append(_rating(j, c.item) in c.values)
    return all(checks)


def propose(analysis: ProgressAnalysis, rules: DecisionRules | None = None) -> Proposal:
    """Derive the proposed decision for one aios from ``rules`` (default: the bundled rules)."""
    rules = rules or load_decision_rules()
    facts = facts_of(analysis)
    fired = tuple(r for r in rules.rules if holds(r.when, facts))
    outcome = max((r.outcome for r in fired), key=lambda o: o.severity, default=rules.default)
    return Proposal(
        outcome=outcome,
        fired=fired,
        facts=facts,
        rules_id=rules.id,
        rules_version=rules.version,
        rules_status=rules.status.value,
    )


def describe_condition(condition: Condition, lang: Lang = "nl") -> str:
    """Return a condition as words, e.g. "at least 3 domains behind"."""
    c = condition
    parts = []
    if c.min_behind is not None:
        parts.append(word("proposal.cond.min_behind", lang, n=c.min_behind))
    if c.min_insufficient is not None:
        parts.append(word("proposal.cond.min_insufficient", lang, n=c.min_insufficient))
    if c.min_missing_earlier is not None:
        parts.append(word("proposal.cond.min_missing_earlier", lang, n=c.min_missing_earlier))
    if c.past_nominal_duration is not None:
        key = "past" if c.past_nominal_duration else "not_past"
        parts.append(word(f"proposal.cond.{key}", lang))
    if c.judgement is not None:
        values = ", ".join(str(v) for v in c.values)
        parts.append(word(f"proposal.cond.{c.judgement}", lang, item=c.item or "", values=values))
    return join_names(parts, lang)


def describe_rules(rules: DecisionRules, lang: Lang = "nl") -> list[str]:
    """Return the rules as sentences for a report appendix (one per rule, then the default)."""
    lines = [
        word(
            "proposal.rule_line",
            lang,
            id=r.id,
            when=describe_condition(r.when, lang),
            outcome=word(f"proposal.outcome.{r.outcome.value}", lang),
        )
        for r in rules.rules
    ]
    lines.append(
        word("proposal.rule_default", lang, outcome=word(f"proposal.outcome.{rules.default}", lang))
    )
    return lines


def summarise_rules(rules: DecisionRules, lang: Lang = "nl") -> str:
    """Return every rule in one sentence, grouped by outcome (short enough for a printed page).

    Example:
        >>> summarise_rules(load_decision_rules(), "en")[:31]
        'Proposal (rules default 2026.1,'
    """
    parts = []
    for outcome in sorted({r.outcome for r in rules.rules}, key=lambda o: -o.severity):
        conditions = [describe_condition(r.when, lang) for r in rules.rules if r.outcome is outcome]
        parts.append(
            word(
                "proposal.summary_part",
                lang,
                outcome=word(f"proposal.outcome.{outcome.value}", lang),
                when=word("or", lang).join(conditions),
            )
        )
    return word(
        "proposal.summary",
        lang,
        id=rules.id,
        version=rules.version,
        status=rules.status.value,
        parts="; ".join(parts),
        default=word(f"proposal.outcome.{rules.default.value}", lang),
    )


def reason_lines(
    proposal: Proposal, analysis: ProgressAnalysis, lang: Lang = "nl", *, names: bool = True
) -> list[str]:
    """One sentence per rule that fired, naming the facts behind it (domains, years, dates).

    A rule whose outcome is lighter than the proposal's ends with its own outcome. With
    ``names=False`` domains are counted, not named (where the names stand just above).
    """
    facts = proposal.facts
    titles = {d.code: domain_name(d.domain, lang) for d in analysis.domains}

    def domains(codes: tuple[str, ...]) -> str:
        if not names:
            return plural("count.domains", len(codes), lang)
        return join_names([titles.get(c, c) for c in codes], lang)

    lines = []
    for rule in proposal.fired:
        c = rule.when
        details = []
        if c.min_behind is not None:
            details.append(word("proposal.fact.behind", lang, domains=domains(facts.behind)))
        if c.min_insufficient is not None:
            details.append(
                word(
                    "proposal.fact.insufficient",
                    lang,
                    domains=domains(facts.insufficient),
                )
            )
        if c.min_missing_earlier is not None:
            years = sorted({e.year for e in facts.missing_earlier})
            details.append(
                word("proposal.fact.missing_earlier", lang, years=", ".join(map(str, years)))
            )
        if c.past_nominal_duration:
            details.append(word("proposal.fact.past", lang))
        if c.judgement is not None:
            j = facts.progress_meeting if c.judgement == "progress_meeting" else facts.suitability
            rating = next((r for r in j.ratings if r.item == c.item), None) if j else None
            if j is not None and rating is not None:
                details.append(
                    word(
                        f"proposal.fact.{c.judgement}",
                        lang,
                        label=rating.label.get(lang) or str(rating.value),
                        date=long_date(j.date, lang),
                    )
                )
        line = "; ".join(details)
        if rule.outcome is not proposal.outcome:  # a lighter rule that also fired
            line += f" → {word(f'proposal.outcome.{rule.outcome.value}', lang)}"
        lines.append(line)
    return lines


__all__ = [
    "Proposal",
    "ProposalFacts",
    "describe_condition",
    "describe_rules",
    "facts_of",
    "holds",
    "propose",
    "reason_lines",
    "summarise_rules",
]
