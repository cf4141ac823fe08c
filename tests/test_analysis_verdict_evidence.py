"""Issue 9: a portfolio with exactly the required evidence reaches a status in every named domain.

The portfolio is built from the bundled instruments, curriculum and framework: per training year
two leadership KPBs, one MSF round, the aios' self-assessment, the opleider's rating on the
developmental scale, a voortgangsgesprek, a geschiktheidsbeoordeling and, from year 3, one
leadership activity. Nothing more.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest
from analysis_helpers import (
    ACTIVITY_COLUMNS,
    REFLECTION_COLUMNS,
    activities_frame,
    empty,
    forms_of,
    score,
    scores_frame,
)

from mlkit.analysis import EvidenceRules, ProgressStatus, Reason, analyse_progress
from mlkit.analysis.dates import add_years
from mlkit.analysis.evidence import check_evidence
from mlkit.assessments import load_curricula, load_instruments
from mlkit.assessments.models import Curriculum, Instrument
from mlkit.frameworks import load_framework
from mlkit.frameworks.models import Framework

START = date(2022, 9, 1)
AS_OF = date(2025, 8, 1)  # late in training year 3


@pytest.fixture(scope="module")
def reference() -> tuple[dict[str, Instrument], Curriculum, Framework]:
    instruments = load_instruments()
    curricula = load_curricula(instruments=instruments)
    return instruments, curricula["default"], load_framework("rml")


def _form(form_id: str, day: date, instrument: Instrument, **kw: Any) -> list[dict[str, Any]]:
    value = kw.pop("value", 3)
    items = kw.pop("items", None)
    return [
        score(form_id, day.isoformat(), it.code, value, instrument=instrument.code, **kw)
        for it in instrument.items
        if items is None or it.code in items
    ]


def _year_portfolio(
    year: int, insts: dict[str, Instrument], cur: Curriculum, fw: Framework
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Exactly what the curriculum requires in ``year``: forms (as score rows) and activities."""
    begin = add_years(START, year - 1)

    def day(months: int) -> date:
        index = begin.month + months - 1
        return date(begin.year + index // 12, index % 12 + 1, 15)

    rows: list[dict[str, Any]] = []
    acts: list[dict[str, Any]] = []
    required = {r.instrument: r for r in cur.year(year).required_evidence}
    rows += _form(f"kpb{year}a", day(2), insts["kpb"], assessor="Dr. A", role="supervisor")
    rows += _form(f"kpb{year}b", day(5), insts["kpb"], assessor="Dr. B", role="supervisor")
    for g, role in enumerate(("specialist", "verpleegkundige", "aios")):
        for r in range(3):
            rows += _form(
                f"msf{year}{g}{r}", day(6), insts["msf"], assessor="anoniem", role=role, value=4
            )
    expected = {
        p.code: p.value for p in insts["self_assessment"].scale("leadership_development").points
    }
    named = [d.code for d in fw.domains if d.title.nl]
    wanted = cur.year(year).expected
    for it in insts["self_assessment"].items:
        dom = it.evidences[0]
        if dom not in named:
            continue
        level = expected[wanted.get(dom, wanted["*"])]
        rows.append(score(f"opl{year}", day(8).isoformat(), it.code, level, assessor="Dr. O"))
        rows.append(
            score(f"self{year}", day(8).isoformat(), it.code, level, assessor="a1", role="aios")
        )
    rows += _form(f"vg{year}", day(9), insts["voortgang"], value=2, assessor="Dr. O")
    rows += _form(f"gs{year}", day(10), insts["geschiktheid"], value=1, assessor="Dr. O")
    if "activity" in required:
        acts.append(
            {
                "activity_id": f"act{year}",
                "aios_id": "a1",
                "activity_type": "verbeterproject",
                "title": "Verbeterproject overdracht",
                "start_date": pd.Timestamp(day(3)),
                "end_date": pd.Timestamp(day(7)),
                "track": None,
                "domains": "",
            }
        )
    return rows, acts


def _aios() -> pd.Series:
    return pd.Series(
        {
            "aios_id": "a1",
            "display_name": "Test",
            "specialty": "default",
            "start_date": pd.Timestamp(START),
            "hospital": "Z",
            "opleider": "Dr. O",
        }
    )


def _analyse(rows: list[dict[str, Any]], acts: list[dict[str, Any]], reference: Any, **kw: Any):
    insts, cur, fw = reference
    scores = scores_frame(rows)
    return analyse_progress(
        _aios(),
        scores,
        forms_of(scores),
        activities_frame(acts) if acts else empty(ACTIVITY_COLUMNS),
        empty(REFLECTION_COLUMNS),
        insts,
        cur,
        AS_OF,
        framework=fw,
        **kw,
    )


def test_required_portfolio_gives_every_named_domain_a_status(reference: Any) -> None:
    insts, cur, fw = reference
    rows: list[dict[str, Any]] = []
    acts: list[dict[str, Any]] = []
    for year in (1, 2, 3):
        r, a = _year_portfolio(year, insts, cur, fw)
        rows += r
        acts += a
    analysis = _analyse(rows, acts, reference)
    assert analysis.training_year == 3
    # the portfolio is exactly what the curriculum asks: every requirement met, none exceeded
    checks = check_evidence(
        cur,
        current_year=3,
        start_date=START,
        as_of=AS_OF,
        aios_id="a1",
        forms=forms_of(scores_frame(rows)),
        activities=activities_frame(acts),
        reflections=empty(REFLECTION_COLUMNS),
        instruments=insts,
    )
    assert checks and all(c.present == c.required for c in checks), checks
    named = [d for d in analysis.domains if d.domain.title.nl]
    assert len(named) == 9
    for d in named:
        assert d.status in {ProgressStatus.ON_TRACK, ProgressStatus.AHEAD, ProgressStatus.BEHIND}
        assert d.status is ProgressStatus.ON_TRACK, (d.code, d.reasons)
    unnamed = [d for d in analysis.domains if not d.domain.title.nl]
    assert [d.status for d in unnamed] == [ProgressStatus.NOT_ASSESSABLE] * 3
    assert all(d.expected is None for d in unnamed)
    assert analysis.status_counts["not_assessable"] == 3
    assert analysis.status_counts["not_enough_evidence"] == 0


def test_one_kpb_less_leaves_domains_insufficient(reference: Any) -> None:
    insts, cur, fw = reference
    rows, _ = _year_portfolio(3, insts, cur, fw)
    # drop the second KPB, the voortgangsgesprek (it evidences d02) and the activity:
    # opleider rating + KPB + MSF round = 3 sources; rules asking for 4 leave every named
    # domain insufficient, while the default rule (3) is met
    rows = [r for r in rows if r["form_id"] not in {"kpb3b", "vg3"}]
    assert all(
        d.sufficiency.n_observations == 3
        for d in _analyse(rows, [], reference).domains
        if d.domain.title.nl
    )
    strict = EvidenceRules(min_observations=4)
    analysis = _analyse(rows, [], reference, rules=strict)
    for d in analysis.domains:
        if d.domain.title.nl:
            assert d.status is ProgressStatus.NOT_ENOUGH_EVIDENCE
            assert Reason.TOO_FEW_OBSERVATIONS in d.reasons


def test_too_few_assessors_stays_insufficient(reference: Any) -> None:
    insts, cur, fw = reference
    rows, _ = _year_portfolio(3, insts, cur, fw)
    # keep only the opleider's own forms: 1 assessor, whatever the number of forms
    mine = [r for r in rows if r["assessor"] == "Dr. O" and r["instrument"] == "self_assessment"]
    kpbs = _form("k1", date(2025, 3, 1), insts["kpb"], assessor="Dr. O", role="opleider")
    kpbs += _form("k2", date(2025, 4, 1), insts["kpb"], assessor="Dr. O", role="opleider")
    analysis = _analyse(mine + kpbs, [], reference)
    d = analysis.domain("rml.d01")
    assert d.sufficiency.n_observations == 3 and d.sufficiency.n_assessors == 1
    assert d.status is ProgressStatus.NOT_ENOUGH_EVIDENCE
    assert d.reasons == [Reason.TOO_FEW_ASSESSORS]


def test_one_msf_round_is_one_observation_and_groups_are_assessors(reference: Any) -> None:
    insts, _, _ = reference
    rows = []
    for g, role in enumerate(("specialist", "verpleegkundige", "aios", "ondersteuning")):
        n = 2 if role == "ondersteuning" else 5  # the last group is below the minimum of 3
        for r in range(n):
            rows += _form(f"m{g}{r}", date(2025, 5, 1), insts["msf"], assessor="anoniem", role=role)
    analysis = _analyse(rows, [], reference)
    d = analysis.domain("rml.d01")
    assert d.sufficiency.n_observations == 1  # 17 answers, one round
    assert d.sufficiency.n_msf_rounds == 1
    assert d.sufficiency.n_msf_respondents == 15  # the group of 2 counts for nothing
    assert d.sufficiency.n_assessors == 3  # three groups reach the minimum
    # MSF alone never makes a domain sufficient: no level and too few observations
    assert d.status is ProgressStatus.NOT_ENOUGH_EVIDENCE
    assert Reason.NO_LEVEL_RATING in d.reasons and Reason.TOO_FEW_OBSERVATIONS in d.reasons


def test_msf_can_complete_a_domain_with_two_named_observations(reference: Any) -> None:
    insts, _, _ = reference
    rows = []
    for g, role in enumerate(("specialist", "verpleegkundige")):
        for r in range(3):
            rows += _form(f"m{g}{r}", date(2025, 5, 1), insts["msf"], assessor="anoniem", role=role)
    rows.append(score("o1", "2025-06-01", "rml_d01", 3, assessor="Dr. O"))
    rows += _form("k1", date(2025, 6, 10), insts["kpb"], assessor="Dr. O", role="opleider")
    d = _analyse(rows, [], reference).domain("rml.d01")
    assert (d.sufficiency.n_observations, d.sufficiency.n_assessors) == (3, 3)
    assert d.status is ProgressStatus.ON_TRACK
    assert d.current is not None and d.current.single_rating


def test_activity_counts_for_named_domains_only(reference: Any) -> None:
    acts = [
        {
            "activity_id": "x1",
            "aios_id": "a1",
            "activity_type": "commissie",
            "title": "Lid werkgroep",
            "start_date": pd.Timestamp("2025-01-01"),
            "end_date": pd.NaT,
            "track": None,
            "domains": "rml.d01|rml.d11",
        }
    ]
    analysis = _analyse([], acts, reference)
    counted = {d.code for d in analysis.domains if d.sufficiency.n_activities == 1}
    # commissie evidences d06 and Verbinden; the activity names d01 and the empty slot d11,
    # in which nothing is counted
    assert counted == {"rml.d06", "rml.x_verbinden", "rml.d01"}
    assert analysis.domain("rml.d11").sufficiency.n_observations == 0
    assert analysis.domain("rml.d11").status is ProgressStatus.NOT_ASSESSABLE
    assert analysis.domain("rml.d01").sufficiency.n_assessors == 0


def test_loading_the_official_text_makes_an_empty_slot_assessable(
    reference: Any, tmp_path: Any
) -> None:
    from importlib.resources import files

    from mlkit.frameworks import load_all

    insts, cur, _ = reference
    text = (files("mlkit") / "_data" / "frameworks" / "rml.yaml").read_text(encoding="utf-8")
    slot = "  - code: rml.d10\n    title: {}\n"
    assert slot in text
    text = text.replace(
        slot, "  - code: rml.d10\n    title: {nl: Officieel domein tien, en: Official domain ten}\n"
    )
    (tmp_path / "rml.yaml").write_text(text, encoding="utf-8")
    fw = load_all(tmp_path)["rml"]
    rows = [score(f"o{i}", f"2025-0{i + 2}-01", "rml_d10", 3, assessor=f"Dr. {i}") for i in (1, 2)]
    rows += _form("k1", date(2025, 6, 1), insts["kpb"], assessor="Dr. K", role="supervisor")
    bundled = _analyse(rows, [], reference).domain("rml.d10")
    assert bundled.status is ProgressStatus.NOT_ASSESSABLE
    loaded = _analyse(rows, [], (insts, cur, fw)).domain("rml.d10")
    assert loaded.expected is not None  # the curriculum's "*" now applies
    assert loaded.sufficiency.n_observations == 2  # KPB has no item for d10 yet
    assert loaded.status is ProgressStatus.NOT_ENOUGH_EVIDENCE
    assert loaded.reasons == [Reason.TOO_FEW_OBSERVATIONS]


def test_latest_judgements_and_agreements_are_read(reference: Any) -> None:
    insts, cur, fw = reference
    rows: list[dict[str, Any]] = []
    for year in (1, 2):
        r, _ = _year_portfolio(year, insts, cur, fw)
        rows += r
    for r in rows:
        if r["form_id"] == "vg2":
            r["comment"] = "Loopt goed. Afspraken: KPB bij de overdracht; MSF in het voorjaar."
    analysis = _analyse(rows, [], reference)
    vg = analysis.latest_progress_meeting
    assert vg is not None and vg.form_id == "vg2" and vg.date == date(2024, 6, 15)
    assert [(r.item, r.label.nl) for r in vg.ratings] == [
        ("voortgang_algemeen", "op schema"),
        ("voortgang_leiderschap", "op schema"),
    ]
    assert vg.comment == "Loopt goed."
    assert vg.agreements == "KPB bij de overdracht; MSF in het voorjaar."
    gs = analysis.latest_suitability
    assert gs is not None and gs.form_id == "gs2"
    assert gs.ratings[0].label.nl == "niet voortzetten"


def test_data_flags(reference: Any) -> None:
    from mlkit.analysis.models import FlagKind

    insts, cur, fw = reference
    rows, _ = _year_portfolio(1, insts, cur, fw)  # newest evidence: 15 June 2023
    analysis = _analyse(rows, [], reference)  # as of 1 August 2025, training year 3
    flags = {f.kind: f.values for f in analysis.flags}
    assert analysis.newest_evidence == date(2023, 6, 15)
    assert flags[FlagKind.STALE_EVIDENCE] == {"months": 25}
    assert FlagKind.PAST_NOMINAL_DURATION not in flags
    # the opleider's one rating per domain is the only level: every named domain rests on it
    assert flags[FlagKind.SINGLE_RATING] == {"n": 9}
    late = analyse_progress(
        _aios(),
        scores_frame(rows),
        forms_of(scores_frame(rows)),
        empty(ACTIVITY_COLUMNS),
        empty(REFLECTION_COLUMNS),
        insts,
        cur,
        date(2028, 10, 1),  # month 73 of a 5-year curriculum
        framework=fw,
    )
    assert late.training_year == 5  # the last year, never "year 7"
    assert {f.kind: f.values for f in late.flags}[FlagKind.PAST_NOMINAL_DURATION] == {
        "nominal": "5",
        "end": "2027-09-01",
    }
    part = _aios()
    part["part_time_percent"] = 80.0
    slow = analyse_progress(
        part,
        scores_frame(rows),
        forms_of(scores_frame(rows)),
        empty(ACTIVITY_COLUMNS),
        empty(REFLECTION_COLUMNS),
        insts,
        cur,
        date(2027, 10, 1),  # 5 years and a month in, at 80%: not past the nominal duration
        framework=fw,
    )
    slow_flags = {f.kind: f.values for f in slow.flags}
    assert FlagKind.PAST_NOMINAL_DURATION not in slow_flags
    assert slow_flags[FlagKind.PART_TIME] == {"pct": 80}
