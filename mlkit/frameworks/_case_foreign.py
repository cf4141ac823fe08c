"""Reading a CASE package made by another tool (no mlkit extensions) as framework data.

The result is an unverified competency framework: the CFItems directly under the CFDocument
become domains, every item below them a competency of its top-level domain (deeper levels are
flattened; the item's note names its CASE parent). Codes are positional (``<id>.d1``,
``<id>.d1.c3``) and the single source entry names the CFDocument.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mlkit.errors import CaseFormatError
from mlkit.frameworks._case_util import COMPETENCY_TYPES, as_list, as_mapping, join_text, node_id
from mlkit.frameworks.models import CompetencyKind, FrameworkKind, Status

SOURCE_ID = "case"
_NO_EXT: Mapping[str, Any] = {}
_KINDS = {name: kind for kind, name in COMPETENCY_TYPES.items()}


def _slug(title: str, identifier: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")[:40].strip("_")
    if not slug or not slug[0].isalpha():
        hexpart = re.sub(r"[^0-9a-f]", "", identifier.lower())[:8] or "doc"
        slug = f"case_{hexpart}"
    return slug


def _year(stamp: object, source: str) -> int:
    match = re.match(r"(\d{4})-", stamp) if isinstance(stamp, str) else None
    if match is None:
        raise CaseFormatError(
            source, "CFDocument.lastChangeDateTime", "missing or not an RFC 3339 date-time"
        )
    return int(match.group(1))


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def import_foreign_case(
    pkg: Mapping[str, Any], doc: Mapping[str, Any], source: str
) -> dict[str, Any]:
    """Build framework data from a CASE package without mlkit extensions.

    Raises:
        CaseFormatError: when the document has no title or identifier, an item has no
            statement, or an item does not hang under the CFDocument through ``isChildOf``.
    """
    title = _text(doc.get("title"))
    doc_id = _text(doc.get("identifier"))
    if title is None or doc_id is None:
        missing = "title" if title is None else "identifier"
        raise CaseFormatError(source, f"CFDocument.{missing}", "missing or empty")
    fid = _slug(title, doc_id)
    language = _text(doc.get("language"))
    by_id, children = _hierarchy(pkg, doc_id, source)
    domains, competencies = _walk(
        fid, doc_id, by_id=by_id, children=children, language=language, source=source
    )
    skipped = sum(
        1
        for a in pkg.get("CFAssociations", [])
        if isinstance(a, Mapping) and a.get("associationType") != "isChildOf"
    )
    publisher = _text(doc.get("publisher")) or _text(doc.get("creator")) or "unknown"
    note = "Imported from a CASE package without mlkit data; nothing is verified by mlkit."
    if skipped:
        note += f" {skipped} non-hierarchy association(s) were not imported."
    url = _text(doc.get("officialSourceURL")) or _text(doc.get("uri"))
    year = _year(doc.get("lastChangeDateTime"), source)
    description = _text(doc.get("description"))
    return {
        "id": fid,
        "kind": FrameworkKind.COMPETENCY_FRAMEWORK.value,
        "title": join_text(title, language, _NO_EXT, "CFDocument.title", source),
        "description": join_text(description, language, _NO_EXT, "CFDocument", source)
        if description
        else {},
        "publisher": publisher,
        "year": year,
        "version": _text(doc.get("version")) or "unknown",
        "source": SOURCE_ID,
        "status": Status.UNVERIFIED.value,
        "note": note,
        "sources": [
            {
                "id": SOURCE_ID,
                "title": title,
                "url": url,
                "publisher": publisher,
                "year": year,
                "note": f"CASE CFDocument {doc_id}",
            }
        ],
        "domains": domains,
        "competencies": competencies,
    }


def _fields(
    entry: tuple[int, Mapping[str, Any]], code: str, language: str | None, source: str
) -> dict[str, Any]:
    i, item = entry
    loc = f"CFItems[{i}].fullStatement"
    lang = _text(item.get("language")) or language
    fields: dict[str, Any] = {
        "code": code,
        "title": join_text(item.get("fullStatement"), lang, _NO_EXT, loc, source),
        "source": SOURCE_ID,
        "status": Status.UNVERIFIED.value,
    }
    notes = _text(item.get("notes"))
    if notes is not None:
        fields["note"] = notes
    return fields


def _hierarchy(
    pkg: Mapping[str, Any], doc_id: str, source: str
) -> tuple[dict[str, tuple[int, Mapping[str, Any]]], dict[str, list[tuple[float, int, str]]]]:
    """Index the items and sort the children of every node by sequence number, then file order."""
    by_id: dict[str, tuple[int, Mapping[str, Any]]] = {}
    for i, raw in enumerate(as_list(pkg.get("CFItems", []), "CFItems", source)):
        item = as_mapping(raw, f"CFItems[{i}]", source)
        identifier = _text(item.get("identifier"))
        if identifier is None:
            raise CaseFormatError(source, f"CFItems[{i}].identifier", "missing or empty")
        by_id.setdefault(identifier, (i, item))
    children: dict[str, list[tuple[float, int, str]]] = {}
    has_parent: set[str] = set()
    for j, raw in enumerate(as_list(pkg.get("CFAssociations", []), "CFAssociations", source)):
        loc = f"CFAssociations[{j}]"
        assoc = as_mapping(raw, loc, source)
        if assoc.get("associationType") != "isChildOf":
            continue
        origin = node_id(assoc, "originNodeURI", loc, source)
        parent = node_id(assoc, "destinationNodeURI", loc, source)
        if origin not in by_id or origin in has_parent:
            continue  # first parent wins (CASE allows an item under several parents)
        if parent != doc_id and parent not in by_id:
            raise CaseFormatError(source, loc, f"isChildOf points to unknown node {parent!r}")
        has_parent.add(origin)
        seq = assoc.get("sequenceNumber")
        key = float(seq) if isinstance(seq, int) else float("inf")
        children.setdefault(parent, []).append((key, by_id[origin][0], origin))
    for kids in children.values():
        kids.sort()
    return by_id, children


def _walk(
    fid: str,
    doc_id: str,
    *,
    by_id: Mapping[str, tuple[int, Mapping[str, Any]]],
    children: Mapping[str, list[tuple[float, int, str]]],
    language: str | None,
    source: str,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Turn the hierarchy into domains (top level) and competencies (everything below)."""
    domains: list[dict[str, Any]] = []
    competencies: list[dict[str, Any]] = []
    reached: set[str] = set()
    for d, (_, _, dom_id) in enumerate(children.get(doc_id, []), start=1):
        dom_code = f"{fid}.d{d}"
        reached.add(dom_id)
        domains.append({**_fields(by_id[dom_id], dom_code, language, source), "order": d})
        number = 0
        stack = [(c[2], dom_code) for c in reversed(children.get(dom_id, []))]
        while stack:
            comp_id, parent_code = stack.pop()
            if comp_id in reached:
                raise CaseFormatError(source, f"CFItems[{by_id[comp_id][0]}]", "isChildOf cycle")
            reached.add(comp_id)
            number += 1
            code = f"{dom_code}.c{number}"
            fields = _fields(by_id[comp_id], code, language, source)
            comp = by_id[comp_id][1]
            if parent_code != dom_code:
                nested = f"nested under {parent_code} in the CASE file"
                fields["note"] = f"{fields['note']}; {nested}" if "note" in fields else nested
            kind = _KINDS.get(str(comp.get("CFItemType")), CompetencyKind.COMPETENCY)
            enumeration = _text(comp.get("listEnumeration")) or _text(comp.get("humanCodingScheme"))
            competencies.append(
                {
                    **fields,
                    "domain": dom_code,
                    "kind": kind.value,
                    "number": enumeration,
                    "order": number,
                }
            )
            stack.extend((c[2], code) for c in reversed(children.get(comp_id, [])))
    for identifier, (i, _) in by_id.items():
        if identifier not in reached:
            raise CaseFormatError(
                source,
                f"CFItems[{i}]",
                f"item {identifier} has no isChildOf path to the CFDocument",
            )
    return domains, competencies
