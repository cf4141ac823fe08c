"""The forms in a real browser: JupyterLab and Voilà, filled by clicking and typing.

Each test asserts on the store the form wrote to, and leaves a screenshot per step in
``tests/browser/screenshots/`` (not committed) for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SHOTS, Site
from playwright.sync_api import expect

from mlkit.forms.catalogue import Catalogue
from mlkit.forms.extract import EXTRACT_NAME, collect_extracts
from mlkit.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.slow]
AIOS = "X0001"
QUOTED = "Ik zei: \"even wachten\".\nDaarna: 'wie neemt het over?'\n\nGeleerd: <b>eerst</b> vragen."
TIMEOUT = 60_000


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return Catalogue.load()


def _label(cat: Catalogue, aios_id: str, cohort: Path) -> str:
    with Store.open(cohort) as store:
        name = store.aios(aios_id)["display_name"].iloc[0]
    return f"{name} ({aios_id})"


def _run_all(page: Any) -> None:
    page.wait_for_selector(".jp-Notebook", timeout=TIMEOUT)
    page.get_by_text("| Idle").wait_for(timeout=TIMEOUT)  # the kernel is ready
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu").get_by_text("Run All Cells", exact=True).click()
    try:
        page.wait_for_selector(".mlkit-form", timeout=TIMEOUT)
    except Exception:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / "failed-run-all.png", full_page=True)
        raise


@pytest.fixture(scope="module")
def lab_page(browser: Any, site: Site) -> Iterator[Any]:
    page = browser.new_page(viewport={"width": 1300, "height": 1600})
    page.goto(site.lab_url("beoordelen/assessment_form.ipynb"))
    _run_all(page)
    yield page
    page.close()


def _fill_kpb(page: Any, cat: Catalogue, site: Site, skip: str = "") -> None:
    kpb = cat.instrument("kpb")
    page.locator(".mlkit-aios select").select_option(label=_label(cat, AIOS, site.cohort))
    page.locator(".mlkit-instrument select").select_option(label=cat.instrument_label(kpb, "nl"))
    page.locator(".mlkit-submission").wait_for(timeout=TIMEOUT)
    for item in cat.items(kpb):
        if item.code == skip:
            continue
        point = kpb.scale(item.scale).points[2]
        select = page.locator(f".mlkit-item-{item.code} select")
        select.select_option(label=str(point.label.get("nl")))
    area = page.locator(".mlkit-narrative-toelichting textarea")
    area.click()
    area.press_sequentially("Tops: rustig overleg.")
    area.press("Enter")
    area.press_sequentially('Tips: "eerder" escaleren.')


def _new_form(page: Any) -> None:
    """Press Nieuw formulier and wait until the new form (a new form id) is shown."""
    ident = page.locator(".mlkit-submission")
    before = ident.inner_text() if ident.count() else ""
    page.locator(".mlkit-new").click()
    if before:
        expect(ident).not_to_have_text(before, timeout=TIMEOUT)


def _kpb_forms(site: Site) -> int:
    with Store.open(site.cohort) as store:
        subs = store.submissions(AIOS)
    return int((subs["submission_id"].str.startswith("kpb-")).sum())


def test_required_item_missing_shows_dutch_message_and_stores_nothing(
    lab_page: Any, cat: Catalogue, site: Site, shots: Path
) -> None:
    page = lab_page
    before = _kpb_forms(site)
    _fill_kpb(page, cat, site, skip="totaaloordeel")
    page.locator(".mlkit-check").click()
    message = page.locator(".mlkit-item-totaaloordeel .mlkit-problem")
    message.wait_for(timeout=TIMEOUT)
    assert message.inner_text() == "Verplicht: kies een waarde."
    page.locator(".mlkit-save").click()
    page.locator(".mlkit-status .mlkit-problem").wait_for(timeout=TIMEOUT)
    assert "Nog niet opgeslagen" in page.locator(".mlkit-status").inner_text()
    page.locator(".mlkit-form").screenshot(path=shots / "1-kpb-verplicht-ontbreekt-nl.png")
    assert _kpb_forms(site) == before


def test_complete_kpb_is_saved(lab_page: Any, cat: Catalogue, site: Site, shots: Path) -> None:
    page = lab_page
    _new_form(page)
    before = _kpb_forms(site)
    _fill_kpb(page, cat, site)
    page.locator(".mlkit-form").screenshot(path=shots / "2-kpb-ingevuld-nl.png")
    page.locator(".mlkit-save").click()
    page.locator(".mlkit-saved").wait_for(timeout=TIMEOUT)
    assert "Opgeslagen." in page.locator(".mlkit-saved").inner_text()
    page.locator(".mlkit-form").screenshot(path=shots / "3-kpb-opgeslagen-nl.png")
    assert _kpb_forms(site) == before + 1
    with Store.open(site.cohort) as store:
        form = store.forms(AIOS).iloc[-1]
        scores = store.scores(AIOS, instrument="kpb")
    assert form["comment"] == 'Tops: rustig overleg.\nTips: "eerder" escaleren.'
    own = scores[scores["form_id"] == form["form_id"]]
    assert set(own["item"]) == {it.code for it in cat.items(cat.instrument("kpb"))}


def test_double_click_on_opslaan_stores_once(
    lab_page: Any, cat: Catalogue, site: Site, shots: Path
) -> None:
    page = lab_page
    _new_form(page)
    before = _kpb_forms(site)
    _fill_kpb(page, cat, site)
    page.locator(".mlkit-save").dblclick()
    page.get_by_text("al opgeslagen", exact=False).wait_for(timeout=TIMEOUT)
    page.locator(".mlkit-form").screenshot(path=shots / "4-kpb-dubbelklik-nl.png")
    assert _kpb_forms(site) == before + 1


def test_voila_form_in_english_refuses_a_partial_form(
    browser: Any, cat: Catalogue, site: Site, shots: Path
) -> None:
    page = browser.new_page(viewport={"width": 1300, "height": 1600})
    page.goto(site.voila_url("assess-en/assessment_form.ipynb"))
    page.wait_for_selector(".mlkit-form", timeout=TIMEOUT)
    assert "import" not in page.locator("body").inner_text()  # app mode: no code shown
    inst = cat.instrument("self_assessment")
    before = _kpb_forms(site)
    page.locator(".mlkit-aios select").select_option(label=_label(cat, AIOS, site.cohort))
    page.locator(".mlkit-instrument select").select_option(label=cat.instrument_label(inst, "en"))
    first = cat.items(inst)[0]
    page.locator(f".mlkit-item-{first.code} select").select_option(index=2)
    page.locator(".mlkit-save").click()
    page.locator(".mlkit-status .mlkit-problem").wait_for(timeout=TIMEOUT)
    last = cat.items(inst)[-1]
    error = page.locator(f".mlkit-item-{last.code} .mlkit-problem").inner_text()
    assert error == "Required: choose a value."
    page.locator(".mlkit-form").screenshot(path=shots / "5-rml-required-missing-en.png")
    with Store.open(site.cohort) as store:
        assert store.submissions(AIOS)["kind"].tolist().count("assessment") == before
    page.close()


def test_reflection_in_voila_saved_intact_and_merged_back(
    browser: Any, cat: Catalogue, site: Site, shots: Path
) -> None:
    page = browser.new_page(viewport={"width": 1300, "height": 2400})
    page.goto(site.voila_url("reflectie/S0001_reflection.ipynb"))
    page.wait_for_selector(".mlkit-form", timeout=TIMEOUT)
    page.locator(".mlkit-form").screenshot(path=shots / "6-reflectie-leeg-nl.png")
    domains = cat.rml_domains("nl")
    for _, _, item in domains:
        label = cat.instrument("self_assessment").scale(item.scale).points[1].label.get("nl")
        page.locator(f".mlkit-domain-{item.code} select").select_option(label=str(label))
    area = page.locator(f".mlkit-domain-{domains[2][2].code} textarea")
    area.click()
    for i, line in enumerate(QUOTED.split("\n")):
        if i:
            area.press("Enter")
        area.press_sequentially(line)
    code, title = cat.santeon_characteristics("nl")[0]
    page.get_by_label(title).check()
    page.locator(".mlkit-save").click()
    page.locator(".mlkit-saved").wait_for(timeout=TIMEOUT)
    page.locator(".mlkit-form").screenshot(path=shots / "7-reflectie-opgeslagen-nl.png")
    with Store.open(site.root / "reflectie" / EXTRACT_NAME) as own:
        texts = own.reflections("S0001")
    assert QUOTED in set(texts["text"])
    merged = collect_extracts([site.root / "reflectie"], site.cohort)
    assert merged.rows_read == merged.stored == len(domains) + 2
    with Store.open(site.cohort) as cohort:
        merged_texts = cohort.reflections("S0001")
    assert QUOTED in set(merged_texts["text"])
    assert code in set(merged_texts["domain"])
    page.close()
