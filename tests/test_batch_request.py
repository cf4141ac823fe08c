"""The batch request: one validated model behind ``mlkit batch`` and :func:`run_batch`."""

from __future__ import annotations

import pickle
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import typer

from mlkit.batch import BatchOptionError, BatchRequest, OutputDirError
from mlkit.cli import app
from mlkit.cli.batch_cmd import COMMAND_ONLY
from mlkit.reports.params import AsOfError


def _batch_options() -> dict[str, object]:
    group: Any = typer.main.get_command(app)
    return {p.opts[0]: p.default for p in group.commands["batch"].params}


def test_cli_options_are_the_request_model() -> None:
    """Every request field is an option and every option a field, with the same default."""
    options = _batch_options()
    fields = {
        BatchRequest.option_name(f): f
        for f in BatchRequest.model_fields
        if f not in BatchRequest.LIBRARY_ONLY
    }
    assert set(options) == set(fields) | COMMAND_ONLY
    default = BatchRequest()
    for option, field in fields.items():
        from_cli = BatchRequest(**{field: options[option]})
        assert getattr(from_cli, field) == getattr(default, field), option


def test_defaults_are_resolved_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    request = BatchRequest(kinds=" summary, progress,summary,", curricula_dir="cur")
    assert request.kinds == ("summary", "progress")
    assert request.as_of == date.today()
    assert request.db == tmp_path / "mlkit.db"
    assert request.curricula_dir == tmp_path / "cur"
    assert BatchRequest(as_of="30-06-2025").as_of == date(2025, 6, 30)


@pytest.mark.parametrize(
    ("values", "error", "message"),
    [
        ({"kinds": "progress,nope"}, BatchOptionError, "--kind: 'nope': choose from progress"),
        ({"lang": "fr"}, BatchOptionError, "--lang: 'fr': use nl or en"),
        ({"workers": 0}, BatchOptionError, "--workers: 0: must be at least 1"),
        ({"restart_every": -1}, BatchOptionError, "--restart-every: -1: "),
        ({"cell_timeout": "x"}, BatchOptionError, "--timeout: 'x': "),
        ({"executor": "dask://"}, BatchOptionError, "--executor: 'dask://': name the scheduler"),
        ({"as_of": "31-02-2025"}, AsOfError, "--as-of: '31-02-2025' is not a date"),
        ({"colour": "red"}, BatchOptionError, "colour: 'red': not a batch option"),
    ],
)
def test_a_bad_value_is_one_error_naming_its_option(
    values: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as info:
        BatchRequest(**values)
    assert str(info.value).startswith(message)
    assert str(pickle.loads(pickle.dumps(info.value))) == str(info.value)
    assert info.value.__context__ is None  # no cycle for Dask (tblib pickles the chain)


def test_an_out_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x", encoding="utf-8")
    with pytest.raises(OutputDirError, match="exists and is not a directory"):
        BatchRequest(out=tmp_path / "f")
