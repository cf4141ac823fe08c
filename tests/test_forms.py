"""Forms: one rule set for notebook and importer, saving once, the opleider's assessment form."""

from __future__ import annotations

import csv
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from ingest_helpers import run_import, store_with_roster
from typer.testing import CliRunner

from mlkit.cli import app
from mlkit.forms.assessment import FilledForm, check_form, to_submission
from mlkit.forms.catalogue import Catalogue
from mlkit.forms.rules import check_date, missing_required, required_items
from mlkit.forms.submit import SubmissionRejectedError, save_submission
from mlkit.forms.widgets import AssessmentForm
from mlkit.store import SCHEMA_VERSION, Store

TODAY = date(2026, 6, 30)
HEADER = "formulier_id;aios_id;instrument;datum;beoordelaar;rol_beoordelaar;item;score;toelichting"
PARTIAL_KPB = f"""{HEADER}
P1;A0001;kpb;05-10-2023;Dr. X;specialist;verantwoordelijkheid;4;Tops
P1;A0001;kpb;05-10-2023;Dr. X;specialist;regie_en_prioriteiten;3;
P1;A0001;kpb;05-10-2023;Dr. X;specialist;invloed_en_overleg;3;
P1;A0001;kpb;05-10-2023;Dr. X;specialist;voorbeeldgedrag;3;
P1;A0001;kpb;05-10-2023;Dr. X;specialist;totaaloordeel;goed;
"""


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return Catalogue.load()


def test_required_items_come_from_instrument_and_framework(cat: Catalogue) -> None:
    kpb = cat.instrument("kpb")
    assert required_items(kpb, cat.reference.untitled_codes) == {
        it.code for it in kpb.items if it.required
    }
    self_inst = cat.instrument("self_assessment")
    required = required_items(self_inst, cat.reference.untitled_codes)
    untitled = {
        it.code for it in self_inst.items if it.evidences[0] in cat.reference.untitled_codes
    }
    assert untitled and not required & untitled  # empty-titled domains are never required
    assert required | untitled == {it.code for it in self_inst.items}
    first_required = next(it.code for it in kpb.items if it.required)
    assert missing_required(kpb, ["totaaloordeel"], cat.reference.untitled_codes)[0] == (
        first_required
    )


@pytest.mark.parametrize(
    ("when", "reason"),
    [
        (None, "missing_date"),
        (date(2026, 7, 1), "future_date"),
        (date(2020, 1, 1), "before_training_start"),
    ],
)
def test_date_rules_in_dutch_and_english(when: date | None, reason: str) -> None:
    nl = check_date(when, date(2021, 9, 1), TODAY, "nl")
    en = check_date(when, date(2021, 9, 1), TODAY, "en")
    assert nl is not None and en is not None and nl.reason == en.reason == reason
    assert nl.message != en.message
    assert check_date(TODAY, date(2021, 9, 1), TODAY) is None


def test_import_rejects_a_partial_form_whole(tmp_path: Path) -> None:
    path = tmp_path / "partial.csv"
    complete = PARTIAL_KPB.replace("P1;", "P2;").replace("totaaloordeel;goed", "totaaloordeel;4")
    other = PARTIAL_KPB.replace("P1;", "P3;").splitlines()[2:4]  # two items only
    path.write_text(PARTIAL_KPB + complete.split("\n", 1)[1] + "\n".join(other) + "\n")
    rejects = tmp_path / "r.csv"
    with store_with_roster(tmp_path / "s.db") as store:
        summary = run_import(path, store, rejects)
        assert (summary.rows_read, summary.stored, summary.rejected) == (12, 5, 7)
        assert store.forms("A0001")["form_id"].tolist() == ["P2"]
    with rejects.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    reasons = {(r["row"], r["reason"]) for r in rows}
    assert {(str(n), "incomplete_form") for n in range(2, 7)} <= reasons
    assert ("6", "invalid_score") in reasons
    p1 = [r for r in rows if r["reason"] == "incomplete_form" and r["value"] == "P1"]
    p3 = [r for r in rows if r["reason"] == "incomplete_form" and r["value"] == "P3"]
    assert len(p1) == 5 and all(r["message"].endswith(": totaaloordeel") for r in p1)
    assert len(p3) == 2 and "verantwoordelijkheid" in p3[0]["message"]


