"""Schema version 2 (item scores one row per form version) opens and converts version-1 stores."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from ingest_helpers import IMPORT, run_import

from mlkit.store import SCHEMA_VERSION, Store
from mlkit.store.content import content_hash, normalise
from mlkit.store.schema import AIOS, FORMS, MIGRATIONS, SCORES, TableSpec, _statements

#: The roster table as versions 1 and 2 had it (version 3 added the schedule columns).
AIOS_V1 = TableSpec("aios_records", AIOS.key, AIOS.columns[:6])
KPB = "formulier_id;aios_id;instrument;datum;beoordelaar;rol_beoordelaar;item;score;toelichting\n"


def _insert(
    conn: sqlite3.Connection,
    spec: TableSpec,
    rows: list[tuple[object, ...]],
    import_id: int,
    supersedes: list[int | None] | None = None,
) -> None:
    """Insert rows as the version-1 writer did: content columns, content hash, import id."""
    frame = normalise(spec, pd.DataFrame(rows, columns=list(spec.columns)))
    hashes = content_hash(spec, frame).tolist()
    links = supersedes or [None] * len(rows)
    cols = ", ".join(spec.columns)
    marks = ", ".join("?" * (len(spec.columns) + 3))
    conn.executemany(
        f"INSERT INTO {spec.name} ({cols}, content_hash, import_id, supersedes) VALUES ({marks})",
        [(*r, h, import_id, s) for r, h, s in zip(rows, hashes, links, strict=True)],
    )


def _v1_store(db: Path) -> None:
    """A version-1 store holding msf.csv and a correction of one K1 item, built with v1's SQL."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    assert isinstance(MIGRATIONS[0], str)
    for statement in _statements(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    for i, (name, kind, read) in enumerate(
        (("roster.csv", "roster", 2), ("msf.csv", "assessments", 5), ("fix.csv", "assessments", 1))
    ):
        conn.execute(
            "INSERT INTO imports (file_name, sha256, kind, imported_at, rows_read, stored,"
            " rejected, duplicates) VALUES (?, ?, ?, '2024-01-01T00:00:00+00:00', ?, ?, 0, 0)",
            (name, f"{i:064d}", kind, read, read),
        )
    conn.executemany(
        "INSERT INTO aios (aios_id, first_import_id) VALUES (?, 1)", [("A0001",), ("A0002",)]
    )
    roster = [
        ("A0001", "Aios Een", "interne geneeskunde", "2021-09-01", "", ""),
        ("A0002", "Aios Twee", "interne geneeskunde", "2021-09-01", "", ""),
    ]
    _insert(conn, AIOS_V1, roster, 1)
    tips = "Tops: rustig overleg. Tips: eerder escaleren."
    forms = [
        ("K1", "A0001", "msf", "2023-10-05", "Dr. X", "specialist", tips),
        ("K2", "A0002", "msf", "2023-11-20", "Dr. Y", "specialist", "Goed"),
    ]
    _insert(conn, FORMS, forms, 2)
    scores = [
        ("K1", "aanspreekbaar", 4.0, 0),
        ("K1", "organiseert_werk", 3.0, 0),
        ("K1", "communiceert_helder", np.nan, 1),
        ("K2", "aanspreekbaar", 5.0, 0),
        ("K2", "organiseert_werk", np.nan, 1),
    ]
    _insert(conn, SCORES, scores, 2)
    _insert(conn, SCORES, [("K1", "organiseert_werk", 5.0, 0)], 3, [2])
    conn.close()


@pytest.fixture
def migrated(tmp_path: Path):
    db = tmp_path / "v1.db"
    _v1_store(db)
    with Store.open(db) as store:
        yield store


def test_v1_store_migrates_to_form_versions(migrated: Store) -> None:
    conn = migrated._conn
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "scores" not in tables and "form_scores" in tables
    assert migrated.record_counts()["form_scores"] == 3  # K1, K2, and K1's corrected version
    versions = conn.execute(
        "SELECT id, form_id, items, import_id, supersedes FROM form_scores ORDER BY id"
    ).fetchall()
    assert versions == [
        (
            1,
            "K1",
            '{"aanspreekbaar":4.0,"organiseert_werk":3.0,"communiceert_helder":"n.v.t."}',
            2,
            None,
        ),
        (
            2,
            "K1",
            '{"aanspreekbaar":4.0,"communiceert_helder":"n.v.t.","organiseert_werk":5.0}',
            3,
            1,
        ),
        (3, "K2", '{"aanspreekbaar":5.0,"organiseert_werk":"n.v.t."}', 2, None),
    ]
    with pytest.raises(sqlite3.IntegrityError, match="never edited"):
        conn.execute("UPDATE form_scores SET items = '{}'")


def test_migrated_store_answers_as_version_1_did(migrated: Store) -> None:
    scores = migrated.scores()
    # the per-item store listed a form's items by row id: the corrected item comes last
    assert scores[["form_id", "item"]].values.tolist() == [
        ["K1", "aanspreekbaar"],
        ["K1", "communiceert_helder"],
        ["K1", "organiseert_werk"],
        ["K2", "aanspreekbaar"],
        ["K2", "organiseert_werk"],
    ]
    assert scores["score"].tolist()[:1] + scores["score"].tolist()[2:4] == [4.0, 5.0, 5.0]
    assert scores["not_applicable"].tolist() == [False, True, False, False, True]
    assert scores["score"].isna().tolist() == [False, True, False, False, True]
    assert scores["comment"].tolist()[0].startswith("Tops")
    assert migrated.data_hash() == migrated.data_hash()


def test_reimport_into_migrated_store_counts_per_item(migrated: Store, tmp_path: Path) -> None:
    fix = tmp_path / "fix.csv"
    fix.write_text(KPB + "K1;A0001;msf;05-10-2023;Dr. X;specialist;organiseert_werk;5;\n")
    again = run_import(fix, migrated)
    assert (again.stored, again.duplicates) == (0, 1)
    before = migrated.data_hash()
    original = run_import(IMPORT / "msf.csv", migrated)  # puts organiseert_werk back to 3
    assert (original.stored, original.duplicates) == (1, 4)
    assert migrated.record_counts()["form_scores"] == 4
    assert migrated.data_hash() != before
    assert migrated.scores("A0001").set_index("item").loc["organiseert_werk", "score"] == 3.0


def test_v3_adds_schedule_columns_and_rehashes_roster(migrated: Store) -> None:
    conn = migrated._conn
    rows = conn.execute(
        f"SELECT {', '.join(AIOS.columns)}, content_hash FROM aios_records ORDER BY id"
    ).fetchall()
    assert [r[6:9] for r in rows] == [("", "", "")] * 2
    frame = normalise(AIOS, pd.DataFrame([r[:9] for r in rows], columns=list(AIOS.columns)))
    assert content_hash(AIOS, frame).tolist() == [r[9] for r in rows]
    with pytest.raises(sqlite3.IntegrityError, match="never edited"):
        conn.execute("UPDATE aios_records SET display_name = 'x'")
    aios = migrated.aios()
    assert aios["part_time_percent"].isna().all() and aios["extension_months"].isna().all()
