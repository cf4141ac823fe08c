"""Warm Jupyter kernels: start once, import the heavy modules once, reset between reports.

Starting a kernel costs about 2 s, far more than a thin report notebook needs to run. A
:class:`WarmKernel` starts one ipykernel, imports pandas, matplotlib and mlkit once, and then
executes report after report on it, resetting the user namespace to a fresh kernel's in between
(``%reset -f``, all figures closed, matplotlib settings, working directory and ``sys.path``
restored). Notebooks run through :func:`mlkit.reports.execute.execute` (papermill with the
``mlkit`` engine, which hands the kernel to nbclient), so a report carries the same cell metadata
and error banner papermill writes on a fresh kernel.

The kernel is restarted after any failure (an exception in a cell, a dead kernel, a timeout) and
after every ``restart_every`` reports, so a leak cannot build up.

A :class:`KernelPool` owns N threads, each with its own kernel and event loop. Threads are safe
here because no two threads share a kernel; starting kernels from several *processes* at once is
what races in papermill (issue #239).

Example:
    >>> with KernelPool(2) as pool:
    ...     future = pool.submit(lambda kernel: kernel.run(template, parameters))
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
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import nbformat

from mlkit.kernels import Kernel, KernelStartError

if TYPE_CHECKING:
    from mlkit.reports.execute import Executed

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


class WarmKernel(Kernel):
    """One ipykernel that runs report after report, reset to a fresh state in between.

    Use it from one thread only (its event loop and ZMQ sockets belong to that thread); a
    :class:`KernelPool` takes care of that. Notebooks run on it through
    :func:`mlkit.reports.execute.execute`, which calls :meth:`ready` first.

    Args:
        kernel_name: Kernel spec to start.
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
        super().__init__(kernel_name, startup_timeout=startup_timeout, cwd=cwd, shutdown_now=True)
        self.restart_every = restart_every
        self.warmup = warmup
        self.cell_timeout = cell_timeout
        self.starts = 0
        self.jobs_since_start = 0
        self._dirty = False

    def start(self) -> None:
        """Start the kernel, take the fresh-kernel baseline and run the warm-up code.

        Raises:
            KernelStartError: when the kernel does not start or the warm-up fails.
        """
        super().start()
        self.starts += 1
        self.jobs_since_start = 0
        try:
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
        from nbclient import NotebookClient

        cell = nbformat.v4.new_code_cell(code)
        client = NotebookClient(
            nbformat.v4.new_notebook(cells=[cell]), km=self.km, timeout=self.cell_timeout, log=log
        )
        client.kc = self.kc  # the kernel's own client; nbclient leaves it open
        client.execute_cell(cell, 0, store_history=False)
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

    def ready(self) -> WarmKernel:
        """Start, restart or reset so the next notebook sees a fresh kernel; count the notebook.

        Raises:
            KernelStartError: when no kernel could be started.
        """
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
        self.jobs_since_start += 1
        self._dirty = True
        return self

    def run(self, notebook: Path, parameters: dict[str, Any]) -> Executed:
        """Run ``notebook`` with ``parameters`` on this kernel, as papermill would on a fresh one.

        A failure does not raise: it comes back in :attr:`Executed.error` (with papermill's
        banner in the notebook), and the kernel is restarted before the next notebook. A
        kernel that cannot start is such a failure too.
        """
        from mlkit.reports.execute import execute

        result = execute(notebook, parameters, kernel=self, execution_timeout=self.cell_timeout)
        if result.error is not None:
            self.close()  # restart lazily before the next notebook
        return result


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
