"""A filled assessment form as plain data: checking it and turning it into a submission.

The widgets (:mod:`mlkit.forms.widgets`) only collect values into a :class:`FilledForm`; the
checks here use :mod:`mlkit.forms.rules`, the same rules the importer applies to a file, and
saving goes through :func:`mlkit.forms.submit.save_submission` (the importer's validation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from mlkit.assessments.models import InstrumentKind
from mlkit.forms.catalogue import Catalogue, word
from mlkit.forms.rules import FieldProblem, check_answers, check_date, message
from mlkit.forms.submit import Submission
from mlkit.frameworks.models import Lang
from mlkit.ingest.checks import MAX_TEXT

#: What a "not applicable" answer is written as (a label every scale's check accepts).
NOT_APPLICABLE = "n.v.t."


@dataclass
class FilledForm:
    """The values of one assessment form as the opleider left them.

    Attributes:
        submission_id: Given when the form was opened; saving twice stores once.
        instrument: Instrument code.
        aios_id: Whose form it is ("" when not chosen).
        when: The date of the assessment.
        assessor: Who assessed.
        role: The assessor's role (``opleider``).
        answers: Item code -> scale value, or None for "not applicable"; unanswered items absent.
        notes: Item code -> narrative about that item.
        narratives: Narrative field (``toelichting``, ``afspraken``) -> text.
        activity: For the activity log: ``soort``, ``omschrijving``, ``einddatum``, ``traject``,
            ``domeinen`` (codes joined by ``|``).
    """

    submission_id: str
    instrument: str
    aios_id: str = ""
    when: date | None = None
    assessor: str = ""
    role: str = ""
    answers: dict[str, int | None] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    narratives: dict[str, str] = field(default_factory=dict)
    activity: dict[str, str] = field(default_factory=dict)


def check_form(
    cat: Catalogue,
    form: FilledForm,
    *,
    start: date | None,
    today: date,
    lang: Lang = "nl",
) -> list[FieldProblem]:
    """Every problem of ``form``, per field, in ``lang`` (empty when it can be saved)."""
    problems: list[FieldProblem] = []
    if not form.aios_id:
        problems.append(FieldProblem("aios_id", "missing_aios", message("missing_aios", lang)))
    found = check_date(form.when, start, today, lang)
    if found is not None:
        problems.append(found)
    inst = cat.instrument(form.instrument)
    if inst.kind is InstrumentKind.ACTIVITY:
        for key in ("soort", "omschrijving"):
            if not form.activity.get(key, "").strip():
                problems.append(FieldProblem(key, "missing_text", message("missing_text", lang)))
    else:
        problems += check_answers(inst, form.answers, cat.reference.untitled_codes, lang)
    texts = [*form.notes.items(), *form.narratives.items(), *form.activity.items()]
    for key, text in texts:
        if len(text) > MAX_TEXT:
            problems.append(
                FieldProblem(key, "too_long", message("too_long", lang, limit=MAX_TEXT))
            )
    return problems


def comment_of(cat: Catalogue, form: FilledForm, lang: Lang = "nl") -> str:
    """The form's narrative as stored: overall fields first, then the notes per item."""
    inst = cat.instrument(form.instrument)
    parts = []
    for i, name in enumerate(inst.narrative_fields):
        text = form.narratives.get(name, "").strip()
        if text:
            parts.append(text if i == 0 else f"{word(name, lang)}: {text}")
    for item in cat.items(inst):
        note = form.notes.get(item.code, "").strip()
        if note:
            parts.append(f"{cat.item_label(inst, item, lang)}: {note}")
    return "\n\n".join(parts)


def to_submission(cat: Catalogue, form: FilledForm, lang: Lang = "nl") -> Submission:
    """The submission (import-layout rows) that saving ``form`` stores."""
    inst = cat.instrument(form.instrument)
    day = form.when.isoformat() if form.when else ""
    if inst.kind is InstrumentKind.ACTIVITY:
        a = form.activity
        row = {
            "activiteit_id": form.submission_id,
            "aios_id": form.aios_id,
            "soort": a.get("soort", ""),
            "omschrijving": a.get("omschrijving", ""),
            "startdatum": day,
            "einddatum": a.get("einddatum", ""),
            "traject": a.get("traject", ""),
            "domeinen": a.get("domeinen", ""),
        }
        return Submission(form.submission_id, form.aios_id, "activity", {"activities": [row]})
    comment = comment_of(cat, form, lang)
    rows: list[dict[str, str]] = []
    for item in cat.items(inst):
        if item.code not in form.answers:
            continue
        value = form.answers[item.code]
        rows.append(
            {
                "formulier_id": form.submission_id,
                "aios_id": form.aios_id,
                "instrument": inst.code,
                "datum": day,
                "beoordelaar": form.assessor,
                "rol_beoordelaar": form.role,
                "item": item.code,
                "score": NOT_APPLICABLE if value is None else str(value),
                "toelichting": "" if rows else comment,
            }
        )
    return Submission(form.submission_id, form.aios_id, "assessment", {"assessments": rows})


__all__ = ["NOT_APPLICABLE", "FilledForm", "check_form", "comment_of", "to_submission"]
