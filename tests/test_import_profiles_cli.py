"""``mlkit import --profile`` and ``--list-profiles`` in-process through CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mlkit.cli import app

DATA = Path(__file__).parent / "data" / "profiles"
BUNDLED = ("cbd_dashboard_records", "elentra_extract", "royal_college_osr")
runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MLKIT_PROFILES_PATH", str(DATA / "programmes"))
    path = tmp_path / "s.db"
    roster = runner.invoke(app, ["import", str(DATA / "roster.csv"), "--db", str(path)])
    assert roster.exit_code == 0, roster.output
    return path


def test_list_profiles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MLKIT_PROFILES_PATH", raising=False)
    result = runner.invoke(app, ["import", "--list-profiles", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["name"] for r in rows] == list(BUNDLED)
    text = runner.invoke(app, ["import", "--list-profiles"])
    assert "royal_college_osr  [xlsx, partial]" in text.stdout


def test_import_with_profile_and_detection(db: Path, tmp_path: Path) -> None:
    rejects = tmp_path / "rejects.csv"
    args = ["--db", str(db), "--rejects", str(rejects), "--json"]
    named = runner.invoke(
        app,
        ["import", str(DATA / "elentra_extract.csv"), "--profile", "elentra_programme", *args],
    )
    assert named.exit_code == 1, named.output  # some rows rejected, the good ones stored
    data = json.loads(named.stdout)
    assert data["profile"] == "elentra_programme"
    assert (data["rows_read"], data["stored"], data["rejected"]) == (8, 3, 5)
    detected = runner.invoke(app, ["import", str(DATA / "rc_observation_summary.xlsx"), *args])
    assert detected.exit_code == 1, detected.output
    data = json.loads(detected.stdout)
    assert (data["profile"], data["stored"], data["duplicates"]) == ("rc_programme", 3, 1)


def test_unknown_layout_and_unknown_profile_fail_clearly(db: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("Trainee,Score\nX,3\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(other), "--db", str(db)])
    assert result.exit_code == 2
    assert "no import profile fits" in result.stderr
    assert all(name in result.stderr for name in BUNDLED)
    unknown = runner.invoke(app, ["import", str(other), "--db", str(db), "--profile", "epass"])
    assert unknown.exit_code == 2 and "unknown import profile 'epass'" in unknown.stderr
    missing = runner.invoke(app, ["import", "--db", str(db)])
    assert missing.exit_code == 2 and "missing argument FILE" in missing.stderr
