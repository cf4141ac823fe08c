"""The one executor: papermill with the ``mlkit`` engine, on a cold or a caller-owned kernel."""

from __future__ import annotations

from pathlib import Path

import nbformat
import psutil
import pytest

from mlkit.batch import AiosEntry, BatchRequest, WarmKernel, plan_jobs, render_job
from mlkit.kernels import Kernel
from mlkit.reports.execute import execute

pytestmark = pytest.mark.slow


def _notebook(path: Path, *sources: str, kernel: str = "python3") -> Path:
    parameters = nbformat.v4.new_code_cell("x = 0")
    parameters.metadata["tags"] = ["parameters"]
    cells = [parameters, *(nbformat.v4.new_code_cell(s) for s in sources)]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": kernel, "display_name": kernel, "language": "python"}
    nbformat.write(nb, path)
    return path


def _kernel_children() -> set[int]:
    return {p.pid for p in psutil.Process().children(recursive=True)}


def test_a_caller_owned_kernel_outlives_the_runs(tmp_path: Path) -> None:
    source = "import os\nprint(os.getpid(), x * 2)"
    template = _notebook(tmp_path / "t.ipynb", source, kernel="not-installed")  # kernel decides
    kernel = Kernel()
    try:
        first = execute(template, {"x": 2}, kernel=kernel)
        second = execute(template, {"x": 5}, kernel=kernel)
        pid = kernel.pid
        assert kernel.alive and pid is not None and psutil.pid_exists(pid)
    finally:
        kernel.close()
    assert first.error is None and second.error is None
    pid_1, value_1 = first.nb.cells[-1].outputs[0]["text"].split()
    pid_2, value_2 = second.nb.cells[-1].outputs[0]["text"].split()
    assert (value_1, value_2) == ("4", "10")
    assert pid_1 == pid_2 == str(pid)  # one kernel ran both, nbclient left it running
    assert first.nb.metadata.papermill["parameters"] == {"x": 2}
    assert first.nb.metadata.language_info["name"] == "python"
    assert not kernel.alive


def test_without_a_kernel_one_is_started_and_shut_down(tmp_path: Path) -> None:
    template = _notebook(tmp_path / "t.ipynb", "y = x + 1\ny")
    before = _kernel_children()
    run = execute(template, {"x": 41}, kernel_name="python3")
    assert run.error is None
    assert run.nb.cells[-1].outputs[0]["data"]["text/plain"] == "42"
    assert {p for p in _kernel_children() - before if psutil.pid_exists(p)} == set()


def test_a_timeout_fails_the_run_with_papermills_banner(tmp_path: Path) -> None:
    template = _notebook(tmp_path / "t.ipynb", "import time\ntime.sleep(60)", "print('never')")
    kernel = Kernel(shutdown_now=True)
    try:
        run = execute(template, {}, kernel=kernel, execution_timeout=1)
    finally:
        kernel.close()
    assert run.error is not None and run.error.startswith("CellTimeoutError: ")
    assert "papermill-error-cell-tag" in run.nb.cells[0].metadata["tags"]
    assert "An Exception was encountered" in run.nb.cells[0].source
    assert run.nb.cells[-1].outputs == []  # the cell after the timeout never ran


def test_prepare_only_injects_parameters_and_runs_nothing(tmp_path: Path) -> None:
    template = _notebook(tmp_path / "t.ipynb", "raise SystemExit(3)")
    run = execute(template, {"x": 7}, kernel_name="python3", prepare_only=True)
    assert run.error is None
    injected = [c for c in run.nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "x = 7" in injected[0].source
    assert all(c.get("outputs") == [] for c in run.nb.cells if c.cell_type == "code")


def test_a_kernel_that_cannot_start_is_a_failed_report_with_banner(
    tmp_path: Path, data_dir: Path
) -> None:
    (job,) = plan_jobs(
        [AiosEntry("A1", "hash-A1")],
        BatchRequest(
            out=tmp_path,
            db=tmp_path / "none.db",
            kinds=["progress"],
            as_of="2025-06-30",
            template_dir=data_dir / "notebooks",
        ),
    )
    kernel = WarmKernel("no-such-kernel-spec")
    result = render_job(kernel, job)
    assert result.status == "failed"
    assert result.reason is not None
    assert result.reason.startswith("KernelStartError: kernel 'no-such-kernel-spec'")
    nb = nbformat.read(tmp_path / "A1_progress.ipynb", as_version=4)
    assert "An Exception was encountered" in nb.cells[0].source
    assert not kernel.alive
