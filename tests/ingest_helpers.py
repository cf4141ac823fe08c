"""Shared helpers for the store and import tests."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from mlkit.ingest import ImportSummary, Reference, import_file
from mlkit.store import Store

DATA = Path(__file__).parent / "data"
IMPORT = DATA / "import"
BAD = DATA / "import_bad"
TODAY = date(2025, 1, 1)


@cache
def reference() -> Reference:
    return Reference.load()


def run_import(path: Path, store: Store, rejects: Path | None = None) -> ImportSummary:
    summary = import_file(path, store, rejects_path=rejects, today=TODAY, reference=reference())
    assert summary.stored + summary.rejected + summary.duplicates == summary.rows_read
    return summary


def store_with_roster(db: Path) -> Store:
    store = Store.open(db)
    run_import(IMPORT / "roster.csv", store)
    return store
