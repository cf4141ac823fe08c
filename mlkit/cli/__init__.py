"""The ``mlkit`` command line. Each module registers its subcommands on the shared app."""

from __future__ import annotations

from mlkit.cli import (  # noqa: F401  (importing a module registers its commands)
    batch_cmd,
    curricula_cmd,
    demo_cmd,
    demo_data_cmd,
    forms_cmd,
    frameworks_cmd,
    import_cmd,
    meeting_cmd,
    report_cmd,
)
from mlkit.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``mlkit`` console script."""
    app()
