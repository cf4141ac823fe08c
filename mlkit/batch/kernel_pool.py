"""Warm Jupyter kernels: start once, import the heavy modules once, reset between reports.

Starting a kernel costs about 2 s, far more than a thin report notebook needs to run. A
:class:`WarmKernel` starts one ipykernel, imports pandas, matplotlib and mlkit once, and then
executes report after report on it, resetting the user namespace to a fresh kernel's in between
(``%reset -f``, all figures closed, matplotlib settings, working directory and ``sys.path``
restored). Execution goes through papermill's own client and execution manager, so the notebook
carries the same cell metadata papermill would write.

The kernel is restarted after any failure (an exception in a cell, a dead kernel, a timeout) and
after every ``restart_every`` reports, so a leak cannot build up.

A :class:`KernelPool` owns N threads, each with its own kernel and event loop. Threads are safe
here because no two threads share a kernel; starting kernels from several *processes* at once is
what races in papermill (issue #239).

Example:
    >>> with KernelPool(2) as pool:
    ...     future = pool.submit(lambda kernel: kernel.execute(nb))
    ...     executed = future.result()
"""

from __future__ import annotations

import json
import logging
import queue
import re
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import nbformat

from mlkit.errors import MlkitError

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())  # failures are reported in the manifest, not on stderr

T = TypeVar("T")

DEFAULT_WARMUP = """\
import importlib
for _mlkit_name in ("pandas", "matplotlib.pyplot", "mlkit.reports", "mlkit.reports.document",
                    "mlkit.analysis", "mlkit.charts", "mlkit.store", "mlkit.frameworks"):
    try:
        importlib.import_module(_mlkit_name)
    except ImportError:
        pass
"""
"""Imports done once per kernel; a report notebook re-imports them at no cost."""

_SIDE = '__import__("mlkit.batch._kernel_side", fromlist=["_"])'


