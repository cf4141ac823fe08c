"""A store that knows itself: application id, foreign or damaged files, locks, full disk, modes."""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import stat
from pathlib import Path

import pytest
from ingest_helpers import BAD, IMPORT, TODAY, reference, store_with_roster
from typer.testing import CliRunner

from mlkit.cli import app
from mlkit.ingest import import_file, import_into_db
from mlkit.store import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    NotAStoreError,
    Store,
    StoreCorruptError,
    StoreError,
    StoreFullError,
    StoreLockedError,
    StoreReadOnlyError,
    StoreSchemaError,
)

runner = CliRunner()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mlkit: error: "), text
    return lines[0]


def test_new_store_carries_application_id_and_version(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        conn = store._conn
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_store_wal_and_rejects_are_private(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        store = store_with_roster(tmp_path / "s.db")
        try:
            assert stat.S_IMODE((tmp_path / "s.db").stat().st_mode) == 0o600
            assert stat.S_IMODE((tmp_path / "s.db-wal").stat().st_mode) == 0o600
            import_file(
                BAD / "unknown_aios.csv",
                store,
                rejects_path=tmp_path / "r.csv",
                today=TODAY,
                reference=reference(),
            )
        finally:
            store.close()
        assert stat.S_IMODE((tmp_path / "r.csv").stat().st_mode) == 0o600
        result = runner.invoke(app, ["demo-data", "--aios", "3", "--out", str(tmp_path / "d")])
        assert result.exit_code == 0, result.output
        assert stat.S_IMODE((tmp_path / "d" / "roster.csv").stat().st_mode) == 0o600
    finally:
        os.umask(old)


def _foreign(db: Path, app_id: int) -> None:
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA application_id = {app_id}")
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("INSERT INTO notes (text) VALUES ('mine')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("app_id", [0x12345678, 0])
def test_another_applications_file_is_refused_and_untouched(tmp_path: Path, app_id: int) -> None:
    db = tmp_path / "other.db"
    _foreign(db, app_id)
    before = _digest(db)
    with pytest.raises(NotAStoreError, match="not an mlkit store"):
        Store.open(db, check=True)
    result = runner.invoke(app, ["import", str(IMPORT / "roster.csv"), "--db", str(db)])
    assert result.exit_code == 2
    assert "not an mlkit store" in _one_line(result.stderr)
    assert _digest(db) == before
    assert not Path(f"{db}-wal").exists()


def test_newer_schema_is_refused_and_untouched(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.execute("CREATE TABLE later (x)")
    conn.commit()
    conn.close()
    before = _digest(db)
    with pytest.raises(StoreSchemaError, match="upgrade mlkit"):
        Store.open(db)
    assert _digest(db) == before  # not even switched to WAL


def test_corrupt_store_is_refused_and_untouched(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    store_with_roster(db).close()
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for offset in range(2 * page, len(data) - page, page):  # wreck every page but the first
        data[offset : offset + 64] = b"\xa5" * 64
    db.write_bytes(bytes(data))
    before = _digest(db)
    with pytest.raises(StoreCorruptError, match="damaged"):
        Store.open(db, check=True)
    result = runner.invoke(app, ["import", str(IMPORT / "roster.csv"), "--db", str(db)])
    assert result.exit_code == 2
    assert "damaged" in _one_line(result.stderr)
    assert _digest(db) == before


def test_other_kinds_of_file(tmp_path: Path) -> None:
    text = tmp_path / "x.db"
    text.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(NotAStoreError, match="not an SQLite database"):
        Store.open(text)
    with pytest.raises(NotAStoreError, match="a directory"):
        Store.open(tmp_path)
    with pytest.raises(StoreError, match="no such store"):
        Store.open(tmp_path / "absent.db", create=False)
    assert not (tmp_path / "absent.db").exists()


def test_locked_store_is_reported_as_locked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "s.db"
    store_with_roster(db).close()
    monkeypatch.setattr("mlkit.store.store.BUSY_TIMEOUT_S", 0.2)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreLockedError, match="locked by another process"):
            Store.open(db)
        result = runner.invoke(app, ["import", str(IMPORT / "roster.csv"), "--db", str(db)])
        assert result.exit_code == 2
        line = _one_line(result.stderr)
        assert "locked" in line and "not an mlkit store" not in line
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_read_only_store(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    store_with_roster(db).close()
    before = _digest(db)
    with Store.open(db, readonly=True) as store:
        assert store.aios_ids() == ["A0001", "A0002", "A0003"]
        with pytest.raises(StoreReadOnlyError, match="read-only"):
            import_file(IMPORT / "msf.csv", store, today=TODAY, reference=reference())
    assert _digest(db) == before


def test_read_only_store_file_as_a_normal_user(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes every file; see test_read_only_store")
    db = tmp_path / "s.db"
    store_with_roster(db).close()
    db.chmod(0o400)
    result = runner.invoke(app, ["import", str(IMPORT / "msf.csv"), "--db", str(db)])
    assert result.exit_code == 2
    assert "read-only" in _one_line(result.stderr)


def test_full_store_rolls_back_and_leaves_no_rejects(tmp_path: Path) -> None:
    store = store_with_roster(tmp_path / "s.db")
    try:
        counts = store.record_counts()
        pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
        store._conn.execute(f"PRAGMA max_page_count = {pages + 1}")
        big = tmp_path / "big.csv"
        rows = [
            f"K{i};A0001;msf;05-10-2023;Dr. X;specialist;verbindt;4;{'x' * 2000}"
            for i in range(300)
        ]
        rows.append("K9;A0404;msf;05-10-2023;Dr. X;specialist;verbindt;4;")
        big.write_text(
            "formulier_id;aios_id;instrument;datum;beoordelaar;rol_beoordelaar;item;score;"
            "toelichting\n" + "\n".join(rows) + "\n",
            encoding="utf-8",
        )
        with pytest.raises(StoreFullError, match="disk is full"):
            import_file(
                big, store, rejects_path=tmp_path / "r.csv", today=TODAY, reference=reference()
            )
        assert store.record_counts() == counts
        assert not (tmp_path / "r.csv").exists()
    finally:
        store.close()


def test_too_little_free_space_is_fatal_before_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Usage:
        free = 1000

    monkeypatch.setattr("mlkit.ingest.importer.shutil.disk_usage", lambda _: Usage())
    db = tmp_path / "s.db"
    with pytest.raises(StoreFullError, match="not enough free space"):
        import_into_db(IMPORT / "roster.csv", db, today=TODAY, reference=reference())
    assert not db.exists()
    result = runner.invoke(app, ["import", str(IMPORT / "roster.csv"), "--db", str(db)])
    assert result.exit_code == 2
    assert "free space" in _one_line(result.stderr)


@pytest.mark.parametrize(
    "error",
    [
        StoreError("s.db", "why"),
        StoreLockedError("s.db", "locked"),
        StoreSchemaError("s.db", 9, 2),
        NotAStoreError("s.db", "not mine"),
    ],
)
def test_store_errors_pickle_with_their_data(error: StoreError) -> None:
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error)
    assert (str(back), back.path, back.reason) == (str(error), error.path, error.reason)


def test_a_store_from_before_the_application_id_gets_one(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    store_with_roster(db).close()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA application_id = 0")
    conn.commit()
    conn.close()
    with Store.open(db, check=True) as store:
        assert store.aios_ids() == ["A0001", "A0002", "A0003"]
        assert store._conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
