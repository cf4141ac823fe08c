"""The result of a progress analysis: plain, JSON-serialisable pydantic data.

:class:`ProgressAnalysis` is what :func:`mlkit.analysis.analyse_progress` returns, what the charts
draw and what a report writes as its JSON sidecar (``analysis.model_dump_json()``).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from mlkit.analysis.rules import EvidenceRules, LevelRule
from mlkit.assessments.position import TrainingPosition
from mlkit.frameworks.models import Domain, Text

SCHEMA_PROGRESS: Final = "mlkit.progress/1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProgressStatus(StrEnum):
    """Where an aios stands in a domain against the curriculum's expectation."""

    AHEAD = "ahead"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NOT_ENOUGH_EVIDENCE = "not_enough_evidence"
    NOT_ASSESSABLE = "not_assessable"  # the domain's name and text are not loaded (empty slot)


class Reason(StrEnum):
    """Why a domain is ``not_enough_evidence`` (label key ``reason.<value>``)."""

    NO_EVIDENCE = "no_evidence"
    ONLY_SELF_ASSESSMENT = "only_self_assessment"
    TOO_FEW_OBSERVATIONS = "too_few_observations"
    TOO_FEW_ASSESSORS = "too_few_assessors"
    NO_RECENT_EVIDENCE = "no_recent_evidence"
    NO_NARRATIVE = "no_narrative"
    NO_LEVEL_RATING = "no_level_rating"
    NO_EXPECTATION = "no_expectation"
    DOMAIN_NOT_LOADED = "domain_not_loaded"


class EvidenceState(StrEnum):
    """Whether a curriculum evidence requirement for one year is fulfilled."""

    MET = "met"
    MISSING = "missing"  # the year is over and too little was recorded
    OPEN = "open"  # the current year, not yet fulfilled


class LevelPoint(_Model):
    """A point of the developmental scale (value, code, label)."""

    value: int
    code: str
    label: Text


class PointCount(_Model):
    """How often one point of an ordinal scale was given, and the share at or above it."""

    value: int
    code: str
    count: int
    share_at_or_above: float


class OrdinalSummary(_Model):
    """Ordinal ratings summarised without a mean: latest, mode, counts and cumulative shares.

    ``latest`` is the lowest value given on the most recent date; ``mode`` breaks ties low.
    """

    instrument: str
    item: str
    scale: str
    n: int
    latest: int | None
    latest_date: date | None
    mode: int | None
    points: list[PointCount]


class LevelObservation(_Model):
    """One rating mapped onto the developmental scale, for trajectories."""

    date: date
    value: int
    instrument: str
    item: str
    assessor_role: str
    is_self: bool


class LevelEstimate(_Model):
    """A level on the developmental scale and how it was reached."""

    value: int
    code: str
    rule: LevelRule
    n_observations: int
    n_assessors: int
    latest_date: date
    distribution: list[PointCount]
    assessor_roles: list[str] = []

    @property
    def single_rating(self) -> bool:
        """True when the level rests on one rating only."""
        return self.n_observations == 1


class Sufficiency(_Model):
    """The evidence counted for a domain under :class:`EvidenceRules`.

    ``n_observations`` counts observation sources: one form, one MSF round (however many
    respondents) or one leadership activity. ``n_assessors`` counts named assessors plus, per MSF
    round, each respondent group that reaches the minimum number of respondents.
    """

    window_start: date
    n_observations: int
    n_assessors: int
    latest_date: date | None
    narrative: bool
    n_self: int
    n_msf_rounds: int = 0
    n_msf_respondents: int = 0
    n_activities: int = 0


class DomainProgress(_Model):
    """Progress in one RML domain."""

    code: str
    domain: Domain
    expected: LevelPoint | None
    current: LevelEstimate | None
    self_level: LevelEstimate | None
    gap: int | None = Field(
        description="self level minus the assessors' level; positive: rates self higher"
    )
    status: ProgressStatus
    reasons: list[Reason]
    sufficiency: Sufficiency
    supporting: list[OrdinalSummary]
    observations: list[LevelObservation]


class EvidenceCheck(_Model):
    """One curriculum evidence requirement in one training year, against what is present."""

    year: int
    instrument: str
    description: Text
    required: int
    present: int
    state: EvidenceState
    year_start: date
    year_end: date


