"""Quiet local kernels: IPC transport instead of TCP, and no SIGINT at a clean shutdown.

A kernel started over TCP without CurveZMQ keys warns "Kernel is running over TCP without
encryption" on every run; one started over IPC (Unix sockets in the Jupyter runtime folder, where
only the user can reach them) does not. jupyter_client interrupts a kernel before asking it to
shut down, which an idle kernel sometimes logs as "KeyboardInterrupt caught in kernel" although
the run succeeded; :class:`QuietKernelManager` asks politely first and only then falls back.
"""

from __future__ import annotations

import sys
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from traitlets import Unicode

#: Command-line options that give a Jupyter server (JupyterLab, Voilà) the same quiet kernels.
SERVER_ARGS = ("--KernelManager.transport=ipc",)


def ipc_supported() -> bool:
    """True where IPC transport works (not on Windows)."""
    return sys.platform != "win32"


class QuietKernelManager(AsyncKernelManager):
    """An async kernel manager using IPC transport, shutting down without an interrupt."""

    transport = Unicode("ipc" if ipc_supported() else "tcp", config=True)

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


def quiet_engine_kwargs() -> dict[str, Any]:
    """Keyword arguments for ``papermill.execute_notebook`` that start a quiet kernel."""
    return {"kernel_manager_class": QuietKernelManager}


__all__ = ["SERVER_ARGS", "QuietKernelManager", "ipc_supported", "quiet_engine_kwargs"]
