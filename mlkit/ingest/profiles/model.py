"""The pydantic model of an import profile: how a vendor's export maps onto mlkit's long layout.

A profile is plain data (no I/O). It names the file format (a CSV dialect or an XLSX sheet), where
the header row is (a fixed row, or found by its cells, once or once per block), which cells become
which canonical assessment column, how text ratings and vendor codes map onto mlkit values, the
date formats, which rows to leave out (with a reason), and how a row names its aios.
"""

from __future__ import annotations

import re
from enum import StrEnum
from string import Formatter
from typing import Annotated, Final, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    field_validator,
    model_validator,
)

from mlkit.frameworks.models import Status

SCHEMA_PROFILE: Final = "mlkit.import_profile/1"
ProfileName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
ReasonCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
#: Canonical assessment columns a profile fills (``aios_id`` comes from ``person``).
REQUIRED_COLUMNS: Final = ("instrument", "item", "datum", "score")
OPTIONAL_COLUMNS: Final = ("formulier_id", "beoordelaar", "rol_beoordelaar", "toelichting")
_VARIABLE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_regex(value: str | None) -> str | None:
    if value is not None:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from exc
    return value


class Cell(_Model):
    """Where one value of a data row comes from, and how it is cleaned and mapped.

    Exactly one source: ``column`` (a header, matched ignoring case, accents and spacing),
    ``contains`` (the first header containing this text), ``position`` (1-based column number)
    or ``value`` (a constant, which may name variables as ``{name}``).

    Attributes:
        pattern: A regular expression searched in the cell; group ``value`` (else group 1, else
            the whole match) is kept, and no match gives ``""``.
        map: Vendor value -> mlkit value, compared ignoring case and surrounding spaces.
        unmapped: ``keep`` passes a value missing from ``map`` on unchanged (later checks judge
            it); ``reject`` rejects its row with reason ``unmapped_value``. Empty cells are
            never mapped.
        label: Written before a non-empty value as ``label: value`` (for narrative parts).
    """

    column: str | None = None
    contains: str | None = None
    position: int | None = Field(default=None, ge=1)
    value: str | None = None
    pattern: str | None = None
    map: dict[str, str] = Field(default_factory=dict)
    unmapped: Literal["keep", "reject"] = "keep"
    label: str | None = None

    @field_validator("map", mode="before")
    @classmethod
    def _map_to_text(cls, value: object) -> object:
        if isinstance(value, dict):
            return {str(k): str(v) for k, v in value.items()}
        return value

    _pattern_ok = field_validator("pattern")(_check_regex)

    @field_validator("value")
    @classmethod
    def _template_ok(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                fields = [f for _, f, spec, conv in Formatter().parse(value) if f is not None]
            except ValueError as exc:
                raise ValueError(f"not a valid template: {exc}") from exc
            bad = [f for f in fields if not _VARIABLE.fullmatch("{" + f + "}")]
            if bad:
                raise ValueError(f"a template names variables as {{name}}, not {bad[0]!r}")
        return value

    @model_validator(mode="after")
    def _one_source(self) -> Cell:
        given = [
            n for n in ("column", "contains", "position", "value") if getattr(self, n) is not None
        ]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of column, contains, position or value"
                + (f" (got {', '.join(given)})" if given else "")
            )
        return self

    def variables(self) -> list[str]:
        """The ``{name}`` variables a ``value`` template uses."""
        return _VARIABLE.findall(self.value or "")


class Capture(_Model):
    """A cell outside the data rows whose regular expression's named groups become variables.

    Attributes:
        row: The 1-based row; None searches every row before the (first) header or block.
        column: The 1-based column.
        pattern: A regular expression with named groups, e.g. ``^Learner - (?P<learner>.+?) -``.
    """

    row: int | None = Field(default=None, ge=1)
    column: int = Field(default=1, ge=1)
    pattern: str

    _pattern_ok = field_validator("pattern")(_check_regex)

    def names(self) -> list[str]:
        """The named groups of ``pattern``."""
        return list(re.compile(self.pattern).groupindex)


class Header(_Model):
    """Where the header row is: a fixed row, or every row holding the ``find`` headers.

    Attributes:
        row: The 1-based header row.
        find: Header texts that together mark a header row (compared like ``Cell.column``).
        within: How many rows from the top to search for the first header row.
    """

    row: int | None = Field(default=None, ge=1)
    find: tuple[str, ...] = ()
    within: int = Field(default=40, ge=1)

    @model_validator(mode="after")
    def _row_or_find(self) -> Header:
        if (self.row is None) == (not self.find):
            raise ValueError("give exactly one of row or find")
        return self


class Blocks(_Model):
    """A block-structured sheet: blocks with their own header rows, and an end marker.

    Attributes:
        start: A row whose cell matches starts a block; its named groups are block variables.
        end: A row whose cell matches ends the data: what follows is not read.
    """

    start: Capture
    end: Capture | None = None


class Person(_Model):
    """How a row names its aios.

    Attributes:
        by: ``id`` when the cell holds the aios_id; ``name`` to match the roster's names (case,
            accents, punctuation and spacing ignored); ``roster`` to match ``roster_column``
            (case and spacing ignored). With ``name`` and ``roster``, no match or several
            matches reject the row.
        cell: Where the id, name or other identifier is.
        name_order: ``last_comma_first`` reads "Jansen, Piet" as "Piet Jansen".
        roster_column: With ``by: roster``, a column of the store's roster
            (:meth:`mlkit.store.Store.aios`), e.g. ``email`` when the roster holds e-mail.
    """

    by: Literal["id", "name", "roster"]
    cell: Cell
    name_order: Literal["first_last", "last_comma_first"] = "first_last"
    roster_column: str | None = None

    @model_validator(mode="after")
    def _roster_column(self) -> Person:
        if (self.by == "roster") != (self.roster_column is not None):
            raise ValueError("roster_column goes with by: roster, and only with it")
        return self


