"""Reading an mlkit-made CASE package back into framework data (the exact round trip)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mlkit.errors import CaseFormatError
from mlkit.frameworks._case_util import (
    COMPETENCY_TYPES,
    EXTENSION_KEY,
    ITEM_TYPES,
    LINK_ASSOCIATION_TYPES,
    as_list,
    as_mapping,
    join_text,
    link_association_type,
    node_id,
)
from mlkit.frameworks.models import Relation, Status


def import_mlkit_case(
    pkg: Mapping[str, Any], doc: Mapping[str, Any], meta: Mapping[str, Any], source: str
) -> dict[str, Any]:
    data: dict[str, Any] = dict(meta)
    data["title"] = join_text(doc.get("title"), doc.get("language"), meta, "CFDocument", source)
    data.pop("title_en", None)
    data.pop("title_empty", None)
    data["publisher"] = doc.get("publisher", doc.get("creator"))
    data["version"] = doc.get("version")
    items = as_list(pkg.get("CFItems", []), "CFItems", source)
    parents, part_of, links = _read_associations(pkg, source)
    records: dict[str, dict[str, Any]] = {}  # by identifier
    kinds = {v: k for k, v in COMPETENCY_TYPES.items()}
    for i, raw in enumerate(items):
        loc = f"CFItems[{i}]"
        cf_item = as_mapping(raw, loc, source)
        ext = as_mapping(
            as_mapping(cf_item.get("extensions", {}), f"{loc}.extensions", source).get(
                EXTENSION_KEY
            ),
            f"{loc}.extensions.mlkit",
            source,
        )
        record = {k: v for k, v in ext.items() if k not in ("title_en", "title_empty")}
        record["code"] = cf_item.get("humanCodingScheme")
        record["title"] = join_text(
            cf_item.get("fullStatement"), cf_item.get("language"), ext, loc, source
        )
        identifier = str(cf_item.get("identifier"))
        if identifier not in parents:
            raise CaseFormatError(source, loc, "item has no isChildOf association")
        type_name = str(cf_item.get("CFItemType"))
        if type_name not in ITEM_TYPES:
            raise CaseFormatError(source, f"{loc}.CFItemType", f"unknown type {type_name!r}")
        if type_name != "TalentTrack":
            record["order"] = parents[identifier][1]
        if type_name in kinds:
            record["kind"] = kinds[type_name].value
            if "listEnumeration" in cf_item:
                record["number"] = cf_item["listEnumeration"]
        records[identifier] = {"type": type_name, "loc": loc, "fields": record}
    _assemble(
        data=data,
        records=records,
        parents=parents,
        part_of=part_of,
        doc_id=str(doc.get("identifier")),
        source=source,
    )
    data["links"] = links
    return data


def _read_associations(
    pkg: Mapping[str, Any], source: str
) -> tuple[dict[str, tuple[str, int | None]], dict[str, list[str]], list[dict[str, Any]]]:
    parents: dict[str, tuple[str, int | None]] = {}
    part_of: dict[str, list[str]] = {}
    links: list[dict[str, Any]] = []
    for j, raw in enumerate(as_list(pkg.get("CFAssociations", []), "CFAssociations", source)):
        loc = f"CFAssociations[{j}]"
        assoc = as_mapping(raw, loc, source)
        kind = assoc.get("associationType")
        origin = node_id(assoc, "originNodeURI", loc, source)
        destination = node_id(assoc, "destinationNodeURI", loc, source)
        if kind == "isChildOf":
            parents.setdefault(origin, (destination, assoc.get("sequenceNumber")))
        elif kind == "isPartOf":
            part_of.setdefault(origin, []).append(destination)
        elif kind in LINK_ASSOCIATION_TYPES:
            ext = as_mapping(assoc.get("extensions", {}), f"{loc}.extensions", source)
            link = as_mapping(ext.get(EXTENSION_KEY), f"{loc}.extensions.mlkit", source)
            relation = link.get("relation")
            try:
                expected = link_association_type(
                    Relation(str(relation)), Status(str(link.get("status")))
                )
            except ValueError:
                expected = None
            if expected != kind:
                raise CaseFormatError(
                    source,
                    f"{loc}.associationType",
                    f"{kind} does not fit the crosswalk relation {relation!r}",
                )
            links.append(dict(link))
    return parents, part_of, links


_CHILD_LISTS = {
    "Characteristic": ("CharacteristicCluster", "characteristics"),
    "Task": ("Role", "tasks"),
}
_TOP_LEVEL = {
    "Dimension": "dimensions", "Domain": "domains", "LeadershipLevel": "levels",
    "TalentTrack": "talent_tracks", "CharacteristicCluster": "characteristic_clusters",
    "Role": "roles",
}  # fmt: skip


def _assemble(
    *,
    data: dict[str, Any],
    records: Mapping[str, dict[str, Any]],
    parents: Mapping[str, tuple[str, int | None]],
    part_of: Mapping[str, list[str]],
    doc_id: str,
    source: str,
) -> None:
    """Put the item records into the framework dict, following the isChildOf hierarchy."""
    for key in (*_TOP_LEVEL.values(), "competencies"):
        data[key] = []
    for rec in records.values():
        if rec["type"] in ("CharacteristicCluster",):
            rec["fields"]["characteristics"] = []
        elif rec["type"] in ("Role", "Task"):
            rec["fields"]["tasks" if rec["type"] == "Role" else "subtasks"] = []
    for identifier, rec in records.items():
        parent_id = parents[identifier][0]
        parent = records.get(parent_id)
        kind, fields, loc = rec["type"], rec["fields"], rec["loc"]
        if kind in _TOP_LEVEL:
            if parent_id != doc_id:
                raise CaseFormatError(source, loc, f"a {kind} must be a child of the CFDocument")
            data[_TOP_LEVEL[kind]].append(fields)
            if kind == "Domain":
                fields["dimensions"] = [
                    _code_of(records, d, f"{loc} isPartOf", source)
                    for d in part_of.get(identifier, [])
                ]
        elif kind in COMPETENCY_TYPES.values():
            if parent is None or parent["type"] != "Domain":
                raise CaseFormatError(source, loc, "a competency must be a child of a Domain")
            fields["domain"] = parent["fields"]["code"]
            data["competencies"].append(fields)
        else:
            want, key = _CHILD_LISTS[kind]
            allowed = (want, "Task") if kind == "Task" else (want,)
            if parent is None or parent["type"] not in allowed:
                raise CaseFormatError(source, loc, f"a {kind} must be a child of a {want}")
            parent["fields"]["subtasks" if parent["type"] == "Task" else key].append(fields)


def _code_of(records: Mapping[str, dict[str, Any]], identifier: str, loc: str, source: str) -> Any:
    if identifier not in records:
        raise CaseFormatError(source, loc, f"no item with identifier {identifier!r}")
    return records[identifier]["fields"]["code"]
