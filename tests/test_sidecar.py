"""The typed sidecar: written by the kernel, validated on write and on read; reports/ stays below
batch/ in the import graph."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import nbformat
import pytest

from mlkit.reports import build_report, params_for
from mlkit.reports.render import SIDECAR_MIME, write_outputs
from mlkit.reports.sidecar import (
    KernelSidecar,
    KeyFigures,
    ReportSidecar,
    SidecarReadError,
    read_sidecar,
)
from mlkit.store import Store

REPORTS = Path(__file__).resolve().parents[1] / "mlkit" / "reports"


def _imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_reports_never_import_the_batch() -> None:
    modules = sorted(REPORTS.glob("*.py"))
    assert len(modules) > 10
    upward = {
        p.name: sorted(m for m in _imported_modules(p) if m.split(".")[:2] == ["mlkit", "batch"])
        for p in modules
    }
    assert {name: found for name, found in upward.items() if found} == {}
    batch = REPORTS.parent / "batch"
    assert not (batch / "index.py").exists() and not (batch / "templates").exists()


@pytest.fixture(scope="module")
def payload(test_store: Path) -> dict[str, Any]:
    with Store.open(test_store) as store:
        aios_id = store.aios_ids()[0]
    params = {"aios_id": aios_id, "db": str(test_store), "as_of": "2026-06-30"}
    return build_report(params_for("progress", params)).sidecar()


def test_the_kernel_payload_round_trips(payload: dict[str, Any]) -> None:
    kernel = KernelSidecar.model_validate(payload)
    assert isinstance(kernel.key_figures, KeyFigures)
    assert kernel.model_dump(mode="json") == payload
    assert payload["key_figures"]["schema"] == "mlkit.key-figures/1"
    d01 = payload["key_figures"]["domains"]["rml.d01"]
    assert set(d01["names"]) == {"nl", "en"} and "self" in d01


def test_a_sidecar_from_before_the_schema_id_is_still_read(payload: dict[str, Any]) -> None:
    old = json.loads(json.dumps(payload["key_figures"]))
    del old["schema"]
    for d in old["domains"].values():
        del d["names"]
    sidecar = ReportSidecar.model_validate({"report": "progress", "ok": True, "key_figures": old})
    assert sidecar.figures is not None and sidecar.figures.aios_id == old["aios_id"]


def test_custom_figures_are_kept_and_broken_mlkit_figures_refused(
    payload: dict[str, Any],
) -> None:
    custom = ReportSidecar.model_validate(
        {"report": "progress", "ok": True, "key_figures": {"aios_id": "A1", "seen": {"x": 1}}}
    )
    assert custom.figures is None and custom.key_figures == {"aios_id": "A1", "seen": {"x": 1}}
    broken = json.loads(json.dumps(payload["key_figures"]))
    broken["domains"]["rml.d01"]["status"] = "excellent"
    with pytest.raises(ValueError, match="status"):
        ReportSidecar.model_validate({"report": "progress", "ok": True, "key_figures": broken})


def test_reading_a_bad_sidecar_names_the_file_and_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "A0001_progress.json"
    path.write_text('{"report": "progress"}', encoding="utf-8")
    with pytest.raises(SidecarReadError, match=r"A0001_progress.json: .*ok: Field required"):
        read_sidecar(path)
    path.write_text("{nope", encoding="utf-8")
    with pytest.raises(SidecarReadError, match="not JSON"):
        read_sidecar(path)
    with pytest.raises(SidecarReadError, match="cannot read"):
        read_sidecar(tmp_path / "missing.json")


def _notebook(payload: dict[str, Any]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("emit()")
    data = {SIDECAR_MIME: payload, "text/plain": "sidecar"}
    cell.outputs = [nbformat.v4.new_output("display_data", data=data)]
    cell.metadata["tags"] = ["mlkit-sidecar"]
    nb.cells = [cell]
    return nb


def test_an_emitted_sidecar_that_does_not_validate_fails_the_report(
    tmp_path: Path, payload: dict[str, Any], test_store: Path
) -> None:
    params = params_for(
        "progress", {"aios_id": payload["key_figures"]["aios_id"], "db": str(test_store)}
    )
    good = write_outputs(
        _notebook(payload), params, tmp_path, error=None, template_sha256="t", seconds=0.0
    )
    assert good.ok and good.error is None
    written = read_sidecar(good.sidecar)
    assert written.ok and written.figures is not None and written.provenance.template_sha256 == "t"
    assert written.provenance.data_sha256 == payload["provenance"]["data_sha256"]
    broken = json.loads(json.dumps(payload))
    del broken["key_figures"]["domains"]
    bad = write_outputs(
        _notebook(broken), params, tmp_path, error=None, template_sha256="t", seconds=0.0
    )
    assert not bad.ok and bad.error is not None
    assert bad.error.startswith("sidecar does not validate: key_figures")
    on_disk = read_sidecar(bad.sidecar)
    assert on_disk.ok is False and on_disk.error == bad.error and on_disk.key_figures is None
