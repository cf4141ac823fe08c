"""Writing to the store: one import per write transaction, insert-only, with supersession.

A :class:`Writer` exists only inside :meth:`mlkit.store.Store.writer`, which holds an immediate
(write-locked) SQLite transaction: everything written through it commits together or not at all.
Rows whose content is already current are recognised by their content hash and skipped; a row
with a known natural key but different content is inserted as a correction that supersedes the
current one. Item scores are written per form (:meth:`Writer.write_items`): a changed or added
item makes a new version of the whole form.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import repeat

import numpy as np
import numpy.typing as npt
import pandas as pd

from mlkit.store import submissions as _submissions
from mlkit.store.content import content_hash, join_members, members, normalise, pack_forms
from mlkit.store.tables import FORM_SCORES, TableSpec

BoolArray = npt.NDArray[np.bool_]
#: Rows from which a write into an empty table builds the indexes after inserting.
BULK_ROWS = 10_000


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
        empty_table = self._empty(spec)
        current = pd.DataFrame() if empty_table else self._current(spec, rows, keep_nonempty)
        if current.empty:
            hashes = content_hash(spec, rows)
            if empty_table and len(rows) >= BULK_ROWS:
                with self._indexes_rebuilt(spec):
                    self._insert(spec, rows, hashes, import_id, None)
            else:
                self._insert(spec, rows, hashes, import_id, None)
            return np.ones(len(rows), dtype=bool)
        text = [c for c in spec.columns if isinstance(rows[c].dtype, pd.CategoricalDtype)]
        rows = rows.astype(dict.fromkeys(text, object))
        merged = rows.merge(current, how="left", on=list(spec.key), suffixes=("", "_cur"))
        for col in keep_nonempty:
            fill = (merged[col] == "").to_numpy() & merged[f"{col}_cur"].notna().to_numpy()
            if fill.any():
                filled = merged[col].astype(object)
                filled[fill] = merged.loc[fill, f"{col}_cur"]
                merged[col] = filled
        rows = merged[list(spec.columns)].reset_index(drop=True)
        hashes = content_hash(spec, rows)
        cur_hash = merged["cur_hash"].to_numpy(dtype=np.float64)
        known = ~np.isnan(cur_hash)
        same = np.zeros(len(rows), dtype=bool)
        same[known] = merged["cur_hash"].to_numpy()[known].astype(np.int64) == hashes[known]
        new = ~same
        if new.any():
            ids = merged["cur_id"].to_numpy(dtype=np.float64)[new]
            corrects = known[new]
            supersedes = None
            if corrects.any():
                supersedes = [int(i) if k else None for i, k in zip(ids, corrects, strict=True)]
            self._insert(
                spec, rows[new] if not new.all() else rows, hashes[new], import_id, supersedes
            )
        return new

    def write_items(self, scores: pd.DataFrame, import_id: int) -> BoolArray:
        """Store item scores as form versions; return, per row, whether it was stored.

        Args:
            scores: One row per item score: form_id, item, score, not_applicable; (form_id,
                item) unique.
            import_id: The import the rows come from.

        A form not yet stored gets its first version (all its rows stored). For a stored form,
        a row whose item holds the same value in the current version is a duplicate; when any
        row changes or adds an item, a new version supersedes the current one: the unchanged
        items in their stored order, then the changed and added ones in file order (the order
        a per-item store showed them in). Items stored but absent from the file are kept.

        Returns:
            A boolean array aligned with ``scores``: True where the row's value was stored.
        """
        packed = pack_forms(scores)
        forms = packed.forms
        hashes = content_hash(FORM_SCORES, forms)
        stored = np.ones(len(scores), dtype=bool)
        if self._empty(FORM_SCORES):
            if len(forms) >= BULK_ROWS:
                with self._indexes_rebuilt(FORM_SCORES):
                    self._insert(FORM_SCORES, forms, hashes, import_id, None)
            else:
                self._insert(FORM_SCORES, forms, hashes, import_id, None)
            return stored
        current = self._current(FORM_SCORES, forms, ())
        if current.empty:
            self._insert(FORM_SCORES, forms, hashes, import_id, None)
            return stored
        merged = forms[["form_id"]].merge(current, how="left", on="form_id")
        cur_hash = merged["cur_hash"].to_numpy(dtype=np.float64)
        known = ~np.isnan(cur_hash)
        same = np.zeros(len(forms), dtype=bool)
        same[known] = merged["cur_hash"].to_numpy()[known].astype(np.int64) == hashes[known]
        stored = ~same[packed.row_form]
        changed = np.flatnonzero(known & ~same)
        cur_ids = merged["cur_id"].to_numpy(dtype=np.float64)
        texts = self._items_of([int(cur_ids[f]) for f in changed])
        items = scores["item"].to_numpy(dtype=object)
        insert = ~known
        new_text = forms["items"].to_numpy(dtype=object).copy()
        for form in changed.tolist():
            cur = members(texts[int(cur_ids[form])])
            rows = packed.rows_of(form)
            kept = np.array([packed.members[r] == cur.get(items[r]) for r in rows], dtype=bool)
            stored[rows[kept]] = False
            if all(kept):
                continue
            replaced = {items[r] for r, k in zip(rows, kept, strict=True) if not k}
            new_text[form] = join_members(
                [m for i, m in cur.items() if i not in replaced]
                + [packed.members[r] for r, k in zip(rows, kept, strict=True) if not k]
            )
            insert[form] = True
        if insert.any():
            rows_out = pd.DataFrame(
                {"form_id": forms["form_id"].to_numpy()[insert], "items": new_text[insert]}
            )
            supersedes = [
                int(i) if k else None for i, k in zip(cur_ids[insert], known[insert], strict=True)
            ]
            self._insert(
                FORM_SCORES,
                rows_out,
                content_hash(FORM_SCORES, rows_out),
                import_id,
                supersedes if any(s is not None for s in supersedes) else None,
            )
        return stored

    def has_submission(self, submission_id: str) -> bool:
        """True when the submission ``submission_id`` is already stored (see :meth:`submit`)."""
        return _submissions.has_submission(self._conn, submission_id)

    def submit(
        self, submission_id: str, aios_id: str, kind: str, payload: str, import_id: int
    ) -> None:
        """Record a submitted form, with the records of ``import_id`` it stored."""
        _submissions.add_submission(self._conn, submission_id, aios_id, kind, payload, import_id)

    def _empty(self, spec: TableSpec) -> bool:
        """True when ``spec``'s table holds no row."""
        sql = f"SELECT NOT EXISTS (SELECT 1 FROM {spec.name})"
        return bool(self._conn.execute(sql).fetchone()[0])

    def _items_of(self, ids: list[int]) -> dict[int, str]:
        """Return the ``items`` text of the ``form_scores`` rows ``ids``."""
        if not ids:
            return {}
        conn = self._conn
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS _ids (i INTEGER PRIMARY KEY)")
        conn.execute("DELETE FROM _ids")
        conn.executemany("INSERT OR IGNORE INTO _ids (i) VALUES (?)", ((i,) for i in ids))
        found = conn.execute(
            "SELECT s.id, s.items FROM form_scores AS s JOIN _ids ON _ids.i = s.id"
        ).fetchall()
        conn.execute("DELETE FROM _ids")
        return {int(i): str(text) for i, text in found}

    def _current(
        self, spec: TableSpec, rows: pd.DataFrame, keep_nonempty: Sequence[str]
    ) -> pd.DataFrame:
        """Return the current records sharing the first key column with ``rows``.

        Only what the comparison needs is fetched: the row id, the content hash, the key and
        the ``keep_nonempty`` columns (renamed ``<column>_cur``).
        """
        conn = self._conn
        first = spec.key[0]
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS _keys (k TEXT PRIMARY KEY)")
        conn.execute("DELETE FROM _keys")
        conn.executemany(
            "INSERT OR IGNORE INTO _keys (k) VALUES (?)", ((k,) for k in rows[first].unique())
        )
        kept = [c for c in keep_nonempty if c not in spec.key]
        cols = ", ".join(f"r.{c}" for c in (*spec.key, *kept))
        cur = conn.execute(
            f"SELECT r.id, r.content_hash, {cols} FROM {spec.name}_current AS r"
            f" JOIN _keys ON _keys.k = r.{first}"
        )
        data = cur.fetchall()
        conn.execute("DELETE FROM _keys")
        if not data:
            return pd.DataFrame()
        names = ["cur_id", "cur_hash", *spec.key, *(f"{c}_cur" for c in kept)]
        found = pd.DataFrame(data, columns=names, dtype=object)
        return found

    @contextmanager
    def _indexes_rebuilt(self, spec: TableSpec) -> Iterator[None]:
        """Drop the table's indexes for a bulk insert into it and create them again after.

        Building an index once over sorted keys is cheaper than updating it row by row. The
        drop and the re-creation are part of the open write transaction: should the insert fail,
        :meth:`Store.writer` rolls back and the indexes are as before; should a recreated unique
        index find a violation, its creation fails and everything rolls back too.
        """
        found = self._conn.execute(
            "SELECT name, sql FROM sqlite_master"
            " WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
            (spec.name,),
        ).fetchall()
        for name, _ in found:
            self._conn.execute(f'DROP INDEX "{name}"')
        yield
        for _, sql in found:
            self._conn.execute(sql)

    def _insert(
        self,
        spec: TableSpec,
        rows: pd.DataFrame,
        hashes: npt.NDArray[np.int64],
        import_id: int,
        supersedes: list[int | None] | None,
    ) -> None:
        """Insert ``rows`` in order; ``supersedes`` None means none of them is a correction.

        The import id (an integer this writer created) is written into the statement as a
        literal, and so is ``NULL`` for ``supersedes`` when nothing is superseded: SQLite then
        binds five values per row instead of seven, which is most of the per-row cost.
        """
        columns = [*spec.columns, "content_hash", "import_id"]
        values: list[Iterable[object]] = [rows[c].tolist() for c in spec.columns]
        values.append(hashes.tolist())
        marks = ["?"] * (len(spec.columns) + 1) + [str(int(import_id))]
        if supersedes is not None:
            columns.append("supersedes")
            marks.append("?")
            values.append(supersedes)
        self._conn.executemany(
            f"INSERT INTO {spec.name} ({', '.join(columns)}) VALUES ({', '.join(marks)})",
            zip(*values, strict=True),
        )


__all__ = ["Writer", "content_hash", "normalise"]
