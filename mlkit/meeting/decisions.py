"""Committee decisions: record, correct (supersede), history and latest per aios, CSV export.

A decision holds the besluit, motivering, afspraken, the next evaluation date, who recorded it
and when, and the proposal it was taken on (outcome and rules version). The store keeps every
decision for ever; a correction is a new decision that supersedes the earlier one.

Example:
    >>> with Store.open(db) as store:  # doctest: +SKIP
    ...     d = record_decision(store, "A0001", besluit="voldoende", motivering="Op schema.",
    ...                         recorded_by="dr. T. Est").decision
    ...     correct_decision(store, d.decision_id, besluit="aangehouden", motivering="...",
    ...                      recorded_by="dr. T. Est")
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mlkit.atomic import write_bytes_atomic
from mlkit.errors import MlkitError
from mlkit.ingest.csvsafe import CSV_DELIMITER, neutralise_cell, printable
from mlkit.store import AiosNotFoundError, Store

MAX_TEXT = 4000


class Besluit(StrEnum):
    """What the committee decided (``aangehouden`` is mlkit's proposal: decide later)."""

    VOLDOENDE = "voldoende"
    ONVOLDOENDE = "onvoldoende"
    AANGEHOUDEN = "aangehouden"


class DecisionError(MlkitError, ValueError):
    """A decision cannot be recorded: a field is missing or wrong, or the correction is invalid."""

    def __init__(self, aios_id: str, field: str, value: object, reason: str) -> None:
        self.aios_id = aios_id
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"decision for {aios_id}: {field} = {value!r}: {reason}")

    def __reduce__(self) -> tuple[type[DecisionError], tuple[str, str, object, str]]:
        return (type(self), (self.aios_id, self.field, self.value, self.reason))


