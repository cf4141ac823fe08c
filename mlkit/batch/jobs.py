"""One unit of batch work: render one report for one aios on a warm kernel.

:func:`render_job` never raises for a report that fails: the partial notebook is written with
papermill's error banner and the failure comes back in :class:`JobResult`, so one aios cannot stop
a batch. The same function runs in a local kernel thread and on a Dask worker.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import nbformat

from mlkit.batch.kernel_pool import Execution, WarmKernel
from mlkit.reports.params import ReportParams
from mlkit.reports.render import write_outputs

Status = Literal["ok", "failed", "skipped"]


@dataclass(frozen=True)
class ReportJob:
    """Everything a worker needs to render one report (picklable, for Dask).

    Attributes:
        key: Stable id of the report in the manifest, e.g. ``A0001_progress``.
        params: Validated parameters, paths already absolute.
        template: Path of the template notebook.
        template_sha256: SHA-256 of the template file.
        data_hash: Hash of the aios' data in the store (from ``Store.data_hash``).
        out_dir: Directory the three outputs go to.
        refused: Why this report cannot be rendered (its aios id breaks the id rule of
            :mod:`mlkit.ids`; ``params`` then holds the values unvalidated), or None. A refused
            job becomes a failed report; the rest of the batch runs.
    """

    key: str
    params: ReportParams
    template: Path
    template_sha256: str
    data_hash: str
    out_dir: Path
    refused: str | None = None


@dataclass
class JobResult:
    """What happened to one report, as recorded in ``manifest.json``."""

    key: str
    kind: str
    aios_id: str
    status: Status
    params: dict[str, Any]
    data_hash: str
    template: str
    template_sha256: str
    reason: str | None = None
    seconds: float = 0.0
    outputs: dict[str, str] = field(default_factory=dict)
    outputs_sha256: dict[str, str] = field(default_factory=dict)

    @classmethod
    def for_job(cls, job: ReportJob, status: Status, **extra: Any) -> JobResult:
        """Return a result for ``job`` with its identifying fields filled in."""
        return cls(
            key=job.key,
            kind=job.params.kind,
            aios_id=job.params.aios_id,
            status=status,
            params=job.params.model_dump(),
            data_hash=job.data_hash,
            template=job.params.template,
            template_sha256=job.template_sha256,
            **extra,
        )

    def to_json(self) -> dict[str, Any]:
        """Return the manifest entry."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def parameterize(job: ReportJob) -> nbformat.NotebookNode:
    """Return the template with the parameters injected, exactly as papermill prepares it."""
    from papermill.execute import prepare_notebook_metadata, remove_error_markers
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(str(job.template))
    nb = parameterize_notebook(nb, job.params.notebook_parameters())
    nb = prepare_notebook_metadata(nb, str(job.template), None)
    prepared: nbformat.NotebookNode = remove_error_markers(nb)
    return prepared


def add_error_banner(nb: nbformat.NotebookNode, cell_index: int, exec_count: int | None) -> None:
    """Insert papermill's error banner at the top and its anchor above the failed cell."""
    from papermill.execute import ERROR_ANCHOR_MSG, ERROR_MARKER_TAG, ERROR_MESSAGE_TEMPLATE

    message = nbformat.v4.new_markdown_cell(ERROR_MESSAGE_TEMPLATE % str(exec_count))
    message.metadata["tags"] = [ERROR_MARKER_TAG]
    anchor = nbformat.v4.new_markdown_cell(ERROR_ANCHOR_MSG)
    anchor.metadata["tags"] = [ERROR_MARKER_TAG]
    nb.cells.insert(cell_index, anchor)
    nb.cells.insert(0, message)


def render_job(kernel: WarmKernel, job: ReportJob) -> JobResult:
    """Render one report on ``kernel`` and write its notebook, HTML and sidecar atomically.

    Returns:
        The result; ``status`` is ``failed`` (with a reason) when a cell raised, the kernel died
        or could not start. Partial outputs are written in every case.
    """
    if job.refused is not None:  # never parameterise a notebook with an unchecked id
        return JobResult.for_job(job, "failed", reason=job.refused)
    started = time.perf_counter()
    nb = parameterize(job)
    try:
        run = kernel.execute(nb)
    except Exception as exc:  # no kernel at all: keep the unexecuted notebook with a banner
        run = Execution(nb, f"{type(exc).__name__}: {exc}", 0, None)
    if run.error is not None and run.cell_index is not None:
        add_error_banner(run.nb, run.cell_index, run.exec_count)
    seconds = time.perf_counter() - started
    paths = write_outputs(
        run.nb,
        job.params,
        job.out_dir,
        error=run.error,
        template_sha256=job.template_sha256,
        seconds=seconds,
    )
    files = {"notebook": paths.notebook, "html": paths.html, "sidecar": paths.sidecar}
    return JobResult.for_job(
        job,
        "ok" if paths.ok else "failed",
        reason=paths.error,
        seconds=round(time.perf_counter() - started, 3),
        outputs={name: p.name for name, p in files.items()},
        outputs_sha256={name: file_sha256(p) for name, p in files.items()},
    )
