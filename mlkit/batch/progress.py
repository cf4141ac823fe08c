"""Batch progress: a rich bar with count and ETA on a terminal, plain lines otherwise, or nothing.

Example:
    >>> progress = make_progress(quiet=False)
    >>> progress.start(total=120)
    >>> progress.advance("A0001_progress", "ok")
    >>> progress.close()
"""

from __future__ import annotations

import sys
import time
from typing import Any, Protocol, TextIO


class BatchProgress(Protocol):
    """What the batch runner reports to."""

    def start(self, total: int) -> None:
        """Begin, with the number of reports to render (skipped ones included)."""

    def advance(self, key: str, status: str, reason: str | None = None) -> None:
        """One report finished with ``status``."""

    def close(self) -> None:
        """The batch ended (or was interrupted)."""


class QuietProgress:
    """Reports nothing (``--quiet``)."""

    def start(self, total: int) -> None:
        """Do nothing."""

    def advance(self, key: str, status: str, reason: str | None = None) -> None:
        """Do nothing."""

    def close(self) -> None:
        """Do nothing."""


class LineProgress:
    """One plain line per report, for logs and pipes: ``[3/120] A0003_progress ok  eta 0:41``."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.total = 0
        self.done = 0
        self._started = 0.0

    def start(self, total: int) -> None:
        """Print the number of reports."""
        self.total, self.done, self._started = total, 0, time.monotonic()
        print(f"batch: {total} report(s)", file=self.stream, flush=True)

    def advance(self, key: str, status: str, reason: str | None = None) -> None:
        """Print one line for a finished report, with the estimated time left."""
        self.done += 1
        elapsed = time.monotonic() - self._started
        left = int(elapsed / self.done * (self.total - self.done)) if self.done else 0
        line = f"[{self.done}/{self.total}] {key} {status}  eta {left // 60}:{left % 60:02d}"
        if reason:
            line += f"  ({reason})"
        print(line, file=self.stream, flush=True)

    def close(self) -> None:
        """Nothing to clean up."""


class RichProgress:
    """A rich progress bar with count, elapsed time and ETA."""

    def __init__(self, stream: TextIO | None = None) -> None:
        from rich.console import Console

        self._console = Console(file=stream or sys.stderr)
        self._bar: Any = None
        self._task: Any = None
        self.failed = 0

    def start(self, total: int) -> None:
        """Show the bar."""
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._bar = Progress(
            TextColumn("[bold]reports"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed"),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            console=self._console,
            transient=False,
        )
        self._bar.start()
        self._task = self._bar.add_task("batch", total=total, failed=0)

    def advance(self, key: str, status: str, reason: str | None = None) -> None:
        """Move the bar; print failures above it."""
        if status == "failed":
            from rich.markup import escape

            self.failed += 1
            self._console.print(
                f"[red]failed[/red] {escape(key)}: {escape(str(reason))}", highlight=False
            )
        self._bar.update(self._task, advance=1, failed=self.failed)

    def close(self) -> None:
        """Stop the bar."""
        if self._bar is not None:
            self._bar.stop()


def make_progress(*, quiet: bool = False, stream: TextIO | None = None) -> BatchProgress:
    """Return the progress reporter that fits: quiet, a rich bar on a terminal, or plain lines."""
    if quiet:
        return QuietProgress()
    out = stream or sys.stderr
    if out.isatty():
        return RichProgress(out)
    return LineProgress(out)
