"""Saving a filled form once: a submission holds import-layout rows and a submission id.

A submission is validated by the importer's own code (:func:`mlkit.ingest.importer.validate`,
whole-form rule included) and stored with its records in one write transaction, together with a
row in the store's ``submissions`` table. Saving a submission whose id is already stored stores
nothing and says so: pressing Opslaan twice, or merging an extract back twice, is harmless.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from mlkit.errors import Problem
from mlkit.ingest.columns import ORDER, FileKind
from mlkit.ingest.errors import RowsRejectedError
from mlkit.ingest.importer import validate, write_in
from mlkit.ingest.read import ROW_COLUMN
from mlkit.ingest.reference import Reference
from mlkit.store import Store

Rows = list[dict[str, str]]


def new_submission_id(prefix: str = "form") -> str:
    """Return a fresh submission id such as ``kpb-3f2a9c0d1e4b5a67`` (given when a form opens)."""
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


@dataclass(frozen=True)
class Submission:
    """One filled form: its id, whose it is, and its rows per import kind (Dutch column names).

    Attributes:
        submission_id: Given when the form was opened; the idempotency key.
        aios_id: Whose records these are.
        kind: What was filled in (``assessment``, ``activity``, ``reflection``).
        tables: Import kind (``assessments``, ``activities``, ``reflections``) -> rows.
    """

    submission_id: str
    aios_id: str
    kind: str
    tables: Mapping[str, Rows] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        """The number of rows over every table."""
        return sum(len(rows) for rows in self.tables.values())

    def payload(self) -> str:
        """The rows as JSON (stored with the submission, read back by :meth:`from_payload`)."""
        return json.dumps({"tables": self.tables}, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_payload(cls, submission_id: str, aios_id: str, kind: str, payload: str) -> Submission:
        """Rebuild a submission from its stored JSON payload."""
        data: dict[str, Any] = json.loads(payload)
        tables = {str(k): [dict(r) for r in v] for k, v in dict(data["tables"]).items()}
        return cls(submission_id, aios_id, kind, tables)


@dataclass(frozen=True)
class SaveOutcome:
    """What :func:`save_submission` did.

    Attributes:
        submission_id: The submission.
        saved: True when stored now; False when it was stored before (nothing stored now).
        stored: Rows stored as new records (per row of the submission).
        duplicates: Rows whose content was already stored.
    """

    submission_id: str
    saved: bool
    stored: int
    duplicates: int


class SubmissionRejectedError(RowsRejectedError):
    """A submission failed validation; nothing of it was stored. Carries every problem."""


def _frame(kind: FileKind, rows: Rows) -> pd.DataFrame:
    columns = list(ORDER[kind])
    frame = pd.DataFrame([{c: r.get(c, "") for c in columns} for r in rows], dtype=object)
    frame[ROW_COLUMN] = range(1, len(frame) + 1)
    return frame


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def save_submission(
    store: Store,
    submission: Submission,
    *,
    today: date | None = None,
    reference: Reference | None = None,
) -> SaveOutcome:
    """Validate ``submission`` and store it once.

    Example:
        >>> with Store.open(Path("mlkit.db")) as store:  # doctest: +SKIP
        ...     save_submission(store, submission).saved
        True

    Raises:
        SubmissionRejectedError: listing every problem; nothing is stored.
    """
    ref = reference if reference is not None else Reference.load()
    checked = []
    problems: list[Problem] = []
    for name, rows in submission.tables.items():
        if not rows:
            continue
        kind = FileKind(name)
        validated = validate(kind, _frame(kind, rows), store, today=today, reference=ref)
        for r in validated.rejects.itertuples():
            value = str(r.value)[:80]
            problems.append(
                Problem(f"{name} row {r.row}, {r.field}", str(r.reason), str(r.message), value)
            )
        checked.append((kind, len(rows), validated))
    if problems:
        raise SubmissionRejectedError(submission.submission_id, problems)
    payload = submission.payload()
    stored = duplicates = 0
    with store.writer() as writer:
        if writer.has_submission(submission.submission_id):
            return SaveOutcome(submission.submission_id, False, 0, submission.rows)
        first: int | None = None
        for kind, n, validated in checked:
            import_id, new, dup = write_in(
                writer,
                kind,
                validated,
                name=f"{submission.kind}:{submission.submission_id}",
                sha256=_digest(payload),
                rows_read=n,
            )
            first = import_id if first is None else first
            stored, duplicates = stored + new, duplicates + dup
        if first is None:
            raise SubmissionRejectedError(
                submission.submission_id, [Problem("form", "empty", "the form holds no answers")]
            )
        writer.submit(submission.submission_id, submission.aios_id, submission.kind, payload, first)
    return SaveOutcome(submission.submission_id, True, stored, duplicates)


__all__ = [
    "SaveOutcome",
    "Submission",
    "SubmissionRejectedError",
    "new_submission_id",
    "save_submission",
]
