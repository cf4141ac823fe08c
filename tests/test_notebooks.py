"""The notebook templates: nbval --nbval-lax on parameterised copies against a tiny store."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import papermill
import pytest

from mlkit.reports import PARAM_MODELS

ROOT = Path(__file__).resolve().parents[1]
SANITIZE = ROOT / "tests" / "data" / "nbval_sanitize.cfg"

pytestmark = pytest.mark.slow


def test_nbval_lax_runs_every_template(test_store: Path, tmp_path: Path) -> None:
    code_cells = 0
    for kind, model in sorted(PARAM_MODELS.items()):
        target = tmp_path / model.template
        papermill.execute_notebook(
            str(ROOT / "notebooks" / model.template),
            str(target),
            prepare_only=True,
            parameters={"aios_id": "X0001", "db": str(test_store), "as_of": "2026-06-30"},
            progress_bar=False,
        )
        nb = json.loads(target.read_text(encoding="utf-8"))
        code_cells += sum(c["cell_type"] == "code" for c in nb["cells"])
        assert kind in {"progress", "summary", "reflection"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            str(SANITIZE),
            "-p",
            "no:cacheprovider",
            "-q",
            "-o",
            "addopts=",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    passed = re.search(r"(\d+) passed", result.stdout)
    assert passed is not None and int(passed.group(1)) == code_cells
