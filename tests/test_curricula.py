"""Tests of the bundled curricula, override resolution and curriculum validation errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from mlkit._resources import bundled_assessments
from mlkit.assessments import (
    AssessmentValidationError,
    Curriculum,
    CurriculumNotFoundError,
    curriculum_for,
    expected_point,
    load_curricula,
    load_instruments,
    parse_curriculum,
    resolve_curriculum,
    specialties,
)
from mlkit.frameworks.models import Status

RML = [f"rml.d{n:02d}" for n in range(1, 13)]


@pytest.fixture(scope="module")
def curricula() -> dict[str, Curriculum]:
    return load_curricula()


def test_bundled_curricula(curricula: dict[str, Curriculum]) -> None:
    assert "default" in curricula
    assert curricula["default"].duration_years == 5
    assert curricula["default"].specialty is None
    assert {"psychiatrie", "interne_geneeskunde", "radiologie", "chirurgie"} <= set(
        specialties(curricula)
    )
    for cur in curricula.values():
        assert cur.source
        assert cur.status is Status.UNVERIFIED and cur.note


def test_default_note_says_expectations_not_found(curricula: dict[str, Curriculum]) -> None:
    assert "not found" in (curricula["default"].note or "")


@pytest.mark.parametrize("cid", ["default", "psychiatrie", "chirurgie"])
def test_round_trip(curricula: dict[str, Curriculum], cid: str) -> None:
    cur = curricula[cid]
    assert Curriculum.model_validate(cur.model_dump(by_alias=True)) == cur
    text = yaml.safe_dump(
        cur.model_dump(mode="json", by_alias=True, exclude_none=True),
        allow_unicode=True,
        sort_keys=False,
    )
    assert parse_curriculum(text, stem=cid) == cur


@pytest.mark.parametrize(
    ("specialty", "duration", "years"),
    [
        (None, 5, 5),
        ("psychiatrie", 4.5, 5),
        ("interne_geneeskunde", 6, 6),
        ("radiologie", 5, 5),
        ("chirurgie", 6, 6),
        ("cardiologie", 6, 6),
    ],
)
def test_curriculum_for_durations(
    curricula: dict[str, Curriculum], specialty: str | None, duration: float, years: int
) -> None:
    cur = curriculum_for(specialty, curricula)
    assert cur.duration_years == duration
    assert [y.year for y in cur.years] == list(range(1, years + 1))
    for y in cur.years:
        assert y.required_evidence, f"year {y.year} lost its evidence requirements"
        for domain in RML:
            expected_point(cur, y.year, domain)  # every domain resolves


def test_expectations_rise_over_training(curricula: dict[str, Curriculum]) -> None:
    order = {"niet_aan_de_orde": 1, "ontwikkeling": 2, "frontline": 3, "klinisch": 4}
    for spec in [None, *specialties(curricula)]:
        cur = curriculum_for(spec, curricula)
        assert expected_point(cur, 1, "rml.d01") == "ontwikkeling"
        last = cur.years[-1].year
        assert any(expected_point(cur, last, d) == "klinisch" for d in RML)
        for d in RML:
            levels = [order[expected_point(cur, y.year, d)] for y in cur.years]
            assert levels == sorted(levels), (spec, d, levels)


def test_override_merges_per_domain(curricula: dict[str, Curriculum]) -> None:
    psy = curriculum_for("psychiatrie", curricula)
    year4 = psy.year(4).expected
    assert year4["*"] == "frontline"  # inherited from the default
    assert year4["rml.d06"] == "klinisch"  # the override's own
    default4 = curriculum_for(None, curricula).year(4)
    assert psy.year(4).required_evidence == default4.required_evidence


def test_star_in_override_replaces_mapping() -> None:
    base = parse_curriculum(
        "schema: mlkit.curriculum/1\nid: default\ntitle: {nl: B}\nduration_years: 1\n"
        "source: t\nstatus: unverified\nyears:\n"
        "  - {year: 1, expected: {'*': frontline, rml.d05: klinisch}}\n"
    )
    over = parse_curriculum(
        "schema: mlkit.curriculum/1\nid: x\nextends: default\nspecialty: x\ntitle: {nl: X}\n"
        "duration_years: 2\nsource: t\nstatus: unverified\nyears:\n"
        "  - {year: 1, expected: {'*': ontwikkeling}}\n"
    )
    resolved = resolve_curriculum({"default": base, "x": over}, "x")
    assert resolved.year(1).expected == {"*": "ontwikkeling"}
    assert resolved.year(2).expected == {"*": "frontline", "rml.d05": "klinisch"}


def test_required_evidence_references_instruments(curricula: dict[str, Curriculum]) -> None:
    instruments = load_instruments()
    year1 = {r.instrument: r.min_count for r in curricula["default"].year(1).required_evidence}
    assert year1 == {"kpb": 2, "msf": 1, "self_assessment": 1, "voortgang": 1, "geschiktheid": 1}
    assert set(year1) <= set(instruments)


def test_missing_default_raises() -> None:
    with pytest.raises(CurriculumNotFoundError, match="unknown curriculum 'default'"):
        curriculum_for(None, {})


def test_broken_curricula_report_everything(data_dir: Path) -> None:
    with pytest.raises(AssessmentValidationError) as info:
        load_curricula(data_dir / "curricula_broken", bundled=False)
    message = str(info.value)
    expected = [
        r"default\.yaml: years \(line 8\): a default curriculum must define every training year"
        r" \[missing\] \(value: '3'\)",
        r"default\.yaml: years\[0\]\.required_evidence\[0\]\.instrument \(line 11\): "
        r"no instrument with this code \[unknown_reference\] \(value: 'cat'\)",
        r"default\.yaml: years\[1\]\.expected\.\* \(line 13\): not a point code of scale "
        r"'self_assessment\.leadership_development' \[unknown_point\] \(value: 'expert'\)",
        r"default\.yaml: years\[1\]\.expected\.rml\.d13 \(line 13\): not a domain of framework "
        r"'rml' \(or '\*'\) \[unknown_reference\]",
        r"loop_a\.yaml: extends \(line 3\): curricula extend each other in a cycle \[cycle\]",
        r"loop_b\.yaml: extends \(line 3\): curricula extend each other in a cycle \[cycle\]",
        r"orphan\.yaml: years\[0\]\.year \(line 10\): year is beyond duration_years 3 "
        r"\[out_of_range\]",
        r"orphan\.yaml: extends \(line 3\): no curriculum with this id \[unknown_reference\] "
        r"\(value: 'nowhere'\)",
        r"orphan\.yaml: specialty \(line 4\): also the specialty of 'loop_a' \[duplicate_code\]",
    ]
    for pattern in expected:
        assert re.search(pattern, message), (pattern, message)
    assert len(info.value.problems) == len(expected)


def test_override_of_broken_base_gets_no_follow_on_error(tmp_path: Path) -> None:
    (tmp_path / "default.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    source = bundled_assessments() / "curricula" / "psychiatrie.yaml"
    (tmp_path / "psychiatrie.yaml").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(AssessmentValidationError) as info:
        load_curricula(tmp_path)
    assert [p.code for p in info.value.problems] == ["yaml_syntax"]
