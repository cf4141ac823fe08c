"""Submitted forms (schema version 3) and personal extracts: the SQL behind notebook forms.

A form filled in a notebook gets a submission id when it is opened. Saving it stores its records
and one ``submissions`` row in the same transaction; saving it again finds the id and stores
nothing. A *personal extract* is a new store holding one aios' records only, for the
self-reflection notebook; what the aios submits there is merged back from its submissions.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from mlkit.store.content import members
from mlkit.store.errors import StoreError

SUBMISSION_COLS = ("submission_id", "aios_id", "kind", "payload", "import_id")
#: The record tables an extract copies, with the condition selecting one aios' rows.
_EXTRACT_TABLES = (
    ("aios_records", "aios_id = :aios"),
    ("forms", "aios_id = :aios"),
    ("form_scores", "form_id IN (SELECT form_id FROM src.forms WHERE aios_id = :aios)"),
    ("activities", "aios_id = :aios"),
    ("reflections", "aios_id = :aios"),
)


def has_submission(conn: sqlite3.Connection, submission_id: str) -> bool:
    """True when a submission with this id is stored."""
    sql = "SELECT 1 FROM submissions WHERE submission_id = ?"
    return conn.execute(sql, (submission_id,)).fetchone() is not None


def add_submission(
    conn: sqlite3.Connection,
    submission_id: str,
    aios_id: str,
    kind: str,
    payload: str,
    import_id: int,
) -> None:
    """Record a submission (inside the write transaction that stored its records)."""
    conn.execute(
        "INSERT INTO submissions (submission_id, aios_id, kind, payload, import_id)"
        " VALUES (?, ?, ?, ?, ?)",
        (submission_id, aios_id, kind, payload, import_id),
    )


def submissions(conn: sqlite3.Connection, aios_id: str | None = None) -> pd.DataFrame:
    """Return the stored submissions (all, or one aios'), in the order they were stored."""
    sql = f"SELECT {', '.join(SUBMISSION_COLS)} FROM submissions"
    params: tuple[str, ...] = ()
    if aios_id is not None:
        sql += " WHERE aios_id = ?"
        params = (aios_id,)
    rows = conn.execute(sql + " ORDER BY rowid", params).fetchall()
    return pd.DataFrame(rows, columns=list(SUBMISSION_COLS), dtype=object)


def current_items(conn: sqlite3.Connection, form_ids: list[str]) -> dict[str, frozenset[str]]:
    """Return the item codes of the current version of each stored form in ``form_ids``."""
    out: dict[str, frozenset[str]] = {}
    for start in range(0, len(form_ids), 500):
        chunk = form_ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT form_id, items FROM form_scores_current WHERE form_id IN ({marks})", chunk
        ).fetchall()
        out.update({str(f): frozenset(members(str(text))) for f, text in rows})
    return out


def write_extract(conn: sqlite3.Connection, source: Path, aios_id: str, note: str) -> int:
    """Copy one aios' records from the store at ``source`` into this (new, empty) store.

    Every copied row keeps its id, so supersession chains stay intact, and is attributed to
    one import named ``note``; nothing of any other aios is read.

    Returns:
        The number of record rows copied.

    Raises:
        StoreError: when this store is not empty.
    """
    if conn.execute("SELECT EXISTS (SELECT 1 FROM aios)").fetchone()[0]:
        raise StoreError(source, "an extract must be written into a new, empty store")
    conn.execute("ATTACH DATABASE ? AS src", (str(source),))
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            cur = conn.execute(
                "INSERT INTO imports (file_name, sha256, kind, imported_at, rows_read)"
                " VALUES (?, '', 'extract', ?, 0)",
                (note, datetime.now(UTC).isoformat(timespec="seconds")),
            )
            import_id = cur.lastrowid
            conn.execute(
                "INSERT INTO aios (aios_id, first_import_id) SELECT aios_id, ?"
                " FROM src.aios WHERE aios_id = ?",
                (import_id, aios_id),
            )
            copied = 0
            for table, where in _EXTRACT_TABLES:
                cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
                names = ", ".join(cols)
                picked = ", ".join(":imp" if c == "import_id" else c for c in cols)
                cur = conn.execute(
                    f"INSERT INTO {table} ({names}) SELECT {picked} FROM src.{table}"
                    f" WHERE {where} ORDER BY id",
                    {"aios": aios_id, "imp": import_id},
                )
                copied += cur.rowcount
            conn.execute(
                "UPDATE imports SET rows_read = ?, stored = ?, rejected = 0, duplicates = 0"
                " WHERE id = ?",
                (copied, copied, import_id),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute("DETACH DATABASE src")
    return copied


__all__ = [
    "SUBMISSION_COLS",
    "add_submission",
    "current_items",
    "has_submission",
    "submissions",
    "write_extract",
]
