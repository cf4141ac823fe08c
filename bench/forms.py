"""Benchmark: the forms as a person meets them, in Voilà and JupyterLab in headless Chromium.

Builds a small synthetic cohort, prepares an assessment folder and a reflection folder, starts
Voilà (and JupyterLab) on 127.0.0.1, and measures in Debian's chromium (``/usr/bin/chromium``):

1. the time from pressing **Opslaan** to the confirmation on screen, for ``--saves`` complete
   KPB forms saved one after another in one warm kernel (median, best, worst; aim < 200 ms);
2. the time from opening the reflection notebook to a usable form (the Opslaan button shown),
   in Voilà (app mode) and in JupyterLab (open, Run All Cells).

Prints each figure and its ratio to the aim. Usage: ``python bench/forms.py [--saves N]``.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from mlkit.demo import build_demo_store
from mlkit.forms.catalogue import Catalogue
from mlkit.forms.notebooks import AssessParams, lab_command, prepare_assessment
from mlkit.reports.reflection import prepare_reflection
from mlkit.store import Store

AIM_SAVE_MS = 200.0
TOKEN = "mlkit-bench"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--headless",
]
TIMEOUT = 120_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(cmd: list[str], url: str, log: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
    end = time.monotonic() + 120
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return proc
        except (OSError, http.client.HTTPException):
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"server did not start: {log.read_text(encoding='utf-8')[-2000:]}")


def fill_kpb(page: Any, cat: Catalogue) -> None:
    kpb = cat.instrument("kpb")
    for item in cat.items(kpb):
        label = kpb.scale(item.scale).points[2].label.get("nl")
        page.locator(f".mlkit-item-{item.code} select").select_option(label=str(label))


def bench_saves(page: Any, url: str, cat: Catalogue, aios: str, n: int) -> list[float]:
    page.goto(url)
    page.wait_for_selector(".mlkit-form", timeout=TIMEOUT)
    page.locator(".mlkit-aios select").select_option(value=None, index=1)
    page.locator(".mlkit-instrument select").select_option(
        label=cat.instrument_label(cat.instrument("kpb"), "nl")
    )
    times = []
    for i in range(n):
        ident = page.locator(".mlkit-submission")
        ident.wait_for(timeout=TIMEOUT)
        sid = ident.inner_text().split(": ")[-1]
        fill_kpb(page, cat)
        started = time.perf_counter()
        page.locator(".mlkit-save").click()
        page.locator(".mlkit-saved", has_text=sid).wait_for(timeout=TIMEOUT)
        times.append((time.perf_counter() - started) * 1000)
        if i < n - 1:
            page.locator(".mlkit-new").click()
            page.locator(".mlkit-submission").filter(has_not_text=sid).wait_for(timeout=TIMEOUT)
    return times


def open_reflection(page: Any, url: str, lab: bool) -> float:
    started = time.perf_counter()
    page.goto(url)
    if lab:
        page.wait_for_selector(".jp-Notebook", timeout=TIMEOUT)
        page.get_by_text("| Idle").wait_for(timeout=TIMEOUT)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu").get_by_text("Run All Cells", exact=True).click()
    page.locator(".mlkit-save").wait_for(timeout=TIMEOUT)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=50)
    parser.add_argument("--chromium", default=os.environ.get("MLKIT_CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        db = base / "cohort.db"
        build_demo_store(base / "data", db, n_aios=8, seed=3)
        with Store.open(db) as store:
            aios = store.aios_ids()[0]
        root = base / "site"
        prepare_assessment(AssessParams(db=str(db)), root / "beoordelen")
        prepare_reflection({"aios_id": aios, "db": str(db)}, root / "reflectie")
        env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(base / "rt"), MPLBACKEND="Agg")
        vport, lport = free_port(), free_port()
        common = ["--no-browser", f"--port={vport}", "--Voila.ip=127.0.0.1", f"--token={TOKEN}"]
        common.append("--Voila.port_retries=0")
        voila = start(
            [*lab_command(root, app=True), *common],
            f"http://127.0.0.1:{vport}/?token={TOKEN}",
            base / "voila.log",
            env,
        )
        lab_args = [f"--port={lport}", "--ServerApp.ip=127.0.0.1", "--allow-root"]
        lab_args.append("--ServerApp.port_retries=0")
        lab_args += ["--no-browser", f"--IdentityProvider.token={TOKEN}"]
        lab = start(
            [*lab_command(root), *lab_args],
            f"http://127.0.0.1:{lport}/api/status?token={TOKEN}",
            base / "lab.log",
            env,
        )
        cat = Catalogue.load()
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=args.chromium, args=ARGS)
                page = browser.new_page(viewport={"width": 1300, "height": 1600})
                voila_url = f"http://127.0.0.1:{vport}/voila/render"
                v_open = open_reflection(
                    page, f"{voila_url}/reflectie/{aios}_reflection.ipynb?token={TOKEN}", False
                )
                l_open = open_reflection(
                    page,
                    f"http://127.0.0.1:{lport}/lab/tree/reflectie/{aios}_reflection.ipynb"
                    f"?token={TOKEN}",
                    True,
                )
                url = f"{voila_url}/beoordelen/assessment_form.ipynb?token={TOKEN}"
                times = bench_saves(page, url, cat, aios, args.saves)
                browser.close()
        finally:
            for proc in (voila, lab):
                proc.terminate()
                proc.wait(timeout=30)
        with Store.open(db) as store:
            stored = len(store.submissions())
    median = statistics.median(times)
    print(f"saves: {len(times)} in one warm kernel, {stored} submissions stored")
    print(
        f"Opslaan -> confirmation: median {median:.0f} ms, best {min(times):.0f} ms,"
        f" worst {max(times):.0f} ms; median / aim {AIM_SAVE_MS:.0f} ms = "
        f"{median / AIM_SAVE_MS:.2f}"
    )
    print(
        f"open reflection notebook -> usable form: Voila {v_open:.1f} s, JupyterLab {l_open:.1f} s"
    )


if __name__ == "__main__":
    main()
