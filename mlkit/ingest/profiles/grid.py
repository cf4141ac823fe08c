"""Reading a vendor export as a grid of text cells, with the row numbers a spreadsheet shows.

A CSV is read with the profile's dialect; a record that spans several lines (a quoted multi-line
comment) is one row, as in a spreadsheet. An XLSX sheet is read by name; dates become ISO text.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time
from zipfile import BadZipFile

from mlkit.ingest.errors import EmptyFileError, UnreadableFileError
from mlkit.ingest.profiles.model import CsvDialect

XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Grid:
    """A sheet or CSV as rows of text cells.

    Attributes:
        rows: ``(row number, cells)`` for every row, blank ones included; numbers start at 1.
        source: The file name for messages.
    """

    rows: tuple[tuple[int, tuple[str, ...]], ...]
    source: str

    def cell(self, row: int, column: int) -> str:
        """The text of a 1-based (row, column) cell, ``""`` outside the grid."""
        if not 1 <= row <= len(self.rows):
            return ""
        cells = self.rows[row - 1][1]
        return cells[column - 1] if 1 <= column <= len(cells) else ""


def is_xlsx(data: bytes) -> bool:
    """True when ``data`` looks like a workbook (a ZIP archive)."""
    return data.startswith(XLSX_MAGIC)


def read_csv_grid(data: bytes, source: str, dialect: CsvDialect) -> Grid:
    """Read CSV bytes with ``dialect``.

    Raises:
        EmptyFileError: when there is nothing but whitespace.
        UnreadableFileError: when the bytes are a workbook or do not decode.
    """
    if not data.strip():
        raise EmptyFileError(source)
    if is_xlsx(data) or b"\x00" in data[:65536]:
        raise UnreadableFileError(source, "binary data: this profile reads a CSV export")
    try:
        text = data.decode(dialect.encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        if dialect.fallback_encoding is None:
            raise UnreadableFileError(source, f"not {dialect.encoding} text: {exc}") from exc
        try:
            text = data.decode(dialect.fallback_encoding)
        except (UnicodeDecodeError, LookupError) as exc2:
            raise UnreadableFileError(
                source, f"neither {dialect.encoding} nor {dialect.fallback_encoding} text"
            ) from exc2
    try:
        rows = list(
            csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=dialect.delimiter)
        )
    except csv.Error as exc:
        raise UnreadableFileError(source, f"cannot parse as CSV: {exc}") from exc
    return Grid(tuple((i, tuple(r)) for i, r in enumerate(rows, start=1)), source)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx_grid(data: bytes, source: str, sheet: str) -> Grid:
    """Read the sheet called ``sheet`` of XLSX bytes.

    Raises:
        UnreadableFileError: when the bytes are not a workbook or the sheet is missing.
    """
    from openpyxl import load_workbook

    if not is_xlsx(data):
        raise UnreadableFileError(source, "not an XLSX workbook: this profile reads XLSX")
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableFileError(source, f"not a readable XLSX workbook: {exc}") from exc
    try:
        if sheet not in workbook.sheetnames:
            raise UnreadableFileError(
                source, f"no sheet {sheet!r} (sheets: {', '.join(workbook.sheetnames)})"
            )
        rows = [
            tuple(_cell_text(v) for v in row) for row in workbook[sheet].iter_rows(values_only=True)
        ]
    finally:
        workbook.close()
    return Grid(tuple((i, r) for i, r in enumerate(rows, start=1)), source)


__all__ = ["Grid", "is_xlsx", "read_csv_grid", "read_xlsx_grid"]
