"""Batch failures are one clear line; the output directory belongs to one batch at a time."""

from __future__ import annotations

import json
import os
import pickle
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mlkit.batch import (
    AiosEntry,
    BatchLockedError,
    BatchOptionError,
    BatchRequest,
    Manifest,
    OutputDirError,
    SchedulerUnreachableError,
    StoreUnreadableError,
    plan_jobs,
)
from mlkit.batch.errors import BatchError
from mlkit.batch.lock import OutputLock
from mlkit.batch.manifest import entry_problem
from mlkit.cli import app

REPO = Path(__file__).resolve().parents[1]


def _batch(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(app, ["batch", "--quiet", *args])
    return result.exit_code, result.stderr.strip().splitlines()


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["--as-of", "2024-13-01"], "mlkit: error: --as-of: '2024-13-01' is not a date"),
        (["--lang", "fr"], "mlkit: error: --lang: 'fr': use nl or en"),
        (["--kind", "progress,nope"], "mlkit: error: --kind: 'nope': choose from progress"),
        (["--kind", ","], "mlkit: error: --kind: ',': name at least one report kind"),
        (["--executor", "ssh://x"], "mlkit: error: --executor: 'ssh://x': use local or dask://"),
    ],
)
def test_bad_options_are_one_line_before_the_store_is_read(
    tmp_path: Path, args: list[str], line: str
) -> None:
    code, lines = _batch("--db", str(tmp_path / "absent.db"), "--out", str(tmp_path / "o"), *args)
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith(line)
    assert not (tmp_path / "o").exists()


def test_out_naming_a_file_is_one_line(test_store: Path, tmp_path: Path) -> None:
    target = tmp_path / "reports.txt"
    target.write_text("not a directory", encoding="utf-8")
    code, lines = _batch("--db", str(test_store), "--out", str(target))
    assert code == 2
    assert lines == [f"mlkit: error: --out {target}: exists and is not a directory"]


def test_a_corrupt_store_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "broken.db"
    db.write_bytes(b"this is not an SQLite database at all, just bytes" * 100)
    code, lines = _batch("--db", str(db), "--out", str(tmp_path / "o"))
    assert code == 2
    assert len(lines) == 1
    assert lines[0].startswith("mlkit: error: ") and str(db) in lines[0]


@pytest.mark.slow
def test_an_unreachable_scheduler_fails_fast_in_one_line(
    test_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("distributed")
    from mlkit.batch import dask_executor

    monkeypatch.setattr(dask_executor, "CONNECT_TIMEOUT", 2.0)
    with socket.socket() as sock:  # a port on which nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, lines = _batch(
        "--db",
        str(test_store),
        "--out",
        str(tmp_path / "o"),
        "--executor",
        f"dask://127.0.0.1:{port}",
    )
    assert code == 2
    assert len(lines) == 1
    assert lines[0].startswith(
        f"mlkit: error: --executor dask://127.0.0.1:{port}: no Dask scheduler answered within 2 s"
    )


def test_errors_carry_their_data_and_pickle() -> None:
    errors: list[BatchError] = [
        BatchOptionError("--lang", "fr", "use nl or en"),
        OutputDirError("/x", "exists and is not a directory"),
        BatchLockedError("/x", "host h, pid 1"),
        StoreUnreadableError("/d.db", "file is not a database"),
        SchedulerUnreachableError("dask://h:1", 10, "refused"),
    ]
    for error in errors:
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error) and str(copy) == str(error)
        assert vars(copy) == vars(error)
        assert "\n" not in str(error)


def test_kinds_are_de_duplicated(tmp_path: Path, data_dir: Path) -> None:
    jobs = plan_jobs(
        [AiosEntry("A1")],
        BatchRequest(
            out=tmp_path,
            db=tmp_path / "x.db",
            kinds=["progress", "progress", " progress"],
            template_dir=data_dir / "notebooks",
        ),
    )
    assert [j.key for j in jobs] == ["A1_progress"]


# --- the manifest -------------------------------------------------------------------------------


def _job(tmp_path: Path, data_dir: Path) -> object:
    (job,) = plan_jobs(
        [AiosEntry("A1", "hash-A1")],
        BatchRequest(
            out=tmp_path,
            db=tmp_path / "x.db",
            kinds=["progress"],
            as_of="2025-06-30",
            template_dir=data_dir / "notebooks",
        ),
    )
    return job


@pytest.mark.parametrize(
    ("reports", "problem"),
    [
        ({"A1_progress": 5}, "not an object"),
        ({"A1_progress": {"status": "ok", "params": [], "data_hash": 1}}, "bad params, data_hash"),
        ({"A1_progress": {"status": "done"}}, "bad status"),
    ],
)
def test_a_manifest_entry_of_the_wrong_type_is_dropped(
    tmp_path: Path, reports: dict[str, object], problem: str
) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps({"reports": reports}), encoding="utf-8")
    manifest = Manifest.load(tmp_path)
    assert manifest.reports == {}
    assert len(manifest.repairs) == 1 and problem in manifest.repairs[0]
    assert entry_problem("k", reports["A1_progress"]) is not None