class Exclude(_Model):
    """Rows to leave out: each is rejected with ``reason`` and ``message``, never dropped silently.

    Attributes:
        cell: The value tested.
        matches: Reject when this regular expression is found in the value.
        unless: Reject when this regular expression is *not* found in the value.
        same_as: Reject when the value equals this other cell's value (e.g. self-assessments).
    """

    cell: Cell
    matches: str | None = None
    unless: str | None = None
    same_as: Cell | None = None
    reason: ReasonCode
    message: str

    _regex_ok = field_validator("matches", "unless")(_check_regex)

    @model_validator(mode="after")
    def _one_test(self) -> Exclude:
        tests = [n for n in ("matches", "unless", "same_as") if getattr(self, n) is not None]
        if len(tests) != 1:
            raise ValueError("give exactly one of matches, unless or same_as")
        return self


def _one_or_many(value: object) -> str:
    return "list" if isinstance(value, list | tuple) else "single"


#: A cell, or a list of cells whose non-empty values are joined; the tags show in error paths
#: and the loader drops them there.
Cells = Annotated[
    Annotated[Cell, Tag("single")] | Annotated[tuple[Cell, ...], Tag("list")],
    Discriminator(_one_or_many),
]


class CsvDialect(_Model):
    """How a CSV export is written.

    Attributes:
        delimiter: The field separator.
        encoding: The text encoding; ``utf-8-sig`` also reads UTF-8 without a BOM.
        fallback_encoding: Tried when ``encoding`` fails (Windows exports), or None.
    """

    delimiter: str = Field(default=",", min_length=1, max_length=1)
    encoding: str = "utf-8-sig"
    fallback_encoding: str | None = "cp1252"


class FileFormat(StrEnum):
    """The kind of vendor file."""

    CSV = "csv"
    XLSX = "xlsx"


class ImportProfile(_Model):
    """A vendor export layout and its mapping onto mlkit's assessments layout.

    Attributes:
        name: The profile's name (``--profile NAME``); equals the file name without ``.yaml``.
        extends: The profile this one was merged onto, if any (kept for detection).
        source: Where the layout is described; ``status`` says how sure that description is.
        detect: Headers that, all in one row near the top, identify the layout.
        columns: Canonical assessment column -> a cell, or a list of cells whose non-empty
            values are joined with a blank line (narratives).
        dates: ``strptime`` formats tried in order; ISO dates (``2024-03-14``) are always read.
        form_id_prefix: Prefix of generated form ids when ``columns`` has no ``formulier_id``.
    """

    schema_: Literal["mlkit.import_profile/1"] = Field(alias="schema")
    name: ProfileName
    extends: ProfileName | None = None
    title: str = Field(min_length=1)
    description: str = ""
    source: str = Field(min_length=1)
    status: Status
    note: str = ""
    format: FileFormat
    sheet: str | None = None
    csv: CsvDialect = Field(default_factory=CsvDialect)
    header: Header
    blocks: Blocks | None = None
    variables: tuple[Capture, ...] = ()
    detect: tuple[str, ...] = Field(min_length=1)
    person: Person
    columns: dict[str, Cells]
    dates: tuple[str, ...] = ()
    exclude: tuple[Exclude, ...] = ()
    form_id_prefix: (
        Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,30}$")] | None
    ) = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("columns")
    @classmethod
    def _known_columns(cls, value: dict[str, Cells]) -> dict[str, Cells]:
        allowed = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
        unknown = [k for k in value if k not in allowed]
        if unknown:
            raise ValueError(
                f"unknown column(s) {', '.join(unknown)}; expected {', '.join(allowed)}"
            )
        missing = [k for k in REQUIRED_COLUMNS if k not in value]
        if missing:
            raise ValueError(f"missing required column(s) {', '.join(missing)}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> ImportProfile:
        if self.format is FileFormat.XLSX and not self.sheet:
            raise ValueError("an xlsx profile names its sheet")
        known = {n for c in self.variables for n in c.names()}
        if self.blocks is not None:
            known |= set(self.blocks.start.names())
        used = [(f"columns.{c}", cell) for c in self.columns for cell in self.cells(c)]
        used.append(("person.cell", self.person.cell))
        for i, rule in enumerate(self.exclude):
            used.append((f"exclude[{i}].cell", rule.cell))
            if rule.same_as is not None:
                used.append((f"exclude[{i}].same_as", rule.same_as))
        for where, cell in used:
            missing = [v for v in cell.variables() if v not in known]
            if missing:
                raise ValueError(f"{where} uses undefined variable(s) {', '.join(missing)}")
        return self

    def cells(self, canonical: str) -> tuple[Cell, ...]:
        """The cells that fill ``canonical`` (none when the profile leaves it empty)."""
        spec = self.columns.get(canonical)
        if spec is None:
            return ()
        return spec if isinstance(spec, tuple) else (spec,)


__all__ = [
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "SCHEMA_PROFILE",
    "Blocks",
    "Capture",
    "Cell",
    "Cells",
    "CsvDialect",
    "Exclude",
    "FileFormat",
    "Header",
    "ImportProfile",
    "Person",
]
