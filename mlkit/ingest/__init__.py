"""Importing ePortfolio exports (CSV or XLSX) into the store, with a rejects file per import.

The names below are imported when first used (PEP 562), so ``mlkit import --help``, which needs
only the column table, does not import pandas.

Example:
    >>> from pathlib import Path
    >>> from mlkit.ingest import import_file
    >>> from mlkit.store import Store
    >>> with Store.open(Path("mlkit.db")) as store:  # doctest: +SKIP
    ...     summary = import_file(Path("roster.csv"), store)
    ...     print(summary.line())
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mlkit.ingest.columns import ALIASES, COLUMNS, FileKind, alias_table_text, map_columns
    from mlkit.ingest.csvsafe import neutralise_cell, write_csv
    from mlkit.ingest.errors import (
        AmbiguousColumnsError,
        EmptyFileError,
        ImportFileError,
        MissingColumnsError,
        NoDataRowsError,
        RowsRejectedError,
        UnreadableFileError,
        UnrecognisedColumnsError,
    )
    from mlkit.ingest.importer import (
        ImportSummary,
        default_rejects_path,
        import_file,
        import_into_db,
    )
    from mlkit.ingest.read import RawTable, parse_table, read_table
    from mlkit.ingest.reference import Reference

_MODULES: dict[str, tuple[str, ...]] = {
    "columns": ("ALIASES", "COLUMNS", "FileKind", "alias_table_text", "map_columns"),
    "csvsafe": ("neutralise_cell", "write_csv"),
    "errors": (
        "AmbiguousColumnsError",
        "EmptyFileError",
        "ImportFileError",
        "MissingColumnsError",
        "NoDataRowsError",
        "RowsRejectedError",
        "UnreadableFileError",
        "UnrecognisedColumnsError",
    ),
    "importer": ("ImportSummary", "default_rejects_path", "import_file", "import_into_db"),
    "read": ("RawTable", "parse_table", "read_table"),
    "reference": ("Reference",),
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])


__all__ = [
    "ALIASES",
    "COLUMNS",
    "AmbiguousColumnsError",
    "EmptyFileError",
    "FileKind",
    "ImportFileError",
    "ImportSummary",
    "MissingColumnsError",
    "NoDataRowsError",
    "RawTable",
    "Reference",
    "RowsRejectedError",
    "UnreadableFileError",
    "UnrecognisedColumnsError",
    "alias_table_text",
    "default_rejects_path",
    "import_file",
    "import_into_db",
    "map_columns",
    "neutralise_cell",
    "parse_table",
    "read_table",
    "write_csv",
]
