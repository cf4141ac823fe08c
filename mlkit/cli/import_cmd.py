"""``mlkit import FILE``: import a roster, assessments, activities or reflections export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mlkit.cli.app import EXIT_ERROR, app, errors_to_exit, print_json
from mlkit.cli.boundary import safe_text
from mlkit.ingest import alias_table_text, import_into_db

EXIT_OK = 0  #: every row stored (or already stored)
EXIT_REJECTS = 1  #: some rows rejected; the good rows are stored
EXIT_FATAL = EXIT_ERROR  #: nothing changed (unreadable file, unknown columns, store error)

_HELP = f"""Import a CSV or XLSX export into the store.

The kind of file (roster, assessments, activities, reflections) is told from its column \
headers; import rosters first, since rows for an unknown aios are rejected. CSV may use ; , or \
tab, in UTF-8 (with or without BOM) or Windows-1252; dates dd-mm-jjjj or jjjj-mm-dd; decimal \
comma. Assessments have one row per item score; a form is the rows sharing formulier_id. A \
score that is empty, "kan niet beoordelen" or "n.v.t." means not applicable.

Each row is stored, rejected (written with row, field, value and reason to the rejects CSV, \
default NAME.rejects.csv beside FILE) or counted as a duplicate (already stored identically): \
stored + rejected + duplicates = rows read. Importing the same file twice stores nothing new; a \
changed row with a known key is stored as a correction that supersedes the old record.

Exit codes:
  {EXIT_OK}  every row stored or already present
  {EXIT_REJECTS}  some rows rejected (the good rows are stored)
  {EXIT_FATAL}  fatal error (unreadable file, no recognisable columns, a rejects file that \
cannot be written, a full disk, a store that is locked, damaged or not mlkit's): nothing was \
changed, and no new store file is left behind

Columns (Dutch canonical names; per kind the required ones first):
{alias_table_text()}

Example:
  mlkit import roster.csv --db cohort.db
  mlkit import kpb_export.xlsx --db cohort.db --json
"""


@app.command("import", help=_HELP)
def import_cmd(
    file: Annotated[Path, typer.Argument(help="The CSV or XLSX export to import.")],
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
) -> None:
    """Import a CSV or XLSX export into the store (see the long help for details)."""
    with errors_to_exit(EXIT_FATAL):
        summary = import_into_db(file, db, rejects_path=rejects)
    if as_json:
        print_json(summary.as_dict())
    else:
        typer.echo(safe_text(summary.line()))
    if not summary.ok:
        raise typer.Exit(EXIT_REJECTS)


__all__ = ["EXIT_FATAL", "EXIT_OK", "EXIT_REJECTS", "import_cmd"]
