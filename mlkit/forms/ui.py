"""Shared bits of the notebook forms: their words in Dutch and English, and small HTML helpers.

Every text shown is escaped; a form's container prints a short line instead of a widget tree
where widgets cannot be shown (a static HTML export of the notebook).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import date

import ipywidgets as w

from mlkit.frameworks.models import Lang

CHOOSE: dict[str, str] = {"nl": "— kies —", "en": "— choose —"}
#: Label width of the forms' fields, so that Dutch labels are not cut off.
STYLE = {"description_width": "120px"}
_MONTHS = [
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
]
_DAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]


def long_date(day: date | None, lang: Lang) -> str:
    """A date in words, e.g. ``woensdag 2 december 2026`` (whatever the browser's locale)."""
    if day is None:
        return ""
    if lang == "nl":
        return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"
    return day.strftime("%A %d %B %Y")


_WORDS: dict[str, tuple[str, str]] = {
    "aios": ("aios", "resident"),
    "choose_aios": ("— kies een aios —", "— choose a resident —"),
    "choose_form": ("— kies een formulier —", "— choose a form —"),
    "instrument": ("formulier", "form"),
    "date": ("datum", "date"),
    "assessor": ("beoordelaar", "assessor"),
    "role": ("rol", "role"),
    "check": ("Controleren", "Check"),
    "save": ("Opslaan", "Save"),
    "new_form": ("Nieuw formulier", "New form"),
    "form_id": ("formulier-id", "form id"),
    "make_report": ("Voortgangsrapport maken", "Make progress report"),
    "item_note": ("toelichting bij dit item (optioneel)", "note on this item (optional)"),
    "activity_kind": ("soort", "kind"),
    "description": ("omschrijving", "description"),
    "end_date": ("einddatum", "end date"),
    "domains": ("RML-domeinen", "RML domains"),
    "fix_problems": (
        "Nog niet opgeslagen: {n} punt(en) om te verbeteren, zie hierboven.",
        "Not saved yet: {n} problem(s) to fix, see above.",
    ),
    "checked_ok": ("Het formulier is compleet.", "The form is complete."),
    "saved": ("Opgeslagen.", "Saved."),
    "already_saved": (
        "Dit formulier was al opgeslagen; er is niets dubbel opgeslagen.",
        "This form was already saved; nothing was stored twice.",
    ),
    "rendering": ("Voortgangsrapport wordt gemaakt…", "Making the progress report…"),
    "report_at": ("Voortgangsrapport:", "Progress report:"),
    "form_repr": (
        "Formulier: open dit notebook in JupyterLab of Voilà om het in te vullen.",
        "Form: open this notebook in JupyterLab or Voilà to fill it in.",
    ),
    "rating": ("beoordeling", "rating"),
    "reflection": ("reflectie", "reflection"),
    "reflection_ph": (
        "Waar liet je dit zien, en wat wil je het komende half jaar ontwikkelen?",
        "Where did you show this, and what do you want to develop in the next six months?",
    ),
    "santeon": (
        "Santeon-profiel medisch leider: in welke kenmerken herken je jezelf?",
        "Santeon medical leader profile: which characteristics do you recognise in yourself?",
    ),
    "santeon_note": ("toelichting (optioneel)", "note (optional)"),
    "recognised": ("Herken ik in mezelf.", "I recognise this in myself."),
    "feedback": ("Feedback die je kreeg", "Feedback you received"),
    "earlier": ("Je eerdere reflecties", "Your earlier reflections"),
    "none": ("(nog niets)", "(nothing yet)"),
    "self_rating": (
        "Zelfbeoordeling en reflectie per domein",
        "Self-rating and reflection per domain",
    ),
}


class Words:
    """The forms' words in one language: ``Words("nl")("save") == "Opslaan"``."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang

    def __call__(self, key: str, **values: object) -> str:
        """Return the word ``key``, filled with ``values``."""
        nl, en = _WORDS[key]
        return (nl if self.lang == "nl" else en).format(**values)


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