class KernelStartError(MlkitError, RuntimeError):
    """A kernel could not be started or warmed up."""

    def __init__(self, kernel_name: str, reason: str) -> None:
        self.kernel_name = kernel_name
        self.reason = reason
        super().__init__(f"kernel {kernel_name!r} could not be started: {reason}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.kernel_name, self.reason))


@dataclass
class Execution:
    """The result of executing one notebook on a warm kernel.

    Attributes:
        nb: The executed (possibly partial) notebook, without an error banner.
        error: ``"Name: message"`` of the failure, or None when every cell ran.
        cell_index: Index of the cell that failed, or None.
        exec_count: Execution count of the failed cell (papermill's banner shows it), or None.
    """

    nb: nbformat.NotebookNode
    error: str | None = None
    cell_index: int | None = None
    exec_count: int | None = None


def _new_client(nb: nbformat.NotebookNode, **kw: Any) -> Any:
    """Return a papermill notebook client that also stops on a dead kernel or a timeout."""
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NotebookExecutionManager

    class _Client(PapermillNotebookClient):  # type: ignore[misc]
        failure: tuple[int, str, str] | None = None

        def papermill_execute_cells(self) -> None:
            # papermill's loop, plus: a dead kernel or a timeout also ends the run cleanly.
            for index, cell in enumerate(self.nb.cells):
                try:
                    self.nb_man.cell_start(cell, index)
                    self.execute_cell(cell, index, execution_count=self.code_cells_executed + 1)
                except CellExecutionError as exc:
                    self.nb_man.cell_exception(
                        self.nb.cells[index], cell_index=index, exception=exc
                    )
                    break
                except (DeadKernelError, CellTimeoutError) as exc:
                    name = type(exc).__name__
                    self.failure = (index, name, str(exc) or "kernel stopped")
                    self.nb_man.cell_exception(
                        self.nb.cells[index], cell_index=index, exception=exc
                    )
                    break
                finally:
                    self.nb_man.cell_complete(self.nb.cells[index], cell_index=index)

    manager = NotebookExecutionManager(nb, output_path=None, progress_bar=False, log_output=False)
    return _Client(manager, **kw)


def _first_error(nb: nbformat.NotebookNode) -> tuple[int, int | None, str] | None:
    """Return (cell index, execution count, "Name: message") of the first failed cell."""
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                if output.get("ename") == "SystemExit" and output.get("evalue") in ("", "0"):
                    continue
                return index, cell.get("execution_count"), f"{output.ename}: {output.evalue}"
        if cell.get("metadata", {}).get("papermill", {}).get("exception") is True:
            return index, cell.get("execution_count"), "CellExecutionError"
    return None


class WarmKernel:
    """One ipykernel that runs report after report, reset to a fresh state in between.

    Use it from one thread only (its event loop and ZMQ sockets belong to that thread); a
    :class:`KernelPool` takes care of that.

    Args:
        kernel_name: Kernel spec to start (papermill's default is the notebook's own).
        restart_every: Restart the kernel after this many notebooks (0: never).
        warmup: Code run once after each (re)start, typically the heavy imports.
        cell_timeout: Seconds a cell may run before the notebook fails.
        startup_timeout: Seconds to wait for the kernel to answer after start.
        cwd: Working directory of the kernel (default: the current one, as papermill does).
    """

    def __init__(
        self,
        kernel_name: str = "python3",
        *,
        restart_every: int = 50,
        warmup: str = DEFAULT_WARMUP,
        cell_timeout: int = 600,
        startup_timeout: int = 60,
        cwd: Path | None = None,
    ) -> None:
        self.kernel_name = kernel_name
        self.restart_every = restart_every
        self.warmup = warmup
        self.cell_timeout = cell_timeout
        self.startup_timeout = startup_timeout
        self.cwd = cwd or Path.cwd()
        self.starts = 0
        self.jobs_since_start = 0
        self._boot: Any = None
        self._language_info: dict[str, Any] = {}
        self._dirty = False

    @property
    def alive(self) -> bool:
        """Whether a kernel is running."""
        return self._boot is not None and self._boot.km is not None

    @property
    def pid(self) -> int | None:
        """Process id of the kernel, if one is running (for tests and memory sampling)."""
        if not self.alive:
            return None
        provisioner = getattr(self._boot.km, "provisioner", None)
        process = getattr(provisioner, "process", None)
        return getattr(process, "pid", None)

    def start(self) -> None:
        """Start the kernel, take the fresh-kernel baseline and run the warm-up code."""
        from nbclient import NotebookClient

        self.close()
        boot: Any = NotebookClient(
            nbformat.v4.new_notebook(),
            kernel_name=self.kernel_name,
            timeout=self.cell_timeout,
            startup_timeout=self.startup_timeout,
            shutdown_kernel="immediate",
            extra_arguments=["--IPKernelApp.log_level=ERROR"],  # no start-up chatter per kernel
        )
        try:
            boot.create_kernel_manager()
            boot.start_new_kernel(cwd=str(self.cwd))
            boot.start_new_kernel_client()
        except Exception as exc:
            self._boot = boot
            self.close()
            raise KernelStartError(self.kernel_name, f"{type(exc).__name__}: {exc}") from exc
        self._boot = boot
        self.starts += 1
        self.jobs_since_start = 0
        try:
            reply = boot.wait_for_reply(boot.kc.kernel_info())
            self._language_info = dict(reply["content"].get("language_info", {}))
            self._control(f"{_SIDE}.take_baseline()")
            self._control(self.warmup)
            self._control(f"{_SIDE}.finish_warmup()")
            self._reset()
        except Exception as exc:
            self.close()
            raise KernelStartError(self.kernel_name, f"warm-up failed: {exc}") from exc

    def _control(self, code: str) -> str:
        """Run engine code (not part of any report) without touching the kernel's history.

        Returns:
            What the code printed on stdout.
        """
        cell = nbformat.v4.new_code_cell(code)
        self._boot.nb = nbformat.v4.new_notebook(cells=[cell])
        self._boot.execute_cell(cell, 0, store_history=False)
        return "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stdout")

    def _reset(self) -> None:
        """Reset the kernel to its baseline; raise when anything is left that a reset cannot undo.

        The answer is tagged with a fresh random marker, so output from a left-over hook or
        thread cannot pass for it; no tagged answer counts as a failed reset.
        """
        marker = f"mlkit-reset-{secrets.token_hex(8)}"
        printed = self._control(
            f'print({marker!r}, __import__("json").dumps({_SIDE}.reset()), {marker!r})'
        )
        found = re.search(rf"{marker} (.*) {marker}", printed)
        if found is None:
            raise RuntimeError("the reset gave no answer")
        leftovers = json.loads(found.group(1))
        if leftovers:
            raise RuntimeError(f"not undone by the reset: {', '.join(leftovers)}")
        self._dirty = False

    def _ensure_ready(self) -> None:
        """Start, restart or reset so the next notebook sees a fresh kernel."""
        needs_restart = not self.alive or (
            self.restart_every > 0 and self.jobs_since_start >= self.restart_every
        )
        if not needs_restart and self._dirty:
            try:
                self._reset()
            except Exception as exc:
                log.warning("reset failed (%s); restarting the kernel", exc)
                needs_restart = True
        if needs_restart:
            self.start()

    def execute(self, nb: nbformat.NotebookNode) -> Execution:
        """Execute a parameterized notebook on this kernel, as papermill would on a fresh one.

        A failure does not raise: it comes back in :attr:`Execution.error`, and the kernel is
        restarted before the next notebook.

        Raises:
            KernelStartError: when no kernel could be started at all.
        """
        self._ensure_ready()
        self.jobs_since_start += 1
        self._dirty = True
        client = _new_client(
            nb,
            km=self._boot.km,
            kernel_name=self.kernel_name,
            timeout=self.cell_timeout,
            startup_timeout=self.startup_timeout,
            log=log,
        )
        client.kc = self._boot.kc
        client.nb_man.notebook_start()
        try:
            client.reset_execution_trackers()
            client.papermill_execute_cells()
            client.nb.metadata["language_info"] = self._language_info
            client.set_widgets_metadata()
        finally:
            client.nb_man.cleanup_pbar()
            client.nb_man.notebook_complete()
        result = Execution(client.nb_man.nb)
        if client.failure is not None:
            index, name, message = client.failure
            cell = result.nb.cells[index]
            cell.outputs.append(
                nbformat.v4.new_output(
                    "error", ename=name, evalue=message, traceback=[f"{name}: {message}"]
                )
            )
            result.error, result.cell_index = f"{name}: {message}", index
            result.exec_count = cell.get("execution_count")
        elif (found := _first_error(result.nb)) is not None:
            result.cell_index, result.exec_count, result.error = found
        if result.error is not None:
            self.close()  # restart lazily before the next notebook
        return result

    def close(self) -> None:
        """Shut the kernel down and release its sockets; safe to call twice."""
        boot, self._boot = self._boot, None
        if boot is None or boot.km is None:
            return
        try:
            boot._cleanup_kernel()
        except Exception as exc:  # a dead kernel may refuse a clean shutdown
            log.warning("kernel shutdown: %s", exc)


