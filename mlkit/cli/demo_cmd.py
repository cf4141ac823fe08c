"""``mlkit demo``: the whole demo on synthetic data, as run by ``make demo``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mlkit.cli.app import app, errors_to_exit


def _render_reports(db: Path, out: Path, aios_ids: list[str]) -> tuple[list[Path], Path | None]:
    """Render both reports for the chosen aios with the batch engine (warm kernels)."""
    from mlkit.batch.progress import make_progress
    from mlkit.batch.request import BatchRequest
    from mlkit.batch.runner import run_batch
    from mlkit.batch.select import select_aios
    from mlkit.demo import DEMO_AS_OF
    from mlkit.reports.overview import overview_html

    as_of = DEMO_AS_OF.isoformat()
    chosen = [a for a in select_aios(db, as_of=as_of) if a.aios_id in aios_ids]
    request = BatchRequest(
        db=db, out=out, kinds=("progress", "summary"), lang="nl", as_of=as_of, workers=2
    )
    result = run_batch(
        chosen,
        request,
        progress=make_progress(quiet=False),
        overview_builder=overview_html,
    )
    for failed in result.failed:
        typer.echo(f"mlkit: failed: {failed.key}: {failed.reason}", err=True)
    written = sorted(p for p in out.glob("*.html") if p.name != "index.html")
    return written, result.index


@app.command("demo")
def demo_cmd(
    out: Annotated[Path, typer.Option("--out", help="Output directory.")] = Path("demo-output"),
    aios: Annotated[int, typer.Option("--aios", min=1, help="Synthetic cohort size.")] = 30,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the synthetic cohort.")] = 2026,
    reports: Annotated[int, typer.Option("--reports", min=0, help="Aios to report on.")] = 3,
) -> None:
    """Export the frameworks, build a synthetic cohort store and write reports for a few aios.

    All data is synthetic. Example: mlkit demo --out demo-output --aios 30 --reports 3
    """
    from mlkit.demo import run_demo
    from mlkit.frameworks import list_frameworks
    from mlkit.frameworks.models import status_marker

    with errors_to_exit():
        typer.echo(f"mlkit demo: writing to {out}/")
        result = run_demo(out, n_aios=aios, seed=seed, n_reports=reports, render=_render_reports)
    typer.echo(f"frameworks (CASE 1.1 JSON + Markdown): {result.frameworks_dir}/")
    for info in list_frameworks():
        marker = status_marker(info.status, "nl")
        typer.echo(
            f"  {info.id:<12} {info.items:>3} items  {info.title_nl or info.title_en}"
            f"{' ' + marker if marker else ''}"
        )
    for summary in result.imports:
        typer.echo(f"import: {summary.line()}")
    typer.echo(f"store: {result.db}")
    if result.index is not None:
        typer.echo(f"reports index: {result.index}")
    typer.echo(f"reports: {len(result.reports)} HTML files in {out / 'reports'}/")
    typer.echo("open the HTML files in a browser; no server is needed")
