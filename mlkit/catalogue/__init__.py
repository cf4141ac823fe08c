"""One catalogue of words per language, for reports, charts, the committee overview and the CLI.

Every visible word of a report comes from :data:`mlkit.catalogue.nl.WORDS` (Dutch, the default) or
:data:`mlkit.catalogue.en.WORDS` (English). Numbers, dates and plurals are formatted here too, so
a Dutch page reads "3,8", "1 observatie" and "30 juni 2026" and an English page "3.8",
"1 observation" and "30 June 2026".

Example:
    >>> word("status.behind", "en")
    'behind'
    >>> plural("count.observations", 1, "nl")
    '1 observatie'
    >>> number(3.75, "nl")
    '3,8'
"""

from __future__ import annotations

import string
from datetime import date
from typing import Literal

from mlkit.catalogue import en, nl

Lang = Literal["nl", "en"]

_CATALOGUES: dict[str, dict[str, str]] = {"nl": nl.WORDS, "en": en.WORDS}

_MONTHS = {
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}


def word(key: str, lang: Lang = "nl", **values: object) -> str:
    """Return the word or phrase ``key`` in ``lang``, formatted with ``values``.

    Raises:
        KeyError: for an unknown key (a typo must never print a raw key in a report).
    """
    text = _CATALOGUES[lang][key]
    return text.format(**values) if values else text


def plural(key: str, n: int, lang: Lang = "nl", **values: object) -> str:
    """Return phrase ``key`` for the count ``n``: ``key.one`` when ``n == 1``, else ``key.other``.

    Example:
        >>> plural("count.assessors", 2, "en")
        '2 assessors'
    """
    return word(f"{key}.{'one' if n == 1 else 'other'}", lang, n=n, **values)


def number(value: float, lang: Lang = "nl", digits: int = 1) -> str:
    """Return ``value`` with ``digits`` decimals and the language's decimal sign."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "nl" else text


def percent(share: float, lang: Lang = "nl") -> str:
    """Return a share (0–1) as a whole percentage, e.g. ``'75%'``."""
    return f"{round(share * 100)}%"


def long_date(value: date | None, lang: Lang = "nl") -> str:
    """Return a date as people write it: ``'30 juni 2026'`` or ``'30 June 2026'``."""
    if value is None:
        return word("none", lang)
    return f"{value.day} {_MONTHS[lang][value.month - 1]} {value.year}"


def keys(lang: Lang = "nl") -> list[str]:
    """Return every key of the catalogue of ``lang``, sorted."""
    return sorted(_CATALOGUES[lang])


def placeholders(text: str) -> set[str]:
    """Return the names of the ``{placeholders}`` in ``text``."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


__all__ = ["Lang", "keys", "long_date", "number", "percent", "placeholders", "plural", "word"]
