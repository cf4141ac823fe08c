"""Shared bits of the notebook forms: their words in Dutch and English, and small HTML helpers.

Every text shown is escaped; a form's container prints a short line instead of a widget tree
where widgets cannot be shown (a static HTML export of the notebook).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import date

import ipywidgets as w

from mlkit import catalogue
from mlkit.catalogue import plural, word
from mlkit.frameworks.models import Lang

CHOOSE: dict[str, str] = {"nl": "— kies —", "en": "— choose —"}
#: Label width of the forms' fields, so that Dutch labels are not cut off.
STYLE = {"description_width": "120px"}


def long_date(day: date | None, lang: Lang) -> str:
    """A date in words, e.g. ``woensdag 2 december 2026`` (whatever the browser's locale)."""
    if day is None:
        return ""
    return f"{word(f'weekday.{day.weekday()}', lang)} {catalogue.long_date(day, lang)}"


class Words:
    """The forms' words in one language: ``Words("nl")("save") == "Opslaan"``."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang

    def __call__(self, key: str, **values: object) -> str:
        """Return the word ``key``, filled with ``values``."""
        if "n" in values and isinstance(values["n"], int):
            try:  # a phrase with singular and plural forms (form.<key>.one / .other)
                return plural(f"form.{key}", values.pop("n"), self.lang, **values)  # type: ignore[arg-type]
            except KeyError:
                pass
        return word(f"form.{key}", self.lang, **values)


def problem_html(text: str) -> str:
    """A problem message as red HTML (escaped)."""
    return f"<span class='mlkit-problem' style='color:#b00020'>{html.escape(text)}</span>"


def escape_lines(lines: Iterable[str]) -> str:
    """Escaped lines joined with ``<br>``; line breaks inside a line are kept."""
    return "<br>".join(html.escape(line).replace("\n", "<br>") for line in lines)


class _FormBox(w.VBox):  # type: ignore[misc]
    """A VBox that prints one line instead of its widget tree."""

    text = ""

    def __repr__(self) -> str:
        return self.text


def show(box: w.VBox, text: str) -> w.VBox:
    """Wrap ``box``'s children in a container whose plain-text form is ``text``."""
    out = _FormBox(box.children)
    out.text = text
    return out


__all__ = ["CHOOSE", "STYLE", "Words", "escape_lines", "long_date", "problem_html", "show"]
