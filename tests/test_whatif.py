"""The committee's what-if: the table against a direct recomputation, nothing written before
apply, and reports made after apply use (and name) the new rules version."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mlkit.analysis import analyse_progress
from mlkit.analysis.proposal import propose
from mlkit.analysis.rules import EvidenceRules
from mlkit.analysis.rules_files import rules_dir
from mlkit.batch.select import select_aios
from mlkit.meeting.calibration import changes_html
from mlkit.meeting.cards import MeetingBoard
from mlkit.meeting.whatif import PROPOSAL, Change, WhatIf
from mlkit.reports import build_report, params_for
from mlkit.reports.inputs import ReportInputs, analyse
from mlkit.store import Store

AS_OF = "2026-06-30"
NOW = datetime(2026, 7, 1, 9, 30, tzinfo=UTC)

VARIANTS: list[dict[str, Any]] = [
    {},
    {"min_observations": 1},
    {"min_observations": 5},
    {"min_assessors": 1},
    {"min_assessors": 3},
    {"recency_months": 3},
    {"recency_months": 24},
    {"msf_min_respondents": 5},
    {"msf_min_respondents": 8, "min_observations": 2, "recency_months": 18},
    {"level_rule": "mode", "min_assessors": 1},
]


@pytest.fixture(scope="module")
def whatif(test_store: Path) -> WhatIf:
    return WhatIf.from_store(test_store, as_of=AS_OF)


@pytest.fixture(scope="module")
def baseline(whatif: WhatIf) -> dict[str, Any]:
    """Each aios' analysis as its report makes it now (the bundled rules)."""
    return {a.analysis.aios_id: analyse(a.inputs) for a in whatif.cohort}


