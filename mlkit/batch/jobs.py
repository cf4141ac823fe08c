"""One unit of batch work: render one report for one aios on a warm kernel.

:func:`render_job` never raises for a report that fails: the partial notebook is written with
papermill's error banner and the failure comes back in :class:`JobResult`, so one aios cannot stop
a batch. The same function runs in a local kernel thread and on a Dask worker.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import nbformat

from mlkit.batch.kernel_pool import WarmKernel
from mlkit.reports.params import ReportParams
from mlkit.reports.render import file_sha256, write_outputs

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
            params=job.params.notebook_parameters(),
            data_hash=job.data_hash,
            template=job.params.template,
            template_sha256=job.template_sha256,
            **extra,
        )

    def to_json(self) -> dict[str, Any]:
        """Return the manifest entry."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def parameterize(job: ReportJob) -> nbformat.NotebookNode:
    """Return the template with the parameters injected, as papermill prepares it (no run)."""
    from mlkit.reports.execute import execute

    return execute(job.template, job.params.notebook_parameters(), prepare_only=True).nb


def render_job(kernel: WarmKernel, job: ReportJob) -> JobResult:
    """Render one report on ``kernel`` and write its notebook, HTML and sidecar atomically.

    Returns:
        The result; ``status`` is ``failed`` (with a reason) when a cell raised, the kernel died
        or could not start. Partial outputs, with papermill's error banner, are written in
        every case.
    """
    if job.refused is not None:  # never parameterise a notebook with an unchecked id
        return JobResult.for_job(job, "failed", reason=job.refused)
    started = time.perf_counter()
    run = kernel.run(job.template, job.params.notebook_parameters())
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
