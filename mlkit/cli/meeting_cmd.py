"""``mlkit meeting``: the committee notebook, and the decisions as CSV for the ePortfolio."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mlkit.cli.app import app, errors_to_exit


@app.command("meeting")
def meeting_cmd(
    db: Annotated[Path | None, typer.Option("--db", help="The cohort store.")] = None,
    out: Annotated[Path, typer.Option("--out", help="The folder to write.")] = Path("commissie"),
    lang: Annotated[str, typer.Option("--lang", help="nl (default) or en.")] = "nl",
    as_of: Annotated[
        str, typer.Option("--as-of", help="Reference date of the proposals (default today).")
    ] = "",
    recorded_by: Annotated[
        str, typer.Option("--recorded-by", help="Who records (pre-filled on every card).")
    ] = "",
    export_csv: Annotated[
        Path | None,
        typer.Option("--export-csv", help="Write every decision to this CSV file instead."),
    ] = None,
) -> None:
    """Write the committee notebook (one card per aios), or export the decisions as CSV.

    Open the notebook with `mlkit lab DIR` (JupyterLab) or `mlkit lab DIR --app` (Voilà).

    Example: mlkit meeting --db cohort.db --out commissie
    Example: mlkit meeting --db cohort.db --export-csv besluiten.csv
    """
    from pydantic import ValidationError

    from mlkit.cli.app import fail
    from mlkit.meeting.notebook import MeetingParams, prepare_meeting
    from mlkit.reports.inputs import StoreMissingError
    from mlkit.store import default_db_path

    path = db or default_db_path()
    with errors_to_exit():
        if export_csv is not None:
            from mlkit.meeting.decisions import export_csv as write_decisions
            from mlkit.store import Store

            if not path.is_file():
                raise StoreMissingError(path)
            with Store.open(path) as store:
                n = write_decisions(store, export_csv)
            typer.echo(f"decisions: {n}\ncsv: {export_csv}")
            return
        try:
            params = MeetingParams(db=str(path), lang=lang, as_of=as_of, recorded_by=recorded_by)
        except ValidationError as exc:
            fail(f"invalid option: {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}")
        notebook = prepare_meeting(params, out)
    typer.echo(f"notebook: {notebook}\nopen it with: mlkit lab {out}")
