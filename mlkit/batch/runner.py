"""Render a report for every selected aios: warm kernels, isolated, resumable, local or on Dask.

The flow: select aios from the store, validate one parameter set per aios and report kind
(before any kernel starts), skip what ``manifest.json`` shows is up to date, render the rest on
a pool of warm kernels (or a Dask cluster), record each result in the manifest as it arrives, and
finish with ``index.html``.

Example:
    >>> aios = select_aios(Path("demo.db"), specialty="chirurgie")
    >>> result = run_batch(aios, Path("reports"), db=Path("demo.db"), workers=2)
    >>> result.exit_code
    0
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, as_completed
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from mlkit.batch.errors import BatchError, OutputDirError
from mlkit.batch.index import write_index
from mlkit.batch.jobs import JobResult, ReportJob, render_job
from mlkit.batch.kernel_pool import DEFAULT_WARMUP, KernelPool
from mlkit.batch.lock import OutputLock
from mlkit.batch.manifest import Manifest
from mlkit.batch.progress import BatchProgress, QuietProgress
from mlkit.batch.select import DEFAULT_KINDS, AiosEntry, check_options
from mlkit.frameworks.models import Lang
from mlkit.ids import AIOS_ID_RULE, is_aios_id
from mlkit.reports.params import (
    PARAM_MODELS,
    ReportParameterError,
    normalise_as_of,
    params_for,
)
from mlkit.reports.render import absolute_params, output_stem, templates_dir

EXIT_FAILED = 1
"""Exit status of a batch in which at least one report failed."""

OverviewBuilder = Callable[[list[dict[str, Any]]], str]


@dataclass
class BatchResult:
    """The outcome of :func:`run_batch`.

    Attributes:
        results: One result per report of this run (``ok``, ``failed`` or ``skipped``).
        manifest: Path of ``manifest.json``.
        index: Path of ``index.html``.
        interrupted: Whether the batch stopped before every report was done.
        repairs: What was wrong with a damaged ``manifest.json`` and how it was repaired.
        packet: Path of ``packet.pdf`` (``pdf=True``), and whether this run (re)built it.
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
        if not bundled.is_file() or (
            hashlib.sha256(bundled.read_bytes()).hexdigest() != job.template_sha256
        ):
            custom[job.params.kind] = None
    return list(custom)


