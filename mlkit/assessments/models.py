"""Pydantic models of assessment instruments, their scales, and curricula. Plain data, no I/O.

Scales are ordinal, categorical, numeric or narrative. ``allow_mean`` is False for every scale
whose points are not equally spaced quantities (EPA entrustment levels above all): analysis code
must never average such a scale; it reports the latest value, the mode or the share at or above a
level, with counts.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from mlkit.frameworks.models import Code, Status, Text

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
SCHEMA_INSTRUMENT: Final = "mlkit.instrument/1"
SCHEMA_CURRICULUM: Final = "mlkit.curriculum/1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class ScaleKind(StrEnum):
    """What kind of values a scale holds."""

    ORDINAL = "ordinal"
    CATEGORICAL = "categorical"
    NUMERIC = "numeric"
    NARRATIVE = "narrative"


class InstrumentKind(StrEnum):
    """How an instrument's records are shaped in the store."""

    FORM = "form"  # a dated form with item scores (KPB, MSF response, EPA, self-assessment, ...)
    ACTIVITY = "activity"  # a leadership activity or talent-track enrolment with dates
    REFLECTION = "reflection"  # a free-text reflection entry


class ScalePoint(_Model):
    """One point of an ordinal or categorical scale.

    ``level`` links a point to a leadership level (e.g. ``handreiking.frontline``) where the scale
    is developmental.
    """

    value: int
    code: Slug
    label: Text
    level: Code | None = None


class Scale(_Model):
    """A rating scale with Dutch and English labels."""

    code: Slug
    kind: ScaleKind
    title: Text
    points: tuple[ScalePoint, ...] = ()
    min: float | None = None
    max: float | None = None
    allow_mean: bool = False
    not_applicable: Text | None = None  # e.g. "kan niet beoordelen"; stored as a missing score
    source: str
    status: Status
    note: str | None = None

    @model_validator(mode="after")
    def _check_points(self) -> Scale:
        if self.kind in (ScaleKind.ORDINAL, ScaleKind.CATEGORICAL) and not self.points:
            raise ValueError(f"scale {self.code!r}: an {self.kind} scale needs points")
        if self.kind is ScaleKind.ORDINAL:
            values = [p.value for p in self.points]
            if values != sorted(set(values)):
                raise ValueError(f"scale {self.code!r}: point values must be strictly increasing")
        if self.kind is ScaleKind.NUMERIC and (self.min is None or self.max is None):
            raise ValueError(f"scale {self.code!r}: a numeric scale needs min and max")
        return self

    def values(self) -> list[int]:
        """Return the allowed point values of an ordinal or categorical scale."""
        return [p.value for p in self.points]

    def point(self, value: int) -> ScalePoint:
        """Return the point with ``value``.

        Raises:
            KeyError: if the scale has no such point.
        """
        for p in self.points:
            if p.value == value:
                return p
        raise KeyError(value)


class Item(_Model):
    """One item of an instrument: what is rated, on which scale, and what it evidences."""

    code: Slug
    title: Text
    scale: Slug
    evidences: tuple[Code, ...] = ()
    required: bool = False
    #: Expected scale value per opleidingsjaar (``{1: 2, 2: 3}``), so that a report can set a
    #: judgement against the year; empty when no expectation is given. Where it is a proposal, the
    #: instrument's note says so.
    required_level_by_year: dict[Annotated[int, Field(ge=1, le=10)], int] = Field(
        default_factory=dict
    )


class RespondentRole(_Model):
    """A respondent group of a multi-source instrument."""

    code: Slug
    title: Text


class Instrument(_Model):
    """An assessment instrument: a form with items, an activity log or a reflection."""

    schema_id: Literal["mlkit.instrument/1"] = Field(default=SCHEMA_INSTRUMENT, alias="schema")
    code: Slug
    kind: InstrumentKind
    title: Text
    description: Text = Text()
    scales: tuple[Scale, ...] = ()
    items: tuple[Item, ...] = ()
    self_assessment: bool = False
    respondent_roles: tuple[RespondentRole, ...] = ()
    min_respondents: int | None = Field(default=None, ge=1)
    narrative_fields: tuple[Slug, ...] = ()
    source: str
    status: Status
    note: str | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def scale(self, code: str) -> Scale:
        """Return this instrument's scale ``code``.

        Raises:
            KeyError: if the instrument defines no such scale.
        """
        for s in self.scales:
            if s.code == code:
                return s
        raise KeyError(code)

    def item(self, code: str) -> Item:
        """Return this instrument's item ``code``.

        Raises:
            KeyError: if the instrument has no such item.
        """
        for it in self.items:
            if it.code == code:
                return it
        raise KeyError(code)


