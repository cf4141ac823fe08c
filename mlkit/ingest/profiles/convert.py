"""Converting a vendor grid into mlkit's assessments rows (one row per form), by a profile.

Rows the profile itself cannot convert are rejected here, with the vendor's row number, the
vendor's header as the field and a reason: ``excluded`` rules (their own reason codes),
``unknown_person``, ``ambiguous_person``, ``missing_person``, ``invalid_date`` and
``unmapped_value``. Every other row becomes one canonical row that the ordinary importer then
validates and stores, keeping the vendor's row number.

Without a ``formulier_id`` column a form id is derived from the aios, instrument, item, date
and assessor, so re-importing a file finds the same forms, and a changed rating is stored as a
correction of its form rather than as a new form.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from mlkit.ingest.checks import REJECT_COLUMNS
from mlkit.ingest.columns import ORDER, FileKind, normalise_header
from mlkit.ingest.profiles.errors import ProfileMismatchError
from mlkit.ingest.profiles.grid import Grid
from mlkit.ingest.profiles.model import Capture, Cell, Exclude, ImportProfile
from mlkit.ingest.profiles.values import date_format_text, match_key, name_key, parse_date
from mlkit.ingest.read import ROW_COLUMN

_COLUMNS = ORDER[FileKind.ASSESSMENTS]
_Header = tuple[str, ...]  # normalised header cells of one header row
_Failure = tuple[str, str, str, str]  # field, value, reason, message


@dataclass(frozen=True)
class Converted:
    """A vendor file converted by a profile.

    Attributes:
        frame: The convertible rows under canonical column names, plus ``_row`` (vendor rows).
        rejects: Rows the profile rejected: row, field, value, reason, message.
        rejected_rows: Number of distinct rows in ``rejects``.
        rows_read: Data rows in the vendor file (blank, header and block rows not counted).
        fields: Canonical column -> the vendor header it comes from, for the rejects file.
    """

    frame: pd.DataFrame
    rejects: pd.DataFrame
    rejected_rows: int
    rows_read: int
    fields: dict[str, str]


@dataclass(frozen=True)
class _DataRow:
    number: int
    cells: tuple[str, ...]
    header: _Header
    labels: tuple[str, ...]
    variables: Mapping[str, str]


@lru_cache(maxsize=65_536)
def _norm(text: str) -> str:
    """``normalise_header``, cached: vendor cells repeat (names, statuses, header rows)."""
    return normalise_header(text)


def _capture(capture: Capture, text: str) -> dict[str, str] | None:
    match = re.search(capture.pattern, text)
    if match is None:
        return None
    return {k: (v or "").strip() for k, v in match.groupdict().items()}


def _fits_header(cells: Sequence[str], wanted: Sequence[str]) -> bool:
    found = [_norm(c) for c in cells if c.strip()]
    return all(any(w == f or (w and w in f) for f in found) for w in wanted)


def fits(grid: Grid, profile: ImportProfile) -> bool:
    """True when a row near the top holds every ``detect`` header of ``profile``."""
    wanted = [_norm(d) for d in profile.detect]
    limit = profile.header.within
    return any(_fits_header(cells, wanted) for _, cells in grid.rows[:limit])


def _is_header(number: int, cells: Sequence[str], profile: ImportProfile) -> bool:
    if profile.header.row is not None:
        return number == profile.header.row
    if sum(1 for c in cells if c) < len(profile.header.find):
        return False
    found = {_norm(c) for c in cells if len(c) <= 200}  # no header is a long narrative
    return all(_norm(f) in found for f in profile.header.find)


def _variables(grid: Grid, profile: ImportProfile, before: int) -> dict[str, str]:
    found: dict[str, str] = {}
    for capture in profile.variables:
        if capture.row is not None:
            candidates = [grid.cell(capture.row, capture.column)]
        else:
            candidates = [grid.cell(n, capture.column) for n, _ in grid.rows[: before - 1]]
        groups = next((g for g in map(lambda t: _capture(capture, t), candidates) if g), None)
        if groups is None:
            where = f"row {capture.row}" if capture.row else f"the rows before row {before}"
            raise ProfileMismatchError(
                grid.source,
                profile.name,
                f"no cell in column {capture.column} of {where} matches {capture.pattern!r}",
            )
        found.update(groups)
    return found


def _data_rows(grid: Grid, profile: ImportProfile) -> list[_DataRow]:
    """Walk the grid: preamble, blocks, header rows and data rows (blank rows skipped).

    Rows before the first header (or block) are the preamble; in a block, the rows between its
    start and its header row are the block's own preamble (title, form, snapshot). A block
    without a header row is refused, since its data could not be told from its preamble.
    """
    blocks = profile.blocks
    first = next(
        (
            n
            for n, cells in grid.rows
            if _is_header(n, cells, profile)
            or (blocks is not None and _capture(blocks.start, _at(cells, blocks.start)) is not None)
        ),
        None,
    )
    if first is None or (profile.header.find and first > profile.header.within):
        wanted = profile.header.find or (f"row {profile.header.row}",)
        raise ProfileMismatchError(
            grid.source, profile.name, f"no header row with {', '.join(map(repr, wanted))}"
        )
    variables = _variables(grid, profile, first)
    block_vars: dict[str, str] = {}
    header: _Header | None = None
    labels: tuple[str, ...] = ()
    out: list[_DataRow] = []
    checked: set[_Header] = set()
    headerless: int | None = None  # the start row of a block whose header is not yet seen
    for number, cells in grid.rows[first - 1 :]:
        end = blocks.end if blocks is not None else None
        if end is not None and _capture(end, _at(cells, end)) is not None:
            break
        if blocks is not None:
            started = _capture(blocks.start, _at(cells, blocks.start))
            if started is not None:
                _no_header(grid.source, profile.name, headerless)
                block_vars, header, headerless = started, None, number
                continue
        if _is_header(number, cells, profile):
            headerless = None
            header, labels = tuple(_norm(c) for c in cells), tuple(c.strip() for c in cells)
            if header not in checked:
                _check_header(grid.source, number, header, labels, profile)
                checked.add(header)
            continue
        if header is None or not any(c.strip() for c in cells):
            continue
        out.append(_DataRow(number, cells, header, labels, {**variables, **block_vars}))
    _no_header(grid.source, profile.name, headerless)
    return out


def _no_header(source: str, profile: str, block: int | None) -> None:
    """Refuse a block without a header row: its rows could not be told from its preamble."""
    if block is not None:
        raise ProfileMismatchError(
            source, profile, f"the block starting at row {block} has no header row"
        )


def _at(cells: Sequence[str], capture: Capture) -> str:
    return cells[capture.column - 1] if len(cells) >= capture.column else ""


def _all_cells(profile: ImportProfile) -> list[Cell]:
    cells = [c for name in profile.columns for c in profile.cells(name)]
    cells.append(profile.person.cell)
    for rule in profile.exclude:
        cells.append(rule.cell)
        if rule.same_as is not None:
            cells.append(rule.same_as)
    return cells


def _index(cell: Cell, header: _Header) -> int | None:
    if cell.position is not None:
        return cell.position - 1
    return _find_column(cell.column, cell.contains, header)


@lru_cache(maxsize=1024)
def _find_column(column: str | None, contains: str | None, header: _Header) -> int | None:
    if column is not None:
        wanted = _norm(column)
        return header.index(wanted) if wanted in header else None
    if contains is not None:
        part = _norm(contains)
        return next((i for i, h in enumerate(header) if part in h), None)
    return None


def _check_header(
    source: str, number: int, header: _Header, labels: _Header, profile: ImportProfile
) -> None:
    missing = [
        repr(c.column or c.contains)
        for c in _all_cells(profile)
        if c.value is None and c.position is None and _index(c, header) is None
    ]
    if missing:
        shown = ", ".join(repr(h) for h in labels if h)
        raise ProfileMismatchError(
            source,
            profile.name,
            f"header row {number} lacks {', '.join(dict.fromkeys(missing))} (found: {shown})",
        )


def _label(cell: Cell, row: _DataRow) -> str:
    if cell.value is not None:
        return "(profile)"
    index = _index(cell, row.header)
    if index is not None and index < len(row.labels) and row.labels[index]:
        return row.labels[index]
    return cell.column or cell.contains or f"column {cell.position}"


def _raw(cell: Cell, row: _DataRow) -> str:
    if cell.value is not None:
        text = cell.value.format_map(row.variables)
    else:
        index = _index(cell, row.header)
        text = row.cells[index] if index is not None and index < len(row.cells) else ""
    if cell.pattern is not None:
        match = re.search(cell.pattern, text, re.DOTALL)
        if match is None:
            text = ""
        elif "value" in match.groupdict():
            text = match.group("value") or ""
        else:
            text = (match.group(1) if match.re.groups else match.group(0)) or ""
    return text.strip()


def _mapped(cell: Cell, text: str, table: Mapping[str, str]) -> tuple[str, bool]:
    """Map ``text`` by ``table`` (``cell.map`` with keys in :func:`match_key` form)."""
    if not text or not table:
        return text, True
    hit = table.get(match_key(text))
    if hit is not None:
        return hit, True
    return text, cell.unmapped == "keep"


def _excluded(rule: Exclude, row: _DataRow) -> bool:
    value = _raw(rule.cell, row)
    if rule.matches is not None:
        return re.search(rule.matches, value) is not None
    if rule.unless is not None:
        return re.search(rule.unless, value) is None
    assert rule.same_as is not None
    other = _raw(rule.same_as, row)
    return bool(value) and match_key(value) == match_key(other)


class _Converter:
    def __init__(self, profile: ImportProfile, roster: pd.DataFrame, source: str) -> None:
        self.profile = profile
        self.index: dict[str, list[str]] = {}
        person = profile.person
        column = "display_name" if person.by == "name" else person.roster_column
        if column is not None:
            if column not in roster.columns:
                known = ", ".join(c for c in roster.columns if c != "start_date")
                raise ProfileMismatchError(
                    source, profile.name, f"the roster has no column {column!r} ({known})"
                )
            key = name_key if person.by == "name" else match_key
            for aios_id, value in zip(roster["aios_id"], roster[column], strict=True):
                if isinstance(value, str) and value.strip():
                    self.index.setdefault(key(value), []).append(str(aios_id))
        self.failures: list[tuple[int, str, str, str, str]] = []
        self._tables: dict[int, dict[str, str]] = {}
        self._dates: dict[str, str | None] = {}

    def _table(self, cell: Cell) -> dict[str, str]:
        """``cell.map`` keyed for matching, built once per cell of this profile."""
        table = self._tables.get(id(cell))
        if table is None:
            table = self._tables[id(cell)] = {match_key(k): v for k, v in cell.map.items()}
        return table

    def _date(self, text: str) -> str | None:
        """``parse_date`` once per distinct text."""
        if text not in self._dates:
            self._dates[text] = parse_date(text, self.profile.dates)
        return self._dates[text]

    def _fail(self, row: _DataRow, failures: list[_Failure]) -> None:
        self.failures += [(row.number, *f) for f in failures]

    def _person(self, row: _DataRow) -> tuple[str, _Failure | None]:
        person = self.profile.person
        text = _raw(person.cell, row)
        label = _label(person.cell, row)
        if not text:
            return "", (label, text, "missing_person", "no aios id or name in this row")
        if person.by == "id":
            return text, None
        if person.by == "name":
            ids, what = self.index.get(name_key(text, person.name_order), []), "name"
        else:
            ids, what = self.index.get(match_key(text), []), f"roster {person.roster_column}"
        ids = sorted(set(ids))
        if not ids:
            return "", (
                label,
                text,
                "unknown_person",
                f"no aios with this {what}: import the roster first, or check spelling",
            )
        if len(ids) > 1:
            return "", (
                label,
                text,
                "ambiguous_person",
                f"the {what} matches several aios ({', '.join(ids)}): identify them by id",
            )
        return ids[0], None

    def convert(self, row: _DataRow) -> dict[str, str] | None:
        profile = self.profile
        for rule in profile.exclude:
            if _excluded(rule, row):
                self._fail(
                    row, [(_label(rule.cell, row), _raw(rule.cell, row), rule.reason, rule.message)]
                )
                return None
        failures: list[_Failure] = []
        aios_id, problem = self._person(row)
        if problem is not None:
            failures.append(problem)
        values: dict[str, str] = {c: "" for c in _COLUMNS}
        values["aios_id"] = aios_id
        for canonical in profile.columns:
            parts: list[str] = []
            for cell in profile.cells(canonical):
                text, ok = _mapped(cell, _raw(cell, row), self._table(cell))
                if not ok:
                    known = ", ".join(repr(k) for k in cell.map)
                    failures.append(
                        (
                            _label(cell, row),
                            text,
                            "unmapped_value",
                            f"not in the profile's map for {canonical} (known: {known[:300]})",
                        )
                    )
                if text:
                    parts.append(f"{cell.label}: {text}" if cell.label else text)
            values[canonical] = "\n\n".join(parts)
        if values["datum"]:
            iso = self._date(values["datum"])
            if iso is None:
                shown = ", ".join([*map(date_format_text, profile.dates), "yyyy-mm-dd"])
                failures.append(
                    (
                        _label(profile.cells("datum")[0], row),
                        values["datum"],
                        "invalid_date",
                        f"not a date in the profile's format ({shown})",
                    )
                )
            else:
                values["datum"] = iso
        if failures:
            self._fail(row, failures)
            return None
        if "formulier_id" not in profile.columns:
            values["formulier_id"] = self._form_id(values)
        values[ROW_COLUMN] = str(row.number)
        return values

    def _form_id(self, values: Mapping[str, str]) -> str:
        parts = [values[c] for c in ("aios_id", "instrument", "item", "datum", "beoordelaar")]
        digest = hashlib.sha256("\x1f".join([self.profile.name, *parts]).encode()).hexdigest()
        return f"{self.profile.form_id_prefix or self.profile.name[:30]}-{digest[:20]}"


def convert(grid: Grid, profile: ImportProfile, roster: pd.DataFrame) -> Converted:
    """Convert a vendor grid into canonical assessments rows by ``profile``.

    Args:
        grid: The vendor file's cells.
        profile: The layout description.
        roster: The store's roster (:meth:`mlkit.store.Store.aios`), to match names or other
            identifiers against.

    Raises:
        ProfileMismatchError: when the file lacks the header, blocks, cells or columns the
            profile expects, or the roster lacks the profile's ``roster_column``.
    """
    rows = _data_rows(grid, profile)
    converter = _Converter(profile, roster, grid.source)
    good = [v for v in map(converter.convert, rows) if v is not None]
    frame = pd.DataFrame(good, columns=[*_COLUMNS, ROW_COLUMN], dtype=object)
    frame[ROW_COLUMN] = frame[ROW_COLUMN].astype("int64")
    rejects = pd.DataFrame(converter.failures, columns=list(REJECT_COLUMNS), dtype=object)
    fields: dict[str, str] = {}
    if rows:
        for canonical in profile.columns:
            fields[canonical] = " + ".join(_label(c, rows[0]) for c in profile.cells(canonical))
        fields["aios_id"] = _label(profile.person.cell, rows[0])
    return Converted(
        frame=frame,
        rejects=rejects,
        rejected_rows=len({f[0] for f in converter.failures}),
        rows_read=len(rows),
        fields=fields,
    )


__all__ = ["Converted", "convert", "fits"]
