"""The status of one domain from its evidence counts: one rule, shared by the analysis and what-if.

:func:`analyse_progress <mlkit.analysis.progress.analyse_progress>` counts the evidence of a
domain with pandas and :func:`judge` turns the counts into the reasons and the status; the
committee's what-if (:mod:`mlkit.meeting.whatif`) counts the same evidence under other rules
and calls the same function, so both can only differ in counting, which the tests compare.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlkit.analysis.models import ProgressStatus, Reason
from mlkit.analysis.rules import EvidenceRules


@dataclass(frozen=True)
class EvidenceCounts:
    """What the status of a domain rests on.

    Attributes:
        loaded: The domain has a name and text (an empty slot is not assessable).
        n_others: Ratings by others than the aios, at any time.
        n_self: Self-assessment rows.
        n_recent: Rows by others inside the recency window.
        n_observations: Distinct observations inside the window.
        n_assessors: Distinct assessors inside the window.
        narrative: An observation inside the window carries a comment.
        current: The current level (value on the developmental scale), or None.
        expected: The expected level, or None.
    """

    loaded: bool
    n_others: int
    n_self: int
    n_recent: int
    n_observations: int
    n_assessors: int
    narrative: bool
    current: int | None
    expected: int | None


def judge(c: EvidenceCounts, rules: EvidenceRules) -> tuple[ProgressStatus, list[Reason]]:
    """Return the status of a domain and the reasons it has not enough evidence (if any)."""
    reasons: list[Reason] = []
    if not c.loaded:
        reasons.append(Reason.DOMAIN_NOT_LOADED)
    elif c.n_others == 0:
        reasons.append(Reason.ONLY_SELF_ASSESSMENT if c.n_self else Reason.NO_EVIDENCE)
    else:
        if c.n_recent == 0:
            reasons.append(Reason.NO_RECENT_EVIDENCE)
        if c.n_observations < rules.min_observations:
            reasons.append(Reason.TOO_FEW_OBSERVATIONS)
        if c.n_assessors < rules.min_assessors:
            reasons.append(Reason.TOO_FEW_ASSESSORS)
        if rules.require_narrative and not c.narrative:
            reasons.append(Reason.NO_NARRATIVE)
        if c.current is None:
            reasons.append(Reason.NO_LEVEL_RATING)
    if c.expected is None and c.loaded:
        reasons.append(Reason.NO_EXPECTATION)

    status = ProgressStatus.NOT_ENOUGH_EVIDENCE
    if not c.loaded:
        status = ProgressStatus.NOT_ASSESSABLE
    elif not reasons and c.current is not None and c.expected is not None:
        if c.current > c.expected:
            status = ProgressStatus.AHEAD
        elif c.current == c.expected:
            status = ProgressStatus.ON_TRACK
        else:
            status = ProgressStatus.BEHIND
    return status, reasons


__all__ = ["EvidenceCounts", "judge"]
