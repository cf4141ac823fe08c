"""``mlkit report``: options mirror the parameter model; errors come before a kernel starts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from mlkit.cli import app
from mlkit.cli.report_cmd import COMMAND_ONLY
from mlkit.reports.params import PARAM_MODELS

runner = CliRunner()


def _cli_params(command: str) -> dict[str, object]:
    """The options of ``mlkit COMMAND`` (by their name; an argument by its metavar) -> default."""
    group: Any = typer.main.get_command(app)
    params = group.commands[command].params
    return {(p.opts[0] if p.param_type_name == "option" else "AIOS_ID"): p.default for p in params}


@pytest.mark.parametrize(("command", "kind"), [("report", "progress"), ("reflect", "reflection")])
def test_cli_options_are_the_parameter_model(command: str, kind: str) -> None:
    """Every report parameter is an option and every option a parameter, with the same default."""
    model = PARAM_MODELS[kind]
    options = _cli_params(command)
    fields = {model.option_name(f): f for f in model.model_fields if f not in model.HOST_FIELDS}
    assert set(options) == set(fields) | COMMAND_ONLY[command]
    required = {"aios_id": "A1"}
    for option, field in fields.items():
        if field in required:
            continue
        from_cli = model.model_validate({**required, field: options[option]})
        assert getattr(from_cli, field) == getattr(model(**required), field), option


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
