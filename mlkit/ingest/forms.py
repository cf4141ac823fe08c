"""Vectorised validation of assessment rows: one row per item score, a form = rows sharing an id.

Scores are checked once per distinct (instrument, item, score) combination, which is a few
hundred combinations even for a million rows, and broadcast back to the rows.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from mlkit.assessments.models import Instrument, Scale, ScaleKind
from mlkit.forms import rules as form_rules
from mlkit.ingest.checks import (
    MAX_SHORT,
    MAX_TEXT,
    BoolArray,
    Rejects,
    factorize,
    lowered,
    stripped,
)
from mlkit.ingest.columns import ORDER, FileKind
from mlkit.ingest.read import ROW_COLUMN
from mlkit.ingest.validate import (
    Context,
    Validated,
    check_aios,
    check_date,
    check_id,
    check_text,
    split_repeats,
    start_checks,
)

#: Score cells meaning "not applicable" (compared lower-case), besides a scale's own label.
NOT_APPLICABLE = frozenset(
    {
        "",
        "kan niet beoordelen",
        "n.v.t.",
        "nvt",
        "n.v.t",
        "n/a",
        "na",
        "not applicable",
        "cannot judge",
        "-",
    }
)
_COLUMNS = ORDER[FileKind.ASSESSMENTS]
_HEADER = ["aios_id", "instrument", "datum", "beoordelaar", "rol_beoordelaar"]

Outcome = tuple[float, bool, str, str, str]  # value, not applicable, field, reason, message


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", ".")) if text.count(",") <= 1 else math.nan
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def check_score(scale: Scale, text: str) -> Outcome:
    """Check one score cell against a scale: (value, not_applicable, field, reason, message)."""
    low = text.strip().lower()
    na_labels = (
        {t.lower() for t in (scale.not_applicable.nl, scale.not_applicable.en) if t}
        if scale.not_applicable
        else set()
    )
    if low in NOT_APPLICABLE or low in na_labels:
        return math.nan, True, "", "", ""
    if scale.kind is ScaleKind.NARRATIVE:
        return (
            math.nan,
            False,
            "score",
            "narrative_item",
            ("a narrative item takes no score: put the text in toelichting"),
        )
    value = _number(low)
    if scale.kind is ScaleKind.NUMERIC:
        assert scale.min is not None and scale.max is not None
        if value is None:
            return math.nan, False, "score", "invalid_score", "not a number"
        if not scale.min <= value <= scale.max:
            return (
                math.nan,
                False,
                "score",
                "score_out_of_range",
                (f"outside {scale.code} range {scale.min:g}..{scale.max:g}"),
            )
        return value, False, "", "", ""
    allowed = scale.values()
    if value is None:
        for point in scale.points:
            names = {point.code, point.label.nl or "", point.label.en or ""}
            if low in {n.lower() for n in names if n}:
                return float(point.value), False, "", "", ""
        return (
            math.nan,
            False,
            "score",
            "invalid_score",
            (f"not a value of scale {scale.code} ({', '.join(map(str, allowed))})"),
        )
    if value not in allowed:
        return (
            math.nan,
            False,
            "score",
            "score_out_of_range",
            (f"not a value of scale {scale.code} ({', '.join(map(str, allowed))})"),
        )
    return value, False, "", "", ""


def _check_combo(forms: dict[str, Instrument], instrument: str, item: str, score: str) -> Outcome:
    inst = forms.get(instrument.lower())
    if inst is None:
        if not instrument:
            return math.nan, False, "", "", ""  # reported as missing
        return (
            math.nan,
            False,
            "instrument",
            "unknown_instrument",
            ("unknown form instrument; expected one of " + ", ".join(sorted(forms))),
        )
    try:
        scale = inst.scale(inst.item(item).scale)
    except KeyError:
        if not item:
            return math.nan, False, "", "", ""
        return math.nan, False, "item", "unknown_item", f"not an item of instrument {inst.code}"
    return check_score(scale, score)


def _scores(
    f: pd.DataFrame, forms: dict[str, Instrument]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[tuple[BoolArray, str, str, str]]]:
    """Check every row's score; return (value, not applicable, rejected, failures).

    Each distinct (instrument, item, score) is checked once; ``failures`` lists, per
    (field, reason, message), the rows it applies to: (mask, field, reason, message).
    """
    inst_codes, inst_u = factorize(f["instrument"])
    item_codes, item_u = factorize(f["item"])
    score_codes, score_u = factorize(f["score"])
    inst_names = [*map(str, inst_u), ""]
    item_names = [*map(str, item_u), ""]
    score_names = [*map(str, score_u), ""]
    n_item, n_score = len(item_names), len(score_names)
    # code -1 (missing) takes the extra last entry of each list
    inst_codes = np.where(inst_codes < 0, len(inst_names) - 1, inst_codes)
    item_codes = np.where(item_codes < 0, n_item - 1, item_codes)
    score_codes = np.where(score_codes < 0, n_score - 1, score_codes)
    combo = (inst_codes.astype(np.int64) * n_item + item_codes) * n_score + score_codes
    combo_codes, combo_u = pd.factorize(combo)
    outcomes = []
    for c in combo_u.tolist():
        pair, s = divmod(int(c), n_score)
        i, t = divmod(pair, n_item)
        outcomes.append(_check_combo(forms, inst_names[i], item_names[t], score_names[s]))
    value = np.array([o[0] for o in outcomes], dtype=np.float64)[combo_codes]
    na = np.array([o[1] for o in outcomes], dtype=bool)[combo_codes]
    failures: list[tuple[BoolArray, str, str, str]] = []
    messages: dict[tuple[str, str, str], list[int]] = {}
    for k, (_, _, field, reason, message) in enumerate(outcomes):
        if reason:
            messages.setdefault((field, reason, message), []).append(k)
    for (field, reason, message), combos in messages.items():
        mask = np.isin(combo_codes, combos)
        failures.append((np.asarray(mask, dtype=bool), field, reason, message))
    return value, na, combo_codes, failures


def validate_assessments(frame: pd.DataFrame, ctx: Context) -> Validated:
    """Validate assessment rows; return ``forms`` and ``scores`` records.

    The form's header (aios, instrument, date, assessor, role) must be the same on each of its
    rows; its narrative is every non-empty ``toelichting`` of its rows, joined by blank lines.
    """
    f = pd.DataFrame({c: stripped(frame, c) for c in _COLUMNS})
    f["instrument"] = lowered(f["instrument"], categorical=True)
    f[ROW_COLUMN] = frame[ROW_COLUMN].to_numpy()
    rejects = start_checks(f, ctx, _COLUMNS)
    check_id(rejects, f, "formulier_id")
    check_aios(rejects, f, ctx)
    rejects.add(
        (f["instrument"] == "").to_numpy(), "instrument", "missing", "instrument is required"
    )
    rejects.add((f["item"] == "").to_numpy(), "item", "missing", "item is required")
    iso = check_date(rejects, f, "datum", ctx)
    value, na, _, failures = _scores(f, ctx.reference.form_instruments())
    for mask, fld, code, message in sorted(failures, key=lambda x: (x[1], x[2])):
        rejects.add(mask, fld, code, message)
    check_text(rejects, f, "toelichting", required=False, limit=MAX_TEXT)
    check_text(rejects, f, "beoordelaar", required=False, limit=MAX_SHORT)
    check_text(rejects, f, "rol_beoordelaar", required=False, limit=MAX_SHORT)
    f["datum"] = iso
    _check_headers(f, rejects)
    _check_complete(f, rejects, ctx)
    content = pd.DataFrame(
        {
            "formulier_id": f["formulier_id"],
            "item": f["item"],
            "score": value,
            "na": na,
            "toelichting": f["toelichting"],
        }
    )
    for col in _HEADER:
        content[col] = f[col]
    keep, repeated = split_repeats(
        content, rejects.bad, ["formulier_id", "item"], rejects, list(content.columns)
    )
    rows = f.loc[keep]
    scores = pd.DataFrame(
        {
            "form_id": rows["formulier_id"],
            "item": rows["item"],
            "score": value[keep],
            "not_applicable": na[keep].astype(np.int64),
            ROW_COLUMN: rows[ROW_COLUMN],
        }
    ).reset_index(drop=True)
    return Validated(
        {"forms": _forms(rows), "scores": scores}, rejects.table(), int(rejects.bad.sum()), repeated
    )


def _check_headers(f: pd.DataFrame, rejects: Rejects) -> None:
    """Reject rows whose form header differs from the form's first good row."""
    good = np.flatnonzero(~rejects.bad)
    if not len(good):
        return
    sub = f.iloc[good]
    codes, _ = factorize(sub["formulier_id"])
    # Number the forms in order of first appearance; a form's first row is then where its
    # number exceeds every number before it (no sort needed, unlike np.unique).
    form, _ = pd.factorize(codes)
    seen = np.maximum.accumulate(np.concatenate(([-1], form[:-1])))
    first = np.flatnonzero(form > seen)
    differs = np.zeros(len(sub), dtype=bool)
    for col in _HEADER:
        values, _ = factorize(sub[col])
        differs |= values != values[first][form]
    mask = np.zeros(len(f), dtype=bool)
    mask[good[differs]] = True
    rejects.add(
        mask,
        "formulier_id",
        "form_mismatch",
        "aios_id, instrument, datum, beoordelaar or rol_beoordelaar differ from the "
        "form's first row",
    )


