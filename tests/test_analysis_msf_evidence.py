from __future__ import annotations

from datetime import date

import pytest
from analysis_helpers import (
    ACTIVITY_COLUMNS,
    AIOS,
    AS_OF,
    CURRICULUM,
    INSTRUMENTS,
    REFLECTION_COLUMNS,
    activities_frame,
    empty,
    forms_of,
    opleider_ratings,
    reflections_frame,
    score,
    scores_frame,
)

from mlkit.analysis import EvidenceRules, EvidenceState, analyse_progress
from mlkit.analysis.msf import summarise_msf


def msf_rows(role: str, n: int, value: int, day: str = "2025-03-01") -> list[dict[str, object]]:
    out = []
    for i in range(n):
        out.append(
            score(
                f"{role}{i}",
                day,
                "initiatief",
                value,
                instrument="msf",
                assessor=f"{role}{i}",
                role=role,
            )
        )
        out.append(
            score(
                f"{role}{i}",
                day,
                "verbindt",
                value - 1,
                instrument="msf",
                assessor=f"{role}{i}",
                role=role,
            )
        )
    return out


def msf(rows: list[dict[str, object]], **kw: object):  # type: ignore[no-untyped-def]
    return summarise_msf(
        scores_frame(rows),
        instruments=INSTRUMENTS,
        aios_id="a1",
        as_of=AS_OF,
        window_start=date(2024, 6, 1),
        rules=EvidenceRules(),
        **kw,  # type: ignore[arg-type]
    )


def test_msf_groups_below_min_respondents_are_suppressed_with_reason() -> None:
    s = msf(msf_rows("specialist", 3, 4) + msf_rows("verpleegkundige", 2, 5))
    assert s is not None and s.min_respondents == 3 and s.n_respondents == 5
    groups = {g.role: g for g in s.groups}
    # nothing of the two nurses is kept: no role, score or title, only that one group is hidden
    assert list(groups) == ["specialist"] and s.n_hidden_groups == 1
    spec = groups["specialist"]
    assert not spec.suppressed and spec.n_respondents == 3
    assert spec.overall_mean == 3.5  # (4 + 3) / 2 items
    assert [(i.item, i.mean, i.n) for i in spec.items] == [
        ("initiatief", 4.0, 3),
        ("verbindt", 3.0, 3),
    ]
    assert "verpleegkundige" not in s.model_dump_json()
    # the all-respondents row would reveal the two nurses by subtraction
    assert (
        s.overall is not None and s.overall.suppressed and s.overall.reason == "msf.overall_reveals"
    )


def test_msf_overall_shown_when_suppressed_pool_is_large_enough() -> None:
    s = msf(
        msf_rows("specialist", 3, 4) + msf_rows("verpleegkundige", 2, 5) + msf_rows("aios", 2, 2)
    )
    assert s is not None
    assert [g.role for g in s.groups] == ["specialist"] and s.n_hidden_groups == 2
    assert s.overall is not None and not s.overall.suppressed and s.overall.n_respondents == 7


def test_msf_anonymous_respondents_count_per_form() -> None:
    # ePortfolio exports name every MSF respondent "anoniem": each form is one respondent
    rows = msf_rows("specialist", 3, 4)
    for row in rows:
        row["assessor"] = "anoniem"
    s = msf(rows)
    assert s is not None and s.n_respondents == 3
    assert not s.groups[0].suppressed and s.groups[0].n_respondents == 3


def test_msf_item_with_too_few_answers_is_suppressed() -> None:
    rows = msf_rows("specialist", 3, 4)
    for r in rows:
        if r["item"] == "verbindt" and r["assessor"] != "specialist0":
            r["score"] = float("nan")  # kan niet beoordelen
    s = msf(rows)
    assert s is not None
    (group,) = s.groups
    verbindt = group.items[1]
    assert verbindt.suppressed and verbindt.n == 1 and verbindt.mean is None


def test_msf_outside_window_or_other_aios_is_ignored() -> None:
    assert msf(msf_rows("specialist", 3, 4, day="2024-01-01")) is None
    other = [dict(r, aios_id="a2") for r in msf_rows("specialist", 3, 4)]
    assert msf(other) is None
    assert msf([]) is None


