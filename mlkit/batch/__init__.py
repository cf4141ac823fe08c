"""Batch rendering of reports for a whole cohort: warm kernels, isolated, resumable, on Dask.

Example:
    >>> from mlkit.batch import run_batch, select_aios
    >>> request = BatchRequest(db=Path("demo.db"), out=Path("reports"), year=2, workers=2)
    >>> aios = select_aios(request.db, year=request.year)
    >>> run_batch(aios, request).exit_code
    0
"""

from mlkit.batch.errors import (
    BatchError,
    BatchLockedError,
    BatchOptionError,
    OutputDirError,
    SchedulerUnreachableError,
    StoreUnreadableError,
)
from mlkit.batch.jobs import JobResult, ReportJob, render_job
from mlkit.batch.kernel_pool import KernelPool, WarmKernel
from mlkit.batch.manifest import Manifest
from mlkit.batch.progress import make_progress
from mlkit.batch.request import BatchRequest
from mlkit.batch.runner import BatchResult, plan_jobs, run_batch
from mlkit.batch.select import AiosEntry, select_aios
from mlkit.kernels import KernelStartError
from mlkit.reports.index import OverviewBuilder

__all__ = [
    "AiosEntry",
    "BatchError",
    "BatchLockedError",
    "BatchOptionError",
    "BatchRequest",
    "BatchResult",
    "JobResult",
    "KernelPool",
    "KernelStartError",
    "Manifest",
    "OutputDirError",
    "OverviewBuilder",
    "ReportJob",
    "SchedulerUnreachableError",
    "StoreUnreadableError",
    "WarmKernel",
    "make_progress",
    "plan_jobs",
    "render_job",
    "run_batch",
    "select_aios",
]
