"""Import profiles: vendor exports (Royal College XLSX, Elentra CSV, CBD records) into the store.

The fixtures in tests/data/profiles/ are synthetic and built by make_fixtures.py there; the
comments in that script name the outcome each row is built for.
"""

from __future__ import annotations

import csv
import pickle
import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from mlkit.ingest import MissingColumnsError, Reference, import_file
from mlkit.ingest.profiles import (
    ImportProfile,
    NoProfileFitsError,
    ProfileImportSummary,
    ProfileMismatchError,
    ProfileNotFoundError,
    ProfileValidationError,
    SeveralProfilesFitError,
    detect_profile,
    find_profile,
    import_any,
    import_with_profile,
    load_profiles,
    name_key,
    parse_date,
    parse_profile,
)
from mlkit.store import Store

DATA = Path(__file__).parent / "data" / "profiles"
PROGRAMMES = DATA / "programmes"
TODAY = date(2025, 1, 1)
RC = DATA / "rc_observation_summary.xlsx"
ELENTRA = DATA / "elentra_extract.csv"
CBD = DATA / "cbd_records.csv"
BUNDLED = {"cbd_dashboard_records", "elentra_extract", "royal_college_osr"}

#: file, programme profile, (rows read, stored, rejected, duplicates), rejected row -> reason
LAYOUTS = [
    (
        RC,
        "rc_programme",
        (8, 3, 4, 1),
        {10: "expired", 11: "unmapped_value", 18: "invalid_date", 25: "unknown_item"},
    ),
    (
        ELENTRA,
        "elentra_programme",
        (8, 3, 5, 0),
        {
            8: "ambiguous_person",
            9: "unknown_person",
            10: "not_complete",
            11: "invalid_date",
            12: "unmapped_value",
        },
    ),
    (
        CBD,
        "cbd_programme",
        (6, 2, 4, 0),
        {4: "unknown_aios", 5: "unmapped_value", 6: "unknown_item", 7: "missing_person"},
    ),
]


@pytest.fixture(autouse=True)
def _no_user_profiles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MLKIT_PROFILES_PATH", raising=False)


@pytest.fixture(scope="module")
def reference() -> Reference:
    return Reference.load()


@pytest.fixture
def store(tmp_path: Path, reference: Reference) -> Store:
    opened = Store.open(tmp_path / "s.db")
    summary = import_file(DATA / "roster.csv", opened, today=TODAY, reference=reference)
    assert summary.stored == 5
    return opened


def _import(
    path: Path, store: Store, profile: str | None, rejects: Path, reference: Reference
) -> ProfileImportSummary:
    summary = import_with_profile(
        path, store, profile, rejects, TODAY, reference=reference, profile_dirs=[PROGRAMMES]
    )
    assert summary.stored + summary.rejected + summary.duplicates == summary.rows_read
    return summary


