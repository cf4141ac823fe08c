"""Vectorised building blocks for row validation: reject collection and per-unique-value parsing.

Rows are never looped over in Python. Columns of repetitive values (dates, scores, codes) are
factorised, each *distinct* value is parsed once, and the result is broadcast back with the
factor codes. Failures are boolean masks, collected into one rejects table.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import numpy as np
import numpy.typing as npt
import pandas as pd

from mlkit.ids import is_aios_id
from mlkit.ingest.read import ROW_COLUMN

BoolArray = npt.NDArray[np.bool_]
MAX_TEXT = 65_536  #: longest narrative accepted (characters)
MAX_SHORT = 200  #: longest id, name or code accepted (characters)
REJECT_COLUMNS = ("row", "field", "value", "reason", "message")
_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$")
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y")
_SURROGATES = re.compile("[\udc80-\udcff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MIN_YEAR = 1950  #: dates before this year are typos (1900, 0024), not training records
MAX_YEARS_AHEAD = 10  #: dates more than this many years after today are typos too


class Rejects:
    """Collects failures (a mask, the field, a reason code and a message) over one frame."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame
        self._parts: list[pd.DataFrame] = []
        self.bad: BoolArray = np.zeros(len(frame), dtype=bool)

    def add(
        self,
        mask: BoolArray,
        field: str,
        reason: str,
        message: str | pd.Series | npt.NDArray[np.object_],
        value: pd.Series | None = None,
    ) -> None:
        """Reject the rows where ``mask`` is True, naming ``field`` and a ``reason`` code."""
        if not mask.any():
            return
        self.bad |= mask
        values = self._frame[field] if value is None else value
        msg: object = message
        if isinstance(message, pd.Series):
            msg = message.to_numpy(dtype=object)[mask]
        elif isinstance(message, np.ndarray):
            msg = message[mask]
        self._parts.append(
            pd.DataFrame(
                {
                    "row": self._frame[ROW_COLUMN].to_numpy()[mask],
                    "field": field,
                    "value": values.to_numpy(dtype=object)[mask],
                    "reason": reason,
                    "message": msg,
                }
            )
        )

    def add_rows(self, rows: dict[int, str], field: str, reason: str) -> None:
        """Reject rows by row number (e.g. rows the CSV parser flagged)."""
        if rows:
            mask = self._frame[ROW_COLUMN].isin(list(rows)).to_numpy()
            message = self._frame[ROW_COLUMN].map(rows).astype(object)
            self.add(mask, field, reason, message, value=pd.Series([""] * len(mask)))

    def table(self) -> pd.DataFrame:
        """Return every failure as rows of (row, field, value, reason, message), by row."""
        if not self._parts:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in REJECT_COLUMNS})
        out = pd.concat(self._parts, ignore_index=True)
        return out.sort_values("row", kind="stable").reset_index(drop=True)


