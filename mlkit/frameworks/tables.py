"""Frameworks as tables: rows, CSV (safe for spreadsheets) and readable Markdown.

Example:
    >>> rml = load_framework("rml")
    >>> Path("rml.csv").write_text(export_csv(rml, "nl"), encoding="utf-8", newline="")
    >>> print(export_markdown(rml, "en"))
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Iterable, Sequence

from mlkit.frameworks.case import item_type, placed_items
from mlkit.frameworks.models import (
    Framework,
    FrameworkKind,
    Lang,
    Provenanced,
    Text,
    display_title,
    status_marker,
)

ITEM_COLUMNS = (
    "code", "type", "parent", "number", "title", "description", "status", "source", "note",
)  # fmt: skip
LINK_COLUMNS = ("from", "to", "relation", "rationale", "status", "source", "note")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_HEADINGS: dict[str, tuple[str, str]] = {
    "Dimension": ("Dimensies", "Dimensions"),
    "Domain": ("Domeinen", "Domains"),
    "LeadershipLevel": ("Niveaus van leiderschap", "Leadership levels"),
    "TalentTrack": ("Talenttrajecten", "Talent tracks"),
    "CharacteristicCluster": ("Clusters van kenmerken", "Characteristic clusters"),
    "Role": ("Rollen", "Roles"),
}
_WORDS: dict[str, tuple[str, str]] = {
    "code": ("Code", "Code"),
    "number": ("Nr.", "No."),
    "title": ("Titel", "Title"),
    "status": ("Status", "Status"),
    "source": ("Bron", "Source"),
    "competencies": ("Competenties", "Competencies"),
    "characteristics": ("Kenmerken", "Characteristics"),
    "tasks": ("Taken", "Tasks"),
    "links": ("Koppelingen", "Links"),
    "sources": ("Bronnen", "Sources"),
    "from": ("Van", "From"),
    "to": ("Naar", "To"),
    "relation": ("Relatie", "Relation"),
    "rationale": ("Onderbouwing", "Rationale"),
    "publisher": ("Uitgever", "Publisher"),
    "version": ("Versie", "Version"),
}


def _word(key: str, lang: Lang) -> str:
    nl, en = _WORDS[key]
    return nl if lang == "nl" else en


def _text(value: Text | None, lang: Lang) -> str:
    return (value.get(lang) if value is not None else None) or ""


def to_rows(fw: Framework, lang: Lang) -> list[dict[str, str]]:
    """Return one row per item (or, for a crosswalk, per link) as plain strings.

    Item rows have the keys of :data:`ITEM_COLUMNS`; crosswalk rows those of
    :data:`LINK_COLUMNS`. An unknown text is an empty string; the ``status`` column says how far
    the row is confirmed.
    """
    if fw.kind is FrameworkKind.CROSSWALK:
        return [
            {
                "from": link.from_code,
                "to": link.to_code,
                "relation": link.relation.value,
                "rationale": _text(link.rationale, lang),
                "status": link.status.value,
                "source": link.source,
                "note": link.note or "",
            }
            for link in fw.links
        ]
    return [
        {
            "code": item.code,
            "type": item_type(item),
            "parent": parent or "",
            "number": getattr(item, "number", None) or "",
            "title": _text(getattr(item, "title", None), lang),
            "description": _text(getattr(item, "description", None), lang),
            "status": item.status.value,
            "source": item.source,
            "note": item.note or "",
        }
        for item, parent, _ in placed_items(fw)
    ]


def _safe_cell(value: str) -> str:
    """Defuse spreadsheet formulas: a cell starting with = + - @ (or tab/CR) gets a quote."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def export_csv(fw: Framework, lang: Lang) -> str:
    """Return the framework as CSV text (RFC 4180, CRLF line ends) with a header row.

    Cells that a spreadsheet would run as a formula get a leading apostrophe. Write the text
    with ``newline=""`` so the line ends stay as they are.
    """
    columns = LINK_COLUMNS if fw.kind is FrameworkKind.CROSSWALK else ITEM_COLUMNS
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    for row in to_rows(fw, lang):
        writer.writerow({k: _safe_cell(v) for k, v in row.items()})
    return buffer.getvalue()


def _md(value: object) -> str:
    """Free text for Markdown: HTML special characters escaped, so no tag is ever rendered."""
    return html.escape(str(value), quote=False)


def _cell(value: str) -> str:
    value = _md(value)
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _item_rows(items: Iterable[Provenanced], lang: Lang) -> list[list[str]]:
    return [
        [
            f"`{item.code}`",
            getattr(item, "number", None) or "",
            display_title(item, lang),
            item.status.value,
            item.source,
        ]
        for item in items
    ]


def export_markdown(fw: Framework, lang: Lang) -> str:
    """Return the framework as Markdown: a table per section and the list of sources.

    Partial and unverified items carry their status marker (``[niet geverifieerd]``, ...)
    next to the title; empty titles show a placeholder, never an invented text.
    """
    marker = status_marker(fw.status, lang)
    title = _md(_text(fw.title, lang) or fw.id)
    out = [f"# {marker} {title}" if marker else f"# {title}", ""]
    out += [
        f"{_word('publisher', lang)}: {_md(fw.publisher)} ({fw.year or 'n.d.'}); "
        f"{_word('version', lang)}: {_md(fw.version)}; status: {fw.status.value}",
        "",
    ]
    description = _md(_text(fw.description, lang))
    if description:
        out += [description, ""]
    header = [_word(k, lang) for k in ("code", "number", "title", "status", "source")]
    sections = [
        ("Dimension", fw.dimensions), ("Domain", fw.domains), ("LeadershipLevel", fw.levels),
        ("TalentTrack", fw.talent_tracks), ("CharacteristicCluster", fw.characteristic_clusters),
        ("Role", fw.roles),
    ]  # fmt: skip
    for key, items in sections:
        if items:
            out += [f"## {_HEADINGS[key][0 if lang == 'nl' else 1]}", ""]
            out += _table(header, _item_rows(items, lang))
    grouped: dict[str, list[Provenanced]] = {}
    for item, parent, _ in placed_items(fw):
        if parent is not None:
            grouped.setdefault(parent, []).append(item)
    for parent_code, kids in grouped.items():
        owner = fw.item(parent_code)
        word = {"Domain": "competencies", "CharacteristicCluster": "characteristics"}.get(
            item_type(owner), "tasks"
        )
        out += [f"### {_word(word, lang)}: {_md(display_title(owner, lang))}", ""]
        out += _table(header, _item_rows(kids, lang))
    if fw.links:
        out += [f"## {_word('links', lang)}", ""]
        link_header = [_word(k, lang) for k in ("from", "to", "relation", "rationale", "status")]
        rows = []
        for link in fw.links:
            mark = status_marker(link.status, lang)
            rationale = _text(link.rationale, lang)
            rows.append([
                f"`{link.from_code}`", f"`{link.to_code}`", link.relation.value,
                f"{mark} {rationale}".strip(), link.status.value,
            ])  # fmt: skip
        out += _table(link_header, rows)
    out += [f"## {_word('sources', lang)}", ""]
    for src in fw.sources:
        details = _md(", ".join(str(p) for p in (src.publisher, src.year) if p is not None))
        line = f"- `{src.id}`: {_md(src.title)}" + (f" ({details})" if details else "")
        url = str(src.url or "").replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
        out.append(line + (f" <{url}>" if url else ""))
    return "\n".join(out) + "\n"