def _rejects(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


@pytest.mark.parametrize(("path", "profile", "counts", "reasons"), LAYOUTS)
def test_layout_imports_with_full_row_accounting(
    path: Path,
    profile: str,
    counts: tuple[int, int, int, int],
    reasons: dict[int, str],
    store: Store,
    reference: Reference,
    tmp_path: Path,
) -> None:
    rejects = tmp_path / "rejects.csv"
    summary = _import(path, store, profile, rejects, reference)
    got = (summary.rows_read, summary.stored, summary.rejected, summary.duplicates)
    assert got == counts
    assert summary.profile == profile and f"[profile {profile}]" in summary.line()
    table = _rejects(rejects)
    # row numbers are the vendor file's rows, one reason per rejected row here
    assert {int(r["row"]): r["reason"] for r in table} == reasons
    assert len(store.forms()) == summary.stored


@pytest.mark.parametrize(("path", "profile", "counts", "reasons"), LAYOUTS)
def test_reimport_stores_nothing(
    path: Path,
    profile: str,
    counts: tuple[int, int, int, int],
    reasons: dict[int, str],
    store: Store,
    reference: Reference,
    tmp_path: Path,
) -> None:
    first = _import(path, store, profile, tmp_path / "r1.csv", reference)
    second = _import(path, store, profile, tmp_path / "r2.csv", reference)
    assert second.stored == 0
    assert second.rejected == first.rejected == len(reasons)
    assert second.duplicates == first.stored + first.duplicates
    assert len(store.forms()) == first.stored


def test_ambiguous_and_unknown_names_are_rejected_with_row_and_reason(
    store: Store, reference: Reference, tmp_path: Path
) -> None:
    rejects = tmp_path / "rejects.csv"
    _import(ELENTRA, store, "elentra_programme", rejects, reference)
    by_row = {int(r["row"]): r for r in _rejects(rejects)}
    ambiguous, unknown = by_row[8], by_row[9]
    assert (ambiguous["field"], ambiguous["value"]) == ("Resident", "Jong, Lotte de")
    assert "P003, P004" in ambiguous["message"]
    assert (unknown["reason"], unknown["value"]) == ("unknown_person", "Berg, Fenna van den")
    assert "roster" in unknown["message"]
    assert not {"P003", "P004"} & set(store.forms()["aios_id"])


def test_values_are_converted_by_the_profile(
    store: Store, reference: Reference, tmp_path: Path
) -> None:
    _import(RC, store, "rc_programme", tmp_path / "r.csv", reference)
    _import(ELENTRA, store, "elentra_programme", tmp_path / "r.csv", reference)
    scores = store.scores()
    rc = scores[scores["form_id"].str.startswith("rc-")].set_index("assessor")
    # row 8: "I didn't need to be there" on 03/14/2024 for EPA 3.1 -> level 4, overdracht_leiden
    smit = rc.loc["Dr. Eva Smit"]
    assert (smit["item"], smit["score"], str(smit["date"].date())) == (
        "overdracht_leiden",
        4.0,
        "2024-03-14",
    )
    assert rc.loc["Dr. Tom Kok", "date"].date() == date(2024, 4, 2)  # 04-02-24 read as US
    assert rc.loc["Dr. Iris Dekker", "item"] == "mdo_voorzitten"
    assert set(rc["aios_id"]) == {"P001"}  # the learner named in the preamble
    forms = store.forms().set_index("aios_id")
    noor = forms.loc["P005"]  # "Öztürk, Noor" matched to "Noor Öztürk"
    assert noor["comment"].startswith("Second time.\nSteady progress.")
    assert "Patient safety concerns: No" in noor["comment"]
    assert "Comments:" not in noor["comment"]


def test_bundled_profile_alone_rejects_unmapped_epa_codes_with_a_hint(
    store: Store, reference: Reference, tmp_path: Path
) -> None:
    rejects = tmp_path / "rejects.csv"
    summary = _import(RC, store, "royal_college_osr", rejects, reference)
    assert summary.stored == 0 and summary.rows_read == 8
    items = [r for r in _rejects(rejects) if r["reason"] == "unknown_item"]
    # row 19 repeats row 17; a rejected row is rejected again, not a duplicate
    assert {int(r["row"]) for r in items} == {8, 9, 17, 19, 25}
    assert all("columns.item.map" in r["message"] for r in items)


@pytest.mark.parametrize(
    ("path", "bundled", "programme"),
    [
        (RC, "royal_college_osr", "rc_programme"),
        (ELENTRA, "elentra_extract", "elentra_programme"),
        (CBD, "cbd_dashboard_records", "cbd_programme"),
    ],
)
def test_detection_picks_the_profile(path: Path, bundled: str, programme: str) -> None:
    data = path.read_bytes()
    assert detect_profile(data, path.name, load_profiles([])).name == bundled
    # a programme's profile is preferred over the profile it extends
    assert detect_profile(data, path.name, load_profiles([PROGRAMMES])).name == programme


def test_detection_refuses_an_unknown_layout(tmp_path: Path, store: Store) -> None:
    other = tmp_path / "other.csv"
    other.write_text("Trainee,Score,When\nX,3,2024-01-01\n", encoding="utf-8")
    with pytest.raises(NoProfileFitsError, match="no import profile fits") as info:
        detect_profile(other.read_bytes(), other.name, load_profiles([]))
    assert set(info.value.available) == BUNDLED
    with pytest.raises(NoProfileFitsError) as info2:
        import_any(other, store, profile_dirs=[])
    message = str(info2.value)
    assert "no recognisable columns" in message
    assert all(name in message for name in BUNDLED)
    assert store.forms().empty


def test_detection_without_profile_imports_through_import_any(
    store: Store, reference: Reference, tmp_path: Path
) -> None:
    summary = import_any(
        ELENTRA, store, tmp_path / "r.csv", TODAY, reference=reference, profile_dirs=[PROGRAMMES]
    )
    assert isinstance(summary, ProfileImportSummary)
    assert (summary.profile, summary.stored, summary.rejected) == ("elentra_programme", 3, 5)


def test_unrelated_profiles_that_both_fit_are_refused(tmp_path: Path) -> None:
    text = (PROGRAMMES / "cbd_programme.yaml").read_text(encoding="utf-8")
    (tmp_path / "twin.yaml").write_text(
        text.replace("name: cbd_programme", "name: twin").replace(
            "extends: cbd_dashboard_records", "extends: cbd_programme"
        ),
        encoding="utf-8",
    )
    (tmp_path / "cbd_programme.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "other.yaml").write_text(
        text.replace("name: cbd_programme", "name: other"), encoding="utf-8"
    )
    with pytest.raises(SeveralProfilesFitError, match="other, twin") as info:
        detect_profile(CBD.read_bytes(), CBD.name, load_profiles([tmp_path]))
    assert info.value.names == ["other", "twin"]


def test_wrong_file_for_a_profile_is_fatal_and_changes_nothing(
    store: Store, reference: Reference, tmp_path: Path
) -> None:
    with pytest.raises(ProfileMismatchError, match="no header row with 'Date Completed'"):
        _import(CBD, store, "elentra_extract", tmp_path / "r.csv", reference)
    broken = tmp_path / "renamed.csv"
    broken.write_text(
        CBD.read_text(encoding="utf-8").replace("observer_name", "observer"), encoding="utf-8"
    )
    with pytest.raises(ProfileMismatchError, match="header row 1 lacks 'observer_name'"):
        _import(broken, store, "cbd_dashboard_records", tmp_path / "r.csv", reference)
    workbook = tmp_path / "other.xlsx"
    Workbook().save(workbook)
    with pytest.raises(ValueError, match="no sheet 'EPA Observations'"):
        _import(workbook, store, "royal_college_osr", tmp_path / "r.csv", reference)
    assert store.forms().empty
    assert not (tmp_path / "r.csv").exists()


def test_unknown_profile_name_lists_the_profiles(store: Store) -> None:
    with pytest.raises(ProfileNotFoundError, match="unknown import profile 'epass'") as info:
        import_with_profile(CBD, store, "epass", profile_dirs=[])
    assert set(info.value.available) == BUNDLED


def test_bundled_profiles_load_and_round_trip() -> None:
    profiles = load_profiles([])
    assert set(profiles) == BUNDLED
    for profile in profiles.values():
        dumped = profile.model_dump(by_alias=True, exclude_none=True)
        assert ImportProfile.model_validate(dumped) == profile
        assert profile.source and profile.status in {"partial", "unverified", "confirmed"}


def test_programme_profile_merges_onto_its_parent() -> None:
    profile = find_profile(str(PROGRAMMES / "rc_programme.yaml"), [])
    parent = find_profile("royal_college_osr", [])
    assert profile.extends == "royal_college_osr"
    assert profile.cells("item")[0].map == {"3.1": "overdracht_leiden", "3.2": "mdo_voorzitten"}
    assert profile.cells("item")[0].value == "{epa}"
    assert profile.cells("score") == parent.cells("score")


_GOOD = """\
schema: mlkit.import_profile/1
name: demo
title: Demo
source: a test
status: unverified
format: csv
header: {row: 1}
detect: [who]
person: {by: id, cell: {column: who}}
columns:
  instrument: {value: epa}
  item: {value: dienst_doen}
  datum: {column: when}
  score: {column: level}
"""


@pytest.mark.parametrize(
    ("edit", "location", "code"),
    [
        (
            ("  score: {column: level}", "  score: {column: level, position: 3}"),
            "columns.score",
            "value_error",
        ),
        (
            ("  item: {value: dienst_doen}", "  item: {value: '{epa}'}"),
            "(top level)",
            "value_error",
        ),
        (("title: Demo", "title: Demo\ncolour: red"), "colour", "unknown_key"),
        (
            ("  score: {column: level}", "  score: {colum: level}"),
            "columns.score.colum (",
            "unknown_key",
        ),
        (
            ("  score: {column: level}", "  score: [{colum: level}]"),
            "columns.score[0].colum (",
            "unknown_key",
        ),
        (("  item: {value: dienst_doen}", "  item: {value: 'a{b'}"), "columns.item", "value_error"),
        (("  datum: {column: when}\n", ""), "columns", "value_error"),
        (("status: unverified", "status: sure"), "status", "bad_value"),
        (("format: csv", "format: xlsx"), "(top level)", "value_error"),
        (("name: demo", "name: demo\nextends: nowhere"), "extends", "unknown_profile"),
        (("name: demo", "name: other"), "name", "name_mismatch"),
    ],
)
def test_profile_validator_reports_file_key_and_reason(
    edit: tuple[str, str], location: str, code: str, tmp_path: Path
) -> None:
    old, new = edit
    assert old in _GOOD
    path = tmp_path / "demo.yaml"
    path.write_text(_GOOD.replace(old, new), encoding="utf-8")
    with pytest.raises(ProfileValidationError) as info:
        find_profile(str(path), [])
    error = info.value
    assert error.source == str(path) and str(path) in str(error)
    assert any(p.location.startswith(location) and p.code == code for p in error.problems), (
        error.problems
    )


def test_load_profiles_reports_every_broken_file_at_once(tmp_path: Path) -> None:
    (tmp_path / "one.yaml").write_text(_GOOD.replace("name: demo", "name: one"), "utf-8")
    (tmp_path / "two.yaml").write_text("schema: [", encoding="utf-8")
    (tmp_path / "three.yaml").write_text(_GOOD, encoding="utf-8")
    with pytest.raises(ProfileValidationError) as info:
        load_profiles([tmp_path])
    codes = {p.code for p in info.value.problems}
    assert {"yaml_syntax", "name_mismatch"} <= codes
    assert "two.yaml" in str(info.value) and "three.yaml" in str(info.value)


def test_good_profile_parses_from_text() -> None:
    profile = parse_profile(_GOOD, "<test>", "demo")
    assert profile.person.by == "id" and profile.header.row == 1


def test_self_assessments_are_excluded_by_same_as(
    store: Store, reference: Reference, tmp_path: Path
) -> None:
    text = _GOOD + (
        "  beoordelaar: {column: assessor}\n"
        "exclude:\n"
        "  - cell: {column: assessor}\n"
        "    same_as: {column: who}\n"
        "    reason: self_assessment\n"
        "    message: the aios assessed themselves\n"
    )
    (tmp_path / "demo.yaml").write_text(text, encoding="utf-8")
    export = tmp_path / "export.csv"
    export.write_text(
        "who,when,level,assessor\nP001,2024-01-02,3,Dr. X\nP002,2024-01-03,2,p002\n",
        encoding="utf-8",
    )
    summary = _import(export, store, str(tmp_path / "demo.yaml"), tmp_path / "r.csv", reference)
    assert (summary.stored, summary.rejected) == (1, 1)
    [reject] = _rejects(tmp_path / "r.csv")
    assert (reject["row"], reject["reason"], reject["field"]) == (
        "3",
        "self_assessment",
        "assessor",
    )


@pytest.mark.parametrize(
    ("text", "order", "key"),
    [
        ("Öztürk, Noor", "last_comma_first", "noor ozturk"),
        ("Jong, Lotte de", "last_comma_first", "lotte de jong"),
        ("  Lotte  de JONG ", "first_last", "lotte de jong"),
        ("Anne-Marie Bos", "first_last", "anne marie bos"),
    ],
)
def test_name_key(text: str, order: str, key: str) -> None:
    assert name_key(text, order) == key


@pytest.mark.parametrize(
    ("text", "formats", "iso"),
    [
        ("03/14/2024", ["%m/%d/%Y"], "2024-03-14"),
        ("04-02-24", ["%m/%d/%Y", "%m-%d-%y"], "2024-04-02"),
        ("24-03-14", ["%y-%m-%d"], "2024-03-14"),
        ("2024-03-14", ["%m/%d/%Y"], "2024-03-14"),
        ("13/25/2024", ["%m/%d/%Y"], None),
        ("14-03-2024", ["%m/%d/%Y"], None),
    ],
)
def test_parse_date(text: str, formats: list[str], iso: str | None) -> None:
    assert parse_date(text, formats) == iso


@pytest.mark.parametrize(
    "error",
    [
        NoProfileFitsError("f.csv", ["a", "b"], "detail"),
        SeveralProfilesFitError("f.csv", ["a", "b"]),
        ProfileMismatchError("f.csv", "p", "detail"),
        ProfileNotFoundError("x", ["a"]),
    ],
)
def test_errors_pickle_with_their_data(error: Exception) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error) and str(copy) == str(error)
    assert vars(copy) == vars(error)


