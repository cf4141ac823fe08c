"""Foreign CASE packages (written in the styles of other servers): read without loss.

The fixtures in tests/data/case/foreign pass the official CASE 1.1 package schema; see
tests/data/case/README.md for what each one exercises.
"""

from __future__ import annotations

import copy
import json
import warnings
from pathlib import Path
from typing import Any

import pytest
import yaml

from mlkit.errors import CaseFormatError
from mlkit.frameworks.case import export_case, import_case
from mlkit.frameworks.loader import parse_framework
from mlkit.frameworks.models import CompetencyKind, Framework, Status, Text
from tests.test_case_schema import schema_errors

FOREIGN = Path(__file__).parent / "data" / "case" / "foreign"
STYLES = sorted(p.stem for p in FOREIGN.glob("*.json"))


def _package(style: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FOREIGN / f"{style}.json").read_text(encoding="utf-8"))
    return data


def _import(package: dict[str, Any], source: str = "f.json") -> Framework:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the warnings are tested on their own below
        return import_case(package, source)


def test_both_styles_are_there() -> None:
    assert STYLES == ["server_style", "urn_style"]


@pytest.mark.parametrize("style", STYLES)
def test_fixture_passes_the_official_schema(style: str) -> None:
    assert schema_errors(_package(style)) == []


@pytest.mark.parametrize("style", STYLES)
def test_foreign_to_mlkit_to_case_gives_the_package_back(style: str) -> None:
    package = _package(style)
    fw = _import(copy.deepcopy(package))
    assert fw.status is Status.UNVERIFIED and all(i.status is Status.UNVERIFIED for i in fw.items())
    again = export_case(fw)
    assert again == package  # every item, association, identifier, definition and rubric
    assert schema_errors(again) == []


@pytest.mark.parametrize("style", STYLES)
def test_round_trip_through_an_mlkit_yaml_file(style: str) -> None:
    package = _package(style)
    fw = _import(package)
    text = yaml.safe_dump(
        fw.model_dump(mode="json", by_alias=True, exclude_none=True),
        allow_unicode=True,
        sort_keys=False,
    )
    back = parse_framework(text, f"{style}.yaml")
    assert back == fw
    assert export_case(back) == package
    assert _import(export_case(back)) == fw  # mlkit -> CASE -> mlkit is equal as well


def test_structure_codes_types_and_language() -> None:
    fw = _import(_package("server_style"))
    fid = "leadership_outcomes_test"
    assert fw.id == fid and fw.publisher == "Regional Training Board" and fw.version == "3.2"
    assert fw.year == 2019 and str(fw.changed) == "2019-09-22"
    assert fw.sources[0].url == "https://board.example/outcomes"
    # humanCodingScheme becomes the code; the tree follows isChildOf and sequenceNumber
    assert [d.code for d in fw.domains] == [
        f"{fid}.ldp",
        f"{fid}.qi",
        f"{fid}.ext.1",  # its parent is in another document
        f"{fid}.i000000000009",  # no isChildOf at all, no humanCodingScheme
    ]
    assert [(c.code, c.domain) for c in fw.competencies_of(f"{fid}.ldp")] == [
        (f"{fid}.ldp.1", f"{fid}.ldp"),
        (f"{fid}.ldp.1.a", f"{fid}.ldp"),
        (f"{fid}.ldp.2", f"{fid}.ldp"),
    ]
    deep = fw.item(f"{fid}.ldp.1.a")
    assert deep.note == f"nested under {fid}.ldp.1 in the CASE file"
    assert "no isChildOf path" in (fw.item(f"{fid}.ext.1").note or "")
    # the original records keep what the model has no place for
    assert fw.case is not None
    record = fw.case.items[f"{fid}.ldp.1.a"]
    assert record["humanCodingScheme"] == "LDP.1.a" and record["CFItemType"] == "Element"
    assert record["identifier"] == "00000000-0000-0000-0000-000000000003"
    assert fw.case.items[f"{fid}.qi.1"]["language"] == "es"
    kinds = {a["associationType"] for a in fw.case.associations}
    assert kinds == {
        "isChildOf", "isPeerOf", "precedes", "isRelatedTo", "exactMatchOf", "exemplar",
        "replacedBy", "hasSkillLevel", "isTranslationOf", "isPartOf", "ext:isSupportedBy",
    }  # fmt: skip
    assert fw.case.document["adoptionStatus"] == "Adopted"
    assert "18 association(s)" in (fw.note or "")


