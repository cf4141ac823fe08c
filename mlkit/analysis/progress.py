"""Progress of one aios per RML domain against the curriculum: :func:`analyse_progress`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd

from mlkit.analysis.dates import add_months, to_date, year_bounds
from mlkit.analysis.evidence import check_evidence
from mlkit.analysis.inputs import (
    DevelopmentalScale,
    InstrumentsArg,
    annotate_scores,
    developmental_scale,
    domain_of,
    field,
    instrument_map,
)
from mlkit.analysis.judgements import (
    PROGRESS_MEETING,
    SUITABILITY,
    data_flags,
    latest_judgement,
)
from mlkit.analysis.models import (
    DomainProgress,
    LevelEstimate,
    LevelObservation,
    LevelPoint,
    OrdinalSummary,
    ProgressAnalysis,
    ProgressStatus,
    Sufficiency,
    YearLevels,
)
from mlkit.analysis.msf import summarise_msf
from mlkit.analysis.ordinal import latest_of, mode_of, point_counts, summarise_ordinal
from mlkit.analysis.rules import EvidenceRules, LevelRule
from mlkit.analysis.status import EvidenceCounts, judge
from mlkit.analysis.talent import list_activities, talent_signals
from mlkit.assessments.models import Curriculum, Instrument, ScaleKind, ScalePoint
from mlkit.assessments.position import position_of
from mlkit.frameworks.models import Domain, Framework, Status, Text, code_sort_key


def analyse_progress(
    aios: object,
    scores: pd.DataFrame,
    forms: pd.DataFrame,
    activities: pd.DataFrame,
    reflections: pd.DataFrame,
    instruments: InstrumentsArg,
    curriculum: Curriculum,
    as_of: date,
    rules: EvidenceRules | None = None,
    *,
    framework: Framework | None = None,
    year_override: int | None = None,
) -> ProgressAnalysis:
    """Analyse one aios' leadership progress per RML domain on ``as_of``.

    Evidence dated after ``as_of`` is ignored, so a report can be reproduced for an earlier date.
    The frames may hold other aios too; only rows of this aios are used.

    Args:
        aios: The aios: a row of the store's aios frame (Series), a mapping, or a record with
            ``aios_id``, ``display_name``, ``specialty``, ``start_date``, ``hospital`` and
            ``opleider``. The caller looks the aios up and raises if it is missing.
        scores: Item scores (store columns: form_id, aios_id, instrument, date, assessor,
            assessor_role, item, score, comment).
        forms: Forms (form_id, aios_id, instrument, date, assessor, assessor_role, comment).
        activities: Activities (activity_id, aios_id, activity_type, title, start_date, end_date,
            track, domains).
        reflections: Reflections (reflection_id, aios_id, date, domain, text).
        instruments: Instrument definitions, as a mapping by code or any iterable.
        curriculum: The curriculum for the aios' specialty.
        as_of: The reference date of the analysis.
        rules: Evidence sufficiency rules (default :class:`EvidenceRules`).
        framework: The RML framework, for domain titles and their verification status; load it
            once with ``load_framework("rml")`` and pass it for every aios. Without it, domain
            titles come from the developmental-scale instrument's items and are marked unverified.
        year_override: The training year, when the position computed from the start date and
            the roster's part-time, extension and interruption columns is not wanted.

    Raises:
        AnalysisInputError: if the curriculum's developmental scale is not among ``instruments``.

    Example:
        >>> analysis = analyse_progress(
        ...     aios_row, scores, forms, activities, reflections,
        ...     load_instruments(), curriculum_for("interne"), date(2025, 6, 1),
        ...     framework=load_framework("rml"),
        ... )
        >>> analysis.domain("rml.d05").status
        <ProgressStatus.ON_TRACK: 'on_track'>
    """
    rules = rules or EvidenceRules()
    insts = instrument_map(instruments)
    dev = developmental_scale(curriculum, insts)
    aios_id = str(field(aios, "aios_id"))
    start = to_date(field(aios, "start_date")) or as_of
    position = position_of(aios, start, as_of, curriculum)
    year = year_override or position.opleidingsjaar
    window_start = add_months(as_of, -rules.recency_months)
    notes: list[str] = []

    annotated = annotate_scores(
        scores,
        forms=forms,
        instruments=insts,
        dev=dev,
        framework=curriculum.framework,
        aios_id=aios_id,
        rules=rules,
        activities=activities,
        as_of=as_of,
    )
    annotated = annotated[annotated["date"] <= pd.Timestamp(as_of)]

    expected_codes = curriculum.year(year).expected
    points = {p.code: p for p in dev.scale.points}
    domains = _domains(framework, dev.instrument, curriculum, annotated)
    results: list[DomainProgress] = []
    unloaded = {c for c, d in domains.items() if framework is not None and not is_loaded(d)}
    for code, domain in domains.items():
        wanted = None if code in unloaded else expected_codes.get(code, expected_codes.get("*"))
        expected = None
        if wanted is not None and wanted in points:
            p = points[wanted]
            expected = LevelPoint(value=p.value, code=p.code, label=p.label)
        elif wanted is not None:
            notes.append(f"{code}: expected level {wanted!r} is not a point of {curriculum.scale}")
        # nothing is judged in an empty slot, not even ratings given on it
        rows = annotated[annotated["domain"] == code] if code not in unloaded else annotated[:0]
        results.append(
            _domain_progress(
                code,
                domain=domain,
                rows=rows,
                expected=expected,
                dev=dev,
                insts=insts,
                rules=rules,
                window_start=window_start,
                loaded=code not in unloaded,
            )
        )

    counts = {s.value: 0 for s in ProgressStatus}
    for r in results:
        counts[r.status.value] += 1
    loaded = [code for code in domains if code not in unloaded]
    others = annotated[~annotated["is_self"]]
    newest = others["date"].max().date() if len(others) else None
    return ProgressAnalysis(
        aios_id=aios_id,
        display_name=str(field(aios, "display_name") or aios_id),
        specialty=_text_or_none(field(aios, "specialty")),
        hospital=_text_or_none(field(aios, "hospital")),
        opleider=_text_or_none(field(aios, "opleider")),
        start_date=start,
        as_of=as_of,
        training_year=year,
        training_year_overridden=year_override is not None,
        position=position,
        expectation_status=curriculum.expectation_status,
        curriculum_id=curriculum.id,
        scale=curriculum.scale,
        scale_points=[
            LevelPoint(value=p.value, code=p.code, label=p.label) for p in dev.scale.points
        ],
        rules=rules,
        domains=results,
        status_counts=counts,
        expected_by_year=_expected_by_year(curriculum, start, loaded, points),
        evidence=check_evidence(
            curriculum,
            current_year=year,
            start_date=start,
            as_of=as_of,
            aios_id=aios_id,
            forms=forms,
            activities=activities,
            reflections=reflections,
            instruments=insts,
            self_roles=rules.self_roles,
        ),
        msf=summarise_msf(
            scores,
            instruments=insts,
            aios_id=aios_id,
            as_of=as_of,
            window_start=window_start,
            rules=rules,
        ),
        talent=talent_signals(
            results,
            activities=activities,
            reflections=reflections,
            aios_id=aios_id,
            as_of=as_of,
            rules=rules,
        ),
        activities=list_activities(activities, aios_id, as_of),
        notes=notes,
        latest_progress_meeting=latest_judgement(
            insts.get(PROGRESS_MEETING), scores=scores, forms=forms, aios_id=aios_id, as_of=as_of
        ),
        latest_suitability=latest_judgement(
            insts.get(SUITABILITY), scores=scores, forms=forms, aios_id=aios_id, as_of=as_of
        ),
        newest_evidence=newest,
        flags=data_flags(
            results,
            as_of=as_of,
            newest_evidence=newest,
            rules=rules,
            position=position,
        ),
    )


def _text_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def _domains(
    framework: Framework | None,
    dev_instrument: Instrument,
    curriculum: Curriculum,
    annotated: pd.DataFrame,
) -> dict[str, Domain]:
    """Return the domains to report, in framework order, with their titles and status."""
    found: dict[str, Domain] = {}
    if framework is not None:
        for fw_domain in sorted(framework.domains, key=lambda d: d.order):
            found[fw_domain.code] = fw_domain
    codes = {
        d
        for it in dev_instrument.items
        for e in it.evidences
        if (d := domain_of(e, curriculum.framework))
    }
    codes |= {k for y in curriculum.years for k in y.expected if k != "*"}
    codes |= set(annotated["domain"].unique())
    titles = {
        d: it.title
        for it in dev_instrument.items
        for e in it.evidences
        if (d := domain_of(e, curriculum.framework))
    }
    for i, code in enumerate(sorted(codes - set(found), key=code_sort_key), start=len(found) + 1):
        found[code] = Domain(
            code=code,
            title=titles.get(code, Text()),
            order=i,
            source=dev_instrument.source if code in titles else "unknown",
            status=Status.UNVERIFIED,
        )
    return found


def _estimate(rows: pd.DataFrame, rule: LevelRule, dev: DevelopmentalScale) -> LevelEstimate | None:
    """Choose a level from developmental-scale rows by ``rule`` (ties go low)."""
    rows = rows[rows["level"].notna()]
    if rows.empty:
        return None
    values = [int(v) for v in rows["level"]]
    dates = [d.date() for d in rows["date"]]
    latest = latest_of(values, dates)
    assert latest is not None  # rows is not empty
    value = latest[0] if rule == "latest" else mode_of(values)
    assert value is not None
    return LevelEstimate(
        value=value,
        code=dev.scale.point(value).code,
        rule=rule,
        n_observations=len(values),
        n_assessors=rows["assessor_key"].nunique(),
        latest_date=latest[1],
        distribution=point_counts(values, dev.scale),
        assessor_roles=sorted({str(r) for r in rows["assessor_role"] if str(r)}),
    )


def _supporting(
    rows: pd.DataFrame, insts: dict[str, Instrument], dev: DevelopmentalScale
) -> list[OrdinalSummary]:
    """Ordinal summaries of assessor-rated items (KPB, EPA) that evidence the domain.

    Developmental-scale items are the level itself and MSF items are summarised per respondent
    group (with suppression), so both are left out here.
    """
    out: list[OrdinalSummary] = []
    rows = rows[
        ~rows["is_self"] & (rows["source"] == "form") & (rows["instrument"] != dev.instrument.code)
    ]
    for (inst_code, item_code), group in rows.groupby(["instrument", "item"], sort=True):
        inst = insts[str(inst_code)]
        scale = inst.scale(inst.item(str(item_code)).scale)
        if scale.kind is not ScaleKind.ORDINAL:
            continue
        out.append(
            summarise_ordinal(
                list(group["score"]),
                [d.date() for d in group["date"]],
                scale,
                instrument=str(inst_code),
                item=str(item_code),
            )
        )
    return out


def is_loaded(domain: Domain) -> bool:
    """True when the domain has a name: an empty slot (no title loaded) cannot be assessed."""
    return bool((domain.title.nl or "").strip() or (domain.title.en or "").strip())


def _domain_progress(
    code: str,
    *,
    domain: Domain,
    rows: pd.DataFrame,
    expected: LevelPoint | None,
    dev: DevelopmentalScale,
    insts: dict[str, Instrument],
    rules: EvidenceRules,
    window_start: date,
    loaded: bool = True,
) -> DomainProgress:
    others = rows[~rows["is_self"]]
    selfs = rows[rows["is_self"]]
    recent = others[others["date"] > pd.Timestamp(window_start)]
    level_rows = others[others["level"].notna()]
    recent_levels = level_rows[level_rows["date"] > pd.Timestamp(window_start)]
    current = _estimate(recent_levels if len(recent_levels) else level_rows, rules.level_rule, dev)
    self_level = _estimate(selfs, "latest", dev)
    n_obs = recent["obs_key"].nunique()
    n_assessors = recent["assessor_key"].nunique()
    narrative = bool(recent["narrative"].any())
    msf_rows = recent[recent["source"] == "msf"]

    status, reasons = judge(
        EvidenceCounts(
            loaded=loaded,
            n_others=len(others),
            n_self=len(selfs),
            n_recent=len(recent),
            n_observations=n_obs,
            n_assessors=n_assessors,
            narrative=narrative,
            current=current.value if current else None,
            expected=expected.value if expected else None,
        ),
        rules,
    )

    rated = rows[rows["level"].notna()].sort_values(["date", "is_self"], kind="stable")
    observations = [
        LevelObservation(
            date=r["date"].date(),
            value=int(r["level"]),
            instrument=str(r["instrument"]),
            item=str(r["item"]),
            assessor_role=str(r["assessor_role"]),
            is_self=bool(r["is_self"]),
        )
        for r in rated.to_dict("records")
    ]
    return DomainProgress(
        code=code,
        domain=domain,
        expected=expected,
        current=current,
        self_level=self_level,
        gap=(self_level.value - current.value) if self_level and current else None,
        status=status,
        reasons=reasons,
        sufficiency=Sufficiency(
            window_start=window_start,
            n_observations=n_obs,
            n_assessors=n_assessors,
            latest_date=others["date"].max().date() if len(others) else None,
            narrative=narrative,
            n_self=selfs["form_id"].nunique(),
            n_msf_rounds=msf_rows["obs_key"].nunique(),
            n_msf_respondents=msf_rows["form_id"].nunique(),
            n_activities=recent.loc[recent["source"] == "activity", "obs_key"].nunique(),
        ),
        supporting=_supporting(rows, insts, dev),
        observations=observations,
    )


def _expected_by_year(
    curriculum: Curriculum, start: date, domains: list[str], points: Mapping[str, ScalePoint]
) -> list[YearLevels]:
    out: list[YearLevels] = []
    for ye in sorted(curriculum.years, key=lambda y: y.year):
        begin, end = year_bounds(start, ye.year)
        expected: dict[str, int] = {}
        for code in domains:
            wanted = ye.expected.get(code, ye.expected.get("*"))
            if wanted is not None and wanted in points:
                expected[code] = points[wanted].value
        out.append(YearLevels(year=ye.year, start=begin, end=end, expected=expected))
    return out
