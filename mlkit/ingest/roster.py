"""Roster checks: the specialty resolves to a curriculum; part-time and extension columns.

A specialty name resolves through the curricula's names and aliases
(:mod:`mlkit.assessments.specialties`); a name no curriculum declares is rejected with the known
names, never given the default curriculum. The optional columns ``deeltijdfactor`` (per cent,
e.g. ``80`` or ``80%``), ``verlenging_maanden`` and ``onderbreking_maanden`` (whole months) are
stored as canonical text (``"80"``, ``"6"``), ``""`` when empty.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
import pandas as pd

from mlkit.assessments.errors import UnknownSpecialtyError
from mlkit.assessments.models import Curriculum
from mlkit.assessments.specialties import known_specialty_names, specialty_code
from mlkit.ingest.checks import Rejects, factorize

#: Roster column -> store column, for the optional schedule columns.
SCHEDULE = {
    "deeltijdfactor": "part_time_percent",
    "verlenging_maanden": "extension_months",
    "onderbreking_maanden": "interruption_months",
}
MAX_MONTHS = 120  #: the longest extension or interruption accepted (months)

_Objects = npt.NDArray[np.object_]


def check_specialty(
    rejects: Rejects, frame: pd.DataFrame, col: str, curricula: Mapping[str, Curriculum]
) -> _Objects:
    """Reject specialty names no curriculum declares; return the canonical codes per row."""
    ids, uniques = factorize(frame[col])
    codes: list[str] = []
    bad: list[bool] = []
    for value in uniques:
        text = str(value).strip()
        try:
            codes.append(specialty_code(text, curricula) if text else "")
            bad.append(False)
        except UnknownSpecialtyError:
            codes.append(text)
            bad.append(True)
    mask = np.array([*bad, False], dtype=bool)[ids]
    known = ", ".join(known_specialty_names(curricula))
    rejects.add(
        mask,
        col,
        "unknown_specialty",
        f"no curriculum for this specialty; known: {known} "
        "(a programme adds other names to a curriculum's aliases)",
    )
    return np.array([*codes, ""], dtype=object)[ids]


def _percent(text: str) -> str | None:
    """``"80"``, ``"80%"``, ``"80,0"`` -> ``"80"``; None when not a percentage in (0, 100]."""
    try:
        value = float(text.replace("%", "").replace(",", ".").strip())
    except ValueError:
        return None
    return f"{value:g}" if 0 < value <= 100 else None


def _months(text: str) -> str | None:
    """``"6"`` or ``"6,0"`` -> ``"6"``; None when not whole months in [0, MAX_MONTHS]."""
    try:
        value = float(text.replace(",", ".").strip())
    except ValueError:
        return None
    return str(int(value)) if value == int(value) and 0 <= value <= MAX_MONTHS else None


def check_schedule_columns(rejects: Rejects, frame: pd.DataFrame) -> dict[str, _Objects]:
    """Check the optional part-time and extension columns; return store column -> values."""
    parsers = {
        "deeltijdfactor": (_percent, "invalid_percentage", "a percentage above 0, at most 100"),
        "verlenging_maanden": (
            _months,
            "invalid_months",
            f"whole months from 0 to {MAX_MONTHS}",
        ),
        "onderbreking_maanden": (
            _months,
            "invalid_months",
            f"whole months from 0 to {MAX_MONTHS}",
        ),
    }
    out: dict[str, _Objects] = {}
    for col, (parse, reason, message) in parsers.items():
        ids, uniques = factorize(frame[col])
        values: list[str] = []
        bad: list[bool] = []
        for value in uniques:
            text = str(value).strip()
            parsed = parse(text) if text else ""
            values.append(parsed or "")
            bad.append(parsed is None)
        rejects.add(np.array([*bad, False], dtype=bool)[ids], col, reason, message)
        out[SCHEDULE[col]] = np.array([*values, ""], dtype=object)[ids]
    return out


__all__ = ["MAX_MONTHS", "SCHEDULE", "check_schedule_columns", "check_specialty"]