class EvidenceRequirement(_Model):
    """Evidence the curriculum requires in a training year, e.g. 2 leadership KPBs."""

    instrument: Slug
    min_count: int = Field(ge=1)
    description: Text
    roles: tuple[str, ...] = Field(
        default=(),
        description="count only forms by assessors in these roles (e.g. the opleider's rating "
        "on the developmental scale); empty: the instrument's own rule",
    )


class YearExpectation(_Model):
    """What is expected in one training year.

    ``expected`` maps an RML domain code (or ``"*"`` for every domain) to the code of a point on
    the leadership developmental scale (``self_assessment`` instrument), e.g. ``frontline``.
    """

    year: int = Field(ge=1, le=7)
    expected: dict[str, Slug]
    required_evidence: tuple[EvidenceRequirement, ...] = ()


#: What a report prints once per page next to expectations, by the curriculum's status.
EXPECTATION_STATUS_TEXT: Final[dict[Status, Text]] = {
    Status.CONFIRMED: Text(nl="vastgestelde norm", en="adopted standard"),
    Status.PARTIAL: Text(
        nl="deels onderbouwd voorstel, geen landelijke norm",
        en="partly supported proposal, not a national standard",
    ),
    Status.UNVERIFIED: Text(
        nl="voorstel, geen landelijke norm", en="proposal, not a national standard"
    ),
}


class Curriculum(_Model):
    """Expected levels and required evidence per training year, default or per specialty.

    ``title`` holds the Dutch and English display names of the programme; ``aliases`` other names
    the programme's rosters use for it (old names, English names, abbreviations). A specialty name
    on a roster resolves through the id, the specialty code, both titles and the aliases (case,
    accents, spaces, ``_`` and ``-`` ignored); the default curriculum is reached only through its
    aliases. ``duration_years`` is the nominal full-time duration; ``duration_status`` and
    ``duration_source`` say whether a source confirms it, apart from the ``status`` of the
    expectations.
    """

    schema_id: Literal["mlkit.curriculum/1"] = Field(default=SCHEMA_CURRICULUM, alias="schema")
    id: Slug
    title: Text
    specialty: str | None = None  # None: the default curriculum
    extends: Slug | None = None  # an override names the curriculum it adjusts
    aliases: tuple[str, ...] = ()
    duration_years: float = Field(ge=1, le=7)
    duration_source: str | None = None
    duration_status: Status = Status.UNVERIFIED
    framework: str = "rml"
    scale: str = "self_assessment.leadership_development"
    years: tuple[YearExpectation, ...]
    source: str
    status: Status
    note: str | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @property
    def nominal_duration_months(self) -> int:
        """The nominal full-time duration in months (``duration_years`` x 12, rounded)."""
        return round(self.duration_years * 12)

    @property
    def expectation_status(self) -> Text:
        """What the expectations are, printed once per page ("voorstel, geen landelijke norm").

        Example:
            >>> curriculum_for("psychiatrie").expectation_status.nl
            'voorstel, geen landelijke norm'
        """
        return EXPECTATION_STATUS_TEXT[self.status]

    def display_name(self, lang: str = "nl") -> str:
        """The programme's display name in ``lang`` (falls back to the other language, the id)."""
        other = self.title.en if lang == "nl" else self.title.nl
        own = self.title.nl if lang == "nl" else self.title.en
        return own or other or self.id

    def year(self, number: int) -> YearExpectation:
        """Return the expectation for training year ``number`` (the last one beyond the end).

        Raises:
            KeyError: if the curriculum defines no years.
        """
        if not self.years:
            raise KeyError(number)
        ordered = sorted(self.years, key=lambda y: y.year)
        for y in ordered:
            if y.year == number:
                return y
        return ordered[-1] if number > ordered[-1].year else ordered[0]
