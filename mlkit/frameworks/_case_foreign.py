"""Reading a CASE package made by another tool (no mlkit extensions), without loss.

The result is an unverified competency framework. CFItems directly under the CFDocument become
domains; every item below them becomes a competency of its top-level domain (deeper levels are
flattened; the item's note names its CASE parent). An item without an ``isChildOf`` path to the
CFDocument (no parent at all, a parent in another document, or a cycle) also becomes a domain,
with a :class:`CaseImportWarning`.

Codes come from ``humanCodingScheme`` (``MATH.3.OA.1`` -> ``<id>.math.3.oa.1``), else from the
identifier (``<id>.i1a2b3c4d``), so they do not move when items are reordered. Everything CASE
holds beyond that model (identifiers, the original ``humanCodingScheme``, ``CFItemType``,
languages, all associations, definitions, rubrics and the document's metadata) is kept verbatim
in :class:`~mlkit.frameworks.models.CaseRecords`; see ``_case_reexport`` for the way back.

Whatever the official CASE 1.1 package schema accepts is read; what mlkit would have written
differently (non-RFC-4122 or upper-case UUIDs, orphan items, empty statements) is a warning.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from typing import Any

from mlkit.errors import CaseFormatError
from mlkit.frameworks._case_util import COMPETENCY_TYPES, as_list, as_mapping, join_text, node_id
from mlkit.frameworks.case_check import UUID_PATTERN
from mlkit.frameworks.models import CompetencyKind, FrameworkKind, Status

SOURCE_ID = "case"
_NO_EXT: Mapping[str, Any] = {}
_KINDS = {name: kind for kind, name in COMPETENCY_TYPES.items()}
_STAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class CaseImportWarning(UserWarning):
    """Something in a foreign CASE package that mlkit reads, but would not have written so."""


def _warn(source: str, loc: str, message: str) -> None:
    warnings.warn(f"{source}: {loc}: {message}", CaseImportWarning, stacklevel=4)


def _slug(title: str, identifier: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")[:40].strip("_")
    if not slug or not slug[0].isalpha():
        hexpart = re.sub(r"[^0-9a-f]", "", identifier.lower())[:8] or "doc"
        slug = f"case_{hexpart}"
    return slug


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _clean(record: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON object without null values (the schema allows none), for verbatim storage."""
    return {k: v for k, v in record.items() if v is not None}


def _item_code(fid: str, item: Mapping[str, Any], identifier: str, used: set[str]) -> str:
    hcs = _text(item.get("humanCodingScheme"))
    parts = [re.sub(r"[^a-z0-9_]+", "_", p.lower()).strip("_") for p in (hcs or "").split(".")]
    parts = [p for p in parts if p]
    if parts:
        base = f"{fid}.{'.'.join(parts)}"[:110].rstrip("._")
    else:
        base = f"{fid}.i{re.sub(r'[^0-9a-f]', '', identifier.lower())[-12:] or 'tem'}"
    code, n = base, 1
    while code in used:
        n += 1
        code = f"{base}_{n}"
    used.add(code)
    return code


