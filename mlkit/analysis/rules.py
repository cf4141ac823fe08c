"""The explicit rules that decide whether there is enough evidence to judge a domain.

A committee should be able to read, in the report's appendix, exactly when mlkit says "not
enough evidence". :class:`EvidenceRules` holds those rules as plain data and
:meth:`EvidenceRules.describe` writes them out in Dutch or English.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

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
        msf_min_respondents: Smallest MSF respondent group shown when the instrument sets none.
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
            >>> EvidenceRules().describe("en")[0]
            'At least 3 observations by assessors other than the aios in the last 12 months.'
        """
        narrative = self.require_narrative
        if lang == "nl":
            rule = {
                "latest": "het laatste oordeel",
                "mode": "het vaakst gegeven oordeel (modus)",
            }[self.level_rule]
            return [
                f"Minimaal {self.min_observations} observaties door anderen dan de aios in de "
                f"afgelopen {self.recency_months} maanden.",
                f"Minimaal {self.min_assessors} verschillende beoordelaars.",
                "Minimaal één observatie met een schriftelijke toelichting."
                if narrative
                else "Een schriftelijke toelichting is niet vereist.",
                "Zelfbeoordelingen worden getoond maar tellen niet als bewijs; met alleen "
                "zelfbeoordelingen is de status 'onvoldoende bewijs'.",
                f"Het huidige niveau is {rule} van opleider of beoordelaars op de "
                "ontwikkelschaal; bij gelijke stand telt het lagere niveau.",
                "Bekwaamheidsniveaus (entrustment) worden nooit gemiddeld: getoond worden het "
                "laatste niveau, de modus en het aandeel op of boven elk niveau, met aantallen.",
                f"360-graden-feedback per respondentgroep wordt pas getoond vanaf het minimum "
                f"aantal respondenten van het instrument (standaard {self.msf_min_respondents}).",
            ]
        rule = {"latest": "the latest judgement", "mode": "the most frequent judgement (mode)"}[
            self.level_rule
        ]
        return [
            f"At least {self.min_observations} observations by assessors other than the aios "
            f"in the last {self.recency_months} months.",
            f"At least {self.min_assessors} distinct assessors.",
            "At least one observation with a narrative comment."
            if narrative
            else "A narrative comment is not required.",
            "Self-assessments are shown but do not count as evidence; with self-assessments "
            "only, the status is 'not enough evidence'.",
            f"The current level is {rule} of the trainer or assessors on the developmental "
            "scale; ties go to the lower level.",
            "Entrustment levels are never averaged: the latest level, the mode and the share at "
            "or above each level are shown, with counts.",
            f"Multi-source feedback per respondent group is shown only from the instrument's "
            f"minimum number of respondents (default {self.msf_min_respondents}).",
        ]
