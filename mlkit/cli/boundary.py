"""The command line's one error boundary: every failure becomes one line on stderr.

:class:`MlkitGroup` is the root command class of the ``mlkit`` app, so every subcommand (those
registered today and any added later) runs inside it. An *expected* failure (an
:class:`~mlkit.errors.MlkitError`, an OS error, an SQLite error, undecodable text, a bad option)
prints ``mlkit: error: ...`` naming the file, row, field or option and the value, and exits with
:data:`EXIT_FATAL` (2). An *unexpected* exception prints one line with the path of a saved
traceback file (mode 0600 in the temporary directory), never the traceback itself. Control
characters in messages (terminal escape sequences from a hostile file) are shown as escapes.
"""

from __future__ import annotations

import errno
import os
import re
import sqlite3
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

from mlkit.errors import MlkitError, ValidationProblemsError

EXIT_FATAL = 2  #: an expected failure, or an unexpected one (then with a saved traceback)
EXIT_INTERRUPTED = 130  #: Ctrl-C
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_NEWLINES = re.compile(r"\r\n|\r|\n")
_MAX_MESSAGE = 2000


def safe_text(text: str, *, multiline: bool = False) -> str:
    r"""Return ``text`` with control characters shown as escapes (``\x1b``), one line by default.

    Example:
        >>> safe_text("bad\x1b[31m\nheader")
        'bad\\x1b[31m / header'
    """
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    if not multiline:
        text = _NEWLINES.sub(" / ", text)
    text = _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)
    if len(text) > _MAX_MESSAGE and not multiline:
        text = text[: _MAX_MESSAGE - 1] + "…"
    return text


def _os_message(exc: OSError) -> str:
    reason = exc.strerror or (os.strerror(exc.errno) if exc.errno else str(exc))
    if exc.errno == errno.ENOSPC:
        reason = "no space left on the device"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        reason = "permission denied"
    elif exc.errno == errno.EROFS:
        reason = "read-only file system"
    elif exc.errno == errno.EISDIR:
        reason = "is a directory, not a file"
    where = [str(f) for f in (exc.filename, exc.filename2) if f is not None]
    return f"{' -> '.join(where)}: {reason}" if where else str(reason)


def _decode_message(exc: UnicodeDecodeError) -> str:
    data = exc.object if isinstance(exc.object, bytes) else bytes(exc.object)
    line = data.count(b"\n", 0, exc.start) + 1
    bad = data[exc.start : exc.end].hex(" ")
    return (
        f"text is not valid {exc.encoding}: byte(s) {bad} at line {line} ({exc.reason});"
        " save the file as UTF-8"
    )


def _pydantic_message(exc: Exception) -> str | None:
    errors = getattr(exc, "errors", None)
    if type(exc).__name__ != "ValidationError" or not callable(errors):
        return None
    parts = []
    for err in errors():
        where = ".".join(str(p) for p in err.get("loc", ())) or "value"
        shown = f" (value: {err['input']!r})" if "input" in err else ""
        parts.append(f"{where}: {err.get('msg', 'invalid')}{shown}")
    return "; ".join(parts)


def describe(exc: BaseException) -> str | None:
    """Return the one-line message for an expected failure, or None for an unexpected one.

    Example:
        >>> describe(FileNotFoundError(2, "No such file or directory", "x.csv"))
        'x.csv: No such file or directory'
    """
    if isinstance(exc, MlkitError):
        return str(exc)
    if isinstance(exc, UnicodeDecodeError):
        return _decode_message(exc)
    if isinstance(exc, sqlite3.Error):
        name = getattr(exc, "sqlite_errorname", "")
        if name == "SQLITE_FULL":
            return "the store's disk is full: nothing was changed; free some space and retry"
        if name.startswith("SQLITE_BUSY"):
            return "the store is locked by another process: try again when it has finished"
        return f"store error: {exc}" + (f" [{name}]" if name else "")
    if isinstance(exc, OSError):
        return _os_message(exc)
    if isinstance(exc, Exception):
        return _pydantic_message(exc)
    return None


def save_traceback(exc: BaseException) -> Path:
    """Write ``exc``'s traceback to a new file (mode 0600) in the temporary directory."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    fd, name = tempfile.mkstemp(prefix=f"mlkit-crash-{stamp}-", suffix=".txt")
    with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as fh:
        fh.write(f"mlkit {' '.join(sys.argv[1:])}\n\n")
        fh.write("".join(traceback.format_exception(exc)))
    return Path(name)


def report(exc: BaseException) -> int:
    """Print the one-line message for ``exc`` on stderr; return the exit code to use."""
    if isinstance(exc, KeyboardInterrupt):
        _echo("interrupted")
        return EXIT_INTERRUPTED
    if isinstance(exc, ValidationProblemsError):
        _echo(safe_text(str(exc), multiline=True))
        return EXIT_FATAL
    message = describe(exc)
    if message is not None:
        _echo(safe_text(message))
        return EXIT_FATAL
    try:
        where = f"traceback saved to {save_traceback(exc)}"
    except OSError as save_error:
        where = f"the traceback could not be saved: {_os_message(save_error)}"
    _echo(safe_text(f"unexpected {type(exc).__name__}: {exc} (a bug in mlkit; {where})"))
    return EXIT_FATAL


def _echo(message: str) -> None:
    typer.echo(f"mlkit: error: {message}", err=True)


def _usage_line(exc: typer.TyperException) -> str:
    ctx = getattr(exc, "ctx", None)
    text = exc.format_message()
    if ctx is None:
        return text
    return f"{ctx.command_path}: {text} (see `{ctx.command_path} --help`)"


class MlkitGroup(TyperGroup):
    """The root command: runs every subcommand inside the error boundary."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command line; in standalone mode, exit with the documented code."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        try:
            result = super().main(
                args, prog_name, complete_var, False, windows_expand_args, **extra
            )
        except typer.Exit as exc:  # pragma: no cover - returned, not raised, by typer
            sys.exit(exc.exit_code)
        except typer.Abort:
            _echo("aborted")
            sys.exit(1)
        except typer.TyperException as exc:  # click's usage errors
            if type(exc).__name__ == "NoArgsIsHelpError":
                typer.echo(exc.format_message(), err=True)
            else:
                _echo(safe_text(_usage_line(exc)))
            sys.exit(getattr(exc, "exit_code", EXIT_FATAL))
        except (Exception, KeyboardInterrupt) as exc:
            sys.exit(report(exc))
        sys.exit(result if isinstance(result, int) else 0)


__all__ = ["EXIT_FATAL", "EXIT_INTERRUPTED", "MlkitGroup", "describe", "report", "safe_text"]
