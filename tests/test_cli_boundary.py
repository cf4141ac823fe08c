"""The CLI's one error boundary: every failure is one line on stderr with the documented code."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from ingest_helpers import IMPORT
from typer.testing import CliRunner

from mlkit.cli import app
from mlkit.cli.boundary import describe, safe_text

runner = CliRunner()


def _one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert lines[0].startswith("mlkit: error: "), text
    assert "Traceback" not in text
    return lines[0]


def test_unexpected_exception_is_one_line_with_a_saved_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr("mlkit.ingest.profiles.import_any_into_db", boom)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    result = runner.invoke(app, ["import", str(IMPORT / "roster.csv"), "--db", "x.db"])
    assert result.exit_code == 2
    line = _one_line(result.stderr)
    assert "unexpected RuntimeError: kaboom" in line
    (saved,) = tmp_path.glob("mlkit-crash-*.txt")
    assert str(saved) in line
    assert "Traceback" in saved.read_text(encoding="utf-8") and "kaboom" in saved.read_text()
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["import", "roster.csv", "--bogus"], "No such option: --bogus"),
        (["import"], "missing argument FILE"),
        (["frameworks", "show", "rml", "--lang", "fr"], "--lang"),
        (["nonsense-command"], "No such command"),
    ],
)
def test_bad_options_are_one_line(args: list[str], expected: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    line = _one_line(result.stderr)
    assert expected in line and "--help" in line
    assert "Usage:" not in result.output


def test_os_errors_name_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(path: Path) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr("mlkit.ingest.importer.read_table", denied)
    result = runner.invoke(
        app, ["import", str(IMPORT / "roster.csv"), "--db", str(tmp_path / "s.db")]
    )
    assert result.exit_code == 2
    line = _one_line(result.stderr)
    assert "roster.csv: permission denied" in line
    monkeypatch.undo()
    directory = runner.invoke(app, ["import", str(tmp_path), "--db", str(tmp_path / "s.db")])
    assert directory.exit_code == 2
    assert "is a directory" in _one_line(directory.stderr)
    assert not (tmp_path / "s.db").exists()


def test_unreadable_input_as_a_normal_user(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file; see test_os_errors_name_the_file")
    src = tmp_path / "roster.csv"
    src.write_bytes((IMPORT / "roster.csv").read_bytes())
    src.chmod(0)
    result = runner.invoke(app, ["import", str(src), "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 2
    assert "permission denied" in _one_line(result.stderr)


def test_interrupt_exits_130_quietly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("mlkit.ingest.profiles.import_any_into_db", interrupted)
    result = runner.invoke(app, ["import", str(IMPORT / "roster.csv"), "--db", "x.db"])
    assert result.exit_code == 130
    assert "Traceback" not in result.output and result.stdout == ""


def test_escape_sequences_are_shown_not_sent(tmp_path: Path) -> None:
    src = tmp_path / "esc.csv"
    src.write_text(
        "aios_id;naam;specialisme;startdatum;\x1b[31mrood\x1b[0m\n"
        "A0001;Aios Een;interne geneeskunde;01-09-2021;x\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["import", str(src), "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout
    assert "ignored columns: \\x1b[31mrood\\x1b[0m" in result.stdout
    bad = tmp_path / "\x1b]0;title\x07.csv"
    bad.write_text("nothing here\n", encoding="utf-8")
    failed = runner.invoke(app, ["import", str(bad), "--db", str(tmp_path / "s.db")])
    assert failed.exit_code == 2
    assert "\x1b" not in failed.stderr and "\\x1b]0;title\\x07" in _one_line(failed.stderr)


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (sqlite3.OperationalError("database or disk is full"), "store error"),
        (
            UnicodeDecodeError("utf-8", b"ab\ncd\xe9", 5, 6, "invalid continuation byte"),
            "byte(s) e9 at line 2",
        ),
        (FileNotFoundError(2, "No such file or directory", "gone.yaml"), "gone.yaml: No such"),
        (OSError(28, "No space left on device", "out.html"), "out.html: no space left"),
        (IsADirectoryError(21, "Is a directory", "out"), "out: is a directory"),
    ],
)
def test_describe_expected_failures(exc: BaseException, expected: str) -> None:
    message = describe(exc)
    assert message is not None and expected in message


def test_describe_leaves_bugs_alone() -> None:
    assert describe(ZeroDivisionError("x")) is None


def test_safe_text() -> None:
    assert safe_text("a\nb\x1b[2Jc\x00") == "a / b\\x1b[2Jc\\x00"
    assert safe_text("x\udcff") == "x\\xff"  # an undecodable byte, shown as the byte
    assert safe_text("one\ntwo", multiline=True) == "one\ntwo"


def test_subprocess_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mlkit", "import", str(tmp_path / "missing.csv"), "--db", "x.db"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 2
    assert "missing.csv" in _one_line(result.stderr)
    assert not (tmp_path / "x.db").exists()
