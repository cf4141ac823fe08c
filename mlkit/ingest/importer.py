"""Importing one export file into the store: read, map columns, validate, store, report.

Every row read ends up counted exactly once: stored (new or a correction), rejected (written
to the rejects CSV with row number, field, value and reason) or a duplicate (already stored
identically, or repeated verbatim in the file). The good rows of a file and its rejects file are
written in one all-or-nothing step: the rejects CSV is written before the transaction commits,
and a failure to write it (or to commit) leaves the store unchanged and is fatal. A fatal error
creates no store file (:func:`import_into_db` reads and checks the file before it opens the
store), and the free space on the store's disk is checked first.

Assessment rows are counted per item although the store keeps a form's item scores as one
version: a row whose item already holds the same value in the form's current version is a
duplicate; a row that changes or adds an item is stored (the form gets a new version holding
all its items, see :meth:`mlkit.store.Writer.write_items`). When a form's header or narrative
changes, every accepted row of that form counts as stored, since each carries the new header.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mlkit.ingest.columns import ColumnMap, FileKind, map_columns
from mlkit.ingest.csvsafe import write_csv
from mlkit.ingest.errors import NoDataRowsError, RejectsFileError
from mlkit.ingest.forms import validate_assessments
from mlkit.ingest.read import ROW_COLUMN, RawTable, read_table
from mlkit.ingest.reference import Reference
from mlkit.ingest.roster import SCHEDULE
from mlkit.ingest.validate import (
    Context,
    Validated,
    validate_activities,
    validate_reflections,
    validate_roster,
)
from mlkit.store import TABLES, Store, StoreError, StoreFullError, Writer, default_db_path

SPACE_FACTOR = 4  #: free space needed on the store's disk, as a multiple of the file's size

_VALIDATORS: dict[FileKind, Callable[[pd.DataFrame, Context], Validated]] = {
    FileKind.ROSTER: validate_roster,
    FileKind.ASSESSMENTS: validate_assessments,
    FileKind.ACTIVITIES: validate_activities,
    FileKind.REFLECTIONS: validate_reflections,
}


@dataclass(frozen=True)
class ImportSummary:
    """The outcome of one import; ``stored + rejected + duplicates == rows_read`` always.

    Attributes:
        file: The file name (as logged in the store).
        kind: roster, assessments, activities or reflections.
        rows_read: Data rows in the file (blank lines not counted).
        stored: Rows stored as new records or as corrections.
        rejected: Rows refused; see ``rejects_file``.
        duplicates: Rows already stored identically, or repeated verbatim within the file.
        rejects_file: Where the rejects were written (None when there were none).
        import_id: The import's id in the store's log.
        sha256: Digest of the file's bytes.
        ignored_columns: Headers that matched no known column.
    """

    file: str
    kind: str
    rows_read: int
    stored: int
    rejected: int
    duplicates: int
    rejects_file: str | None
    import_id: int | None
    sha256: str
    ignored_columns: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no row was rejected."""
        return self.rejected == 0

    def as_dict(self) -> dict[str, Any]:
        """The summary as a JSON-ready dict."""
        data = asdict(self)
        data["ignored_columns"] = list(self.ignored_columns)
        return data

    def line(self) -> str:
        """One human-readable line, e.g. for the CLI."""
        text = (
            f"{self.file} ({self.kind}): {self.rows_read} rows read = {self.stored} stored"
            f" + {self.rejected} rejected + {self.duplicates} duplicates"
        )
        if self.rejects_file:
            text += f"; rejects in {self.rejects_file}"
        if self.ignored_columns:
            text += f"; ignored columns: {', '.join(self.ignored_columns)}"
        return text


def default_rejects_path(path: Path) -> Path:
    """Return ``NAME.rejects.csv`` beside ``path``."""
    return path.with_name(f"{path.stem}.rejects.csv")


def import_file(
    path: Path,
    store: Store,
    rejects_path: Path | None = None,
    today: date | None = None,
    *,
    reference: Reference | None = None,
) -> ImportSummary:
    """Import a CSV or XLSX export (roster, assessments, activities or reflections).

    Args:
        path: The file to import.
        store: An open store.
        rejects_path: Where rejected rows go; default ``NAME.rejects.csv`` beside the file.
        today: Dates after this are rejected as future dates; default today.
        reference: Instruments and framework codes to check against; default the bundled ones.

    Example:
        >>> with Store.open(Path("mlkit.db")) as store:  # doctest: +SKIP
        ...     print(import_file(Path("roster.csv"), store).line())

    Raises:
        FileNotFoundError: when ``path`` does not exist.
        ImportFileError: (a subclass of) when the file cannot be imported at all; the store is
            left unchanged.
    """
    raw = read_table(path)
    rejects_to = rejects_path if rejects_path is not None else default_rejects_path(path)
    return import_table(raw, store, path.name, rejects_to, today, reference=reference)


