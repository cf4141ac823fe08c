"""One read transaction is one snapshot: a commit in between is not seen until it ends."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mlkit.ingest import import_file
from mlkit.store import AiosNotFoundError, Store
from mlkit.store.snapshot import hash_records

ROSTER = (
    "aios_id;naam;specialisme;startdatum;ziekenhuis;opleider\n"
    "E0001;{name};psychiatrie;01-09-2023;;\n"
)


@pytest.fixture
def db(test_store: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "s.db"
    shutil.copyfile(test_store, copy)
    return copy


def _rename(db: Path, name: str) -> None:
    roster = db.with_name(f"{name}.csv")
    roster.write_text(ROSTER.format(name=name), encoding="utf-8")
    with Store.open(db) as writer:
        assert import_file(roster, writer).stored == 1


def test_a_read_transaction_does_not_see_a_commit_made_during_it(db: Path) -> None:
    with Store.open(db) as store:
        with store.read_transaction():
            before = store.aios("E0001")["display_name"].iloc[0]
            _rename(db, "Nieuwe Naam")  # another connection commits
            inside = store.aios("E0001")["display_name"].iloc[0]
            hashed = store.data_hash("E0001")  # joins the transaction
        after = store.aios("E0001")["display_name"].iloc[0]
        assert (inside, after) == (before, "Nieuwe Naam")
        assert store.data_hash("E0001") != hashed


def test_records_are_hashed_from_the_rows_read(db: Path) -> None:
    with Store.open(db) as store:
        records = store.records("E0001")
        frames = {
            "aios": store.aios("E0001"),
            "forms": store.forms("E0001"),
            "scores": store.scores("E0001"),
            "activities": store.activities("E0001"),
            "reflections": store.reflections("E0001"),
        }
        assert records.data_sha256 == hash_records(frames, store.decisions("E0001"))
        assert records.data_sha256 == store.data_hash("E0001")
        assert len(records.aios) == 1 and set(records.forms["aios_id"]) <= {"E0001"}
        with pytest.raises(AiosNotFoundError, match="NOPE"):
            store.records("NOPE")
        with store.read_transaction(), pytest.raises(AiosNotFoundError):
            store.forms("NOPE")  # the existence check still runs inside a transaction
