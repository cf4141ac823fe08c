"""Roster import: specialty names resolve or are refused; part-time and extension columns."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from ingest_helpers import TODAY, reference, run_import

from mlkit.assessments import load_curricula
from mlkit.ingest import import_file
from mlkit.ingest.columns import map_columns
from mlkit.ingest.reference import Reference
from mlkit.store import Store

HEADER = "aios_id;naam;specialisme;startdatum;ziekenhuis;opleider"


def _roster(tmp_path: Path, rows: list[str], header: str = HEADER, name: str = "r.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _rejects(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("Interne geneeskunde", "interne_geneeskunde"),
        ("interne_geneeskunde", "interne_geneeskunde"),
        ("Heelkunde", "chirurgie"),
        ("CHIRURGIE", "chirurgie"),
        ("cardiologie", "cardiologie"),
        ("Psychiatry", "psychiatrie"),
    ],
)
def test_specialty_is_stored_as_its_curriculum_code(
    tmp_path: Path, written: str, stored: str
) -> None:
    path = _roster(tmp_path, [f"A1;Anna;{written};01-09-2022;;"])
    with Store.open(tmp_path / "s.db") as store:
        assert run_import(path, store).stored == 1
        assert store.aios("A1")["specialty"].tolist() == [stored]


def test_unknown_specialty_rejected_with_row_value_and_known_names(tmp_path: Path) -> None:
    path = _roster(
        tmp_path,
        ["A1;Anna;psychiatrie;01-09-2022;;", "A2;Bram;Orthopedie;01-09-2022;;"],
    )
    with Store.open(tmp_path / "s.db") as store:
        summary = run_import(path, store)
        assert (summary.stored, summary.rejected) == (1, 1)
        assert store.aios_ids() == ["A1"]
    assert summary.rejects_file is not None
    (row,) = _rejects(Path(summary.rejects_file))
    assert (row["row"], row["field"], row["value"], row["reason"]) == (
        "3",
        "specialisme",
        "Orthopedie",
        "unknown_specialty",
    )
    assert "Heelkunde" in row["message"] and "Interne geneeskunde" in row["message"]


def test_user_curriculum_alias_makes_a_specialty_known(tmp_path: Path) -> None:
    user = tmp_path / "curricula"
    user.mkdir()
    (user / "orthopedie.yaml").write_text(
        "schema: mlkit.curriculum/1\nid: orthopedie\nextends: default\nspecialty: orthopedie\n"
        "title: {nl: Orthopedie, en: Orthopaedics}\naliases: [orthopaedie]\n"
        "duration_years: 6\nsource: t\nstatus: unverified\nyears: []\n",
        encoding="utf-8",
    )
    ref = Reference(
        reference().instruments,
        reference().framework_codes,
        reference().track_codes,
        load_curricula([user]),
    )
    path = _roster(tmp_path, ["A2;Bram;Orthopaedie;01-09-2022;;"])
    with Store.open(tmp_path / "s.db") as store:
        summary = import_file(path, store, today=TODAY, reference=ref)
        assert summary.stored == 1
        assert store.aios("A2")["specialty"].tolist() == ["orthopedie"]


@pytest.mark.parametrize(
    "header",
    [
        HEADER + ";deeltijdfactor;verlenging_maanden;onderbreking_maanden",
        "resident_id;name;specialty;start_date;hospital;trainer;part_time_percent;"
        "extension_months;interruption_months",
        "aios_id;naam;specialisme;startdatum;ziekenhuis;opleider;Deeltijd;Verlenging;Onderbreking",
    ],
)
def test_schedule_columns_dutch_and_english(tmp_path: Path, header: str) -> None:
    assert map_columns(header.split(";"), "x").ignored == ()
    path = _roster(
        tmp_path,
        [
            "A1;Anna;psychiatrie;01-09-2022;;;80;6;",
            "A2;Bram;Heelkunde;01-09-2022;;;80%;;3",
            "A3;Chris;radiologie;01-09-2022;;;;;",
        ],
        header=header,
    )
    with Store.open(tmp_path / "s.db") as store:
        assert run_import(path, store).stored == 3
        aios = store.aios().set_index("aios_id")
    assert aios.loc["A1", "part_time_percent"] == 80 and aios.loc["A1", "extension_months"] == 6
    assert aios.loc["A2", "part_time_percent"] == 80 and aios.loc["A2", "interruption_months"] == 3
    assert aios.loc[["A1", "A3"], "interruption_months"].isna().all()
    assert aios.loc[["A2", "A3"], "extension_months"].isna().all()


def test_bad_schedule_values_are_rejected(tmp_path: Path) -> None:
    header = HEADER + ";deeltijdfactor;verlenging_maanden;onderbreking_maanden"
    path = _roster(
        tmp_path,
        [
            "A1;Anna;psychiatrie;01-09-2022;;;120;;",
            "A2;Bram;psychiatrie;01-09-2022;;;veel;;",
            "A3;Chris;psychiatrie;01-09-2022;;;;-2;",
            "A4;Dirk;psychiatrie;01-09-2022;;;;;2,5",
            "A5;Eva;psychiatrie;01-09-2022;;;50,5;0;0",
        ],
        header=header,
    )
    with Store.open(tmp_path / "s.db") as store:
        summary = run_import(path, store)
        assert (summary.stored, summary.rejected) == (1, 4)
        assert store.aios("A5")["part_time_percent"].tolist() == [50.5]
    assert summary.rejects_file is not None
    got = [
        (r["row"], r["field"], r["value"], r["reason"])
        for r in _rejects(Path(summary.rejects_file))
    ]
    assert got == [
        ("2", "deeltijdfactor", "120", "invalid_percentage"),
        ("3", "deeltijdfactor", "veel", "invalid_percentage"),
        ("4", "verlenging_maanden", "'-2", "invalid_months"),  # neutralised for Excel
        ("5", "onderbreking_maanden", "2,5", "invalid_months"),
    ]


def test_roster_without_schedule_columns_keeps_earlier_values(tmp_path: Path) -> None:
    header = HEADER + ";deeltijdfactor;verlenging_maanden"
    first = _roster(tmp_path, ["A1;Anna;psychiatrie;01-09-2022;;;80;6"], header=header)
    second = _roster(tmp_path, ["A1;Anna;psychiatrie;01-09-2022;;"], name="plain.csv")
    with Store.open(tmp_path / "s.db") as store:
        run_import(first, store)
        again = run_import(second, store)
        assert (again.stored, again.duplicates) == (0, 1)
        row = store.aios("A1").iloc[0]
    assert (row["part_time_percent"], row["extension_months"]) == (80, 6)


def test_import_cli_curricula_option(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from mlkit.cli import app

    user = tmp_path / "curricula"
    user.mkdir()
    (user / "orthopedie.yaml").write_text(
        "schema: mlkit.curriculum/1\nid: orthopedie\nextends: default\nspecialty: orthopedie\n"
        "title: {nl: Orthopedie, en: Orthopaedics}\nduration_years: 6\nsource: t\n"
        "status: unverified\nyears: []\n",
        encoding="utf-8",
    )
    path = _roster(tmp_path, ["A2;Bram;Orthopedie;01-09-2022;;"])
    db = str(tmp_path / "s.db")
    runner = CliRunner()
    refused = runner.invoke(app, ["import", str(path), "--db", db])
    assert refused.exit_code == 1 and "1 rejected" in refused.stdout
    stored = runner.invoke(app, ["import", str(path), "--db", db, "--curricula", str(user)])
    assert stored.exit_code == 0 and "1 stored" in stored.stdout


@pytest.mark.parametrize("bad_id", ["A:1", "A/1", "_A1", "A" * 65])
def test_roster_refuses_an_id_the_reports_cannot_use(tmp_path: Path, bad_id: str) -> None:
    path = _roster(tmp_path, ["A1;Anna;psychiatrie;01-09-2022;;", f"{bad_id};Bram;psychiatrie;;;"])
    with Store.open(tmp_path / "s.db") as store:
        summary = run_import(path, store)
        assert (summary.stored, summary.rejected) == (1, 1)
        assert store.aios_ids() == ["A1"]
    assert summary.rejects_file is not None
    rows = _rejects(Path(summary.rejects_file))
    id_rows = [r for r in rows if r["field"] == "aios_id"]
    assert [(r["row"], r["value"], r["reason"]) for r in id_rows] == [
        ("3", bad_id, "invalid_aios_id")
    ]
    assert "starts with a letter or digit" in id_rows[0]["message"]


def test_every_id_the_importer_stores_is_one_the_reports_accept(tmp_path: Path) -> None:
    from mlkit.reports.params import params_for

    ids = ["A1", "a.b-c_d", "9" * 64, "A:1", "A 1", "_A1", "A1/", "Ä1"]
    path = _roster(tmp_path, [f"{i};Naam;psychiatrie;01-09-2022;;" for i in ids])
    with Store.open(tmp_path / "s.db") as store:
        run_import(path, store)
        stored = store.aios_ids()
    assert sorted(stored) == sorted(["A1", "a.b-c_d", "9" * 64])
    for aios_id in stored:
        assert params_for("progress", {"aios_id": aios_id}).aios_id == aios_id
