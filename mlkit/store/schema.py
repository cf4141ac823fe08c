"""The store's schema: versioned migrations and the description of every record table.

The schema version lives in SQLite's ``PRAGMA user_version``. :data:`MIGRATIONS` is an
append-only list: migration *n* (1-based) takes the store from version ``n - 1`` to ``n``. Never
edit a released migration; add a new one. A migration is an SQL script, or a function when it
converts data (version 2 packs the item rows of version 1 into one row per form version;
version 3 adds the roster's part-time and extension columns; version 4 the form submissions;
version 5 the committee's decisions, :mod:`mlkit.store.decisions`).
The table descriptions live in :mod:`mlkit.store.tables`.

Record tables are insert-only (triggers refuse ``UPDATE`` and ``DELETE``). A correction is a new
row whose ``supersedes`` column points at the row it replaces; the *current* rows of a table are
those no other row supersedes. Every record row carries the ``import_id`` it came from and a
``content_hash`` over its content columns, used to recognise rows that are already stored.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from itertools import groupby
from operator import itemgetter

import pandas as pd

from mlkit.store.content import content_hash, join_members, member
from mlkit.store.decisions import MIGRATION_V5
from mlkit.store.identity import APPLICATION_ID
from mlkit.store.tables import (
    ACTIVITIES,
    AIOS,
    FORM_SCORES,
    FORMS,
    REFLECTIONS,
    SCHEDULE_COLUMNS,
    SCORES,
    TABLES,
    TableSpec,
)


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

_V2 = _record_table(
    FORM_SCORES,
    """form_id TEXT NOT NULL,
    items TEXT NOT NULL""",
)


def _v2(conn: sqlite3.Connection) -> None:
    """Version 2: item scores one row per form version instead of one row per item.

    Every version-1 item row is carried over, history included: for each form, the item rows of
    one import (consecutive ids, as one import inserted them) make one form version holding every
    item current after that import, in the order the version-1 query returned them (by row id:
    a corrected item moves to the end). Each version supersedes the form's previous one. The
    version-1 table is then dropped.
    """
    for statement in _statements(_V2):
        conn.execute(statement)
    rows = conn.execute(
        "SELECT form_id, item, score, not_applicable, import_id FROM scores ORDER BY form_id, id"
    )
    versions: list[tuple[int, str, str, int, int | None]] = []
    for form_id, group in groupby(rows, key=itemgetter(0)):
        state: dict[str, str] = {}
        batch: int | None = None
        previous: int | None = None
        for _, item, score, not_applicable, import_id in group:
            if batch is not None and import_id != batch:
                versions.append(
                    (len(versions) + 1, form_id, join_members([*state.values()]), batch, previous)
                )
                previous = len(versions)
            batch = import_id
            state.pop(item, None)
            state[item] = member(item, score, bool(not_applicable))
        assert batch is not None
        versions.append(
            (len(versions) + 1, form_id, join_members([*state.values()]), batch, previous)
        )
    frame = pd.DataFrame(versions, columns=["id", "form_id", "items", "import_id", "supersedes"])
    hashes = content_hash(FORM_SCORES, frame.astype({"form_id": object, "items": object}))
    conn.executemany(
        "INSERT INTO form_scores (id, form_id, items, content_hash, import_id, supersedes)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        ((v[0], v[1], v[2], h, v[3], v[4]) for v, h in zip(versions, hashes.tolist(), strict=True)),
    )
    conn.execute("DROP VIEW scores_current")
    conn.execute("DROP TABLE scores")


_AIOS_TRIGGER = (
    "CREATE TRIGGER aios_records_no_update BEFORE UPDATE ON aios_records\n"
    "    BEGIN SELECT RAISE(ABORT, 'aios_records records are never edited:"
    " add a correcting record'); END;"
)


def _v3(conn: sqlite3.Connection) -> None:
    """Version 3: roster columns for part-time training, extension and interruption.

    The columns are text, ``""`` where a roster did not give them. Every existing roster record
    gets ``""`` and its content hash is recomputed over the new column set (the only update ever
    made to a record table, with its no-update trigger lifted for the migration), so that
    importing the same roster again still finds its records identical.
    """
    for column in SCHEDULE_COLUMNS:
        conn.execute(f"ALTER TABLE aios_records ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
    conn.execute("DROP VIEW aios_records_current")
    conn.execute(
        "CREATE VIEW aios_records_current AS SELECT * FROM aios_records AS r"
        " WHERE NOT EXISTS (SELECT 1 FROM aios_records AS n WHERE n.supersedes = r.id)"
    )
    rows = conn.execute(f"SELECT id, {', '.join(AIOS.columns)} FROM aios_records").fetchall()
    if rows:
        frame = pd.DataFrame([r[1:] for r in rows], columns=list(AIOS.columns), dtype=object)
        hashes = content_hash(AIOS, frame).tolist()
        conn.execute("DROP TRIGGER aios_records_no_update")
        conn.executemany(
            "UPDATE aios_records SET content_hash = ? WHERE id = ?",
            zip(hashes, (r[0] for r in rows), strict=True),
        )
        conn.execute(_AIOS_TRIGGER.strip())


#: Version 4: one row per submitted form (notebook forms and self-reflections), keyed by the
#: submission id the form was given when it was opened, so saving it again stores nothing.
#: ``payload`` is the submission as JSON, so a personal extract can be merged back validated.
_V4 = """
CREATE TABLE submissions (
    submission_id TEXT PRIMARY KEY,
    aios_id TEXT NOT NULL REFERENCES aios(aios_id),
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    import_id INTEGER NOT NULL REFERENCES imports(id)
);
CREATE TRIGGER submissions_no_update BEFORE UPDATE ON submissions
    BEGIN SELECT RAISE(ABORT, 'submissions are never edited'); END;
CREATE TRIGGER submissions_no_delete BEFORE DELETE ON submissions
    BEGIN SELECT RAISE(ABORT, 'submissions are never deleted'); END;
"""

#: A migration is an SQL script or a function run inside the migration's transaction.
Migration = str | Callable[[sqlite3.Connection], None]
MIGRATIONS: tuple[Migration, ...] = (_V1, _v2, _v3, _V4, MIGRATION_V5)
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
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            if version >= SCHEMA_VERSION:
                conn.execute("COMMIT")
                return before
            step = MIGRATIONS[version]
            if isinstance(step, str):
                for statement in _statements(step):
                    conn.execute(statement)
            else:
                step(conn)
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
    "FORM_SCORES",
    "MIGRATIONS",
    "REFLECTIONS",
    "SCHEMA_VERSION",
    "SCORES",
    "TABLES",
    "Migration",
    "TableSpec",
    "migrate",
    "schema_version",
]