class KernelPool:
    """N threads, each owning one :class:`WarmKernel`; jobs go to whichever is free.

    Args:
        size: Number of kernels (and threads).
        **kernel_options: Passed to :class:`WarmKernel`.
    """

    def __init__(self, size: int, **kernel_options: Any) -> None:
        if size < 1:
            raise ValueError("a kernel pool needs at least one kernel")
        self.size = size
        self._options = kernel_options
        self._queue: queue.Queue[tuple[Callable[[WarmKernel], Any], Future[Any]] | None] = (
            queue.Queue()
        )
        self.kernels: list[WarmKernel] = []
        self._lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._work, name=f"mlkit-kernel-{i}", daemon=True)
            for i in range(size)
        ]
        for thread in self._threads:
            thread.start()

    def _work(self) -> None:
        import asyncio

        from jupyter_core.utils import ensure_event_loop

        kernel = WarmKernel(**self._options)
        with self._lock:
            self.kernels.append(kernel)
        try:
            while (item := self._queue.get()) is not None:
                fn, future = item
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    future.set_result(fn(kernel))
                except BaseException as exc:
                    future.set_exception(exc)
        finally:
            kernel.close()
            loop = ensure_event_loop()
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()
            asyncio.set_event_loop(None)

    def submit(self, fn: Callable[[WarmKernel], T]) -> Future[T]:
        """Queue ``fn(kernel)`` for the next free kernel and return its future."""
        future: Future[T] = Future()
        self._queue.put((fn, future))
        return future

    def close(self, *, cancel_pending: bool = True) -> None:
        """Stop the threads and shut every kernel down (pending jobs are cancelled)."""
        if cancel_pending:
            while True:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is not None:
                    item[1].cancel()
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join()

    def __enter__(self) -> KernelPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
