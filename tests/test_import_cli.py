"""``mlkit import`` in-process through CliRunner, plus a subprocess smoke test."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ingest_helpers import BAD, IMPORT
from typer.testing import CliRunner

from mlkit.cli import app
from mlkit.store import Store

runner = CliRunner()


def test_help_documents_exit_codes_and_aliases() -> None:
    result = runner.invoke(app, ["import", "--help"])
    assert result.exit_code == 0
    out = " ".join(result.output.split())
    assert "Exit codes" in out and "fatal error" in out
    assert "resident_id" in out and "mlkit import roster.csv" in out


def test_import_ok_rejects_and_fatal(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    ok = runner.invoke(app, ["import", str(IMPORT / "roster.csv"), "--db", str(db)])
    assert ok.exit_code == 0, ok.output
    assert "3 rows read = 3 stored + 0 rejected + 0 duplicates" in ok.output
    rejects = tmp_path / "out.csv"
    bad = runner.invoke(
        app,
        [
            "import",
            str(BAD / "unknown_aios.csv"),
            "--db",
            str(db),
            "--rejects",
            str(rejects),
            "--json",
        ],
    )
    assert bad.exit_code == 1
    data = json.loads(bad.stdout)
    assert {k: data[k] for k in ("rows_read", "stored", "rejected", "duplicates")} == {
        "rows_read": 1,
        "stored": 0,
        "rejected": 1,
        "duplicates": 0,
    }
    assert rejects.exists()
    fatal = runner.invoke(app, ["import", str(BAD / "empty.csv"), "--db", str(db)])
    assert fatal.exit_code == 2
    assert "mlkit: error:" in fatal.stderr and "empty" in fatal.stderr
    missing = runner.invoke(app, ["import", str(tmp_path / "nope.csv"), "--db", str(db)])
    assert missing.exit_code == 2


def test_db_from_env(tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    result = runner.invoke(app, ["import", str(IMPORT / "roster.csv")], env={"MLKIT_DB": str(db)})
    assert result.exit_code == 0
    with Store.open(db) as store:
        assert len(store.aios_ids()) == 3


def test_subprocess_smoke(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    cmd = [
        sys.executable,
        "-m",
        "mlkit",
        "import",
        str(IMPORT / "roster.csv"),
        "--db",
        str(db),
        "--json",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["stored"] == 3
