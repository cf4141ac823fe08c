"""Writing to the store: one import per write transaction, insert-only, with supersession.

A :class:`Writer` exists only inside :meth:`mlkit.store.Store.writer`, which holds an immediate
(write-locked) SQLite transaction: everything written through it commits together or not at all.
Rows whose content is already current are recognised by their content hash and skipped; a row
with a known natural key but different content is inserted as a correction that supersedes the
current one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from itertools import repeat

import numpy as np
import numpy.typing as npt
import pandas as pd

from mlkit.store.schema import TableSpec

BoolArray = npt.NDArray[np.bool_]


def normalise(spec: TableSpec, frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` reduced to ``spec``'s columns with canonical dtypes.

    Text columns become ``object`` strings with ``""`` for missing values; ``score`` becomes
    float64 (NaN for not applicable) and integer flags int64. The content hash depends on these
    dtypes, so every write goes through here.
    """
    out: dict[str, pd.Series] = {}
    for col in spec.columns:
        series = frame[col]
        if col in spec.numeric:
            dtype = "int64" if col == "not_applicable" else "float64"
            out[col] = pd.Series(series.to_numpy(dtype=dtype), dtype=dtype)
        else:
            values = series.astype(object).where(series.notna(), "")
            out[col] = pd.Series(values.to_numpy(dtype=object), dtype=object)
    return pd.DataFrame(out)


def content_hash(spec: TableSpec, frame: pd.DataFrame) -> npt.NDArray[np.int64]:
    """Return a stable 64-bit hash of each row's content columns (as signed integers)."""
    hashed = pd.util.hash_pandas_object(frame[list(spec.columns)], index=False)
    return hashed.to_numpy(dtype=np.uint64).view(np.int64)


class Writer:
    """Writes one import inside an open write transaction (see :meth:`Store.writer`)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def start_import(self, file_name: str, sha256: str, kind: str, rows_read: int) -> int:
        """Log an import and return its id; the counts are filled in by :meth:`finish_import`."""
        cur = self._conn.execute(
            "INSERT INTO imports (file_name, sha256, kind, imported_at, rows_read)"
            " VALUES (?, ?, ?, ?, ?)",
            (file_name, sha256, kind, datetime.now(UTC).isoformat(timespec="seconds"), rows_read),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def finish_import(self, import_id: int, stored: int, rejected: int, duplicates: int) -> None:
        """Record the outcome counts of an import."""
        self._conn.execute(
            "UPDATE imports SET stored = ?, rejected = ?, duplicates = ? WHERE id = ?",
            (stored, rejected, duplicates, import_id),
        )

    def add_aios_ids(self, aios_ids: Iterable[str], import_id: int) -> None:
        """Register aios identities (a no-op for ids already known)."""
        self._conn.executemany(
            "INSERT OR IGNORE INTO aios (aios_id, first_import_id) VALUES (?, ?)",
            zip(aios_ids, repeat(import_id)),
        )

    def write(
        self,
        spec: TableSpec,
        frame: pd.DataFrame,
        import_id: int,
        keep_nonempty: Sequence[str] = (),
    ) -> BoolArray:
        """Insert the rows of ``frame`` that are not already current; return which were new.

        Args:
            spec: The record table.
            frame: One row per record, with at least ``spec.columns``; natural keys unique.
            import_id: The import the rows come from.
            keep_nonempty: Text columns where an empty new value keeps the current value (a
                correction file that repeats a form without its narrative does not erase it).

        Returns:
            A boolean array aligned with ``frame``: True where a row was inserted.
        """
        rows = normalise(spec, frame)
        current = self._current(spec, rows)
        if current.empty:
            supersedes: list[int | None] | repeat[None] = repeat(None)
            hashes = content_hash(spec, rows)
            new = np.ones(len(rows), dtype=bool)
        else:
            merged = rows.merge(current, how="left", on=list(spec.key), suffixes=("", "_cur"))
            for col in keep_nonempty:
                fill = (merged[col] == "") & merged[f"{col}_cur"].notna()
                merged.loc[fill, col] = merged.loc[fill, f"{col}_cur"]
            rows = merged[list(spec.columns)].reset_index(drop=True)
            hashes = content_hash(spec, rows)
            cur_hash = merged["cur_hash"].to_numpy(dtype=np.float64)
            known = ~np.isnan(cur_hash)
            same = np.zeros(len(rows), dtype=bool)
            same[known] = merged["cur_hash"].to_numpy()[known].astype(np.int64) == hashes[known]
            new = ~same
            ids = merged["cur_id"].to_numpy(dtype=np.float64)
            supersedes = [int(i) if k else None for i, k in zip(ids[new], known[new], strict=True)]
        if new.any():
            self._insert(
                spec, rows[new] if not new.all() else rows, hashes[new], import_id, supersedes
            )
        return new

    def _current(self, spec: TableSpec, rows: pd.DataFrame) -> pd.DataFrame:
        """Return the current records sharing the first key column with ``rows``."""
        conn = self._conn
        if conn.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {spec.name})").fetchone()[0]:
            return pd.DataFrame()
        first = spec.key[0]
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS _keys (k TEXT PRIMARY KEY)")
        conn.execute("DELETE FROM _keys")
        conn.executemany(
            "INSERT OR IGNORE INTO _keys (k) VALUES (?)", ((k,) for k in rows[first].unique())
        )
        cols = ", ".join(f"r.{c}" for c in spec.columns)
        cur = conn.execute(
            f"SELECT r.id, r.content_hash, {cols} FROM {spec.name}_current AS r"
            f" JOIN _keys ON _keys.k = r.{first}"
        )
        data = cur.fetchall()
        conn.execute("DELETE FROM _keys")
        if not data:
            return pd.DataFrame()
        found = pd.DataFrame(data, columns=["cur_id", "cur_hash", *spec.columns], dtype=object)
        keep = ["cur_id", "cur_hash", *spec.key]
        renamed = {c: f"{c}_cur" for c in spec.columns if c not in spec.key}
        found = found.rename(columns=renamed)
        keep += list(renamed.values())
        for col in spec.key:
            found[col] = found[col].astype(object)
        return found[keep]

    def _insert(
        self,
        spec: TableSpec,
        rows: pd.DataFrame,
        hashes: npt.NDArray[np.int64],
        import_id: int,
        supersedes: Iterable[int | None],
    ) -> None:
        cols = [*spec.columns, "content_hash", "import_id", "supersedes"]
        marks = ", ".join("?" * len(cols))
        values = [rows[c].tolist() for c in spec.columns]
        self._conn.executemany(
            f"INSERT INTO {spec.name} ({', '.join(cols)}) VALUES ({marks})",
            zip(*values, hashes.tolist(), repeat(import_id), supersedes),
        )


__all__ = ["Writer", "content_hash", "normalise"]
