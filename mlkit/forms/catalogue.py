"""What the forms offer, derived from the loaded instruments and frameworks (never hard-coded).

:class:`Catalogue` is loaded once per notebook: the instruments an opleider fills in, their
assessable items with labels, the RML domains with a title, the Santeon characteristics, and the
reference data the importer checks against (so the notebook and an import agree).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from mlkit import catalogue
from mlkit.assessments.models import Instrument, InstrumentKind, Item, Scale
from mlkit.forms.rules import assessable_items, required_items
from mlkit.frameworks.models import Framework, Lang
from mlkit.ingest.reference import Reference

#: The instrument holding one developmental-scale item per RML domain.
SELF_INSTRUMENT = "self_assessment"
OPLEIDER_ROLE = "opleider"
AIOS_ROLE = "aios"


def word(key: str, lang: Lang) -> str:
    """A fixed form word in ``lang`` (catalogue key ``form.<key>``).

    A narrative field a programme's own instrument adds, and the catalogue does not know, reads
    as its name, capitalised.
    """
    try:
        return catalogue.word(f"form.{key}", lang)
    except KeyError:
        return key.replace("_", " ").capitalize()


def _text(title: object, lang: Lang) -> str:
    get = getattr(title, "get", None)
    value = get(lang) if get is not None else None
    return str(value) if value else ""


@dataclass(frozen=True)
class Catalogue:
    """Instruments, frameworks and reference data of one notebook session."""

    reference: Reference
    frameworks: dict[str, Framework]

    @classmethod
    def load(cls) -> Catalogue:
        """Load the bundled (and user) instruments and frameworks."""
        from mlkit.frameworks import load_all

        return cls(Reference.load(), dict(load_all()))

    def instrument(self, code: str) -> Instrument:
        """Return the instrument ``code`` (KeyError when unknown)."""
        return self.reference.instruments[code]

    @cached_property
    def opleider_instruments(self) -> list[Instrument]:
        """Instruments an opleider fills in.

        Forms without respondent groups or with an ``opleider`` group, and the activity log.
        """
        out = []
        for inst in self.reference.instruments.values():
            roles = {r.code for r in inst.respondent_roles}
            if (
                inst.kind is InstrumentKind.FORM and (not roles or OPLEIDER_ROLE in roles)
            ) or inst.kind is InstrumentKind.ACTIVITY:
                out.append(inst)
        return out

    def instrument_label(self, inst: Instrument, lang: Lang) -> str:
        """How an instrument is named in the form's choice."""
        if inst.code == SELF_INSTRUMENT:
            return word("rml_per_domain", lang)
        return _text(inst.title, lang) or inst.code

    def items(self, inst: Instrument) -> list[Item]:
        """The items a form of ``inst`` shows (not those on untitled framework slots)."""
        return assessable_items(inst, self.reference.untitled_codes)

    def required(self, inst: Instrument) -> frozenset[str]:
        """Codes of the items a complete form of ``inst`` must answer."""
        return required_items(inst, self.reference.untitled_codes)

    def _per_domain(self, inst: Instrument) -> bool:
        evid = [it.evidences for it in inst.items]
        return all(len(e) == 1 for e in evid) and len({e[0] for e in evid}) == len(evid)

    def title_of(self, code: str, lang: Lang) -> str:
        """The title of framework item ``code`` in ``lang`` ("" when it has none)."""
        for fw in self.frameworks.values():
            if code.startswith(f"{fw.id}."):
                try:
                    return _text(getattr(fw.item(code), "title", None), lang)
                except KeyError:
                    return ""
        return ""

    def item_label(self, inst: Instrument, item: Item, lang: Lang) -> str:
        """An item's label: the framework's title for a one-item-per-domain instrument."""
        if self._per_domain(inst):
            title = self.title_of(item.evidences[0], lang)
            if title:
                return title
        return _text(item.title, lang) or item.code

    def scale_of(self, inst: Instrument, item: Item) -> Scale:
        """The scale of ``item``."""
        return inst.scale(item.scale)

    def rml_domains(self, lang: Lang) -> list[tuple[str, str, Item]]:
        """(domain code, title, self-assessment item) per assessable RML domain, in order."""
        inst = self.instrument(SELF_INSTRUMENT)
        return [
            (it.evidences[0], self.item_label(inst, it, lang), it)
            for it in self.items(inst)
            if it.evidences
        ]

    def santeon_characteristics(self, lang: Lang) -> list[tuple[str, str]]:
        """(code, title) of every Santeon characteristic (none when the profile is missing)."""
        fw = self.frameworks.get("santeon")
        if fw is None:
            return []
        return [
            (ch.code, _text(ch.title, lang) or ch.code)
            for cl in fw.characteristic_clusters
            for ch in cl.characteristics
        ]


__all__ = ["AIOS_ROLE", "OPLEIDER_ROLE", "SELF_INSTRUMENT", "Catalogue", "word"]
