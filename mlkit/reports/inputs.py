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
from mlkit.meeting.decisions import Decision, history_of
from mlkit.reports.params import ReportParams
from mlkit.store import Store
from mlkit.store.snapshot import AiosRecords


class StoreMissingError(MlkitError, FileNotFoundError):
    """The store a report should read does not exist (it is never created by a report)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path}: no such store; import data first (mlkit import FILE --db PATH)")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path,))


class DataChangedError(MlkitError, RuntimeError):
    """The store changed between the host's check and the kernel's read of one report.

    The report is not shown with data other than the data whose hash the host recorded; render
    it again (a batch rerun does so by itself).
    """

    def __init__(self, aios_id: str, expected: str, found: str) -> None:
        self.aios_id = aios_id
        self.expected = expected
        self.found = found
        super().__init__(
            f"aios {aios_id!r}: the store changed while the report was rendered (checked data "
            f"{expected[:12]}, read data {found[:12]}); render it again"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.aios_id, self.expected, self.found))


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


def _fingerprint(directory: Path | None) -> tuple[tuple[str, int, int], ...]:
    if directory is None:
        return ()
    return tuple(
        sorted(
            (p.name, p.stat().st_mtime_ns, p.stat().st_size)
            for p in directory.iterdir()
            if p.is_file()
        )
    )


@lru_cache(maxsize=8)
def _load_reference(
    frameworks_dir: Path | None,
    curricula_dir: Path | None,
    fingerprint: tuple[tuple[tuple[str, int, int], ...], ...],
) -> ReferenceData:
    frameworks = load_all(frameworks_dir)
    instruments = load_instruments(frameworks=frameworks)
    curricula = load_curricula(curricula_dir, instruments=instruments, frameworks=frameworks)
    return ReferenceData(frameworks, instruments, curricula)


def load_reference(
    frameworks_dir: Path | None = None, curricula_dir: Path | None = None
) -> ReferenceData:
    """Load and validate the frameworks, instruments and curricula.

    The result is cached per process (the models are immutable), keyed on the user framework
    and curriculum directories and their files' sizes and modification times, so a warm batch
    kernel validates the bundled data once while an edited user file is still picked up.
    """
    fingerprint = (_fingerprint(frameworks_dir), _fingerprint(curricula_dir))
    return _load_reference(frameworks_dir, curricula_dir, fingerprint)


@dataclass(frozen=True)
class Snapshot:
    """What one report shows: the aios' records and the evidence rules they are judged by.

    Attributes:
        records: The records, read in one read transaction.
        rules: The store's active evidence rules (its newest calibration, or the default).
        data_sha256: The records' hash with a calibration's version folded in: the hash of
            exactly what the report shows, which the host pins and the kernel checks.
    """

    records: AiosRecords
    rules: EvidenceRulesFile
    data_sha256: str


def read_snapshot(params: ReportParams) -> Snapshot:
    """Read the records of ``params.aios_id`` in one read transaction of the store.

    The one place a report meets the store, on the host (to check) and in the kernel (to show).

    Raises:
        StoreMissingError: when the store file does not exist (a report never creates one).
        AiosNotFoundError: when the aios is not in the store.
        AssessmentValidationError: when a file of the store's evidence rules is not valid.
        DataChangedError: when ``params.expected_data_sha256`` is set and the data read has
            another hash (an import or a calibration committed after the host's check).
    """
    db = params.db
    if not db.is_file():
        raise StoreMissingError(db)
    rules = active_evidence_rules(db)  # the store's newest calibration, or the bundled default
    with Store.open(db) as store:
        records = store.records(params.aios_id)
    found = rules.fold(records.data_sha256)
    expected = params.expected_data_sha256
    if expected is not None and found != expected:
        raise DataChangedError(params.aios_id, expected, found)
    return Snapshot(records, rules, found)


def check_store(params: ReportParams) -> ReportParams:
    """Check the store and the aios on the host; return ``params`` pinned to the data seen.

    One read transaction checks that the store and the aios exist and hashes the aios' data;
    the kernel then refuses to show other data (see :func:`read_snapshot`).

    Raises:
        StoreMissingError: when the store file does not exist.
        AiosNotFoundError: when the aios is not in the store.
        AssessmentValidationError: when a file of the store's evidence rules is not valid.
    """
    return params.with_data_hash(read_snapshot(params).data_sha256)


def load_inputs(params: ReportParams, reference: ReferenceData | None = None) -> ReportInputs:
    """Read the records of ``params.aios_id`` (one read transaction) and the reference data.

    Raises:
        StoreMissingError: when the store file does not exist.
        AiosNotFoundError: when the aios is not in the store.
        DataChangedError: when the data differs from the data the host checked.
    """
    snapshot = read_snapshot(params)
    records = snapshot.records
    ref = reference or load_reference(params.frameworks_dir, params.curricula_dir)
    row = records.aios.iloc[0]
    specialty = row["specialty"] if isinstance(row["specialty"], str) else None
    return ReportInputs(
        params=params,
        aios=row,
        scores=records.scores,
        forms=records.forms,
        activities=records.activities,
        reflections=records.reflections,
        data_sha256=snapshot.data_sha256,
        frameworks=ref.frameworks,
        instruments=ref.instruments,
        curriculum=curriculum_for(specialty, ref.curricula),
        decisions=tuple(history_of(records.decisions)),
        evidence_rules=snapshot.rules,
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
