"""The one rule for an aios id, shared by the importer, the store's users and the reports.

An aios id names report files and batch keys, so it is stricter than other ids (form ids may hold
``:`` and ``/``): 1-64 letters, digits, ``.``, ``_`` or ``-``, starting with a letter or digit.
The importer refuses any other aios id, so every stored aios can get a report.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import StringConstraints

AIOS_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$"
AIOS_ID_RULE = "an aios id is 1-64 letters, digits or . _ - and starts with a letter or digit"

AiosId = Annotated[str, StringConstraints(pattern=AIOS_ID_PATTERN)]
"""A str that follows :data:`AIOS_ID_PATTERN` (pydantic checks it in a model field)."""

_AIOS_ID_RE = re.compile(AIOS_ID_PATTERN)


def is_aios_id(text: str) -> bool:
    """Return whether ``text`` is an aios id the reports can use.

    Example:
        >>> is_aios_id("A0001"), is_aios_id("A:1")
        (True, False)
    """
    return _AIOS_ID_RE.fullmatch(text) is not None


__all__ = ["AIOS_ID_PATTERN", "AIOS_ID_RULE", "AiosId", "is_aios_id"]
