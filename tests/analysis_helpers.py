"""Hand-built instruments, curriculum and store-shaped frames for the analysis and chart tests.

Small on purpose: three RML domains, so every expected answer can be worked out by hand.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from mlkit.assessments.models import (
    Curriculum,
    EvidenceRequirement,
    Instrument,
    InstrumentKind,
    Item,
    RespondentRole,
    Scale,
    ScaleKind,
    ScalePoint,
    YearExpectation,
)
from mlkit.frameworks.models import Domain, Framework, FrameworkKind, Source, Status, Text

U = Status.UNVERIFIED


def _t(s: str) -> Text:
    return Text(nl=s, en=s)


DEV = Scale(
    code="leadership_development",
    kind=ScaleKind.ORDINAL,
    title=_t("dev"),
    points=(
        ScalePoint(value=1, code="niet_aan_de_orde", label=Text(nl="nog niet", en="not yet")),
        ScalePoint(value=2, code="ontwikkeling", label=Text(nl="in ontwikkeling", en="developing")),
        ScalePoint(
            value=3,
            code="frontline",
            label=Text(nl="frontline", en="frontline"),
            level="handreiking.frontline",
        ),
        ScalePoint(
            value=4,
            code="klinisch",
            label=Text(nl="klinisch", en="clinical"),
            level="handreiking.klinisch",
        ),
    ),
    allow_mean=False,
    source="test",
    status=U,
)
LIKERT = Scale(
    code="likert",
    kind=ScaleKind.ORDINAL,
    title=_t("likert"),
    points=tuple(ScalePoint(value=v, code=f"p{v}", label=_t(str(v))) for v in range(1, 6)),
    allow_mean=True,
    source="test",
    status=U,
)
ENTRUST = Scale(
    code="bekwaamheidsniveau",
    kind=ScaleKind.ORDINAL,
    title=_t("entrustment"),
    points=tuple(ScalePoint(value=v, code=f"n{v}", label=_t(str(v))) for v in range(1, 6)),
    allow_mean=False,
    source="test",
    status=U,
)
NARR = Scale(code="text", kind=ScaleKind.NARRATIVE, title=_t("text"), source="test", status=U)

SELF = Instrument(
    code="self_assessment",
    kind=InstrumentKind.FORM,
    title=_t("self"),
    scales=(DEV,),
    items=tuple(
        Item(
            code=f"rml_d0{i}",
            title=Text(nl=f"Domein {i} met een vrij lange Nederlandse naam", en=f"Domain {i}")
            if i < 3
            else Text(),
            scale="leadership_development",
            evidences=(f"rml.d0{i}",),
        )
        for i in (1, 2, 3)
    ),
    self_assessment=True,
    respondent_roles=(
        RespondentRole(code="aios", title=_t("aios")),
        RespondentRole(code="opleider", title=_t("opleider")),
    ),
    source="test",
    status=U,
)
KPB = Instrument(
    code="kpb",
    kind=InstrumentKind.FORM,
    title=_t("kpb"),
    scales=(LIKERT,),
    items=(
        Item(code="verantwoordelijkheid", title=_t("v"), scale="likert", evidences=("rml.d01.c2",)),
    ),
    source="test",
    status=U,
)
EPA = Instrument(
    code="epa",
    kind=InstrumentKind.FORM,
    title=_t("epa"),
    scales=(ENTRUST,),
    items=(Item(code="mdo", title=_t("mdo"), scale="bekwaamheidsniveau", evidences=("rml.d02",)),),
    source="test",
    status=U,
)
MSF = Instrument(
    code="msf",
    kind=InstrumentKind.FORM,
    title=_t("msf"),
    scales=(LIKERT,),
    items=(
        Item(
            code="initiatief",
            title=Text(nl="Neemt initiatief", en="Takes initiative"),
            scale="likert",
            evidences=("rml.d01",),
        ),
        Item(
            code="verbindt",
            title=Text(nl="Verbindt", en="Connects"),
            scale="likert",
            evidences=("canmeds2015.leader.3",),
        ),
    ),
    respondent_roles=(
        RespondentRole(code="specialist", title=Text(nl="specialist", en="specialist")),
        RespondentRole(code="verpleegkundige", title=Text(nl="verpleegkundige", en="nurse")),
        RespondentRole(code="aios", title=Text(nl="mede-aios", en="fellow resident")),
    ),
    min_respondents=3,
    source="test",
    status=U,
)
ACTIVITY = Instrument(
    code="activity",
    kind=InstrumentKind.ACTIVITY,
    title=_t("a"),
    scales=(NARR,),
    source="test",
    status=U,
)
REFLECTION = Instrument(
    code="reflection",
    kind=InstrumentKind.REFLECTION,
    title=_t("r"),
    self_assessment=True,
    source="test",
    status=U,
)
INSTRUMENTS = {i.code: i for i in (SELF, KPB, EPA, MSF, ACTIVITY, REFLECTION)}


def _req(instrument: str, n: int) -> EvidenceRequirement:
    return EvidenceRequirement(
        instrument=instrument, min_count=n, description=_t(f"{n} {instrument}")
    )


CURRICULUM = Curriculum(
    id="test",
    title=_t("test"),
    duration_years=3,
    years=(
        YearExpectation(
            year=1,
            expected={"*": "ontwikkeling"},
            required_evidence=(_req("kpb", 2), _req("self_assessment", 1)),
        ),
        YearExpectation(
            year=2,
            expected={"*": "frontline", "rml.d03": "ontwikkeling"},
            required_evidence=(_req("kpb", 2), _req("msf", 1), _req("activity", 1)),
        ),
        YearExpectation(year=3, expected={"*": "klinisch"}),
    ),
    source="test",
    status=U,
)

FRAMEWORK = Framework(
    id="rml",
    kind=FrameworkKind.COMPETENCY_FRAMEWORK,
    title=_t("RML"),
    publisher="test",
    year=2015,
    version="1.0",
    source="s",
    status=Status.PARTIAL,
    sources=(Source(id="s", title="s"),),
    domains=(
        Domain(
            code="rml.d01",
            title=Text(nl="Leiden vanuit visie", en="Leading from a vision"),
            order=1,
            source="s",
            status=Status.CONFIRMED,
        ),
        Domain(
            code="rml.d02",
            title=Text(nl="Persoonlijke ontwikkeling", en="Personal development"),
            order=2,
            source="s",
            status=Status.CONFIRMED,
        ),
        Domain(
            code="rml.d03",
            title=Text(nl="Voorbeeldgedrag", en="Role modelling"),
            order=3,
            source="s",
            status=Status.UNVERIFIED,
        ),
        # an empty slot: no name loaded, so not assessable
        Domain(code="rml.d04", title=Text(), order=4, source="s", status=Status.UNVERIFIED),
    ),
)

START = date(2023, 9, 1)
AS_OF = date(2025, 6, 1)  # training year 2: expected frontline (3), rml.d03 ontwikkeling (2)

AIOS = pd.Series(
    {
        "aios_id": "a1",
        "display_name": "Test Aios",
        "specialty": "interne_geneeskunde",
        "start_date": pd.Timestamp(START),
        "hospital": "Ziekenhuis",
        "opleider": "Dr. O",
    }
)

SCORE_COLUMNS = [
    "form_id",
    "aios_id",
    "instrument",
    "date",
    "assessor",
    "assessor_role",
    "item",
    "score",
    "comment",
]
FORM_COLUMNS = ["form_id", "aios_id", "instrument", "date", "assessor", "assessor_role", "comment"]
ACTIVITY_COLUMNS = [
    "activity_id",
    "aios_id",
    "activity_type",
    "title",
    "start_date",
    "end_date",
    "track",
    "domains",
]
REFLECTION_COLUMNS = ["reflection_id", "aios_id", "date", "domain", "text"]


def score(
    form_id: str,
    day: str,
    item: str,
    value: float,
    *,
    instrument: str = "self_assessment",
    assessor: str = "opl1",
    role: str = "opleider",
    comment: str | None = "goed gedaan",
    aios_id: str = "a1",
) -> dict[str, Any]:
    """One score row."""
    return {
        "form_id": form_id,
        "aios_id": aios_id,
        "instrument": instrument,
        "date": pd.Timestamp(day),
        "assessor": assessor,
        "assessor_role": role,
        "item": item,
        "score": float(value),
        "comment": comment,
    }


def scores_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=SCORE_COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"])
    frame["score"] = frame["score"].astype(float)
    return frame


def forms_of(scores: pd.DataFrame) -> pd.DataFrame:
    """The forms behind a scores frame (form comment empty)."""
    forms = scores.drop_duplicates("form_id")[FORM_COLUMNS[:-1]].copy()
    forms["comment"] = None
    return forms.reset_index(drop=True)


def empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: [] for c in columns})


def activities_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=ACTIVITY_COLUMNS)
    for c in ("start_date", "end_date"):
        frame[c] = pd.to_datetime(frame[c])
    return frame


def reflections_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=REFLECTION_COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def opleider_ratings(item: str, values: list[int], *, prefix: str = "f") -> list[dict[str, Any]]:
    """Opleider ratings of one item by two alternating assessors, monthly from 2025-01-10."""
    return [
        score(f"{prefix}{item}{i}", f"2025-0{i + 1}-10", item, v, assessor=f"opl{i % 2 + 1}")
        for i, v in enumerate(values)
    ]
