"""The committee overview built from progress sidecars: grid, lists, and k<5 suppression."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest

from mlkit.reports import build_report, params_for
from mlkit.reports.overview import overview_html
from mlkit.store import Store


@pytest.fixture(scope="module")
def sidecars(test_store: Path) -> list[dict[str, Any]]:
    with Store.open(test_store) as store:
        ids = store.aios_ids()
    out = []
    for aios_id in ids:
        report = build_report(
            params_for(
                "progress", {"aios_id": aios_id, "db": str(test_store), "as_of": "2026-06-30"}
            )
        )
        out.append(
            {
                "report": "progress",
                "ok": True,
                "error": None,
                "key_figures": report.key_figures(),
                "provenance": report.provenance(),
            }
        )
    return out


def _rows(html: str, heading: str) -> list[str]:
    section = html.split(f"<h3>{heading}</h3>", 1)[1].split("<h3>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", section, flags=re.S)


def test_grid_lists_every_aios(sidecars: list[dict[str, Any]]) -> None:
    html = overview_html(sidecars)
    rows = _rows(html, "Status per domein")
    assert len(rows) == len(sidecars) + 1  # header row
    for s in sidecars:
        assert f"({s['key_figures']['aios_id']})" in html


def test_groups_below_five_are_suppressed(sidecars: list[dict[str, Any]]) -> None:
    assert len(sidecars) >= 5
    html = overview_html(sidecars)
    groups = _rows(html, "Groepen (kleiner dan 5: niet getoond)")[1:]
    whole = next(r for r in groups if "hele cohort" in r)
    assert f"<td>{len(sidecars)}</td>" in whole and "%" in whole
    years: dict[int, int] = {}
    for s in sidecars:
        year = s["key_figures"]["training_year"]
        years[year] = years.get(year, 0) + 1
    for year, n in years.items():
        row = next(r for r in groups if f"opleidingsjaar {year}<" in r)
        if n < 5:
            assert "niet getoond: minder dan 5 aios" in row and "%" not in row
        else:
            assert "%" in row


def test_small_cohort_suppresses_even_the_whole(sidecars: list[dict[str, Any]]) -> None:
    html = overview_html(sidecars[:4], lang="en")
    groups = _rows(html, "Groups (smaller than 5: not shown)")[1:]
    assert all("not shown: fewer than 5 trainees" in r for r in groups)


def test_names_are_escaped_and_failures_listed(sidecars: list[dict[str, Any]]) -> None:
    tampered = copy.deepcopy(sidecars[:2])
    tampered[0]["key_figures"]["display_name"] = "<script>alert(1)</script>"
    failed = {
        "report": "progress",
        "ok": False,
        "error": "KeyError: 'x'",
        "provenance": {"parameters": {"aios_id": "B0001"}},
    }
    html = overview_html([*tampered, failed])
    assert "<script>" not in html and "&lt;script&gt;" in html
    failures = html.split("<h3>Mislukte rapportages</h3>", 1)[1]
    assert "B0001 (progress): KeyError: &#39;x&#39;" in failures


def test_legend_names_domains_and_letters_follow_the_language(
    sidecars: list[dict[str, Any]],
) -> None:
    nl = overview_html(sidecars, "nl")
    en = overview_html(sidecars, "en")
    # names as the (Dutch) progress reports wrote them; a batch renders both in one language
    assert "1 = Leiden vanuit visie*" in nl and "1 = Leiden vanuit visie*" in en
    assert "A = achter op schema" in nl and "B = behind" in en and "A = ahead" in en
    assert "peildatum 30 juni 2026" in nl and "reference date 30 June 2026" in en
    assert "rml." not in nl and "d01" not in nl
