"""Commands that render nothing never import the notebook and report stack (house style 21a)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import mlkit

pytestmark = pytest.mark.slow

REPORT_STACK = {
    "nbformat",
    "nbconvert",
    "papermill",
    "nbclient",
    "jsonschema",
    "matplotlib",
    "ipywidgets",
}
ROSTER = (
    "aios_id;naam;specialisme;startdatum;ziekenhuis;opleider\nA1;Anna;psychiatrie;01-09-2022;;\n"
)


def _imported(args: list[str], cwd: Path) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    """Run ``python -X importtime -m mlkit ARGS``; return the modules it imported."""
    root = str(Path(mlkit.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "mlkit", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        check=False,
    )
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and line.count("|") == 2
    }
    return modules, result


@pytest.mark.parametrize(
    "args",
    [
        ["--version"],
        ["--help"],
        ["frameworks", "list"],
        ["import", "--help"],
        ["import", "roster.csv", "--db", "s.db"],
    ],
    ids=" ".join,
)
def test_command_does_not_import_the_report_stack(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    modules, result = _imported(args, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "mlkit.cli" in modules  # the import log was read
    loaded = sorted(m for m in modules if m.split(".")[0] in REPORT_STACK)
    assert loaded == [], f"mlkit {' '.join(args)} imported {loaded[:5]}"


def test_a_command_that_renders_does_load_the_stack(tmp_path: Path) -> None:
    """A control: the import log shows the stack when a command needs it."""
    modules, result = _imported(["report", "A1", "--db", "missing.db"], tmp_path)
    assert result.returncode != 0
    assert "missing.db" in result.stderr
    assert "nbformat" in modules or "papermill" in modules


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["import", "--help"]], ids=" ".join)
def test_help_and_version_do_not_import_pandas(tmp_path: Path, args: list[str]) -> None:
    """Help texts need no data frames: the importer's column table is read without pandas."""
    modules, result = _imported(args, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "mlkit.cli" in modules  # the import log was read
    assert "pandas" not in modules


def test_importing_a_file_still_loads_pandas(tmp_path: Path) -> None:
    """A control: the lazy package names still import what an import needs."""
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    modules, result = _imported(["import", "roster.csv", "--db", "s.db"], tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "pandas" in modules
