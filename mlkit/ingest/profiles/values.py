"""Cleaning vendor values: names for roster matching, map keys, and dates in a profile's formats."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime


def match_key(text: str) -> str:
    """The form in which map keys and values are compared: case and spacing ignored."""
    return " ".join(text.split()).casefold()


def name_key(text: str, order: str = "first_last") -> str:
    """The matching form of a person's name: accents, case and punctuation ignored.

    Example:
        >>> name_key("Öztürk, Chantal", "last_comma_first")
        'chantal ozturk'
    """
    if order == "last_comma_first" and "," in text:
        last, first = text.split(",", 1)
        text = f"{first} {last}"
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def date_format_text(fmt: str) -> str:
    """Show a strptime format as users write it: ``%m/%d/%Y`` -> ``mm/dd/yyyy``."""
    for code, shown in (("%Y", "yyyy"), ("%y", "yy"), ("%m", "mm"), ("%d", "dd")):
        fmt = fmt.replace(code, shown)
    return fmt


def parse_date(text: str, formats: Sequence[str]) -> str | None:
    """Return ``text`` as an ISO date, trying ``formats`` then ISO; None when it is no date.

    Example:
        >>> parse_date("03/14/2024", ["%m/%d/%Y"])
        '2024-03-14'
    """
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    try:
        return date.fromisoformat(text[:10]).isoformat() if len(text) >= 10 else None
    except ValueError:
        return None


__all__ = ["date_format_text", "match_key", "name_key", "parse_date"]
