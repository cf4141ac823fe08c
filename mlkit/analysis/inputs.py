"""Turning the store's DataFrames into per-domain evidence rows the analysis can count.

The store returns one row per item score. :func:`annotate_scores` looks up each row's item in
its instrument, expands it to the RML domains the item evidences (a competency code such as
``rml.d05.c2`` counts for its domain ``rml.d05``), marks self-assessments, maps the score onto
the curriculum's developmental scale where that is possible, and notes whether a narrative
comment is present.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from mlkit.analysis.rules import EvidenceRules
from mlkit.assessments.models import Curriculum, Instrument, InstrumentKind, Scale, ScaleKind
from mlkit.errors import MlkitError

InstrumentsArg = Mapping[str, Instrument] | Iterable[Instrument]

ANNOTATED_COLUMNS = [
    "form_id",
    "obs_key",
    "date",
    "instrument",
    "item",
    "assessor_key",
    "assessor_role",
    "score",
    "domain",
    "level",
    "is_self",
    "narrative",
    "multi_source",
    "source",
]


class AnalysisInputError(MlkitError, ValueError):
    """The instruments and curriculum given to the analysis do not fit together."""

    def __init__(self, curriculum: str, message: str) -> None:
        self.curriculum = curriculum
        self.reason = message
        super().__init__(f"curriculum {curriculum!r}: {message}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.curriculum, self.reason))


@dataclass(frozen=True)
class DevelopmentalScale:
    """The curriculum's developmental scale and the instrument that defines it."""

    instrument: Instrument
    scale: Scale


def instrument_map(instruments: InstrumentsArg) -> dict[str, Instrument]:
    """Return instruments keyed by code, from a mapping or any iterable of instruments."""
    if isinstance(instruments, Mapping):
        return {i.code: i for i in instruments.values()}
    return {i.code: i for i in instruments}


def developmental_scale(
    curriculum: Curriculum, instruments: dict[str, Instrument]
) -> DevelopmentalScale:
    """Return the scale named by ``curriculum.scale`` (``"<instrument>.<scale>"``).

    Raises:
        AnalysisInputError: if the instrument or the scale is not among ``instruments``.
    """
    instrument_code, _, scale_code = curriculum.scale.partition(".")
    instrument = instruments.get(instrument_code)
    if instrument is None:
        raise AnalysisInputError(
            curriculum.id,
            f"its scale {curriculum.scale!r} names unknown instrument {instrument_code!r}",
        )
    try:
        scale = instrument.scale(scale_code)
    except KeyError:
        raise AnalysisInputError(
            curriculum.id, f"instrument {instrument_code!r} has no scale {scale_code!r}"
        ) from None
    return DevelopmentalScale(instrument, scale)


def domain_of(code: str, framework: str) -> str | None:
    """Return the domain a framework code belongs to (``rml.d05.c2`` -> ``rml.d05``), or None."""
    parts = code.split(".")
    if len(parts) < 2 or parts[0] != framework:
        return None
    return f"{parts[0]}.{parts[1]}"


def _has_text(series: pd.Series) -> pd.Series:
    return series.fillna("").astype(str).str.strip() != ""


def annotate_scores(
    scores: pd.DataFrame,
    *,
    forms: pd.DataFrame,
    instruments: dict[str, Instrument],
    dev: DevelopmentalScale,
    framework: str,
    aios_id: str,
    rules: EvidenceRules,
    activities: pd.DataFrame | None = None,
    as_of: date | None = None,
) -> pd.DataFrame:
    """Expand one aios' item scores (and activities) into one row per evidenced domain.

    Rows of unknown instruments or items, NaN scores and items that evidence no domain of
    ``framework`` are dropped. ``level`` is the developmental-scale value (NaN when the score
    cannot be mapped onto that scale).

    How evidence is counted (the appendix prints these rules):

    * ``obs_key`` names the observation source: a form, one MSF round (all forms of one
      multi-source instrument on one date, however many respondents), or one activity.
    * ``assessor_key`` names a distinct assessor: a named person, or, within one MSF round, a
      respondent group (role). Respondent groups below the instrument's minimum are dropped
      altogether, so nothing of a suppressed group counts or shows.
    * A leadership activity (``activities``) counts as one observation for every domain its type
      evidences and every domain it names; it has no assessor and sets no level. It is dated by
      its end date, or ``as_of`` while it runs.

    Returns:
        A frame with :data:`ANNOTATED_COLUMNS`; ``date`` holds Timestamps.
    """
    lookup: dict[tuple[str, str], tuple[list[str], Scale, Instrument]] = {}
    for inst in instruments.values():
        for item in inst.items:
            domains = sorted({d for e in item.evidences if (d := domain_of(e, framework))})
            if domains:
                lookup[(inst.code, item.code)] = (domains, inst.scale(item.scale), inst)
    dev_by_level = {p.level: p.value for p in dev.scale.points if p.level is not None}

    rows: list[dict[str, Any]] = []
    frame = scores[scores["aios_id"] == aios_id]
    frame = frame[frame["score"].notna()]
    frame = drop_small_groups(frame, instruments, at_least=rules.msf_min_respondents)
    form_comment: dict[Any, bool] = {}
    if len(forms):
        mine = forms[forms["aios_id"] == aios_id]
        form_comment = dict(zip(mine["form_id"], _has_text(mine["comment"]), strict=True))
    item_comment = list(_has_text(frame["comment"])) if len(frame) else []
    for pos, row in enumerate(frame.to_dict("records")):
        found = lookup.get((str(row["instrument"]), str(row["item"])))
        if found is None:
            continue
        domains, scale, inst = found
        score = float(row["score"])
        level: float = float("nan")
        if inst.code == dev.instrument.code and scale.code == dev.scale.code:
            level = score
        elif scale.kind is ScaleKind.ORDINAL and int(score) in scale.values():
            mapped = scale.point(int(score)).level
            if mapped is not None and mapped in dev_by_level:
                level = float(dev_by_level[mapped])
        role = text_of(row["assessor_role"])
        assessor = text_of(row["assessor"]).strip()
        multi = inst.min_respondents is not None
        when = pd.Timestamp(row["date"])
        is_self = (assessor == aios_id or role in rules.self_roles) and not multi
        if multi:
            obs_key = f"round:{inst.code}:{when.date().isoformat()}"
            assessor_key = f"{obs_key}:{role}"
        else:
            obs_key = f"form:{row['form_id']}"
            assessor_key = assessor or obs_key
        narrative = bool(item_comment[pos]) or form_comment.get(row["form_id"], False)
        for domain in domains:
            rows.append(
                {
                    "form_id": str(row["form_id"]),
                    "obs_key": obs_key,
                    "date": when,
                    "instrument": inst.code,
                    "item": str(row["item"]),
                    "assessor_key": assessor_key,
                    "assessor_role": role,
                    "score": score,
                    "domain": domain,
                    "level": level,
                    "is_self": is_self,
                    "narrative": narrative,
                    "multi_source": multi,
                    "source": "msf" if multi else "form",
                }
            )
    if activities is not None and len(activities):
        rows += _activity_rows(activities, instruments, framework, aios_id, as_of)
    out = pd.DataFrame(rows, columns=ANNOTATED_COLUMNS)
    out["date"] = pd.to_datetime(out["date"])
    return out.astype(
        {"score": float, "level": float, "is_self": bool, "narrative": bool, "multi_source": bool}
    )


