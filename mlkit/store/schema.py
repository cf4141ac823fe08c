"""The store's schema: versioned migrations and the description of every record table.

The schema version lives in SQLite's ``PRAGMA user_version``. :data:`MIGRATIONS` is an
append-only list: migration *n* (1-based) takes the store from version ``n - 1`` to ``n``. Never
edit a released migration; add a new one.

Record tables are insert-only (triggers refuse ``UPDATE`` and ``DELETE``). A correction is a new
row whose ``supersedes`` column points at the row it replaces; the *current* rows of a table are
those no other row supersedes. Every record row carries the ``import_id`` it came from and a
``content_hash`` over its content columns, used to recognise rows that are already stored.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class TableSpec:
    """A versioned record table: its natural key and the content columns a row carries.

    Attributes:
        name: The SQL table name.
        key: Columns that identify a record across versions (``form_id, item``).
        columns: All content columns, key included, in insert order.
        numeric: Content columns held as numbers (the rest are text, ``""`` when empty).
    """

    name: str
    key: tuple[str, ...]
    columns: tuple[str, ...]
    numeric: tuple[str, ...] = ()

    @property
    def text_columns(self) -> tuple[str, ...]:
        """The content columns stored as text."""
        return tuple(c for c in self.columns if c not in self.numeric)


AIOS = TableSpec(
    "aios_records",
    ("aios_id",),
    ("aios_id", "display_name", "specialty", "start_date", "hospital", "opleider"),
)
FORMS = TableSpec(
    "forms",
    ("form_id",),
    ("form_id", "aios_id", "instrument", "date", "assessor", "assessor_role", "comment"),
)
SCORES = TableSpec(
    "scores",
    ("form_id", "item"),
    ("form_id", "item", "score", "not_applicable"),
    numeric=("score", "not_applicable"),
)
ACTIVITIES = TableSpec(
    "activities",
    ("activity_id",),
    (
        "activity_id",
        "aios_id",
        "activity_type",
        "title",
        "start_date",
        "end_date",
        "track",
        "domains",
    ),
)
REFLECTIONS = TableSpec(
    "reflections",
    ("reflection_id",),
    ("reflection_id", "aios_id", "date", "domain", "text"),
)
TABLES: dict[str, TableSpec] = {t.name: t for t in (AIOS, FORMS, SCORES, ACTIVITIES, REFLECTIONS)}


def _record_table(spec: TableSpec, columns_sql: str, extra: str = "") -> str:
    name = spec.name
    key = ", ".join(spec.key)
    return f"""
CREATE TABLE {name} (
    id INTEGER PRIMARY KEY,
    {columns_sql},
    content_hash INTEGER NOT NULL,
    import_id INTEGER NOT NULL REFERENCES imports(id),
    supersedes INTEGER REFERENCES {name}(id){extra}
);
CREATE INDEX {name}_key ON {name}({key});
CREATE UNIQUE INDEX {name}_supersedes ON {name}(supersedes) WHERE supersedes IS NOT NULL;
CREATE VIEW {name}_current AS SELECT * FROM {name} AS r
    WHERE NOT EXISTS (SELECT 1 FROM {name} AS n WHERE n.supersedes = r.id);
CREATE TRIGGER {name}_no_update BEFORE UPDATE ON {name}
    BEGIN SELECT RAISE(ABORT, '{name} records are never edited: add a correcting record'); END;
CREATE TRIGGER {name}_no_delete BEFORE DELETE ON {name}
    BEGIN SELECT RAISE(ABORT, '{name} records are never deleted'); END;
"""


_V1 = (
    """
CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    kind TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    rows_read INTEGER NOT NULL,
    stored INTEGER,
    rejected INTEGER,
    duplicates INTEGER
);
CREATE INDEX imports_sha256 ON imports(sha256);
CREATE TABLE aios (
    aios_id TEXT PRIMARY KEY,
    first_import_id INTEGER NOT NULL REFERENCES imports(id)
);
"""
    + _record_table(
        AIOS,
        """aios_id TEXT NOT NULL REFERENCES aios(aios_id),
    display_name TEXT NOT NULL,
    specialty TEXT NOT NULL,
    start_date TEXT NOT NULL,
    hospital TEXT NOT NULL,
    opleider TEXT NOT NULL""",
    )
    + _record_table(
        FORMS,
        """form_id TEXT NOT NULL,
    aios_id TEXT NOT NULL REFERENCES aios(aios_id),
    instrument TEXT NOT NULL,
    date TEXT NOT NULL,
    assessor TEXT NOT NULL,
    assessor_role TEXT NOT NULL,
    comment TEXT NOT NULL""",
    )
    + "CREATE INDEX forms_aios ON forms(aios_id);\n"
    + _record_table(
        SCORES,
        """form_id TEXT NOT NULL,
    item TEXT NOT NULL,
    score REAL,
    not_applicable INTEGER NOT NULL CHECK (not_applicable IN (0, 1))""",
    )
    + _record_table(
        ACTIVITIES,
        """activity_id TEXT NOT NULL,
    aios_id TEXT NOT NULL REFERENCES aios(aios_id),
    activity_type TEXT NOT NULL,
    title TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    track TEXT NOT NULL,
    domains TEXT NOT NULL""",
    )
    + "CREATE INDEX activities_aios ON activities(aios_id);\n"
    + _record_table(
        REFLECTIONS,
        """reflection_id TEXT NOT NULL,
    aios_id TEXT NOT NULL REFERENCES aios(aios_id),
    date TEXT NOT NULL,
    domain TEXT NOT NULL,
    text TEXT NOT NULL""",
    )
    + "CREATE INDEX reflections_aios ON reflections(aios_id);\n"
)

MIGRATIONS: tuple[str, ...] = (_V1,)
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    """Return the schema version recorded in the store (0 for a new, empty file)."""
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the store up to :data:`SCHEMA_VERSION`, one migration per transaction.

    Safe when several processes open a new store at once: each migration runs under an
    immediate (write-locked) transaction and re-reads the version first.

    Returns:
        The version the store had before migrating.
    """
    before = schema_version(conn)
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = schema_version(conn)
            if version >= SCHEMA_VERSION:
                conn.execute("COMMIT")
                return before
            for statement in _statements(MIGRATIONS[version]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (triggers keep their inner ``;``)."""
    out: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                out.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        out.append(buffer.strip())
    return out


__all__ = [
    "ACTIVITIES",
    "AIOS",
    "FORMS",
    "MIGRATIONS",
    "REFLECTIONS",
    "SCHEMA_VERSION",
    "SCORES",
    "TABLES",
    "TableSpec",
    "migrate",
    "schema_version",
]
