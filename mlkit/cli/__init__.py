"""The ``mlkit`` command line. Each module registers its subcommands on the shared app."""

from __future__ import annotations

from mlkit.cli import frameworks_cmd  # noqa: F401  (registers commands)
from mlkit.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``mlkit`` console script."""
    app()
