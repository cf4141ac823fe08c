"""A checker for CASE 1.1 CFPackage JSON: the constraints of the 1EdTech JSON Schema binding.

It checks what the schema (``getCFPackage`` response, as carried in OpenSALT's
``case-v1p1-cfpackage-schema.json``) requires: required and allowed keys per object
(``additionalProperties: false`` everywhere but ``extensions``), value types, the UUID pattern of
identifiers, absolute URIs, RFC 3339 date-times and the association types. It adds the rules a
framework package must keep: unique identifiers, a non-empty ``fullStatement`` and an
``isChildOf`` from every CFItem to the CFDocument or another item of the package.

The schema's patterns are unanchored; this checker matches them against the whole value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from mlkit.errors import Problem

ASSOCIATION_TYPES = (
    "isChildOf", "isPeerOf", "isPartOf", "exactMatchOf", "precedes", "isRelatedTo",
    "replacedBy", "exemplar", "hasSkillLevel", "isTranslationOf",
)  # fmt: skip
UUID_PATTERN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[8-9a-b][0-9a-f]{3}-[0-9a-f]{12}")
_EXT_PATTERN = re.compile(r"ext:[a-zA-Z0-9.\-_]+")
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:\S+")
_DATE = r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
_DATE_TIME = re.compile(
    _DATE + r"[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]\d\d:\d\d)"
)

# object kind -> (required keys, optional keys)
_SPECS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "CFPackage": (("CFDocument",),
                  ("CFItems", "CFAssociations", "CFDefinitions", "CFRubrics", "extensions")),
    "CFDocument": (
        ("identifier", "uri", "creator", "title", "lastChangeDateTime"),
        ("frameworkType", "caseVersion", "officialSourceURL", "publisher", "description",
         "subject", "subjectURI", "language", "version", "adoptionStatus", "statusStartDate",
         "statusEndDate", "licenseURI", "notes", "extensions"),
    ),
    "CFItem": (
        ("identifier", "fullStatement", "uri", "lastChangeDateTime"),
        ("alternativeLabel", "CFItemType", "humanCodingScheme", "listEnumeration",
         "abbreviatedStatement", "conceptKeywords", "conceptKeywordsURI", "notes", "subject",
         "subjectURI", "language", "educationLevel", "CFItemTypeURI", "licenseURI",
         "statusStartDate", "statusEndDate", "extensions"),
    ),
    "CFAssociation": (
        ("identifier", "associationType", "uri", "originNodeURI", "destinationNodeURI",
         "lastChangeDateTime"),
        ("sequenceNumber", "CFAssociationGroupingURI", "notes", "extensions"),
    ),
    "CFDefinitions": ((), ("CFConcepts", "CFSubjects", "CFLicenses", "CFItemTypes",
                           "CFAssociationGroupings", "extensions")),
    "CFItemType": (("identifier", "uri", "title", "description", "hierarchyCode",
                    "lastChangeDateTime"), ("typeCode", "extensions")),
    "CFConcept": (("identifier", "uri", "title", "hierarchyCode", "lastChangeDateTime"),
                  ("keywords", "description", "extensions")),
    "CFSubject": (("identifier", "uri", "title", "hierarchyCode", "lastChangeDateTime"),
                  ("description", "extensions")),
    "CFLicense": (("identifier", "uri", "title", "licenseText", "lastChangeDateTime"),
                  ("description", "extensions")),
    "CFAssociationGrouping": (("identifier", "uri", "title", "lastChangeDateTime"),
                              ("description", "extensions")),
    "CFRubric": (("identifier", "uri", "lastChangeDateTime"),
                 ("title", "description", "CFRubricCriteria", "extensions")),
    "CFRubricCriterion": (("identifier", "uri", "lastChangeDateTime"),
                          ("category", "description", "CFItemURI", "weight", "position",
                           "rubricId", "CFRubricCriterionLevels", "extensions")),
    "CFRubricCriterionLevel": (("identifier", "uri", "lastChangeDateTime"),
                               ("description", "quality", "score", "feedback", "position",
                                "rubricCriterionId", "extensions")),
    "LinkGenURI": (("title", "identifier", "uri"), ("targetType",)),
    "LinkURI": (("title", "identifier", "uri"), ()),
}  # fmt: skip
# key -> kind of the nested object(s); a list value holds several
_NESTED = {
    "CFDocument": "CFDocument", "CFItems": "CFItem", "CFAssociations": "CFAssociation",
    "CFDefinitions": "CFDefinitions", "CFRubrics": "CFRubric", "CFItemTypes": "CFItemType",
    "CFConcepts": "CFConcept", "CFSubjects": "CFSubject", "CFLicenses": "CFLicense",
    "CFAssociationGroupings": "CFAssociationGrouping", "CFRubricCriteria": "CFRubricCriterion",
    "CFRubricCriterionLevels": "CFRubricCriterionLevel", "originNodeURI": "LinkGenURI",
    "destinationNodeURI": "LinkGenURI", "subjectURI": "LinkURI", "licenseURI": "LinkURI",
    "conceptKeywordsURI": "LinkURI", "CFItemTypeURI": "LinkURI",
    "CFAssociationGroupingURI": "LinkURI", "CFItemURI": "LinkURI",
}  # fmt: skip
_ARRAYS = frozenset(
    {"CFItems", "CFAssociations", "CFRubrics", "CFItemTypes", "CFConcepts", "CFSubjects",
     "CFLicenses", "CFAssociationGroupings", "CFRubricCriteria", "CFRubricCriterionLevels",
     "subjectURI"}
)  # fmt: skip
_STRING_ARRAYS = frozenset({"subject", "conceptKeywords", "educationLevel"})


def _fits(pattern: re.Pattern[str]) -> Callable[[object], bool]:
    return lambda v: isinstance(v, str) and pattern.fullmatch(v) is not None


_VALUE_CHECKS: dict[str, tuple[Callable[[object], bool], str]] = {
    "identifier": (_fits(UUID_PATTERN), "not a lower-case RFC 4122 UUID"),
    "rubricId": (_fits(UUID_PATTERN), "not a lower-case RFC 4122 UUID"),
    "rubricCriterionId": (_fits(UUID_PATTERN), "not a lower-case RFC 4122 UUID"),
    "uri": (_fits(_URI), "not an absolute URI"),
    "officialSourceURL": (_fits(_URI), "not an absolute URI"),
    "lastChangeDateTime": (_fits(_DATE_TIME), "not an RFC 3339 date-time"),
    "statusStartDate": (_fits(re.compile(_DATE)), "not a date (YYYY-MM-DD)"),
    "statusEndDate": (_fits(re.compile(_DATE)), "not a date (YYYY-MM-DD)"),
    "caseVersion": (lambda v: v == "1.1", "must be '1.1'"),
    "associationType": (
        lambda v: v in ASSOCIATION_TYPES or _fits(_EXT_PATTERN)(v),
        "not a CASE 1.1 association type (nor ext:...)",
    ),
    "targetType": (lambda v: v == "CASE" or _fits(_EXT_PATTERN)(v), "must be CASE or ext:..."),
    "sequenceNumber": (lambda v: isinstance(v, int) and not isinstance(v, bool), "not an integer"),
    "position": (lambda v: isinstance(v, int) and not isinstance(v, bool), "not an integer"),
    "weight": (lambda v: isinstance(v, int | float) and not isinstance(v, bool), "not a number"),
    "score": (lambda v: isinstance(v, int | float) and not isinstance(v, bool), "not a number"),
}


def check_case_package(package: object) -> list[str]:
    """Check a CFPackage against the CASE 1.1 JSON binding; return the problems ([] if valid).

    Each problem reads ``<location>: <message> [<reason>] (value: ...)``.

    Example:
        >>> check_case_package(export_case(load_framework("santeon")))
        []
    """
    problems: list[Problem] = []
    _check_object(package, "CFPackage", "(package)", problems)
    if not problems and isinstance(package, Mapping):
        _check_graph(package, problems)
    return [str(p) for p in problems]


def _check_object(obj: object, kind: str, loc: str, problems: list[Problem]) -> None:
    if not isinstance(obj, Mapping):
        problems.append(Problem(loc, "wrong_type", f"a {kind} must be an object"))
        return
    required, optional = _SPECS[kind]
    for key in required:
        if key not in obj:
            problems.append(Problem(loc, "missing", f"required key {key!r} is missing"))
    for key, value in obj.items():
        where = f"{loc}.{key}" if loc != "(package)" else key
        if key not in required and key not in optional:
            problems.append(Problem(where, "unknown_key", f"{kind} does not allow this key"))
        elif key == "extensions":
            ok = isinstance(value, list if kind == "CFRubricCriterionLevel" else Mapping)
            if not ok:
                problems.append(Problem(where, "wrong_type", "extensions has the wrong type"))
        elif key in _NESTED:
            _check_nested(value, _NESTED[key], where, key in _ARRAYS, problems)
        elif key in _STRING_ARRAYS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append(Problem(where, "wrong_type", "must be an array of strings"))
        else:
            _check_value(kind, key, value, where, problems)


def _check_nested(
    value: object, kind: str, where: str, is_array: bool, problems: list[Problem]
) -> None:
    if not is_array:
        _check_object(value, kind, where, problems)
    elif not isinstance(value, list):
        problems.append(Problem(where, "wrong_type", "must be an array"))
    else:
        for i, element in enumerate(value):
            _check_object(element, kind, f"{where}[{i}]", problems)


def _check_value(kind: str, key: str, value: object, where: str, problems: list[Problem]) -> None:
    shown = str(value)[:80]
    if key in _VALUE_CHECKS and not (key == "identifier" and kind == "LinkGenURI"):
        check, message = _VALUE_CHECKS[key]
        if not check(value):
            problems.append(Problem(where, "bad_value", message, shown))
    elif key not in _VALUE_CHECKS and not isinstance(value, str):
        problems.append(Problem(where, "wrong_type", "must be a string", shown))


def _check_graph(package: Mapping[str, Any], problems: list[Problem]) -> None:
    """Rules across objects: unique identifiers, statements, and the isChildOf hierarchy."""
    doc_id = package["CFDocument"]["identifier"]
    items = package.get("CFItems", [])
    owner = {doc_id: "CFDocument"}
    for group in ("CFItems", "CFAssociations"):
        for i, obj in enumerate(package.get(group, [])):
            loc = f"{group}[{i}]"
            if obj["identifier"] in owner:
                problems.append(
                    Problem(
                        f"{loc}.identifier",
                        "duplicate_id",
                        f"identifier also used by {owner[obj['identifier']]}",
                        obj["identifier"],
                    )
                )
            owner.setdefault(obj["identifier"], loc)
    item_ids = {item["identifier"] for item in items}
    parented: set[str] = set()
    for j, assoc in enumerate(package.get("CFAssociations", [])):
        if assoc["associationType"] != "isChildOf":
            continue
        origin = assoc["originNodeURI"]["identifier"]
        target = assoc["destinationNodeURI"]["identifier"]
        if origin in item_ids:
            parented.add(origin)
            if target != doc_id and target not in item_ids:
                problems.append(
                    Problem(
                        f"CFAssociations[{j}].destinationNodeURI",
                        "dangling",
                        "isChildOf points outside the package",
                        target,
                    )
                )
    type_ids = {t["identifier"] for t in package.get("CFDefinitions", {}).get("CFItemTypes", [])}
    for i, item in enumerate(items):
        loc = f"CFItems[{i}]"
        if not str(item["fullStatement"]).strip():
            problems.append(Problem(f"{loc}.fullStatement", "empty", "fullStatement is empty"))
        if item["identifier"] not in parented:
            problems.append(
                Problem(loc, "orphan", "item has no isChildOf association", item["identifier"])
            )
        type_uri = item.get("CFItemTypeURI")
        if type_uri is not None and type_uri["identifier"] not in type_ids:
            problems.append(
                Problem(
                    f"{loc}.CFItemTypeURI",
                    "unknown_type",
                    "not defined in CFDefinitions.CFItemTypes",
                    type_uri["identifier"],
                )
            )
