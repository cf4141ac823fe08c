"""``mlkit report`` and ``mlkit reflect``: render one aios' report notebooks.

The options mirror the fields of the report parameter models (:mod:`mlkit.reports.params`,
named by ``ReportParams.option_name``), with the same defaults; the options in
:data:`COMMAND_ONLY` are the commands' own. A test keeps them in step.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mlkit.cli.app import app, errors_to_exit

DbOpt = Annotated[
    Path | None, typer.Option("--db", help="The store (default: $MLKIT_DB or ./mlkit.db).")
]
OutOpt = Annotated[Path, typer.Option("--out", help="Output directory.")]
LangOpt = Annotated[str, typer.Option("--lang", help="Report language: nl (default) or en.")]
AsOfOpt = Annotated[
    str,
    typer.Option("--as-of", help="Reference date YYYY-MM-DD or dd-mm-jjjj (default: today)."),
]
FrameworksOpt = Annotated[
    Path | None,
    typer.Option(
        "--frameworks",
        help="Directory of framework files overriding the bundled ones.",
        exists=True,
        file_okay=False,
    ),
]
CurriculaOpt = Annotated[
    Path | None,
    typer.Option(
        "--curricula",
        help="Directory of curriculum files overriding or extending the bundled ones "
        "(default: $MLKIT_CURRICULA_PATH).",
        exists=True,
        file_okay=False,
    ),
]
COMMAND_ONLY: dict[str, frozenset[str]] = {
    "report": frozenset({"--kind", "--out"}),
    "reflect": frozenset({"--out", "--collect", "--rejects"}),
}
"""Options that are not report parameters: what to render, where to, and merging back."""

AiosArg = Annotated[str, typer.Argument(metavar="AIOS_ID", help="Pseudonymous aios id.")]


class Kind(StrEnum):
    """Report kinds of ``mlkit report``."""

    PROGRESS = "progress"
    SUMMARY = "summary"


def _values(
    aios_id: str,
    db: Path | None,
    lang: str,
    as_of: str,
    frameworks: Path | None,
    curricula: Path | None,
) -> dict[str, object]:
    """The report parameters from the options; the model resolves the defaults (None)."""
    from mlkit.reports.params import normalise_as_of

    return {
        "aios_id": aios_id,
        "db": db,
        "lang": lang,
        "as_of": normalise_as_of(as_of) or None,  # one line for a bad date, before the rest
        "frameworks_dir": frameworks,
        "curricula_dir": curricula,
    }


@app.command("report")
def report_cmd(
    aios_id: AiosArg,
    kind: Annotated[Kind, typer.Option("--kind", help="progress or summary.")] = Kind.PROGRESS,
    db: DbOpt = None,
    out: OutOpt = Path("reports"),
    lang: LangOpt = "nl",
    as_of: AsOfOpt = "",
    frameworks: FrameworksOpt = None,
    curricula: CurriculaOpt = None,
) -> None:
    """Render one aios' progress report or assessment summary (notebook, HTML, JSON).

    Parameters are validated before a kernel starts.

    Example: mlkit report A0001 --kind progress --db demo.db --out reports --lang en
    """
    from mlkit.reports import params_for, render_report

    with errors_to_exit():
        params = params_for(kind.value, _values(aios_id, db, lang, as_of, frameworks, curricula))
        outputs = render_report(params, out)
    typer.echo(f"html: {outputs.html}\nnotebook: {outputs.notebook}\nsidecar: {outputs.sidecar}")


@app.command("reflect")
def reflect_cmd(
    aios_id: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="AIOS_ID | DIR...",
            help="The aios to prepare a folder for; with --collect, the folders to merge back.",
        ),
    ] = None,
    db: DbOpt = None,
    out: Annotated[Path | None, typer.Option("--out", help="The folder to write.")] = None,
    lang: LangOpt = "nl",
    as_of: AsOfOpt = "",
    frameworks: FrameworksOpt = None,
    curricula: CurriculaOpt = None,
    collect: Annotated[
        bool, typer.Option("--collect", help="Merge the saved reflections of DIR... back.")
    ] = False,
    rejects: Annotated[
        Path | None, typer.Option("--rejects", help="With --collect: where refusals are listed.")
    ] = None,
) -> None:
    """Prepare a self-reflection folder for one aios, or merge saved folders back.

    The folder holds a notebook with a form and a personal extract: a store with that aios'
    records only; the cohort store is not named in it. Open it with `mlkit lab DIR`. Merging
    back validates every saved form again, stores each once and accounts for every row.

    Example: mlkit reflect A0001 --db cohort.db --out reflectie-A0001
             mlkit reflect --collect reflectie-A0001 reflectie-A0002 --db cohort.db
    """
    from mlkit.cli.app import fail
    from mlkit.store import default_db_path

    args = aios_id or []
    with errors_to_exit():
        if collect:
            from mlkit.forms.extract import collect_extracts

            if not args:
                fail("--collect needs one or more folders")
            cohort = db or default_db_path()
            summary = collect_extracts([Path(a) for a in args], cohort, rejects_path=rejects)
            typer.echo(summary.line())
            if summary.rejected:
                raise typer.Exit(1)
            return
        from mlkit.reports.reflection import prepare_reflection

        if len(args) != 1:
            fail("give one AIOS_ID (or --collect DIR...)")
        values = _values(args[0], db, lang, as_of, frameworks, curricula)
        folder = prepare_reflection(values, out or Path(f"reflectie-{args[0]}"))
    typer.echo(f"notebook: {folder.notebook}\nextract: {folder.extract}")
