"""The batch runner: manifest, index, failures, resume, progress and the CLI."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mlkit.batch import (
    AiosEntry,
    BatchError,
    BatchOptionError,
    BatchRequest,
    Manifest,
    plan_jobs,
    run_batch,
)
from mlkit.batch.progress import LineProgress, QuietProgress, make_progress
from mlkit.cli import app
from mlkit.reports.overview import BatchView

LIGHT_WARMUP = "import pandas, matplotlib.pyplot"


@pytest.fixture
def templates(data_dir: Path) -> Path:
    return data_dir / "notebooks"


def _batch(out: Path, templates: Path, aios: list[AiosEntry], **kw: Any) -> Any:
    kw.setdefault("workers", 2)
    hooks = {k: kw.pop(k) for k in ("progress", "overview_builder") if k in kw}
    return run_batch(
        aios,
        BatchRequest(
            out=out,
            db=out / "none.db",
            kinds=["progress", "summary"],
            as_of="2025-06-30",
            template_dir=templates,
            warmup=LIGHT_WARMUP,
            **kw,
        ),
        **hooks,
    )


@pytest.mark.slow
def test_batch_renders_all_keeps_going_after_a_failure_and_resumes(
    tmp_path: Path,
    templates: Path,
) -> None:
    aios = [
        AiosEntry("A1", "h1", "<script>alert(1)</script>", "chirurgie", 2),
        AiosEntry("FAIL2", "h2"),
        AiosEntry("A3", "h3"),
    ]
    seen: list[BatchView] = []

    def overview(view: BatchView) -> str:
        seen.append(view)
        return "<div id='cohort-grid'>grid</div>"

    result = _batch(tmp_path, templates, aios, overview_builder=overview)
    assert result.exit_code == 1
    assert (result.count("ok"), result.count("failed")) == (4, 2)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["reports"]["FAIL2_progress"]
    assert entry["status"] == "failed"
    assert entry["reason"] == "ValueError: bad data for FAIL2"
    ok = manifest["reports"]["A1_summary"]
    assert ok["data_hash"] == "h1" and ok["params"]["aios_id"] == "A1"
    assert set(ok["outputs_sha256"]) == {"notebook", "html", "sidecar"}
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<div id='cohort-grid'>grid</div>" in index  # the builder's HTML, embedded
    assert "<script>alert(1)</script>" not in index  # our own rendering is escaped
    assert "&lt;script&gt;" in index
    assert 'href="A3_progress.html"' in index
    assert "ValueError: bad data for FAIL2" in index
    reports = seen[0].reports
    assert len(reports) == 6 and {r.kind for r in reports} == {"progress", "summary"}
    assert all(r.sidecar is not None for r in reports)  # custom figures validate as such

    # rerun: the ok reports are up to date, the failed ones are tried again
    again = _batch(tmp_path, templates, aios)
    assert again.count("skipped") == 4 and again.count("failed") == 2
    # changed data, or a damaged output, means render again
    (tmp_path / "A1_progress.html").write_text("damaged", encoding="utf-8")
    aios[2] = AiosEntry("A3", "h3-new")
    third = _batch(tmp_path, templates, aios, workers=1)
    redone = sorted(r.key for r in third.results if r.status == "ok")
    assert redone == ["A1_progress", "A3_progress", "A3_summary"]


def test_plan_jobs_validates_everything_before_a_kernel_starts(
    tmp_path: Path,
    templates: Path,
) -> None:
    with pytest.raises(BatchOptionError, match="--kind: 'nope': choose from progress"):
        plan_jobs(
            [AiosEntry("A1")],
            BatchRequest(
                out=tmp_path,
                db=tmp_path / "x.db",
                kinds=["nope"],
                template_dir=templates,
            ),
        )
    (refused,) = plan_jobs(  # one bad aios id is that aios' failure, not the batch's
        [AiosEntry("../etc")],
        BatchRequest(
            out=tmp_path, db=tmp_path / "x.db", kinds=["progress"], template_dir=templates
        ),
    )
    assert refused.refused is not None and "'../etc'" in refused.refused
    with pytest.raises(BatchError, match="template of the reflection report not found"):
        plan_jobs(
            [AiosEntry("A1")],
            BatchRequest(
                out=tmp_path,
                db=tmp_path / "x.db",
                kinds=["reflection"],
                template_dir=templates,
            ),
        )
    with pytest.raises(BatchOptionError, match="--executor: 'ssh://x': use local or dask://"):
        run_batch(
            [AiosEntry("A1")],
            BatchRequest(
                out=tmp_path,
                db=tmp_path / "x.db",
                kinds=["progress"],
                template_dir=templates,
                executor="ssh://x",
            ),
        )


def test_an_aios_id_the_reports_cannot_use_fails_alone(tmp_path: Path, templates: Path) -> None:
    jobs = plan_jobs(
        [AiosEntry("A1", "h1"), AiosEntry("A:1", "h2"), AiosEntry("../x", "h3")],
        BatchRequest(
            out=tmp_path,
            db=tmp_path / "x.db",
            kinds=["progress", "summary"],
            as_of="2025-06-30",
            template_dir=templates,
        ),
    )
    assert [(j.params.aios_id, j.params.kind, j.refused is None) for j in jobs] == [
        ("A1", "progress", True),
        ("A1", "summary", True),
        ("A:1", "progress", False),
        ("A:1", "summary", False),
        ("../x", "progress", False),
        ("../x", "summary", False),
    ]
    bad = jobs[2]
    assert bad.refused == (
        "aios_id 'A:1': an aios id is 1-64 letters, digits or . _ - and starts with a letter or"
        " digit"
    )
    assert bad.key == "A_x00003a1_progress"  # the sanitised stem, never the raw id
    assert bad.params.lang == "nl" and Path(bad.params.db).is_absolute()


@pytest.mark.slow
def test_a_batch_with_a_bad_aios_id_renders_the_others(tmp_path: Path, templates: Path) -> None:
    aios = [AiosEntry("A1", "h1"), AiosEntry("A:1", "h2"), AiosEntry("A3", "h3")]
    result = _batch(tmp_path, templates, aios, workers=1)
    statuses = {r.key: (r.aios_id, r.status) for r in result.results}
    assert statuses == {
        "A1_progress": ("A1", "ok"),
        "A1_summary": ("A1", "ok"),
        "A3_progress": ("A3", "ok"),
        "A3_summary": ("A3", "ok"),
        "A_x00003a1_progress": ("A:1", "failed"),
        "A_x00003a1_summary": ("A:1", "failed"),
    }
    assert result.exit_code == 1
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["reports"]["A_x00003a1_progress"]
    assert entry["status"] == "failed" and "'A:1'" in entry["reason"]
    assert not list(tmp_path.glob("A_x00003a1_*.html"))  # nothing rendered for it
    assert "A:1" in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_plan_jobs_fixes_an_empty_reference_date(tmp_path: Path, templates: Path) -> None:
    (job,) = plan_jobs(
        [AiosEntry("A1")],
        BatchRequest(
            out=tmp_path,
            db=tmp_path / "x.db",
            kinds=["progress"],
            template_dir=templates,
        ),
    )
    assert job.params.as_of != ""
    assert Path(job.params.db).is_absolute()
    assert job.key == "A1_progress"


def test_manifest_ignores_an_unreadable_file(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text("{trunc", encoding="utf-8")
    manifest = Manifest.load(tmp_path)
    assert manifest.reports == {}
    assert manifest.repairs[0].startswith("unreadable (JSONDecodeError")
    assert (tmp_path / "manifest.json.damaged").read_text(encoding="utf-8") == "{trunc"


def test_line_progress_prints_count_and_eta() -> None:
    stream = io.StringIO()
    progress = LineProgress(stream)
    progress.start(2)
    progress.advance("A1_progress", "ok")
    progress.advance("A2_progress", "failed", "ValueError: x")
    lines = stream.getvalue().splitlines()
    assert lines[0] == "batch: 2 report(s)"
    assert lines[1].startswith("[1/2] A1_progress ok  eta ")
    assert lines[2].endswith("(ValueError: x)")


def test_make_progress_picks_quiet_or_plain_lines() -> None:
    assert isinstance(make_progress(quiet=True), QuietProgress)
    assert isinstance(make_progress(stream=io.StringIO()), LineProgress)


def test_cli_help_has_an_example() -> None:
    result = CliRunner().invoke(app, ["batch", "--help"])
    assert result.exit_code == 0
    assert "Example: mlkit batch" in result.output
    assert "--executor" in result.output


def test_cli_reports_a_missing_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["batch", "--db", str(tmp_path / "none.db"), "--quiet"])
    assert result.exit_code == 2
    assert "none.db: no such file" in result.output


@pytest.mark.slow
def test_cli_renders_a_demo_store(tmp_path: Path, templates: Path) -> None:
    from mlkit.ingest import import_file
    from mlkit.store import Store
    from mlkit.synth import generate_cohort

    files = generate_cohort(3, 1, tmp_path / "csv")
    db = tmp_path / "demo.db"
    with Store.open(db) as store:
        for path in files.paths():
            import_file(path, store)
    out = tmp_path / "out"
    args = [
        "batch",
        "--db",
        str(db),
        "--out",
        str(out),
        "--kind",
        "progress",
        "--templates",
        str(templates),
        "--workers",
        "1",
        "--as-of",
        "2026-06-30",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "3 rendered, 0 up to date, 0 failed" in result.output
    assert len(list(out.glob("*_progress.html"))) == 3
    again = CliRunner().invoke(app, [*args, "--quiet"])
    assert again.exit_code == 0 and again.output == ""
