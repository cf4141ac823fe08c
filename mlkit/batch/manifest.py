"""``manifest.json``: what a batch rendered, from which inputs, with which result.

Per report the manifest keeps the parameters, the data hash, the template hash, the SHA-256 of
each output file, the status (``ok``, ``failed``, ``skipped``), the reason of a failure and the
seconds it took. It is rewritten atomically while the batch runs (under the output directory's
lock, merged with what is on disk), so a killed batch leaves a readable manifest, and a rerun
skips every report that is still up to date.

A damaged manifest does not stop a batch: an unreadable file is kept as
``manifest.json.damaged`` and entries of the wrong shape are dropped; a report whose entry is
missing is recognised from its own sidecar (same parameters, data and template; notebook and
HTML with the SHA-256 the sidecar records) and kept, everything else is rendered again.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mlkit import __version__
from mlkit.atomic import write_text_atomic
from mlkit.batch.jobs import JobResult, ReportJob
from mlkit.reports.render import file_sha256
from mlkit.reports.sidecar import SidecarReadError, read_sidecar

MANIFEST_NAME = "manifest.json"
_STATUSES = ("ok", "failed", "skipped")
_OUTPUTS = ("notebook", "html", "sidecar")


def _str_dict(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


def entry_problem(key: object, entry: object) -> str | None:
    """Return why a manifest entry is unusable, or None when it has the expected shape."""
    if not isinstance(key, str) or not isinstance(entry, dict):
        return "not an object"
    checks = {
        "status": entry.get("status") in _STATUSES,
        "params": isinstance(entry.get("params"), dict),
        "data_hash": isinstance(entry.get("data_hash"), str),
        "template_sha256": isinstance(entry.get("template_sha256"), str),
        "outputs": _str_dict(entry.get("outputs", {})),
        "outputs_sha256": _str_dict(entry.get("outputs_sha256", {})),
    }
    bad = [name for name, ok in checks.items() if not ok]
    return f"bad {', '.join(bad)}" if bad else None


def _read(path: Path) -> tuple[dict[str, Any] | None, str]:
    """Return (the manifest's top-level object, "") or (None, why it is unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, ""
    except (OSError, ValueError) as exc:
        return None, f"{type(exc).__name__}: {exc}"
    if not isinstance(data, dict) or not isinstance(data.get("reports", {}), dict):
        return None, "not a manifest object"
    return data, ""


def _valid_reports(data: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], list[str]]:
    reports: dict[str, dict[str, Any]] = {}
    dropped: list[str] = []
    for key, entry in dict(data.get("reports", {})).items():
        problem = entry_problem(key, entry)
        if problem is None:
            reports[key] = entry
        else:
            dropped.append(f"{key}: {problem}")
    return reports, dropped


@dataclass
class Manifest:
    """The manifest of one output directory.

    Attributes:
        path: Where it is stored.
        reports: Manifest entries by report key (``A0001_progress``).
        repairs: What was wrong with the file on disk and what was done about it.
        packet: The committee packet PDF of ``--pdf`` (see :mod:`mlkit.batch.packet_step`).
    """

    path: Path
    reports: dict[str, dict[str, Any]] = field(default_factory=dict)
    created: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    repairs: list[str] = field(default_factory=list)
    packet: dict[str, Any] | None = None
    _last_save: float = 0.0
    _touched: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        """Read the manifest of ``out_dir``; an absent one is empty, a damaged one is repaired."""
        path = out_dir / MANIFEST_NAME
        data, why = _read(path)
        if data is None:
            backup = path.with_name(MANIFEST_NAME + ".damaged")
            try:
                shutil.copyfile(path, backup)
                kept = f"kept as {backup.name}"
            except OSError as exc:
                kept = f"not kept: {exc.strerror or exc}"
            return cls(path, repairs=[f"unreadable ({why}); {kept}"])
        reports, dropped = _valid_reports(data)
        created = data.get("created")
        manifest = cls(path, reports, repairs=[f"dropped {d}" for d in dropped])
        if isinstance(created, str) and created:
            manifest.created = created
        if isinstance(data.get("packet"), dict):
            manifest.packet = data["packet"]
        return manifest

    def is_up_to_date(self, job: ReportJob) -> bool:
        """Whether ``job`` was rendered before from the same inputs and its outputs are intact.

        Same parameters, data hash and template hash, status ``ok`` (or ``skipped`` from an
        earlier resume), and every output file present with the recorded SHA-256. A report with
        no manifest entry is recognised from its sidecar (see :meth:`recover`).
        """
        entry = self.reports.get(job.key) or self.recover(job)
        if not entry or entry.get("status") not in ("ok", "skipped"):
            return False
        if (
            entry.get("params") != job.params.notebook_parameters()
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

    def recover(self, job: ReportJob) -> dict[str, Any] | None:
        """Rebuild the entry of ``job`` from its sidecar when the manifest has none.

        The sidecar records the parameters, the data and template hashes and the SHA-256 of the
        notebook and HTML; when they all match ``job`` and the files on disk, the report is
        up to date and its entry is restored. Returns the entry, or None.
        """
        stem = job.out_dir / job.key
        files = {
            "notebook": stem.with_name(stem.name + ".ipynb"),
            "html": stem.with_name(stem.name + ".html"),
            "sidecar": stem.with_name(stem.name + ".json"),
        }
        try:
            sidecar = read_sidecar(files["sidecar"])
        except SidecarReadError:
            return None
        provenance = sidecar.provenance
        recorded = provenance.outputs_sha256
        try:
            if (
                sidecar.ok is not True
                or set(recorded) != {"notebook", "html"}
                or provenance.parameters != job.params.notebook_parameters()
                or provenance.template_sha256 != job.template_sha256
                or provenance.data_sha256 != job.data_hash
                or any(file_sha256(files[n]) != h for n, h in recorded.items())
            ):
                return None
            hashes = {**recorded, "sidecar": file_sha256(files["sidecar"])}
        except OSError:
            return None
        result = JobResult.for_job(
            job,
            "ok",
            outputs={n: p.name for n, p in files.items()},
            outputs_sha256=hashes,
        )
        self.record(result)
        self.repairs.append(f"restored {job.key} from its sidecar")
        return self.reports[job.key]

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
        self._touched.add(result.key)

    def save(self, *, min_interval: float = 0.0) -> None:
        """Rewrite the manifest atomically, at most once per ``min_interval`` seconds.

        Entries on disk that this run did not touch are kept (merged), so nothing another run
        recorded is lost; call it while holding the output directory's lock.
        """
        now = time.monotonic()
        if min_interval and now - self._last_save < min_interval:
            return
        on_disk, _ = _read(self.path)
        merged, _ = _valid_reports(on_disk or {})
        for key, entry in self.reports.items():
            if key in self._touched or key not in merged:
                merged[key] = entry
        self.reports = merged
        if self.packet is None and isinstance((on_disk or {}).get("packet"), dict):
            self.packet = (on_disk or {})["packet"]
        data = {
            "mlkit_version": __version__,
            "created": self.created,
            "updated": datetime.now(UTC).isoformat(timespec="seconds"),
            "counts": self.counts(),
            "reports": dict(sorted(self.reports.items())),
        }
        if self.packet is not None:
            data["packet"] = self.packet
        write_text_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        self._last_save = now

    def counts(self) -> dict[str, int]:
        """Return the number of reports per status."""
        counts = {"ok": 0, "failed": 0, "skipped": 0}
        for entry in self.reports.values():
            status = str(entry.get("status"))
            counts[status] = counts.get(status, 0) + 1
        return counts
