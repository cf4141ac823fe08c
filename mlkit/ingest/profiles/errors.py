"""Errors of import profiles: a broken profile file, an unknown name, a file that fits none.

Each error keeps its data (file, profile, names) and survives pickling with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mlkit.errors import MlkitError, ValidationProblemsError
from mlkit.ingest.errors import ImportFileError


class ProfileValidationError(ValidationProblemsError):
    """A profile file is not valid; every problem names the file, the key and the reason."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.source, self.problems))


class ProfileNotFoundError(MlkitError, LookupError):
    """No bundled or user profile has the requested name."""

    def __init__(self, name: str, available: Sequence[str]) -> None:
        self.name = name
        self.available = list(available)
        super().__init__(
            f"unknown import profile {name!r}; available: {', '.join(self.available) or 'none'}"
            " (or give the path of a profile .yaml file)"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.name, self.available))


class ProfileMismatchError(ImportFileError):
    """The file does not have the layout the chosen profile describes (fatal: nothing stored)."""

    def __init__(self, path: str | Path, profile: str, detail: str) -> None:
        self.profile = profile
        self.detail = detail
        super().__init__(path, f"does not fit import profile {profile!r}: {detail}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.profile, self.detail))


class NoProfileFitsError(ImportFileError):
    """Neither mlkit's own layout nor any import profile fits the file's headers."""

    def __init__(self, path: str | Path, available: Sequence[str], detail: str = "") -> None:
        self.available = list(available)
        self.detail = detail
        lead = f"{detail}; " if detail else ""
        super().__init__(
            path,
            f"{lead}no import profile fits its headers either; profiles: "
            f"{', '.join(self.available) or 'none'}. Choose one with --profile NAME (see "
            "`mlkit import --list-profiles`) or write one for this layout (README, "
            "'Import profiles')",
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.available, self.detail))


class SeveralProfilesFitError(ImportFileError):
    """More than one profile fits the file's headers; the user must choose."""

    def __init__(self, path: str | Path, names: Sequence[str]) -> None:
        self.names = list(names)
        super().__init__(
            path,
            f"several import profiles fit its headers ({', '.join(self.names)}): "
            "choose one with --profile NAME",
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.names))


__all__ = [
    "NoProfileFitsError",
    "ProfileMismatchError",
    "ProfileNotFoundError",
    "ProfileValidationError",
    "SeveralProfilesFitError",
]
