"""Render a report for every selected aios: warm kernels, isolated, resumable, local or on Dask.

The flow: select aios from the store, validate one parameter set per aios and report kind
(before any kernel starts), skip what ``manifest.json`` shows is up to date, render the rest on
a pool of warm kernels (or a Dask cluster), record each result in the manifest as it arrives, and
finish with ``index.html``.

Example:
    >>> request = BatchRequest(db=Path("demo.db"), out=Path("reports"), workers=2)
    >>> aios = select_aios(request.db, specialty="chirurgie")
    >>> result = run_batch(aios, request)
    >>> result.exit_code
    0
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import Future, as_completed
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from mlkit.batch.errors import BatchError, OutputDirError
from mlkit.batch.jobs import JobResult, ReportJob, render_job
from mlkit.batch.kernel_pool import KernelPool
from mlkit.batch.lock import OutputLock
from mlkit.batch.manifest import Manifest
from mlkit.batch.progress import BatchProgress, QuietProgress
from mlkit.batch.request import BatchRequest
from mlkit.batch.select import AiosEntry
from mlkit.frameworks.models import Lang
from mlkit.ids import AIOS_ID_RULE, is_aios_id
from mlkit.reports.index import OverviewBuilder, write_index
from mlkit.reports.params import PARAM_MODELS, params_for
from mlkit.reports.render import file_sha256, output_stem, templates_dir

EXIT_FAILED = 1
"""Exit status of a batch in which at least one report failed."""


@dataclass
class BatchResult:
    """The outcome of :func:`run_batch`.

    Attributes:
        results: One result per report of this run (``ok``, ``failed`` or ``skipped``).
        manifest: Path of ``manifest.json``.
        index: Path of ``index.html``.
        interrupted: Whether the batch stopped before every report was done.
        repairs: What was wrong with a damaged ``manifest.json`` and how it was repaired.
        packet: Path of ``packet.pdf`` (``request.pdf``), and whether this run (re)built it.
    """

    results: list[JobResult] = field(default_factory=list)
    manifest: Path | None = None
    index: Path | None = None
    interrupted: bool = False
    repairs: list[str] = field(default_factory=list)
    packet: Path | None = None
    packet_rebuilt: bool = False

    def count(self, status: str) -> int:
        """Return how many reports ended with ``status``."""
        return sum(r.status == status for r in self.results)

    @property
    def failed(self) -> list[JobResult]:
        """The reports that failed."""
        return [r for r in self.results if r.status == "failed"]

    @property
    def exit_code(self) -> int:
        """0 when every report is ok or up to date, else :data:`EXIT_FAILED`."""
        return EXIT_FAILED if self.failed or self.interrupted else 0


def _template_path(kind: str, template_dir: Path | None) -> Path:
    name = PARAM_MODELS[kind].template
    path = template_dir / name if template_dir is not None else _bundled(kind)
    if not path.is_file():
        raise BatchError(f"template of the {kind} report not found: {path}")
    return path


def _bundled(kind: str) -> Path:
    return Path(str(templates_dir() / PARAM_MODELS[kind].template))


def custom_templates(jobs: Sequence[ReportJob]) -> list[str]:
    """Return the kinds whose template differs from the bundled one (byte for byte)."""
    custom: dict[str, None] = {}
    for job in jobs:
        bundled = _bundled(job.params.kind)
        if not bundled.is_file() or (file_sha256(bundled) != job.template_sha256):
            custom[job.params.kind] = None
    return list(custom)


def plan_jobs(aios: Sequence[AiosEntry], request: BatchRequest) -> list[ReportJob]:
    """Return the jobs of every report with its parameters validated, before any kernel starts.

    The shared options were validated once by ``request`` (its empty ``as_of`` is fixed to
    today, so every report of one batch uses the same date and the manifest can tell
    tomorrow's rerun that the reports are out of date); per aios only the id is left to check.
    Each report is pinned to the data hash the selection read, so its kernel refuses to show
    other data.

    An aios whose id the reports cannot use (a store imported before the id rule of
    :mod:`mlkit.ids` may hold one) gets refused jobs, which the batch records as failed reports
    with the reason; it never stops the rest of the batch.

    Raises:
        BatchError: when a template is missing.
    """
    templates: dict[str, tuple[Path, str]] = {}
    for kind in request.kinds:
        path = _template_path(kind, request.template_dir)
        templates[kind] = (path.resolve(), file_sha256(path))
    out_dir = request.out.resolve()
    jobs: list[ReportJob] = []
    for entry in aios:
        refused = (
            None if is_aios_id(entry.aios_id) else f"aios_id {entry.aios_id!r}: {AIOS_ID_RULE}"
        )
        for kind in request.kinds:
            values: dict[str, Any] = {
                "aios_id": entry.aios_id,
                "db": request.db,
                "lang": request.lang,
                "as_of": request.as_of,
                "frameworks_dir": request.frameworks_dir,
                "curricula_dir": request.curricula_dir,
                "expected_data_sha256": entry.data_hash or None,
            }
            model = PARAM_MODELS[kind]
            # a refused id is never validated nor given to a kernel; it only names the failure
            params = model.model_construct(**values) if refused else params_for(kind, values)
            template, sha = templates[kind]
            jobs.append(
                ReportJob(
                    output_stem(params), params, template, sha, entry.data_hash, out_dir, refused
                )
            )
    return jobs


def _run_local(
    jobs: Sequence[ReportJob],
    workers: int,
    kernel_options: dict[str, Any],
) -> Iterator[tuple[ReportJob, JobResult | BaseException]]:
    with KernelPool(min(workers, max(len(jobs), 1)), **kernel_options) as pool:
        futures: dict[Future[JobResult], ReportJob] = {
            pool.submit(partial(render_job, job=job)): job for job in jobs
        }
        for future in as_completed(futures):
            error = future.exception()
            yield futures[future], future.result() if error is None else error


def run_batch(
    aios: Sequence[AiosEntry],
    request: BatchRequest,
    *,
    progress: BatchProgress | None = None,
    overview_builder: OverviewBuilder | None = None,
) -> BatchResult:
    """Render every report kind of ``request`` for every aios in ``aios`` into ``request.out``.

    Args:
        aios: The selection, e.g. from :func:`select_aios`.
        request: The validated options (see :class:`~mlkit.batch.request.BatchRequest`).
        progress: Where progress goes (default: nowhere).
        overview_builder: Receives the batch (:class:`mlkit.reports.overview.BatchView`: the
            aios and every report with its validated sidecar) and returns HTML for
            ``index.html``, e.g. :func:`mlkit.reports.overview.overview_html`.

    Returns:
        Per-report results; :attr:`BatchResult.exit_code` is non-zero when any report failed.
        ``KeyboardInterrupt`` (or SIGTERM, which the CLI turns into one) stops the batch:
        the manifest is written, :attr:`BatchResult.interrupted` is set, finished reports are
        kept and a rerun resumes.
    """
    jobs = plan_jobs(aios, request)
    out_dir = request.out
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputDirError(str(out_dir), exc.strerror or str(exc)) from exc
    restart_every = request.restart_every
    if not request.trust_templates and custom_templates(jobs):
        restart_every = 1  # a fresh kernel for every report of an unknown template
    with OutputLock(out_dir, wait=request.lock_wait):
        return _run_locked(
            jobs,
            aios,
            out_dir,
            lang=request.lang,
            executor=request.executor,
            workers=request.workers,
            force=request.force,
            progress=progress,
            overview_builder=overview_builder,
            pdf=request.pdf,
            options={
                "kernel_name": request.kernel_name,
                "restart_every": restart_every,
                "cell_timeout": request.cell_timeout,
                "warmup": request.warmup,
            },
        )


def _run_locked(
    jobs: list[ReportJob],
    aios: Sequence[AiosEntry],
    out_dir: Path,
    *,
    lang: str,
    executor: str,
    workers: int,
    force: bool,
    progress: BatchProgress | None,
    overview_builder: OverviewBuilder | None,
    options: dict[str, Any],
    pdf: bool = False,
) -> BatchResult:
    manifest = Manifest.load(out_dir)
    progress = progress or QuietProgress()
    result = BatchResult(manifest=manifest.path)
    todo: list[ReportJob] = []
    progress.start(len(jobs))
    for job in jobs:
        if job.refused is not None:  # its id breaks the id rule: fails alone, no kernel
            refused = JobResult.for_job(job, "failed", reason=job.refused)
            manifest.record(refused)
            result.results.append(refused)
            progress.advance(job.key, "failed", job.refused)
        elif not force and manifest.is_up_to_date(job):
            skipped = manifest.skipped(job)
            manifest.record(skipped)
            result.results.append(skipped)
            progress.advance(job.key, "skipped")
        else:
            todo.append(job)
    manifest.save()
    result.repairs = list(manifest.repairs)
    stream: Iterator[tuple[ReportJob, JobResult | BaseException]] = iter(())
    try:
        if executor == "local":
            stream = _run_local(todo, workers, options)
        else:
            from mlkit.batch.dask_executor import run_on_dask

            stream = run_on_dask(todo, executor, options)
        for job, received in stream:
            if isinstance(received, BaseException):  # engine trouble, not a report failure
                reason = f"{type(received).__name__}: {received}"
                outcome = JobResult.for_job(job, "failed", reason=reason)
            else:
                outcome = received
            manifest.record(outcome)
            manifest.save(min_interval=0.5)
            result.results.append(outcome)
            progress.advance(job.key, outcome.status, outcome.reason)
    except KeyboardInterrupt:
        result.interrupted = True
    finally:
        manifest.save()
        progress.close()
        if hasattr(stream, "close"):
            stream.close()  # shuts the kernels down; running reports finish their writes
    index_lang: Lang = "en" if lang == "en" else "nl"
    result.index = write_index(out_dir, aios, result.results, overview_builder, lang=index_lang)
    if pdf and not result.interrupted:
        from mlkit.batch.packet_step import add_packet

        add_packet(result, out_dir, aios, manifest, index_lang, workers, force, progress)
    return result
