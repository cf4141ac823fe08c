"""The one way mlkit runs a notebook: ``papermill.execute_notebook`` with the ``mlkit`` engine.

``mlkit report``, ``mlkit batch`` (local and on Dask) and the form notebooks of ``mlkit
reflect``, ``assess`` and ``meeting`` (parameterised only) all go through :func:`execute`.
Papermill injects the parameters, records its metadata and, when a cell fails, inserts its own
error banner; :func:`execute` then returns the partial notebook with the failure instead of
raising.

The ``mlkit`` engine is papermill's nbclient engine, extended through papermill's documented
extension point (an :class:`~papermill.engines.Engine` subclass in papermill's engine registry)
in two ways:

- it runs on a :class:`~mlkit.kernels.Kernel` the caller owns when one is given: nbclient gets
  the kernel's manager and client and, as it did not start them, leaves the kernel running for
  the next notebook (the batch's warm kernels). Without one it starts a kernel for the run and
  shuts it down afterwards.
- a cell that kills the kernel or runs out of time fails the run like a cell that raises, so
  papermill writes its banner and the partial notebook; a kernel that cannot start fails the
  first code cell with the reason.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import papermill
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from papermill import PapermillExecutionError
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines

from mlkit.kernels import Kernel

ENGINE_NAME = "mlkit"
"""Name of the engine in papermill's registry."""

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())  # failures are reported with the report, not on stderr


@dataclass(frozen=True)
class Executed:
    """A notebook run by :func:`execute`.

    Attributes:
        nb: The executed notebook; after a failure the partial notebook with papermill's error
            banner.
        error: ``"Name: message"`` of the failure, or None when every cell ran.
    """

    nb: nbformat.NotebookNode
    error: str | None = None


def _error_output(name: str, message: str) -> nbformat.NotebookNode:
    output: nbformat.NotebookNode = nbformat.v4.new_output(
        "error", ename=name, evalue=message, traceback=[f"{name}: {message}"]
    )
    return output


class _Client(PapermillNotebookClient):  # type: ignore[misc]
    """Papermill's client; a dead kernel or a timeout fails the cell like an exception."""

    def execute_cell(
        self,
        cell: nbformat.NotebookNode,
        cell_index: int,
        execution_count: int | None = None,
        store_history: bool = True,
    ) -> nbformat.NotebookNode:
        try:
            done: nbformat.NotebookNode = super().execute_cell(
                cell, cell_index, execution_count, store_history
            )
        except (DeadKernelError, CellTimeoutError) as exc:
            name = type(exc).__name__
            message = str(exc).strip() or "the kernel stopped"
            cell.outputs.append(_error_output(name, message))
            raise CellExecutionError(f"{name}: {message}", name, message) from exc
        return done


def _fail_first_cell(nb_man: Any, exc: Exception) -> None:
    """Record ``exc`` (no kernel to run on) as the failure of the first code cell."""
    cells = nb_man.nb.cells
    index = next((i for i, c in enumerate(cells) if c.cell_type == "code"), 0)
    if not cells:
        return
    cell = cells[index]
    nb_man.cell_start(cell, index)
    cell.outputs = [_error_output(type(exc).__name__, str(exc))]
    nb_man.cell_exception(cell, cell_index=index, exception=exc)
    nb_man.cell_complete(cell, cell_index=index)


class MlkitEngine(NBClientEngine):  # type: ignore[misc]
    """Papermill's nbclient engine on a caller-owned kernel (see the module docstring)."""

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man: Any,
        kernel_name: str,
        *,
        kernel: Kernel | None = None,
        start_timeout: int = 60,
        execution_timeout: int | None = None,
        input_path: str | None = None,
        **kwargs: Any,
    ) -> None:
        """Run the cells of ``nb_man.nb`` on ``kernel`` (or a kernel started for this run).

        Args:
            nb_man: Papermill's execution manager of the notebook.
            kernel_name: Kernel spec of a kernel started for this run (ignored with ``kernel``).
            kernel: A kernel the caller owns and keeps running; ``kernel.ready()`` is called
                first.
            start_timeout: Seconds to wait for a started kernel.
            execution_timeout: Seconds a cell may run (None: no limit).
            input_path: Passed by papermill; not needed here.
            **kwargs: Further options of papermill's notebook client (``log_output``, ...).
        """
        own = kernel is None
        source = kernel or Kernel(kernel_name or "python3", startup_timeout=start_timeout)
        try:
            try:
                running = source.ready()
            except Exception as exc:  # no kernel: the run fails, papermill adds its banner
                _fail_first_cell(nb_man, exc)
                return
            client = _Client(
                nb_man,
                km=running.km,
                kernel_name=running.kernel_name,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                log=log,
                **kwargs,
            )
            client.kc = running.kc  # nbclient keeps a client it was given, like the manager
            client.reset_execution_trackers()
            client.papermill_execute_cells()
            nb_man.nb.metadata["language_info"] = running.language_info
            client.set_widgets_metadata()
        finally:
            if own:
                source.close()


def _literal_path(path: Path) -> str:
    """``path`` as papermill reads it: papermill formats paths with the parameters."""
    return str(path).replace("{", "{{").replace("}", "}}")


def execute(
    notebook: Path | nbformat.NotebookNode,
    parameters: Mapping[str, Any] | None = None,
    *,
    kernel: Kernel | None = None,
    kernel_name: str | None = None,
    execution_timeout: int | None = 600,
    prepare_only: bool = False,
) -> Executed:
    """Run ``notebook`` with ``parameters`` through papermill; return the (partial) result.

    Args:
        notebook: The template notebook (a path or a notebook object; never modified).
        parameters: Values papermill injects after the cell tagged ``parameters``.
        kernel: A kernel to run on that the caller owns and keeps (see
            :class:`mlkit.kernels.Kernel`); None starts a kernel for this run only.
        kernel_name: Kernel spec when no ``kernel`` is given (default: the notebook's own);
            with a ``kernel``, that kernel's spec.
        execution_timeout: Seconds a cell may run (None: no limit).
        prepare_only: Only inject the parameters; run nothing.

    Returns:
        The executed notebook, and the failure as ``"Name: message"`` when a cell raised, the
        kernel died, a cell ran out of time or no kernel could start.

    Example:
        >>> run = execute(Path("progress_report.ipynb"), {"aios_id": "A0001", "db": "demo.db"})
        >>> run.error is None
        True
    """
    papermill_engines.register(ENGINE_NAME, MlkitEngine)
    if kernel is not None:
        kernel_name = kernel.kernel_name  # the notebook runs on this kernel, whatever it names
    source = _literal_path(notebook) if isinstance(notebook, Path) else notebook
    with tempfile.TemporaryDirectory(prefix="mlkit-run-") as scratch:
        output = Path(scratch) / "run.ipynb"
        try:
            nb = papermill.execute_notebook(
                source,
                _literal_path(output),
                parameters=dict(parameters or {}),
                engine_name=ENGINE_NAME,
                request_save_on_cell_execute=False,  # one write, at the end
                prepare_only=prepare_only,
                kernel_name=kernel_name,
                progress_bar=False,
                execution_timeout=execution_timeout,
                kernel=kernel,
            )
        except PapermillExecutionError as exc:  # papermill wrote the notebook with its banner
            return Executed(nbformat.read(output, as_version=4), f"{exc.ename}: {exc.evalue}")
    executed: nbformat.NotebookNode = nb
    return Executed(executed)


__all__ = ["ENGINE_NAME", "Executed", "MlkitEngine", "execute"]
