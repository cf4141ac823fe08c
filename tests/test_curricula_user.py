"""Programme curricula: specialty names, user directories, validation, named-domain expectations."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from mlkit._resources import bundled_assessments
from mlkit.assessments import (
    AssessmentValidationError,
    Curriculum,
    UnknownSpecialtyError,
    curriculum_for,
    expected_levels,
    load_curricula,
    named_domains,
    resolve_specialty,
    specialty_code,
)
from mlkit.assessments.curricula import ENV_PATH, curriculum_origins, validate_curricula_path
from mlkit.assessments.specialties import normalise_specialty
from mlkit.frameworks import load_framework
from mlkit.frameworks.models import Status

_HEADER = "schema: mlkit.curriculum/1\n"


@pytest.fixture(scope="module")
def curricula() -> dict[str, Curriculum]:
    return load_curricula([])


@pytest.mark.parametrize(
    ("name", "curriculum_id"),
    [
        ("psychiatrie", "psychiatrie"),
        ("Psychiatrie", "psychiatrie"),
        ("  PSYCHIATRIE ", "psychiatrie"),
        ("Psychiatry", "psychiatrie"),
        ("interne_geneeskunde", "interne_geneeskunde"),
        ("Interne geneeskunde", "interne_geneeskunde"),
        ("interne  geneeskunde", "interne_geneeskunde"),
        ("Interne-Geneeskunde", "interne_geneeskunde"),
        ("Internal medicine", "interne_geneeskunde"),
        ("interne", "interne_geneeskunde"),
        ("Heelkunde", "chirurgie"),
        ("heelkunde", "chirurgie"),
        ("chirurgie", "chirurgie"),
        ("Chirurgie", "chirurgie"),
        ("Surgery", "chirurgie"),
        ("cardiologie", "cardiologie"),
        ("Cardiology", "cardiologie"),
        ("Kindergeneeskunde", "kindergeneeskunde"),
        ("pediatrie", "kindergeneeskunde"),
        ("Radiologie", "radiologie"),
    ],
)
def test_specialty_names_resolve(
    curricula: dict[str, Curriculum], name: str, curriculum_id: str
) -> None:
    assert resolve_specialty(name, curricula) == curriculum_id
    assert curriculum_for(name, curricula).id == curriculum_id


@pytest.mark.parametrize(
    "name", ["orthopedie", "default", "Standaardcurriculum medisch leiderschap", ""]
)
def test_unknown_specialty_is_refused_never_defaulted(
    curricula: dict[str, Curriculum], name: str
) -> None:
    with pytest.raises(UnknownSpecialtyError) as info:
        curriculum_for(name, curricula)
    assert info.value.name == name
    assert "Interne geneeskunde" in info.value.known and "Heelkunde" in info.value.known
    assert re.search(r"known: .*Psychiatrie", str(info.value))


def test_unknown_specialty_error_pickles() -> None:
    err = UnknownSpecialtyError("orthopedie", ["Heelkunde"])
    back = pickle.loads(pickle.dumps(err))
    assert (back.name, back.known, str(back)) == (err.name, err.known, str(err))


def test_normalise_specialty() -> None:
    assert normalise_specialty(" Interne_Geneeskunde ") == "interne geneeskunde"
    assert normalise_specialty("Pédiatrie") == "pediatrie"


def test_specialty_code_is_the_curriculum_specialty(curricula: dict[str, Curriculum]) -> None:
    assert specialty_code("Heelkunde", curricula) == "chirurgie"
    assert specialty_code("Interne geneeskunde", curricula) == "interne_geneeskunde"


def test_every_curriculum_has_dutch_and_english_names(curricula: dict[str, Curriculum]) -> None:
    for cur in curricula.values():
        assert cur.title.nl and cur.title.en, cur.id
        assert cur.expectation_status.nl == "voorstel, geen landelijke norm"
        assert cur.expectation_status.en == "proposal, not a national standard"
        assert cur.duration_source and "Kaderbesluit CGS" in cur.duration_source


def test_duration_status_follows_the_sources(curricula: dict[str, Curriculum]) -> None:
    # only durations a source in REFERENCE states are confirmed; none comes from the Kaderbesluit
    statuses = {cid: c.duration_status for cid, c in curricula.items()}
    assert statuses["psychiatrie"] is Status.CONFIRMED
    assert statuses["radiologie"] is Status.CONFIRMED
    assert statuses["interne_geneeskunde"] is Status.PARTIAL
    for cid in ("default", "chirurgie", "kindergeneeskunde", "cardiologie"):
        assert statuses[cid] is Status.UNVERIFIED, cid
    for cur in curricula.values():
        if cur.duration_status is not Status.CONFIRMED:
            assert "[NF]" in (cur.duration_source or ""), cur.id


def test_psychiatrie_half_year_is_pro_rated(curricula: dict[str, Curriculum]) -> None:
    psy = curriculum_for("psychiatrie", curricula)
    default = curriculum_for(None, curricula)
    assert psy.duration_years == 4.5 and psy.nominal_duration_months == 54
    half = {r.instrument: r.min_count for r in psy.year(5).required_evidence}
    full = {r.instrument: r.min_count for r in default.year(5).required_evidence}
    assert sum(half.values()) < sum(full.values())
    for instrument, count in half.items():
        assert count <= max(1, full[instrument] // 2), instrument
    assert half["kpb"] == 1 and "geschiktheid" in half
    assert {r.instrument: r.min_count for r in psy.year(4).required_evidence} == full


def _write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(_HEADER + text, encoding="utf-8")
    return path


_CARDIO = """id: cardiologie
extends: default
specialty: cardiologie
title: {nl: Cardiologie, en: Cardiology}
aliases: [hartziekten]
duration_years: 4
source: programme's own plan
status: confirmed
years:
  - {year: 4, expected: {"*": klinisch}}