def _check_complete(f: pd.DataFrame, rejects: Rejects, ctx: Context) -> None:
    """Reject every row of a form that lacks a required item (the same rule as the notebook).

    An item counts as present when a good row of the file gives it or, for a form already
    stored, when the stored form holds it (a correction file may repeat only changed items).
    Vectorised: per form, the number of distinct required items among its good rows is compared
    with the number its instrument requires; only short forms are looked at one by one.
    """
    good = ~rejects.bad
    if not good.any():
        return
    required = {
        code: form_rules.required_items(inst, ctx.reference.untitled_codes)
        for code, inst in ctx.reference.form_instruments().items()
    }
    inst_codes, inst_names = factorize(f["instrument"])
    item_codes, item_names = factorize(f["item"])
    form_codes, _ = factorize(f["formulier_id"])
    wanted = np.zeros((len(inst_names) + 1, len(item_names) + 1), dtype=bool)
    n_needed = np.zeros(len(inst_names) + 1, dtype=np.int64)
    for i, name in enumerate(map(str, inst_names)):
        need = required.get(name, frozenset())
        n_needed[i] = len(need)
        wanted[i, : len(item_names)] = [str(t) in need for t in item_names]
    n_forms = int(form_codes.max()) + 2
    form_inst = np.full(n_forms, -1, dtype=np.intp)
    form_inst[form_codes[good]] = inst_codes[good]
    hit = good & wanted[inst_codes, item_codes]
    pairs = np.unique(form_codes[hit].astype(np.int64) * (len(item_names) + 1) + item_codes[hit])
    have = np.bincount(pairs // (len(item_names) + 1), minlength=n_forms)
    short = np.flatnonzero((have < n_needed[form_inst]) & (form_inst >= 0))
    if not len(short):
        return
    rows = np.flatnonzero(np.isin(form_codes, short) & good)
    sub = f.iloc[rows]
    present: dict[str, set[str]] = {}
    for fid, item in zip(sub["formulier_id"].astype(str), sub["item"].astype(str), strict=True):
        present.setdefault(fid, set()).add(item)
    heads = sub.drop_duplicates("formulier_id")
    missing: dict[str, list[str]] = {}
    for fid, inst in zip(heads["formulier_id"].astype(str), heads["instrument"], strict=True):
        need = required.get(str(inst), frozenset())
        gaps = [c for c in sorted(need) if c not in present.get(fid, set())]
        if gaps:
            missing[fid] = gaps
    if missing and ctx.stored_items is not None:
        stored = ctx.stored_items(sorted(missing))
        missing = {k: [c for c in v if c not in stored.get(k, ())] for k, v in missing.items()}
    by_text: dict[str, list[str]] = {}
    for fid, gaps in missing.items():
        if gaps:
            by_text.setdefault(", ".join(gaps), []).append(fid)
    form_ids = f["formulier_id"].astype(object)
    for items, fids in by_text.items():
        mask = form_ids.isin(fids).to_numpy()
        text = form_rules.message("incomplete_form", "en", items=items)
        rejects.add(mask, "formulier_id", "incomplete_form", text)


def _forms(rows: pd.DataFrame) -> pd.DataFrame:
    firsts = rows.drop_duplicates("formulier_id", keep="first")
    noted = rows.loc[rows["toelichting"] != "", ["formulier_id", "toelichting"]].astype(object)
    noted = noted.drop_duplicates()
    several = noted["formulier_id"].duplicated(keep=False).to_numpy()
    single = noted.loc[~several]
    comments = pd.Series(
        single["toelichting"].to_numpy(), index=single["formulier_id"].to_numpy(), dtype=object
    )
    if several.any():
        grouped = noted.loc[several].groupby("formulier_id", sort=False)["toelichting"]
        comments = pd.concat([comments, grouped.agg("\n\n".join)])
    return pd.DataFrame(
        {
            "form_id": firsts["formulier_id"],
            "aios_id": firsts["aios_id"],
            "instrument": firsts["instrument"],
            "date": firsts["datum"],
            "assessor": firsts["beoordelaar"],
            "assessor_role": firsts["rol_beoordelaar"],
            "comment": firsts["formulier_id"]
            .astype(object)
            .map(comments)
            .astype(object)
            .fillna(""),
            ROW_COLUMN: firsts[ROW_COLUMN],
        }
    ).reset_index(drop=True)


__all__ = ["NOT_APPLICABLE", "check_score", "validate_assessments"]
