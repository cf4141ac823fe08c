"""The reference data an import is checked against: instruments, framework codes, talent tracks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mlkit.assessments.models import Instrument, InstrumentKind


@dataclass(frozen=True)
class Reference:
    """What valid rows may name.

    Attributes:
        instruments: Instrument code -> instrument (forms, the activity log, reflections).
        framework_codes: Every code of every framework (domains in activities and reflections).
        track_codes: Codes of talent tracks (the ``traject`` column of activities).
        untitled_codes: Framework codes without a title yet; items evidencing only these are
            not assessable, so never required (see :mod:`mlkit.forms.rules`).
    """

    instruments: Mapping[str, Instrument]
    framework_codes: frozenset[str]
    track_codes: frozenset[str]
    untitled_codes: frozenset[str] = frozenset()

    @classmethod
    def load(cls) -> Reference:
        """Load the bundled (and user) instruments and frameworks.

        Raises:
            AssessmentValidationError: when an instrument file is broken.
            FrameworkValidationError: when a framework file is broken.
        """
        from mlkit.assessments import load_instruments
        from mlkit.forms.rules import untitled_codes
        from mlkit.frameworks import load_all

        frameworks = load_all()
        codes = frozenset(code for fw in frameworks.values() for code in fw.codes())
        tracks = frozenset(t.code for fw in frameworks.values() for t in fw.talent_tracks)
        untitled = untitled_codes(frameworks.values())
        return cls(load_instruments(frameworks=frameworks), codes, tracks, untitled)

    def form_instruments(self) -> dict[str, Instrument]:
        """The instruments whose records are forms with item scores."""
        return {c: i for c, i in self.instruments.items() if i.kind is InstrumentKind.FORM}

    def activity_types(self) -> frozenset[str] | None:
        """Allowed activity types (item codes of the activity instrument), None if unrestricted."""
        for inst in self.instruments.values():
            if inst.kind is InstrumentKind.ACTIVITY and inst.items:
                return frozenset(item.code for item in inst.items)
        return None


__all__ = ["Reference"]
