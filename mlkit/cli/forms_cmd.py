"""``mlkit assess`` and ``mlkit lab``: the assessment form notebook, and opening a folder."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Annotated

import typer

from mlkit.cli.app import app, errors_to_exit


@app.command("assess")
def assess_cmd(
    db: Annotated[Path | None, typer.Option("--db", help="The cohort store.")] = None,
    opleider: Annotated[
        str, typer.Option("--opleider", help="Offer only this opleider's aios (per the roster).")
    ] = "",
    out: Annotated[Path, typer.Option("--out", help="The folder to write.")] = Path("beoordelen"),
    lang: Annotated[str, typer.Option("--lang", help="nl (default) or en.")] = "nl",
) -> None:
    """Write the assessment form notebook for opleiders into a folder.

    Open it with `mlkit lab DIR` (JupyterLab) or `mlkit lab DIR --app` (Voilà, code hidden).

    Example: mlkit assess --db cohort.db --opleider "dr. T. Est" --out beoordelen
    """
    from pydantic import ValidationError

    from mlkit.cli.app import fail
    from mlkit.forms.notebooks import AssessParams, prepare_assessment
    from mlkit.store import default_db_path

    with errors_to_exit():
        try:
            params = AssessParams(db=str(db or default_db_path()), opleider=opleider, lang=lang)
        except ValidationError as exc:
            fail(f"invalid option: {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}")
        notebook = prepare_assessment(params, out)
    typer.echo(f"notebook: {notebook}\nopen it with: mlkit lab {out}")


@app.command("lab")
def lab_cmd(
    folder: Annotated[Path, typer.Argument(help="A folder written by mlkit assess or reflect.")],
    app_mode: Annotated[
        bool, typer.Option("--app", help="Open in Voilà: the forms without code.")
    ] = False,
    port: Annotated[int | None, typer.Option("--port", help="Port to listen on.")] = None,
) -> None:
    """Open a prepared folder in JupyterLab (or Voilà with --app), with quiet local kernels.

    Example: mlkit lab reflectie-A0001 --app
    """
    from mlkit.forms.notebooks import lab_command

    with errors_to_exit():
        if not folder.is_dir():
            raise FileNotFoundError(2, "no such folder", str(folder))
        command = lab_command(folder.resolve(), app=app_mode, port=port)
    raise typer.Exit(subprocess.call(command))
