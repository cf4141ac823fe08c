"""Frameworks as rows, CSV and Markdown."""

from __future__ import annotations

import csv
import io

import pytest

from mlkit.frameworks import load_all, parse_framework
from mlkit.frameworks.models import Framework
from mlkit.frameworks.tables import (
    ITEM_COLUMNS,
    LINK_COLUMNS,
    export_csv,
    export_markdown,
    to_rows,
)

SMALL_YAML = """
schema: mlkit.framework/1
id: tabfw
kind: competency_framework
title: {nl: Tabelraamwerk, en: Table framework}
publisher: mlkit tests
year: 2024
version: "1"
source: s
status: partial
sources:
  - {id: s, title: Source S, publisher: Pub, year: 2020, url: "https://example.org/s"}
domains:
  - {code: tabfw.d1, title: {nl: "=HYPERLINK(\\"http://evil\\")", en: Safe}, order: 1,
     source: s, status: confirmed, note: "+31 6 123"}
  - {code: tabfw.d2, title: {}, order: 2, source: s, status: unverified}
competencies:
  - {code: tabfw.d1.c1, domain: tabfw.d1, number: "1.1", title: {nl: "a | b", en: "@SUM(A1)"},
     description: {nl: "-2 punten\\nnieuwe regel"}, order: 1, source: s, status: partial}
  - {code: tabfw.d1.c2, domain: tabfw.d1, number: "1.2", title: {nl: Gewoon, en: Plain},
     order: 2, source: s, status: confirmed}
"""

SMALL = parse_framework(SMALL_YAML, "small")
BUNDLED = load_all()


def _read(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("fid", sorted(BUNDLED))
def test_rows_cover_every_item_or_link(fid: str) -> None:
    fw = BUNDLED[fid]
    rows = to_rows(fw, "nl")
    if fw.links:
        assert [(r["from"], r["to"]) for r in rows] == [(x.from_code, x.to_code) for x in fw.links]
        assert all(tuple(r) == LINK_COLUMNS for r in rows)
    else:
        assert [r["code"] for r in rows] == fw.codes()
        assert all(tuple(r) == ITEM_COLUMNS for r in rows)
    assert len(_read(export_csv(fw, "en"))) == len(rows)


@pytest.mark.parametrize("fid", sorted(BUNDLED))
def test_markdown_names_every_item_and_source(fid: str) -> None:
    fw = BUNDLED[fid]
    md = export_markdown(fw, "nl")
    for code in fw.codes():
        assert f"`{code}`" in md
    for src in fw.sources:
        assert f"`{src.id}`: {src.title}" in md


def test_rows_have_parent_type_and_number() -> None:
    rows = {r["code"]: r for r in to_rows(SMALL, "en")}
    assert rows["tabfw.d1.c1"]["parent"] == "tabfw.d1"
    assert rows["tabfw.d1.c1"]["type"] == "Competency"
    assert rows["tabfw.d1.c1"]["number"] == "1.1"
    assert rows["tabfw.d1"]["parent"] == ""
    assert rows["tabfw.d2"]["title"] == ""  # an unknown name stays empty, never invented
    assert rows["tabfw.d2"]["status"] == "unverified"


def test_santeon_rows_nest_tasks_under_roles() -> None:
    santeon: Framework = BUNDLED["santeon"]
    rows = {r["code"]: r for r in to_rows(santeon, "nl")}
    for role in santeon.roles:
        for task in role.tasks:
            assert rows[task.code]["parent"] == role.code
            for sub in task.subtasks:
                assert rows[sub.code]["parent"] == task.code


def test_csv_defuses_formulas() -> None:
    nl = {r["code"]: r for r in _read(export_csv(SMALL, "nl"))}
    assert nl["tabfw.d1"]["title"] == '\'=HYPERLINK("http://evil")'
    assert nl["tabfw.d1"]["note"] == "'+31 6 123"
    assert nl["tabfw.d1.c1"]["description"] == "'-2 punten\nnieuwe regel"
    assert nl["tabfw.d1.c1"]["title"] == "a | b"
    assert nl["tabfw.d1.c2"]["title"] == "Gewoon"
    en = {r["code"]: r for r in _read(export_csv(SMALL, "en"))}
    assert en["tabfw.d1.c1"]["title"] == "'@SUM(A1)"
    assert en["tabfw.d1"]["title"] == "Safe"


def test_csv_crosswalk_columns() -> None:
    walk = BUNDLED["crosswalks"]
    rows = _read(export_csv(walk, "en"))
    assert tuple(rows[0]) == LINK_COLUMNS
    assert {r["relation"] for r in rows} <= {"exact", "broader", "narrower", "related"}


def test_markdown_marks_unconfirmed_items() -> None:
    md = export_markdown(SMALL, "nl")
    lines = md.splitlines()
    assert lines[0] == "# [deels bevestigd] Tabelraamwerk"
    (d2,) = [line for line in lines if line.startswith("| `tabfw.d2`")]
    assert "[niet geverifieerd] tabfw.d2 — naam nog niet geladen" in d2
    (c1,) = [line for line in lines if line.startswith("| `tabfw.d1.c1`")]
    assert "[deels bevestigd] a \\| b" in c1  # marker, and the pipe escaped
    (c2,) = [line for line in lines if line.startswith("| `tabfw.d1.c2`")]
    assert "[" not in c2.replace("`", "")
    assert "- `s`: Source S (Pub, 2020) <https://example.org/s>" in lines
    en = export_markdown(SMALL, "en")
    assert "[unverified] tabfw.d2 — name not yet loaded" in en
    assert "### Competencies: Safe" in en


def test_markdown_table_rows_have_equal_cell_counts() -> None:
    for fw in [SMALL, *BUNDLED.values()]:
        for line in export_markdown(fw, "nl").splitlines():
            if line.startswith("| "):
                cells = line.replace("\\|", "").count("|")
                assert cells == 6, line  # five columns