def test_evidence_required_versus_present() -> None:
    kpb = {"instrument": "kpb", "role": "supervisor"}
    rows = [
        # year 1 (2023-09-01 .. 2024-09-01): two KPBs and an opleider form, no self-assessment
        score("k1", "2023-10-01", "verantwoordelijkheid", 3, assessor="s1", **kpb),
        score("k2", "2024-08-31", "verantwoordelijkheid", 3, assessor="s2", **kpb),
        score("o1", "2024-03-01", "rml_d01", 2),
        # year 2: one KPB and one MSF round of three forms
        score("k3", "2024-10-01", "verantwoordelijkheid", 3, assessor="s1", **kpb),
        *msf_rows("specialist", 3, 4),
    ]
    scores = scores_frame(rows)
    acts = activities_frame(
        [
            {
                "activity_id": "act1",
                "aios_id": "a1",
                "activity_type": "cursus",
                "title": "Cursus leiderschap",
                "start_date": "2025-02-01",
                "end_date": "2025-02-03",
                "track": None,
                "domains": "rml.d02",
            }
        ]
    )
    a = analyse_progress(
        AIOS,
        scores,
        forms_of(scores),
        acts,
        empty(REFLECTION_COLUMNS),
        INSTRUMENTS,
        CURRICULUM,
        AS_OF,
    )
    got = [(c.year, c.instrument, c.present, c.required, c.state) for c in a.evidence]
    assert got == [
        (1, "kpb", 2, 2, EvidenceState.MET),
        (
            1,
            "self_assessment",
            0,
            1,
            EvidenceState.MISSING,
        ),  # the opleider's form is no self-assessment
        (2, "kpb", 1, 2, EvidenceState.OPEN),
        (2, "msf", 1, 1, EvidenceState.MET),  # rounds, not respondents
        (2, "activity", 1, 1, EvidenceState.MET),
    ]


def test_talent_signals_and_enrolments() -> None:
    rows = (
        opleider_ratings("rml_d01", [4, 4, 4])
        + opleider_ratings("rml_d02", [4, 4, 4])
        + opleider_ratings("rml_d03", [3, 3, 3])
    )
    scores = scores_frame(rows)
    acts = activities_frame(
        [
            {
                "activity_id": "t1",
                "aios_id": "a1",
                "activity_type": "talenttraject",
                "title": "Pareltraject",
                "start_date": "2025-01-01",
                "end_date": None,
                "track": "talent.pareltraject",
                "domains": "rml.d02|rml.d06",
            },
            {
                "activity_id": "t2",
                "aios_id": "a1",
                "activity_type": "commissie",
                "title": "Toekomstig",
                "start_date": "2025-09-01",
                "end_date": None,
                "track": None,
                "domains": "",
            },
        ]
    )
    refl = reflections_frame(
        [
            {
                "reflection_id": "r1",
                "aios_id": "a1",
                "date": "2025-02-01",
                "domain": "rml.d02",
                "text": "Ik wil me verder ontwikkelen in Leiderschap.",
            }
        ]
    )
    a = analyse_progress(AIOS, scores, forms_of(scores), acts, refl, INSTRUMENTS, CURRICULUM, AS_OF)
    t = a.talent
    assert (t.domains_ahead, t.domains_behind, t.consistently_ahead) == (3, 0, True)
    assert [(i.source, i.ref, i.keyword) for i in t.interest] == [
        ("reflection", "r1", "leiderschap")
    ]
    assert [(e.track, e.active) for e in t.enrolments] == [("talent.pareltraject", True)]
    assert [x.activity_id for x in a.activities] == ["t1"]  # the future activity is left out
    assert a.activities[0].domains == ["rml.d02", "rml.d06"]
    assert not analyse_progress(
        AIOS,
        scores,
        forms_of(scores),
        acts,
        refl,
        INSTRUMENTS,
        CURRICULUM,
        AS_OF,
        EvidenceRules(talent_min_domains_ahead=4),
    ).talent.consistently_ahead


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_rules_describe_and_labels(lang: str) -> None:
    lines = EvidenceRules(min_observations=4, recency_months=6).describe(lang)  # type: ignore[arg-type]
    assert any("4" in x and "6" in x for x in lines)
    assert len(lines) == 12
    assert EvidenceRules().describe("nl")[0].startswith("Minimaal 3 observaties")
    assert EvidenceRules().describe("en")[0].startswith("At least 3 observations")


def test_activity_frame_columns_are_the_store_contract() -> None:
    assert ACTIVITY_COLUMNS == [
        "activity_id",
        "aios_id",
        "activity_type",
        "title",
        "start_date",
        "end_date",
        "track",
        "domains",
    ]
