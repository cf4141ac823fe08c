"""The assessment store: an SQLite file with a query API that returns pandas DataFrames.

All SQL of mlkit lives in this subpackage (here, :mod:`mlkit.store.schema` and
:mod:`mlkit.store.writer`), so that a shared PostgreSQL deployment can follow by replacing it.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import pandas as pd

from mlkit.store import decisions as _decisions
from mlkit.store import submissions as _submissions
from mlkit.store.errors import AiosNotFoundError, StoreError
from mlkit.store.identity import (
    check_file,
    check_identity,
    create_file,
    quick_check,
    store_error,
)
from mlkit.store.schema import SCHEMA_VERSION, migrate
from mlkit.store.snapshot import RECORD_FRAMES, AiosRecords, hash_records, read_records
from mlkit.store.tables import ACTIVITIES, AIOS, FORMS, REFLECTIONS, SCHEDULE_COLUMNS
from mlkit.store.writer import Writer

ENV_DB = "MLKIT_DB"
DEFAULT_DB = "mlkit.db"
BUSY_TIMEOUT_S = 120.0

_AIOS_COLS = AIOS.columns
_FORM_COLS = FORMS.columns
_SCORE_COLS = (
    "form_id",
    "aios_id",
    "instrument",
    "date",
    "assessor",
    "assessor_role",
    "item",
    "score",
    "comment",
    "not_applicable",
)
_ACTIVITY_COLS = ACTIVITIES.columns
_REFLECTION_COLS = REFLECTIONS.columns
_IMPORT_COLS = (
    "import_id",
    "file_name",
    "sha256",
    "kind",
    "imported_at",
    "rows_read",
    "stored",
    "rejected",
    "duplicates",
)
_OPTIONAL_TEXT = ("hospital", "opleider", "assessor", "assessor_role", "comment", "track", "domain")


def default_db_path() -> Path:
    """Return the store path from ``MLKIT_DB``, else ``./mlkit.db``."""
    return Path(os.environ.get(ENV_DB) or DEFAULT_DB)


class Store:
    """An open store. Use :meth:`open`, preferably as a context manager.

    Example:
        >>> with Store.open(Path("mlkit.db")) as store:  # doctest: +SKIP
        ...     scores = store.scores("A0001", instrument="kpb")
    """

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self._reading = False  # inside read_transaction()
        self._known: set[str] = set()  # aios found in the current read transaction

    @classmethod
    def open(
        cls,
        path: Path | None = None,
        *,
        check: bool = False,
        readonly: bool = False,
        create: bool = True,
    ) -> Self:
        """Open (creating and migrating if needed) the store at ``path``.

        A new store file is created with mode 0600 (its WAL follows). Before anything is written
        the file is checked: another kind of file, another application's SQLite database and a
        store of a newer schema are refused and left unchanged.

        Args:
            path: The SQLite file; default ``MLKIT_DB``, else ``./mlkit.db``.
            check: Run SQLite's ``quick_check`` first (do so before writing to a store).
            readonly: Open without writing anything (no migration, no WAL switch).
            create: Create the store when the file does not exist.

        Raises:
            NotAStoreError: when the file is not an mlkit store.
            StoreSchemaError: when the store was written by a newer mlkit.
            StoreCorruptError: when ``check`` finds damage, or SQLite reports it.
            StoreLockedError: when another process holds the lock beyond the busy timeout.
            StoreError: when the file cannot be opened for another reason.
        """
        path = default_db_path() if path is None else path
        exists = check_file(path)
        if not exists and (readonly or not create):
            raise StoreError(path, "no such store")
        if not exists:
            create_file(path)
        try:
            if readonly:
                uri = f"{path.resolve().as_uri()}?mode=ro"
                conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S)
            else:
                conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
        except sqlite3.Error as exc:
            raise store_error(path, exc, BUSY_TIMEOUT_S) from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            found = check_identity(conn, path, SCHEMA_VERSION)
            if check:
                quick_check(conn, path)
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA cache_size = -65536")
            if readonly:
                if found < SCHEMA_VERSION:
                    raise StoreError(path, "the store needs an upgrade: open it for writing once")
            else:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                migrate(conn)
        except sqlite3.Error as exc:
            conn.close()
            raise store_error(path, exc, BUSY_TIMEOUT_S) from exc
        except BaseException:
            conn.close()
            raise
        return cls(conn, path)

    def close(self) -> None:
        """Close the connection (idempotent)."""
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def writer(self) -> Iterator[Writer]:
        """Hold the store's write lock for one transaction and yield a :class:`Writer`.

        Everything written inside commits together; any exception rolls it all back.
        SQLite errors (a full disk, a lock held too long, a read-only file) are raised as the
        matching :class:`StoreError`, after the rollback.
        """
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise store_error(self.path, exc, BUSY_TIMEOUT_S) from exc
        try:
            yield Writer(self._conn)
            self._conn.execute("COMMIT")
        except BaseException as exc:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise store_error(self.path, exc, BUSY_TIMEOUT_S) from exc
            raise

    # -- queries ---------------------------------------------------------------------------

    def _frame(self, sql: str, params: tuple[Any, ...], columns: tuple[str, ...]) -> pd.DataFrame:
        rows = self._conn.execute(sql, params).fetchall()
        frame = pd.DataFrame(rows, columns=list(columns), dtype=object)
        for col in columns:
            if col in ("start_date", "end_date", "date", "imported_at"):
                frame[col] = pd.to_datetime(frame[col].replace("", None), format="ISO8601")
            elif col in _OPTIONAL_TEXT:
                frame[col] = frame[col].replace("", None)
            elif col in SCHEDULE_COLUMNS:
                frame[col] = pd.to_numeric(frame[col].replace("", None)).astype("float64")
        return frame

    def _where(self, alias: str, aios_id: str | None) -> tuple[str, tuple[Any, ...]]:
        if aios_id is None:
            return "", ()
        self._require_aios(aios_id)
        return f" WHERE {alias}.aios_id = ?", (aios_id,)

    def _require_aios(self, aios_id: str) -> None:
        if aios_id in self._known:  # found before in this read transaction
            return
        row = self._conn.execute("SELECT 1 FROM aios WHERE aios_id = ?", (aios_id,)).fetchone()
        if row is None:
            raise AiosNotFoundError(aios_id)
        if self._reading:
            self._known.add(aios_id)

    def aios_ids(self) -> list[str]:
        """Return the ids of every aios in the store, sorted."""
        rows = self._conn.execute("SELECT aios_id FROM aios ORDER BY aios_id").fetchall()
        return [r[0] for r in rows]

    def aios(self, aios_id: str | None = None) -> pd.DataFrame:
        """Return the current roster record of one aios, or of all.

        Columns: aios_id, display_name, specialty, start_date (datetime64), hospital, opleider,
        part_time_percent, extension_months, interruption_months (floats, NaN where the roster
        did not give them: full time, no extension, no interruption).

        Raises:
            AiosNotFoundError: when ``aios_id`` is given and unknown.
        """
        where, params = ("", ()) if aios_id is None else (" WHERE r.aios_id = ?", (aios_id,))
        sql = f"SELECT {', '.join(_AIOS_COLS)} FROM aios_records_current AS r{where}"
        frame = self._frame(sql + " ORDER BY r.aios_id", params, _AIOS_COLS)
        if aios_id is not None:  # the roster read is the existence check
            if frame.empty:
                raise AiosNotFoundError(aios_id)
            if self._reading:
                self._known.add(aios_id)
        return frame

    def forms(self, aios_id: str | None = None) -> pd.DataFrame:
        """Return the current assessment forms, oldest first.

        Columns: form_id, aios_id, instrument, date, assessor, assessor_role, comment.

        Raises:
            AiosNotFoundError: when ``aios_id`` is given and unknown.
        """
        where, params = self._where("f", aios_id)
        cols = ", ".join(f"f.{c}" for c in _FORM_COLS)
        sql = f"SELECT {cols} FROM forms_current AS f{where} ORDER BY f.date, f.form_id"
        return self._frame(sql, params, _FORM_COLS)

    def scores(self, aios_id: str | None = None, instrument: str | None = None) -> pd.DataFrame:
        """Return the current item scores, one row per item of a form, oldest form first.

        Columns: form_id, aios_id, instrument, date, assessor, assessor_role, item, score (float,
        NaN = not applicable), comment (the form's narrative), not_applicable (bool).

        Raises:
            AiosNotFoundError: when ``aios_id`` is given and unknown.
        """
        where, params = self._where("f", aios_id)
        if instrument is not None:
            where += (" AND" if where else " WHERE") + " f.instrument = ?"
            params += (instrument,)
        sql = (
            "SELECT f.form_id, f.aios_id, f.instrument, f.date, f.assessor, f.assessor_role,"
            " j.key, CASE WHEN j.type IN ('integer', 'real') THEN j.value END, f.comment,"
            " j.type = 'text'"
            " FROM form_scores_current AS s JOIN forms_current AS f ON f.form_id = s.form_id,"
            f" json_each(s.items) AS j{where} ORDER BY f.date, f.form_id, j.id"
        )
        frame = self._frame(sql, params, _SCORE_COLS)
        frame["score"] = frame["score"].astype("float64")
        frame["not_applicable"] = frame["not_applicable"].astype(bool)
        return frame

    def activities(self, aios_id: str | None = None) -> pd.DataFrame:
        """Return the current leadership activities and talent-track enrolments.

        Columns: activity_id, aios_id, activity_type, title, start_date, end_date (NaT while
        ongoing), track (None when not a talent track), domains (a tuple of framework codes).

        Raises:
            AiosNotFoundError: when ``aios_id`` is given and unknown.
        """
        where, params = self._where("a", aios_id)
        cols = ", ".join(f"a.{c}" for c in _ACTIVITY_COLS)
        sql = f"SELECT {cols} FROM activities_current AS a{where} ORDER BY a.start_date, a.id"
        frame = self._frame(sql, params, _ACTIVITY_COLS)
        frame["domains"] = [tuple(d.split("|")) if d else () for d in frame["domains"]]
        return frame

    def reflections(self, aios_id: str | None = None) -> pd.DataFrame:
        """Return the current reflections. Columns: reflection_id, aios_id, date, domain, text.

        Raises:
            AiosNotFoundError: when ``aios_id`` is given and unknown.
        """
        where, params = self._where("r", aios_id)
        cols = ", ".join(f"r.{c}" for c in _REFLECTION_COLS)
        sql = f"SELECT {cols} FROM reflections_current AS r{where} ORDER BY r.date, r.id"
        return self._frame(sql, params, _REFLECTION_COLS)

    def submissions(self, aios_id: str | None = None) -> pd.DataFrame:
        """Return the submitted notebook forms: submission_id, aios_id, kind, payload, import_id."""
        return _submissions.submissions(self._conn, aios_id)

    def current_items(self, form_ids: list[str]) -> dict[str, frozenset[str]]:
        """Return the item codes held by the current version of each stored form in ``form_ids``."""
        return _submissions.current_items(self._conn, form_ids)

    def write_extract(self, source: Path, aios_id: str, note: str = "extract") -> int:
        """Fill this new store with one aios' records from the store at ``source``; return rows."""
        return _submissions.write_extract(self._conn, source, aios_id, note)

    def add_decision(self, values: Mapping[str, Any]) -> tuple[int, bool]:
        """Store one committee decision once per ``entry_id``; return its id and whether stored.

        Use :func:`mlkit.meeting.decisions.record_decision`, which validates the values first.
        """
        with self.writer():
            return _decisions.insert_decision(self._conn, values)

    def decision(self, decision_id: int) -> dict[str, Any] | None:
        """Return decision ``decision_id`` with ``superseded`` set, or None when unknown."""
        row = _decisions.decision_by_id(self._conn, decision_id)
        if row is not None:
            row["superseded"] = _decisions.is_superseded(self._conn, decision_id)
        return row

    def decisions(self, aios_id: str | None = None) -> list[dict[str, Any]]:
        """Return the committee's decisions (all, or one aios'), corrections included, in order."""
        return _decisions.decision_rows(self._conn, aios_id)

    def imports(self) -> pd.DataFrame:
        """Return the import log: import_id, file_name, sha256, kind, imported_at, counts."""
        sql = (
            "SELECT id, file_name, sha256, kind, imported_at, rows_read, stored, rejected,"
            " duplicates FROM imports ORDER BY id"
        )
        return self._frame(sql, (), _IMPORT_COLS)

    def record_counts(self) -> dict[str, int]:
        """Return the number of rows (every version) per record table; for audits and tests.

        ``form_scores`` counts form versions of item scores (one row per version of a form).
        """
        tables = (
            "aios",
            "aios_records",
            "forms",
            "form_scores",
            "activities",
            "reflections",
            "imports",
        )
        return {
            t: int(self._conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in tables
        }

    @contextmanager
    def read_transaction(self) -> Iterator[None]:
        """Hold one read transaction: every query inside sees the same committed state.

        The store runs in WAL mode, where a deferred transaction reads one snapshot while
        imports commit; inside it an aios' existence is checked once. Nested use joins the
        outer transaction.
        """
        if self._conn.in_transaction:
            yield
            return
        try:
            self._conn.execute("BEGIN")
        except sqlite3.Error as exc:
            raise store_error(self.path, exc, BUSY_TIMEOUT_S) from exc
        self._reading = True
        try:
            yield
        finally:
            self._reading = False
            self._known.clear()
            if self._conn.in_transaction:
                self._conn.execute("COMMIT")

    def records(self, aios_id: str) -> AiosRecords:
        """Return one aios' current records and their hash, read in one read transaction.

        Each table is read once; the hash is computed from the rows read (see
        :func:`mlkit.store.snapshot.hash_records`).

        Raises:
            AiosNotFoundError: when the aios is not in the store.
        """
        return read_records(self, aios_id)

    def data_hash(self, aios_id: str | None = None) -> str:
        """Return a sha256 over the current records of one aios (or all), stable across runs.

        The hash covers the roster record, forms, item scores, activities and reflections, in a
        fixed order and text form, so a report can say exactly which data it was built from;
        and the committee's decisions when there are any (a new decision renders the aios'
        reports again in a resumed batch). Everything is read in one read transaction.

        Raises:
            AiosNotFoundError: when ``aios_id`` is given and unknown.
        """
        if aios_id is not None:
            return read_records(self, aios_id).data_sha256
        with self.read_transaction():
            frames = {name: getattr(self, name)() for name in RECORD_FRAMES}
            decisions = self.decisions()
        return hash_records(frames, decisions)


__all__ = ["DEFAULT_DB", "ENV_DB", "Store", "default_db_path"]
