"""``mlkit demo-data``: write a synthetic cohort in the canonical import format."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from mlkit.cli.app import app, errors_to_exit

_DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]


@app.command("demo-data")
def demo_data_cmd(
    out: Annotated[
        Path, typer.Option("--out", help="Directory to write the CSV files to.", file_okay=False)
    ],
    aios: Annotated[int, typer.Option("--aios", min=1, help="Number of synthetic aios.")] = 40,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; same seed, same files.")] = 1,
    as_of: Annotated[
        datetime | None,
        typer.Option(
            "--as-of",
            formats=_DATE_FORMATS,
            help="Reference date: no record is dated later (default 30-06-2026).",
        ),
    ] = None,
) -> None:
    """Write a synthetic cohort (roster, assessments, activities, reflections) as CSV files.

    The files use the same format as a real import: UTF-8, ';'-separated, Dutch headers,
    dates as dd-mm-jjjj. Names and hospitals are fictional.

    Example: mlkit demo-data --aios 40 --seed 1 --out demo-data
    """
    from mlkit.synth import generate_cohort

    with errors_to_exit():
        files = generate_cohort(aios, seed, out, as_of=as_of.date() if as_of else None)
    for kind, path in zip(files.rows, files.paths(), strict=True):
        typer.echo(f"{path}\t{files.rows[kind]} rows")
