"""Loading and validating framework files: precise errors, user overrides, the env path."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mlkit.errors import FrameworkNotFoundError, FrameworkValidationError, MlkitError
from mlkit.frameworks import list_frameworks, load_framework, parse_framework, validate_path
from mlkit.frameworks.loader import CrosswalkLinkSkippedWarning, load_all, load_framework_file

BROKEN = Path(__file__).parent / "data" / "frameworks"


def _problems(path: Path) -> list[tuple[str, str, str | None]]:
    with pytest.raises(FrameworkValidationError) as info:
        validate_path(path)
    assert info.value.source == str(path) or "framework files" in info.value.source
    return [(p.location, p.code, p.value) for p in info.value.problems]


def test_valid_small_file_loads() -> None:
    [fw] = validate_path(BROKEN / "valid_small.yaml")
    assert fw.id == "testfw"
    assert fw.codes() == ["testfw.dim_a", "testfw.d01", "testfw.d01.c1"]


def test_missing_keys_are_all_reported_with_key_paths() -> None:
    problems = _problems(BROKEN / "missing_key.yaml")
    missing = {loc.split(" (line")[0] for loc, code, _ in problems if code == "missing"}
    assert missing == {"publisher", "domains[0].order"}
    # a missing nested key points at the line of the mapping it is missing from
    assert ("domains[0].order (line 12)", "missing", None) in problems


def test_wrong_types_name_the_value_and_line() -> None:
    problems = _problems(BROKEN / "wrong_type.yaml")
    by_loc = {loc: (code, value) for loc, code, value in problems}
    assert by_loc["year (line 6)"] == ("wrong_type", "twenty-twenty-four")
    assert by_loc["domains[0].order (line 13)"] == ("wrong_type", "first")


def test_duplicate_code_and_dangling_internal_references() -> None:
    problems = _problems(BROKEN / "duplicate_code.yaml")
    codes = sorted(code for _, code, _ in problems)
    assert codes == ["duplicate_code", "unknown_reference", "unknown_source"]
    dup = next(p for p in problems if p[1] == "duplicate_code")
    assert dup[2] == "testfw.d01"
    assert dup[0].startswith("domains[0]")
    ref = next(p for p in problems if p[1] == "unknown_reference")
    assert ref[0].startswith("competencies[0].domain") and ref[2] == "testfw.d09"


def test_dangling_crosswalk_target() -> None:
    problems = _problems(BROKEN / "dangling_crosswalk.yaml")
    assert problems == [("links[0].to", "dangling_reference", "leads.no_such_domain")]


def test_unknown_level() -> None:
    problems = _problems(BROKEN / "unknown_level.yaml")
    assert problems == [("talent_tracks[0].level_focus", "unknown_level", "handreiking.expert")]


def test_bad_enum_value() -> None:
    problems = _problems(BROKEN / "bad_status.yaml")
    assert problems == [("status (line 9)", "bad_value", "probably")]


def test_yaml_syntax_error_names_line() -> None:
    problems = _problems(BROKEN / "yaml_syntax.yaml")
    assert problems[0][1] == "yaml_syntax"
    assert problems[0][0].startswith("line 3")


def test_error_message_names_file_key_and_problem() -> None:
    with pytest.raises(FrameworkValidationError, match=r"wrong_type\.yaml: 2 problem\(s\)") as info:
        load_framework_file(BROKEN / "wrong_type.yaml")
    assert "year (line 6)" in str(info.value)
    assert isinstance(info.value, MlkitError)
    assert isinstance(info.value, ValueError)


def test_parse_rejects_non_mapping() -> None:
    with pytest.raises(FrameworkValidationError, match="must be a mapping"):
        parse_framework("- just\n- a list\n", "list.yaml")


def test_unknown_framework_id() -> None:
    with pytest.raises(FrameworkNotFoundError, match="unknown framework 'nope'") as info:
        load_framework("nope")
    assert "rml" in info.value.available
    assert isinstance(info.value, LookupError)


def test_missing_file_raises() -> None:
    with pytest.raises(FileNotFoundError):
        load_framework_file(BROKEN / "does_not_exist.yaml")


def _official_rml(tmp_path: Path) -> Path:
    """A user directory with an 'official' RML file: the bundled one with competencies filled in."""
    data = load_framework("rml").model_dump(mode="json", by_alias=True, exclude_none=True)
    for comp in data["competencies"]:
        comp["title"] = {
            "nl": f"Officiële tekst {comp.get('number', comp['code'])}",
            "en": f"Official {comp.get('number', comp['code'])}",
        }
        comp["status"] = "confirmed"
    data["version"] = "1.0-official"
    user = tmp_path / "official"
    user.mkdir()
    (user / "rml.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return user


def test_user_directory_overrides_bundled(tmp_path: Path) -> None:
    user = _official_rml(tmp_path)
    fw = load_framework("rml", user)
    assert fw.version == "1.0-official"
    assert fw.competencies[0].title.nl == "Officiële tekst 1.1"
    assert load_framework("rml").version != "1.0-official"
    origin = {i.id: i.origin for i in list_frameworks(user)}["rml"]
    assert origin == str(user / "rml.yaml")


def test_env_path_overrides_and_extends(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user = _official_rml(tmp_path)
    (user / "testfw.yaml").write_text(
        (BROKEN / "valid_small.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    monkeypatch.setenv("MLKIT_FRAMEWORKS_PATH", str(user))
    assert load_framework("rml").version == "1.0-official"
    assert load_framework("testfw").domains[0].title.nl == "Eerste domein"


_NUMBERED = {
    "rml.x_verbinden": "rml.d07",
    "rml.x_innoveren": "rml.d08",
    "rml.x_kwaliteit": "rml.d09",
}


def _numbered_rml(tmp_path: Path) -> Path:
    """A user directory whose rml.yaml numbers every domain (as an official text would)."""
    text = yaml.safe_dump(
        load_framework("rml").model_dump(mode="json", by_alias=True, exclude_none=True),
        allow_unicode=True,
    )
    for old, new in _NUMBERED.items():
        text = text.replace(old, new)
    user = tmp_path / "numbered"
    user.mkdir()
    (user / "rml.yaml").write_text(text, encoding="utf-8")
    return user


def test_override_with_other_codes_skips_bundled_crosswalk_links(tmp_path: Path) -> None:
    bundled = load_all([])["crosswalks"].links
    dangling = [lk for lk in bundled if lk.from_code in _NUMBERED or lk.to_code in _NUMBERED]
    assert len(dangling) == 9
    user = _numbered_rml(tmp_path)
    with pytest.warns(CrosswalkLinkSkippedWarning) as caught:
        frameworks = load_all(user)
    assert [lk for lk in bundled if lk not in dangling] == list(frameworks["crosswalks"].links)
    assert {d.code for d in frameworks["rml"].domains} >= {"rml.d07", "rml.d08", "rml.d09"}
    messages = [str(w.message) for w in caught]
    assert len(messages) == 9
    assert "links[" in messages[0] and "rml.x_verbinden -> mlcf.2" in messages[0]
    assert f"replaced by {user / 'rml.yaml'}" in messages[0]


def test_dangling_link_in_the_overriding_directory_is_still_an_error(tmp_path: Path) -> None:
    user = _numbered_rml(tmp_path)
    crosswalks = load_all([])["crosswalks"].model_dump(mode="json", by_alias=True)
    (user / "crosswalks.yaml").write_text(yaml.safe_dump(crosswalks), encoding="utf-8")
    with pytest.raises(FrameworkValidationError, match=r"dangling_reference.*rml\.x_verbinden"):
        load_all(user)


def test_missing_user_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FrameworkValidationError, match="does not exist"):
        load_framework("rml", tmp_path / "nope")


def test_broken_user_file_does_not_hide_behind_bundled(tmp_path: Path) -> None:
    user = tmp_path / "user"
    user.mkdir()
    (user / "x.yaml").write_text(
        (BROKEN / "wrong_type.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.raises(FrameworkValidationError, match=r"x\.yaml"):
        load_framework("rml", user)
