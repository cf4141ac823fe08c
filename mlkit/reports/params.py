"""One pydantic parameter model per report: the single source of truth.

The CLI options, the notebook's ``parameters`` cell and :func:`mlkit.reports.render_report` all
come from these models, and parameters are validated before any kernel starts, so a typo in a
parameter name is an error, not a warning.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mlkit.errors import MlkitError, Problem, ValidationProblemsError

ReportKind = Literal["progress", "summary", "reflection"]
AIOS_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$"


class ReportParameterError(ValidationProblemsError):
    """Report parameters are wrong: unknown name, wrong type or bad value."""


class ReportParams(BaseModel):
    """Parameters shared by every report notebook.

    Attributes:
        aios_id: The pseudonymous id of the aios the report is about.
        db: Path of the SQLite store; empty means ``$MLKIT_DB`` or ``./mlkit.db``.
        lang: Report language, ``nl`` (default) or ``en``.
        as_of: Reference date (ISO ``YYYY-MM-DD``); empty means today. Fix it for reproducibility.
        frameworks_dir: Optional directory of framework files overriding the bundled ones.
        curricula_dir: Optional directory of curriculum files overriding or extending the
            bundled ones (empty means ``$MLKIT_CURRICULA_PATH``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: ClassVar[ReportKind]
    template: ClassVar[str]

    aios_id: str = Field(pattern=AIOS_ID_PATTERN)  # required: no default id can leak
    db: str = ""
    lang: Literal["nl", "en"] = "nl"
    as_of: str = ""
    frameworks_dir: str = ""
    curricula_dir: str = ""

    @field_validator("as_of")
    @classmethod
    def _iso_date(cls, value: str) -> str:
        if value:
            date.fromisoformat(value)
        return value

    def store_path(self) -> Path:
        """Return the store path: ``db``, else ``$MLKIT_DB``, else ``./mlkit.db``."""
        from mlkit.store import default_db_path

        return Path(self.db) if self.db else default_db_path()

    def reference_date(self) -> date:
        """Return ``as_of`` as a date, or today when it is empty."""
        return date.fromisoformat(self.as_of) if self.as_of else date.today()

    def notebook_parameters(self) -> dict[str, Any]:
        """Return the values papermill injects into the notebook."""
        return self.model_dump()


class ProgressReportParams(ReportParams):
    """Parameters of ``notebooks/progress_report.ipynb``."""

    kind: ClassVar[ReportKind] = "progress"
    template: ClassVar[str] = "progress_report.ipynb"


class AssessmentSummaryParams(ReportParams):
    """Parameters of ``notebooks/assessment_summary.ipynb``."""

    kind: ClassVar[ReportKind] = "summary"
    template: ClassVar[str] = "assessment_summary.ipynb"


class SelfReflectionParams(ReportParams):
    """Parameters of ``notebooks/self_reflection.ipynb``."""

    kind: ClassVar[ReportKind] = "reflection"
    template: ClassVar[str] = "self_reflection.ipynb"


PARAM_MODELS: dict[str, type[ReportParams]] = {
    m.kind: m for m in (ProgressReportParams, AssessmentSummaryParams, SelfReflectionParams)
}


def params_for(kind: str, values: dict[str, Any]) -> ReportParams:
    """Validate ``values`` for report ``kind``; every problem is reported at once.

    Example:
        >>> params_for("progress", {"aios_id": "A0003", "db": "demo.db"}).lang
        'nl'

    Raises:
        ReportParameterError: for an unknown kind, an unknown parameter or a bad value.
    """
    model = PARAM_MODELS.get(kind)
    if model is None:
        raise ReportParameterError(
            "parameters",
            [Problem("kind", "bad_value", f"choose one of {sorted(PARAM_MODELS)}", kind)],
        )
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        problems = [
            Problem(
                ".".join(str(p) for p in err["loc"]) or "(parameters)",
                "unknown_parameter" if err["type"] == "extra_forbidden" else err["type"],
                err["msg"],
                None if err["type"] == "missing" else str(err.get("input")),
            )
            for err in exc.errors()
        ]
        raise ReportParameterError(f"{kind} report parameters", problems) from exc


def parameters_cell_source(model: type[ReportParams]) -> str:
    """Return the source of the notebook cell tagged ``parameters`` for ``model``.

    The committed notebooks are tested to hold exactly this cell, so the model stays the single
    source of truth.
    """
    lines = ["# Parameters (papermill injects the real values after this cell)."]
    for name, field in model.model_fields.items():
        default = "" if field.is_required() else field.default
        shown = json.dumps(default) if isinstance(default, str) else repr(default)
        lines.append(f"{name} = {shown}")
    return "\n".join(lines)


def safe_filename(aios_id: str) -> str:
    """Return a file-name stem built from an id that cannot escape a directory.

    Anything but letters, digits, ``-`` and ``_`` becomes ``_``; when that changed the id, a short
    hash keeps distinct ids distinct.
    """
    import hashlib

    cleaned = re.sub(r"[^A-Za-z0-9_\-]", "_", aios_id)[:64].strip("_") or "aios"
    if cleaned != aios_id:
        cleaned += "-" + hashlib.sha256(aios_id.encode("utf-8")).hexdigest()[:8]
    return cleaned


__all__ = [
    "PARAM_MODELS",
    "AssessmentSummaryParams",
    "MlkitError",
    "ProgressReportParams",
    "ReportParameterError",
    "ReportParams",
    "SelfReflectionParams",
    "parameters_cell_source",
    "params_for",
    "safe_filename",
]
