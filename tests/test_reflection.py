"""Self-reflection: prompts, the personal extract, the form, merging back (``mlkit reflect``)."""

from __future__ import annotations

import csv
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mlkit.cli import app
from mlkit.forms.catalogue import Catalogue
from mlkit.forms.extract import EXTRACT_NAME, collect_extracts, write_extract
from mlkit.forms.reflect import FilledReflection, ReflectionForm, reflection_submission
from mlkit.reports.reflection import prepare_reflection, prompts
from mlkit.store import Store

TODAY = date(2026, 6, 30)
QUOTED = "Ik zei: \"stop\"\nen daarna 'niets' — <b>echt</b>."


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.load()


@pytest.fixture
def store_copy(test_store: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy.db"
    with Store.open(test_store) as store:
        assert store.aios_ids()  # store is readable (and checkpointed by closing)
    shutil.copy(test_store, target)
    return target


def _fill(form: ReflectionForm, value: str = "2") -> None:
    for choice in form.ratings.values():
        choice.value = value


def test_prompts_cover_every_domain_and_santeon_characteristic() -> None:
    html = prompts("nl").html()
    assert html.count("rml_d") + html.count("rml_x_") == 12
    assert "Santeon" in html and "[niet geverifieerd]" in html
    assert "Reflection prompts" in prompts("en").html()


def test_extract_holds_only_that_aios(store_copy: Path, tmp_path: Path) -> None:
    extract = write_extract(store_copy, "S0001", tmp_path / "out")
    with Store.open(extract) as own, Store.open(store_copy) as cohort:
        assert own.aios_ids() == ["S0001"]
        assert set(own.forms()["aios_id"]) == {"S0001"}
        assert set(own.reflections()["aios_id"]) <= {"S0001"}
        assert own.data_hash("S0001") == cohort.data_hash("S0001")
    conn = sqlite3.connect(extract)
    for table in ("aios_records", "forms", "activities", "reflections"):
        others = conn.execute(f"SELECT COUNT(*) FROM {table} WHERE aios_id != 'S0001'")
        assert others.fetchone()[0] == 0, table
    conn.close()


def test_form_requires_a_rating_per_named_domain(store_copy: Path, tmp_path: Path) -> None:
    extract = write_extract(store_copy, "S0001", tmp_path)
    form = ReflectionForm(extract, "S0001", today=TODAY)
    assert len(form.ratings) == 9  # RML domains 10-12 have no title: not assessable
    assert form.save() is None
    assert "Verplicht" in form.errors["rml_d01"].value
    with Store.open(extract) as store:
        assert store.submissions().empty


def test_save_once_and_merge_back_intact_and_idempotent(store_copy: Path, tmp_path: Path) -> None:
    folder = tmp_path / "refl"
    extract = write_extract(store_copy, "S0001", folder)
    form = ReflectionForm(extract, "S0001", today=TODAY)
    _fill(form)
    form.texts["rml.d03"].value = QUOTED
    code = next(iter(form.checks))
    form.checks[code][0].value = True
    first, second = form.save(), form.save()
    assert first is not None and first.saved and first.stored == 11
    assert second is not None and not second.saved and second.stored == 0
    with Store.open(store_copy) as cohort:
        before = cohort.record_counts()
    merged = collect_extracts([folder], store_copy)
    assert (merged.rows_read, merged.stored, merged.rejected, merged.duplicates) == (11, 11, 0, 0)
    again = collect_extracts([folder], store_copy)
    assert (again.rows_read, again.stored, again.duplicates) == (11, 0, 11)
    with Store.open(store_copy) as cohort:
        texts = cohort.reflections("S0001")
        after = cohort.record_counts()
    assert QUOTED in set(texts["text"])
    assert after["reflections"] == before["reflections"] + 2
    assert after["forms"] == before["forms"] + 1


def test_merge_validates_again_and_lists_refusals(store_copy: Path, tmp_path: Path) -> None:
    folder = tmp_path / "refl"
    extract = write_extract(store_copy, "S0001", folder)
    cat = Catalogue.load()
    ratings = {code: 9 for code in cat.required(cat.instrument("self_assessment"))}
    bad = reflection_submission(FilledReflection("refl-tampered", "S0001", TODAY, ratings))
    with Store.open(extract) as own, own.writer() as writer:  # a payload edited by hand
        import_id = writer.start_import("by hand", "", "assessments", bad.rows)
        writer.submit(bad.submission_id, "S0001", "reflection", bad.payload(), import_id)
    merged = collect_extracts([folder], store_copy, rejects_path=tmp_path / "r.csv")
    assert (merged.rows_read, merged.stored, merged.rejected) == (9, 0, 9)
    with (tmp_path / "r.csv").open(encoding="utf-8-sig") as fh:
        (row,) = list(csv.DictReader(fh, delimiter=";"))
    assert row["submission_id"] == "refl-tampered" and row["reason"] == "invalid"
    assert "score_out_of_range" in row["message"]
    with Store.open(store_copy) as cohort:
        assert cohort.submissions().empty


def test_reflect_command_writes_own_data_only(test_store: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["reflect", "S0001", "--db", str(test_store), "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    notebook = (tmp_path / "S0001_reflection.ipynb").read_text(encoding="utf-8")
    assert f'db = \\"{EXTRACT_NAME}\\"' in notebook
    assert str(test_store) not in notebook and test_store.name not in notebook
    assert '"outputs": []' in notebook and 'execution_count": null' in notebook
    with Store.open(test_store) as store:
        others = store.aios().query("aios_id != 'S0001'")
    for _, other in others.iterrows():
        assert other.aios_id not in notebook and other.display_name not in notebook
    with Store.open(tmp_path / EXTRACT_NAME) as own:
        assert own.aios_ids() == ["S0001"]


def test_collect_command_reports_counts_and_rejects(store_copy: Path, tmp_path: Path) -> None:
    folder = tmp_path / "refl"
    prepare_reflection({"aios_id": "S0001", "db": str(store_copy)}, folder)
    form = ReflectionForm(folder / EXTRACT_NAME, "S0001", today=TODAY)
    _fill(form, "3")
    assert form.save() is not None
    runner = CliRunner()
    result = runner.invoke(app, ["reflect", "--collect", str(folder), "--db", str(store_copy)])
    assert result.exit_code == 0, result.output
    assert "9 rows read = 9 stored + 0 rejected + 0 duplicates" in result.output
    missing = runner.invoke(
        app, ["reflect", "--collect", str(tmp_path / "nope"), "--db", str(store_copy)]
    )
    assert missing.exit_code == 2 and "no personal extract" in missing.output


def test_rows_written_outside_the_form_are_rejected_not_merged(
    store_copy: Path, tmp_path: Path
) -> None:
    from mlkit.ingest.manual import add_reflection

    folder = tmp_path / "refl"
    extract = write_extract(store_copy, "S0001", folder)
    with Store.open(extract) as own:
        add_reflection(own, "S0001", TODAY, "buiten het formulier", today=TODAY)
    merged = collect_extracts([folder], store_copy, rejects_path=tmp_path / "r.csv")
    assert (merged.rows_read, merged.rejected, merged.stored) == (1, 1, 0)
    with (tmp_path / "r.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert rows[0]["reason"] == "not_a_submission"


def test_another_aios_id_in_the_notebook_finds_nothing(store_copy: Path, tmp_path: Path) -> None:
    from mlkit.store import AiosNotFoundError

    extract = write_extract(store_copy, "S0001", tmp_path)
    with Store.open(store_copy) as cohort:
        other = next(a for a in cohort.aios_ids() if a != "S0001")
    with pytest.raises(AiosNotFoundError):
        ReflectionForm(extract, other, today=TODAY)
