"""The proposed progress decision: table-driven tests of the rules on constructed analyses."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape as html_escape

from mlkit.analysis import analyse_progress
from mlkit.analysis.models import (
    EvidenceCheck,
    EvidenceState,
    Judgement,
    JudgementRating,
    ProgressAnalysis,
    ProgressStatus,
)
from mlkit.analysis.proposal import (
    describe_condition,
    describe_rules,
    propose,
    reason_lines,
    summarise_rules,
)
from mlkit.assessments.decision_rules import (
    Outcome,
    load_decision_rules,
    parse_decision_rules,
)
from mlkit.assessments.errors import AssessmentValidationError
from mlkit.assessments.position import TrainingPosition
from mlkit.catalogue import word
from mlkit.frameworks.models import Text
from mlkit.reports import build_report, params_for
from mlkit.reports.overview import overview_html
from mlkit.store import Store
from tests.analysis_helpers import (
    ACTIVITY_COLUMNS,
    AIOS,
    AS_OF,
    CURRICULUM,
    FORM_COLUMNS,
    FRAMEWORK,
    INSTRUMENTS,
    REFLECTION_COLUMNS,
    SCORE_COLUMNS,
    empty,
)

S = ProgressStatus


@pytest.fixture(scope="module")
def base() -> ProgressAnalysis:
    """An analysis of an aios without any evidence; tests rewrite its facts."""
    return analyse_progress(
        AIOS,
        empty(SCORE_COLUMNS),
        empty(FORM_COLUMNS),
        empty(ACTIVITY_COLUMNS),
        empty(REFLECTION_COLUMNS),
        INSTRUMENTS,
        CURRICULUM,
        AS_OF,
        framework=FRAMEWORK,
    )


def _judgement(instrument: str, item: str, value: int, label: str) -> Judgement:
    return Judgement(
        instrument=instrument,
        title=Text(nl=instrument, en=instrument),
        form_id=f"{instrument}1",
        date=date(2025, 3, 1),
        assessor_role="opleider",
        ratings=[
            JudgementRating(item=item, title=Text(nl=item), value=value, label=Text(nl=label))
        ],
    )


def _evidence(year: int, state: EvidenceState) -> EvidenceCheck:
    return EvidenceCheck(
        year=year,
        instrument="kpb",
        description=Text(nl="2 KPB's"),
        required=2,
        present=0,
        state=state,
        year_start=date(2022 + year, 9, 1),
        year_end=date(2023 + year, 8, 31),
    )


def _construct(
    base: ProgressAnalysis,
    statuses: list[ProgressStatus],
    *,
    evidence: list[EvidenceCheck] = (),  # type: ignore[assignment]
    past: bool = False,
    progress: int | None = None,
    suitability: int | None = None,
) -> ProgressAnalysis:
    domains = [
        d.model_copy(update={"status": statuses[i] if i < len(statuses) else S.ON_TRACK})
        for i, d in enumerate(base.domains)
    ]
    update: dict[str, Any] = {"domains": domains, "evidence": list(evidence)}
    update["position"] = TrainingPosition(
        opleidingsjaar=2,
        expected_end_date=date(2028, 9, 1),
        nominal_duration_months=60,
        past_nominal_duration=past,
        past_expected_end=past,
        part_time=False,
        fraction=1.0,
        counted_months=64 if past else 21,
    )
    if progress is not None:
        update["latest_progress_meeting"] = _judgement(
            "voortgang", "voortgang_algemeen", progress, "achter op schema"
        )
    if suitability is not None:
        update["latest_suitability"] = _judgement("geschiktheid", "besluit", suitability, "x")
    return base.model_copy(update=update)


MISSING_Y1 = _evidence(1, EvidenceState.MISSING)
OPEN_Y2 = _evidence(2, EvidenceState.OPEN)

CASES: list[tuple[str, dict[str, Any], Outcome, list[str]]] = [
    ("all on track", {"statuses": []}, Outcome.VOLDOENDE, []),
    ("one behind", {"statuses": [S.BEHIND]}, Outcome.TWIJFEL, ["behind_some"]),
    (
        "three behind",
        {"statuses": [S.BEHIND] * 3},
        Outcome.ONVOLDOENDE,
        ["behind_many", "behind_some"],
    ),
    (
        "two insufficient is not enough",
        {"statuses": [S.NOT_ENOUGH_EVIDENCE] * 2},
        Outcome.VOLDOENDE,
        [],
    ),
    (
        "three insufficient",
        {"statuses": [S.NOT_ENOUGH_EVIDENCE] * 3},
        Outcome.TWIJFEL,
        ["insufficient_evidence"],
    ),
    (
        "missing from an earlier year",
        {"statuses": [], "evidence": [MISSING_Y1]},
        Outcome.TWIJFEL,
        ["missing_earlier"],
    ),
    ("open this year only", {"statuses": [], "evidence": [OPEN_Y2]}, Outcome.VOLDOENDE, []),
    ("past nominal duration", {"statuses": [], "past": True}, Outcome.TWIJFEL, ["past_duration"]),
    (
        "progress meeting: behind",
        {"statuses": [], "progress": 1},
        Outcome.TWIJFEL,
        ["progress_behind"],
    ),
    ("progress meeting: on schedule", {"statuses": [], "progress": 2}, Outcome.VOLDOENDE, []),
    (
        "suitability: do not continue",
        {"statuses": [], "suitability": 1},
        Outcome.ONVOLDOENDE,
        ["suitability_stop"],
    ),
    (
        "suitability: on conditions",
        {"statuses": [], "suitability": 2},
        Outcome.TWIJFEL,
        ["suitability_conditional"],
    ),
    ("suitability: continue", {"statuses": [], "suitability": 3}, Outcome.VOLDOENDE, []),
    (
        "ahead everywhere but stopped by suitability",
        {"statuses": [S.AHEAD] * 5, "suitability": 1},
        Outcome.ONVOLDOENDE,
        ["suitability_stop"],
    ),
]


@pytest.mark.parametrize(("name", "facts", "outcome", "fired"), CASES, ids=[c[0] for c in CASES])
def test_default_rules(
    base: ProgressAnalysis, name: str, facts: dict[str, Any], outcome: Outcome, fired: list[str]
) -> None:
    analysis = _construct(base, **facts)
    p = propose(analysis)
    assert p.outcome is outcome
    assert [r.id for r in p.fired] == fired
    assert p.rules_id == "default" and p.rules_version == load_decision_rules().version
    assert len(reason_lines(p, analysis, "en")) == len(fired)


def test_reasons_name_the_facts(base: ProgressAnalysis) -> None:
    analysis = _construct(base, [S.BEHIND], evidence=[MISSING_Y1], progress=1)
    lines = reason_lines(propose(analysis), analysis, "nl")
    behind = next(d for d in analysis.domains if d.status is S.BEHIND)
    assert any(str(behind.domain.title.nl) in line for line in lines)
    assert any("opleidingsjaar 1" in line for line in lines)
    assert any("achter op schema (1 maart 2025)" in line for line in lines)


RULES = """
schema: mlkit.decision_rules/1
id: strict
version: "9"
title: {nl: streng}
source: test
status: unverified
default: twijfel
rules:
  - {id: none_behind, outcome: voldoende, when: {min_behind: 1}}