class MsfItemSummary(_Model):
    """One MSF item within one respondent group."""

    item: str
    title: Text
    n: int
    suppressed: bool = False  # fewer answers than the minimum number of respondents
    mean: float | None = None  # only for scales that allow a mean
    summary: OrdinalSummary | None = None


class MsfGroup(_Model):
    """One MSF respondent group; suppressed groups carry no scores."""

    role: str
    title: Text
    n_respondents: int
    suppressed: bool
    reason: str | None = None  # label key, formatted with min and n
    items: list[MsfItemSummary] = []
    overall_mean: float | None = None


class MsfSummary(_Model):
    """MSF responses within the recency window, aggregated per respondent group.

    Only groups that reach the minimum are listed; of a smaller group nothing is kept (no role,
    score, comment or date), only how many such groups there were (``n_hidden_groups``).
    """

    instrument: str
    min_respondents: int
    window_start: date
    n_respondents: int
    groups: list[MsfGroup]
    overall: MsfGroup | None
    n_hidden_groups: int = 0


class Enrolment(_Model):
    """An enrolment in a talent track (an activity with a ``track``)."""

    track: str
    title: str
    start_date: date | None
    end_date: date | None
    active: bool


class ActivityEntry(_Model):
    """A leadership activity, for the timeline."""

    activity_id: str
    activity_type: str
    title: str
    start_date: date | None
    end_date: date | None
    track: str | None
    domains: list[str]


class InterestSignal(_Model):
    """A reflection or activity in which the aios states interest in leadership."""

    source: Literal["reflection", "activity"]
    ref: str
    date: date | None
    keyword: str


class TalentSignals(_Model):
    """Signals that an aios may fit a talent track."""

    domains_ahead: int
    domains_behind: int
    consistently_ahead: bool
    interest: list[InterestSignal]
    enrolments: list[Enrolment]


class JudgementRating(_Model):
    """One rated item of a judgement form (e.g. "voortgang algemeen: op schema")."""

    item: str
    title: Text
    value: int
    label: Text


class Judgement(_Model):
    """The latest voortgangsoordeel or geschiktheidsbesluit: what the opleider decided, when."""

    instrument: str
    title: Text
    form_id: str
    date: date
    assessor_role: str
    ratings: list[JudgementRating]
    comment: str | None = None
    agreements: str | None = None  # afspraken, split off the comment after "Afspraken:"


class FlagKind(StrEnum):
    """Data-quality flags on the first page of a progress report (label key ``flag.<value>``)."""

    PAST_NOMINAL_DURATION = "past_nominal_duration"
    PART_TIME = "part_time"
    STALE_EVIDENCE = "stale_evidence"
    SINGLE_RATING = "single_rating"


class Flag(_Model):
    """A data-quality flag with the facts behind it (label placeholders)."""

    kind: FlagKind
    values: dict[str, str | int] = {}


class YearLevels(_Model):
    """The expected developmental level per domain in one training year."""

    year: int
    start: date
    end: date
    expected: dict[str, int]


class ProgressAnalysis(_Model):
    """Progress of one aios on medical leadership, at ``as_of``.

    Serialise with ``model_dump_json()``; load back with ``model_validate_json()``.
    """

    schema_id: Literal["mlkit.progress/1"] = Field(default=SCHEMA_PROGRESS, alias="schema")
    aios_id: str
    display_name: str
    specialty: str | None
    hospital: str | None
    opleider: str | None
    start_date: date
    as_of: date
    training_year: int
    training_year_overridden: bool
    position: TrainingPosition | None = None
    expectation_status: Text | None = None
    curriculum_id: str
    scale: str
    scale_points: list[LevelPoint]
    rules: EvidenceRules
    domains: list[DomainProgress]
    status_counts: dict[str, int]
    expected_by_year: list[YearLevels]
    evidence: list[EvidenceCheck]
    msf: MsfSummary | None
    talent: TalentSignals
    activities: list[ActivityEntry]
    notes: list[str]
    latest_progress_meeting: Judgement | None = None
    latest_suitability: Judgement | None = None
    newest_evidence: date | None = None
    flags: list[Flag] = []

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def domain(self, code: str) -> DomainProgress:
        """Return the progress in domain ``code``.

        Raises:
            KeyError: if the analysis has no such domain.
        """
        for d in self.domains:
            if d.code == code:
                return d
        raise KeyError(code)
