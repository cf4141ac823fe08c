"""Report parameters: one model per report, validated before any kernel starts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlkit.reports.params import (
    PARAM_MODELS,
    ProgressReportParams,
    ReportParameterError,
    parameters_cell_source,
    params_for,
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
        ({"as_of": "31-12-2024"}, "as_of"),
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
    ("raw", "expected_prefix", "changed"),
    [
        ("A0001", "A0001", False),
        ("../x/y", "x_y-", True),
        ("a b<c>", "a_b_c-", True),
        ("", "aios-", True),
    ],
)
def test_safe_filename(raw: str, expected_prefix: str, changed: bool) -> None:
    name = safe_filename(raw)
    assert name.startswith(expected_prefix)
    assert "/" not in name and ".." not in name
    assert (name != raw) is changed


def test_distinct_ids_stay_distinct() -> None:
    assert safe_filename("a/b") != safe_filename("a_b")
