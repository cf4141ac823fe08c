"""The self-reflection form: per RML domain a rating and a reflection, Santeon check boxes.

It runs on a personal extract (a store holding one aios' records, see
:mod:`mlkit.forms.extract`); saving writes a submission into that extract, once. The same
rules as every other form apply: a rating per assessable domain is required (the
self-assessment instrument says so), the date must lie within the training.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import ipywidgets as w
import pandas as pd

from mlkit.errors import MlkitError
from mlkit.forms.catalogue import AIOS_ROLE, SELF_INSTRUMENT, Catalogue
from mlkit.forms.extract import ExtractMissingError
from mlkit.forms.rules import FieldProblem, check_answers, check_date
from mlkit.forms.submit import (
    SaveOutcome,
    Submission,
    SubmissionRejectedError,
    new_submission_id,
    save_submission,
)
from mlkit.forms.ui import Words, escape_lines, long_date, problem_html, show
from mlkit.forms.widgets import scale_options
from mlkit.frameworks.models import Lang
from mlkit.store import Store


@dataclass
class FilledReflection:
    """A filled self-reflection: ratings per self-assessment item, texts per domain code.

    Attributes:
        submission_id: Given when the form opened.
        aios_id: The aios.
        when: The date of the reflection.
        ratings: Self-assessment item code -> scale value.
        texts: Framework code (RML domain or Santeon characteristic) -> reflection text.
    """

    submission_id: str
    aios_id: str
    when: date
    ratings: dict[str, int] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)


def check_reflection(
    cat: Catalogue, filled: FilledReflection, *, start: date | None, today: date, lang: Lang
) -> list[FieldProblem]:
    """Every problem of a filled reflection (the self-assessment's rules, and the date)."""
    inst = cat.instrument(SELF_INSTRUMENT)
    answers: dict[str, int | None] = dict(filled.ratings)
    problems = check_answers(inst, answers, cat.reference.untitled_codes, lang)
    found = check_date(filled.when, start, today, lang)
    if found is not None:
        problems.append(found)
    return problems


def reflection_submission(filled: FilledReflection) -> Submission:
    """The submission saving ``filled`` stores: one self-assessment form and the reflections."""
    day = filled.when.isoformat()
    sid = filled.submission_id
    ratings = [
        {
            "formulier_id": sid,
            "aios_id": filled.aios_id,
            "instrument": SELF_INSTRUMENT,
            "datum": day,
            "beoordelaar": filled.aios_id,
            "rol_beoordelaar": AIOS_ROLE,
            "item": item,
            "score": str(value),
            "toelichting": "",
        }
        for item, value in filled.ratings.items()
    ]
    texts = [
        {
            "reflectie_id": f"{sid}-{code}",
            "aios_id": filled.aios_id,
            "datum": day,
            "domein": code,
            "tekst": text,
        }
        for code, text in filled.texts.items()
    ]
    tables = {"assessments": ratings, "reflections": texts}
    return Submission(sid, filled.aios_id, "reflection", {k: v for k, v in tables.items() if v})


def _when(value: object) -> str:
    return pd.Timestamp(str(value)).strftime("%d-%m-%Y") if value is not None else ""


class ReflectionForm:
    """The self-reflection widgets over a personal extract."""

    def __init__(
        self,
        db: Path,
        aios_id: str,
        *,
        lang: Lang = "nl",
        catalogue: Catalogue | None = None,
        today: date | None = None,
    ) -> None:
        self.db, self.aios_id, self.lang = db, aios_id, lang
        self.t = Words(lang)
        self.cat = catalogue or Catalogue.load()
        self.today = today or date.today()
        with Store.open(db) as store:
            roster = store.aios(aios_id)
            self.forms = store.forms(aios_id)
            self.reflections = store.reflections(aios_id)
        self.name = str(roster["display_name"].iloc[0]) if len(roster) else aios_id
        self.start = pd.Timestamp(roster["start_date"].iloc[0]).date() if len(roster) else None
        self.submission_id = new_submission_id("refl")
        self._build()

    def _history(self) -> w.Widget:
        t = self.t
        got = self.forms[(self.forms["assessor_role"] != AIOS_ROLE) & self.forms["comment"].notna()]
        feedback = [
            f"{_when(d)} — {inst} — {who or ''}: {text}"
            for d, inst, who, text in zip(
                got["date"], got["instrument"], got["assessor"], got["comment"], strict=True
            )
        ]
        refl = self.reflections
        earlier = [
            f"{_when(d)} — {dom or ''}: {text}"
            for d, dom, text in zip(refl["date"], refl["domain"], refl["text"], strict=True)
        ]
        parts = []
        for title, lines in ((t("feedback"), feedback), (t("earlier"), earlier)):
            body = escape_lines(lines) if lines else html.escape(t("none"))
            parts.append(f"<h4>{html.escape(title)}</h4><p>{body}</p>")
        return w.HTML("".join(parts))

    def _build(self) -> None:
        t, lang = self.t, self.lang
        inst = self.cat.instrument(SELF_INSTRUMENT)
        self.ratings: dict[str, w.Dropdown] = {}
        self.texts: dict[str, w.Textarea] = {}
        self.errors: dict[str, w.HTML] = {}
        rows: list[w.Widget] = [w.HTML(f"<h3>{html.escape(t('self_rating'))}</h3>")]
        for code, title, item in self.cat.rml_domains(lang):
            choice = w.Dropdown(options=scale_options(inst.scale(item.scale), lang))
            area = w.Textarea(placeholder=t("reflection_ph"), rows=4, layout=w.Layout(width="70%"))
            error = w.HTML()
            self.ratings[item.code], self.texts[code], self.errors[item.code] = choice, area, error
            box = w.VBox([w.HTML(f"<b>{html.escape(title)} *</b>"), w.HBox([choice, error]), area])
            box.add_class(f"mlkit-domain-{item.code}")
            rows.append(box)
        rows.append(w.HTML(f"<h3>{html.escape(t('santeon'))}</h3>"))
        self.checks: dict[str, tuple[w.Checkbox, w.Text]] = {}
        for code, title in self.cat.santeon_characteristics(lang):
            box = w.Checkbox(description=title, indent=False, layout=w.Layout(width="45%"))
            note = w.Text(placeholder=t("santeon_note"), layout=w.Layout(width="45%"))
            self.checks[code] = (box, note)
            rows.append(w.HBox([box, note]))
        self.date_error = w.HTML()
        self.save_btn = w.Button(description=t("save"), button_style="success")
        self.save_btn.add_class("mlkit-save")
        self.status = w.HTML()
        self.status.add_class("mlkit-status")
        self.save_btn.on_click(lambda _: self.save())
        header = w.HTML(
            f"<h2>{html.escape(self.name)} ({html.escape(self.aios_id)})</h2>"
            f"<p>{html.escape(t('date'))}: {html.escape(long_date(self.today, lang))}</p>"
        )
        body = [header, self._history(), *rows, self.date_error, self.save_btn, self.status]
        self.widget = show(w.VBox(body), t("form_repr"))
        self.widget.add_class("mlkit-form")

    def filled(self) -> FilledReflection:
        """The form's current values as plain data."""
        ratings = {k: int(d.value) for k, d in self.ratings.items() if d.value not in ("", "na")}
        texts = {k: a.value for k, a in self.texts.items() if a.value.strip()}
        for code, (box, note) in self.checks.items():
            if box.value:
                texts[code] = note.value.strip() or self.t("recognised")
        return FilledReflection(self.submission_id, self.aios_id, self.today, ratings, texts)

    def save(self) -> SaveOutcome | None:
        """Check and save once; show what was stored, or every problem next to its field."""
        filled = self.filled()
        problems = check_reflection(
            self.cat, filled, start=self.start, today=self.today, lang=self.lang
        )
        for box in (*self.errors.values(), self.date_error):
            box.value = ""
        for p in problems:
            target = self.errors.get(p.field, self.date_error)
            target.value = problem_html(p.message)
        if problems:
            self.status.value = problem_html(self.t("fix_problems", n=len(problems)))
            return None
        try:
            with Store.open(self.db) as store:
                outcome = save_submission(
                    store,
                    reflection_submission(filled),
                    today=self.today,
                    reference=self.cat.reference,
                )
        except (SubmissionRejectedError, MlkitError) as exc:
            self.status.value = problem_html(str(exc))
            return None
        key = "saved" if outcome.saved else "already_saved"
        lines = [f"{len(filled.ratings)} × {self.t('rating')}", f"{len(filled.texts)} × "]
        lines[1] += self.t("reflection")
        self.status.value = (
            f"<div class='mlkit-saved'><b>{html.escape(self.t(key))}</b><br>"
            f"{escape_lines(lines)}</div>"
        )
        return outcome


def reflection_form(db: str | Path, aios_id: str, *, lang: Lang = "nl") -> w.Widget:
    """Build the self-reflection form over the personal extract ``db`` and return its widget."""
    if not Path(db).is_file():
        raise ExtractMissingError(Path(db))
    return ReflectionForm(Path(db), aios_id, lang=lang).widget


__all__ = [
    "FilledReflection",
    "ReflectionForm",
    "check_reflection",
    "reflection_form",
    "reflection_submission",
]
