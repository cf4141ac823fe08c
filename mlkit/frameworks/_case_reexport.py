"""Writing a framework imported from another tool's CASE package back as CASE, without loss.

The kept records (:class:`~mlkit.frameworks.models.CaseRecords`) are written as they came: the
CFDocument, every CFItem with its identifier, ``humanCodingScheme``, ``CFItemType`` and language,
every association (also those to other documents), the definitions and rubrics. Only what was
changed in mlkit since the import shows: an edited title becomes the item's ``fullStatement``, an
item removed in mlkit drops out together with its associations, and an item added in mlkit is
exported the mlkit way under its domain.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mlkit.frameworks._case_util import association, case_uuid, node_link
from mlkit.frameworks.models import CaseRecords, Framework, Provenanced, Text


def _statement(title: Text, record: dict[str, Any], doc_language: object) -> object:
    """The item's current title in the language of its record (or the record's own text)."""
    language = record.get("language", doc_language)
    dutch = isinstance(language, str) and language.lower().startswith("nl")
    text = title.nl if dutch else title.en
    return text if text is not None else record.get("fullStatement")


def export_recorded(
    fw: Framework,
    records: CaseRecords,
    placed: list[tuple[Provenanced, str | None, int]],
    make_item: Callable[[Provenanced], dict[str, Any]],
    stamp: str,
) -> dict[str, Any]:
    """Return the CASE package of a framework that came from a foreign package.

    Args:
        fw: The framework (its ``case`` field holds ``records``).
        records: The kept CASE records.
        placed: ``(item, parent code, sequence)`` for every item, parents first.
        make_item: Exports an item the mlkit way (for items added in mlkit).
        stamp: ``lastChangeDateTime`` for what mlkit adds.
    """
    document = dict(records.document)
    doc_id = str(document.get("identifier"))
    current = {item.code: item for item, _, _ in placed}
    items: list[dict[str, Any]] = []
    identifiers: dict[str, str] = {}
    for code, record in records.items.items():
        identifiers[code] = str(record.get("identifier"))
        if code not in current:
            continue
        out = dict(record)
        title: Text = getattr(current[code], "title")  # noqa: B009 - every item has a title
        out["fullStatement"] = _statement(title, record, document.get("language"))
        items.append(out)
    gone = {identifiers[c] for c in records.items if c not in current}
    associations = [
        dict(a)
        for a in records.associations
        if a["originNodeURI"]["identifier"] not in gone
        and a["destinationNodeURI"]["identifier"] not in gone
    ]
    doc_link = node_link(str(document.get("title", fw.id)), doc_id)
    for item, parent, sequence in placed:
        if item.code in records.items:
            continue
        cf_item = make_item(item)
        cf_item.pop("CFItemTypeURI", None)  # mlkit's item types are not in these definitions
        items.append(cf_item)
        identifiers[item.code] = cf_item["identifier"]
        parent_id = doc_id if parent is None else identifiers.get(parent, case_uuid("item", parent))
        parent_link = doc_link if parent is None else node_link(parent, parent_id)
        associations.append(
            association(
                "isChildOf",
                item.code,
                node_link(item.code, cf_item["identifier"]),
                parent_link,
                stamp,
                sequence=sequence,
            )
        )
    package: dict[str, Any] = {
        "CFDocument": document,
        "CFItems": items,
        "CFAssociations": associations,
    }
    if records.definitions is not None:
        package["CFDefinitions"] = dict(records.definitions)
    if records.rubrics:
        package["CFRubrics"] = [dict(r) for r in records.rubrics]
    if records.extensions is not None:
        package["extensions"] = dict(records.extensions)
    return package
