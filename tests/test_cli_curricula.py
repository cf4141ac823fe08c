"""The ``mlkit curricula`` commands, in-process through Typer's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mlkit.assessments import load_curricula
from mlkit.cli import app

runner = CliRunner()

_ORTHO = """schema: mlkit.curriculum/1
id: orthopedie
extends: default
specialty: orthopedie
title: {nl: Orthopedie, en: Orthopaedics}
duration_years: 6
source: programme's own plan
status: unverified
years: []
"""


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MLKIT_CURRICULA_PATH", raising=False)


def test_list_json_names_every_curriculum(tmp_path: Path) -> None:
    (tmp_path / "orthopedie.yaml").write_text(_ORTHO, encoding="utf-8")
    result = runner.invoke(app, ["curricula", "list", "--json", "--curricula", str(tmp_path)])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert set(rows) == set(load_curricula([])) | {"orthopedie"}
    assert rows["orthopedie"]["origin"] == str(tmp_path / "orthopedie.yaml")
    assert rows["chirurgie"]["title_nl"] == "Heelkunde"
    assert rows["psychiatrie"]["duration_status"] == "confirmed"
    assert rows["default"]["expectation_status_nl"] == "voorstel, geen landelijke norm"


def test_list_text() -> None:
    result = runner.invoke(app, ["curricula", "list"])
    assert result.exit_code == 0
    line = next(x for x in result.stdout.splitlines() if x.startswith("psychiatrie "))
    assert "4.5 yr" in line and "Psychiatrie" in line


@pytest.mark.parametrize(
    ("lang", "words"),
    [("nl", "voorstel, geen landelijke norm"), ("en", "proposal, not a national standard")],
)
def test_show_resolves_a_display_name(lang: str, words: str) -> None:
    result = runner.invoke(app, ["curricula", "show", "Interne geneeskunde", "--lang", lang])
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert "(interne_geneeskunde)" in first and words in first
    assert sum(1 for x in result.stdout.splitlines() if x.startswith(("jaar ", "year "))) == 6


def test_show_duration_in_both_languages() -> None:
    nl = runner.invoke(app, ["curricula", "show", "psychiatrie"]).stdout.splitlines()[0]
    en = runner.invoke(app, ["curricula", "show", "psychiatrie", "--lang", "en"]).stdout
    assert "duur 4,5 jaar (confirmed)" in nl
    assert "4.5 years (confirmed)" in en.splitlines()[0]


def test_show_json_and_default() -> None:
    result = runner.invoke(app, ["curricula", "show", "default", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "default"


def test_show_unknown_specialty_lists_known_names() -> None:
    result = runner.invoke(app, ["curricula", "show", "orthopedie"])
    assert result.exit_code == 2
    assert "unknown specialty 'orthopedie'" in result.stderr
    assert "Heelkunde" in result.stderr and "Interne geneeskunde" in result.stderr


def test_validate_ok_and_problems_as_json(tmp_path: Path) -> None:
    good = tmp_path / "orthopedie.yaml"
    good.write_text(_ORTHO, encoding="utf-8")
    result = runner.invoke(app, ["curricula", "validate", str(good)])
    assert result.exit_code == 0 and result.stdout.strip() == "ok: orthopedie"
    bad_dir = tmp_path / "bad"
    bad_dir.mkdir()
    (bad_dir / "orthopedie.yaml").write_text(
        _ORTHO.replace("duration_years: 6", "duration_years: 9").replace(
            "years: []", "years:\n  - {year: 1, expected: {'*': expert}}"
        ),
        encoding="utf-8",
    )
    (bad_dir / "kapot.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    result = runner.invoke(app, ["curricula", "validate", str(bad_dir), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    rows = report["problems"]
    assert {r["file"] for r in rows} == {
        str(bad_dir / "orthopedie.yaml"),
        str(bad_dir / "kapot.yaml"),
    }
    duration = next(r for r in rows if r["key"] == "duration_years")
    assert duration["line"] == 6 and duration["reason"] and duration["value"] == "9"
    syntax = next(r for r in rows if r["file"].endswith("kapot.yaml"))
    assert syntax["reason"] == "yaml_syntax" and syntax["line"] is not None


def test_validate_missing_path(tmp_path: Path) -> None:
    result = runner.invoke(app, ["curricula", "validate", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "no such file or directory" in result.stderr