def test_correction_may_repeat_only_changed_items(tmp_path: Path) -> None:
    good = PARTIAL_KPB.replace("totaaloordeel;goed", "totaaloordeel;4")
    fix = PARTIAL_KPB.splitlines()[0] + "\n" + PARTIAL_KPB.splitlines()[2].replace(";3;", ";5;")
    (tmp_path / "good.csv").write_text(good, encoding="utf-8")
    (tmp_path / "fix.csv").write_text(fix + "\n", encoding="utf-8")
    with store_with_roster(tmp_path / "s.db") as store:
        assert run_import(tmp_path / "good.csv", store).stored == 5
        assert run_import(tmp_path / "fix.csv", store).stored == 1


def _kpb(cat: Catalogue, **answers: int | None) -> FilledForm:
    return FilledForm(
        submission_id="kpb-test0001",
        instrument="kpb",
        aios_id="A0001",
        when=date(2024, 5, 1),
        assessor="Dr. X",
        role="opleider",
        answers=dict(answers),
        narratives={"toelichting": 'Zei "goed"\nen meer'},
    )


def test_notebook_and_importer_agree_on_a_partial_form(cat: Catalogue, tmp_path: Path) -> None:
    required = sorted(cat.required(cat.instrument("kpb")) - {"totaaloordeel"})
    form = _kpb(cat, **dict.fromkeys(required, 3))
    problems = check_form(cat, form, start=date(2021, 9, 1), today=TODAY)
    assert [(p.field, p.reason) for p in problems] == [("totaaloordeel", "missing_required")]
    assert problems[0].message == "Verplicht: kies een waarde."
    with store_with_roster(tmp_path / "s.db") as store:
        with pytest.raises(SubmissionRejectedError, match="incomplete_form"):
            save_submission(store, to_submission(cat, form), today=TODAY, reference=cat.reference)
        assert store.forms().empty and store.submissions().empty


def test_saving_twice_stores_once(cat: Catalogue, tmp_path: Path) -> None:
    form = _kpb(cat, **dict.fromkeys(cat.required(cat.instrument("kpb")), 4), toevertrouwen=None)
    sub = to_submission(cat, form)
    with store_with_roster(tmp_path / "s.db") as store:
        first = save_submission(store, sub, today=TODAY, reference=cat.reference)
        second = save_submission(store, sub, today=TODAY, reference=cat.reference)
        assert first.saved and not second.saved and second.stored == 0
        assert len(store.forms()) == 1 and len(store.submissions()) == 1
        assert store.forms()["comment"].iloc[0] == 'Zei "goed"\nen meer'
        scores = store.scores("A0001")
        assert scores.loc[scores["item"] == "toevertrouwen", "not_applicable"].iloc[0]
        payload = json.loads(store.submissions()["payload"].iloc[0])
        assert len(payload["tables"]["assessments"]) == len(scores)


def test_assessment_form_offers_the_opleiders_aios_and_shows_dutch_problems(
    test_store: Path, cat: Catalogue
) -> None:
    form = AssessmentForm(test_store, opleider="dr. T. Est", catalogue=cat, today=TODAY)
    with Store.open(test_store) as store:
        roster = store.aios()
    own = set(roster.loc[roster["opleider"] == "dr. T. Est", "aios_id"])
    assert {v for _, v in form.aios.options if v} == own
    assert {v for _, v in form.instrument.options} >= {"kpb", "self_assessment", "voortgang"}
    assert "msf" not in {v for _, v in form.instrument.options}
    form.instrument.value = "self_assessment"
    assert len(form._fields.items) == 9  # one per RML domain with a title
    form.when.value = date(2027, 1, 1)
    problems = {p.field: p.reason for p in form.check()}
    assert problems["aios_id"] == "missing_aios" and problems["datum"] == "future_date"
    assert "toekomst" in form._errors["datum"].value


def test_assessment_form_saves_once_and_says_so(
    test_store: Path, tmp_path: Path, cat: Catalogue
) -> None:
    db = tmp_path / "copy.db"
    db.write_bytes(test_store.read_bytes())
    form = AssessmentForm(db, catalogue=cat, today=TODAY, lang="en")
    form.instrument.value = "voortgang"
    form.aios.value = "S0001"
    for row in form._fields.items:
        row.choice.value = row.choice.options[1][1]
    form._fields.narratives["afspraken"].value = "Cursus <b>volgen</b>"
    assert form.save() and "Saved." in form.status.value
    assert form.save() and "already saved" in form.status.value
    with Store.open(db) as store:
        forms = store.forms("S0001")
        assert (forms["form_id"] == form.submission_id).sum() == 1
        assert "Agreed actions: Cursus <b>volgen</b>" in forms["comment"].iloc[-1]
    assert "<b>volgen" not in form.status.value


