"""Errors raised by the assessment store."""

from __future__ import annotations

from pathlib import Path

from mlkit.errors import MlkitError


class AiosNotFoundError(MlkitError, LookupError):
    """A query named an aios that is not in the store."""

    def __init__(self, aios_id: str) -> None:
        self.aios_id = aios_id
        super().__init__(f"unknown aios {aios_id!r}: not in the store (import a roster first)")


class StoreError(MlkitError, RuntimeError):
    """The store file cannot be opened or used (not a database, newer schema, locked)."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class StoreSchemaError(StoreError):
    """The store was written by a newer mlkit: its schema version is unknown to this one."""

    def __init__(self, path: str | Path, found: int, supported: int) -> None:
        self.found = found
        self.supported = supported
        super().__init__(
            path, f"store schema version {found} is newer than this mlkit supports ({supported})"
        )


__all__ = ["AiosNotFoundError", "StoreError", "StoreSchemaError"]
