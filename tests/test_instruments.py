"""Tests of the bundled instruments and of instrument validation errors."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from mlkit.assessments import (
    AssessmentValidationError,
    Instrument,
    InstrumentKind,
    InstrumentNotFoundError,
    ScaleKind,
    load_instrument,
    load_instruments,
    parse_instrument,
)
from mlkit.assessments._checks import ProvisionalCodeSkippedWarning
from mlkit.frameworks import load_all
from mlkit.frameworks.loader import CrosswalkLinkSkippedWarning
from mlkit.frameworks.models import Status

EXPECTED = {
    "activity",
    "epa",
    "geschiktheid",
    "kpb",
    "msf",
    "reflection",
    "santeon_scan",
    "self_assessment",
    "voortgang",
}


@pytest.fixture(scope="module")
def instruments() -> dict[str, Instrument]:
    return load_instruments()


def test_all_instruments_load(instruments: dict[str, Instrument]) -> None:
    assert set(instruments) == EXPECTED


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_round_trip(instruments: dict[str, Instrument], code: str) -> None:
    inst = instruments[code]
    assert Instrument.model_validate(inst.model_dump(by_alias=True)) == inst
    text = yaml.safe_dump(
        inst.model_dump(mode="json", by_alias=True, exclude_none=True),
        allow_unicode=True,
        sort_keys=False,
    )
    assert parse_instrument(text, stem=code) == inst


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_provenance_and_labels(instruments: dict[str, Instrument], code: str) -> None:
    inst = instruments[code]
    assert inst.source and inst.title.nl and inst.title.en
    for scale in inst.scales:
        assert scale.source
        if scale.status is Status.UNVERIFIED:
            assert scale.note, f"{code}.{scale.code}: unverified scale needs a note"
        for point in scale.points:
            assert point.label.nl and point.label.en
    for item in inst.items:
        assert item.title.nl and item.title.en


def test_entrustment_scales_never_allow_mean(instruments: dict[str, Instrument]) -> None:
    for code in ("epa", "kpb"):
        scale = instruments[code].scale("bekwaamheidsniveau")
        assert scale.allow_mean is False
        assert scale.values() == [1, 2, 3, 4, 5]
        assert scale.status is Status.CONFIRMED


def test_msf_settings(instruments: dict[str, Instrument]) -> None:
    msf = instruments["msf"]
    scale = msf.scale("msf_likert")
    assert scale.allow_mean is True
    assert scale.not_applicable is not None and scale.not_applicable.nl == "kan niet beoordelen"
    assert msf.min_respondents == 3
    assert {"specialist", "verpleegkundige", "aios"} <= {r.code for r in msf.respondent_roles}


def test_self_assessment_developmental_scale(instruments: dict[str, Instrument]) -> None:
    sa = instruments["self_assessment"]
    assert sa.self_assessment
    scale = sa.scale("leadership_development")
    assert scale.status is Status.UNVERIFIED
    assert [p.code for p in scale.points] == [
        "niet_aan_de_orde",
        "ontwikkeling",
        "frontline",
        "klinisch",
    ]
    assert scale.point(3).level == "handreiking.frontline"
    assert scale.point(4).level == "handreiking.klinisch"
    rml = load_all()["rml"]
    domains = [d.code for d in sorted(rml.domains, key=lambda d: d.order)]
    assert [i.code for i in sa.items] == [d.replace(".", "_") for d in domains]
    assert [i.evidences for i in sa.items] == [(d,) for d in domains]
    # item titles repeat the framework's domain names wherever the framework has one
    for item, code in zip(sa.items, domains, strict=True):
        title = rml.item(code).title  # type: ignore[attr-defined]
        if not title.empty:
            assert item.title == title, code
    assert {r.code for r in sa.respondent_roles} == {"aios", "opleider"}


def test_santeon_scan_covers_every_characteristic(instruments: dict[str, Instrument]) -> None:
    santeon = load_all()["santeon"]
    wanted = [c.code for cl in santeon.characteristic_clusters for c in cl.characteristics]
    got = [code for item in instruments["santeon_scan"].items for code in item.evidences]
    assert got == wanted


def test_categorical_instruments(instruments: dict[str, Instrument]) -> None:
    progress = instruments["voortgang"].scale("voortgang_oordeel")
    assert progress.kind is ScaleKind.CATEGORICAL
    assert [p.code for p in progress.points] == ["achter", "op_schema", "voor"]
    decision = instruments["geschiktheid"].scale("geschiktheid_besluit")
    assert {p.code for p in decision.points} == {
        "voortzetten",
        "niet_voortzetten",
        "voorwaardelijk",
    }
    assert "voorstel mlkit" in (decision.point(2).label.nl or "")
    assert decision.note and "proposal" in decision.note


def test_activity_and_reflection_kinds(instruments: dict[str, Instrument]) -> None:
    assert instruments["activity"].kind is InstrumentKind.ACTIVITY
    assert {i.code for i in instruments["activity"].items} == {
        "cursus",
        "commissie",
        "innovatie",
        "verbeterproject",
        "talenttraject",
        "onderwijs",
        "meelopen",
    }
    assert instruments["reflection"].kind is InstrumentKind.REFLECTION


def test_load_instrument_by_code() -> None:
    assert load_instrument("msf").min_respondents == 3
    with pytest.raises(InstrumentNotFoundError, match="unknown instrument 'osats'"):
        load_instrument("osats")


def _broken(data_dir: Path, tmp_path: Path, name: str) -> Path:
    shutil.copy(data_dir / "instruments_broken" / f"{name}.yaml", tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "unknown_scale",
            [
                r"items \(line 15\): item code 'een' is used 2 times \[duplicate_code\]",
                r"items\[1\]\.scale \(line 20\): no scale with this code in the instrument "
                r"\[unknown_scale\] \(value: 'bestaat_niet'\)",
            ],
        ),
        (
            "bad_references",
            [
                r"items\[0\]\.evidences\[1\] \(line 18\): not an item of any loaded framework "
                r"\[unknown_reference\] \(value: 'rml\.d99'\)",
                r"scales\[0\]\.points\[1\]\.level \(line 11\): .* \[unknown_level\] "
                r"\(value: 'handreiking\.bestuur'\)",
            ],
        ),
        (
            "schema_errors",
            [
                r"kind \(line 3\): Input should be 'form', 'activity' or 'reflection' "
                r"\[bad_value\]",
                r"scales\[0\] \(line 6\): .*numeric scale needs min and max",
                r"source: Field required \[missing\]",
                r"colour \(line 12\): Extra inputs are not permitted \[unknown_key\]",
            ],
        ),
        (
            "wrong_name",
            [
                r"code \(line 2\): instrument code must equal the file name 'wrong_name' "
                r"\[code_mismatch\]",
                r"min_respondents \(line 7\): min_respondents needs respondent_roles "
                r"\[inconsistent\]",
            ],
        ),
        ("not_a_mapping", [r"\(top level\): instrument file must be a mapping \[wrong_type\]"]),
    ],
)
def test_broken_instrument_files(
    data_dir: Path, tmp_path: Path, name: str, expected: list[str]
) -> None:
    directory = _broken(data_dir, tmp_path, name)
    with pytest.raises(AssessmentValidationError) as info:
        load_instruments(directory)
    message = str(info.value)
    assert f"{name}.yaml" in info.value.source
    assert len(info.value.problems) == len(expected)
    for pattern in expected:
        assert re.search(pattern, message), (pattern, message)


def test_broken_directory_reports_every_file(data_dir: Path) -> None:
    with pytest.raises(
        AssessmentValidationError, match=r"5 instrument files: 11 problem\(s\)"
    ) as info:
        load_instruments(data_dir / "instruments_broken")
    rows = info.value.table()
    assert {r["code"] for r in rows} >= {"unknown_scale", "unknown_reference", "code_mismatch"}


def test_missing_directory_raises(tmp_path: Path) -> None:
    with pytest.raises(AssessmentValidationError, match="directory does not exist"):
        load_instruments(tmp_path / "nope")


def test_numbered_rml_override_drops_provisional_evidence_with_a_warning(tmp_path: Path) -> None:
    text = yaml.safe_dump(
        load_all([])["rml"].model_dump(mode="json", by_alias=True, exclude_none=True),
        allow_unicode=True,
    ).replace("rml.x_verbinden", "rml.d07")
    (tmp_path / "rml.yaml").write_text(text, encoding="utf-8")
    with pytest.warns(CrosswalkLinkSkippedWarning):
        frameworks = load_all(tmp_path)
    with pytest.warns(ProvisionalCodeSkippedWarning) as record:
        sa = load_instruments(frameworks=frameworks)["self_assessment"]
    # KPB, MSF and activity items that also evidence Verbinden drop only that link
    messages = [str(w.message) for w in record]
    assert any(re.search(r"items\[6\] \(rml_x_verbinden\).*left out", m) for m in messages)
    assert any("kpb.yaml" in m and "no longer evidences rml.x_verbinden" in m for m in messages)
    evidences = {i.code: i.evidences for i in sa.items}
    assert "rml_x_verbinden" not in evidences and len(evidences) == 11
    assert evidences["rml_x_innoveren"] == ("rml.x_innoveren",)


def test_santeon_scan_titles_repeat_the_framework(instruments: dict[str, Instrument]) -> None:
    santeon = load_all()["santeon"]
    for item in instruments["santeon_scan"].items:
        [code] = item.evidences
        assert item.title == santeon.item(code).title, item.code  # type: ignore[attr-defined]


def test_epa_items_are_not_circular_and_carry_proposed_levels_per_year(
    instruments: dict[str, Instrument],
) -> None:
    epa = instruments["epa"]
    top = epa.scale("bekwaamheidsniveau").point(5)
    words = {"superviseren", "supervisie", "supervising"}
    for item in epa.items:
        text = f"{item.code} {item.title.nl} {item.title.en}".lower()
        assert not any(w in text for w in words), item.code  # level 5 *is* supervising others
        years = item.required_level_by_year
        assert sorted(years) == list(range(1, 7)), item.code
        levels = [years[y] for y in sorted(years)]
        assert levels == sorted(levels) and levels[-1] <= top.value, item.code
    assert "proposal" in (epa.note or "") and "required_level_by_year" in (epa.note or "")


def test_required_level_must_be_a_point_of_the_item_scale(tmp_path: Path) -> None:
    text = (Path(__file__).parents[1] / "assessments" / "instruments" / "epa.yaml").read_text(
        encoding="utf-8"
    )
    (tmp_path / "epa.yaml").write_text(
        text.replace("{1: 2, 2: 3, 3: 3, 4: 4, 5: 4, 6: 4}", "{1: 2, 2: 7}", 1), encoding="utf-8"
    )
    with pytest.raises(
        AssessmentValidationError,
        match=r"items\[0\]\.required_level_by_year\.2.*not a point of scale 'bekwaamheidsniveau'"
        r" \[bad_value\] \(value: '7'\)",
    ):
        load_instruments(tmp_path)


def test_every_named_rml_domain_has_kpb_and_msf_items() -> None:
    rml = load_all()["rml"]
    named = {d.code for d in rml.domains if d.title.nl}
    unnamed = {d.code for d in rml.domains if not d.title.nl}
    assert len(named) == 9 and len(unnamed) == 3
    instruments = load_instruments()
    for code in ("kpb", "msf"):
        covered = {e for item in instruments[code].items for e in item.evidences}
        assert named <= covered, (code, sorted(named - covered))
        assert not covered & unnamed, code  # no instrument asks about an empty slot
    for item in instruments["self_assessment"].items:
        if set(item.evidences) & unnamed:
            assert not item.required, item.code
