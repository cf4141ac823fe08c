"""The committee notebook: cards, saving once per press, corrections, CLI, headless run, CSV."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mlkit.cli import app
from mlkit.meeting.cards import MeetingBoard
from mlkit.meeting.decisions import history
from mlkit.store import Store

AS_OF = "2026-06-30"
NOW = datetime(2026, 7, 1, 9, 30, tzinfo=UTC)
NOTEBOOK = Path(__file__).parents[1] / "notebooks" / "meeting.ipynb"


@pytest.fixture
def db(test_store: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy.db"
    copy.write_bytes(test_store.read_bytes())
    return copy


@pytest.fixture(scope="module")
def board_figures(test_store: Path) -> MeetingBoard:
    return MeetingBoard(test_store, lang="en", as_of=AS_OF)


def test_cards_list_every_aios_those_to_discuss_first(
    test_store: Path, board_figures: MeetingBoard
) -> None:
    with Store.open(test_store) as store:
        ids = set(store.aios_ids())
    cards = board_figures.cards
    assert {c.aios_id for c in cards} == ids
    order = {"onvoldoende": 0, "twijfel": 1, "voldoende": 2}
    ranks = [order[c.figures.proposal.outcome] for c in cards if c.figures.proposal]
    assert len(ranks) == len(cards)
    assert ranks == sorted(ranks)
    first = cards[0]
    facts = first.widget.children[0].value
    assert "Proposed progress decision:" in facts and f"({first.aios_id})" in facts
    assert {v for _, v in first.besluit.options} == {"", "voldoende", "onvoldoende", "aangehouden"}


def test_a_card_saves_once_per_entry_and_corrects(db: Path) -> None:
    board = MeetingBoard(db, lang="en", as_of=AS_OF, recorded_by="dr. T. Est", now=NOW)
    card = board.card("S0001")
    card.besluit.value = "voldoende"
    card.save_btn.click()
    assert "Check the field Reasons" in card.status.value  # motivering is required
    card.motivering.value = "On schedule <b>everywhere</b>"
    card.afspraken.value = "=SUM(A1)"
    card.save_btn.click()
    assert "Recorded as decision no." in card.status.value
    card.save_btn.click()
    assert "Already recorded" in card.status.value
    with Store.open(db) as store:
        rows = store.decisions("S0001")
    assert len(rows) == 1 and rows[0]["recorded_by"] == "dr. T. Est"
    assert card.figures.proposal is not None
    assert rows[0]["proposal"] == card.figures.proposal.outcome
    assert "<b>everywhere" not in card.latest.value + card.status.value
    card.correct_btn.click()
    card.besluit.value = "aangehouden"
    card.save_btn.click()
    with Store.open(db) as store:
        past = history(store, "S0001")
    assert [d.besluit.value for d in past] == ["voldoende", "aangehouden"]
    assert past[1].supersedes == past[0].decision_id and past[0].superseded


def test_committed_meeting_notebook_is_thin_and_clean() -> None:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    assert not any("def " in "".join(c["source"]) for c in code)
    assert "parameters" in code[0]["metadata"]["tags"] and len(code) == 2


def test_meeting_command_writes_the_notebook_and_exports_csv(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "commissie"
    runner = CliRunner()
    result = runner.invoke(
        app, ["meeting", "--db", str(db), "--out", str(out), "--as-of", "30-06-2026"]
    )
    assert result.exit_code == 0, result.output
    nb = json.loads((out / "meeting.ipynb").read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] == [] for c in code)
    injected = "".join(code[1]["source"])
    assert str(db.resolve()) in injected and 'as_of = "2026-06-30"' in injected
    bad = runner.invoke(app, ["meeting", "--db", str(tmp_path / "no.db"), "--out", str(out)])
    assert bad.exit_code == 2 and "no such store" in bad.output
    csv_path = tmp_path / "besluiten.csv"
    exported = runner.invoke(app, ["meeting", "--db", str(db), "--export-csv", str(csv_path)])
    assert exported.exit_code == 0, exported.output
    assert "decisions: 0" in exported.output and csv_path.read_text(encoding="utf-8-sig")


@pytest.mark.slow
def test_meeting_notebook_runs_headless(db: Path, tmp_path: Path) -> None:
    from mlkit.reports.execute import execute

    out = tmp_path / "commissie"
    result = CliRunner().invoke(
        app, ["meeting", "--db", str(db), "--out", str(out), "--as-of", AS_OF, "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    run = execute(out / "meeting.ipynb", kernel_name="python3")  # as every notebook is run
    assert run.error is None, run.error
    nb = run.nb
    outputs = nb.cells[-1].outputs
    text = json.dumps([o.get("data", {}) for o in outputs])
    assert "application/vnd.jupyter.widget-view+json" in text
    assert "Committee cards for" in text
