"""Evidence rules as versioned data: the bundled default and a store's own calibrated versions.

The numbers of :class:`~mlkit.analysis.rules.EvidenceRules` (observations, assessors, window,
MSF group minimum, ...) live in a YAML file with a ``version``, a source and a status. mlkit
bundles ``assessments/evidence_rules/default.yaml`` (mlkit's own default, ``unverified``). A
committee that calibrates the rules in the committee notebook writes a new version next to its
store, never over an earlier one::

    cohort.db
    cohort.rules/evidence-1.yaml     # the first calibration
    cohort.rules/evidence-2.yaml     # the next one: active

The newest version in ``<store dir>/<store stem>.rules/`` is active for every report made from
that store (:func:`active_evidence_rules`); with no such file the bundled default is. Every file
there is validated: a broken one is an error naming the file, the key and the line, never
silently skipped.

Example:
    >>> active_evidence_rules(Path("cohort.db")).label()  # doctest: +SKIP
    'default 2026.1'
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from functools import cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from mlkit._resources import bundled_assessments
from mlkit.analysis.rules import EvidenceRules
from mlkit.assessments.errors import AssessmentValidationError
from mlkit.assessments.yaml_model import load_model_file, parse_model
from mlkit.atomic import write_bytes_new
from mlkit.errors import MlkitError, Problem
from mlkit.frameworks.models import Status, Text

SCHEMA = "mlkit.evidence_rules/1"
COMMITTEE_ID = "committee"
_FILE = re.compile(r"^evidence-([1-9][0-9]*)\.yaml$")


class RulesApplyError(MlkitError, ValueError):
    """A calibration cannot be applied (who applies it is missing, or no version is free)."""

    def __init__(self, path: str | Path, field: str, value: object, reason: str) -> None:
        self.path = str(path)
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{self.path}: {field} = {value!r}: {reason}")

    def __reduce__(self) -> tuple[type[RulesApplyError], tuple[str, str, object, str]]:
        return (type(self), (self.path, self.field, self.value, self.reason))


class EvidenceRulesFile(BaseModel):
    """One versioned evidence-rules file.

    Attributes:
        id: ``default`` (bundled) or ``committee`` (a store's calibration).
        version: The bundled release (``2026.1``) or the store's sequence number (``1``, ``2``).
        title: What the rules are, per language.
        source: Where the numbers come from.
        status: ``unverified`` unless a source confirms them as a norm.
        note: Free explanation.
        based_on: The rules a calibration replaced (``id version``).
        applied_by: Who applied a calibration.
        applied_at: When it was applied (UTC).
        rules: The rules themselves.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_id: Literal["mlkit.evidence_rules/1"] = Field(
        default="mlkit.evidence_rules/1", alias="schema"
    )
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    version: str = Field(min_length=1)
    title: Text
    source: str = Field(min_length=1)
    status: Status
    note: str = ""
    based_on: str = ""
    applied_by: str = ""
    applied_at: datetime | None = None
    rules: EvidenceRules

    def label(self) -> str:
        """``id version``, as the reports print it."""
        return f"{self.id} {self.version}"

    def provenance(self) -> dict[str, Any]:
        """What a report's sidecar records about the rules it applied."""
        return {
            "id": self.id,
            "version": self.version,
            "status": self.status.value,
            "applied_by": self.applied_by or None,
            "applied_at": self.applied_at.isoformat() if self.applied_at else None,
        }

    def fold(self, data_sha256: str) -> str:
        """The report's data hash: the store's hash, with a calibration's version folded in.

        Reports under the bundled rules keep the store's own hash; under a calibration the hash
        changes with its version, so a resumed batch renders every report again.
        """
        if self.id != COMMITTEE_ID:
            return data_sha256
        return hashlib.sha256(f"{data_sha256}\nevidence rules {self.label()}".encode()).hexdigest()

    def to_yaml(self) -> str:
        """The file's YAML text (round-trips through :func:`parse_evidence_rules`)."""
        data = self.model_dump(mode="json", by_alias=True, exclude_defaults=False)
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def parse_evidence_rules(text: str, source: str = "<text>") -> EvidenceRulesFile:
    """Parse and validate an evidence-rules file from YAML text.

    Raises:
        AssessmentValidationError: naming the source, key path, line and reason per problem.
    """
    return parse_model(text, EvidenceRulesFile, source)


def load_evidence_rules_file(path: Path | Traversable) -> EvidenceRulesFile:
    """Load one evidence-rules file (a path or a bundled resource).

    Raises:
        AssessmentValidationError: when the file is missing or not valid.
    """
    return load_model_file(path, EvidenceRulesFile, "evidence rules file")


@cache
def bundled_evidence_rules() -> EvidenceRulesFile:
    """The bundled default rules (cached: the model is immutable)."""
    return load_evidence_rules_file(bundled_assessments() / "evidence_rules" / "default.yaml")


def rules_dir(db: Path) -> Path:
    """Where a store's calibrated rules live: ``<store dir>/<store stem>.rules/``."""
    return db.parent / f"{db.stem}.rules"


def _versions(db: Path) -> list[tuple[int, Path]]:
    folder = rules_dir(db)
    if not folder.is_dir():
        return []
    found: list[tuple[int, Path]] = []
    for path in folder.glob("evidence-*.yaml"):
        match = _FILE.match(path.name)
        if match is None:
            raise AssessmentValidationError(
                str(path),
                [Problem("(file name)", "name", "expected evidence-<n>.yaml", path.name)],
            )
        found.append((int(match.group(1)), path))
    return sorted(found)


def _load_version(n: int, path: Path) -> EvidenceRulesFile:
    rules = load_evidence_rules_file(path)
    if rules.id != COMMITTEE_ID or rules.version != str(n):
        got = f"{rules.id} {rules.version}"
        raise AssessmentValidationError(
            str(path),
            [Problem("version", "version", f"expected {COMMITTEE_ID} {n} (the file name)", got)],
        )
    return rules


@cache
def _load_cached(n: int, path: Path, mtime_ns: int, size: int) -> EvidenceRulesFile:
    return _load_version(n, path)


def store_evidence_rules(db: Path) -> list[EvidenceRulesFile]:
    """Every calibrated version of the store ``db``, oldest first (each one validated).

    Raises:
        AssessmentValidationError: for a file that is not valid, naming the file and the key.
    """
    out = []
    for n, path in _versions(db):
        stat = path.stat()
        out.append(_load_cached(n, path.resolve(), stat.st_mtime_ns, stat.st_size))
    return out


def active_evidence_rules(db: Path) -> EvidenceRulesFile:
    """The rules reports made from the store ``db`` apply: its newest version, or the default.

    Raises:
        AssessmentValidationError: when a file of the store's rules is not valid.
    """
    versions = store_evidence_rules(db)
    return versions[-1] if versions else bundled_evidence_rules()


def apply_evidence_rules(
    db: Path, rules: EvidenceRules, *, applied_by: str, now: datetime | None = None
) -> tuple[EvidenceRulesFile, Path]:
    """Write ``rules`` as the store's next version and return it with its path.

    The file is written atomically and never over an earlier version: a version number taken in
    the meantime by someone else is skipped.

    Raises:
        RulesApplyError: when ``applied_by`` is empty.
        AssessmentValidationError: when an existing version file is not valid.
    """
    who = applied_by.strip()
    folder = rules_dir(db)
    if not who:
        raise RulesApplyError(folder, "applied_by", applied_by, "say who applies the rules")
    when = (now or datetime.now(UTC)).replace(microsecond=0)
    current = active_evidence_rules(db)
    versions = _versions(db)
    n = versions[-1][0] + 1 if versions else 1
    for _ in range(100):
        doc = EvidenceRulesFile(
            id=COMMITTEE_ID,
            version=str(n),
            title=Text(
                nl="Regels voor voldoende bewijs (kalibratie door de commissie)",
                en="Rules for sufficient evidence (committee calibration)",
            ),
            source=f"committee calibration in the committee notebook, based on {current.label()}",
            status=current.status,
            note="The committee's own rules for this store; not a national norm.",
            based_on=current.label(),
            applied_by=who,
            applied_at=when,
            rules=rules,
        )
        path = folder / f"evidence-{n}.yaml"
        try:
            write_bytes_new(path, doc.to_yaml().encode("utf-8"))
        except FileExistsError:
            n += 1
            continue
        return doc, path
    raise RulesApplyError(folder, "version", n, "no free version number")


__all__ = [
    "COMMITTEE_ID",
    "EvidenceRulesFile",
    "RulesApplyError",
    "active_evidence_rules",
    "apply_evidence_rules",
    "bundled_evidence_rules",
    "load_evidence_rules_file",
    "parse_evidence_rules",
    "rules_dir",
    "store_evidence_rules",
]
