"""Self-reflection: prompts, validated save-back into the store, and ``mlkit reflect``."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mlkit.cli import app
from mlkit.reports.reflection import ReflectionInputError, prompts, save_reflection
from mlkit.store import Store


@pytest.fixture
def store_copy(test_store: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy.db"
    with Store.open(test_store) as store:
        assert store.aios_ids()  # store is readable (and checkpointed by closing)
    shutil.copy(test_store, target)
    return target


def test_prompts_cover_every_domain_and_santeon_characteristic() -> None:
    html = prompts("nl").html()
    assert html.count("rml_d") + html.count("rml_x_") == 12
    assert "Santeon" in html and "[niet geverifieerd]" in html
    assert "Reflection prompts" in prompts("en").html()


@pytest.mark.parametrize(
    ("ratings", "texts", "codes"),
    [
        ({"rml_d99": 3}, {}, ["unknown_item"]),
        ({"rml_d01": 7}, {}, ["out_of_range"]),
        ({}, {"rml.d01": "   "}, ["empty"]),
        ({}, {"mlcf.1": "tekst"}, ["unknown_domain"]),
        ({"rml_d01": 0, "rml_d02": 9}, {}, ["out_of_range", "out_of_range"]),
    ],
)
def test_invalid_entries_are_refused_with_every_reason(
    store_copy: Path, ratings: dict[str, int], texts: dict[str, str], codes: list[str]
) -> None:
    with pytest.raises(ReflectionInputError) as info:
        save_reflection(str(store_copy), "S0001", ratings, texts, save=True)
    assert [p.code for p in info.value.problems] == codes


def test_dry_run_stores_nothing(store_copy: Path) -> None:
    with Store.open(store_copy) as store:
        before = store.data_hash("S0001")
    result = save_reflection(str(store_copy), "S0001", {"rml_d03": 2}, {"rml.d03": "x"})
    assert result.saved is False and result.ratings == 1
    with Store.open(store_copy) as store:
        assert store.data_hash("S0001") == before


def test_save_stores_self_ratings_and_reflections(store_copy: Path) -> None:
    text = "Ik leidde de overdracht en <b>vroeg</b> om feedback."
    result = save_reflection(
        str(store_copy),
        "S0001",
        {"rml_d03": 2, "rml_d04": 3},
        {"rml.d03": text},
        when=date(2026, 6, 1),
        save=True,
    )
    assert result.saved
    with Store.open(store_copy) as store:
        scores = store.scores("S0001", instrument="self_assessment")
        reflections = store.reflections("S0001")
    new = scores[scores["date"] == "2026-06-01"]
    assert dict(zip(new["item"], new["score"], strict=True)) == {"rml_d03": 2.0, "rml_d04": 3.0}
    assert set(new["assessor_role"]) == {"aios"}
    assert text in set(reflections["text"])


@pytest.mark.slow
def test_reflect_command_writes_own_data_only(test_store: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "reflect",
            "S0001",
            "--db",
            str(test_store),
            "--out",
            str(tmp_path),
            "--as-of",
            "2026-06-30",
        ],
    )
    assert result.exit_code == 0, result.output
    notebook = (tmp_path / "S0001_reflection.ipynb").read_text(encoding="utf-8")
    assert "Sam Zelfkens" in notebook and "save_reflection" in notebook
    with Store.open(test_store) as store:
        others = store.aios().query("aios_id != 'S0001'")
    for _, other in others.iterrows():
        assert other.aios_id not in notebook and other.display_name not in notebook
