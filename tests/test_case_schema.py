"""mlkit's CASE exports against the official 1EdTech CASE 1.1 CFPackage JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft201909Validator, FormatChecker

from mlkit.frameworks import load_all
from mlkit.frameworks.case import export_case

DATA = Path(__file__).parent / "data" / "case"
SCHEMA = json.loads((DATA / "case_v1p1_cfpackage.json").read_text(encoding="utf-8"))
VALIDATOR = Draft201909Validator(SCHEMA, format_checker=FormatChecker(["uuid", "date-time"]))
BUNDLED = load_all([])


def schema_errors(package: Any) -> list[str]:
    """Every violation of the official schema, as ``path: message``."""
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in VALIDATOR.iter_errors(package)
    ]


def test_the_vendored_schema_is_the_official_one() -> None:
    Draft201909Validator.check_schema(SCHEMA)
    assert SCHEMA["$id"].startswith("https://purl.imsglobal.org/spec/case/v1p1/schema/json/")
    assert SCHEMA["required"] == ["CFDocument"] and SCHEMA["additionalProperties"] is False


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("CFItems", 0, "colour"), "blue", "Additional properties are not allowed"),
        (("CFItems", 0, "lastChangeDateTime"), "2024-01-01", "is not a 'date-time'"),
        (("CFDocument", "identifier"), "not-a-uuid", "is not a 'uuid'"),
        (("CFAssociations", 0, "associationType"), "isCousinOf", "is not valid under any"),
        (("CFDocument", "caseVersion"), "1.0", "is not one of ['1.1']"),
    ],
)
def test_the_validator_rejects_what_the_schema_forbids(
    path: tuple[str | int, ...], value: object, expected: str
) -> None:
    package = export_case(BUNDLED["rml"])
    target: Any = package
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    assert any(expected in e for e in schema_errors(package))


@pytest.mark.parametrize("framework_id", sorted(BUNDLED))
def test_every_bundled_export_passes_the_official_schema(framework_id: str) -> None:
    package = json.loads(json.dumps(export_case(BUNDLED[framework_id])))
    assert schema_errors(package) == []
