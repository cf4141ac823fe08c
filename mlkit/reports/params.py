"""One pydantic parameter model per report: the single source of truth.

The CLI options, the notebook's ``parameters`` cell and :func:`mlkit.reports.render_report` all
come from these models, and parameters are validated before any kernel starts, so a typo in a
parameter name is an error, not a warning.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from mlkit.errors import MlkitError, Problem, ValidationProblemsError
from mlkit.ids import AIOS_ID_PATTERN, AiosId

ReportKind = Literal["progress", "summary", "reflection"]


class ReportParameterError(ValidationProblemsError):
    """Report parameters are wrong: unknown name, wrong type or bad value."""


class AsOfError(MlkitError, ValueError):
    """A reference date (``--as-of``) that is not a real date in an accepted format."""

    def __init__(self, value: str) -> None:
        self.value = value
        super().__init__(
            f"--as-of: {value!r} is not a date; use YYYY-MM-DD or dd-mm-jjjj (e.g. 2025-06-30 "
            "or 30-06-2025)"
        )

    def __reduce__(self) -> tuple[type[AsOfError], tuple[str]]:
        return type(self), (self.value,)


_AS_OF_FORMATS = ("%Y-%m-%d", "%d-%m-%Y")


def parse_as_of(text: str) -> date:
    """Parse a reference date given as ISO ``YYYY-MM-DD`` or Dutch ``dd-mm-jjjj``.

    The one parser behind ``--as-of`` of ``mlkit report``, ``mlkit reflect`` and ``mlkit batch``.

    Example:
        >>> parse_as_of("30-06-2025") == parse_as_of("2025-06-30")
        True

    Raises:
        AsOfError: when ``text`` is neither (or names a day that does not exist).
    """
    cleaned = text.strip()
    for fmt in _AS_OF_FORMATS:
        try:
            parsed = datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
        if parsed.year >= 1000:  # strptime accepts "24-06-30" as the year 24
            return parsed
    raise AsOfError(text)


def normalise_as_of(text: str) -> str:
    """Return a reference date as ISO text; empty stays empty (today)."""
    return parse_as_of(text).isoformat() if text.strip() else ""


class ReportParams(BaseModel):
    """Parameters shared by every report notebook.

    Attributes:
        aios_id: The pseudonymous id of the aios the report is about.
        db: Path of the SQLite store; empty means ``$MLKIT_DB`` or ``./mlkit.db``.
        lang: Report language, ``nl`` (default) or ``en``.
        as_of: Reference date (``YYYY-MM-DD`` or ``dd-mm-jjjj``, stored as ISO); empty means
            today. Fix it for reproducibility.
        frameworks_dir: Optional directory of framework files overriding the bundled ones.
        curricula_dir: Optional directory of curriculum files overriding or extending the
            bundled ones (empty means ``$MLKIT_CURRICULA_PATH``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: ClassVar[ReportKind]
    template: ClassVar[str]

    aios_id: AiosId  # required: no default id can leak; the importer's rule (mlkit.ids)
    db: str = ""
    lang: Literal["nl", "en"] = "nl"
    as_of: str = ""
    frameworks_dir: str = ""
    curricula_dir: str = ""

    @field_validator("as_of")
    @classmethod
    def _iso_date(cls, value: str) -> str:
        return normalise_as_of(value)

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


_PLAIN = re.compile(r"[A-Za-z0-9\-]")
_ESCAPES = {"_": "_u", ".": "_d"}
_MAX_STEM = 96


def safe_filename(aios_id: str) -> str:
    """Return a file-name stem built from an id: it cannot escape a directory, and is injective.

    Letters, digits and ``-`` (not first) stay; ``_`` becomes ``_u``, ``.`` becomes ``_d`` and
    any other character ``_x`` plus six hex digits of its code point. The encoding can be read
    back, so two ids never share a name (``A.1`` -> ``A_d1``, ``A_1`` -> ``A_u1``). An empty id,
    or one whose encoding would be longer than 96 characters, becomes ``_h`` plus its full
    SHA-256 (``_h`` cannot occur in an encoded id).

    Example:
        >>> safe_filename("A0001"), safe_filename("../x")
        ('A0001', '_d_d_x00002fx')
    """
    import hashlib

    encoded = "".join(
        c if _PLAIN.fullmatch(c) and (i or c != "-") else _ESCAPES.get(c, f"_x{ord(c):06x}")
        for i, c in enumerate(aios_id)
    )
    if not encoded or len(encoded) > _MAX_STEM:
        return "_h" + hashlib.sha256(aios_id.encode("utf-8", "surrogatepass")).hexdigest()
    return encoded


__all__ = [
    "AIOS_ID_PATTERN",
    "PARAM_MODELS",
    "AsOfError",
    "AssessmentSummaryParams",
    "MlkitError",
    "ProgressReportParams",
    "ReportParameterError",
    "ReportParams",
    "SelfReflectionParams",
    "normalise_as_of",
    "parameters_cell_source",
    "params_for",
    "parse_as_of",
    "safe_filename",
]
