"""Warm kernels: a report equals a fresh kernel's, nothing leaks between aios, failures restart."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from mlkit.batch import AiosEntry, BatchRequest, WarmKernel, plan_jobs, render_job
from mlkit.batch.jobs import ReportJob

pytestmark = pytest.mark.slow
LIGHT_WARMUP = "import pandas, matplotlib.pyplot"


@pytest.fixture
def templates(data_dir: Path) -> Path:
    return data_dir / "notebooks"


def _jobs(ids: list[str], out: Path, templates: Path) -> list[ReportJob]:
    return plan_jobs(
        [AiosEntry(a, f"hash-{a}") for a in ids],
        BatchRequest(
            out=out,
            db=out / "none.db",
            kinds=["progress"],
            as_of="2025-06-30",
            template_dir=templates,
        ),
    )


def _figures(out: Path, key: str) -> dict[str, object]:
    data = json.loads((out / f"{key}.json").read_text(encoding="utf-8"))
    figures: dict[str, object] = data["key_figures"]
    return figures


def test_nothing_set_for_one_aios_is_visible_to_the_next(tmp_path: Path, templates: Path) -> None:
    kernel = WarmKernel()
    try:
        results = [
            render_job(kernel, job) for job in _jobs(["A1", "A2", "A3"], tmp_path, templates)
        ]
    finally:
        kernel.close()
    assert [r.status for r in results] == ["ok", "ok", "ok"]
    assert kernel.starts == 1  # one kernel served all three
    for key in ("A2_progress", "A3_progress"):
        figures = _figures(tmp_path, key)
        # A1 set a global, changed an rcParam, left a figure open and changed directory
        assert figures["leaked"] is False
        assert figures["open_figures"] == 0
        assert figures["linewidth"] == 1.5
        assert figures["cwd"] == str(Path.cwd())


def _comparable(nb: nbformat.NotebookNode) -> list[tuple[str, str, list[dict[str, object]]]]:
    cells = []
    for cell in nb.cells:
        outputs = [{k: v for k, v in o.items() if k != "metadata"} for o in cell.get("outputs", [])]
        cells.append((cell.cell_type, cell.source, outputs))
    return cells


def test_warm_report_equals_a_papermill_run(tmp_path: Path, templates: Path) -> None:
    import papermill

    warm, fresh = tmp_path / "warm", tmp_path / "fresh"
    jobs = _jobs(["A1", "A2"], warm, templates)
    kernel = WarmKernel()
    try:
        for job in jobs:
            render_job(kernel, job)
    finally:
        kernel.close()
    job = jobs[1]  # rendered on a kernel that already ran A1
    fresh.mkdir()
    expected = papermill.execute_notebook(
        str(job.template),
        str(fresh / "A2.ipynb"),
        parameters=job.params.notebook_parameters(),
        progress_bar=False,
    )
    got = nbformat.read(warm / "A2_progress.ipynb", as_version=4)
    assert _comparable(got) == _comparable(expected)
    assert got.metadata.papermill["parameters"] == expected.metadata.papermill["parameters"]
    assert [c.metadata.get("papermill", {}).get("status") for c in got.cells] == [
        c.metadata.get("papermill", {}).get("status") for c in expected.cells
    ]


def test_failure_and_dead_kernel_keep_partial_notebook_and_restart(
    tmp_path: Path,
    templates: Path,
) -> None:
    kernel = WarmKernel(warmup=LIGHT_WARMUP)
    try:
        results = [
            render_job(kernel, job) for job in _jobs(["FAIL1", "DIE2", "A3"], tmp_path, templates)
        ]
    finally:
        kernel.close()
    assert [r.status for r in results] == ["failed", "failed", "ok"]
    assert results[0].reason == "ValueError: bad data for FAIL1"
    assert results[1].reason is not None and results[1].reason.startswith("DeadKernelError")
    assert kernel.starts == 3  # restarted after each failure
    for key in ("FAIL1_progress", "DIE2_progress"):
        nb = nbformat.read(tmp_path / f"{key}.ipynb", as_version=4)
        assert "papermill-error-cell-tag" in nb.cells[0].metadata["tags"]
        assert "An Exception was encountered" in nb.cells[0].source
        sidecar = json.loads((tmp_path / f"{key}.json").read_text(encoding="utf-8"))
        assert sidecar["ok"] is False
        assert sidecar["error"] == next(r.reason for r in results if r.key == key)
        assert "An Exception was encountered" in (tmp_path / f"{key}.html").read_text("utf-8")


def test_kernel_restarts_every_n_reports(tmp_path: Path, templates: Path) -> None:
    kernel = WarmKernel(restart_every=2, warmup=LIGHT_WARMUP)
    try:
        results = [
            render_job(kernel, job) for job in _jobs(["A1", "A2", "A3"], tmp_path, templates)
        ]
    finally:
        kernel.close()
    assert [r.status for r in results] == ["ok", "ok", "ok"]
    assert kernel.starts == 2
