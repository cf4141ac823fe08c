"""The bad-input corpus: every file gets a clear error and the row accounting adds up."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from ingest_helpers import BAD, run_import, store_with_roster

from mlkit.ingest import (
    EmptyFileError,
    ImportFileError,
    NoDataRowsError,
    UnreadableFileError,
    UnrecognisedColumnsError,
)
from mlkit.store import Store


@pytest.fixture
def store(tmp_path: Path):
    s = store_with_roster(tmp_path / "s.db")
    yield s
    s.close()


def _rejects(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


@pytest.mark.parametrize(
    ("name", "error", "match"),
    [
        ("empty.csv", EmptyFileError, "the file is empty"),
        ("header_only.csv", NoDataRowsError, "header only"),
        ("wrong_delimiter.csv", UnrecognisedColumnsError, "one column only: is the delimiter"),
        ("binary.csv", UnreadableFileError, "binary data"),
    ],
)
def test_fatal_files_change_nothing(
    store: Store, tmp_path: Path, name: str, error: type[ImportFileError], match: str
) -> None:
    before = store.record_counts()
    with pytest.raises(error, match=match):
        run_import(BAD / name, store, tmp_path / "r.csv")
    assert store.record_counts() == before
    assert not (tmp_path / "r.csv").exists()


@pytest.mark.parametrize(
    ("name", "field", "reason", "rejected", "stored"),
    [
        ("unknown_instrument.csv", "instrument", "unknown_instrument", 1, 0),
        ("unknown_framework_code.csv", "domein", "unknown_framework_code", 1, 0),
        ("score_out_of_range.csv", "score", "score_out_of_range", 2, 0),
        ("future_date.csv", "datum", "future_date", 1, 0),
        ("before_training_start.csv", "datum", "before_training_start", 1, 0),
        ("unknown_aios.csv", "aios_id", "unknown_aios", 1, 0),
        ("duplicated_rows.csv", "formulier_id", "duplicate_key", 1, 1),
        ("not_utf8.csv", "beoordelaar", "invalid_encoding", 1, 1),
    ],
)
def test_rejected_rows(
    store: Store, tmp_path: Path, name: str, field: str, reason: str, rejected: int, stored: int
) -> None:
    out = tmp_path / "r.csv"
    summary = run_import(BAD / name, store, out)
    assert (summary.rejected, summary.stored) == (rejected, stored)
    rows = _rejects(out)
    assert {(r["field"], r["reason"]) for r in rows} >= {(field, reason)}
    assert all(r["row"].isdigit() and r["message"] for r in rows)


def test_duplicated_rows_count_as_duplicates(store: Store, tmp_path: Path) -> None:
    summary = run_import(BAD / "duplicated_rows.csv", store, tmp_path / "r.csv")
    assert (summary.rows_read, summary.stored, summary.duplicates, summary.rejected) == (3, 1, 1, 1)


def test_not_utf8_bytes_are_escaped_in_rejects(store: Store, tmp_path: Path) -> None:
    run_import(BAD / "not_utf8.csv", store, tmp_path / "r.csv")
    (row,) = _rejects(tmp_path / "r.csv")
    assert row["row"] == "3"
    assert row["value"] == "Dr. \\xff\\xfe"
    assert store.forms("A0001")["assessor"].tolist() == ["Dr. Ünal"]


def test_html_is_stored_as_text(store: Store, tmp_path: Path) -> None:
    summary = run_import(BAD / "html_script.csv", store, tmp_path / "r.csv")
    assert summary.stored == 1
    assert store.forms("A0001")["comment"].tolist() == ["<b>Goed</b> <script>alert('x')</script>"]


def test_formula_cells_stored_verbatim_and_neutralised_in_rejects(
    store: Store, tmp_path: Path
) -> None:
    out = tmp_path / "r.csv"
    summary = run_import(BAD / "formula_injection.csv", store, out)
    assert (summary.stored, summary.rejected) == (1, 2)
    assert store.forms("A0001")["comment"].tolist() == ['=HYPERLINK("http://evil")']
    values = {(r["field"], r["value"]) for r in _rejects(out)}
    assert ("aios_id", "'=cmd|' /C calc'!A0") in values
    assert ("score", "'-2") in values
    raw = out.read_text(encoding="utf-8-sig")
    assert not any(
        line.split(";")[2].startswith(("=", "+", "-", "@")) for line in raw.splitlines()[1:]
    )


def test_one_megabyte_comment_is_rejected(store: Store, tmp_path: Path) -> None:
    big = tmp_path / "big_comment.csv"
    text = "x" * 1_000_000
    big.write_text(
        "formulier_id;aios_id;instrument;datum;beoordelaar;rol_beoordelaar;item;score;toelichting\n"
        f"K1;A0001;msf;05-10-2023;Dr. X;specialist;aanspreekbaar;4;{text}\n"
        "K2;A0001;msf;05-10-2023;Dr. X;specialist;aanspreekbaar;4;kort\n",
        encoding="utf-8",
    )
    summary = run_import(big, store, tmp_path / "r.csv")
    assert (summary.stored, summary.rejected) == (1, 1)
    (row,) = _rejects(tmp_path / "r.csv")
    assert row["reason"] == "too_long"
    assert len(row["value"]) <= 300  # the rejects CSV shows a cut-short value


def test_same_file_twice_stores_nothing_new(store: Store, tmp_path: Path) -> None:
    first = run_import(BAD / "duplicated_rows.csv", store, tmp_path / "r.csv")
    counts = store.record_counts()
    second = run_import(BAD / "duplicated_rows.csv", store, tmp_path / "r.csv")
    assert first.stored == 1 and second.stored == 0
    assert second.duplicates == 2
    after = store.record_counts()
    assert {k: v for k, v in after.items() if k != "imports"} == {
        k: v for k, v in counts.items() if k != "imports"
    }
