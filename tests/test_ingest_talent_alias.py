"""A talent track named as people write it (the FMS spelling "Talentklas") matches on import."""

from __future__ import annotations

from pathlib import Path

from mlkit.ingest import import_file
from mlkit.store import Store


def test_talent_track_alias_and_title_match_on_import(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "aios_id;naam;specialisme;startdatum;ziekenhuis;opleider\n"
        "A1;Test Aios;Psychiatrie;01-09-2023;Z;Dr. O\n",
        encoding="utf-8",
    )
    acts = tmp_path / "activiteiten.csv"
    acts.write_text(
        "activiteit_id;aios_id;soort;omschrijving;startdatum;einddatum;traject;domeinen\n"
        "x1;A1;talenttraject;Talentklas;01-02-2025;;Talentklas;\n"
        "x2;A1;talenttraject;Klas;01-03-2025;;talentenklas;\n"
        "x3;A1;talenttraject;Onbekend;01-04-2025;;Geen bestaand traject;\n",
        encoding="utf-8",
    )
    with Store.open(tmp_path / "s.db") as store:
        assert import_file(roster, store).stored == 1
        summary = import_file(acts, store, rejects_path=tmp_path / "rejects.csv")
        stored = store.activities("A1")
    assert (summary.stored, summary.rejected) == (2, 1)
    assert sorted(stored["track"]) == ["talent.talentenklas", "talent.talentenklas"]
    assert "unknown_track" in (tmp_path / "rejects.csv").read_text(encoding="utf-8")
