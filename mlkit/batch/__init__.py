"""Batch rendering of reports for a whole cohort: warm kernels, isolated, resumable, on Dask.

Example:
    >>> from mlkit.batch import run_batch, select_aios
    >>> aios = select_aios(Path("demo.db"), year=2)
    >>> run_batch(aios, Path("reports"), db=Path("demo.db"), workers=2).exit_code
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
from mlkit.batch.kernel_pool import KernelPool, KernelStartError, WarmKernel
from mlkit.batch.manifest import Manifest
from mlkit.batch.progress import make_progress
from mlkit.batch.runner import BatchResult, plan_jobs, run_batch
from mlkit.batch.select import AiosEntry, select_aios
from mlkit.reports.index import OverviewBuilder

__all__ = [
    "AiosEntry",
    "BatchError",
    "BatchLockedError",
    "BatchOptionError",
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
