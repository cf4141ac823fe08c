from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from analysis_helpers import (
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
    forms_of,
    opleider_ratings,
    score,
    scores_frame,
)

from mlkit.analysis import (
    AnalysisInputError,
    EvidenceRules,
    ProgressAnalysis,
    ProgressStatus,
    Reason,
    analyse_progress,
    domain_table,
    trajectory_frame,
)
from mlkit.assessments import curriculum_for, load_instruments
from mlkit.frameworks import load_framework
from mlkit.frameworks.models import display_title

S = ProgressStatus


def run(
    rows: list[dict[str, object]], rules: EvidenceRules | None = None, **kw: object
) -> ProgressAnalysis:
    scores = scores_frame(rows)
    return analyse_progress(
        AIOS,
        scores,
        forms_of(scores),
        empty(ACTIVITY_COLUMNS),
        empty(REFLECTION_COLUMNS),
        INSTRUMENTS,
        CURRICULUM,
        AS_OF,
        rules,
        framework=FRAMEWORK,
        **kw,  # type: ignore[arg-type]
    )


def test_status_boundaries_ahead_on_track_behind() -> None:
    # year 2: expected frontline (3) for d01 and d02, ontwikkeling (2) for d03
    rows = (
        opleider_ratings("rml_d01", [2, 3, 3])  # latest 3 == 3: on track
        + opleider_ratings("rml_d02", [3, 3, 4])  # latest 4 > 3: ahead
        + opleider_ratings("rml_d03", [2, 2, 1])  # latest 1 < 2: behind
    )
    a = run(rows)
    assert a.training_year == 2
    assert [d.status for d in a.domains] == [S.ON_TRACK, S.AHEAD, S.BEHIND]
    d1 = a.domain("rml.d01")
    assert d1.expected is not None and (d1.expected.code, d1.expected.value) == ("frontline", 3)
    assert d1.current is not None
    assert (d1.current.value, d1.current.rule, d1.current.n_observations) == (3, "latest", 3)
    assert d1.current.latest_date == date(2025, 3, 10)
    assert d1.sufficiency.n_observations == 3 and d1.sufficiency.n_assessors == 2
    assert d1.reasons == []
    assert a.status_counts == {"ahead": 1, "on_track": 1, "behind": 1, "not_enough_evidence": 0}


def test_mode_rule_and_ties_go_low() -> None:
    rows = opleider_ratings("rml_d01", [4, 4, 2, 2, 3])
    assert run(rows).domain("rml.d01").current.value == 3  # type: ignore[union-attr]
    mode = run(rows, EvidenceRules(level_rule="mode")).domain("rml.d01").current
    assert mode is not None and (mode.value, mode.rule) == (2, "mode")


@pytest.mark.parametrize(
    ("rows", "rules", "reason"),
    [
        (opleider_ratings("rml_d01", [3, 3]), EvidenceRules(), Reason.TOO_FEW_OBSERVATIONS),
        (
            [score(f"f{i}", f"2025-0{i + 1}-01", "rml_d01", 3) for i in range(3)],  # one assessor
            EvidenceRules(),
            Reason.TOO_FEW_ASSESSORS,
        ),
        (
            [score(f"f{i}", f"2024-0{i + 1}-01", "rml_d01", 3, assessor=f"o{i}") for i in range(3)],
            EvidenceRules(),
            Reason.NO_RECENT_EVIDENCE,
        ),
        (
            [
                score(f"f{i}", f"2025-0{i + 1}-01", "rml_d01", 3, assessor=f"o{i}", comment=" ")
                for i in range(3)
            ],
            EvidenceRules(),
            Reason.NO_NARRATIVE,
        ),
    ],
)
def test_insufficient_evidence_reasons(
    rows: list[dict[str, object]], rules: EvidenceRules, reason: Reason
) -> None:
    d1 = run(rows, rules).domain("rml.d01")
    assert d1.status is S.NOT_ENOUGH_EVIDENCE
    assert reason in d1.reasons


