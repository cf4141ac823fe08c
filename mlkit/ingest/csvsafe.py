r"""Writing CSV files that are safe to open in a spreadsheet, atomically.

Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return) get a leading apostrophe, the OWASP advice against CSV injection. The store
keeps such values verbatim; only CSV *output* is neutralised. Undecodable bytes are shown as
``\\xNN`` escapes, and very long values are cut short.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from mlkit.atomic import write_bytes_atomic

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_DELIMITER = ";"
MAX_CELL = 300
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def neutralise_cell(value: object) -> str:
    r"""Return ``value`` as text that a spreadsheet shows and never evaluates.

    Example:
        >>> neutralise_cell("=HYPERLINK(\\"http://x\\")")
        '\\'=HYPERLINK("http://x")'
    """
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def printable(value: object, limit: int = MAX_CELL) -> str:
    r"""Return ``value`` as UTF-8-safe text of at most ``limit`` characters.

    Undecodable bytes and control characters (NUL, escape, ...) are shown as ``\xNN``.
    """
    text = "" if value is None else str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` as a ``;``-separated UTF-8 CSV (with BOM, for Excel), atomically.

    Every text cell is made printable and neutralised; the file appears complete or not at all.
    """
    safe = frame.copy()
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = [neutralise_cell(printable(v)) for v in safe[col]]
    text = safe.to_csv(sep=CSV_DELIMITER, index=False, lineterminator="\r\n")
    write_bytes_atomic(path, text.encode("utf-8-sig"))


__all__ = ["CSV_DELIMITER", "FORMULA_PREFIXES", "neutralise_cell", "printable", "write_csv"]