def test_repeated_codes_multiple_parents_cycles_and_dutch() -> None:
    fw = _import(_package("urn_style"))
    fid = "werkplekleren_leiderschap"
    assert fw.title == Text(nl="Werkplekleren leiderschap")  # language nl-NL
    codes = [i.code for i in fw.items()]
    assert len(codes) == len(set(codes)) == 7
    assert {f"{fid}.a_1", f"{fid}.a_1_2"} <= set(codes)  # "A 1" twice: a stable suffix
    # an item under two parents hangs under the first; both associations are kept
    assert fw.item(f"{fid}.i000000000005") in fw.competencies_of(f"{fid}.i000000000004")
    assert fw.case is not None
    assert sum(a["associationType"] == "isChildOf" for a in fw.case.associations) == 8
    # a cycle without a path to the document becomes a domain, with a note
    assert f"{fid}.k.1" in {d.code for d in fw.domains}


def test_strictness_is_a_warning_not_a_refusal() -> None:
    with pytest.warns(Warning) as caught:
        import_case(_package("server_style"), "s.json")
    messages = [str(w.message) for w in caught]
    assert any("identifier(s) are not lower-case RFC 4122 UUIDs" in m for m in messages)
    assert any("isChildOf points outside this document" in m for m in messages)
    assert sum("has no isChildOf path to the CFDocument" in m for m in messages) == 2
    assert all(m.startswith("s.json: ") for m in messages)
    with pytest.warns(Warning) as caught:
        import_case(_package("urn_style"))
    assert any(
        str(w.message).startswith("<case>: CFItems[2].identifier: 1 identifier(s)")
        and "'4F1E2D3C" in str(w.message)
        for w in caught
    )


def test_edits_in_mlkit_show_in_the_export() -> None:
    package = _package("urn_style")
    fw = _import(package)
    fid = "werkplekleren_leiderschap"
    renamed = fw.model_copy(
        update={
            "domains": tuple(
                d.model_copy(update={"title": Text(nl="Zorg plannen")})
                if d.code == f"{fid}.a"
                else d
                for d in fw.domains
            ),
            "competencies": tuple(c for c in fw.competencies if c.code != f"{fid}.a_1"),
        }
    )
    out = export_case(renamed)
    statements = {i["identifier"]: i["fullStatement"] for i in out["CFItems"]}
    assert statements[package["CFItems"][0]["identifier"]] == "Zorg plannen"
    gone = package["CFItems"][1]["identifier"]
    assert gone not in statements
    assert all(
        gone not in (a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"])
        for a in out["CFAssociations"]
    )
    assert len(out["CFAssociations"]) == len(package["CFAssociations"]) - 1


def test_what_is_still_refused_names_the_location() -> None:
    package = _package("urn_style")
    del package["CFDocument"]["title"]
    with pytest.raises(CaseFormatError, match=r"f\.json: CFDocument\.title: missing or empty"):
        _import(package)
    package = _package("urn_style")
    del package["CFItems"][3]["identifier"]
    with pytest.raises(CaseFormatError, match=r"CFItems\[3\]\.identifier: missing or empty"):
        _import(package)
    with pytest.raises(CaseFormatError, match=r"\(top level\): expected an object"):
        import_case([], "f.json")  # type: ignore[arg-type]


def test_empty_statement_is_kept_with_an_empty_title() -> None:
    package = _package("urn_style")
    package["CFItems"][4]["fullStatement"] = ""
    with pytest.warns(Warning) as caught:
        fw = import_case(package, "f.json")
    assert any("CFItems[4].fullStatement: empty statement" in str(w.message) for w in caught)
    assert fw.item("werkplekleren_leiderschap.i000000000005").title == Text()  # type: ignore[attr-defined]
    assert export_case(fw) == package


def test_competency_kinds_follow_known_item_types() -> None:
    package = _package("urn_style")
    package["CFItems"][1]["CFItemType"] = "KeyCompetency"
    fw = _import(package)
    assert fw.item("werkplekleren_leiderschap.a_1").kind is CompetencyKind.KEY  # type: ignore[attr-defined]
