"""The JSON sidecar of a report as typed models: written by the kernel, read by everyone else.

A report notebook emits a :class:`KernelSidecar` (title, key figures, the provenance of its
data); :func:`mlkit.reports.render.write_outputs` validates it and writes a
:class:`ReportSidecar` next to the notebook and HTML, adding the run's provenance. The overview,
``index.html``, the batch manifest and the committee cards read the file back through
:meth:`ReportSidecar.model_validate`; a sidecar that does not validate is a failed report with
the reason (:func:`read_sidecar`), never a ``KeyError``.

Key figures that carry mlkit's schema id (or, for sidecars written before the id existed, the
keys ``domains`` and ``status_counts`` of mlkit's report) are validated as :class:`KeyFigures`;
the figures of a custom template (``mlkit batch --templates``) are kept as the template wrote
them.

Example:
    >>> sidecar = read_sidecar(Path("reports/A0001_progress.json"))  # doctest: +SKIP
    >>> sidecar.figures.domains["rml.d02"].status  # doctest: +SKIP
    <ProgressStatus.BEHIND: 'behind'>
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Final, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    JsonValue,
    Tag,
    ValidationError,
)

from mlkit.analysis.models import EvidenceState, FlagKind, ProgressStatus, Reason
from mlkit.assessments.decision_rules import Outcome
from mlkit.errors import MlkitError
from mlkit.meeting.decisions import Besluit

KEY_FIGURES_SCHEMA: Final = "mlkit.key-figures/1"


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, serialize_by_alias=True
    )


class DomainFigures(_Model):
    """One RML domain of one aios: status, levels and the evidence behind them."""

    name: str
    names: dict[str, str] = {}  # the framework's name per language (nl, en), with the mark
    status: ProgressStatus
    expected: int | None = None
    current: int | None = None
    self_level: int | None = Field(default=None, alias="self")
    gap: int | None = None
    n_observations: int = 0
    n_assessors: int = 0
    reasons: list[Reason] = []


class EvidenceFigures(_Model):
    """One curriculum requirement in one training year."""

    year: int
    instrument: str
    required: int
    present: int
    state: EvidenceState


class MsfGroupFigures(_Model):
    """One MSF respondent group."""

    n: int
    mean: float | None


class MsfFigures(_Model):
    """The latest MSF round."""

    respondents: int
    groups: dict[str, MsfGroupFigures]
    hidden_groups: int


class TalentFigures(_Model):
    """Talent-track signals."""

    consistently_ahead: bool
    interest: int
    enrolments: list[str]


class JudgementFigures(_Model):
    """A voortgangsgesprek or geschiktheidsbeoordeling: date and ratings per item."""

    date: date
    ratings: dict[str, int]


class ProposalFigures(_Model):
    """The proposed progress decision, the rules that fired and their version."""

    outcome: Outcome
    rules: list[str]
    reasons: list[str]
    rules_id: str
    rules_version: str


class DecisionFigures(_Model):
    """The committee's latest decision still in force."""

    decision_id: int
    besluit: Besluit
    recorded_at: datetime
    recorded_by: str
    next_evaluation: date | None = None
    n_decisions: int


class KeyFigures(_Model):
    """The figures of one aios a committee or script reads from mlkit's progress/summary report."""

    schema_id: Literal["mlkit.key-figures/1"] = Field(default=KEY_FIGURES_SCHEMA, alias="schema")
    aios_id: str
    display_name: str = ""
    specialty: str | None = None
    hospital: str | None = None
    training_year: int
    as_of: date
    status_counts: dict[ProgressStatus, int]
    domains: dict[str, DomainFigures]
    evidence: list[EvidenceFigures]
    msf: MsfFigures | None = None
    talent: TalentFigures
    judgements: dict[str, JudgementFigures | None] = {}
    newest_evidence: date | None = None
    flags: dict[FlagKind, dict[str, str | int]] = {}
    proposal: ProposalFigures | None = None
    latest_decision: DecisionFigures | None = None
    n_forms: int = 0
    n_reflections: int = 0


def _figures_kind(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, KeyFigures):
        return "mlkit"
    if isinstance(value, dict) and (
        "schema" in value or ("domains" in value and "status_counts" in value)
    ):
        return "mlkit"
    return "custom"


Figures = Annotated[
    Annotated[KeyFigures, Tag("mlkit")] | Annotated[dict[str, JsonValue], Tag("custom")],
    Discriminator(_figures_kind),
]


class Provenance(BaseModel):
    """What a report was made from (kernel part) and how it was run (written by ``render``).

    Custom templates may add keys of their own; they are kept.
    """

    model_config = ConfigDict(extra="allow", frozen=True)

    data_sha256: str | None = None
    frameworks: dict[str, str] = {}
    curriculum: dict[str, str] | None = None
    instruments: list[str] = []
    evidence_rules: dict[str, JsonValue] | None = None
    as_of: date | None = None
    parameters: dict[str, JsonValue] = {}
    template: str | None = None
    template_sha256: str | None = None
    mlkit_version: str | None = None
    rendered_at: str | None = None
    outputs_sha256: dict[str, str] = {}


class KernelSidecar(_Model):
    """The payload a report notebook emits (``Report.emit_sidecar``)."""

    title: str = ""
    key_figures: Figures | None = None
    provenance: Provenance = Provenance()


class ReportSidecar(_Model):
    """The JSON sidecar file of one report (``<aios>_<kind>.json``)."""

    report: str
    ok: bool
    error: str | None = None
    key_figures: Figures | None = None
    provenance: Provenance = Provenance()

    @property
    def figures(self) -> KeyFigures | None:
        """The key figures of mlkit's report, or None (failed, or a custom template's figures)."""
        return self.key_figures if isinstance(self.key_figures, KeyFigures) else None

    @property
    def aios_id(self) -> str:
        """The aios the report is about (from the figures, else the recorded parameters)."""
        if self.figures is not None:
            return self.figures.aios_id
        return str(self.provenance.parameters.get("aios_id") or "?")

    def to_json(self) -> str:
        """The file's text: indented JSON, non-ASCII kept, one trailing newline."""
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def validation_reason(exc: ValidationError, limit: int = 3) -> str:
    """Return a short, one-line reason for a validation error (the first ``limit`` problems)."""
    parts = []
    for err in exc.errors()[:limit]:
        where = ".".join(str(p) for p in err["loc"]) or "(top)"
        parts.append(f"{where}: {err['msg']}")
    more = len(exc.errors()) - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


class SidecarReadError(MlkitError, ValueError):
    """A sidecar file could not be read or does not validate (carries the reason)."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.reason))


def read_sidecar(path: Path) -> ReportSidecar:
    """Read and validate the sidecar file at ``path``.

    Raises:
        SidecarReadError: when the file is missing, not JSON or does not validate; the
            reason names the file and the first problems.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SidecarReadError(path.name, f"cannot read: {exc.strerror or exc}") from exc
    try:
        return ReportSidecar.model_validate(json.loads(text))
    except ValueError as exc:  # JSONDecodeError and ValidationError are ValueErrors
        why = validation_reason(exc) if isinstance(exc, ValidationError) else f"not JSON: {exc}"
        raise SidecarReadError(path.name, f"sidecar does not validate: {why}") from exc
