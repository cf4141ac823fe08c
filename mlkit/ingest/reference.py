"""The reference data an import is checked against: instruments, codes, tracks, curricula."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from mlkit.assessments.models import Curriculum, Instrument, InstrumentKind


@dataclass(frozen=True)
class Reference:
    """What valid rows may name.

    Attributes:
        instruments: Instrument code -> instrument (forms, the activity log, reflections).
        framework_codes: Every code of every framework (domains in activities and reflections).
        track_codes: Codes of talent tracks (the ``traject`` column of activities).
        curricula: The curricula a roster's specialty names resolve through; None loads the
            bundled and user ones (``MLKIT_CURRICULA_PATH``) when a roster is checked.
        track_names: Lower-cased names of talent tracks (aliases such as the FMS spelling
            "Talentklas", titles, codes without prefix) -> track code.
        untitled_codes: Framework codes without a title yet; items evidencing only these are
            not assessable, so never required (see :mod:`mlkit.forms.rules`).
    """

    instruments: Mapping[str, Instrument]
    framework_codes: frozenset[str]
    track_codes: frozenset[str]
    curricula: Mapping[str, Curriculum] | None = None
    track_names: Mapping[str, str] = field(default_factory=dict)
    untitled_codes: frozenset[str] = frozenset()

    @classmethod
    def load(cls, curricula_dir: Path | None = None) -> Reference:
        """Load the bundled (and user) instruments, frameworks and curricula.

        Args:
            curricula_dir: User curricula; ``$MLKIT_CURRICULA_PATH`` when None.

        Raises:
            AssessmentValidationError: when an instrument or curriculum file is broken.
            FrameworkValidationError: when a framework file is broken.
        """
        from mlkit.assessments import load_curricula, load_instruments
        from mlkit.forms.rules import untitled_codes
        from mlkit.frameworks import load_all
        from mlkit.frameworks.models import talent_track_index

        frameworks = load_all()
        codes = frozenset(code for fw in frameworks.values() for code in fw.codes())
        tracks = frozenset(t.code for fw in frameworks.values() for t in fw.talent_tracks)
        instruments = load_instruments(frameworks=frameworks)
        curricula = load_curricula(curricula_dir, instruments=instruments, frameworks=frameworks)
        return cls(
            instruments,
            codes,
            tracks,
            curricula,
            talent_track_index(frameworks.values()),
            untitled_codes(frameworks.values()),
        )

    def roster_curricula(self) -> Mapping[str, Curriculum]:
        """The curricula specialty names resolve through (loaded now when not given)."""
        if self.curricula is not None:
            return self.curricula
        from mlkit.assessments import load_curricula

        return load_curricula(instruments=self.instruments)

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
