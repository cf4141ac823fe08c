"""``manifest.json``: what a batch rendered, from which inputs, with which result.

Per report the manifest keeps the parameters, the data hash, the template hash, the SHA-256 of
each output file, the status (``ok``, ``failed``, ``skipped``), the reason of a failure and the
seconds it took. It is rewritten atomically while the batch runs, so a killed batch leaves a
readable manifest, and a rerun skips every report that is still up to date.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mlkit import __version__
from mlkit.atomic import write_text_atomic
from mlkit.batch.jobs import JobResult, ReportJob, file_sha256

MANIFEST_NAME = "manifest.json"


@dataclass
class Manifest:
    """The manifest of one output directory.

    Attributes:
        path: Where it is stored.
        reports: Manifest entries by report key (``A0001_progress``).
    """

    path: Path
    reports: dict[str, dict[str, Any]] = field(default_factory=dict)
    created: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    _last_save: float = 0.0

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        """Read the manifest of ``out_dir``; an absent or unreadable one counts as empty."""
        path = out_dir / MANIFEST_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            reports = dict(data.get("reports", {}))
            created = str(data.get("created", ""))
        except (OSError, ValueError, AttributeError):
            return cls(path)
        return cls(path, reports, created or datetime.now(UTC).isoformat(timespec="seconds"))

    def is_up_to_date(self, job: ReportJob) -> bool:
        """Whether ``job`` was rendered before from the same inputs and its outputs are intact.

        Same parameters, data hash and template hash, status ``ok`` (or ``skipped`` from an
        earlier resume), and every output file present with the recorded SHA-256.
        """
        entry = self.reports.get(job.key)
        if not entry or entry.get("status") not in ("ok", "skipped"):
            return False
        if (
            entry.get("params") != job.params.model_dump()
            or entry.get("data_hash") != job.data_hash
            or entry.get("template_sha256") != job.template_sha256
        ):
            return False
        outputs: dict[str, str] = entry.get("outputs") or {}
        hashes: dict[str, str] = entry.get("outputs_sha256") or {}
        if not outputs or set(outputs) != set(hashes):
            return False
        for name, file_name in outputs.items():
            path = job.out_dir / file_name
            if not path.is_file() or file_sha256(path) != hashes[name]:
                return False
        return True

    def skipped(self, job: ReportJob) -> JobResult:
        """Return the result of a job skipped as up to date (hashes carried over)."""
        entry = self.reports[job.key]
        return JobResult.for_job(
            job,
            "skipped",
            seconds=0.0,
            outputs=dict(entry["outputs"]),
            outputs_sha256=dict(entry["outputs_sha256"]),
        )

    def record(self, result: JobResult) -> None:
        """Store the result of one report (call :meth:`save` to write it)."""
        entry = result.to_json()
        entry["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        self.reports[result.key] = entry

    def save(self, *, min_interval: float = 0.0) -> None:
        """Rewrite the manifest atomically, at most once per ``min_interval`` seconds."""
        now = time.monotonic()
        if min_interval and now - self._last_save < min_interval:
            return
        data = {
            "mlkit_version": __version__,
            "created": self.created,
            "updated": datetime.now(UTC).isoformat(timespec="seconds"),
            "counts": self.counts(),
            "reports": dict(sorted(self.reports.items())),
        }
        write_text_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        self._last_save = now

    def counts(self) -> dict[str, int]:
        """Return the number of reports per status."""
        counts = {"ok": 0, "failed": 0, "skipped": 0}
        for entry in self.reports.values():
            status = str(entry.get("status"))
            counts[status] = counts.get(status, 0) + 1
        return counts
