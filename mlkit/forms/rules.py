"""The rule set for a whole form, shared by the notebook forms and the importer.

An item is *assessable* unless every framework item it evidences has no title yet (RML domains
10-12 until the official text is loaded): such an item gets no widget and is never required.
A form is complete when every required, assessable item has an answer (a scale value or
"not applicable" where the scale allows it). Messages come in Dutch and English.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from mlkit.assessments.models import Instrument, Item
from mlkit.catalogue import word
from mlkit.frameworks.models import Framework, Lang


def message(code: str, lang: Lang = "nl", **values: object) -> str:
    """Return the message for a reason ``code`` in ``lang`` (catalogue key ``form.msg.<code>``)."""
    return word(f"form.msg.{code}", lang, **values)


@dataclass(frozen=True)
class FieldProblem:
    """One problem of a filled form: the field (item code, ``datum``, ...), reason and text."""

    field: str
    reason: str
    message: str


def untitled_codes(frameworks: Iterable[Framework]) -> frozenset[str]:
    """Codes of framework items that have no title in any language (not yet loaded)."""
    out: set[str] = set()
    for fw in frameworks:
        for code in fw.codes():
            try:
                title = getattr(fw.item(code), "title", None)
            except KeyError:
                continue
            if title is not None and not (title.nl or title.en):
                out.add(code)
    return frozenset(out)


def assessable(item: Item, untitled: frozenset[str]) -> bool:
    """False when every framework item ``item`` evidences is an untitled slot."""
    return not item.evidences or not all(code in untitled for code in item.evidences)


def assessable_items(instrument: Instrument, untitled: frozenset[str]) -> list[Item]:
    """The items of ``instrument`` a form shows, in the instrument's order."""
    return [it for it in instrument.items if assessable(it, untitled)]


def required_items(instrument: Instrument, untitled: frozenset[str]) -> frozenset[str]:
    """Codes of the items a complete form of ``instrument`` must answer."""
    return frozenset(it.code for it in instrument.items if it.required and assessable(it, untitled))


def missing_required(
    instrument: Instrument, answered: Iterable[str], untitled: frozenset[str]
) -> list[str]:
    """Required items not in ``answered``, in the instrument's order."""
    done = set(answered)
    need = required_items(instrument, untitled)
    return [it.code for it in instrument.items if it.code in need and it.code not in done]


def check_date(
    when: date | None, start: date | None, today: date, lang: Lang = "nl"
) -> FieldProblem | None:
    """Check a form's date: given, not after ``today``, not before the training ``start``."""
    if when is None:
        return FieldProblem("datum", "missing_date", message("missing_date", lang))
    if when > today:
        text = message("future_date", lang, today=today.strftime("%d-%m-%Y"))
        return FieldProblem("datum", "future_date", text)
    if start is not None and when < start:
        text = message("before_training_start", lang, start=start.strftime("%d-%m-%Y"))
        return FieldProblem("datum", "before_training_start", text)
    return None


def check_answers(
    instrument: Instrument,
    answers: Mapping[str, int | None],
    untitled: frozenset[str],
    lang: Lang = "nl",
) -> list[FieldProblem]:
    """Check item answers (item -> scale value, or None for "not applicable").

    An item left out of ``answers`` is unanswered; a value outside the item's scale, or
    "not applicable" on a scale without that option, is a problem of that item.
    """
    problems: list[FieldProblem] = []
    for item in assessable_items(instrument, untitled):
        if item.code not in answers:
            continue
        value = answers[item.code]
        scale = instrument.scale(item.scale)
        ok = scale.not_applicable is not None if value is None else value in scale.values()
        if not ok:
            problems.append(FieldProblem(item.code, "out_of_scale", message("out_of_scale", lang)))
    for code in missing_required(instrument, answers, untitled):
        problems.append(FieldProblem(code, "missing_required", message("missing_required", lang)))
    return problems


__all__ = [
    "FieldProblem",
    "assessable",
    "assessable_items",
    "check_answers",
    "check_date",
    "message",
    "missing_required",
    "required_items",
    "untitled_codes",
]