def test_min_observations_boundary_and_rules_relax() -> None:
    rows = opleider_ratings("rml_d01", [3, 3])
    assert run(rows).domain("rml.d01").status is S.NOT_ENOUGH_EVIDENCE
    assert run(rows, EvidenceRules(min_observations=2)).domain("rml.d01").status is S.ON_TRACK
    no_comment = [
        score(f"f{i}", f"2025-0{i + 1}-01", "rml_d01", 3, assessor=f"o{i}", comment=None)
        for i in range(3)
    ]
    assert (
        run(no_comment, EvidenceRules(require_narrative=False)).domain("rml.d01").status
        is S.ON_TRACK
    )


def test_no_evidence_aios_does_not_crash() -> None:
    a = analyse_progress(
        AIOS,
        empty(SCORE_COLUMNS),
        empty(FORM_COLUMNS),
        empty(ACTIVITY_COLUMNS),
        empty(REFLECTION_COLUMNS),
        INSTRUMENTS,
        CURRICULUM,
        AS_OF,
    )
    assert all(d.status is S.NOT_ENOUGH_EVIDENCE for d in a.domains)
    assert all(d.reasons == [Reason.NO_EVIDENCE] for d in a.domains)
    assert a.msf is None and a.activities == [] and not a.talent.consistently_ahead
    assert [c.state.value for c in a.evidence] == ["missing", "missing", "open", "open", "open"]
    assert a.status_counts["not_enough_evidence"] == 3
    # without a framework the titles come from the instrument and are marked unverified
    assert display_title(a.domain("rml.d03").domain, "nl").startswith("[niet geverifieerd] rml.d03")
    assert "Domein 1" in display_title(a.domain("rml.d01").domain, "nl")


def test_self_only_shows_self_level_but_not_a_status() -> None:
    rows = [
        score(f"s{i}", f"2025-0{i + 1}-01", "rml_d01", 4, assessor="a1", role="aios")
        for i in range(4)
    ]
    d1 = run(rows).domain("rml.d01")
    assert d1.self_level is not None and d1.self_level.value == 4
    assert d1.current is None and d1.gap is None
    assert d1.status is S.NOT_ENOUGH_EVIDENCE
    assert d1.reasons == [Reason.ONLY_SELF_ASSESSMENT]
    assert d1.sufficiency.n_observations == 0 and d1.sufficiency.n_self == 4


def test_gap_is_self_minus_assessors() -> None:
    rows = (
        opleider_ratings("rml_d01", [3, 3, 3])
        + opleider_ratings("rml_d02", [3, 3, 3])
        + [
            score("s1", "2025-04-01", "rml_d01", 4, assessor="a1", role="aios"),
            score("s1", "2025-04-01", "rml_d02", 2, assessor="a1", role="aios"),
        ]
    )
    a = run(rows)
    assert a.domain("rml.d01").gap == 1  # rates self higher
    assert a.domain("rml.d02").gap == -1
    assert a.domain("rml.d03").gap is None


def test_kpb_counts_as_evidence_but_gives_no_level() -> None:
    rows = [
        score(
            f"k{i}",
            f"2025-0{i + 1}-01",
            "verantwoordelijkheid",
            4,
            instrument="kpb",
            assessor=f"s{i}",
            role="supervisor",
        )
        for i in range(3)
    ]
    d1 = run(rows).domain("rml.d01")
    assert d1.sufficiency.n_observations == 3
    assert d1.reasons == [Reason.NO_LEVEL_RATING]
    assert [(s.instrument, s.item, s.n, s.latest, s.mode) for s in d1.supporting] == [
        ("kpb", "verantwoordelijkheid", 3, 4, 4)
    ]


def test_epa_summary_has_no_mean_and_mapped_levels_are_used() -> None:
    rows = [
        *opleider_ratings("rml_d02", [3, 3, 3]),
        score("e1", "2025-02-01", "mdo", 2, instrument="epa", assessor="x", role="supervisor"),
        score("e2", "2025-05-01", "mdo", 4, instrument="epa", assessor="y", role="supervisor"),
    ]
    d2 = run(rows).domain("rml.d02")
    (epa,) = d2.supporting
    assert (epa.latest, epa.n) == (4, 2)
    assert d2.sufficiency.n_observations == 5 and d2.sufficiency.n_assessors == 4


