"""Errors of the batch layer: each carries its data, builds a one-line message and pickles.

The CLI prints ``mlkit: error: <message>``; the message names the option, directory or address
and the value, so a committee secretary can act on it without a traceback.
"""

from __future__ import annotations

from typing import Any

from mlkit.errors import MlkitError


class BatchError(MlkitError, RuntimeError):
    """A batch could not run at all (bad options, no aios selected, missing template)."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.message,)


class BatchOptionError(BatchError, ValueError):
    """An option of the batch has a value it cannot work with."""

    def __init__(self, option: str, value: object, reason: str) -> None:
        self.option = option
        self.value = value
        self.reason = reason
        MlkitError.__init__(self, f"{option}: {value!r}: {reason}")
        self.message = str(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.option, self.value, self.reason)


class OutputDirError(BatchError, NotADirectoryError):
    """``--out`` names something that cannot be the batch's output directory."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        MlkitError.__init__(self, f"--out {path}: {reason}")
        self.message = str(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.path, self.reason)


class BatchLockedError(BatchError, BlockingIOError):
    """Another batch is writing into the same output directory."""

    def __init__(self, path: str, holder: str) -> None:
        self.path = path
        self.holder = holder
        MlkitError.__init__(
            self,
            f"--out {path}: another batch is writing here ({holder or 'holder unknown'}); "
            "wait for it to finish, or choose another --out",
        )
        self.message = str(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.path, self.holder)


class StoreUnreadableError(BatchError, OSError):
    """The store cannot be read as an SQLite database."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        MlkitError.__init__(self, f"--db {path}: cannot read the store: {reason}")
        self.message = str(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.path, self.reason)


class SchedulerUnreachableError(BatchError, ConnectionError):
    """No Dask scheduler answered at the ``--executor`` address in time."""

    def __init__(self, address: str, seconds: float, reason: str) -> None:
        self.address = address
        self.seconds = seconds
        self.reason = reason
        MlkitError.__init__(
            self,
            f"--executor {address}: no Dask scheduler answered within {seconds:g} s ({reason})",
        )
        self.message = str(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.address, self.seconds, self.reason)