def check_writable(path: Path) -> None:
    """Check that a file can be written at ``path`` (by creating and removing a probe file).

    Raises:
        RejectsFileError: when ``path`` is a directory or its directory cannot be written.
    """
    if path.is_dir():
        raise RejectsFileError(path, "is a directory, not a file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".probe", dir=path.parent)
        os.close(fd)
        Path(probe).unlink()
    except OSError as exc:
        raise RejectsFileError(path, exc.strerror or str(exc)) from exc


def check_free_space(store_path: Path, file_size: int) -> None:
    """Check that the store's disk has room for an import of a file of ``file_size`` bytes.

    Raises:
        StoreFullError: when less than :data:`SPACE_FACTOR` times the size (plus 1 MiB) is free.
    """
    needed = SPACE_FACTOR * file_size + 2**20
    where = store_path.resolve().parent
    try:
        free = shutil.disk_usage(where).free
    except OSError:
        return  # the store's own errors will say what is wrong
    if free < needed:
        raise StoreFullError(
            store_path,
            f"not enough free space to import safely: {free // 2**20} MiB free, about"
            f" {needed // 2**20 + 1} MiB needed; nothing was changed",
        )


def import_into_db(
    path: Path,
    db: Path | None = None,
    rejects_path: Path | None = None,
    today: date | None = None,
    *,
    reference: Reference | None = None,
) -> ImportSummary:
    """Import a file into the store at ``db``, checking the store's integrity first.

    The file is read and its columns recognised before the store is opened, and the rejects
    file and free space are checked before a new store is created, so that a fatal error
    creates no store file.

    Example:
        >>> import_into_db(Path("roster.csv"), Path("cohort.db")).line()  # doctest: +SKIP

    Raises:
        ImportFileError: (a subclass of) when the file cannot be imported; nothing changed.
        StoreError: (a subclass of) when the store cannot be used; nothing changed.
    """
    db = default_db_path() if db is None else db
    raw = read_table(path)
    rejects_to = rejects_path if rejects_path is not None else default_rejects_path(path)
    mapping = _columns(raw, path.name)
    if not db.exists():
        check_free_space(db, raw.size)
        ctx_reference = reference if reference is not None else Reference.load()
        frame = raw.frame.rename(columns=mapping.rename)
        dry = _VALIDATORS[mapping.kind](frame, _context(raw, {}, today, ctx_reference))
        if dry.rejected_rows:
            check_writable(rejects_to)
        reference = ctx_reference
    with Store.open(db, check=True) as store:
        return import_table(raw, store, path.name, rejects_to, today, reference=reference)


def _columns(raw: RawTable, name: str) -> ColumnMap:
    mapping = map_columns(raw.headers, name, raw.delimiter)
    if raw.frame.empty:
        raise NoDataRowsError(name, mapping.kind)
    return mapping


def import_table(
    raw: RawTable,
    store: Store,
    name: str,
    rejects_path: Path | None,
    today: date | None = None,
    *,
    reference: Reference | None = None,
) -> ImportSummary:
    """Import an already-read table; ``name`` is logged, rejects go to ``rejects_path``.

    Raises:
        ImportFileError: (a subclass of) when the columns are not recognised, no rows remain or
            the rejects file cannot be written; the store is left unchanged.
        StoreError: (a subclass of) when the disk is full or the store cannot be written.
    """
    mapping = _columns(raw, name)
    frame = raw.frame.rename(columns=mapping.rename)
    validated = validate(mapping.kind, frame, store, today=today, reference=reference, raw=raw)
    written = rejects_path if validated.rejected_rows and rejects_path is not None else None
    if written is not None:
        check_writable(written)
    check_free_space(store.path, raw.size)

    def write_rejects() -> None:
        if written is not None:
            _write_rejects(validated.rejects, written)

    try:
        import_id, stored, duplicates = write_validated(
            store,
            mapping.kind,
            validated,
            name=name,
            sha256=raw.sha256,
            rows_read=len(frame),
            before_commit=write_rejects,
        )
    except StoreError:
        if written is not None:
            written.unlink(missing_ok=True)  # written for a transaction that did not commit
        raise
    return ImportSummary(
        file=name,
        kind=str(mapping.kind),
        rows_read=len(frame),
        stored=stored,
        rejected=validated.rejected_rows,
        duplicates=duplicates,
        rejects_file=None if written is None else str(written),
        import_id=import_id,
        sha256=raw.sha256,
        ignored_columns=mapping.ignored,
    )


def _write_rejects(rejects: pd.DataFrame, path: Path) -> None:
    try:
        write_csv(rejects, path)
    except OSError as exc:
        raise RejectsFileError(path, exc.strerror or str(exc)) from exc


def _context(
    raw: RawTable | None,
    starts: dict[str, date],
    today: date | None,
    reference: Reference,
    stored_items: Callable[[list[str]], Mapping[str, frozenset[str]]] | None = None,
) -> Context:
    return Context(
        reference=reference,
        aios_start=starts,
        today=today if today is not None else date.today(),
        bad_bytes=raw.bad_bytes if raw is not None else False,
        bad_rows=raw.bad_rows if raw is not None else {},
        stored_items=stored_items,
    )


def validate(
    kind: FileKind,
    frame: pd.DataFrame,
    store: Store,
    *,
    today: date | None = None,
    reference: Reference | None = None,
    raw: RawTable | None = None,
) -> Validated:
    """Validate rows of ``kind`` against the store's aios and the reference data."""
    aios = store.aios()
    starts = dict(zip(aios["aios_id"], aios["start_date"].dt.date, strict=True))
    ref = reference if reference is not None else Reference.load()
    ctx = _context(raw, starts, today, ref, stored_items=store.current_items)
    return _VALIDATORS[kind](frame, ctx)


def write_validated(
    store: Store,
    kind: FileKind,
    validated: Validated,
    *,
    name: str,
    sha256: str,
    rows_read: int,
    before_commit: Callable[[], None] | None = None,
) -> tuple[int, int, int]:
    """Store the accepted records in one transaction; return (import id, stored, duplicates).

    ``before_commit`` runs inside the transaction after the records are written; if it raises,
    nothing is stored.
    """
    with store.writer() as writer:
        result = write_in(writer, kind, validated, name=name, sha256=sha256, rows_read=rows_read)
        if before_commit is not None:
            before_commit()
        return result


def write_in(
    writer: Writer, kind: FileKind, validated: Validated, *, name: str, sha256: str, rows_read: int
) -> tuple[int, int, int]:
    """Like :func:`write_validated`, inside a write transaction the caller holds."""
    import_id = writer.start_import(name, sha256, str(kind), rows_read)
    new = _write_records(writer, kind, validated.records, import_id)
    stored = int(new.sum())
    duplicates = len(new) - stored + validated.repeated
    writer.finish_import(import_id, stored, validated.rejected_rows, duplicates)
    return import_id, stored, duplicates


def _write_records(
    writer: Writer, kind: FileKind, records: dict[str, pd.DataFrame], import_id: int
) -> np.ndarray:
    """Write the records of one file; return, per accepted row, whether it stored anything."""
    if kind is FileKind.ROSTER:
        roster = records["aios_records"]
        writer.add_aios_ids(roster["aios_id"].tolist(), import_id)
        # a roster without the schedule columns keeps what an earlier roster gave
        return writer.write(
            TABLES["aios_records"], roster, import_id, keep_nonempty=tuple(SCHEDULE.values())
        )
    if kind is FileKind.ASSESSMENTS:
        forms, scores = records["forms"], records["scores"]
        new_forms = writer.write(TABLES["forms"], forms, import_id, keep_nonempty=("comment",))
        new_scores = writer.write_items(scores, import_id)
        changed = forms["form_id"].to_numpy()[new_forms]
        if len(changed):
            return new_scores | scores["form_id"].isin(changed).to_numpy()
        return new_scores
    table = "activities" if kind is FileKind.ACTIVITIES else "reflections"
    return writer.write(TABLES[table], records[table], import_id)


__all__ = [
    "ROW_COLUMN",
    "SPACE_FACTOR",
    "ImportSummary",
    "check_free_space",
    "check_writable",
    "default_rejects_path",
    "import_file",
    "import_into_db",
    "import_table",
    "validate",
    "write_in",
    "write_validated",
]
