"""Reading an export file into a table of text cells: encoding, delimiter, CSV or XLSX.

Every cell comes back as a ``str`` (``""`` when empty); typing and validation happen later, in
:mod:`mlkit.ingest.validate`. Row numbers count the header as row 1, as a spreadsheet shows them.

Encodings: UTF-8 with or without BOM, else Windows-1252. A file that is mostly UTF-8 but holds
some invalid bytes is read as UTF-8; the rows holding the bad bytes are rejected (not the file).

Rows are counted as a person counts them: a quote that opens a field and is never closed does
not swallow the lines after it (the file is then read line by line and that row is rejected); a
workbook with data on more than one sheet is refused rather than read in part; a formula cell
without a saved value rejects its row rather than reading as empty.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

import pandas as pd

from mlkit.ingest.errors import EmptyFileError, SeveralSheetsError, UnreadableFileError

DELIMITERS = (";", "\t", ",")
ROW_COLUMN = "_row"
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
#: Control characters that never belong in an export's cell (tab, CR and LF excepted).
CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_BINARY_SHARE = 0.01  #: NUL and more control bytes than this share of the first 64 KiB: binary


@dataclass(frozen=True)
class RawTable:
    r"""A file read as text cells.

    Attributes:
        frame: One ``object`` column of strings per header, plus ``_row`` (the row number).
        encoding: ``utf-8``, ``utf-8-sig``, ``cp1252`` or ``xlsx``.
        delimiter: The CSV delimiter, or None for XLSX.
        bad_bytes: True when some bytes could not be decoded; such cells hold lone surrogates
            (``\\udcXX``) and their rows must be rejected.
        sha256: Hex digest of the file's bytes.
        bad_rows: Row number -> reason, for rows the CSV parser could not split cleanly.
        size: The file's size in bytes.
    """

    frame: pd.DataFrame
    encoding: str
    delimiter: str | None
    bad_bytes: bool
    sha256: str
    bad_rows: dict[int, str] = field(default_factory=dict)
    size: int = 0

    @property
    def headers(self) -> list[str]:
        """The column headers as found in the file."""
        return [str(c) for c in self.frame.columns if c != ROW_COLUMN]


def read_table(path: Path) -> RawTable:
    """Read a CSV or XLSX export from ``path``.

    Raises:
        FileNotFoundError: when ``path`` does not exist.
        EmptyFileError: when the file is empty.
        UnreadableFileError: when it is binary, UTF-16, a legacy ``.xls`` or a broken workbook.
    """
    return parse_table(path.read_bytes(), str(path))


def parse_table(data: bytes, source: str = "<bytes>") -> RawTable:
    """Parse the bytes of a CSV or XLSX export; ``source`` names it in error messages.

    Raises:
        EmptyFileError: when there is nothing but whitespace.
        UnreadableFileError: when the bytes are not a text table or workbook.
    """
    digest = hashlib.sha256(data).hexdigest()
    if not data or data.isspace():  # isspace stops at the first other byte; strip copies
        raise EmptyFileError(source)
    if data.startswith(b"PK\x03\x04"):
        return _parse_xlsx(data, source, digest)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFileError(
            source, "legacy Excel .xls is not supported: save as .xlsx or CSV"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFileError(source, "UTF-16 text is not supported: export as UTF-8 or CSV")
    head = data[:65536]
    control = len(head) - len(head.translate(None, CONTROL_BYTES))
    if b"\x00" in head and control > max(8, _BINARY_SHARE * len(head)):
        raise UnreadableFileError(source, "binary data (NUL bytes): not a CSV export")
    encoding, bad = _detect_encoding(data)
    newline = data.find(b"\n")  # not split(): that would copy the whole file
    header_line = data[: newline if newline >= 0 else len(data)].decode(encoding, "surrogateescape")
    delimiter = _detect_delimiter(header_line)
    return _parse_csv(data, source, digest, encoding=encoding, bad=bad, delimiter=delimiter)


def _detect_encoding(data: bytes) -> tuple[str, bool]:
    """Return (encoding, has_bad_bytes)."""
    encoding = "utf-8-sig" if data.startswith(_UTF8_BOM) else "utf-8"
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        pass
    else:
        return encoding, False
    if encoding == "utf-8-sig" or _UTF8_MULTIBYTE.search(data):
        return encoding, True  # UTF-8 with some broken bytes
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "cp1252", True  # bytes undefined in Windows-1252 (0x81, 0x8D, 0x8F, 0x90, 0x9D)
    return "cp1252", False


def _detect_delimiter(header: str) -> str:
    """Pick the delimiter that occurs most often in the header line (; then tab then ,)."""
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _parse_csv(
    data: bytes, source: str, digest: str, *, encoding: str, bad: bool, delimiter: str
) -> RawTable:
    errors = "surrogateescape" if bad else "strict"
    bad_rows: dict[int, str] = {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.BytesIO(data),
                sep=delimiter,
                dtype=object,
                keep_default_na=False,
                na_filter=False,
                encoding=encoding,
                encoding_errors=errors,
                skip_blank_lines=False,
                engine="c",
                index_col=False,
            )
    except (pd.errors.ParserError, pd.errors.ParserWarning):
        frame, bad_rows = _parse_ragged(data.decode(encoding, errors), delimiter)
    except (UnicodeDecodeError, ValueError) as exc:
        raise UnreadableFileError(source, f"cannot parse as CSV: {exc}") from exc
    # Without a quote no cell spans lines; else, when some do, check that their quotes are sound.
    if b'"' in data and _physical_rows(data) != len(frame) + 1:
        text = data.decode(encoding, errors)
        if _bad_quotes(text, delimiter) or _swallowed(
            _multiline_cells(frame), delimiter, frame.shape[1]
        ):
            frame, bad_rows = _parse_lines(text, delimiter)
    frame.columns = [str(c).strip() for c in frame.columns]
    frame[ROW_COLUMN] = range(2, len(frame) + 2)
    frame = _drop_blank_rows(frame)
    return RawTable(frame, encoding, delimiter, bad, digest, bad_rows, len(data))


def _physical_rows(data: bytes) -> int:
    """The number of lines, as an editor counts them (a last line without newline counts)."""
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


def _bad_quotes(text: str, delimiter: str) -> bool:
    """True when a quoted field is never closed, or is closed in the middle of a field."""
    try:
        for _ in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error:
        return True
    return False


def _swallowed(cells: Iterable[str], delimiter: str, width: int) -> bool:
    """True when a cell spans lines one of which looks like a whole row (an unclosed quote)."""
    need = max(1, width - 1)
    lines = (line for cell in cells if "\n" in cell for line in cell.splitlines())
    return any(line.count(delimiter) >= need for line in lines)


def _multiline_cells(frame: pd.DataFrame) -> Iterator[str]:
    for col in frame.columns:
        values = frame[col]
        yield from values[values.str.contains("\n", regex=False)]


def _split(rows: list[list[str]]) -> tuple[pd.DataFrame, dict[int, str]]:
    header, body = rows[0], rows[1:]
    width = len(header)
    bad_rows: dict[int, str] = {}
    fixed: list[list[str]] = []
    for index, row in enumerate(body):
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            bad_rows[index + 2] = f"{len(row)} fields where the header has {width}"
        fixed.append((row + [""] * width)[:width])
    return pd.DataFrame(fixed, columns=header, dtype=object), bad_rows


def _parse_ragged(text: str, delimiter: str) -> tuple[pd.DataFrame, dict[int, str]]:
    """Slow path for files whose rows have more fields than the header: flag those rows."""
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if _bad_quotes(text, delimiter) or _swallowed(
        (c for row in rows[1:] for c in row), delimiter, len(rows[0])
    ):
        return _parse_lines(text, delimiter)
    return _split(rows)


def _parse_lines(text: str, delimiter: str) -> tuple[pd.DataFrame, dict[int, str]]:
    """Read a file whose quotes do not pair up one physical line at a time; flag bad lines."""
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    rows = [next(csv.reader([line], delimiter=delimiter), []) for line in lines]
    frame, bad_rows = _split(rows)
    for index, line in enumerate(lines[1:]):
        if line.count('"') % 2:
            bad_rows[index + 2] = 'a quote (") opens a field and is not closed on this line'
    return frame, bad_rows


def _drop_blank_rows(frame: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in frame.columns if c != ROW_COLUMN]
    if not cols or frame.empty:
        return frame
    candidates = frame[cols[0]].to_numpy() == ""
    if not candidates.any():
        return frame.reset_index(drop=True)
    blank = candidates.copy()
    sub = frame.loc[candidates, cols]
    blank[candidates] = (sub.apply(lambda s: s.str.strip()) == "").all(axis=1).to_numpy()
    kept: pd.DataFrame = frame.loc[~blank].reset_index(drop=True)
    return kept


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _parse_xlsx(data: bytes, source: str, digest: str) -> RawTable:
    from openpyxl import load_workbook

    try:
        values = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableFileError(source, f"not a readable XLSX workbook: {exc}") from exc
    try:
        sheets = [
            (sheet.title, _sheet_rows(sheet, formulas[sheet.title])) for sheet in values.worksheets
        ]
    finally:
        values.close()
        formulas.close()
    with_data = [(title, rows) for title, (rows, _) in sheets if rows]
    if len(with_data) > 1:
        names = ", ".join(repr(title) for title, _ in with_data)
        raise SeveralSheetsError(
            source,
            f"data on {len(with_data)} sheets ({names}): mlkit reads one sheet per file; save"
            " each sheet as its own file, or delete the sheets that are not the export",
        )
    if not with_data:
        raise EmptyFileError(source)
    title, rows = with_data[0]
    missing = next(found for name, (_, found) in sheets if name == title)
    header = [h.strip() for h in rows[0]]
    while header and not header[-1]:
        header.pop()
    width = len(header)
    body = [(r + [""] * width)[:width] for r in rows[1:]]
    frame = pd.DataFrame(body, columns=header, dtype=object)
    frame[ROW_COLUMN] = range(2, len(frame) + 2)
    bad_rows = {
        row: f"cell {cell} holds a formula without a saved value: open the file in Excel and"
        " save it again"
        for row, cell in missing.items()
        if row > 1
    }
    return RawTable(_drop_blank_rows(frame), "xlsx", None, False, digest, bad_rows, len(data))


def _sheet_rows(sheet: Any, formulas: Any) -> tuple[list[list[str]], dict[int, str]]:
    """Return a sheet's rows as text, and the first formula cell without a value per row."""
    from openpyxl.utils import get_column_letter

    rows: list[list[str]] = []
    missing: dict[int, str] = {}
    pairs = zip(
        sheet.iter_rows(values_only=True), formulas.iter_rows(values_only=True), strict=False
    )
    for number, (row, source) in enumerate(pairs, start=1):
        rows.append([_cell_text(v) for v in row])
        for index, (value, text) in enumerate(zip(row, source, strict=False)):
            if value is None and isinstance(text, str) and text.startswith("="):
                missing.setdefault(number, f"{get_column_letter(index + 1)}{number}")
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    return rows, missing


__all__ = ["DELIMITERS", "ROW_COLUMN", "RawTable", "parse_table", "read_table"]
