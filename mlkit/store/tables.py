"""The record tables: their natural keys and content columns (no SQL here)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TableSpec:
    """A versioned record table: its natural key and the content columns a row carries.

    Attributes:
        name: The SQL table name.
        key: Columns that identify a record across versions (``form_id, item``).
        columns: All content columns, key included, in insert order.
        numeric: Content columns held as numbers (the rest are text, ``""`` when empty).
    """

    name: str
    key: tuple[str, ...]
    columns: tuple[str, ...]
    numeric: tuple[str, ...] = ()

    @property
    def text_columns(self) -> tuple[str, ...]:
        """The content columns stored as text."""
        return tuple(c for c in self.columns if c not in self.numeric)


#: Roster columns added by schema version 3 (text, ``""`` when the roster did not give them):
#: part-time percentage (``"80"``), extension and interruption in whole months.
SCHEDULE_COLUMNS = ("part_time_percent", "extension_months", "interruption_months")
AIOS = TableSpec(
    "aios_records",
    ("aios_id",),
    (
        "aios_id",
        "display_name",
        "specialty",
        "start_date",
        "hospital",
        "opleider",
        *SCHEDULE_COLUMNS,
    ),
)
FORMS = TableSpec(
    "forms",
    ("form_id",),
    ("form_id", "aios_id", "instrument", "date", "assessor", "assessor_role", "comment"),
)
#: Item scores one row per item: the layout of schema version 1, read only by the migration.
SCORES = TableSpec(
    "scores",
    ("form_id", "item"),
    ("form_id", "item", "score", "not_applicable"),
    numeric=("score", "not_applicable"),
)
ACTIVITIES = TableSpec(
    "activities",
    ("activity_id",),
    (
        "activity_id",
        "aios_id",
        "activity_type",
        "title",
        "start_date",
        "end_date",
        "track",
        "domains",
    ),
)
REFLECTIONS = TableSpec(
    "reflections",
    ("reflection_id",),
    ("reflection_id", "aios_id", "date", "domain", "text"),
)
#: Item scores one row per form version (schema version 2): ``items`` is a JSON object of item
#: code -> score, ``"n.v.t."`` for not applicable (see :mod:`mlkit.store.content`).
FORM_SCORES = TableSpec("form_scores", ("form_id",), ("form_id", "items"))
#: The record tables of the current schema.
TABLES: dict[str, TableSpec] = {
    t.name: t for t in (AIOS, FORMS, FORM_SCORES, ACTIVITIES, REFLECTIONS)
}


__all__ = [
    "ACTIVITIES",
    "AIOS",
    "FORMS",
    "FORM_SCORES",
    "REFLECTIONS",
    "SCHEDULE_COLUMNS",
    "SCORES",
    "TABLES",
    "TableSpec",
]
