"""Scale a batch out to a Dask cluster: the same per-report work, one warm kernel per worker thread.

How a committee (or its IT department) points a batch at a cluster:

1. Install mlkit with the ``dask`` extra on the machine that starts the batch *and* on every
   worker machine, in the same version (``pip install "mlkit[dask]"``); the workers execute the
   notebooks, so they need the report template's libraries and a ``python3`` kernel spec.
2. Put the store, the templates and the output directory on a file system every worker sees
   under the same path (a network share), because the workers read the store and write the
   reports themselves. Pass absolute paths, or run from the share.
3. Start a scheduler and workers, for example::

       dask scheduler --port 8786                         # on the head node
       dask worker tcp://head:8786 --nthreads 2 --nworkers 4   # on each worker node

   (or use ``dask-jobqueue`` / ``dask-kubernetes`` to get them from SLURM or Kubernetes).
4. Run the batch against the scheduler::

       mlkit batch --db /share/mlkit.db --out /share/reports --executor dask://head:8786

Each worker thread gets its own warm kernel, created lazily on the first report it renders and
kept for the rest of the batch (a worker plugin owns them and shuts them down when the batch
ends). Results stream back to the machine that started the batch, which keeps ``manifest.json``
and writes ``index.html``, so resume works as in a local batch.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Iterator, Sequence
from functools import partial
from typing import Any, cast

from distributed.diagnostics.plugin import WorkerPlugin

from mlkit.batch.errors import SchedulerUnreachableError
from mlkit.batch.jobs import JobResult, ReportJob, render_job
from mlkit.batch.kernel_pool import KernelPool

PLUGIN_NAME = "mlkit-kernel-pool"
CONNECT_TIMEOUT = 10.0
"""Seconds to wait for the scheduler to answer before the batch fails with one clear line."""


class KernelPoolPlugin(WorkerPlugin):
    """Worker plugin holding a lazily created :class:`KernelPool` of warm kernels per worker.

    Args:
        options: Keyword arguments for :class:`~mlkit.batch.kernel_pool.WarmKernel`.
    """

    name = PLUGIN_NAME

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = dict(options)
        self.size = 1
        self._pool: KernelPool | None = None
        self._lock: threading.Lock | None = None

    def setup(self, worker: Any) -> None:
        """Size the pool to the worker's threads; start nothing yet."""
        self.size = max(int(worker.state.nthreads), 1)
        self._lock = threading.Lock()

    def pool(self) -> KernelPool:
        """Return the worker's kernel pool, creating it on first use."""
        assert self._lock is not None, "plugin used before setup"
        with self._lock:
            if self._pool is None:
                self._pool = KernelPool(self.size, **self.options)
            return self._pool

    async def teardown(self, worker: Any) -> None:
        """Shut the worker's kernels down."""
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(pool.close)


def render_on_worker(job: ReportJob) -> JobResult:
    """Dask task: render ``job`` on this worker's warm kernels."""
    from distributed import get_worker

    plugin = cast(KernelPoolPlugin, get_worker().plugins[PLUGIN_NAME])
    return plugin.pool().submit(partial(render_job, job=job)).result()


def scheduler_address(executor: str) -> str:
    """Turn ``dask://host:port`` into the scheduler address Dask expects (``tcp://host:port``).

    ``dask://`` followed by a full Dask address (``tls://...``, ``inproc://...``) passes it on.
    """
    address = executor.removeprefix("dask://")
    return address if "://" in address else "tcp://" + address


def run_on_dask(
    jobs: Sequence[ReportJob],
    executor: str,
    options: dict[str, Any],
) -> Iterator[tuple[ReportJob, JobResult | BaseException]]:
    """Render ``jobs`` on the cluster at ``executor`` and yield each result as it arrives."""
    from distributed import Client, as_completed

    address = scheduler_address(executor)
    try:
        client = Client(address, set_as_default=False, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise SchedulerUnreachableError(executor, CONNECT_TIMEOUT, str(exc) or "timed out") from exc
    with client:
        client.register_plugin(KernelPoolPlugin(options), name=PLUGIN_NAME)
        batch = uuid.uuid4().hex[:8]
        futures = {
            client.submit(render_on_worker, job, key=f"mlkit-{job.key}-{batch}", pure=False): job
            for job in jobs
        }
        try:
            with client.as_current():
                finished = as_completed(futures)
            for future in finished:
                job = futures[future]
                try:
                    yield job, future.result()
                except Exception as exc:
                    yield job, exc
        finally:
            client.cancel(list(futures))
            client.unregister_worker_plugin(PLUGIN_NAME)
