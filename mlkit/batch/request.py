"""What a batch is asked to do: one validated :class:`BatchRequest` instead of a long signature.

The model is the single source of truth for ``mlkit batch``: every field is an option of the
command (named by :meth:`BatchRequest.option_name`) except the library-only settings in
:attr:`BatchRequest.LIBRARY_ONLY`, and a test keeps the two in step. Every bad value becomes one
:class:`~mlkit.batch.errors.BatchOptionError` (or :class:`~mlkit.reports.params.AsOfError`)
naming the option, before the store is read or a kernel starts.

Example:
    >>> request = BatchRequest(db=Path("demo.db"), out=Path("reports"), kinds="progress")
    >>> request.kinds
    ('progress',)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mlkit.batch.errors import BatchOptionError, OutputDirError
from mlkit.errors import MlkitError
from mlkit.reports.params import PARAM_MODELS, OptionalDir, ReferenceDate, StorePath

DEFAULT_KINDS = ("progress", "summary")


def _default_warmup() -> str:
    from mlkit.batch.kernel_pool import DEFAULT_WARMUP

    return DEFAULT_WARMUP


class BatchRequest(BaseModel):
    """The options of one batch run, validated and with every default resolved once.

    Attributes:
        db: The store the notebooks read; ``None`` means ``$MLKIT_DB`` or ``./mlkit.db``.
        out: Output directory: per report ``<aios>_<kind>.ipynb/.html/.json``, plus
            ``manifest.json`` and ``index.html``.
        kinds: Report kinds (keys of :data:`mlkit.reports.params.PARAM_MODELS`); text is split
            on commas, blanks and repeats are dropped.
        specialty: Only aios of this specialty (for :func:`~mlkit.batch.select.select_aios`).
        year: Only aios in this training year on ``as_of``.
        lang: Report language.
        as_of: Reference date; ``None`` means today, fixed once for the whole batch.
        frameworks_dir: Optional framework directory passed to the notebooks.
        curricula_dir: Optional curriculum directory passed to the notebooks.
        workers: Number of warm kernels (local executor).
        executor: ``local`` or ``dask://HOST:PORT`` (see :mod:`mlkit.batch.dask_executor`).
        restart_every: Restart a kernel after this many reports (0: never). Templates that
            differ from the bundled ones get a fresh kernel per report whatever this says,
            unless ``trust_templates`` is set.
        cell_timeout: Seconds a cell may run.
        template_dir: Directory with the template notebooks (default: the bundled ones).
        trust_templates: Keep kernels warm for custom templates too.
        lock_wait: Seconds to wait for another batch writing into ``out`` (0: refuse).
        force: Render again even when the manifest shows a report is up to date.
        pdf: Also write ``packet.pdf``, the committee packet (see :mod:`mlkit.batch.packet_step`).
        kernel_name: Kernel spec of the warm kernels (library only).
        warmup: Code each kernel runs once after start, the heavy imports (library only).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    OPTION_NAMES: ClassVar[dict[str, str]] = {
        "kinds": "--kind",
        "frameworks_dir": "--frameworks",
        "curricula_dir": "--curricula",
        "cell_timeout": "--timeout",
        "template_dir": "--templates",
        "lock_wait": "--wait",
    }
    """Options whose name is not the field's name with ``-`` for ``_``."""
    LIBRARY_ONLY: ClassVar[frozenset[str]] = frozenset({"kernel_name", "warmup"})
    """Fields that have no command-line option."""

    db: StorePath = Field(default=None, validate_default=True)
    out: Path = Path("reports")
    kinds: tuple[str, ...] = DEFAULT_KINDS
    specialty: str | None = None
    year: int | None = None
    lang: Literal["nl", "en"] = "nl"
    as_of: ReferenceDate = Field(default=None, validate_default=True)
    frameworks_dir: OptionalDir = None
    curricula_dir: OptionalDir = None
    workers: int = 2
    executor: str = "local"
    restart_every: int = Field(default=50, ge=0)
    cell_timeout: int = Field(default=600, ge=1)
    template_dir: Path | None = None
    trust_templates: bool = False
    lock_wait: float = Field(default=0.0, ge=0)
    force: bool = False
    pdf: bool = False
    kernel_name: str = "python3"
    warmup: str = Field(default_factory=_default_warmup)

    def __init__(self, **values: Any) -> None:
        """Validate the options; the first bad one is raised as an error naming its option.

        Raises:
            BatchOptionError: for an unknown kind or language, a bad executor or count.
            AsOfError: for a reference date that is not a date.
            OutputDirError: when ``out`` exists and is not a directory.
            PacketError: with ``pdf``, when WeasyPrint or its system libraries are missing.
        """
        try:
            super().__init__(**values)
            return
        except ValidationError as exc:
            error = _option_error(exc)
        # Raised outside the handler: the validator's own error would otherwise get the
        # ValidationError (whose context is that very error) as its context, a cycle that
        # pickling with the exception chain (tblib, as Dask installs it) cannot end.
        raise error

    @classmethod
    def option_name(cls, field: str) -> str:
        """Return the command-line option of ``field``, e.g. ``--timeout`` for cell_timeout."""
        return cls.OPTION_NAMES.get(field, "--" + field.replace("_", "-"))

    @field_validator("kinds", mode="before")
    @classmethod
    def _kinds(cls, value: object) -> tuple[str, ...]:
        given = value.split(",") if isinstance(value, str) else list(value)  # type: ignore[call-overload]
        unique = tuple(dict.fromkeys(str(k).strip() for k in given if str(k).strip()))
        if not unique:
            raise BatchOptionError(
                "--kind", ",".join(map(str, given)), "name at least one report kind"
            )
        for kind in unique:
            if kind not in PARAM_MODELS:
                raise BatchOptionError("--kind", kind, f"choose from {', '.join(PARAM_MODELS)}")
        return unique

    @field_validator("lang", mode="before")
    @classmethod
    def _lang(cls, value: object) -> object:
        if value not in ("nl", "en"):
            raise BatchOptionError("--lang", value, "use nl or en")
        return value

    @field_validator("workers")
    @classmethod
    def _workers(cls, value: int) -> int:
        if value < 1:
            raise BatchOptionError("--workers", value, "must be at least 1")
        return value

    @field_validator("executor")
    @classmethod
    def _executor(cls, value: str) -> str:
        if value != "local" and not value.startswith(("dask://", "tcp://", "tls://")):
            raise BatchOptionError("--executor", value, "use local or dask://HOST:PORT")
        if value.startswith("dask://") and not value.removeprefix("dask://").strip("/"):
            raise BatchOptionError("--executor", value, "name the scheduler: dask://HOST:PORT")
        return value

    @field_validator("pdf")
    @classmethod
    def _pdf(cls, value: bool) -> bool:
        if value:  # WeasyPrint and its system libraries, checked before any kernel starts
            from mlkit.reports.packet import check_pdf_support

            check_pdf_support()
        return value

    @field_validator("out")
    @classmethod
    def _out(cls, value: Path) -> Path:
        if value.exists() and not value.is_dir():
            raise OutputDirError(str(value), "exists and is not a directory")
        return value


def _option_error(exc: ValidationError) -> MlkitError:
    """Return the first problem of ``exc``: the validator's own error, or one naming the option."""
    err = exc.errors()[0]
    raised = (err.get("ctx") or {}).get("error")
    if isinstance(raised, MlkitError):
        return raised
    field = str(err["loc"][0]) if err["loc"] else "options"
    if field not in BatchRequest.model_fields:
        return BatchOptionError(field, err.get("input"), "not a batch option")
    return BatchOptionError(BatchRequest.option_name(field), err.get("input"), err["msg"])


__all__ = ["DEFAULT_KINDS", "BatchRequest"]
