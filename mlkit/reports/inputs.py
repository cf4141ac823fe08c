"""Everything one report needs, read for one aios only.

Every query names the aios, so a report can only ever hold that aios' records; the cohort-wide
reference data (frameworks, instruments, curricula) holds no personal data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from mlkit.analysis import ProgressAnalysis, analyse_progress
from mlkit.analysis.rules_files import (
    EvidenceRulesFile,
    active_evidence_rules,
    bundled_evidence_rules,
)
from mlkit.assessments import curriculum_for, load_curricula, load_instruments
from mlkit.assessments.models import Curriculum, Instrument
from mlkit.errors import MlkitError
from mlkit.frameworks import load_all
from mlkit.frameworks.models import Framework
from mlkit.meeting.decisions import Decision, history
from mlkit.reports.params import ReportParams
from mlkit.store import Store


class StoreMissingError(MlkitError, FileNotFoundError):
    """The store a report should read does not exist (it is never created by a report)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path}: no such store; import data first (mlkit import FILE --db PATH)")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path,))


@dataclass(frozen=True)
class ReportInputs:
    """The records of one aios plus the reference data, as read for one report."""

    params: ReportParams
    aios: pd.Series
    scores: pd.DataFrame
    forms: pd.DataFrame
    activities: pd.DataFrame
    reflections: pd.DataFrame
    data_sha256: str
    frameworks: dict[str, Framework]
    instruments: dict[str, Instrument]
    curriculum: Curriculum
    decisions: tuple[Decision, ...] = ()
    evidence_rules: EvidenceRulesFile = field(default_factory=bundled_evidence_rules)


@dataclass(frozen=True)
class ReferenceData:
    """Frameworks, instruments and curricula: loaded once, shared by every report of a batch."""

    frameworks: dict[str, Framework]
    instruments: dict[str, Instrument]
    curricula: dict[str, Curriculum]


def _fingerprint(directory: str) -> tuple[tuple[str, int, int], ...]:
    if not directory:
        return ()
    return tuple(
        sorted(
            (p.name, p.stat().st_mtime_ns, p.stat().st_size)
            for p in Path(directory).iterdir()
            if p.is_file()
        )
    )


@lru_cache(maxsize=8)
def _load_reference(
    frameworks_dir: str,
    curricula_dir: str,
    fingerprint: tuple[tuple[tuple[str, int, int], ...], ...],
) -> ReferenceData:
    frameworks = load_all(Path(frameworks_dir) if frameworks_dir else None)
    instruments = load_instruments(frameworks=frameworks)
    curricula = load_curricula(
        Path(curricula_dir) if curricula_dir else None,
        instruments=instruments,
        frameworks=frameworks,
    )
    return ReferenceData(frameworks, instruments, curricula)


def load_reference(frameworks_dir: str = "", curricula_dir: str = "") -> ReferenceData:
    """Load and validate the frameworks, instruments and curricula.

    The result is cached per process (the models are immutable), keyed on the user framework
    and curriculum directories and their files' sizes and modification times, so a warm batch
    kernel validates the bundled data once while an edited user file is still picked up.
    """
    fingerprint = (_fingerprint(frameworks_dir), _fingerprint(curricula_dir))
    return _load_reference(frameworks_dir, curricula_dir, fingerprint)


def load_inputs(params: ReportParams, reference: ReferenceData | None = None) -> ReportInputs:
    """Read the records of ``params.aios_id`` from the store named by ``params.db``.

    Raises:
        StoreMissingError: when the store file does not exist.
        AiosNotFoundError: when the aios is not in the store.
        AssessmentValidationError: when a file of the store's evidence rules is not valid.
    """
    db = params.store_path()
    if not db.is_file():
        raise StoreMissingError(db)
    ref = reference or load_reference(params.frameworks_dir, params.curricula_dir)
    rules = active_evidence_rules(db)  # the store's newest calibration, or the bundled default
    with Store.open(db) as store:
        aios = store.aios(params.aios_id)
        scores = store.scores(params.aios_id)
        forms = store.forms(params.aios_id)
        activities = store.activities(params.aios_id)
        reflections = store.reflections(params.aios_id)
        data_sha256 = store.data_hash(params.aios_id)
        decisions = tuple(history(store, params.aios_id))
    row = aios.iloc[0]
    specialty = row["specialty"] if isinstance(row["specialty"], str) else None
    return ReportInputs(
        params=params,
        aios=row,
        scores=scores,
        forms=forms,
        activities=activities,
        reflections=reflections,
        data_sha256=rules.fold(data_sha256),
        frameworks=ref.frameworks,
        instruments=ref.instruments,
        curriculum=curriculum_for(specialty, ref.curricula),
        decisions=decisions,
        evidence_rules=rules,
    )


def analyse(inputs: ReportInputs) -> ProgressAnalysis:
    """Run the progress analysis on the inputs of one report."""
    return analyse_progress(
        inputs.aios,
        inputs.scores,
        inputs.forms,
        inputs.activities,
        inputs.reflections,
        inputs.instruments,
        inputs.curriculum,
        inputs.params.reference_date(),
        inputs.evidence_rules.rules,
        framework=inputs.frameworks.get("rml"),
    )