@pytest.fixture
def db(test_store: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy.db"
    copy.write_bytes(test_store.read_bytes())
    return copy


def _direct(inputs: ReportInputs, rules: EvidenceRules) -> Any:
    """The analysis of one aios run directly with ``rules`` (what a report would say)."""
    return analyse_progress(
        inputs.aios,
        inputs.scores,
        inputs.forms,
        inputs.activities,
        inputs.reflections,
        inputs.instruments,
        inputs.curriculum,
        inputs.params.reference_date(),
        rules,
        framework=inputs.frameworks.get("rml"),
    )


@pytest.mark.parametrize("update", VARIANTS, ids=lambda u: ",".join(u) or "same")
def test_the_what_if_table_equals_a_direct_recomputation(
    whatif: WhatIf, baseline: dict[str, Any], update: dict[str, Any]
) -> None:
    rules = EvidenceRules.model_validate({**EvidenceRules().model_dump(), **update})
    expected: list[Change] = []
    statuses: dict[str, dict[str, str]] = {}
    for a in whatif.cohort:
        before = baseline[a.analysis.aios_id]
        after = _direct(a.inputs, rules)
        statuses[after.aios_id] = {d.code: d.status.value for d in after.domains}
        old = {d.code: d.status.value for d in before.domains}
        moved = [d for d in after.domains if d.status.value != old[d.code]]
        name = after.display_name
        expected += [
            Change(after.aios_id, name, d.code, old[d.code], d.status.value) for d in moved
        ]
        p_before, p_after = propose(before).outcome.value, propose(after).outcome.value
        if p_before != p_after:
            expected.append(Change(after.aios_id, name, PROPOSAL, p_before, p_after))
    assert whatif.statuses(rules) == statuses
    assert whatif.changes(rules) == expected


def test_some_rules_change_statuses_and_proposals(whatif: WhatIf) -> None:
    changes = [
        c
        for u in VARIANTS
        for c in whatif.changes(EvidenceRules.model_validate({**EvidenceRules().model_dump(), **u}))
    ]
    assert any(c.domain != PROPOSAL for c in changes)  # the variants are not all no-ops
    assert any(c.domain == PROPOSAL for c in changes)
    assert whatif.changes(EvidenceRules()) == []


def test_sliders_change_the_table_but_write_nothing_until_apply(db: Path) -> None:
    board = MeetingBoard(db, lang="nl", as_of=AS_OF, recorded_by="dr. T. Est", now=NOW)
    panel = board.calibration
    assert panel is not None
    assert "Regels voor voldoende bewijs kalibreren" in panel.widget.children[0].value
    assert "default 2026.1" in panel.active.value
    assert panel.sliders["msf_min_respondents"].min == 3  # the instrument's minimum
    before = sorted(p.name for p in db.parent.iterdir())
    data = db.read_bytes()
    panel.sliders["min_observations"].value = 6
    panel.sliders["recency_months"].value = 6
    assert "<table class='mlkit-whatif-table'>" in panel.table.value
    assert "onvoldoende bewijs" in panel.table.value
    assert sorted(p.name for p in db.parent.iterdir()) == before  # nothing written
    assert db.read_bytes() == data
    panel.sliders["min_observations"].value = 3
    panel.sliders["recency_months"].value = 12
    assert "verandert bij geen enkele aios" in panel.table.value
    panel.apply_btn.click()  # the rules in force: nothing to apply
    assert "al in gebruik" in panel.status.value
    assert not rules_dir(db).exists()


def test_apply_writes_a_version_that_later_reports_use_and_name(db: Path) -> None:
    params = params_for("progress", {"aios_id": "S0001", "db": str(db), "as_of": AS_OF})
    old = build_report(params)
    with Store.open(db) as store:
        assert old.inputs.data_sha256 == store.data_hash("S0001")
    old_hashes = {e.aios_id: e.data_hash for e in select_aios(db, as_of=AS_OF)}

    board = MeetingBoard(db, lang="en", as_of=AS_OF, recorded_by="", now=NOW)
    panel = board.calibration
    assert panel is not None
    assert "Calibrate the rules" in panel.widget.children[0].value
    panel.sliders["min_assessors"].value = 3
    shown = panel.table.value
    panel.apply_btn.click()  # nobody named
    assert "Not applied" in panel.status.value and not rules_dir(db).exists()
    panel.applied_by.value = "dr. T. Est"
    panel.apply_btn.click()
    path = rules_dir(db) / "evidence-1.yaml"
    assert path.is_file()
    assert "Applied as version 1" in panel.status.value
    assert "committee 1" in panel.active.value
    assert "no aios changes status" in panel.table.value  # the new rules are now in force
    assert shown != panel.table.value
    text = path.read_text(encoding="utf-8")
    assert "applied_by: dr. T. Est" in text and "min_assessors: 3" in text

    new = build_report(params)
    assert new.analysis.rules.min_assessors == 3
    prov = new.provenance().evidence_rules
    assert prov is not None
    assert (prov["id"], prov["version"], prov["applied_by"]) == ("committee", "1", "dr. T. Est")
    assert prov["applied_at"] == "2026-07-01T09:30:00+00:00"
    appendix = new.section("appendix").html()
    assert "bewijs (committee 1, unverified; toegepast door dr. T. Est op" in appendix
    assert "Minimaal 3 verschillende beoordelaars" in new.html()
    # the version is part of the data hash: a resumed batch renders every report again
    new_hashes = {e.aios_id: e.data_hash for e in select_aios(db, as_of=AS_OF)}
    assert new_hashes["S0001"] == new.inputs.data_sha256 != old.inputs.data_sha256
    assert all(new_hashes[k] != v for k, v in old_hashes.items())

    panel.sliders["min_assessors"].value = 2
    panel.apply_btn.click()
    assert (rules_dir(db) / "evidence-2.yaml").is_file()
    assert path.read_text(encoding="utf-8") == text  # version 1 stays as it was
    assert (build_report(params).provenance().evidence_rules or {}).get("version") == "2"


def test_the_table_escapes_names_and_names_each_aios_once() -> None:
    changes = [
        Change("A0001", "<script>x</script>", "rml.d01", "on_track", "not_enough_evidence"),
        Change("A0001", "<script>x</script>", PROPOSAL, "voldoende", "twijfel"),
        Change("A0002", "B & C", "rml.d02", "behind", "not_enough_evidence"),
    ]
    out = changes_html(changes, {"rml.d01": "Voorbeeldgedrag"}, "nl")
    assert "<script>" not in out and "&lt;script&gt;x&lt;/script&gt; (A0001)" in out
    assert out.count("(A0001)") == 1 and "B &amp; C (A0002)" in out
    assert "<b>Voorstel voortgangsbeslissing</b>" in out and "<b>twijfel – bespreken</b>" in out
    assert "rml.d02" in out  # a domain without a name shows its code rather than nothing
    assert "3 wijziging(en) bij 2 aios" in out
