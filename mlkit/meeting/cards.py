"""The committee notebook: one card per aios with the proposal, key figures and a decision form.

Above the cards, the committee calibrates the evidence rules (:mod:`mlkit.meeting.calibration`):
sliders, a what-if table of who would change status, and an apply button.

Every card shows the proposed decision with its reasons, the domains per status, the latest
decision in force, and fields for besluit, motivering, afspraken, the next evaluation date and
who records it. A card gets an entry id when it is built, so pressing save twice stores one
decision; "correction" starts a new entry that supersedes the stored one.

Example (the whole of ``notebooks/meeting.ipynb`` after its parameters cell):
    >>> from mlkit.meeting.cards import meeting_board
    >>> meeting_board(db, lang=lang, as_of=as_of, recorded_by=recorded_by)  # doctest: +SKIP
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from mlkit.catalogue import Lang, word
from mlkit.errors import MlkitError
from mlkit.forms.ui import STYLE, escape_lines, problem_html, show
from mlkit.meeting.calibration import CalibrationPanel
from mlkit.meeting.decisions import Besluit, Decision, latest, new_entry_id, record_decision
from mlkit.meeting.whatif import WhatIf
from mlkit.reports.sidecar import KeyFigures
from mlkit.store import Store

if TYPE_CHECKING:
    from mlkit.reports.document import Report

_SEVERITY = {"onvoldoende": 0, "twijfel": 1, "voldoende": 2}


def _t(key: str, lang: Lang, **values: object) -> str:
    return word(f"meeting.{key}", lang, **values)


def card_facts(figures: KeyFigures, lang: Lang) -> list[str]:
    """The lines a card shows above its fields: proposal, reasons, statuses, latest decision."""
    p = figures.proposal
    lines = []
    if p is not None:
        outcome = word(f"proposal.outcome.{p.outcome.value}", lang)
        lines = [f"{word('h.proposal', lang)}: {outcome}"]
        lines += [f"• {r}" for r in p.reasons]
    counts = ", ".join(
        f"{word(f'status.{s.value}', lang)}: {n}" for s, n in figures.status_counts.items() if n
    )
    lines.append(_t("figures", lang, year=figures.training_year, counts=counts))
    return lines


class DecisionCard:
    """The decision form of one aios."""

    def __init__(
        self,
        db: Path,
        figures: KeyFigures | Mapping[str, Any],
        *,
        lang: Lang = "nl",
        recorded_by: str = "",
        current: Decision | None = None,
        now: datetime | None = None,
    ) -> None:
        if not isinstance(figures, KeyFigures):
            figures = KeyFigures.model_validate(figures)
        self.db, self.lang, self.figures, self.now = db, lang, figures, now
        self.aios_id = figures.aios_id
        self.entry_id = new_entry_id()
        self.current = current
        self.supersedes: int | None = None
        options = [(self._w("choose"), "")] + [
            (word(f"decision.besluit.{b}", lang), b.value) for b in Besluit
        ]
        self.besluit = w.Dropdown(options=options, description=self._w("besluit"), style=STYLE)
        self.motivering = w.Textarea(
            description=self._w("motivering"), style=STYLE, layout=w.Layout(width="70%")
        )
        self.afspraken = w.Textarea(
            description=self._w("afspraken"), style=STYLE, layout=w.Layout(width="70%")
        )
        self.next_evaluation = w.DatePicker(description=self._w("next"), style=STYLE)
        self.recorded_by = w.Text(
            value=recorded_by, description=self._w("recorded_by"), style=STYLE
        )
        self.save_btn = w.Button(description=self._w("save"), button_style="success")
        self.correct_btn = w.Button(description=self._w("correct"), layout=w.Layout(display="none"))
        self.status = w.HTML()
        self.latest = w.HTML(self._latest_html())
        for name, widget in (
            ("besluit", self.besluit),
            ("motivering", self.motivering),
            ("afspraken", self.afspraken),
            ("next", self.next_evaluation),
            ("recorded-by", self.recorded_by),
            ("save", self.save_btn),
            ("correct", self.correct_btn),
            ("status", self.status),
        ):
            widget.add_class(f"mlkit-{name}")
        self.save_btn.on_click(lambda _: self.save())
        self.correct_btn.on_click(lambda _: self.start_correction())
        name = html.escape(f"{figures.display_name} ({self.aios_id})")
        facts = escape_lines(card_facts(figures, lang))
        box = w.VBox(
            [
                w.HTML(f"<h3>{name}</h3><div class='mlkit-card-facts'>{facts}</div>"),
                self.latest,
                self.besluit,
                self.motivering,
                self.afspraken,
                self.next_evaluation,
                self.recorded_by,
                w.HBox([self.save_btn, self.correct_btn]),
                self.status,
            ]
        )
        self.widget = show(box, self._w("card_repr", aios=self.aios_id))
        self.widget.add_class(f"mlkit-card-{self.aios_id}")

    def _w(self, key: str, **values: object) -> str:
        return _t(key, self.lang, **values)

    def _latest_html(self) -> str:
        d = self.current
        if d is None:
            return f"<i>{html.escape(word('decisions.none', self.lang))}</i>"
        text = _t(
            "latest",
            self.lang,
            n=d.decision_id,
            besluit=word(f"decision.besluit.{d.besluit.value}", self.lang),
            date=d.recorded_at.date().isoformat(),
            who=d.recorded_by,
        )
        return f"<div class='mlkit-latest'>{html.escape(text)}</div>"

    def save(self) -> bool:
        """Record the card's decision once; show what was stored. True when it is stored."""
        proposal = self.figures.proposal
        try:
            with Store.open(self.db) as store:
                outcome = record_decision(
                    store,
                    self.aios_id,
                    besluit=str(self.besluit.value or ""),
                    motivering=str(self.motivering.value),
                    afspraken=str(self.afspraken.value),
                    next_evaluation=self.next_evaluation.value,
                    recorded_by=str(self.recorded_by.value),
                    entry_id=self.entry_id,
                    proposal=proposal.outcome.value if proposal else "",
                    rules_version=f"{proposal.rules_id} {proposal.rules_version}"
                    if proposal
                    else "",
                    supersedes=self.supersedes,
                    now=self.now,
                )
        except MlkitError as exc:
            field = str(getattr(exc, "field", ""))
            if field in _FIELDS:
                label = _t(_FIELDS[field], self.lang)
                text = _t("problem", self.lang, field=label, reason=getattr(exc, "reason", ""))
            else:
                text = str(exc)
            self.status.value = problem_html(text)
            return False
        self.current = outcome.decision
        key = "saved" if outcome.stored else "already_saved"
        text = _t(key, self.lang, n=outcome.decision.decision_id)
        self.status.value = f"<div class='mlkit-saved'><b>{html.escape(text)}</b></div>"
        self.latest.value = self._latest_html()
        self.correct_btn.layout.display = ""
        return True

    def start_correction(self) -> None:
        """Start a new entry that supersedes the decision in force (the fields stay filled)."""
        if self.current is None:
            return
        self.entry_id = new_entry_id()
        self.supersedes = self.current.decision_id
        self.status.value = html.escape(_t("correcting", self.lang, n=self.supersedes))
        self.correct_btn.layout.display = "none"


