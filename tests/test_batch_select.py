"""Batch selection: training year from the training position, specialty by any of its names."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from ingest_helpers import run_import

from mlkit.assessments import UnknownSpecialtyError
from mlkit.batch.select import select_aios
from mlkit.store import Store

ROSTER = """\
aios_id;naam;specialisme;startdatum;ziekenhuis;opleider;deeltijdfactor;verlenging_maanden
F1;Full Time;Interne geneeskunde;01-09-2020;;;;
P1;Part Time;interne_geneeskunde;01-09-2020;;;80;
L1;Late One;interne_geneeskunde;01-01-2018;;;;6
H1;Heel Kunde;Heelkunde;01-09-2023;;;;
"""
AS_OF = date(2024, 11, 1)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    with Store.open(tmp_path / "s.db") as store:
        assert run_import(path, store).stored == 4
    return tmp_path / "s.db"


def test_training_year_follows_position(db: Path) -> None:
    years = {e.aios_id: e.training_year for e in select_aios(db, as_of=AS_OF.isoformat())}
    # 50 months: year 5 full time; 40 counted months at 80 %: year 4; 82 months of 72: year 6
    assert years == {"F1": 5, "P1": 4, "L1": 6, "H1": 2}
    chosen = select_aios(db, as_of=AS_OF.isoformat(), year=6)
    assert [e.aios_id for e in chosen] == ["L1"]
    assert select_aios(db, as_of=AS_OF.isoformat(), year=7) == []


@pytest.mark.parametrize("name", ["Heelkunde", "chirurgie", "CHIRURGIE"])
def test_specialty_filter_by_any_name(db: Path, name: str) -> None:
    assert [e.aios_id for e in select_aios(db, specialty=name, as_of="2024-11-01")] == ["H1"]


def test_unknown_specialty_filter_is_an_error(db: Path) -> None:
    with pytest.raises(UnknownSpecialtyError, match="orthopedie"):
        select_aios(db, specialty="orthopedie", as_of="2024-11-01")
