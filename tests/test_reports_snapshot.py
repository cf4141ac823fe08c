"""Each fact once, from one snapshot: a report's data hash is the hash of the data it shows.

The host checks the store, the aios and the data hash in one read transaction; the kernel reads
its own snapshot and refuses to show data with another hash. These tests count the statements
of one report and import corrections in another process while reports are read and rendered.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import mlkit
from mlkit.reports.inputs import DataChangedError, check_store, load_inputs, load_reference
from mlkit.reports.params import params_for
from mlkit.store import Store

AIOS = "E0001"
MAX_SELECTS = 6
"""SELECTs of one read of one aios: roster, forms, scores, activities, reflections, decisions.

Before the single read transaction one report issued 22 in the kernel (10 of them checks that
the aios exists; every record table read twice, once more for the hash) plus 1 on the host."""

_WRITER = r"""
import sys
from pathlib import Path

from mlkit.assessments import load_instrument
from mlkit.forms.rules import required_items, untitled_codes
from mlkit.frameworks import load_all
from mlkit.ingest import import_file
from mlkit.store import Store

db, log, first, last = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
kpb = load_instrument("kpb")
need = required_items(kpb, untitled_codes(load_all().values()))
codes = [item.code for item in kpb.items if item.code in need]
for k in range(first, last + 1):
    # one file, one commit: a corrected form changes the forms and the form_scores tables
    export = db.with_name(f"form{k}.csv")
    export.write_text(
        "formulier_id;aios_id;instrument;datum;beoordelaar;rol_beoordelaar;item;score;toelichting\n"
        + "".join(
            f"VX1;E0001;kpb;01-03-2026;dr. V. Ersie;opleider;{code};{1 + (k + i) % 4};"
            f"Versie{k:04d}\n"
            for i, code in enumerate(codes)
        ),
        encoding="utf-8",
    )
    with Store.open(db) as store:
        summary = import_file(export, store)
        assert summary.stored > 0 and summary.rejected == 0, summary.line()
        digest = store.data_hash("E0001")
    with log.open("a", encoding="utf-8") as out:
        out.write(f"{k} {digest}\n")
"""


def _writer_args(db: Path, log: Path, first: int, last: int) -> list[str]:
    return [sys.executable, "-c", _WRITER, str(db), str(log), str(first), str(last)]


def _env() -> dict[str, str]:
    root = str(Path(mlkit.__file__).resolve().parents[1])
    return {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}


@pytest.fixture
def store_copy(test_store: Path, tmp_path: Path) -> Path:
    """A private copy of the shared test store, with version 0 of a corrected form."""
    db = tmp_path / "store" / "s.db"
    db.parent.mkdir()
    shutil.copyfile(test_store, db)
    subprocess.run(_writer_args(db, tmp_path / "log", 0, 0), env=_env(), check=True)
    return db


def _import_version(db: Path, k: int) -> str:
    subprocess.run(_writer_args(db, db.with_name("one.log"), k, k), env=_env(), check=True)
    return db.with_name("one.log").read_text(encoding="utf-8").split()[-1]


@pytest.fixture
def statements(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every SQL statement run by connections opened from now on."""
    seen: list[str] = []
    connect = sqlite3.connect

    def traced(*args: object, **kwargs: object) -> sqlite3.Connection:
        conn = connect(*args, **kwargs)  # type: ignore[arg-type]
        conn.set_trace_callback(seen.append)
        return conn

    monkeypatch.setattr(sqlite3, "connect", traced)
    return seen


def _selects(seen: list[str]) -> list[str]:
    return [s for s in seen if s.lstrip().upper().startswith("SELECT")]


def test_one_report_reads_each_table_once_in_one_transaction(
    store_copy: Path, statements: list[str]
) -> None:
    params = params_for("progress", {"aios_id": AIOS, "db": store_copy})
    reference = load_reference()
    statements.clear()
    pinned = check_store(params)  # the host
    host = _selects(statements)
    statements.clear()
    inputs = load_inputs(pinned, reference)  # the kernel
    kernel = _selects(statements)
    for read in (host, kernel):
        assert 0 < len(read) <= MAX_SELECTS, read
        tables = [re.search(r"FROM (\w+)", s).group(1) for s in read]  # type: ignore[union-attr]
        assert len(tables) == len(set(tables)), tables  # no table twice
        assert not any(s.startswith("SELECT 1 FROM aios") for s in read)  # no separate check
    begin = [i for i, s in enumerate(statements) if s == "BEGIN"]
    commit = [i for i, s in enumerate(statements) if s == "COMMIT"]
    selects = [i for i, s in enumerate(statements) if s.startswith("SELECT")]
    assert begin and commit and begin[-1] < min(selects) and max(selects) < commit[-1]
    assert inputs.data_sha256 == pinned.expected_data_sha256
    with Store.open(store_copy) as store:
        assert store.data_hash(AIOS) == inputs.data_sha256


def test_the_store_runs_in_wal_mode(store_copy: Path) -> None:
    """A deferred read transaction is a snapshot only in WAL mode (else it blocks writers)."""
    conn = sqlite3.connect(store_copy)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