def test_assess_command_writes_a_clean_parameterised_notebook(
    test_store: Path, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        app, ["assess", "--db", str(test_store), "--opleider", "dr. T. Est", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    nb = json.loads((tmp_path / "assessment_form.ipynb").read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] == [] for c in code)
    injected = "".join(code[1]["source"])
    assert str(test_store.resolve()) in injected and 'opleider = "dr. T. Est"' in injected
    bad = CliRunner().invoke(app, ["assess", "--db", str(tmp_path / "no.db")])
    assert bad.exit_code == 2 and "no such store" in bad.output


def test_migration_4_adds_submissions_to_an_existing_store(tmp_path: Path) -> None:
    with store_with_roster(tmp_path / "s.db") as store:
        assert store.submissions().empty
    conn = sqlite3.connect(tmp_path / "s.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
    conn.execute("INSERT INTO submissions VALUES ('x', 'A0001', 'k', '{}', 1)")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO submissions VALUES ('x', 'A0001', 'k', '{}', 1)")
    with pytest.raises(sqlite3.IntegrityError, match="never edited"):
        conn.execute("UPDATE submissions SET kind = 'y'")
    conn.close()


def test_activity_form_saves_an_activity(test_store: Path, tmp_path: Path, cat: Catalogue) -> None:
    db = tmp_path / "copy.db"
    db.write_bytes(test_store.read_bytes())
    form = AssessmentForm(db, catalogue=cat, today=TODAY)
    activity = next(i for i in cat.opleider_instruments if i.kind.value == "activity")
    form.instrument.value = activity.code
    form.aios.value = "E0001"
    assert {p.field for p in form.check()} == {"soort", "omschrijving"}
    fields = form._fields.activity
    fields["soort"].value = fields["soort"].options[1][1]
    fields["omschrijving"].value = "Voorzitter MDO"
    fields["domeinen"].value = (fields["domeinen"].options[0][1],)
    assert form.save(), form.status.value
    with Store.open(db) as store:
        saved = store.activities("E0001")
    row = saved[saved["activity_id"] == form.submission_id].iloc[0]
    assert row["title"] == "Voorzitter MDO" and len(row["domains"]) == 1


@pytest.mark.parametrize("name", ["assessment_form.ipynb", "self_reflection.ipynb"])
def test_committed_form_notebooks_are_thin_and_clean(name: str) -> None:
    nb = json.loads((Path(__file__).parents[1] / "notebooks" / name).read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    assert not any("def " in "".join(c["source"]) for c in code)
    assert "parameters" in code[0]["metadata"]["tags"]


def test_lab_command_opens_the_folder_with_quiet_kernels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    calls: list[list[str]] = []
    monkeypatch.setattr(subprocess, "call", lambda cmd: calls.append(cmd) or 0)
    runner = CliRunner()
    assert runner.invoke(app, ["lab", str(tmp_path)]).exit_code == 0
    assert runner.invoke(app, ["lab", str(tmp_path), "--app", "--port", "9999"]).exit_code == 0
    lab, voila = calls
    assert lab[0].endswith("jupyter-lab") and f"--ServerApp.root_dir={tmp_path}" in lab
    assert voila[0].endswith("voila") and "--port=9999" in voila and str(tmp_path) in voila
    assert all("--KernelManager.transport=ipc" in c for c in calls)
    missing = runner.invoke(app, ["lab", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "no such" in missing.output


@pytest.mark.slow
def test_report_run_prints_no_kernel_warnings(test_store: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    command = [sys.executable, "-m", "mlkit", "report", "S0001", "--db", str(test_store)]
    result = subprocess.run(
        [*command, "--out", str(tmp_path), "--as-of", "2026-06-30"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "html:" in result.stdout
    for noise in ("without encryption", "KeyboardInterrupt", "WARNING", "ERROR"):
        assert noise not in result.stderr


@pytest.mark.slow
def test_after_saving_the_form_renders_the_progress_report(
    test_store: Path, tmp_path: Path, cat: Catalogue
) -> None:
    db = tmp_path / "copy.db"
    db.write_bytes(test_store.read_bytes())
    form = AssessmentForm(db, catalogue=cat, today=TODAY, out=tmp_path / "rapporten")
    form.instrument.value = "geschiktheid"
    form.aios.value = "E0001"
    for row in form._fields.items:
        row.choice.value = row.choice.options[1][1]
    assert form.save()
    assert form.report_btn.layout.display == ""
    form.report_btn.click()
    assert "Voortgangsrapport:" in form.status.value
    assert (tmp_path / "rapporten" / "E0001_progress.html").is_file()
