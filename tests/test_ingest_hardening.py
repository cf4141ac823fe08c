"""Nothing lost on import: rejects written with the rows or not at all, every row counted."""

from __future__ import annotations

import csv
import pickle
from pathlib import Path

import pytest
from ingest_helpers import BAD, IMPORT, run_import, store_with_roster
from openpyxl import Workbook
from typer.testing import CliRunner

from mlkit.cli import app
from mlkit.ingest import parse_table
from mlkit.ingest.errors import RejectsFileError, UnreadableFileError
from mlkit.store import Store

runner = CliRunner()
ROSTER_HEADER = "aios_id;naam;specialisme;startdatum"


@pytest.fixture
def store(tmp_path: Path):
    s = store_with_roster(tmp_path / "s.db")
    yield s
    s.close()


def _rejects(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def _roster(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([ROSTER_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_rejects_naming_a_directory_is_fatal_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    store_with_roster(db).close()
    with Store.open(db) as store:
        counts = store.record_counts()
    (tmp_path / "dir").mkdir()
    result = runner.invoke(
        app,
        [
            "import",
            str(BAD / "unknown_aios.csv"),
            "--db",
            str(db),
            "--rejects",
            str(tmp_path / "dir"),
        ],
    )
    assert result.exit_code == 2
    assert "cannot write the rejects file" in result.stderr and "Traceback" not in result.output
    with Store.open(db) as store:
        assert store.record_counts() == counts


def test_rejects_write_failure_rolls_back_the_rows(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = _roster(
        tmp_path / "r.csv",
        "A0100;Nieuw;interne geneeskunde;01-09-2022",
        "A0101;Kapot;interne geneeskunde;niet-een-datum",
    )
    counts = store.record_counts()

    def full(frame: object, path: Path) -> None:
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr("mlkit.ingest.importer.write_csv", full)
    with pytest.raises(RejectsFileError, match="nothing was imported"):
        run_import(src, store, tmp_path / "out.csv")
    assert store.record_counts() == counts
    assert "A0100" not in store.aios_ids()


def test_a_fatal_error_creates_no_store_file(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    for args in (
        [str(BAD / "empty.csv")],
        [str(BAD / "unknown_aios.csv"), "--rejects", str(tmp_path)],
        [str(BAD / "header_only.csv")],
    ):
        result = runner.invoke(app, ["import", *args, "--db", str(db)])
        assert result.exit_code == 2, result.output
        assert not db.exists() and not Path(f"{db}-wal").exists()


@pytest.mark.parametrize("closed_later", [False, True])
def test_an_unclosed_quote_swallows_no_rows(
    store: Store, tmp_path: Path, closed_later: bool
) -> None:
    rows = [f"A{n:04d};Aios {n};interne geneeskunde;01-09-2022" for n in range(100, 110)]
    rows[3] = 'A0103;"Aios 103;interne geneeskunde;01-09-2022'
    if closed_later:
        rows[8] = 'A0108;Aios "108";interne geneeskunde;01-09-2022'
    src = _roster(tmp_path / "q.csv", *rows)
    summary = run_import(src, store, tmp_path / "out.csv")
    assert summary.rows_read == 10
    assert summary.rejected >= 1 and summary.stored >= 8
    flagged = {r["row"] for r in _rejects(tmp_path / "out.csv") if r["reason"] == "malformed_row"}
    assert "5" in flagged  # row 5 of the file: the header is row 1


def test_quoted_multiline_cells_are_one_row() -> None:
    data = (
        b'aios_id;naam;specialisme;startdatum\nA1;"Jan\nde Vries";chirurgie;01-09-2022\nA2;P;c;d\n'
    )
    table = parse_table(data)
    assert table.frame["naam"].tolist() == ["Jan\nde Vries", "P"]
    assert table.bad_rows == {}


def test_xlsx_with_data_on_two_sheets_is_refused(tmp_path: Path) -> None:
    book = Workbook()
    first = book.active
    assert first is not None
    first.append(ROSTER_HEADER.split(";"))
    first.append(["A0100", "Een", "interne geneeskunde", "01-09-2022"])
    second = book.create_sheet("Blad2")
    second.append(ROSTER_HEADER.split(";"))
    second.append(["A0101", "Twee", "interne geneeskunde", "01-09-2022"])
    book.create_sheet("leeg")
    path = tmp_path / "two.xlsx"
    book.save(path)
    with pytest.raises(UnreadableFileError, match=r"data on 2 sheets \('Sheet', 'Blad2'\)"):
        parse_table(path.read_bytes(), str(path))
    book.remove(second)
    book.save(path)
    assert parse_table(path.read_bytes()).frame["aios_id"].tolist() == ["A0100"]


def test_xlsx_formula_without_a_saved_value_is_rejected(store: Store, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(ROSTER_HEADER.split(";"))
    sheet.append(["A0100", "Een", "interne geneeskunde", "01-09-2022"])
    sheet.append(["A0101", '=CONCAT("T","wee")', "interne geneeskunde", "01-09-2022"])
    path = tmp_path / "f.xlsx"
    book.save(path)  # openpyxl saves formulas without a cached value
    summary = run_import(path, store, tmp_path / "out.csv")
    assert (summary.rows_read, summary.stored, summary.rejected) == (2, 1, 1)
    (row,) = [r for r in _rejects(tmp_path / "out.csv") if r["reason"] == "malformed_row"]
    assert row["row"] == "3" and "cell B3 holds a formula without a saved value" in row["message"]
    assert "A0101" not in store.aios_ids()


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x07"])
def test_control_characters_are_rejected(store: Store, tmp_path: Path, char: str) -> None:
    src = _roster(
        tmp_path / "c.csv",
        "A0100;Een;interne geneeskunde;01-09-2022",
        f"A0101;Pi{char}et;interne geneeskunde;01-09-2022",
    )
    summary = run_import(src, store, tmp_path / "out.csv")
    assert (summary.stored, summary.rejected) == (1, 1)
    (row,) = _rejects(tmp_path / "out.csv")
    assert (row["field"], row["reason"]) == ("naam", "control_character")
    assert row["value"] == f"Pi\\x{ord(char):02x}et"  # shown escaped, never raw
    assert "A0101" not in store.aios_ids()


@pytest.mark.parametrize("when", ["01-09-1900", "01-09-0024", "0024-09-01", "01-09-2999"])
def test_implausible_dates_are_rejected(store: Store, tmp_path: Path, when: str) -> None:
    src = _roster(tmp_path / "d.csv", f"A0100;Een;interne geneeskunde;{when}")
    summary = run_import(src, store, tmp_path / "out.csv")
    assert summary.rejected == 1
    (row,) = _rejects(tmp_path / "out.csv")
    assert (row["field"], row["reason"], row["value"]) == ("startdatum", "implausible_date", when)
    assert "four-digit year" in row["message"]


@pytest.mark.parametrize("header", ["Start-Datum", "start datum", "START_DATUM", "Start_Date"])
def test_headers_ignore_case_dashes_spaces_and_underscores(
    store: Store, tmp_path: Path, header: str
) -> None:
    src = tmp_path / "h.csv"
    src.write_text(
        f"aios_id;naam;specialisme;{header}\nA0100;Een;interne geneeskunde;01-09-2022\n",
        encoding="utf-8",
    )
    summary = run_import(src, store)
    assert (summary.stored, summary.ignored_columns) == (1, ())


def test_roster_from_the_fixtures_still_imports(store: Store) -> None:
    assert run_import(IMPORT / "roster.csv", store).duplicates == 3


def test_rejects_file_error_pickles_with_its_data() -> None:
    error = RejectsFileError("out/r.csv", "permission denied")
    back = pickle.loads(pickle.dumps(error))
    assert (type(back), back.path, back.cause, str(back)) == (
        RejectsFileError,
        "out/r.csv",
        "permission denied",
        str(error),
    )
