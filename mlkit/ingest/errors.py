"""Errors raised while importing ePortfolio exports.

A *fatal* import error (:class:`ImportFileError` and its subclasses) means the file as a whole
cannot be imported; nothing is written to the store. Problems with single rows are not
exceptions: they go to the rejects CSV and the summary counts them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mlkit.errors import MlkitError, ValidationProblemsError


class ImportFileError(MlkitError, ValueError):
    """A file cannot be imported at all (fatal: the store is left unchanged)."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.reason))


class UnreadableFileError(ImportFileError):
    """The file is not a CSV or XLSX export mlkit can decode (binary, broken workbook, ...)."""


class SeveralSheetsError(UnreadableFileError):
    """An XLSX workbook holds data on more than one sheet (mlkit's own layout is one sheet).

    A vendor export with several sheets can still be read through an import profile that names
    its sheet.
    """


class EmptyFileError(ImportFileError):
    """The file holds no header and no rows."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(path, "the file is empty: expected a header row and data rows")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path,))


class NoDataRowsError(ImportFileError):
    """The file has a header but no data rows."""

    def __init__(self, path: str | Path, kind: str) -> None:
        self.kind = kind
        super().__init__(path, f"header only: a {kind} header was found but no data rows")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.kind))


class UnrecognisedColumnsError(ImportFileError):
    """None of the column headers names a known import format."""

    def __init__(self, path: str | Path, headers: Sequence[str], delimiter: str) -> None:
        self.headers = list(headers)
        self.delimiter = delimiter
        shown = ", ".join(repr(h[:60]) for h in self.headers[:8])
        hint = ""
        if len(self.headers) == 1:
            hint = " (one column only: is the delimiter ; , or tab?)"
        super().__init__(
            path,
            f"no recognisable columns{hint}; found {shown or 'none'}; expected the headers of a "
            "roster, assessments, activities or reflections export (see `mlkit import --help`)",
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.headers, self.delimiter))


class MissingColumnsError(ImportFileError):
    """A file of a recognised kind lacks required columns."""

    def __init__(self, path: str | Path, kind: str, missing: Sequence[str]) -> None:
        self.kind = kind
        self.missing = list(missing)
        super().__init__(path, f"{kind} file lacks required column(s): {', '.join(self.missing)}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.kind, self.missing))


class AmbiguousColumnsError(ImportFileError):
    """Two headers map to the same column, or the headers match more than one kind."""

    def __init__(self, path: str | Path, detail: str) -> None:
        self.detail = detail
        super().__init__(path, f"ambiguous columns: {detail}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.detail))


class RejectsFileError(ImportFileError):
    """The rejects file cannot be written: fatal, since rejected rows must be written somewhere."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.cause = reason
        super().__init__(
            path,
            f"cannot write the rejects file ({reason}): nothing was imported; choose another"
            " place with --rejects",
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.cause))


class RowsRejectedError(ValidationProblemsError):
    """A record written through the API (``Store.add_form``) failed validation; nothing stored."""


__all__ = [
    "AmbiguousColumnsError",
    "EmptyFileError",
    "ImportFileError",
    "MissingColumnsError",
    "NoDataRowsError",
    "RejectsFileError",
    "RowsRejectedError",
    "UnreadableFileError",
    "UnrecognisedColumnsError",
]
