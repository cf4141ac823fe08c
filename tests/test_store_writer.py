"""The writer's fast paths keep the store's guarantees (duplicates, corrections, rollback)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from ingest_helpers import IMPORT, run_import, store_with_roster

from mlkit.ingest.checks import stripped
from mlkit.store import Store
from mlkit.store import writer as writer_module
from mlkit.store.schema import SCORES
from mlkit.store.writer import Writer, content_hash, normalise


@pytest.fixture
def store(tmp_path: Path):
    s = store_with_roster(tmp_path / "s.db")
    yield s
    s.close()


def _indexes(store: Store) -> list[tuple[str, str]]:
    rows = store._conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"
    ).fetchall()
    return [(str(name), str(sql)) for name, sql in rows]


def test_bulk_insert_into_empty_table_rebuilds_indexes(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer_module, "BULK_ROWS", 1)
    before = _indexes(store)
    first = run_import(IMPORT / "msf.csv", store)
    assert first.stored == first.rows_read
    assert _indexes(store) == before
    again = run_import(IMPORT / "msf.csv", store)
    assert again.stored == 0 and again.duplicates == again.rows_read
    fixed = tmp_path / "fix.csv"
    fixed.write_text(
        "formulier_id;aios_id;instrument;datum;beoordelaar;rol_beoordelaar;item;score;toelichting\n"
        "K1;A0001;msf;05-10-2023;Dr. X;specialist;organiseert_werk;5;\n",
        encoding="utf-8",
    )
    assert run_import(fixed, store).stored == 1
    scores = store.scores("A0001").set_index("item")
    assert scores.loc["organiseert_werk", "score"] == 5.0
    assert store.record_counts()["form_scores"] == 3


def test_failed_bulk_insert_leaves_tables_and_indexes_as_before(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer_module, "BULK_ROWS", 1)
    indexes, counts = _indexes(store), store.record_counts()

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("killed mid-import")

    monkeypatch.setattr(Writer, "_insert", fail)
    with pytest.raises(RuntimeError, match="killed mid-import"):
        run_import(IMPORT / "msf.csv", store)
    assert _indexes(store) == indexes
    assert store.record_counts() == counts


def test_content_hash_is_the_same_for_categorical_and_object_text() -> None:
    text = np.array(["K1", "K1", "", "K2"], dtype=object)
    frame = pd.DataFrame(
        {
            "form_id": text,
            "item": np.array(["a", "b", "a", "c"], dtype=object),
            "score": [1.0, np.nan, 3.0, 4.0],
            "not_applicable": [0, 1, 0, 0],
        }
    )
    as_object = content_hash(SCORES, normalise(SCORES, frame))
    categorical = frame.assign(
        form_id=pd.Categorical(text, categories=["unused", "K2", "K1", ""]),
        item=pd.Categorical(frame["item"]),
    )
    normal = normalise(SCORES, categorical)
    assert list(normal["form_id"].cat.categories) == ["K2", "K1", ""]
    assert content_hash(SCORES, normal).tolist() == as_object.tolist()


def test_normalise_fills_missing_text_with_empty_strings() -> None:
    frame = pd.DataFrame(
        {
            "form_id": pd.Categorical(["K1", None]),
            "item": np.array(["a", None], dtype=object),
            "score": [1.0, 2.0],
            "not_applicable": [0, 0],
        }
    )
    normal = normalise(SCORES, frame)
    assert normal["form_id"].tolist() == ["K1", ""]
    assert normal["item"].tolist() == ["a", ""]


def test_stripped_maps_missing_cells_to_empty_strings() -> None:
    frame = pd.DataFrame({"a": np.array([" x ", None, np.nan, "y"], dtype=object)})
    assert stripped(frame, "a").tolist() == ["x", "", "", "y"]


HEADER = (
    "formulier_id;aios_id;instrument;datum;beoordelaar;rol_beoordelaar;item;score;toelichting\n"
)
K1 = "K1;A0001;msf;05-10-2023;Dr. X;specialist;"


def test_changed_items_make_a_new_form_version_counted_per_row(
    store: Store, tmp_path: Path
) -> None:
    run_import(IMPORT / "msf.csv", store)
    fix = tmp_path / "fix.csv"
    fix.write_text(
        HEADER
        + f"{K1}aanspreekbaar;4;\n"  # unchanged: a duplicate
        + f"{K1}communiceert_helder;3;\n"  # was not applicable: stored
        + f"{K1}voorbeeldgedrag;n.v.t.;\n",  # a new item of the form: stored
        encoding="utf-8",
    )
    summary = run_import(fix, store)
    assert (summary.stored, summary.duplicates) == (2, 1)
    assert store.record_counts()["form_scores"] == 3  # K1, K2, K1's second version
    scores = store.scores("A0001")
    # unchanged items keep their place, changed and added ones follow in file order
    assert scores["item"].tolist() == [
        "aanspreekbaar",
        "organiseert_werk",
        "communiceert_helder",
        "voorbeeldgedrag",
    ]
    assert scores["score"].tolist()[:3] == [4.0, 3.0, 3.0]
    assert scores["not_applicable"].tolist() == [False, False, False, True]
    again = run_import(fix, store)
    assert (again.stored, again.duplicates) == (0, 3)
    assert store.record_counts()["form_scores"] == 3


def test_changed_form_header_counts_every_row_of_the_form_as_stored(
    store: Store, tmp_path: Path
) -> None:
    run_import(IMPORT / "msf.csv", store)
    fix = tmp_path / "fix.csv"
    fix.write_text(
        HEADER
        + "K1;A0001;msf;05-10-2023;Dr. Z;specialist;aanspreekbaar;4;\n"
        + "K1;A0001;msf;05-10-2023;Dr. Z;specialist;organiseert_werk;3;\n",
        encoding="utf-8",
    )
    summary = run_import(fix, store)
    assert (summary.stored, summary.duplicates) == (2, 0)
    assert store.forms("A0001")["assessor"].tolist() == ["Dr. Z"]
    assert store.record_counts()["form_scores"] == 2  # the items did not change
    assert len(store.scores("A0001")) == 3
