"""The committee notebook in a real browser: a decision recorded in JupyterLab reaches the store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import SHOTS, Site

from mlkit.meeting.notebook import MeetingParams, prepare_meeting
from mlkit.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.slow]
AIOS = "S0001"
TIMEOUT = 120_000


def _decisions(site: Site) -> list[dict[str, Any]]:
    with Store.open(site.cohort) as store:
        return store.decisions(AIOS)


def test_record_a_decision_in_jupyterlab(browser: Any, site: Site, shots: Path) -> None:
    prepare_meeting(MeetingParams(db=str(site.cohort), as_of="2026-06-30"), site.root / "commissie")
    before = len(_decisions(site))
    page = browser.new_page(viewport={"width": 1300, "height": 1600})
    try:
        page.goto(site.lab_url("commissie/meeting.ipynb") + "&reset")  # no earlier tabs
        page.wait_for_selector(".jp-Notebook", timeout=TIMEOUT)
        card = page.locator(f".mlkit-card-{AIOS}")
        for attempt in range(3):  # Run All before the kernel is ready runs nothing: try again
            page.get_by_text("| Idle").first.wait_for(timeout=TIMEOUT)
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator(".lm-Menu").get_by_text("Run All Cells", exact=True).click()
            try:
                card.wait_for(timeout=TIMEOUT // 2)
                break
            except Exception:
                if attempt == 2:
                    SHOTS.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=SHOTS / "failed-meeting.png", full_page=True)
                    raise
        assert "Voorstel voortgangsbeslissing:" in card.inner_text()
        card.locator(".mlkit-besluit select").select_option(label="aangehouden – opnieuw bespreken")
        area = card.locator(".mlkit-motivering textarea")
        area.click()
        area.press_sequentially("Eerst het MSF afwachten.")
        who = card.locator(".mlkit-recorded-by input")
        who.click()
        who.press_sequentially("dr. T. Est")
        card.locator(".mlkit-save").dblclick()
        card.locator(".mlkit-saved").wait_for(timeout=TIMEOUT)
        card.screenshot(path=shots / "meeting-besluit-vastgelegd-nl.png")
        saved = card.locator(".mlkit-saved").inner_text().lower()  # the second press: "al ..."
        assert "vastgelegd als besluit nr." in saved
        rows = _decisions(site)
        assert len(rows) == before + 1  # a double click stores once
        assert rows[-1]["besluit"] == "aangehouden"
        assert rows[-1]["motivering"] == "Eerst het MSF afwachten."
        assert rows[-1]["recorded_by"] == "dr. T. Est"
    finally:
        page.close()


def _run_all(page: Any, target: Any, name: str) -> None:
    """Run every cell until ``target`` shows (Run All before the kernel is ready runs nothing)."""
    for attempt in range(3):
        page.get_by_text("| Idle").first.wait_for(timeout=TIMEOUT)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu").get_by_text("Run All Cells", exact=True).click()
        try:
            target.wait_for(timeout=TIMEOUT // 2)
            return
        except Exception:
            if attempt == 2:
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=SHOTS / f"failed-{name}.png", full_page=True)
                raise


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_calibrate_the_rules_in_jupyterlab(
    browser: Any, site: Site, shots: Path, lang: str
) -> None:
    """Move a slider, see who would change, apply, and find the new rules version on disk."""
    folder = site.root / f"kalibratie-{lang}"
    folder.mkdir(exist_ok=True)
    db = folder / "cohort.db"  # a copy: the applied rules must not reach the other tests
    db.write_bytes(site.cohort.read_bytes())
    params = MeetingParams(db=str(db), lang=lang, as_of="2026-06-30", recorded_by="dr. T. Est")
    prepare_meeting(params, folder)
    page = browser.new_page(viewport={"width": 1300, "height": 1600})
    try:
        page.goto(site.lab_url(f"kalibratie-{lang}/meeting.ipynb") + "&reset")
        page.wait_for_selector(".jp-Notebook", timeout=TIMEOUT)
        panel = page.locator(".mlkit-whatif")
        _run_all(page, panel, f"whatif-{lang}")
        none = "geen enkele aios" if lang == "nl" else "no aios changes"
        assert none in panel.inner_text()
        readout = panel.locator(".mlkit-whatif-min-observations .widget-readout")
        readout.click()
        page.keyboard.press("Control+A")
        page.keyboard.type("6")
        page.keyboard.press("Enter")
        table = panel.locator("table.mlkit-whatif-table")
        table.wait_for(timeout=TIMEOUT)
        heads = ("Aios", "Domein", "Nu") if lang == "nl" else ("Aios", "Domain", "Now")
        assert all(h in table.inner_text() for h in heads)
        assert len(table.locator("tbody tr").all()) >= 1
        assert not (folder / "cohort.rules").exists()  # nothing written before apply
        panel.screenshot(path=shots / f"meeting-wat-als-{lang}.png")
        panel.locator(".mlkit-whatif-apply-box").click()
        panel.locator(".mlkit-whatif-applied").wait_for(timeout=TIMEOUT)
        panel.screenshot(path=shots / f"meeting-wat-als-toegepast-{lang}.png")
        written = folder / "cohort.rules" / "evidence-1.yaml"
        text = written.read_text(encoding="utf-8")
        assert "min_observations: 6" in text and "applied_by: dr. T. Est" in text
        assert "committee 1" in panel.locator(".mlkit-whatif-active").inner_text()
    finally:
        page.close()
