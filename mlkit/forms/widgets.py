"""The assessment form for opleiders, built with ipywidgets from the instrument definitions.

Example (the whole of ``notebooks/assessment_form.ipynb`` after its parameters cell):
    >>> from mlkit.forms.widgets import assessment_form
    >>> assessment_form(db, opleider=opleider, lang=lang)  # doctest: +SKIP
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd

from mlkit.assessments.models import Instrument, InstrumentKind, Scale
from mlkit.errors import MlkitError
from mlkit.forms.assessment import FilledForm, check_form, to_submission
from mlkit.forms.catalogue import OPLEIDER_ROLE, Catalogue, word
from mlkit.forms.rules import FieldProblem
from mlkit.forms.submit import SubmissionRejectedError, new_submission_id, save_submission
from mlkit.forms.ui import CHOOSE, STYLE, Words, escape_lines, long_date, problem_html, show
from mlkit.frameworks.models import Lang
from mlkit.store import Store

NA = "na"


@dataclass
class _ItemRow:
    code: str
    choice: w.Dropdown
    note: w.Textarea
    error: w.HTML


@dataclass
class _Fields:
    items: list[_ItemRow] = field(default_factory=list)
    narratives: dict[str, w.Textarea] = field(default_factory=dict)
    activity: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, w.HTML] = field(default_factory=dict)


def scale_options(scale: Scale, lang: Lang) -> list[tuple[str, str]]:
    """Dropdown options of a scale: labels (not numbers), then "not applicable" if allowed."""
    options = [(CHOOSE[lang], "")]
    options += [(str(p.label.get(lang) or p.code), str(p.value)) for p in scale.points]
    if scale.not_applicable is not None:
        options.append((str(scale.not_applicable.get(lang) or "n.v.t."), NA))
    return options


class AssessmentForm:
    """One assessment form: choose aios and instrument, fill in, Controleren, Opslaan."""

    def __init__(
        self,
        db: Path,
        *,
        opleider: str = "",
        lang: Lang = "nl",
        catalogue: Catalogue | None = None,
        today: date | None = None,
        out: Path | None = None,
    ) -> None:
        self.db, self.lang, self.opleider = db, lang, opleider
        self.t = Words(lang)
        self.cat = catalogue or Catalogue.load()
        self.today = today or date.today()
        self.out = out or db.parent
        with Store.open(db) as store:
            roster = store.aios()
        if opleider:
            roster = roster[roster["opleider"].fillna("").str.casefold() == opleider.casefold()]
        self.starts: dict[str, date] = {
            str(a): pd.Timestamp(s).date()
            for a, s in zip(roster["aios_id"], roster["start_date"], strict=True)
        }
        self.names = dict(
            zip(roster["aios_id"].astype(str), roster["display_name"].astype(str), strict=True)
        )
        self.submission_id = ""
        self._fields = _Fields()
        self._build()

    # -- building ----------------------------------------------------------------------------
    def _build(self) -> None:
        t, lang = self.t, self.lang
        aios_opts = [(t("choose_aios"), "")]
        aios_opts += [(f"{n} ({a})", a) for a, n in self.names.items()]
        wide = w.Layout(width="520px")
        self.aios = w.Dropdown(options=aios_opts, description=t("aios"), style=STYLE, layout=wide)
        insts = [(t("choose_form"), "")]
        insts += [
            (self.cat.instrument_label(i, lang), i.code) for i in self.cat.opleider_instruments
        ]
        self.instrument = w.Dropdown(
            options=insts, description=t("instrument"), style=STYLE, layout=wide
        )
        self.when = w.DatePicker(value=self.today, description=t("date"), style=STYLE)
        self.when_text = w.HTML(long_date(self.today, lang))
        self.when.observe(
            lambda c: setattr(self.when_text, "value", long_date(c.new, lang)), "value"
        )
        self.assessor = w.Text(value=self.opleider, description=t("assessor"), style=STYLE)
        self.role = w.Text(value=OPLEIDER_ROLE, description=t("role"), style=STYLE)
        self.body = w.VBox()
        self.check_btn = w.Button(description=t("check"), button_style="info")
        self.save_btn = w.Button(description=t("save"), button_style="success")
        self.new_btn = w.Button(description=t("new_form"))
        self.report_btn = w.Button(
            description=t("make_report"), layout=w.Layout(display="none", width="auto")
        )
        self.status = w.HTML()
        self._errors = {k: w.HTML() for k in ("aios_id", "datum")}
        for name, widget in (
            ("aios", self.aios),
            ("instrument", self.instrument),
            ("date", self.when),
            ("check", self.check_btn),
            ("save", self.save_btn),
            ("new", self.new_btn),
            ("report", self.report_btn),
            ("status", self.status),
        ):
            widget.add_class(f"mlkit-{name}")
        self.instrument.observe(lambda _: self._new_form(), names="value")
        self.check_btn.on_click(lambda _: self.check())
        self.save_btn.on_click(lambda _: self.save())
        self.new_btn.on_click(lambda _: self._new_form())
        self.report_btn.on_click(lambda _: self.make_report())
        header = w.VBox(
            [
                w.HBox([self.aios, self._errors["aios_id"]]),
                self.instrument,
                w.HBox([self.when, self.when_text, self._errors["datum"]]),
                self.assessor,
                self.role,
            ]
        )
        buttons = w.HBox([self.check_btn, self.save_btn, self.new_btn, self.report_btn])
        self.widget = show(w.VBox([header, self.body, buttons, self.status]), t("form_repr"))
        self.widget.add_class("mlkit-form")
        self._new_form()

    def _date_changed(self, change: Any) -> None:
        self.when_text.value = long_date(change.new, self.lang)

    def _inst(self) -> Instrument:
        return self.cat.instrument(str(self.instrument.value))

    def _new_form(self) -> None:
        self._fields = _Fields()
        self.status.value = ""
        self.report_btn.layout.display = "none"
        if not self.instrument.value:
            self.submission_id = ""
            self.body.children = []
            self.save_btn.disabled = self.check_btn.disabled = True
            return
        self.save_btn.disabled = self.check_btn.disabled = False
        inst = self._inst()
        self.submission_id = new_submission_id(inst.code)
        title = html.escape(self.cat.instrument_label(inst, self.lang))
        ident = f"{html.escape(self.t('form_id'))}: {html.escape(self.submission_id)}"
        rows: list[w.Widget] = [
            w.HTML(
                f"<h3>{title}</h3><span class='mlkit-submission' style='color:#666'>{ident}</span>"
            )
        ]
        if inst.kind is InstrumentKind.ACTIVITY:
            rows += self._activity_fields(inst)
        else:
            rows += self._item_fields(inst)
        for name in inst.narrative_fields:
            area = w.Textarea(placeholder=word(name, self.lang), layout=w.Layout(width="70%"))
            area.add_class(f"mlkit-narrative-{name}")
            self._fields.narratives[name] = area
            rows.append(w.VBox([w.HTML(f"<b>{html.escape(word(name, self.lang))}</b>"), area]))
        self.body.children = rows

    def _item_fields(self, inst: Instrument) -> list[w.Widget]:
        required = self.cat.required(inst)
        out: list[w.Widget] = []
        for item in self.cat.items(inst):
            label = self.cat.item_label(inst, item, self.lang)
            mark = " *" if item.code in required else ""
            choice = w.Dropdown(options=scale_options(inst.scale(item.scale), self.lang))
            note = w.Textarea(placeholder=self.t("item_note"), layout=w.Layout(width="40%"))
            error = w.HTML()
            box = w.VBox(
                [w.HTML(f"<b>{html.escape(label)}{mark}</b>"), w.HBox([choice, note, error])]
            )
            box.add_class(f"mlkit-item-{item.code}")
            self._fields.items.append(_ItemRow(item.code, choice, note, error))
            self._fields.errors[item.code] = error
            out.append(box)
        return out

    def _activity_fields(self, inst: Instrument) -> list[w.Widget]:
        lang, t, f = self.lang, self.t, self._fields.activity
        kinds = [(CHOOSE[lang], "")]
        kinds += [(self.cat.item_label(inst, it, lang), it.code) for it in inst.items]
        f["soort"] = w.Dropdown(options=kinds, description=t("activity_kind"), style=STYLE)
        f["omschrijving"] = w.Textarea(description=t("description"), style=STYLE)
        f["einddatum"] = w.DatePicker(description=t("end_date"), style=STYLE)
        domains = self.cat.rml_domains(lang)
        f["domeinen"] = w.SelectMultiple(options=[(title, code) for code, title, _ in domains])
        out: list[w.Widget] = []
        for key in ("soort", "omschrijving"):
            self._fields.errors[key] = w.HTML()
            f[key].add_class(f"mlkit-activity-{key}")
            out.append(w.HBox([f[key], self._fields.errors[key]]))
        out += [f["einddatum"], w.HTML(f"<b>{html.escape(t('domains'))}</b>"), f["domeinen"]]
        return out

    # -- reading and acting --------------------------------------------------------------------
    def filled(self) -> FilledForm:
        """The form's current values as plain data."""
        fields = self._fields
        answers: dict[str, int | None] = {}
        for row in fields.items:
            if row.choice.value == NA:
                answers[row.code] = None
            elif row.choice.value:
                answers[row.code] = int(row.choice.value)
        activity: dict[str, str] = {}
        if fields.activity:
            a = fields.activity
            end = a["einddatum"].value
            activity = {
                "soort": str(a["soort"].value or ""),
                "omschrijving": str(a["omschrijving"].value),
                "einddatum": end.isoformat() if end else "",
                "domeinen": "|".join(a["domeinen"].value),
            }
        return FilledForm(
            submission_id=self.submission_id,
            instrument=self._inst().code,
            aios_id=str(self.aios.value or ""),
            when=self.when.value,
            assessor=self.assessor.value.strip(),
            role=self.role.value.strip(),
            answers=answers,
            notes={r.code: r.note.value for r in fields.items if r.note.value.strip()},
            narratives={k: a.value for k, a in fields.narratives.items() if a.value.strip()},
            activity=activity,
        )

    def _show_problems(self, problems: list[FieldProblem]) -> None:
        errors = {**self._fields.errors, **self._errors}
        for box in errors.values():
            box.value = ""
        for p in problems:
            box = errors.get(p.field)
            if box is not None:
                box.value = problem_html(p.message)

    def check(self) -> list[FieldProblem]:
        """Check the form and show every problem next to its field; return them."""
        form = self.filled()
        problems = check_form(
            self.cat, form, start=self.starts.get(form.aios_id), today=self.today, lang=self.lang
        )
        self._show_problems(problems)
        self.status.value = (
            problem_html(self.t("fix_problems", n=len(problems)))
            if problems
            else f"<span class='mlkit-ok'>{html.escape(self.t('checked_ok'))}</span>"
        )
        return problems

    def save(self) -> bool:
        """Check and save the form once; show what was stored. True when it is stored."""
        if self.check():
            return False
        self.save_btn.disabled = True
        try:
            form = self.filled()
            submission = to_submission(self.cat, form, self.lang)
            with Store.open(self.db) as store:
                outcome = save_submission(
                    store, submission, today=self.today, reference=self.cat.reference
                )
        except SubmissionRejectedError as exc:
            self.status.value = problem_html(
                "; ".join(f"{p.location}: {p.message}" for p in exc.problems)
            )
            self.save_btn.disabled = False
            return False
        except MlkitError as exc:
            self.status.value = problem_html(str(exc))
            self.save_btn.disabled = False
            return False
        key = "saved" if outcome.saved else "already_saved"
        shown = escape_lines(self._summary(form))
        self.status.value = (
            f"<div class='mlkit-saved'><b>{html.escape(self.t(key))}</b>"
            f" ({html.escape(outcome.submission_id)})<br>{shown}</div>"
        )
        self.report_btn.layout.display = ""
        self.save_btn.disabled = False
        return True

    def _summary(self, form: FilledForm) -> list[str]:
        inst = self._inst()
        name = self.names.get(form.aios_id, form.aios_id)
        day = form.when.strftime("%d-%m-%Y") if form.when else ""
        lines = [f"{name} — {self.cat.instrument_label(inst, self.lang)} — {day}"]
        labels = {
            row.code: dict((v, k) for k, v in row.choice.options) for row in self._fields.items
        }
        for item in self.cat.items(inst):
            if item.code in form.answers:
                value = form.answers[item.code]
                shown = labels[item.code].get(NA if value is None else str(value), "")
                lines.append(f"{self.cat.item_label(inst, item, self.lang)}: {shown}")
        return lines

    def make_report(self) -> None:
        """Render the progress report of the form's aios into the output folder."""
        from mlkit.reports import params_for, render_report

        aios_id = str(self.aios.value or "")
        self.status.value += f"<p>{html.escape(self.t('rendering'))}</p>"
        try:
            params = params_for(
                "progress", {"aios_id": aios_id, "db": str(self.db), "lang": self.lang}
            )
            outputs = render_report(params, self.out)
        except MlkitError as exc:
            self.status.value += problem_html(str(exc))
            return
        self.status.value += (
            f"<p>{html.escape(self.t('report_at'))} {html.escape(str(outputs.html))}</p>"
        )


def assessment_form(
    db: str | Path, *, opleider: str = "", lang: Lang = "nl", out: str | Path = ""
) -> w.Widget:
    """Build the assessment form over the store ``db`` and return its widget (displays itself).

    Args:
        db: The cohort store.
        opleider: Offer only this opleider's aios (per the roster); all aios when empty.
        lang: ``nl`` (default) or ``en``.
        out: Where a progress report is written; default the store's folder.
    """
    form = AssessmentForm(Path(db), opleider=opleider, lang=lang, out=Path(out) if out else None)
    return form.widget


__all__ = ["AssessmentForm", "assessment_form", "scale_options"]