def import_foreign_case(
    pkg: Mapping[str, Any], doc: Mapping[str, Any], source: str
) -> dict[str, Any]:
    """Build framework data from a CASE package without mlkit extensions.

    Raises:
        CaseFormatError: when the document has no title or identifier, or an item has no
            identifier (nothing else is refused; see :class:`CaseImportWarning`).
    """
    title = _text(doc.get("title"))
    doc_id = _text(doc.get("identifier"))
    if title is None or doc_id is None:
        missing = "title" if title is None else "identifier"
        raise CaseFormatError(source, f"CFDocument.{missing}", "missing or empty")
    fid = _slug(title, doc_id)
    language = _text(doc.get("language"))
    items, parents, associations = _index(pkg, doc_id, source)
    _check_uuids(
        {"CFDocument.identifier": doc_id}
        | {f"CFItems[{i}].identifier": ident for ident, (i, _) in items.items()}
        | {
            f"CFAssociations[{j}].identifier": str(a.get("identifier"))
            for j, a in enumerate(associations)
        },
        source,
    )
    used: set[str] = set()
    codes = {ident: _item_code(fid, item, ident, used) for ident, (_, item) in items.items()}
    domains, competencies = _walk(
        doc_id, items=items, parents=parents, codes=codes, language=language, source=source
    )
    publisher = _text(doc.get("publisher")) or _text(doc.get("creator")) or "unknown"
    url = _text(doc.get("officialSourceURL")) or _text(doc.get("uri"))
    stamp = _STAMP.match(str(doc.get("lastChangeDateTime", "")))
    if stamp is None:
        raise CaseFormatError(
            source, "CFDocument.lastChangeDateTime", "missing or not an RFC 3339 date-time"
        )
    year = int(stamp.group(1))
    description = _text(doc.get("description"))
    kinds = sorted({str(a.get("associationType")) for a in associations})
    return {
        "id": fid,
        "kind": FrameworkKind.COMPETENCY_FRAMEWORK.value,
        "title": join_text(title, language, _NO_EXT, "CFDocument.title", source),
        "description": join_text(description, language, _NO_EXT, "CFDocument", source)
        if description
        else {},
        "publisher": publisher,
        "year": year,
        "changed": "-".join(stamp.groups()),
        "version": _text(doc.get("version")) or "unknown",
        "source": SOURCE_ID,
        "status": Status.UNVERIFIED.value,
        "note": (
            "Imported from a CASE package without mlkit data; nothing is verified by mlkit. "
            f"Its {len(associations)} association(s) ({', '.join(kinds) or 'none'}), "
            "identifiers, item types and document metadata are kept under `case`."
        ),
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
        "case": {
            "document": _clean(doc),
            "items": {codes[ident]: _clean(item) for ident, (_, item) in items.items()},
            "associations": [_clean(a) for a in associations],
            "definitions": pkg.get("CFDefinitions"),
            "rubrics": pkg.get("CFRubrics", []),
            "extensions": pkg.get("extensions"),
        },
    }


def _check_uuids(identifiers: dict[str, str], source: str) -> None:
    """One warning for all identifiers that are not lower-case RFC 4122 UUIDs (location -> id)."""
    odd = [(loc, i) for loc, i in identifiers.items() if UUID_PATTERN.fullmatch(i) is None]
    if odd:
        loc, first = odd[0]
        _warn(
            source,
            loc,
            f"{len(odd)} identifier(s) are not lower-case RFC 4122 UUIDs, the first {first!r};"
            " kept as they are",
        )


def _index(
    pkg: Mapping[str, Any], doc_id: str, source: str
) -> tuple[
    dict[str, tuple[int, Mapping[str, Any]]],
    dict[str, list[tuple[float, int, str]]],
    list[Mapping[str, Any]],
]:
    """Index items, each node's children (by sequence number, then file order), associations."""
    items: dict[str, tuple[int, Mapping[str, Any]]] = {}
    for i, raw in enumerate(as_list(pkg.get("CFItems", []), "CFItems", source)):
        item = as_mapping(raw, f"CFItems[{i}]", source)
        identifier = _text(item.get("identifier"))
        if identifier is None:
            raise CaseFormatError(source, f"CFItems[{i}].identifier", "missing or empty")
        if identifier in items:
            _warn(source, f"CFItems[{i}]", f"identifier {identifier} repeated; first one kept")
            continue
        items[identifier] = (i, item)
    children: dict[str, list[tuple[float, int, str]]] = {}
    placed: set[str] = set()
    associations: list[Mapping[str, Any]] = []
    for j, raw in enumerate(as_list(pkg.get("CFAssociations", []), "CFAssociations", source)):
        loc = f"CFAssociations[{j}]"
        assoc = as_mapping(raw, loc, source)
        origin = node_id(assoc, "originNodeURI", loc, source)
        parent = node_id(assoc, "destinationNodeURI", loc, source)
        associations.append(assoc)
        if assoc.get("associationType") != "isChildOf" or origin not in items:
            continue
        if parent != doc_id and parent not in items:
            _warn(source, loc, f"isChildOf points outside this document ({parent}); kept")
            continue
        if origin in placed:
            continue  # first parent wins for the tree; every isChildOf is kept under `case`
        placed.add(origin)
        seq = assoc.get("sequenceNumber")
        key = float(seq) if isinstance(seq, int) else float("inf")
        children.setdefault(parent, []).append((key, items[origin][0], origin))
    for kids in children.values():
        kids.sort()
    return items, children, associations


