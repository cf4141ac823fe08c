"""Benchmark ``mlkit batch`` against a papermill loop and against in-process rendering.

Runs, in one process, on the same demo store and template:

  (a) one ``papermill.execute_notebook`` per report in a loop (plus the same three output files),
  (b) ``mlkit batch --workers 2`` (warm kernels),
  (c) the same notebook code run in-process, no kernel, in 2 processes (an IPython shell per
      process captures the same displays and charts; same three output files),

and prints reports/minute and the ratios b/a and b/c (targets: b/a >= 10, c/b <= 2), then the
peak memory (RSS of a fresh batch process plus its kernels) of (b) at 100 and at 400 aios.

Usage::

    .venv/bin/python bench/batch.py --aios 200
    .venv/bin/python bench/batch.py --aios 40 --papermill-aios 10 --no-memory  # quick look

The papermill loop (a) is slow (about 2 s per report), so it runs on the first
``--papermill-aios`` aios only; reports/minute is a rate, so the ratio stays fair.
"""

from __future__ import annotations

import argparse
import ast
import multiprocessing
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import suppress
from pathlib import Path
from typing import Any

import nbformat
import psutil  # type: ignore[import-untyped]

from mlkit.batch import AiosEntry, BatchRequest, plan_jobs, run_batch
from mlkit.batch.jobs import ReportJob, parameterize
from mlkit.reports.params import PARAM_MODELS
from mlkit.reports.render import write_outputs

REPO = Path(__file__).resolve().parent.parent
TEST_TEMPLATES = REPO / "tests" / "data" / "notebooks"


def build_store(n_aios: int, work: Path) -> Path:
    """Generate a synthetic cohort and import it into a fresh store."""
    from mlkit.ingest import import_file
    from mlkit.store import Store
    from mlkit.synth import generate_cohort

    files = generate_cohort(n_aios, 1, work / "csv")
    db = work / "demo.db"
    with Store.open(db) as store:
        for path in files.paths():
            import_file(path, store)
    return db


def select(db: Path, n: int) -> list[AiosEntry]:
    from mlkit.batch import select_aios

    return select_aios(db)[:n]


def pick_templates(kinds: list[str], given: Path | None) -> Path:
    if given is not None:
        return given
    bundled = REPO / "notebooks"
    if all((bundled / PARAM_MODELS[k].template).is_file() for k in kinds):
        return bundled
    print(f"note: report notebooks not found in {bundled}; using the test template")
    return TEST_TEMPLATES


def peak_rss_of(command: list[str]) -> float:
    """Run ``command`` and return the peak RSS (MiB) of it and all its children together.

    The batch runs in a fresh process, as a committee would run it, so the figure is the batch's
    own (batch process plus its kernels) and not the benchmark's leftover heap from (a)-(c).
    """
    child = subprocess.Popen(command)
    proc = psutil.Process(child.pid)
    peak = 0.0
    while child.poll() is None:
        total = 0
        with suppress(psutil.Error):
            for member in [proc, *proc.children(recursive=True)]:
                with suppress(psutil.Error):
                    total += member.memory_info().rss
        peak = max(peak, total / 2**20)
        time.sleep(0.05)
    if child.returncode != 0:
        raise SystemExit(f"memory run failed with exit status {child.returncode}: {command}")
    return peak


def run_papermill_loop(jobs: list[ReportJob]) -> float:
    import papermill

    started = time.perf_counter()
    for job in jobs:
        job.out_dir.mkdir(parents=True, exist_ok=True)
        scratch = job.out_dir / f".{job.key}.running.ipynb"
        t0 = time.perf_counter()
        error = None
        try:
            nb = papermill.execute_notebook(
                str(job.template),
                str(scratch),
                parameters=job.params.notebook_parameters(),
                progress_bar=False,
            )
        except papermill.PapermillExecutionError as exc:
            error = f"{exc.ename}: {exc.evalue}"
            nb = nbformat.read(scratch, as_version=4)
        write_outputs(
            nb,
            job.params,
            job.out_dir,
            error=error,
            template_sha256=job.template_sha256,
            seconds=time.perf_counter() - t0,
        )
        scratch.unlink(missing_ok=True)
    return time.perf_counter() - started


_shell: Any = None


def _inprocess_init(warmup: str) -> None:
    global _shell  # noqa: PLW0603 - one shell per worker process
    from IPython.core.interactiveshell import InteractiveShell

    class _Shell(InteractiveShell):
        def enable_gui(self, gui: str | None = None) -> None:
            """The inline backend needs no GUI event loop."""

    main_module = sys.modules["__main__"]
    _shell = _Shell.instance()
    sys.modules["__main__"] = main_module  # IPython swaps in its own; the pool needs ours
    _shell.run_line_magic("matplotlib", "inline")
    _shell.run_cell(warmup, store_history=False)


def _run_cell(source: str, count: int) -> tuple[list[Any], str | None]:
    """Run one cell in the in-process shell; return nbformat outputs and an error, if any."""
    from IPython.utils.capture import capture_output

    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    outputs: list[Any] = []
    error = None
    with capture_output() as cap:
        result = _shell.run_cell(ast.unparse(tree), store_history=False)
        value = None
        if result.success and last is not None:
            try:
                value = eval(ast.unparse(last), _shell.user_ns)
            except Exception as exc:
                error = f"{type(exc).__name__}: {exc}"
        elif not result.success:
            failure = result.error_in_exec or result.error_before_exec
            error = f"{type(failure).__name__}: {failure}"
        _shell.events.trigger("post_execute")  # flushes inline figures
    if cap.stdout:
        outputs.append(nbformat.v4.new_output("stream", name="stdout", text=cap.stdout))
    for shown in cap.outputs:
        outputs.append(
            nbformat.v4.new_output("display_data", data=shown.data, metadata=shown.metadata)
        )
    if value is not None:
        data, metadata = _shell.display_formatter.format(value)
        outputs.append(
            nbformat.v4.new_output(
                "execute_result", data=data, metadata=metadata, execution_count=count
            )
        )
    return outputs, error


