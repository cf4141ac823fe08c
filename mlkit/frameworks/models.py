"""Pydantic models of leadership frameworks: plain data, no I/O.

One :class:`Framework` model covers every bundled file: competency frameworks (RML, CanMEDS
Leader, MLCF, LEADS), the handreiking's leadership levels, talent tracks, the Santeon role profile
and crosswalks. Every item carries its provenance: a ``source`` id that points into the
framework's ``sources`` list and a ``status`` of ``confirmed``, ``partial`` or ``unverified``.

Codes are stable, globally unique slugs prefixed with the framework id, e.g. ``rml.d01``,
``rml.d01.c1``, ``canmeds2015.leader.3.1``, ``mlcf.4.2``, ``handreiking.frontline``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

CODE_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$"
Code = Annotated[str, StringConstraints(pattern=CODE_PATTERN, min_length=1, max_length=120)]
Lang = Literal["nl", "en"]
SCHEMA_ID: Final = "mlkit.framework/1"


class Status(StrEnum):
    """How far an item is confirmed by its cited source."""

    CONFIRMED = "confirmed"
    PARTIAL = "partial"
    UNVERIFIED = "unverified"


class FrameworkKind(StrEnum):
    """What a framework file holds."""

    COMPETENCY_FRAMEWORK = "competency_framework"
    LEADERSHIP_LEVELS = "leadership_levels"
    TALENT_TRACKS = "talent_tracks"
    ROLE_PROFILE = "role_profile"
    CROSSWALK = "crosswalk"


class CompetencyKind(StrEnum):
    """The kind of a competency-level item (the name each framework uses)."""

    COMPETENCY = "competency"
    KEY = "key"
    ENABLING = "enabling"
    ELEMENT = "element"
    CAPABILITY = "capability"


class Relation(StrEnum):
    """Crosswalk relation, read as "from is <relation> to".

    ``broader`` means the *from* item is broader than the *to* item (SKOS style).
    """

    EXACT = "exact"
    BROADER = "broader"
    NARROWER = "narrower"
    RELATED = "related"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Text(_Model):
    """A short text in Dutch and English; ``None`` where it is not known (unverified slot)."""

    nl: str | None = None
    en: str | None = None

    def get(self, lang: Lang) -> str | None:
        """Return the text in ``lang``, falling back to the other language."""
        first, second = (self.nl, self.en) if lang == "nl" else (self.en, self.nl)
        return first if first is not None else second

    @property
    def empty(self) -> bool:
        """True when neither language has a text."""
        return self.nl is None and self.en is None


class Source(_Model):
    """A cited source: where a fact comes from."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_\-]+$")]
    title: str
    url: str | None = None
    publisher: str | None = None
    year: int | None = None
    note: str | None = None


class Provenanced(_Model):
    """Base for every item: a stable code plus source id, status and an optional note."""

    code: Code
    source: str
    status: Status
    note: str | None = None


class Dimension(Provenanced):
    """A grouping above domains (RML: individu, anderen, maatschappij)."""

    title: Text
    order: int = Field(ge=1)


class Domain(Provenanced):
    """A competency domain (RML domain, CanMEDS key competency, MLCF domain, LEADS domain)."""

    title: Text
    description: Text = Text()
    order: int = Field(ge=1)
    dimensions: tuple[Code, ...] = ()


class Competency(Provenanced):
    """A competency inside a domain (RML competency, enabling competency, element, capability)."""

    domain: Code
    kind: CompetencyKind = CompetencyKind.COMPETENCY
    number: str | None = None
    title: Text
    description: Text = Text()
    order: int = Field(ge=1)


class LeadershipLevel(Provenanced):
    """A level of leadership (handreiking: frontline, klinisch, bestuurlijk)."""

    title: Text
    description: Text = Text()
    order: int = Field(ge=1)
    expected_in_residency: bool | None = None


