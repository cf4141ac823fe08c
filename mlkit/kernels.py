"""Quiet local kernels, and :class:`Kernel`: one kernel the caller starts, keeps and shuts down.

A kernel started over TCP without CurveZMQ keys warns "Kernel is running over TCP without
encryption" on every run; one started over IPC (Unix sockets in the Jupyter runtime folder, where
only the user can reach them) does not. jupyter_client interrupts a kernel before asking it to
shut down, which an idle kernel sometimes logs as "KeyboardInterrupt caught in kernel" although
the run succeeded; :class:`QuietKernelManager` asks politely first and only then falls back.

A :class:`Kernel` is started through jupyter_client's public API (a kernel manager and its
client). Notebooks run on it through :func:`mlkit.reports.execute.execute`, which hands the
manager to nbclient; nbclient leaves a kernel it did not start running, so one kernel can run
notebook after notebook (the batch's warm kernels).
"""

from __future__ import annotations

import logging
import sys
import uuid
from pathlib import Path
from typing import Any

from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.localinterfaces import localhost
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.paths import jupyter_runtime_dir
from jupyter_core.utils import run_sync
from traitlets import Unicode, default

from mlkit.errors import MlkitError

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())  # a failed shutdown is not the user's business

#: Command-line options that give a Jupyter server (JupyterLab, Voilà) the same quiet kernels.
SERVER_ARGS = ("--KernelManager.transport=ipc",)


def ipc_supported() -> bool:
    """True where IPC transport works (not on Windows)."""
    return sys.platform != "win32"


class QuietKernelManager(AsyncKernelManager):
    """An async kernel manager using IPC transport, shutting down without an interrupt.

    Each kernel gets its own socket names in the Jupyter runtime folder; without a connection
    file given, jupyter_client names them ``kernel-ipc-N`` in the working directory, and two
    kernels starting at the same time can both pick the same ``N``.
    """

    transport = Unicode("ipc" if ipc_supported() else "tcp", config=True)

    @default("ip")
    def _unique_ipc_path(self) -> str:
        if self.transport != "ipc":
            return str(localhost())
        runtime = Path(jupyter_runtime_dir())
        runtime.mkdir(parents=True, exist_ok=True)
        return str(runtime / f"mlkit-kernel-{uuid.uuid4().hex[:16]}-ipc")

    async def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:  # type: ignore[override]
        """Ask the kernel to shut down and wait; kill it only when it does not stop."""
        if now or restart or not self.has_kernel:
            await super().shutdown_kernel(now=now, restart=restart)
            return
        self.shutting_down = True
        self.stop_restarter()
        await self.request_shutdown()
        await self.finish_shutdown()
        await self.cleanup_resources()


KERNEL_ARGS = ("--IPKernelApp.log_level=ERROR", "--HistoryManager.hist_file=:memory:")
"""Kernel command-line options: no start-up chatter, no history file (as nbclient starts them)."""


class KernelStartError(MlkitError, RuntimeError):
    """A kernel could not be started or warmed up."""

    def __init__(self, kernel_name: str, reason: str) -> None:
        self.kernel_name = kernel_name
        self.reason = reason
        super().__init__(f"kernel {kernel_name!r} could not be started: {reason}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.kernel_name, self.reason))


class Kernel:
    """One quiet ipykernel that the caller owns: it runs until :meth:`close`.

    Use it from one thread only: its event loop and ZMQ sockets belong to the thread that
    started it.

    Args:
        kernel_name: Kernel spec to start.
        startup_timeout: Seconds to wait for the kernel to answer after start.
        cwd: Working directory of the kernel (default: the current one, as papermill does).
        shutdown_now: Kill the kernel at :meth:`close` instead of asking it to stop.

    Example:
        >>> kernel = Kernel()
        >>> executed = execute(template, parameters, kernel=kernel)  # starts it on first use
        >>> kernel.close()
    """

    def __init__(
        self,
        kernel_name: str = "python3",
        *,
        startup_timeout: int = 60,
        cwd: Path | None = None,
        shutdown_now: bool = False,
    ) -> None:
        self.kernel_name = kernel_name
        self.startup_timeout = startup_timeout
        self.cwd = cwd or Path.cwd()
        self.shutdown_now = shutdown_now
        self.km: QuietKernelManager | None = None
        self.kc: AsyncKernelClient | None = None
        self.language_info: dict[str, Any] = {}

    @property
    def alive(self) -> bool:
        """Whether a kernel was started and not closed since."""
        return self.km is not None

    @property
    def pid(self) -> int | None:
        """Process id of the kernel, if one is running (for tests and memory sampling)."""
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        return getattr(process, "pid", None)

    def start(self) -> None:
        """(Re)start the kernel and connect a client to it.

        Raises:
            KernelStartError: when the kernel does not start or does not answer.
        """
        self.close()
        self.km = QuietKernelManager(kernel_name=self.kernel_name)
        try:
            run_sync(self.km.start_kernel)(extra_arguments=list(KERNEL_ARGS), cwd=str(self.cwd))
            self.kc = self.km.client()
            self.kc.allow_stdin = False
            self.kc.start_channels()
            run_sync(self.kc.wait_for_ready)(timeout=self.startup_timeout)
            self.language_info = run_sync(self._language_info)()
        except Exception as exc:
            self.close()
            raise KernelStartError(self.kernel_name, f"{type(exc).__name__}: {exc}") from exc

    async def _language_info(self) -> dict[str, Any]:
        assert self.kc is not None
        reply = await self.kc.kernel_info(reply=True, timeout=self.startup_timeout)
        return dict(reply["content"].get("language_info", {}))

    def ready(self) -> Kernel:
        """Make the kernel ready for the next notebook (start it if needed) and return it.

        The executor calls this right before it runs a notebook; subclasses reset or restart
        here.
        """
        if not self.alive:
            self.start()
        return self

    def close(self) -> None:
        """Shut the kernel down and release its sockets; safe to call twice."""
        km, kc = self.km, self.kc
        self.km = self.kc = None
        if km is None:
            return
        try:
            if run_sync(km.is_alive)():
                run_sync(km.shutdown_kernel)(now=self.shutdown_now)
        except Exception as exc:  # a dead kernel may refuse a clean shutdown
            log.warning("kernel shutdown: %s", exc)
        finally:
            try:
                run_sync(km.cleanup_resources)()
            except Exception as exc:
                log.warning("kernel clean-up: %s", exc)
            if kc is not None:
                kc.stop_channels()


__all__ = [
    "KERNEL_ARGS",
    "SERVER_ARGS",
    "Kernel",
    "KernelStartError",
    "QuietKernelManager",
    "ipc_supported",
]
