"""Two processes importing into one store lose no rows; a kill mid-import changes nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from ingest_helpers import store_with_roster

from mlkit.store import Store

HEADER = (
    "formulier_id;aios_id;instrument;datum;beoordelaar;rol_beoordelaar;item;score;toelichting\n"
)
ITEMS = ("aanspreekbaar", "organiseert_werk", "communiceert_helder")


def _write_forms(path: Path, prefix: str, forms: int) -> int:
    lines = [
        f"{prefix}{f};A000{1 + f % 3};msf;05-10-2024;Dr. X;specialist;{item};{1 + f % 5};\n"
        for f in range(forms)
        for item in ITEMS
    ]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return len(lines)


_RUNNER = textwrap.dedent(
    """
    import sys
    from datetime import date
    from pathlib import Path
    from mlkit.ingest import import_file
    from mlkit.store import Store
    with Store.open(Path(sys.argv[1])) as store:
        s = import_file(Path(sys.argv[2]), store, today=date(2025, 1, 1))
    print(s.stored, s.rejected, s.duplicates)
    """
)


def test_two_processes_lose_no_rows(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    store_with_roster(db).close()
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    rows = _write_forms(a, "FA", 4000) + _write_forms(b, "FB", 4000)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _RUNNER, str(db), str(p)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for p in (a, b)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert sum(int(out.split()[0]) for out, _ in outs) == rows
    with Store.open(db) as store:
        assert len(store.scores()) == rows
        assert store.imports()["stored"].sum() == rows + 3  # plus the roster


_KILLED = textwrap.dedent(
    """
    import sys, time
    from datetime import date
    from pathlib import Path
    from mlkit.ingest import import_file
    from mlkit.store import Store, writer

    original = writer.Writer._insert

    def slow_insert(self, *args, **kwargs):
        original(self, *args, **kwargs)
        print("INSERTED", flush=True)
        time.sleep(60)

    writer.Writer._insert = slow_insert
    with Store.open(Path(sys.argv[1])) as store:
        import_file(Path(sys.argv[2]), store, today=date(2025, 1, 1))
    """
)


def test_kill_during_import_leaves_store_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with store_with_roster(db) as store:
        before = store.record_counts()
        digest = store.data_hash()
    path = tmp_path / "big.csv"
    _write_forms(path, "K", 3000)
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILLED, str(db), str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    line = ""
    while time.monotonic() < deadline and "INSERTED" not in line:
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            break
    assert "INSERTED" in line, proc.stderr.read() if proc.stderr else ""
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    if proc.stderr:
        proc.stderr.close()
    with Store.open(db) as store:
        assert store.record_counts() == before
        assert store.data_hash() == digest