def test_validation_error_pickles(tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(_GOOD.replace("status: unverified", "status: sure"), encoding="utf-8")
    with pytest.raises(ProfileValidationError) as info:
        find_profile(str(path), [])
    copy = pickle.loads(pickle.dumps(info.value))
    assert copy.problems == info.value.problems and str(copy) == str(info.value)


def _readme_profiles() -> dict[str, str]:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.DOTALL)
    named = [(re.search(r"^name: (\w+)", b, re.MULTILINE), b) for b in blocks]
    return {m.group(1): b for m, b in named if m and "schema: mlkit.import_profile" in b}


def test_readme_profile_examples_work(store: Store, reference: Reference, tmp_path: Path) -> None:
    examples = _readme_profiles()
    assert set(examples) == {"rc_interne", "epass_epa"}
    for name, text in examples.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    assert load_profiles([tmp_path])["rc_interne"].extends == "royal_college_osr"
    export = tmp_path / "epass.csv"
    export.write_text(
        "Naam aios;EPA;Niveau;Datum bekwaamverklaring;Opleider;Status;Toelichting\n"
        "Sanne Visser;Dienst doen;Niveau 4;14-03-2024;Dr. E. Smit;Afgerond;Zelfstandig.\n"
        "Daan Mulder;Overdracht;Niveau 3;15-03-2024;Dr. E. Smit;Concept;\n"
        "Daan Mulder;Reanimatie;Niveau 3;16-03-2024;Dr. E. Smit;Afgerond;\n",
        encoding="utf-8",
    )
    summary = import_with_profile(
        export, store, None, tmp_path / "r.csv", TODAY, reference=reference, profile_dirs=[tmp_path]
    )
    assert (summary.profile, summary.stored, summary.rejected) == ("epass_epa", 1, 2)
    assert {r["reason"] for r in _rejects(tmp_path / "r.csv")} == {"not_final", "unmapped_value"}
    assert store.scores()["score"].tolist() == [4.0]


def test_a_block_without_header_row_is_refused(
    store: Store, reference: Reference, tmp_path: Path
) -> None:
    workbook = load_workbook(RC)
    sheet = workbook["EPA Observations"]
    sheet.delete_rows(16)  # the header row of the block "EPA 3.2" (row 13)
    broken = tmp_path / "headerless.xlsx"
    workbook.save(broken)
    with pytest.raises(ProfileMismatchError, match="block starting at row 13 has no header row"):
        _import(broken, store, "rc_programme", tmp_path / "r.csv", reference)
    assert store.forms().empty


def test_vendor_headers_matching_an_alias_still_reach_detection(
    store: Store, reference: Reference, tmp_path: Path
) -> None:
    # "Assessment ID" is an alias of formulier_id: mlkit's own reader sees an assessments file
    # lacking columns, and detection then finds the profile
    text = _GOOD.replace("detect: [who]", "detect: [who, Assessment ID]")
    (tmp_path / "demo.yaml").write_text(text, encoding="utf-8")
    export = tmp_path / "export.csv"
    export.write_text("Assessment ID,who,when,level\nF1,P001,2024-01-02,3\n", encoding="utf-8")
    summary = import_any(export, store, tmp_path / "r.csv", TODAY, profile_dirs=[tmp_path])
    assert isinstance(summary, ProfileImportSummary) and summary.stored == 1
    (tmp_path / "demo.yaml").unlink()
    with pytest.raises(MissingColumnsError, match="lacks required column"):
        import_any(export, store, tmp_path / "r.csv", TODAY, profile_dirs=[tmp_path])


