"""One aios' records as read in one read transaction, and the data hash computed from them.

:meth:`mlkit.store.Store.records` reads every record table of one aios once, inside one read
transaction (a snapshot: in WAL mode a concurrent import cannot change what the transaction
sees), and hashes exactly the rows it read. A report shows those rows and carries that hash, so
the hash in its sidecar is always the hash of the data on its page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from mlkit.store.store import Store

RECORD_FRAMES = ("aios", "forms", "scores", "activities", "reflections")
"""The record tables of an aios, by the name of the :class:`~mlkit.store.Store` query."""

_HASH_KEYS: dict[str, list[str]] = {
    "aios": ["aios_id"],
    "forms": ["form_id"],
    "scores": ["form_id", "item"],
    "activities": ["activity_id"],
    "reflections": ["reflection_id"],
}


def hash_records(frames: Mapping[str, pd.DataFrame], decisions: Sequence[Mapping[str, Any]]) -> str:
    """Return the sha256 over record frames (keys as in ``_HASH_KEYS``) and decision rows.

    The frames are hashed in a fixed order and text form, so the value is stable across runs;
    the decisions count only when there are any (a store without decisions keeps its hash).
    """
    digest = hashlib.sha256()
    for name, key in _HASH_KEYS.items():
        ordered = frames[name].sort_values(key, kind="stable").reset_index(drop=True)
        digest.update(f"[{name}]\n".encode())
        text = ordered.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d")
        digest.update(text.encode("utf-8", "surrogateescape"))
    if decisions:
        digest.update(b"[decisions]\n")
        frame = pd.DataFrame([dict(d) for d in decisions])
        digest.update(frame.to_csv(index=False, lineterminator="\n").encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class AiosRecords:
    """The current records of one aios, read in one snapshot, with their hash.

    Attributes:
        aios: The roster record (one row).
        forms: Assessment forms.
        scores: Item scores.
        activities: Leadership activities and talent tracks.
        reflections: Reflections.
        decisions: The committee's decisions about this aios, oldest first.
        data_sha256: :func:`hash_records` of exactly these rows.
    """

    aios: pd.DataFrame
    forms: pd.DataFrame
    scores: pd.DataFrame
    activities: pd.DataFrame
    reflections: pd.DataFrame
    decisions: tuple[dict[str, Any], ...]
    data_sha256: str


def read_records(store: Store, aios_id: str) -> AiosRecords:
    """Read one aios' records in one read transaction, each table once, and hash them.

    Raises:
        AiosNotFoundError: when the aios is not in the store (found by the roster read).
    """
    with store.read_transaction():
        frames: dict[str, pd.DataFrame] = {
            name: getattr(store, name)(aios_id) for name in RECORD_FRAMES
        }
        decisions = tuple(store.decisions(aios_id))
    return AiosRecords(
        aios=frames["aios"],
        forms=frames["forms"],
        scores=frames["scores"],
        activities=frames["activities"],
        reflections=frames["reflections"],
        decisions=decisions,
        data_sha256=hash_records(frames, decisions),
    )


__all__ = ["RECORD_FRAMES", "AiosRecords", "hash_records", "read_records"]
