"""The exception hierarchy of mlkit: one root, subclasses that also inherit a builtin.

Every exception carries the data that explains it (file, row, field, value, aios id) and builds
its message from that data, so the CLI can print one readable line and tests can pin it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class MlkitError(Exception):
    """Root of every error mlkit raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One validation failure: where it is, a reason code and a human-readable message.

    Attributes:
        location: Key path inside the file (``domains[3].code``) or ``row 12, field score``.
        code: Short machine-readable reason, e.g. ``missing``, ``duplicate_code``.
        message: What is wrong, in plain English.
        value: The offending value, as text (truncated), if there is one.
    """

    location: str
    code: str
    message: str
    value: str | None = None

    def __str__(self) -> str:
        shown = f" (value: {self.value!r})" if self.value is not None else ""
        return f"{self.location}: {self.message} [{self.code}]{shown}"


def shorten(value: object, limit: int = 80) -> str:
    """Return ``value`` as text, cut to ``limit`` characters for error messages."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ValidationProblemsError(MlkitError, ValueError):
    """A file failed validation; carries *all* problems found, not just the first."""

    def __init__(self, source: str | Path, problems: Sequence[Problem]) -> None:
        self.source = str(source)
        self.problems = list(problems)
        if len(self.problems) == 1:  # one problem, one line
            super().__init__(f"{self.source}: {self.problems[0]}")
            return
        lines = [f"{self.source}: {len(self.problems)} problem(s)"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.source, self.problems))

    @classmethod
    def raise_combined(cls, errors: Sequence[ValidationProblemsError], what: str) -> None:
        """Raise nothing, the one error, or one error holding every file's problems.

        Args:
            errors: One error per broken file.
            what: What the files are, for the message ("framework", "instrument").
        """
        if not errors:
            return
        if len(errors) == 1:
            raise errors[0]
        problems = [
            Problem(f"{e.source}: {p.location}", p.code, p.message, p.value)
            for e in errors
            for p in e.problems
        ]
        raise cls(f"{len(errors)} {what} files", problems)

    def table(self) -> list[dict[str, str]]:
        """Return the problems as rows (file, location, code, message, value) for a table."""
        return [
            {
                "file": self.source,
                "location": p.location,
                "code": p.code,
                "message": p.message,
                "value": "" if p.value is None else p.value,
            }
            for p in self.problems
        ]


class FrameworkValidationError(ValidationProblemsError):
    """A framework file (or a set of them) is not valid."""


class FrameworkNotFoundError(MlkitError, LookupError):
    """No framework with the requested id is bundled or on the user path."""

    def __init__(self, framework_id: str, available: Sequence[str]) -> None:
        self.framework_id = framework_id
        self.available = list(available)
        super().__init__(
            f"unknown framework {framework_id!r}; available: {', '.join(self.available) or 'none'}"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.framework_id, self.available))


class CaseFormatError(MlkitError, ValueError):
    """A CASE 1.1 JSON package cannot be read back into an mlkit framework."""

    def __init__(self, source: str, location: str, message: str) -> None:
        self.source = source
        self.location = location
        self.reason = message
        super().__init__(f"{source}: {location}: {message}")

    def __reduce__(self) -> tuple[type[CaseFormatError], tuple[str, str, str]]:
        return type(self), (self.source, self.location, self.reason)


__all__ = [
    "CaseFormatError",
    "FrameworkNotFoundError",
    "FrameworkValidationError",
    "MlkitError",
    "Problem",
    "ValidationProblemsError",
    "shorten",
]