#: Fields of a decision -> the catalogue key of their label on a card.
_FIELDS = {
    "besluit": "besluit",
    "motivering": "motivering",
    "afspraken": "afspraken",
    "next_evaluation": "next",
    "recorded_by": "recorded_by",
}


def _severity(figures: KeyFigures) -> int:
    return _SEVERITY[figures.proposal.outcome.value] if figures.proposal else len(_SEVERITY)


def _reports(db: Path, as_of: str, lang: Lang) -> list[Report]:
    from mlkit.reports import build_report, params_for
    from mlkit.reports.inputs import load_reference

    reference = load_reference()
    with Store.open(db) as store:
        ids = store.aios_ids()
    out = []
    for aios_id in ids:
        params = params_for(
            "progress", {"aios_id": aios_id, "db": str(db), "as_of": as_of, "lang": lang}
        )
        out.append(build_report(params, reference))
    return out


class MeetingBoard:
    """Every aios' card, those to discuss first (onvoldoende, then twijfel, then voldoende)."""

    def __init__(
        self,
        db: Path,
        *,
        lang: Lang = "nl",
        as_of: str = "",
        recorded_by: str = "",
        now: datetime | None = None,
    ) -> None:
        self.db, self.lang = db, lang
        reports = _reports(db, as_of, lang)
        figures = sorted((r.figures() for r in reports), key=lambda f: (_severity(f), f.aios_id))
        with Store.open(db) as store:
            current = latest(store)
        self.cards = [
            DecisionCard(
                db,
                f,
                lang=lang,
                recorded_by=recorded_by,
                current=current.get(f.aios_id),
                now=now,
            )
            for f in figures
        ]
        title = html.escape(_t("title", lang))
        intro = w.HTML(
            f"<h2>{title}</h2><p>{html.escape(_t('intro', lang, n=len(self.cards)))}</p>"
        )
        self.calibration = (
            CalibrationPanel(
                WhatIf([(r.inputs, r.analysis) for r in reports]),
                lang=lang,
                applied_by=recorded_by,
                now=now,
            )
            if reports
            else None
        )
        panel = [self.calibration.widget] if self.calibration else []
        self.widget = show(
            w.VBox([intro, *panel, *(c.widget for c in self.cards)]),
            _t("board_repr", lang, n=len(self.cards)),
        )

    def card(self, aios_id: str) -> DecisionCard:
        """Return the card of ``aios_id``.

        Raises:
            KeyError: when the aios has no card.
        """
        for c in self.cards:
            if c.aios_id == aios_id:
                return c
        raise KeyError(aios_id)


def meeting_board(
    db: str | Path, *, lang: Lang = "nl", as_of: str = "", recorded_by: str = ""
) -> w.Widget:
    """Build the committee's cards over the store ``db`` and return the widget (displays itself).

    Args:
        db: The cohort store.
        lang: ``nl`` (default) or ``en``.
        as_of: Reference date of the proposals (``YYYY-MM-DD``); today when empty.
        recorded_by: Who records the decisions (pre-filled on every card).
    """
    return MeetingBoard(Path(db), lang=lang, as_of=as_of, recorded_by=recorded_by).widget


__all__ = ["DecisionCard", "MeetingBoard", "card_facts", "meeting_board"]
