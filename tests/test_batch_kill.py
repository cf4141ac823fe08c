"""Kill a batch mid-run, run it again: it completes and no output file is truncated."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from mlkit.batch import AiosEntry, BatchRequest, run_batch

pytestmark = pytest.mark.slow

IDS = [f"SLOW{i:02d}" for i in range(10)]  # each report sleeps 0.4 s in the test template
DRIVER = """
import sys
from pathlib import Path
from mlkit.batch import AiosEntry, BatchRequest, run_batch
from mlkit.cli.batch_cmd import _sigterm_as_interrupt
out, templates = Path(sys.argv[1]), Path(sys.argv[2])
with _sigterm_as_interrupt():
    request = BatchRequest(out=out, db=out / "none.db", kinds=["progress"], as_of="2025-06-30",
                           template_dir=templates, workers=1,
                           warmup="import pandas, matplotlib.pyplot")
    result = run_batch([AiosEntry(a, "h") for a in sys.argv[3:]], request)
sys.exit(130 if result.interrupted else result.exit_code)
"""


def _recorded_ok(out: Path) -> int:
    try:
        reports = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]
    except (OSError, ValueError, KeyError):
        return 0
    return sum(e["status"] == "ok" for e in reports.values())


def _wait_for_first_report(out: Path, proc: subprocess.Popen[bytes], limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while not _recorded_ok(out):
        assert proc.poll() is None, "batch ended before it could be killed"
        assert time.monotonic() < deadline, "no report appeared"
        time.sleep(0.05)


def _assert_intact(out: Path) -> None:
    for path in out.glob("*.ipynb"):
        nbformat.read(path, as_version=4)
    for path in out.glob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
    for path in out.glob("*.html"):
        assert path.read_text(encoding="utf-8").rstrip().endswith("</html>"), path


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["KILL", "TERM"])
def test_killed_batch_resumes_without_truncated_files(
    tmp_path: Path,
    data_dir: Path,
    signum: signal.Signals,
) -> None:
    templates = data_dir / "notebooks"
    proc = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(tmp_path), str(templates), *IDS],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for_first_report(tmp_path, proc)
        kernels = psutil.Process(proc.pid).children(recursive=True)
        proc.send_signal(signum)
        code = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        assert proc.stderr is not None
        proc.stderr.close()
    if signum == signal.SIGTERM:
        assert code == 130  # stopped cleanly: manifest written, kernels shut down
        _gone, alive = psutil.wait_procs(kernels, timeout=5)
        assert not alive
    else:
        assert code == -signal.SIGKILL
        for kernel in kernels:  # orphans exit on their own within a second; do not wait
            if kernel.is_running():
                kernel.kill()
    _assert_intact(tmp_path)
    done_before = {p.name for p in tmp_path.glob("SLOW*_progress.json")}
    assert 0 < len(done_before) < len(IDS)

    result = run_batch(
        [AiosEntry(a, "h") for a in IDS],
        BatchRequest(
            out=tmp_path,
            db=tmp_path / "none.db",
            kinds=["progress"],
            as_of="2025-06-30",
            template_dir=templates,
            workers=2,
            warmup="import pandas, matplotlib.pyplot",
        ),
    )
    assert result.exit_code == 0
    assert result.count("ok") + result.count("skipped") == len(IDS)
    assert result.count("skipped") >= 1  # the reports finished before the kill were kept
    _assert_intact(tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert {e["status"] for e in manifest["reports"].values()} <= {"ok", "skipped"}
    assert len(manifest["reports"]) == len(IDS)
