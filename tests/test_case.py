"""CASE 1.1 exchange: export validity, exact round trips, determinism, foreign packages."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from mlkit.errors import CaseFormatError
from mlkit.frameworks import load_all, parse_framework
from mlkit.frameworks.case import (
    case_uuid,
    check_case_package,
    export_case,
    import_case,
    parse_case,
    read_case,
    render_case_json,
    write_case,
)
from mlkit.frameworks.case_check import ASSOCIATION_TYPES
from mlkit.frameworks.models import CompetencyKind, Framework, Status, Text

RICH_YAML = """
schema: mlkit.framework/1
id: casefw
kind: competency_framework
title: {en: Only English title}
description: {nl: Een beschrijving, en: A description}
publisher: mlkit tests
year: 2021
version: "2.0"
country: NL
source: src_a
status: partial
note: framework note
sources:
  - {id: src_a, title: Source A, url: "https://example.org/a", publisher: Pub, year: 2020}
  - {id: src_b, title: Source B, note: second source}
dimensions:
  - {code: casefw.dim1, title: {nl: Individu}, order: 1, source: src_a, status: confirmed}
  - {code: casefw.dim2, title: {nl: Anderen, en: Others}, order: 2, source: src_a,
     status: confirmed}
domains:
  - code: casefw.d1
    title: {nl: Domein een, en: Domain one}
    description: {en: English only}
    order: 1
    dimensions: [casefw.dim2, casefw.dim1]
    source: src_a
    status: partial
  - {code: casefw.d2, title: {}, order: 2, source: src_b, status: unverified,
     note: name unknown}
competencies:
  - {code: casefw.d1.c2, domain: casefw.d1, kind: enabling, number: "1.2",
     title: {nl: Tweede}, order: 2, source: src_a, status: confirmed}
  - {code: casefw.d1.c1, domain: casefw.d1, kind: key, number: "1.1",
     title: {nl: Eerste}, order: 1, source: src_a, status: confirmed}
  - {code: casefw.d2.c1, domain: casefw.d2, title: {}, order: 1, source: src_b,
     status: unverified}
"""

PROFILE_YAML = """
schema: mlkit.framework/1
id: casepro
kind: role_profile
title: {nl: Profiel}
publisher: mlkit tests
year: 2024
version: undated
source: s
status: confirmed
sources: [{id: s, title: S}]
characteristic_clusters:
  - code: casepro.cl1
    title: {nl: Cluster}
    order: 1
    source: s
    status: confirmed
    characteristics:
      - {code: casepro.cl1.k1, title: {nl: Kenmerk}, description: {nl: Uitleg}, order: 1,
         source: s, status: confirmed}
roles:
  - code: casepro.r1
    title: {nl: Rol}
    order: 1
    source: s
    status: confirmed
    tasks:
      - code: casepro.r1.t1
        title: {nl: Taak}
        order: 1
        source: s
        status: confirmed
        subtasks:
          - code: casepro.r1.t1.s1
            title: {nl: Subtaak}
            order: 1
            source: s
            status: confirmed
            subtasks:
              - {code: casepro.r1.t1.s1.x, title: {nl: Diep}, order: 1, source: s,
                 status: partial}
levels:
  - {code: casepro.lv1, title: {nl: Niveau}, order: 1, expected_in_residency: false,
     source: s, status: confirmed}
talent_tracks:
  - {code: casepro.tt2, title: {nl: Tweede traject}, organiser: Org, duration_months: 1.5,
     level_focus: casepro.lv1, target_audience: {nl: Aios}, source: s, status: partial}
  - {code: casepro.tt1, title: {nl: Eerste traject}, source: s, status: unverified}
"""

CROSSWALK_YAML = """
schema: mlkit.framework/1
id: casewalk
kind: crosswalk
title: {nl: Koppeling}
publisher: mlkit tests
year: 2024
version: "1"
source: s
status: unverified
sources: [{id: s, title: S}]
links:
  - {from: casefw.d1, to: casepro.r1, relation: exact, rationale: {nl: Gelijk},
     proposed_by: mlkit, source: s, status: unverified}
  - {from: casefw.d1.c1, to: casepro.cl1, relation: broader, rationale: {en: Broader},
     proposed_by: mlkit, source: s, status: partial, note: check}
  - {from: casefw.d2, to: casepro.r1, relation: related, rationale: {},
     proposed_by: someone, source: s, status: unverified}
  - {from: casefw.d2, to: casepro.r1, relation: related, rationale: {nl: Dubbel},
     proposed_by: someone, source: s, status: unverified}
"""


def _fixtures() -> dict[str, Framework]:
    texts = {"rich": RICH_YAML, "profile": PROFILE_YAML, "crosswalk": CROSSWALK_YAML}
    return {name: parse_framework(text, name) for name, text in texts.items()}


FIXTURES = _fixtures()
BUNDLED = load_all()
ALL = {**{f"bundled:{k}": v for k, v in BUNDLED.items()}, **FIXTURES}


def test_bundled_set_is_covered() -> None:
    assert {"rml", "santeon", "crosswalks"} <= set(BUNDLED)


@pytest.mark.parametrize("name", sorted(ALL))
def test_round_trip_gives_an_equal_model(name: str) -> None:
    fw = ALL[name]
    assert import_case(export_case(fw), name) == fw


@pytest.mark.parametrize("name", sorted(ALL))
def test_export_is_valid_case_1_1(name: str) -> None:
    assert check_case_package(export_case(ALL[name])) == []


@pytest.mark.parametrize("name", sorted(ALL))
def test_export_uses_only_case_association_types(name: str) -> None:
    package = export_case(ALL[name])
    used = {a["associationType"] for a in package["CFAssociations"]}
    assert used <= set(ASSOCIATION_TYPES) | {"ext:mlkit.broaderThan", "ext:mlkit.narrowerThan"}
    assert len(ASSOCIATION_TYPES) == 10


@pytest.mark.parametrize("name", sorted(ALL))
def test_export_is_deterministic(name: str) -> None:
    fw = ALL[name]
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert render_case_json(fw, changed=when) == render_case_json(
        fw.model_copy(deep=True), changed=when
    )


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_bundled_stamp_is_the_encoding_date_never_before_publication(name: str) -> None:
    fw = BUNDLED[name]
    assert fw.changed is not None
    stamps = {r["lastChangeDateTime"] for r in _records(export_case(fw))}
    assert stamps == {f"{fw.changed.isoformat()}T00:00:00Z"}
    if fw.year is not None:  # never in a year before the publication year
        assert fw.changed.year >= fw.year
    if name == "rml":  # RML 1.0 was handed over on 16 September 2015
        assert fw.changed >= date(2015, 9, 16)
    assert export_case(fw) == export_case(fw.model_copy(deep=True))


def test_undated_encoding_is_stamped_with_the_export_moment() -> None:
    fw = FIXTURES["rich"]
    assert fw.changed is None
    before = datetime.now(UTC).replace(microsecond=0)
    stamp = export_case(fw)["CFDocument"]["lastChangeDateTime"]
    after = datetime.now(UTC)
    assert before <= datetime.fromisoformat(stamp.replace("Z", "+00:00")) <= after


def _records(package: dict[str, Any]) -> list[dict[str, Any]]:
    defs = package.get("CFDefinitions", {}).get("CFItemTypes", [])
    return [package["CFDocument"], *package["CFItems"], *package["CFAssociations"], *defs]


@pytest.mark.parametrize("name", sorted(ALL))
def test_adoption_status_is_draft_unless_confirmed(name: str) -> None:
    fw = ALL[name]
    document = export_case(fw)["CFDocument"]
    if fw.status is Status.CONFIRMED:
        assert "adoptionStatus" not in document
    else:
        assert document["adoptionStatus"] == "Draft"


def test_no_exact_match_from_an_unconfirmed_link() -> None:
    for name, fw in ALL.items():
        package = export_case(fw)
        by_id = {a["identifier"]: a for a in package["CFAssociations"]}
        for assoc in by_id.values():
            ext = assoc.get("extensions", {}).get("mlkit", {})
            if assoc["associationType"] == "exactMatchOf":
                assert ext["status"] == "confirmed", (name, assoc["identifier"])
    walk = export_case(BUNDLED["crosswalks"])["CFAssociations"]
    assert "exactMatchOf" not in {a["associationType"] for a in walk}
    directions = {
        a["extensions"]["mlkit"]["relation"]: a["associationType"]
        for a in walk
        if a["extensions"]["mlkit"]["relation"] in ("broader", "narrower")
    }
    assert directions == {"broader": "ext:mlkit.broaderThan", "narrower": "ext:mlkit.narrowerThan"}


def test_confirmed_exact_link_is_an_exact_match() -> None:
    confirmed = FIXTURES["crosswalk"].model_copy(
        update={
            "links": (
                FIXTURES["crosswalk"].links[0].model_copy(update={"status": Status.CONFIRMED}),
            )
        }
    )
    package = export_case(confirmed)
    assert [a["associationType"] for a in package["CFAssociations"]] == ["exactMatchOf"]
    assert import_case(package) == confirmed


def test_identifiers_are_pinned() -> None:
    # A changed namespace or naming scheme would silently break every earlier export.
    assert case_uuid("item", "rml.d01") == "2ce759fd-c9ad-597d-8e35-a99201f7dfb1"
    assert case_uuid("framework", "rml") == "af6a1a43-ef11-5b54-8ae1-832d47b95457"
    package = export_case(BUNDLED["rml"])
    assert package["CFDocument"]["identifier"] == case_uuid("framework", "rml")
    assert package["CFDocument"]["uri"] == "urn:uuid:af6a1a43-ef11-5b54-8ae1-832d47b95457"


def _by_code(package: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["humanCodingScheme"]: item for item in package["CFItems"]}


def _parent_of(package: dict[str, Any], identifier: str) -> tuple[str, int | None]:
    (assoc,) = [
        a
        for a in package["CFAssociations"]
        if a["associationType"] == "isChildOf" and a["originNodeURI"]["identifier"] == identifier
    ]
    return assoc["destinationNodeURI"]["identifier"], assoc.get("sequenceNumber")


def test_hierarchy_types_and_sequence() -> None:
    package = export_case(FIXTURES["rich"])
    items = _by_code(package)
    doc_id = package["CFDocument"]["identifier"]
    assert _parent_of(package, items["casefw.d1"]["identifier"]) == (doc_id, 1)
    assert _parent_of(package, items["casefw.d1.c2"]["identifier"]) == (
        items["casefw.d1"]["identifier"],
        2,
    )
    assert items["casefw.d1.c1"]["CFItemType"] == "KeyCompetency"
    assert items["casefw.d1.c2"]["CFItemType"] == "EnablingCompetency"
    assert items["casefw.d2.c1"]["CFItemType"] == "Competency"
    assert items["casefw.d1.c1"]["listEnumeration"] == "1.1"
    part_of = [a for a in package["CFAssociations"] if a["associationType"] == "isPartOf"]
    assert [a["destinationNodeURI"]["title"] for a in part_of] == ["casefw.dim2", "casefw.dim1"]
    defined = {t["title"] for t in package["CFDefinitions"]["CFItemTypes"]}
    assert {i["CFItemType"] for i in package["CFItems"]} == defined

    profile = _by_code(export_case(FIXTURES["profile"]))
    deep = profile["casepro.r1.t1.s1.x"]
    assert deep["CFItemType"] == "Task"
    assert (
        _parent_of(export_case(FIXTURES["profile"]), deep["identifier"])[0]
        == (profile["casepro.r1.t1.s1"]["identifier"])
    )


def test_texts_placeholders_and_extensions() -> None:
    fw = FIXTURES["rich"]
    package = export_case(fw)
    items = _by_code(package)
    empty = items["casefw.d2"]
    assert empty["fullStatement"].startswith("[PLACEHOLDER] casefw.d2")
    assert empty["abbreviatedStatement"] == "PLACEHOLDER"
    assert empty["conceptKeywords"] == ["placeholder"]
    assert "abbreviatedStatement" not in items["casefw.d1"]
    assert "language" not in empty
    assert empty["extensions"]["mlkit"]["title_empty"] is True
    assert items["casefw.d1"]["fullStatement"] == "Domein een"
    assert items["casefw.d1"]["language"] == "nl"
    assert items["casefw.d1"]["extensions"]["mlkit"]["title_en"] == "Domain one"
    assert package["CFDocument"]["title"] == "Only English title"
    assert package["CFDocument"]["language"] == "en"
    assert package["CFDocument"]["officialSourceURL"] == "https://example.org/a"
    meta = package["CFDocument"]["extensions"]["mlkit"]
    assert meta["status"] == "partial"
    assert [s["id"] for s in meta["sources"]] == ["src_a", "src_b"]
    back = import_case(package)
    assert back.item("casefw.d2").title == Text()  # type: ignore[attr-defined]
    assert back.competencies_of("casefw.d1")[0].kind is CompetencyKind.KEY


def test_crosswalk_links_point_at_item_identifiers() -> None:
    package = export_case(FIXTURES["crosswalk"])
    links = package["CFAssociations"]
    assert [a["associationType"] for a in links] == [
        "isRelatedTo",  # an exact proposal, but unverified
        "ext:mlkit.broaderThan",
        "isRelatedTo",
        "isRelatedTo",
    ]
    assert len({a["identifier"] for a in links}) == 4
    targets = _by_code(export_case(FIXTURES["profile"]))
    assert links[0]["destinationNodeURI"]["identifier"] == targets["casepro.r1"]["identifier"]
    assert links[0]["destinationNodeURI"]["uri"] == targets["casepro.r1"]["uri"]
    origins = _by_code(export_case(FIXTURES["rich"]))
    assert links[1]["originNodeURI"]["identifier"] == origins["casefw.d1.c1"]["identifier"]
    assert links[1]["extensions"]["mlkit"]["relation"] == "broader"
    assert links[1]["notes"] == "check"


def test_bundled_crosswalk_targets_exist_in_other_exports() -> None:
    identifiers = {
        item["identifier"]
        for fid, fw in BUNDLED.items()
        if fid != "crosswalks"
        for item in export_case(fw)["CFItems"]
    }
    package = export_case(BUNDLED["crosswalks"])
    assert package["CFAssociations"]
    for assoc in package["CFAssociations"]:
        assert assoc["originNodeURI"]["identifier"] in identifiers
        assert assoc["destinationNodeURI"]["identifier"] in identifiers


def test_changed_timestamp_is_rfc3339_utc() -> None:
    package = export_case(FIXTURES["rich"], changed=datetime(2025, 3, 4, 5, 6, 7))
    assert package["CFDocument"]["lastChangeDateTime"] == "2025-03-04T05:06:07Z"
    assert {i["lastChangeDateTime"] for i in package["CFItems"]} == {"2025-03-04T05:06:07Z"}


def _tamper(path: str, value: Any, *, delete: bool = False) -> dict[str, Any]:
    package = copy.deepcopy(export_case(FIXTURES["rich"]))
    *parents, last = path.split("/")
    target: Any = package
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if delete:
        del target[last]
    else:
        target[last] = value
    return package


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("CFAssociations/0/associationType", "isCousinOf", "not a CASE 1.1 association type"),
        ("CFItems/0/colour", "blue", "CFItems[0].colour: CFItem does not allow this key"),
        ("CFDocument/identifier", "not-a-uuid", "CFDocument.identifier: not a lower-case"),
        ("CFItems/1/identifier", "6f1c2a4e-8d3b-5c7a-7e21-4b6d8f0a2c13", "not a lower-case"),
        ("CFItems/1/identifier", "6F1C2A4E-8D3B-5C7A-9E21-4B6D8F0A2C13", "not a lower-case"),
        ("CFItems/0/uri", "relative/path", "not an absolute URI"),
        ("CFItems/0/lastChangeDateTime", "2024-01-01", "not an RFC 3339 date-time"),
        ("CFAssociations/0/originNodeURI/extra", 1, "LinkGenURI does not allow this key"),
        ("CFAssociations/0/sequenceNumber", "1", "not an integer"),
        ("CFItems/0/fullStatement", "  ", "fullStatement is empty"),
        ("CFAssociations/0/associationType", "isPeerOf", "item has no isChildOf association"),
        ("CFDefinitions/CFItemTypes/0/title", None, "must be a string"),
        ("extra", {}, "extra: CFPackage does not allow this key"),
    ],
)
def test_check_rejects_tampered_packages(path: str, value: Any, expected: str) -> None:
    problems = check_case_package(_tamper(path, value))
    assert any(expected in p for p in problems), problems


def test_check_rejects_missing_required_key() -> None:
    problems = check_case_package(_tamper("CFDocument/creator", None, delete=True))
    assert problems == ["CFDocument: required key 'creator' is missing [missing]"]


def test_check_accepts_extension_association_type_and_open_extensions() -> None:
    package = _tamper("CFAssociations/-1/associationType", "ext:isSimilarTo")
    package["CFItems"][0]["extensions"]["other"] = {"anything": [1, 2]}
    package["extensions"] = {"vendor": True}
    assert check_case_package(package) == []


def test_import_rejects_inconsistent_mlkit_package() -> None:
    package = _tamper("CFItems/2/extensions", {}, delete=False)
    with pytest.raises(CaseFormatError, match=r"CFItems\[2\]\.extensions\.mlkit"):
        import_case(package, "x.json")
    orphan = copy.deepcopy(export_case(FIXTURES["rich"]))
    orphan["CFAssociations"] = [
        a for a in orphan["CFAssociations"] if a["originNodeURI"]["title"] != "casefw.d1.c1"
    ]
    with pytest.raises(CaseFormatError, match=r"x\.json: CFItems\[\d+\]: item has no isChildOf"):
        import_case(orphan, "x.json")
    walk = export_case(FIXTURES["crosswalk"])
    walk["CFAssociations"][1]["associationType"] = "exactMatchOf"
    with pytest.raises(CaseFormatError, match="does not fit the crosswalk relation 'broader'"):
        import_case(walk)


def test_write_and_read_case_file(tmp_path: Path) -> None:
    fw = BUNDLED["santeon"]
    path = tmp_path / "out" / "santeon.case.json"
    write_case(fw, path)
    text = path.read_text(encoding="utf-8")
    assert "Patiënt centraal" in text  # UTF-8, not \u escapes
    assert json.loads(text) == export_case(fw)
    assert read_case(path) == fw
    assert [p.name for p in path.parent.iterdir()] == ["santeon.case.json"]


def test_read_case_errors(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_case(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"CFDocument": \n  oops}', encoding="utf-8")
    with pytest.raises(CaseFormatError, match=r"bad\.json: line 2, column 3: Expecting value"):
        read_case(bad)
    assert parse_case(render_case_json(FIXTURES["rich"])) == FIXTURES["rich"]


def test_case_format_error_keeps_its_data_through_pickle() -> None:
    import pickle

    exc = CaseFormatError("x.json", "CFItems[3]", "missing identifier")
    back = pickle.loads(pickle.dumps(exc))
    assert (back.source, back.location, back.reason) == (
        "x.json",
        "CFItems[3]",
        "missing identifier",
    )
    assert str(back) == "x.json: CFItems[3]: missing identifier"
