"""The explicit rules that decide whether there is enough evidence to judge a domain.

A committee should be able to read, in the report's appendix, exactly when mlkit says "not
enough evidence". :class:`EvidenceRules` holds those rules as plain data and
:meth:`EvidenceRules.describe` writes them out in Dutch or English.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from mlkit.catalogue import word
from mlkit.frameworks.models import Lang

LevelRule = Literal["latest", "mode"]

DEFAULT_INTEREST_KEYWORDS: tuple[str, ...] = (
    "talent",
    "leiderschap",
    "leadership",
    "bestuur",
    "management",
    "manager",
)


class EvidenceRules(BaseModel):
    """When evidence for a domain is sufficient to give a status, and how a level is chosen.

    Only observations by someone other than the aios count (self-assessments are shown, never
    counted). An observation is one form (a KPB, an EPA, an opleider rating, one MSF response)
    with at least one scored item that evidences the domain, dated inside the recency window
    ``(as_of - recency_months, as_of]``.

    Attributes:
        min_observations: Observations needed inside the recency window.
        min_assessors: Distinct assessors needed among those observations.
        recency_months: Length of the recency window in months.
        require_narrative: Whether at least one counted observation must carry a comment.
        level_rule: How the current level is chosen from the assessors' ratings on the
            developmental scale: ``"latest"`` (the most recent judgement) or ``"mode"`` (the most
            frequent in the window). Ties go to the lower level.
        self_roles: ``assessor_role`` values that mark a self-assessment.
        msf_min_respondents: Smallest MSF respondent group that shows and counts; an
            instrument's own ``min_respondents`` is never lowered by it, only raised.
        talent_min_domains_ahead: Domains "ahead" (and none "behind") that signal talent.
        stale_after_months: Flag a report whose newest evidence is at least this many months
            old.
        interest_keywords: Words in a reflection or activity that signal stated interest in
            leadership (case-insensitive substring match).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_observations: int = Field(default=3, ge=1)
    min_assessors: int = Field(default=2, ge=1)
    recency_months: int = Field(default=12, ge=1)
    require_narrative: bool = True
    level_rule: LevelRule = "latest"
    self_roles: tuple[str, ...] = ("aios",)
    msf_min_respondents: int = Field(default=3, ge=1)
    talent_min_domains_ahead: int = Field(default=3, ge=1)
    stale_after_months: int = Field(default=6, ge=1)
    interest_keywords: tuple[str, ...] = DEFAULT_INTEREST_KEYWORDS

    def describe(self, lang: Lang = "nl") -> list[str]:
        """Return the rules as sentences for a report appendix.

        Args:
            lang: ``"nl"`` (default) or ``"en"``.

        Example:
            >>> EvidenceRules().describe("en")[1][:30]
            'At least 2 distinct assessors:'
        """
        rule = word(f"rules.rule.{self.level_rule}", lang)
        narrative = (
            "rules.narrative_required" if self.require_narrative else "rules.narrative_optional"
        )
        return [
            word("rules.min_observations", lang, n=self.min_observations, m=self.recency_months),
            word("rules.min_assessors", lang, n=self.min_assessors),
            word(narrative, lang),
            word("rules.msf_sufficient", lang),
            word("rules.activities", lang),
            word("rules.self", lang),
            word("rules.level", lang, rule=rule),
            word("rules.entrustment", lang),
            word("rules.msf_min", lang, n=self.msf_min_respondents),
            word("rules.unloaded", lang),
            word("rules.stale", lang, n=self.stale_after_months),
            word("rules.summary", lang),
        ]