def test_person_by_a_roster_column(store: Store, reference: Reference, tmp_path: Path) -> None:
    text = _GOOD.replace(
        "person: {by: id, cell: {column: who}}",
        "person: {by: roster, roster_column: display_name, cell: {column: who}}",
    )
    (tmp_path / "demo.yaml").write_text(text, encoding="utf-8")
    export = tmp_path / "export.csv"
    export.write_text(
        "who,when,level\n"
        "sanne  VISSER,2024-01-02,3\n"
        "Lotte de Jong,2024-01-03,2\n"
        "Nobody,2024-01-04,2\n",
        encoding="utf-8",
    )
    summary = _import(export, store, str(tmp_path / "demo.yaml"), tmp_path / "r.csv", reference)
    assert (summary.stored, summary.rejected) == (1, 2)
    assert set(store.forms()["aios_id"]) == {"P001"}
    reasons = {int(r["row"]): r["reason"] for r in _rejects(tmp_path / "r.csv")}
    assert reasons == {3: "ambiguous_person", 4: "unknown_person"}
    (tmp_path / "demo.yaml").write_text(text.replace("display_name", "email"), encoding="utf-8")
    with pytest.raises(ProfileMismatchError, match="the roster has no column 'email'"):
        _import(export, store, str(tmp_path / "demo.yaml"), tmp_path / "r.csv", reference)


