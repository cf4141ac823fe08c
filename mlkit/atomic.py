"""Atomic file writes: a temporary file in the same directory, fsync, then ``os.replace``.

A crash or a kill leaves either the old file or the new one, never a truncated file. Every file
is created with mode 0600 (owner read and write only; ``tempfile.mkstemp``'s mode), whatever the
umask: exports, rejects files and reports may hold personal data. Widen it with ``chmod`` when a
file is meant to be shared.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _temp_copy(path: Path, data: bytes) -> Path:
    """Write ``data`` to a synced temporary file beside ``path`` and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, creating parent directories."""
    tmp = _temp_copy(path, data)
    try:
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_new(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, but only when ``path`` does not exist yet.

    The temporary file is hard-linked to ``path``, which fails when ``path`` exists, so two
    writers never overwrite each other's file (versioned files are written this way).

    Raises:
        FileExistsError: when ``path`` already exists (nothing is written).
    """
    tmp = _temp_copy(path, data)
    try:
        os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
