"""Labels for statuses, reasons and headings: a view on :mod:`mlkit.catalogue`.

Charts and reports take every visible word from the catalogue, so a report is wholly in one
language.
Domain titles are not here: they come from the framework through
:func:`mlkit.frameworks.models.display_title`, which marks unverified names.

Example:
    >>> label("status.behind", "en")
    'behind'
"""

from __future__ import annotations

from mlkit.catalogue import keys, word
from mlkit.frameworks.models import Lang


def label(key: str, lang: Lang = "nl", **values: object) -> str:
    """Return the string ``key`` in ``lang``, formatted with ``values``.

    Args:
        key: A key such as ``"status.ahead"`` or ``"msf.suppressed_reason"``.
        lang: ``"nl"`` (default) or ``"en"``.
        **values: Placeholders to fill, e.g. ``min=3, n=2``.

    Raises:
        KeyError: if there is no such label.

    Example:
        >>> label("msf.suppressed_reason", "nl", min=3, n=2)
        'minder dan 3 respondenten (n=2)'
    """
    return word(key, lang, **values)


def label_keys() -> list[str]:
    """Return every known label key (for tests and translators)."""
    return keys("nl")