def _fields(
    entry: tuple[int, Mapping[str, Any]], code: str, language: str | None, source: str
) -> dict[str, Any]:
    i, item = entry
    lang = _text(item.get("language")) or language
    statement = item.get("fullStatement")
    if _text(statement) is None:
        _warn(source, f"CFItems[{i}].fullStatement", "empty statement; the title stays empty")
        title: dict[str, Any] = {}
    else:
        title = join_text(statement, lang, _NO_EXT, f"CFItems[{i}].fullStatement", source)
    fields: dict[str, Any] = {
        "code": code,
        "title": title,
        "source": SOURCE_ID,
        "status": Status.UNVERIFIED.value,
    }
    notes = _text(item.get("notes"))
    if notes is not None:
        fields["note"] = notes
    return fields


def _add_note(fields: dict[str, Any], text: str) -> None:
    fields["note"] = f"{fields['note']}; {text}" if "note" in fields else text


def _walk(
    doc_id: str,
    *,
    items: Mapping[str, tuple[int, Mapping[str, Any]]],
    parents: Mapping[str, list[tuple[float, int, str]]],
    codes: Mapping[str, str],
    language: str | None,
    source: str,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Turn the hierarchy into domains (top level) and competencies (everything below)."""
    domains: list[dict[str, Any]] = []
    competencies: list[dict[str, Any]] = []
    reached: set[str] = set()
    roots = [c[2] for c in parents.get(doc_id, [])]
    # Items not reachable from the CFDocument become domains too, after the real ones: first
    # those without a parent in the package, then what is left (members of an isChildOf cycle).
    children = {c[2] for kids in parents.values() for c in kids}
    pending = [i for i in items if i not in children] + [i for i in items if i in children]
    for dom_id in [*roots, *pending]:
        if dom_id in reached:
            continue
        reached.add(dom_id)
        dom_code = codes[dom_id]
        fields = _fields(items[dom_id], dom_code, language, source)
        if dom_id not in roots:
            loc = f"CFItems[{items[dom_id][0]}]"
            _warn(source, loc, f"item {dom_id} has no isChildOf path to the CFDocument")
            _add_note(fields, "no isChildOf path to the CFDocument in the CASE file")
        domains.append({**fields, "order": len(domains) + 1})
        number = 0
        stack = [(c[2], dom_code) for c in reversed(parents.get(dom_id, []))]
        while stack:
            comp_id, parent_code = stack.pop()
            if comp_id in reached:
                continue  # a cycle or a second path; the association itself is kept
            reached.add(comp_id)
            number += 1
            fields = _fields(items[comp_id], codes[comp_id], language, source)
            if parent_code != dom_code:
                _add_note(fields, f"nested under {parent_code} in the CASE file")
            comp = items[comp_id][1]
            kind = _KINDS.get(str(comp.get("CFItemType")), CompetencyKind.COMPETENCY)
            competencies.append(
                {
                    **fields,
                    "domain": dom_code,
                    "kind": kind.value,
                    "number": _text(comp.get("listEnumeration")),
                    "order": number,
                }
            )
            stack.extend((c[2], codes[comp_id]) for c in reversed(parents.get(comp_id, [])))
    return domains, competencies
