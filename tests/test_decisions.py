"""Committee decisions: insert-only store, superseding corrections, history, CSV export."""

from __future__ import annotations

import csv
import io
import pickle
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from mlkit.meeting.decisions import (
    Besluit,
    DecisionError,
    correct_decision,
    export_csv,
    history,
    latest,
    record_decision,
)
from mlkit.reports import build_report, params_for
from mlkit.reports.overview import overview_html
from mlkit.store import AiosNotFoundError, Store

NOW = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def db(test_store: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy.db"
    copy.write_bytes(test_store.read_bytes())
    return copy


def _record(store: Store, aios_id: str = "S0001", **extra: object) -> object:
    values: dict[str, object] = {
        "besluit": "voldoende",
        "motivering": "Op schema in alle domeinen.",
        "recorded_by": "dr. T. Est",
        "now": NOW,
    }
    values.update(extra)
    return record_decision(store, aios_id, **values)  # type: ignore[arg-type]


def test_decisions_are_insert_only(db: Path) -> None:
    with Store.open(db) as store:
        _record(store)
    conn = sqlite3.connect(db)
    with pytest.raises(sqlite3.IntegrityError, match="never edited"):
        conn.execute("UPDATE decisions SET besluit = 'onvoldoende'")
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
        conn.execute("DELETE FROM decisions")
    assert conn.execute("SELECT besluit FROM decisions").fetchall() == [("voldoende",)]
    conn.close()


def test_a_correction_supersedes_and_history_keeps_both(db: Path) -> None:
    with Store.open(db) as store:
        first = _record(store, afspraken="Cursus volgen").decision  # type: ignore[attr-defined]
        _record(store, "E0001", besluit="onvoldoende")
        fixed = correct_decision(
            store,
            first.decision_id,
            besluit="aangehouden",
            motivering="Eerst het MSF afwachten.",
            recorded_by="dr. A. Nder",
            next_evaluation=date(2026, 12, 1),
            now=NOW,
        ).decision
        assert fixed.supersedes == first.decision_id
        past = history(store, "S0001")
        assert [d.decision_id for d in past] == [first.decision_id, fixed.decision_id]
        assert [d.superseded for d in past] == [True, False]
        assert past[0].besluit is Besluit.VOLDOENDE and past[0].afspraken == "Cursus volgen"
        now = latest(store)
        assert now["S0001"].besluit is Besluit.AANGEHOUDEN
        assert now["E0001"].besluit is Besluit.ONVOLDOENDE
        assert set(latest(store, "E0001")) == {"E0001"}
        with pytest.raises(DecisionError, match="already corrected"):
            correct_decision(
                store, first.decision_id, besluit="voldoende", motivering="x", recorded_by="y"
            )
        other = latest(store)["E0001"].decision_id
        assert other is not None
        with pytest.raises(DecisionError, match="no such decision of this aios"):
            _record(store, supersedes=other)


def test_saving_the_same_entry_twice_stores_once(db: Path) -> None:
    with Store.open(db) as store:
        a = _record(store, entry_id="card-1")
        b = _record(store, entry_id="card-1")
        assert a.stored and not b.stored  # type: ignore[attr-defined]
        assert len(store.decisions("S0001")) == 1


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"besluit": "misschien"}, "besluit"),
        ({"motivering": "  "}, "motivering"),
        ({"recorded_by": ""}, "recorded_by"),
        ({"next_evaluation": date(2020, 1, 1)}, "next_evaluation"),
    ],
)
def test_bad_decisions_are_refused_with_the_field(
    db: Path, extra: dict[str, object], field: str
) -> None:
    with Store.open(db) as store:
        with pytest.raises(DecisionError) as info:
            _record(store, **extra)
        assert info.value.field == field and info.value.aios_id == "S0001"
        assert store.decisions() == []
        with pytest.raises(AiosNotFoundError):
            _record(store, "NOPE")
    again = pickle.loads(pickle.dumps(info.value))
    assert again.field == field and str(again) == str(info.value)


def test_csv_export_neutralises_formulas(db: Path, tmp_path: Path) -> None:
    with Store.open(db) as store:
        _record(store, motivering='=HYPERLINK("http://x","klik")', afspraken="+31 6 1234;\nregel 2")
        _record(store, "E0001", recorded_by="@dr. Evil")
        out = tmp_path / "besluiten.csv"
        assert export_csv(store, out) == 2
    text = out.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    by_aios = {r["aios_id"]: r for r in rows}
    assert by_aios["S0001"]["motivering"] == '\'=HYPERLINK("http://x","klik")'
    assert by_aios["S0001"]["afspraken"] == "'+31 6 1234;\nregel 2"
    assert by_aios["E0001"]["recorded_by"] == "'@dr. Evil"
    assert by_aios["E0001"]["besluit"] == "voldoende"


def test_next_report_and_overview_show_the_decisions(db: Path) -> None:
    with Store.open(db) as store:
        first = _record(store, motivering="<b>goed</b>").decision  # type: ignore[attr-defined]
        before = store.data_hash("S0001")
        correct_decision(
            store, first.decision_id, besluit="onvoldoende", motivering="Herzien", recorded_by="x"
        )
        assert store.data_hash("S0001") != before  # a resumed batch renders the aios again
    params = {"aios_id": "S0001", "db": str(db), "as_of": "2026-06-30", "lang": "en"}
    report = build_report(params_for("progress", params))
    html = report.section("decisions").html()
    assert "&lt;b&gt;goed&lt;/b&gt;" in html and "<b>goed" not in html
    assert "corrected" in html and f"correction of no. {first.decision_id}" in html
    figures = report.key_figures()
    assert figures["latest_decision"]["besluit"] == "onvoldoende"
    assert figures["latest_decision"]["n_decisions"] == 2
    overview = overview_html([{"report": "progress", "ok": True, "key_figures": figures}], "en")
    assert "unsatisfactory (" in overview