"""

_ORTHO = """id: orthopedie
extends: default
specialty: orthopedie
title: {nl: Orthopedie, en: Orthopaedics}
aliases: [orthopaedie]
duration_years: 6
source: programme's own plan
status: unverified
years: []
"""


def test_user_dir_replaces_and_extends(tmp_path: Path) -> None:
    _write(tmp_path, "cardiologie.yaml", _CARDIO)
    _write(tmp_path, "orthopedie.yaml", _ORTHO)
    loaded = load_curricula([tmp_path])
    assert {"default", "psychiatrie", "orthopedie"} <= set(loaded)
    cardio = curriculum_for("Hartziekten", loaded)
    assert cardio.duration_years == 4 and cardio.status is Status.CONFIRMED
    assert cardio.expectation_status.nl == "vastgestelde norm"
    assert cardio.year(4).expected == {"*": "klinisch"}
    assert curriculum_for("orthopaedie", loaded).duration_years == 6
    origins = curriculum_origins([tmp_path])
    assert origins["cardiologie"] == str(tmp_path / "cardiologie.yaml")
    assert (
        origins["psychiatrie"].endswith("psychiatrie.yaml")
        and str(tmp_path) not in origins["psychiatrie"]
    )


def test_env_path_with_several_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    _write(first, "orthopedie.yaml", _ORTHO)
    _write(second, "orthopedie.yaml", _ORTHO.replace("duration_years: 6", "duration_years: 5"))
    monkeypatch.setenv(ENV_PATH, f"{first}:{second}")
    assert curriculum_for("orthopedie", load_curricula()).duration_years == 5  # later dir wins
    assert "orthopedie" not in load_curricula([])


def test_default_alias_is_how_a_programme_asks_for_the_generic_curriculum(tmp_path: Path) -> None:
    source = bundled_assessments() / "curricula" / "default.yaml"
    text = source.read_text(encoding="utf-8").replace("aliases: []", "aliases: [Urologie]")
    (tmp_path / "default.yaml").write_text(text, encoding="utf-8")
    loaded = load_curricula([tmp_path])
    assert curriculum_for("urologie", loaded).id == "default"
    assert specialty_code("urologie", loaded) == "urologie"
    with pytest.raises(UnknownSpecialtyError):
        curriculum_for("urologie", load_curricula([]))


def test_missing_user_dir(tmp_path: Path) -> None:
    with pytest.raises(AssessmentValidationError, match="curriculum directory does not exist"):
        load_curricula([tmp_path / "nowhere"])


def test_validate_reports_every_problem_with_file_key_line(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "orthopedie.yaml",
        _ORTHO.replace("aliases: [orthopaedie]", "aliases: [orthopaedie, Heelkunde]")
        .replace("duration_years: 6", "duration_years: 6\ncolour: blue")
        .replace("years: []", "years:\n  - {year: 2, expected: {rml.d99: frontline}}"),
    )
    _write(tmp_path, "dubbel.yaml", _CARDIO.replace("id: cardiologie", "id: dubbel"))
    with pytest.raises(AssessmentValidationError) as info:
        validate_curricula_path(tmp_path)
    text = str(info.value)
    rows = info.value.table()
    files = {r["file"] for r in rows}
    assert files == {"2 curriculum files"}
    expected = [
        r"orthopedie\.yaml: colour \(line 8\): Extra inputs are not permitted \[unknown_key\]",
        r"dubbel\.yaml: specialty \(line 4\): also the specialty of 'cardiologie' "
        r"\[duplicate_code\]",
    ]
    for pattern in expected:
        assert re.search(pattern, text), (pattern, text)
    assert len(rows) == len(expected)


def test_validate_reports_name_clash_and_unknown_domain(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "orthopedie.yaml",
        _ORTHO.replace("aliases: [orthopaedie]", "aliases: [orthopaedie, Heelkunde]").replace(
            "years: []", "years:\n  - {year: 2, expected: {rml.d99: frontline}}"
        ),
    )
    with pytest.raises(AssessmentValidationError) as info:
        validate_curricula_path(path)
    text = str(info.value)
    assert str(path) in text and "tmp" not in text.replace(str(tmp_path), "")
    assert re.search(
        r"aliases\[1\] \(line 6\): this specialty name already resolves to curriculum "
        r"'chirurgie' \[duplicate_name\] \(value: 'Heelkunde'\)",
        text,
    ), text
    assert re.search(r"years\[0\]\.expected\.rml\.d99 \(line 11\): not a domain", text), text
    assert len(info.value.problems) == 2


def test_validate_a_good_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "orthopedie.yaml", _ORTHO)
    assert [c.id for c in validate_curricula_path(path)] == ["orthopedie"]


def test_star_applies_only_to_named_domains(curricula: dict[str, Curriculum]) -> None:
    rml = load_framework("rml", frameworks_dir=[])
    named = named_domains(rml)
    assert "rml.d01" in named
    assert not {"rml.d10", "rml.d11", "rml.d12"} & set(named)
    default = curriculum_for(None, curricula)
    for year in range(1, 6):
        levels = expected_levels(default, year, rml)
        assert set(levels) == set(named)
    assert expected_levels(default, 5, rml)["rml.d05"] == "klinisch"
    # an explicit key for an unloaded domain is dropped too
    assert expected_levels(default, 5, ["rml.d01"]) == {"rml.d01": "klinisch"}


def test_loaded_domain_text_gets_expectations(tmp_path: Path) -> None:
    rml = load_framework("rml", frameworks_dir=[])
    domains = list(rml.domains)
    filled = domains[9].model_copy(update={"title": domains[0].title})
    loaded = rml.model_copy(update={"domains": (*domains[:9], filled, *domains[10:])})
    levels = expected_levels(curriculum_for(None, load_curricula([])), 3, loaded)
    assert levels["rml.d10"] == "frontline" and "rml.d11" not in levels
