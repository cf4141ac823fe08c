"""One batch per output directory: an exclusive lock on ``<out>/.mlkit-batch.lock``.

The lock is an OS file lock (``flock``), so it is released when the holding process ends, even
when it is killed; a stale lock file on disk is harmless. The file holds the holder's host and
process id, which the second batch names in its message.
"""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path
from types import TracebackType

from mlkit.batch.errors import BatchLockedError, OutputDirError

LOCK_NAME = ".mlkit-batch.lock"


class OutputLock:
    """Exclusive lock on one output directory, held for the whole batch.

    Args:
        out_dir: The batch's output directory (must exist).
        wait: Seconds to wait for another batch to finish before refusing (0: refuse at once).

    Example:
        >>> with OutputLock(Path("reports")):
        ...     ...  # render, write manifest.json and index.html
    """

    def __init__(self, out_dir: Path, *, wait: float = 0.0) -> None:
        self.path = out_dir / LOCK_NAME
        self.wait = wait
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, waiting up to ``wait`` seconds.

        Raises:
            BatchLockedError: when another batch still holds it.
            OutputDirError: when the lock file cannot be created (a read-only directory).
        """
        import fcntl

        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise OutputDirError(
                str(self.path.parent), f"cannot write here ({exc.strerror or exc})"
            ) from exc
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
                    os.close(fd)
                    raise BatchLockedError(str(self.path.parent), holder) from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"host {socket.gethostname()}, pid {os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        """Release the lock (the file stays; it is harmless)."""
        import fcntl

        fd, self._fd = self._fd, None
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