def test_a_lost_manifest_is_rebuilt_from_the_sidecars(tmp_path: Path, data_dir: Path) -> None:
    from mlkit.batch.jobs import ReportJob, file_sha256

    job = _job(tmp_path, data_dir)
    assert isinstance(job, ReportJob)
    notebook, html = tmp_path / "A1_progress.ipynb", tmp_path / "A1_progress.html"
    notebook.write_text("{}", encoding="utf-8")
    html.write_text("<p>report</p>", encoding="utf-8")
    sidecar = {
        "report": "progress",
        "ok": True,
        "provenance": {
            "parameters": job.params.notebook_parameters(),
            "template_sha256": job.template_sha256,
            "data_sha256": "hash-A1",
            "outputs_sha256": {"notebook": file_sha256(notebook), "html": file_sha256(html)},
        },
    }
    (tmp_path / "A1_progress.json").write_text(json.dumps(sidecar), encoding="utf-8")
    (tmp_path / "manifest.json").write_text("[1, 2", encoding="utf-8")  # damaged

    manifest = Manifest.load(tmp_path)
    assert manifest.is_up_to_date(job)
    assert manifest.repairs[-1] == "restored A1_progress from its sidecar"
    html.write_text("<p>changed</p>", encoding="utf-8")
    assert not Manifest.load(tmp_path).is_up_to_date(job)  # a changed output is not trusted


def test_saving_merges_with_what_is_on_disk(tmp_path: Path, data_dir: Path) -> None:
    from mlkit.batch.jobs import JobResult, ReportJob

    job = _job(tmp_path, data_dir)
    assert isinstance(job, ReportJob)
    first, second = Manifest.load(tmp_path), Manifest.load(tmp_path)
    first.record(JobResult.for_job(job, "ok"))
    first.save()
    other = JobResult.for_job(job, "failed", reason="x")
    other.key = "B2_progress"
    second.record(other)
    second.save()
    on_disk = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(on_disk["reports"]) == ["A1_progress", "B2_progress"]


# --- one batch per output directory -------------------------------------------------------------

HOLDER = """
import sys, time
from pathlib import Path
from mlkit.batch.lock import OutputLock
out, release = Path(sys.argv[1]), Path(sys.argv[2])
with OutputLock(out):
    print("locked", flush=True)
    while not release.exists():
        time.sleep(0.05)
"""


@pytest.mark.slow
def test_a_second_batch_into_the_same_out_refuses_then_may_wait(
    test_store: Path, tmp_path: Path
) -> None:
    out, release = tmp_path / "out", tmp_path / "release"
    out.mkdir()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(out), str(release)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        second = subprocess.run(
            [sys.executable, "-m", "mlkit", "batch", "--db", str(test_store), "--out", str(out)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert second.returncode == 2
        assert second.stderr.strip().splitlines() == [
            f"mlkit: error: --out {out}: another batch is writing here "
            f"(host {socket.gethostname()}, pid {holder.pid}); wait for it to finish, "
            "or choose another --out"
        ]
        assert not (out / "manifest.json").exists()
        release.touch()
        with OutputLock(out, wait=60):  # waits for the holder to let go
            assert holder.wait(timeout=60) == 0
    finally:
        release.touch()
        holder.wait(timeout=60)
        if holder.stdout is not None:
            holder.stdout.close()


@pytest.mark.slow
def test_a_batch_runs_in_a_directory_with_a_damaged_manifest(
    tmp_path: Path, data_dir: Path
) -> None:
    from mlkit.batch import run_batch

    out = tmp_path / "out"
    out.mkdir()
    damaged = {"reports": {"A1_progress": {"status": ["ok"]}, "A2_progress": "x"}}
    (out / "manifest.json").write_text(json.dumps(damaged), encoding="utf-8")
    result = run_batch(
        [AiosEntry("A1", "h1"), AiosEntry("A2", "h2")],
        BatchRequest(
            out=out,
            db=out / "none.db",
            kinds=["progress"],
            as_of="2025-06-30",
            template_dir=data_dir / "notebooks",
            workers=1,
            warmup="import pandas",
            trust_templates=True,
        ),
    )
    assert result.exit_code == 0 and result.count("ok") == 2
    assert sorted(result.repairs) == [
        "dropped A1_progress: bad status, params, data_hash, template_sha256",
        "dropped A2_progress: not an object",
    ]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {k: v["status"] for k, v in manifest["reports"].items()} == {
        "A1_progress": "ok",
        "A2_progress": "ok",
    }
