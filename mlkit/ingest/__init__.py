"""Importing ePortfolio exports (CSV or XLSX) into the store, with a rejects file per import.

Example:
    >>> from pathlib import Path
    >>> from mlkit.ingest import import_file
    >>> from mlkit.store import Store
    >>> with Store.open(Path("mlkit.db")) as store:  # doctest: +SKIP
    ...     summary = import_file(Path("roster.csv"), store)
    ...     print(summary.line())
"""

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
