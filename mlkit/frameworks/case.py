"""Exchange with 1EdTech CASE 1.1: export a framework as a CFPackage and read one back.

A :class:`~mlkit.frameworks.models.Framework` becomes one CFDocument; every coded item becomes a
CFItem whose ``CFItemType`` names its kind (``Domain``, ``KeyCompetency``, ``Task``, ...) and
whose place in the hierarchy is an ``isChildOf`` association (to its parent item or to the
CFDocument), numbered by the item's ``order``. Crosswalk links become ``exactMatchOf`` or
``isRelatedTo`` associations between the items' identifiers in the other documents.

Identifiers are name-based UUIDs (``uuid5``) from a fixed mlkit namespace and the framework id
or item code, so an export is stable and diffable. Every record carries the same
``lastChangeDateTime``: the framework's ``changed`` date (when the mlkit encoding last changed,
midnight UTC), or the moment of export for a file without one; never a date made up from the
publication year.

Honesty towards other CASE tools: a partial or unverified framework is exported with
``adoptionStatus: "Draft"``; an empty unverified slot becomes a statement that starts with
``[PLACEHOLDER]``, with ``abbreviatedStatement: "PLACEHOLDER"`` and the concept keyword
``placeholder``; a crosswalk link is ``exactMatchOf`` only when it is confirmed (an unconfirmed
exact proposal is ``isRelatedTo``), and broader/narrower links keep their direction as
``ext:mlkit.broaderThan`` / ``ext:mlkit.narrowerThan``.

What CASE cannot express (status, source ids and the ``sources`` list, English text, notes,
descriptions of items, talent-track details, crosswalk relations and rationales) travels in
``extensions["mlkit"]``, so :func:`import_case` restores an equal model. A package without mlkit
extensions (from another CASE tool) is read as an unverified competency framework; see
the ``_case_foreign`` module.

Example:
    >>> package = export_case(load_framework("rml"))
    >>> check_case_package(package)
    []
    >>> import_case(package) == load_framework("rml")
    True
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from mlkit.atomic import write_text_atomic
from mlkit.errors import CaseFormatError, FrameworkValidationError
from mlkit.frameworks._case_foreign import import_foreign_case
from mlkit.frameworks._case_import import import_mlkit_case
from mlkit.frameworks._case_reexport import export_recorded
from mlkit.frameworks._case_util import (
    CLASS_TYPES,
    COMPETENCY_TYPES,
    EXTENSION_KEY,
    ITEM_TYPES,
    MLKIT_NAMESPACE,
    PLACEHOLDER,
    as_mapping,
    association,
    case_uuid,
    link_association_type,
    node_link,
    split_text,
    urn,
)
from mlkit.frameworks.case_check import check_case_package
from mlkit.frameworks.models import (
    SCHEMA_ID,
    Competency,
    Framework,
    Provenanced,
    Status,
    Task,
)
from mlkit.frameworks.validate import file_problems, raise_if_problems, schema_problems

# Fields carried by CASE itself (or by associations), so they stay out of the item extensions.
_CASE_FIELDS = frozenset(
    {"code", "title", "order", "domain", "kind", "number", "dimensions",
     "characteristics", "tasks", "subtasks"}
)  # fmt: skip
_FRAMEWORK_CASE_FIELDS = frozenset(
    {"title", "publisher", "version", "dimensions", "domains", "competencies", "levels",
     "talent_tracks", "characteristic_clusters", "roles", "links"}
)  # fmt: skip


def item_type(item: Provenanced) -> str:
    """Return the CFItemType name of an item, e.g. ``Domain`` or ``EnablingCompetency``."""
    if isinstance(item, Competency):
        return COMPETENCY_TYPES[item.kind]
    return CLASS_TYPES[type(item)]


def placed_items(fw: Framework) -> Iterator[tuple[Provenanced, str | None, int]]:
    """Yield ``(item, parent code or None, sequence number)`` for every item, parents first.

    The sequence number is the item's ``order``; talent tracks, which have none, are numbered
    by their position in the file.
    """
    for dim in fw.dimensions:
        yield dim, None, dim.order
    for dom in fw.domains:
        yield dom, None, dom.order
    for comp in fw.competencies:
        yield comp, comp.domain, comp.order
    for level in fw.levels:
        yield level, None, level.order
    for position, track in enumerate(fw.talent_tracks, start=1):
        yield track, None, position
    for cluster in fw.characteristic_clusters:
        yield cluster, None, cluster.order
        for ch in cluster.characteristics:
            yield ch, cluster.code, ch.order
    for role in fw.roles:
        yield role, None, role.order
        yield from _placed_tasks(role.tasks, role.code)


def _placed_tasks(tasks: tuple[Task, ...], parent: str) -> Iterator[tuple[Task, str, int]]:
    for task in tasks:
        yield task, parent, task.order
        yield from _placed_tasks(task.subtasks, task.code)


def _stamp(fw: Framework, changed: datetime | None) -> str:
    if changed is None and fw.changed is not None:
        return f"{fw.changed.isoformat()}T00:00:00Z"
    when = changed if changed is not None else datetime.now(UTC)
    aware = when if when.tzinfo is not None else when.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _provenance(fw: Framework, status: str, source: str, note: str | None) -> str:
    try:
        cited = fw.source_by_id(source).title
    except KeyError:
        cited = source
    text = f"mlkit status: {status}; source: {cited}"
    return f"{text}; note: {note}" if note else text


def export_case(fw: Framework, *, changed: datetime | None = None) -> dict[str, Any]:
    """Export a framework as a CASE 1.1 CFPackage (a JSON-ready dict).

    Args:
        fw: The framework.
        changed: The ``lastChangeDateTime`` of every record; default ``fw.changed`` (midnight
            UTC), else the moment of export.

    Returns:
        A dict with ``CFDocument``, ``CFItems``, ``CFAssociations`` and ``CFDefinitions``.

    Example:
        >>> package = export_case(load_framework("canmeds2015_leader"))
        >>> json.dumps(package, ensure_ascii=False, indent=2)
    """
    stamp = _stamp(fw, changed)
    if fw.case is not None:  # imported from another tool: write its records back
        placed = list(placed_items(fw))
        return export_recorded(fw, fw.case, placed, lambda i: _export_item(fw, i, stamp), stamp)
    doc_id = case_uuid("framework", fw.id)
    title, lang, title_ext = split_text(fw.title, fw.id)
    description, _, _ = split_text(fw.description, None)
    meta = fw.model_dump(
        mode="json", by_alias=True, exclude=set(_FRAMEWORK_CASE_FIELDS), exclude_defaults=True
    )
    document: dict[str, Any] = {
        "identifier": doc_id,
        "uri": urn(doc_id),
        "frameworkType": fw.kind.value,
        "caseVersion": "1.1",
        "creator": fw.publisher,
        "title": title,
        "lastChangeDateTime": stamp,
    }
    url = _source_url(fw)
    if url is not None:
        document["officialSourceURL"] = url
    document["publisher"] = fw.publisher
    if description is not None:
        document["description"] = description
    document |= {"language": lang or "nl", "version": fw.version}
    if fw.status is not Status.CONFIRMED:
        document["adoptionStatus"] = "Draft"  # not everything is confirmed by its source
    document["notes"] = _provenance(fw, fw.status.value, fw.source, fw.note)
    document["extensions"] = {EXTENSION_KEY: {"schema": SCHEMA_ID, **meta, **title_ext}}
    doc_link = node_link(title or fw.id, doc_id)

    items: list[dict[str, Any]] = []
    associations: list[dict[str, Any]] = []
    used_types: list[str] = []
    for item, parent, sequence in placed_items(fw):
        cf_item = _export_item(fw, item, stamp)
        items.append(cf_item)
        if cf_item["CFItemType"] not in used_types:
            used_types.append(cf_item["CFItemType"])
        item_link = node_link(item.code, cf_item["identifier"])
        parent_link = doc_link if parent is None else node_link(parent, case_uuid("item", parent))
        associations.append(
            association("isChildOf", item.code, item_link, parent_link, stamp, sequence=sequence)
        )
    for dom in fw.domains:
        for dim in dom.dimensions:
            associations.append(
                association(
                    "isPartOf",
                    f"{dom.code}>{dim}",
                    node_link(dom.code, case_uuid("item", dom.code)),
                    node_link(dim, case_uuid("item", dim)),
                    stamp,
                )
            )
    associations.extend(_export_links(fw, stamp))
    package: dict[str, Any] = {
        "CFDocument": document,
        "CFItems": items,
        "CFAssociations": associations,
    }
    package["CFDefinitions"] = {"CFItemTypes": [_item_type_def(t, stamp) for t in used_types]}
    return package


def _source_url(fw: Framework) -> str | None:
    try:
        url = fw.source_by_id(fw.source).url
    except KeyError:
        return None
    return url if url is not None and url.startswith(("http://", "https://")) else None


def _export_item(fw: Framework, item: Provenanced, stamp: str) -> dict[str, Any]:
    identifier = case_uuid("item", item.code)
    title = getattr(item, "title")  # noqa: B009 - every item class has a title
    placeholder = f"{PLACEHOLDER} {item.code}: text not yet loaded (unverified slot)"
    statement, lang, title_ext = split_text(title, placeholder)
    type_name = item_type(item)
    cf_item: dict[str, Any] = {
        "identifier": identifier,
        "fullStatement": statement,
        "CFItemType": type_name,
        "uri": urn(identifier),
        "humanCodingScheme": item.code,
    }
    if title.empty:  # recognisable as a placeholder by tools that know nothing of mlkit
        cf_item["abbreviatedStatement"] = "PLACEHOLDER"
        cf_item["conceptKeywords"] = ["placeholder"]
    number = getattr(item, "number", None)
    if number is not None:
        cf_item["listEnumeration"] = number
    cf_item["notes"] = _provenance(fw, item.status.value, item.source, item.note)
    if lang is not None:
        cf_item["language"] = lang
    cf_item["CFItemTypeURI"] = node_link(type_name, case_uuid("type", type_name))
    cf_item["lastChangeDateTime"] = stamp
    extra = item.model_dump(mode="json", exclude=set(_CASE_FIELDS), exclude_defaults=True)
    cf_item["extensions"] = {EXTENSION_KEY: {**extra, **title_ext}}
    return cf_item


def _export_links(fw: Framework, stamp: str) -> Iterator[dict[str, Any]]:
    seen: dict[str, int] = {}
    for link in fw.links:
        name = f"{fw.id}:{link.from_code}>{link.to_code}:{link.relation.value}"
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            name = f"{name}#{seen[name]}"
        kind = link_association_type(link.relation, link.status)
        origin = node_link(link.from_code, case_uuid("item", link.from_code))
        destination = node_link(link.to_code, case_uuid("item", link.to_code))
        out = association(kind, name, origin, destination, stamp)
        if link.note:
            out["notes"] = link.note
        extra = link.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        out["extensions"] = {EXTENSION_KEY: extra}
        yield out


def _item_type_def(name: str, stamp: str) -> dict[str, Any]:
    identifier = case_uuid("type", name)
    return {
        "identifier": identifier,
        "uri": urn(identifier),
        "title": name,
        "description": ITEM_TYPES[name],
        "hierarchyCode": str(list(ITEM_TYPES).index(name) + 1),
        "typeCode": name,
        "lastChangeDateTime": stamp,
    }


def import_case(package: Mapping[str, Any], source: str = "<case>") -> Framework:
    """Read a CASE 1.1 CFPackage back into a framework.

    A package exported by mlkit (its CFDocument carries ``extensions["mlkit"]``) is restored to
    an equal model. Any other package is read as an unverified competency framework: top-level
    items become domains, everything below them competencies of their top-level domain.

    Args:
        package: The parsed JSON object.
        source: A name for error messages (usually the file path).

    Raises:
        CaseFormatError: when the package lacks what a framework needs, naming the location.
        FrameworkValidationError: when the resulting framework is not valid.
    """
    pkg = as_mapping(package, "(top level)", source)
    doc = as_mapping(pkg.get("CFDocument"), "CFDocument", source)
    doc_ext = as_mapping(doc.get("extensions", {}), "CFDocument.extensions", source)
    meta = doc_ext.get(EXTENSION_KEY)
    if meta is None:
        data = import_foreign_case(pkg, doc, source)
    else:
        data = import_mlkit_case(
            pkg, doc, as_mapping(meta, "CFDocument.extensions.mlkit", source), source
        )
    try:
        fw = Framework.model_validate(data)
    except ValidationError as exc:
        raise FrameworkValidationError(source, schema_problems(exc, {})) from exc
    raise_if_problems(source, file_problems(fw, {}))
    return fw


def render_case_json(fw: Framework, *, changed: datetime | None = None) -> str:
    """Return the CASE 1.1 package of ``fw`` as pretty-printed UTF-8 JSON text."""
    return json.dumps(export_case(fw, changed=changed), ensure_ascii=False, indent=2) + "\n"


def parse_case(text: str, source: str = "<case>") -> Framework:
    """Parse CASE 1.1 JSON text into a framework (see :func:`import_case`).

    Raises:
        CaseFormatError: when the text is not JSON or not a usable package.
    """
    try:
        package = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CaseFormatError(source, f"line {exc.lineno}, column {exc.colno}", exc.msg) from exc
    return import_case(package, source)


def write_case(fw: Framework, path: Path, *, changed: datetime | None = None) -> None:
    """Write the CASE 1.1 package of ``fw`` to ``path`` (UTF-8, atomically).

    Example:
        >>> write_case(load_framework("rml"), Path("rml.case.json"))
    """
    write_text_atomic(path, render_case_json(fw, changed=changed))


def read_case(path: Path) -> Framework:
    """Read a CASE 1.1 JSON file into a framework.

    Raises:
        FileNotFoundError: when the file does not exist.
        CaseFormatError: when it is not a usable CASE package.
    """
    return parse_case(path.read_text(encoding="utf-8"), str(path))


__all__ = [
    "COMPETENCY_TYPES",
    "ITEM_TYPES",
    "MLKIT_NAMESPACE",
    "case_uuid",
    "check_case_package",
    "export_case",
    "import_case",
    "item_type",
    "parse_case",
    "placed_items",
    "read_case",
    "render_case_json",
    "write_case",
]