def test_roster_column_goes_with_by_roster(tmp_path: Path) -> None:
    text = _GOOD.replace("by: id,", "by: roster,")
    with pytest.raises(ProfileValidationError, match="roster_column goes with by: roster"):
        parse_profile(text, "demo.yaml", "demo")


def test_two_forms_with_one_derived_id_are_explained(
    store: Store, reference: Reference, tmp_path: Path
) -> None:
    (tmp_path / "demo.yaml").write_text(_GOOD, encoding="utf-8")
    export = tmp_path / "export.csv"
    export.write_text(
        "who,when,level\nP001,2024-01-02,3\nP001,2024-01-02,4\nP001,2024-01-02,3\n",
        encoding="utf-8",
    )
    summary = _import(export, store, str(tmp_path / "demo.yaml"), tmp_path / "r.csv", reference)
    assert (summary.stored, summary.rejected, summary.duplicates) == (1, 1, 1)
    [reject] = _rejects(tmp_path / "r.csv")
    assert (reject["row"], reject["reason"]) == ("3", "duplicate_key")
    assert "same aios, instrument, item, date and assessor" in reject["message"]


def test_bundled_rating_maps_name_values_of_the_target_scale(reference: Reference) -> None:
    for profile in load_profiles([]).values():
        [instrument_cell] = profile.cells("instrument")
        assert instrument_cell.value is not None
        instrument = reference.instruments[instrument_cell.value]
        scales = {instrument.scale(item.scale).code for item in instrument.items}
        assert scales == {"bekwaamheidsniveau"}, profile.name
        allowed = {str(v) for v in instrument.scale("bekwaamheidsniveau").values()}
        [score] = profile.cells("score")
        assert score.map and set(score.map.values()) <= allowed, profile.name
        assert score.unmapped == "reject", profile.name
        # the O-score never reaches level 5 (supervising others): see the profiles' notes
        assert "5" not in set(score.map.values()), profile.name
