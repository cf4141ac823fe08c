"""Validated writes of single records through the API (self-assessment and reflection notebooks).

They run the same checks as a file import and log an import named ``source``; an invalid record
raises :class:`~mlkit.ingest.errors.RowsRejectedError` and stores nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date

import pandas as pd

from mlkit.errors import Problem
from mlkit.ingest.columns import FileKind
from mlkit.ingest.errors import RowsRejectedError
from mlkit.ingest.importer import ImportSummary, validate, write_validated
from mlkit.ingest.read import ROW_COLUMN
from mlkit.ingest.reference import Reference
from mlkit.store import Store


def _digest(payload: object) -> str:
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _store_rows(
    store: Store,
    kind: FileKind,
    *,
    rows: list[dict[str, str]],
    source: str,
    today: date | None,
    reference: Reference | None,
) -> ImportSummary:
    frame = pd.DataFrame(rows, dtype=object)
    frame[ROW_COLUMN] = range(1, len(frame) + 1)
    validated = validate(kind, frame, store, today=today, reference=reference)
    if validated.rejected_rows:
        problems = [
            Problem(f"{r.field}", str(r.reason), str(r.message), str(r.value)[:80])
            for r in validated.rejects.itertuples()
        ]
        raise RowsRejectedError(source, problems)
    sha = _digest(rows)
    import_id, stored, duplicates = write_validated(
        store, kind, validated, name=source, sha256=sha, rows_read=len(frame)
    )
    return ImportSummary(source, str(kind), len(frame), stored, 0, duplicates, None, import_id, sha)


def add_form(
    store: Store,
    aios_id: str,
    instrument: str,
    when: date,
    scores: Mapping[str, float | int | str | None],
    *,
    assessor: str = "",
    assessor_role: str = "",
    comment: str = "",
    form_id: str | None = None,
    source: str = "add_form",
    today: date | None = None,
    reference: Reference | None = None,
) -> ImportSummary:
    """Validate and store one assessment form (e.g. a self-assessment from a notebook).

    The form goes through the same checks as an imported file and is logged as an import.

    Args:
        store: An open store.
        aios_id: Whose form it is; must be in the store.
        instrument: A form instrument code (``self_assessment``, ``kpb``, ...).
        when: The date of the form; not in the future nor before the training start.
        scores: Item code -> score; ``None`` or ``"n.v.t."`` for not applicable.
        assessor: Who filled it in (the aios for a self-assessment).
        assessor_role: The assessor's role, e.g. ``aios`` or ``opleider``.
        comment: The narrative (toelichting).
        form_id: A stable id; default a hash of the content (so adding it again is a no-op).
        source: Name recorded in the import log.
        today: Dates after this are refused; default today.
        reference: Instruments and framework codes to check against; default the bundled ones.

    Example:
        >>> with Store.open(Path("mlkit.db")) as store:  # doctest: +SKIP
        ...     add_form(store, "A0001", "self_assessment", date(2025, 3, 1), {"rml_d01": 2})

    Raises:
        RowsRejectedError: with every problem found; nothing is stored.
    """
    header = {
        "aios_id": aios_id,
        "instrument": instrument,
        "datum": when.isoformat(),
        "beoordelaar": assessor,
        "rol_beoordelaar": assessor_role,
    }
    items = {k: "" if v is None else str(v) for k, v in scores.items()}
    fid = form_id or f"{instrument}-{_digest([header, items, comment])[:16]}"
    rows = [
        {
            "formulier_id": fid,
            **header,
            "item": item,
            "score": score,
            "toelichting": comment if i == 0 else "",
        }
        for i, (item, score) in enumerate(items.items())
    ]
    if not rows:
        raise RowsRejectedError(source, [Problem("scores", "missing", "a form needs item scores")])
    return _store_rows(
        store, FileKind.ASSESSMENTS, rows=rows, source=source, today=today, reference=reference
    )


def add_reflection(
    store: Store,
    aios_id: str,
    when: date,
    text: str,
    *,
    domain: str = "",
    reflection_id: str | None = None,
    source: str = "add_reflection",
    today: date | None = None,
    reference: Reference | None = None,
) -> ImportSummary:
    """Validate and store one reflection (text stored as text, never interpreted).

    Args:
        store: An open store.
        aios_id: Whose reflection it is; must be in the store.
        when: Its date; not in the future nor before the training start.
        text: The reflection text.
        domain: A framework code, e.g. ``rml.d01``, or empty.
        reflection_id: A stable id; default a hash of the content.
        source: Name recorded in the import log.
        today: Dates after this are refused; default today.
        reference: Instruments and framework codes to check against; default the bundled ones.

    Raises:
        RowsRejectedError: with every problem found; nothing is stored.
    """
    row = {"aios_id": aios_id, "datum": when.isoformat(), "domein": domain, "tekst": text}
    rid = reflection_id or f"refl-{_digest(row)[:16]}"
    rows = [{"reflectie_id": rid, **row}]
    return _store_rows(
        store, FileKind.REFLECTIONS, rows=rows, source=source, today=today, reference=reference
    )


__all__ = ["add_form", "add_reflection"]
