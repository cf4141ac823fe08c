"""``mlkit batch``: render reports for every selected aios on warm kernels, locally or on Dask.

Each option is a field of :class:`mlkit.batch.request.BatchRequest` under the same name (the
option's name is :meth:`~mlkit.batch.request.BatchRequest.option_name`); a test keeps them in step.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from mlkit.cli.app import app, errors_to_exit, fail

EXIT_INTERRUPTED = 130
COMMAND_ONLY = frozenset({"--quiet"})
"""The options of ``mlkit batch`` that are not fields of the batch request."""


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM into KeyboardInterrupt so a stopped batch still writes its manifest."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@app.command("batch")
def batch_cmd(
    db: Annotated[
        Path | None, typer.Option("--db", help="The store (default: $MLKIT_DB, else ./mlkit.db).")
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Output directory.")] = Path("reports"),
    kinds: Annotated[
        str, typer.Option("--kind", help="Report kinds, comma-separated.")
    ] = "progress,summary",
    specialty: Annotated[
        str | None, typer.Option("--specialty", help="Only aios of this specialty.")
    ] = None,
    year: Annotated[
        int | None,
        typer.Option("--year", help="Only aios in this training year (opleidingsjaar) on --as-of."),
    ] = None,
    workers: Annotated[
        int,
        typer.Option("--workers", min=1, help="Warm kernels working in parallel (local executor)."),
    ] = 2,
    executor: Annotated[
        str, typer.Option("--executor", help="local, or dask://HOST:PORT for a Dask scheduler.")
    ] = "local",
    restart_every: Annotated[
        int,
        typer.Option(
            "--restart-every",
            min=0,
            help="Restart a kernel after this many reports (0: never); see --trust-templates.",
        ),
    ] = 50,
    lang: Annotated[str, typer.Option("--lang", help="Report language: nl or en.")] = "nl",
    as_of: Annotated[
        str,
        typer.Option("--as-of", help="Reference date YYYY-MM-DD or dd-mm-jjjj (default: today)."),
    ] = "",
    frameworks_dir: Annotated[
        Path | None,
        typer.Option(
            "--frameworks", help="Directory of framework files overriding the bundled ones."
        ),
    ] = None,
    curricula_dir: Annotated[
        Path | None,
        typer.Option(
            "--curricula",
            help="Directory of curriculum files overriding or extending the bundled ones "
            "(default: $MLKIT_CURRICULA_PATH).",
        ),
    ] = None,
    template_dir: Annotated[
        Path | None,
        typer.Option(
            "--templates", help="Directory of report notebooks replacing the bundled ones."
        ),
    ] = None,
    cell_timeout: Annotated[
        int, typer.Option("--timeout", min=1, help="Seconds a notebook cell may run.")
    ] = 600,
    trust_templates: Annotated[
        bool,
        typer.Option(
            "--trust-templates",
            help="Keep kernels warm for --templates too (default: a fresh kernel per report).",
        ),
    ] = False,
    lock_wait: Annotated[
        float,
        typer.Option("--wait", min=0, help="Seconds to wait for another batch writing into --out."),
    ] = 0.0,
    force: Annotated[
        bool, typer.Option("--force", help="Render every report again, even when up to date.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
    pdf: Annotated[
        bool,
        typer.Option(
            "--pdf", help="Also write packet.pdf: cover, overview and every report, A4, bookmarked."
        ),
    ] = False,
) -> None:
    """Render a report per aios and kind, plus index.html and manifest.json.

    Reports that are up to date (same parameters, data and template; output files intact) are
    skipped, so a stopped batch resumes where it was. One failing aios does not stop the
    batch: its partial notebook gets an error banner and the exit status is 1.

    Two batches cannot write into one --out at once: the second refuses (or waits --wait
    seconds). Templates from --templates that differ from the bundled ones run on a fresh
    kernel per report unless --trust-templates is given.

    With --pdf the committee packet packet.pdf is written too; a rerun rebuilds it only when
    a report in it or the overview changed.

    Example: mlkit batch --db demo.db --out reports --kind progress --year 2 --workers 2 --pdf
    """
    from mlkit.batch.progress import make_progress
    from mlkit.batch.request import BatchRequest
    from mlkit.batch.runner import run_batch
    from mlkit.batch.select import select_aios
    from mlkit.reports.overview import overview_html

    with errors_to_exit():
        request = BatchRequest(
            db=db,
            out=out,
            kinds=kinds,
            specialty=specialty,
            year=year,
            lang=lang,
            as_of=as_of,
            frameworks_dir=frameworks_dir,
            curricula_dir=curricula_dir,
            workers=workers,
            executor=executor,
            restart_every=restart_every,
            cell_timeout=cell_timeout,
            template_dir=template_dir,
            trust_templates=trust_templates,
            lock_wait=lock_wait,
            force=force,
            pdf=pdf,
        )
        aios = select_aios(
            request.db,
            specialty=request.specialty,
            year=request.year,
            as_of=request.as_of,
            curricula_dir=request.curricula_dir,
        )
        if not aios:
            fail(f"{request.db}: no aios match the selection")
        with _sigterm_as_interrupt():
            result = run_batch(
                aios,
                request,
                progress=make_progress(quiet=quiet),
                overview_builder=(
                    partial(overview_html, lang=request.lang)
                    if "progress" in request.kinds
                    else None
                ),
            )
    for repair in result.repairs:
        typer.echo(f"mlkit: note: {out / 'manifest.json'}: {repair}", err=True)
    if not quiet:
        typer.echo(
            f"batch: {result.count('ok')} rendered, {result.count('skipped')} up to date, "
            f"{result.count('failed')} failed -> {result.index}",
            err=True,
        )
        if result.packet is not None:
            done = "written" if result.packet_rebuilt else "up to date"
            typer.echo(f"packet: {done} -> {result.packet}", err=True)
    for failed in result.failed:
        typer.echo(f"mlkit: failed: {failed.key}: {failed.reason}", err=True)
    if result.interrupted:
        typer.echo("mlkit: batch interrupted; run it again to resume", err=True)
        sys.stderr.flush()
        raise typer.Exit(EXIT_INTERRUPTED)
    if result.exit_code:
        raise typer.Exit(result.exit_code)