def _inprocess_render(job: ReportJob) -> str:
    started = time.perf_counter()
    _shell.reset(new_session=True)
    nb = parameterize(job)
    error = None
    count = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        count += 1
        cell.outputs, error = _run_cell(cell.source, count)
        cell.execution_count = count
        if error:
            break
    write_outputs(
        nb,
        job.params,
        job.out_dir,
        error=error,
        template_sha256=job.template_sha256,
        seconds=time.perf_counter() - started,
    )
    return job.key


def run_in_process(jobs: list[ReportJob], workers: int, warmup: str) -> float:
    for job in jobs:
        job.out_dir.mkdir(parents=True, exist_ok=True)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_inprocess_init, initargs=(warmup,)
    ) as pool:
        list(pool.map(_inprocess_init_noop, range(workers)))  # start-up outside the timing
        started = time.perf_counter()
        list(pool.map(_inprocess_render, jobs, chunksize=4))
        return time.perf_counter() - started


def _inprocess_init_noop(_: int) -> None:
    time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aios", type=int, default=200)
    parser.add_argument("--kinds", default="progress")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--papermill-aios", type=int, default=20)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--templates", type=Path)
    parser.add_argument("--as-of", default="2026-06-30")
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--memory-run", type=int, help=argparse.SUPPRESS)  # child of the bench
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    kinds = [k for k in args.kinds.split(",") if k]
    templates = pick_templates(kinds, args.templates)

    def request(db: Path, out: Path) -> BatchRequest:
        return BatchRequest(
            db=db,
            out=out,
            kinds=kinds,
            as_of=args.as_of,
            workers=args.workers,
            template_dir=templates,
        )

    if args.memory_run:
        run_batch(select(args.db, args.memory_run), request(args.db, args.out))
        return
    from mlkit.batch.kernel_pool import DEFAULT_WARMUP

    work = Path(tempfile.mkdtemp(prefix="mlkit-bench-"))
    try:
        largest = args.aios if args.no_memory else max(args.aios, 400)
        db = args.db or build_store(largest, work)
        every = select(db, largest)
        print(f"store {db}: {len(every)} aios; template {templates}; kinds {kinds}")

        def jobs_for(n: int, name: str) -> list[ReportJob]:
            return plan_jobs(every[:n], request(db, work / name))

        a_jobs = jobs_for(min(args.papermill_aios, args.aios), "a")
        a_time = run_papermill_loop(a_jobs)
        a_rate = len(a_jobs) / a_time * 60

        b_jobs = jobs_for(args.aios, "b")
        started = time.perf_counter()
        b_result = run_batch(every[: args.aios], request(db, work / "b"))
        b_time = time.perf_counter() - started
        b_rate = len(b_jobs) / b_time * 60

        c_jobs = jobs_for(args.aios, "c")
        c_time = run_in_process(c_jobs, args.workers, DEFAULT_WARMUP)
        c_rate = len(c_jobs) / c_time * 60

        print(
            f"(a) papermill loop      {len(a_jobs):5d} reports {a_time:7.1f} s "
            f"{a_rate:8.1f} reports/min"
        )
        print(
            f"(b) mlkit batch -w {args.workers}    {len(b_jobs):5d} reports {b_time:7.1f} s "
            f"{b_rate:8.1f} reports/min  ({b_result.count('failed')} failed; "
            f"kernel start-up included)"
        )
        print(
            f"(c) in-process, {args.workers} procs {len(c_jobs):5d} reports {c_time:7.1f} s "
            f"{c_rate:8.1f} reports/min  (process start-up excluded)"
        )
        print(f"b/a = {b_rate / a_rate:.1f}x faster (target >= 10)")
        print(f"b/c = {b_rate / c_rate:.2f} (c is {c_rate / b_rate:.2f}x faster; target <= 2)")
        _check_same_sidecars(work, b_jobs, a_jobs)

        if not args.no_memory:
            peaks = {}
            for n in (100, 400):
                command = [
                    sys.executable,
                    __file__,
                    "--memory-run",
                    str(n),
                    "--db",
                    str(db),
                    "--kinds",
                    args.kinds,
                    "--workers",
                    str(args.workers),
                    "--as-of",
                    args.as_of,
                    "--templates",
                    str(templates),
                    "--out",
                    str(work / f"mem{n}"),
                ]
                peaks[n] = peak_rss_of(command)
                shutil.rmtree(work / f"mem{n}")
            print(
                f"peak RSS (batch process + kernels): 100 aios {peaks[100]:.0f} MiB, "
                f"400 aios {peaks[400]:.0f} MiB, ratio {peaks[400] / peaks[100]:.2f} "
                "(target <= 1.2)"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _check_same_sidecars(work: Path, b_jobs: list[ReportJob], a_jobs: list[ReportJob]) -> None:
    """Print whether (a) and (b) produced the same key figures for the aios both rendered."""
    import json

    same = 0
    for job in a_jobs:
        a = json.loads((work / "a" / f"{job.key}.json").read_text(encoding="utf-8"))
        b = json.loads((work / "b" / f"{job.key}.json").read_text(encoding="utf-8"))
        same += a["key_figures"] == b["key_figures"]
    print(f"key figures equal in (a) and (b): {same}/{len(a_jobs)} of {len(b_jobs)} in (b)")


if __name__ == "__main__":
    main()
