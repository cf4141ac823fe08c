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
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

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


def _store_default(value: object) -> object:
    """``None`` means ``$MLKIT_DB``, else ``./mlkit.db``; the path is made absolute."""
    from mlkit.store import default_db_path

    if value is None or value == "":
        return default_db_path().resolve()
    return Path(str(value)).resolve() if isinstance(value, str | Path) else value


def _date_default(value: object) -> object:
    """``None`` means today; text is read by :func:`parse_as_of` (ISO or ``dd-mm-jjjj``)."""
    if value is None or value == "":
        return date.today()
    if isinstance(value, str):
        return parse_as_of(value)
    return value


def _dir_default(value: object) -> object:
    """``None`` (or empty text) means the bundled files only; a directory is made absolute."""
    if value is None or value == "":
        return None
    return Path(str(value)).resolve() if isinstance(value, str | Path) else value


StorePath = Annotated[Path, BeforeValidator(_store_default)]
"""The store: ``None`` resolves to ``$MLKIT_DB`` or ``./mlkit.db``, once, at validation."""
ReferenceDate = Annotated[date, BeforeValidator(_date_default)]
"""The reference date: ``None`` resolves to today, once, at validation."""
OptionalDir = Annotated[Path | None, BeforeValidator(_dir_default)]


class ReportParams(BaseModel):
    """Parameters shared by every report notebook.

    The defaults are resolved once, when the model is validated: after that ``db`` is an
    absolute path and ``as_of`` a date, so no consumer works a default out again. Papermill
    carries the parameters into the kernel as JSON values (:meth:`notebook_parameters`) and the
    notebook validates them through this same model.

    Attributes:
        aios_id: The pseudonymous id of the aios the report is about (the importer's rule,
            :data:`mlkit.ids.AiosId`).
        db: The SQLite store; ``None`` means ``$MLKIT_DB`` or ``./mlkit.db``.
        lang: Report language, ``nl`` (default) or ``en``.
        as_of: Reference date (a date, ``YYYY-MM-DD`` or ``dd-mm-jjjj``); ``None`` means today.
            Fix it for reproducibility.
        frameworks_dir: Optional directory of framework files overriding the bundled ones.
        curricula_dir: Optional directory of curriculum files overriding or extending the
            bundled ones (``None`` means ``$MLKIT_CURRICULA_PATH``).
        expected_data_sha256: Filled in by the host that checked the store (not a CLI option):
            the hash of the aios' data it saw. The kernel refuses to show other data, so a
            report never carries the hash of one state of the store and shows another.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: ClassVar[ReportKind]
    template: ClassVar[str]
    HOST_FIELDS: ClassVar[frozenset[str]] = frozenset({"expected_data_sha256"})
    """Fields the host fills in; they have no command-line option."""
    OPTION_NAMES: ClassVar[dict[str, str]] = {
        "aios_id": "AIOS_ID",
        "frameworks_dir": "--frameworks",
        "curricula_dir": "--curricula",
    }
    """Options whose name is not the field's name with ``-`` for ``_`` (``AIOS_ID``: argument)."""

    aios_id: AiosId  # required: no default id can leak; the importer's rule (mlkit.ids)
    db: StorePath = Field(default=None, validate_default=True)
    lang: Literal["nl", "en"] = "nl"
    as_of: ReferenceDate = Field(default=None, validate_default=True)
    frameworks_dir: OptionalDir = None
    curricula_dir: OptionalDir = None
    expected_data_sha256: str | None = None

    @classmethod
    def option_name(cls, field: str) -> str:
        """Return the command-line option of ``field`` in ``mlkit report`` and ``mlkit reflect``."""
        return cls.OPTION_NAMES.get(field, "--" + field.replace("_", "-"))

    def store_path(self) -> Path:
        """Return the store path (``db``, resolved at validation)."""
        return self.db

    def reference_date(self) -> date:
        """Return the reference date (``as_of``, resolved at validation)."""
        return self.as_of

    def with_data_hash(self, data_sha256: str) -> Self:
        """Return these parameters with the data hash the host saw in the store."""
        return self.model_copy(update={"expected_data_sha256": data_sha256})

    def notebook_parameters(self) -> dict[str, Any]:
        """Return the values papermill injects into the notebook: text, or None.

        The notebook validates them through this model again, which gives back equal values.
        """
        return self.model_dump(mode="json")


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
    "OptionalDir",
    "ProgressReportParams",
    "ReferenceDate",
    "ReportParameterError",
    "ReportParams",
    "SelfReflectionParams",
    "StorePath",
    "normalise_as_of",
    "parameters_cell_source",
    "params_for",
    "parse_as_of",
    "safe_filename",
]