class TalentTrack(Provenanced):
    """A talent or leadership development programme an aios can enrol in."""

    title: Text
    organiser: str | None = None
    description: Text = Text()
    target_audience: Text = Text()
    duration_months: float | None = Field(default=None, gt=0)
    level_focus: Code | None = None
    #: When the programme starts or started, as precise as the source: ``2018``, ``2018-09`` or
    #: a quarter such as ``2018-Q4`` ("end of 2018").
    start: (
        Annotated[str, StringConstraints(pattern=r"^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$")] | None
    ) = None
    #: Other names or spellings under which the track is known (``Talentklas``); an import matches
    #: them case-insensitively, see :func:`talent_track_index`.
    aliases: tuple[str, ...] = ()


class Characteristic(Provenanced):
    """One characteristic of a role profile (Santeon: a bullet under a cluster)."""

    title: Text
    description: Text = Text()
    order: int = Field(ge=1)


class CharacteristicCluster(Provenanced):
    """A named group of characteristics."""

    title: Text
    order: int = Field(ge=1)
    characteristics: tuple[Characteristic, ...]


class Task(Provenanced):
    """A task of a role; ``subtasks`` hold the responsibilities listed under a task."""

    title: Text
    description: Text = Text()
    order: int = Field(ge=1)
    subtasks: tuple[Task, ...] = ()


class Role(Provenanced):
    """A role with its task list (Santeon: Santeon-wide, in the hospital, lead, focus project)."""

    title: Text
    description: Text = Text()
    order: int = Field(ge=1)
    tasks: tuple[Task, ...]


