"""Vectorised validation of rosters, activities and reflections (assessments: :mod:`.forms`).

Each ``validate_*`` function takes the file's rows under canonical (Dutch) column names plus
``_row``, and returns a :class:`Validated`: the accepted records under the store's (English)
column names, the rejects table, and the number of rows that repeat an earlier row verbatim.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from mlkit.ids import AIOS_ID_RULE
from mlkit.ingest.checks import (
    MAX_SHORT,
    MAX_TEXT,
    MIN_YEAR,
    BoolArray,
    Rejects,
    bad_aios_ids,
    bad_ids,
    empty,
    factorize,
    has_bad_bytes,
    has_control_chars,
    implausible_years,
    lowered,
    parse_dates,
    stripped,
    too_long,
)
from mlkit.ingest.columns import ORDER, FileKind
from mlkit.ingest.read import ROW_COLUMN
from mlkit.ingest.reference import Reference
from mlkit.ingest.roster import check_schedule_columns, check_specialty


@dataclass(frozen=True)
class Context:
    """What row checks need besides the rows.

    Attributes:
        reference: Instruments, framework codes and talent tracks.
        aios_start: Training start date of every aios in the store (and in this roster).
        today: Dates after this are in the future.
        bad_bytes: The file had undecodable bytes; look for them in every cell.
        bad_rows: Row number -> reason, for rows the parser could not split cleanly.
        stored_items: Form ids -> item codes of the stored form (a correction file may repeat
            only the items it changes); None when nothing is stored.
    """

    reference: Reference
    aios_start: Mapping[str, date]
    today: date
    bad_bytes: bool = False
    bad_rows: Mapping[int, str] = field(default_factory=dict)
    stored_items: Callable[[list[str]], Mapping[str, frozenset[str]]] | None = None


@dataclass(frozen=True)
class Validated:
    """The outcome of validating one file's rows.

    Attributes:
        records: Table name -> accepted records (store column names, plus ``_row``).
        rejects: One row per failure: row, field, value, reason, message.
        rejected_rows: Number of distinct rows rejected.
        repeated: Rows dropped because an earlier row of the file is identical.
    """

    records: dict[str, pd.DataFrame]
    rejects: pd.DataFrame
    rejected_rows: int
    repeated: int


def start_checks(frame: pd.DataFrame, ctx: Context, columns: tuple[str, ...]) -> Rejects:
    """Begin a :class:`Rejects` with the file-level row problems (parser, undecodable bytes)."""
    rejects = Rejects(frame)
    rejects.add_rows(dict(ctx.bad_rows), ROW_COLUMN, "malformed_row")
    if ctx.bad_bytes:
        for col in columns:
            if col in frame:
                rejects.add(
                    has_bad_bytes(frame[col]),
                    col,
                    "invalid_encoding",
                    "bytes that are neither UTF-8 nor Windows-1252",
                )
    for col in columns:  # ids are checked by their pattern, which holds no control character
        if col in frame and not col.endswith("_id"):
            rejects.add(
                has_control_chars(frame[col]),
                col,
                "control_character",
                "a control character (NUL, escape, ...) that no export holds",
            )
    return rejects


def check_id(rejects: Rejects, frame: pd.DataFrame, col: str) -> None:
    """Reject empty or malformed identifiers in ``col``."""
    rejects.add(empty(frame[col]), col, "missing", f"{col} is required")
    rejects.add(
        bad_ids(frame[col]),
        col,
        "invalid_id",
        "an id is 1-64 letters, digits or . _ : / - and starts with a letter or digit",
    )


def check_aios_id(rejects: Rejects, frame: pd.DataFrame) -> None:
    """Reject empty aios ids and ids the reports cannot use (the one rule of :mod:`mlkit.ids`)."""
    rejects.add(empty(frame["aios_id"]), "aios_id", "missing", "aios_id is required")
    rejects.add(bad_aios_ids(frame["aios_id"]), "aios_id", "invalid_aios_id", AIOS_ID_RULE)


def check_aios(rejects: Rejects, frame: pd.DataFrame, ctx: Context) -> None:
    """Reject rows for an aios that is not in the store."""
    check_aios_id(rejects, frame)
    known = frame["aios_id"].isin(list(ctx.aios_start)).to_numpy()
    unknown = ~known & ~empty(frame["aios_id"])
    rejects.add(
        unknown, "aios_id", "unknown_aios", "aios not in the store: import the roster first"
    )


def check_date(
    rejects: Rejects,
    frame: pd.DataFrame,
    col: str,
    ctx: Context,
    *,
    required: bool = True,
    not_before_start: bool = True,
    not_future: bool = True,
) -> np.ndarray:
    """Parse and check a date column; return the ISO strings (``""`` where empty/invalid)."""
    iso, days = parse_dates(frame[col])
    blank = empty(frame[col])
    if required:
        rejects.add(blank, col, "missing", f"{col} is required (dd-mm-jjjj or jjjj-mm-dd)")
    rejects.add(np.isnat(days) & ~blank, col, "invalid_date", "not a date: use dd-mm-jjjj or ISO")
    rejects.add(
        implausible_years(days, ctx.today),
        col,
        "implausible_date",
        f"the year is not plausible (before {MIN_YEAR} or far in the future): write the date as"
        " dd-mm-jjjj with a four-digit year",
    )
    if not_future:
        future = days > np.datetime64(ctx.today, "D")
        rejects.add(future, col, "future_date", f"after today ({ctx.today.isoformat()})")
    if not_before_start and "aios_id" in frame:
        start_map = {k: np.datetime64(v, "D") for k, v in ctx.aios_start.items()}
        codes, uniques = factorize(frame["aios_id"])
        starts = [start_map.get(str(u), np.datetime64("NaT", "D")) for u in uniques]
        start = np.array([*starts, np.datetime64("NaT", "D")], dtype="datetime64[D]")[codes]
        early = days < start
        rejects.add(early, col, "before_training_start", "before the aios' training start date")
    return iso


def check_text(
    rejects: Rejects, frame: pd.DataFrame, col: str, *, required: bool, limit: int
) -> None:
    """Reject missing (when required) or over-long text."""
    if required:
        rejects.add(empty(frame[col]), col, "missing", f"{col} is required")
    rejects.add(too_long(frame[col], limit), col, "too_long", f"longer than {limit} characters")


def check_codes(
    rejects: Rejects, frame: pd.DataFrame, col: str, codes: frozenset[str], *, many: bool
) -> np.ndarray:
    """Check framework codes (``|``-separated when ``many``); return them normalised."""
    ids, uniques = factorize(frame[col])
    normal: list[str] = []
    bad: list[str] = []
    for value in uniques:
        parts = [p.strip() for p in str(value).split("|")] if many else [str(value).strip()]
        parts = [p for p in parts if p]
        unknown = [p for p in parts if p not in codes]
        normal.append("|".join(dict.fromkeys(parts)))
        bad.append(", ".join(unknown))
    bad_arr = np.array([*bad, ""], dtype=object)[ids]
    mask = bad_arr != ""
    rejects.add(
        np.asarray(mask, dtype=bool),
        col,
        "unknown_framework_code",
        np.array(["unknown framework code(s): " + str(b) for b in bad_arr], dtype=object),
    )
    return np.array([*normal, ""], dtype=object)[ids]


def split_repeats(
    frame: pd.DataFrame, bad: BoolArray, key: list[str], rejects: Rejects, columns: list[str]
) -> tuple[BoolArray, int]:
    """Among good rows, drop verbatim repeats and reject rows reusing a key with new content.

    Returns:
        (mask of rows to keep, number of verbatim repeats).
    """
    good = ~bad
    sub = frame.loc[good, columns]
    same_key = sub.duplicated(subset=key, keep="first").to_numpy()
    if not same_key.any():
        return good, 0
    same_row = sub.duplicated(keep="first").to_numpy()
    conflict = np.zeros(len(frame), dtype=bool)
    conflict[np.flatnonzero(good)[same_key & ~same_row]] = True
    rejects.add(
        conflict,
        key[0],
        "duplicate_key",
        f"an earlier row of this file has the same {' + '.join(key)} with other content",
    )
    repeat = np.zeros(len(frame), dtype=bool)
    repeat[np.flatnonzero(good)[same_row]] = True
    return good & ~conflict & ~repeat, int(repeat.sum())


def _finish(
    rejects: Rejects, table: str, records: pd.DataFrame, keep: BoolArray, repeated: int
) -> Validated:
    accepted = records.loc[keep].reset_index(drop=True)
    return Validated({table: accepted}, rejects.table(), int(rejects.bad.sum()), repeated)


def validate_roster(frame: pd.DataFrame, ctx: Context) -> Validated:
    """Validate roster rows (``aios_id;naam;specialisme;startdatum;ziekenhuis;opleider``).

    The specialty must resolve to a curriculum and is stored as its code; the optional
    ``deeltijdfactor``, ``verlenging_maanden`` and ``onderbreking_maanden`` are checked too
    (:mod:`mlkit.ingest.roster`).
    """
    cols = ORDER[FileKind.ROSTER]
    f = pd.DataFrame({c: stripped(frame, c) for c in cols})
    f[ROW_COLUMN] = frame[ROW_COLUMN].to_numpy()
    rejects = start_checks(f, ctx, cols)
    check_aios_id(rejects, f)
    for col, required in (
        ("naam", True),
        ("specialisme", True),
        ("ziekenhuis", False),
        ("opleider", False),
    ):
        check_text(rejects, f, col, required=required, limit=MAX_SHORT)
    iso = check_date(rejects, f, "startdatum", ctx, not_before_start=False, not_future=False)
    curricula = ctx.reference.roster_curricula()
    specialty = check_specialty(rejects, f, "specialisme", curricula)
    schedule = check_schedule_columns(rejects, f)
    records = pd.DataFrame(
        {
            "aios_id": f["aios_id"],
            "display_name": f["naam"],
            "specialty": specialty,
            "start_date": iso,
            "hospital": f["ziekenhuis"],
            "opleider": f["opleider"],
            **schedule,
            ROW_COLUMN: f[ROW_COLUMN],
        }
    )
    keep, repeated = split_repeats(
        records, rejects.bad, ["aios_id"], rejects, [c for c in records.columns if c != ROW_COLUMN]
    )
    return _finish(rejects, "aios_records", records, keep, repeated)


def validate_activities(frame: pd.DataFrame, ctx: Context) -> Validated:
    """Validate activity rows (``activiteit_id;aios_id;soort;omschrijving;startdatum;...``)."""
    cols = ORDER[FileKind.ACTIVITIES]
    f = pd.DataFrame({c: stripped(frame, c) for c in cols})
    f[ROW_COLUMN] = frame[ROW_COLUMN].to_numpy()
    rejects = start_checks(f, ctx, cols)
    check_id(rejects, f, "activiteit_id")
    check_aios(rejects, f, ctx)
    check_text(rejects, f, "omschrijving", required=True, limit=MAX_TEXT)
    kind = lowered(f["soort"])
    rejects.add(empty(kind), "soort", "missing", "soort is required")
    types = ctx.reference.activity_types()
    if types is not None:
        unknown = ~kind.isin(list(types)).to_numpy() & ~empty(kind)
        rejects.add(
            unknown,
            "soort",
            "unknown_activity_type",
            "unknown activity type; expected one of " + ", ".join(sorted(types)),
        )
    start = check_date(rejects, f, "startdatum", ctx)
    end = check_date(
        rejects, f, "einddatum", ctx, required=False, not_before_start=False, not_future=False
    )
    ends_early = (end != "") & (start != "") & (end < start)
    rejects.add(
        np.asarray(ends_early, dtype=bool),
        "einddatum",
        "end_before_start",
        "einddatum is before startdatum",
    )
    track = lowered(f["traject"])
    if ctx.reference.track_names:  # aliases and titles, e.g. the FMS spelling "Talentklas"
        track = track.map(dict(ctx.reference.track_names)).fillna(track)
    prefixed = "talent." + track
    track = track.where(track.isin(list(ctx.reference.track_codes)) | (track == ""), prefixed)
    unknown_track = ~track.isin(list(ctx.reference.track_codes)).to_numpy() & ~empty(track)
    rejects.add(unknown_track, "traject", "unknown_track", "not a known talent track code")
    domains = check_codes(rejects, f, "domeinen", ctx.reference.framework_codes, many=True)
    records = pd.DataFrame(
        {
            "activity_id": f["activiteit_id"],
            "aios_id": f["aios_id"],
            "activity_type": kind,
            "title": f["omschrijving"],
            "start_date": start,
            "end_date": end,
            "track": track,
            "domains": domains,
            ROW_COLUMN: f[ROW_COLUMN],
        }
    )
    keep, repeated = split_repeats(
        records,
        rejects.bad,
        ["activity_id"],
        rejects,
        [c for c in records.columns if c != ROW_COLUMN],
    )
    return _finish(rejects, "activities", records, keep, repeated)


def validate_reflections(frame: pd.DataFrame, ctx: Context) -> Validated:
    """Validate reflection rows (``reflectie_id;aios_id;datum;domein;tekst``)."""
    cols = ORDER[FileKind.REFLECTIONS]
    f = pd.DataFrame({c: stripped(frame, c) for c in cols})
    f[ROW_COLUMN] = frame[ROW_COLUMN].to_numpy()
    rejects = start_checks(f, ctx, cols)
    check_id(rejects, f, "reflectie_id")
    check_aios(rejects, f, ctx)
    iso = check_date(rejects, f, "datum", ctx)
    domain = check_codes(rejects, f, "domein", ctx.reference.framework_codes, many=False)
    check_text(rejects, f, "tekst", required=True, limit=MAX_TEXT)
    records = pd.DataFrame(
        {
            "reflection_id": f["reflectie_id"],
            "aios_id": f["aios_id"],
            "date": iso,
            "domain": domain,
            "text": f["tekst"],
            ROW_COLUMN: f[ROW_COLUMN],
        }
    )
    keep, repeated = split_repeats(
        records,
        rejects.bad,
        ["reflection_id"],
        rejects,
        [c for c in records.columns if c != ROW_COLUMN],
    )
    return _finish(rejects, "reflections", records, keep, repeated)


__all__ = [
    "Context",
    "Validated",
    "check_aios",
    "check_aios_id",
    "check_date",
    "check_id",
    "check_text",
    "start_checks",
    "validate_activities",
    "validate_reflections",
    "validate_roster",
]
