from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from ingest_helpers import IMPORT, TODAY, reference, run_import, store_with_roster

from mlkit.ingest import RowsRejectedError
from mlkit.ingest.manual import add_form, add_reflection
from mlkit.store import SCHEMA_VERSION, AiosNotFoundError, Store, StoreError, StoreSchemaError


@pytest.fixture
def store(tmp_path: Path):
    s = store_with_roster(tmp_path / "s.db")
    yield s
    s.close()


def test_open_creates_schema_wal_and_foreign_keys(tmp_path: Path) -> None:
    with Store.open(tmp_path / "new.db") as store:
        conn = store._conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with Store.open(tmp_path / "new.db") as again:  # reopening does not migrate twice
        assert again.aios_ids() == []


def test_default_path_from_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLKIT_DB", str(tmp_path / "env.db"))
    with Store.open() as store:
        assert store.path == tmp_path / "env.db"
    assert (tmp_path / "env.db").exists()
    monkeypatch.delenv("MLKIT_DB")
    monkeypatch.chdir(tmp_path)
    with Store.open() as store:
        assert store.path == Path("mlkit.db")


def test_not_a_database(tmp_path: Path) -> None:
    bad = tmp_path / "x.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not an mlkit store"):
        Store.open(bad)


def test_newer_schema_refused(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreSchemaError, match="newer than this mlkit supports"):
        Store.open(db)


def test_queries_return_typed_frames(store: Store) -> None:
    run_import(IMPORT / "msf.csv", store)
    aios = store.aios()
    assert list(aios.columns) == [
        "aios_id",
        "display_name",
        "specialty",
        "start_date",
        "hospital",
        "opleider",
        "part_time_percent",
        "extension_months",
        "interruption_months",
    ]
    assert pd.api.types.is_datetime64_any_dtype(aios["start_date"])
    assert store.aios_ids() == ["A0001", "A0002", "A0003"]
    scores = store.scores("A0001", instrument="msf")
    assert list(scores.columns)[:9] == [
        "form_id",
        "aios_id",
        "instrument",
        "date",
        "assessor",
        "assessor_role",
        "item",
        "score",
        "comment",
    ]
    assert scores["score"].dtype == "float64"
    assert scores["score"].isna().sum() == 1  # kan niet beoordelen
    assert scores["not_applicable"].sum() == 1
    assert scores["comment"].iloc[0].startswith("Tops")
    forms = store.forms()
    assert len(forms) == 2 and pd.api.types.is_datetime64_any_dtype(forms["date"])


def test_unknown_aios_raises(store: Store) -> None:
    for query in (
        store.aios,
        store.scores,
        store.forms,
        store.activities,
        store.reflections,
        store.data_hash,
    ):
        with pytest.raises(AiosNotFoundError, match="A9999") as info:
            query("A9999")
        assert info.value.aios_id == "A9999"
        assert isinstance(info.value, LookupError)


def test_records_are_immutable(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="never edited"):
        store._conn.execute("UPDATE aios_records SET display_name = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
        store._conn.execute("DELETE FROM aios_records")


def test_correction_supersedes(store: Store, tmp_path: Path) -> None:
    run_import(IMPORT / "msf.csv", store)
    before = store.data_hash("A0001")
    fixed = tmp_path / "fix.csv"
    fixed.write_text(
        "formulier_id;aios_id;instrument;datum;beoordelaar;rol_beoordelaar;item;score;toelichting\n"
        "K1;A0001;msf;05-10-2023;Dr. X;specialist;organiseert_werk;5;\n",
        encoding="utf-8",
    )
    summary = run_import(fixed, store)
    assert summary.stored == 1
    scores = store.scores("A0001").set_index("item")
    assert scores.loc["organiseert_werk", "score"] == 5.0
    assert len(scores) == 3
    # the narrative of the form is kept when the correction repeats the form without it
    assert scores["comment"].iloc[0].startswith("Tops")
    counts = store.record_counts()
    # 2 forms + 1 new version of K1 (it supersedes the first; nothing is edited)
    assert counts["form_scores"] == 3
    assert store.data_hash("A0001") != before


def test_data_hash_is_stable(tmp_path: Path) -> None:
    hashes = []
    for name in ("a.db", "b.db"):
        with store_with_roster(tmp_path / name) as store:
            run_import(IMPORT / "msf.csv", store)
            run_import(IMPORT / "msf.csv", store)
            hashes.append((store.data_hash("A0001"), store.data_hash()))
    assert hashes[0] == hashes[1]
    assert len(hashes[0][0]) == 64


def test_add_form_and_reflection(store: Store) -> None:
    summary = add_form(
        store,
        "A0001",
        "msf",
        date(2024, 5, 1),
        {"aanspreekbaar": 2, "voorbeeldgedrag": None},
        assessor="B. Collega",
        assessor_role="specialist",
        today=TODAY,
        reference=reference(),
    )
    assert summary.stored == 2
    again = add_form(
        store,
        "A0001",
        "msf",
        date(2024, 5, 1),
        {"aanspreekbaar": 2, "voorbeeldgedrag": None},
        assessor="B. Collega",
        assessor_role="specialist",
        today=TODAY,
        reference=reference(),
    )
    assert again.stored == 0 and again.duplicates == 2
    assert len(store.scores("A0001", instrument="msf")) == 2
    add_reflection(
        store,
        "A0001",
        date(2024, 6, 1),
        "<b>leren</b>",
        domain="rml.d01",
        today=TODAY,
        reference=reference(),
    )
    assert store.reflections("A0001")["text"].tolist() == ["<b>leren</b>"]


def test_add_form_rejects_with_all_problems(store: Store) -> None:
    with pytest.raises(RowsRejectedError, match="2 problem") as info:
        add_form(
            store,
            "A0001",
            "msf",
            date(2024, 5, 1),
            {"aanspreekbaar": 9, "nope": 1},
            today=TODAY,
            reference=reference(),
        )
    codes = {p.code for p in info.value.problems}
    assert codes == {"score_out_of_range", "unknown_item"}
    assert store.scores("A0001").empty
