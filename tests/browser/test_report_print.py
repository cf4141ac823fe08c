"""Reports print on A4 within their page budget, in Chromium, in Dutch and English.

A progress report prints on at most 4 A4 pages and an assessment summary on at most 3 (issue 9),
for the synthetic aios with the most forms in the test store. The PDF comes from Chromium's own
print-to-PDF through Playwright, honouring the page's ``@page`` rule.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mlkit.reports import params_for, render_report
from mlkit.store import Store

BUDGET = {"progress": 4, "summary": 3}
A4_POINTS = (595.3, 841.9)  # width and height of an A4 page in PDF points


def _busiest_aios(db: Path) -> str:
    with Store.open(db) as store:
        forms = store.forms().groupby("aios_id").size().sort_values(ascending=False)
    return str(forms.index[0])


def _pages(pdf: bytes) -> list[tuple[float, float]]:
    """The media box (width, height in points) of every page of a PDF Chromium wrote."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    return [(float(w), float(h)) for w, h in boxes]


def _is_a4(box: tuple[float, float]) -> bool:
    return all(abs(got - want) < 2 for got, want in zip(box, A4_POINTS, strict=True))


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["progress", "summary"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_report_prints_on_a4_within_budget(
    browser: object, shots: Path, test_store: Path, tmp_path: Path, kind: str, lang: str
) -> None:
    aios_id = _busiest_aios(test_store)
    params = params_for(
        kind, {"aios_id": aios_id, "db": str(test_store), "lang": lang, "as_of": "2026-06-30"}
    )
    html = render_report(params, tmp_path).html
    page = browser.new_page()  # type: ignore[attr-defined]
    try:
        page.goto(html.resolve().as_uri())
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    finally:
        page.close()
    (shots / f"print-{kind}-{lang}.pdf").write_bytes(pdf)  # gitignored, for looking at
    pages = _pages(pdf)
    assert pages, "no pages found in the PDF"
    assert all(_is_a4(box) for box in pages), pages  # A4 from the @page rule, not Letter
    assert len(pages) <= BUDGET[kind], f"{kind} ({lang}) prints on {len(pages)} pages"
