"""Specialty names: how a roster's specialty resolves to a curriculum.

A name matches a curriculum's id, specialty code, Dutch and English titles and ``aliases``, after
:func:`normalise_specialty` (case, accents, spaces, ``_`` and ``-`` ignored). The default
curriculum is reached only through its own ``aliases``: a name nobody declared is refused with
:class:`~mlkit.assessments.errors.UnknownSpecialtyError`, never defaulted.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from mlkit.assessments._checks import at
from mlkit.assessments.errors import UnknownSpecialtyError
from mlkit.assessments.models import Curriculum
from mlkit.errors import Problem


def _names(cur: Curriculum) -> list[tuple[str, str]]:
    """The (key path, name) pairs a specialty name may resolve through."""
    out = [(f"aliases[{i}]", a) for i, a in enumerate(cur.aliases)]
    if cur.extends is None:  # the default is reached only through its own aliases
        return out
    own = [("id", cur.id), ("specialty", cur.specialty or ""), ("title.nl", cur.title.nl or "")]
    return [*own, ("title.en", cur.title.en or ""), *out]


def name_problems(
    cur: Curriculum, lines: Mapping[str, int], names: dict[str, str]
) -> list[Problem]:
    """Return a problem for each name of ``cur`` that ``names`` already gives another curriculum.

    ``names`` (normalised name -> curriculum id) is filled in as a side effect.
    """
    problems: list[Problem] = []
    for loc, name in _names(cur):
        key = normalise_specialty(name)
        if not key:
            continue
        owner = names.setdefault(key, cur.id)
        if owner != cur.id:
            problems.append(
                Problem(
                    at(loc, lines),
                    "duplicate_name",
                    f"this specialty name already resolves to curriculum {owner!r}",
                    name,
                )
            )
    return problems


def normalise_specialty(name: str) -> str:
    """Return the matching form of a specialty name, e.g. ``"interne geneeskunde"``.

    ``"Interne_Geneeskunde"`` and ``" interne  geneeskunde"`` both match: case and accents are
    ignored, and ``_``, ``-``, ``.``, ``/`` and runs of spaces count as one space.
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[\s_\-./]+", " ", text).strip()


def specialty_index(curricula: Mapping[str, Curriculum]) -> dict[str, str]:
    """Return normalised specialty name -> curriculum id, for every name a roster may use."""
    index: dict[str, str] = {}
    for cur in curricula.values():
        for _, name in _names(cur):
            key = normalise_specialty(name)
            if key:
                index.setdefault(key, cur.id)
    return index


def known_specialty_names(curricula: Mapping[str, Curriculum], lang: str = "nl") -> list[str]:
    """Return the names a roster may use, for messages: display names, then default aliases."""
    shown = {c.display_name(lang) for c in curricula.values() if c.extends is not None}
    for cur in curricula.values():
        if cur.extends is None:
            shown |= set(cur.aliases)
    return sorted(shown, key=str.casefold)


def resolve_specialty(name: str, curricula: Mapping[str, Curriculum]) -> str:
    """Return the id of the curriculum that specialty ``name`` resolves to.

    Example:
        >>> resolve_specialty("Heelkunde", load_curricula())  # doctest: +SKIP
        'chirurgie'

    Raises:
        UnknownSpecialtyError: when no curriculum declares the name, with the known names.
    """
    cid = specialty_index(curricula).get(normalise_specialty(name))
    if cid is None:
        raise UnknownSpecialtyError(name, known_specialty_names(curricula))
    return cid


def specialty_code(name: str, curricula: Mapping[str, Curriculum]) -> str:
    """Return the code to store for specialty ``name``: its curriculum's specialty code.

    A name that is an alias of the default curriculum is kept as written (stripped), so that it
    resolves again through that alias.

    Raises:
        UnknownSpecialtyError: when the name does not resolve.
    """
    cur = curricula[resolve_specialty(name, curricula)]
    return cur.specialty if cur.specialty is not None else name.strip()


__all__ = [
    "known_specialty_names",
    "name_problems",
    "normalise_specialty",
    "resolve_specialty",
    "specialty_code",
    "specialty_index",
]
