"""Errors raised while loading instruments and curricula."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mlkit.errors import MlkitError, ValidationProblemsError


class AssessmentValidationError(ValidationProblemsError):
    """An instrument or curriculum file (or a set of them) is not valid."""


class InstrumentNotFoundError(MlkitError, LookupError):
    """No instrument with the requested code is bundled."""

    def __init__(self, code: str, available: Sequence[str]) -> None:
        self.code = code
        self.available = list(available)
        super().__init__(
            f"unknown instrument {code!r}; available: {', '.join(self.available) or 'none'}"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.code, self.available))


class CurriculumNotFoundError(MlkitError, LookupError):
    """No curriculum with the requested id exists (the default curriculum is missing)."""

    def __init__(self, curriculum_id: str, available: Sequence[str]) -> None:
        self.curriculum_id = curriculum_id
        self.available = list(available)
        super().__init__(
            f"unknown curriculum {curriculum_id!r}; "
            f"available: {', '.join(self.available) or 'none'}"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.curriculum_id, self.available))


class UnknownSpecialtyError(MlkitError, LookupError):
    """A specialty name resolves to no curriculum (it is never defaulted silently)."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        self.name = name
        self.known = list(known)
        super().__init__(
            f"unknown specialty {name!r}; known: {', '.join(self.known) or 'none'}"
            " (add the name to a curriculum's aliases, see `mlkit curricula list`)"
        )

    def __reduce__(self) -> tuple[type[UnknownSpecialtyError], tuple[str, list[str]]]:
        return (type(self), (self.name, self.known))
