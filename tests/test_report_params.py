"""Report parameters: one model per report, validated before any kernel starts."""

from __future__ import annotations

import hashlib
import json
import pickle
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlkit.reports.params import (
    AIOS_ID_PATTERN,
    PARAM_MODELS,
    AsOfError,
    ProgressReportParams,
    ReportParameterError,
    parameters_cell_source,
    params_for,
    parse_as_of,
    safe_filename,
)

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def test_typo_in_parameter_name_is_an_error() -> None:
    with pytest.raises(ReportParameterError, match="aios_idd") as info:
        params_for("progress", {"aios_id": "A0001", "aios_idd": "A0001"})
    assert [p.code for p in info.value.problems] == ["unknown_parameter"]


@pytest.mark.parametrize(
    ("values", "location"),
    [
        ({"lang": "de"}, "lang"),
        ({"as_of": "2024-13-01"}, "as_of"),
        ({"as_of": "31-02-2024"}, "as_of"),
        ({"aios_id": "../../etc/passwd"}, "aios_id"),
        ({"aios_id": ""}, "aios_id"),
    ],
)
def test_bad_values_are_rejected(values: dict[str, str], location: str) -> None:
    with pytest.raises(ReportParameterError) as info:
        params_for("summary", {"aios_id": "A0001", **values})
    assert [p.location for p in info.value.problems] == [location]


def test_unknown_kind() -> None:
    with pytest.raises(ReportParameterError, match="choose one of"):
        params_for("binder", {})


def test_defaults_and_reference_date() -> None:
    p = params_for("progress", {"aios_id": "A0007", "as_of": "2025-03-01"})
    with pytest.raises(ReportParameterError, match="aios_id"):
        params_for("progress", {})
    assert isinstance(p, ProgressReportParams)
    assert p.lang == "nl"
    assert p.reference_date().isoformat() == "2025-03-01"


@pytest.mark.parametrize("kind", sorted(PARAM_MODELS))
def test_notebook_parameters_cell_matches_the_model(kind: str) -> None:
    model = PARAM_MODELS[kind]
    nb = json.loads((NOTEBOOKS / model.template).read_text(encoding="utf-8"))
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    assert "".join(tagged[0]["source"]) == parameters_cell_source(model)


@pytest.mark.parametrize("kind", sorted(PARAM_MODELS))
def test_committed_notebooks_are_clean(kind: str) -> None:
    nb = json.loads((NOTEBOOKS / PARAM_MODELS[kind].template).read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code and all(not c["outputs"] and c["execution_count"] is None for c in code)
    assert not any("def " in "".join(c["source"]) for c in code)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("A0001", "A0001"),
        ("A-1", "A-1"),
        ("A.1", "A_d1"),
        ("A_1", "A_u1"),
        ("A_1-edc0aee4", "A_u1-edc0aee4"),
        ("../x", "_d_d_x00002fx"),
    ],
)
def test_safe_filename(raw: str, expected: str) -> None:
    assert safe_filename(raw) == expected


def test_an_empty_or_long_id_gets_its_hash() -> None:
    assert safe_filename("") == "_h" + hashlib.sha256(b"").hexdigest()
    assert safe_filename("." * 60).startswith("_h")


@given(st.text(max_size=80), st.text(max_size=80))
def test_file_names_from_ids_are_injective_and_safe(a: str, b: str) -> None:
    name_a, name_b = safe_filename(a), safe_filename(b)
    assert (name_a == name_b) == (a == b)
    for name in (name_a, name_b):
        assert re.fullmatch(r"[A-Za-z0-9_\-]{1,96}", name)
        assert not name.startswith("-")


@given(st.from_regex(AIOS_ID_PATTERN, fullmatch=True), st.sampled_from(sorted(PARAM_MODELS)))
def test_report_stems_never_collide(aios_id: str, kind: str) -> None:
    """The stem ``<name>_<kind>`` splits back into one id and one kind."""
    stem = f"{safe_filename(aios_id)}_{kind}"
    name, _, parsed_kind = stem.rpartition("_")
    assert (name, parsed_kind) == (safe_filename(aios_id), kind)
    assert not re.search(r"_(progress|summary|reflection)", name)


@pytest.mark.parametrize(
    ("text", "iso"),
    [("2025-06-30", "2025-06-30"), ("30-06-2025", "2025-06-30"), (" 01-02-2024 ", "2024-02-01")],
)
def test_as_of_accepts_iso_and_dutch_dates(text: str, iso: str) -> None:
    assert params_for("progress", {"aios_id": "A1", "as_of": text}).as_of.isoformat() == iso
    assert parse_as_of(text).isoformat() == iso


@pytest.mark.parametrize("text", ["2024-13-01", "31-02-2024", "30-06-25", "2024/06/30", "today"])
def test_a_bad_as_of_is_one_clear_line(text: str) -> None:
    with pytest.raises(AsOfError) as info:
        parse_as_of(text)
    assert str(info.value) == (
        f"--as-of: {text!r} is not a date; use YYYY-MM-DD or dd-mm-jjjj (e.g. 2025-06-30 or "
        "30-06-2025)"
    )
    assert pickle.loads(pickle.dumps(info.value)).value == text


@pytest.mark.parametrize("kind", sorted(PARAM_MODELS))
def test_notebook_parameters_are_text_and_validate_back_to_the_same_model(
    kind: str, tmp_path: Path
) -> None:
    params = params_for(
        kind,
        {"aios_id": "A1", "db": tmp_path / "s.db", "as_of": "30-06-2025", "curricula_dir": "c"},
    ).with_data_hash("f" * 64)
    injected = params.notebook_parameters()
    assert all(v is None or isinstance(v, str) for v in injected.values()), injected
    assert json.loads(json.dumps(injected)) == injected
    assert params_for(kind, injected) == params


def test_defaults_are_resolved_once_at_validation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date

    monkeypatch.chdir(tmp_path)
    p = params_for("progress", {"aios_id": "A1"})
    assert (p.db, p.as_of, p.frameworks_dir) == (tmp_path / "mlkit.db", date.today(), None)
    monkeypatch.setenv("MLKIT_DB", "cohort.db")
    assert params_for("progress", {"aios_id": "A1", "db": None}).db == tmp_path / "cohort.db"
    assert params_for("progress", {"aios_id": "A1", "db": "x/y.db"}).db == tmp_path / "x/y.db"