class Decision(BaseModel):
    """One recorded decision (``decision_id`` is None until it is stored)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    decision_id: int | None = None
    entry_id: str = Field(min_length=1)
    aios_id: str = Field(min_length=1)
    besluit: Besluit
    motivering: str = Field(min_length=1, max_length=MAX_TEXT)
    afspraken: str = Field(default="", max_length=MAX_TEXT)
    next_evaluation: date | None = None
    recorded_by: str = Field(min_length=1, max_length=200)
    recorded_at: datetime
    proposal: str = ""
    rules_version: str = ""
    supersedes: int | None = None
    superseded: bool = False

    @field_validator("motivering", "afspraken", "recorded_by", mode="before")
    @classmethod
    def _strip(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    def row(self) -> dict[str, Any]:
        """The decision as a store row (dates as ISO text, no date as ``""``)."""
        return {
            "entry_id": self.entry_id,
            "aios_id": self.aios_id,
            "besluit": self.besluit.value,
            "motivering": self.motivering,
            "afspraken": self.afspraken,
            "next_evaluation": self.next_evaluation.isoformat() if self.next_evaluation else "",
            "recorded_by": self.recorded_by,
            "recorded_at": self.recorded_at.isoformat(timespec="seconds"),
            "proposal": self.proposal,
            "rules_version": self.rules_version,
            "supersedes": self.supersedes,
        }

    @classmethod
    def from_row(cls, row: Mapping[str, Any], superseded: bool = False) -> Decision:
        """Build a decision from a store row."""
        values = {k: v for k, v in row.items() if k not in ("id", "superseded")}
        values["next_evaluation"] = values["next_evaluation"] or None
        return cls(decision_id=row["id"], superseded=superseded, **values)


@dataclass(frozen=True)
class RecordOutcome:
    """What :func:`record_decision` did: the decision as stored, and whether this call stored it."""

    decision: Decision
    stored: bool


def new_entry_id() -> str:
    """A fresh idempotency key for one decision card (given when the card opens)."""
    return f"decision-{uuid.uuid4().hex[:16]}"


def _validated(aios_id: str, values: dict[str, Any]) -> Decision:
    try:
        return Decision(aios_id=aios_id, **values)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "decision"
        raise DecisionError(aios_id, field, first.get("input"), first["msg"]) from exc


def record_decision(
    store: Store,
    aios_id: str,
    *,
    besluit: str,
    motivering: str,
    recorded_by: str,
    afspraken: str = "",
    next_evaluation: date | None = None,
    entry_id: str | None = None,
    proposal: str = "",
    rules_version: str = "",
    supersedes: int | None = None,
    now: datetime | None = None,
) -> RecordOutcome:
    """Validate and store one decision; with an ``entry_id`` already stored, store nothing.

    Raises:
        DecisionError: for a missing or invalid field, or an invalid correction.
        AiosNotFoundError: when the aios is not in the store.
    """
    if aios_id not in store.aios_ids():
        raise AiosNotFoundError(aios_id)
    recorded_at = now or datetime.now(UTC)
    decision = _validated(
        aios_id,
        {
            "entry_id": entry_id or new_entry_id(),
            "besluit": besluit,
            "motivering": motivering,
            "afspraken": afspraken,
            "next_evaluation": next_evaluation,
            "recorded_by": recorded_by,
            "recorded_at": recorded_at,
            "proposal": proposal,
            "rules_version": rules_version,
            "supersedes": supersedes,
        },
    )
    if next_evaluation is not None and next_evaluation < recorded_at.date():
        raise DecisionError(aios_id, "next_evaluation", next_evaluation, "lies in the past")
    if supersedes is not None:
        earlier = store.decision(supersedes)
        if earlier is None or earlier["aios_id"] != aios_id:
            raise DecisionError(aios_id, "supersedes", supersedes, "no such decision of this aios")
        stored_entry = [d for d in store.decisions(aios_id) if d["entry_id"] == decision.entry_id]
        if earlier["superseded"] and not stored_entry:
            raise DecisionError(aios_id, "supersedes", supersedes, "already corrected")
    decision_id, stored = store.add_decision(decision.row())
    row = store.decision(decision_id)
    assert row is not None
    return RecordOutcome(Decision.from_row(row, bool(row["superseded"])), stored)


def correct_decision(store: Store, decision_id: int, **values: Any) -> RecordOutcome:
    """Record a correction that supersedes decision ``decision_id`` (of the same aios).

    Takes the keyword arguments of :func:`record_decision`.

    Raises:
        DecisionError: when the decision is unknown or already corrected, or a field is invalid.
    """
    earlier = store.decision(decision_id)
    if earlier is None:
        raise DecisionError("?", "supersedes", decision_id, "no such decision")
    return record_decision(store, str(earlier["aios_id"]), supersedes=decision_id, **values)


def history(store: Store, aios_id: str) -> list[Decision]:
    """Every decision about one aios, oldest first, corrected ones marked ``superseded``."""
    return history_of(store.decisions(aios_id))


def history_of(rows: Sequence[Mapping[str, Any]]) -> list[Decision]:
    """Decisions from stored rows (one aios', oldest first), corrected ones marked."""
    replaced = {r["supersedes"] for r in rows if r["supersedes"] is not None}
    return [Decision.from_row(r, r["id"] in replaced) for r in rows]


def latest(store: Store, aios_id: str | None = None) -> dict[str, Decision]:
    """The newest decision still in force per aios (all aios, or one)."""
    out: dict[str, Decision] = {}
    for d in history_of(store.decisions(aios_id)):  # in the order stored: a later row wins
        if not d.superseded:
            out[d.aios_id] = d
    return out


EXPORT_COLUMNS = (
    "decision_id",
    "aios_id",
    "besluit",
    "motivering",
    "afspraken",
    "next_evaluation",
    "recorded_by",
    "recorded_at",
    "proposal",
    "rules_version",
    "supersedes",
    "superseded",
)


def export_csv(store: Store, path: Path) -> int:
    """Write every decision as a ``;``-separated UTF-8 CSV for the ePortfolio, atomically.

    Cells a spreadsheet would run as a formula get a leading apostrophe
    (:func:`mlkit.ingest.csvsafe.neutralise_cell`); texts are kept whole.

    Returns:
        The number of decisions written.
    """
    rows = []
    for aios_id in sorted({str(r["aios_id"]) for r in store.decisions()}):
        for d in history(store, aios_id):
            values = d.model_dump(mode="json")
            rows.append([values[c] for c in EXPORT_COLUMNS])
    frame = pd.DataFrame(rows, columns=list(EXPORT_COLUMNS), dtype=object)
    for col in frame.columns:
        frame[col] = [
            "" if v is None else neutralise_cell(printable(v, limit=MAX_TEXT + 1))
            for v in frame[col]
        ]
    text = frame.to_csv(sep=CSV_DELIMITER, index=False, lineterminator="\r\n")
    write_bytes_atomic(path, text.encode("utf-8-sig"))
    return len(rows)


__all__ = [
    "Besluit",
    "Decision",
    "DecisionError",
    "RecordOutcome",
    "correct_decision",
    "export_csv",
    "history",
    "history_of",
    "latest",
    "new_entry_id",
    "record_decision",
]
