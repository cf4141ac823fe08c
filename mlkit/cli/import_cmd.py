"""``mlkit import FILE``: import a roster, assessments, activities or reflections export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand

from mlkit.cli.app import EXIT_ERROR, app, errors_to_exit, fail, print_json
from mlkit.cli.boundary import safe_text

if TYPE_CHECKING:
    from mlkit.ingest import ImportSummary

EXIT_OK = 0  #: every row stored (or already stored)
EXIT_REJECTS = 1  #: some rows rejected; the good rows are stored
EXIT_FATAL = EXIT_ERROR  #: nothing changed (unreadable file, unknown columns, store error)

_HELP = """Import a CSV or XLSX export into the store.

The kind of file (roster, assessments, activities, reflections) is told from its column \
headers; import rosters first, since rows for an unknown aios are rejected. CSV may use ; , or \
tab, in UTF-8 (with or without BOM) or Windows-1252; dates dd-mm-jjjj or jjjj-mm-dd; decimal \
comma. Assessments have one row per item score; a form is the rows sharing formulier_id. A \
score that is empty, "kan niet beoordelen" or "n.v.t." means not applicable.

Each row is stored, rejected (written with row, field, value and reason to the rejects CSV, \
default NAME.rejects.csv beside FILE) or counted as a duplicate (already stored identically): \
stored + rejected + duplicates = rows read. Importing the same file twice stores nothing new; a \
changed row with a known key is stored as a correction that supersedes the old record.

A roster's specialty must name a curriculum (its code, Dutch or English name, or an alias; \
`mlkit curricula list` shows them); other names are rejected, never given the default \
curriculum. The optional roster columns deeltijdfactor (per cent), verlenging_maanden and \
onderbreking_maanden set the training year and the expected end date.

Exit codes:
  {ok}  every row stored or already present
  {rejects}  some rows rejected (the good rows are stored)
  {fatal}  fatal error (unreadable file, no recognisable columns, a rejects file that \
cannot be written, a full disk, a store that is locked, damaged or not mlkit's): nothing was \
changed, and no new store file is left behind

Columns (Dutch canonical names; per kind the required ones first):
{columns}

Vendor exports (wide, one row per form, names instead of ids, text ratings, US dates) are read \
through an import profile: --profile NAME (or the path of a profile .yaml). Without --profile, \
a file that is not in mlkit's own layout is matched against the profiles by its headers. \
--list-profiles shows the bundled ones and those in $MLKIT_PROFILES_PATH.

Example:
  mlkit import roster.csv --db cohort.db
  mlkit import roster.csv --db cohort.db --curricula mijn-curricula/
  mlkit import kpb_export.xlsx --db cohort.db --json
  mlkit import observation_report.xlsx --profile royal_college_osr --db cohort.db
  mlkit import --list-profiles
"""


def import_help() -> str:
    """Return the long help of ``mlkit import``, with the column table of the importer."""
    from mlkit.ingest import alias_table_text

    return _HELP.format(
        ok=EXIT_OK, rejects=EXIT_REJECTS, fatal=EXIT_FATAL, columns=alias_table_text()
    )


class _ImportCommand(TyperCommand):
    """``mlkit import``: its long help is built when shown, so other commands start fast."""

    def format_help(self, ctx: Any, formatter: Any) -> Any:  # typer's own click types
        self.help = import_help()
        return super().format_help(ctx, formatter)


@app.command(
    "import",
    cls=_ImportCommand,
    help=_HELP.partition("\n")[0],
    short_help=_HELP.partition("\n")[0],
)
def import_cmd(
    file: Annotated[
        Path | None, typer.Argument(help="The CSV or XLSX export to import.", show_default=False)
    ] = None,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="The store (default: $MLKIT_DB, else ./mlkit.db).",
            envvar="MLKIT_DB",
            show_envvar=False,
        ),
    ] = None,
    rejects: Annotated[
        Path | None,
        typer.Option("--rejects", help="Where to write rejected rows (default NAME.rejects.csv)."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the summary as a JSON object.")
    ] = False,
    profile: Annotated[
        str | None,
        typer.Option("--profile", help="Import profile name or .yaml path for a vendor export."),
    ] = None,
    list_profiles: Annotated[
        bool, typer.Option("--list-profiles", help="List the import profiles and exit.")
    ] = False,
    curricula: Annotated[
        Path | None,
        typer.Option(
            "--curricula",
            help="Directory of curriculum files whose specialty names a roster may use "
            "(default: $MLKIT_CURRICULA_PATH).",
            exists=True,
            file_okay=False,
        ),
    ] = None,
) -> None:
    """Import a CSV or XLSX export into the store (see the long help for details)."""
    from mlkit.ingest import Reference
    from mlkit.ingest.profiles import import_any_into_db

    if list_profiles:
        _print_profiles(as_json)
        return
    if file is None:
        fail("missing argument FILE (or give --list-profiles); see mlkit import --help", EXIT_FATAL)
    summary: ImportSummary
    with errors_to_exit(EXIT_FATAL):
        reference = Reference.load(curricula) if curricula is not None else None
        summary = import_any_into_db(
            file, db, rejects_path=rejects, profile=profile, reference=reference
        )
    if as_json:
        print_json(summary.as_dict())
    else:
        typer.echo(safe_text(summary.line()))
    if not summary.ok:
        raise typer.Exit(EXIT_REJECTS)


def _print_profiles(as_json: bool) -> None:
    from mlkit.ingest.profiles import load_profiles

    with errors_to_exit(EXIT_FATAL):
        profiles = load_profiles()
    rows = [
        {
            "name": p.name,
            "format": str(p.format),
            "status": str(p.status),
            "extends": p.extends,
            "title": p.title,
        }
        for p in profiles.values()
    ]
    if as_json:
        print_json(rows)
        return
    for row in rows:
        base = f" (extends {row['extends']})" if row["extends"] else ""
        typer.echo(f"{row['name']}  [{row['format']}, {row['status']}]{base}  {row['title']}")


__all__ = ["EXIT_FATAL", "EXIT_OK", "EXIT_REJECTS", "import_cmd"]
