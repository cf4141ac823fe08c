"""The committee notebook's rule calibration: sliders, the what-if table, and "Toepassen".

Moving a slider recomputes at once (:meth:`mlkit.meeting.whatif.WhatIf.changes`) which aios
would change status and how; nothing is written until the apply button is pressed, which writes
the store's next evidence-rules version with who applied it and when.

Example (:class:`mlkit.meeting.cards.MeetingBoard` builds it above the cards)::

    panel = CalibrationPanel(WhatIf.from_store(db), lang="nl", applied_by="dr. T. Est")
    panel.min_observations.value = 4  # the table shows who would change
    panel.apply_btn.click()  # writes <store>.rules/evidence-<n>.yaml
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

import ipywidgets as w

from mlkit.analysis.names import domain_name
from mlkit.analysis.rules import EvidenceRules
from mlkit.catalogue import Lang, long_date, word
from mlkit.errors import MlkitError
from mlkit.forms.ui import STYLE, problem_html, show
from mlkit.meeting.whatif import PROPOSAL, Change, WhatIf

_SLIDER_STYLE = {"description_width": "170px"}
_CELL = "padding:2px 14px 2px 0;text-align:left"

#: Slider: rules field -> (catalogue key, lowest, highest).
SLIDERS: dict[str, tuple[str, int, int]] = {
    "min_observations": ("min_observations", 1, 10),
    "min_assessors": ("min_assessors", 1, 6),
    "recency_months": ("recency_months", 3, 36),
    "msf_min_respondents": ("msf_min", 1, 10),
}


def _t(key: str, lang: Lang, **values: object) -> str:
    return word(f"whatif.{key}", lang, **values)


def changes_html(changes: list[Change], names: dict[str, str], lang: Lang) -> str:
    """The what-if table as escaped HTML (one row per change), or a line saying nothing changes."""
    if not changes:
        return f"<p class='mlkit-whatif-none'>{html.escape(_t('none', lang))}</p>"

    def status(c: Change, value: str) -> str:
        key = f"proposal.outcome.{value}" if c.domain == PROPOSAL else f"status.{value}"
        return word(key, lang)

    head = "".join(
        f"<th style='{_CELL}'>{html.escape(_t(f'col_{k}', lang))}</th>"
        for k in ("aios", "domain", "now", "then")
    )
    rows = []
    previous = None
    for c in changes:
        first = c.aios_id != previous  # the aios is named on its first row only
        previous = c.aios_id
        who = f"{c.display_name} ({c.aios_id})" if first else ""
        domain = _t("proposal", lang) if c.domain == PROPOSAL else names.get(c.domain, c.domain)
        bold = ("<b>", "</b>") if c.domain == PROPOSAL else ("", "")
        cells = "".join(
            f"<td style='{_CELL}'>{bold[0]}{html.escape(v)}{bold[1]}</td>"
            for v in (who, domain, status(c, c.before), status(c, c.after))
        )
        style = " style='border-top:1px solid #bbb'" if first else ""
        rows.append(f"<tr{style}>{cells}</tr>")
    n_aios = len({c.aios_id for c in changes})
    count = html.escape(_t("count", lang, n=len(changes), m=n_aios))
    return (
        f"<p>{count}</p><table class='mlkit-whatif-table'><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


class CalibrationPanel:
    """Sliders for the evidence rules, the what-if table and the apply button."""

    def __init__(
        self,
        whatif: WhatIf,
        *,
        lang: Lang = "nl",
        applied_by: str = "",
        now: datetime | None = None,
    ) -> None:
        self.whatif, self.lang, self.now = whatif, lang, now
        self.names = {
            d.code: domain_name(d.domain, lang) for a in whatif.cohort for d in a.analysis.domains
        }
        rules = whatif.rules
        self.sliders: dict[str, w.IntSlider] = {}
        for name, (key, lowest, high) in SLIDERS.items():
            low = whatif.msf_floor() if name == "msf_min_respondents" else lowest
            value = int(getattr(rules, name))
            slider = w.IntSlider(
                value=value,
                min=min(low, value),
                max=max(high, value),
                description=_t(key, lang),
                continuous_update=False,
                style=_SLIDER_STYLE,
                layout=w.Layout(width="480px"),
            )
            slider.add_class(f"mlkit-whatif-{key.replace('_', '-')}")
            slider.observe(lambda _change: self.refresh(), names="value")
            self.sliders[name] = slider
        self.min_observations = self.sliders["min_observations"]
        self.applied_by = w.Text(value=applied_by, description=_t("applied_by", lang), style=STYLE)
        self.apply_btn = w.Button(description=_t("apply", lang), button_style="warning")
        self.active = w.HTML(self._active_html())
        self.table = w.HTML()
        self.status = w.HTML()
        for name, widget in (
            ("applied-by", self.applied_by),
            ("apply", self.apply_btn),
            ("active", self.active),
            ("table", self.table),
            ("status", self.status),
        ):
            widget.add_class(f"mlkit-whatif-{name}-box")
        self.apply_btn.on_click(lambda _: self.apply())
        intro = w.HTML(
            f"<h2>{html.escape(_t('title', lang))}</h2>"
            f"<p>{html.escape(_t('intro', lang, floor=whatif.msf_floor()))}</p>"
        )
        box = w.VBox(
            [
                intro,
                self.active,
                *self.sliders.values(),
                self.table,
                w.HBox([self.applied_by, self.apply_btn]),
                self.status,
            ]
        )
        self.widget = show(box, _t("repr", lang))
        self.widget.add_class("mlkit-whatif")
        self.refresh()

    def proposed(self) -> EvidenceRules:
        """The rules as the sliders set them (every other rule as in force)."""
        values: dict[str, Any] = self.whatif.rules.model_dump()
        values.update({name: int(s.value) for name, s in self.sliders.items()})
        return EvidenceRules.model_validate(values)

    def _active_html(self) -> str:
        a = self.whatif.active
        title = a.title.get(self.lang) or a.id
        text = _t("active", self.lang, label=a.label(), title=title, status=a.status.value)
        if a.applied_by and a.applied_at is not None:
            when = long_date(a.applied_at.date(), self.lang)
            text += "; " + _t("prov_applied", self.lang, who=a.applied_by, date=when)
        return f"<p class='mlkit-whatif-active'>{html.escape(text)}</p>"

    def refresh(self) -> None:
        """Recompute the table for the sliders' rules (nothing is written)."""
        changes = self.whatif.changes(self.proposed())
        self.table.value = changes_html(changes, self.names, self.lang)
        self.status.value = ""

    def apply(self) -> bool:
        """Write the sliders' rules as the store's next version; True when a file was written."""
        rules = self.proposed()
        if rules == self.whatif.rules:
            self.status.value = html.escape(_t("unchanged", self.lang))
            return False
        try:
            path = self.whatif.apply(rules, applied_by=str(self.applied_by.value), now=self.now)
        except MlkitError as exc:
            reason = str(getattr(exc, "reason", exc))
            self.status.value = problem_html(_t("problem", self.lang, reason=reason))
            return False
        self.active.value = self._active_html()
        self.refresh()
        text = _t("applied", self.lang, version=self.whatif.active.version, path=str(path))
        self.status.value = f"<div class='mlkit-whatif-applied'><b>{html.escape(text)}</b></div>"
        return True


__all__ = ["SLIDERS", "CalibrationPanel", "changes_html"]
