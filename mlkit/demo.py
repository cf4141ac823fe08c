"""The demo: framework exports, a synthetic cohort in a store, and reports for a few aios.

Everything here is synthetic; ``make demo`` runs :func:`run_demo` through ``mlkit demo``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from mlkit.atomic import write_text_atomic
from mlkit.frameworks import load_all, write_case
from mlkit.frameworks.tables import export_markdown
from mlkit.ingest import ImportSummary, import_file
from mlkit.store import Store
from mlkit.synth import generate_cohort
from mlkit.synth.cohort import DEFAULT_AS_OF

DEMO_AS_OF = DEFAULT_AS_OF  # one reference date for the synthetic data and its reports


@dataclass
class DemoResult:
    """What the demo wrote."""

    out_dir: Path
    frameworks_dir: Path
    db: Path
    imports: list[ImportSummary] = field(default_factory=list)
    reports: list[Path] = field(default_factory=list)
    index: Path | None = None


def export_frameworks(out_dir: Path) -> list[Path]:
    """Write every bundled framework as CASE 1.1 JSON and Markdown into ``out_dir``."""
    written = []
    for fw in load_all().values():
        case_path = out_dir / f"{fw.id}.case.json"
        write_case(fw, case_path)
        md_path = out_dir / f"{fw.id}.md"
        write_text_atomic(md_path, export_markdown(fw, "nl"))
        written += [case_path, md_path]
    return written


def build_demo_store(
    data_dir: Path, db: Path, n_aios: int, seed: int, as_of: date = DEMO_AS_OF
) -> list[ImportSummary]:
    """Generate a synthetic cohort into ``data_dir`` and import it into the store ``db``.

    Returns:
        One summary per imported file (roster first).
    """
    files = generate_cohort(n_aios, seed, data_dir, as_of=as_of)
    summaries = []
    with Store.open(db) as store:
        for path in (files.roster, files.assessments, files.activities, files.reflections):
            summaries.append(import_file(path, store, today=as_of))
    return summaries


def run_demo(
    out_dir: Path,
    *,
    n_aios: int = 30,
    seed: int = 2026,
    n_reports: int = 3,
    render: Callable[[Path, Path, list[str]], tuple[list[Path], Path | None]] | None = None,
    as_of: date = DEMO_AS_OF,
) -> DemoResult:
    """Build the whole demo in ``out_dir``.

    Args:
        out_dir: Where to write everything.
        n_aios: Size of the synthetic cohort.
        seed: Seed of the synthetic cohort (same seed, same data).
        n_reports: For how many aios to write reports.
        render: Renders reports for ``(db, reports_dir, aios_ids)`` and returns their HTML paths
            and an index page; the CLI passes the batch renderer.
        as_of: Reference date of the synthetic data and the reports.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    db = out_dir / "demo.db"
    for stale in (db, db.with_name("demo.db-wal"), db.with_name("demo.db-shm")):
        stale.unlink(missing_ok=True)
    result = DemoResult(out_dir, out_dir / "frameworks", db)
    export_frameworks(result.frameworks_dir)
    result.imports = build_demo_store(out_dir / "data", db, n_aios, seed, as_of)
    if render is not None and n_reports:
        with Store.open(db) as store:
            forms_per_aios = store.forms().groupby("aios_id").size()
        # the aios with the most evidence make the most instructive demo reports
        ids = sorted(forms_per_aios.sort_values(ascending=False).index[:n_reports])
        result.reports, result.index = render(db, out_dir / "reports", ids)
    return result
