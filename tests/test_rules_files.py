"""Evidence rules as versioned data: the bundled default, a store's versions, errors."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from mlkit.analysis.rules import EvidenceRules
from mlkit.analysis.rules_files import (
    RulesApplyError,
    active_evidence_rules,
    apply_evidence_rules,
    bundled_evidence_rules,
    load_evidence_rules_file,
    parse_evidence_rules,
    rules_dir,
    store_evidence_rules,
)
from mlkit.assessments.errors import AssessmentValidationError
from mlkit.atomic import write_bytes_new

NOW = datetime(2026, 7, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cohort.db"
    path.write_bytes(b"")  # the rules files do not read the store
    return path


def test_bundled_default_is_versioned_data_equal_to_the_code_defaults() -> None:
    bundled = bundled_evidence_rules()
    assert (bundled.id, bundled.version) == ("default", "2026.1")
    assert bundled.status.value == "unverified"
    assert "mlkit" in bundled.source and bundled.title.nl and bundled.title.en
    assert bundled.rules == EvidenceRules()
    assert parse_evidence_rules(bundled.to_yaml()) == bundled  # round trip


def test_without_versions_the_default_is_active(db: Path) -> None:
    assert active_evidence_rules(db) == bundled_evidence_rules()
    assert rules_dir(db) == db.parent / "cohort.rules"
    assert not rules_dir(db).exists()


def test_apply_writes_new_versions_and_never_overwrites(db: Path) -> None:
    first, path1 = apply_evidence_rules(
        db, EvidenceRules(min_observations=4), applied_by=" dr. T. Est ", now=NOW
    )
    assert path1 == rules_dir(db) / "evidence-1.yaml"
    assert (first.id, first.version, first.based_on) == ("committee", "1", "default 2026.1")
    assert (first.applied_by, first.applied_at) == ("dr. T. Est", NOW)
    text1 = path1.read_bytes()
    second, path2 = apply_evidence_rules(
        db, EvidenceRules(min_observations=5), applied_by="dr. B", now=NOW
    )
    assert path2.name == "evidence-2.yaml" and second.based_on == "committee 1"
    assert path1.read_bytes() == text1  # the earlier version is untouched
    assert active_evidence_rules(db).rules.min_observations == 5
    assert [v.version for v in store_evidence_rules(db)] == ["1", "2"]
    assert load_evidence_rules_file(path1) == first  # what was written reads back equal


def test_a_taken_version_number_is_skipped_not_overwritten(db: Path) -> None:
    folder = rules_dir(db)
    apply_evidence_rules(db, EvidenceRules(min_assessors=3), applied_by="A", now=NOW)
    with pytest.raises(FileExistsError):
        write_bytes_new(folder / "evidence-1.yaml", b"other")
    assert b"other" not in (folder / "evidence-1.yaml").read_bytes()
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temp file left


def test_apply_needs_who_and_writes_nothing_without(db: Path) -> None:
    with pytest.raises(RulesApplyError, match="applied_by"):
        apply_evidence_rules(db, EvidenceRules(min_observations=4), applied_by="  ")
    assert not rules_dir(db).exists()


@pytest.mark.parametrize(
    ("name", "edit", "match"),
    [
        ("evidence-2.yaml", ("min_observations: 4", "min_observations: 0"), r"rules\.min_obs"),
        ("evidence-2.yaml", ("version: '1'", "version: '7'"), "version.*committee 7"),
        ("evidence-2.yaml", ("status: unverified", "status: maybe"), "status"),
        ("evidence-x.yaml", ("", ""), "evidence-<n>.yaml"),
    ],
)
def test_an_invalid_version_file_is_an_error_naming_file_and_field(
    db: Path, name: str, edit: tuple[str, str], match: str
) -> None:
    _, path = apply_evidence_rules(db, EvidenceRules(min_observations=4), applied_by="A", now=NOW)
    text = path.read_text(encoding="utf-8")
    assert edit[0] in text
    (path.parent / name).write_text(text.replace(*edit), encoding="utf-8")
    with pytest.raises(AssessmentValidationError, match=match) as info:
        active_evidence_rules(db)
    assert name in str(info.value)


def test_a_calibration_changes_the_data_hash_the_default_does_not(db: Path) -> None:
    assert bundled_evidence_rules().fold("abc") == "abc"
    one, _ = apply_evidence_rules(db, EvidenceRules(min_observations=4), applied_by="A")
    two, _ = apply_evidence_rules(db, EvidenceRules(min_observations=4), applied_by="A")
    assert len({"abc", one.fold("abc"), two.fold("abc")}) == 3
