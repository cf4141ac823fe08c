"""``mlkit demo``: frameworks exported, a synthetic store built, reports and an index written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mlkit.cli import app
from mlkit.frameworks import load_all, read_case
from mlkit.store import Store

pytestmark = pytest.mark.slow


def test_demo_builds_everything(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = CliRunner().invoke(app, ["demo", "--out", str(out), "--aios", "6", "--reports", "1"])
    assert result.exit_code == 0, result.output
    for fw_id, fw in load_all().items():
        assert read_case(out / "frameworks" / f"{fw_id}.case.json") == fw
        assert (out / "frameworks" / f"{fw_id}.md").read_text(encoding="utf-8").startswith("# ")
    with Store.open(out / "demo.db") as store:
        assert len(store.aios_ids()) == 6
    reports = sorted(p.name for p in (out / "reports").glob("*.html"))
    assert len(reports) == 3 and "index.html" in reports
    manifest = json.loads((out / "reports" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest  # the batch recorded what it rendered
    assert f"reports index: {out / 'reports' / 'index.html'}" in result.stdout
    assert "rml" in result.stdout and "0 rejected" in result.stdout