def test_evidence_after_as_of_is_ignored() -> None:
    rows = [
        *opleider_ratings("rml_d01", [3, 3, 3]),
        score("late", "2025-07-01", "rml_d01", 1, assessor="z"),
    ]
    d1 = run(rows).domain("rml.d01")
    assert d1.current is not None and d1.current.value == 3
    assert all(o.date <= AS_OF for o in d1.observations)


def test_msf_peer_aios_is_not_a_self_assessment() -> None:
    rows = [
        score(
            f"m{i}",
            "2025-03-01",
            "initiatief",
            4,
            instrument="msf",
            assessor=f"peer{i}",
            role="aios",
        )
        for i in range(3)
    ]
    d1 = run(rows).domain("rml.d01")
    assert d1.sufficiency.n_observations == 3 and d1.sufficiency.n_self == 0


def test_year_override_and_framework_titles() -> None:
    a = run(opleider_ratings("rml_d01", [3, 3, 3]), year_override=1)
    assert a.training_year == 1 and a.training_year_overridden
    assert a.domain("rml.d01").status is S.AHEAD  # expected ontwikkeling (2) in year 1
    assert display_title(a.domain("rml.d01").domain, "en") == "Leading from a vision"
    assert (
        display_title(a.domain("rml.d03").domain, "nl")
        == "[niet geverifieerd] rml.d03 — naam nog niet geladen"
    )


def test_unknown_developmental_scale_raises() -> None:
    insts = {k: v for k, v in INSTRUMENTS.items() if k != "self_assessment"}
    with pytest.raises(
        AnalysisInputError, match=r"curriculum 'test': .*unknown instrument 'self_assessment'"
    ):
        analyse_progress(
            AIOS,
            empty(SCORE_COLUMNS),
            empty(FORM_COLUMNS),
            empty(ACTIVITY_COLUMNS),
            empty(REFLECTION_COLUMNS),
            insts,
            CURRICULUM,
            AS_OF,
        )


def test_json_round_trip_and_tables() -> None:
    a = run(
        [
            *opleider_ratings("rml_d01", [2, 3, 3]),
            score("s", "2025-04-01", "rml_d01", 4, assessor="a1", role="aios"),
        ]
    )
    again = ProgressAnalysis.model_validate_json(a.model_dump_json())
    assert again == a
    assert '"schema":"mlkit.progress/1"' in a.model_dump_json(by_alias=True)
    traj = trajectory_frame(a)
    assert list(traj.groupby("series").size().items()) == [("others", 3), ("self", 1)]
    assert pd.api.types.is_datetime64_any_dtype(traj["date"])
    table = domain_table(a, "en")
    assert table.loc[0, "status"] == "on track"
    assert table.loc[0, "rule"] == "latest judgement"
    assert table.loc[2, "reasons"] == "no assessments"


def test_expected_by_year_uses_wildcard_and_overrides() -> None:
    a = run([])
    assert [(y.year, y.expected) for y in a.expected_by_year] == [
        (1, {"rml.d01": 2, "rml.d02": 2, "rml.d03": 2}),
        (2, {"rml.d01": 3, "rml.d02": 3, "rml.d03": 2}),
        (3, {"rml.d01": 4, "rml.d02": 4, "rml.d03": 4}),
    ]
    assert a.expected_by_year[1].start == date(2024, 9, 1)


def test_bundled_instruments_curriculum_and_framework_fit_together() -> None:
    a = analyse_progress(
        AIOS,
        empty(SCORE_COLUMNS),
        empty(FORM_COLUMNS),
        empty(ACTIVITY_COLUMNS),
        empty(REFLECTION_COLUMNS),
        load_instruments(),
        curriculum_for("interne_geneeskunde"),
        AS_OF,
        framework=load_framework("rml"),
    )
    rml = load_framework("rml")
    assert [d.code for d in a.domains] == [
        d.code for d in sorted(rml.domains, key=lambda d: d.order)
    ]
    assert [d.code for d in a.domains][6:9] == [
        "rml.x_verbinden",
        "rml.x_innoveren",
        "rml.x_kwaliteit",
    ]
    assert all(d.expected is not None for d in a.domains)
    assert display_title(a.domain("rml.d12").domain, "nl").startswith("[niet geverifieerd] rml.d12")
