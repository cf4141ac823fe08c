"""Reading exports: encodings, delimiters, XLSX, headers and aliases, every kind."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from ingest_helpers import IMPORT, run_import, store_with_roster
from openpyxl import Workbook

from mlkit.ingest import ALIASES, FileKind, map_columns, neutralise_cell, parse_table
from mlkit.ingest.columns import normalise_header
from mlkit.ingest.errors import AmbiguousColumnsError, MissingColumnsError


@pytest.mark.parametrize(
    ("data", "encoding", "delimiter"),
    [
        ("a;b\n1;é\n".encode(), "utf-8", ";"),
        ("\ufeffa,b\n1,é\n".encode(), "utf-8-sig", ","),
        ("a\tb\n1\té\n".encode("cp1252"), "cp1252", "\t"),
    ],
)
def test_encodings_and_delimiters(data: bytes, encoding: str, delimiter: str) -> None:
    table = parse_table(data)
    assert (table.encoding, table.delimiter, table.bad_bytes) == (encoding, delimiter, False)
    assert table.headers == ["a", "b"]
    assert table.frame["b"].tolist() == ["é"]
    assert table.frame["_row"].tolist() == [2]


def test_blank_lines_keep_row_numbers() -> None:
    table = parse_table(b"a;b\n1;2\n\n3;4\n")
    assert table.frame["_row"].tolist() == [2, 4]


def test_ragged_rows_are_flagged() -> None:
    table = parse_table(b"a;b\n1;2;3\n4;5\n")
    assert table.bad_rows == {2: "3 fields where the header has 2"}
    assert table.frame["a"].tolist() == ["1", "4"]


def test_aliases_are_unambiguous() -> None:
    seen: dict[str, str] = {}
    for canonical, aliases in ALIASES.items():
        for alias in (canonical, *aliases):
            key = normalise_header(alias)
            assert seen.setdefault(key, canonical) == canonical, alias


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        (["Resident ID", "Name", "Specialty", "Start date"], FileKind.ROSTER),
        (["Form-ID", "aios", "Instrument", "Datum", "Item", "Score"], FileKind.ASSESSMENTS),
        (["activity_id", "aios_id", "type", "title", "start_date"], FileKind.ACTIVITIES),
        (["Reflection ID", "AIOS_ID", "date", "text"], FileKind.REFLECTIONS),
    ],
)
def test_kind_detection(headers: list[str], kind: FileKind) -> None:
    assert map_columns(headers, "x.csv").kind is kind


def test_missing_and_ambiguous_columns() -> None:
    with pytest.raises(MissingColumnsError, match=r"lacks required column.*score"):
        map_columns(["formulier_id", "aios_id", "instrument", "datum", "item"], "x.csv")
    with pytest.raises(AmbiguousColumnsError, match="'aios_id' and 'resident_id'"):
        map_columns(["aios_id", "resident_id", "naam"], "x.csv")


def test_neutralise_cell() -> None:
    assert neutralise_cell("=1+1") == "'=1+1"
    assert neutralise_cell("@x") == "'@x"
    assert neutralise_cell("gewoon") == "gewoon"


def test_every_kind_and_encoding_imports(tmp_path: Path) -> None:
    with store_with_roster(tmp_path / "s.db") as store:
        assert run_import(IMPORT / "roster_cp1252.tsv", store).stored == 1
        assert store.aios("A0004")["display_name"].tolist() == ["René Müller"]
        assert run_import(IMPORT / "msf.csv", store).stored == 5
        assert run_import(IMPORT / "msf_english.csv", store).stored == 1
        assert store.forms("A0002")["comment"].tolist()[-1] == "Helder, rustig"
        assert run_import(IMPORT / "activities.csv", store).stored == 2
        acts = store.activities("A0001")
        assert acts["domains"].tolist() == [("rml.d01", "rml.d05"), ("rml.d06",)]
        assert acts["track"].tolist() == [None, "talent.jong_santeon"]
        assert acts["end_date"].isna().tolist() == [False, True]
        assert run_import(IMPORT / "reflections.csv", store).stored == 1


def test_xlsx_with_dates_and_decimal_comma(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Form ID", "Resident ID", "Instrument", "Date", "Item", "Score", "Comment"])
    ws.append(["X1", "A0001", "MSF", datetime(2023, 10, 5), "aanspreekbaar", 4.0, "ok"])
    ws.append(["X1", "A0001", "MSF", datetime(2023, 10, 5), "organiseert_werk", "3,0", None])
    path = tmp_path / "export.xlsx"
    wb.save(path)
    with store_with_roster(tmp_path / "s.db") as store:
        summary = run_import(path, store)
        assert (summary.kind, summary.stored) == ("assessments", 2)
        assert store.scores("A0001")["score"].tolist() == [4.0, 3.0]
