"""Column headers: the alias table (Dutch canonical, English and Dutch aliases) and kind detection.

A header is matched after normalising it: lower case, accents removed, spaces, dashes and dots
turned into ``_``; underscores are then ignored in the match, so ``Start-Datum``, ``start datum``
and ``STARTDATUM`` all mean ``startdatum``. The file kind follows from the columns found:
``formulier_id`` means assessments, ``activiteit_id`` activities, ``reflectie_id`` reflections,
and ``naam`` with ``aios_id`` a roster.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from mlkit.ingest.errors import (
    AmbiguousColumnsError,
    MissingColumnsError,
    UnrecognisedColumnsError,
)


class FileKind(StrEnum):
    """What an import file holds."""

    ROSTER = "roster"
    ASSESSMENTS = "assessments"
    ACTIVITIES = "activities"
    REFLECTIONS = "reflections"


#: Canonical (Dutch) column -> accepted aliases (English first, then other Dutch spellings).
ALIASES: dict[str, tuple[str, ...]] = {
    "aios_id": ("resident_id", "trainee_id", "aios", "aios_nummer", "aiosnummer", "pseudoniem"),
    "naam": ("name", "display_name", "full_name", "weergavenaam", "volledige_naam"),
    "specialisme": ("specialty", "speciality", "specialism", "vakgebied", "opleiding"),
    "startdatum": ("start_date", "start", "begin_date", "begindatum", "ingangsdatum"),
    "ziekenhuis": ("hospital", "institution", "instelling", "opleidingsziekenhuis"),
    "opleider": ("trainer", "programme_director", "program_director", "opleider_naam"),
    "deeltijdfactor": (
        "part_time_percent",
        "part_time_percentage",
        "part_time",
        "deeltijd",
        "deeltijdpercentage",
        "deeltijd_percentage",
    ),
    "verlenging_maanden": ("extension_months", "extension", "verlenging", "verlenging_mnd"),
    "onderbreking_maanden": (
        "interruption_months",
        "interruption",
        "onderbreking",
        "onderbreking_mnd",
    ),
    "formulier_id": ("form_id", "assessment_id", "formulier", "formuliernummer", "beoordeling_id"),
    "instrument": ("instrument_code", "assessment_type", "toetsinstrument", "formuliertype"),
    "datum": ("date", "assessment_date", "beoordelingsdatum", "reflectiedatum"),
    "beoordelaar": ("assessor", "rater", "observer", "beoordelaar_naam", "supervisor"),
    "rol_beoordelaar": ("assessor_role", "rater_role", "role", "rol", "beoordelaar_rol"),
    "item": ("item_code", "question", "onderdeel", "vraag", "criterium"),
    "score": ("rating", "value", "waarde", "oordeel", "cijfer"),
    "toelichting": (
        "comment",
        "comments",
        "narrative",
        "feedback",
        "opmerking",
        "opmerkingen",
        "tips_tops",
    ),
    "activiteit_id": ("activity_id", "activiteitnummer"),
    "soort": ("activity_type", "type", "kind", "soort_activiteit", "categorie"),
    "omschrijving": ("title", "description", "titel", "beschrijving"),
    "einddatum": ("end_date", "end", "einde", "datum_einde"),
    "traject": ("track", "talent_track", "talenttraject", "programma"),
    "domeinen": ("domains", "framework_codes", "competencies", "competenties", "codes"),
    "reflectie_id": ("reflection_id", "reflectienummer"),
    "domein": ("domain", "framework_code", "competentie", "competency"),
    "tekst": ("text", "reflection", "reflection_text", "reflectietekst", "inhoud"),
}

#: Columns per kind: (required, optional).
COLUMNS: dict[FileKind, tuple[tuple[str, ...], tuple[str, ...]]] = {
    FileKind.ROSTER: (
        ("aios_id", "naam", "specialisme", "startdatum"),
        ("ziekenhuis", "opleider", "deeltijdfactor", "verlenging_maanden", "onderbreking_maanden"),
    ),
    FileKind.ASSESSMENTS: (
        ("formulier_id", "aios_id", "instrument", "datum", "item", "score"),
        ("beoordelaar", "rol_beoordelaar", "toelichting"),
    ),
    FileKind.ACTIVITIES: (
        ("activiteit_id", "aios_id", "soort", "omschrijving", "startdatum"),
        ("einddatum", "traject", "domeinen"),
    ),
    FileKind.REFLECTIONS: (("reflectie_id", "aios_id", "datum", "tekst"), ("domein",)),
}

#: Columns per kind in their canonical file order.
ORDER: dict[FileKind, tuple[str, ...]] = {
    FileKind.ROSTER: (
        "aios_id",
        "naam",
        "specialisme",
        "startdatum",
        "ziekenhuis",
        "opleider",
        "deeltijdfactor",
        "verlenging_maanden",
        "onderbreking_maanden",
    ),
    FileKind.ASSESSMENTS: (
        "formulier_id",
        "aios_id",
        "instrument",
        "datum",
        "beoordelaar",
        "rol_beoordelaar",
        "item",
        "score",
        "toelichting",
    ),
    FileKind.ACTIVITIES: (
        "activiteit_id",
        "aios_id",
        "soort",
        "omschrijving",
        "startdatum",
        "einddatum",
        "traject",
        "domeinen",
    ),
    FileKind.REFLECTIONS: ("reflectie_id", "aios_id", "datum", "domein", "tekst"),
}

_SIGNATURES: tuple[tuple[FileKind, str], ...] = (
    (FileKind.ASSESSMENTS, "formulier_id"),
    (FileKind.ACTIVITIES, "activiteit_id"),
    (FileKind.REFLECTIONS, "reflectie_id"),
)


def normalise_header(header: str) -> str:
    """Return the matching form of a header: ``"Formulier-ID "`` -> ``"formulier_id"``."""
    text = unicodedata.normalize("NFKD", header.strip().lstrip("\ufeff"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[\s\-./]+", "_", text).strip("_")


def match_key(header: str) -> str:
    """Return the key a header is matched on: normalised, without underscores.

    Example:
        >>> match_key("Start-Datum") == match_key("startdatum")
        True
    """
    return normalise_header(header).replace("_", "")


def _lookup() -> dict[str, str]:
    table = {match_key(canonical): canonical for canonical in ALIASES}
    for canonical, aliases in ALIASES.items():
        for alias in aliases:
            table[match_key(alias)] = canonical
    return table


@dataclass(frozen=True)
class ColumnMap:
    """How a file's headers map onto canonical columns.

    Attributes:
        kind: The detected file kind.
        rename: Header as found -> canonical column.
        ignored: Headers that matched nothing (reported, not imported).
    """

    kind: FileKind
    rename: dict[str, str]
    ignored: tuple[str, ...]


def map_columns(headers: Sequence[str], source: str, delimiter: str | None = None) -> ColumnMap:
    """Map headers to canonical columns and detect the file kind.

    Raises:
        UnrecognisedColumnsError: when no header is known or no kind can be told.
        AmbiguousColumnsError: when two headers map to one column or the kind is unclear.
        MissingColumnsError: when required columns of the detected kind are absent.
    """
    lookup = _lookup()
    rename: dict[str, str] = {}
    ignored: list[str] = []
    for header in headers:
        canonical = lookup.get(match_key(header))
        if canonical is None:
            ignored.append(header)
        elif canonical in rename.values():
            first = next(h for h, c in rename.items() if c == canonical)
            raise AmbiguousColumnsError(source, f"{first!r} and {header!r} both mean {canonical!r}")
        else:
            rename[header] = canonical
    found = set(rename.values())
    kinds = [kind for kind, column in _SIGNATURES if column in found]
    if not kinds and {"aios_id", "naam"} <= found:
        kinds = [FileKind.ROSTER]
    if not kinds:
        raise UnrecognisedColumnsError(source, list(headers), delimiter or "")
    if len(kinds) > 1:
        raise AmbiguousColumnsError(
            source, "the headers match more than one kind: " + ", ".join(kinds)
        )
    kind = kinds[0]
    required, optional = COLUMNS[kind]
    missing = [c for c in required if c not in found]
    if missing:
        raise MissingColumnsError(source, kind, missing)
    allowed = set(required) | set(optional)
    extra = [h for h, c in rename.items() if c not in allowed]
    rename = {h: c for h, c in rename.items() if c in allowed}
    return ColumnMap(kind, rename, (*ignored, *extra))


def alias_table_text() -> str:
    """Return the alias table as text lines for ``mlkit import --help``."""
    lines = []
    for kind, order in ORDER.items():
        optional = ", ".join(COLUMNS[kind][1])
        lines.append(f"{kind}: {';'.join(order)}  (optional: {optional})")
    lines.append("")
    lines.append("Aliases (case, accents, spaces, dashes and underscores are ignored):")
    lines += [f"  {canonical}: {', '.join(aliases)}" for canonical, aliases in ALIASES.items()]
    return "\n".join(lines)


__all__ = [
    "ALIASES",
    "COLUMNS",
    "ORDER",
    "ColumnMap",
    "FileKind",
    "alias_table_text",
    "map_columns",
    "match_key",
    "normalise_header",
]
