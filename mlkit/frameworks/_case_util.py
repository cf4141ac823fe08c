"""Small readers shared by the CASE import modules: typed access with located errors."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from mlkit.errors import CaseFormatError
from mlkit.frameworks.models import (
    Characteristic,
    CharacteristicCluster,
    CompetencyKind,
    Dimension,
    Domain,
    LeadershipLevel,
    Provenanced,
    Relation,
    Role,
    Status,
    TalentTrack,
    Task,
    Text,
)

#: The key under ``extensions`` that holds what CASE cannot express.
EXTENSION_KEY = "mlkit"

#: Fixed namespace for all mlkit CASE identifiers; never change it (identifiers would change).
MLKIT_NAMESPACE = uuid.UUID("0b6f3c52-7f0e-4d1a-9c55-2e8a4f61d7b3")

COMPETENCY_TYPES: dict[CompetencyKind, str] = {
    CompetencyKind.COMPETENCY: "Competency",
    CompetencyKind.KEY: "KeyCompetency",
    CompetencyKind.ENABLING: "EnablingCompetency",
    CompetencyKind.ELEMENT: "Element",
    CompetencyKind.CAPABILITY: "Capability",
}
CLASS_TYPES: dict[type[Provenanced], str] = {
    Dimension: "Dimension",
    Domain: "Domain",
    LeadershipLevel: "LeadershipLevel",
    TalentTrack: "TalentTrack",
    CharacteristicCluster: "CharacteristicCluster",
    Characteristic: "Characteristic",
    Role: "Role",
    Task: "Task",
}
#: Every CFItemType mlkit uses, with the description written to CFDefinitions.
ITEM_TYPES: dict[str, str] = {
    "Dimension": "A grouping above competency domains.",
    "Domain": "A competency domain.",
    "Competency": "A competency inside a domain.",
    "KeyCompetency": "A key competency inside a domain (CanMEDS).",
    "EnablingCompetency": "An enabling competency inside a domain (CanMEDS).",
    "Element": "An element of a domain (MLCF).",
    "Capability": "A capability of a domain (LEADS).",
    "LeadershipLevel": "A level of medical leadership.",
    "TalentTrack": "A talent or leadership development programme.",
    "CharacteristicCluster": "A named group of characteristics of a role profile.",
    "Characteristic": "One characteristic of a role profile.",
    "Role": "A role with its task list.",
    "Task": "A task or responsibility of a role.",
}
#: The start of the statement of an empty (unverified) slot in an export.
PLACEHOLDER = "[PLACEHOLDER]"
_DIRECTED = {Relation.BROADER: "ext:mlkit.broaderThan", Relation.NARROWER: "ext:mlkit.narrowerThan"}


def link_association_type(relation: Relation, status: Status) -> str:
    """Return the CASE association type of a crosswalk link.

    ``exactMatchOf`` asserts equivalence to every CASE consumer, so only a confirmed exact link
    gets it; an unconfirmed exact proposal is ``isRelatedTo``. Broader and narrower keep their
    direction in an ``ext:`` type; related links are ``isRelatedTo``.

    Example:
        >>> link_association_type(Relation.EXACT, Status.UNVERIFIED)
        'isRelatedTo'
    """
    if relation is Relation.EXACT:
        return "exactMatchOf" if status is Status.CONFIRMED else "isRelatedTo"
    return _DIRECTED.get(relation, "isRelatedTo")


#: Every association type an mlkit crosswalk link can be exported as.
LINK_ASSOCIATION_TYPES = frozenset({"exactMatchOf", "isRelatedTo", *_DIRECTED.values()})


def case_uuid(kind: str, name: str) -> str:
    """Return the deterministic CASE identifier of an mlkit object.

    Args:
        kind: What is named: ``framework``, ``item``, ``type`` or an association kind.
        name: The framework id, item code or other stable name.

    Example:
        >>> case_uuid("item", "rml.d01")  # the same on every machine and in every export
        '2ce759fd-c9ad-597d-8e35-a99201f7dfb1'
    """
    return str(uuid.uuid5(MLKIT_NAMESPACE, f"{kind}:{name}"))


def urn(identifier: str) -> str:
    """Return the ``urn:uuid:`` URI of a CASE identifier."""
    return f"urn:uuid:{identifier}"


def node_link(title: str, identifier: str) -> dict[str, str]:
    """Return a CASE link object (``LinkGenURI``/``LinkURI``) to an identifier."""
    return {"title": title, "identifier": identifier, "uri": urn(identifier)}


def association(
    kind: str,
    name: str,
    origin: dict[str, str],
    destination: dict[str, str],
    stamp: str,
    *,
    sequence: int | None = None,
) -> dict[str, Any]:
    """Return a CFAssociation with the deterministic identifier of ``kind`` and ``name``."""
    identifier = case_uuid(kind, name)
    out: dict[str, Any] = {"identifier": identifier, "associationType": kind}
    if sequence is not None:
        out["sequenceNumber"] = sequence
    out |= {
        "uri": urn(identifier),
        "originNodeURI": origin,
        "destinationNodeURI": destination,
        "lastChangeDateTime": stamp,
    }
    return out


def as_mapping(value: object, loc: str, source: str) -> Mapping[str, Any]:
    """Return ``value`` as a JSON object, or raise naming ``loc``."""
    if not isinstance(value, Mapping):
        raise CaseFormatError(source, loc, f"expected an object, got {type(value).__name__}")
    return value


def as_list(value: object, loc: str, source: str) -> list[Any]:
    """Return ``value`` as a JSON array, or raise naming ``loc``."""
    if not isinstance(value, list):
        raise CaseFormatError(source, loc, f"expected an array, got {type(value).__name__}")
    return value


def node_id(assoc: Mapping[str, Any], key: str, loc: str, source: str) -> str:
    """Return the identifier of an association's node link ``key``."""
    node = as_mapping(assoc.get(key), f"{loc}.{key}", source)
    identifier = node.get("identifier")
    if not isinstance(identifier, str) or not identifier:
        raise CaseFormatError(source, f"{loc}.{key}.identifier", "missing identifier")
    return identifier


def split_text(
    text: Text, placeholder: str | None
) -> tuple[str | None, str | None, dict[str, Any]]:
    """Split a two-language text into (CASE statement, its language, extension entries).

    The Dutch text is the statement when there is one, else the English text. An empty text
    gives ``placeholder`` and the extension entry ``title_empty`` so that import restores it.
    """
    if text.nl is not None:
        return text.nl, "nl", ({"title_en": text.en} if text.en is not None else {})
    if text.en is not None:
        return text.en, "en", {}
    return placeholder, None, ({"title_empty": True} if placeholder is not None else {})


def join_text(
    statement: object, language: object, ext: Mapping[str, Any], loc: str, source: str
) -> dict[str, str | None]:
    """Inverse of :func:`split_text`: rebuild a text from a statement, language and extensions.

    Without a language the statement is taken as English (the usual CASE language); a language
    tag starting with ``nl`` makes it Dutch.
    """
    if ext.get("title_empty") is True:
        return {}
    if not isinstance(statement, str) or not statement.strip():
        raise CaseFormatError(source, loc, "the statement or title is missing or empty")
    if isinstance(language, str) and language.lower().startswith("nl"):
        english = ext.get("title_en")
        return {"nl": statement, "en": english if isinstance(english, str) else None}
    return {"en": statement}