def plan_jobs(
    aios: Sequence[AiosEntry],
    out_dir: Path,
    *,
    db: Path,
    kinds: Sequence[str] = DEFAULT_KINDS,
    lang: str = "nl",
    as_of: str = "",
    frameworks_dir: str = "",
    curricula_dir: str = "",
    template_dir: Path | None = None,
) -> list[ReportJob]:
    """Validate the parameters of every report and return the jobs, before any kernel starts.

    An empty ``as_of`` is fixed to today, so every report of one batch uses the same date and
    the manifest can tell tomorrow's rerun that the reports are out of date.

    An aios whose id the reports cannot use (a store imported before the id rule of
    :mod:`mlkit.ids` may hold one) gets refused jobs, which the batch records as failed reports
    with the reason; it never stops the rest of the batch.

    Raises:
        ReportParameterError: for an unknown kind or a bad parameter value shared by all aios.
        BatchError: when a template is missing.
    """
    kinds = check_options(kinds=kinds, lang=lang, as_of=as_of)
    as_of = normalise_as_of(as_of) or date.today().isoformat()
    templates: dict[str, tuple[Path, str]] = {}
    jobs: list[ReportJob] = []
    for kind in kinds:
        # fail on a bad kind, language or date once, not once per aios
        params_for(kind, {"aios_id": "A0001", "db": str(db), "lang": lang, "as_of": as_of})
        path = _template_path(kind, template_dir)
        templates[kind] = (path.resolve(), hashlib.sha256(path.read_bytes()).hexdigest())
    for entry in aios:
        for kind in kinds:
            values: dict[str, Any] = {
                "aios_id": entry.aios_id,
                "db": str(db),
                "lang": lang,
                "as_of": as_of,
                "frameworks_dir": frameworks_dir,
                "curricula_dir": curricula_dir,
            }
            refused: str | None = None
            try:
                params = params_for(kind, values)
            except ReportParameterError as exc:  # only the aios id differs from the checked set
                params = PARAM_MODELS[kind].model_construct(**values)
                ok_id = is_aios_id(entry.aios_id)
                refused = str(exc) if ok_id else f"aios_id {entry.aios_id!r}: {AIOS_ID_RULE}"
            params = absolute_params(params)
            template, sha = templates[kind]
            jobs.append(
                ReportJob(
                    output_stem(params),
                    params,
                    template,
                    sha,
                    entry.data_hash,
                    out_dir.resolve(),
                    refused,
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
    out_dir: Path,
    *,
    db: Path,
    kinds: Sequence[str] = DEFAULT_KINDS,
    lang: str = "nl",
    as_of: str = "",
    frameworks_dir: str = "",
    curricula_dir: str = "",
    workers: int = 2,
    executor: str = "local",
    restart_every: int = 50,
    kernel_name: str = "python3",
    cell_timeout: int = 600,
    template_dir: Path | None = None,
    force: bool = False,
    progress: BatchProgress | None = None,
    overview_builder: OverviewBuilder | None = None,
    warmup: str = DEFAULT_WARMUP,
    trust_templates: bool = False,
    lock_wait: float = 0.0,
    pdf: bool = False,
) -> BatchResult:
    """Render every report kind for every aios in ``aios`` into ``out_dir``.

    Args:
        aios: The selection, e.g. from :func:`select_aios`.
        out_dir: Output directory: per report ``<aios>_<kind>.ipynb/.html/.json``, plus
            ``manifest.json`` and ``index.html``.
        db: The store the notebooks read.
        kinds: Report kinds (keys of :data:`mlkit.reports.params.PARAM_MODELS`).
        lang: Report language.
        as_of: Reference date; empty means today (fixed once for the whole batch).
        frameworks_dir: Optional framework directory passed to the notebooks.
        curricula_dir: Optional curriculum directory passed to the notebooks.
        workers: Number of warm kernels (local executor).
        executor: ``local`` or ``dask://HOST:PORT`` (see :mod:`mlkit.batch.dask_executor`).
        restart_every: Restart a kernel after this many reports (0: never). Templates that
            differ from the bundled ones get a fresh kernel per report whatever this says,
            unless ``trust_templates`` is set (a warm reset cannot undo everything a notebook
            may change, see the README).
        kernel_name: Kernel spec of the warm kernels.
        cell_timeout: Seconds a cell may run.
        template_dir: Directory with the template notebooks (default: the bundled ones).
        force: Render again even when the manifest shows a report is up to date.
        progress: Where progress goes (default: nowhere).
        overview_builder: Receives the loaded sidecars and returns HTML for ``index.html``.
        warmup: Code each kernel runs once after start (the heavy imports).
        trust_templates: Keep kernels warm for custom templates too.
        lock_wait: Seconds to wait for another batch writing into ``out_dir`` (0: refuse).
        pdf: Also write ``packet.pdf``, the committee packet (see :mod:`mlkit.batch.packet_step`).

    Returns:
        Per-report results; :attr:`BatchResult.exit_code` is non-zero when any report failed.
        ``KeyboardInterrupt`` (or SIGTERM, which the CLI turns into one) stops the batch:
        the manifest is written, :attr:`BatchResult.interrupted` is set, finished reports are
        kept and a rerun resumes.
    """
    kinds = check_options(
        kinds=kinds,
        lang=lang,
        as_of=as_of,
        workers=workers,
        executor=executor,
        out_dir=out_dir,
        pdf=pdf,
    )
    jobs = plan_jobs(
        aios,
        out_dir,
        db=db,
        kinds=kinds,
        lang=lang,
        as_of=as_of,
        frameworks_dir=frameworks_dir,
        curricula_dir=curricula_dir,
        template_dir=template_dir,
    )
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputDirError(str(out_dir), exc.strerror or str(exc)) from exc
    if not trust_templates and custom_templates(jobs):
        restart_every = 1  # a fresh kernel for every report of an unknown template
    with OutputLock(out_dir, wait=lock_wait):
        return _run_locked(
            jobs,
            aios,
            out_dir,
            lang=lang,
            executor=executor,
            workers=workers,
            force=force,
            progress=progress,
            overview_builder=overview_builder,
            pdf=pdf,
            options={
                "kernel_name": kernel_name,
                "restart_every": restart_every,
                "cell_timeout": cell_timeout,
                "warmup": warmup,
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