def factorize(series: pd.Series) -> tuple[npt.NDArray[np.intp], pd.Index]:
    """Factorise a column of strings: (codes per row, distinct values).

    A categorical column (as :func:`stripped` returns) is not factorised again: its codes and
    categories are returned as they are (categories may include values no row holds; a missing
    value has code -1, which the checks map to an extra last entry).
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        cat = series.array
        assert isinstance(cat, pd.Categorical)
        return np.asarray(cat.codes, dtype=np.intp), pd.Index(cat.categories)
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    return np.asarray(codes, dtype=np.intp), pd.Index(uniques)


def parse_date(text: str) -> date | None:
    """Parse ``dd-mm-jjjj``, ``dd/mm/jjjj``, ``dd.mm.jjjj`` or ISO (time part ignored)."""
    text = text.strip()
    if "T" in text or " " in text:
        try:
            return datetime.fromisoformat(text).date()
        except ValueError:
            text = text.split("T")[0].split(" ")[0]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_dates(series: pd.Series) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.datetime64]]:
    """Parse a column of dates once per distinct value.

    Returns:
        (ISO strings with ``""`` where unparseable or empty, datetime64[D] with NaT there).
    """
    codes, uniques = factorize(series)
    parsed = [parse_date(str(u)) for u in uniques]
    iso = np.array([d.isoformat() if d else "" for d in parsed] + [""], dtype=object)
    days = np.array(
        [np.datetime64(d, "D") if d else np.datetime64("NaT", "D") for d in parsed]
        + [np.datetime64("NaT", "D")],
        dtype="datetime64[D]",
    )
    return iso[codes], days[codes]


def stripped(frame: pd.DataFrame, column: str) -> pd.Series:
    """Return a column as stripped strings, ``""`` for missing (all ``""`` if absent).

    The result is categorical (codes plus distinct values), so that later checks work on the
    distinct values only.
    """
    if column not in frame:
        return pd.Series(
            pd.Categorical.from_codes(np.zeros(len(frame), dtype=np.int8), pd.Index([""])),
            index=frame.index,
        )
    # Missing cells get code -1 (the last entry below): cheaper than use_na_sentinel=False,
    # which first scans the whole column for missing values. A categorical column (as the CSV
    # reader returns) is not factorised again.
    source = frame[column]
    if isinstance(source.dtype, pd.CategoricalDtype):
        codes, uniques = factorize(source)
    else:
        codes, uniques = pd.factorize(source)
    distinct = uniques.tolist()
    clean = [u.strip() if isinstance(u, str) else "" for u in distinct]
    if clean == distinct and (not len(codes) or codes.min() >= 0):
        # Nothing to strip and nothing missing: the distinct values are the categories.
        return pd.Series(
            pd.Categorical.from_codes(codes, pd.Index(distinct, dtype=object), validate=False),
            index=frame.index,
        )
    recodes, categories = pd.factorize(pd.Series([*clean, ""], dtype=object))
    values = pd.Categorical.from_codes(
        np.asarray(recodes)[codes], pd.Index(categories, dtype=object)
    )
    return pd.Series(values, index=frame.index)


def lowered(series: pd.Series, *, categorical: bool = False) -> pd.Series:
    """Return a column of strings in lower case (computed once per distinct value).

    With ``categorical``, the result is categorical (as :func:`stripped` returns), else object.
    """
    codes, uniques = factorize(series)
    low = [str(u).lower() for u in uniques] + [""]
    if categorical:
        recodes, categories = pd.factorize(pd.Series(low, dtype=object))
        values = pd.Categorical.from_codes(
            np.asarray(recodes)[codes], pd.Index(categories, dtype=object)
        )
        return pd.Series(values, index=series.index)
    return pd.Series(np.array(low, dtype=object)[codes], index=series.index, dtype=object)


def empty(series: pd.Series) -> BoolArray:
    """Mask of empty cells."""
    codes, uniques = factorize(series)
    blank = np.array([u == "" for u in uniques] + [False])
    return np.asarray(blank[codes], dtype=bool)


def bad_ids(series: pd.Series) -> BoolArray:
    """Mask of non-empty cells that are not a plain identifier (letters, digits, ``._:/-``)."""
    codes, uniques = factorize(series)
    ok = np.array([u == "" or bool(_ID_PATTERN.match(str(u))) for u in uniques] + [True])
    return np.asarray(~ok[codes], dtype=bool)


def bad_aios_ids(series: pd.Series) -> BoolArray:
    """Mask of non-empty cells that are not an aios id the reports can use (:mod:`mlkit.ids`)."""
    codes, uniques = factorize(series)
    ok = np.array([u == "" or is_aios_id(str(u)) for u in uniques] + [True])
    return np.asarray(~ok[codes], dtype=bool)


def too_long(series: pd.Series, limit: int) -> BoolArray:
    """Mask of cells longer than ``limit`` characters."""
    codes, uniques = factorize(series)
    longer = np.array([len(str(u)) > limit for u in uniques] + [False])
    return np.asarray(longer[codes], dtype=bool)


def has_bad_bytes(series: pd.Series) -> BoolArray:
    """Mask of cells holding bytes that could not be decoded (lone surrogates)."""
    codes, uniques = factorize(series)
    bad = np.array([bool(_SURROGATES.search(str(u))) for u in uniques] + [False])
    return np.asarray(bad[codes], dtype=bool)


def has_control_chars(series: pd.Series) -> BoolArray:
    """Mask of cells holding a control character (NUL, escape, ...; not tab or newline)."""
    codes, uniques = factorize(series)
    bad = np.array([bool(_CONTROL.search(str(u))) for u in uniques] + [False])
    return np.asarray(bad[codes], dtype=bool)


def implausible_years(days: npt.NDArray[np.datetime64], today: date) -> BoolArray:
    """Mask of dates before :data:`MIN_YEAR` or :data:`MAX_YEARS_AHEAD` years after ``today``."""
    low = np.datetime64(f"{MIN_YEAR}-01-01", "D")
    high = np.datetime64(f"{today.year + MAX_YEARS_AHEAD}-12-31", "D")
    return np.asarray((days < low) | (days > high), dtype=bool)


__all__ = [
    "MAX_SHORT",
    "MAX_TEXT",
    "MAX_YEARS_AHEAD",
    "MIN_YEAR",
    "REJECT_COLUMNS",
    "Rejects",
    "bad_aios_ids",
    "bad_ids",
    "empty",
    "factorize",
    "has_bad_bytes",
    "has_control_chars",
    "implausible_years",
    "lowered",
    "parse_date",
    "parse_dates",
    "stripped",
    "too_long",
]