class CrosswalkLink(_Model):
    """A proposed correspondence between two items, possibly in different frameworks."""

    from_code: Code = Field(alias="from")
    to_code: Code = Field(alias="to")
    relation: Relation
    rationale: Text
    proposed_by: str
    source: str
    status: Status
    note: str | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class CaseRecords(_Model):
    """The records of a CASE package made by another tool, kept so that nothing is lost.

    A foreign package is read into domains and competencies, but CASE holds more than that model:
    identifiers, ``humanCodingScheme``, ``CFItemType``, every association (also to other
    documents), languages, definitions and the document's metadata. They are kept here verbatim,
    and :func:`~mlkit.frameworks.case.export_case` writes them back, so foreign -> mlkit -> CASE
    keeps every item, association and identifier.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    document: dict[str, Any]
    #: The original CFItem of each item, by mlkit code (in the package's order).
    items: dict[str, dict[str, Any]] = Field(default_factory=dict)
    associations: tuple[dict[str, Any], ...] = ()
    definitions: dict[str, Any] | None = None
    rubrics: tuple[dict[str, Any], ...] = ()
    extensions: dict[str, Any] | None = None


class Framework(_Model):
    """A whole framework file: metadata, sources and the items of its kind."""

    schema_id: Literal["mlkit.framework/1"] = Field(default=SCHEMA_ID, alias="schema")
    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
    kind: FrameworkKind
    title: Text
    description: Text = Text()
    publisher: str
    year: int | None = Field(default=None, ge=1900, le=2100)  # None: the source is undated
    #: When this mlkit encoding of the framework last changed (not when the source was
    #: published); CASE exports use it as ``lastChangeDateTime``.
    changed: date | None = None
    version: str
    country: str | None = None
    source: str
    status: Status
    note: str | None = None
    sources: tuple[Source, ...] = Field(min_length=1)
    dimensions: tuple[Dimension, ...] = ()
    domains: tuple[Domain, ...] = ()
    competencies: tuple[Competency, ...] = ()
    levels: tuple[LeadershipLevel, ...] = ()
    talent_tracks: tuple[TalentTrack, ...] = ()
    characteristic_clusters: tuple[CharacteristicCluster, ...] = ()
    roles: tuple[Role, ...] = ()
    links: tuple[CrosswalkLink, ...] = ()
    #: Only for a framework imported from another tool's CASE package (see :class:`CaseRecords`).
    case: CaseRecords | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def items(self) -> Iterator[Provenanced]:
        """Yield every coded item of the framework, parents before children."""
        yield from self.dimensions
        yield from self.domains
        yield from self.competencies
        yield from self.levels
        yield from self.talent_tracks
        for cluster in self.characteristic_clusters:
            yield cluster
            yield from cluster.characteristics
        for role in self.roles:
            yield role
            yield from _walk_tasks(role.tasks)

    def codes(self) -> list[str]:
        """Return the codes of all items, in file order."""
        return [item.code for item in self.items()]

    def item(self, code: str) -> Provenanced:
        """Return the item with ``code``.

        Raises:
            KeyError: if no item has that code.
        """
        for candidate in self.items():
            if candidate.code == code:
                return candidate
        raise KeyError(code)

    def competencies_of(self, domain_code: str) -> list[Competency]:
        """Return the competencies of one domain, in order."""
        return sorted(
            (c for c in self.competencies if c.domain == domain_code), key=lambda c: c.order
        )

    def source_by_id(self, source_id: str) -> Source:
        """Return the cited source with ``source_id``.

        Raises:
            KeyError: if the framework does not list it.
        """
        for src in self.sources:
            if src.id == source_id:
                return src
        raise KeyError(source_id)


def _walk_tasks(tasks: tuple[Task, ...]) -> Iterator[Task]:
    for task in tasks:
        yield task
        yield from _walk_tasks(task.subtasks)


def display_title(item: Provenanced, lang: Lang) -> str:
    """Return an item's title for people, marking what is not confirmed.

    Unverified items without a text show a placeholder; partial and unverified items carry a
    marker so that nothing unconfirmed is presented as fact.

    Example:
        >>> display_title(framework.item("rml.d10"), "nl")
        '[niet geverifieerd] rml.d10 — naam nog niet geladen'
    """
    title: Text | None = getattr(item, "title", None)
    text = title.get(lang) if title is not None else None
    if text is None:
        text = f"{item.code} — " + (
            "naam nog niet geladen" if lang == "nl" else "name not yet loaded"
        )
    marker = status_marker(item.status, lang)
    return f"{marker} {text}" if marker else text


def status_marker(status: Status, lang: Lang) -> str:
    """Return the marker shown next to an item of ``status`` ('' for confirmed)."""
    markers = {
        Status.CONFIRMED: ("", ""),
        Status.PARTIAL: ("[deels bevestigd]", "[partly confirmed]"),
        Status.UNVERIFIED: ("[niet geverifieerd]", "[unverified]"),
    }
    nl, en = markers[status]
    return nl if lang == "nl" else en


def talent_track_index(frameworks: Iterable[Framework]) -> dict[str, str]:
    """Map every way of naming a talent track to its code, for matching imported names.

    Keys are lower-cased: the code (``talent.talentenklas``), the code without its framework
    prefix (``talentenklas``, and with spaces for underscores), each alias (``talentklas``) and
    the Dutch and English titles.
    A name shared by two tracks is left out, so that it cannot match the wrong one.

    Example:
        >>> talent_track_index(load_all().values())["talentklas"]
        'talent.talentenklas'
    """
    seen: dict[str, set[str]] = {}
    for fw in frameworks:
        for track in fw.talent_tracks:
            bare = track.code.split(".", 1)[1]
            names = {track.code, bare, bare.replace("_", " "), *track.aliases}
            names |= {t for t in (track.title.nl, track.title.en) if t}
            for name in names:
                seen.setdefault(name.strip().lower(), set()).add(track.code)
    return {name: next(iter(codes)) for name, codes in seen.items() if len(codes) == 1}


def code_sort_key(code: str) -> tuple[object, ...]:
    """Sort key that orders ``x.2`` before ``x.10``."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"[.]", code))
