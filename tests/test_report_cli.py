"""``mlkit report``: options mirror the parameter model; errors come before a kernel starts."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mlkit.cli import app
from mlkit.cli.report_cmd import reflect_cmd, report_cmd
from mlkit.reports.params import ReportParams

runner = CliRunner()
OPTION_FOR_FIELD = {
    "aios_id": "aios_id",
    "db": "db",
    "lang": "lang",
    "as_of": "as_of",
    "frameworks_dir": "frameworks",
    "curricula_dir": "curricula",
}


@pytest.mark.parametrize("command", [report_cmd, reflect_cmd])
def test_cli_options_cover_the_parameter_model(command: object) -> None:
    names = set(inspect.signature(command).parameters)  # type: ignore[arg-type]
    assert {OPTION_FOR_FIELD[f] for f in ReportParams.model_fields} <= names


@pytest.mark.slow
def test_report_command_writes_three_outputs(test_store: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "report",
            "X0001",
            "--kind",
            "summary",
            "--db",
            str(test_store),
            "--out",
            str(tmp_path),
            "--as-of",
            "2026-06-30",
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "X0001_summary.html",
        "X0001_summary.ipynb",
        "X0001_summary.json",
    ]
    sidecar = json.loads((tmp_path / "X0001_summary.json").read_text(encoding="utf-8"))
    assert sidecar["key_figures"]["n_forms"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lang", "de"], "lang"),
        (["--as-of", "2026-13-30"], "mlkit: error: --as-of: '2026-13-30' is not a date"),
    ],
)
def test_bad_parameters_fail_fast(
    test_store: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    result = runner.invoke(
        app, ["report", "X0001", "--db", str(test_store), "--out", str(tmp_path), *args]
    )
    assert result.exit_code == 2
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_unknown_aios_fails_fast(test_store: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["report", "NOPE1", "--db", str(test_store), "--out", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "unknown aios 'NOPE1'" in result.stderr


@pytest.mark.parametrize("as_of", ["30-06-2026", "2026-06-30"])
def test_report_and_reflect_read_as_of_with_the_shared_parser(as_of: str) -> None:
    from mlkit.cli.report_cmd import _values

    assert _values("A1", None, "nl", as_of, None, None)["as_of"] == "2026-06-30"


def test_reflect_rejects_a_bad_as_of_in_one_line(test_store: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["reflect", "X0001", "--db", str(test_store), "--out", str(tmp_path), "--as-of", "x"]
    )
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "mlkit: error: --as-of: 'x' is not a date; use YYYY-MM-DD or dd-mm-jjjj "
        "(e.g. 2025-06-30 or 30-06-2025)"
    ]
