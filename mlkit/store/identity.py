"""Knowing an mlkit store: SQLite's ``application_id``, the schema version and error mapping.

An mlkit store carries :data:`APPLICATION_ID` in its SQLite header (set when it is created or
migrated) and its schema version in ``user_version``. Before anything is written, a file is
checked: another kind of file, another application's database (a different application id, or
tables that are not mlkit's), and a store of a newer schema are refused, and the file is left as
it was. :func:`store_error` turns an ``sqlite3`` error into a :class:`~mlkit.store.StoreError`
that says what happened (locked, full, read-only, corrupt) in one line.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from mlkit.store.errors import (
    NotAStoreError,
    StoreCorruptError,
    StoreError,
    StoreFullError,
    StoreLockedError,
    StoreReadOnlyError,
    StoreSchemaError,
)

APPLICATION_ID = 0x4D4C4B54  #: "MLKT", in the SQLite header of every mlkit store
STORE_MODE = 0o600  #: file mode of a new store (its WAL and shared-memory files follow it)
_SQLITE_MAGIC = b"SQLite format 3\x00"
_MLKIT_TABLES = frozenset({"imports", "aios"})


def check_file(path: Path) -> bool:
    """Check, without SQLite, that ``path`` is absent, empty or an SQLite file.

    Returns:
        True when the file exists and is not empty.

    Raises:
        NotAStoreError: when the file is something else (or a directory).
        StoreError: when it cannot be read.
    """
    if path.is_dir():
        raise NotAStoreError(path, "not an mlkit store: a directory")
    try:
        with path.open("rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise StoreError(path, f"cannot read the store: {exc.strerror or exc}") from exc
    if not head:
        return False
    if head != _SQLITE_MAGIC:
        raise NotAStoreError(path, "not an mlkit store: not an SQLite database")
    return True


def create_file(path: Path) -> None:
    """Create an empty store file with mode :data:`STORE_MODE` (SQLite fills it on first use)."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, STORE_MODE)
    except FileExistsError:
        return  # another process was first; it is checked like any existing file
    except OSError as exc:
        raise StoreError(path, f"cannot create the store: {exc.strerror or exc}") from exc
    os.close(fd)


def check_identity(conn: sqlite3.Connection, path: Path, supported: int) -> int:
    """Refuse another application's database and a newer schema; return the schema version.

    Raises:
        NotAStoreError: another application id, or tables that are not an mlkit store's.
        StoreSchemaError: the schema version is newer than ``supported``.
    """
    app = int(conn.execute("PRAGMA application_id").fetchone()[0])
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if app not in (0, APPLICATION_ID):
        raise NotAStoreError(
            path,
            f"not an mlkit store: another application's SQLite file (application_id"
            f" {app:#010x}); mlkit does not write to it",
        )
    if version > supported:
        raise StoreSchemaError(path, version, supported)
    if app == 0:  # created before mlkit set its id, or someone else's database
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        tables = {str(r[0]) for r in rows}
        if tables and not tables >= _MLKIT_TABLES:
            shown = ", ".join(sorted(tables)[:5])
            raise NotAStoreError(
                path,
                f"not an mlkit store: an SQLite database with other tables ({shown});"
                " mlkit does not write to it",
            )
    return version


def quick_check(conn: sqlite3.Connection, path: Path) -> None:
    """Run ``PRAGMA quick_check``; raise :class:`StoreCorruptError` unless it says ``ok``."""
    rows = conn.execute("PRAGMA quick_check").fetchall()
    if [str(r[0]) for r in rows] != ["ok"]:
        first = str(rows[0][0]) if rows else "no answer"
        raise StoreCorruptError(
            path, f"the store is damaged (integrity check: {first}); restore it from a backup"
        )


def store_error(path: Path, exc: sqlite3.Error, busy_timeout_s: float) -> StoreError:
    """Return the :class:`StoreError` that explains an ``sqlite3`` error in one line."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return StoreLockedError(
            path,
            f"the store is locked by another process (waited {busy_timeout_s:g} s): try again"
            " when it has finished",
        )
    if name == "SQLITE_FULL" or "disk is full" in text:
        return StoreFullError(
            path, "the disk is full: nothing was changed; free some space and import again"
        )
    if name.startswith("SQLITE_READONLY") or "readonly" in text:
        return StoreReadOnlyError(
            path, "the store is read-only (check the permissions of the file and its directory)"
        )
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text:
        return StoreCorruptError(path, f"the store is damaged ({text}); restore it from a backup")
    if name.startswith("SQLITE_CANTOPEN"):
        return StoreError(path, f"cannot open the store ({text})")
    return StoreError(path, f"store error: {text}" + (f" [{name}]" if name else ""))


__all__ = [
    "APPLICATION_ID",
    "STORE_MODE",
    "check_file",
    "check_identity",
    "create_file",
    "quick_check",
    "store_error",
]
