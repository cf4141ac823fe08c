"""The root Typer application and helpers shared by every subcommand module."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, NoReturn

import typer

from mlkit import __version__
from mlkit.cli.boundary import EXIT_FATAL, MlkitGroup, safe_text
from mlkit.errors import MlkitError, ValidationProblemsError

EXIT_ERROR = EXIT_FATAL

app = typer.Typer(
    name="mlkit",
    cls=MlkitGroup,
    help="Medisch leiderschap: frameworks, assessments and progress reports for aios.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
frameworks_app = typer.Typer(
    help="List, show, export and validate leadership frameworks.", no_args_is_help=True
)
app.add_typer(frameworks_app, name="frameworks")
curricula_app = typer.Typer(
    help="List, show and validate curricula (expected levels and evidence per training year).",
    no_args_is_help=True,
)
app.add_typer(curricula_app, name="curricula")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mlkit {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Medisch leiderschap made assessable: frameworks, assessments and reports."""


def fail(message: str, code: int = EXIT_ERROR) -> NoReturn:
    """Print a one-line error on stderr and exit with ``code``."""
    typer.echo(f"mlkit: error: {safe_text(message)}", err=True)
    raise typer.Exit(code)


@contextmanager
def errors_to_exit(code: int = EXIT_ERROR) -> Iterator[None]:
    """Turn an MlkitError (or a missing file) into a message on stderr and exit with ``code``.

    Every other failure is caught by the app's error boundary (:mod:`mlkit.cli.boundary`).
    """
    try:
        yield
    except ValidationProblemsError as exc:
        typer.echo(f"mlkit: error: {safe_text(str(exc), multiline=True)}", err=True)
        raise typer.Exit(code) from exc
    except MlkitError as exc:
        fail(str(exc), code)
    except FileNotFoundError as exc:
        fail(f"{exc.filename}: no such file", code)


def print_json(data: Any) -> None:
    """Print ``data`` as indented JSON on stdout."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
