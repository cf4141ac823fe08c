"""Errors raised by the assessment store.

Each error keeps the arguments it was built from, so it survives pickling with its data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mlkit.errors import MlkitError


class AiosNotFoundError(MlkitError, LookupError):
    """A query named an aios that is not in the store."""

    def __init__(self, aios_id: str) -> None:
        self.aios_id = aios_id
        super().__init__(f"unknown aios {aios_id!r}: not in the store (import a roster first)")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.aios_id,))


class StoreError(MlkitError, RuntimeError):
    """The store file cannot be opened or used (not a database, newer schema, locked)."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.reason))


class StoreSchemaError(StoreError):
    """The store was written by a newer mlkit: its schema version is unknown to this one."""

    def __init__(self, path: str | Path, found: int, supported: int) -> None:
        self.found = found
        self.supported = supported
        super().__init__(
            path,
            f"store schema version {found} is newer than this mlkit supports ({supported}):"
            " upgrade mlkit; the store was not changed",
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.found, self.supported))


class NotAStoreError(StoreError):
    """The file is not an mlkit store (another kind of file, or another application's database).

    mlkit never writes to such a file.
    """


class StoreCorruptError(StoreError):
    """The store fails SQLite's integrity check; mlkit does not write to it."""


class StoreLockedError(StoreError):
    """Another process held the store's lock for longer than the busy timeout."""


class StoreReadOnlyError(StoreError):
    """The store (or its directory) cannot be written."""


class StoreFullError(StoreError):
    """The disk (or the store's size limit) is full; the transaction was rolled back."""


__all__ = [
    "AiosNotFoundError",
    "NotAStoreError",
    "StoreCorruptError",
    "StoreError",
    "StoreFullError",
    "StoreLockedError",
    "StoreReadOnlyError",
    "StoreSchemaError",
]
