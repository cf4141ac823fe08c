"""Personal extracts: one aios' records in a store of their own, and merging them back.

:func:`write_extract` copies an aios' records out of the cohort store into a new store, so the
self-reflection notebook never sees (nor names) the cohort store. :func:`collect_extracts`
merges what the aios saved there back: each submission is validated again by the importer's
code, stored once (a submission id already in the cohort store counts as duplicate rows), and
every row is accounted for: stored + rejected + duplicates = rows read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from mlkit.errors import MlkitError
from mlkit.forms.submit import Submission, SubmissionRejectedError, save_submission
from mlkit.ingest.csvsafe import write_csv
from mlkit.ingest.reference import Reference
from mlkit.store import Store

#: The file name of the extract inside a reflection folder.
EXTRACT_NAME = "mijn-gegevens.db"
_EXTRACT_KIND = "extract"


class ExtractMissingError(MlkitError, FileNotFoundError):
    """No personal extract where one was expected."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path}: no personal extract here (write one with mlkit reflect)")

    def __reduce__(self) -> tuple[type[ExtractMissingError], tuple[Path]]:
        return (type(self), (self.path,))


def write_extract(cohort_db: Path, aios_id: str, out: Path) -> Path:
    """Write the personal extract of ``aios_id`` into ``out/EXTRACT_NAME``; return its path.

    An existing extract there is kept (the aios may have saved into it already).

    Raises:
        AiosNotFoundError: when the aios is not in the cohort store.
        StoreError: when the cohort store cannot be read.
    """
    target = out / EXTRACT_NAME
    if target.exists():
        return target
    with Store.open(cohort_db) as cohort:
        cohort.aios(aios_id)  # raises AiosNotFoundError
    out.mkdir(parents=True, exist_ok=True)
    partial = out / f".{EXTRACT_NAME}.partial"
    partial.unlink(missing_ok=True)
    with Store.open(partial) as store:
        store.write_extract(cohort_db, aios_id, note=f"extract:{aios_id}")
    partial.replace(target)
    return target


@dataclass
class CollectSummary:
    """The outcome of merging extracts: ``stored + rejected + duplicates == rows_read``."""

    rows_read: int = 0
    stored: int = 0
    rejected: int = 0
    duplicates: int = 0
    submissions: int = 0
    rejects_file: str | None = None
    rejects: list[dict[str, str]] = field(default_factory=list)

    def line(self) -> str:
        """One line for the CLI."""
        text = (
            f"{self.submissions} submission(s): {self.rows_read} rows read = {self.stored} stored"
            f" + {self.rejected} rejected + {self.duplicates} duplicates"
        )
        return text + (f"; rejects in {self.rejects_file}" if self.rejects_file else "")


def _extract_path(path: Path) -> Path:
    found = path / EXTRACT_NAME if path.is_dir() else path
    if not found.is_file():
        raise ExtractMissingError(found)
    return found


def _reject(
    summary: CollectSummary, source: Path, sub: str, rows: int, why: str, text: str
) -> None:
    summary.rejected += rows
    summary.rejects.append(
        {
            "extract": str(source),
            "submission_id": sub,
            "rows": str(rows),
            "reason": why,
            "message": text,
        }
    )


def collect_extracts(
    paths: Iterable[Path], cohort_db: Path, *, rejects_path: Path | None = None
) -> CollectSummary:
    """Merge the submissions saved in personal extracts back into the cohort store.

    Args:
        paths: Reflection folders (or extract files) written by ``mlkit reflect``.
        cohort_db: The cohort store.
        rejects_path: Where refused submissions are listed with the reason (CSV); default
            ``collect.rejects.csv`` beside the cohort store, written only when something is refused.

    Raises:
        ExtractMissingError: when a folder holds no extract (nothing is merged then).
    """
    extracts = [_extract_path(Path(p)) for p in paths]
    summary = CollectSummary()
    reference = Reference.load()
    with Store.open(cohort_db) as cohort:
        for path in extracts:
            _collect_one(path, cohort, reference, summary)
    if summary.rejects:
        target = rejects_path or cohort_db.with_name("collect.rejects.csv")
        write_csv(pd.DataFrame(summary.rejects, dtype=object), target)
        summary.rejects_file = str(target)
    return summary


def _collect_one(path: Path, cohort: Store, reference: Reference, summary: CollectSummary) -> None:
    with Store.open(path) as extract:
        owners = extract.aios_ids()
        subs = extract.submissions()
        imports = extract.imports()
    linked = set(subs["import_id"].tolist())
    for name, kind, stored, import_id in zip(
        imports["file_name"], imports["kind"], imports["stored"], imports["import_id"], strict=True
    ):
        # Records written into the extract other than through the form are not merged.
        own = kind == _EXTRACT_KIND or import_id in linked or _same_submission_import(name, subs)
        if not own and stored:
            summary.rows_read += int(stored)
            why = f"import {name!r} was not saved through the form"
            _reject(summary, path, "", int(stored), "not_a_submission", why)
    for sid, aios_id, kind, payload in zip(
        subs["submission_id"], subs["aios_id"], subs["kind"], subs["payload"], strict=True
    ):
        sub = Submission.from_payload(str(sid), str(aios_id), str(kind), str(payload))
        summary.rows_read += sub.rows
        summary.submissions += 1
        if owners != [sub.aios_id]:
            _reject(
                summary,
                path,
                sub.submission_id,
                sub.rows,
                "foreign_aios",
                f"the extract holds {owners}, not only {sub.aios_id}",
            )
            continue
        try:
            outcome = save_submission(cohort, sub, reference=reference)
        except SubmissionRejectedError as exc:
            text = "; ".join(str(p) for p in exc.problems)
            _reject(summary, path, sub.submission_id, sub.rows, "invalid", text)
            continue
        summary.stored += outcome.stored
        summary.duplicates += outcome.duplicates if outcome.saved else sub.rows


def _same_submission_import(file_name: object, subs: pd.DataFrame) -> bool:
    """True when an import belongs to a submission (its second table, e.g. the reflections)."""
    name = str(file_name)
    return any(name.endswith(f":{sid}") for sid in subs["submission_id"].tolist())


__all__ = [
    "EXTRACT_NAME",
    "CollectSummary",
    "ExtractMissingError",
    "collect_extracts",
    "write_extract",
]
