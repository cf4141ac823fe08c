"""Committee decisions (schema version 5): the SQL behind recording and reading them.

The ``decisions`` table is insert-only like every record table: triggers refuse ``UPDATE`` and
``DELETE``. A correction is a new row whose ``supersedes`` names the row it replaces (one
correction per row, for the same aios). Each row carries the ``entry_id`` its card was given
when the committee notebook opened, so pressing save twice stores one row.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

#: The columns of a decision row, in table order.
DECISION_COLS = (
    "id",
    "entry_id",
    "aios_id",
    "besluit",
    "motivering",
    "afspraken",
    "next_evaluation",
    "recorded_by",
    "recorded_at",
    "proposal",
    "rules_version",
    "supersedes",
)

#: Version 5 of the schema: the committee's decisions, insert-only, corrections supersede.
MIGRATION_V5 = """
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    entry_id TEXT NOT NULL UNIQUE,
    aios_id TEXT NOT NULL REFERENCES aios(aios_id),
    besluit TEXT NOT NULL,
    motivering TEXT NOT NULL,
    afspraken TEXT NOT NULL,
    next_evaluation TEXT NOT NULL,
    recorded_by TEXT NOT NULL CHECK (recorded_by <> ''),
    recorded_at TEXT NOT NULL,
    proposal TEXT NOT NULL,
    rules_version TEXT NOT NULL,
    supersedes INTEGER REFERENCES decisions(id)
);
CREATE INDEX decisions_aios ON decisions(aios_id);
CREATE UNIQUE INDEX decisions_supersedes ON decisions(supersedes) WHERE supersedes IS NOT NULL;
CREATE TRIGGER decisions_same_aios BEFORE INSERT ON decisions
    WHEN NEW.supersedes IS NOT NULL
    AND (SELECT aios_id FROM decisions WHERE id = NEW.supersedes) IS NOT NEW.aios_id
    BEGIN SELECT RAISE(ABORT, 'a correction supersedes a decision of the same aios'); END;
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
    BEGIN SELECT RAISE(ABORT, 'decisions are never edited: record a correction'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
    BEGIN SELECT RAISE(ABORT, 'decisions are never deleted'); END;
"""

_SELECT = f"SELECT {', '.join(DECISION_COLS)} FROM decisions"


def _row(values: tuple[Any, ...]) -> dict[str, Any]:
    return dict(zip(DECISION_COLS, values, strict=True))


def decision_by_entry(conn: sqlite3.Connection, entry_id: str) -> dict[str, Any] | None:
    """Return the decision stored under ``entry_id``, or None."""
    found = conn.execute(f"{_SELECT} WHERE entry_id = ?", (entry_id,)).fetchone()
    return None if found is None else _row(found)


def decision_by_id(conn: sqlite3.Connection, decision_id: int) -> dict[str, Any] | None:
    """Return decision ``decision_id``, or None."""
    found = conn.execute(f"{_SELECT} WHERE id = ?", (decision_id,)).fetchone()
    return None if found is None else _row(found)


def is_superseded(conn: sqlite3.Connection, decision_id: int) -> bool:
    """True when a correction supersedes decision ``decision_id``."""
    sql = "SELECT 1 FROM decisions WHERE supersedes = ?"
    return conn.execute(sql, (decision_id,)).fetchone() is not None


def insert_decision(conn: sqlite3.Connection, values: Mapping[str, Any]) -> tuple[int, bool]:
    """Insert one decision (inside the caller's write transaction) unless its entry is stored.

    Returns:
        The row id, and True when this call stored it (False: the entry was already stored).
    """
    existing = decision_by_entry(conn, str(values["entry_id"]))
    if existing is not None:
        return int(existing["id"]), False
    cols = DECISION_COLS[1:]
    cur = conn.execute(
        f"INSERT INTO decisions ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        tuple(values.get(c) for c in cols),
    )
    assert cur.lastrowid is not None
    return int(cur.lastrowid), True


def decision_rows(conn: sqlite3.Connection, aios_id: str | None = None) -> list[dict[str, Any]]:
    """Return every decision (all aios, or one), corrections included, in the order stored."""
    if aios_id is None:
        rows = conn.execute(f"{_SELECT} ORDER BY id").fetchall()
    else:
        rows = conn.execute(f"{_SELECT} WHERE aios_id = ? ORDER BY id", (aios_id,)).fetchall()
    return [_row(r) for r in rows]


__all__ = [
    "DECISION_COLS",
    "MIGRATION_V5",
    "decision_by_entry",
    "decision_by_id",
    "decision_rows",
    "insert_decision",
    "is_superseded",
]