"""


def test_rules_are_data(base: ProgressAnalysis) -> None:
    rules = parse_decision_rules(RULES, "strict.yaml")
    assert propose(_construct(base, []), rules).outcome is Outcome.TWIJFEL  # the default
    p = propose(_construct(base, [S.BEHIND]), rules)
    assert p.outcome is Outcome.VOLDOENDE and p.rules_version == "9"
    assert describe_rules(rules, "en")[0] == ("none_behind: ≥ 1 domain(s) behind → satisfactory")


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ("{id: x, outcome: maybe, when: {min_behind: 1}}", "outcome"),
        ("{id: x, outcome: twijfel, when: {}}", "when"),
        ("{id: x, outcome: twijfel, when: {judgement: suitability, values: [1]}}", "when"),
        ("{id: x, outcome: twijfel, when: {min_behind: 0}}", "min_behind"),
    ],
)
def test_invalid_rules_name_the_file_and_field(bad: str, field: str) -> None:
    text = RULES.replace("{id: none_behind, outcome: voldoende, when: {min_behind: 1}}", bad)
    with pytest.raises(AssessmentValidationError) as info:
        parse_decision_rules(text, "bad.yaml")
    assert "bad.yaml" in str(info.value) and field in str(info.value)


def test_bundled_rules_round_trip() -> None:
    rules = load_decision_rules()
    assert rules.status.value == "unverified"
    assert type(rules).model_validate(rules.model_dump(by_alias=True)) == rules


def test_progress_report_shows_the_proposal(test_store: Path) -> None:
    with Store.open(test_store) as store:
        aios_id = store.aios_ids()[0]
    params = {"aios_id": aios_id, "db": str(test_store), "as_of": "2026-06-30", "lang": "en"}
    report = build_report(params_for("progress", params))
    expected = propose(report.analysis)
    html = report.html()
    # after the next steps: right after the first page it would push the report to five pages
    assert html.index('data-section="next"') < html.index('data-section="proposal"')
    assert html.index('data-section="proposal"') < html.index('data-section="appendix"')
    assert f"Proposal: {word(f'proposal.outcome.{expected.outcome.value}', 'en')}" in html
    figures = report.key_figures()["proposal"]
    assert figures["outcome"] == expected.outcome.value
    assert figures["rules"] == [r.id for r in expected.fired]
    assert figures["rules_version"] == load_decision_rules().version
    appendix = report.section("appendix").html()
    rules = load_decision_rules()
    assert html_escape(summarise_rules(rules, "en")) in appendix
    for rule in rules.rules:  # every rule prints, grouped by its outcome
        assert html_escape(describe_condition(rule.when, "en")) in appendix
    sidecar = {"report": "progress", "ok": True, "key_figures": report.key_figures()}
    overview = overview_html([sidecar], "en")
    assert "<th>proposal</th>" in overview and "<th>latest decision</th>" in overview
    assert html_escape(word(f"proposal.outcome.{expected.outcome.value}", "en")) in overview