def drop_small_groups(
    scores: pd.DataFrame, instruments: Mapping[str, Instrument], *, at_least: int = 1
) -> pd.DataFrame:
    """Drop the item scores of multi-source respondent groups below their minimum, per round.

    A round is one multi-source instrument's forms of one aios on one date; a group is the forms
    of one respondent role in it. Nothing of a smaller group may count or show. The minimum is
    the instrument's, or ``at_least`` (the evidence rules' ``msf_min_respondents``) when that is
    higher: rules can make the minimum stricter, never weaker than the instrument's.
    """
    multi = {
        c: max(i.min_respondents, at_least) for c, i in instruments.items() if i.min_respondents
    }
    if scores.empty or not multi:
        return scores
    is_multi = scores["instrument"].isin(list(multi))
    if not is_multi.any():
        return scores
    part = scores[is_multi]
    keys = [part["aios_id"], part["instrument"], pd.to_datetime(part["date"]).dt.normalize()]
    keys.append(part["assessor_role"].fillna(""))
    size = part.groupby(keys)["form_id"].transform("nunique")
    minimum = part["instrument"].map(multi)
    small = part.index[size < minimum]
    return scores.drop(index=small)


def _activity_rows(
    activities: pd.DataFrame,
    instruments: Mapping[str, Instrument],
    framework: str,
    aios_id: str,
    as_of: date | None,
) -> list[dict[str, Any]]:
    by_type: dict[str, set[str]] = {}
    for inst in instruments.values():
        if inst.kind is InstrumentKind.ACTIVITY:
            for item in inst.items:
                found = {d for e in item.evidences if (d := domain_of(e, framework))}
                by_type.setdefault(item.code, set()).update(found)
    out: list[dict[str, Any]] = []
    mine = activities[activities["aios_id"] == aios_id]
    for row in mine.to_dict("records"):
        start = _day(row.get("start_date"))
        if start is None or (as_of is not None and start > as_of):
            continue
        end = _day(row.get("end_date"))
        when = end if end is not None and (as_of is None or end <= as_of) else (as_of or start)
        kind = text_of(row.get("activity_type"))
        named = {
            d
            for part in text_of(row.get("domains")).split("|")
            if (d := domain_of(part.strip(), framework))
        }
        for domain in sorted(by_type.get(kind, set()) | named):
            out.append(
                {
                    "form_id": f"activity:{row['activity_id']}",
                    "obs_key": f"activity:{row['activity_id']}",
                    "date": pd.Timestamp(when),
                    "instrument": "activity",
                    "item": kind,
                    "assessor_key": None,
                    "assessor_role": "",
                    "score": float("nan"),
                    "domain": domain,
                    "level": float("nan"),
                    "is_self": False,
                    "narrative": False,
                    "multi_source": False,
                    "source": "activity",
                }
            )
    return out


def _day(value: object) -> date | None:
    if is_missing(value):
        return None
    ts = pd.Timestamp(value)  # type: ignore[arg-type]
    return None if pd.isna(ts) else ts.date()


def is_missing(value: object) -> bool:
    """True for None, NaN, NaT and pandas NA (scalar values only)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


def text_of(value: object) -> str:
    """Return ``value`` as text, with missing values as ``""``."""
    return "" if is_missing(value) else str(value)


def field(record: object, name: str) -> Any:
    """Read ``name`` from a Series, a mapping or an object with attributes (None if absent)."""
    if isinstance(record, pd.Series | Mapping):
        value = record.get(name)
    else:
        value = getattr(record, name, None)
    return None if is_missing(value) else value