def test_the_kernel_refuses_data_other_than_the_host_checked(store_copy: Path) -> None:
    pinned = check_store(params_for("summary", {"aios_id": AIOS, "db": store_copy}))
    new_hash = _import_version(store_copy, 1)
    with pytest.raises(DataChangedError, match="the store changed while the report was rend"):
        load_inputs(pinned)
    again = load_inputs(check_store(pinned.model_copy(update={"expected_data_sha256": None})))
    assert again.data_sha256 == new_hash
    assert "Versie0001" in set(again.forms["comment"])


@pytest.fixture
def writer(store_copy: Path, tmp_path: Path) -> Iterator[Callable[[int], subprocess.Popen[str]]]:
    """Start a process that imports ``rounds`` roster corrections of the aios, one by one."""
    started: list[subprocess.Popen[str]] = []

    def start(rounds: int) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            _writer_args(store_copy, tmp_path / "log", 1, rounds),
            env=_env(),
            text=True,
            stderr=subprocess.PIPE,
        )
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()


def _versions(tmp_path: Path) -> dict[int, str]:
    """The data hash after each import of the writer (version 0: before it started)."""
    lines = (tmp_path / "log").read_text(encoding="utf-8").split()
    hashes = {int(k): h for k, h in zip(lines[::2], lines[1::2], strict=True)}
    assert len(set(hashes.values())) == len(hashes)  # every version is another state
    return hashes


def _version(text: str) -> int:
    found = set(re.findall(r"Versie(\d{4})", text))
    assert len(found) == 1, found  # one state of the aios on the page
    return int(found.pop())


def test_reads_during_imports_carry_the_hash_of_what_they_read(
    store_copy: Path, tmp_path: Path, writer: Callable[[int], subprocess.Popen[str]]
) -> None:
    params = params_for("progress", {"aios_id": AIOS, "db": store_copy})
    reference = load_reference()
    proc = writer(40)
    seen: list[tuple[int, str]] = []
    while proc.poll() is None or not seen:
        inputs = load_inputs(params, reference)
        comments = " ".join(str(c) for c in inputs.forms["comment"])
        seen.append((_version(comments), inputs.data_sha256))
    _, errors = proc.communicate()
    assert proc.returncode == 0, errors
    hashes = _versions(tmp_path)
    assert len(hashes) == 41
    assert all(hashes[k] == digest for k, digest in seen), seen
    assert len({k for k, _ in seen}) > 1  # the reads did see the store change


@pytest.mark.slow
def test_rendered_reports_show_the_data_of_their_hash_while_imports_run(
    store_copy: Path, tmp_path: Path, writer: Callable[[int], subprocess.Popen[str]]
) -> None:
    """Done-when of issue 11: every sidecar's hash is the hash of the data its page shows."""
    from mlkit.reports.render import ReportExecutionError, render_report

    proc = writer(6)
    outcomes: list[tuple[str, Path]] = []
    while proc.poll() is None or len(outcomes) < 2:
        out = tmp_path / f"run{len(outcomes)}"
        params = params_for("summary", {"aios_id": AIOS, "db": store_copy, "as_of": "2026-06-30"})
        try:
            outputs = render_report(params, out)
            outcomes.append(("ok", outputs.sidecar))
        except ReportExecutionError as exc:
            assert "the store changed while the report was rendered" in exc.reason
            outcomes.append(("changed", exc.outputs.sidecar))
    _, errors = proc.communicate()
    assert proc.returncode == 0, errors
    hashes = _versions(tmp_path)
    ok = [sidecar for status, sidecar in outcomes if status == "ok"]
    assert ok  # the last render, at least, ran after the final import
    for sidecar in ok:
        figures = json.loads(sidecar.read_text(encoding="utf-8"))
        page = sidecar.with_suffix(".html").read_text(encoding="utf-8")
        shown = _version(page)
        assert figures["provenance"]["data_sha256"] == hashes[shown], (sidecar, shown)


def test_a_batch_pins_each_report_to_the_data_it_selected(store_copy: Path, tmp_path: Path) -> None:
    """The batch host reads the hashes once (the selection); its kernels check them."""
    from mlkit.batch import BatchRequest, plan_jobs, select_aios

    request = BatchRequest(db=store_copy, out=tmp_path / "out", kinds="progress,summary")
    entry = next(e for e in select_aios(store_copy, as_of=request.as_of) if e.aios_id == AIOS)
    jobs = plan_jobs([entry], request)
    with Store.open(store_copy) as store:
        assert entry.data_hash == store.data_hash(AIOS)
    assert [j.params.expected_data_sha256 for j in jobs] == [entry.data_hash] * 2
    assert [j.data_hash for j in jobs] == [entry.data_hash] * 2  # what the manifest records
    assert load_inputs(jobs[0].params).data_sha256 == entry.data_hash
    _import_version(store_copy, 1)
    with pytest.raises(DataChangedError) as info:
        load_inputs(jobs[1].params)
    assert (info.value.expected, info.value.aios_id) == (entry.data_hash, AIOS)
