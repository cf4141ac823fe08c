"""Real-browser fixtures: a JupyterLab server and Voilà on 127.0.0.1, headless Chromium.

Chromium is Debian's (``/usr/bin/chromium``, or ``$MLKIT_CHROMIUM``), driven through the
``playwright`` package; nothing is downloaded. Without Chromium the tests skip on a developer's
machine and fail in CI (``CI=true``), where ``.ci/run`` installs it.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from mlkit.forms.notebooks import AssessParams, lab_command, prepare_assessment
from mlkit.reports.reflection import prepare_reflection
from mlkit.store import Store

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "tests" / "browser" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--headless",
]
TOKEN = "mlkit-browser-test"


def _chromium() -> Path:
    path = Path(os.environ.get("MLKIT_CHROMIUM", "/usr/bin/chromium"))
    if path.is_file():
        return path
    message = f"Chromium not found at {path}: apt-get install chromium (Debian/Ubuntu)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " — in CI the browser tests must run, not skip")
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ready(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> bool:
    """Wait until ``url`` answers; False when the server exited (e.g. its port was taken)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2):
                return True
        except (OSError, http.client.HTTPException):
            time.sleep(0.2)
    return False


def _serve(
    name: str, command: list[str], status: str, base: Path, env: dict[str, str]
) -> tuple[subprocess.Popen[bytes], str]:
    """Start a server on a free port (a new one if another process took it first)."""
    log = base / f"{name}.log"
    for _ in range(5):
        port = _free_port()
        with log.open("wb") as out:
            cmd = [*command, f"--port={port}"]
            proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        root = f"http://127.0.0.1:{port}"
        if _ready(f"{root}/{status}?token={TOKEN}", proc):
            return proc, root
        proc.kill()
        proc.wait()
    raise RuntimeError(f"{name} did not start: {log.read_text(encoding='utf-8')[-2000:]}")


@dataclass(frozen=True)
class Site:
    """The prepared folder and the two servers that serve it."""

    root: Path
    cohort: Path
    lab: str
    voila: str

    def lab_url(self, notebook: str) -> str:
        return f"{self.lab}/lab/tree/{notebook}?token={TOKEN}"

    def voila_url(self, notebook: str) -> str:
        return f"{self.voila}/voila/render/{notebook}?token={TOKEN}"


@pytest.fixture(scope="session")
def chromium() -> Path:
    return _chromium()


@pytest.fixture(scope="session")
def site(test_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    base = tmp_path_factory.mktemp("browser")
    root = base / "site"
    root.mkdir()
    cohort = base / "cohort.db"
    with Store.open(test_store):
        pass
    shutil.copy(test_store, cohort)
    prepare_assessment(AssessParams(db=str(cohort), opleider="dr. T. Est"), root / "beoordelen")
    prepare_assessment(AssessParams(db=str(cohort), lang="en"), root / "assess-en")
    prepare_reflection({"aios_id": "S0001", "db": str(cohort)}, root / "reflectie")
    settings = base / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}), encoding="utf-8"
    )
    env = dict(
        os.environ,
        JUPYTER_RUNTIME_DIR=str(base / "runtime"),
        JUPYTER_CONFIG_DIR=str(base / "config"),
        MPLBACKEND="Agg",
    )
    lab_cmd = [
        *lab_command(root),
        "--no-browser",
        "--allow-root",
        f"--IdentityProvider.token={TOKEN}",
        "--ServerApp.ip=127.0.0.1",
        "--ServerApp.port_retries=0",
        f"--LabApp.user_settings_dir={base / 'settings'}",
        f"--LabApp.workspaces_dir={base / 'workspaces'}",
    ]
    voila_cmd = [
        *lab_command(root, app=True),
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        f"--token={TOKEN}",
    ]
    procs: list[subprocess.Popen[bytes]] = []
    try:
        lab, lab_url = _serve("lab", lab_cmd, "api/status", base, env)
        procs.append(lab)
        voila, voila_url = _serve("voila", voila_cmd, "", base, env)
        procs.append(voila)
        yield Site(root, cohort, lab_url, voila_url)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="session")
def browser(chromium: Path) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS
