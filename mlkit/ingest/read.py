"""Reading an export file into a table of text cells: encoding, delimiter, CSV or XLSX.

Every cell comes back as a ``str`` (``""`` when empty); typing and validation happen later, in
:mod:`mlkit.ingest.validate`. Row numbers count the header as row 1, as a spreadsheet shows them.

Encodings: UTF-8 with or without BOM, else Windows-1252. A file that is mostly UTF-8 but holds
some invalid bytes is read as UTF-8; the rows holding the bad bytes are rejected (not the file).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from zipfile import BadZipFile

import pandas as pd

from mlkit.ingest.errors import EmptyFileError, UnreadableFileError

DELIMITERS = (";", "\t", ",")
ROW_COLUMN = "_row"
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


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
    """

    frame: pd.DataFrame
    encoding: str
    delimiter: str | None
    bad_bytes: bool
    sha256: str
    bad_rows: dict[int, str] = field(default_factory=dict)

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
    if b"\x00" in data[:65536]:
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
    frame.columns = [str(c).strip() for c in frame.columns]
    frame[ROW_COLUMN] = range(2, len(frame) + 2)
    frame = _drop_blank_rows(frame)
    return RawTable(frame, encoding, delimiter, bad, digest, bad_rows)


def _parse_ragged(text: str, delimiter: str) -> tuple[pd.DataFrame, dict[int, str]]:
    """Slow path for files whose rows have more fields than the header: flag those rows."""
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header, body = rows[0], rows[1:]
    width = len(header)
    bad_rows: dict[int, str] = {}
    fixed: list[list[str]] = []
    for index, row in enumerate(body):
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            bad_rows[index + 2] = f"{len(row)} fields where the header has {width}"
        fixed.append((row + [""] * width)[:width])
    return pd.DataFrame(fixed, columns=header, dtype=object), bad_rows


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
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableFileError(source, f"not a readable XLSX workbook: {exc}") from exc
    try:
        if not workbook.worksheets:
            raise EmptyFileError(source)
        rows = [
            [_cell_text(v) for v in row]
            for row in workbook.worksheets[0].iter_rows(values_only=True)
        ]
    finally:
        workbook.close()
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows:
        raise EmptyFileError(source)
    header = [h.strip() for h in rows[0]]
    while header and not header[-1]:
        header.pop()
    width = len(header)
    body = [(r + [""] * width)[:width] for r in rows[1:]]
    frame = pd.DataFrame(body, columns=header, dtype=object)
    frame[ROW_COLUMN] = range(2, len(frame) + 2)
    return RawTable(_drop_blank_rows(frame), "xlsx", None, False, digest)


__all__ = ["DELIMITERS", "ROW_COLUMN", "RawTable", "parse_table", "read_table"]
