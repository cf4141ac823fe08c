"""``mlkit batch --pdf``: the batch's committee packet, rebuilt only when its contents changed.

The packet (:mod:`mlkit.reports.packet`) holds a cover, ``index.html`` and every report that
rendered (``ok`` or up to date), per aios in selection order. ``manifest.json`` records it under
``packet``: the file name, its SHA-256, the page count, a fingerprint of its contents and per
part the report key and the SHA-256 of the HTML it was made from. A rerun rebuilds the PDF only
when the fingerprint differs (a report's HTML changed, a report was added or dropped, the
overview's inputs changed), when the PDF is missing or altered, or with ``--force``.

The overview counts by its inputs (the selection with each aios' data hash, and each report's
status, reason and HTML hash), not by the bytes of ``index.html``, which carry the run's time
and counts.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlkit.batch.jobs import JobResult
from mlkit.batch.manifest import Manifest
from mlkit.batch.select import AiosEntry
from mlkit.catalogue import word
from mlkit.frameworks.models import Lang
from mlkit.reports.index import INDEX_NAME
from mlkit.reports.packet import (
    PACKET_NAME,
    PacketAios,
    PacketCover,
    PacketReport,
    PartProgress,
    build_packet,
    packet_fingerprint,
)
from mlkit.reports.params import PARAM_MODELS
from mlkit.reports.render import file_sha256, rendered_at

if TYPE_CHECKING:
    from mlkit.batch.runner import BatchResult


def overview_key(aios: Sequence[AiosEntry], results: Sequence[JobResult], lang: str) -> str:
    """Return a hash of what the overview is made of (see the module docstring)."""
    reports = sorted(
        (
            r.key,
            "failed" if r.status == "failed" else "ok",
            r.reason or "",
            r.outputs_sha256.get("html", ""),
        )
        for r in results
    )
    selection = [
        [a.aios_id, a.data_hash, a.display_name, a.specialty, a.training_year] for a in aios
    ]
    text = json.dumps([lang, selection, reports], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _packet_aios(
    out_dir: Path, aios: Sequence[AiosEntry], results: Sequence[JobResult], lang: Lang
) -> list[PacketAios]:
    order = {kind: i for i, kind in enumerate(PARAM_MODELS)}
    by_aios: dict[str, list[JobResult]] = {}
    for r in results:
        if r.status in ("ok", "skipped") and r.outputs.get("html"):
            by_aios.setdefault(r.aios_id, []).append(r)
    packet: list[PacketAios] = []
    for entry in aios:
        done = sorted(by_aios.get(entry.aios_id, []), key=lambda r: order.get(r.kind, 99))
        if not done:
            continue  # every report failed: the overview lists why
        reports = tuple(
            PacketReport(r.key, _kind_label(r.kind, lang), out_dir / r.outputs["html"])
            for r in done
        )
        name = f"{entry.display_name} ({entry.aios_id})" if entry.display_name else entry.aios_id
        packet.append(PacketAios(entry.aios_id, name, reports))
    return packet


def _kind_label(kind: str, lang: Lang) -> str:
    try:
        text = word(f"kind.{kind}", lang)
    except KeyError:  # a custom template's kind
        text = kind
    return text[:1].upper() + text[1:]


def write_batch_packet(
    out_dir: Path,
    aios: Sequence[AiosEntry],
    results: Sequence[JobResult],
    manifest: Manifest,
    *,
    lang: Lang,
    workers: int,
    force: bool = False,
    progress: PartProgress | None = None,
) -> tuple[Path, bool]:
    """Write ``packet.pdf`` into ``out_dir`` unless it is up to date; record it in the manifest.

    Returns:
        The PDF's path and whether it was (re)built.

    Raises:
        PacketError: when the PDF cannot be made (the old one, if any, is left as it was).
    """
    as_of = next((str(r.params.get("as_of")) for r in results if r.params.get("as_of")), "")
    cover = PacketCover(lang, as_of or date.today().isoformat(), len(aios))
    packet = _packet_aios(out_dir, aios, results, lang)
    fingerprint = packet_fingerprint(cover, packet, overview_key(aios, results, lang))
    path = out_dir / PACKET_NAME
    recorded: dict[str, Any] = manifest.packet or {}
    if (
        not force
        and recorded.get("fingerprint") == fingerprint
        and path.is_file()
        and file_sha256(path) == recorded.get("sha256")
    ):
        return path, False
    built = build_packet(
        path, cover, out_dir / INDEX_NAME, packet, workers=workers, progress=progress
    )
    manifest.packet = {
        "file": path.name,
        "sha256": built.sha256,
        "pages": built.pages,
        "fingerprint": fingerprint,
        "built_at": rendered_at(),
        "parts": built.parts,
    }
    manifest.save()
    return path, True


def add_packet(
    result: BatchResult,
    out_dir: Path,
    aios: Sequence[AiosEntry],
    manifest: Manifest,
    lang: Lang,
    workers: int,
    force: bool,
    progress: PartProgress | None,
) -> None:
    """Write the packet of a finished batch into ``result`` (an interrupt marks it interrupted).

    Raises:
        PacketError: when the PDF cannot be made (the old one, if any, is left as it was).
    """
    try:
        result.packet, result.packet_rebuilt = write_batch_packet(
            out_dir,
            aios,
            result.results,
            manifest,
            lang=lang,
            workers=workers,
            force=force,
            progress=progress,
        )
    except KeyboardInterrupt:  # the old packet, if any, is left as it was
        result.interrupted = True
